"""Wrong answers to the phone check of a lookup by code (petitions and appointments alike)."""

from __future__ import annotations

from datetime import datetime

from bot.storage.database import Connection, from_db, to_db


async def record_failure(conn: Connection, channel: str, user_id: str, code: str,
                         at: datetime) -> None:
    """Note a wrong answer to the phone check of a lookup of ``code``."""
    await conn.execute(
        "INSERT INTO petition_lookup_failures (channel, user_id, code, at) VALUES (?, ?, ?, ?)",
        (channel, user_id, code, to_db(at)),
    )


async def failures_since(conn: Connection, channel: str, user_id: str,
                         since: datetime) -> list[datetime]:
    """Return the times of an account's wrong answers since ``since``, the first first."""
    rows = await conn.execute_fetchall(
        "SELECT at FROM petition_lookup_failures WHERE channel = ? AND user_id = ? AND at >= ? "
        "ORDER BY at",
        (channel, user_id, to_db(since)),
    )
    return [from_db(r["at"]) for r in rows]


async def clear_failures(conn: Connection, channel: str, user_id: str, code: str) -> None:
    """Forget an account's wrong answers for ``code`` (it has just answered it right)."""
    await conn.execute(
        "DELETE FROM petition_lookup_failures WHERE channel = ? AND user_id = ? AND code = ?",
        (channel, user_id, code),
    )


async def forget_failures_before(conn: Connection, before: datetime) -> int:
    """Delete wrong answers older than ``before``; return how many."""
    cursor = await conn.execute("DELETE FROM petition_lookup_failures WHERE at < ?",
                                (to_db(before),))
    return cursor.rowcount
