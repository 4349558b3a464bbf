"""Office information and the reception schedule, from the configuration.

    menu ─▶ reading_information ─▶ menu
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, esc, option
from bot.i18n import N_, _


def office_information(turn: Turn) -> str:
    """Return the office's address, hours, leaders' reception days and contacts."""
    office = turn.settings.office
    lines = [
        f"<b>{esc(office.name)}</b>",
        _("📍 Address: {address}").format(address=esc(office.address)),
        _("🕗 Reception hours: {hours}").format(hours=esc(office.hours)),
    ]
    if office.leader_days:
        lines.append(_("👤 Leaders' reception days: {days}").format(days=esc(office.leader_days)))
    if office.phone:
        lines.append(_("☎️ Phone: {phone}").format(phone=esc(office.phone)))
    if office.email:
        lines.append(_("✉️ Email: {email}").format(email=esc(office.email)))
    if office.website:
        lines.append(_("🌐 Website: {website}").format(website=esc(office.website)))
    lines.append(_("Please bring your ID card (CCCD) and any documents about your case."))
    return "\n".join(lines)


async def show_information(turn: Turn) -> None:
    """Show the office information with a way back."""
    turn.ask(office_information(turn), [option(_("🏠 Main menu"), "menu", "menu", "xong")],
             back=False)


async def receive_after_information(turn: Turn) -> None:
    """Go back to the menu."""
    await turn.finish()


FLOW = Flow(
    name="info",
    title=N_("Office information"),
    steps={"reading_information": Step(show_information, receive_after_information)},
    first="reading_information",
)
