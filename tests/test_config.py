"""Settings come from defaults, the TOML file and the environment; bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings, settings_from


def test_defaults_need_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no file and no environment the bot has a usable configuration."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.default_language == "vi"
    assert settings.office.name
    assert settings.telegram_token is None
    assert settings.database_path == Path("tiepdan.db")


def test_file_values_and_environment_overrides(tmp_path: Path) -> None:
    """The file sets office details; TIEPDAN_DATABASE overrides the file's database."""
    config = tmp_path / "tiepdan.toml"
    config.write_text(
        'database = "from-file.db"\n[office]\nname = "Ban Tiếp công dân tỉnh Phú Thọ"\n'
        'phone = "0210 3 846 123"\n',
        encoding="utf-8",
    )
    settings = load_settings(config, env={"TIEPDAN_DATABASE": str(tmp_path / "env.db")})
    assert settings.office.name == "Ban Tiếp công dân tỉnh Phú Thọ"
    assert settings.office.phone == "0210 3 846 123"
    assert settings.database_path == tmp_path / "env.db"
    assert settings.config_path == config


def test_wrong_value_is_refused_with_key_value_and_expectation() -> None:
    """A bad value names the key, shows the value and says what was expected."""
    with pytest.raises(ConfigError) as caught:
        settings_from({"office": {"name": 42}}, {})
    assert caught.value.key == "office.name"
    assert caught.value.value == 42
    assert "text" in caught.value.expected
    assert "office.name" in str(caught.value)


def test_unknown_key_is_refused() -> None:
    """A misspelt key is refused rather than silently ignored."""
    with pytest.raises(ConfigError) as caught:
        settings_from({"office": {"adress": "x"}}, {})
    assert caught.value.key == "office.adress"


def test_bad_time_zone_and_language_are_refused() -> None:
    """An unknown time zone or language is refused at start-up."""
    with pytest.raises(ConfigError, match="timezone"):
        settings_from({"timezone": "Mars/Olympus"}, {})
    with pytest.raises(ConfigError, match="default_language"):
        settings_from({"default_language": "fr"}, {})


def test_broken_toml_is_refused(tmp_path: Path) -> None:
    """A file that is not valid TOML is refused with its path."""
    config = tmp_path / "tiepdan.toml"
    config.write_text("[office\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tiepdan\.toml"):
        load_settings(config, env={})


def test_missing_config_file_is_refused(tmp_path: Path) -> None:
    """A --config path that does not exist is refused."""
    with pytest.raises(ConfigError, match="--config"):
        load_settings(tmp_path / "nope.toml", env={})


def test_secrets_never_show_in_reprs() -> None:
    """The bot token and the secret key never appear in the settings' repr."""
    settings = settings_from({}, {"TELEGRAM_BOT_TOKEN": "123:secret-token-value",
                                  "TIEPDAN_SECRET_KEY": "very-secret"})
    assert settings.telegram_token is not None
    assert settings.telegram_token.value == "123:secret-token-value"
    assert "secret-token-value" not in repr(settings)
    assert "very-secret" not in repr(settings)


def test_admins_are_channel_and_user() -> None:
    """Admins are written as channel:user and a bare id is refused."""
    settings = settings_from({"admins": ["telegram:42"]}, {})
    assert settings.is_admin("telegram", "42")
    with pytest.raises(ConfigError, match="admins"):
        settings_from({"admins": ["42"]}, {})


def test_example_file_is_valid() -> None:
    """The commented example file shipped in the repository loads."""
    example = Path(__file__).resolve().parent.parent / "tiepdan.example.toml"
    settings = load_settings(example, env={})
    assert settings.office.name


def test_reports_section_sets_how_periods_are_cut() -> None:
    """[reports] chooses calendar periods or another cut-off day; a bad mode is refused."""
    settings = settings_from({"reports": {"mode": "calendar", "cutoff_day": 20}}, {})
    assert settings.periods.mode.value == "calendar"
    assert settings.periods.cutoff_day == 20
    with pytest.raises(ConfigError, match=r"reports\.mode"):
        settings_from({"reports": {"mode": "weekly"}}, {})


def test_sites_and_leaders_are_read_and_checked() -> None:
    """Sites and leaders come from the file; a leader at an unknown site is refused."""
    data = {
        "sites": [{"id": "a", "name": "Cơ sở A", "address": "Số 1", "capacity": 2,
                   "sessions": ["07:30-11:30"]},
                  {"id": "b", "name": "Cơ sở B", "address": "Số 2"}],
        "leaders": [{"id": "bt", "title": "Bí thư Tỉnh ủy", "day_of_month": 20,
                     "registration_closes_day": 15, "site": "b"}],
    }
    settings = settings_from(data, {})
    assert [site.id for site in settings.sites] == ["a", "b"]
    assert settings.sites[0].capacity == 2
    assert settings.leader("bt") is not None
    with pytest.raises(ConfigError, match=r"leaders\[0\]\.site"):
        settings_from({**data, "leaders": [{"id": "x", "site": "zzz"}]}, {})
    with pytest.raises(ConfigError, match="sessions"):
        settings_from({"sites": [{"id": "a", "name": "A", "sessions": ["11:30-07:30"]}]}, {})


def test_calendar_and_legal_rules_can_be_extended() -> None:
    """Extra days off and overriding legal rules come from the file."""
    from datetime import date

    data = {"calendar": {"extra_days_off": [date(2026, 12, 31)]},
            "legal_rules": [{"key": "petition.reply", "value": 8, "unit": "working_days",
                             "effective_from": date(2027, 1, 1), "source": "Quy định tỉnh"}]}
    settings = settings_from(data, {})
    assert not settings.calendar.is_working_day(date(2026, 12, 31))
    assert settings.rules.value("petition.reply", date(2027, 1, 5)) == 8
    assert settings.rules.value("petition.reply", date(2026, 12, 5)) == 10
    with pytest.raises(ConfigError, match="legal_rules"):
        settings_from({"legal_rules": [{"key": "x", "value": "ten"}]}, {})


def test_unknown_province_code_is_refused() -> None:
    """A province code that is not one of the 34 provinces is refused."""
    with pytest.raises(ConfigError, match="province_code"):
        settings_from({"province_code": 99}, {})
