"""gunicorn's settings for ``ampwork serve --server gunicorn`` (the command line sets the
rest: ampwork.core.servers.gunicorn_argv)."""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from ampwork.logfilters import scrub

# no access log: gunicorn's would name every path, and a path can hold a one-time pulse
# link; ampwork logs each request itself (the `request` event, with the route, not the path)
accesslog = None
# the proxy in front (HAProxy, nginx) on this machine may say which scheme the visitor used
forwarded_allow_ips = "127.0.0.1,::1"
# gunicorn 24+'s control socket is one path per user: several app servers on one machine
# would fight over it (older releases ignore the name)
control_socket_disable = True

_ADDRESS = re.compile(r"\bip=\S+")


class GunicornLines(logging.Filter):
    """gunicorn's own lines ("Error handling request /pulse/answer/…", "Invalid request
    from ip=…") without one-time links, email addresses or client addresses."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = _ADDRESS.sub("ip=<address>", scrub(record.getMessage()))
        record.msg, record.args = message, ()
        return True


# gunicorn's error log through ampwork's formatter (JSON with AMPWORK_LOG_FORMAT=json),
# which scrubs whole lines, tracebacks included
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"gunicorn_lines": {"()": GunicornLines}},
    "formatters": {
        "ampwork": {
            "()": "ampwork.logs.JsonFormatter"
            if os.environ.get("AMPWORK_LOG_FORMAT", "").strip().lower() == "json"
            else "ampwork.logs.KeyValueFormatter"
        }
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "ampwork",
            "filters": ["gunicorn_lines"],
            "stream": "ext://sys.stderr",
        }
    },
    # gunicorn updates its own defaults with this dict, key by key: every handler named
    # here must be defined here
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def child_exit(server: Any, worker: Any) -> None:
    """A worker's metrics files stop counting as live once it exits."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
