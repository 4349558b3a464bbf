"""Small things people noticed: names with «bà», phones in sentences, plurals, wording."""

from __future__ import annotations

from pathlib import Path

from bot.app import App
from bot.domain.clock import FixedClock
from bot.domain.petitions import PriorStage
from bot.domain.users import Role
from bot.i18n import people_count, translation
from bot.services.petitions import stage_label
from bot.storage import users as user_store
from tests.booking_support import (
    agree,
    book_regular,
    booking_settings,
    set_role,
    texts,
    type_line,
)
from tests.harness import DEFAULT_NOW, telegram_bot

USER = "821"
TO_NAME = ("/start", "đồng ý", "có", "đặt lịch", "thường xuyên", "30/11", "9h",
           "Hỏi về việc cấp sổ đỏ", "không", "1")


async def open_app(tmp_path: Path) -> App:
    """Open the booking bot on a fixed clock."""
    return await App.open(booking_settings(tmp_path), FixedClock(DEFAULT_NOW))


async def say_all(app: App, *lines: str) -> str:
    """Type lines one after another; return what the last one answered."""
    answer = ""
    for line in lines:
        answer = texts(await type_line(app, USER, line))
    return answer


async def test_a_form_of_address_is_not_saved_as_part_of_the_name(tmp_path: Path) -> None:
    """«bà Hoa» at the name question is saved as the name «Hoa»."""
    app = await open_app(tmp_path)
    try:
        review = await say_all(app, *TO_NAME, "bà Hoa", "0912345678", "079123456789",
                               "Thôn Nà Pàn, xã Hoàng Văn Thụ")
    finally:
        await app.close()
    assert "Họ tên: Hoa" in review
    assert "Bà Hoa" not in review


async def test_a_phone_number_inside_a_sentence_is_accepted(tmp_path: Path) -> None:
    """«so dien thoai cua toi la 0912 345 678» gives the number; a wrong number's hint speaks
    of landlines too."""
    app = await open_app(tmp_path)
    try:
        wrong = await say_all(app, *TO_NAME, "Nguyễn Văn An", "3812345")
        noted = await say_all(app, "so dien thoai cua toi la 0912 345 678")
    finally:
        await app.close()
    assert "số máy bàn bắt đầu bằng mã vùng" in wrong
    assert "Đã ghi nhận số điện thoại: 0912***678." in noted


async def test_an_address_of_digits_only_is_asked_again(tmp_path: Path) -> None:
    """A house number alone is no address: the person is asked for the village and commune."""
    app = await open_app(tmp_path)
    try:
        refused = await say_all(app, *TO_NAME, "Nguyễn Văn An", "0912345678", "079123456789",
                                "123")
        review = await say_all(app, "Số 123, thôn Nà Pàn, xã Hoàng Văn Thụ")
    finally:
        await app.close()
    assert "không chỉ số nhà" in refused
    assert "Địa chỉ: Số 123, thôn Nà Pàn, xã Hoàng Văn Thụ" in review


def test_counts_of_people_agree_with_their_number() -> None:
    """One person is «1 person» in English, several are «people»; Vietnamese has one form."""
    with translation("en"):
        assert people_count(1) == "1 person"
        assert people_count(3) == "3 people"
    with translation("vi"):
        assert people_count(1) == "1 người"


def test_no_authority_is_not_read_as_nobody() -> None:
    """The English wording of a matter nobody decided says «no authority», not «no body»."""
    with translation("en"):
        assert stage_label(PriorStage.NONE) == "No authority has dealt with it yet"


async def test_the_queue_in_english_says_1_person(tmp_path: Path) -> None:
    """A booking for one person shows as «1 person» in an English-speaking staff's queue."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, 821)
        await book_regular(bot, 821, day="26/11", time="09:00")
        await bot.text(822, "/start")
        await set_role(bot.app, 822, Role.STAFF)
        async with bot.app.database.transaction() as conn:
            await user_store.set_language(conn, "telegram", "822", "en")
        queue = "\n".join(m.text for m in await bot.text(822, "/hangdoi"))
    assert "· 1 person" in queue
    assert "1 people" not in queue
