"""Writes for pulse rounds: create, open (frozen reporting groups, invitations, one-time
links), answer (through the sealed pool), flush, close.

How an answer stays unlinkable, even for someone reading the database (docs/privacy.md):

1. The invitation is marked used — only a flag, never a day — in one transaction.
2. The answer is sealed and put in the pool (``PooledAnswer``: random id, no timestamp)
   in another transaction.
3. When the pool holds ``FLUSH_AT`` answers of a round, and whenever the round closes,
   they are written into ``Response`` together, in shuffled order, in a third
   transaction: every response of a batch carries the same transaction id and their
   physical order is random, unrelated to the order of the invitations.

Results are shown only once a round is closed (selectors), when closing has written the
pool into responses; while it is open only the count of answers, pooled ones included
(``answer_count``). A flush is never triggered by reading, which would make a batch of one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from ampwork.core import l10n, languages, mail
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.events import publish
from ampwork.core.models import AuditEvent, Person, Team, TeamMembership
from ampwork.core.permissions import Actor, can, require
from ampwork.core.services import record

from . import anonymity, instrument, translations
from .models import Invitation, PooledAnswer, Question, ReportingGroup, Response, Round

log = logging.getLogger(__name__)

# Pooled answers are written into responses in batches of at least this many.
FLUSH_AT = anonymity.COMMENT_MINIMUM
# Changes to a group's people or teams this many days before opening earn a warning.
CHANGE_WINDOW = dt.timedelta(days=14)
# A shared link takes at most this many answers a minute from one address.
SHARED_RATE = getattr(settings, "AMPWORK_PULSE_SHARED_RATE", 12)
# The signed cookie that says a browser has answered a shared link.
SHARED_COOKIE_SALT = "ampwork.surveys.shared-answer"


class RateLimited(NotAllowed):
    """Too many answers from one address: answered 429 by the page and the API."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def shared_cookie(round: Round) -> str:
    return f"ampwork_pulse_{round.pk}"


def answered_cookie(round: Round, *, secure: bool) -> dict[str, Any]:
    """``set_signed_cookie`` arguments saying this browser answered a shared link: signed,
    httponly, kept until two days after the round closes."""
    days = (round.closes - timezone.localdate()).days + 2
    return {
        "key": shared_cookie(round),
        "value": "answered",
        "salt": SHARED_COOKIE_SALT,
        "max_age": max(days, 1) * 86400,
        "httponly": True,
        "secure": secure,
        "samesite": "Lax",
    }


def has_answered(cookies_reader: Any, round: Round) -> bool:
    """Whether a request carries this round's signed "answered" cookie."""
    value = cookies_reader.get_signed_cookie(
        shared_cookie(round), default=None, salt=SHARED_COOKIE_SALT
    )
    return bool(value == "answered")


@transaction.atomic
def create_round(
    *,
    actor: Actor,
    name: str,
    opens: dt.date,
    closes: dt.date,
    team_ids: Iterable[int] = (),
    mode: str = Round.Mode.INVITED,
    questions: Sequence[tuple[str, bool]] = (),
    question_areas: Sequence[Iterable[str]] = (),
    audience_size: int | None = None,
    class_code: str = "",
) -> Round:
    """A draft round. A shared link (unattributed mode) takes at most ``audience_size``
    answers — by default the members of its teams when it opens — and, if ``class_code``
    is set, only answers that give it. A teacher makes rounds only for classes they lead
    (``pulse.for_team``); the whole organisation is for ``pulse.manage``.
    ``question_areas[i]`` are the PPRA protected areas (``instrument.AREAS``) the own
    question ``questions[i]`` asks about."""
    require(actor, "pulse.create", actor.organisation)
    try:
        tagged = [instrument.clean_areas(codes) for codes in question_areas]
    except ValueError as exc:
        raise ValidationFailed.single("question_areas", str(exc)) from None
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", gettext("is required"))
    if closes < opens:
        raise ValidationFailed.single("closes", gettext("must not be before the opening day"))
    if mode not in Round.Mode.values:
        raise ValidationFailed.single("mode", gettext("must be invited or unattributed"))
    if audience_size is not None and not 1 <= audience_size <= 100_000:
        raise ValidationFailed.single(
            "audience_size", gettext("must be a number of people, 1 or more")
        )
    class_code = (class_code or "").strip()
    if len(class_code) > 40:
        raise ValidationFailed.single("class_code", gettext("must be 40 characters or fewer"))
    if mode != Round.Mode.UNATTRIBUTED and (audience_size is not None or class_code):
        raise ValidationFailed.single(
            "audience_size" if audience_size is not None else "class_code",
            gettext("is only for a shared link (unattributed mode)"),
        )
    team_ids = list(team_ids)
    teams = list(Team.objects.filter(organisation=actor.organisation, pk__in=team_ids))
    if len(teams) != len(set(team_ids)):
        raise ValidationFailed.single("team_ids", gettext("no such team in this organisation"))
    if not teams and not can(actor, "pulse.manage", actor.organisation):
        raise NotAllowed(
            gettext("Choose your class: teachers make pulses for the classes they lead.")
        )
    for team in teams:
        if not can(actor, "pulse.for_team", team):
            raise NotAllowed(
                gettext("You do not lead %(team)s: ask its teacher or a head teacher.")
                % {"team": team.name}
            )
    round = Round.objects.create(
        organisation=actor.organisation,
        name=name,
        instrument=instrument.VERSION,
        mode=mode,
        opens=opens,
        closes=closes,
        created_by=actor.user,
        audience_size=audience_size,
        class_code=class_code,
    )
    round.teams.set(teams)
    for i, (text, reverse) in enumerate(questions):
        if text.strip():
            Question.objects.create(
                round=round,
                code=f"own{i + 1}",
                text=text.strip()[:300],
                reverse=reverse,
                areas=",".join(sorted(tagged[i])) if i < len(tagged) else "",
            )
    return round


