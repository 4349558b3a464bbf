"""The reception register (Sổ tiếp công dân): the day's queue moves, visits, refusal grounds,
and the register's columns as the form lays them out (domain.md §1.4, Mẫu 03/TCD).

Everything here is pure: dates come in as parameters, legal numbers from the RuleBook.
The column headers and cell words are Vietnamese on purpose: the register is an official
form kept in Vietnamese whatever the language of the person exporting it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum

from bot.domain.booking import Booking, BookingStatus
from bot.domain.identity import (
    Cccd,
    CccdError,
    PersonNameError,
    is_masked,
    masked_cccd,
    normalize_name,
    parse_cccd,
)
from bot.domain.person import PersonIdentity
from bot.domain.petitions import PetitionType
from bot.domain.rules import RuleBook, citation
from bot.domain.text import fold, fold_words


class ReceptionMode(StrEnum):
    """Who received the citizen (CheDoTiepCongDan in the national database)."""

    REGULAR = "regular"  # tiếp thường xuyên, by the office's staff
    LEADER = "leader"  # thủ trưởng tiếp: a leader in person, on a leader's day


# -- the day's queue ----------------------------------------------------------------------


class QueueMove(StrEnum):
    """One tap on the day's queue."""

    ARRIVE = "arrive"  # the citizen is at the office
    START = "start"  # reception begins
    DONE = "done"  # reception ends: the register entry opens
    NO_SHOW = "no_show"  # the citizen did not come


MOVE_TARGET: Mapping[QueueMove, BookingStatus] = {
    QueueMove.ARRIVE: BookingStatus.ARRIVED,
    QueueMove.START: BookingStatus.BEING_RECEIVED,
    QueueMove.DONE: BookingStatus.DONE,
    QueueMove.NO_SHOW: BookingStatus.NO_SHOW,
}

_MOVES_FROM: Mapping[QueueMove, frozenset[BookingStatus]] = {
    QueueMove.ARRIVE: frozenset({BookingStatus.BOOKED}),
    QueueMove.START: frozenset({BookingStatus.BOOKED, BookingStatus.ARRIVED}),
    QueueMove.DONE: frozenset({BookingStatus.BOOKED, BookingStatus.ARRIVED,
                               BookingStatus.BEING_RECEIVED}),
    QueueMove.NO_SHOW: frozenset({BookingStatus.BOOKED}),
}

_NEXT: Mapping[BookingStatus, QueueMove] = {
    BookingStatus.BOOKED: QueueMove.ARRIVE,
    BookingStatus.ARRIVED: QueueMove.START,
    BookingStatus.BEING_RECEIVED: QueueMove.DONE,
}


class MoveRefusal(StrEnum):
    """Why a tap on the queue was not applied."""

    NOT_FOUND = "not_found"
    WRONG_STATUS = "wrong_status"  # someone moved it on already, or it was cancelled
    FUTURE_DAY = "future_day"  # the appointment's day has not come yet
    NOT_STARTED = "not_started"  # a no-show before the appointment's time


def next_move(status: BookingStatus) -> QueueMove | None:
    """Return the usual next tap for a booking in ``status`` (None: nothing left to do)."""
    return _NEXT.get(status)


def moves_from(status: BookingStatus) -> list[QueueMove]:
    """Return every tap a booking in ``status`` allows, in the order of the day."""
    return [move for move in QueueMove if status in _MOVES_FROM[move]]


def check_move(booking: Booking, move: QueueMove, *, now: datetime,
               today: date, day: date) -> MoveRefusal | None:
    """Return why ``move`` cannot apply to ``booking`` now (None: it can)."""
    if booking.status not in _MOVES_FROM[move]:
        return MoveRefusal.WRONG_STATUS
    if day > today:
        return MoveRefusal.FUTURE_DAY
    if move is QueueMove.NO_SHOW and now < booking.slot.starts_at:
        return MoveRefusal.NOT_STARTED
    return None


@dataclass(frozen=True)
class QueueEntry:
    """One booking of the day, with what staff need to see beside it."""

    booking: Booking  # its petition code and matter as this reader may see them
    no_shows: int  # earlier no-shows of the same citizen (account or CCCD)
    mass_delegation: bool
    register_serial: int | None  # the register row made for it, if any
    petition_withheld: bool = False  # linked to a denouncer's petition this reader may not see
    refused: bool = False  # its register row records a refusal of reception


