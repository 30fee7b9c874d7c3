"""The AMP Pulse in German, French and Spanish: a versioned translation per language, the
language recorded with each answer (sealed while it waits in the pool, and sealed on its
response after: never in plain text), and results that
never split by language unless every language group — and the rest beside it — reaches
the minimum (docs/methods.md, *Translations*; docs/privacy.md)."""

from __future__ import annotations

import datetime as dt
import html
import random
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.pulse import anonymity, instrument, results, scoring, selectors, services, translations
from ampwork.pulse.models import Invitation, PooledAnswer, Response, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()
VERSION = instrument.VERSION
LANGUAGES = ("de", "fr", "es")


# ---------------------------------------------------------------- the texts (pure)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_item_has_a_text_in_every_wording(language: str) -> None:
    assert translations.missing(VERSION, language) == []
    version, texts = translations.TRANSLATIONS[VERSION][language]
    assert version == f"{VERSION}/{language}-1"
    for item in instrument.ITEMS:
        wordings = ["company"] if item.company_only else ["company", "school", "8-11", "14-18"]
        for wording in wordings:
            found = translations.text(VERSION, language, wording, item.code)
            assert found == texts[wording][item.code]
            assert found.strip()
            assert found != translations.text(VERSION, "en", wording, item.code)
    # nothing beyond the instrument's items: a stray code would be an item nobody scores
    codes = {i.code for i in instrument.ITEMS}
    for wording in ("company", "school", "8-11", "14-18"):
        assert set(texts[wording]) <= codes
    assert set(texts["subscale"]) == set(instrument.SUBSCALES)
    assert set(texts["enps"]) == {"company", "school", *instrument.ENPS_BANDS}
    assert [label for _, label in translations.scale(VERSION, language)] == [
        texts["scale"][str(v)] for v in instrument.SCALE
    ]


def test_a_translation_keeps_the_items_scoring() -> None:
    """Codes, subscales and keying come from the instrument only: a German answer to a
    reverse-keyed item is scored 6 − x like an English one."""
    item = next(i for i in instrument.ITEMS if i.code == "task2")
    assert item.reverse
    german = results.ResponseData(anonymity.ROOT, {"task1": 5, "task2": 1}, language="de")
    english = results.ResponseData(anonymity.ROOT, {"task1": 5, "task2": 1}, language="en")
    items = [i for i in instrument.ITEMS if i.subscale == "autonomy_task"]
    assert (results.matrix_of([german], items) == results.matrix_of([english], items)).all()
    assert results.matrix_of([german], items).tolist() == [[5.0, 5.0]]


def test_english_is_the_fallback_only_when_a_translation_is_missing() -> None:
    item = instrument.ITEMS[0]
    assert translations.item_text(VERSION, "en", item, False) == item.text
    assert translations.item_text(VERSION, "de", item, False) != item.text
    # a language or an instrument version without a translation reads the source
    assert translations.item_text(VERSION, "it", item, False) == item.text
    assert translations.item_text("amp-pulse-0", "de", item, False) == item.text
    assert translations.text(VERSION, "de", "company", "nope") == "nope"
    # the bands' words, the school's words, and the 0–10 question per band
    assert (
        translations.item_text(VERSION, "de", item, True, "8-11")
        == (translations.TRANSLATIONS[VERSION]["de"][1]["8-11"]["task1"])
    )
    assert (
        translations.enps_text(VERSION, "es", True, "14-18")
        == (translations.TRANSLATIONS[VERSION]["es"][1]["enps"]["school"])
    )
    assert translations.enps_text(VERSION, "en", True, "8-11") == instrument.ENPS_BANDS["8-11"]
    own = instrument.Item("own1", "own", "Our own words.", "Our own words.")
    assert translations.item_text(VERSION, "fr", own, False) == "Our own words."


@pytest.mark.parametrize(
    ("page", "recorded"),
    [
        ("de", "de"),
        ("de-at", "de"),
        ("fr", "fr"),
        ("es", "es"),
        ("en-gb", "en"),
        ("", "en"),
        (None, "en"),
        ("it", "en"),
    ],
)
def test_the_language_a_page_speaks_is_the_language_recorded(
    page: str | None, recorded: str
) -> None:
    assert translations.language_of(page) == recorded
    expected = VERSION if recorded == "en" else f"{VERSION}/{recorded}-1"
    assert translations.translation_version(VERSION, recorded) == expected


# ---------------------------------------------------------------- the thresholds (pure)


