"""Reads for 1:1s: one's own series, a meeting with its agenda, action items and notes,
and the talking points suggested from the person's own data. Everything here is asked of
the permission table (``rules.py``): a series that is not the reader's answers 404, and a
private note is only ever its author's own."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.autonomy import rules as autonomy_rules
from ampwork.autonomy import selectors as autonomy_selectors
from ampwork.core import l10n
from ampwork.core.errors import NotFound
from ampwork.core.l10n import list_separator
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, can
from ampwork.mastery import selectors as mastery_selectors
from ampwork.okrs import selectors as okr_selectors

from . import links, schedule
from .models import ActionItem, Meeting, OneOnOne, PrivateNote, TalkingPoint

REVIEW_WEEKS = 4  # how far back an unanswered weekly review is suggested


@dataclass(frozen=True)
class SeriesRow:
    series: OneOnOne
    other: Person
    # what the other person is to the reader: manager, report, mentor, mentee
    relation: str
    next_meeting: Meeting
    open_points: int
    open_actions: int


def _mine(actor: Actor) -> Q:
    me = actor.person
    if me is None:
        return Q(pk__in=[])
    return Q(person=me) | Q(lead=me)


def relation_of(actor: Actor, series: OneOnOne) -> str:
    """What the other person is to the actor: manager, report, mentor or mentee."""
    me_leads = actor.person is not None and series.lead_id == actor.person.pk
    if series.kind == OneOnOne.Kind.MANAGER:
        return "report" if me_leads else "manager"
    return "mentee" if me_leads else "mentor"


def other_of(actor: Actor, series: OneOnOne) -> Person:
    me = actor.person
    return series.person if me is not None and series.lead_id == me.pk else series.lead


def my_series(actor: Actor) -> list[SeriesRow]:
    """The actor's own 1:1s, the next meeting first. Three queries."""
    series = list(
        OneOnOne.objects.filter(_mine(actor), organisation=actor.organisation).select_related(
            "person", "lead"
        )
    )
    meetings, points, actions = _open_counts(series)
    rows = [
        SeriesRow(
            s,
            other_of(actor, s),
            relation_of(actor, s),
            meetings[s.pk],
            points.get(meetings[s.pk].pk, 0),
            actions.get(meetings[s.pk].pk, 0),
        )
        for s in series
        if s.pk in meetings
    ]
    return sorted(rows, key=lambda r: (r.next_meeting.date, r.other.name))


def _open_counts(
    series: list[OneOnOne],
) -> tuple[dict[int, Meeting], dict[int, int], dict[int, int]]:
    """Each series' open meeting, and the talking points not discussed and action items
    not done on it (by meeting). Three queries."""
    ids = [s.pk for s in series]
    meetings = {
        m.one_on_one_id: m for m in Meeting.objects.filter(one_on_one_id__in=ids, held_at=None)
    }
    points, actions = open_items(list(meetings.values()))
    return meetings, points, actions


def open_items(meetings: list[Meeting]) -> tuple[dict[int, int], dict[int, int]]:
    """By meeting: the talking points not discussed and the action items not done on it.
    Two queries."""
    points = Counter(
        TalkingPoint.objects.filter(meeting__in=meetings, discussed=False).values_list(
            "meeting_id", flat=True
        )
    )
    actions = Counter(
        ActionItem.objects.filter(meeting__in=meetings, done_at=None).values_list(
            "meeting_id", flat=True
        )
    )
    return dict(points), dict(actions)


@dataclass(frozen=True)
class OverviewRow:
    series: OneOnOne
    next_meeting: Meeting
    open_points: int
    open_actions: int


def series_overview(organisation_id: int, person_id: int | None = None) -> list[OverviewRow]:
    """Every 1:1 series of an organisation (or of one person, either side), the next
    meeting first — for the command line (``ampwork one-on-ones list``): the two people,
    the next meeting and counts of open points and actions; never a note."""
    qs = OneOnOne.objects.filter(organisation_id=organisation_id).select_related("person", "lead")
    if person_id is not None:
        qs = qs.filter(Q(person_id=person_id) | Q(lead_id=person_id))
    series = list(qs)
    meetings, points, actions = _open_counts(series)
    rows = [
        OverviewRow(
            s,
            meetings[s.pk],
            points.get(meetings[s.pk].pk, 0),
            actions.get(meetings[s.pk].pk, 0),
        )
        for s in series
        if s.pk in meetings
    ]
    return sorted(rows, key=lambda r: (r.next_meeting.date, r.series.person.name))


