"""Writes for mastery: weekly reviews and replies, skills and ratings, growth areas,
feedback and its requests, recognition, and the weekly reminders and digests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ampwork.core import mail
from ampwork.core.errors import FieldError, NotAllowed, NotFound, ValidationFailed, clean_text
from ampwork.core.events import publish
from ampwork.core.l10n import format_day
from ampwork.core.languages import speaking_to
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor, can, require
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs import services as okr_services

from . import selectors
from .models import (
    Feedback,
    FeedbackRequest,
    GrowthArea,
    Recognition,
    ReminderSent,
    Reply,
    Review,
    Skill,
    SkillRating,
)

TEXT = 4000


def _me(actor: Actor) -> Person:
    if actor.person is None:
        raise NotAllowed(_("Only a person of the organisation can do this."))
    return actor.person


def _rating(value: int | None, field: str, top: int) -> int | None:
    if value is None:
        return None
    return _level(value, field, top)


def _level(value: Any, field: str, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        raise ValidationFailed.single(
            field, _("is a whole number from 1 to %(top)d") % {"top": top}
        )
    return value


def _person(actor: Actor, pk: int, field: str) -> Person:
    person = Person.objects.filter(organisation=actor.organisation, pk=pk, active=True).first()
    if person is None:
        raise ValidationFailed.single(
            field, _("no active person %(id)s in this organisation") % {"id": pk}
        )
    return person


# ---------------------------------------------------------------- reviews


@dataclass(frozen=True)
class WeekCheckIn:
    """A check-in typed into one of the review's key-result rows (what the OKR app's
    ``check_in`` takes: a value, done, or the milestones done; confidence; a note)."""

    key_result_id: int
    value: float | None = None
    done: bool | None = None
    milestones_done: tuple[int, ...] | None = None
    confidence: int | None = None
    note: str = ""


def _review_fields(
    wins: str, setbacks: str, next_steps: str, challenge: int | None, skill: int | None
) -> tuple[dict[str, Any], list[FieldError]]:
    """The review's own fields, cleaned, and every field error (not only the first)."""
    fields: dict[str, Any] = {}
    errors: list[FieldError] = []
    checks: list[tuple[str, Callable[[], object]]] = [
        ("wins", lambda: clean_text(wins, "wins", TEXT, required=False)),
        ("setbacks", lambda: clean_text(setbacks, "setbacks", TEXT, required=False)),
        ("next_steps", lambda: clean_text(next_steps, "next_steps", TEXT, required=False)),
        ("challenge", lambda: _rating(challenge, "challenge", 7)),
        ("skill", lambda: _rating(skill, "skill", 7)),
    ]
    for name, check in checks:
        try:
            fields[name] = check()
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    texts = ("wins", "setbacks", "next_steps")
    if all(name in fields for name in texts) and not any(fields[name] for name in texts):
        errors.insert(
            0,
            FieldError("wins", _("write at least one line: a small win, a setback or a next step")),
        )
    return fields, errors


def _record_check_ins(actor: Actor, check_ins: Sequence[WeekCheckIn]) -> list[FieldError]:
    """Record each check-in through the OKR app's front door, each in its own savepoint;
    answer the errors, each named ``check_ins.<key result id>.<field>``. The caller's
    transaction undoes every check-in when any part of the review is wrong."""
    errors: list[FieldError] = []
    seen: set[int] = set()
    for entry in check_ins:
        where = f"check_ins.{entry.key_result_id}"
        if entry.key_result_id in seen:
            errors.append(FieldError(where, _("is checked in twice in one review")))
            continue
        seen.add(entry.key_result_id)
        try:
            key_result = okr_selectors.get_key_result(actor, entry.key_result_id)
            with transaction.atomic():
                okr_services.check_in(
                    actor=actor,
                    key_result=key_result,
                    value=entry.value,
                    done=entry.done,
                    milestones_done=entry.milestones_done,
                    confidence=entry.confidence,
                    note=entry.note,
                )
        except NotFound:
            errors.append(FieldError(where, _("no such key result")))
        except NotAllowed:
            errors.append(FieldError(where, _("is not yours to check in on")))
        except ValidationFailed as exc:
            errors.extend(FieldError(f"{where}.{e.field}", e.message) for e in exc.errors)
    return errors


