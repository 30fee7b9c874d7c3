"""Reads for the advisor: the checklist (data-ticked and hand-ticked items), readiness per
organisation and team, findings with their acknowledgements, incentives and reward-style
assessments. Everything reads one :class:`data.OrgData` snapshot: fixed query counts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext

from ampwork.core import selectors as core_selectors
from ampwork.core import summaries
from ampwork.core.errors import NotFound
from ampwork.core.l10n import format_day, format_percent, list_separator
from ampwork.core.permissions import Actor, can
from ampwork.fairness import gate as fairness_gate
from ampwork.okrs import selectors as okr_selectors

from . import checklist, readiness, traps
from .data import WINDOW_BEFORE, OrgData, gather
from .models import Acknowledgement, Incentive, StyleAssessment, Tick

SELF_SET = 0.4
REVIEWS = 0.5
STALE = 0.2
SKILLS = 3


def _pct(x: float | None) -> str:
    return format_percent(x)


# ---------------------------------------------------------------- the checklist


def auto_items(data: OrgData, team: int | None = None) -> dict[str, checklist.Auto]:
    """Each data-ticked item, done or not, with the reason read from the data."""
    out: dict[str, checklist.Auto] = {}
    school = data.org.is_school
    if team is None:
        if data.gate is not None:
            gate = data.gate
            values = {
                "status": fairness_gate.status_label(gate.status),
                "date": format_day(gate.run.run_at) if gate.run else "",
                "reasons": list_separator().join(gate.reasons),
            }
            if gate.run and gate.reasons:
                why = _("the fairness gate is %(status)s (%(date)s): %(reasons)s") % values
            elif gate.run:
                why = _("the fairness gate is %(status)s (%(date)s)") % values
            elif gate.reasons:
                why = _("the fairness gate is %(status)s: %(reasons)s") % values
            else:
                why = _("the fairness gate is %(status)s") % values
            out["pay-audit"] = checklist.Auto(gate.status != "red", why)
        tied = [i for i in data.incentives if i.style == "if_then" and i.objective_id]
        out["okrs-apart-from-bonuses"] = checklist.Auto(
            not tied,
            _("“%(what)s” is an if-then reward on “%(objective)s”")
            % {"what": tied[0].what, "objective": tied[0].objective_title}
            if tied
            else _("no if-then reward is tied to an objective or key result"),
        )
        teams = data.working_teams()
        granted = [t for t in teams if data.step_granted(t)]
        counts = {"n": len(granted), "total": len(teams)}
        out["autonomy-step"] = checklist.Auto(
            bool(teams) and len(granted) == len(teams),
            (
                ngettext(
                    "%(n)d of %(total)d classes have had an autonomy step granted",
                    "%(n)d of %(total)d classes have had an autonomy step granted",
                    len(granted),
                )
                if school
                else ngettext(
                    "%(n)d of %(total)d teams have had an autonomy step granted",
                    "%(n)d of %(total)d teams have had an autonomy step granted",
                    len(granted),
                )
            )
            % counts,
        )
        reviewing = [t for t in teams if (data.review_share(t) or 0) >= REVIEWS]
        counts = {"n": len(reviewing), "total": len(teams)}
        out["weekly-reviews"] = checklist.Auto(
            bool(teams) and len(reviewing) * 2 > len(teams),
            (
                npgettext(
                    "school",
                    "in %(n)d of %(total)d classes half or more of people wrote a weekly "
                    "reflection in the last two weeks",
                    "in %(n)d of %(total)d classes half or more of people wrote a weekly "
                    "reflection in the last two weeks",
                    len(teams),
                )
                if school
                else ngettext(
                    "in %(n)d of %(total)d teams half or more of people wrote a weekly review "
                    "in the last two weeks",
                    "in %(n)d of %(total)d teams half or more of people wrote a weekly review "
                    "in the last two weeks",
                    len(teams),
                )
            )
            % counts,
        )
        out["shipit"] = checklist.Auto(
            data.shipit_recent,
            _("a ShipIt day ended in the last 12 months")
            if data.shipit_recent
            else _("no ShipIt day in the last 12 months"),
        )
        out["skills"] = checklist.Auto(
            data.skills >= SKILLS,
            ngettext("%(n)d skill named", "%(n)d skills named", data.skills) % {"n": data.skills},
        )
        out["published-purpose"] = checklist.Auto(
            data.purpose is not None,
            _("version %(version)s published %(date)s")
            % {
                "version": data.purpose.version,
                "date": format_day(data.purpose.published_at),
            }
            if data.purpose
            else _("no purpose published yet"),
        )
        share = data.statement_share()
        out["own-purpose"] = checklist.Auto(
            (share or 0) >= 0.5,
            _("%(share)s of people have written their own purpose") % {"share": _pct(share)},
        )
        out["impact-story"] = checklist.Auto(
            data.recent_story,
            _("an impact story in the last 90 days")
            if data.recent_story
            else _("no impact story in the last 90 days"),
        )
    else:
        out["autonomy-step"] = checklist.Auto(
            data.step_granted(team),
            _("an autonomy step has been granted here")
            if data.step_granted(team)
            else _("no autonomy step granted here yet"),
        )
        share = data.review_share(team)
        out["weekly-reviews"] = checklist.Auto(
            (share or 0) >= REVIEWS,
            (
                pgettext(
                    "school", "%(share)s of people wrote a weekly reflection in the last two weeks"
                )
                if school
                else _("%(share)s of people wrote a weekly review in the last two weeks")
            )
            % {"share": _pct(share)},
        )
    own = data.self_set(team)
    out["self-set-okrs"] = checklist.Auto(
        (own or 0) >= SELF_SET,
        _("%(share)s of objectives were written by their owners") % {"share": _pct(own)},
    )
    stale = data.stale_share(team)
    out["check-ins"] = checklist.Auto(
        stale is not None and stale <= STALE,
        _("%(share)s of this cycle's key results have had no check-in for 14 days")
        % {"share": _pct(stale)}
        if stale is not None
        else _("no key results in an open cycle"),
    )
    return out


Ticks = dict[int | None, dict[str, checklist.HandTick]]


def hand_ticks(data: OrgData) -> Ticks:
    """The latest hand tick of every item, for the organisation (None) and each team: one
    query."""
    out: Ticks = {}
    for tick in Tick.objects.filter(organisation=data.org).select_related("by"):
        out.setdefault(tick.team_id, {})[tick.item] = checklist.HandTick(
            tick.done, tick.by.name if tick.by else "someone", tick.at, tick.note
        )
    return out


def checklist_of(
    data: OrgData, team: int | None = None, ticks: Ticks | None = None
) -> list[checklist.StepState]:
    ticks = hand_ticks(data) if ticks is None else ticks
    return checklist.evaluate(
        school=data.org.is_school,
        auto=auto_items(data, team),
        ticks=ticks.get(team, {}),
        team=team is not None,
    )


@dataclass(frozen=True)
class TickEntry:
    """One line of "who ticked what": the item named in the reader's words, not its key."""

    at: dt.datetime
    by: str
    item: str
    team: str
    done: bool
    note: str


