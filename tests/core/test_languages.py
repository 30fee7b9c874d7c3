"""Each page, email and notification in its reader's language (core/languages.py,
core/middleware.py LanguageMiddleware, the language page and the footer's switcher), and
numbers and dates written their way while CSV exports stay locale-neutral."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

import ampwork
from ampwork.core import audit_labels, csvexport, languages, services
from ampwork.core.errors import NotAllowed
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.demo.services import DemoResult
from ampwork.fairness.services import COLUMNS

from ..factories import PersonFactory

COOKIE = settings.LANGUAGE_COOKIE_NAME
LANG = re.compile(r'<html lang="([^"]+)" dir="(ltr|rtl)">')


def _lang(response: Any) -> str:
    found = LANG.search(response.content.decode())
    assert found is not None
    return found.group(1)


# ---------------------------------------------------------------- which language a page is in


def test_the_persons_own_choice_comes_first(web: Callable[[Person], Client], admin: Person) -> None:
    admin.language = "fr"
    admin.save()
    client = web(admin)
    client.cookies[COOKIE] = "es"
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert page.status_code == 200
    assert _lang(page) == "fr"
    assert page["Content-Language"] == "fr"
    assert "Accept-Language" in page["Vary"]
    assert "Cookie" in page["Vary"]
    assert 'dir="ltr"' in page.content.decode()
    assert "Paramètres" in page.content.decode()  # the navigation's "Settings"


def test_then_the_cookie_then_the_browser_then_the_organisation(
    web: Callable[[Person], Client], admin: Person, org: Organisation
) -> None:
    org.default_language = "es"
    org.save()
    client = web(admin)
    url = reverse("core:language")
    assert _lang(client.get(url)) == "es"  # nothing else said: the organisation's
    assert _lang(client.get(url, HTTP_ACCEPT_LANGUAGE="ja, de-AT;q=0.8")) == "de"
    # a browser asking only for languages ampwork does not speak: the organisation's
    assert _lang(client.get(url, HTTP_ACCEPT_LANGUAGE="ja, zh;q=0.5")) == "es"
    client.cookies[COOKIE] = "fr"
    assert _lang(client.get(url, HTTP_ACCEPT_LANGUAGE="de")) == "fr"


def test_signed_out_pages_follow_the_browser_else_the_default(client: Client, db: Any) -> None:
    page = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert _lang(page) == "es"
    assert "Iniciar sesión" in page.content.decode()
    page = client.get(reverse("core:login"))
    assert _lang(page) == settings.LANGUAGE_CODE
    assert page["Content-Language"] == settings.LANGUAGE_CODE
    assert "Sign in" in page.content.decode()


def test_the_language_is_reset_after_each_request(client: Client, db: Any) -> None:
    client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="de")
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_a_signed_out_page_of_an_organisation_can_speak_its_language(
    org: Organisation,
) -> None:
    org.default_language = "de"
    request = RequestFactory().get("/pulse/answer/x/")
    request.language_source = languages.DEFAULT  # type: ignore[attr-defined]
    with translation.override("en-gb"):
        assert languages.use_organisation(request, org) == "de"
        assert request.LANGUAGE_CODE == "de"
    # the browser said which: it stays
    request = RequestFactory().get("/pulse/answer/x/", HTTP_ACCEPT_LANGUAGE="fr")
    request.language_source = languages.BROWSER  # type: ignore[attr-defined]
    with translation.override("fr"):
        assert languages.use_organisation(request, org) == "fr"


def test_an_api_token_speaks_its_persons_language(
    client: Client, admin: Person, bearer: Callable[[Person], dict[str, str]]
) -> None:
    headers = bearer(admin)
    answer = client.get("/api/v1/people?limit=0", HTTP_ACCEPT_LANGUAGE="fr", **headers)
    assert answer.status_code == 422
    assert answer["Content-Language"] == "fr"  # no choice of their own: the browser's
    admin.language = "de"
    admin.save()
    answer = client.get("/api/v1/people?limit=x", HTTP_ACCEPT_LANGUAGE="fr", **headers)
    assert answer["Content-Language"] == "de"
    assert "muss eine ganze Zahl sein" in answer.content.decode()


# ---------------------------------------------------------------- the language page


def test_a_person_chooses_their_language_and_it_is_audited(
    web: Callable[[Person], Client], make_person: Callable[..., Person], org: Organisation
) -> None:
    member = make_person(org, Role.MEMBER)
    client = web(member)
    page = client.get(reverse("core:language"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Follow my browser" in body
    assert '<span lang="de" dir="ltr">Deutsch</span>' in body
    assert "organisation-language" not in body  # the default is the admins'
    saved = client.post(reverse("core:language"), {"form": "person", "language": "es"})
    assert saved.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"
    event = AuditEvent.objects.get(action="person.language_changed")
    assert event.detail == {"language": ["", "es"]}
    page = client.get(saved["Location"])
    assert "Tu idioma se ha guardado." in page.content.decode()
    # back to following the browser
    client.post(reverse("core:language"), {"form": "person", "language": ""})
    member.refresh_from_db()
    assert member.language == ""
    # a language ampwork does not speak is refused, nothing changes
    page = client.post(reverse("core:language"), {"form": "person", "language": "xx"})
    assert page.status_code == 200
    member.refresh_from_db()
    assert member.language == ""


def test_an_admin_sets_the_organisations_default_others_may_not(
    web: Callable[[Person], Client],
    admin: Person,
    make_person: Callable[..., Person],
    org: Organisation,
    actor_of: Callable[[Person], Actor],
) -> None:
    client = web(admin)
    assert "organisation-language" in client.get(reverse("core:language")).content.decode()
    answer = client.post(
        reverse("core:language"), {"form": "organisation", "default_language": "fr"}
    )
    assert answer.status_code == 302
    org.refresh_from_db()
    assert org.default_language == "fr"
    assert AuditEvent.objects.filter(action="organisation.language_changed").exists()
    manager = make_person(org, Role.MANAGER)
    client.force_login(manager.user)
    refused = client.post(
        reverse("core:language"), {"form": "organisation", "default_language": "de"}
    )
    assert refused.status_code == 403
    org.refresh_from_db()
    assert org.default_language == "fr"
    with pytest.raises(NotAllowed):
        services.set_organisation_language(actor=actor_of(manager), language="de")


def test_the_footer_switcher_sets_the_cookie_for_anyone(client: Client, db: Any) -> None:
    page = client.get(reverse("core:login"))
    body = page.content.decode()
    assert 'action="/language/"' in body
    assert '<option value="fr" lang="fr" dir="ltr"' in body
    assert ">Français</option>" in body
    assert ">Español</option>" in body
    answer = client.post(reverse("core:set_language"), {"language": "de", "next": "/sign-in/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/sign-in/"
    assert client.cookies[COOKIE].value == "de"
    page = client.get("/sign-in/")
    assert _lang(page) == "de"
    assert "Anmelden" in page.content.decode()
    # each language keeps its own name on every page
    assert ">Deutsch</option>" in page.content.decode()
    assert ">English</option>" in page.content.decode()


def test_the_switcher_saves_a_signed_in_persons_choice(
    web: Callable[[Person], Client], admin: Person
) -> None:
    admin.language = "fr"
    admin.save()
    client = web(admin)
    client.post(reverse("core:set_language"), {"language": "es", "next": "/"})
    admin.refresh_from_db()
    assert admin.language == "es"


# ---------------------------------------------------------------- emails


def test_a_password_reset_email_is_in_its_recipients_language(
    client: Client, admin: Person, django_capture_on_commit_callbacks: Any
) -> None:
    admin.language = "de"
    admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": admin.email})
    (letter,) = [m for m in mail.outbox if m.to == [admin.email]]
    assert letter.subject == "ampwork: Passwort zurücksetzen"
    assert "Wähle mit diesem Link ein neues Passwort" in letter.body


def test_builders_write_in_their_readers_language(
    make_person: Callable[..., Person], org: Organisation
) -> None:
    """The tools every email builder uses: ``addressed_to`` (one reader), ``keeps_language``
    with ``speak_to``/``speak_in`` (a loop), each leaving the caller's language as it was."""
    org.default_language = "es"
    org.save()
    anna = make_person(org, Role.MEMBER, language="de")
    bea = make_person(org, Role.MEMBER)  # no choice: the organisation's

    @languages.addressed_to("person")
    def subject(person: Person) -> str:
        return translation.gettext("Language")

    @languages.keeps_language
    def subjects(people: list[Person]) -> list[str]:
        out = []
        for person in people:
            languages.speak_to(person)
            out.append(translation.gettext("Language"))
        languages.speak_in("fr")
        out.append(translation.gettext("Language"))
        return out

    with translation.override("en-gb"):
        assert subject(anna) == "Sprache"
        assert subject(person=bea) == "Idioma"
        assert subjects([anna, bea]) == ["Sprache", "Idioma", "Langue"]
        assert translation.get_language() == "en-gb"
        assert languages.chosen_in(org) == {anna.pk: "de"}