def audience(round: Round) -> dict[int, int | None]:
    """Who is asked, with the reporting group each answer will count in: their team (the
    first, by name) inside the round's teams — or any team, for the whole organisation."""
    teams = set(round.teams.values_list("id", flat=True))
    scope: set[int] = set()
    if teams:
        tree = dict(
            Team.objects.filter(organisation=round.organisation).values_list("id", "parent_id")
        )
        scope = anonymity.within(tree, teams)
    out: dict[int, int | None] = {}
    for person_id, team_id in (
        TeamMembership.objects.filter(organisation=round.organisation, person__active=True)
        .order_by("team__name", "team_id")
        .values_list("person_id", "team_id")
    ):
        if scope and team_id not in scope:
            continue
        out.setdefault(person_id, team_id)
    if not teams:
        for person_id in Person.objects.filter(
            organisation=round.organisation, active=True
        ).values_list("id", flat=True):
            out.setdefault(person_id, None)
    return out


@dataclass(frozen=True)
class Asked:
    """What a gate sees of a round about to open: the round, its questions and the people
    it would ask (person id -> reporting group)."""

    round: Round
    items: list[instrument.Item]
    people: dict[int, int | None]


# Who may be asked: gates other apps plug in from their ``AppConfig.ready()`` (classroom's
# consent policy for student pulses). Each takes what the round would ask and answers the
# people it admits, or raises ValidationFailed: then the round does not open.
Gate = Callable[[Asked], dict[int, int | None]]
GATES: list[Gate] = []


# Which wording of the AMP Pulse a school's student sees: pickers other apps plug in from
# their ``AppConfig.ready()`` (classroom's age bands per class). Each takes the round and
# the answerer's reporting group (None: a shared link) and answers an ``instrument.BANDS``
# code, or None to leave it to the next (none: the school wording).
Wording = Callable[[Round, int | None], str | None]
WORDINGS: list[Wording] = []


def band_for(round: Round, group_id: int | None) -> str | None:
    """The age band whose wording a school's round shows to one answerer (None: the
    school wording; a company's rounds have none)."""
    if not round.organisation.is_school:
        return None
    for pick in WORDINGS:
        if band := pick(round, group_id):
            return band
    return None


def admitted(round: Round) -> dict[int, int | None]:
    """The round's audience (:func:`audience`) through every gate."""
    people = audience(round)
    items = items_of(round)
    for gate in GATES:
        people = gate(Asked(round, items, people))
    return people


def invited_people(round: Round) -> set[int] | None:
    """Who a round with one link per person invited when it opened (None: a shared link,
    which invites nobody by name)."""
    if round.mode == Round.Mode.UNATTRIBUTED:
        return None
    return set(Invitation.objects.filter(round=round).values_list("person_id", flat=True))


# what else remembers someone's part in pulses, forgotten with them: (organisation id,
# person ids) -> rows removed; notifications plugs in its "a pulse is open" notices
FORGETTERS: list[Callable[[int, list[int]], int]] = []


