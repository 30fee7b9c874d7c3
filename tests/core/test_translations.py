"""The translations (issue 21): complete catalogues, up to date with the source, pages translated.

1. Every catalogue (src/ampwork/**/locale/{de,fr,es}/LC_MESSAGES/django.po): no empty or
   fuzzy translation, the same placeholders in each translation as in its message, and the
   header's language and plural rule right.
2. The catalogues hold exactly the strings the source marks: ``scripts/messages.sh make``
   run on a copy of the source must find the same (context, message) pairs as the
   committed catalogues (someone marked a string and forgot to make the messages, or
   removed one and left it behind). Needs GNU gettext (xgettext).
3. Every page of every demo role, rendered in a pseudo-language (tests/pseudo_locale.py:
   every message ampwork, Django and allauth know becomes "⟦Šàṽé⟧"), holds no plain word
   that is not data from the database, a brand or a date: such a word was never marked.
   Run it alone with
   ``python3 -m pytest -n 0 -p no:randomly tests/core/test_translations.py -k every_page``.
"""

from __future__ import annotations

import calendar
import os
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.db import models
from django.template import Context, Template
from django.test import override_settings
from django.urls import Resolver404, resolve
from django.utils import translation

from ampwork.core import languages
from ampwork.core.models import Person
from ampwork.integrations import events
from ampwork.pulse import instrument, translations

from ..crawl import DEMO_ROLES, signed_in, walk
from ..pseudo_locale import allow_list, pseudo, untranslated, write_pseudo_locale

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "ampwork"
LANGUAGES = ("de", "fr", "es")
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
CATALOGUES = sorted(
    po
    for language in LANGUAGES
    for po in SOURCE.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
)


def _name(po: Path) -> str:
    """okrs/locale/de/LC_MESSAGES/django.po (the project's: locale/de/…)."""
    at = po.parts.index("locale")
    return "/".join(po.parts[at - 1 if po.parts[at - 1] != "ampwork" else at :])


# ---- 1. every catalogue complete and well-formed -----------------------------------------

PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sd]|\{\w*\}")


def placeholders(text: str) -> set[str]:
    return {p for p in PLACEHOLDER.findall(text) if p != "%%"}


def _rule(text: str) -> str:
    return re.sub(r"[\s()]", "", text)


def catalogue_problems(po: Path) -> list[str]:
    """Every problem of one catalogue, as "file: msgid …: problem"."""
    language = po.parent.parent.name
    text = po.read_text(encoding="utf-8")
    problems: list[str] = []
    header = dict(re.findall(r'^"([\w-]+): (.*?)\\n"$', text.split("\n\n", 1)[0], re.M))
    if header.get("Language") != language:
        problems.append(
            f"{_name(po)}: header: Language is {header.get('Language')!r}, not {language!r}"
        )
    if _rule(header.get("Plural-Forms", "")) != _rule(PLURAL_FORMS[language]):
        problems.append(
            f"{_name(po)}: header: Plural-Forms is {header.get('Plural-Forms')!r}, "
            f"not {PLURAL_FORMS[language]!r}"
        )
    with po.open("rb") as source:
        catalogue = read_po(source, locale=language)
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        label = f"{_name(po)}: msgid {ids[0]!r}" + (
            f" (context {message.context!r})" if message.context else ""
        )
        if message.fuzzy:
            problems.append(f"{label}: marked fuzzy")
        if any(not s for s in strings) or len(strings) < len(ids):
            problems.append(
                f"{label}: not translated" + (" (every plural form)" if len(ids) > 1 else "")
            )
            continue
        wanted = [placeholders(i) for i in ids]
        for n, string in enumerate(strings):
            found = placeholders(string)
            if found not in wanted:
                form = f" msgstr[{n}]" if len(ids) > 1 else ""
                problems.append(
                    f"{label}:{form} placeholders {sorted(found)} differ from the message's "
                    f"{sorted(wanted[-1] if len(ids) > 1 else wanted[0])}"
                )
    return problems


