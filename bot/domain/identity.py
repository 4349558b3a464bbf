"""Identity data a citizen types: phone numbers, CCCD numbers and full names."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum

import phonenumbers
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_SPACES = re.compile(r"\s+")

# The error enums are plain Enum, not StrEnum: a StrEnum member is a str, which would make
# ``str | PersonNameError`` impossible to tell apart with isinstance.


# --- Phone numbers -----------------------------------------------------------------------

class PhoneError(Enum):
    """Why a typed phone number was refused."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    INVALID = "invalid"
    FOREIGN = "foreign"


_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_TEXT = re.compile(r"\+?\d+")
# A phone number written inside a sentence: digits with the usual separators, 8 or more.
_PHONE_IN_SENTENCE = re.compile(r"(?<![\w+])\+?\d[\d\s.\-()]{6,}\d(?!\w)")


def _mask_digits(digits: str, head: int, tail: int) -> str:
    hidden = max(len(digits) - head - tail, 0)
    return digits[:head] + "*" * hidden + digits[len(digits) - tail:]


@dataclass(frozen=True, repr=False)
class Phone:
    """A valid phone number in E.164 form (``+84912345678``)."""

    e164: str

    def __post_init__(self) -> None:
        if not _E164.fullmatch(self.e164):
            raise ValueError("a Phone needs an E.164 number such as +84912345678")

    @property
    def is_vietnamese(self) -> bool:
        """Tell whether the number is a Vietnamese one (+84)."""
        return self.e164.startswith("+84")

    @property
    def national(self) -> str:
        """Return the number as dialled in Vietnam (``0912345678``); E.164 if foreign."""
        return "0" + self.e164[3:] if self.is_vietnamese else self.e164

    @property
    def masked(self) -> str:
        """Return the number with its middle digits hidden (``0912***678``)."""
        return _mask_digits(self.national, 4, 3)

    def __repr__(self) -> str:
        return f"Phone({self.masked!r})"


def parse_phone(text: str, *, allow_foreign: bool = True) -> Phone | PhoneError:
    """Return the phone number ``text`` holds, or why it is refused.

    A valid foreign number is accepted (flagged by ``Phone.is_vietnamese``) unless
    ``allow_foreign`` is false: Vietnamese citizens abroad and foreign residents may
    petition too, and the office can still call them.
    """
    normal = unicodedata.normalize("NFKC", text)
    compact = _PHONE_SEPARATORS.sub("", normal)
    if not compact:
        return PhoneError.EMPTY
    if not _PHONE_TEXT.fullmatch(compact):
        # "số điện thoại của tôi là 0912 345 678": one number in a sentence is the answer.
        found = _PHONE_IN_SENTENCE.findall(normal)
        if len(found) != 1:
            return PhoneError.NOT_A_NUMBER
        compact = _PHONE_SEPARATORS.sub("", found[0])
        if not _PHONE_TEXT.fullmatch(compact):
            return PhoneError.NOT_A_NUMBER
    # Without "+", try Vietnam first: region VN also reads "84912345678" as +84.
    # Telegram shares foreign contacts without "+" too, hence the second attempt.
    attempts = [compact] if compact.startswith(("+", "0")) else [compact, "+" + compact]
    number: phonenumbers.PhoneNumber | None = None
    for attempt in attempts:
        try:
            parsed = phonenumbers.parse(attempt, "VN")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            number = parsed
            break
    if number is None:
        return PhoneError.INVALID
    phone = Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    if not phone.is_vietnamese and not allow_foreign:
        return PhoneError.FOREIGN
    return phone


