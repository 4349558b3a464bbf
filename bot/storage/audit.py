"""The audit log: who did what to what, and when. Never holds phone or CCCD numbers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.database import Connection, from_db, to_db


@dataclass(frozen=True)
class AuditEntry:
    """One audited action."""

    id: int
    at: datetime
    actor_channel: str | None
    actor_user_id: str | None
    actor_role: str | None
    action: str
    subject: str | None
    detail: dict[str, Any]


async def write(
    conn: Connection,
    *,
    at: datetime,
    action: str,
    actor_channel: str | None = None,
    actor_user_id: str | None = None,
    actor_role: str | None = None,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append an entry to the audit log."""
    await conn.execute(
        """
        INSERT INTO audit_log (at, actor_channel, actor_user_id, actor_role, action, subject,
                               detail)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        (
            to_db(at),
            actor_channel,
            actor_user_id,
            actor_role,
            action,
            subject,
            json.dumps(detail or {}, ensure_ascii=False),
        ),
    )


async def entries(
    conn: Connection, action: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """Return the latest entries, optionally only those of one action."""
    if action is None:
        cursor = await conn.execute(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
    else:
        cursor = await conn.execute(
            "SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ?", (action, limit)
        )
    return [
        AuditEntry(
            id=r["id"],
            at=from_db(r["at"]),
            actor_channel=r["actor_channel"],
            actor_user_id=r["actor_user_id"],
            actor_role=r["actor_role"],
            action=r["action"],
            subject=r["subject"],
            detail=json.loads(r["detail"]),
        )
        for r in await cursor.fetchall()
    ]