def forget_people(*, org_id: int, person_ids: Iterable[int]) -> int:
    """Forget who these people were in closed rounds (a school's retention policy, whose
    service checked its permission): their invitations lose the person and keep the round,
    the reporting group and used, so every count a closed round's results read — and so
    its published results and their anonymity rules — stays as it was. Answers carry no
    person, so there is nothing else of theirs to find. Open rounds are left alone: their
    audience still decides where answers are stored. Each forgotten invitation's digest is
    replaced by one no link hashes to (``forgotten-<id>``: a digest is 64 hex digits), so
    their old link finds nothing; what else remembers them (``FORGETTERS``) forgets too.
    The number of invitations forgotten."""
    ids = list(person_ids)
    forgotten = Invitation.objects.filter(
        round__organisation_id=org_id, round__status=Round.Status.CLOSED, person_id__in=ids
    ).update(person=None, digest=Concat(Value("forgotten-"), Cast("pk", output_field=CharField())))
    for forget in FORGETTERS:
        forget(org_id, ids)
    return forgotten


@transaction.atomic
def exclude(*, round: Round, person_id: int) -> str:
    """Ask a person no more (a guardian's opt-out recorded after the round opened, by a
    service that checked its own permission). Their one-time link stops working: it is
    marked used, not deleted, so the round's count of people invited — and whatever it
    shows — is the same whether they had answered or not (a deleted row would say which).
    A shared link, which cannot tell who answers, is renewed (the one they may hold stops
    working) and takes one answer fewer, never fewer than it has. An answer already given
    stays. Answers ``"link_closed"``, ``"link_renewed"`` or ``"not_open"``."""
    current = Round.objects.select_for_update().filter(pk=round.pk).first()
    if current is None or current.status != Round.Status.OPEN:
        return "not_open"
    if current.mode == Round.Mode.UNATTRIBUTED:
        taken = Response.objects.filter(round=current).count()
        if current.audience_size is not None:
            current.audience_size = max(taken, current.audience_size - 1)
        _new_link(current)
        current.save(update_fields=["shared_token_digest", "shared_token_sealed", "audience_size"])
        round.shared_token_digest = current.shared_token_digest
        round.shared_token_sealed = current.shared_token_sealed
        round.audience_size = current.audience_size
        record(None, current.organisation, "pulse.link_renewed", current)
        return "link_renewed"
    Invitation.objects.filter(round=current, person_id=person_id, used=False).update(used=True)
    return "link_closed"


@dataclass
class Opened:
    round: Round
    invited: int
    shared_token: str | None


# ---------------------------------------------------------------- frozen reporting groups

# person.* audit actions that do not change who is in which group
_NOT_AUDIENCE = {"person.role_changed", "person.login_linked", "person.login_granted"}


def _ints(value: Any) -> set[int]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return {int(value)}
    if isinstance(value, list | tuple):
        return set().union(*(_ints(v) for v in value)) if value else set()
    return set()


def _ids_named(detail: Any, key: str = "") -> Iterable[tuple[str, set[int]]]:
    """The ids in an audit event's detail, each with the key that names it (the innermost:
    ``changes: {parent_id: [1, 2]}`` gives ``parent_id``) — never a name or other text."""
    if isinstance(detail, dict):
        for inner, value in detail.items():
            yield from _ids_named(value, str(inner))
    elif key:
        yield key, _ints(detail)


def recent_changes(org: Any, at: dt.datetime) -> dict[int, int]:
    """Changes to each team's people or place in the tree in the ``CHANGE_WINDOW`` before
    ``at``: memberships and people created then, and every audit event about a
    membership, a team or a person's place (read generically: the team and person ids
    an event names, as its target or in its detail)."""
    start = at - CHANGE_WINDOW
    window = {"created_at__gt": start, "created_at__lte": at}
    teams_of: dict[int, set[int]] = defaultdict(set)
    team_of_membership: dict[int, int] = {}
    for pk, person, team in TeamMembership.objects.filter(organisation=org).values_list(
        "id", "person_id", "team_id"
    ):
        teams_of[person].add(team)
        team_of_membership[pk] = team
    changes: dict[int, int] = defaultdict(int)
    for team in TeamMembership.objects.filter(organisation=org, **window).values_list(
        "team_id", flat=True
    ):
        changes[team] += 1
    for person in Person.objects.filter(organisation=org, **window).values_list("id", flat=True):
        for team in teams_of[person]:
            changes[team] += 1
    events = (
        AuditEvent.objects.filter(organisation=org, **window)
        .filter(
            Q(action__startswith="membership.")
            | Q(action__startswith="team.")
            | Q(action__startswith="person.")
        )
        .exclude(action__in=_NOT_AUDIENCE)
        .values_list("target_type", "target_id", "detail")
    )
    for target_type, target_id, detail in events:
        teams: set[int] = set()
        people: set[int] = set()
        target = _ints(target_id)
        if target_type == "Team":
            teams |= target
        elif target_type == "Person":
            people |= target
        elif target_type == "TeamMembership":
            teams |= {team_of_membership[m] for m in target if m in team_of_membership}
        for key, ids in _ids_named(detail):
            if "person" in key or key == "members":
                people |= ids
            elif "team" in key or "parent" in key:
                teams |= ids
        for person in people:
            teams |= teams_of[person]
        for team in teams:
            changes[team] += 1
    return dict(changes)


