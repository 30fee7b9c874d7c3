"""Chat's writes: connecting the organisation's Slack app, linking people, the channels a
team chose, and handing messages to the worker.

Nothing here talks to Slack or Teams inside a request except what Slack itself waits for
(opening the check-in form, ``slack.py``): every message is queued as a task
(``tasks.post``) and sent by the worker, retried with backoff. A message holds only what
the web would show its reader: a notification's title and link (never the thing itself),
a recognition the whole organisation sees anyway, a digest to the manager it is about.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ampwork.core import languages, mail, sealing
from ampwork.core.errors import FieldError, NotFound, ValidationFailed
from ampwork.core.languages import organisation_language, speaking_to
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.core.permissions import Actor, require
from ampwork.core.services import audit
from ampwork.integrations import netguard

from . import cards, selectors
from .models import ChatAccount, SlackLinkCode, SlackWorkspace, TeamChannel

TEAM_ID = re.compile(r"T[A-Z0-9]{2,19}")
USER_ID = re.compile(r"[UW][A-Z0-9]{2,19}")
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,19}")
SIGNING_SECRET = re.compile(r"[0-9a-f]{32}")
LINK_MINUTES = 15  # a one-time link from /checkin works this long
PURPOSE = "ampwork.chat"


# ---------------------------------------------------------------- sealing


def _seal(value: str, context: str) -> str:
    return sealing.seal(value, purpose=PURPOSE, context=context)


def _unseal(sealed: str, context: str) -> str:
    return str(sealing.unseal(sealed, purpose=PURPOSE, context=context))


def bot_token(ws: SlackWorkspace) -> str:
    return _unseal(ws.sealed_bot_token, f"slack-token:{ws.organisation_id}")


def signing_secret(ws: SlackWorkspace) -> str:
    return _unseal(ws.sealed_signing_secret, f"slack-secret:{ws.organisation_id}")


def person_teams_url(chat: ChatAccount) -> str:
    return _unseal(chat.sealed_teams_url, f"teams-person:{chat.person_id}")


def team_teams_url(channel: TeamChannel) -> str:
    return _unseal(channel.sealed_teams_url, f"teams-team:{channel.team_id}")


# ---------------------------------------------------------------- the organisation's Slack app


@transaction.atomic
def connect_slack(
    *, actor: Actor, team_id: str, bot_token: str, signing_secret: str
) -> SlackWorkspace:
    """Connect (or reconnect) the organisation's Slack app. Every field is checked for its
    shape; nothing is written when one is wrong."""
    require(actor, "chat.manage")
    team_id, bot_token, signing_secret = team_id.strip(), bot_token.strip(), signing_secret.strip()
    errors = []
    if not TEAM_ID.fullmatch(team_id):
        errors.append(("team_id", _("is the workspace id Slack shows, such as T0123ABCD")))
    if not re.fullmatch(r"xoxb-[A-Za-z0-9-]{10,250}", bot_token):
        errors.append(("bot_token", _("is the app's Bot User OAuth Token, starting xoxb-")))
    if not SIGNING_SECRET.fullmatch(signing_secret):
        errors.append(("signing_secret", _("is the app's Signing Secret: 32 hexadecimal digits")))
    if errors:
        raise ValidationFailed([FieldError(f, m) for f, m in errors])
    org = actor.organisation
    before = SlackWorkspace.objects.filter(organisation=org).values_list("team_id", flat=True)
    if any(team != team_id for team in before):  # another workspace: its ids mean nothing here
        _forget_slack(org)
    ws, _created = SlackWorkspace.objects.update_or_create(
        organisation=org,
        defaults={
            "team_id": team_id,
            "sealed_bot_token": _seal(bot_token, f"slack-token:{org.pk}"),
            "sealed_signing_secret": _seal(signing_secret, f"slack-secret:{org.pk}"),
        },
    )
    audit.record(actor, org, "chat.slack_connected", ws, team_id=team_id)
    return ws


@transaction.atomic
def disconnect_slack(*, actor: Actor) -> None:
    """Forget the Slack app and every person's Slack link (their Teams chats stay)."""
    require(actor, "chat.manage")
    org = actor.organisation
    SlackWorkspace.objects.filter(organisation=org).delete()
    _forget_slack(org)
    audit.record(actor, org, "chat.slack_disconnected")


