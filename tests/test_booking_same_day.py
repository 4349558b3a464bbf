"""One active appointment a day: a second booking the same day is refused with a choice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.domain.booking import BookingKind, BookingRequest, Refused, Unbookable
from bot.domain.users import Role
from bot.services import Actor
from tests.booking_support import agree, book_regular, booking_settings, bookings_of
from tests.desk_support import AN, texts
from tests.harness import TelegramHarness, telegram_bot

CITIZEN = 8101


async def choose_time(bot: TelegramHarness, day: str, time: str) -> str:
    """Start a booking and choose ``day`` and ``time``; return what the bot answered."""
    await bot.press(CITIZEN, "Đặt lịch tiếp công dân")
    await bot.press(CITIZEN, "Tiếp thường xuyên")
    await bot.press(CITIZEN, day)
    return texts(await bot.press(CITIZEN, time))


async def test_a_second_booking_the_same_day_offers_to_keep_or_move_the_first(
        tmp_path: Path) -> None:
    """Choosing another time on a day already booked says when the appointment is and offers
    to keep it, move it to the new time, or choose another day; moving keeps one booking,
    keeping changes nothing; another day books normally."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN, day="30/11", time="09:00")
        [first] = await bookings_of(bot.app, "telegram", str(CITIZEN))
        offered = await choose_time(bot, "30/11", "10:00")
        labels = bot.buttons(CITIZEN)
        moved = texts(await bot.press(CITIZEN, "Đổi sang 10:00"))
        after_move = await bookings_of(bot.app, "telegram", str(CITIZEN))
        await choose_time(bot, "30/11", "13:30")
        kept = texts(await bot.press(CITIZEN, "Giữ lịch hẹn lúc 10:00"))
        after_keep = await bookings_of(bot.app, "telegram", str(CITIZEN))
        await choose_time(bot, "30/11", "14:00")
        days = texts(await bot.press(CITIZEN, "Chọn ngày khác"))
    assert "Ông/bà đã có lịch hẹn vào Thứ Hai, 30/11/2026 lúc 09:00" in offered
    assert first.code in offered
    assert "Mỗi người chỉ đặt một lịch hẹn trong một ngày" in offered
    assert labels[:3] == ["✅ Giữ lịch hẹn lúc 09:00", "🔁 Đổi sang 10:00", "📅 Chọn ngày khác"]
    assert "Lịch hẹn của ông/bà đã được chuyển" in moved
    assert [b.code for b in after_move] == [first.code]
    assert [b.slot.starts_at.astimezone(bot.app.settings.tz).strftime("%H:%M")
            for b in after_move] == ["10:00"]
    assert "được giữ nguyên" in kept
    assert after_keep == after_move
    assert "Ông/bà muốn đến ngày nào?" in days


async def test_the_service_refuses_a_second_active_booking_the_same_day(
        tmp_path: Path) -> None:
    """Booking through the service another time of a day already booked is refused with the
    booking that stands; a cancelled one no longer counts."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN, day="30/11", time="09:00")
        [first] = await bookings_of(bot.app, "telegram", str(CITIZEN))
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(
                conn, Actor("telegram", str(CITIZEN), Role.CITIZEN))
            user = await services.users.get("telegram", str(CITIZEN))
            assert user is not None
            later = (await services.bookings.slots(BookingKind.REGULAR, "main",
                                                   date(2026, 11, 30), None))[-1]
            request = BookingRequest(slot=later.key, topic="Hỏi thêm", people=1, identity=AN)
            refused = await services.bookings.book(user, request)
            await services.bookings.cancel(user, first.code)
            again = await services.bookings.book(user, request)
    assert isinstance(refused, Refused)
    assert refused.reason is Unbookable.ALREADY_BOOKED
    assert refused.existing is not None
    assert refused.existing.code == first.code
    assert not isinstance(again, Refused)
