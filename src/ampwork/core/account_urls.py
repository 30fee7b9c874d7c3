"""The django-allauth routes ampwork uses, named one by one (not ``allauth.urls``: no sign-up,
no email management, nothing the permission matrix does not list). Mounted at /accounts/."""

from __future__ import annotations

from allauth.account import views
from allauth.usersessions import views as usersessions_views
from django.urls import path, re_path

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
    # where the account is signed in, and signing out of the other sessions
    path("sessions/", usersessions_views.list_usersessions, name="usersessions_list"),
]