@transaction.atomic
def save_review(
    *,
    actor: Actor,
    week: dt.date | None = None,
    wins: str = "",
    setbacks: str = "",
    next_steps: str = "",
    challenge: int | None = None,
    skill: int | None = None,
    check_ins: Sequence[WeekCheckIn] = (),
    share_with_family: bool | None = None,
) -> Review:
    """Write (or rewrite) the actor's own review of a week: this week by default, never a
    week that has not started — and record the check-ins typed into its key-result rows
    (this week's review only). All or nothing: when any field or any check-in is wrong,
    every error is raised together and nothing is written."""
    me = _me(actor)
    today = timezone.localdate()
    monday = selectors.week_of(week or today)
    if monday > selectors.week_of(today):
        raise ValidationFailed.single("week", _("cannot review a week that has not started"))
    if check_ins and monday != selectors.week_of(today):
        raise ValidationFailed.single("check_ins", _("only this week's review records check-ins"))
    fields, errors = _review_fields(wins, setbacks, next_steps, challenge, skill)
    errors += _record_check_ins(actor, check_ins)
    if errors:
        raise ValidationFailed(errors)
    if share_with_family is not None and actor.organisation.is_school:
        fields["share_with_family"] = bool(share_with_family)
    review, created = Review.objects.select_for_update().get_or_create(
        person=me, week=monday, defaults={"organisation": actor.organisation, **fields}
    )
    if not created:
        for name, value in fields.items():
            setattr(review, name, value)
        review.updated_at = timezone.now()
        review.save()
    # never its text: nobody has consented to send it out of ampwork
    publish(
        actor.organisation.pk,
        "review.answered",
        {"review_id": review.pk, "person_id": me.pk, "week": monday.isoformat(), "new": created},
    )
    return review


def purge_reflections(org: Organisation, people: Iterable[int]) -> int:
    """Delete the weekly reviews (reflections) these people wrote, with their replies (a
    school's retention policy, whose service checked its permission and holds the
    transaction). The number of reviews deleted."""
    found = Review.objects.filter(organisation=org, person_id__in=list(people))
    return int(found.delete()[1].get(Review._meta.label, 0))


@transaction.atomic
def reply(*, actor: Actor, review: Review, body: str) -> Reply:
    require(actor, "reviews.reply", review.person)
    answer = Reply.objects.create(
        organisation=actor.organisation,
        review=review,
        author=actor.person,
        body=clean_text(body, "body", TEXT),
    )
    # for the notification centre: who answered whose review, never the text
    publish(
        actor.organisation.pk,
        "review.replied",
        {
            "review_id": review.pk,
            "person_id": review.person_id,
            "author_id": answer.author_id,
            "week": review.week.isoformat(),
        },
    )
    return answer


# ---------------------------------------------------------------- skills


def _levels(levels: Iterable[str]) -> list[str]:
    levels = [str(x).strip() for x in levels]
    if len(levels) != 5 or not all(levels):
        raise ValidationFailed.single("levels", _("describe each of the five levels, 1 to 5"))
    for i, text in enumerate(levels, start=1):
        clean_text(text, f"levels.{i}", 300)
    return levels


@transaction.atomic
def create_skill(*, actor: Actor, name: str, description: str = "", levels: Iterable[str]) -> Skill:
    require(actor, "skills.define")
    name = clean_text(name, "name", 100)
    if Skill.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationFailed.single(
            "name", _("there is already a skill called “%(name)s”") % {"name": name}
        )
    return Skill.objects.create(
        organisation=actor.organisation,
        name=name,
        description=clean_text(description, "description", 500, required=False),
        levels=_levels(levels),
    )


@transaction.atomic
def rate_skill(
    *,
    actor: Actor,
    skill: Skill,
    person: Person,
    level: int,
    note: str = "",
    date: dt.date | None = None,
) -> SkillRating:
    """The person's own rating, or a manager's view of them (kept apart)."""
    require(actor, "skills.rate", person)
    today = timezone.localdate()
    if date is not None and date > today:
        raise ValidationFailed.single("date", _("cannot be in the future"))
    return SkillRating.objects.create(
        organisation=actor.organisation,
        skill=skill,
        person=person,
        rater=actor.person,
        level=_level(level, "level", 5),
        note=clean_text(note, "note", 300, required=False),
        date=date or today,
    )


@transaction.atomic
def add_growth_area(
    *,
    actor: Actor,
    person: Person,
    skill: Skill,
    target_level: int,
    objective_id: int | None = None,
    note: str = "",
) -> GrowthArea:
    require(actor, "skills.rate", person)
    objective = None
    if objective_id is not None:
        # among the objectives the writer may see: a private one answers as a missing one
        objective = (
            okr_selectors.visible_objectives(actor)
            .filter(pk=objective_id, owner_person=person)
            .first()
        )
        if objective is None:
            raise ValidationFailed.single(
                "objective_id",
                _("no objective %(id)s owned by %(name)s")
                % {"id": objective_id, "name": person.name},
            )
    return GrowthArea.objects.create(
        organisation=actor.organisation,
        person=person,
        skill=skill,
        target_level=_level(target_level, "target_level", 5),
        objective=objective,
        note=clean_text(note, "note", 300, required=False),
        created_by=actor.person,
    )


