"""The Slack app, on slack-bolt: ``/checkin`` and the reminder's "Check in now" button open
the 30-second check-in form (the person's key results: value, confidence, one note), and
its answer is saved through the same service as the web's (``okrs.services.check_in``).

Bolt verifies every request's signature and timestamp with the organisation's signing
secret before any of this runs (an old or forged request gets 401), and a request from
another Slack workspace than the one connected gets nothing. A Slack user is this person
only once linked: by the email Slack confirmed for them, or by a one-time link.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from slack_bolt import Ack, App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.l10n import format_measure, list_separator, with_unit
from ampwork.core.languages import speaking_to
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs import services as okr_services

from . import cards, services, tasks
from .models import SlackWorkspace

if TYPE_CHECKING:
    from ampwork.okrs.models import KeyResult

log = logging.getLogger(__name__)
# a key result's kinds (okrs.models.KeyResult.Kind)
NUMERIC, BOOLEAN, MILESTONES, RANGE = "numeric", "boolean", "milestones", "range"

VIEW = "ampwork_checkin"
SHOWN = 20  # key results in one form (Slack allows 100 blocks; three each, and a note)
MAX_MILESTONES = 10  # Slack's checkboxes hold at most 10 options
NOTE_LENGTH = 280  # a check-in's note (okrs.models.CheckIn.note)
CONFIDENCE = [str(n) for n in range(11)]


def build(ws: SlackWorkspace) -> App:
    """The bolt app of one organisation's Slack workspace."""
    org = ws.organisation
    token = services.bot_token(ws)

    def authorize(**_: Any) -> AuthorizeResult:
        # the one workspace connected, with its token: no auth.test call per request
        return AuthorizeResult(enterprise_id=None, team_id=ws.team_id, bot_token=token)

    app = App(
        # no token here: bolt gives each request a client with authorize()'s, at this URL
        client=tasks.slack_client(None),
        signing_secret=services.signing_secret(ws),
        authorize=authorize,
        process_before_response=True,  # handlers run inside the request (no threads)
        logger=log,
    )

    @app.middleware
    def same_workspace(body: dict[str, Any], next: Any) -> BoltResponse | None:
        team = body.get("team_id") or _dict(body.get("team")).get("id")
        if team != ws.team_id:
            return BoltResponse(status=403, body=_("This Slack workspace is not connected."))
        return next()  # type: ignore[no-any-return]

    @app.command("/checkin")
    def command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        user_id = str(body.get("user_id", ""))
        person = _person(org, user_id, client)
        if person is None:
            if not services.USER_ID.fullmatch(user_id):
                ack(text=_("Slack sent no user."), response_type="ephemeral")
                return
            name = str(body.get("user_name", ""))[:80]
            url = services.new_link_code(org, user_id, name)
            ack(
                text=_(
                    "First tell ampwork who you are: open this link signed in to ampwork "
                    "(it works once, for %(minutes)d minutes): %(url)s"
                )
                % {"minutes": services.LINK_MINUTES, "url": url},
                response_type="ephemeral",  # only they see it
            )
            return
        with speaking_to(person):
            view = form(person)
        client.views_open(trigger_id=body["trigger_id"], view=view)
        ack()

    @app.action(cards.CHECK_IN_ACTION)
    def button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        person = _person(org, str(_dict(body.get("user")).get("id", "")), client)
        if person is not None:
            with speaking_to(person):
                view = form(person)
            client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action("open_link")
    def link_clicked(ack: Ack) -> None:
        ack()  # a button that opens ampwork: the browser does it

    @app.view(VIEW)
    def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        person = _person(org, str(_dict(body.get("user")).get("id", "")), client)
        if person is None:
            ack(
                response_action="errors",
                errors={"note": _("Link your account first: /checkin")},
            )
            return
        with speaking_to(person):
            errors, titles = save(person, _dict(_dict(view.get("state")).get("values")))
            if not errors:
                text, blocks = cards.slack_checked_in(org, titles)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        services.queue_slack(org.pk, str(body["user"]["id"]), text, blocks)

    return app


