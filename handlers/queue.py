"""/hangdoi [date] (staff): the day's bookings at a site, one tap for each step of a reception.

    /hangdoi [hôm nay|mai|27/11] ─▶ the queue: a page of bookings in time order
    ✅ arrived · ▶ start · 🚫 did not come ──────▶ the queue again (status re-checked)
    📝 done ─▶ the register entry, pre-filled from the booking (handlers/register.py)
    ⋯ ─▶ the booking's card ─▶ any tap above, or ⛔ refuse reception (a register row too)
    ➕ without an appointment ─▶ a register entry from scratch (or ⛔ a refusal)
    ◀ ▶ pages · 🏢 another site · 🔄 refresh ─▶ the queue

Every button is a global action: the core checks the role on each press (and audits a
refusal), and each handler checks the booking's status again, so a stale or forged button
gets a polite answer and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.dialog.flow import Turn, action_data, esc
from bot.domain.booking import Booking, BookingStatus, DateProblem, parse_day
from bot.domain.messages import Button
from bot.domain.person import PersonIdentity
from bot.domain.register import (
    MoveRefusal,
    QueueEntry,
    QueueMove,
    ReceptionMode,
    VisitEntry,
    moves_from,
    next_move,
)
from bot.domain.users import Role
from bot.i18n import N_, _, format_date, format_time, ngettext, people_count
from bot.services.identity import id_paper_line
from bot.services.register import QUEUE_PAGE_SIZE, MoveRefused
from handlers.booking import date_problem_text
from handlers.staff import site_label

STAFF_ONLY = frozenset({Role.STAFF, Role.ADMIN})
BOOKED_FLOW = "register_booked"  # the flows of handlers/register.py
WALK_IN_FLOW = "register_walk_in"
REFUSAL_FLOW = "register_refusal"
ACTION_PAGE = "q_page"  # arg: YYYY-MM-DD:site:page
ACTION_MOVE = "q_move"  # arg: move:booking_id:page
ACTION_CARD = "q_card"  # arg: booking_id:page
ACTION_REFUSE = "q_refuse"  # arg: booking_id
ACTION_WALK_IN = "q_walkin"  # arg: YYYY-MM-DD:site[:r]
TOPIC_SHOWN = 80
HELP = N_("the day's queue: check-in, reception, register entries, walk-ins, for example "
          "/hangdoi mai")

_STATUS_LABELS = {
    BookingStatus.BOOKED: N_("booked"),
    BookingStatus.ARRIVED: N_("arrived"),
    BookingStatus.BEING_RECEIVED: N_("being received"),
    BookingStatus.DONE: N_("done"),
    BookingStatus.NO_SHOW: N_("did not come"),
    BookingStatus.CANCELLED: N_("cancelled"),
}
_STATUS_ICONS = {
    BookingStatus.BOOKED: "⏳", BookingStatus.ARRIVED: "🟢", BookingStatus.BEING_RECEIVED: "💬",
    BookingStatus.DONE: "✔️", BookingStatus.NO_SHOW: "🚫", BookingStatus.CANCELLED: "✖️",
}


def status_label(status: BookingStatus) -> str:
    """Return a booking's status as staff read it."""
    return _(_STATUS_LABELS[status])


def _move_label(move: QueueMove, number: int | None = None) -> str:
    labels = {
        QueueMove.ARRIVE: _("✅ Arrived"),
        QueueMove.START: _("▶ Start reception"),
        QueueMove.DONE: _("📝 Done: register entry"),
        QueueMove.NO_SHOW: _("🚫 Did not come"),
    }
    label = labels[move]
    return f"{label} · {number}" if number is not None else label


def code_tag(code: str) -> str:
    """Return a code as HTML that is easy to copy."""
    return f"<code>{esc(code)}</code>"


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return esc(flat if len(flat) <= TOPIC_SHOWN else flat[:TOPIC_SHOWN - 1].rstrip() + "…")


# -- /hangdoi -----------------------------------------------------------------------------------


async def default_site(turn: Turn) -> str:
    """Return the site whose queue a person sees first: their own, else the first one."""
    own = await turn.services.staff.site_of(turn.user)
    return own or turn.settings.sites[0].id