def test_a_sign_in_invitation_reaches_a_german_reader_in_german(
    admin_actor: Actor,
    org: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = PersonFactory(organisation=org, user=None, language="de", email="neu@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_sign_in_invite(actor=admin_actor, person=person)
    (letter,) = [m for m in mail.outbox if m.to == ["neu@example.org"]]
    assert "invites you" not in letter.subject
    assert "Acme" in letter.subject


# ---------------------------------------------------------------- numbers and dates


def _render(text: str, language: str, **context: Any) -> str:
    with translation.override(language):
        return engines["django"].from_string("{% load ampwork_tags %}" + text).render(context)


@pytest.mark.parametrize(
    ("language", "number", "day"),
    [
        ("es", "1.234,5", "30 nov 2026"),
        ("de", "1.234,5", "30. Nov. 2026"),
        ("fr", "1\u202f234,5", "30 nov. 2026"),
        ("en-gb", "1,234.5", "30 Nov 2026"),
    ],
)
def test_each_reader_sees_numbers_and_dates_their_way(language: str, number: str, day: str) -> None:
    out = _render("{{ n|number:1 }}|{{ d|day }}", language, n=1234.5, d=dt.date(2026, 11, 30))
    assert out == f"{number}|{day}"


def test_a_spanish_reader_sees_a_spanish_date_on_a_page(
    web: Callable[[Person], Client], admin: Person
) -> None:
    admin.language = "es"
    admin.save()
    client = web(admin)
    client.get("/")  # a request: the session is recorded (core/middleware.py)
    from allauth.usersessions.models import UserSession

    assert admin.user is not None
    UserSession.objects.create(
        user=admin.user,
        ip="127.0.0.1",
        session_key=client.session.session_key or "x",
        user_agent="Mozilla/5.0",
        created_at=dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC),
        last_seen_at=dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC),
    )
    page = client.get(reverse("usersessions_list"))
    body = page.content.decode()
    assert page["Content-Language"] == "es"
    assert "30 nov 2026" in body
    assert "Dónde has iniciado sesión" in body


