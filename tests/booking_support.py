"""Helpers for the booking tests: settings, consent, a full booking, reading the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar

from bot.app import App
from bot.config import Settings
from bot.domain.booking import Booking, BookingStatus, WaitlistEntry
from bot.domain.messages import Incoming, InputKind, Reply
from bot.domain.users import Role
from bot.storage import bookings as booking_store
from bot.storage import users as user_store
from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, make_settings

OFFICE_PHONE = "0205 3812 345"
NAME = "Nguyễn Văn An"
PHONE = "0912345678"
CCCD = "079123456789"
ADDRESS = "Thôn Nà Pàn, xã Hoàng Văn Thụ"
TOPIC = "Đề nghị giải quyết tranh chấp đất đai ở thôn Nà Pàn"


def booking_settings(tmp_path: Path, *, capacity: int = 3, leader_capacity: int = 20,
                     bookings: dict[str, Any] | None = None,
                     leaders: list[dict[str, Any]] | None = None,
                     police: Sequence[str] = (), **extra: Any) -> Settings:
    """Return settings with one site, the chairman's day on the 15th, and the office phone."""
    data: dict[str, Any] = {
        "office": {"phone": OFFICE_PHONE},
        "sites": [{"id": "main", "name": "Trụ sở Tiếp công dân tỉnh Lạng Sơn",
                   "address": "Số 2 Hoàng Văn Thụ, phường Lương Văn Tri, Lạng Sơn",
                   "capacity": capacity, "slot_minutes": 30,
                   "sessions": ["07:30-11:30", "13:30-16:30"], "police": list(police)}],
        "leaders": leaders if leaders is not None else [
            {"id": "chairman", "title": "Chủ tịch UBND tỉnh", "day_of_month": 15,
             "registration_closes_day": 10, "site": "main", "capacity": leader_capacity,
             "sessions": ["07:30-11:30"], "slot_minutes": 30, "months_ahead": 2}],
        "bookings": bookings or {},
    }
    data.update(extra)
    return make_settings(tmp_path, data)


async def agree(bot: TelegramHarness, user: int, *, reminders: bool = True) -> None:
    """Start and answer the personal-data notice."""
    await bot.text(user, "/start")
    await bot.press(user, "Tôi đồng ý")
    await bot.press(user, "Có, gửi nhắc lịch" if reminders else "Không, cảm ơn")


async def give_identity(bot: TelegramHarness, user: int, *, name: str = NAME,
                        phone: str = PHONE) -> list[SentMessage]:
    """Answer the identity steps (reusing saved details when offered); return the review."""
    if "Lần trước ông/bà đã khai" in bot.last_text(user):
        return await bot.press(user, "Có, dùng lại")
    await bot.text(user, name)
    await bot.send(bot.api.contact_update(user, phone))
    await bot.text(user, CCCD)
    return await bot.text(user, ADDRESS)


async def book_regular(bot: TelegramHarness, user: int, *, day: str = "30/11",
                       time: str = "09:00", people: str = "Chỉ mình tôi",
                       topic: str = TOPIC) -> list[SentMessage]:
    """Book regular reception through the buttons; return what the confirmation sent."""
    await bot.press(user, "Đặt lịch tiếp công dân")
    await bot.press(user, "Tiếp thường xuyên")
    await bot.press(user, day)
    await bot.press(user, time)
    await bot.text(user, topic)
    await bot.press(user, "Không")
    if people.isdigit():
        await bot.text(user, people)
    else:
        await bot.press(user, people)
    await give_identity(bot, user)
    return await bot.press(user, "Xác nhận đặt lịch")


def ics_of(messages: Sequence[SentMessage]) -> Calendar:
    """Return the calendar file among ``messages``, parsed with icalendar."""
    for message in messages:
        if message.document is not None and message.document[0].endswith(".ics"):
            return Calendar.from_ical(message.document[1])
    raise AssertionError(f"no .ics among {[m.text[:40] for m in messages]}")


async def bookings_of(app: App, channel: str, user_id: str) -> list[Booking]:
    """Return every booking of a person, in time order (whatever the status)."""
    async with app.database.transaction() as conn:
        rows = await booking_store.person_bookings(
            conn, channel, user_id, since=datetime(2000, 1, 1, tzinfo=UTC),
            statuses=tuple(BookingStatus))
    return rows


async def wait_entry(app: App, entry_id: int) -> WaitlistEntry:
    """Return one waiting-list entry."""
    async with app.database.transaction() as conn:
        entry = await booking_store.get_wait(conn, entry_id)
    assert entry is not None
    return entry


async def set_role(app: App, user: int, role: Role, channel: str = "telegram") -> None:
    """Give a person who already wrote a role."""
    async with app.database.transaction() as conn:
        await user_store.set_role(conn, channel, str(user), role)


def incoming(user: str, text: str, now: datetime, channel: str = "telegram") -> Incoming:
    """Return what a typed line (or a /command) from ``user`` looks like to the core."""
    if text.startswith("/"):
        name, *args = text[1:].split()
        return Incoming(channel=channel, user_id=user, chat_id=user, kind=InputKind.COMMAND,
                        sent_at=now, text=text, command=name, args=tuple(args))
    return Incoming(channel=channel, user_id=user, chat_id=user, kind=InputKind.TEXT,
                    sent_at=now, text=text)


async def type_line(app: App, user: str, text: str) -> list[Reply]:
    """Run one turn for a typed line through the real Dialog; return its replies."""
    async def deliver(replies: Sequence[Reply]) -> None:
        return None

    return await app.dialog.handle(incoming(user, text, app.clock.now()), deliver)


def texts(replies: Sequence[Reply]) -> str:
    """Return the replies' texts joined."""
    return "\n".join(reply.text for reply in replies)
