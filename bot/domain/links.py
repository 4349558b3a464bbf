"""Links that open the bot on a channel with a /start argument (Telegram's deep links)."""

from __future__ import annotations

from dataclasses import dataclass

PAYLOAD = "{payload}"


@dataclass(frozen=True)
class ChannelLink:
    """How a channel opens the bot with an argument: a URL with ``{payload}`` in it."""

    channel: str
    account: str  # the bot's name on the channel (Telegram: its username)
    start_link: str

    def to(self, payload: str) -> str:
        """Return the link that opens the bot and sends ``/start payload``."""
        return self.start_link.replace(PAYLOAD, payload)