def split_phone(text: str) -> tuple[str, str | None] | None:
    """Return ``text`` without the phone number written in it, and that number.

    "Nguyễn Văn An 0912 345 678" gives ("Nguyễn Văn An", "0912 345 678"); text without a
    number gives (text, None); text with several numbers gives None.
    """
    normal = unicodedata.normalize("NFKC", text)
    found = list(_PHONE_IN_SENTENCE.finditer(normal))
    if not found:
        return normal.strip(), None
    if len(found) > 1:
        return None
    match = found[0]
    rest = (normal[:match.start()] + " " + normal[match.end():]).strip(" ,;:-–")
    return _SPACES.sub(" ", rest).strip(), match.group(0).strip()


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Return where each run of ``text`` that may be a phone number starts and ends.

    The runs are those ``parse_phone`` reads in a sentence: "(0205) 3 871 234" is one.
    """
    return [match.span() for match in _PHONE_IN_SENTENCE.finditer(text)]


# --- CCCD (số định danh cá nhân) ------------------------------------------------------------

class CccdProblem(Enum):
    """Why a typed CCCD number was refused."""

    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    OLD_CMND = "old_cmnd"  # the 9-digit chứng minh nhân dân, no longer valid
    WRONG_LENGTH = "wrong_length"
    IMPLAUSIBLE = "implausible"  # the century digit gives an impossible birth year


@dataclass(frozen=True)
class CccdError:
    """A refused CCCD number: the problem and how many digits were typed."""

    problem: CccdProblem
    digit_count: int


_CCCD_SEPARATORS = re.compile(r"[\s.\-]")
_CCCD = re.compile(r"\d{12}")
# Digits grouped by single spaces, dots or dashes, standing apart from letters and digits.
_DIGITS_IN_SENTENCE = re.compile(r"(?<![\w.\-])[0-9](?:[\s.\-]?[0-9])*(?![\w])")


@dataclass(frozen=True, repr=False)
class Cccd:
    """A 12-digit personal identification number; shown only masked."""

    number: str

    def __post_init__(self) -> None:
        if not (self.number.isascii() and _CCCD.fullmatch(self.number)):
            raise ValueError("a Cccd needs exactly 12 digits")

    @property
    def birth_year(self) -> int:
        """Return the birth year the century digit and the next two digits encode."""
        # Digit 4 is century and sex: 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, ...
        century = 1900 + 100 * (int(self.number[3]) // 2)
        return century + int(self.number[4:6])

    @property
    def masked(self) -> str:
        """Return the number with all but the first 4 and last 2 digits hidden."""
        return _mask_digits(self.number, 4, 2)

    def __repr__(self) -> str:
        return f"Cccd({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


_MASK = "*"
_MASKED_CCCD = re.compile(r"(?P<head>\d{4})[\d*]{6}(?P<tail>\d{2})")


def is_masked(text: str) -> bool:
    """Tell whether a number as written has hidden digits («0011*****123», «091****678»)."""
    return _MASK in text


def masked_cccd(text: str) -> str | None:
    """Return a masked CCCD number written as exports write it («0011******23»), from one
    masked in any way that keeps its first 4 and last 2 digits («0011*****123»); else None."""
    compact = _CCCD_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    found = _MASKED_CCCD.fullmatch(compact)
    if found is None or not is_masked(compact) or not compact.isascii():
        return None
    return found.group("head") + _MASK * 6 + found.group("tail")


def _number_in_sentence(text: str) -> str | None:
    """Return the one ID number written inside a sentence ("số CCCD: 020 123 456 789")."""
    groups = [_CCCD_SEPARATORS.sub("", found) for found in _DIGITS_IN_SENTENCE.findall(text)]
    twelve = [group for group in groups if len(group) == 12]
    if len(twelve) == 1:
        return twelve[0]
    return groups[0] if len(groups) == 1 else None


def parse_cccd(text: str, *, today: date) -> Cccd | CccdError:
    """Return the CCCD number ``text`` holds, or why it is refused.

    The number may be written inside a sentence, its digits grouped by spaces, dots or
    dashes: "cccd 020 123 456 789", "số CCCD: 020123456789".
    """
    normal = unicodedata.normalize("NFKC", text)
    compact = _CCCD_SEPARATORS.sub("", normal)
    if not compact:
        return CccdError(CccdProblem.EMPTY, 0)
    if not (compact.isascii() and compact.isdigit()):
        compact = _number_in_sentence(normal) or compact
    digits = sum(ch.isascii() and ch.isdigit() for ch in compact)
    if digits != len(compact):
        return CccdError(CccdProblem.NOT_DIGITS, digits)
    if digits == 9:
        return CccdError(CccdProblem.OLD_CMND, digits)
    if digits != 12:
        return CccdError(CccdProblem.WRONG_LENGTH, digits)
    cccd = Cccd(compact)
    if not 1900 <= cccd.birth_year <= today.year:
        return CccdError(CccdProblem.IMPLAUSIBLE, digits)
    return cccd


# --- Passport numbers (an accepted alternative to the CCCD, NĐ 154 Đ.12) -------------------

class PassportProblem(Enum):
    """Why a typed passport number was refused."""

    EMPTY = "empty"
    BAD_CHARACTERS = "bad_characters"  # something other than Latin letters and digits
    WRONG_LENGTH = "wrong_length"  # not 6 to 12 characters
    NO_DIGIT = "no_digit"  # a word, not a number


PASSPORT_MIN = 6
PASSPORT_MAX = 12
_PASSPORT_SEPARATORS = re.compile(r"[\s.\-]")
_PASSPORT = re.compile(r"[A-Z0-9]+")


@dataclass(frozen=True, repr=False)
class Passport:
    """A passport number (Latin capitals and digits); shown only masked."""

    number: str

    def __post_init__(self) -> None:
        if not (_PASSPORT.fullmatch(self.number)
                and PASSPORT_MIN <= len(self.number) <= PASSPORT_MAX):
            raise ValueError("a Passport needs 6 to 12 capital letters and digits")

    @property
    def masked(self) -> str:
        """Return the number with all but the first 2 and last 2 characters hidden."""
        return _mask_digits(self.number, 2, 2)

    def __repr__(self) -> str:
        return f"Passport({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


def parse_passport(text: str) -> Passport | PassportProblem:
    """Return the passport number ``text`` holds ("b1234567", "C 0123 4567"), or the problem."""
    compact = _PASSPORT_SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not compact:
        return PassportProblem.EMPTY
    if not (compact.isascii() and _PASSPORT.fullmatch(compact)):
        return PassportProblem.BAD_CHARACTERS
    if not PASSPORT_MIN <= len(compact) <= PASSPORT_MAX:
        return PassportProblem.WRONG_LENGTH
    if not any(ch.isdigit() for ch in compact):
        return PassportProblem.NO_DIGIT
    return Passport(compact)


def passport_digest(number: str, key: bytes) -> str:
    """Return the HMAC of a passport number, kept apart from CCCD digests by a prefix."""
    return cccd_digest("passport:" + number, key)


def cccd_digest(number: str, key: bytes) -> str:
    """Return the HMAC-SHA256 of ``number`` under ``key``, in hex, for search and duplicates."""
    if not key:
        raise ValueError("cccd_digest needs a non-empty key")
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()


# --- Sealing (authenticated encryption of stored identity data) ----------------------------

class SealError(ValueError):
    """A sealed token that cannot be opened: wrong key, tampered or not a token."""


_SEAL_VERSION = b"\x01"
_NONCE_SIZE = 12


def _seal_key(key: bytes) -> AESGCM:
    if not key:
        raise ValueError("sealing needs a non-empty key")
    # HKDF turns any secret (a passphrase-like setting) into a uniform 256-bit AES key.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"tiepdan identity seal v1").derive(key)
    return AESGCM(derived)


def seal(plaintext: str, key: bytes) -> str:
    """Return ``plaintext`` encrypted and authenticated under ``key``, as base64 text."""
    nonce = secrets.token_bytes(_NONCE_SIZE)
    sealed = _seal_key(key).encrypt(nonce, plaintext.encode("utf-8"), _SEAL_VERSION)
    return base64.urlsafe_b64encode(_SEAL_VERSION + nonce + sealed).decode("ascii")


def unseal(token: str, key: bytes) -> str:
    """Return the plaintext ``seal`` hid in ``token``; raise SealError if it cannot."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error):
        raise SealError("not a sealed token") from None
    version, nonce, sealed = raw[:1], raw[1:1 + _NONCE_SIZE], raw[1 + _NONCE_SIZE:]
    if version != _SEAL_VERSION or len(sealed) < 16:
        raise SealError("not a sealed token of a known version")
    try:
        plaintext = _seal_key(key).decrypt(nonce, sealed, _SEAL_VERSION)
    except InvalidTag:
        raise SealError("cannot unseal: wrong key or altered token") from None
    return plaintext.decode("utf-8")


