"""Drive the real bot in tests: through Telegram (offline fake Bot API) or the terminal."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import App
from bot.channels.telegram import CHANNEL, TelegramChannel, build_application
from bot.channels.terminal import TerminalChannel
from bot.config import Settings, settings_from
from bot.domain.clock import FixedClock
from bot.services.outbox import OutboxDispatcher
from tests.fakebotapi import TOKEN, FakeBotApi, FakeRequest, SentMessage

# A Thursday morning in Vietnam (08:00 local), far from any public holiday.
DEFAULT_NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def make_settings(tmp_path: Path, data: dict[str, Any] | None = None,
                  **env: str) -> Settings:
    """Return settings for a test: a database in ``tmp_path`` and a fake token."""
    environment = {"TELEGRAM_BOT_TOKEN": TOKEN, "TIEPDAN_DATABASE": str(tmp_path / "test.db"),
                   "TIEPDAN_SECRET_KEY": "test-secret-key-0123456789abcdef"}
    environment.update(env)
    return settings_from(data or {}, environment)


class TelegramHarness:
    """The real Application on an offline fake Bot API, one update at a time."""

    def __init__(self, app: App, application: Any, channel: TelegramChannel,
                 api: FakeBotApi) -> None:
        self.app = app
        self.application = application
        self.channel = channel
        self.api = api

    @property
    def clock(self) -> FixedClock:
        """The fixed clock the bot runs on."""
        assert isinstance(self.app.clock, FixedClock)
        return self.app.clock

    async def send(self, update: dict[str, Any]) -> list[SentMessage]:
        """Process one raw update; return the messages the bot sent while doing so."""
        before = {chat: len(messages) for chat, messages in self.api.messages.items()}
        await self.application.process_update(Update.de_json(update, self.application.bot))
        if self.api.errors:
            raise AssertionError(f"the bot called unknown Bot API methods: {self.api.errors}")
        sent: list[SentMessage] = []
        for chat, messages in self.api.messages.items():
            sent.extend(messages[before.get(chat, 0):])
        return sent

    async def text(self, user: int, text: str) -> list[SentMessage]:
        """Send a text message (or a command) from ``user``."""
        return await self.send(self.api.text_update(user, text))

    async def press(self, user: int, label: str) -> list[SentMessage]:
        """Press the button whose label contains ``label`` on the latest message showing it."""
        for message in reversed(self.api.sent_to(user)):
            for button in message.inline_buttons():
                if label.casefold() in button["text"].casefold():
                    return await self.send(
                        self.api.callback_update(user, message, button["callback_data"]))
        raise AssertionError(f"no button labelled {label!r} in chat {user}")

    def buttons(self, user: int) -> list[str]:
        """Return the labels of the inline buttons on the latest message that has them."""
        for message in reversed(self.api.sent_to(user)):
            if message.inline_buttons():
                return [button["text"] for button in message.inline_buttons()]
        return []

    def last_text(self, user: int) -> str:
        """Return the text of the latest message to ``user``."""
        return self.api.last_to(user).text

    async def drain_outbox(self) -> None:
        """Deliver due outbox messages now (the job queue does this every second)."""
        dispatcher = OutboxDispatcher(self.app.database, self.app.clock, self.app.settings,
                                      {CHANNEL: self.channel.sender(self.application.bot)})
        await dispatcher.drain()


@asynccontextmanager
async def telegram_bot(settings: Settings, clock: FixedClock | None = None,
                       api: FakeBotApi | None = None) -> AsyncIterator[TelegramHarness]:
    """Run the bot on an offline fake Bot API for the length of the block."""
    fake = api or FakeBotApi()
    app = await App.open(settings, clock or FixedClock(DEFAULT_NOW))
    application, channel = build_application(app, request=FakeRequest(fake), rate_limiter=False)
    harness = TelegramHarness(app, application, channel, fake)
    try:
        async with application:
            await channel.remember_account(application.bot)
            yield harness
    finally:
        await app.close()


class TerminalHarness:
    """The terminal channel in-process: type lines, read what it printed."""

    def __init__(self, app: App, user_id: str) -> None:
        self.app = app
        self.out = io.StringIO()
        self.channel = TerminalChannel(app, user_id, stdin=io.StringIO(), stdout=self.out,
                                       files_dir=Path(str(app.settings.database_path) + ".files"))

    async def type(self, line: str) -> str:
        """Type one line; return what the terminal printed in answer."""
        start = len(self.out.getvalue())
        await self.channel.handle_line(line)
        return self.out.getvalue()[start:]


@asynccontextmanager
async def terminal_bot(settings: Settings, user_id: str = "1",
                       clock: FixedClock | None = None) -> AsyncIterator[TerminalHarness]:
    """Run the bot's terminal channel in-process for the length of the block."""
    app = await App.open(settings, clock or FixedClock(DEFAULT_NOW))
    try:
        yield TerminalHarness(app, user_id)
    finally:
        await app.close()
