"""The languages ampwork speaks, each named in its own language (never translated:
"Deutsch" stays "Deutsch" on a French page), for the footer's switcher and the
language page: ``{% load ampwork_languages %}{% spoken_languages as languages %}``."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.simple_tag
def spoken_languages() -> list[dict[str, object]]:
    """Each language: its code, its own name, whether it is the page's, and its
    direction (``ltr``/``rtl``) for the ``dir`` of its name."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "current": code == current,
            "dir": "rtl" if code.split("-")[0] in settings.LANGUAGES_BIDI else "ltr",
        }
        for code, name in settings.LANGUAGES
    ]
