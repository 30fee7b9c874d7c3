"""The notification centre's writes.

:func:`hear` is the listener of ``core.events`` (registered by ``apps.py``): each event
that concerns people becomes a short title and a link for each of them — the person whose
review got a reply, the receiver of feedback, the person whose autonomy step was decided —
never anyone else, and only people of the event's organisation. A notification never
holds the thing itself (no feedback's or review's text, no pulse answer, no pay, no
objective's title): the page it links to checks who may read it.

:func:`notify` stores the in-app notification and emails those who want it by email (an
email in someone's quiet hours waits for their end in the worker, ``run_after``), each
with a one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from ampwork.core import languages, mail
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.languages import speaking_to
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor, require

from . import kinds, texts
from .models import Notification, Preference, QuietHours

UNSUBSCRIBE_SALT = "ampwork.notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # an old email's link still works for a year and more


@dataclass(frozen=True)
class Note:
    """What one event tells some people: a message key of ``texts`` and its parameters,
    written in each reader's language when read (:func:`keyed`); or a plain ``title``."""

    recipient_ids: tuple[int, ...]
    kind: str
    title: str  # lazy (``_title``): written in each recipient's language when told
    url: str
    once: bool = False  # a daily or weekly notice: never twice the same to one person
    message: str = ""  # a key of texts.TEXTS ("" for a plain title)
    params: Mapping[str, Any] = field(default_factory=dict)  # plain JSON values


def _title(make: Callable[[], str]) -> str:
    """A title translated when it is read (``str()``), in the language active then: each
    recipient's own (``notify``)."""
    return lazy(make, str)()


def keyed(
    recipient_ids: tuple[int, ...],
    kind: str,
    message: str,
    params: Mapping[str, Any],
    url: str,
    *,
    once: bool = False,
) -> Note:
    """A note that says ``texts.TEXTS[message]`` with ``params``: stored with its key, so
    that it is written again in the language of whoever reads it, whenever."""
    plain = dict(params)
    return Note(
        recipient_ids,
        kind,
        _title(lambda: texts.render(message, plain)),
        url,
        once=once,
        message=message,
        params=plain,
    )


# ---------------------------------------------------------------- from events to notes


def _name(org_id: int, person_id: Any) -> str | None:
    """A person's name as it is now (stored as a parameter), or None: "Someone"."""
    found = Person.objects.filter(organisation_id=org_id, pk=person_id).values_list(
        "name", flat=True
    )
    return next(iter(found), None) or None


def _ids(*values: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in values if isinstance(v, int) and not isinstance(v, bool))


def _review_replied(org_id: int, d: dict[str, Any]) -> list[Note]:
    if d.get("author_id") == d.get("person_id"):
        return []
    who = _name(org_id, d.get("author_id"))
    url = f"/mastery/reviews/{int(d['review_id'])}/"
    return [
        keyed(_ids(d.get("person_id")), "review_answered", "review_replied", {"name": who}, url)
    ]


def _feedback_given(org_id: int, d: dict[str, Any]) -> list[Note]:
    who = _name(org_id, d.get("giver_id"))
    ids = _ids(d.get("receiver_id"))
    return [keyed(ids, "feedback_received", "feedback_given", {"name": who}, "/mastery/feedback/")]


def _feedback_requested(org_id: int, d: dict[str, Any]) -> list[Note]:
    who = _name(org_id, d.get("requester_id"))
    ids = _ids(d.get("asked_id"))
    return [
        keyed(ids, "feedback_requested", "feedback_requested", {"name": who}, "/mastery/feedback/")
    ]


def _recognition(org_id: int, d: dict[str, Any]) -> list[Note]:
    who = _name(org_id, d.get("author_id"))
    ids = _ids(*d.get("recipient_ids", []))
    return [keyed(ids, "recognition", "recognised", {"name": who}, "/mastery/recognition/")]


