"""The Python half of scripts/migration-check.sh (read that first).

Each step runs in its own process with one release's code first on PYTHONPATH, against the
database the environment names (AMPWORK_DATABASE_URL, or SQLite in AMPWORK_DATA_DIR):

  python scripts/migration_check.py names OUT.json        # OLD code: its migrations
  python scripts/migration_check.py ops NAMES.json OUT.json  # NEW code: the migrations the
                                                              # old code lacks, as plain data
  python scripts/migration_check.py static OPS.json         # OLD code: which of them break it
  python scripts/migration_check.py seed STATE.json         # OLD code: demo + generated data
  python scripts/migration_check.py exercise STATE.json     # OLD code against the migrated DB

Only long-lived surfaces of the old release are used: Django itself, the management
commands (`generate`, `token`), `ampwork.demo.services.ensure_demo`, URL names, the forms
its own pages render and the REST API. Exit status 1 and a line per problem on failure.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import uuid
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ampwork.settings")

PROBLEMS: list[str] = []
NOTES: list[str] = []


def problem(text: str) -> None:
    PROBLEMS.append(text)
    if len(PROBLEMS) <= 30:
        print(f"  FAIL {text}", flush=True)
    elif len(PROBLEMS) == 31:
        print("  FAIL … (more failures: only the first 30 are shown)", flush=True)


def note(text: str) -> None:
    NOTES.append(text)
    print(f"  note {text}", flush=True)


def setup() -> None:
    import django

    django.setup()
    import ampwork

    print(f"  (code from {Path(ampwork.__file__).parent})", flush=True)


# --- ops: the new migrations as data (run with the NEW code) -------------------------------


def _field(name: str, field: Any) -> dict[str, Any]:
    from django.db.models import NOT_PROVIDED

    field.set_attributes_from_name(name)
    return {
        "name": name,
        "column": field.column,
        "null": bool(field.null),
        "db_default": field.db_default is not NOT_PROVIDED,
        "m2m": bool(field.many_to_many),
        "concrete": field.concrete and not field.many_to_many,
    }


def _op(op: Any) -> list[dict[str, Any]]:
    from django.db import migrations as m

    kind = type(op).__name__
    if isinstance(op, m.SeparateDatabaseAndState):
        return [row for inner in op.database_operations for row in _op(inner)]
    row: dict[str, Any] = {"op": kind}
    if isinstance(op, (m.AddField, m.AlterField)):
        row |= {"model": op.model_name_lower, "field": _field(op.name, op.field.clone())}
    elif isinstance(op, m.RemoveField):
        row |= {"model": op.model_name_lower, "name": op.name}
    elif isinstance(op, m.RenameField):
        row |= {"model": op.model_name_lower, "old": op.old_name, "new": op.new_name}
    elif isinstance(op, (m.DeleteModel, m.AlterModelTable)):
        row |= {"model": op.name_lower}
    elif isinstance(op, m.RenameModel):
        row |= {"model": op.old_name_lower, "new": op.new_name_lower}
    elif isinstance(op, m.CreateModel):
        row |= {"model": op.name_lower}
    return [row]


def names(out: str) -> int:
    """The migrations this release's code has, as app label and name (run with the OLD code:
    an app's directory may have moved since, its label and migration names have not)."""
    setup()
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    Path(out).write_text(json.dumps(sorted(loader.disk_migrations)))
    return 0


def ops(old_names: str, out: str) -> int:
    setup()
    from django.db.migrations.loader import MigrationLoader

    known = {tuple(key) for key in json.loads(Path(old_names).read_text())}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    rows = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if not type(migration).__module__.startswith("ampwork.") or (app, name) in known:
            continue  # not ampwork's, or the previous release has it already
        for op in migration.operations:
            for row in _op(op):
                rows.append({"app": app, "migration": name} | row)
    Path(out).write_text(json.dumps(rows, indent=1))
    found = sorted({f"{r['app']}.{r['migration']}" for r in rows})
    print(f"  new migrations: {', '.join(found) or 'none'}", flush=True)
    return 0


# --- static: judge the new migrations against the OLD code's models ------------------------


