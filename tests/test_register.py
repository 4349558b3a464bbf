"""The day's queue, the reception register (booked, walk-in, leader's day, refusal), its export
and import, and the refusals of citizens, through the Telegram fake and the command line."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl

from bot.domain.booking import BookingStatus, DayStatus
from bot.domain.register import COLUMNS, Visit
from bot.domain.users import Role
from bot.services import Actor
from bot.services.register_files import FileFormat
from bot.storage import audit as audit_store
from bot.storage import bookings as booking_store
from bot.storage import conversations as conversation_store
from bot.storage import petitions as petition_store
from bot.storage import register as register_store
from bot.storage.audit import AuditEntry
from tests.booking_support import (
    ADDRESS,
    CCCD,
    NAME,
    TOPIC,
    agree,
    book_regular,
    booking_settings,
    bookings_of,
    set_role,
)
from tests.conftest import Tiepdan
from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, make_settings, telegram_bot

CITIZEN = 6101
STAFF = 6102
OTHER_CITIZEN = 6103
TODAY = date(2026, 11, 26)  # DEFAULT_NOW, 08:00 in Vietnam
HEADERS = [column.header for column in COLUMNS]


async def staff_member(bot: TelegramHarness, user: int = STAFF) -> None:
    """Make ``user`` reception staff (as an admin would)."""
    await bot.text(user, "/start")
    await set_role(bot.app, user, Role.STAFF)


async def visits(bot: TelegramHarness) -> list[Visit]:
    """Return every register row of the test year, in order."""
    async with bot.app.database.transaction() as conn:
        return await register_store.visits_between(conn, date(2026, 1, 1), date(2026, 12, 31),
                                                   None)


async def audit(bot: TelegramHarness, action: str) -> list[AuditEntry]:
    """Return the audit entries of one action, newest first."""
    async with bot.app.database.transaction() as conn:
        return await audit_store.entries(conn, action)


async def booked_today(bot: TelegramHarness, user: int = CITIZEN, time: str = "09:00") -> str:
    """Book regular reception today at ``time`` for a citizen; return the code."""
    await agree(bot, user)
    await book_regular(bot, user, day="26/11", time=time)
    return (await bookings_of(bot.app, "telegram", str(user)))[-1].code


def texts(sent: list[SentMessage]) -> str:
    """Return the texts of the messages sent, joined."""
    return "\n".join(message.text for message in sent)


async def test_queue_check_in_to_done_writes_the_register_row(tmp_path: Path) -> None:
    """A booking goes arrived → being received → done in three taps; «done» opens the entry
    pre-filled from the booking, asks only what is missing, records a petition handed in, and
    writes a register row with every column; the booking is done and the queue says so."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        code = await booked_today(bot)
        await staff_member(bot)
        bot.clock.advance(timedelta(hours=1, minutes=5))
        queue = texts(await bot.text(STAFF, "/hangdoi"))
        assert code in queue
        assert NAME in queue
        assert "09:00" in queue
        assert "đã đặt lịch" in queue
        assert "Hàng đợi" in queue
        assert "1 người" in queue
        moved = texts(await bot.press(STAFF, "✅ Đã đến"))
        assert f"{NAME} ({code}): đã đến." in moved
        await bot.press(STAFF, "▶ Bắt đầu tiếp")
        asked = texts(await bot.press(STAFF, "📝 Xong: ghi sổ"))
        assert "thuộc loại nào" in asked
        assert NAME in asked
        await bot.press(STAFF, "Khiếu nại")
        await bot.text(STAFF, "UBND xã Hoàng Văn Thụ")
        await bot.press(STAFF, "Có, thuộc thẩm quyền")
        await bot.press(STAFF, "🧭 Hướng dẫn công dân")
        await bot.text(STAFF, "Tòa án nhân dân tỉnh")
        await bot.text(STAFF, "15/HD-BTCD")
        await bot.text(STAFF, "Công dân mang theo 3 tài liệu")
        await bot.press(STAFF, "📝 Có: ghi nhận đơn ngay")
        review = bot.last_text(STAFF)
        assert "Vui lòng kiểm tra nội dung ghi sổ" in review
        assert "0791******89" in review
        assert CCCD not in review
        saved = texts(await bot.press(STAFF, "✅ Lưu vào sổ"))
        assert "Đã ghi sổ tiếp công dân: số 1 năm 2026" in saved
        assert "Đã ghi nhận đơn" in saved
        assert "sổ số 1" in saved
        assert "đã tiếp xong" in saved

        [visit] = await visits(bot)
        entry = visit.entry
        assert (visit.serial, entry.received_on, entry.site_id) == (1, TODAY, "main")
        assert entry.identity.full_name == NAME
        assert entry.identity.address == ADDRESS
        assert entry.identity.cccd_masked == "0791******89"
        assert entry.identity.cccd_digest
        assert entry.summary == TOPIC
        assert entry.people == 1
        assert entry.petition_type is not None
        assert entry.petition_type.value == "complaint"
        assert entry.prior_body == "UBND xã Hoàng Văn Thụ"
        assert entry.within_competence is True
        assert (entry.guidance, entry.guidance_doc_no) == ("Tòa án nhân dân tỉnh", "15/HD-BTCD")
        assert entry.handled_by is None
        assert entry.forward_doc_no is None
        assert entry.notes == "Công dân mang theo 3 tài liệu"
        assert entry.result_followup is None
        assert entry.mode.value == "regular"
        assert entry.leader_title is None
        assert (visit.visit_number, visit.is_mass_delegation, entry.police_coordination) == (
            1, False, False)
        assert not entry.refused
        assert visit.source == "chat"
        assert visit.petition_code is not None
        assert visit.petition_code in saved
        booking = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[-1]
        assert booking.status is BookingStatus.DONE
        assert entry.booking_id == booking.id
        async with bot.app.database.transaction() as conn:
            petition = await petition_store.get_by_code(conn, visit.petition_code)
            rows = list(await conn.execute_fetchall(
                "SELECT source, site_id, channel FROM petitions WHERE code = ?",
                (visit.petition_code,)))
        assert petition is not None
        assert petition.due is not None
        assert petition.due.rule_key == "complaint.accept"
        assert (rows[0]["source"], rows[0]["site_id"], rows[0]["channel"]) == ("visit", "main",
                                                                               None)
        assert (await audit(bot, "register.visit"))[0].subject == f"visit:{visit.id}"


