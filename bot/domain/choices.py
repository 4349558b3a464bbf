"""Match a typed answer to one of the offered choices, by number or by label."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.domain.text import contains_words, fold_words

# A guess is taken only when it is this alike (0–100) to one option's name...
GUESS_SCORE = 85.0
# ...and this much more alike to it than to any other option.
GUESS_MARGIN = 10.0
GUESS_MIN_LETTERS = 4
PREFIX_MIN_CHARS = 3

# Initial consonants that many people do not tell apart when they type (the north's l/n, the
# south's tr/ch, s/x, gi/d/r): folded to one sound before guessing.
_SOUNDS = (("tr", "ch"), ("gi", "d"), ("l", "n"), ("s", "x"), ("r", "d"))

# Words that answer «no» on their own but, inside a sentence, negate the word after them:
# "xã giải quyết rồi nhưng tôi không đồng ý" does not answer «chưa».
_NEGATIONS = frozenset({"khong", "chua", "ko", "hong", "chang", "no", "not"})
# «có» answers «yes» on its own, but inside a sentence it is "to have" ("nhà tôi có đất").
_POLAR = _NEGATIONS | {"co"}
# Words that may follow a bare «yes» or «no» without changing it ("không ạ", "chưa đâu").
_PARTICLES = frozenset({"a", "ah", "ak", "nhe", "nha", "dau", "roi", "ha", "oi", "cam", "on",
                        "thanks", "thank", "you", "yet", "ban", "em", "chau", "con"})
# Agreement negated at the start of an answer is a disagreement, not «no».
_AGREEMENT = frozenset({"dong y", "dong tinh", "chap nhan", "hai long", "thoa man", "agree"})


@dataclass(frozen=True)
class Option:
    """One offered answer: what the person sees, what it means, other words for it."""

    label: str
    payload: str
    aliases: tuple[str, ...] = ()


def _names(option: Option) -> list[str]:
    names = [fold_words(option.label), *(fold_words(alias) for alias in option.aliases)]
    return [name for name in names if name]


def _has_digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _in_passing(typed: str, name: str) -> bool:
    """Tell whether ``name``, a bare «yes» or «no», is only a word of the sentence ``typed``.

    It is the answer where it ends it ("tôi nghĩ là không", "chưa ạ") or opens it ("không,
    tôi nhập mới", "có, xã đã trả lời") — unless «no» opens a disagreement ("không đồng ý").
    """
    if name not in _POLAR:
        return False
    words = typed.split()
    for index, word in enumerate(words):
        if word != name:
            continue
        after = words[index + 1:]
        if all(later in _PARTICLES for later in after):
            return False
        disagrees = name in _NEGATIONS and (" ".join(after[:2]) in _AGREEMENT
                                            or after[0] in _AGREEMENT)
        if index == 0 and not disagrees:
            return False
    return True


def _starts_like(typed: str, name: str) -> bool:
    """Tell whether ``typed`` is ``name``'s leading whole words, the last one perhaps cut short."""
    typed_words, name_words = typed.split(), name.split()
    if len(typed_words) > len(name_words):
        return False
    *whole, last = typed_words
    return (name_words[:len(whole)] == whole
            and name_words[len(whole)].startswith(last))


def _sound(word: str) -> str:
    for spelled, sound in _SOUNDS:
        if word.startswith(spelled):
            return sound + word[len(spelled):]
    return word


def _sounds(text: str) -> str:
    return " ".join(_sound(word) for word in text.split())


def similarity(typed: str, name: str) -> float:
    """Return how alike two folded texts are (0–100), as they sound rather than as spelled."""
    return fuzz.ratio(_sounds(typed), _sounds(name))


def _guess(typed: str, options: Sequence[Option]) -> Option | None:
    """Return the one option ``typed`` is clearly a misspelling of, or None."""
    if sum(ch.isalpha() for ch in typed) < GUESS_MIN_LETTERS or not re.fullmatch(
            r"[^\W\d_]+(?: [^\W\d_]+)*", typed):
        return None
    scores: dict[str, tuple[float, Option]] = {}
    for option in options:
        best = max((similarity(typed, name) for name in _names(option)
                    if not _has_digits(name)), default=0.0)
        if best > scores.get(option.payload, (-1.0, option))[0]:
            scores[option.payload] = (best, option)
    ranked = sorted(scores.values(), key=lambda scored: scored[0], reverse=True)
    if not ranked or ranked[0][0] < GUESS_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < GUESS_MARGIN:
        return None
    return ranked[0][1]


def match_choice(text: str, options: Sequence[Option], *, guess: bool = True,
                 whole: bool = False, extra_words: int | None = None) -> Option | None:
    """Return the option a typed ``text`` names, or None when it names none or several.

    A person may type the number shown before the option, its label or an alias, in any
    case, with or without diacritics, or a sentence that contains exactly one of them
    ("tôi muốn khiếu nại"). When one name contains another ("Không đồng ý" and "Đồng ý"),
    the longer one wins. A bare «không»/«chưa» inside a sentence negates the word after it
    ("... nhưng tôi không đồng ý") and a bare «có» there means "to have", so they name an
    option only at the start or the end of the answer. Words may be cut short ("thông" for
    «Thông tin»), but text with digits in it (a date, a time) must match a name exactly or
    not at all: "1/1" is not the start of "1/12". Last, with ``guess``, a word typed with a
    slip ("kiếu lại", "tố caoo") picks the one option it is clearly closest to. With
    ``whole``, only the number or a whole name typed alone counts. With ``extra_words``, a
    name inside a sentence counts only if the sentence has at most that many other words:
    where typed text is itself an answer, a long one is that answer ("..., không có nội dung
    mới" is a note, not «Không có»).
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
    if whole:
        return None
    found: list[tuple[str, Option]] = []
    words = len(typed.split())
    for option in options:
        found.extend((name, option) for name in _names(option)
                     if contains_words(typed, name) and not _in_passing(typed, name)
                     and (extra_words is None or words - len(name.split()) <= extra_words))
    if found:
        # A name inside a longer found name ("dong y" in "khong dong y") is not a rival.
        maximal = {
            option.payload: option
            for name, option in found
            if not any(name != other and contains_words(other, name) for other, _o in found)
        }
        return next(iter(maximal.values())) if len(maximal) == 1 else None
    if _has_digits(typed):
        return None
    if len(typed) >= PREFIX_MIN_CHARS:
        prefixed = {
            option.payload: option
            for option in options
            if any(_starts_like(typed, name) for name in _names(option))
        }
        if len(prefixed) == 1:
            return next(iter(prefixed.values()))
        if prefixed:
            return None
    return _guess(typed, options) if guess else None


# -- confirmations ----------------------------------------------------------------------------

# Typed alone, these say yes to a confirmation (folded: «Có», «có ạ», «Đồng ý!»)...
YES_WORDS = ("co", "co a", "da co", "vang", "vang a", "da vang", "dong y", "dong y a",
             "toi dong y", "xac nhan", "yes", "ok")
# ...and these say no: the question is answered and nothing is done.
NO_WORDS = ("khong", "khong a", "da khong", "khong dong y", "thoi", "thoi khong", "huy",
            "huy bo", "de sau", "khong can", "no", "cancel")


def affirms(option: Option) -> bool:
    """Tell whether choosing ``option`` says yes to a confirmation (it has a yes word)."""
    return any(name in YES_WORDS for name in _names(option))


def denies(option: Option) -> bool:
    """Tell whether choosing ``option`` says no to a confirmation (it has a no word)."""
    return any(name in NO_WORDS for name in _names(option))


def match_confirmation(text: str, options: Sequence[Option]) -> Option | None:
    """Return the option a typed answer to a confirmation names, or None.

    A yes must be explicit: the yes option's number, or its label or a yes word typed alone
    («có», «Đồng ý», «yes»); a sentence never confirms, even one with «có» in it («cô ấy
    chuyển công tác»). The other options («không», «✏️ Đổi giờ», «Quay lại») are read as
    any question reads them, without guessing at slips.
    """
    picked = match_choice(text, options, guess=False, whole=True)
    if picked is not None:
        return picked
    picked = match_choice(text, options, guess=False)
    return None if picked is None or affirms(picked) else picked
