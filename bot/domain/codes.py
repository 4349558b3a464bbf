"""Tracking codes: short to read aloud, hard to guess, forgiving when typed back."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection

# No 0/O, 1/I/L: letters and digits that are not mistaken for one another on the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUP = 4
GROUPS = 2
PETITION_PREFIX = "D"  # đơn
BOOKING_PREFIX = "H"  # lịch hẹn
_NOT_CODE = re.compile(r"[^0-9A-Z]")


def new_code(prefix: str) -> str:
    """Return a fresh random code such as ``D-7K4M-9QXR`` (31^8 ≈ 8.5·10^11 possibilities)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(GROUP * GROUPS))
    groups = [body[i:i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([prefix, *groups])


def normalize_code(text: str) -> str | None:
    """Return the code a person typed, in canonical form, or None if it cannot be one.

    Case, spaces, dots and dashes do not matter: "d 7k4m 9qxr" is ``D-7K4M-9QXR``.
    """
    compact = _NOT_CODE.sub("", text.upper())
    if len(compact) != 1 + GROUP * GROUPS:
        return None
    prefix, body = compact[0], compact[1:]
    if prefix not in (PETITION_PREFIX, BOOKING_PREFIX):
        return None
    if any(ch not in ALPHABET for ch in body):
        return None
    groups = [body[i:i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([prefix, *groups])


# A code standing on its own in a sentence: not glued to other letters or digits. The
# lookahead finds overlapping candidates: «hoi ve don D-V4J9-XTN8» has a false one first.
_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?=([DdHh][\s.\-]*(?:[0-9A-Za-z][\s.\-]*){7}"
                      r"[0-9A-Za-z])(?![0-9A-Za-z]))")
# Written as a code is printed: the letter, then two groups of four (separators optional).
_GROUPED = re.compile(r"[DdHh][\s.\-]*[0-9A-Za-z]{4}[\s.\-]*[0-9A-Za-z]{4}")


def find_code(text: str) -> str | None:
    """Return the first code found anywhere in ``text`` (a sentence may carry one).

    Inside a sentence a code must stand apart from other words, and have a digit or be
    grouped as printed (D-ABCD-EFGH): "dat hen gap" is not the code D-ATHE-NGAP.
    """
    for match in _IN_TEXT.finditer(text):
        written = match.group(1)
        code = normalize_code(written)
        if code is None:
            continue
        if any(ch.isdigit() for ch in code) or _GROUPED.fullmatch(written):
            return code
    return None


# A code may start anywhere a petition or booking letter stands; lookahead finds overlaps.
_CANDIDATE = re.compile(r"(?=([DdHh][\s.\-]*(?:[0-9A-Za-z][\s.\-]*){8}))")
_TRAILING = " \t\r\n.-"


def code_spans(text: str) -> list[tuple[int, int, str]]:
    """Return each code written in ``text``: where it starts and ends, and the code."""
    spans: list[tuple[int, int, str]] = []
    taken = 0
    for match in _CANDIDATE.finditer(text):
        start = match.start()
        if start < taken:
            continue
        raw = match.group(1).rstrip(_TRAILING)
        code = normalize_code(raw)
        if code is None:
            continue
        spans.append((start, start + len(raw), code))
        taken = start + len(raw)
    return spans


def codes_in(text: str) -> set[str]:
    """Return every code written in ``text``, in canonical form."""
    return {code for _start, _end, code in code_spans(text)}


def mask_codes(text: str, hidden: Collection[str], mask: str) -> str:
    """Return ``text`` with each code in ``hidden`` (however it was typed) replaced by ``mask``."""
    if not hidden:
        return text
    parts: list[str] = []
    last = 0
    for start, end, code in code_spans(text):
        if code in hidden:
            parts += [text[last:start], mask]
            last = end
    parts.append(text[last:])
    return "".join(parts)
