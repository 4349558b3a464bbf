"""Booking rules: slots, leaders' days around holidays, cut-offs, groups, typed answers."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.config import default_rules
from bot.domain.booking import (
    DateProblem,
    Representative,
    RepresentativeError,
    RepresentativeProblem,
    add_months,
    added_day_closes,
    closes_before,
    is_mass_delegation,
    leader_day,
    parse_day,
    parse_representatives,
    parse_time_of_day,
    per_slot_capacity,
    publish_by,
    registration_closes,
    representatives_allowed,
    slot_times,
)
from bot.domain.calendar import WorkingCalendar
from bot.domain.rules import LegalRule, RuleBook, Unit, merge
from bot.domain.text import topic_summary

CALENDAR = WorkingCalendar()
RULES = RuleBook(default_rules())
THURSDAY = date(2026, 11, 26)


def test_sessions_are_cut_into_slots_of_the_configured_length() -> None:
    """7:30–11:30 and 13:30–16:30 in 30 minutes make 8 morning and 6 afternoon slots."""
    slots = slot_times(((time(7, 30), time(11, 30)), (time(13, 30), time(16, 30))), 30)
    assert len(slots) == 14
    assert slots[0] == (time(7, 30), time(8, 0))
    assert slots[7] == (time(11, 0), time(11, 30))
    assert slots[8] == (time(13, 30), time(14, 0))


def test_a_session_shorter_than_a_slot_is_one_slot() -> None:
    """A leader's half-day session with a 480-minute slot is one slot, not none."""
    assert slot_times(((time(7, 30), time(11, 30)),), 480) == [(time(7, 30), time(11, 30))]


def test_slots_that_do_not_fit_are_dropped() -> None:
    """A 45-minute slot length fits 5 times in 7:30–11:30; the last 15 minutes are unused."""
    slots = slot_times(((time(7, 30), time(11, 30)),), 45)
    assert len(slots) == 5
    assert slots[-1] == (time(10, 30), time(11, 15))


@pytest.mark.parametrize(("year", "month", "day_of_month", "expected"), [
    (2026, 2, 15, date(2026, 2, 23)),  # Sunday 15/02, then the Tết days off 16–20/02
    (2027, 2, 5, date(2027, 2, 11)),  # Giao thừa 2027: Tết runs 04–10/02
    (2026, 4, 30, date(2026, 5, 4)),  # Ngày Chiến thắng, Labour Day, then the weekend
    (2026, 5, 1, date(2026, 5, 4)),  # Labour Day (a Friday), then the weekend
    (2027, 4, 30, date(2027, 5, 4)),  # 30/4 and 1/5, weekend, and the make-up Monday 03/05
    (2026, 11, 15, date(2026, 11, 16)),  # a Sunday
    (2026, 8, 15, date(2026, 8, 17)),  # a Saturday
    (2026, 12, 15, date(2026, 12, 15)),  # a working Tuesday stays
])
def test_leader_day_is_day_n_or_the_next_working_day(year: int, month: int,
                                                     day_of_month: int, expected: date) -> None:
    """A leader's day that falls on a holiday or a weekend moves to the next working day."""
    assert leader_day(year, month, day_of_month, CALENDAR) == expected


def test_leader_day_31_in_a_short_month_is_its_last_day() -> None:
    """Day 31 in April means 30/04, which then moves past the holidays."""
    assert leader_day(2026, 4, 31, CALENDAR) == date(2026, 5, 4)


def test_leader_day_follows_the_offices_announced_days_off() -> None:
    """A configured extra day off moves the leader's day to the next working day."""
    calendar = WorkingCalendar(extra_days_off=frozenset({date(2026, 12, 15)}))
    assert leader_day(2026, 12, 15, calendar) == date(2026, 12, 16)


def test_register_by_the_10th_counts_in_the_rules_month() -> None:
    """"Register by the 10th" closes on the 10th of the month the day was made for."""
    day = leader_day(2026, 2, 15, CALENDAR)
    closes = registration_closes(year=2026, month=2, day=day, closes_day=10,
                                 closes_working_days_before=None, calendar=CALENDAR)
    assert closes == date(2026, 2, 10)


def test_working_days_before_count_back_over_tet() -> None:
    """Three working days before Monday 23/02/2026 is Wednesday 11/02, before Tết."""
    closes = registration_closes(year=2026, month=2, day=date(2026, 2, 23), closes_day=10,
                                 closes_working_days_before=3, calendar=CALENDAR)
    assert closes == date(2026, 2, 11)
    assert CALENDAR.subtract_working_days(date(2026, 2, 23), 1) == date(2026, 2, 13)


def test_zero_working_days_before_keeps_registration_open_on_the_day() -> None:
    """A cut-off of 0 working days is the reception day itself; unset means the day before."""
    assert closes_before(date(2026, 12, 15), 0, CALENDAR) == date(2026, 12, 15)
    assert closes_before(date(2026, 12, 14), None, CALENDAR) == date(2026, 12, 11)


