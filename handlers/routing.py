"""All routing in one visible place: flows, commands and global button actions.

The core (bot/dialog/core.py) answers /start, /huy and /trogiup in every state before it
looks here; everything else a person can reach is listed below.
"""

from __future__ import annotations

from bot.dialog.flow import Action, Command, Flow, Routes
from bot.i18n import N_
from handlers import help as help_handlers
from handlers import info, language, lookup, menu, petition, petition_status, privacy, start

FLOWS: list[Flow] = [
    menu.FLOW,  # the idle state: must exist, every flow ends here
    start.FLOW,
    info.FLOW,
    privacy.FLOW,
    language.FLOW,
    petition.FLOW,  # the menu's "petition" entry begins it by name
    petition.SECOND_FLOW,
    lookup.FLOW,  # the menu's "lookup" entry begins it by name
    petition_status.STATUS_FLOW,
    petition_status.MINE_FLOW,
]

COMMANDS: dict[str, Command] = {
    "tracuu": Command(lookup.command_lookup,
                      help=N_("look up a petition or an appointment by its code, for example "
                              "/tracuu D-7K4M-9QXR")),
}

ACTIONS: dict[str, Action] = {}


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
