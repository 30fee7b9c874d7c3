"""The common themes of people's purpose statements, found locally. Pure: no ORM, no
network, deterministic, and the same whatever order the statements come in.

1. **One statement per author** (if an author has several, the last by text), and the
   statements put in a canonical order (by text, then author): nothing below can depend on
   the order they came in. Near-equal weights are rounded so ties are broken by content.
2. **Words**, each statement in its own language (``lexicon``: English, German, French or
   Spanish — the one its words show clearly, else its author's, else the organisation's):
   lower-cased; stop words (English: scikit-learn's; German, French, Spanish: from the
   Snowball project's lists), contractions ("didn't", "I'm" and their fragments "didn",
   "don"; French elisions "l'", "d'", "qu'") and generic filler ("gets", "want",
   "matters", "feel", "like", "make", "really", "things", "good", "better"...; "wollen",
   "vouloir", "querer"...) dropped; the rest reduced to Snowball stems (Porter 2 for
   English), so "business"/"businesses", "learn"/"learning", "Lernen"/"lernt",
   "apprendre"/"apprenons" and "aprender"/"aprendemos" are one.
3. **TF-IDF** over stems and adjacent stem pairs used by at least two people (sublinear
   term frequency, rows of unit length). Statements reduced to exactly the same words count
   once in finding the themes and are then assigned alike; statements sharing no word with
   anyone are in no theme (`unthemed`).
4. **Short texts share few words**, so each statement is extended with the words its words
   co-occur with across all statements, one and two steps away on the co-occurrence graph
   (each word keeps its 20 strongest partners) — the generalised vector space model's idea
   (Wong, Ziarko & Wong 1985). "Colleagues" and "team" then meet through the people who
   wrote both.
5. **Non-negative matrix factorisation** (Lee & Seung 1999; NNDSVDa start, Boutsidis &
   Gallopoulos 2008: no random start). Each author belongs to the one theme that weighs
   most in their statement; a theme's share is its share of all authors.
6. **How many themes: prediction strength** (Tibshirani & Walther 2005), a resampling
   stability criterion (in the family of Lange, Roth, Braun & Buhmann 2004; for NMF topics
   Greene, O'Callaghan & Cunningham 2014). For each candidate k, the distinct statements
   are factorised whole and in 40 seeded 80 % subsamples; for each subsample, each theme it
   finds is checked against the whole fit — the share of its pairs of authors the whole fit
   also puts together — and its weakest theme counts (a theme of one author counts 0). The
   chosen k is the largest whose mean strength less one standard error is at least 0.8.
   Splitting a real theme in two, or merging two, is not reproduced by the subsamples, so
   the count does not climb to its cap (2 to 8, and one theme per three statements at
   most). It is chosen on a seeded sample of at most 300 distinct statements: 10,000
   statements cost about what 300 do. No reproducible split: one theme.
7. **Labels are phrases people wrote**: runs of one to three words, starting and ending on a
   content word with no filler inside ("paid on time", "colleagues I trust"), used by at
   least two of the theme's authors; ranked by the share of the theme using them times the
   share of their users in the theme, a phrase counting half as much again per extra word;
   the best two sharing no word make the label, each in the form most people wrote it.
8. Up to three **quotes** per theme, the statements weighing most in it, one per distinct
   statement, only from authors who allowed quoting. Nothing is computed below the
   organisation's minimum number of authors.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from ampwork.core.words import gettext

from . import lexicon

MAX_THEMES = 8
PER_THEME = 3  # candidates stop at one theme per three statements
SELECTION_SAMPLE = 300  # distinct statements the number of themes is chosen on, at most
RESAMPLES = 40
RESAMPLE_SHARE = 0.8
STRONG = 0.8  # prediction strength a number of themes needs (Tibshirani & Walther: 0.8-0.9)
VOCABULARY = 2000  # the most used words and pairs, at most
NEIGHBOURS = 20  # co-occurring partners kept per word
EXPANSION = 2.0
PHRASE_BONUS = 0.5
SEED = 0
DIGITS = 9  # weights are compared to this many decimals


CONTRACTIONS = lexicon.CONTRACTIONS
FILLER = lexicon.ENGLISH_FILLER
STOP = lexicon.STOP[lexicon.ENGLISH]  # English's; each language's: lexicon.STOP
_ANY_STOP = frozenset().union(*lexicon.STOP.values())

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # letters of any alphabet
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”‘’/\\|—–]+|\s-+\s|\n")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


@dataclass(frozen=True)
class Statement:
    author: int
    text: str
    quotable: bool = False
    language: str = ""  # the author's language, if known ("de", "fr-ca"); else ""


@dataclass
class Theme:
    label: str
    terms: list[str]
    share: float  # of authors
    authors: int
    quotes: list[str] = field(default_factory=list)


@dataclass
class Themes:
    themes: list[Theme]
    authors: int
    suppressed: str | None = None  # why there are no themes
    # authors whose statement shares no word with anyone else's: in no theme
    unthemed: int = 0


Doc = tuple[str, str]  # (language, text)


@lru_cache(maxsize=50_000)
def _content(word: str, language: str = lexicon.ENGLISH) -> str | None:
    """The stem of a content word; None for stop words, filler and contraction pieces."""
    if len(word) < 2 or word in lexicon.STOP[language]:
        return None
    stem = lexicon.stem(word, language)
    return None if stem in lexicon.FILLER_STEMS[language] else stem


@lru_cache(maxsize=20_000)  # each statement is read three times: words, phrases, forms
def _clauses(text: str, language: str = lexicon.ENGLISH) -> tuple[tuple[str, ...], ...]:
    """Lower-cased words, clause by clause; English contractions ("didn't", "I'm") dropped
    whole, possessives reduced ("customers'", "owner's"); French elisions ("l'école",
    "qu'on") read as the word after the apostrophe."""
    out = []
    for clause in _CLAUSE.split(text.translate(_APOSTROPHES).lower()):
        words = []
        for token in _WORD.findall(clause):
            head, _, tail = token.partition("'")
            if language == lexicon.FRENCH and tail and head in lexicon.FRENCH_ELISIONS:
                words.append(tail)
                continue
            if language == lexicon.ENGLISH and tail and tail != "s":  # n't, 'm, 're, 'd
                continue
            words.append(head)
        if words:
            out.append(tuple(words))
    return tuple(out)


@lru_cache(maxsize=20_000)
def language_of(text: str, *hints: str) -> str:
    """The language a statement is read in (``lexicon.language_for``): the one its words
    show clearly, else the first of ``hints`` ampwork reads (author's, organisation's)."""
    words = [w for clause in _clauses(text, "") for w in clause]
    return lexicon.language_for(words, *hints)


def _features_of(doc: Doc) -> list[str]:
    return _features(doc[1], doc[0])


def _features(text: str, language: str = lexicon.ENGLISH) -> list[str]:
    """Content stems and adjacent pairs of them (within a clause)."""
    out = []
    for words in _clauses(text, language):
        stems = [s for s in (_content(w, language) for w in words) if s is not None]
        out.extend(stems)
        out.extend(f"{a} {b}" for a, b in pairwise(stems))
    return out


def _phrases(text: str, language: str = lexicon.ENGLISH) -> dict[tuple[str, ...], str]:
    """Candidate labels in a statement: runs of one to three words that start and end on a
    content word with no filler inside, keyed by their stems, with the words as written."""
    found: dict[tuple[str, ...], str] = {}
    filler = lexicon.FILLER[language]
    for words in _clauses(text, language):
        stems = [_content(w, language) for w in words]
        for i, first in enumerate(stems):
            if first is None:
                continue
            for j in range(i, min(i + 3, len(words))):
                last = stems[j]
                inner = words[i + 1 : j]
                if any(w in filler for w in inner):
                    break
                if last is None:
                    continue
                key = tuple(
                    s if s is not None else w
                    for s, w in zip(stems[i : j + 1], words[i : j + 1], strict=True)
                )
                found.setdefault(key, " ".join("I" if w == "i" else w for w in words[i : j + 1]))
    return found


def find(
    statements: Sequence[Statement],
    minimum: int,
    *,
    max_themes: int = MAX_THEMES,
    terms_per_theme: int = 6,
    language: str = "",
) -> Themes:
    """``language``: the organisation's, for statements whose words and author say none."""
    return find_with_members(
        statements,
        minimum,
        max_themes=max_themes,
        terms_per_theme=terms_per_theme,
        language=language,
    )[0]


