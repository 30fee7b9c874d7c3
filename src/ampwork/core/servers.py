"""The WSGI servers ``ampwork serve`` runs (docs/operations.md "App servers").

* **waitress** (the default, pure Python, installed with ampwork): one process, threads.
* **gunicorn** (``pip install "ampwork[server]"``): a master and several worker processes
  with threads each (``gthread``), run by ``ampwork serve`` as its child.

``SIGTERM`` to ``ampwork serve`` (systemd's stop, one step of a rolling restart) is a
graceful stop in two steps. First it *drains*: for ``--drain`` seconds the server keeps
answering everything but ``/readyz`` says 503 ``draining``, so the load balancer's health
checks take it out of rotation and send no new requests. Then gunicorn's own graceful
stop: it stops accepting, the workers finish the requests they hold (within
``--graceful-timeout``) and exit. Without the first step, requests the balancer had just
sent wait in the kernel's queue of the closing socket and are reset (seen with gunicorn
24–27 under load in scripts/cluster.sh). ``SIGHUP`` is passed on: gunicorn starts new
workers, then stops the old ones — with the same code and environment (an upgrade is a
restart).

gunicorn starts with the Prometheus multi-process directory set before anything in it
imports the metrics library, so one scrape of ``/metrics`` sums every worker.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

SERVERS = ("waitress", "gunicorn")


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    server: str = "waitress"
    workers: int = 0  # gunicorn: 0 = (2 × CPUs) + 1
    threads: int = 8
    timeout: int = 60  # seconds a request may take (gunicorn) / an idle connection stays
    graceful_timeout: int = 30  # seconds in-flight requests get after SIGTERM (gunicorn)
    drain: float = 6.0  # seconds /readyz says "draining" before the stop (gunicorn)

    @property
    def bind(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def worker_count(self) -> int:
        return self.workers or 2 * (os.cpu_count() or 1) + 1


def gunicorn_available() -> bool:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def gunicorn_argv(options: ServeOptions) -> list[str]:
    """The command line of gunicorn's master for ``options``."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "ampwork.wsgi:application",
        "--config",
        "python:ampwork.core.gunicorn_conf",
        "--bind",
        options.bind,
        "--workers",
        str(options.worker_count()),
        "--worker-class",
        "gthread",
        "--threads",
        str(options.threads),
        "--timeout",
        str(options.timeout),
        "--graceful-timeout",
        str(options.graceful_timeout),
        "--name",
        f"ampwork:{options.port}",
    ]


def metrics_dir(data_dir: Path, port: int) -> Path:
    """An empty directory for this server's worker metrics (emptied at each start: files
    of an earlier run would add its counts to this one's)."""
    where = data_dir / "metrics" / str(port)
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    return where


DRAIN_FILE = "AMPWORK_DRAIN_FILE"  # the environment variable /readyz reads


def draining() -> bool:
    """True while this server drains before a stop (``/readyz`` then says 503)."""
    path = os.environ.get(DRAIN_FILE)
    return bool(path) and os.path.exists(path)  # type: ignore[arg-type]


def run_gunicorn(options: ServeOptions, data_dir: Path) -> int:
    """Run gunicorn's master as a child until it exits; SIGTERM/SIGINT drain first, then
    stop it gracefully; SIGHUP is passed on. Returns gunicorn's exit code."""
    drain_file = data_dir / f"draining-{options.port}"
    drain_file.unlink(missing_ok=True)
    env = dict(os.environ)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir(data_dir, options.port))
    env[DRAIN_FILE] = str(drain_file)
    env.setdefault("DJANGO_SETTINGS_MODULE", "ampwork.settings")
    sys.stdout.flush()
    sys.stderr.flush()
    stop_at: list[float] = []  # when to pass SIGTERM on: set by the first SIGTERM/SIGINT
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        if not stop_at:
            drain_file.touch()
            stop_at.append(time.monotonic() + options.drain)
            print(
                f"Draining for {options.drain:g} s (/readyz says 503), then stopping.",
                file=sys.stderr,
                flush=True,
            )

    def reload(signum: int, frame: FrameType | None) -> None:
        if child is not None:
            child.send_signal(signal.SIGHUP)

    # the handlers are in place before gunicorn starts, and a signal that comes while it
    # starts waits until then (the child gets Python's default mask back)
    handled = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, handled)
    try:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, reload)
        child = subprocess.Popen(
            gunicorn_argv(options),
            env=env,
            preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_UNBLOCK, handled),
        )
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, handled)
    passed_on = False
    try:
        while child.poll() is None:
            if stop_at and not passed_on and time.monotonic() >= stop_at[0]:
                child.send_signal(signal.SIGTERM)  # gunicorn: finish what is in flight
                passed_on = True
            time.sleep(0.1)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        drain_file.unlink(missing_ok=True)
    code = child.returncode  # gunicorn's: 0 after a graceful stop
    return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as a shell says


def run_waitress(options: ServeOptions) -> None:
    from waitress import serve

    from ampwork.wsgi import application

    serve(
        application,
        host=options.host,
        port=options.port,
        threads=options.threads,
        channel_timeout=options.timeout,
        ident="ampwork",
    )
