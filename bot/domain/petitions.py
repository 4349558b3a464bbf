"""Petitions (đơn): types, prior handling, statuses and their moves, deadlines and limits.

Statuses follow domain.md §2.6, plus ``merged`` for a petition joined to another one on
the same matter::

    received ─▶ classifying ─┬─▶ archived                       (lưu đơn: not admissible)
                             ├─▶ guided                         (hướng dẫn: not ours)
                             ├─▶ forwarded ─▶ awaiting_feedback ─▶ feedback_received
                             ├─▶ chased ─────▶ awaiting_feedback ─▶ feedback_received
                             └─▶ under_review ─┬─▶ rejected     (không thụ lý)
                                               └─▶ accepted ─▶ verifying ─▶ resolved
                                                   (accepted and verifying may be extended,
                                                    suspended or terminated on the way)
    any open status ─▶ withdrawn | merged

What each status means for the citizen is said in the services, not here.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum

from rapidfuzz import fuzz

from bot.domain.calendar import WorkingCalendar
from bot.domain.codes import mask_codes
from bot.domain.person import PersonIdentity
from bot.domain.rules import RuleBook, Unit
from bot.domain.text import fold


class PetitionType(StrEnum):
    """What a petition asks for (domain.md §2.1)."""

    COMPLAINT = "complaint"  # khiếu nại
    DENUNCIATION = "denunciation"  # tố cáo
    RECOMMENDATION = "recommendation"  # kiến nghị
    REPORT = "report"  # phản ánh

    @property
    def identity_required(self) -> bool:
        """Tell whether the law needs the sender's name and address (complaints, denunciations)."""
        return self in (PetitionType.COMPLAINT, PetitionType.DENUNCIATION)

    @property
    def identity_protected(self) -> bool:
        """Tell whether the sender's identity is kept apart and shown only to allowed roles."""
        return self is PetitionType.DENUNCIATION


class PriorStage(StrEnum):
    """How far the matter has been handled before (domain.md §2.2, axis 4)."""

    NONE = "none"  # chưa được giải quyết
    FIRST = "first"  # đã giải quyết lần đầu
    SECOND = "second"  # đã giải quyết lần hai
    COURT = "court"  # đã có bản án của Tòa án


def skips_level(kind: PetitionType, stage: PriorStage) -> bool:
    """Tell whether a petition skips a level (vượt cấp): a complaint no body has decided yet.

    The first complaint belongs with whoever made the decision; staff confirm the flag, since
    a decision of the provincial People's Committee itself is first-instance at the province.
    """
    return kind is PetitionType.COMPLAINT and stage is PriorStage.NONE


class Field(StrEnum):
    """The field (lĩnh vực) a petition is about (domain.md §2.2, axis 6)."""

    LAND = "land"  # hành chính: đất đai
    HOUSING = "housing"  # hành chính: nhà cửa
    POLICY = "policy"  # hành chính: chế độ chính sách
    CIVIL_SERVICE = "civil_service"  # hành chính: công chức, công vụ
    SOCIAL = "social"  # hành chính: chính trị, văn hoá, xã hội
    ADMINISTRATIVE_OTHER = "administrative_other"  # hành chính: khác
    JUSTICE = "justice"  # tư pháp
    PARTY = "party"  # Đảng, đoàn thể
    CORRUPTION = "corruption"  # tham nhũng (denunciations)

    @property
    def administrative(self) -> bool:
        """Tell whether the field is one of the administrative (hành chính) ones."""
        return self in ADMINISTRATIVE_FIELDS


ADMINISTRATIVE_FIELDS = frozenset({Field.LAND, Field.HOUSING, Field.POLICY, Field.CIVIL_SERVICE,
                                   Field.SOCIAL, Field.ADMINISTRATIVE_OTHER})


class Competence(StrEnum):
    """Whose matter a petition is (domain.md §2.2, axis 3)."""

    OURS = "ours"  # thuộc thẩm quyền
    NOT_OURS = "not_ours"  # không thuộc thẩm quyền: hướng dẫn or chuyển đơn
    LOWER_LEVEL = "lower_level"  # thuộc cấp dưới (đôn đốc if it is overdue there)


