"""Django's template engine, with each page's data freed as soon as the page is rendered.

A rendered ``Context`` is a reference cycle (each of its ``ContextDict``\\ s points back
at it), so everything a view hands a template stays alive after the response until the
cyclic garbage collector walks it. For most pages that is little; for a page that hands
over a whole organisation's evaluation (the OKR dashboard at 10,000 people: some 1.5
million objects) the collection took two seconds and fell on whichever request came next
(benchmarks/README.md, ``org_pages.py``). Emptying the context's stack once the page is
rendered breaks the cycle, and reference counting frees the data at once. The test
client's record of the context is a copy, so ``response.context`` still works.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates, reraise
from django.template.backends.django import Template as DjangoTemplate
from django.template.context import make_context
from django.utils.safestring import SafeString


class Template(DjangoTemplate):
    def render(
        self, context: dict[str, Any] | None = None, request: HttpRequest | None = None
    ) -> SafeString:
        made = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(made)
        except TemplateDoesNotExist as exc:
            reraise(exc, self.backend)
        finally:
            made.dicts.clear()  # the cycle broken: the page's data freed now


class Templates(DjangoTemplates):
    """The ``BACKEND`` of ``settings.TEMPLATES``."""

    def get_template(self, template_name: str) -> Template:
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            reraise(exc, self)

    def from_string(self, template_code: str) -> Template:
        return Template(self.engine.from_string(template_code), self)
