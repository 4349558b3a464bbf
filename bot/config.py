"""Settings: built-in defaults, overridden by ``tiepdan.toml`` and the environment.

A wrong file is refused at start-up with the key, the bad value and what was expected.
Secrets come only from the environment and are never printed.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.calendar import WorkingCalendar
from bot.domain.digests import DigestKind, WhenEmpty
from bot.domain.periods import PeriodKind, PeriodMode, PeriodRule
from bot.domain.places import provinces
from bot.domain.rules import (
    LegalRule,
    RuleBook,
    RuleError,
    RuleProblem,
    merge,
    rules_from_toml,
)
from bot.i18n import N_, _

LANGUAGES = ("vi", "en")
ROLES = ("citizen", "staff", "leader", "police", "admin")


class ConfigError(ValueError):
    """A setting has a value the bot cannot use.

    ``template`` says what was expected: an English msgid marked with ``N_``, whose named
    placeholders ``params`` fill. ``str()`` gives the English text (for logs); ``explain``
    gives it in the current language (for people).
    """

    def __init__(self, key: str, value: object, template: str, /, **params: object) -> None:
        self.key = key
        self.value = value
        self.template = template
        self.params = params
        self.expected = template.format(**params)
        if value is _NO_VALUE:
            super().__init__(f"{key}: expected {self.expected}")
        else:
            super().__init__(f"setting {key} = {value!r}: expected {self.expected}")


_NO_VALUE: Any = object()  # a file-level problem: there is no one value to show


def explain(error: ConfigError) -> str:
    """Return the problem in the current language: the key, the value, what was expected."""
    expected = _(error.template).format(**error.params)
    if error.value is _NO_VALUE:
        return _("The settings file {path} cannot be used: expected {expected}.").format(
            path=error.key, expected=expected)
    return _("The setting {key} = {value} cannot be used: expected {expected}.").format(
        key=error.key, value=_shown(error.value), expected=expected)


def _shown(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class Secret:
    """A secret value that does not show itself in reprs, logs or tracebacks."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return "**********"

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class OfficeSettings:
    """The reception office as citizens see it."""

    name: str = "Ban Tiếp công dân tỉnh Lạng Sơn"
    # No street address by default: set the real one (the 2025 reform renamed the units).
    address: str = "Trụ sở Tiếp công dân tỉnh Lạng Sơn"
    phone: str = ""
    email: str = ""
    hours: str = "Sáng 7:30–11:30, chiều 13:30–16:30, các ngày làm việc từ thứ Hai đến thứ Sáu"
    leader_days: str = (
        "Chủ tịch UBND tỉnh tiếp công dân định kỳ vào ngày 15 hằng tháng; nếu trùng ngày "
        "nghỉ thì chuyển sang ngày làm việc kế tiếp. Lịch cụ thể được thông báo trước ít "
        "nhất 5 ngày làm việc."
    )
    website: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class PrivacySettings:
    """The data-protection notice: its version and how long chat data is kept."""

    notice_version: str = "2026-01"
    controller: str = ""
    contact: str = ""
    chat_retention_days: int = 90


@cache
def default_rules() -> tuple[LegalRule, ...]:
    """Return the legal rules shipped with the program (bot/data/legal_rules.toml)."""
    text = resources.files("bot.data").joinpath("legal_rules.toml").read_text(encoding="utf-8")
    return tuple(rules_from_toml(tomllib.loads(text)))


Session = tuple[time, time]
DEFAULT_SESSIONS: tuple[Session, ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(16, 30)))


@dataclass(frozen=True)
class SiteSettings:
    """A reception site (merged provinces run several) and its regular reception slots."""

    id: str = "main"
    name: str = "Trụ sở Tiếp công dân tỉnh"
    address: str = OfficeSettings.address
    capacity: int = 3  # bookings per slot
    slot_minutes: int = 30
    sessions: tuple[Session, ...] = DEFAULT_SESSIONS
    police: tuple[str, ...] = ()  # police liaison chats ("telegram:123") told of delegations


