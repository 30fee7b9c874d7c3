"""Template tags of the OKR pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from html import escape  # Django's ``escape`` is this one, marked safe
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, npgettext, pgettext_lazy

from ampwork.core import l10n
from ampwork.core.templatetags.ampwork_tags import pct, slug
from ampwork.core.words import label
from ampwork.okrs.progress import grade

if TYPE_CHECKING:
    from ampwork.okrs.selectors.alignment import Alignment, Branch

register = template.Library()

# A pacing status as people read it; the status itself ("on track") stays the CSS class.
STATUS_LABELS = {
    "on track": pgettext_lazy("pacing", "on track"),
    "at risk": pgettext_lazy("pacing", "at risk"),
    "off track": pgettext_lazy("pacing", "off track"),
    "not started": pgettext_lazy("pacing", "not started"),
}


@register.filter
def status_label(status: str | None) -> str:
    """'on track' → 'im Plan' in German; any other status as it is."""
    return label(STATUS_LABELS, status)


# Short words shown as they are stored (badges): an objective's kind, a link's kind.
WORDS = {
    "committed": pgettext_lazy("objective kind", "committed"),
    "aspirational": pgettext_lazy("objective kind", "aspirational"),
    "contributes": pgettext_lazy("link kind", "contributes"),
    "supports": pgettext_lazy("link kind", "supports"),
    "red": pgettext_lazy("score band", "red"),
    "yellow": pgettext_lazy("score band", "yellow"),
    "green": pgettext_lazy("score band", "green"),
}


@register.filter
def word(value: str | None) -> str:
    """A stored short word ('committed') in the reader's language."""
    return label(WORDS, value)


@register.simple_tag
def owner_name(objective: Any, organisation: Any) -> str:
    """What ``okrs/_owner.html`` writes, as a value (for a sentence that names the owner)."""
    if objective.owner_kind == "person":
        return str(objective.owner_person.name)
    if objective.owner_kind == "team":
        return str(objective.owner_team.name)
    return str(organisation.name) if organisation is not None else ""


@register.filter
def score(value: float | None) -> str:
    """A score as graded (one decimal, half up: progress.grade), written as the reader
    writes numbers: 0.45 → '0.5' (en), '0,5' (de); the band's colour is of the same grade."""
    return "—" if value is None else l10n.written(str(grade(value)))


@register.filter
def css_pct(value: float | None) -> str:
    """0.734 → '73%' in every language: a CSS width, never localised."""
    return l10n.format_percent(value, 0, language="en")


def _as_before(said: str, english: str) -> str:
    """``said`` (a translation), or ``english`` — the same words with the line breaks the
    page always had — where the translation is the English itself."""
    return english if said == " ".join(english.split()) else said


@register.simple_tag
def bar(value: float | None, status: str | None) -> SafeString:
    """``okrs/_bar.html`` (a progress bar coloured by pacing) in Python, for the lists that
    show one per objective and per team: an ``{% include %}`` each was most of the
    alignment tree's rendering. The same HTML, to the byte
    (``tests/okrs/test_columns.py``)."""
    return mark_safe(_bar(value, status))  # escaped by _bar


def _bar(value: float | None, status: str | None) -> str:
    shown = pct(value)
    if status:
        said = gettext("%(progress)s done, %(status)s") % {
            "progress": shown,
            "status": status_label(status),
        }
    else:
        said = gettext("%(progress)s done") % {"progress": shown}
    return (
        f'<span class="bar bar--{escape(slug(str(status)))}" role="img"\n    aria-label="'
        f'{escape(said)}"><span class="bar__fill" style="width: {escape(css_pct(value))}">'
        "</span></span>\n"
    )


_MARK = 918_273_645_546_372_819  # an id no page has, replaced by the real one


@lru_cache(maxsize=64)
def _pattern(name: str, prefix: str, urlconf: str | None, args: int) -> str:
    """The path of a route with ``{}`` for each of its ``args`` integer arguments."""
    return reverse(name, args=[_MARK] * args, urlconf=urlconf).replace(str(_MARK), "{}")


def _path(name: str, *ids: int) -> str:
    return _pattern(name, get_script_prefix(), get_urlconf(), len(ids)).format(*map(int, ids))