def _forget_slack(org: Organisation) -> None:
    """Every Slack id of the organisation: people's links, channels, link codes."""
    ChatAccount.objects.filter(organisation=org).update(slack_user_id="")
    SlackLinkCode.objects.filter(organisation=org).delete()
    TeamChannel.objects.filter(organisation=org).update(slack_channel="")


# ---------------------------------------------------------------- linking a Slack user


def _account(person: Person) -> ChatAccount:
    chat, _created = ChatAccount.objects.get_or_create(
        person=person, defaults={"organisation_id": person.organisation_id}
    )
    return chat


def link_by_email(org: Organisation, slack_user_id: str, email: str) -> Person | None:
    """Link a Slack user to the one active person of ``org`` who signs in with the email
    Slack confirmed for them, if exactly one does and neither is linked yet."""
    email = email.strip()
    if not email or not USER_ID.fullmatch(slack_user_id):
        return None
    people = list(
        Person.objects.filter(
            organisation=org, active=True, user__isnull=False, user__email__iexact=email
        ).select_related("organisation", "user")[:2]
    )
    if len(people) != 1:
        return None
    person = people[0]
    try:
        with transaction.atomic():
            chat = _account(person)
            if chat.slack_user_id:
                return None
            chat.slack_user_id = slack_user_id
            chat.linked_at = timezone.now()
            chat.save(update_fields=["slack_user_id", "linked_at"])
    except IntegrityError:  # this Slack user is linked to someone else already
        return None
    return person


def new_link_code(org: Organisation, slack_user_id: str, slack_name: str = "") -> str:
    """A one-time link for a Slack user nobody is linked to yet: who opens it signed in
    becomes them. Returns the address."""
    if not USER_ID.fullmatch(slack_user_id):
        raise ValidationFailed.single("slack_user_id", _("is not a Slack user id"))
    code = secrets.token_urlsafe(24)
    SlackLinkCode.objects.filter(organisation=org, expires_at__lt=timezone.now()).delete()
    SlackLinkCode.objects.create(
        organisation=org,
        slack_user_id=slack_user_id,
        slack_name=slack_name.strip()[:80],
        digest=selectors.code_digest(code),
        expires_at=timezone.now() + dt.timedelta(minutes=LINK_MINUTES),
    )
    return f"{settings.BASE_URL}/chat/slack/link/{code}/?org={org.slug}"


@transaction.atomic
def redeem_link_code(*, actor: Actor, code: str) -> ChatAccount:
    """Link the signed-in person to the Slack user the code was made for: once, within
    :data:`LINK_MINUTES`, in the organisation it was made in."""
    me = actor.person
    if me is None:
        raise NotFound(_("You have no person in this organisation."))
    require(actor, "chat.own", me)
    row = (
        SlackLinkCode.objects.select_for_update()
        .filter(organisation=actor.organisation, digest=selectors.code_digest(code))
        .first()
    )
    if row is None or row.used_at is not None or row.expires_at <= timezone.now():
        raise ValidationFailed.single(
            "code", _("this link is used, too old or not for this organisation: run /checkin again")
        )
    taken = ChatAccount.objects.filter(
        organisation=actor.organisation, slack_user_id=row.slack_user_id
    ).exclude(person=me)
    if taken.exists():
        raise ValidationFailed.single("code", _("this Slack user is linked to someone else"))
    chat = _account(me)
    chat.slack_user_id = row.slack_user_id
    chat.linked_at = timezone.now()
    try:
        with transaction.atomic():  # a Slack user linked to someone else at this moment
            chat.save(update_fields=["slack_user_id", "linked_at"])
    except IntegrityError:
        raise ValidationFailed.single(
            "code", _("this Slack user is linked to someone else")
        ) from None
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    audit.record(actor, actor.organisation, "chat.slack_linked", me)
    _tell_linked(me, row)
    return chat


