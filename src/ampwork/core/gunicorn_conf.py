"""gunicorn's settings for ``ampwork serve --server gunicorn`` (the command line sets the
rest: ampwork.core.servers.gunicorn_argv)."""

from __future__ import annotations

from typing import Any

# no access log: gunicorn's would name every path, and a path can hold a one-time pulse
# link; ampwork logs each request itself (the `request` event, with the route, not the path)
accesslog = None
# the proxy in front (HAProxy, nginx) on this machine may say which scheme the visitor used
forwarded_allow_ips = "127.0.0.1,::1"
# gunicorn 24+'s control socket is one path per user: several app servers on one machine
# would fight over it (older releases ignore the name)
control_socket_disable = True


def child_exit(server: Any, worker: Any) -> None:
    """A worker's metrics files stop counting as live once it exits."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