# ---------------------------------------------------------------- feedback and recognition


@transaction.atomic
def request_feedback(*, actor: Actor, asked_id: int, about: str) -> FeedbackRequest:
    me = _me(actor)
    asked = _person(actor, asked_id, "asked_id")
    if asked.pk == me.pk:
        raise ValidationFailed.single("asked_id", _("ask someone other than yourself"))
    asking = FeedbackRequest.objects.create(
        organisation=actor.organisation,
        requester=me,
        asked=asked,
        about=clean_text(about, "about", 300),
    )
    # who asked whom, never what about (core.events)
    publish(
        actor.organisation.pk,
        "feedback.requested",
        {"request_id": asking.pk, "requester_id": me.pk, "asked_id": asked.pk},
    )
    return asking


@transaction.atomic
def give_feedback(
    *,
    actor: Actor,
    receiver_id: int | None = None,
    body: str,
    request_id: int | None = None,
    share_with_managers: bool = False,
    share_with_family: bool = False,
) -> Feedback:
    """Feedback to a colleague, or the answer to their request. Private to the two of you
    unless you share it with their managers — or, from a teacher to a student of theirs in
    a school, with the student's family (``families.share_feedback``)."""
    me = _me(actor)
    request = None
    if request_id is not None:
        request = FeedbackRequest.objects.filter(
            organisation=actor.organisation, pk=request_id, asked=me
        ).first()
        if request is None:
            raise ValidationFailed.single(
                "request_id", _("no request %(id)s addressed to you") % {"id": request_id}
            )
        if receiver_id is not None and receiver_id != request.requester_id:
            raise ValidationFailed.single("receiver_id", _("must be the person who asked"))
        receiver = request.requester
    elif receiver_id is None:
        raise ValidationFailed.single("receiver_id", _("is required"))
    else:
        receiver = _person(actor, receiver_id, "receiver_id")
    if receiver.pk == me.pk:
        raise ValidationFailed.single("receiver_id", _("feedback goes to someone else"))
    if share_with_family and not (
        actor.organisation.is_school and can(actor, "families.share_feedback", receiver)
    ):
        raise ValidationFailed.single(
            "share_with_family",
            pgettext("school", "only a teacher of this student shares feedback with the family"),
        )
    given = Feedback.objects.create(
        organisation=actor.organisation,
        giver=me,
        receiver=receiver,
        body=clean_text(body, "body", TEXT),
        request=request,
        share_with_managers=bool(share_with_managers),
        share_with_family=bool(share_with_family),
    )
    # who gave it to whom, never its text (core.events)
    publish(
        actor.organisation.pk,
        "feedback.given",
        {"feedback_id": given.pk, "giver_id": me.pk, "receiver_id": receiver.pk},
    )
    return given


@transaction.atomic
def recognise(
    *,
    actor: Actor,
    recipient_ids: list[int],
    body: str,
    objective_id: int | None = None,
    key_result_id: int | None = None,
) -> Recognition:
    """A public "now that you…" thank-you, visible to the organisation. No amounts: it is
    never tied to money."""
    me = _me(actor)
    if not can(actor, "recognition.give", actor.organisation):
        raise NotAllowed(
            pgettext(
                "school",
                "Your school keeps recognition for staff until a teacher opens it to your "
                "class: until then, say thank you in person.",
            )
        )
    ids = list(dict.fromkeys(recipient_ids))
    if not ids:
        raise ValidationFailed.single("recipient_ids", _("name at least one person"))
    if me.pk in ids:
        raise ValidationFailed.single("recipient_ids", _("recognise someone other than yourself"))
    people = list(Person.objects.filter(organisation=actor.organisation, pk__in=ids, active=True))
    missing = sorted(set(ids) - {p.pk for p in people})
    if missing:
        raise ValidationFailed.single(
            "recipient_ids", _("no active person %(id)s in this organisation") % {"id": missing[0]}
        )
    # a student of an opened class names only people whose feed is open too (staff, opened
    # classes): a closed class's students stay out of every student's feed
    kept = selectors.kept_from(actor)
    hidden = [] if kept is None else list(kept.filter(pk__in=ids).values_list("name", flat=True))
    if hidden:
        raise ValidationFailed.single(
            "recipient_ids",
            _("%(name)s's class keeps recognition closed to students: ask their teacher")
            % {"name": hidden[0]},
        )
    objective, key_result = okr_selectors.referenced(actor, objective_id, key_result_id)
    post = Recognition.objects.create(
        organisation=actor.organisation,
        author=me,
        body=clean_text(body, "body", 1000),
        objective=objective,
        key_result=key_result,
    )
    post.recipients.set(people)
    publish(
        actor.organisation.pk,
        "recognition.given",
        {
            "recognition_id": post.pk,
            "author_id": me.pk,
            "recipient_ids": sorted(p.pk for p in people),
            "body": post.body,
            "objective_id": post.objective_id,
            "key_result_id": post.key_result_id,
        },
    )
    return post


