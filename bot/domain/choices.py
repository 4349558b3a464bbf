"""Match a typed answer to one of the offered choices, by number or by label."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.text import contains_words, fold_words


@dataclass(frozen=True)
class Option:
    """One offered answer: what the person sees, what it means, other words for it."""

    label: str
    payload: str
    aliases: tuple[str, ...] = ()


def _names(option: Option) -> list[str]:
    names = [fold_words(option.label), *(fold_words(alias) for alias in option.aliases)]
    return [name for name in names if name]


def match_choice(text: str, options: Sequence[Option]) -> Option | None:
    """Return the option a typed ``text`` names, or None when it names none or several.

    A person may type the number shown before the option, its label or an alias, in any
    case, with or without diacritics, or a sentence that contains exactly one of them
    ("tôi muốn khiếu nại"). When one name contains another ("Không đồng ý" and "Đồng ý"),
    the longer one wins.
    """
    typed = fold_words(text)
    if not typed:
        return None
    if typed.isdecimal():  # "²" is a digit to isdigit() but not a number to int()
        index = int(typed) - 1
        return options[index] if 0 <= index < len(options) else None
    exact = [option for option in options if typed in _names(option)]
    if len(exact) == 1:
        return exact[0]
    found: list[tuple[str, Option]] = []
    for option in options:
        found.extend((name, option) for name in _names(option) if contains_words(typed, name))
    if found:
        # A name inside a longer found name ("dong y" in "khong dong y") is not a rival.
        maximal = {
            option.payload: option
            for name, option in found
            if not any(name != other and contains_words(other, name) for other, _o in found)
        }
        return next(iter(maximal.values())) if len(maximal) == 1 else None
    if len(typed) >= 3:
        prefixed = [
            option
            for option in options
            if any(name.startswith(typed) for name in _names(option))
        ]
        if len(prefixed) == 1:
            return prefixed[0]
    return None