def _freeze(round: Round, at: dt.datetime) -> None:
    """Keep every team as it stands now — parent, name, recent changes — for this round."""
    changes = recent_changes(round.organisation, at)
    ReportingGroup.objects.bulk_create(
        [
            ReportingGroup(
                round=round,
                team_id=pk,
                parent_id=parent,
                name=name,
                recent_changes=changes.get(pk, 0),
            )
            for pk, parent, name in Team.objects.filter(
                organisation=round.organisation
            ).values_list("id", "parent_id", "name")
        ],
        batch_size=2000,
    )


Message = tuple[str, str, str, list[str]]


def _addresses(round: Round) -> dict[int, tuple[str, str]]:
    """Each person of the round's organisation: their email and the language to write to
    them in (their choice, else the organisation's default: core/languages.py)."""
    default = languages.organisation_language(round.organisation)
    return {
        pk: (email, languages.supported(chosen) or default)
        for pk, email, chosen in Person.objects.filter(organisation=round.organisation).values_list(
            "id", "email", "language"
        )
    }


def _send(messages: list[Message], *, kind: str, org_id: int) -> None:
    """Queue one-time links for the worker, after the transaction that stored their
    digests (core.mail: sealed in the task table, never sent to the console, the log gets
    counts only)."""
    letters = [
        mail.Letter(EmailMessage(subject, body, sender, to))
        for subject, body, sender, to in messages
    ]
    mail.queue(letters, kind=kind, org_id=org_id)


def open_round(
    *, actor: Actor, round: Round, send: bool = True, at: dt.datetime | None = None
) -> Opened:
    """Open a round: fix its anonymity minimum, freeze its reporting groups and its
    audience, and make the one-time links (or the shared link of an unattributed round).
    Links are sent by email once the round is stored, and stored only as digests. ``at``
    is the moment of opening (now; the demo replays rounds opened in the past)."""
    opened, messages = _open(actor=actor, round=round, at=at)
    if send:
        _send(messages, kind="pulse.invitations", org_id=round.organisation_id)
    return opened


@languages.keeps_language  # each invitation in its reader's language
@transaction.atomic
def _open(*, actor: Actor, round: Round, at: dt.datetime | None) -> tuple[Opened, list[Message]]:
    require(actor, "pulse.run", round)
    if round.status != Round.Status.DRAFT:
        raise ValidationFailed.single("status", gettext("only a draft round can be opened"))
    at = at or timezone.now()
    asked = admitted(round)  # before anything changes: a gate may refuse the opening
    round.minimum = actor.organisation.anonymity_min_group
    round.status = Round.Status.OPEN
    shared = None
    invited = 0
    invited_ids: list[int] = []
    messages: list[Message] = []
    _freeze(round, at)
    if round.mode == Round.Mode.UNATTRIBUTED:
        if round.audience_size is None:
            round.audience_size = len(asked)
            if not round.audience_size:
                raise ValidationFailed.single(
                    "audience_size",
                    gettext("say how many people may answer through the shared link"),
                )
        shared = _new_link(round)
    else:
        links: list[Invitation] = []
        people = _addresses(round)
        for person_id, group in asked.items():
            token = secrets.token_urlsafe(24)
            links.append(
                Invitation(round=round, person_id=person_id, group_id=group, digest=digest(token))
            )
            email, language = people[person_id]
            with translation.override(language):  # each email in its reader's language
                messages.append(
                    (
                        gettext("%(name)s: two minutes, anonymous") % {"name": round.name},
                        gettext("Your link (it works once): %(link)s")
                        % {"link": f"{settings.BASE_URL}/pulse/answer/{token}/"}
                        + "\n\n"
                        + ngettext(
                            "Your answers are stored without your name, your link or the time "
                            "of day; results are only shown for groups of at least %(minimum)d "
                            "person.",
                            "Your answers are stored without your name, your link or the time "
                            "of day; results are only shown for groups of at least %(minimum)d "
                            "people.",
                            round.minimum or 0,
                        )
                        % {"minimum": round.minimum or 0},
                        settings.DEFAULT_FROM_EMAIL,
                        [email],
                    )
                )
        Invitation.objects.bulk_create(links, batch_size=2000)
        invited = len(links)
        invited_ids = [link.person_id for link in links if link.person_id is not None]
    round.save(
        update_fields=[
            "minimum",
            "status",
            "shared_token_digest",
            "shared_token_sealed",
            "audience_size",
        ]
    )
    record(actor, actor.organisation, "pulse.opened", round, invited=invited)
    _publish("pulse.round_opened", round)
    if invited_ids:
        # the notification centre tells each invited person (integrations ignore it)
        publish(
            round.organisation_id,
            "pulse.invited",
            {
                "round_id": round.pk,
                "name": round.name,
                "closes": round.closes.isoformat(),
                "person_ids": invited_ids,
            },
        )
    return Opened(round, invited, shared), messages


