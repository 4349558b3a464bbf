"""Language: Vietnamese (default) or English, remembered per person.

    menu ─▶ choosing_language ─▶ menu (in the new language)
"""

from __future__ import annotations

from bot.dialog.flow import Flow, Step, Turn, option
from bot.domain.text import fold_words
from bot.i18n import N_, _, set_language

# Each language's name as people type it, in itself and in the other language.
_NAMES = {"vi": ("tieng viet", "vietnamese", "vi"), "en": ("english", "tieng anh", "en")}


def language_named(text: str) -> str | None:
    """Return the language a typed text names on its own ("english", "tiếng Việt"), or None."""
    typed = fold_words(text)
    return next((language for language, names in _NAMES.items() if typed in names), None)


async def switch_language(turn: Turn, language: str) -> None:
    """Remember the language and say so in it."""
    await turn.services.users.set_language(turn.user, language)
    set_language(language)
    turn.say(_("From now on I will write in English."))


async def ask_language(turn: Turn) -> None:
    """Offer the languages, each named in itself."""
    turn.ask(_("Please choose your language:"),
             [option("Tiếng Việt", "vi", *_NAMES["vi"]), option("English", "en", *_NAMES["en"])])


async def receive_language(turn: Turn) -> None:
    """Remember the language and continue in it."""
    await switch_language(turn, turn.choice or turn.settings.default_language)
    await turn.finish()


FLOW = Flow(
    name="language",
    title=N_("Language"),
    steps={"choosing_language": Step(ask_language, receive_language)},
    first="choosing_language",
)
