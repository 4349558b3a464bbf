"""The outbox: queue messages with the change that causes them; deliver them with retries.

Delivery is at least once: a message sent just before a crash may be sent again after it,
but no queued message is ever lost.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.domain.clock import Clock
from bot.domain.messages import Button, Reply
from bot.domain.users import ChannelUser, Role
from bot.i18n import _, translation
from bot.services.context import Actor, ServiceContext
from bot.storage import outbox as outbox_store
from bot.storage import users as user_store
from bot.storage.database import Connection, Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(hours=1)
KIND_DELIVERY_ALERT = "alert.delivery_failed"


class DeliveryError(Exception):
    """A channel could not deliver a message."""

    def __init__(self, reason: str, *, permanent: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after


# Delivers a Reply to a chat on one channel, or raises DeliveryError.
Sender = Callable[[str, Reply], Awaitable[None]]


def reply_to_payload(reply: Reply) -> dict[str, Any]:
    """Turn a Reply into the JSON stored in the outbox (files are not queued)."""
    if reply.document is not None or reply.photo is not None:
        raise ValueError("files are not queued in the outbox; attach them to a direct reply")
    return {
        "text": reply.text,
        "buttons": [[b.label, b.data] for b in reply.buttons],
        "columns": reply.columns,
    }


def payload_to_reply(payload: Mapping[str, Any]) -> Reply:
    """Rebuild the Reply stored by ``reply_to_payload``."""
    return Reply(
        text=str(payload["text"]),
        buttons=tuple(Button(label=str(b[0]), data=str(b[1])) for b in payload.get("buttons", [])),
        columns=int(payload.get("columns", 1)),
    )


class OutboxService:
    """Queue messages inside the caller's transaction."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def send_to(
        self,
        user: ChannelUser,
        kind: str,
        build: Callable[[], Reply],
        *,
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
    ) -> int | None:
        """Queue a message for ``user``, written in the user's own language."""
        with translation(user.language or self._ctx.settings.default_language):
            reply = build()
        return await outbox_store.enqueue(
            self._ctx.conn,
            channel=user.channel,
            chat_id=user.chat_id,
            user_id=user.user_id,
            kind=kind,
            payload=reply_to_payload(reply),
            now=self._ctx.now,
            not_before=not_before,
            dedupe_key=dedupe_key,
        )

    async def send_to_chat(
        self,
        channel: str,
        chat_id: str,
        kind: str,
        build: Callable[[], Reply],
        *,
        dedupe_key: str | None = None,
    ) -> int | None:
        """Queue a message for a configured chat (a liaison group) in the default language."""
        with translation(self._ctx.settings.default_language):
            reply = build()
        return await outbox_store.enqueue(
            self._ctx.conn, channel=channel, chat_id=chat_id, user_id=None, kind=kind,
            payload=reply_to_payload(reply), now=self._ctx.now, dedupe_key=dedupe_key,
        )

    async def send_to_roles(
        self,
        roles: tuple[Role, ...],
        kind: str,
        build: Callable[[], Reply],
        *,
        dedupe_key: str | None = None,
    ) -> int:
        """Queue a message for everyone holding one of ``roles``; return how many."""
        count = 0
        for user in await user_store.users_with_roles(self._ctx.conn, roles):
            key = f"{dedupe_key}:{user.channel}:{user.user_id}" if dedupe_key else None
            if await self.send_to(user, kind, build, dedupe_key=key) is not None:
                count += 1
        return count


@dataclass
class DrainResult:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    postponed: int = 0  # left for later because the channel asked us to slow down


class OutboxDispatcher:
    """Deliver due outbox messages through the channels' senders."""

    def __init__(self, database: Database, clock: Clock, settings: Settings,
                 senders: Mapping[str, Sender], *, chat_id: str | None = None) -> None:
        self._database = database
        self._clock = clock
        self._settings = settings
        self._senders = dict(senders)
        # A terminal session is one person's screen: it delivers only that person's messages.
        self._chat_id = chat_id

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels this dispatcher can deliver to."""
        return tuple(self._senders)

    async def drain(self, limit: int = 100) -> DrainResult:
        """Deliver what is due now, at most ``limit`` messages; record each outcome."""
        result = DrainResult()
        if not self._senders:
            return result
        async with self._database.transaction() as conn:
            rows = await outbox_store.due(conn, self._clock.now(), self.channels, limit,
                                          self._chat_id)
        slowed: set[str] = set()  # channels that asked us to wait (flood control)
        for index, row in enumerate(rows):
            if row.channel in slowed:
                continue
            sender = self._senders[row.channel]
            try:
                await sender(row.chat_id, payload_to_reply(row.payload))
            except DeliveryError as exc:
                if exc.retry_after is not None and not exc.permanent:
                    # Flood control says nothing about the message: it is not an attempt.
                    # The channel's other messages of this pass would be refused too.
                    waiting = [r for r in rows[index:] if r.channel == row.channel]
                    await self._postpone(waiting, exc.retry_after)
                    result.postponed += len(waiting)
                    slowed.add(row.channel)
                    continue
                await self._record_failure(row, exc)
                if exc.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
                    result.failed += 1
                else:
                    result.retried += 1
                continue
            except Exception as exc:  # a sender bug must not stop the other messages
                log.exception("outbox message %s: unexpected error", row.id)
                await self._record_failure(row, DeliveryError(type(exc).__name__))
                result.retried += 1
                continue
            async with self._database.transaction() as conn:
                await outbox_store.mark_sent(conn, row.id, self._clock.now())
            result.sent += 1
        return result

    async def _postpone(self, rows: list[outbox_store.OutboxRow], seconds: float) -> None:
        until = self._clock.now() + timedelta(seconds=max(seconds, 1.0))
        async with self._database.transaction() as conn:
            await outbox_store.postpone(conn, [row.id for row in rows], until)
        log.info("flood control: %d outbox messages wait %.0f s", len(rows), seconds)

    async def _record_failure(self, row: outbox_store.OutboxRow, exc: DeliveryError) -> None:
        now = self._clock.now()
        async with self._database.transaction() as conn:
            if exc.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
                await outbox_store.mark_failed(conn, row.id, str(exc))
                log.warning("outbox message %s (%s) failed for good: %s", row.id, row.kind, exc)
                if row.kind != KIND_DELIVERY_ALERT:
                    await self._alert_admins(conn, row, str(exc), now)
                return
            if exc.retry_after is not None:
                delay = timedelta(seconds=exc.retry_after)
            else:
                delay = min(FIRST_RETRY * (2 ** row.attempts), LONGEST_RETRY)
            await outbox_store.mark_retry(conn, row.id, str(exc), now + delay)

    async def _alert_admins(self, conn: Connection, row: outbox_store.OutboxRow, error: str,
                            now: datetime) -> None:
        ctx = ServiceContext(conn=conn, now=now, settings=self._settings,
                             actor=Actor.system())
        outbox = OutboxService(ctx)

        def build() -> Reply:
            return Reply(text=_(
                "⚠️ A message could not be delivered after {attempts} attempts.\n"
                "Message no. {id} ({kind}) to {channel} chat {chat}.\nLast error: {error}"
            ).format(attempts=row.attempts + 1, id=row.id, kind=row.kind, channel=row.channel,
                     chat=row.chat_id, error=html.escape(error[:200])))

        await outbox.send_to_roles((Role.ADMIN,), KIND_DELIVERY_ALERT, build,
                                   dedupe_key=f"delivery-failed:{row.id}")