def _publish(event_type: str, round: Round) -> None:
    """Integrations hear that a round opened or closed: never an answer, a count or a
    result (core.events)."""
    publish(
        round.organisation_id,
        event_type,
        {
            "round_id": round.pk,
            "name": round.name,
            "opens": round.opens.isoformat(),
            "closes": round.closes.isoformat(),
        },
    )


# ---------------------------------------------------------------- the shared link


def _new_link(round: Round) -> str:
    """A fresh shared link for ``round``: its digest (to find the round by) and the link
    sealed (to show it again to those who may share it) — never the link in clear."""
    token = secrets.token_urlsafe(24)
    round.shared_token_digest = digest(token)
    round.shared_token_sealed = seal_link(round.pk, token)
    return token


def _link_keys() -> list[AESGCM]:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        AESGCM(hashlib.sha256(f"ampwork.surveys.shared-link:{key}".encode()).digest())
        for key in secrets_
    ]


def seal_link(round_id: int, token: str) -> str:
    """Encrypt a shared link's token (AES-GCM, a fresh random nonce, bound to its round,
    with a key derived from the server's secret key, apart from the pool's)."""
    nonce = os.urandom(12)
    box = _link_keys()[0].encrypt(nonce, token.encode(), f"shared-link:{round_id}".encode())
    return base64.b64encode(nonce + box).decode()


def open_link(round: Round) -> str | None:
    """The token of an open round's shared link, or None: not a shared-link round, not
    open, opened before links were kept, or sealed with a secret key this server no longer
    has (then a new link can be made). The caller checks ``pulse.run`` first
    (``selectors.shared_link``)."""
    if (
        round.mode != Round.Mode.UNATTRIBUTED
        or round.status != Round.Status.OPEN
        or not round.shared_token_sealed
    ):
        return None
    try:
        raw = base64.b64decode(round.shared_token_sealed, validate=True)
    except ValueError:
        return None
    for key in _link_keys():
        try:
            token = key.decrypt(raw[:12], raw[12:], f"shared-link:{round.pk}".encode()).decode()
        except (InvalidTag, ValueError):
            continue
        return token if digest(token) == round.shared_token_digest else None
    return None


@transaction.atomic
def renew_shared_link(*, actor: Actor, round: Round) -> str:
    """Replace an open round's shared link with a new one: the old link stops working
    (one that went further than the class, or one this server can no longer show). The
    answers already given, the cap and the one-per-browser cookie stay the round's."""
    require(actor, "pulse.run", round)
    if round.status != Round.Status.OPEN or round.mode != Round.Mode.UNATTRIBUTED:
        raise ValidationFailed.single(
            "status", gettext("only an open round's shared link can be renewed")
        )
    token = _new_link(round)
    round.save(update_fields=["shared_token_digest", "shared_token_sealed"])
    record(actor, actor.organisation, "pulse.link_renewed", round)
    return token


def remind(*, actor: Actor, round: Round) -> int:
    """Email a fresh one-time link to everyone whose link is still unused.

    Links are stored only as digests, so a reminder replaces the unused link with a new
    one (and sends it once that is stored). Nobody is shown who has or has not answered:
    only how many were reminded.
    """
    messages = _renew(actor=actor, round=round)
    _send(messages, kind="pulse.reminders", org_id=round.organisation_id)
    return len(messages)


@languages.keeps_language  # each reminder in its reader's language
@transaction.atomic
def _renew(*, actor: Actor, round: Round) -> list[Message]:
    require(actor, "pulse.run", round)
    if round.status != Round.Status.OPEN or round.mode != Round.Mode.INVITED:
        raise ValidationFailed.single("status", gettext("reminders are for open, invited pulses"))
    people = _addresses(round)
    messages: list[Message] = []
    pending = list(Invitation.objects.filter(round=round, used=False))
    chosen = languages.chosen_in(round.organisation)
    for invitation in pending:
        if invitation.person_id is None:  # forgotten (a retention purge): only once closed
            continue
        languages.speak_in(chosen.get(invitation.person_id), round.organisation)
        token = secrets.token_urlsafe(24)
        invitation.digest = digest(token)
        email, language = people[invitation.person_id]
        with translation.override(language):
            messages.append(
                (
                    gettext("Reminder: %(name)s closes on %(day)s")
                    % {
                        "name": round.name,
                        "day": l10n.format_day(round.closes, "day_month_long", language),
                    },
                    gettext("Two minutes, anonymous. Your new link (it works once): %(link)s")
                    % {"link": f"{settings.BASE_URL}/pulse/answer/{token}/"},
                    settings.DEFAULT_FROM_EMAIL,
                    [email],
                )
            )
    Invitation.objects.bulk_update(pending, ["digest"], batch_size=2000)
    record(actor, actor.organisation, "pulse.reminded", round, count=len(pending))
    return messages


