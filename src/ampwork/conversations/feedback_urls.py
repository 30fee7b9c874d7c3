from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import feedback_views as views

app_name = "feedback360"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("<id:pk>/", views.detail, name="request"),
    path("<id:pk>/answer/", views.answer, name="answer"),
    path("<id:pk>/accept/", views.accept, name="accept"),
    path("<id:pk>/close/", views.close, name="close"),
    path("<id:pk>/share/", views.share, name="share"),
]
