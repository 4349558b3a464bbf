"""Looking things up: one's own petitions (and appointments), or anything by its code.

    menu «Look up» ─▶ choosing_lookup ─┬─ my petitions ─▶ «my_petitions»
                                       ├─ my appointments ─▶ «my_bookings» (when it exists)
                                       ├─ a code typed here ─┐
                                       └─ enter a code ─▶ waiting_for_code ─┴─▶ by its letter:
                                              D ─▶ «petition_status»; H ─▶ «booking_status»
    /tracuu CODE ─▶ the same, by the code's letter;  /tracuu ─▶ waiting_for_code
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, option
from bot.domain.codes import PETITION_PREFIX, find_code, normalize_code
from bot.domain.conversation import Expect
from bot.i18n import N_, _

FLOW_NAME = "lookup"
CODE_FIRST = "_code_first"
PETITION_STATUS = "petition_status"
MY_PETITIONS = "my_petitions"
BOOKING_STATUS = "booking_status"
MY_BOOKINGS = "my_bookings"


def typed_code(text: str) -> str | None:
    """Return the code typed alone or inside a sentence, where a code was asked for."""
    return normalize_code(text) or find_code(text)


def _not_a_code() -> str:
    return _("That is not a tracking code. A code looks like D-7K4M-9QXR: a letter, then eight "
             "letters or digits; small or capital letters, spaces and dashes do not matter.")


async def open_code(turn: Turn, code: str) -> None:
    """Show what a code stands for: a petition, or an appointment when bookings exist."""
    if code.startswith(PETITION_PREFIX):
        await turn.begin(PETITION_STATUS, {"code": code})
        return
    if BOOKING_STATUS in turn.dialog.routes.flows:
        await turn.begin(BOOKING_STATUS, {"code": code})
        return
    turn.say(_("Looking up appointments by code is not available yet. Please call or visit "
               "the office."))
    await turn.begin(FLOW_NAME)


async def command_lookup(turn: Turn) -> None:
    """/tracuu CODE: open the code; with no code, ask for one."""
    typed = " ".join(turn.incoming.args)
    if not typed.strip():
        await turn.begin(FLOW_NAME, {CODE_FIRST: True})
        return
    code = typed_code(typed)
    if code is None:
        turn.say(_not_a_code())
        await turn.begin(FLOW_NAME, {CODE_FIRST: True})
        return
    await open_code(turn, code)


async def ask_lookup(turn: Turn) -> None:
    """Offer one's petitions (and appointments), or a code."""
    if turn.data.pop(CODE_FIRST, False):
        await turn.goto("waiting_for_code")
        return
    options = [option(_("📋 My petitions"), "mine", "don cua toi", "cua toi", "mine")]
    if MY_BOOKINGS in turn.dialog.routes.flows:
        options.append(option(_("📅 My appointments"), "bookings", "lich hen cua toi",
                              "lich hen", "appointments"))
    options.append(option(_("🔢 Enter a tracking code"), "code", "nhap ma", "ma tra cuu",
                          "code"))
    turn.ask(_("What would you like to look up? You can also type a tracking code here, for "
               "example D-7K4M-9QXR."), options, expect=Expect.TEXT)


async def receive_lookup(turn: Turn) -> None:
    """Open what was chosen, or the code typed."""
    if turn.choice == "mine":
        await turn.begin(MY_PETITIONS)
        return
    if turn.choice == "bookings":
        await turn.begin(MY_BOOKINGS)
        return
    if turn.choice == "code":
        await turn.goto("waiting_for_code")
        return
    code = typed_code(turn.text or "")
    if code is None:
        await turn.reask(_("Please choose one of the options, or type a tracking code such as "
                           "D-7K4M-9QXR."))
        return
    await open_code(turn, code)


async def ask_code(turn: Turn) -> None:
    """Ask for the tracking code."""
    turn.ask(_("Please type the tracking code, for example D-7K4M-9QXR (a petition) or "
               "H-7K4M-9QXR (an appointment)."), expect=Expect.TEXT)


async def receive_code(turn: Turn) -> None:
    """Open the code, or explain what a code looks like."""
    code = typed_code(turn.text or "")
    if code is None:
        await turn.reask(_not_a_code())
        return
    await open_code(turn, code)


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Look up"),
    steps={
        "choosing_lookup": Step(ask_lookup, receive_lookup),
        "waiting_for_code": Step(ask_code, receive_code),
    },
    first="choosing_lookup",
)
