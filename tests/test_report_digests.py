"""Scheduled digests, driven by the jobs on a fixed clock: the morning brief, the weekly
digest, the month's and the period's reports the day after the cut-off; subscriptions in the
settings and in chat; an empty digest said once, or not sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.domain.clock import FixedClock
from bot.domain.digests import DigestDelivery
from bot.domain.petitions import PetitionType
from bot.domain.users import Role
from bot.services import Actor
from bot.storage import outbox as outbox_store
from bot.storage import reports as report_store
from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, make_settings, telegram_bot
from tests.reporting_data import CHAIRMAN, ReportingOffice, local, received_for_due

LEADER = 61
STAFF = 62
CITIZEN = 63
POLICE = 64
THURSDAY = date(2026, 11, 26)


def reports_settings(subscriptions: list[dict[str, Any]] | None = None,
                     **reports: Any) -> dict[str, Any]:
    """Return settings with the Chairman's reception day and ``[reports]`` as given."""
    data: dict[str, Any] = {"leaders": [CHAIRMAN]}
    section: dict[str, Any] = dict(reports)
    if subscriptions is not None:
        section["subscriptions"] = subscriptions
    data["reports"] = section
    return data


@asynccontextmanager
async def digest_bot(tmp_path: Path, data: dict[str, Any],
                     at: datetime) -> AsyncIterator[tuple[TelegramHarness, ReportingOffice]]:
    """Run the bot with a leader, a staff member, a citizen and the police liaison."""
    clock = FixedClock(at)
    async with telegram_bot(make_settings(tmp_path, data), clock) as bot:
        office = ReportingOffice(bot.app, clock)
        for user, role in ((LEADER, Role.LEADER), (STAFF, Role.STAFF), (CITIZEN, Role.CITIZEN),
                           (POLICE, Role.POLICE)):
            await office.person(str(user), role)
        clock.set(at)
        yield bot, office


async def at(bot: TelegramHarness, moment: datetime) -> list[SentMessage]:
    """Move the clock, run the scheduled jobs and deliver the outbox; return what was sent."""
    bot.clock.set(moment)
    before = {chat: len(messages) for chat, messages in bot.api.messages.items()}
    await bot.app.tick()
    await bot.drain_outbox()
    sent: list[SentMessage] = []
    for chat, messages in bot.api.messages.items():
        sent.extend(messages[before.get(chat, 0):])
    return sent


def to(messages: list[SentMessage], chat: int) -> list[str]:
    """Return the texts of the messages sent to ``chat``."""
    return [message.text for message in messages if message.chat_id == chat]


def reports(messages: list[SentMessage], chat: int) -> list[str]:
    """Return the month's and periods' reports sent to ``chat`` (not the deadline alerts)."""
    return [text for text in to(messages, chat) if text.startswith("📨")]


async def deliveries(office: ReportingOffice) -> list[DigestDelivery]:
    """Return every digest delivery recorded."""
    async with office.acting(Actor.system()) as services:
        return await report_store.deliveries(services.ctx.conn)


MORNING = [{"role": "leader", "kinds": ["morning"]}]


