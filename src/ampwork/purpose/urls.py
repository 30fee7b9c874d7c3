from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import views

app_name = "purpose"

urlpatterns = [
    path("", views.index, name="index"),
    path("statement/", views.statement, name="statement"),
    path("prompt/", views.prompt, name="prompt"),
    path("drafts/", views.drafting, name="propose"),
    path("drafts/<id:pk>/", views.drafting, name="draft"),
    path("stories/", views.story, name="story"),
    path("objectives/<id:pk>/serves/", views.serves, name="serves"),
]
