"""Links that open the bot with a /start argument, as each channel recorded them."""

from __future__ import annotations

from bot.domain.links import ChannelLink
from bot.services.context import ServiceContext
from bot.storage import channel_links as link_store


class LinkService:
    """Remember how each channel opens the bot; give them to anyone who builds a link."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def remember(self, link: ChannelLink) -> None:
        """Record a channel's account and start link (a channel does this when it starts)."""
        await link_store.remember(self._ctx.conn, link, self._ctx.now)

    async def start_links(self) -> list[ChannelLink]:
        """Return the start link of every channel that recorded one."""
        return await link_store.all_links(self._ctx.conn)
