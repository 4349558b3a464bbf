"""What every service works with: the open transaction, the time, the settings, the actor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.domain.users import Role
from bot.storage.database import Connection


@dataclass(frozen=True)
class Actor:
    """Who is acting: a channel user with a role, or the system itself."""

    channel: str | None
    user_id: str | None
    role: Role | None

    @staticmethod
    def system() -> Actor:
        """Return the actor for scheduled jobs and the command line."""
        return Actor(channel=None, user_id=None, role=None)


@dataclass(frozen=True)
class ServiceContext:
    """The transaction a service writes in, the current UTC time and the settings."""

    conn: Connection
    now: datetime
    settings: Settings
    actor: Actor
