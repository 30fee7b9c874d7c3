"""Writes for 1:1s: start a series, the agenda (talking points), action items, shared and
private notes, and holding a meeting — which opens the next one and carries over every
talking point not discussed and every action item not done, each exactly once.

Who may start a 1:1 (decided here, documented in docs/user-guide.md, *1:1s*): either of
the two, never a third person. A manager 1:1 needs a reporting line — the lead is one of
the person's managers up the line, or leads one of their teams (a teacher their class);
a mentor 1:1 may be with anyone active in the organisation, since mentoring crosses lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ampwork.core import l10n, languages, mail
from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotAllowed, ValidationFailed, clean_text
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor, require

from . import links, schedule, selectors
from .models import ActionItem, Meeting, MeetingReminder, OneOnOne, PrivateNote, TalkingPoint

TEXT = 500
NOTES = 10_000
# the other person is my manager / my report (I am theirs) / my mentor / my mentee
RELATIONSHIPS = ("manager", "report", "mentor", "mentee")
FURTHEST = 366  # days ahead a meeting may be planned


def _me(actor: Actor) -> Person:
    if actor.person is None:
        raise NotAllowed(_("Only a person of the organisation can do this."))
    return actor.person


def _day(day: dt.date | None, field: str) -> dt.date:
    today = timezone.localdate()
    if day is None:
        raise ValidationFailed.single(field, _("is required"))
    if day < today:
        raise ValidationFailed.single(field, _("cannot be in the past"))
    if day > today + dt.timedelta(days=FURTHEST):
        raise ValidationFailed.single(field, _("is at most a year ahead"))
    return day


def _open(meeting: Meeting, field: str = "meeting") -> None:
    if not meeting.is_open:
        raise ValidationFailed.single(field, _("this meeting was held: add it to the next one"))


@transaction.atomic
def start(
    *,
    actor: Actor,
    with_id: int,
    relationship: str,
    cadence: str = OneOnOne.Cadence.WEEKLY,
    first_meeting: dt.date | None = None,
) -> OneOnOne:
    """Start a 1:1 series between the actor and someone else, with its first meeting."""
    me = _me(actor)  # always one of the two: nobody starts a 1:1 between two others
    if relationship not in RELATIONSHIPS:
        raise ValidationFailed.single(
            "relationship", _("is one of %(values)s") % {"values": ", ".join(RELATIONSHIPS)}
        )
    if cadence not in schedule.CADENCES:
        raise ValidationFailed.single(
            "cadence", _("is one of %(values)s") % {"values": ", ".join(schedule.CADENCES)}
        )
    other = Person.objects.filter(organisation=actor.organisation, pk=with_id, active=True).first()
    if other is None:
        raise ValidationFailed.single(
            "with_id", _("no active person %(id)s in this organisation") % {"id": with_id}
        )
    if other.pk == me.pk:
        raise ValidationFailed.single("with_id", _("a 1:1 takes two people"))
    lead, person = (other, me) if relationship in ("manager", "mentor") else (me, other)
    kind = OneOnOne.Kind.MANAGER if relationship in ("manager", "report") else OneOnOne.Kind.MENTOR
    if kind == OneOnOne.Kind.MANAGER and not core_selectors.coaches(lead, person.pk):
        raise ValidationFailed.single(
            "relationship",
            _(
                "%(lead)s is not %(person)s's manager and leads none of their teams: "
                "start a mentor 1:1 instead"
            )
            % {"lead": lead.name, "person": person.name},
        )
    if OneOnOne.objects.filter(person=person, lead=lead).exists():
        raise ValidationFailed.single(
            "with_id", _("you already have a 1:1 with %(name)s") % {"name": other.name}
        )
    day = _day(first_meeting or timezone.localdate(), "first_meeting")
    series = OneOnOne.objects.create(
        organisation=actor.organisation,
        person=person,
        lead=lead,
        kind=kind,
        cadence=cadence,
        started_by=me,
    )
    Meeting.objects.create(organisation=actor.organisation, one_on_one=series, date=day)
    return series


@transaction.atomic
def reschedule(*, actor: Actor, meeting: Meeting, date: dt.date | None) -> Meeting:
    """Move the open meeting to another day."""
    require(actor, "one_on_ones.edit", meeting)
    _open(meeting)
    meeting.date = _day(date, "date")
    meeting.save(update_fields=["date"])
    return meeting


@transaction.atomic
def add_point(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    evidence: str = "",
    link: links.Ref | None = None,
) -> TalkingPoint:
    """A talking point on the open meeting's shared agenda, optionally linked to a key
    result, weekly review, 360 request or skill that both people may open."""
    require(actor, "one_on_ones.edit", meeting)
    _open(meeting)
    text = clean_text(text, "text", TEXT)
    evidence = clean_text(evidence, "evidence", 300, required=False)
    kind, pk = links.check(meeting.one_on_one, link) if link else ("", None)
    return TalkingPoint.objects.create(
        organisation=actor.organisation,
        meeting=meeting,
        author=_me(actor),
        text=text,
        evidence=evidence,
        link_kind=kind,
        link_id=pk,
    )


@transaction.atomic
def mark_point(*, actor: Actor, point: TalkingPoint, discussed: bool) -> TalkingPoint:
    require(actor, "one_on_ones.edit", point)
    _open(point.meeting)
    point.discussed = discussed
    point.save(update_fields=["discussed"])
    return point


@transaction.atomic
def add_action(
    *, actor: Actor, meeting: Meeting, text: str, owner_id: int, due: dt.date | None = None
) -> ActionItem:
    """An action item for one of the two, optionally by a day."""
    require(actor, "one_on_ones.edit", meeting)
    _open(meeting)
    series = meeting.one_on_one
    if owner_id not in (series.person_id, series.lead_id):
        raise ValidationFailed.single("owner_id", _("is one of the two people of this 1:1"))
    if due is not None and due < timezone.localdate():
        raise ValidationFailed.single("due", _("cannot be in the past"))
    return ActionItem.objects.create(
        organisation=actor.organisation,
        meeting=meeting,
        owner_id=owner_id,
        text=clean_text(text, "text", TEXT),
        due=due,
    )


@transaction.atomic
def tick_action(*, actor: Actor, item: ActionItem, done: bool) -> ActionItem:
    """Tick an action item done (or not done after all) on the open meeting."""
    require(actor, "one_on_ones.edit", item)
    _open(item.meeting)
    item.done_at = (item.done_at or timezone.now()) if done else None
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def save_shared_notes(*, actor: Actor, meeting: Meeting, text: str) -> Meeting:
    """The notes both participants read."""
    require(actor, "one_on_ones.edit", meeting)
    meeting.shared_notes = clean_text(text, "shared_notes", NOTES, required=False)
    meeting.save(update_fields=["shared_notes"])
    return meeting


@transaction.atomic
def save_private_note(*, actor: Actor, meeting: Meeting, text: str) -> PrivateNote:
    """The actor's own note on a meeting, which nobody else ever reads."""
    require(actor, "one_on_ones.write_private_note", meeting)
    me = _me(actor)
    note, _ = PrivateNote.objects.select_for_update().get_or_create(
        meeting=meeting, author=me, defaults={"organisation": actor.organisation}
    )
    note.text = clean_text(text, "private_note", NOTES, required=False)
    note.updated_at = timezone.now()
    note.save(update_fields=["text", "updated_at"])
    return note