async def test_the_morning_brief_leads_with_what_is_due_then_what_is_new_then_the_queue(
        tmp_path: Path) -> None:
    """At 07:00 on a working day the brief lists overdue and due petitions, then new ones,
    then the day's queue and the mass delegation expected (no CCCD); not before, not twice."""
    async with digest_bot(tmp_path, reports_settings(MORNING), local(THURSDAY, 6)) as (
            bot, office):
        overdue, due = await office.petitions(
            [PetitionType.REPORT, PetitionType.RECOMMENDATION],
            [received_for_due(date(2026, 11, 24)), received_for_due(THURSDAY)])
        await office.petitions([PetitionType.COMPLAINT], [local(date(2026, 11, 25), 15)])
        await office.booking(local(THURSDAY, 9), 12, commune="Xã Hoàng Văn Thụ",
                             topic="Đề nghị bồi thường giải phóng mặt bằng")
        await office.booking(local(THURSDAY, 14), 1)
        early = await at(bot, local(THURSDAY, 6, 59))
        brief = await at(bot, local(THURSDAY, 7))
        again = await at(bot, local(THURSDAY, 7, 5))
    assert not [t for t in to(early, LEADER) if "Bản tin sáng" in t]
    [text] = [t for t in to(brief, LEADER) if "Bản tin sáng" in t]
    assert "Bản tin sáng Thứ Năm, 26/11/2026 · Toàn tỉnh" in text
    assert "Đơn quá hạn: 1" in text
    assert overdue.code in text
    assert "Đến hạn hôm nay: 1" in text
    assert due.code in text
    assert "Đơn mới: 1 (1 khiếu nại)" in text
    assert "Lịch tiếp hôm nay: 2 lượt đặt lịch, dự kiến 13 người" in text
    assert "Đoàn đông người dự kiến đến hôm nay: 1" in text
    assert "Xã Hoàng Văn Thụ" in text
    assert "bồi thường giải phóng mặt bằng" in text
    assert "0791" not in text
    assert "digest-" not in text
    assert text.index("quá hạn") < text.index("Đơn mới") < text.index("Lịch tiếp hôm nay")
    assert not [t for t in to(again, LEADER) if "Bản tin sáng" in t]
    assert not to(brief, STAFF)
    assert not to(brief, CITIZEN)


async def test_an_empty_brief_says_nothing_new_once_then_waits_for_news(tmp_path: Path) -> None:
    """With nothing to tell, the first brief says "nothing new" once; the next empty ones are
    not sent; news brings the brief back; every decision is recorded."""
    async with digest_bot(tmp_path, reports_settings(MORNING), local(THURSDAY, 6)) as (
            bot, office):
        thursday = await at(bot, local(THURSDAY, 7))
        friday = await at(bot, local(date(2026, 11, 27), 7))
        await office.petitions([PetitionType.REPORT], [local(date(2026, 11, 27), 10)])
        monday = await at(bot, local(date(2026, 11, 30), 7))
        recorded = await deliveries(office)
    assert to(thursday, LEADER) == ["Bản tin buổi sáng: không có gì mới. Tôi sẽ không gửi "
                                    "thêm thông báo như thế này cho đến khi có tin mới."]
    assert to(friday, LEADER) == []
    [brief] = to(monday, LEADER)
    assert "Đơn mới: 1 (1 phản ánh)" in brief
    assert [(d.period_key, d.status) for d in recorded] == [
        ("2026-11-26", "empty_said"), ("2026-11-27", "skipped_empty"), ("2026-11-30", "sent")]


async def test_an_empty_digest_is_not_sent_to_who_chose_to_skip_it(tmp_path: Path) -> None:
    """A subscriber who chose «skip» gets no message for an empty digest, ever."""
    subscriptions = [{"who": f"telegram:{LEADER}", "kinds": ["morning"], "when_empty": "skip"}]
    async with digest_bot(tmp_path, reports_settings(subscriptions), local(THURSDAY, 6)) as (
            bot, office):
        sent = await at(bot, local(THURSDAY, 7, 30))
        recorded = await deliveries(office)
    assert to(sent, LEADER) == []
    assert [(d.kind, d.status, d.outbox_id) for d in recorded] == [
        ("morning", "skipped_empty", None)]


async def test_no_morning_brief_on_a_day_off(tmp_path: Path) -> None:
    """On a Saturday the morning brief does not go out, even with news."""
    saturday = date(2026, 11, 28)
    async with digest_bot(tmp_path, reports_settings(MORNING), local(saturday, 6)) as (
            bot, office):
        await office.petitions([PetitionType.REPORT], [local(date(2026, 11, 27), 10)])
        sent = await at(bot, local(saturday, 9))
        recorded = await deliveries(office)
    assert to(sent, LEADER) == []
    assert recorded == []


