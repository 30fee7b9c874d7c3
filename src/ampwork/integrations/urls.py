from __future__ import annotations

from django.urls import path

from . import views

app_name = "integrations"

# "id" is core's converter (registered by ampwork.core.urls)
urlpatterns = [
    path("", views.webhooks, name="webhooks"),
    path("<id:pk>/", views.endpoint, name="endpoint"),
    path("<id:pk>/deliveries/", views.deliveries, name="deliveries"),
    path("<id:pk>/test/", views.send_test, name="test"),
    path("<id:pk>/rotate-secret/", views.rotate, name="rotate"),
    path("<id:pk>/delete/", views.delete, name="delete"),
    path("deliveries/<id:pk>/retry/", views.retry, name="retry"),
]