@transaction.atomic
def hold(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Close the meeting and answer the next one, holding every talking point not
    discussed and every action item not done, each carried exactly once.

    The close is claimed with one conditional UPDATE: of two closes at once (or a second
    click) only one changes the row, and the other answers the next meeting the first
    opened. The unique ``carried_from`` and the one open meeting per series stand behind
    it in the database."""
    require(actor, "one_on_ones.edit", meeting)
    series = meeting.one_on_one
    claimed = Meeting.objects.filter(pk=meeting.pk, held_at__isnull=True).update(
        held_at=timezone.now()
    )
    if not claimed:
        return open_meeting_of(series)
    planned = Meeting.objects.values_list("date", flat=True).get(pk=meeting.pk)
    following = Meeting.objects.create(
        organisation=series.organisation,
        one_on_one=series,
        date=schedule.next_meeting(planned, timezone.localdate(), series.cadence),
    )
    TalkingPoint.objects.bulk_create(
        TalkingPoint(
            organisation=series.organisation,
            meeting=following,
            author_id=p.author_id,
            text=p.text,
            evidence=p.evidence,
            link_kind=p.link_kind,
            link_id=p.link_id,
            carried_from=p,
        )
        for p in TalkingPoint.objects.filter(meeting=meeting, discussed=False).order_by("id")
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            organisation=series.organisation,
            meeting=following,
            owner_id=a.owner_id,
            text=a.text,
            due=a.due,
            carried_from=a,
        )
        for a in ActionItem.objects.filter(meeting=meeting, done_at__isnull=True).order_by("id")
    )
    meeting.refresh_from_db(fields=["held_at"])
    return following


def open_meeting_of(series: OneOnOne) -> Meeting:
    """The series' open meeting (there is always one, once the series has started)."""
    found = Meeting.objects.filter(one_on_one=series, held_at__isnull=True).first()
    if found is None:  # pragma: no cover - the series always keeps one open meeting
        raise IntegrityError(f"1:1 {series.pk} has no open meeting")
    found.one_on_one = series
    return found


@transaction.atomic
def set_summary_sharing(*, actor: Actor, series: OneOnOne, share: bool) -> OneOnOne:
    """The person (never the lead) switches sharing a summary of their manager (teacher)
    1:1 with their next manager on or off (``rules.py``: ``one_on_ones.read_summary``)."""
    require(actor, "one_on_ones.view", series)
    if series.kind != OneOnOne.Kind.MANAGER:
        raise ValidationFailed.single(
            "share_summary",
            pgettext(
                "school", "only a 1:1 with your teacher or head teacher has a summary to share"
            )
            if actor.organisation.is_school
            else pgettext("company", "only a 1:1 with your manager has a summary to share"),
        )
    require(actor, "one_on_ones.share_summary", series)
    series.share_summary = share
    series.save(update_fields=["share_summary"])
    return series


@dataclass(frozen=True)
class Reminded:
    """Who a day-before reminder went (or would go) to: (email, meeting id) each."""

    sent: list[tuple[str, int]]


@languages.keeps_language  # each reminder in its reader's language
def send_reminders(
    *, org: Organisation, today: dt.date | None = None, dry_run: bool = False
) -> Reminded:
    """Email both people of every meeting planned for tomorrow a reminder, once each (per
    day the meeting is planned on). The email holds the other person's name, the day, how
    many talking points and action items are open and the links to the agenda and to the
    calendar invitation — never a talking point's text or a note: the agenda stays
    behind the sign-in. Queued for the background worker through ``core.mail`` (at least
    once: each is recorded once the mail server took it, so a second run queues nothing
    new and a refused one goes again)."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    meetings = list(
        Meeting.objects.filter(
            organisation=org,
            date=tomorrow,
            held_at__isnull=True,
            one_on_one__person__active=True,
            one_on_one__lead__active=True,
        )
        .select_related("one_on_one__person", "one_on_one__lead")
        .order_by("id")
    )
    open_points, open_actions = selectors.open_items(meetings)
    done = set(
        MeetingReminder.objects.filter(meeting__in=meetings, date=tomorrow).values_list(
            "meeting_id", "person_id"
        )
    )
    letters: list[mail.Letter] = []
    skipped = 0
    for meeting in meetings:
        series = meeting.one_on_one
        for me, other in ((series.person, series.lead), (series.lead, series.person)):
            if not me.email or me.user_id is None:  # no sign-in: no agenda to open
                continue
            if (meeting.pk, me.pk) in done and not dry_run:
                skipped += 1
                continue
            languages.speak_to(me)
            points, actions = open_points.get(meeting.pk, 0), open_actions.get(meeting.pk, 0)
            page = settings.BASE_URL + reverse("conversations:meeting", args=[meeting.pk])
            invitation = settings.BASE_URL + reverse("conversations:invitation", args=[series.pk])
            day = l10n.format_day(tomorrow, "weekday_long")
            message = EmailMessage(
                subject=_("Your 1:1 with %(name)s is tomorrow, %(date)s")
                % {"name": other.name, "date": day},
                body=(
                    _("Hello %(name)s,") % {"name": me.name}
                    + "\n\n"
                    + _(
                        "You meet %(name)s tomorrow, %(date)s. The agenda has %(points)s and"
                        " %(actions)s; add what you want to talk about before you meet:"
                    )
                    % {
                        "name": other.name,
                        "date": day,
                        "points": ngettext(
                            "%(count)d open talking point", "%(count)d open talking points", points
                        )
                        % {"count": points},
                        "actions": ngettext(
                            "%(count)d open action item", "%(count)d open action items", actions
                        )
                        % {"count": actions},
                    }
                    + f"\n\n{page}\n\n"
                    + _("For your calendar: %(url)s") % {"url": invitation}
                    + "\n\n"
                    + _("This reminder goes to both of you the day before each meeting.")
                    + "\n"
                ),
                to=[me.email],
            )
            row = {"organisation": org, "meeting": meeting, "person": me, "date": tomorrow}
            letters.append(mail.Letter(message, MeetingReminder, row))
    queued = Reminded([(x.message.to[0], x.fields["meeting"].pk) for x in letters])
    if not dry_run:
        mail.queue(letters, kind="one_on_ones.reminders", org_id=org.pk, skipped=skipped)
    return queued
