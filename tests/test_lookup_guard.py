"""Looking a petition or an appointment up by code from another account (/tracuu).

Both go through the same phone check, counted together; whether a code exists is never
told; a right answer clears the misses for its code; a group's representatives' phones are
accepted; a petition with no phone says how it is followed instead.
"""

from __future__ import annotations

from pathlib import Path

from bot.domain.petitions import PetitionType, Representative
from bot.domain.users import Role
from tests.booking_support import agree, book_regular, booking_settings, bookings_of
from tests.desk_support import CUONG, petition, submit, texts
from tests.harness import TelegramHarness, telegram_bot

OWNER = 7101
OTHER = 7102
STAFF = 7103
ASK_DIGITS = "gõ 4 số cuối của số điện thoại"
MISMATCH = "không khớp"
LOCKED = "xin chờ 15 phút rồi thử lại"


async def booked(bot: TelegramHarness) -> str:
    """Book an appointment for OWNER (phone 0912345678); return its code."""
    await agree(bot, OWNER)
    await book_regular(bot, OWNER)
    return (await bookings_of(bot.app, "telegram", str(OWNER)))[-1].code


async def test_an_appointment_code_from_another_account_asks_the_phones_last_digits(
        tmp_path: Path) -> None:
    """From another account an appointment's code shows nothing until the last four digits
    of the booker's phone are typed; then only time, place and status are shown. Its owner
    sees it at once."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        code = await booked(bot)
        own = texts(await bot.text(OWNER, f"/tracuu {code}"))
        await agree(bot, OTHER)
        asked = texts(await bot.text(OTHER, f"/tracuu {code}"))
        wrong = texts(await bot.text(OTHER, "1234"))
        shown = texts(await bot.text(OTHER, "5678"))
    assert "Nội dung: Đề nghị giải quyết tranh chấp đất đai" in own
    assert f"Lịch hẹn {code}" in asked
    assert ASK_DIGITS in asked
    assert "30/11/2026" not in asked
    assert MISMATCH in wrong
    assert "(còn 2 lần)" in wrong
    assert "Thứ Hai, 30/11/2026, 09:00–09:30" in shown
    assert "Tình trạng: đã đặt lịch" in shown
    assert "Nội dung" not in shown


async def test_unknown_petition_and_appointment_codes_are_answered_like_known_ones(
        tmp_path: Path) -> None:
    """An unknown H code gets the same answers as a real one with wrong digits, word for
    word but the code, and an unknown D code the same words: existence is never told."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        real = await booked(bot)
        answers = []
        for number, code in enumerate(("D-AAAA-BBBB", "H-AAAA-BBBB", real)):
            person = OTHER + 10 + number
            await agree(bot, person)
            asked = texts(await bot.text(person, f"/tracuu {code}"))
            wrong = texts(await bot.text(person, "0000"))
            answers.append((asked.replace(code, "CODE"), wrong.replace(code, "CODE")))
    assert ASK_DIGITS in answers[0][0]
    assert MISMATCH in answers[0][1]
    assert "(còn 2 lần)" in answers[0][1]
    assert answers[1] == answers[2]  # an unknown appointment code is a wrong guess
    # A petition's and an appointment's lookups say the same; only the question repeated
    # after it names what is looked up.
    assert answers[0][1].splitlines()[0] == answers[1][1].splitlines()[0]
    assert "Không có" not in "".join(a + w for a, w in answers)


