"""Who is due a reminder, coaching pairs, and the weekly digests."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from ampwork.core.l10n import format_day, labelled
from ampwork.core.models import Organisation, Person, TeamMembership

from ..models import (
    ReminderSent,
    Review,
)
from .calibration import calibrations, flows

# "Level: evidence", punctuated in the language the digest is read in (core/l10n.py)
_labelled = lazy(labelled, str)


def due_reviews(org: Organisation, week: dt.date) -> QuerySet[Person]:
    """Who is due a reminder this week: active people who can sign in, have not written
    this week's review, and have not been reminded this week already."""
    return (
        Person.objects.filter(
            organisation=org, active=True, user__isnull=False, user__is_active=True
        )
        .exclude(reviews__week=week)
        .exclude(
            pk__in=ReminderSent.objects.filter(week=week, kind=ReminderSent.Kind.REVIEW).values(
                "person_id"
            )
        )
        .order_by("name", "id")
    )


@dataclass
class DigestLine:
    name: str
    written: bool
    answered: bool
    flags: list[Any]  # str, or a lazy text said in the reader's language


@dataclass
class Digest:
    week: dt.date
    people: list[DigestLine]
    school: bool = False

    def state(self, line: DigestLine) -> str:
        if line.answered:
            return _("answered")
        if line.written:
            return _("written — waiting for your answer")
        return _("not written yet")

    def summary(self) -> dict[str, object]:
        """What chat shows of it (``ampwork.chat``): the same lines as the email."""
        return {
            "week": self.week.isoformat(),
            "written": sum(1 for p in self.people if p.written),
            "total": len(self.people),
            "people": [
                {"name": p.name, "state": self.state(p), "flags": [str(f) for f in p.flags]}
                for p in self.people
            ],
        }

    def text(self, link: str) -> str:
        written = [p for p in self.people if p.written]
        values = {"week": _week_day(self.week), "written": len(written), "count": len(self.people)}
        if self.school:
            head = _written_line_school(len(self.people)) % values
            tail = pgettext("school", "Your team's reflections: %(link)s") % {"link": link}
        else:
            head = _written_line_company(len(self.people)) % values
            tail = pgettext("company", "Your team's reviews: %(link)s") % {"link": link}
        lines = [head, ""]
        for p in self.people:
            lines.append(f"- {p.name}: {self.state(p)}")
            lines.extend(f"    · {flag}" for flag in p.flags)
        lines += ["", tail, ""]
        return "\n".join(lines)


def _week_day(week: dt.date) -> str:
    """'07 December' in English (as the digest always wrote it), each language's own day
    and month elsewhere."""
    if (translation.get_language() or "en").startswith("en"):
        return f"{week:%d %B}"
    return format_day(week, "day_month_long")


def _written_line_school(count: int) -> str:
    return ngettext(
        "Week of %(week)s: %(written)d of %(count)d reflection written.",
        "Week of %(week)s: %(written)d of %(count)d reflections written.",
        count,
    )


def _written_line_company(count: int) -> str:
    return ngettext(
        "Week of %(week)s: %(written)d of %(count)d review written.",
        "Week of %(week)s: %(written)d of %(count)d reviews written.",
        count,
    )


_QUADRANTS = {
    "anxiety": pgettext_lazy("flow map", "anxiety"),
    "boredom": pgettext_lazy("flow map", "boredom"),
    "apathy": pgettext_lazy("flow map", "apathy"),
}


def coaching(org: Organisation) -> tuple[dict[int, Person], dict[int, set[int]]]:
    """The organisation's active people, and for each of them who can sign in, everyone
    they coach (reports at any depth, members of teams they lead). Two queries."""
    active = {
        p.pk: p for p in Person.objects.filter(organisation=org, active=True).select_related("user")
    }
    below: dict[int, list[int]] = defaultdict(list)
    for pk, person in active.items():
        if person.manager_id:
            below[person.manager_id].append(pk)
    members: dict[int, set[int]] = defaultdict(set)
    leads: dict[int, set[int]] = defaultdict(set)
    for team_id, person_id, role in TeamMembership.objects.filter(organisation=org).values_list(
        "team_id", "person_id", "role"
    ):
        members[team_id].add(person_id)
        if role == TeamMembership.Role.LEAD:
            leads[person_id].add(team_id)
    coaches: dict[int, set[int]] = {}
    for pk in active:
        found: set[int] = set()
        stack = list(below.get(pk, []))
        while stack:
            x = stack.pop()
            if x not in found:
                found.add(x)
                stack.extend(below.get(x, []))
        for team_id in leads.get(pk, ()):
            found |= members[team_id]
        found = {x for x in found if x in active and x != pk}
        if found and active[pk].user_id:
            coaches[pk] = found
    return active, coaches


def digests(org: Organisation, week: dt.date) -> list[tuple[Person, Digest]]:
    """Each coach's digest for the week: their people's reviews (written, answered) and
    flags (Goldilocks, flow). A fixed number of queries for the whole organisation."""
    active, coaches = coaching(org)
    everyone = set().union(*coaches.values()) if coaches else set()
    written: dict[int, bool] = {}
    for pk, replies in (
        Review.objects.filter(person_id__in=everyone, week=week)
        .annotate(n=Count("replies"))
        .values_list("person_id", "n")
    ):
        written[pk] = replies > 0
    calibrated = calibrations(org, everyone)
    flow_maps = flows(everyone, week + dt.timedelta(days=6))
    out = []
    for pk, people in coaches.items():
        lines = []
        for x in sorted(people, key=lambda i: active[i].name):
            flags: list[Any] = [_labelled(f.label, f.evidence[0]) for f in calibrated[x].flags]
            recent = flow_maps[x].recent
            if recent in ("anxiety", "boredom", "apathy"):
                flags.append(
                    format_lazy(
                        pgettext_lazy("digest", "flow map: mostly {} in recent weeks"),
                        _QUADRANTS[recent],
                    )
                )
            lines.append(DigestLine(active[x].name, x in written, written.get(x, False), flags))
        out.append((active[pk], Digest(week, lines, org.is_school)))
    return out
