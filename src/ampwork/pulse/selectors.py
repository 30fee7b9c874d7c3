"""Reads for pulses: rounds, a person's open invitations, results seen through the
anonymity rules and the reader's role, trends and reliability.

Results always use the round's frozen reporting groups (``frozen_tree``) — the tree the
invitations were made from — never today's teams: moving, renaming or deleting a team,
or adding people to it, after a round opened changes nothing in its results.

Results are shown only once a round is closed. While it is open every answer would move
them, so reading a group just before and just after one person answers would give that
person's answers, comment included (differencing over time). An open round shows only
how many answered in all (docs/privacy.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy

from ampwork.core import l10n, summaries
from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation
from ampwork.core.permissions import Actor, can

from . import anonymity, results, scoring, translations
from .instrument import SUBSCALES, VERSION, Item
from .models import Invitation, ReportingGroup, Response, Round
from .services import CHANGE_WINDOW, answer_count, items_of, open_language, open_link


def rounds(actor: Actor) -> QuerySet[Round]:
    return Round.objects.filter(organisation=actor.organisation).order_by("-opens", "-id")


def get_round(actor: Actor, pk: int) -> Round:
    found = rounds(actor).filter(pk=pk).select_related("organisation").first()
    if found is None:
        raise NotFound(gettext("no such pulse"))
    return found


def shared_token(actor: Actor, round: Round) -> str | None:
    """An open round's shared link token, only for those who may share it (``pulse.run``:
    admins, people ops, the teacher of its class); None for everyone else, and for a round
    with no link to show (services.open_link)."""
    if round.mode != Round.Mode.UNATTRIBUTED or round.status != Round.Status.OPEN:
        return None
    if not can(actor, "pulse.run", round):
        return None
    return open_link(round)


def team_choices(actor: Actor) -> list[tuple[int, str]]:
    """The teams a new round may be for, as (id, name), depth first: every team (indented
    by depth) for those who run pulses for the whole organisation, else only the teams the
    actor may run one for (``pulse.for_team``: a teacher's classes). Two queries, and one
    more per team a teacher leads."""
    nodes = core_selectors.flatten(core_selectors.team_tree(actor.organisation, with_leads=False))
    if can(actor, "pulse.manage", actor.organisation):
        return [(n.team.pk, "\u2003" * n.depth + n.team.name) for n in nodes]
    led = core_selectors.led_teams(actor.person) if actor.person is not None else set()
    return [
        (n.team.pk, n.team.name)
        for n in nodes
        if n.team.pk in led and can(actor, "pulse.for_team", n.team)
    ]


def my_invitations(actor: Actor) -> dict[int, Invitation]:
    if actor.person is None:
        return {}
    return {
        i.round_id: i
        for i in Invitation.objects.filter(
            person=actor.person, round__organisation=actor.organisation
        )
    }


def closing_for(actor: Actor, since: dt.date) -> list[Round]:
    """Open rounds closing from ``since`` on that concern the actor: those they are invited
    to (their own invitation, used or not) and those they may run (``pulse.run``) — for
    their calendar feed: a name and a closing day, nothing of the answers."""
    found = Round.objects.filter(
        organisation=actor.organisation, status=Round.Status.OPEN, closes__gte=since
    ).order_by("closes", "id")
    invited = set(my_invitations(actor))
    return [r for r in found if r.pk in invited or can(actor, "pulse.run", r)]


def visible_groups(actor: Actor, parents: dict[int, int | None]) -> set[int] | None:
    """The groups whose results the reader may see: all (None) for admins; the organisation
    and the teams they lead (with what is inside them) for managers; the organisation for
    everyone else."""
    if can(actor, "pulse.manage"):
        return None
    allowed = {anonymity.ROOT}
    if can(actor, "pulse.team_results") and actor.person is not None:
        allowed |= anonymity.within(parents, core_selectors.led_teams(actor.person))
    return allowed


@dataclass(frozen=True)
class FrozenTree:
    """A round's reporting groups as they stood when it opened."""

    parents: dict[int, int | None]
    names: dict[int, str]
    order: list[int]  # depth first, by name: the order groups are shown in
    changes: dict[int, int]  # changes before opening in each group and the groups inside it


def frozen_tree(round: Round) -> FrozenTree:
    """The snapshot taken when the round opened (one query). A round without one (a
    draft) has only the organisation."""
    rows = list(
        ReportingGroup.objects.filter(round=round).values_list(
            "team_id", "parent_id", "name", "recent_changes"
        )
    )
    known = {team for team, _, _, _ in rows}
    parents = {team: (parent if parent in known else None) for team, parent, _, _ in rows}
    names = {team: name for team, _, name, _ in rows}
    children: dict[int | None, list[int]] = {}
    for team in sorted(parents, key=lambda t: (names[t].casefold(), t)):
        children.setdefault(parents[team], []).append(team)
    order: list[int] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        team = stack.pop()
        order.append(team)
        stack.extend(reversed(children.get(team, [])))
    direct = {team: count for team, _, _, count in rows}
    changes: dict[int, int] = {}
    for team in reversed(order):  # children before their parents
        changes[team] = direct[team] + sum(changes[c] for c in children.get(team, []))
    return FrozenTree(parents, names, order, {t: c for t, c in changes.items() if c})


@dataclass
class RoundResults:
    round: Round
    groups: dict[int, dict[str, Any]]
    names: dict[int, str]
    order: list[int]
    subscales: list[tuple[str, str]]
    responses: int
    invited: int
    previous: Round | None = None
    changes: dict[str, scoring.Change] = field(default_factory=dict)
    reliability: dict[str, scoring.Reliability] | None = None
    # groups whose people or teams changed in the days before opening: how many changes
    audience_changed: dict[int, int] = field(default_factory=dict)
    change_window_days: int = CHANGE_WINDOW.days
    # a shared link: the answers it took, and the most it takes
    shared_answers: int | None = None
    audience_size: int | None = None
    # False until the round closes: then no group, change, reliability or comment at all
    available: bool = True
    parents: dict[int, int | None] = field(default_factory=dict)  # the frozen tree
    # the answers by language, only when every language group (and the rest beside it)
    # reaches the minimum (anonymity.language_split); None: not shown
    languages: dict[str, int] | None = None
    # α per subscale and language of that split, for pulse.manage (missing: too few)
    reliability_by_language: dict[str, dict[str, scoring.Reliability]] | None = None
    as_of: summaries.Fresh[Any] | None = None  # when the figures were computed

    @property
    def rate(self) -> float | None:
        """How many answered of those who could (invited, or a shared link's cap)."""
        could = self.audience_size if self.round.mode == Round.Mode.UNATTRIBUTED else self.invited
        return self.responses / could if could else None


def _data(round: Round) -> list[results.ResponseData]:
    """Every answer of a closed round. Closing writes the pool into responses, and the
    pool refuses a closed round, so a closed round's answers are all responses."""
    if round.status != Round.Status.CLOSED:
        raise ValueError("a round's answers are read only once it is closed")
    return [
        results.ResponseData(
            group or anonymity.ROOT, answers, enps, comment, open_language(round.pk, sealed)
        )
        for group, answers, enps, comment, sealed in Response.objects.filter(
            round=round
        ).values_list("group_id", "answers", "enps", "comment", "language_sealed")
    ]


def answer_language(response: Response) -> str:
    """The language one answer was read in ("": before languages were recorded, English),
    opened from its sealed column with the server's secret key. For the app's own checks
    and tests — never shown for one answer: results show languages only in a split that
    passes the anonymity rules (``anonymity.language_split``)."""
    return open_language(response.round_id, response.language_sealed)


def answer_translation(response: Response, instrument_version: str | None = None) -> str:
    """The text one answer was read in: the translation's version ("amp-pulse-1/de-1") or
    the instrument's own — derived from the round's instrument and the sealed language,
    never stored."""
    version = instrument_version or response.round.instrument
    return translations.translation_version(version, answer_language(response))


def _waiting(round: Round) -> RoundResults:
    """A round that is not closed: how many answered in all, and nothing else."""
    shared = round.mode == Round.Mode.UNATTRIBUTED
    count = answer_count(round)
    return RoundResults(
        round,
        {},
        {},
        [],
        [],
        count,
        round.invitations.count(),
        shared_answers=count if shared else None,
        audience_size=round.audience_size if shared else None,
        available=False,
    )


def _same_as_everyone(
    tree: FrozenTree, data: list[results.ResponseData], invited: dict[int, int]
) -> int | None:
    """The round's only top-level group when its row would repeat Everyone's — every
    answer and every invitation came from inside it (the company or school itself) — so
    that it is listed once, as Everyone; else None."""
    tops = [group for group, parent in tree.parents.items() if parent is None]
    if len(tops) != 1 or invited.get(anonymity.ROOT):
        return None
    if any(r.group not in tree.parents for r in data):  # an answer from outside every team
        return None
    return tops[0]


@dataclass
class _Closed:
    """A closed round's results for every group, before any reader's rules: computed once
    per change of the pulse's data (``core.summaries``)."""

    tree: FrozenTree
    groups: dict[int, dict[str, Any]]
    same: int | None
    responses: int
    invited: dict[int, int]
    subscales: list[tuple[str, str]]
    changes: dict[str, scoring.Change] | None  # None: no comparable previous round
    reliability: dict[str, scoring.Reliability]
    # the whole round's answers by language, only when the split may be shown
    # (anonymity.language_split); None: not shown
    languages: dict[str, int] | None = None
    # α per subscale within each language of that split (a subscale missing: too few)
    reliability_by_language: dict[str, dict[str, scoring.Reliability]] | None = None


def _closed(round: Round, previous: Round | None, minimum: int) -> _Closed:
    tree = frozen_tree(round)
    data = _data(round)
    invited: dict[int, int] = {}
    for group in Invitation.objects.filter(round=round).values_list("group_id", flat=True):
        key = group or anonymity.ROOT
        invited[key] = invited.get(key, 0) + 1
    items = items_of(round)
    matrix = results.matrix_of(data, items)
    computed = results.compute(data, items, tree.parents, minimum, invited, matrix=matrix)
    changes = None
    everyone = computed.get(anonymity.ROOT)
    # languages: only once Everyone is shown, and only a split every part of which (and
    # the rest beside it) reaches the minimum
    split = None
    if everyone is not None and not everyone["suppressed"]:
        split = anonymity.language_split(results.language_counts(data), minimum)
    if previous is not None and everyone is not None and not everyone["suppressed"]:
        previous_data = _data(previous)
        before = results.compute(
            previous_data, items_of(previous), tree.parents, previous.minimum or minimum
        ).get(anonymity.ROOT)
        if before and not before["suppressed"]:
            changes = results.changes(  # respondent by respondent (docs/methods.md)
                previous_data,
                items_of(previous),
                data,
                items,
                minimum=minimum,
                populations=(
                    _population(previous),
                    _population(round, sum(invited.values())),
                ),
            )
    return _Closed(
        tree,
        computed,
        _same_as_everyone(tree, data, invited),
        len(data),
        invited,
        [
            (code, SUBSCALES.get(code, "Own questions"))
            for code in dict.fromkeys(i.subscale for i in items)
        ],
        changes,
        results.reliability(data, items, matrix, minimum=minimum),
        split,
        results.reliability_by_language(data, items, split, matrix, minimum=minimum)
        if split
        else None,
    )


def round_results(actor: Actor, round: Round, *, team: int | None = None) -> RoundResults:
    """A round's results as the reader may see them. Only a closed round has any (see the
    module's docstring); before, only the count. Every group's figures are computed once
    (:class:`_Closed`); the reader's rules are applied here, on every request."""
    if round.status != Round.Status.CLOSED:
        return _waiting(round)
    org = actor.organisation
    minimum = round.minimum or org.anonymity_min_group
    previous = (
        rounds(actor)
        .filter(opens__lt=round.opens, status=Round.Status.CLOSED)
        .exclude(pk=round.pk)
        .first()
    )
    fresh = summaries.summary(
        "pulse.results.2",  # .2: with languages (a value cached before has none)
        (round.pk, previous.pk if previous else None, minimum),
        ("surveys",),
        lambda: _closed(round, previous, minimum),
    )
    closed = fresh.value
    tree = closed.tree
    computed = closed.groups
    allowed = visible_groups(actor, tree.parents)
    if allowed is not None:
        computed = {g: r for g, r in computed.items() if g in allowed}
    if team is not None:
        computed = {g: r for g, r in computed.items() if g == team}
    same = closed.same
    out = RoundResults(
        round,
        computed,
        {anonymity.ROOT: gettext("Everyone (%(name)s)") % {"name": org.name}, **tree.names},
        # the whole organisation once: Everyone, not again as its top unit (methods)
        [
            g
            for g in [anonymity.ROOT, *tree.order]
            if g in computed and not (g == same and anonymity.ROOT in computed)
        ],
        [(code, subscale_label(round, code)) for code, _ in closed.subscales],
        closed.responses,
        sum(closed.invited.values()),
    )
    out.audience_changed = {g: c for g, c in tree.changes.items() if g in computed}
    out.parents = tree.parents
    out.as_of = fresh
    if round.mode == Round.Mode.UNATTRIBUTED:
        out.shared_answers = closed.responses
        out.audience_size = round.audience_size
    if closed.changes is not None and anonymity.ROOT in computed:
        out.previous = previous
        out.changes = closed.changes
    if anonymity.ROOT in out.groups and not out.groups[anonymity.ROOT]["suppressed"]:
        out.languages = closed.languages
    if can(actor, "pulse.manage"):  # admins, people ops; nothing under the minimum
        out.reliability = closed.reliability
        out.reliability_by_language = closed.reliability_by_language or {}
    return out


# The PPRA protected areas' names for people (instrument.AREAS is the pure, English
# reference; tests/pulse check the codes match)
AREA_LABELS = {
    "political": pgettext_lazy(
        "PPRA area", "Political affiliations or beliefs of the student or the student's parent"
    ),
    "mental": pgettext_lazy(
        "PPRA area", "Mental or psychological problems of the student or the student's family"
    ),
    "sex": pgettext_lazy("PPRA area", "Sex behaviour or attitudes"),
    "illegal": pgettext_lazy(
        "PPRA area", "Illegal, anti-social, self-incriminating or demeaning behaviour"
    ),
    "family_appraisal": pgettext_lazy(
        "PPRA area",
        "Critical appraisals of others with whom the student has close family relationships",
    ),
    "privileged": pgettext_lazy(
        "PPRA area", "Legally recognised privileged relationships (lawyers, doctors, ministers)"
    ),
    "religion": pgettext_lazy(
        "PPRA area", "Religious practices, affiliations or beliefs of the student or parent"
    ),
    "income": pgettext_lazy(
        "PPRA area", "Income (other than what a programme's eligibility requires)"
    ),
}


def reader_language(round: Round) -> str:
    """The instrument language the page's reader gets (their language when the round's
    instrument has a translation into it, else English)."""
    return translations.language_of(translation.get_language(), round.instrument)


def item_words(round: Round, item: Item, school: bool, band: str | None = None) -> str:
    """An item as the page's reader reads it (a family's preview of a student pulse)."""
    language = reader_language(round)
    return l10n.punctuated(
        translations.item_text(round.instrument, language, item, school, band), language
    )


def enps_words(round: Round, school: bool, band: str | None = None) -> str:
    language = reader_language(round)
    return l10n.punctuated(
        translations.enps_text(round.instrument, language, school, band), language
    )


def comment_words(round: Round) -> str:
    language = reader_language(round)
    return l10n.punctuated(translations.comment_text(round.instrument, language), language)


def subscale_label(round: Round | RoundRef, code: str) -> str:
    """A subscale's name in the reader's language (the instrument's translation), spaced
    as the reader's language spaces its punctuation: the French names are stored, in the
    versioned translation ("amp-pulse-1/fr-1"), with a plain space before their colon;
    they are shown with a no-break one, so a label never wraps before its colon. The
    stored text stays as it was versioned."""
    if code in SUBSCALES:
        language = translations.language_of(translation.get_language(), round.instrument)
        return l10n.punctuated(translations.subscale_name(round.instrument, language, code))
    return gettext("Own questions")


def subscale_heading(round: Round | RoundRef, code: str) -> tuple[str, str]:
    """A subscale's name for a narrow column: (the whole name, the part after its colon).

    The four autonomy subscales share a prefix ("Autonomy: how I work", "Autonomie : comment
    je travaille"); a column headed under "Autonomy" needs only what follows it."""
    whole = subscale_label(round, code)
    return whole, whole.split(":", 1)[1].strip() if ":" in whole else whole


@dataclass(frozen=True)
class LanguageRow:
    """A language of a round's answers, as the results page shows it."""

    code: str
    name: str
    n: int
    translated: bool
    validated: bool  # its α reached the acceptable level in every subscale on these data


def language_rows(data: RoundResults) -> list[LanguageRow]:
    """The languages of a closed round's answers, when the split may be shown (else none):
    each with its count and whether its wording is a translation not yet validated on
    these data (α per language needs ``pulse.manage``; for other readers a translation
    stays "not yet validated")."""
    if not data.languages:
        return []
    version = data.round.instrument
    multi = list(data.reliability or {})
    rows = []
    for code, n in data.languages.items():
        translated = translations.is_translation(version, code)
        rel = (data.reliability_by_language or {}).get(code, {})
        rows.append(
            LanguageRow(
                code,
                translations.NAMES.get(code, code),
                n,
                translated,
                translated and results.validated_on_data(rel, multi),
            )
        )
    return rows


ALL_ROWS = 60  # up to this many groups, the heatmap shows them all; beyond, the levels that fit


@dataclass(frozen=True)
class HeatRow:
    group: int
    depth: int
    closed: int  # groups inside it not shown (0: none, or all shown)


def heat_rows(data: RoundResults, opened: int | None = None) -> list[HeatRow]:
    """The heatmap's rows: every group the reader may see in a small organisation; in a
    large one as many levels from the top as fit in ``ALL_ROWS`` rows (at least the top
    one), and the groups inside ``opened`` and inside each group above it. A row with
    groups inside it not shown says how many, so the page can offer to open it (as the
    alignment tree opens a team). The page stays the same size as the organisation grows."""
    order, parents = data.order, data.parents
    depth: dict[int, int] = {}
    for g in order:  # parents before their children
        p = parents.get(g)
        depth[g] = depth[p] + 1 if p in depth else 0
    if len(order) <= ALL_ROWS:
        return [HeatRow(g, depth[g], 0) for g in order]
    path: set[int] = set()
    at = opened if opened in depth else None
    while at is not None:
        path.add(at)
        up = parents.get(at)
        at = up if up in depth else None
    per_level = Counter(depth.values())
    levels, fit = 1, per_level[0]
    while per_level[levels] and fit + per_level[levels] <= ALL_ROWS:
        fit += per_level[levels]
        levels += 1
    shown = [g for g in order if depth[g] < levels or parents.get(g) in path]
    visible = set(shown)
    hidden = Counter(parents.get(g) for g in order if g not in visible)
    return [HeatRow(g, depth[g], hidden.get(g, 0)) for g in shown]


def _population(round: Round, invited: int | None = None) -> int | None:
    """How many people could answer, for the finite-population correction: those invited,
    or the audience a shared link was opened for; None when unknown."""
    if round.mode == Round.Mode.UNATTRIBUTED:
        return round.audience_size or None
    if invited is None:
        invited = round.invitations.count()
    return invited or None


# ---------------------------------------------------------------- for other apps (plain data)


@dataclass(frozen=True)
class RoundRef:
    id: int
    name: str
    closes: dt.date
    instrument: str = VERSION


def _ref(round: Round) -> RoundRef:
    return RoundRef(round.pk, round.name, round.closes, round.instrument)


def latest_closed_groups(actor: Actor) -> tuple[RoundRef, dict[int, dict[str, Any]]] | None:
    """The organisation's latest closed round and its groups' results as the reader may
    see them (:func:`round_results`: suppressed groups say why); None before any closes."""
    latest = (
        Round.objects.filter(organisation=actor.organisation, status=Round.Status.CLOSED)
        .order_by("-closes", "-id")
        .first()
    )
    if latest is None:
        return None
    return _ref(latest), round_results(actor, latest).groups


def favourable_trend(
    org: Organisation, rounds: int
) -> list[tuple[RoundRef, dict[str, float | None]]]:
    """The organisation's favourable share per subscale group (autonomy: the four Ts
    together, mastery, purpose) in its last ``rounds`` closed rounds, oldest first: the
    whole organisation only, under the round's anonymity minimum (None when suppressed).
    One query, then per round the pulse data's version and, when its shares are not kept
    yet, its answers: a closed round's answers never change, so each round's shares are a
    summary of the pulse data (``core.summaries``), not computed again when an objective or
    a review changes (any pulse write, in any organisation, moves the version: they are
    then computed again once)."""
    closed = list(
        Round.objects.filter(organisation=org, status=Round.Status.CLOSED).order_by(
            "-closes", "-id"
        )[:rounds]
    )
    out = []
    for round in reversed(closed):
        minimum = round.minimum or org.anonymity_min_group
        shares = summaries.summary(
            "pulse.trend",
            (round.pk, minimum),
            ("surveys",),
            partial(_favourable_shares, round, minimum),
        ).value
        out.append((_ref(round), shares))
    return out


def _favourable_shares(round: Round, minimum: int) -> dict[str, float | None]:
    """The whole organisation's favourable share per subscale group in a closed round, or
    None for each when the round is under its anonymity minimum. One query."""
    data = [
        results.ResponseData(anonymity.ROOT, answers, enps, "")
        for answers, enps in Response.objects.filter(round=round).values_list("answers", "enps")
    ]
    root = results.compute(data, items_of(round), {}, minimum).get(anonymity.ROOT)
    if root is None or root["suppressed"]:
        return {"autonomy": None, "mastery": None, "purpose": None}
    subs = root["subscales"]
    autonomy = [
        subs[c]["favourable"]
        for c in subs
        if c.startswith("autonomy") and subs[c]["favourable"] is not None
    ]
    return {
        "autonomy": sum(autonomy) / len(autonomy) if autonomy else None,
        "mastery": (subs.get("mastery") or {}).get("favourable"),
        "purpose": (subs.get("purpose") or {}).get("favourable"),
    }


def forgettable(org_id: int, person_ids: Iterable[int]) -> tuple[int, int]:
    """How many invitations of these people a retention purge would forget now (those of
    closed rounds), and how many it leaves until their rounds close."""
    rows = Invitation.objects.filter(
        round__organisation_id=org_id, person_id__in=list(person_ids)
    ).values_list("round__status", flat=True)
    closed = sum(1 for status in rows if status == Round.Status.CLOSED)
    return closed, len(rows) - closed
