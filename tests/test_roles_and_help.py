"""What each role is told it can do, what it is refused, and how a refusal reads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.domain.clock import FixedClock
from bot.domain.users import Role
from tests.booking_support import set_role, texts, type_line
from tests.harness import DEFAULT_NOW, make_settings

REFUSAL = "ông/bà không có quyền dùng chức năng này"
OLD_REFUSAL = "chỉ dành cho cán bộ"
ALWAYS = {"start", "huy", "trogiup"}


async def open_app(tmp_path: Path, data: dict[str, Any] | None = None) -> App:
    """Open the bot on a fixed clock."""
    return await App.open(make_settings(tmp_path, data), FixedClock(DEFAULT_NOW))


def listed(help_text: str) -> set[str]:
    """Return the commands a /trogiup text lists, without the three every state has."""
    return set(re.findall(r"^/([a-z]+):", help_text, flags=re.MULTILINE)) - ALWAYS


@pytest.mark.parametrize("role", list(Role))
async def test_help_lists_exactly_the_commands_the_role_can_use(tmp_path: Path,
                                                                role: Role) -> None:
    """Every command /trogiup lists works for the person; every other one refuses them,
    saying what is missing rather than who they are."""
    app = await open_app(tmp_path)
    user = str(7400 + list(Role).index(role))
    try:
        await type_line(app, user, "/trogiup")
        await set_role(app, int(user), role)
        shown = listed(texts(await type_line(app, user, "/trogiup")))
        answers: dict[str, str] = {}
        for name in sorted(app.dialog.routes.commands):
            answers[name] = texts(await type_line(app, user, f"/{name}"))
            await type_line(app, user, "/huy")
    finally:
        await app.close()
    assert shown, "every role has some command"
    for name, answer in answers.items():
        assert OLD_REFUSAL not in answer
        if name in shown:
            assert REFUSAL not in answer, f"/{name} is listed for {role} but refused"
        else:
            assert REFUSAL in answer, f"/{name} is not listed for {role} but works"


async def test_report_subscriptions_follow_the_configured_roles(tmp_path: Path) -> None:
    """The police liaison sees and uses /nhanbaocao only when the settings let the police
    subscribe."""
    default = await open_app(tmp_path / "default")
    try:
        await type_line(default, "7501", "/trogiup")
        await set_role(default, 7501, Role.POLICE)
        before = texts(await type_line(default, "7501", "/trogiup"))
        refused = texts(await type_line(default, "7501", "/nhanbaocao"))
    finally:
        await default.close()
    widened = await open_app(tmp_path / "widened", {
        "reports": {"subscriber_roles": ["staff", "leader", "admin", "police"]}})
    try:
        await type_line(widened, "7501", "/trogiup")
        await set_role(widened, 7501, Role.POLICE)
        after = texts(await type_line(widened, "7501", "/trogiup"))
        opened = texts(await type_line(widened, "7501", "/nhanbaocao"))
    finally:
        await widened.close()
    assert "/nhanbaocao" not in before
    assert REFUSAL in refused
    assert "/nhanbaocao" in after
    assert "Báo cáo gửi vào cuộc trò chuyện này" in opened


async def test_staff_who_never_saw_the_notice_get_the_menu_not_the_notice(
        tmp_path: Path) -> None:
    """A staff member working only from commands who then types something gets the menu; a
    citizen who was never asked anything is greeted with the notice."""
    app = await open_app(tmp_path)
    try:
        await type_line(app, "7601", "/trogiup")
        await set_role(app, 7601, Role.STAFF)
        await type_line(app, "7601", "/hangdoi")
        staff = texts(await type_line(app, "7601", "xin chào"))
        await type_line(app, "7602", "/trogiup")
        citizen = texts(await type_line(app, "7602", "xin chào"))
    finally:
        await app.close()
    assert "Thông báo xử lý dữ liệu cá nhân" not in staff
    assert "Ông/bà cần hỗ trợ việc gì?" in staff
    assert "Thông báo xử lý dữ liệu cá nhân" in citizen


@pytest.mark.parametrize("role", list(Role))
async def test_the_menu_names_the_work_commands_of_the_role(tmp_path: Path, role: Role) -> None:
    """Staff, leaders and admins see their own commands under the menu (those /trogiup lists
    for them and not for citizens), without being asked the citizens' data notice first;
    citizens see none."""
    app = await open_app(tmp_path)
    user, citizen = str(7500 + list(Role).index(role)), "7599"
    try:
        everyone = listed(texts(await type_line(app, citizen, "/trogiup")))
        await type_line(app, user, "/trogiup")
        await set_role(app, int(user), role)
        shown = listed(texts(await type_line(app, user, "/trogiup")))
        menu = texts(await type_line(app, user, "/start"))
    finally:
        await app.close()
    lines = [text for text in menu.splitlines() if text.startswith("Việc của cán bộ")]
    named = set(re.findall(r"/([a-z]+)", lines[0])) - {"trogiup"} if lines else set()
    assert named == shown - everyone
    if role is not Role.CITIZEN:
        assert "Thông báo xử lý dữ liệu cá nhân" not in menu
        assert "Ông/bà cần hỗ trợ việc gì?" in menu
