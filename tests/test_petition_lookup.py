"""Following a petition: «My petitions», the lookup menu, /tracuu and the phone check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.app import App
from bot.dialog.flow import Flow, Routes, Step, Turn
from bot.domain.petitions import Status
from bot.domain.users import Role
from bot.services import Actor
from handlers import routing
from tests.fakebotapi import FakeBotApi
from tests.harness import make_settings
from tests.petitioning import (
    agree,
    code_in,
    driver,
    file_anonymous_recommendation,
    file_complaint,
    services_as,
    state_of,
)

STAFF = Actor("telegram", "900", Role.STAFF)


async def test_my_petitions_lists_each_with_its_status_and_opens_its_history(
        tmp_path: Path) -> None:
    """«My petitions» lists the code, type, date and status of each petition sent from the
    account; choosing one shows its history with dates."""
    async with driver("telegram", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        code = code_in(await file_complaint(person))
        async with services_as(person.app, STAFF) as services:
            await services.petitions.transition(code, Status.CLASSIFYING)
        await person.choose("Tra cứu đơn hoặc lịch hẹn")
        listed = await person.choose("Đơn của tôi")
        history = await person.choose(code)
    assert f"1. {code} · Khiếu nại · 26/11/2026 · Đang phân loại" in listed
    assert f"Đơn {code}" in history
    assert "Về việc: Quyết định số 15/QĐ-UBND" in history
    assert "Hiện nay: Đang phân loại" in history
    assert "Hạn tiếp theo: Thứ Hai, 07/12/2026" in history
    assert "• 08:00 26/11/2026 — Đã tiếp nhận" in history
    assert "• 08:00 26/11/2026 — Đang phân loại" in history


async def test_someone_with_no_petition_is_offered_to_send_one(tmp_path: Path) -> None:
    """An account that sent nothing is told so and offered to submit a petition."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        await person.say("tra cuu")
        out = await person.say("don cua toi")
    assert "Ông/bà chưa gửi đơn nào từ tài khoản này" in out
    assert "Gửi đơn" in out


async def test_tracuu_with_a_code_shows_the_filers_petition_at_once(tmp_path: Path) -> None:
    """/tracuu CODE from the filing account shows the history, typed in any case, with
    spaces instead of dashes."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        code = code_in(await file_complaint(person))
        async with services_as(person.app, STAFF) as services:
            await services.petitions.transition(code, Status.CLASSIFYING)
            await services.petitions.transition(code, Status.FORWARDED, agency="Sở Tài chính",
                                                document_no="7/BTCD",
                                                document_date=date(2026, 11, 26))
        await person.notifications()
        out = await person.say("/tracuu " + code.lower().replace("-", " "))
    assert f"Đơn {code}" in out
    assert "Hiện nay: Đã chuyển đơn đến cơ quan có thẩm quyền" in out
    assert "Ban đã chuyển đơn của ông/bà đến Sở Tài chính" in out
    assert "Đã chuyển đơn đến cơ quan có thẩm quyền: Sở Tài chính (văn bản số 7/BTCD)" in out


async def test_tracuu_alone_asks_for_the_code_and_explains_a_wrong_one(tmp_path: Path) -> None:
    """/tracuu without a code asks for it; something that is not a code is explained."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        code = code_in(await file_complaint(person))
        asked = await person.say("/tracuu")
        wrong = await person.say("ma cua toi la 123")
        shown = await person.say(f"mã của tôi là {code}")
    assert "Ông/bà gõ mã tra cứu, ví dụ D-7K4M-9QXR" in asked
    assert "Đây chưa phải mã tra cứu. Mã có dạng D-7K4M-9QXR" in wrong
    assert f"Đơn {code}" in shown


async def test_another_account_sees_the_petition_after_the_phone_check(tmp_path: Path) -> None:
    """From another account the code asks for the last four digits of the phone given; with
    them the history is shown, without the petition's subject."""
    settings = make_settings(tmp_path)
    api = FakeBotApi()
    async with driver("telegram", settings, tmp_path, api=api) as filer:
        await agree(filer)
        code = code_in(await file_complaint(filer))
    async with driver("telegram", settings, tmp_path, user=777, api=api) as other:
        await agree(other)
        asked = await other.say(f"/tracuu {code}")
        not_digits = await other.say("56")
        shown = await other.say("5678")
    assert "gõ 4 số cuối của số điện thoại đã ghi trong đơn" in asked
    assert f"Đơn {code}" not in asked
    assert "Ông/bà vui lòng gõ đúng 4 chữ số" in not_digits
    assert f"Đơn {code}" in shown
    assert "Hiện nay: Đã tiếp nhận" in shown
    assert "Quyết định số 15" not in shown


