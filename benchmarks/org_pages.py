"""Every organisation-wide page at two sizes, over HTTP from a real server (issue 24).

    python benchmarks/org_pages.py --sizes 500 10000 --rounds 10
    python benchmarks/org_pages.py --src /tmp/ampwork-base --rounds 5   # another source tree
    python benchmarks/org_pages.py --server gunicorn --throughput --clients 10 50

For each size, a subprocess (this script's ``--build`` mode) builds one organisation in its
own throwaway data directory with ampwork's own generators: ``generate`` (people, teams),
``generate_okrs`` (2 objectives × 3 key results × 6 check-ins a person), twelve weeks of
weekly reviews (as ``advisor.py``), one closed pulse round answered by about 85% of people,
and two years of pay for everyone (bands, market data, a planted gap and 1% of people paid
well below their peers, then a pay audit, as ``fairness/demo.py`` does for the demo). It
sets passwords for the admin, a team lead two levels down and a member of that lead's team,
and an API token for the admin. Then each organisation is served by its own server process
(``ampwork serve --no-collect``: waitress, 8 threads; or gunicorn with 2 workers × 4
threads), the three people sign in through the sign-in form, and each page is requested
once to warm up and then ``--rounds`` times, interleaved across the sizes (round 1: page 1
at each size, page 2 at each size, …) so that a change in the machine's load hits both.

Peak memory per page (largest size only): before each timed request the script writes
``5`` to ``/proc/PID/clear_refs`` of every server process (which resets the kernel's
high-water mark ``VmHWM`` to the current resident size) and reads ``VmRSS``; after the
request it reads ``VmHWM``. The increase is ``VmHWM − VmRSS before``, the largest over the
rounds (and over gunicorn's workers). Memory a request frees and the allocator keeps is
not counted again by the next request: the number is what the page needs above what the
process already holds.

``--throughput`` then puts a bounded mixed load on the largest size's server from a pool
of client threads (``requests``, one session per client, signed in as the member or the
lead): 45% member ``/``, 20% lead ``/``, 20% member ``/okrs/check-in/``, 15% check-ins
POSTed by the member through the check-in form's own row endpoint (htmx). A plain thread
pool rather than locust: locust would add gevent and a dozen packages for what is here a
closed loop of a few page kinds, and its greenlets would share the same two cores anyway.
Every client waits for its answer before the next request (a closed loop: the numbers are
what N people clicking without pause get). Only 127.0.0.1 is ever contacted.

SQLite by default (``AMPWORK_DATA_DIR`` per size, under ``--work`` or a new directory in
/tmp); with ``AMPWORK_DATABASE_URL`` set, one PostgreSQL database per size, the URL's
database name suffixed with ``_orgN`` (dropped and created, so the role needs CREATEDB).
``--work DIR`` keeps the data; run again with the same ``--work`` and it is reused (each
size's ``info.json`` marks a finished build; the server migrates it first).

Not a test: numbers go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve()
HOST = "127.0.0.1"
LEAD_PASSWORD = "bench-lead-password"
MEMBER_PASSWORD = "bench-member-password"


# ---------------------------------------------------------------- build (in a subprocess)


def build(people: int, info_path: Path) -> None:
    """Build one organisation in the database the environment names; write info.json."""
    steps: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str, t0: float) -> float:
        steps[name] = round(time.perf_counter() - t0, 1)
        print(f"  [{people}] {name}: {steps[name]:.1f} s", flush=True)
        return time.perf_counter()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ampwork.settings")
    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    t = step("migrate", t)

    from django.db import connection

    from ampwork.core import selectors as core_selectors
    from ampwork.core.models import Person, TeamMembership, User
    from ampwork.core.permissions import Actor
    from ampwork.core.services import create_token
    from ampwork.demo.services import generate
    from ampwork.fairness.generate import generate_pay
    from ampwork.mastery.generate import generate_reviews
    from ampwork.mastery.models import Review
    from ampwork.okrs.generate import generate_okrs
    from ampwork.okrs.models import KeyResult, Objective
    from ampwork.pulse.generate import generate_round

    result = generate(people=people, slug=f"org-{people}")
    org = result.organisation
    t = step("people and teams (generate)", t)
    cycle = generate_okrs(
        org, objectives_per_person=2, key_results_per_objective=3, check_ins_per_key_result=6
    )
    t = step("OKRs (generate_okrs 2 × 3 × 6)", t)
    generate_reviews(org, weeks=12)
    t = step("weekly reviews (12 weeks)", t)
    round_id = generate_round(org).pk
    t = step("pulse round (closed, ~85% answered)", t)
    flagged_planted = generate_pay(org)
    t = step("pay records", t)
    from ampwork.fairness import services as fairness_services

    run = fairness_services.run_audit(actor=Actor.system(org))
    t = step("pay audit (run_audit)", t)

    # sign-ins: the admin (generate's password), a lead two levels down, one of their members
    lead_row = (
        TeamMembership.objects.filter(
            organisation=org, role="lead", team__parent__parent__isnull=False
        )
        .select_related("person", "team")
        .order_by("id")
        .first()
    )
    assert lead_row is not None
    member_row = (
        TeamMembership.objects.filter(team=lead_row.team, role="member")
        .select_related("person")
        .order_by("id")
        .first()
    )
    assert member_row is not None
    for person, password in (
        (lead_row.person, LEAD_PASSWORD),
        (member_row.person, MEMBER_PASSWORD),
    ):
        person.user = User.objects.create_user(email=person.email, password=password)
        person.save(update_fields=["user"])
    admin_user = User.objects.get(email__iexact=result.admin_email)
    admin_actor = core_selectors.actor_for(admin_user, org)
    assert admin_actor is not None
    _, token = create_token(actor=admin_actor, name="org_pages benchmark")
    key_results = list(
        KeyResult.objects.filter(
            objective__owner_person=member_row.person, kind=KeyResult.Kind.NUMERIC
        ).values_list("id", "start", "target")
    )
    step("sign-ins and token", t)
    steps["total"] = round(time.perf_counter() - started, 1)
    counts = {
        "people": Person.objects.filter(organisation=org).count(),
        "teams": result.teams,
        "objectives": Objective.objects.filter(cycle=cycle).count(),
        "key results": KeyResult.objects.filter(objective__cycle=cycle).count(),
        "reviews": Review.objects.filter(organisation=org).count(),
        "audit": run.status,
        "planted low pay": flagged_planted,
    }
    import ampwork

    info = {
        "source": str(Path(ampwork.__file__).resolve().parents[1]),
        "people": people,
        "vendor": connection.vendor,
        "steps": steps,
        "counts": counts,
        "admin": [result.admin_email, result.admin_password],
        "lead": [lead_row.person.email, LEAD_PASSWORD],
        "member": [member_row.person.email, MEMBER_PASSWORD],
        "token": token,
        "cycle": cycle.pk,
        "round": round_id,
        "member_key_results": key_results,
    }
    info_path.write_text(json.dumps(info, indent=1), encoding="utf-8")


# ---------------------------------------------------------------- orchestration


@dataclass
class Org:
    size: int
    data_dir: Path
    env: dict[str, str]
    info: dict[str, Any] = field(default_factory=dict)
    build_seconds: float = 0.0
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    log: Path | None = None
    start_seconds: float = 0.0
    idle_rss_kb: int = 0
    sessions: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"


def _database_url(size: int) -> str | None:
    url = os.environ.get("AMPWORK_DATABASE_URL")
    if not url:
        return None
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "ampwork"
    return urlunsplit(parts._replace(path=f"/{name}_org{size}"))


def _create_database(url: str) -> None:
    """Drop and create the database a URL names (PostgreSQL), from its server's postgres db."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _env(src: Path | None, data_dir: Path, size: int) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(src / "src")] if src else []
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["AMPWORK_DATA_DIR"] = str(data_dir)
    env["AMPWORK_LOG_LEVEL"] = env.get("AMPWORK_LOG_LEVEL", "WARNING")
    url = _database_url(size)
    if url:
        env["AMPWORK_DATABASE_URL"] = url
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _proc_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _server_pids(pid: int) -> list[int]:
    """The server process and its descendants (gunicorn's workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return out


def _rss_kb(org: Org) -> int:
    """Resident memory of the server's processes, in KiB."""
    assert org.process is not None
    return sum(_proc_kb(pid, "VmRSS") for pid in _server_pids(org.process.pid))


