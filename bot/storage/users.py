"""Channel users and their consent records."""

from __future__ import annotations

from datetime import datetime

from bot.domain.users import ChannelUser, Consent, ConsentRecord, Purpose, Role
from bot.storage.database import Connection, Row, from_db, to_db

_COLUMNS = "channel, user_id, chat_id, role, language, display_name, created_at, last_seen_at"


def _user(r: Row) -> ChannelUser:
    return ChannelUser(
        channel=r["channel"],
        user_id=r["user_id"],
        chat_id=r["chat_id"],
        role=Role(r["role"]),
        language=r["language"],
        display_name=r["display_name"],
        created_at=from_db(r["created_at"]),
        last_seen_at=from_db(r["last_seen_at"]),
    )


async def get_user(conn: Connection, channel: str, user_id: str) -> ChannelUser | None:
    """Return the channel user, or None if they never wrote."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM channel_users WHERE channel = ? AND user_id = ?",  # noqa: S608 - column list is a constant
        (channel, user_id),
    ))
    return _user(rows[0]) if rows else None


async def touch_user(
    conn: Connection,
    channel: str,
    user_id: str,
    chat_id: str,
    display_name: str | None,
    now: datetime,
) -> ChannelUser:
    """Create the user on first contact, or note that they were seen; return them."""
    rows = await conn.execute_fetchall(
        f"""
        INSERT INTO channel_users (channel, user_id, chat_id, display_name, created_at,
                                   last_seen_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel, user_id) DO UPDATE SET
            chat_id = excluded.chat_id,
            display_name = COALESCE(excluded.display_name, channel_users.display_name),
            last_seen_at = excluded.last_seen_at
        RETURNING {_COLUMNS}
        """,  # noqa: S608 - the column list is a constant
        (channel, user_id, chat_id, display_name, to_db(now), to_db(now)),
    )
    return _user(next(iter(rows)))


async def set_language(conn: Connection, channel: str, user_id: str, language: str) -> None:
    """Remember the person's language."""
    await conn.execute(
        "UPDATE channel_users SET language = ? WHERE channel = ? AND user_id = ?",
        (language, channel, user_id),
    )


async def set_role(conn: Connection, channel: str, user_id: str, role: Role) -> None:
    """Give the person a role."""
    await conn.execute(
        "UPDATE channel_users SET role = ? WHERE channel = ? AND user_id = ?",
        (role.value, channel, user_id),
    )


async def users_with_roles(conn: Connection, roles: tuple[Role, ...]) -> list[ChannelUser]:
    """Return every user holding one of ``roles``."""
    marks = ",".join("?" for _ in roles)
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM channel_users WHERE role IN ({marks}) "  # noqa: S608 - placeholders only
        "ORDER BY channel, user_id",
        tuple(role.value for role in roles),
    )
    return [_user(row) for row in await cursor.fetchall()]


async def record_consent(
    conn: Connection,
    channel: str,
    user_id: str,
    purpose: Purpose,
    granted: bool,
    notice_version: str,
    now: datetime,
) -> None:
    """Append one answer to the data-protection notice."""
    await conn.execute(
        """
        INSERT INTO consents (channel, user_id, purpose, granted, notice_version, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
        (channel, user_id, purpose.value, int(granted), notice_version, to_db(now)),
    )


async def get_consent(conn: Connection, channel: str, user_id: str) -> Consent:
    """Return the person's latest answer for each purpose."""
    rows = await conn.execute_fetchall(
        """
        SELECT purpose, granted, notice_version, recorded_at FROM consents
        WHERE channel = ? AND user_id = ? ORDER BY id
        """,
        (channel, user_id),
    )
    records: dict[Purpose, ConsentRecord] = {}
    for row in rows:
        try:
            purpose = Purpose(row["purpose"])
        except ValueError:
            continue
        records[purpose] = ConsentRecord(
            purpose=purpose,
            granted=bool(row["granted"]),
            notice_version=row["notice_version"],
            recorded_at=from_db(row["recorded_at"]),
        )
    return Consent(records)
