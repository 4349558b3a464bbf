"""Following a petition: one's own list, and one petition's history by its code.

    «my_petitions»:    listing_petitions ─┬─ a petition ─▶ «petition_status»
                                          └─ menu
    «petition_status»: opening_status ─┬─ filed from this account ─────────────▶ reading_status
                                       ├─ another account ─▶ waiting_for_phone_digits
                                       │                       ├─ right ──────────▶ reading_status
                                       │                       ├─ no phone given ─▶ menu (how
                                       │                       │    to follow it at the office)
                                       │                       └─ wrong: again, until locked out
                                       └─ locked out ─▶ menu (after saying how long to wait)

From another account the code alone shows nothing, and whether it exists is never said. The
phone check (waiting_for_phone_digits) is shared with the appointments' lookup.
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, esc, option
from bot.domain.choices import Option
from bot.domain.conversation import Expect
from bot.domain.petitions import Status, parse_last_digits
from bot.i18n import N_, _, format_date, format_datetime
from bot.services.lookups import LookupOutcome
from bot.services.petitions import (
    NOTE_TOLD,
    LookupStep,
    StatusView,
    status_label,
    status_meaning,
    type_label,
)
from handlers.lookup import CODE_FIRST
from handlers.lookup import FLOW_NAME as LOOKUP_FLOW

STATUS_FLOW_NAME = "petition_status"
MINE_FLOW_NAME = "my_petitions"
TIMELINE = "_timeline"


def timeline(view: StatusView) -> str:
    """Return a petition's status and history, with dates, as the citizen reads it."""
    petition = view.petition
    last_agency = next((e.agency for e in reversed(view.events) if e.agency), None)
    due = petition.due.due_on if petition.due and not petition.status.is_final else None
    lines = [
        _("<b>Petition {code}</b>").format(code=petition.code),
        _("Type: {type}").format(type=type_label(petition.kind)),
    ]
    if view.own:
        lines.append(_("About: {text}").format(text=esc(petition.respondent)))
    lines += [
        _("Received at: {time}").format(time=format_datetime(petition.received_at)),
        _("Now: {status}").format(status=f"<b>{status_label(petition.status)}</b>"),
        status_meaning(petition.status, agency=last_agency, due=due),
    ]
    if due is not None:
        lines.append(_("Next deadline: {date}").format(date=format_date(due, "weekday")))
    lines.append("")
    lines.append(_("History:"))
    for event in view.events:
        entry = f"• {format_datetime(event.at)} — {status_label(event.to_status)}"
        if event.agency:
            entry += f": {esc(event.agency)}"
        if event.document_no:
            entry += " " + _("(document no. {number})").format(number=esc(event.document_no))
        if view.own and event.note and event.to_status in NOTE_TOLD:
            # The result or the reason, as the citizen was told it (shown to the sender only).
            told = (_("Result: {text}") if event.to_status is Status.RESOLVED
                    else _("Reason: {text}"))
            entry += "\n  " + told.format(text=esc(event.note))
        lines.append(entry)
    return "\n".join(lines)


async def _show(turn: Turn, view: StatusView) -> None:
    turn.data[TIMELINE] = timeline(view)
    await turn.goto("reading_status")


async def say_locked(turn: Turn, outcome: LookupOutcome[object]) -> None:
    """Say how long to wait after too many wrong answers, and end the lookup."""
    turn.say(_("Too many wrong answers. For safety, please wait {minutes} minutes before trying "
               "again.").format(minutes=outcome.wait_minutes(turn.now)))
    await turn.finish()


async def open_status(turn: Turn) -> None:
    """Show the petition to its own account; from another, ask the phone check first."""
    code = str(turn.data.get("code") or "")
    outcome = await turn.services.petitions.open_status(turn.user, code)
    if outcome.step is LookupStep.SHOWN and outcome.view is not None:
        await _show(turn, outcome.view)
    elif outcome.step is LookupStep.LOCKED:
        await say_locked(turn, outcome)
    else:
        await turn.goto("waiting_for_phone_digits")


async def receive_opening(turn: Turn) -> None:
    """Nothing is asked while opening; start again."""
    await open_status(turn)


def after_options() -> list[Option]:
    """Return the ways on from a lookup: another code, or the menu."""
    return [option(_("🔎 Look up another code"), "another", "ma khac", "tra cuu khac"),
            option(_("🏠 Main menu"), "menu", "menu", "xong")]


def _no_phone_option() -> Option:
    return option(_("📵 No phone number was given"), "no_phone", "khong co so dien thoai",
                  "khong co so", "khong co dien thoai")


