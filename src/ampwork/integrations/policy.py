"""When a failing endpoint is disabled, and what of an answer is kept (pure: no Django)."""

from __future__ import annotations

import datetime as dt

# an endpoint whose deliveries have all failed for this long is disabled
FAILING_FOR = dt.timedelta(days=3)
# the first characters of an answer's body kept with its delivery
BODY_KEPT = 500
# seconds to wait for an endpoint to answer
TIMEOUT = 10.0
KEPT_DAYS = 30  # finished deliveries (with their payloads) are deleted after this


def succeeded(status_code: int | None) -> bool:
    """A 2xx answer is a delivery; anything else (or no answer) is a failure."""
    return status_code is not None and 200 <= status_code < 300


def to_disable(failing_since: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether an endpoint failing since ``failing_since`` is disabled at ``now``: after
    three full days (exactly three days counts)."""
    return failing_since is not None and now - failing_since >= FAILING_FOR


def kept(body: bytes) -> str:
    """What is kept of an answer's body: its first characters, as text, NUL bytes out."""
    text = body[: BODY_KEPT * 4].decode("utf-8", errors="replace").replace("\x00", "")
    return text[:BODY_KEPT]
