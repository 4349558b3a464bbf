"""How each channel opens the bot with a /start argument, as the channel recorded it."""

from __future__ import annotations

from datetime import datetime

from bot.domain.links import ChannelLink
from bot.storage.database import Connection, to_db


async def remember(conn: Connection, link: ChannelLink, now: datetime) -> None:
    """Record (or update) a channel's account name and start link."""
    await conn.execute(
        """
        INSERT INTO channel_links (channel, account, start_link, recorded_at)
        VALUES (?, ?, ?, ?)
        ON CONFLICT (channel) DO UPDATE SET
            account = excluded.account, start_link = excluded.start_link,
            recorded_at = excluded.recorded_at
        """,
        (link.channel, link.account, link.start_link, to_db(now)),
    )


async def all_links(conn: Connection) -> list[ChannelLink]:
    """Return every channel's start link, by channel name."""
    rows = await conn.execute_fetchall(
        "SELECT channel, account, start_link FROM channel_links ORDER BY channel"
    )
    return [ChannelLink(channel=r["channel"], account=r["account"], start_link=r["start_link"])
            for r in rows]
