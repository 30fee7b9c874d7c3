"""The events an endpoint can subscribe to (pure: no Django). docs/integrations.md lists
each with its payload."""

from __future__ import annotations

EVENTS: dict[str, str] = {
    "check_in.created": "A check-in on a key result",
    "objective.created": "An objective was created",
    "objective.updated": "An objective was edited",
    "objective.closed": "An objective was marked done or dropped",
    "key_result.created": "A key result was added",
    "key_result.updated": "A key result was edited",
    "review.answered": "A weekly review was written (never its text)",
    "recognition.given": "Someone recognised a colleague",
    "autonomy.step_granted": "An autonomy step was granted",
    "autonomy.step_deferred": "An autonomy step was deferred",
    "cycle.closed": "An OKR cycle was closed and scored",
    "pulse.round_opened": "A pulse round opened (never answers or results)",
    "pulse.round_closed": "A pulse round closed (never answers or results)",
}
# sent only by "Send a test event", to that endpoint, whatever it subscribes to
TEST_EVENT = "webhook.test"


def unknown(chosen: list[str]) -> list[str]:
    """The chosen event types that do not exist, in the order given."""
    return [name for name in chosen if name not in EVENTS]
