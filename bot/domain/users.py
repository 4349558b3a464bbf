"""People who talk to the bot: their role, language and consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What a person may do; checked on the server on every action."""

    CITIZEN = "citizen"
    STAFF = "staff"
    LEADER = "leader"  # an official: a provincial leader or the office's management
    POLICE = "police"  # the police liaison for security at the reception office
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        """Tell whether this role works petitions and the queue."""
        return self in (Role.STAFF, Role.ADMIN)

    @property
    def is_official(self) -> bool:
        """Tell whether this role reads summaries and reports."""
        return self in (Role.STAFF, Role.LEADER, Role.ADMIN)


class Purpose(StrEnum):
    """A purpose a person consents to separately (domain.md §5.1: no bundling)."""

    HANDLING = "handling"  # book reception, receive and handle petitions, tell the results
    REMINDERS = "reminders"  # reminders and news through the chat app


@dataclass(frozen=True)
class ChannelUser:
    """A person as one channel knows them."""

    channel: str
    user_id: str
    chat_id: str
    role: Role
    language: str | None
    display_name: str | None
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class ConsentRecord:
    """One recorded answer to the data-protection notice, for one purpose."""

    purpose: Purpose
    granted: bool
    notice_version: str
    recorded_at: datetime


@dataclass(frozen=True)
class Consent:
    """A person's current answers, one per purpose (missing: never asked)."""

    records: dict[Purpose, ConsentRecord]

    def granted(self, purpose: Purpose) -> bool:
        """Tell whether the latest answer for ``purpose`` is yes."""
        record = self.records.get(purpose)
        return record is not None and record.granted

    def answered(self, notice_version: str) -> bool:
        """Tell whether the person answered this version of the notice (main purpose)."""
        record = self.records.get(Purpose.HANDLING)
        return record is not None and record.notice_version == notice_version
