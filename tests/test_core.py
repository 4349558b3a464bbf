"""The conversation core: routing, typed answers, back, help, cancel, stray input, errors."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.terminal import TerminalChannel
from bot.dialog.flow import Command, Flow, Routes, Step, Turn, option
from bot.domain.clock import FixedClock
from bot.domain.conversation import Expect
from bot.domain.messages import Button, Reply
from bot.domain.users import Purpose, Role
from bot.storage import conversations as conversation_store
from bot.storage import users as user_store
from handlers import menu, routing, start
from tests.harness import DEFAULT_NOW, TerminalHarness, make_settings, terminal_bot


async def consented(bot: TerminalHarness) -> None:
    """Walk /start and agree to both purposes."""
    await bot.type("/start")
    await bot.type("1")
    await bot.type("1")


async def test_start_greets_and_shows_the_notice_with_choices(tmp_path: Path) -> None:
    """/start greets with the office's name and shows the notice with two choices."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        out = await bot.type("/start")
    assert "Kính chào ông/bà" in out
    assert "Ban Tiếp công dân tỉnh Lạng Sơn" in out
    assert "Thông báo xử lý dữ liệu cá nhân" in out
    assert "1. Tôi đồng ý" in out
    assert "2. Tôi không đồng ý" in out


async def test_consent_is_recorded_per_purpose_with_notice_version(tmp_path: Path) -> None:
    """Agreeing records the main purpose and the reminders answer separately, with version."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await bot.type("/start")
        await bot.type("toi dong y")
        out = await bot.type("khong")
        async with bot.app.database.transaction() as conn:
            consent = await user_store.get_consent(conn, "terminal", "1")
    assert "Ông/bà cần hỗ trợ việc gì?" in out
    assert consent.granted(Purpose.HANDLING)
    assert not consent.granted(Purpose.REMINDERS)
    assert consent.records[Purpose.HANDLING].notice_version == "2026-01"


async def test_refusal_leaves_information_readable(tmp_path: Path) -> None:
    """Someone who refuses still reaches the menu and the office information."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await bot.type("/start")
        out = await bot.type("Tôi không đồng ý")
        assert "Sẽ không có thông tin nào" in out
        info = await bot.type("4")
        again = await bot.type("/start")
    assert "📍 Địa chỉ:" in info
    assert "chưa đồng ý cho xử lý dữ liệu cá nhân" in again


async def test_person_can_change_their_mind_later(tmp_path: Path) -> None:
    """A refusal can be turned into consent from «Personal data»."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await bot.type("/start")
        await bot.type("2")
        await bot.type("5")
        out = await bot.type("Đồng ý mục (1)(2)(3)")
        async with bot.app.database.transaction() as conn:
            consent = await user_store.get_consent(conn, "terminal", "1")
    assert "Giờ ông/bà có thể đặt lịch và gửi đơn" in out
    assert consent.granted(Purpose.HANDLING)


async def test_new_notice_version_asks_again(tmp_path: Path) -> None:
    """After the notice changes version, /start shows it again."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await consented(bot)
    changed = make_settings(tmp_path, {"privacy": {"notice_version": "2027-01"}})
    async with terminal_bot(changed) as bot:
        out = await bot.type("/start")
    assert "phiên bản 2027-01" in out


async def test_back_on_a_first_question_returns_to_the_menu(tmp_path: Path) -> None:
    """«Back» on a flow's first question goes back to the menu."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await consented(bot)
        await bot.type("6")
        out = await bot.type("quay lai")
    assert "Ông/bà cần hỗ trợ việc gì?" in out


async def test_stray_input_reasks_with_a_hint(tmp_path: Path) -> None:
    """A sticker or unmatched text at a choice gets a hint and the question again."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await bot.type("/start")
        sticker = await bot.type("/sticker")
        words = await bot.type("hôm nay trời đẹp quá")
    for out in (sticker, words):
        assert "vui lòng chọn một mục bên dưới" in out
        assert "1. Tôi đồng ý" in out


async def test_help_then_the_open_question(tmp_path: Path) -> None:
    """/trogiup explains the commands and repeats the open question."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await bot.type("/start")
        out = await bot.type("/trogiup")
    assert "/huy" in out
    assert "1. Tôi đồng ý" in out


async def test_unknown_command_reasks(tmp_path: Path) -> None:
    """An unknown command is named and the open question shown again."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await bot.type("/start")
        out = await bot.type("/xyz")
    assert "/xyz" in out
    assert "1. Tôi đồng ý" in out