@dataclass(frozen=True)
class LeaderSettings:
    """A leader's periodic reception day, from a rule such as "the 15th, or the next
    working day", with a registration cut-off and a capacity."""

    id: str = "chairman"
    title: str = "Chủ tịch UBND tỉnh"
    name: str = ""
    day_of_month: int = 15
    registration_closes_day: int | None = 10  # register by this day of the same month
    registration_closes_working_days_before: int | None = None
    site: str = "main"
    capacity: int = 20  # bookings for the whole day
    sessions: tuple[Session, ...] = ((time(7, 30), time(11, 30)),)
    slot_minutes: int = 30
    months_ahead: int = 2
    auto_publish: bool = True  # published as soon as the schedule is generated


def _default_signature_note() -> dict[str, str]:
    return {
        "vi": "Đơn gửi qua trợ lý trực tuyến được ghi nhận ngay. Để đơn được thụ lý chính "
              "thức, ông/bà có thể được mời đến Trụ sở Tiếp công dân ký hoặc điểm chỉ vào đơn "
              "(mang theo thẻ căn cước).",
        "en": "A petition sent through the online assistant is recorded at once. Before it is "
              "formally accepted you may be asked to come to the reception office to sign it "
              "or put your fingerprint on it (bring your ID card).",
    }


@dataclass(frozen=True)
class PetitionSettings:
    """Limits and wording for petitions submitted in chat."""

    max_attachments: int = 10
    max_attachment_mb: int = 20
    attachment_kinds: tuple[str, ...] = ("photo", "document", "voice", "audio", "video")
    document_extensions: tuple[str, ...] = (".pdf", ".doc", ".docx", ".odt", ".txt", ".jpg",
                                            ".jpeg", ".png", ".heic", ".mp3", ".m4a", ".ogg",
                                            ".wav", ".mp4")
    max_content_chars: int = 8000
    max_answer_chars: int = 500
    max_people: int = 10000
    signature_note: dict[str, str] = field(default_factory=_default_signature_note)
    lookup_max_failures: int = 3
    lookup_lockout_minutes: int = 15
    # Who may see a denouncer's identity (each view is audited); others see it withheld.
    denouncer_identity_roles: tuple[str, ...] = ("leader", "admin")
    # The staff inbox lists petitions due within this many working days right after new ones.
    due_soon_working_days: int = 2


@dataclass(frozen=True)
class BookingSettings:
    """How far ahead people book, when reminders go, how long a waitlist offer lasts."""

    days_offered: int = 10  # working days shown for regular reception
    max_people: int = 300
    cancel_cutoff_hours: int = 2
    reminder_day_before: time = time(16, 0)
    reminder_morning: time = time(6, 30)
    waitlist_offer_minutes: int = 120
    leader_day_alert_people: int = 30  # expected people on one leader's day that alerts


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class SubscriptionSettings:
    """Who gets which digests, from the settings file: one person, or everyone with a role."""

    kinds: tuple[DigestKind, ...]
    who: str | None = None  # "telegram:123456"
    role: str | None = None  # "leader": everyone holding the role
    site: str | None = None  # None: the person's own site, or the whole province
    when_empty: WhenEmpty = WhenEmpty.SAY_ONCE


