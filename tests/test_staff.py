"""Roles and access: invitations, listing, changing and revoking roles, and refusals."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain.users import ChannelUser, Role
from bot.services import Actor
from bot.services.staff import CLI_CHANNEL, Refusal, StaffChangeError
from bot.storage import audit as audit_store
from bot.storage import users as user_store
from bot.storage.audit import AuditEntry
from handlers import staff as staff_handlers
from tests.conftest import Tiepdan
from tests.fakebotapi import SentMessage
from tests.harness import TelegramHarness, make_settings, telegram_bot

ADMIN = 1001  # named in the settings
PERSON = 2002
OTHER = 3003
CITIZEN = 4004
SETTINGS: dict[str, Any] = {
    "admins": [f"telegram:{ADMIN}"],
    "sites": [{"id": "main", "name": "Trụ sở chính"},
              {"id": "east", "name": "Điểm tiếp dân phía Đông"}],
}
TOKEN = re.compile(r"/start (inv-[A-Za-z0-9_-]+)")
DENIED = "không có quyền dùng chức năng này"


def key(user: int) -> str:
    """Return a Telegram user as channel:user."""
    return f"telegram:{user}"


async def audit(bot: TelegramHarness, action: str) -> list[AuditEntry]:
    """Return the audit entries of one action, newest first."""
    async with bot.app.database.transaction() as conn:
        return await audit_store.entries(conn, action)


async def user(bot: TelegramHarness, user_id: int) -> ChannelUser:
    """Return a Telegram user as stored."""
    async with bot.app.database.transaction() as conn:
        found = await user_store.get_user(conn, "telegram", str(user_id))
    assert found is not None
    return found


async def site_of(bot: TelegramHarness, user_id: int) -> str | None:
    """Return the site the services say a person works at."""
    person = await user(bot, user_id)
    async with bot.app.database.transaction() as conn:
        return await bot.app.dialog.services_for(conn).staff.site_of(person)


async def invite_in_chat(bot: TelegramHarness, role_label: str, site_label: str) -> str:
    """Make an invitation as the configured admin with /moicanbo; return its token."""
    await bot.text(ADMIN, "/moicanbo")
    await bot.press(ADMIN, role_label)
    sent = await bot.press(ADMIN, site_label)
    found = TOKEN.search(sent[0].text)
    assert found, sent[0].text
    return found.group(1)


async def give_role(bot: TelegramHarness, user_id: int, role: Role, site: str | None = None
                    ) -> None:
    """Give a role through the service and announce it, as the command line does."""
    await bot.text(user_id, "/start")
    async with bot.app.database.transaction() as conn:
        services = bot.app.dialog.services_for(conn, Actor(CLI_CHANNEL, "test", Role.ADMIN))
        change = await services.staff.assign("telegram", str(user_id), role, site, "set-up")
        await staff_handlers.announce(services, change)


def button_data(message: SentMessage, label: str) -> str:
    """Return the callback data of the button whose label contains ``label``."""
    for button in message.inline_buttons():
        if label in button["text"]:
            return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {message.inline_buttons()}")


async def press_member(bot: TelegramHarness, admin: int, member: int) -> list[SentMessage]:
    """Press the button of ``member`` in the /canbo list the admin sees last."""
    message = next(m for m in reversed(bot.api.sent_to(admin)) if m.inline_buttons())
    data = next(str(b["callback_data"]) for b in message.inline_buttons()
                if str(b["callback_data"]).endswith(f"m:{key(member)}"))
    return await bot.send(bot.api.callback_update(admin, message, data))


# -- invitations -------------------------------------------------------------------------------


async def test_command_line_invitation_grants_the_staff_role_once(
        tmp_path: Path, tiepdan: Tiepdan) -> None:
    """An invitation printed by `tiepdan staff invite` and opened as /start <token> makes the
    person staff at its site, tells them what they can do, is audited, alerts the admin, and
    is refused to the next person who opens it."""
    config = tmp_path / "tiepdan.toml"
    config.write_text('admins = ["telegram:1001"]\n[[sites]]\nid = "main"\nname = "Trụ sở chính"\n'
                      '[[sites]]\nid = "east"\nname = "Điểm tiếp dân phía Đông"\n',
                      encoding="utf-8")
    settings = make_settings(tmp_path, SETTINGS, TIEPDAN_DATABASE=str(tiepdan.database))
    async with telegram_bot(settings) as bot:
        await bot.text(ADMIN, "/start")
        done = await asyncio.to_thread(tiepdan.run, "staff", "invite", "--role", "staff",
                                       "--site", "east", "--config", str(config), stdin="")
        assert done.returncode == 0, done.stderr
        token = TOKEN.search(done.stdout)
        assert token, done.stdout
        assert f"https://t.me/tiepdan_test_bot?start={token.group(1)}" in done.stdout

        welcome = await bot.text(PERSON, f"/start {token.group(1)}")
        person = await user(bot, PERSON)
        site = await site_of(bot, PERSON)
        changes = await audit(bot, "role.change")
        await bot.drain_outbox()
        alert = bot.last_text(ADMIN)

        again = await bot.text(OTHER, f"/start {token.group(1)}")
        other = await user(bot, OTHER)
        refused = await audit(bot, "staff.invitation_refused")
        twice = await bot.text(PERSON, f"/start {token.group(1)}")

    assert person.role is Role.STAFF
    assert site == "east"
    assert "Cán bộ tiếp dân" in welcome[0].text
    assert "Điểm tiếp dân phía Đông" in welcome[0].text
    assert "/trogiup" in welcome[0].text
    assert "Ông/bà cần hỗ trợ việc gì?" in welcome[-1].text
    assert changes[0].subject == key(PERSON)
    assert changes[0].detail["previous"] == "citizen"
    assert changes[0].detail["role"] == "staff"
    assert changes[0].detail["site"] == "east"
    assert changes[0].detail["invited_by"].startswith("cli:")
    assert "🔐" in alert
    assert key(PERSON) in alert
    assert "Cán bộ tiếp dân" in alert

    assert other.role is Role.CITIZEN
    assert "đã được sử dụng" in again[0].text
    assert refused[0].subject == key(OTHER)
    assert refused[0].detail["reason"] == "used"
    assert "đã nhận lời mời này rồi" in twice[0].text


async def test_chat_invitation_shows_the_link_and_expires(tmp_path: Path) -> None:
    """/moicanbo asks the role and the site, shows the Telegram link and the /start form; once
    expired, the invitation is refused politely and changes nothing."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        question = await bot.text(ADMIN, "/moicanbo")
        roles = bot.buttons(ADMIN)
        sites_question = await bot.press(ADMIN, "Lãnh đạo")
        sites = bot.buttons(ADMIN)
        made = await bot.press(ADMIN, "Trụ sở chính")
        token = TOKEN.search(made[0].text)
        assert token
        bot.clock.advance(timedelta(hours=73))
        expired = await bot.text(PERSON, f"/start {token.group(1)}")
        person = await user(bot, PERSON)
        refused = await audit(bot, "staff.invitation_refused")

    assert "vai trò nào" in question[0].text
    assert roles[:4] == ["Cán bộ tiếp dân", "Lãnh đạo", "Công an phối hợp", "Quản trị viên"]
    assert "điểm tiếp dân nào" in sites_question[0].text
    assert sites[:3] == ["Trụ sở chính", "Điểm tiếp dân phía Đông", "Tất cả các điểm tiếp dân"]
    assert f"https://t.me/tiepdan_test_bot?start={token.group(1)}" in made[0].text
    assert "Lãnh đạo" in made[0].text
    assert "đã hết hạn" in expired[0].text
    assert "Kính chào ông/bà" in expired[1].text, "the refused person is greeted as by /start"
    assert person.role is Role.CITIZEN
    assert refused[0].detail["reason"] == "expired"