def static(ops_file: str) -> int:
    setup()
    from django.apps import apps

    rows = json.loads(Path(ops_file).read_text())
    created = {(r["app"], r["model"]) for r in rows if r["op"] == "CreateModel"}

    def old_model(app: str, model: str) -> Any:
        if (app, model) in created:
            return None  # a model this release adds: the old code cannot use it
        try:
            found = apps.get_model(app, model)
        except LookupError:
            return None
        return found if found._meta.managed else None

    # the end state of each field this release adds or alters (migrations run in order)
    final = {
        (f"{r['app']}.{r['model']}", r["field"]["name"]): r
        for r in rows
        if r["op"] in ("AddField", "AlterField")
    }
    for r in rows:
        where = f"{r['app']}.{r['migration']}: {r['op']}"
        model = old_model(r["app"], r.get("model", ""))
        if model is None:
            continue
        fields = {f.name: f for f in model._meta.concrete_fields}
        label = f"{r['app']}.{r['model']}"
        if r["op"] == "RemoveField" and r["name"] in fields:
            problem(
                f"{where} drops {label}.{r['name']}, which the previous release still uses: "
                "stop using it in one release, drop it in the next"
            )
        elif r["op"] == "RenameField" and r["old"] in fields:
            problem(
                f"{where} renames {label}.{r['old']}, which the previous release still uses: "
                "add the new column, copy, and drop the old one a release later"
            )
        elif r["op"] in ("DeleteModel", "RenameModel", "AlterModelTable"):
            problem(f"{where} removes or renames table {label}, which the previous release uses")
        elif r["op"] in ("AddField", "AlterField"):
            f = r["field"]
            key = (label, f["name"])
            if final.get(key) is not r:
                continue  # a later migration of this release redefines it: judge that one
            old = fields.get(f["name"])
            if not f["concrete"]:
                continue
            if old is None:
                if not f["null"] and not f["db_default"]:
                    problem(
                        f"{where} leaves {label}.{f['name']} NOT NULL without db_default: the "
                        "previous release's inserts leave it out and fail (give it "
                        "db_default= or null=True)"
                    )
            elif old.column != f["column"]:
                problem(f"{where} renames column {label}.{old.column} to {f['column']}")
            elif old.null and not f["null"] and not f["db_default"]:
                problem(
                    f"{where} makes {label}.{f['name']} NOT NULL without db_default, while "
                    "the previous release may still write NULL there"
                )
    if not PROBLEMS:
        print(f"  {len(rows)} operations checked: nothing drops, renames or breaks inserts")
    return 1 if PROBLEMS else 0


# --- seed: data written by the OLD code -----------------------------------------------------


def seed(state_file: str) -> int:
    setup()
    from django.core.management import call_command

    state: dict[str, Any] = {}
    try:
        from ampwork.demo.services import ensure_demo

        ensure_demo()
        print("  demo organisations built", flush=True)
    except ImportError as exc:
        note(f"no demo data in this release ({exc})")
    out = io.StringIO()
    try:
        call_command("generate", people=50, org="migcheck", seed=1, okrs=True, stdout=out)
    except TypeError:  # an older `generate` without --okrs
        call_command("generate", people=50, org="migcheck", seed=1, stdout=out)
    text = out.getvalue()
    found = re.search(r"Admin password: (\S+)\s+(\S+@\S+)", text)
    if not found:
        problem(f"could not read the generated admin from `generate`: {text[-300:]!r}")
        return 1
    state["password"], state["email"] = found.group(1), found.group(2)
    state["org"] = "migcheck"
    Path(state_file).write_text(json.dumps(state))
    print(f"  generated 50 people in 'migcheck', admin {state['email']}", flush=True)
    return 0


# --- exercise: the OLD code against the migrated database ----------------------------------


