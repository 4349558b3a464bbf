"""Book a reception slot: regular reception or a leader's periodic day.

    menu ─▶ choosing_kind ─┬─ regular ─▶ (choosing_site) ─▶ choosing_date ─▶ choosing_time
                           ├─ a leader's day ─▶ choosing_time
                           └─ my appointments ─▶ (my_bookings)
    choosing_date ─ a typed date only a leader's day can take ─▶ that day offered first
    choosing_time ─┬─ a time with places ─▶ waiting_for_topic
                   ├─ a full time ─▶ confirming_waitlist ─ join ─▶ waiting_for_topic
                   └─ an appointment that day already ─▶ choosing_same_day
                        ─ keep it ─▶ menu; move it here ─▶ moved ─▶ menu; another day
    waiting_for_topic ─▶ choosing_petition_link (─▶ waiting_for_petition_code)
                      ─▶ waiting_for_people
        (a long matter is kept whole for staff, its beginning as the summary; a petition
         code anywhere in it is linked at once)
    waiting_for_people ─┬─ fewer than a group ─▶ (identity steps)
                        └─ a mass delegation ─▶ waiting_for_commune (─▶ choosing_commune)
                                              (─ old address ─▶ waiting_for_old_commune)
                                              ─▶ waiting_for_representatives ─▶ (identity)
    (identity steps) ─▶ reviewing ─┬─ confirm ─▶ booked: code and .ics ─▶ menu
                                   ├─ last place just taken ─▶ choosing_alternative
                                   └─ change one answer ─▶ that step ─▶ reviewing

Typed dates ("15/12", "thứ hai", "mai") work wherever a date is asked; typed answers without
diacritics match the buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.dialog.flow import RETURN_TO, Flow, Step, Turn, esc, option, yes_option
from bot.domain.booking import (
    Booked,
    BookingKind,
    BookingRequest,
    DateProblem,
    DayView,
    Full,
    OfferRefusal,
    OfferRefused,
    ReceptionDay,
    Refused,
    Representative,
    RepresentativeError,
    RepresentativeProblem,
    SlotKey,
    SlotView,
    Unbookable,
    WaitlistEntry,
    parse_day,
    parse_representatives,
    parse_time_of_day,
    representatives_allowed,
)
from bot.domain.calendar import SATURDAY, SUNDAY
from bot.domain.choices import Option
from bot.domain.codes import PETITION_PREFIX, code_spans, find_code, normalize_code
from bot.domain.conversation import Expect
from bot.domain.identity import AddressProblem, clean_address
from bot.domain.numbers import PeopleProblem, parse_people
from bot.domain.places import Directory
from bot.domain.text import fold_words, topic_summary
from bot.domain.users import Purpose
from bot.i18n import N_, _, format_date, format_number, format_time
from bot.services.booking_texts import bring_line, slot_lines, when
from bot.services.bookings import Appointment
from handlers import identity

FLOW_NAME = "book"
MY_BOOKINGS = "my_bookings"
MIN_TOPIC_CHARS = 5
COMMUNE_OLD = "old"  # an address under the names used before the 2025 reform
COMMUNE_NONE = "none"  # the matter concerns no one commune or ward
PEOPLE_BUTTONS = 4


# -- shared by the booking and «my appointments» flows ----------------------------------------

def today(turn: Turn) -> date:
    """Return today's date in the office's time zone."""
    return turn.now.astimezone(turn.settings.tz).date()


def day_label(day: date) -> str:
    """Return a short date with its weekday ("Thứ Hai 30/11")."""
    return format_date(day, "EEEE d/M")


def date_options(views: list[DayView]) -> list[Option]:
    """Return one option per offered day, showing the places left."""
    options = []
    for view in views:
        label = (_("{day} · {left} places left").format(day=day_label(view.day),
                                                         left=view.places_left)
                 if view.places_left > 0 else
                 _("{day} · full").format(day=day_label(view.day)))
        options.append(option(label, f"d:{view.day.isoformat()}",
                              view.day.strftime("%d/%m"), f"{view.day.day}/{view.day.month}",
                              view.day.isoformat()))
    return options


def leader_day_option(turn: Turn, view: DayView) -> Option:
    """Return the option for an open leader's day: who receives, the date, the places left."""
    assert view.reception_day is not None  # noqa: S101 - leaders' day views carry their day
    leader = turn.settings.leader(view.reception_day.leader_id)
    title = leader.title if leader is not None else _("Leader")
    if view.places_left > 0:
        label = _("👤 {leader} · {day} · {left} places left").format(
            leader=title, day=day_label(view.day), left=view.places_left)
    else:
        label = _("👤 {leader} · {day} · full").format(leader=title, day=day_label(view.day))
    return option(label, f"l:{view.reception_day.id}", view.day.strftime("%d/%m"),
                  f"{view.day.day}/{view.day.month}")


def time_options(turn: Turn, views: list[SlotView]) -> list[Option]:
    """Return one option per time of a day, showing the places left (full: the waitlist)."""
    options = []
    for view in views:
        local = view.key.starts_at.astimezone(turn.settings.tz)
        start = format_time(view.key.starts_at)
        label = (_("{time} · {left} left").format(time=start, left=view.places_left)
                 if view.places_left > 0 else _("{time} · full").format(time=start))
        # Typed times ("8", "8h30", "2 giờ chiều") are read by the step, not matched here.
        options.append(option(label, f"t:{local:%H%M}"))
    return options


def find_slot(turn: Turn, views: list[SlotView], payload: str) -> SlotView | None:
    """Return the slot a time option names."""
    for view in views:
        if f"t:{view.key.starts_at.astimezone(turn.settings.tz):%H%M}" == payload:
            return view
    return None


async def picked_slot(turn: Turn, views: list[SlotView],
                      typed_among: list[SlotView] | None = None) -> SlotView | None:
    """Return the slot the person tapped (among ``views``) or typed (among ``typed_among``,
    by default ``views``); tell them and ask again when there is none."""
    if turn.choice is None:
        typed = typed_slot(turn, views if typed_among is None else typed_among,
                           turn.text or "")
        if isinstance(typed, str):
            await turn.reask(typed)
            return None
        return typed
    view = find_slot(turn, views, turn.choice)
    if view is None:
        await turn.reask(_("That time is no longer offered. Please choose one from the "
                           "list."))
    return view


def typed_slot(turn: Turn, views: list[SlotView], text: str) -> SlotView | str:
    """Return the slot a typed time of day names, or what to tell the person."""
    wanted = parse_time_of_day(text)
    if not wanted:
        return _("Please tap a time, or type it, for example 8:30 or «2 pm».")
    starts = {view.key.starts_at.astimezone(turn.settings.tz).time(): view for view in views}
    for moment in wanted:
        if moment in starts:
            return starts[moment]
    return _("There is no reception time at {time} that day. Please choose one of the "
             "times below.").format(time=wanted[0].strftime("%H:%M"))