async def test_unknown_invitation_is_refused_and_audited(tmp_path: Path) -> None:
    """A made-up invitation token is refused politely, audited, and grants nothing."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        sent = await bot.text(PERSON, "/start inv-" + "A" * 43)
        person = await user(bot, PERSON)
        refused = await audit(bot, "staff.invitation_refused")

    assert "không hợp lệ" in sent[0].text
    assert person.role is Role.CITIZEN
    assert refused[0].detail == {"reason": "unknown", "invitation": None}


async def test_an_admin_opening_a_staff_invitation_keeps_it_for_its_person(
        tmp_path: Path) -> None:
    """An admin who opens an invitation for a lesser role stays admin, and the invitation
    still works for the person it was made for."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        token = await invite_in_chat(bot, "Cán bộ tiếp dân", "Trụ sở chính")
        kept = await bot.text(ADMIN, f"/start {token}")
        admin = await user(bot, ADMIN)
        await bot.text(PERSON, f"/start {token}")
        person = await user(bot, PERSON)

    assert "vẫn còn hiệu lực" in kept[0].text
    assert admin.role is Role.ADMIN
    assert person.role is Role.STAFF


# -- listing, changing, revoking -----------------------------------------------------------


async def test_admin_lists_roles_and_revokes_one_with_audit_and_notice(tmp_path: Path) -> None:
    """/canbo lists the people with a role; revoking asks for confirmation, is audited with
    who, the previous and new role and the reason typed after «Yes, with a reason», and the
    person is told."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        token = await invite_in_chat(bot, "Cán bộ tiếp dân", "Điểm tiếp dân phía Đông")
        await bot.text(PERSON, f"/start {token}")

        listing = await bot.text(ADMIN, "/canbo")
        card = await press_member(bot, ADMIN, PERSON)
        confirm = await bot.press(ADMIN, "Thu hồi vai trò")
        asked = await bot.press(ADMIN, "Có, kèm lý do")
        done = await bot.text(ADMIN, "chuyển công tác")
        person = await user(bot, PERSON)
        changes = await audit(bot, "role.change")
        await bot.drain_outbox()
        told = bot.last_text(PERSON)

    assert "Những người có vai trò (2)" in listing[0].text
    assert key(ADMIN) in listing[0].text
    assert key(PERSON) in listing[0].text
    assert "Cán bộ tiếp dân, Điểm tiếp dân phía Đông" in listing[0].text
    assert "Vai trò: Cán bộ tiếp dân" in card[0].text
    assert "Thu hồi vai trò của" in confirm[0].text
    assert "Vui lòng gõ lý do" in asked[0].text
    assert "Xong" in done[0].text
    assert person.role is Role.CITIZEN
    revoked = changes[0]
    assert revoked.subject == key(PERSON)
    assert (revoked.actor_channel, revoked.actor_user_id, revoked.actor_role) == \
        ("telegram", str(ADMIN), "admin")
    assert revoked.detail["previous"] == "staff"
    assert revoked.detail["role"] == "citizen"
    assert revoked.detail["previous_site"] == "east"
    assert revoked.detail["site"] is None
    assert revoked.detail["reason"] == "chuyển công tác"
    assert "đã được thu hồi" in told


async def test_saying_no_to_the_confirmation_changes_nothing(tmp_path: Path) -> None:
    """«No» at the confirmation keeps the role and shows the person's card again."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, PERSON, Role.POLICE)
        await bot.text(ADMIN, "/canbo")
        await press_member(bot, ADMIN, PERSON)
        await bot.press(ADMIN, "Thu hồi vai trò")
        sent = await bot.press(ADMIN, "Không, giữ nguyên")
        person = await user(bot, PERSON)

    assert "Chưa có gì thay đổi" in sent[0].text
    assert "Vai trò: Công an phối hợp" in sent[1].text
    assert person.role is Role.POLICE