async def test_a_walk_in_with_no_cccd_is_a_mass_delegation_with_the_police(
        tmp_path: Path) -> None:
    """A citizen without an appointment (and without a CCCD) is recorded from the queue's
    button: six people make a mass delegation, the police question is asked, and a second
    visit with the same phone is offered as the same matter and counted as visit no. 2."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await staff_member(bot)
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "➕ Tiếp công dân không hẹn trước")
        await bot.text(STAFF, "trần thị bình")
        await bot.text(STAFF, "Thôn Pò Mỏ, xã Tân Thanh")
        await bot.text(STAFF, "0987654321")
        await bot.press(STAFF, "Không có CCCD")
        await bot.text(STAFF, "6")
        await bot.text(STAFF, "Đề nghị bồi thường khi thu hồi đất làm đường")
        await bot.press(STAFF, "Kiến nghị")
        await bot.press(STAFF, "⏭ Chưa có")
        await bot.press(STAFF, "⏭ Chưa xác định")
        await bot.press(STAFF, "📥 Tiếp nhận để thụ lý")
        await bot.text(STAFF, "Sở Tài nguyên và Môi trường")
        await bot.press(STAFF, "⏭ Bỏ qua")
        await bot.press(STAFF, "⏭ Không có ghi chú")
        police = bot.last_text(STAFF)
        assert "6 người cùng đến: đoàn đông người" in police
        await bot.press(STAFF, "Có, có phối hợp công an")
        await bot.press(STAFF, "➖ Không có đơn")
        review = bot.last_text(STAFF)
        assert "Chưa cung cấp số định danh" in review
        assert "0987***321" in review
        assert "🚨 Đoàn đông người" in review
        assert "Đã ghi sổ tiếp công dân: số 1" in texts(await bot.press(STAFF, "✅ Lưu vào sổ"))

        await bot.press(STAFF, "➕ Tiếp công dân không hẹn trước")
        for answer in ("Trần Thị Bình", "Thôn Pò Mỏ, xã Tân Thanh", "0987 654 321"):
            await bot.text(STAFF, answer)
        await bot.press(STAFF, "Không có CCCD")
        await bot.press(STAFF, "Một người")
        await bot.text(STAFF, "Hỏi lại kết quả bồi thường")
        for label in ("Kiến nghị", "⏭ Chưa có", "⏭ Chưa xác định", "⏭ Chưa",
                      "⏭ Không có ghi chú"):
            await bot.press(STAFF, label)
        asked = bot.last_text(STAFF)
        assert "đã từng đến" in asked
        assert any("Đề nghị bồi thường" in label for label in bot.buttons(STAFF))
        await bot.press(STAFF, "🔁 Cùng vụ việc")
        await bot.press(STAFF, "➖ Không có đơn")
        saved = texts(await bot.press(STAFF, "✅ Lưu vào sổ"))
        assert "số 2" in saved
        assert "Lần tiếp thứ 2" in saved

        first, second = await visits(bot)
        assert first.entry.identity.full_name == "Trần Thị Bình"
        assert first.entry.identity.cccd_digest is None
        assert first.entry.people == 6
        assert first.is_mass_delegation
        assert first.entry.police_coordination
        assert first.entry.handled_by == "Sở Tài nguyên và Môi trường"
        assert first.entry.booking_id is None
        assert first.entry.petition_id is None
        assert second.visit_number == 2
        assert second.case_id == first.case_id is not None
        assert not second.is_mass_delegation


async def test_a_visit_on_a_leaders_day_marks_the_day_held(tmp_path: Path) -> None:
    """On a day a leader receives at the site, a walk-in received by the leader is recorded
    in leader mode with the leader's title, and the first such entry marks the day held."""
    leaders = [{"id": "chairman", "title": "Chủ tịch UBND tỉnh", "day_of_month": 26,
                "registration_closes_working_days_before": 0, "site": "main",
                "capacity": 20, "sessions": ["07:30-11:30"], "months_ahead": 1}]
    async with telegram_bot(booking_settings(tmp_path, leaders=leaders)) as bot:
        await staff_member(bot)
        async with bot.app.database.transaction() as conn:
            await bot.app.dialog.services_for(conn).bookings.keep_schedule()
            [day] = await booking_store.days_on(conn, TODAY)
        await bot.text(STAFF, "/hangdoi hôm nay")
        await bot.press(STAFF, "➕ Tiếp công dân không hẹn trước")
        await bot.text(STAFF, "Lê Văn Cường")
        await bot.press(STAFF, "⏭ Bỏ qua")
        await bot.press(STAFF, "⏭ Bỏ qua")
        await bot.text(STAFF, "079123456789")
        await bot.press(STAFF, "Một người")
        await bot.text(STAFF, "Phản ánh ô nhiễm từ nhà máy")
        await bot.press(STAFF, "👤 Chủ tịch UBND tỉnh trực tiếp tiếp")
        for label in ("Phản ánh", "⏭ Chưa có", "Có, thuộc thẩm quyền", "⏭ Chưa",
                      "⏭ Không có ghi chú", "➖ Không có đơn"):
            await bot.press(STAFF, label)
        assert "Người tiếp: Chủ tịch UBND tỉnh" in bot.last_text(STAFF)
        saved = texts(await bot.press(STAFF, "✅ Lưu vào sổ"))
        assert "đã được ghi là đã tổ chức" in saved
        [visit] = await visits(bot)
        assert visit.entry.mode.value == "leader"
        assert visit.entry.leader_id == "chairman"
        assert visit.entry.leader_title == "Chủ tịch UBND tỉnh"
        assert visit.entry.reception_day_id == day.id
        async with bot.app.database.transaction() as conn:
            held = await booking_store.get_day(conn, day.id)
        assert held is not None
        assert held.status is DayStatus.HELD


