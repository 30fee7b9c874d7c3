"""Words per language for reading purpose statements: stems, stop words, filler. Pure.

ampwork reads statements in English, German, French and Spanish (the languages it speaks).
Each statement is read in its own language (:func:`language_for`): the one its words show
when they show one clearly (two stop words or more of one language, more than of any
other), else the language of its author, else the organisation's.

- **Stems**: the Snowball stemmers (Porter 2 for English; the German, French and Spanish
  Snowball algorithms, M. Porter, snowballstem.org; the ``snowballstemmer`` package, BSD),
  then, for German and French only, one light fold of a verb ending Snowball leaves
  (:data:`FOLDS`): German "lernt" → "lern" as "lernen"; French "apprendre" → "appren"
  as "apprenons". English is the Porter 2 stem unchanged.
- **Stop words**: English from scikit-learn (``ENGLISH_STOP_WORDS``, as before); German,
  French and Spanish: the function words (articles, pronouns, prepositions, conjunctions,
  forms of "be" and "have") of the Snowball project's stop word lists
  (snowballstem.org/algorithms/{german,french,spanish}/stop.txt, BSD licence) — a subset
  chosen here, not the files themselves.
- **Filler**: ampwork's own list per language of the generic verbs and words people put
  around what they mean ("want", "wollen", "vouloir", "querer"...), as in English.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

ENGLISH, GERMAN, FRENCH, SPANISH = "en", "de", "fr", "es"
LANGUAGES = (ENGLISH, GERMAN, FRENCH, SPANISH)
SNOWBALL = {ENGLISH: "english", GERMAN: "german", FRENCH: "french", SPANISH: "spanish"}


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


def code(language: str | None) -> str | None:
    """ "de-AT", "en-gb", "fr" → "de", "en", "fr"; None for a language not read here."""
    if not language:
        return None
    base = language.lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else None


# ---------------------------------------------------------------- English (as before)

# Fragments left when contractions lose their apostrophe, and the generic verbs and fillers
# people put around what they mean. Compared by stem too, so "wants" and "wanting" go.
CONTRACTIONS = _wordlist(
    """
    ain aren couldn didn doesn don hadn hasn haven isn mustn needn shan shouldn wasn weren
    won wouldn dont didnt doesnt isnt wasnt arent werent havent hasnt hadnt couldnt wouldnt
    shouldnt wont cant im ive youre theyre weve thats whats lets ll ve
    """
)
ENGLISH_FILLER = _wordlist(
    """
    get gets got getting gotten want wants wanted wanting matter matters mattered feel feels
    felt feeling like likes liked make makes made making know knows knew think thinks
    thought really thing things stuff lot lots just actually basically honestly simply
    truly literally pretty quite maybe probably day days week weeks single every way ways
    kind sort bit able need needs try tries trying come comes came going goes went let lets
    say says said mean means use used using stay stays keep keeps kept yes okay ok sure also
    important doing does did good better best great new real little big bad nice whole
    """
)

# ---------------------------------------------------------------- German

GERMAN_STOP = _wordlist(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anders auch auf aus bei bin bis bist da damit dann das dass
    dasselbe dazu daß dein deine deinem deinen deiner deines dem demselben den denn
    denselben der derer derselbe derselben des desselben dessen dich die dies diese
    dieselbe dieselben diesem diesen dieser dieses dir doch dort du durch ein eine einem
    einen einer eines einig einige einigem einigen einiger einiges einmal er es etwas euch
    euer eure eurem euren eurer eures für gegen gewesen hab habe haben hat hatte hatten
    hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist
    jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem
    keinen keiner keines können könnte machen man manche manchem manchen mancher manches
    mein meine meinem meinen meiner meines mich mir mit muss musste nach nicht nichts noch
    nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie sind
    so solche solchem solchen solcher solches soll sollte sondern sonst um und uns unser
    unsere unserem unseren unserer unseres unter viel vom von vor war waren warst was weg
    weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will
    wir wird wirst wo wollen wollte während würde würden zu zum zur zwar zwischen über
    """
)
GERMAN_FILLER = _wordlist(
    """
    bekomme bekommen bekommt möchte möchten mag mögen macht mache gemacht tun tue tut
    finde finden findet gut gute guten besser beste besten groß große großen wirklich
    einfach eigentlich ehrlich tag tage tagen woche wochen ding dinge sache sachen mal
    immer ganz halt eben ja okay ok gehen geht ging kommen kommt kam sagen sagt sagte
    wichtig wichtige neu neue neuen mehr gibt geben gerne gern
    """
)

# ---------------------------------------------------------------- French

