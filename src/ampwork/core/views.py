"""Web pages for organisations, people and teams. Thin: parse, ask, call, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import charts, help_pages, imports, selectors, services
from .errors import NotAllowed, ValidationFailed
from .forms import (
    ImportForm,
    LoginGrantForm,
    MembershipForm,
    OrganisationForm,
    PersonForm,
    SignInForm,
    TeamForm,
    TokenForm,
    add_errors,
)
from .middleware import SESSION_KEY
from .models import Role
from .permissions import Actor, can, require

View = Callable[..., HttpResponse]

# Other apps add panels to the home page: each returns a template name and its context,
# or None when it has nothing to show (e.g. the most recent impact story).
HOME_PANELS: list[Callable[[Actor], dict[str, Any] | None]] = []


def member_view(view: View) -> View:
    """Signed in and a member of the current organisation; passes the actor along."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor: Actor | None = getattr(request, "actor", None)
        if actor is None:
            return render(request, "core/no_organisation.html", status=403)
        return view(request, actor, *args, **kwargs)

    return wrapper


def flash_errors(request: HttpRequest, exc: ValidationFailed) -> None:
    """Show a validation failure's messages on the next page."""
    messages.error(request, "; ".join(e.message for e in exc.errors))


def attempt(
    request: HttpRequest, ok: str, action: Callable[[], object], to: str, **to_kwargs: Any
) -> HttpResponse:
    """Run a write; say what happened (or what was wrong) and go on to ``to``."""
    try:
        action()
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, ok)
    return redirect(to, **to_kwargs)


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def methods(request: HttpRequest) -> HttpResponse:
    """How every number is computed: docs/methods.md, rendered."""
    return render(request, "core/methods.html", {"body": help_pages.render("methods")})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "core/sign_in.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"

    def get_success_url(self) -> str:
        messages.success(self.request, "Your password has been changed.")
        return reverse("core:home")


@member_view
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    org = actor.organisation
    counts = selectors.headcount(org)
    tree = selectors.team_tree(org)
    units, parent = selectors.first_branching_level(tree)
    return render(
        request,
        "core/home.html",
        {
            "counts": counts,
            "tree": tree,
            "units": units,
            "parent_unit": parent,
            "me": actor.person,
            "panels": [panel for make in HOME_PANELS if (panel := make(actor))],
            "chart": charts.team_sizes([(n.team.name, n.total) for n in units])
            if len(units) > 1
            else None,
        },
    )


@require_POST
@member_view
def switch_organisation(request: HttpRequest, actor: Actor) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    for org in getattr(request, "organisations", []):
        if str(org.pk) == wanted:
            request.session[SESSION_KEY] = org.pk
            messages.info(request, f"You are now working in {org.name}.")
            break
    else:
        messages.error(request, "You are not a member of that organisation.")
    return redirect("core:home")


# ---------------------------------------------------------------- invitations


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """The invitations waiting for the signed-in account: an organisation joins it only
    when its owner accepts here."""
    return render(
        request,
        "core/invitations.html",
        {"invitations": selectors.pending_invitations(request.user)},  # type: ignore[arg-type]
    )


@require_POST
@login_required
def invitation_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    user = request.user
    try:
        if decision == "accept":
            person = services.accept_invitation(user=user, invitation_id=pk)  # type: ignore[arg-type]
        else:
            services.decline_invitation(user=user, invitation_id=pk)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("core:invitations")
    if decision == "accept":
        request.session[SESSION_KEY] = person.organisation_id
        messages.success(request, f"You joined {person.organisation.name}.")
        return redirect("core:home")
    messages.info(request, "Invitation declined.")
    return redirect("core:invitations")


# ---------------------------------------------------------------- people


@member_view
def people_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "people.view")
    query = request.GET.get("q", "").strip()[:100]
    show = request.GET.get("show", "active")
    active = {"active": True, "deactivated": False}.get(show)
    qs = selectors.people(actor.organisation, query=query, active=active)
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
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "teams": teams,
            "reports": reports,
            "grant_form": LoginGrantForm() if person.user_id is None and not invited else None,
            "invited": invited,
        },
    )


