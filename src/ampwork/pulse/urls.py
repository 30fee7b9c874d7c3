from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import views

app_name = "pulse"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("rounds/<id:pk>/", views.round_page, name="round"),
    path("rounds/<id:pk>/status/", views.change_status, name="status"),
    path("rounds/<id:pk>/board/", views.board, name="board"),
    path("rounds/<id:pk>/export.csv", views.export, name="export"),
    path("rounds/<id:pk>/answer/", views.answer_signed_in, name="answer"),
    path("answer/<str:token>/", views.answer_by_link, name="answer_link"),
]