def _autonomy(outcome: str) -> Callable[[int, dict[str, Any]], list[Note]]:
    def make(org_id: int, d: dict[str, Any]) -> list[Note]:
        if d.get("decided_by_id") == d.get("person_id"):
            return []
        params = {"t": str(d.get("t", ""))[:20], "level": int(d.get("level", 0))}
        message = "autonomy_granted" if outcome == "granted" else "autonomy_deferred"
        return [keyed(_ids(d.get("person_id")), "autonomy_decided", message, params, "/autonomy/")]

    return make


def _pulse_invited(org_id: int, d: dict[str, Any]) -> list[Note]:
    name = str(d["name"])[:120] if "name" in d else None
    try:
        closes = dt.date.fromisoformat(str(d.get("closes", ""))[:10])
    except ValueError:
        return []
    if closes < timezone.localdate():  # a round opened after it closed: nothing is open
        return []
    params = {"name": name, "date": closes.isoformat()}
    ids = _ids(*d.get("person_ids", []))
    return [keyed(ids, "pulse_open", "pulse_open", params, "/pulse/")]


def _review_due(org_id: int, d: dict[str, Any]) -> list[Note]:
    try:
        week = dt.date.fromisoformat(str(d.get("week", ""))[:10])
    except ValueError:
        return []
    school = Organisation.objects.filter(pk=org_id, kind=Organisation.Kind.SCHOOL).exists()
    message = "reflection_due" if school else "review_due"
    ids = _ids(d.get("person_id"))
    params = {"date": week.isoformat()}
    return [keyed(ids, "checkin_due", message, params, "/mastery/review/", once=True)]


def _findings(org_id: int, d: dict[str, Any]) -> list[Note]:
    n = int(d.get("count", 0))
    if n <= 0:
        return []
    return [
        keyed(_ids(d.get("person_id")), "manager_finding", "findings", {"count": n}, "/advisor/")
    ]


def _shipit(org_id: int, d: dict[str, Any]) -> list[Note]:
    name = str(d["name"])[:120] if "name" in d else None
    message = "shipit_tomorrow" if d.get("phase") == "tomorrow" else "shipit_started"
    ids = tuple(
        Person.objects.filter(organisation_id=org_id, active=True).values_list("pk", flat=True)
    )
    url = f"/autonomy/shipit/{int(d['event_id'])}/"
    return [keyed(ids, "shipit_phase", message, {"name": name}, url, once=True)]


MAKERS: dict[str, Callable[[int, dict[str, Any]], list[Note]]] = {
    "review.replied": _review_replied,
    "review.due": _review_due,
    "feedback.given": _feedback_given,
    "feedback.requested": _feedback_requested,
    "recognition.given": _recognition,
    "autonomy.step_granted": _autonomy("granted"),
    "autonomy.step_deferred": _autonomy("deferred"),
    "pulse.invited": _pulse_invited,
    "advisor.findings": _findings,
    "shipit.phase": _shipit,
}


def forget_pulses(org_id: int, person_ids: list[int]) -> int:
    """Delete these people's "a pulse is open" notices (pulse's ``FORGETTERS``: a school's
    retention purge forgets who was asked); how many."""
    found = Notification.objects.filter(
        organisation_id=org_id, recipient_id__in=person_ids, kind="pulse_open"
    )
    return int(found.delete()[0])


def hear(organisation_id: int, event_type: str, data: dict[str, Any]) -> int:
    """The listener of ``core.events``: notify whom the event concerns. Returns how many
    notifications were stored."""
    make = MAKERS.get(event_type)
    if make is None:
        return 0
    return sum(
        len(notify(organisation_id=organisation_id, note=note))
        for note in make(organisation_id, data)
    )


# ---------------------------------------------------------------- delivering


def _choices(people: list[Person], kind: str) -> dict[tuple[int, str], bool]:
    rows = Preference.objects.filter(person__in=people, kind=kind)
    return {(p.person_id, p.channel): p.enabled for p in rows}


def wants(choices: dict[tuple[int, str], bool], person_id: int, kind: str, channel: str) -> bool:
    return choices.get((person_id, channel), kinds.default(kind, channel))


# channel → sender(people who want it, note, when: person id → not before (quiet hours));
# ampwork.chat registers "slack" and "teams" at start-up
Sender = Callable[[list[Person], Note, dict[int, dt.datetime | None]], int]
SENDERS: dict[str, Sender] = {}