class Source(StrEnum):
    """How a petition reached the office."""

    CHAT = "chat"
    VISIT = "visit"  # brought to the reception office
    POST = "post"
    IMPORT = "import"  # brought in from an earlier list (tiepdan import petitions)


class Status(StrEnum):
    """Where a petition stands."""

    RECEIVED = "received"  # tiếp nhận
    CLASSIFYING = "classifying"  # phân loại
    ARCHIVED = "archived"  # lưu đơn (không đủ điều kiện xử lý)
    GUIDED = "guided"  # hướng dẫn
    FORWARDED = "forwarded"  # chuyển đơn
    AWAITING_FEEDBACK = "awaiting_feedback"  # chờ cơ quan nhận đơn báo kết quả
    FEEDBACK_RECEIVED = "feedback_received"  # đã có văn bản phúc đáp
    CHASED = "chased"  # đôn đốc cấp dưới
    UNDER_REVIEW = "under_review"  # xem xét thụ lý
    ACCEPTED = "accepted"  # thụ lý
    REJECTED = "rejected"  # không thụ lý
    VERIFYING = "verifying"  # xác minh
    EXTENDED = "extended"  # gia hạn
    SUSPENDED = "suspended"  # tạm đình chỉ
    TERMINATED = "terminated"  # đình chỉ
    RESOLVED = "resolved"  # quyết định giải quyết / kết luận nội dung tố cáo
    WITHDRAWN = "withdrawn"  # rút đơn
    MERGED = "merged"  # gộp vào đơn khác cùng nội dung

    @property
    def is_final(self) -> bool:
        """Tell whether nothing more happens to the petition."""
        return self in FINAL


FINAL = frozenset({Status.ARCHIVED, Status.GUIDED, Status.FEEDBACK_RECEIVED, Status.REJECTED,
                   Status.TERMINATED, Status.RESOLVED, Status.WITHDRAWN, Status.MERGED})

_ALWAYS = frozenset({Status.WITHDRAWN, Status.MERGED})
_DECIDING = frozenset({Status.VERIFYING, Status.EXTENDED, Status.SUSPENDED, Status.TERMINATED,
                       Status.RESOLVED})

MOVES: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.CLASSIFYING}),
    Status.CLASSIFYING: frozenset({Status.ARCHIVED, Status.GUIDED, Status.FORWARDED,
                                   Status.CHASED, Status.UNDER_REVIEW}),
    Status.FORWARDED: frozenset({Status.AWAITING_FEEDBACK, Status.FEEDBACK_RECEIVED}),
    Status.CHASED: frozenset({Status.AWAITING_FEEDBACK, Status.FEEDBACK_RECEIVED}),
    Status.AWAITING_FEEDBACK: frozenset({Status.FEEDBACK_RECEIVED, Status.CHASED}),
    Status.UNDER_REVIEW: frozenset({Status.ACCEPTED, Status.REJECTED}),
    Status.ACCEPTED: _DECIDING,
    Status.VERIFYING: _DECIDING - {Status.VERIFYING},
    # A very complex denunciation may be extended twice (Luật Tố cáo Đ.30).
    Status.EXTENDED: _DECIDING,
    Status.SUSPENDED: frozenset({Status.VERIFYING, Status.TERMINATED, Status.RESOLVED}),
}

# The office waits on another body: the first answer owed after receipt has been given.
WAITING_ON_OTHERS = frozenset({Status.FORWARDED, Status.CHASED, Status.AWAITING_FEEDBACK})

# A formal decision or letter backs these moves; its number is recorded.
NEEDS_DOCUMENT = frozenset({Status.FORWARDED, Status.ACCEPTED, Status.EXTENDED,
                            Status.SUSPENDED, Status.TERMINATED, Status.RESOLVED})
# The body the citizen is sent to, the petition forwarded to, or the level chased.
NEEDS_AGENCY = frozenset({Status.GUIDED, Status.FORWARDED, Status.CHASED})
# A reason, for a petition that will not be handled.
NEEDS_NOTE = frozenset({Status.ARCHIVED, Status.REJECTED})


def allowed_moves(current: Status) -> frozenset[Status]:
    """Return the statuses a petition in ``current`` may move to."""
    if current.is_final:
        return frozenset()
    return MOVES.get(current, frozenset()) | _ALWAYS


class MoveError(ValueError):
    """A status change the rules do not allow, or one missing what it must record."""


