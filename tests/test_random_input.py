"""Random text, commands, button data and media at every step each get a reply, never a crash."""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, make_settings, telegram_bot

APOLOGY = "hệ thống vừa gặp sự cố"
PHRASES = ["1", "2", "3", "4", "5", "6", "7", "9", "0", "đồng ý", "khong dong y", "quay lại",
           "tiếp tục", "gửi đơn", "đặt lịch", "tra cứu", "khiếu nại", "xong", "có", "không",
           "0912345678", "079123456789", "Nguyễn Văn A", "Phường Tam Thanh", "hủy", "menu",
           "   ", "🙂", "<b>x</b>", "a" * 5000]
COMMANDS = ["/start", "/huy", "/trogiup", "/xyz", "/start abc", "/tracuu", "/tracuu TD-XXXX",
            "/hangdoi", "/don", "/baocao", "/timkiem 0912"]

actions = st.one_of(
    st.tuples(st.just("text"), st.one_of(st.sampled_from(PHRASES), st.text(max_size=80))),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=12)),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=12)),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=12)),
    st.tuples(st.just("forged"), st.text(max_size=30)),
    st.tuples(st.just("media"), st.sampled_from(["sticker", "photo", "voice", "location",
                                                 "contact", "document"])),
)

_users = itertools.count(10_000)


async def act(bot: TelegramHarness, user: int, action: tuple[str, Any]) -> list[SentMessage]:
    """Send one random action from ``user``; return the messages sent back."""
    kind, value = action
    api = bot.api
    if kind == "text":
        return await bot.send(api.text_update(user, str(value) or "."))
    if kind == "command":
        return await bot.send(api.text_update(user, str(value)))
    if kind == "press":
        for message in reversed(api.sent_to(user)):
            buttons = message.inline_buttons()
            if buttons:
                data = buttons[int(value) % len(buttons)]["callback_data"]
                return await bot.send(api.callback_update(user, message, data))
        return await bot.send(api.text_update(user, "/start"))
    if kind == "forged":
        target = api.sent_to(user)[-1] if api.sent_to(user) else None
        data = str(value).encode("utf-8")[:64].decode("utf-8", "ignore") or "x"
        if target is None:
            return await bot.send(api.text_update(user, "/start"))
        return await bot.send(api.callback_update(user, target, data))
    builders = {
        "sticker": lambda: api.sticker_update(user),
        "photo": lambda: api.photo_update(user),
        "voice": lambda: api.voice_update(user),
        "location": lambda: api.location_update(user),
        "contact": lambda: api.contact_update(user, "84912345678"),
        "document": lambda: api.document_update(user, "don.pdf", "application/pdf", 50_000),
    }
    return await bot.send(builders[str(value)]())


async def walk(tmp_path: Path, steps: list[tuple[str, Any]]) -> None:
    """Run one random conversation and check each input got a sensible reply."""
    user = next(_users)
    database = tmp_path / f"random-{user}.db"
    async with telegram_bot(make_settings(tmp_path, TIEPDAN_DATABASE=str(database))) as bot:
        await bot.text(user, "/start")
        for step in steps:
            before = sum(len(m) for m in bot.api.messages.values())
            sent = await act(bot, user, step)
            edits = bot.api.calls_of("editMessageText")
            assert sent or len(edits) > 0 or sum(len(m) for m in bot.api.messages.values()) \
                > before, f"no reply to {step!r}"
            for message in sent:
                assert APOLOGY not in message.text, f"{step!r} broke a handler"


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(actions, min_size=1, max_size=30))
def test_random_input_always_gets_a_reply(tmp_path: Path, steps: list[tuple[str, Any]],
                                          caplog: pytest.LogCaptureFixture) -> None:
    """Whatever arrives at whatever step, the person gets a reply and no error is logged."""
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        asyncio.run(walk(tmp_path, steps))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors
