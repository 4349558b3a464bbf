"""/ngaytiep (staff, leaders, admins): add, publish, postpone or cancel a leader's reception day.

    /ngaytiep ─▶ choosing_reception_day ─┬─ a day ─▶ choosing_day_action
                                         └─ add ─▶ (choosing_leader) ─▶ waiting_for_new_date
    choosing_day_action ─┬─ publish ─▶ choosing_reception_day
                         ├─ postpone ─▶ waiting_for_new_date ─▶ waiting_for_reason
                         └─ cancel ─▶ waiting_for_reason
    waiting_for_reason, waiting_for_new_date (add) ─▶ confirming_day_change
    confirming_day_change ─▶ choosing_reception_day

Everyone booked on a postponed or cancelled day is told through the outbox and offered
another date. The role is checked by the flow on every turn and again by the service.
"""

from __future__ import annotations

from datetime import date

from bot.dialog.flow import Flow, Step, Turn, esc, no_option, option, yes_option
from bot.domain.booking import (
    DateProblem,
    DayChange,
    DayRefusal,
    DayRefused,
    DayStatus,
    ReceptionDay,
    parse_day,
)
from bot.domain.conversation import Expect
from bot.i18n import N_, _, format_date, format_datetime, ngettext, people_count
from bot.services.booking_texts import leader_title
from bot.services.bookings import DAY_CHANGERS
from handlers.booking import date_problem_text, today

FLOW_NAME = "reception_days"
MAX_REASON_CHARS = 300


def _status(day: ReceptionDay) -> str:
    if day.status is DayStatus.SCHEDULED:
        return _("published") if day.published_at else _("not published yet")
    return {
        DayStatus.POSTPONED: _("postponed"),
        DayStatus.CANCELLED: _("cancelled"),
        DayStatus.HELD: _("held"),
    }.get(day.status, day.status.value)


def _leader_name(turn: Turn, day: ReceptionDay) -> str:
    return leader_title(turn.settings.leader(day.leader_id))


async def _day(turn: Turn) -> ReceptionDay | None:
    day_id = turn.data.get("day_id")
    return await turn.services.bookings.reception_day(int(day_id)) if day_id else None


def _refused_text(refused: DayRefused) -> str:
    return {
        DayRefusal.PAST: _("That date is today or already past. Please type a later date."),
        DayRefusal.DAY_OFF: _("That date is a day off ({reason}). Please type a working "
                              "day.").format(reason=esc(refused.day_off or "")),
        DayRefusal.DUPLICATE: _("This leader already receives citizens on that date."),
        DayRefusal.NOT_SCHEDULED: _("This day can no longer be changed: it was already "
                                    "postponed, cancelled or held."),
        DayRefusal.SAME_DAY: _("That is the same date. Please type a different date."),
        DayRefusal.UNKNOWN_LEADER: _("That leader is no longer in the settings."),
    }.get(refused.reason, _("This reception day no longer exists."))


# -- choosing_reception_day ---------------------------------------------------------------------

async def ask_reception_day(turn: Turn) -> None:
    """List the leaders' days from today, with their bookings; offer to add one."""
    days = await turn.services.bookings.staff_days()
    lines = [_("<b>Leaders' reception days</b>")]
    options = []
    for day, load in days:
        lines.append(_("• {day} · {leader}: {status}; {bookings} of {capacity} places "
                       "booked, {people}; registration until {closes}").format(
                           day=format_date(day.day, "weekday"),
                           leader=esc(_leader_name(turn, day)), status=_status(day),
                           bookings=load.bookings, capacity=day.capacity,
                           people=people_count(load.people),
                           closes=format_date(day.closes_on, "short")))
        if day.status is DayStatus.SCHEDULED:
            options.append(option(_("{day} · {leader}").format(
                day=format_date(day.day, "short"), leader=_leader_name(turn, day)),
                f"day:{day.id}", day.day.strftime("%d/%m")))
    if not days:
        lines.append(_("No reception day is scheduled."))
    options.append(option(_("➕ Add a reception day"), "add", "them"))
    turn.ask("\n".join(lines), options)


async def receive_reception_day(turn: Turn) -> None:
    """Open a day, or start adding one."""
    choice = turn.choice or ""
    if choice == "add":
        turn.data.update(action="add", day_id=None)
        if len(turn.settings.leaders) > 1:
            await turn.goto("choosing_leader")
            return
        turn.data["leader_id"] = turn.settings.leaders[0].id
        await turn.goto("waiting_for_new_date")
        return
    turn.data["day_id"] = int(choice.removeprefix("day:"))
    await turn.goto("choosing_day_action")


