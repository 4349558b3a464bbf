"""Reporting periods follow the 15th-to-14th cut-off, or calendar months when configured."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.periods import PeriodKind, PeriodMode, PeriodRule, ReportingPeriod, parse_period

CALENDAR = PeriodRule(mode=PeriodMode.CALENDAR)


def test_month_runs_from_the_15th_of_the_previous_month_to_the_14th() -> None:
    """November 2026 covers 15/10/2026 to 14/11/2026."""
    period = ReportingPeriod.of(PeriodKind.MONTH, 2026, 11)
    assert (period.start, period.end) == (date(2026, 10, 15), date(2026, 11, 14))
    assert period.contains(date(2026, 11, 14))
    assert not period.contains(date(2026, 11, 15))
    assert ReportingPeriod.containing(date(2026, 11, 15), PeriodKind.MONTH).number == 12


def test_year_window_is_15_december_to_14_december() -> None:
    """The year 2023 covers 15/12/2022 to 14/12/2023; 15/12/2023 belongs to 2024."""
    period = ReportingPeriod.of(PeriodKind.YEAR, 2023)
    assert (period.start, period.end) == (date(2022, 12, 15), date(2023, 12, 14))
    assert ReportingPeriod.containing(date(2023, 12, 15), PeriodKind.YEAR).year == 2024
    assert ReportingPeriod.containing(date(2023, 12, 14), PeriodKind.YEAR).year == 2023


def test_cumulative_periods_start_on_15_december() -> None:
    """Q1, six months and nine months all start on 15/12 of the previous year."""
    assert ReportingPeriod.of(PeriodKind.QUARTER, 2026, 1).start == date(2025, 12, 15)
    assert ReportingPeriod.of(PeriodKind.QUARTER, 2026, 1).end == date(2026, 3, 14)
    half = ReportingPeriod.of(PeriodKind.HALF, 2026, 1)
    assert (half.start, half.end) == (date(2025, 12, 15), date(2026, 6, 14))
    nine = ReportingPeriod.of(PeriodKind.NINE_MONTHS, 2026)
    assert (nine.start, nine.end) == (date(2025, 12, 15), date(2026, 9, 14))


def test_later_quarters_cover_their_own_three_months() -> None:
    """Quarter IV 2026 covers 15/09/2026 to 14/12/2026."""
    period = ReportingPeriod.of(PeriodKind.QUARTER, 2026, 4)
    assert (period.start, period.end) == (date(2026, 9, 15), date(2026, 12, 14))


def test_calendar_mode_uses_plain_months() -> None:
    """In calendar mode a month is the calendar month and a year is January to December."""
    month = ReportingPeriod.of(PeriodKind.MONTH, 2026, 2, CALENDAR)
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))
    year = ReportingPeriod.of(PeriodKind.YEAR, 2026, 1, CALENDAR)
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert ReportingPeriod.of(PeriodKind.QUARTER, 2026, 4, CALENDAR).start == date(2026, 10, 1)


def test_configured_cutoff_day_moves_the_boundaries() -> None:
    """A province that cuts on the 20th gets 20/10 to 19/11 for November."""
    period = ReportingPeriod.of(PeriodKind.MONTH, 2026, 11, PeriodRule(cutoff_day=20))
    assert (period.start, period.end) == (date(2026, 10, 20), date(2026, 11, 19))


def test_same_period_last_year_is_cut_the_same_way() -> None:
    """The comparison period is one year earlier, with the same rule."""
    period = ReportingPeriod.of(PeriodKind.YEAR, 2024).same_period_last_year()
    assert (period.start, period.end) == (date(2022, 12, 15), date(2023, 12, 14))


def test_labels_read_like_a_report() -> None:
    """Labels are the Vietnamese a provincial report uses."""
    assert ReportingPeriod.of(PeriodKind.QUARTER, 2026, 4).label_vi == "quý IV năm 2026"
    assert ReportingPeriod.of(PeriodKind.HALF, 2026, 1).label_vi == "6 tháng đầu năm 2026"
    assert ReportingPeriod.of(PeriodKind.NINE_MONTHS, 2026).label_vi == "9 tháng đầu năm 2026"
    assert ReportingPeriod.of(PeriodKind.YEAR, 2025).label("vi") == "năm 2025"
    assert ReportingPeriod.of(PeriodKind.MONTH, 2026, 11).label("en") == "month 11 of 2026"


@pytest.mark.parametrize(("typed", "key"), [
    ("năm 2025", "2025-Y1"), ("2025", "2025-Y1"), ("quý 4", "2026-Q4"), ("Q2/2026", "2026-Q2"),
    ("quy IV nam 2025", "2025-Q4"), ("tháng 11", "2026-M11"), ("11/2025", "2025-M11"),
    ("thang 11 nam 2025", "2025-M11"), ("9 tháng", "2026-N1"), ("6 thang dau nam 2026", "2026-H1"),
    ("6 tháng cuối năm 2025", "2025-H2"),
])
def test_typed_periods_are_understood(typed: str, key: str) -> None:
    """A person types a period in words; a missing year means the latest one started."""
    period = parse_period(typed, date(2026, 11, 26))
    assert period is not None
    assert period.key == key


@pytest.mark.parametrize(("typed", "key"), [
    ("nam 1990", "1990-Y1"), ("năm 1999", "1999-Y1"), ("quý 2 năm 1995", "1995-Q2"),
    ("thang 3/2101", "2101-M3"), ("2030", "2030-Y1"),
])
def test_years_of_the_last_century_and_beyond_are_understood(typed: str, key: str) -> None:
    """A year from 1900 to 2999 is read as typed, not replaced by the current year."""
    period = parse_period(typed, date(2026, 11, 26))
    assert period is not None
    assert period.key == key


@pytest.mark.parametrize(("typed", "key"), [
    ("nam ngoai", "2025-Y1"), ("năm trước", "2025-Y1"), ("last year", "2025-Y1"),
    ("năm nay", "2026-Y1"), ("quý 3 năm ngoái", "2025-Q3"), ("quarter 3", "2026-Q3"),
    ("6 tháng đầu năm ngoái", "2025-H1"), ("tháng này", "2026-M12"), ("thang truoc", "2026-M11"),
    ("last month", "2026-M11"), ("this quarter", "2026-Q4"), ("quý trước", "2026-Q3"),
])
def test_this_and_last_periods_are_understood(typed: str, key: str) -> None:
    """«năm ngoái», «tháng trước», «last month»: relative to the period running today
    (26/11/2026 falls in month 12 and quarter 4 under the 15th-to-14th cut-off)."""
    period = parse_period(typed, date(2026, 11, 26))
    assert period is not None
    assert period.key == key


def test_last_month_in_january_is_last_years_december() -> None:
    """The month before the first month of a year is the twelfth of the year before."""
    period = parse_period("tháng trước", date(2026, 1, 5), CALENDAR)
    assert period is not None
    assert period.key == "2025-M12"


def test_nonsense_is_not_a_period() -> None:
    """Text that names no period gives nothing."""
    assert parse_period("xin chào", date(2026, 11, 26)) is None
    assert parse_period("tháng 13", date(2026, 11, 26)) is None


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)),
       st.sampled_from([PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR]),
       st.sampled_from([PeriodRule(), CALENDAR, PeriodRule(cutoff_day=20)]))
def test_consecutive_periods_tile_time(day: date, kind: PeriodKind, rule: PeriodRule) -> None:
    """Every day falls in exactly one period of a kind, and the next period starts the day after."""
    period = ReportingPeriod.containing(day, kind, rule)
    assert period.contains(day)
    assert period.following().start == period.end + timedelta(days=1)
    assert period.previous().end == period.start - timedelta(days=1)