async def test_repeated_wrong_digits_make_the_person_wait(tmp_path: Path) -> None:
    """Wrong digits say how many tries are left; the third locks the account out and says
    how long to wait; the code's existence is never told."""
    settings = make_settings(tmp_path)
    async with driver("telegram", settings, tmp_path) as filer:
        await agree(filer)
        code = code_in(await file_complaint(filer))
    async with driver("terminal", settings, tmp_path, user=778) as other:
        await agree(other)
        await other.say(f"/tracuu {code}")
        first = await other.say("0000")
        second = await other.say("1111")
        third = await other.say("2222")
        again = await other.say(f"/tracuu {code}")
        state = await state_of(other)
    assert "Mã tra cứu và 4 số này không khớp" in first
    assert "(còn 2 lần)" in first
    assert "(còn 1 lần)" in second
    assert "xin chờ 15 phút rồi thử lại" in third
    assert "xin chờ 15 phút rồi thử lại" in again
    assert state.idle


async def test_an_anonymous_petition_cannot_be_opened_from_another_account(
        tmp_path: Path) -> None:
    """An anonymous petition's code with any digits shows nothing to another account."""
    settings = make_settings(tmp_path)
    async with driver("terminal", settings, tmp_path) as filer:
        await agree(filer)
        code = code_in(await file_anonymous_recommendation(filer))
        own = await filer.say(f"/tracuu {code}")
    async with driver("terminal", settings, tmp_path, user=779) as other:
        await agree(other)
        await other.say(f"/tracuu {code}")
        refused = await other.say("0000")
    assert f"Đơn {code}" in own
    assert "không khớp" in refused
    assert f"Đơn {code}" not in refused


async def test_a_code_typed_at_the_lookup_menu_is_opened(tmp_path: Path) -> None:
    """A code typed straight at the lookup question is opened."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        code = code_in(await file_complaint(person))
        await person.say("Tra cứu đơn hoặc lịch hẹn")
        out = await person.say(code)
    assert f"Đơn {code}" in out


async def test_an_appointment_code_opens_the_real_booking_lookup(tmp_path: Path) -> None:
    """The lookup menu offers «My appointments» and an H code goes to the booking lookup."""
    async with driver("terminal", make_settings(tmp_path), tmp_path) as person:
        await agree(person)
        menu = await person.say("Tra cứu đơn hoặc lịch hẹn")
        out = await person.say("/tracuu H-2345-6789")
    assert "Lịch hẹn của tôi" in menu
    assert "H-2345-6789" in out
    assert "Hiện chưa tra cứu được lịch hẹn theo mã" not in out


async def _show_booking(turn: Turn) -> None:
    turn.say(f"Lịch hẹn {turn.data.get('code', '')}")
    await turn.finish()


def _with_bookings() -> Routes:
    base = routing.build_routes()
    flows = {name: Flow(name=name, title=name, first="showing",
                        steps={"showing": Step(_show_booking, _show_booking)})
             for name in ("my_bookings", "booking_status")}
    return Routes(flows={**base.flows, **flows}, commands=base.commands, actions=base.actions,
                  start=base.start, help=base.help)


async def test_appointments_are_offered_and_opened_when_the_booking_flows_exist(
        tmp_path: Path) -> None:
    """With «my_bookings» and «booking_status» registered, the lookup offers «My
    appointments» and an H code opens the booking status with its code."""
    settings = make_settings(tmp_path)
    async with driver("terminal", settings, tmp_path) as person:
        app: App = person.app
        app.dialog.routes = _with_bookings()
        await agree(person)
        menu = await person.say("Tra cứu đơn hoặc lịch hẹn")
        mine = await person.say("Lịch hẹn của tôi")
        by_code = await person.say("/tracuu h 2345 6789")
    assert "Lịch hẹn của tôi" in menu
    assert "Lịch hẹn " in mine
    assert "Lịch hẹn H-2345-6789" in by_code
