from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, re_path, register_converter

from .views import (
    account,
    audit,
    home,
    imports,
    invitations,
    language,
    methods,
    people,
    settings,
    teams,
)

app_name = "core"


class IdConverter:
    """A database id: digits that always fit a 64-bit integer (else the URL is a 404)."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", account.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", account.tokens, name="tokens"),
    path("account/tokens/<id:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path("switch/", home.switch_organisation, name="switch"),
    path("invitations/", invitations.invitations, name="invitations"),
    path(
        "invitations/<id:pk>/accept/",
        invitations.invitation_decide,
        {"decision": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<id:pk>/decline/",
        invitations.invitation_decide,
        {"decision": "decline"},
        name="invitation_decline",
    ),
    path("join/<str:code>/", invitations.join, name="join"),
    path("people/", people.people_list, name="people"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<id:pk>/", people.person_detail, name="person"),
    path("people/<id:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<id:pk>/active/", people.person_set_active, name="person_set_active"),
    path("people/<id:pk>/login/", people.person_grant_login, name="person_grant_login"),
    path("people/<id:pk>/invite/", people.person_invite, name="person_invite"),
    path("people/<id:pk>/sign-out/", people.person_end_sessions, name="person_end_sessions"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", teams.team_form, name="team_create"),
    path("teams/<id:pk>/", teams.team_detail, name="team"),
    path("teams/<id:pk>/edit/", teams.team_form, name="team_edit"),
    path("teams/<id:pk>/members/", teams.team_add_member, name="team_add_member"),
    path("memberships/<id:pk>/remove/", teams.membership_remove, name="membership_remove"),
    path("org-chart/", teams.org_chart, name="org_chart"),
    path("import/", imports.import_upload, name="import"),
    re_path(
        r"^import/template/(?P<kind>people|teams)\.csv$",
        imports.import_template,
        name="import_template",
    ),
    path("import/commit/", imports.import_commit, name="import_commit"),
    path("settings/", settings.organisation_settings, name="settings"),
    # one's own language and (admins) the organisation's default; the footer's switcher
    path("settings/language/", language.language_settings, name="language"),
    path("language/", language.switch_language, name="set_language"),
    path("settings/scim/token/", settings.scim_token_create, name="scim_token_create"),
    path("settings/scim/revoke/", settings.scim_token_revoke, name="scim_token_revoke"),
    path("settings/sign-in/", settings.sso_settings, name="sso_settings"),
    path("methods/", methods.methods, name="methods"),
    path("audit-log/", audit.audit_log, name="audit_log"),
]
