"""`ampwork worker` as a real separate process (on SQLite and on PostgreSQL, whichever the
suite runs on): a check-in made here is delivered by the worker process to a receiver on
127.0.0.1, which verifies the signature with the standardwebhooks library."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from ampwork.core.models import Role
from ampwork.core.permissions import Actor
from ampwork.integrations import services
from ampwork.integrations.models import Delivery
from ampwork.okrs import services as okrs
from tests.factories import (
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PersonFactory,
)

from .receiver import receiver

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


def test_the_worker_process_delivers_a_check_in(
    task_queue: None, tmp_path: Any, settings: Any
) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = True
    org = OrganisationFactory()
    admin = PersonFactory(organisation=org, role=Role.ADMIN)
    actor = Actor(organisation=org, role=Role.ADMIN, user=admin.user, person=admin)
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=org, start=today - dt.timedelta(days=9), end=today + dt.timedelta(days=80)
    )
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner_person=admin))
    with receiver() as hook:
        _, hook.secret = services.create_endpoint(
            actor=actor, url=hook.url, events=["check_in.created"]
        )
        okrs.check_in(actor=actor, key_result=kr, value=6, confidence=8)  # committed
        assert Delivery.objects.get().status == "pending"
        env = {
            **os.environ,
            "AMPWORK_DATA_DIR": str(tmp_path),
            "AMPWORK_DATABASE_URL": _database_url(),
            "AMPWORK_SECRET_KEY": settings.SECRET_KEY,  # the same server
            "AMPWORK_WEBHOOKS_ALLOW_PRIVATE": "1",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run(
            [sys.executable, "-m", "ampwork", "worker", "--batch"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert "ran 1 task" in done.stdout
    assert hook.refused == []
    (got,) = hook.received
    assert got["payload"]["type"] == "check_in.created"
    assert got["payload"]["data"]["value"] == 6
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.status_code) == ("succeeded", 200)
