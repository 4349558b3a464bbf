"""The calendar file (.ics) sent with a booking's confirmation, so phones can add it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard

from bot.domain.booking import Booking
from bot.domain.messages import OutFile

PRODUCT = "-//Tiep Dan//Lich tiep cong dan//VI"
UID_DOMAIN = "tiepdan"
REMIND_BEFORE = timedelta(hours=2)


def _zone_block(zone: ZoneInfo, moment: datetime) -> Timezone:
    """Describe the office's zone (Vietnam keeps one offset all year, so one block)."""
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    block = Timezone()
    block.add("tzid", zone.key)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))  # a VTIMEZONE's start is local
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    standard.add("tzname", moment.astimezone(zone).tzname() or zone.key)
    block.add_component(standard)
    return block


def booking_file(booking: Booking, *, zone: ZoneInfo, summary: str, location: str,
                 description: str, alarm_text: str, now: datetime) -> OutFile:
    """Return the booking as an iCalendar event, in the office's local time."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_zone_block(zone, booking.slot.starts_at))
    event = Event()
    event.add("uid", f"{booking.code}@{UID_DOMAIN}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", booking.slot.starts_at.astimezone(zone))
    event.add("dtend", booking.slot.ends_at.astimezone(zone))
    # A moved booking keeps its UID; the higher sequence makes calendars replace the event.
    event.add("sequence", booking.sequence)
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("status", "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", alarm_text)
    alarm.add("trigger", -REMIND_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    return OutFile(filename=f"lich-hen-{booking.code}.ics", content=calendar.to_ical(),
                   mime_type="text/calendar")
