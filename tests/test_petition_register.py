"""The petition register: export (chat and command line) and import of an earlier list."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from bot.domain.petitions import PetitionType, Source, Status
from bot.domain.users import Role
from bot.services import Actor
from bot.services.petition_register import COLUMNS
from bot.storage import petitions as petition_store
from tests.conftest import Tiepdan
from tests.desk_support import (
    ADMIN,
    AN,
    BINH,
    CITIZEN,
    SETTINGS,
    STAFF,
    audit,
    give_role,
    petition,
    submit,
    texts,
    vi_status,
)
from tests.harness import TelegramHarness, make_settings, telegram_bot

HEADERS = [
    "STT", "Mã đơn", "Ngày nhận đơn", "Nguồn đơn", "Điểm tiếp nhận", "Người gửi", "Địa chỉ",
    "Số CCCD", "Số điện thoại", "Loại đơn", "Lĩnh vực",
    "Cơ quan, người bị khiếu nại, tố cáo / nội dung kiến nghị", "Xã, phường", "Nội dung",
    "Đề nghị", "Số người đứng tên", "Đơn đông người", "Đã giải quyết trước đó",
    "Cơ quan đã giải quyết", "Vượt cấp", "Đủ điều kiện xử lý", "Lý do không đủ điều kiện",
    "Thẩm quyền", "Thuộc thẩm quyền Chủ tịch UBND tỉnh", "Tình trạng xử lý",
    "Cơ quan được hướng dẫn, chuyển đến", "Số văn bản", "Hạn xử lý", "Ngày kết thúc",
    "Kết quả, lý do", "Cán bộ xử lý", "Số vụ việc",
]


async def november(bot: TelegramHarness) -> tuple[str, str, str]:
    """File two petitions in November (a complaint, then a denunciation) and one in October."""
    complaint = (await submit(bot, CITIZEN, petition(identity=AN),
                              datetime(2026, 11, 3, 2, 0, tzinfo=UTC))).code
    denunciation = (await submit(bot, CITIZEN, petition(
        PetitionType.DENUNCIATION, respondent="Ông Nguyễn Văn B", identity=BINH),
        datetime(2026, 11, 20, 9, 0, tzinfo=UTC))).code
    october = (await submit(bot, CITIZEN, petition(respondent="Sở Y tế"),
                            datetime(2026, 10, 30, 3, 0, tzinfo=UTC))).code
    async with bot.app.database.transaction() as conn:
        services = bot.app.dialog.services_for(conn, Actor.system())
        await services.petitions.transition(complaint, Status.CLASSIFYING)
        await services.petitions.transition(complaint, Status.FORWARDED,
                                            agency="Sở Tài chính", document_no="88/BTCD")
    return complaint, denunciation, october


def sheet_rows(content: bytes) -> list[list[Any]]:
    """Return the rows of the first sheet of an .xlsx file."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def header_index(name: str) -> int:
    """Return the position of a header in the export."""
    return HEADERS.index(name)


