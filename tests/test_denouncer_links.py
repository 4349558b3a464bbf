"""A denouncer is never tied to a name for roles not allowed to see denouncers (domain.md §2.4).

Through the Telegram fake: the card of a mixed matter, its duplicates and history, the
petition register export, the day's queue, the booking card, the register entry, search
and the reception register export; a denunciation's files. The roles allowed see it all,
and their views are audited.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.domain.booking import Booked, BookingKind, BookingRequest
from bot.domain.petitions import PetitionFile, PetitionType
from bot.domain.users import Role
from bot.services import Actor
from bot.services.register_files import FileFormat
from tests.booking_support import agree, booking_settings, give_identity
from tests.desk_support import (
    ADMIN,
    AN,
    BINH,
    CITIZEN,
    LEADER,
    SETTINGS,
    STAFF,
    audit,
    give_role,
    petition,
    submit,
    texts,
)
from tests.harness import TelegramHarness, make_settings, telegram_bot

STORY = ("Ông B, cán bộ địa chính xã Tân Thành, đòi gia đình tôi 20 triệu đồng mới ký hồ sơ "
         "cấp giấy chứng nhận quyền sử dụng đất ở thôn Nà Pàn.")
OTHER_CITIZEN = CITIZEN + 1


async def mixed_pair(bot: TelegramHarness) -> tuple[str, str]:
    """File a mixed matter from one account: the denunciation, then the complaint naming it.

    Return the codes (denunciation, complaint).
    """
    denunciation = await submit(bot, CITIZEN, petition(
        PetitionType.DENUNCIATION, identity=BINH, respondent="Ông B, cán bộ địa chính",
        content=STORY, mixed=True))
    complaint = await submit(bot, CITIZEN, petition(
        identity=BINH, respondent="UBND xã Tân Thành", mixed=True,
        related_code=denunciation.code,
        content=STORY + f" Tôi cũng đã gửi đơn tố cáo {denunciation.code} về việc này."))
    return denunciation.code, complaint.code


async def test_staff_never_see_which_denunciation_a_named_complainant_sent(
        tmp_path: Path) -> None:
    """On the complaint half of a mixed matter staff see the complainant's name but never the
    denunciation's code (nor a hint that there is one): not as the other half, not among
    possible duplicates, not in its text, its internal notes or the register export; the
    denunciation's card does not name the complaint either. A leader sees the link, and that
    view is audited."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        await give_role(bot, LEADER, Role.LEADER)
        denunciation, complaint = await mixed_pair(bot)
        await bot.text(ADMIN, "/start")
        await bot.text(ADMIN, f"/don {complaint}")
        await bot.press(ADMIN, "Ghi chú nội bộ")
        await bot.text(ADMIN, f"Liên quan đơn tố cáo {denunciation}, xem cùng.")
        staff_card = texts(await bot.text(STAFF, f"/don {complaint}"))
        staff_buttons = bot.buttons(STAFF)
        full = texts(await bot.press(STAFF, "Toàn văn")) if any(
            "Toàn văn" in label for label in staff_buttons) else ""
        other_half = texts(await bot.text(STAFF, f"/don {denunciation}"))
        leader_card = texts(await bot.text(LEADER, f"/don {complaint}"))
        today = bot.clock.now().date()
        async with bot.app.database.transaction() as conn:
            staff = bot.app.dialog.services_for(conn, Actor("telegram", str(STAFF), Role.STAFF))
            rows = await staff.petition_register.entries(today, today)
        views = await audit(bot, "petition.denouncer_link.view")
    assert "Trần Thị Bình" in staff_card
    assert denunciation not in staff_card + full
    # Not even a hint that the named complainant's matter had a protected other half.
    assert "hỗn hợp" not in staff_card
    assert "đơn còn lại" not in staff_card
    assert "Liên quan đơn tố cáo […]" in staff_card
    assert not any(denunciation in label for label in staff_buttons)
    assert complaint not in other_half
    assert "Trần Thị Bình" not in other_half
    assert "đơn còn lại không hiển thị ở đây vì sẽ lộ người tố cáo" in other_half
    exported = next(row for row in rows if row.petition.code == complaint)
    assert exported.identity is not None
    assert exported.identity.full_name == "Trần Thị Bình"
    assert denunciation not in exported.petition.content
    assert f"đơn còn lại: {denunciation}" in leader_card
    assert f"Liên quan đơn tố cáo {denunciation}" in leader_card
    assert {entry.subject for entry in views} == {denunciation}
    assert str(LEADER) in {entry.actor_user_id for entry in views}
    assert str(STAFF) not in {entry.actor_user_id for entry in views}