@dataclass(frozen=True)
class QueuePage:
    """One page of the day's queue at one site."""

    day: date
    site_id: str
    page: int
    pages: int
    total: int
    entries: tuple[QueueEntry, ...]
    by_status: Mapping[BookingStatus, int]  # refused ones are not counted as done
    recorded_today: int  # register rows of the day at the site, walk-ins included
    refused: int = 0  # bookings of the day whose reception was refused


# -- refusals (từ chối tiếp) ------------------------------------------------------------------


@dataclass(frozen=True)
class RefusalGround:
    """A legal ground for refusing reception, with where the law says it and since when."""

    key: str
    label: str  # an English msgid, translated where it is shown in chat
    register_text: str  # how the Vietnamese register writes it
    source: str  # the citation
    effective_from: date
    needs_notice: bool = False  # a written notice (Mẫu 01/TCD) is issued: its number is kept
    needs_note: bool = False  # the ground says too little by itself: the note must say more

    def applies_on(self, on: date) -> bool:
        """Tell whether the ground is in force on ``on``."""
        return self.effective_from <= on

    @property
    def citation(self) -> str:
        """The source as the register and citizens read it (the office's remark is left to
        the staff's screens)."""
        return citation(self.source)


def grounds_on(grounds: Sequence[RefusalGround], on: date) -> list[RefusalGround]:
    """Return the grounds in force on ``on``, in the order the law lists them."""
    return [ground for ground in grounds if ground.applies_on(on)]


def ground_by_key(grounds: Sequence[RefusalGround], key: str) -> RefusalGround | None:
    """Return the ground with ``key``, if any."""
    return next((ground for ground in grounds if ground.key == key), None)


# -- visits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitEntry:
    """One reception as staff record it: a row of the register (domain.md §1.4)."""

    site_id: str
    received_on: date
    mode: ReceptionMode
    people: int
    identity: PersonIdentity
    summary: str
    leader_id: str | None = None
    leader_title: str | None = None
    reception_day_id: int | None = None
    booking_id: int | None = None
    petition_id: int | None = None
    same_case_as: int | None = None  # an earlier visit on the same matter (staff decided)
    police_coordination: bool = False
    petition_type: PetitionType | None = None
    prior_body: str | None = None
    within_competence: bool | None = None
    guidance: str | None = None
    guidance_doc_no: str | None = None
    handled_by: str | None = None
    forward_doc_no: str | None = None
    result_followup: str | None = None
    notes: str | None = None
    refused: bool = False
    refusal_ground: str | None = None
    refusal_doc_no: str | None = None
    visit_number: int = 1  # set by the service from the case; kept as given on import


@dataclass(frozen=True)
class Visit:
    """A stored register row."""

    id: int
    serial: int
    received_at: datetime
    is_mass_delegation: bool
    case_id: int | None
    visit_number: int
    entry: VisitEntry
    petition_code: str | None = None
    source: str = "chat"


def is_mass_delegation(people: int, rules: RuleBook, on: date) -> bool:
    """Tell whether ``people`` received together form a mass delegation (đoàn đông người)."""
    return people >= rules.value("group.min_people", on)


# -- the register as a table (export and import) ----------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the exported register: its key, its header, the headers it is known by."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # an import without it is refused

    def names(self) -> set[str]:
        """Return the folded names an import header may use for this column."""
        return {fold_words(self.header), *(fold_words(alias) for alias in self.aliases)}


