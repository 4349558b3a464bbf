"""Duplicated, concurrent, stale and forged updates: each is handled once, in order, politely."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram import CHANNEL
from bot.domain.conversation import IDLE_FLOW
from bot.domain.users import Consent, Purpose
from bot.storage import audit as audit_store
from bot.storage import conversations as conversation_store
from bot.storage import users as user_store
from handlers.start import CONSENT_FLOW
from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, make_settings, telegram_bot

CITIZEN = 5
OTHER_CITIZEN = 6
MENU_ENTRIES = {"book", "petition", "lookup", "info", "privacy", "language"}
FORGED = (
    "999|book",
    "g|nonexistent|1",
    "\x00\u202e' OR 1=1;--|<b>ÿ</b>|🙂",
    "|",
    "g||",
    "2|",
)


def payloads(message: SentMessage) -> set[str]:
    """Return what the message's buttons choose (callback data without the prompt token)."""
    return {str(b["callback_data"]).split("|", 1)[-1] for b in message.inline_buttons()}


def callback_data(message: SentMessage) -> list[str]:
    """Return the callback data of the message's buttons."""
    return [str(b["callback_data"]) for b in message.inline_buttons()]


def button_data(message: SentMessage, payload: str) -> str:
    """Return the callback data of the button on ``message`` that chooses ``payload``."""
    for data in callback_data(message):
        if data.split("|", 1)[-1] == payload:
            return data
    raise AssertionError(f"no {payload!r} button on {message.text[:80]!r}")


def sent_payloads(bot: TelegramHarness, chat: int) -> list[set[str]]:
    """Return, for each sendMessage to ``chat`` in order, what its buttons chose when sent."""
    found: list[set[str]] = []
    for call in bot.api.calls_of("sendMessage"):
        if str(call.params.get("chat_id")) != str(chat):
            continue
        markup = call.params.get("reply_markup")
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        found.append({str(b["callback_data"]).split("|", 1)[-1] for row in rows for b in row})
    return found


async def consent_of(bot: TelegramHarness, user: int) -> Consent:
    """Return the person's recorded answers to the data-protection notice."""
    async with bot.app.database.transaction() as conn:
        return await user_store.get_consent(conn, CHANNEL, str(user))


async def consent_grants(bot: TelegramHarness) -> int:
    """Return how many consent grants the audit log holds."""
    async with bot.app.database.transaction() as conn:
        return len(await audit_store.entries(conn, "consent.grant"))


async def step_of(bot: TelegramHarness, user: int) -> tuple[str, str]:
    """Return the flow and step the person is at."""
    async with bot.app.database.transaction() as conn:
        state = await conversation_store.load_state(conn, CHANNEL, str(user))
    return state.flow, state.step


async def open_reminders_question(
        bot: TelegramHarness) -> tuple[SentMessage, SentMessage, list[str]]:
    """Take CITIZEN through /start and consent to the reminders question.

    Return the notice, the question and its buttons' data as sent (later edits drop them).
    """
    notice = (await bot.text(CITIZEN, "/start"))[-1]
    assert payloads(notice) == {"yes", "no", "lang:en"}  # agree, refuse, read it in English
    sent = await bot.send(bot.api.callback_update(CITIZEN, notice, button_data(notice, "yes")))
    assert len(sent) == 1
    assert {"yes", "no"} <= payloads(sent[0])
    return notice, sent[0], callback_data(sent[0])


async def test_an_update_delivered_twice_is_handled_once(tmp_path: Path) -> None:
    """The same update (same update_id) delivered twice gets one set of replies and records
    the consent once."""
    async with telegram_bot(make_settings(tmp_path)) as bot:
        start = bot.api.text_update(CITIZEN, "/start")
        first = await bot.send(start)
        assert await bot.send(start) == []

        notice = first[-1]
        press = bot.api.callback_update(CITIZEN, notice, button_data(notice, "yes"))
        answered = await bot.send(press)
        assert await bot.send(press) == []

        consent = await consent_of(bot, CITIZEN)
        grants = await consent_grants(bot)

    assert len(first) == 2  # the greeting and the notice
    assert len(answered) == 1  # the reminders question
    assert consent.granted(Purpose.HANDLING)
    assert grants == 1