def check_move(current: Status, target: Status, *, note: str, document_no: str | None,
               agency: str | None, merged_into: str | None) -> None:
    """Raise MoveError unless ``current`` may become ``target`` with what is given."""
    if target not in allowed_moves(current):
        raise MoveError(f"a petition that is {current.value} cannot become {target.value}")
    if target in NEEDS_DOCUMENT and not (document_no or "").strip():
        raise MoveError(f"{target.value} needs the number of the document that decides it")
    if target in NEEDS_AGENCY and not (agency or "").strip():
        raise MoveError(f"{target.value} needs the body concerned")
    if target in NEEDS_NOTE and not note.strip():
        raise MoveError(f"{target.value} needs the reason")
    if (target is Status.MERGED) != bool(merged_into):
        raise MoveError("merged needs the petition it is merged into, and only merged does")


# --- Deadlines -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    """A legal deadline: the rule (key and version) that set it and the day it falls on."""

    rule_key: str
    effective_from: date
    due_on: date


_RECEIPT_RULES = {
    PetitionType.COMPLAINT: "complaint.accept",
    PetitionType.DENUNCIATION: "denunciation.accept",
    PetitionType.RECOMMENDATION: "petition.reply",
    PetitionType.REPORT: "petition.reply",
}


def receipt_rule_key(kind: PetitionType) -> str:
    """Return the rule for the first answer a petition of ``kind`` is owed after receipt."""
    return _RECEIPT_RULES[kind]


def deadline(rule_key: str, start: date, rules: RuleBook, calendar: WorkingCalendar) -> Deadline:
    """Return the deadline ``rule_key``, in force on ``start``, sets counting from ``start``."""
    rule = rules.rule(rule_key, start)
    return Deadline(rule_key, rule.effective_from, rules.due_date(rule_key, start, calendar))


def receipt_deadline(kind: PetitionType, received: date, rules: RuleBook,
                     calendar: WorkingCalendar) -> Deadline:
    """Return the first deadline of a petition of ``kind`` received on ``received``."""
    return deadline(receipt_rule_key(kind), received, rules, calendar)


def resolution_rule_key(kind: PetitionType, stage: PriorStage, *, extended: bool) -> str | None:
    """Return the rule for resolving an accepted petition (None: the law sets none)."""
    if kind is PetitionType.DENUNCIATION:
        return "denunciation.resolve_extension" if extended else "denunciation.resolve"
    if kind is not PetitionType.COMPLAINT or stage in (PriorStage.SECOND, PriorStage.COURT):
        return None
    # A complaint with a first decision already is a second-instance complaint.
    base = "complaint.resolve_second" if stage is PriorStage.FIRST else "complaint.resolve_first"
    return base + "_complex" if extended else base


def extensions_allowed(kind: PetitionType, rules: RuleBook, on: date) -> int:
    """Return how many times the resolution time of ``kind`` may be extended (the law
    extends only complaints and denunciations)."""
    if kind is PetitionType.DENUNCIATION:
        return rules.value("denunciation.extensions", on)
    if kind is PetitionType.COMPLAINT:
        return rules.value("complaint.extensions", on)
    return 0


def deadline_for_move(kind: PetitionType, stage: PriorStage, target: Status, *, today: date,
                      accepted_on: date | None, current_due: date | None, rules: RuleBook,
                      calendar: WorkingCalendar) -> Deadline | None:
    """Return the deadline a move to ``target`` sets, or None when it sets none.

    Acceptance starts the resolution period. An extension of a denunciation adds its period
    to the deadline in force; a complaint's extension is the longer "complex case" period
    counted from acceptance.
    """
    if target is Status.ACCEPTED:
        key = resolution_rule_key(kind, stage, extended=False)
        return deadline(key, today, rules, calendar) if key else None
    if target is Status.EXTENDED:
        key = resolution_rule_key(kind, stage, extended=True)
        if key is None:
            return None
        denunciation = kind is PetitionType.DENUNCIATION
        start = (current_due if denunciation else accepted_on) or today
        return deadline(key, start, rules, calendar)
    return None


def describe_rule(rules: RuleBook, rule_key: str, effective_from: date) -> tuple[int, Unit, str]:
    """Return the value, unit and citation of the rule version a deadline records."""
    rule = rules.rule(rule_key, effective_from)
    return rule.value, rule.unit, rule.source


