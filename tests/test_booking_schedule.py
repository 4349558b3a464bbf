"""Leaders' days: generated from the rules, published, and changed by staff (role-checked)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.domain.booking import BookingStatus, CancelReason, DayStatus
from bot.domain.clock import FixedClock
from bot.domain.users import Role
from bot.services import Actor
from bot.storage import bookings as booking_store
from tests.booking_support import (
    agree,
    booking_settings,
    bookings_of,
    give_identity,
    ics_of,
    set_role,
)
from tests.harness import TelegramHarness, telegram_bot

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
STAFF = 901
CITIZEN = 902
SECOND = 903


def chairman(**values: Any) -> dict[str, Any]:
    """Return the chairman's reception rule with some values changed."""
    rule: dict[str, Any] = {"id": "chairman", "title": "Chủ tịch UBND tỉnh", "day_of_month": 15,
                            "registration_closes_day": 10, "site": "main", "capacity": 20,
                            "sessions": ["07:30-11:30"], "slot_minutes": 30,
                            "months_ahead": 2}
    rule.update(values)
    return rule


async def open_days(app: App) -> list[date]:
    """Return the leaders' days citizens may register for now."""
    async with app.database.transaction() as conn:
        views = await app.dialog.services_for(conn).bookings.open_leader_days()
    return [view.day for view in views]


async def book_leader_day(bot: TelegramHarness, user: int, day: str, time: str,
                          people: str = "2") -> None:
    """Book a leader's day through the buttons."""
    await agree(bot, user)
    await bot.press(user, "Đặt lịch tiếp công dân")
    await bot.press(user, day)
    await bot.press(user, time)
    await bot.text(user, "Đề nghị xem xét lại việc thu hồi đất")
    await bot.press(user, "Không")
    await bot.text(user, people)
    await give_identity(bot, user)
    await bot.press(user, "Xác nhận đặt lịch")


async def test_days_are_generated_ahead_around_tet_once(tmp_path: Path) -> None:
    """In January 2026 the day of February falls in Tết and becomes Monday 23/02, once."""
    settings = booking_settings(tmp_path, leaders=[chairman(months_ahead=1)])
    app = await App.open(settings, FixedClock(datetime(2026, 1, 20, 9, 0, tzinfo=ZONE)))
    try:
        first = await app.tick()
        again = await app.tick()
        days = await open_days(app)
        async with app.database.transaction() as conn:
            stored = await booking_store.days_from(conn, date(2026, 1, 1))
    finally:
        await app.close()
    assert first["bookings.schedule"] == 1  # 15/01 is past; February's day is new
    assert again["bookings.schedule"] == 0
    assert days == [date(2026, 2, 23)]
    assert stored[0].closes_on == date(2026, 2, 10)
    assert stored[0].rule_month == "2026-02"


async def test_labour_day_moves_the_day_of_the_first_to_the_next_working_day(
        tmp_path: Path) -> None:
    """A leader receiving on the 1st receives on Monday 04/05/2026 (30/4, 1/5, weekend)."""
    rule = chairman(day_of_month=1, registration_closes_working_days_before=3, months_ahead=1)
    del rule["registration_closes_day"]
    settings = booking_settings(tmp_path, leaders=[rule])
    app = await App.open(settings, FixedClock(datetime(2026, 4, 20, 9, 0, tzinfo=ZONE)))
    try:
        await app.tick()
        async with app.database.transaction() as conn:
            stored = await booking_store.days_from(conn, date(2026, 4, 20))
    finally:
        await app.close()
    assert [d.day for d in stored] == [date(2026, 5, 4)]
    # Three working days back: 29/04, 28/04, then past Giỗ Tổ's make-up Monday 27/04 to 24/04.
    assert stored[0].closes_on == date(2026, 4, 24)


async def test_an_unpublished_day_is_not_offered_until_staff_publish_it(tmp_path: Path) -> None:
    """With auto_publish off the day is hidden; staff are warned before the legal date; once
    published from /ngaytiep it is offered."""
    settings = booking_settings(tmp_path, leaders=[chairman(auto_publish=False)])
    async with telegram_bot(settings) as bot:
        await bot.text(STAFF, "/start")
        await set_role(bot.app, STAFF, Role.STAFF)
        hidden = await open_days(bot.app)
        await bot.app.tick()
        await bot.drain_outbox()
        quiet = [m.text for m in bot.api.sent_to(STAFF) if "chưa được công bố" in m.text]
        bot.clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=ZONE))
        await bot.app.tick()
        await bot.app.tick()
        await bot.drain_outbox()
        warned = [m.text for m in bot.api.sent_to(STAFF) if "chưa được công bố" in m.text]
        listing = await bot.text(STAFF, "/ngaytiep")
        await bot.press(STAFF, "15/12/2026")
        published = await bot.press(STAFF, "Công bố")
        shown = await open_days(bot.app)
    assert hidden == []
    assert quiet == []
    assert len(warned) == 1
    assert "chậm nhất ngày 08/12/2026" in warned[0]
    assert "chưa công bố" in listing[-1].text
    assert "Đã công bố: Thứ Ba, 15/12/2026" in published[0].text
    assert date(2026, 12, 15) in shown


