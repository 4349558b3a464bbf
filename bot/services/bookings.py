"""Reception bookings: what can be booked, booking it, changing it, waiting lists, reminders.

Capacity is checked and taken inside the caller's transaction, which is the whole turn: the
database lock serialises transactions, so two people can never take the last place.
A place is held by every booking that is not cancelled and by every open waiting-list offer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from bot.config import LeaderSettings, SiteSettings
from bot.domain.booking import (
    Booked,
    Booking,
    BookingKind,
    BookingRequest,
    BookingStatus,
    BookOutcome,
    CancelReason,
    ChangeRefusal,
    ChangeRefused,
    DayChange,
    DayRefusal,
    DayRefused,
    DayStatus,
    DayView,
    Full,
    OfferRefusal,
    OfferRefused,
    ReceptionDay,
    Refused,
    SlotKey,
    SlotView,
    Unbookable,
    WaitlistEntry,
    WaitStatus,
    add_months,
    added_day_closes,
    at,
    closes_before,
    is_mass_delegation,
    leader_day,
    per_slot_capacity,
    publish_by,
    registration_closes,
    slot_times,
)
from bot.domain.codes import BOOKING_PREFIX, new_code
from bot.domain.messages import Button, OutFile, Reply, action_data
from bot.domain.petitions import Shield
from bot.domain.users import ChannelUser, Purpose, Role
from bot.i18n import _, format_date, format_datetime
from bot.services import booking_texts as texts
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.services.ics import booking_file
from bot.services.identity import IdentityService
from bot.services.lookups import LookupGuard, LookupOutcome, LookupStep
from bot.services.outbox import OutboxService
from bot.services.shield import ShieldService, withheld_mark
from bot.services.users import UserService
from bot.storage import bookings as store
from bot.storage import petitions as petition_store
from bot.storage.bookings import DayLoad, NoShowCount

# Global actions (routed in handlers/routing.py); each re-checks everything when pressed.
ACTION_WILL_COME = "bk_come"
ACTION_CANNOT_COME = "bk_cannot"
ACTION_MOVE = "bk_move"
ACTION_REBOOK = "bk_rebook"
ACTION_BOOK = "bk_book"
ACTION_TAKE_OFFER = "wl_take"
ACTION_DECLINE_OFFER = "wl_decline"

DAY_CHANGERS = frozenset({Role.STAFF, Role.LEADER, Role.ADMIN})
STATUS_RECORDERS = frozenset({Role.STAFF, Role.ADMIN})
ALERTED_STAFF = (Role.STAFF, Role.ADMIN)
REMINDER_HORIZON = timedelta(days=10)  # longer than any gap between working days
REBOOK_CHOICES = 3
PUBLISH_WARNING_DAYS = 2  # working days before the legal publication date to warn staff


@dataclass(frozen=True)
class Appointment:
    """A booking with where it happens and who receives."""

    booking: Booking
    site: SiteSettings
    leader: LeaderSettings | None

    def lines(self) -> list[str]:
        """Return the lines that describe it (code, time, place, who receives)."""
        return texts.appointment_lines(self.booking, self.site, self.leader)


@dataclass(frozen=True)
class BookingLookup:
    """An appointment found by its code, and whether the account looking made it."""

    appointment: Appointment
    own: bool


class BookingService:
    """Book reception slots and keep the leaders' days, waiting lists and reminders."""

    def __init__(self, ctx: ServiceContext, users: UserService, outbox: OutboxService,
                 identity: IdentityService, audit: AuditService) -> None:
        self._ctx = ctx
        self._users = users
        self._outbox = outbox
        self._identity = identity
        self._audit = audit

    # -- time and settings --------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The current UTC time of this turn or job."""
        return self._ctx.now

    @property
    def today(self) -> date:
        """Today in the office's time zone."""
        return self._ctx.now.astimezone(self._ctx.settings.tz).date()

    def site(self, site_id: str) -> SiteSettings:
        """Return a reception site's settings."""
        return self._ctx.settings.site(site_id)

    def leader(self, leader_id: str) -> LeaderSettings | None:
        """Return a leader's settings, if still configured."""
        return self._ctx.settings.leader(leader_id)

    async def leader_of(self, slot: SlotKey) -> LeaderSettings | None:
        """Return who receives on a leader's day slot (None for regular reception)."""
        if slot.day_id is None:
            return None
        day = await store.get_day(self._ctx.conn, slot.day_id)
        return self.leader(day.leader_id) if day is not None else None

    async def appointment(self, booking: Booking) -> Appointment:
        """Return the booking with its site and leader."""
        return Appointment(booking, self.site(booking.slot.site_id),
                           await self.leader_of(booking.slot))

    def calendar_file(self, appointment: Appointment) -> OutFile:
        """Return the appointment as a calendar file (.ics), in the current language."""
        booking = appointment.booking
        site = appointment.site
        if booking.kind is BookingKind.LEADER:
            summary = _("Citizen reception by the {leader} ({code})").format(
                leader=texts.leader_title(appointment.leader), code=booking.code)
        else:
            summary = _("Citizen reception ({code})").format(code=booking.code)
        location = texts.place(site)
        description = "\n".join([
            _("Appointment code: {code}").format(code=booking.code),
            texts.bring_line(self.is_delegation(booking.people)),
            _("To cancel or move it, send /lichhen to the office's assistant."),
        ])
        return booking_file(booking, zone=self._ctx.settings.tz, summary=summary,
                            location=location, description=description,
                            alarm_text=_("Your reception appointment starts soon."),
                            now=self.now)

    def is_delegation(self, people: int) -> bool:
        """Tell whether ``people`` coming together form a mass delegation today."""
        return is_mass_delegation(people, self._ctx.settings.rules, self.today)

    # -- slots -----------------------------------------------------------------------------------

    def _regular_keys(self, site: SiteSettings, day: date) -> list[SlotKey]:
        zone = self._ctx.settings.tz
        return [SlotKey(BookingKind.REGULAR, site.id, None, at(day, start, zone),
                        at(day, end, zone))
                for start, end in slot_times(site.sessions, site.slot_minutes)]

    def _leader_keys(self, day: ReceptionDay) -> list[SlotKey]:
        leader = self.leader(day.leader_id) or LeaderSettings()
        zone = self._ctx.settings.tz
        return [SlotKey(BookingKind.LEADER, day.site_id, day.id, at(day.day, start, zone),
                        at(day.day, end, zone))
                for start, end in slot_times(leader.sessions, leader.slot_minutes)]

    def bookable_days(self, site_id: str) -> list[date]:
        """Return the working days offered for regular reception (today if times remain)."""
        wanted = self._ctx.settings.bookings.days_offered
        days = list(self._ctx.settings.calendar.working_days(self.today, wanted + 1))
        site = self.site(site_id)
        if days and days[0] == self.today and not any(
                key.starts_at > self.now for key in self._regular_keys(site, self.today)):
            days = days[1:]
        return days[:wanted]

    async def _views(self, keys: Sequence[SlotKey], capacity: int,
                     day: ReceptionDay | None) -> list[SlotView]:
        if not keys:
            return []
        first = keys[0]
        taken = await store.taken_between(self._ctx.conn, first.site_id, first.day_id,
                                          first.starts_at, keys[-1].ends_at, self.now)
        views = [SlotView(key, capacity, taken.get(key.starts_at, 0)) for key in keys]
        if day is None:
            return views
        # A leader's day also has a cap for the whole day.
        load = await store.day_load(self._ctx.conn, day.id, self.now)
        room = max(0, day.capacity - load.places_taken)
        return [SlotView(v.key, v.capacity, v.capacity - min(v.places_left, room))
                for v in views]

    async def regular_days(self, site_id: str) -> list[DayView]:
        """Return the days offered for regular reception, with the places left on each."""
        site = self.site(site_id)
        days = self.bookable_days(site_id)
        if not days:
            return []
        keys = [k for d in days for k in self._regular_keys(site, d) if k.starts_at > self.now]
        views = await self._views(keys, site.capacity, None) if keys else []
        left: dict[date, int] = dict.fromkeys(days, 0)
        zone = self._ctx.settings.tz
        for view in views:
            left[view.key.starts_at.astimezone(zone).date()] += view.places_left
        return [DayView(d, left[d]) for d in days]

    async def slots(self, kind: BookingKind, site_id: str, day: date,
                    day_id: int | None) -> list[SlotView]:
        """Return the slots still ahead on a day, with the places left in each."""
        if kind is BookingKind.LEADER and day_id is not None:
            reception = await store.get_day(self._ctx.conn, day_id)
            if reception is None:
                return []
            keys = [k for k in self._leader_keys(reception) if k.starts_at > self.now]
            capacity = per_slot_capacity(reception.capacity, len(self._leader_keys(reception)))
            return await self._views(keys, capacity, reception)
        site = self.site(site_id)
        keys = [k for k in self._regular_keys(site, day) if k.starts_at > self.now]
        return await self._views(keys, site.capacity, None)

    async def slot_view(self, slot: SlotKey) -> SlotView | None:
        """Return one slot with its places left, or None if it is not a slot of its day."""
        zone = self._ctx.settings.tz
        day = slot.starts_at.astimezone(zone).date()
        for view in await self.slots(slot.kind, slot.site_id, day, slot.day_id):
            if view.key.starts_at == slot.starts_at:
                return view
        return None

    async def next_free(self, slot: SlotKey) -> SlotView | None:
        """Return the first slot after ``slot`` with a place (same day first, same kind)."""
        zone = self._ctx.settings.tz
        if slot.kind is BookingKind.LEADER and slot.day_id is not None:
            current = await store.get_day(self._ctx.conn, slot.day_id)
            if current is None:
                return None
            for reception in await self._open_days(current.leader_id):
                for view in await self.slots(slot.kind, reception.site_id, reception.day,
                                             reception.id):
                    if view.key.starts_at > slot.starts_at and view.places_left > 0:
                        return view
            return None
        start_day = slot.starts_at.astimezone(zone).date()
        for day in self.bookable_days(slot.site_id):
            if day < start_day:
                continue
            for view in await self.slots(BookingKind.REGULAR, slot.site_id, day, None):
                if view.key.starts_at > slot.starts_at and view.places_left > 0:
                    return view
        return None

    # -- leaders' days -------------------------------------------------------------------------

    async def keep_schedule(self) -> int:
        """Make the leaders' days the rules call for, months ahead; return how many are new."""
        settings = self._ctx.settings
        today = self.today
        made = 0
        for leader in settings.leaders:
            for offset in range(leader.months_ahead + 1):
                year, month = add_months(today.year, today.month, offset)
                day = leader_day(year, month, leader.day_of_month, settings.calendar)
                if day < today:
                    continue
                closes = registration_closes(
                    year=year, month=month, day=day, closes_day=leader.registration_closes_day,
                    closes_working_days_before=leader.registration_closes_working_days_before,
                    calendar=settings.calendar)
                if await store.insert_rule_day(
                        self._ctx.conn, leader_id=leader.id, site_id=leader.site, day=day,
                        rule_month=f"{year:04d}-{month:02d}", closes_on=closes,
                        capacity=leader.capacity,
                        published_at=self.now if leader.auto_publish else None, now=self.now):
                    made += 1
                    await self._audit.record("reception_day.generate", leader.id,
                                             day=day.isoformat(), closes_on=closes.isoformat())
        await self._warn_unpublished()
        return made

    async def _warn_unpublished(self) -> None:
        settings = self._ctx.settings
        for day in await store.days_from(self._ctx.conn, self.today,
                                         statuses=(DayStatus.SCHEDULED,)):
            if day.published_at is not None:
                continue
            due = publish_by(day.day, settings.calendar, settings.rules)
            warn_from = settings.calendar.subtract_working_days(due, PUBLISH_WARNING_DAYS)
            if self.today < warn_from:
                continue
            leader = self.leader(day.leader_id)

            def build(day: ReceptionDay = day, due: date = due,
                      leader: LeaderSettings | None = leader) -> Reply:
                return Reply(text=_(
                    "📢 The reception day of the {leader} on {day} is not published yet. "
                    "The law asks for it to be published by {due} (Luật Tiếp công dân, "
                    "Đ.24(4)). Send /ngaytiep to publish, move or cancel it.").format(
                        leader=texts.esc(texts.leader_title(leader)),
                        day=texts.day_text(day.day), due=format_date(due, "short")))

            await self._outbox.send_to_roles(ALERTED_STAFF, "reception_day.publish_due", build,
                                             dedupe_key=f"publish-due:{day.id}")

    async def _open_days(self, leader_id: str | None = None) -> list[ReceptionDay]:
        days = await store.days_from(self._ctx.conn, self.today, leader_id=leader_id,
                                     statuses=(DayStatus.SCHEDULED,))
        return [d for d in days if d.is_open(self.today)
                and any(k.starts_at > self.now for k in self._leader_keys(d))]

    async def open_leader_days(self, leader_id: str | None = None) -> list[DayView]:
        """Return the published leaders' days still open for registration, with places left."""
        await self.keep_schedule()
        found: list[DayView] = []
        for day in await self._open_days(leader_id):
            views = await self.slots(BookingKind.LEADER, day.site_id, day.day, day.id)
            load = await store.day_load(self._ctx.conn, day.id, self.now)
            left = min(sum(v.places_left for v in views), day.capacity - load.places_taken)
            found.append(DayView(day.day, max(0, left), day))
        return found

    async def reception_day(self, day_id: int) -> ReceptionDay | None:
        """Return a leader's reception day."""
        return await store.get_day(self._ctx.conn, day_id)

    async def leader_days_on(self, day: date) -> list[ReceptionDay]:
        """Return the leaders' days recorded on a date, whatever their status."""
        return await store.days_on(self._ctx.conn, day)

    # -- checks ----------------------------------------------------------------------------------

    def check_regular_day(self, site_id: str, day: date) -> Refused | None:
        """Say why a typed day cannot be booked for regular reception, or None if it can."""
        if day < self.today:
            return Refused(Unbookable.PAST)
        reason = self._ctx.settings.calendar.day_off_reason(day)
        if reason is not None:
            return Refused(Unbookable.DAY_OFF, day_off=reason)
        offered = self.bookable_days(site_id)
        if not offered or day > offered[-1]:
            return Refused(Unbookable.TOO_FAR)
        if day not in offered:
            # Only today falls between: its last reception time has begun or passed.
            return Refused(Unbookable.DAY_OVER, next_day=offered[0])
        return None

    def check_leader_day(self, day: ReceptionDay) -> Refused | None:
        """Say why a leader's day cannot be booked now, or None if it can."""
        if day.day < self.today:
            return Refused(Unbookable.PAST)
        if day.status is not DayStatus.SCHEDULED or day.published_at is None:
            return Refused(Unbookable.DAY_NOT_OPEN)
        if self.today > day.closes_on:
            return Refused(Unbookable.DAY_CLOSED, closes_on=day.closes_on)
        return None

    async def same_day(self, user: ChannelUser, slot: SlotKey,
                       moving: Booking | None = None) -> Booking | None:
        """Return the account's active booking on the local day of ``slot``, if any.

        The booking being moved does not count. A CCCD number typed is not matched: that
        would tell whoever types someone's number that they have an appointment that day.
        """
        zone = self._ctx.settings.tz
        day = slot.starts_at.astimezone(zone).date()
        start, end = at(day, time(0), zone), at(day + timedelta(days=1), time(0), zone)
        found = await store.person_active_between(self._ctx.conn, user.channel, user.user_id,
                                                  start, end)
        return next((b for b in found if moving is None or b.id != moving.id), None)

    async def _refusal(self, user: ChannelUser, slot: SlotKey,
                       moving: Booking | None = None) -> Refused | None:
        if slot.starts_at <= self.now:
            return Refused(Unbookable.PAST)
        day = slot.starts_at.astimezone(self._ctx.settings.tz).date()
        if slot.kind is BookingKind.LEADER:
            reception = await store.get_day(self._ctx.conn, slot.day_id) \
                if slot.day_id is not None else None
            if reception is None:
                return Refused(Unbookable.NOT_A_SLOT)
            refused = self.check_leader_day(reception)
            if refused is not None:
                return refused
        else:
            refused = self.check_regular_day(slot.site_id, day)
            if refused is not None:
                return refused
        if await self.slot_view(slot) is None:
            return Refused(Unbookable.NOT_A_SLOT)
        # One active appointment a day per person: a second one is refused, not stacked.
        existing = await self.same_day(user, slot, moving)
        if existing is not None:
            return Refused(Unbookable.ALREADY_BOOKED, existing=existing)
        return None

    # -- booking -----------------------------------------------------------------------------------

    async def _new_code(self) -> str:
        while True:
            code = new_code(BOOKING_PREFIX)
            if not await store.code_exists(self._ctx.conn, code):
                return code

    async def _own_petition(self, user: ChannelUser, request: BookingRequest) -> BookingRequest:
        """Keep the linked petition only if this account filed it (it is checked in the flow).

        A booking names a petition beside the booker: another person's would be told to staff
        as theirs, and a code that names nothing is noise.
        """
        code = request.petition_code
        if code is None:
            return request
        petition = await petition_store.get_by_code(self._ctx.conn, code)
        if petition is not None and petition.filed_by(user.channel, user.user_id):
            return request
        await self._audit.record("booking.petition_link_refused", f"{user.channel}:"
                                 f"{user.user_id}")
        return replace(request, petition_code=None)

    async def book(self, user: ChannelUser, request: BookingRequest) -> BookOutcome:
        """Book the slot if it still has a place; else say what is free next."""
        refused = await self._refusal(user, request.slot)
        if refused is not None:
            return refused
        request = await self._own_petition(user, request)
        view = await self.slot_view(request.slot)
        if view is None:
            return Refused(Unbookable.NOT_A_SLOT)
        if view.places_left <= 0:
            return Full(await self.next_free(request.slot))
        booking = await store.insert_booking(
            self._ctx.conn, code=await self._new_code(), channel=user.channel,
            user_id=user.user_id, request=request, now=self.now)
        await self._identity.keep(user, request.identity)
        await self._audit.record("booking.create", booking.code, kind=booking.kind.value,
                                 people=booking.people, starts_at=booking.slot.starts_at
                                 .isoformat())
        await self._after_taking(booking)
        return Booked(booking)

    async def _after_taking(self, booking: Booking) -> None:
        if self.is_delegation(booking.people):
            await self._alert_delegation(booking)
        if booking.slot.day_id is not None:
            await self._alert_crowded_day(booking.slot.day_id)

    # -- waiting lists -----------------------------------------------------------------------------

    async def join_waitlist(self, user: ChannelUser,
                            request: BookingRequest) -> WaitlistEntry | Booked | Refused:
        """Put the person on the slot's waiting list (or book it, if a place is free now)."""
        refused = await self._refusal(user, request.slot)
        if refused is not None:
            return refused
        request = await self._own_petition(user, request)
        view = await self.slot_view(request.slot)
        if view is not None and view.places_left > 0:
            booked = await self.book(user, request)
            if isinstance(booked, Booked | Refused):
                return booked
        existing = await store.person_waiting_at(self._ctx.conn, user.channel, user.user_id,
                                                 request.slot)
        if existing is not None:
            return existing
        entry = await store.insert_wait(self._ctx.conn, channel=user.channel,
                                        user_id=user.user_id, request=request, now=self.now)
        await self._identity.keep(user, request.identity)
        await self._audit.record("booking.waitlist_join", str(entry.id),
                                 starts_at=request.slot.starts_at.isoformat())
        return entry

    async def waiting_position(self, entry: WaitlistEntry) -> int:
        """Return the entry's place in its queue (1: the next place freed is theirs)."""
        return await store.waiting_position(self._ctx.conn, entry)

    async def _free_place(self, slot: SlotKey) -> None:
        """Offer a freed place to the people waiting for it, first come first.

        On a leader's day a place freed at one time may also be the day's missing place for
        someone waiting at another time, so every time of that day is looked at.
        """
        keys = [slot]
        if slot.day_id is not None:
            day = await store.get_day(self._ctx.conn, slot.day_id)
            if day is not None:
                keys += [k for k in self._leader_keys(day) if k.starts_at != slot.starts_at]
        for key in keys:
            await self._offer_waiting(key)

    async def _offer_waiting(self, slot: SlotKey) -> None:
        while True:
            view = await self.slot_view(slot)
            if view is None or view.places_left <= 0:
                return
            entry = await store.first_waiting(self._ctx.conn, slot.site_id, slot.day_id,
                                              slot.starts_at)
            if entry is None:
                return
            expires = min(self.now + timedelta(
                minutes=self._ctx.settings.bookings.waitlist_offer_minutes), slot.starts_at)
            person = await self._users.get(entry.channel, entry.user_id)
            if person is None or expires <= self.now:
                await store.close_wait(self._ctx.conn, entry.id, WaitStatus.LAPSED, self.now)
                continue
            await store.offer(self._ctx.conn, entry.id, self.now, expires)
            await self._audit.record("booking.waitlist_offer", str(entry.id),
                                     expires_at=expires.isoformat())
            await self._send_offer(person, entry, expires)

    async def _send_offer(self, person: ChannelUser, entry: WaitlistEntry,
                          expires: datetime) -> None:
        site = self.site(entry.slot.site_id)
        leader = await self.leader_of(entry.slot)

        def build() -> Reply:
            return Reply(
                text="\n".join([
                    _("🎉 Good news: a place has become free."),
                    *texts.slot_lines(entry.slot, site, leader),
                    _("We are keeping it for you until {time}. Do you want it?").format(
                        time=format_datetime(expires)),
                ]),
                buttons=(Button(_("✅ Yes, I take this place"),
                                action_data(ACTION_TAKE_OFFER, str(entry.id))),
                         Button(_("✖️ No, thank you"),
                                action_data(ACTION_DECLINE_OFFER, str(entry.id)))),
            )

        await self._outbox.send_to(person, "booking.waitlist_offer", build,
                                   dedupe_key=f"waitlist-offer:{entry.id}")

    async def _open_offer(self, user: ChannelUser,
                          entry_id: int) -> WaitlistEntry | OfferRefused:
        entry = await store.get_wait(self._ctx.conn, entry_id)
        if entry is None or (entry.channel, entry.user_id) != (user.channel, user.user_id):
            return OfferRefused(OfferRefusal.NOT_FOUND)
        if entry.status is not WaitStatus.OFFERED:
            reason = OfferRefusal.EXPIRED if entry.status in (
                WaitStatus.EXPIRED, WaitStatus.LAPSED) else OfferRefusal.NOT_OFFERED
            return OfferRefused(reason, entry)
        if entry.offer_expires_at is None or entry.offer_expires_at <= self.now:
            await self._expire(entry)
            return OfferRefused(OfferRefusal.EXPIRED, entry)
        return entry

    async def latest_offer(self, user: ChannelUser) -> WaitlistEntry | None:
        """Return the person's most recent waiting-list offer not answered yet, if any."""
        return await store.latest_offer_to(self._ctx.conn, user.channel, user.user_id)

    async def take_offer(self, user: ChannelUser, entry_id: int) -> BookOutcome | OfferRefused:
        """Book the place offered to the person, while the offer lasts."""
        entry = await self._open_offer(user, entry_id)
        if isinstance(entry, OfferRefused):
            return entry
        # Closing the entry releases the place held for it; booking takes it in the same
        # transaction, so nobody else can slip in between.
        await store.close_wait(self._ctx.conn, entry.id, WaitStatus.TAKEN, self.now)
        outcome = await self.book(user, entry.request)
        if isinstance(outcome, Booked):
            await store.close_wait(self._ctx.conn, entry.id, WaitStatus.TAKEN, self.now,
                                   booking_id=outcome.booking.id)
        else:
            await store.close_wait(self._ctx.conn, entry.id, WaitStatus.LAPSED, self.now)
            await self._free_place(entry.slot)
        return outcome

    async def decline_offer(self, user: ChannelUser,
                            entry_id: int) -> WaitlistEntry | OfferRefused:
        """Give the offered place back; it goes to the next person waiting."""
        entry = await self._open_offer(user, entry_id)
        if isinstance(entry, OfferRefused):
            return entry
        await store.close_wait(self._ctx.conn, entry.id, WaitStatus.DECLINED, self.now)
        await self._audit.record("booking.waitlist_decline", str(entry.id))
        await self._free_place(entry.slot)
        return entry

    async def _expire(self, entry: WaitlistEntry) -> None:
        await store.close_wait(self._ctx.conn, entry.id, WaitStatus.EXPIRED, self.now)
        person = await self._users.get(entry.channel, entry.user_id)
        if person is not None:
            def build() -> Reply:
                return Reply(text=_(
                    "The place we kept for you on {when} was not taken in time, so it has "
                    "gone to the next person waiting. You can book another time from the "
                    "menu: /start").format(when=texts.when(entry.slot)))

            await self._outbox.send_to(person, "booking.waitlist_expired", build,
                                       dedupe_key=f"waitlist-expired:{entry.id}")
        await self._free_place(entry.slot)

    async def expire_offers(self) -> int:
        """Pass on offers nobody took in time; close waits for slots that began."""
        done = 0
        for entry in await store.expired_offers(self._ctx.conn, self.now):
            await self._expire(entry)
            done += 1
        for entry in await store.started_waits(self._ctx.conn, self.now):
            await store.close_wait(self._ctx.conn, entry.id, WaitStatus.LAPSED, self.now)
            person = await self._users.get(entry.channel, entry.user_id)
            if person is not None:
                def build(entry: WaitlistEntry = entry) -> Reply:
                    return Reply(text=_(
                        "No place became free on {when}, which you were waiting for. We are "
                        "sorry. You can book another time from the menu: /start").format(
                            when=texts.when(entry.slot)))

                await self._outbox.send_to(person, "booking.waitlist_lapsed", build,
                                           dedupe_key=f"waitlist-lapsed:{entry.id}")
            done += 1
        return done

    # -- the person's bookings ---------------------------------------------------------------------

    async def upcoming(self, user: ChannelUser) -> list[Booking]:
        """Return the person's booked appointments still ahead, soonest first."""
        return await store.person_bookings(self._ctx.conn, user.channel, user.user_id,
                                           since=self.now, statuses=(BookingStatus.BOOKED,))

    async def find(self, code: str) -> Booking | None:
        """Return a booking by its code."""
        return await store.get_by_code(self._ctx.conn, code)

    async def mine(self, user: ChannelUser, code: str) -> Booking | None:
        """Return the person's own booking with ``code``."""
        booking = await store.get_by_code(self._ctx.conn, code)
        if booking is None or (booking.channel, booking.user_id) != (user.channel,
                                                                      user.user_id):
            return None
        return booking

    # -- looking an appointment up by its code ----------------------------------------------

    @cached_property
    def _guard(self) -> LookupGuard:
        return LookupGuard(self._ctx, self._audit)

    async def open_by_code(self, user: ChannelUser,
                           code: str) -> LookupOutcome[BookingLookup]:
        """Show an appointment to the account that made it; others must pass the phone check.

        Whether the code exists is never told to anyone but its owner.
        """
        booking = await self.mine(user, code)
        if booking is not None:
            return LookupOutcome(LookupStep.SHOWN,
                                 view=BookingLookup(await self.appointment(booking), own=True))
        return await self._guard.opening(user)

    async def check_phone(self, user: ChannelUser, code: str,
                          last_four: str) -> LookupOutcome[BookingLookup]:
        """Check the last four digits of a phone given with appointment ``code``.

        The booker's phone and each representative's are accepted; misses are counted with
        those of petitions.
        """
        booking = await store.get_by_code(self._ctx.conn, code)
        if booking is not None and (booking.channel, booking.user_id) == (user.channel,
                                                                          user.user_id):
            return LookupOutcome(LookupStep.SHOWN,
                                 view=BookingLookup(await self.appointment(booking), own=True))
        phones = [] if booking is None else [
            phone for phone in (booking.identity.phone_e164,
                                *(r.phone_e164 for r in booking.representatives)) if phone]
        checked = await self._guard.check("booking", user, code, last_four, phones)
        if not checked.passed or booking is None:
            return checked.outcome()
        return LookupOutcome(LookupStep.SHOWN,
                             view=BookingLookup(await self.appointment(booking), own=False))

    def can_change(self, booking: Booking) -> bool:
        """Tell whether the booking may still be cancelled or moved online."""
        cutoff = self._ctx.settings.bookings.cancel_cutoff_hours
        return (booking.status is BookingStatus.BOOKED
                and self.now < booking.changeable_until(cutoff))

    def _change_refusal(self, booking: Booking | None, *,
                        cutoff: bool) -> ChangeRefused | None:
        if booking is None:
            return ChangeRefused(ChangeRefusal.NOT_FOUND)
        if booking.status is BookingStatus.CANCELLED:
            return ChangeRefused(ChangeRefusal.CANCELLED, booking)
        if booking.status is not BookingStatus.BOOKED:
            return ChangeRefused(ChangeRefusal.CLOSED, booking)
        if booking.slot.starts_at <= self.now:
            return ChangeRefused(ChangeRefusal.STARTED, booking)
        if cutoff and not self.can_change(booking):
            return ChangeRefused(ChangeRefusal.TOO_LATE, booking)
        return None

    async def cancel(self, user: ChannelUser, code: str) -> Booking | ChangeRefused:
        """Cancel the person's booking, until the cut-off; its place goes to the waiting list."""
        booking = await self.mine(user, code)
        refused = self._change_refusal(booking, cutoff=True)
        if refused is not None:
            return refused
        assert booking is not None  # noqa: S101 - refused above otherwise
        return await self._cancel(booking, CancelReason.CITIZEN)

    async def cannot_come(self, user: ChannelUser, code: str) -> Booking | ChangeRefused:
        """Free the place of someone who says they cannot come (any time before it starts)."""
        booking = await self.mine(user, code)
        refused = self._change_refusal(booking, cutoff=False)
        if refused is not None:
            return refused
        assert booking is not None  # noqa: S101 - refused above otherwise
        return await self._cancel(booking, CancelReason.CANNOT_COME)

    async def _cancel(self, booking: Booking, reason: CancelReason) -> Booking:
        await store.cancel_booking(self._ctx.conn, booking.id, reason, self.now)
        await self._audit.record("booking.cancel", booking.code, reason=reason.value)
        await self._free_place(booking.slot)
        cancelled = await store.get_booking(self._ctx.conn, booking.id)
        assert cancelled is not None  # noqa: S101 - just updated
        return cancelled

    async def will_come(self, user: ChannelUser, code: str) -> Booking | ChangeRefused:
        """Record that the person will come."""
        booking = await self.mine(user, code)
        refused = self._change_refusal(booking, cutoff=False)
        if refused is not None:
            return refused
        assert booking is not None  # noqa: S101 - refused above otherwise
        await store.set_confirmed(self._ctx.conn, booking.id, self.now)
        await self._audit.record("booking.will_come", booking.code)
        return booking

    async def move(self, user: ChannelUser, code: str,
                   slot: SlotKey) -> BookOutcome | ChangeRefused:
        """Move the person's booking to ``slot`` in one step (the old place is freed)."""
        booking = await self.mine(user, code)
        refused = self._change_refusal(booking, cutoff=True)
        if refused is not None:
            return refused
        assert booking is not None  # noqa: S101 - refused above otherwise
        if slot == booking.slot:
            return Refused(Unbookable.ALREADY_BOOKED)
        not_bookable = await self._refusal(user, slot, moving=booking)
        if not_bookable is not None:
            return not_bookable
        view = await self.slot_view(slot)
        if view is None or view.places_left <= 0:
            return Full(await self.next_free(slot))
        await store.move_booking(self._ctx.conn, booking.id, slot, self.now)
        await self._audit.record("booking.move", booking.code,
                                 starts_at=slot.starts_at.isoformat(),
                                 previous=booking.slot.starts_at.isoformat())
        await self._free_place(booking.slot)
        moved = await store.get_booking(self._ctx.conn, booking.id)
        assert moved is not None  # noqa: S101 - just updated
        await self._after_taking(moved)
        return Booked(moved)

    async def rebook(self, user: ChannelUser, code: str, day_id: int) -> BookOutcome | \
            ChangeRefused:
        """Book again, on another leader's day, what a cancelled leader's day took away."""
        booking = await self.mine(user, code)
        if booking is None:
            return ChangeRefused(ChangeRefusal.NOT_FOUND)
        if booking.cancel_reason is not CancelReason.DAY_CANCELLED:
            return ChangeRefused(ChangeRefusal.CLOSED, booking)
        day = await store.get_day(self._ctx.conn, day_id)
        if day is None:
            return Refused(Unbookable.NOT_A_SLOT)
        refused = self.check_leader_day(day)
        if refused is not None:
            return refused
        views = await self.slots(BookingKind.LEADER, day.site_id, day.day, day.id)
        zone = self._ctx.settings.tz
        same_time = [v for v in views if v.places_left > 0 and v.key.starts_at.astimezone(
            zone).time() == booking.slot.starts_at.astimezone(zone).time()]
        free = same_time or [v for v in views if v.places_left > 0]
        if not free:
            return Full(None)
        return await self.book(user, booking.request().at_slot(free[0].key))

    async def rebook_choices(self, booking: Booking) -> list[DayView]:
        """Return the next open days of the same leader, to book again after a cancellation."""
        day = await store.get_day(self._ctx.conn, booking.slot.day_id) \
            if booking.slot.day_id is not None else None
        if day is None:
            return []
        days = await self.open_leader_days(day.leader_id)
        return [d for d in days if d.places_left > 0][:REBOOK_CHOICES]

    # -- staff: statuses and reports --------------------------------------------------------------

    def _require(self, roles: frozenset[Role]) -> None:
        role = self._ctx.actor.role
        if role is None or role not in roles:
            raise PermissionError(f"role {role} may not do this")

    async def record_status(self, code: str, status: BookingStatus) -> Booking | None:
        """Record where a booking stands at the office (staff only)."""
        self._require(STATUS_RECORDERS)
        booking = await store.get_by_code(self._ctx.conn, code)
        if booking is None:
            return None
        await store.set_status(self._ctx.conn, booking.id, status, self.now)
        await self._audit.record("booking.status", code, status=status.value,
                                 previous=booking.status.value)
        return await store.get_booking(self._ctx.conn, booking.id)

    async def no_show_count(self, channel: str, user_id: str,
                            cccd_digest: str | None = None) -> int:
        """Return how often a citizen booked and did not come (by account or CCCD)."""
        return await store.no_shows(self._ctx.conn, channel, user_id, cccd_digest)

    async def no_show_counts(self, start: datetime, end: datetime) -> list[NoShowCount]:
        """Return the citizens with no-shows in [start, end), for the reports (officials)."""
        self._require(frozenset(r for r in Role if r.is_official))
        return await store.no_show_counts(self._ctx.conn, start, end)

    # -- staff: leaders' days ---------------------------------------------------------------

    async def staff_days(self) -> list[tuple[ReceptionDay, DayLoad]]:
        """Return the leaders' days from today on, with what is booked on each (staff)."""
        self._require(DAY_CHANGERS)
        await self.keep_schedule()
        days = await store.days_from(self._ctx.conn, self.today)
        return [(d, await store.day_load(self._ctx.conn, d.id, self.now)) for d in days]

    def _new_date_refusal(self, day: date) -> DayRefused | None:
        if day <= self.today:
            return DayRefused(DayRefusal.PAST)
        reason = self._ctx.settings.calendar.day_off_reason(day)
        if reason is not None:
            return DayRefused(DayRefusal.DAY_OFF, day_off=reason)
        return None

    async def _leader_busy(self, leader_id: str, day: date) -> bool:
        return any(d.leader_id == leader_id and d.status is DayStatus.SCHEDULED
                   for d in await store.days_on(self._ctx.conn, day))

    def _notice(self, day: date) -> tuple[date, bool]:
        settings = self._ctx.settings
        due = publish_by(day, settings.calendar, settings.rules)
        return due, self.today > due

    async def add_day(self, leader_id: str, day: date) -> DayChange | DayRefused:
        """Add one reception day for a leader (published now if the leader's days are)."""
        self._require(DAY_CHANGERS)
        leader = self.leader(leader_id)
        if leader is None:
            return DayRefused(DayRefusal.UNKNOWN_LEADER)
        refused = self._new_date_refusal(day)
        if refused is not None:
            return refused
        if await self._leader_busy(leader_id, day):
            return DayRefused(DayRefusal.DUPLICATE)
        settings = self._ctx.settings
        added = await store.insert_added_day(
            self._ctx.conn, leader_id=leader.id, site_id=leader.site, day=day,
            closes_on=max(self.today, added_day_closes(
                day, day_of_month=leader.day_of_month,
                closes_day=leader.registration_closes_day,
                closes_working_days_before=leader.registration_closes_working_days_before,
                calendar=settings.calendar)),
            capacity=leader.capacity, published_at=self.now if leader.auto_publish else None,
            now=self.now)
        await self._audit.record("reception_day.add", str(added.id), leader=leader.id,
                                 day=day.isoformat())
        due, late = self._notice(day)
        return DayChange(added, publish_by=due, late_notice=late and leader.auto_publish)

    async def publish(self, day_id: int) -> DayChange | DayRefused:
        """Publish a leader's day: from now on citizens may register for it."""
        self._require(DAY_CHANGERS)
        day = await store.get_day(self._ctx.conn, day_id)
        if day is None:
            return DayRefused(DayRefusal.UNKNOWN_DAY)
        if day.status is not DayStatus.SCHEDULED or day.day < self.today:
            return DayRefused(DayRefusal.NOT_SCHEDULED)
        await store.publish_day(self._ctx.conn, day.id, self.now)
        await self._audit.record("reception_day.publish", str(day.id))
        published = await store.get_day(self._ctx.conn, day.id)
        assert published is not None  # noqa: S101 - just updated
        due, late = self._notice(day.day)
        return DayChange(published, publish_by=due, late_notice=late)

    async def postpone_day(self, day_id: int, new_day: date,
                           reason: str) -> DayChange | DayRefused:
        """Move a leader's day to ``new_day``: its bookings follow, each person is told."""
        self._require(DAY_CHANGERS)
        old = await store.get_day(self._ctx.conn, day_id)
        if old is None:
            return DayRefused(DayRefusal.UNKNOWN_DAY)
        if old.status is not DayStatus.SCHEDULED or old.day < self.today:
            return DayRefused(DayRefusal.NOT_SCHEDULED)
        if new_day == old.day:
            return DayRefused(DayRefusal.SAME_DAY)
        refused = self._new_date_refusal(new_day)
        if refused is not None:
            return refused
        if await self._leader_busy(old.leader_id, new_day):
            return DayRefused(DayRefusal.DUPLICATE)
        leader = self.leader(old.leader_id)
        settings = self._ctx.settings
        # The law asks for the new date to be announced: the moved day is published at once.
        new = await store.insert_added_day(
            self._ctx.conn, leader_id=old.leader_id, site_id=old.site_id, day=new_day,
            closes_on=max(self.today, added_day_closes(
                new_day, day_of_month=leader.day_of_month,
                closes_day=leader.registration_closes_day,
                closes_working_days_before=leader.registration_closes_working_days_before,
                calendar=settings.calendar) if leader else closes_before(
                    new_day, None, settings.calendar)),
            capacity=old.capacity, published_at=self.now, now=self.now, note=reason)
        await store.set_day_status(self._ctx.conn, old.id, DayStatus.POSTPONED, self.now,
                                   note=reason, moved_to=new.id)
        await self._audit.record("reception_day.postpone", str(old.id), to=new_day.isoformat(),
                                 new_day_id=new.id)
        zone = settings.tz
        new_keys = {k.starts_at.astimezone(zone).time(): k for k in self._leader_keys(new)}
        fallback = list(new_keys.values())
        told = 0
        for booking in await store.day_bookings(self._ctx.conn, old.id):
            local = booking.slot.starts_at.astimezone(zone).time()
            target = new_keys.get(local) or fallback[0]
            await store.move_booking(self._ctx.conn, booking.id, target, self.now)
            moved = await store.get_booking(self._ctx.conn, booking.id)
            assert moved is not None  # noqa: S101 - just updated
            told += await self._tell_postponed(moved, old, reason)
        waiting = 0
        for entry in await store.day_waits(self._ctx.conn, old.id):
            local = entry.slot.starts_at.astimezone(zone).time()
            target = new_keys.get(local) or fallback[0]
            moved_entry = entry.request.at_slot(target)
            await store.move_wait(self._ctx.conn, entry.id, moved_entry)
            waiting += await self._tell_waiting(
                WaitlistEntry(entry.id, entry.channel, entry.user_id, moved_entry,
                              entry.status, entry.created_at), old, reason, cancelled=False)
        due, late = self._notice(new_day)
        return DayChange(new, old_day=old, bookings_told=told, waiting_told=waiting,
                         publish_by=due, late_notice=late)

    async def _tell_postponed(self, booking: Booking, old: ReceptionDay, reason: str) -> int:
        person = await self._users.get(booking.channel, booking.user_id)
        if person is None:
            return 0
        appointment = await self.appointment(booking)

        def build() -> Reply:
            return Reply(
                text="\n".join([
                    _("⚠️ The reception by the {leader} on {day} has been postponed. "
                      "Reason: {reason}").format(
                          leader=texts.esc(texts.leader_title(appointment.leader)),
                          day=texts.day_text(old.day), reason=texts.esc(reason)),
                    _("Your appointment has been moved to the new date:"),
                    *appointment.lines(),
                    _("Can you come then?"),
                ]),
                buttons=(*self._attendance_buttons(booking),
                         Button(_("🔁 Choose another time"),
                                action_data(ACTION_MOVE, booking.code))),
            )

        sent = await self._outbox.send_to(person, "booking.day_postponed", build,
                                          dedupe_key=f"day-postponed:{booking.code}:"
                                                     f"{booking.sequence}")
        return 1 if sent is not None else 0

    async def _tell_waiting(self, entry: WaitlistEntry, day: ReceptionDay, reason: str, *,
                            cancelled: bool) -> int:
        person = await self._users.get(entry.channel, entry.user_id)
        if person is None:
            return 0
        leader = self.leader(day.leader_id)

        def build() -> Reply:
            head = (_("⚠️ The reception by the {leader} on {day} has been cancelled. "
                      "Reason: {reason}") if cancelled else
                    _("⚠️ The reception by the {leader} on {day} has been postponed. "
                      "Reason: {reason}")).format(
                          leader=texts.esc(texts.leader_title(leader)),
                          day=texts.day_text(day.day), reason=texts.esc(reason))
            if cancelled:
                tail = _("You are no longer on its waiting list. We are sorry. You can book "
                         "another day from the menu: /start")
            else:
                tail = _("You stay on the waiting list, now for {when}.").format(
                    when=texts.when(entry.slot))
            return Reply(text=head + "\n" + tail)

        sent = await self._outbox.send_to(person, "booking.waitlist_day_changed", build,
                                          dedupe_key=f"waitlist-day:{entry.id}:{day.id}")
        return 1 if sent is not None else 0

    async def cancel_day(self, day_id: int, reason: str) -> DayChange | DayRefused:
        """Cancel a leader's day: its bookings are cancelled and each person offered another."""
        self._require(DAY_CHANGERS)
        day = await store.get_day(self._ctx.conn, day_id)
        if day is None:
            return DayRefused(DayRefusal.UNKNOWN_DAY)
        if day.status is not DayStatus.SCHEDULED or day.day < self.today:
            return DayRefused(DayRefusal.NOT_SCHEDULED)
        await store.set_day_status(self._ctx.conn, day.id, DayStatus.CANCELLED, self.now,
                                   note=reason)
        await self._audit.record("reception_day.cancel", str(day.id))
        waiting = 0
        for entry in await store.day_waits(self._ctx.conn, day.id):
            await store.close_wait(self._ctx.conn, entry.id, WaitStatus.LAPSED, self.now)
            waiting += await self._tell_waiting(entry, day, reason, cancelled=True)
        told = 0
        for booking in await store.day_bookings(self._ctx.conn, day.id):
            await store.cancel_booking(self._ctx.conn, booking.id, CancelReason.DAY_CANCELLED,
                                       self.now)
            told += await self._tell_cancelled(booking, day, reason)
        cancelled = await store.get_day(self._ctx.conn, day.id)
        assert cancelled is not None  # noqa: S101 - just updated
        return DayChange(cancelled, bookings_told=told, waiting_told=waiting)

    async def _tell_cancelled(self, booking: Booking, day: ReceptionDay, reason: str) -> int:
        person = await self._users.get(booking.channel, booking.user_id)
        if person is None:
            return 0
        leader = self.leader(day.leader_id)
        choices = await self.rebook_choices(booking)

        def build() -> Reply:
            lines = [
                _("⚠️ The reception by the {leader} on {day} has been cancelled. "
                  "Reason: {reason}").format(leader=texts.esc(texts.leader_title(leader)),
                                             day=texts.day_text(day.day),
                                             reason=texts.esc(reason)),
                _("Your appointment {code} is therefore cancelled. We are sorry.").format(
                    code=f"<b>{texts.esc(booking.code)}</b>"),
            ]
            if choices:
                lines.append(_("Tap a date to book the same matter there in one step, or "
                               "book regular reception:"))
            else:
                lines.append(_("No other day of this leader is open yet. You can book "
                               "regular reception:"))
            buttons = [Button(_("📅 {day} · {left} places left").format(
                                  day=texts.day_text(choice.day), left=choice.places_left),
                              action_data(ACTION_REBOOK, f"{booking.code}:"
                                          f"{choice.reception_day.id}"))
                       for choice in choices if choice.reception_day is not None]
            buttons.append(Button(_("📅 Book regular reception"), action_data(ACTION_BOOK)))
            return Reply(text="\n".join(lines), buttons=tuple(buttons))

        sent = await self._outbox.send_to(person, "booking.day_cancelled", build,
                                          dedupe_key=f"day-cancelled:{booking.code}")
        return 1 if sent is not None else 0

    # -- reminders ---------------------------------------------------------------------------------

    def _attendance_buttons(self, booking: Booking) -> tuple[Button, ...]:
        return (Button(_("✅ I will come"), action_data(ACTION_WILL_COME, booking.code)),
                Button(_("❌ I cannot come"), action_data(ACTION_CANNOT_COME, booking.code)))

    def reminder_times(self, booking: Booking) -> tuple[datetime, datetime]:
        """Return when the day-before and the morning reminders of a booking fall due."""
        settings = self._ctx.settings
        zone = settings.tz
        day = booking.slot.starts_at.astimezone(zone).date()
        before = settings.calendar.subtract_working_days(day, 1)
        return (at(before, settings.bookings.reminder_day_before, zone),
                at(day, settings.bookings.reminder_morning, zone))

    async def send_reminders(self) -> int:
        """Send the reminders that fall due now to people who agreed to reminders."""
        sent = 0
        for booking in await store.reminder_candidates(self._ctx.conn, self.now,
                                                       self.now + REMINDER_HORIZON):
            day_before, morning = self.reminder_times(booking)
            if self.now >= morning and booking.reminded_morning_at is None:
                which, owed = "morning", booking.created_at < morning
            elif (day_before <= self.now < morning
                  and booking.reminded_day_before_at is None):
                which, owed = "day_before", booking.created_at < day_before
            else:
                continue
            if owed and await self._remind(booking, which):
                sent += 1
            await store.mark_reminded(self._ctx.conn, booking.id, day_before=True,
                                      morning=which == "morning", now=self.now)
        return sent

    async def _remind(self, booking: Booking, which: str) -> bool:
        person = await self._users.get(booking.channel, booking.user_id)
        if person is None or not (await self._users.consent(person)).granted(
                Purpose.REMINDERS):
            return False
        appointment = await self.appointment(booking)
        delegation = self.is_delegation(booking.people)

        def build() -> Reply:
            head = (_("🔔 Reminder: your reception appointment is today.")
                    if which == "morning" else
                    _("🔔 Reminder: you have a reception appointment on the next working "
                      "day."))
            return Reply(text="\n".join([head, *appointment.lines(),
                                         texts.bring_line(delegation),
                                         _("Will you come?")]),
                         buttons=self._attendance_buttons(booking))

        queued = await self._outbox.send_to(person, "booking.reminder", build,
                                            dedupe_key=f"booking-reminder:{booking.code}:"
                                                       f"{booking.sequence}:{which}")
        return queued is not None

    # -- alerts to staff and the police liaison ---------------------------------------------

    async def _alert(self, site: SiteSettings, kind: str, key: str,
                     build: Callable[[], Reply]) -> None:
        await self._outbox.send_to_roles((*ALERTED_STAFF, Role.POLICE), kind, build,
                                         dedupe_key=key)
        for chat in site.police:
            channel, _sep, chat_id = chat.partition(":")
            await self._outbox.send_to_chat(channel, chat_id, kind, build,
                                            dedupe_key=f"{key}:{channel}:{chat_id}")

    async def _alert_shield(self, bookings: Sequence[Booking], where: str) -> Shield:
        # Alerts go to group chats and the police too: no role there sees denouncers.
        return await ShieldService(self._ctx, self._audit).shield(
            [b.topic for b in bookings], where=where, allowed=False)

    async def _alert_delegation(self, booking: Booking) -> None:
        appointment = await self.appointment(booking)
        shield = await self._alert_shield([booking], f"booking:{booking.code}")

        def build() -> Reply:
            commune = booking.commune_name or _("not given")
            return Reply(text="\n".join([
                _("🚨 <b>Mass delegation booked</b>"),
                _("Code: <b>{code}</b>").format(code=texts.esc(booking.code)),
                _("🗓 {when}").format(when=texts.when(booking.slot)),
                _("📍 {place}").format(place=texts.where(appointment.site)),
                _("👤 {receiver}").format(
                    receiver=texts.receiver(booking.slot, appointment.leader)),
                _("People expected: {people}").format(people=booking.people),
                _("Commune or ward: {commune}").format(commune=texts.esc(commune)),
                _("Matter: {topic}").format(topic=texts.topic_excerpt(
                    shield.text(booking.topic, withheld_mark()))),
                _("Representatives chosen: {count}").format(
                    count=len(booking.representatives)),
            ]))

        await self._alert(appointment.site, "booking.delegation_alert",
                          f"delegation:{booking.code}:{booking.sequence}", build)

    async def _alert_crowded_day(self, day_id: int) -> None:
        threshold = self._ctx.settings.bookings.leader_day_alert_people
        load = await store.day_load(self._ctx.conn, day_id, self.now)
        if load.people <= threshold:
            return
        day = await store.get_day(self._ctx.conn, day_id)
        if day is None:
            return
        bookings = await store.day_bookings(self._ctx.conn, day_id)
        site = self.site(day.site_id)
        leader = self.leader(day.leader_id)
        shield = await self._alert_shield(bookings, f"reception_day:{day_id}")

        def build() -> Reply:
            lines = [
                _("🚨 <b>Many people expected at a leader's reception</b>"),
                _("🗓 {day}").format(day=texts.day_text(day.day)),
                _("📍 {place}").format(place=texts.where(site)),
                _("👤 Reception by the {leader}").format(
                    leader=texts.esc(texts.leader_title(leader))),
                _("People expected: {people} (alert above {threshold})").format(
                    people=load.people, threshold=threshold),
                _("Bookings:"),
            ]
            for booking in bookings:
                lines.append(_("• {code}: {people} people, {commune}: {topic}").format(
                    code=texts.esc(booking.code), people=booking.people,
                    commune=texts.esc(booking.commune_name or _("commune not given")),
                    topic=texts.topic_excerpt(shield.text(booking.topic, withheld_mark()))))
            return Reply(text="\n".join(lines))

        await self._alert(site, "booking.crowded_day_alert", f"crowded-day:{day_id}", build)
