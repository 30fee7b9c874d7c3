"""Two organisation-wide reads against their SQL floor, at several sizes in one run: a
closed pulse round's results, and the advisor's snapshot behind the admin's home page and
the advisor page. Each is timed three ways — computed cold (the summaries' cache cleared
first), served from the cache (``core.summaries``), and the floor: the plain SQL that
returns the same numbers, computed inside the database.

    python benchmarks/floors.py --people 2000 10000 --repeat 5 --gc-paused

Per size: ``ampwork generate``'s organisation, a cycle of 2 objectives and 6 key results
per person (6 check-ins each, as ``advisor.py``), twelve weeks of weekly reviews and one
closed pulse round (``pulse.generate.generate_round``: about 85% answer). Uses a throwaway
data directory (SQLite) unless AMPWORK_DATABASE_URL is set. ``--profile DIR`` writes a
cProfile of one cold computation of each read per size; ``--gc-paused`` also times the cold
reads with Python's cyclic garbage collector paused. Not a test: numbers go in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from _common import add_clock_and_reuse, cpu_clock, median_ms, setup_django

# ---------------------------------------------------------------- pulse floor


def scored(code: str, reverse: bool, vendor: str) -> str:
    """One item's answer as a number in SQL, reverse-keyed items turned round."""
    raw = (
        f"CAST(json_extract(answers, '$.{code}') AS REAL)"
        if vendor == "sqlite"
        else f"(answers->>'{code}')::float"
    )
    return f"(6 - {raw})" if reverse else raw


def subscale_means(items: Sequence[Any], vendor: str) -> tuple[list[str], list[str]]:
    """Per subscale: the mean of each respondent's mean over its items (as the results
    compute it: every item of the built-in instrument is answered)."""
    codes: dict[str, list[Any]] = {}
    for item in items:
        codes.setdefault(item.subscale, []).append(item)
    columns = [
        "AVG(("
        + " + ".join(scored(i.code, i.reverse, vendor) for i in group)
        + f") / {float(len(group))})"
        for group in codes.values()
    ]
    return list(codes), columns


def favourable_shares(items: Sequence[Any], vendor: str) -> tuple[list[str], list[str]]:
    """Per subscale: favourable answers (4 or 5, scored) over answers."""
    codes: dict[str, list[Any]] = {}
    for item in items:
        codes.setdefault(item.subscale, []).append(item)
    columns = [
        "AVG(("
        + " + ".join(
            f"CASE WHEN {scored(i.code, i.reverse, vendor)} >= 4 THEN 1.0 ELSE 0.0 END"
            for i in group
        )
        + f") / {float(len(group))})"
        for group in codes.values()
    ]
    return list(codes), columns


# ---------------------------------------------------------------- advisor floor


