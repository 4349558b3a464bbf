"""Typed answers as people type them: dates, times, spelled-out numbers, slips, codes."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.domain.clock import FixedClock
from bot.storage import conversations as conversation_store
from tests.booking_support import agree as agree_to_book
from tests.booking_support import book_regular, booking_settings, bookings_of, texts, type_line
from tests.desk_support import petition, submit
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
    ("1 thang 12", "Thứ Ba, 01/12/2026"),
    ("1 tháng 12", "Thứ Ba, 01/12/2026"),
    ("ngày 1 tháng 12 năm 2026", "Thứ Ba, 01/12/2026"),
    ("ngày mùng một tháng mười hai", "Thứ Ba, 01/12/2026"),
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


async def test_saved_information_typed_at_the_menu_shows_the_saved_details(
        tmp_path: Path) -> None:
    """«xem thong tin da luu» at the menu is personal data, saved details first — not the
    office information that «thông tin» alone would name."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        said = await person.say("xem thong tin da luu")
        state = await state_of(person)
    assert state.flow == "privacy"
    assert "Thông tin Ban đang lưu về ông/bà" in said
    assert "Số lịch hẹn đã đặt từ cuộc trò chuyện này: 0" in said
    assert "📍 Địa chỉ:" not in said


async def test_doi_lich_moves_an_appointment(tmp_path: Path) -> None:
    """«doi lich» typed at an appointment is «Đổi sang giờ khác», not the calendar file."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree_to_book(bot, 8303)
        await book_regular(bot, 8303, day="30/11", time="09:00")
        await bot.text(8303, "/lichhen")
        code = (await bookings_of(bot.app, "telegram", "8303"))[0].code
        await bot.press(8303, code)
        asked = await bot.text(8303, "doi lich")
    assert "Ông/bà muốn chuyển sang ngày nào?" in asked[-1].text
    assert asked[-1].document is None


# -- 4. the matter, the day question's examples -------------------------------------------------


async def test_a_petition_code_in_the_middle_of_the_matter_links_it(tmp_path: Path) -> None:
    """A petition code anywhere in the matter («... don D-XXXX-XXXX da gui») links the
    person's petition at once; words that only read like a code («dat hen gap») do not."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        for user in (8304, 8305):
            await agree_to_book(bot, user)
            await bot.press(user, "Đặt lịch tiếp công dân")
            await bot.press(user, "Tiếp thường xuyên")
            await bot.press(user, "30/11")
            await bot.press(user, "09:00")
        own = (await submit(bot, 8304, petition())).code
        linked = await bot.text(8304, f"toi muon hoi ve don {own} da gui")
        words = await bot.text(8305, "xin dat hen gap lanh dao")
        linked_data = await data_of(bot.app, "8304")
    assert f"Đơn {own} của ông/bà sẽ được gắn với lịch hẹn này" in linked[0].text
    assert "có liên quan đến đơn" not in "\n".join(m.text for m in linked)
    assert linked_data["petition_code"] == own
    assert "Nội dung này có liên quan đến đơn ông/bà đã gửi cho Ban không?" in words[-1].text


async def test_the_day_questions_examples_are_days_that_can_be_booked(tmp_path: Path) -> None:
    """The date and the weekday the day question gives as examples, typed, open that day's
    times: no example is refused."""
    app = await open_app(tmp_path)
    try:
        asked = await say_all(app, *TO_DATES)
        found = re.search(r"ví dụ (\d{1,2}/\d{1,2}) hoặc «([^»]+)»", asked)
        assert found is not None, asked
        dated = await say_all(app, found.group(1))
        again = await say_all(app, "quay lại")
        named = await say_all(app, found.group(2))
    finally:
        await app.close()
    assert "Ông/bà muốn đến lúc mấy giờ?" in dated
    assert "Ông/bà muốn đến ngày nào?" in again
    assert "Ông/bà muốn đến lúc mấy giờ?" in named
    assert "15/12" not in asked


async def test_a_leaders_day_typed_at_the_regular_day_question_is_offered(
        tmp_path: Path) -> None:
    """15/12, beyond regular reception's days but the chairman's reception day, is offered as
    the first choice instead of a bare refusal; taking it opens that day's times."""
    app = await open_app(tmp_path)
    try:
        await say_all(app, *TO_DATES)
        replies = await type_line(app, USER, "15/12")
        taken = await say_all(app, "1")
        state = await data_of(app)
    finally:
        await app.close()
    said = texts(replies)
    assert "Ngày Thứ Ba, 15/12/2026 không đặt được lịch tiếp thường xuyên" in said
    assert "Chủ tịch UBND tỉnh tiếp công dân" in said
    assert replies[-1].buttons[0].label.startswith("👤 Chủ tịch UBND tỉnh · Thứ Ba 15/12")
    assert "Chủ tịch UBND tỉnh tiếp công dân ngày Thứ Ba, 15/12/2026" in taken
    assert state["kind"] == "leader"


async def test_today_after_hours_at_the_kind_question_offers_the_next_day(
        tmp_path: Path) -> None:
    """«hôm nay» after the last reception time says today's hours are over, names the next
    day and lists the days ahead, that one first."""
    app = await App.open(booking_settings(tmp_path),
                         FixedClock(datetime(2026, 11, 26, 17, 0, tzinfo=ZONE)))
    try:
        await say_all(app, "/start", "đồng ý", "có", "đặt lịch")
        replies = await type_line(app, USER, "hôm nay")
    finally:
        await app.close()
    said = texts(replies)
    assert "Hôm nay đã hết giờ tiếp công dân" in said
    assert "Ngày gần nhất ông/bà có thể đến là Thứ Sáu, 27/11/2026" in said
    assert "Ngày giờ này đã qua" not in said
    assert replies[-1].buttons[0].label.startswith("Thứ Sáu 27/11")


async def test_booking_prompts_in_english_give_english_examples(tmp_path: Path) -> None:
    """In English the day, time and matter questions give examples in English («Monday»,
    «2 pm»), and those examples are understood."""
    app = await open_app(tmp_path)
    try:
        await say_all(app, "/start", "đồng ý", "có", "english")
        kinds = await say_all(app, "book")
        days = await say_all(app, "regular")
        found = re.search(r"for example (\d{1,2}/\d{1,2}) or «([^»]+)»", days)
        assert found is not None, days
        unreadable = await say_all(app, "whenever")
        times = await say_all(app, found.group(2))
        bad_time = await say_all(app, "soon")
        topic = await say_all(app, "2 pm")
    finally:
        await app.close()
    everything = "\n".join((kinds, days, unreadable, times, bad_time, topic))
    for vietnamese in ("thứ hai", "giờ chiều", "Đề nghị", "ví dụ"):
        assert vietnamese not in everything
    assert found.group(2) in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    assert f"type a date such as {found.group(1)} or «{found.group(2)}»" in unreadable
    assert "for example 8:30 or «2 pm»" in bad_time
    assert "Chosen: 14:00" in topic
    assert "«Please settle the land dispute in Nà Pàn village»" in topic