async def test_a_refusal_of_reception_is_a_register_row_with_its_ground(tmp_path: Path) -> None:
    """Staff refuse a booked citizen on the ground «already resolved» (Luật TCD Đ.9(3)): the
    bot asks the notice's number, writes a register row marked refused, closes the booking
    and audits the refusal; the grounds of NĐ 154/2026 are offered too (in force today)."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        code = await booked_today(bot)
        await staff_member(bot)
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "⋯ 1")
        asked = texts(await bot.press(STAFF, "⛔ Từ chối tiếp"))
        assert "Trợ lý không bao giờ tự từ chối" in asked
        assert "Luật Tiếp công dân 2013, Đ.9(3)" in asked
        assert "NĐ 154/2026" in asked
        assert "chưa đối chiếu công báo" in asked  # the office's remark, for staff only
        await bot.press(STAFF, "3. ")
        await bot.text(STAFF, "Đã được giải thích nhiều lần")
        assert "Mẫu 01/TCD" in bot.last_text(STAFF)
        await bot.text(STAFF, "12/TB-BTCD")
        review = bot.last_text(STAFF)
        assert "kiểm tra việc từ chối tiếp" in review
        assert "12/TB-BTCD" in review
        saved = texts(await bot.press(STAFF, "✅ Lưu vào sổ"))
        assert "Đã ghi việc từ chối tiếp vào sổ: số 1" in saved
        [visit] = await visits(bot)
        assert visit.entry.refused
        assert visit.entry.refusal_ground == "already_resolved"
        assert visit.entry.refusal_doc_no == "12/TB-BTCD"
        assert visit.entry.notes == "Đã được giải thích nhiều lần"
        assert (await bookings_of(bot.app, "telegram", str(CITIZEN)))[-1].status \
            is BookingStatus.DONE
        [entry] = await audit(bot, "register.refusal")
        assert entry.detail["ground"] == "already_resolved"
        assert entry.detail["booking"] == code
        queue = texts(await bot.text(STAFF, "/hangdoi"))
        # The queue tells a refusal apart from a reception done.
        assert "⛔ đã từ chối tiếp" in queue
        assert "từ chối tiếp: 1" in queue
        assert "đã tiếp xong" not in queue


async def test_no_show_is_marked_from_the_queue_and_counted(tmp_path: Path) -> None:
    """A no-show can be marked only once the appointment has begun; it updates the booking,
    and the citizen's next appointment (one a day: the next day's) shows «1 lần không đến»
    on its queue."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await booked_today(bot, time="09:00")
        await book_regular(bot, CITIZEN, day="27/11", time="10:00")
        await staff_member(bot)
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "⋯ 1")
        early = texts(await bot.press(STAFF, "🚫 Không đến"))
        assert "bắt đầu lúc 09:00" in early
        bot.clock.advance(timedelta(hours=1, minutes=40))
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "⋯ 1")
        queue = texts(await bot.press(STAFF, "🚫 Không đến"))
        assert "không đến." in queue
        next_day = texts(await bot.text(STAFF, "/hangdoi 27/11"))
        assert "1 lần không đến" in next_day
        statuses = [b.status for b in await bookings_of(bot.app, "telegram", str(CITIZEN))]
        assert statuses == [BookingStatus.NO_SHOW, BookingStatus.BOOKED]


