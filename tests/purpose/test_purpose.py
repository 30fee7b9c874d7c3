"""Purpose: privacy of statements everywhere, publishing, stories, the CLI, the API."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.purpose import selectors, services
from ampwork.purpose.models import Statement

SECRET = "my private reason involves zebras"
HIDDEN_NAME = "themes-only author"
TEXTS = [
    "patients recover faster with better care",
    "helping patients heal and recover",
    "care for patients every day",
    "learning new skills and growing my craft",
    "growing skills and learning every week",
    "my craft and skills keep growing",
]


@pytest.fixture
def written(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Person]:
    people = {}
    for i, text in enumerate(TEXTS):
        person = make_person(org, name=f"Author {i}")
        services.write_statement(
            actor=actor_of(person),
            text=text,
            visibility=Statement.Visibility.THEMES,
            quotable=i % 2 == 0,
        )
        people[f"themes{i}"] = person
    private = make_person(org, name="Private Person")
    services.write_statement(
        actor=actor_of(private), text=SECRET, visibility=Statement.Visibility.PRIVATE, quotable=True
    )
    people["private"] = private
    named = make_person(org, name="Named Person")
    services.write_statement(
        actor=actor_of(named),
        text="patients and their families",
        visibility=Statement.Visibility.NAMED,
    )
    people["named"] = named
    return people


def test_only_me_never_leaves_its_author(
    written: dict[str, Person],
    admin: Person,
    admin_actor: Actor,
    client: Client,
    bearer: Callable[[Person], dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = selectors.organisation_themes(admin_actor)
    assert found.authors == 7  # six theme-only and one named; never the private one
    everything = json.dumps([t.__dict__ for t in found.themes])
    assert "zebras" not in everything
    for url in ["/api/v1/purpose/themes", "/api/v1/purpose-statements", "/api/v1/purpose"]:
        assert "zebras" not in client.get(url, **bearer(admin)).content.decode(), url
    call_command("purpose", "themes", "--format", "json")
    assert "zebras" not in capsys.readouterr().out
    assert admin.user is not None
    client.force_login(admin.user)
    assert "zebras" not in client.get("/purpose/").content.decode()
    # its author sees it
    own = client.get("/api/v1/purpose-statements", **bearer(written["private"])).json()
    assert own["items"][0]["text"] == SECRET
    assert own["items"][0]["mine"] is True


def test_theme_only_statements_are_never_shown_by_name(
    written: dict[str, Person],
    admin: Person,
    client: Client,
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    listed = client.get("/api/v1/purpose-statements", **bearer(admin)).json()["items"]
    assert [s["name"] for s in listed] == ["Named Person"]
    assert admin.user is not None
    client.force_login(admin.user)
    page = client.get("/purpose/").content.decode()
    assert "Named Person" in page
    assert not any(f"Author {i}" in page for i in range(len(TEXTS)))


def test_quotes_only_with_consent(written: dict[str, Person], admin_actor: Actor) -> None:
    found = selectors.organisation_themes(admin_actor)
    quotable = {TEXTS[i] for i in range(len(TEXTS)) if i % 2 == 0} | {"patients and their families"}
    quotes = [q for t in found.themes for q in t.quotes]
    assert quotes
    assert all(q in quotable for q in quotes)


def test_no_themes_below_the_minimum(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    for text in TEXTS[:4]:
        services.write_statement(actor=actor_of(make_person(org)), text=text)
    found = selectors.organisation_themes(actor_of(make_person(org, Role.ADMIN)))
    assert found.themes == []
    assert "at least 5" in (found.suppressed or "")


def test_drafting_and_publishing_keeps_history(
    org: Organisation,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    member = actor_of(make_person(org))
    draft = services.propose(actor=member, text="Maximise shareholder value.")
    services.comment(actor=admin_actor, draft=draft, text="Who is it for?")
    services.endorse(actor=member, draft=draft)
    with pytest.raises(NotAllowed):
        services.publish(actor=member, draft=draft)
    first = services.publish(actor=admin_actor, draft=draft)
    better = services.propose(actor=member, text="Help patients recover at home.")
    second = services.publish(actor=admin_actor, draft=better)
    assert (first.version, second.version) == (1, 2)
    assert set(first.participants) == {member.person.pk, admin_actor.person.pk}  # type: ignore[union-attr]
    assert [p.version for p in selectors.published(admin_actor)] == [2, 1]


def test_stories_need_consent_to_name(admin_actor: Actor) -> None:
    with pytest.raises(ValidationFailed, match="agreed"):
        services.add_story(
            actor=admin_actor, title="T", helped="a nurse", named="Ana", what_changed="x"
        )
    story = services.add_story(
        actor=admin_actor, title="T", helped="a nurse", named="Ana", consent=True, what_changed="x"
    )
    assert story.named == "Ana"


def test_teachers_publish_in_a_school(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    teacher = actor_of(make_person(school, Role.MANAGER))
    draft = services.propose(actor=teacher, text="Every student leaves curious.")
    assert services.publish(actor=teacher, draft=draft).version == 1
    services.set_prompt(actor=teacher, prompt="Why do you come to school?")
    assert services.settings_of(teacher).prompt == "Why do you come to school?"


def test_themes_scale_to_thousands_of_statements() -> None:
    """20,000 statements recompute in seconds: the silhouette is measured on a sample."""
    import time

    from ampwork.purpose import themes

    words = [
        ["patients", "care", "health"],
        ["skills", "learning", "craft"],
        ["planet", "energy", "climate"],
        ["team", "trust", "colleagues"],
    ]
    statements = [
        themes.Statement(i, " ".join(words[i % 4]) + f" reason{i % 50}") for i in range(20_000)
    ]
    started = time.perf_counter()
    result = themes.find(statements, minimum=5)
    assert len(result.themes) >= 4
    assert time.perf_counter() - started < 120  # generous: a runaway would take hours
