"""Communes, wards and special zones of a province after the 2025 reform, matched from text."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from vietnam_provinces import Province, ProvinceCode, Ward

from bot.domain.text import fold

MAX_SUGGESTIONS = 3
# Below this a typed name and a unit name share too little for the unit to be worth offering.
SUGGESTION_CUTOFF = 70.0

# Words people put before a unit's name, folded; None where the word names no current kind
# ("thị trấn" ended with the districts in 2025, yet people still write it).
_PREFIXES: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("dac", "khu"), "đặc khu"),
    (("thi", "tran"), None),
    (("phuong",), "phường"),
    (("xa",), "xã"),
    (("tt",), None),
    (("p",), "phường"),
    (("x",), "xã"),
)
_PROVINCE_WORDS: tuple[tuple[str, ...], ...] = (("tinh",), ("thanh", "pho"), ("tp",))


@dataclass(frozen=True)
class Unit:
    """A commune-level unit: its code, official name ("Phường Tam Thanh") and kind."""

    code: int
    name: str
    kind: str  # "xã", "phường" or "đặc khu"


@dataclass(frozen=True)
class PlaceMatch:
    """What a typed place name matched: one confident unit, and the closest units."""

    unit: Unit | None
    suggestions: tuple[Unit, ...]


@dataclass(frozen=True)
class _Words:
    plain: tuple[str, ...]  # lower-cased, diacritics kept
    folded: tuple[str, ...]


def _words(text: str) -> _Words:
    lowered = unicodedata.normalize("NFC", text).lower()
    kept = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " "
                   for ch in lowered)
    pairs = [(word, fold(word)) for word in kept.split()]
    pairs = [(plain, folded) for plain, folded in pairs if folded]
    return _Words(tuple(p for p, _f in pairs), tuple(f for _p, f in pairs))


def _strip_prefix(words: _Words) -> tuple[_Words, str | None, bool]:
    """Return the words after a leading unit word, the kind it names, and whether one was there."""
    for prefix, kind in _PREFIXES:
        size = len(prefix)
        if words.folded[:size] == prefix and len(words.folded) > size:
            return _Words(words.plain[size:], words.folded[size:]), kind, True
    return words, None, False


def _province_core(name: str) -> tuple[str, ...]:
    folded = _words(name).folded
    for word in _PROVINCE_WORDS:
        if folded[:len(word)] == word:
            return folded[len(word):]
    return folded


def _province_name(name: str) -> str:
    # vietnam-provinces 2026.x writes "Tỉnh Cao Bằng" where 2025.x writes "Cao Bằng".
    return name.removeprefix("Tỉnh ").strip()


@dataclass(frozen=True)
class _Entry:
    unit: Unit
    plain: str
    folded: str


@dataclass(frozen=True)
class _Index:
    province_name: str
    province_core: tuple[str, ...]
    entries: tuple[_Entry, ...]
    by_folded: dict[str, tuple[_Entry, ...]]
    by_code: dict[int, Unit]


def _entry(ward: Ward) -> _Entry:
    kind = str(ward.division_type.value)
    words = _words(ward.name)
    kind_words = _words(kind).folded
    if words.folded[:len(kind_words)] == kind_words:
        core = _Words(words.plain[len(kind_words):], words.folded[len(kind_words):])
    else:
        core, _kind, _found = _strip_prefix(words)
    unit = Unit(int(ward.code), ward.name, kind)
    return _Entry(unit, " ".join(core.plain), " ".join(core.folded))


@functools.cache
def _index(province_code: int) -> _Index:
    try:
        code = ProvinceCode(province_code)
        province = Province.from_code(code)
    except ValueError:
        raise ValueError(f"no province with code {province_code}") from None
    entries = tuple(sorted((_entry(w) for w in Ward.iter_by_province(code)),
                           key=lambda e: e.unit.code))
    grouped: dict[str, list[_Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.folded, []).append(entry)
    return _Index(
        province_name=_province_name(province.name),
        province_core=_province_core(province.name),
        entries=entries,
        by_folded={key: tuple(group) for key, group in grouped.items()},
        by_code={entry.unit.code: entry.unit for entry in entries},
    )


@dataclass(frozen=True)
class _Typed:
    variants: tuple[_Words, ...]  # readings of the typed name, most literal first
    kind: str | None
    has_prefix: bool


def _without_province_tail(words: _Words, province_core: tuple[str, ...]) -> _Words | None:
    size = len(province_core)
    if size == 0 or words.folded[-size:] != province_core:
        return None
    end = len(words.folded) - size
    for word in _PROVINCE_WORDS:
        if words.folded[end - len(word):end] == word:
            end -= len(word)
            break
    if end <= 0:
        return None
    return _Words(words.plain[:end], words.folded[:end])


def _typed(segment: str, province_core: tuple[str, ...]) -> _Typed | None:
    words = _words(segment)
    if not words.folded:
        return None
    core, kind, has_prefix = _strip_prefix(words)
    variants = [words]
    if has_prefix:
        variants.append(core)
    untailed = _without_province_tail(core, province_core)
    if untailed is not None:
        variants.append(untailed)
    return _Typed(tuple(variants), kind, has_prefix)


def _score(typed: str, name: str) -> float:
    # ratio catches typos; token_set_ratio, damped, catches a part of a longer name.
    return max(fuzz.ratio(typed, name), 0.9 * fuzz.token_set_ratio(typed, name))


def _one(unit: Unit) -> PlaceMatch:
    return PlaceMatch(unit, (unit,))


def _resolve(entries: Sequence[_Entry], typed: _Words, kind: str | None) -> PlaceMatch:
    if len(entries) == 1:
        return _one(entries[0].unit)
    # Names equal once folded (Đông Tiến / Đồng Tiến) are told apart only by what the
    # person typed: the exact diacritics, or the kind of unit written before the name.
    narrowed = list(entries)
    plain = " ".join(typed.plain)
    same_marks = [entry for entry in narrowed if entry.plain == plain]
    if same_marks:
        narrowed = same_marks
    same_kind = [entry for entry in narrowed if entry.unit.kind == kind]
    if same_kind:
        narrowed = same_kind
    if len(narrowed) == 1:
        return _one(narrowed[0].unit)
    return PlaceMatch(None, tuple(entry.unit for entry in entries))


class Directory:
    """The commune-level units of one province, and matching of typed names to them."""

    def __init__(self, province_code: int) -> None:
        self._index = _index(province_code)
        self.province_code = province_code

    @property
    def province_name(self) -> str:
        """Return the province's name ("Lạng Sơn", "Thành phố Hà Nội")."""
        return self._index.province_name

    @property
    def units(self) -> tuple[Unit, ...]:
        """Return every unit of the province, by code."""
        return tuple(entry.unit for entry in self._index.entries)

    def by_code(self, code: int) -> Unit | None:
        """Return the unit with ``code`` in this province, or None."""
        return self._index.by_code.get(code)

    def match(self, text: str) -> PlaceMatch:
        """Return the unit ``text`` names, or none and the closest units.

        Case, diacritics, a leading "xã"/"phường"/"p."/"đặc khu"/"thị trấn" and the province
        name at the end are ignored. Text after a comma is read only when it starts with
        a unit word ("số 5, phường Tam Thanh"): bare names there are often old districts
        ("xã Hợp Thành, Cao Lộc") that now share a name with a different commune.
        A typo never gives a confident unit, only suggestions for the person to confirm.
        """
        first, *rest = text.split(",")
        core = self._index.province_core
        readings = [_typed(first, core), *(_typed(segment, core) for segment in rest)]
        typed = [t for i, t in enumerate(readings) if t is not None and (i == 0 or t.has_prefix)]
        for reading in typed:
            for variant in reading.variants:
                entries = self._index.by_folded.get(" ".join(variant.folded))
                if entries:
                    return _resolve(entries, variant, reading.kind)
        return PlaceMatch(None, self._suggest(v for t in typed for v in t.variants))

    def _suggest(self, variants: Iterable[_Words]) -> tuple[Unit, ...]:
        best: dict[int, float] = {}
        for variant in variants:
            typed = " ".join(variant.folded)
            for entry in self._index.entries:
                score = _score(typed, entry.folded)
                if score >= SUGGESTION_CUTOFF and score > best.get(entry.unit.code, 0.0):
                    best[entry.unit.code] = score
        ranked = sorted(best, key=lambda code: (-best[code], self._index.by_code[code].name))
        return tuple(self._index.by_code[code] for code in ranked[:MAX_SUGGESTIONS])