async def test_cancel_goes_back_to_the_menu(tmp_path: Path) -> None:
    """/huy in a flow stops it and shows the menu."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await consented(bot)
        await bot.type("6")
        out = await bot.type("/huy")
    assert "Đã hủy" in out
    assert "1. 📅 Đặt lịch tiếp công dân" in out


async def test_language_is_remembered(tmp_path: Path) -> None:
    """A chosen language stays for the following turns."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await consented(bot)
        await bot.type("ngon ngu")
        switched = await bot.type("english")
        later = await bot.type("/start")
        back = await bot.type("6")
        vietnamese = await bot.type("tieng viet")
    assert "From now on I will write in English." in switched
    assert "Welcome!" in later
    assert "Please choose your language" in back
    assert "trả lời bằng tiếng Việt" in vietnamese


async def test_notification_buttons_are_pressed_with_bam(tmp_path: Path) -> None:
    """A terminal user presses a notification's button with /bam."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await consented(bot)
        channel: TerminalChannel = bot.channel
        await channel._deliver_notification("1", _reply_with_button())
        parsed = channel.parse("/bam a")
    assert parsed is not None
    assert parsed.payload == "g|noop|1"


async def test_buttons_outside_the_question_print_with_letters_and_bam_presses_them(
        tmp_path: Path) -> None:
    """/hangdoi's buttons answer no open question: they print with letters, not numbers, and
    /bam presses them, exactly like a notification's buttons."""
    async with terminal_bot(make_settings(tmp_path)) as bot:
        await bot.type("/trogiup")
        async with bot.app.database.transaction() as conn:
            await user_store.set_role(conn, "terminal", "1", Role.STAFF)
        queue = await bot.type("/hangdoi")
        found = re.search(r"\[([a-z])\] ➕ Tiếp công dân không hẹn trước", queue)
        assert found is not None, queue
        opened = await bot.type(f"/bam {found.group(1)}")
    assert "(để bấm nút, gõ: /bam a)" in queue
    assert not re.search(r"^\s+\d+\. ", queue, flags=re.MULTILINE)
    assert "Họ và tên công dân (theo giấy tờ tùy thân)?" in opened


async def test_where_a_typed_number_is_the_answer_choices_print_without_numbers(
        tmp_path: Path) -> None:
    """At «how many people?» a typed number is the count, so the choices are not numbered."""
    settings = make_settings(tmp_path)
    async with terminal_bot(settings) as bot:
        await consented(bot)
        for line in ("dat lich", "thuong xuyen", "30/11", "9h", "Hỏi về việc cấp sổ đỏ"):
            await bot.type(line)
        people = await bot.type("khong")
    assert "  • 👤 Chỉ mình tôi" in people
    assert "  1. " not in people


def _reply_with_button() -> Reply:
    return Reply(text="Nhắc lịch", buttons=(Button("Tôi sẽ đến", "g|noop|1"),))


# -- a test flow exercising drafts, resume, confirmation and errors ------------------------

async def _ask_name(turn: Turn) -> None:
    turn.ask("Họ tên?", expect=Expect.TEXT)


async def _receive_name(turn: Turn) -> None:
    if turn.text == "boom":
        raise RuntimeError("handler bug")
    turn.data["name"] = turn.text
    await turn.goto("waiting_for_topic")


async def _ask_topic(turn: Turn) -> None:
    turn.ask("Nội dung?", [option("Đất đai", "land")], expect=Expect.TEXT)


async def _receive_topic(turn: Turn) -> None:
    turn.say(f"Đã nhận: {turn.data['name']} / {turn.choice or turn.text}")
    await turn.finish()


async def _start_draft(turn: Turn) -> None:
    await turn.begin("draft")


DRAFT = Flow(
    name="draft", title="Đơn thử", first="waiting_for_name", keeps_draft=True,
    confirm_cancel=True, interruptible=False,
    steps={"waiting_for_name": Step(_ask_name, _receive_name),
           "waiting_for_topic": Step(_ask_topic, _receive_topic)},
)


def _routes() -> Routes:
    base = routing.build_routes()
    return Routes(flows={**base.flows, "draft": DRAFT},
                  commands={**base.commands, "nhap": Command(_start_draft)},
                  actions=base.actions, start=start.command_start, help=base.help)


async def _draft_bot(tmp_path: Path, clock: FixedClock) -> tuple[App, TerminalHarness]:
    app = await App.open(make_settings(tmp_path), clock)
    app.dialog.routes = _routes()
    return app, TerminalHarness(app, "1")


