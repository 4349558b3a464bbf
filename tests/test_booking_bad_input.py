"""Bad input gets a clear answer and loses nothing already stored or entered."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.config import Settings
from bot.domain.booking import BookingStatus
from bot.domain.clock import FixedClock
from bot.domain.messages import Incoming, InputKind, Reply
from bot.domain.users import Role
from bot.storage import conversations as conversation_store
from tests.booking_support import (
    ADDRESS,
    CCCD,
    OFFICE_PHONE,
    agree,
    booking_settings,
    bookings_of,
    give_identity,
    set_role,
    texts,
    type_line,
)
from tests.harness import DEFAULT_NOW, telegram_bot

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
USER = "801"


async def open_app(settings: Settings, now: datetime = DEFAULT_NOW) -> App:
    """Open the bot on a fixed clock."""
    return await App.open(settings, FixedClock(now))


async def to_dates(app: App, user: str = USER) -> None:
    """Agree and open regular reception's day question."""
    for line in ("/start", "đồng ý", "có", "đặt lịch", "thường xuyên"):
        await type_line(app, user, line)


async def to_people(app: App, user: str = USER, day: str = "30/11") -> None:
    """Go as far as the question about the number of people."""
    await to_dates(app, user)
    for line in (day, "9h", "Hỏi về việc cấp sổ đỏ", "không"):
        await type_line(app, user, line)


async def draft(app: App, user: str = USER) -> dict[str, object]:
    """Return the person's current draft."""
    async with app.database.transaction() as conn:
        state = await conversation_store.load_state(conn, "telegram", user)
    return state.data


async def test_a_date_in_the_past_is_refused_kindly(tmp_path: Path) -> None:
    """A typed past date is answered and the day question stays open."""
    app = await open_app(booking_settings(tmp_path))
    try:
        await to_dates(app)
        said = texts(await type_line(app, USER, "20/11"))
        state = await draft(app)
    finally:
        await app.close()
    assert "Ngày giờ này đã qua" in said
    assert "Ông/bà muốn đến ngày nào?" in said
    assert state.get("day") is None


async def test_a_weekend_or_holiday_is_named(tmp_path: Path) -> None:
    """A Saturday is named as such (once: the date already says which weekday it is), and
    New Year's Day by its holiday name."""
    settings = booking_settings(tmp_path)
    app = await open_app(settings)
    try:
        await to_dates(app)
        saturday = texts(await type_line(app, USER, "28/11"))
    finally:
        await app.close()
    app = await open_app(settings, datetime(2026, 12, 29, 9, 0, tzinfo=ZONE))
    try:
        await type_line(app, USER, "/huy")
        await type_line(app, USER, "đồng ý")
        await to_dates(app, "802")
        new_year = texts(await type_line(app, "802", "1/1"))
    finally:
        await app.close()
    assert "Thứ Bảy, 28/11/2026 là ngày nghỉ." in saturday
    assert "(Thứ Bảy)" not in saturday
    assert "là ngày nghỉ (Tết Dương lịch)" in new_year


async def test_a_date_too_far_ahead_says_how_far_bookings_go(tmp_path: Path) -> None:
    """A date beyond the offered working days says how many are offered."""
    app = await open_app(booking_settings(tmp_path))
    try:
        await to_dates(app)
        said = texts(await type_line(app, USER, "20/1/2027"))
    finally:
        await app.close()
    assert "Chỉ đặt lịch được trong 10 ngày làm việc tới" in said


async def test_a_full_slot_offers_the_waiting_list(tmp_path: Path) -> None:
    """Choosing a full time says it is full and offers the waiting list or another time."""
    app = await open_app(booking_settings(tmp_path, capacity=1))
    try:
        await to_people(app, "803")
        for line in ("1", "Nguyễn Văn An", "0912345678", CCCD, ADDRESS, "xác nhận"):
            await type_line(app, "803", line)
        await to_dates(app)
        await type_line(app, USER, "30/11")
        said = await type_line(app, USER, "9h")
    finally:
        await app.close()
    assert "Lúc 09:00 ngày Thứ Hai, 30/11/2026 đã hết chỗ" in texts(said)
    assert [b.label for b in said[-1].buttons][:2] == ["📝 Ghi tên chờ", "🕘 Chọn giờ khác"]


