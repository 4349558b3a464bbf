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