async def test_a_stale_queue_button_changes_nothing(tmp_path: Path) -> None:
    """Pressing «arrived» on an older queue message after the booking moved on is answered
    politely with the queue as it is, and does not move the booking back."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await booked_today(bot)
        await staff_member(bot)
        await bot.text(STAFF, "/hangdoi")
        old = next(m for m in reversed(bot.api.sent_to(STAFF)) if m.inline_buttons())
        data = next(b["callback_data"] for b in old.inline_buttons()
                    if "Đã đến" in b["text"])
        await bot.press(STAFF, "✅ Đã đến")
        await bot.press(STAFF, "▶ Bắt đầu tiếp")
        again = texts(await bot.send(bot.api.callback_update(STAFF, old, data)))
        assert "đã ở trạng thái «đang tiếp»" in again or "có thể cán bộ khác" in again
        assert (await bookings_of(bot.app, "telegram", str(CITIZEN)))[-1].status \
            is BookingStatus.BEING_RECEIVED


async def test_a_citizen_is_refused_the_queue_and_forged_queue_buttons(tmp_path: Path) -> None:
    """A citizen who types /hangdoi or /sotiep, or forges the data of a queue button, is
    refused politely, nothing changes, and each attempt is in the audit log."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await booked_today(bot)
        refusal = "không có quyền dùng chức năng này"
        assert refusal in texts(await bot.text(OTHER_CITIZEN, "/hangdoi"))
        assert refusal in texts(await bot.text(OTHER_CITIZEN, "/sotiep"))
        booking = (await bookings_of(bot.app, "telegram", str(CITIZEN)))[-1]
        target = bot.api.sent_to(OTHER_CITIZEN)[-1]
        for data in (f"g|q_move|arrive:{booking.id}:0", f"g|q_card|{booking.id}:0",
                     "g|q_walkin|2026-11-26:main"):
            sent = await bot.send(bot.api.callback_update(OTHER_CITIZEN, target, data))
            assert refusal in texts(sent)
        denied = {entry.subject for entry in await audit(bot, "access.denied")}
        assert {"command:/hangdoi", "command:/sotiep", "action:q_move", "action:q_card",
                "action:q_walkin"} <= denied
        assert (await bookings_of(bot.app, "telegram", str(CITIZEN)))[-1].status \
            is BookingStatus.BOOKED
        assert await visits(bot) == []