async def test_a_leaders_day_after_its_cut_off_is_not_offered_nor_booked(
        tmp_path: Path) -> None:
    """After the 10th the day of the 15th is not listed, a typed date is refused with the
    cut-off, and a draft confirmed after it is refused with nothing lost."""
    settings = booking_settings(tmp_path)
    app = await open_app(settings, datetime(2026, 12, 10, 16, 0, tzinfo=ZONE))
    try:
        for line in ("/start", "đồng ý", "có", "đặt lịch", "15/12", "8h", "Đề nghị giải quyết "
                     "đơn", "không", "1", "Nguyễn Văn An", "0912345678", CCCD):
            await type_line(app, USER, line)
        review = texts(await type_line(app, USER, ADDRESS))
        assert isinstance(app.clock, FixedClock)
        app.clock.set(datetime(2026, 12, 11, 0, 30, tzinfo=ZONE))  # a draft kept overnight
        refused = texts(await type_line(app, USER, "xác nhận"))
        kept = await draft(app)
        typed = texts(await type_line(app, USER, "15/12"))
        await type_line(app, "804", "/start")
        await type_line(app, "804", "đồng ý")
        await type_line(app, "804", "có")
        listing = await type_line(app, "804", "đặt lịch")
        stored = await bookings_of(app, "telegram", USER)
    finally:
        await app.close()
    assert "Chủ tịch UBND tỉnh tiếp công dân" in review
    assert "đã kết thúc vào ngày 10/12/2026" in refused
    assert "vẫn được giữ nguyên" in refused
    assert kept.get("topic") == "Đề nghị giải quyết đơn"
    assert "đã kết thúc vào ngày 10/12/2026" in typed
    assert not any("15/12" in b.label for b in listing[-1].buttons)
    assert stored == []


async def test_zero_or_words_for_people_are_refused_with_a_hint(tmp_path: Path) -> None:
    """0 and a non-number are answered; the question and the draft stay."""
    app = await open_app(booking_settings(tmp_path))
    try:
        await to_people(app)
        zero = texts(await type_line(app, USER, "0"))
        words = texts(await type_line(app, USER, "đông lắm"))
        state = await draft(app)
    finally:
        await app.close()
    assert "Ít nhất phải có một người đến" in zero
    assert "gõ số người bằng chữ số" in words
    assert "Có bao nhiêu người sẽ đến" in words
    assert state.get("topic") == "Hỏi về việc cấp sổ đỏ"
    assert "people" not in state


async def test_more_people_than_the_maximum_are_refused(tmp_path: Path) -> None:
    """Over bookings.max_people the person is told the maximum and the office's phone."""
    app = await open_app(booking_settings(tmp_path, bookings={"max_people": 50}))
    try:
        await to_people(app)
        said = texts(await type_line(app, USER, "51"))
        fifty = texts(await type_line(app, USER, "50"))
    finally:
        await app.close()
    assert "Chỉ đặt lịch được cho tối đa 50 người" in said
    assert OFFICE_PHONE in said
    assert "đoàn đông người" in fifty


async def test_a_representative_list_longer_than_the_law_allows_is_refused(
        tmp_path: Path) -> None:
    """Eight people may choose at most two representatives: a third is refused, none lost."""
    app = await open_app(booking_settings(tmp_path))
    try:
        await to_people(app)
        await type_line(app, USER, "8")
        await type_line(app, USER, "xã Hoàng Văn Thụ")
        await type_line(app, USER, "Nguyễn Văn An 0912345671")
        said = texts(await type_line(
            app, USER, "Trần Thị Bình 0912345672\nLê Văn Cường 0912345673"))
        state = await draft(app)
        done = texts(await type_line(app, USER, "Trần Thị Bình 0912345672"))
    finally:
        await app.close()
    assert "Đoàn 8 người chỉ được cử tối đa 2 người đại diện; danh sách này sẽ có 3 người" in said
    assert "Chưa ghi thêm người nào" in said
    assert state["representatives"] == [{"full_name": "Nguyễn Văn An",
                                         "phone_e164": "+84912345671"}]
    assert "Đã ghi nhận người đại diện" in done


