"""Each petition type end to end, in Vietnamese, through Telegram and through the terminal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.clock import FixedClock
from bot.domain.petitions import PetitionType, PriorStage, Status
from bot.domain.places import Directory
from bot.domain.users import Role
from bot.services import Actor
from bot.storage import audit as audit_store
from bot.storage import conversations as conversation_store
from bot.storage import petitions as petition_store
from bot.storage import profiles as profile_store
from tests.harness import DEFAULT_NOW, make_settings
from tests.petitioning import (
    TelegramDriver,
    agree,
    code_in,
    count_petitions,
    driver,
    file_anonymous_recommendation,
    file_complaint,
    file_denunciation,
    file_group_report,
    services_as,
    state_of,
    stored,
)

CHANNELS = ["telegram", "terminal"]
COMPLAINT_LINES = [
    "Gửi đơn", "Khiếu nại", "UBND xã Tân Thành", "Tam Thanh", "Xã thu hồi đất sai.", "xong",
    "Hủy quyết định", "Chưa có cơ quan nào giải quyết", "Chỉ mình tôi", "Không có tài liệu",
    "Nguyễn Văn An", "/contact 0912345678", "001085012345", "Thôn Nà Pàn",
]
PROVINCE = Directory(20)


def unit_code(name: str) -> int:
    """Return the code of the Lạng Sơn unit called ``name``."""
    return next(u.code for u in PROVINCE.units if u.name == name)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_complaint_is_filed_with_files_an_edit_and_the_skipping_level_flag(
        tmp_path: Path, channel: str) -> None:
    """A complaint no body has decided is accepted with a receipt, a code and a deadline in
    working days, flagged as skipping a level, with its files, the identity kept apart (CCCD
    never in clear) and the answer changed from the review."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        receipt = await file_complaint(person)
        code = code_in(receipt)
        kept = await stored(person.app, code)
        async with person.app.database.transaction() as conn:
            profile = await profile_store.get_profile(conn, person.channel, person.user_id)
            draft = await conversation_store.get_draft(conn, person.channel, person.user_id,
                                                       "petition")
            audit = await audit_store.entries(conn, "petition.submit")
    assert "Ban đã nhận đơn của ông/bà" in receipt
    assert "Thời điểm nhận đơn: 08:00 26/11/2026" in receipt
    assert "chậm nhất vào Thứ Hai, 07/12/2026 (7 ngày làm việc, theo NĐ 155/2026)" in receipt
    assert "chưa đối chiếu" not in receipt
    assert "chưa được giải quyết lần đầu" in receipt
    assert "ký hoặc điểm chỉ vào đơn" in receipt  # the configured signature note
    assert f"/tracuu {code}" in receipt
    petition = kept.petition
    assert petition.kind is PetitionType.COMPLAINT
    assert petition.status is Status.RECEIVED
    assert petition.filed_by(person.channel, person.user_id)
    assert petition.respondent == "Quyết định số 15/QĐ-UBND của UBND xã Hoàng Văn Thụ"
    assert petition.place_code == unit_code("Phường Tam Thanh")
    assert petition.content == ("Xã thu hồi đất nhà tôi mà không báo trước.\n\nTôi đã nhiều lần "
                                "lên xã hỏi nhưng chưa được trả lời.")
    assert petition.prior_stage is PriorStage.NONE
    assert petition.skips_level
    assert (petition.people, petition.is_group, petition.anonymous) == (1, False, False)
    assert petition.received_at == DEFAULT_NOW
    assert petition.due is not None
    assert (petition.due.rule_key, petition.due.effective_from, petition.due.due_on) == (
        "complaint.accept", date(2026, 7, 1), date(2026, 12, 7))
    assert [f.kind for f in kept.files] == ["photo", "voice", "document"]
    assert all(f.channel == person.channel and f.file_id for f in kept.files)
    assert kept.files[2].file_name == "don.pdf"
    assert kept.identity is not None
    assert kept.denouncer is None
    assert kept.identity.full_name == "Nguyen Van An"
    assert kept.identity.phone_e164 == "+84912345678"
    assert kept.identity.cccd_masked == "0010******45"
    assert kept.identity.cccd_sealed
    assert "001085012345" not in kept.identity.cccd_sealed
    assert [(e.from_status, e.to_status) for e in kept.events] == [(None, Status.RECEIVED)]
    assert profile is not None
    assert profile.full_name == "Nguyen Van An"
    assert draft is None
    assert [entry.subject for entry in audit] == [code]


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_denunciation_says_who_sees_the_identity_and_keeps_it_apart(
        tmp_path: Path, channel: str) -> None:
    """Before the identity is asked, a denouncer is told the law protects it and who sees it;
    the identity is stored only in the denouncers' table and not kept for reuse."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        notice, receipt = await file_denunciation(person)
        kept = await stored(person.app, code_in(receipt))
        async with person.app.database.transaction() as conn:
            profile = await profile_store.get_profile(conn, person.channel, person.user_id)
    assert "Danh tính của ông/bà được pháp luật bảo vệ" in notice
    assert "chỉ lãnh đạo Ban và người quản trị hệ thống được xem" in notice
    assert "Xin ông/bà cho biết họ và tên" not in notice  # identity comes after the notice
    assert "Ban kiểm tra, phân loại đơn tố cáo" in receipt
    petition = kept.petition
    assert petition.kind is PetitionType.DENUNCIATION
    assert not petition.skips_level
    assert petition.prior_stage is PriorStage.FIRST
    assert petition.prior_body == "Thanh tra tỉnh, năm 2025"
    assert petition.due is not None
    assert petition.due.rule_key == "denunciation.accept"
    assert kept.identity is None
    assert kept.denouncer is not None
    assert kept.denouncer.full_name == "Trần Thị Bình"
    assert profile is None


@pytest.mark.parametrize("channel", CHANNELS)
async def test_an_anonymous_recommendation_is_recorded_as_anonymous(
        tmp_path: Path, channel: str) -> None:
    """A recommendation sent without a name is accepted with no identity at all, and the
    receipt says only this account can look it up."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        receipt = await file_anonymous_recommendation(person)
        kept = await stored(person.app, code_in(receipt))
        async with person.app.database.transaction() as conn:
            phones = await petition_store.lookup_phones(conn, kept.petition.id)
    assert "chỉ tài khoản trò chuyện này tra cứu được" in receipt
    assert "Thứ Năm, 10/12/2026 (10 ngày làm việc, theo Luật Tiếp công dân 2013, Đ.28(1))" \
        in receipt
    petition = kept.petition
    assert petition.kind is PetitionType.RECOMMENDATION
    assert petition.anonymous
    assert petition.place_code is None
    assert petition.place_text is None
    assert not petition.skips_level
    assert kept.identity is None
    assert kept.denouncer is None
    assert phones == []  # no phone: no digits can open it from another account


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_group_report_names_its_representatives_up_to_the_legal_maximum(
        tmp_path: Path, channel: str) -> None:
    """Seven people make a group petition: two representatives (the maximum for up to ten
    people) are asked with their phones and stored."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        receipt = await file_group_report(person)
        kept = await stored(person.app, code_in(receipt))
    petition = kept.petition
    assert (petition.kind, petition.people, petition.is_group) == (PetitionType.REPORT, 7, True)
    assert [(r.full_name, r.phone_e164) for r in kept.representatives] == [
        ("Lê Văn Cường", "+84911222333"), ("Phạm Thị Dung", "+84388777666")]
    assert kept.identity is not None
    assert kept.identity.full_name == "Lê Văn Cường"
    assert petition.place_code == unit_code("Phường Đông Kinh")


async def test_a_large_group_may_name_up_to_five_representatives(tmp_path: Path) -> None:
    """More than ten people may choose five representatives; after the fifth none is asked."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        for line in ("Gửi đơn", "Phản ánh", "Ô nhiễm suối", "Tam Thanh", "Nước suối đục.", "xong",
                     "Kiểm tra nhà máy", "Chưa có cơ quan nào giải quyết",
                     "Nhiều người cùng đứng tên"):
            await person.say(line)
        asked = await person.say("40")
        names = ["Lê Văn An", "Lê Văn Bình", "Lê Văn Cường", "Lê Văn Dũng", "Lê Văn Em"]
        for number, name in enumerate(names):
            await person.say(name)
            answer = await person.say(f"09120000{number:02d}")
            if number < len(names) - 1:
                assert "Còn người đại diện nào khác không?" in answer
                await person.say("Thêm người đại diện")
        state = await state_of(person)
    assert "nhiều nhất 5 người" in asked
    assert "Đã đủ 5 người đại diện" in answer
    assert state.step == "waiting_for_files"
    assert len(state.data["representatives"]) == 5