async def test_misses_on_petitions_and_appointments_are_counted_together(
        tmp_path: Path) -> None:
    """Switching between D and H codes gives no extra tries: the third miss locks out."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        code = await booked(bot)
        await agree(bot, OTHER)
        await bot.text(OTHER, "/tracuu D-AAAA-BBBB")
        first = texts(await bot.text(OTHER, "0000"))
        await bot.text(OTHER, f"/tracuu {code}")
        second = texts(await bot.text(OTHER, "0000"))
        await bot.text(OTHER, "/tracuu H-AAAA-BBBB")
        third = texts(await bot.text(OTHER, "0000"))
        again = texts(await bot.text(OTHER, f"/tracuu {code}"))
    assert "(còn 2 lần)" in first
    assert "(còn 1 lần)" in second
    assert LOCKED in third
    assert LOCKED in again


async def test_a_right_answer_clears_the_misses_for_its_code_only(tmp_path: Path) -> None:
    """Two misses then the right digits open the petition and clear those misses, so two
    more misses do not lock the account out; a right answer for one code does not clear
    the misses made guessing another."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, OWNER)
        mine = (await submit(bot, OTHER, petition())).code  # phone 0912345678
        other = (await submit(bot, OWNER, petition(identity=CUONG))).code
        await agree(bot, OTHER + 1)
        person = OTHER + 1
        await bot.text(person, f"/tracuu {mine}")
        await bot.text(person, "0000")
        await bot.text(person, "1111")
        right = texts(await bot.text(person, "5678"))
        await bot.text(person, f"/tracuu {mine}")
        first = texts(await bot.text(person, "2222"))
        second = texts(await bot.text(person, "3333"))
        await bot.text(person, f"/tracuu {other}")
        guessing = texts(await bot.text(person, "4444"))
    assert f"Đơn {mine}" in right
    assert MISMATCH in first
    assert "(còn 2 lần)" in first
    assert MISMATCH in second
    assert "(còn 1 lần)" in second
    assert LOCKED in guessing


async def test_a_representatives_phone_opens_a_group_petition(tmp_path: Path) -> None:
    """The last four digits of any representative's phone open a group petition from
    another account, as the sender's do."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        code = (await submit(bot, OWNER, petition(
            PetitionType.REPORT, identity=CUONG, people=7, representatives=(
                Representative("Lê Văn Cường", "+84911222333"),
                Representative("Phạm Thị Dung", "+84388777666"))))).code
        await agree(bot, OTHER)
        await bot.text(OTHER, f"/tracuu {code}")
        by_representative = texts(await bot.text(OTHER, "7666"))
    assert f"Đơn {code}" in by_representative
    assert "Hiện nay: Đã tiếp nhận" in by_representative


async def test_a_petition_without_a_phone_is_followed_at_the_office(tmp_path: Path) -> None:
    """A petition handed in at the office without a phone is not given a receipt promising
    /tracuu: staff are told the citizen follows it at the office with the code and an ID
    card; the lookup offers «no phone number was given» and says the same kindly."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await bot.text(STAFF, "/start")
        async with bot.app.database.transaction() as conn:
            await conn.execute("UPDATE channel_users SET role = ? WHERE user_id = ?",
                               (Role.STAFF.value, str(STAFF)))
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "➕ Tiếp công dân không hẹn trước")
        await bot.text(STAFF, "Hoàng Văn Hải")
        await bot.text(STAFF, "Thôn Pò Mỏ, xã Tân Thanh")
        await bot.press(STAFF, "⏭ Bỏ qua")
        await bot.press(STAFF, "Không có CCCD")
        await bot.text(STAFF, "1")
        await bot.text(STAFF, "Đề nghị sửa đường vào thôn Pò Mỏ")
        await bot.press(STAFF, "Kiến nghị")
        await bot.press(STAFF, "⏭ Chưa có")
        await bot.press(STAFF, "⏭ Chưa xác định")
        await bot.press(STAFF, "⏭ Chưa")
        await bot.press(STAFF, "⏭ Không có ghi chú")
        await bot.press(STAFF, "📝 Có: ghi nhận đơn ngay")
        saved = texts(await bot.press(STAFF, "✅ Lưu vào sổ"))
        code = saved.split("Đã ghi nhận đơn: ", 1)[1][:11]
        await agree(bot, OTHER)
        asked = await bot.text(OTHER, f"/tracuu {code}")
        labels = [button["text"] for button in asked[-1].inline_buttons()]
        told = texts(await bot.press(OTHER, "Đơn không ghi số điện thoại"))
    assert "không tra cứu được qua trò chuyện" in saved
    assert "mang theo mã này và thẻ căn cước" in saved
    assert "/tracuu" not in saved
    assert "📵 Đơn không ghi số điện thoại" in labels
    assert "theo dõi đơn tại" in told
    assert "mã tra cứu của đơn và thẻ căn cước" in told
    assert code not in told
