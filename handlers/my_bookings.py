"""«My appointments»: see upcoming bookings, cancel one until the cut-off, or move it in one go.

    /lichhen ─▶ choosing_booking ─▶ choosing_booking_action ─┬─ cancel ─▶ confirming_cancel
                                                             ├─ move ─▶ choosing_move_date
                                                             │      ─▶ choosing_move_time
                                                             └─ calendar file (same step)
    confirming_cancel, choosing_move_time ─▶ menu

    lookup (a code starting with H) ─▶ booking_status: opening_booking_status
        ├─ made from this account ───────────────────────────────▶ reading_booking_status
        ├─ another account ─▶ waiting_for_phone_digits ─ right ─▶ reading_booking_status
        │                       (wrong: again, until locked out)
        └─ locked out ─▶ menu
    reading_booking_status ─▶ my_bookings (manage it) / another code / menu

From another account an appointment's code shows nothing until the last four digits of a
phone given with it (the booker's or a representative's) are typed, exactly as for a
petition; whether a code exists is never said.

The buttons of reminders and notices («I will come», «I cannot come», «Choose another time»,
a date after a cancelled leader's day) are global actions: each checks the booking's owner and
its current status again when pressed.
"""

from __future__ import annotations

from datetime import date

from bot.dialog.flow import Flow, Step, Turn, esc, no_option, option, yes_option
from bot.domain.booking import (
    Booked,
    Booking,
    BookingKind,
    BookingStatus,
    ChangeRefusal,
    ChangeRefused,
    Full,
    Refused,
    SlotView,
)
from bot.domain.codes import normalize_code
from bot.domain.conversation import Expect
from bot.domain.petitions import parse_last_digits
from bot.i18n import N_, _, format_date, format_time
from bot.services.bookings import BookingLookup
from bot.services.lookups import LookupStep
from handlers.booking import (
    confirm_booked,
    date_options,
    day_label,
    leader_day_option,
    picked_slot,
    refusal_text,
    time_options,
    typed_regular_day,
    view_examples,
)
from handlers.petition_status import (
    after_lookup,
    after_options,
    digits_hint,
    mismatch_text,
    say_locked,
)

FLOW_NAME = "my_bookings"
STATUS_FLOW_NAME = "booking_status"


def status_label(status: BookingStatus) -> str:
    """Return a booking's status in words."""
    return {
        BookingStatus.BOOKED: _("booked"),
        BookingStatus.ARRIVED: _("arrived at the office"),
        BookingStatus.BEING_RECEIVED: _("being received"),
        BookingStatus.DONE: _("received"),
        BookingStatus.NO_SHOW: _("did not come"),
        BookingStatus.CANCELLED: _("cancelled"),
    }[status]


def change_refused_text(turn: Turn, refused: ChangeRefused) -> str:
    """Explain why a booking cannot be changed now, keeping it as it is."""
    code = f"<b>{esc(refused.booking.code)}</b>" if refused.booking else ""
    if refused.reason is ChangeRefusal.CANCELLED:
        return _("The appointment {code} was already cancelled, so there is nothing to "
                 "change. If you want to come, please book again: /start").format(code=code)
    if refused.reason is ChangeRefusal.STARTED:
        return _("The time of the appointment {code} has already come, so it can no longer "
                 "be changed here.").format(code=code)
    if refused.reason is ChangeRefusal.TOO_LATE:
        text = _("It is now less than {hours} hours before the appointment {code}, so it can "
                 "no longer be cancelled or moved here. Your appointment is kept.").format(
                     hours=turn.settings.bookings.cancel_cutoff_hours, code=code)
        if turn.settings.office.phone:
            text += " " + _("If you cannot come, please call the office on {phone}.").format(
                phone=esc(turn.settings.office.phone))
        return text
    if refused.reason is ChangeRefusal.CLOSED:
        return _("The appointment {code} has already been recorded at the office, so it "
                 "can no longer be changed here.").format(code=code)
    return _("We could not find this appointment among yours. It may belong to an earlier "
             "message.")