@register.filter
def href(pk: int, name: str) -> str:
    """``{% url name pk %}`` for a route of one integer id, by string formatting: the
    alignment tree lists about 200 objectives, and a ``{% url %}`` each (a full
    ``reverse``) was a fifth of its rendering. The pattern is reversed once per URL name
    and script prefix. The same HTML, to the byte (``tests/okrs/test_columns.py``)."""
    return _path(name, pk)


@register.filter
def branch_body_url(team_id: int, cycle_id: int) -> str:
    """Where a closed branch of the alignment tree loads its body from (htmx): what
    ``{% url 'okrs:alignment' %}?cycle=…&amp;team=…&amp;body=1`` wrote (escaped alike)."""
    return f"{_path('okrs:alignment')}?cycle={int(cycle_id)}&team={int(team_id)}&body=1"


# ---------------------------------------------------------------- the alignment tree
# Its branches and objective lists written in Python: as recursive ``{% include %}``\ s
# (about 100 branches and 100 objectives at any size) they were the tree page's rendering,
# some 30 ms, most of it looking names up through the deepening context. The same HTML, to
# the byte, as the templates they replace (``tests/okrs/test_tree_html.py`` renders both);
# every text escaped as ``{{ }}`` escapes it.


@register.simple_tag
def objective_list(objectives: Iterable[Any], state: Any) -> SafeString:
    """What ``{% include "okrs/_objective_list.html" %}`` wrote: a list of objectives, each
    with its bar, progress, pacing, score and visibility."""
    out: list[str] = []
    link = _pattern("okrs:objective", get_script_prefix(), get_urlconf(), 1)
    _objective_list(out, objectives, state.results, link)
    return mark_safe("".join(out))  # escaped as written


@register.simple_tag(takes_context=True)
def branches(context: template.Context, tree: Alignment) -> SafeString:
    """Every top branch of the tree, open ones with their bodies: what a loop of
    ``{% include "okrs/_branch.html" %}`` wrote."""
    page = _Tree(context, tree)
    out: list[str] = []
    for branch in tree.branches:
        page.branch(out, branch)
    return mark_safe("".join(out))  # escaped as written


@register.simple_tag(takes_context=True)
def branch_body(context: template.Context, tree: Alignment, branch: Branch) -> SafeString:
    """A branch's body (its objectives, its people's, its teams inside), without the
    newline that ended the template it replaces: what htmx loads when a branch opens."""
    out: list[str] = []
    _Tree(context, tree).body(out, branch)
    return mark_safe("".join(out))  # escaped as written


def _objective_list(
    out: list[str], objectives: Iterable[Any], results: Mapping[int, Any], link: str
) -> None:
    """``link``: the objective page's path with ``{}`` for its id (:func:`_pattern`)."""
    out.append('<ul class="objectives">')
    for o in objectives:
        r = results.get(o.pk) if results else None
        assert r is not None  # every objective listed is one of the state's
        value = r.progress.value
        out.append(
            f'\n  <li><a href="{escape(link.format(int(o.pk)))}">{escape(str(o.title))}</a>\n'
            f'    <span class="objectives__meta">{_bar(value, r.pacing)} <span class="small">'
            f"{escape(pct(value))} ·\n"
            f'        <span class="status status--{escape(slug(r.pacing))}">'
            f"{escape(status_label(r.pacing))}</span>"
        )
        if r.score is not None:
            out.append(
                f' · {escape(gettext("score"))}\n        <span class="band--{escape(str(r.band))}">'
                f"{escape(score(r.score))}</span>"
            )
        if o.visibility == "private":
            out.append(f" · {escape(gettext('private'))}")
        out.append("</span></span></li>\n")
    out.append("</ul>\n")


