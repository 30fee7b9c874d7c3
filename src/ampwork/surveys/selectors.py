"""Reads for pulses: rounds, a person's open invitations, results seen through the
anonymity rules and the reader's role, trends and reliability."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound
from ampwork.core.models import Role, Team
from ampwork.core.permissions import Actor, can

from . import anonymity, results, scoring
from .instrument import SUBSCALES
from .models import Invitation, Response, Round
from .services import items_of


def rounds(actor: Actor) -> QuerySet[Round]:
    return Round.objects.filter(organisation=actor.organisation).order_by("-opens", "-id")


def get_round(actor: Actor, pk: int) -> Round:
    found = rounds(actor).filter(pk=pk).select_related("organisation").first()
    if found is None:
        raise NotFound("no such pulse")
    return found


def my_invitations(actor: Actor) -> dict[int, Invitation]:
    if actor.person is None:
        return {}
    return {
        i.round_id: i
        for i in Invitation.objects.filter(
            person=actor.person, round__organisation=actor.organisation
        )
    }


def visible_groups(actor: Actor, parents: dict[int, int | None]) -> set[int] | None:
    """The groups whose results the reader may see: all (None) for admins; the organisation
    and the teams they lead (with what is inside them) for managers; the organisation for
    everyone else."""
    if can(actor, "pulse.manage"):
        return None
    allowed = {anonymity.ROOT}
    if actor.role == Role.MANAGER and actor.person is not None:
        led = core_selectors.led_teams(actor.person)
        children: dict[int | None, list[int]] = {}
        for team, parent in parents.items():
            children.setdefault(parent, []).append(team)
        stack = list(led)
        while stack:
            team = stack.pop()
            if team not in allowed:
                allowed.add(team)
                stack.extend(children.get(team, []))
    return allowed


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


def _data(pulse: Round) -> list[results.ResponseData]:
    return [
        results.ResponseData(group or anonymity.ROOT, answers, enps, comment)
        for group, answers, enps, comment in Response.objects.filter(round=pulse).values_list(
            "group_id", "answers", "enps", "comment"
        )
    ]


def round_results(actor: Actor, pulse: Round, *, team: int | None = None) -> RoundResults:
    """A round's results as the reader may see them: one pass over the responses."""
    org = actor.organisation
    tree = core_selectors.team_tree(org, with_leads=False)
    nodes = core_selectors.flatten(tree)
    parents = {n.team.pk: n.team.parent_id for n in nodes}
    names = {anonymity.ROOT: f"Everyone ({org.name})", **{n.team.pk: n.team.name for n in nodes}}
    order = [anonymity.ROOT, *(n.team.pk for n in nodes)]
    data = _data(pulse)
    invited: dict[int, int] = {}
    for group in Invitation.objects.filter(round=pulse).values_list("group_id", flat=True):
        key = group or anonymity.ROOT
        invited[key] = invited.get(key, 0) + 1
    items = items_of(pulse)
    minimum = pulse.minimum or org.anonymity_min_group
    matrix = results.matrix_of(data, items)
    computed = results.compute(data, items, parents, minimum, invited, matrix=matrix)
    allowed = visible_groups(actor, parents)
    if allowed is not None:
        computed = {g: r for g, r in computed.items() if g in allowed}
    if team is not None:
        computed = {g: r for g, r in computed.items() if g == team}
    subscales = [
        (code, SUBSCALES.get(code, "Own questions"))
        for code in dict.fromkeys(i.subscale for i in items)
    ]
    out = RoundResults(
        pulse,
        computed,
        names,
        [g for g in order if g in computed],
        subscales,
        len(data),
        sum(invited.values()),
    )
    previous = rounds(actor).filter(opens__lt=pulse.opens).exclude(pk=pulse.pk).first()
    if (
        previous is not None
        and anonymity.ROOT in computed
        and not computed[anonymity.ROOT]["suppressed"]
    ):
        before = results.compute(
            _data(previous), items_of(previous), parents, previous.minimum or minimum
        ).get(anonymity.ROOT)
        now = computed[anonymity.ROOT]
        if before and not before["suppressed"]:
            out.previous = previous
            for code, _ in subscales:
                a, b = before["subscales"].get(code), now["subscales"].get(code)
                if not a or not b or a["favourable"] is None or b["favourable"] is None:
                    continue
                out.changes[code] = scoring.change_in_favourable(
                    (round(a["favourable"] * a["answers"]), a["answers"]),
                    (round(b["favourable"] * b["answers"]), b["answers"]),
                    minimum=minimum,
                    respondents=(before["n"], now["n"]),
                    populations=(previous.invitations.count() or None, out.invited or None),
                )
    if can(actor, "pulse.manage"):
        out.reliability = results.reliability(data, items, matrix)  # admins, people ops
    return out


def team_name(pk: int) -> str:
    team = Team.objects.filter(pk=pk).first()
    return team.name if team else ""
