from __future__ import annotations

from django.urls import path

from . import views

app_name = "chat"

# "id" is core's converter (registered by ampwork.core.urls)
urlpatterns = [
    path("", views.index, name="index"),
    path("slack/", views.slack_settings, name="slack"),
    path("slack/unlink/", views.unlink, name="unlink"),
    path("slack/link/<str:code>/", views.link, name="link"),
    path("slack/<slug:slug>/events", views.slack_events, name="slack_events"),
    path("teams/<id:pk>/", views.team_channels, name="team"),
]
