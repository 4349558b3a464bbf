"""Typed dates and date ranges for registers and exports: one reader for the chat and the
command line.

A range is one or two parts, each a day (1/11/2026, 2026-11-01, or 1/11 without a year), a
month (11/2026) or a year (2026). One part covers itself; two run from the first day of the
first to the last day of the second ("1/11 30/11", "10/2026 11/2026", "1/11/2026 - 30/11/2026").
A day typed without a year is the latest such day that is not after today, since registers
and exports look back; the second day of a range follows the first.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}))?$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
# Words and signs people put around and between the two ends of a range.
_BETWEEN = re.compile(r"\s+(?:-|đến|den|tới|toi|to|until)\s+|\s*[–—]\s*", re.IGNORECASE)
_DASH_BETWEEN = re.compile(r"(?<=\d)-(?=\d{1,2}[/.])")  # 1/11/2026-30/11/2026
_WORDS = re.compile(r"(?:^|\s)(?:từ|tu|from|ngày|ngay|tháng|thang|năm|nam)(?=\s)",
                    re.IGNORECASE)
_SPACES_IN_DATE = re.compile(r"\s*([/.])\s*")
MIN_YEAR = 1900
MAX_YEAR = 9999
LEAP_CYCLE = 8  # 29/2 recurs within eight years, even across a century's skipped leap day


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """Return the first and last day of a month."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def _latest(day: int, month: int, today: date) -> date | None:
    """Return the latest day ``day/month`` that is not after ``today``."""
    for year in range(today.year, today.year - LEAP_CYCLE - 1, -1):
        try:
            made = date(year, month, day)
        except ValueError:
            continue  # 29/2 outside a leap year: try the year before
        if made <= today:
            return made
    return None


def _part(text: str, today: date, after: date | None) -> tuple[date, date] | None:
    """Return the days one typed part covers; ``after`` places a day without a year."""
    found = _ISO_DAY.match(text)
    if found:
        try:
            day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            return None
        return day, day
    found = _MONTH.match(text)
    if found and 1 <= int(found.group(1)) <= 12:
        year = int(found.group(2))
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        return month_bounds(year, int(found.group(1)))
    found = _DAY.match(text)
    if found:
        day_number, month = int(found.group(1)), int(found.group(2))
        if found.group(3):
            try:
                day = date(int(found.group(3)), month, day_number)
            except ValueError:
                return None
        elif after is not None:
            try:
                day = date(after.year, month, day_number)
                if day < after:
                    day = date(after.year + 1, month, day_number)
            except ValueError:
                return None
        else:
            latest = _latest(day_number, month, today)
            if latest is None:
                return None
            day = latest
        return day, day
    found = _YEAR.match(text)
    if found and MIN_YEAR <= int(found.group(1)) <= MAX_YEAR:
        year = int(found.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _split(text: str) -> list[str]:
    typed = f" {unicodedata.normalize('NFKC', text).strip()} "
    typed = _WORDS.sub(" ", _WORDS.sub(" ", typed))
    typed = _SPACES_IN_DATE.sub(r"\1", typed)
    typed = _BETWEEN.sub(" ", _DASH_BETWEEN.sub(" ", typed))
    return typed.split()


def _yearless(text: str) -> bool:
    found = _DAY.match(text)
    return found is not None and not found.group(3)


def parse_date_range(text: str, today: date) -> tuple[date, date] | None:
    """Return the first and last day (both included) of a typed range; None if unreadable."""
    parts = _split(text)
    if not 1 <= len(parts) <= 2:
        return None
    if len(parts) == 2 and _yearless(parts[0]) and not _yearless(parts[1]):
        # "1/12 31/1/2027": the end's year places the start.
        last = _part(parts[1], today, None)
        first = _part(parts[0], last[0], None) if last is not None else None
    else:
        first = _part(parts[0], today, None)
        last = (_part(parts[1], today, first[0]) if first is not None and len(parts) == 2
                else first)
    if first is None or last is None or last[1] < first[0]:
        return None
    return first[0], last[1]