async def command_queue(turn: Turn) -> None:
    """Show the queue of the typed day (today by default) at the person's site."""
    today = turn.services.register.today
    typed = " ".join(turn.incoming.args).strip()
    day = parse_day(typed, today) if typed else today
    if isinstance(day, DateProblem):
        turn.say(date_problem_text(day) + "\n" + _("For example: /hangdoi, /hangdoi mai, "
                                                   "/hangdoi 27/11."))
        return
    await show_queue(turn, day, await default_site(turn), 0)


async def show_queue(turn: Turn, day: date, site_id: str, page: int,
                     head: str | None = None) -> None:
    """Send one page of the queue of ``day`` at ``site_id``, with its buttons."""
    services = turn.services
    queue = await services.register.queue(day, site_id, page)
    today = services.register.today
    lines = [head] if head else []
    lines.append(_("<b>Queue of {day}</b> · {site}").format(
        day=format_date(day, "weekday"), site=esc(site_label(turn.settings, site_id))))
    if queue.total:
        counts = ", ".join([f"{status_label(status)}: {count}"
                            for status, count in queue.by_status.items() if count]
                           + ([_("refused reception: {count}").format(count=queue.refused)]
                              if queue.refused else []))
        lines.append(ngettext("{total} appointment ({counts}).",
                              "{total} appointments ({counts}).", queue.total).format(
                                  total=queue.total, counts=counts))
    else:
        lines.append(_("No appointments on this day."))
    lines.append(_("Register entries of the day: {count}.").format(count=queue.recorded_today))
    buttons: list[Button] = []
    first = queue.page * QUEUE_PAGE_SIZE
    for number, entry in enumerate(queue.entries, start=first + 1):
        lines.append("")
        lines.extend(_entry_lines(number, entry))
        move = next_move(entry.booking.status)
        if move is not None and day <= today:
            buttons.append(Button(_move_label(move, number), action_data(
                ACTION_MOVE, f"{move.value}:{entry.booking.id}:{queue.page}")))
            buttons.append(Button(f"⋯ {number}", action_data(
                ACTION_CARD, f"{entry.booking.id}:{queue.page}")))
    if queue.pages > 1:
        lines.append("")
        lines.append(_("Page {page} of {pages}.").format(page=queue.page + 1, pages=queue.pages))
    key = f"{day.isoformat()}:{site_id}"
    if queue.page > 0:
        buttons.append(Button(_("◀ Previous page"),
                              action_data(ACTION_PAGE, f"{key}:{queue.page - 1}")))
    if queue.page < queue.pages - 1:
        buttons.append(Button(_("Next page ▶"), action_data(ACTION_PAGE,
                                                           f"{key}:{queue.page + 1}")))
    if day <= today:
        buttons.append(Button(_("➕ Citizen without an appointment"),
                              action_data(ACTION_WALK_IN, key)))
        buttons.append(Button(_("⛔ Refuse reception (no appointment)"),
                              action_data(ACTION_WALK_IN, f"{key}:r")))
    buttons.append(Button(_("🔄 Refresh"), action_data(ACTION_PAGE, f"{key}:{queue.page}")))
    if await services.staff.site_of(turn.user) is None:
        for site in turn.settings.sites:
            if site.id != site_id:
                buttons.append(Button(_("🏢 {site}").format(site=site.name[:40]),
                                      action_data(ACTION_PAGE, f"{day.isoformat()}:{site.id}:0")))
    turn.say("\n".join(lines), buttons=buttons, columns=2)


def _entry_lines(number: int, entry: QueueEntry) -> list[str]:
    booking = entry.booking
    head = _("{number}. <b>{time}</b> · <code>{code}</code> · {name} · {people}").format(
        number=number, time=format_time(booking.slot.starts_at), code=esc(booking.code),
        name=esc(booking.identity.full_name), people=people_count(booking.people))
    if entry.mass_delegation:
        head += " · " + _("🚨 mass delegation")
    detail = [_excerpt(booking.topic)]
    if booking.petition_code:
        detail.append(_("petition {code}").format(code=code_tag(booking.petition_code)))
    detail.append(_("⛔ reception refused") if entry.refused else
                  f"{_STATUS_ICONS[booking.status]} {status_label(booking.status)}")
    if entry.register_serial is not None:
        detail.append(_("register no. {serial}").format(serial=entry.register_serial))
    if entry.no_shows:
        detail.append(_("⚠️ no-shows: {count}").format(count=entry.no_shows))
    return [head, "   " + " · ".join(detail)]


