"""Home dashboards per role, and the weekly digest that mails them.

- everyone: my key results and whether this week's check-in is done, my autonomy and its
  next step (the review and purpose panels come from their own apps);
- managers and teachers: their teams' pulse heatmap, OKR pacing, reviews, Goldilocks and
  flow flags, and the findings that concern them;
- admins and people ops (head teachers): organisation health — the fairness gate, the pulse
  trend, OKR pacing, purpose coverage, checklist progress, open findings.

A fixed number of queries for any organisation size (tests/advisor/test_dashboards.py).
Everything from another app comes through its front door (its ``selectors``, plain values):
the pacing and staleness shown here are the OKR pages' own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ampwork.autonomy import rules as autonomy_rules
from ampwork.autonomy import selectors as autonomy_selectors
from ampwork.core import selectors as core_selectors
from ampwork.core import summaries
from ampwork.core.l10n import format_day, format_number, format_percent
from ampwork.core.languages import speaking_to
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import TWO_FACTOR_ROLES, Actor, can
from ampwork.fairness import gate as fairness_gate
from ampwork.mastery import selectors as mastery_selectors
from ampwork.mastery.selectors import week_of
from ampwork.okrs import progress
from ampwork.okrs import selectors as okr_selectors
from ampwork.pulse import selectors as pulse_selectors
from ampwork.purpose import selectors as purpose_selectors

from . import charts, checklist, selectors, traps
from .data import OrgData, gather
from .models import Acknowledgement, DigestSent

TREND_ROUNDS = 4
HEAT = ("autonomy_technique", "autonomy_task", "mastery", "purpose", "relatedness")
MAX_TEAMS = 8
LATELY = {
    "anxiety": gettext_lazy("lately anxiety"),
    "boredom": gettext_lazy("lately boredom"),
    "apathy": gettext_lazy("lately apathy"),
}


def _pacing(cycle: okr_selectors.CycleRef | None, today: dt.date) -> dict[str, int]:
    """How many of the cycle's active objectives are on track, at risk, off track."""
    if cycle is None:
        return {}
    counts = okr_selectors.pacing_counts(cycle.id, today)
    return {s: counts.get(s, 0) for s in (progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK)}


# ---------------------------------------------------------------- members


def member_section(actor: Actor) -> dict[str, Any] | None:
    """My key results and this week's check-in; my autonomy and its next step. Five
    queries: a member's home page does not read the whole organisation."""
    me = actor.person
    if me is None:
        return None
    today = timezone.localdate()
    monday = week_of(today)
    mine = okr_selectors.my_key_results(me.pk, today)
    due = sum(1 for kr in mine if kr.last_check_in is None or kr.last_check_in < monday)
    stale = sum(1 for kr in mine if kr.stale)  # the OKR pages' rule: not after the cycle ends
    levels = autonomy_selectors.levels_for(actor.organisation, [me.pk])[me.pk]
    has_purpose = purpose_selectors.has_statement(me.pk)
    step = autonomy_rules.next_step(
        levels, actor.organisation.autonomy_policy, autonomy_rules.Signals(has_purpose=has_purpose)
    )
    return {
        "key_results": len(mine),
        "due": due,
        "stale": stale,
        "levels": [(autonomy_rules.T_LABELS[t], levels[t]) for t in autonomy_rules.TS],
        "step": step,
    }


# ---------------------------------------------------------------- managers


@dataclass
class TeamLine:
    id: int
    name: str
    people: int
    written: int
    pacing: dict[str, int]
    heat: dict[str, Any] | None = None


@dataclass
class ManagerSection:
    teams: list[TeamLine]
    awaiting: int
    flags: Counter[str]
    flagged: list[tuple[int, str, list[str]]]  # person id, name, flags
    findings: list[selectors.Shown]
    pulse: pulse_selectors.RoundRef | None
    heat_columns: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, short