# ---------------------------------------------------------------- reminders and digests


@dataclass
class Sent:
    reminders: list[str]
    digests: list[str]


def _week_day(week: dt.date) -> str:
    """A week's Monday as the emails name it: '07 December' in English, each language's
    own day and month elsewhere."""
    if (translation.get_language() or "en").startswith("en"):
        return f"{week:%d %B}"
    return format_day(week, "day_month_long")


def _reminder_subject(school: bool, week: dt.date) -> str:
    if school:
        return pgettext("school", "Your weekly reflection — week of %(week)s") % {
            "week": _week_day(week)
        }
    return pgettext("company", "Your weekly review — week of %(week)s") % {"week": _week_day(week)}


def _reminder_body(school: bool, name: str, link: str) -> str:
    if school:
        text = pgettext(
            "school",
            "Hello %(name)s,\n\n"
            "Five minutes for your weekly reflection: a small win first, then what got in the "
            "way, then your next steps — and a check-in on your key results.\n\n"
            "%(link)s\n\n"
            "Reminders go only to people whose review of the week is not written yet.\n",
        )
    else:
        text = pgettext(
            "company",
            "Hello %(name)s,\n\n"
            "Five minutes for your weekly review: a small win first, then what got in the "
            "way, then your next steps — and a check-in on your key results.\n\n"
            "%(link)s\n\n"
            "Reminders go only to people whose review of the week is not written yet.\n",
        )
    return text % {"name": name, "link": link}


def send_reminders(
    *, org: Organisation, today: dt.date | None = None, dry_run: bool = False
) -> Sent:
    """Queue an email to everyone whose review of this week is due (one email each, once a
    week), and each manager their weekly digest of their people's reviews and flags. Reads
    decide who gets what; the worker sends them and marks each sent after the mail server
    took it (core.mail: at least once, a refused one retried with backoff)."""
    today = today or timezone.localdate()
    week = selectors.week_of(today)
    school = org.is_school
    link = f"{settings.BASE_URL}/mastery/review/?org={org.slug}"
    sent = Sent([], [])
    letters = []
    skipped = 0
    due: list[int] = []
    review, digest_kind = ReminderSent.Kind.REVIEW, ReminderSent.Kind.DIGEST
    for person in selectors.due_reviews(org, week):
        row = {"organisation": org, "person": person, "week": week, "kind": review}
        if not dry_run and mail.sent_already(ReminderSent, person=person, week=week, kind=review):
            skipped += 1
            continue
        sent.reminders.append(person.email)
        with speaking_to(person):
            message = EmailMessage(
                subject=_reminder_subject(school, week),
                body=_reminder_body(school, person.name, link),
                to=[person.email],
            )
        letters.append(mail.Letter(message, ReminderSent, row))
        due.append(person.pk)
    coached: list[tuple[int, dict[str, object]]] = []
    for coach, digest in selectors.digests(org, week):
        if not digest.people:
            continue
        row = {"organisation": org, "person": coach, "week": week, "kind": digest_kind}
        if not dry_run and mail.sent_already(
            ReminderSent, person=coach, week=week, kind=digest_kind
        ):
            skipped += 1
            continue
        sent.digests.append(coach.email)
        coached.append((coach.pk, digest.summary()))
        with speaking_to(coach):
            message = EmailMessage(
                subject=_("Your team's week — %(week)s") % {"week": _week_day(week)},
                body=digest.text(f"{settings.BASE_URL}/mastery/?org={org.slug}"),
                to=[coach.email],
            )
        letters.append(mail.Letter(message, ReminderSent, row))
    if dry_run:
        return sent
    mail.queue(letters, kind="mastery.reminders", org_id=org.pk, skipped=skipped)
    for person_id in due:  # the notification centre's "check-in due", beside the email
        publish(org.pk, "review.due", {"person_id": person_id, "week": week.isoformat()})
    # chat (ampwork.chat): the week's reminder in the teams' channels, and each manager's
    # digest in their own chat when they linked one (the email above goes out either way)
    publish(org.pk, "reviews.due", {"week": week.isoformat()})
    for coach_id, summary in coached:
        publish(org.pk, "digest.weekly", {"person_id": coach_id, **summary})
    return sent
