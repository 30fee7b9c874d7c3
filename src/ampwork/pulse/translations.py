"""The AMP Pulse in other languages: a versioned translation of the instrument per language.

Not gettext: a changed catalogue entry would silently change an item under the answers
already given. Each language's texts live here, keyed by wording and item code, with their
own version ("amp-pulse-1/de-1"); a response records the language it was answered in,
sealed (``Response.language_sealed``, services.seal_language: never in plain text), and
the translation version follows from it and the round's instrument
(:func:`translation_version`).

Wordings: ``company`` (``Item.text``), ``school`` (``Item.school``, the 11–14 wording) and
each age band of :data:`instrument.WORDINGS` ("8-11", "14-18"); ``enps`` and ``comment``
hold the 0–10 and comment questions per wording, ``scale`` the 1–5 agreement labels,
``subscale`` the subscales' names.
Every translation keeps the item's construct and keying: a reverse-keyed item stays
reverse-keyed (same code, same scoring), so answers in every language are scored together
— and compared with care: the translations are **translated, not yet validated**
(docs/methods.md, *Translations*) until an organisation's own data show α ≥
``scoring.ACCEPTABLE_ALPHA`` in that language.

Pure: no ORM, no Django.
"""

from __future__ import annotations

from . import instrument

SOURCE = "en"  # the language the instrument is written in
STATUS = "translated, not yet validated"

# wording -> item code (or "company"/"school"/band for enps) -> text, per language
Texts = dict[str, dict[str, str]]