async def test_admin_changes_a_role_and_a_site(tmp_path: Path) -> None:
    """An admin makes staff a leader and then moves them to another site; both are audited
    and the person is told each time, other admins get a security alert."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, PERSON, Role.STAFF, "main")
        await give_role(bot, OTHER, Role.ADMIN)
        await bot.text(ADMIN, "/canbo")
        await press_member(bot, ADMIN, PERSON)
        await bot.press(ADMIN, "Đổi vai trò")
        confirm = await bot.press(ADMIN, "Lãnh đạo")
        await bot.press(ADMIN, "Có, thay đổi")
        leader = await user(bot, PERSON)
        await press_member(bot, ADMIN, PERSON)
        await bot.press(ADMIN, "Đổi điểm tiếp dân")
        await bot.press(ADMIN, "Điểm tiếp dân phía Đông")
        await bot.press(ADMIN, "Có, thay đổi")
        site = await site_of(bot, PERSON)
        changes = await audit(bot, "role.change")
        await bot.drain_outbox()
        told = [m.text for m in bot.api.sent_to(PERSON)[-2:]]
        alerts = [m.text for m in bot.api.sent_to(OTHER) if "🔐" in m.text]

    assert "Chuyển" in confirm[0].text
    assert "thành Lãnh đạo" in confirm[0].text
    assert leader.role is Role.LEADER
    assert site == "east"
    assert [c.detail["role"] for c in changes[:2]] == ["leader", "leader"]
    assert changes[0].detail["site"] == "east"
    assert changes[0].detail["previous_site"] == "main"
    assert "nay là Lãnh đạo" in told[0]
    assert "Điểm tiếp dân phía Đông" in told[1]
    assert len(alerts) == 2
    assert "Người thực hiện: Nguyễn Văn A (telegram:1001)" in alerts[0]


async def test_the_only_admin_cannot_revoke_themselves(tmp_path: Path) -> None:
    """Revoking the last administrator is refused with the reason; a configured admin's own
    role cannot be taken away in chat either."""
    async with telegram_bot(make_settings(tmp_path, {"sites": SETTINGS["sites"]})) as bot:
        await give_role(bot, PERSON, Role.ADMIN)
        await bot.text(PERSON, "/canbo")
        await press_member(bot, PERSON, PERSON)
        await bot.press(PERSON, "Thu hồi vai trò")
        refused = await bot.press(PERSON, "Có, thu hồi")
        still = await user(bot, PERSON)
    # The same fake Bot API goes on numbering updates where it stopped.
    async with telegram_bot(make_settings(tmp_path, SETTINGS), api=bot.api) as bot:
        await bot.text(ADMIN, "/canbo")
        await press_member(bot, ADMIN, PERSON)
        await bot.press(ADMIN, "Thu hồi vai trò")
        await bot.press(ADMIN, "Có, thu hồi")  # allowed: the configured admin remains
        await press_member(bot, ADMIN, ADMIN)
        await bot.press(ADMIN, "Thu hồi vai trò")
        configured = await bot.press(ADMIN, "Có, thu hồi")
        admin = await user(bot, ADMIN)
        person = await user(bot, PERSON)

    assert "quản trị viên duy nhất" in refused[0].text
    assert still.role is Role.ADMIN
    assert "theo tệp cấu hình" in configured[0].text
    assert admin.role is Role.ADMIN
    assert person.role is Role.CITIZEN


async def test_the_alert_button_opens_the_persons_card(tmp_path: Path) -> None:
    """The «Open» button on a role-change alert opens that person's card for an admin."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        await give_role(bot, PERSON, Role.LEADER)
        await bot.drain_outbox()
        card = await bot.press(ADMIN, "👤 Xem")

    assert key(PERSON) in card[0].text
    assert "Vai trò: Lãnh đạo" in card[0].text