def _code(turn: Turn) -> str:
    return str(turn.data.get("booking", ""))


async def _booking(turn: Turn) -> Booking | None:
    return await turn.services.bookings.mine(turn.user, _code(turn))


async def _gone(turn: Turn) -> None:
    # Cancelled meanwhile (a reminder's button, a cancelled leader's day): say so, end here.
    turn.say(_("This appointment is no longer active."))
    await turn.finish()


# -- choosing_booking -------------------------------------------------------------------------

async def ask_booking(turn: Turn) -> None:
    """List the person's upcoming appointments (or open the one a button named)."""
    bookings = turn.services.bookings
    upcoming = await bookings.upcoming(turn.user)
    wanted = turn.data.pop("code", None)
    if wanted and any(b.code == wanted for b in upcoming):
        turn.data["booking"] = wanted
        await turn.goto("choosing_booking_action")
        return
    if not upcoming:
        turn.ask(_("You have no upcoming appointments."),
                 [option(_("📅 Book an appointment"), "book", "dat lich"),
                  option(_("🏠 Main menu"), "menu", "menu", "xong")], back=False)
        return
    lines = [_("<b>Your upcoming appointments</b>. Choose one to see it, cancel it or move "
               "it:")]
    options = []
    for booking in upcoming:
        start = booking.slot.starts_at
        local_day = start.astimezone(turn.settings.tz).date()
        label = _("{day}, {time} · {code}").format(
            day=day_label(local_day), time=format_time(start), code=booking.code)
        lines.append(_("• {appointment} · 📍 {site}").format(
            appointment=label, site=esc(bookings.site(booking.slot.site_id).name)))
        options.append(option(label, f"b:{booking.code}", booking.code))
    turn.ask("\n".join(lines), options)


async def receive_booking(turn: Turn) -> None:
    """Open the chosen appointment."""
    choice = turn.choice or ""
    if choice == "book":
        await turn.begin("book")
        return
    if choice == "menu":
        await turn.finish()
        return
    turn.data["booking"] = choice[2:]
    await turn.goto("choosing_booking_action")


# -- choosing_booking_action ------------------------------------------------------------------

async def ask_booking_action(turn: Turn) -> None:
    """Show the appointment and what can be done with it now."""
    bookings = turn.services.bookings
    booking = await _booking(turn)
    if booking is None or booking.status is not BookingStatus.BOOKED:
        await _gone(turn)
        return
    appointment = await bookings.appointment(booking)
    lines = [*appointment.lines(),
             _("Matter: {topic}").format(topic=esc(booking.topic)),
             _("People coming: {people}").format(people=booking.people)]
    if booking.confirmed_at is not None:
        lines.append(_("You told us you will come. Thank you."))
    options = []
    if bookings.can_change(booking):
        until = booking.changeable_until(turn.settings.bookings.cancel_cutoff_hours)
        lines.append(_("You can cancel or move it until {time} on {day}.").format(
            time=format_time(until), day=format_date(until, "short")))
        options += [option(_("🔁 Move to another time"), "move", "doi gio", "chuyen", "doi",
                           "doi lich", "doi lich hen", "doi ngay", "chuyen lich", "hen lai"),
                    option(_("❌ Cancel the appointment"), "cancel", "huy lich", "huy hen")]
    else:
        late = _("Less than {hours} hours remain before this appointment, so it can no "
                 "longer be cancelled or moved here.").format(
                     hours=turn.settings.bookings.cancel_cutoff_hours)
        if turn.settings.office.phone:
            late += " " + _("If you cannot come, please call the office on {phone}.").format(
                phone=esc(turn.settings.office.phone))
        lines.append(late)
    options.append(option(_("📎 Send the calendar file again"), "ics", "lich", "tep"))
    turn.ask("\n".join(lines), options)