def tick_history(data: OrgData) -> list[TickEntry]:
    school = data.org.is_school
    return [
        TickEntry(
            t.at,
            t.by.name if t.by else "",
            checklist.item_label(t.item, school),
            t.team.name if t.team else "",
            t.done,
            t.note,
        )
        for t in Tick.objects.filter(organisation=data.org)
        .select_related("by", "team")
        .order_by("-at", "-id")[:30]
    ]


# ---------------------------------------------------------------- readiness


def readiness_of(data: OrgData, team: int | None = None) -> readiness.Readiness:
    org = data.org
    return readiness.assess(
        readiness.Signals(
            policy=org.autonomy_policy,
            is_school=org.is_school,
            # fairness is the organisation's step: a team's next step is its own
            gate_red=team is None and data.gate is not None and data.gate.status == "red",
            published_purpose=data.purpose is not None,
            statement_share=(
                len(data.statements & data.scope(team)) / len(data.scope(team))
                if data.scope(team)
                else None
            ),
            review_share=data.review_share(team),
            stale_share=data.stale_share(team),
            checked_in_lately=data.checked_in_lately(team),
            mean_level=data.mean_level(team),
            self_set=data.self_set(team),
        )
    )


# ---------------------------------------------------------------- findings


def facts(data: OrgData) -> traps.Facts:
    autonomy = ""
    if data.steps_granted:
        autonomy = ngettext(
            "%(n)d autonomy step granted", "%(n)d autonomy steps granted", data.steps_granted
        ) % {"n": data.steps_granted}
    elif data.projects:
        autonomy = ngettext(
            "%(n)d self-directed projects started",
            "%(n)d self-directed projects started",
            data.projects,
        ) % {"n": data.projects}
    statements = len(data.statements)
    purpose = ""
    if data.purpose:
        purpose = _("purpose version %(version)s published") % {"version": data.purpose.version}
    elif statements:
        purpose = ngettext(
            "%(n)d purpose statements written", "%(n)d purpose statements written", statements
        ) % {"n": statements}
    gate = data.gate
    return traps.Facts(
        is_school=data.org.is_school,
        gate_status=gate.status if gate is not None and gate.run is not None else None,
        gate_reasons=tuple(gate.reasons) if gate is not None else (),
        autonomy_under_way=autonomy,
        purpose_under_way=purpose,
        incentives=tuple(data.incentives),
        teams=tuple(
            traps.TeamFact(t, data.teams[t], tuple(data.control(t))) for t in data.working_teams()
        ),
        key_results=data.key_result_count(),
        stale=data.stale_count(),
        reviews_before=data.completion(WINDOW_BEFORE),
        reviews_recent=data.completion(1),
        purpose_warnings=tuple(data.purpose_warnings()),
        anonymity_min=data.org.anonymity_min_group,
    )