@pytest.mark.parametrize(
    ("counts", "minimum", "shown"),
    [
        ({"en": 5, "de": 5}, 5, True),  # exactly on the minimum
        ({"en": 5, "de": 4}, 5, False),  # one below
        ({"en": 6, "de": 6}, 5, True),  # above
        ({"en": 4, "de": 6}, 5, False),  # the larger group does not save a small one
        ({"en": 5, "de": 5, "fr": 4}, 5, False),  # every language group must reach it
        ({"en": 5, "de": 5, "fr": 5}, 5, True),
        ({"en": 10}, 5, False),  # one language: nothing to split
        ({"en": 10, "de": 0}, 5, False),
        ({"en": 3, "de": 3}, 2, True),  # a minimum under the floor is the floor (3)
        ({"en": 3, "de": 2}, 2, False),
        ({"en": 5, "de": 1}, 5, False),  # the attack below
    ],
)
def test_a_language_split_is_shown_only_when_every_part_reaches_the_minimum(
    counts: dict[str, int], minimum: int, shown: bool
) -> None:
    split = anonymity.language_split(counts, minimum)
    if shown:
        assert split == {k: v for k, v in counts.items() if v}
    else:
        assert split is None


def _varied(rng: random.Random, n: int, language: str, noise: float = 0.6) -> list[Any]:
    """n respondents whose items hold together (a mood plus noise), in ``language``."""
    out = []
    for _ in range(n):
        mood = rng.gauss(3, 1)
        answers = {}
        for item in instrument.items_for(False):
            value = max(1, min(5, round(mood + rng.gauss(0, noise))))
            answers[item.code] = 6 - value if item.reverse else value
        out.append(results.ResponseData(anonymity.ROOT, answers, 8, "", language))
    return out


@pytest.mark.parametrize(("n", "estimated"), [(4, False), (5, True), (6, True)])
def test_alpha_per_language_only_from_the_minimum(n: int, estimated: bool) -> None:
    """A language group with fewer than the minimum answering a subscale in full has no α
    in that language (the page says "too few answers in this language to estimate")."""
    rng = random.Random(3)
    data = _varied(rng, 8, "en") + _varied(rng, n, "de")
    items = list(instrument.items_for(False))
    by_language = results.reliability_by_language(data, items, ["en", "de"], minimum=5)
    assert set(by_language["en"]) == {
        "autonomy_task",
        "autonomy_technique",
        "autonomy_time",
        "autonomy_team",
        "mastery",
        "purpose",
        "relatedness",
        "fairness",
    }
    assert bool(by_language["de"]) is estimated
    if estimated:
        german = [r for r in data if r.language == "de"]
        alone = results.reliability(german, items, minimum=5)
        assert {k: v.alpha for k, v in by_language["de"].items()} == {
            k: v.alpha for k, v in alone.items()
        }


def test_alpha_per_language_counts_full_answers_of_each_subscale() -> None:
    rng = random.Random(5)
    german = _varied(rng, 5, "de")
    german[0] = results.ResponseData(
        anonymity.ROOT, {k: v for k, v in german[0].answers.items() if k != "mast2"}, 8, "", "de"
    )
    items = list(instrument.items_for(False))
    found = results.reliability_by_language(german, items, ["de"], minimum=5)["de"]
    assert "mastery" not in found  # four answered mastery in full: too few
    assert "purpose" in found


@pytest.mark.parametrize(
    ("alpha", "validated"), [(0.70, True), (0.6999, False), (0.71, True), (None, False)]
)
def test_a_translation_counts_as_reliable_from_the_acceptable_alpha(
    alpha: float | None, validated: bool
) -> None:
    assert scoring.ACCEPTABLE_ALPHA == 0.70
    good = scoring.Reliability(0.9, 10, {})
    edge = scoring.Reliability(alpha, 10, {})
    assert results.validated_on_data({"a": good, "b": edge}, ["a", "b"]) is validated
    assert results.validated_on_data({"a": good}, ["a", "b"]) is False  # b: too few
    assert results.validated_on_data({}, []) is False


# ---------------------------------------------------------------- answering in a language


def _team(org: Organisation, name: str, size: int) -> list[Person]:
    team = TeamFactory(organisation=org, name=name)
    people = [PersonFactory(organisation=org) for _ in range(size)]
    for person in people:
        MembershipFactory(team=team, person=person)
    return people


