"""Petition processing by staff: the inbox, classification, duplicates and search keys.

The inbox shows new petitions first, then those whose deadline is near or passed, then the
rest; closed petitions only when asked for. Duplicates are suggestions with their reasons;
staff decide, and a citizen is never blocked by them (anchors.md §3.1 item 5).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from bot.domain.calendar import WorkingCalendar
from bot.domain.person import PersonIdentity
from bot.domain.petitions import (
    Competence,
    Field,
    Petition,
    PetitionType,
    Status,
    allowed_moves,
)
from bot.domain.text import fold, fold_words

# -- the inbox ------------------------------------------------------------------------------

SITE_ALL = "*"
SITE_UNASSIGNED = "~"  # online petitions no site has taken up yet
SITE_WITH_UNASSIGNED = "+"  # suffix: "<site>+" is that site and the unassigned ones
NO_FIELD = "none"  # not classified by field yet
NO_COMMUNE = 0  # no commune given


class Scope(StrEnum):
    """Which petitions the inbox lists, besides a single status."""

    OPEN = "open"  # not in a final status
    OVERDUE = "overdue"  # open, past the deadline
    CLOSED = "closed"  # in a final status


class Bucket(IntEnum):
    """The inbox's order: new first, then near or past the deadline, then the rest."""

    NEW = 0
    DUE = 1
    REST = 2


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows: type, status (or scope), site, commune and field."""

    kind: PetitionType | None = None
    status: str = Scope.OPEN.value  # a Scope or a Status value
    site: str = SITE_ALL  # SITE_ALL, SITE_UNASSIGNED, "<site>" or "<site>+"
    commune: int | None = None  # a commune code, NO_COMMUNE, or None for any
    field: str | None = None  # a Field value, NO_FIELD, or None for any

    @property
    def scope(self) -> Scope | None:
        """Return the scope, or None when one status is chosen."""
        return Scope(self.status) if self.status in Scope.__members__.values() else None

    @property
    def single_status(self) -> Status | None:
        """Return the one status chosen, if any."""
        return Status(self.status) if self.scope is None else None

    @property
    def lists_open(self) -> bool:
        """Tell whether the inbox lists open petitions (ordered by urgency)."""
        status = self.single_status
        return self.scope in (Scope.OPEN, Scope.OVERDUE) or (
            status is not None and not status.is_final)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready form (kept in the flow's draft)."""
        return {"kind": self.kind.value if self.kind else None, "status": self.status,
                "site": self.site, "commune": self.commune, "field": self.field}

    @staticmethod
    def from_json(data: object, default_site: str = SITE_ALL) -> InboxFilter:
        """Rebuild a filter saved by ``to_json``; anything unreadable falls back to the default."""
        raw = data if isinstance(data, dict) else {}
        kind = raw.get("kind")
        status = str(raw.get("status") or Scope.OPEN.value)
        known = {s.value for s in Scope} | {s.value for s in Status}
        commune = raw.get("commune")
        field = raw.get("field")
        return InboxFilter(
            kind=PetitionType(kind) if kind in {k.value for k in PetitionType} else None,
            status=status if status in known else Scope.OPEN.value,
            site=str(raw.get("site") or default_site),
            commune=commune if isinstance(commune, int) and not isinstance(commune, bool)
            else None,
            field=field if field in {f.value for f in Field} | {NO_FIELD} else None,
        )


def site_filter(site: str) -> tuple[str | None, bool]:
    """Split a site filter into the site id (None: any) and whether unassigned ones count."""
    if site == SITE_ALL:
        return None, True
    if site == SITE_UNASSIGNED:
        return None, False
    if site.endswith(SITE_WITH_UNASSIGNED):
        return site[:-1], True
    return site, False


def default_site_filter(site: str | None) -> str:
    """Return the inbox's site filter for someone working at ``site`` (None: all sites)."""
    return SITE_ALL if site is None else site + SITE_WITH_UNASSIGNED


@dataclass(frozen=True)
class InboxTotals:
    """How many petitions the inbox selects, and how many are new, near or past the deadline."""

    total: int
    new: int
    due_soon: int  # not new, deadline within the horizon (overdue ones included)
    overdue: int


@dataclass(frozen=True)
class Count:
    """How many petitions a filter value selects."""

    value: str | None
    count: int


def bucket_of(petition: Petition, horizon: date) -> Bucket:
    """Return where a petition falls in the inbox's order."""
    if petition.status is Status.RECEIVED:
        return Bucket.NEW
    if petition.due is not None and petition.due.due_on <= horizon:
        return Bucket.DUE
    return Bucket.REST


def due_horizon(today: date, working_days: int, calendar: WorkingCalendar) -> date:
    """Return the last day a deadline counts as near: ``working_days`` working days ahead."""
    if working_days < 1:
        return today
    return calendar.add_working_days(today, working_days)


def working_days_left(today: date, due: date, calendar: WorkingCalendar) -> int:
    """Return the working days from ``today`` to ``due`` (0: due today; negative: overdue)."""
    if due < today:
        # Overdue by the working days since the due day (the due day itself not counted).
        return -calendar.working_days_between(due, today)
    return calendar.working_days_between(today, due)


