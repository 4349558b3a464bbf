"""«Personal data»: see and delete what is kept, withdraw consent only after asking, and read
the notice in English before answering it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.domain.users import Purpose
from bot.storage import audit as audit_store
from bot.storage import profiles as profile_store
from bot.storage import users as user_store
from tests.booking_support import agree, book_regular, booking_settings
from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, telegram_bot

CITIZEN = 7701


def said(messages: Sequence[SentMessage]) -> str:
    """Return the texts of the messages sent, joined."""
    return "\n".join(message.text for message in messages)


async def consent_of(bot: TelegramHarness) -> bool:
    """Tell whether the citizen's consent to (1)(2)(3) stands."""
    async with bot.app.database.transaction() as conn:
        consent = await user_store.get_consent(conn, "telegram", str(CITIZEN))
    return consent.granted(Purpose.HANDLING)


async def test_the_saved_information_is_shown_masked_with_the_counts(tmp_path: Path) -> None:
    """«Xem thông tin đã lưu» shows the saved identity masked and how many petitions and
    appointments this chat made; the full numbers never appear."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN)
        await bot.press(CITIZEN, "Dữ liệu cá nhân")
        shown = said(await bot.press(CITIZEN, "Xem thông tin đã lưu"))
    assert "Thông tin Ban đang lưu về ông/bà" in shown
    assert "Nguyễn Văn An" in shown
    assert "0912***678" in shown
    assert "CCCD: 0791******89" in shown
    assert "079123456789" not in shown
    assert "0912345678" not in shown
    assert "Số lịch hẹn đã đặt từ cuộc trò chuyện này: 1" in shown
    assert "Số đơn đã gửi từ cuộc trò chuyện này: 0" in shown


async def test_the_saved_information_is_deleted_after_asking(tmp_path: Path) -> None:
    """«Xóa thông tin đã lưu» asks first, says that petitions sent are kept by law, and then
    deletes the saved profile (audited); «Không» deletes nothing."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await book_regular(bot, CITIZEN)
        await bot.press(CITIZEN, "Dữ liệu cá nhân")
        asked = said(await bot.press(CITIZEN, "Xóa thông tin đã lưu"))
        kept = said(await bot.press(CITIZEN, "Không, giữ lại"))
        async with bot.app.database.transaction() as conn:
            still = await profile_store.get_profile(conn, "telegram", str(CITIZEN))
        await bot.press(CITIZEN, "Xóa thông tin đã lưu")
        deleted = said(await bot.press(CITIZEN, "Có, xóa thông tin"))
        async with bot.app.database.transaction() as conn:
            gone = await profile_store.get_profile(conn, "telegram", str(CITIZEN))
            audited = await audit_store.entries(conn, "identity.forget", 5)
        buttons = bot.buttons(CITIZEN)
    assert "hồ sơ công vụ mà pháp luật yêu cầu Ban lưu giữ" in asked
    assert "Chưa có thông tin nào bị xóa." in kept
    assert still is not None
    assert "Đã xóa thông tin đã lưu của ông/bà" in deleted
    assert gone is None
    assert len(audited) == 1
    assert "Xóa thông tin đã lưu" not in buttons  # nothing left to delete


async def test_consent_is_withdrawn_only_after_confirming(tmp_path: Path) -> None:
    """«Rút lại đồng ý» asks first; «Không» keeps the consent, «Có» withdraws it."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await bot.press(CITIZEN, "Dữ liệu cá nhân")
        asked = said(await bot.press(CITIZEN, "Rút lại đồng ý mục (1)(2)(3)"))
        granted_while_asked = await consent_of(bot)
        await bot.press(CITIZEN, "Không, giữ nguyên")
        kept = await consent_of(bot)
        await bot.press(CITIZEN, "Rút lại đồng ý mục (1)(2)(3)")
        withdrawn = said(await bot.press(CITIZEN, "Có, rút lại sự đồng ý"))
        after = await consent_of(bot)
    assert "không đặt lịch hay gửi đơn tại đây được" in asked
    assert granted_while_asked
    assert kept
    assert "Ông/bà đã rút lại sự đồng ý" in withdrawn
    assert not after


async def test_back_after_a_confirmation_leaves_personal_data(tmp_path: Path) -> None:
    """After answering a confirmation, «Quay lại» goes to the menu, not to the confirmation."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        await bot.press(CITIZEN, "Dữ liệu cá nhân")
        await bot.press(CITIZEN, "Rút lại đồng ý mục (1)(2)(3)")
        await bot.press(CITIZEN, "Không, giữ nguyên")
        back = said(await bot.press(CITIZEN, "⬅ Quay lại"))
    assert "Ông/bà cần hỗ trợ việc gì?" in back


async def test_the_notice_can_be_read_in_english_before_answering(tmp_path: Path) -> None:
    """«🌐 English» on the notice switches the language and shows the notice again in
    English; the answer is then recorded as usual."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await bot.text(CITIZEN, "/start")
        english = said(await bot.press(CITIZEN, "🌐 English"))
        buttons = bot.buttons(CITIZEN)
        agreed = said(await bot.press(CITIZEN, "I agree"))
        async with bot.app.database.transaction() as conn:
            user = await user_store.get_user(conn, "telegram", str(CITIZEN))
        granted = await consent_of(bot)
    assert "Personal data notice" in english
    assert "Do you agree to the processing of your personal data" in english
    assert "🌐 Tiếng Việt" in buttons
    assert "reminders" in agreed
    assert user is not None
    assert user.language == "en"
    assert granted
