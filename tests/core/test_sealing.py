"""Sealing at rest (core.sealing): a box opens only for its purpose and context, under the
secret key or a fallback; boxes sealed before the module existed (pooled upward answers,
queued mail) still open."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ampwork.conversations import feedback_services
from ampwork.core import mail, sealing


def test_a_box_opens_only_for_its_purpose_and_context() -> None:
    box = sealing.seal({"a": [1, "ü"]}, purpose="p1", context="7")
    assert sealing.unseal(box, purpose="p1", context="7") == {"a": [1, "ü"]}
    for purpose, context in (("p2", "7"), ("p1", "8")):
        with pytest.raises(sealing.Unreadable):
            sealing.unseal(box, purpose=purpose, context=context)
    assert box != sealing.seal({"a": [1, "ü"]}, purpose="p1", context="7")  # fresh nonce
    assert json.dumps({"a": [1, "ü"]}).encode() not in base64.b64decode(box)  # encrypted


def test_an_old_key_opens_only_as_a_fallback(settings: Any) -> None:
    settings.SECRET_KEY = "old-key-" + "x" * 50
    box = sealing.seal([1], purpose="p", context="c")
    settings.SECRET_KEY = "new-key-" + "y" * 50
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(box, purpose="p", context="c")
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert sealing.unseal(box, purpose="p", context="c") == [1]


def _old_way(data: Any, purpose: str, context: str) -> str:
    """How feedback_services and core.mail sealed before core.sealing (their own copies)."""
    from django.conf import settings

    key = AESGCM(hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest())
    nonce = os.urandom(12)
    return base64.b64encode(
        nonce + key.encrypt(nonce, json.dumps(data).encode(), context.encode())
    ).decode()


def test_boxes_sealed_before_still_open() -> None:
    answers = [["strengths", "Calm in incidents"]]
    old = _old_way(answers, "ampwork.feedback360.upward", "42")
    assert feedback_services._unseal(42, old) == [("strengths", "Calm in incidents")]
    queued = _old_way([{"to": ["a@example.org"]}], "ampwork.mail", "ampwork.mail")
    assert mail.unseal(queued) == [{"to": ["a@example.org"]}]
