"""The mistake detector (pure: no ORM; its sentences go through Django's gettext).

The framework's three classic mistakes, and the failure modes users of OKR tools report,
caught from an organisation's real data. Each rule takes plain facts and returns findings,
each with its evidence, its source, a next step and where to look; every rule is tested
firing on a worked example and silent on its near-miss twin (tests/advisor/test_traps.py).

1. ``if-then-creative`` — a contingent ("if-then") reward on heuristic work: an
   objective or key result whose work style is heuristic, or a role assessed as heuristic.
2. ``defaulting-to-control`` — a team whose autonomy levels are low across the four Ts and
   whose objectives are almost all assigned (autonomy's own signal).
3. ``ignoring-fairness`` — autonomy or purpose work under way in a company while the
   fairness gate is red, or no pay audit was ever run.
4. ``okrs-tied-to-bonuses`` — any if-then reward tied to an objective or key result.
5. ``check-in-fatigue`` — many stale key results in the open cycle, or weekly-review
   completion falling.
6. ``inauthentic-purpose`` — the published purpose fails the authenticity check.
7. ``anonymity-lowered`` — the survey anonymity minimum set below the default of five.
8. ``feedback-tied-to-pay`` — a reward recorded in the incentive ledger whose reward or
   outcome names 360, upward or peer feedback (or a rating of someone): feedback in
   ampwork is developmental and score-free, never an input to pay.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ampwork.core.l10n import format_number, format_percent, list_separator
from ampwork.core.words import gettext as _
from ampwork.core.words import gettext_lazy, ngettext, pgettext, pgettext_lazy

STALE_SHARE = 0.30
STALE_MIN_KRS = 10
REVIEW_DROP = 0.15
REVIEW_MIN_PREVIOUS = 0.30
DEFAULT_ANONYMITY = 5
# the words that tie a reward to feedback: "360", "upward feedback", "peer review", …
FEEDBACK_WORDS = re.compile(
    r"\b(360|feedback|upward|peer reviews?|performance ratings?|ratings? from)\b", re.IGNORECASE
)

SOURCES = {
    "if-then-creative": gettext_lazy(
        "Deci, Koestner & Ryan (1999): expected, contingent rewards undermine "
        "free-choice intrinsic motivation (engagement-contingent d = −0.40, completion-contingent "
        "−0.36, performance-contingent −0.28); Ariely et al. (2009): large bonuses "
        "worsened performance on tasks needing even basic cognition; Pink, Drive, ch. 2."
    ),
    "defaulting-to-control": gettext_lazy(
        "Pink, Drive, ch. 4 (autonomy over task, technique, time and "
        "team); Jang, Reeve & Deci (2010): autonomy support with structure, from the start."
    ),
    "ignoring-fairness": gettext_lazy(
        "Pink, Drive: pay people enough to take the issue of money off the "
        "table — baseline rewards must be fair before the rest can work."
    ),
    "okrs-tied-to-bonuses": gettext_lazy(
        "Doerr, Measure What Matters: keep OKRs apart from compensation, "
        "or people set goals they are sure to hit."
    ),
    "check-in-fatigue": gettext_lazy(
        "Practitioner reports from teams using OKR tools: check-ins that feel "
        "like reporting stop being done (ampwork's thresholds are a product choice)."
    ),
    "inauthentic-purpose": gettext_lazy(
        "Pink, Drive, ch. 6: purpose maximisation — a purpose people feel "
        "names who is better off because of the work, not only profit."
    ),
    "anonymity-lowered": gettext_lazy(
        "Survey practice: results of fewer than five people can often be "
        "traced back to them; ampwork's default minimum is five."
    ),
    "feedback-tied-to-pay": gettext_lazy(
        "Pink, Drive, ch. 7 (feedback for mastery, not judgement); "
        "DeNisi & Kluger (2000): feedback tied to evaluation and rewards often lowers "
        "performance; 360 practice: developmental use only, or people stop writing honestly."
    ),
}
TITLES = {
    "if-then-creative": gettext_lazy("If-then reward on creative work"),
    "defaulting-to-control": gettext_lazy("Defaulting to control"),
    "ignoring-fairness": gettext_lazy("Ignoring baseline fairness"),
    "okrs-tied-to-bonuses": gettext_lazy("OKRs tied to a bonus"),
    "check-in-fatigue": gettext_lazy("Check-in fatigue"),
    "inauthentic-purpose": gettext_lazy("A purpose that may not ring true"),
    "anonymity-lowered": gettext_lazy("Survey anonymity minimum lowered"),
    "feedback-tied-to-pay": gettext_lazy("Feedback tied to a reward"),
}
# a school promises prizes and treats, not bonuses (issue 21): its own title where it differs
SCHOOL_TITLES = {
    "okrs-tied-to-bonuses": pgettext_lazy("school", "Goals tied to a prize"),
}
CLASSIC = ("if-then-creative", "defaulting-to-control", "ignoring-fairness")


@dataclass(frozen=True)
class IncentiveFact:
    id: int
    what: str
    style: str  # if_then | now_that
    outcome: str = ""  # what the reward is for
    objective_id: int | None = None
    objective_title: str = ""
    key_result_title: str = ""
    work_style: str | None = None  # of the linked objective (or the key result's objective)
    job_role: str = ""
    role_style: str | None = None  # the role's assessed work style, if assessed
    teams: tuple[int, ...] = ()  # teams concerned (the owning team, or the owner's teams)


@dataclass(frozen=True)
class TeamFact:
    id: int
    name: str
    control: tuple[str, ...] = ()  # autonomy's defaulting-to-control reasons, if any


@dataclass(frozen=True)
class Facts:
    is_school: bool = False
    gate_status: str | None = None  # green | amber | red; None when no audit was ever run
    gate_reasons: tuple[str, ...] = ()
    autonomy_under_way: str = ""  # what shows it (e.g. "3 autonomy steps granted"), or ""
    purpose_under_way: str = ""
    incentives: tuple[IncentiveFact, ...] = ()
    teams: tuple[TeamFact, ...] = ()
    key_results: int = 0
    stale: int = 0
    reviews_before: float | None = None  # completion share, the four weeks before
    reviews_recent: float | None = None  # completion share, the last four weeks
    purpose_warnings: tuple[str, ...] = ()  # the published purpose's authenticity advice
    anonymity_min: int = DEFAULT_ANONYMITY


@dataclass
class Finding:
    rule: str
    key: str  # stable across runs: rule and subject
    evidence: list[str]
    next_step: str
    link: str
    teams: tuple[int, ...] = ()  # managers of these teams see it too; admins see all
    subject: str = ""
    linked_id: int | None = None  # the object the link names (a team, an objective)
    school: bool = False  # found in a school: its title in a school's words

    @property
    def title(self) -> str:
        return str((self.school and SCHOOL_TITLES.get(self.rule)) or TITLES[self.rule])

    @property
    def source(self) -> str:
        return str(SOURCES[self.rule])

    @property
    def classic(self) -> bool:
        return self.rule in CLASSIC

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "rule": self.rule,
            "title": self.title,
            "classic": self.classic,
            "evidence": self.evidence,
            "source": self.source,
            "next_step": self.next_step,
            "link": self.link,
        }


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)


def _promised(i: IncentiveFact, *, in_advance: bool) -> str:
    """“X” is promised (in advance) if-then for what it is tied to: one whole sentence per
    case, so that each language orders it its own way."""
    values = {
        "what": i.what,
        "kr": i.key_result_title,
        "objective": i.objective_title,
        "role": i.job_role,
    }
    if in_advance:
        if i.key_result_title:
            text = _(
                "“%(what)s” is promised in advance, if-then, for the key result “%(kr)s” "
                "(of “%(objective)s”)"
            )
        elif i.objective_title:
            text = _(
                "“%(what)s” is promised in advance, if-then, for the objective “%(objective)s”"
            )
        else:
            text = _("“%(what)s” is promised in advance, if-then, for the role “%(role)s”")
    elif i.key_result_title:
        text = _("“%(what)s” is promised if-then for the key result “%(kr)s” (of “%(objective)s”)")
    elif i.objective_title:
        text = _("“%(what)s” is promised if-then for the objective “%(objective)s”")
    else:
        text = _("“%(what)s” is promised if-then for the role “%(role)s”")
    return text % values


def if_then_creative(facts: Facts) -> list[Finding]:
    out = []
    for i in facts.incentives:
        if i.style != "if_then":
            continue
        heuristic_okr = i.objective_id is not None and i.work_style == "heuristic"
        heuristic_role = bool(i.job_role) and i.role_style == "heuristic"
        if not (heuristic_okr or heuristic_role):
            continue
        why = (
            _("the objective's work style is heuristic (novel, quality judged)")
            if heuristic_okr
            else _("the role was assessed as heuristic (novel, quality judged)")
        )
        out.append(
            Finding(
                "if-then-creative",
                f"if-then-creative.incentive-{i.id}",
                [_promised(i, in_advance=True), why],
                pgettext(
                    "school",
                    "Replace the if-then prize with recognition after the fact (“now that "
                    "you…”); keep the reward off the goal. If the work is in fact routine, "
                    "answer the reward-style questions for it.",
                )
                if facts.is_school
                else pgettext(
                    "company",
                    "Replace the if-then bonus with fair base pay and recognition after the fact "
                    "(“now that you…”); keep the reward off the goal. If the work is in fact "
                    "routine, answer the reward-style questions for it.",
                ),
                "/advisor/incentives/",
                i.teams,
                i.what,
                school=facts.is_school,
            )
        )
    return out


def defaulting_to_control(facts: Facts) -> list[Finding]:
    return [
        Finding(
            "defaulting-to-control",
            f"defaulting-to-control.team-{t.id}",
            [
                _("%(team)s: %(reason)s") % {"team": t.name, "reason": reason}
                for reason in t.control
            ],
            pgettext(
                "school",
                "Grant a first step in technique — how students do their work — with "
                "guardrails, and let students set some of next cycle's goals themselves.",
            )
            if facts.is_school
            else pgettext(
                "company",
                "Grant a first step in technique — how people do their work — with guardrails, "
                "and let people write some of next cycle's objectives themselves.",
            ),
            f"/autonomy/teams/{t.id}/",
            (t.id,),
            t.name,
            t.id,
            school=facts.is_school,
        )
        for t in facts.teams
        if t.control
    ]


def ignoring_fairness(facts: Facts) -> list[Finding]:
    if facts.is_school or facts.gate_status not in (None, "red"):
        return []
    under_way = [w for w in (facts.autonomy_under_way, facts.purpose_under_way) if w]
    if not under_way:
        return []
    gate = (
        _("no pay audit has been run")
        if facts.gate_status is None
        else _("the fairness gate is red: %(reasons)s")
        % {"reasons": list_separator().join(facts.gate_reasons)}
    )
    return [
        Finding(
            "ignoring-fairness",
            "ignoring-fairness.organisation",
            [gate, *[_("meanwhile: %(what)s") % {"what": w} for w in under_way]],
            _(
                "Run the pay audit and fix what it flags (or set a date and budget to) before "
                "asking more of people's motivation."
            ),
            "/fairness/",
        )
    ]


def okrs_tied_to_bonuses(facts: Facts) -> list[Finding]:
    return [
        Finding(
            "okrs-tied-to-bonuses",
            f"okrs-tied-to-bonuses.incentive-{i.id}",
            [_promised(i, in_advance=False)],
            pgettext(
                "school",
                "Take the prize off the goal: score goals for learning and direction, and "
                "recognise effort after the fact, on a broader view of what someone did.",
            )
            if facts.is_school
            else pgettext(
                "company",
                "Take the bonus off the OKR: score OKRs for learning and direction, and decide "
                "pay on a broader view of someone's contribution.",
            ),
            f"/okrs/objectives/{i.objective_id}/",
            i.teams,
            i.what,
            i.objective_id,
            school=facts.is_school,
        )
        for i in facts.incentives
        if i.style == "if_then" and i.objective_id is not None
    ]


def check_in_fatigue(facts: Facts) -> list[Finding]:
    evidence = []
    if facts.key_results >= STALE_MIN_KRS and facts.stale / facts.key_results >= STALE_SHARE:
        evidence.append(
            ngettext(
                "%(stale)s of %(total)s key results in the open cycle have had no check-in "
                "for 14 days (%(share)s; flagged from %(threshold)s)",
                "%(stale)s of %(total)s key results in the open cycle have had no check-in "
                "for 14 days (%(share)s; flagged from %(threshold)s)",
                facts.key_results,
            )
            % {
                "stale": format_number(facts.stale),
                "total": format_number(facts.key_results),
                "share": format_percent(facts.stale / facts.key_results),
                "threshold": format_percent(STALE_SHARE),
            }
        )
    before, recent = facts.reviews_before, facts.reviews_recent
    if (
        before is not None
        and recent is not None
        and before >= REVIEW_MIN_PREVIOUS
        and before - recent >= REVIEW_DROP
    ):
        evidence.append(
            (
                pgettext(
                    "school",
                    "weekly reflections written fell from %(before)s to %(recent)s of people "
                    "(the four weeks before against the last four)",
                )
                if facts.is_school
                else pgettext(
                    "company",
                    "weekly reviews written fell from %(before)s to %(recent)s of people "
                    "(the four weeks before against the last four)",
                )
            )
            % {"before": format_percent(before), "recent": format_percent(recent)}
        )
    if not evidence:
        return []
    return [
        Finding(
            "check-in-fatigue",
            "check-in-fatigue.organisation",
            evidence,
            pgettext(
                "school",
                "Ask students what makes check-ins feel like reporting; cut key results nobody "
                "acts on, and answer every weekly reflection — students keep doing what "
                "someone reads.",
            )
            if facts.is_school
            else pgettext(
                "company",
                "Ask teams what makes check-ins feel like reporting; cut key results nobody "
                "acts on, and answer every weekly review — people keep doing what someone reads.",
            ),
            "/okrs/",
            school=facts.is_school,
        )
    ]


def inauthentic_purpose(facts: Facts) -> list[Finding]:
    if not facts.purpose_warnings:
        return []
    return [
        Finding(
            "inauthentic-purpose",
            "inauthentic-purpose.organisation",
            [
                _("the published purpose: %(warning)s") % {"warning": w}
                for w in facts.purpose_warnings
            ],
            _(
                "Draft the next version together: ask people whom their work helps, and put "
                "those people in the purpose."
            ),
            "/purpose/",
        )
    ]


def anonymity_lowered(facts: Facts) -> list[Finding]:
    if facts.anonymity_min >= DEFAULT_ANONYMITY:
        return []
    return [
        Finding(
            "anonymity-lowered",
            "anonymity-lowered.organisation",
            [
                ngettext(
                    "pulse results are shown for groups of %(n)d or more "
                    "(the default is %(default)d)",
                    "pulse results are shown for groups of %(n)d or more "
                    "(the default is %(default)d)",
                    facts.anonymity_min,
                )
                % {"n": facts.anonymity_min, "default": DEFAULT_ANONYMITY}
            ],
            _(
                "Set the minimum back to five in Settings unless your groups are small and "
                "people have agreed to it; people answer honestly only when they are sure they "
                "are not seen."
            ),
            "/settings/",
        )
    ]


def feedback_tied_to_pay(facts: Facts) -> list[Finding]:
    out = []
    for i in facts.incentives:
        said = [t for t in (i.what, i.outcome) if FEEDBACK_WORDS.search(t)]
        if not said:
            continue
        out.append(
            Finding(
                "feedback-tied-to-pay",
                f"feedback-tied-to-pay.incentive-{i.id}",
                [
                    _("the reward “%(what)s” is recorded for “%(outcome)s”, which names feedback")
                    % {"what": i.what, "outcome": i.outcome}
                ],
                pgettext(
                    "school",
                    "Remove the reward from feedback: keep 360 and upward feedback for growth, "
                    "read by the person first, and give prizes on a broader, fair view — never "
                    "on what classmates or students wrote.",
                )
                if facts.is_school
                else pgettext(
                    "company",
                    "Remove the reward from feedback: keep 360 and upward feedback for growth, "
                    "read by the person first, and decide pay on a broader, fair view — never on "
                    "what colleagues wrote.",
                ),
                "/advisor/incentives/",
                i.teams,
                i.what,
                school=facts.is_school,
            )
        )
    return out


RULES = (
    if_then_creative,
    defaulting_to_control,
    ignoring_fairness,
    okrs_tied_to_bonuses,
    check_in_fatigue,
    inauthentic_purpose,
    anonymity_lowered,
    feedback_tied_to_pay,
)


def detect(facts: Facts) -> Report:
    """Every rule over the facts, classic mistakes first."""
    findings = [f for rule in RULES for f in rule(facts)]
    findings.sort(key=lambda f: (not f.classic, RULES.index(_rule_of(f.rule))))
    return Report(findings)


def _rule_of(name: str) -> object:
    return next(r for r in RULES if r.__name__ == name.replace("-", "_"))


def visible_to(findings: Sequence[Finding], *, admin: bool, teams: set[int]) -> list[Finding]:
    """Admins see every finding; a manager those that concern a team they lead or coach."""
    if admin:
        return list(findings)
    return [f for f in findings if set(f.teams) & teams]