def refusal_text(turn: Turn, refused: Refused, day: date | None = None) -> str:
    """Explain kindly why a day or time cannot be booked, and what to do."""
    reason = refused.reason
    if reason is Unbookable.DAY_OFF:
        named = format_date(day, "weekday") if day else _("That day")
        if refused.day_off in (None, SATURDAY, SUNDAY):
            # The date already names its weekday: "Chủ Nhật, 29/11/2026 (Chủ nhật)" repeats.
            return _("{day} is a day off. The office receives citizens on working days; please "
                     "choose another day.").format(day=named)
        return _("{day} is a day off ({reason}). The office receives citizens on working "
                 "days; please choose another day.").format(
                     day=named, reason=esc(refused.day_off or ""))
    if reason is Unbookable.TOO_FAR:
        return _("Appointments can be booked for the next {count} working days. Please "
                 "choose an earlier day.").format(count=turn.settings.bookings.days_offered)
    if reason is Unbookable.DAY_CLOSED:
        closes = format_date(refused.closes_on, "short") if refused.closes_on else ""
        return _("Registration for this leader's reception day closed on {date}. Please "
                 "choose another day, or regular reception.").format(date=closes)
    if reason is Unbookable.DAY_NOT_OPEN:
        return _("This leader's reception day is not open for registration (it may have "
                 "been moved or cancelled). Please choose another day.")
    if reason is Unbookable.NOT_A_SLOT:
        return _("That is not one of the reception times. Please choose a time from the "
                 "list.")
    if reason is Unbookable.DAY_OVER:
        over = _("Today's reception hours are over.")
        if refused.next_day is None:
            return over + " " + _("Please choose another day.")
        return over + " " + _("The next day you can come is {day}.").format(
            day=format_date(refused.next_day, "weekday"))
    if reason is Unbookable.ALREADY_BOOKED:
        existing = refused.existing
        if existing is not None:
            return _("You already have an appointment that day, at {time} (code {code}). One "
                     "person can book one appointment a day. To see or move it, send "
                     "/lichhen.").format(time=format_time(existing.slot.starts_at),
                                         code=esc(existing.code))
        return _("You already have an appointment at that time. To see it, send /lichhen.")
    return _("That day or time has already passed. Please choose a later one.")


def date_examples(turn: Turn, days: Sequence[date]) -> str:
    """Return examples of typed dates that pick one of ``days``: a date, and a weekday."""
    if not days:
        return _("15/12 or «Monday»")
    dated = days[-1]
    text = f"{dated.day}/{dated.month}"
    # A weekday names the next such day, so only one of the coming six days is its example.
    start = today(turn)
    named = next((day for day in days if day != dated and 1 <= (day - start).days <= 6), None)
    if named is None:
        return text
    return _("{date} or «{weekday}»").format(date=text, weekday=format_date(named, "EEEE"))


def view_examples(turn: Turn, views: Sequence[DayView]) -> str:
    """Return examples of typed dates naming offered days, days with places first."""
    with_places = [view.day for view in views if view.places_left > 0]
    return date_examples(turn, with_places or [view.day for view in views])


def regular_examples(turn: Turn, site_id: str) -> str:
    """Return examples of typed dates that regular reception at ``site_id`` accepts now."""
    return date_examples(turn, turn.services.bookings.bookable_days(site_id))


def date_problem_text(problem: DateProblem, examples: str | None = None) -> str:
    """Explain a typed date that could not be read, with ``examples`` of dates accepted."""
    examples = examples or _("15/12 or «Monday»")
    if problem is DateProblem.NO_SUCH_DAY:
        return _("That date does not exist. Please check the day and the month, for "
                 "example {examples}.").format(examples=examples)
    return _("Please choose a day from the list, or type a date such as {examples}.").format(
        examples=examples)


def typed_regular_day(turn: Turn, text: str, site_id: str) -> date | str:
    """Read a typed date for regular reception; return it, or why it cannot be booked."""
    day = parse_day(text, today(turn))
    if isinstance(day, DateProblem):
        return date_problem_text(day, regular_examples(turn, site_id))
    refused = turn.services.bookings.check_regular_day(site_id, day)
    if refused is not None:
        return refusal_text(turn, refused, day)
    return day


def confirmation_text(turn: Turn, appointment: Appointment, *, reminders: bool,
                      head: str) -> str:
    """Return the confirmation of a booking: code, time, place, what to bring, reminders."""
    booking = appointment.booking
    lines = [head, *appointment.lines()]
    lines.append(bring_line(turn.services.bookings.is_delegation(booking.people)))
    if reminders:
        lines.append(_("We will remind you here on the working day before and on the "
                       "morning of the day."))
    else:
        lines.append(_("You chose not to receive reminders; you can turn them on under "
                       "«Personal data»."))
    lines.append(_("The calendar file attached adds the appointment to your phone. To see, "
                   "cancel or move it, send /lichhen."))
    return "\n".join(lines)


async def confirm_booked(turn: Turn, booked: Booked, head: str | None = None) -> None:
    """Send the confirmation of a booking with its calendar file."""
    bookings = turn.services.bookings
    appointment = await bookings.appointment(booked.booking)
    reminders = (await turn.consent()).granted(Purpose.REMINDERS)
    text = confirmation_text(turn, appointment, reminders=reminders,
                             head=head or _("✅ <b>Your appointment is booked.</b>"))
    turn.say(text, document=bookings.calendar_file(appointment))


async def waiting_text(turn: Turn, entry: WaitlistEntry) -> str:
    """Return what a person on a waiting list is told when they join."""
    bookings = turn.services.bookings
    position = await bookings.waiting_position(entry)
    return "\n".join([
        _("📝 <b>You are on the waiting list</b> (number {position}) for:").format(
            position=position),
        *slot_lines(entry.slot, bookings.site(entry.slot.site_id),
                    await bookings.leader_of(entry.slot)),
        _("If a place becomes free, we will message you here and keep it for you for "
          "{minutes} minutes.").format(minutes=turn.settings.bookings.waitlist_offer_minutes),
    ])


# -- the draft -------------------------------------------------------------------------------

def _slot(turn: Turn) -> SlotKey | None:
    data = turn.data.get("slot")
    return SlotKey.from_json(data) if data else None


def _kind(turn: Turn) -> BookingKind:
    return BookingKind(turn.data.get("kind", BookingKind.REGULAR.value))


def _site_id(turn: Turn) -> str:
    return str(turn.data.get("site_id") or turn.settings.sites[0].id)


