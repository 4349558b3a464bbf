"""The scheduled job sends reminders and waiting-list offers (driven by a fixed clock)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.booking import BookingStatus, CancelReason, WaitStatus
from bot.storage import outbox as outbox_store
from tests.booking_support import (
    agree,
    book_regular,
    booking_settings,
    bookings_of,
    give_identity,
    wait_entry,
)
from tests.harness import TelegramHarness, telegram_bot

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
REMINDED = 601
NOT_REMINDED = 602
WAITING = 603
LATER = 604


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a local time in late November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


async def reminders_to(bot: TelegramHarness, user: int) -> list[str]:
    """Return the reminder texts the person received."""
    return [m.text for m in bot.api.sent_to(user) if "Nhắc lịch" in m.text]


async def join_waitlist(bot: TelegramHarness, user: int, name: str, phone: str) -> None:
    """Put ``user`` on the waiting list of Monday 30/11 at 09:00 (a full slot)."""
    await agree(bot, user)
    await bot.press(user, "Đặt lịch tiếp công dân")
    await bot.press(user, "Tiếp thường xuyên")
    await bot.press(user, "30/11")
    await bot.press(user, "09:00")
    await bot.press(user, "Ghi tên chờ")
    await bot.text(user, "Hỏi về tiến độ giải quyết đơn")
    await bot.press(user, "Không")
    await bot.press(user, "Chỉ mình tôi")
    await give_identity(bot, user, name=name, phone=phone)
    await bot.press(user, "Ghi tên vào danh sách chờ")


async def test_reminders_go_the_working_day_before_and_the_morning_to_consenting_people(
        tmp_path: Path) -> None:
    """Friday 16:00 and Monday 06:30 reminders reach only people who agreed to reminders."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, REMINDED)
        await book_regular(bot, REMINDED, day="30/11", time="09:00")
        await agree(bot, NOT_REMINDED, reminders=False)
        confirmation = await book_regular(bot, NOT_REMINDED, day="30/11", time="10:00")
        bot.clock.set(at(27, 15, 59))
        early = await bot.app.tick()
        await bot.drain_outbox()
        none_yet = await reminders_to(bot, REMINDED)
        bot.clock.set(at(27, 16, 0))
        await bot.app.tick()
        await bot.app.tick()
        await bot.drain_outbox()
        day_before = await reminders_to(bot, REMINDED)
        buttons = bot.buttons(REMINDED)
        thanks = await bot.press(REMINDED, "Tôi sẽ đến")
        bot.clock.set(at(30, 6, 30))
        await bot.app.tick()
        await bot.drain_outbox()
        both = await reminders_to(bot, REMINDED)
        skipped = await reminders_to(bot, NOT_REMINDED)
        booking = (await bookings_of(bot.app, "telegram", str(REMINDED)))[0]
    assert early["bookings.reminders"] == 0
    assert none_yet == []
    assert len(day_before) == 1
    assert "ngày làm việc tới" in day_before[0]
    assert "Thứ Hai, 30/11/2026, 09:00–09:30" in day_before[0]
    assert buttons == ["✅ Tôi sẽ đến", "❌ Tôi không đến được"]
    assert "Hẹn gặp ông/bà lúc 09:00 ngày Thứ Hai, 30/11/2026" in thanks[-1].text
    assert booking.confirmed_at is not None
    assert len(both) == 2
    assert "hôm nay ông/bà có lịch hẹn" in both[1]
    assert skipped == []
    assert "không nhận nhắc lịch" in confirmation[0].text


async def test_i_cannot_come_frees_the_place_even_after_the_cut_off_and_offers_it(
        tmp_path: Path) -> None:
    """«I cannot come» on the morning reminder cancels and offers the place to the waitlist;
    a stale «I will come» afterwards is answered clearly and changes nothing."""
    async with telegram_bot(booking_settings(tmp_path, capacity=1)) as bot:
        await agree(bot, REMINDED)
        await book_regular(bot, REMINDED, day="30/11", time="09:00")
        await join_waitlist(bot, WAITING, "Trần Thị Bình", "0987654321")
        bot.clock.set(at(30, 6, 30))
        await bot.app.tick()
        await bot.drain_outbox()
        morning = bot.api.last_to(REMINDED)
        come = next(b["callback_data"] for b in morning.inline_buttons()
                    if "sẽ đến" in b["text"])
        bot.clock.set(at(30, 7, 30))  # past the 2-hour cut-off of the 09:00 appointment
        cancelled = await bot.press(REMINDED, "Tôi không đến được")
        booking = (await bookings_of(bot.app, "telegram", str(REMINDED)))[0]
        stale = await bot.send(bot.api.callback_update(REMINDED, morning, come))
        after_stale = (await bookings_of(bot.app, "telegram", str(REMINDED)))[0]
        await bot.drain_outbox()
        offer = bot.last_text(WAITING)
    assert "đã được hủy và chỗ này sẽ dành cho người khác" in cancelled[-1].text
    assert booking.status is BookingStatus.CANCELLED
    assert booking.cancel_reason is CancelReason.CANNOT_COME
    assert "đã được hủy trước đó nên không còn gì để thay đổi" in stale[-1].text
    assert after_stale.status is BookingStatus.CANCELLED
    assert after_stale.confirmed_at is None
    assert "vừa có một chỗ trống" in offer