def advisor_floor_queries(
    org: Any, today: dt.date, vendor: str
) -> list[tuple[str, str, list[Any]]]:
    """The plain SQL aggregates behind the admin's home page and the advisor page: each
    (what, sql, params). Organisation-wide numbers, plus per team what the checklist counts
    teams by (people and recent reviewers)."""
    from ampwork.advisor.data import WINDOW
    from ampwork.advisor.selectors import WINDOW_BEFORE
    from ampwork.mastery.selectors import week_of
    from ampwork.okrs.progress import STALE_DAYS
    from ampwork.pulse import instrument

    week = week_of(today)
    since = week - dt.timedelta(weeks=1)  # the last two weeks, this one included
    window = [
        (week - dt.timedelta(weeks=ago + WINDOW - 1), week - dt.timedelta(weeks=ago))
        for ago in (1, WINDOW_BEFORE)
    ]
    oldest = week - dt.timedelta(weeks=2 * WINDOW + 1)
    active = "TRUE" if vendor == "postgresql" else "1"
    _, favourable = favourable_shares(instrument.items_for(org.is_school), vendor)
    return [
        (
            "people, own purpose, reviewed in two weeks",
            f"SELECT COUNT(*), "
            f"SUM(CASE WHEN EXISTS (SELECT 1 FROM purpose_statement s WHERE s.person_id = p.id) "
            f"THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN EXISTS (SELECT 1 FROM mastery_review r WHERE r.person_id = p.id "
            f"AND r.week >= %s) THEN 1 ELSE 0 END) "
            f"FROM core_person p WHERE p.organisation_id = %s AND p.active = {active}",
            [since, org.pk],
        ),
        (
            "review completion, two four-week windows",
            "SELECT SUM(CASE WHEN r.week BETWEEN %s AND %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN r.week BETWEEN %s AND %s THEN 1 ELSE 0 END) "
            "FROM mastery_review r JOIN core_person p ON p.id = r.person_id "
            f"WHERE r.organisation_id = %s AND r.week >= %s AND p.active = {active}",
            [*window[0], *window[1], org.pk, oldest],
        ),
        (
            "per team: people, reviewed in two weeks, autonomy step granted",
            "SELECT m.team_id, COUNT(*), "
            "SUM(CASE WHEN EXISTS (SELECT 1 FROM mastery_review r WHERE r.person_id = m.person_id "
            "AND r.week >= %s) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN EXISTS (SELECT 1 FROM autonomy_ledgerentry e WHERE e.level > 0 "
            "AND (e.person_id = m.person_id OR e.team_id = m.team_id)) THEN 1 ELSE 0 END) "
            "FROM core_teammembership m JOIN core_person p ON p.id = m.person_id "
            f"WHERE m.organisation_id = %s AND p.active = {active} GROUP BY m.team_id "
            "HAVING SUM(CASE WHEN m.role <> 'lead' THEN 1 ELSE 0 END) > 0",
            [since, org.pk],
        ),
        (
            "open cycle: key results, stale",
            'SELECT COUNT(*), SUM(CASE WHEN kr.clock IS NOT NULL AND c."end" >= %s '
            "AND COALESCE(kr.last_check_in, kr.clock) <= %s THEN 1 ELSE 0 END) "
            "FROM okrs_keyresult kr JOIN okrs_objective o ON o.id = kr.objective_id "
            "JOIN okrs_cycle c ON c.id = o.cycle_id "
            "WHERE o.cycle_id = (SELECT id FROM okrs_cycle WHERE organisation_id = %s "
            "AND status = 'open' AND start <= %s ORDER BY start DESC LIMIT 1) "
            "AND o.status = 'active'",
            [today, today - dt.timedelta(days=STALE_DAYS), org.pk, today],
        ),
        (
            "open cycle: objectives by pacing (stored progress), purpose coverage",
            # expected = elapsed share of the cycle, in SQL: (today - start) / (end - start)
            'SELECT c.start, c."end", '
            "SUM(CASE WHEN o.judged IS NULL THEN 1 ELSE 0 END), "
            "COUNT(o.judged), "
            "SUM(CASE WHEN EXISTS (SELECT 1 FROM purpose_purposelink l "
            "WHERE l.objective_id = o.id) OR EXISTS (SELECT 1 FROM "
            "purpose_impactstory_objectives i WHERE i.objective_id = o.id) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN o.judged >= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN o.judged < %s THEN 1 ELSE 0 END) "
            "FROM okrs_objective o JOIN okrs_cycle c ON c.id = o.cycle_id "
            "WHERE o.cycle_id = (SELECT id FROM okrs_cycle WHERE organisation_id = %s "
            "AND status = 'open' AND start <= %s ORDER BY start DESC LIMIT 1) "
            "AND o.status = 'active' GROUP BY c.start, c.\"end\"",
            # the thresholds are filled in by advisor_floor() once the cycle is known
            [None, None, org.pk, today],
        ),
        (
            "objectives self-set (active owners)",
            "SELECT COUNT(*), SUM(CASE WHEN o.author_id = o.owner_person_id THEN 1 ELSE 0 END) "
            "FROM okrs_objective o JOIN core_person p ON p.id = o.owner_person_id "
            f"WHERE o.organisation_id = %s AND p.active = {active}",
            [org.pk],
        ),
        (
            "autonomy levels: each person's latest own entry per T",
            "SELECT COUNT(*), SUM(e.level) FROM autonomy_ledgerentry e "
            "WHERE e.organisation_id = %s AND e.person_id IS NOT NULL AND e.id = ("
            "SELECT MAX(e2.id) FROM autonomy_ledgerentry e2 "
            "WHERE e2.person_id = e.person_id AND e2.t = e.t)",
            [org.pk],
        ),
        (
            "single facts: skills, projects, ShipIt, purpose, gate, if-then rewards, ticks",
            "SELECT (SELECT COUNT(*) FROM mastery_skill WHERE organisation_id = %s), "
            "(SELECT COUNT(*) FROM autonomy_project WHERE organisation_id = %s), "
            "(SELECT COUNT(*) FROM autonomy_shipitevent WHERE organisation_id = %s "
            "AND ends_at >= %s), "
            "(SELECT MAX(version) FROM purpose_publishedpurpose WHERE organisation_id = %s), "
            "(SELECT COUNT(*) FROM purpose_impactstory WHERE organisation_id = %s "
            "AND created_at >= %s), "
            "(SELECT status FROM fairness_auditrun WHERE organisation_id = %s "
            "ORDER BY run_at DESC LIMIT 1), "
            "(SELECT COUNT(*) FROM advisor_incentive WHERE organisation_id = %s "
            "AND style = 'if_then' AND (objective_id IS NOT NULL OR key_result_id IS NOT NULL)), "
            "(SELECT COUNT(*) FROM advisor_tick WHERE organisation_id = %s)",
            [
                org.pk,
                org.pk,
                org.pk,
                today - dt.timedelta(days=365),
                org.pk,
                org.pk,
                today - dt.timedelta(days=90),
                org.pk,
                org.pk,
                org.pk,
            ],
        ),
        (
            "pulse trend: favourable share per subscale, last four closed rounds",
            f"SELECT round_id, COUNT(*), {', '.join(favourable)} FROM surveys_response "
            "WHERE round_id IN (SELECT id FROM surveys_round WHERE organisation_id = %s "
            "AND status = 'closed' ORDER BY closes DESC, id DESC LIMIT 4) GROUP BY round_id",
            [org.pk],
        ),
    ]


