"""Mastery pages: my progress (timeline and charts), the weekly review with its
check-ins, a review and its answers, a team's reviews, the skills catalogue and matrix,
feedback, and the recognition feed."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext
from django.views.decorators.http import require_POST

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import FieldError, NotAllowed, NotFound, ValidationFailed
from ampwork.core.forms import whole_number
from ampwork.core.l10n import list_separator
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import HEAD_TEACHER, STUDENT, Actor, can, school_part
from ampwork.core.templatetags.ampwork_tags import num
from ampwork.core.views import attempt, flash_errors, member_view
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs import services as okr_services

from . import charts, goldilocks, selectors, services


def _int(raw: str | None, field: str, *, required: bool = True) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise ValidationFailed.single(field, _("is required"))
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed.single(field, _("must be a whole number")) from None


def _rater(org: Organisation, person: Person) -> str:
    """Who rates ``person`` beside them, in the organisation's words (charts.RATERS)."""
    if not org.is_school:
        return "manager"
    return "teacher" if school_part(person) == STUDENT else "head teacher"


def _progress(actor: Actor, person: Person) -> dict[str, Any]:
    """What a person's progress page shows, for them or for their managers."""
    org = actor.organisation
    facts = selectors.kr_facts(org, [person.pk])[person.pk]
    cycles = selectors.attainment(facts)
    histories = selectors.skill_histories(org, person)
    fm = selectors.flows([person.pk])[person.pk]
    return {
        "subject": person,
        "mine": actor.person is not None and actor.person.pk == person.pk,
        "events": selectors.timeline(actor, person, facts=facts),
        "cycles": cycles,
        "attainment_chart": charts.attainment(cycles) if cycles else None,
        "histories": histories,
        "skills_chart": charts.skills(histories, rater=_rater(org, person)) if histories else None,
        "flow": fm,
        "flow_chart": charts.flow_map(fm) if fm.enough else None,
        "calibration": goldilocks.calibrate(facts),
        "growth": list(selectors.growth_areas(person)),
        "reviews": list(selectors.visible_reviews(actor).filter(person=person)[:12]),
        "school": org.is_school,
        "may_rate": can(actor, "skills.rate", person),
        "catalogue": list(selectors.skills(org)),
        "levels": range(1, 6),
    }


