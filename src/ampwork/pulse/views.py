"""Pulse pages: the list, a new round, results (heatmap, trend, reliability), answering."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import csvexport, l10n, languages
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.forms import DateInput, add_errors
from ampwork.core.permissions import Actor, can, require
from ampwork.core.views import flash_errors, member_view

from . import selectors, services, translations
from .models import Round

QR_TITLE = _("QR code of the link to answer this pulse")


@member_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    invitations = selectors.my_invitations(actor)
    rows = [(r, invitations.get(r.pk)) for r in selectors.rounds(actor)[:50]]
    return render(
        request,
        "pulse/index.html",
        {
            "rows": rows,
            "may_create": can(actor, "pulse.create"),
            # a school's consent policy for student pulses (classroom's page)
            "may_set_consent": actor.organisation.is_school
            and can(actor, "consent.policy", actor.organisation),
            # the students' privacy page: age bands of the wording, recognition, retention
            "may_see_privacy": actor.organisation.is_school
            and can(actor, "privacy.view", actor.organisation),
            "today": timezone.localdate(),
        },
    )


class RoundForm(forms.Form):
    name = forms.CharField(max_length=120, initial="AMP Pulse", label=_("Name"))
    opens = forms.DateField(widget=DateInput(), label=_("Opens"))
    closes = forms.DateField(widget=DateInput(), label=_("Closes"))
    teams = forms.MultipleChoiceField(
        required=False,
        label=_("Only these teams"),
        help_text=_("Leave empty for the whole organisation."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    mode = forms.ChoiceField(
        choices=Round.Mode.choices,
        initial=Round.Mode.INVITED,
        widget=forms.RadioSelect,
        label=_("Mode"),
    )
    own_question = forms.CharField(
        max_length=300, required=False, label=_("Add a question of your own (1–5 agreement)")
    )
    own_question_areas = forms.MultipleChoiceField(
        required=False,
        choices=list(selectors.AREA_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        label=_("Your question asks about (US PPRA protected areas)"),
        help_text=_(
            "Tick every area it touches: in a school, a student pulse that touches one "
            "opens only as the school's consent policy says."
        ),
    )
    audience_size = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Shared link: how many people may answer"),
        help_text=_(
            "The link stops taking answers at this many. Empty: the members of the "
            "chosen teams when it opens."
        ),
    )
    class_code = forms.CharField(
        max_length=40,
        required=False,
        label=_("Shared link: a class code (optional)"),
        help_text=_("Say it in class; answers without it are refused."),
    )


@require_http_methods(["GET", "POST"])
@member_view
def create(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "pulse.create")
    whole = can(actor, "pulse.manage")  # else: only the classes the actor leads
    form = RoundForm(
        request.POST or None,
        initial={
            "opens": timezone.localdate(),
            "closes": timezone.localdate() + dt.timedelta(days=7),
            "mode": Round.Mode.UNATTRIBUTED if actor.organisation.is_school else Round.Mode.INVITED,
        },
    )
    if not actor.organisation.is_school:  # the consent policy and class codes are a school's
        del form.fields["own_question_areas"]
        del form.fields["class_code"]
    else:
        form.fields["teams"].label = pgettext("school", "Only these classes")
        form.fields["teams"].help_text = pgettext("school", "Leave empty for the whole school.")
        form.fields["audience_size"].help_text = pgettext(
            "school",
            "The link stops taking answers at this many. Empty: the students of the chosen "
            "classes when it opens.",
        )
    teams = form.fields["teams"]
    choices = [(str(pk), name) for pk, name in selectors.team_choices(actor)]
    teams.choices = choices  # type: ignore[attr-defined]
    if not whole:
        school = actor.organisation.is_school
        teams.required = True
        if len(choices) == 1:  # a teacher of one class: theirs, already chosen
            teams.initial = [choices[0][0]]
        teams.label = gettext("Your class") if school else gettext("Your team")
        teams.help_text = (
            gettext("Only the classes you teach: a teacher's pulse is never for the whole school.")
            if school
            else gettext("Only the teams you lead.")
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.create_round(
                actor=actor,
                name=data["name"],
                opens=data["opens"],
                closes=data["closes"],
                team_ids=[int(t) for t in data["teams"]],
                mode=data["mode"],
                questions=[(data["own_question"], False)] if data["own_question"] else [],
                question_areas=[data.get("own_question_areas") or []]
                if data["own_question"]
                else [],
                audience_size=data["audience_size"]
                if data["mode"] == Round.Mode.UNATTRIBUTED
                else None,
                class_code=data.get("class_code", "")
                if data["mode"] == Round.Mode.UNATTRIBUTED
                else "",
            )
        except ValidationFailed as exc:
            add_errors(form, exc, {"team_ids": "teams"})
        else:
            messages.success(
                request,
                gettext(
                    "Draft saved. Open it when you are ready: the anonymity minimum is fixed then."
                ),
            )
            return redirect("pulse:round", pk=round.pk)
    return render(request, "pulse/create.html", {"form": form})


COMMENTS_PAGE = 100


@member_view
def round_page(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    round = selectors.get_round(actor, pk)
    data = selectors.round_results(actor, round)
    opened = request.GET.get("open", "")
    may_run = can(actor, "pulse.run", round)
    link = _shared_link(request, actor, round)
    languages = selectors.language_rows(data)
    response = render(
        request,
        "pulse/round.html",
        {
            "round": round,
            "data": data,
            "rows": selectors.heat_rows(data, int(opened) if opened.isdigit() else None),
            "opened": opened if opened.isdigit() else "",
            "comments": Paginator(
                (data.groups.get(0) or {}).get("comments") or [], COMMENTS_PAGE
            ).get_page(request.GET.get("comments")),
            "may_run": may_run,
            "shared_link": link,
            "qr": _qr(link) if link else None,
            "link_lost": may_run
            and not link
            and round.mode == Round.Mode.UNATTRIBUTED
            and round.status == Round.Status.OPEN,
            "invitation": selectors.my_invitations(actor).get(round.pk),
            "today": timezone.localdate(),
            "school": actor.organisation.is_school,
            "languages": languages,
            "by_language": _by_language(data, languages),
        },
    )
    if link:  # a page holding a secret is kept by no cache
        patch_cache_control(response, private=True, no_store=True)
    return response


def _by_language(
    data: selectors.RoundResults, languages: list[selectors.LanguageRow]
) -> list[tuple[selectors.LanguageRow, list[tuple[str, Any]]]]:
    """α per language for the reliability panel (``pulse.manage`` only, and only for a
    language split that may be shown): each language with every subscale the round's α
    has, and its α in that language or None (too few answers in it to estimate)."""
    if not data.reliability or data.reliability_by_language is None:
        return []
    labels = dict(data.subscales)
    out = []
    for language in languages:
        found = data.reliability_by_language.get(language.code, {})
        out.append(
            (language, [(labels.get(code, code), found.get(code)) for code in data.reliability])
        )
    return out


@member_view
def board(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The shared link's QR code, large, for a class to scan from the board."""
    round = selectors.get_round(actor, pk)
    require(actor, "pulse.run", round)
    link = _shared_link(request, actor, round)
    if link is None:
        raise NotFound(gettext("this pulse has no shared link to show: it must be open"))
    response = render(
        request, "pulse/board.html", {"round": round, "shared_link": link, "qr": _qr(link)}
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _shared_link(request: HttpRequest, actor: Actor, round: Round) -> str | None:
    """The shared link in full, for those who may share it (the selector asks)."""
    token = selectors.shared_token(actor, round)
    if token is None:
        return None
    return request.build_absolute_uri(reverse("pulse:answer_link", args=[token]))


def _qr(link: str) -> SafeString:
    """The link as a QR code, an inline SVG drawn on the server (segno): no script, no
    image request. Medium error correction, which still scans from a projected board."""
    svg = segno.make(link, error="m").svg_inline(
        scale=1, border=2, light="#fff", svgclass="qr__code", omitsize=True, title=str(QR_TITLE)
    )
    # segno writes the SVG itself: the link is drawn as modules, never as markup
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


@require_POST
@member_view
def change_status(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    round = selectors.get_round(actor, pk)
    try:
        if request.POST.get("action") == "remind":
            count = services.remind(actor=actor, round=round)
            messages.success(
                request,
                ngettext(
                    "Reminded %(count)d person who has not answered yet.",
                    "Reminded %(count)d people who have not answered yet.",
                    count,
                )
                % {"count": count},
            )
        elif request.POST.get("action") == "open":
            opened = services.open_round(actor=actor, round=round)
            messages.success(
                request,
                ngettext(
                    "Open: %(count)d invitation sent.",
                    "Open: %(count)d invitations sent.",
                    opened.invited,
                )
                % {"count": opened.invited}
                if opened.invited
                else gettext("Open: share the link below."),
            )
        elif request.POST.get("action") == "new_link":
            services.renew_shared_link(actor=actor, round=round)
            messages.success(
                request, gettext("A new link is ready below: the old one no longer works.")
            )
        else:
            services.close_round(actor=actor, round=round)
            messages.success(request, pgettext("a pulse round was closed", "Closed."))
    except ValidationFailed as exc:
        flash_errors(request, exc)
    return redirect("pulse:round", pk=pk)


@member_view
def export(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The results as CSV, through the same anonymity rules as the page. A round that is
    not closed has none: one row with how many answered in all, and when results come."""
    round = selectors.get_round(actor, pk)
    require(actor, "pulse.export", round)
    data = selectors.round_results(actor, round)
    out = io.StringIO()
    writer = csvexport.writer(out)
    writer.writerow(
        [
            "group",
            "responses",
            "participation",
            *[f"{c} favourable" for c, _ in data.subscales],
            "eNPS",
            "note",
        ]
    )
    if not data.available:
        writer.writerow(
            [
                "all groups together",
                data.responses,
                "" if data.rate is None else f"{data.rate:.2f}",
                "",
                f"results appear when the round closes on {round.closes.isoformat()}",
            ]
        )
    for group in data.order:
        r = data.groups[group]
        if r["suppressed"]:
            writer.writerow(
                [
                    data.names.get(group, group),
                    "",
                    "",
                    *[""] * len(data.subscales),
                    "",
                    f"suppressed: {r['reason']}",
                ]
            )
            continue
        writer.writerow(
            [
                data.names.get(group, group),
                r["n"],
                "" if r["participation"] is None else f"{r['participation']:.2f}",
                *[
                    ""
                    if r["subscales"][c]["favourable"] is None
                    else f"{r['subscales'][c]['favourable']:.3f}"
                    for c, _ in data.subscales
                ],
                "" if r["enps"] is None else f"{r['enps']:.0f}",
                "",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="pulse-{round.pk}.csv"'
    return response


# ---------------------------------------------------------------- answering


def _form_context(round: Round, invitation: Any) -> dict[str, Any]:
    """The answer page's questions in the reader's language (the page's active language:
    the AMP items in their versioned translation, ``translations``; own questions in their
    author's words)."""
    school = round.organisation.is_school
    items = services.items_of(round)
    band = services.band_for(round, None if invitation is None else invitation.group_id)
    version = round.instrument
    language = translations.language_of(translation.get_language(), version)

    def words(text: str) -> str:
        return l10n.punctuated(text, language)

    return {
        "round": round,
        "scale": translations.scale(version, language),
        "translated": translations.is_translation(version, language),
        # the versioned words, with French spacing before "?" and ":" as they are shown
        "questions": [
            (i.code, words(translations.item_text(version, language, i, school, band)))
            for i in items
        ],
        "enps_question": words(translations.enps_text(version, language, school, band)),
        "comment_question": words(translations.comment_text(version, language)),
        "language": language,
        "school": school,
        "enps_values": list(range(11)),
    }


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _enps(raw: str) -> int | None:
    """The 0–10 answer as posted: empty is no answer; anything but a small number (``"²"``
    is a digit to ``str.isdigit`` but not to ``int``) is out of range, refused by name."""
    if not raw:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else -1


def _answer(request: HttpRequest, round: Round, invitation: Any) -> HttpResponse:
    if invitation is not None and invitation.used:
        return render(request, "pulse/thanks.html", {"round": round, "already": True})
    shared = invitation is None
    if shared and services.has_answered(request, round):
        status = 409 if request.method == "POST" else 200
        return render(
            request, "pulse/thanks.html", {"round": round, "browser": True}, status=status
        )
    context = _form_context(round, invitation)
    context["shared"] = shared
    context["class_code"] = shared and bool(round.class_code)
    status = 200
    if request.method == "POST":
        answers = {code: request.POST.get(code, "") for code, _ in context["questions"]}
        raw_enps = request.POST.get("enps", "")
        context["chosen"] = {**answers, "enps": raw_enps}
        context["comment"] = request.POST.get("comment", "")
        try:
            if shared:
                services.check_rate(round, _address(request))
            services.answer(
                round=round,
                invitation=invitation,
                answers=answers,
                enps=_enps(raw_enps),
                comment=request.POST.get("comment", ""),
                class_code=request.POST.get("class_code", ""),
                language=context["language"],
            )
        except services.RateLimited as exc:
            context["errors"] = [str(exc)]
            status = 429
        except ValidationFailed as exc:
            context["errors"] = [f"{e.message}" for e in exc.errors]
            status = 422
        else:
            response = render(request, "pulse/thanks.html", {"round": round})
            if shared:
                response.set_signed_cookie(
                    **services.answered_cookie(round, secure=request.is_secure())
                )
            return response
    return render(request, "pulse/answer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time link from the invitation email, or a class's shared link: no sign-in."""
    try:
        round, invitation = services.find_invitation(token[:100])
    except NotFound:
        return render(request, "pulse/thanks.html", {"invalid": True}, status=404)
    languages.use_organisation(request, round.organisation)  # signed out: the school's
    return _answer(request, round, invitation)


@require_http_methods(["GET", "POST"])
@member_view
def answer_signed_in(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    round = selectors.get_round(actor, pk)
    invitation = selectors.my_invitations(actor).get(round.pk)
    if invitation is None:
        raise NotAllowed(gettext("You were not invited to this pulse."))
    return _answer(request, round, invitation)
