"""The petition register (sổ theo dõi đơn): export for a period, import of an earlier list.

The export has the columns of ``COLUMNS``, in that order, with Vietnamese headers (in the
reader's language). CCCD and phone numbers are masked; a denouncer's identity is written
only for the roles allowed to see it, and such an export is audited. The import reads the
same headers (any subset that has the required ones) and stores nothing unless every row
is valid.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache, cached_property
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from bot.domain.cells import csv_text
from bot.domain.codes import PETITION_PREFIX, new_code
from bot.domain.identity import Cccd, Phone, is_masked, masked_cccd
from bot.domain.messages import OutFile
from bot.domain.person import PersonIdentity
from bot.domain.petitions import (
    FINAL,
    Competence,
    Deadline,
    Field,
    NewPetition,
    PetitionEvent,
    PetitionType,
    PriorStage,
    Source,
    Status,
    is_group,
    receipt_deadline,
    skips_level,
)
from bot.domain.places import Directory
from bot.domain.processing import PetitionKey, PetitionNote, RegisterEntry, petition_key
from bot.domain.register import MaskedCccd
from bot.domain.text import fold, fold_words
from bot.i18n import N_, _, translation
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.services.identity import IdentityService, id_paper_cell
from bot.services.petitions import stage_label, status_label, type_label
from bot.services.processing import competence_label, field_label, source_label
from bot.services.register_files import TableError, read_rows, table_problem_text
from bot.services.shield import ShieldService
from bot.storage import petition_register as store
from bot.storage import petitions as petition_store
from bot.storage import processing as processing_store

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
FORMATS = ("xlsx", "csv")
MAX_CODE_ATTEMPTS = 8
MAX_IMPORT_ROWS = 200_000

# The register's columns, in order: (key, header). The order is documented in the README.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", N_("No.")),
    ("code", N_("Tracking code")),
    ("received", N_("Date received")),
    ("source", N_("Source")),
    ("site", N_("Reception site")),
    ("sender", N_("Sender")),
    ("address", N_("Address")),
    ("cccd", N_("CCCD number")),
    ("phone", N_("Phone")),
    ("type", N_("Type of petition")),
    ("field", N_("Field")),
    ("respondent", N_("Body or person concerned")),
    ("commune", N_("Commune or ward")),
    ("content", N_("Content")),
    ("request", N_("Request")),
    ("people", N_("Number of signatories")),
    ("group", N_("Group petition")),
    ("prior_stage", N_("Handled before")),
    ("prior_body", N_("Body that handled it before")),
    ("skips_level", N_("Skips a level")),
    ("eligible", N_("Meets the conditions for handling")),
    ("ineligible_reason", N_("Why it does not meet them")),
    ("competence", N_("Competence")),
    ("chairman", N_("Under the provincial chairman's jurisdiction")),
    ("status", N_("Status")),
    ("agency", N_("Body guided or forwarded to")),
    ("document", N_("Document number")),
    ("due", N_("Deadline")),
    ("closed", N_("Date closed")),
    ("result", N_("Result or reason")),
    ("assigned", N_("Handled by")),
    ("case", N_("Case no.")),
)
REQUIRED = ("received", "type", "respondent", "content")
WITHHELD = N_("(withheld: a denouncer's identity is protected)")
NO_NAME = N_("(no name given)")
_WIDTHS = {"no": 6, "code": 14, "received": 12, "sender": 24, "address": 30, "respondent": 36,
           "content": 60, "request": 36, "status": 24, "agency": 28, "result": 40, "due": 12,
           "closed": 12}


@dataclass(frozen=True)
class RegisterFile:
    """An exported register: the file and how many petitions it lists."""

    file: OutFile
    rows: int


@dataclass(frozen=True)
class ImportProblem:
    """A row (or the file, row 0) that cannot be imported, and why."""

    row: int
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: the codes given, or the problems that stopped it.

    Petitions already stored (same day received, type, body or person concerned, content
    and sender) are skipped, not refused: the same file imported twice, or a list that has
    grown since, adds only what is new. ``duplicates`` are their row numbers.
    """

    imported: tuple[str, ...] = ()
    problems: tuple[ImportProblem, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    duplicates: tuple[int, ...] = ()
    masked_cccd: tuple[MaskedCccd, ...] = ()  # rows imported without their full CCCD number
    masked_phones: int = 0  # imported rows whose masked phone number was left out


@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)


