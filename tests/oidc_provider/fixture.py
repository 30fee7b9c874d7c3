"""The pytest fixture that runs the test OpenID Connect provider: a second Django process
(``tests.oidc_provider.settings``) on a free port of 127.0.0.1, migrated, with a fresh
signing key, ready once its discovery document answers; stopped after the session."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Provider:
    issuer: str
    env: dict[str, str]
    subjects: dict[str, str] = field(default_factory=dict)

    def run(self, **command: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tests.oidc_provider.control", json.dumps(command)],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def register(self, client_id: str, secret: str, redirect_uri: str) -> None:
        self.run(do="client", id=client_id, secret=secret, redirect_uri=redirect_uri)

    def add_user(self, email: str, password: str) -> str:
        subject = self.run(do="user", email=email, password=password)
        self.subjects[email] = subject
        return subject

    def change_email(self, old: str, new: str) -> str:
        return self.run(do="email", old=old, new=new)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    folder = Path(tempfile.mkdtemp(prefix="ampwork-oidc-"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": pem,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH", "")])]
        ),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    port = _free_port()
    env["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}"
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the test provider did not start: {(folder / 'server.log').read_text()}"
                )
            time.sleep(0.2)
        # ampwork's guarded fetches (ampwork.core.safe_http) refuse 127.0.0.1 unless the
        # operator allows private addresses: this provider is on 127.0.0.1
        before = os.environ.get("AMPWORK_OIDC_ALLOW_PRIVATE")
        os.environ["AMPWORK_OIDC_ALLOW_PRIVATE"] = "1"
        try:
            yield Provider(issuer=issuer, env=env)
        finally:
            if before is None:
                os.environ.pop("AMPWORK_OIDC_ALLOW_PRIVATE", None)
            else:
                os.environ["AMPWORK_OIDC_ALLOW_PRIVATE"] = before
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