def advisor_floor(org: Any, today: dt.date, vendor: str) -> dict[str, list[tuple[Any, ...]]]:
    from django.db import connection

    from ampwork.okrs.progress import AT_RISK_MARGIN, OFF_TRACK_MARGIN

    out = {}
    with connection.cursor() as cursor:
        for what, sql, params in advisor_floor_queries(org, today, vendor):
            if params[0] is None:  # pacing: expected − margins, from the cycle's dates
                cursor.execute(
                    'SELECT start, "end" FROM okrs_cycle WHERE organisation_id = %s '
                    "AND status = 'open' AND start <= %s ORDER BY start DESC LIMIT 1",
                    [org.pk, today],
                )
                row = cursor.fetchone()
                if row is None:
                    continue
                start, end = (
                    d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in row
                )
                expected = min(1.0, max(0.0, (today - start).days / max(1, (end - start).days)))
                params = [
                    expected - float(AT_RISK_MARGIN),
                    expected - float(OFF_TRACK_MARGIN),
                    *params[2:],
                ]
            cursor.execute(sql, params)
            out[what] = cursor.fetchall()
    return out


def pacing_of(row: tuple[Any, ...]) -> dict[str, int]:
    """On track, at risk, off track from the pacing query's row."""
    _, _, _, judged, _, on, off = row
    return {"on track": on or 0, "at risk": judged - (on or 0) - (off or 0), "off track": off or 0}


# ---------------------------------------------------------------- timing

CLOCK: list[Callable[[], float]] = [time.perf_counter]  # --cpu: _common.cpu_clock


def cold_ms(fn: Callable[[], object], repeat: int, *, clear: bool, paused: bool) -> float:
    """Median ms of ``fn`` with the summaries' cache cleared first (``clear``: as
    tests/conftest.py's ``_fresh_summaries``), and with Python's cyclic garbage collector
    paused while it runs (``paused``, ``--gc-paused``: what ``ampwork.core.perf.gc_paused``
    around the whole read would give; what it leaves is collected before the next run, not
    timed)."""
    from django.core.cache import cache

    times = []
    for _ in range(repeat):
        if clear:
            cache.clear()
        if paused:
            gc.collect()
            gc.disable()
        try:
            started = CLOCK[0]()
            fn()
            times.append(CLOCK[0]() - started)
        finally:
            gc.enable()
    return statistics.median(times) * 1000


def recomputed_ms(fn: Callable[[], object], repeat: int, key: str) -> float:
    """Median time of ``fn`` when only the summary kept at ``key`` is computed again, the
    others it reads kept: what a check-in costs the admin's home (its summary reads every
    app, while a closed round's favourable shares read only the pulse's). The summary is
    dropped rather than its data changed, which a slow summary would answer late
    (``core.summaries.SLOW``)."""
    from django.core.cache import cache

    fn()  # everything computed once
    times = []
    for _ in range(repeat):
        cache.delete(key)
        started = CLOCK[0]()
        fn()
        times.append(CLOCK[0]() - started)
    return statistics.median(times) * 1000


