"""One booking shown by its code, and the no-show count kept per citizen for the reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.dialog.core import Dialog
from bot.dialog.flow import Command, Turn
from bot.domain.booking import BookingStatus
from bot.domain.clock import FixedClock
from bot.domain.users import Role
from bot.services import Actor
from handlers.routing import build_routes
from tests.booking_support import (
    ADDRESS,
    CCCD,
    booking_settings,
    bookings_of,
    set_role,
    texts,
    type_line,
)
from tests.harness import DEFAULT_NOW

OWNER = "951"
OTHER = "952"
STAFF = "953"


async def book(app: App, user: str, day: str = "30/11", time: str = "9h") -> str:
    """Book regular reception by typed answers; return the code."""
    for line in ("/start", "đồng ý", "có", "đặt lịch", "thường xuyên", day, time,
                 "Đề nghị cấp lại giấy chứng nhận", "không"):
        await type_line(app, user, line)
    asked = texts(await type_line(app, user, "1"))
    identity = ["có, dùng lại"] if "Lần trước" in asked else [
        "Nguyễn Văn An", "0912345678", CCCD, ADDRESS]
    for line in (*identity, "xác nhận"):
        await type_line(app, user, line)
    return (await bookings_of(app, "telegram", user))[-1].code


async def open_status(turn: Turn) -> None:
    """Begin booking_status the way the lookup menu does: with {"code": ...}."""
    await turn.begin("booking_status", {"code": " ".join(turn.incoming.args)})


async def test_booking_status_shows_a_code_fully_to_its_owner_and_briefly_to_others(
        tmp_path: Path) -> None:
    """Given {"code": ...}, the owner sees the matter and can manage it; another citizen must
    first give the last four digits of the phone given, then sees only time, place and
    status; an unknown code asks for the digits just the same, never saying it is unknown."""
    app = await App.open(booking_settings(tmp_path), FixedClock(DEFAULT_NOW))
    routes = build_routes()
    app.dialog = Dialog(app.database, app.settings, app.clock, replace(
        routes, commands={**routes.commands, "xem": Command(open_status)}))
    try:
        code = await book(app, OWNER)
        own = await type_line(app, OWNER, f"/xem {code.lower().replace('-', ' ')}")
        manage = await type_line(app, OWNER, "1")
        for line in ("/start", "đồng ý", "có"):
            await type_line(app, OTHER, line)
        asked = texts(await type_line(app, OTHER, f"/xem {code}"))
        other = await type_line(app, OTHER, "5678")
        unknown = texts(await type_line(app, OTHER, "/xem H-2222-3333"))
    finally:
        await app.close()
    assert "Tình trạng: đã đặt lịch" in texts(own)
    assert "Nội dung: Đề nghị cấp lại giấy chứng nhận" in texts(own)
    assert own[-1].buttons[0].label == "📋 Hủy hoặc đổi lịch hẹn này"
    assert "🔁 Đổi sang giờ khác" in [b.label for b in manage[-1].buttons]
    assert "gõ 4 số cuối của số điện thoại đã ghi khi đặt lịch" in asked
    assert "30/11/2026" not in asked
    assert "Thứ Hai, 30/11/2026, 09:00–09:30" in texts(other)
    assert "Tình trạng: đã đặt lịch" in texts(other)
    assert "Nội dung" not in texts(other)
    assert "📋 Hủy hoặc đổi lịch hẹn này" not in [b.label for b in other[-1].buttons]
    assert "gõ 4 số cuối của số điện thoại đã ghi khi đặt lịch" in unknown
    assert "Không có lịch hẹn" not in unknown


async def test_no_shows_are_recorded_by_staff_and_counted_per_citizen(tmp_path: Path) -> None:
    """Staff record a no-show; the count follows the citizen (account or CCCD); citizens
    may not record statuses or read the report."""
    app = await App.open(booking_settings(tmp_path), FixedClock(DEFAULT_NOW))
    try:
        first = await book(app, OWNER, "27/11", "9h")
        second = await book(app, OWNER, "30/11", "10h")
        assert second != first
        await type_line(app, STAFF, "/start")
        await set_role(app, int(STAFF), Role.STAFF)
        staff = Actor("telegram", STAFF, Role.STAFF)
        citizen = Actor("telegram", OWNER, Role.CITIZEN)
        async with app.database.transaction() as conn:
            services = app.dialog.services_for(conn, staff)
            await services.bookings.record_status(first, BookingStatus.NO_SHOW)
            await services.bookings.record_status(second, BookingStatus.DONE)
            stored = await services.bookings.find(first)
            assert stored is not None
            digest = stored.identity.cccd_digest
            by_account = await services.bookings.no_show_count("telegram", OWNER)
            by_cccd = await services.bookings.no_show_count("zalo", "someone-else", digest)
            report = await services.bookings.no_show_counts(
                datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
            with pytest.raises(PermissionError):
                await app.dialog.services_for(conn, citizen).bookings.record_status(
                    second, BookingStatus.NO_SHOW)
            with pytest.raises(PermissionError):
                await app.dialog.services_for(conn, citizen).bookings.no_show_counts(
                    datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    finally:
        await app.close()
    assert by_account == 1
    assert by_cccd == 1
    assert len(report) == 1
    assert report[0].no_shows == 1
    assert report[0].bookings == 2
    assert report[0].cccd_masked == "0791******89"