def _inside(teams: int, listed: bool, school: bool) -> str:
    """ "(2 here, the rest in 3 teams inside)": a whole sentence per count and per kind of
    organisation, so that each language writes the word in its own case and number; in
    English with the line break the page always had."""
    if listed and school:
        one = "(%(listed)d here, the rest in %(teams)d class inside)"
        many = "(%(listed)d here, the rest in %(teams)d classes inside)"
        said = npgettext(
            "school",
            "(%(listed)d here, the rest in %(teams)d class inside)",
            "(%(listed)d here, the rest in %(teams)d classes inside)",
            teams,
        )
    elif listed:
        one = "(%(listed)d here, the rest in %(teams)d team inside)"
        many = "(%(listed)d here, the rest in %(teams)d teams inside)"
        said = npgettext(
            "company",
            "(%(listed)d here, the rest in %(teams)d team inside)",
            "(%(listed)d here, the rest in %(teams)d teams inside)",
            teams,
        )
    elif school:
        one, many = "(all in %(teams)d class inside)", "(all in %(teams)d classes inside)"
        said = npgettext(
            "school", "(all in %(teams)d class inside)", "(all in %(teams)d classes inside)", teams
        )
    else:
        one, many = "(all in %(teams)d team inside)", "(all in %(teams)d teams inside)"
        said = npgettext(
            "company", "(all in %(teams)d team inside)", "(all in %(teams)d teams inside)", teams
        )
    english = one if teams == 1 else many
    return _as_before(said, english.replace("%(teams)d ", "%(teams)d\n          "))


class _Tree:
    """Writes branches as ``okrs/_branch.html`` and ``okrs/_branch_body.html`` did."""

    def __init__(self, context: template.Context, tree: Alignment) -> None:
        org = context.get("current_org")
        self.school = bool(org is not None and org.is_school)
        self.whole = escape(
            gettext("the school")
            if org is not None and org.is_school
            else gettext("the organisation")
        )
        self.tree = tree
        self.results = tree.state.results
        self.cycle = int(tree.cycle.pk)
        prefix, urlconf = get_script_prefix(), get_urlconf()  # each a thread-local look-up
        self.person_link = _pattern("core:person", prefix, urlconf, 1)
        # branch_body_url's, the cycle filled in
        tree_link = _pattern("okrs:alignment", prefix, urlconf, 0)
        self.body_link = escape(f"{tree_link}?cycle={self.cycle}&team=")
        self.objective_link = _pattern("okrs:objective", prefix, urlconf, 1)

    def branch(self, out: list[str], branch: Branch) -> None:
        opened = branch.opened
        out.append('\n  <details class="branch"')
        if opened:
            out.append(" open")
        else:
            url = f"{self.body_link}{int(branch.team_id)}&amp;body=1"
            out.append(
                f'\n    hx-get="{url}" hx-trigger="toggle once" hx-target="find .branch__body"'
            )
        out.append(
            '>\n  <summary><span class="branch__marker" aria-hidden="true"></span>'
            f'<span class="branch__name">{escape(str(branch.name))}</span>'
        )
        if branch.organisation:
            out.append(f' <span\n    class="badge badge--muted">{self.whole}</span>')
        out.append("\n    ")
        count = branch.count
        if count:
            status = branch.status
            out.append(
                f'{_bar(branch.rollup, status)} <span class="small">{escape(pct(branch.rollup))}'
                f' ·\n        <span class="status status--{escape(slug(status))}">'
                f"{escape(status_label(status))}</span>\n"
                '        · <span class="branch__count">'
                + escape(
                    ngettext("%(count)d objective", "%(count)d objectives", count)
                    % {"count": count}
                )
                + "</span>"
            )
            teams = len(branch.shown_children)
            if teams:
                listed = branch.listed
                values = {"listed": listed, "teams": teams}
                inside = _inside(teams, bool(listed), self.school)
                out.append(f'\n        <span class="muted">{escape(inside) % values}</span>')
            out.append("</span>")
        else:
            none = _as_before(gettext("no objectives"), "no\n          objectives")
            out.append(f'<span class="small muted">{escape(none)}</span>')
        out.append('\n  </summary>\n  <div class="branch__body">')
        if opened:
            self.body(out, branch)
            out.append("\n")
        else:
            out.append(f'<p class="muted small">{escape(gettext("Loading…"))}</p>')
        out.append("</div>\n</details>\n")

    def body(self, out: list[str], branch: Branch) -> None:
        if branch.objectives:
            _objective_list(out, branch.objectives, self.results, self.objective_link)
        out.append("\n")
        names = self.tree.people_names
        for person_id, objectives in branch.people.items():
            link = escape(self.person_link.format(int(person_id)))
            out.append(
                f'\n<div class="branch__person"><a href="{link}" class="branch__person-name">'
                f"{escape(str(names.get(person_id)))}</a>\n  "
            )
            _objective_list(out, objectives, self.results, self.objective_link)
            out.append("</div>\n")
        out.append("\n")
        for child in branch.shown_children:
            self.branch(out, child)