async def test_handler_error_apologises_and_keeps_the_question(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A failing handler gives an apology with the open question, logs it, saves nothing."""
    clock = FixedClock(DEFAULT_NOW)
    app, bot = await _draft_bot(tmp_path, clock)
    try:
        await bot.type("/nhap")
        with caplog.at_level(logging.ERROR):
            out = await bot.type("boom")
        after = await bot.type("Lê Thị B")
    finally:
        await app.close()
    assert "Xin lỗi ông/bà, hệ thống vừa gặp sự cố" in out
    assert "Họ tên?" in out
    assert any("handler failed" in record.getMessage() for record in caplog.records)
    assert "Nội dung?" in after


async def test_draft_is_kept_when_leaving_and_offered_on_return(tmp_path: Path) -> None:
    """Leaving a draft flow for the menu keeps the draft; entering again offers it."""
    clock = FixedClock(DEFAULT_NOW)
    app, bot = await _draft_bot(tmp_path, clock)
    try:
        await bot.type("/nhap")
        await bot.type("Trần Văn C")
        await bot.type("/start")
        offered = await bot.type("/nhap")
        resumed = await bot.type("tiep tuc")
        done = await bot.type("Đất đai")
    finally:
        await app.close()
    assert "Chào mừng ông/bà quay lại" in offered
    assert "«Đơn thử»" in offered
    assert "Nội dung?" in resumed
    assert "Đã nhận: Trần Văn C / land" in done


async def test_returning_after_hours_is_asked_to_continue(tmp_path: Path) -> None:
    """Someone who comes back after the resume threshold is asked to continue or restart."""
    clock = FixedClock(DEFAULT_NOW)
    app, bot = await _draft_bot(tmp_path, clock)
    try:
        await bot.type("/nhap")
        await bot.type("Phạm D")
        clock.advance(timedelta(days=3))
        out = await bot.type("Đất đai")
        restart = await bot.type("lam lai")
    finally:
        await app.close()
    assert "Chào mừng ông/bà quay lại" in out
    assert "Họ tên?" in restart


async def test_back_returns_to_the_previous_question(tmp_path: Path) -> None:
    """«Back» asks the previous question of the flow again, keeping the draft."""
    clock = FixedClock(DEFAULT_NOW)
    app, bot = await _draft_bot(tmp_path, clock)
    try:
        await bot.type("/nhap")
        await bot.type("Đỗ F")
        out = await bot.type("quay lại")
        state = None
        async with app.database.transaction() as conn:
            state = await conversation_store.load_state(conn, "terminal", "1")
    finally:
        await app.close()
    assert "Họ tên?" in out
    assert state.step == "waiting_for_name"
    assert state.data["name"] == "Đỗ F"


async def test_cancel_asks_before_discarding_a_draft(tmp_path: Path) -> None:
    """/huy in a flow that keeps a draft asks first; «No» continues where it was."""
    clock = FixedClock(DEFAULT_NOW)
    app, bot = await _draft_bot(tmp_path, clock)
    try:
        await bot.type("/nhap")
        await bot.type("Võ E")
        asked = await bot.type("/huy")
        kept = await bot.type("khong")
        await bot.type("/huy")
        gone = await bot.type("co")
        async with app.database.transaction() as conn:
            draft = await conversation_store.get_draft(conn, "terminal", "1", "draft")
    finally:
        await app.close()
    assert "có muốn bỏ «Đơn thử»" in asked
    assert "Nội dung?" in kept
    assert "Đã hủy" in gone
    assert draft is None


async def test_other_commands_do_not_interrupt_a_protected_flow(tmp_path: Path) -> None:
    """A command in the middle of a protected flow is answered with a hint, the draft kept."""
    clock = FixedClock(DEFAULT_NOW)
    app, bot = await _draft_bot(tmp_path, clock)
    try:
        await bot.type("/nhap")
        out = await bot.type("/nhap")
    finally:
        await app.close()
    assert "đang làm dở «Đơn thử»" in out
    assert "Họ tên?" in out


def test_menu_lists_every_citizen_entry() -> None:
    """The menu offers booking, petition, lookup, information, personal data, language."""
    payloads = [o.payload for o in menu.citizen_options()]
    assert payloads == ["book", "petition", "lookup", "info", "privacy", "language"]


async def test_housekeeping_forgets_drafts_past_retention(tmp_path: Path) -> None:
    """Chat drafts older than the retention period are deleted; recent ones are kept."""
    clock = FixedClock(DEFAULT_NOW)
    app, bot = await _draft_bot(tmp_path, clock)
    try:
        await bot.type("/nhap")
        await bot.type("Bùi G")
        await bot.type("/start")
        kept = await app.housekeeping()
        clock.advance(timedelta(days=91))
        forgotten = await app.housekeeping()
        async with app.database.transaction() as conn:
            draft = await conversation_store.get_draft(conn, "terminal", "1", "draft")
    finally:
        await app.close()
    assert kept["drafts"] == 0
    assert forgotten["drafts"] == 1
    assert draft is None