_DE: Texts = {
    "company": {
        "task1": "Ich habe echten Einfluss darauf, welche Probleme ich angehe.",
        "task2": "Woran ich arbeite, wird meist für mich entschieden, ohne mich zu fragen.",
        "tech1": "Ich kann selbst wählen, wie ich bei meiner Arbeit vorgehe.",
        "tech2": "Mir wird genau vorgegeben, wie ich meine Arbeit Schritt für Schritt "
        "erledigen soll.",
        "time1": "Ich kann meine Arbeitszeit so einteilen, wie es mir passt.",
        "time2": "Meine Arbeitszeiten lassen mir keinen Spielraum, meinen Tag selbst zu gestalten.",
        "team1": "Ich kann mitbestimmen, mit wem ich zusammenarbeite.",
        "team2": "Ich kann mich an alle wenden, die ich brauche, um meine Arbeit zu erledigen.",
        "mast1": "Ich werde besser in Dingen, die bei meiner Arbeit wichtig sind.",
        "mast2": "Meine Arbeit fordert mich, ohne mich zu überfordern.",
        "mast3": "Bei meiner Arbeit lerne ich selten etwas Neues.",
        "purp1": "Ich verstehe, wie meine Arbeit den Menschen hilft, für die wir da sind.",
        "purp2": "Meine Arbeit fühlt sich für mich sinnvoll an.",
        "purp3": "Ich frage mich oft, wozu meine Arbeit gut ist.",
        "rel1": "Ich fühle mich als Teil eines Teams, das hinter mir steht.",
        "rel2": "Bei den Menschen, mit denen ich arbeite, kann ich ich selbst sein.",
        "fair1": "Ich werde im Vergleich zu anderen mit ähnlicher Arbeit fair bezahlt.",
        "fair2": "Ich mache mir Sorgen, dass meine Vergütung unfair ist.",
    },
    "school": {
        "task1": "Ich darf einige der Themen oder Projekte, an denen ich arbeite, selbst "
        "aussuchen.",
        "task2": "Die Lehrkräfte entscheiden über alles, woran ich arbeite, ohne mich zu fragen.",
        "tech1": "Ich kann selbst wählen, wie ich meine Aufgaben erledige.",
        "tech2": "Mir wird genau vorgegeben, wie ich meine Arbeit Schritt für Schritt machen soll.",
        "time1": "Ich kann im Unterricht selbst über Reihenfolge und Tempo meiner Arbeit "
        "entscheiden.",
        "time2": "Ich darf nie selbst planen, wann ich meine Arbeit mache.",
        "team1": "Ich kann mitbestimmen, mit wem ich bei Projekten zusammenarbeite.",
        "team2": "Ich kann andere Schüler:innen um Hilfe bitten, wenn ich sie brauche.",
        "mast1": "Ich werde in der Schule besser in Dingen, die mir wichtig sind.",
        "mast2": "Meine Schularbeit fordert mich, ist aber nicht zu schwer.",
        "mast3": "In der Schule lerne ich selten etwas Neues.",
        "purp1": "Ich verstehe, warum das, was wir lernen, wichtig ist.",
        "purp2": "Was ich in der Schule mache, fühlt sich für mich sinnvoll an.",
        "purp3": "Ich frage mich oft, wozu die Schule gut ist.",
        "rel1": "Ich fühle mich in meiner Klasse zugehörig.",
        "rel2": "Bei meinen Mitschüler:innen kann ich ich selbst sein.",
    },
    "8-11": {
        "task1": "Ich darf manches, woran ich arbeite, selbst aussuchen.",
        "task2": "Meine Lehrkraft sucht alles aus, woran ich arbeite, ohne mich zu fragen.",
        "tech1": "Ich kann selbst wählen, wie ich meine Arbeit mache.",
        "tech2": "Mir wird bei jedem Schritt genau gesagt, wie ich meine Arbeit machen soll.",
        "time1": "Ich kann im Unterricht wählen, was ich zuerst mache und wie schnell ich arbeite.",
        "time2": "Ich darf nie selbst wählen, wann ich meine Arbeit mache.",
        "team1": "Ich darf mitbestimmen, mit wem ich zusammenarbeite.",
        "team2": "Ich kann andere Kinder um Hilfe bitten, wenn ich sie brauche.",
        "mast1": "Ich werde in der Schule besser in Dingen, die mir am Herzen liegen.",
        "mast2": "Meine Aufgaben sind schwer genug, dass ich nachdenken muss, aber nicht zu "
        "schwer.",
        "mast3": "In der Schule lerne ich fast nie etwas Neues.",
        "purp1": "Ich weiß, warum die Sachen, die wir lernen, wichtig sind.",
        "purp2": "Was ich in der Schule mache, ist mir wichtig.",
        "purp3": "Ich frage mich oft, warum ich in die Schule gehen muss.",
        "rel1": "Ich habe das Gefühl, dass ich in meine Klasse gehöre.",
        "rel2": "Bei den anderen Kindern in meiner Klasse kann ich ich selbst sein.",
    },
    "14-18": {
        "task1": "Ich kann wirklich mitbestimmen, welche Themen oder Projekte ich übernehme.",
        "task2": "Was ich lerne, wird für mich entschieden, ohne dass nach meiner Meinung "
        "gefragt wird.",
        "tech1": "Ich kann selbst wählen, wie ich an meine Aufgaben herangehe.",
        "tech2": "Mir wird genau vorgegeben, wie ich meine Arbeit Schritt für Schritt machen soll.",
        "time1": "Ich kann planen, wann und in welcher Reihenfolge ich meine Arbeit erledige.",
        "time2": "Ich habe keinen Spielraum, meine Lernzeit selbst einzuteilen.",
        "team1": "Ich kann mitbestimmen, mit wem ich zusammenarbeite.",
        "team2": "Ich kann mich an alle wenden, die ich brauche, um meine Arbeit zu erledigen.",
        "mast1": "Ich werde bei meinem Lernen in Dingen besser, die mir wichtig sind.",
        "mast2": "Meine Aufgaben sind anspruchsvoll, aber machbar.",
        "mast3": "In der Schule lerne ich selten etwas Neues.",
        "purp1": "Ich verstehe, warum das, was ich lerne, auch außerhalb der Schule wichtig ist.",
        "purp2": "Die Arbeit, die ich in der Schule mache, fühlt sich für mich sinnvoll an.",
        "purp3": "Ich frage mich oft, wozu die Schule gut ist.",
        "rel1": "Ich fühle mich als Teil einer Klasse, die hinter mir steht.",
        "rel2": "Bei den Leuten in meiner Klasse kann ich ich selbst sein.",
    },
    "enps": {
        "company": "Wie wahrscheinlich ist es, dass du einer Freundin oder einem Freund "
        "empfehlen würdest, hier zu arbeiten? (0–10)",
        "school": "Wie wahrscheinlich ist es, dass du diese Schule einer Freundin oder einem "
        "Freund empfehlen würdest? (0–10)",
        "8-11": "Wie sehr würdest du einem Freund oder einer Freundin sagen, dass er oder sie "
        "auf diese Schule kommen soll? (0 = gar nicht, 10 = sehr)",
    },
    "comment": {"comment": "Möchtest du sonst noch etwas sagen? (optional)"},
    "scale": {
        "1": "Stimme überhaupt nicht zu",
        "2": "Stimme nicht zu",
        "3": "Weder noch",
        "4": "Stimme zu",
        "5": "Stimme voll und ganz zu",
    },
    "subscale": {
        "autonomy_task": "Autonomie: woran ich arbeite",
        "autonomy_technique": "Autonomie: wie ich arbeite",
        "autonomy_time": "Autonomie: wann ich arbeite",
        "autonomy_team": "Autonomie: mit wem ich arbeite",
        "mastery": "Meisterschaft",
        "purpose": "Sinn",
        "relatedness": "Verbundenheit",
        "fairness": "Faire Vergütung",
    },
}

