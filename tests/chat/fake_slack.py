"""A local Slack: its Web API on 127.0.0.1 (a thread) that records each call the SDK makes
and answers as Slack does, and requests to ampwork signed the way Slack signs them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

from slack_sdk.signature import SignatureVerifier

TEAM = "T0AMPWORK"
SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "xoxb-1234567890-abcdefghij"


@dataclass
class Slack:
    url: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    emails: dict[str, str] = field(default_factory=dict)  # user id → confirmed email
    errors: list[str] = field(default_factory=list)  # chat.postMessage answers these, in turn

    def called(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]


@contextmanager
def fake_slack() -> Iterator[Slack]:
    state = Slack()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            method = self.path.rsplit("/", 1)[-1]
            raw = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
            if self.headers.get("content-type", "").startswith("application/json"):
                args = json.loads(raw or "{}")
            else:
                args = dict(parse_qsl(raw))
                for key in ("view", "blocks"):
                    if isinstance(args.get(key), str):
                        args[key] = json.loads(args[key])
            args["_auth"] = self.headers.get("authorization", "")
            state.calls.append((method, args))
            answer: dict[str, Any] = {"ok": True}
            if method == "users.info":
                email = state.emails.get(str(args.get("user")), "")
                answer["user"] = {
                    "id": args.get("user"),
                    "is_email_confirmed": bool(email),
                    "profile": {"email": email} if email else {},
                }
            if method == "chat.postMessage" and state.errors:
                error = state.errors.pop(0)
                answer = {"ok": False, "error": error}
            body = json.dumps(answer).encode()
            status = 429 if answer.get("error") == "ratelimited" else 200
            self.send_response(status)
            self.send_header("content-type", "application/json")
            if status == 429:
                self.send_header("retry-after", "1")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def signed(body: str, *, secret: str = SECRET, at: float | None = None) -> dict[str, str]:
    """The headers Slack sends with ``body``: a v0 HMAC-SHA256 signature over
    ``v0:<timestamp>:<body>`` with the app's signing secret."""
    timestamp = str(int(at if at is not None else time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp, "HTTP_X_SLACK_SIGNATURE": signature}


def command(user: str, *, team: str = TEAM, text: str = "") -> str:
    return urlencode(
        {
            "token": "unused",
            "team_id": team,
            "user_id": user,
            "command": "/checkin",
            "text": text,
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "channel_id": "D0DM",
        }
    )


def interaction(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def submission(user: str, values: dict[str, Any], *, team: str = TEAM) -> str:
    return interaction(
        {
            "type": "view_submission",
            "team": {"id": team},
            "user": {"id": user},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "ampwork_checkin",
                "state": {"values": values},
            },
        }
    )


def button(user: str, action: str = "open_checkin", *, team: str = TEAM) -> str:
    return interaction(
        {
            "type": "block_actions",
            "team": {"id": team},
            "user": {"id": user},
            "trigger_id": "13345224609.738474920.8088930838d88f008e1",
            "actions": [{"action_id": action, "block_id": "b", "type": "button"}],
        }
    )


def number(value: str) -> dict[str, Any]:
    return {"value": {"type": "number_input", "value": value}}


def confidence(value: str) -> dict[str, Any]:
    return {"confidence": {"type": "static_select", "selected_option": {"value": value}}}


@dataclass
class Teams:
    """A Teams Workflows address on 127.0.0.1: records each card; answers 202 (as
    Workflows does) unless told otherwise."""

    url: str = ""
    answers: list[int] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [
            run["text"]
            for card in self.cards
            for attachment in card["attachments"]
            for block in attachment["content"]["body"]
            for run in block["inlines"]
        ]


@contextmanager
def fake_teams() -> Iterator[Teams]:
    state = Teams()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            code = state.answers.pop(0) if state.answers else 202
            if code < 300:
                state.cards.append(json.loads(raw))
            self.send_response(code)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    state.url = f"http://127.0.0.1:{port}/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
