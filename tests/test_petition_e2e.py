"""Petitions end to end: the ``tiepdan`` command as a subprocess, a crash, and stored codes."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.storage import conversations as conversation_store
from tests.fakebotapi import TOKEN, FakeBotApiServer
from tests.harness import make_settings
from tests.petitioning import CODE, agree, count_petitions, driver, state_of
from tests.test_crash import UnconfirmedBotApi, wait_for_message

if TYPE_CHECKING:
    from tests.conftest import Tiepdan

USER = 5
STARTUP = 30.0
ANSWER = 15.0
COMPLAINT = [
    "Gửi đơn", "Khiếu nại", "Quyết định số 12/QĐ-UBND của UBND xã Hoàng Văn Thụ", "Tam Thanh",
    "Xã thu hồi đất nhà tôi mà không báo trước.", "xong", "Hủy quyết định thu hồi đất",
    "Chưa có cơ quan nào giải quyết", "Chỉ mình tôi", "Không có tài liệu", "Nguyễn Văn An",
    "/contact 0912345678", "001085012345", "Thôn Nà Pàn", "Gửi đơn",
]


class ChatSession:
    """``python -m bot chat`` with a pipe for its input, read as it writes."""

    def __init__(self, tiepdan: Tiepdan, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", *args], cwd=tiepdan.tmp_path,
            env=tiepdan.environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        )
        self.output = ""
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        for line in stream:
            with self._changed:
                self.output += line
                self._changed.notify_all()

    def type(self, *lines: str) -> None:
        """Type lines, as a person would."""
        stdin = self.process.stdin
        assert stdin is not None
        for line in lines:
            stdin.write(line + "\n")
        stdin.flush()

    def wait_for(self, pattern: str, since: int = 0, timeout: float = ANSWER) -> re.Match[str]:
        """Wait (bounded) until the output after ``since`` matches ``pattern``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = re.search(pattern, self.output[since:])
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"no {pattern!r} in the output:\n{self.output[-3000:]}")
                self._changed.wait(min(left, 0.2))

    def finish(self) -> int:
        """End the input and wait for the chat to exit; return its status."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.close()
        status = self.process.wait(timeout=ANSWER)
        self._reader.join(timeout=ANSWER)
        return status

    def stop(self) -> None:
        """Kill the process if it is still running; close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._reader.join(timeout=ANSWER)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


@pytest.mark.slow
def test_a_scripted_terminal_session_files_a_complaint_and_looks_it_up_by_its_code(
        tiepdan: Tiepdan) -> None:
    """``tiepdan chat`` fed the answers of a complaint prints a receipt with a code; typing
    /tracuu with that code in the same session shows the petition's status."""
    session = ChatSession(tiepdan)
    try:
        session.type("/start", "Tôi đồng ý", "Không, cảm ơn", *COMPLAINT)
        code = session.wait_for(r"Mã tra cứu: (D-[0-9A-Z]{4}-[0-9A-Z]{4})",
                                timeout=STARTUP).group(1)
        mark = len(session.output)
        session.type(f"/tracuu {code}")
        session.wait_for(rf"Đơn {code}\n", since=mark)
        status = session.finish()
    finally:
        session.stop()
    lookup = session.output[mark:]
    assert status == 0, session.output[-2000:]
    assert "Ban đã nhận đơn của ông/bà" in session.output
    assert "Hiện nay: Đã tiếp nhận" in lookup
    assert "Loại đơn: Khiếu nại" in lookup
    assert "001085012345" not in session.output.replace("» 001085012345", "")
    assert tiepdan.database.is_file()


def stored_codes(database: Path) -> set[str]:
    """Return the tracking codes in the database file."""
    with sqlite3.connect(database) as conn:
        return {row[0] for row in conn.execute("SELECT code FROM petitions")}


def complaint_updates(api: UnconfirmedBotApi) -> list[dict[str, Any]]:
    """Return the updates of a person agreeing and typing a whole complaint."""
    updates = [api.text_update(USER, line) for line in ("/start", "Tôi đồng ý", "Không, cảm ơn")]
    for line in COMPLAINT:
        if line.startswith("/contact "):
            updates.append(api.contact_update(USER, "84" + line.split()[1][1:]))
        else:
            updates.append(api.text_update(USER, line))
    return updates


@pytest.mark.slow
def test_a_petition_sent_right_before_a_sigkill_is_there_after_restart(tiepdan: Tiepdan) -> None:
    """A bot killed (SIGKILL) just after sending a receipt still has the petition after a
    restart, files nothing twice when Telegram delivers every update again, shows the
    petition by its code, and every code it ever showed is stored."""
    api = UnconfirmedBotApi()
    with FakeBotApiServer(api) as server:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": server.base_url}
        first = tiepdan.start("run", **env)
        for update in complaint_updates(api):
            api.push(update)
        receipt = wait_for_message(api, lambda m: "Mã tra cứu" in m.text, "the receipt",
                                   STARTUP + 30)
        first.kill()
        first.wait(timeout=ANSWER)
        code = CODE.search(receipt.text)
        assert code is not None

        second = tiepdan.start("run", **env)
        api.push(api.text_update(USER, f"/tracuu {code.group(0)}"))
        status = wait_for_message(api, lambda m: f"Đơn {code.group(0)}" in m.text,
                                  "the petition's status", STARTUP)
        assert tiepdan.stop(second) == 0, tiepdan.log(second)

    shown = {c for m in api.sent_to(USER) for c in CODE.findall(m.text)}
    assert stored_codes(tiepdan.database) == {code.group(0)}
    assert shown == {code.group(0)}
    assert "Hiện nay: Đã tiếp nhận" in status.text
    assert sum("Mã tra cứu" in m.text for m in api.sent_to(USER)) == 1
    assert "tracuu" in {c["command"] for c in api.commands[""]}
    assert api.errors == []


async def test_a_code_is_never_shown_when_the_turn_that_made_it_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the turn that submits a petition fails before its commit, the petition is not
    stored, no code is shown, the person gets an apology with the question, and the same
    answer sent again then files it."""
    async with driver("telegram", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        for line in COMPLAINT[:-1]:
            if line.startswith("/contact "):
                await person.contact(line.split()[1])
            else:
                await person.say(line)
        real_save = conversation_store.save_state
        failures = []

        async def failing_save(*args: Any, **kwargs: Any) -> None:
            failures.append(1)
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(conversation_store, "save_state", failing_save)
        failed = await person.choose("Gửi đơn")
        stored_after_failure = await count_petitions(person.app)
        state = await state_of(person)
        monkeypatch.setattr(conversation_store, "save_state", real_save)
        sent = await person.choose("Gửi đơn")
        stored_after_retry = await count_petitions(person.app)
    assert failures == [1]
    assert CODE.search(failed) is None
    assert "hệ thống vừa gặp sự cố" in failed
    assert "Ông/bà vui lòng xem lại đơn trước khi gửi" in failed
    assert stored_after_failure == 0
    assert state.step == "reviewing"
    assert CODE.search(sent) is not None
    assert stored_after_retry == 1