def notify(*, organisation_id: int, note: Note) -> list[Notification]:
    """Tell each recipient (active people of this organisation only) on the channels they
    chose. Returns the in-app notifications stored."""
    if note.kind not in kinds.BY_CODE or not note.recipient_ids:
        return []
    people = list(
        Person.objects.filter(
            organisation_id=organisation_id, pk__in=note.recipient_ids, active=True
        ).select_related("organisation")
    )
    titles = {}
    for p in people:  # each in their own language
        with speaking_to(p):
            titles[p.pk] = str(note.title)[:200]
    if note.once:
        told = set(
            Notification.objects.filter(
                recipient__in=people, kind=note.kind, url=note.url[:300]
            ).values_list("recipient_id", "title")
        )
        # the same notice in any language (someone may have switched language since)
        said = set()
        for code in languages.SUPPORTED:
            with translation.override(code):
                said.add(str(note.title)[:200])
        people = [p for p in people if not any((p.pk, title) in told for title in said)]
    if not people:
        return []
    choices = _choices(people, note.kind)
    with transaction.atomic():
        stored = Notification.objects.bulk_create(
            stored_row(organisation_id, p, note, titles[p.pk])
            for p in people
            if wants(choices, p.pk, note.kind, kinds.IN_APP)
        )
    # by email only to people who can sign in: the link leads to a page behind it
    by_email = [
        p
        for p in people
        if p.email and p.user_id is not None and wants(choices, p.pk, note.kind, kinds.EMAIL)
    ]
    chats = {
        channel: [p for p in people if wants(choices, p.pk, note.kind, channel)]
        for channel in SENDERS
    }
    if by_email or any(chats.values()):
        when = _when([*by_email, *(p for group in chats.values() for p in group)])
        if by_email:
            _email(by_email, note, when)
        for channel, wanting in chats.items():
            if wanting:
                SENDERS[channel](wanting, note, when)
    return stored


def stored_row(organisation_id: int, recipient: Person, note: Note, title: str) -> Notification:
    """The in-app row of ``note`` for ``recipient`` (unsaved): its key and parameters, and
    ``title`` — the text written in the recipient's language now, which a row without a
    key (or the previous release) shows. The demo builds its rows here too."""
    return Notification(
        organisation_id=organisation_id,
        recipient=recipient,
        kind=note.kind,
        title=title[:200],
        url=note.url[:300],
        message=note.message if note.message in texts.TEXTS else "",
        params=dict(note.params) if note.message in texts.TEXTS else {},
    )


def _when(people: list[Person]) -> dict[int, dt.datetime | None]:
    """Each person's "not before": the end of the quiet hours they are in now, or None."""
    quiet = {q.person_id: q for q in QuietHours.objects.filter(person__in=people)}
    now = timezone.now()
    return {p.pk: send_at(p.pk, quiet, now) for p in people}


