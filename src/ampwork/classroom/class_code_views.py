"""Class-code sign-in pages: a class's teachers switch it on and print the sheet; a
student enters the code, picks their name, then their picture (word), and is signed in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ampwork.core.errors import ValidationFailed
from ampwork.core.middleware import SESSION_KEY as ORG_KEY
from ampwork.core.permissions import Actor, can
from ampwork.core.services.sessions import track_session
from ampwork.core.views import flash_errors, member_view

from . import class_code_services as services
from . import class_codes
from .models import ClassCode

SHEET_KEY = "ampwork_class_code_sheet"  # secrets drawn now, for the sheet (shown once)
FLOW_KEY = "ampwork_class_code"  # the class a student's sign-in in progress chose
SIGNED_IN_KEY = "ampwork_class_code_session"  # this session began with a class code


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _choices(kind: str) -> list[dict[str, Any]]:
    return [
        {"key": c.key, "label": c.label, "svg": mark_safe(c.svg)} for c in class_codes.choices(kind)
    ]


# ---------------------------------------------------------------- teachers


@require_http_methods(["GET", "POST"])
@member_view
def class_code(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """A class's class-code sign-in: its code, its students, the actions."""
    team = services.class_of(actor, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        drawn: dict[int, str] | None = None
        try:
            if action == "on":
                _row, drawn = services.switch_on(
                    actor=actor, team=team, kind=request.POST.get("kind", "")
                )
                messages.success(request, _("Class-code sign-in is on."))
            elif action == "off":
                services.switch_off(actor=actor, team=team)
                messages.success(request, _("Class-code sign-in is off. Nothing else changed."))
            elif action == "new_code":
                services.new_code(actor=actor, team=team)
                messages.success(
                    request, _("The class has a new code; the old one stopped working.")
                )
            elif action in ("new_all", "new_missing"):
                drawn = services.draw_secrets(actor=actor, team=team, everyone=action == "new_all")
            elif action == "clear_locks":
                lifted = services.clear_locks(actor=actor, address=get_client_ip_address(request))
                messages.success(
                    request,
                    _(
                        "Class-code locks lifted (%(count)s): the school's students and this "
                        "address may try again."
                    )
                    % {"count": lifted},
                )
            elif action == "reset":
                student = request.POST.get("student", "")
                if not student.isdigit():
                    raise ValidationFailed.single("student", _("choose a student"))
                drawn = services.reset_secret(actor=actor, team=team, student_id=int(student))
            else:
                raise ValidationFailed.single("action", _("unknown action"))
        except ValidationFailed as exc:
            flash_errors(request, exc)
            return redirect("classroom:class_code", pk=team.pk)
        if drawn:
            request.session[SHEET_KEY] = {"team": team.pk, "drawn": drawn}
            return redirect("classroom:class_code_sheet", pk=team.pk)
        if drawn is not None:
            messages.info(request, _("Every student already has one."))
        return redirect("classroom:class_code", pk=team.pk)
    row, students = services.class_page(team)
    return _private(
        render(
            request,
            "classroom/class_code.html",
            {
                "team": team,
                "row": row,
                "students": students,
                "kinds": ClassCode.Kind.choices,
                "missing": sum(1 for s in students if not s.has_secret),
                "may_clear_locks": can(actor, "class_code.clear_locks"),
                "cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES,
            },
        )
    )


@require_GET
@member_view
def class_code_sheet(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The printable sheet of the pictures (words) drawn just now: shown once."""
    team = services.class_of(actor, pk)
    row, students = services.class_page(team)
    kept = request.session.get(SHEET_KEY)
    drawn: dict[str, str] = {}
    if isinstance(kept, dict) and kept.get("team") == team.pk:
        drawn = kept.get("drawn") or {}
        del request.session[SHEET_KEY]
    cards = []
    if row is not None:
        for student in students:
            key = drawn.get(str(student.person.pk))  # the session's JSON: keys are strings
            found = class_codes.choice(row.kind, key) if key else None
            if found is not None:
                svg = mark_safe(found.svg)
                cards.append({"student": student, "choice": found, "svg": svg})
    return _private(
        render(
            request,
            "classroom/class_code_sheet.html",
            {"team": team, "row": row, "cards": cards, "sign_in_path": "/sign-in/"},
        )
    )


# ---------------------------------------------------------------- students


def _flow(request: HttpRequest) -> ClassCode | None:
    kept = request.session.get(FLOW_KEY)
    if not isinstance(kept, dict):
        return None
    row = services.current(int(kept.get("id", 0)), str(kept.get("code", "")))
    if row is None:
        request.session.pop(FLOW_KEY, None)
    return row


@require_http_methods(["GET", "POST"])
def code_sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the class code."""
    typed = ""
    if request.method == "POST":
        typed = request.POST.get("code", "")[:64]
        try:
            row = services.class_by_code(typed=typed, address=get_client_ip_address(request))
        except services.Throttled as exc:
            response = render(
                request, "classroom/code_sign_in.html", {"error": exc.message}, status=429
            )
            response["Retry-After"] = str(settings.LOGIN_COOLOFF_MINUTES * 60)
            return _private(response)
        except ValidationFailed as exc:
            context = {"error": exc.errors[0].message, "typed": typed}
            return _private(render(request, "classroom/code_sign_in.html", context, status=400))
        request.session[FLOW_KEY] = {"id": row.pk, "code": row.code, "wrong": 0}
        return redirect("classroom:code_names")
    return _private(render(request, "classroom/code_sign_in.html", {"typed": typed}))


@require_GET
def code_names(request: HttpRequest) -> HttpResponse:
    """Step 2: the class list; each name leads to that student's pictures."""
    row = _flow(request)
    if row is None:
        return redirect("classroom:code_sign_in")
    context = {"row": row, "names": services.names_of(row)}
    return _private(render(request, "classroom/code_names.html", context))


def _wrong_in_flow(request: HttpRequest) -> bool:
    """Count a wrong picture in this sign-in flow (across any students); at
    ``CLASS_CODE_FLOW_LIMIT`` the flow is dropped (the code must be typed again). True
    when it was dropped."""
    kept = request.session.get(FLOW_KEY)
    if not isinstance(kept, dict):
        return False
    wrong = int(kept.get("wrong", 0)) + 1
    if wrong >= settings.CLASS_CODE_FLOW_LIMIT:
        request.session.pop(FLOW_KEY, None)
        return True
    request.session[FLOW_KEY] = {**kept, "wrong": wrong}
    return False


def _drop_flow(request: HttpRequest) -> HttpResponse:
    services.flow_dropped(address=get_client_ip_address(request))
    messages.error(
        request,
        _("Too many wrong tries. Please type your class code again, or ask your teacher."),
    )
    return redirect("classroom:code_sign_in")


@require_http_methods(["GET", "POST"])
def code_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the student's picture (word); the right one signs them in."""
    row = _flow(request)
    if row is None:
        return redirect("classroom:code_sign_in")
    _student, name = services.student_in(row, pk)  # not in this class's list: 404
    context: dict[str, Any] = {"row": row, "name": name, "pk": pk, "choices": _choices(row.kind)}
    if request.method == "POST":
        try:
            user = services.sign_in(row=row, student_id=pk, picked=request.POST.get("picked", ""))
        except services.Throttled as exc:
            if services.is_wrong(exc.message) and _wrong_in_flow(request):
                return _drop_flow(request)
            context["error"] = exc.message
            response = render(request, "classroom/code_secret.html", context, status=429)
            response["Retry-After"] = str(settings.LOGIN_COOLOFF_MINUTES * 60)
            return _private(response)
        except ValidationFailed as exc:
            context["error"] = exc.errors[0].message
            if services.is_wrong(exc.errors[0].message) and _wrong_in_flow(request):
                return _drop_flow(request)
            return _private(render(request, "classroom/code_secret.html", context, status=400))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop(FLOW_KEY, None)
        request.session[ORG_KEY] = row.organisation_id
        request.session[SIGNED_IN_KEY] = row.team_id
        # a shared classroom tablet: the session ends with the school day — a fixed time
        # after signing in (a timedelta; an int would be seconds of inactivity)
        request.session.set_expiry(dt.timedelta(hours=settings.CLASS_CODE_SESSION_HOURS))
        track_session(request, user)
        messages.success(
            request, _("Hello, %(name)s! You are signed in.") % {"name": name.split(" ")[0]}
        )
        return redirect("core:home")
    return _private(render(request, "classroom/code_secret.html", context))