@pytest.mark.same_on_every_database
@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_catalogue_is_complete(po: Path) -> None:
    problems = catalogue_problems(po)
    assert problems == [], f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_the_catalogue_check_finds_each_problem(tmp_path: Path) -> None:
    po = tmp_path / "okrs" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Close"\nmsgstr "Fermer"\n\n'
        'msgid "%(name)s checked in"\nmsgstr "%(nom)s a fait son check-in"\n\n'
        'msgid "%(n)d person"\nmsgid_plural "%(n)d people"\n'
        'msgstr[0] "%(n)d personne"\nmsgstr[1] ""\n\n'
        'msgid "Fine {x}"\nmsgstr "Bien {x}"\n',
        encoding="utf-8",
    )
    problems = catalogue_problems(po)
    assert all(p.startswith("okrs/locale/fr/LC_MESSAGES/django.po: ") for p in problems)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "header: Language is 'de', not 'fr'",
        "header: Plural-Forms is 'nplurals=2; plural=(n != 1);', not 'nplurals=2; plural=(n > 1);'",
        "msgid 'Save': not translated",
        "msgid 'Close': marked fuzzy",
        "msgid '%(name)s checked in': placeholders ['%(nom)s'] differ from the message's "
        "['%(name)s']",
        "msgid '%(n)d person': not translated (every plural form)",
    ]


def translations_by_message(
    catalogues: list[Path],
) -> dict[tuple[str | None, str | tuple[str, ...]], dict[str, str | tuple[str, ...]]]:
    """(context, message) → {catalogue: translation}, over the catalogues of one language.

    A plural message is keyed by all its forms: gettext keeps it apart from a singular one
    with the same first form, so the two never compete."""
    found: dict[tuple[str | None, str | tuple[str, ...]], dict[str, str | tuple[str, ...]]]
    found = defaultdict(dict)
    for po in catalogues:
        with po.open("rb") as source:
            catalogue = read_po(source)
        for message in catalogue:
            if not message.id:
                continue
            key = (
                message.context,
                message.id if isinstance(message.id, str) else tuple(message.id),
            )
            string = message.string if isinstance(message.string, str) else tuple(message.string)
            found[key][_name(po)] = string
    return found


def disagreements(catalogues: list[Path]) -> list[str]:
    """Every message two catalogues translate differently, with each catalogue's wording."""
    problems = []
    for (context, msgid), strings in translations_by_message(catalogues).items():
        if len(set(strings.values())) > 1:
            where = f" (context {context!r})" if context else ""
            problems.append(
                f"msgid {msgid!r}{where}: "
                + "; ".join(f"{name}: {string!r}" for name, string in sorted(strings.items()))
            )
    return sorted(problems)


@pytest.mark.same_on_every_database
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_message_has_the_same_translation_in_every_catalogue(language: str) -> None:
    """Django merges the catalogues into one per language (settings.LOCALE_PATHS): the first
    that has a message wins, so a second wording for the same (context, message) would never
    be shown, and the other app's pages would say what its translator did not choose. Two
    meanings of one English word get a context (docs/translating.md)."""
    problems = disagreements([po for po in CATALOGUES if po.parent.parent.name == language])
    assert problems == [], (
        f"{len(problems)} message(s) translated differently in two {language} catalogues "
        "(only one wording is ever shown: choose one, or give each meaning a context):\n"
        + "\n".join(problems)
    )


def test_the_same_message_check_finds_a_disagreement(tmp_path: Path) -> None:
    header = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
    for app, open_, team in (("classroom", "Öffnen", "Team"), ("conversations", "Offen", "Team")):
        po = tmp_path / app / "locale" / "de" / "LC_MESSAGES" / "django.po"
        po.parent.mkdir(parents=True)
        po.write_text(
            header + f'msgid "Open"\nmsgstr "{open_}"\n\n'
            f'msgctxt "verb"\nmsgid "Open"\nmsgstr "{open_}"\n\n'
            f'msgid "team"\nmsgstr "{team}"\n',
            encoding="utf-8",
        )
    plural = tmp_path / "core" / "locale" / "de" / "LC_MESSAGES" / "django.po"
    plural.parent.mkdir(parents=True)
    plural.write_text(
        header + 'msgid "team"\nmsgid_plural "teams"\nmsgstr[0] "Team"\nmsgstr[1] "Teams"\n',
        encoding="utf-8",
    )
    assert disagreements(sorted(tmp_path.glob("**/django.po"))) == [
        "msgid 'Open' (context 'verb'): classroom/locale/de/LC_MESSAGES/django.po: 'Öffnen'; "
        "conversations/locale/de/LC_MESSAGES/django.po: 'Offen'",
        "msgid 'Open': classroom/locale/de/LC_MESSAGES/django.po: 'Öffnen'; "
        "conversations/locale/de/LC_MESSAGES/django.po: 'Offen'",
    ]


