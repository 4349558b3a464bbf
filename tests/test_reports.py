"""The officials' summary: figures from the records, the comparison with last year, /baocao
in Telegram and the terminal, the Excel tables and the chart, periods cut at the boundaries."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.booking import DayStatus
from bot.domain.clock import FixedClock
from bot.domain.periods import PeriodKind, PeriodMode, PeriodRule, ReportingPeriod
from bot.domain.petitions import Competence, PetitionType
from bot.domain.report import Report
from bot.domain.users import Role
from bot.services import Actor
from bot.storage import audit as audit_store
from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, make_settings, telegram_bot, terminal_bot
from tests.reporting_data import (
    CHAIRMAN,
    SECRETARY,
    ReportingOffice,
    build_reference_year,
    local,
)

LEADER = 42
STAFF = 43
CITIZEN = 44
POLICE = 45
AFTER_2025 = local(date(2026, 1, 10))  # after the year 2025 closed (15/12/2024–14/12/2025)
TWO_SITES = [{"id": "main", "name": "Trụ sở Tiếp công dân tỉnh"},
             {"id": "north", "name": "Điểm tiếp công dân phía Bắc"}]


def settings_data(**reports: Any) -> dict[str, Any]:
    """Return settings with the Chairman and the Party Secretary receiving citizens."""
    data: dict[str, Any] = {"leaders": [CHAIRMAN, SECRETARY]}
    if reports:
        data["reports"] = reports
    return data


@asynccontextmanager
async def office_bot(tmp_path: Path, data: dict[str, Any] | None = None,
                     at: Any = AFTER_2025) -> AsyncIterator[tuple[TelegramHarness,
                                                                  ReportingOffice]]:
    """Run the bot on Telegram with a leader, staff, a citizen and the police liaison."""
    clock = FixedClock(at)
    async with telegram_bot(make_settings(tmp_path, data or settings_data()), clock) as bot:
        office = ReportingOffice(bot.app, clock)
        for user, role in ((LEADER, Role.LEADER), (STAFF, Role.STAFF), (CITIZEN, Role.CITIZEN),
                           (POLICE, Role.POLICE)):
            await office.person(str(user), role)
        yield bot, office


def texts(messages: list[SentMessage]) -> str:
    """Return the texts of messages, joined."""
    return "\n".join(message.text for message in messages)


def numbered(sheet: Worksheet) -> dict[int, Any]:
    """Return a numbered form's data row as {column number: value}."""
    rows = list(sheet.iter_rows(values_only=True))
    for index, row in enumerate(rows):
        if row[1] == "(1)":
            return {int(str(label).strip("()")): value
                    for label, value in zip(row[1:], rows[index + 1][1:], strict=True)
                    if label}
    raise AssertionError(f"no numbered row in {sheet.title}")


def figures(sheet: Worksheet) -> dict[str, tuple[Any, ...]]:
    """Return the summary sheet as {figure name: (now, last year, change, %, words)}."""
    return {str(row[0]): tuple(row[1:]) for row in sheet.iter_rows(values_only=True)
            if row[0] is not None and row[1] is not None}


# -- the acceptance test --------------------------------------------------------------------------


