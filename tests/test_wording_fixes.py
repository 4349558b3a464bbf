"""Wording found wrong by QA: anonymous petitions, the card's deadline, the inbox list, the
file limit's neighbour, «mã tra cứu», and the resume prompt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from babel.messages.pofile import read_po

from bot.domain.clock import FixedClock
from bot.domain.petitions import PetitionType
from bot.domain.users import Role
from bot.services import Actor
from tests.desk_support import AN, CITIZEN, SETTINGS, STAFF, give_role, petition, submit, texts
from tests.harness import DEFAULT_NOW, make_settings, telegram_bot
from tests.petitioning import (
    agree,
    code_in,
    driver,
    file_complaint,
)

CATALOG = Path(__file__).resolve().parents[1] / "locales" / "vi" / "LC_MESSAGES" / "messages.po"


async def test_an_anonymous_petition_is_not_asked_to_be_signed_nor_counted_as_signed(
        tmp_path: Path) -> None:
    """Sent without a name, a recommendation's review shows no count of people «đứng tên»
    and its receipt no invitation to sign at the office with an ID card; a named complaint's
    receipt still has it. Staff see no count of signatories on its card either."""
    settings = make_settings(tmp_path, SETTINGS)
    async with driver("terminal", settings, tmp_path) as person:
        await agree(person)
        await person.choose("Gửi đơn")
        await person.choose("Kiến nghị")
        await person.say("Đường vào thôn Nà Pàn bị hỏng")
        await person.choose("Không thuộc riêng xã, phường nào")
        await person.say("Đường đất, mùa mưa trẻ em không đi học được.")
        await person.say("xong")
        await person.say("Đề nghị làm đường bê tông trước mùa mưa.")
        await person.choose("Chưa có cơ quan nào giải quyết")
        await person.choose("Chỉ mình tôi")
        await person.choose("Không có tài liệu")
        review = await person.choose("Gửi không ghi tên")
        receipt = await person.choose("Gửi đơn")
        named = await file_complaint(person)
    async with telegram_bot(settings) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        card = texts(await bot.text(STAFF, f"/don {code_in(receipt)}"))
    assert "Người gửi: không ghi tên" in review
    assert "đứng tên" not in review
    assert "ký hoặc điểm chỉ" not in receipt
    assert "thẻ căn cước" not in receipt
    assert "không cần đến ký đơn" in receipt
    assert "chỉ tài khoản trò chuyện này tra cứu được" in receipt
    assert "ký hoặc điểm chỉ" in named
    assert "Đơn không ghi tên." in card
    assert "Số người đứng tên" not in card


async def test_the_card_says_due_once_and_the_inbox_numbers_once(tmp_path: Path) -> None:
    """The card's deadline reads «Hạn xử lý: 07/12/2026 (…)» with no second «hạn»; the inbox
    lists each petition once numbered (its button is the code) and leaves no dangling dash;
    a typed number opens that petition; a petition handed in at a visit is about its summary."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        named = (await submit(bot, CITIZEN, petition())).code
        async with bot.app.database.transaction() as conn:
            staff = bot.app.dialog.services_for(conn, Actor("telegram", str(STAFF), Role.STAFF))
            walk_in = (await staff.petitions.file_at_visit(
                kind=PetitionType.RECOMMENDATION, identity=AN, summary="Sửa đường thôn",
                prior_body=None, people=1, site_id="main", case_id=None,
                received_at=bot.clock.now())).code
        card = texts(await bot.text(STAFF, f"/don {named}"))
        walk_in_card = texts(await bot.text(STAFF, f"/don {walk_in}"))
        inbox = texts(await bot.text(STAFF, "/don"))
        buttons = bot.buttons(STAFF)
        opened = texts(await bot.text(STAFF, "1"))
    assert "Hạn xử lý: 07/12/2026 (còn 7 ngày làm việc)" in card
    assert "Hạn xử lý: hạn" not in card
    assert named in buttons
    assert walk_in in buttons
    assert not any(label.startswith(("1.", "2.")) for label in buttons)
    assert not any(line.rstrip().endswith("—") for line in inbox.splitlines())
    assert "Đơn " + buttons[0] in opened
    # A petition handed in at a visit is about its summary, not about nothing.
    assert "Về việc: Sửa đường thôn" in walk_in_card


async def test_the_resume_prompt_says_when_the_draft_was_saved(tmp_path: Path) -> None:
    """Coming back to a petition left a minute ago, the prompt says it was saved unfinished
    at that time, not that it was started then."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver("terminal", make_settings(tmp_path), tmp_path, clock=clock) as person:
        await agree(person)
        await person.choose("Gửi đơn")
        await person.choose("Kiến nghị")
        await person.say("Đường vào thôn Nà Pàn bị hỏng")
        await person.say("/start")
        clock.advance(timedelta(minutes=1))
        offered = await person.choose("Gửi đơn")
    assert "đang làm dở đã được lưu lúc 08:00 26/11/2026" in offered
    assert "bắt đầu" not in offered


def test_citizen_text_calls_a_code_a_tracking_code() -> None:
    """No Vietnamese text calls a code «mã hồ sơ»: citizens read «mã tra cứu» everywhere."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    found = [message.id for message in catalog if message.id and isinstance(
        message.string, str) and "mã hồ sơ" in message.string.lower()]
    assert found == []
