"""All routing in one visible place: flows, commands and global button actions.

The core (bot/dialog/core.py) answers /start, /huy and /trogiup in every state before it
looks here; everything else a person can reach is listed below.
"""

from __future__ import annotations

from bot.dialog.flow import Action, Command, Flow, Routes
from handlers import help as help_handlers
from handlers import info, language, menu, privacy, staff, start

FLOWS: list[Flow] = [
    menu.FLOW,  # the idle state: must exist, every flow ends here
    start.FLOW,
    info.FLOW,
    privacy.FLOW,
    language.FLOW,
    staff.INVITE,
    staff.ROLES,
]

COMMANDS: dict[str, Command] = {
    "moicanbo": Command(staff.command_invite, roles=staff.ADMIN_ONLY, help=staff.HELP_INVITE),
    "canbo": Command(staff.command_roles, roles=staff.ADMIN_ONLY, help=staff.HELP_ROLES),
}

ACTIONS: dict[str, Action] = {
    staff.MEMBER_ACTION: Action(staff.open_member, roles=staff.ADMIN_ONLY),
}


def build_routes() -> Routes:
    """Return the routing table the core runs on."""
    flows = {flow.name: flow for flow in FLOWS}
    if len(flows) != len(FLOWS):
        raise RuntimeError("two flows share a name")
    return Routes(
        flows=flows,
        commands=dict(COMMANDS),
        actions=dict(ACTIONS),
        start=start.command_start,
        help=help_handlers.command_help,
    )
