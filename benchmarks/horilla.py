"""ampwork's OKR pages against horilla's (the open-source Django HR suite, its "pms" app).

    python benchmarks/horilla.py --horilla /tmp/horilla-src --employees 200 2000 --repeat 5
    python benchmarks/horilla.py --horilla /tmp/horilla-src --employees 200 2000 --skip-setup

``--horilla PATH`` is a checkout of https://github.com/horilla-opensource/horilla; nothing of
it enters this repository. Everything of horilla's lives under ``--work`` (default
/tmp/horilla-bench) and ``--venv`` (default /tmp/horilla-venv):

1. Set-up (skipped with ``--skip-setup``, which reuses what an earlier run left): a virtual
   environment with horilla's ``requirements.txt`` (should a requirement fail to install,
   the others are installed one by one and the ones that failed are listed in the report:
   the pms pages need only Django and the libraries horilla imports at start-up; at horilla
   72e7198f with Python 3.11 every requirement installed, none skipped); a copy of
   the checkout in ``WORK/horilla`` (horilla commits no migrations: as its README says,
   ``makemigrations`` then ``migrate``, here on ``WORK/empty.sqlite3``; any ``.env`` of the
   checkout is left out of the copy, since horilla's settings let it override the
   environment).
2. For each size, ampwork's side: a worker process (this script, ``--ampwork-worker``) on
   a throwaway data directory (``_common.setup_django``) builds an organisation with
   ``ampwork.demo.services.generate(people=N)`` and ``ampwork.okrs.generate.generate_okrs``
   (4 objectives, 12 key results and 96 check-ins per person, one objective per team with
   half the people's objectives aligned to it), and writes the shape it built to
   ``WORK/shape-N.json``.
3. Horilla's side, unless ``WORK/horilla-N.sqlite3`` is already there: a copy of the
   migrated empty database, filled by a script this one writes to ``WORK/horilla_worker.py``
   and runs with the venv's Python (``DJANGO_SETTINGS_MODULE=horilla.settings``,
   ``bulk_create``) from that shape, one for one: every person an ``Employee`` (a ``User``,
   ``EmployeeWorkInformation`` with the same reporting manager, the team as
   ``Department``); ampwork's admin a horilla superuser; every objective an ``Objective``
   (assignee: its owner, manager: the owner's manager) with one ``EmployeeObjective``; a
   team objective is assigned to the team's lead (horilla has no team objectives nor
   alignment, so the links are not carried over); every key result an
   ``EmployeeKeyResult`` (of one of three ``KeyResult`` templates, "Metric 1" to "Metric
   3", as ampwork's generator names them); every check-in a progress update, i.e. a
   historical record of the key result (horilla keeps progress history with
   django-simple-history), after one creation record per key result. Horilla's key
   results only count up from a start value, so each is stored as distance covered:
   start 0, target ``|target − start|``, current ``|current − start|``; its progress is
   then ampwork's. Status ("On Track", "At Risk", "Behind") follows ampwork's pacing rule
   (docs/methods.md) on the same progress; objective progress is the mean of its key
   results, as horilla computes it.
4. One long-lived worker per app and size, each signed in as the admin with Django's test
   ``Client`` (``force_login``), answers timing requests on stdin. Both run the very same
   function (``_serve``, copied into horilla's worker script): ``settings.DEBUG = False``
   (no query log), each GET timed with ``time.perf_counter`` around ``client.get`` and
   ``response.content``, SQL statements counted with ``connection.execute_wrapper``. One
   warm-up request per page, then ``--repeat`` rounds interleaved: in each round every
   size, and within it horilla's pages then ampwork's (the other way round every other
   round), so that a change in the machine's load hits both apps.

Pages (what an admin opens first in each app):

- horilla: the Performance dashboard ``/pms/dashboard-view`` together with the three JSON
  requests its charts make on load (objective, key-result and feedback status), timed as
  one; the objectives list ``/pms/objective-list-view/`` (the "Objectives" menu entry).
- ampwork: the cycle dashboard ``/okrs/cycles/<id>/`` and the alignment tree
  ``/okrs/?cycle=<id>``.

``--src DIR`` times another ampwork source tree (default: the one this script is in).
Results also go to ``WORK/results.json``; the warm-up response of each page is kept in
``WORK/pages/`` to look at. Not a test: numbers go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
REPO = HERE.parent.parent
MARK = "@@BENCH "
ADMIN_USERNAME = "bench-admin"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
HORILLA_PAGES: list[tuple[str, list[tuple[str, dict[str, str]]]]] = [
    (
        "Performance dashboard `/pms/dashboard-view` + its 3 chart requests",
        [
            ("/pms/dashboard-view", {}),
            ("/pms/dashboard-objective-status", AJAX),
            ("/pms/dashbord-key-result-status", AJAX),  # sic: the URL its charts call
            ("/pms/dashboard-feedback-status", AJAX),
        ],
    ),
    ("objectives list `/pms/objective-list-view/`", [("/pms/objective-list-view/", {})]),
]


# ------------------------------------------------------- shared by both apps' workers


def _serve(client: Any, ready: dict[str, Any]) -> None:
    """Answer timing requests: one JSON line in (``{"get": [[path, headers], ...]}``),
    one line out (``@@BENCH`` and JSON). Runs unchanged in ampwork's and horilla's worker."""
    import json
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # no query log on either side
    count = [0]

    def counted(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    print("@@BENCH " + json.dumps(ready), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        if ask.get("quit"):
            break
        out: dict[str, Any] = {"ms": 0.0, "bytes": 0, "queries": 0, "status": 200, "parts": []}
        for i, (path, headers) in enumerate(ask["get"]):
            count[0] = 0
            with connection.execute_wrapper(counted):
                t0 = time.perf_counter()
                response = client.get(path, **headers)
                body = response.content
                ms = (time.perf_counter() - t0) * 1000
            part = {
                "path": path,
                "ms": ms,
                "bytes": len(body),
                "queries": count[0],
                "status": response.status_code,
            }
            if ask.get("save"):  # keep what was served, to look at
                with open(f"{ask['save']}-{i}.html", "wb") as f:
                    f.write(body)
            out["parts"].append(part)
            out["ms"] += ms
            out["bytes"] += len(body)
            out["queries"] += count[0]
            if response.status_code != 200:
                out["status"] = response.status_code
        print("@@BENCH " + json.dumps(out), flush=True)


# ------------------------------------------------------- horilla's side (its own Python)


def _horilla_generate(shape_path: str) -> None:
    """Fill horilla's database from the shape ampwork's generator built (bulk_create)."""
    import datetime as dt
    import json
    import time
    import uuid

    from base.models import Department
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone
    from employee.models import Employee, EmployeeWorkInformation
    from pms.models import EmployeeKeyResult, EmployeeObjective, KeyResult, Objective

    t0 = time.perf_counter()
    with open(shape_path, encoding="utf-8") as f:
        shape = json.load(f)
    start = dt.date.fromisoformat(shape["start"])
    end = dt.date.fromisoformat(shape["end"])
    today = dt.date.fromisoformat(shape["today"])
    expected = min(1.0, max(0.0, (today - start).days / max(1, (end - start).days)))

    def status(progress: float) -> str:  # ampwork's pacing rule (docs/methods.md)
        if progress >= expected - 0.10:
            return "On Track"
        return "At Risk" if progress >= expected - 0.25 else "Behind"

    def noon(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))

    with transaction.atomic():
        people = shape["people"]
        admin = shape["admin"]
        by_id = {p["id"]: p for p in people}
        admin_user = User.objects.create_superuser(
            username=shape["admin_username"],
            email=by_id[admin]["email"],
            password=shape["admin_password"],
        )
        User.objects.create_user(username="Horilla Bot", password=str(uuid.uuid4()))
        departments = Department.objects.bulk_create(
            [Department(department=t["name"][:50]) for t in shape["teams"]], batch_size=2000
        )
        department_of = {t["id"]: d.pk for t, d in zip(shape["teams"], departments, strict=True)}
        unusable = make_password(None)
        others = [p for p in people if p["id"] != admin]
        users = User.objects.bulk_create(
            [User(username=p["email"], email=p["email"], password=unusable) for p in others],
            batch_size=2000,
        )
        user_of = {p["id"]: u.pk for p, u in zip(others, users, strict=True)}
        user_of[admin] = admin_user.pk
        order = [by_id[admin], *others]

        def names(p: dict) -> tuple[str, str]:
            first, _, last = p["name"].partition(" ")
            return first, last

        employees = Employee.objects.bulk_create(
            [
                Employee(
                    employee_user_id_id=user_of[p["id"]],
                    employee_first_name=names(p)[0],
                    employee_last_name=names(p)[1],
                    email=p["email"],
                    phone="0000000000",
                )
                for p in order
            ],
            batch_size=2000,
        )
        employee_of = {p["id"]: e.pk for p, e in zip(order, employees, strict=True)}
        EmployeeWorkInformation.objects.bulk_create(
            [
                EmployeeWorkInformation(
                    employee_id_id=employee_of[p["id"]],
                    department_id_id=department_of.get(p["team"]),
                    reporting_manager_id_id=employee_of.get(p["manager"]),
                    email=p["email"],
                    date_joining=start,
                )
                for p in order
            ],
            batch_size=2000,
        )
        templates = KeyResult.objects.bulk_create(
            [
                KeyResult(
                    title=f"Metric {k + 1}",
                    description=f"Metric {k + 1}",
                    progress_type="#",
                    target_value=100,
                    duration=(end - start).days,
                )
                for k in range(3)
            ]
        )
        template_of = {t.title: t.pk for t in templates}
        leads = {int(k): v for k, v in shape["leads"].items()}
        key_results: dict[int, list[dict]] = {}
        for kr in shape["key_results"]:
            key_results.setdefault(kr["objective"], []).append(kr)
        check_ins: dict[int, list[list]] = {}
        for kr_id, value, day in shape["check_ins"]:
            check_ins.setdefault(kr_id, []).append([value, day])

        def owner(o: dict) -> int:
            if o["person"] is not None:
                return o["person"]
            return leads.get(o["team"]) or admin

        objectives = shape["objectives"]
        rows = Objective.objects.bulk_create(
            [
                Objective(
                    title=o["title"][:100],
                    description=o["title"],
                    duration=(end - start).days,
                    duration_unit="days",
                    created_by_id=admin_user.pk,
                )
                for o in objectives
            ],
            batch_size=2000,
        )
        assignees, managers, defaults = [], [], []
        for o, row in zip(objectives, rows, strict=True):
            pid = owner(o)
            assignees.append(
                Objective.assignees.through(objective_id=row.pk, employee_id=employee_of[pid])
            )
            manager = by_id[pid]["manager"]
            if manager is not None:
                managers.append(
                    Objective.managers.through(
                        objective_id=row.pk, employee_id=employee_of[manager]
                    )
                )
            for kr in key_results.get(o["id"], []):
                if kr["title"] in template_of:
                    defaults.append(
                        Objective.key_result_id.through(
                            objective_id=row.pk, keyresult_id=template_of[kr["title"]]
                        )
                    )
        Objective.assignees.through.objects.bulk_create(assignees, batch_size=5000)
        Objective.managers.through.objects.bulk_create(managers, batch_size=5000)
        Objective.key_result_id.through.objects.bulk_create(defaults, batch_size=5000)

        def progress(kr: dict) -> tuple[int, int, float]:
            span = abs(kr["target"] - kr["start"])
            now = kr["current"] if kr["current"] is not None else kr["start"]
            done = min(span, abs(now - kr["start"]))
            return round(done), round(span), (done / span if span else 0.0)

        employee_objectives = []
        for o, row in zip(objectives, rows, strict=True):
            shares = [progress(kr)[2] for kr in key_results.get(o["id"], [])]
            mean = sum(shares) / len(shares) if shares else 0.0
            employee_objectives.append(
                EmployeeObjective(
                    objective=o["title"][:100],
                    objective_description=o["title"],
                    objective_id_id=row.pk,
                    employee_id_id=employee_of[owner(o)],
                    start_date=start,
                    end_date=end,
                    status=status(mean),
                    progress_percentage=int(sum(int(s * 100) for s in shares) / len(shares))
                    if shares
                    else 0,
                )
            )
        employee_objectives = EmployeeObjective.objects.bulk_create(
            employee_objectives, batch_size=2000
        )
        links, krs, sources = [], [], []
        for o, eo in zip(objectives, employee_objectives, strict=True):
            for kr in key_results.get(o["id"], []):
                template = template_of.get(kr["title"], templates[0].pk)
                links.append(
                    EmployeeObjective.key_result_id.through(
                        employeeobjective_id=eo.pk, keyresult_id=template
                    )
                )
                done, span, share = progress(kr)
                krs.append(
                    EmployeeKeyResult(
                        key_result=kr["title"][:60],
                        employee_objective_id_id=eo.pk,
                        key_result_id_id=template,
                        progress_type="#",
                        status=status(share),
                        start_value=0,
                        current_value=done,
                        target_value=span,
                        start_date=start,
                        end_date=end,
                        progress_percentage=int(share * 100),
                    )
                )
                sources.append((kr, user_of[owner(o)]))
        EmployeeObjective.key_result_id.through.objects.bulk_create(links, batch_size=5000)
        krs = EmployeeKeyResult.objects.bulk_create(krs, batch_size=5000)
        History = EmployeeKeyResult.history.model
        fields = [f.attname for f in EmployeeKeyResult._meta.concrete_fields]
        batch: list = []
        updates = 0
        for row, (kr, user_id) in zip(krs, sources, strict=True):
            base = {name: getattr(row, name) for name in fields}
            span = abs(kr["target"] - kr["start"])
            steps = [(0.0, start, "+")] + [
                (abs(v - kr["start"]), dt.date.fromisoformat(d), "~")
                for v, d in check_ins.get(kr["id"], [])
            ]
            for done, day, kind in steps:
                done = min(span, done)
                share = done / span if span else 0.0
                record = dict(base)
                record.update(
                    current_value=round(done),
                    progress_percentage=int(share * 100),
                    status=status(share) if kind == "~" else "Not Started",
                    updated_at=day,
                )
                batch.append(
                    History(
                        **record,
                        history_date=noon(day),
                        history_type=kind,
                        history_user_id=user_id,
                    )
                )
                updates += kind == "~"
            if len(batch) >= 20_000:
                History.objects.bulk_create(batch, batch_size=5000)
                batch = []
        History.objects.bulk_create(batch, batch_size=5000)
    print(
        "@@BENCH "
        + json.dumps(
            {
                "seconds": time.perf_counter() - t0,
                "employees": len(employees),
                "objectives": len(rows),
                "key_results": len(krs),
                "updates": updates,
            }
        ),
        flush=True,
    )


def _horilla_serve() -> None:
    """Sign in as the admin and answer timing requests (``_serve``)."""
    from django.contrib.auth.models import User
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client
    from employee.models import Employee
    from pms.models import EmployeeKeyResult, EmployeeObjective, Objective

    # as Django's test runner does: keep one connection across requests
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=ADMIN_USERNAME))
    ready = {
        "counts": {
            "employees": Employee.objects.count(),
            "objectives": EmployeeObjective.objects.count(),
            "templates": Objective.objects.count(),
            "key_results": EmployeeKeyResult.objects.count(),
            "updates": EmployeeKeyResult.history.filter(history_type="~").count(),
        }
    }
    _serve(client, ready)


def _horilla_worker_source() -> str:
    """The script run with horilla's Python: ``generate SHAPE`` or ``serve``."""
    parts = [
        '"""Written by ampwork\'s benchmarks/horilla.py; run with horilla\'s own Python."""',
        "import os",
        "import sys",
        "",
        'sys.path.insert(0, os.environ["HORILLA_DIR"])',
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "horilla.settings")',
        "import django  # noqa: E402",
        "",
        "django.setup()",
        f"ADMIN_USERNAME = {ADMIN_USERNAME!r}",
        "Any = object",
        "",
        inspect.getsource(_serve),
        inspect.getsource(_horilla_generate),
        inspect.getsource(_horilla_serve),
        'if sys.argv[1] == "generate":',
        "    _horilla_generate(sys.argv[2])",
        "else:",
        "    _horilla_serve()",
        "",
    ]
    return "\n".join(parts)


