"""Reads of a school's privacy settings: each class's age band (the wording of the AMP Pulse
its students see) and recognition opt-in, the school's opt-in and retention policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from ampwork.core.models import Organisation, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.pulse import instrument

from .models import ClassSetting, SchoolPrivacy

if TYPE_CHECKING:
    from ampwork.pulse.models import Round


def bands_of(org_id: int, team_ids: Iterable[int]) -> dict[int, str]:
    """Each of the teams' age band, for the teams that have one set (one query)."""
    return dict(
        ClassSetting.objects.filter(organisation_id=org_id, team_id__in=list(team_ids))
        .exclude(age_band="")
        .values_list("team_id", "age_band")
    )


def wording(round: Round, group_id: int | None) -> str | None:
    """The pulse's wording picker (``pulse.services.WORDINGS``): the band of the answerer's
    class (their reporting group: a one-time link); for a shared link, which cannot tell
    who answers, the youngest band among the round's classes; None: the school wording."""
    if group_id is not None:
        return bands_of(round.organisation_id, [group_id]).get(group_id)
    teams = list(round.teams.values_list("id", flat=True))
    return instrument.youngest(bands_of(round.organisation_id, teams).values()) if teams else None


@dataclass(frozen=True)
class ClassRow:
    """A class on the privacy page: its band, and whether the actor may change it."""

    team: Team
    band: str
    recognition: bool


def classes_for(actor: Actor) -> list[ClassRow]:
    """The classes whose settings the actor keeps: every team of the school for a head
    teacher, the classes they lead for a teacher."""
    org: Organisation = actor.organisation
    teams = Team.objects.filter(organisation=org).exclude(kind=Team.Kind.SCHOOL)
    if actor.role != "admin":
        led = TeamMembership.objects.filter(
            organisation=org, person=actor.person, role=TeamMembership.Role.LEAD
        ).values("team_id")
        teams = teams.filter(pk__in=led)
    settings = {s.team_id: s for s in ClassSetting.objects.filter(organisation=org)}
    return [
        ClassRow(
            team,
            settings[team.pk].age_band if team.pk in settings else "",
            settings[team.pk].recognition if team.pk in settings else False,
        )
        for team in teams.order_by("name", "pk")
    ]


def recognition_open(org_id: int, person_id: int) -> bool:
    """A head teacher opened the recognition feed to every student, or a teacher to a class
    the person is in (two queries at most)."""
    if SchoolPrivacy.objects.filter(organisation_id=org_id, recognition=True).exists():
        return True
    classes = TeamMembership.objects.filter(organisation_id=org_id, person_id=person_id)
    return ClassSetting.objects.filter(
        organisation_id=org_id, recognition=True, team_id__in=classes.values("team_id")
    ).exists()


def recognition_audience(org_id: int) -> QuerySet[Any] | None:
    """Whose recognition feed is open (mastery's ``FEED_AUDIENCES``): None when a head
    teacher opened it to the whole school; otherwise the people of the classes a teacher
    opened (a subquery of ``person_id``; one query to tell)."""
    if SchoolPrivacy.objects.filter(organisation_id=org_id, recognition=True).exists():
        return None
    opened = ClassSetting.objects.filter(organisation_id=org_id, recognition=True)
    return TeamMembership.objects.filter(
        organisation_id=org_id, team_id__in=opened.values("team_id")
    ).values("person_id")


def school_privacy(org: Organisation) -> SchoolPrivacy:
    """The school's privacy settings (unsaved defaults when none are kept yet)."""
    found = SchoolPrivacy.objects.filter(organisation=org).first()
    return found if found is not None else SchoolPrivacy(organisation=org)
