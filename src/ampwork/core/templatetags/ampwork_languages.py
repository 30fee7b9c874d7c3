"""The languages ampwork speaks, each named in its own language (never translated:
"Deutsch" stays "Deutsch" on a French page), for the footer's switcher and the
language page: ``{% load ampwork_languages %}{% spoken_languages as languages %}``."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import json_script
from django.utils.safestring import SafeString

from ampwork.core.script_words import script_words as words_of_the_script

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


@register.simple_tag
def script_words() -> SafeString:
    """The words ampwork.js shows, in the page's language, as the JSON it reads
    (``core/script_words.py``)."""
    return json_script(words_of_the_script(), "ampwork-words")
