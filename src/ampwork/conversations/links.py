"""Links from a talking point to what it is about: a key result, a weekly review, a 360
feedback request or a skill.

The agenda is shared by the two people of the 1:1, so a link may only point at something
*both* of them may open (each app's own rule: ``okrs`` visible objectives, ``reviews.view``,
the 360 request's own rules, the organisation's skills) — a link never shows one of them a
title they could not read elsewhere. What a link shows is worked out again for each reader
when a page is drawn: if the thing was deleted or made private since, the reader sees
"no longer available to you", never its title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ampwork.apitools import parse_id
from ampwork.core import l10n
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.mastery import selectors as mastery_selectors
from ampwork.okrs import selectors as okr_selectors

from . import feedback_selectors
from .models import OneOnOne

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KINDS: dict[str, StrOrPromise] = {
    "key_result": gettext_lazy("Key result"),
    "review": gettext_lazy("Weekly review"),
    "feedback": gettext_lazy("360 feedback"),
    "skill": gettext_lazy("Skill"),
}
# The same words inside a sentence ("no key result 5 that both of you may open").
KIND_WORDS: dict[str, StrOrPromise] = {
    "key_result": gettext_lazy("key result"),
    "review": gettext_lazy("weekly review"),
    "feedback": gettext_lazy("360 feedback"),
    "skill": gettext_lazy("skill"),
}
RECENT_REVIEWS = 8  # how many of the person's latest weekly reviews the form offers


@dataclass(frozen=True)
class Link:
    kind: str
    id: int
    label: str  # the title, as the reader may see it
    url: str

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def value(self) -> str:
        """The form's value for this link: ``kind:id``."""
        return f"{self.kind}:{self.id}"


Ref = tuple[str, int]


def actor_of(series: OneOnOne, person: Person) -> Actor:
    """One participant as the permission table sees them (their own role)."""
    return Actor(organisation=series.organisation, role=person.role, person=person)


def resolve(actor: Actor, refs: Iterable[Ref]) -> dict[Ref, Link]:
    """What each reference shows this reader: only the ones they may open (missing from
    the answer otherwise). One query per kind present."""
    wanted: dict[str, set[int]] = {}
    for kind, pk in refs:
        if kind in KINDS:
            wanted.setdefault(kind, set()).add(pk)
    found: dict[Ref, Link] = {}
    if ids := wanted.get("key_result"):
        for kr in okr_selectors.visible_key_results(actor, ids):
            found["key_result", kr.pk] = Link(
                "key_result",
                kr.pk,
                kr.title,
                reverse("okrs:objective", args=[kr.objective_id]) + f"#kr-h-{kr.pk}",
            )
    if ids := wanted.get("review"):
        for review in mastery_selectors.visible_reviews(actor).filter(pk__in=ids):
            found["review", review.pk] = Link(
                "review",
                review.pk,
                _("%(name)s, week of %(date)s")
                % {"name": review.person.name, "date": l10n.format_day(review.week)},
                reverse("mastery:review", args=[review.pk]),
            )
    for pk in sorted(wanted.get("feedback", ())):
        try:
            request = feedback_selectors.get_request(actor, pk)
        except NotFound:
            continue
        found["feedback", pk] = Link(
            "feedback",
            pk,
            _("Feedback for %(name)s, due %(date)s")
            % {
                "name": request.receiver.name,
                "date": l10n.format_day(request.due, "day_month"),
            },
            reverse("feedback360:request", args=[pk]),
        )
    if ids := wanted.get("skill"):
        for skill in mastery_selectors.skills(actor.organisation).filter(pk__in=ids):
            found["skill", skill.pk] = Link(
                "skill", skill.pk, skill.name, reverse("mastery:skills") + f"#skill-{skill.pk}"
            )
    return found


def parse(raw: str) -> Ref | None:
    """A form's ``kind:id`` (or empty) as a reference; ValidationFailed naming ``link``."""
    raw = (raw or "").strip()
    if not raw:
        return None
    kind, _colon, text = raw.partition(":")
    pk = parse_id(text)
    if kind not in KINDS or pk is None or pk < 1:
        raise ValidationFailed.single(
            "link", _("'%(value)s' is not a link this form offers") % {"value": raw[:40]}
        )
    return kind, pk


def check(series: OneOnOne, ref: Ref) -> Ref:
    """The reference, if both people of the 1:1 may open what it points at; otherwise
    ValidationFailed naming ``link`` (without saying whether the thing exists)."""
    kind, pk = ref
    if kind not in KINDS:
        raise ValidationFailed.single(
            "link_kind", _("is one of %(values)s") % {"values": ", ".join(KINDS)}
        )
    for person in (series.person, series.lead):
        if ref not in resolve(actor_of(series, person), [ref]):
            raise ValidationFailed.single(
                "link",
                _(
                    "no %(kind)s %(id)s that both of you may open: a link on the "
                    "shared agenda must be open to both"
                )
                % {"kind": KIND_WORDS[kind], "id": pk},
            )
    return ref


def _both(series: OneOnOne, refs: Iterable[Ref]) -> tuple[dict[Ref, Link], dict[Ref, Link]]:
    """What each of the two (the person, the lead) sees of the references both may open.
    One query per kind present and person; the lead is asked only about what the person
    may open."""
    wanted = set(refs)
    if not wanted:
        return {}, {}
    theirs = resolve(actor_of(series, series.person), wanted)
    leads = resolve(actor_of(series, series.lead), theirs)
    return {r: theirs[r] for r in leads}, leads


def both_may_open(series: OneOnOne, refs: Iterable[Ref]) -> set[Ref]:
    """Which of these references both people of the 1:1 may open."""
    return set(_both(series, refs)[1])


def choices(actor: Actor, series: OneOnOne, key_results: Iterable[int]) -> list[Link]:
    """What the add-a-point form offers to link, as the reader sees it, limited to what
    both may open: the person's key results of open cycles (``key_results``), their
    latest weekly reviews, their 360 requests and the organisation's skills."""
    person = series.person
    refs: list[Ref] = [("key_result", pk) for pk in key_results]
    refs += [
        ("review", pk)
        for pk in mastery_selectors.visible_reviews(actor)
        .filter(person=person)
        .values_list("pk", flat=True)[:RECENT_REVIEWS]
    ]
    refs += [("feedback", pk) for pk in feedback_selectors.request_ids_about(person)]
    refs += [("skill", pk) for pk in mastery_selectors.skill_names(series.organisation)]
    persons, leads = _both(series, refs)
    mine = leads if actor.person is not None and actor.person.pk == series.lead_id else persons
    return [mine[r] for r in refs if r in mine]
