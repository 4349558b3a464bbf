"""Booking through the terminal channel: typed answers, the calendar file, notifications."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.domain.booking import BookingKind, BookingStatus
from bot.domain.clock import FixedClock
from tests.booking_support import ADDRESS, CCCD, booking_settings, bookings_of
from tests.harness import TerminalHarness, terminal_bot

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def type_all(bot: TerminalHarness, *lines: str) -> str:
    """Type lines one after another; return what the last one printed."""
    out = ""
    for line in lines:
        out = await bot.type(line)
    return out


async def test_a_regular_booking_in_the_terminal_saves_the_calendar_file(
        tmp_path: Path) -> None:
    """Typed answers, without diacritics, book regular reception and save the .ics file."""
    async with terminal_bot(booking_settings(tmp_path)) as bot:
        await type_all(bot, "/start", "1", "1")
        menu_kinds = await bot.type("dat lich")
        days = await bot.type("thuong xuyen")
        times = await bot.type("thu ba")
        await type_all(bot, "10h", "Xin hỏi về việc cấp giấy chứng nhận quyền sử dụng đất",
                       "khong", "2", "Nguyen Van An", "/contact 0912345678", CCCD)
        review = await bot.type(ADDRESS)
        done = await bot.type("xac nhan")
        booked = await bookings_of(bot.app, "terminal", "1")
    assert "1. 🏢 Tiếp thường xuyên" in menu_kinds
    assert "Chủ tịch UBND tỉnh · Thứ Ba 15/12 · còn 20 chỗ" in menu_kinds
    assert "1. Thứ Năm 26/11 · còn 36 chỗ" in days
    assert "Tiếp thường xuyên ngày Thứ Ba, 01/12/2026" in times
    assert "Số người đến: 2" in review
    assert "Lịch hẹn của ông/bà đã được đặt" in done
    assert booked[0].slot.starts_at == datetime(2026, 12, 1, 10, 0, tzinfo=ZONE)
    assert booked[0].people == 2
    saved = next(line for line in done.splitlines() if ".ics" in line)
    path = Path(saved.split(": ", 1)[1].rstrip("]"))
    event = Calendar.from_ical(await asyncio.to_thread(path.read_bytes)).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime(2026, 12, 1, 10, 0, tzinfo=ZONE)
    assert booked[0].code in str(event["SUMMARY"])


async def test_a_leaders_day_in_the_terminal_with_a_reminder_answered_by_bam(
        tmp_path: Path) -> None:
    """A leader's day booked by typing its date; the reminder prints with buttons, /bam a
    answers «I will come»."""
    async with terminal_bot(booking_settings(tmp_path)) as bot:
        await type_all(bot, "/start", "1", "1", "dat lich")
        times = await bot.type("15/12")
        await type_all(bot, "7h30", "Đề nghị xem xét đơn khiếu nại", "khong", "1",
                       "Nguyen Van An", "0912345678", CCCD, ADDRESS, "xac nhan")
        booked = await bookings_of(bot.app, "terminal", "1")
        assert isinstance(bot.app.clock, FixedClock)
        bot.app.clock.set(datetime(2026, 12, 14, 16, 0, tzinfo=ZONE))
        reminder = await bot.type("/trogiup")
        answered = await bot.type("/bam a")
        after = await bookings_of(bot.app, "terminal", "1")
    assert "Chủ tịch UBND tỉnh tiếp công dân ngày Thứ Ba, 15/12/2026" in times
    assert booked[0].kind is BookingKind.LEADER
    assert booked[0].slot.starts_at == datetime(2026, 12, 15, 7, 30, tzinfo=ZONE)
    assert "🔔 Thông báo:" in reminder
    assert "ngày làm việc tới" in reminder
    assert "[a] ✅ Tôi sẽ đến" in reminder
    assert "Hẹn gặp ông/bà lúc 07:30 ngày Thứ Ba, 15/12/2026" in answered
    assert after[0].confirmed_at is not None
    assert after[0].status is BookingStatus.BOOKED


async def test_a_waiting_list_offer_prints_in_the_waiting_users_own_session(
        tmp_path: Path) -> None:
    """When user 1 cancels, the offer for user 2 is not printed in user 1's session; it waits
    and prints, with its buttons, when user 2's session starts, and /bam a takes the place."""
    async with terminal_bot(booking_settings(tmp_path, capacity=1)) as first:
        second = TerminalHarness(first.app, "2")
        await type_all(first, "/start", "1", "1", "dat lich", "thuong xuyen", "30/11", "9h",
                       "Hỏi về việc cấp giấy chứng nhận quyền sử dụng đất", "khong", "1",
                       "Nguyen Van An", "/contact 0912345678", CCCD, ADDRESS, "xac nhan")
        waiting = await type_all(second, "/start", "1", "1", "dat lich", "thuong xuyen",
                                 "30/11", "9h", "co", "Hỏi về tiến độ giải quyết đơn", "khong",
                                 "1", "Tran Thi Binh", "/contact 0987654321", "079123456780",
                                 ADDRESS, "xac nhan")
        cancelled = await type_all(first, "/lichhen", "1", "huy lich", "co")
        await second.channel.run()  # a new session of user 2: stdin is empty, so it only starts
        offer = second.out.getvalue()[-1500:]
        taken = await second.type("/bam a")
        booked = await bookings_of(first.app, "terminal", "2")
    assert "danh sách chờ" in waiting
    assert "đã được hủy" in cancelled
    assert "vừa có một chỗ trống" not in cancelled
    assert "🔔 Thông báo:" in offer
    assert "vừa có một chỗ trống" in offer
    assert "[a] ✅ Có, tôi nhận chỗ này" in offer
    assert "[b] ✖️ Không, cảm ơn" in offer
    assert "Lịch hẹn của ông/bà đã được đặt" in taken
    assert [b.status for b in booked] == [BookingStatus.BOOKED]
