"""/timkiem: staff find petitions, appointments and register rows by code, phone, CCCD, name."""

from __future__ import annotations

import json
from pathlib import Path

from bot.domain.petitions import PetitionType
from bot.domain.processing import name_key
from bot.domain.users import Role
from bot.storage.database import to_db
from tests.booking_support import agree, book_regular, booking_settings
from tests.desk_support import (
    AN,
    BINH,
    CITIZEN,
    LEADER,
    STAFF,
    audit,
    give_role,
    person,
    petition,
    submit,
    texts,
)
from tests.harness import TelegramHarness, telegram_bot

BOOKER = 5005


async def add_visit(bot: TelegramHarness, name: str, phone_e164: str, cccd: str) -> None:
    """Write a reception-register row as the register does (its writer is another feature)."""
    identity = person(name, "0" + phone_e164[3:], cccd)
    now = bot.clock.now()
    async with bot.app.database.transaction() as conn:
        await conn.execute(
            "INSERT INTO visits (site_id, serial, received_on, received_at, mode, people, "
            "full_name, name_folded, phone_e164, cccd_digest, cccd_masked, summary, "
            "created_at, updated_at) VALUES ('main', 1, '2026-11-20', ?, 'regular', 1, ?, ?, "
            "?, ?, ?, 'Hỏi về bồi thường đất', ?, ?)",
            (to_db(now), name, name_key(name), phone_e164, identity.cccd_digest,
             identity.cccd_masked, to_db(now), to_db(now)))


async def search(bot: TelegramHarness, user: int, text: str) -> str:
    """Search with /timkiem TEXT; return what the bot showed."""
    return texts(await bot.text(user, f"/timkiem {text}"))


async def test_search_finds_each_key_across_petitions_appointments_and_the_register(
        tmp_path: Path) -> None:
    """A tracking code, a booking code, a phone, a CCCD number and a name typed without
    diacritics each find the person's petition, appointment and register row, masked."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition(identity=AN))).code
        await agree(bot, BOOKER)
        booked = texts(await book_regular(bot, BOOKER))
        booking_code = next(word for word in booked.replace(".", " ").split()
                            if word.startswith("H-"))
        await add_visit(bot, "Nguyễn Văn An", "+84912345678", "001085012345")
        by_code = await search(bot, STAFF, code)
        by_booking = await search(bot, STAFF, booking_code)
        by_phone = await search(bot, STAFF, "0912 345 678")
        by_cccd = await search(bot, STAFF, "001085012345")
        by_name = await search(bot, STAFF, "nguyen van an")
        opened = texts(await bot.press(STAFF, code))
        by_given_name = await search(bot, STAFF, "An")
        searches = await audit(bot, "search")
    assert code in by_code
    assert "Nguyễn Văn An" in by_code
    assert booking_code in by_booking
    assert "Lịch hẹn" in by_booking
    for found in (by_phone, by_name):
        assert code in found
        assert booking_code in found
        assert "Sổ tiếp công dân" in found
    assert code in by_cccd
    assert "Hỏi về bồi thường đất" in by_cccd
    assert booking_code not in by_cccd  # the booking was made with another CCCD number
    for found in (by_phone, by_cccd, by_name):
        assert "0912***678" in found
        assert "0912345678" not in found
        assert "001085012345" not in found
    assert f"Đơn {code}" in opened
    # A given name alone finds nothing, and the answer says how names are searched.
    assert "Tên được tìm từ họ" in by_given_name
    assert [entry.subject for entry in searches] == ["name", "name", "cccd", "phone"]
    assert all("0912" not in json.dumps(entry.detail) for entry in searches)


async def test_a_denouncer_is_found_only_by_the_roles_that_may_see_them(tmp_path: Path) -> None:
    """Searching a denouncer's phone finds their denunciation for a leader (audited), and
    nothing for reception staff; a typed number that is not valid is said so."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        await give_role(bot, LEADER, Role.LEADER)
        code = (await submit(bot, CITIZEN, petition(
            PetitionType.DENUNCIATION, respondent="Ông Nguyễn Văn B", identity=BINH))).code
        staff_found = await search(bot, STAFF, "0987654321")
        staff_by_code = await search(bot, STAFF, code)
        leader_found = await search(bot, LEADER, "0987654321")
        invalid = await search(bot, STAFF, "0123")
        views = await audit(bot, "petition.denouncer_identity.view")
    assert code not in staff_found
    assert "Không tìm thấy" in staff_found
    assert code in staff_by_code
    assert "Trần Thị Bình" not in staff_by_code
    assert "giữ bí mật" in staff_by_code
    assert code in leader_found
    assert "Trần Thị Bình" in leader_found
    assert "Số điện thoại không hợp lệ" in invalid
    assert views
    assert views[0].subject == code
    assert views[0].detail["via"] == "search"
