"""All routing in one visible place: flows, commands and global button actions.

The core (bot/dialog/core.py) answers /start, /huy and /trogiup in every state before it
looks here; everything else a person can reach is listed below.
"""

from __future__ import annotations

from bot.dialog.flow import Action, Command, Flow, Routes
from bot.domain.users import Role
from bot.i18n import N_
from bot.services import bookings, processing
from bot.services import reports as report_service
from handlers import (
    booking,
    inbox,
    info,
    language,
    lookup,
    menu,
    my_bookings,
    petition,
    petition_export,
    petition_status,
    privacy,
    queue,
    reception_days,
    register,
    register_export,
    reports,
    search,
    staff,
    start,
)
from handlers import help as help_handlers

FLOWS: list[Flow] = [
    menu.FLOW,  # the idle state: must exist, every flow ends here
    start.FLOW,
    info.FLOW,
    privacy.FLOW,
    language.FLOW,
    staff.INVITE,
    staff.ROLES,
    booking.FLOW,  # "book": the main menu's entry begins it
    my_bookings.FLOW,
    my_bookings.STATUS_FLOW,  # "booking_status": the lookup menu begins it with {"code": ...}
    reception_days.FLOW,
    petition.FLOW,  # the menu's "petition" entry begins it by name
    petition.SECOND_FLOW,
    lookup.FLOW,  # the menu's "lookup" entry begins it by name
    petition_status.STATUS_FLOW,
    petition_status.MINE_FLOW,
    register.BOOKED,  # queue's «done» begins it with the booking's data
    register.WALK_IN,  # queue's «without an appointment» begins it with the day and site
    register.REFUSAL,  # queue's «refuse reception» begins it with the booking's data
    inbox.FLOW,  # /don, and the search and notices open a petition in it by name
    search.FLOW,
    petition_export.FLOW,
    reports.FLOW,  # /baocao and a digest's «Open the report» begin it
    reports.SUBSCRIPTIONS,
]

COMMANDS: dict[str, Command] = {
    "moicanbo": Command(staff.command_invite, roles=staff.ADMIN_ONLY, help=staff.HELP_INVITE),
    "canbo": Command(staff.command_roles, roles=staff.ADMIN_ONLY, help=staff.HELP_ROLES),
    "lichhen": Command(my_bookings.command_my_bookings, help=N_("your appointments")),
    "ngaytiep": Command(reception_days.command_reception_days,
                        roles=frozenset({Role.STAFF, Role.LEADER, Role.ADMIN}),
                        help=N_("leaders' reception days: add, publish, postpone, cancel")),
    "hangdoi": Command(queue.command_queue, roles=queue.STAFF_ONLY, help=queue.HELP),
    "sotiep": Command(register_export.command_export, roles=queue.STAFF_ONLY,
                      help=register_export.HELP),
    "don": Command(inbox.command_inbox, roles=inbox.READERS, help=inbox.HELP),
    "timkiem": Command(search.command_search, roles=inbox.READERS, help=search.HELP),
    "xuatdon": Command(petition_export.command_export, roles=inbox.READERS,
                       help=petition_export.HELP),
    "baocao": Command(reports.command_report, roles=report_service.OFFICIALS,
                      help=reports.HELP_REPORT),
    # Who may subscribe is a setting: /trogiup lists the command only to those roles.
    "nhanbaocao": Command(reports.command_subscriptions, roles=reports.SUBSCRIBERS,
                          help=reports.HELP_SUBSCRIBE,
                          configured_roles=lambda settings: settings.reports.subscriber_roles),
    "tracuu": Command(lookup.command_lookup,
                      help=N_("look up a petition or an appointment by its code, for example "
                              "/tracuu D-7K4M-9QXR")),
}

# Buttons in reminders, offers and notices; each handler checks owner and status again.
ACTIONS: dict[str, Action] = {
    bookings.ACTION_WILL_COME: Action(my_bookings.action_will_come),
    bookings.ACTION_CANNOT_COME: Action(my_bookings.action_cannot_come),
    bookings.ACTION_MOVE: Action(my_bookings.action_move),
    bookings.ACTION_REBOOK: Action(my_bookings.action_rebook),
    bookings.ACTION_BOOK: Action(booking.action_book),
    bookings.ACTION_TAKE_OFFER: Action(booking.action_take_offer),
    bookings.ACTION_DECLINE_OFFER: Action(booking.action_decline_offer),
    staff.MEMBER_ACTION: Action(staff.open_member, roles=staff.ADMIN_ONLY),
    queue.ACTION_PAGE: Action(queue.action_page, roles=queue.STAFF_ONLY),
    queue.ACTION_MOVE: Action(queue.action_move, roles=queue.STAFF_ONLY),
    queue.ACTION_CARD: Action(queue.action_card, roles=queue.STAFF_ONLY),
    queue.ACTION_REFUSE: Action(queue.action_refuse, roles=queue.STAFF_ONLY),
    queue.ACTION_WALK_IN: Action(queue.action_walk_in, roles=queue.STAFF_ONLY),
    processing.ACTION_OPEN: Action(inbox.action_open, roles=inbox.READERS),
    report_service.ACTION_OPEN: Action(reports.action_open_report, roles=report_service.OFFICIALS),
    report_service.ACTION_EXCEL: Action(reports.action_excel, roles=report_service.OFFICIALS),
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