async def test_the_export_has_the_columns_in_order_and_the_periods_petitions(
        tmp_path: Path) -> None:
    """/xuatdon 11/2026 sends an .xlsx whose headers are the documented columns in order and
    whose rows are the month's petitions in order of receipt; CCCD and phone numbers are
    masked and staff get a denouncer withheld."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        complaint, denunciation, october = await november(bot)
        sent = await bot.text(STAFF, "/xuatdon 11/2026")
        document = next(m.document for m in sent if m.document is not None)
        exports = await audit(bot, "petition.export")
    name, content = document
    rows = sheet_rows(content)
    assert name == "so-theo-doi-don_2026-11-01_2026-11-30.xlsx"
    assert rows[0] == HEADERS
    assert len(COLUMNS) == len(HEADERS)
    assert [row[1] for row in rows[1:]] == [complaint, denunciation]
    first, second = rows[1], rows[2]
    assert first[0] == 1
    assert first[header_index("Người gửi")] == "Nguyễn Văn An"
    assert first[header_index("Số CCCD")] == "0010******45"
    assert first[header_index("Số điện thoại")] == "0912***678"
    assert first[header_index("Ngày nhận đơn")] == datetime(2026, 11, 3)
    assert first[header_index("Tình trạng xử lý")] == vi_status(Status.FORWARDED)
    assert first[header_index("Cơ quan được hướng dẫn, chuyển đến")] == "Sở Tài chính"
    assert first[header_index("Số văn bản")] == "88/BTCD"
    assert second[header_index("Loại đơn")] == "Tố cáo"
    assert "giữ bí mật" in str(second[header_index("Người gửi")])
    assert second[header_index("Số CCCD")] is None
    assert "Trần Thị Bình" not in str(rows)
    assert october not in str(rows)
    assert exports[0].detail == {"rows": 2, "denouncers_shown": False}


async def test_an_admin_exports_a_denouncer_as_csv_and_it_is_audited(tmp_path: Path) -> None:
    """The admin (a role allowed to see denouncers) gets the denouncer's name in a CSV
    export, still masked, and the export is audited as showing denouncers."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        _complaint, denunciation, _october = await november(bot)
        await bot.text(ADMIN, "/xuatdon")
        await bot.press(ADMIN, "Năm nay")
        sent = await bot.press(ADMIN, "CSV")
        document = next(m.document for m in sent if m.document is not None)
        exports = await audit(bot, "petition.export")
    rows = list(csv.reader(io.StringIO(document[1].decode("utf-8-sig"))))
    by_code = {row[1]: row for row in rows[1:]}
    assert rows[0] == HEADERS
    assert len(rows) == 4
    assert by_code[denunciation][header_index("Người gửi")] == "Trần Thị Bình"
    assert by_code[denunciation][header_index("Số CCCD")] == "0791******45"
    assert by_code[denunciation][header_index("Ngày nhận đơn")] == "20/11/2026"
    assert exports[0].detail["denouncers_shown"] is True
    assert exports[0].actor_role == "admin"


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    """Write ``rows`` to an .xlsx file as someone's earlier list would be."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


IMPORT_HEADER = ["STT", "Ngày nhận đơn", "Loại đơn", "Người gửi", "Số CCCD", "Số điện thoại",
                 "Cơ quan, người bị khiếu nại, tố cáo / nội dung kiến nghị", "Nội dung",
                 "Tình trạng xử lý", "Lĩnh vực", "Ghi chú riêng"]


async def count_petitions(path: Path) -> int:
    """Return how many petitions the database at ``path`` holds."""
    settings = make_settings(path.parent, SETTINGS, TIEPDAN_DATABASE=str(path))
    async with telegram_bot(settings) as bot, bot.app.database.transaction() as conn:
        rows = list(await conn.execute_fetchall("SELECT COUNT(*) AS n FROM petitions"))
    return int(rows[0]["n"])


async def test_an_import_with_one_bad_row_reports_it_and_imports_nothing(
        tmp_path: Path, tiepdan: Tiepdan) -> None:
    """`tiepdan import petitions` checks every row first: one bad row is reported with its
    number and reason and nothing at all is stored; the corrected file then imports every
    row with the source «import», a new code, and the sender kept the usual way."""
    source = tmp_path / "don-2024.xlsx"
    good = [
        [1, date(2024, 3, 5), "Khiếu nại", "Nguyễn Văn An", "001085012345", "0912345678",
         "UBND xã Tân Thành", "Thu hồi đất không bồi thường", "Đã giải quyết", "Đất đai", "x"],
        [2, "12/04/2024", "Tố cáo", "Trần Thị Bình", "", "0987654321", "Ông Nguyễn Văn B",
         "Nhận tiền để làm giấy tờ", "Đang phân loại", "Tham nhũng", ""],
        [3, "20/05/2024", "Kiến nghị", "", "", "", "Đường vào thôn Nà Pàn",
         "Đề nghị làm đường", "", "", ""],
    ]
    bad = [list(row) for row in good]
    bad[1][1] = "31/02/2024"
    write_xlsx(source, [IMPORT_HEADER, *bad])
    refused = await asyncio.to_thread(tiepdan.run, "import", "petitions", str(source), stdin="")
    stored_after_refusal = await count_petitions(tiepdan.database)
    write_xlsx(source, [IMPORT_HEADER, *good])
    done = await asyncio.to_thread(tiepdan.run, "import", "petitions", str(source), stdin="")
    settings = make_settings(tmp_path, SETTINGS, TIEPDAN_DATABASE=str(tiepdan.database))
    async with telegram_bot(settings) as bot:
        async with bot.app.database.transaction() as conn:
            ids = [int(r["id"]) for r in await conn.execute_fetchall(
                "SELECT id FROM petitions ORDER BY received_at")]
            imported = await petition_store.get_many(conn, ids)
            denouncer = await petition_store.identity(conn, ids[1], protected=True)
        found = texts(await bot.text(ADMIN, "/timkiem 001085012345"))
    assert refused.returncode == 1
    assert "Dòng 3: thiếu ngày nhận đơn hoặc không đúng dạng ngày" in refused.stderr
    assert "Dòng 2" not in refused.stderr
    assert "Dòng 4" not in refused.stderr
    assert "Chưa nhập dòng nào" in refused.stderr
    assert "«Ghi chú riêng»" in refused.stderr  # an unknown column is said, and ignored
    assert stored_after_refusal == 0
    assert done.returncode == 0, done.stderr
    assert "3" in done.stdout
    assert [p.source for p in imported] == [Source.IMPORT] * 3
    assert [p.kind for p in imported] == [PetitionType.COMPLAINT, PetitionType.DENUNCIATION,
                                          PetitionType.RECOMMENDATION]
    assert imported[0].status is Status.RESOLVED
    assert imported[0].closed_at is not None
    assert imported[1].status is Status.CLASSIFYING
    assert imported[1].closed_at is None
    assert imported[2].anonymous
    assert imported[0].channel is None
    assert all(p.code.startswith("D-") for p in imported)
    assert denouncer is not None
    assert denouncer.full_name == "Trần Thị Bình"
    assert imported[0].code in found  # the CCCD was kept as its digest, and is searchable


async def test_the_command_line_exports_what_it_can_import_again(tmp_path: Path,
                                                                tiepdan: Tiepdan) -> None:
    """`tiepdan export petitions` writes the register; that file imports into another
    database, petition for petition (masked numbers are left out, not refused)."""
    settings = make_settings(tmp_path, SETTINGS, TIEPDAN_DATABASE=str(tiepdan.database))
    async with telegram_bot(settings) as bot:
        codes = await november(bot)
    output = tmp_path / "so.xlsx"
    exported = await asyncio.to_thread(
        tiepdan.run, "export", "petitions", "--from", "2026-10-01", "--to", "30/11/2026",
        "--output", str(output), stdin="")
    other = tmp_path / "other" / "tiepdan.db"
    imported = await asyncio.to_thread(tiepdan.run, "import", "petitions", str(output),
                                       stdin="", TIEPDAN_DATABASE=str(other))
    rows = sheet_rows(output.read_bytes())
    assert exported.returncode == 0, exported.stderr
    assert "3" in exported.stdout
    assert {row[1] for row in rows[1:]} == set(codes)
    assert imported.returncode == 0, imported.stderr
    assert await count_petitions(other) == 3


async def test_a_large_export_is_written_after_the_commit(
        tmp_path: Path, monkeypatch: Any) -> None:
    """The .xlsx is written once the turn's transaction has committed, so other people's
    turns do not wait for it; a file that cannot be written gets an apology, and the
    next request works."""
    from bot.services import petition_register

    written = petition_register._xlsx
    lock_held: list[bool] = []
    fail = [True]

    def watched(headers: Any, rows: Any) -> bytes:
        lock_held.append(bot.app.database._lock.locked())
        if fail[0]:
            fail[0] = False
            raise OSError("disk full")
        return written(headers, rows)

    monkeypatch.setattr(petition_register, "_xlsx", watched)
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        complaint, _denunciation, _october = await november(bot)
        failed = await bot.text(STAFF, "/xuatdon 11/2026")
        sent = await bot.text(STAFF, "/xuatdon 11/2026")
    assert lock_held == [False, False]
    assert not any(m.document for m in failed)
    assert "không tạo được tệp" in texts(failed)
    document = next(m.document for m in sent if m.document is not None)
    assert [row[1] for row in sheet_rows(document[1])[1:3]] == [complaint, _denunciation]


async def test_the_petition_export_reads_periods_as_the_register_does(tmp_path: Path) -> None:
    """/xuatdon takes two days without a year or a single day, read by the same parser as
    /sotiep and the command line; an unreadable period says how to write one and asks."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        complaint, denunciation, _october = await november(bot)
        days = await bot.text(STAFF, "/xuatdon 1/11 30/11 csv")
        one_day = await bot.text(STAFF, "/xuatdon 20/11")
        unread = await bot.text(STAFF, "/xuatdon tuần trước")
        await bot.text(STAFF, "3/11 - 3/11")
        typed = await bot.press(STAFF, "CSV")

    def document_of(sent: list[Any]) -> tuple[str, bytes]:
        found: tuple[str, bytes] = next(m.document for m in sent if m.document is not None)
        return found

    name, content = document_of(days)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert name == "so-theo-doi-don_2026-11-01_2026-11-30.csv"
    assert [row[1] for row in rows[1:]] == [complaint, denunciation]
    assert document_of(one_day)[0] == "so-theo-doi-don_2026-11-20_2026-11-20.xlsx"
    assert [row[1] for row in sheet_rows(document_of(one_day)[1])[1:]] == [denunciation]
    assert not any(m.document for m in unread)
    assert "Chưa đọc được khoảng thời gian này" in unread[0].text
    assert unread[-1].text.startswith("Xuất khoảng thời gian nào?")
    name, content = document_of(typed)
    assert name == "so-theo-doi-don_2026-11-03_2026-11-03.csv"
    assert [row[1] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))][1:] == [
        complaint]


