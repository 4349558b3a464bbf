"""Time as the services see it: always UTC, injectable for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current UTC time."""

    def now(self) -> datetime:
        """Return the current time, aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """Return the current time, aware, in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that shows a set time until moved (for tests and benchmarks)."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.moment = moment.astimezone(UTC)

    def now(self) -> datetime:
        """Return the set time."""
        return self.moment

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self.moment += delta

    def set(self, moment: datetime) -> None:
        """Move the clock to ``moment``."""
        self.moment = moment.astimezone(UTC)