async def test_alerts_are_written_in_each_admins_language(tmp_path: Path) -> None:
    """An admin who chose English reads a role-change alert made on the command line wholly
    in English."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(ADMIN, "/start")
        async with bot.app.database.transaction() as conn:
            await user_store.set_language(conn, "telegram", str(ADMIN), "en")
        await give_role(bot, PERSON, Role.POLICE)
        await bot.drain_outbox()
        alert = bot.last_text(ADMIN)

    assert "Role change" in alert
    assert "is now Police liaison" in alert
    assert "the command line (system user test)" in alert
    assert "dòng lệnh" not in alert


async def test_staff_list_pages(tmp_path: Path) -> None:
    """A long list shows a page at a time with buttons to turn the page."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        for person in range(5000, 5010):
            await give_role(bot, person, Role.STAFF)
        first = await bot.text(ADMIN, "/canbo")
        second = await bot.press(ADMIN, "Trang sau")

    assert "Trang 1/2" in first[0].text
    assert "Trang 2/2" in second[0].text
    assert "9. " in second[0].text
    assert "11. " in second[0].text


# -- refusals --------------------------------------------------------------------------------


async def test_citizen_is_refused_staff_commands_and_forged_buttons(tmp_path: Path) -> None:
    """A citizen who types a staff command or sends forged staff button data is refused, and
    each attempt is in the audit log with who and what."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(CITIZEN, "/start")
        typed = await bot.text(CITIZEN, "/canbo")
        invite = await bot.text(CITIZEN, "/moicanbo")
        last = bot.api.sent_to(CITIZEN)[-1]
        forged = await bot.send(bot.api.callback_update(
            CITIZEN, last, f"g|staff_member|{key(ADMIN)}"))
        denied = await audit(bot, "access.denied")
        citizen = await user(bot, CITIZEN)
        help_text = (await bot.text(CITIZEN, "/trogiup"))[0].text

    for sent in (typed, invite, forged):
        assert DENIED in sent[0].text
    assert [d.subject for d in denied] == ["action:staff_member", "command:/moicanbo",
                                          "command:/canbo"]
    for entry in denied:
        assert (entry.actor_channel, entry.actor_user_id) == ("telegram", str(CITIZEN))
        assert entry.actor_role == "citizen"
    assert citizen.role is Role.CITIZEN
    assert "/canbo" not in help_text
    assert "/moicanbo" not in help_text


async def test_help_lists_the_admin_commands_for_an_admin(tmp_path: Path) -> None:
    """/trogiup shows an admin the staff commands with their help lines."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        sent = await bot.text(ADMIN, "/trogiup")

    assert "/moicanbo: mời người làm cán bộ tiếp dân" in sent[0].text
    assert "/canbo: xem những người có vai trò" in sent[0].text


