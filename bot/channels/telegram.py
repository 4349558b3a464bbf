"""The Telegram channel (python-telegram-bot): updates ⇄ Incoming / Reply.

The PTB ``Application`` is built here and only here. Choices become inline keyboards, a
request for a phone number becomes the request-contact button, and a pressed button's
message is edited so that old keyboards do not linger.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot.app import App
from bot.config import Settings
from bot.dialog.flow import esc
from bot.domain.clock import Clock
from bot.domain.links import PAYLOAD, ChannelLink
from bot.domain.messages import Attachment, Button, Contact, Incoming, InputKind, Reply
from bot.i18n import N_, _, translation
from bot.services.outbox import DeliveryError, OutboxDispatcher

log = logging.getLogger(__name__)

CHANNEL = "telegram"
OUTBOX_INTERVAL = 1.0
JOBS_INTERVAL = 60.0
HOUSEKEEPING_INTERVAL = timedelta(hours=6)
KEYBOARDS_REMEMBERED = 50_000

# Commands published in the Telegram menu; the core answers the first three in any state.
PUBLISHED_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Main menu")),
    ("huy", N_("Stop what you are doing")),
    ("trogiup", N_("Help")),
    ("tracuu", N_("Look up a petition by its code")),
)


@dataclass(frozen=True)
class WebhookOptions:
    """Where to listen for Telegram's webhook calls and the address Telegram posts to."""

    listen: str
    port: int
    url: str
    secret_token: str | None = None


