"""Personal data: read the notice again, see one's answers, change them.

    menu ─▶ choosing_privacy_action ─┬─ read notice ─▶ choosing_privacy_action
                                     ├─ agree / withdraw (1)(2)(3) ─▶ choosing_privacy_action
                                     └─ reminders on / off ─▶ choosing_privacy_action
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, option
from bot.domain.users import Purpose
from bot.i18n import N_, _, format_datetime
from handlers.start import notice


async def ask_privacy_action(turn: Turn) -> None:
    """Show the person's current answers and what they can change."""
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
    options = [option(_("Read the notice"), "read", "doc", "thong bao")]
    if consent.granted(Purpose.HANDLING):
        options.append(option(_("Withdraw consent for (1)(2)(3)"), "withdraw_handling",
                              "rut lai"))
    else:
        options.append(option(_("Agree to (1)(2)(3)"), "grant_handling", "dong y"))
    if consent.granted(Purpose.REMINDERS):
        options.append(option(_("Stop reminders"), "withdraw_reminders", "tat nhac"))
    else:
        options.append(option(_("Send me reminders"), "grant_reminders", "bat nhac", "nhac"))
    turn.ask("\n".join(lines), options)


async def receive_privacy_action(turn: Turn) -> None:
    """Do what the person chose and show the answers again."""
    choice = turn.choice
    users = turn.services.users
    if choice == "read":
        turn.say(notice(turn))
    elif choice == "grant_handling":
        await users.record_consent(turn.user, Purpose.HANDLING, True)
        turn.say(_("Thank you. You can now book appointments and submit petitions."))
    elif choice == "withdraw_handling":
        await users.record_consent(turn.user, Purpose.HANDLING, False)
        turn.say(_("Your consent is withdrawn. Petitions you already submitted are public "
                   "records and will still be handled as the law requires; we will not "
                   "collect anything new from you."))
    elif choice == "grant_reminders":
        await users.record_consent(turn.user, Purpose.REMINDERS, True)
        turn.say(_("We will send you reminders in this chat."))
    elif choice == "withdraw_reminders":
        await users.record_consent(turn.user, Purpose.REMINDERS, False)
        turn.say(_("We will not send you reminders any more."))
    turn.forget_consent()
    await ask_privacy_action(turn)


FLOW = Flow(
    name="privacy",
    title=N_("Personal data"),
    steps={"choosing_privacy_action": Step(ask_privacy_action, receive_privacy_action)},
    first="choosing_privacy_action",
)
