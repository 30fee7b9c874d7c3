"""The one place that answers "may this actor do this to this object?".

Web views, API handlers, templates (``{% if actor|can:"okrs.dashboard" %}``) and CLI
commands all ask :func:`can` / :func:`require`, so a rule changes in one place. An object
of another organisation is never allowed: callers look objects up inside the actor's
organisation and answer 404 before asking here.

The table: ``RULES`` (the roles that may do an action to any object of their
organisation), ``SCHOOL_RULES`` (the same in a school, where it differs) and
``OBJECT_RULES`` (a further grant that depends on the object). Core's own actions are
below; every other app adds its actions in its ``rules.py`` (autonomy: ``permissions.py``,
since its ``rules.py`` is the pure autonomy maths), which its ``AppConfig.ready()``
installs. Nothing else checks roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import NotAllowed, TwoFactorRequired
from .models import Organisation, Person, Role, Team, User

ALL_ROLES = frozenset(Role.values)
STAFF = frozenset({Role.ADMIN, Role.PEOPLE_OPS})
ADMIN_ONLY = frozenset({Role.ADMIN})

# action -> roles that may perform it on any object of their organisation.
RULES: dict[str, frozenset[str]] = {
    "people.view": ALL_ROLES,
    # the whole directory, and people's email addresses (a school's students: SCHOOL_RULES)
    "people.view_everyone": ALL_ROLES,
    "people.view_email": ALL_ROLES,
    "people.edit": STAFF,
    "people.import": STAFF,
    "people.change_role": ADMIN_ONLY,
    "teams.view": ALL_ROLES,
    "teams.edit": STAFF,
    "teams.import": STAFF,
    "memberships.view": ALL_ROLES,
    "memberships.edit": STAFF,
    "organisation.edit": ADMIN_ONLY,
    "organisation.export": ADMIN_ONLY,
    # single sign-on: who signs in, and how (core/sso.py)
    "organisation.sso": ADMIN_ONLY,
    "audit.view": ADMIN_ONLY,
    # putting oneself above someone (their manager, their team's lead) widens one's own
    # access to their reviews, private objectives and ledger: only admins may
    "reporting_lines.grant_self": ADMIN_ONLY,
    # setting the password of an account that already signs in would let its setter sign
    # in as that person (an admin included): only admins may (and each their own, below)
    "people.reset_password": ADMIN_ONLY,
    # the identity provider's SCIM token reads and writes every person and team: only
    # admins (head teachers) create, see and revoke it
    "scim.manage": ADMIN_ONLY,
    # emailing a new person a link to set their first password: whoever may add people
    # (setting a first password by hand is theirs already)
    "people.invite": STAFF,
    # signing a person out of every browser ("sign out everywhere"): admins
    "people.end_sessions": ADMIN_ONLY,
    # a personal API token for one's own account: everyone, but never a school's student
    # (a child's class-code sign-in must not turn into a permanent bearer token)
    "tokens.create": ALL_ROLES,
    # the first sign-in of an admin (head teacher) without an account — a first password
    # set by hand or an emailed invitation — would let people ops (who may edit the
    # person's email) sign in as an admin: only admins may (``account_setup_action``)
    "people.admin_account": ADMIN_ONLY,
    # the language one reads ampwork in: one's own, everyone (the footer's switcher sets a
    # cookie for anyone, signed in or not); the organisation's default: admins
    "language.choose": ALL_ROLES,
    "organisation.language": ADMIN_ONLY,
    # switching the two-factor policy itself: an admin it holds back may not switch it off
    "organisation.two_factor_policy": ADMIN_ONLY,
}

# Actions that, when the organisation requires two-factor sign-in
# (``Organisation.require_two_factor``), its admins and people ops (a school's head
# teachers) may take only once they have set up two-factor: pay data and exports. Apps add
# theirs with ``register(..., two_factor=True)``; ``Actor.two_factor_ok`` is the answer
# for the actor, worked out once per request (``selectors.actor_for``).
TWO_FACTOR_ROLES = STAFF
TWO_FACTOR_ACTIONS: set[str] = {"organisation.export", "organisation.two_factor_policy"}
TWO_FACTOR_REFUSAL = gettext_lazy(
    "Your organisation requires two-factor sign-in before you see pay data or exports: "
    "set it up under Two-factor sign-in (/accounts/2fa/), then try again."
)


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which organisation, with which role.

    ``user`` is None for the command line, which the server's operator runs and which
    acts as an admin of the organisation it names.
    """

    organisation: Organisation
    role: str
    user: User | None = None
    person: Person | None = None
    # what acts when no account does, as the audit log names it
    via: str = "command line"
    # False only for an admin or people ops (head teacher) whose organisation requires
    # two-factor sign-in and who has not set it up; the command line's operator is trusted
    two_factor_ok: bool = True

    @classmethod
    def system(cls, organisation: Organisation, via: str = "command line") -> Actor:
        return cls(organisation=organisation, role=Role.ADMIN, via=via)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def label(self) -> str:
        return self.user.email if self.user else self.via