_FR: Texts = {
    "company": {
        "task1": "J'ai vraiment mon mot à dire sur les problèmes que je prends en charge.",
        "task2": "Ce sur quoi je travaille est le plus souvent décidé pour moi, sans qu'on "
        "me demande mon avis.",
        "tech1": "Je peux choisir comment je m'y prends dans mon travail.",
        "tech2": "On me dit exactement comment faire mon travail, étape par étape.",
        "time1": "Je peux organiser le moment où je travaille selon ce qui me convient.",
        "time2": "Mes horaires de travail ne me laissent aucune marge pour organiser ma journée.",
        "team1": "J'ai mon mot à dire sur les personnes avec qui je travaille.",
        "team2": "Je peux solliciter toutes les personnes dont j'ai besoin pour mener à bien "
        "mon travail.",
        "mast1": "Je progresse dans ce qui compte dans mon travail.",
        "mast2": "Mon travail me pousse à me dépasser sans me submerger.",
        "mast3": "J'apprends rarement quelque chose de nouveau dans mon travail.",
        "purp1": "Je comprends en quoi mon travail aide les personnes que nous servons.",
        "purp2": "Le travail que je fais a du sens pour moi.",
        "purp3": "Je me demande souvent à quoi sert mon travail.",
        "rel1": "Je me sens membre d'une équipe qui me soutient.",
        "rel2": "Je peux être moi-même avec les personnes avec qui je travaille.",
        "fair1": "Je suis rémunéré·e équitablement par rapport à d'autres qui font un "
        "travail similaire.",
        "fair2": "Je crains que ma rémunération soit injuste.",
    },
    "school": {
        "task1": "Je peux choisir certains des sujets ou des projets sur lesquels je travaille.",
        "task2": "Les enseignant·es décident de tout ce sur quoi je travaille sans me demander.",
        "tech1": "Je peux choisir comment je fais mes travaux.",
        "tech2": "On me dit exactement comment faire mon travail, étape par étape.",
        "time1": "Je peux décider de l'ordre et du rythme de mon travail en classe.",
        "time2": "Je ne peux jamais planifier le moment où je fais mon travail.",
        "team1": "J'ai mon mot à dire sur les personnes avec qui je travaille sur les projets.",
        "team2": "Je peux demander de l'aide à d'autres élèves quand j'en ai besoin.",
        "mast1": "Je progresse à l'école dans ce qui compte pour moi.",
        "mast2": "Mon travail scolaire est stimulant, mais pas trop difficile.",
        "mast3": "J'apprends rarement quelque chose de nouveau à l'école.",
        "purp1": "Je comprends pourquoi ce que nous apprenons est important.",
        "purp2": "Ce que je fais à l'école a du sens pour moi.",
        "purp3": "Je me demande souvent à quoi sert l'école.",
        "rel1": "Je sens que j'ai ma place dans ma classe.",
        "rel2": "Je peux être moi-même avec mes camarades de classe.",
    },
    "8-11": {
        "task1": "Je peux choisir certaines des choses sur lesquelles je travaille.",
        "task2": "Mon enseignant·e choisit tout ce sur quoi je travaille sans me demander.",
        "tech1": "Je peux choisir comment je fais mon travail.",
        "tech2": "On me dit exactement comment faire chaque étape de mon travail.",
        "time1": "En classe, je peux choisir ce que je fais en premier et à quelle vitesse "
        "j'avance.",
        "time2": "Je ne peux jamais choisir quand je fais mon travail.",
        "team1": "J'ai mon mot à dire pour choisir avec qui je travaille.",
        "team2": "Je peux demander de l'aide à d'autres enfants quand j'en ai besoin.",
        "mast1": "Je progresse à l'école dans les choses qui me tiennent à cœur.",
        "mast2": "Mon travail est assez difficile pour me faire réfléchir, mais pas trop.",
        "mast3": "Je n'apprends presque jamais rien de nouveau à l'école.",
        "purp1": "Je sais pourquoi les choses que nous apprenons sont importantes.",
        "purp2": "Ce que je fais à l'école compte pour moi.",
        "purp3": "Je me demande souvent pourquoi je dois aller à l'école.",
        "rel1": "J'ai l'impression d'avoir ma place dans ma classe.",
        "rel2": "Je peux être moi-même avec les autres enfants de ma classe.",
    },
    "14-18": {
        "task1": "J'ai vraiment mon mot à dire sur les sujets ou les projets que je choisis.",
        "task2": "Ce que j'étudie est décidé pour moi sans qu'on me demande mon avis.",
        "tech1": "Je peux choisir ma propre façon d'aborder mes travaux.",
        "tech2": "On me dit exactement comment faire mon travail, étape par étape.",
        "time1": "Je peux planifier quand et dans quel ordre je fais mon travail.",
        "time2": "Je n'ai aucune marge pour organiser mon propre temps d'étude.",
        "team1": "J'ai mon mot à dire sur les personnes avec qui je travaille.",
        "team2": "Je peux solliciter toutes les personnes dont j'ai besoin pour mener à bien "
        "mon travail.",
        "mast1": "Je progresse dans mes études dans ce qui compte pour moi.",
        "mast2": "Mon travail est exigeant, mais faisable.",
        "mast3": "J'apprends rarement quelque chose de nouveau à l'école.",
        "purp1": "Je comprends pourquoi ce que j'apprends compte au-delà de l'école.",
        "purp2": "Le travail que je fais à l'école a du sens pour moi.",
        "purp3": "Je me demande souvent à quoi sert l'école.",
        "rel1": "Je me sens membre d'une classe qui me soutient.",
        "rel2": "Je peux être moi-même avec les personnes de ma classe.",
    },
    "enps": {
        "company": "Quelle est la probabilité que vous recommandiez à un·e ami·e de "
        "travailler ici ? (0–10)",
        "school": "Quelle est la probabilité que vous recommandiez cette école à un·e ami·e ? "
        "(0–10)",
        # the youngest read "tu", as French schools speak to children
        "8-11": "À quel point dirais-tu à un·e ami·e de venir dans cette école ? "
        "(0 = pas du tout, 10 = énormément)",
    },
    "comment": {"comment": "Souhaitez-vous ajouter quelque chose ? (facultatif)"},
    "scale": {
        "1": "Pas du tout d'accord",
        "2": "Pas d'accord",
        "3": "Ni d'accord ni pas d'accord",
        "4": "D'accord",
        "5": "Tout à fait d'accord",
    },
    "subscale": {
        "autonomy_task": "Autonomie : sur quoi je travaille",
        "autonomy_technique": "Autonomie : comment je travaille",
        "autonomy_time": "Autonomie : quand je travaille",
        "autonomy_team": "Autonomie : avec qui je travaille",
        "mastery": "Maîtrise",
        "purpose": "Finalité",
        "relatedness": "Appartenance",
        "fairness": "Rémunération équitable",
    },
}