@languages.addressed_to("person")
def _tell_linked(person: Person, row: SlackLinkCode) -> None:
    """An email to the person: a link they did not make themselves is seen at once."""
    if not person.email:
        return
    who = f"@{row.slack_name} ({row.slack_user_id})" if row.slack_name else row.slack_user_id
    org = person.organisation
    message = EmailMessage(
        subject=_("Your ampwork account is linked to Slack"),
        body=(
            _("Hello %(name)s,") % {"name": person.name}
            + "\n\n"
            + _(
                "Your ampwork account in %(org)s is now linked to the Slack user %(who)s: it can"
                " check in on your key results and gets your notifications there."
            )
            % {"org": org.name, "who": who}
            + "\n\n"
            + _("If that was not you, unlink it now: %(url)s")
            % {"url": f"{settings.BASE_URL}/chat/?org={org.slug}"}
            + "\n"
        ),
        to=[person.email],
    )
    mail.queue_on_commit([message], kind="chat.linked", org_id=org.pk)


@transaction.atomic
def unlink_slack(*, actor: Actor) -> None:
    me = actor.person
    if me is None:
        raise NotFound(_("You have no person in this organisation."))
    require(actor, "chat.own", me)
    ChatAccount.objects.filter(person=me).update(slack_user_id="")


# ---------------------------------------------------------------- Teams addresses


def clean_teams_url(url: str, field: str) -> str:
    """A Teams Workflows address ("When a Teams webhook request is received"): an https
    URL to a public host (the SSRF guard of webhooks), at most 2,000 characters."""
    url = url.strip()
    try:
        if len(url) > 1500:
            raise netguard.Refused(_("is longer than 1,500 characters"))
        parts = netguard.parse(url)
        if parts.scheme != "https" and not settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE:
            raise netguard.Refused(_("must start with https://"))
        netguard.check_host(parts.hostname or "")
    except netguard.Refused as exc:
        raise ValidationFailed.single(field, str(exc)) from None
    return url


@transaction.atomic
def set_my_chat(*, actor: Actor, teams_url: str | None, digest: bool) -> ChatAccount:
    """The actor's own Teams chat (a Workflows address; None keeps the one set, "" removes
    it) and whether their weekly digest goes to chat."""
    me = actor.person
    if me is None:
        raise NotFound(_("You have no person in this organisation."))
    require(actor, "chat.own", me)
    chat = _account(me)
    if teams_url is not None:
        chat.sealed_teams_url = (
            _seal(clean_teams_url(teams_url, "teams_url"), f"teams-person:{me.pk}")
            if teams_url.strip()
            else ""
        )
    chat.digest = digest
    chat.save(update_fields=["sealed_teams_url", "digest"])
    return chat


@transaction.atomic
def set_team_channels(
    *,
    actor: Actor,
    team: Team,
    slack_channel: str,
    teams_url: str | None,
    recognition: bool,
    reminders: bool,
) -> TeamChannel:
    """A team's channels; ``teams_url`` None keeps the stored Teams address, "" removes it."""
    require(actor, "chat.team_channels", team)
    slack_channel = slack_channel.strip()
    if slack_channel and not CHANNEL_ID.fullmatch(slack_channel):
        raise ValidationFailed.single(
            "slack_channel", _("is the channel's id (its details in Slack), such as C0123ABCD")
        )
    row, _created = TeamChannel.objects.get_or_create(
        team=team, defaults={"organisation": actor.organisation}
    )
    row.slack_channel = slack_channel
    if teams_url is not None:
        row.sealed_teams_url = (
            _seal(clean_teams_url(teams_url, "teams_url"), f"teams-team:{team.pk}")
            if teams_url.strip()
            else ""
        )
    row.recognition = recognition
    row.reminders = reminders
    row.save()
    audit.record(actor, actor.organisation, "chat.team_channels", team, slack_channel=slack_channel)
    return row


# ---------------------------------------------------------------- sending (through the worker)