async def test_a_role_revoked_mid_flow_stops_the_next_turn(tmp_path: Path) -> None:
    """An admin whose role is revoked while in /canbo is refused at their very next press,
    the refusal is audited, their help no longer shows the staff list, and /canbo is refused."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, OTHER, Role.ADMIN)
        await bot.text(OTHER, "/canbo")
        open_list = next(m for m in reversed(bot.api.sent_to(OTHER)) if m.inline_buttons())

        await bot.text(ADMIN, "/canbo")
        await press_member(bot, ADMIN, OTHER)
        await bot.press(ADMIN, "Thu hồi vai trò")
        await bot.press(ADMIN, "Có, thu hồi")

        pressed = await bot.send(bot.api.callback_update(
            OTHER, open_list, button_data(open_list, "Mời người mới")))
        denied = await audit(bot, "access.denied")
        await bot.text(OTHER, "/canbo")
        help_text = (await bot.text(OTHER, "/trogiup"))
        again = await audit(bot, "access.denied")

    assert DENIED in pressed[0].text
    assert "Ông/bà cần hỗ trợ việc gì?" in pressed[-1].text
    assert denied[0].subject == "flow:staff_roles"
    assert denied[0].actor_user_id == str(OTHER)
    assert again[0].subject == "command:/canbo"
    assert all("Những người có vai trò" not in m.text for m in help_text)


async def test_help_in_a_flow_no_longer_allowed_does_not_show_its_question(
        tmp_path: Path) -> None:
    """/trogiup from someone whose role was taken away inside a staff flow shows the help
    and not the staff flow's open question."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, OTHER, Role.ADMIN)
        await bot.text(OTHER, "/canbo")
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor(CLI_CHANNEL, "t", Role.ADMIN))
            await services.staff.revoke("telegram", str(OTHER), "test")
        sent = await bot.text(OTHER, "/trogiup")

    assert "Cách sử dụng trợ lý" in sent[0].text
    assert all("Những người có vai trò" not in m.text for m in sent)


# -- the service's own checks ----------------------------------------------------------------


async def test_service_refuses_changes_from_anyone_but_an_admin(tmp_path: Path) -> None:
    """The staff service itself refuses invitations and changes from a non-admin actor,
    whatever the handler did."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await bot.text(PERSON, "/start")
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn, Actor("telegram", "9", Role.STAFF))
            with pytest.raises(StaffChangeError) as invite:
                await services.staff.invite(Role.ADMIN, None)
            with pytest.raises(StaffChangeError) as assign:
                await services.staff.assign("telegram", str(PERSON), Role.ADMIN, None, "")
        person = await user(bot, PERSON)

    assert invite.value.refusal is Refusal.NOT_ADMIN
    assert assign.value.refusal is Refusal.NOT_ADMIN
    assert person.role is Role.CITIZEN


async def test_site_of_forgets_a_site_no_longer_configured(tmp_path: Path) -> None:
    """A person placed at a site later removed from the settings works at no one site."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, PERSON, Role.STAFF, "east")
    async with telegram_bot(make_settings(tmp_path, {"sites": [{"id": "main"}]})) as bot:
        assert await site_of(bot, PERSON) is None


# -- the command line ------------------------------------------------------------------------