_ES: Texts = {
    "company": {
        "task1": "Tengo voz real a la hora de decidir qué problemas abordo.",
        "task2": "En qué trabajo se decide casi siempre por mí, sin preguntarme.",
        "tech1": "Puedo elegir cómo llevo a cabo mi trabajo.",
        "tech2": "Me dicen exactamente cómo hacer mi trabajo, paso a paso.",
        "time1": "Puedo organizar cuándo hago mi trabajo según lo que me convenga.",
        "time2": "Mi horario de trabajo no me deja margen para organizar mi día.",
        "team1": "Tengo voz a la hora de decidir con quién trabajo.",
        "team2": "Puedo acudir a quien necesite para sacar adelante mi trabajo.",
        "mast1": "Estoy mejorando en las cosas que importan en mi trabajo.",
        "mast2": "Mi trabajo me exige sin llegar a desbordarme.",
        "mast3": "Rara vez aprendo algo nuevo en mi trabajo.",
        "purp1": "Entiendo cómo mi trabajo ayuda a las personas a las que servimos.",
        "purp2": "El trabajo que hago tiene sentido para mí.",
        "purp3": "A menudo me pregunto para qué sirve mi trabajo.",
        "rel1": "Me siento parte de un equipo que me respalda.",
        "rel2": "Puedo mostrarme tal como soy con las personas con las que trabajo.",
        "fair1": "Me pagan de forma justa en comparación con otras personas que hacen un "
        "trabajo similar.",
        "fair2": "Me preocupa que mi remuneración sea injusta.",
    },
    "school": {
        "task1": "Puedo elegir algunos de los temas o proyectos en los que trabajo.",
        "task2": "Los docentes deciden todo aquello en lo que trabajo sin preguntarme.",
        "tech1": "Puedo elegir cómo hago mis tareas.",
        "tech2": "Me dicen exactamente cómo hacer mi trabajo, paso a paso.",
        "time1": "Puedo decidir el orden y el ritmo de mi trabajo en clase.",
        "time2": "Nunca puedo planificar cuándo hago mi trabajo.",
        "team1": "Tengo voz a la hora de decidir con quién trabajo en los proyectos.",
        "team2": "Puedo pedir ayuda a otros estudiantes cuando la necesito.",
        "mast1": "Estoy mejorando en la escuela en cosas que me importan.",
        "mast2": "Mi trabajo escolar es un reto, pero no demasiado difícil.",
        "mast3": "Rara vez aprendo algo nuevo en la escuela.",
        "purp1": "Entiendo por qué importa lo que aprendemos.",
        "purp2": "Lo que hago en la escuela tiene sentido para mí.",
        "purp3": "A menudo me pregunto para qué sirve la escuela.",
        "rel1": "Siento que pertenezco a mi clase.",
        "rel2": "Puedo mostrarme tal como soy con mis compañeros y compañeras de clase.",
    },
    "8-11": {
        "task1": "Puedo elegir algunas de las cosas en las que trabajo.",
        "task2": "Mi docente elige todo lo que hago sin preguntarme.",
        "tech1": "Puedo elegir cómo hago mi trabajo.",
        "tech2": "Me dicen exactamente cómo hacer cada paso de mi trabajo.",
        "time1": "En clase puedo elegir qué hago primero y a qué velocidad voy.",
        "time2": "Nunca puedo elegir cuándo hago mi trabajo.",
        "team1": "Puedo opinar sobre con quién trabajo.",
        "team2": "Puedo pedir ayuda a otros niños y niñas cuando la necesito.",
        "mast1": "Estoy mejorando en la escuela en las cosas que me interesan.",
        "mast2": "Mi trabajo es lo bastante difícil para hacerme pensar, pero no demasiado.",
        "mast3": "Casi nunca aprendo algo nuevo en la escuela.",
        "purp1": "Sé por qué son importantes las cosas que aprendemos.",
        "purp2": "Lo que hago en la escuela me importa.",
        "purp3": "A menudo me pregunto por qué tengo que ir a la escuela.",
        "rel1": "Siento que formo parte de mi clase.",
        "rel2": "Puedo ser como soy con los otros niños y niñas de mi clase.",
    },
    "14-18": {
        "task1": "Tengo voz real a la hora de decidir qué temas o proyectos asumo.",
        "task2": "Lo que estudio se decide por mí sin que se me pida opinión.",
        "tech1": "Puedo elegir mi propia forma de abordar mis tareas.",
        "tech2": "Me dicen exactamente cómo hacer mi trabajo, paso a paso.",
        "time1": "Puedo planificar cuándo y en qué orden hago mi trabajo.",
        "time2": "No tengo margen para organizar mi propio tiempo de estudio.",
        "team1": "Tengo voz a la hora de decidir con quién trabajo.",
        "team2": "Puedo acudir a quien necesite para sacar adelante mi trabajo.",
        "mast1": "Estoy mejorando en mis estudios en cosas que me importan.",
        "mast2": "Mi trabajo es exigente, pero asumible.",
        "mast3": "Rara vez aprendo algo nuevo en la escuela.",
        "purp1": "Entiendo por qué lo que aprendo importa más allá de la escuela.",
        "purp2": "El trabajo que hago en la escuela tiene sentido para mí.",
        "purp3": "A menudo me pregunto para qué sirve la escuela.",
        "rel1": "Me siento parte de una clase que me respalda.",
        "rel2": "Puedo mostrarme tal como soy con la gente de mi clase.",
    },
    "enps": {
        "company": "¿Qué probabilidad hay de que recomiendes a un amigo o una amiga trabajar "
        "aquí? (0–10)",
        "school": "¿Qué probabilidad hay de que recomiendes esta escuela a un amigo o una "
        "amiga? (0–10)",
        "8-11": "¿Cuánto le dirías a un amigo o una amiga que venga a esta escuela? "
        "(0 = nada, 10 = muchísimo)",
    },
    "comment": {"comment": "¿Quieres decir algo más? (opcional)"},
    "scale": {
        "1": "Totalmente en desacuerdo",
        "2": "En desacuerdo",
        "3": "Ni de acuerdo ni en desacuerdo",
        "4": "De acuerdo",
        "5": "Totalmente de acuerdo",
    },
    "subscale": {
        "autonomy_task": "Autonomía: en qué trabajo",
        "autonomy_technique": "Autonomía: cómo trabajo",
        "autonomy_time": "Autonomía: cuándo trabajo",
        "autonomy_team": "Autonomía: con quién trabajo",
        "mastery": "Maestría",
        "purpose": "Propósito",
        "relatedness": "Relación con los demás",
        "fairness": "Remuneración justa",
    },
}