class Forms(HTMLParser):
    """Every <form method=post> of a page: its action and the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = {"action": a.get("action", ""), "fields": {}, "required": set()}
                self.forms.append(self._form)
            return
        form = self._form
        if form is None or ("name" not in a and tag != "option"):
            return
        name = a.get("name", "")
        if "required" in a and name:
            form["required"].add(name)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"][name] = a.get("value", "on")
                elif kind == "radio":
                    form["fields"].setdefault(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"][name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""
        elif tag == "select":
            self._select = (name, "multiple" in a)
            self._options = []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select and self._form is not None:
            name, _multiple = self._select
            chosen = [v for v, sel in self._options if sel]
            usable = [v for v, _ in self._options if v]
            value = chosen[0] if chosen else (usable[0] if usable else "")
            self._form["fields"][name] = value
            self._select = None


FILL = {
    "email": "migration.check@example.org",
    "title": "Migration check",
    "name": "Migration check",
    "date": "",
    "value": "1",
    "confidence": "7",
    "target": "10",
    "start": "0",
    "weight": "1",
}


def _fill(fields: dict[str, str], required: set[str]) -> dict[str, str]:
    import datetime as dt

    data = dict(fields)
    for name in list(data) + sorted(required - set(data)):
        if data.get(name):
            continue
        key = name.split("-")[-1]
        if FILL.get(key):
            data[name] = FILL[key]
        elif "date" in key or key in ("start", "end"):
            data[name] = dt.date.today().isoformat()
        elif name in required:
            data[name] = "Migration check"
    return data


def exercise(state_file: str) -> int:
    setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError, IntegrityError, connection, transaction
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    state = json.loads(Path(state_file).read_text())
    run = uuid.uuid4().hex[:6]  # names of this run's writes (the check runs this twice)
    models: list[Any] = [m for m in apps.get_models() if m.__module__.startswith("ampwork.")]

    def count(label: str) -> int:
        return int(apps.get_model(label).objects.count())

    # 1. Every model the old code has reads back (a dropped or renamed column fails here).
    for model in models:
        try:
            list(model.objects.all()[:3])
        except Exception as exc:
            problem(f"reading {model._meta.label}: {type(exc).__name__}: {exc}")
    print(f"  read {len(models)} models", flush=True)

    # ids only: a dropped column elsewhere in these tables must not stop the run here
    User = apps.get_model("core", "User")
    user = User.objects.only("id", "password").get(email__iexact=state["email"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    org = apps.get_model("core", "Organisation").objects.values_list("id", flat=True)
    org_id = org.get(slug=state["org"])
    Objective = apps.get_model("okrs", "Objective")
    mine = Objective.objects.filter(organisation_id=org_id).order_by("id")
    ids: dict[str, Any] = {
        "objective": mine.values_list("id", flat=True).first(),
        "cycle": mine.values_list("cycle_id", flat=True).first(),
    }
    for key, label in (("person", "core.Person"), ("team", "core.Team")):
        rows = apps.get_model(label).objects.filter(organisation_id=org_id).order_by("id")
        ids[key] = rows.values_list("id", flat=True).first()
    kr = (
        apps.get_model("okrs", "KeyResult")
        .objects.filter(objective__organisation_id=org_id, kind="numeric")
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )

    def url(name: str, *args: Any) -> str | None:
        for full in (name, f"core:{name}"):
            try:
                return reverse(full, args=[getattr(a, "pk", a) for a in args])
            except NoReverseMatch:
                pass
        note(f"no page {name} in the previous release")
        return None

    def get(name: str, *args: Any) -> Any:
        path = url(name, *args)
        if path is None:
            return None
        response = client.get(path, follow=True)
        if response.status_code >= 500:
            problem(f"GET {path} ({name}) answered {response.status_code}")
        return response

    # 2. The main pages, as the generated organisation's admin.
    def pages_stage() -> None:
        pages = [
            ("home",),
            ("okrs:alignment",),
            ("okrs:cycles",),
            ("okrs:dashboard", ids["cycle"]),
            ("okrs:objective", ids["objective"]),
            ("okrs:check_in",),
            ("people",),
            ("person", ids["person"]),
            ("teams",),
            ("team", ids["team"]),
            ("org_chart",),
            ("pulse:index",),
            ("purpose:index",),
            ("autonomy:mine",),
            ("mastery:mine",),
            ("advisor:overview",),
            ("fairness:overview",),
            ("audit_log",),
        ]
        seen = 0
        for page in pages:
            if any(a is None for a in page[1:]):
                note(f"nothing to show on {page[0]}")
                continue
            if get(*page) is not None:
                seen += 1
        # every other page without arguments, whatever the release calls them
        from django.urls import get_resolver

        def walk(patterns: Any, prefix: str = "") -> list[str]:
            names = []
            for p in patterns:
                if hasattr(p, "url_patterns"):
                    ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                    names += walk(p.url_patterns, ns)
                elif p.name and not p.pattern.converters and "<" not in str(p.pattern):
                    names.append(prefix + p.name)
            return names

        skip = re.compile(r"logout|sign.?out|delete|revoke|remove|healthz|export|switch|demo")
        extra = [n for n in walk(get_resolver().url_patterns) if not skip.search(n)]
        listed = {p[0] for p in pages}
        for name in extra:
            if name in listed:
                continue
            if get(name) is not None:
                seen += 1
        print(f"  GET {seen} pages", flush=True)

    # 3. Writes through the old code's own forms (as a browser sends them).
    def forms_stage() -> None:
        def post_form(
            name: str, args: tuple[Any, ...], label: str, changes: dict[str, str]
        ) -> None:
            page = get(name, *args)
            if page is None:
                return
            path = url(name, *args) or ""
            parser = Forms()
            parser.feed(page.content.decode())
            forms = [f for f in parser.forms if f["action"] in ("", path)]
            if not forms:
                problem(f"no form on {path} ({name})")
                return
            form = max(forms, key=lambda f: len(f["fields"]))
            data = _fill(form["fields"], form["required"]) | changes
            before = count(label)
            response = client.post(path, data)
            if response.status_code >= 500:
                problem(f"POST {path} ({name}) answered {response.status_code}")
            elif count(label) <= before:
                problem(
                    f"POST {path} ({name}) answered {response.status_code} but wrote no "
                    f"{label}: {_errors(response)}"
                )
            else:
                print(f"  POST {path}: a new {label}", flush=True)

        post_form(
            "okrs:objective_create", (), "okrs.Objective", {"title": f"Migration check (web {run})"}
        )
        newest = mine.order_by("-id").values_list("id", flat=True).first()
        if newest is not None:
            post_form(
                "okrs:key_result_create",
                (newest,),
                "okrs.KeyResult",
                {"title": f"Web key result {run}"},
            )
        post_form("person_create", (), "core.Person", {"email": f"web.person.{run}@example.org"})
        post_form("team_create", (), "core.Team", {"name": f"Migration check team {run}"})
        if kr is not None:
            path = url("okrs:check_in_row", kr)
            if path:
                before = count("okrs.CheckIn")
                response = client.post(path, {"value": "3", "confidence": "6", "note": "web"})
                if response.status_code >= 500 or count("okrs.CheckIn") <= before:
                    problem(f"POST {path} (check-in) answered {response.status_code}, no check-in")
                else:
                    print(f"  POST {path}: a new okrs.CheckIn", flush=True)

    # 4. Writes through the old code's REST API, with a personal token.
    def api_stage() -> None:
        out = io.StringIO()
        call_command("token", "create", email=state["email"], org=state["org"], stdout=out)
        token = out.getvalue().strip().splitlines()[-1]
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)

        def api_write(method: str, path: str, body: dict[str, Any], label: str) -> Any:
            before = count(label)
            call = getattr(api, method)
            response = call(
                f"/api/v1{path}", data=json.dumps(body), content_type="application/json"
            )
            grew = method != "post" or count(label) > before
            if response.status_code >= 400 or not grew:
                problem(
                    f"API {method.upper()} {path} answered {response.status_code}: "
                    f"{response.content[:300]!r}"
                )
                return None
            print(f"  API {method.upper()} {path}: {response.status_code}", flush=True)
            return response.json()

        for path in ("/me", "/people", "/teams", "/objectives", "/key-results", "/cycles"):
            response = api.get(f"/api/v1{path}")
            if response.status_code >= 500:
                problem(f"API GET {path} answered {response.status_code}")
        made = api_write(
            "post",
            "/objectives",
            {"cycle_id": ids["cycle"], "title": f"Migration check (API {run})"},
            "okrs.Objective",
        )
        if made:
            api_write(
                "patch",
                f"/objectives/{made['id']}",
                {"title": f"Migration check (API {run}, edited)"},
                "okrs.Objective",
            )
            key = api_write(
                "post",
                "/key-results",
                {"objective_id": made["id"], "title": f"API key result {run}", "target": 10},
                "okrs.KeyResult",
            )
            if key:
                api_write(
                    "post",
                    f"/key-results/{key['id']}/check-ins",
                    {"value": 4, "confidence": 6},
                    "okrs.CheckIn",
                )
        api_write(
            "post",
            "/people",
            {"name": f"API Person {run}", "email": f"api.person.{run}@example.org"},
            "core.Person",
        )
        api_write("post", "/teams", {"name": f"API team {run}"}, "core.Team")

    # 5. Every model's rows written by the old code's ORM: an update and an insert (a copy),
    def orm_stage() -> None:
        #    rolled back at the end. Catches columns the old code leaves out of its INSERTs.
        broken = re.compile(
            r"NOT NULL constraint|null value in column|no such column|does not exist|"
            r"has no column|no such table|Unknown column",
            re.I,
        )
        unique = re.compile(r"UNIQUE constraint failed|duplicate key value", re.I)
        inserted = skipped = 0
        with transaction.atomic():
            for model in models:
                try:
                    with transaction.atomic():
                        row = model.objects.order_by("pk").first()
                except Exception:
                    continue  # unreadable: reported by the first step
                if row is None:
                    continue
                for action in ("update", "insert"):
                    try:
                        with transaction.atomic():
                            if action == "insert":
                                _copy(model, row)
                                row.save(force_insert=True)
                                if not model.objects.filter(pk=row.pk).exists():
                                    problem(f"insert into {model._meta.label} did not land")
                                inserted += 1
                            else:
                                row.save(force_update=True)
                    except Exception as exc:
                        if not isinstance(exc, DatabaseError):
                            skipped += 1  # the model's own rule (append-only…): not the schema
                        elif isinstance(exc, IntegrityError) and unique.search(str(exc)):
                            skipped += 1  # a copy breaking a unique rule: not a schema problem
                        elif broken.search(str(exc)):
                            problem(f"{action} of {model._meta.label} by the old code: {exc}")
                        else:  # a check or foreign-key rule the database refused
                            problem(f"{action} of {model._meta.label} by the old code: {exc!r}")
            transaction.set_rollback(True)
        if not inserted:
            problem("the old code's ORM stored no copy at all: the stage tested nothing")
        print(
            f"  ORM: updated and copied rows of {len(models)} models "
            f"({inserted} copies stored, {skipped} refused by unique rules or the models' own)",
            flush=True,
        )

    for label, stage in (
        ("pages", pages_stage),
        ("web writes", forms_stage),
        ("API writes", api_stage),
        ("ORM writes", orm_stage),
    ):
        try:
            stage()
        except Exception as exc:
            problem(f"{label} stopped: {type(exc).__name__}: {exc}")
    connection.close()
    return 1 if PROBLEMS else 0


def _copy(model: Any, row: Any) -> None:
    """Make `row` a new row: no primary key, unique text made unique."""
    row.pk = None
    row._state.adding = True
    for f in model._meta.concrete_fields:
        if f.primary_key and f.get_internal_type() == "UUIDField":
            setattr(row, f.attname, uuid.uuid4())
        elif f.unique and not f.primary_key:
            value = getattr(row, f.attname)
            if isinstance(value, str):
                tail = uuid.uuid4().hex[:8]
                cut = (f.max_length or 200) - 9
                setattr(
                    row,
                    f.attname,
                    f"{value[:cut]}-{tail}"
                    if "@" not in value
                    else f"{tail}{value}"[: f.max_length or 200],
                )


def _errors(response: Any) -> str:
    text = response.content.decode(errors="replace")
    found = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', text, re.S)
    return "; ".join(x.strip() for x in found if x.strip())[:300] or "no error shown"


def main() -> int:
    command, *args = sys.argv[1:]
    steps: dict[str, Callable[..., int]] = {
        "names": names,
        "ops": ops,
        "static": static,
        "seed": seed,
        "exercise": exercise,
    }
    return steps[command](*args)


if __name__ == "__main__":
    raise SystemExit(main())
