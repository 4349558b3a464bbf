"""Reporting periods: month, quarter, six months, nine months and year (domain.md §3.1).

Two ways to cut them, chosen in configuration:

* ``cutoff`` (default, the administrative-reporting rule): data run from the cut-off day
  (default 15) of the month before the period to the day before the cut-off day of the
  period's last month. A month is 15/10–14/11; a quarter 15/09–14/12; the six-month, nine-month
  and yearly figures are cumulative from 15/12 of the previous year: 15/12–14/06,
  15/12–14/09, 15/12–14/12.
* ``calendar``: plain calendar periods, for internal briefings.

A period knows its start and end (local dates, both included), its label and the same period
one year earlier, cut the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.text import fold_words


class PeriodKind(StrEnum):
    """How long a reporting period is."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"  # six months
    NINE_MONTHS = "nine_months"
    YEAR = "year"


class PeriodMode(StrEnum):
    """How periods are cut."""

    CUTOFF = "cutoff"
    CALENDAR = "calendar"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# How many months one period of each kind spans (nine months and the year: the whole span).
_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6,
           PeriodKind.NINE_MONTHS: 9, PeriodKind.YEAR: 12}
_COUNT = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2,
          PeriodKind.NINE_MONTHS: 1, PeriodKind.YEAR: 1}


@dataclass(frozen=True)
class PeriodRule:
    """How a province cuts its periods: the mode and the cut-off day."""

    mode: PeriodMode = PeriodMode.CUTOFF
    cutoff_day: int = 15

    def __post_init__(self) -> None:
        if not 2 <= self.cutoff_day <= 28:
            raise ValueError("the cut-off day must be from 2 to 28")


def _month_start(year: int, month: int) -> date:
    while month < 1:
        month += 12
        year -= 1
    while month > 12:
        month -= 12
        year += 1
    return date(year, month, 1)