# Units that ended with the 2025 reform (districts, district towns), as folded words: a
# place written with one is an old address. "quận" only opens a part ("…, quận Ba Đình"):
# inside a name it may be a word of the name.
_OLD_UNIT_WORDS: tuple[tuple[str, ...], ...] = (("huyen",), ("thi", "xa"), ("tx",))
_OLD_UNIT_OPENERS: tuple[tuple[str, ...], ...] = (*_OLD_UNIT_WORDS, ("quan",))
# Words saying the address is the old one ("xã Lộc Bình cũ", "trước sáp nhập").
_OLD_MARKS: tuple[tuple[str, ...], ...] = (("truoc", "day"), ("truoc", "sap", "nhap"),
                                           ("truoc", "khi", "sap", "nhap"), ("truoc", "2025"))


def _has(words: tuple[str, ...], phrase: tuple[str, ...], *, followed: bool) -> bool:
    size = len(phrase)
    last = len(words) - size - (1 if followed else 0)
    return any(words[i:i + size] == phrase for i in range(last + 1))


def looks_old(text: str) -> bool:
    """Tell whether a typed place is written the way of before 2025.

    That is: with a district or district town ("xã Hợp Thành, huyện Cao Lộc", "thị xã …",
    "…, quận Ba Đình"), or called old ("xã Lộc Bình cũ", "trước sáp nhập").
    """
    for segment in text.split(","):
        words = _words(segment)
        if any(words.folded[:len(opener)] == opener and len(words.folded) > len(opener)
               for opener in _OLD_UNIT_OPENERS):
            return True
        if any(_has(words.folded, unit, followed=True) for unit in _OLD_UNIT_WORDS):
            return True
        if "cũ" in words.plain or any(_has(words.folded, mark, followed=False)
                                      for mark in _OLD_MARKS):
            return True
        # Typed without marks, "cu" ends the part ("xa Loc Binh cu"); "dân cư" is no mark.
        if (words.folded[-1:] == ("cu",) and words.plain[-1] == "cu"
                and words.folded[-2:-1] != ("dan",) and len(words.folded) > 1):
            return True
    return False