# The 13 columns of Mẫu 03/TCD in their order, then the extra columns of this register.
COLUMNS: tuple[Column, ...] = (
    Column("serial", "STT", ("so thu tu", "so tt", "tt")),
    Column("received_on", "Ngày tiếp", ("ngay", "ngay tiep cong dan"), required=True),
    Column("name_address", "Họ tên, địa chỉ", ("ho ten dia chi", "ho va ten dia chi",
                                               "ho ten"), required=True),
    Column("cccd", "CCCD/CMND/Hộ chiếu", ("cccd", "so cccd", "can cuoc", "cccd cmnd",
                                           "so dinh danh")),
    Column("summary", "Nội dung đơn / tóm tắt vụ việc", ("noi dung", "tom tat vu viec",
                                                         "noi dung vu viec"), required=True),
    Column("petition_type", "Loại đơn", ("loai", "phan loai")),
    Column("people", "Số người cùng nội dung", ("so nguoi",), required=True),
    Column("prior_body", "Cơ quan đã giải quyết", ("co quan da giai quyet vu viec",)),
    Column("within_competence", "Thuộc thẩm quyền", ("thuoc tham quyen x", "tham quyen")),
    Column("guidance", "Hướng dẫn công dân đến cơ quan có thẩm quyền", ("huong dan",)),
    Column("handled_by", "Cơ quan, đơn vị thụ lý", ("co quan don vi thu ly",
                                                    "co quan thu ly", "chuyen don")),
    Column("result_followup", "Theo dõi kết quả giải quyết", ("theo doi ket qua",
                                                              "ket qua")),
    Column("notes", "Ghi chú", ("ghi chu",)),
    Column("mode", "Chế độ tiếp", ("che do", "hinh thuc tiep")),
    Column("leader", "Lãnh đạo tiếp", ("lanh dao", "nguoi chu tri")),
    Column("visit_number", "Lần tiếp", ("lan tiep thu", "lan")),
    Column("mass_delegation", "Đoàn đông người", ("doan dong nguoi x",)),
    Column("police", "Phối hợp công an", ("cong an", "phoi hop cong an x")),
    Column("refusal", "Từ chối tiếp", ("tu choi tiep cong dan", "tu choi")),
)
FORM_COLUMNS = 13  # the first 13 are the form's own

TYPE_CELLS: Mapping[PetitionType, str] = {
    PetitionType.COMPLAINT: "Khiếu nại",
    PetitionType.DENUNCIATION: "Tố cáo",
    PetitionType.RECOMMENDATION: "Kiến nghị",
    PetitionType.REPORT: "Phản ánh",
}
MODE_CELLS: Mapping[ReceptionMode, str] = {
    ReceptionMode.REGULAR: "Thường xuyên",
    ReceptionMode.LEADER: "Lãnh đạo tiếp",
}
MARK = "x"
_YES = {"x", "co", "1", "yes", "true", "dung", "v"}
_NO = {"khong", "0", "no", "false"}
_DOC = re.compile(r"^(?P<body>.*?)\s*\((?:số|so|VB số|VB so)\s*(?P<doc>[^()]+)\)\s*$",
                  re.IGNORECASE)


def with_document(body: str | None, document_no: str | None) -> str:
    """Return a body and its document number as one cell: ``UBND xã A (số 12/HD)``."""
    if not body and not document_no:
        return ""
    if not document_no:
        return body or ""
    return f"{body or ''} (số {document_no})".strip()


def split_document(cell: str) -> tuple[str | None, str | None]:
    """Split a cell written by ``with_document`` back into the body and the number."""
    text = cell.strip()
    if not text:
        return None, None
    found = _DOC.match(text)
    if found is None:
        return text, None
    return found.group("body").strip() or None, found.group("doc").strip() or None


def register_cells(visit: Visit, *, cccd: str, refusal: str) -> list[str | int | date]:
    """Return a visit as the row of the exported register, column by column (the day as a
    date: a date cell in a workbook, dd/mm/yyyy in CSV)."""
    entry = visit.entry
    identity = entry.identity
    name_address = identity.full_name + (f", {identity.address}" if identity.address else "")
    competence = {True: MARK, False: "", None: ""}[entry.within_competence]
    return [
        visit.serial,
        entry.received_on,
        name_address,
        cccd,
        entry.summary,
        TYPE_CELLS[entry.petition_type] if entry.petition_type else "",
        entry.people,
        entry.prior_body or "",
        competence,
        with_document(entry.guidance, entry.guidance_doc_no),
        with_document(entry.handled_by, entry.forward_doc_no),
        entry.result_followup or "",
        entry.notes or "",
        MODE_CELLS[entry.mode],
        entry.leader_title or "",
        visit.visit_number,
        MARK if visit.is_mass_delegation else "",
        MARK if entry.police_coordination else "",
        refusal,
    ]


# -- reading an imported register ------------------------------------------------------------


class HeaderProblem(Enum):
    """Why the header row of an imported file was refused."""

    UNKNOWN = "unknown"  # a column the register does not have
    MISSING = "missing"  # a column an import needs
    TWICE = "twice"  # two columns with the same meaning


