"""A real HTTP receiver on 127.0.0.1 (a thread) that verifies each webhook's signature with
the standardwebhooks library, as an integrator's server would."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Receiver:
    url: str
    secret: str = ""
    answers: list[int] = field(default_factory=list)  # status codes to give, in turn
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@contextmanager
def receiver(answers: list[int] | None = None) -> Iterator[Receiver]:
    state = Receiver(url="", answers=list(answers or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            code = state.answers.pop(0) if state.answers else 200
            try:
                payload = Webhook(state.secret).verify(body, dict(self.headers.items()))
            except WebhookVerificationError as exc:
                state.refused.append(str(exc))
                code = 400
            else:
                state.received.append(
                    {"payload": payload, "headers": dict(self.headers.items()), "code": code}
                )
            self.send_response(code)
            self.end_headers()
            self.wfile.write(json.dumps({"answered": code}).encode())

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ampwork?x=1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
