from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import views

app_name = "autonomy"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("people/<id:pk>/", views.person, name="person"),
    path("people/<id:pk>/decide/", views.decide, name="decide"),
    path("teams/<id:pk>/", views.grid, name="grid"),
    path("projects/", views.add_project, name="add_project"),
    path("projects/<id:pk>/time/", views.log_time, name="log_time"),
    path("projects/<id:pk>/", views.update_project, name="update_project"),
    path("time-policy/", views.set_policy, name="set_policy"),
    path("shipit/", views.shipit_events, name="shipit"),
    path("shipit/<id:pk>/", views.shipit_event, name="shipit_event"),
    path("shipit/<id:pk>/propose/", views.shipit_propose, name="shipit_propose"),
    path("shipit/projects/<id:pk>/<slug:action>/", views.shipit_action, name="shipit_action"),
]