E = TypeVar("E", bound=Enum)


def _texts(entry: RegisterEntry) -> tuple[str | None, ...]:
    petition = entry.petition
    return (petition.respondent, petition.content, petition.request, petition.prior_body,
            petition.ineligible_reason, entry.last_agency, entry.closing_note)


class PetitionRegisterService:
    """Write the petition register to a file, and read an earlier one into the database."""

    def __init__(self, ctx: ServiceContext, audit: AuditService,
                 identity: IdentityService) -> None:
        self._ctx = ctx
        self._audit = audit
        self._identity = identity

    @cached_property
    def _shield(self) -> ShieldService:
        return ShieldService(self._ctx, self._audit)

    def _may_see_denouncers(self) -> bool:
        return self._shield.may_see_denouncers()

    async def _shielded(self, found: list[RegisterEntry]) -> list[RegisterEntry]:
        """Return the entries with no petition code in a text tying a denouncer to a name.

        A named petition's row does not name a denouncer's petition, nor a protected row a
        named one; the roles allowed to see denouncers read the texts as they are.
        """
        if self._may_see_denouncers():
            return found
        protected = {entry.petition.id for entry in found
                     if entry.withheld or entry.petition.kind.identity_protected}
        shields = {
            side: await self._shield.shield(
                [text for entry in found if (entry.petition.id in protected) == side
                 for text in _texts(entry)],
                where="petition.export", beside_protected=side)
            for side in (False, True)}
        shown = []
        for entry in found:
            shield = shields[entry.petition.id in protected]
            if not shield.hidden:
                shown.append(entry)
                continue
            petition = entry.petition
            shown.append(replace(
                entry,
                petition=replace(
                    petition, respondent=shield.text(petition.respondent),
                    content=shield.text(petition.content), request=shield.text(petition.request),
                    prior_body=shield.text(petition.prior_body) if petition.prior_body else None,
                    ineligible_reason=(shield.text(petition.ineligible_reason)
                                       if petition.ineligible_reason else None)),
                last_agency=shield.text(entry.last_agency) if entry.last_agency else None,
                closing_note=shield.text(entry.closing_note) if entry.closing_note else None))
        return shown

    # -- export ----------------------------------------------------------------------------

    def _utc_bounds(self, start: date, end: date) -> tuple[datetime, datetime]:
        tz = self._ctx.settings.tz
        return (datetime.combine(start, time(0), tz),
                datetime.combine(end + timedelta(days=1), time(0), tz))

    async def entries(self, start: date, end: date) -> list[RegisterEntry]:
        """Return the petitions received from ``start`` to ``end`` (local dates, inclusive)."""
        role = self._ctx.actor.role
        if role is not None and not role.is_official:
            await self._audit.record("access.denied", "petition.export", role=role.value)
            raise PermissionError("only the office's staff and leaders export the register")
        if end < start:
            raise ValueError("the period ends before it starts")
        low, high = self._utc_bounds(start, end)
        with_protected = self._may_see_denouncers()
        found = await store.entries(self._ctx.conn, low, high, with_protected=with_protected)
        denouncers = sum(1 for entry in found if entry.identity is not None and (
            entry.petition.kind.identity_protected))
        await self._audit.record("petition.export", f"{start.isoformat()}..{end.isoformat()}",
                                 rows=len(found), denouncers_shown=with_protected and
                                 denouncers > 0)
        return await self._shielded(found)

    async def export(self, start: date, end: date, fmt: str = "xlsx", *,
                     later: bool = False) -> RegisterFile:
        """Return the register of petitions received from ``start`` to ``end`` as a file.

        ``later`` leaves the writing for after the turn's commit (``OutFile.later``): a
        year's register takes seconds to write, and other people's turns need not wait.
        """
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        found = await self.entries(start, end)
        headers = [_(header) for _key, header in COLUMNS]
        words = _Words.now(self._ctx.settings.sites)
        rows = [self._row(number, entry, words) for number, entry in enumerate(found, start=1)]
        name = f"so-theo-doi-don_{start.isoformat()}_{end.isoformat()}.{fmt}"
        # Writing a large file takes seconds of CPU: in a thread, the bot keeps answering
        # (the thread takes the language along with the context).
        write, mime = (_csv, CSV_MIME) if fmt == "csv" else (_xlsx, XLSX_MIME)

        def made() -> OutFile:
            return OutFile(name, write(headers, rows), mime)

        if later:
            return RegisterFile(OutFile.later(made), len(found))
        return RegisterFile(await asyncio.to_thread(made), len(found))

    def _row(self, number: int, entry: RegisterEntry, words: _Words) -> list[object]:
        settings = self._ctx.settings
        petition = entry.petition
        person = entry.identity
        if entry.withheld:
            sender = words.withheld
            address = cccd = phone = ""
        elif person is None:
            sender = words.no_name
            address = cccd = phone = ""
        else:
            sender = person.full_name
            address = person.address or ""
            cccd = id_paper_cell(person.cccd_masked)
            phone = person.phone_masked or ""
        tz = settings.tz
        place = _place_name(settings.province_code, petition.place_code) or \
            petition.place_text or ""
        yes_no = words.yes_no
        values: dict[str, object] = {
            "no": number,
            "code": petition.code,
            "received": petition.received_at.astimezone(tz).date(),
            "source": words.source[petition.source],
            "site": words.sites.get(petition.site_id or "", petition.site_id or ""),
            "sender": sender,
            "address": address,
            "cccd": cccd,
            "phone": phone,
            "type": words.kind[petition.kind],
            "field": words.field[petition.field] if petition.field else "",
            "respondent": petition.respondent,
            "commune": place,
            "content": petition.content,
            "request": petition.request,
            "people": petition.people,
            "group": yes_no[petition.is_group],
            "prior_stage": words.stage[petition.prior_stage],
            "prior_body": petition.prior_body or "",
            "skips_level": yes_no[petition.skips_level],
            "eligible": "" if petition.eligible is None else yes_no[petition.eligible],
            "ineligible_reason": petition.ineligible_reason or "",
            "competence": words.competence[petition.competence] if petition.competence
            else "",
            "chairman": yes_no[petition.chairman_jurisdiction],
            "status": words.status[petition.status],
            "agency": entry.last_agency or "",
            "document": entry.last_document or "",
            "due": petition.due.due_on if petition.due and not petition.status.is_final
            else "",
            "closed": petition.closed_at.astimezone(tz).date() if petition.closed_at else "",
            "result": entry.closing_note or "",
            "assigned": entry.assigned_name or "",
            "case": petition.case_id or "",
        }
        return [values[key] for key, _header in COLUMNS]

    # -- import ----------------------------------------------------------------------------

    async def import_file(self, name: str, content: bytes) -> ImportReport:
        """Import the petitions of an .xlsx or .csv file: all of them, or none.

        Every row is checked first; if any is wrong, the report lists each wrong row with
        its number and reason, and nothing is stored. The caller's transaction holds the
        whole import, so a failure half-way leaves nothing behind either.
        """
        role = self._ctx.actor.role
        if role is not None and not role.is_staff:
            await self._audit.record("access.denied", "petition.import", role=role.value)
            raise PermissionError("only the office's staff import petitions")
        try:
            table = read_rows(name, content)
        except TableError as exc:
            return ImportReport(problems=(ImportProblem(0, _(
                "The file cannot be read: {problem}.").format(
                    problem=table_problem_text(exc.problem))),))
        (_header_number, header), *body = table
        columns, ignored = _match_headers(header)
        missing = [key for key in REQUIRED if key not in columns.values()]
        if missing:
            names = ", ".join(f"«{_(dict(COLUMNS)[key])}»" for key in missing)
            return ImportReport(problems=(ImportProblem(1, _(
                "The first row must name the columns; these required ones are missing: "
                "{names}.").format(names=names)),), ignored_columns=tuple(ignored))
        if len(body) > MAX_IMPORT_ROWS:
            return ImportReport(problems=(ImportProblem(0, _(
                "The file has more than {limit} rows: please split it.").format(
                    limit=MAX_IMPORT_ROWS)),))
        rows = [_Row(number, {columns[i]: value for i, value in enumerate(cells)
                              if i in columns and not _blank(value)})
                for number, cells in body]
        rows = [row for row in rows if row.values]
        parsed: list[tuple[_Row, _Imported]] = []
        problems: list[ImportProblem] = []
        for row in rows:
            result = self._parse(row)
            if isinstance(result, str):
                problems.append(ImportProblem(row.number, result))
            else:
                parsed.append((row, result))
        if problems:
            await self._audit.record("petition.import_refused", name, rows=len(rows),
                                     bad_rows=len(problems))
            return ImportReport(problems=tuple(problems), ignored_columns=tuple(ignored))
        fresh, duplicates = await self._without_duplicates(parsed)
        codes = [await self._store(name, row, item) for row, item in fresh]
        masked_cccd = tuple(
            MaskedCccd(row.number, item.new.identity.cccd_masked if item.new.identity else None)
            for row, item in fresh if item.masked_cccd)
        masked_phones = sum(1 for _row, item in fresh if item.masked_phone)
        await self._audit.record("petition.import", name, rows=len(codes),
                                 duplicates=len(duplicates), masked_cccd=len(masked_cccd),
                                 masked_phones=masked_phones)
        return ImportReport(imported=tuple(codes), ignored_columns=tuple(ignored),
                            duplicates=duplicates, masked_cccd=masked_cccd,
                            masked_phones=masked_phones)

    async def _without_duplicates(self, parsed: Sequence[tuple[_Row, _Imported]]
                                  ) -> tuple[list[tuple[_Row, _Imported]], tuple[int, ...]]:
        """Split the rows into new petitions and those already stored (same day, type,
        concerned body or person, content and sender)."""
        if not parsed:
            return [], ()
        days = [item.received for _row, item in parsed]
        low, high = self._utc_bounds(min(days), max(days))
        tz = self._ctx.settings.tz
        senders: dict[PetitionKey, set[str]] = {}
        for entry in await store.entries(self._ctx.conn, low, high, with_protected=True):
            petition = entry.petition
            key = petition_key(petition.received_at.astimezone(tz).date(), petition.kind,
                               petition.respondent, petition.content)
            senders.setdefault(key, set()).add(
                fold(entry.identity.full_name) if entry.identity else "")
        fresh: list[tuple[_Row, _Imported]] = []
        duplicates: list[int] = []
        for row, item in parsed:
            new = item.new
            known = senders.get(petition_key(item.received, new.kind, new.respondent,
                                             new.content))
            sender = fold(new.identity.full_name) if new.identity else ""
            # A withheld sender (an export by a role that may not see denouncers) may be
            # anyone: the rest of the row decides.
            if known is not None and (item.sender_withheld or sender in known):
                duplicates.append(row.number)
            else:
                fresh.append((row, item))
        return fresh, tuple(duplicates)

    def _parse(self, row: _Row) -> _Imported | str:
        """Return a row's petition, or why it cannot be imported (one reason, the first)."""
        v = row.values
        settings = self._ctx.settings
        today = self._ctx.now.astimezone(settings.tz).date()
        received = _day(v.get("received"))
        if received is None:
            return _("the date received is missing or is not a date (dd/mm/yyyy)")
        if received > today:
            return _("the date received is in the future")
        kind = _enum(v.get("type"), PetitionType, type_label, {
            "kien nghi phan anh": PetitionType.RECOMMENDATION})
        if kind is None:
            return _("the type is missing or unknown (Khiếu nại, Tố cáo, Kiến nghị or Phản ánh)")
        respondent = _text(v.get("respondent"))
        if not respondent:
            return _("the body or person concerned is missing")
        content = _text(v.get("content"))
        if not content:
            return _("the content is missing")
        people = _whole(v.get("people", 1))
        if people is None or people < 1:
            return _("the number of signatories is not a whole number of at least 1")
        status = Status.RECEIVED
        if "status" in v:
            found_status = _enum(v["status"], Status, status_label, _STATUS_WORDS)
            if found_status is None:
                return _("the status is unknown: {value}").format(value=_text(v["status"]))
            status = found_status
        field_value = None
        if "field" in v:
            field_value = _enum(v["field"], Field, field_label)
            if field_value is None:
                return _("the field is unknown: {value}").format(value=_text(v["field"]))
        competence = None
        if "competence" in v:
            competence = _enum(v["competence"], Competence, competence_label)
            if competence is None:
                return _("the competence is unknown: {value}").format(
                    value=_text(v["competence"]))
        stage = PriorStage.NONE
        if "prior_stage" in v:
            found_stage = _enum(v["prior_stage"], PriorStage, stage_label, _STAGE_WORDS)
            if found_stage is None:
                return _("what was handled before is unknown: {value}").format(
                    value=_text(v["prior_stage"]))
            stage = found_stage
        flags: dict[str, bool | None] = {}
        for key in ("skips_level", "eligible", "chairman"):
            flag = _flag(v.get(key))
            if flag is _NOT_A_FLAG:
                return _("«{column}» must be yes or no (Có / Không)").format(
                    column=_(dict(COLUMNS)[key]))
            flags[key] = flag if isinstance(flag, bool) else None
        site = None
        if "site" in v:
            site = _site(settings.sites, _text(v["site"]))
            if site is None:
                return _("the reception site is unknown: {value}").format(value=_text(v["site"]))
        closed = None
        if "closed" in v:
            closed = _day(v["closed"])
            if closed is None:
                return _("the date closed is not a date (dd/mm/yyyy)")
        due_given = None
        if "due" in v:
            due_given = _day(v["due"])
            if due_given is None:
                return _("the deadline is not a date (dd/mm/yyyy)")
        withheld = _placeholder(v.get("sender")) == "withheld"
        person = self._person(v, kind)
        if isinstance(person, str):
            return person
        place_code, place_text = None, None
        if "commune" in v:
            match = _directory(settings.province_code).match(_text(v["commune"]))
            if match.unit is not None:
                place_code = match.unit.code
            else:
                place_text = _text(v["commune"])
        return _Imported(
            new=NewPetition(kind=kind, respondent=respondent, place_code=place_code,
                            place_text=place_text, content=content,
                            request=_text(v.get("request")), prior_stage=stage,
                            prior_body=_text(v.get("prior_body")) or None, people=people,
                            identity=person),
            received=received, status=status, field=field_value, competence=competence,
            eligible=flags["eligible"], ineligible_reason=_text(v.get("ineligible_reason"))
            or None, chairman=bool(flags["chairman"]),
            skips_level=flags["skips_level"], site=site, closed=closed, due=due_given,
            agency=_text(v.get("agency")) or None, document=_text(v.get("document")) or None,
            result=_text(v.get("result")), original=_text(v.get("code")) or None,
            sender_withheld=withheld, masked_cccd=is_masked(_text(v.get("cccd"))),
            masked_phone=is_masked(_text(v.get("phone"))),
        )

    def _person(self, v: dict[str, Any], kind: PetitionType) -> PersonIdentity | str | None:
        # The export writes a word, not a name, where it has none to show.
        name = "" if _placeholder(v.get("sender")) else _text(v.get("sender"))
        phone_text, cccd_text = _text(v.get("phone")), _text(v.get("cccd"))
        if not name:
            if phone_text or cccd_text:
                return _("a phone or CCCD number is given without the sender's name")
            return None
        phone = None
        # A masked number (from an export) is no number: a CCCD keeps its masked form only.
        if phone_text and not is_masked(phone_text):
            parsed = self._identity.phone(phone_text)
            if not isinstance(parsed, Phone):
                return _("the phone number is not valid: {value}").format(value=phone_text)
            phone = parsed
        cccd = None
        if cccd_text and not is_masked(cccd_text):
            checked = self._identity.cccd(cccd_text)
            if not isinstance(checked, Cccd):
                return _("the CCCD number is not valid (12 digits)")
            cccd = checked
        identity = PersonIdentity(full_name=" ".join(name.split()),
                                  phone_e164=phone.e164 if phone else None,
                                  phone_masked=phone.masked if phone else None,
                                  cccd_masked=masked_cccd(cccd_text) if cccd is None else None,
                                  address=_text(v.get("address")) or None)
        return self._identity.protect(identity, cccd)

    async def _store(self, file_name: str, row: _Row, item: _Imported) -> str:
        conn = self._ctx.conn
        settings = self._ctx.settings
        new = item.new
        received_at = datetime.combine(item.received, time(0), settings.tz)
        final = item.status in FINAL
        due = None
        if not final:
            base = receipt_deadline(new.kind, item.received, settings.rules, settings.calendar)
            due = base if item.due is None else Deadline(base.rule_key, base.effective_from,
                                                         item.due)
        closed_at = None
        if final:
            closed_at = datetime.combine(item.closed or item.received, time(0), settings.tz)
        grouped = is_group(new.people, settings.rules, item.received)
        skip = item.skips_level if item.skips_level is not None else skips_level(
            new.kind, new.prior_stage)
        petition_id: int | None = None
        code = ""
        for _attempt in range(MAX_CODE_ATTEMPTS):
            code = new_code(PETITION_PREFIX)
            petition_id = await petition_store.insert_petition(
                conn, code=code, new=new, channel=None, user_id=None, received_at=received_at,
                status=item.status, is_group=grouped, skips_level=skip, due=due,
                repeat_of=None, now=self._ctx.now, source=Source.IMPORT,
                site_id=item.site, closed_at=closed_at)
            if petition_id is not None:
                break
        if petition_id is None:
            raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")
        if new.identity is not None:
            await petition_store.insert_identity(conn, petition_id, new.identity,
                                                 protected=new.kind.identity_protected)
        if item.field is not None or item.competence is not None or item.eligible is not None:
            await processing_store.set_classification(
                conn, petition_id, field=item.field, competence=item.competence,
                eligible=item.eligible, ineligible_reason=item.ineligible_reason,
                chairman=item.chairman, now=self._ctx.now)
        actor = self._ctx.actor
        await petition_store.insert_event(conn, petition_id, PetitionEvent(
            at=closed_at or received_at, actor_channel=actor.channel,
            actor_user_id=actor.user_id, actor_role=actor.role.value if actor.role else None,
            from_status=None, to_status=item.status, note=item.result,
            document_no=item.document, agency=item.agency, due=due))
        with translation(settings.default_language):
            text = _("Imported from {file}, row {row}.").format(file=file_name, row=row.number)
            if item.original:
                text += " " + _("Number in that list: {number}.").format(number=item.original)
        await processing_store.add_note(conn, petition_id, PetitionNote(
            self._ctx.now, actor.channel, actor.user_id, text))
        return code