def _start_server(org: Org, server: str, log_dir: Path) -> None:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ampwork", "migrate", "--verbosity", "0"],
        env=org.env,
        cwd=org.data_dir,
        check=True,
    )
    org.port = _free_port()
    org.log = log_dir / f"server-{org.size}.log"
    if server == "gunicorn":
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "ampwork.wsgi",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"{HOST}:{org.port}",
            "--timeout",
            "600",
        ]
    else:
        cmd = [
            sys.executable,
            "-m",
            "ampwork",
            "serve",
            "--host",
            HOST,
            "--port",
            str(org.port),
            "--no-collect",
        ]
    with org.log.open("wb") as log:
        org.process = subprocess.Popen(
            cmd, env=org.env, cwd=org.data_dir, stdout=log, stderr=subprocess.STDOUT
        )
    import requests

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if org.process.poll() is not None:
            raise SystemExit(f"server for {org.size} exited; see {org.log}")
        try:
            if requests.get(org.base + "/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.3)
    else:
        raise SystemExit(f"server for {org.size} did not answer in 180 s; see {org.log}")
    org.start_seconds = time.perf_counter() - t0


def _sign_in(org: Org, who: str) -> Any:
    import requests

    email, password = org.info[who]
    session = requests.Session()
    page = session.get(org.base + "/sign-in/", timeout=60)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, "no CSRF token on the sign-in page"
    answer = session.post(
        org.base + "/sign-in/",
        data={"csrfmiddlewaretoken": match.group(1), "login": email, "password": password},
        headers={"Referer": org.base + "/sign-in/"},
        timeout=600,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"{who} could not sign in at {org.size} (HTTP {answer.status_code})")
    return session


@dataclass
class Page:
    who: str
    label: str
    path: str  # may hold {cycle} and {round}
    api: bool = False


PAGES = [
    Page("admin", "fairness overview", "/fairness/"),
    Page("admin", "home (admin)", "/"),
    Page("lead", "home (lead)", "/"),
    Page("member", "home (member)", "/"),
    Page("admin", "pulse results", "/pulse/rounds/{round}/"),
    Page("admin", "advisor", "/advisor/"),
    Page("admin", "OKR alignment tree", "/okrs/?cycle={cycle}"),
    Page("admin", "OKR cycle dashboard", "/okrs/cycles/{cycle}/"),
    Page("member", "weekly check-in", "/okrs/check-in/"),
    Page("admin", "people (first page)", "/people/"),
    Page("admin", "API objectives, first page", "/api/v1/objectives", api=True),
]


@dataclass
class Measure:
    times: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    kb: float = 0.0
    rss_kb: int = 0
    capped: bool = False  # one request over --max-seconds: timed once only


def _request(org: Org, page: Page, rss: bool) -> tuple[float, int, int, int]:
    """(seconds, status, bytes, peak RSS increase in KiB or -1)."""
    session = org.sessions[page.who]
    url = org.base + page.path.format(cycle=org.info["cycle"], round=org.info["round"])
    headers = {"Authorization": f"Bearer {org.info['token']}"} if page.api else {}
    before: dict[int, int] = {}
    pids = _server_pids(org.process.pid) if (rss and org.process) else []
    for pid in pids:
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            before[pid] = _proc_kb(pid, "VmRSS")
        except OSError:
            pass
    import requests

    getter = requests.get if page.api else session.get  # the API: the token alone
    t0 = time.perf_counter()
    answer = getter(url, headers=headers, timeout=900)
    seconds = time.perf_counter() - t0
    grown = max((_proc_kb(pid, "VmHWM") - kb for pid, kb in before.items()), default=-1)
    return seconds, answer.status_code, len(answer.content), grown


def measure(orgs: list[Org], rounds: int, cap: float) -> dict[tuple[str, int], Measure]:
    results = {(p.label, o.size): Measure() for p in PAGES for o in orgs}
    biggest = max(o.size for o in orgs)
    print("\nwarm-up (one request each):", flush=True)
    for page in PAGES:
        for org in orgs:
            seconds, status, size, _ = _request(org, page, rss=False)
            m = results[(page.label, org.size)]
            m.statuses.add(status)
            m.kb = size / 1024
            print(f"  {page.label:<28} {org.size:>6}: {seconds * 1000:>9.0f} ms  HTTP {status}")
            if seconds > cap:
                m.capped, m.times = True, [seconds]
    for r in range(rounds):
        print(f"round {r + 1}/{rounds}", flush=True)
        for page in PAGES:
            for org in orgs:
                m = results[(page.label, org.size)]
                if m.capped:
                    continue
                seconds, status, size, grown = _request(org, page, rss=org.size == biggest)
                m.times.append(seconds)
                m.statuses.add(status)
                m.kb = size / 1024
                m.rss_kb = max(m.rss_kb, grown)
                if seconds > cap:
                    m.capped = True
    return results


def report(orgs: list[Org], results: dict[tuple[str, int], Measure], cap: float) -> None:
    small, big = min(o.size for o in orgs), max(o.size for o in orgs)
    sizes = [o.size for o in orgs]
    print()
    head = ["who", "page"] + [f"ms at {s:,}" for s in sizes]
    head += [f"{big:,} / {small:,}"] + [f"KB at {s:,}" for s in sizes]
    head += ["HTTP", f"peak RSS +MiB at {big:,}"]
    print("| " + " | ".join(head) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in head[2:]) + " |")
    notes = False
    for page in PAGES:
        cells = [page.who, f"{page.label} `{page.path}`"]
        medians = {}
        for s in sizes:
            m = results[(page.label, s)]
            medians[s] = statistics.median(m.times) * 1000 if m.times else float("nan")
            mark = "†" if m.capped and len(m.times) == 1 else ""
            notes = notes or bool(mark)
            cells.append(f"{medians[s]:,.0f}{mark}")
        cells.append(f"{medians[big] / medians[small]:.1f}×" if medians[small] else "")
        cells += [f"{results[(page.label, s)].kb:,.0f}" for s in sizes]
        statuses = sorted({c for s in sizes for c in results[(page.label, s)].statuses})
        bad = [c for c in statuses if c != 200]
        cells.append(", ".join(str(c) for c in statuses) + (" **not 200**" if bad else ""))
        rss = results[(page.label, big)].rss_kb
        cells.append(f"{rss / 1024:,.1f}" if rss >= 0 else "n/a")
        print("| " + " | ".join(cells) + " |")
    if notes:
        print(f"\n† one request only (the warm-up took more than --max-seconds {cap:g} s).")
    print(
        "\nserver RSS in MiB, idle after starting → after the rounds: "
        + ", ".join(
            f"{o.size:,}: {o.idle_rss_kb / 1024:.0f} → {_rss_kb(o) / 1024:.0f}" for o in orgs
        )
    )


