"""The headings of the methods page (ampwork/help/methods.md), marked for translation.

The page's explanations stay in English; its headings are shown in the reader's language
(core/views/methods.py). A heading is matched on its whole English text: one changed in
methods.md must change here too, else it is shown in English.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

HEADINGS = (
    gettext_noop("How ampwork computes what it shows"),
    gettext_noop("People and teams"),
    gettext_noop("OKRs"),
    gettext_noop("Key-result progress"),
    gettext_noop("Objective progress"),
    gettext_noop("Pacing"),
    gettext_noop("Suggested confidence"),
    gettext_noop("Stale key results"),
    gettext_noop("Scoring at the close of a cycle"),
    gettext_noop("Stored numbers"),
    gettext_noop("Exact boundaries"),
    gettext_noop("Counts"),
    gettext_noop("Writing hints"),
    gettext_noop("Fairness"),
    gettext_noop("The fairness gate"),
    gettext_noop("Pulse surveys"),
    gettext_noop("Protected areas (student pulses)"),
    gettext_noop("Age bands (student pulses)"),
    gettext_noop("Anonymity"),
    gettext_noop("Autonomy"),
    gettext_noop("Mastery"),
    gettext_noop("Purpose"),
    gettext_noop("The advisor"),
    gettext_noop("Anonymity minimum"),
    gettext_noop("360 and upward feedback"),
    gettext_noop("How fresh the organisation-wide figures are"),
)
