"""``/scim/v2/``: SCIM 2.0 provisioning for the organisation whose token asks."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:key>", views.resource_type, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:key>", views.schema, name="schema"),
    path("Users", views.user_list, name="users"),
    path("Users/<str:pk>", views.user_detail, name="user"),
    path("Groups", views.group_list, name="groups"),
    path("Groups/<str:pk>", views.group_detail, name="group"),
]