async def test_the_reference_year_reads_right_in_the_text_and_in_the_excel_tables(
        tmp_path: Path) -> None:
    """A year built from records with the reference province's figures shows every figure,
    and "giảm 57 đơn so với cùng kỳ", in /baocao's Vietnamese text and in the Excel tables."""
    async with office_bot(tmp_path) as (bot, office):
        ref = await build_reference_year(office)
        office.clock.set(AFTER_2025)
        sent = await bot.text(LEADER, "/baocao năm 2025")
        files = await bot.press(LEADER, "Tệp Excel")
    text = texts(sent)
    chart = [m for m in sent if m.photo is not None]
    assert len(chart) == 1
    assert chart[0].photo is not None
    assert chart[0].photo[1].startswith(b"\x89PNG")
    assert "Tình hình tiếp công dân, xử lý đơn năm 2025" in text
    assert "số liệu từ ngày 15/12/2024 đến ngày 14/12/2025" in text
    assert "Ban đã tiếp 332 lượt (tăng 12 lượt so với cùng kỳ) với 534 người" in text
    assert "giảm 3 người so với cùng kỳ" in text
    assert "trong đó có 12 đoàn đông người (bằng cùng kỳ)" in text
    secretary = next(line for line in text.splitlines() if "Bí thư Tỉnh ủy" in line)
    assert "tiếp 4/12 kỳ theo kế hoạch" in secretary
    assert "4 lượt" in secretary
    assert "10 người" in secretary
    assert "4 vụ việc" in secretary
    chairman = next(line for line in text.splitlines() if "Chủ tịch UBND tỉnh:" in line)
    assert "5 lượt" in chairman
    assert "7 người" in chairman
    assert "tiếp nhận 700 đơn, giảm 57 đơn so với cùng kỳ" in text
    assert "201 đơn khiếu nại" in text
    assert "50 đơn tố cáo" in text
    assert "449 đơn kiến nghị, phản ánh" in text
    assert ("thuộc thẩm quyền giải quyết của Chủ tịch UBND tỉnh: 12 đơn khiếu nại, 1 đơn tố "
            "cáo, không có đơn kiến nghị, phản ánh") in text
    assert "hướng dẫn 6, chuyển đơn 4, đôn đốc 2" in text
    assert "Đơn nặc danh: 20 đơn" in text
    document = next(m.document for m in files if m.document is not None)
    book = openpyxl.load_workbook(io.BytesIO(document[1]))
    tcd = numbered(book["01-TCD"])
    assert (tcd[4], tcd[5], tcd[8], tcd[9]) == (ref.regular_visits, ref.regular_people,
                                                ref.delegations, 96)
    assert (tcd[6], tcd[7]) == (312, 20)
    assert tcd[12] == ref.secretary_days_held + 2
    assert (tcd[13], tcd[14]) == (ref.secretary_visits + ref.chairman_visits,
                                  ref.secretary_people + ref.chairman_people)
    assert tcd[1] == tcd[4] + tcd[13] + tcd[22]
    assert tcd[2] == tcd[5] + tcd[14] + tcd[23]
    xld = numbered(book["01-XLD"])
    assert (xld[1], xld[2], xld[3]) == (ref.petitions + 1, 1, ref.petitions)
    assert (xld[19], xld[20], xld[21]) == (ref.guided, ref.forwarded, ref.chased)
    assert xld[15] == 52
    assert xld[16] == 1
    assert xld[17] == 0
    classification = numbered(book["PL-TCD"])
    assert classification[1] == ref.at_reception
    summary = figures(book["Tổng hợp"])
    assert summary["Tổng số đơn tiếp nhận"][:4] == (700, 757, -57, "−7,5%")
    assert summary["Tổng số đơn tiếp nhận"][4] == "giảm 57 đơn so với cùng kỳ"
    assert summary["trong đó: đơn khiếu nại"][0] == ref.complaints
    assert summary["trong đó: đơn tố cáo"][0] == ref.denunciations
    assert summary["trong đó: đơn kiến nghị, phản ánh"][0] == 449
    assert summary["Thuộc thẩm quyền Chủ tịch UBND tỉnh: đơn khiếu nại"][0] == 12
    assert summary["Thuộc thẩm quyền Chủ tịch UBND tỉnh: đơn tố cáo"][0] == 1
    assert summary["Thuộc thẩm quyền Chủ tịch UBND tỉnh: đơn kiến nghị, phản ánh"][0] == 0
    assert summary["Tiếp thường xuyên: số lượt"][:3] == (332, 320, 12)
    assert summary["Tiếp thường xuyên: số người"][:3] == (534, 537, -3)
    assert summary["Đoàn đông người: số đoàn"][0] == 12
    assert summary["Bí thư Tỉnh ủy: số lượt"][0] == 4
    assert summary["Bí thư Tỉnh ủy: số người"][0] == 10
    assert summary["Bí thư Tỉnh ủy: số vụ việc"][0] == 4
    assert summary["Bí thư Tỉnh ủy: số kỳ tiếp đã thực hiện"][0] == 4
    assert summary["Bí thư Tỉnh ủy: số kỳ tiếp theo kế hoạch"][0] == 12
    months = list(book["Theo tháng"].iter_rows(values_only=True))[1:]
    assert sum(int(str(row[5])) for row in months) == 700
    assert sum(int(str(row[6])) for row in months) == 757


