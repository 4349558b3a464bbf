"""Legal deadlines and thresholds as dated data: each rule applies from its effective date."""

from __future__ import annotations

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


class RuleError(ValueError):
    """A legal-rule entry that cannot be used, with where it is and what is wrong."""

    def __init__(self, index: int, key: str | None, problem: str) -> None:
        self.index = index
        self.key = key
        self.problem = problem
        super().__init__(f"legal rule #{index} (key={key!r}): {problem}")


_REQUIRED = ("key", "value", "unit", "effective_from", "source")
_ALLOWED = frozenset((*_REQUIRED, "until"))


def _date_field(index: int, key: str, entry: Mapping[str, Any], name: str) -> date:
    value = entry[name]
    # A TOML datetime is a date subclass; a time of day would make "effective from" vague.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RuleError(index, key, f"{name} must be a TOML date (YYYY-MM-DD), got {value!r}")
    return value


def _rule_from_entry(index: int, entry: object) -> LegalRule:
    if not isinstance(entry, Mapping):
        raise RuleError(index, None, f"expected a [[rule]] table, got {entry!r}")
    raw_key = entry.get("key")
    key = raw_key if isinstance(raw_key, str) else None
    missing = [name for name in _REQUIRED if name not in entry]
    if missing:
        raise RuleError(index, key, f"missing {', '.join(missing)}")
    unknown = sorted(set(entry) - _ALLOWED)
    if unknown:
        raise RuleError(index, key, f"unknown field {', '.join(unknown)}; "
                                    f"expected only {', '.join(sorted(_ALLOWED))}")
    if key is None or not key.strip():
        raise RuleError(index, None, f"key must be a non-empty string, got {raw_key!r}")
    value = entry["value"]
    # bool is an int subclass; "value = true" is a typo, not a number.
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RuleError(index, key, f"value must be a whole number of at least 1, got {value!r}")
    try:
        unit = Unit(entry["unit"])
    except ValueError:
        expected = ", ".join(u.value for u in Unit)
        raise RuleError(index, key, f"unit must be one of {expected}, "
                                    f"got {entry['unit']!r}") from None
    effective_from = _date_field(index, key, entry, "effective_from")
    until = _date_field(index, key, entry, "until") if "until" in entry else None
    if until is not None and until < effective_from:
        raise RuleError(index, key, f"until {until} is before effective_from {effective_from}")
    source = entry["source"]
    if not isinstance(source, str) or not source.strip():
        raise RuleError(index, key, f"source must be a non-empty citation, got {source!r}")
    return LegalRule(key, value, unit, effective_from, source.strip(), until)


def rules_from_toml(data: Mapping[str, Any]) -> list[LegalRule]:
    """Return the rules of a parsed TOML document's ``[[rule]]`` tables, checking each."""
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise RuleError(0, None, "rule must be an array of tables ([[rule]])")
    rules: list[LegalRule] = []
    first_seen: dict[tuple[str, date], int] = {}
    for index, entry in enumerate(entries, start=1):
        rule = _rule_from_entry(index, entry)
        identity = (rule.key, rule.effective_from)
        if identity in first_seen:
            raise RuleError(index, rule.key, f"same key and effective_from {rule.effective_from} "
                                             f"as rule #{first_seen[identity]}")
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
