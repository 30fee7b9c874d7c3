"""Weekly emails that go out once: record the sending in a row a unique constraint guards,
then send everything over one connection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction


def once(model: Any, **fields: Any) -> bool:
    """Create the row saying this was sent; False if an equal row exists already."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def send_all(messages: Sequence[EmailMessage]) -> None:
    if messages:
        with get_connection() as connection:
            connection.send_messages(list(messages))
