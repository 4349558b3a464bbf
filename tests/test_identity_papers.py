"""A way forward without a 12-digit CCCD: a passport number, or no number at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.identity import Passport, PassportProblem, parse_passport, unseal
from bot.domain.person import IdPaper
from bot.domain.users import Role
from tests.booking_support import agree, booking_settings, bookings_of
from tests.desk_support import give_role
from tests.harness import TelegramHarness, make_settings, telegram_bot
from tests.petitioning import TelegramDriver, code_in, stored

CITIZEN = 7301
STAFF = 7302
KEY = b"test-secret-key-0123456789abcdef"


@pytest.mark.parametrize(("text", "number"), [
    ("B1234567", "B1234567"), ("b1234567", "B1234567"), ("C 0123 4567", "C01234567"),
    ("123456789", "123456789"), ("AB-12-34-56", "AB123456"),
])
def test_passport_numbers_are_read_in_capitals(text: str, number: str) -> None:
    """Letters and digits, 6 to 12 of them, in any case and with spaces or dashes."""
    passport = parse_passport(text)
    assert isinstance(passport, Passport)
    assert passport.number == number


@pytest.mark.parametrize(("text", "problem"), [
    ("", PassportProblem.EMPTY), ("B1234", PassportProblem.WRONG_LENGTH),
    ("B1234567890123", PassportProblem.WRONG_LENGTH), ("khongnho", PassportProblem.NO_DIGIT),
    ("B12345Đ7", PassportProblem.BAD_CHARACTERS), ("B123/4567", PassportProblem.BAD_CHARACTERS),
])
def test_what_is_no_passport_number_says_why(text: str, problem: PassportProblem) -> None:
    """Too short or long, a word without digits, or other signs are refused with the reason."""
    assert parse_passport(text) is problem


def test_a_passport_number_is_shown_only_masked() -> None:
    """Only the first two and last two characters show."""
    passport = Passport("B1234567")
    assert passport.masked == "B1****67"
    assert "1234567" not in repr(passport)
    assert str(passport) == "B1****67"


async def _book_up_to_the_id_question(bot: TelegramHarness) -> None:
    await agree(bot, CITIZEN)
    await bot.press(CITIZEN, "Đặt lịch tiếp công dân")
    await bot.press(CITIZEN, "Tiếp thường xuyên")
    await bot.press(CITIZEN, "30/11")
    await bot.press(CITIZEN, "09:00")
    await bot.text(CITIZEN, "Hỏi về việc cấp giấy chứng nhận quyền sử dụng đất")
    await bot.press(CITIZEN, "Không")
    await bot.press(CITIZEN, "Chỉ mình tôi")
    await bot.text(CITIZEN, "John Smith")
    await bot.send(bot.api.contact_update(CITIZEN, "84912345678"))


async def test_a_passport_holder_books_and_the_number_is_kept_like_a_cccd(
        tmp_path: Path) -> None:
    """«Tôi dùng hộ chiếu» asks the passport number; it is kept only sealed, as a digest and
    masked with its mark, and every screen says «Hộ chiếu B1****67»."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await _book_up_to_the_id_question(bot)
        asked = bot.last_text(CITIZEN)
        buttons = bot.buttons(CITIZEN)
        passport_question = await bot.press(CITIZEN, "Tôi dùng hộ chiếu")
        wrong = await bot.text(CITIZEN, "không nhớ")
        noted = await bot.text(CITIZEN, "b1234567")
        review = await bot.text(CITIZEN, "12 Lê Lợi, phường Tam Thanh")
        await bot.press(CITIZEN, "Xác nhận đặt lịch")
        booked = await bookings_of(bot.app, "telegram", str(CITIZEN))
    assert "12 chữ số" in asked
    assert {"Tôi dùng hộ chiếu", "Tôi chưa có / bị mất thẻ"} <= set(buttons)
    assert "số hộ chiếu" in passport_question[-1].text
    assert "từ 6 đến 12 chữ cái và chữ số" in wrong[-1].text
    assert "Đã ghi nhận số hộ chiếu: B1****67." in noted[0].text
    assert "Hộ chiếu: B1****67" in review[-1].text
    person = booked[0].identity
    assert person.paper is IdPaper.PASSPORT
    assert person.cccd_masked == "passport:B1****67"
    assert person.cccd_sealed is not None
    assert unseal(person.cccd_sealed, KEY) == "B1234567"
    assert person.cccd_digest is not None
    assert "B1234567" not in person.cccd_digest


async def test_a_complaint_without_any_card_goes_on_and_staff_see_it(tmp_path: Path) -> None:
    """«Tôi chưa có / bị mất thẻ» goes on without a number; a complainant is told kindly to
    show an identity paper at the office; the complaint is received; staff read «chưa cung
    cấp số định danh»."""
    async with telegram_bot(make_settings(tmp_path)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        person = TelegramDriver(bot, CITIZEN)
        await person.say("/start")
        await person.choose("Tôi đồng ý")
        await person.choose("Không, cảm ơn")
        await person.choose("Gửi đơn")
        await person.choose("Khiếu nại")
        await person.say("Quyết định số 12/QĐ-UBND của UBND xã Hoàng Văn Thụ")
        await person.say("phuong tam thanh")
        await person.say("Xã thu hồi đất nhà tôi mà không báo trước.")
        await person.choose("Xong, tôi đã kể hết")
        await person.say("Hủy quyết định thu hồi đất")
        await person.choose("Chưa có cơ quan nào giải quyết")
        await person.choose("Chỉ mình tôi")
        await person.choose("Không có tài liệu")
        await person.say("nguyen van an")
        await person.contact("0912345678")
        told = await person.choose("Tôi chưa có / bị mất thẻ")
        review = await person.say("Thôn Nà Pàn, xã Hoàng Văn Thụ")
        receipt = await person.choose("Gửi đơn")
        code = code_in(receipt)
        kept = await stored(bot.app, code)
        card = "\n".join(m.text for m in await bot.text(STAFF, f"/don {code}"))
    assert "xuất trình một giấy tờ tùy thân" in told
    assert "Chưa cung cấp số định danh" in review
    assert "Ban đã nhận đơn của ông/bà" in receipt
    assert kept.identity is not None
    assert kept.identity.cccd_digest is None
    assert kept.identity.paper is IdPaper.NONE
    assert "Chưa cung cấp số định danh" in card


async def test_an_old_cmnd_number_points_to_the_way_without_a_card(tmp_path: Path) -> None:
    """A 9-digit CMND number is refused, with the passport and no-card buttons named."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await _book_up_to_the_id_question(bot)
        said = await bot.text(CITIZEN, "123456789")
    assert "chứng minh nhân dân 9 số cũ" in said[-1].text
    assert "«Tôi chưa có / bị mất thẻ»" in said[-1].text
