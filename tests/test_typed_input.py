"""Typed answers as people type them: dates, times, spelled-out numbers, slips, codes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.domain.clock import FixedClock
from bot.storage import conversations as conversation_store
from tests.booking_support import agree as agree_to_book
from tests.booking_support import book_regular, booking_settings, bookings_of, texts, type_line
from tests.harness import DEFAULT_NOW, make_settings, telegram_bot
from tests.petitioning import agree, driver, state_of

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
USER = "811"


async def open_app(tmp_path: Path) -> App:
    """Open the booking bot on Thursday 26/11/2026, 08:00."""
    return await App.open(booking_settings(tmp_path), FixedClock(DEFAULT_NOW))


async def say_all(app: App, *lines: str, user: str = USER) -> str:
    """Type lines one after another; return what the last one answered."""
    said = ""
    for line in lines:
        said = texts(await type_line(app, user, line))
    return said


async def data_of(app: App, user: str = USER) -> dict[str, object]:
    """Return the person's current draft."""
    async with app.database.transaction() as conn:
        state = await conversation_store.load_state(conn, "telegram", user)
    return state.data


async def step_of(app: App, user: str = USER) -> str:
    """Return the step the person is at."""
    async with app.database.transaction() as conn:
        state = await conversation_store.load_state(conn, "telegram", user)
    return state.step


TO_DATES = ("/start", "đồng ý", "có", "đặt lịch", "thường xuyên")


# -- 1. dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1/1", "2/1", "4/1", "1-1"])
async def test_a_january_date_never_books_a_december_button(tmp_path: Path,
                                                             typed: str) -> None:
    """«1/1» at the day question is 1 January (too far ahead), not the button for 1/12."""
    app = await open_app(tmp_path)
    try:
        said = await say_all(app, *TO_DATES, typed)
        day = (await data_of(app)).get("day")
    finally:
        await app.close()
    assert day is None
    assert "Ông/bà muốn đến ngày nào?" in said


@pytest.mark.parametrize(("typed", "shown"), [
    ("1 thang 12", "Thứ Ba, 1/12/2026"),
    ("1 tháng 12", "Thứ Ba, 1/12/2026"),
    ("ngày 1 tháng 12 năm 2026", "Thứ Ba, 1/12/2026"),
    ("ngày mùng một tháng mười hai", "Thứ Ba, 1/12/2026"),
    ("ngày 1 thang chin", None),
    ("thứ hai tuần sau", "Thứ Hai, 30/11/2026"),
])
async def test_dates_in_words_reach_the_time_question(tmp_path: Path, typed: str,
                                                      shown: str | None) -> None:
    """A date with the month in words, or a weekday of next week, opens that day's times."""
    app = await open_app(tmp_path)
    try:
        said = await say_all(app, *TO_DATES, typed)
    finally:
        await app.close()
    if shown is None:  # September is months past, so next year: too far ahead
        assert "Ông/bà muốn đến ngày nào?" in said
    else:
        assert f"Tiếp thường xuyên ngày {shown}" in said


# -- 4. times of day ----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "hour", "minute"), [
    ("8", 8, 0), ("8h", 8, 0), ("8 giờ", 8, 0), ("2 giờ chiều", 14, 0), ("14h30", 14, 30),
    ("tám giờ rưỡi", 8, 30),
])
async def test_a_typed_time_is_that_time_of_day(tmp_path: Path, typed: str, hour: int,
                                                minute: int) -> None:
    """«8» at the time question is eight o'clock (not the eighth button), and the chosen
    day and time are repeated back at once."""
    app = await open_app(tmp_path)
    try:
        said = await say_all(app, *TO_DATES, "30/11", typed)
        slot = (await data_of(app)).get("slot")
    finally:
        await app.close()
    assert isinstance(slot, dict)
    starts = datetime.fromisoformat(str(slot["starts_at"])).astimezone(ZONE)
    assert (starts.hour, starts.minute) == (hour, minute)
    assert f"Đã chọn: {hour:02d}:{minute:02d}, Thứ Hai, 30/11/2026." in said


async def test_a_time_with_no_reception_says_so(tmp_path: Path) -> None:
    """A typed time the office does not receive at is refused kindly; the times are shown."""
    app = await open_app(tmp_path)
    try:
        said = await say_all(app, *TO_DATES, "30/11", "12 giờ trưa")
        step = await step_of(app)
    finally:
        await app.close()
    assert "Ngày đó không có giờ tiếp lúc 12:00" in said
    assert step == "choosing_time"


# -- 5. spelled-out numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "people"), [
    ("mười một người", 11), ("muoi lam", 15), ("mười lăm", 15), ("hai mươi", 20),
])
async def test_a_spelled_out_number_of_people_at_a_booking(tmp_path: Path, typed: str,
                                                           people: int) -> None:
    """«mười một người» is eleven people, not the «một người» button inside it."""
    app = await open_app(tmp_path)
    try:
        said = await say_all(app, *TO_DATES, "30/11", "9h", "Hỏi về việc cấp sổ đỏ", "không",
                             typed)
        kept = (await data_of(app)).get("people")
    finally:
        await app.close()
    assert kept == people
    assert f"Đoàn {people} người" in said or f"{people} người" in said