def _representatives(turn: Turn) -> list[Representative]:
    return [Representative.from_json(r) for r in turn.data.get("representatives", [])]


def _request(turn: Turn) -> BookingRequest | None:
    slot = _slot(turn)
    person = identity.current(turn)
    if slot is None or person is None:
        return None
    return BookingRequest(
        slot=slot, topic=str(turn.data.get("topic", "")), people=int(turn.data.get("people", 1)),
        identity=person, petition_code=turn.data.get("petition_code"),
        commune_code=turn.data.get("commune_code"), commune_name=turn.data.get("commune_name"),
        representatives=tuple(_representatives(turn)), details=turn.data.get("details"),
    )


def _allowed(turn: Turn) -> int:
    return representatives_allowed(int(turn.data.get("people", 1)), turn.settings.rules,
                                   today(turn))


# -- choosing_kind ----------------------------------------------------------------------------

async def ask_kind(turn: Turn) -> None:
    """Ask which reception: regular, or one of the open leaders' days."""
    if not (await turn.consent()).granted(Purpose.HANDLING):
        turn.say(_("To book an appointment, please first agree to the processing of your "
                   "personal data under «Personal data» in the menu."))
        await turn.finish()
        return
    bookings = turn.services.bookings
    leader_days = await bookings.open_leader_days()
    lines = [_("Which reception would you like to book?"),
             _("🏢 <b>Regular reception</b>: every working day, by the office's staff.")]
    if leader_days:
        lines.append(_("👤 <b>Leaders' reception days</b>:"))
        for view in leader_days:
            day = view.reception_day
            assert day is not None  # noqa: S101 - leaders' day views carry their day
            leader = turn.settings.leader(day.leader_id)
            lines.append(_("• {leader}: {day} (register by {closes})").format(
                leader=esc(leader.title if leader else ""), day=format_date(day.day, "weekday"),
                closes=format_date(day.closes_on, "short")))
    options = [option(_("🏢 Regular reception"), "regular", "thuong xuyen", "tiep thuong xuyen",
                      "regular")]
    options += [leader_day_option(turn, view) for view in leader_days]
    if await bookings.upcoming(turn.user):
        options.append(option(_("📋 My appointments"), "mine", "lich hen cua toi", "cua toi"))
    lines.append(_("You can also type a date, for example {examples}.").format(
        examples=regular_examples(turn, turn.settings.sites[0].id)))
    turn.ask("\n".join(lines), options, expect=Expect.TEXT)


async def receive_kind(turn: Turn) -> None:
    """Take regular reception, a leader's day, or a typed date."""
    choice = turn.choice or ""
    if choice == "mine":
        await turn.begin(MY_BOOKINGS)
        return
    if choice == "regular":
        turn.data.update(kind=BookingKind.REGULAR.value, day_id=None, day=None)
        await _to_regular(turn)
        return
    if choice.startswith("l:"):
        await _take_leader_day(turn, int(choice[2:]))
        return
    await _typed_day_for_kind(turn, turn.text or "")


async def _to_regular(turn: Turn) -> None:
    if len(turn.settings.sites) > 1:
        await turn.goto("choosing_site")
        return
    turn.data["site_id"] = turn.settings.sites[0].id
    await turn.goto("choosing_time" if turn.data.get("day") else "choosing_date")


async def _take_leader_day(turn: Turn, day_id: int) -> None:
    bookings = turn.services.bookings
    day = await bookings.reception_day(day_id)
    refused = bookings.check_leader_day(day) if day is not None else Refused(
        Unbookable.DAY_NOT_OPEN)
    if refused is not None or day is None:
        assert refused is not None  # noqa: S101 - a missing day is refused above
        await turn.reask(refusal_text(turn, refused, day.day if day else None))
        return
    turn.data.update(kind=BookingKind.LEADER.value, day_id=day.id, day=day.day.isoformat(),
                     site_id=day.site_id)
    await turn.goto("choosing_time")


async def _typed_day_for_kind(turn: Turn, text: str) -> None:
    day = parse_day(text, today(turn))
    if isinstance(day, DateProblem):
        await turn.reask(_("Please choose «Regular reception» or a leader's day, or type a "
                           "date such as {examples}.").format(
                               examples=regular_examples(turn, turn.settings.sites[0].id)))
        return
    bookings = turn.services.bookings
    on_day: list[ReceptionDay] = await bookings.leader_days_on(day)
    for reception in on_day:
        if bookings.check_leader_day(reception) is None:
            await _take_leader_day(turn, reception.id)
            return
    for reception in on_day:
        refused = bookings.check_leader_day(reception)
        if refused is not None and refused.reason is Unbookable.DAY_CLOSED:
            await turn.reask(refusal_text(turn, refused, day))
            return
    # With several sites the day is checked against the first; the site is asked next.
    refused = bookings.check_regular_day(turn.settings.sites[0].id, day)
    if refused is not None and refused.reason is Unbookable.DAY_OVER:
        # "Hôm nay" after hours: the days ahead are offered, the next one first.
        turn.say(refusal_text(turn, refused, day))
        turn.data.update(kind=BookingKind.REGULAR.value, day_id=None, day=None)
        await _to_regular(turn)
        return
    if refused is not None:
        await turn.reask(refusal_text(turn, refused, day))
        return
    turn.data.update(kind=BookingKind.REGULAR.value, day_id=None, day=day.isoformat())
    await _to_regular(turn)


# -- choosing_site (several reception sites) --------------------------------------------------

async def ask_site(turn: Turn) -> None:
    """Ask at which reception site (merged provinces run several)."""
    options = [option(site.name, f"s:{site.id}") for site in turn.settings.sites]
    lines = [_("Where would you like to come?")]
    lines += [f"• <b>{esc(site.name)}</b>: {esc(site.address)}" for site in turn.settings.sites]
    turn.ask("\n".join(lines), options)


async def receive_site(turn: Turn) -> None:
    """Keep the site; go on to the day (or the time, if a day was typed already)."""
    turn.data["site_id"] = (turn.choice or "")[2:]
    day = turn.data.get("day")
    if day and turn.services.bookings.check_regular_day(
            _site_id(turn), date.fromisoformat(day)) is None:
        await turn.goto("choosing_time")
        return
    turn.data["day"] = None
    await turn.goto("choosing_date")


# -- choosing_date (regular reception) --------------------------------------------------------

async def _suggested_leader_day(turn: Turn) -> list[Option]:
    """Return the leader's day a typed date named, while it is still open."""
    wanted = turn.data.get("suggested_day_id")
    if wanted is None:
        return []
    return [leader_day_option(turn, view)
            for view in await turn.services.bookings.open_leader_days()
            if view.reception_day is not None and view.reception_day.id == wanted]


