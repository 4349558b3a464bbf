"""Confirmations need an explicit yes: the button, its number, or «có», «đồng ý», «yes» typed
alone; «không», «thôi», «hủy» say no; anything else asks again and does nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialog.flow import no_option, option, yes_option
from bot.domain.booking import BookingStatus
from bot.domain.choices import match_confirmation
from bot.domain.users import Purpose, Role
from bot.storage import profiles as profile_store
from bot.storage import users as user_store
from tests.booking_support import (
    agree,
    book_regular,
    booking_settings,
    bookings_of,
    give_identity,
)
from tests.harness import TelegramHarness, make_settings, telegram_bot
from tests.test_staff import ADMIN, PERSON, SETTINGS, audit, give_role, press_member, user

CITIZEN = 7702
OTHER_CITIZEN = 7703
ASKED_AGAIN = "Chưa có gì được thực hiện"
OPTIONS = [yes_option("✅ Có, thu hồi"),
           option("📝 Có, kèm lý do", "reason", "co ly do"),
           no_option("✖ Không, giữ nguyên")]


@pytest.mark.parametrize(("typed", "payload"), [
    ("Có", "yes"), ("co", "yes"), ("CÓ!", "yes"), ("có ạ", "yes"), ("Đồng ý", "yes"),
    ("dong y", "yes"), ("yes", "yes"), ("1", "yes"), ("Có, thu hồi", "yes"),
    ("không", "no"), ("Khong", "no"), ("thôi", "no"), ("huy", "no"), ("Hủy", "no"),
    ("để sau", "no"), ("3", "no"), ("có lý do", "reason"),
    ("cô ấy chuyển công tác", None), ("có lẽ", None), ("tôi đồng ý một phần", None),
    ("có, nhưng để mai", None), ("xem lại đã", None), ("cóó", None), ("", None),
])
def test_a_typed_confirmation_counts_only_when_it_is_explicit(typed: str,
                                                              payload: str | None) -> None:
    """A yes is its number, its label or a yes word typed alone (case and accents aside); a
    no word says no; a sentence that merely contains «có» or «đồng ý» is no answer."""
    picked = match_confirmation(typed, OPTIONS)

    assert (picked.payload if picked else None) == payload


def test_other_options_of_a_confirmation_are_read_in_sentences() -> None:
    """Beside the yes, the other options of a review are still found in a sentence."""
    options = [yes_option("✅ Xác nhận đặt lịch", "confirm"),
               option("✏️ Đổi ngày hoặc giờ", "edit_time", "doi gio")]

    assert match_confirmation("tôi muốn đổi giờ", options) == options[1]
    assert match_confirmation("đổi giờ hay xác nhận", options) is None  # a yes and an edit
    assert match_confirmation("xác nhận", options) == options[0]


async def revoke_typing(bot: TelegramHarness, typed: str) -> str:
    """Open the revoke confirmation for PERSON as the admin, type ``typed``; return the answer."""
    await bot.text(ADMIN, "/canbo")
    await press_member(bot, ADMIN, PERSON)
    await bot.press(ADMIN, "Thu hồi vai trò")
    sent = await bot.text(ADMIN, typed)
    return "\n".join(message.text for message in sent)


@pytest.mark.parametrize("typed", ["có", "Co", "ĐỒNG Ý", "yes", "1"])
async def test_an_explicit_yes_revokes_the_role(tmp_path: Path, typed: str) -> None:
    """«có», «đồng ý», «yes» (any case, with or without accents) or the button's number
    revoke the role."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        await give_role(bot, PERSON, Role.STAFF)
        answer = await revoke_typing(bot, typed)
        person = await user(bot, PERSON)

    assert "Xong" in answer
    assert person.role is Role.CITIZEN


@pytest.mark.parametrize("typed", ["huy", "Hủy", "thôi", "không", "để sau"])
async def test_a_no_word_keeps_the_role(tmp_path: Path, typed: str) -> None:
    """«hủy», «thôi», «không», «để sau» typed at the revoke confirmation change nothing."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        await give_role(bot, PERSON, Role.STAFF)
        answer = await revoke_typing(bot, typed)
        person = await user(bot, PERSON)
        changes = await audit(bot, "role.change")

    assert "Chưa có gì thay đổi" in answer
    assert person.role is Role.STAFF
    assert [change.detail["role"] for change in changes] == ["staff"]  # only the set-up


@pytest.mark.parametrize("typed", ["cô ấy chuyển công tác", "có lẽ", "để tôi xem lại đã",
                                   "ok thu hoi nhe"])
async def test_anything_else_asks_again_and_revokes_nothing(tmp_path: Path, typed: str) -> None:
    """Other text at the revoke confirmation (even with «có» in it) shows the question again
    with a hint; the role stays until a real yes."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        await give_role(bot, PERSON, Role.STAFF)
        answer = await revoke_typing(bot, typed)
        kept = await user(bot, PERSON)
        done = await bot.press(ADMIN, "Có, thu hồi")
        revoked = await user(bot, PERSON)

    assert ASKED_AGAIN in answer
    assert "Thu hồi vai trò của" in answer
    assert kept.role is Role.STAFF
    assert "Xong" in done[0].text
    assert revoked.role is Role.CITIZEN