async def test_the_excel_forms_carry_their_numbered_columns_and_vietnamese_headings(
        tmp_path: Path) -> None:
    """Mẫu 01/TCD has 29 numbered columns and 01/XLD 22, under their Vietnamese headings."""
    async with office_bot(tmp_path) as (bot, _office):
        await bot.text(STAFF, "/baocao tháng 12 năm 2025")
        files = await bot.press(STAFF, "Tệp Excel")
    document = next(m.document for m in files if m.document is not None)
    assert document[0] == "bao-cao-2025-M12.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(document[1]))
    assert book.sheetnames == ["Tổng hợp", "01-TCD", "PL-TCD", "01-XLD", "Theo tháng"]
    tcd = book["01-TCD"]
    cells = [str(c) for row in tcd.iter_rows(values_only=True) for c in row if c is not None]
    assert "Mẫu số 01/TCD" in cells
    assert "TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN" in cells
    assert "Tổng số lượt tiếp (1)=(4)+(13)+(22)" in cells
    assert "Tiếp thường xuyên" in cells
    assert "Đoàn đông người: số đoàn" in cells
    assert sorted(numbered(tcd)) == list(range(1, 30))
    assert set(numbered(tcd).values()) == {0}
    xld = book["01-XLD"]
    xld_cells = [str(c) for row in xld.iter_rows(values_only=True) for c in row if c is not None]
    assert "Mẫu số 01/XLD" in xld_cells
    assert "Kỳ trước chuyển sang" in xld_cells
    assert sorted(numbered(xld)) == list(range(1, 23))


# -- periods cut at their boundaries, on real records ----------------------------------------------


async def test_the_15th_starts_a_new_month_and_15_december_a_new_year(tmp_path: Path) -> None:
    """A petition received at 23:59 on the 14th counts in that month and year; one received
    at 00:00 on the 15th counts in the next; visits likewise by their day."""
    async with office_bot(tmp_path) as (_bot, office):
        await office.petitions([PetitionType.COMPLAINT, PetitionType.REPORT],
                               [local(date(2025, 11, 14), 23, 59), local(date(2025, 11, 15), 0)])
        await office.petitions([PetitionType.DENUNCIATION, PetitionType.RECOMMENDATION],
                               [local(date(2025, 12, 14), 23, 59),
                                local(date(2025, 12, 15), 0, 0)])
        await office.visit(date(2025, 12, 14), 2)
        await office.visit(date(2025, 12, 15), 5)
        office.clock.set(AFTER_2025)
        async with office.acting(Actor("telegram", str(LEADER), Role.LEADER)) as services:
            reports = services.reports
            november = await reports.report(ReportingPeriod.of(PeriodKind.MONTH, 2025, 11), None)
            december = await reports.report(ReportingPeriod.of(PeriodKind.MONTH, 2025, 12), None)
            year_2025 = await reports.report(ReportingPeriod.of(PeriodKind.YEAR, 2025), None)
            year_2026 = await reports.report(ReportingPeriod.of(PeriodKind.YEAR, 2026), None)
    assert _kinds(november) == {PetitionType.COMPLAINT: 1}
    assert _kinds(december) == {PetitionType.REPORT: 1, PetitionType.DENUNCIATION: 1}
    assert _kinds(year_2025) == {PetitionType.COMPLAINT: 1, PetitionType.REPORT: 1,
                                 PetitionType.DENUNCIATION: 1}
    assert _kinds(year_2026) == {PetitionType.RECOMMENDATION: 1}
    assert (year_2025.current.regular.visits, year_2025.current.regular.people) == (1, 2)
    assert (year_2026.current.regular.visits, year_2026.current.regular.people) == (1, 5)
    assert (year_2026.current.start, year_2026.current.end) == (date(2025, 12, 15),
                                                                date(2026, 1, 10))
    assert [p.key for p in year_2026.current.period.months()][:2] == ["2026-M1", "2026-M2"]