@dataclass(frozen=True)
class HeaderError:
    """A problem with the header row, and the header concerned."""

    problem: HeaderProblem
    header: str


def read_headers(headers: Sequence[object]) -> dict[str, int] | list[HeaderError]:
    """Return where each known column is in an imported header row, or what is wrong."""
    found: dict[str, int] = {}
    errors: list[HeaderError] = []
    for index, raw in enumerate(headers):
        text = "" if raw is None else str(raw)
        folded = fold_words(text)
        if not folded:
            continue
        column = next((c for c in COLUMNS if folded in c.names()), None)
        if column is None:
            errors.append(HeaderError(HeaderProblem.UNKNOWN, text.strip()))
        elif column.key in found:
            errors.append(HeaderError(HeaderProblem.TWICE, text.strip()))
        else:
            found[column.key] = index
    errors.extend(HeaderError(HeaderProblem.MISSING, c.header)
                  for c in COLUMNS if c.required and c.key not in found)
    return errors or found


class RowProblem(Enum):
    """Why a row of an imported register was refused."""

    DATE = "date"
    FUTURE_DATE = "future_date"
    NAME = "name"
    SUMMARY = "summary"
    PEOPLE = "people"
    TYPE = "type"
    CCCD = "cccd"
    COMPETENCE = "competence"
    MODE = "mode"
    VISIT_NUMBER = "visit_number"
    REFUSAL = "refusal"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class RowError:
    """A refused row: its number in the file (the header is row 1), the problem, the value."""

    row: int
    problem: RowProblem
    value: str = ""


@dataclass(frozen=True)
class ImportedRow:
    """A row of an imported register, checked; the CCCD not yet protected."""

    row: int
    entry: VisitEntry
    cccd: Cccd | None
    # A masked number (as exports write it) is no number: only its masked form is kept, as
    # «0011******23» when its first 4 and last 2 digits are there, else nothing.
    masked_cccd: bool
    cccd_masked: str | None
    mass_delegation: bool


@dataclass(frozen=True)
class MaskedCccd:
    """An imported row whose CCCD number was masked, and what of it was kept."""

    row: int
    kept: str | None  # «0011******23»; None when too few of its digits were there


def visit_key(entry: VisitEntry) -> tuple[date, str, str]:
    """Return what makes two rows of one site's register the same reception: the day, the
    citizen's name and the summary (case, accents and spacing aside)."""
    return entry.received_on, fold(entry.identity.full_name), fold(entry.summary)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