@transaction.atomic
def close_round(*, actor: Actor, round: Round) -> Round:
    """Close an open round and write all its answers once more as one shuffled batch.
    Its results are shown from then on (selectors: never while it is open)."""
    require(actor, "pulse.run", round)
    current = Round.objects.select_for_update().filter(pk=round.pk).values_list("status", flat=True)
    if current.first() != Round.Status.OPEN:
        raise ValidationFailed.single("status", gettext("only an open round can be closed"))
    round.status = Round.Status.CLOSED
    round.save(update_fields=["status"])
    record(actor, actor.organisation, "pulse.closed", round)
    settle(round, always=True)
    _publish("pulse.round_closed", round)
    return round


def find_invitation(token: str) -> tuple[Round, Invitation | None]:
    """The round a link belongs to: a person's one-time link, or a round's shared link."""
    hashed = digest(token)
    invitation = (
        Invitation.objects.select_related("round__organisation").filter(digest=hashed).first()
    )
    if invitation is not None:
        return invitation.round, invitation
    round = (
        Round.objects.select_related("organisation")
        .filter(shared_token_digest=hashed, mode=Round.Mode.UNATTRIBUTED)
        .first()
    )
    if round is None or not token:
        raise NotFound(gettext("this link is not valid"))
    return round, None


def items_of(round: Round) -> list[instrument.Item]:
    own = [
        instrument.Item(
            q.code,
            "own",
            q.text,
            q.text,
            q.reverse,
            areas=frozenset(a for a in q.areas.split(",") if a),
        )
        for q in round.questions.all()
    ]
    return [*instrument.items_for(round.organisation.is_school), *own]


# ---------------------------------------------------------------- answering


def _clean(round: Round, answers: Mapping[str, Any], enps: int | None) -> dict[str, int]:
    codes = {item.code for item in items_of(round)}
    clean: dict[str, int] = {}
    for code, value in answers.items():
        if code not in codes:
            raise ValidationFailed.single(code, gettext("is not a question of this pulse"))
        if value in (None, ""):
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | str)
            or str(value) not in {"1", "2", "3", "4", "5"}
        ):
            raise ValidationFailed.single(code, gettext("answer from 1 to 5"))
        clean[code] = int(value)
    if enps is not None and not 0 <= enps <= 10:
        raise ValidationFailed.single("enps", gettext("answer from 0 to 10"))
    if not clean and enps is None:
        raise ValidationFailed.single("answers", gettext("answer at least one question"))
    return clean


def check_rate(round: Round, address: str) -> None:
    """At most ``SHARED_RATE`` answers a minute from one address to a shared link (the
    cache keeps a keyed digest of the address, for two minutes: with a shared cache it sits
    in Redis or a table, where a plain hash of an IPv4 address could be reversed by trying
    them all)."""
    minute = int(timezone.now().timestamp() // 60)
    keyed = hmac.new(
        settings.SECRET_KEY.encode(), f"pulse-rate:{address or '-'}".encode(), hashlib.sha256
    ).hexdigest()
    key = f"ampwork:pulse-shared:{round.pk}:{keyed}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > SHARED_RATE:
        raise RateLimited(
            gettext(
                "Too many answers from this network in the last minute: wait a minute, "
                "then send again."
            )
        )


def answer_count(round: Round) -> int:
    """Distinct answers a round has taken: written and still pooled."""
    return (
        Response.objects.filter(round=round).count()
        + PooledAnswer.objects.filter(round=round).count()
    )


def answer(
    *,
    round: Round,
    invitation: Invitation | None,
    answers: dict[str, Any],
    enps: int | None = None,
    comment: str = "",
    class_code: str | None = None,
    language: str | None = None,
) -> None:
    """Take one answer. The invitation is marked used (a flag, not a day) in one
    transaction; the sealed answer goes into the pool in another; the pool is written
    into responses in shuffled batches. A shared link checks the class code and the cap
    (the audience size the teacher gave) first. ``language`` is the language the AMP items
    were shown in (a page's language, "de-at" read as "de"; None: English): inside the
    sealed payload while the answer waits, then sealed on its response (seal_language) —
    never in plain text."""
    today = timezone.localdate()
    if round.status != Round.Status.OPEN or not round.opens <= today <= round.closes:
        raise ValidationFailed.single("round", gettext("this pulse is not open"))
    if round.mode == Round.Mode.INVITED and invitation is None:
        raise NotAllowed(gettext("this pulse needs your own link"))
    clean = _clean(round, answers, enps)
    payload: dict[str, Any] = {
        "day": today.isoformat(),
        "enps": enps,
        "comment": comment.strip()[:2000],
        "answers": clean,
        **_language(round, language),
    }
    if invitation is not None:
        # one statement that both checks and marks the link: of two submits at once, on
        # any database, exactly one changes the row; the other is refused (a 4xx)
        if not Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True):
            raise ValidationFailed.single("token", gettext("this link has already been used"))
        payload["group"] = stored_group(round, invitation.group_id)
        try:
            _pool(round, payload)
        except BaseException:
            with transaction.atomic():  # nothing was stored: the link works again
                Invitation.objects.filter(pk=invitation.pk).update(used=False)
            raise
    else:
        if round.class_code and not secrets.compare_digest(
            (class_code or "").strip().casefold().encode(), round.class_code.casefold().encode()
        ):
            raise ValidationFailed.single(
                "class_code", gettext("the class code does not match: ask your teacher for it")
            )
        teams = list(round.teams.values_list("id", flat=True))
        payload["group"] = teams[0] if len(teams) == 1 else None
        _pool(round, payload, cap=round.audience_size)
    try:
        flush(round)
    except Exception:  # the answer is safe in the pool; the next flush or closing takes it
        log.exception("pulse %s: pool flush deferred", round.pk)