# ------------------------------------------------------- ampwork's side


def ampwork_worker(people: int, shape_path: str | None) -> None:
    """Build the organisation, write its shape for horilla, then answer timing requests."""
    sys.path.insert(0, str(HERE.parent))
    from _common import setup_django

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from ampwork.core.models import Person, Team, TeamMembership
    from ampwork.demo.services import generate
    from ampwork.okrs.generate import generate_okrs
    from ampwork.okrs.models import CheckIn, KeyResult, Objective

    t0 = time.perf_counter()
    result = generate(people=people, slug=f"horilla-bench-{people}")
    org = result.organisation
    cycle = generate_okrs(org)
    build_s = time.perf_counter() - t0
    admin = Person.objects.get(organisation=org, email=result.admin_email)
    objectives = Objective.objects.filter(cycle=cycle)
    key_results = KeyResult.objects.filter(objective__cycle=cycle)
    check_ins = CheckIn.objects.filter(key_result__objective__cycle=cycle)
    counts = {
        "people": Person.objects.filter(organisation=org).count(),
        "objectives": objectives.count(),
        "key_results": key_results.count(),
        "check_ins": check_ins.count(),
    }
    if shape_path:
        team_of: dict[int, int] = {}
        leads: dict[int, int] = {}
        for pid, tid, role in TeamMembership.objects.filter(organisation=org).values_list(
            "person_id", "team_id", "role"
        ):
            if role == TeamMembership.Role.LEAD:
                leads[tid] = pid
                team_of.setdefault(pid, tid)
            else:
                team_of[pid] = tid
        shape = {
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
            "today": timezone.localdate().isoformat(),
            "admin": admin.pk,
            "admin_username": ADMIN_USERNAME,
            "admin_password": result.admin_password,
            "people": [
                {"id": pid, "name": name, "email": email, "manager": manager, "team": None}
                for pid, name, email, manager in Person.objects.filter(
                    organisation=org, active=True
                ).values_list("id", "name", "email", "manager_id")
            ],
            "teams": [
                {"id": tid, "name": name}
                for tid, name in Team.objects.filter(organisation=org).values_list("id", "name")
            ],
            "leads": leads,
            "objectives": [
                {"id": oid, "title": title, "person": person, "team": team}
                for oid, title, person, team in objectives.order_by("id").values_list(
                    "id", "title", "owner_person_id", "owner_team_id"
                )
            ],
            "key_results": [
                {"id": k, "objective": o, "title": t, "start": s, "target": g, "current": c}
                for k, o, t, s, g, c in key_results.order_by(
                    "objective_id", "position"
                ).values_list("id", "objective_id", "title", "start", "target", "current")
            ],
            "check_ins": [
                [k, v, d.isoformat()]
                for k, v, d in check_ins.order_by("key_result_id", "date").values_list(
                    "key_result_id", "value", "date"
                )
            ],
        }
        for p in shape["people"]:
            p["team"] = team_of.get(p["id"])
        Path(shape_path).write_text(json.dumps(shape), encoding="utf-8")
    client = Client(raise_request_exception=False)
    client.force_login(admin.user)  # type: ignore[arg-type]
    ready = {
        "build_s": build_s,
        "vendor": connection.vendor,
        "counts": counts,
        "pages": [
            ("cycle dashboard `/okrs/cycles/{id}/`", [[f"/okrs/cycles/{cycle.pk}/", {}]]),
            ("alignment tree `/okrs/?cycle={id}`", [[f"/okrs/?cycle={cycle.pk}", {}]]),
        ],
    }
    _serve(client, ready)


