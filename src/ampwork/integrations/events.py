"""The events an endpoint can subscribe to (pure: no Django). docs/integrations.md lists
each with its payload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ampwork.core.words import gettext_lazy as _

# (the descriptions are read in the reader's language: lazy)
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EVENTS: dict[str, StrOrPromise] = {
    "check_in.created": _("A check-in on a key result"),
    "objective.created": _("An objective was created"),
    "objective.updated": _("An objective was edited"),
    "objective.closed": _("An objective was marked done or dropped"),
    "key_result.created": _("A key result was added"),
    "key_result.updated": _("A key result was edited"),
    "review.answered": _("A weekly review was written (never its text)"),
    "recognition.given": _("Someone recognised a colleague"),
    "autonomy.step_granted": _("An autonomy step was granted"),
    "autonomy.step_deferred": _("An autonomy step was deferred"),
    "cycle.closed": _("An OKR cycle was closed and scored"),
    "pulse.round_opened": _("A pulse round opened (never answers or results)"),
    "pulse.round_closed": _("A pulse round closed (never answers or results)"),
}
# sent only by "Send a test event", to that endpoint, whatever it subscribes to
TEST_EVENT = "webhook.test"


def unknown(chosen: list[str]) -> list[str]:
    """The chosen event types that do not exist, in the order given."""
    return [name for name in chosen if name not in EVENTS]
