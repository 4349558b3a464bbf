"""Reception bookings: slots, leaders' periodic days, cut-offs, mass delegations, typed answers.

Everything here is pure: dates and times come in as parameters, legal numbers from the
RuleBook, working days from the WorkingCalendar.
"""

from __future__ import annotations

import calendar as month_calendar
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import Enum, StrEnum
from typing import Any

from bot.domain.calendar import WorkingCalendar
from bot.domain.identity import (
    PersonNameError,
    Phone,
    PhoneError,
    normalize_name,
    parse_phone,
    phone_spans,
)
from bot.domain.numbers import NUMBER_WORDS, words_number
from bot.domain.person import PersonIdentity
from bot.domain.rules import RuleBook
from bot.domain.text import fold, fold_words

Session = tuple[time, time]


class BookingKind(StrEnum):
    """Which reception a booking is for."""

    REGULAR = "regular"  # tiếp thường xuyên, by the office's staff, every working day
    LEADER = "leader"  # tiếp định kỳ, a leader in person on a published day


class BookingStatus(StrEnum):
    """Where a booking stands; staff move it on at the office (the staff issue)."""

    BOOKED = "booked"
    ARRIVED = "arrived"
    BEING_RECEIVED = "being_received"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def holds_place(self) -> bool:
        """Tell whether a booking in this status counts against the slot's capacity."""
        return self is not BookingStatus.CANCELLED


class CancelReason(StrEnum):
    """Why a booking was cancelled (the reports tell late notices from cancellations)."""

    CITIZEN = "citizen"  # cancelled from «My appointments» before the cut-off
    CANNOT_COME = "cannot_come"  # "I cannot come" pressed on a reminder
    DAY_CANCELLED = "day_cancelled"  # the leader's reception day was cancelled


class DayStatus(StrEnum):
    """A leader's reception day as the office runs it."""

    SCHEDULED = "scheduled"
    POSTPONED = "postponed"  # moved to another day (``moved_to``)
    CANCELLED = "cancelled"
    HELD = "held"


class WaitStatus(StrEnum):
    """A place on a slot's waiting list."""

    WAITING = "waiting"
    OFFERED = "offered"  # a freed place is held for the person until the offer expires
    TAKEN = "taken"
    DECLINED = "declined"
    EXPIRED = "expired"  # the offer ran out; the place passed to the next person
    LAPSED = "lapsed"  # the slot began (or its day was cancelled) with no place offered


class Unbookable(StrEnum):
    """Why a chosen slot cannot be booked."""

    PAST = "past"
    DAY_OFF = "day_off"
    NOT_A_SLOT = "not_a_slot"
    TOO_FAR = "too_far"
    DAY_CLOSED = "day_closed"  # a leader's day past its registration cut-off
    DAY_NOT_OPEN = "day_not_open"  # unpublished, postponed or cancelled
    ALREADY_BOOKED = "already_booked"  # the person already holds an active booking that day
    DAY_OVER = "day_over"  # today, after its last reception time


# -- slots ----------------------------------------------------------------------------------

def slot_times(sessions: Sequence[Session], slot_minutes: int) -> list[Session]:
    """Cut each session into slots of ``slot_minutes``; a shorter session is one slot."""
    step = timedelta(minutes=slot_minutes)
    slots: list[Session] = []
    for start, end in sessions:
        cursor = datetime.combine(date(2000, 1, 1), start)
        finish = datetime.combine(date(2000, 1, 1), end)
        if cursor + step > finish:
            slots.append((start, end))
            continue
        while cursor + step <= finish:
            slots.append((cursor.time(), (cursor + step).time()))
            cursor += step
    return slots