async def test_consent_is_not_read_into_a_sentence(tmp_path: Path) -> None:
    """At the personal-data notice, «tôi có câu hỏi» records nothing and asks again;
    «tôi không đồng ý» is a no, not an «đồng ý»; «đồng ý» typed alone agrees."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await bot.text(CITIZEN, "/start")
        question = await bot.text(CITIZEN, "tôi có câu hỏi")
        async with bot.app.database.transaction() as conn:
            unanswered = await user_store.get_consent(conn, "telegram", str(CITIZEN))
        refused = await bot.text(CITIZEN, "tôi không đồng ý")
        async with bot.app.database.transaction() as conn:
            after_no = await user_store.get_consent(conn, "telegram", str(CITIZEN))
        await bot.text(OTHER_CITIZEN, "/start")
        await bot.text(OTHER_CITIZEN, "đồng ý")
        async with bot.app.database.transaction() as conn:
            after_yes = await user_store.get_consent(conn, "telegram", str(OTHER_CITIZEN))

    assert ASKED_AGAIN in question[0].text
    assert Purpose.HANDLING not in unanswered.records
    assert "Sẽ không có thông tin nào của ông/bà bị thu thập" in refused[0].text
    assert after_no.records[Purpose.HANDLING].granted is False
    assert after_yes.granted(Purpose.HANDLING)


async def test_saved_details_are_deleted_only_on_an_explicit_yes(tmp_path: Path) -> None:
    """At «Xóa thông tin đã lưu?», «có lẽ tôi có câu hỏi» asks again and deletes nothing;
    «xóa» typed alone deletes."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN)
        await bot.press(CITIZEN, "Dữ liệu cá nhân")
        await bot.press(CITIZEN, "Xóa thông tin đã lưu")
        again = await bot.text(CITIZEN, "có lẽ tôi có câu hỏi")
        async with bot.app.database.transaction() as conn:
            kept = await profile_store.get_profile(conn, "telegram", str(CITIZEN))
        deleted = await bot.text(CITIZEN, "xóa")
        async with bot.app.database.transaction() as conn:
            gone = await profile_store.get_profile(conn, "telegram", str(CITIZEN))

    assert ASKED_AGAIN in again[0].text
    assert kept is not None
    assert "Đã xóa thông tin đã lưu" in deleted[0].text
    assert gone is None


async def test_an_appointment_is_cancelled_only_on_an_explicit_yes(tmp_path: Path) -> None:
    """At «Hủy lịch hẹn?», a sentence asks again and «hủy» alone keeps the appointment
    (it says no to the question); «có» cancels it."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN)
        code = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0].code
        await bot.text(CITIZEN, "/lichhen")
        await bot.press(CITIZEN, code)
        await bot.press(CITIZEN, "Hủy lịch hẹn")
        sentence = await bot.text(CITIZEN, "có việc bận đột xuất")
        no = await bot.text(CITIZEN, "hủy")
        still = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0]
        await bot.press(CITIZEN, "Hủy lịch hẹn")
        done = await bot.text(CITIZEN, "có")
        cancelled = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[0]

    assert ASKED_AGAIN in sentence[0].text
    assert not any("đã được hủy" in message.text for message in no)
    assert still.status is BookingStatus.BOOKED
    assert "đã được hủy" in done[0].text
    assert cancelled.status is BookingStatus.CANCELLED


async def test_a_booking_is_not_made_from_a_sentence_at_the_review(tmp_path: Path) -> None:
    """At the booking review, «tôi có 2 người» books nothing and asks again; «đổi giờ» still
    opens the time; «xác nhận» books."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await bot.press(CITIZEN, "Đặt lịch tiếp công dân")
        await bot.press(CITIZEN, "Tiếp thường xuyên")
        await bot.press(CITIZEN, "30/11")
        await bot.press(CITIZEN, "09:00")
        await bot.text(CITIZEN, "Hỏi về tiến độ giải quyết đơn")
        await bot.press(CITIZEN, "Không")
        await bot.press(CITIZEN, "Chỉ mình tôi")
        await give_identity(bot, CITIZEN)
        sentence = await bot.text(CITIZEN, "tôi có 2 người")
        none_yet = await bookings_of(bot.app, "telegram", str(CITIZEN))
        booked = await bot.text(CITIZEN, "xác nhận")
        made = await bookings_of(bot.app, "telegram", str(CITIZEN))

    assert ASKED_AGAIN in sentence[0].text
    assert none_yet == []
    assert any("Mã lịch hẹn" in message.text for message in booked)
    assert len(made) == 1