@dataclass(frozen=True)
class ReportingPeriod:
    """One reporting period: kind, year, number within the year, and its dates."""

    kind: PeriodKind
    year: int
    number: int
    start: date
    end: date
    rule: PeriodRule

    @staticmethod
    def of(kind: PeriodKind, year: int, number: int = 1,
           rule: PeriodRule | None = None) -> ReportingPeriod:
        """Return the ``number``-th period of ``kind`` in ``year`` cut by ``rule``."""
        chosen = rule or PeriodRule()
        if not 1 <= number <= _COUNT[kind]:
            raise ValueError(f"a year has {_COUNT[kind]} period(s) of kind {kind.value}")
        months = _MONTHS[kind]
        last_month = months * number
        cumulative = kind in (PeriodKind.NINE_MONTHS, PeriodKind.YEAR) or (
            kind is PeriodKind.HALF and number == 1)
        first_month = 1 if cumulative else last_month - months + 1
        if chosen.mode is PeriodMode.CALENDAR:
            start = date(year, first_month, 1)
            end = _month_start(year, last_month + 1) - timedelta(days=1)
        else:
            previous = _month_start(year, first_month - 1)
            start = previous.replace(day=chosen.cutoff_day)
            end = date(year, last_month, chosen.cutoff_day) - timedelta(days=1)
        return ReportingPeriod(kind, year, number, start, end, chosen)

    @staticmethod
    def containing(day: date, kind: PeriodKind,
                   rule: PeriodRule | None = None) -> ReportingPeriod:
        """Return the period of ``kind`` whose dates include ``day``."""
        chosen = rule or PeriodRule()
        for year in (day.year, day.year + 1):
            for number in range(1, _COUNT[kind] + 1):
                period = ReportingPeriod.of(kind, year, number, chosen)
                if period.start <= day <= period.end:
                    return period
        # Nine months (to 14/09) leave the rest of the year uncovered: the next one is due.
        return ReportingPeriod.of(kind, day.year + 1 if day.month == 12 else day.year, 1,
                                  chosen)

    def same_period_last_year(self) -> ReportingPeriod:
        """Return the same period one year earlier, cut the same way."""
        return ReportingPeriod.of(self.kind, self.year - 1, self.number, self.rule)

    def previous(self) -> ReportingPeriod:
        """Return the period of the same kind just before this one."""
        if self.number > 1:
            return ReportingPeriod.of(self.kind, self.year, self.number - 1, self.rule)
        return ReportingPeriod.of(self.kind, self.year - 1, _COUNT[self.kind], self.rule)

    def following(self) -> ReportingPeriod:
        """Return the period of the same kind just after this one."""
        if self.number < _COUNT[self.kind]:
            return ReportingPeriod.of(self.kind, self.year, self.number + 1, self.rule)
        return ReportingPeriod.of(self.kind, self.year + 1, 1, self.rule)

    def months(self) -> list[ReportingPeriod]:
        """Return the reporting months that make up the period, cut the same way, in order."""
        month = ReportingPeriod.containing(self.start, PeriodKind.MONTH, self.rule)
        found: list[ReportingPeriod] = []
        while month.start <= self.end:
            found.append(month)
            month = month.following()
        return found

    @staticmethod
    def from_key(key: str, rule: PeriodRule | None = None) -> ReportingPeriod | None:
        """Return the period a ``key`` such as ``2026-Q4`` names (None: not a period key)."""
        found = _KEY.fullmatch(key.strip())
        if found is None:
            return None
        kind = _KIND_OF_LETTER[found.group(2)]
        year, number = int(found.group(1)), int(found.group(3))
        if not 1 <= number <= _COUNT[kind] or not 1900 <= year <= 2999:
            return None
        return ReportingPeriod.of(kind, year, number, rule)

    @staticmethod
    def latest(kind: PeriodKind, today: date, rule: PeriodRule | None = None) -> ReportingPeriod:
        """Return the period of ``kind`` in progress on ``today``, else the last one started.

        Nine months (15/12 to 14/09) leave the end of the year uncovered: from 15/09 on, the
        nine months of the year just passed are the latest.
        """
        period = ReportingPeriod.containing(today, kind, rule)
        while period.start > today:
            period = period.previous()
        return period

    def contains(self, day: date) -> bool:
        """Tell whether ``day`` falls in the period."""
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Return how many days the period has."""
        return (self.end - self.start).days + 1

    @property
    def key(self) -> str:
        """Return a short stable name such as ``2026-Q4`` or ``2026-M11``."""
        letter = {PeriodKind.MONTH: "M", PeriodKind.QUARTER: "Q", PeriodKind.HALF: "H",
                  PeriodKind.NINE_MONTHS: "N", PeriodKind.YEAR: "Y"}[self.kind]
        return f"{self.year}-{letter}{self.number}"

    @property
    def label_vi(self) -> str:
        """Return the period's name as a Vietnamese report writes it."""
        if self.kind is PeriodKind.MONTH:
            return f"tháng {self.number} năm {self.year}"
        if self.kind is PeriodKind.QUARTER:
            return f"quý {_ROMAN[self.number]} năm {self.year}"
        if self.kind is PeriodKind.HALF:
            which = "đầu" if self.number == 1 else "cuối"
            return f"6 tháng {which} năm {self.year}"
        if self.kind is PeriodKind.NINE_MONTHS:
            return f"9 tháng đầu năm {self.year}"
        return f"năm {self.year}"

    @property
    def label_en(self) -> str:
        """Return the period's name in English."""
        names = {PeriodKind.MONTH: f"month {self.number} of {self.year}",
                 PeriodKind.QUARTER: f"Q{self.number} {self.year}",
                 PeriodKind.HALF: f"{'first' if self.number == 1 else 'second'} half of "
                                  f"{self.year}",
                 PeriodKind.NINE_MONTHS: f"first nine months of {self.year}",
                 PeriodKind.YEAR: f"year {self.year}"}
        return names[self.kind]

    def label(self, language: str) -> str:
        """Return the label in ``language`` (Vietnamese unless English is asked)."""
        return self.label_en if language == "en" else self.label_vi


_KEY = re.compile(r"(\d{4})-([MQHNY])(\d{1,2})")
_KIND_OF_LETTER = {"M": PeriodKind.MONTH, "Q": PeriodKind.QUARTER, "H": PeriodKind.HALF,
                   "N": PeriodKind.NINE_MONTHS, "Y": PeriodKind.YEAR}