FRENCH_STOP = _wordlist(
    """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma
    mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses
    son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s t y été étant suis
    es est sommes êtes sont serai sera serons seront serait étais était étions étaient fut
    soit soient ayant eu ai as avons avez ont aurai aura aurons auront aurait avais avait
    avions avaient ceci cela cet cette ici quel quels quelle quelles sans soi
    """
)
FRENCH_FILLER = _wordlist(
    """
    avoir faire fais fait faisons font vouloir veux veut voulons veulent aime aimer aimons
    bien mieux bon bonne bons meilleur meilleure vraiment chose choses truc jour jours
    semaine semaines chaque tout tous toute toutes très plus aussi comme si donc car alors
    aller va vais allons vont venir viens vient dire dit important importante nouveau
    nouvelle grand grande petit petite juste peu beaucoup oui
    """
)
# "l'apprentissage", "d'aider", "qu'on": the word is after the apostrophe
FRENCH_ELISIONS = _wordlist("c d j l m n qu s t jusqu lorsqu puisqu quoiqu")

# ---------------------------------------------------------------- Spanish

SPANISH_STOP = _wordlist(
    """
    de la que el en y a los del se las por un para con no una su al lo como más pero sus
    le ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde
    quien desde todo nos durante todos uno les ni contra otros ese eso ante ellos e esto
    mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada
    muchos cual poco ella estar estas algunas algo nosotros nosotras mi mis tú te ti tu
    tus ellas vosotros vosotras os mío mía míos mías tuyo tuya suyo suya nuestro nuestra
    nuestros nuestras vuestro vuestra esos esas estoy estás está estamos están esté
    estaba estaban he has ha hemos han haya había habían soy eres es somos son sea sean
    será serán sería era eran fui fue fueron siendo sido tengo tienes tiene tenemos tienen
    tenga tenía tuve tuvo teniendo tenido
    """
)
SPANISH_FILLER = _wordlist(
    """
    querer quiero quieres quiere queremos hacer hago haces hace hacemos hacen bueno buena
    buenos mejor mejores cosa cosas día días semana semanas cada siempre realmente
    importante nuevo nueva gran grande ir voy va vamos van venir decir dice así solo sólo
    bien
    """
)

STOP: dict[str, frozenset[str]] = {
    ENGLISH: frozenset(ENGLISH_STOP_WORDS) | CONTRACTIONS | ENGLISH_FILLER,
    GERMAN: GERMAN_STOP | GERMAN_FILLER,
    FRENCH: FRENCH_STOP | FRENCH_FILLER | FRENCH_ELISIONS,
    SPANISH: SPANISH_STOP | SPANISH_FILLER,
}
FILLER: dict[str, frozenset[str]] = {
    ENGLISH: ENGLISH_FILLER | CONTRACTIONS,
    GERMAN: GERMAN_FILLER,
    FRENCH: FRENCH_FILLER,
    SPANISH: SPANISH_FILLER,
}
# the function words alone: what tells a statement's language
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    ENGLISH: frozenset(ENGLISH_STOP_WORDS),
    GERMAN: GERMAN_STOP,
    FRENCH: FRENCH_STOP - FRENCH_ELISIONS,
    SPANISH: SPANISH_STOP,
}

# After Snowball: one verb ending it leaves, folded (the longest that fits, once), when at
# least FOLD_KEEP letters stay: German "lernt" (Snowball keeps 3rd person -t) meets
# "lernen"; French "apprendr" (apprendre), "apprend" and "apprenon" (apprenons) meet.
FOLDS: dict[str, tuple[str, ...]] = {GERMAN: ("t",), FRENCH: ("dr", "on", "r", "d")}
FOLD_KEEP = {GERMAN: 4, FRENCH: 3}


@lru_cache(maxsize=len(LANGUAGES))
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(SNOWBALL[language])


@lru_cache(maxsize=100_000)
def stem(word: str, language: str = ENGLISH) -> str:
    """The stem of a lower-cased word in ``language`` (one of LANGUAGES)."""
    found = str(_stemmer(language).stemWord(word))
    for ending in FOLDS.get(language, ()):
        if found.endswith(ending) and len(found) - len(ending) >= FOLD_KEEP[language]:
            return found[: -len(ending)]
    return found


FILLER_STEMS: dict[str, frozenset[str]] = {
    language: frozenset(stem(w, language) for w in words) for language, words in FILLER.items()
}


def guess(words: list[str]) -> str | None:
    """The language these lower-cased words are clearly in: the one with the most function
    words, at least two, and more than any other; None when unclear."""
    counts = sorted(
        ((sum(w in FUNCTION_WORDS[lang] for w in words), lang) for lang in LANGUAGES),
        reverse=True,
    )
    (best, language), (second, _) = counts[0], counts[1]
    return language if best >= 2 and best > second else None


def language_for(words: list[str], *hints: str | None) -> str:
    """The language to read a statement in: the one its words show clearly, else the
    first hint ampwork reads (the author's language, the organisation's), else English."""
    found = guess(words)
    if found is not None:
        return found
    for hint in hints:
        known = code(hint)
        if known is not None:
            return known
    return ENGLISH
