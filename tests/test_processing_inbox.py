"""The staff inbox and a petition's card: order, filters with counts, duplicates, identity."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.domain.petitions import PetitionType, Status
from bot.domain.users import Role
from bot.services import Actor
from bot.storage import petitions as petition_store
from tests.desk_support import (
    AN,
    BINH,
    CITIZEN,
    CUONG,
    LEADER,
    SETTINGS,
    STAFF,
    audit,
    give_role,
    petition,
    press_all,
    submit,
    texts,
)
from tests.harness import TelegramHarness, make_settings, telegram_bot

TWO_SITES: dict[str, Any] = {
    **SETTINGS,
    "sites": [{"id": "main", "name": "Trụ sở chính"},
              {"id": "east", "name": "Điểm tiếp dân phía Đông"}],
}


async def move(bot: TelegramHarness, code: str, *targets: Status, **extra: Any) -> None:
    """Move a petition through ``targets`` as the system (set-up only)."""
    async with bot.app.database.transaction() as conn:
        services = bot.app.dialog.services_for(conn, Actor.system())
        for target in targets:
            await services.petitions.transition(code, target, **extra)


async def test_the_inbox_lists_new_then_near_or_past_deadline_then_the_rest(
        tmp_path: Path) -> None:
    """New petitions come first, then those whose deadline is near or passed, then the
    rest; closed ones are left out until asked for, with the counts on the status filter."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        now = bot.clock.now()
        later = (await submit(bot, CITIZEN, petition(respondent="Sở Y tế"))).code
        overdue = (await submit(bot, CITIZEN, petition(respondent="Sở Xây dựng"),
                                now - timedelta(days=40))).code
        soon = (await submit(bot, CITIZEN, petition(respondent="Sở Tư pháp"),
                             now - timedelta(days=8))).code
        fresh = (await submit(bot, CITIZEN, petition(respondent="Sở Tài chính"),
                              now - timedelta(days=1))).code
        closed = (await submit(bot, CITIZEN, petition(respondent="Sở Công Thương"))).code
        for code in (later, overdue, soon):
            await move(bot, code, Status.CLASSIFYING)
        await move(bot, closed, Status.CLASSIFYING)
        await move(bot, closed, Status.ARCHIVED, note="Đơn trùng")
        inbox = texts(await bot.text(STAFF, "/don"))
        order = [code for code in (fresh, overdue, soon, later, closed) if code in inbox]
        positions = sorted(order, key=inbox.index)
        statuses = texts(await bot.press(STAFF, "Tình trạng"))
        labels = bot.buttons(STAFF)
        closed_list = texts(await bot.press(STAFF, "Đã kết thúc"))
    assert positions == [fresh, overdue, soon, later]
    assert closed not in inbox
    assert "🆕 Mới: 1" in inbox
    assert "(quá hạn: 1)" in inbox
    assert "Xem những đơn nào?" in statuses
    assert "Đang xử lý (4)" in labels
    assert "Quá hạn (1)" in labels
    assert "Đang phân loại (3)" in labels
    assert "Đã kết thúc (1)" in labels
    assert closed in closed_list
    assert fresh not in closed_list


