"""End to end: the ``tiepdan`` command as a subprocess, against a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from bot.config import OfficeSettings
from tests.fakebotapi import TOKEN, FakeBotApi, FakeBotApiServer, SentMessage

if TYPE_CHECKING:
    from tests.conftest import Tiepdan

USER = 5
OFFICE = "Lạng Sơn"  # in the default office name, whatever language the catalog shows
MENU_ENTRIES = {"book", "petition", "lookup", "info", "privacy", "language"}
STARTUP = 30.0  # the first answer includes the interpreter's start-up
ANSWER = 15.0
SECRET = "webhook-Secret_0123456789"


def payloads(message: SentMessage) -> set[str]:
    """Return what the message's buttons choose (callback data without the prompt token)."""
    return {str(b["callback_data"]).split("|", 1)[-1] for b in message.inline_buttons()}


def is_consent_notice(message: SentMessage) -> bool:
    """Tell whether ``message`` is the data-protection notice with its two answers (and the
    button that shows it in English)."""
    return payloads(message) == {"yes", "no", "lang:en"} and OFFICE in message.text


def is_menu(message: SentMessage) -> bool:
    """Tell whether ``message`` is the main menu."""
    return len(message.inline_buttons()) >= 6 and payloads(message) >= MENU_ENTRIES


def button_data(message: SentMessage, payload: str) -> str:
    """Return the callback data of the button on ``message`` that chooses ``payload``."""
    for button in message.inline_buttons():
        data = str(button["callback_data"])
        if data.split("|", 1)[-1] == payload:
            return data
    raise AssertionError(f"no {payload!r} button on {message.text[:80]!r}")


def wait_for_message(api: FakeBotApi, chat: int, predicate: Callable[[SentMessage], bool],
                     what: str, timeout: float = ANSWER) -> SentMessage:
    """Wait (bounded) until the bot sent a message matching ``predicate``; return the latest."""
    found: list[SentMessage] = []

    def seen() -> bool:
        found[:] = [m for m in api.sent_to(chat) if predicate(m)]
        return bool(found)

    if not api.wait_for(seen, timeout):
        texts = [m.text[:60] for m in api.sent_to(chat)]
        raise AssertionError(f"the bot never sent {what}; it sent {texts}; errors {api.errors}")
    return found[-1]


def sent_message_calls(api: FakeBotApi, chat: int) -> list[dict[str, Any]]:
    """Return the parameters of every sendMessage to ``chat`` (before any later edit)."""
    return [call.params for call in api.calls_of("sendMessage")
            if str(call.params.get("chat_id")) == str(chat)]


