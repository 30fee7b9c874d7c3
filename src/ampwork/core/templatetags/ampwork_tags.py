from __future__ import annotations

from django import template

from ampwork.core.models import Organisation, role_label

register = template.Library()


@register.filter
def role_name(role: str, organisation: Organisation) -> str:
    """The access role in the organisation's words (head teacher, teacher, student)."""
    return role_label(role, organisation.kind)