async def test_filters_show_counts_and_narrow_the_list(tmp_path: Path) -> None:
    """Each filter lists its values with how many petitions each would show; choosing one
    narrows the list, and a commune can be typed without diacritics."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor.system())
            tam_thanh = services.petitions.match_place("phường Tam Thanh").unit
        assert tam_thanh is not None
        complaint = (await submit(bot, CITIZEN, petition(place_code=tam_thanh.code))).code
        report = (await submit(bot, CITIZEN, petition(
            PetitionType.REPORT, respondent="Bãi rác chợ Đông Kinh", identity=None))).code
        denunciation = (await submit(bot, CITIZEN, petition(
            PetitionType.DENUNCIATION, respondent="Ông Nguyễn Văn B", identity=BINH))).code
        await bot.text(STAFF, "/don")
        await bot.press(STAFF, "🔖 Loại đơn")
        kinds = bot.buttons(STAFF)
        only_reports = texts(await bot.press(STAFF, "Phản ánh"))
        await bot.press(STAFF, "Bỏ lọc")
        await bot.press(STAFF, "Xã, phường")
        communes = bot.buttons(STAFF)
        typed = texts(await bot.text(STAFF, "tam thanh"))
    assert "Tất cả các loại (3)" in kinds
    assert "Khiếu nại (1)" in kinds
    assert "Phản ánh (1)" in kinds
    assert "Tố cáo (1)" in kinds
    assert "Kiến nghị (0)" in kinds
    assert report in only_reports
    assert complaint not in only_reports
    assert denunciation not in only_reports
    assert "Loại: Phản ánh" in only_reports
    assert "Phường Tam Thanh (1)" in communes
    assert "Không ghi xã, phường (2)" in communes
    assert complaint in typed
    assert report not in typed


async def test_a_staff_member_sees_their_site_and_online_petitions_first(tmp_path: Path) -> None:
    """With several sites, the inbox of someone working at one shows that site's petitions
    and the online ones no site has taken yet; classification can send one to a site."""
    async with telegram_bot(make_settings(tmp_path, TWO_SITES)) as bot:
        await give_role(bot, STAFF, Role.STAFF, site="east")
        online = (await submit(bot, CITIZEN, petition())).code
        elsewhere = (await submit(bot, CITIZEN, petition(respondent="Sở Y tế"))).code
        async with bot.app.database.transaction() as conn:
            await conn.execute("UPDATE petitions SET site_id = 'main' WHERE code = ?",
                               (elsewhere,))
        inbox = texts(await bot.text(STAFF, "/don"))
        await bot.press(STAFF, online)
        await press_all(bot, STAFF, "Phân loại", "Khiếu nại", "Đất đai", "Có, đủ điều kiện",
                        "Không thuộc thẩm quyền", "Không")
        sites = bot.buttons(STAFF)
        await press_all(bot, STAFF, "Điểm tiếp dân phía Đông", "Lưu")
        async with bot.app.database.transaction() as conn:
            taken = await petition_store.get_by_code(conn, online)
        await bot.press(STAFF, "Về danh sách")
        await bot.press(STAFF, "Điểm tiếp nhận")
        counts = bot.buttons(STAFF)
    assert online in inbox
    assert elsewhere not in inbox
    assert "Điểm tiếp nhận: Điểm tiếp dân phía Đông và đơn trực tuyến" in inbox
    assert "✓ Điểm tiếp dân phía Đông" in sites  # the staff member's own site is proposed
    assert taken is not None
    assert taken.site_id == "east"
    assert "Trụ sở chính (1)" in counts
    assert "Điểm tiếp dân phía Đông (1)" in counts
    assert "Tất cả các điểm tiếp dân (2)" in counts


async def test_possible_duplicates_are_suggested_with_their_reasons(tmp_path: Path) -> None:
    """The card suggests petitions that may be the same matter, each with why: the same
    CCCD, the same body complained about, similar content; the citizen was not blocked."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        first = (await submit(bot, CITIZEN, petition())).code
        same_person = (await submit(bot, CITIZEN + 1, petition(
            content="Gia đình tôi bị thu hồi đất, đề nghị xem xét lại."))).code
        same_text = (await submit(bot, CITIZEN + 2, petition(
            identity=CUONG, respondent="Chủ tịch UBND xã"))).code
        unrelated = (await submit(bot, CITIZEN + 3, petition(
            identity=BINH, respondent="Công ty điện lực",
            content="Tiền điện tháng này tăng gấp ba, đề nghị kiểm tra lại công tơ."))).code
        card = texts(await bot.text(STAFF, f"/don {first}"))
    section = card.split("Có thể cùng vụ việc", 1)[1]
    lines = {line.split()[1]: line for line in section.splitlines() if line.startswith("• ")}
    assert "cùng số CCCD" in lines[same_person]
    assert "cùng số điện thoại" in lines[same_person]
    assert "cùng cơ quan, người bị khiếu nại, tố cáo" in lines[same_person]
    assert "nội dung tương tự" in lines[same_text]
    assert "CCCD" not in lines[same_text]
    assert unrelated not in section
    assert "công dân không bị chặn gửi đơn" in card