@dataclass(frozen=True)
class ReportSettings:
    """The officials' reports: default period, digest times, alerts and subscriptions."""

    default_kind: PeriodKind = PeriodKind.MONTH  # /baocao without a period shows this kind
    morning_brief_at: time = time(7, 0)  # local time, on working days
    weekly_digest_day: int = 0  # 0 = Monday
    weekly_digest_at: time = time(7, 30)
    period_reports_at: time = time(8, 0)  # on the day after the cut-off
    alerts_from: time = time(7, 0)  # deadline alerts wait for the working day to start
    deadline_alert_working_days: int = 2  # "due soon": this many working days ahead
    heads: tuple[str, ...] = ()  # who hears of overdue petitions; empty: leaders and admins
    subscriber_roles: tuple[str, ...] = ("staff", "leader", "admin")  # may subscribe in chat
    subscriptions: tuple[SubscriptionSettings, ...] = ()
    listed: int = 10  # petitions or delegations named one by one in a brief


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to run, from defaults, the file and the environment."""

    office: OfficeSettings = field(default_factory=OfficeSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    timezone: str = "Asia/Ho_Chi_Minh"
    default_language: str = "vi"
    database_path: Path = Path("tiepdan.db")
    draft_resume_after_hours: int = 12
    admins: tuple[str, ...] = ()
    province_code: int = 20
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    rules: RuleBook = field(default_factory=lambda: RuleBook(default_rules()))
    sites: tuple[SiteSettings, ...] = (SiteSettings(),)
    leaders: tuple[LeaderSettings, ...] = (LeaderSettings(),)
    petitions: PetitionSettings = field(default_factory=PetitionSettings)
    bookings: BookingSettings = field(default_factory=BookingSettings)
    periods: PeriodRule = field(default_factory=PeriodRule)
    reports: ReportSettings = field(default_factory=ReportSettings)
    telegram_token: Secret | None = None
    telegram_api_base_url: str = ""
    secret_key: Secret = field(default_factory=lambda: Secret(""))
    config_path: Path | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The time zone in which times are shown to people."""
        return ZoneInfo(self.timezone)

    @property
    def controller(self) -> str:
        """Who controls citizens' data: the configured controller or the office."""
        return self.privacy.controller or self.office.name

    def site(self, site_id: str) -> SiteSettings:
        """Return the reception site with ``site_id`` (the first site if unknown)."""
        for site in self.sites:
            if site.id == site_id:
                return site
        return self.sites[0]

    def leader(self, leader_id: str) -> LeaderSettings | None:
        """Return the leader with ``leader_id``, if configured."""
        for leader in self.leaders:
            if leader.id == leader_id:
                return leader
        return None

    def is_admin(self, channel: str, user_id: str) -> bool:
        """Tell whether a channel user is named an admin in the configuration."""
        return f"{channel}:{user_id}" in self.admins