# --- Groups and representatives ------------------------------------------------------------

def is_group(people: int, rules: RuleBook, on: date) -> bool:
    """Tell whether ``people`` bringing the same matter make a group petition (đơn đông người)."""
    return people >= rules.value("group.min_people", on)


def max_representatives(people: int, rules: RuleBook, on: date) -> int:
    """Return how many representatives a group of ``people`` may choose (Luật TCD Đ.29)."""
    if people <= rules.value("representatives.small_group_limit", on):
        return rules.value("representatives.max_small_group", on)
    return rules.value("representatives.max", on)


# --- Answers typed by the citizen ----------------------------------------------------------

class AnswerProblem(Enum):
    """Why a typed answer was refused."""

    EMPTY = "empty"  # nothing a person could read: blank, dots, emoji
    TOO_LONG = "too_long"


_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_answer(text: str, limit: int, *, keep_lines: bool = False) -> str | AnswerProblem:
    """Return ``text`` tidied (NFC, spaces collapsed), or why it cannot be an answer."""
    normal = unicodedata.normalize("NFC", text)
    if keep_lines:
        lines = [_SPACES.sub(" ", line).strip() for line in normal.splitlines()]
        tidy = "\n".join(lines).strip()
        tidy = re.sub(r"\n{3,}", "\n\n", tidy)
    else:
        tidy = " ".join(normal.split())
    if not any(ch.isalnum() for ch in tidy):
        return AnswerProblem.EMPTY
    if len(tidy) > limit:
        return AnswerProblem.TOO_LONG
    return tidy


# --- Attachments ---------------------------------------------------------------------------

class AttachmentProblem(Enum):
    """Why a file was not taken."""

    TOO_MANY = "too_many"
    TOO_LARGE = "too_large"
    KIND = "kind"  # a kind of file the office does not take (a round video, ...)
    EXTENSION = "extension"  # a document whose type is not on the list


@dataclass(frozen=True)
class AttachmentLimits:
    """What a petition may carry: how many files, how large, of which kinds and types."""

    max_count: int
    max_bytes: int
    kinds: tuple[str, ...]
    document_extensions: tuple[str, ...]


def check_attachment(kind: str, file_name: str | None, size: int | None, already: int,
                     limits: AttachmentLimits) -> AttachmentProblem | None:
    """Return why a file cannot join a petition that has ``already`` files, or None."""
    if already >= limits.max_count:
        return AttachmentProblem.TOO_MANY
    if kind not in limits.kinds:
        return AttachmentProblem.KIND
    if kind == "document" and file_name:
        suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
        if suffix not in limits.document_extensions:
            return AttachmentProblem.EXTENSION
    if size is not None and size > limits.max_bytes:
        return AttachmentProblem.TOO_LARGE
    return None


@dataclass(frozen=True)
class PetitionFile:
    """A file sent with a petition, as the channel knows it (not downloaded)."""

    kind: str
    file_id: str
    channel: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


# --- People named in a petition ------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class Representative:
    """A representative of a group petition: full name and phone (E.164)."""

    full_name: str
    phone_e164: str

    def __repr__(self) -> str:
        return f"Representative({self.full_name!r})"


# --- Tracking and repeats ------------------------------------------------------------------

def phone_matches(phones: Iterable[str], last_four: str) -> bool:
    """Tell whether ``last_four`` are the last four digits of any of ``phones``.

    Every phone is compared, in constant time, so the answer takes as long either way.
    """
    typed = last_four.encode("ascii")
    found = False
    for phone in phones:
        found |= hmac.compare_digest(phone[-4:].encode("ascii"), typed)
    return found


_FOUR_DIGITS = re.compile(r"\d{4}")


def parse_last_digits(text: str) -> str | None:
    """Return the four digits a person typed ("5678", "5 6 7 8"), or None."""
    compact = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text))
    return compact if _FOUR_DIGITS.fullmatch(compact) and compact.isascii() else None


# Respondents named this alike are taken as the same body or person.
SAME_RESPONDENT_SCORE = 85.0


def same_respondent(a: str, b: str) -> bool:
    """Tell whether two typed respondents name the same body or person, roughly."""
    first, second = fold(a), fold(b)
    if not first or not second:
        return False
    return fuzz.token_set_ratio(first, second) >= SAME_RESPONDENT_SCORE