async def receive_booking_action(turn: Turn) -> None:
    """Cancel, move, or send the calendar file again."""
    booking = await _booking(turn)
    if booking is None:
        await _gone(turn)
        return
    if turn.choice == "ics":
        bookings = turn.services.bookings
        turn.say(_("Here is the calendar file of your appointment {code}.").format(
            code=esc(booking.code)),
            document=bookings.calendar_file(await bookings.appointment(booking)))
        await turn.reask()
        return
    if not turn.services.bookings.can_change(booking):
        turn.say(change_refused_text(turn, ChangeRefused(ChangeRefusal.TOO_LATE, booking)))
        await turn.finish()
        return
    await turn.goto("confirming_cancel" if turn.choice == "cancel" else "choosing_move_date")


# -- confirming_cancel ------------------------------------------------------------------------

async def ask_cancel(turn: Turn) -> None:
    """Ask once more before cancelling."""
    booking = await _booking(turn)
    if booking is None:
        await _gone(turn)
        return
    start = booking.slot.starts_at
    turn.ask(_("Do you really want to cancel your appointment at {time} on {day}?").format(
        time=format_time(start), day=format_date(start, "weekday")),
        [yes_option(_("Yes, cancel it"), "yes", "huy lich", "huy lich hen"),
         no_option(_("No, keep it"), "no", "giu")],
        expect=Expect.CONFIRM)


async def receive_cancel(turn: Turn) -> None:
    """Cancel (until the cut-off); the place goes to the waiting list."""
    if turn.choice != "yes":
        await turn.goto("choosing_booking_action")
        return
    outcome = await turn.services.bookings.cancel(turn.user, _code(turn))
    if isinstance(outcome, ChangeRefused):
        turn.say(change_refused_text(turn, outcome))
    else:
        turn.say(_("Your appointment {code} is cancelled. Thank you for letting us know: the "
                   "place can now go to someone else.").format(
                       code=f"<b>{esc(outcome.code)}</b>"))
    await turn.finish()


# -- moving --------------------------------------------------------------------------------------

async def ask_move_date(turn: Turn) -> None:
    """Offer the days the appointment can move to (the same kind of reception)."""
    booking = await _booking(turn)
    if booking is None:
        await _gone(turn)
        return
    bookings = turn.services.bookings
    if booking.kind is BookingKind.LEADER:
        day = await bookings.reception_day(booking.slot.day_id or 0)
        views = await bookings.open_leader_days(day.leader_id if day else None)
        turn.ask(_("Which leader's reception day would you like to move to?"),
                 [leader_day_option(turn, view) for view in views])
        return
    views = await bookings.regular_days(booking.slot.site_id)
    turn.ask(_("Which day would you like to move to? You can also type a date, for example "
               "{examples}.").format(examples=view_examples(turn, views)),
             date_options(views), expect=Expect.TEXT)


async def receive_move_date(turn: Turn) -> None:
    """Keep the new day."""
    booking = await _booking(turn)
    if booking is None:
        await _gone(turn)
        return
    choice = turn.choice or ""
    if choice.startswith("l:"):
        day = await turn.services.bookings.reception_day(int(choice[2:]))
        refused = turn.services.bookings.check_leader_day(day) if day else None
        if day is None or refused is not None:
            await turn.reask(refusal_text(turn, refused) if refused else None)
            return
        turn.data.update(move_day=day.day.isoformat(), move_day_id=day.id)
        await turn.goto("choosing_move_time")
        return
    if choice.startswith("d:"):
        picked: date | str = date.fromisoformat(choice[2:])
    else:
        picked = typed_regular_day(turn, turn.text or "", booking.slot.site_id)
    if isinstance(picked, str):
        await turn.reask(picked)
        return
    turn.data.update(move_day=picked.isoformat(), move_day_id=None)
    await turn.goto("choosing_move_time")


async def _move_slots(turn: Turn, booking: Booking) -> list[SlotView]:
    day = date.fromisoformat(str(turn.data.get("move_day")))
    day_id = turn.data.get("move_day_id")
    views = await turn.services.bookings.slots(booking.kind, booking.slot.site_id, day,
                                               int(day_id) if day_id is not None else None)
    return [v for v in views if v.key.starts_at != booking.slot.starts_at]


