"""Legal rules are dated data: the version in force on the day of receipt sets the deadline."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from importlib import resources
from typing import Any

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.rules import LegalRule, RuleBook, RuleError, Unit, merge, rules_from_toml

CALENDAR = WorkingCalendar()


def shipped_rules() -> list[LegalRule]:
    """Return the rules of the shipped bot/data/legal_rules.toml."""
    text = resources.files("bot.data").joinpath("legal_rules.toml").read_text(encoding="utf-8")
    return rules_from_toml(tomllib.loads(text))


@pytest.fixture(scope="module")
def book() -> RuleBook:
    """Return a rule book of the shipped defaults."""
    return RuleBook(shipped_rules())


def entry(**changes: Any) -> dict[str, Any]:
    """Return a valid [[rule]] table with ``changes`` applied (None removes a field)."""
    table: dict[str, Any] = {"key": "petition.reply", "value": 10, "unit": "working_days",
                             "effective_from": date(2014, 7, 1), "source": "Luật TCD, Đ.28"}
    table.update(changes)
    return {k: v for k, v in table.items() if v is not None}


def test_shipped_file_has_every_rule_the_features_need(book: RuleBook) -> None:
    """The shipped file loads and holds the deadlines and thresholds of domain.md."""
    expected = {"petition.reply", "complaint.accept", "denunciation.accept",
                "denunciation.forward_notice", "complaint.resolve_first",
                "complaint.resolve_second", "denunciation.resolve", "forwarded.report_back",
                "citizen.inform_result", "refusal.notice", "group.min_people",
                "representatives.max_small_group", "representatives.max",
                "representatives.small_group_limit", "schedule.publish_ahead"}
    assert expected <= set(book.keys())
    today = date(2026, 11, 26)
    assert book.value("petition.reply", today) == 10
    assert book.value("group.min_people", today) == 5
    assert book.value("representatives.max_small_group", today) == 2
    assert book.value("representatives.max", today) == 5
    assert book.value("representatives.small_group_limit", today) == 10
    assert book.rule("schedule.publish_ahead", today).unit is Unit.WORKING_DAYS
    assert book.rule("petition.reply", today).source == "Luật Tiếp công dân 2013, Đ.28(1)"


def test_complaint_acceptance_switches_on_1_july_2026(book: RuleBook) -> None:
    """A complaint received 30/06/2026 has 10 days; one received 01/07/2026 has 7 working days."""
    before = book.rule("complaint.accept", date(2026, 6, 30))
    after = book.rule("complaint.accept", date(2026, 7, 1))
    assert (before.value, before.unit) == (10, Unit.DAYS)
    assert (after.value, after.unit) == (7, Unit.WORKING_DAYS)
    assert "chưa đối chiếu công báo" in after.source
    assert book.due_date("complaint.accept", date(2026, 6, 30), CALENDAR) == date(2026, 7, 10)
    assert book.due_date("complaint.accept", date(2026, 7, 2), CALENDAR) == date(2026, 7, 13)


def test_calendar_day_deadline_on_a_weekend_moves_to_monday(book: RuleBook) -> None:
    """Ten days from Thursday 25/06/2026 is a Sunday, so the deadline is Monday 06/07."""
    assert book.due_date("complaint.accept", date(2026, 6, 25), CALENDAR) == date(2026, 7, 6)


def test_deadlines_skip_tet(book: RuleBook) -> None:
    """Deadlines that run into Tết 2026 end after it, in working days or moved off it."""
    assert book.due_date("petition.reply", date(2026, 2, 12), CALENDAR) == date(2026, 3, 5)
    # Ten days from 06/02 is Giao thừa (16/02); the Tết week is off, so Monday 23/02.
    assert book.due_date("complaint.accept", date(2026, 2, 6), CALENDAR) == date(2026, 2, 23)
    assert book.due_date("denunciation.accept", date(2026, 2, 13), CALENDAR) == date(2026, 3, 3)


def test_rule_not_yet_in_force_is_a_key_error(book: RuleBook) -> None:
    """A rule asked for before its first effective date, or an unknown key, raises KeyError."""
    with pytest.raises(KeyError, match=r"refusal\.notice"):
        book.rule("refusal.notice", date(2026, 6, 30))
    assert book.value("refusal.notice", date(2026, 7, 1)) == 3
    with pytest.raises(KeyError, match="no legal rule 'nonsense'"):
        book.value("nonsense", date(2026, 7, 1))


def test_rule_with_until_lapses_after_that_day() -> None:
    """A rule with ``until`` applies through that day and not after."""
    rules = rules_from_toml({"rule": [entry(until=date(2020, 12, 31))]})
    book = RuleBook(rules)
    assert book.value("petition.reply", date(2020, 12, 31)) == 10
    with pytest.raises(KeyError, match="lapsed"):
        book.value("petition.reply", date(2021, 1, 1))


def test_people_rules_have_no_due_date(book: RuleBook) -> None:
    """Asking a head-count rule for a deadline is an error."""
    with pytest.raises(ValueError, match="people"):
        book.due_date("group.min_people", date(2026, 7, 1), CALENDAR)


@pytest.mark.parametrize(("bad", "problem"), [
    (entry(source=None), "missing source"),
    (entry(unit="weeks"), "unit must be one of working_days, days, people"),
    (entry(value="10"), "value must be a whole number"),
    (entry(value=1.5), "value must be a whole number"),
    (entry(value=True), "value must be a whole number"),
    (entry(value=0), "value must be a whole number"),
    (entry(effective_from="2014-07-01"), "effective_from must be a TOML date"),
    (entry(effective_from=datetime(2014, 7, 1, 8, 0)), "effective_from must be a TOML date"),
    (entry(until=date(2010, 1, 1)), "before effective_from"),
    (entry(efective_from=date(2014, 7, 1)), "unknown field efective_from"),
    (entry(source="  "), "source must be a non-empty citation"),
])
def test_parser_refuses_bad_entries(bad: dict[str, Any], problem: str) -> None:
    """A bad entry is refused with its position, its key and what is wrong."""
    with pytest.raises(RuleError, match=problem) as caught:
        rules_from_toml({"rule": [entry(key="group.min_people", value=5, unit="people"), bad]})
    assert caught.value.index == 2
    assert caught.value.key == "petition.reply"
    assert "#2" in str(caught.value)


def test_parser_refuses_missing_key() -> None:
    """An entry without a key is refused, naming the missing field."""
    with pytest.raises(RuleError, match="missing key") as caught:
        rules_from_toml({"rule": [entry(key=None)]})
    assert caught.value.index == 1
    assert caught.value.key is None


def test_parser_refuses_two_versions_on_one_date() -> None:
    """Two entries with the same key and effective_from are refused, naming both."""
    with pytest.raises(RuleError, match="as rule #1") as caught:
        rules_from_toml({"rule": [entry(), entry(value=7)]})
    assert caught.value.index == 2


def test_parser_refuses_a_non_array() -> None:
    """``rule`` written as a single table instead of [[rule]] is refused."""
    with pytest.raises(RuleError, match=r"\[\[rule\]\]"):
        rules_from_toml({"rule": entry()})


def test_no_rules_is_an_empty_list() -> None:
    """A document without [[rule]] tables holds no rules."""
    assert rules_from_toml({}) == []


def test_override_replaces_the_default_of_the_same_date() -> None:
    """An override with the same key and date replaces the default; a new date adds a version."""
    defaults = shipped_rules()
    overrides = rules_from_toml({"rule": [
        entry(value=8),
        entry(key="group.min_people", value=3, unit="people",
              effective_from=date(2027, 1, 1), source="Quy chế tỉnh"),
    ]})
    book = RuleBook(merge(defaults, overrides))
    assert book.value("petition.reply", date(2020, 1, 1)) == 8
    assert book.value("group.min_people", date(2026, 12, 31)) == 5
    assert book.value("group.min_people", date(2027, 1, 1)) == 3
    assert len(merge(defaults, overrides)) == len(defaults) + 1


def test_rule_book_refuses_two_versions_on_one_date() -> None:
    """A rule book built from clashing rules is refused."""
    rule = LegalRule("petition.reply", 10, Unit.WORKING_DAYS, date(2014, 7, 1), "Đ.28")
    with pytest.raises(ValueError, match=r"petition\.reply"):
        RuleBook([rule, rule])