class PerUserOrder(BaseUpdateProcessor):
    """Process different people's updates concurrently and one person's in order."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = 0
        if isinstance(update, Update) and update.effective_user is not None:
            key = update.effective_user.id
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def to_incoming(update: Update, clock: Clock) -> Incoming | None:
    """Describe a Telegram update as an Incoming; None for updates the bot ignores."""
    query = update.callback_query
    if query is not None:
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        return Incoming(
            channel=CHANNEL, user_id=str(query.from_user.id), chat_id=str(chat_id),
            kind=InputKind.CHOICE, sent_at=clock.now(), update_id=str(update.update_id),
            payload=query.data or "", display_name=query.from_user.full_name,
        )
    message = update.message
    if message is None or message.from_user is None:
        return None  # edits, channel posts, membership changes: nothing to answer
    if message.chat.type != ChatType.PRIVATE:
        return None  # the bot serves people in private chats only
    user = message.from_user
    base: dict[str, Any] = {
        "channel": CHANNEL,
        "user_id": str(user.id),
        "chat_id": str(message.chat.id),
        "sent_at": message.date,
        "update_id": str(update.update_id),
        "display_name": user.full_name,
    }
    if message.text is not None:
        text = message.text
        if text.startswith("/"):
            head, _sep, rest = text[1:].partition(" ")
            name = head.split("@", 1)[0].lower()
            return Incoming(kind=InputKind.COMMAND, text=text, command=name,
                            args=tuple(rest.split()), **base)
        return Incoming(kind=InputKind.TEXT, text=text, **base)
    if message.contact is not None:
        contact = message.contact
        return Incoming(
            kind=InputKind.CONTACT,
            contact=Contact(phone=contact.phone_number,
                            user_id=str(contact.user_id) if contact.user_id else None,
                            name=" ".join(p for p in (contact.first_name, contact.last_name) if p)),
            **base,
        )
    attachment = _attachment(message)
    if attachment is not None:
        return Incoming(kind=InputKind.ATTACHMENT, attachment=attachment,
                        text=message.caption or "", **base)
    if message.location is not None:
        return Incoming(kind=InputKind.LOCATION,
                        location=(message.location.latitude, message.location.longitude), **base)
    other = "sticker" if message.sticker is not None else "other"
    return Incoming(kind=InputKind.OTHER, other_kind=other, **base)


def _attachment(message: Message) -> Attachment | None:
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return Attachment(kind="photo", file_id=photo.file_id, file_name=None,
                          mime_type="image/jpeg", size=photo.file_size)
    for kind, item in (("document", message.document), ("voice", message.voice),
                       ("audio", message.audio), ("video", message.video),
                       ("video_note", message.video_note)):
        if item is not None:
            return Attachment(kind=kind, file_id=item.file_id,
                              file_name=getattr(item, "file_name", None),
                              mime_type=getattr(item, "mime_type", None),
                              size=item.file_size)
    return None


def _inline_keyboard(buttons: Sequence[Button], columns: int) -> InlineKeyboardMarkup:
    width = max(1, columns)
    rows = [
        [InlineKeyboardButton(b.label, callback_data=b.data) for b in buttons[i:i + width]]
        for i in range(0, len(buttons), width)
    ]
    return InlineKeyboardMarkup(rows)


def _contact_keyboard(buttons: Sequence[Button]) -> ReplyKeyboardMarkup:
    rows: list[list[KeyboardButton]] = [[KeyboardButton(_("📱 Share my phone number"),
                                                        request_contact=True)]]
    rows.extend([KeyboardButton(b.label)] for b in buttons)
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split a long text at line breaks into pieces Telegram accepts."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


class TelegramChannel:
    """Send Replies through a PTB Bot and keep track of the keyboards left on screen."""

    def __init__(self, app: App) -> None:
        self.app = app
        # chat → message still showing an inline keyboard; bounded, and lost on restart
        # (a stale keyboard left behind then is answered politely when pressed).
        self._keyboards: OrderedDict[str, int] = OrderedDict()

    async def send(self, bot: Bot, chat_id: str, reply: Reply) -> None:
        """Send one Reply (text, buttons, contact request, file) to a chat."""
        if reply.buttons and not reply.request_contact:
            await self._strip_keyboard(bot, chat_id)
        if reply.photo is not None or reply.document is not None:
            await self._send_file(bot, chat_id, reply)
            return
        pieces = split_text(reply.text)
        for piece in pieces[:-1]:
            await bot.send_message(chat_id, piece)
        last = pieces[-1]
        if reply.request_contact:
            await bot.send_message(chat_id, last, reply_markup=_contact_keyboard(reply.buttons))
            return
        if reply.buttons:
            markup = _inline_keyboard(reply.buttons, reply.columns)
            if reply.remove_keyboard:
                sent = await bot.send_message(chat_id, last, reply_markup=ReplyKeyboardRemove())
                with contextlib.suppress(BadRequest):
                    await bot.edit_message_reply_markup(chat_id, sent.message_id,
                                                        reply_markup=markup)
            else:
                sent = await bot.send_message(chat_id, last, reply_markup=markup)
            self._remember_keyboard(chat_id, sent.message_id)
            return
        markup_remove = ReplyKeyboardRemove() if reply.remove_keyboard else None
        await bot.send_message(chat_id, last, reply_markup=markup_remove)

    async def _send_file(self, bot: Bot, chat_id: str, reply: Reply) -> None:
        file = reply.photo or reply.document
        assert file is not None  # noqa: S101 - the caller checked
        caption = reply.text if len(reply.text) <= MessageLimit.CAPTION_LENGTH else None
        markup = _inline_keyboard(reply.buttons, reply.columns) if reply.buttons else None
        # A file Telegram already keeps (one a person sent) goes again by its id.
        upload: InputFile | str = (file.file_id if file.file_id is not None
                                   else InputFile(file.content, filename=file.filename))
        kind = "photo" if reply.photo is not None else (
            file.kind if file.file_id is not None else "document")
        if kind == "photo":
            sent = await bot.send_photo(chat_id, upload, caption=caption, reply_markup=markup)
        elif kind == "voice":
            sent = await bot.send_voice(chat_id, upload, caption=caption, reply_markup=markup)
        elif kind == "audio":
            sent = await bot.send_audio(chat_id, upload, caption=caption, reply_markup=markup)
        elif kind == "video":
            sent = await bot.send_video(chat_id, upload, caption=caption, reply_markup=markup)
        elif kind == "video_note":
            caption = None  # a round video takes no caption: the text follows on its own
            sent = await bot.send_video_note(chat_id, upload, reply_markup=markup)
        else:
            sent = await bot.send_document(chat_id, upload, caption=caption, reply_markup=markup)
        if caption is None and reply.text:
            await bot.send_message(chat_id, reply.text[:MessageLimit.MAX_TEXT_LENGTH])
        if markup is not None:
            self._remember_keyboard(chat_id, sent.message_id)

    def _remember_keyboard(self, chat_id: str, message_id: int) -> None:
        self._keyboards[chat_id] = message_id
        self._keyboards.move_to_end(chat_id)
        while len(self._keyboards) > KEYBOARDS_REMEMBERED:
            self._keyboards.popitem(last=False)

    async def _strip_keyboard(self, bot: Bot, chat_id: str) -> None:
        message_id = self._keyboards.pop(chat_id, None)
        if message_id is None:
            return
        with contextlib.suppress(TelegramError):
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)

    async def mark_chosen(self, bot: Bot, query: CallbackQuery) -> None:
        """Edit the message whose button was pressed: show the choice, drop the keyboard."""
        message = query.message
        if not isinstance(message, Message):
            return
        chat_id = str(message.chat.id)
        if self._keyboards.get(chat_id) == message.message_id:
            del self._keyboards[chat_id]
        label = None
        if message.reply_markup is not None:
            for row in message.reply_markup.inline_keyboard:
                for button in row:
                    if button.callback_data == query.data:
                        label = button.text
        try:
            if message.text is not None and label is not None:
                text = message.text_html + "\n\n" + f"➤ <b>{esc(label)}</b>"
                if len(text) <= MessageLimit.MAX_TEXT_LENGTH:
                    await bot.edit_message_text(text, chat_id, message.message_id,
                                                reply_markup=None)
                    return
            await bot.edit_message_reply_markup(chat_id, message.message_id, reply_markup=None)
        except TelegramError as exc:
            log.debug("could not edit the pressed message: %s", exc)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Run a turn for one update and send its replies after the commit."""
        bot = context.bot
        incoming = to_incoming(update, self.app.clock)
        if incoming is None:
            return
        query = update.callback_query
        if query is not None:
            with contextlib.suppress(TelegramError):
                await query.answer()

        async def deliver(replies: Sequence[Reply]) -> None:
            if query is not None:
                await self.mark_chosen(bot, query)
            for reply in replies:
                await self.send(bot, incoming.chat_id, reply)

        await self.app.dialog.handle(incoming, deliver)

    async def remember_account(self, bot: Bot) -> None:
        """Record the bot's username and deep-link form (known once getMe ran at start).

        Invitations are shown as links: the chat reads them from the database, and so does
        the command line, which runs in another process and never talks to Telegram.
        """
        username = bot.username
        link = ChannelLink(CHANNEL, username, f"https://t.me/{username}?start={PAYLOAD}")
        async with self.app.database.transaction() as conn:
            await self.app.dialog.services_for(conn).links.remember(link)

    def sender(self, bot: Bot) -> Callable[[str, Reply], Awaitable[None]]:
        """Return the outbox sender for this bot, turning Telegram errors into outcomes."""

        async def send(chat_id: str, reply: Reply) -> None:
            try:
                await self.send(bot, chat_id, reply)
            except RetryAfter as exc:
                retry = exc.retry_after
                seconds = retry.total_seconds() if isinstance(retry, timedelta) else float(retry)
                raise DeliveryError("flood control", retry_after=seconds) from exc
            except Forbidden as exc:
                raise DeliveryError(f"forbidden: {exc.message}", permanent=True) from exc
            except BadRequest as exc:
                raise DeliveryError(f"bad request: {exc.message}", permanent=True) from exc
            except NetworkError as exc:
                raise DeliveryError(f"network: {exc.message}") from exc

        return send


