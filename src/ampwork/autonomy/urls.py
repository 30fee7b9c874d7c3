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
]
