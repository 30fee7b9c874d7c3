"""Reads for organisations, people and teams, always scoped by organisation.

Each selector runs a fixed number of queries whatever the organisation's size; the
tests in ``tests/core/test_query_counts.py`` pin them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from allauth.mfa.models import Authenticator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from . import charts, summaries
from .errors import NotFound
from .models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Organisation,
    Person,
    Role,
    ScimToken,
    SignInInvite,
    Team,
    TeamMembership,
    User,
)
from .permissions import TWO_FACTOR_ROLES, Actor, can


def actor_for(user: User, organisation: Organisation) -> Actor | None:
    """The actor a signed-in user is in an organisation, or None if not a member there."""
    person = (
        Person.objects.filter(organisation=organisation, user=user, active=True)
        .select_related("organisation")
        .first()
    )
    if person is None:
        return None
    # no query unless the organisation's two-factor policy concerns this person's role
    ok = not (organisation.require_two_factor and person.role in TWO_FACTOR_ROLES)
    return Actor(
        organisation=organisation,
        role=person.role,
        user=user,
        person=person,
        two_factor_ok=ok or has_two_factor(user),
    )


def has_two_factor(user: User) -> bool:
    """The account has set up a second factor (an authenticator app, a passkey or a
    security key; recovery codes alone only come with one of those)."""
    found: bool = (
        Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )
    return found


def scim_token_of(org: Organisation) -> ScimToken | None:
    """The organisation's active SCIM token (its identity provider's), if it has one."""
    return ScimToken.objects.filter(organisation=org, revoked_at__isnull=True).first()


def organisations_for(user: User) -> list[Organisation]:
    return list(
        Organisation.objects.filter(people__user=user, people__active=True)
        .distinct()
        .order_by("name")
    )


def pending_invitations(user: User) -> list[Invitation]:
    """Invitations waiting for an account's answer, newest first: one query."""
    return list(
        Invitation.objects.filter(user=user, status=Invitation.Status.PENDING)
        .select_related("organisation", "person", "invited_by")
        .order_by("-created_at", "-id")
    )


