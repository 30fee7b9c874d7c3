from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("<id:pk>/next.ics", views.invitation, name="invitation"),
    path("<id:pk>/share-summary/", views.share_summary, name="share_summary"),
    path("people/<id:pk>/earlier/", views.earlier, name="earlier"),
    path("meetings/<id:pk>/", views.meeting, name="meeting"),
    path("meetings/<id:pk>/points/", views.add_point, name="add_point"),
    path("meetings/<id:pk>/actions/", views.add_action, name="add_action"),
    path("meetings/<id:pk>/shared-notes/", views.shared_notes, name="shared_notes"),
    path("meetings/<id:pk>/private-note/", views.private_note, name="private_note"),
    path("meetings/<id:pk>/date/", views.reschedule, name="reschedule"),
    path("meetings/<id:pk>/hold/", views.hold, name="hold"),
    path("points/<id:pk>/", views.mark_point, name="mark_point"),
    path("actions/<id:pk>/", views.tick_action, name="tick_action"),
]
