"""The worker's task for chat: post one message to Slack (the Web API's ``chat.postMessage``
through slack-sdk) or to a Teams Workflows address, retried with backoff when the service
is busy or down. The message waits in the task table sealed (names, a thank-you)."""

from __future__ import annotations

import json
import logging
import urllib.error
from typing import Any

from django.conf import settings
from django_tasks import task
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from ampwork.core import backoff, sealing, worker
from ampwork.integrations import netguard
from ampwork.logs import event

from . import selectors, services
from .models import ChatAccount, TeamChannel

log = logging.getLogger(__name__)

# 30 s doubling to 30 min, eight tries over about an hour: a chat message is about this week
CHAT = backoff.Backoff(base=30, cap=1800, attempts=8)
TIMEOUT = 10  # seconds per request
# Slack's answers that say "later", not "never" (https://docs.slack.dev/web)
TRANSIENT = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}
PURPOSE = "ampwork.chat.task"


def seal(message: dict[str, Any]) -> str:
    return sealing.seal(message, purpose=PURPOSE, context=PURPOSE)


def slack_client(token: str | None) -> WebClient:
    """slack-sdk's client; ``AMPWORK_SLACK_API_URL`` points it elsewhere (the tests' local
    Slack)."""
    return WebClient(token=token, base_url=settings.AMPWORK_SLACK_API_URL, timeout=TIMEOUT)


@task(priority=5)
def post(*, org_id: int, sealed: str, attempt: int) -> str:
    message = sealing.unseal(sealed, purpose=PURPOSE, context=PURPOSE)
    outcome = _slack(org_id, message) if message["to"] == "slack" else _teams(org_id, message)
    result, _, why = outcome.partition(":")
    level = logging.INFO if result == "sent" else logging.WARNING
    event(
        log,
        "chat.posted",
        level=level,
        org_id=org_id,
        kind=message["to"],
        result=result,
        error=why or None,
    )
    if outcome == "retry":
        worker.retry(
            post, CHAT, attempt, {"org_id": org_id, "sealed": sealed}, kind=f"chat.{message['to']}"
        )
    return outcome


def _slack(org_id: int, message: dict[str, Any]) -> str:
    ws = selectors.workspace_of(org_id)
    if ws is None:
        return "gone"  # disconnected meanwhile
    client = slack_client(services.bot_token(ws))
    try:
        client.chat_postMessage(
            channel=message["channel"], text=message["text"], blocks=message["blocks"]
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error", ""))
        return (
            "retry" if error in TRANSIENT or exc.response.status_code >= 500 else f"refused:{error}"
        )
    except (SlackClientError, urllib.error.URLError, OSError):
        return "retry"
    return "sent"


def _teams(org_id: int, message: dict[str, Any]) -> str:
    kind, pk = message["target"]
    url = ""
    if kind == "person":
        chat = ChatAccount.objects.filter(organisation_id=org_id, person_id=pk).first()
        url = services.person_teams_url(chat) if chat and chat.sealed_teams_url else ""
    else:
        row = TeamChannel.objects.filter(organisation_id=org_id, team_id=pk).first()
        url = services.team_teams_url(row) if row and row.sealed_teams_url else ""
    if not url:
        return "gone"
    body = json.dumps(message["card"]).encode()
    try:
        code, _ = netguard.post(url, body, {"Content-Type": "application/json"}, TIMEOUT)
    except netguard.Refused as exc:
        return f"refused:{exc}"
    except OSError:
        return "retry"
    if 200 <= code < 300:
        return "sent"
    return "retry" if code == 429 or code >= 500 else f"refused:{code}"
