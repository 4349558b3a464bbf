"""The day's queue and the reception register (Sổ tiếp công dân): check-in, visits, refusals,
export and import.

Every method checks the role here, not only in the handler: only the office's staff (and
admins) work the queue and write the register; the full CCCD in an export is for admins.
A visit, its case, the petition made on the spot, the booking's status and the leader's day
are written in the caller's transaction, so a register row is never half-made.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.booking import Booking, BookingStatus, DayStatus, ReceptionDay, at
from bot.domain.identity import seal, unseal
from bot.domain.person import PASSPORT_MARK, IdPaper, PersonIdentity
from bot.domain.petitions import PetitionType
from bot.domain.register import (
    MOVE_TARGET,
    HeaderError,
    ImportContext,
    ImportedRow,
    MaskedCccd,
    MoveRefusal,
    QueueEntry,
    QueueMove,
    QueuePage,
    ReceptionMode,
    RefusalGround,
    RowError,
    Visit,
    VisitEntry,
    check_move,
    ground_by_key,
    grounds_on,
    is_mass_delegation,
    read_headers,
    read_row,
    refusal_cell,
    register_cells,
    visit_key,
)
from bot.domain.text import fold
from bot.domain.users import Role
from bot.services.audit import AuditService
from bot.services.bookings import BookingService
from bot.services.context import ServiceContext
from bot.services.identity import IdentityService, id_paper_cell
from bot.services.petitions import PetitionService
from bot.services.refusal_grounds import REFUSAL_GROUNDS
from bot.services.register_files import (
    FileFormat,
    TableError,
    TableProblem,
    read_table,
    write,
)
from bot.services.shield import ShieldService
from bot.storage import bookings as booking_store
from bot.storage import register as store

REGISTER_ROLES = frozenset({Role.STAFF, Role.ADMIN})
QUEUE_PAGE_SIZE = 8
EARLIER_SHOWN = 3
OPEN_STATUSES = frozenset({BookingStatus.BOOKED, BookingStatus.ARRIVED,
                           BookingStatus.BEING_RECEIVED})


@dataclass(frozen=True)
class MoveRefused:
    """A queue tap that was not applied, why, and the booking as it stands."""

    reason: MoveRefusal
    booking: Booking | None = None


class RecordProblem(StrEnum):
    """Why a register entry was not saved."""

    BOOKING_CLOSED = "booking_closed"  # recorded already, cancelled or a no-show meanwhile
    UNKNOWN_GROUND = "unknown_ground"
    NOTICE_MISSING = "notice_missing"
    NOTE_MISSING = "note_missing"
    FUTURE_DAY = "future_day"
    UNKNOWN_SITE = "unknown_site"
    PETITION_IDENTITY = "petition_identity"  # a complaint or denunciation needs name, address


class RecordError(ValueError):
    """A register entry the rules do not allow; ``problem`` says which rule."""

    def __init__(self, problem: RecordProblem, serial: int | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.serial = serial


@dataclass(frozen=True)
class Recorded:
    """A saved register row, and the petition made on the spot, if any."""

    visit: Visit
    petition_code: str | None
    day_held: bool  # the entry was the first of a leader's day, now marked held
    # The petition made has a phone to check a lookup by: it can be followed in the chat.
    petition_phone: bool = False


@dataclass(frozen=True)
class ExportFile:
    """An exported register: its name, bytes and MIME type, and how many rows it has."""

    filename: str
    content: bytes
    mime_type: str
    rows: int


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows imported, or the problems that stopped it (nothing written).

    Rows already in the register (same site, day, name and summary) are skipped, not
    refused: importing a register that has grown since, or the same file twice, then adds
    only what is new. ``duplicates`` are their row numbers.
    """

    imported: int = 0
    header_errors: tuple[HeaderError, ...] = ()
    row_errors: tuple[RowError, ...] = ()
    file_problem: TableProblem | None = None
    years: tuple[int, ...] = field(default=())
    duplicates: tuple[int, ...] = ()
    masked_cccd: tuple[MaskedCccd, ...] = ()  # rows imported without their full CCCD number

    @property
    def ok(self) -> bool:
        """Tell whether the rows were imported."""
        return not (self.header_errors or self.row_errors or self.file_problem)