async def ask_date(turn: Turn) -> None:
    """Offer the next working days with the places left on each."""
    views = await turn.services.bookings.regular_days(_site_id(turn))
    turn.ask(_("Which day would you like to come? Here are the next working days with the "
               "places left. You can also type a date, for example {examples}.").format(
                   examples=view_examples(turn, views))
             if views else _("No day is open for booking at the moment. Please try again "
                             "later or call the office."),
             [*await _suggested_leader_day(turn), *date_options(views)], expect=Expect.TEXT)


async def _offer_leader_day(turn: Turn) -> bool:
    """Offer the leader's day open on a typed date regular reception refused; tell if one is."""
    typed = parse_day(turn.text or "", today(turn))
    if not isinstance(typed, date):
        return False
    bookings = turn.services.bookings
    reception = next((day for day in await bookings.leader_days_on(typed)
                      if bookings.check_leader_day(day) is None), None)
    if reception is None:
        return False
    leader = turn.settings.leader(reception.leader_id)
    turn.data["suggested_day_id"] = reception.id
    turn.say(_("Regular reception cannot be booked for {day}, but the {leader} receives "
               "citizens that day, and you can book that: it is the first choice below.").format(
        day=format_date(reception.day, "weekday"),
        leader=esc(leader.title if leader else _("Leader"))))
    await turn.goto("choosing_date")
    return True


async def receive_date(turn: Turn) -> None:
    """Keep the chosen or typed day; a leader's day typed is offered instead of a refusal."""
    choice = turn.choice or ""
    if choice.startswith("l:"):
        turn.data.pop("suggested_day_id", None)
        await _take_leader_day(turn, int(choice[2:]))
        return
    if choice.startswith("d:"):
        day: date | str = date.fromisoformat(choice[2:])
    else:
        day = typed_regular_day(turn, turn.text or "", _site_id(turn))
    if isinstance(day, str):
        if not await _offer_leader_day(turn):
            await turn.reask(day)
        return
    turn.data.pop("suggested_day_id", None)
    turn.data["day"] = day.isoformat()
    await turn.goto("choosing_time")


# -- choosing_time ------------------------------------------------------------------------------

async def _day_slots(turn: Turn) -> list[SlotView]:
    day = date.fromisoformat(str(turn.data.get("day")))
    day_id = turn.data.get("day_id")
    return await turn.services.bookings.slots(_kind(turn), _site_id(turn), day,
                                              int(day_id) if day_id is not None else None)


async def ask_time(turn: Turn) -> None:
    """Offer the times of the chosen day with the places left (a full time: the waitlist)."""
    bookings = turn.services.bookings
    views = await _day_slots(turn)
    day = date.fromisoformat(str(turn.data.get("day")))
    if not views:
        turn.ask(_("There are no more reception times on {day}. Please choose another "
                   "day.").format(day=format_date(day, "weekday")),
                 [option(_("📅 Choose another day"), "other_day", "ngay khac")])
        return
    site = bookings.site(_site_id(turn))
    if _kind(turn) is BookingKind.LEADER:
        leader = await bookings.leader_of(views[0].key)
        title = leader.title if leader is not None else ""
        head = _("Reception by the {leader} on {day}, at {site}.").format(
            leader=esc(title), day=format_date(day, "weekday"), site=esc(site.name))
    else:
        head = _("Regular reception on {day}, at {site}.").format(
            day=format_date(day, "weekday"), site=esc(site.name))
    # NUMBER: a typed "8" is eight o'clock, not the eighth button.
    turn.ask(head + "\n" + _("Which time suits you? The number is the places left."),
             time_options(turn, views), expect=Expect.NUMBER, columns=2)


async def receive_time(turn: Turn) -> None:
    """Keep the chosen or typed time; a full one offers the waiting list."""
    if turn.choice == "other_day":
        await turn.goto("choosing_kind" if _kind(turn) is BookingKind.LEADER
                        else "choosing_date")
        return
    view = await picked_slot(turn, await _day_slots(turn))
    if view is None:
        return
    turn.data["slot"] = view.key.to_json()
    turn.data["full"] = view.places_left <= 0
    if await turn.services.bookings.same_day(turn.user, view.key) is not None:
        await turn.goto("choosing_same_day")
        return
    await _after_time(turn)


async def _after_time(turn: Turn) -> None:
    if turn.data.get("full"):
        await turn.goto("confirming_waitlist")
        return
    turn.data["waitlist"] = False
    slot = _slot(turn)
    if slot is not None:
        turn.say(_("Chosen: {time}, {day}.").format(time=format_time(slot.starts_at),
                                                    day=format_date(slot.starts_at, "weekday")))
    await turn.advance("waiting_for_topic")


# -- choosing_same_day: one active appointment a day ---------------------------------------

async def _other_day(turn: Turn) -> None:
    await turn.goto("choosing_kind" if _kind(turn) is BookingKind.LEADER else "choosing_date")


async def ask_same_day(turn: Turn) -> None:
    """Say when the person's appointment that day is; offer to keep it or move it here."""
    slot = _slot(turn)
    assert slot is not None  # noqa: S101 - chosen at the previous step
    bookings = turn.services.bookings
    existing = await bookings.same_day(turn.user, slot)
    if existing is None:
        # Cancelled meanwhile: nothing stands in the way any more.
        await _after_time(turn)
        return
    day = format_date(slot.starts_at, "weekday")
    old_time = format_time(existing.slot.starts_at)
    new_time = format_time(slot.starts_at)
    lines = [_("You already have an appointment on {day} at {time} (code {code}). One "
               "person can book one appointment a day.").format(
                   day=day, time=old_time, code=f"<b>{esc(existing.code)}</b>")]
    options = [option(_("✅ Keep my appointment at {time}").format(time=old_time), "keep",
                      "giu", "giu lich", "giu nguyen")]
    if bookings.can_change(existing) and not turn.data.get("full"):
        lines.append(_("Do you want to keep it, or move it to {time}?").format(time=new_time))
        options.append(option(_("🔁 Move it to {time}").format(time=new_time), "move",
                              "doi", "chuyen", "doi gio"))
    else:
        lines.append(_("Do you want to keep it, or choose another day?"))
    options.append(option(_("📅 Choose another day"), "other", "ngay khac", "doi ngay"))
    turn.ask("\n".join(lines), options)