# Words that name a unit or a part of one, before 2025 or now, as folded words.
_UNIT_WORDS: tuple[tuple[str, ...], ...] = (
    *_OLD_UNIT_WORDS, ("quan",), ("xa",), ("phuong",), ("thi", "tran"), ("tt",), ("dac", "khu"),
    ("thon",), ("xom",), ("ap",), ("khoi",), ("to", "dan", "pho"))


def mentions_unit(text: str) -> bool:
    """Tell whether ``text`` names a place ("… xã Hợp Thành"), not only says it has one."""
    words = _words(text).folded
    return any(_has(words, unit, followed=True) for unit in _UNIT_WORDS)


_OLD_LEAD_IN = (("dia", "chi", "cu"), ("old", "address"))
_OLD_LEAD_IN_LINKS = frozenset({"la", "o", "is"})


def without_old_lead_in(text: str) -> str:
    """Return a typed old address without the words that announce it ("địa chỉ cũ là ...")."""
    words = text.split()
    folded = [" ".join(_words(word).folded) for word in words]
    for lead in _OLD_LEAD_IN:
        if tuple(folded[:len(lead)]) == lead:
            rest = len(lead)
            if rest < len(folded) and folded[rest] in _OLD_LEAD_IN_LINKS:
                rest += 1
            kept = " ".join(words[rest:]).lstrip(":-–,. ")
            return kept or text
    return text


def provinces() -> list[tuple[int, str]]:
    """Return every province's code and name, by code."""
    return sorted((int(p.code), _province_name(p.name)) for p in Province.iter_all())