async def _two_rows(bot: TelegramHarness) -> None:
    """Record a booked reception and a walk-in refusal through the chat."""
    await booked_today(bot)
    await staff_member(bot)
    await bot.text(STAFF, "/hangdoi")
    await bot.press(STAFF, "⋯ 1")
    await bot.press(STAFF, "📝 Xong")  # straight from booked to the entry, from the card
    for label in ("Tố cáo", "⏭ Chưa có", "Có, thuộc thẩm quyền", "⏭ Chưa",
                  "⏭ Không có ghi chú", "➖ Không có đơn", "✅ Lưu vào sổ"):
        await bot.press(STAFF, label)
    await bot.press(STAFF, "⛔ Từ chối tiếp (không hẹn trước)")
    await bot.text(STAFF, "Phạm Văn Dũng")
    for label in ("⏭ Bỏ qua", "⏭ Bỏ qua", "Không có CCCD", "Một người"):
        await bot.press(STAFF, label)
    await bot.text(STAFF, "=HYPERLINK(\"http://x\") la hét tại phòng tiếp")
    await bot.press(STAFF, "2. ")
    await bot.press(STAFF, "⏭ Bỏ qua")
    await bot.press(STAFF, "✅ Lưu vào sổ")


async def test_the_register_exports_to_xlsx_and_csv_in_the_forms_column_order(
        tmp_path: Path) -> None:
    """/sotiep sends the register as an .xlsx document whose header row is the 13 columns of
    Mẫu 03/TCD in order, then the extra columns, with one row per entry (CCCD masked, typed
    text kept as text); the CSV has the same columns and a BOM, and an admin's export with
    CCCD in full is audited."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await _two_rows(bot)
        sent = await bot.text(STAFF, "/sotiep")
        document = next(m for m in sent if m.document is not None)
        assert document.document is not None
        name, content = document.document
        assert name == "so-tiep-cong-dan_2026-11-01_2026-11-26.xlsx"
        assert "2 dòng" in document.text
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        rows: list[list[Any]] = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert rows[0] == HEADERS
        assert HEADERS[:13] == ["STT", "Ngày tiếp", "Họ tên, địa chỉ", "CCCD/CMND/Hộ chiếu",
                                "Nội dung đơn / tóm tắt vụ việc", "Loại đơn",
                                "Số người cùng nội dung", "Cơ quan đã giải quyết",
                                "Thuộc thẩm quyền",
                                "Hướng dẫn công dân đến cơ quan có thẩm quyền",
                                "Cơ quan, đơn vị thụ lý", "Theo dõi kết quả giải quyết",
                                "Ghi chú"]
        first, second = rows[1], rows[2]
        assert first[:9] == [1, datetime(2026, 11, 26), f"{NAME}, {ADDRESS}", "0791******89",
                             TOPIC, "Tố cáo", 1, None, "x"]
        assert sheet.cell(2, 2).number_format == "DD/MM/YYYY"  # a date cell, shown dd/mm/yyyy
        assert first[13:18] == ["Thường xuyên", None, 1, None, None]
        assert second[0] == 2
        assert second[2] == "Phạm Văn Dũng"
        assert second[3] is None
        assert second[4].startswith("=HYPERLINK")
        assert sheet.cell(3, 5).data_type == "s"
        assert second[18].startswith("Đe dọa, xúc phạm")
        assert "Đ.9(2)" in second[18]

        async with bot.app.database.transaction() as conn:
            admin = bot.app.dialog.services_for(conn, Actor("cli", "test", Role.ADMIN))
            exported = await admin.register.export(TODAY, TODAY, None, FileFormat.CSV,
                                                   full_cccd=True)
        assert exported.content.startswith(b"\xef\xbb\xbf")
        parsed = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert parsed[0] == HEADERS
        assert len(parsed) == 3
        assert parsed[1][1] == "26/11/2026"
        assert parsed[1][3] == CCCD
        assert parsed[2][4].startswith("'=HYPERLINK")
        latest, chat = await audit(bot, "register.export")
        assert latest.detail["full_cccd"] is True
        assert latest.actor_role == "admin"
        assert chat.detail["full_cccd"] is False
        assert chat.actor_role == "staff"


def write_register(path: Path, rows: list[list[object]]) -> None:
    """Write an .xlsx register with a title row, then the header (in other spellings)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SỔ TIẾP CÔNG DÂN NĂM 2025"])
    sheet.append(["stt", "NGAY TIEP", "Ho ten, dia chi", "CCCD", "Noi dung", "Loai don",
                  "So nguoi", "Ghi chu"])
    for row in rows:
        sheet.append(row)
    book.save(path)


