"""Every bad input in a petition gets a clear message of what is expected, the question
again, and the draft kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.conversation import ConversationState
from tests.harness import make_settings
from tests.petitioning import (
    Driver,
    TelegramDriver,
    agree,
    count_petitions,
    driver,
    state_of,
)

TO_RESPONDENT = ["Gửi đơn", "Khiếu nại"]
TO_PLACE = [*TO_RESPONDENT, "UBND xã Tân Thành"]
TO_CONTENT = [*TO_PLACE, "Tam Thanh"]
TO_PEOPLE = [*TO_CONTENT, "Xã thu hồi đất sai.", "xong", "Hủy quyết định",
             "Chưa có cơ quan nào giải quyết"]
TO_FILES = [*TO_PEOPLE, "Chỉ mình tôi"]
TO_PHONE = [*TO_FILES, "Không có tài liệu", "Nguyễn Văn An"]
TO_CCCD = [*TO_PHONE, "/contact 0912345678"]


async def walk(person: Driver, lines: list[str]) -> ConversationState:
    """Agree to the notice, type ``lines``, and return the state reached."""
    await agree(person)
    for line in lines:
        await person.say(line)
    return await state_of(person)


def kept(before: ConversationState, after: ConversationState) -> bool:
    """Tell whether the draft and the open question survived the bad input."""
    answers = {k: v for k, v in before.data.items() if not k.startswith("_")}
    return (after.flow, after.step) == (before.flow, before.step) and all(
        after.data.get(k) == v for k, v in answers.items())


async def test_an_invalid_phone_says_what_a_phone_number_looks_like(tmp_path: Path) -> None:
    """A phone number that is not one is explained with an example and asked again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_PHONE)
        out = await person.say("0123456789")
        after = await state_of(person)
    assert "Số điện thoại này có vẻ chưa đúng" in out
    assert "ví dụ 0912 345 678" in out
    assert "Ban có thể liên hệ với ông/bà qua số điện thoại nào?" in out
    assert kept(before, after)


@pytest.mark.parametrize(("typed", "expected"), [
    ("00108501234", "Ông/bà vừa gõ 11 chữ số; số CCCD có đúng 12 chữ số"),
    ("0010850123456", "Ông/bà vừa gõ 13 chữ số"),
    ("00108501234A", "Số CCCD chỉ gồm chữ số, đúng 12 chữ số"),
    ("123456789", "số chứng minh nhân dân 9 số cũ"),
])
async def test_a_wrong_cccd_explains_the_format_and_is_never_echoed(
        tmp_path: Path, typed: str, expected: str) -> None:
    """A CCCD number of the wrong length or with letters is explained (12 digits) and asked
    again; what was typed is not repeated."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_CCCD)
        out = await person.say(typed)
        after = await state_of(person)
    assert expected in out
    assert "12 chữ số trên thẻ căn cước" in out
    assert typed not in out.replace(f"» {typed}", "")
    assert kept(before, after)


@pytest.mark.parametrize("typed", ["...", "🙂", "  ?! "])
async def test_an_empty_answer_asks_for_words(tmp_path: Path, typed: str) -> None:
    """An answer with no letters or digits is refused and the question asked again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_RESPONDENT)
        out = await person.say(typed)
        after = await state_of(person)
    assert "Tôi chưa thấy chữ nào trong câu trả lời" in out
    assert "Ông/bà khiếu nại quyết định hoặc việc làm nào" in out
    assert kept(before, after)


async def test_done_with_no_content_asks_for_the_story(tmp_path: Path) -> None:
    """«Done» before anything was told asks for the content again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_CONTENT)
        out = await person.say("Xong, tôi đã kể hết")
        after = await state_of(person)
    assert "Ông/bà chưa kể nội dung nào" in out
    assert "Ông/bà kể lại sự việc" in out
    assert kept(before, after)


async def test_a_short_answer_over_the_limit_is_kept_as_the_story(tmp_path: Path) -> None:
    """An answer longer than max_answer_chars is not thrown away: it is kept as what happened,
    and the short question is asked again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_RESPONDENT)
        out = await person.say("Ủy ban " * 80)
        after = await state_of(person)
    assert "Nội dung dài quá 500 ký tự" not in out
    assert "nên đã được giữ lại làm phần nội dung sự việc" in out
    assert after.data["content"] == [("Ủy ban " * 80).strip()]
    assert kept(before, after)