@dataclass
class Shown:
    finding: traps.Finding
    acknowledged: Acknowledgement | None


def sees_all(actor: Actor) -> bool:
    return can(actor, "advisor.all_findings")


def my_teams(actor: Actor, data: OrgData) -> set[int]:
    """Teams whose findings a manager sees: those they lead and those of the people they
    coach."""
    if actor.person is None:
        return set()
    coached = core_selectors.coached_by(actor.person)
    teams = set(data.leads.get(actor.person.pk, set()))
    teams |= {t for t, people in data.members.items() if people & coached}
    return teams


def findings(actor: Actor, data: OrgData) -> list[Shown]:
    """The findings the actor may see, each with its latest acknowledgement."""
    report = traps.detect(facts(data))
    visible = traps.visible_to(report.findings, admin=sees_all(actor), teams=my_teams(actor, data))
    acks: dict[str, Acknowledgement] = {}
    for ack in Acknowledgement.objects.filter(
        organisation=actor.organisation, key__in=[f.key for f in visible]
    ).select_related("by"):
        acks[ack.key] = ack
    return [Shown(f, acks.get(f.key)) for f in visible]


def get_finding(actor: Actor, data: OrgData, key: str) -> Shown:
    found = next((s for s in findings(actor, data) if s.finding.key == key), None)
    if found is None:
        raise NotFound(_("no such finding (it may have been resolved by a change in the data)"))
    return found


def may_open_evidence(actor: Actor, finding: traps.Finding) -> bool:
    """Whether the page a finding's "Open the evidence" leads to is one the actor may open:
    the permission table's answer for that page (people ops see every finding, but not a
    team's autonomy grid). The other rules' pages are open to whoever sees the finding."""
    org = actor.organisation
    if finding.rule == "defaulting-to-control" and finding.linked_id is not None:
        try:
            team = core_selectors.get_team(org, finding.linked_id)
        except NotFound:
            return False
        return can(actor, "autonomy.manage", team)
    if finding.rule == "okrs-tied-to-bonuses" and finding.linked_id is not None:
        try:
            okr_selectors.get_objective(actor, finding.linked_id)
        except NotFound:
            return False
        return True
    if finding.rule == "ignoring-fairness":
        return can(actor, "fairness.view", org)
    if finding.rule == "anonymity-lowered":
        return can(actor, "organisation.edit", org)
    return True


