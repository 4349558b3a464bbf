"""Working days follow Vietnamese public holidays, weekends and the office's announcements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.calendar import ANNOUNCED_DAY_OFF, SATURDAY, SUNDAY, WorkingCalendar

CALENDAR = WorkingCalendar()


def test_tet_2026_is_off_from_giao_thua_to_mung_bon() -> None:
    """Monday 16/02 to Friday 20/02/2026 are Tết days off, the following Monday is worked."""
    tet = [date(2026, 2, 16) + timedelta(days=i) for i in range(5)]
    assert not any(CALENDAR.is_working_day(d) for d in tet)
    assert CALENDAR.day_off_reason(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert CALENDAR.is_working_day(date(2026, 2, 13))
    assert CALENDAR.is_working_day(date(2026, 2, 23))


def test_tet_2027_is_off_from_29_tet_to_mung_nam() -> None:
    """Thursday 04/02 to Wednesday 10/02/2027 are days off, with Tết names on the weekend too."""
    tet = [date(2027, 2, 4) + timedelta(days=i) for i in range(7)]
    assert not any(CALENDAR.is_working_day(d) for d in tet)
    assert CALENDAR.day_off_reason(date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert CALENDAR.is_working_day(date(2027, 2, 11))


def test_reunification_labour_and_national_days_are_off() -> None:
    """30/4, 1/5 and 2/9 are days off with their Vietnamese names."""
    assert CALENDAR.day_off_reason(date(2026, 4, 30)) == "Ngày Chiến thắng"
    assert CALENDAR.day_off_reason(date(2026, 5, 1)) == "Ngày Quốc tế Lao động"
    assert CALENDAR.day_off_reason(date(2026, 9, 2)) == "Quốc khánh"
    assert not CALENDAR.is_working_day(date(2026, 9, 1))


def test_hung_kings_day_follows_the_lunar_calendar() -> None:
    """Giỗ Tổ Hùng Vương falls on a different solar date each year."""
    assert CALENDAR.day_off_reason(date(2025, 4, 7)) == "Ngày Giỗ Tổ Hùng Vương"
    assert CALENDAR.day_off_reason(date(2027, 4, 16)) == "Ngày Giỗ Tổ Hùng Vương"
    assert CALENDAR.is_working_day(date(2026, 4, 16))


def test_weekends_are_off_and_named() -> None:
    """An ordinary Saturday and Sunday are days off named after the weekday."""
    assert CALENDAR.day_off_reason(date(2026, 11, 28)) == SATURDAY
    assert CALENDAR.day_off_reason(date(2026, 11, 29)) == SUNDAY
    assert CALENDAR.day_off_reason(date(2026, 11, 26)) is None


def test_library_make_up_saturday_is_a_working_day() -> None:
    """Saturday 22/08/2026, swapped for Monday 31/08, is worked."""
    assert CALENDAR.is_working_day(date(2026, 8, 22))
    assert not CALENDAR.is_working_day(date(2026, 8, 31))


def test_configured_make_up_saturday_is_a_working_day() -> None:
    """A make-up Saturday set in configuration counts as a working day."""
    saturday = date(2026, 10, 10)
    calendar = WorkingCalendar(extra_working_days=frozenset({saturday}))
    assert calendar.is_working_day(saturday)
    assert not CALENDAR.is_working_day(saturday)
    assert calendar.working_days_between(date(2026, 10, 9), date(2026, 10, 12)) == 2


def test_configured_day_off_is_skipped() -> None:
    """A day off set in configuration is skipped when counting working days."""
    friday = date(2026, 11, 27)
    calendar = WorkingCalendar(extra_days_off=frozenset({friday}))
    assert calendar.day_off_reason(friday) == ANNOUNCED_DAY_OFF
    assert calendar.add_working_days(date(2026, 11, 26), 1) == date(2026, 11, 30)


def test_configured_day_off_wins_over_configured_working_day() -> None:
    """A date configured both ways is a day off."""
    day = date(2026, 10, 10)
    both = frozenset({day})
    calendar = WorkingCalendar(extra_days_off=both, extra_working_days=both)
    assert not calendar.is_working_day(day)


def test_one_working_day_after_friday_is_monday() -> None:
    """A petition received on Friday is one working day old on Monday."""
    assert CALENDAR.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_counting_from_a_day_off_starts_the_next_day() -> None:
    """Counting from a Sunday starts on Monday."""
    assert CALENDAR.add_working_days(date(2026, 11, 29), 1) == date(2026, 11, 30)


def test_add_working_days_skips_tet() -> None:
    """Ten working days from Thursday 12/02/2026 end on 05/03/2026, after the Tết week."""
    assert CALENDAR.add_working_days(date(2026, 2, 12), 10) == date(2026, 3, 5)
    assert CALENDAR.working_days_between(date(2026, 2, 12), date(2026, 3, 5)) == 10


def test_next_working_day_can_skip_today() -> None:
    """``next_working_day`` returns today if worked, unless told to look past it."""
    thursday = date(2026, 11, 26)
    assert CALENDAR.next_working_day(thursday) == thursday
    assert CALENDAR.next_working_day(thursday, include_today=False) == date(2026, 11, 27)
    assert CALENDAR.next_working_day(date(2026, 2, 14)) == date(2026, 2, 23)


def test_working_days_lists_from_start_inclusive() -> None:
    """``working_days`` yields the start when it is worked, then the following working days."""
    assert list(CALENDAR.working_days(date(2026, 11, 27), 3)) == [
        date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1)]
    assert list(CALENDAR.working_days(date(2026, 2, 15), 1)) == [date(2026, 2, 23)]


def test_working_days_between_is_signed() -> None:
    """Counting backwards gives the negative count, and an empty range gives zero."""
    a, b = date(2026, 12, 7), date(2026, 12, 14)
    assert CALENDAR.working_days_between(a, b) == 5
    assert CALENDAR.working_days_between(b, a) == -5
    assert CALENDAR.working_days_between(a, a) == 0


def test_add_working_days_refuses_zero() -> None:
    """Adding fewer than one working day is refused."""
    with pytest.raises(ValueError, match="at least 1"):
        CALENDAR.add_working_days(date(2026, 1, 5), 0)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
       n=st.integers(min_value=1, max_value=60))
def test_add_working_days_lands_on_the_nth_working_day(start: date, n: int) -> None:
    """The result is a working day after the start with exactly n working days up to it."""
    result = CALENDAR.add_working_days(start, n)
    assert result > start
    assert CALENDAR.is_working_day(result)
    assert CALENDAR.working_days_between(start, result) == n