def _kinds(report: Report) -> dict[PetitionType, int]:
    petitions = report.current.petitions
    return {kind: petitions.kind(kind).petitions for kind in PetitionType
            if petitions.kind(kind).petitions}


async def test_calendar_mode_counts_calendar_months_and_years(tmp_path: Path) -> None:
    """With plain calendar periods, 31/12 belongs to its year and 15/12 to December."""
    data = settings_data(mode="calendar", default_kind="year")
    async with office_bot(tmp_path, data) as (bot, office):
        await office.petitions([PetitionType.COMPLAINT, PetitionType.REPORT,
                                PetitionType.RECOMMENDATION],
                               [local(date(2025, 12, 15), 8), local(date(2025, 12, 31), 23, 59),
                                local(date(2026, 1, 1), 0)])
        office.clock.set(AFTER_2025)
        async with office.acting(Actor("telegram", str(LEADER), Role.LEADER)) as services:
            reports = services.reports
            rule = PeriodRule(mode=PeriodMode.CALENDAR)
            december = await reports.report(ReportingPeriod.of(PeriodKind.MONTH, 2025, 12, rule),
                                            None)
            default = reports.default_period()
        sent = await bot.text(LEADER, "/baocao")
    assert _kinds(december) == {PetitionType.COMPLAINT: 1, PetitionType.REPORT: 1}
    assert (december.current.start, december.current.end) == (date(2025, 12, 1),
                                                               date(2025, 12, 31))
    assert default.key == "2026-Y1"
    assert "số liệu từ ngày 01/01/2026 đến ngày 10/01/2026" in texts(sent)
    assert "Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày 10/01/2026" in texts(sent)
    assert "tiếp nhận 1 đơn, tăng 1 đơn so với cùng kỳ" in texts(sent)


async def test_a_period_in_progress_is_compared_with_the_same_days_last_year(
        tmp_path: Path) -> None:
    """Part of a period is set against the same days of last year, not its whole period."""
    async with office_bot(tmp_path, at=local(date(2025, 11, 20), 10)) as (bot, office):
        await office.petitions([PetitionType.REPORT] * 3,
                               [local(date(2024, 11, 16)), local(date(2024, 11, 20)),
                                local(date(2024, 11, 21))])
        await office.petitions([PetitionType.REPORT] * 2,
                               [local(date(2025, 11, 16)), local(date(2025, 11, 19))])
        office.clock.set(local(date(2025, 11, 20), 10))
        sent = await bot.text(LEADER, "/baocao")
    text = texts(sent)
    assert "tháng 12 năm 2025" in text
    assert "số liệu từ ngày 15/11/2025 đến ngày 20/11/2025" in text
    assert "(15/11/2024–20/11/2024)" in text
    assert "tiếp nhận 2 đơn, bằng cùng kỳ" in text


async def test_a_site_report_counts_only_that_sites_records(tmp_path: Path) -> None:
    """With two sites, each site's report counts its own receptions and petitions; the
    province counts them all; staff of a site see their site first."""
    data = settings_data()
    data["sites"] = TWO_SITES
    for leader in data["leaders"]:
        leader["site"] = "main"
    async with office_bot(tmp_path, data) as (bot, office):
        filed = await office.petitions([PetitionType.COMPLAINT, PetitionType.REPORT],
                                       [local(date(2025, 12, 1)), local(date(2025, 12, 2))])
        await office.classify(filed[0], site_id="main")
        await office.classify(filed[1], site_id="north")
        await office.visit(date(2025, 12, 3), 4, site="north")
        async with office.acting(Actor("telegram", "1", Role.ADMIN)) as services:
            await services.staff.assign("telegram", str(STAFF), Role.STAFF, "north", "test")
        office.clock.set(AFTER_2025)
        staff_view = await bot.text(STAFF, "/baocao tháng 12 năm 2025")
        await bot.press(STAFF, "Trụ sở khác")
        province = await bot.press(STAFF, "Toàn tỉnh")
        await bot.press(STAFF, "Trụ sở khác")
        main = await bot.press(STAFF, "Trụ sở Tiếp công dân tỉnh")
    assert "Điểm tiếp công dân phía Bắc" in texts(staff_view)
    assert "tiếp nhận 1 đơn" in texts(staff_view)
    assert "Ban đã tiếp 1 lượt" in texts(staff_view)
    assert "tiếp nhận 2 đơn" in texts(province)
    assert "Toàn tỉnh" in texts(province)
    assert "tiếp nhận 1 đơn" in texts(main)
    assert "Ban đã tiếp 0 lượt" in texts(main)


