"""The authenticity check of a purpose statement: a transparent rule set. Pure.

A purpose that speaks only of money for owners — shareholder value, revenue, profit,
market share — and of nobody the work helps is the "manufactured purpose" the framework
warns about: worse than none. The check advises; it never blocks publishing.

The rules (docs/methods.md lists the lexicons):
1. money for owners named, and nobody helped named → warn ("only money for owners");
2. nobody helped named at all → warn, more gently ("says who it is for?");
3. otherwise no warning; the reasons say which words were found either way.

Each statement is read in its language (``lexicon.language_for``: the one its words show
clearly, else the organisation's) against that language's lexicons: English, German,
French and Spanish, each listing the forms it matches (singular, plural, feminine), as a
whole word or phrase, case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ampwork.core.words import gettext

from . import lexicon

MONEY = (
    "shareholder value",
    "shareholder",
    "shareholders",
    "stockholder",
    "revenue",
    "revenues",
    "profit",
    "profits",
    "profitability",
    "market share",
    "earnings",
    "ebitda",
    "margin",
    "margins",
    "valuation",
    "returns",
    "return on investment",
    "roi",
    "dividend",
    "dividends",
    "stock price",
    "share price",
    "growth targets",
    "top line",
    "bottom line",
    "monetise",
    "monetize",
    "market leader",
    "market leadership",
    "dominate the market",
)
HELPED = (
    "customer",
    "customers",
    "client",
    "clients",
    "patient",
    "patients",
    "student",
    "students",
    "pupil",
    "pupils",
    "learner",
    "learners",
    "child",
    "children",
    "kid",
    "kids",
    "family",
    "families",
    "parent",
    "parents",
    "teacher",
    "teachers",
    "people",
    "person",
    "community",
    "communities",
    "neighbour",
    "neighbours",
    "neighbor",
    "neighbors",
    "user",
    "users",
    "member",
    "members",
    "citizen",
    "citizens",
    "farmer",
    "farmers",
    "nurse",
    "nurses",
    "doctor",
    "doctors",
    "small business",
    "small businesses",
    "worker",
    "workers",
    "colleague",
    "colleagues",
    "everyone",
    "anyone",
    "readers",
    "listeners",
    "visitors",
    "residents",
    "society",
    "the planet",
    "the world",
    "humanity",
    "future generations",
)
HELPING_VERBS = (
    "help",
    "helps",
    "helping",
    "serve",
    "serves",
    "serving",
    "care for",
    "cares for",
    "support",
    "supports",
    "protect",
    "protects",
    "teach",
    "teaches",
    "heal",
    "heals",
    "feed",
    "feeds",
    "empower",
    "empowers",
)


def _forms(text: str) -> tuple[str, ...]:
    """One entry a line: a word or a phrase."""
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


GERMAN_MONEY = _forms(
    """
    shareholder value
    aktionärswert
    aktionär
    aktionäre
    aktionären
    aktionärinnen
    anteilseigner
    umsatz
    umsätze
    umsatzwachstum
    gewinn
    gewinne
    gewinnmaximierung
    profit
    profite
    profitabilität
    rentabilität
    marktanteil
    marktanteile
    rendite
    renditen
    dividende
    dividenden
    ebitda
    marge
    margen
    aktienkurs
    börsenwert
    unternehmenswert
    wachstumsziele
    marktführer
    marktführerschaft
    den markt dominieren
    monetarisieren
    """
)
GERMAN_HELPED = _forms(
    """
    kunde
    kunden
    kundin
    kundinnen
    klient
    klienten
    klientinnen
    patient
    patienten
    patientin
    patientinnen
    schüler
    schülerin
    schülerinnen
    lernende
    lernenden
    kind
    kinder
    kindern
    familie
    familien
    eltern
    lehrer
    lehrerin
    lehrerinnen
    lehrkraft
    lehrkräfte
    menschen
    mensch
    person
    personen
    gemeinschaft
    gemeinde
    nachbarn
    nachbarschaft
    nutzer
    nutzerin
    nutzerinnen
    nutzende
    nutzenden
    mitglied
    mitglieder
    mitgliedern
    bürger
    bürgerin
    bürgerinnen
    landwirte
    pflegekräfte
    ärzte
    ärztinnen
    kleine unternehmen
    mitarbeitende
    mitarbeitenden
    mitarbeiter
    mitarbeiterinnen
    kollegen
    kolleginnen
    für alle
    jeden menschen
    leser
    zuhörer
    besucher
    bewohner
    gesellschaft
    den planeten
    die welt
    der welt
    menschheit
    künftige generationen
    """
)
GERMAN_HELPING_VERBS = _forms(
    """
    helfen
    hilft
    unterstützen
    unterstützt
    dienen
    dient
    schützen
    schützt
    lehren
    lehrt
    heilen
    heilt
    ernähren
    ernährt
    befähigen
    befähigt
    pflegen
    pflegt
    """
)
FRENCH_MONEY = _forms(
    """
    valeur actionnariale
    valeur pour l'actionnaire
    actionnaire
    actionnaires
    chiffre d'affaires
    revenus
    bénéfice
    bénéfices
    profit
    profits
    rentabilité
    part de marché
    parts de marché
    rendement
    rendements
    dividende
    dividendes
    ebitda
    marge
    marges
    valorisation
    cours de l'action
    cours de bourse
    objectifs de croissance
    leader du marché
    dominer le marché
    monétiser
    """
)
FRENCH_HELPED = _forms(
    """
    client
    clients
    cliente
    clientes
    patient
    patients
    patiente
    patientes
    élève
    élèves
    étudiant
    étudiants
    étudiante
    étudiantes
    apprenant
    apprenants
    enfant
    enfants
    famille
    familles
    parents
    enseignant
    enseignants
    enseignante
    enseignantes
    professeur
    professeurs
    gens
    personne
    personnes
    communauté
    communautés
    voisins
    utilisateur
    utilisateurs
    utilisatrices
    membre
    membres
    citoyen
    citoyens
    citoyennes
    agriculteurs
    infirmières
    infirmiers
    médecins
    petites entreprises
    salariés
    collaborateurs
    collègue
    collègues
    tout le monde
    chacun
    lecteurs
    visiteurs
    habitants
    société
    la planète
    le monde
    humanité
    générations futures
    """
)
FRENCH_HELPING_VERBS = _forms(
    """
    aider
    aide
    aidons
    servir
    sert
    servons
    soigner
    soigne
    soutenir
    soutient
    soutenons
    protéger
    protège
    protégeons
    enseigner
    enseigne
    guérir
    nourrir
    nourrit
    """
)
SPANISH_MONEY = _forms(
    """
    valor para el accionista
    accionista
    accionistas
    ingresos
    facturación
    beneficio
    beneficios
    ganancia
    ganancias
    rentabilidad
    cuota de mercado
    rendimiento
    dividendo
    dividendos
    ebitda
    margen
    márgenes
    valoración
    precio de la acción
    objetivos de crecimiento
    líder del mercado
    dominar el mercado
    monetizar
    """
)
SPANISH_HELPED = _forms(
    """
    cliente
    clientes
    paciente
    pacientes
    estudiante
    estudiantes
    alumno
    alumnos
    alumna
    alumnas
    niño
    niños
    niña
    niñas
    familia
    familias
    padres
    docente
    docentes
    profesor
    profesores
    profesora
    profesoras
    gente
    persona
    personas
    comunidad
    comunidades
    vecinos
    usuario
    usuarios
    usuarias
    miembro
    miembros
    ciudadanos
    ciudadanía
    agricultores
    enfermeras
    enfermeros
    médicos
    pequeñas empresas
    trabajadores
    colegas
    compañeros
    para todos
    todo el mundo
    lectores
    visitantes
    residentes
    sociedad
    el planeta
    el mundo
    humanidad
    futuras generaciones
    """
)
SPANISH_HELPING_VERBS = _forms(
    """
    ayudar
    ayuda
    ayudamos
    servir
    sirve
    servimos
    cuidar
    cuida
    cuidamos
    apoyar
    apoya
    apoyamos
    proteger
    protege
    protegemos
    enseñar
    enseña
    enseñamos
    curar
    alimentar
    """
)

# language → (money, helped, helping verbs)
LEXICONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    lexicon.ENGLISH: (MONEY, HELPED, HELPING_VERBS),
    lexicon.GERMAN: (GERMAN_MONEY, GERMAN_HELPED, GERMAN_HELPING_VERBS),
    lexicon.FRENCH: (FRENCH_MONEY, FRENCH_HELPED, FRENCH_HELPING_VERBS),
    lexicon.SPANISH: (SPANISH_MONEY, SPANISH_HELPED, SPANISH_HELPING_VERBS),
}


@dataclass(frozen=True)
class Advice:
    warn: bool
    reasons: list[str]
    money: list[str]
    helped: list[str]


_WORD = re.compile(r"[^\W\d_]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    lowered = text.translate(_APOSTROPHES).lower()
    return sorted({w for w in words if re.search(rf"\b{re.escape(w)}\b", lowered)})


def language_of(text: str, language: str = "") -> str:
    """The language ``text`` is read in: the one its words show clearly, else ``language``
    (the organisation's), else English."""
    return lexicon.language_for(_WORD.findall(text.lower()), language)


def check(text: str, language: str = "") -> Advice:
    """``language``: the organisation's, for a text whose words say none clearly."""
    money_words, helped_words, verb_words = LEXICONS[language_of(text, language)]
    money = _found(text, money_words)
    helped = _found(text, helped_words)
    verbs = _found(text, verb_words)
    if money and not helped:
        return Advice(
            True,
            [
                gettext(
                    "it speaks of money for owners (%(money)s) and of nobody the work "
                    "helps: a purpose people feel names who is better off because of the work"
                )
                % {"money": ", ".join(money)}
            ],
            money,
            helped,
        )
    if not helped:
        if verbs:
            reason = gettext(
                "it names nobody the work helps: who is better off because of it? It says "
                "what the work does (%(verbs)s) but not for whom."
            ) % {"verbs": ", ".join(verbs)}
        else:
            reason = gettext("it names nobody the work helps: who is better off because of it?")
        return Advice(
            True,
            [reason],
            money,
            helped,
        )
    reasons = [gettext("names who the work is for (%(helped)s)") % {"helped": ", ".join(helped)}]
    if money:
        reasons.append(
            gettext("mentions money (%(money)s) beside the people it helps — fine")
            % {"money": ", ".join(money)}
        )
    return Advice(False, reasons, money, helped)