class _Table:
    """A TOML table being read: it knows its dotted path and refuses unknown keys."""

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        self.data = data
        self.path = path
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str) -> Any:
        self.used.add(name)
        return self.data[name]

    def string(self, name: str, default: str, *, allow_empty: bool = True) -> str:
        if name not in self.data:
            return default
        value = self.raw(name)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise ConfigError(self.key(name), value, N_("a non-empty text") if not allow_empty
                              else N_("a text"))
        return value.strip()

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        if name not in self.data:
            return default
        value = self.raw(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(self.key(name), value, N_("a whole number from {low} to {high}"),
                              low=low, high=high)
        return value

    def boolean(self, name: str, default: bool) -> bool:
        if name not in self.data:
            return default
        value = self.raw(name)
        if not isinstance(value, bool):
            raise ConfigError(self.key(name), value, N_("true or false"))
        return value

    def optional_integer(self, name: str, default: int | None, *, low: int,
                         high: int) -> int | None:
        if name not in self.data:
            return default
        return self.integer(name, 0, low=low, high=high)

    def clock_time(self, name: str, default: time) -> time:
        if name not in self.data:
            return default
        value = self.raw(name)
        parsed = _parse_time(value)
        if parsed is None:
            raise ConfigError(self.key(name), value, N_("a time of day such as {example}"),
                              example='"16:00"')
        return parsed

    def dates(self, name: str) -> frozenset[date]:
        if name not in self.data:
            return frozenset()
        value = self.raw(name)
        if not isinstance(value, list) or not all(
                isinstance(v, date) and not isinstance(v, datetime) for v in value):
            raise ConfigError(self.key(name), value, N_("a list of TOML dates such as {example}"),
                              example="[2026-12-31]")
        return frozenset(value)

    def sessions(self, name: str, default: tuple[Session, ...]) -> tuple[Session, ...]:
        if name not in self.data:
            return default
        value = self.raw(name)
        expected = N_("a list of opening times such as {example}")
        example = '["07:30-11:30", "13:30-16:30"]'
        if not isinstance(value, list) or not value:
            raise ConfigError(self.key(name), value, expected, example=example)
        result: list[Session] = []
        for item in value:
            parts = item.split("-") if isinstance(item, str) else []
            start = _parse_time(parts[0]) if len(parts) == 2 else None
            end = _parse_time(parts[1]) if len(parts) == 2 else None
            if start is None or end is None or end <= start:
                raise ConfigError(self.key(name), value, expected, example=example)
            result.append((start, end))
        return tuple(sorted(result))

    def language_texts(self, name: str, default: dict[str, str]) -> dict[str, str]:
        if name not in self.data:
            return default
        value = self.raw(name)
        if isinstance(value, str) and value.strip():
            return {language: value.strip() for language in LANGUAGES}
        if (isinstance(value, dict) and value and set(value) <= set(LANGUAGES)
                and all(isinstance(v, str) and v.strip() for v in value.values())):
            texts = {k: str(v).strip() for k, v in value.items()}
            fallback = texts.get("vi") or next(iter(texts.values()))
            return {language: texts.get(language, fallback) for language in LANGUAGES}
        raise ConfigError(self.key(name), value, N_("a text, or a table such as {example}"),
                          example='{vi = "...", en = "..."}')

    def strings(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if name not in self.data:
            return default
        value = self.raw(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(self.key(name), value, N_("a list of texts"))
        return tuple(v.strip() for v in value)

    def table(self, name: str) -> _Table:
        if name not in self.data:
            return _Table({}, self.key(name))
        value = self.raw(name)
        if not isinstance(value, dict):
            raise ConfigError(self.key(name), value, N_("a table"))
        return _Table(value, self.key(name))

    def tables(self, name: str) -> list[_Table]:
        if name not in self.data:
            return []
        value = self.raw(name)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(self.key(name), value, N_("a list of tables ({example})"),
                              example="[[...]]")
        return [_Table(v, f"{self.key(name)}[{i}]") for i, v in enumerate(value)]

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise ConfigError(self.key(unknown[0]), self.data[unknown[0]],
                              N_("no setting of this name exists (check the spelling)"))


_TIME = re.compile(r"^\s*(\d{1,2})[:h](\d{2})\s*$")


def _parse_time(value: object) -> time | None:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        return None
    found = _TIME.match(value)
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        return None
    return time(int(found.group(1)), int(found.group(2)))


def _read_rules(root: _Table) -> RuleBook:
    if not root.has("legal_rules"):
        return RuleBook(default_rules())
    entries = root.raw("legal_rules")
    try:
        overrides = rules_from_toml({"rule": entries})
    except RuleError as exc:
        raise ConfigError(f"legal_rules[{exc.index}]", exc.key, _RULE_PROBLEMS[exc.kind],
                          **exc.params) from exc
    return RuleBook(merge(default_rules(), overrides))


# What each problem of a legal-rule entry expected, for the reader (bot.domain.rules has the
# English the log shows).
_RULE_PROBLEMS = {
    RuleProblem.NOT_A_LIST: N_("an array of tables ([[legal_rules]])"),
    RuleProblem.NOT_A_TABLE: N_("a table, not {value}"),
    RuleProblem.MISSING: N_("every required field; missing: {fields}"),
    RuleProblem.UNKNOWN_FIELD: N_("only the fields {allowed}, not {fields}"),
    RuleProblem.EMPTY_KEY: N_("a non-empty key, not {value}"),
    RuleProblem.BAD_VALUE: N_("a value that is a whole number of at least 1, not {value}"),
    RuleProblem.BAD_UNIT: N_("a unit among {units}, not {value}"),
    RuleProblem.NOT_A_DATE: N_("{field} as a TOML date (YYYY-MM-DD), not {value}"),
    RuleProblem.UNTIL_BEFORE: N_("until ({until}) on or after effective_from ({start})"),
    RuleProblem.NO_SOURCE: N_("a source citing the law, not {value}"),
    RuleProblem.SAME_KEY: N_("a key and effective_from ({start}) that rule #{first} does not "
                             "have already"),
}


def _read_calendar(table: _Table) -> WorkingCalendar:
    calendar = WorkingCalendar(extra_days_off=table.dates("extra_days_off"),
                               extra_working_days=table.dates("extra_working_days"))
    table.finish()
    return calendar


def _read_sites(root: _Table, office: OfficeSettings) -> tuple[SiteSettings, ...]:
    tables = root.tables("sites")
    if not tables:
        return (SiteSettings(name=office.name.replace("Ban Tiếp công dân", "Trụ sở Tiếp công dân"),
                             address=office.address),)
    sites: list[SiteSettings] = []
    for table in tables:
        d = SiteSettings()
        site = SiteSettings(
            id=table.string("id", d.id, allow_empty=False),
            name=table.string("name", d.name, allow_empty=False),
            address=table.string("address", office.address, allow_empty=False),
            capacity=table.integer("capacity", d.capacity, low=1, high=500),
            slot_minutes=table.integer("slot_minutes", d.slot_minutes, low=5, high=240),
            sessions=table.sessions("sessions", d.sessions),
            police=tuple(_check_admin(table.key("police"), p)
                         for p in table.strings("police", d.police)),
        )
        table.finish()
        if any(existing.id == site.id for existing in sites):
            raise ConfigError(table.key("id"), site.id, N_("an id no other site has"))
        sites.append(site)
    return tuple(sites)


def _read_leaders(root: _Table, sites: tuple[SiteSettings, ...]) -> tuple[LeaderSettings, ...]:
    if not root.has("leaders"):
        return (LeaderSettings(site=sites[0].id),)
    leaders: list[LeaderSettings] = []
    for table in root.tables("leaders"):
        d = LeaderSettings()
        leader = LeaderSettings(
            id=table.string("id", d.id, allow_empty=False),
            title=table.string("title", d.title, allow_empty=False),
            name=table.string("name", d.name),
            day_of_month=table.integer("day_of_month", d.day_of_month, low=1, high=28),
            registration_closes_day=table.optional_integer(
                "registration_closes_day", d.registration_closes_day, low=1, high=28),
            registration_closes_working_days_before=table.optional_integer(
                "registration_closes_working_days_before", None, low=0, high=30),
            site=table.string("site", sites[0].id, allow_empty=False),
            capacity=table.integer("capacity", d.capacity, low=1, high=1000),
            sessions=table.sessions("sessions", d.sessions),
            slot_minutes=table.integer("slot_minutes", d.slot_minutes, low=5, high=480),
            months_ahead=table.integer("months_ahead", d.months_ahead, low=1, high=12),
            auto_publish=table.boolean("auto_publish", d.auto_publish),
        )
        if leader.registration_closes_working_days_before is not None:
            leader = LeaderSettings(**{**leader.__dict__, "registration_closes_day": None})
        table.finish()
        if leader.site not in {site.id for site in sites}:
            raise ConfigError(table.key("site"), leader.site, N_("the id of a site: {sites}"),
                              sites=", ".join(s.id for s in sites))
        if leader.registration_closes_day is not None and \
                leader.registration_closes_day > leader.day_of_month:
            raise ConfigError(table.key("registration_closes_day"),
                              leader.registration_closes_day,
                              N_("a day on or before {other}"), other="day_of_month")
        if any(existing.id == leader.id for existing in leaders):
            raise ConfigError(table.key("id"), leader.id, N_("an id no other leader has"))
        leaders.append(leader)
    return tuple(leaders)


def _read_petitions(table: _Table) -> PetitionSettings:
    d = PetitionSettings()
    kinds = table.strings("attachment_kinds", d.attachment_kinds)
    allowed_kinds = {"photo", "document", "voice", "audio", "video", "video_note"}
    if not set(kinds) <= allowed_kinds:
        raise ConfigError(table.key("attachment_kinds"), list(kinds),
                          N_("kinds among {kinds}"), kinds=", ".join(sorted(allowed_kinds)))
    petitions = PetitionSettings(
        max_attachments=table.integer("max_attachments", d.max_attachments, low=0, high=50),
        max_attachment_mb=table.integer("max_attachment_mb", d.max_attachment_mb, low=1,
                                        high=2000),
        attachment_kinds=kinds,
        document_extensions=tuple(e.lower() for e in table.strings(
            "document_extensions", d.document_extensions)),
        max_content_chars=table.integer("max_content_chars", d.max_content_chars, low=200,
                                        high=100_000),
        max_answer_chars=table.integer("max_answer_chars", d.max_answer_chars, low=50,
                                       high=5000),
        max_people=table.integer("max_people", d.max_people, low=1, high=1_000_000),
        signature_note=table.language_texts("signature_note", d.signature_note),
        lookup_max_failures=table.integer("lookup_max_failures", d.lookup_max_failures, low=1,
                                          high=20),
        lookup_lockout_minutes=table.integer("lookup_lockout_minutes",
                                             d.lookup_lockout_minutes, low=1, high=1440),
        denouncer_identity_roles=_roles(table, "denouncer_identity_roles",
                                        d.denouncer_identity_roles),
        due_soon_working_days=table.integer("due_soon_working_days", d.due_soon_working_days,
                                            low=0, high=30),
    )
    table.finish()
    return petitions


def _roles(table: _Table, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    roles = table.strings(name, default)
    if not set(roles) <= set(ROLES):
        raise ConfigError(table.key(name), list(roles), N_("roles among {roles}"),
                          roles=", ".join(ROLES))
    return roles


def _read_bookings(table: _Table) -> BookingSettings:
    d = BookingSettings()
    bookings = BookingSettings(
        days_offered=table.integer("days_offered", d.days_offered, low=1, high=60),
        max_people=table.integer("max_people", d.max_people, low=1, high=100_000),
        cancel_cutoff_hours=table.integer("cancel_cutoff_hours", d.cancel_cutoff_hours,
                                          low=0, high=240),
        reminder_day_before=table.clock_time("reminder_day_before", d.reminder_day_before),
        reminder_morning=table.clock_time("reminder_morning", d.reminder_morning),
        waitlist_offer_minutes=table.integer("waitlist_offer_minutes",
                                             d.waitlist_offer_minutes, low=5, high=2880),
        leader_day_alert_people=table.integer("leader_day_alert_people",
                                              d.leader_day_alert_people, low=1, high=100_000),
    )
    table.finish()
    return bookings


def _read_reports(table: _Table, sites: tuple[SiteSettings, ...]) -> tuple[PeriodRule,
                                                                           ReportSettings]:
    d = PeriodRule()
    mode = table.string("mode", d.mode.value)
    if mode not in {m.value for m in PeriodMode}:
        raise ConfigError(table.key("mode"), mode,
                          N_("{cutoff} (15th to 14th) or {calendar}"), cutoff='"cutoff"',
                          calendar='"calendar"')
    rule = PeriodRule(mode=PeriodMode(mode),
                      cutoff_day=table.integer("cutoff_day", d.cutoff_day, low=2, high=28))
    r = ReportSettings()
    kind = table.string("default_kind", r.default_kind.value)
    if kind not in {k.value for k in PeriodKind}:
        raise ConfigError(table.key("default_kind"), kind, N_("one of {values}"),
                          values=", ".join(k.value for k in PeriodKind))
    weekday = table.string("weekly_digest_day", WEEKDAYS[r.weekly_digest_day]).lower()
    if weekday not in WEEKDAYS:
        raise ConfigError(table.key("weekly_digest_day"), weekday,
                          N_("a day of the week in English, such as {example}"),
                          example='"monday"')
    site_ids = {site.id for site in sites}
    reports = ReportSettings(
        default_kind=PeriodKind(kind),
        morning_brief_at=table.clock_time("morning_brief_at", r.morning_brief_at),
        weekly_digest_day=WEEKDAYS.index(weekday),
        weekly_digest_at=table.clock_time("weekly_digest_at", r.weekly_digest_at),
        period_reports_at=table.clock_time("period_reports_at", r.period_reports_at),
        alerts_from=table.clock_time("alerts_from", r.alerts_from),
        deadline_alert_working_days=table.integer(
            "deadline_alert_working_days", r.deadline_alert_working_days, low=1, high=20),
        heads=tuple(_check_admin(table.key("heads"), h)
                    for h in table.strings("heads", r.heads)),
        subscriber_roles=_roles(table, "subscriber_roles", r.subscriber_roles),
        subscriptions=tuple(_read_subscription(t, site_ids)
                            for t in table.tables("subscriptions")),
        listed=table.integer("listed", r.listed, low=1, high=50),
    )
    table.finish()
    return rule, reports


def _read_subscription(table: _Table, site_ids: set[str]) -> SubscriptionSettings:
    kinds = table.strings("kinds", ())
    allowed = [k.value for k in DigestKind]
    if not kinds or not set(kinds) <= set(allowed):
        raise ConfigError(table.key("kinds"), list(kinds),
                          N_("a list of digests among {digests}"), digests=", ".join(allowed))
    who = table.string("who", "") or None
    role = table.string("role", "") or None
    if (who is None) == (role is None):
        raise ConfigError(table.key("who"), who or role,
                          N_("either {who} or {role} (one of them)"),
                          who='who = "channel:user"', role='role = "leader"')
    if who is not None:
        _check_admin(table.key("who"), who)
    if role is not None and role not in ROLES:
        raise ConfigError(table.key("role"), role, N_("one of {values}"),
                          values=", ".join(ROLES))
    site = table.string("site", "") or None
    if site is not None and site not in site_ids:
        raise ConfigError(table.key("site"), site, N_("the id of a site: {sites}"),
                          sites=", ".join(sorted(site_ids)))
    when_empty = table.string("when_empty", WhenEmpty.SAY_ONCE.value)
    if when_empty not in {w.value for w in WhenEmpty}:
        raise ConfigError(table.key("when_empty"), when_empty,
                          N_("{say_once} (say that nothing is new, once) or {skip}"),
                          say_once='"say_once"', skip='"skip"')
    subscription = SubscriptionSettings(
        kinds=tuple(DigestKind(k) for k in dict.fromkeys(kinds)), who=who, role=role,
        site=site, when_empty=WhenEmpty(when_empty))
    table.finish()
    return subscription


def _read_office(table: _Table) -> OfficeSettings:
    d = OfficeSettings()
    office = OfficeSettings(
        name=table.string("name", d.name, allow_empty=False),
        address=table.string("address", d.address, allow_empty=False),
        phone=table.string("phone", d.phone),
        email=table.string("email", d.email),
        hours=table.string("hours", d.hours, allow_empty=False),
        leader_days=table.string("leader_days", d.leader_days),
        website=table.string("website", d.website),
        source_url=table.string("source_url", d.source_url),
    )
    table.finish()
    return office


def _read_privacy(table: _Table) -> PrivacySettings:
    d = PrivacySettings()
    privacy = PrivacySettings(
        notice_version=table.string("notice_version", d.notice_version, allow_empty=False),
        controller=table.string("controller", d.controller),
        contact=table.string("contact", d.contact),
        chat_retention_days=table.integer(
            "chat_retention_days", d.chat_retention_days, low=1, high=3650
        ),
    )
    table.finish()
    return privacy


def _check_admin(key: str, value: str) -> str:
    channel, _, user = value.partition(":")
    if not channel or not user:
        raise ConfigError(key, value, N_("a channel and a user id, such as {example}"),
                          example='"telegram:123456"')
    return value


def settings_from(
    data: Mapping[str, Any], env: Mapping[str, str], config_path: Path | None = None
) -> Settings:
    """Build settings from parsed TOML ``data`` and the environment ``env``."""
    root = _Table(data, "")
    d = Settings()
    office = _read_office(root.table("office"))
    privacy = _read_privacy(root.table("privacy"))
    timezone = root.string("timezone", d.timezone, allow_empty=False)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError("timezone", timezone, N_("a time zone name such as {example}"),
                          example='"Asia/Ho_Chi_Minh"') from exc
    language = root.string("default_language", d.default_language)
    if language not in LANGUAGES:
        raise ConfigError("default_language", language, N_("one of {values}"),
                          values=", ".join(LANGUAGES))
    database = Path(root.string("database", str(d.database_path), allow_empty=False))
    resume = root.integer("draft_resume_after_hours", d.draft_resume_after_hours, low=1, high=720)
    admins = tuple(_check_admin("admins", a) for a in root.strings("admins", d.admins))
    province = root.integer("province_code", d.province_code, low=1, high=99)
    if province not in {code for code, _name in provinces()}:
        raise ConfigError("province_code", province,
                          N_("the code of one of the {count} provinces (for example {example})"),
                          count=len(provinces()), example="20 = Lạng Sơn")
    calendar = _read_calendar(root.table("calendar"))
    rules = _read_rules(root)
    sites = _read_sites(root, office)
    leaders = _read_leaders(root, sites)
    petitions = _read_petitions(root.table("petitions"))
    bookings = _read_bookings(root.table("bookings"))
    periods, reports = _read_reports(root.table("reports"), sites)
    root.finish()

    if env.get("TIEPDAN_DATABASE"):
        database = Path(env["TIEPDAN_DATABASE"])
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip()
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_BASE_URL", base_url,
                          N_("an address starting with {http} or {https}"), http="http://",
                          https="https://")
    return Settings(
        office=office,
        privacy=privacy,
        timezone=timezone,
        default_language=language,
        database_path=database,
        draft_resume_after_hours=resume,
        admins=admins,
        province_code=province,
        calendar=calendar,
        rules=rules,
        sites=sites,
        leaders=leaders,
        petitions=petitions,
        bookings=bookings,
        periods=periods,
        reports=reports,
        telegram_token=Secret(token) if token else None,
        telegram_api_base_url=base_url,
        secret_key=Secret(env.get("TIEPDAN_SECRET_KEY", "")),
        config_path=config_path,
    )


def load_settings(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Load settings from ``path`` (or ``TIEPDAN_CONFIG``, or ``./tiepdan.toml`` if present)."""
    environ = dict(os.environ if env is None else env)
    chosen = path or environ.get("TIEPDAN_CONFIG") or None
    config_path: Path | None = None
    data: dict[str, Any] = {}
    if chosen is not None:
        config_path = Path(chosen)
        if not config_path.is_file():
            raise ConfigError("--config" if path else "TIEPDAN_CONFIG", str(config_path),
                              N_("an existing TOML file"))
    elif Path("tiepdan.toml").is_file():
        config_path = Path("tiepdan.toml")
    if config_path is not None:
        data = _read_file(config_path)
    return settings_from(data, environ, config_path)


def _read_file(path: Path) -> dict[str, Any]:
    """Return the parsed settings file, or refuse it with what it should be."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), _NO_VALUE, N_("a text file saved as UTF-8")) from exc
    except OSError as exc:
        raise ConfigError(str(path), _NO_VALUE, N_("a file this user may read")) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_PLACE.search(str(exc))
        if where is None:
            raise ConfigError(str(path), _NO_VALUE, N_("valid TOML")) from exc
        raise ConfigError(str(path), _NO_VALUE,
                          N_("valid TOML (there is a mistake at line {line}, column {column})"),
                          line=where.group(1), column=where.group(2)) from exc


_TOML_PLACE = re.compile(r"at line (\d+), column (\d+)")