# -- classification -------------------------------------------------------------------------

@dataclass(frozen=True)
class Classification:
    """What staff decide when they classify a petition (domain.md §2.2)."""

    kind: PetitionType
    field: Field
    eligible: bool
    ineligible_reason: str | None
    competence: Competence
    chairman_jurisdiction: bool
    skips_level: bool
    site_id: str | None

    def problem(self) -> str | None:
        """Return what is inconsistent in the classification, or None."""
        if not self.eligible and not (self.ineligible_reason or "").strip():
            return "a petition that does not meet the conditions needs the reason"
        if self.chairman_jurisdiction and self.competence is not Competence.OURS:
            return "only a petition within our competence can be the chairman's"
        if self.skips_level and self.kind is not PetitionType.COMPLAINT:
            return "only a complaint skips a level"
        return None


def classifiable(status: Status) -> bool:
    """Tell whether a petition in ``status`` may be classified (or classified again)."""
    return status in (Status.RECEIVED, Status.CLASSIFYING)


def suggested_moves(petition: Petition) -> list[Status]:
    """Return the moves the classification points to, the likeliest first."""
    moves = allowed_moves(petition.status)
    if petition.status is not Status.CLASSIFYING:
        return []
    if petition.eligible is False:
        wanted = [Status.ARCHIVED]
    elif petition.competence is Competence.NOT_OURS:
        wanted = [Status.GUIDED, Status.FORWARDED]
    elif petition.competence is Competence.LOWER_LEVEL:
        wanted = [Status.CHASED, Status.FORWARDED]
    elif petition.competence is Competence.OURS:
        wanted = [Status.UNDER_REVIEW]
    else:
        wanted = []
    return [move for move in wanted if move in moves]


# -- duplicates -----------------------------------------------------------------------------

class DuplicateReason(StrEnum):
    """Why another petition is suggested as the same matter."""

    SAME_CASE = "same_case"  # already joined in one case (vụ việc)
    REPEAT = "repeat"  # marked at submission as a repeat of the other
    SAME_CCCD = "same_cccd"
    SAME_PHONE = "same_phone"
    SAME_RESPONDENT = "same_respondent"
    SIMILAR_CONTENT = "similar_content"


# The reasons that point at the same sender: hidden where the sender is a protected denouncer.
IDENTITY_REASONS = frozenset({DuplicateReason.SAME_CCCD, DuplicateReason.SAME_PHONE})


@dataclass(frozen=True)
class Duplicate:
    """Another petition that may be the same matter, and why it is suggested."""

    petition: Petition
    reasons: tuple[DuplicateReason, ...]


# Common words that say nothing about a matter (folded), left out when comparing contents.
STOP_WORDS = frozenset((
    "a", "ai", "anh", "ba", "bi", "boi", "cac", "cai", "can", "chi", "cho", "chu", "chung",
    "co", "con", "cua", "cung", "da", "dang", "de", "den", "deu", "di", "do", "doi", "duoc",
    "gi", "gia", "hay", "ho", "hon", "khi", "khong", "la", "lai", "len", "luc", "ma", "minh",
    "moi", "mot", "nay", "neu", "nguoi", "nhu", "nhung", "nhieu", "nam", "nen", "nua", "o",
    "ong", "qua", "ra", "rang", "rat", "roi", "sau", "se", "sang", "tai", "theo", "thi",
    "thoi", "toi", "tren", "trong", "tu", "van", "va", "vao", "ve", "vi", "viec", "voi", "xin",
))
MIN_CONTENT_PAIRS = 4  # shorter contents are not compared: too few words to tell
SIMILAR_CONTENT_SCORE = 0.45  # share of word pairs the two contents have in common


def _pairs(text: str) -> frozenset[str]:
    words = [w for w in fold_words(text).split() if w not in STOP_WORDS and not w.isdigit()]
    return frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


def content_similarity(first: str, second: str) -> float:
    """Return how alike two contents are: the share of word pairs they have in common (0–1).

    Vietnamese words are mostly two syllables, so pairs of syllables stand for words; common
    words are dropped first, so that "tôi đề nghị" in both says nothing.
    """
    a, b = _pairs(first), _pairs(second)
    if len(a) < MIN_CONTENT_PAIRS or len(b) < MIN_CONTENT_PAIRS:
        return 0.0
    return len(a & b) / len(a | b)


def similar_content(first: str, second: str) -> bool:
    """Tell whether two contents look like the same matter."""
    return content_similarity(first, second) >= SIMILAR_CONTENT_SCORE


def same_content(duplicate: Duplicate) -> bool:
    """Tell whether a suggestion is the same content for the rule "forwarded only once".

    The same case, a marked repeat, or the same sender about the same body or person.
    """
    reasons = set(duplicate.reasons)
    if reasons & {DuplicateReason.SAME_CASE, DuplicateReason.REPEAT}:
        return True
    return bool(reasons & IDENTITY_REASONS) and DuplicateReason.SAME_RESPONDENT in reasons


