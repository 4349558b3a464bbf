"""Logging that never writes phone or CCCD numbers, nor the bot token."""

from __future__ import annotations

import logging
import re
from types import TracebackType

# Nine or more digits, possibly with single spaces or dots between them (phones, CCCD).
_NUMBERS = re.compile(r"\+?\d(?:[ .]?\d){8,}")
_TOKEN = re.compile(r"\d{6,}:[A-Za-z0-9_-]{20,}")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def redact(text: str) -> str:
    """Replace bot tokens and long digit runs in ``text`` with a mask."""
    text = _TOKEN.sub("<token>", text)
    return _NUMBERS.sub(lambda m: m.group(0)[:2] + "…", text)


class RedactingFormatter(logging.Formatter):
    """Mask personal numbers and tokens in messages and tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        original = record.msg, record.args
        record.msg = redact(record.getMessage())
        record.args = None
        try:
            return super().format(record)
        finally:
            record.msg, record.args = original

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 - overrides logging's name
        return redact(super().formatException(ei))


def setup_logging(level: int = logging.INFO) -> None:
    """Log to standard error, redacted, with quiet HTTP libraries."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