def test_csv_stays_locale_neutral_under_spanish() -> None:
    out = io.StringIO()
    with translation.override("es"):
        csvexport.writer(out).writerows(
            [["name", "pay", "day"], ["Ana", 1234.5, dt.date(2026, 11, 30)]]
        )
    assert out.getvalue().splitlines() == ["name,pay,day", "Ana,1234.5,2026-11-30"]


def test_an_export_read_in_spanish_keeps_english_headers_and_points(
    demo: DemoResult, client: Client
) -> None:
    admin = Person.objects.get(organisation=demo.company, email="admin@brightwater.example")
    admin.language = "es"
    admin.save()
    assert admin.user is not None
    client.force_login(admin.user)
    answer = client.get(reverse("fairness:report_uk") + "?format=csv")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    text = answer.content.decode()
    assert rows[0][0].isascii()
    assert rows[0][0] == rows[0][0].lower()
    assert "brecha" not in text.lower()
    numbers = [cell for row in rows for cell in row[1:] if re.fullmatch(r"-?[\d.,]+", cell)]
    assert numbers
    assert all("," not in cell for cell in numbers)
    assert any("." in cell for cell in numbers)


# ---------------------------------------------------------------- the demo


def test_the_demo_speaks_the_language_asked_for(demo: DemoResult) -> None:
    written = io.StringIO()
    call_command("demo", "--no-serve", "--language", "de", stdout=written)
    for org in (demo.company, demo.school):
        org.refresh_from_db()
        assert org.default_language == "de"
    people = Person.objects.filter(organisation__in=[demo.company, demo.school])
    assert set(people.values_list("language", flat=True)) == {"de"}
    assert "Deutsch (de)" in written.getvalue()


# ---------------------------------------------------------------- the audit log, read in German


def test_the_audit_log_names_objects_sources_and_details_in_the_readers_language(
    web: Callable[[Person], Client], admin: Person, org: Organisation
) -> None:
    """The record stays in English (it is a record); the page translates its words."""
    AuditEvent.objects.create(
        organisation=org,
        actor_email="command line",
        action="pulse.round_closed",
        target_type="Round",
        target_id="3",
        detail={"team_id": "T042", "status": "closed", "some_new_key": 1},
    )
    client = web(admin)
    german = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Runde der Pulsbefragung 3" in german
    assert "Kommandozeile" in german
    # (PostgreSQL's jsonb keeps keys in its own order: each pair, then their separator)
    for pair in ("Slack-Workspace-ID: T042", "Status: closed", "some new key: 1"):
        assert pair in german
    assert "closed; " in german or "T042; " in german
    assert "pulse.round_closed" in german  # an action with no label is shown as stored
    french = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "vague de l&#x27;enquête pulse 3" in french
    assert "statut\u00a0: closed" in french
    assert "\u202f; " in french
    english = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "pulse round 3" in english
    assert "command line" in english
    event = AuditEvent.objects.get(action="pulse.round_closed")
    assert (event.target_type, event.actor_email) == ("Round", "command line")
    assert event.detail["team_id"] == "T042"


