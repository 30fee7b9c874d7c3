"""The authenticity check of a purpose statement: a transparent rule set. Pure.

A purpose that speaks only of money for owners — shareholder value, revenue, profit,
market share — and of nobody the work helps is the "manufactured purpose" the framework
warns about: worse than none. The check advises; it never blocks publishing.

The rules (docs/methods.md lists the lexicons):
1. money for owners named, and nobody helped named → warn ("only money for owners");
2. nobody helped named at all → warn, more gently ("says who it is for?");
3. otherwise no warning; the reasons say which words were found either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ampwork.core.words import gettext

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


@dataclass(frozen=True)
class Advice:
    warn: bool
    reasons: list[str]
    money: list[str]
    helped: list[str]


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return sorted({w for w in words if re.search(rf"\b{re.escape(w)}\b", lowered)})


def check(text: str) -> Advice:
    money = _found(text, MONEY)
    helped = _found(text, HELPED)
    verbs = _found(text, HELPING_VERBS)
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
