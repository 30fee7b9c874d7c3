"""The guardians' view: the family page (a guardian's home: their children), one child's
shared goals, reflections and feedback, read-only; the invitation link where a guardian
sets a password or accepts with the account they have; and, for teachers, the families
page (invite guardians, choose what each class shares)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Team, User
from ampwork.core.permissions import Actor, require
from ampwork.core.views import flash_errors, member_view

from . import consent_services, family_consent_selectors, family_selectors, family_services
from .forms import FamilyConsentForm


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"  # "no-referrer" would make forms post Origin: null
    return response


# ---------------------------------------------------------------- guardians


# what a guardian's answer did, in their words (consent_services.guardian_consent)
FAMILY_RECORDED = {
    "recorded": gettext_lazy("Thank you: your answer is recorded."),
    "recorded_late": gettext_lazy(
        "Your consent is recorded. This pulse is already open and who it asks was fixed "
        "when it opened, so your child is not asked this time."
    ),
    "not_open": gettext_lazy("Recorded: your child will not be asked when this pulse opens."),
    "link_closed": gettext_lazy("Recorded: your child's link to this pulse no longer works."),
    "link_renewed": gettext_lazy(
        "Recorded: the class's shared link was renewed; your child will not be given the new one."
    ),
}


# the school's policy, as the family page says it
RULE_WORDS = {
    "consent": gettext_lazy(
        "Written consent required: your child is asked only if you give your consent."
    ),
    "opt_out": gettext_lazy("Opt-out offered: your child is asked unless you opt them out."),
}


@require_http_methods(["GET", "POST"])
@login_required
def family(request: HttpRequest) -> HttpResponse:
    """A guardian's home: their children, and the sensitive student pulses that will ask
    them (questions, policy; consent or opt-out right here). Anyone else: 403."""
    user: User = request.user  # type: ignore[assignment]
    children = family_selectors.children_of(user)
    if not children:
        return render(
            request, "403.html", {"message": _("This page is for guardians.")}, status=403
        )
    status = 200
    if request.method == "POST":
        # someone else's child, or a pulse that is not theirs: NotFound (404), nothing written
        form = FamilyConsentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                did = consent_services.guardian_consent(
                    user=user,
                    round_id=data["round"],
                    student_id=data["student"],
                    status=data["status"],
                )
            except ValidationFailed as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, FAMILY_RECORDED[did])
                return redirect("classroom:family")
        else:
            messages.error(request, _("Choose a pulse, your child and your answer."))
        status = 400
    pulses = family_consent_selectors.sensitive_pulses(user)
    return _private(
        render(
            request,
            "classroom/family.html",
            {"children": children, "pulses": pulses, "rules": RULE_WORDS},
            status=status,
        )
    )


@require_http_methods(["GET"])
@login_required
def child(request: HttpRequest, pk: int) -> HttpResponse:
    """One child's shared items, for their guardian only (anyone else: 404)."""
    user: User = request.user  # type: ignore[assignment]
    view = family_selectors.child_view(user, pk)
    many = len(family_selectors.children_of(user)) > 1
    return _private(render(request, "classroom/child.html", {"view": view, "many": many}))


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """An invitation's link: set a password (no account with that email yet), or — an
    account exists — sign in with it and accept. A used, expired or unknown link says so
    and writes nothing."""
    code = code[:100]
    state = family_selectors.invite_of(code)
    if state.invite is None:
        return _private(
            render(request, "classroom/join.html", {"problem": state.problem}, status=400)
        )
    # the address the link was sent to: invite_of refused it if the guardian's changed since
    email = state.invite.email
    exists = User.objects.filter(email__iexact=email).exists()
    user = request.user if request.user.is_authenticated else None
    form = None
    if not exists:
        form = SetPasswordForm(User(email=email), request.POST or None)
    if request.method == "POST":
        try:
            if exists:
                if user is None:
                    raise ValidationFailed.single("code", "sign in first, then accept")
                family_services.accept_signed_in(code=code, user=user)
            else:
                assert form is not None
                if not form.is_valid():
                    return _private(_join_page(request, state, form, exists, status=400))
                new = family_services.accept_with_password(
                    code=code, password=form.cleaned_data["new_password1"]
                )
                login(request, new, backend="django.contrib.auth.backends.ModelBackend")
        except ValidationFailed as exc:
            flash_errors(request, exc)
            return redirect("classroom:join", code=code)
        messages.success(request, _("Welcome. This is what your child's school shares with you."))
        return redirect("classroom:family")
    return _private(_join_page(request, state, form, exists))


def _join_page(
    request: HttpRequest,
    state: family_selectors.InviteState,
    form: SetPasswordForm[User] | None,
    exists: bool,
    status: int = 200,
) -> HttpResponse:
    assert state.invite is not None
    guardian = state.invite.guardian
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "classroom/join.html",
        {
            "guardian": guardian,
            "school": state.invite.organisation.name,
            "form": form,
            "exists": exists,
            "signed_in_as": user.email if user is not None else "",
            "is_theirs": user is not None and user.email.strip().lower() == state.invite.email,
            "login_url": reverse("core:login") + "?next=" + request.path,
        },
        status=status,
    )


# ---------------------------------------------------------------- teachers


def _school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("families are for schools")


@require_http_methods(["GET"])
@member_view
def families_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The guardians a teacher may invite and what their classes share with families."""
    _school(actor)
    require(actor, "families.page")
    classes = family_selectors.class_sharing(actor)
    guardians = family_selectors.guardian_rows(actor)
    return _private(
        render(
            request, "classroom/families_page.html", {"classes": classes, "guardians": guardians}
        )
    )


@require_POST
@member_view
def invite(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    _school(actor)
    try:
        family_services.invite_guardian(actor=actor, guardian_id=pk)
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("Invitation emailed. The link works once, for %(days)s days.")
            % {"days": family_services.INVITE_DAYS},
        )
    return redirect("classroom:families_page")


@require_http_methods(["GET", "POST"])
@member_view
def class_sharing(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """What one class's families see: goals, reflections, feedback."""
    _school(actor)
    team = Team.objects.filter(organisation=actor.organisation, pk=pk).first()
    if team is None or team.kind == Team.Kind.SCHOOL:
        raise NotFound("no such class")
    require(actor, "families.share", team)
    if request.method == "POST":
        post = request.POST
        family_services.set_sharing(
            actor=actor,
            team=team,
            goals=post.get("goals") == "on",
            reflections=post.get("reflections") == "on",
            feedback=post.get("feedback") == "on",
        )
        messages.success(request, _("Saved what %(name)s's families see.") % {"name": team.name})
        return redirect("classroom:class_sharing", pk=pk)
    return _private(
        render(
            request,
            "classroom/class_sharing.html",
            {"sharing": family_selectors.sharing_of(team), "team": team},
        )
    )