def no_phone_text(turn: Turn) -> str:
    """Explain how a petition given without any phone number is followed."""
    return _("A petition given without a phone number (handed in at the office without one, "
             "or sent without a name) cannot be opened from another chat account. Please "
             "follow it at {office}: bring its tracking code and your ID card, and the staff "
             "will tell you where it stands. A petition sent without a name can be followed "
             "only from the chat account that sent it.").format(
                 office=esc(turn.settings.office.address or turn.settings.office.name))


async def ask_phone_digits(turn: Turn) -> None:
    """Ask the last four digits of the phone number given in the petition."""
    turn.ask(_("To protect the sender's information, please type the last four digits of the "
               "phone number given in this petition."),
             [_no_phone_option(), *after_options()], expect=Expect.TEXT, back=False)


async def after_lookup(turn: Turn) -> bool:
    """Act on «another code» or «main menu»; tell whether one was chosen."""
    if turn.choice == "another":
        await turn.begin(LOOKUP_FLOW, {CODE_FIRST: True})
        return True
    if turn.choice == "menu":
        await turn.finish()
        return True
    return False


async def receive_phone_digits(turn: Turn) -> None:
    """Check the digits; show the petition, or say they do not match (counting misses)."""
    if await after_lookup(turn):
        return
    if turn.choice == "no_phone":
        turn.say(no_phone_text(turn))
        await turn.finish()
        return
    digits = parse_last_digits(turn.text or "")
    if digits is None:
        await turn.reask(digits_hint())
        return
    outcome = await turn.services.petitions.check_phone(turn.user, str(turn.data["code"]),
                                                        digits)
    if outcome.step is LookupStep.SHOWN and outcome.view is not None:
        await _show(turn, outcome.view)
        return
    if outcome.step is LookupStep.LOCKED:
        await say_locked(turn, outcome)
        return
    await turn.reask(mismatch_text(outcome))


def digits_hint() -> str:
    """Say what the phone check expects."""
    return _("Please type exactly four digits, for example 5678.")


def mismatch_text(outcome: LookupOutcome[object]) -> str:
    """Say that the code and the digits do not go together, and how many tries are left."""
    return _("The code and these digits do not go together. Please check both and try again "
             "({left} tries left).").format(left=outcome.attempts_left)


async def ask_reading(turn: Turn) -> None:
    """Show the petition's status and history."""
    turn.ask(str(turn.data.get(TIMELINE, "")), after_options(), back=False)


async def receive_reading(turn: Turn) -> None:
    """Look up another code, or go to the menu."""
    await after_lookup(turn)


STATUS_FLOW = Flow(
    name=STATUS_FLOW_NAME,
    title=N_("Petition status"),
    steps={
        "opening_status": Step(open_status, receive_opening),
        "waiting_for_phone_digits": Step(ask_phone_digits, receive_phone_digits),
        "reading_status": Step(ask_reading, receive_reading),
    },
    first="opening_status",
)


async def ask_mine(turn: Turn) -> None:
    """List the petitions sent from this account, each to open."""
    petitions = await turn.services.petitions.mine(turn.user)
    if not petitions:
        turn.ask(_("You have not sent any petition from this account yet."),
                 [option(_("📝 Submit a petition"), "new", "gui don"),
                  option(_("🏠 Main menu"), "menu", "menu", "xong")])
        return
    lines = [_("<b>Your petitions</b>, the latest first:")]
    for number, petition in enumerate(petitions, start=1):
        lines.append(f"{number}. <code>{petition.code}</code> · {type_label(petition.kind)} · "
                     f"{format_date(petition.received_at, 'short')} · "
                     f"<b>{status_label(petition.status)}</b>")
    lines.append("")
    lines.append(_("Tap a petition to see its history."))
    options = [option(f"{p.code} · {type_label(p.kind)}", p.code) for p in petitions]
    options.append(option(_("🏠 Main menu"), "menu", "menu", "xong"))
    turn.ask("\n".join(lines), options)


async def receive_mine(turn: Turn) -> None:
    """Open the chosen petition, start a new one, or go to the menu."""
    choice = turn.choice or ""
    if choice == "menu":
        await turn.finish()
        return
    if choice == "new":
        await turn.begin("petition")
        return
    await turn.begin(STATUS_FLOW_NAME, {"code": choice})


MINE_FLOW = Flow(
    name=MINE_FLOW_NAME,
    title=N_("My petitions"),
    steps={"listing_petitions": Step(ask_mine, receive_mine)},
    first="listing_petitions",
)