def build_application(
    app: App,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: bool = True,
) -> tuple[Application[Any, Any, Any, Any, Any, Any], TelegramChannel]:
    """Build the PTB Application for ``app`` (the only place it is built)."""
    settings = app.settings
    token = settings.telegram_token
    if token is None:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set")
    # Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after and the
    # like): the sender reads them either way, and the int form is deprecated since 22.2.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(token.value)
        .defaults(Defaults(tzinfo=settings.tz, parse_mode=ParseMode.HTML))
        .concurrent_updates(PerUserOrder())
    )
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if settings.telegram_api_base_url:
        root = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    if request is not None:
        builder = builder.request(request)
        builder = builder.get_updates_request(get_updates_request or request)
    application = builder.build()
    channel = TelegramChannel(app)
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(_on_error)
    dispatcher = OutboxDispatcher(app.database, app.clock, settings,
                                  {CHANNEL: channel.sender(application.bot)})

    async def drain_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
        await dispatcher.drain()

    async def scheduled(context: ContextTypes.DEFAULT_TYPE) -> None:
        await app.tick()

    async def housekeeping(context: ContextTypes.DEFAULT_TYPE) -> None:
        await app.housekeeping()

    job_queue = application.job_queue
    if job_queue is not None:
        job_kwargs = {"max_instances": 1, "coalesce": True}
        job_queue.run_repeating(drain_outbox, interval=OUTBOX_INTERVAL, first=0.5,
                                name="outbox", job_kwargs=job_kwargs)
        job_queue.run_repeating(scheduled, interval=JOBS_INTERVAL, first=5, name="jobs",
                                job_kwargs=job_kwargs)
        job_queue.run_repeating(housekeeping, interval=HOUSEKEEPING_INTERVAL, first=60,
                                name="housekeeping", job_kwargs=job_kwargs)
    return application, channel


async def publish_commands(bot: Bot) -> None:
    """Publish the command menu in Vietnamese (default) and English."""
    for language in ("vi", "en"):
        with translation(language):
            commands = [BotCommand(name, _(description)) for name, description in
                        PUBLISHED_COMMANDS]
        await bot.set_my_commands(commands, language_code=None if language == "vi" else language)


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("telegram error: %s", context.error, exc_info=context.error)


async def serve(settings: Settings, webhook: WebhookOptions | None,
                stop: asyncio.Event | None = None) -> None:
    """Serve Telegram until SIGINT/SIGTERM (or ``stop``), by polling or by webhook."""
    app = await App.open(settings)
    application, channel = build_application(app)
    stop_event = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop_event.set)
    try:
        async with application:
            await channel.remember_account(application.bot)
            await publish_commands(application.bot)
            updater = application.updater
            assert updater is not None  # noqa: S101 - built with an updater
            if webhook is None:
                await updater.start_polling(allowed_updates=["message", "callback_query"])
                log.info("serving Telegram by long polling")
            else:
                await updater.start_webhook(
                    listen=webhook.listen, port=webhook.port,
                    url_path=urlsplit(webhook.url).path.lstrip("/"),
                    webhook_url=webhook.url, secret_token=webhook.secret_token,
                    allowed_updates=["message", "callback_query"],
                )
                log.info("serving Telegram by webhook on %s:%s", webhook.listen, webhook.port)
            await application.start()
            await stop_event.wait()
            log.info("stopping")
            await updater.stop()
            await application.stop()
    finally:
        await app.close()