@pytest.mark.parametrize("channel", ["telegram", "terminal"])
async def test_a_spelled_out_number_of_people_at_a_petition(tmp_path: Path,
                                                            channel: str) -> None:
    """«hai mươi» people bringing a petition is twenty: a group petition."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        await person.choose("Gửi đơn")
        await person.choose("Phản ánh")
        await person.say("Bãi rác tự phát gần chợ Đông Kinh")
        await person.say("dong kinh")
        await person.say("Rác đổ ra đường đã ba tháng.")
        await person.choose("Xong, tôi đã kể hết")
        await person.say("Dọn bãi rác")
        await person.choose("Chưa có cơ quan nào giải quyết")
        await person.choose("Nhiều người cùng đứng tên")
        group = await person.say("hai mươi")
        state = await state_of(person)
    assert state.data["people"] == 20
    assert "Có 20 người nên đây là đơn đông người" in group


# -- 2. slips of the finger and aliases -------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("kieu nai", "Ông/bà khiếu nại quyết định hoặc việc làm nào"),
    ("khieu lai", "Ông/bà khiếu nại quyết định hoặc việc làm nào"),
    ("kiếu lại", "Ông/bà khiếu nại quyết định hoặc việc làm nào"),
    ("to caoo", "Ông/bà tố cáo ai"),
    ("tố cáo cán bộ", "Ông/bà tố cáo ai"),
    ("khong biet", "Nói ngắn gọn:"),
    ("chua ro", "Nói ngắn gọn:"),
])
async def test_the_petition_type_understands_slips_and_plain_words(
        tmp_path: Path, typed: str, expected: str) -> None:
    """A misspelt type (l/n swapped, a letter doubled) or plain words pick the right type."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        await person.choose("Gửi đơn")
        said = await person.say(typed)
    assert expected in said


@pytest.mark.parametrize(("typed", "expected"), [
    ("dat lich hen", "Ông/bà muốn đặt lịch tiếp nào?"),
    ("xem lich tiep dan", "📍 Địa chỉ:"),
    ("gui donn", "Ông/bà muốn gửi loại đơn nào?"),
])
async def test_the_menu_understands_plain_words_and_slips(tmp_path: Path, typed: str,
                                                          expected: str) -> None:
    """At the menu «xem lịch tiếp dân» is the office information, «đặt lịch hẹn» a booking."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        said = await person.say(typed)
    assert expected in said


# -- 3. a tracking code or a language typed at the menu ----------------------------------------


async def test_a_petition_code_typed_at_the_menu_opens_its_lookup(tmp_path: Path) -> None:
    """A sentence with a petition code at the menu opens that petition's lookup (which, from
    an account that did not file it, first asks for the phone's last digits)."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        said = await person.say("tra ma D-7K4M-9QXR")
        state = await state_of(person)
    assert state.flow == "petition_status"
    assert state.data["code"] == "D-7K4M-9QXR"
    assert "4 số cuối" in said


async def test_a_booking_code_typed_at_the_menu_opens_its_lookup(tmp_path: Path) -> None:
    """A booking code alone at the menu opens the appointment lookup."""
    async with driver("terminal", booking_settings(tmp_path), tmp_path) as person:
        await agree(person)
        said = await person.say("h 7k4m 9qxr")
    # Whether such a code exists is not told before the phone's last digits are checked.
    assert "Lịch hẹn H-7K4M-9QXR" in said
    assert "4 số cuối" in said


async def test_words_that_only_look_like_a_code_stay_words(tmp_path: Path) -> None:
    """«dat hen gap» is no code D-ATHE-NGAP: at the menu it books an appointment."""
    async with driver("terminal", booking_settings(tmp_path), tmp_path) as person:
        await agree(person)
        said = await person.say("dat hen gap")
    assert "Ông/bà muốn đặt lịch tiếp nào?" in said


async def test_english_typed_at_the_menu_switches_the_language(tmp_path: Path) -> None:
    """«english» at the menu switches to English at once and shows the menu in it."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        said = await person.say("english")
        back = await person.say("tiếng việt")
    assert "From now on I will write in English." in said
    assert "What can we help you with?" in said
    assert "Ông/bà cần hỗ trợ việc gì?" in back


async def test_unmatched_text_at_the_menu_gets_the_hint(tmp_path: Path) -> None:
    """Text that names no entry, code or language gets a hint and the menu again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        said = await person.say("hôm nay trời đẹp quá")
    assert "vui lòng chọn một mục bên dưới" in said
    assert "Ông/bà cần hỗ trợ việc gì?" in said


async def test_a_typed_time_moves_an_appointment_there(tmp_path: Path) -> None:
    """«2 giờ chiều» at «which time?» when moving an appointment is 14:00 that day."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree_to_book(bot, 8301)
        await book_regular(bot, 8301, day="30/11", time="09:00")
        await bot.text(8301, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", "8301"))[0].code
        await bot.press(8301, code)
        await bot.press(8301, "Đổi sang giờ khác")
        await bot.text(8301, "1/12")
        moved = await bot.text(8301, "2 giờ chiều")
        booking = (await bookings_of(bot.app, "telegram", "8301"))[0]
    assert "Lịch hẹn của ông/bà đã được chuyển" in moved[0].text
    assert booking.slot.starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=ZONE)
