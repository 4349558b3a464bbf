"""Petition answers as people really type them: after a break, in sentences, too long, with
names and numbers around them, old addresses, and in English."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.domain.choices import Option, match_choice
from bot.domain.clock import FixedClock
from bot.domain.conversation import ConversationState
from bot.domain.identity import Cccd, PersonNameError, parse_cccd, read_full_name, split_phone
from bot.domain.places import looks_old, mentions_unit, without_old_lead_in
from bot.i18n import translation
from handlers.petition import _prior_options
from tests.harness import DEFAULT_NOW, make_settings
from tests.petitioning import Driver, agree, driver, state_of

TO_RESPONDENT = ["Gửi đơn", "Khiếu nại"]
TO_CONTENT = [*TO_RESPONDENT, "quyết định thu hồi đất", "Tam Thanh"]
TO_REQUEST = [*TO_CONTENT, "Xã thu hồi đất sai.", "xong"]
TO_PRIOR = [*TO_REQUEST, "Hủy quyết định"]
TO_IDENTITY = [*TO_PRIOR, "Chưa có cơ quan nào giải quyết", "Chỉ mình tôi", "Không có tài liệu"]
TO_CCCD = [*TO_IDENTITY, "Nguyễn Văn An", "/contact 0912345678"]
TO_GROUP = ["Gửi đơn", "Kiến nghị", "đường hỏng", "Tam Thanh", "abc", "xong", "sửa đường", "chưa",
            "nhiều người", "25"]
TO_PLACE = ["Gửi đơn", "Kiến nghị", "đường hỏng"]


async def walk(person: Driver, lines: list[str]) -> ConversationState:
    """Agree to the notice, type ``lines``, and return the state reached."""
    await agree(person)
    for line in lines:
        if line.startswith("/contact "):
            await person.contact(line.split()[1])
        else:
            await person.say(line)
    return await state_of(person)


# -- 1. coming back after a break ----------------------------------------------------------------


@pytest.mark.parametrize("channel", ["terminal", "telegram"])
async def test_text_typed_after_a_break_is_kept_for_the_open_question(tmp_path: Path,
                                                                      channel: str) -> None:
    """What someone types on coming back after hours is held while they are asked whether to
    continue, and added to the open question when they do."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver(channel, make_settings(tmp_path), tmp_path, clock=clock) as person:
        await walk(person, [*TO_CONTENT, "phần đầu câu chuyện"])
        clock.advance(timedelta(hours=13))
        offered = await person.say("phần tiếp theo của câu chuyện rất dài")
        resumed = await person.choose("Tiếp tục")
        state = await state_of(person)
    assert "Chào mừng ông/bà quay lại" in offered
    assert "Tin ông/bà vừa gửi đã được giữ lại" in offered
    assert "đã được ghi nhận làm câu trả lời" in resumed
    assert "Đã ghi nhận. Ông/bà viết tiếp" in resumed
    assert state.data["content"] == ["phần đầu câu chuyện", "phần tiếp theo của câu chuyện rất dài"]
    assert state.step == "waiting_for_content"


async def test_a_photo_sent_after_a_break_is_kept(tmp_path: Path) -> None:
    """A photo sent after a break, at the «what happened» question, is kept after «Continue»."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver("telegram", make_settings(tmp_path), tmp_path, clock=clock) as person:
        await walk(person, TO_CONTENT)
        clock.advance(timedelta(days=2))
        await person.photo()
        resumed = await person.choose("Tiếp tục")
        state = await state_of(person)
    assert "Đã nhận ảnh. Tệp sẽ được lưu cùng đơn." in resumed
    assert len(state.data["files"]) == 1


async def test_a_cccd_held_during_a_break_is_never_stored_in_clear(tmp_path: Path) -> None:
    """A CCCD number typed on coming back is kept sealed while the person is asked whether to
    continue, and then noted (masked) as the answer."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver("terminal", make_settings(tmp_path), tmp_path, clock=clock) as person:
        await walk(person, TO_CCCD)
        clock.advance(timedelta(hours=13))
        await person.say("020123456789")
        waiting = await state_of(person)
        resumed = await person.choose("Tiếp tục")
        state = await state_of(person)
    assert "020123456789" not in str(waiting.data)
    assert waiting.data["_held_input"]
    assert "Đã ghi nhận số CCCD: 0201******89." in resumed
    assert state.data["identity"]["cccd_masked"] == "0201******89"
    assert "_held_input" not in state.data


