"""The audit log in the reader's language: what its stored English words are called.

The log is a record: each event keeps the words it was written with — the model's class
name ("Round"), who acted when no account did ("command line"), its detail's keys
("team_id") — in English, for ever. Only the page that shows it translates them, through
these labels; a word without a label is shown as stored (a model's English name).

Models are named here, not through their ``Meta.verbose_name``: a verbose name is part of
a model's migration state, and the log must not need a migration to read well.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

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
