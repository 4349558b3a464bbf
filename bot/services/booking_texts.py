"""How bookings read to people: the appointment, the place, what to bring (any language).

Used for direct replies and for outbox messages, which are written in the recipient's
language (the caller sets it). Stored text is escaped here: replies are Telegram HTML.
"""

from __future__ import annotations

import html
from datetime import date

from bot.config import LeaderSettings, SiteSettings
from bot.domain.booking import Booking, BookingKind, ReceptionDay, SlotKey
from bot.domain.text import fold
from bot.i18n import _, format_date, format_time

TOPIC_IN_ALERT = 200  # characters of the matter shown in an alert


def esc(text: object) -> str:
    """Escape stored text for a reply's HTML."""
    return html.escape(str(text), quote=False)


def leader_title(leader: LeaderSettings | None) -> str:
    """Return who receives on a leader's day: the title, and the name if configured."""
    if leader is None:
        return _("a provincial leader")
    return f"{leader.title} {leader.name}".strip() if leader.name else leader.title


def receiver(slot: SlotKey, leader: LeaderSettings | None) -> str:
    """Return which reception the slot belongs to, as a short phrase."""
    if slot.kind is BookingKind.LEADER:
        return _("Reception by the {leader}").format(leader=esc(leader_title(leader)))
    return _("Regular reception by the office's staff")


def day_text(day: date) -> str:
    """Return a date with its weekday ("Thứ Hai, 30/11/2026")."""
    return format_date(day, "weekday")


def when(slot: SlotKey) -> str:
    """Return the date and time of a slot ("Thứ Hai, 30/11/2026, 08:00–08:30")."""
    return _("{day}, {start}–{end}").format(day=format_date(slot.starts_at, "weekday"),
                                            start=format_time(slot.starts_at),
                                            end=format_time(slot.ends_at))


def place(site: SiteSettings) -> str:
    """Return the site's name and address as plain text, the name said once."""
    if not site.address or fold(site.address) == fold(site.name):
        return site.name
    if fold(site.address).startswith(fold(site.name)):  # "Trụ sở …, thành phố …" names it
        return site.address
    return f"{site.name}, {site.address}"


def where(site: SiteSettings) -> str:
    """Return the site's name and address (HTML)."""
    return esc(place(site))


def appointment_lines(booking: Booking, site: SiteSettings,
                      leader: LeaderSettings | None) -> list[str]:
    """Return the lines that describe an appointment: code, time, place, who receives."""
    return [
        _("Code: <b>{code}</b>").format(code=esc(booking.code)),
        _("🗓 {when}").format(when=when(booking.slot)),
        _("📍 {place}").format(place=where(site)),
        _("👤 {receiver}").format(receiver=receiver(booking.slot, leader)),
    ]


def slot_lines(slot: SlotKey, site: SiteSettings, leader: LeaderSettings | None) -> list[str]:
    """Return the lines that describe a slot not (yet) booked."""
    return [
        _("🗓 {when}").format(when=when(slot)),
        _("📍 {place}").format(place=where(site)),
        _("👤 {receiver}").format(receiver=receiver(slot, leader)),
    ]


def bring_line(booking_is_delegation: bool) -> str:
    """Return what to bring to the office."""
    if booking_is_delegation:
        return _("Please bring your citizen ID card (CCCD), the documents about your matter, "
                 "and the paper choosing the representatives, signed by everyone.")
    return _("Please bring your citizen ID card (CCCD) and the documents about your matter.")


def topic_excerpt(topic: str) -> str:
    """Return the matter, shortened for an alert, escaped."""
    text = " ".join(topic.split())
    if len(text) > TOPIC_IN_ALERT:
        text = text[:TOPIC_IN_ALERT - 1].rstrip() + "…"
    return esc(text)


def day_label(day: ReceptionDay, leader: LeaderSettings | None) -> str:
    """Return a leader's day as staff see it in lists ("Thứ Ba, 15/12/2026 · Chủ tịch")."""
    return f"{day_text(day.day)} · {esc(leader_title(leader))}"