async def test_citizens_cannot_change_reception_days(tmp_path: Path) -> None:
    """/ngaytiep is refused to a citizen, and the service refuses a citizen actor too."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        refused = await bot.text(CITIZEN, "/ngaytiep")
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(
                conn, Actor("telegram", str(CITIZEN), Role.CITIZEN))
            with pytest.raises(PermissionError):
                await services.bookings.cancel_day(1, "thử")
            with pytest.raises(PermissionError):
                await services.bookings.staff_days()
    assert "không có quyền dùng chức năng này" in refused[-1].text


async def test_postponing_a_day_moves_its_bookings_and_tells_everyone(tmp_path: Path) -> None:
    """Staff postpone 15/12 to 22/12 with a reason: bookings follow at the same time, each
    person is told through the outbox and can choose another time in one tap."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await bot.text(STAFF, "/start")
        await set_role(bot.app, STAFF, Role.LEADER)
        await book_leader_day(bot, CITIZEN, "15/12", "08:00")
        await book_leader_day(bot, SECOND, "15/12", "09:30")
        await bot.text(STAFF, "/ngaytiep")
        await bot.press(STAFF, "15/12/2026")
        await bot.press(STAFF, "Dời sang ngày khác")
        weekend = await bot.text(STAFF, "19/12")
        await bot.text(STAFF, "22/12")
        await bot.text(STAFF, "Lãnh đạo có chương trình công tác đột xuất")
        confirm = bot.last_text(STAFF)
        result = await bot.press(STAFF, "Xác nhận")
        moved = await bookings_of(bot.app, "telegram", str(CITIZEN))
        await bot.drain_outbox()
        notice = bot.last_text(CITIZEN)
        reopened = await bot.press(CITIZEN, "Chọn thời gian khác")
        async with bot.app.database.transaction() as conn:
            days = await booking_store.days_from(conn, date(2026, 12, 1))
    assert "ngày nghỉ (Thứ Bảy)" in weekend[-1].text
    assert "từ Thứ Ba, 15/12/2026 sang Thứ Ba, 22/12/2026" in confirm
    assert "2 người đã đặt lịch được chuyển và được báo" in result[0].text
    assert moved[0].slot.starts_at == datetime(2026, 12, 22, 8, 0, tzinfo=ZONE)
    assert moved[0].status is BookingStatus.BOOKED
    assert "được dời lại. Lý do: Lãnh đạo có chương trình công tác đột xuất" in notice
    assert "Thứ Ba, 22/12/2026, 08:00–08:30" in notice
    assert "Có thể hủy hoặc đổi" not in notice
    assert moved[0].code in reopened[-1].text
    assert "Đổi sang giờ khác" in " ".join(bot.buttons(CITIZEN))
    old = next(d for d in days if d.day == date(2026, 12, 15))
    new = next(d for d in days if d.day == date(2026, 12, 22))
    assert old.status is DayStatus.POSTPONED
    assert old.moved_to == new.id
    assert new.published_at is not None