# -- /baocao: buttons, typed periods, roles ------------------------------------------------------


async def test_buttons_move_between_periods_and_kinds(tmp_path: Path) -> None:
    """«Kỳ trước», «Kỳ sau», another kind of period and a typed period each show that
    period; there is no next period after the current one."""
    async with office_bot(tmp_path, at=local(date(2026, 1, 10))) as (bot, _office):
        first = await bot.text(LEADER, "/baocao")
        assert "Kỳ sau ▶" not in bot.buttons(LEADER)
        previous = await bot.press(LEADER, "Kỳ trước")
        following = await bot.press(LEADER, "Kỳ sau")
        await bot.press(LEADER, "Loại kỳ khác")
        quarter = await bot.press(LEADER, "Quý")
        typed = await bot.text(LEADER, "6 tháng đầu năm 2025")
        future = await bot.text(LEADER, "năm 2027")
        nonsense = await bot.text(LEADER, "xin chào")
        closed = await bot.press(LEADER, "Đóng")
    assert "Tình hình tiếp công dân, xử lý đơn tháng 1 năm 2026" in texts(first)
    assert "tháng 12 năm 2025" in texts(previous)
    assert "tháng 1 năm 2026" in texts(following)
    assert "quý I năm 2026" in texts(quarter)
    assert "6 tháng đầu năm 2025" in texts(typed)
    assert "số liệu từ ngày 15/12/2024 đến ngày 14/06/2025" in texts(typed)
    assert "Năm 2027 chưa bắt đầu nên chưa có số liệu." in texts(future)
    assert "Tôi chưa đọc được kỳ báo cáo" in texts(nonsense)
    assert "Ông/bà cần hỗ trợ việc gì?" in texts(closed)


async def test_a_future_or_unreadable_period_on_the_command_shows_the_current_one(
        tmp_path: Path) -> None:
    """/baocao with a period not started, or not a period, says so and shows the current one."""
    async with office_bot(tmp_path) as (bot, _office):
        future = await bot.text(LEADER, "/baocao năm 2030")
        unreadable = await bot.text(LEADER, "/baocao hôm qua")
    assert "Năm 2030 chưa bắt đầu, nên xin gửi báo cáo tháng 1 năm 2026." in texts(future)
    assert "Tôi chưa hiểu «hôm qua» là kỳ nào" in texts(unreadable)
    assert "Tình hình tiếp công dân, xử lý đơn tháng 1 năm 2026" in texts(unreadable)


async def test_a_year_before_the_bot_is_shown_as_asked_and_said_to_be_empty(
        tmp_path: Path) -> None:
    """/baocao năm 1990 shows 1990 (not the current period) and says nothing was recorded."""
    async with office_bot(tmp_path) as (bot, _office):
        sent = await bot.text(LEADER, "/baocao nam 1990")
    text = texts(sent)
    assert "Tình hình tiếp công dân, xử lý đơn năm 1990" in text
    assert "năm 2026" not in text
    assert "Trong kỳ này và cùng kỳ năm trước chưa có số liệu nào được ghi nhận." in text