async def test_a_held_message_that_does_not_fit_is_said_not_saved(tmp_path: Path) -> None:
    """Held text that cannot answer the open question is reported as not saved, and the
    question is asked again once."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver("terminal", make_settings(tmp_path), tmp_path, clock=clock) as person:
        await walk(person, TO_IDENTITY)
        clock.advance(timedelta(hours=13))
        await person.say("...")
        resumed = await person.choose("Tiếp tục")
        state = await state_of(person)
    assert "không dùng được cho câu hỏi này nên chưa được lưu" in resumed
    assert resumed.count("Xin ông/bà cho biết họ và tên") == 1
    assert state.step == "waiting_for_full_name"
    assert "_held_input" not in state.data


async def test_starting_again_drops_the_held_message(tmp_path: Path) -> None:
    """«Start again» after a break begins a fresh petition; the held message goes with the
    old draft."""
    clock = FixedClock(DEFAULT_NOW)
    async with driver("terminal", make_settings(tmp_path), tmp_path, clock=clock) as person:
        await walk(person, TO_CONTENT)
        clock.advance(timedelta(hours=13))
        await person.say("câu chuyện")
        again = await person.choose("Làm lại từ đầu")
        state = await state_of(person)
    assert "Ông/bà muốn gửi loại đơn nào?" in again
    assert state.step == "choosing_type"
    assert "content" not in state.data


# -- 2. «handled before?» in a sentence -----------------------------------------------------------


@pytest.mark.parametrize(("typed", "stage"), [
    ("xa giai quyet roi nhung toi khong dong y", "first"),
    ("xã đã trả lời nhưng tôi không đồng ý", "first"),
    ("co roi", "first"),
    ("da co quyet dinh", "first"),
    ("đã có quyết định lần hai", "second"),
    ("đã có bản án", "court"),
    ("không", "none"),
    ("chưa ạ", "none"),
    ("chưa có ai giải quyết", "none"),
    ("không có quyết định nào", "none"),
    ("tôi không biết", None),
    ("không đồng ý", None),
])
def test_prior_handling_reads_sentences(typed: str, stage: str | None) -> None:
    """A sentence about earlier handling picks its stage; «không» negating another word
    («không đồng ý») never picks «not handled yet»; unclear answers pick nothing."""
    with translation("vi"):
        picked = match_choice(typed, _prior_options())
    assert (picked.payload if picked else None) == stage


YES_NO = [Option("Có", "yes", ("co",)), Option("Không", "no", ("khong", "chua"))]


@pytest.mark.parametrize(("typed", "payload"), [
    ("không", "no"), ("không ạ", "no"), ("chưa đâu", "no"), ("không, cảm ơn", "no"),
    ("tôi nghĩ là không", "no"), ("có", "yes"), ("có ạ", "yes"), ("có, tôi muốn", "yes"),
    ("xã giải quyết rồi nhưng tôi không đồng ý", None), ("không đồng ý", None),
    ("nhà tôi có đất", None), ("tôi chưa rõ lắm", None),
])
def test_a_bare_yes_or_no_counts_only_as_an_answer(typed: str, payload: str | None) -> None:
    """«có», «không», «chưa» name an option where they open or end the answer, not where
    they are words of a sentence («không đồng ý», «nhà tôi có đất»)."""
    picked = match_choice(typed, YES_NO, guess=False)
    assert (picked.payload if picked else None) == payload


async def test_disagreeing_with_a_decision_is_not_skipping_a_level(tmp_path: Path) -> None:
    """«xã giải quyết rồi nhưng tôi không đồng ý» is a first decision: the body is asked and
    no skipped-level warning is given."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_PRIOR)
        out = await person.say("xa giai quyet roi nhung toi khong dong y")
        state = await state_of(person)
    assert state.data["stage"] == "first"
    assert state.step == "waiting_for_prior_body"
    assert "Luật Khiếu nại, khiếu nại lần đầu" not in out
    assert "Cơ quan nào đã giải quyết" in out