async def ask_leader(turn: Turn) -> None:
    """Ask which leader receives on the added day."""
    turn.ask(_("Which leader will receive citizens?"),
             [option(leader_title(leader), f"leader:{leader.id}")
              for leader in turn.settings.leaders])


async def receive_leader(turn: Turn) -> None:
    """Keep the leader and ask for the date."""
    turn.data["leader_id"] = (turn.choice or "").removeprefix("leader:")
    await turn.goto("waiting_for_new_date")


# -- choosing_day_action -------------------------------------------------------------------------

async def ask_day_action(turn: Turn) -> None:
    """Show one day and what can be done with it."""
    day = await _day(turn)
    if day is None or day.status is not DayStatus.SCHEDULED:
        turn.say(_("This day can no longer be changed: it was already postponed, cancelled "
                   "or held."))
        await turn.goto("choosing_reception_day")
        return
    lines = [_("<b>{day}</b> · {leader}").format(day=format_date(day.day, "weekday"),
                                                 leader=esc(_leader_name(turn, day))),
             _("Status: {status}").format(status=_status(day)),
             _("Registration until {closes}").format(closes=format_date(day.closes_on,
                                                                        "short"))]
    if day.published_at:
        lines.append(_("Published at {time}").format(time=format_datetime(day.published_at)))
    options = []
    if day.published_at is None:
        options.append(option(_("📢 Publish"), "publish", "cong bo"))
    options += [option(_("📅 Postpone to another date"), "postpone", "hoan", "doi ngay"),
                option(_("✖️ Cancel this day"), "cancel", "huy ngay")]
    turn.ask("\n".join(lines), options)


async def receive_day_action(turn: Turn) -> None:
    """Publish at once, or ask what the postponement or cancellation needs."""
    choice = turn.choice
    if choice == "publish":
        result = await turn.services.bookings.publish(int(turn.data["day_id"]))
        turn.say(_result_text(turn, "publish", result))
        await turn.goto("choosing_reception_day")
        return
    turn.data["action"] = choice
    await turn.goto("waiting_for_new_date" if choice == "postpone" else "waiting_for_reason")


# -- the new date and the reason -------------------------------------------------------------------

async def ask_new_date(turn: Turn) -> None:
    """Ask for the (new) date."""
    turn.ask(_("Please type the date, for example 22/12 or 22/12/2026."), expect=Expect.TEXT)


async def receive_new_date(turn: Turn) -> None:
    """Check the date is a future working day."""
    day = parse_day(turn.text or "", today(turn))
    if isinstance(day, DateProblem):
        await turn.reask(date_problem_text(day))
        return
    if day <= today(turn):
        await turn.reask(_refused_text(DayRefused(DayRefusal.PAST)))
        return
    reason = turn.settings.calendar.day_off_reason(day)
    if reason is not None:
        await turn.reask(_refused_text(DayRefused(DayRefusal.DAY_OFF, day_off=reason)))
        return
    turn.data["new_day"] = day.isoformat()
    await turn.goto("waiting_for_reason" if turn.data.get("action") == "postpone"
                    else "confirming_day_change")


async def ask_reason(turn: Turn) -> None:
    """Ask for the reason, as citizens will read it."""
    turn.ask(_("Please type the reason, as the citizens will read it (for example: the leader "
               "has an urgent work programme)."), expect=Expect.TEXT)


async def receive_reason(turn: Turn) -> None:
    """Keep the reason."""
    text = " ".join((turn.text or "").split())
    if len(text) > MAX_REASON_CHARS:
        await turn.reask(_("Please keep it under {limit} characters.").format(
            limit=MAX_REASON_CHARS))
        return
    turn.data["reason"] = text
    await turn.goto("confirming_day_change")


# -- confirming_day_change -----------------------------------------------------------------