def find_with_members(
    statements: Sequence[Statement],
    minimum: int,
    *,
    max_themes: int = MAX_THEMES,
    terms_per_theme: int = 6,
    language: str = "",
) -> tuple[Themes, dict[int, int]]:
    """The themes, and which theme (its index in the result) each author belongs to — for
    tests and checks only: never show who is in which theme."""
    # the matrices are small: BLAS threads only fight each other (and other requests) here
    with threadpool_limits(limits=1):
        return _find(
            statements,
            minimum,
            max_themes=max_themes,
            terms_per_theme=terms_per_theme,
            language=language,
        )


def _find(
    statements: Sequence[Statement],
    minimum: int,
    *,
    max_themes: int,
    terms_per_theme: int,
    language: str,
) -> tuple[Themes, dict[int, int]]:
    by_author: dict[int, Statement] = {}
    # one statement per author counts: the same one whatever the input order
    for s in sorted(statements, key=lambda s: (s.author, s.text, s.quotable)):
        if s.text.strip():
            by_author[s.author] = s
    docs = sorted(by_author.values(), key=lambda s: (s.text.strip(), s.author))
    if len(docs) < minimum:
        return Themes(
            [],
            len(docs),
            gettext(
                "themes appear once at least %(minimum)d people have written a statement "
                "(%(count)d so far)"
            )
            % {"minimum": minimum, "count": len(docs)},
        ), {}
    read: list[Doc] = [(language_of(d.text, d.language, language), d.text) for d in docs]
    vectorizer = TfidfVectorizer(
        analyzer=_features_of,
        min_df=2 if len(docs) >= 10 else 1,
        max_features=VOCABULARY,
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform(read)
    except ValueError:  # nothing but stop words, or no word used twice
        return Themes([], len(docs), gettext("the statements have too few words in common yet")), {}
    features = np.array(vectorizer.get_feature_names_out())
    worded = np.flatnonzero(matrix.getnnz(axis=1))  # statements sharing a word with another
    if len(worded) < 2:
        return Themes([], len(docs), gettext("the statements have too few words in common yet")), {}
    usable = matrix[worded]
    # statements made of exactly the same words count once in finding the themes (and are
    # then assigned alike): copies say nothing new about how many themes there are
    distinct, copy_of = _distinct(usable)
    space = expand(distinct)
    copies = np.bincount(copy_of)
    upper = min(max_themes, max(2, len(worded) // PER_THEME), len(copies), space.shape[1])
    k = choose_k(space, range(2, upper + 1), copies)[0] if upper >= 2 else 1
    weights = _nmf(space, k)[0][copy_of]
    assigned = _assign(weights)
    present = (usable > 0).astype(np.float64).tocsc()
    used_by = np.asarray(present.sum(axis=0)).ravel()
    phrases = [_phrases(read[i][1], read[i][0]) for i in worded]
    used = Counter(key for p in phrases for key in p)
    surface = _surface(read)
    found = []
    for t in range(k):
        members = np.flatnonzero(assigned == t)
        if len(members) == 0:
            continue
        inside = np.asarray(present[members].sum(axis=0)).ravel()
        # a term's weight: the share of the theme using it times the share of its users
        # in the theme; ties by the term itself
        strength = inside * inside / (len(members) * np.maximum(used_by, 1))
        top = [
            _show(str(features[i]), surface)
            for i in np.lexsort((features, -strength))
            if inside[i] > 0 and " " not in features[i]  # words: pairs of stems read badly
        ][:terms_per_theme]
        order = sorted(members, key=lambda i: (-weights[i, t], docs[worded[i]].text))
        # one quote per distinct statement: not the same words three times over
        quotes: list[str] = []
        quoted: set[int] = set()
        for i in order:
            if docs[worded[i]].quotable and copy_of[i] not in quoted and len(quotes) < 3:
                quoted.add(copy_of[i])
                quotes.append(docs[worded[i]].text.strip())
        found.append(
            (
                [docs[worded[i]].author for i in members],
                Theme(
                    label=_label([phrases[i] for i in members], used) or " · ".join(top[:2]),
                    terms=top,
                    share=len(members) / len(docs),
                    authors=len(members),
                    quotes=quotes,
                ),
            )
        )
    found.sort(key=lambda f: (-f[1].authors, f[1].label, sorted(f[0])))
    members_of = {author: n for n, (authors, _) in enumerate(found) for author in authors}
    return Themes([th for _, th in found], len(docs), unthemed=len(docs) - len(worded)), members_of


def _distinct(matrix: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The distinct rows, in order of first appearance, and each row's distinct row."""
    matrix = matrix.tocsr()
    matrix.sort_indices()
    seen: dict[tuple[bytes, bytes], int] = {}
    firsts: list[int] = []
    copy_of = np.empty(matrix.shape[0], dtype=np.intp)
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        key = (
            matrix.indices[start:end].tobytes(),
            np.round(matrix.data[start:end], 12).tobytes(),
        )
        if key not in seen:
            seen[key] = len(firsts)
            firsts.append(row)
        copy_of[row] = seen[key]
    return matrix[firsts], copy_of


def expand(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each statement as its words plus the words those co-occur with across all statements,
    one and two steps away (weights 2 and 4): short texts that say the same thing in
    different words come close. The generalised vector space model's idea (Wong, Ziarko &
    Wong 1985), as a random walk on the co-occurrence graph pruned to each word's
    NEIGHBOURS strongest partners."""
    co = (matrix.T @ matrix).tocsr()
    co.setdiag(0)
    co.eliminate_zeros()
    for row in range(co.shape[0]):
        start, end = co.indptr[row], co.indptr[row + 1]
        if end - start > NEIGHBOURS:
            values = co.data[start:end]
            # the weakest partners go; ties broken by column, i.e. by the word
            drop = np.lexsort((co.indices[start:end], -values))[NEIGHBOURS:]
            values[drop] = 0
    co.eliminate_zeros()
    step = normalize(co, norm="l1", axis=1)
    once = matrix @ step
    twice = once @ step
    return sparse.csr_matrix(normalize(matrix + EXPANSION * once + EXPANSION**2 * twice))


def choose_k(
    matrix: Any, candidates: Iterable[int], copies: np.ndarray | None = None
) -> tuple[int, dict[int, float]]:
    """The largest number of themes that resamples reproduce: prediction strength
    (Tibshirani & Walther 2005) of each candidate k, and the largest k whose strength, less
    one standard error over the resamples, is at least STRONG; one theme when no split is
    reproducible.

    The rows are distinct statements; `copies` says how many authors wrote each (1 if not
    given). The rows (a seeded sample of at most SELECTION_SAMPLE) are factorised whole and
    in RESAMPLES seeded subsamples of RESAMPLE_SHARE of them. For each subsample, every
    theme found in it is checked against the whole fit: the share of its pairs of authors
    that the whole fit also puts together; the weakest theme counts, and a theme of one
    author counts as 0. The strength is the mean over
    subsamples. A k whose whole fit leaves a theme with a single author is not a candidate;
    as many themes as distinct statements is one when each was written by two people or
    more (20 people answering "friends", "learning" or "a job")."""
    rng = np.random.default_rng(SEED)
    rows = matrix.shape[0]
    counts = np.ones(rows, dtype=np.intp) if copies is None else np.asarray(copies)
    if rows > SELECTION_SAMPLE:
        sample = np.sort(rng.choice(rows, SELECTION_SAMPLE, replace=False))
        matrix = matrix[sample]
        counts = counts[sample]
        rows = SELECTION_SAMPLE
    matrix = matrix.toarray()  # small: dense is faster
    size = max(2, round(rows * RESAMPLE_SHARE))
    subsets = [np.sort(rng.choice(rows, size, replace=False)) for _ in range(RESAMPLES)]
    strength: dict[int, float] = {}
    for k in candidates:
        if k == rows:  # every distinct statement its own theme: fine if each is shared
            if counts.min() >= 2:
                strength[k] = 1.0
            continue
        if k > size:  # too few statements to test k themes
            continue
        whole = _assign(_nmf(matrix, k)[0])
        if np.bincount(whole, weights=counts, minlength=k).min() < 2:
            continue  # a theme nobody shares is no theme
        values = np.array(
            [_strength(whole[s], _assign(_nmf(matrix[s], k)[0]), counts[s]) for s in subsets]
        )
        # the mean less one standard error: a k must be reproducible with some margin
        strength[k] = float(values.mean() - values.std(ddof=1) / np.sqrt(len(values)))
    return max([k for k, v in strength.items() if v >= STRONG], default=1), strength


def _strength(reference: np.ndarray, found: np.ndarray, copies: np.ndarray) -> float:
    """Prediction strength of one resample: for each theme found in it, the share of its
    ordered pairs of authors that the reference also puts in one theme (authors of the
    same words count as a pair in agreement); the smallest such share. A theme of a single
    author counts as 0: a split that leaves someone alone is not a theme."""
    shares: list[float] = []
    for theme in np.unique(found):
        inside = found == theme
        n = copies[inside].sum()
        if n < 2:
            return 0.0
        together = np.bincount(reference[inside], weights=copies[inside])
        shares.append(float((together * (together - 1)).sum()) / (n * (n - 1)))
    return min(shares)


def _nmf(matrix: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    # nndsvda has no random start, but its SVD is randomised: seeded
    model = NMF(n_components=k, init="nndsvda", max_iter=500, random_state=SEED)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        # nndsvd takes square roots of tiny negative rounding errors on repetitive texts
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        weights = model.fit_transform(matrix)
    # BLAS sums can differ in the last bits with memory layout: rounded, near-ties are ties
    # and are broken the same way every time (lowest theme, then by text)
    return np.round(weights, DIGITS), model.components_


def _assign(weights: np.ndarray) -> np.ndarray:
    return np.asarray(weights.argmax(axis=1))


def _top(component: np.ndarray, n: int) -> list[int]:
    """The heaviest features, ties broken by feature (alphabetical order of the columns)."""
    return [int(i) for i in np.lexsort((np.arange(len(component)), -component))[:n]]


def _surface(docs: Sequence[Doc]) -> dict[str, str]:
    """Each stem shown as the word most people wrote for it (alphabetical on ties)."""
    counts: Counter[tuple[str, str]] = Counter()
    for language, text in docs:
        for words in _clauses(text, language):
            for w in words:
                stem = _content(w, language)
                if stem is not None:
                    counts[(stem, w)] += 1
    best: dict[str, tuple[int, str]] = {}
    for (stem, word), n in counts.items():
        if stem not in best or (-n, word) < (-best[stem][0], best[stem][1]):
            best[stem] = (n, word)
    return {stem: word for stem, (_, word) in best.items()}


def _show(feature: str, surface: dict[str, str]) -> str:
    return " ".join(surface.get(stem, stem) for stem in feature.split())


def _label(members: list[dict[tuple[str, ...], str]], used: Counter[tuple[str, ...]]) -> str:
    """The two best phrases of a theme that share no word: used by many of its authors and
    mostly by them. A phrase of several words counts PHRASE_BONUS more per extra word."""
    inside: Counter[tuple[str, ...]] = Counter(key for p in members for key in p)
    forms: dict[tuple[str, ...], Counter[str]] = {}
    for p in members:
        for key, text in p.items():
            forms.setdefault(key, Counter())[text] += 1
    floor = 2 if len(members) >= 2 else 1

    def score(key: tuple[str, ...]) -> float:
        n = inside[key]
        return (n / len(members)) * (n / used[key]) * (1 + PHRASE_BONUS * (len(key) - 1))

    ranked = sorted(
        (key for key, n in inside.items() if n >= floor),
        key=lambda key: (-score(key), -len(key), key),
    )
    chosen: list[tuple[str, ...]] = []
    for key in ranked:
        if any(_words_of(key) & _words_of(c) for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) == 2:
            break
    return " · ".join(
        min(forms[key].items(), key=lambda item: (-item[1], item[0]))[0] for key in chosen
    )


def _words_of(key: tuple[str, ...]) -> set[str]:
    return {w for w in key if w not in _ANY_STOP}


def overlap(
    purpose: str, themes: Sequence[Theme], language: str = ""
) -> list[tuple[Theme, list[str]]]:
    """For each theme, which of its terms the shared purpose also uses (by stem, so
    "business" meets "businesses"): where they meet. A term is read in the language of
    the purpose (``language``: the organisation's, when its words say none)."""
    read = language_of(purpose, language)
    stems = set(_features(purpose, read))
    return [
        (
            th,
            [t for t in th.terms if " ".join(_content(w, read) or w for w in t.split()) in stems],
        )
        for th in themes
    ]
