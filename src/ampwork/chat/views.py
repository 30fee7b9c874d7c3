"""Chat's pages: where each person links Slack and their Teams chat, where an admin connects
the organisation's Slack app, where a team's lead picks its channels — and the address
Slack posts to (no session: bolt checks Slack's signature)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from slack_bolt.adapter.django import SlackRequestHandler

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.forms import add_errors
from ampwork.core.l10n import list_separator
from ampwork.core.languages import organisation_language
from ampwork.core.models import Organisation, Team
from ampwork.core.permissions import Actor, anywhere, can, require
from ampwork.core.views import member_view
from ampwork.core.views.shared import attempt

from . import selectors, services, slack
from .forms import MyChatForm, SlackForm, TeamChannelForm


def _teams(actor: Actor) -> list[Team]:
    """The teams whose channels the actor may set: every team for an admin, else the
    teams they lead."""
    teams = Team.objects.filter(organisation=actor.organisation).order_by("name", "id")
    if anywhere(actor, "chat.team_channels"):
        return list(teams)
    if actor.person is None:
        return []
    return [t for t in teams.filter(pk__in=core_selectors.led_teams(actor.person))]


@require_http_methods(["GET", "POST"])
@member_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    me = actor.person
    if me is None:
        raise NotFound(_("You have no person in this organisation."))
    require(actor, "chat.own", me)
    chat = selectors.account(me)
    form = MyChatForm(
        request.POST or None, initial={"digest": chat.digest if chat is not None else True}
    )
    if chat is None or not chat.sealed_teams_url:
        del form.fields["remove_teams"]  # nothing to remove
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        url = "" if data.get("remove_teams") else (data["teams_url"].strip() or None)
        try:
            services.set_my_chat(actor=actor, teams_url=url, digest=data["digest"])
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your chat choices are saved."))
            return redirect("chat:index")
    teams = _teams(actor)
    channels = selectors.team_channels(actor.organisation, teams)
    return render(
        request,
        "chat/index.html",
        {
            "form": form,
            "chat": chat,
            "workspace": selectors.workspace(actor.organisation),
            "teams": [(t, channels.get(t.pk)) for t in teams],
            "events_url": request.build_absolute_uri(
                f"/chat/slack/{actor.organisation.slug}/events"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def slack_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "chat.manage")
    ws = selectors.workspace(actor.organisation)
    form = SlackForm(request.POST or None, initial={"team_id": ws.team_id if ws else ""})
    if request.method == "POST" and request.POST.get("disconnect"):
        return attempt(
            request,
            _("Slack is disconnected: nobody is linked any more."),
            lambda: services.disconnect_slack(actor=actor),
            "chat:slack",
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.connect_slack(actor=actor, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Slack is connected. Try /checkin in your workspace."))
            return redirect("chat:slack")
    return render(
        request,
        "chat/slack.html",
        {
            "form": form,
            "workspace": ws,
            "events_url": request.build_absolute_uri(
                f"/chat/slack/{actor.organisation.slug}/events"
            ),
        },
    )


@require_POST
@member_view
def unlink(request: HttpRequest, actor: Actor) -> HttpResponse:
    return attempt(
        request,
        _("Your Slack account is unlinked."),
        lambda: services.unlink_slack(actor=actor),
        "chat:index",
    )


@require_http_methods(["GET", "POST"])
@member_view
def link(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    """The one-time link /checkin gave: a GET shows a button (a link preview changes
    nothing); the POST links."""
    if request.method == "POST":
        try:
            services.redeem_link_code(actor=actor, code=code)
        except ValidationFailed as exc:
            return render(
                request,
                "chat/link.html",
                {"error": list_separator().join(e.message for e in exc.errors)},
                status=400,
            )
        messages.success(request, _("Your Slack account is linked: /checkin works now."))
        return redirect("chat:index")
    row = selectors.link_code(actor.organisation, code)
    if row is None:
        return render(
            request,
            "chat/link.html",
            {
                "error": _(
                    "This link is used, too old or not for this organisation: run /checkin again."
                )
            },
            status=400,
        )
    current = selectors.account(actor.person) if actor.person is not None else None
    return render(
        request,
        "chat/link.html",
        {
            "row": row,
            "who": f"@{row.slack_name} ({row.slack_user_id})"
            if row.slack_name
            else row.slack_user_id,
            "workspace": selectors.workspace(actor.organisation),
            "replaces": current.slack_user_id if current and current.slack_user_id else "",
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def team_channels(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, organisation=actor.organisation, pk=pk)
    require(actor, "chat.team_channels", team)
    row = selectors.team_channels(actor.organisation, [team]).get(team.pk)
    initial = {
        "slack_channel": row.slack_channel if row else "",
        "recognition": row.recognition if row else True,
        "reminders": row.reminders if row else True,
    }
    form = TeamChannelForm(
        request.POST or None, initial=initial, school=actor.organisation.is_school
    )
    if row is None or not row.sealed_teams_url:
        del form.fields["remove_teams"]  # nothing to remove
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        url = "" if data.get("remove_teams") else (data["teams_url"].strip() or None)
        try:
            services.set_team_channels(
                actor=actor,
                team=team,
                slack_channel=data["slack_channel"],
                teams_url=url,
                recognition=data["recognition"],
                reminders=data["reminders"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("The channels of %(team)s are saved.") % {"team": team.name}
            )
            return redirect("chat:index")
    return render(
        request,
        "chat/team.html",
        {"form": form, "team": team, "row": row, "can_manage": can(actor, "chat.manage")},
    )


@csrf_exempt  # Slack posts without a session; bolt verifies its signature instead
@require_POST
def slack_events(request: HttpRequest, slug: str) -> HttpResponse:
    org = Organisation.objects.filter(slug=slug).first()
    ws = selectors.workspace(org) if org is not None else None
    if ws is None:
        raise Http404(_("No Slack app is connected here."))
    try:
        with translation.override(organisation_language(org)):  # no browser: the org's
            response: HttpResponse = SlackRequestHandler(slack.build(ws)).handle(request)
    except (ValueError, AttributeError, KeyError, TypeError):  # a body bolt cannot parse
        return HttpResponse("Not a Slack request.", status=400, content_type="text/plain")
    return response
