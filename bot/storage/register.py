"""The reception register: visits (Sổ tiếp công dân rows), cases, and the day's queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.booking import Booking, BookingStatus
from bot.domain.identity import Phone
from bot.domain.person import PersonIdentity
from bot.domain.petitions import PetitionType
from bot.domain.register import ReceptionMode, Visit, VisitEntry
from bot.domain.text import fold
from bot.storage import bookings as booking_store
from bot.storage.database import Connection, Row, from_db, to_db

_VISIT_COLUMNS = (
    "v.id, v.site_id, v.serial, v.received_on, v.received_at, v.mode, v.leader_id, "
    "v.leader_title, v.reception_day_id, v.booking_id, v.petition_id, v.case_id, "
    "v.visit_number, v.people, v.is_mass_delegation, v.police_coordination, v.full_name, "
    "v.address, v.phone_e164, v.cccd_digest, v.cccd_masked, v.cccd_sealed, v.summary, "
    "v.petition_type, v.prior_body, v.within_competence, v.guidance, v.guidance_doc_no, "
    "v.handled_by, v.forward_doc_no, v.result_followup, v.notes, v.refused, v.refusal_ground, "
    "v.refusal_doc_no, v.source, p.code AS petition_code"
)
_FROM = "FROM visits v LEFT JOIN petitions p ON p.id = v.petition_id"


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _visit(r: Row) -> Visit:
    phone = r["phone_e164"]
    entry = VisitEntry(
        site_id=r["site_id"], received_on=date.fromisoformat(r["received_on"]),
        mode=ReceptionMode(r["mode"]), people=r["people"],
        identity=PersonIdentity(
            full_name=r["full_name"], phone_e164=phone,
            phone_masked=Phone(phone).masked if phone else None,
            cccd_digest=r["cccd_digest"], cccd_masked=r["cccd_masked"],
            cccd_sealed=r["cccd_sealed"], address=r["address"]),
        summary=r["summary"], leader_id=r["leader_id"], leader_title=r["leader_title"],
        reception_day_id=r["reception_day_id"], booking_id=r["booking_id"],
        petition_id=r["petition_id"], police_coordination=bool(r["police_coordination"]),
        petition_type=PetitionType(r["petition_type"]) if r["petition_type"] else None,
        prior_body=r["prior_body"], within_competence=_flag(r["within_competence"]),
        guidance=r["guidance"], guidance_doc_no=r["guidance_doc_no"],
        handled_by=r["handled_by"], forward_doc_no=r["forward_doc_no"],
        result_followup=r["result_followup"], notes=r["notes"], refused=bool(r["refused"]),
        refusal_ground=r["refusal_ground"], refusal_doc_no=r["refusal_doc_no"],
        visit_number=r["visit_number"],
    )
    return Visit(id=r["id"], serial=r["serial"], received_at=from_db(r["received_at"]),
                 is_mass_delegation=bool(r["is_mass_delegation"]), case_id=r["case_id"],
                 visit_number=r["visit_number"], entry=entry,
                 petition_code=r["petition_code"], source=r["source"])


# -- the day's queue ----------------------------------------------------------------------------


async def queue_booking_ids(conn: Connection, site_id: str, start: datetime, end: datetime,
                            *, limit: int, offset: int) -> list[int]:
    """Return the ids of a site's bookings starting in [start, end), in time order."""
    rows = await conn.execute_fetchall(
        "SELECT id FROM bookings WHERE site_id = ? AND starts_at >= ? AND starts_at < ? "
        "ORDER BY starts_at, id LIMIT ? OFFSET ?",
        (site_id, to_db(start), to_db(end), limit, offset))
    return [int(r["id"]) for r in rows]


async def queue_bookings(conn: Connection, ids: Sequence[int]) -> list[Booking]:
    """Return the bookings with ``ids``, in that order."""
    found: list[Booking] = []
    for booking_id in ids:
        booking = await booking_store.get_booking(conn, booking_id)
        if booking is not None:
            found.append(booking)
    return found