@dataclass(frozen=True)
class _Words:
    """The register's words in the current language, looked up once per export."""

    source: dict[Source, str]
    kind: dict[PetitionType, str]
    field: dict[Field, str]
    stage: dict[PriorStage, str]
    competence: dict[Competence, str]
    status: dict[Status, str]
    yes_no: dict[bool, str]
    withheld: str
    no_name: str
    sites: dict[str, str]

    @staticmethod
    def now(sites: Sequence[Any]) -> _Words:
        """Return the words in the language in force now."""
        return _Words(
            source={v: source_label(v) for v in Source},
            kind={v: type_label(v) for v in PetitionType},
            field={v: field_label(v) for v in Field},
            stage={v: stage_label(v) for v in PriorStage},
            competence={v: competence_label(v) for v in Competence},
            status={v: status_label(v) for v in Status},
            yes_no={True: _("Yes"), False: _("No")},
            withheld=_(WITHHELD),
            no_name=_(NO_NAME),
            sites={site.id: site.name for site in sites},
        )


@dataclass(frozen=True)
class _Imported:
    new: NewPetition
    received: date
    status: Status
    field: Field | None
    competence: Competence | None
    eligible: bool | None
    ineligible_reason: str | None
    chairman: bool
    skips_level: bool | None
    site: str | None
    closed: date | None
    due: date | None
    agency: str | None
    document: str | None
    result: str
    original: str | None
    sender_withheld: bool  # the export withheld a denouncer's name: the sender is unknown
    masked_cccd: bool  # a masked CCCD number was left out
    masked_phone: bool  # a masked phone number was left out