# French puts a no-break space before ":" and inside « », a narrow one before ";" "!" "?": a
# plain space there lets a line wrap before its colon ("Constat" | ": x").
FRENCH_PLAIN_SPACE = re.compile(r" [:;!?»]|« ")


def french_spacing_problems(po: Path) -> list[str]:
    with po.open("rb") as source:
        catalogue = read_po(source, locale="fr")
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for string in strings:
            for found in FRENCH_PLAIN_SPACE.finditer(string or ""):
                problems.append(
                    f"{_name(po)}: {string[max(0, found.start() - 25) : found.end() + 25]!r}"
                )
    return problems


@pytest.mark.same_on_every_database
def test_french_punctuation_has_its_no_break_space() -> None:
    problems = [
        problem
        for po in CATALOGUES
        if po.parent.parent.name == "fr"
        for problem in french_spacing_problems(po)
    ]
    assert problems == [], (
        f"{len(problems)} French translation(s) with a plain space before ':' ';' '!' '?' "
        "or inside « » (use U+00A0 before ':' and inside « », U+202F before ';' '!' '?'):\n"
        + "\n".join(problems)
    )


def test_the_french_spacing_check_finds_a_plain_space(tmp_path: Path) -> None:
    po = tmp_path / "core" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        'msgid "Finding: %(x)s"\nmsgstr "Constat : %(x)s"\n\n'
        'msgid "Why?"\nmsgstr "Pourquoi\u202f?"\n\n'
        'msgid "“%(x)s”"\nmsgstr "« %(x)s\u00a0»"\n',
        encoding="utf-8",
    )
    assert [p.split(": ", 1)[1] for p in french_spacing_problems(po)] == [
        "'Constat : %(x)s'",
        "'« %(x)s\\xa0»'",
    ]


@pytest.mark.same_on_every_database
def test_no_sentence_writes_a_percent_sign_after_a_number_it_is_given() -> None:
    """A percentage is written by core.l10n.format_percent (each language's own spacing:
    "12,5 %" in French, with a no-break space) and given to the sentence whole: a sentence
    that writes "%" after its number placeholder spaces it one way for every language."""
    glued = re.compile(r"%\(\w+\)s ?%%|\{\{ ?\w+ ?\}\} ?%")
    found = sorted(
        {
            f"{_name(po)}: {message_id!r}"
            for po in CATALOGUES
            if po.parent.parent.name == "de"
            for _context, message_id in _entries(po)
            if glued.search(message_id)
        }
    )
    assert found == []


# ---- 2. the catalogues up to date with the source ----------------------------------------


def _entries(po: Path) -> set[tuple[str | None, str]]:
    with po.open("rb") as source:
        catalogue = read_po(source)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id}