async def test_an_unclear_prior_handling_answer_is_asked_again(tmp_path: Path) -> None:
    """An answer that names no stage is asked again, the draft kept."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_PRIOR)
        out = await person.say("tôi không biết")
        after = await state_of(person)
    assert "Việc này đã được cơ quan nào giải quyết chưa?" in out
    assert (after.step, "stage" in after.data) == (before.step, False)


# -- 3. a long message at a short question -------------------------------------------------------


LONG = ("Nhà tôi ở thôn Nà Pàn, năm 2024 xã thu hồi đất mà không báo trước, không bồi thường. "
        * 28).strip()


async def test_a_long_message_at_a_short_question_is_kept_as_the_story(tmp_path: Path) -> None:
    """A 2,400-character message at «what do you complain about» is kept as what happened;
    the short question is asked again, and the story is shown at the content question."""
    assert len(LONG) > 2300
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_RESPONDENT)
        out = await person.say(LONG)
        kept = await state_of(person)
        await person.say("Quyết định thu hồi đất số 12")
        content = await person.say("Tam Thanh")
        later = await state_of(person)
    assert "Nội dung dài quá" not in out
    assert f"khá dài ({len(LONG)} ký tự) nên đã được giữ lại làm phần nội dung sự việc" in out
    assert "Ông/bà khiếu nại quyết định hoặc việc làm nào" in out
    assert kept.step == "waiting_for_respondent"
    assert kept.data["content"] == [LONG]
    assert "Nội dung sự việc ông/bà đã viết:" in content
    assert LONG[:100] in content
    assert later.data["respondent"] == "Quyết định thu hồi đất số 12"
    assert later.data["content"] == [LONG]


async def test_a_long_request_is_added_to_the_story(tmp_path: Path) -> None:
    """A long message at «what do you ask for», after the story, is added to it."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_REQUEST)
        out = await person.say(LONG)
        state = await state_of(person)
    assert "đã được giữ lại làm phần nội dung sự việc" in out
    assert state.step == "waiting_for_request"
    assert state.data["content"] == ["Xã thu hồi đất sai.", LONG]


async def test_a_long_message_with_no_room_left_is_said_not_saved(tmp_path: Path) -> None:
    """When the story has no room for a long answer, the person is told plainly that it was
    not saved."""
    settings = make_settings(tmp_path, {"petitions": {"max_content_chars": 1000}})
    async with driver("terminal", settings, tmp_path) as person:
        await walk(person, TO_RESPONDENT)
        out = await person.say(LONG)
        state = await state_of(person)
    assert "không còn chỗ, nên chưa được lưu" in out
    assert "content" not in state.data


# -- 4. names with words around them ------------------------------------------------------------


@pytest.mark.parametrize(("typed", "name"), [
    ("toi ten la nguyen van an", "Nguyen Van An"),
    ("toi ten la nguyen van an, sinh nam 1950", "Nguyen Van An"),
    ("Tôi tên là Nguyễn Văn An", "Nguyễn Văn An"),
    ("Tên tôi là Lò Văn Pao", "Lò Văn Pao"),
    ("Họ và tên: Trần Thị Bình", "Trần Thị Bình"),
    ("tên: lê văn cường", "Lê Văn Cường"),
    ("Dạ, tôi là Nguyễn Văn An", "Nguyễn Văn An"),
    ("Nguyễn Thị Năm sinh năm 1950", "Nguyễn Thị Năm"),
    ("Nguyễn Văn An (SN 1950)", "Nguyễn Văn An"),
    ("Nguyễn Văn An 70 tuổi", "Nguyễn Văn An"),
    ("my name is Nguyen Van An", "Nguyen Van An"),
    ("Hồ Thị Hoa", "Hồ Thị Hoa"),
    ("La Văn Cầu", "La Văn Cầu"),
    ("Vàng A Sử", "Vàng A Sử"),
    ("Nguyễn Văn Sinh", "Nguyễn Văn Sinh"),
])
def test_lead_ins_and_extras_around_a_name_are_left_out(typed: str, name: str) -> None:
    """«tôi tên là», «Họ và tên:» and a birth year or age after the name are not part of it;
    family names that look like lead-in words are kept."""
    assert read_full_name(typed) == name


def test_a_lead_in_alone_is_no_name() -> None:
    """«tôi tên là» with nothing after it gives no name; digits in a name are still refused."""
    assert read_full_name("tôi tên là") is PersonNameError.EMPTY
    assert read_full_name("Nguyễn Văn 2") is PersonNameError.HAS_DIGITS


@pytest.mark.parametrize("typed", ["toi ten la nguyen van an",
                                   "toi ten la nguyen van an, sinh nam 1950"])
