"""A crash in the middle of a flow loses nothing and repeats nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.channels.telegram import CHANNEL
from bot.domain.users import Purpose
from bot.storage import conversations as conversation_store
from bot.storage import users as user_store
from handlers.start import CONSENT_FLOW
from tests.fakebotapi import TOKEN, FakeBotApi, FakeBotApiServer, SentMessage
from tests.harness import make_settings, telegram_bot

if TYPE_CHECKING:
    from tests.conftest import Tiepdan

USER = 5
OFFICE = "Lạng Sơn"
STARTUP = 30.0
ANSWER = 15.0


class UnconfirmedBotApi(FakeBotApi):
    """A Bot API that never hears the bot's confirmations: a restarted bot gets every update.

    Telegram forgets an update once a later getUpdates passes a higher offset; a bot killed
    before that call gets it again. This fake models the worst case: nothing is ever forgotten.
    """

    def __init__(self) -> None:
        super().__init__()
        self.delivered: list[int] = []

    def _api_getupdates(self, params: dict[str, Any], files: Any) -> Any:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
        with self._lock:
            while True:
                pending = [u for u in self._updates if u["update_id"] >= offset][:100]
                remaining = deadline - time.monotonic()
                if pending or remaining <= 0:
                    break
                self._lock.wait(remaining)
            self.delivered.extend(int(u["update_id"]) for u in pending)
            return pending


def payloads(message: SentMessage) -> set[str]:
    """Return what the message's buttons choose (callback data without the prompt token)."""
    return {str(b["callback_data"]).split("|", 1)[-1] for b in message.inline_buttons()}


def button_data(message: SentMessage, payload: str) -> str:
    """Return the callback data of the button on ``message`` that chooses ``payload``."""
    for button in message.inline_buttons():
        data = str(button["callback_data"])
        if data.split("|", 1)[-1] == payload:
            return data
    raise AssertionError(f"no {payload!r} button on {message.text[:80]!r}")


def wait_for_message(api: FakeBotApi, predicate: Any, what: str,
                     timeout: float = ANSWER) -> SentMessage:
    """Wait (bounded) until the bot sent USER a message matching ``predicate``."""
    found: list[SentMessage] = []

    def seen() -> bool:
        found[:] = [m for m in api.sent_to(USER) if predicate(m)]
        return bool(found)

    if not api.wait_for(seen, timeout):
        texts = [m.text[:60] for m in api.sent_to(USER)]
        raise AssertionError(f"the bot never sent {what}; it sent {texts}; errors {api.errors}")
    return found[-1]


def sent_texts(api: FakeBotApi, since: int) -> list[str]:
    """Return the texts of the sendMessage calls after the first ``since`` of them."""
    return [str(call.params["text"]) for call in api.calls_of("sendMessage")[since:]]


@pytest.mark.slow
def test_bot_killed_mid_flow_continues_at_the_same_step_after_restart(
        tiepdan: Tiepdan) -> None:
    """A bot killed (SIGKILL) with the consent question open continues at that question after a
    restart, and the /start that Telegram redelivers is not answered twice."""
    api = UnconfirmedBotApi()
    with FakeBotApiServer(api) as server:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": server.base_url}
        first = tiepdan.start("run", **env)
        start = api.text_update(USER, "/start")
        api.push(start)
        notice = wait_for_message(api, lambda m: payloads(m) == {"yes", "no", "lang:en"},
                                  "the data-protection notice", STARTUP)
        greeting = api.sent_to(USER)[0]
        assert OFFICE in greeting.text
        first.kill()
        first.wait(timeout=ANSWER)

        before_restart = len(api.calls_of("sendMessage"))
        second = tiepdan.start("run", **env)
        api.push(api.callback_update(USER, notice, button_data(notice, "yes")))
        reminders = wait_for_message(
            api, lambda m: {"yes", "no"} <= payloads(m) and m.message_id > notice.message_id,
            "the reminders question", STARTUP)

        assert api.delivered.count(start["update_id"]) >= 2, "the /start was not redelivered"
        after = sent_texts(api, before_restart)
        assert after[0] == reminders.text, "the first answer after the restart is not the next step"
        assert greeting.text not in after, "the redelivered /start was answered again"
        assert notice.text not in after, "the redelivered /start asked for consent again"

        api.push(api.callback_update(USER, reminders, button_data(reminders, "no")))
        wait_for_message(api, lambda m: "info" in payloads(m), "the main menu")
        assert api.errors == []
        assert tiepdan.stop(second) == 0, tiepdan.log(second)


async def test_closing_and_reopening_the_app_continues_at_the_same_step(tmp_path: Path) -> None:
    """After the App is closed with the consent question open, a new App on the same database
    takes the answer to that question and ignores the /start delivered again."""
    settings = make_settings(tmp_path)
    api = FakeBotApi()
    start = api.text_update(USER, "/start")
    async with telegram_bot(settings, api=api) as bot:
        sent = await bot.send(start)
    notice = sent[-1]
    assert payloads(notice) == {"yes", "no", "lang:en"}

    async with telegram_bot(settings, api=api) as bot:
        assert await bot.send(start) == [], "the redelivered /start was answered again"
        after = await bot.send(api.callback_update(USER, notice, button_data(notice, "yes")))
        async with bot.app.database.transaction() as conn:
            state = await conversation_store.load_state(conn, CHANNEL, str(USER))
            consent = await user_store.get_consent(conn, CHANNEL, str(USER))

    assert len(after) == 1
    assert {"yes", "no"} <= payloads(after[0])
    assert (state.flow, state.step) == (CONSENT_FLOW, "waiting_for_reminder_consent")
    assert consent.granted(Purpose.HANDLING)