def unsubscribe_token(person: Person, kind: str, channel: str = kinds.EMAIL) -> str:
    return signing.dumps([person.pk, kind, channel], salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(person: Person, kind: str) -> str:
    return f"{settings.BASE_URL}/notifications/unsubscribe/{unsubscribe_token(person, kind)}/"


@languages.addressed_to("person")
def letter(person: Person, note: Note) -> EmailMessage:
    org = person.organisation
    link = f"{settings.BASE_URL}{note.url}?org={org.slug}"
    unsubscribe = unsubscribe_url(person, note.kind)
    label = kinds.BY_CODE[note.kind].label_for(org.is_school)
    title = str(note.title)
    preferences = f"{settings.BASE_URL}/notifications/preferences/?org={org.slug}"
    return EmailMessage(
        subject=title,
        body=(
            _("Hello %(name)s,") % {"name": person.name}
            + f"\n\n{title}.\n\n{link}\n\n"
            + _("You get this email because “%(label)s” notifications by email are on.")
            % {"label": label}
            + "\n"
            + _("Turn them off with one click: %(url)s") % {"url": unsubscribe}
            + "\n"
            + _("All your choices: %(url)s") % {"url": preferences}
            + "\n"
        ),
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_at(person_id: int, quiet: dict[int, QuietHours], now: dt.datetime) -> dt.datetime | None:
    """None: now; else the end of the person's quiet hours that hold ``now``."""
    hours = quiet.get(person_id)
    if hours is None:
        return None
    return kinds.quiet_until(timezone.localtime(now), hours.start, hours.end)


def _email(people: list[Person], note: Note, when: dict[int, dt.datetime | None]) -> None:
    batches: dict[dt.datetime | None, list[mail.Letter]] = {}
    for person in people:
        batches.setdefault(when.get(person.pk), []).append(mail.Letter(letter(person, note)))
    org_id = people[0].organisation_id
    for at, letters in batches.items():
        mail.queue(letters, kind=f"notifications.{note.kind}", org_id=org_id, run_after=at)


# ---------------------------------------------------------------- a person's own


def _me(actor: Actor) -> Person:
    me = actor.person
    if me is None:
        raise NotFound(_("You have no person in this organisation."))
    require(actor, "notifications.own", me)
    return me


@transaction.atomic
def mark_read(*, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (``ids``; None: all). Returns how many."""
    me = _me(actor)
    rows = Notification.objects.filter(recipient=me, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


@transaction.atomic
def set_preferences(
    *,
    actor: Actor,
    enabled: Iterable[tuple[str, str]],
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
    channels: Iterable[str] | None = None,
) -> None:
    """The whole grid at once: ``enabled`` the (kind, channel) pairs that are on, every
    other pair of ``channels`` (None: all) off — a channel the form did not show keeps
    its choices; quiet hours from ``quiet_start`` to ``quiet_end`` (both or neither)."""
    me = _me(actor)
    chosen = set(enabled)
    shown = kinds.CHANNEL_CODES if channels is None else tuple(channels)
    wrong = [(k, c) for k, c in chosen if k not in kinds.BY_CODE or c not in shown]
    if wrong:
        raise ValidationFailed.single(
            "enabled",
            _("no kind %(kind)s on channel %(channel)s")
            % {"kind": repr(wrong[0][0]), "channel": repr(wrong[0][1])},
        )
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationFailed.single("quiet_end", _("give both ends of quiet hours, or neither"))
    if quiet_start is not None and quiet_start == quiet_end:
        raise ValidationFailed.single("quiet_end", _("quiet hours must end at another time"))
    if any(c not in kinds.CHANNEL_CODES for c in shown):
        raise ValidationFailed.single("channels", _("names a channel that does not exist"))
    Preference.objects.filter(person=me, channel__in=shown).delete()
    Preference.objects.bulk_create(
        Preference(
            organisation=actor.organisation,
            person=me,
            kind=k.code,
            channel=channel,
            enabled=(k.code, channel) in chosen,
        )
        for k in kinds.KINDS
        for channel in shown
    )
    QuietHours.objects.filter(person=me).delete()
    if quiet_start is not None and quiet_end is not None:
        QuietHours.objects.create(
            organisation=actor.organisation, person=me, start=quiet_start, end=quiet_end
        )


def read_token(token: str) -> tuple[Person, str, str]:
    """The person, kind and channel an unsubscribe link names; NotFound when the token is
    tampered with, too old or names nobody."""
    try:
        person_id, kind, channel = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise NotFound(_("This unsubscribe link is not valid (or too old).")) from exc
    if kind not in kinds.BY_CODE or channel not in kinds.CHANNEL_CODES:
        raise NotFound(_("This unsubscribe link is not valid."))
    person = Person.objects.filter(pk=person_id).select_related("organisation").first()
    if person is None:
        raise NotFound(_("This unsubscribe link is not valid."))
    return person, kind, channel


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[Person, str]:
    """One click (RFC 8058), no session: turn this kind off on this channel."""
    person, kind, channel = read_token(token)
    Preference.objects.update_or_create(
        person=person,
        kind=kind,
        channel=channel,
        defaults={"enabled": False, "organisation": person.organisation},
    )
    return person, kind