# 19xx and 2xxx: an official may ask about records from before the bot, or far ahead.
_YEAR = re.compile(r"\b(19\d{2}|2\d{3})\b")


def parse_period(text: str, today: date, rule: PeriodRule | None = None) -> ReportingPeriod | None:
    """Return the period a person typed ("năm 2025", "quý 4", "thang 11/2026", "9 tháng").

    A missing year means the latest such period that has started by ``today``.
    """
    chosen = rule or PeriodRule()
    words = fold_words(text)
    if not words:
        return None
    if found := _THIS_OR_LAST.search(words):
        # «tháng này», «quý trước», «last month»: the period running today, or the one before.
        current = _running(_KIND_OF_WORD[found.group(1) or found.group(4)], today, chosen)
        if current is None:
            return None
        return current if (found.group(2) or found.group(3)) in _THIS else _before(current)
    last_year = bool(_LAST_YEAR.search(words))
    words = _LAST_YEAR.sub(" nam ", words)
    year_match = _YEAR.search(words)
    year = int(year_match.group(1)) if year_match else None
    rest = _YEAR.sub(" ", words)
    kind: PeriodKind | None = None
    number = 1
    if found := re.search(r"\b(?:quy|quarter|q)\s*(iv|iii|ii|i|[1-4])\b", rest):
        kind = PeriodKind.QUARTER
        token = found.group(1)
        number = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(token) or int(token)
    elif re.search(r"\b9 thang\b|\bchin thang\b|\bnine months\b", rest):
        kind = PeriodKind.NINE_MONTHS
    elif re.search(r"\b6 thang\b|\bsau thang\b|\bhalf\b", rest):
        kind = PeriodKind.HALF
        number = 2 if re.search(r"\bcuoi\b|\bsecond\b", rest) else 1
    elif found := re.search(r"\b(?:thang|month|t)\s*(\d{1,2})\b", rest) or re.search(
            r"^\s*(\d{1,2})\s*$", rest):
        kind = PeriodKind.MONTH
        number = int(found.group(1))
        if not 1 <= number <= 12:
            return None
    elif re.search(r"\bnam\b|\byear\b", rest) or (year is not None and not rest.strip()):
        kind = PeriodKind.YEAR
    if kind is None:
        return None
    if year is not None:
        return ReportingPeriod.of(kind, year, number, chosen)
    for candidate_year in (today.year + 1, today.year, today.year - 1):
        period = ReportingPeriod.of(kind, candidate_year, number, chosen)
        if period.start <= today:
            # «năm ngoái», «quý 3 năm trước»: the same period a year earlier.
            return ReportingPeriod.of(kind, period.year - 1, number, chosen) if last_year \
                else period
    return None


_THIS = ("nay", "this")
_KIND_OF_WORD = {"thang": PeriodKind.MONTH, "month": PeriodKind.MONTH,
                 "quy": PeriodKind.QUARTER, "quarter": PeriodKind.QUARTER}
_THIS_OR_LAST = re.compile(r"\b(thang|quy|month|quarter)\s+(nay|truoc|roi|vua qua)\b"
                           r"|\b(this|last|previous)\s+(month|quarter)\b")
_LAST_YEAR = re.compile(r"\b(?:nam|year)\s+(?:ngoai|truoc|roi|vua qua)\b"
                        r"|\b(?:last|previous)\s+year\b")


def _running(kind: PeriodKind, today: date, rule: PeriodRule) -> ReportingPeriod | None:
    """Return the month or quarter whose dates hold ``today``."""
    for year in (today.year + 1, today.year):
        for number in range(1, _COUNT[kind] + 1):
            period = ReportingPeriod.of(kind, year, number, rule)
            if period.start <= today <= period.end:
                return period
    return None


def _before(period: ReportingPeriod) -> ReportingPeriod:
    """Return the month or quarter just before ``period``."""
    if period.number > 1:
        return ReportingPeriod.of(period.kind, period.year, period.number - 1, period.rule)
    return ReportingPeriod.of(period.kind, period.year - 1, _COUNT[period.kind], period.rule)