async def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    """Text a citizen typed as «=HYPERLINK(…)», «@SUM(…)» or «+1-2» is exported as text:
    a string cell in the .xlsx, an apostrophe-quoted cell in the .csv; the .csv imports
    back as typed."""
    link = '=HYPERLINK("http://x.y","bam")'
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, STAFF, Role.STAFF)
        code = (await submit(bot, CITIZEN, petition(
            PetitionType.RECOMMENDATION, respondent=link, content="@SUM(1+1) đường hỏng",
            request="+1-2", identity=None), datetime(2026, 11, 5, 2, 0, tzinfo=UTC))).code
        as_xlsx = await bot.text(STAFF, "/xuatdon 11/2026")
        as_csv = await bot.text(STAFF, "/xuatdon 11/2026 csv")
    xlsx = next(m.document for m in as_xlsx if m.document is not None)[1]
    book = load_workbook(io.BytesIO(xlsx))
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert {link, "@SUM(1+1) đường hỏng", "+1-2"} <= values
    content = next(m.document for m in as_csv if m.document is not None)[1]
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    row = next(r for r in rows if code in r)
    assert "'" + link in row
    assert "'@SUM(1+1) đường hỏng" in row
    assert "'+1-2" in row
    async with telegram_bot(make_settings(tmp_path / "other", SETTINGS)) as other, \
            other.app.database.transaction() as conn:
        services = other.app.dialog.services_for(conn, Actor.system())
        await services.petition_register.import_file("don.csv", content)
        stored = await conn.execute_fetchall("SELECT respondent, request FROM petitions")
    assert [(r["respondent"], r["request"]) for r in stored] == [(link, "+1-2")]