# --- Full names -----------------------------------------------------------------------------

class PersonNameError(Enum):
    """Why a typed full name was refused."""

    EMPTY = "empty"
    HAS_DIGITS = "has_digits"
    BAD_CHARACTERS = "bad_characters"
    TOO_LONG = "too_long"
    TOO_SHORT = "too_short"


MAX_NAME_LENGTH = 100
# Apostrophes and hyphens occur in ethnic-minority names ("H'Hen Niê", "Y-Moan").
_NAME_JOINERS = frozenset("'-’")


def _capitalize(word: str) -> str:
    out: list[str] = []
    start_of_part = True
    for ch in word:
        out.append(ch.upper() if start_of_part else ch.lower())
        start_of_part = ch in _NAME_JOINERS
    return "".join(out)


# Forms of address people put before a name ("bà Hoa"): not part of the name. Typed without
# accents too, except "chu": Chu is a family name (Chu Văn An), "chú" is not.
_HONORIFICS = frozenset({"ông", "bà", "anh", "chị", "cô", "chú", "ong", "ba", "chi", "co"})


def normalize_name(text: str) -> str | PersonNameError:
    """Return ``text`` as a full name written the Vietnamese way, or why it is refused.

    A form of address before the name ("bà Hoa", "Ông Nguyễn Văn An") is left out when
    other words follow it.
    """
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    first, _sep, rest = name.partition(" ")
    if rest and first.lower() in _HONORIFICS:
        name = rest
    if not name:
        return PersonNameError.EMPTY
    if any(ch.isdigit() for ch in name):
        return PersonNameError.HAS_DIGITS
    allowed = all(ch.isalpha() or ch == " " or ch in _NAME_JOINERS
                  or unicodedata.category(ch).startswith("M") for ch in name)
    if not allowed:
        return PersonNameError.BAD_CHARACTERS
    if len(name) > MAX_NAME_LENGTH:
        return PersonNameError.TOO_LONG
    if sum(ch.isalpha() for ch in name) < 2:
        return PersonNameError.TOO_SHORT
    return " ".join(_capitalize(word) for word in name.split(" "))