async def receive_same_day(turn: Turn) -> None:
    """Keep the appointment already booked, move it to the time chosen, or choose again."""
    if turn.choice == "other":
        await _other_day(turn)
        return
    slot = _slot(turn)
    bookings = turn.services.bookings
    existing = await bookings.same_day(turn.user, slot) if slot is not None else None
    if turn.choice == "keep" or existing is None or slot is None:
        if existing is not None:
            turn.say(_("Your appointment at {time} on {day} stays as it is. To see it, send "
                       "/lichhen.").format(time=format_time(existing.slot.starts_at),
                                           day=format_date(existing.slot.starts_at, "weekday")))
        await turn.finish()
        return
    outcome = await bookings.move(turn.user, existing.code, slot)
    if isinstance(outcome, Booked):
        await confirm_booked(turn, outcome, _("✅ <b>Your appointment has been moved.</b>"))
        await turn.finish()
        return
    if isinstance(outcome, Full):
        turn.say(_("We are sorry: that time was taken by someone else a moment ago. Your "
                   "appointment stays as it was. Please choose another time."))
    elif isinstance(outcome, Refused):
        turn.say(refusal_text(turn, outcome))
    else:
        turn.say(_("Your appointment can no longer be moved here; it stays as it was."))
        await turn.finish()
        return
    await turn.goto("choosing_time")


async def ask_waitlist(turn: Turn) -> None:
    """Say the time is full and offer its waiting list."""
    slot = _slot(turn)
    assert slot is not None  # noqa: S101 - chosen at the previous step
    turn.ask(_("{time} on {day} is full. Would you like to join its waiting list? If a "
               "place becomes free, we will message you here and keep it for you for "
               "{minutes} minutes.").format(
                   time=format_time(slot.starts_at), day=format_date(slot.starts_at, "weekday"),
                   minutes=turn.settings.bookings.waitlist_offer_minutes),
             [option(_("📝 Join the waiting list"), "join", "cho", "danh sach cho", "co"),
              option(_("🕘 Choose another time"), "other", "gio khac", "khac")])


async def receive_waitlist(turn: Turn) -> None:
    """Join the waiting list (the rest of the request is asked as for a booking)."""
    if turn.choice == "join":
        turn.data["waitlist"] = True
        await turn.advance("waiting_for_topic")
        return
    await turn.goto("choosing_time")


# -- the matter -----------------------------------------------------------------------------

async def ask_topic(turn: Turn) -> None:
    """Ask for the matter in a sentence or two."""
    turn.ask(_("In one or two sentences, what matter would you like to raise? For example: "
               "«Please settle the land dispute in Nà Pàn village»."), expect=Expect.TEXT)


async def receive_topic(turn: Turn) -> None:
    """Keep the matter (a long one as a summary and the full text); link a petition code in it."""
    raw = (turn.text or "").strip()
    text = " ".join(raw.split())
    if len(text) < MIN_TOPIC_CHARS:
        await turn.reask(_("Please write a few words about your matter, for example: "
                           "«Request for a land use right certificate»."))
        return
    most = turn.settings.petitions.max_content_chars
    if len(raw) > most:
        # Beyond what a chat message carries (Telegram stops at 4,096): only typed in a terminal.
        await turn.reask(_("That is longer than {limit} characters. Please send the most "
                           "important part; you can bring the rest in writing to the "
                           "office.").format(limit=most))
        return
    limit = turn.settings.petitions.max_answer_chars
    if len(text) > limit:
        turn.data.update(topic=topic_summary(text, limit), details=raw)
        turn.say(_("Your message is long, so its beginning is kept as the summary of your "
                   "matter. The full text ({count} characters) is kept with your appointment "
                   "for the staff who will receive you: nothing is lost.").format(
                       count=format_number(len(raw))))
    else:
        turn.data.update(topic=text, details=None)
    code = await _petition_code_in(turn, raw)
    if code is not None:
        await _link_petition(turn, code)
        return
    await turn.goto("choosing_petition_link")


async def _petition_code_in(turn: Turn, text: str) -> str | None:
    """Return the petition code written anywhere in ``text``: the person's own one first.

    Words can read like a code ("dat hen gap"): such a reading counts only when it is one of
    the person's petitions, or when it has a digit or is grouped as printed (D-7K4M-9QXR).
    """
    spans = code_spans(text)
    # A code read where a false one overlaps it ("hen D-7K4M-9QXR") is found by find_code.
    written = [code for start, end, code in spans if find_code(text[start:end]) == code]
    written += [code for code in (find_code(text),) if code is not None]
    read = [*written, *(code for _start, _end, code in spans)]
    petitions = [code for code in dict.fromkeys(read) if code.startswith(PETITION_PREFIX)]
    for code in petitions:
        if await turn.services.petitions.own(turn.user, code) is not None:
            return code
    return next((code for code in petitions if code in written), None)


def _not_linked(code: str) -> str:
    # The same words whether the code is someone else's or names nothing: neither is told.
    return _("I could not find the petition {code} among those sent from this chat account, "
             "so it cannot be linked: only your own petitions sent here can be. Please check "
             "the code and type it again, or go on without linking a petition.").format(
                 code=f"<b>{esc(code)}</b>")


async def _link_petition(turn: Turn, code: str) -> None:
    """Link the petition if this account filed it; else say so kindly and ask again."""
    if await turn.services.petitions.own(turn.user, code) is None:
        turn.data["petition_code"] = None
        turn.say(_not_linked(code))
        await turn.goto("waiting_for_petition_code")
        return
    turn.data["petition_code"] = code
    turn.say(_("Your petition {code} will be linked to this appointment.").format(
        code=f"<b>{esc(code)}</b>"))
    await turn.advance("waiting_for_people")


async def ask_petition_link(turn: Turn) -> None:
    """Ask whether the matter concerns a petition already sent."""
    turn.ask(_("Is this matter about a petition you have already sent to us?"),
             [option(_("No"), "no", "khong", "chua"),
              option(_("Yes, I have its tracking code"), "yes", "co", "roi", "ma")])


async def receive_petition_link(turn: Turn) -> None:
    """Go on, or ask for the petition's code."""
    if turn.choice == "yes":
        await turn.goto("waiting_for_petition_code")
        return
    turn.data["petition_code"] = None
    await turn.advance("waiting_for_people")


async def ask_petition_code(turn: Turn) -> None:
    """Ask for the petition's tracking code."""
    turn.ask(_("Please type the petition's tracking code, for example D-7K4M-9QXR. Only a "
               "petition sent from this chat account can be linked."),
             [option(_("➡️ Go on without linking a petition"), "none", "khong co",
                     "khong nho", "bo qua", "khong lien ket")],
             expect=Expect.TEXT)


async def receive_petition_code(turn: Turn) -> None:
    """Keep a well-formed petition code."""
    if turn.choice == "none":
        turn.data["petition_code"] = None
        await turn.advance("waiting_for_people")
        return
    code = normalize_code(turn.text or "")
    if code is None or not code.startswith(PETITION_PREFIX):
        await turn.reask(_("That does not look like a petition's tracking code. It starts "
                           "with D and has 8 more letters and digits, for example "
                           "D-7K4M-9QXR."))
        return
    if await turn.services.petitions.own(turn.user, code) is None:
        turn.data["petition_code"] = None
        await turn.reask(_not_linked(code))
        return
    turn.data["petition_code"] = code
    await turn.advance("waiting_for_people")


