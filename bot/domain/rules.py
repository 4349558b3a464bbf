"""Legal deadlines and thresholds as dated data: each rule applies from its effective date."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.domain.calendar import WorkingCalendar


class Unit(StrEnum):
    """What a rule's value counts."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    PEOPLE = "people"
    TIMES = "times"


@dataclass(frozen=True)
class LegalRule:
    """One legal number, in force from ``effective_from`` until superseded or ``until``."""

    key: str
    value: int
    unit: Unit
    effective_from: date
    source: str
    # The last day the rule applies, for a rule that lapses with no successor.
    until: date | None = None

    def applies_on(self, on: date) -> bool:
        """Tell whether ``on`` falls within this rule's own dates."""
        return self.effective_from <= on and (self.until is None or on <= self.until)


_REMARK = re.compile(r"\s+\([^()]*\)\s*$")


def citation(source: str) -> str:
    """Return a source as people read it: without a trailing remark for the office in
    brackets ("… Đ.4 (chưa đối chiếu công báo)" gives "… Đ.4"), which the data keeps."""
    return _REMARK.sub("", source).strip() or source


class RuleProblem(StrEnum):
    """What is wrong with a legal-rule entry."""

    NOT_A_LIST = "not_a_list"  # rule is not an array of tables
    NOT_A_TABLE = "not_a_table"
    MISSING = "missing"  # {fields}
    UNKNOWN_FIELD = "unknown_field"  # {fields}, {allowed}
    EMPTY_KEY = "empty_key"  # {value}
    BAD_VALUE = "bad_value"  # {value}
    BAD_UNIT = "bad_unit"  # {value}, {units}
    NOT_A_DATE = "not_a_date"  # {field}, {value}
    UNTIL_BEFORE = "until_before"  # {until}, {start}
    NO_SOURCE = "no_source"  # {value}
    SAME_KEY = "same_key"  # {start}, {first}


# English, for logs and tests; the settings loader shows each in the reader's language.
RULE_PROBLEMS: Mapping[RuleProblem, str] = {
    RuleProblem.NOT_A_LIST: "rule must be an array of tables ([[rule]])",
    RuleProblem.NOT_A_TABLE: "expected a [[rule]] table, got {value}",
    RuleProblem.MISSING: "missing {fields}",
    RuleProblem.UNKNOWN_FIELD: "unknown field {fields}; expected only {allowed}",
    RuleProblem.EMPTY_KEY: "key must be a non-empty string, got {value}",
    RuleProblem.BAD_VALUE: "value must be a whole number of at least 1, got {value}",
    RuleProblem.BAD_UNIT: "unit must be one of {units}, got {value}",
    RuleProblem.NOT_A_DATE: "{field} must be a TOML date (YYYY-MM-DD), got {value}",
    RuleProblem.UNTIL_BEFORE: "until {until} is before effective_from {start}",
    RuleProblem.NO_SOURCE: "source must be a non-empty citation, got {value}",
    RuleProblem.SAME_KEY: "same key and effective_from {start} as rule #{first}",
}


class RuleError(ValueError):
    """A legal-rule entry that cannot be used, with where it is and what is wrong."""

    def __init__(self, index: int, key: str | None, kind: RuleProblem, **params: str) -> None:
        self.index = index
        self.key = key
        self.kind = kind
        self.params = params
        self.problem = RULE_PROBLEMS[kind].format(**params)
        super().__init__(f"legal rule #{index} (key={key!r}): {self.problem}")


_REQUIRED = ("key", "value", "unit", "effective_from", "source")
_ALLOWED = frozenset((*_REQUIRED, "until"))


def _date_field(index: int, key: str, entry: Mapping[str, Any], name: str) -> date:
    value = entry[name]
    # A TOML datetime is a date subclass; a time of day would make "effective from" vague.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RuleError(index, key, RuleProblem.NOT_A_DATE, field=name, value=repr(value))
    return value


