"""A real OpenID Connect provider for the tests: a second Django process running
django-allauth's own provider (allauth.idp.oidc), with its own SQLite file and signing key.

Started by :mod:`tests.oidc_provider.fixture` (or by hand, docs/operations.md
"Single sign-on"): ``OIDC_PROVIDER_DB`` names its database file, ``OIDC_PROVIDER_KEY`` its
RSA private key (PEM)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_HERE = Path(tempfile.gettempdir())
SECRET_KEY = "oidc-test-provider-not-secret"  # a test double
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
    "allauth.idp.oidc",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("OIDC_PROVIDER_DB", str(_HERE / "ampwork-oidc-provider.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# its own cookie name: never mixed up with ampwork's on the same machine
SESSION_COOKIE_NAME = "idp_sessionid"
CSRF_COOKIE_NAME = "idp_csrftoken"
USE_TZ = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_RATE_LIMITS = False
IDP_OIDC_PRIVATE_KEY = os.environ.get("OIDC_PROVIDER_KEY", "")
IDP_OIDC_RATE_LIMITS = False
# a real provider's issuer is one fixed URL, whatever name it is reached by
IDP_OIDC_ADAPTER = "tests.oidc_provider.adapter.Adapter"
OIDC_PROVIDER_ISSUER = os.environ.get("OIDC_PROVIDER_ISSUER", "")