# ------------------------------------------------------- the run


class Worker:
    """A child process speaking ``_serve``'s protocol; its stderr goes to a log file."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], cwd: Path, log: Path):
        self.name, self.log = name, log
        with log.open("w") as f:
            self.process = subprocess.Popen(
                cmd,
                env=env,
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=f,
                text=True,
                bufsize=1,
            )

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{self.name} stopped; the end of {self.log}:\n{tail}")
            if line.startswith(MARK):
                return json.loads(line[len(MARK) :])

    def ask(self, gets: list[Any], save: str = "") -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"get": gets, "save": save}) + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(json.dumps({"quit": True}) + "\n")
                self.process.stdin.close()
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


def horilla_env(args: argparse.Namespace, work: Path, database: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONHOME"}
        and not k.startswith("AMPWORK_")
    }
    env.update(
        HORILLA_DIR=str(work / "horilla"),
        DJANGO_SETTINGS_MODULE="horilla.settings",
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="True",  # its default; False would also turn on its HTTPS redirects
        PYTHONUNBUFFERED="1",
    )
    return env


def run(cmd: list[str], log: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    with log.open("a") as f:
        f.write(f"$ {' '.join(cmd)}\n")
        f.flush()
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, text=True, **kw)


def setup(args: argparse.Namespace, work: Path, steps: dict[str, float]) -> list[str]:
    """Venv, requirements, a copy of the checkout, migrations. Returns what was skipped."""
    venv = Path(args.venv)
    log = work / "setup.log"
    skipped: list[str] = []
    t = time.perf_counter()
    if not (venv / "bin" / "python").exists():
        subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    requirements = Path(args.horilla) / "requirements.txt"
    print(f"pip install -r {requirements} (log: {log})", flush=True)
    if run([*pip, "-r", str(requirements)], log).returncode != 0:
        for line in requirements.read_text().splitlines():
            name = line.split("#")[0].strip()
            if name and run([*pip, name], log).returncode != 0:
                skipped.append(name)
    steps["venv and requirements"] = time.perf_counter() - t
    t = time.perf_counter()
    copy = work / "horilla"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(
        args.horilla,
        copy,
        ignore=shutil.ignore_patterns(".git", "node_modules", "__pycache__", "*.sqlite3", ".env"),
    )
    steps["copy of the checkout"] = time.perf_counter() - t
    t = time.perf_counter()
    empty = work / "empty.sqlite3"
    empty.unlink(missing_ok=True)
    env = horilla_env(args, work, empty)
    python = str(venv / "bin" / "python")
    for cmd in (["makemigrations"], ["migrate", "--noinput"]):
        if run([python, "manage.py", *cmd], log, env=env, cwd=copy).returncode != 0:
            raise SystemExit(f"horilla's manage.py {cmd[0]} failed: see {log}")
    steps["makemigrations and migrate"] = time.perf_counter() - t
    (work / "setup.json").write_text(json.dumps({"skipped": skipped, "steps": steps}))
    return skipped


def fmt_ms(values: list[float]) -> str:
    """Median, and the range over the rounds."""
    if not values:
        return "—"
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--horilla", help="path to a horilla checkout")
    parser.add_argument("--venv", default="/tmp/horilla-venv")
    parser.add_argument("--work", default="/tmp/horilla-bench")
    parser.add_argument("--employees", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-setup", action="store_true", help="reuse venv, copy, data")
    parser.add_argument("--src", default=str(REPO), help="ampwork source tree to time")
    parser.add_argument("--python", default=sys.executable, help="Python for horilla's venv")
    parser.add_argument("--horilla-commit", default="", help="shown in the report")
    parser.add_argument("--ampwork-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--shape", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ampwork_worker:
        ampwork_worker(args.ampwork_worker, args.shape)
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    (work / "logs").mkdir(exist_ok=True)
    steps: dict[str, float] = {}
    started = time.perf_counter()
    if args.skip_setup:
        if not (work / "empty.sqlite3").exists():
            raise SystemExit(f"--skip-setup: no earlier set-up in {work}")
        skipped = json.loads((work / "setup.json").read_text()).get("skipped", [])
    else:
        if not args.horilla or not (Path(args.horilla) / "pms" / "models.py").exists():
            raise SystemExit("--horilla PATH: a checkout of horilla (with pms/models.py)")
        skipped = setup(args, work, steps)
        for size in args.employees:
            (work / f"horilla-{size}.sqlite3").unlink(missing_ok=True)
    commit = args.horilla_commit
    if not commit and args.horilla:
        probe = subprocess.run(
            ["git", "-C", args.horilla, "rev-parse", "HEAD"], capture_output=True, text=True
        )
        commit = probe.stdout.strip() if probe.returncode == 0 else ""
    if args.skip_setup:
        commit = commit or json.loads((work / "setup.json").read_text()).get("commit", "")
    else:
        state = json.loads((work / "setup.json").read_text())
        (work / "setup.json").write_text(json.dumps(dict(state, commit=commit)))
    commit = commit or "(commit unknown: pass --horilla-commit)"
    script = work / "horilla_worker.py"
    script.write_text(_horilla_worker_source(), encoding="utf-8")
    python = str(Path(args.venv) / "bin" / "python")
    ampwork_env = dict(os.environ)
    ampwork_env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(args.src) / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    workers: dict[tuple[str, int], Worker] = {}
    ready: dict[tuple[str, int], dict[str, Any]] = {}
    try:
        for size in args.employees:
            database = work / f"horilla-{size}.sqlite3"
            shape = work / f"shape-{size}.json"
            data_dir = work / f"ampwork-{size}"
            shutil.rmtree(data_dir, ignore_errors=True)
            data_dir.mkdir()
            env = dict(ampwork_env, AMPWORK_DATA_DIR=str(data_dir))
            env.pop("AMPWORK_DATABASE_URL", None)
            cmd = [sys.executable, str(HERE), "--ampwork-worker", str(size)]
            if not database.exists():
                cmd += ["--shape", str(shape)]
            print(f"ampwork: building {size:,} people …", flush=True)
            t = time.perf_counter()
            worker = Worker(
                f"ampwork-{size}", cmd, env, REPO, work / "logs" / f"ampwork-{size}.log"
            )
            workers["ampwork", size] = worker
            ready["ampwork", size] = worker.read()
            steps[f"ampwork {size:,}: build"] = time.perf_counter() - t
            if not database.exists():
                print(f"horilla: generating {size:,} employees …", flush=True)
                t = time.perf_counter()
                partial = work / f"horilla-{size}.partial.sqlite3"
                shutil.copyfile(work / "empty.sqlite3", partial)
                log = work / "logs" / f"horilla-generate-{size}.log"
                gen = Worker(
                    f"horilla-generate-{size}",
                    [python, str(script), "generate", str(shape)],
                    horilla_env(args, work, partial),
                    work / "horilla",
                    log,
                )
                made = gen.read()
                gen.process.wait()
                partial.rename(database)
                steps[f"horilla {size:,}: generate"] = time.perf_counter() - t
                print(f"  {made}", flush=True)
            t = time.perf_counter()
            worker = Worker(
                f"horilla-{size}",
                [python, str(script), "serve"],
                horilla_env(args, work, database),
                work / "horilla",
                work / "logs" / f"horilla-{size}.log",
            )
            workers["horilla", size] = worker
            ready["horilla", size] = worker.read()
            steps[f"horilla {size:,}: start"] = time.perf_counter() - t
        pages: dict[str, list[tuple[str, list[Any]]]] = {
            "horilla": [(n, [list(g) for g in gets]) for n, gets in HORILLA_PAGES],
            "ampwork": [(n, g) for n, g in ready["ampwork", args.employees[0]]["pages"]],
        }
        per_size = {
            size: {n: g for n, g in ready["ampwork", size]["pages"]} for size in args.employees
        }
        results: dict[tuple[str, str, int], dict[str, Any]] = {}

        def ask(app: str, name: str, size: int, save: str = "") -> dict[str, Any]:
            gets = per_size[size][name] if app == "ampwork" else dict(pages["horilla"])[name]
            return workers[app, size].ask(gets, save)

        (work / "pages").mkdir(exist_ok=True)

        print("warming up …", flush=True)
        for size in args.employees:
            for app in ("horilla", "ampwork"):
                for n, (name, _) in enumerate(pages[app]):
                    first = ask(app, name, size, str(work / "pages" / f"{app}-{size}-{n}"))
                    results[app, name, size] = {"first": first, "ms": [], "last": first}
        for r in range(args.repeat):
            print(f"round {r + 1} of {args.repeat}", flush=True)
            for size in args.employees:
                order = ("horilla", "ampwork") if r % 2 == 0 else ("ampwork", "horilla")
                for app in order:
                    for name, _ in pages[app]:
                        answer = ask(app, name, size)
                        results[app, name, size]["ms"].append(answer["ms"])
                        results[app, name, size]["last"] = answer
    finally:
        for worker in workers.values():
            worker.close()
    total = time.perf_counter() - started
    report(args, results, pages, ready, steps, skipped, commit, total)
    (work / "results.json").write_text(
        json.dumps(
            {
                "commit": commit,
                "steps": steps,
                "ready": {f"{a} {s}": v for (a, s), v in ready.items()},
                "results": [
                    {"app": a, "page": n, "size": s, **v} for (a, n, s), v in results.items()
                ],
            },
            indent=1,
        )
    )


def report(
    args: argparse.Namespace,
    results: dict[tuple[str, str, int], dict[str, Any]],
    pages: dict[str, list[tuple[str, list[Any]]]],
    ready: dict[tuple[str, int], dict[str, Any]],
    steps: dict[str, float],
    skipped: list[str],
    commit: str,
    total: float,
) -> None:
    sizes = args.employees
    print()
    print(f"horilla {commit}; ampwork {args.src}; {dt.date.today()}; medians of {args.repeat}")
    print()
    head = ["app", "page"]
    head += [f"ms at {s:,} (range)" for s in sizes]
    head += [f"KB at {s:,}" for s in sizes]
    head += [f"SQL queries at {s:,}" for s in sizes]
    head += [f"first ms at {s:,}" for s in sizes]
    print("| " + " | ".join(head) + " |")
    print("| --- | --- |" + " ---: |" * (len(head) - 2))
    problems = []
    for app in ("horilla", "ampwork"):
        for name, _ in pages[app]:
            cells = [app, name]
            rows = [results[app, name, s] for s in sizes]
            cells += [fmt_ms(r["ms"]) for r in rows]
            cells += [f"{r['last']['bytes'] / 1024:,.0f}" for r in rows]
            cells += [f"{r['last']['queries']:,}" for r in rows]
            cells += [f"{r['first']['ms']:,.0f}" for r in rows]
            print("| " + " | ".join(cells) + " |")
            for s, r in zip(sizes, rows, strict=True):
                for part in r["last"]["parts"] + r["first"]["parts"]:
                    if part["status"] != 200:
                        problems.append(f"{app} {part['path']} at {s:,}: HTTP {part['status']}")
    print()
    for app in ("horilla", "ampwork"):
        for name, gets in pages[app]:
            if len(gets) < 2:
                continue
            for s in sizes:
                parts = results[app, name, s]["last"]["parts"]
                print(
                    f"{app} at {s:,}, the parts of the last request: "
                    + "; ".join(
                        f"{p['path']} {p['ms']:,.0f} ms, {p['bytes'] / 1024:,.0f} KB, "
                        f"{p['queries']:,} queries"
                        for p in parts
                    )
                )
    print("HTTP status: " + ("; ".join(sorted(set(problems))) or "every request 200"))
    for s in sizes:
        print(f"data at {s:,}: ampwork {ready['ampwork', s]['counts']}")
        print(f"data at {s:,}: horilla {ready['horilla', s]['counts']}")
    print("steps: " + ", ".join(f"{k} {v:.0f} s" for k, v in steps.items()))
    print(f"whole run: {total / 60:.1f} min")
    if skipped:
        print("requirements not installed: " + ", ".join(skipped))


if __name__ == "__main__":
    main()