@pytest.mark.same_on_every_database
def test_catalogues_hold_every_marked_string(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed: apt-get install gettext")
    copy = tmp_path / "src"
    shutil.copytree(
        SOURCE,
        copy / "ampwork",
        symlinks=True,  # help/*.md link to docs/: makemessages reads neither
        ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
    )
    env = {**os.environ, "AMPWORK_SRC": str(copy), "AMPWORK_DATA_DIR": str(tmp_path / "data")}
    env.pop("PYTHONPATH", None)  # the copy's settings, not the checkout's
    made = subprocess.run(
        ["bash", str(ROOT / "scripts" / "messages.sh"), "make"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    fresh = {
        po.relative_to(copy / "ampwork"): po
        for po in (copy / "ampwork").glob("**/locale/*/LC_MESSAGES/django.po")
    }
    committed = {po.relative_to(SOURCE): po for po in CATALOGUES}
    problems: list[str] = []
    for name in sorted(set(fresh) | set(committed)):
        now = _entries(fresh[name]) if name in fresh else set()
        then = _entries(committed[name]) if name in committed else set()
        for context, msgid in sorted(now - then, key=str):
            where = f" (context {context!r})" if context else ""
            problems.append(
                f"{name}: {msgid!r}{where} is marked in the source but not in the catalogue"
            )
        for context, msgid in sorted(then - now, key=str):
            where = f" (context {context!r})" if context else ""
            problems.append(
                f"{name}: {msgid!r}{where} is in the catalogue but no longer marked in the source"
            )
    assert problems == [], (
        "the catalogues are not up to date: run `bash scripts/messages.sh make <app>` and "
        "translate the new entries\n" + "\n".join(problems)
    )


# ---- 3. every page translated ------------------------------------------------------------

PSEUDO = "en-xa"
# words that stay as they are in every language (the glossary, docs/translating.md)
BRANDS = (
    "ampwork OKR OKRs eNPS SSO CSV API SCIM 1:1 Check-in Check-ins iCal PDF QR UTC "
    "OpenID OIDC SAML TOTP JSON HTML URL ID Slack Microsoft Teams"
)


@pytest.fixture(scope="module")
def pseudo_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pseudo-locale")
    write_pseudo_locale(directory, translation.to_locale(PSEUDO))
    return directory


@pytest.fixture
def pseudo_language(pseudo_catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The pseudo-language, known to Django (LANGUAGES, LOCALE_PATHS) and to ampwork's own
    choice of language (core/languages.py) — the way a page's language is picked: from the
    browser's Accept-Language once a language middleware runs, and active meanwhile."""
    monkeypatch.setattr(languages, "SUPPORTED", (*languages.SUPPORTED, PSEUDO))
    with (
        override_settings(
            LOCALE_PATHS=[pseudo_catalogue, *settings.LOCALE_PATHS],
            LANGUAGES=[*settings.LANGUAGES, (PSEUDO, "Pseudo")],
        ),
        translation.override(PSEUDO),
    ):
        yield PSEUDO


def data_words() -> set[str]:
    """The words of every text the database holds (names, titles, answers, e-mails …):
    every CharField/TextField (and JSON) value of every row of every ampwork model and of
    the accounts. A field with choices holds codes, not data: its label is what shows."""
    values: list[str] = []
    for model in apps.get_models():
        if not (model.__module__.startswith("ampwork.") or model._meta.label == "auth.User"):
            continue
        texts = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        if not texts:
            continue
        for row in model._base_manager.values_list(*texts):
            values += _strings(row)
    return allow_list(values)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def fixed_words() -> set[str]:
    """Brands, the languages' own names, and the month and day names Babel writes dates with
    (a pseudo-language has no CLDR data: it writes them as British English does)."""
    english = Locale.parse("en_GB")
    names: list[str] = [BRANDS, "Pseudo", *(name for _code, name in settings.LANGUAGES)]
    # English pages write a few dates as they always did ("07 Sep"): the C locale's names
    names += [*calendar.month_abbr[1:], *calendar.day_abbr]
    # webhook event types are API names ("objective.created"), the same in every language
    names += list(events.EVENTS)
    # the AMP Pulse's items are a versioned translation of their own (pulse/translations.py,
    # complete for de, fr and es: tests/pulse/test_translations.py), not catalogue strings:
    # the pseudo-language has none and reads the English source
    for item in instrument.ITEMS:
        names += list(translations.every_wording(item))
    names += list(translations.every_closing_wording())
    names += list(instrument.SUBSCALES.values())
    for table in (english.months, english.days, english.day_periods):
        for context in table.values():
            for width in context.values():
                names += [str(v) for v in width.values()]
    return allow_list(names)


def app_of(url: str) -> str:
    try:
        module = resolve(url.split("?", 1)[0]).func.__module__
    except Resolver404:
        return "?"
    parts = module.split(".")
    if parts[0] != "ampwork":  # allauth's views, with the project's templates
        return f"project ({parts[0]})"
    return parts[1] if len(parts) > 2 else "project"


def untranslated_pages(role: str) -> tuple[dict[str, list[str]], Counter[str]]:
    """Every page of the role (its walk, tests/crawl.py: each page fetched once) read in the
    pseudo-language: page -> its untranslated snippets not already shown on an earlier page,
    and how many distinct snippets each app's pages show first (one shown on pages of more
    than one app counts as "layout")."""
    allowed = data_words() | fixed_words()
    Person.objects.update(language="")  # each reads the language their browser asks for
    client = signed_in(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = PSEUDO
    result = walk(role, client)
    first_page: dict[str, str] = {}
    apps_showing: dict[str, set[str]] = defaultdict(set)
    by_page: dict[str, list[str]] = {}
    read: set[str] = set()
    for answer in result.answers.values():
        if answer.html is None or answer.status != 200 or answer.final in read:
            continue
        read.add(answer.final)
        app = app_of(answer.final)
        for snippet in untranslated(answer.html, allowed):
            apps_showing[snippet.text].add(app)
            if snippet.text in first_page:
                continue
            first_page[snippet.text] = answer.final
            by_page.setdefault(answer.final, []).append(
                f"  <{snippet.where}> {snippet.text!r}  [{', '.join(snippet.words[:6])}]"
            )
    assert len(read) > 10  # the walk got past the home page
    counts: Counter[str] = Counter()
    for text, page in first_page.items():
        shown_by = apps_showing[text]
        counts["layout" if len(shown_by) > 1 else app_of(page)] += 1
    return by_page, counts


# The check reads markup rendered by the templates: the same on every database (CI: SQLite).
@pytest.mark.same_on_every_database
@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_page_of_the_role_is_translated(role: str, demo: Any, pseudo_language: str) -> None:
    by_page, counts = untranslated_pages(role)
    summary = ", ".join(f"{app}: {n}" for app, n in counts.most_common())
    report = "\n".join(
        f"{page} ({app_of(page)}):\n" + "\n".join(lines) for page, lines in by_page.items()
    )
    assert not by_page, (
        f"{role}: {sum(counts.values())} untranslated text(s) — by app: {summary}\n{report}"
    )


def test_the_page_check_finds_an_unmarked_string(pseudo_language: str) -> None:
    """A real check: the same template fails with a sentence left unmarked, passes once it
    is marked; data (a value from the database) and placeholders pass either way."""
    page = (
        "{% load i18n %}<h1 title=\"{% translate 'Save' %}\">{% translate 'Save' %}</h1>"
        "<p>{% blocktranslate with value=name %}“{{ value }}” is not a valid UUID."
        "{% endblocktranslate %}</p>"
        "<p>{{ name }}</p><script>var notText = 'Unmarked';</script>"
    )
    marked = "<button>{% translate 'Cancel' %}</button>"
    unmarked = '<button aria-label="Close the dialog">Cancel</button>'
    allowed = allow_list(["Brightwater Academy"])
    context = Context({"name": "Brightwater Academy"})
    assert Template(page + marked).render(context).count("⟦") >= 3
    assert untranslated(Template(page + marked).render(context), allowed) == []
    found = untranslated(Template(page + unmarked).render(context), allowed)
    assert [(s.where, s.text, s.words) for s in found] == [
        ("button[aria-label]", "Close the dialog", ("Close", "the", "dialog")),
        ("button", "Cancel", ("Cancel",)),
    ]


def test_the_pseudo_language_keeps_placeholders_and_tags() -> None:
    text = 'Read <a href="%(url)s">how {thing} is computed</a> &amp; %s, 100%%'
    assert pseudo(text) == ('⟦Ŕéàđ <a href="%(url)s">ĥõŵ {thing} îš çõɱþûţéđ</a> &amp; %s, 100%%⟧')
