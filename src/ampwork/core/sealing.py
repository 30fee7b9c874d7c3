"""Sealing: JSON encrypted at rest with AES-GCM under a key derived from Django's
``SECRET_KEY`` (``SECRET_KEY_FALLBACKS`` still open what older keys sealed), for what must
be kept but never read in a copy of the database: pooled upward feedback, queued emails,
webhook signing secrets.

Each use has its own ``purpose`` (the key is derived from it, so one use's box never opens
as another's) and binds each box to a ``context`` (authenticated, not encrypted: a box
moved to another row does not open). A fresh random nonce per box; nothing else inside."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


class Unreadable(Exception):
    """The box was sealed under a key that is neither SECRET_KEY nor a fallback."""


def _keys(purpose: str) -> list[AESGCM]:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [AESGCM(hashlib.sha256(f"{purpose}:{key}".encode()).digest()) for key in secrets_]


def seal(data: Any, *, purpose: str, context: str) -> str:
    nonce = os.urandom(12)
    box = _keys(purpose)[0].encrypt(nonce, json.dumps(data).encode(), context.encode())
    return base64.b64encode(nonce + box).decode()


def unseal(sealed: str, *, purpose: str, context: str) -> Any:
    raw = base64.b64decode(sealed)
    for key in _keys(purpose):
        try:
            return json.loads(key.decrypt(raw[:12], raw[12:], context.encode()))
        except InvalidTag:
            continue
    raise Unreadable(
        f"sealed ({purpose}) with another secret key: put the old one in SECRET_KEY_FALLBACKS"
    )