async def test_an_import_with_one_bad_row_imports_nothing_and_a_good_one_everything(
        tmp_path: Path, tiepdan: Tiepdan) -> None:
    """`tiepdan import register` reports each bad row with its row number and reason and
    imports nothing; the corrected file imports every row, with serials continuing the
    year's numbering after the rows already in the register."""
    settings = make_settings(tmp_path, TIEPDAN_DATABASE=str(tiepdan.database))
    good = [
        [1, "03/03/2025", "Nguyễn Văn Em, xã Tân Thanh", "001085012345",
         "Tranh chấp ranh giới đất", "Khiếu nại", 1, ""],
        [2, date(2025, 3, 4), "Hoàng Thị Gấm, phường Tam Thanh", "",
         "Phản ánh tiếng ồn", "phan anh", 7, "Đoàn đông người"],
        [3, "2025-03-05", "Vi Văn Hải", None, "Kiến nghị làm đường", "", 2, None],
    ]
    bad = [list(row) for row in good]
    bad[1][6] = 0  # row 4 of the file: no people
    bad_path = tmp_path / "so-cu-loi.xlsx"
    write_register(bad_path, bad)
    done = await asyncio.to_thread(tiepdan.run, "import", "register", str(bad_path), stdin="")
    assert done.returncode == 1, done.stdout
    assert "Dòng 4: số người phải là số nguyên từ 1 trở lên" in done.stderr
    assert "Chưa nhập dòng nào" in done.stderr

    async with telegram_bot(settings) as bot:
        assert await visits(bot) == []
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor("cli", "test", Role.ADMIN))
            first = await services.register.import_file(
                "one.csv", ("Ngày tiếp,Họ tên, địa chỉ,Nội dung,Số người\n".replace(
                    "Họ tên, địa chỉ", '"Họ tên, địa chỉ"') + "01/02/2025,Lò Văn Ích,Hỏi "
                    "chính sách,1\n").encode("utf-8-sig"), "main")
        assert first.ok
        assert first.imported == 1

    good_path = tmp_path / "so-cu.xlsx"
    write_register(good_path, good)
    done = await asyncio.to_thread(tiepdan.run, "import", "register", str(good_path), stdin="")
    assert done.returncode == 0, done.stderr
    assert "Đã nhập 3 dòng" in done.stdout
    async with telegram_bot(settings) as bot:
        imported = [v for v in await register_visits_2025(bot)]
        assert [v.serial for v in imported] == [1, 2, 3, 4]
        _ich, em, gam, hai = imported
        assert em.entry.identity.full_name == "Nguyễn Văn Em"
        assert em.entry.identity.address == "xã Tân Thanh"
        assert em.entry.identity.cccd_masked == "0010******45"
        assert em.entry.identity.cccd_digest
        assert em.entry.petition_type is not None
        assert em.entry.petition_type.value == "complaint"
        assert gam.is_mass_delegation
        assert gam.entry.people == 7
        assert gam.source == "import"
        assert hai.entry.received_on == date(2025, 3, 5)
        assert hai.entry.petition_type is None
        [entry] = [e for e in await audit(bot, "register.import") if e.detail["rows"] == 3]
        assert entry.detail["years"] == [2025]