def _texts(entry: VisitEntry) -> tuple[str | None, ...]:
    return (entry.summary, entry.notes, entry.guidance, entry.handled_by,
            entry.result_followup)


class RegisterService:
    """Work the day's queue and keep the reception register."""

    def __init__(self, ctx: ServiceContext, audit: AuditService, bookings: BookingService,
                 petitions: PetitionService, identity: IdentityService) -> None:
        self._ctx = ctx
        self._audit = audit
        self._bookings = bookings
        self._petitions = petitions
        self._identity = identity
        self._shield = ShieldService(ctx, audit)

    # -- time, sites and checks ---------------------------------------------------------

    @property
    def today(self) -> date:
        """Today in the office's time zone."""
        return self._ctx.now.astimezone(self._ctx.settings.tz).date()

    def site_ids(self) -> tuple[str, ...]:
        """Return the ids of the configured reception sites."""
        return tuple(site.id for site in self._ctx.settings.sites)

    def local_day(self, moment: datetime) -> date:
        """Return the office's calendar day of a UTC time."""
        return moment.astimezone(self._ctx.settings.tz).date()

    async def _require(self, what: str, roles: frozenset[Role] = REGISTER_ROLES) -> None:
        role = self._ctx.actor.role
        if role is None or role not in roles:
            await self._audit.record("access.denied", what, role=role.value if role else None)
            raise PermissionError(f"role {role} may not do {what}")

    @property
    def _key(self) -> bytes:
        key = self._ctx.settings.secret_key.value
        if not key:
            raise RuntimeError("TIEPDAN_SECRET_KEY is not set")
        return key.encode("utf-8")

    # -- the day's queue --------------------------------------------------------------------

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        zone = self._ctx.settings.tz
        return at(day, time(0), zone), at(day + timedelta(days=1), time(0), zone)

    async def queue(self, day: date, site_id: str, page: int = 0) -> QueuePage:
        """Return one page of a site's bookings on ``day``, in time order."""
        await self._require("register.queue")
        conn = self._ctx.conn
        start, end = self._day_bounds(day)
        counts = await store.queue_counts(conn, site_id, start, end)
        total = sum(counts.values())
        refused = await store.queue_refusals(conn, site_id, start, end)
        if refused:
            # A refusal closes its booking as done; it is told apart, not counted as received.
            counts[BookingStatus.DONE] = counts.get(BookingStatus.DONE, 0) - len(refused)
        pages = max(1, math.ceil(total / QUEUE_PAGE_SIZE))
        page = min(max(0, page), pages - 1)
        ids = await store.queue_booking_ids(conn, site_id, start, end, limit=QUEUE_PAGE_SIZE,
                                            offset=page * QUEUE_PAGE_SIZE)
        bookings = await store.queue_bookings(conn, ids)
        entries = [replace(entry, refused=entry.booking.id in refused) for entry in
                   await self._entries(bookings, where=f"queue:{site_id}:{day.isoformat()}")]
        return QueuePage(day=day, site_id=site_id, page=page, pages=pages, total=total,
                         entries=tuple(entries), by_status=counts,
                         recorded_today=await store.count_on(conn, site_id, day),
                         refused=len(refused))

    async def _entries(self, bookings: Sequence[Booking], *, where: str) -> list[QueueEntry]:
        """Return the bookings as staff see them: a denouncer's petition is never named.

        A booking names the booker; the petition linked to it (or a code in its matter) is
        withheld when it is a protected one and the reader may not see denouncers.
        """
        serials = await store.serials_of_bookings(self._ctx.conn, [b.id for b in bookings])
        shield = await self._shield.shield(
            [text for b in bookings for text in (b.petition_code, b.topic, b.details)],
            where=where)
        entries = []
        for booking in bookings:
            no_shows = await self._bookings.no_show_count(
                booking.channel, booking.user_id, booking.identity.cccd_digest)
            day = self.local_day(booking.slot.starts_at)
            entries.append(QueueEntry(
                booking=replace(booking, topic=shield.text(booking.topic),
                                details=shield.text(booking.details) if booking.details
                                else None,
                                petition_code=shield.code(booking.petition_code)),
                no_shows=no_shows,
                mass_delegation=is_mass_delegation(booking.people, self._ctx.settings.rules,
                                                   day),
                register_serial=serials.get(booking.id),
                petition_withheld=shield.withholds(booking.petition_code)))
        return entries

    async def booking(self, booking_id: int) -> QueueEntry | None:
        """Return one booking of the queue as staff see it (staff only)."""
        await self._require("register.booking")
        booking = await booking_store.get_booking(self._ctx.conn, booking_id)
        if booking is None:
            return None
        return (await self._entries([booking], where=f"booking:{booking.code}"))[0]

    async def petition_withheld(self, code: str | None, *, where: str) -> bool:
        """Tell whether the petition ``code``, linked beside a named citizen, is withheld."""
        await self._require("register.petition")
        shield = await self._shield.shield([code], where=where)
        return shield.withholds(code)

    async def check(self, booking_id: int, move: QueueMove) -> Booking | MoveRefused:
        """Tell whether ``move`` may apply to the booking now; return the booking if so."""
        await self._require(f"register.move:{move.value}")
        booking = await booking_store.get_booking(self._ctx.conn, booking_id)
        if booking is None:
            return MoveRefused(MoveRefusal.NOT_FOUND)
        refusal = check_move(booking, move, now=self._ctx.now, today=self.today,
                             day=self.local_day(booking.slot.starts_at))
        return booking if refusal is None else MoveRefused(refusal, booking)

    async def move(self, booking_id: int, move: QueueMove) -> Booking | MoveRefused:
        """Mark a booking arrived, being received or a no-show (done comes with the entry)."""
        checked = await self.check(booking_id, move)
        if isinstance(checked, MoveRefused) or move is QueueMove.DONE:
            return checked
        moved = await self._bookings.record_status(checked.code, MOVE_TARGET[move])
        return moved if moved is not None else MoveRefused(MoveRefusal.NOT_FOUND)

    # -- what a register entry starts from -------------------------------------------------

    async def prefill(self, booking: Booking) -> VisitEntry:
        """Return the register entry a booking already fills: who, what, when, where."""
        await self._require("register.prefill")
        day: ReceptionDay | None = None
        if booking.slot.day_id is not None:
            day = await booking_store.get_day(self._ctx.conn, booking.slot.day_id)
        leader = self._ctx.settings.leader(day.leader_id) if day is not None else None
        petition_id = None
        if booking.petition_code:
            petition_id = await store.petition_id_by_code(self._ctx.conn,
                                                          booking.petition_code)
        # The matter is written into the register as staff may read it.
        shield = await self._shield.shield([booking.topic], where=f"booking:{booking.code}")
        return VisitEntry(
            site_id=booking.slot.site_id, received_on=self.local_day(booking.slot.starts_at),
            mode=ReceptionMode.LEADER if day is not None else ReceptionMode.REGULAR,
            people=booking.people, identity=booking.identity,
            summary=shield.text(booking.topic),
            leader_id=day.leader_id if day is not None else None,
            leader_title=leader.title if leader is not None else None,
            reception_day_id=day.id if day is not None else None, booking_id=booking.id,
            petition_id=petition_id,
        )

    async def leader_days(self, site_id: str, day: date) -> list[ReceptionDay]:
        """Return the leaders' days held or to be held at a site on ``day``."""
        await self._require("register.leader_days")
        days = await booking_store.days_on(self._ctx.conn, day)
        return [d for d in days if d.site_id == site_id
                and d.status in (DayStatus.SCHEDULED, DayStatus.HELD)]

    async def earlier_visits(self, identity: PersonIdentity) -> list[Visit]:
        """Return the latest visits by the same CCCD or phone (for staff to link a case)."""
        await self._require("register.earlier")
        return await store.earlier_visits(self._ctx.conn, identity.cccd_digest,
                                          identity.phone_e164, EARLIER_SHOWN)

    async def petition_id(self, code: str) -> int | None:
        """Return the id of the petition with ``code`` (staff only)."""
        await self._require("register.petition")
        return await store.petition_id_by_code(self._ctx.conn, code)

    def grounds(self, on: date) -> list[RefusalGround]:
        """Return the grounds for refusing reception in force on ``on``."""
        return grounds_on(REFUSAL_GROUNDS, on)

    def ground(self, key: str | None) -> RefusalGround | None:
        """Return a refusal ground by its key."""
        return ground_by_key(REFUSAL_GROUNDS, key) if key else None

    def is_mass_delegation(self, people: int, on: date) -> bool:
        """Tell whether ``people`` received together on ``on`` form a mass delegation."""
        return is_mass_delegation(people, self._ctx.settings.rules, on)

    # -- recording ---------------------------------------------------------------------------

    def _check_refusal(self, entry: VisitEntry) -> None:
        if not entry.refused:
            return
        ground = self.ground(entry.refusal_ground)
        if ground is None or not ground.applies_on(entry.received_on):
            raise RecordError(RecordProblem.UNKNOWN_GROUND)
        if ground.needs_notice and not (entry.refusal_doc_no or "").strip():
            raise RecordError(RecordProblem.NOTICE_MISSING)
        if ground.needs_note and not (entry.notes or "").strip():
            raise RecordError(RecordProblem.NOTE_MISSING)

    async def record(self, entry: VisitEntry,
                     new_petition: PetitionType | None = None) -> Recorded:
        """Save a register row (a reception or a refusal); make the petition handed in.

        The booking it comes from is marked done, the first row of a leader's day marks the
        day held, and a visit on the same matter as an earlier one joins its case.
        """
        await self._require("register.record")
        conn = self._ctx.conn
        now = self._ctx.now
        if entry.site_id not in self.site_ids():
            raise RecordError(RecordProblem.UNKNOWN_SITE)
        if entry.received_on > self.today:
            raise RecordError(RecordProblem.FUTURE_DAY)
        self._check_refusal(entry)
        booking = None
        if entry.booking_id is not None:
            booking = await booking_store.get_booking(conn, entry.booking_id)
            serials = await store.serials_of_bookings(conn, [entry.booking_id])
            if booking is None or booking.status not in OPEN_STATUSES or serials:
                raise RecordError(RecordProblem.BOOKING_CLOSED,
                                  serials.get(entry.booking_id))
        case_id, visit_number = await self._case_for(entry)
        petition_code = None
        if new_petition is not None and not entry.refused:
            try:
                petition = await self._petitions.file_at_visit(
                    kind=new_petition, identity=entry.identity, summary=entry.summary,
                    prior_body=entry.prior_body, people=entry.people, site_id=entry.site_id,
                    case_id=case_id, received_at=now)
            except ValueError as exc:
                raise RecordError(RecordProblem.PETITION_IDENTITY) from exc
            entry = replace(entry, petition_id=petition.id)
            petition_code = petition.code
        serial = await store.next_serial(conn, entry.site_id, entry.received_on.year)
        actor = self._ctx.actor
        visit_id = await store.insert_visit(
            conn, entry, serial=serial, received_at=now,
            is_mass_delegation=self.is_mass_delegation(entry.people, entry.received_on),
            case_id=case_id, visit_number=visit_number,
            recorded_by=(actor.channel, actor.user_id), source="chat", now=now)
        if booking is not None:
            await self._bookings.record_status(booking.code, BookingStatus.DONE)
        held = await self._hold_day(entry.reception_day_id)
        visit = await store.get_visit(conn, visit_id)
        assert visit is not None  # noqa: S101 - inserted above, same transaction
        await self._audit.record(
            "register.refusal" if entry.refused else "register.visit", f"visit:{visit_id}",
            site=entry.site_id, serial=serial, day=entry.received_on.isoformat(),
            booking=booking.code if booking else None, ground=entry.refusal_ground,
            document_no=entry.refusal_doc_no, petition=petition_code, case=case_id)
        return Recorded(visit=visit, petition_code=petition_code, day_held=held,
                        petition_phone=petition_code is not None
                        and bool(entry.identity.phone_e164))

    async def _case_for(self, entry: VisitEntry) -> tuple[int | None, int]:
        if entry.same_case_as is None:
            return None, 1
        conn = self._ctx.conn
        earlier = await store.get_visit(conn, entry.same_case_as)
        if earlier is None:
            return None, 1
        case_id = earlier.case_id
        if case_id is None:
            case_id = await store.insert_case(conn, earlier.entry.summary[:200], self._ctx.now)
            await store.set_visit_case(conn, earlier.id, case_id, self._ctx.now)
        return case_id, await store.last_visit_number(conn, case_id) + 1

    async def _hold_day(self, day_id: int | None) -> bool:
        if day_id is None:
            return False
        day = await booking_store.get_day(self._ctx.conn, day_id)
        if day is None or day.status is not DayStatus.SCHEDULED:
            return False
        await booking_store.set_day_status(self._ctx.conn, day.id, DayStatus.HELD,
                                           self._ctx.now)
        await self._audit.record("reception_day.held", str(day.id), day=day.day.isoformat())
        return True

    # -- export ---------------------------------------------------------------------------

    async def export(self, first: date, last: date, site_id: str | None,
                     fmt: FileFormat = FileFormat.XLSX, *, full_cccd: bool = False
                     ) -> ExportFile:
        """Return the register from ``first`` to ``last`` (one site, or all) as a file.

        CCCD numbers are masked; an admin may ask for them in full, which is audited.
        """
        await self._require("register.export")
        if full_cccd:
            await self._require("register.export_full_cccd", frozenset({Role.ADMIN}))
        if site_id is not None and site_id not in self.site_ids():
            raise RecordError(RecordProblem.UNKNOWN_SITE)
        visits = await self._shown(await store.visits_between(self._ctx.conn, first, last,
                                                              site_id),
                                   where=f"register.export:{site_id or 'all'}")
        rows = [register_cells(visit, cccd=self._cccd_cell(visit, full_cccd),
                               refusal=refusal_cell(self.ground(visit.entry.refusal_ground),
                                                    visit.entry.refusal_ground,
                                                    visit.entry.refusal_doc_no))
                for visit in visits]
        await self._audit.record("register.export", site_id or "all", first=first.isoformat(),
                                 last=last.isoformat(), format=fmt.value, rows=len(rows),
                                 full_cccd=full_cccd)
        where = f"_{site_id}" if site_id else ""
        name = f"so-tiep-cong-dan{where}_{first.isoformat()}_{last.isoformat()}.{fmt.value}"
        return ExportFile(filename=name, content=write(fmt, rows), mime_type=fmt.mime_type,
                          rows=len(rows))

    async def _shown(self, visits: Sequence[Visit], *, where: str) -> list[Visit]:
        """Return register rows with a denouncer's petition code withheld from their texts."""
        shield = await self._shield.shield(
            [text for v in visits for text in _texts(v.entry)], where=where)
        if not shield.hidden:
            return list(visits)
        return [replace(v, entry=replace(
            v.entry, summary=shield.text(v.entry.summary),
            notes=shield.text(v.entry.notes) if v.entry.notes else None,
            guidance=shield.text(v.entry.guidance) if v.entry.guidance else None,
            handled_by=shield.text(v.entry.handled_by) if v.entry.handled_by else None,
            result_followup=(shield.text(v.entry.result_followup)
                             if v.entry.result_followup else None)))
            for v in visits]

    def _cccd_cell(self, visit: Visit, full: bool) -> str:
        identity = visit.entry.identity
        if full and identity.cccd_sealed:
            number = unseal(identity.cccd_sealed, self._key)
            if identity.paper is IdPaper.PASSPORT:
                return id_paper_cell(PASSPORT_MARK + number)
            return number
        return id_paper_cell(identity.cccd_masked)

    # -- import ----------------------------------------------------------------------------

    async def import_file(self, filename: str, content: bytes, site_id: str) -> ImportResult:
        """Import an existing register (.xlsx or .csv, the export's columns) into a site.

        Every row is checked first; if any is wrong, nothing is written and each problem is
        returned with its row number. Imported rows continue each year's STT numbering.
        """
        await self._require("register.import")
        if site_id not in self.site_ids():
            raise RecordError(RecordProblem.UNKNOWN_SITE)
        try:
            table = read_table(filename, content)
        except TableError as exc:
            return ImportResult(file_problem=exc.problem)
        where = read_headers(table[0][1])
        if isinstance(where, list):
            return ImportResult(header_errors=tuple(where))
        settings = self._ctx.settings
        context = ImportContext(
            site_id=site_id, today=self.today, rules=settings.rules, grounds=REFUSAL_GROUNDS,
            leaders={fold(leader.title): leader.id for leader in settings.leaders})
        checked: list[ImportedRow] = []
        errors: list[RowError] = []
        for number, cells in table[1:]:
            row = read_row(number, cells, where, context)
            if isinstance(row, RowError):
                errors.append(row)
            elif row is not None:
                checked.append(row)
        if errors:
            return ImportResult(row_errors=tuple(errors))
        fresh, duplicates = await self._without_duplicates(site_id, checked)
        await self._store_imported(fresh)
        years = tuple(sorted({row.entry.received_on.year for row in fresh}))
        masked = tuple(MaskedCccd(row.row, row.cccd_masked) for row in fresh
                       if row.masked_cccd)
        await self._audit.record("register.import", site_id, rows=len(fresh),
                                 file=filename[:100], years=list(years),
                                 duplicates=len(duplicates), masked_cccd=len(masked))
        return ImportResult(imported=len(fresh), years=years, duplicates=duplicates,
                            masked_cccd=masked)

    async def _without_duplicates(self, site_id: str, rows: Sequence[ImportedRow]
                                  ) -> tuple[list[ImportedRow], tuple[int, ...]]:
        """Split the rows into those not yet in the site's register and those already in."""
        if not rows:
            return [], ()
        days = [row.entry.received_on for row in rows]
        stored = await store.visits_between(self._ctx.conn, min(days), max(days), site_id)
        present = {visit_key(visit.entry) for visit in stored}
        fresh = [row for row in rows if visit_key(row.entry) not in present]
        return fresh, tuple(row.row for row in rows if visit_key(row.entry) in present)

    async def _store_imported(self, rows: Sequence[ImportedRow]) -> None:
        conn = self._ctx.conn
        now = self._ctx.now
        actor = self._ctx.actor
        serials: dict[tuple[str, int], int] = {}
        for row in rows:
            entry = row.entry
            identity = entry.identity
            if row.cccd is not None:
                identity = replace(identity, cccd_digest=self._identity.digest(row.cccd),
                                   cccd_masked=row.cccd.masked,
                                   cccd_sealed=seal(row.cccd.number, self._key))
            elif row.cccd_masked is not None:
                identity = replace(identity, cccd_masked=row.cccd_masked)
            entry = replace(entry, identity=identity)
            year_key = (entry.site_id, entry.received_on.year)
            if year_key not in serials:
                serials[year_key] = await store.next_serial(conn, *year_key)
            else:
                serials[year_key] += 1
            await store.insert_visit(
                conn, entry, serial=serials[year_key], received_at=now,
                is_mass_delegation=row.mass_delegation,
                case_id=None, visit_number=entry.visit_number,
                recorded_by=(actor.channel, actor.user_id), source="import", now=now)

