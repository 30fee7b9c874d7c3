from __future__ import annotations

from django.urls import path

from . import views

app_name = "classroom"

urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/confirm/", views.roster_confirm, name="roster_confirm"),
]
