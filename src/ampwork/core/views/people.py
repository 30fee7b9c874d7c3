"""People pages: the list, one person, adding and editing, activating, granting a sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import selectors, services
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import LoginGrantForm, PersonForm, add_errors
from ampwork.core.models import Person, Role, SignInInvite
from ampwork.core.permissions import STUDENT, Actor, can, require, school_part

from .shared import attempt, flash_errors, member_view


@member_view
def people_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "people.view")
    query = request.GET.get("q", "").strip()[:100]
    show = request.GET.get("show", "active")
    active = {"active": True, "deactivated": False}.get(show)
    qs = selectors.directory(actor, query=query, active=active)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "show": show}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "core/_people_rows.html", context)
    return render(request, "core/people_list.html", context)


@member_view
def person_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "people.view")
    person, teams, reports = selectors.person_detail(actor.organisation, pk)
    invited = selectors.waiting_invitation(person) if person.user_id is None else None
    link = selectors.sign_in_invite_of(person) if person.user_id is None else None
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "teams": teams,
            "reports": reports,
            # in a school, a student looks after nobody: no empty "they look after" section
            "student": school_part(person) == STUDENT,
            "grant_form": LoginGrantForm() if person.user_id is None and not invited else None,
            "invited": invited,
            "link": link,
            "link_live": link is not None and link.expires_at > timezone.now(),
            "may_invite": person.user_id is None and not invited and person.active,
        },
    )


def _manager_id(actor: Actor, email: str) -> int | None:
    if not email:
        return None
    found = selectors.people(actor.organisation, active=None).filter(email__iexact=email).first()
    if found is None:
        raise ValidationFailed.single(
            "manager_email", _("nobody here has the email %(email)s") % {"email": email}
        )
    return found.pk


@require_http_methods(["GET", "POST"])
@member_view
def person_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "people.edit")
    form = PersonForm(
        request.POST or None,
        organisation=actor.organisation,
        creating=True,
        may_change_role=can(actor, "people.change_role"),
        initial={"role": Role.MEMBER},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.create_person(
                actor=actor,
                name=data["name"],
                email=data["email"],
                job_title=data["job_title"],
                # a school's form has no job architecture (forms.SCHOOL_HIDES)
                job_role=data.get("job_role", ""),
                job_family=data.get("job_family", ""),
                level=data.get("level", ""),
                location=data.get("location", ""),
                hire_date=data.get("hire_date"),
                role=data["role"] or Role.MEMBER,
                manager_id=_manager_id(actor, data["manager_email"]),
                team_ids=[int(data["team"])] if data["team"] else [],
                invite=data["invite"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc, {"manager_id": "manager_email", "team_ids": "team"})
        else:
            messages.success(
                request, _("%(name)s was added.") % {"name": person.name} + _invited(person)
            )
            return redirect("core:person", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": None})


def _invited(person: Person) -> str:
    if selectors.sign_in_invite_of(person) is not None:
        return " " + _("An invitation to choose a password was emailed to %(email)s.") % {
            "email": person.email
        }
    if selectors.waiting_invitation(person) is not None:
        return " " + _("%(email)s already has an account: they join when they accept.") % {
            "email": person.email
        }
    return ""


@require_http_methods(["GET", "POST"])
@member_view
def person_edit(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = selectors.get_person(actor.organisation, pk)
    require(actor, "people.edit", person)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS if f != "manager_id"}
    initial["manager_email"] = person.manager.email if person.manager else ""
    form = PersonForm(
        request.POST or None,
        organisation=actor.organisation,
        creating=False,
        may_change_role=can(actor, "people.change_role", person),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["manager_id"] = _manager_id(actor, data.pop("manager_email"))
            changes = {k: v for k, v in data.items() if getattr(person, k) != v}
            services.update_person(actor=actor, person=person, **changes)
        except ValidationFailed as exc:
            add_errors(form, exc, {"manager_id": "manager_email"})
        else:
            messages.success(request, _("%(name)s was updated.") % {"name": person.name})
            return redirect("core:person", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": person})


@require_POST
@member_view
def person_set_active(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = selectors.get_person(actor.organisation, pk)
    active = request.POST.get("active") == "1"
    response = attempt(
        request,
        (_("%(name)s is now active.") if active else _("%(name)s is now deactivated."))
        % {"name": person.name},
        lambda: services.update_person(actor=actor, person=person, active=active),
        "core:person",
        pk=pk,
    )
    return _after_own_sessions_ended(request, person) or response


def _after_own_sessions_ended(request: HttpRequest, person: Person) -> HttpResponse | None:
    """Whoever ended their own sessions (this one too) is signed out: the sign-in page."""
    if person.user_id is None or person.user_id != request.user.pk:
        return None
    if request.session.session_key and request.session.exists(request.session.session_key):
        return None
    logout(request)
    return redirect("core:login")


@require_POST
@member_view
def person_grant_login(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = selectors.get_person(actor.organisation, pk)
    form = LoginGrantForm(request.POST)
    if form.is_valid():
        try:
            services.grant_login(actor=actor, person=person, password=form.cleaned_data["password"])
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s can now sign in as %(email)s.")
                % {"name": person.name, "email": person.email},
            )
    else:
        messages.error(request, _("Enter a password."))
    return redirect("core:person", pk=pk)


@require_POST
@member_view
def person_invite(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Email (again) a link to choose a first password; an earlier link stops working."""
    person = selectors.get_person(actor.organisation, pk)
    try:
        sent = services.send_sign_in_invite(actor=actor, person=person)
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            (
                _("An invitation to choose a password was emailed to %(email)s.")
                if isinstance(sent, SignInInvite)
                else _("%(email)s already has an account: they join when they accept.")
            )
            % {"email": person.email},
        )
    return redirect("core:person", pk=pk)


@require_POST
@member_view
def person_end_sessions(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Sign a person out of every browser they are signed in on."""
    person = selectors.get_person(actor.organisation, pk)
    response = attempt(
        request,
        _("%(name)s was signed out everywhere.") % {"name": person.name},
        lambda: services.end_person_sessions(actor=actor, person=person),
        "core:person",
        pk=pk,
    )
    return _after_own_sessions_ended(request, person) or response
