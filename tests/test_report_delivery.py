"""Delivery through the outbox: a report to 300 subscribers under Telegram's flood control,
a restart between queuing and sending, and the admins told of a message that never went."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.domain.clock import FixedClock
from bot.domain.messages import Reply
from bot.domain.petitions import PetitionType
from bot.domain.users import Role
from bot.services import Actor
from bot.services.outbox import KIND_DELIVERY_ALERT, MAX_ATTEMPTS, DeliveryError, OutboxDispatcher
from bot.storage import outbox as outbox_store
from bot.storage import reports as report_store
from tests.fakebotapi import FakeBotApi
from tests.harness import TelegramHarness, make_settings, telegram_bot
from tests.reporting_data import CHAIRMAN, ReportingOffice, local

CUT_OFF_NEXT_DAY = local(date(2026, 12, 15), 8)  # month 12 and year 2026 closed on 14/12
SUBSCRIBERS = [{"role": "leader", "kinds": ["monthly"]}]
FIRST_LEADER = 700_000


async def pending(bot: TelegramHarness) -> list[outbox_store.OutboxRow]:
    """Return the messages still waiting in the outbox."""
    async with bot.app.database.transaction() as conn:
        return await outbox_store.all_messages(conn, "pending")


async def leaders(office: ReportingOffice, count: int) -> list[int]:
    """Give ``count`` people the leader role; return their chat ids."""
    chats = [FIRST_LEADER + number for number in range(count)]
    async with office.acting(Actor.system()) as services:
        for chat in chats:
            await services.users.arrive("telegram", str(chat), str(chat), None)
            await services.users.set_role("telegram", str(chat), Role.LEADER, "test")
    return chats


async def test_a_report_to_300_subscribers_is_delivered_under_flood_control(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With Telegram refusing more than 30 messages a second, all 300 subscribers get the
    month's report, each exactly once, and no message is given up."""
    # PTB 22 warns that RetryAfter.retry_after becomes a timedelta; opt in, as the sender
    # already takes either form.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    api = FakeBotApi()
    clock = FixedClock(CUT_OFF_NEXT_DAY - timedelta(hours=1))
    api.flood_control(30, clock=lambda: clock.now().timestamp())
    settings = make_settings(tmp_path, {"leaders": [CHAIRMAN],
                                        "reports": {"subscriptions": SUBSCRIBERS}})
    async with telegram_bot(settings, clock, api) as bot:
        office = ReportingOffice(bot.app, clock)
        chats = await leaders(office, 300)
        await office.petitions([PetitionType.REPORT], [local(date(2026, 12, 1))])
        clock.set(CUT_OFF_NEXT_DAY)
        done = await bot.app.tick()
        passes = 0
        while await pending(bot):
            await bot.drain_outbox()
            clock.advance(timedelta(seconds=1))
            passes += 1
            assert passes < 100, "the outbox never emptied"
        await bot.app.tick()
        async with bot.app.database.transaction() as conn:
            failed = await outbox_store.all_messages(conn, "failed")
            sent = await outbox_store.all_messages(conn, "sent")
    assert done["reports.digests"] == 300
    received = Counter(m.chat_id for m in api.sent_to_all() if "Đã chốt số liệu" in m.text)
    assert sorted(received) == chats
    assert set(received.values()) == {1}
    assert api.flood_refusals > 0
    assert passes >= 300 // 30
    assert failed == []
    assert not [row for row in sent if row.kind == KIND_DELIVERY_ALERT]
    assert all(row.attempts == 1 for row in sent)


async def test_a_restart_between_queuing_and_sending_loses_nothing(tmp_path: Path) -> None:
    """Digests queued by one process and never sent are delivered by the next one, once;
    the next process does not queue them again."""
    settings = make_settings(tmp_path, {"leaders": [CHAIRMAN],
                                        "reports": {"subscriptions": SUBSCRIBERS}})
    clock = FixedClock(CUT_OFF_NEXT_DAY)
    first_api = FakeBotApi()
    async with telegram_bot(settings, clock, first_api) as bot:
        office = ReportingOffice(bot.app, clock)
        chats = await leaders(office, 5)
        await office.petitions([PetitionType.REPORT], [local(date(2026, 12, 1))])
        clock.set(CUT_OFF_NEXT_DAY)
        await bot.app.tick()
        queued = len([row for row in await pending(bot) if row.kind == "report.digest.monthly"])
    second_api = FakeBotApi()
    clock.set(CUT_OFF_NEXT_DAY + timedelta(minutes=3))
    async with telegram_bot(settings, clock, second_api) as bot:
        again = await bot.app.tick()
        await bot.drain_outbox()
        async with bot.app.database.transaction() as conn:
            recorded = await report_store.deliveries(conn)
    assert queued == 5
    assert first_api.sent_to_all() == []
    assert again["reports.digests"] == 0
    received = Counter(m.chat_id for m in second_api.sent_to_all()
                       if "Đã chốt số liệu" in m.text)
    assert sorted(received) == chats
    assert set(received.values()) == {1}
    assert [d.status for d in recorded] == ["sent"] * 5


