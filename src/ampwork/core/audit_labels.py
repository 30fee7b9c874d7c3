"""The audit log in the reader's language: what its stored English words are called.

The log is a record: each event keeps the words it was written with — its action's key
("pulse.opened"), the model's class name ("Round"), who acted when no account did
("command line"), its detail's keys ("team_id") — in English, for ever. Only the page
that shows it translates them, through these labels; a word without a label is shown as
stored (a model's English name).

Models are named here, not through their ``Meta.verbose_name``: a verbose name is part of
a model's migration state, and the log must not need a migration to read well.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# what each audit event's action key ('pulse.opened') is called on the page; the key itself
# is stored and exported as it is
ACTIONS: dict[str, str | Promise] = {
    "calendar_feed.created": pgettext_lazy("audit log action", "calendar feed created"),
    "calendar_feed.reset": pgettext_lazy("audit log action", "calendar feed address renewed"),
    "calendar_feed.deleted": pgettext_lazy("audit log action", "calendar feed deleted"),
    "chat.slack_connected": pgettext_lazy("audit log action", "Slack connected"),
    "chat.slack_disconnected": pgettext_lazy("audit log action", "Slack disconnected"),
    "chat.slack_linked": pgettext_lazy("audit log action", "Slack account linked"),
    "chat.team_channels": pgettext_lazy("audit log action", "team channels changed"),
    "class.settings": pgettext_lazy("audit log action", "class settings changed"),
    "classcode.locks_cleared": pgettext_lazy("audit log action", "class-code locks lifted"),
    "classcode.locked_out": pgettext_lazy(
        "audit log action", "class-code sign-in locked after failed tries"
    ),
    "classcode.new_code": pgettext_lazy("audit log action", "new class code"),
    "classcode.secret_reset": pgettext_lazy(
        "audit log action", "a student's picture or word renewed"
    ),
    "classcode.secrets_drawn": pgettext_lazy(
        "audit log action", "pictures and words drawn for a class"
    ),
    "classcode.signed_in": pgettext_lazy("audit log action", "signed in with the class code"),
    "classcode.switched_off": pgettext_lazy("audit log action", "class-code sign-in switched off"),
    "classcode.switched_on": pgettext_lazy("audit log action", "class-code sign-in switched on"),
    "consent.policy_set": pgettext_lazy("audit log action", "consent rule set"),
    "consent.recorded": pgettext_lazy("audit log action", "consent recorded"),
    "cycle.closed": pgettext_lazy("audit log action", "cycle closed and scored"),
    "families.sharing_set": pgettext_lazy("audit log action", "sharing with families changed"),
    "goal.check_in": pgettext_lazy("audit log action", "goal check-in written"),
    "goal.save": pgettext_lazy("audit log action", "goal saved"),
    "goal.settings": pgettext_lazy("audit log action", "goal settings changed"),
    "guardian.email_changed": pgettext_lazy("audit log action", "guardian's email changed"),
    "guardian.invited": pgettext_lazy("audit log action", "guardian invited"),
    "guardian.signed_up": pgettext_lazy("audit log action", "guardian signed up"),
    "invitation.accepted": pgettext_lazy("audit log action", "invitation accepted"),
    "invitation.declined": pgettext_lazy("audit log action", "invitation declined"),
    "invitation.withdrawn": pgettext_lazy("audit log action", "invitation withdrawn"),
    "login.locked_out": pgettext_lazy("audit log action", "sign-in locked after failed tries"),
    "membership.added": pgettext_lazy("audit log action", "added to a team"),
    "membership.removed": pgettext_lazy("audit log action", "removed from a team"),
    "membership.role_changed": pgettext_lazy("audit log action", "role in a team changed"),
    "objective.deleted": pgettext_lazy("audit log action", "objective deleted"),
    "objectives.assigned": pgettext_lazy(
        "audit log action", "objective handed to a team's members"
    ),
    "okrs.imported": pgettext_lazy("audit log action", "OKRs imported"),
    "organisation.exported": pgettext_lazy("audit log action", "organisation exported"),
    "organisation.language_changed": pgettext_lazy(
        "audit log action", "organisation's language changed"
    ),
    "organisation.updated": pgettext_lazy("audit log action", "organisation settings changed"),
    "pay.audited": pgettext_lazy("audit log action", "pay audit run"),
    "pay.viewed": pgettext_lazy("audit log action", "pay data viewed"),
    "pay.imported.compensation": pgettext_lazy("audit log action", "pay imported"),
    "pay.imported.market": pgettext_lazy("audit log action", "market pay imported"),
    "pay.imported.bands": pgettext_lazy("audit log action", "pay bands imported"),
    "pay.imported.rates": pgettext_lazy("audit log action", "exchange rates imported"),
    "people.imported": pgettext_lazy("audit log action", "people imported"),
    "person.activated": pgettext_lazy("audit log action", "person reactivated"),
    "person.deactivated": pgettext_lazy("audit log action", "person deactivated"),
    "person.class_code_taken_over_by_sso": pgettext_lazy(
        "audit log action", "class-code account taken over by single sign-on"
    ),
    "person.created": pgettext_lazy("audit log action", "person added"),
    "person.invited": pgettext_lazy("audit log action", "person invited"),
    "person.joined_by_sso": pgettext_lazy("audit log action", "joined by single sign-on"),
    "person.language_changed": pgettext_lazy("audit log action", "person's language changed"),
    "person.login_granted": pgettext_lazy("audit log action", "sign-in granted"),
    "person.manager_changed": pgettext_lazy("audit log action", "manager changed"),
    "person.role_changed": pgettext_lazy("audit log action", "role changed"),
    "person.sessions_ended": pgettext_lazy("audit log action", "sessions ended"),
    "person.sign_in_accepted": pgettext_lazy("audit log action", "sign-in invitation accepted"),
    "person.sign_in_invited": pgettext_lazy("audit log action", "invited to sign in"),
    "person.sso_connected": pgettext_lazy("audit log action", "single sign-on connected"),
    "person.updated": pgettext_lazy("audit log action", "person changed"),
    "privacy.purged": pgettext_lazy(
        "audit log action", "old data deleted under the retention rule"
    ),
    "privacy.school": pgettext_lazy("audit log action", "school privacy settings changed"),
    "pulse.closed": pgettext_lazy("audit log action", "pulse round closed"),
    "pulse.link_renewed": pgettext_lazy("audit log action", "pulse link renewed"),
    "pulse.opened": pgettext_lazy("audit log action", "pulse round opened"),
    "pulse.reminded": pgettext_lazy("audit log action", "pulse reminder sent"),
    "purpose.published": pgettext_lazy("audit log action", "purpose published"),
    "roster.imported": pgettext_lazy("audit log action", "class roster imported"),
    "scim.token_created": pgettext_lazy("audit log action", "SCIM token created"),
    "scim.token_revoked": pgettext_lazy("audit log action", "SCIM token revoked"),
    "sso.configured": pgettext_lazy("audit log action", "single sign-on configured"),
    "sso.link_removed": pgettext_lazy("audit log action", "single sign-on link removed"),
    "sso.links_removed": pgettext_lazy("audit log action", "single sign-on links removed"),
    "team.created": pgettext_lazy("audit log action", "team created"),
    "team.deleted": pgettext_lazy("audit log action", "team deleted"),
    "team.moved": pgettext_lazy("audit log action", "team moved"),
    "team.scim_released": pgettext_lazy("audit log action", "team released from SCIM"),
    "team.updated": pgettext_lazy("audit log action", "team changed"),
    "teams.imported": pgettext_lazy("audit log action", "teams imported"),
    "token.created": pgettext_lazy("audit log action", "API token created"),
    "token.revoked": pgettext_lazy("audit log action", "API token revoked"),
    "two_factor.reset": pgettext_lazy("audit log action", "two-step sign-in reset"),
    "webhook.created": pgettext_lazy("audit log action", "webhook created"),
    "webhook.deleted": pgettext_lazy("audit log action", "webhook deleted"),
    "webhook.secret_rotated": pgettext_lazy("audit log action", "webhook secret renewed"),
    "webhook.updated": pgettext_lazy("audit log action", "webhook changed"),
}

# the model class names audit events name as their object
MODELS: dict[str, str | Promise] = {
    "User": pgettext_lazy("audit log object", "account"),
    "Organisation": pgettext_lazy("audit log object", "organisation"),
    "Person": pgettext_lazy("audit log object", "person"),
    "Team": pgettext_lazy("audit log object", "team"),
    "TeamMembership": pgettext_lazy("audit log object", "team membership"),
    "ApiToken": pgettext_lazy("audit log object", "API token"),
    "ScimToken": pgettext_lazy("audit log object", "SCIM token"),
    "Invitation": pgettext_lazy("audit log object", "invitation"),
    "SignInInvite": pgettext_lazy("audit log object", "sign-in invitation"),
    "IdentityProvider": pgettext_lazy("audit log object", "identity provider (SSO)"),
    "Cycle": pgettext_lazy("audit log object", "cycle"),
    "Objective": pgettext_lazy("audit log object", "objective"),
    "KeyResult": pgettext_lazy("audit log object", "key result"),
    "AuditRun": pgettext_lazy("audit log object", "pay audit"),
    "FairnessSettings": pgettext_lazy("audit log object", "fairness settings"),
    "Round": pgettext_lazy("audit log object", "pulse round"),
    "PublishedPurpose": pgettext_lazy("audit log object", "published purpose"),
    "PurposeSettings": pgettext_lazy("audit log object", "purpose settings"),
    "TimePolicy": pgettext_lazy("audit log object", "self-directed time policy"),
    "Endpoint": pgettext_lazy("audit log object", "webhook endpoint"),
    "Guardian": pgettext_lazy("audit log object", "guardian"),
    "GuardianInvite": pgettext_lazy("audit log object", "guardian invitation"),
    "ConsentPolicy": pgettext_lazy("audit log object", "consent policy"),
    "PulseConsent": pgettext_lazy("audit log object", "pulse consent"),
    "Goal": pgettext_lazy("audit log object", "goal"),
    "GoalSettings": pgettext_lazy("audit log object", "goal settings"),
    "ClassSetting": pgettext_lazy("audit log object", "class settings"),
    "SchoolPrivacy": pgettext_lazy("audit log object", "school privacy settings"),
    "ClassCode": pgettext_lazy("audit log object", "class code"),
    "SlackWorkspace": pgettext_lazy("audit log object", "Slack workspace"),
    "ChatAccount": pgettext_lazy("audit log object", "chat account"),
    "TeamChannel": pgettext_lazy("audit log object", "team channel"),
}

# who acted when no account did (``Actor.via``), and the sources events name
SOURCES: dict[str, str | Promise] = {
    "command line": pgettext_lazy("audit log actor", "command line"),
    "system": pgettext_lazy("audit log actor", "system"),
    "web": pgettext_lazy("audit log actor", "web"),
    "API": pgettext_lazy("audit log actor", "API"),
    "family page": pgettext_lazy("audit log actor", "family page"),
    "SCIM provisioning": pgettext_lazy("audit log actor", "SCIM provisioning"),
}

# the keys of events' details
DETAILS: dict[str, str | Promise] = {
    "account_detached": pgettext_lazy("audit log detail", "account detached"),
    "address": pgettext_lazy("audit log detail", "address"),
    "age_band": pgettext_lazy("audit log detail", "age band"),
    "by": pgettext_lazy("audit log detail", "by"),
    "carried": pgettext_lazy("audit log detail", "carried over"),
    "changes": pgettext_lazy("audit log detail", "changes"),
    "check_in": pgettext_lazy("audit log detail", "check-in"),
    "count": pgettext_lazy("audit log detail", "count"),
    "counts": pgettext_lazy("audit log detail", "counts"),
    "email": pgettext_lazy("audit log detail", "email"),
    "enabled": pgettext_lazy("audit log detail", "enabled"),
    "events": pgettext_lazy("audit log detail", "events"),
    "failures": pgettext_lazy("audit log detail", "failed attempts"),
    "feedback": pgettext_lazy("audit log detail", "feedback"),
    "goals": pgettext_lazy("audit log detail", "goals"),
    "guardian_id": pgettext_lazy("audit log detail", "guardian"),
    "host": pgettext_lazy("audit log detail", "host"),
    "invitations_removed": pgettext_lazy("audit log detail", "invitations removed"),
    "invited": pgettext_lazy("audit log detail", "invited"),
    "issuer": pgettext_lazy("audit log detail", "issuer"),
    "kind": pgettext_lazy("audit log detail", "kind"),
    "language": pgettext_lazy("audit log detail", "language"),
    "leads": pgettext_lazy("audit log detail", "leads"),
    "lifted": pgettext_lazy("audit log detail", "lifted"),
    "manager": pgettext_lazy("audit log detail", "manager"),
    "members": pgettext_lazy("audit log detail", "members"),
    "memberships": pgettext_lazy("audit log detail", "memberships"),
    "minutes": pgettext_lazy("audit log detail", "minutes"),
    "name": pgettext_lazy("audit log detail", "name"),
    "old_issuer": pgettext_lazy("audit log detail", "previous issuer"),
    "order_by_kind": pgettext_lazy("audit log detail", "order by kind"),
    "page": pgettext_lazy("audit log detail", "page"),
    "parent": pgettext_lazy("audit log detail", "parent team"),
    "people": pgettext_lazy("audit log detail", "people"),
    "person": pgettext_lazy("audit log detail", "person"),
    "prefix": pgettext_lazy("audit log detail", "prefix"),
    "reason": pgettext_lazy("audit log detail", "reason"),
    "recognition": pgettext_lazy("audit log detail", "recognition"),
    "recorded_at": pgettext_lazy("audit log detail", "recorded at"),
    "recorded_by": pgettext_lazy("audit log detail", "recorded by"),
    "reflections": pgettext_lazy("audit log detail", "reflections"),
    "removed": pgettext_lazy("audit log detail", "removed"),
    "retention_months": pgettext_lazy("audit log detail", "months kept"),
    "role": pgettext_lazy("audit log detail", "role"),
    "round_id": pgettext_lazy("audit log detail", "pulse round"),
    "rule": pgettext_lazy("audit log detail", "rule"),
    "secret": pgettext_lazy("audit log detail", "secret"),
    "sessions": pgettext_lazy("audit log detail", "sessions"),
    "sessions_ended": pgettext_lazy("audit log detail", "sessions ended"),
    "slack_channel": pgettext_lazy("audit log detail", "Slack channel"),
    "source": pgettext_lazy("audit log detail", "source"),
    "status": pgettext_lazy("audit log detail", "status"),
    "students": pgettext_lazy("audit log detail", "students"),
    "subject": pgettext_lazy("audit log detail", "subject"),
    "team": pgettext_lazy("audit log detail", "team"),
    "team_id": pgettext_lazy("audit log detail", "Slack workspace ID"),
    "title": pgettext_lazy("audit log detail", "title"),
    "version": pgettext_lazy("audit log detail", "version"),
    "was": pgettext_lazy("audit log detail", "was"),
    "with_manager": pgettext_lazy("audit log detail", "with manager"),
}


# the stored values of a detail that are words of a fixed list, by (detail key, value);
# names, emails, ids and counts are shown as they are
VALUES: dict[tuple[str, str], str | Promise] = {
    ("status", "red"): pgettext_lazy("audit log value", "red"),
    ("status", "amber"): pgettext_lazy("audit log value", "amber"),
    ("status", "green"): pgettext_lazy("audit log value", "green"),
    ("status", "consented"): pgettext_lazy("audit log value", "consent given"),
    ("status", "opted_out"): pgettext_lazy("audit log value", "opted out"),
    ("rule", "consent"): pgettext_lazy("audit log value", "written consent required"),
    ("rule", "opt_out"): pgettext_lazy("audit log value", "opt-out offered"),
    ("kind", "pictures"): pgettext_lazy("audit log value", "pictures"),
    ("kind", "words"): pgettext_lazy("audit log value", "words"),
    ("page", "fairness overview"): pgettext_lazy("audit log value", "pay fairness overview"),
    ("page", "api full report"): pgettext_lazy("audit log value", "full report, through the API"),
}


def value_label(key: str, value: object) -> object:
    """A detail's stored value in the reader's words when it is a word of a fixed list
    ('red' → 'rot'); anything else as stored."""
    if isinstance(value, str) and (key, value) in VALUES:
        return str(VALUES[key, value])
    return value


def action_label(action: str) -> str:
    """'pulse.opened' → 'pulse round opened' in the reader's language; an action without a
    label here is shown as stored."""
    return str(ACTIONS[action]) if action in ACTIONS else action


def model_label(name: str) -> str:
    """'Round' → 'pulse round' in the reader's language; a model without a label here is
    called by its English verbose name, anything else as stored."""
    if name in MODELS:
        return str(MODELS[name])
    for model in apps.get_models():
        if model.__name__ == name:
            return str(model._meta.verbose_name)
    return name


def source_label(label: str) -> str:
    """Who acted: an account's email as it is, 'command line' and the like translated."""
    return str(SOURCES[label]) if label in SOURCES else label


def detail_label(key: str) -> str:
    """A detail's key ('team_id') in the reader's words; an unknown one with its
    underscores as spaces."""
    return str(DETAILS[key]) if key in DETAILS else key.replace("_", " ")
