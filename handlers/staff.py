"""Roles and access: admins invite people to roles, and list, change and revoke them.

    /moicanbo ─▶ choosing_invite_role ─▶ (several sites) choosing_invite_site ─▶ link ─▶ menu

    /canbo ─▶ choosing_member ─▶ choosing_member_action ─┬─ change role ─▶ choosing_new_role ─┐
                 ▲    (pages, ➕ invite)                  ├─ change site ─▶ choosing_new_site ─┤
                 │                                        └─ revoke ──────────────────────────┤
                 │                                                                             ▼
                 ├── done ◀── ✅ «Có» ◀────────────────────────────────────── confirming_change
                 ├── done ◀── waiting_for_change_reason ◀── 📝 «Có, kèm lý do» ◀──────┤
                 └── the card ◀── ✖ «Không» ◀─────────────────────────────────────────┘
    At confirming_change a yes is the button, or «có», «đồng ý», «yes» typed alone; «không»,
    «thôi», «hủy», «để sau» change nothing; anything else is asked again (nothing is implied).

    /start inv-… ─▶ the role is granted, or a polite refusal ─▶ menu
    👤 Open (g|staff_member|channel:user, on role-change alerts) ─▶ choosing_member_action
"""

from __future__ import annotations

from bot.config import Settings
from bot.dialog.flow import Flow, Step, Turn, action_data, esc, no_option, option, yes_option
from bot.domain.choices import NO_WORDS, Option
from bot.domain.conversation import Expect
from bot.domain.messages import Button, Reply
from bot.domain.staff import GRANTABLE_ROLES, RoleChange, StaffMember, parse_user_key, user_key
from bot.domain.text import fold_words
from bot.domain.users import Role
from bot.i18n import N_, _, format_datetime
from bot.services import Services
from bot.services.staff import (
    CLI_CHANNEL,
    MAX_INVITATION_HOURS,
    NewInvitation,
    Opened,
    Refusal,
    StaffChangeError,
)
from handlers import menu

ADMIN_ONLY = frozenset({Role.ADMIN})
INVITE_FLOW = "staff_invite"
ROLES_FLOW = "staff_roles"
MEMBER_ACTION = "staff_member"
PAGE_SIZE = 8
ALL_SITES = "*"
OPEN = "open"  # a member to open at once when the roles flow begins (from an alert's button)
REASON_CHARS = 200

_ROLE_LABELS = {
    Role.CITIZEN: N_("Citizen"),
    Role.STAFF: N_("Reception staff"),
    Role.LEADER: N_("Leader"),
    Role.POLICE: N_("Police liaison"),
    Role.ADMIN: N_("Administrator"),
}

_ROLE_PURPOSES = {
    Role.CITIZEN: N_("book appointments and submit petitions, as every citizen can"),
    Role.STAFF: N_("work the day's queue, the reception register and the petitions"),
    Role.LEADER: N_("read summaries and reports, and receive alerts"),
    Role.POLICE: N_("receive alerts about mass delegations and security at the reception "
                    "office"),
    Role.ADMIN: N_("invite staff and manage their roles, and do everything reception staff "
                   "do"),
}


# -- words shared by the chat and the command line ---------------------------------------------


def role_label(role: Role) -> str:
    """Return the name of a role as people read it."""
    return _(_ROLE_LABELS[role])


def site_label(settings: Settings, site: str | None) -> str:
    """Return the name of a reception site, or "all sites"."""
    if site is None:
        # With one site, "all sites" is that site: say its name.
        return settings.sites[0].name if len(settings.sites) == 1 else _("all sites")
    for known in settings.sites:
        if known.id == site:
            return known.name
    return site


