"""`ampwork serve`: waitress by default, gunicorn with several workers (ampwork.core.servers)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ampwork.core.servers import ServeOptions, gunicorn_argv, metrics_dir


def test_gunicorn_command_line_carries_every_setting() -> None:
    argv = gunicorn_argv(
        ServeOptions(
            host="0.0.0.0", port=8001, server="gunicorn", workers=3, threads=5, timeout=70,
            graceful_timeout=25,
        )
    )  # fmt: skip
    assert argv[1:4] == ["-m", "gunicorn", "ampwork.wsgi:application"]
    pairs = dict(zip(argv[4::2], argv[5::2], strict=True))
    assert pairs == {
        "--config": "python:ampwork.core.gunicorn_conf",
        "--bind": "0.0.0.0:8001",
        "--workers": "3",
        "--worker-class": "gthread",
        "--threads": "5",
        "--timeout": "70",
        "--graceful-timeout": "25",
        "--name": "ampwork:8001",
    }


def test_gunicorn_accepts_every_option_it_is_given() -> None:
    """The installed gunicorn knows each flag (a renamed one fails at start, in production)."""
    from gunicorn.config import Config

    parser = Config().parser()
    argv = gunicorn_argv(ServeOptions(host="127.0.0.1", port=8001, workers=2))
    parsed = parser.parse_args(argv[3:])
    assert parsed.workers == 2
    assert parsed.graceful_timeout == 30


def test_ipv6_bind_and_default_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServeOptions(host="::1", port=8000).bind == "[::1]:8000"
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    assert ServeOptions(host="h", port=1).worker_count() == 9  # 2 × CPUs + 1
    assert ServeOptions(host="h", port=1, workers=3).worker_count() == 3


def test_the_gunicorn_settings_keep_paths_out_of_the_logs() -> None:
    from ampwork.core import gunicorn_conf

    assert gunicorn_conf.accesslog is None  # a path can hold a one-time pulse link
    assert gunicorn_conf.control_socket_disable is True  # several servers on one machine


def test_metrics_dir_starts_empty(tmp_path: Path) -> None:
    first = metrics_dir(tmp_path, 8001)
    (first / "counter_123.db").write_bytes(b"old run")
    again = metrics_dir(tmp_path, 8001)
    assert again == first
    assert list(again.iterdir()) == []
    assert metrics_dir(tmp_path, 8002) != first  # one per server on the same machine


def test_serve_refuses_gunicorn_when_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ampwork.core.management.commands.serve.gunicorn_available", lambda: False)
    with pytest.raises(CommandError, match=r"pip install 'ampwork\[server\]'"):
        call_command("serve", server="gunicorn")


@pytest.mark.parametrize(("option", "flag"), [("threads", "--threads"), ("timeout", "--timeout")])
def test_serve_refuses_nonsense_numbers(option: str, flag: str) -> None:
    with pytest.raises(CommandError, match=f"{flag}: give a whole number of at least 1"):
        call_command("serve", **{option: 0})
    with pytest.raises(CommandError, match="--drain: give a number of seconds, 0 or more"):
        call_command("serve", drain=-1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def test_sighup_reloads_and_sigterm_drains_then_stops(tmp_path: Path) -> None:
    """A real `ampwork serve --server gunicorn`: SIGHUP reloads and it keeps serving; after
    SIGTERM /readyz says 503 "draining" while every other page still answers, then gunicorn
    stops and the command exits 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMPWORK_")}
    env.update(AMPWORK_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ampwork.settings")
    subprocess.run([sys.executable, "-m", "ampwork", "migrate", "-v0"], env=env, check=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "ampwork", "serve", "--server", "gunicorn", "--workers", "1",
         "--port", str(port), "--drain", "2", "--no-collect"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _get(base + "/readyz")[0] != 200:
            assert server.poll() is None, server.stdout.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        assert (tmp_path / "metrics" / str(port)).is_dir()
        server.send_signal(signal.SIGHUP)  # systemctl reload: new workers, same server
        time.sleep(1)
        deadline = time.monotonic() + 60
        while _get(base + "/readyz")[0] != 200:  # the new workers boot
            assert server.poll() is None, "SIGHUP ended the server"
            assert time.monotonic() < deadline, "no worker answers after SIGHUP"
            time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        status, body = _get(base + "/readyz")
        assert (status, json.loads(body)) == (503, {"status": "error", "server": "draining"})
        assert _get(base + "/healthz")[0] == 200  # still serving while the balancer notices
        assert _get(base + "/sign-in/")[0] == 200
        assert server.wait(30) == 0
        assert not (tmp_path / f"draining-{port}").exists()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_gunicorns_own_lines_lose_links_addresses_and_emails() -> None:
    import logging

    from ampwork.core.gunicorn_conf import GunicornLines, logconfig_dict

    record = logging.LogRecord(
        "gunicorn.error", logging.WARNING, __file__, 1,
        "Invalid request from ip=%s: %s", ("203.0.113.9", "GET /pulse/answer/s3cret/ ann@x.org"),
        None,
    )  # fmt: skip
    assert GunicornLines().filter(record)
    message = record.getMessage()
    assert "203.0.113.9" not in message
    assert "s3cret" not in message
    assert "ann@x.org" not in message
    assert message.startswith("Invalid request from ip=<address>")
    # every handler the loggers name is defined (gunicorn merges the dict key by key)
    handlers = set(logconfig_dict["handlers"])
    named = {h for logger in logconfig_dict["loggers"].values() for h in logger["handlers"]}
    assert named | set(logconfig_dict["root"]["handlers"]) <= handlers
