"""Petition processing through Telegram: each action, what is recorded, what the citizen is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.petitions import Competence, Field, PetitionEvent, PetitionType, Status
from bot.domain.processing import Classification
from bot.domain.users import Role
from bot.services import Actor
from bot.services.processing import ActionRefusedError
from bot.storage import petitions as petition_store
from tests.desk_support import (
    ADMIN,
    BINH,
    CITIZEN,
    CUONG,
    DENIED,
    LEADER,
    OTHER_STAFF,
    SETTINGS,
    STAFF,
    audit,
    give_role,
    notices,
    petition,
    press_all,
    submit,
    texts,
    vi_status,
)
from tests.harness import TelegramHarness, make_settings, telegram_bot
from tests.petitioning import TelegramDriver, agree, code_in, file_complaint, stored


async def open_card(bot: TelegramHarness, code: str, user: int = STAFF) -> str:
    """Open a petition's card with /don CODE; return what the bot showed."""
    return texts(await bot.text(user, f"/don {code}"))


async def classify(bot: TelegramHarness, code: str, *, competence: str = "Thuộc thẩm quyền",
                   reason: str | None = None) -> str:
    """Classify a complaint about land through the card; return the answer to «Save»."""
    await open_card(bot, code)
    await press_all(bot, STAFF, "Phân loại", "Khiếu nại", "Đất đai")
    if reason is None:
        await bot.press(STAFF, "Có, đủ điều kiện")
    else:
        await bot.press(STAFF, "Không đủ điều kiện")
        await bot.text(STAFF, reason)
    await bot.press(STAFF, competence)
    if competence == "Thuộc thẩm quyền":
        await bot.press(STAFF, "Không")  # not the chairman's
    await bot.press(STAFF, "Không")  # does not skip a level
    return texts(await bot.press(STAFF, "Lưu"))


async def events(bot: TelegramHarness, code: str) -> list[PetitionEvent]:
    """Return a petition's recorded status changes."""
    async with bot.app.database.transaction() as conn:
        found = await petition_store.get_by_code(conn, code)
        assert found is not None
        return await petition_store.events(conn, found.id)