async def test_the_weekly_digest_goes_on_its_day_with_the_week_and_the_week_ahead(
        tmp_path: Path) -> None:
    """On Monday at 07:30 the weekly digest tells the week's petitions, receptions and
    resolutions, what is due in the coming week and the leader's day ahead; once a week."""
    monday = date(2026, 11, 30)
    subscriptions = [{"role": "staff", "kinds": ["weekly"]}]
    async with digest_bot(tmp_path, reports_settings(subscriptions), local(monday, 6)) as (
            bot, office):
        await office.petitions([PetitionType.COMPLAINT, PetitionType.REPORT],
                               [local(date(2026, 11, 24)), local(date(2026, 11, 27))])
        await office.petitions([PetitionType.RECOMMENDATION], [received_for_due(
            date(2026, 12, 3))])
        await office.visit(date(2026, 11, 25), 3)
        await office.reception_day("chairman", date(2026, 12, 2))
        before = await at(bot, local(monday, 7, 29))
        digest = await at(bot, local(monday, 7, 30))
        tuesday = await at(bot, local(date(2026, 12, 1), 7, 30))
    assert to(before, STAFF) == []
    [text] = to(digest, STAFF)
    assert "Bản tin tuần 23/11/2026–29/11/2026" in text
    assert "Đến hạn trong 7 ngày tới: 2" in text  # the complaint too: 7 working days
    assert "Đơn mới: 2 (1 khiếu nại, 1 phản ánh)" in text
    assert "Đã tiếp tại trụ sở: 1 lượt, 3 người." in text
    assert "Thứ Tư, 02/12/2026: Chủ tịch UBND tỉnh tiếp công dân." in text
    assert to(tuesday, STAFF) == []
    assert to(digest, LEADER) == []


async def test_the_month_and_the_year_are_reported_the_day_after_the_cut_off(
        tmp_path: Path) -> None:
    """On 15/12 at 08:00 the month's report and the year's report go out (the year's, not the
    quarter's or the half year's closing the same day), with buttons for the file and the
    whole report; not on the 14th, not before 08:00."""
    subscriptions = [{"role": "leader", "kinds": ["monthly", "period"]}]
    async with digest_bot(tmp_path, reports_settings(subscriptions),
                          local(date(2026, 12, 14), 9)) as (bot, office):
        await office.petitions([PetitionType.COMPLAINT] * 3,
                               [local(date(2026, 11, 20)), local(date(2026, 12, 1)),
                                local(date(2026, 12, 14), 20)])
        await office.petitions([PetitionType.COMPLAINT], [local(date(2026, 12, 15), 7)])
        on_14th = await at(bot, local(date(2026, 12, 14), 9))
        early = await at(bot, local(date(2026, 12, 15), 7, 59))
        sent = await at(bot, local(date(2026, 12, 15), 8))
        again = await at(bot, local(date(2026, 12, 16), 8))
        year_message = [m for m in sent if m.chat_id == LEADER][-1]
        excel_data = next(b["callback_data"] for b in year_message.inline_buttons()
                          if "Tệp Excel" in b["text"])
        opened = await bot.press(LEADER, "Xem báo cáo")
        # The digest's own «Excel file» button, as pressed on the digest message.
        files = await bot.send(bot.api.callback_update(LEADER, year_message, excel_data))
    assert reports(on_14th, LEADER) == []
    assert reports(early, LEADER) == []
    month, year = reports(sent, LEADER)
    assert month.startswith("📨 Đã chốt số liệu tháng 12 năm 2026; xin gửi báo cáo.")
    assert "số liệu từ ngày 15/11/2026 đến ngày 14/12/2026" in month
    assert "tiếp nhận 3 đơn, tăng 3 đơn so với cùng kỳ" in month
    assert year.startswith("📨 Đã chốt số liệu năm 2026; xin gửi báo cáo.")
    assert "quý IV" not in "\n".join(to(sent, LEADER))
    assert reports(again, LEADER) == []
    [document] = [m.document for m in files if m.document is not None]
    assert document[0] == "bao-cao-2026-Y1.xlsx"
    assert any(m.photo is not None for m in opened)
    assert "Tình hình tiếp công dân, xử lý đơn năm 2026" in "\n".join(m.text for m in opened)


