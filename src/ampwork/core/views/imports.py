"""Import pages: upload a people or teams CSV, see the plan, then commit it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import imports
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.forms import ImportForm
from ampwork.core.l10n import list_separator
from ampwork.core.permissions import Actor, can, require

from .shared import member_view

IMPORT_SESSION_KEY = "ampwork_import"


@require_http_methods(["GET", "POST"])
@member_view
def import_upload(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not (can(actor, "people.import") or can(actor, "teams.import")):
        raise NotAllowed(_("Your role may not import."))
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
            form.add_error("file", list_separator().join(exc.lines()))
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
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("core:import")
    invite = request.POST.get("invite") == "1" and staged["kind"] == "people"
    try:
        if staged["kind"] == "people":
            count = imports.import_people(
                actor=actor, text=staged["text"], source=staged["name"], invite=invite
            )
        else:
            count = imports.import_teams(actor=actor, text=staged["text"], source=staged["name"])
    except ValidationFailed as exc:
        messages.error(
            request,
            _("Nothing was imported: %(problems)s")
            % {"problems": list_separator().join(exc.lines()[:5])},
        )
        return redirect("core:import")
    messages.success(
        request,
        _imported(count, staged)
        + (" " + _("Invitations to choose a password are being emailed.") if invite else ""),
    )
    # where what was imported is listed: people on People, teams on Teams
    return redirect("core:people" if staged["kind"] == "people" else "core:teams")


NAMED = 5  # the success message names at most this many of the rows imported


def _imported(count: int, staged: dict[str, str]) -> str:
    """'Imported 3 people from people.csv: Ada Byron, Grace Hopper and 1 more.'"""
    values = {"count": count, "source": staged["name"], "named": _named(staged)}
    if staged["kind"] == "people":
        text = ngettext(
            "Imported %(count)d person from %(source)s%(named)s.",
            "Imported %(count)d people from %(source)s%(named)s.",
            count,
        )
    else:
        text = ngettext(
            "Imported %(count)d team from %(source)s%(named)s.",
            "Imported %(count)d teams from %(source)s%(named)s.",
            count,
        )
    return text % values


def _named(staged: dict[str, str]) -> str:
    """': Ada Byron, Grace Hopper and 3 more' — who was imported, as the file names them."""
    columns = imports.PEOPLE_COLUMNS if staged["kind"] == "people" else imports.TEAM_COLUMNS
    plan = imports.Plan(kind=staged["kind"], source=staged["name"])
    rows = imports.read_rows(staged["text"], columns, set(), plan)
    names = [name for _line, row in rows if (name := row.get("name", ""))]
    if not names:
        return ""
    shown = ", ".join(names[:NAMED])
    more = len(names) - NAMED
    if more > 0:
        return _(": %(names)s and %(more)d more") % {"names": shown, "more": more}
    return _(": %(names)s") % {"names": shown}