def refusal_text(refusal: Refusal, settings: Settings) -> str:
    """Explain why a staff change was not made, and what to do instead."""
    if refusal is Refusal.NOT_ADMIN:
        return _("Only an administrator can do this.")
    if refusal is Refusal.UNKNOWN_PERSON:
        return _("I do not know this person yet: they must first write to the bot (send "
                 "/start), then try again.")
    if refusal is Refusal.UNKNOWN_SITE:
        return _("There is no reception site with this id. The sites are: {sites}.").format(
            sites=", ".join(site.id for site in settings.sites))
    if refusal is Refusal.NOT_GRANTABLE:
        return _("An invitation is for reception staff, a leader, the police liaison or an "
                 "administrator.")
    if refusal is Refusal.BAD_HOURS:
        return _("An invitation can be valid from 1 to {hours} hours.").format(
            hours=MAX_INVITATION_HOURS)
    if refusal is Refusal.NO_CHANGE:
        return _("Nothing to change: the person already has this role and site.")
    if refusal is Refusal.LAST_ADMIN:
        return _("This is the only administrator. Without one, nobody could invite staff or "
                 "change roles any more. Make someone else an administrator first.")
    return _("This person is an administrator through the settings file (the admins list), so "
             "their next message would make them administrator again. Remove them from that "
             "list first.")


def role_at(settings: Settings, role: Role, site: str | None, *, html: bool = False) -> str:
    """Return a role with its site («Cán bộ tiếp dân (Trụ sở chính)»); a citizen has none."""
    label = f"<b>{role_label(role)}</b>" if html else role_label(role)
    if role is Role.CITIZEN:
        return label
    where = site_label(settings, site)
    return f"{label} ({esc(where) if html else where})"


def person_name(member: StaffMember) -> str:
    """Return a person's name as the channel gave it, or their channel:user key."""
    return member.user.display_name or member.key


def person_label(member: StaffMember) -> str:
    """Return a person's name with their channel:user key, or the key alone (plain text)."""
    return _who_is(member.key, member.user.display_name)


def person_title(member: StaffMember) -> str:
    """Return a person's name in bold with their channel:user key (HTML)."""
    if not member.user.display_name or member.user.display_name == member.key:
        return f"<b>{esc(member.key)}</b>"
    return f"<b>{esc(member.user.display_name)}</b> ({esc(member.key)})"


def _who_is(key: str, name: str | None) -> str:
    """Return «name (key)», or the key alone when the channel gave no other name."""
    return f"{name} ({key})" if name and name != key else key


async def announce(services: Services, change: RoleChange, *, tell_member: bool = True) -> None:
    """Tell the person about their new role, and alert the other admins (anchors §5.7)."""
    settings = services.ctx.settings
    member = change.member
    role = member.user.role
    if tell_member:
        def build_notice() -> Reply:
            if role is Role.CITIZEN:
                text = _("Your role in the assistant of the {office} has been removed (you were "
                         "{previous}). You can still use the citizen services.").format(
                    office=esc(settings.office.name), previous=role_label(change.previous_role))
            elif change.role_changed:
                text = _("Your role in the assistant of the {office} is now <b>{role}</b> "
                         "({site}): you can {purpose}. Send /trogiup to see your commands.").format(
                    office=esc(settings.office.name), role=role_label(role),
                    site=esc(site_label(settings, member.site)), purpose=_(_ROLE_PURPOSES[role]))
            else:
                text = _("You now work at {site}; your lists will show that site.").format(
                    site=esc(site_label(settings, member.site)))
            return Reply(text=text)

        await services.outbox.send_to(member.user, "staff.role_changed", build_notice)
    inviter = change.invitation.created_by if change.invitation else None
    who = inviter or change.by
    who_name = await _display_name(services, who)
    for admin in await services.users.with_roles(Role.ADMIN):
        key = user_key(admin.channel, admin.user_id)
        if key in (change.by, member.key):
            continue

        def build_alert() -> Reply:
            lines = [_("🔐 Role change: {person} is now {now}; before: {before}.").format(
                person=esc(person_label(member)),
                now=role_at(settings, role, member.site, html=True),
                before=esc(role_at(settings, change.previous_role, change.previous_site)))]
            if change.invitation is not None:
                lines.append(_("Through an invitation made by {who}.").format(
                    who=esc(_who(who, who_name))))
            else:
                lines.append(_("Made by: {who}.").format(who=esc(_who(who, who_name))))
                if change.reason:
                    lines.append(_("Reason: {reason}").format(reason=esc(change.reason)))
            return Reply(text="\n".join(lines),
                         buttons=(Button(_("👤 Open"), action_data(MEMBER_ACTION, member.key)),))

        await services.outbox.send_to(admin, "staff.role_alert", build_alert)