def get_series(actor: Actor, pk: int) -> OneOnOne:
    found = (
        OneOnOne.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("person", "lead", "organisation")
        .first()
    )
    if found is None or not can(actor, "one_on_ones.view", found):
        raise NotFound(_("no such 1:1"))  # not a 403: whether it exists is the two's business
    return found


def get_meeting(actor: Actor, pk: int) -> Meeting:
    found = (
        Meeting.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("one_on_one__person", "one_on_one__lead")
        .first()
    )
    if found is None or not can(actor, "one_on_ones.view", found):
        raise NotFound(_("no such meeting"))
    return found


def get_point(actor: Actor, pk: int) -> TalkingPoint:
    found = (
        TalkingPoint.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("meeting__one_on_one")
        .first()
    )
    if found is None or not can(actor, "one_on_ones.view", found):
        raise NotFound(_("no such talking point"))
    return found


def get_action(actor: Actor, pk: int) -> ActionItem:
    found = (
        ActionItem.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("meeting__one_on_one", "owner")
        .first()
    )
    if found is None or not can(actor, "one_on_ones.view", found):
        raise NotFound(_("no such action item"))
    return found


def own_private_note(actor: Actor, meeting: Meeting) -> PrivateNote | None:
    """The actor's own private note on a meeting, if they wrote one: never anyone else's."""
    if actor.person is None:
        return None
    note = PrivateNote.objects.filter(meeting=meeting, author=actor.person).first()
    if note is None or not can(actor, "one_on_ones.read_private_note", note):
        return None
    return note


@dataclass(frozen=True)
class ActionRow:
    item: ActionItem
    overdue: bool


@dataclass(frozen=True)
class Suggestion:
    """A talking point the person's own data suggests, with the evidence for it and, where
    there is one, what it is about (``links.py``; kept only if both people may open it)."""

    text: str
    evidence: str
    link: links.Ref | None = None

    @property
    def link_value(self) -> str:
        return f"{self.link[0]}:{self.link[1]}" if self.link else ""


@dataclass(frozen=True)
class PointRow:
    """A talking point with what its link shows this reader: ``link`` is None when there
    is none, ``gone`` when there is one the reader may no longer open."""

    point: TalkingPoint
    link: links.Link | None
    gone: bool


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    series: OneOnOne
    other: Person
    relation: str
    points: list[PointRow]
    actions: list[ActionRow]
    private_note: PrivateNote | None
    history: list[Meeting]
    suggestions: list[Suggestion]
    open_meeting: Meeting | None  # the series' next meeting, when this one was held
    link_choices: list[links.Link]  # what the add-a-point form offers (open meetings)


def points_of(meeting: Meeting) -> list[TalkingPoint]:
    return list(TalkingPoint.objects.filter(meeting=meeting).select_related("author"))


def point_rows(actor: Actor, points: list[TalkingPoint]) -> list[PointRow]:
    """Each talking point with its link as this reader may see it (one query per kind of
    link present)."""
    refs = [(p.link_kind, p.link_id) for p in points if p.link_kind and p.link_id]
    seen = links.resolve(actor, refs)
    rows = []
    for p in points:
        ref = (p.link_kind, p.link_id) if p.link_kind and p.link_id else None
        link = seen.get(ref) if ref else None
        rows.append(PointRow(p, link, ref is not None and link is None))
    return rows


def actions_of(meeting: Meeting, today: dt.date) -> list[ActionRow]:
    return [
        ActionRow(a, schedule.is_overdue(a.due, a.done, today))
        for a in ActionItem.objects.filter(meeting=meeting).select_related("owner")
    ]


