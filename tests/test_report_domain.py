"""The reports' rules without a database: changes in numbers and words, windows compared,
periods reported after their cut-off, deadline stages, and the [reports] settings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import ConfigError, settings_from
from bot.domain.digests import DeadlineStage, DigestKind, WhenEmpty, closed_periods, deadline_stage
from bot.domain.periods import PeriodKind, PeriodMode, PeriodRule, ReportingPeriod
from bot.domain.report import TCD_COLUMNS, XLD_COLUMNS, Change, Direction, Unit, comparison_window
from bot.i18n import translation
from bot.services.report_texts import change_words, percent_text, short_change


@pytest.mark.parametrize(("now", "then", "words"), [
    (700, 757, "giảm 57 đơn so với cùng kỳ"),
    (712, 700, "tăng 12 đơn so với cùng kỳ"),
    (700, 700, "bằng cùng kỳ"),
])
def test_a_change_is_worded_as_a_report_words_it(now: int, then: int, words: str) -> None:
    """A fall, a rise and no change read "giảm 57 đơn", "tăng 12 đơn", "bằng cùng kỳ"."""
    with translation("vi"):
        assert change_words(Change(now, then), Unit.PETITION) == words


def test_units_short_forms_and_percentages() -> None:
    """Each unit has its word; the short form and the percentage follow the change."""
    with translation("vi"):
        assert change_words(Change(344, 332), Unit.VISIT) == "tăng 12 lượt so với cùng kỳ"
        assert change_words(Change(531, 534), Unit.PERSON) == "giảm 3 người so với cùng kỳ"
        assert change_words(Change(1, 0), Unit.DELEGATION) == \
            "tăng 1 đoàn đông người so với cùng kỳ"
        assert short_change(Change(5, 9)) == "giảm 4"
        assert short_change(Change(5, 5)) == "bằng cùng kỳ"
        assert percent_text(Change(700, 757)) == "−7,5%"
        assert percent_text(Change(3, 0)) == "–"
    with translation("en"):
        assert change_words(Change(1, 2), Unit.PETITION) == \
            "down 1 petition on the same period last year"
        assert change_words(Change(1_200, 2), Unit.PERSON) == \
            "up 1,198 people on the same period last year"


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_a_change_is_the_difference_and_its_direction(now: int, then: int) -> None:
    """The delta is now minus then; its sign gives the direction."""
    change = Change(now, then)
    assert change.delta == now - then
    expected = Direction.UP if now > then else Direction.DOWN if now < then else Direction.SAME
    assert change.direction is expected
    assert (change.percent is None) == (then == 0)


def test_a_period_in_progress_is_compared_with_as_many_days_last_year() -> None:
    """On 20/11/2025 December 2025 (15/11–14/12) counts 15/11–20/11 against 15/11–20/11/2024;
    an ended period counts whole against its whole twin."""
    december = ReportingPeriod.of(PeriodKind.MONTH, 2025, 12)
    assert comparison_window(december, date(2025, 11, 20)) == (
        date(2025, 11, 15), date(2025, 11, 20), date(2024, 11, 15), date(2024, 11, 20))
    year = ReportingPeriod.of(PeriodKind.YEAR, 2025)
    assert comparison_window(year, date(2026, 1, 5)) == (
        date(2024, 12, 15), date(2025, 12, 14), date(2023, 12, 15), date(2024, 12, 14))


def test_deadline_stages() -> None:
    """Past the deadline is overdue; on it, today; within the warning days, soon; else none."""
    today, soon = date(2026, 11, 26), date(2026, 11, 30)
    assert deadline_stage(date(2026, 11, 25), today, soon) is DeadlineStage.OVERDUE
    assert deadline_stage(today, today, soon) is DeadlineStage.TODAY
    assert deadline_stage(soon, today, soon) is DeadlineStage.SOON
    assert deadline_stage(date(2026, 12, 1), today, soon) is None


def test_the_forms_number_their_columns_without_gaps() -> None:
    """Mẫu 01/TCD numbers 29 columns and 01/XLD 22, each once and in order."""
    assert [c.number for c in TCD_COLUMNS] == list(range(1, 30))
    assert [c.number for c in XLD_COLUMNS] == list(range(1, 23))


def test_the_reports_due_after_a_cut_off_are_the_month_and_the_longest_period() -> None:
    """On 15/12 the month and the year (not Q4 nor the half year) are due; on 15/06 the
    month and the six months; on 15/03 the month and Q1; on the 16th nothing new."""
    rule = PeriodRule()
    assert [p.key for p in closed_periods(date(2026, 12, 15), rule)] == ["2026-M12", "2026-Y1"]
    assert [p.key for p in closed_periods(date(2026, 6, 15), rule)] == ["2026-M6", "2026-H1"]
    assert [p.key for p in closed_periods(date(2026, 3, 15), rule)] == ["2026-M3", "2026-Q1"]
    assert [p.key for p in closed_periods(date(2026, 9, 16), rule)] == ["2026-M9", "2026-N1"]
    assert closed_periods(date(2026, 11, 20), rule) == []


def test_in_calendar_mode_reports_follow_calendar_months() -> None:
    """With calendar periods, 1 January brings December's and the year's reports."""
    rule = PeriodRule(mode=PeriodMode.CALENDAR)
    assert [p.key for p in closed_periods(date(2026, 1, 1), rule)] == ["2025-M12", "2025-Y1"]
    assert ReportingPeriod.of(PeriodKind.YEAR, 2025, 1, rule).end == date(2025, 12, 31)


def test_the_reports_settings_are_read_and_checked() -> None:
    """[reports] takes times, a weekday, heads and subscriptions; bad values are refused with
    the key and what was expected."""
    settings = settings_from({"reports": {
        "default_kind": "quarter", "morning_brief_at": "06:45", "weekly_digest_day": "Friday",
        "period_reports_at": "09:00", "alerts_from": "07:15", "deadline_alert_working_days": 3,
        "heads": ["telegram:1"], "subscriber_roles": ["leader"],
        "subscriptions": [{"role": "leader", "kinds": ["monthly", "period"]},
                          {"who": "telegram:2", "kinds": ["morning"], "when_empty": "skip"}],
    }}, {})
    reports = settings.reports
    assert reports.default_kind is PeriodKind.QUARTER
    assert reports.morning_brief_at.strftime("%H:%M") == "06:45"
    assert reports.weekly_digest_day == 4
    assert reports.deadline_alert_working_days == 3
    assert reports.heads == ("telegram:1",)
    assert reports.subscriptions[0].kinds == (DigestKind.MONTHLY, DigestKind.PERIOD)
    assert reports.subscriptions[1].when_empty is WhenEmpty.SKIP
    for bad, key in (({"default_kind": "week"}, r"reports\.default_kind"),
                     ({"weekly_digest_day": "someday"}, r"reports\.weekly_digest_day"),
                     ({"heads": ["nobody"]}, r"reports\.heads"),
                     ({"subscriptions": [{"kinds": ["morning"]}]}, r"subscriptions\[0\]"),
                     ({"subscriptions": [{"role": "leader", "kinds": ["hourly"]}]},
                      r"subscriptions\[0\]\.kinds"),
                     ({"subscriptions": [{"role": "leader", "kinds": ["morning"],
                                          "site": "nowhere"}]}, r"subscriptions\[0\]\.site"),
                     ({"morning_brief_at": "25:00"}, r"reports\.morning_brief_at"),
                     ({"colour": "red"}, r"reports\.colour")):
        with pytest.raises(ConfigError, match=key):
            settings_from({"reports": bad}, {})
