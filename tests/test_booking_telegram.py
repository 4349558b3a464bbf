"""Booking end to end through the Telegram channel (offline fake Bot API), in Vietnamese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.booking import BookingKind, BookingStatus, CancelReason
from bot.domain.users import Role
from tests.booking_support import (
    CCCD,
    TOPIC,
    agree,
    book_regular,
    booking_settings,
    bookings_of,
    give_identity,
    ics_of,
    set_role,
)
from tests.desk_support import petition, submit
from tests.harness import telegram_bot

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CITIZEN = 501
SECOND = 502
STAFF = 510
POLICE = 520
POLICE_GROUP = -100777


async def test_regular_booking_end_to_end_gives_a_code_and_a_calendar_file(
        tmp_path: Path) -> None:
    """A citizen books regular reception with buttons and gets a code and a valid .ics."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await bot.press(CITIZEN, "Đặt lịch tiếp công dân")
        kinds = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "Tiếp thường xuyên")
        days = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "30/11")
        times = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "09:00")
        await bot.text(CITIZEN, TOPIC)
        await bot.press(CITIZEN, "Không")
        await bot.press(CITIZEN, "Chỉ mình tôi")
        review = await give_identity(bot, CITIZEN)
        sent = await bot.press(CITIZEN, "Xác nhận đặt lịch")
        booked = await bookings_of(bot.app, "telegram", str(CITIZEN))
    assert "Tiếp thường xuyên" in kinds[0]
    assert any("Chủ tịch UBND tỉnh" in label and "15/12" in label for label in kinds)
    assert days[0] == "Thứ Năm 26/11 · còn 36 chỗ"  # 08:00 today is past: 12 slots of 3
    assert "Thứ Hai 30/11 · còn 42 chỗ" in days
    assert "09:00 · còn 3 chỗ" in times
    assert "Ông/bà vui lòng kiểm tra lại lịch hẹn" in review[-1].text
    assert CCCD not in review[-1].text
    assert "0791******89" in review[-1].text
    assert len(booked) == 1
    booking = booked[0]
    assert booking.status is BookingStatus.BOOKED
    assert booking.kind is BookingKind.REGULAR
    assert booking.slot.starts_at == datetime(2026, 11, 30, 9, 0, tzinfo=ZONE)
    confirmation = next(m for m in sent if m.document is not None)
    assert "Lịch hẹn của ông/bà đã được đặt" in confirmation.text
    assert booking.code in confirmation.text
    assert "Thứ Hai, 30/11/2026, 09:00–09:30" in confirmation.text
    assert "mang theo thẻ căn cước" in confirmation.text
    event = ics_of(sent).walk("VEVENT")[0]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 11, 30, 9, 0, tzinfo=ZONE)
    assert end == datetime(2026, 11, 30, 9, 30, tzinfo=ZONE)
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh"
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert "Số 2 Hoàng Văn Thụ" in str(event["LOCATION"])
    assert booking.code in str(event["SUMMARY"])
    assert str(event["UID"]) == f"{booking.code}@tiepdan"
    assert CCCD not in ics_of(sent).to_ical().decode()