async def test_a_message_that_fails_after_its_retries_is_told_to_the_admins(
        tmp_path: Path) -> None:
    """A message that keeps failing is tried again with growing waits, then given up; the
    admins are told which message failed and why; the alert itself is not re-alerted."""
    settings = make_settings(tmp_path, {"admins": ["telegram:901"]})
    clock = FixedClock(CUT_OFF_NEXT_DAY)
    async with telegram_bot(settings, clock) as bot:
        office = ReportingOffice(bot.app, clock)
        await office.person("901", Role.ADMIN)
        await office.person("555", Role.STAFF)
        async with office.acting(Actor.system()) as services:
            staff = await services.users.get("telegram", "555")
            assert staff is not None
            message_id = await services.outbox.send_to(
                staff, "petition.deadline_alert", lambda: _reply("Đơn sắp đến hạn"))
        waits = []
        for _attempt in range(MAX_ATTEMPTS):
            bot.api.fail_next["sendMessage"] = {"error_code": 500,
                                                "description": "Internal Server Error"}
            await bot.drain_outbox()
            async with bot.app.database.transaction() as conn:
                row = await outbox_store.get(conn, message_id or 0)
            assert row is not None
            waits.append(row.next_attempt_at - clock.now())
            clock.set(row.next_attempt_at)
        await bot.drain_outbox()
        admin_text = bot.last_text(901)
        async with bot.app.database.transaction() as conn:
            failed = await outbox_store.all_messages(conn, "failed")
    assert [row.id for row in failed] == [message_id]
    assert failed[0].attempts == MAX_ATTEMPTS
    assert waits[1] > waits[0] > timedelta(0)
    assert f"Một tin nhắn không gửi được sau {MAX_ATTEMPTS} lần thử." in admin_text
    assert f"{message_id} (petition.deadline_alert)" in admin_text
    assert "Internal Server Error" in admin_text
    assert bot.api.sent_to(555) == []


async def test_a_permanent_refusal_alerts_the_admins_at_once(tmp_path: Path) -> None:
    """A chat that blocked the bot fails at the first attempt, and the admins hear of it."""
    settings = make_settings(tmp_path, {"admins": ["telegram:901"]})
    clock = FixedClock(CUT_OFF_NEXT_DAY)
    async with telegram_bot(settings, clock) as bot:
        office = ReportingOffice(bot.app, clock)
        await office.person("901", Role.ADMIN)
        leader = await office.person("556", Role.LEADER)
        async with office.acting(Actor.system()) as services:
            await services.outbox.send_to(leader, "report.digest.monthly",
                                          lambda: _reply("Báo cáo tháng"))
        bot.api.fail_next["sendMessage"] = {"error_code": 403,
                                            "description": "Forbidden: bot was blocked by the user"}
        await bot.drain_outbox()
        await bot.drain_outbox()
        admin_text = bot.last_text(901)
    assert "report.digest.monthly" in admin_text
    assert "bot was blocked by the user" in admin_text


def _reply(text: str) -> Reply:
    return Reply(text=text)


async def test_flood_control_on_one_channel_holds_only_that_channel(tmp_path: Path) -> None:
    """When one channel asks to slow down, its messages wait without an attempt counted,
    and another channel's messages of the same pass still go."""
    clock = FixedClock(CUT_OFF_NEXT_DAY)
    app = await App.open(make_settings(tmp_path), clock)
    delivered: list[str] = []

    async def flooded(chat_id: str, reply: Reply) -> None:
        raise DeliveryError("flood control", retry_after=5)

    async def fine(chat_id: str, reply: Reply) -> None:
        delivered.append(chat_id)

    try:
        async with app.database.transaction() as conn:
            for number, channel in enumerate(["slow", "fast", "slow", "fast", "slow"]):
                await outbox_store.enqueue(conn, channel=channel, chat_id=str(number),
                                           user_id=None, kind="report.digest.monthly",
                                           payload={"text": "Báo cáo"}, now=clock.now())
        result = await OutboxDispatcher(app.database, clock, app.settings,
                                        {"slow": flooded, "fast": fine}).drain()
        async with app.database.transaction() as conn:
            waiting = await outbox_store.all_messages(conn, "pending")
    finally:
        await app.close()
    assert (result.sent, result.postponed, result.retried, result.failed) == (2, 3, 0, 0)
    assert delivered == ["1", "3"]
    assert [row.chat_id for row in waiting] == ["0", "2", "4"]
    assert {row.attempts for row in waiting} == {0}
    assert {row.next_attempt_at for row in waiting} == {clock.now() + timedelta(seconds=5)}
