"""A complete, valid OneRoster 1.2 CSV bundle, written in code (columns of the 1EdTech
OneRoster CSV Binding 1.2), and helpers to spoil it one way at a time."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from ampwork.classroom.bundle import COLUMNS

DEMOGRAPHICS_MARKER = "DEMOGRAPHICS-MARKER-7f3a"
DEMOGRAPHICS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
]
MODIFIED = "2025-09-01T08:00:00Z"


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()


def student(n: int, *, guardian: str = "") -> dict[str, Any]:
    return {
        "sourcedId": f"st-{n}",
        "enabledUser": "true",
        "username": f"student{n}",
        "givenName": f"Student{n}",
        "familyName": "Pupil",
        "email": f"student{n}@hillside.example",
        "agentSourcedIds": guardian,
        "grades": "09",
        "phone": "+44 20 7946 0000",
        "primaryOrgSourcedId": "sch-1",
    }


def rows(students: int = 4, classes: int = 2) -> dict[str, list[dict[str, Any]]]:
    """The records of a small school: a district, one school, a year and a term, a course,
    ``classes`` classes, a teacher, ``students`` students (the first with a guardian)."""
    users = [
        {
            "sourcedId": "t-ada",
            "enabledUser": "true",
            "username": "ada",
            "givenName": "Ada",
            "familyName": "Teacher",
            "email": "ada.teacher@hillside.example",
            "primaryOrgSourcedId": "sch-1",
        },
        {
            "sourcedId": "g-1",
            "enabledUser": "true",
            "username": "parent1",
            "givenName": "Pat",
            "familyName": "Parent",
            "email": "pat.parent@home.example",
            "agentSourcedIds": "st-1",
            "sms": "+44 7700 900000",
        },
    ]
    users += [student(n, guardian="g-1" if n == 1 else "") for n in range(1, students + 1)]
    roles = [
        {
            "sourcedId": f"r-{u['sourcedId']}",
            "userSourcedId": u["sourcedId"],
            "roleType": "primary",
            "role": "teacher"
            if u["sourcedId"].startswith("t-")
            else "guardian"
            if u["sourcedId"].startswith("g-")
            else "student",
            "orgSourcedId": "sch-1",
        }
        for u in users
    ]
    klasses = [
        {
            "sourcedId": f"k-{n}",
            "title": f"Year 9 Science {n}",
            "grades": "09",
            "courseSourcedId": "c-sci",
            "classCode": f"9S{n}",
            "classType": "scheduled",
            "location": "Lab 2",
            "schoolSourcedId": "sch-1",
            "termSourcedIds": "term-1",
            "subjects": "Science",
            "periods": "1",
        }
        for n in range(1, classes + 1)
    ]
    enrollments = [
        {
            "sourcedId": f"e-{k['sourcedId']}-t-ada",
            "classSourcedId": k["sourcedId"],
            "schoolSourcedId": "sch-1",
            "userSourcedId": "t-ada",
            "role": "teacher",
            "primary": "true",
            "beginDate": "2025-09-01",
            "endDate": "2026-07-20",
        }
        for k in klasses
    ]
    enrollments += [
        {
            "sourcedId": f"e-{u['sourcedId']}",
            "classSourcedId": klasses[i % len(klasses)]["sourcedId"],
            "schoolSourcedId": "sch-1",
            "userSourcedId": u["sourcedId"],
            "role": "student",
            "primary": "false",
        }
        for i, u in enumerate(u for u in users if u["sourcedId"].startswith("st-"))
    ]
    return {
        "orgs.csv": [
            {"sourcedId": "dist-1", "name": "Riverside District", "type": "district"},
            {
                "sourcedId": "sch-1",
                "name": "Hillside Secondary",
                "type": "school",
                "identifier": "HS1",
                "parentSourcedId": "dist-1",
            },
        ],
        "academicSessions.csv": [
            {
                "sourcedId": "year-2026",
                "title": "2025-26",
                "type": "schoolYear",
                "startDate": "2025-09-01",
                "endDate": "2026-07-20",
                "schoolYear": "2026",
            },
            {
                "sourcedId": "term-1",
                "title": "Autumn term",
                "type": "term",
                "startDate": "2025-09-01",
                "endDate": "2025-12-19",
                "parentSourcedId": "year-2026",
                "schoolYear": "2026",
            },
        ],
        "courses.csv": [
            {
                "sourcedId": "c-sci",
                "schoolYearSourcedId": "year-2026",
                "title": "Science",
                "courseCode": "SCI9",
                "grades": "09",
                "orgSourcedId": "sch-1",
            }
        ],
        "classes.csv": klasses,
        "users.csv": users,
        "roles.csv": roles,
        "enrollments.csv": enrollments,
    }


def files(
    records: dict[str, list[dict[str, Any]]] | None = None,
    *,
    modes: dict[str, str] | None = None,
    demographics: bool = True,
) -> dict[str, bytes]:
    """The bundle's files as bytes: manifest, the seven files and demographics.csv. In
    ``delta`` files each row gets ``status`` active (unless set) and a dateLastModified."""
    records = records if records is not None else rows()
    modes = {name: "bulk" for name in records} | (modes or {})
    out: dict[str, bytes] = {}
    for name, items in records.items():
        if modes.get(name) == "delta":
            items = [{"status": "active", "dateLastModified": MODIFIED, **r} for r in items]
        out[name] = _csv(COLUMNS[name], items).encode()
    manifest = [
        ("manifest.version", "1.0"),
        ("oneroster.version", "1.2"),
        ("file.academicSessions", modes.get("academicSessions.csv", "absent")),
        ("file.categories", "absent"),
        ("file.classes", modes.get("classes.csv", "absent")),
        ("file.classResources", "absent"),
        ("file.courses", modes.get("courses.csv", "absent")),
        ("file.courseResources", "absent"),
        ("file.demographics", "bulk" if demographics else "absent"),
        ("file.enrollments", modes.get("enrollments.csv", "absent")),
        ("file.lineItems", "absent"),
        ("file.orgs", modes.get("orgs.csv", "absent")),
        ("file.resources", "absent"),
        ("file.results", "absent"),
        ("file.roles", modes.get("roles.csv", "absent")),
        ("file.userProfiles", "absent"),
        ("file.users", modes.get("users.csv", "absent")),
        ("source.systemName", "Test SIS"),
        ("source.systemCode", "test"),
    ]
    out["manifest.csv"] = _csv(
        ["propertyName", "value"], [{"propertyName": k, "value": v} for k, v in manifest]
    ).encode()
    if demographics:
        out["demographics.csv"] = _csv(
            DEMOGRAPHICS,
            [
                {
                    "sourcedId": "st-1",
                    "birthDate": "2011-02-03",
                    "sex": "female",
                    "cityOfBirth": DEMOGRAPHICS_MARKER,
                }
            ],
        ).encode()
    return out


def to_zip(bundle: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in bundle.items():
            archive.writestr(name, data)
    return out.getvalue()
