"""Digests for officials and deadline alerts: what a subscription is, which periods are
reported after their cut-off, what a morning brief and a weekly digest hold, and how close
a deadline is. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.periods import PeriodKind, PeriodRule, ReportingPeriod
from bot.domain.petitions import PetitionType


class DigestKind(StrEnum):
    """What an official may subscribe to."""

    MORNING = "morning"  # the day's brief: queue, delegations, petitions due and overdue
    WEEKLY = "weekly"  # the week's digest
    MONTHLY = "monthly"  # the month's report, the day after the cut-off
    PERIOD = "period"  # the quarter, six months, nine months and year reports


class WhenEmpty(StrEnum):
    """What to do with a digest that has nothing to say."""

    SAY_ONCE = "say_once"  # say "nothing new" once, then stay quiet until there is news
    SKIP = "skip"  # send nothing


CATCH_UP = timedelta(days=3)  # a period report missed (the bot was down) is sent this late
# When several periods close on the same day, the period report is the longest of them.
LONGEST_FIRST = (PeriodKind.YEAR, PeriodKind.NINE_MONTHS, PeriodKind.HALF, PeriodKind.QUARTER)
_PER_YEAR = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2,
             PeriodKind.NINE_MONTHS: 1, PeriodKind.YEAR: 1}


def closed_periods(today: date, rule: PeriodRule) -> list[ReportingPeriod]:
    """Return the periods whose report is due on ``today``: those that closed yesterday (or
    a few days ago, if their report was missed); the month, and of the longer periods closing
    together only the longest (the year's report covers its last quarter)."""
    closed = [period
              for kind, count in _PER_YEAR.items()
              for year in (today.year - 1, today.year, today.year + 1)
              for period in (ReportingPeriod.of(kind, year, number, rule)
                             for number in range(1, count + 1))
              if today - CATCH_UP <= period.end < today]
    months = [period for period in closed if period.kind is PeriodKind.MONTH]
    longest: dict[date, ReportingPeriod] = {}
    for period in sorted((p for p in closed if p.kind is not PeriodKind.MONTH),
                         key=lambda p: LONGEST_FIRST.index(p.kind)):
        longest.setdefault(period.end, period)
    return months + sorted(longest.values(), key=lambda period: period.end)


@dataclass(frozen=True)
class Delegation:
    """A mass delegation expected on a day (no identity: date, place, people, matter)."""

    code: str
    starts_at: datetime  # UTC; the services show it in local time
    site_id: str
    leader_id: str | None
    people: int
    commune: str | None
    topic: str


@dataclass(frozen=True)
class Queue:
    """What is booked for one day at a site (or every site)."""

    regular_bookings: int = 0
    regular_people: int = 0
    leader_bookings: int = 0
    leader_people: int = 0

    @property
    def bookings(self) -> int:
        """Return all bookings of the day."""
        return self.regular_bookings + self.leader_bookings

    @property
    def people(self) -> int:
        """Return all people expected on the day."""
        return self.regular_people + self.leader_people


@dataclass(frozen=True)
class DuePetition:
    """An open petition with a deadline, as a brief lists it (code, type, deadline)."""

    code: str
    kind: PetitionType
    due_on: date


@dataclass(frozen=True)
class MorningBrief:
    """The day's brief: what is due first, then what is new, then the day's queue."""

    day: date
    due_today: tuple[DuePetition, ...]
    due_today_count: int
    overdue: tuple[DuePetition, ...]
    overdue_count: int
    new_petitions: Mapping[PetitionType, int]
    queue: Queue
    delegations: tuple[Delegation, ...]
    leader_days: tuple[str, ...]  # leader ids receiving today

    @property
    def new_total(self) -> int:
        """Return the petitions received since the previous brief."""
        return sum(self.new_petitions.values())

    @property
    def is_empty(self) -> bool:
        """Tell whether the brief has nothing to say."""
        return not (self.due_today_count or self.overdue_count or self.new_total
                    or self.queue.bookings or self.delegations or self.leader_days)


@dataclass(frozen=True)
class WeeklyDigest:
    """The week's digest: due and overdue first, then the week's news and the week ahead."""

    start: date  # the seven days reported: start .. end
    end: date
    due_next_week: int
    overdue_count: int
    overdue: tuple[DuePetition, ...]
    new_petitions: Mapping[PetitionType, int]
    resolved: int
    visits: int
    visit_people: int
    delegations_ahead: tuple[Delegation, ...]
    leader_days_ahead: tuple[tuple[date, str], ...]  # (day, leader id)

    @property
    def new_total(self) -> int:
        """Return the petitions received in the week."""
        return sum(self.new_petitions.values())

    @property
    def is_empty(self) -> bool:
        """Tell whether the digest has nothing to say."""
        return not (self.due_next_week or self.overdue_count or self.new_total or self.resolved
                    or self.visits or self.delegations_ahead or self.leader_days_ahead)


@dataclass(frozen=True)
class Subscriber:
    """Someone who gets a digest: the person, the scope and what to do when it is empty."""

    channel: str
    user_id: str
    kind: DigestKind
    site_id: str | None
    when_empty: WhenEmpty
    configured: bool  # from the settings file (a chat unsubscribe opts out of it)


@dataclass(frozen=True)
class StoredSubscription:
    """A subscription made (or a configured one declined) in chat, as stored."""

    channel: str
    user_id: str
    kind: DigestKind
    active: bool
    when_empty: WhenEmpty
    site_id: str | None


@dataclass(frozen=True)
class DigestDelivery:
    """One digest delivered (or decided not to be) to one person."""

    kind: str
    period_key: str
    channel: str
    user_id: str
    site_id: str | None
    status: str  # sent, empty_said, skipped_empty
    outbox_id: int | None
    created_at: datetime


class DeadlineStage(StrEnum):
    """How close a petition is to its deadline."""

    SOON = "soon"  # within the configured working days
    TODAY = "today"
    OVERDUE = "overdue"


def deadline_stage(due_on: date, today: date, soon_until: date) -> DeadlineStage | None:
    """Return the alert stage of a deadline on ``today`` (None: not yet to be alerted)."""
    if due_on < today:
        return DeadlineStage.OVERDUE
    if due_on == today:
        return DeadlineStage.TODAY
    if due_on <= soon_until:
        return DeadlineStage.SOON
    return None


@dataclass(frozen=True)
class DeadlineAlert:
    """An open petition whose deadline needs an alert at one stage."""

    petition_id: int
    code: str
    kind: PetitionType
    due_on: date
    stage: DeadlineStage
    site_id: str | None
    assigned_channel: str | None
    assigned_user_id: str | None
