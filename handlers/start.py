"""/start: the greeting and, before anything is collected, the data-protection notice.

    /start inv-… ─▶ (invitation granted) menu; (refused) as /start
    /start ─▶ (answered) menu
           └▶ (not yet) waiting_for_handling_consent ─┬─ yes ─▶ waiting_for_reminder_consent ─▶ menu
                                                      ├─ no ──▶ menu (read-only)
                                                      └─ 🌐 the other language ─▶ the notice in it
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, esc, no_option, option, yes_option
from bot.domain.choices import Option
from bot.domain.conversation import Expect
from bot.domain.staff import INVITATION_PREFIX
from bot.domain.users import Purpose, Role
from bot.i18n import N_, _, current_language
from handlers import menu, staff
from handlers.language import switch_language

CONSENT_FLOW = "consent"


def greeting(turn: Turn) -> str:
    """Return the greeting with the office's name."""
    return _("Welcome! This is the online assistant of the {office}. Here you can book a "
             "reception appointment, submit a petition and follow it, and read the office's "
             "information.").format(office=f"<b>{esc(turn.settings.office.name)}</b>")


def notice(turn: Turn) -> str:
    """Return the data-protection notice: who holds the data, what, why, and the rights."""
    privacy = turn.settings.privacy
    contact = privacy.contact or turn.settings.office.phone or turn.settings.office.address
    return _(
        "<b>Personal data notice</b> (version {version})\n"
        "The {controller} (the data controller) collects your full name, personal ID (CCCD) "
        "number, phone number, address, and the content and documents of your petition, "
        "for these purposes:\n"
        "(1) to book your reception appointment;\n"
        "(2) to receive, classify and handle your petition under the Law on Citizen "
        "Reception, the Law on Complaints and the Law on Denunciations;\n"
        "(3) to tell you the results.\n"
        "A denouncer's identity is kept secret as the Law on Denunciations requires. Records "
        "are kept as the archiving rules require; chat messages and unfinished drafts are "
        "deleted after {days} days. We never ask for a photo of your ID card.\n"
        "You have the right to see and correct your data, to withdraw your consent, to ask "
        "for processing to be restricted, and to complain, under the Personal Data Protection "
        "Law 2025. Contact: {contact}."
    ).format(version=esc(privacy.notice_version), controller=esc(turn.settings.controller),
             days=privacy.chat_retention_days, contact=esc(contact))


async def command_start(turn: Turn) -> None:
    """Greet the person; show the notice if they have not answered it, else the menu.

    ``/start inv-…`` (a Telegram deep link's payload arrives as the argument) opens a staff
    invitation first.
    """
    payload = turn.incoming.args[0] if turn.incoming.args else ""
    if payload.startswith(INVITATION_PREFIX) and await staff.open_invitation(turn, payload):
        await menu.ask_what_next(turn)
        return
    turn.say(greeting(turn))
    consent = await turn.consent()
    if turn.role is not Role.CITIZEN and not consent.answered(turn.settings.privacy.notice_version):
        # Staff come to work: the citizens' notice is asked when they book or file for
        # themselves (those flows send them to «Personal data»), not at every /start.
        await menu.ask_what_next(turn)
        return
    if not consent.answered(turn.settings.privacy.notice_version):
        await turn.begin(CONSENT_FLOW)
        return
    if not consent.granted(Purpose.HANDLING):
        turn.say(_("You have not agreed to the processing of your personal data, so you can "
                   "read information but not book or submit anything. You can change this at "
                   "any time under «Personal data»."))
    await menu.ask_what_next(turn)


def _other_language() -> Option:
    """Return the button that shows the notice in the other language, named in itself."""
    if current_language() == "en":
        return option("🌐 Tiếng Việt", "lang:vi", "tieng viet", "vietnamese")
    return option("🌐 English", "lang:en", "english", "tieng anh")


async def ask_handling_consent(turn: Turn) -> None:
    """Show the notice and ask for consent to the main purposes."""
    turn.ask(
        notice(turn) + "\n\n" + _("Do you agree to the processing of your personal data for "
                                  "purposes (1), (2) and (3) above?"),
        [yes_option(_("I agree"), "yes", "agree"), no_option(_("I do not agree")),
         _other_language()],
        expect=Expect.CONFIRM,
        back=False,
    )


async def receive_handling_consent(turn: Turn) -> None:
    """Record the answer; go on to the optional purpose, or to the read-only menu.

    The language button switches the language first and shows the notice again in it.
    """
    if (turn.choice or "").startswith("lang:"):
        await switch_language(turn, (turn.choice or "")[5:])
        await turn.goto("waiting_for_handling_consent")
        return
    granted = turn.choice == "yes"
    await turn.services.users.record_consent(turn.user, Purpose.HANDLING, granted)
    turn.forget_consent()
    turn.data["handling"] = granted
    if granted:
        await turn.goto("waiting_for_reminder_consent")
        return
    turn.say(_("Understood. Nothing about you will be collected. You can still read the "
               "office's information and reception schedule. If you later want to book or "
               "submit a petition, you can agree under «Personal data»."))
    await turn.finish()


async def ask_reminder_consent(turn: Turn) -> None:
    """Ask separately about reminders and news in this chat (optional)."""
    turn.ask(
        _("Thank you. One more, optional, question: do you want to receive appointment "
          "reminders and news about your petitions in this chat?"),
        [yes_option(_("Yes, send me reminders")), no_option(_("No, thank you"))],
        expect=Expect.CONFIRM,
        back=False,  # the first answer is recorded already; change it under «Personal data»
    )


async def receive_reminder_consent(turn: Turn) -> None:
    """Record the optional answer and open the menu."""
    granted = turn.choice == "yes"
    await turn.services.users.record_consent(turn.user, Purpose.REMINDERS, granted)
    turn.forget_consent()
    if granted:
        turn.say(_("Thank you. Your answers have been recorded."))
    else:
        turn.say(_("Thank you. Your answers have been recorded. We will not send you "
                   "reminders; you will still be told the results of your petitions."))
    await turn.finish()


FLOW = Flow(
    name=CONSENT_FLOW,
    title=N_("Personal data notice"),
    steps={
        "waiting_for_handling_consent": Step(ask_handling_consent, receive_handling_consent),
        "waiting_for_reminder_consent": Step(ask_reminder_consent, receive_reminder_consent),
    },
    first="waiting_for_handling_consent",
)