# ---------------------------------------------------------------- throughput


def throughput(org: Org, clients: int, duration: float) -> None:
    import requests

    kinds = [("member /", 45), ("lead /", 20), ("member check-in page", 20), ("check-in POST", 15)]
    weights = [w for _, w in kinds]
    key_results = org.info["member_key_results"]
    member_cookies = org.sessions["member"].cookies
    lead_cookies = org.sessions["lead"].cookies
    csrf = member_cookies.get("csrftoken", "")
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {k: [] for k, _ in kinds}
    errors: dict[str, int] = {k: 0 for k, _ in kinds}
    failures: dict[str, int] = {}  # what each error was: a status or an exception
    deadline = time.monotonic() + duration

    def client(n: int) -> None:
        rng = random.Random(n)
        member, lead = requests.Session(), requests.Session()
        member.cookies.update(member_cookies)
        lead.cookies.update(lead_cookies)
        while time.monotonic() < deadline:
            kind = rng.choices([k for k, _ in kinds], weights)[0]
            t0 = time.perf_counter()
            try:
                if kind == "member /":
                    answer = member.get(org.base + "/", timeout=120)
                elif kind == "lead /":
                    answer = lead.get(org.base + "/", timeout=120)
                elif kind == "member check-in page":
                    answer = member.get(org.base + "/okrs/check-in/", timeout=120)
                else:
                    pk, start, target = rng.choice(key_results)
                    value = start + (target - start) * rng.random()
                    answer = member.post(
                        f"{org.base}/okrs/key-results/{pk}/check-in/",
                        data={"value": f"{value:.2f}", "confidence": "6", "note": "bench"},
                        headers={"X-CSRFToken": csrf, "HX-Request": "true"},
                        timeout=120,
                    )
                ok = answer.status_code == 200
                why = f"HTTP {answer.status_code}"
            except requests.RequestException as exc:
                ok = False
                why = type(exc).__name__
            seconds = time.perf_counter() - t0
            with lock:
                latencies[kind].append(seconds)
                if not ok:
                    errors[kind] += 1
                    failures[f"{kind}: {why}"] = failures.get(f"{kind}: {why}", 0) + 1

    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - t0
    every = sorted(x for v in latencies.values() for x in v)

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    done = len(every)
    print(
        f"\n{clients} clients, {duration:g} s at {org.size:,} people: {done} requests in "
        f"{elapsed:.1f} s = {done / elapsed:.1f} req/s; p50 {pct(every, 0.5):,.0f} ms, "
        f"p95 {pct(every, 0.95):,.0f} ms, p99 {pct(every, 0.99):,.0f} ms; "
        f"errors {sum(errors.values())}"
    )
    for kind, _ in kinds:
        values = latencies[kind]
        print(
            f"  {kind:<22} {len(values):>6} requests  p50 {pct(values, 0.5):>7,.0f} ms  "
            f"p95 {pct(values, 0.95):>7,.0f} ms  errors {errors[kind]}"
        )
    for what, count in sorted(failures.items()):
        print(f"  error: {what} × {count}")


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 10_000])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--src", type=Path, help="serve from this source tree (PATH/src)")
    parser.add_argument("--server", choices=["waitress", "gunicorn"], default="waitress")
    parser.add_argument("--work", type=Path, help="keep (and reuse) the data here")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=30,
        help="a page whose request takes longer is timed once only (default 30)",
    )
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--duration", type=float, default=20, help="seconds per load (≤ 60)")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--info", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, args.info)
        return
    if args.server == "gunicorn":
        probe = subprocess.run([sys.executable, "-c", "import gunicorn"], capture_output=True)
        if probe.returncode:
            raise SystemExit(
                "--server gunicorn: gunicorn is not installed here. For measuring only (it is "
                "not an ampwork dependency): pip install gunicorn"
            )
    src = args.src.resolve() if args.src else None
    if src and not (src / "src" / "ampwork").is_dir():
        raise SystemExit(f"--src: no src/ampwork under {src}")
    keep = args.work is not None
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="ampwork-org-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"data in {work} ({'kept' if keep else 'removed at the end'}); "
        f"source: {src or 'as installed / PYTHONPATH'}"
    )
    orgs = []
    for size in sorted(set(args.sizes)):
        data_dir = work / f"size-{size}"
        data_dir.mkdir(exist_ok=True)
        orgs.append(Org(size, data_dir, _env(src, data_dir, size)))
    try:
        run(orgs, args, work)
    finally:
        for org in orgs:
            if org.process and org.process.poll() is None:
                org.process.terminate()
                try:
                    org.process.wait(20)
                except subprocess.TimeoutExpired:
                    org.process.kill()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def run(orgs: list[Org], args: argparse.Namespace, work: Path) -> None:
    # build every size at once, each in its own process and data directory
    started = time.perf_counter()
    builders = []
    for org in orgs:
        info = org.data_dir / "info.json"
        if info.exists():
            print(f"{org.size}: reusing {info}")
            continue
        url = org.env.get("AMPWORK_DATABASE_URL")
        if url:
            _create_database(url)
        cmd = [sys.executable, str(HERE), "--build", str(org.size), "--info", str(info)]
        process = subprocess.Popen(cmd, env=org.env, cwd=org.data_dir)
        builders.append((org, process, time.perf_counter()))
    for org, process, t0 in builders:
        if process.wait():
            raise SystemExit(f"building {org.size} people failed (exit {process.returncode})")
        org.build_seconds = time.perf_counter() - t0
    for org in orgs:
        org.info = json.loads((org.data_dir / "info.json").read_text(encoding="utf-8"))
    if builders:
        print(f"built in {time.perf_counter() - started:.0f} s (wall, sizes in parallel)")
    for org in orgs:
        _start_server(org, args.server, work)
        time.sleep(2)
        org.idle_rss_kb = _rss_kb(org)
        for who in ("admin", "lead", "member"):
            org.sessions[who] = _sign_in(org, who)
    print("\nset-up:")
    for org in orgs:
        steps = ", ".join(f"{k} {v:g} s" for k, v in org.info["steps"].items())
        print(f"  {org.size:>6} people ({org.info['vendor']}, {org.info.get('source')}): {steps}")
        print(f"         counts: {org.info['counts']}")
        print(
            f"         server ({args.server}) migrated and answering in {org.start_seconds:.1f} s"
        )
    results = measure(orgs, args.rounds, args.max_seconds)
    report(orgs, results, args.max_seconds)
    if args.throughput:
        biggest = max(orgs, key=lambda o: o.size)
        for clients in args.clients:
            throughput(biggest, clients, min(60.0, args.duration))


if __name__ == "__main__":
    main()