async def test_content_over_the_limit_states_the_limit_and_what_is_left(tmp_path: Path) -> None:
    """A message that would take the content over max_content_chars is not added, and the
    person is told the limit and how much room is left."""
    settings = make_settings(tmp_path, {"petitions": {"max_content_chars": 300}})
    async with driver("terminal", settings, tmp_path) as person:
        await walk(person, TO_CONTENT)
        await person.say("a" * 100)
        before = await state_of(person)
        out = await person.say("b" * 250)
        after = await state_of(person)
    assert "Nội dung đơn tối đa 300 ký tự" in out
    assert "còn có thể viết thêm 198 ký tự" in out
    assert after.data["content"] == ["a" * 100]
    assert kept(before, after)


async def test_a_commune_matching_nothing_says_so_and_asks_again(tmp_path: Path) -> None:
    """A place name close to no unit of the province is said not found, with the fallback."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_PLACE)
        out = await person.say("Xyzabc")
        after = await state_of(person)
    assert "Tôi không tìm thấy «Xyzabc» trong các xã, phường của tỉnh Lạng Sơn" in out
    assert "Tôi chỉ biết địa chỉ cũ" in out
    assert kept(before, after)


async def test_a_misspelt_commune_offers_the_closest_units(tmp_path: Path) -> None:
    """A misspelt name offers the closest units to choose from, plus typing it again or an
    old address; choosing one goes on."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_PLACE)
        offered = await person.say("Tam Thnh")
        chosen = await person.say("Phường Tam Thanh")
        after = await state_of(person)
    assert "Tôi chưa tìm thấy đúng «Tam Thnh»" in offered
    assert "1. Phường Tam Thanh" in offered
    assert "Gõ lại" in offered
    assert "Đây là địa chỉ cũ" in offered
    assert "Ông/bà kể lại sự việc" in chosen
    assert after.data["place_name"] == "Phường Tam Thanh"
    assert after.data["respondent"] == before.data["respondent"]


async def test_an_old_address_is_kept_as_typed(tmp_path: Path) -> None:
    """An address from before the 2025 reform is taken as free text."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_PLACE)
        await person.say("Tôi chỉ biết địa chỉ cũ (trước năm 2025)")
        await person.say("xã Hợp Thành, huyện Cao Lộc")
        after = await state_of(person)
    assert after.data["place_text"] == "xã Hợp Thành, huyện Cao Lộc"
    assert after.data["place_code"] is None
    assert after.step == "waiting_for_content"


@pytest.mark.parametrize("channel", ["telegram", "terminal"])
async def test_a_file_too_large_states_the_limit(tmp_path: Path, channel: str) -> None:
    """A file over max_attachment_mb is refused with the limit; the question stays."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_FILES)
        out = await person.document("ban_do.pdf", 25 * 1024 * 1024)
        after = await state_of(person)
    assert "Tệp này lớn hơn 20 MB" in out
    assert "Ông/bà có ảnh, giấy tờ hay tin nhắn thoại nào gửi kèm đơn không?" in out
    assert after.data.get("files", []) == []
    assert kept(before, after)


