"""factory-boy factories for the core models."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.db import transaction
from django.db.models import Model

from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.okrs.models import Cycle, KeyResult, Objective
from ampwork.okrs.services import derived
from ampwork.pulse.models import Round

M = TypeVar("M", bound=Model)


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """factory-boy's Django factory, typed: ``PersonFactory()`` is a ``Person`` to mypy."""

    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> M: ...  # type: ignore[misc]


class OrganisationFactory(ModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(self: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class TeamFactory(ModelFactory[Team]):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class PersonFactory(ModelFactory[Person]):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    role = Role.MEMBER


class MembershipFactory(ModelFactory[TeamMembership]):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..team.organisation")
    )
    organisation = factory.SelfAttribute("team.organisation")


class CycleFactory(ModelFactory[Cycle]):
    class Meta:
        model = Cycle

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Cycle {n}")
    start = dt.date(2026, 10, 1)
    end = dt.date(2026, 12, 31)


def _refresh(objective_id: int) -> None:
    """As the services do: the objective's stored numbers (okrs.services.derived), in a
    transaction as there (it locks rows; a test with transaction=True has none open)."""
    with transaction.atomic():
        derived.refresh([objective_id])


class ObjectiveFactory(ModelFactory[Objective]):
    class Meta:
        model = Objective
        skip_postgeneration_save = True  # a save would overwrite the refreshed numbers

    cycle = factory.SubFactory(CycleFactory)
    organisation = factory.SelfAttribute("cycle.organisation")
    owner_kind = "person"
    owner_person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..cycle.organisation")
    )
    author = factory.SelfAttribute("owner_person")
    title = factory.Sequence(lambda n: f"Objective {n}")

    @factory.post_generation
    def _derived(self: Objective, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            _refresh(self.pk)


class KeyResultFactory(ModelFactory[KeyResult]):
    class Meta:
        model = KeyResult
        skip_postgeneration_save = True

    objective = factory.SubFactory(ObjectiveFactory)
    organisation = factory.SelfAttribute("objective.organisation")
    title = factory.Sequence(lambda n: f"Key result {n}")
    start = 0
    target = 10

    @factory.post_generation
    def _derived(self: KeyResult, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            _refresh(self.objective_id)


class RoundFactory(ModelFactory[Round]):
    class Meta:
        model = Round

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Pulse {n}")
    instrument = "amp-pulse-1"
    opens = dt.date(2026, 11, 1)
    closes = dt.date(2026, 11, 30)
