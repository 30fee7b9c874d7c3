"""Template tags of the OKR pages."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ampwork.core.templatetags.ampwork_tags import pct, slug

register = template.Library()


@register.simple_tag
def bar(value: float | None, status: str | None) -> SafeString:
    """``okrs/_bar.html`` (a progress bar coloured by pacing) in Python, for the lists that
    show one per objective and per team: an ``{% include %}`` each was most of the
    alignment tree's rendering. The same HTML, to the byte
    (``tests/okrs/test_columns.py``)."""
    shown = pct(value)
    said = f", {status}" if status else ""
    return format_html(
        '<span class="bar bar--{}" role="img"\n    aria-label="{} done{}"><span '
        'class="bar__fill" style="width: {}"></span></span>\n',
        slug(str(status)),
        shown,
        said,
        shown,
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
