"""Numbers typed in digits or in Vietnamese words: one parser for every "how many"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.numbers import PeopleProblem, find_number, parse_people, words_number

MAXIMUM = 10_000


@pytest.mark.parametrize(("text", "expected"), [
    ("7", 7), ("7 người", 7), ("khoảng 20 người", 20), ("1.200", 1200), ("١٢", 12),
    ("5 người", 5), ("năm", 5), ("nam nguoi", 5), ("ba", 3), ("bảy", 7), ("muoi", 10),
    ("mười người", 10), ("chỉ mình tôi", 1), ("một mình", 1),
])
def test_people_are_read_from_digits_or_words(text: str, expected: int) -> None:
    """Digits (any script, with separators), a number word or "chỉ mình tôi" are understood."""
    assert parse_people(text, MAXIMUM) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("mười hai người", 12), ("muoi lam", 15), ("mười lăm", 15), ("hai mươi", 20),
    ("hai mươi mốt người", 21), ("ba mươi tư", 34), ("hai lăm", 25), ("mười một người", 11),
    ("một trăm linh năm", 105), ("một trăm hai mươi", 120), ("hai nghìn", 2000),
    ("chúng tôi có mười lăm người", 15), ("twelve people", 12), ("twenty five", 25),
])
def test_numbers_spelled_out_in_words_are_read(text: str, expected: int) -> None:
    """Spelled-out numbers, with or without accents, give their value."""
    assert parse_people(text, MAXIMUM) == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("nhiều lắm", PeopleProblem.NOT_A_NUMBER), ("abc", PeopleProblem.NOT_A_NUMBER),
    ("tôi và bà", PeopleProblem.NOT_A_NUMBER), ("", PeopleProblem.NOT_A_NUMBER),
    ("0", PeopleProblem.ZERO), ("-3", PeopleProblem.ZERO), ("20000", PeopleProblem.TOO_MANY),
    ("mười mười", PeopleProblem.NOT_A_NUMBER),
])
def test_bad_numbers_of_people_are_refused(text: str, problem: PeopleProblem) -> None:
    """Words that are no number ("bà" in a sentence is not three), zero, negative numbers and
    too many people are refused with the reason."""
    assert parse_people(text, MAXIMUM) is problem


def test_a_number_is_found_inside_a_sentence() -> None:
    """The first number of a sentence is found, in digits or in words; none is found in words
    that spell no number."""
    assert find_number("chúng tôi đi mười một người") == 11
    assert find_number("hai mươi người") == 20
    assert find_number("8 giờ") == 8
    assert find_number("chỉ mình tôi") is None
    assert find_number("quay lại") is None


@given(st.integers(min_value=1, max_value=99))
def test_every_number_below_a_hundred_reads_back(number: int) -> None:
    """Each number from 1 to 99, written the usual Vietnamese way, reads back as itself."""
    units = ["", "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin"]
    tens, unit = divmod(number, 10)
    if tens == 0:
        words = [units[unit]]
    elif tens == 1:
        words = ["muoi"] + ([{5: "lam"}.get(unit, units[unit])] if unit else [])
    else:
        last = {1: "mot", 4: "tu", 5: "lam"}.get(unit, units[unit])
        words = [units[tens], "muoi"] + ([last] if unit else [])
    assert words_number(words) == number


def test_a_phone_number_is_not_a_number_of_people() -> None:
    """A name and phone typed at «how many people» give no number from the phone's digits;
    a number beside a phone is still read."""
    assert parse_people("Le Thi Hoa (0205) 3871234", 500) is PeopleProblem.NOT_A_NUMBER
    assert parse_people("25 người, liên hệ 0912345678", 500) == 25