async def _display_name(services: Services, key: str | None) -> str | None:
    """Return the name the channel gave the person ``key``, if any."""
    parts = parse_user_key(key or "")
    member = await services.staff.member(*parts) if parts is not None else None
    return member.user.display_name if member is not None else None


def _who(key: str | None, name: str | None) -> str:
    """Say who made a change, in the reader's language (call it inside a message builder)."""
    parts = parse_user_key(key or "")
    if key is None or parts is None:
        return _("the system")
    if parts[0] == CLI_CHANNEL:
        return _("the command line (system user {user})").format(user=parts[1])
    return _who_is(key, name)


# -- /start inv-…: opening an invitation ---------------------------------------------------------


async def open_invitation(turn: Turn, token: str) -> bool:
    """Open an invitation from /start; tell whether the person now holds its role."""
    outcome = await turn.services.staff.open_invitation(turn.user, token)
    settings = turn.settings
    invitation = outcome.invitation
    if outcome.opened is Opened.GRANTED and outcome.change is not None:
        await announce(turn.services, outcome.change, tell_member=False)
        turn.say(welcome(turn, outcome.change.member))
        return True
    if outcome.opened is Opened.ALREADY_YOURS and invitation is not None:
        turn.say(_("You have already accepted this invitation: you are {role} ({site}).").format(
            role=role_label(turn.role), site=esc(site_label(
                settings, await turn.services.staff.site_of(turn.user)))))
        return True
    if outcome.opened is Opened.EXPIRED and invitation is not None:
        turn.say(_("Sorry, this invitation expired on {time}. Please ask the office's "
                   "administrator for a new one.").format(
                       time=format_datetime(invitation.expires_at)))
    elif outcome.opened is Opened.USED:
        turn.say(_("Sorry, this invitation has already been used: each one works only once. "
                   "Please ask the office's administrator for a new one."))
    elif outcome.opened is Opened.ADMIN_KEPT and invitation is not None:
        turn.say(_("You are an administrator, so this invitation to be {role} was not used: it "
                   "stays valid for the person it was made for.").format(
                       role=role_label(invitation.role)))
    else:
        turn.say(_("Sorry, this invitation link is not valid. Please check that the whole link "
                   "was opened, or ask the office's administrator for a new one."))
    return False


def welcome(turn: Turn, member: StaffMember) -> str:
    """Tell a person their new role, what it is for, and the commands it opens."""
    role = member.user.role
    lines = [_("✅ Welcome! You are now <b>{role}</b> in the assistant of the {office} "
               "({site}): you can {purpose}.").format(
        role=role_label(role), office=esc(turn.settings.office.name),
        site=esc(site_label(turn.settings, member.site)), purpose=_(_ROLE_PURPOSES[role]))]
    commands = [f"/{name}: {_(command.help)}"
                for name, command in turn.dialog.routes.commands.items()
                if command.help and command.restricted and command.allows(role, turn.settings)]
    if commands:
        lines.append(_("Your commands:"))
        lines.extend(commands)
    lines.append(_("Send /trogiup at any time to see what you can do."))
    return "\n".join(lines)


# -- /moicanbo: make an invitation ---------------------------------------------------------------


async def command_invite(turn: Turn) -> None:
    """Start making an invitation."""
    await turn.begin(INVITE_FLOW)


def _role_options(exclude: Role | None = None) -> list[Option]:
    aliases = {
        Role.STAFF: ("can bo", "tiep dan", "staff"),
        Role.LEADER: ("lanh dao", "leader"),
        Role.POLICE: ("cong an", "police"),
        Role.ADMIN: ("quan tri", "admin"),
    }
    return [option(role_label(role), role.value, *aliases[role])
            for role in GRANTABLE_ROLES if role is not exclude]


async def ask_invite_role(turn: Turn) -> None:
    """Ask which role the invitation gives."""
    turn.ask(_("Which role should the invitation give?"), _role_options())


async def receive_invite_role(turn: Turn) -> None:
    """Keep the role; ask the site when there are several, else make the invitation."""
    turn.data["role"] = turn.choice
    if len(turn.settings.sites) > 1:
        await turn.goto("choosing_invite_site")
        return
    await _make_invitation(turn, None)