def _queue(org_id: int, message: dict[str, Any], run_after: dt.datetime | None) -> None:
    """One task per message, once the open transaction commits (now if none is open);
    ``run_after``: not before then (the person's quiet hours)."""
    from ampwork.core import worker

    from . import tasks

    poster = tasks.post
    if run_after is not None and worker.defers():
        poster = tasks.post.using(run_after=run_after)
    sealed = tasks.seal(message)
    transaction.on_commit(
        lambda: poster.enqueue(org_id=org_id, sealed=sealed, attempt=1), robust=True
    )


def queue_slack(
    org_id: int,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]],
    run_after: dt.datetime | None = None,
) -> None:
    message = {"to": "slack", "channel": channel, "text": cards.fallback(text), "blocks": blocks}
    _queue(org_id, message, run_after)


def queue_teams(
    org_id: int,
    target: tuple[str, int],
    card: dict[str, Any],
    run_after: dt.datetime | None = None,
) -> None:
    """``target``: ("person", id) or ("team", id) — the address is read (and unsealed) when
    the worker sends, so one removed meanwhile gets nothing."""
    _queue(org_id, {"to": "teams", "target": list(target), "card": card}, run_after)


def _accounts(people: Iterable[Person]) -> dict[int, ChatAccount]:
    return {c.person_id: c for c in ChatAccount.objects.filter(person__in=list(people))}


@languages.keeps_language
def send_slack_notes(people: list[Person], note: Any, when: dict[int, dt.datetime | None]) -> int:
    """The notification centre's Slack channel: a direct message to each linked person
    (its title and a button to the page; "check in now" on a due check-in)."""
    if not people:
        return 0
    org = people[0].organisation
    if selectors.workspace(org) is None:
        return 0
    chats = _accounts(people)
    sent = 0
    for person in people:
        chat = chats.get(person.pk)
        if chat is None or not chat.slack_user_id:
            continue
        with speaking_to(person):  # each in their own language
            text, blocks = cards.slack_note(org, note)
        queue_slack(org.pk, chat.slack_user_id, text, blocks, when.get(person.pk))
        sent += 1
    return sent


@languages.keeps_language
def send_teams_notes(people: list[Person], note: Any, when: dict[int, dt.datetime | None]) -> int:
    """The notification centre's Teams channel: a card in each person's own Teams chat."""
    if not people:
        return 0
    org = people[0].organisation
    chats = _accounts(people)
    sent = 0
    for person in people:
        chat = chats.get(person.pk)
        if chat is None or not chat.sealed_teams_url:
            continue
        with speaking_to(person):
            card = cards.teams_note(org, note)
        queue_teams(org.pk, ("person", person.pk), card, when.get(person.pk))
        sent += 1
    return sent


def reachable(person: Person) -> tuple[bool, bool]:
    """Whether this person can be reached on Slack and on Teams."""
    chat = selectors.account(person)
    if chat is None:
        return False, False
    slack = bool(chat.slack_user_id) and selectors.workspace(person.organisation) is not None
    return slack, bool(chat.sealed_teams_url)


# ---------------------------------------------------------------- events


def hear(organisation_id: int, event_type: str, data: dict[str, Any]) -> int:
    """The listener of ``core.events``: recognition to the channels of its recipients'
    teams, the weekly reminder to each team's channel, a manager's digest to their chat."""
    if event_type == "recognition.given":
        return _recognition(organisation_id, data)
    if event_type == "reviews.due":
        return _weekly_reminder(organisation_id, data)
    if event_type == "digest.weekly":
        return _digest_to_chat(organisation_id, data)
    return 0


def _recognition(org_id: int, data: dict[str, Any]) -> int:
    org = Organisation.objects.filter(pk=org_id).first()
    if org is None or org.is_school:  # a school's students: no public feed in chat
        return 0
    with translation.override(organisation_language(org)):  # a channel: the org's language
        return _recognition_posts(org, data)