def test_command_line_lists_sets_and_revokes_roles(tmp_path: Path, tiepdan: Tiepdan) -> None:
    """`tiepdan staff set-role`, `list` and `revoke` change and show roles, audit them, and
    refuse to revoke the last admin with the reason."""
    asyncio.run(_first_contact(tmp_path, tiepdan, [PERSON, OTHER]))
    unknown = tiepdan.run("staff", "set-role", "telegram:999", "staff", stdin="")
    made = tiepdan.run("staff", "set-role", key(PERSON), "admin", "--reason", "trưởng ban",
                       stdin="")
    staffed = tiepdan.run("staff", "set-role", key(OTHER), "staff", "--site", "main", stdin="")
    listing = tiepdan.run("staff", "list", stdin="")
    last = tiepdan.run("staff", "revoke", key(PERSON), stdin="")
    revoked = tiepdan.run("staff", "revoke", key(OTHER), "--reason", "nghỉ hưu", stdin="")
    entries = asyncio.run(_audit(tmp_path, tiepdan))

    assert unknown.returncode == 1
    assert "chưa biết người này" in unknown.stderr
    assert made.returncode == 0, made.stderr
    assert "Quản trị viên" in made.stdout
    assert staffed.returncode == 0, staffed.stderr
    assert key(PERSON) in listing.stdout
    assert key(OTHER) in listing.stdout
    assert "Cán bộ tiếp dân" in listing.stdout
    assert last.returncode == 1
    assert "quản trị viên duy nhất" in last.stderr
    assert revoked.returncode == 0, revoked.stderr
    reasons = [(e.subject, e.detail["previous"], e.detail["role"], e.detail["reason"])
               for e in entries]
    assert reasons == [(key(OTHER), "staff", "citizen", "nghỉ hưu"),
                       (key(OTHER), "citizen", "staff", "tiepdan staff set-role"),
                       (key(PERSON), "citizen", "admin", "trưởng ban")]
    assert all(e.actor_channel == "cli" and e.actor_role == "admin" for e in entries)


def test_command_line_invitation_without_a_known_link(tmp_path: Path, tiepdan: Tiepdan) -> None:
    """Before the bot has learnt its Telegram username, `staff invite` prints the /start form
    and says why there is no link."""
    done = tiepdan.run("staff", "invite", "--role", "police", "--hours", "5", stdin="")
    bad = tiepdan.run("staff", "invite", "--role", "staff", "--site", "nowhere", stdin="")

    assert done.returncode == 0, done.stderr
    assert TOKEN.search(done.stdout)
    assert "https://t.me" not in done.stdout
    assert "Chưa có đường dẫn" in done.stdout
    assert bad.returncode == 1
    assert "Không có điểm tiếp dân nào có mã này" in bad.stderr


async def _first_contact(tmp_path: Path, tiepdan: Tiepdan, users: list[int]) -> None:
    settings = make_settings(tmp_path, TIEPDAN_DATABASE=str(tiepdan.database))
    async with telegram_bot(settings) as bot:
        for person in users:
            await bot.text(person, "/start")


async def _audit(tmp_path: Path, tiepdan: Tiepdan) -> list[AuditEntry]:
    settings = make_settings(tmp_path, TIEPDAN_DATABASE=str(tiepdan.database))
    async with telegram_bot(settings) as bot:
        return await audit(bot, "role.change")


async def test_people_are_named_with_their_key_once_in_lists_and_alerts(tmp_path: Path) -> None:
    """The /canbo list, the confirmation and the other admins' alert name a person as
    «Nguyễn Văn A (telegram:…)» and the role with its site; a person whose channel gave no
    other name than the key is shown by the key alone, not twice."""
    async with telegram_bot(make_settings(tmp_path, SETTINGS)) as bot:
        await give_role(bot, PERSON, Role.STAFF, "main")
        await give_role(bot, OTHER, Role.ADMIN)
        async with bot.app.database.transaction() as conn:
            await conn.execute("UPDATE channel_users SET display_name = ? WHERE user_id = ?",
                               (key(PERSON), str(PERSON)))
        await bot.text(ADMIN, "/start")
        await bot.drain_outbox()
        listing = await bot.text(ADMIN, "/canbo")
        await press_member(bot, ADMIN, PERSON)
        await bot.press(ADMIN, "Đổi vai trò")
        confirm = await bot.press(ADMIN, "Lãnh đạo")
        await bot.press(ADMIN, "Có, thay đổi")
        await bot.drain_outbox()
        alert = next(m.text for m in reversed(bot.api.sent_to(OTHER)) if "🔐" in m.text)

    assert f"Nguyễn Văn A ({key(OTHER)})" in listing[0].text
    assert f"{key(PERSON)} ({key(PERSON)})" not in listing[0].text
    assert f"{key(PERSON)}: Cán bộ tiếp dân, Trụ sở chính" in listing[0].text
    assert confirm[0].text.startswith(f"Chuyển {key(PERSON)} từ Cán bộ tiếp dân (Trụ sở chính) "
                                      "thành Lãnh đạo (Trụ sở chính)?")
    assert alert.startswith(f"🔐 Thay đổi vai trò: {key(PERSON)} nay là Lãnh đạo "
                            "(Trụ sở chính); trước đây: Cán bộ tiếp dân (Trụ sở chính).")