async def test_lowering_the_people_below_a_group_drops_the_representatives(
        tmp_path: Path) -> None:
    """Changing 8 people to 3 from the review removes the group's commune and representatives."""
    app = await open_app(booking_settings(tmp_path))
    try:
        await to_people(app)
        for line in ("8", "xã Hoàng Văn Thụ", "An 0912345671", "xong", "Nguyễn Văn An",
                     "0912345678", CCCD, ADDRESS):
            await type_line(app, USER, line)
        await type_line(app, USER, "sửa số người")
        review = texts(await type_line(app, USER, "3"))
        state = await draft(app)
    finally:
        await app.close()
    assert "Số người đến: 3" in review
    assert "Người đại diện" not in review
    assert state["representatives"] == []


async def test_cancelling_after_the_cut_off_is_refused_and_the_booking_kept(
        tmp_path: Path) -> None:
    """A cancellation confirmed after the cut-off is answered and the booking stays booked."""
    app = await open_app(booking_settings(tmp_path), datetime(2026, 11, 27, 9, 0, tzinfo=ZONE))
    try:
        await to_people(app)
        for line in ("1", "Nguyễn Văn An", "0912345678", CCCD, ADDRESS, "xác nhận"):
            await type_line(app, USER, line)
        await type_line(app, USER, "/lichhen")
        details = texts(await type_line(app, USER, "1"))
        await type_line(app, USER, "hủy lịch hẹn")
        assert isinstance(app.clock, FixedClock)
        app.clock.set(datetime(2026, 11, 30, 7, 30, tzinfo=ZONE))
        refused = texts(await type_line(app, USER, "có, hủy lịch"))
        booking = (await bookings_of(app, "telegram", USER))[0]
        await type_line(app, USER, "/lichhen")
        later = await type_line(app, USER, "1")
    finally:
        await app.close()
    assert "có thể hủy hoặc đổi lịch đến 07:00 ngày 30/11/2026" in details
    assert "không thể hủy hoặc đổi ở đây nữa. Lịch hẹn của ông/bà vẫn được giữ" in refused
    assert OFFICE_PHONE in refused
    assert booking.status is BookingStatus.BOOKED
    assert [b.label for b in later[-1].buttons] == ["📎 Gửi lại tệp lịch", "⬅ Quay lại"]


async def test_an_unknown_or_forged_booking_button_is_answered_politely(tmp_path: Path) -> None:
    """Global booking buttons with another person's or a made-up code change nothing."""
    app = await open_app(booking_settings(tmp_path))
    try:
        await to_people(app)
        for line in ("1", "Nguyễn Văn An", "0912345678", CCCD, ADDRESS, "xác nhận"):
            await type_line(app, USER, line)
        code = (await bookings_of(app, "telegram", USER))[0].code
        answers: list[str] = []
        for data in (f"g|bk_cannot|{code}", "g|bk_come|H-XXXX", "g|wl_take|99999999999999",
                     "g|bk_rebook|:x", "g|wl_decline|abc"):
            async def deliver(replies: object) -> None:
                return None

            replies: list[Reply] = await app.dialog.handle(Incoming(
                channel="telegram", user_id="805", chat_id="805", kind=InputKind.CHOICE,
                sent_at=app.clock.now(), payload=data), deliver)
            answers.append(texts(replies))
        booking = (await bookings_of(app, "telegram", USER))[0]
    finally:
        await app.close()
    assert "Không tìm thấy lịch hẹn này" in answers[0]
    assert "Không tìm thấy lịch hẹn này" in answers[1]
    assert "Không tìm thấy lời mời giữ chỗ này" in answers[2]
    assert "Không tìm thấy lịch hẹn này" in answers[3]
    assert "không còn hiệu lực" in answers[4]
    assert booking.status is BookingStatus.BOOKED


async def test_without_consent_booking_is_explained_not_started(tmp_path: Path) -> None:
    """Someone who did not agree to data processing is told where to agree; nothing starts."""
    app = await open_app(booking_settings(tmp_path))
    try:
        await type_line(app, USER, "/start")
        await type_line(app, USER, "không đồng ý")
        said = texts(await type_line(app, USER, "đặt lịch"))
        state = await draft(app)
    finally:
        await app.close()
    assert "vui lòng đồng ý cho xử lý dữ liệu cá nhân trước" in said
    assert "Ông/bà cần hỗ trợ việc gì?" in said
    assert state == {}