async def test_classify_accept_and_resolve_are_recorded_and_told(tmp_path: Path) -> None:
    """Classifying, considering, accepting (with a decision) and resolving (with the result)
    each record who, when, the note and the document, and each is told to the citizen."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition())).code
        saved = await classify(bot, code)
        assert f"Đã phân loại đơn {code}" in saved
        told = await notices(bot, CITIZEN)
        assert vi_status(Status.CLASSIFYING) in told

        await bot.press(STAFF, "Xem xét thụ lý")
        await bot.press(STAFF, "Bỏ qua")
        confirm = bot.last_text(STAFF)
        assert "Công dân sẽ được báo" in confirm
        await bot.press(STAFF, "Xác nhận")
        assert vi_status(Status.UNDER_REVIEW) in await notices(bot, CITIZEN)

        await bot.press(STAFF, "Thụ lý")
        await bot.text(STAFF, "15/QĐ-UBND ngày 27/11/2026")
        await bot.press(STAFF, "Bỏ qua")
        done = texts(await bot.press(STAFF, "Xác nhận"))
        assert f"nay ở tình trạng «{vi_status(Status.ACCEPTED)}»" in done
        told = await notices(bot, CITIZEN)
        assert "đã được thụ lý" in told
        assert "Văn bản số 15/QĐ-UBND ngày 27/11/2026" in told
        assert "Hạn giải quyết" in told

        await bot.press(STAFF, "Đã giải quyết")
        await bot.text(STAFF, "40/QĐ-UBND")
        prompt = bot.last_text(STAFF)
        assert "Kết quả giải quyết là gì?" in prompt
        assert "Bỏ qua" not in prompt
        await bot.text(STAFF, "Hủy quyết định thu hồi đất, bồi thường cho gia đình.")
        await bot.press(STAFF, "Xác nhận")
        told = await notices(bot, CITIZEN)
        assert vi_status(Status.RESOLVED) in told
        assert "Kết quả: Hủy quyết định thu hồi đất, bồi thường cho gia đình." in told
        looked_up = texts(await bot.text(CITIZEN, f"/tracuu {code}"))
        assert "Kết quả: Hủy quyết định thu hồi đất, bồi thường cho gia đình." in looked_up

        history = await events(bot, code)
        async with bot.app.database.transaction() as conn:
            stored_petition = await petition_store.get_by_code(conn, code)
    assert [e.to_status for e in history] == [Status.RECEIVED, Status.CLASSIFYING,
                                              Status.UNDER_REVIEW, Status.ACCEPTED,
                                              Status.RESOLVED]
    accepted, resolved = history[3], history[4]
    assert (accepted.actor_channel, accepted.actor_user_id, accepted.actor_role) == (
        "telegram", str(STAFF), "staff")
    assert accepted.document_no == "15/QĐ-UBND"
    assert accepted.document_date is not None
    assert accepted.document_date.isoformat() == \
        "2026-11-27"
    assert resolved.note == "Hủy quyết định thu hồi đất, bồi thường cho gia đình."
    assert "Đất đai" in history[1].note
    assert stored_petition is not None
    assert stored_petition.field is Field.LAND
    assert stored_petition.competence is Competence.OURS
    assert stored_petition.eligible is True
    assert stored_petition.classified_at is not None
    assert stored_petition.closed_at is not None


async def test_guiding_names_the_competent_body_to_the_citizen(tmp_path: Path) -> None:
    """Guiding a petition that is not ours records the body and tells the citizen its name."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition())).code
        await classify(bot, code, competence="Không thuộc thẩm quyền")
        await notices(bot, CITIZEN)
        await bot.press(STAFF, "Hướng dẫn đến cơ quan")
        await bot.text(STAFF, "Tòa án nhân dân khu vực 1 - Lạng Sơn")
        await bot.press(STAFF, "Bỏ qua: không có văn bản")
        await bot.press(STAFF, "Bỏ qua: không ghi chú")
        await bot.press(STAFF, "Xác nhận")
        told = await notices(bot, CITIZEN)
        history = await events(bot, code)
    assert "Tòa án nhân dân khu vực 1 - Lạng Sơn" in told
    assert history[-1].to_status is Status.GUIDED
    assert history[-1].agency == "Tòa án nhân dân khu vực 1 - Lạng Sơn"