def at(day: date, moment: time, zone: tzinfo) -> datetime:
    """Return the UTC time of local ``moment`` on ``day`` in ``zone``."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def per_slot_capacity(day_capacity: int, slot_count: int) -> int:
    """Spread a leader's day's capacity over its slots (rounded up; the day total still caps)."""
    return max(1, math.ceil(day_capacity / max(1, slot_count)))


# -- leaders' periodic days -----------------------------------------------------------------

def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    """Return the (year, month) ``count`` months after ``year``-``month``."""
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _in_month(year: int, month: int, day: int) -> date:
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last))


def leader_day(year: int, month: int, day_of_month: int, calendar: WorkingCalendar) -> date:
    """Return day ``day_of_month`` of the month, or the next working day if it is not one."""
    return calendar.next_working_day(_in_month(year, month, day_of_month))


def registration_closes(*, year: int, month: int, day: date, closes_day: int | None,
                        closes_working_days_before: int | None,
                        calendar: WorkingCalendar) -> date:
    """Return the last day (inclusive) on which people may register for a leader's ``day``.

    "Register by the 10th" counts in the month the rule made the day for; "N working days
    before" counts back from the day itself (0: registration stays open on the day).
    """
    if closes_working_days_before is not None:
        return closes_before(day, closes_working_days_before, calendar)
    if closes_day is not None:
        return _in_month(year, month, closes_day)
    return calendar.subtract_working_days(day, 1)


def added_day_closes(day: date, *, day_of_month: int, closes_day: int | None,
                     closes_working_days_before: int | None,
                     calendar: WorkingCalendar) -> date:
    """Return the cut-off of a leader's day added or moved by staff, by the leader's rule.

    "N working days before" applies as it is; "register by the 10th" for a day on the 15th
    keeps its distance: registration for a day added on the 22nd closes on the 17th.
    """
    if closes_working_days_before is None and closes_day is not None \
            and closes_day < day_of_month:
        return day - timedelta(days=day_of_month - closes_day)
    return closes_before(day, closes_working_days_before, calendar)


def closes_before(day: date, working_days: int | None, calendar: WorkingCalendar) -> date:
    """Return the cut-off ``working_days`` before ``day`` (1 if unset; 0: the day itself)."""
    if working_days is None:
        working_days = 1
    return day if working_days == 0 else calendar.subtract_working_days(day, working_days)


def publish_by(day: date, calendar: WorkingCalendar, rules: RuleBook) -> date:
    """Return the last day to publish a reception day (Luật TCD Đ.24(4): N working days)."""
    return calendar.subtract_working_days(day, rules.value("schedule.publish_ahead", day))


# -- mass delegations (đoàn đông người) -----------------------------------------------------

def is_mass_delegation(people: int, rules: RuleBook, on: date) -> bool:
    """Tell whether ``people`` coming with one matter form a mass delegation."""
    return people >= rules.value("group.min_people", on)


def representatives_allowed(people: int, rules: RuleBook, on: date) -> int:
    """Return how many representatives a group of ``people`` may choose (0: not a group)."""
    if not is_mass_delegation(people, rules, on):
        return 0
    if people <= rules.value("representatives.small_group_limit", on):
        return rules.value("representatives.max_small_group", on)
    return rules.value("representatives.max", on)


# -- what is booked ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Representative:
    """A representative of a mass delegation: a name and a phone (never a CCCD number)."""

    full_name: str
    phone_e164: str

    @property
    def phone_masked(self) -> str:
        """Return the phone number with its middle digits hidden."""
        return Phone(self.phone_e164).masked

    def to_json(self) -> dict[str, str]:
        """Return a JSON-ready form."""
        return {"full_name": self.full_name, "phone_e164": self.phone_e164}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Representative:
        """Rebuild a representative saved by ``to_json``."""
        return Representative(str(data["full_name"]), str(data["phone_e164"]))


@dataclass(frozen=True)
class SlotKey:
    """One bookable time: a regular slot at a site, or a slot of a leader's day."""

    kind: BookingKind
    site_id: str
    day_id: int | None  # the leader's reception day; None for regular reception
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready form (for drafts)."""
        return {"kind": self.kind.value, "site_id": self.site_id, "day_id": self.day_id,
                "starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat()}

    @staticmethod
    def from_json(data: dict[str, Any]) -> SlotKey:
        """Rebuild a slot saved by ``to_json``."""
        day_id = data.get("day_id")
        return SlotKey(BookingKind(data["kind"]), str(data["site_id"]),
                       int(day_id) if day_id is not None else None,
                       datetime.fromisoformat(str(data["starts_at"])),
                       datetime.fromisoformat(str(data["ends_at"])))


@dataclass(frozen=True)
class BookingRequest:
    """What a citizen asks for: the slot, the matter, the people and who they are."""

    slot: SlotKey
    topic: str
    people: int
    identity: PersonIdentity
    petition_code: str | None = None
    commune_code: int | None = None
    commune_name: str | None = None
    representatives: tuple[Representative, ...] = ()
    details: str | None = None  # the citizen's full words, when the topic had to be shortened

    def at_slot(self, slot: SlotKey) -> BookingRequest:
        """Return the same request for another slot."""
        return replace(self, slot=slot)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready form (the CCCD only as digest, masked and sealed forms)."""
        return {
            "slot": self.slot.to_json(), "topic": self.topic, "people": self.people,
            "identity": self.identity.to_json(), "petition_code": self.petition_code,
            "commune_code": self.commune_code, "commune_name": self.commune_name,
            "representatives": [r.to_json() for r in self.representatives],
            "details": self.details,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> BookingRequest:
        """Rebuild a request saved by ``to_json``."""
        commune = data.get("commune_code")
        return BookingRequest(
            slot=SlotKey.from_json(data["slot"]), topic=str(data["topic"]),
            people=int(data["people"]), identity=PersonIdentity.from_json(data["identity"]),
            petition_code=data.get("petition_code"),
            commune_code=int(commune) if commune is not None else None,
            commune_name=data.get("commune_name"),
            representatives=tuple(Representative.from_json(r)
                                  for r in data.get("representatives", [])),
            details=data.get("details"),
        )


@dataclass(frozen=True)
class Booking:
    """A stored booking."""

    id: int
    code: str
    channel: str
    user_id: str
    slot: SlotKey
    people: int
    topic: str
    identity: PersonIdentity
    status: BookingStatus
    created_at: datetime
    updated_at: datetime
    sequence: int = 0  # raised on each move, so calendars replace the event
    petition_code: str | None = None
    commune_code: int | None = None
    commune_name: str | None = None
    representatives: tuple[Representative, ...] = ()
    cancel_reason: CancelReason | None = None
    cancelled_at: datetime | None = None
    confirmed_at: datetime | None = None
    reminded_day_before_at: datetime | None = None
    reminded_morning_at: datetime | None = None
    details: str | None = None  # the citizen's full words, when the topic had to be shortened

    @property
    def kind(self) -> BookingKind:
        """Regular reception or a leader's day."""
        return self.slot.kind

    def request(self) -> BookingRequest:
        """Return what was asked, to book it again elsewhere."""
        return BookingRequest(slot=self.slot, topic=self.topic, people=self.people,
                              identity=self.identity, petition_code=self.petition_code,
                              commune_code=self.commune_code, commune_name=self.commune_name,
                              representatives=self.representatives, details=self.details)

    def changeable_until(self, cutoff_hours: int) -> datetime:
        """Return the last moment the booking may be cancelled or moved online."""
        return self.slot.starts_at - timedelta(hours=cutoff_hours)


@dataclass(frozen=True)
class ReceptionDay:
    """A leader's reception day, generated from the configured rule or added by staff."""

    id: int
    leader_id: str
    site_id: str
    day: date
    closes_on: date  # the last local day of registration, inclusive
    capacity: int  # bookings for the whole day
    status: DayStatus
    created_at: datetime
    rule_month: str | None = None  # "2026-12" for a day the rule made; None if staff added it
    published_at: datetime | None = None
    moved_to: int | None = None
    note: str | None = None

    def is_open(self, today: date) -> bool:
        """Tell whether citizens may register for this day on ``today``."""
        return (self.published_at is not None and self.status is DayStatus.SCHEDULED
                and today <= self.closes_on and today <= self.day)


@dataclass(frozen=True)
class WaitlistEntry:
    """A person waiting for a place on one full slot, with everything needed to book it."""

    id: int
    channel: str
    user_id: str
    request: BookingRequest
    status: WaitStatus
    created_at: datetime
    offered_at: datetime | None = None
    offer_expires_at: datetime | None = None
    booking_id: int | None = None

    @property
    def slot(self) -> SlotKey:
        """The slot waited for."""
        return self.request.slot


@dataclass(frozen=True)
class SlotView:
    """A slot with how many places it has left now."""

    key: SlotKey
    capacity: int
    taken: int  # bookings holding a place, plus places held for waitlist offers

    @property
    def places_left(self) -> int:
        """Places still free."""
        return max(0, self.capacity - self.taken)


@dataclass(frozen=True)
class DayView:
    """A day offered for booking, with the places left on it."""

    day: date
    places_left: int
    reception_day: ReceptionDay | None = None  # set for a leader's day


@dataclass(frozen=True)
class Booked:
    """The booking was stored."""

    booking: Booking


@dataclass(frozen=True)
class Full:
    """The slot had no place left; the next free slot, if any."""

    next_slot: SlotView | None


@dataclass(frozen=True)
class Refused:
    """The slot cannot be booked, and why."""

    reason: Unbookable
    day_off: str | None = None  # the holiday's or weekday's name for DAY_OFF
    closes_on: date | None = None  # the cut-off for DAY_CLOSED
    existing: Booking | None = None  # the person's booking that day, for ALREADY_BOOKED
    next_day: date | None = None  # the next day that can be booked, for DAY_OVER


BookOutcome = Booked | Full | Refused


class ChangeRefusal(StrEnum):
    """Why a person's booking cannot be changed (cancelled, moved, confirmed) now."""

    NOT_FOUND = "not_found"  # no such booking of this person
    CANCELLED = "cancelled"
    STARTED = "started"  # its time has begun or passed
    TOO_LATE = "too_late"  # past the cut-off for cancelling or moving online
    CLOSED = "closed"  # arrived, received or recorded as a no-show


@dataclass(frozen=True)
class ChangeRefused:
    """A change the booking does not allow, and the booking as it stands."""

    reason: ChangeRefusal
    booking: Booking | None = None


class OfferRefusal(StrEnum):
    """Why a waiting-list offer cannot be taken or declined."""

    NOT_FOUND = "not_found"
    NOT_OFFERED = "not_offered"  # still waiting, or already answered
    EXPIRED = "expired"


@dataclass(frozen=True)
class OfferRefused:
    """An offer that is no longer open, and the entry as it stands."""

    reason: OfferRefusal
    entry: WaitlistEntry | None = None


class DayRefusal(StrEnum):
    """Why staff cannot add, move or cancel a leader's day as asked."""

    UNKNOWN_DAY = "unknown_day"
    UNKNOWN_LEADER = "unknown_leader"
    PAST = "past"
    DAY_OFF = "day_off"
    DUPLICATE = "duplicate"  # the leader already receives on that date
    NOT_SCHEDULED = "not_scheduled"  # already postponed, cancelled or held
    SAME_DAY = "same_day"


@dataclass(frozen=True)
class DayRefused:
    """A refused change to a leader's day, and why."""

    reason: DayRefusal
    day_off: str | None = None


@dataclass(frozen=True)
class DayChange:
    """What a staff change to a leader's day did."""

    day: ReceptionDay  # the day as it is now (the new day, for an addition or a postponement)
    old_day: ReceptionDay | None = None
    bookings_told: int = 0
    waiting_told: int = 0
    publish_by: date | None = None  # the last day the law allows publishing it
    late_notice: bool = False  # published after that day


# -- the matter -------------------------------------------------------------------------------

# -- typed answers --------------------------------------------------------------------------

class DateProblem(Enum):
    """Why a typed text is not a date."""

    NOT_A_DATE = "not_a_date"
    NO_SUCH_DAY = "no_such_day"  # 31/02


_WEEKDAYS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, ("thu hai", "thu 2", "t2", "monday")),
    (1, ("thu ba", "thu 3", "t3", "tuesday")),
    (2, ("thu tu", "thu 4", "t4", "wednesday")),
    (3, ("thu nam", "thu 5", "t5", "thursday")),
    (4, ("thu sau", "thu 6", "t6", "friday")),
    (5, ("thu bay", "thu 7", "t7", "saturday")),
    (6, ("chu nhat", "cn", "sunday")),
)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}|\d{2}))?(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_MONTH_WORDS = ("thang", "thg", "month")
_NEXT_WEEK = ("tuan sau", "tuan toi", "next week")
# A date typed without a year that is this long past means next year ("5/1" in December).
_YEAR_ROLLOVER = timedelta(days=180)


def _with_words(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


def _make_date(year: int, month: int, day: int) -> date | DateProblem:
    try:
        return date(year, month, day)
    except ValueError:
        return DateProblem.NO_SUCH_DAY


def _in_year(day: int, month: int, year: int | None, today: date) -> date | DateProblem:
    if year is not None:
        return _make_date(year, month, day)
    made = _make_date(today.year, month, day)
    if isinstance(made, date) and made < today - _YEAR_ROLLOVER:
        return _make_date(today.year + 1, month, day)
    return made


def _count(tokens: list[str], low: int, high: int) -> int | None:
    """Return the number ``tokens`` give (digits or words), if it lies in [low, high]."""
    if len(tokens) == 1 and tokens[0].isdecimal():
        value: int | None = int(tokens[0])
    else:
        value = words_number(tokens)
    return value if value is not None and low <= value <= high else None


def _is_number_token(token: str) -> bool:
    return token.isdecimal() or token in NUMBER_WORDS


def _day_and_month_in_words(words: str, today: date) -> date | DateProblem | None:
    """Read "15 tháng 12", "ngày mười lăm tháng mười hai năm 2026"."""
    tokens = words.split()
    at = next((i for i, token in enumerate(tokens) if token in _MONTH_WORDS), None)
    if at is None:
        return None
    start = at
    while start > 0 and _is_number_token(tokens[start - 1]):
        start -= 1
    # The day: the longest run of number words just before "tháng" that is a day.
    day = next((value for first in range(start, at)
                if (value := _count(tokens[first:at], 1, 31)) is not None), None)
    month: int | None = None
    end = at + 1
    for last in range(len(tokens), at + 1, -1):
        run = tokens[at + 1:last]
        if all(_is_number_token(token) for token in run) and (
                month := _count(run, 1, 12)) is not None:
            end = last
            break
    if day is None or month is None:
        return None
    rest = tokens[end:]
    if rest[:1] in (["nam"], ["year"]):
        rest = rest[1:]
    year = int(rest[0]) if rest and rest[0].isdecimal() and len(rest[0]) == 4 else None
    return _in_year(day, month, year, today)


def _numeric(folded: str, today: date) -> date | DateProblem | None:
    found = _ISO.search(folded)
    if found:
        return _make_date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = _NUMERIC.search(folded)
    if not found:
        return None
    day, month, year_text = int(found.group(1)), int(found.group(2)), found.group(3)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0) if year_text else None
    return _in_year(day, month, year, today)


def _weekday(words: str, today: date) -> date | None:
    for weekday, names in _WEEKDAYS:
        if any(_with_words(words, name) for name in names):
            if any(_with_words(words, phrase) for phrase in _NEXT_WEEK):
                next_monday = today + timedelta(days=7 - today.weekday())
                return next_monday + timedelta(days=weekday)
            ahead = (weekday - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    return None


def parse_day(text: str, today: date) -> date | DateProblem:
    """Read a typed date: "15/12", "15-12-2026", "15 tháng 12", "thứ hai tuần sau", "mai".

    A weekday means the next such day after today ("tuần sau": in the next week). A date
    without a year is in this year, unless it is months past, when it means next year. The
    result may lie in the past: the caller says so to the person.
    """
    folded = fold(text)
    numeric = _numeric(folded, today)
    if numeric is not None:
        return numeric
    words = fold_words(text)
    in_words = _day_and_month_in_words(words, today)
    if in_words is not None:
        return in_words
    if _with_words(words, "hom nay") or words == "today":
        return today
    if _with_words(words, "ngay kia") or _with_words(words, "ngay mot") or words == "mot":
        return today + timedelta(days=2)
    if _with_words(words, "ngay mai") or words == "mai" or words == "tomorrow":
        return today + timedelta(days=1)
    weekday = _weekday(words, today)
    if weekday is not None:
        return weekday
    return DateProblem.NOT_A_DATE


_PERIODS_OF_DAY = {"sang": "morning", "am": "morning", "trua": "noon", "chieu": "afternoon",
                   "pm": "afternoon", "toi": "evening", "dem": "evening"}
_CLOCK = re.compile(r"(?<!\d)(\d{1,2})(?:\s*(?:gio|h|g)(?![a-z])\s*(\d{1,2}(?!\d)|ruoi)?"
                    r"|\s+(\d{2})(?!\d)|(?=\s*ruoi))?(?:\s*ruoi)?(?:\s*(?:phut|p)(?![a-z]))?"
                    r"(?!\d)")


def _words_to_digits(words: str) -> str:
    """Write runs of number words as digits ("tam gio ruoi" → "8 gio ruoi")."""
    out: list[str] = []
    run: list[str] = []
    for token in [*words.split(), ""]:
        if token in NUMBER_WORDS:
            run.append(token)
            continue
        if run:
            value = words_number(run)
            out.append(str(value) if value is not None else " ".join(run))
            run = []
        if token:
            out.append(token)
    return " ".join(out)


def parse_time_of_day(text: str) -> tuple[time, ...]:
    """Return the times of day a typed text may mean, likeliest first (empty: none).

    "8", "8h", "8 giờ", "8:30", "14h30", "8 giờ rưỡi", "2 giờ chiều", "tám giờ". Without
    "sáng" or "chiều", an hour before noon may also mean the afternoon ("2 giờ" is 14:00 at
    an office): both are returned, and the caller keeps the one it offers.
    """
    words = _words_to_digits(fold_words(text))
    found = _CLOCK.search(words)
    if found is None:
        return ()
    hour = int(found.group(1))
    minute_text = found.group(2) or found.group(3) or ""
    minute = 30 if minute_text == "ruoi" or "ruoi" in found.group(0) else int(minute_text or 0)
    if hour > 23 or minute > 59:
        return ()
    # "chiều" right after the time or right before it; "tôi" elsewhere is "I", not "tối".
    before = words[:found.start()].split()[-1:]
    after = words[found.end():].split()[:1]
    period = next((_PERIODS_OF_DAY[token] for token in (*after, *before)
                   if token in _PERIODS_OF_DAY), None)
    if period in ("afternoon", "evening") and hour < 12:
        return (time(hour + 12, minute),)
    if period == "noon" and hour < 6:
        return (time(hour + 12, minute),)
    if period is not None or hour >= 12 or hour == 0:
        return (time(hour, minute),)
    return (time(hour, minute), time(hour + 12, minute))


class RepresentativeProblem(Enum):
    """Why one line of a typed list of representatives was not taken."""

    NO_PHONE = "no_phone"
    BAD_PHONE = "bad_phone"
    BAD_NAME = "bad_name"


@dataclass(frozen=True)
class RepresentativeError:
    """A line of the list that could not be read, and why."""

    line: str
    problem: RepresentativeProblem


_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*+])\s*")


