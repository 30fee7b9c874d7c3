"""The words ``static/ampwork/ampwork.js`` shows people, in the page's language.

The layout writes them once into the page (``{% script_words %}``: a
``<script type="application/json" id="ampwork-words">``, data the browser never runs, so
the Content-Security-Policy still refuses every inline script); ampwork.js reads them
there, so it holds no English of its own and needs no catalogue fetched per page.
Placeholders are gettext's (``%(name)s``), filled in by the script. A count's sentence is
given in its forms by CLDR's plural category (``one``/``other``, what the browser's
``Intl.PluralRules`` answers for the page's ``lang``)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Word = str | dict[str, str]


def _forms(sentence: Callable[[int], str]) -> dict[str, str]:
    """A count's sentence for one thing and for many (gettext's forms for 1 and 2: French
    writes 0 as it writes 1, which is what CLDR's ``one`` says for French too)."""
    return {"one": sentence(1), "other": sentence(2)}


def script_words() -> dict[str, Word]:
    """Every word ampwork.js writes, by the name it looks it up with."""
    return {
        # the weekly check-in, after its last row is saved
        "checkin_done": _forms(
            lambda n: ngettext(
                "Check-in saved: %(saved)s of %(total)s key result updated on this page. "
                "That was the last one.",
                "Check-in saved: %(saved)s of %(total)s key results updated on this page. "
                "That was the last one.",
                n,
            )
        ),
        # copy buttons
        "copied": _("Copied."),
        "copy_by_hand": _("Selected: press Ctrl+C (or ⌘C) to copy."),
        # wide tables
        "more_columns": _("More columns: scroll sideways →"),
        "table": _("Table"),
        # people pickers
        "type_a_name": _("Type a name…"),
        "type_another_name": _("Type another name to change…"),
        "chosen_list": _("Chosen: %(label)s"),
        "choose_one": _("Choose a person from the list."),
        "choose_some": _("Choose at least one person from the list."),
        "remove": _("Remove %(name)s"),
        "removed": _("%(name)s removed."),
        "picked": _("%(name)s chosen."),
        "n_chosen": _forms(lambda n: ngettext("%(n)s chosen.", "%(n)s chosen.", n)),
        "no_match": _("No match for “%(text)s”."),
        "nothing_left": _("Nothing left to choose."),
        "n_matches": _forms(lambda n: ngettext("%(n)s match.", "%(n)s matches.", n)),
    }
