from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, re_path, register_converter

from . import views

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
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("switch/", views.switch_organisation, name="switch"),
    path("invitations/", views.invitations, name="invitations"),
    path(
        "invitations/<id:pk>/accept/",
        views.invitation_decide,
        {"decision": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<id:pk>/decline/",
        views.invitation_decide,
        {"decision": "decline"},
        name="invitation_decline",
    ),
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<id:pk>/", views.person_detail, name="person"),
    path("people/<id:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<id:pk>/active/", views.person_set_active, name="person_set_active"),
    path("people/<id:pk>/login/", views.person_grant_login, name="person_grant_login"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_form, name="team_create"),
    path("teams/<id:pk>/", views.team_detail, name="team"),
    path("teams/<id:pk>/edit/", views.team_form, name="team_edit"),
    path("teams/<id:pk>/members/", views.team_add_member, name="team_add_member"),
    path("memberships/<id:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("org-chart/", views.org_chart, name="org_chart"),
    path("import/", views.import_upload, name="import"),
    re_path(
        r"^import/template/(?P<kind>people|teams)\.csv$",
        views.import_template,
        name="import_template",
    ),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("settings/", views.organisation_settings, name="settings"),
    path("methods/", views.methods, name="methods"),
    path("audit-log/", views.audit_log, name="audit_log"),
]
