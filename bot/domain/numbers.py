"""Numbers a person types: in digits ("12", "1.200") or in words ("mười hai", "hai mươi lăm").

One parser for every question that asks "how many" (people at a booking, at a petition, at
the reception desk), and for the conversation core to tell a typed number from a typed label.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from bot.domain.identity import phone_spans
from bot.domain.text import fold, fold_words

# Folded Vietnamese digits. After "mươi", "mốt" is one, "tư" four and "lăm"/"nhăm" five.
_UNITS = {"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6,
          "bay": 7, "tam": 8, "chin": 9}
_AFTER_TENS = {**_UNITS, "lam": 5, "nham": 5}
_TEN = ("muoi", "chuc")  # "mười"/"mươi" both fold to "muoi"; "một chục" is ten
_ZERO_TENS = ("linh", "le")  # "một trăm linh năm" is 105
_HUNDRED = "tram"
_THOUSAND = ("nghin", "ngan")
_ENGLISH = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
            "eighteen": 18, "nineteen": 19}
_ENGLISH_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                 "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = frozenset({*_AFTER_TENS, *_TEN, *_ZERO_TENS, _HUNDRED, *_THOUSAND, *_ENGLISH,
                          *_ENGLISH_TENS, "hundred", "thousand"})

_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d)[.,\s](?=\d{3}(?!\d))")
_DIGITS = re.compile(r"(-\s*)?(\d+)")


def _below_hundred(words: list[str]) -> int | None:
    if not words:
        return 0
    if len(words) == 1:
        word = words[0]
        return 10 if word in _TEN else _UNITS.get(word)
    if words[0] in _TEN:  # "mười hai", "mười lăm"
        unit = _AFTER_TENS.get(words[1]) if len(words) == 2 else None
        return None if unit is None else 10 + unit
    tens = _UNITS.get(words[0])
    if tens is None or tens < 1:
        return None
    if words[1] in _TEN:  # "hai mươi", "hai mươi lăm"
        if len(words) == 2:
            return 10 * tens
        unit = _AFTER_TENS.get(words[2]) if len(words) == 3 else None
        return None if unit is None else 10 * tens + unit
    # Spoken short forms: "hai mốt" is 21, "ba tư" 34, "hai lăm" 25.
    if len(words) == 2 and tens >= 2 and words[1] in ("mot", "tu", "lam", "nham"):
        return 10 * tens + _AFTER_TENS[words[1]]
    return None


def _below_thousand(words: list[str]) -> int | None:
    if _HUNDRED not in words:
        return _below_hundred(words)
    at = words.index(_HUNDRED)
    head, rest = words[:at], words[at + 1:]
    hundreds = 1 if not head else (_UNITS.get(head[0]) if len(head) == 1 else None)
    if hundreds is None:
        return None
    if rest and rest[0] in _ZERO_TENS:
        unit = _UNITS.get(rest[1]) if len(rest) == 2 else None
        return None if unit is None else 100 * hundreds + unit
    below = _below_hundred(rest)
    return None if below is None else 100 * hundreds + below


def _vietnamese(words: list[str]) -> int | None:
    for thousand in _THOUSAND:
        if thousand in words:
            at = words.index(thousand)
            head = _below_thousand(words[:at]) if words[:at] else 1
            tail = _below_thousand(words[at + 1:])
            return None if head is None or tail is None else 1000 * head + tail
    return _below_thousand(words)


def _english(words: list[str]) -> int | None:
    total = 0
    current = 0
    for word in words:
        if word in _ENGLISH:
            current += _ENGLISH[word]
        elif word in _ENGLISH_TENS:
            current += _ENGLISH_TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif word != "and":
            return None
    return total + current


def words_number(words: list[str]) -> int | None:
    """Return the number a list of folded words spells ("muoi", "lam"), or None."""
    if not words:
        return None
    if any(word in _ENGLISH or word in _ENGLISH_TENS for word in words):
        return _english(words)
    return _vietnamese(words)


def _digits(text: str) -> int | None:
    compact = _THOUSANDS_SEPARATOR.sub("", fold(unicodedata.normalize("NFKC", text)))
    found = _DIGITS.search(compact)
    if found is None:
        return None
    digits = found.group(2)
    value = int(digits) if len(digits) <= 9 else 10**9
    return -value if found.group(1) else value


def find_number(text: str) -> int | None:
    """Return the first number in ``text``: digits, or number words standing together."""
    digits = _digits(text)
    if digits is not None:
        return digits
    run: list[str] = []
    for word in [*fold_words(text).split(), ""]:
        if word in NUMBER_WORDS:
            run.append(word)
            continue
        if run:
            # The longest readable start of the run: "hai mươi người" is 20.
            for end in range(len(run), 0, -1):
                value = words_number(run[:end])
                if value is not None:
                    return value
            run = []
    return None


class PeopleProblem(Enum):
    """Why a typed number of people was refused."""

    NOT_A_NUMBER = "not_a_number"
    ZERO = "zero"  # zero or fewer
    TOO_MANY = "too_many"


# Words around a number of people that change nothing: "khoảng 20 người", "chúng tôi có 7".
_AROUND = frozenset({"nguoi", "khoang", "co", "tat", "ca", "chung", "toi", "gom", "la", "tong",
                     "cong", "du", "kien", "se", "den", "di", "doan", "people", "persons",
                     "person", "about", "we", "are", "in", "all"})
_ALONE = ("chi minh toi", "mot minh", "minh toi", "just me", "only me")


def parse_people(text: str, maximum: int) -> int | PeopleProblem:
    """Return the number of people ``text`` gives, or why it cannot be one.

    Digits anywhere ("khoảng 20 người", "1.200", "١٢"), a number in words ("bảy", "mười hai
    người", "hai mươi lăm"), or "chỉ mình tôi" for one.
    """
    for start, end in reversed(phone_spans(text)):
        # «Lê Thị Hoa (0205) 3871234» gives a phone number, not 205 people.
        text = text[:start] + " " + text[end:]
    number = _digits(text)
    if number is None:
        words = fold_words(text)
        if any(f" {alone} " in f" {words} " for alone in _ALONE):
            return 1
        number = words_number([w for w in words.split() if w not in _AROUND])
    if number is None:
        return PeopleProblem.NOT_A_NUMBER
    if number < 1:
        return PeopleProblem.ZERO
    if number > maximum:
        return PeopleProblem.TOO_MANY
    return number
