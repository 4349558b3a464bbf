"""Export of the petition register (/xuatdon): a period, a format, then the file.

    /xuatdon ─▶ choosing_period (this month, last month, this year, or typed) ─▶ choosing_format
                ─▶ the file is sent ─▶ menu
    /xuatdon 1/11/2026 30/11/2026 [csv]  (or 1/11 30/11, 11/2026, 2026) ─▶ the file at once
"""

from __future__ import annotations

from datetime import date

from bot.dialog.flow import Flow, Step, Turn, option
from bot.domain.conversation import Expect
from bot.domain.dates import month_bounds, parse_date_range
from bot.i18n import N_, _, format_date
from handlers import inbox

FLOW_NAME = "petition_export"
HELP = N_("the petition register as an Excel or CSV file, for example /xuatdon 11/2026")


def _today(turn: Turn) -> date:
    return turn.now.astimezone(turn.settings.tz).date()


async def command_export(turn: Turn) -> None:
    """/xuatdon [period] [csv|xlsx]: send the file at once, or ask the period."""
    args = list(turn.incoming.args)
    fmt = "xlsx"
    if args and args[-1].lower().lstrip(".") in ("csv", "xlsx", "excel"):
        fmt = "csv" if args.pop().lower().lstrip(".") == "csv" else "xlsx"
    period = parse_date_range(" ".join(args), _today(turn)) if args else None
    if period is None:
        if args:
            turn.say(period_hint())
        await turn.begin(FLOW_NAME)
        return
    await _send(turn, period[0], period[1], fmt)


def period_hint() -> str:
    """Say how to type a period, for /xuatdon and /sotiep alike."""
    return _("I cannot read that period. Write two dates (1/11 30/11, or 1/11/2026 30/11/2026), "
             "one date (1/11), a month (11/2026) or a year (2026).")


async def _send(turn: Turn, start: date, end: date, fmt: str) -> None:
    made = await turn.services.petition_register.export(start, end, fmt, later=True)
    turn.say(_("📑 The petition register from {start} to {end}. CCCD and phone numbers are "
               "masked.").format(start=format_date(start, "short"),
                                 end=format_date(end, "short")), document=made.file)


async def ask_period(turn: Turn) -> None:
    """Ask which period to export."""
    turn.ask(_("Which period? Choose, or type it (1/11 30/11, 11/2026 or 2026):"),
             [option(_("This month"), "this_month", "thang nay"),
              option(_("Last month"), "last_month", "thang truoc"),
              option(_("This year"), "this_year", "nam nay")], expect=Expect.TEXT)


async def receive_period(turn: Turn) -> None:
    """Keep the period; ask the format."""
    today = _today(turn)
    if turn.choice == "this_month":
        start, end = month_bounds(today.year, today.month)
    elif turn.choice == "last_month":
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        start, end = month_bounds(year, month)
    elif turn.choice == "this_year":
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    else:
        period = parse_date_range(turn.text or "", today)
        if period is None:
            await turn.reask(period_hint())
            return
        start, end = period
    turn.data["start"], turn.data["end"] = start.isoformat(), end.isoformat()
    await turn.goto("choosing_format")


async def ask_format(turn: Turn) -> None:
    """Ask the file's format."""
    turn.ask(_("Which kind of file?"),
             [option(_("Excel (.xlsx)"), "xlsx", "excel"), option(_("CSV (.csv)"), "csv")])


async def receive_format(turn: Turn) -> None:
    """Send the file and end."""
    await _send(turn, date.fromisoformat(turn.data["start"]),
                date.fromisoformat(turn.data["end"]), turn.choice or "xlsx")
    await turn.finish()


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Petition register export"),
    steps={
        "choosing_period": Step(ask_period, receive_period),
        "choosing_format": Step(ask_format, receive_format),
    },
    first="choosing_period",
    roles=inbox.READERS,
)
