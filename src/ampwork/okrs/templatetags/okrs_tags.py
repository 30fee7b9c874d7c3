"""Template tags of the OKR pages."""

from __future__ import annotations

from django import template
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
