from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import views

app_name = "mastery"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("review/", views.review_form, name="review_form"),
    path("reviews/<id:pk>/", views.review, name="review"),
    path("people/<id:pk>/", views.person, name="person"),
    path("people/<id:pk>/rate/", views.rate_person, name="rate_person"),
    path("teams/<id:pk>/", views.team, name="team"),
    path("teams/<id:pk>/skills/", views.matrix, name="matrix"),
    path("skills/", views.skills, name="skills"),
    path("skills/new/", views.define_skill, name="define_skill"),
    path("skills/<id:pk>/rate/", views.rate, name="rate"),
    path("feedback/", views.feedback, name="feedback"),
    path("recognition/", views.recognition, name="recognition"),
]