async def test_a_denunciations_files_are_withheld_from_staff_and_opened_by_a_leader(
        tmp_path: Path) -> None:
    """Staff are told a denunciation's files are withheld and get no way to open them (the
    service refuses too, audited); a leader opens them, and that is audited."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        await give_role(bot, LEADER, Role.LEADER)
        photo = PetitionFile(kind="photo", file_id="photo-handwritten", channel="telegram",
                             file_name="don-viet-tay.jpg")
        code = (await submit(bot, CITIZEN, petition(
            PetitionType.DENUNCIATION, identity=BINH, files=(photo,)))).code
        staff_card = texts(await bot.text(STAFF, f"/don {code}"))
        staff_buttons = bot.buttons(STAFF)
        async with bot.app.database.transaction() as conn:
            staff = bot.app.dialog.services_for(conn, Actor("telegram", str(STAFF), Role.STAFF))
            try:
                await staff.processing.files(code)
                refused = False
            except PermissionError:
                refused = True
        await bot.text(LEADER, f"/don {code}")
        opened = await bot.press(LEADER, "📎 Tài liệu (1)")
        withheld = await audit(bot, "petition.denouncer_files.withheld")
        viewed = await audit(bot, "petition.denouncer_files.view")
    assert "Tài liệu kèm theo: 1, không hiển thị" in staff_card
    assert not any("📎" in label for label in staff_buttons)
    assert refused
    assert any(message.photo is not None for message in opened)
    assert [entry.subject for entry in withheld] == [code]
    assert [entry.actor_user_id for entry in viewed] == [str(LEADER)]


async def book_with_petition(bot: TelegramHarness, user: int, topic: str) -> str:
    """Book regular reception today at 09:00 with ``topic`` (naming a petition); return what
    the bot said about the petition."""
    await bot.press(user, "Đặt lịch tiếp công dân")
    await bot.press(user, "Tiếp thường xuyên")
    await bot.press(user, "26/11")
    await bot.press(user, "09:00")
    said = texts(await bot.text(user, topic))
    await bot.press(user, "Chỉ mình tôi")
    await give_identity(bot, user, name="Trần Thị Hoa")
    await bot.press(user, "Xác nhận đặt lịch")
    return said


def with_admin(tmp_path: Path) -> Any:
    """Return booking settings with ADMIN named an administrator."""
    return booking_settings(tmp_path, admins=[f"telegram:{ADMIN}"])


async def test_a_booking_never_shows_staff_the_denunciation_it_is_linked_to(
        tmp_path: Path) -> None:
    """A citizen books and links their own denunciation: the queue, the booking card, the
    register entry, search and the register export show staff only that a protected
    petition is linked, never its code, even where the citizen wrote it in the matter; an
    administrator (allowed) sees the code."""
    async with telegram_bot(with_admin(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        code = (await submit(bot, CITIZEN, petition(PetitionType.DENUNCIATION,
                                                    identity=BINH))).code
        linked = await book_with_petition(bot, CITIZEN, f"Trình bày thêm về đơn {code}")
        await give_role(bot, STAFF, Role.STAFF)
        await bot.text(ADMIN, "/start")
        queue = texts(await bot.text(STAFF, "/hangdoi"))
        card = texts(await bot.press(STAFF, "⋯ 1"))
        admin_queue = texts(await bot.text(ADMIN, "/hangdoi"))
        bot.clock.advance(timedelta(hours=1, minutes=5))
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "✅ Đã đến")
        await bot.press(STAFF, "▶ Bắt đầu tiếp")
        await bot.press(STAFF, "📝 Xong: ghi sổ")
        await bot.press(STAFF, "Tố cáo")
        await bot.press(STAFF, "⏭ Chưa có")
        await bot.press(STAFF, "⏭ Chưa xác định")
        await bot.press(STAFF, "⏭ Chưa")
        review = texts(await bot.press(STAFF, "⏭ Không có ghi chú"))
        await bot.press(STAFF, "✅ Lưu vào sổ")
        found = texts(await bot.text(STAFF, "/timkiem Trần Thị Hoa"))
        async with bot.app.database.transaction() as conn:
            staff = bot.app.dialog.services_for(conn, Actor("telegram", str(STAFF), Role.STAFF))
            exported = await staff.register.export(date(2026, 11, 1), date(2026, 11, 30), None,
                                                   FileFormat.CSV)
    assert f"Đơn {code} của ông/bà sẽ được gắn với lịch hẹn này" in linked
    for shown in (queue, card, review, found):
        assert "Trần Thị Hoa" in shown
        assert code not in shown
    # Nothing beside the name says a protected petition is linked: the code is left out.
    for shown in (queue, card, review, found):
        assert "bảo vệ" not in shown
        assert "Đơn liên quan" not in shown
    assert "Trình bày thêm về đơn […]" in queue
    content = exported.content.decode("utf-8-sig")
    assert "Trần Thị Hoa" in content
    assert code not in content
    assert code in admin_queue


async def test_a_booking_links_only_the_bookers_own_existing_petition(
        tmp_path: Path) -> None:
    """Another person's petition code, or a code that names no petition, is not linked: the
    same kind words for both (nothing says whether it exists), and the booking goes on
    without a petition."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        code = (await submit(bot, CITIZEN, petition(PetitionType.DENUNCIATION,
                                                    identity=BINH))).code
        await agree(bot, OTHER_CITIZEN)
        await bot.press(OTHER_CITIZEN, "Đặt lịch tiếp công dân")
        await bot.press(OTHER_CITIZEN, "Tiếp thường xuyên")
        await bot.press(OTHER_CITIZEN, "26/11")
        await bot.press(OTHER_CITIZEN, "09:00")
        someone_elses = texts(await bot.text(OTHER_CITIZEN, f"Hỏi về đơn {code}"))
        nowhere = texts(await bot.text(OTHER_CITIZEN, "D-AAAA-BBBB"))
        await bot.press(OTHER_CITIZEN, "Tiếp tục, không gắn đơn")
        await bot.press(OTHER_CITIZEN, "Chỉ mình tôi")
        review = texts(await give_identity(bot, OTHER_CITIZEN))
        await bot.press(OTHER_CITIZEN, "Xác nhận đặt lịch")
        async with bot.app.database.transaction() as conn:
            rows = list(await conn.execute_fetchall(
                "SELECT petition_code FROM bookings WHERE user_id = ?", (str(OTHER_CITIZEN),)))
    assert f"không tìm thấy đơn {code} trong các đơn gửi từ tài khoản trò chuyện này" in \
        someone_elses
    assert "không tìm thấy đơn D-AAAA-BBBB trong các đơn gửi từ tài khoản trò chuyện này" in \
        nowhere
    # Word for word the same: nothing tells a code that exists from one that does not.
    assert someone_elses.splitlines()[0].replace(code, "X") == \
        nowhere.splitlines()[0].replace("D-AAAA-BBBB", "X")
    assert "Đơn liên quan" not in review
    assert [row["petition_code"] for row in rows] == [None]


