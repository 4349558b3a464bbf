"""The outbox: messages that are not direct replies, written with the change that caused them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.database import Connection, Row, from_db, to_db


@dataclass(frozen=True)
class OutboxRow:
    """One queued message and its delivery record."""

    id: int
    channel: str
    chat_id: str
    user_id: str | None
    kind: str
    payload: dict[str, Any]
    dedupe_key: str | None
    created_at: datetime
    next_attempt_at: datetime
    attempts: int
    status: str
    last_error: str | None
    sent_at: datetime | None


def _row(r: Row) -> OutboxRow:
    return OutboxRow(
        id=r["id"],
        channel=r["channel"],
        chat_id=r["chat_id"],
        user_id=r["user_id"],
        kind=r["kind"],
        payload=json.loads(r["payload"]),
        dedupe_key=r["dedupe_key"],
        created_at=from_db(r["created_at"]),
        next_attempt_at=from_db(r["next_attempt_at"]),
        attempts=r["attempts"],
        status=r["status"],
        last_error=r["last_error"],
        sent_at=from_db(r["sent_at"]) if r["sent_at"] else None,
    )


async def enqueue(
    conn: Connection,
    *,
    channel: str,
    chat_id: str,
    user_id: str | None,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    not_before: datetime | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queue a message; return its id, or None if one with ``dedupe_key`` is already queued."""
    cursor = await conn.execute(
        """
        INSERT OR IGNORE INTO outbox (channel, chat_id, user_id, kind, payload, dedupe_key,
                                      created_at, next_attempt_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            channel,
            chat_id,
            user_id,
            kind,
            json.dumps(payload, ensure_ascii=False),
            dedupe_key,
            to_db(now),
            to_db(not_before or now),
        ),
    )
    if cursor.rowcount != 1:
        return None
    return cursor.lastrowid


async def due(
    conn: Connection, now: datetime, channels: tuple[str, ...], limit: int,
    chat_id: str | None = None,
) -> list[OutboxRow]:
    """Return pending messages for ``channels`` (and ``chat_id``) whose time has come, oldest
    first."""
    marks = ",".join("?" for _ in channels)
    chat = "" if chat_id is None else "AND chat_id = ? "
    cursor = await conn.execute(
        f"SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "  # noqa: S608 - placeholders only
        f"AND channel IN ({marks}) {chat}ORDER BY next_attempt_at, id LIMIT ?",
        (to_db(now), *channels, *([] if chat_id is None else [chat_id]), limit),
    )
    return [_row(r) for r in await cursor.fetchall()]


async def mark_sent(conn: Connection, message_id: int, now: datetime) -> None:
    """Record a delivery."""
    await conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
        "last_error = NULL WHERE id = ?",
        (to_db(now), message_id),
    )


async def mark_retry(conn: Connection, message_id: int, error: str, retry_at: datetime) -> None:
    """Record a failed attempt and when to try again."""
    await conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
        "WHERE id = ?",
        (error[:500], to_db(retry_at), message_id),
    )


async def postpone(conn: Connection, message_ids: list[int], until: datetime) -> None:
    """Hold pending messages until ``until`` without counting an attempt (flood control)."""
    await conn.executemany(
        "UPDATE outbox SET next_attempt_at = ?, last_error = 'flood control' "
        "WHERE id = ? AND status = 'pending'",
        [(to_db(until), message_id) for message_id in message_ids],
    )


async def mark_failed(conn: Connection, message_id: int, error: str) -> None:
    """Give up on a message after its last attempt."""
    await conn.execute(
        "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? "
        "WHERE id = ?",
        (error[:500], message_id),
    )


async def get(conn: Connection, message_id: int) -> OutboxRow | None:
    """Return one message by id."""
    cursor = await conn.execute("SELECT * FROM outbox WHERE id = ?", (message_id,))
    row = await cursor.fetchone()
    return _row(row) if row else None


async def all_messages(conn: Connection, status: str | None = None) -> list[OutboxRow]:
    """Return every message, optionally of one status, in the order queued."""
    if status is None:
        cursor = await conn.execute("SELECT * FROM outbox ORDER BY id")
    else:
        cursor = await conn.execute("SELECT * FROM outbox WHERE status = ? ORDER BY id", (status,))
    return [_row(r) for r in await cursor.fetchall()]


async def next_due_at(conn: Connection, channels: tuple[str, ...]) -> datetime | None:
    """Return when the next pending message for ``channels`` is due."""
    marks = ",".join("?" for _ in channels)
    cursor = await conn.execute(
        f"SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' "  # noqa: S608 - placeholders only
        f"AND channel IN ({marks})",
        channels,
    )
    row = await cursor.fetchone()
    return from_db(row[0]) if row and row[0] else None