def manager_section(actor: Actor, data: OrgData) -> ManagerSection | None:
    me = actor.person
    if me is None:
        return None
    led = sorted(data.leads.get(me.pk, set()))[:MAX_TEAMS]
    # the people in front of them: their teams' members and their direct reports (a head
    # of department's whole tree is on the team pages and in the advisor, not here)
    coached = set(Person.objects.filter(manager=me, active=True).values_list("id", flat=True))
    if not led and not coached:
        return None
    team_people = {t: data.scope(t) - {me.pk} for t in led}
    everyone = set(coached) | {p for people in team_people.values() for p in people}
    monday = data.this_week
    awaiting = len(mastery_selectors.unanswered_reviews(everyone, monday - dt.timedelta(weeks=1)))
    cycle = data.cycle
    lines = []
    # a team's objectives counted as the OKR pages count them: its own, its members', its
    # teams' (the team that is the organisation: all of them), each once
    paces = okr_selectors.team_pacing(actor, cycle.id, data.today, led) if cycle is not None else {}
    for t in led:
        # the row counts reviews of the people its objectives count: the team's members and
        # those of every team inside it (the organisation's team: everyone)
        people = data.within(t) - {me.pk}
        counts = paces.get(t, {})
        lines.append(
            TeamLine(
                t,
                data.teams[t],
                len(people),
                sum(1 for p in people if data.wrote_this_week(p)),
                {
                    s: counts.get(s, 0)
                    for s in (progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK)
                },
            )
        )
    calibrated = mastery_selectors.calibrations(data.org, everyone)
    flows = mastery_selectors.flows(everyone, data.today)
    names = dict(Person.objects.filter(pk__in=everyone).values_list("id", "name"))
    flags: Counter[str] = Counter()
    flagged = []
    for pk in sorted(everyone, key=lambda p: names.get(p, "")):
        labels = [f.label for f in calibrated[pk].flags]
        recent = flows[pk].recent
        if recent in LATELY:
            labels.append(str(LATELY[recent]))
        flags.update(labels)
        if labels:
            flagged.append((pk, names.get(pk, ""), labels))
    # admins and people ops see every finding in their own section already
    mine = [] if selectors.sees_all(actor) else selectors.findings(actor, data)
    section = ManagerSection(lines, awaiting, flags, flagged, mine, None)
    _heatmap(actor, section, led)
    return section


def _heatmap(actor: Actor, section: ManagerSection, led: list[int]) -> None:
    """The latest closed pulse, favourable share per subscale for each led team — only
    where the team's group meets the anonymity minimum (suppressed cells say why)."""
    if not led:
        return
    latest = pulse_selectors.latest_closed_groups(actor)
    if latest is None:
        return
    section.pulse, groups = latest
    section.heat_columns = [(c, *pulse_selectors.subscale_heading(section.pulse, c)) for c in HEAT]
    for line in section.teams:
        group = groups.get(line.id)
        if group is None:
            continue
        if group["suppressed"]:
            line.heat = {"suppressed": True, "reason": group["reason"]}
        else:
            line.heat = {
                "suppressed": False,
                "n": group["n"],
                "cells": [
                    (group["subscales"].get(c) or {}).get("favourable")
                    for c, _, _ in section.heat_columns
                ],
            }


# ---------------------------------------------------------------- admins


@dataclass
class AdminSection:
    gate: Any
    pacing: dict[str, int]
    coverage: float | None
    checklist_done: int
    checklist_total: int
    findings: list[selectors.Shown]
    trend: list[tuple[pulse_selectors.RoundRef, dict[str, float | None]]]
    trend_chart: str | None
    readiness: Any

    @property
    def open_findings(self) -> list[selectors.Shown]:
        return [f for f in self.findings if f.acknowledged is None]


def pulse_trend(
    org: Organisation,
) -> list[tuple[pulse_selectors.RoundRef, dict[str, float | None]]]:
    """The organisation's favourable share per subscale in the last closed rounds (the
    whole organisation only, under the round's anonymity minimum): two queries a round."""
    return pulse_selectors.favourable_trend(org, TREND_ROUNDS)