async def test_one_persons_concurrent_updates_run_in_order_and_others_complete(
        tmp_path: Path) -> None:
    """Updates submitted together are handled in arrival order for each person, and two
    people's conversations both complete."""
    async with telegram_bot(make_settings(tmp_path)) as bot:
        api = bot.api
        application: Any = bot.application
        raw = [
            api.text_update(CITIZEN, "/start"),
            api.text_update(OTHER_CITIZEN, "/start"),
            api.text_update(CITIZEN, "1"),  # I agree
            api.text_update(OTHER_CITIZEN, "2"),  # I do not agree
            api.text_update(CITIZEN, "2"),  # no reminders, thank you
        ]
        updates = [Update.de_json(u, application.bot) for u in raw]
        # What the polling fetcher does for each update, all at once.
        await asyncio.gather(*(
            application.update_processor.process_update(update,
                                                        application.process_update(update))
            for update in updates
        ))
        citizen = await consent_of(bot, CITIZEN)
        other = await consent_of(bot, OTHER_CITIZEN)
        citizen_step = await step_of(bot, CITIZEN)
        other_step = await step_of(bot, OTHER_CITIZEN)

    assert api.errors == []
    assert citizen.granted(Purpose.HANDLING)
    assert Purpose.REMINDERS in citizen.records
    assert not citizen.granted(Purpose.REMINDERS)
    assert citizen_step[0] == IDLE_FLOW
    assert sent_payloads(bot, CITIZEN)[-1] >= MENU_ENTRIES

    assert Purpose.HANDLING in other.records
    assert not other.granted(Purpose.HANDLING)
    assert Purpose.REMINDERS not in other.records
    assert other_step[0] == IDLE_FLOW
    assert sent_payloads(bot, OTHER_CITIZEN)[-1] >= MENU_ENTRIES


async def test_a_stale_button_gets_a_polite_answer_and_the_current_question(
        tmp_path: Path) -> None:
    """Pressing a button of an earlier question says so and shows the open question again,
    without acting on the old answer."""
    async with telegram_bot(make_settings(tmp_path)) as bot:
        notice = (await bot.text(CITIZEN, "/start"))[-1]
        stale_no = button_data(notice, "no")  # taken now: pressing "yes" removes the keyboard
        yes = bot.api.callback_update(CITIZEN, notice, button_data(notice, "yes"))
        reminders = (await bot.send(yes))[-1]
        buttons = callback_data(reminders)

        sent = await bot.send(bot.api.callback_update(CITIZEN, notice, stale_no))
        consent = await consent_of(bot, CITIZEN)
        step = await step_of(bot, CITIZEN)

    assert len(sent) == 1
    again = sent[0]
    assert again.text != reminders.text, "no word about the earlier message"
    assert again.text.endswith(reminders.text), "the open question was not shown again"
    assert callback_data(again) == buttons
    assert consent.granted(Purpose.HANDLING), "the stale 'no' was acted on"
    assert step == (CONSENT_FLOW, "waiting_for_reminder_consent")


@pytest.mark.parametrize("data", FORGED)
async def test_a_forged_button_is_refused_politely(tmp_path: Path, data: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """Callback data the bot never sent gets a polite answer with the open question, no error
    and no change."""
    assert len(data.encode("utf-8")) <= 64
    async with telegram_bot(make_settings(tmp_path)) as bot:
        _notice, reminders, buttons = await open_reminders_question(bot)
        answers_before = len(bot.api.calls_of("answerCallbackQuery"))

        sent = await bot.send(bot.api.callback_update(CITIZEN, reminders, data))
        consent = await consent_of(bot, CITIZEN)
        step = await step_of(bot, CITIZEN)
        answers_after = len(bot.api.calls_of("answerCallbackQuery"))

    assert sent, "the forged button got no answer"
    assert callback_data(sent[-1]) == buttons
    assert answers_after == answers_before + 1, "the button press was not acknowledged"
    assert bot.api.errors == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert Purpose.REMINDERS not in consent.records
    assert step == (CONSENT_FLOW, "waiting_for_reminder_consent")


@pytest.mark.parametrize("data", FORGED)
async def test_a_forged_button_from_a_newcomer_is_answered_without_error(
        tmp_path: Path, data: str, caplog: pytest.LogCaptureFixture) -> None:
    """A person who never wrote and presses a button the bot never sent gets an answer, and no
    error is logged."""
    async with telegram_bot(make_settings(tmp_path)) as bot:
        stranger = SentMessage(chat_id=CITIZEN, message_id=424242, text="?", reply_markup=None,
                               date=0)
        sent = await bot.send(bot.api.callback_update(CITIZEN, stranger, data))

    assert sent, "the forged button got no answer"
    assert bot.api.errors == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