async def ask_move_time(turn: Turn) -> None:
    """Offer the times of the new day with the places left."""
    booking = await _booking(turn)
    if booking is None:
        await _gone(turn)
        return
    views = [v for v in await _move_slots(turn, booking) if v.places_left > 0]
    day = date.fromisoformat(str(turn.data.get("move_day")))
    if not views:
        turn.ask(_("There is no free time left on {day}. Please choose another day.").format(
            day=format_date(day, "weekday")),
            [option(_("📅 Choose another day"), "other_day", "ngay khac")])
        return
    # NUMBER: a typed "9" is nine o'clock, not the ninth button.
    turn.ask(_("Which time on {day}? Your appointment moves there at once, and its old time "
               "is freed.").format(day=format_date(day, "weekday")),
             time_options(turn, views), expect=Expect.NUMBER, columns=2)


async def receive_move_time(turn: Turn) -> None:
    """Move the appointment in one step and send the updated calendar file."""
    booking = await _booking(turn)
    if booking is None:
        await _gone(turn)
        return
    if turn.choice == "other_day":
        await turn.goto("choosing_move_date")
        return
    offered = await _move_slots(turn, booking)
    view = await picked_slot(turn, offered, [v for v in offered if v.places_left > 0])
    if view is None:
        return
    outcome = await turn.services.bookings.move(turn.user, booking.code, view.key)
    if isinstance(outcome, Booked):
        await confirm_booked(turn, outcome, _("✅ <b>Your appointment has been moved.</b>"))
        await turn.finish()
        return
    if isinstance(outcome, Full):
        await turn.reask(_("We are sorry: that time was taken by someone else a moment ago. "
                           "Please choose another one."))
        return
    if isinstance(outcome, Refused):
        await turn.reask(refusal_text(turn, outcome))
        return
    turn.say(change_refused_text(turn, outcome))
    await turn.finish()


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("My appointments"),
    steps={
        "choosing_booking": Step(ask_booking, receive_booking),
        "choosing_booking_action": Step(ask_booking_action, receive_booking_action),
        "confirming_cancel": Step(ask_cancel, receive_cancel),
        "choosing_move_date": Step(ask_move_date, receive_move_date),
        "choosing_move_time": Step(ask_move_time, receive_move_time),
    },
    first="choosing_booking",
)


async def command_my_bookings(turn: Turn) -> None:
    """/lichhen: open «My appointments»."""
    await turn.begin(FLOW_NAME)


# -- one booking by its code (from the lookup menu) -------------------------------------

SHOWN = "_shown"
MANAGE = "_manage"


def _lookup_code(turn: Turn) -> str:
    return normalize_code(str(turn.data.get("code", ""))) or ""


async def _show_status(turn: Turn, found: BookingLookup) -> None:
    """Keep what the lookup may show (everything to the owner, less to others); show it."""
    booking = found.appointment.booking
    lines = [*found.appointment.lines(),
             _("Status: {status}").format(status=status_label(booking.status))]
    if found.own:
        lines += [_("Matter: {topic}").format(topic=esc(booking.topic)),
                  _("People coming: {people}").format(people=booking.people)]
    turn.data[SHOWN] = "\n".join(lines)
    turn.data[MANAGE] = (found.own and booking.status is BookingStatus.BOOKED
                         and booking.slot.starts_at > turn.now)
    await turn.goto("reading_booking_status")


async def open_booking_status(turn: Turn) -> None:
    """Show the appointment to its own account; from another, ask the phone check first."""
    outcome = await turn.services.bookings.open_by_code(turn.user, _lookup_code(turn))
    if outcome.step is LookupStep.SHOWN and outcome.view is not None:
        await _show_status(turn, outcome.view)
    elif outcome.step is LookupStep.LOCKED:
        await say_locked(turn, outcome)
    else:
        await turn.goto("waiting_for_phone_digits")


async def receive_opening(turn: Turn) -> None:
    """Nothing is asked while opening; start again."""
    await open_booking_status(turn)