@pytest.mark.parametrize("channel", ["telegram", "terminal"])
async def test_a_refused_file_type_lists_the_types_taken(tmp_path: Path, channel: str) -> None:
    """A document whose type is not taken is refused with the list of types that are."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_FILES)
        out = await person.document("chuong_trinh.exe", 1000)
        after = await state_of(person)
    assert "Tôi chưa nhận được loại tệp này. Các loại tệp được nhận: PDF, DOC, DOCX" in out
    assert kept(before, after)


async def test_one_file_too_many_states_the_count(tmp_path: Path) -> None:
    """At max_attachments the bot no longer invites more files; past it a file is refused,
    saying how many a petition may carry."""
    settings = make_settings(tmp_path, {"petitions": {"max_attachments": 1}})
    async with driver("telegram", settings, tmp_path) as person:
        await walk(person, TO_FILES)
        taken = await person.photo()
        before = await state_of(person)
        out = await person.voice()
        after = await state_of(person)
    assert "Đã nhận 1 tệp, là số tệp nhiều nhất một đơn được gửi kèm" in taken
    assert "gửi thêm" not in taken
    assert "Mỗi đơn gửi kèm tối đa 1 tệp nên tệp này chưa được nhận" in out
    assert len(after.data["files"]) == 1
    assert kept(before, after)


async def test_a_kind_of_file_not_taken_says_what_can_be_sent(tmp_path: Path) -> None:
    """A kind of file left out of attachment_kinds is refused, listing the kinds taken."""
    settings = make_settings(tmp_path, {"petitions": {"attachment_kinds": ["photo", "document"]}})
    async with driver("telegram", settings, tmp_path) as person:
        before = await walk(person, TO_FILES)
        out = await person.voice()
        after = await state_of(person)
    assert "Ông/bà có thể gửi: ảnh, tài liệu." in out
    assert kept(before, after)


@pytest.mark.parametrize("channel", ["telegram", "terminal"])
async def test_a_voice_message_is_taken_as_content(tmp_path: Path, channel: str) -> None:
    """An elderly person may tell the story as a voice message at the content question."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_CONTENT)
        out = await person.voice()
        done = await person.say("xong")
        after = await state_of(person)
    assert "Đã nhận tin nhắn thoại. Tệp sẽ được lưu cùng đơn." in out
    assert "Ông/bà đề nghị cơ quan nhà nước giải quyết việc gì?" in done
    assert [f["kind"] for f in after.data["files"]] == ["voice"]


@pytest.mark.parametrize("channel", ["telegram", "terminal"])
@pytest.mark.parametrize("stray", ["sticker", "location"])
async def test_a_sticker_or_location_where_text_is_expected_asks_for_text(
        tmp_path: Path, channel: str, stray: str) -> None:
    """A sticker or a location at a text question asks for typed text and keeps the draft."""
    async with driver(channel, make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_PLACE)
        out = await (person.sticker() if stray == "sticker" else person.location())
        after = await state_of(person)
    assert "Ở bước này tôi chỉ đọc được chữ. Ông/bà vui lòng gõ câu trả lời." in out
    assert "Việc xảy ra ở xã, phường nào?" in out
    assert kept(before, after)


@pytest.mark.parametrize("stray", ["sticker", "location"])
async def test_a_sticker_or_location_at_the_content_says_what_is_taken(
        tmp_path: Path, stray: str) -> None:
    """At the content question, which takes text and files, a sticker or a location is
    answered with what can be sent instead."""
    async with driver("telegram", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_CONTENT)
        out = await (person.sticker() if stray == "sticker" else person.location())
        after = await state_of(person)
    assert "Ông/bà vui lòng gõ câu trả lời, hoặc gửi ảnh, tài liệu hay tin nhắn thoại" in out
    assert kept(before, after)


@pytest.mark.parametrize("command", ["/tracuu D-2345-6789", "/tracuu"])
async def test_a_command_in_the_middle_keeps_the_petition(tmp_path: Path, command: str) -> None:
    """Another command in the middle of a petition says how to go on or stop; the draft and
    the question stay."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_PLACE)
        out = await person.say(command)
        after = await state_of(person)
    assert "Ông/bà đang làm dở «Gửi đơn»" in out
    assert "gửi /huy để dừng" in out
    assert "Việc xảy ra ở xã, phường nào?" in out
    assert kept(before, after)


async def test_an_unknown_command_in_the_middle_keeps_the_petition(tmp_path: Path) -> None:
    """An unknown command is named and the question asked again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        before = await walk(person, TO_PLACE)
        out = await person.say("/xoadon")
        after = await state_of(person)
    assert "Tôi chưa hiểu lệnh /xoadon" in out
    assert kept(before, after)


