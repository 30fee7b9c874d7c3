"""Writes for organisations, people, teams, memberships, accounts and tokens.

Every function is keyword-only, checks permission through :mod:`ampwork.core.permissions`,
validates with field-level :class:`~ampwork.core.errors.ValidationFailed`, and runs in one
transaction. One module per sub-domain:

- ``audit``: :func:`record`, the audit log every service (of every app) writes to
- ``organisations``: creating an organisation, changing its settings
- ``people``: adding people, changing their profile, role, manager, active flag
- ``teams`` and ``memberships``: the team tree and who is in which team
- ``self_grants``: a non-admin may not widen their own access (manager, lead)
- ``invitations``: an existing login is invited to join, never attached
- ``accounts``: sign-ins, the command line's admin, passwords
- ``sign_in_invites``: a new person's one-time link to set their first password
- ``sessions``: ending an account's sessions (deactivation, "sign out everywhere")
- ``tokens``: personal API tokens
- ``scim_tokens``: the organisation's SCIM token (its identity provider's)
- ``two_factor``: the operator removing a person's second factors (a lost phone)
- ``sso``: single sign-on — an organisation's OpenID Connect provider (checked against its
  discovery document), members joining just in time (imported as ``services.sso``)
- ``languages``: a person's own language, their organisation's default
- ``trees``: the loop check shared by reporting lines and the team tree
"""

from .accounts import change_password, create_admin, grant_login
from .audit import record
from .invitations import accept_invitation, decline_invitation, invite_existing_account
from .languages import set_my_language, set_organisation_language
from .memberships import add_membership, remove_membership, update_membership
from .organisations import (
    ANONYMITY_LOCKS,
    ORGANISATION_FIELDS,
    create_organisation,
    update_organisation,
)
from .people import PERSON_FIELDS, PROFILE_FIELDS, create_person, update_person
from .scim_tokens import (
    SCIM_TOKEN_PREFIX,
    authenticate_scim_token,
    create_scim_token,
    revoke_scim_token,
)
from .self_grants import NEEDS_ADMIN, refuse_self_lead, refuse_self_manager
from .sessions import end_person_sessions, end_sessions_of
from .sign_in_invites import accept_sign_in_invite, send_sign_in_invite
from .teams import (
    TEAM_FIELDS,
    create_team,
    delete_team,
    register_team_owned,
    release_scim_team,
    team_holds_rows,
    update_team,
)
from .tokens import TOKEN_PREFIX, authenticate_token, create_token, revoke_token
from .two_factor import reset_two_factor

__all__ = [
    "ANONYMITY_LOCKS",
    "NEEDS_ADMIN",
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "PROFILE_FIELDS",
    "SCIM_TOKEN_PREFIX",
    "TEAM_FIELDS",
    "TOKEN_PREFIX",
    "accept_invitation",
    "accept_sign_in_invite",
    "add_membership",
    "authenticate_scim_token",
    "authenticate_token",
    "change_password",
    "create_admin",
    "create_organisation",
    "create_person",
    "create_scim_token",
    "create_team",
    "create_token",
    "decline_invitation",
    "delete_team",
    "end_person_sessions",
    "end_sessions_of",
    "grant_login",
    "invite_existing_account",
    "record",
    "refuse_self_lead",
    "refuse_self_manager",
    "register_team_owned",
    "release_scim_team",
    "remove_membership",
    "reset_two_factor",
    "revoke_scim_token",
    "revoke_token",
    "send_sign_in_invite",
    "set_my_language",
    "set_organisation_language",
    "team_holds_rows",
    "update_membership",
    "update_organisation",
    "update_person",
    "update_team",
]
