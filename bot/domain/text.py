"""Vietnamese text normalisation for matching typed answers, names and places."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics, with đ as d and spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # NFD does not decompose đ/Đ: they are letters of their own, not d with a mark.
    stripped = stripped.replace("đ", "d").replace("Đ", "d")
    return _SPACES.sub(" ", stripped).strip()


def fold_words(text: str) -> str:
    """Return ``fold(text)`` with punctuation turned into spaces."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(text))).strip()


def nfc(text: str) -> str:
    """Return ``text`` in NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def contains_words(haystack: str, needle: str) -> bool:
    """Tell whether the folded ``needle`` occurs in ``haystack`` as whole words."""
    if not needle:
        return False
    return f" {needle} " in f" {haystack} "


_SENTENCE_ENDS = (". ", "! ", "? ", "; ")


def topic_summary(text: str, limit: int) -> str:
    """Return the beginning of ``text`` that fits in ``limit`` characters, ending at a word.

    Whole sentences are kept when they fill at least half of the room; otherwise the text
    is cut after a word and ends with "…".
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    room = flat[:limit - 1]
    sentence = max(room.rfind(mark) for mark in _SENTENCE_ENDS)
    if sentence >= limit // 2:
        return room[:sentence + 1]
    space = room.rfind(" ")
    cut = room[:space] if space >= limit // 2 else room
    return cut.rstrip(" ,;:-") + "…"