# -- how many people ------------------------------------------------------------------------

async def ask_people(turn: Turn) -> None:
    """Ask how many people will come."""
    options = [option(_("👤 Just me"), "1", "mot minh", "chi minh toi", "mot nguoi")]
    options += [option(_("{count} people").format(count=n), str(n)) for n in
                range(2, PEOPLE_BUTTONS + 1)]
    turn.ask(_("How many people will come, you included? Tap a button or type the number."),
             options, expect=Expect.NUMBER)


async def receive_people(turn: Turn) -> None:
    """Keep the number of people; a mass delegation goes on to its representatives."""
    limit = turn.settings.bookings.max_people
    people = int(turn.choice) if turn.choice else parse_people(turn.text or "", limit)
    if people is PeopleProblem.NOT_A_NUMBER:
        await turn.reask(_("Please type the number of people in digits, for example 3."))
        return
    if people is PeopleProblem.ZERO:
        await turn.reask(_("At least one person comes: you. Please type 1 or more."))
        return
    if not isinstance(people, int):
        phone = turn.settings.office.phone
        hint = _("At most {limit} people can be booked here.").format(limit=limit)
        if phone:
            hint += " " + _("For a larger group, please call the office on {phone}.").format(
                phone=esc(phone))
        await turn.reask(hint)
        return
    turn.data["people"] = people
    if not turn.services.bookings.is_delegation(people):
        turn.data.update(commune_code=None, commune_name=None, commune_kind=None,
                         representatives=[])
        await _after_people(turn)
        return
    turn.say(_("A group of {people} people with the same matter is a mass delegation (đoàn "
               "đông người). We will ask two more things: the commune the matter concerns, "
               "and the group's representatives.").format(people=people))
    if turn.data.get("commune_name") or turn.data.get("commune_kind") == COMMUNE_NONE:
        await turn.goto("waiting_for_representatives")
        return
    await turn.goto("waiting_for_commune")


async def _after_people(turn: Turn) -> None:
    if RETURN_TO in turn.data:
        await turn.advance("reviewing")
        return
    await identity.start_identity(turn, "reviewing")


def _set_commune(turn: Turn, *, code: int | None = None, name: str | None = None,
                 kind: str | None = None) -> None:
    turn.data.update(commune_code=code, commune_name=name, commune_kind=kind)


def _commune_ways_out() -> list[Option]:
    # No short aliases: a typed commune's name must never be read as one of these.
    return [option(_("📝 I only know the old address (before 2025)"), COMMUNE_OLD,
                   "dia chi cu", "chi biet dia chi cu"),
            option(_("It is not about one commune or ward"), COMMUNE_NONE, "khong thuoc xa nao",
                   "khong thuoc xa phuong nao", "toan tinh", "nhieu xa")]


async def ask_commune(turn: Turn) -> None:
    """Ask which commune or ward the delegation's matter concerns."""
    turn.ask(_("Which commune or ward does the matter concern? For example: Hoàng Văn Thụ."),
             _commune_ways_out(), expect=Expect.TEXT)


async def receive_commune(turn: Turn) -> None:
    """Match the commune; offer the closest ones if unsure; or take an old address or none."""
    if turn.choice == COMMUNE_OLD:
        await turn.goto("waiting_for_old_commune")
        return
    if turn.choice == COMMUNE_NONE:
        _set_commune(turn, kind=COMMUNE_NONE)
        await turn.goto("waiting_for_representatives")
        return
    directory = Directory(turn.settings.province_code)
    found = directory.match(turn.text or "")
    if found.unit is not None:
        _set_commune(turn, code=found.unit.code, name=found.unit.name)
        await turn.goto("waiting_for_representatives")
        return
    if found.suggestions:
        turn.data["commune_suggestions"] = [[u.code, u.name] for u in found.suggestions]
        await turn.goto("choosing_commune")
        return
    await turn.reask(_("I could not find that commune or ward in {province}. Please check "
                       "the name, for example: Hoàng Văn Thụ, or choose «I only know the old "
                       "address».").format(province=esc(directory.province_name)))


async def ask_commune_choice(turn: Turn) -> None:
    """Offer the communes closest to what was typed."""
    options = [option(str(name), f"c:{code}") for code, name in
               turn.data.get("commune_suggestions", [])]
    options.append(option(_("✏️ Type it again"), "retype", "go lai", "nhap lai"))
    options.append(option(_("📝 It is an old address (before 2025)"), COMMUNE_OLD,
                          "dia chi cu"))
    turn.ask(_("Did you mean one of these?"), options)


async def receive_commune_choice(turn: Turn) -> None:
    """Keep the chosen commune, or ask again, or take an old address."""
    choice = turn.choice or ""
    if choice == COMMUNE_OLD:
        await turn.goto("waiting_for_old_commune")
        return
    for code, name in turn.data.get("commune_suggestions", []):
        if choice == f"c:{code}":
            _set_commune(turn, code=int(code), name=str(name))
            await turn.goto("waiting_for_representatives")
            return
    await turn.goto("waiting_for_commune")


async def ask_old_commune(turn: Turn) -> None:
    """Ask for the address under the names used before the 2025 reform."""
    turn.ask(_("Please type the old address as you know it: commune and district, for example: "
               "Hợp Thành commune, Cao Lộc district."), expect=Expect.TEXT)


async def receive_old_commune(turn: Turn) -> None:
    """Keep the old address as it was typed."""
    limit = turn.settings.petitions.max_answer_chars
    address = clean_address(turn.text or "", limit)
    if address is AddressProblem.TOO_LONG:
        await turn.reask(_("That is longer than {limit} characters. Please shorten it.").format(
            limit=limit))
        return
    if isinstance(address, AddressProblem):
        await turn.reask(_("Please type the commune and the district in words, for example: "
                           "Hợp Thành commune, Cao Lộc district."))
        return
    _set_commune(turn, name=address, kind=COMMUNE_OLD)
    await turn.goto("waiting_for_representatives")


# -- representatives of a mass delegation ------------------------------------------------------

def _representative_lines(turn: Turn) -> list[str]:
    return [f"{i}. {esc(r.full_name)}, {esc(r.phone_masked)}"
            for i, r in enumerate(_representatives(turn), start=1)]