# instrument version -> language -> (translation version, texts)
TRANSLATIONS: dict[str, dict[str, tuple[str, Texts]]] = {
    "amp-pulse-1": {
        "de": ("amp-pulse-1/de-1", _DE),
        "fr": ("amp-pulse-1/fr-1", _FR),
        "es": ("amp-pulse-1/es-1", _ES),
    },
}

# the languages an instrument is offered in, the source first; their names as people read them
NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}


def languages(version: str = instrument.VERSION) -> tuple[str, ...]:
    """The languages the instrument ``version`` can be answered in, the source first."""
    return (SOURCE, *TRANSLATIONS.get(version, {}))


def language_of(code: str | None, version: str = instrument.VERSION) -> str:
    """The instrument language for a page's language ("de-at" → "de"; "en-gb", an unknown
    one or none → the source, "en")."""
    base = (code or "").split("-")[0].lower()
    return base if base in TRANSLATIONS.get(version, {}) else SOURCE


def stored(language: str) -> str:
    """A response's recorded language as results read it: "" (answered before languages
    were recorded, when every answer was in English) is the source."""
    return language or SOURCE


def translation_version(version: str, language: str) -> str:
    """What a response records as the text it was answered in: the translation's version
    ("amp-pulse-1/de-1"), or the instrument's own for the source (and for a language the
    version has no translation in: its answerers read the source)."""
    found = TRANSLATIONS.get(version, {}).get(language)
    return found[0] if found else version