async def test_an_offer_nobody_takes_in_time_passes_to_the_next_person(tmp_path: Path) -> None:
    """After waitlist_offer_minutes the job expires the offer, says so, and offers the next."""
    settings = booking_settings(tmp_path, capacity=1, bookings={"waitlist_offer_minutes": 60})
    async with telegram_bot(settings) as bot:
        await agree(bot, REMINDED)
        await book_regular(bot, REMINDED, day="30/11", time="09:00")
        await join_waitlist(bot, WAITING, "Trần Thị Bình", "0987654321")
        await join_waitlist(bot, LATER, "Lê Văn Cường", "0911222333")
        await bot.text(REMINDED, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", str(REMINDED)))[0].code
        await bot.press(REMINDED, code)
        await bot.press(REMINDED, "Hủy lịch hẹn")
        await bot.press(REMINDED, "Có, hủy lịch")
        await bot.drain_outbox()
        first_offer = bot.api.last_to(WAITING)
        take = next(b["callback_data"] for b in first_offer.inline_buttons()
                    if "tôi nhận chỗ này" in b["text"])
        not_yet = await bot.app.tick()
        bot.clock.advance(timedelta(minutes=59))
        still = await bot.app.tick()
        bot.clock.advance(timedelta(minutes=1))
        expired = await bot.app.tick()
        await bot.drain_outbox()
        told = bot.last_text(WAITING)
        second_offer = bot.last_text(LATER)
        late = await bot.send(bot.api.callback_update(WAITING, first_offer, take))
        taken = await bot.press(LATER, "Có, tôi nhận chỗ này")
        async with bot.app.database.transaction() as conn:
            entries = await outbox_store.all_messages(conn)
        waiting_entry = await wait_entry(bot.app, 1)
        later_bookings = await bookings_of(bot.app, "telegram", str(LATER))
    assert not_yet["bookings.waitlist"] == 0
    assert still["bookings.waitlist"] == 0
    assert expired["bookings.waitlist"] == 1
    assert "hết thời hạn nhận" in told
    assert "vừa có một chỗ trống" in second_offer
    assert "thời hạn giữ chỗ đã hết" in late[-1].text
    assert waiting_entry.status is WaitStatus.EXPIRED
    assert "Lịch hẹn của ông/bà đã được đặt" in taken[0].text
    assert [b.status for b in later_bookings] == [BookingStatus.BOOKED]
    assert sum(1 for m in entries if m.kind == "booking.waitlist_offer") == 2


async def test_waiting_for_a_slot_that_begins_ends_with_a_kind_word(tmp_path: Path) -> None:
    """When the slot begins and no place freed, the person waiting is told and let go."""
    async with telegram_bot(booking_settings(tmp_path, capacity=1)) as bot:
        await agree(bot, REMINDED)
        await book_regular(bot, REMINDED, day="30/11", time="09:00")
        await join_waitlist(bot, WAITING, "Trần Thị Bình", "0987654321")
        bot.clock.set(at(30, 9, 0))
        done = await bot.app.tick()
        await bot.drain_outbox()
        told = bot.last_text(WAITING)
        entry = await wait_entry(bot.app, 1)
    assert done["bookings.waitlist"] == 1
    assert "không có chỗ trống nào" in told
    assert entry.status is WaitStatus.LAPSED


async def test_a_typed_yes_or_no_answers_the_latest_open_offer(tmp_path: Path) -> None:
    """At the menu «không» gives an offered place back and «có» takes it, checked as the
    buttons are; with no offer of one's own open, «có» is only the menu's hint."""
    other = 605
    async with telegram_bot(booking_settings(tmp_path, capacity=1)) as bot:
        await agree(bot, REMINDED)
        await book_regular(bot, REMINDED, day="30/11", time="09:00")
        await join_waitlist(bot, WAITING, "Trần Thị Bình", "0987654321")
        await join_waitlist(bot, LATER, "Lê Văn Cường", "0911222333")
        await agree(bot, other)
        await bot.text(REMINDED, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", str(REMINDED)))[0].code
        await bot.press(REMINDED, code)
        await bot.press(REMINDED, "Hủy lịch hẹn")
        await bot.press(REMINDED, "Có, hủy lịch")
        await bot.drain_outbox()
        offer = bot.last_text(WAITING)
        stranger = await bot.text(other, "có")
        declined = await bot.text(WAITING, "không")
        await bot.drain_outbox()
        taken = await bot.text(LATER, "co")
        again = await bot.text(WAITING, "có")
        waiting_entry = await wait_entry(bot.app, 1)
        later_bookings = await bookings_of(bot.app, "telegram", str(LATER))
        stranger_bookings = await bookings_of(bot.app, "telegram", str(other))
    assert "Ông/bà có muốn nhận chỗ này không?" in offer
    assert "vui lòng chọn một mục bên dưới" in stranger[-1].text
    assert stranger_bookings == []
    assert "Cảm ơn ông/bà đã báo. Chỗ này sẽ chuyển cho người chờ tiếp theo" in declined[0].text
    assert waiting_entry.status is WaitStatus.DECLINED
    assert "Lịch hẹn của ông/bà đã được đặt" in taken[0].text
    assert [b.status for b in later_bookings] == [BookingStatus.BOOKED]
    assert later_bookings[0].slot.starts_at == at(30, 9)
    assert "vui lòng chọn một mục bên dưới" in again[-1].text
