"""Writes for the advisor: tick a checklist item by hand, record and remove incentives,
answer the reward-style questions for a role or an objective, acknowledge a finding, and
send the weekly digest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core import languages, mail
from ampwork.core.errors import NotAllowed, ValidationFailed, clean_text
from ampwork.core.events import publish
from ampwork.core.languages import speaking_to
from ampwork.core.models import Organisation, Team
from ampwork.core.permissions import Actor, can, require
from ampwork.okrs import selectors as okr_selectors

from . import checklist, style
from .models import Acknowledgement, DigestSent, Incentive, StyleAssessment, Tick

if TYPE_CHECKING:  # an objective handed over by OKRs' front door, for its type only
    from ampwork.okrs.models import Objective


@transaction.atomic
def tick(
    *, actor: Actor, item: str, done: bool = True, note: str = "", team: Team | None = None
) -> Tick:
    """Tick (or untick) an item by hand. Items the data decides cannot be ticked by hand."""
    found = checklist.ITEMS.get(item)
    if found is None:
        raise ValidationFailed.single(
            "item", _("no checklist item '%(item)s'") % {"item": item[:40]}
        )
    if found.auto:
        raise ValidationFailed.single(
            "item", _("this item ticks itself from the data; change what it reads instead")
        )
    if team is not None and not found.team:
        raise ValidationFailed.single("team_id", _("this item is for the whole organisation"))
    require(actor, "advisor.tick", team)
    return Tick.objects.create(
        organisation=actor.organisation,
        team=team,
        item=item,
        done=bool(done),
        note=clean_text(note, "note", 300, required=False),
        by=actor.person,
    )


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed.single("amount", _("must be a number")) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise ValidationFailed.single("amount", _("must be a positive number below 10,000,000,000"))
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def add_incentive(
    *,
    actor: Actor,
    what: str,
    outcome: str,
    style: str,
    amount: Any = None,
    currency: str = "",
    reward_kind: str = "",
    objective_id: int | None = None,
    key_result_id: int | None = None,
    job_role: str = "",
) -> Incentive:
    require(actor, "incentives.edit")
    if style not in Incentive.Style.values:
        raise ValidationFailed.single("style", _("is 'if_then' (promised) or 'now_that' (after)"))
    currency = (currency or "").strip().upper()
    if currency and (len(currency) != 3 or not currency.isalpha()):
        raise ValidationFailed.single("currency", _("is a three-letter code such as EUR"))
    objective, key_result = okr_selectors.referenced(actor, objective_id, key_result_id)
    return Incentive.objects.create(
        organisation=actor.organisation,
        what=clean_text(what, "what", 200),
        outcome=clean_text(outcome, "outcome", 300),
        style=style,
        amount=_amount(amount),
        currency=currency,
        reward_kind=clean_text(reward_kind, "reward_kind", 100, required=False),
        objective=objective,
        key_result=key_result,
        job_role=clean_text(job_role, "job_role", 120, required=False),
        created_by=actor.person,
    )


@transaction.atomic
def remove_incentive(*, actor: Actor, incentive: Incentive) -> None:
    require(actor, "incentives.edit")
    incentive.delete()


@transaction.atomic
def assess_style(
    *,
    actor: Actor,
    answers: style.Answers,
    objective: Objective | None = None,
    job_role: str = "",
) -> tuple[StyleAssessment, style.Verdict]:
    """Answer the four questions for a role or an objective; an objective's work style is
    set from the verdict (rule 1 of the mistake detector reads it)."""
    if (objective is None) == (not job_role.strip()):
        raise ValidationFailed.single("job_role", _("name a role, or choose an objective — one"))
    if objective is not None:
        if not can(actor, "objectives.edit", objective):
            raise NotAllowed(_("Only whoever may edit the objective sets its work style."))
    else:
        require(actor, "incentives.edit")
    verdict = style.classify(answers)
    found = StyleAssessment.objects.create(
        organisation=actor.organisation,
        objective=objective,
        job_role=clean_text(job_role, "job_role", 120, required=False),
        answers=answers.as_dict(),
        work_style=verdict.work_style,
        by=actor.person,
    )
    if objective is not None and objective.work_style != verdict.work_style:
        objective.work_style = verdict.work_style
        objective.save(update_fields=["work_style"])
    return found, verdict


@transaction.atomic
def acknowledge(*, actor: Actor, key: str, note: str) -> Acknowledgement:
    """Acknowledge a finding the actor can see (the caller looks it up first)."""
    return Acknowledgement.objects.create(
        organisation=actor.organisation,
        key=key[:120],
        note=clean_text(note, "note", 500),
        by=actor.person,
    )


# ---------------------------------------------------------------- the weekly digest


@languages.keeps_language  # each digest in its reader's language
def send_digests(
    *, org: Organisation, today: dt.date | None = None, dry_run: bool = False
) -> list[str]:
    """One email per manager and admin: their dashboard's numbers, what changed since the
    last digest, and the findings they can see. Once a week each: reads decide who gets
    what; the worker sends them and marks each sent after the mail server took it
    (core.mail: at least once, a refused one retried with backoff)."""
    from . import dashboards  # the digest is the dashboard, by email

    today = today or timezone.localdate()
    sent = []
    letters = []
    findings: list[tuple[int, int, dt.date]] = []
    skipped = 0
    for person, digest in dashboards.digests(org, today):
        if not dry_run and mail.sent_already(DigestSent, person=person, week=digest.week):
            skipped += 1
            continue
        sent.append(person.email)
        with speaking_to(person):
            message = EmailMessage(
                subject=_("ampwork this week — %(organisation)s") % {"organisation": org.name},
                body=digest.text(f"{settings.BASE_URL}/?org={org.slug}"),
                to=[person.email],
            )
        row = {"organisation": org, "person": person, "week": digest.week}
        letters.append(mail.Letter(message, DigestSent, {**row, "numbers": digest.numbers}))
        open_ = sum(1 for f in digest.findings if f.acknowledged is None)
        if open_:
            findings.append((person.pk, open_, digest.week))
    if dry_run:
        return sent
    mail.queue(letters, kind="advisor.digest", org_id=org.pk, skipped=skipped)
    for person_id, count, week in findings:  # the notification centre: findings they see
        publish(
            org.pk,
            "advisor.findings",
            {"person_id": person_id, "count": count, "week": week.isoformat()},
        )
    return sent