def test_backward_counting_skips_weekends_and_refuses_zero() -> None:
    """The working day before a Monday is the Friday; counting back 0 days is an error."""
    assert CALENDAR.subtract_working_days(date(2026, 11, 30), 1) == date(2026, 11, 27)
    assert CALENDAR.previous_working_day(date(2026, 11, 29)) == date(2026, 11, 27)
    assert CALENDAR.previous_working_day(THURSDAY) == THURSDAY
    with pytest.raises(ValueError, match="at least 1"):
        CALENDAR.subtract_working_days(THURSDAY, 0)


def test_publication_deadline_comes_from_the_legal_rule() -> None:
    """The schedule must be published 5 working days before (Đ.24(4)), from the rule book."""
    assert publish_by(date(2026, 12, 15), CALENDAR, RULES) == date(2026, 12, 8)
    ten = RuleBook(merge(default_rules(), [LegalRule(
        "schedule.publish_ahead", 10, Unit.WORKING_DAYS, date(2014, 7, 1), "test")]))
    assert publish_by(date(2026, 12, 15), CALENDAR, ten) == date(2026, 12, 1)


@pytest.mark.parametrize(("people", "mass", "allowed"), [
    (1, False, 0), (4, False, 0), (5, True, 2), (10, True, 2), (11, True, 5), (300, True, 5),
])
def test_groups_and_their_representatives_follow_the_law(people: int, mass: bool,
                                                          allowed: int) -> None:
    """From 5 people a group is a mass delegation: 1–2 representatives up to 10, then 5."""
    assert is_mass_delegation(people, RULES, THURSDAY) is mass
    assert representatives_allowed(people, RULES, THURSDAY) == allowed


def test_group_thresholds_are_data_not_code() -> None:
    """A province that sets the group threshold to 3 gets groups of 3."""
    rules = RuleBook(merge(default_rules(), [
        LegalRule("group.min_people", 3, Unit.PEOPLE, date(2014, 7, 1), "test"),
        LegalRule("representatives.max_small_group", 1, Unit.PEOPLE, date(2014, 7, 1), "t"),
    ]))
    assert is_mass_delegation(3, rules, THURSDAY)
    assert representatives_allowed(4, rules, THURSDAY) == 1


def test_a_leaders_day_capacity_is_spread_over_its_slots() -> None:
    """20 places over 8 slots allow 3 per slot (the day total still caps at 20)."""
    assert per_slot_capacity(20, 8) == 3
    assert per_slot_capacity(1, 8) == 1


def test_months_roll_over_the_year() -> None:
    """Two months after November is January of the next year."""
    assert add_months(2026, 11, 2) == (2027, 1)
    assert add_months(2026, 1, 0) == (2026, 1)


@pytest.mark.parametrize(("typed", "expected"), [
    ("15/12", date(2026, 12, 15)),
    ("15-12-2026", date(2026, 12, 15)),
    ("15.12.26", date(2026, 12, 15)),
    ("2026-12-03", date(2026, 12, 3)),
    ("ngày 15 tháng 12", date(2026, 12, 15)),
    ("ngay 15 thang 12 nam 2026", date(2026, 12, 15)),
    ("thứ hai", date(2026, 11, 30)),
    ("thu hai", date(2026, 11, 30)),
    ("T2", date(2026, 11, 30)),
    ("thứ 6", date(2026, 11, 27)),
    ("thu bay", date(2026, 11, 28)),
    ("thứ năm", date(2026, 12, 3)),  # the next Thursday, not today
    ("chủ nhật", date(2026, 11, 29)),
    ("thứ tư tuần sau", date(2026, 12, 2)),
    ("hôm nay", THURSDAY),
    ("ngày mai", date(2026, 11, 27)),
    ("mai", date(2026, 11, 27)),
    ("ngày kia", date(2026, 11, 28)),
    ("5/1", date(2027, 1, 5)),  # months past in this year: next January
    ("20/11", date(2026, 11, 20)),  # days past: the caller says it has passed
])
def test_typed_dates_are_read(typed: str, expected: date) -> None:
    """Dates typed with digits, words or weekdays, with or without diacritics, are read."""
    assert parse_day(typed, THURSDAY) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("1/1", date(2027, 1, 1)), ("1-1", date(2027, 1, 1)), ("15 thang 12", date(2026, 12, 15)),
    ("15 tháng 12", date(2026, 12, 15)), ("ngày 15 tháng 12 năm 2026", date(2026, 12, 15)),
    ("ngày mười lăm tháng mười hai", date(2026, 12, 15)), ("15 thg 12", date(2026, 12, 15)),
    ("thứ hai tuần sau", date(2026, 11, 30)), ("ngay 5 thang 5 nam 2027", date(2027, 5, 5)),
])
def test_dates_typed_with_the_month_in_words_are_read(typed: str, expected: date) -> None:
    """«15 tháng 12» needs no «ngày» before it; day and month may be spelled out."""
    assert parse_day(typed, THURSDAY) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("8", (time(8), time(20))), ("8h", (time(8), time(20))), ("8 giờ", (time(8), time(20))),
    ("8:30", (time(8, 30), time(20, 30))), ("14h30", (time(14, 30),)),
    ("2 giờ chiều", (time(14),)), ("2h chiều", (time(14),)), ("chiều 2 giờ", (time(14),)),
    ("8 giờ rưỡi", (time(8, 30), time(20, 30))), ("tám giờ sáng", (time(8),)),
    ("tôi muốn 9 giờ", (time(9), time(21))), ("8 giờ 30 phút", (time(8, 30), time(20, 30))),
    ("25h", ()), ("chưa biết", ()),
])
def test_typed_times_of_day_are_read(typed: str, expected: tuple[time, ...]) -> None:
    """An hour before noon typed without «sáng»/«chiều» may mean either; «tôi» is not «tối»."""
    assert parse_time_of_day(typed) == expected


