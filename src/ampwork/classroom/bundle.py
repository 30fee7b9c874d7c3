"""A OneRoster 1.2 CSV bundle as files: what the binding names, and reading it.

:func:`read_zip` / :func:`read_directory` take the bundle's files (with limits against zip
bombs and paths that leave the bundle); a :class:`Reader` reads each CSV once (no BOM,
UTF-8, the binding's columns, through ``core.imports.read_rows``) and the ``check_*``
helpers name each problem with its file, line and column in :class:`Findings`.

Columns follow the 1EdTech OneRoster CSV Binding 1.2
(https://www.imsglobal.org/spec/oneroster/v1p2/bind/csv/): in 1.2 a user's roles and
schools are in ``roles.csv``, not in ``users.csv``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext

from ampwork.core.errors import FieldError
from ampwork.core.imports import Plan, read_rows

MAX_BUNDLE_BYTES = 20 * 1024 * 1024  # a zip as uploaded (the web's upload limit)
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members together, unpacked
MAX_MEMBERS = 64  # files in a zip (OneRoster 1.2 names 20 or so)
MANIFEST = "manifest.csv"
BOM = b"\xef\xbb\xbf"

_BASE = ["sourcedId", "status", "dateLastModified"]
# the files ampwork reads, with every column of the 1.2 binding (others are refused,
# except extension columns named metadata.*), and the ones a row must fill
COLUMNS: dict[str, list[str]] = {
    "orgs.csv": [*_BASE, "name", "type", "identifier", "parentSourcedId"],
    "academicSessions.csv": [
        *_BASE,
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ],
    "courses.csv": [
        *_BASE,
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ],
    "classes.csv": [
        *_BASE,
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ],
    "users.csv": [
        *_BASE,
        "enabledUser",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        "userMasterIdentifier",
        "resourceSourcedIds",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns",
    ],
    "roles.csv": [
        *_BASE,
        "userSourcedId",
        "roleType",
        "role",
        "beginDate",
        "endDate",
        "orgSourcedId",
        "userProfileSourcedId",
    ],
    "enrollments.csv": [
        *_BASE,
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ],
}
REQUIRED: dict[str, set[str]] = {
    "orgs.csv": {"sourcedId", "name", "type"},
    "academicSessions.csv": {"sourcedId", "title", "type", "startDate", "endDate", "schoolYear"},
    "courses.csv": {"sourcedId", "title", "orgSourcedId"},
    "classes.csv": {
        "sourcedId",
        "title",
        "courseSourcedId",
        "classType",
        "schoolSourcedId",
        "termSourcedIds",
    },
    "users.csv": {"sourcedId", "enabledUser", "givenName", "familyName"},
    "roles.csv": {"sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"},
    "enrollments.csv": {"sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"},
}
MANIFEST_KEY = {name: "file." + name.removesuffix(".csv") for name in COLUMNS}
# files of the 1.2 binding ampwork never reads (demographics: never even opened)
NOT_READ = {
    "demographics.csv",
    "userProfiles.csv",
    "categories.csv",
    "classResources.csv",
    "courseResources.csv",
    "lineItems.csv",
    "lineItemLearningObjectiveIds.csv",
    "lineItemScoreScales.csv",
    "resources.csv",
    "results.csv",
    "resultLearningObjectiveIds.csv",
    "resultScoreScales.csv",
    "scoreScales.csv",
    "userResources.csv",
}
MODES = ("absent", "bulk", "delta")

ORG_TYPES = {"department", "school", "district", "local", "state", "national"}
SESSION_TYPES = {"gradingPeriod", "semester", "schoolYear", "term"}
CLASS_TYPES = {"homeroom", "scheduled"}
STAFF = {
    "aide",
    "counselor",
    "districtAdministrator",
    "principal",
    "proctor",
    "siteAdministrator",
    "systemAdministrator",
    "teacher",
}
GUARDIANS = {"guardian", "parent", "relative"}
USER_ROLES = STAFF | GUARDIANS | {"student"}
ROLE_TYPES = {"primary", "secondary"}
ENROLLMENT_ROLES = {"administrator", "proctor", "student", "teacher"}
LEADS = {"administrator", "teacher"}  # enrolled as these: the class's lead (its teacher)
STATUSES = {"active", "tobedeleted"}
NO_EMAIL_DOMAIN = "roster.invalid"  # RFC 2606: never delivered


# ---------------------------------------------------------------- reading the bundle


def error_in(file: str, field: str, message: str, line: int | None = None) -> FieldError:
    return FieldError(field, message, line, file=file)


def read_zip(data: bytes, source: str = "roster.zip") -> tuple[dict[str, bytes], list[FieldError]]:
    """The files of a zip by name, or the errors that stop reading it: too big, too many
    members, a path that leaves the bundle, more unpacked than :data:`MAX_UNCOMPRESSED`."""
    if len(data) > MAX_BUNDLE_BYTES:
        mb = MAX_BUNDLE_BYTES // (1024 * 1024)
        return {}, [error_in(source, "file", gettext("is larger than %(mb)d MB") % {"mb": mb})]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError):
        return {}, [error_in(source, "file", gettext("is not a zip file"))]
    if len(members) > MAX_MEMBERS:
        return {}, [
            error_in(source, "file", gettext("holds more than %(n)d files") % {"n": MAX_MEMBERS})
        ]
    errors: list[FieldError] = []
    for m in members:
        path = PurePosixPath(m.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in m.filename:
            errors.append(error_in(source, m.filename, gettext("path leaves the bundle: refused")))
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        mb = MAX_UNCOMPRESSED // (1024 * 1024)
        errors.append(
            error_in(
                source, "file", gettext("unpacks to more than %(mb)d MB: refused") % {"mb": mb}
            )
        )
    if errors:
        return {}, errors
    files: dict[str, bytes] = {}
    total = 0
    for m in members:
        name = PurePosixPath(m.filename.replace("\\", "/")).name
        if name in files:
            errors.append(
                error_in(
                    source, m.filename, gettext("a second %(name)s in the zip") % {"name": name}
                )
            )
            continue
        if name not in COLUMNS and name != MANIFEST:
            files[name] = b""  # named in notes, never unpacked (demographics.csv among them)
            continue
        try:
            with archive.open(m) as member:
                # read no more than the limit, whatever the member's header claims
                content = member.read(MAX_UNCOMPRESSED - total + 1)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
            errors.append(error_in(source, m.filename, gettext("cannot be unpacked")))
            continue
        total += len(content)
        if total > MAX_UNCOMPRESSED:
            mb = MAX_UNCOMPRESSED // (1024 * 1024)
            return {}, [
                error_in(
                    source, "file", gettext("unpacks to more than %(mb)d MB: refused") % {"mb": mb}
                )
            ]
        files[name] = content
    return files, errors


def read_directory(path: Path) -> tuple[dict[str, bytes], list[FieldError]]:
    """The CSV files of a directory (the bundle unpacked), with the same limits."""
    files: dict[str, bytes] = {}
    total = 0
    for item in sorted(path.iterdir()):
        if not item.is_file() or item.suffix.lower() != ".csv":
            continue
        if item.name not in COLUMNS and item.name != MANIFEST:
            files[item.name] = b""
            continue
        total += item.stat().st_size
        if total > MAX_UNCOMPRESSED:
            mb = MAX_UNCOMPRESSED // (1024 * 1024)
            return {}, [
                error_in(
                    str(path),
                    "file",
                    gettext("holds more than %(mb)d MB of CSV: refused") % {"mb": mb},
                )
            ]
        files[item.name] = item.read_bytes()
    return files, []


@dataclass
class Findings:
    """What reading a bundle found: its errors, notes, and each file's mode."""

    errors: list[FieldError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    modes: dict[str, str] = field(default_factory=dict)  # file -> bulk or delta

    @property
    def ok(self) -> bool:
        return not self.errors


def split_ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d\d-\d\d", value) else None
    except ValueError:
        return None


def is_datetime(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d\d-\d\d([T ][0-9:.]+)?(Z|[+-]\d\d:?\d\d)?", value):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


class Reader:
    """Reads each file of the bundle once, collecting errors with their file."""

    def __init__(self, files: dict[str, bytes], plan: Findings) -> None:
        self.files = files
        self.plan = plan

    def error(self, file: str, field: str, message: str, line: int | None = None) -> None:
        self.plan.errors.append(error_in(file, field, message, line))

    def rows(self, name: str) -> list[tuple[int, dict[str, str]]]:
        data = self.files.get(name)
        if data is None:
            return []
        if data.startswith(BOM):
            self.error(
                name,
                "file",
                gettext(
                    "starts with a byte-order mark (BOM): save it as UTF-8 without BOM (in Excel "
                    "'CSV UTF-8' adds one; use 'CSV (Comma delimited)' or an editor's 'UTF-8' "
                    "without BOM) and zip the files again"
                ),
                1,
            )
            return []
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.error(
                name,
                "file",
                gettext("is not UTF-8 (byte %(byte)d); save it as UTF-8") % {"byte": exc.start},
            )
            return []
        columns = COLUMNS.get(name) or ["propertyName", "value"]
        one = Plan(kind="oneroster", source=name)
        rows = read_rows(
            text,
            dict.fromkeys(columns, ""),
            REQUIRED.get(name, {"propertyName", "value"}),
            one,
            extra_prefixes=("metadata.",),
        )
        for e in one.errors:
            if e.message == "has a header but no rows" and name != MANIFEST:
                continue  # an empty file: no records (delta: no changes)
            if e.message.startswith("unknown column"):
                e = FieldError(e.field, gettext("unknown column (not in OneRoster 1.2)"), e.line)
            self.plan.errors.append(FieldError(e.field, e.message, e.line, file=name))
        return rows


def read_manifest(reader: Reader) -> None:
    plan = reader.plan
    if MANIFEST not in reader.files:
        reader.error(
            MANIFEST, "file", gettext("is missing: a OneRoster bundle starts with manifest.csv")
        )
        return
    props: dict[str, tuple[int, str]] = {}
    for at, row in reader.rows(MANIFEST):
        key, value = row.get("propertyName", ""), row.get("value", "")
        if key in props:
            reader.error(
                MANIFEST, "propertyName", gettext("%(key)s appears twice") % {"key": key}, at
            )
        props[key] = (at, value)
    if plan.errors:
        return
    version = props.get("oneroster.version")
    if version is None:
        reader.error(
            MANIFEST, "propertyName", gettext("oneroster.version is missing (expected 1.2)")
        )
    elif version[1] not in ("1.2", "1.2.1"):
        reader.error(
            MANIFEST,
            "value",
            gettext("oneroster.version is '%(version)s': only 1.2 is read")
            % {"version": version[1]},
            version[0],
        )
    for name, key in MANIFEST_KEY.items():
        found = props.get(key)
        line: int | None = found[0] if found else None
        mode = found[1] if found else "absent"
        if mode not in MODES:
            reader.error(
                MANIFEST,
                "value",
                gettext("%(key)s is '%(mode)s', not one of bulk, delta, absent")
                % {"key": key, "mode": mode},
                line,
            )
            continue
        if mode == "absent" and name in reader.files:
            reader.error(
                MANIFEST,
                "value",
                gettext("%(name)s is in the bundle but %(key)s is absent: say bulk or delta")
                % {"name": name, "key": key},
                line,
            )
        elif mode != "absent" and name not in reader.files:
            reader.error(
                MANIFEST,
                "value",
                gettext("%(key)s is %(mode)s but %(name)s is not in the bundle")
                % {"key": key, "mode": mode, "name": name},
                line,
            )
        else:
            plan.modes[name] = mode
    for name in sorted(reader.files):
        if name in NOT_READ or (name not in COLUMNS and name != MANIFEST):
            plan.notes.append(
                gettext("%(name)s: not read (ampwork keeps nothing of it)") % {"name": name}
            )


def read_records(
    reader: Reader, name: str, earlier: set[str]
) -> tuple[dict[str, tuple[int, dict[str, str]]], set[str], set[str]]:
    """A file's rows by sourcedId (duplicates, status and dateLastModified checked), the
    sourcedIds marked tobedeleted, and every sourcedId the references may name: the file's,
    and in delta mode also those imported before."""
    mode = reader.plan.modes.get(name, "absent")
    by_id: dict[str, tuple[int, dict[str, str]]] = {}
    deleted: set[str] = set()
    for line, row in reader.rows(name) if mode != "absent" else []:
        sid = row.get("sourcedId", "")
        if not sid:
            reader.error(name, "sourcedId", gettext("is required"), line)
            continue
        if len(sid) > 255:
            reader.error(name, "sourcedId", gettext("is longer than 255 characters"), line)
            continue
        if sid in by_id:
            reader.error(
                name,
                "sourcedId",
                gettext("'%(id)s' appears twice (also line %(line)d)")
                % {"id": sid, "line": by_id[sid][0]},
                line,
            )
            continue
        for column in sorted(REQUIRED[name] - {"sourcedId"}):
            if not row.get(column):
                reader.error(name, column, gettext("is required"), line)
        status, modified = row.get("status", ""), row.get("dateLastModified", "")
        if mode == "bulk":
            for column, value in (("status", status), ("dateLastModified", modified)):
                if value:
                    reader.error(
                        name,
                        column,
                        gettext(
                            "bulk vs delta mismatch: manifest.csv says %(key)s is bulk, so "
                            "%(column)s must be empty (a delta file fills it)"
                        )
                        % {"key": MANIFEST_KEY[name], "column": column},
                        line,
                    )
        else:
            if not status:
                reader.error(
                    name,
                    "status",
                    gettext(
                        "bulk vs delta mismatch: manifest.csv says %(key)s is delta, "
                        "so every row needs a status (active or tobedeleted)"
                    )
                    % {"key": MANIFEST_KEY[name]},
                    line,
                )
            elif status not in STATUSES:
                reader.error(
                    name,
                    "status",
                    gettext("'%(value)s' is not active or tobedeleted") % {"value": status},
                    line,
                )
            if not modified:
                reader.error(
                    name,
                    "dateLastModified",
                    gettext(
                        "bulk vs delta mismatch: manifest.csv says %(key)s is delta, "
                        "so every row needs a dateLastModified"
                    )
                    % {"key": MANIFEST_KEY[name]},
                    line,
                )
            elif not is_datetime(modified):
                reader.error(
                    name,
                    "dateLastModified",
                    gettext("'%(value)s' is not a date and time like 2024-03-31T09:00:00Z")
                    % {"value": modified},
                    line,
                )
        if status == "tobedeleted":
            deleted.add(sid)
        by_id[sid] = (line, row)
    known = set(by_id)
    if mode != "bulk":
        known |= earlier
    return by_id, deleted, known


def check_enum(
    reader: Reader, name: str, row: dict[str, str], line: int, column: str, allowed: set[str]
) -> str:
    value = row.get(column, "")
    if value and value not in allowed:
        reader.error(
            name,
            column,
            gettext("'%(value)s' is not one of %(allowed)s")
            % {"value": value, "allowed": ", ".join(sorted(allowed))},
            line,
        )
    return value


def check_refs(
    reader: Reader,
    name: str,
    line: int,
    column: str,
    values: list[str],
    known: set[str],
    what: str,
) -> None:
    for value in values:
        if value and value not in known:
            reader.error(
                name,
                column,
                gettext("unknown %(what)s sourcedId '%(value)s'") % {"what": what, "value": value},
                line,
            )


def check_dates(reader: Reader, name: str, row: dict[str, str], line: int, *columns: str) -> None:
    for column in columns:
        value = row.get(column, "")
        if value and parse_date(value) is None:
            reader.error(
                name,
                column,
                gettext("'%(value)s' is not a date like 2024-03-31") % {"value": value},
                line,
            )
