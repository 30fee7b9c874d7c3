from __future__ import annotations

from django.urls import path

import ampwork.core.urls  # noqa: F401  (registers the "id" path converter)

from . import class_code_views, family_views, privacy_views, views

app_name = "classroom"

urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/confirm/", views.roster_confirm, name="roster_confirm"),
    path("consent/", views.consent_policy, name="consent_policy"),
    path("consent/rounds/<id:pk>/", views.consent_round, name="consent_round"),
    path("families/<str:token>/", views.families, name="families"),
    path("goals/", views.goals, name="goals"),
    path("goals/settings/", views.goal_settings, name="goal_settings"),
    path("goals/<id:pk>/", views.goal, name="goal"),
    path("students/<id:pk>/goals/", views.student_goals, name="student_goals"),
    path("students/<id:pk>/conference.pdf", views.conference, name="conference"),
    # guardians: their family page and each child's shared items; the invitation's link
    path("family/", family_views.family, name="family"),
    path("family/children/<id:pk>/", family_views.child, name="child"),
    path("join/<str:code>/", family_views.join, name="join"),
    # teachers: invite guardians, choose what each class shares with families
    path("guardians/", family_views.families_page, name="families_page"),
    path("guardians/<id:pk>/invite/", family_views.invite, name="guardian_invite"),
    path("classes/<id:pk>/families/", family_views.class_sharing, name="class_sharing"),
    # class-code sign-in: a class's teachers (the code, the pictures, the printed sheet);
    # a student: the code, their name, their picture (no sign-in needed)
    path("classes/<id:pk>/sign-in/", class_code_views.class_code, name="class_code"),
    path(
        "classes/<id:pk>/sign-in/sheet/",
        class_code_views.class_code_sheet,
        name="class_code_sheet",
    ),
    path("sign-in/", class_code_views.code_sign_in, name="code_sign_in"),
    path("sign-in/names/", class_code_views.code_names, name="code_names"),
    path("sign-in/names/<id:pk>/", class_code_views.code_secret, name="code_secret"),
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("privacy/classes/<id:pk>/", privacy_views.privacy_class, name="privacy_class"),
]
