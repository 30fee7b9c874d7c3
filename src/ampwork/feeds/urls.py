from __future__ import annotations

from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("", views.page, name="page"),
    path("reset/", views.reset, name="reset"),
    path("off/", views.turn_off, name="turn_off"),
    path("<str:secret>.ics", views.ics, name="ics"),
]
