from __future__ import annotations

from django.urls import path

from . import views

app_name = "fairness"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("run/", views.run, name="run"),
    path("reports/eu/", views.report_eu, name="report_eu"),
    path("reports/uk/", views.report_uk, name="report_uk"),
    path("me/", views.my_pay, name="my_pay"),
    path("import/", views.import_page, name="import"),
    path("import/commit/", views.import_commit, name="import_commit"),
]
