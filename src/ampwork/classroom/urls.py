from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import privacy_views, views

app_name = "classroom"

urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/confirm/", views.roster_confirm, name="roster_confirm"),
    path("consent/", views.consent_policy, name="consent_policy"),
    path("consent/rounds/<id:pk>/", views.consent_round, name="consent_round"),
    path("families/<str:token>/", views.families, name="families"),
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("privacy/classes/<id:pk>/", privacy_views.privacy_class, name="privacy_class"),
]
