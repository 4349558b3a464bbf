"""Vietnamese working days: public holidays, weekends and the office's announced changes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

SATURDAY = "Thứ Bảy"
SUNDAY = "Chủ nhật"
ANNOUNCED_DAY_OFF = "Ngày nghỉ theo thông báo"

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Year:
    days_off: dict[date, str]
    # Saturdays the government swapped with a weekday off (the library knows the decrees).
    weekend_workdays: frozenset[date]


def _load_year(year: int) -> _Year:
    table = holidays.country_holidays("VN", years=year, language="vi")
    days_off = {day: str(name) for day, name in table.items() if day.year == year}
    swapped = frozenset(day for day in table.weekend_workdays if day.year == year)
    return _Year(days_off, swapped)


class WorkingCalendar:
    """Tell working days from days off, counting deadlines in working days.

    Precedence, strongest first: a configured extra day off, a configured extra working
    day, a public holiday (from the ``holidays`` library), a weekend, unless the library
    knows it as a make-up working Saturday.
    """

    def __init__(self, extra_days_off: frozenset[date] = frozenset(),
                 extra_working_days: frozenset[date] = frozenset()) -> None:
        self.extra_days_off = extra_days_off
        self.extra_working_days = extra_working_days
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        loaded = self._years.get(year)
        if loaded is None:
            loaded = self._years[year] = _load_year(year)
        return loaded

    def day_off_reason(self, d: date) -> str | None:
        """Return why ``d`` is a day off (a holiday's Vietnamese name, a weekday), or None."""
        if d in self.extra_days_off:
            return ANNOUNCED_DAY_OFF
        # The office's own announcement is newer and more specific than the library's data.
        if d in self.extra_working_days:
            return None
        year = self._year(d.year)
        holiday = year.days_off.get(d)
        if holiday is not None:
            return holiday
        if d.weekday() >= 5 and d not in year.weekend_workdays:
            return SATURDAY if d.weekday() == 5 else SUNDAY
        return None

    def is_working_day(self, d: date) -> bool:
        """Tell whether the office works on ``d``."""
        return self.day_off_reason(d) is None

    def next_working_day(self, d: date, *, include_today: bool = True) -> date:
        """Return ``d`` if it is a working day (and ``include_today``), else the next one."""
        day = d if include_today else d + _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def previous_working_day(self, d: date, *, include_today: bool = True) -> date:
        """Return ``d`` if it is a working day (and ``include_today``), else the one before."""
        day = d if include_today else d - _ONE_DAY
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def subtract_working_days(self, start: date, n: int) -> date:
        """Return the ``n``-th working day strictly before ``start``."""
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        day = start
        for _ in range(n):
            day = self.previous_working_day(day, include_today=False)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """Return the ``n``-th working day strictly after ``start``."""
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        day = start
        for _ in range(n):
            day = self.next_working_day(day, include_today=False)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Return how many working days lie in (a, b]; negative when ``b`` is before ``a``."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a + _ONE_DAY
        while day <= b:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count

    def working_days(self, start: date, count: int) -> Iterator[date]:
        """Yield the next ``count`` working days, ``start`` included if it is one."""
        day = start
        for _ in range(count):
            day = self.next_working_day(day)
            yield day
            day += _ONE_DAY
