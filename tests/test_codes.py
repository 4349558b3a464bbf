"""Tracking codes are readable, unambiguous, and found again however they are typed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.codes import (
    ALPHABET,
    BOOKING_PREFIX,
    PETITION_PREFIX,
    find_code,
    new_code,
    normalize_code,
)


def test_new_codes_have_the_prefix_and_two_groups_of_four() -> None:
    """A petition code looks like D-XXXX-XXXX, a booking code like H-XXXX-XXXX."""
    code = new_code(PETITION_PREFIX)
    assert code[:2] == "D-"
    assert len(code) == 11
    assert all(ch in ALPHABET for ch in code[2:].replace("-", ""))
    assert new_code(BOOKING_PREFIX).startswith("H-")


def test_ambiguous_characters_never_appear() -> None:
    """Codes never contain 0, O, 1, I or L."""
    for _ in range(200):
        assert not set(new_code(PETITION_PREFIX)[2:]) & set("01OIL")


def test_typed_codes_are_normalised() -> None:
    """Case, spaces and missing dashes do not matter."""
    assert normalize_code("d 7k4m 9qxr") == "D-7K4M-9QXR"
    assert normalize_code("D7K4M9QXR") == "D-7K4M-9QXR"
    assert normalize_code("X-7K4M-9QXR") is None
    assert normalize_code("D-7K4M-9QX") is None
    assert normalize_code("D-7K4M-9QX0") is None


def test_a_code_is_found_inside_a_sentence() -> None:
    """Someone who writes a sentence around the code is understood."""
    assert find_code("mã của tôi là h-3fj8-kw2p ạ") == "H-3FJ8-KW2P"
    assert find_code("không có mã") is None


def test_words_that_spell_a_code_are_not_a_code_in_a_sentence() -> None:
    """Inside a sentence a code stands apart and has a digit or is grouped as printed:
    "dat hen gap" is not D-ATHE-NGAP, but "tra ma D-ABCD-EFGH" is a code."""
    assert find_code("de nghi dat hen gap lanh dao") is None
    assert find_code("hen gap tu van") is None
    assert find_code("xD7K4M9QXR") is None
    assert find_code("tra ma D-ABCD-EFGH") == "D-ABCD-EFGH"
    assert find_code("tinh trang don D7K4M9QXR nhe") == "D-7K4M-9QXR"


@given(st.sampled_from([PETITION_PREFIX, BOOKING_PREFIX]),
       st.sampled_from(["tra ma {}", "{}", "ma cua toi la {} a", "{}."]))
def test_every_new_code_is_found_in_a_sentence(prefix: str, sentence: str) -> None:
    """A code as printed, or in small letters, is found wherever it stands in a sentence."""
    code = new_code(prefix)
    assert find_code(sentence.format(code)) == code
    assert find_code(sentence.format(code.lower())) == code


@given(st.sampled_from([PETITION_PREFIX, BOOKING_PREFIX]))
def test_every_new_code_normalises_to_itself(prefix: str) -> None:
    """A code read back exactly as printed is the same code."""
    code = new_code(prefix)
    assert normalize_code(code) == code
    assert normalize_code(code.lower().replace("-", " ")) == code


def test_a_code_after_words_that_start_like_one_is_found() -> None:
    """«hoi ve don D-…»: the words before the code make a false candidate that overlaps the
    real code; the real one is still found, wherever it stands in the sentence."""
    assert find_code("toi muon hoi ve don D-V4J9-XTN8 da gui") == "D-V4J9-XTN8"
    assert find_code("hoi ve don D-V4J9-XTN8") == "D-V4J9-XTN8"
    assert find_code("xin hỏi đơn h7k4m9qxr nhé") == "H-7K4M-9QXR"