async def ask_booking_digits(turn: Turn) -> None:
    """Ask the last four digits of a phone number given when the appointment was booked."""
    turn.ask(_("Appointment {code}: to protect the booker's information, please type the last "
               "four digits of the phone number given when booking.").format(
                   code=esc(_lookup_code(turn))),
             after_options(), expect=Expect.TEXT, back=False)


async def receive_booking_digits(turn: Turn) -> None:
    """Check the digits; show the appointment, or say they do not match (counting misses)."""
    if await after_lookup(turn):
        return
    digits = parse_last_digits(turn.text or "")
    if digits is None:
        await turn.reask(digits_hint())
        return
    outcome = await turn.services.bookings.check_phone(turn.user, _lookup_code(turn), digits)
    if outcome.step is LookupStep.SHOWN and outcome.view is not None:
        await _show_status(turn, outcome.view)
        return
    if outcome.step is LookupStep.LOCKED:
        await say_locked(turn, outcome)
        return
    await turn.reask(mismatch_text(outcome))


async def ask_status(turn: Turn) -> None:
    """Show the appointment as the lookup allowed; its owner may manage it from here."""
    options = []
    if turn.data.get(MANAGE):
        options.append(option(_("📋 Manage this appointment"), "manage", "quan ly", "doi",
                              "huy"))
    options += after_options()
    turn.ask(str(turn.data.get(SHOWN, "")), options, back=False)


async def receive_status(turn: Turn) -> None:
    """Open «My appointments» on it, look up another code, or go back to the menu."""
    if turn.choice == "manage":
        await turn.begin(FLOW_NAME, {"code": _lookup_code(turn)})
        return
    await after_lookup(turn)


STATUS_FLOW = Flow(
    name=STATUS_FLOW_NAME,
    title=N_("Appointment"),
    steps={"opening_booking_status": Step(open_booking_status, receive_opening),
           "waiting_for_phone_digits": Step(ask_booking_digits, receive_booking_digits),
           "reading_booking_status": Step(ask_status, receive_status)},
    first="opening_booking_status",
)


# -- global buttons ----------------------------------------------------------------------

def _code_arg(arg: str) -> str:
    return normalize_code(arg) or ""


async def action_will_come(turn: Turn, code: str) -> None:
    """«I will come» on a reminder: record it, or say why the appointment no longer stands."""
    outcome = await turn.services.bookings.will_come(turn.user, _code_arg(code))
    if isinstance(outcome, ChangeRefused):
        turn.say(change_refused_text(turn, outcome))
        return
    start = outcome.slot.starts_at
    turn.say(_("Thank you. We expect you at {time} on {day}.").format(
        time=format_time(start), day=format_date(start, "weekday")))


async def action_cannot_come(turn: Turn, code: str) -> None:
    """«I cannot come» on a reminder: free the place for someone else."""
    outcome = await turn.services.bookings.cannot_come(turn.user, _code_arg(code))
    if isinstance(outcome, ChangeRefused):
        turn.say(change_refused_text(turn, outcome))
        return
    turn.say(_("Thank you for letting us know. Your appointment {code} is cancelled and the "
               "place goes to someone else. You can book another time from the menu: "
               "/start").format(code=f"<b>{esc(outcome.code)}</b>"))


async def action_move(turn: Turn, code: str) -> None:
    """«Choose another time» on a notice: open the appointment in «My appointments»."""
    await turn.begin(FLOW_NAME, {"code": _code_arg(code)})


async def action_rebook(turn: Turn, arg: str) -> None:
    """A date offered after a leader's day was cancelled: book the same matter on it."""
    code, _sep, day = arg.partition(":")
    outcome = await turn.services.bookings.rebook(
        turn.user, _code_arg(code), int(day) if day.isdigit() and len(day) < 12 else 0)
    if isinstance(outcome, Booked):
        await confirm_booked(turn, outcome)
    elif isinstance(outcome, Full):
        turn.say(_("We are sorry: that day is now full. You can book another day from the "
                   "menu: /start"))
    elif isinstance(outcome, Refused):
        turn.say(refusal_text(turn, outcome))
    else:
        turn.say(change_refused_text(turn, outcome))