def _open(actor: Actor) -> Round:
    round = services.create_round(
        actor=actor, name="Pulse", opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    services.open_round(actor=actor, round=round)
    round.refresh_from_db()
    return round


def _tokens(people: list[Person]) -> list[str]:
    emails = {p.email for p in people}
    return [
        m.body.split("/pulse/answer/")[1].split("/")[0] for m in mail.outbox if m.to[0] in emails
    ]


def test_the_answer_page_in_german_shows_german_items_and_stores_de(
    admin_actor: Actor, org: Organisation, client: Client
) -> None:
    people = _team(org, "Core", 5)
    round = _open(admin_actor)
    token = _tokens(people)[0]
    url = f"/pulse/answer/{token}/"
    german = translations.TRANSLATIONS[VERSION]["de"][1]
    with translation.override("de"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert german["company"]["task1"] in page
        assert german["scale"]["5"] in page
        assert german["enps"]["company"] in page
        assert instrument.ITEMS[0].text not in page
        assert "Meine Antworten senden" in page  # the page's own words: the catalogue
        response = client.post(url, {"task1": "4", "mast1": "5"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    # waiting in the pool: the language is inside the sealed payload, not beside it
    pooled = PooledAnswer.objects.get()
    assert "amp-pulse-1/de-1" not in pooled.sealed
    assert services.pooled(round)[0]["language"] == "de"
    assert services.pooled(round)[0]["translation"] == "amp-pulse-1/de-1"
    services.close_round(actor=admin_actor, round=round)
    stored = Response.objects.get(round=round)
    assert selectors.answer_language(stored) == "de"
    assert selectors.answer_translation(stored) == "amp-pulse-1/de-1"
    assert stored.language_sealed not in ("", "de")  # sealed (the attack test below)
    assert stored.answers == {"task1": 4, "mast1": 5}


def test_the_french_answer_page_keeps_its_question_marks_with_their_sentence(
    admin_actor: Actor, org: Organisation, client: Client
) -> None:
    """The versioned French texts are written with plain spaces; shown, the space before
    "?" is a no-break one (as the catalogues write it), and the stored words are unchanged."""
    people = _team(org, "Core", 5)
    _open(admin_actor)
    url = f"/pulse/answer/{_tokens(people)[0]}/"
    french = translations.TRANSLATIONS[VERSION]["fr"][1]
    assert french["enps"]["company"].count(" ?") == 1  # the source as versioned
    with translation.override("fr"):
        page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert french["enps"]["company"].replace(" ?", "\u202f?") in page
    assert french["comment"]["comment"].replace(" ?", "\u202f?") in page
    assert "ici ? (0–10)" not in page


def test_an_english_page_stores_en_and_the_instruments_own_version(
    admin_actor: Actor, org: Organisation, client: Client
) -> None:
    people = _team(org, "Core", 5)
    round = _open(admin_actor)
    with translation.override("en-gb"):
        client.post(f"/pulse/answer/{_tokens(people)[0]}/", {"mast1": "3"})
    services.close_round(actor=admin_actor, round=round)
    stored = Response.objects.get()
    assert (selectors.answer_language(stored), selectors.answer_translation(stored)) == (
        "en",
        VERSION,
    )
    assert stored.language_sealed  # English is sealed too: it looks like every other


def test_the_language_survives_the_pool_batches_and_closing(
    admin_actor: Actor, org: Organisation
) -> None:
    people = _team(org, "Core", 12)
    round = _open(admin_actor)
    for i, token in enumerate(_tokens(people)):
        found, invitation = services.find_invitation(token)
        services.answer(
            round=found,
            invitation=invitation,
            answers={"mast1": 4},
            language=("de", "fr-ch", "es", None)[i % 4],
        )
    assert Response.objects.filter(round=round).count() == 10  # one batch of ten written
    services.close_round(actor=admin_actor, round=round)  # all written again, shuffled
    assert sorted(map(selectors.answer_language, Response.objects.all())) == sorted(
        ["de", "fr", "es", "en"] * 3
    )


# ---------------------------------------------------------------- results by language


def _answer_all(round: Round, people: list[Person], languages: list[str], seed: int = 1) -> None:
    rng = random.Random(seed)
    for token, language in zip(_tokens(people), languages, strict=False):
        found, invitation = services.find_invitation(token)
        mood = rng.gauss(3, 1)
        answers = {}
        for item in instrument.items_for(False):
            value = max(1, min(5, round_(mood + rng.gauss(0, 0.5))))
            answers[item.code] = 6 - value if item.reverse else value
        services.answer(
            round=found, invitation=invitation, answers=answers, enps=7, language=language
        )


def round_(x: float) -> int:
    return int(x + 0.5)


def test_attack_one_german_answer_among_five_english_is_never_told_apart(
    admin_actor: Actor, admin: Person, org: Organisation, client: Client
) -> None:
    """A team of six: five answer in English, one in German — the only German speaker, say.
    The results show Everyone and the team, but no language split, no German count, no α
    in German and no "too few in German": nothing on the page, the API or the CSV tells
    that a German answer exists, let alone which it is."""
    people = _team(org, "Core", 6)
    round = _open(admin_actor)
    _answer_all(round, people, ["en"] * 5 + ["de"])
    services.close_round(actor=admin_actor, round=round)
    assert sorted(map(selectors.answer_language, Response.objects.all())) == ["de"] + ["en"] * 5
    data = selectors.round_results(admin_actor, round)
    assert not data.groups[anonymity.ROOT]["suppressed"]
    assert data.languages is None
    assert data.reliability  # α over everyone (six answers): shown, all languages together
    assert data.reliability_by_language == {}
    assert selectors.language_rows(data) == []
    client.force_login(admin.user)
    for language in ("en-gb", "de"):
        with translation.override(language):
            page = client.get(f"/pulse/rounds/{round.pk}/").content.decode()
        assert "Deutsch (" not in page
        assert "English (" not in page
        assert 'id="reliability-languages"' not in page
        assert translations.STATUS not in page.replace("wordings are " + translations.STATUS, "")
    csv = client.get(f"/pulse/rounds/{round.pk}/export.csv").content.decode()
    # and everything is as if the six answers had all been in English
    for response in Response.objects.filter(round=round):
        response.language_sealed = services.seal_language(round.pk, "en")
        response.save(update_fields=["language_sealed"])
    assert client.get(f"/pulse/rounds/{round.pk}/export.csv").content.decode() == csv
    same = selectors.round_results(admin_actor, round)
    assert (same.groups, same.languages) == (data.groups, data.languages)
    assert {k: v.alpha for k, v in (same.reliability or {}).items()} == {
        k: v.alpha for k, v in (data.reliability or {}).items()
    }


def test_attack_the_database_never_joins_a_persons_language_to_their_answer(
    admin_actor: Actor, admin: Person, org: Organisation, client: Client
) -> None:
    """ATTACK: in a team of six, exactly one invitee chose German (Person.language) and so
    answered in German. Someone reading the database (or an export) joins Invitation
    (round, group, person) → Person.language = "de" → the Response rows of that round and
    group, every column, and looks for the one German answer: no column of any row holds
    the language or the translation's version, in plain text or in any encoding short of
    the server's secret key. And the results page shows no language split."""
    import base64
    import binascii

    from django.db import connection

    people = _team(org, "Core", 6)
    sam = people[-1]
    sam.language = "de"
    sam.save(update_fields=["language"])
    round = _open(admin_actor)
    _answer_all(round, people, ["en"] * 5 + ["de"])
    services.close_round(actor=admin_actor, round=round)
    german = translations.translation_version(VERSION, "de")
    assert german == "amp-pulse-1/de-1"
    assert sorted(map(selectors.answer_language, Response.objects.all())) == ["de"] + ["en"] * 5

    table = Response._meta.db_table
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, table)
    names = [c.name for c in described]
    assert not {"language", "translation"} & set(names)
    q = connection.ops.quote_name
    picked = ", ".join(f"r.{q(n)}" for n in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {picked} FROM {q(table)} r "
            f"JOIN {q(Invitation._meta.db_table)} i "
            "ON i.round_id = r.round_id AND i.group_id = r.group_id "
            f"JOIN {q(Person._meta.db_table)} p ON p.id = i.person_id "
            "WHERE p.language = %s",
            ["de"],
        )
        rows = cursor.fetchall()
    assert len(rows) == 6  # the German speaker's invitation joins every answer of the team
    for row in rows:
        for name, value in zip(names, row, strict=True):
            text = str(value)
            assert text != "de", name
            assert german not in text, name
            assert "amp-pulse-1/" not in text, name
            assert '"de"' not in text, name  # not in JSON either
            assert "'de'" not in text, name
            # not merely encoded: the sealed column decodes to ciphertext, not to "de"
            try:
                raw = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                continue
            assert b'"de' not in raw, name
            assert b"amp-pulse" not in raw, name
    # every answer's seal has the same length: "en" and "de" cannot be told apart by size
    assert len({len(r.language_sealed) for r in Response.objects.all()}) == 1

    data = selectors.round_results(admin_actor, round)
    assert not data.groups[anonymity.ROOT]["suppressed"]
    assert data.languages is None
    assert selectors.language_rows(data) == []
    client.force_login(admin.user)
    page = client.get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Deutsch (" not in page
    assert "English (" not in page
    assert 'id="reliability-languages"' not in page


def test_five_and_five_show_the_split_and_alpha_per_language(
    admin_actor: Actor, admin: Person, org: Organisation, client: Client
) -> None:
    people = _team(org, "Core", 10)
    round = _open(admin_actor)
    _answer_all(round, people, ["en"] * 5 + ["de"] * 5, seed=4)
    services.close_round(actor=admin_actor, round=round)
    data = selectors.round_results(admin_actor, round)
    assert data.languages == {"de": 5, "en": 5}
    assert set(data.reliability_by_language or {}) == {"de", "en"}
    rows = {row.code: row for row in selectors.language_rows(data)}
    assert rows["en"].translated is False
    assert rows["de"].translated is True
    client.force_login(admin.user)
    with translation.override("en-gb"):
        page = client.get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Deutsch (5)" in page
    assert "English (5)" in page
    assert 'id="reliability-languages"' in page
    if not rows["de"].validated:
        assert translations.STATUS in page


def test_the_split_needs_the_minimum_in_every_language(
    admin_actor: Actor, org: Organisation
) -> None:
    people = _team(org, "Core", 9)
    round = _open(admin_actor)
    _answer_all(round, people, ["en"] * 5 + ["fr"] * 4, seed=7)
    services.close_round(actor=admin_actor, round=round)
    data = selectors.round_results(admin_actor, round)
    assert data.languages is None
    assert data.reliability_by_language == {}


def test_a_member_sees_the_split_but_never_alpha(
    admin_actor: Actor, org: Organisation, make_person: Any, actor_of: Any
) -> None:
    people = _team(org, "Core", 10)
    round = _open(admin_actor)
    _answer_all(round, people, ["es"] * 5 + ["en"] * 5, seed=9)
    services.close_round(actor=admin_actor, round=round)
    member = actor_of(make_person(org))
    data = selectors.round_results(member, round)
    assert data.languages == {"en": 5, "es": 5}
    assert data.reliability is None
    assert not data.reliability_by_language


def test_the_previous_releases_inserts_get_an_empty_language(
    admin_actor: Actor, org: Organisation
) -> None:
    """During an upgrade the previous release writes responses without the new columns:
    the database fills them in ("", read as English) — as tests/core/test_rolling_upgrade.py
    does for the other added columns."""
    from django.db import connection

    people = _team(org, "Core", 5)
    round = _open(admin_actor)
    _answer_all(round, people, ["de"] * 5)
    services.close_round(actor=admin_actor, round=round)
    source = Response.objects.filter(round=round).first()
    assert source is not None
    known = [
        f.column for f in Response._meta.concrete_fields if f.name not in ("id", "language_sealed")
    ]
    table = connection.ops.quote_name(Response._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ["id", *known])
    values = ", ".join(["%s", *(connection.ops.quote_name(c) for c in known)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} WHERE id = %s",
            ["0" * 32, source.pk.hex],
        )
    copy = Response.objects.get(language_sealed="")
    assert (selectors.answer_language(copy), selectors.answer_translation(copy)) == ("", VERSION)
    assert results.language_counts(selectors._data(round)) == {"de": 5, "en": 1}


def test_every_wording_a_student_may_read_is_listed_for_the_consent_gate() -> None:
    item = next(i for i in instrument.ITEMS if i.code == "rel1")
    found = translations.every_wording(item)
    assert set(instrument.wordings_of(item)) <= set(found)
    assert translations.TRANSLATIONS[VERSION]["de"][1]["8-11"]["rel1"] in found
    closing = translations.every_closing_wording()
    assert set(instrument.enps_wordings()) <= set(closing)
    assert translations.comment_text(VERSION, "es") in closing


@pytest.mark.parametrize(
    ("language", "whole", "short"),
    [
        ("en-gb", "Autonomy: how I work", "how I work"),
        ("de", "Autonomie: wie ich arbeite", "wie ich arbeite"),
        ("fr", "Autonomie\u00a0: comment je travaille", "comment je travaille"),
        ("es", "Autonomía: cómo trabajo", "cómo trabajo"),
    ],
)
def test_a_heatmap_column_is_headed_in_the_readers_language(
    language: str, whole: str, short: str
) -> None:
    """The advisor's heatmap heads its autonomy columns with what follows the colon, in the
    reader's language (English alone was shortened before, by a template filter)."""
    ref = selectors.RoundRef(1, "Spring", dt.date(2026, 5, 1), instrument.VERSION)
    with translation.override(language):
        assert selectors.subscale_heading(ref, "autonomy_technique") == (whole, short)
        mastery = selectors.subscale_label(ref, "mastery")
        assert selectors.subscale_heading(ref, "mastery") == (mastery, mastery)