async def test_the_service_drops_a_link_to_a_petition_the_booker_did_not_file(
        tmp_path: Path) -> None:
    """Booking through the service with another person's petition code stores no link (a
    forged or stale draft cannot slip one through), and the refusal is audited; the owner's
    own code is kept."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await agree(bot, CITIZEN)
        code = (await submit(bot, CITIZEN, petition(PetitionType.DENUNCIATION,
                                                    identity=BINH))).code
        await agree(bot, OTHER_CITIZEN)
        async with bot.app.database.transaction() as conn:
            booked = []
            for user_id, identity in ((OTHER_CITIZEN, AN), (CITIZEN, BINH)):
                services = bot.app.dialog.services_for(
                    conn, Actor("telegram", str(user_id), Role.CITIZEN))
                user = await services.users.get("telegram", str(user_id))
                assert user is not None
                view = (await services.bookings.slots(BookingKind.REGULAR, "main",
                                                      date(2026, 11, 30), None))[0]
                outcome = await services.bookings.book(user, BookingRequest(
                    slot=view.key, topic="Trình bày thêm", people=1, identity=identity,
                    petition_code=code))
                assert isinstance(outcome, Booked)
                booked.append(outcome.booking.petition_code)
        refused = await audit(bot, "booking.petition_link_refused")
    assert booked == [None, code]
    assert [entry.subject for entry in refused] == [f"telegram:{OTHER_CITIZEN}"]


async def test_a_named_petition_is_never_suggested_beside_a_denunciation_to_staff(
        tmp_path: Path) -> None:
    """A denouncer's named recommendation about the same official is not offered to staff as
    a possible duplicate of the denunciation (nor the other way round): same respondent, same
    place and same days beside a name come close to naming the denouncer. A leader, who may
    see denouncers, gets the suggestion."""
    official = "Ông Nguyễn Văn B, cán bộ địa chính xã Tân Thành"
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        await give_role(bot, LEADER, Role.LEADER)
        denunciation = (await submit(bot, CITIZEN, petition(
            PetitionType.DENUNCIATION, respondent=official, identity=BINH))).code
        named = (await submit(bot, CITIZEN, petition(
            PetitionType.RECOMMENDATION, respondent=official, identity=BINH))).code
        staff_named = texts(await bot.text(STAFF, f"/don {named}"))
        staff_buttons = bot.buttons(STAFF)
        staff_denunciation = texts(await bot.text(STAFF, f"/don {denunciation}"))
        leader_named = texts(await bot.text(LEADER, f"/don {named}"))
    assert "Trần Thị Bình" in staff_named
    assert denunciation not in staff_named
    assert not any(denunciation in label for label in staff_buttons)
    assert named not in staff_denunciation
    assert denunciation in leader_named