def call_payloads(params: dict[str, Any]) -> set[str]:
    """Return what the buttons of a sendMessage call choose."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict):
        return set()
    return {str(b.get("callback_data", "")).split("|", 1)[-1]
            for row in markup.get("inline_keyboard", []) for b in row}


def walk_consent_to_menu(api: FakeBotApi, deliver: Callable[[dict[str, Any]], None]) -> None:
    """Send /start, agree, answer the reminders question; check each answer on the way."""
    deliver(api.text_update(USER, "/start"))
    notice = wait_for_message(api, USER, is_consent_notice, "the data-protection notice",
                              STARTUP)
    greetings = [m for m in api.sent_to(USER) if m.message_id < notice.message_id
                 and OFFICE in m.text and not m.inline_buttons()]
    assert greetings, "no greeting naming the office came before the notice"

    deliver(api.callback_update(USER, notice, button_data(notice, "yes")))
    reminders = wait_for_message(
        api, USER, lambda m: {"yes", "no"} <= payloads(m) and m.message_id > notice.message_id,
        "the reminders question")

    deliver(api.callback_update(USER, reminders, button_data(reminders, "yes")))
    menu = wait_for_message(api, USER, is_menu, "the main menu")
    assert menu.message_id > reminders.message_id


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(port: int, update: dict[str, Any], secret: str) -> int:
    """POST an update to the bot's webhook as Telegram does; return the HTTP status."""
    deadline = time.monotonic() + ANSWER
    body = json.dumps(update).encode("utf-8")
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER)
        try:
            connection.request("POST", "/hook", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        except ConnectionRefusedError:
            # setWebhook is called just before the server listens; give it a moment.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            connection.close()


@pytest.mark.slow
def test_polling_takes_a_citizen_from_start_through_consent_to_the_menu(
        tiepdan: Tiepdan) -> None:
    """By long polling, ``tiepdan run`` publishes its commands, drops any webhook and leads a
    citizen from /start through the consent questions to the main menu."""
    with FakeBotApiServer() as server:
        api = server.api
        process = tiepdan.start("run", TELEGRAM_BOT_TOKEN=TOKEN,
                                TELEGRAM_API_BASE_URL=server.base_url)
        walk_consent_to_menu(api, api.push)

        assert api.calls_of("setMyCommands"), "the command menu was not published"
        assert {"start", "huy", "trogiup"} <= {c["command"] for c in api.commands[""]}
        assert api.calls_of("deleteWebhook"), "polling did not drop a webhook first"
        assert api.calls_of("getUpdates")
        assert api.errors == []
        assert tiepdan.stop(process) == 0, tiepdan.log(process)


@pytest.mark.slow
def test_webhook_takes_a_citizen_through_consent_and_refuses_a_wrong_secret(
        tiepdan: Tiepdan) -> None:
    """By webhook, ``tiepdan run --webhook`` registers its address and secret, answers updates
    posted with the secret and refuses (403) one posted with a wrong secret."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    with FakeBotApiServer() as server:
        api = server.api
        process = tiepdan.start("run", "--webhook", "--listen", "127.0.0.1", "--port", str(port),
                                "--url", url, TELEGRAM_BOT_TOKEN=TOKEN,
                                TELEGRAM_API_BASE_URL=server.base_url,
                                TELEGRAM_WEBHOOK_SECRET=SECRET)
        assert api.wait_for(lambda: api.webhook.get("url") == url, STARTUP), tiepdan.log(process)
        assert api.webhook.get("secret_token") == SECRET

        forged = api.text_update(USER, "/start")
        assert post(port, forged, "not-the-secret") == 403

        def deliver(update: dict[str, Any]) -> None:
            assert post(port, update, SECRET) == 200

        walk_consent_to_menu(api, deliver)

        sent = sent_message_calls(api, USER)
        notices = [p for p in sent
                   if call_payloads(p) == {"yes", "no", "lang:en"}
                   and OFFICE in str(p.get("text", ""))]
        assert len(notices) == 1, "the update with the wrong secret was handled too"
        assert not api.calls_of("getUpdates"), "a webhook bot must not poll"
        assert api.errors == []
        assert tiepdan.stop(process) == 0, tiepdan.log(process)


@pytest.mark.slow
def test_run_without_a_token_explains_and_starts_the_terminal_chat(tiepdan: Tiepdan) -> None:
    """Without TELEGRAM_BOT_TOKEN, ``tiepdan run`` says on stderr how to get one, then answers
    /start in the terminal and exits 0."""
    result = tiepdan.run("run", stdin="/start\n")

    assert result.returncode == 0, result.stderr
    explanation = result.stderr.strip().splitlines()
    assert len(explanation) == 1, result.stderr
    assert "@BotFather" in explanation[0]
    assert "TELEGRAM_BOT_TOKEN" in explanation[0]
    assert OFFICE in result.stdout  # the greeting and the notice name the office
    assert "  1. " in result.stdout
    assert "  2. " in result.stdout
    assert "  3. 🌐 English" in result.stdout
    assert "  4. " not in result.stdout, "the notice should offer two answers and English"


@pytest.mark.slow
def test_scripted_terminal_chat_reaches_the_office_information(tiepdan: Tiepdan) -> None:
    """``tiepdan chat`` fed '/start, 1, 2, 4' agrees, declines reminders, opens the menu and
    shows the office's address and hours."""
    result = tiepdan.run("chat", stdin="/start\n1\n2\n4\n")

    assert result.returncode == 0, result.stderr
    office = OfficeSettings()
    menu_at = result.stdout.find("  6. ")
    assert menu_at != -1, result.stdout
    information = result.stdout[menu_at:]
    assert office.address in information
    assert office.hours in information