def _language(round: Round, language: str | None) -> dict[str, str]:
    """The language and translation version an answer carries in the pool
    (``translations``); its response keeps only the language, sealed (the version follows
    from the round's instrument)."""
    code = translations.language_of(language, round.instrument)
    return {
        "language": code,
        "translation": translations.translation_version(round.instrument, code),
    }


def stored_group(round: Round, group: int | None) -> int | None:
    """The group an invited answer is stored under: its reporting group, or the nearest
    frozen group around it whose frozen audience (the invitations to it and to the groups
    inside it) reaches the round's minimum (``anonymity.coarsened``). Results are the
    same — such a small group could never be shown — but a response does not name a team
    of one or two people."""
    if group is None:
        return None
    rows = list(ReportingGroup.objects.filter(round=round).values_list("team_id", "parent_id"))
    known = {team for team, _ in rows}
    if group not in known:
        return group
    parents = {team: (parent if parent in known else None) for team, parent in rows}
    audience: dict[int, int] = defaultdict(int)
    for invited in Invitation.objects.filter(round=round).values_list("group_id", flat=True):
        audience[invited if invited in known else anonymity.ROOT] += 1
    minimum = round.minimum or round.organisation.anonymity_min_group
    found = anonymity.coarsened(parents, audience, minimum)[group]
    return None if found == anonymity.ROOT else found


