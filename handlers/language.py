"""Language: Vietnamese (default) or English, remembered per person.

    menu ─▶ choosing_language ─▶ menu (in the new language)
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, option
from bot.i18n import N_, _, set_language


async def ask_language(turn: Turn) -> None:
    """Offer the languages, each named in itself."""
    turn.ask(_("Please choose your language:"),
             [option("Tiếng Việt", "vi", "tieng viet", "vietnamese", "vi"),
              option("English", "en", "tieng anh", "english", "en")])


async def receive_language(turn: Turn) -> None:
    """Remember the language and continue in it."""
    language = turn.choice or turn.settings.default_language
    await turn.services.users.set_language(turn.user, language)
    set_language(language)
    turn.say(_("From now on I will write in English."))
    await turn.finish()


FLOW = Flow(
    name="language",
    title=N_("Language"),
    steps={"choosing_language": Step(ask_language, receive_language)},
    first="choosing_language",
)