async def test_the_same_content_is_forwarded_only_once(tmp_path: Path) -> None:
    """A petition is forwarded with its document number and the citizen told; a second
    petition on the same matter from the same person cannot be forwarded again, and the
    refusal says why and which petition went where."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        first = (await submit(bot, CITIZEN, petition())).code
        second = (await submit(bot, CITIZEN + 1, petition(
            content="Tôi gửi lại đơn vì chưa thấy trả lời về việc thu hồi đất."))).code
        await classify(bot, first, competence="Không thuộc thẩm quyền")
        await bot.press(STAFF, "Chuyển đơn")
        await bot.text(STAFF, "Sở Nông nghiệp và Môi trường")
        await bot.text(STAFF, "120/BTCD-XLĐ ngày 27/11/2026")
        await bot.press(STAFF, "Bỏ qua")
        await bot.press(STAFF, "Xác nhận")
        told = await notices(bot, CITIZEN)
        assert "Sở Nông nghiệp và Môi trường" in told
        assert "120/BTCD-XLĐ" in told

        await classify(bot, second, competence="Không thuộc thẩm quyền")
        await bot.press(STAFF, "Chuyển đơn")
        await bot.text(STAFF, "Sở Nông nghiệp và Môi trường")
        await bot.text(STAFF, "121/BTCD-XLĐ")
        await bot.press(STAFF, "Bỏ qua")
        refused = texts(await bot.press(STAFF, "Xác nhận"))
        second_history = await events(bot, second)
        refusals = await audit(bot, "petition.forward_refused")
    assert f"Đơn {first} cùng nội dung đã được chuyển đến Sở Nông nghiệp và Môi trường" in refused
    assert "chỉ thực hiện một lần" in refused
    assert second_history[-1].to_status is Status.CLASSIFYING
    assert refusals
    assert refusals[0].subject == second


async def test_chasing_and_filing_without_action_are_told(tmp_path: Path) -> None:
    """Chasing a lower level names it to the citizen; filing a petition that does not meet
    the conditions needs the reason, and the citizen is told it."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        chased = (await submit(bot, CITIZEN, petition(prior_body="UBND xã Tân Thành"))).code
        filed = (await submit(bot, CITIZEN, petition(respondent="Chi cục Thuế"))).code
        await classify(bot, chased, competence="Thuộc thẩm quyền cấp dưới")
        await bot.press(STAFF, "Đôn đốc cấp dưới")
        await bot.press(STAFF, "UBND xã Tân Thành")  # the body that handled it, offered
        await bot.press(STAFF, "Bỏ qua: không có văn bản")
        await bot.press(STAFF, "Bỏ qua: không ghi chú")
        await bot.press(STAFF, "Xác nhận")
        chase_told = await notices(bot, CITIZEN)

        await classify(bot, filed, competence="Không thuộc thẩm quyền",
                       reason="Đơn không có chữ ký, không ghi địa chỉ")
        card = bot.buttons(STAFF)
        assert any(label.startswith("⭐") and "Lưu đơn" in label for label in card)
        await bot.press(STAFF, "Lưu đơn")
        await bot.press(STAFF, "Bỏ qua: không có văn bản")
        assert "Bỏ qua" not in " ".join(bot.buttons(STAFF))  # the reason is required
        await bot.text(STAFF, "Đơn không có chữ ký, không ghi địa chỉ người gửi.")
        await bot.press(STAFF, "Xác nhận")
        file_told = await notices(bot, CITIZEN)
        chase_history = await events(bot, chased)
    assert "UBND xã Tân Thành" in chase_told
    assert vi_status(Status.CHASED) in chase_told
    assert chase_history[-1].to_status is Status.CHASED
    assert vi_status(Status.ARCHIVED) in file_told
    assert "Lý do: Đơn không có chữ ký, không ghi địa chỉ người gửi." in file_told


async def test_merging_joins_a_case_and_tells_the_citizen(tmp_path: Path) -> None:
    """Merging a petition into a suggested duplicate puts both in one case (vụ việc), marks
    the merged one and tells its sender; the case is recorded."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        first = (await submit(bot, CITIZEN, petition())).code
        second = (await submit(bot, CITIZEN + 1, petition(identity=CUONG))).code
        card = await open_card(bot, second)
        assert first in card
        await bot.press(STAFF, "Gộp vào đơn khác")
        await bot.press(STAFF, first)
        await bot.press(STAFF, "Bỏ qua")
        confirm = bot.last_text(STAFF)
        assert f"Gộp đơn {second} vào đơn {first}" in confirm
        await bot.press(STAFF, "Xác nhận")
        told = await notices(bot, CITIZEN + 1)
        async with bot.app.database.transaction() as conn:
            a = await petition_store.get_by_code(conn, first)
            b = await petition_store.get_by_code(conn, second)
            cases = list(await conn.execute_fetchall("SELECT id, title FROM cases"))
    assert vi_status(Status.MERGED) in told
    assert a is not None
    assert b is not None
    assert b.status is Status.MERGED
    assert b.merged_into == first
    assert a.case_id is not None
    assert a.case_id == b.case_id
    assert [(r["id"], r["title"]) for r in cases] == [(a.case_id, "UBND xã Tân Thành")]


async def test_notes_stay_inside_and_assignment_tells_the_staff_member(tmp_path: Path) -> None:
    """An internal note shows on the card and is never sent to the citizen; giving the
    petition to another staff member tells them, and their button opens the card."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        await give_role(bot, OTHER_STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition())).code
        await notices(bot, CITIZEN)
        await open_card(bot, code)
        await bot.press(STAFF, "Ghi chú nội bộ")
        await bot.text(STAFF, "Đã gọi điện cho công dân, hẹn bổ sung giấy tờ.")
        card = bot.last_text(STAFF)
        citizen_told = await notices(bot, CITIZEN)
        await bot.press(STAFF, "Giao cán bộ xử lý")
        buttons = bot.buttons(STAFF)
        assert len(buttons) >= 2
        await bot.send(bot.api.callback_update(
            STAFF, bot.api.last_to(STAFF),
            next(b["callback_data"] for b in bot.api.last_to(STAFF).inline_buttons()
                 if b["callback_data"].endswith(f"a:telegram:{OTHER_STAFF}"))))
        told = await notices(bot, OTHER_STAFF)
        opened = texts(await bot.press(OTHER_STAFF, "Mở đơn"))
        assigned = await audit(bot, "petition.assign")
    assert "Ghi chú nội bộ" in card
    assert "Đã gọi điện cho công dân" in card
    assert citizen_told == ""
    assert f"Ông/bà được giao xử lý đơn {code}" in told
    assert f"Đơn {code}" in opened
    assert "Cán bộ xử lý" in opened
    assert assigned[0].detail["to"] == f"telegram:{OTHER_STAFF}"


