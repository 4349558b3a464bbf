"""An official throwing random text, periods, commands and button presses at /baocao and
/nhanbaocao always gets a reply, never the apology, and no error is logged."""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.harness import make_settings, telegram_bot
from tests.test_random_input import APOLOGY, act

PERIODS = ["năm 2025", "quý 4", "quy IV nam 2026", "tháng 11", "6 tháng cuối năm 2025",
           "9 thang", "năm 2030", "thang 13", "2025", "kỳ trước", "excel", "đóng", "1", "7"]
COMMANDS = ["/baocao", "/baocao năm 2025", "/baocao quý 9", "/nhanbaocao", "/huy", "/start",
            "/trogiup"]

actions = st.one_of(
    st.tuples(st.just("text"), st.one_of(st.sampled_from(PERIODS), st.text(max_size=40))),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=8)),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=8)),
    st.tuples(st.just("forged"), st.sampled_from(["g|rp_open|2025-Y1|-", "g|rp_xlsx|2025-M3|0",
                                                  "g|rp_open|bad", "g|rp_xlsx|2025-Y1|9"])),
)

_users = itertools.count(20_000)


async def walk(tmp_path: Path, steps: list[tuple[str, Any]]) -> None:
    """Run one random conversation of an admin and check each input got a sensible reply."""
    user = next(_users)
    data = {"admins": [f"telegram:{user}"],
            "sites": [{"id": "main", "name": "Trụ sở chính"}, {"id": "north", "name": "Bắc"}]}
    database = tmp_path / f"report-random-{user}.db"
    async with telegram_bot(make_settings(tmp_path, data, TIEPDAN_DATABASE=str(database))) as bot:
        await bot.text(user, "/baocao")
        for step in steps:
            before = sum(len(m) for m in bot.api.messages.values())
            sent = await act(bot, user, step)
            edits = bot.api.calls_of("editMessageText")
            assert sent or edits or sum(len(m) for m in bot.api.messages.values()) > before, \
                f"no reply to {step!r}"
            for message in sent:
                assert APOLOGY not in message.text, f"{step!r} broke a handler"


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(actions, min_size=1, max_size=20))
def test_random_input_to_reports_always_gets_a_reply(tmp_path: Path,
                                                     steps: list[tuple[str, Any]],
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """Whatever an official sends in the reports' flows, they get a reply and no error."""
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        asyncio.run(walk(tmp_path, steps))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors
