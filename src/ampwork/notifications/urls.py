from __future__ import annotations

from django.urls import path

from . import views

app_name = "notifications"

# "id" is core's converter (registered by ampwork.core.urls)
urlpatterns = [
    path("", views.index, name="index"),
    path("bell/", views.bell, name="bell"),
    path("<id:pk>/read/", views.read_one, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
