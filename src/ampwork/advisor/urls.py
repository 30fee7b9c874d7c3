from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import views

app_name = "advisor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("checklist/", views.tick, name="tick"),
    path("findings/<str:key>/", views.finding, name="finding"),
    path("incentives/", views.incentives, name="incentives"),
    path("incentives/<id:pk>/remove/", views.remove_incentive, name="remove_incentive"),
    path("reward-style/", views.reward_style, name="reward_style"),
]