async def test_in_calendar_mode_the_month_is_reported_on_the_first(tmp_path: Path) -> None:
    """With calendar periods, November's report goes out on 1 December."""
    subscriptions = [{"role": "leader", "kinds": ["monthly"]}]
    async with digest_bot(tmp_path, reports_settings(subscriptions, mode="calendar"),
                          local(date(2026, 11, 30), 9)) as (bot, office):
        await office.petitions([PetitionType.REPORT], [local(date(2026, 11, 30), 10)])
        on_30th = await at(bot, local(date(2026, 11, 30), 9))
        sent = await at(bot, local(date(2026, 12, 1), 8))
    assert reports(on_30th, LEADER) == []
    [month] = reports(sent, LEADER)
    assert "tháng 11 năm 2026" in month
    assert "số liệu từ ngày 01/11/2026 đến ngày 30/11/2026" in month


async def test_officials_subscribe_and_unsubscribe_in_chat(tmp_path: Path) -> None:
    """Staff turn the morning brief on with /nhanbaocao and get it; turned off, it stops; a
    leader declines a configured subscription; a citizen and the police are refused."""
    async with digest_bot(tmp_path, reports_settings(MORNING), local(THURSDAY, 6)) as (
            bot, office):
        await office.petitions([PetitionType.REPORT], [local(date(2026, 11, 25), 10)])
        menu = await bot.text(STAFF, "/nhanbaocao")
        turned_on = await bot.press(STAFF, "➕ Bản tin buổi sáng")
        leader_menu = await bot.text(LEADER, "/nhanbaocao")
        await bot.press(LEADER, "Thôi nhận: Bản tin buổi sáng")
        thursday = await at(bot, local(THURSDAY, 7))
        await bot.text(STAFF, "/nhanbaocao")
        await bot.press(STAFF, "Thôi nhận: Bản tin buổi sáng")
        await office.petitions([PetitionType.REPORT], [local(THURSDAY, 10)])
        friday = await at(bot, local(date(2026, 11, 27), 7))
        citizen = await bot.text(CITIZEN, "/nhanbaocao")
        police = await bot.text(POLICE, "/nhanbaocao")
    assert "Bản tin buổi sáng (các ngày làm việc, lúc 07:00): chưa nhận" in menu[-1].text
    assert "Đã xong: Bản tin buổi sáng đã bật." in turned_on[0].text
    assert "đang nhận (theo cấu hình)" in leader_menu[-1].text
    assert len([t for t in to(thursday, STAFF) if "Bản tin sáng" in t]) == 1
    assert to(thursday, LEADER) == []
    assert to(friday, STAFF) == []
    assert "không có quyền dùng chức năng này" in citizen[0].text
    assert "không có quyền dùng chức năng này" in police[0].text


async def test_the_empty_digest_preference_is_changed_in_chat(tmp_path: Path) -> None:
    """A subscriber who switches to «send nothing» gets no "nothing new" message."""
    async with digest_bot(tmp_path, reports_settings([]), local(THURSDAY, 6)) as (bot, _office):
        await bot.text(STAFF, "/nhanbaocao")
        await bot.press(STAFF, "➕ Bản tin buổi sáng")
        changed = await bot.press(STAFF, "Không gửi gì khi không có gì mới")
        sent = await at(bot, local(THURSDAY, 7))
    assert "Khi không có gì mới, tôi không gửi gì." in changed[-1].text
    assert to(sent, STAFF) == []


async def test_the_police_get_the_morning_brief_only_when_configured(tmp_path: Path) -> None:
    """A role subscription in the settings may name the police liaison for the morning
    brief (the day's delegations); outbox rows record each delivery."""
    subscriptions = [{"role": "police", "kinds": ["morning"], "when_empty": "skip"}]
    async with digest_bot(tmp_path, reports_settings(subscriptions), local(THURSDAY, 6)) as (
            bot, office):
        await office.booking(local(THURSDAY, 9), 8, commune="Phường Tam Thanh")
        sent = await at(bot, local(THURSDAY, 7))
        async with office.acting(Actor.system()) as services:
            rows = await outbox_store.all_messages(services.ctx.conn)
    [brief] = [t for t in to(sent, POLICE) if "Bản tin sáng" in t]
    assert "Phường Tam Thanh" in brief
    assert [r.status for r in rows if r.kind == "report.digest.morning"] == ["sent"]
