"""The email backend used until real mail is configured: messages go to files in the data
directory (Django's file-based backend), and the console gets one line per batch — never a
message body, which may hold a one-time pulse link that would otherwise sit in a log."""

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

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(email_messages)
        if sent:
            sys.stderr.write(
                f"ampwork: {sent} email{'s' if sent != 1 else ''} written to "
                f"{getattr(self, '_fname', None) or self.file_path} "
                "(not shown here: mail may hold one-time links)\n"
            )
            sys.stderr.flush()
        return sent
