"""Staff search (/timkiem): by tracking or booking code, phone, CCCD or name.

    /timkiem [text] ─▶ searching ─┬─ a petition found ─▶ «petition_desk» at its card
                         ▲        └─ another search typed ─┐
                         └─────────────────────────────────┘

What was typed (a phone or CCCD number) is never kept in the draft: only the masked
results are.
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, esc, option
from bot.domain.choices import Option
from bot.domain.conversation import Expect
from bot.domain.processing import SearchKey
from bot.i18n import N_, _, format_date, format_datetime
from bot.services.identity import id_paper_text
from bot.services.petitions import status_label, type_label
from bot.services.search import SearchResults
from handlers import inbox

FLOW_NAME = "staff_search"
RESULTS = "_results"
FOUND = "_found"
HELP = N_("search by tracking or booking code, phone, CCCD or name")
_BOOKING_STATUS = {
    "booked": N_("booked"), "arrived": N_("arrived"), "being_received": N_("being received"),
    "done": N_("received"), "no_show": N_("did not come"), "cancelled": N_("cancelled"),
}


async def command_search(turn: Turn) -> None:
    """/timkiem TEXT: search at once; with nothing, ask what to search for."""
    typed = " ".join(turn.incoming.args)
    await turn.begin(FLOW_NAME, await _found(turn, typed) if typed.strip() else None)


def render(turn: Turn, results: SearchResults) -> str:
    """Return what a search found, masked, kind by kind (HTML)."""
    if results.key is None:
        return _("Type a tracking code (D-… or H-…), a phone number, a CCCD number or a "
                 "name to search for.")
    if results.invalid:
        if results.key is SearchKey.CCCD:
            return _("That is not a valid CCCD number (12 digits).")
        return _("That is not a valid phone number.")
    if results.empty:
        if results.key is SearchKey.NAME:
            # Names are found from their first word: «Tám» alone does not find Lê Văn Tám.
            return _("Nothing found. A name is searched from the family name: type it as "
                     "written on the papers, for example «Lê Văn Tám» or «le van», or search "
                     "by phone, CCCD or code.")
        return _("Nothing found.")
    lines: list[str] = []
    if results.petitions:
        lines.append(_("<b>Petitions</b> ({count})").format(count=len(results.petitions)))
        for hit in results.petitions:
            petition = hit.petition
            if hit.withheld:
                who = _("sender withheld (protected denouncer)")
            elif hit.sender is None:
                who = _("no name given")
            else:
                who = esc(hit.sender) + (f", {hit.phone_masked}" if hit.phone_masked else "")
            if hit.protected:
                who += " 🔒"
            lines.append(f"• <code>{petition.code}</code> {type_label(petition.kind)}, "
                         f"{status_label(petition.status)}, "
                         f"{format_date(petition.received_at, 'short')} — {who}")
    if results.bookings:
        lines.append(_("<b>Appointments</b> ({count})").format(count=len(results.bookings)))
        for booking in results.bookings:
            details = [esc(booking.full_name)]
            if booking.phone_masked:
                details.append(booking.phone_masked)
            if booking.cccd_masked:
                details.append(id_paper_text(booking.cccd_masked))
            status = _BOOKING_STATUS.get(booking.status)
            lines.append(f"• <code>{booking.code}</code> {format_datetime(booking.starts_at)}, "
                         f"{_(status) if status else esc(booking.status)} — "
                         + ", ".join(details))
    if results.visits:
        lines.append(_("<b>Reception register</b> ({count})").format(count=len(results.visits)))
        for visit in results.visits:
            details = [esc(visit.full_name)]
            if visit.phone_masked:
                details.append(visit.phone_masked)
            if visit.cccd_masked:
                details.append(id_paper_text(visit.cccd_masked))
            summary = visit.summary if len(visit.summary) <= 60 else visit.summary[:59] + "…"
            line = f"• {format_date(visit.received_on, 'short')} — " + ", ".join(details) + \
                f": {esc(summary)}"
            if visit.petition_code:
                line += f" (<code>{visit.petition_code}</code>)"
            lines.append(line)
    if results.more:
        lines.append(_("There are more: type more of the name, or the whole number."))
    return "\n".join(lines)


async def _found(turn: Turn, typed: str) -> dict[str, object]:
    results = await turn.services.search.search(typed)
    return {RESULTS: render(turn, results),
            FOUND: [hit.petition.code for hit in results.petitions]}


async def ask_search(turn: Turn) -> None:
    """Show the last results (if any) and ask for a search; found petitions are buttons."""
    shown = turn.data.get(RESULTS)
    prompt = _("🔎 Type a tracking code, a phone number, a CCCD number or a name (without "
               "diacritics if you like):")
    options: list[Option] = [option(f"📂 {code}", f"p:{code}")
                             for code in turn.data.get(FOUND, [])]
    text = f"{shown}\n\n{prompt}" if shown else prompt
    turn.ask(text, options, expect=Expect.TEXT, back=False, columns=2)


async def receive_search(turn: Turn) -> None:
    """Open a petition found, or search for what was typed."""
    if turn.choice is not None:
        await inbox.open_petition(turn, turn.choice.removeprefix("p:"))
        return
    turn.data.update(await _found(turn, turn.text or ""))
    await ask_search(turn)


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Search"),
    steps={"searching": Step(ask_search, receive_search)},
    first="searching",
    roles=inbox.READERS,
)