async def test_a_denouncers_identity_is_withheld_from_staff_and_shown_audited_to_a_leader(
        tmp_path: Path) -> None:
    """Staff see a denunciation with its sender withheld, with no way to show it, and no
    match on the sender; a leader (allowed by default) can show it, and the view is audited."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        await give_role(bot, LEADER, Role.LEADER)
        code = (await submit(bot, CITIZEN, petition(
            PetitionType.DENUNCIATION, respondent="Ông Nguyễn Văn B, cán bộ địa chính",
            identity=BINH))).code
        other = (await submit(bot, CITIZEN, petition(
            identity=BINH, respondent="Công ty điện lực",
            content="Tiền điện tháng này tăng gấp ba, đề nghị kiểm tra lại công tơ."))).code
        staff_card = texts(await bot.text(STAFF, f"/don {code}"))
        staff_buttons = bot.buttons(STAFF)
        forged = texts(await bot.send(bot.api.callback_update(
            STAFF, bot.api.last_to(STAFF), bot.api.last_to(STAFF).inline_buttons()[0][
                "callback_data"].split("|")[0] + "|reveal")))
        leader_card = texts(await bot.text(LEADER, f"/don {code}"))
        shown = texts(await bot.press(LEADER, "Xem người gửi"))
        views = await audit(bot, "petition.denouncer_identity.view")
    assert "Giữ bí mật" in staff_card
    assert "Trần Thị Bình" not in staff_card
    assert "0987***321" not in staff_card
    assert other not in staff_card  # a match on the sender would name the denouncer
    assert not any("Xem người gửi" in label for label in staff_buttons)
    assert "Trần Thị Bình" not in forged
    assert "Trần Thị Bình" not in leader_card
    assert "Trần Thị Bình" in shown
    assert "0987***321" in shown
    assert "079185012345" not in shown
    assert other in leader_card
    assert "cùng số CCCD" in leader_card
    assert views
    assert views[0].subject == code
    assert views[0].actor_user_id == str(LEADER)


async def test_a_petition_classified_as_a_denunciation_gets_its_sender_protected(
        tmp_path: Path) -> None:
    """When staff classify a report as a denunciation, its sender moves to the protected
    tables: staff see it withheld from then on, and the search copies are cleared."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition(PetitionType.REPORT, identity=AN))).code
        before = texts(await bot.text(STAFF, f"/don {code}"))
        await press_all(bot, STAFF, "Phân loại", "Tố cáo", "Tham nhũng", "Có, đủ điều kiện",
                        "Thuộc thẩm quyền", "Không", "Lưu")
        after = bot.last_text(STAFF)
        async with bot.app.database.transaction() as conn:
            found = await petition_store.get_by_code(conn, code)
            assert found is not None
            rows = list(await conn.execute_fetchall(
                "SELECT name_folded, phone_e164 FROM petitions WHERE id = ?", (found.id,)))
            kept = await petition_store.identity(conn, found.id, protected=True)
            open_copy = await petition_store.identity(conn, found.id, protected=False)
    assert "Nguyễn Văn An" in before
    assert "Nguyễn Văn An" not in after
    assert "Giữ bí mật" in after
    assert (rows[0]["name_folded"], rows[0]["phone_e164"]) == (None, None)
    assert kept is not None
    assert kept.full_name == "Nguyễn Văn An"
    assert open_copy is None