async def test_the_files_a_citizen_sent_are_sent_again_by_their_ids(tmp_path: Path) -> None:
    """The photo, voice note and document a citizen sent are sent to staff again from
    Telegram's own copies (by file id), each with its place in the list."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        citizen = TelegramDriver(bot, CITIZEN)
        await agree(citizen)
        code = code_in(await file_complaint(citizen))
        await give_role(bot, STAFF, Role.STAFF)
        kept = (await stored(bot.app, code)).files
        await open_card(bot, code)
        sent = await bot.press(STAFF, "Tài liệu (3)")
        calls = {call.method: call.params for call in bot.api.calls
                 if call.method in ("sendPhoto", "sendVoice", "sendDocument")}
    ids = {f.kind: f.file_id for f in kept}
    assert calls["sendPhoto"]["photo"] == ids["photo"]
    assert calls["sendVoice"]["voice"] == ids["voice"]
    assert calls["sendDocument"]["document"] == ids["document"]
    assert "Tài liệu 1/3" in texts(sent)


async def test_a_citizen_is_refused_on_staff_commands_and_forged_buttons(tmp_path: Path) -> None:
    """A citizen who sends /don, /timkiem or /xuatdon, or forges the button that opens a
    petition, is refused politely, sees nothing of it, and each attempt is audited."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        code = (await submit(bot, CITIZEN + 1, petition())).code
        await bot.text(CITIZEN, "/start")
        answers = [texts(await bot.text(CITIZEN, command))
                   for command in ("/don", f"/don {code}", "/timkiem 0912345678", "/xuatdon")]
        forged = await bot.send(bot.api.callback_update(
            CITIZEN, bot.api.last_to(CITIZEN), f"g|petition_open|{code}"))
        denied = await audit(bot, "access.denied")
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor("telegram", str(CITIZEN),
                                                               Role.CITIZEN))
            with pytest.raises(PermissionError):
                await services.processing.move(code, Status.CLASSIFYING)
    for answer in [*answers, texts(forged)]:
        assert DENIED in answer
        assert "UBND xã Tân Thành" not in answer
    subjects = [entry.subject for entry in denied]
    assert "command:/don" in subjects
    assert "command:/timkiem" in subjects
    assert "command:/xuatdon" in subjects
    assert "action:petition_open" in subjects
    assert all(entry.actor_user_id == str(CITIZEN) for entry in denied)


async def test_a_stale_confirmation_changes_nothing(tmp_path: Path) -> None:
    """When another staff member moved the petition meanwhile, an old confirmation is not
    applied: the staff member is told what it is now."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition())).code
        await classify(bot, code)
        await bot.press(STAFF, "Xem xét thụ lý")
        await bot.press(STAFF, "Bỏ qua")
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor("telegram", "77", Role.STAFF))
            await services.processing.move(code, Status.ARCHIVED, note="Trùng đơn")
        answer = texts(await bot.press(STAFF, "Xác nhận"))
        history = await events(bot, code)
    assert "đơn vừa được thay đổi" in answer
    assert "Lưu đơn" in answer
    assert history[-1].to_status is Status.ARCHIVED


async def test_a_card_shown_before_another_change_says_so_at_the_first_tap(
        tmp_path: Path) -> None:
    """A card shown before another staff member filed the petition: «Phân loại» or a move
    pressed on it says at once what the petition is now and shows the card again, before
    any question of the form."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition())).code
        await open_card(bot, code)
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor("telegram", "77", Role.STAFF))
            await services.processing.classify(code, Classification(
                PetitionType.COMPLAINT, Field.LAND, True, None, Competence.OURS, False, False,
                None))
            await services.processing.move(code, Status.ARCHIVED, note="Trùng đơn")
        answer = texts(await bot.press(STAFF, "Phân loại"))
        history = await events(bot, code)
    assert "Đơn này đã thay đổi từ lúc hiện ra" in answer
    assert vi_status(Status.ARCHIVED) in answer
    assert "Loại đơn nào" not in answer
    assert history[-1].to_status is Status.ARCHIVED