async def test_leaders_day_mass_delegation_alerts_staff_and_police_without_cccd(
        tmp_path: Path) -> None:
    """A 12-person delegation books the chairman's day with representatives; staff and the
    police liaison are alerted with date, people, commune and topic, never a CCCD number."""
    settings = booking_settings(tmp_path, police=[f"telegram:{POLICE_GROUP}"])
    async with telegram_bot(settings) as bot:
        for user, role in ((STAFF, Role.STAFF), (POLICE, Role.POLICE)):
            await bot.text(user, "/start")
            await set_role(bot.app, user, role)
        await agree(bot, CITIZEN)
        await bot.press(CITIZEN, "Đặt lịch tiếp công dân")
        await bot.press(CITIZEN, "15/12")
        times = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "08:00")
        await bot.text(CITIZEN, "Đề nghị bồi thường giải phóng mặt bằng đường tránh")
        await bot.press(CITIZEN, "Không")
        group = await bot.text(CITIZEN, "12")
        law = await bot.text(CITIZEN, "hoang van thu")
        too_many = await bot.text(
            CITIZEN, "An 0912345671, Bình 0912345672, Chi 0912345673, Dũng 0912345674, "
                     "Én 0912345675, Phúc 0912345676")
        await bot.text(CITIZEN, "Nguyễn Văn An 0912345671\nTrần Thị Bình 0912345672")
        await bot.press(CITIZEN, "Đủ rồi")
        review = await give_identity(bot, CITIZEN)
        sent = await bot.press(CITIZEN, "Xác nhận đặt lịch")
        booked = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0]
        await bot.drain_outbox()
        staff_alert = bot.last_text(STAFF)
        police_alert = bot.last_text(POLICE)
        group_alert = bot.last_text(POLICE_GROUP)
        bot.clock.set(datetime(2026, 12, 15, 0, 30, tzinfo=UTC))  # 07:30 on the day
        await bot.text(STAFF, "/hangdoi")
        card = "\n".join(m.text for m in await bot.press(STAFF, "⋯ 1"))
    assert "07:30 · còn 3 chỗ" in times
    # The queue card names the representatives, phones masked.
    assert "Nguyễn Văn An, 0912***671" in card
    assert "Trần Thị Bình, 0912***672" in card
    assert "đoàn đông người" in group[0].text
    assert "tối đa 5 người" in law[-1].text
    assert "tối đa 5 người đại diện; danh sách này sẽ có 6 người" in too_many[-1].text
    assert "Chưa ghi thêm người nào" in too_many[-1].text
    assert "Nguyễn Văn An, 0912***671" in review[-1].text
    assert "Xã Hoàng Văn Thụ" in review[-1].text
    assert booked.kind is BookingKind.LEADER
    assert booked.people == 12
    assert [r.full_name for r in booked.representatives] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert booked.commune_name == "Xã Hoàng Văn Thụ"
    assert "Chủ tịch UBND tỉnh tiếp công dân" in sent[0].text
    assert "văn bản cử người đại diện" in sent[0].text
    for alert in (staff_alert, police_alert, group_alert):
        assert "Có đoàn đông người đăng ký" in alert
        assert "Thứ Ba, 15/12/2026, 08:00–08:30" in alert
        assert "Số người dự kiến: 12" in alert
        assert "Xã Hoàng Văn Thụ" in alert
        assert "bồi thường giải phóng mặt bằng" in alert
        assert booked.code in alert
        assert CCCD not in alert
        assert "0791" not in alert
        assert "******" not in alert


