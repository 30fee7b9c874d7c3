"""Exponential backoff (pure: no Django): how long to wait before the next attempt.

Attempt 1 is the first try; after it fails, the next waits ``base`` seconds, then twice
that, and so on, never more than ``cap``; after ``attempts`` tries there is no next one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    base: float  # seconds before the second attempt
    cap: float  # the longest wait
    attempts: int  # tries in all, the first included

    def delay(self, attempt: int) -> float | None:
        """Seconds to wait after failed attempt number ``attempt`` (1, 2, …), or None when
        it was the last."""
        if attempt < 1:
            raise ValueError("attempts count from 1")
        if attempt >= self.attempts:
            return None
        return float(min(self.cap, self.base * 2 ** (attempt - 1)))

    def schedule(self) -> list[float]:
        """Every wait, in order (what docs/integrations.md lists)."""
        return [d for a in range(1, self.attempts) if (d := self.delay(a)) is not None]


# email: 30 s, 1, 2, 4, 8, 16, 32 min, then 1 h: ten tries over about three hours
MAIL = Backoff(base=30, cap=3600, attempts=10)
# webhooks: 1 min doubling to 12 h; 16 tries span about 3 days 5 h, longer than the
# 3 days after which a failing endpoint is disabled
WEBHOOKS = Backoff(base=60, cap=12 * 3600, attempts=16)
