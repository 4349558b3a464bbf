"""Petition answers as people really type them: after a break, in sentences, too long, with
names and numbers around them, old addresses, and in English."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain.clock import FixedClock
from bot.domain.conversation import ConversationState
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