def identity_lines(identity: PersonIdentity) -> list[str]:
    """Return who the citizen is, phone and CCCD masked, for a card or a review."""
    lines = [_("Full name: {name}").format(name=esc(identity.full_name))]
    if identity.address:
        lines.append(_("Address: {address}").format(address=esc(identity.address)))
    if identity.phone_masked:
        lines.append(_("Phone: {phone}").format(phone=esc(identity.phone_masked)))
    lines.append(esc(id_paper_line(identity.cccd_masked)))
    return lines


def _entry_data(entry: VisitEntry) -> dict[str, Any]:
    return {
        "site_id": entry.site_id, "day": entry.received_on.isoformat(),
        "mode": entry.mode.value, "leader_id": entry.leader_id,
        "leader_title": entry.leader_title, "reception_day_id": entry.reception_day_id,
        "booking_id": entry.booking_id, "petition_id": entry.petition_id,
        "identity": entry.identity.to_json(), "people": entry.people, "summary": entry.summary,
    }


async def begin_from_booking(turn: Turn, booking: Booking, *, refuse: bool) -> None:
    """Open the register entry (or a refusal) for a booked citizen, pre-filled."""
    register = turn.services.register
    entry = await register.prefill(booking)
    data = _entry_data(entry)
    withheld = await register.petition_withheld(booking.petition_code,
                                                where=f"booking:{booking.code}")
    data.update(booking_code=booking.code,
                petition_code=None if withheld else booking.petition_code,
                petition_withheld=withheld, refused=refuse, walk_in=False)
    await turn.begin(REFUSAL_FLOW if refuse else BOOKED_FLOW, data)


async def begin_walk_in(turn: Turn, day: date, site_id: str, *, refuse: bool) -> None:
    """Open a register entry (or a refusal) for a citizen without an appointment."""
    leader_days = await turn.services.register.leader_days(site_id, day)
    await turn.begin(WALK_IN_FLOW, {
        "site_id": site_id, "day": day.isoformat(), "mode": ReceptionMode.REGULAR.value,
        "refused": refuse, "walk_in": True, "identity": {},
        "leader_days": [d.id for d in leader_days],
    })


# -- the buttons ---------------------------------------------------------------------------------


def _stale(turn: Turn) -> None:
    turn.say(_("That button belongs to an earlier message and no longer works."))


def _parts(arg: str, count: int) -> list[str] | None:
    parts = arg.split(":")
    return parts if len(parts) == count and all(parts) else None


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 12 else None


def _day_and_site(turn: Turn, day_text: str, site_id: str) -> date | None:
    if site_id not in turn.services.register.site_ids():
        return None
    try:
        return date.fromisoformat(day_text)
    except ValueError:
        return None


async def action_page(turn: Turn, arg: str) -> None:
    """Show a page of a day's queue (paging, refresh, another site)."""
    parts = _parts(arg, 3)
    day = _day_and_site(turn, parts[0], parts[1]) if parts else None
    page = _number(parts[2]) if parts else None
    if parts is None or day is None or page is None:
        _stale(turn)
        return
    await show_queue(turn, day, parts[1], page)


def _refused_text(refused: MoveRefused) -> str:
    booking = refused.booking
    if refused.reason is MoveRefusal.NOT_FOUND or booking is None:
        return _("That appointment no longer exists.")
    if refused.reason is MoveRefusal.WRONG_STATUS:
        return _("The appointment {code} is already «{status}»: someone may have marked it "
                 "meanwhile. Here is the queue as it is now.").format(
            code=esc(booking.code), status=status_label(booking.status))
    if refused.reason is MoveRefusal.FUTURE_DAY:
        return _("The appointment {code} is on {day}: it can be marked on that day.").format(
            code=esc(booking.code), day=format_date(booking.slot.starts_at, "short"))
    return _("The appointment {code} starts at {time}: it can be marked as not come only "
             "after that.").format(code=esc(booking.code),
                                   time=format_time(booking.slot.starts_at))


async def _back_to_queue(turn: Turn, booking: Booking | None, page: int,
                         head: str | None) -> None:
    if booking is None:
        if head:
            turn.say(head)
        return
    day = turn.services.register.local_day(booking.slot.starts_at)
    await show_queue(turn, day, booking.slot.site_id, page, head)


