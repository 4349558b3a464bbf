"""Settings: built-in defaults, overridden by ``tiepdan.toml`` and the environment.

A wrong file is refused at start-up with the key, the bad value and what was expected.
Secrets come only from the environment and are never printed.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("vi", "en")
ROLES = ("citizen", "staff", "leader", "police", "admin")


class ConfigError(ValueError):
    """A setting has a value the bot cannot use."""

    def __init__(self, key: str, value: object, expected: str) -> None:
        self.key = key
        self.value = value
        self.expected = expected
        super().__init__(f"setting {key} = {value!r}: expected {expected}")


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
    address: str = "Trụ sở Tiếp công dân tỉnh Lạng Sơn, thành phố Lạng Sơn"
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
            raise ConfigError(self.key(name), value, "a non-empty text" if not allow_empty
                              else "a text")
        return value.strip()

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        if name not in self.data:
            return default
        value = self.raw(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(self.key(name), value, f"a whole number from {low} to {high}")
        return value

    def strings(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if name not in self.data:
            return default
        value = self.raw(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(self.key(name), value, "a list of texts")
        return tuple(v.strip() for v in value)

    def table(self, name: str) -> _Table:
        if name not in self.data:
            return _Table({}, self.key(name))
        value = self.raw(name)
        if not isinstance(value, dict):
            raise ConfigError(self.key(name), value, "a table")
        return _Table(value, self.key(name))

    def tables(self, name: str) -> list[_Table]:
        if name not in self.data:
            return []
        value = self.raw(name)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(self.key(name), value, "a list of tables ([[...]])")
        return [_Table(v, f"{self.key(name)}[{i}]") for i, v in enumerate(value)]

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise ConfigError(
                self.key(unknown[0]), self.data[unknown[0]], "no such setting (check the spelling)"
            )


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
        raise ConfigError(key, value, 'a channel and a user id, such as "telegram:123456"')
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
        raise ConfigError("timezone", timezone, 'a time zone name such as "Asia/Ho_Chi_Minh"') \
            from exc
    language = root.string("default_language", d.default_language)
    if language not in LANGUAGES:
        raise ConfigError("default_language", language, f"one of {', '.join(LANGUAGES)}")
    database = Path(root.string("database", str(d.database_path), allow_empty=False))
    resume = root.integer("draft_resume_after_hours", d.draft_resume_after_hours, low=1, high=720)
    admins = tuple(_check_admin("admins", a) for a in root.strings("admins", d.admins))
    root.finish()

    if env.get("TIEPDAN_DATABASE"):
        database = Path(env["TIEPDAN_DATABASE"])
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip()
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_BASE_URL", base_url, "an http:// or https:// address")
    return Settings(
        office=office,
        privacy=privacy,
        timezone=timezone,
        default_language=language,
        database_path=database,
        draft_resume_after_hours=resume,
        admins=admins,
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
            raise ConfigError("--config", str(config_path), "an existing TOML file")
    elif Path("tiepdan.toml").is_file():
        config_path = Path("tiepdan.toml")
    if config_path is not None:
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(config_path), "(file)", f"valid TOML ({exc})") from exc
    return settings_from(data, environ, config_path)