def admin_section(actor: Actor, data: OrgData) -> AdminSection | None:
    if not can(actor, "advisor.all_findings"):
        return None
    pacing = _pacing(data.cycle, data.today)
    total = purpose_selectors.organisation_coverage(actor)
    done, count = checklist.progress(selectors.checklist_of(data))
    trend = pulse_trend(data.org)
    return AdminSection(
        data.gate,
        pacing,
        total.share if total else None,
        done,
        count,
        selectors.findings(actor, data),
        trend,
        charts.trend(trend) if len(trend) > 1 else None,
        selectors.readiness_of(data),
    )


# ---------------------------------------------------------------- the home page


def home_panel(actor: Actor) -> dict[str, Any] | None:
    """The home page's dashboard for the actor's role (registered in HOME_PANELS). The
    organisation-wide sections are summaries (``core.summaries``): computed once per change
    of the data they read, per reader; the member's own section is always read live."""
    coaches = can(actor, "advisor.dashboard", actor.organisation)
    sections = org_sections(actor) if coaches else None  # members need none of it
    return {
        "template": "advisor/_home.html",
        "admin": sections.value[0] if sections else None,
        "manager": sections.value[1] if sections else None,
        "fresh": sections,
        "member": member_section(actor),
        "school": actor.organisation.is_school,
    }


def org_sections(
    actor: Actor,
) -> summaries.Fresh[tuple[AdminSection | None, ManagerSection | None]]:
    """The admin's and the manager's sections of the home page, as one summary."""
    today = timezone.localdate()

    def compute() -> tuple[AdminSection | None, ManagerSection | None]:
        data = selectors.for_reader(actor, gather(actor.organisation, today))
        return admin_section(actor, data), manager_section(actor, data)

    return summaries.summary(
        "advisor.home",
        (*summaries.reader_key(actor, today), translation.get_language()),  # text in it
        summaries.EVERYTHING,
        compute,
    )


# ---------------------------------------------------------------- the weekly digest


@dataclass
class Digest:
    week: dt.date
    name: str
    numbers: dict[str, Any]
    before: dict[str, Any]
    findings: list[selectors.Shown]
    school: bool = False

    LABELS = {
        "gate": gettext_lazy("fairness gate"),
        "on track": gettext_lazy("objectives on track"),
        "at risk": gettext_lazy("objectives at risk"),
        "off track": gettext_lazy("objectives off track"),
        "coverage": gettext_lazy("objectives serving the purpose"),
        "checklist": gettext_lazy("checklist items done"),
        "reviews_written": gettext_lazy("weekly reviews written this week"),
        "awaiting": gettext_lazy("reviews waiting for your answer"),
        "flags": pgettext_lazy("company", "people with a challenge flag"),
        "findings": gettext_lazy("open findings"),
    }
    # a school writes weekly reflections, not reviews (issue 21)
    SCHOOL_LABELS = {
        **LABELS,
        "reviews_written": pgettext_lazy("school", "weekly reflections written this week"),
        "awaiting": pgettext_lazy("school", "reflections waiting for your answer"),
        "flags": pgettext_lazy("school", "people in your classes with a challenge flag"),
    }

    def _shown(self, key: str, value: Any) -> str:
        """A number as the reader writes it (the saved numbers stay as they are)."""
        if isinstance(value, float):
            return format_percent(value)
        if isinstance(value, int):
            return format_number(value)
        if key == "gate" and value in fairness_gate.STATUS_LABELS:
            return fairness_gate.status_label(value)
        if key == "checklist" and isinstance(value, str) and " of " in value:
            done, total = value.split(" of ", 1)
            return _("%(done)s of %(total)s") % {"done": done, "total": total}
        return str(value)

    def text(self, link: str) -> str:
        """The email's body, in the active language (the sender speaks to each reader)."""
        lines = [
            _("Hello %(name)s,") % {"name": self.name},
            "",
            _("Week of %(day)s:") % {"day": format_day(self.week, "day_month_long")},
            "",
        ]
        for key, value in self.numbers.items():
            label = str((self.SCHOOL_LABELS if self.school else self.LABELS).get(key, key))
            shown = self._shown(key, value)
            old = self.before.get(key)
            if old is not None and old != value:
                lines.append(
                    _("- %(label)s: %(value)s (was %(old)s last week)")
                    % {"label": label, "value": shown, "old": self._shown(key, old)}
                )
            else:
                lines.append(_("- %(label)s: %(value)s") % {"label": label, "value": shown})
        open_ = [f for f in self.findings if f.acknowledged is None]
        if open_:
            lines += ["", _("Findings to look at:")]
            for found in open_[:10]:
                f = found.finding
                lines.append(
                    _("- %(title)s: %(evidence)s") % {"title": f.title, "evidence": f.evidence[0]}
                )
                lines.append(_("  next step: %(step)s") % {"step": f.next_step})
        lines += [
            "",
            _("Your dashboard: %(link)s") % {"link": link},
            _("How each number is computed: %(link)s") % {"link": "/methods/"},
            "",
        ]
        return "\n".join(lines)


