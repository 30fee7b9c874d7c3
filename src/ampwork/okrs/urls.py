from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import views

app_name = "okrs"

urlpatterns = [
    path("", views.alignment_page, name="alignment"),
    path("check-in/", views.check_in_page, name="check_in"),
    path("key-results/<id:pk>/check-in/", views.check_in_row, name="check_in_row"),
    path("objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<id:pk>/", views.objective_page, name="objective"),
    path("objectives/<id:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<id:pk>/align/", views.objective_link, name="objective_link"),
    path("objectives/<id:pk>/delete/", views.objective_delete, name="objective_delete"),
    path(
        "objectives/<id:objective_pk>/key-results/new/",
        views.key_result_form,
        name="key_result_create",
    ),
    path("key-results/<id:pk>/edit/", views.key_result_form, name="key_result_edit"),
    path("cycles/", views.cycles_page, name="cycles"),
    path("cycles/<id:pk>/", views.dashboard_page, name="dashboard"),
    path("cycles/<id:pk>/close/", views.close_page, name="close"),
    path("assign/", views.template_page, name="template"),
]