def _site_options(settings: Settings, current: str | None = None, *,
                  all_sites: bool = True) -> list[Option]:
    options = [option(site.name, site.id, site.id) for site in settings.sites
               if site.id != current]
    if all_sites:
        options.append(option(_("All sites"), ALL_SITES, "tat ca"))
    return options


async def ask_invite_site(turn: Turn) -> None:
    """Ask which reception site the person will work at."""
    turn.ask(_("At which reception site will they work?"), _site_options(turn.settings))


async def receive_invite_site(turn: Turn) -> None:
    """Make the invitation for the chosen site."""
    await _make_invitation(turn, None if turn.choice == ALL_SITES else turn.choice)


async def _make_invitation(turn: Turn, site: str | None) -> None:
    try:
        made = await turn.services.staff.invite(Role(turn.data["role"]), site)
    except StaffChangeError as refused:
        turn.say(refusal_text(refused.refusal, turn.settings))
        await turn.finish()
        return
    turn.say(await invitation_text(turn, made))
    await turn.finish()


async def invitation_text(turn: Turn, made: NewInvitation) -> str:
    """Show a new invitation: what it gives, until when, the link and the /start form."""
    invitation = made.invitation
    lines = [_("✉️ Invitation made: <b>{role}</b> ({site}). It works once, until {time}.").format(
        role=role_label(invitation.role), site=esc(site_label(turn.settings, invitation.site)),
        time=format_datetime(invitation.expires_at))]
    links = await turn.services.links.start_links()
    if links:
        lines.append(_("Send this link to the person; opening it gives them the role:"))
        lines.extend(esc(link.to(made.token)) for link in links)
    lines.append(_("Or they can send this message to the bot: {command}").format(
        command=f"<code>/start {esc(made.token)}</code>"))
    lines.append(_("Do not post it in a group: whoever opens it first gets the role."))
    return "\n".join(lines)


INVITE = Flow(
    name=INVITE_FLOW,
    title=N_("Staff invitation"),
    steps={
        "choosing_invite_role": Step(ask_invite_role, receive_invite_role),
        "choosing_invite_site": Step(ask_invite_site, receive_invite_site),
    },
    first="choosing_invite_role",
    roles=ADMIN_ONLY,
)


# -- /canbo: list, change and revoke roles -------------------------------------------------------


async def command_roles(turn: Turn) -> None:
    """Show the people with a role."""
    await turn.begin(ROLES_FLOW)


async def open_member(turn: Turn, arg: str) -> None:
    """Open a person's card from an alert's button (the role was checked by the core)."""
    if parse_user_key(arg) is None:
        turn.say(_("That button belongs to an earlier message and no longer works."))
        await menu.ask_what_next(turn)
        return
    await turn.begin(ROLES_FLOW, {OPEN: arg})


async def _chosen_member(turn: Turn) -> StaffMember | None:
    parts = parse_user_key(str(turn.data.get("member", "")))
    return await turn.services.staff.member(*parts) if parts else None