def is_translation(version: str, language: str) -> bool:
    return language in TRANSLATIONS.get(version, {})


def wording_of(school: bool, band: str | None = None) -> str:
    """The wording a reader sees: the company's, the school's (11–14), or a band's."""
    if not school:
        return "company"
    return band if band in instrument.WORDINGS else "school"


def _source(wording: str, code: str) -> str:
    """The English text (the instrument itself)."""
    if wording == "subscale":
        return instrument.SUBSCALES.get(code, code)
    if wording == "comment":
        return instrument.COMMENT_QUESTION
    if wording == "scale":
        return instrument.SCALE.get(int(code), code) if code.isdigit() else code
    if wording == "enps":
        if code == "company":
            return instrument.ENPS_QUESTION
        return instrument.enps_text(True, None if code == "school" else code)
    item = next((i for i in instrument.ITEMS if i.code == code), None)
    if item is None:
        return code
    if wording == "company":
        return item.text
    band = None if wording == "school" else wording
    return instrument.text_of(item, True, band)


def text(version: str, language: str, wording: str, code: str) -> str:
    """The text of ``code`` (an item's code; for ``wording="enps"`` the reader's wording;
    for ``"comment"`` "comment"; for ``"subscale"`` a subscale's code) in ``language``,
    for the instrument ``version``: the translation's, else — only when a translation is
    missing — the English source."""
    found = TRANSLATIONS.get(version, {}).get(language)
    if found is not None:
        texts = found[1]
        if code in texts.get(wording, {}):
            return texts[wording][code]
        if wording == "enps" and code not in texts["enps"]:  # a band without its own 0–10
            return texts["enps"].get("school", _source(wording, code))
    return _source(wording, code)


