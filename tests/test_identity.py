"""Phone numbers, CCCD numbers and names are checked, normalised and kept out of sight."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.identity import (
    Cccd,
    CccdError,
    CccdProblem,
    PersonNameError,
    Phone,
    PhoneError,
    SealError,
    cccd_digest,
    masked_cccd,
    normalize_name,
    parse_cccd,
    parse_phone,
    seal,
    unseal,
)

TODAY = date(2026, 11, 26)
KEY = b"test-secret-key-0123456789abcdef"


@pytest.mark.parametrize("text", [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "(091) 234 5678",
    "+84912345678", "84912345678", "+84 0912 345 678", "０９１２３４５６７８",
])
def test_mobile_number_forms_normalise_to_e164(text: str) -> None:
    """A Vietnamese mobile number typed in any usual form becomes +84912345678."""
    phone = parse_phone(text)
    assert isinstance(phone, Phone)
    assert phone.e164 == "+84912345678"
    assert phone.national == "0912345678"
    assert phone.is_vietnamese


@pytest.mark.parametrize(("text", "e164"), [
    ("84 32 123 4567", "+84321234567"),
    ("0561234567", "+84561234567"),
    ("0991234567", "+84991234567"),
    ("02838123456", "+842838123456"),
    ("0243 8253 531", "+842438253531"),
])
def test_other_networks_and_landlines_are_accepted(text: str, e164: str) -> None:
    """Numbers of every network, with or without the country code, and landlines are valid."""
    phone = parse_phone(text)
    assert isinstance(phone, Phone)
    assert phone.e164 == e164


@pytest.mark.parametrize(("text", "reason"), [
    ("", PhoneError.EMPTY),
    ("  - . ", PhoneError.EMPTY),
    ("0912abc678", PhoneError.NOT_A_NUMBER),
    ("không có", PhoneError.NOT_A_NUMBER),
    ("09123+45678", PhoneError.NOT_A_NUMBER),
    ("0123456789", PhoneError.INVALID),
    ("01234567890", PhoneError.INVALID),
    ("0551234567", PhoneError.INVALID),
    ("091234", PhoneError.INVALID),
    ("0912345678901", PhoneError.INVALID),
])
def test_bad_phone_numbers_are_refused_with_a_reason(text: str, reason: PhoneError) -> None:
    """Letters, old 11-digit numbers, unassigned prefixes and wrong lengths are refused."""
    assert parse_phone(text) is reason


def test_foreign_number_is_accepted_but_flagged() -> None:
    """A valid foreign number is accepted, marked not Vietnamese, unless refused by choice."""
    for text in ("+14155552671", "14155552671"):
        phone = parse_phone(text)
        assert isinstance(phone, Phone)
        assert phone.e164 == "+14155552671"
        assert not phone.is_vietnamese
        assert phone.national == "+14155552671"
    assert parse_phone("+442071838750", allow_foreign=False) is PhoneError.FOREIGN
    assert isinstance(parse_phone("0912345678", allow_foreign=False), Phone)


def test_phone_masking_hides_the_middle_digits() -> None:
    """A masked number shows the first four and last three digits only."""
    assert Phone("+84912345678").masked == "0912***678"
    assert Phone("+842838123456").masked == "0283****456"
    assert "345" not in repr(Phone("+84912345678"))


def test_phone_needs_e164() -> None:
    """A Phone cannot be built from a national-format string."""
    with pytest.raises(ValueError, match=r"E\.164"):
        Phone("0912345678")


@pytest.mark.parametrize("text", ["079123456789", "0791 2345 6789", "0791.2345.6789",
                                  "0791-2345-6789", " 079123456789 "])
def test_cccd_forms_are_accepted(text: str) -> None:
    """A 12-digit CCCD is accepted with spaces, dots or dashes between digits."""
    cccd = parse_cccd(text, today=TODAY)
    assert isinstance(cccd, Cccd)
    assert cccd.number == "079123456789"
    assert cccd.birth_year == 1923


@pytest.mark.parametrize(("text", "problem", "count"), [
    ("", CccdProblem.EMPTY, 0),
    ("0791234567", CccdProblem.WRONG_LENGTH, 10),
    ("0791234567890", CccdProblem.WRONG_LENGTH, 13),
    ("07912345678A", CccdProblem.NOT_DIGITS, 11),
    ("CCCD 079123456789 hoặc 001099123456", CccdProblem.NOT_DIGITS, 24),
    ("123456789", CccdProblem.OLD_CMND, 9),
    ("123 456 789", CccdProblem.OLD_CMND, 9),
])
def test_bad_cccd_is_refused_with_a_reason(text: str, problem: CccdProblem, count: int) -> None:
    """Wrong lengths, non-digits and the old 9-digit CMND are refused with the digit count."""
    assert parse_cccd(text, today=TODAY) == CccdError(problem, count)


@pytest.mark.parametrize(("text", "year"), [
    ("001099123456", 1999),  # G=0: man, 20th century
    ("001185123456", 1985),  # G=1: woman, 20th century
    ("001226123456", 2026),  # G=2: born this year
])
def test_century_digit_gives_the_birth_year(text: str, year: int) -> None:
    """The fourth digit with the next two gives the birth year."""
    cccd = parse_cccd(text, today=TODAY)
    assert isinstance(cccd, Cccd)
    assert cccd.birth_year == year


@pytest.mark.parametrize("text", ["001227123456", "001399123456", "001499123456"])
def test_birth_year_in_the_future_is_implausible(text: str) -> None:
    """A CCCD whose birth year is after today's year is refused as implausible."""
    assert parse_cccd(text, today=TODAY) == CccdError(CccdProblem.IMPLAUSIBLE, 12)


