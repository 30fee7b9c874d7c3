"""Test settings: the real settings, with a throwaway data directory and a fast hasher."""

import os
import tempfile

os.environ.setdefault("AMPWORK_DATA_DIR", tempfile.mkdtemp(prefix="ampwork-test-"))

from ampwork.settings import *  # noqa: F403

# Argon2 is the production hasher (tests/core/test_settings.py checks it); tests that
# create hundreds of accounts use a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run where they are enqueued; tests of the worker itself switch to the database
# backend (tests/core/test_worker.py) and run the worker's loop in the test.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A file, not memory, for SQLite: tests that write from several threads at once (check-in
# concurrency) then meet the same locking as a real server (WAL, busy timeout).
if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