def item_text(
    version: str, language: str, item: instrument.Item, school: bool, band: str | None = None
) -> str:
    """An item's words for its reader: the AMP items in ``language`` (own questions keep
    their author's words, as ``instrument.text_of``)."""
    if item.subscale == "own":
        return item.text
    if school and not item.school:
        return item.text
    return text(version, language, wording_of(school, band), item.code)


def enps_text(version: str, language: str, school: bool, band: str | None = None) -> str:
    if not school:
        return text(version, language, "enps", "company")
    return text(version, language, "enps", band if band in instrument.ENPS_BANDS else "school")


def comment_text(version: str, language: str) -> str:
    return text(version, language, "comment", "comment")


def scale(version: str, language: str) -> list[tuple[int, str]]:
    """The 1–5 agreement scale's labels in ``language``."""
    return [(value, text(version, language, "scale", str(value))) for value in instrument.SCALE]


def subscale_name(version: str, language: str, code: str) -> str:
    return text(version, language, "subscale", code)


def missing(version: str, language: str) -> list[tuple[str, str]]:
    """(wording, code) pairs the translation lacks (none for de, fr, es: tested)."""
    found = TRANSLATIONS.get(version, {}).get(language)
    texts = found[1] if found else {}
    out: list[tuple[str, str]] = []
    for item in instrument.ITEMS:
        wordings = ["company"] if item.company_only else ["company", "school", *instrument.WORDINGS]
        out.extend((w, item.code) for w in wordings if item.code not in texts.get(w, {}))
    for code in ("company", "school", *instrument.ENPS_BANDS):
        if code not in texts.get("enps", {}):
            out.append(("enps", code))
    if "comment" not in texts.get("comment", {}):
        out.append(("comment", "comment"))
    out.extend(("subscale", c) for c in instrument.SUBSCALES if c not in texts.get("subscale", {}))
    out.extend(("scale", str(v)) for v in instrument.SCALE if str(v) not in texts.get("scale", {}))
    return out


def every_wording(item: instrument.Item, version: str = instrument.VERSION) -> tuple[str, ...]:
    """Every text a school's student may read of an item, in every language and band (for
    a consent gate that reads the words students see: classroom's topics)."""
    texts = [
        item_text(version, language, item, True, band)
        for language in languages(version)
        for band in (None, *instrument.BANDS)
    ]
    return tuple(dict.fromkeys(texts))


def every_closing_wording(version: str = instrument.VERSION) -> tuple[str, ...]:
    """Every wording of the 0–10 and comment questions a school's student may read."""
    texts = [
        text
        for language in languages(version)
        for text in (
            *(enps_text(version, language, True, band) for band in (None, *instrument.BANDS)),
            comment_text(version, language),
        )
    ]
    return tuple(dict.fromkeys(texts))