def sign_in_invite_of(person: Person) -> SignInInvite | None:
    """The newest link emailed to a person to choose a first password, not used yet."""
    return (
        SignInInvite.objects.filter(person=person, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def waiting_invitation(person: Person) -> Invitation | None:
    """The invitation a person's existing account has not answered yet, if any."""
    return (
        Invitation.objects.filter(person=person, status=Invitation.Status.PENDING)
        .order_by("-created_at")
        .first()
    )


def organisation_by_slug(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(_("no organisation with slug '%(slug)s'") % {"slug": slug})
    return org


def get_person(org: Organisation, pk: int) -> Person:
    person = (
        Person.objects.filter(organisation=org, pk=pk)
        .select_related("manager", "organisation", "user")
        .first()
    )
    if person is None:
        raise NotFound(_("no such person"))
    return person


def get_team(org: Organisation, pk: int) -> Team:
    team = Team.objects.filter(organisation=org, pk=pk).select_related("parent").first()
    if team is None:
        raise NotFound(_("no such team"))
    return team


def get_membership(org: Organisation, pk: int) -> TeamMembership:
    membership = TeamMembership.objects.filter(organisation=org, pk=pk).first()
    if membership is None:
        raise NotFound(_("no such membership"))
    return membership


def people(
    org: Organisation,
    *,
    query: str = "",
    team_id: int | None = None,
    active: bool | None = True,
    role: str | None = None,
) -> QuerySet[Person]:
    """People of an organisation with their manager and teams: three queries for any page."""
    qs = Person.objects.filter(organisation=org)
    if active is not None:
        qs = qs.filter(active=active)
    if query:
        for word in query.split()[:5]:
            qs = qs.filter(
                Q(name__icontains=word) | Q(email__icontains=word) | Q(job_title__icontains=word)
            )
    if team_id is not None:
        qs = qs.filter(memberships__team_id=team_id)
    if role:
        qs = qs.filter(role=role)
    return (
        qs.select_related("manager")
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("team"))
        )
        .order_by("name", "id")
    )


def directory(
    actor: Actor,
    *,
    query: str = "",
    team_id: int | None = None,
    active: bool | None = True,
) -> QuerySet[Person]:
    """The people ``actor`` may look up: everyone in the organisation, or — for a school's
    student (``people.view_everyone``) — the people who share a class with them, and
    themselves. An email address is searched only by who may read it."""
    by_email = can(actor, "people.view_email")
    qs = people(actor.organisation, team_id=team_id, active=active)
    if query:
        for word in query.split()[:5]:
            found = Q(name__icontains=word) | Q(job_title__icontains=word)
            if by_email:
                found |= Q(email__icontains=word)
            qs = qs.filter(found)
    if not can(actor, "people.view_everyone"):
        if actor.person is None:
            return qs.none()
        classes = TeamMembership.objects.filter(person=actor.person).values("team_id")
        shared = TeamMembership.objects.filter(team_id__in=classes).values("person_id")
        qs = qs.filter(Q(pk__in=shared) | Q(pk=actor.person.pk))
    return qs


def teams(org: Organisation) -> QuerySet[Team]:
    return Team.objects.filter(organisation=org).order_by("name", "id")


def memberships(
    org: Organisation, *, team_id: int | None = None, person_id: int | None = None
) -> QuerySet[TeamMembership]:
    qs = TeamMembership.objects.filter(organisation=org)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("team_id", "person_id", "id")


@dataclass
class TeamNode:
    """A team in the tree with its direct member count and the total below it."""

    team: Team
    depth: int = 0
    members: int = 0
    total: int = 0
    children: list[TeamNode] = field(default_factory=list)
    lead_names: list[str] = field(default_factory=list)


def team_tree(org: Organisation, *, with_leads: bool = True) -> list[TeamNode]:
    """The whole team tree in two queries (teams with counts; leads)."""
    rows = list(
        Team.objects.filter(organisation=org)
        .annotate(n=Count("memberships", filter=Q(memberships__person__active=True)))
        .order_by("name", "id")
    )
    nodes = {t.pk: TeamNode(team=t, members=t.n) for t in rows}
    if with_leads:
        for team_id, name in (
            TeamMembership.objects.filter(
                organisation=org, role=TeamMembership.Role.LEAD, person__active=True
            )
            .order_by("person__name")
            .values_list("team_id", "person__name")
        ):
            nodes[team_id].lead_names.append(name)
    roots: list[TeamNode] = []
    for node in nodes.values():
        parent = nodes.get(node.team.parent_id) if node.team.parent_id else None
        (parent.children if parent else roots).append(node)
    _fill(roots, 0)
    return roots


def _fill(nodes: Iterable[TeamNode], depth: int) -> int:
    total = 0
    # Iterative would be needed only past Python's recursion limit (~1000 levels).
    for node in nodes:
        node.depth = depth
        node.total = node.members + _fill(node.children, depth + 1)
        total += node.total
    return total


class TeamRow(NamedTuple):
    """A team as whole-organisation pages need it (the OKR tree and dashboard): its id,
    name and parent, without a model instance."""

    pk: int
    name: str
    parent_id: int | None


@dataclass
class TeamOutline:
    """A team in :func:`team_outline`: its row, its depth and the teams inside it."""

    team: TeamRow
    depth: int = 0
    children: list[TeamOutline] = field(default_factory=list)


def team_outline(org: Organisation) -> list[TeamOutline]:
    """The team tree as :func:`team_tree` orders it (siblings by name, then id), as plain
    rows: one query of three columns, no member counts, no leads. :func:`team_tree` makes a
    model instance per team (with its dates) and counts members: about 4.5 ms at 2,000
    people, which the OKR pages, reading whole cycles, do not need."""
    nodes = {
        pk: TeamOutline(TeamRow(pk, name, parent))
        for pk, name, parent in teams(org).values_list("id", "name", "parent_id")
    }
    roots: list[TeamOutline] = []
    for node in nodes.values():
        parent_id = node.team.parent_id
        above = nodes.get(parent_id) if parent_id else None
        (above.children if above else roots).append(node)
    level, depth = roots, 0
    while level:
        below: list[TeamOutline] = []
        for node in level:
            node.depth = depth
            below += node.children
        level, depth = below, depth + 1
    return roots


def first_branching_level(tree: list[TeamNode]) -> tuple[list[TeamNode], TeamNode | None]:
    """The first level of the tree with more than one unit, and the unit above it.

    An organisation whose tree starts with one root (the company itself) is best shown
    by the units directly under that root.
    """
    units, parent = tree, None
    while len(units) == 1 and units[0].children:
        parent, units = units[0], units[0].children
    return units, parent


def whole_organisation_unit(tree: list[TeamNode]) -> TeamNode | None:
    """The unit that stands for the whole organisation — the only root of the tree, with
    units under it (the company or the school itself) — or None."""
    return tree[0] if len(tree) == 1 and tree[0].children else None


def unit_count(tree: list[TeamNode]) -> int:
    """Teams (classes, in a school) at every level, the unit that is the whole
    organisation aside: a school with one class has one class, not two."""
    return len(flatten(tree)) - (whole_organisation_unit(tree) is not None)


_Node = TypeVar("_Node", TeamNode, TeamOutline)


def flatten(nodes: Iterable[_Node]) -> list[_Node]:
    """Depth-first list of a tree, for indented tables and select boxes."""
    out: list[_Node] = []
    stack = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


@dataclass
class OrgChartLevel:
    """One opened level of the org chart: a team's sub-teams and its people."""

    team: Team | None
    breadcrumbs: list[Team]
    subteams: list[TeamNode]
    members: list[TeamMembership]


def org_chart_level(org: Organisation, team_id: int | None) -> OrgChartLevel:
    """The org chart opened at one team (or at the top): five queries at any size."""
    team = get_team(org, team_id) if team_id is not None else None
    breadcrumbs: list[Team] = []
    if team is not None:
        parents = dict(Team.objects.filter(organisation=org).values_list("id", "parent_id"))
        names = {
            t.pk: t for t in Team.objects.filter(organisation=org, pk__in=_chain(parents, team))
        }
        breadcrumbs = [names[pk] for pk in reversed(_chain(parents, team)) if pk != team.pk]
    children = (
        Team.objects.filter(organisation=org, parent=team)
        .annotate(
            n=Count("memberships", filter=Q(memberships__person__active=True), distinct=True),
            sub=Count("children", distinct=True),
        )
        .order_by("name", "id")
    )
    subteams = [TeamNode(team=t, members=t.n, total=t.sub) for t in children]
    leads: dict[int, list[str]] = defaultdict(list)
    for team_pk, name in (
        TeamMembership.objects.filter(
            team__in=[n.team.pk for n in subteams],
            role=TeamMembership.Role.LEAD,
            person__active=True,
        )
        .order_by("person__name")
        .values_list("team_id", "person__name")
    ):
        leads[team_pk].append(name)
    for node in subteams:
        node.lead_names = leads[node.team.pk]
    members: list[TeamMembership] = []
    if team is not None:
        members = list(
            TeamMembership.objects.filter(team=team, person__active=True)
            .select_related("person")
            .order_by("-role", "person__name")
        )
    return OrgChartLevel(team=team, breadcrumbs=breadcrumbs, subteams=subteams, members=members)


def _chain(parents: Mapping[int, int | None], team: Team) -> list[int]:
    chain: list[int] = []
    current: int | None = team.pk
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def team_detail(org: Organisation, pk: int) -> tuple[Team, list[TeamMembership], list[Team]]:
    team = get_team(org, pk)
    members = list(
        TeamMembership.objects.filter(team=team)
        .select_related("person")
        .order_by("-role", "person__name")
    )
    subteams = list(Team.objects.filter(parent=team).order_by("name"))
    return team, members, subteams


def person_detail(org: Organisation, pk: int) -> tuple[Person, list[TeamMembership], list[Person]]:
    person = get_person(org, pk)
    teams_of = list(
        TeamMembership.objects.filter(person=person).select_related("team").order_by("team__name")
    )
    reports = list(Person.objects.filter(manager=person, active=True).order_by("name"))
    return person, teams_of, reports


def headcount(org: Organisation, tree: list[TeamNode] | None = None) -> dict[str, int]:
    counts = Person.objects.filter(organisation=org).aggregate(
        people=Count("id", filter=Q(active=True)),
        deactivated=Count("id", filter=Q(active=False)),
        with_login=Count("id", filter=Q(active=True, user__isnull=False)),
        admins=Count("id", filter=Q(active=True, role=Role.ADMIN)),
    )
    counts["teams"] = unit_count(tree if tree is not None else team_tree(org, with_leads=False))
    return counts


@dataclass(frozen=True)
class Unit:
    pk: int
    name: str
    total: int  # active people in it and in every team inside it


@dataclass
class HomeFigures:
    """The home page's own figures: headcount, and people per unit at the first level of
    the tree with more than one unit (under the unit that is the organisation, if any)."""

    counts: dict[str, int]
    teams: bool  # any at all
    units: list[Unit]
    parent: str | None  # the unit above them
    chart: str | None


def home_figures(org: Organisation) -> summaries.Fresh[HomeFigures]:
    """Computed once per change of people and teams (``core.summaries``): the whole team
    tree is read for them, some 15,000 teams at 100,000 people."""

    def compute() -> HomeFigures:
        tree = team_tree(org, with_leads=False)
        units, parent = first_branching_level(tree)
        return HomeFigures(
            headcount(org, tree),
            bool(tree),
            [Unit(n.team.pk, n.team.name, n.total) for n in units],
            parent.team.name if parent else None,
            charts.team_sizes([(n.team.name, n.total) for n in units]) if len(units) > 1 else None,
        )

    return summaries.summary("core.home", (org.pk,), ("core",), compute)


def tokens_for(user: User, org: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, organisation=org).order_by("-created_at")


def audit_log(org: Organisation) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organisation=org).order_by("-created_at", "-id")