def _pool(round: Round, payload: dict[str, Any], cap: int | None = None) -> None:
    with transaction.atomic():
        # one answer at a time per round, and none once it closes (closing settles the
        # pool, so a closed round never has pooled answers)
        status = (
            Round.objects.select_for_update()
            .filter(pk=round.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status != Round.Status.OPEN:
            raise ValidationFailed.single("round", gettext("this pulse is not open"))
        if cap is not None and answer_count(round) >= cap:
            raise ValidationFailed.single(
                "round",
                gettext(
                    "this pulse has all the answers it was set up for (%(cap)s); "
                    "if you have not answered yet, tell your teacher"
                )
                % {"cap": cap},
            )
        PooledAnswer.objects.create(round=round, sealed=_seal(round.pk, payload))


# ---------------------------------------------------------------- the pool


def _keys() -> list[AESGCM]:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        AESGCM(hashlib.sha256(f"ampwork.surveys.pool:{key}".encode()).digest()) for key in secrets_
    ]


def _seal(round_id: int, payload: dict[str, Any]) -> str:
    """Encrypt (AES-GCM, a fresh random nonce, bound to the round): no timestamp inside."""
    nonce = os.urandom(12)
    box = _keys()[0].encrypt(nonce, json.dumps(payload).encode(), str(round_id).encode())
    return base64.b64encode(nonce + box).decode()


def _unseal(round_id: int, sealed: str) -> dict[str, Any]:
    raw = base64.b64decode(sealed)
    for key in _keys():
        try:
            plain = key.decrypt(raw[:12], raw[12:], str(round_id).encode())
        except InvalidTag:
            continue
        data: dict[str, Any] = json.loads(plain)
        return data
    raise RuntimeError(
        "pooled pulse answers were sealed with another secret key: put the old one in "
        "SECRET_KEY_FALLBACKS to read them"
    )


# an answer's language, padded to one length before sealing: "en" and "de" (and any code
# translations may add) seal to strings of the same length
_LANGUAGE_PAD = 16


def seal_language(round_id: int, language: str) -> str:
    """An answer's language for its :class:`Response` row, sealed like the pool (AES-GCM, a
    fresh random nonce, bound to the round, a key from the server's secret key) and padded
    to one length: the database and an export hold only ciphertext, so nobody joins a
    person's chosen language to their answer. "" (no language recorded: before languages
    were, English) stays "" — it tells nothing about anyone's language."""
    if not language:
        return ""
    return _seal(round_id, {"language": language.ljust(_LANGUAGE_PAD)})


def open_language(round_id: int, sealed: str) -> str:
    """The language :func:`seal_language` sealed ("" for none). Only the running app, with
    its secret key, can; results read it only for counts that pass the anonymity rules
    (selectors: ``anonymity.language_split``)."""
    if not sealed:
        return ""
    return str(_unseal(round_id, sealed).get("language", "")).strip()


def pooled(round: Round) -> list[dict[str, Any]]:
    """The answers waiting in the pool, opened (never shown: results wait for closing).
    A closed round has none: closing writes them all, and the pool refuses it after."""
    if round.status == Round.Status.CLOSED:
        return []
    return [
        _unseal(round.pk, sealed)
        for sealed in PooledAnswer.objects.filter(round=round).values_list("sealed", flat=True)
    ]


def _response(round: Round, data: Mapping[str, Any], pk: Any = None) -> Response:
    response = Response(
        round=round,
        group_id=data["group"],
        submitted_on=dt.date.fromisoformat(data["day"]),
        enps=data["enps"],
        comment=data["comment"],
        answers=data["answers"],
        # sealed on its own, never in plain text (a person's chosen language would name
        # the answer); answers pooled by the previous release carry none: recorded as ""
        language_sealed=seal_language(round.pk, data.get("language", "")),
    )
    if pk is not None:
        response.pk = pk
    return response


def flush(round: Round, *, force: bool = False) -> int:
    """Write the pooled answers of a round into responses — once ``FLUSH_AT`` wait, or
    whenever ``force`` — in one transaction, in shuffled order, each with a new random id
    (never the pool row's). Returns how many were written."""
    with transaction.atomic():
        rows = list(
            PooledAnswer.objects.select_for_update().filter(round=round).values_list("id", "sealed")
        )
        if not rows or (not force and len(rows) < FLUSH_AT):
            return 0
        opened = [_unseal(round.pk, sealed) for _, sealed in rows]
        deleted, _ = PooledAnswer.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        if deleted != len(rows):
            raise DatabaseError("the pool changed during a flush")
        secrets.SystemRandom().shuffle(opened)
        Response.objects.bulk_create([_response(round, data) for data in opened])
    return len(opened)


def settle(round: Round, *, always: bool = False) -> int:
    """Write every answer of a round — its responses and its pool — once more, all in one
    shuffled batch: the last, smaller batch of a round then hides among all the others.
    Only when answers are pooled, unless ``always`` (at closing). Responses keep their
    ids, so exports stay the same."""
    with transaction.atomic():
        rows = list(
            PooledAnswer.objects.select_for_update().filter(round=round).values_list("id", "sealed")
        )
        opened = [(None, _unseal(round.pk, sealed)) for _, sealed in rows]
        existing = list(
            Response.objects.select_for_update()
            .filter(round=round)
            .values_list(
                "id",
                "group_id",
                "submitted_on",
                "enps",
                "comment",
                "answers",
                "language_sealed",
            )
        )
        if not rows and not always:
            return 0
        everything: list[tuple[Any, dict[str, Any]]] = [
            (
                pk,
                {
                    "group": g,
                    "day": day.isoformat(),
                    "enps": e,
                    "comment": c,
                    "answers": a,
                    # opened here and sealed afresh (a new nonce, the current key) below
                    "language": open_language(round.pk, sealed),
                },
            )
            for pk, g, day, e, c, a, sealed in existing
        ]
        everything.extend(opened)
        PooledAnswer.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        Response.objects.filter(round=round).delete()
        secrets.SystemRandom().shuffle(everything)
        Response.objects.bulk_create(
            [_response(round, data, pk) for pk, data in everything], batch_size=2000
        )
    return len(everything)


def settle_organisations(org_ids: Sequence[int]) -> None:
    """Before an export: settle every round of these organisations with pooled answers."""
    for round in Round.objects.filter(organisation_id__in=org_ids, pooled__isnull=False).distinct():
        settle(round)