async def test_cancelling_from_my_appointments_frees_the_place(tmp_path: Path) -> None:
    """«Lịch hẹn của tôi» cancels an appointment before the cut-off, after a confirmation."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN)
        code = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0].code
        listing = await bot.text(CITIZEN, "/lichhen")
        details = await bot.press(CITIZEN, code)
        await bot.press(CITIZEN, "Hủy lịch hẹn")
        done = await bot.press(CITIZEN, "Có, hủy lịch")
        booking = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0]
        again = await bot.text(CITIZEN, "/lichhen")
    assert "Các lịch hẹn sắp tới" in listing[-1].text
    assert "Ông/bà có thể hủy hoặc đổi lịch đến 07:00 ngày 30/11/2026" in details[-1].text
    assert f"Lịch hẹn {code} đã được hủy" in done[0].text
    assert booking.status is BookingStatus.CANCELLED
    assert booking.cancel_reason is CancelReason.CITIZEN
    assert "chưa có lịch hẹn nào sắp tới" in again[-1].text


async def test_moving_an_appointment_is_one_step_and_updates_the_calendar_event(
        tmp_path: Path) -> None:
    """Moving keeps the code and calendar UID, raises the sequence, and frees the old time."""
    async with telegram_bot(booking_settings(tmp_path, capacity=1)) as bot:
        await agree(bot, CITIZEN)
        first = await book_regular(bot, CITIZEN, day="30/11", time="09:00")
        await bot.text(CITIZEN, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0].code
        await bot.press(CITIZEN, code)
        await bot.press(CITIZEN, "Đổi sang giờ khác")
        await bot.text(CITIZEN, "1/12")
        moved = await bot.press(CITIZEN, "14:00")
        booking = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0]
        await agree(bot, SECOND)
        await bot.press(SECOND, "Đặt lịch tiếp công dân")
        await bot.press(SECOND, "Tiếp thường xuyên")
        await bot.press(SECOND, "30/11")
        freed = bot.buttons(SECOND)
    old_event = ics_of(first).walk("VEVENT")[0]
    new_event = ics_of(moved).walk("VEVENT")[0]
    assert "Lịch hẹn của ông/bà đã được chuyển" in moved[0].text
    assert booking.code == code
    assert booking.sequence == 1
    assert booking.slot.starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=ZONE)
    assert str(new_event["UID"]) == str(old_event["UID"])
    assert new_event.decoded("SEQUENCE") == 1
    assert new_event.decoded("DTSTART") == datetime(2026, 12, 1, 14, 0, tzinfo=ZONE)
    assert "09:00 · còn 1 chỗ" in freed


async def test_a_waitlist_offer_is_sent_and_taken(tmp_path: Path) -> None:
    """A full slot offers the waiting list; a cancellation offers the place; tapping takes it."""
    async with telegram_bot(booking_settings(tmp_path, capacity=1)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN)
        await agree(bot, SECOND)
        await bot.press(SECOND, "Đặt lịch tiếp công dân")
        await bot.press(SECOND, "Tiếp thường xuyên")
        await bot.press(SECOND, "30/11")
        full = bot.buttons(SECOND)
        offer_to_wait = await bot.press(SECOND, "09:00")
        await bot.press(SECOND, "Ghi tên chờ")
        await bot.text(SECOND, "Hỏi về tiến độ giải quyết đơn")
        await bot.press(SECOND, "Không")
        await bot.press(SECOND, "Chỉ mình tôi")
        review = await give_identity(bot, SECOND, name="Trần Thị Bình", phone="0987654321")
        joined = await bot.press(SECOND, "Ghi tên vào danh sách chờ")
        assert await bookings_of(bot.app, "telegram", str(SECOND)) == []
        await bot.text(CITIZEN, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0].code
        await bot.press(CITIZEN, code)
        await bot.press(CITIZEN, "Hủy lịch hẹn")
        await bot.press(CITIZEN, "Có, hủy lịch")
        await bot.drain_outbox()
        offer_message = bot.api.last_to(SECOND)
        offer = offer_message.text
        take = next(b["callback_data"] for b in offer_message.inline_buttons()
                    if "tôi nhận chỗ này" in b["text"])
        taken = await bot.press(SECOND, "Có, tôi nhận chỗ này")
        booked = await bookings_of(bot.app, "telegram", str(SECOND))
        again = await bot.send(bot.api.callback_update(SECOND, offer_message, take))
    assert "09:00 · hết chỗ" in full
    assert "đã hết chỗ" in offer_to_wait[-1].text
    assert "danh sách chờ" in offer_to_wait[-1].text
    assert "kiểm tra lại thông tin ghi tên chờ" in review[-1].text
    assert "danh sách chờ</b> (số thứ tự 1)" in joined[0].html
    assert "vừa có một chỗ trống" in offer
    assert "Thứ Hai, 30/11/2026, 09:00–09:30" in offer
    assert "giữ chỗ cho ông/bà đến" in offer
    assert len(booked) == 1
    assert booked[0].status is BookingStatus.BOOKED
    assert booked[0].slot.starts_at == datetime(2026, 11, 30, 9, 0, tzinfo=ZONE)
    assert booked[0].identity.full_name == "Trần Thị Bình"
    assert ics_of(taken).walk("VEVENT")[0].decoded("DTSTART") == booked[0].slot.starts_at
    assert "Lời mời giữ chỗ này đã được trả lời rồi" in again[-1].text
    assert len(booked) == 1


async def test_typed_answers_without_diacritics_book_through_telegram(tmp_path: Path) -> None:
    """Typed words without accents choose the kind, the day, the time and the people."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await bot.text(CITIZEN, "dat lich")
        await bot.text(CITIZEN, "thuong xuyen")
        await bot.text(CITIZEN, "thu hai")
        await bot.text(CITIZEN, "9h30")
        await bot.text(CITIZEN, "Hoi ve tien do giai quyet don")
        await bot.text(CITIZEN, "khong")
        await bot.text(CITIZEN, "chi minh toi")
        await give_identity(bot, CITIZEN)
        await bot.text(CITIZEN, "xac nhan")
        booked = await bookings_of(bot.app, "telegram", str(CITIZEN))
    assert len(booked) == 1
    assert booked[0].slot.starts_at == datetime(2026, 11, 30, 9, 30, tzinfo=ZONE)
    assert booked[0].people == 1