async def ask_representatives(turn: Turn) -> None:
    """Explain the law on representatives and ask for their names and phones."""
    people = int(turn.data.get("people", 1))
    allowed = _allowed(turn)
    chosen = _representative_lines(turn)
    if chosen:
        lines = [_("Representatives so far ({count} of at most {allowed}):").format(
            count=len(chosen), allowed=allowed), *chosen,
            _("Type another one, or tap «That is all».")]
        options = [option(_("✅ That is all"), "done", "xong", "du roi", "het"),
                   option(_("🗑 Start the list again"), "clear", "lam lai", "xoa")]
    else:
        lines = [_("The law asks a group of {people} people to choose at most {allowed} "
                   "representatives from among themselves, in writing signed by everyone "
                   "(Luật Tiếp công dân, Đ.29). The representatives speak for the group at the "
                   "reception.").format(people=people, allowed=allowed),
                 _("Please type each representative's full name and phone number, one per "
                   "line, for example:\nNguyễn Văn An 0912345678")]
        options = []
    turn.ask("\n".join(lines), options, expect=Expect.TEXT)


def _representative_problem(error: RepresentativeError) -> str:
    line = esc(error.line[:80])
    if error.problem is RepresentativeProblem.NO_PHONE:
        return _("«{line}»: please write the name and the phone number together, for "
                 "example: Nguyễn Văn An 0912345678.").format(line=line)
    if error.problem is RepresentativeProblem.BAD_PHONE:
        return _("«{line}»: the phone number does not look right. A mobile number has 10 "
                 "digits and starts with 0; a landline starts with its area code, for example "
                 "0205 3812 345.").format(line=line)
    return _("«{line}»: please write the full name in letters, for example: Nguyễn Văn "
             "An.").format(line=line)


async def receive_representatives(turn: Turn) -> None:
    """Add the typed representatives, within what the law allows."""
    allowed = _allowed(turn)
    people = int(turn.data.get("people", 1))
    current = _representatives(turn)
    if turn.choice == "clear":
        turn.data["representatives"] = []
        await turn.goto("waiting_for_representatives")
        return
    if turn.choice == "done":
        if len(current) > allowed:
            await turn.reask(_too_many(people, allowed, len(current)))
            return
        await _after_people(turn)
        return
    found = parse_representatives(turn.text or "")
    if isinstance(found, RepresentativeError):
        await turn.reask(_representative_problem(found))
        return
    if not found:
        await turn.reask(_("Please type a representative's full name and phone number."))
        return
    total = len(current) + len(found)
    if total > allowed:
        await turn.reask(_too_many(people, allowed, total) + " " +
                         _("Nothing was added."))
        return
    turn.data["representatives"] = [r.to_json() for r in (*current, *found)]
    if total == allowed:
        turn.say(_("Representatives noted:") + "\n" + "\n".join(_representative_lines(turn)))
        await _after_people(turn)
        return
    await turn.goto("waiting_for_representatives")


def _too_many(people: int, allowed: int, count: int) -> str:
    return _("For a group of {people} people the law allows at most {allowed} "
             "representatives; the list would have {count}.").format(
                 people=people, allowed=allowed, count=count)


# -- review and confirmation ------------------------------------------------------------------

async def ask_review(turn: Turn) -> None:
    """Show everything for a last check, with a way to change each part."""
    bookings = turn.services.bookings
    slot = _slot(turn)
    request = _request(turn)
    if slot is None or request is None:
        await turn.goto("choosing_kind")
        return
    waiting = bool(turn.data.get("waitlist"))
    lines = [_("<b>Please check your waiting-list request:</b>") if waiting
             else _("<b>Please check your appointment:</b>")]
    lines += slot_lines(slot, bookings.site(slot.site_id), await bookings.leader_of(slot))
    lines.append(_("Matter: {topic}").format(topic=esc(request.topic)))
    if request.details:
        lines.append(_("(Your full text, {count} characters, is kept for the staff.)").format(
            count=format_number(len(request.details))))
    if request.petition_code:
        if await turn.services.petitions.own(turn.user, request.petition_code) is None:
            # A draft from before the check, or a petition no longer this account's.
            turn.data["petition_code"] = None
        else:
            lines.append(_("Petition: {code}").format(code=esc(request.petition_code)))
    lines.append(_("People coming: {people}").format(people=request.people))
    if turn.data.get("commune_kind") == COMMUNE_NONE:
        lines.append(_("Commune or ward: not one particular commune or ward"))
    elif turn.data.get("commune_kind") == COMMUNE_OLD and request.commune_name:
        lines.append(_("Commune or ward: {commune} (old address)").format(
            commune=esc(request.commune_name)))
    elif request.commune_name:
        lines.append(_("Commune or ward: {commune}").format(commune=esc(request.commune_name)))
    if request.representatives:
        lines.append(_("Representatives:"))
        lines += _representative_lines(turn)
    lines += identity.summary(request.identity)
    confirm = (yes_option(_("✅ Join the waiting list"), "confirm") if waiting else
               yes_option(_("✅ Confirm the appointment"), "confirm"))
    turn.ask("\n".join(lines), [
        confirm,
        option(_("✏️ Change the day or time"), "edit_time", "doi gio", "doi ngay"),
        option(_("✏️ Change the matter"), "edit_topic", "doi noi dung"),
        option(_("✏️ Change the number of people"), "edit_people", "doi so nguoi"),
        option(_("✏️ Change my details"), "edit_identity", "doi thong tin"),
    ], expect=Expect.CONFIRM)


async def receive_review(turn: Turn) -> None:
    """Book (or join the waiting list), or go and change one part."""
    choice = turn.choice
    if choice == "edit_time":
        await turn.edit("choosing_kind", return_to="reviewing")
    elif choice == "edit_topic":
        await turn.edit("waiting_for_topic", return_to="reviewing")
    elif choice == "edit_people":
        await turn.edit("waiting_for_people", return_to="reviewing")
    elif choice == "edit_identity":
        await identity.start_identity(turn, "reviewing")
    else:
        await _submit(turn)


async def _submit(turn: Turn) -> None:
    request = _request(turn)
    if request is None:
        await turn.goto("choosing_kind")
        return
    bookings = turn.services.bookings
    if turn.data.get("waitlist"):
        joined = await bookings.join_waitlist(turn.user, request)
        if isinstance(joined, WaitlistEntry):
            turn.say(await waiting_text(turn, joined))
            await turn.finish()
            return
        outcome: Booked | Full | Refused = joined
    else:
        outcome = await bookings.book(turn.user, request)
    await _after_booking(turn, outcome)