@member_view
def mine(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor.person is None:
        raise NotFound(_("no person record"))
    week = selectors.week_of(timezone.localdate())
    led = core_selectors.led_teams(actor.person)
    return render(
        request,
        "mastery/progress.html",
        {
            **_progress(actor, actor.person),
            "this_week": selectors.review_of_week(actor.person, week),
            "week": week,
            "led": list(core_selectors.teams(actor.organisation).filter(pk__in=led)),
        },
    )


@member_view
def person(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    subject = selectors.get_person(actor, pk)
    if actor.person is not None and subject.pk == actor.person.pk:
        return redirect("mastery:mine")
    return render(request, "mastery/progress.html", _progress(actor, subject))


def _week(raw: str | None, today: dt.date) -> dt.date:
    if not raw:
        return selectors.week_of(today)
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise NotFound(_("no such week")) from None
    if day > today:
        raise NotFound(_("that week has not started"))
    return selectors.week_of(day)


def _kr_prefix(pk: int) -> str:
    return f"kr-{pk}-"


def _row_shown(kr: Any) -> dict[str, Any]:
    """What a key-result row of the review shows before anything is typed."""
    return {
        "value": num(kr.current),
        "done": bool(kr.done),
        "milestones": [m.pk for m in kr.milestones.all() if m.done],
        "confidence": "" if kr.confidence is None else str(kr.confidence),
        "note": "",
    }


def _row_posted(post: Any, pk: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a row holds as posted, and what it showed when the page was drawn."""
    p = _kr_prefix(pk)
    ids = [n for v in post.getlist(p + "milestone") if (n := whole_number(v)) is not None]
    was_ids = [n for v in post.getlist(p + "milestone-was") if (n := whole_number(v)) is not None]
    typed = {
        "value": post.get(p + "value", "").strip(),
        "done": post.get(p + "done") == "on",
        "milestones": sorted(set(ids)),
        "confidence": post.get(p + "confidence", "").strip(),
        "note": post.get(p + "note", "").strip(),
    }
    was = {
        "value": post.get(p + "value-was", "").strip(),
        "done": post.get(p + "done-was") == "on",
        "milestones": sorted(set(was_ids)),
        "confidence": post.get(p + "confidence-was", "").strip(),
        "note": "",
    }
    return typed, was


def _week_check_in(
    kr: Any, typed: dict[str, Any], was: dict[str, Any]
) -> services.WeekCheckIn | None:
    """The check-in a row asks for, or None for a row left as it was shown."""
    numeric = kr.kind in ("numeric", "range")
    kind_key = "value" if numeric else "done" if kr.kind == "boolean" else "milestones"
    if all(typed[k] == was[k] for k in ("confidence", "note", kind_key)):
        return None
    where = f"check_ins.{kr.pk}"
    confidence = None
    if typed["confidence"]:
        confidence = whole_number(typed["confidence"])
        if confidence is None:
            raise ValidationFailed.single(
                f"{where}.confidence", _("must be a whole number from 0 to 10")
            )
    value = done = milestones = None
    if numeric and typed["value"] == was["value"] and kr.current is not None:
        # the value as shown (rounded to 4 decimals) and left alone: keep the stored one,
        # so changing only the confidence or the note never rounds the key result's value
        value = float(kr.current)
    elif numeric:
        raw = str(typed["value"]).replace(",", ".")
        try:
            value = float(raw) if raw else None
        except ValueError:
            raise ValidationFailed.single(
                f"{where}.value", _("'%(value)s' is not a number") % {"value": raw}
            ) from None
        if value is not None and not math.isfinite(value):
            raise ValidationFailed.single(f"{where}.value", _("is not a number"))
    elif kr.kind == "boolean":
        done = bool(typed["done"])
    else:
        milestones = tuple(typed["milestones"])
    return services.WeekCheckIn(
        key_result_id=kr.pk,
        value=value,
        done=done,
        milestones_done=milestones,
        confidence=confidence,
        note=str(typed["note"])[:280],
    )


def _row_errors(exc: ValidationFailed) -> tuple[dict[int, list[str]], list[FieldError]]:
    """A failure's errors about key-result rows, by key result, and the rest."""
    rows: dict[int, list[str]] = {}
    rest: list[FieldError] = []
    for error in exc.errors:
        parts = error.field.split(".")
        if parts[0] == "check_ins" and len(parts) > 1 and parts[1].isdigit():
            what = (
                okr_services.checkin_field_name(parts[2])
                if len(parts) > 2
                else pgettext("check-in field", "key_result")
            )
            rows.setdefault(int(parts[1]), []).append(
                _("%(field)s: %(message)s") % {"field": what, "message": error.message}
            )
        else:
            rest.append(error)
    return rows, rest


@member_view
def review_form(request: HttpRequest, actor: Actor) -> HttpResponse:
    """This week's review (or ``?week=``): wins, setbacks, next steps, the week's
    check-ins inline (saved with the review, all or nothing), and the two ratings."""
    me = actor.person
    if me is None:
        raise NotFound(_("no person record"))
    today = timezone.localdate()
    week = _week(request.GET.get("week") or request.POST.get("week"), today)
    existing = selectors.review_of_week(me, week)
    is_current = week == selectors.week_of(today)
    state = okr_selectors.my_check_in(actor, today) if is_current else None
    shown_krs = [kr for krs in state.key_results.values() for kr in krs] if state else []
    rows: dict[int, dict[str, Any]] = {
        kr.pk: {"shown": _row_shown(kr), "was": _row_shown(kr)} for kr in shown_krs
    }
    errors: list[FieldError] = []
    if request.method == "POST":
        post = request.POST
        entries: list[services.WeekCheckIn] = []
        parse_errors: list[FieldError] = []
        for kr in shown_krs:
            typed, was = _row_posted(post, kr.pk)
            if post.get(_kr_prefix(kr.pk) + "shown") != "1":
                continue  # a row that was not on the page when it was drawn
            rows[kr.pk] = {"shown": typed, "was": was}
            try:
                entry = _week_check_in(kr, typed, was)
            except ValidationFailed as exc:
                parse_errors.extend(exc.errors)
                continue
            if entry is not None:
                entries.append(entry)
        try:
            if parse_errors:
                raise ValidationFailed(parse_errors)
            saved = services.save_review(
                actor=actor,
                week=week,
                wins=post.get("wins", ""),
                setbacks=post.get("setbacks", ""),
                next_steps=post.get("next_steps", ""),
                challenge=_int(post.get("challenge"), "challenge", required=False),
                skill=_int(post.get("skill"), "skill", required=False),
                check_ins=entries,
                share_with_family=post.get("share_with_family") == "on",
            )
        except ValidationFailed as exc:
            by_row, errors = _row_errors(exc)
            for pk, messages_ in by_row.items():
                if pk in rows:
                    rows[pk]["errors"] = messages_
                else:
                    errors.append(FieldError("check_ins", list_separator().join(messages_)))
            messages.error(
                request,
                _(
                    "Nothing was saved — neither the review nor its check-ins. "
                    "Put right what is marked below and save again."
                ),
            )
        else:
            n = len(entries)
            if actor.organisation.is_school:
                said = _school_saved(n, student=school_part(actor) == STUDENT)
            elif n:
                said = ngettext(
                    "Review saved with %(count)d check-in. Your manager will see it on their "
                    "team page.",
                    "Review saved with %(count)d check-ins. Your manager will see it on their "
                    "team page.",
                    n,
                ) % {"count": n}
            else:
                said = _("Review saved. Your manager will see it on their team page.")
            messages.success(request, said)
            return redirect("mastery:review", pk=saved.pk)
    return render(
        request,
        "mastery/review_form.html",
        {
            "week": week,
            "review": existing,
            "form": request.POST if request.method == "POST" else None,
            "errors": {e.field: e.message for e in errors},
            "state": state,
            "rows": rows,
            "previous": selectors.week_of(week - dt.timedelta(days=7)),
            "is_current": is_current,
            "scale": range(1, 8),
            "school": actor.organisation.is_school,
        },
    )


@member_view
def review(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_review(actor, pk)
    if request.method == "POST":
        try:
            services.reply(actor=actor, review=found, body=request.POST.get("body", ""))
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request,
                _("Your answer is on %(name)s's timeline.") % {"name": found.person.name},
            )
        return redirect("mastery:review", pk=pk)
    return render(
        request,
        "mastery/review.html",
        {
            "review": found,
            "replies": selectors.replies_of([found]).get(found.pk, []),
            "may_reply": can(actor, "reviews.reply", found.person),
            "mine": actor.person is not None and found.person_id == actor.person.pk,
        },
    )


def _team(actor: Actor, pk: int) -> Any:
    team = core_selectors.get_team(actor.organisation, pk)
    if not can(actor, "mastery.team", team):
        raise NotAllowed(_("A team's reviews are for its leads and admins."))
    return team


@member_view
def team(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    data = selectors.team_reviews(actor, _team(actor, pk))
    return render(
        request, "mastery/team.html", {"data": data, "school": actor.organisation.is_school}
    )


@member_view
def matrix(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    data = selectors.skills_matrix(actor, _team(actor, pk))
    return render(request, "mastery/matrix.html", {"m": data})


@member_view
def skills(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The catalogue; your own ratings and growth areas; staff define new skills."""
    me = actor.person
    histories = selectors.skill_histories(actor.organisation, me) if me else []
    objectives = okr_selectors.open_objectives_of(me) if me else []
    return render(
        request,
        "mastery/skills.html",
        {
            "skills": list(selectors.skills(actor.organisation)),
            "mine": {h.skill.pk: h for h in histories},
            "growth": list(selectors.growth_areas(me)) if me else [],
            "objectives": objectives,
            "may_define": can(actor, "skills.define"),
            "levels": range(1, 6),
            # who adds their view beside yours: a student's teachers, a teacher's head teacher
            "rater": _rater(actor.organisation, me) if me else "manager",
            "head": school_part(actor) == HEAD_TEACHER,
        },
    )


@require_POST
@member_view
def define_skill(request: HttpRequest, actor: Actor) -> HttpResponse:
    post = request.POST
    return attempt(
        request,
        _("Skill “%(name)s” added.") % {"name": post.get("name", "").strip()},
        lambda: services.create_skill(
            actor=actor,
            name=post.get("name", ""),
            description=post.get("description", ""),
            levels=[post.get(f"level{i}", "") for i in range(1, 6)],
        ),
        "mastery:skills",
    )


@require_POST
@member_view
def rate(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Rate yourself on a skill, or make it a growth area."""
    if actor.person is None:
        raise NotFound(_("no person record"))
    return _rate(request, actor, selectors.get_skill(actor.organisation, pk), actor.person)


@require_POST
@member_view
def rate_person(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """A manager's view of someone's skill, kept beside their own."""
    subject = selectors.get_person(actor, pk)
    try:
        skill_id = _int(request.POST.get("skill"), "skill") or 0
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("mastery:person", pk=pk)
    skill = selectors.get_skill(actor.organisation, skill_id)
    return _rate(request, actor, skill, subject)


def _rate(request: HttpRequest, actor: Actor, skill: Any, subject: Person) -> HttpResponse:
    post = request.POST

    def act() -> object:
        if post.get("target_level"):
            return services.add_growth_area(
                actor=actor,
                person=subject,
                skill=skill,
                target_level=_int(post.get("target_level"), "target_level") or 0,
                objective_id=_int(post.get("objective_id"), "objective_id", required=False),
                note=post.get("note", ""),
            )
        return services.rate_skill(
            actor=actor,
            person=subject,
            skill=skill,
            level=_int(post.get("level"), "level") or 0,
            note=post.get("note", ""),
        )

    back = post.get("next", "")
    return attempt(
        request,
        _("Saved for %(skill)s.") % {"skill": skill.name},
        act,
        back if back.startswith("/mastery/") else "mastery:skills",
    )


def _school_saved(n: int, *, student: bool) -> str:
    """A school's words for a saved reflection: a student's teacher reads it, a
    teacher's head teacher."""
    if student and n:
        return npgettext(
            "school",
            "Reflection saved with %(count)d check-in. Your teacher will see it on their "
            "class page.",
            "Reflection saved with %(count)d check-ins. Your teacher will see it on their "
            "class page.",
            n,
        ) % {"count": n}
    if student:
        return pgettext("school", "Reflection saved. Your teacher will see it on their class page.")
    if n:
        return npgettext(
            "school",
            "Reflection saved with %(count)d check-in. Your head teacher will see it on "
            "the staff page.",
            "Reflection saved with %(count)d check-ins. Your head teacher will see it on "
            "the staff page.",
            n,
        ) % {"count": n}
    return pgettext("school", "Reflection saved. Your head teacher will see it on the staff page.")


@member_view
def feedback(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        if post.get("action") == "request":
            return attempt(
                request,
                _("Request sent."),
                lambda: services.request_feedback(
                    actor=actor,
                    asked_id=_int(post.get("asked_id"), "asked_id") or 0,
                    about=post.get("about", ""),
                ),
                "mastery:feedback",
            )
        return attempt(
            request,
            _("Feedback sent."),
            lambda: services.give_feedback(
                actor=actor,
                receiver_id=_int(post.get("receiver_id"), "receiver_id", required=False),
                request_id=_int(post.get("request_id"), "request_id", required=False),
                body=post.get("body", ""),
                share_with_managers=post.get("share_with_managers") == "on",
                share_with_family=post.get("share_with_family") == "on",
            ),
            "mastery:feedback",
        )
    return render(
        request,
        "mastery/feedback.html",
        {
            "page": selectors.feedback_page(actor),
            "people": selectors.colleagues(actor),
            # a school's words: a student's feedback goes to their teachers, a teacher's
            # to the head teachers
            "school": actor.organisation.is_school,
            "reader_student": school_part(actor) == STUDENT,
            # a teacher in a school may share feedback with a student's family
            "may_share_family": actor.organisation.is_school
            and can(actor, "families.share_feedback", actor.organisation),
        },
    )


@member_view
def recognition(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        ids = [n for x in post.getlist("recipient_ids") if (n := whole_number(x)) is not None]
        return attempt(
            request,
            _("Posted to the recognition feed."),
            lambda: services.recognise(
                actor=actor,
                recipient_ids=ids,
                body=post.get("body", ""),
                objective_id=_int(post.get("objective_id"), "objective_id", required=False),
            ),
            "mastery:recognition",
        )
    return render(
        request,
        "mastery/recognition.html",
        {
            "closed": (closed := selectors.feed_closed(actor)),
            "feed": [] if closed else selectors.recognition_feed(actor, 100),
            "people": [] if closed else selectors.colleagues(actor, recognising=True),
        },
    )