async def action_move(turn: Turn, arg: str) -> None:
    """Apply one tap to a booking: arrived, start, did not come; done opens the register."""
    parts = _parts(arg, 3)
    booking_id = _number(parts[1]) if parts else None
    page = _number(parts[2]) if parts else None
    move = next((m for m in QueueMove if parts and m.value == parts[0]), None)
    if move is None or booking_id is None or page is None:
        _stale(turn)
        return
    if move is QueueMove.DONE:
        checked = await turn.services.register.check(booking_id, move)
        if isinstance(checked, MoveRefused):
            await _back_to_queue(turn, checked.booking, page, _refused_text(checked))
            return
        await begin_from_booking(turn, checked, refuse=False)
        return
    moved = await turn.services.register.move(booking_id, move)
    if isinstance(moved, MoveRefused):
        await _back_to_queue(turn, moved.booking, page, _refused_text(moved))
        return
    head = _("{name} ({code}): {status}.").format(
        name=esc(moved.identity.full_name), code=esc(moved.code),
        status=status_label(moved.status))
    await _back_to_queue(turn, moved, page, head)


async def action_card(turn: Turn, arg: str) -> None:
    """Show one booking with every tap it allows, and the refusal of reception."""
    parts = _parts(arg, 2)
    booking_id = _number(parts[0]) if parts else None
    page = _number(parts[1]) if parts else None
    entry = await turn.services.register.booking(booking_id) if booking_id else None
    if entry is None or page is None:
        _stale(turn)
        return
    booking = entry.booking
    identity = booking.identity
    no_shows = await turn.services.bookings.no_show_count(booking.channel, booking.user_id,
                                                          identity.cccd_digest)
    lines = [
        _("<b>Appointment {code}</b>").format(code=esc(booking.code)),
        _("🗓 {day}, {time}").format(day=format_date(booking.slot.starts_at, "weekday"),
                                    time=format_time(booking.slot.starts_at)),
        *identity_lines(identity),
        _("People: {people}").format(people=booking.people),
        _("Matter: {topic}").format(topic=esc(booking.topic)),
        _("Status: {status}").format(status=status_label(booking.status)),
    ]
    if booking.petition_code:
        lines.append(_("Petition: {code}").format(code=code_tag(booking.petition_code)))
    # A protected petition linked to a named person shows as no link at all: even a mark
    # would tell that the person denounced (domain.md §2.4).
    if booking.representatives:
        lines.append(_("Representatives chosen: {count}").format(
            count=len(booking.representatives)))
        lines.extend(f"  • {esc(person.full_name)}, {esc(person.phone_masked)}"
                     for person in booking.representatives)
    if no_shows:
        lines.append(_("⚠️ no-shows: {count}").format(count=no_shows))
    if booking.details:
        # The matter above is its beginning; the citizen's whole message is kept for staff.
        lines += [_("The citizen's full text:"), esc(booking.details)]
    buttons = [Button(_move_label(move), action_data(ACTION_MOVE,
                                                     f"{move.value}:{booking.id}:{page}"))
               for move in moves_from(booking.status)]
    if buttons:
        buttons.append(Button(_("⛔ Refuse reception"), action_data(ACTION_REFUSE,
                                                                    str(booking.id))))
    day = turn.services.register.local_day(booking.slot.starts_at)
    buttons.append(Button(_("📋 Back to the queue"), action_data(
        ACTION_PAGE, f"{day.isoformat()}:{booking.slot.site_id}:{page}")))
    turn.say("\n".join(lines), buttons=buttons)


async def action_refuse(turn: Turn, arg: str) -> None:
    """Begin recording a refusal of reception for a booked citizen."""
    booking_id = _number(arg)
    checked = (await turn.services.register.check(booking_id, QueueMove.DONE)
               if booking_id is not None else None)
    if checked is None:
        _stale(turn)
        return
    if isinstance(checked, MoveRefused):
        await _back_to_queue(turn, checked.booking, 0, _refused_text(checked))
        return
    await begin_from_booking(turn, checked, refuse=True)


async def action_walk_in(turn: Turn, arg: str) -> None:
    """Begin a register entry (or a refusal) for a citizen who came without an appointment."""
    parts = arg.split(":")
    refuse = len(parts) == 3 and parts[2] == "r"
    day = _day_and_site(turn, parts[0], parts[1]) if len(parts) in (2, 3) else None
    if day is None or (len(parts) == 3 and not refuse):
        _stale(turn)
        return
    if day > turn.services.register.today:
        turn.say(_("A reception can be recorded on its day, not before."))
        return
    await begin_walk_in(turn, day, parts[1], refuse=refuse)