async def _after_booking(turn: Turn, outcome: Booked | Full | Refused) -> None:
    if isinstance(outcome, Booked):
        head = (_("✅ <b>Good news: a place was free, so your appointment is booked.</b>")
                if turn.data.get("waitlist") else None)
        await confirm_booked(turn, outcome, head)
        await turn.finish()
        return
    if isinstance(outcome, Full):
        turn.data["alternative"] = outcome.next_slot.key.to_json() if outcome.next_slot \
            else None
        await turn.goto("choosing_alternative")
        return
    if outcome.reason is Unbookable.ALREADY_BOOKED and outcome.existing is not None:
        turn.data["full"] = False
        await turn.goto("choosing_same_day")
        return
    slot = _slot(turn)
    day = slot.starts_at.astimezone(turn.settings.tz).date() if slot else None
    turn.say(refusal_text(turn, outcome, day) + "\n" + _("Nothing you entered is lost."))
    turn.data[RETURN_TO] = "reviewing"
    await turn.goto("choosing_kind")


async def ask_alternative(turn: Turn) -> None:
    """Say kindly that the last place went to someone else; offer the next one or the list."""
    slot = _slot(turn)
    assert slot is not None  # noqa: S101 - chosen before the review
    alternative = turn.data.get("alternative")
    lines = [_("We are sorry: the last place at {time} on {day} was taken by someone else "
               "a moment ago. Nothing you entered is lost.").format(
                   time=format_time(slot.starts_at), day=format_date(slot.starts_at, "weekday"))]
    options = []
    if alternative:
        nearest = SlotKey.from_json(alternative)
        lines.append(_("The nearest free time is {when}.").format(when=when(nearest)))
        options.append(option(_("✅ Book {time}, {day} instead").format(
            time=format_time(nearest.starts_at), day=day_label(
                nearest.starts_at.astimezone(turn.settings.tz).date())),
            "next"))
    options += [option(_("📝 Wait for a place at {time}").format(
                    time=format_time(slot.starts_at)), "wait", "cho", "danh sach cho"),
                option(_("🕘 Choose another time"), "other", "gio khac", "khac")]
    turn.ask("\n".join(lines), options, expect=Expect.CONFIRM)


async def receive_alternative(turn: Turn) -> None:
    """Book the next free time, join the waiting list, or choose again."""
    if turn.choice == "next" and turn.data.get("alternative"):
        nearest = SlotKey.from_json(turn.data["alternative"])
        turn.data.update(slot=nearest.to_json(), waitlist=False,
                         day=nearest.starts_at.astimezone(turn.settings.tz).date().isoformat())
        await _submit(turn)
        return
    if turn.choice == "wait":
        turn.data["waitlist"] = True
        await _submit(turn)
        return
    await turn.edit("choosing_kind", return_to="reviewing")


# -- global buttons: waiting-list offers, "book" -----------------------------------------------

def _entry_id(arg: str) -> int:
    return int(arg) if arg.isdigit() and len(arg) < 12 else 0


async def action_take_offer(turn: Turn, arg: str) -> None:
    """Take the place a waiting-list offer holds (checked again: owner, open, in time)."""
    outcome = await turn.services.bookings.take_offer(turn.user, _entry_id(arg))
    if isinstance(outcome, OfferRefused):
        turn.say({
            OfferRefusal.EXPIRED: _("We are sorry: this offer has expired and the place went "
                                    "to the next person waiting."),
            OfferRefusal.NOT_OFFERED: _("This offer has already been answered."),
        }.get(outcome.reason, _("We could not find this offer. It may belong to an earlier "
                                "message.")))
        return
    if isinstance(outcome, Booked):
        await confirm_booked(turn, outcome)
        return
    if isinstance(outcome, Refused):
        turn.say(refusal_text(turn, outcome))
        return
    turn.say(_("We are sorry: the place is no longer free. You can book another time from "
               "the menu: /start"))


async def action_decline_offer(turn: Turn, arg: str) -> None:
    """Give an offered place back to the next person waiting."""
    outcome = await turn.services.bookings.decline_offer(turn.user, _entry_id(arg))
    if isinstance(outcome, OfferRefused):
        turn.say(_("This offer is no longer open. Thank you."))
        return
    turn.say(_("Thank you for letting us know. The place goes to the next person waiting, "
               "and you are no longer on this waiting list."))


# Typed answers to an offer ("Ông/bà có muốn nhận chỗ này không?"): whole answers only, so
# a sentence that merely contains "có" is never taken for a yes.
_TAKE_WORDS = frozenset({"co", "co a", "vang", "vang a", "nhan", "toi nhan", "co nhan",
                         "co toi nhan", "nhan cho", "nhan cho nay", "dong y", "lay", "ok",
                         "yes", "i take it", "take"})
_DECLINE_WORDS = frozenset({"khong", "khong a", "ko", "khong nhan", "khong can", "thoi",
                            "tu choi", "khong cam on", "no", "no thanks", "no thank you"})


async def answer_offer(turn: Turn, text: str) -> bool:
    """Answer the person's latest open waiting-list offer with a typed yes or no, if any.

    Tell whether the text was such an answer. The offer is checked again as for its buttons.
    """
    words = fold_words(text)
    take = words in _TAKE_WORDS or words == fold_words(_("✅ Yes, I take this place"))
    decline = words in _DECLINE_WORDS or words == fold_words(_("✖️ No, thank you"))
    if not (take or decline):
        return False
    entry = await turn.services.bookings.latest_offer(turn.user)
    if entry is None:
        return False
    if take:
        await action_take_offer(turn, str(entry.id))
    else:
        await action_decline_offer(turn, str(entry.id))
    return True


async def action_book(turn: Turn, arg: str) -> None:
    """Open the booking flow from a button in a message."""
    await turn.begin(FLOW_NAME)


def _steps() -> dict[str, Step]:
    steps = {
        "choosing_kind": Step(ask_kind, receive_kind),
        "choosing_site": Step(ask_site, receive_site),
        "choosing_date": Step(ask_date, receive_date),
        "choosing_time": Step(ask_time, receive_time),
        "choosing_same_day": Step(ask_same_day, receive_same_day),
        "confirming_waitlist": Step(ask_waitlist, receive_waitlist),
        "waiting_for_topic": Step(ask_topic, receive_topic),
        "choosing_petition_link": Step(ask_petition_link, receive_petition_link),
        "waiting_for_petition_code": Step(ask_petition_code, receive_petition_code),
        "waiting_for_people": Step(ask_people, receive_people),
        "waiting_for_commune": Step(ask_commune, receive_commune),
        "choosing_commune": Step(ask_commune_choice, receive_commune_choice),
        "waiting_for_old_commune": Step(ask_old_commune, receive_old_commune),
        "waiting_for_representatives": Step(ask_representatives, receive_representatives),
        "reviewing": Step(ask_review, receive_review),
        "choosing_alternative": Step(ask_alternative, receive_alternative),
    }
    steps.update(identity.identity_steps())
    return steps


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Reception appointment"),
    steps=_steps(),
    first="choosing_kind",
    keeps_draft=True,
    confirm_cancel=True,
    interruptible=False,
)