def meeting_page(actor: Actor, meeting: Meeting, today: dt.date) -> MeetingPage:
    """Everything a meeting's page shows its reader (a participant: ``get_meeting``)."""
    series = meeting.one_on_one
    history = list(Meeting.objects.filter(one_on_one=series).exclude(pk=meeting.pk)[:12])
    on_agenda = points_of(meeting)
    said = {p.text for p in on_agenda}
    offered: list[Suggestion] = []
    choices: list[links.Link] = []
    if meeting.is_open:
        facts = okr_selectors.my_key_results(series.person_id, today)
        offered = [s for s in suggestions(actor, series, today, facts) if s.text not in said]
        linkable = links.both_may_open(series, [s.link for s in offered if s.link])
        offered = [
            s if s.link is None or s.link in linkable else Suggestion(s.text, s.evidence)
            for s in offered
        ]
        choices = links.choices(actor, series, [f.id for f in facts])
    return MeetingPage(
        meeting=meeting,
        series=series,
        other=other_of(actor, series),
        relation=relation_of(actor, series),
        points=point_rows(actor, on_agenda),
        actions=actions_of(meeting, today),
        private_note=own_private_note(actor, meeting),
        history=history,
        suggestions=offered,
        open_meeting=None if meeting.is_open else next((h for h in history if h.is_open), None),
        link_choices=choices,
    )


def suggestions(
    actor: Actor,
    series: OneOnOne,
    today: dt.date,
    owned: list[okr_selectors.KeyResultFact] | None = None,
) -> list[Suggestion]:
    """Talking points from the person's own data, each with its evidence, as far as the
    reader may see it: a stale key result (the OKR app's staleness rule; a private
    objective's only to the person themselves); and, only to whoever may read the person's
    reviews and progress (``reviews.view``), a Goldilocks flag (too easy, too hard: the
    mastery app's rules) and weekly reviews without an answer; and, only to whoever may see
    the person's autonomy ledger (``autonomy.view``), the next autonomy step the autonomy
    app suggests, with its reasons."""
    person = series.person
    found: list[Suggestion] = []
    if owned is None:  # the person's key results (meeting_page reads them once for both)
        owned = okr_selectors.my_key_results(person.pk, today)
    facts = [f for f in owned if f.stale]
    if facts:
        objectives, key_results = okr_selectors.objectives_and_key_results(
            [], [f.id for f in facts]
        )
        mine = actor.person is not None and actor.person.pk == person.pk
        for fact in sorted(facts, key=lambda f: f.id):
            ref = key_results.get(fact.id)
            objective = objectives.get(ref.objective_id) if ref else None
            if ref is None or objective is None or (objective.private and not mine):
                continue
            last = (
                _("no check-in since %(date)s")
                % {"date": l10n.format_day(fact.last_check_in, "day_month")}
                if fact.last_check_in
                else _("no check-in yet")
            )
            found.append(
                Suggestion(
                    _("Key result “%(title)s”: how is it going?") % {"title": ref.title},
                    _("%(last)s — it counts as stale after 14 days (objective “%(title)s”)")
                    % {"last": last, "title": objective.title},
                    ("key_result", fact.id),
                )
            )
    if autonomy_selectors.may_view(actor, person):
        step = autonomy_selectors.next_step_of(person)
        if step.suggested and step.t is not None:
            label = autonomy_rules.T_LABELS[step.t]
            found.append(
                Suggestion(
                    _("Autonomy: a step up in %(label)s (to level %(level)s)?")
                    % {"label": label, "level": step.level},
                    _cut(list_separator().join(step.reasons), 300),
                )
            )
    if not mastery_selectors.may_see_reviews(actor, person):
        return found
    calibration = mastery_selectors.calibrations(series.organisation, [person.pk])[person.pk]
    for flag in calibration.flags:
        found.append(
            Suggestion(
                _cut(
                    _("Goldilocks: the key results look %(label)s. %(conversation)s")
                    % {"label": flag.label, "conversation": flag.conversation},
                    500,
                ),
                _cut(list_separator().join(flag.evidence), 300),
            )
        )
    first = mastery_selectors.week_of(today) - dt.timedelta(weeks=REVIEW_WEEKS - 1)
    waiting = len(mastery_selectors.unanswered_reviews([person.pk], first))
    if waiting:
        found.append(
            Suggestion(
                ngettext(
                    "%(name)s's weekly review without an answer",
                    "%(name)s's weekly reviews without an answer",
                    waiting,
                )
                % {"name": person.name},
                ngettext(
                    "%(count)d weekly review since %(date)s has no reply yet",
                    "%(count)d weekly reviews since %(date)s have no reply yet",
                    waiting,
                )
                % {"count": waiting, "date": l10n.format_day(first, "day_month")},
            )
        )
    return found