# --- Petitions as submitted and stored -----------------------------------------------------

@dataclass(frozen=True)
class NewPetition:
    """What a citizen submits; the identity is None for an anonymous petition."""

    kind: PetitionType
    respondent: str  # the body or person complained about or denounced; the subject otherwise
    place_code: int | None  # the commune-level unit where it happened
    place_text: str | None  # an old (pre-2025) address, when no current unit fits
    content: str
    request: str
    prior_stage: PriorStage
    prior_body: str | None
    people: int
    representatives: tuple[Representative, ...] = ()
    files: tuple[PetitionFile, ...] = ()
    identity: PersonIdentity | None = None
    mixed: bool = False  # the citizen said the matter mixes a complaint and a denunciation
    denunciation_content: bool = False  # a denunciation sent without a name, as a report
    related_code: str | None = None  # the other petition of a mixed pair, filed first


@dataclass(frozen=True)
class Petition:
    """A stored petition, without the identity of whoever sent it (kept apart)."""

    id: int
    code: str
    kind: PetitionType
    status: Status
    channel: str | None  # the account that filed it (None: filed at the office, imported)
    user_id: str | None
    received_at: datetime
    respondent: str
    place_code: int | None
    place_text: str | None
    content: str
    request: str
    prior_stage: PriorStage
    prior_body: str | None
    people: int
    is_group: bool
    anonymous: bool
    skips_level: bool
    mixed: bool
    denunciation_content: bool
    due: Deadline | None
    related_code: str | None
    merged_into: str | None
    repeat_of: str | None
    file_count: int
    source: Source = Source.CHAT
    site_id: str | None = None  # None: not yet taken up by one site (an online petition)
    field: Field | None = None
    eligible: bool | None = None  # đủ điều kiện xử lý; None: not classified yet
    ineligible_reason: str | None = None
    competence: Competence | None = None
    chairman_jurisdiction: bool = False  # thuộc thẩm quyền Chủ tịch UBND tỉnh (§2.8)
    case_id: int | None = None
    assigned_channel: str | None = None
    assigned_user_id: str | None = None
    classified_at: datetime | None = None
    closed_at: datetime | None = None

    def filed_by(self, channel: str, user_id: str) -> bool:
        """Tell whether the account ``channel``/``user_id`` filed this petition."""
        return self.channel is not None and (self.channel, self.user_id) == (channel, user_id)


@dataclass(frozen=True)
class PetitionEvent:
    """One recorded status change: who, when, from, to, note, document and deadline."""

    at: datetime
    actor_channel: str | None
    actor_user_id: str | None
    actor_role: str | None
    from_status: Status | None
    to_status: Status
    note: str = ""
    document_no: str | None = None
    document_date: date | None = None
    agency: str | None = None
    due: Deadline | None = None


# --- Identity protection beside other records -------------------------------------------------

@dataclass(frozen=True)
class Shield:
    """Which petition codes one reader may not see in a place, and what is shown instead.

    Naming a denouncer's petition beside someone named (a complaint's sender, a booking, a
    register row), or a named petition beside a denouncer's, would tell who denounced
    (Luật Tố cáo Đ.9, Đ.56). Such codes are withheld from the roles not allowed to see
    denouncers.
    """

    hidden: frozenset[str] = frozenset()
    mask: str = ""

    def withholds(self, code: str | None) -> bool:
        """Tell whether ``code`` is withheld here."""
        return code is not None and code in self.hidden

    def code(self, code: str | None) -> str | None:
        """Return ``code``, or None when it is withheld."""
        return None if self.withholds(code) else code

    def text(self, text: str, mask: str | None = None) -> str:
        """Return ``text`` with every withheld code replaced by the mask (or ``mask``)."""
        return mask_codes(text, self.hidden, self.mask if mask is None else mask)


def crossing_codes(protection: Mapping[str, bool], *, beside_protected: bool) -> frozenset[str]:
    """Return the codes whose protection differs from that of the place they are named in.

    ``protection`` tells, for each petition code, whether its sender is protected; beside a
    named person a protected petition crosses over, beside a protected one a named one does.
    """
    return frozenset(code for code, protected in protection.items()
                     if protected != beside_protected)