async def ask_confirm(turn: Turn) -> None:
    """Say exactly what will happen, and ask to confirm."""
    action = turn.data.get("action")
    day = await _day(turn)
    new_day = date.fromisoformat(turn.data["new_day"]) if turn.data.get("new_day") else None
    if action == "add" and new_day is not None:
        leader = turn.settings.leader(str(turn.data.get("leader_id")))
        text = _("Add a reception day of the {leader} on {day}?").format(
            leader=esc(leader_title(leader)), day=format_date(new_day, "weekday"))
    elif day is not None and action == "postpone" and new_day is not None:
        text = _("Postpone the reception of the {leader} from {old} to {new}? Everyone booked "
                 "is moved to the new date and told, with the reason: «{reason}».").format(
                     leader=esc(_leader_name(turn, day)), old=format_date(day.day, "weekday"),
                     new=format_date(new_day, "weekday"),
                     reason=esc(turn.data.get("reason", "")))
    elif day is not None and action == "cancel":
        text = _("Cancel the reception of the {leader} on {day}? Everyone booked is told, with "
                 "the reason «{reason}», and offered another date.").format(
                     leader=esc(_leader_name(turn, day)), day=format_date(day.day, "weekday"),
                     reason=esc(turn.data.get("reason", "")))
    else:
        await turn.goto("choosing_reception_day")
        return
    turn.ask(text, [yes_option(_("✅ Confirm")), no_option(_("✖️ Do not change anything"))],
             expect=Expect.CONFIRM)


async def receive_confirm(turn: Turn) -> None:
    """Make the change (the service checks the role again) and report what it did."""
    if turn.choice != "yes":
        await turn.goto("choosing_reception_day")
        return
    action = str(turn.data.get("action"))
    bookings = turn.services.bookings
    new_day = date.fromisoformat(turn.data["new_day"]) if turn.data.get("new_day") else None
    reason = str(turn.data.get("reason", ""))
    if action == "add" and new_day is not None:
        result = await bookings.add_day(str(turn.data.get("leader_id")), new_day)
    elif action == "postpone" and new_day is not None:
        result = await bookings.postpone_day(int(turn.data["day_id"]), new_day, reason)
    else:
        result = await bookings.cancel_day(int(turn.data["day_id"]), reason)
    turn.say(_result_text(turn, action, result))
    for key in ("action", "day_id", "new_day", "reason", "leader_id"):
        turn.data.pop(key, None)
    await turn.goto("choosing_reception_day")


def _result_text(turn: Turn, action: str, result: DayChange | DayRefused) -> str:
    if isinstance(result, DayRefused):
        return _refused_text(result)
    day = format_date(result.day.day, "weekday")
    if action == "add":
        text = _("Added: {day}.").format(day=day)
        if result.day.published_at is None:
            text += " " + _("It is not published yet: publish it from the list.")
    elif action == "publish":
        text = _("Published: {day}. Citizens can register for it now.").format(day=day)
    elif action == "postpone":
        text = ngettext("Postponed to {day}. {bookings} person booked was moved and told; "
                        "{waiting} on the waiting list were told.",
                        "Postponed to {day}. {bookings} people booked were moved and told; "
                        "{waiting} on the waiting list were told.", result.bookings_told).format(
                     day=day, bookings=result.bookings_told, waiting=result.waiting_told)
    else:
        text = ngettext("Cancelled: {day}. {bookings} person booked was told and offered "
                        "another date; {waiting} on the waiting list were told.",
                        "Cancelled: {day}. {bookings} people booked were told and offered "
                        "another date; {waiting} on the waiting list were told.",
                        result.bookings_told).format(
                     day=day, bookings=result.bookings_told, waiting=result.waiting_told)
    if result.late_notice and result.publish_by is not None:
        text += "\n" + _("⚠️ The law asks for reception days to be published by {date} "
                         "(Luật Tiếp công dân, Đ.24(4)); please announce this one at the "
                         "office too.").format(date=format_date(result.publish_by, "short"))
    return text


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Leaders' reception days"),
    steps={
        "choosing_reception_day": Step(ask_reception_day, receive_reception_day),
        "choosing_leader": Step(ask_leader, receive_leader),
        "choosing_day_action": Step(ask_day_action, receive_day_action),
        "waiting_for_new_date": Step(ask_new_date, receive_new_date),
        "waiting_for_reason": Step(ask_reason, receive_reason),
        "confirming_day_change": Step(ask_confirm, receive_confirm),
    },
    first="choosing_reception_day",
    roles=DAY_CHANGERS,
)


async def command_reception_days(turn: Turn) -> None:
    """/ngaytiep: open the leaders' reception days."""
    await turn.begin(FLOW_NAME)
