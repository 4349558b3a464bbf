"""Deadline alerts, raised by the scheduled job on a fixed clock: two working days before,
on the day and once overdue; to the assigned staff member, then to their head."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bot.domain.petitions import Petition, PetitionType, Status
from bot.domain.users import Role
from bot.services import Actor
from bot.storage import outbox as outbox_store
from tests.reporting_data import ReportingOffice, local, received_for_due
from tests.test_report_digests import THURSDAY, at, digest_bot, reports_settings, to

STAFF = 62
LEADER = 61
ADMIN = 65
OTHER_HEAD = 66
FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)


async def alert_rows(office: ReportingOffice) -> int:
    """Return how many deadline alerts were queued."""
    async with office.acting(Actor.system()) as services:
        rows = await outbox_store.all_messages(services.ctx.conn)
    return len([row for row in rows if row.kind == "petition.deadline_alert"])


async def file_due(office: ReportingOffice, *due: date) -> list[Petition]:
    """File recommendations due on the given days, handed in at the main site."""
    return [await office.handed_in(PetitionType.RECOMMENDATION, received_for_due(day))
            for day in due]


async def test_alerts_go_to_the_assignee_and_overdue_or_unassigned_ones_to_the_head(
        tmp_path: Path) -> None:
    """At 07:00 the assignee hears of their petitions due in two working days, today and
    overdue; the heads (leaders, admins) hear of the overdue one and of the unassigned one;
    nothing is said twice, nothing before 07:00."""
    async with digest_bot(tmp_path, reports_settings([]), local(THURSDAY, 6)) as (bot, office):
        await office.person(str(ADMIN), Role.ADMIN)  # heads: the leader and the admin
        soon, today, overdue, unassigned = await file_due(
            office, MONDAY, THURSDAY, date(2026, 11, 24), THURSDAY)
        for petition in (soon, today, overdue):
            await office.assign(petition, "telegram", str(STAFF))
        early = await at(bot, local(THURSDAY, 6, 59))
        sent = await at(bot, local(THURSDAY, 7))
        later = await at(bot, local(THURSDAY, 10))
        queued = await alert_rows(office)
    assert early == []
    [staff] = to(sent, STAFF)
    assert "Đơn cần chú ý thời hạn xử lý: 3" in staff
    assert staff.index("Quá hạn:") < staff.index("Đến hạn hôm nay:") < staff.index(
        "Sắp đến hạn:")
    for petition in (soon, today, overdue):
        assert petition.code in staff
    assert unassigned.code not in staff
    for head in (LEADER, ADMIN):
        [text] = to(sent, head)
        assert overdue.code in text
        assert unassigned.code in text
        assert soon.code not in text
        assert today.code not in text
        assert "Cán bộ được giao: telegram:62" in text
        assert "Đơn chưa được giao cho cán bộ nào." in text
    assert later == []
    assert queued == 3


async def test_each_stage_alerts_once_as_the_deadline_comes(tmp_path: Path) -> None:
    """A petition due on Monday alerts on Thursday (two working days before), not again on
    Friday, again on Monday (due today) and on Tuesday (overdue, to the head too)."""
    async with digest_bot(tmp_path, reports_settings([]), local(THURSDAY, 6)) as (bot, office):
        [petition] = await file_due(office, MONDAY)
        await office.assign(petition, "telegram", str(STAFF))
        thursday = await at(bot, local(THURSDAY, 8))
        friday = await at(bot, local(FRIDAY, 8))
        saturday = await at(bot, local(date(2026, 11, 28), 8))
        monday = await at(bot, local(MONDAY, 8))
        tuesday = await at(bot, local(date(2026, 12, 1), 8))
    [first] = to(thursday, STAFF)
    assert f"Đơn {petition.code} (kiến nghị) sắp đến hạn xử lý: Thứ Hai, 30/11/2026." in first
    assert friday == []
    assert saturday == []
    [on_the_day] = to(monday, STAFF)
    assert "đến hạn xử lý hôm nay, Thứ Hai, 30/11/2026" in on_the_day
    assert to(monday, LEADER) == []
    [late] = to(tuesday, STAFF)
    assert "đã quá hạn xử lý: hạn là Thứ Hai, 30/11/2026" in late
    [head] = to(tuesday, LEADER)
    assert "Cán bộ được giao: telegram:62" in head


async def test_a_petition_closed_in_time_raises_no_alert(tmp_path: Path) -> None:
    """A petition that reached a final status before its deadline is never alerted."""
    async with digest_bot(tmp_path, reports_settings([]), local(THURSDAY, 6)) as (bot, office):
        [petition] = await file_due(office, THURSDAY)
        await office.move(petition, Status.GUIDED, local(date(2026, 11, 25), 10))
        sent = await at(bot, local(THURSDAY, 8))
        overdue = await at(bot, local(FRIDAY, 8))
        queued = await alert_rows(office)
    assert queued == 0
    for head in (LEADER, STAFF):
        assert to(sent, head) == []
        assert to(overdue, head) == []


async def test_configured_heads_replace_the_leaders_and_admins(tmp_path: Path) -> None:
    """With ``[reports] heads`` set, only those people hear of overdue petitions."""
    data: dict[str, Any] = reports_settings([], heads=[f"telegram:{OTHER_HEAD}"])
    async with digest_bot(tmp_path, data, local(THURSDAY, 6)) as (bot, office):
        await office.person(str(OTHER_HEAD), Role.LEADER)
        [petition] = await file_due(office, date(2026, 11, 25))
        sent = await at(bot, local(THURSDAY, 7, 30))
    [text] = to(sent, OTHER_HEAD)
    assert petition.code in text
    assert to(sent, LEADER) == []


async def test_heads_of_another_site_are_not_told(tmp_path: Path) -> None:
    """A leader who works at another site does not hear of this site's overdue petition."""
    data = reports_settings([])
    data["sites"] = [{"id": "main", "name": "Trụ sở chính"}, {"id": "north", "name": "Phía Bắc"}]
    data["leaders"][0]["site"] = "main"
    async with digest_bot(tmp_path, data, local(THURSDAY, 6)) as (bot, office):
        async with office.acting(Actor("telegram", "1", Role.ADMIN)) as services:
            await services.staff.assign("telegram", str(LEADER), Role.LEADER, "north", "test")
        await file_due(office, date(2026, 11, 25))
        sent = await at(bot, local(THURSDAY, 7, 30))
        async with office.acting(Actor.system()) as services:
            main_heads = await services.reports.heads("main")
            north_heads = await services.reports.heads("north")
    assert to(sent, LEADER) == []
    assert main_heads == []
    assert [(h.channel, h.user_id) for h in north_heads] == [("telegram", str(LEADER))]


async def test_a_backlog_of_overdue_petitions_is_one_message_per_head(tmp_path: Path) -> None:
    """Thirty overdue petitions found at once make one message for the head: the first ten
    listed, the rest counted."""
    async with digest_bot(tmp_path, reports_settings([]), local(THURSDAY, 6)) as (bot, office):
        await file_due(office, *([date(2026, 11, 20)] * 30))
        sent = await at(bot, local(THURSDAY, 7))
        again = await at(bot, local(THURSDAY, 7, 1))
    [text] = to(sent, LEADER)
    assert "Đơn cần chú ý thời hạn xử lý: 30" in text
    assert text.count("hạn 20/11/2026") == 10
    assert "… và 20 đơn khác" in text
    assert to(again, LEADER) == []