def _representative(name_text: str, phone_text: str,
                    line: str) -> Representative | RepresentativeError:
    phone = parse_phone(phone_text)
    if isinstance(phone, PhoneError):
        return RepresentativeError(line, RepresentativeProblem.BAD_PHONE)
    # Hyphens and apostrophes inside a name ("Y-Moan") stay; separators around it go.
    name = normalize_name(re.sub(r"[,:()]+", " ", name_text).strip(" -–"))
    if isinstance(name, PersonNameError):
        return RepresentativeError(line, RepresentativeProblem.BAD_NAME)
    return Representative(full_name=name, phone_e164=phone.e164)


def parse_representatives(text: str) -> list[Representative] | RepresentativeError:
    """Read representatives typed as a name and a phone each.

    One per line, or separated by ";", or several on one line ("An 0912..., Bình 0987...").
    """
    found: list[Representative] = []
    for raw in re.split(r"[\n;]+", text):
        line = _LIST_MARK.sub("", raw).strip()
        if not line:
            continue
        # The same phone finder as the contact question: "(0205) 3 871 234" is one number.
        phones = phone_spans(line)
        if not phones:
            return RepresentativeError(line, RepresentativeProblem.NO_PHONE)
        if len(phones) == 1:
            begin, end = phones[0]
            pieces = [(line[:begin] + " " + line[end:], line[begin:end])]
        else:
            pieces = []
            start = 0
            for begin, end in phones:
                pieces.append((_LIST_MARK.sub("", line[start:begin].strip(" ,")),
                               line[begin:end]))
                start = end
            if re.search(r"\w", line[start:]):
                return RepresentativeError(line[start:].strip(" ,"),
                                           RepresentativeProblem.NO_PHONE)
        for name_text, phone_text in pieces:
            representative = _representative(name_text, phone_text, line)
            if isinstance(representative, RepresentativeError):
                return representative
            found.append(representative)
    return found
