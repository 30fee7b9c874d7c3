"""The django-allauth routes ampwork uses, named one by one (not ``allauth.urls``: no sign-up,
no email management, nothing the permission matrix does not list). Mounted at /accounts/."""

from __future__ import annotations

from allauth.account import views
from allauth.socialaccount import views as social_views
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.urls import path, re_path

from ampwork.core import sso

urlpatterns = [
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("reauthenticate/", views.reauthenticate, name="account_reauthenticate"),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("password/reset/done/", views.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    # single sign-on (ampwork.core.sso): one OpenID Connect provider per organisation,
    # provider_id "org-<slug>"; the callback is the redirect URI each provider registers
    path("oidc/<str:provider_id>/login/", sso.oidc_login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        oidc_views.callback,
        name="openid_connect_callback",
    ),
    path(
        "social/login/cancelled/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("social/login/error/", social_views.login_error, name="socialaccount_login_error"),
]
