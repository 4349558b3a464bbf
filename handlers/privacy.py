"""Personal data: read the notice again, see and delete what is kept, change one's answers.

    menu ─▶ choosing_privacy_action ─┬─ read the notice ─────────────────────────┐
                                     ├─ see what is saved ───────────────────────┤
                                     ├─ delete it ─▶ confirming_forget ──────────┤
                                     ├─ withdraw (1)(2)(3) ─▶ confirming_withdraw ┤
                                     ├─ agree to (1)(2)(3) ──────────────────────┤
                                     └─ reminders on / off ──────────────────────┴▶ (the same)
"""

from __future__ import annotations

from bot.dialog.flow import HISTORY, Flow, Step, Turn, no_option, option, yes_option
from bot.domain.conversation import Expect
from bot.domain.users import Purpose
from bot.i18n import N_, _, format_datetime, ngettext
from handlers.identity import summary
from handlers.start import notice

ACTIONS = "choosing_privacy_action"
SHOW_SAVED = "show_saved"  # begun with it (from the menu's «xem thông tin đã lưu»): shown first

async def ask_privacy_action(turn: Turn) -> None:
    """Show the person's current answers and what they can do."""
    if turn.data.pop(SHOW_SAVED, False):
        await _show_held(turn)
    consent = await turn.consent()
    lines = [_("<b>Your answers to the personal data notice</b>")]
    for purpose, label in (
        (Purpose.HANDLING, _("Booking, petitions and results (1)(2)(3)")),
        (Purpose.REMINDERS, _("Reminders and news in this chat")),
    ):
        record = consent.records.get(purpose)
        if record is None:
            state = _("not answered")
        elif record.granted:
            state = _("agreed on {time}").format(time=format_datetime(record.recorded_at))
        else:
            state = _("not agreed (answered on {time})").format(
                time=format_datetime(record.recorded_at))
        lines.append(f"• {label}: {state}")
    options = [option(_("Read the notice"), "read", "doc", "thong bao"),
               option(_("See the information saved"), "show", "xem", "xem thong tin",
                      "thong tin da luu", "du lieu cua toi")]
    if await turn.services.identity.saved(turn.user) is not None:
        options.append(option(_("Delete the information saved"), "forget", "xoa",
                              "xoa thong tin", "xoa du lieu"))
    if consent.granted(Purpose.HANDLING):
        options.append(option(_("Withdraw consent for (1)(2)(3)"), "withdraw_handling",
                              "rut lai"))
    else:
        options.append(yes_option(_("Agree to (1)(2)(3)"), "grant_handling"))
    if consent.granted(Purpose.REMINDERS):
        options.append(option(_("Stop reminders"), "withdraw_reminders", "tat nhac"))
    else:
        options.append(yes_option(_("Send me reminders"), "grant_reminders", "bat nhac"))
    # A consent is given only explicitly: «tôi không đồng ý» must not read as «đồng ý».
    turn.ask("\n".join(lines), options, expect=Expect.CONFIRM)


async def _show_held(turn: Turn) -> None:
    held = await turn.services.identity.held(turn.user)
    lines = [_("<b>What the office keeps about you</b>")]
    if held.identity is None:
        lines.append(_("No personal details are saved for reuse."))
    else:
        lines.append(_("Details saved for your next booking or petition:"))
        lines.extend("  " + line for line in summary(held.identity))
    lines.append(ngettext("Petitions sent from this chat: {count}",
                          "Petitions sent from this chat: {count}",
                          held.petitions).format(count=held.petitions))
    lines.append(ngettext("Appointments booked from this chat: {count}",
                          "Appointments booked from this chat: {count}",
                          held.bookings).format(count=held.bookings))
    lines.append(_("To correct your details, enter the new ones at your next booking or "
                   "petition (they replace these), or delete them here."))
    turn.say("\n".join(lines))


async def receive_privacy_action(turn: Turn) -> None:
    """Do what the person chose (asking first before deleting or withdrawing)."""
    choice = turn.choice
    users = turn.services.users
    if choice == "forget":
        await turn.goto("confirming_forget")
        return
    if choice == "withdraw_handling":
        await turn.goto("confirming_withdraw")
        return
    if choice == "read":
        turn.say(notice(turn))
    elif choice == "show":
        await _show_held(turn)
    elif choice == "grant_handling":
        await users.record_consent(turn.user, Purpose.HANDLING, True)
        turn.say(_("Thank you. You can now book appointments and submit petitions."))
    elif choice == "grant_reminders":
        await users.record_consent(turn.user, Purpose.REMINDERS, True)
        turn.say(_("We will send you reminders in this chat."))
    elif choice == "withdraw_reminders":
        await users.record_consent(turn.user, Purpose.REMINDERS, False)
        turn.say(_("We will not send you reminders any more."))
    turn.forget_consent()
    await ask_privacy_action(turn)


async def _back_to_actions(turn: Turn) -> None:
    """Show the choices again as the step the confirmation came from (Back: the menu)."""
    history = list(turn.data.get(HISTORY, []))
    if history and history[-1] == ACTIONS:
        history.pop()
    turn.data[HISTORY] = history
    turn.state.step = ACTIONS
    await ask_privacy_action(turn)


async def ask_forget(turn: Turn) -> None:
    """Ask before deleting the saved details; say what stays and why."""
    turn.ask(_("Delete the details saved for reuse (your name, phone number, identity number "
               "and address)? Petitions you have already sent are public records that the law "
               "requires the office to keep, so they are not deleted."),
             [yes_option(_("Yes, delete them"), "yes", "xoa", "xoa thong tin"),
              no_option(_("No, keep them"), "no", "giu")],
             expect=Expect.CONFIRM)


async def receive_forget(turn: Turn) -> None:
    """Delete the saved details, or leave them."""
    if turn.choice == "yes":
        await turn.services.identity.forget(turn.user)
        turn.say(_("Your saved details are deleted. Next time you will be asked for them "
                   "again. Petitions already sent are kept as the law requires."))
    else:
        turn.say(_("Nothing was deleted."))
    await _back_to_actions(turn)


async def ask_withdraw(turn: Turn) -> None:
    """Ask before withdrawing consent; say what it changes."""
    turn.ask(_("Withdraw your consent for (1)(2)(3)? You will not be able to book "
               "appointments or submit petitions here until you agree again. Petitions you "
               "already submitted are public records and will still be handled as the law "
               "requires."),
             [yes_option(_("Yes, withdraw my consent"), "yes", "rut lai"),
              no_option(_("No, keep my consent"), "no", "giu")],
             expect=Expect.CONFIRM)


async def receive_withdraw(turn: Turn) -> None:
    """Withdraw consent for the main purposes, or leave it."""
    if turn.choice == "yes":
        await turn.services.users.record_consent(turn.user, Purpose.HANDLING, False)
        turn.forget_consent()
        turn.say(_("Your consent is withdrawn. Petitions you already submitted are public "
                   "records and will still be handled as the law requires; we will not "
                   "collect anything new from you."))
    else:
        turn.say(_("Your consent stays as it was."))
    await _back_to_actions(turn)


FLOW = Flow(
    name="privacy",
    title=N_("Personal data"),
    steps={
        ACTIONS: Step(ask_privacy_action, receive_privacy_action),
        "confirming_forget": Step(ask_forget, receive_forget),
        "confirming_withdraw": Step(ask_withdraw, receive_withdraw),
    },
    first=ACTIONS,
)