def test_impossible_and_unreadable_dates_say_why() -> None:
    """31/02 does not exist; "abc" is not a date."""
    assert parse_day("31/2", THURSDAY) is DateProblem.NO_SUCH_DAY
    assert parse_day("abc", THURSDAY) is DateProblem.NOT_A_DATE
    assert parse_day("12", THURSDAY) is DateProblem.NOT_A_DATE


def test_representatives_are_read_in_any_common_layout() -> None:
    """One per line, numbered, or several on a line separated by commas."""
    lines = parse_representatives("1. Nguyễn Văn An, 0912345678\n2) trần thị bình: 0987 654 321")
    assert lines == [Representative("Nguyễn Văn An", "+84912345678"),
                     Representative("Trần Thị Bình", "+84987654321")]
    one_line = parse_representatives("Lê Văn C 0911111111, Y-Moan Niê 0922222222")
    assert one_line == [Representative("Lê Văn C", "+84911111111"),
                        Representative("Y-Moan Niê", "+84922222222")]
    assert one_line[0].phone_masked == "0911***111"


@pytest.mark.parametrize("typed", ["Lê Thị Hoa (0205) 3871234", "Lê Thị Hoa (0205) 3 871 234",
                                   "Lê Thị Hoa 0205.387.1234", "Lê Thị Hoa: (0205)3871234"])
def test_a_landline_with_its_area_code_in_brackets_is_read(typed: str) -> None:
    """A landline written «(0205) 3 871 234» is one number, as at the contact question."""
    assert parse_representatives(typed) == [Representative("Lê Thị Hoa", "+842053871234")]


def test_a_long_matter_is_summed_up_by_its_beginning() -> None:
    """A matter over the limit keeps its first whole sentences, or its first words and «…»;
    a short one is kept as it is, spaces tidied."""
    sentences = "Tôi muốn hỏi về tranh chấp đất đai. " * 40
    by_sentence = topic_summary(sentences, 100)
    assert by_sentence == ("Tôi muốn hỏi về tranh chấp đất đai. " * 2).strip()
    words = "tranh chấp đất đai " * 40
    by_word = topic_summary(words, 100)
    assert len(by_word) <= 100
    assert len(by_word) > 50
    assert by_word.endswith("…")
    assert words.startswith(by_word[:-1] + " ")  # cut after a whole word
    assert topic_summary("  Hỏi   về sổ đỏ ", 100) == "Hỏi về sổ đỏ"


@pytest.mark.parametrize(("typed", "problem"), [
    ("Nguyễn Văn An", RepresentativeProblem.NO_PHONE),
    ("Nguyễn Văn An 0123", RepresentativeProblem.NO_PHONE),
    ("Nguyễn Văn An 0000000000", RepresentativeProblem.BAD_PHONE),
    ("@@@ 0912345678", RepresentativeProblem.BAD_NAME),
    ("An 0912345678, Bình 0987654321, Chiến", RepresentativeProblem.NO_PHONE),
])
def test_unreadable_representatives_say_which_line_and_why(
        typed: str, problem: RepresentativeProblem) -> None:
    """A line without a phone, with a wrong phone or without a name is refused, named."""
    result = parse_representatives(typed)
    assert isinstance(result, RepresentativeError)
    assert result.problem is problem


def test_a_day_added_by_staff_closes_by_the_leaders_rule() -> None:
    """«Register by the 10th» for the 15th keeps its five days for a day added on the 22nd;
    «N working days before» applies as it is; with neither, one working day before."""
    calendar = CALENDAR
    added = date(2026, 12, 22)
    assert added_day_closes(added, day_of_month=15, closes_day=10,
                            closes_working_days_before=None, calendar=calendar) \
        == date(2026, 12, 17)
    assert added_day_closes(added, day_of_month=15, closes_day=10,
                            closes_working_days_before=2, calendar=calendar) \
        == date(2026, 12, 18)
    assert added_day_closes(added, day_of_month=15, closes_day=None,
                            closes_working_days_before=None, calendar=calendar) \
        == date(2026, 12, 21)