def _cut(text: str, limit: int) -> str:
    """``text`` within a field's limit, cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class HeldMeeting:
    """One held meeting in a summary: its agenda, action items and shared notes — never a
    private note (the summary does not read that model at all)."""

    date: dt.date
    points: list[TalkingPoint]
    actions: list[ActionItem]
    shared_notes: str


@dataclass(frozen=True)
class SeriesSummary:
    series: OneOnOne
    lead: Person
    meetings: list[HeldMeeting]


@dataclass(frozen=True)
class EarlierOneOnOnes:
    person: Person
    summaries: list[SeriesSummary]


def _shared_summaries(actor: Actor, person_ids: list[int]) -> list[OneOnOne]:
    me = actor.person
    if me is None or not person_ids:
        return []
    candidates = (
        OneOnOne.objects.filter(
            organisation=actor.organisation,
            person_id__in=person_ids,
            kind=OneOnOne.Kind.MANAGER,
            share_summary=True,
            person__manager=me,
        )
        .exclude(lead=me)
        .select_related("person", "lead")
    )
    return [s for s in candidates if can(actor, "one_on_ones.read_summary", s)]


def with_earlier_summaries(actor: Actor, person_ids: list[int]) -> set[int]:
    """Which of these people share an earlier 1:1's summary with the actor (for links)."""
    return {s.person_id for s in _shared_summaries(actor, person_ids)}


def earlier_one_on_ones(actor: Actor, person_id: int) -> EarlierOneOnOnes:
    """The summaries a person shares with the actor, their next manager: each held
    meeting's date, talking points, action items and shared notes. 404 when there is none
    the actor may read (whether a summary exists is the person's business)."""
    series = _shared_summaries(actor, [person_id])
    if not series:
        raise NotFound(_("no earlier 1:1s shared with you"))
    held = list(
        Meeting.objects.filter(one_on_one__in=series, held_at__isnull=False).order_by("date", "id")
    )
    points: dict[int, list[TalkingPoint]] = {}
    for p in TalkingPoint.objects.filter(meeting__in=held):
        points.setdefault(p.meeting_id, []).append(p)
    actions: dict[int, list[ActionItem]] = {}
    for a in ActionItem.objects.filter(meeting__in=held).select_related("owner"):
        actions.setdefault(a.meeting_id, []).append(a)
    by_series: dict[int, list[HeldMeeting]] = {}
    for m in held:
        by_series.setdefault(m.one_on_one_id, []).append(
            HeldMeeting(m.date, points.get(m.pk, []), actions.get(m.pk, []), m.shared_notes)
        )
    return EarlierOneOnOnes(
        person=series[0].person,
        summaries=[SeriesSummary(s, s.lead, by_series.get(s.pk, [])) for s in series],
    )


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting_id: int
    series_id: int
    date: dt.date
    other: str  # the other person's name


def upcoming_meetings(person: Person, since: dt.date) -> list[UpcomingMeeting]:
    """The open meetings of a person's 1:1s (either side) planned from ``since`` on — for
    the person's own calendar feed: the day and who with, nothing of the agenda. One
    query."""
    rows = (
        Meeting.objects.filter(
            Q(one_on_one__person=person) | Q(one_on_one__lead=person),
            held_at__isnull=True,
            date__gte=since,
        )
        .select_related("one_on_one__person", "one_on_one__lead")
        .order_by("date", "id")
    )
    return [
        UpcomingMeeting(
            m.pk,
            m.one_on_one_id,
            m.date,
            (
                m.one_on_one.lead.name
                if m.one_on_one.person_id == person.pk
                else m.one_on_one.person.name
            ),
        )
        for m in rows
    ]