async def test_a_mixed_matter_is_filed_as_two_linked_petitions(tmp_path: Path) -> None:
    """A matter mixing a complaint and a denunciation is explained, filed as the complaint
    first, then the denunciation with the place, people and identity filled in; the two
    petitions point at each other."""
    async with driver("telegram", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        await person.choose("Gửi đơn")
        explained = await person.choose("Vừa khiếu nại vừa tố cáo")
        await person.choose("Đơn khiếu nại trước")
        await person.say("Quyết định thu hồi đất của UBND xã Tân Thành")
        await person.say("Tam Thanh")
        await person.say("Xã thu hồi đất, cán bộ đòi tiền để bồi thường cao hơn.")
        await person.choose("Xong, tôi đã kể hết")
        await person.say("Hủy quyết định")
        await person.choose("Đã có quyết định hoặc trả lời lần đầu")
        await person.say("UBND xã Tân Thành, 2025")
        await person.choose("Chỉ mình tôi")
        await person.choose("Không có tài liệu")
        await person.say("Hoàng Văn Em")
        await person.contact("0977111222")
        await person.say("020088012345")
        await person.say("Thôn Bản Cầm")
        first_receipt = await person.choose("Gửi đơn")
        notice = await person.choose("Có, viết ngay")
        content = await person.say("Ông Nguyễn Văn F, cán bộ địa chính xã")
        await person.say("Ông F đòi 10 triệu để nâng giá bồi thường.")
        await person.choose("Xong, tôi đã kể hết")
        await person.say("Xử lý ông F")
        await person.choose("Chưa có cơ quan nào giải quyết")
        denouncer = await person.choose("Không có tài liệu")
        review = await person.choose("Tôi hiểu, tiếp tục")
        second_receipt = await person.choose("Gửi đơn")
        first = await stored(person.app, code_in(first_receipt))
        second = await stored(person.app, code_in(second_receipt))
    assert "phải gửi thành hai đơn riêng" in explained
    assert "Bây giờ ông/bà viết tiếp đơn tố cáo nhé?" in first_receipt
    assert "Ông/bà tố cáo ai" in notice
    assert "Ông/bà kể lại sự việc" in content  # the place was filled in: not asked again
    assert "Danh tính của ông/bà được pháp luật bảo vệ" in denouncer
    assert "Họ tên: Hoàng Văn Em" in review
    assert "Nơi xảy ra: Phường Tam Thanh" in review
    assert first.petition.kind is PetitionType.COMPLAINT
    assert second.petition.kind is PetitionType.DENUNCIATION
    assert first.petition.mixed
    assert second.petition.mixed
    assert first.petition.related_code == second.petition.code
    assert second.petition.related_code == first.petition.code
    assert second.petition.place_code == first.petition.place_code
    assert second.denouncer is not None
    assert second.denouncer.full_name == "Hoàng Văn Em"
    assert second.identity is None


async def test_later_ends_the_offer_of_the_second_petition(tmp_path: Path) -> None:
    """Declining the second petition of a mixed matter keeps it as a draft, filled in from
    the first and linked to it, offered to continue when the person next files."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        for line in ("Gửi đơn", "Vừa khiếu nại vừa tố cáo", "Đơn tố cáo trước", "Ông G",
                     "Tam Thanh", "Ông G nhận tiền.", "xong", "Xử lý ông G",
                     "Chưa có cơ quan nào giải quyết", "Chỉ mình tôi", "Không có tài liệu",
                     "Tôi hiểu, tiếp tục", "Vũ Thị Hoa", "/contact 0966555444", "020088012345",
                     "Thôn Pò Mã"):
            await person.say(line)
        first_receipt = await person.say("Gửi đơn")
        later = await person.say("Để sau")
        offered = await person.say("Gửi đơn")
        resumed = await person.say("Tiếp tục")
        state = await state_of(person)
    assert "Đơn khiếu nại của ông/bà đã được giữ lại" in later
    assert "Ông/bà cần hỗ trợ việc gì?" in later
    assert "Tiếp tục" in offered
    # The second petition goes on from the shared answers, linked to the first.
    assert state.flow == "petition"
    assert state.data["type"] == "complaint"
    assert state.data["related_code"] == code_in(first_receipt)
    assert "Ông/bà muốn gửi loại đơn nào?" not in resumed


async def test_the_type_is_explained_when_the_person_is_unsure(tmp_path: Path) -> None:
    """«Not sure» explains the difference between the types and asks again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        await person.say("gui don")
        out = await person.say("toi chua ro")
    assert "Khiếu nại</b>" not in out
    assert "Khiếu nại là về quyền lợi của chính ông/bà" in out
    assert "Ông/bà muốn gửi loại đơn nào?" in out


async def test_a_denouncer_who_wants_no_name_can_send_a_report(tmp_path: Path) -> None:
    """A denouncer who will not give a name is told the law and may send an anonymous report,
    marked for staff as denunciation content."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        for line in ("Gửi đơn", "to cao", "Ông H", "Tam Thanh", "Ông H nhận hối lộ.", "xong",
                     "Kiểm tra", "Chưa có cơ quan nào giải quyết", "Chỉ mình tôi",
                     "Không có tài liệu"):
            await person.say(line)
        explained = await person.say("Tôi không muốn ghi tên")
        review = await person.say("Gửi dạng phản ánh, không ghi tên")
        receipt = await person.say("Gửi đơn")
        kept = await stored(person.app, code_in(receipt))
    assert "không được xử lý như đơn tố cáo" in explained
    assert "Loại đơn: Phản ánh" in review
    assert "Người gửi: không ghi tên" in review
    assert kept.petition.kind is PetitionType.REPORT
    assert kept.petition.anonymous
    assert kept.petition.denunciation_content
    assert kept.denouncer is None
    assert kept.identity is None


async def test_changing_the_type_to_a_complaint_asks_for_the_missing_identity(
        tmp_path: Path) -> None:
    """An anonymous report changed into a complaint from the review asks for the identity a
    complaint needs before the review is shown again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        for line in ("Gửi đơn", "Phản ánh", "Đèn đường hỏng", "Tam Thanh", "Đèn hỏng 3 tháng.",
                     "xong", "Sửa đèn", "Chưa có cơ quan nào giải quyết", "Chỉ mình tôi",
                     "Không có tài liệu", "Gửi không ghi tên", "Sửa một mục", "Loại đơn"):
            await person.say(line)
        asked = await person.say("Khiếu nại")
        await person.say("Đinh Văn K")
        await person.say("/contact 0945123456")
        await person.say("020088012345")
        review = await person.say("Thôn Nà Pàn")
    assert "Theo Luật Khiếu nại, đơn khiếu nại phải ghi rõ họ tên" in asked
    assert "Loại đơn: Khiếu nại" in review
    assert "Họ tên: Đinh Văn K" in review
    assert "Người gửi: không ghi tên" not in review


async def test_the_saved_identity_is_offered_for_the_next_petition(tmp_path: Path) -> None:
    """After a complaint, the next petition offers the identity given, and reusing it goes
    straight to the review."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        await file_complaint(person)
        for line in ("Gửi đơn", "Kiến nghị", "Trồng cây xanh", "Tam Thanh", "Nên trồng cây.",
                     "xong", "Trồng cây", "Chưa có cơ quan nào giải quyết", "Chỉ mình tôi",
                     "Không có tài liệu", "Ghi tên"):
            offered = await person.say(line)
        review = await person.say("Có, dùng lại")
    assert "Lần trước ông/bà đã khai các thông tin sau" in offered
    assert "Họ tên: Nguyen Van An" in review
    assert "Loại đơn: Kiến nghị" in review


async def test_a_draft_left_for_days_is_offered_again(tmp_path: Path) -> None:
    """Someone who leaves a petition half-way and returns days later is offered to continue,
    and continues at the question they left."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver("terminal", make_settings(tmp_path), tmp_path, clock=clock) as person:
        await agree(person)
        for line in ("Gửi đơn", "Khiếu nại", "UBND xã Tân Thành"):
            await person.say(line)
        await person.say("/start")
        clock.advance(timedelta(days=3))
        offered = await person.say("Gửi đơn")
        resumed = await person.say("Tiếp tục")
        state = await state_of(person)
    assert "Chào mừng ông/bà quay lại" in offered
    assert "«Gửi đơn»" in offered
    assert "Việc xảy ra ở xã, phường nào?" in resumed
    assert state.data["respondent"] == "UBND xã Tân Thành"


async def test_a_draft_is_thrown_away_only_on_the_words_alone(tmp_path: Path) -> None:
    """At «welcome back», «đừng xóa» or «đừng làm lại từ đầu» keep the draft (the question is
    asked again); «làm lại từ đầu» alone starts afresh."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver("terminal", make_settings(tmp_path), tmp_path, clock=clock) as person:
        await agree(person)
        for line in ("Gửi đơn", "Khiếu nại", "UBND xã Tân Thành"):
            await person.say(line)
        await person.say("/start")
        clock.advance(timedelta(days=3))
        await person.say("Gửi đơn")
        kept_once = await person.say("đừng xóa")
        kept_twice = await person.say("đừng làm lại từ đầu nhé")
        state = await state_of(person)
        again = await person.say("làm lại từ đầu")
        fresh = await state_of(person)
    for reply in (kept_once, kept_twice):
        assert "Làm lại từ đầu" in reply  # the question, asked again
    assert state.data["respondent"] == "UBND xã Tân Thành"
    assert "Ông/bà muốn gửi loại đơn nào?" in again
    assert "respondent" not in fresh.data


async def test_cancel_asks_first_and_then_throws_the_draft_away(tmp_path: Path) -> None:
    """/huy in the middle of a petition asks before discarding, and nothing is stored."""
    async with driver("telegram", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        await person.choose("Gửi đơn")
        await person.choose("Khiếu nại")
        await person.say("UBND xã Tân Thành")
        asked = await person.say("/huy")
        gone = await person.choose("Có, bỏ đi")
        total = await count_petitions(person.app)
        state = await state_of(person)
    assert "có muốn bỏ «Gửi đơn» không?" in asked
    assert "Đã hủy" in gone
    assert total == 0
    assert state.idle


async def test_without_consent_no_petition_can_be_started(tmp_path: Path) -> None:
    """Someone who refused the data notice is told how to agree, and no petition starts."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await person.say("/start")
        await person.say("Tôi không đồng ý")
        out = await person.say("Gửi đơn")
        state = await state_of(person)
    assert "trước hết ông/bà cần đồng ý cho xử lý dữ liệu cá nhân" in out
    assert state.idle


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_status_change_is_told_to_the_citizen_in_their_language(
        tmp_path: Path, channel: str) -> None:
    """Staff moving a petition is told to its sender through the outbox, in the sender's own
    language, with what it means for them and the document number."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        code = code_in(await file_anonymous_recommendation(person))
        await person.say("ngon ngu")
        await person.choose("English")
        staff = Actor("telegram", "900", Role.STAFF)
        async with services_as(person.app, staff) as services:
            await services.petitions.transition(code, Status.CLASSIFYING)
            await services.petitions.transition(
                code, Status.FORWARDED, agency="Sở Giao thông vận tải", document_no="15/BTCD",
                document_date=date(2026, 11, 26))
        told = await person.notifications()
    assert f"News about your petition {code}" in told
    assert "Being classified" in told
    assert "Forwarded to the competent body" in told
    assert "The office has sent your petition to Sở Giao thông vận tải" in told
    assert "Document no. 15/BTCD of 26/11/2026." in told


async def test_the_receipt_time_is_the_time_the_message_was_sent(tmp_path: Path) -> None:
    """«Send» typed at 23:59 and handled the next morning is received at 23:59 the day
    before, and the deadline counts from that day."""
    async with driver("telegram", make_settings(tmp_path), tmp_path) as person:
        assert isinstance(person, TelegramDriver)
        await agree(person)
        for line in COMPLAINT_LINES:
            if line.startswith("/contact "):
                await person.contact(line.split()[1])
            else:
                await person.say(line)
        late = person.bot.api.text_update(person.user, "Gửi đơn")
        sent_at = datetime(2026, 11, 25, 16, 59, tzinfo=UTC)  # 23:59 in Vietnam
        late["message"]["date"] = int(sent_at.timestamp())
        receipt = "\n".join(m.text for m in await person.bot.send(late))
        kept = await stored(person.app, code_in(receipt))
    assert "Thời điểm nhận đơn: 23:59 25/11/2026" in receipt
    assert kept.petition.received_at == sent_at
    assert kept.petition.due is not None
    assert kept.petition.due.due_on == date(2026, 12, 4)  # 7 working days after Wed 25/11
    assert kept.events[0].at == sent_at