# -- reading and writing files -------------------------------------------------------------------

def _xlsx(headers: Sequence[str], rows: Iterable[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Petition register"))
    keys = [key for key, _header in COLUMNS]
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 16)
    sheet.freeze_panes = "A2"
    sheet.append(headers)
    for row in rows:
        sheet.append([_date_cell(sheet, value) if isinstance(value, date)
                      else _text_cell(sheet, value) if isinstance(value, str) else value
                      for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _date_cell(sheet: Any, value: date) -> Cell:
    cell = WriteOnlyCell(sheet, value=datetime.combine(value, time(0)))
    cell.number_format = "DD/MM/YYYY"
    return cell


def _text_cell(sheet: Any, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text is text: «=…» typed by a citizen never becomes a formula
    return cell


def _csv(headers: Sequence[str], rows: Iterable[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([f"{value:%d/%m/%Y}" if isinstance(value, date) else csv_text(value)
                         for value in row])
    # With a byte-order mark, Excel opens the file as UTF-8 (Vietnamese letters intact).
    return buffer.getvalue().encode("utf-8-sig")


def _header_names(key: str, header: str) -> set[str]:
    names = {fold_words(key.replace("_", " "))}
    for language in ("vi", "en"):
        with translation(language):
            names.add(fold_words(_(header)))
    return names


def _match_headers(header: Sequence[Any]) -> tuple[dict[int, str], list[str]]:
    known = {name: key for key, title in COLUMNS for name in _header_names(key, title)}
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        text = _text(cell)
        key = known.get(fold_words(text))
        if key is not None and key not in columns.values():
            columns[index] = key
        elif text:
            ignored.append(text)
    return columns, ignored


# -- cell values ---------------------------------------------------------------------------------



def _placeholder(value: Any) -> str | None:
    """Tell which word of the export stands in a sender cell instead of a name, if any."""
    typed = fold_words(_text(value))
    if not typed:
        return None
    for kind, word in (("withheld", WITHHELD), ("none", NO_NAME)):
        for language in ("vi", "en"):
            with translation(language):
                if typed == fold_words(_(word)):
                    return kind
    return None

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isdecimal() else None


_NOT_A_FLAG = object()
_YES = frozenset({"co", "x", "1", "yes", "y", "true", "dung", "phai"})
_NO = frozenset({"khong", "0", "no", "n", "false", "sai"})


def _flag(value: Any) -> bool | object | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    folded = fold_words(_text(value))
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return _NOT_A_FLAG


# How registers kept by hand, and the national database (domain.md §2.6), name statuses.
_STATUS_WORDS = {
    "moi": Status.RECEIVED, "tiep nhan": Status.RECEIVED, "moi tiep nhan": Status.RECEIVED,
    "phan loai": Status.CLASSIFYING, "phan loai xu ly don": Status.CLASSIFYING,
    "luu don": Status.ARCHIVED, "huong dan": Status.GUIDED, "da huong dan": Status.GUIDED,
    "chuyen don": Status.FORWARDED, "da chuyen don": Status.FORWARDED,
    "don doc": Status.CHASED, "don doc giai quyet": Status.CHASED,
    "xem xet thu ly": Status.UNDER_REVIEW, "xem xet thu ly don": Status.UNDER_REVIEW,
    "thu ly": Status.ACCEPTED, "thu ly giai quyet": Status.ACCEPTED,
    "dang giai quyet": Status.ACCEPTED, "khong thu ly": Status.REJECTED,
    "khong du dieu kien thu ly": Status.REJECTED, "xac minh": Status.VERIFYING,
    "gia han": Status.EXTENDED, "tam dinh chi": Status.SUSPENDED,
    "dinh chi": Status.TERMINATED, "da giai quyet": Status.RESOLVED,
    "giai quyet xong": Status.RESOLVED, "ra ket qua giai quyet": Status.RESOLVED,
    "rut don": Status.WITHDRAWN, "rut don cham dut kntc": Status.WITHDRAWN,
    "gop don": Status.MERGED,
}
_STAGE_WORDS = {
    "chua": PriorStage.NONE, "chua giai quyet": PriorStage.NONE,
    "lan dau": PriorStage.FIRST, "lan 1": PriorStage.FIRST, "da giai quyet lan dau":
    PriorStage.FIRST, "lan hai": PriorStage.SECOND, "lan 2": PriorStage.SECOND,
    "da giai quyet lan hai": PriorStage.SECOND, "ban an": PriorStage.COURT,
    "da co ban an": PriorStage.COURT,
}


def _enum(value: Any, kind: type[E], label: Callable[[E], str],
          extra: dict[str, E] | None = None) -> E | None:
    """Return the member of ``kind`` a cell names: its value, or its label in vi or en."""
    typed = fold_words(_text(value))
    if not typed:
        return None
    names: dict[str, E] = dict(extra or {})
    for member in kind:
        names[fold_words(str(member.value).replace("_", " "))] = member
        for language in ("vi", "en"):
            with translation(language):
                names[fold_words(label(member))] = member
    return names.get(typed)


def _site(sites: Sequence[Any], text: str) -> str | None:
    for site in sites:
        if fold(text) in (fold(site.id), fold(site.name)):
            return str(site.id)
    return None


def _place_name(province_code: int, code: int | None) -> str | None:
    if code is None:
        return None
    unit = _directory(province_code).by_code(code)
    return unit.name if unit else None


@cache
def _directory(province_code: int) -> Directory:
    return Directory(province_code)
