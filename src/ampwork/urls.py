from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import include, path

from ampwork.api import api
from ampwork.core.views.account import PasswordChangeView, SignInView
from ampwork.core.views.health import healthz, metrics, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", api.urls),
    # SCIM 2.0 provisioning: the organisation's bearer token, no session (core/scim/)
    path("scim/v2/", include("ampwork.core.scim.urls")),
    path("", include("ampwork.core.urls")),
    path("settings/webhooks/", include("ampwork.integrations.urls")),
    path("okrs/", include("ampwork.okrs.urls")),
    path("fairness/", include("ampwork.fairness.urls")),
    path("pulse/", include("ampwork.pulse.urls")),
    path("purpose/", include("ampwork.purpose.urls")),
    path("autonomy/", include("ampwork.autonomy.urls")),
    path("mastery/", include("ampwork.mastery.urls")),
    path("advisor/", include("ampwork.advisor.urls")),
    path("one-on-ones/", include("ampwork.conversations.urls")),
    path("classroom/", include("ampwork.classroom.urls")),
    path("feedback-360/", include("ampwork.conversations.feedback_urls")),
    path("calendar/", include("ampwork.feeds.urls")),
    path("notifications/", include("ampwork.notifications.urls")),
    path("chat/", include("ampwork.chat.urls")),
    path("demo/", include("ampwork.demo.urls")),  # the demo's outbox (404 elsewhere)
    # allauth: password reset, two-factor, sessions, single sign-on (ampwork.core.account_urls)
    path("accounts/", include("ampwork.core.account_urls")),
    # the names allauth's flows redirect to, at ampwork's own addresses
    path("sign-in/", SignInView.as_view(), name="account_login"),
    path("sign-out/", LogoutView.as_view(), name="account_logout"),
    path("account/password/", PasswordChangeView.as_view(), name="account_change_password"),
]