_DATE_FORMATS = (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"),)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def _cell_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        found = _ISO_DATE.match(text)
        if found:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        for pattern in _DATE_FORMATS:
            found = pattern.match(text)
            if found:
                return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
    except ValueError:
        return None
    return None


def _cell_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isascii() and text.isdecimal() else None


def _flag(value: object) -> bool | None:
    folded = fold_words(_text(value))
    if not folded:
        return None
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueError(folded)


def _petition_type(value: object) -> PetitionType | None:
    folded = fold_words(_text(value))
    if not folded:
        return None
    for kind, cell in TYPE_CELLS.items():
        if folded in (fold_words(cell), kind.value):
            return kind
    raise ValueError(folded)


@dataclass(frozen=True)
class ImportContext:
    """What reading an imported row needs besides the row: the site, the day, the rules."""

    site_id: str
    today: date
    rules: RuleBook
    grounds: Sequence[RefusalGround]
    leaders: Mapping[str, str] = field(default_factory=dict)  # folded title → leader id
    max_chars: int = 2000


def _refusal_ground(cell: str, grounds: Sequence[RefusalGround]) -> RefusalGround | None:
    folded = fold(cell)
    for ground in grounds:
        if folded.startswith(fold(ground.register_text)) or folded == ground.key:
            return ground
    return None


def read_row(row: int, cells: Sequence[object], where: Mapping[str, int],
             context: ImportContext) -> ImportedRow | RowError | None:
    """Check one data row of an imported register (None: an empty row, skipped)."""
    def cell(key: str) -> object:
        index = where.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    texts = {key: _text(cell(key)) for key in where}
    if not any(texts.values()):
        return None
    too_long = next((key for key, text in texts.items() if len(text) > context.max_chars), None)
    if too_long is not None:
        return RowError(row, RowProblem.TOO_LONG, texts[too_long][:40])
    received = _cell_date(cell("received_on"))
    if received is None:
        return RowError(row, RowProblem.DATE, texts.get("received_on", ""))
    if received > context.today:
        return RowError(row, RowProblem.FUTURE_DATE, texts["received_on"])
    name_text, _sep, address = texts["name_address"].partition(",")
    name = normalize_name(name_text)
    if isinstance(name, PersonNameError):
        return RowError(row, RowProblem.NAME, texts["name_address"])
    summary = texts["summary"]
    if not summary:
        return RowError(row, RowProblem.SUMMARY)
    people = _cell_int(cell("people"))
    if people is None or people < 1:
        return RowError(row, RowProblem.PEOPLE, texts["people"])
    try:
        kind = _petition_type(cell("petition_type"))
    except ValueError:
        return RowError(row, RowProblem.TYPE, texts.get("petition_type", ""))
    cccd_text = re.sub(r"[\s.\-]", "", texts.get("cccd", ""))
    cccd: Cccd | None = None
    masked = is_masked(cccd_text)
    if cccd_text and not masked:
        parsed = parse_cccd(cccd_text, today=context.today)
        if isinstance(parsed, CccdError):
            return RowError(row, RowProblem.CCCD, texts["cccd"])
        cccd = parsed
    try:
        competence = _flag(cell("within_competence"))
    except ValueError:
        return RowError(row, RowProblem.COMPETENCE, texts.get("within_competence", ""))
    mode_text = fold_words(texts.get("mode", ""))
    leader_title = texts.get("leader") or None
    if not mode_text:
        mode = ReceptionMode.LEADER if leader_title else ReceptionMode.REGULAR
    else:
        known = {fold_words(cell_text): m for m, cell_text in MODE_CELLS.items()}
        known.update({m.value: m for m in ReceptionMode})
        if mode_text not in known:
            return RowError(row, RowProblem.MODE, texts["mode"])
        mode = known[mode_text]
    visit_text = texts.get("visit_number", "")
    visit_number = _cell_int(cell("visit_number")) if visit_text else 1
    if visit_number is None or visit_number < 1:
        return RowError(row, RowProblem.VISIT_NUMBER, visit_text)
    try:
        police = bool(_flag(cell("police")))
        marked_mass = bool(_flag(cell("mass_delegation")))
    except ValueError:
        return RowError(row, RowProblem.COMPETENCE, texts.get("police", ""))
    refusal_text = texts.get("refusal", "")
    ground: RefusalGround | None = None
    refusal_doc: str | None = None
    if refusal_text:
        ground = _refusal_ground(refusal_text, context.grounds)
        if ground is None:
            return RowError(row, RowProblem.REFUSAL, refusal_text)
        _body, refusal_doc = split_document(refusal_text)
    guidance, guidance_doc = split_document(texts.get("guidance", ""))
    handled_by, forward_doc = split_document(texts.get("handled_by", ""))
    notes = texts.get("notes") or None
    entry = VisitEntry(
        site_id=context.site_id, received_on=received, mode=mode, people=people,
        identity=PersonIdentity(full_name=name, address=address.strip() or None),
        summary=summary, leader_title=leader_title if mode is ReceptionMode.LEADER else None,
        leader_id=context.leaders.get(fold(leader_title or "")),
        police_coordination=police, petition_type=kind,
        prior_body=texts.get("prior_body") or None, within_competence=competence,
        guidance=guidance, guidance_doc_no=guidance_doc, handled_by=handled_by,
        forward_doc_no=forward_doc, result_followup=texts.get("result_followup") or None,
        notes=notes, refused=ground is not None, refusal_ground=ground.key if ground else None,
        refusal_doc_no=refusal_doc, visit_number=visit_number,
    )
    # A register kept before may mark a delegation the rule would not: keep its word.
    mass = marked_mass or is_mass_delegation(people, context.rules, received)
    return ImportedRow(row=row, entry=entry, cccd=cccd, masked_cccd=masked,
                       cccd_masked=masked_cccd(cccd_text) if masked else None,
                       mass_delegation=mass)


def refusal_cell(ground: RefusalGround | None, key: str | None, document_no: str | None) -> str:
    """Return the refusal column of a refused row: the citation, and the notice's number."""
    if key is None:
        return ""
    cited = f"{ground.register_text} ({ground.citation})" if ground is not None else key
    return with_document(cited, document_no)