async def test_a_button_from_an_old_message_gets_the_current_question(tmp_path: Path) -> None:
    """A button pressed on an earlier question is answered politely with the current one."""
    async with driver("telegram", make_settings(tmp_path), tmp_path) as person:
        assert isinstance(person, TelegramDriver)
        bot = person.bot
        await agree(person)
        await person.choose("Gửi đơn")
        type_question = bot.api.sent_to(person.user)[-1]
        button = type_question.inline_buttons()[1]["callback_data"]  # «Tố cáo»
        await person.choose("Khiếu nại")
        before = await state_of(person)
        sent = await bot.send(bot.api.callback_update(person.user, type_question, button))
        after = await state_of(person)
        total = await count_petitions(person.app)
    out = "\n".join(m.text for m in sent)
    assert "Nút này thuộc một tin nhắn cũ. Câu hỏi hiện tại là:" in out
    assert "Ông/bà khiếu nại quyết định hoặc việc làm nào" in out
    assert after.data["type"] == "complaint"
    assert kept(before, after)
    assert total == 0


@pytest.mark.parametrize(("typed", "expected"), [
    ("nhiều lắm", "Ông/bà vui lòng gõ số người bằng chữ số, ví dụ: 7."),
    ("0", "Ông/bà vui lòng gõ số người bằng chữ số, ví dụ: 7."),
    ("2000000", "Con số này lớn hơn 10000 người"),
])
async def test_a_bad_number_of_people_is_asked_again(tmp_path: Path, typed: str,
                                                     expected: str) -> None:
    """A number of people that is not one, zero or too large is explained and asked again."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_PEOPLE)
        before = await walk_more(person, ["Nhiều người cùng đứng tên"])
        out = await person.say(typed)
        after = await state_of(person)
    assert expected in out
    assert kept(before, after)


async def walk_more(person: Driver, lines: list[str]) -> ConversationState:
    """Type more ``lines`` and return the state reached."""
    for line in lines:
        await person.say(line)
    return await state_of(person)


async def test_a_representative_with_a_bad_name_or_phone_is_asked_again(tmp_path: Path) -> None:
    """A representative's name with digits and an invalid phone are explained and re-asked."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_PEOPLE)
        before = await walk_more(person, ["Nhiều người cùng đứng tên", "6"])
        name = await person.say("Lê Văn 3")
        after_name = await state_of(person)
        await person.say("Lê Văn Ba")
        phone = await person.say("12345")
        after_phone = await state_of(person)
    assert "Họ tên không có chữ số" in name
    assert kept(before, after_name)
    assert "Số điện thoại này có vẻ chưa đúng" in phone
    assert after_phone.step == "waiting_for_representative_phone"
    assert after_phone.data["representatives"] == []


async def test_with_files_turned_off_none_is_asked_and_a_file_is_explained(
        tmp_path: Path) -> None:
    """With max_attachments = 0 the files question is skipped and a file sent anyway is
    answered with where the papers should go."""
    settings = make_settings(tmp_path, {"petitions": {"max_attachments": 0}})
    async with driver("telegram", settings, tmp_path) as person:
        before = await walk(person, TO_CONTENT)
        refused = await person.photo()
        after = await state_of(person)
        await walk_more(person, TO_FILES[len(TO_CONTENT):])
        skipped = await state_of(person)
    assert "Hiện chưa gửi được tệp qua trợ lý" in refused
    assert "tin nhắn thoại" not in refused
    assert kept(before, after)
    assert skipped.step == "waiting_for_full_name"


async def test_a_long_message_with_a_buttons_words_in_it_is_the_answer(tmp_path: Path) -> None:
    """«... làm xong giấy tờ ...» in the story is part of the story, not «Xong»: at a question
    typed text answers, a long message is that answer even with a button's words in it;
    «xong» alone still presses «Xong»."""
    story = "Tôi đã làm xong giấy tờ từ năm ngoái nhưng xã vẫn không giải quyết cho gia đình"
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await walk(person, TO_CONTENT)
        await person.say("Xã thu hồi đất của gia đình tôi.")
        still = await person.say(story)
        during = await state_of(person)
        await person.say("xong")
        after = await state_of(person)
    assert during.step == "waiting_for_content"
    assert "Ông/bà muốn đề nghị" not in still
    assert story in str(during.data)
    assert after.step == "waiting_for_request"
