"""Web pages for organisations, people and teams. Thin: parse, ask, call, render.

One module per part of the site (``home``, ``account``, ``invitations``, ``people``,
``teams``, ``imports``, ``settings``, ``audit``, ``methods``, ``health``); ``shared`` holds
what every app's views use. Other apps import those helpers from here.
"""

from .health import healthz
from .shared import View, attempt, flash_errors, member_view

__all__ = ["View", "attempt", "flash_errors", "healthz", "member_view"]
