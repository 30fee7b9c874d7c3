"""Reads of what guardians see beforehand of a sensitive student pulse: a round's
questions as its students read them (the families' signed link and the family page show
the same), and — on a signed-in guardian's family page — the student pulses that ask their
children something touching a PPRA protected area or one of the school's sensitive
topics, still to come or open, with the school's policy and what is recorded for each
child (docs/schools.md, *Consent for student pulses*)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from ampwork.core.models import Person, Role, User
from ampwork.core.permissions import Actor
from ampwork.pulse import instrument
from ampwork.pulse import selectors as pulse_selectors
from ampwork.pulse import services as pulse_services

from . import consent, consent_services, family_selectors, privacy_selectors, selectors
from .selectors import PolicyNow, Sensitivity

if TYPE_CHECKING:
    from ampwork.pulse.models import Round


@dataclass(frozen=True)
class Questions:
    """What a round asks, in its students' words: each question with what it touches."""

    questions: list[tuple[str, list[str]]]  # (text, protected areas and topics touched)
    enps: str
    comment: str
    touches: Sensitivity


def questions_of(round: Round, policy: PolicyNow) -> Questions:
    """The round's questions in the words its students read — its classes' age band (the
    youngest, if several) — each with the protected areas and topics it touches."""
    items = pulse_services.items_of(round)
    band = privacy_selectors.wording(round, None)
    return Questions(
        [
            (
                pulse_selectors.item_words(round, item, True, band),
                [str(pulse_selectors.AREA_LABELS[a]) for a in sorted(item.areas)]
                + consent.touched_topics(list(instrument.wordings_of(item)), policy.topics),
            )
            for item in items
        ],
        pulse_selectors.enps_words(round, True, band),
        pulse_selectors.comment_words(round),
        selectors.sensitivity(items, policy.topics),
    )


@dataclass(frozen=True)
class ChildPulse:
    """A sensitive student pulse that asks one of the guardian's children."""

    child_id: int
    child: str
    round_id: int
    name: str
    opens: dt.date
    closes: dt.date
    is_open: bool
    rule: str | None  # the school's policy: consent.CONSENT, consent.OPT_OUT, None (unset)
    status: str  # what is recorded for the child: "", consent.CONSENTED, consent.OPTED_OUT
    questions: Questions

    @property
    def may_answer(self) -> bool:
        """The guardian may give consent or opt out here (the school has a policy)."""
        return self.rule is not None


def sensitive_pulses(user: User, today: dt.date | None = None) -> list[ChildPulse]:
    """For each of the account's children (``family_selectors.children_of``), the student
    pulses of their school that touch a protected area or a sensitive topic, still to come
    (a draft not past its closing day) or open, and ask that child; by child, then by
    opening day. A few queries per school and per such round (a school runs few at once)."""
    children = family_selectors.children_of(user)
    if not children:
        return []
    today = today or timezone.localdate()
    people = list(
        Person.objects.select_related("organisation")
        .filter(pk__in=[c.id for c in children], role=Role.MEMBER)
        .order_by("name", "pk")
    )
    found: list[ChildPulse] = []
    schools = {p.organisation_id: p.organisation for p in people}
    for org in schools.values():
        mine = {p.pk: p.name for p in people if p.organisation_id == org.pk}
        policy = selectors.policy_of(org)
        rounds = (
            pulse_selectors.rounds(Actor.system(org, via="family page"))
            .filter(status__in=["draft", "open"], closes__gte=today)
            .select_related("organisation")
            .prefetch_related("questions")
            .order_by("opens", "pk")
        )
        for round in rounds:
            asked = questions_of(round, policy)
            if not asked.touches:
                continue
            students = set(mine) & consent_services.round_students(round)
            if not students:
                continue
            records = selectors.consent_records(org, round.pk)
            found.extend(
                ChildPulse(
                    pk,
                    mine[pk],
                    round.pk,
                    round.name,
                    round.opens,
                    round.closes,
                    round.status == "open",
                    policy.rule,
                    records.get(pk, ""),
                    asked,
                )
                for pk in sorted(students, key=lambda pk: (mine[pk], pk))
            )
    return sorted(found, key=lambda p: (p.child, p.child_id, p.opens, p.round_id))
