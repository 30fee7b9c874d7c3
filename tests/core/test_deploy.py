"""The reference deployment in deploy/: what docs/operations.md shows is what the cluster
drill (scripts/cluster.sh) runs, and each file works with this release."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from ampwork.core.management.commands.serve import Command as Serve

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
FILES = ["ampwork@.service", "ampwork.env", "haproxy.cfg", "postgresql.conf"]


@pytest.mark.parametrize("name", FILES)
def test_the_docs_show_each_file_as_it_is(name: str) -> None:
    docs = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    body = (DEPLOY / name).read_text(encoding="utf-8").rstrip("\n")
    assert f"`deploy/{name}`" in docs
    assert body in docs, f"docs/operations.md shows an old copy of deploy/{name}"


def test_the_unit_starts_a_serve_this_release_understands() -> None:
    unit = (DEPLOY / "ampwork@.service").read_text(encoding="utf-8")
    line = next(x for x in unit.splitlines() if x.startswith("ExecStart="))
    argv = shlex.split(line.removeprefix("ExecStart=").replace("%i", "8001"))
    assert argv[:2] == ["/opt/ampwork/bin/ampwork", "serve"]
    options = Serve().create_parser("ampwork", "serve").parse_args(argv[2:])
    assert (options.server, options.port) == ("gunicorn", 8001)
    # one data dir per instance (a restart never rewrites another instance's static files)
    assert "Environment=AMPWORK_DATA_DIR=/var/lib/ampwork/%i" in unit
    assert "AMPWORK_DATA_DIR" not in _env()  # EnvironmentFile= would win over Environment=
    # SIGTERM to `ampwork serve` alone: it drains, then stops gunicorn itself
    assert "KillMode=mixed" in unit
    timeout = int(re.search(r"TimeoutStopSec=(\d+)", unit).group(1))  # type: ignore[union-attr]
    env = _env()
    assert timeout > float(env["AMPWORK_DRAIN_SECONDS"]) + int(env["AMPWORK_GRACEFUL_TIMEOUT"])


def _env() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "ampwork.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def test_every_variable_of_the_environment_file_is_one_ampwork_reads() -> None:
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "src" / "ampwork").rglob("*.py")
    )
    for key in _env():
        assert f'"{key}"' in source, f"{key} is read nowhere"


def test_the_drain_outlasts_the_balancers_checks() -> None:
    """A draining server must be out of rotation before it stops accepting."""
    cfg = (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8")
    inter = int(re.search(r"inter (\d+)s", cfg).group(1))  # type: ignore[union-attr]
    fall = int(re.search(r"fall (\d+)", cfg).group(1))  # type: ignore[union-attr]
    assert float(_env()["AMPWORK_DRAIN_SECONDS"]) > inter * fall
    settings = [line.strip() for line in cfg.splitlines() if not line.strip().startswith("#")]
    # only connection retries: a request a server has taken is never sent twice
    assert not [line for line in settings if line.startswith("retry-on")]
    # decoded first: /%6detrics is /metrics too
    assert "http-request deny deny_status 404 if { path,url_dec -m beg /metrics }" in settings
    log_format = next(line for line in settings if line.startswith("log-format"))
    # only these fields: no request line, URI, path or query (a path can hold a one-time
    # pulse link), no client address, no sample fetch (%[...]) that could name either
    allowed = {"%tr", "%b", "%s", "%TR", "%Tw", "%Tc", "%Tr", "%Ta", "%ST", "%B", "%tsc",
               "%ac", "%fc", "%bc", "%sc", "%rc", "%sq", "%bq", "%HM", "%ID"}  # fmt: skip
    used = re.findall(r"%(?:\{[^}]*\})?(?:\[[^\]]*\]|[A-Za-z]+)", log_format)
    assert used
    assert set(used) <= allowed, set(used) - allowed
    assert "option dontlog-normal" in settings


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed")
def test_haproxy_accepts_the_configuration(tmp_path: Path) -> None:
    pem = tmp_path / "tls.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(tmp_path / "k"), "-out", str(tmp_path / "c")],
        check=True, capture_output=True,
    )  # fmt: skip
    pem.write_bytes((tmp_path / "c").read_bytes() + (tmp_path / "k").read_bytes())
    env = dict(
        os.environ,
        AMPWORK_LB_BIND="127.0.0.1:18443",
        AMPWORK_TLS_PEM=str(pem),
        AMPWORK_PUBLIC_HOST="ampwork.example.org",
        AMPWORK_APP1="127.0.0.1:8001",
        AMPWORK_APP2="127.0.0.1:8002",
        AMPWORK_LB_ADMIN_SOCKET=str(tmp_path / "admin.sock"),
    )
    checked = subprocess.run(
        ["haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")], env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