async def test_leaders_read_petitions_but_cannot_change_them(tmp_path: Path) -> None:
    """A leader sees the inbox and the card without any action, and the service refuses a
    leader's move (audited)."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, LEADER, Role.LEADER)
        code = (await submit(bot, CITIZEN, petition())).code
        inbox = texts(await bot.text(LEADER, "/don"))
        card = texts(await bot.press(LEADER, code))
        buttons = bot.buttons(LEADER)
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor("telegram", str(LEADER),
                                                               Role.LEADER))
            with pytest.raises(PermissionError):
                await services.processing.move(code, Status.CLASSIFYING)
        denied = await audit(bot, "access.denied")
    assert code in inbox
    assert "việc xử lý do cán bộ tiếp dân thực hiện" in card
    assert not any(label in " ".join(buttons) for label in ("Phân loại", "Gộp", "Giao",
                                                              "Ghi chú"))
    assert denied[0].subject == f"petition.move:{code}"
    assert denied[0].actor_role == "leader"


async def test_an_admin_works_petitions_like_staff(tmp_path: Path) -> None:
    """The configured admin can classify a petition from the card."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        code = (await submit(bot, CITIZEN, petition(identity=BINH))).code
        await bot.text(ADMIN, f"/don {code}")
        saved = await press_all(bot, ADMIN, "Phân loại", "Khiếu nại", "Đất đai",
                                "Có, đủ điều kiện", "Không thuộc thẩm quyền", "Không", "Lưu")
        history = await events(bot, code)
    assert f"Đã phân loại đơn {code}" in saved
    assert history[-1].actor_role == "admin"
    assert history[-1].to_status is Status.CLASSIFYING


@pytest.mark.parametrize(("kind", "allowed"), [(PetitionType.COMPLAINT, 1),
                                               (PetitionType.DENUNCIATION, 2)])
async def test_the_time_is_extended_only_as_often_as_the_law_allows(
        tmp_path: Path, kind: PetitionType, allowed: int) -> None:
    """A complaint's time is extended once, a denunciation's at most twice (Luật Tố cáo
    Đ.30); after that the card offers no «Gia hạn» and a forged move is refused."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition(kind))).code
        async with bot.app.database.transaction() as conn:
            system = bot.app.dialog.services_for(conn, Actor.system())
            for target in (Status.CLASSIFYING, Status.UNDER_REVIEW):
                await system.petitions.transition(code, target)
            await system.petitions.transition(code, Status.ACCEPTED, document_no="1/QĐ")
        staff = Actor("telegram", str(STAFF), Role.STAFF)
        for number in range(allowed):
            async with bot.app.database.transaction() as conn:
                services = bot.app.dialog.services_for(conn, staff)
                assert Status.EXTENDED in (await services.processing.card(code)).moves
                await services.processing.move(code, Status.EXTENDED,
                                               document_no=f"{number + 2}/QĐ-GH")
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, staff)
            card = await services.processing.card(code)
            with pytest.raises(ActionRefusedError, match="gia hạn"):
                await services.processing.move(code, Status.EXTENDED, document_no="9/QĐ-GH")
        shown = await open_card(bot, code)
        history = await events(bot, code)
    assert Status.EXTENDED not in card.moves
    assert "Gia hạn" not in " ".join(bot.buttons(STAFF))
    assert [e.to_status for e in history].count(Status.EXTENDED) == allowed
    assert code in shown
