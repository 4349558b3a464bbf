"""The main menu: where a person is when in no flow.

    (any flow ends) ─▶ idle ─┬─ choice ─▶ the chosen flow or answer
                             │   («xem thông tin đã lưu»: personal data, the saved details first)
                             ├─ a tracking code typed (alone or in a sentence) ─▶ its lookup
                             ├─ «có» / «không» with a waiting-list offer open ─▶ its answer
                             ├─ «english» / «tiếng việt» typed ─▶ that language, menu again
                             └─ other text ─▶ the closest entry, or the menu again with a hint
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, option
from bot.domain.choices import Option, match_choice
from bot.domain.codes import find_code
from bot.domain.conversation import IDLE_FLOW, IDLE_STEP, Expect
from bot.domain.messages import InputKind
from bot.domain.text import contains_words, fold_words
from bot.domain.users import Role
from bot.i18n import N_, _
from handlers.booking import answer_offer
from handlers.language import language_named, switch_language
from handlers.lookup import open_code
from handlers.privacy import SHOW_SAVED

BOOK = "book"
PETITION = "petition"
LOOKUP = "lookup"
INFO = "info"
PRIVACY = "privacy"
LANGUAGE = "language"

# «Xem thông tin đã lưu» asks for the saved details themselves, not the privacy choices.
SAVED_WORDS = ("da luu", "thong tin cua toi", "du lieu cua toi", "saved", "my data")


def citizen_options() -> list[Option]:
    """Return the menu entries every person sees."""
    return [
        option(_("📅 Book a reception appointment"), BOOK, "dat lich", "lich hen", "hen",
               "tiep cong dan", "tiep dan", "dat lich hen", "dat lich tiep dan",
               "dat lich tiep cong dan", "book"),
        option(_("📝 Submit a petition"), PETITION, "gui don", "nop don", "khieu nai", "to cao",
               "kien nghi", "phan anh", "petition", "complaint"),
        option(_("🔎 Look up a petition or appointment"), LOOKUP, "tra cuu", "ma ho so",
               "tinh trang", "don cua toi", "lookup", "status"),
        option(_("ℹ️ Office information and reception schedule"), INFO, "thong tin",
               "dia chi", "gio lam viec", "lich tiep", "lich tiep dan", "lich tiep cong dan",
               "xem lich", "xem lich tiep dan", "so dien thoai", "info", "address"),
        option(_("🔒 Personal data"), PRIVACY, "du lieu", "du lieu ca nhan",
               "quyen rieng tu", "thong tin da luu", "xem thong tin da luu", "du lieu da luu",
               "thong tin ca nhan", "thong tin cua toi", "privacy", "my data"),
        option(_("🌐 Language / Ngôn ngữ"), LANGUAGE, "ngon ngu", "language", "english",
               "tieng viet", "tieng anh"),
    ]


async def ask_what_next(turn: Turn) -> None:
    """Show the main menu (leaving any open flow, whose draft is kept if it keeps drafts)."""
    if not turn.state.idle:
        await turn.dialog.leave(turn)
    question = _("What can we help you with? Please choose:")
    work = _work_commands(turn)
    if work:
        question += "\n" + _("Your work: {commands} (/trogiup explains each).").format(
            commands=" · ".join(work))
    # TEXT: a typed tracking code or language reaches the step instead of a hint.
    turn.ask(question, citizen_options(), expect=Expect.TEXT, back=False)


def _work_commands(turn: Turn) -> list[str]:
    """Return the commands of a staff member, leader or admin that citizens do not have."""
    if turn.role is Role.CITIZEN:
        return []
    return [f"/{name}" for name, command in turn.dialog.routes.commands.items()
            if command.help and command.allows(turn.role, turn.settings)
            and not command.allows(Role.CITIZEN, turn.settings)]


async def receive_menu_choice(turn: Turn) -> None:
    """Open what the person chose or typed: an entry, a tracking code, a language."""
    typed = turn.incoming.text if turn.incoming.kind is InputKind.TEXT else ""
    code = find_code(typed)
    if code is not None:
        await open_code(turn, code)
        return
    if await answer_offer(turn, typed):  # «có» / «không» to a waiting-list offer
        return
    language = language_named(typed)
    if language is not None:
        await switch_language(turn, language)
        await ask_what_next(turn)
        return
    choice = turn.choice
    if choice is None:
        picked = match_choice(typed, citizen_options())  # a slip of the finger is guessed
        if picked is None:
            await turn.reask(_("Please choose one of the options below: tap a button or type "
                               "its number."))
            return
        choice = picked.payload
    if choice == PRIVACY and any(contains_words(fold_words(typed), words)
                                 for words in SAVED_WORDS):
        await turn.begin(PRIVACY, {SHOW_SAVED: True})
        return
    if choice not in turn.dialog.routes.flows:
        # An entry whose flow has not landed yet says so plainly.
        turn.say(_("This service is being prepared and will open soon. Meanwhile you can "
                   "call or visit the office; see «Office information»."))
        await ask_what_next(turn)
        return
    await turn.begin(choice)


FLOW = Flow(
    name=IDLE_FLOW,
    title=N_("Main menu"),
    steps={IDLE_STEP: Step(ask=ask_what_next, receive=receive_menu_choice)},
    first=IDLE_STEP,
)
