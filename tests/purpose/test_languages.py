"""Purpose themes and the authenticity check read each statement in its language: German,
French and Spanish statements that share a theme through inflected forms are grouped
together; English reads as before (test_purpose_maths.py, test_themes_quality.py)."""

from __future__ import annotations

from typing import Any

import pytest

from ampwork.purpose import authenticity, lexicon, themes

LEARN_HEALTH = {
    "de": {
        "learn": [
            "Lernen macht mir Freude",
            "Ich lerne gern mit anderen",
            "Jeder lernt hier etwas Neues",
            "Wir lernen voneinander",
            "Lernen im Team",
        ],
        "health": [
            "Patienten werden gesund",
            "Die Patienten gehen gesünder nach Hause",
            "Gesundheit der Patienten",
            "Patientin wieder gesund",
            "gesunde Patienten",
        ],
    },
    "fr": {
        "learn": [
            "Apprendre chaque jour",
            "Nous apprenons ensemble",
            "On apprend des autres",
            "apprendre avec les élèves",
            "Apprenons à apprendre",
        ],
        "health": [
            "Soigner les patients",
            "Les patients guérissent",
            "La santé des patients",
            "des patients en bonne santé",
            "patients soignés",
        ],
    },
    "es": {
        "learn": [
            "Aprender cada día",
            "Aprendemos juntos",
            "aprendo de los demás",
            "aprender con los alumnos",
            "Aprendemos a aprender",
        ],
        "health": [
            "Cuidar a los pacientes",
            "Los pacientes se curan",
            "La salud de los pacientes",
            "pacientes sanos",
            "pacientes cuidados",
        ],
    },
}


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("de", ["Lernen", "lernen", "lernt", "lernst"]),
        ("fr", ["apprendre", "apprenons", "apprend", "apprenez"]),
        ("es", ["aprender", "aprendemos", "aprendo", "aprende"]),
        ("en", ["learn", "learning", "learns"]),
    ],
)
def test_inflected_forms_share_one_stem(language: str, forms: list[str]) -> None:
    assert len({lexicon.stem(f.lower(), language) for f in forms}) == 1


def test_a_fold_keeps_short_stems_whole() -> None:
    """German drops a last "t" only when four letters stay: "Welt" and "Zeit" stay apart
    from "Wel…" and "Zei…"; French "don" is no "d"."""
    assert lexicon.stem("welt", "de") == "welt"
    assert lexicon.stem("zeit", "de") == "zeit"
    assert lexicon.stem("lernt", "de") == "lern"  # five letters: folded
    assert lexicon.stem("don", "fr") == "don"


def _statements(
    corpus: dict[str, list[str]], language: str = ""
) -> tuple[list[themes.Statement], dict[int, str]]:
    statements, truth = [], {}
    for name, texts in corpus.items():
        for text in texts:
            author = len(statements) + 1
            statements.append(themes.Statement(author, text, language=language))
            truth[author] = name
    return statements, truth


def _grouped(members: dict[int, int], truth: dict[int, str], name: str) -> set[int]:
    return {members[a] for a, planted in truth.items() if planted == name}


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_statements_in_the_organisations_language_group_by_inflected_forms(
    language: str,
) -> None:
    statements, truth = _statements(LEARN_HEALTH[language])
    found, members = themes.find_with_members(statements, 3, language=language)
    learning = _grouped(members, truth, "learn")
    assert len(learning) == 1  # every "learn" statement in one theme...
    assert learning.isdisjoint(_grouped(members, truth, "health"))  # ...and no other's
    assert found.unthemed == 0
    theme = found.themes[learning.pop()]
    assert theme.authors == 5
    stems = {lexicon.stem(w.lower(), language) for w in theme.label.replace("·", " ").split()}
    assert lexicon.stem(LEARN_HEALTH[language]["learn"][0].split()[0].lower(), language) in stems


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_authors_language_counts_in_an_english_organisation(language: str) -> None:
    statements, truth = _statements(LEARN_HEALTH[language], language=language)
    _, members = themes.find_with_members(statements, 3, language="en-gb")
    assert len(_grouped(members, truth, "learn")) == 1


def test_read_in_english_the_german_forms_stay_apart() -> None:
    """Why the language matters: the English stemmer leaves "lernt" and "lernen" apart."""
    assert lexicon.stem("lernt") != lexicon.stem("lernen")
    assert themes.language_of("Jeder lernt hier", "de") == "de"
    assert themes.language_of("lernt viel") == "en"  # no hint, one German word: English


@pytest.mark.parametrize(
    ("text", "hint", "read"),
    [
        ("We help the patients get home sooner", "de", "en"),  # its words say English
        ("Wir helfen den Patienten", "en-gb", "de"),  # "wir", "den": two German words
        ("Den Patienten helfen", "fr", "fr"),  # one German word only: the hint
        ("Lernen", "es", "es"),
        ("Lernen", "", "en"),
        ("Lernen", "pt-br", "en"),  # a language ampwork does not read: English
        ("los niños y la casa", "fr", "es"),  # "los", "y", "la": Spanish over French "la"
        ("la casa de la familia", "es", "es"),  # as many French as Spanish words: the hint
        ("la casa de la familia", "fr", "fr"),
    ],
)
def test_which_language_a_statement_is_read_in(text: str, hint: str, read: str) -> None:
    assert themes.language_of(text, hint) == read