def _rule_from_entry(index: int, entry: object) -> LegalRule:
    if not isinstance(entry, Mapping):
        raise RuleError(index, None, RuleProblem.NOT_A_TABLE, value=repr(entry))
    raw_key = entry.get("key")
    key = raw_key if isinstance(raw_key, str) else None
    missing = [name for name in _REQUIRED if name not in entry]
    if missing:
        raise RuleError(index, key, RuleProblem.MISSING, fields=", ".join(missing))
    unknown = sorted(set(entry) - _ALLOWED)
    if unknown:
        raise RuleError(index, key, RuleProblem.UNKNOWN_FIELD, fields=", ".join(unknown),
                        allowed=", ".join(sorted(_ALLOWED)))
    if key is None or not key.strip():
        raise RuleError(index, None, RuleProblem.EMPTY_KEY, value=repr(raw_key))
    value = entry["value"]
    # bool is an int subclass; "value = true" is a typo, not a number.
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RuleError(index, key, RuleProblem.BAD_VALUE, value=repr(value))
    try:
        unit = Unit(entry["unit"])
    except ValueError:
        raise RuleError(index, key, RuleProblem.BAD_UNIT, units=", ".join(u.value for u in Unit),
                        value=repr(entry["unit"])) from None
    effective_from = _date_field(index, key, entry, "effective_from")
    until = _date_field(index, key, entry, "until") if "until" in entry else None
    if until is not None and until < effective_from:
        raise RuleError(index, key, RuleProblem.UNTIL_BEFORE, until=str(until),
                        start=str(effective_from))
    source = entry["source"]
    if not isinstance(source, str) or not source.strip():
        raise RuleError(index, key, RuleProblem.NO_SOURCE, value=repr(source))
    return LegalRule(key, value, unit, effective_from, source.strip(), until)


def rules_from_toml(data: Mapping[str, Any]) -> list[LegalRule]:
    """Return the rules of a parsed TOML document's ``[[rule]]`` tables, checking each."""
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise RuleError(0, None, RuleProblem.NOT_A_LIST)
    rules: list[LegalRule] = []
    first_seen: dict[tuple[str, date], int] = {}
    for index, entry in enumerate(entries, start=1):
        rule = _rule_from_entry(index, entry)
        identity = (rule.key, rule.effective_from)
        if identity in first_seen:
            raise RuleError(index, rule.key, RuleProblem.SAME_KEY, start=str(rule.effective_from),
                            first=str(first_seen[identity]))
        first_seen[identity] = index
        rules.append(rule)
    return rules


def merge(defaults: Iterable[LegalRule], overrides: Iterable[LegalRule]) -> list[LegalRule]:
    """Return ``defaults`` with each override replacing the rule of equal key and date."""
    merged = {(rule.key, rule.effective_from): rule for rule in defaults}
    for rule in overrides:
        merged[(rule.key, rule.effective_from)] = rule
    return list(merged.values())


class RuleBook:
    """Look up the legal rule in force on a date, and the deadline it sets."""

    def __init__(self, rules: Iterable[LegalRule]) -> None:
        by_key: dict[str, list[LegalRule]] = {}
        for rule in rules:
            versions = by_key.setdefault(rule.key, [])
            if any(v.effective_from == rule.effective_from for v in versions):
                raise ValueError(f"two rules {rule.key!r} take effect on {rule.effective_from}")
            versions.append(rule)
        self._by_key: dict[str, Sequence[LegalRule]] = {
            key: sorted(versions, key=lambda r: r.effective_from)
            for key, versions in by_key.items()}

    def keys(self) -> list[str]:
        """Return the rule keys, sorted."""
        return sorted(self._by_key)

    def rule(self, key: str, on: date) -> LegalRule:
        """Return the version of ``key`` in force on ``on``; raise KeyError if none is."""
        versions = self._by_key.get(key)
        if versions is None:
            raise KeyError(f"no legal rule {key!r}")
        in_force = [v for v in versions if v.effective_from <= on]
        if not in_force:
            raise KeyError(f"legal rule {key!r} takes effect only on "
                           f"{versions[0].effective_from}, not yet on {on}")
        latest = in_force[-1]
        if not latest.applies_on(on):
            raise KeyError(f"legal rule {key!r} lapsed after {latest.until}, before {on}")
        return latest

    def value(self, key: str, on: date) -> int:
        """Return the number ``key`` sets on ``on``."""
        return self.rule(key, on).value

    def due_date(self, key: str, received: date, calendar: WorkingCalendar) -> date:
        """Return the deadline ``key`` sets for something received on ``received``."""
        rule = self.rule(key, received)
        if rule.unit is Unit.WORKING_DAYS:
            return calendar.add_working_days(received, rule.value)
        if rule.unit is Unit.DAYS:
            # A deadline that falls on a day off moves to the next working day.
            return calendar.next_working_day(received + timedelta(days=rule.value))
        raise ValueError(f"legal rule {key!r} counts {rule.unit}, not days")