LONG_MATTER = ("Tôi đề nghị xem xét việc tranh chấp đất đai giữa gia đình tôi và nhà hàng xóm "
               "ở thôn Nà Pàn, xã Hoàng Văn Thụ. ") * 24


async def test_a_long_matter_is_kept_whole_for_staff_and_summed_up(tmp_path: Path) -> None:
    """A matter of some 2,600 characters is not refused: the person is told its beginning is
    the summary and the whole text is kept; the appointment stores both, and the staff's card
    shows the whole text."""
    staff, citizen = 806, 807
    assert len(LONG_MATTER) > 2300
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, citizen)
        await bot.press(citizen, "Đặt lịch tiếp công dân")
        await bot.press(citizen, "Tiếp thường xuyên")
        await bot.press(citizen, "26/11")
        await bot.press(citizen, "09:00")
        told = "\n".join(m.text for m in await bot.text(citizen, LONG_MATTER))
        await bot.press(citizen, "Không")
        await bot.press(citizen, "Chỉ mình tôi")
        review = "\n".join(m.text for m in await give_identity(bot, citizen))
        await bot.press(citizen, "Xác nhận đặt lịch")
        [booking] = await bookings_of(bot.app, "telegram", str(citizen))
        await bot.text(staff, "/start")
        await set_role(bot.app, staff, Role.STAFF)
        await bot.text(staff, "/hangdoi")
        card = "\n".join(m.text for m in await bot.press(staff, "⋯ 1"))
    assert "dài quá" not in told
    assert "phần đầu được dùng làm tóm tắt vụ việc" in told
    assert "Nội dung này có liên quan đến đơn" in told
    assert "Toàn văn ông/bà gửi, 2.663 ký tự" in review
    assert len(booking.topic) <= 500
    assert LONG_MATTER.startswith(booking.topic)
    assert booking.details == LONG_MATTER.strip()
    assert "Toàn văn công dân đã gửi:" in card
    assert LONG_MATTER.strip()[-200:] in card


async def test_a_mass_delegation_may_give_an_old_address_or_no_commune(tmp_path: Path) -> None:
    """The delegation's commune question offers «old address» (kept as typed) and «not one
    commune or ward»; both go on to the representatives, and a landline written with its
    area code in brackets is taken there."""
    old_user, none_user = "808", "809"
    app = await open_app(booking_settings(tmp_path))
    try:
        await to_people(app, old_user)
        asked = await type_line(app, old_user, "12")
        await type_line(app, old_user, "địa chỉ cũ")
        await type_line(app, old_user, "xã Hợp Thành, huyện Cao Lộc")
        landline = texts(await type_line(app, old_user, "Lê Thị Hoa (0205) 3 871 234"))
        for line in ("xong", "Nguyễn Văn An", "0912345678", CCCD):
            await type_line(app, old_user, line)
        old_review = texts(await type_line(app, old_user, ADDRESS))
        await type_line(app, old_user, "xác nhận")
        await to_people(app, none_user, day="1/12")
        await type_line(app, none_user, "12")
        reps = texts(await type_line(app, none_user, "không thuộc xã nào"))
        for line in ("Lê Thị Hoa (0205) 3871234", "xong", "Nguyễn Văn Ba", "0912345679",
                     "079123456788"):
            await type_line(app, none_user, line)
        none_review = texts(await type_line(app, none_user, ADDRESS))
        await type_line(app, none_user, "xác nhận")
        [old] = await bookings_of(app, "telegram", old_user)
        [none] = await bookings_of(app, "telegram", none_user)
    finally:
        await app.close()
    labels = [button.label for button in asked[-1].buttons]
    assert labels[:2] == ["📝 Tôi chỉ biết địa chỉ cũ (trước năm 2025)",
                          "Không thuộc riêng xã, phường nào"]
    assert "Lê Thị Hoa, 0205****234" in landline
    assert "Xã, phường: xã Hợp Thành, huyện Cao Lộc (địa chỉ cũ)" in old_review
    assert (old.commune_code, old.commune_name) == (None, "xã Hợp Thành, huyện Cao Lộc")
    assert old.representatives[0].phone_e164 == "+842053871234"
    assert "người đại diện" in reps
    assert "Xã, phường: không thuộc riêng xã, phường nào" in none_review
    assert (none.commune_code, none.commune_name) == (None, None)
    assert none.people == 12