async def test_the_full_name_question_keeps_only_the_name(tmp_path: Path, typed: str) -> None:
    """At the full-name question the lead-in and the birth year are left out, and the name
    kept is repeated back."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_IDENTITY)
        out = await person.say(typed)
        state = await state_of(person)
    assert state.data["identity"]["full_name"] == "Nguyen Van An"
    assert "Đã ghi nhận họ tên: Nguyen Van An." in out
    assert state.step == "waiting_for_phone"


# -- 5. representatives of a group --------------------------------------------------------------


async def test_a_representative_typed_with_the_phone_on_one_line(tmp_path: Path) -> None:
    """«Nguyen Van A 0912345678» at a representative's name keeps both at once."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_GROUP)
        out = await person.say("Nguyen Van A 0912345678")
        state = await state_of(person)
    assert "Họ tên không có chữ số" not in out
    assert "1. Nguyen Van A — 0912***678" in out
    assert state.data["representatives"] == [
        {"full_name": "Nguyen Van A", "phone_e164": "+84912345678", "phone_masked": "0912***678"}]
    assert state.step == "choosing_more_representatives"


async def test_done_is_never_a_representative_name(tmp_path: Path) -> None:
    """«xong» before any representative asks for one; after one, it goes on; it is never
    kept as a name."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_GROUP)
        first = await person.say("xong")
        at_first = await state_of(person)
        await person.say("Nguyen Van A 0912345678")
        await person.choose("Thêm người đại diện")
        later = await person.say("thôi")
        state = await state_of(person)
    assert "Đơn đông người cần ít nhất một người đại diện" in first
    assert "Số điện thoại của Xong" not in first
    assert at_first.step == "waiting_for_representative_name"
    assert "_rep_name" not in at_first.data
    assert [r["full_name"] for r in state.data["representatives"]] == ["Nguyen Van A"]
    assert state.step == "waiting_for_files"
    assert "Ông/bà có ảnh, giấy tờ" in later


async def test_not_knowing_a_representatives_phone_is_answered_kindly(tmp_path: Path) -> None:
    """«không biết số» at a representative's phone says why the number is needed and how to
    go on, and asks again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, [*TO_GROUP, "Trần Thị B"])
        out = await person.say("không biết số")
        state = await state_of(person)
    assert "Ban cần số điện thoại của từng người đại diện" in out
    assert "bấm «Quay lại»" in out
    assert "Số điện thoại này có vẻ chưa đúng" not in out
    assert state.step == "waiting_for_representative_phone"


def test_a_phone_is_split_from_the_text_around_it() -> None:
    """One phone number in a line is taken out of it; two are not guessed."""
    assert split_phone("Nguyễn Văn An, sđt 0912 345 678") == ("Nguyễn Văn An, sđt",
                                                               "0912 345 678")
    assert split_phone("Nguyễn Văn An") == ("Nguyễn Văn An", None)
    assert split_phone("An 0912345678, Bình 0987654321") is None


# -- 6. communes and old addresses ---------------------------------------------------------------


async def test_a_new_name_typed_at_the_suggestions_is_a_fresh_try(tmp_path: Path) -> None:
    """At «did you mean one of these?», typing another commune's name takes it."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_PLACE)
        offered = await person.say("Tam Than")
        out = await person.say("Hoang Van Thu")
        state = await state_of(person)
    assert "Tôi chưa tìm thấy đúng «Tam Than»" in offered
    assert "Đã ghi nhận: Xã Hoàng Văn Thụ." in out
    assert state.data["place_name"] == "Xã Hoàng Văn Thụ"
    assert state.step == "waiting_for_content"


@pytest.mark.parametrize("typed", ["xa Loc Binh cu, huyen Loc Binh",
                                   "xa Hop Thanh, huyen Cao Loc",
                                   "địa chỉ cũ là xã Hợp Thành, huyện Cao Lộc"])
async def test_an_old_address_typed_in_full_is_offered_as_typed(tmp_path: Path,
                                                                 typed: str) -> None:
    """An address written the pre-2025 way is offered to keep as the old address, without
    unrelated communes and without being asked for again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_PLACE)
        offered = await person.say(typed)
        kept = await person.choose("Đúng, ghi là địa chỉ cũ")
        state = await state_of(person)
    shown = without_old_lead_in(typed)
    assert f"Ghi «{shown}» là địa chỉ cũ (trước năm 2025)" in offered
    assert "Ông/bà gõ địa chỉ cũ theo cách mình biết" not in offered
    assert "Xã Hoa Thám" not in offered
    assert f"Đã ghi nhận (địa chỉ cũ): {shown}." in kept
    assert state.data["place_text"] == shown
    assert state.data["place_code"] is None
    assert state.step == "waiting_for_content"