async def test_a_period_with_no_records_says_so_beside_its_zeros(tmp_path: Path) -> None:
    """A period with nothing recorded, compared with a last year that had records, keeps its
    figures and adds one line saying that nothing was recorded."""
    async with office_bot(tmp_path, at=local(date(2026, 11, 20))) as (bot, office):
        await office.visit(date(2025, 10, 20), 3)
        sent = await bot.text(LEADER, "/baocao tháng 11 năm 2026")
        last_year = await bot.text(LEADER, "/baocao tháng 11 năm 2025")
    text = texts(sent)
    assert "1. Tiếp công dân thường xuyên:" in text  # the figures stay
    assert "Trong tháng 11 năm 2026 không có số liệu nào được ghi nhận" in text
    assert "không có số liệu nào được ghi nhận" not in texts(last_year)


async def test_only_officials_get_reports_and_the_role_is_checked_on_every_press(
        tmp_path: Path) -> None:
    """A citizen or the police liaison is refused /baocao; a leader whose role is taken away
    is refused at the next press; each refusal is audited."""
    async with office_bot(tmp_path) as (bot, office):
        citizen = await bot.text(CITIZEN, "/baocao")
        police = await bot.text(POLICE, "/baocao năm 2025")
        await bot.text(LEADER, "/baocao")
        await office.person(str(LEADER), Role.CITIZEN)
        pressed = await bot.press(LEADER, "Tệp Excel")
        async with office.acting(Actor.system()) as services:
            denied = await audit_store.entries(services.ctx.conn, "access.denied", 20)
    refusal = "Xin lỗi, ông/bà không có quyền dùng chức năng này"
    assert refusal in texts(citizen)
    assert refusal in texts(police)
    assert refusal in texts(pressed)
    assert not any(m.document for m in pressed)
    assert {e.subject for e in denied} >= {"command:/baocao", "flow:reports"}


async def test_a_forged_digest_button_is_answered_politely(tmp_path: Path) -> None:
    """A made-up «Open the report» or «Excel» button argument gets a polite answer."""
    async with office_bot(tmp_path) as (bot, _office):
        await bot.text(LEADER, "/start")
        message = bot.api.last_to(LEADER)
        forged = await bot.send(bot.api.callback_update(LEADER, message, "g|rp_xlsx|2099-Y1|-"))
        other = await bot.send(bot.api.callback_update(LEADER, message, "g|rp_open|2025-Q9|7"))
    assert "Nút này thuộc một tin nhắn cũ" in texts(forged)
    assert "Nút này thuộc một tin nhắn cũ" in texts(other)
    assert not any(m.document for m in forged)


async def test_reports_work_in_the_terminal_with_files_saved(tmp_path: Path) -> None:
    """In the terminal an admin types /baocao, picks options by number and gets the files."""
    settings = make_settings(tmp_path, {**settings_data(), "admins": ["terminal:7"]})
    async with terminal_bot(settings, "7", FixedClock(AFTER_2025)) as term:
        shown = await term.type("/baocao năm 2025")
        excel = await term.type("4")
    assert "Tình hình tiếp công dân, xử lý đơn năm 2025" in shown
    assert re.search(r"\[đã lưu tệp photo: .*bieu-do-2025-Y1\.png\]", shown)
    assert "4. 📥 Tệp Excel" in shown
    assert "bao-cao-2025-Y1.xlsx" in excel
    saved = Path(str(settings.database_path) + ".files") / "bao-cao-2025-Y1.xlsx"
    assert openpyxl.load_workbook(saved)["01-TCD"]["A1"].value == "BAN TIẾP CÔNG DÂN TỈNH LẠNG SƠN"


async def test_a_petition_found_ineligible_counts_neither_within_nor_outside_competence(
        tmp_path: Path) -> None:
    """A petition classified as not meeting the conditions is filed away: the competence and
    the Chairman's jurisdiction its classification records are not counted."""
    async with office_bot(tmp_path) as (_bot, office):
        filed = await office.petitions([PetitionType.COMPLAINT] * 3,
                                       [local(date(2025, 6, day)) for day in (2, 3, 4)])
        classified = local(date(2025, 6, 5))
        await office.classify(filed[0], chairman_jurisdiction=True, at=classified)
        await office.classify(filed[1], eligible=False, chairman_jurisdiction=True,
                              at=classified)
        await office.classify(filed[2], eligible=False, competence=Competence.NOT_OURS,
                              at=classified)
        office.clock.set(AFTER_2025)
        async with office.acting(Actor("telegram", str(LEADER), Role.LEADER)) as services:
            report = await services.reports.report(ReportingPeriod.of(PeriodKind.YEAR, 2025),
                                                   None)
    complaints = report.current.petitions.kind(PetitionType.COMPLAINT)
    assert (complaints.petitions, complaints.eligible, complaints.ineligible) == (3, 1, 2)
    assert (complaints.ours, complaints.chairman, complaints.not_ours) == (1, 1, 0)


