"""Translations (babel + gettext catalogs under ``locales/``) and locale-aware formatting.

Message ids are English; Vietnamese is the default language and its catalog is complete.
The current translator is a context variable: the conversation core sets it for each turn,
and ``translation(language)`` sets it for text written to someone else (an outbox message).
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.dates import format_time as _babel_format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "messages"

_language: ContextVar[str] = ContextVar("tiepdan_language", default=DEFAULT_LANGUAGE)
_DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_zone: ContextVar[tzinfo | None] = ContextVar("tiepdan_zone", default=None)


@cache
def _translations(language: str) -> _gettext.NullTranslations:
    """Compile the language's .po catalog in memory (once per process)."""
    if language not in LANGUAGES:
        return _gettext.NullTranslations()
    po_file = resources.files("locales").joinpath(language, "LC_MESSAGES", f"{DOMAIN}.po")
    if not po_file.is_file():
        return _gettext.NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def preload() -> None:
    """Compile every catalog now, so that the first turn does not pay for it."""
    for language in LANGUAGES:
        _translations(language)


def current_language() -> str:
    """Return the language of the text being written now."""
    return _language.get()


def set_language(language: str) -> None:
    """Set the language of the current task's text (the core calls this once per turn)."""
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def set_zone(zone: tzinfo) -> None:
    """Set the time zone in which times are shown."""
    _zone.set(zone)


@contextmanager
def translation(language: str) -> Iterator[None]:
    """Write text in ``language`` inside the block (for messages to someone else)."""
    token = _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the number ``n``."""
    return _translations(_language.get()).ngettext(singular, plural, n)


def people_count(count: int) -> str:
    """Return "1 person" or "5 people" in the current language."""
    return ngettext("{count} person", "{count} people", count).format(count=count)


def N_(message: str) -> str:  # noqa: N802 - the conventional name for "mark for extraction"
    """Mark ``message`` for extraction without translating it yet."""
    return message


def _shown_zone() -> tzinfo:
    return _zone.get() or _DEFAULT_ZONE


def _locale() -> Locale:
    return Locale.parse(_language.get())


def format_date(value: date | datetime, fmt: str = "long") -> str:
    """Format a date (or the local date of a UTC time) for the current language."""
    if isinstance(value, datetime):
        value = value.astimezone(_shown_zone()).date()
    if fmt == "weekday":
        return _babel_format_date(value, format="EEEE, dd/MM/yyyy", locale=_locale())
    if fmt == "short":
        return _babel_format_date(value, format="dd/MM/yyyy", locale=_locale())
    return _babel_format_date(value, format=fmt, locale=_locale())


def format_datetime(value: datetime) -> str:
    """Format a UTC time as a local date and time for the current language."""
    local = value.astimezone(_shown_zone())
    return _babel_format_datetime(local, format="HH:mm dd/MM/yyyy", tzinfo=_shown_zone(),
                                  locale=_locale())


def format_time(value: datetime) -> str:
    """Format a UTC time as a local time of day."""
    return _babel_format_time(value.astimezone(_shown_zone()), format="HH:mm",
                              tzinfo=_shown_zone(), locale=_locale())


def format_number(value: int | float) -> str:
    """Format a number with the current language's separators."""
    return format_decimal(value, locale=_locale())