def test_implausible_depends_on_the_given_today() -> None:
    """A number born in 2027 becomes plausible once today is in 2027."""
    assert isinstance(parse_cccd("001227123456", today=date(2027, 1, 1)), Cccd)


def test_cccd_province_prefix_is_not_checked() -> None:
    """A prefix outside the 34 new provinces' codes (old code 036 Nam Định) is accepted."""
    assert isinstance(parse_cccd("036085123456", today=TODAY), Cccd)


def test_cccd_is_shown_only_masked() -> None:
    """A CCCD's str and repr show the first 4 and last 2 digits, nothing between."""
    cccd = Cccd("079123456789")
    assert cccd.masked == "0791******89"
    assert str(cccd) == "0791******89"
    assert f"{cccd}" == "0791******89"
    assert repr(cccd) == "Cccd('0791******89')"


@given(st.from_regex(r"[0-9]{12}", fullmatch=True))
def test_cccd_never_shows_its_full_number(number: str) -> None:
    """No CCCD's str or repr contains its full number."""
    cccd = Cccd(number)
    assert number not in str(cccd)
    assert number not in repr(cccd)
    assert number not in repr([cccd])


def test_cccd_digest_is_stable_and_keyed() -> None:
    """The digest is the same for the same number and key, and differs with the key."""
    first = cccd_digest("079123456789", KEY)
    assert first == cccd_digest("079123456789", KEY)
    assert len(first) == 64
    assert first != cccd_digest("079123456788", KEY)
    assert first != cccd_digest("079123456789", b"another key")
    assert "079123456789" not in first


def test_seal_round_trip() -> None:
    """A sealed text unseals to itself under the same key, and each seal differs."""
    token = seal("079123456789", KEY)
    assert unseal(token, KEY) == "079123456789"
    assert "079123456789" not in token
    assert seal("079123456789", KEY) != token
    assert unseal(seal("Nguyễn Văn A", KEY), KEY) == "Nguyễn Văn A"


def test_unseal_with_a_wrong_key_fails() -> None:
    """Unsealing with another key raises SealError."""
    token = seal("079123456789", KEY)
    with pytest.raises(SealError, match="wrong key"):
        unseal(token, b"another key")