async def register_visits_2025(bot: TelegramHarness) -> list[Visit]:
    """Return the register rows of 2025, in order."""
    async with bot.app.database.transaction() as conn:
        return await register_store.visits_between(conn, date(2025, 1, 1), date(2025, 12, 31),
                                                   None)


async def test_command_line_export_writes_the_file(tmp_path: Path, tiepdan: Tiepdan) -> None:
    """`tiepdan export register --format csv` writes the rows of the range to the file."""
    settings = make_settings(tmp_path, TIEPDAN_DATABASE=str(tiepdan.database))
    async with telegram_bot(settings) as bot, bot.app.database.transaction() as conn:
        services = bot.app.dialog.services_for(conn, Actor("cli", "test", Role.ADMIN))
        await services.register.import_file(
            "x.csv", "Ngày tiếp;Họ tên, địa chỉ;Nội dung;Số người\n"
                     "20/11/2026;Lò Văn Ích, bản Nà Làng;Hỏi chính sách;1\n"
                     .encode(), "main")
    output = tmp_path / "out" / "so.csv"
    done = await asyncio.to_thread(tiepdan.run, "export", "register", "--from", "2026-11-01",
                                   "--to", "2026-11-30", "--output", str(output), stdin="")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1][2] == "Lò Văn Ích, bản Nà Làng"


async def test_a_walk_in_number_of_people_may_be_spelled_out(tmp_path: Path) -> None:
    """«mười lăm người» at the walk-in's number of people is fifteen (not «Một người»)."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await staff_member(bot)
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "➕ Tiếp công dân không hẹn trước")
        for answer in ("Trần Thị Bình", "Thôn Pò Mỏ, xã Tân Thanh", "0987 654 321"):
            await bot.text(STAFF, answer)
        await bot.press(STAFF, "Không có CCCD")
        await bot.text(STAFF, "mười lăm người")
        async with bot.app.database.transaction() as conn:
            state = await conversation_store.load_state(conn, "telegram", str(STAFF))
    assert state.data["people"] == 15


async def test_the_register_command_reads_periods_as_the_command_line_does(
        tmp_path: Path) -> None:
    """/sotiep takes a month, two days without a year or one day, read by the same parser as
    ``tiepdan export register``; an unreadable period gets examples and no file."""
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await _two_rows(bot)
        month = await bot.text(STAFF, "/sotiep 11/2026 csv")
        days = await bot.text(STAFF, "/sotiep 1/11 30/11")
        day = await bot.text(STAFF, "/sotiep 26/11")
        unread = await bot.text(STAFF, "/sotiep tuần trước")

    def name_of(sent: list[SentMessage]) -> str:
        document = next(m.document for m in sent if m.document is not None)
        return document[0]

    assert name_of(month) == "so-tiep-cong-dan_2026-11-01_2026-11-30.csv"
    assert name_of(days) == "so-tiep-cong-dan_2026-11-01_2026-11-30.xlsx"
    assert name_of(day) == "so-tiep-cong-dan_2026-11-26_2026-11-26.xlsx"
    assert "2 dòng" in next(m.text for m in day if m.document is not None)
    assert not any(m.document for m in unread)
    assert "Chưa đọc được «tuần trước» là một khoảng thời gian." in texts(unread)
    assert "/sotiep 11/2026" in texts(unread)


async def test_a_note_with_a_skip_buttons_words_in_it_is_kept(tmp_path: Path) -> None:
    """«…, không có nội dung mới» typed as the refusal's note is the note, not «⏭ Không có»."""
    note = "Công dân đã được trả lời, không có nội dung mới"
    async with telegram_bot(booking_settings(tmp_path)) as bot:
        await booked_today(bot)
        await staff_member(bot)
        await bot.text(STAFF, "/hangdoi")
        await bot.press(STAFF, "⋯ 1")
        await bot.press(STAFF, "⛔ Từ chối tiếp")
        await bot.press(STAFF, "3. ")
        await bot.text(STAFF, note)
        await bot.text(STAFF, "12/TB-BTCD")
        review = bot.last_text(STAFF)
        await bot.press(STAFF, "✅ Lưu vào sổ")
        [visit] = await visits(bot)
    assert note in review
    assert visit.entry.notes == note