def reports_of(person: Person) -> set[int]:
    """Everyone below a person in the reporting lines (direct and indirect): one query."""
    below: dict[int, list[int]] = defaultdict(list)
    for pk, manager_id in Person.objects.filter(
        organisation_id=person.organisation_id, manager__isnull=False
    ).values_list("id", "manager_id"):
        below[manager_id].append(pk)
    found: set[int] = set()
    stack = list(below[person.pk])
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(below[pk])
    return found


def manages(manager: Person, person_id: int) -> bool:
    """Whether ``person_id`` reports to ``manager``, directly or not (walks up the line)."""
    current: int | None = person_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        seen.add(current)
        current = Person.objects.filter(pk=current).values_list("manager_id", flat=True).first()
        if current == manager.pk:
            return True
    return False


def led_teams(person: Person) -> set[int]:
    return set(
        TeamMembership.objects.filter(person=person, role=TeamMembership.Role.LEAD).values_list(
            "team_id", flat=True
        )
    )


def coaches(coach: Person, person_id: int) -> bool:
    """Whether ``coach`` is one of the person's managers: up their reporting line, or a
    lead (a teacher, in a school) of a team they belong to."""
    if manages(coach, person_id):
        return True
    return TeamMembership.objects.filter(person_id=person_id, team_id__in=led_teams(coach)).exists()


def coached_by(coach: Person) -> set[int]:
    """Everyone a person coaches: their reports (at any depth) and the members of the teams
    they lead, never themselves. Three queries."""
    found = reports_of(coach)
    found |= set(
        TeamMembership.objects.filter(team_id__in=led_teams(coach)).values_list(
            "person_id", flat=True
        )
    )
    found.discard(coach.pk)
    return found