def _person(org: Organisation, slack_user_id: str, client: WebClient) -> Person | None:
    """The person this Slack user is linked to; a first time, linked by the email Slack
    confirmed for them (``users.info``, the ``users:read.email`` scope) when it is the
    sign-in email of exactly one active person."""
    from . import selectors

    person = selectors.linked_person(org, slack_user_id)
    if person is not None or not services.USER_ID.fullmatch(slack_user_id or ""):
        return person
    try:
        found = client.users_info(user=slack_user_id)
    except (SlackApiError, SlackClientError, OSError):  # no email: the one-time link instead
        return None
    profile = (found.get("user") or {}).get("profile") or {}
    email = str(profile.get("email") or "")
    if not email or not (found.get("user") or {}).get("is_email_confirmed", False):
        return None
    return services.link_by_email(org, slack_user_id, email)


def actor_of(person: Person) -> Actor:
    return Actor(
        organisation=person.organisation, role=person.role, user=person.user, person=person
    )


def _key_results(person: Person) -> list[KeyResult]:
    state = okr_selectors.my_check_in(actor_of(person))
    return [kr for o in state.objectives for kr in state.key_results.get(o.pk, [])][:SHOWN]


def _label(kr: KeyResult) -> str:
    now = (
        _("not checked in yet")
        if kr.current is None
        else _("now %(value)s") % {"value": format_measure(kr.current)}
    )
    if kr.kind == NUMERIC:
        goal = f"{format_measure(kr.start)} → {with_unit(format_measure(kr.target), kr.unit)}"
        return f"{kr.title} ({goal}; {now})"[:150]
    if kr.kind == RANGE:
        within = _("keep within %(low)s–%(high)s") % {
            "low": format_measure(kr.low),
            "high": format_measure(kr.high),
        }
        return f"{kr.title} ({within}; {now})"[:150]
    return kr.title[:150]


def _fits(kr: KeyResult) -> bool:
    """Whether the key result can be checked in here (milestones: 1 to 10 of them)."""
    return kr.kind != MILESTONES or 0 < kr.milestones.count() <= MAX_MILESTONES


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text[:75]}, "value": value}


def _value_element(kr: KeyResult) -> dict[str, Any]:
    if kr.kind == BOOLEAN:
        options = [_option(_("Done"), "1"), _option(_("Not done yet"), "0")]
        return {"type": "static_select", "action_id": "value", "options": options}
    if kr.kind == MILESTONES:
        milestones = list(kr.milestones.all())
        options = [_option(m.title, str(m.pk)) for m in milestones]
        element = {"type": "checkboxes", "action_id": "value", "options": options}
        done = [_option(m.title, str(m.pk)) for m in milestones if m.done]
        if done:  # what is done stays ticked: the check-in sends the whole list
            element["initial_options"] = done
        return element
    return {"type": "number_input", "action_id": "value", "is_decimal_allowed": True}


