"""The email backend used until real mail is configured: messages go to files in the data
directory (Django's file-based backend), and the console gets one line per batch — never a
message body, which may hold a one-time pulse link that would otherwise sit in a log.

A batch is what one connection wrote, from opening to closing: ``core.mail.deliver`` sends
the weekly emails one by one over one open connection, and still gets one line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend


class NoticeFileBackend(EmailBackend):
    def __init__(self, file_path: str | None = None, **kwargs: Any) -> None:
        path = (
            file_path
            or getattr(settings, "EMAIL_FILE_PATH", None)
            or Path(settings.DATA_DIR) / "mail"
        )
        super().__init__(file_path=str(path), **kwargs)
        self._written = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = int(super().send_messages(email_messages))
        self._written += sent
        if self.stream is None:  # opened and closed for this call alone
            self._notice()
        return sent

    def close(self) -> None:
        super().close()
        self._notice()

    def _notice(self) -> None:
        sent, self._written = self._written, 0
        if sent:
            sys.stderr.write(
                f"ampwork: {sent} email{'s' if sent != 1 else ''} written to "
                f"{getattr(self, '_fname', None) or self.file_path} "
                "(not shown here: mail may hold one-time links)\n"
            )
            sys.stderr.flush()
