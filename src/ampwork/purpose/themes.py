"""The common themes of people's purpose statements, found locally. Pure: no ORM, no
network, deterministic.

TF-IDF over words and word pairs (English stop words removed), then non-negative matrix
factorisation (NMF, nndsvd initialisation, fixed seed). The number of themes — 2 to 8, and
at most one per six statements — is chosen by the silhouette of statements assigned to
their strongest theme (cosine distance): the fewest themes within 0.02 of the clearest
split. Each theme gets a
label from its top terms, the share of authors whose statement belongs to it, and up to
three representative quotes — only from authors who allowed quoting. Nothing is computed
below the organisation's minimum number of authors.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

MAX_THEMES = 8
SAMPLE = 2000  # statements the silhouette is measured on, at most


@dataclass(frozen=True)
class Statement:
    author: int
    text: str
    quotable: bool = False


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


def find(
    statements: Sequence[Statement],
    minimum: int,
    *,
    max_themes: int = MAX_THEMES,
    terms_per_theme: int = 6,
) -> Themes:
    by_author: dict[int, Statement] = {}
    for s in statements:
        if s.text.strip():
            by_author[s.author] = s  # one statement per author counts
    docs = list(by_author.values())
    if len(docs) < minimum:
        return Themes(
            [],
            len(docs),
            f"themes appear once at least {minimum} people have "
            f"written a statement ({len(docs)} so far)",
        )
    vectorizer = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        min_df=2 if len(docs) >= 10 else 1,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b",
    )
    try:
        matrix = vectorizer.fit_transform([d.text for d in docs])
    except ValueError:  # nothing but stop words
        return Themes([], len(docs), "the statements have too few words in common yet")
    terms = np.array(vectorizer.get_feature_names_out())
    # at most one theme per six statements: a class of 20 gets a few themes, not eight
    upper = min(max_themes, max(2, len(docs) // 6), len(docs) - 1, matrix.shape[1])
    fits: list[tuple[float, np.ndarray, np.ndarray]] = []
    for k in range(2, upper + 1):
        weights, components = _nmf(matrix, k)
        assigned = weights.argmax(axis=1)
        if len(set(assigned)) < 2:
            continue
        # a fixed sample keeps this linear for 20,000 statements, and deterministic
        score = silhouette_score(
            matrix, assigned, metric="cosine", sample_size=min(SAMPLE, len(docs)), random_state=0
        )
        fits.append((float(score), weights, components))
    if not fits:  # every split put all statements in one theme: one theme it is
        weights, components = _nmf(matrix, 1)
    else:
        # the fewest themes whose fit is within 0.02 of the best: simpler when it is as good
        best = max(score for score, _, _ in fits)
        _, weights, components = next(f for f in fits if f[0] >= best - 0.02)
    assigned = weights.argmax(axis=1)
    found = []
    for t in range(components.shape[0]):
        members = np.flatnonzero(assigned == t)
        if len(members) == 0:
            continue
        top = [str(terms[i]) for i in np.argsort(-components[t])[:terms_per_theme]]
        order = members[np.argsort(-weights[members, t], kind="stable")]
        quotes = list(dict.fromkeys(docs[i].text.strip() for i in order if docs[i].quotable))[:3]
        found.append(
            Theme(
                label=_label(top),
                terms=top,
                share=len(members) / len(docs),
                authors=len(members),
                quotes=quotes,
            )
        )
    found.sort(key=lambda th: (-th.authors, th.label))
    return Themes(found, len(docs))


def _nmf(matrix: object, k: int) -> tuple[np.ndarray, np.ndarray]:
    model = NMF(n_components=k, init="nndsvd", random_state=0, max_iter=500)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        # nndsvd takes square roots of tiny negative rounding errors on repetitive texts
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        weights = model.fit_transform(matrix)
    return weights, model.components_


def _label(top: list[str]) -> str:
    """The top terms, without words already inside a chosen phrase: 'help patients · care'."""
    chosen: list[str] = []
    for term in top:
        if any(term in c.split() or c in term.split() for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == 3:
            break
    return " · ".join(chosen)


def overlap(purpose: str, themes: Sequence[Theme]) -> list[tuple[Theme, list[str]]]:
    """For each theme, which of its terms the shared purpose also uses: where they meet."""
    text = purpose.lower()
    return [(th, [t for t in th.terms if t in text]) for th in themes]