def _manager_id(actor: Actor, email: str) -> int | None:
    if not email:
        return None
    found = selectors.people(actor.organisation, active=None).filter(email__iexact=email).first()
    if found is None:
        raise ValidationFailed.single("manager_email", f"nobody here has the email {email}")
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
                job_role=data["job_role"],
                level=data["level"],
                location=data["location"],
                hire_date=data["hire_date"],
                role=data["role"] or Role.MEMBER,
                manager_id=_manager_id(actor, data["manager_email"]),
                team_ids=[int(data["team"])] if data["team"] else [],
            )
        except ValidationFailed as exc:
            add_errors(form, exc, {"manager_id": "manager_email", "team_ids": "team"})
        else:
            messages.success(request, f"{person.name} was added.")
            return redirect("core:person", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": None})


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
            messages.success(request, f"{person.name} was updated.")
            return redirect("core:person", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": person})


@require_POST
@member_view
def person_set_active(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    person = selectors.get_person(actor.organisation, pk)
    active = request.POST.get("active") == "1"
    return attempt(
        request,
        f"{person.name} is now {'active' if active else 'deactivated'}.",
        lambda: services.update_person(actor=actor, person=person, active=active),
        "core:person",
        pk=pk,
    )


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
            messages.success(request, f"{person.name} can now sign in as {person.email}.")
    else:
        messages.error(request, "Enter a password.")
    return redirect("core:person", pk=pk)


# ---------------------------------------------------------------- teams


@member_view
def team_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "teams.view")
    nodes = selectors.flatten(selectors.team_tree(actor.organisation))
    page = Paginator(nodes, 200).get_page(request.GET.get("page"))
    return render(request, "core/team_list.html", {"nodes": page.object_list, "page": page})


@member_view
def team_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "teams.view")
    team, members, subteams = selectors.team_detail(actor.organisation, pk)
    return render(
        request,
        "core/team_detail.html",
        {
            "team": team,
            "members": members,
            "subteams": subteams,
            "membership_form": MembershipForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def team_form(request: HttpRequest, actor: Actor, pk: int | None = None) -> HttpResponse:
    org = actor.organisation
    team = selectors.get_team(org, pk) if pk is not None else None
    require(actor, "teams.edit", team or org)
    initial: dict[str, Any] = {"kind": "class" if org.is_school else "team"}
    if team is not None:
        initial = {
            "name": team.name,
            "kind": team.kind,
            "parent": team.parent_id or "",
            "description": team.description,
        }
    elif request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = TeamForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "kind": data["kind"],
            "description": data["description"],
            "parent_id": int(data["parent"]) if data["parent"] else None,
        }
        try:
            if team is None:
                team = services.create_team(actor=actor, **fields)
            else:
                services.update_team(actor=actor, team=team, **fields)
        except ValidationFailed as exc:
            add_errors(form, exc, {"parent_id": "parent"})
        else:
            messages.success(request, f"{team.name} was saved.")
            return redirect("core:team", pk=team.pk)
    return render(request, "core/team_form.html", {"form": form, "team": team})


@require_POST
@member_view
def team_add_member(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    team = selectors.get_team(actor.organisation, pk)
    require(actor, "memberships.edit", team)
    form = MembershipForm(request.POST)
    if form.is_valid():
        person = (
            selectors.people(actor.organisation, active=None)
            .filter(email__iexact=form.cleaned_data["email"])
            .first()
        )
        try:
            if person is None:
                raise ValidationFailed.single("email", "nobody here has that email")
            services.add_membership(
                actor=actor, team_id=team.pk, person_id=person.pk, role=form.cleaned_data["role"]
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"{person.name} joined {team.name}.")
    else:
        messages.error(request, "Enter the email of someone in this organisation.")
    return redirect("core:team", pk=pk)


@require_POST
@member_view
def membership_remove(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    membership = selectors.get_membership(actor.organisation, pk)
    team_id = membership.team_id
    services.remove_membership(actor=actor, membership=membership)
    messages.success(request, "Removed from the team.")
    return redirect("core:team", pk=team_id)


@member_view
def org_chart(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "teams.view")
    raw = request.GET.get("team", "")
    team_id = int(raw) if raw.isdigit() and len(raw) <= 18 else None
    level = selectors.org_chart_level(actor.organisation, team_id)
    template = "core/_org_chart_level.html" if request.htmx else "core/org_chart.html"  # type: ignore[attr-defined]
    return render(request, template, {"level": level})


# ---------------------------------------------------------------- imports

IMPORT_SESSION_KEY = "ampwork_import"
NEW_TOKEN_KEY = "ampwork_new_token"


@require_http_methods(["GET", "POST"])
@member_view
def import_upload(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not (can(actor, "people.import") or can(actor, "teams.import")):
        raise NotAllowed("Your role may not import.")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": request.GET.get("kind", "people")},
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        require(actor, f"{kind}.import")
        try:
            text = imports.decode(upload.read(), upload.name)
        except ValidationFailed as exc:
            form.add_error("file", "; ".join(exc.lines()))
        else:
            plan = (
                imports.plan_people(actor.organisation, text, upload.name, actor=actor)
                if kind == "people"
                else imports.plan_teams(actor.organisation, text, upload.name)
            )
            if plan.ok:
                request.session[IMPORT_SESSION_KEY] = {
                    "kind": kind,
                    "name": upload.name,
                    "text": text,
                }
    columns = {"people": imports.PEOPLE_COLUMNS, "teams": imports.TEAM_COLUMNS}
    refused = request.method == "POST" and bool(form.errors or (plan and plan.errors))
    return render(
        request,
        "core/import.html",
        {"form": form, "plan": plan, "columns": columns},
        status=400 if refused else 200,
    )


@member_view
def import_template(request: HttpRequest, actor: Actor, kind: str) -> HttpResponse:
    """A CSV with the header row and one example row, to fill in."""
    columns, example = {
        "people": (imports.PEOPLE_COLUMNS, imports.PEOPLE_EXAMPLE),
        "teams": (imports.TEAM_COLUMNS, imports.TEAMS_EXAMPLE),
    }[kind]
    response = HttpResponse(",".join(columns) + "\n" + example + "\n", content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


@require_POST
@member_view
def import_commit(request: HttpRequest, actor: Actor) -> HttpResponse:
    staged = request.session.pop(IMPORT_SESSION_KEY, None)
    if not staged:
        messages.error(request, "Nothing to import: upload the file again.")
        return redirect("core:import")
    importer = imports.import_people if staged["kind"] == "people" else imports.import_teams
    try:
        count = importer(actor=actor, text=staged["text"], source=staged["name"])
    except ValidationFailed as exc:
        messages.error(request, "Nothing was imported: " + "; ".join(exc.lines()[:5]))
        return redirect("core:import")
    messages.success(request, f"Imported {count} {staged['kind']} from {staged['name']}.")
    return redirect("core:org_chart" if staged["kind"] == "people" else "core:teams")


# ---------------------------------------------------------------- settings, tokens, audit


@require_http_methods(["GET", "POST"])
@member_view
def organisation_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    org = actor.organisation
    require(actor, "organisation.edit", org)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        form.instance.refresh_from_db()
        try:
            services.update_organisation(actor=actor, **changes)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("core:settings")
    return render(request, "core/settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_view
def tokens(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, plaintext = services.create_token(actor=actor, name=form.cleaned_data["name"])
        # Post/redirect/get: shown once, and a reload does not make a second token.
        request.session[NEW_TOKEN_KEY] = plaintext
        return redirect("core:tokens")
    created = request.session.pop(NEW_TOKEN_KEY, None)
    assert actor.user is not None
    rows = selectors.tokens_for(actor.user, actor.organisation)
    return render(request, "core/tokens.html", {"form": form, "tokens": rows, "created": created})


@require_POST
@member_view
def token_revoke(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    assert actor.user is not None
    token = selectors.tokens_for(actor.user, actor.organisation).filter(pk=pk).first()
    if token is not None:
        services.revoke_token(actor=actor, token=token)
        messages.success(request, f"Token “{token.name}” was revoked.")
    return redirect("core:tokens")


@member_view
def audit_log(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "audit.view")
    page = Paginator(selectors.audit_log(actor.organisation), 100).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})