def test_french_elisions_are_read_as_the_word_after_them() -> None:
    assert themes._features("l'apprentissage d'abord", "fr") == themes._features(
        "apprentissage abord", "fr"
    )


def test_overlap_reads_the_purpose_in_its_language() -> None:
    statements, _ = _statements(LEARN_HEALTH["de"])
    found = themes.find(statements, 3, language="de")
    meeting = dict(
        (th.label, terms) for th, terms in themes.overlap("Wir lernen", found.themes, "de")
    )
    assert ["lernen"] in meeting.values()


# ---------------------------------------------------------------- authenticity


@pytest.mark.parametrize(
    ("text", "language", "warn", "money", "helped"),
    [
        ("Wir maximieren Umsatz und Gewinn für unsere Aktionäre.", "de", True, 3, 0),
        ("Wir wollen die beste Firma der Branche sein.", "de", True, 0, 0),
        ("Wir helfen kleinen Betrieben, damit ihre Familien planen können.", "de", False, 0, 1),
        ("Jede Patientin geht gesünder nach Hause; der Gewinn zahlt die nächste Station.",
         "de", False, 1, 1),
        ("Maximiser la valeur actionnariale et le chiffre d'affaires.", "fr", True, 2, 0),
        ("Être la meilleure entreprise du secteur.", "fr", True, 0, 0),
        ("Chaque élève trouve un métier qu'il aime, et nos bénéfices y aident.", "fr", False, 1, 1),
        ("Aumentar la cuota de mercado y los beneficios cada trimestre.", "es", True, 2, 0),
        ("Ser la mejor empresa del sector.", "es", True, 0, 0),
        ("Cada paciente sale más sano de lo que llegó.", "es", False, 0, 1),
    ],
)  # fmt: skip
def test_authenticity_per_language(
    text: str, language: str, warn: bool, money: int, helped: int
) -> None:
    advice = authenticity.check(text, language)
    assert advice.warn is warn, advice.reasons
    assert (len(advice.money), len(advice.helped)) == (money, helped), advice
    assert advice.reasons


def test_authenticity_names_the_words_as_written_in_the_language() -> None:
    advice = authenticity.check("Wir steigern den Umsatz und den Marktanteil.", "de")
    assert advice.money == ["marktanteil", "umsatz"]
    assert advice.helped == []
    assert "(marktanteil, umsatz)" in advice.reasons[0]
    verbs = authenticity.check("Nous soutenons et protégeons la plateforme.", "fr")
    assert (verbs.warn, verbs.helped) == (True, [])
    assert "(protégeons, soutenons)" in verbs.reasons[0]


def test_authenticity_words_are_whole_words_only() -> None:
    """A word inside a longer one does not count: "Gewinnspiel" is no profit, "Kinderei"
    no child; the English check still reads English lexicons only."""
    assert authenticity.check("Ein Gewinnspiel für die Kinderei.", "de").money == []
    assert authenticity.check("Ein Gewinnspiel für die Kinderei.", "de").helped == []
    # English words in a German organisation: read in English, as before
    english = authenticity.check("Grow revenue and market share for the shareholders.", "de")
    assert english.money == ["market share", "revenue", "shareholders"]


def test_a_text_in_another_language_than_the_organisations_is_read_in_its_own() -> None:
    # a Spanish purpose in a German organisation: "clientes" counts (Spanish lexicon)
    advice = authenticity.check("Ayudamos a los clientes a crecer.", "de")
    assert (advice.warn, advice.helped) == (False, ["clientes"])


# ---------------------------------------------------------------- from the database


@pytest.mark.django_db
@pytest.mark.parametrize("author_language", ["", "de"])
def test_the_organisations_themes_read_german_statements_in_german(
    org: Any, make_person: Any, actor_of: Any, author_language: str
) -> None:
    """The organisation's language (German), or the author's own choice (German) in an
    organisation that writes English: the "Lernen"/"lernt" statements are one theme."""
    from ampwork.core.models import Role
    from ampwork.purpose import selectors, services
    from ampwork.purpose.models import Statement

    org.default_language = "en-gb" if author_language else "de"
    org.anonymity_min_group = 3
    org.save()
    truth = {}
    for name, texts in LEARN_HEALTH["de"].items():
        for i, text in enumerate(texts):
            person = make_person(org, name=f"{name} {i}")
            person.language = author_language
            person.save(update_fields=["language"])
            services.write_statement(
                actor=actor_of(person), text=text, visibility=Statement.Visibility.THEMES
            )
            truth[person.pk] = name
    actor = actor_of(make_person(org, Role.ADMIN))
    found = selectors.organisation_themes(actor)
    assert sorted(t.authors for t in found.themes) == [5, 5]
    statements = selectors.theme_input(org.pk)
    assert {s.language for s in statements} == {author_language}
    _, members = themes.find_with_members(statements, 3, language=org.default_language)
    assert len(_grouped(members, truth, "learn")) == 1