async def test_the_rest_of_today_is_offered_and_past_times_are_not(tmp_path: Path) -> None:
    """At 15:10 only the 15:30 and 16:00 slots of today are offered; once they have passed,
    «hôm nay» is told that today's reception hours are over and offered the next day."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        bot.clock.set(datetime(2026, 11, 26, 15, 10, tzinfo=ZONE))
        await agree(bot, CITIZEN)
        await bot.press(CITIZEN, "Đặt lịch tiếp công dân")
        await bot.press(CITIZEN, "Tiếp thường xuyên")
        days = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "26/11")
        times = bot.buttons(CITIZEN)
        bot.clock.set(datetime(2026, 11, 26, 16, 30, tzinfo=ZONE))
        await bot.press(CITIZEN, "Quay lại")
        later = bot.buttons(CITIZEN)
        passed = await bot.text(CITIZEN, "hôm nay")
        bot.clock.set(datetime(2026, 11, 26, 15, 50, tzinfo=ZONE))
        await bot.press(CITIZEN, "Quay lại")
        await bot.press(CITIZEN, "Tiếp thường xuyên")
        bot.clock.set(datetime(2026, 11, 26, 16, 5, tzinfo=ZONE))
        ended = await bot.press(CITIZEN, "26/11")
        none_left = await bot.press(CITIZEN, "Chọn ngày khác")
    assert days[0] == "Thứ Năm 26/11 · còn 6 chỗ"
    assert times == ["15:30 · còn 3 chỗ", "16:00 · còn 3 chỗ", "⬅ Quay lại"]
    assert not any("26/11" in label for label in later)
    assert "Hôm nay đã hết giờ tiếp công dân" in passed[-1].text
    assert "Ngày gần nhất ông/bà có thể đến là Thứ Sáu, 27/11/2026" in passed[-1].text
    assert "Ngày giờ này đã qua" not in passed[-1].text
    assert "không còn giờ tiếp nào" in ended[-1].text
    assert "Ông/bà muốn đến ngày nào?" in none_left[-1].text


async def test_a_second_site_is_chosen_and_a_petition_linked_by_its_code(
        tmp_path: Path) -> None:
    """With two sites the person chooses one; its slots, capacity and police liaison apply;
    a petition code typed at its question is checked and linked: the person's own petition,
    not a code that names none of theirs."""
    north = {"id": "north", "name": "Điểm tiếp công dân phía Bắc",
             "address": "Xã Đồng Đăng, Lạng Sơn", "capacity": 2, "slot_minutes": 60,
             "sessions": ["08:00-10:00"], "police": [f"telegram:{POLICE_GROUP}"]}
    settings = booking_settings(tmp_path)
    settings = booking_settings(tmp_path, sites=[
        {"id": "main", "name": settings.sites[0].name, "address": settings.sites[0].address},
        north])
    async with telegram_bot(settings) as bot:
        await agree(bot, CITIZEN)
        own = (await submit(bot, CITIZEN, petition())).code
        await bot.press(CITIZEN, "Đặt lịch tiếp công dân")
        await bot.press(CITIZEN, "Tiếp thường xuyên")
        sites = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "phía Bắc")
        days = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "30/11")
        times = bot.buttons(CITIZEN)
        await bot.press(CITIZEN, "08:00")
        await bot.text(CITIZEN, "Hỏi về đơn đề nghị cấp đất")
        await bot.press(CITIZEN, "Có, tôi có mã tra cứu của đơn")
        wrong = await bot.text(CITIZEN, "H-7K4M-9QXR")
        unknown = await bot.text(CITIZEN, "d 7k4m 9qxr")
        await bot.text(CITIZEN, own.lower().replace("-", " "))
        await bot.text(CITIZEN, "6")
        await bot.text(CITIZEN, "Đồng Đăng")
        await bot.text(CITIZEN, "Nguyễn Văn An 0912345671")
        await bot.press(CITIZEN, "Đủ rồi")
        await give_identity(bot, CITIZEN)
        await bot.press(CITIZEN, "Xác nhận đặt lịch")
        booked = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0]
        await bot.drain_outbox()
        alert = bot.last_text(POLICE_GROUP)
    assert sites == ["Trụ sở Tiếp công dân tỉnh Lạng Sơn", "Điểm tiếp công dân phía Bắc",
                     "⬅ Quay lại"]
    assert days[0] == "Thứ Năm 26/11 · còn 2 chỗ"
    assert times == ["08:00 · còn 2 chỗ", "09:00 · còn 2 chỗ", "⬅ Quay lại"]
    assert "Mã này có vẻ chưa đúng" in wrong[-1].text
    assert "không tìm thấy đơn D-7K4M-9QXR" in unknown[-1].text
    assert booked.slot.site_id == "north"
    assert booked.slot.ends_at - booked.slot.starts_at == timedelta(hours=1)
    assert booked.petition_code == own
    assert booked.commune_name == "Xã Đồng Đăng"
    assert "Điểm tiếp công dân phía Bắc, Xã Đồng Đăng, Lạng Sơn" in alert


async def test_moving_away_from_a_full_slot_offers_it_to_the_waiting_list(
        tmp_path: Path) -> None:
    """A move frees the old place, which goes to the first person waiting for it."""
    async with telegram_bot(booking_settings(tmp_path, capacity=1)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN, day="30/11", time="09:00")
        await agree(bot, SECOND)
        await bot.press(SECOND, "Đặt lịch tiếp công dân")
        await bot.press(SECOND, "Tiếp thường xuyên")
        await bot.press(SECOND, "30/11")
        await bot.press(SECOND, "09:00")
        await bot.press(SECOND, "Ghi tên chờ")
        await bot.text(SECOND, "Hỏi về tiến độ giải quyết đơn")
        await bot.press(SECOND, "Không")
        await bot.press(SECOND, "Chỉ mình tôi")
        await give_identity(bot, SECOND, name="Trần Thị Bình", phone="0987654321")
        await bot.press(SECOND, "Ghi tên vào danh sách chờ")
        await bot.text(CITIZEN, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0].code
        await bot.press(CITIZEN, code)
        await bot.press(CITIZEN, "Đổi sang giờ khác")
        await bot.press(CITIZEN, "30/11")
        await bot.press(CITIZEN, "10:00")
        await bot.drain_outbox()
        offer = bot.last_text(SECOND)
    assert "vừa có một chỗ trống" in offer
    assert "Thứ Hai, 30/11/2026, 09:00–09:30" in offer