async def queue_counts(conn: Connection, site_id: str, start: datetime,
                       end: datetime) -> dict[BookingStatus, int]:
    """Return how many of a site's bookings in [start, end) are in each status."""
    rows = await conn.execute_fetchall(
        "SELECT status, COUNT(*) AS n FROM bookings WHERE site_id = ? AND starts_at >= ? "
        "AND starts_at < ? GROUP BY status", (site_id, to_db(start), to_db(end)))
    return {BookingStatus(r["status"]): int(r["n"]) for r in rows}


async def queue_refusals(conn: Connection, site_id: str, start: datetime,
                         end: datetime) -> set[int]:
    """Return the ids of a site's bookings in [start, end) whose reception was refused."""
    rows = await conn.execute_fetchall(
        "SELECT b.id FROM bookings b JOIN visits v ON v.booking_id = b.id "
        "WHERE b.site_id = ? AND b.starts_at >= ? AND b.starts_at < ? AND v.refused = 1",
        (site_id, to_db(start), to_db(end)))
    return {int(r["id"]) for r in rows}


async def serials_of_bookings(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    """Return the register serial recorded for each of the bookings ``ids`` that has one."""
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    rows = await conn.execute_fetchall(
        f"SELECT booking_id, serial FROM visits WHERE booking_id IN ({marks})",  # noqa: S608 - placeholders only
        list(ids))
    return {int(r["booking_id"]): int(r["serial"]) for r in rows}


async def count_on(conn: Connection, site_id: str, day: date) -> int:
    """Return how many register rows a site has on ``day``."""
    rows = list(await conn.execute_fetchall(
        "SELECT COUNT(*) AS n FROM visits WHERE received_on = ? AND site_id = ?",
        (day.isoformat(), site_id)))
    return int(rows[0]["n"])


# -- visits ---------------------------------------------------------------------------------


async def next_serial(conn: Connection, site_id: str, year: int) -> int:
    """Return the next STT of a site in a calendar year."""
    rows = list(await conn.execute_fetchall(
        "SELECT MAX(serial) AS n FROM visits WHERE site_id = ? AND substr(received_on, 1, 4) = ?",
        (site_id, f"{year:04d}")))
    return int(rows[0]["n"] or 0) + 1


async def insert_visit(conn: Connection, entry: VisitEntry, *, serial: int,
                       received_at: datetime, is_mass_delegation: bool, case_id: int | None,
                       visit_number: int, recorded_by: tuple[str | None, str | None],
                       source: str, now: datetime) -> int:
    """Store a register row; return its id."""
    identity = entry.identity
    kind = entry.petition_type.value if entry.petition_type else None
    competence = None if entry.within_competence is None else int(entry.within_competence)
    rows = list(await conn.execute_fetchall(
        """
        INSERT INTO visits (site_id, serial, received_on, received_at, mode, leader_id,
                            leader_title, reception_day_id, booking_id, petition_id, case_id,
                            visit_number, people, is_mass_delegation, police_coordination,
                            full_name, name_folded, address, phone_e164, cccd_digest,
                            cccd_masked, cccd_sealed, summary, petition_type, prior_body,
                            within_competence, guidance, guidance_doc_no, handled_by,
                            forward_doc_no, result_followup, notes, refused, refusal_ground,
                            refusal_doc_no, recorded_by_channel, recorded_by_user_id, source,
                            created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING id
        """,
        (entry.site_id, serial, entry.received_on.isoformat(), to_db(received_at),
         entry.mode.value, entry.leader_id, entry.leader_title, entry.reception_day_id,
         entry.booking_id, entry.petition_id, case_id, visit_number, entry.people,
         int(is_mass_delegation), int(entry.police_coordination), identity.full_name,
         fold(identity.full_name), identity.address, identity.phone_e164,
         identity.cccd_digest, identity.cccd_masked, identity.cccd_sealed, entry.summary, kind,
         entry.prior_body, competence, entry.guidance, entry.guidance_doc_no, entry.handled_by,
         entry.forward_doc_no, entry.result_followup, entry.notes, int(entry.refused),
         entry.refusal_ground, entry.refusal_doc_no, recorded_by[0], recorded_by[1], source,
         to_db(now), to_db(now)),
    ))
    return int(rows[0]["id"])


async def get_visit(conn: Connection, visit_id: int) -> Visit | None:
    """Return one register row."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_VISIT_COLUMNS} {_FROM} WHERE v.id = ?", (visit_id,)))
    return _visit(rows[0]) if rows else None


async def earlier_visits(conn: Connection, cccd_digest: str | None, phone_e164: str | None,
                         limit: int) -> list[Visit]:
    """Return the latest visits by the same CCCD digest or phone, newest first."""
    if cccd_digest is None and phone_e164 is None:
        return []
    # A UNION keeps each side on its own index (an OR would scan the table).
    rows = await conn.execute_fetchall(
        f"""
        SELECT {_VISIT_COLUMNS} {_FROM} WHERE v.id IN (
            SELECT id FROM visits WHERE cccd_digest = ?
            UNION SELECT id FROM visits WHERE phone_e164 = ?)
        ORDER BY v.received_on DESC, v.id DESC LIMIT ?
        """,  # noqa: S608 - constant clauses
        (cccd_digest, phone_e164, limit))
    return [_visit(r) for r in rows]


async def visits_between(conn: Connection, first: date, last: date,
                         site_id: str | None) -> list[Visit]:
    """Return the register rows received from ``first`` to ``last`` (inclusive), in order."""
    sql = f"SELECT {_VISIT_COLUMNS} {_FROM} WHERE v.received_on >= ? AND v.received_on <= ?"
    params: list[object] = [first.isoformat(), last.isoformat()]
    if site_id is not None:
        sql += " AND v.site_id = ?"
        params.append(site_id)
    rows = await conn.execute_fetchall(sql + " ORDER BY v.received_on, v.site_id, v.serial",
                                       params)
    return [_visit(r) for r in rows]


# -- cases (vụ việc) --------------------------------------------------------------------------


async def insert_case(conn: Connection, title: str, now: datetime) -> int:
    """Store a new case; return its id."""
    rows = list(await conn.execute_fetchall(
        "INSERT INTO cases (title, created_at) VALUES (?, ?) RETURNING id", (title, to_db(now))))
    return int(rows[0]["id"])


async def set_visit_case(conn: Connection, visit_id: int, case_id: int, now: datetime) -> None:
    """Put a register row in a case."""
    await conn.execute("UPDATE visits SET case_id = ?, updated_at = ? WHERE id = ?",
                       (case_id, to_db(now), visit_id))


async def last_visit_number(conn: Connection, case_id: int) -> int:
    """Return the highest visit number recorded for a case."""
    rows = list(await conn.execute_fetchall(
        "SELECT MAX(visit_number) AS n FROM visits WHERE case_id = ?", (case_id,)))
    return int(rows[0]["n"] or 0)


# -- petitions filed at a visit --------------------------------------------------------------


async def mark_petition_from_visit(conn: Connection, petition_id: int, *, site_id: str,
                                   case_id: int | None, full_name: str | None,
                                   phone_e164: str | None) -> None:
    """Record that a petition was handed in at a reception: its source, site, case, sender."""
    await conn.execute(
        "UPDATE petitions SET source = 'visit', site_id = ?, case_id = ?, name_folded = ?, "
        "phone_e164 = ? WHERE id = ?",
        (site_id, case_id, fold(full_name) if full_name else None, phone_e164, petition_id))


async def petition_id_by_code(conn: Connection, code: str) -> int | None:
    """Return the id of the petition with ``code``."""
    rows = list(await conn.execute_fetchall("SELECT id FROM petitions WHERE code = ?", (code,)))
    return int(rows[0]["id"]) if rows else None