async def ask_member(turn: Turn) -> None:
    """List the people with a role, a page at a time; each is a button."""
    opened = turn.data.pop(OPEN, None)
    if opened is not None:
        parts = parse_user_key(str(opened))
        if parts is not None and await turn.services.staff.member(*parts) is not None:
            turn.data["member"] = opened
            await turn.goto("choosing_member_action")
            return
        turn.say(_("I do not know this person."))
    members = await turn.services.staff.members()
    pages = max(1, (len(members) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(0, int(turn.data.get("page", 0))), pages - 1)
    turn.data["page"] = page
    shown = members[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    lines = [_("<b>People with a role</b> ({count}). Choose one to change or revoke their "
               "role:").format(count=len(members))]
    options: list[Option] = []
    for number, member in enumerate(shown, start=page * PAGE_SIZE + 1):
        role = role_label(member.user.role)
        lines.append(f"{number}. {person_title(member)}: {role}, "
                     f"{esc(site_label(turn.settings, member.site))}")
        options.append(option(f"{person_name(member)[:40]} · {role}", f"m:{member.key}"))
    if pages > 1:
        lines.append(_("Page {page} of {pages}.").format(page=page + 1, pages=pages))
    if page > 0:
        options.append(option(_("◀ Previous page"), "prev", "truoc"))
    if page < pages - 1:
        options.append(option(_("Next page ▶"), "next", "tiep", "sau"))
    options.append(option(_("➕ Invite someone"), "invite", "moi"))
    turn.ask("\n".join(lines), options)


async def receive_member(turn: Turn) -> None:
    """Open the chosen person, turn the page, or go to the invitation."""
    choice = turn.choice or ""
    if choice in ("prev", "next"):
        turn.data["page"] = int(turn.data.get("page", 0)) + (1 if choice == "next" else -1)
        await ask_member(turn)
        return
    if choice == "invite":
        await turn.begin(INVITE_FLOW)
        return
    turn.data["member"] = choice.removeprefix("m:")
    await turn.goto("choosing_member_action")


async def ask_member_action(turn: Turn) -> None:
    """Show the person's card: role, site, last message; ask what to change."""
    member = await _chosen_member(turn)
    if member is None:  # the key came from our own list; the person cannot vanish
        turn.ask(_("I do not know this person."), [])
        return
    role = member.user.role
    text = "\n".join([
        person_title(member),
        _("Role: {role}").format(role=role_label(role)),
        _("Site: {site}").format(site=esc(site_label(turn.settings, member.site))),
        _("Last message: {time}").format(time=format_datetime(member.user.last_seen_at)),
        "",
        _("What do you want to do?"),
    ])
    options = [option(_("🔁 Change the role") if role is not Role.CITIZEN else _("🔁 Give a role"),
                      "role", "doi vai tro", "vai tro")]
    if role is not Role.CITIZEN and len(turn.settings.sites) > 1:
        options.append(option(_("🏢 Change the site"), "site", "doi tru so", "tru so"))
    if role is not Role.CITIZEN:
        options.append(option(_("⛔ Revoke the role"), "revoke", "thu hoi", "go bo"))
    turn.ask(text, options)


async def receive_member_action(turn: Turn) -> None:
    """Go to the chosen change."""
    member = await _chosen_member(turn)
    if member is None:
        await turn.begin(ROLES_FLOW)
        return
    if turn.choice == "role":
        await turn.goto("choosing_new_role")
    elif turn.choice == "site":
        await turn.goto("choosing_new_site")
    else:
        turn.data["new_role"] = Role.CITIZEN.value
        turn.data["new_site"] = None
        await turn.goto("confirming_change")


async def ask_new_role(turn: Turn) -> None:
    """Ask for the person's new role."""
    member = await _chosen_member(turn)
    current = member.user.role if member else None
    turn.ask(_("Which role should {name} have?").format(
        name=esc(person_name(member)) if member else ""), _role_options(exclude=current))


async def receive_new_role(turn: Turn) -> None:
    """Keep the new role (the site stays) and ask to confirm."""
    member = await _chosen_member(turn)
    turn.data["new_role"] = turn.choice
    turn.data["new_site"] = member.site if member else None
    await turn.goto("confirming_change")


async def ask_new_site(turn: Turn) -> None:
    """Ask for the person's new reception site."""
    member = await _chosen_member(turn)
    turn.ask(_("At which reception site should {name} work?").format(
        name=esc(person_name(member)) if member else ""),
        _site_options(turn.settings, member.site if member else None,
                      all_sites=member is not None and member.site is not None))


async def receive_new_site(turn: Turn) -> None:
    """Keep the new site (the role stays) and ask to confirm."""
    member = await _chosen_member(turn)
    turn.data["new_role"] = member.user.role.value if member else Role.CITIZEN.value
    turn.data["new_site"] = None if turn.choice == ALL_SITES else turn.choice
    await turn.goto("confirming_change")


async def ask_confirm_change(turn: Turn) -> None:
    """Say exactly what will change and ask to confirm it explicitly."""
    member = await _chosen_member(turn)
    if member is None:
        turn.ask(_("I do not know this person."), [])
        return
    settings = turn.settings
    new_role = Role(turn.data["new_role"])
    new_site = turn.data.get("new_site")
    name = esc(person_name(member))
    if new_role is Role.CITIZEN:
        question = _("Revoke the role of {name} ({role})? They will only be able to use the "
                     "citizen services.").format(name=name, role=role_label(member.user.role))
        yes = _("✅ Yes, revoke")
    elif new_role is member.user.role:
        question = _("Move {name} from {old} to {new}?").format(
            name=name, old=esc(site_label(settings, member.site)),
            new=esc(site_label(settings, new_site)))
        yes = _("✅ Yes, change")
    else:
        question = _("Make {name} {new} instead of {old}?").format(
            name=name, new=esc(role_at(settings, new_role, new_site)),
            old=esc(role_at(settings, member.user.role, member.site)))
        yes = _("✅ Yes, change")
    hint = _("Tap «Yes» to confirm. To keep a reason with the change, tap «Yes, with a "
             "reason».")
    turn.ask(f"{question}\n{hint}", [
        yes_option(yes),
        option(_("📝 Yes, with a reason"), "reason", "co ly do", "kem ly do", "with a reason"),
        no_option(_("✖ No, keep as it is"), "no"),
    ], expect=Expect.CONFIRM)


async def receive_confirm_change(turn: Turn) -> None:
    """Make the change on an explicit yes, ask for the reason first, or change nothing."""
    member = await _chosen_member(turn)
    if turn.choice == "no" or member is None:
        await _keep_as_it_is(turn, member)
    elif turn.choice == "reason":
        await turn.goto("waiting_for_change_reason")
    else:
        await _make_change(turn, member, "")


async def ask_change_reason(turn: Turn) -> None:
    """Ask for the reason kept with the change."""
    turn.ask(_("Please type the reason. It is kept with the change in the audit log."),
             [option(_("✖ No, make no change"), "no")], expect=Expect.TEXT)


async def receive_change_reason(turn: Turn) -> None:
    """Make the change with the typed reason (the yes was given already), or take it back."""
    member = await _chosen_member(turn)
    text = " ".join((turn.text or "").split())
    if turn.choice == "no" or member is None or fold_words(text) in NO_WORDS:
        await _keep_as_it_is(turn, member)
        return
    await _make_change(turn, member, text[:REASON_CHARS])


async def _keep_as_it_is(turn: Turn, member: StaffMember | None) -> None:
    turn.say(_("Nothing was changed."))
    await turn.begin(ROLES_FLOW, {OPEN: member.key} if member else None)


async def _make_change(turn: Turn, member: StaffMember, reason: str) -> None:
    """Make the change (the service re-checks everything), tell everyone, show the list."""
    new_site = turn.data.get("new_site")
    try:
        change = await turn.services.staff.assign(
            member.user.channel, member.user.user_id, Role(turn.data["new_role"]),
            str(new_site) if new_site is not None else None, reason[:REASON_CHARS])
    except StaffChangeError as refused:
        turn.say(refusal_text(refused.refusal, turn.settings))
        await turn.begin(ROLES_FLOW, {OPEN: member.key})
        return
    await announce(turn.services, change)
    after = change.member
    turn.say(_("Done: {name} is now {now}. They have been told in the chat.").format(
        name=esc(person_name(after)), now=esc(role_at(turn.settings, after.user.role,
                                                      after.site))))
    await turn.begin(ROLES_FLOW)


ROLES = Flow(
    name=ROLES_FLOW,
    title=N_("Staff roles"),
    steps={
        "choosing_member": Step(ask_member, receive_member),
        "choosing_member_action": Step(ask_member_action, receive_member_action),
        "choosing_new_role": Step(ask_new_role, receive_new_role),
        "choosing_new_site": Step(ask_new_site, receive_new_site),
        "confirming_change": Step(ask_confirm_change, receive_confirm_change),
        "waiting_for_change_reason": Step(ask_change_reason, receive_change_reason),
    },
    first="choosing_member",
    roles=ADMIN_ONLY,
)

HELP_INVITE = N_("invite someone to be reception staff, a leader, the police liaison or an "
                 "administrator")
HELP_ROLES = N_("see the people with a role; change or revoke their role")
