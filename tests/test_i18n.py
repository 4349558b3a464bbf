"""Every message is translated into Vietnamese; placeholders survive translation."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import _, format_date, format_datetime, format_number, translation

ROOT = Path(__file__).resolve().parent.parent
METHOD_MAP = [("bot/**.py", "python"), ("handlers/**.py", "python")]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TAGS = re.compile(r"</?[a-z]+>")


def extracted() -> dict[str, str]:
    """Return every translatable message in the code, with where it was found."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS):
        key = message if isinstance(message, str) else message[0]
        found.setdefault(key, f"{filename}:{lineno}")
    return found


def catalog(language: str) -> dict[str, str]:
    """Return msgid → msgstr of a language's catalog, as shipped."""
    po = resources.files("locales").joinpath(language, "LC_MESSAGES", "messages.po")
    with po.open("rb") as handle:
        parsed = read_po(handle, locale=language)
    result: dict[str, str] = {}
    for message in parsed:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if isinstance(message.string, str):
            value = message.string
        else:
            value = message.string[0] if message.string else ""
        result[key] = value
    return result


def fields(text: str) -> set[str]:
    """Return the named placeholders of a format string."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_has_a_vietnamese_translation() -> None:
    """No extracted message lacks a Vietnamese translation."""
    vietnamese = catalog("vi")
    missing = [f"{where}: {message!r}" for message, where in extracted().items()
               if not vietnamese.get(message)]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_placeholders_and_tags_survive_translation() -> None:
    """Each translation keeps its message's placeholders and HTML tags."""
    for message, translated in catalog("vi").items():
        if not translated:
            continue
        assert fields(message) == fields(translated), message
        assert sorted(TAGS.findall(message)) == sorted(TAGS.findall(translated)), message


def test_catalog_is_found_from_the_installed_package() -> None:
    """The catalog is read through importlib.resources, so a wheel install finds it."""
    with translation("vi"):
        assert _("I agree") == "Tôi đồng ý"
    with translation("en"):
        assert _("I agree") == "I agree"


def test_dates_and_numbers_follow_the_language() -> None:
    """Dates, weekdays and numbers are formatted by babel for the language."""
    moment = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    with translation("vi"):
        assert format_datetime(moment) == "09:30 26/11/2026"
        assert "thứ Năm" in format_date(date(2026, 11, 26), "weekday").lower() or \
            "thứ năm" in format_date(date(2026, 11, 26), "weekday").lower()
        assert format_number(1234567) == "1.234.567"
    with translation("en"):
        assert format_date(date(2026, 11, 26), "weekday").startswith("Thursday")
        assert format_number(1234567) == "1,234,567"