async def test_cancelling_a_day_offers_another_date_in_one_tap(tmp_path: Path) -> None:
    """Staff cancel 15/12: bookings are cancelled, people told and offered the next day of the
    same leader, which books the same matter in one tap."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await bot.text(STAFF, "/start")
        await set_role(bot.app, STAFF, Role.STAFF)
        await book_leader_day(bot, CITIZEN, "15/12", "08:00", people="3")
        await bot.text(STAFF, "/ngaytiep")
        await bot.press(STAFF, "15/12/2026")
        await bot.press(STAFF, "Hủy ngày tiếp này")
        await bot.text(STAFF, "Lãnh đạo đi công tác")
        result = await bot.press(STAFF, "Xác nhận")
        await bot.drain_outbox()
        notice = bot.last_text(CITIZEN)
        choices = bot.buttons(CITIZEN)
        rebooked = await bot.press(CITIZEN, "15/01/2027")
        both = await bookings_of(bot.app, "telegram", str(CITIZEN))
    assert "1 người đã đặt lịch được báo" in result[0].text
    assert "bị hủy. Lý do: Lãnh đạo đi công tác" in notice
    assert choices[0] == "📅 Thứ Sáu, 15/01/2027 · còn 20 chỗ"
    assert choices[-1] == "📅 Đặt lịch tiếp thường xuyên"
    assert both[0].status is BookingStatus.CANCELLED
    assert both[0].cancel_reason is CancelReason.DAY_CANCELLED
    assert both[1].status is BookingStatus.BOOKED
    assert both[1].slot.starts_at == datetime(2027, 1, 15, 8, 0, tzinfo=ZONE)
    assert both[1].people == 3
    assert both[1].topic == both[0].topic
    assert ics_of(rebooked).walk("VEVENT")[0].decoded("DTSTART") == both[1].slot.starts_at


async def test_staff_add_a_day_and_are_warned_of_late_notice(tmp_path: Path) -> None:
    """An added day three working days ahead is offered, with a warning about Đ.24(4)."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await bot.text(STAFF, "/start")
        await set_role(bot.app, STAFF, Role.ADMIN)
        await bot.text(STAFF, "/ngaytiep")
        await bot.press(STAFF, "Thêm ngày tiếp")
        await bot.text(STAFF, "1/12")
        confirm = bot.last_text(STAFF)
        added = await bot.press(STAFF, "Xác nhận")
        days = await open_days(bot.app)
        duplicate_flow = await bot.press(STAFF, "Thêm ngày tiếp")
        await bot.text(STAFF, "1/12")
        duplicate = await bot.press(STAFF, "Xác nhận")
    assert "Thêm ngày Chủ tịch UBND tỉnh tiếp công dân vào Thứ Ba, 01/12/2026?" in confirm
    assert "Đã thêm: Thứ Ba, 01/12/2026" in added[0].text
    assert "chậm nhất ngày 23/11/2026"  # 24/11 is a day off in added[0].text
    assert date(2026, 12, 1) in days
    assert "Vui lòng gõ ngày" in duplicate_flow[-1].text
    assert "đã có lịch tiếp công dân vào ngày đó" in duplicate[0].text


async def test_many_people_on_a_leaders_day_alert_staff_once(tmp_path: Path) -> None:
    """Above leader_day_alert_people expected on one day, staff are alerted once."""
    settings = booking_settings(tmp_path, bookings={"leader_day_alert_people": 5})
    async with telegram_bot(settings) as bot:
        await bot.text(STAFF, "/start")
        await set_role(bot.app, STAFF, Role.STAFF)
        await book_leader_day(bot, CITIZEN, "15/12", "08:00", people="3")
        await bot.drain_outbox()
        before = [m.text for m in bot.api.sent_to(STAFF) if "Nhiều công dân" in m.text]
        await book_leader_day(bot, SECOND, "15/12", "08:30", people="3")
        await book_leader_day(bot, 904, "15/12", "09:00", people="2")
        await bot.drain_outbox()
        alerts = [m.text for m in bot.api.sent_to(STAFF) if "Nhiều công dân" in m.text]
    assert before == []
    assert len(alerts) == 1
    assert "Số người dự kiến: 6 (mức báo động: trên 5)" in alerts[0]
    assert "Thứ Ba, 15/12/2026" in alerts[0]


async def test_a_place_freed_on_a_full_leaders_day_goes_to_someone_waiting_at_another_time(
        tmp_path: Path) -> None:
    """A day of 2 places is full after two bookings; a cancellation at 07:30 offers the day's
    place to the person waiting at 09:00."""
    settings = booking_settings(tmp_path, leaders=[chairman(capacity=2)])
    async with telegram_bot(settings) as bot:
        await book_leader_day(bot, CITIZEN, "15/12", "07:30", people="1")
        await book_leader_day(bot, SECOND, "15/12", "08:00", people="1")
        await agree(bot, 904)
        await bot.press(904, "Đặt lịch tiếp công dân")
        full_day = bot.buttons(904)
        await bot.press(904, "15/12")
        times = bot.buttons(904)
        await bot.press(904, "09:00")
        await bot.press(904, "Ghi tên chờ")
        await bot.text(904, "Đề nghị xem xét lại việc thu hồi đất")
        await bot.press(904, "Không")
        await bot.press(904, "Chỉ mình tôi")
        await give_identity(bot, 904, name="Lê Văn Cường", phone="0911222333")
        await bot.press(904, "Ghi tên vào danh sách chờ")
        await bot.text(CITIZEN, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0].code
        await bot.press(CITIZEN, code)
        await bot.press(CITIZEN, "Hủy lịch hẹn")
        await bot.press(CITIZEN, "Có, hủy lịch")
        await bot.drain_outbox()
        offer = bot.last_text(904)
        await bot.press(904, "Có, tôi nhận chỗ này")
        taken = await bookings_of(bot.app, "telegram", "904")
    assert any("15/12 · hết chỗ" in label for label in full_day)
    assert times[:3] == ["07:30 · hết chỗ", "08:00 · hết chỗ", "08:30 · hết chỗ"]
    assert "Thứ Ba, 15/12/2026, 09:00–09:30" in offer
    assert taken[0].slot.starts_at == datetime(2026, 12, 15, 9, 0, tzinfo=ZONE)