def ties_senders(petition: Petition, other: Duplicate, *, protected: bool,
                 other_protected: bool) -> bool:
    """Tell whether suggesting ``other`` beside ``petition`` could tie a denouncer to a name.

    Any pair of which exactly one sender is protected can: the halves of a mixed matter and
    links from the sender name the denouncer outright, and the same respondent, place and
    days beside a named sender come close (domain.md §2.4). Such pairs are for the roles
    that may see denouncers.
    """
    return protected != other_protected


def rank_duplicates(found: dict[int, tuple[Petition, set[DuplicateReason]]],
                    limit: int) -> list[Duplicate]:
    """Return suggestions with the most reasons first, then the latest first."""
    ordered = sorted(found.values(), key=lambda item: (-len(item[1]), -item[0].id))
    order = list(DuplicateReason)
    return [Duplicate(petition, tuple(sorted(reasons, key=order.index)))
            for petition, reasons in ordered[:limit]]


# -- search ---------------------------------------------------------------------------------

class SearchKey(StrEnum):
    """What a staff search was read as."""

    CODE = "code"
    PHONE = "phone"
    CCCD = "cccd"
    NAME = "name"


_DIGITS_ONLY = re.compile(r"^\+?[\d\s.\-()]+$")
MIN_NAME_CHARS = 2


def search_key(text: str) -> SearchKey | None:
    """Tell how to read a typed search: a number (CCCD with 12 digits, else a phone) or a name.

    Codes are found first by the caller (``codes.find_code``); None: nothing to search for.
    """
    compact = unicodedata.normalize("NFKC", text).strip()
    if not compact:
        return None
    if _DIGITS_ONLY.match(compact):
        digits = re.sub(r"\D", "", compact)
        if len(digits) == 12 and not compact.startswith("+"):
            return SearchKey.CCCD
        return SearchKey.PHONE
    folded = fold_words(compact)
    if sum(ch.isalpha() for ch in folded) < MIN_NAME_CHARS:
        return None
    return SearchKey.NAME


def name_key(name: str) -> str:
    """Return a name as it is searched: folded (lower case, no diacritics, đ as d)."""
    return fold(name)


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """Return the range of keys that start with ``prefix`` (for an index range scan)."""
    return prefix, prefix + "\U0010ffff"


@dataclass(frozen=True)
class BookingHit:
    """A booking found by a staff search (identity masked)."""

    code: str
    starts_at: datetime
    site_id: str
    full_name: str
    phone_masked: str | None
    cccd_masked: str | None
    status: str
    people: int


@dataclass(frozen=True)
class VisitHit:
    """A reception-register row found by a staff search (identity masked)."""

    id: int
    received_on: date
    site_id: str
    full_name: str
    phone_masked: str | None
    cccd_masked: str | None
    summary: str
    petition_code: str | None  # None also when withheld (see petition_withheld)
    petition_withheld: bool = False  # linked to a denouncer's petition the reader may not see


# -- notes, cases and the register ----------------------------------------------------------

@dataclass(frozen=True)
class PetitionNote:
    """An internal note on a petition: never shown to the citizen."""

    at: datetime
    actor_channel: str | None
    actor_user_id: str | None
    text: str


@dataclass(frozen=True)
class ForwardRecord:
    """A petition already forwarded: where, when and with which document."""

    code: str
    at: datetime
    agency: str | None
    document_no: str | None


@dataclass(frozen=True)
class RegisterEntry:
    """One petition as the petition register lists it."""

    petition: Petition
    identity: PersonIdentity | None  # None: sent without a name, or withheld
    withheld: bool  # a protected sender the exporting role may not see
    last_agency: str | None  # the body it was last guided, forwarded or sent to
    last_document: str | None
    closing_note: str | None  # the note of the move to its current status (result, reason)
    assigned_name: str | None


PetitionKey = tuple[date, PetitionType, str, str]


def petition_key(received_on: date, kind: PetitionType, respondent: str,
                 content: str) -> PetitionKey:
    """Return what makes two petitions of a register the same one, besides the sender: the
    day received, the type, who it concerns and the content (case, accents and spacing
    aside)."""
    return received_on, kind, fold(respondent), fold(content)


# -- typed documents and periods ------------------------------------------------------------

_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_DATE_WORDS = re.compile(r"\s*(?:,|;)?\s*(?:ngay|ngày|date|dated|of)?\s*$", re.IGNORECASE)
MAX_DOCUMENT_CHARS = 100


def _date_of(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def parse_document(text: str) -> tuple[str, date | None] | None:
    """Return the number of a document and its date, typed as "12/UBND-TCD ngày 25/11/2026".

    The date is optional; None when no number is left or the date is impossible.
    """
    typed = " ".join(unicodedata.normalize("NFC", text).split())
    found = None
    for match in _DATE.finditer(typed):
        found = match
    day = None
    number = typed
    if found is not None and found.end() == len(typed):
        day = _date_of(found)
        if day is None:
            return None
        number = _DATE_WORDS.sub("", typed[:found.start()]).strip(" ,;")
    if not number or len(number) > MAX_DOCUMENT_CHARS or not any(ch.isalnum() for ch in number):
        return None
    return number, day