def cached_ms(fn: Callable[[], object], repeat: int) -> float:
    from django.core.cache import cache

    cache.clear()
    fn()  # computes and stores
    return median_ms(fn, repeat, CLOCK[0])


def profile(fn: Callable[[], object], path: Path) -> None:
    from django.core.cache import cache

    cache.clear()
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    profiler.dump_stats(str(path))
    print(f"    profile: {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[2000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write cProfile files into this directory")
    parser.add_argument(
        "--gc-paused",
        action="store_true",
        help="also time the cold reads with Python's cyclic garbage collector paused",
    )
    add_clock_and_reuse(parser)
    parser.add_argument(
        "--only", choices=["pulse", "advisor"], help="time one of the two reads, not both"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.utils import timezone, translation

    from ampwork.advisor import dashboards
    from ampwork.advisor import selectors as advisor_selectors
    from ampwork.advisor.data import gather
    from ampwork.core import summaries
    from ampwork.core.models import Organisation, Person, Role
    from ampwork.core.permissions import Actor
    from ampwork.demo.services import generate
    from ampwork.mastery.generate import generate_reviews
    from ampwork.okrs.generate import generate_okrs
    from ampwork.pulse import anonymity, instrument
    from ampwork.pulse import selectors as pulse_selectors
    from ampwork.pulse.generate import generate_round

    vendor = connection.vendor
    if args.cpu:
        CLOCK[0] = cpu_clock(connection)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    table: list[tuple[int, str, str, float, float]] = []
    for people in args.people:
        started = time.perf_counter()
        earlier = Organisation.objects.filter(slug__startswith=f"floors-{people}-").first()
        if args.reuse and earlier is not None:  # the data of an earlier run
            org = earlier
            round_ = org.pulse_rounds.get()
            admin = Person.objects.filter(organisation=org, role=Role.ADMIN).order_by("id")[0]
        else:
            result = generate(people=people, slug=f"floors-{people}-{int(started)}")
            org = result.organisation
            generate_okrs(
                org,
                objectives_per_person=2,
                key_results_per_objective=3,
                check_ins_per_key_result=6,
            )
            generate_reviews(org, weeks=12)
            round_ = generate_round(org)
            admin = Person.objects.get(organisation=org, email=result.admin_email)
        actor = Actor(organisation=org, role=Role.ADMIN, user=admin.user, person=admin)
        today = timezone.localdate()
        responses = round_.responses.count()
        print(
            f"\n{people:,} people ({vendor}): {responses:,} pulse responses; "
            f"set-up {time.perf_counter() - started:.0f} s"
        )

        # ---- pulse results
        if args.only != "advisor":
            items = instrument.items_for(org.is_school)
            codes, means = subscale_means(items, vendor)
            pulse_sql = (
                f"SELECT group_id, COUNT(*), AVG(enps), {', '.join(means)} FROM surveys_response "
                "WHERE round_id = %s GROUP BY group_id"
            )

            def pulse_floor(sql: str = pulse_sql, pk: int = round_.pk) -> list[tuple[Any, ...]]:
                with connection.cursor() as cursor:
                    cursor.execute(sql, [pk])
                    rows: list[tuple[Any, ...]] = cursor.fetchall()
                    return rows

            def pulse_read(a: Actor = actor, r: Any = round_) -> object:
                return pulse_selectors.round_results(a, r)

            # the floor's numbers are the results' own for a group with no group inside it
            results = pulse_selectors.round_results(actor, round_)
            worst = 0.0
            checked = 0
            for row in pulse_floor():
                shown = results.groups.get(row[0] or anonymity.ROOT)
                if row[0] in results.parents.values() or not shown or shown["suppressed"]:
                    continue
                checked += 1
                for code, mean in zip(codes, row[3:], strict=True):
                    worst = max(worst, abs(shown["subscales"][code]["mean"] - mean))
            print(
                f"  pulse floor = results' subscale means in {checked} teams (max diff {worst:.1e})"
            )
            floor = median_ms(pulse_floor, args.repeat, CLOCK[0])
            gc.collect()
            cold = cold_ms(pulse_read, args.repeat, clear=True, paused=False)
            warm = cached_ms(pulse_read, args.repeat)
            table += [
                (people, "pulse", "floor: one SQL GROUP BY, subscale means per team", floor, floor),
                (people, "pulse", "results selector, cold", cold, floor),
                (people, "pulse", "results selector, from the cache", warm, floor),
            ]
            if args.gc_paused:
                paused = cold_ms(pulse_read, args.repeat, clear=True, paused=True)
                what = "results selector, cold, collector paused"
                table.append((people, "pulse", what, paused, floor))
            if args.profile:
                profile(pulse_read, args.profile / f"pulse-{people}.prof")

        # ---- the advisor's snapshot
        if args.only != "pulse":
            numbers = advisor_floor(org, today, vendor)
            data = gather(org, today)
            home = dashboards.org_sections(actor).value[0]
            assert home is not None
            row = numbers["people, own purpose, reviewed in two weeks"][0]
            krs, stale = numbers["open cycle: key results, stale"][0]
            pace = numbers.get(
                "open cycle: objectives by pacing (stored progress), purpose coverage"
            )
            print(
                "  advisor floor vs snapshot: "
                f"people {row[0]} / {len(data.people)}, "
                f"own purpose {row[1]} / {len(data.statements & data.people)}, "
                f"review share {row[2] / row[0]:.3f} / {data.review_share():.3f}, "
                f"key results {krs} / {data.key_result_count()}, "
                f"stale {stale} / {data.stale_count()}, "
                f"pacing {pacing_of(pace[0]) if pace else None} / {home.pacing}"
            )

            def advisor_floor_read(o: Any = org, t: dt.date = today) -> object:
                return advisor_floor(o, t, vendor)

            def home_read(a: Actor = actor) -> object:
                return dashboards.org_sections(a)

            def advisor_read(a: Actor = actor) -> object:
                return advisor_selectors.overview(a)

            def gather_read(o: Any = org, t: dt.date = today) -> object:
                return gather(o, t)

            floor = median_ms(advisor_floor_read, args.repeat, CLOCK[0])
            gc.collect()
            snapshot = cold_ms(gather_read, args.repeat, clear=False, paused=False)
            home_cold = cold_ms(home_read, args.repeat, clear=True, paused=False)
            home_warm = cached_ms(home_read, args.repeat)
            home_key = summaries.cache_key(
                "advisor.home",
                (*summaries.reader_key(actor, today), translation.get_language()),
            )
            home_after = recomputed_ms(home_read, args.repeat, home_key)
            advisor_cold = cold_ms(advisor_read, args.repeat, clear=True, paused=False)
            advisor_warm = cached_ms(advisor_read, args.repeat)
            table += [
                (people, "advisor", "floor: 9 plain SQL aggregates", floor, floor),
                (people, "advisor", "snapshot alone (advisor.data.gather)", snapshot, floor),
                (people, "advisor", "admin home sections (org_sections), cold", home_cold, floor),
                (people, "advisor", "admin home sections, from the cache", home_warm, floor),
                (
                    people,
                    "advisor",
                    "admin home sections, recomputed, rounds kept",
                    home_after,
                    floor,
                ),
                (people, "advisor", "advisor page (overview), cold", advisor_cold, floor),
                (people, "advisor", "advisor page, from the cache", advisor_warm, floor),
            ]
            if args.gc_paused:
                for what, read, clear in (
                    ("snapshot alone, collector paused", gather_read, False),
                    ("admin home sections, cold, collector paused", home_read, True),
                    ("advisor page, cold, collector paused", advisor_read, True),
                ):
                    ms = cold_ms(read, args.repeat, clear=clear, paused=True)
                    table.append((people, "advisor", what, ms, floor))
            if args.profile:
                profile(home_read, args.profile / f"home-{people}.prof")
                profile(advisor_read, args.profile / f"advisor-{people}.prof")

    print(f"\nmedian of {args.repeat} ({vendor}, {'CPU' if args.cpu else 'wall'} time)")
    print(f"{'people':>7}  {'read':<8} {'what':<54} {'ms':>9} {'× floor':>8}")
    for people, name, what, ms, base in table:
        print(f"{people:>7,}  {name:<8} {what:<54} {ms:>9.1f} {ms / base:>8.2f}")


if __name__ == "__main__":
    main()