def test_the_audit_log_names_each_action_in_the_readers_language(
    web: Callable[[Person], Client], admin: Person, org: Organisation
) -> None:
    """The key stays beside its label: it is what an export or a search by key finds."""
    AuditEvent.objects.create(organisation=org, actor_email="system", action="pulse.opened")
    client = web(admin)
    german = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Runde der Pulsbefragung geöffnet" in german
    assert '<code class="small muted">pulse.opened</code>' in german
    spanish = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "ronda de la encuesta pulse abierta" in spanish


def test_the_audit_log_names_values_of_a_fixed_list_and_leaves_the_rest(
    web: Callable[[Person], Client], admin: Person, org: Organisation
) -> None:
    AuditEvent.objects.create(
        organisation=org,
        actor_email="system",
        action="pay.viewed",
        detail={"page": "fairness overview", "people": 12},
    )
    AuditEvent.objects.create(
        organisation=org,
        actor_email="system",
        action="pay.audited",
        detail={"status": "red", "name": "red"},  # a name that happens to be a colour word
    )
    client = web(admin)
    german = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Seite: Überblick zur Vergütungsgerechtigkeit" in german
    assert "Status: rot" in german
    assert "Name: red" in german
    assert "fairness overview" not in german
    event = AuditEvent.objects.get(action="pay.audited")
    assert event.detail == {"status": "red", "name": "red"}  # the record stays as written


# the actions recorded under a name the call does not spell out (a constant, a choice, an
# f-string): each is listed here, so a new one must be named in the labels too
ACTIONS_NOT_SPELT_OUT = {
    "classcode.locked_out",
    "login.locked_out",
    "calendar_feed.created",
    "calendar_feed.reset",
    "person.activated",
    "person.deactivated",
    *(f"pay.imported.{kind}" for kind in ("compensation", "market", "bands", "rates")),
}


def _recorded_actions() -> tuple[set[str], list[str]]:
    """Every action key a service passes to the audit log, read from the source."""
    spelt, other = set(), []
    for path in Path(ampwork.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            position = {"record": 2, "record_membership": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                spelt.add(arg.value)
            else:
                other.append(f"{path.name}:{node.lineno}")
    return spelt, other


def test_every_action_the_services_record_has_a_label() -> None:
    spelt, other = _recorded_actions()
    assert len(spelt) > 60  # the reader found the calls
    # the calls that pass a name, not a string: a new one must add its actions above
    assert len(other) == 6, other
    assert set(COLUMNS) == {"compensation", "market", "bands", "rates"}  # pay.imported.{kind}
    unlabelled = sorted((spelt | ACTIONS_NOT_SPELT_OUT) - set(audit_labels.ACTIONS))
    assert unlabelled == []
    assert audit_labels.action_label("no.such_action") == "no.such_action"


@pytest.mark.parametrize(
    ("language", "ours", "theirs"),
    [
        ("es", "¿Olvidaste tu contraseña?", "¿Ha olvidado su contraseña?"),
        ("de", "Passwort vergessen?", "Ihr Passwort"),
    ],
)
@pytest.mark.django_db
def test_the_sign_in_page_speaks_as_the_product_does(
    client: Client, language: str, ours: str, theirs: str
) -> None:
    """allauth's and Django's own catalogues say "Sie"/"usted"; the project's catalogue,
    read first (ampwork/wordings.py), says "du"/"tú" like every other page."""
    page = client.get("/sign-in/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ours in page
    assert theirs not in page
    with translation.override(language):
        from django.contrib.auth.password_validation import password_validators_help_texts

        helps = " ".join(password_validators_help_texts())
    assert ("Dein Passwort" if language == "de" else "Tu contraseña") in helps
    assert "Su contraseña" not in helps
    assert "Ihr Passwort" not in helps
    with translation.override(language):
        confirm = translation.gettext("Enter the same password as before, for verification.")
    assert "das selbe" not in confirm
    assert "introduzca" not in confirm
