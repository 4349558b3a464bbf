"""Staff invitations and reception sites."""

from __future__ import annotations

from datetime import datetime

from bot.domain.staff import Invitation, StaffMember, user_key
from bot.domain.users import ChannelUser, Role
from bot.storage.database import Connection, Row, from_db, to_db

_INVITATION_COLUMNS = ("id, role, site, created_by, created_at, expires_at, used_at, "
                       "used_by_channel, used_by_user_id")
_MEMBER_COLUMNS = ("u.channel, u.user_id, u.chat_id, u.role, u.language, u.display_name, "
                   "u.created_at, u.last_seen_at, s.site")


def _invitation(r: Row) -> Invitation:
    used_by = (user_key(r["used_by_channel"], r["used_by_user_id"])
               if r["used_by_channel"] is not None else None)
    return Invitation(
        id=r["id"],
        role=Role(r["role"]),
        site=r["site"],
        created_by=r["created_by"],
        created_at=from_db(r["created_at"]),
        expires_at=from_db(r["expires_at"]),
        used_at=from_db(r["used_at"]) if r["used_at"] else None,
        used_by=used_by,
    )


def _member(r: Row) -> StaffMember:
    user = ChannelUser(
        channel=r["channel"],
        user_id=r["user_id"],
        chat_id=r["chat_id"],
        role=Role(r["role"]),
        language=r["language"],
        display_name=r["display_name"],
        created_at=from_db(r["created_at"]),
        last_seen_at=from_db(r["last_seen_at"]),
    )
    return StaffMember(user=user, site=r["site"])


async def add_invitation(conn: Connection, *, digest: str, role: Role, site: str | None,
                         created_by: str, now: datetime, expires_at: datetime) -> int:
    """Store a new invitation under its token's digest; return its id."""
    cursor = await conn.execute(
        """
        INSERT INTO staff_invitations (token_digest, role, site, created_by, created_at,
                                       expires_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
        (digest, role.value, site, created_by, to_db(now), to_db(expires_at)),
    )
    assert cursor.lastrowid is not None  # noqa: S101 - an INSERT into a rowid table
    return cursor.lastrowid


async def invitation_by_digest(conn: Connection, digest: str) -> Invitation | None:
    """Return the invitation stored under ``digest``, if any."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_INVITATION_COLUMNS} FROM staff_invitations WHERE token_digest = ?",  # noqa: S608 - column list is a constant
        (digest,),
    ))
    return _invitation(rows[0]) if rows else None


async def use_invitation(conn: Connection, invitation_id: int, channel: str, user_id: str,
                         now: datetime) -> bool:
    """Mark an open invitation used by a person; False if it was used already."""
    cursor = await conn.execute(
        "UPDATE staff_invitations SET used_at = ?, used_by_channel = ?, used_by_user_id = ? "
        "WHERE id = ? AND used_at IS NULL",
        (to_db(now), channel, user_id, invitation_id),
    )
    return cursor.rowcount == 1


async def members(conn: Connection) -> list[StaffMember]:
    """Return everyone holding a role other than citizen, with their site."""
    rows = await conn.execute_fetchall(
        f"SELECT {_MEMBER_COLUMNS} FROM channel_users u "  # noqa: S608 - column list is a constant
        "LEFT JOIN staff_sites s ON s.channel = u.channel AND s.user_id = u.user_id "
        "WHERE u.role != 'citizen' ORDER BY u.channel, u.user_id"
    )
    return [_member(r) for r in rows]


async def member(conn: Connection, channel: str, user_id: str) -> StaffMember | None:
    """Return a person (whatever their role) with their site; None if they never wrote."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_MEMBER_COLUMNS} FROM channel_users u "  # noqa: S608 - column list is a constant
        "LEFT JOIN staff_sites s ON s.channel = u.channel AND s.user_id = u.user_id "
        "WHERE u.channel = ? AND u.user_id = ?",
        (channel, user_id),
    ))
    return _member(rows[0]) if rows else None


async def site_of(conn: Connection, channel: str, user_id: str) -> str | None:
    """Return the site a person works at, or None (all sites)."""
    rows = list(await conn.execute_fetchall(
        "SELECT site FROM staff_sites WHERE channel = ? AND user_id = ?", (channel, user_id)
    ))
    return str(rows[0]["site"]) if rows else None


async def set_site(conn: Connection, channel: str, user_id: str, site: str | None,
                   now: datetime) -> None:
    """Put a person at ``site``; None takes them off any one site."""
    if site is None:
        await conn.execute("DELETE FROM staff_sites WHERE channel = ? AND user_id = ?",
                           (channel, user_id))
        return
    await conn.execute(
        """
        INSERT INTO staff_sites (channel, user_id, site, assigned_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (channel, user_id) DO UPDATE SET
            site = excluded.site, assigned_at = excluded.assigned_at
        """,
        (channel, user_id, site, to_db(now)),
    )