def form(person: Person) -> dict[str, Any]:
    """The check-in form (a modal): each key result's new value and confidence, one note.
    A key result left empty is not checked in."""
    blocks: list[dict[str, Any]] = []
    krs = _key_results(person)
    too_many = 0
    for kr in krs:
        if kr.kind == MILESTONES and not _fits(kr):
            too_many += int(kr.milestones.count() > MAX_MILESTONES)
            continue
        blocks.append(
            {
                "type": "input",
                "block_id": f"kr-{kr.pk}",
                "optional": True,
                "label": {"type": "plain_text", "text": _label(kr)},
                "element": _value_element(kr),
            }
        )
        blocks.append(
            {
                "type": "input",
                "block_id": f"confidence-{kr.pk}",
                "optional": True,
                "label": {"type": "plain_text", "text": _("Confidence (0–10)")},
                "element": {
                    "type": "static_select",
                    "action_id": "confidence",
                    "initial_option": _option(str(kr.confidence), str(kr.confidence)),
                    "options": [_option(c, c) for c in CONFIDENCE],
                },
            }
        )
    if too_many:
        blocks.append(
            cards._plain(
                ngettext(
                    "%(count)d key result with more than %(most)d milestones: check in on it"
                    " in ampwork.",
                    "%(count)d key results with more than %(most)d milestones: check in on them"
                    " in ampwork.",
                    too_many,
                )
                % {"count": too_many, "most": MAX_MILESTONES}
            )
        )
    if not any(b["type"] == "input" for b in blocks):
        return {
            "type": "modal",
            "callback_id": VIEW,
            "title": {"type": "plain_text", "text": _("Weekly check-in")},
            "close": {"type": "plain_text", "text": _("Close")},
            "blocks": [
                cards._plain(
                    _(
                        "You have no key results to check in on here in an open cycle. "
                        "Set your objectives in ampwork first."
                    )
                ),
                *blocks,
            ],
        }
    blocks.append(
        {
            "type": "input",
            "block_id": "note",
            "optional": True,
            "label": {"type": "plain_text", "text": _("A note (what moved, what is in the way)")},
            "element": {
                "type": "plain_text_input",
                "action_id": "note",
                "multiline": True,
                "max_length": NOTE_LENGTH,
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": VIEW,
        "title": {"type": "plain_text", "text": _("Weekly check-in")},
        "submit": {"type": "plain_text", "text": _("Check in")},
        "close": {"type": "plain_text", "text": _("Cancel")},
        "blocks": blocks,
    }


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _input(values: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    """One input's state in a submitted form ({} when missing or malformed)."""
    return _dict(_dict(values.get(block)).get(action))


def _chosen(option: Any) -> str | None:
    value = _dict(option).get("value")
    return value if isinstance(value, str) else None


def _args(kr: KeyResult, given: dict[str, Any]) -> dict[str, Any] | None:
    """The check-in's arguments from one key result's field; None when left as it was.
    Raises ValueError for a value that is not one."""
    if kr.kind == BOOLEAN:
        choice = _chosen(given.get("selected_option"))
        return None if choice is None else {"done": choice == "1"}
    if kr.kind == MILESTONES:
        options = given.get("selected_options")
        if not isinstance(options, list):
            return None
        chosen = sorted({int(_chosen(o) or "") for o in options})
        done = sorted(m.pk for m in kr.milestones.all() if m.done)
        return None if chosen == done else {"milestones_done": chosen}
    raw = given.get("value")
    if raw is None or raw == "":
        return None
    number = float(raw)
    if not math.isfinite(number):
        raise ValueError(raw)
    return {"value": number}


def save(person: Person, values: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Check in every key result given a value, all or none. Returns the errors by block
    (shown under each field in Slack) or the titles checked in."""
    actor = actor_of(person)
    mine = {kr.pk: kr for kr in _key_results(person) if _fits(kr)}
    note = str(_input(values, "note", "note").get("value") or "")[:NOTE_LENGTH]
    wanted: list[tuple[KeyResult, dict[str, Any]]] = []
    errors: dict[str, str] = {}
    for block in values:
        if not isinstance(block, str) or not block.startswith("kr-"):
            continue
        try:
            kr = mine[int(block[3:])]
        except (ValueError, KeyError):
            errors[block] = _("This key result is not yours to check in on.")
            continue
        try:
            args = _args(kr, _input(values, block, "value"))
        except (TypeError, ValueError):
            errors[block] = (
                _("Give a number.") if kr.kind in (NUMERIC, RANGE) else _("Not a choice.")
            )
            continue
        if args is None:
            continue
        picked = _chosen(_input(values, f"confidence-{kr.pk}", "confidence").get("selected_option"))
        if picked is not None:
            args["confidence"] = int(picked) if picked.isdigit() else -1
        wanted.append((kr, args))
    if errors:
        return errors, []
    if not wanted:
        first = next((b for b in values if isinstance(b, str) and b.startswith("kr-")), "note")
        return {first: _("Give at least one key result its new value.")}, []
    try:
        with transaction.atomic():
            for kr, args in wanted:
                okr_services.check_in(actor=actor, key_result=kr, note=note, **args)
    except ValidationFailed as exc:
        block = f"kr-{kr.pk}"
        if any(e.field == "confidence" for e in exc.errors):
            block = f"confidence-{kr.pk}"
        return {block: list_separator().join(e.message for e in exc.errors)}, []
    except NotAllowed as exc:
        return {f"kr-{kr.pk}": str(exc)}, []
    return {}, [kr.title for kr, _given in wanted]