# What people write before their name ("tôi tên là", "Họ tên:"), as folded words; a greeting
# may come first ("Dạ, tôi là ..."). "Hồ", "La", "Châu" and the Hmong "Vàng" are family
# names, so no lead-in is one on its own.
_NAME_LEAD_INS = tuple(sorted((tuple(words.split()) for words in (
    "toi ten la", "ten toi la", "toi la", "toi ten", "ten toi", "ten cua toi la",
    "ten cua toi", "toi ho ten la", "ho ten toi la", "ho ten cua toi la", "ho va ten cua toi la",
    "ho ten la", "ho va ten la", "ho ten", "ho va ten", "ten la", "ten", "em ten la",
    "ten em la", "em la", "chau ten la", "ten chau la", "con ten la", "minh ten la",
    "ten minh la", "my name is", "my full name is", "my name", "full name", "name", "i am",
    "i m", "da", "xin chao", "chao ban", "hello")),
    key=len, reverse=True))
# What people add after their name: a birth year, an age, a phone. "#" stands for any word
# with a digit in it; "nam sinh" needs the year after it ("Năm" is a given name too).
_NAME_EXTRAS = tuple(tuple(words.split()) for words in (
    "sinh nam", "sinh ngay", "sinh thang", "sinh #", "nam sinh #", "ngay sinh #", "sn",
    "sdt", "so dien thoai", "dien thoai", "cccd", "cmnd", "dia chi", "que quan", "# tuoi",
    "born", "phone"))
_NAME_BREAKS = re.compile(r"[,;(\n/]")


def _folded_word(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word.lower())
                   if ch.isalnum()).replace("đ", "d")


def _starts_with(words: list[str], pattern: tuple[str, ...]) -> bool:
    if len(words) < len(pattern):
        return False
    return all(any(ch.isdigit() for ch in word) if want == "#" else word == want
               for word, want in zip(words, pattern, strict=False))


def read_full_name(text: str) -> str | PersonNameError:
    """Return the full name a typed answer gives, or why it gives none.

    What people put around their name is left out: a lead-in ("tôi tên là", "Họ và tên:",
    with or without diacritics) and what follows a comma or a birth year ("Nguyễn Văn An,
    sinh năm 1950", "Nguyễn Văn An sinh năm 1950").
    """
    words = unicodedata.normalize("NFC", text).split()
    folded = [_folded_word(word) for word in words]
    while True:
        meaningful = [i for i, word in enumerate(folded) if word]
        lead = next((pattern for pattern in _NAME_LEAD_INS
                     if _starts_with([folded[i] for i in meaningful], pattern)), None)
        if lead is None:
            break
        if len(meaningful) == len(lead):
            return PersonNameError.EMPTY if len(lead) > 1 else normalize_name(" ".join(words))
        cut = meaningful[len(lead) - 1] + 1
        words, folded = words[cut:], folded[cut:]
    name = " ".join(words).lstrip(":-–.,; ")
    head = _NAME_BREAKS.split(name, maxsplit=1)[0]
    if any(ch.isalpha() for ch in head):
        name = head
    words = name.split()
    folded = [_folded_word(word) for word in words]
    end = next((i for i in range(1, len(words))
                if any(_starts_with(folded[i:], pattern) for pattern in _NAME_EXTRAS)),
               len(words))
    return normalize_name(" ".join(words[:end]).strip(":-–. "))


# --- Addresses ------------------------------------------------------------------------------

class AddressProblem(Enum):
    """Why a typed address was refused."""

    TOO_SHORT = "too_short"
    NO_WORDS = "no_words"  # only digits and signs: a house number alone is no address
    TOO_LONG = "too_long"


MIN_ADDRESS_LETTERS = 3


def clean_address(text: str, limit: int) -> str | AddressProblem:
    """Return the typed address tidied (NFC, single spaces), or why it cannot be one."""
    address = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if len(address) > limit:
        return AddressProblem.TOO_LONG
    if len(address) < MIN_ADDRESS_LETTERS:
        return AddressProblem.TOO_SHORT
    if sum(ch.isalpha() for ch in address) < MIN_ADDRESS_LETTERS:
        return AddressProblem.NO_WORDS
    return address