def acknowledgements(actor: Actor, key: str) -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.filter(organisation=actor.organisation, key=key).select_related(
        "by"
    )


# ---------------------------------------------------------------- incentives and styles


def incentives(actor: Actor) -> QuerySet[Incentive]:
    return Incentive.objects.filter(organisation=actor.organisation).select_related(
        "objective", "key_result__objective", "created_by"
    )


def incentive_list(actor: Actor) -> list[Incentive]:
    """The incentives, each one's objective and key result kept only where the reader may
    see them (a private objective's title never reaches the page or the API)."""
    return okr_selectors.hide_unseen(actor, list(incentives(actor)))


def get_incentive(actor: Actor, pk: int) -> Incentive:
    found = incentives(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("no such incentive"))
    return found


def rewardable_objectives(actor: Actor, limit: int = 300) -> list[okr_selectors.ObjectiveTitle]:
    """The current cycle's objectives the actor can see, to tie an incentive to."""
    return okr_selectors.current_visible_titles(actor, limit)


def assessments(actor: Actor) -> QuerySet[StyleAssessment]:
    return (
        StyleAssessment.objects.filter(organisation=actor.organisation)
        .select_related("objective", "by")
        .order_by("-at", "-id")
    )


MAX_TEAM_ROWS = 60


def overview(actor: Actor) -> summaries.Fresh[dict[str, Any]]:
    """The advisor page's figures for this reader: readiness, the checklist, the teams'
    rows, findings and the ticks' history, as one summary (``core.summaries``)."""
    today = timezone.localdate()
    return summaries.summary(
        "advisor.overview",
        (*summaries.reader_key(actor, today), translation.get_language()),  # text in it
        summaries.EVERYTHING,
        lambda: _overview(actor, today),
    )


def _overview(actor: Actor, today: dt.date) -> dict[str, Any]:
    data = for_reader(actor, gather(actor.organisation, today))
    whole = sees_all(actor)
    led = sorted(data.leads.get(actor.person.pk, set())) if actor.person else []
    teams = data.working_teams() if whole else [t for t in led if t in data.teams]
    ticks = hand_ticks(data)
    steps = checklist_of(data, None, ticks)
    done, total = checklist.progress(steps)
    return {
        "whole": whole,
        "readiness": readiness_of(data) if whole else None,
        "steps": steps,
        "done": done,
        "total": total,
        "team_rows": team_rows(data, teams[:MAX_TEAM_ROWS], ticks),
        "more_teams": max(0, len(teams) - MAX_TEAM_ROWS),
        "led": set(led),
        "findings": findings(actor, data),
        "history": tick_history(data) if whole else [],
    }


def snapshot(actor: Actor) -> OrgData:
    return for_reader(actor, gather(actor.organisation))


def for_reader(actor: Actor, data: OrgData) -> OrgData:
    """The pay gate's reasons (pay gaps, category gaps, people below their band) only for
    whoever may read pay data (``fairness.view``, two-factor policy included); anyone else
    with the advisor (managers, an admin the policy holds back) reads the gate's status."""
    if data.gate is not None and not can(actor, "fairness.view", actor.organisation):
        data.gate = dataclasses.replace(data.gate, reasons=[])
    return data


def team_rows(data: OrgData, teams: list[int], ticks: Ticks | None = None) -> list[dict[str, Any]]:
    """Per team: readiness and the checklist's per-team items (one query for the ticks,
    unless the caller has them)."""
    ticks = hand_ticks(data) if ticks is None else ticks
    return [
        {
            "id": t,
            "name": data.teams[t],
            "readiness": readiness_of(data, t),
            "steps": checklist_of(data, t, ticks),
        }
        for t in teams
    ]