def digests(org: Organisation, today: dt.date) -> list[tuple[Person, Digest]]:
    """The digest of every admin, people-ops person and manager who can sign in."""
    data = gather(org, today)
    active, coaches = mastery_selectors.coaching(org)
    facts = selectors.facts(data)
    # each reader's findings in their own language; what an admin (people ops) the
    # two-factor policy holds back reads: the pay gate's status, never its reasons (the
    # figures /fairness/ refuses them), as on the advisor page
    reports: dict[tuple[str, bool], traps.Report] = {}
    acks = {a.key: a for a in Acknowledgement.objects.filter(organisation=org)}
    previous: dict[int, dict[str, Any]] = {}
    for person_id, saved in DigestSent.objects.filter(
        organisation=org, week__lt=data.this_week
    ).values_list("person_id", "numbers"):
        previous[person_id] = saved  # oldest first: the latest wins
    monday = data.this_week
    everyone = set().union(*coaches.values()) if coaches else set()
    waiting = set(mastery_selectors.unanswered_reviews(everyone, monday - dt.timedelta(weeks=1)))
    calibrated = mastery_selectors.calibrations(org, everyone)
    admin_numbers: dict[str, Any] | None = None
    out = []
    for pk, person in sorted(active.items(), key=lambda kv: kv[1].name):
        if person.user_id is None:
            continue
        is_admin = can(Actor(organisation=org, role=person.role), "advisor.all_findings")
        people = coaches.get(pk, set())
        if not is_admin and not people:
            continue
        teams = {t for t, members in data.members.items() if members & people} | data.leads.get(
            pk, set()
        )
        held_back = bool(
            org.require_two_factor
            and person.role in TWO_FACTOR_ROLES
            and not core_selectors.has_two_factor(person.user)  # type: ignore[arg-type]
        )
        with speaking_to(person) as language:
            if (language, held_back) not in reports:
                reports[language, held_back] = traps.detect(
                    replace(facts, gate_reasons=()) if held_back else facts
                )
        mine = reports[language, held_back]
        visible = traps.visible_to(mine.findings, admin=is_admin, teams=teams)
        shown = [selectors.Shown(f, acks.get(f.key)) for f in visible]
        numbers: dict[str, Any] = {}
        if is_admin:
            if admin_numbers is None:
                pacing = _pacing(data.cycle, today)
                done, total = checklist.progress(selectors.checklist_of(data))
                admin_numbers = {
                    **({"gate": data.gate.status} if data.gate else {}),
                    **pacing,
                    "checklist": f"{done} of {total}",
                }
            numbers.update(admin_numbers)
        if people:
            numbers["reviews_written"] = sum(1 for p in people if data.wrote_this_week(p))
            numbers["awaiting"] = len(people & waiting)
            numbers["flags"] = sum(1 for p in people if calibrated[p].flags)
        numbers["findings"] = sum(1 for s in shown if s.acknowledged is None)
        out.append(
            (
                person,
                Digest(monday, person.name, numbers, previous.get(pk, {}), shown, org.is_school),
            )
        )
    return out