def _recognition_posts(org: Organisation, data: dict[str, Any]) -> int:
    org_id = org.pk
    ids = [int(i) for i in data.get("recipient_ids", []) if isinstance(i, int)]
    people = list(Person.objects.filter(organisation=org, pk__in=ids, active=True))
    author = Person.objects.filter(organisation=org, pk=int(data.get("author_id") or 0)).first()
    if not people or author is None:
        return 0
    team_ids = set(
        TeamMembership.objects.filter(person__in=people).values_list("team_id", flat=True)
    )
    channels = TeamChannel.objects.filter(organisation=org, team_id__in=team_ids, recognition=True)
    body = str(data.get("body", ""))[:1000]
    has_slack = selectors.workspace(org) is not None
    posted = 0
    seen: set[str] = set()  # two teams sharing a channel: posted there once
    for row in channels:
        if row.slack_channel and has_slack and row.slack_channel not in seen:
            seen.add(row.slack_channel)
            text, blocks = cards.slack_recognition(org, author, people, body)
            queue_slack(org_id, row.slack_channel, text, blocks)
            posted += 1
        if row.sealed_teams_url and (url := team_teams_url(row)) not in seen:
            seen.add(url)
            queue_teams(
                org_id, ("team", row.team_id), cards.teams_recognition(org, author, people, body)
            )
            posted += 1
    return posted


def _weekly_reminder(org_id: int, data: dict[str, Any]) -> int:
    """Once a week per team: "weekly reviews are due" in its channels — no names."""
    org = Organisation.objects.filter(pk=org_id).first()
    try:
        week = dt.date.fromisoformat(str(data.get("week", ""))[:10])
    except ValueError:
        return 0
    if org is None:
        return 0
    with translation.override(organisation_language(org)):  # a channel: the org's language
        return _reminder_posts(org, week)


def _reminder_posts(org: Organisation, week: dt.date) -> int:
    org_id = org.pk
    has_slack = selectors.workspace(org) is not None
    posted = 0
    with transaction.atomic():
        due = list(
            TeamChannel.objects.select_for_update()
            .filter(organisation=org, reminders=True)
            .exclude(reminded_week=week)
        )
        seen: set[str] = set()  # two teams sharing a channel: reminded there once
        for row in due:
            sent = False
            if row.slack_channel and has_slack:
                if row.slack_channel not in seen:
                    text, blocks = cards.slack_reminder(org, week)
                    queue_slack(org_id, row.slack_channel, text, blocks)
                    seen.add(row.slack_channel)
                sent = True
            if row.sealed_teams_url:
                if (url := team_teams_url(row)) not in seen:
                    queue_teams(org_id, ("team", row.team_id), cards.teams_reminder(org, week))
                    seen.add(url)
                sent = True
            if sent:
                row.reminded_week = week
                row.save(update_fields=["reminded_week"])
                posted += 1
    return posted


@languages.keeps_language
def _digest_to_chat(org_id: int, data: dict[str, Any]) -> int:
    """A manager's weekly digest (names and states of their own people, what the email
    says) to their Slack and their Teams chat, if they linked one and keep it on."""
    person = (
        Person.objects.filter(
            organisation_id=org_id, pk=int(data.get("person_id") or 0), active=True
        )
        .select_related("organisation")
        .first()
    )
    try:
        week = dt.date.fromisoformat(str(data.get("week", ""))[:10])
    except ValueError:
        return 0
    if person is None:
        return 0
    with transaction.atomic():
        chat = ChatAccount.objects.select_for_update().filter(person=person).first()
        if chat is None or not chat.digest or chat.digested_week == week:
            return 0  # none wanted, or this week's went out already
        chat.digested_week = week
        chat.save(update_fields=["digested_week"])
    org = person.organisation
    posted = 0
    languages.speak_to(person)
    if chat.slack_user_id and selectors.workspace(org) is not None:
        with speaking_to(person):
            text, blocks = cards.slack_digest(org, data)
        queue_slack(org_id, chat.slack_user_id, text, blocks)
        posted += 1
    if chat.sealed_teams_url:
        with speaking_to(person):
            card = cards.teams_digest(org, data)
        queue_teams(org_id, ("person", person.pk), card)
        posted += 1
    return posted