async def test_leaders_days_count_planned_and_held(tmp_path: Path) -> None:
    """A postponed day is not planned (its new date is); a cancelled one is planned, not held;
    a day with a leader's reception on it is held."""
    async with office_bot(tmp_path) as (_bot, office):
        moved = await office.postpone(await office.reception_day("chairman", date(2025, 11, 17)),
                                      date(2025, 11, 24))
        await office.reception_day("chairman", date(2025, 12, 1), DayStatus.CANCELLED)
        await office.visit(date(2025, 11, 24), 2, leader="chairman", reception_day=moved)
        office.clock.set(AFTER_2025)
        async with office.acting(Actor("telegram", str(LEADER), Role.LEADER)) as services:
            report = await services.reports.report(
                ReportingPeriod.of(PeriodKind.MONTH, 2025, 12), None)
    chairman = report.current.leader("chairman")
    assert chairman is not None
    assert (chairman.days_planned, chairman.days_held) == (2, 1)
    assert (chairman.figures.visits, chairman.figures.people) == (1, 2)
    assert report.current.leader("secretary") is not None


async def test_an_empty_period_says_so_plainly(tmp_path: Path) -> None:
    """A period with no record at all, nor last year, says nothing was recorded."""
    async with office_bot(tmp_path) as (bot, _office):
        sent = await bot.text(LEADER, "/baocao quý 2 năm 2025")
    assert "Trong kỳ này và cùng kỳ năm trước chưa có số liệu nào được ghi nhận." in texts(sent)


@pytest.mark.parametrize("language", ["en"])
async def test_the_summary_reads_in_english_too(tmp_path: Path, language: str) -> None:
    """An official who chose English reads the summary and the changes in English."""
    async with office_bot(tmp_path) as (bot, office):
        await office.petitions([PetitionType.COMPLAINT], [local(date(2025, 6, 1))])
        async with office.acting(Actor.system()) as services:
            user = await services.users.get("telegram", str(LEADER))
            assert user is not None
            await services.users.set_language(user, language)
        sent = await bot.text(LEADER, "/baocao năm 2025")
    text = texts(sent)
    assert "Citizen reception and petition handling: year 2025" in text
    assert "1 petition, up 1 petition on the same period last year" in text
    assert "1 complaint (up 1)" in text


def test_a_month_key_names_its_period() -> None:
    """A period key read back gives the same period; a forged key gives none."""
    period = ReportingPeriod.of(PeriodKind.QUARTER, 2025, 4)
    assert ReportingPeriod.from_key(period.key) == period
    assert ReportingPeriod.from_key("2025-Q5") is None
    assert ReportingPeriod.from_key("nonsense") is None
    assert ReportingPeriod.latest(PeriodKind.NINE_MONTHS, date(2025, 11, 20)).key == "2025-N1"
    assert ReportingPeriod.latest(PeriodKind.MONTH, date(2025, 11, 20)).key == "2025-M12"
    assert ReportingPeriod.of(PeriodKind.YEAR, 2025).months()[-1].end == date(2025, 12, 14)


async def test_last_year_and_last_month_typed_on_the_command(tmp_path: Path) -> None:
    """«/baocao năm ngoái» and «/baocao tháng trước» open those periods, not the current one."""
    async with office_bot(tmp_path) as (bot, _office):
        last_year = await bot.text(LEADER, "/baocao nam ngoai")
        last_month = await bot.text(LEADER, "/baocao tháng trước")
    assert "năm 2025" in texts(last_year)
    assert "chưa hiểu" not in texts(last_year)
    assert "tháng 12 năm 2025" in texts(last_month)