async def test_an_old_address_with_a_commune_of_today_offers_it(tmp_path: Path) -> None:
    """An old address whose commune has a namesake today offers that unit as well."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_PLACE)
        offered = await person.say("xã Tân Thành, huyện Hữu Lũng")
        await person.choose("Không, nay là Xã Tân Thành")
        state = await state_of(person)
    assert "Không, nay là Xã Tân Thành" in offered
    assert state.data["place_name"] == "Xã Tân Thành"
    assert state.data["place_text"] is None


@pytest.mark.parametrize(("text", "old"), [
    ("xa Hop Thanh, huyen Cao Loc", True),
    ("xã Lộc Bình cũ", True),
    ("xa Loc Binh cu", True),
    ("Hoàn Kiếm, quận Hoàn Kiếm", True),
    ("thị xã Phú Thọ", True),
    ("phường Đông Kinh trước sáp nhập", True),
    ("Tam Thanh", False),
    ("khu dan cu Phai Luc, phuong Tam Thanh", False),
    ("xã Hợp Thành, Cao Lộc", False),
    ("Nguyễn Thị Huyền", False),
])
def test_old_addresses_are_told_apart(text: str, old: bool) -> None:
    """A district, a district town or the word «cũ» marks an old address; «dân cư» does not."""
    assert looks_old(text) is old


def test_a_unit_word_tells_an_address_from_a_remark() -> None:
    """«địa chỉ cũ là xã …» names a place; «tôi chỉ biết địa chỉ cũ» does not."""
    assert mentions_unit("địa chỉ cũ là xã Hợp Thành")
    assert not mentions_unit("tôi chỉ biết địa chỉ cũ")


# -- 7. a CCCD number inside a sentence ----------------------------------------------------------


@pytest.mark.parametrize("typed", ["cccd 020 123 456 789", "so CCCD: 020123456789",
                                   "Số CCCD của tôi là 020.123.456.789."])
def test_a_cccd_inside_a_sentence_is_read(typed: str) -> None:
    """Twelve digits written inside a sentence, grouped or not, are the CCCD number."""
    cccd = parse_cccd(typed, today=date(2026, 11, 26))
    assert isinstance(cccd, Cccd)
    assert cccd.number == "020123456789"


@pytest.mark.parametrize("typed", ["cccd 020 123 456 789", "so CCCD: 020123456789"])
async def test_the_cccd_question_reads_a_number_in_a_sentence(tmp_path: Path,
                                                              typed: str) -> None:
    """At the CCCD question a number inside a sentence is taken and shown masked."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_CCCD)
        out = await person.say(typed)
        state = await state_of(person)
    assert "Đã ghi nhận số CCCD: 0201******89." in out
    assert state.data["identity"]["cccd_masked"] == "0201******89"
    assert state.step == "waiting_for_address"


# -- 8. English words --------------------------------------------------------------------------


async def english(person: Driver) -> None:
    """Agree to the notice and switch to English."""
    await agree(person)
    await person.say("ngon ngu")
    await person.choose("English")


async def test_petition_choices_take_plain_english_words(tmp_path: Path) -> None:
    """In English, «old address», «first decision», «just me» and «without name» pick their
    options, and the examples in the questions are English."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await english(person)
        await person.say("Submit a petition")
        about = await person.say("Recommendation")
        await person.say("the road is broken")
        old = await person.say("old address")
        await person.say("xã Hợp Thành, huyện Cao Lộc")
        await person.say("The road has holes.")
        await person.say("done")
        await person.say("Repair it")
        body = await person.say("first decision")
        await person.say("the commune, 2025")
        await person.say("just me")
        await person.say("No documents")
        review = await person.say("without name")
        state = await state_of(person)
    assert "For example: the road to Nà Pàn village is broken." in about
    assert "đường vào thôn" not in about
    assert "Please type the old address as you know it" in old
    assert "For example: the People's Committee of Hoàng Văn Thụ commune" in body
    assert "Please check your petition before sending it" in review
    assert state.data["stage"] == "first"
    assert state.data["people"] == 1
    assert state.data["anonymous"] is True


@pytest.mark.parametrize(("kind", "example"), [
    ("Complaint", "For example: Decision No. 12/QĐ-UBND of the People's Committee"),
    ("Denunciation", "For example: Mr Nguyễn Văn B, the land officer of Tân Thành commune."),
])
async def test_english_questions_show_english_examples(tmp_path: Path, kind: str,
                                                       example: str) -> None:
    """The first question of a complaint or a denunciation gives its example in English."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await english(person)
        await person.say("Submit a petition")
        out = await person.say(kind)
    assert example in out
