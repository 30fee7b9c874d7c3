"""Self-grants: a non-admin may not widen their own access by rearranging people or teams."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ampwork.core import selectors
from ampwork.core.errors import NotAllowed
from ampwork.core.models import Person, Team, TeamMembership
from ampwork.core.permissions import Actor, can

NEEDS_ADMIN = gettext_lazy("an admin must make this change")


def _grantor(actor: Actor) -> Person | None:
    """The person whose own access a change could widen: None for admins and the command
    line, who may see everything anyway."""
    if actor.person is None or can(actor, "reporting_lines.grant_self"):
        return None
    return actor.person


def refuse_self_manager(actor: Actor, person: Person | None, manager_id: int | None) -> None:
    """Refuse a non-admin putting themselves above ``person`` in the reporting lines:
    as their manager, or as the manager of their new manager (at any depth). Someone
    already above the person gains nothing by rearranging below themselves."""
    me = _grantor(actor)
    if me is None or manager_id is None:
        return
    if person is not None and (person.pk == me.pk or selectors.manages(me, person.pk)):
        return
    if manager_id == me.pk or selectors.manages(me, manager_id):
        who = person.name if person is not None else _("a new person")
        raise NotAllowed(
            _(
                "You cannot make yourself the manager of %(who)s, directly or through someone "
                "who reports to you: it would let you read their reviews and private "
                "objectives; %(needs_admin)s."
            )
            % {"who": who, "needs_admin": NEEDS_ADMIN}
        )


def refuse_self_lead(
    actor: Actor, team: Team, person: Person | None, role: str = TeamMembership.Role.MEMBER
) -> None:
    """Refuse a non-admin making themselves a team's lead, or putting someone they do not
    already coach into a team they lead (either would make them that person's coach)."""
    me = _grantor(actor)
    if me is None:
        return
    if person is not None and person.pk == me.pk:
        if role == TeamMembership.Role.LEAD:
            raise NotAllowed(
                _("You cannot make yourself lead of %(team)s; %(needs_admin)s.")
                % {"team": team.name, "needs_admin": NEEDS_ADMIN}
            )
        return
    if team.pk in selectors.led_teams(me) and (
        person is None or not selectors.coaches(me, person.pk)
    ):
        who = person.name if person is not None else _("a new person")
        raise NotAllowed(
            _(
                "You lead %(team)s: adding %(who)s to it would make you their coach; "
                "%(needs_admin)s."
            )
            % {"team": team.name, "who": who, "needs_admin": NEEDS_ADMIN}
        )