ObjectCheck = Callable[["Actor", Any], bool]
# action -> a further grant that depends on the object (its owner, the actor's reports…)
OBJECT_RULES: dict[str, ObjectCheck] = {}
# action -> the roles that may in a school, where they differ from RULES (teachers, who
# hold the manager role, look after their school's skills, rewards and purpose)
SCHOOL_RULES: dict[str, frozenset[str]] = {}
TEACHERS = frozenset({Role.ADMIN, Role.MANAGER})  # in a school: head teachers and teachers
SCHOOL_RULES["tokens.create"] = TEACHERS  # not students
# A school's students are children: the directory shows them only the people they share a
# class with (their classmates and teachers), without anyone's email address, and never
# through the API (the people endpoints). Staff see everyone, as in a company.
SCHOOL_STAFF = frozenset({Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER})
SCHOOL_RULES["people.view_everyone"] = SCHOOL_STAFF
SCHOOL_RULES["people.view_email"] = SCHOOL_STAFF


def register(
    action: str,
    roles: Iterable[str],
    check: ObjectCheck | None = None,
    *,
    school: Iterable[str] | None = None,
    two_factor: bool = False,
) -> None:
    """Add an app's action: the roles that may always (``school``: in a school, if they
    differ), and optionally an object check; ``two_factor``: refused to an actor whom the
    organisation's two-factor policy holds back (pay data, exports)."""
    RULES[action] = frozenset(roles)
    if two_factor:
        TWO_FACTOR_ACTIONS.add(action)
    if school is not None:
        SCHOOL_RULES[action] = frozenset(school)
    if check is not None:
        OBJECT_RULES[action] = check


def roles_for(organisation: Organisation, action: str) -> frozenset[str]:
    """The roles that may do ``action`` to any object of ``organisation``."""
    if action not in RULES:
        raise KeyError(f"unknown action {action!r}")
    if organisation.is_school and action in SCHOOL_RULES:
        return SCHOOL_RULES[action]
    return RULES[action]


def anywhere(actor: Actor, action: str) -> bool:
    """Whether the actor's role may do ``action`` to every object of the organisation —
    as opposed to only the objects its object rule grants (their own, their reports')."""
    return actor.role in roles_for(actor.organisation, action)


def held_back(actor: Actor, action: str) -> bool:
    """The organisation's two-factor policy refuses ``action`` to this actor for now."""
    return not actor.two_factor_ok and action in TWO_FACTOR_ACTIONS


def can(actor: Actor, action: str, obj: Any = None) -> bool:
    return not held_back(actor, action) and _granted(actor, action, obj)


def _granted(actor: Actor, action: str, obj: Any) -> bool:
    roles = roles_for(actor.organisation, action)
    if obj is not None:
        org_id = getattr(obj, "organisation_id", None)
        if isinstance(obj, Organisation):
            org_id = obj.pk
        if org_id != actor.organisation.pk:
            return False
    if actor.role in roles:
        return True
    check = OBJECT_RULES.get(action)
    return bool(check is not None and obj is not None and check(actor, obj))


def require(actor: Actor, action: str, obj: Any = None) -> None:
    if not _granted(actor, action, obj):
        raise NotAllowed(_("Your role may not do this (%(action)s).") % {"action": action})
    if held_back(actor, action):
        raise TwoFactorRequired(str(TWO_FACTOR_REFUSAL))


def account_setup_action(person: Person) -> str:
    """What giving ``person`` their first sign-in asks besides the usual rule: an admin's
    (a head teacher's) needs an admin."""
    return "people.admin_account" if person.role == Role.ADMIN else "people.invite"


# ---------------------------------------------------------------- a school's words

STUDENT, TEACHER, HEAD_TEACHER = "student", "teacher", "head teacher"


def school_part(who: Actor | Person) -> str:
    """What someone is in a school, so that a page can choose its words (never to allow or
    refuse anything: that is the table above): a student, a teacher or a head teacher
    (people ops count as teachers); "" outside a school."""
    if not who.organisation.is_school:
        return ""
    if who.role == Role.MEMBER:
        return STUDENT
    return HEAD_TEACHER if who.role == Role.ADMIN else TEACHER


# ---------------------------------------------------------------- object checks apps share


def is_self(actor: Actor, person: Any) -> bool:
    """The object is the acting person."""
    me = actor.person
    return me is not None and isinstance(person, Person) and person.pk == me.pk


def leads_team(actor: Actor, team: Any) -> bool:
    """The actor leads this team (a teacher their class)."""
    from . import selectors

    me = actor.person
    return me is not None and isinstance(team, Team) and team.pk in selectors.led_teams(me)


def coaches(actor: Actor, person: Any) -> bool:
    """The actor is one of the person's managers (up the line) or leads one of their
    teams — never for themselves."""
    from . import selectors

    me = actor.person
    if me is None or not isinstance(person, Person) or person.pk == me.pk:
        return False
    return selectors.coaches(me, person.pk)


# one's own password, through "create sign-in", is one's own to set
OBJECT_RULES["people.reset_password"] = is_self