@pytest.mark.parametrize("token", ["", "not a token", "AQ==", "éé"])
def test_unseal_refuses_garbage(token: str) -> None:
    """Text that is not a sealed token raises SealError."""
    with pytest.raises(SealError):
        unseal(token, KEY)


def test_unseal_refuses_a_tampered_token() -> None:
    """Changing one character of a token makes it fail authentication."""
    token = seal("079123456789", KEY)
    index = len(token) // 2
    tampered = token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1:]
    with pytest.raises(SealError):
        unseal(tampered, KEY)


@pytest.mark.parametrize(("text", "name"), [
    ("nguyễn  văn a", "Nguyễn Văn A"),
    ("ĐỖ THỊ b", "Đỗ Thị B"),
    ("  trần   thị  thu   hà ", "Trần Thị Thu Hà"),
    ("le", "Le"),
    ("h'hen niê", "H'Hen Niê"),
    ("Nguyen Van A", "Nguyen Van A"),
    ("nguye\u0302\u0303n van a", "Nguyễn Van A"),
])
def test_names_are_written_the_vietnamese_way(text: str, name: str) -> None:
    """A name is NFC, single-spaced, with each word starting with a capital."""
    assert normalize_name(text) == name


@pytest.mark.parametrize(("text", "name"), [
    ("bà Hoa", "Hoa"), ("Ông Nguyễn Văn An", "Nguyễn Văn An"), ("chị lan", "Lan"),
    ("cô Mai", "Mai"), ("chú Ba", "Ba"), ("ba hoa", "Hoa"),
    ("Chu Văn An", "Chu Văn An"), ("Bà", "Bà"), ("Anh", "Anh"),
])
def test_a_form_of_address_before_a_name_is_left_out(text: str, name: str) -> None:
    """«bà Hoa» is Hoa: ông/bà/anh/chị/cô/chú before other words is no part of the name;
    alone it is kept, and the family name Chu stays."""
    assert normalize_name(text) == name


@pytest.mark.parametrize("text", [
    "so dien thoai cua toi la 0912 345 678", "SĐT: 0912.345.678 ạ", "gọi tôi số 0912345678",
])
def test_a_phone_number_inside_a_sentence_is_found(text: str) -> None:
    """One phone number written inside a sentence is the number given."""
    phone = parse_phone(text)
    assert isinstance(phone, Phone)
    assert phone.e164 == "+84912345678"


def test_two_phone_numbers_in_a_sentence_are_not_guessed() -> None:
    """A sentence with two numbers gives none: which one is meant is asked again."""
    assert parse_phone("0912345678 hoặc 0987654321") is PhoneError.NOT_A_NUMBER


@pytest.mark.parametrize(("text", "error"), [
    ("", PersonNameError.EMPTY),
    ("   ", PersonNameError.EMPTY),
    ("Nguyễn Văn 2", PersonNameError.HAS_DIGITS),
    ("Nguyễn <b>A</b>", PersonNameError.BAD_CHARACTERS),
    ("Nguyễn 😀", PersonNameError.BAD_CHARACTERS),
    ("A", PersonNameError.TOO_SHORT),
    ("a " * 60, PersonNameError.TOO_LONG),
])
def test_bad_names_are_refused(text: str, error: PersonNameError) -> None:
    """Empty names, digits, symbols, one-letter and over-long names are refused."""
    assert normalize_name(text) is error


@pytest.mark.parametrize(("typed", "kept"), [
    ("0011*****123", "0011******23"),
    ("0201******89", "0201******89"),
    ("0201 **** **89", "0201******89"),
    ("0201********", None),
    ("************", None),
    ("0201***89", None),
    ("001085012345", None),
    ("", None),
])
def test_a_masked_cccd_is_rewritten_as_exports_write_it(typed: str, kept: str | None) -> None:
    """A masked CCCD number with its first 4 and last 2 digits shown is written as
    «0011******23» whatever else was hidden; too little shown, or no mask, gives None."""
    assert masked_cccd(typed) == kept

