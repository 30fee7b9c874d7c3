"""The demo's 360 and upward feedback: a closed 360 with shared and unshared answers, and
an upward request below the minimum that says so — read as the demo's people read it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ampwork.conversations.models import FeedbackAnswer, FeedbackRequest360
from ampwork.core.models import Person
from ampwork.demo.services import DemoResult

pytestmark = pytest.mark.django_db


def _client(email: str) -> tuple[Client, Person]:
    person = Person.objects.select_related("user").get(email=email)
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    return client, person


def test_demo_360_shared_and_unshared(demo: DemoResult) -> None:
    peer = FeedbackRequest360.objects.get(organisation=demo.company, kind="360")
    answers = FeedbackAnswer.objects.filter(request=peer)
    assert {a.shared for a in answers} == {True, False}
    shared = answers.get(shared=True).text
    unshared = [a.text for a in answers if not a.shared]
    sam, _ = _client("member@brightwater.example")
    body = sam.get(reverse("feedback360:request", kwargs={"pk": peer.pk})).content.decode()
    assert shared in body
    assert all(t in body for t in unshared)
    manager, _ = _client("manager@brightwater.example")
    body = manager.get(reverse("feedback360:request", kwargs={"pk": peer.pk})).content.decode()
    assert shared in body
    assert not any(t in body for t in unshared)
    ops, _ = _client("people@brightwater.example")
    assert ops.get(reverse("feedback360:request", kwargs={"pk": peer.pk})).status_code == 404


def test_demo_upward_below_the_minimum_says_so(demo: DemoResult) -> None:
    manager, _ = _client("manager@brightwater.example")
    body = manager.get(reverse("feedback360:index")).content.decode()
    assert "below the minimum of 5: hidden until 5 answers" in body
    upward = FeedbackRequest360.objects.get(organisation=demo.company, kind="upward")
    body = manager.get(reverse("feedback360:request", kwargs={"pk": upward.pk})).content.decode()
    assert "hidden until 5 answers" in body
    assert "Shields the team" not in body
    # Sam was asked and has not answered yet
    sam, _ = _client("member@brightwater.example")
    body = sam.get(reverse("feedback360:index")).content.decode()
    assert "Upward feedback for" in body
