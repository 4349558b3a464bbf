"""Staff search over petitions, a denouncer's protected identity, bookings and the register."""

from __future__ import annotations

from datetime import date

from bot.domain.identity import Phone
from bot.domain.petitions import Petition
from bot.domain.processing import BookingHit, VisitHit, prefix_bounds
from bot.storage import petitions as petition_store
from bot.storage.database import Connection, Row, from_db

# -- petitions ------------------------------------------------------------------------------------


async def _petitions(conn: Connection, sql: str, params: tuple[object, ...]) -> list[Petition]:
    rows = await conn.execute_fetchall(sql, params)
    return await petition_store.get_many(conn, [int(r["id"]) for r in rows])


async def petitions_by_phone(conn: Connection, phone_e164: str, limit: int) -> list[Petition]:
    """Return the petitions (not denunciations) whose sender gave ``phone_e164``."""
    return await _petitions(
        conn, "SELECT id FROM petitions WHERE phone_e164 = ? ORDER BY id DESC LIMIT ?",
        (phone_e164, limit))


async def petitions_by_cccd(conn: Connection, digest: str, limit: int) -> list[Petition]:
    """Return the petitions (not denunciations) whose sender has the CCCD ``digest``."""
    return await _petitions(
        conn, "SELECT petition_id AS id FROM petition_identities WHERE cccd_digest = ? "
        "ORDER BY petition_id DESC LIMIT ?", (digest, limit))


async def petitions_by_name(conn: Connection, prefix: str, limit: int) -> list[Petition]:
    """Return the petitions (not denunciations) whose sender's folded name starts so."""
    low, high = prefix_bounds(prefix)
    return await _petitions(
        conn, "SELECT id FROM petitions WHERE name_folded >= ? AND name_folded < ? "
        "ORDER BY name_folded, id DESC LIMIT ?", (low, high, limit))


async def denunciations_by_phone(conn: Connection, phone_e164: str,
                                 limit: int) -> list[Petition]:
    """Return the petitions whose protected sender gave ``phone_e164``."""
    return await _petitions(
        conn, "SELECT petition_id AS id FROM denouncer_identities WHERE phone_e164 = ? "
        "ORDER BY petition_id DESC LIMIT ?", (phone_e164, limit))


async def denunciations_by_cccd(conn: Connection, digest: str, limit: int) -> list[Petition]:
    """Return the petitions whose protected sender has the CCCD ``digest``."""
    return await _petitions(
        conn, "SELECT petition_id AS id FROM denouncer_identities WHERE cccd_digest = ? "
        "ORDER BY petition_id DESC LIMIT ?", (digest, limit))


async def denunciations_by_name(conn: Connection, prefix: str, limit: int) -> list[Petition]:
    """Return the petitions whose protected sender's folded name starts with ``prefix``."""
    low, high = prefix_bounds(prefix)
    return await _petitions(
        conn, "SELECT petition_id AS id FROM denouncer_identities WHERE name_folded >= ? "
        "AND name_folded < ? ORDER BY name_folded, petition_id DESC LIMIT ?", (low, high, limit))


# -- bookings -------------------------------------------------------------------------------------

_BOOKING = ("SELECT code, starts_at, site_id, full_name, phone_e164, cccd_masked, status, people "
            "FROM bookings ")


def _masked(phone: str | None) -> str | None:
    return Phone(phone).masked if phone else None


def _booking(r: Row) -> BookingHit:
    return BookingHit(code=r["code"], starts_at=from_db(r["starts_at"]), site_id=r["site_id"],
                      full_name=r["full_name"], phone_masked=_masked(r["phone_e164"]),
                      cccd_masked=r["cccd_masked"], status=r["status"], people=r["people"])


async def bookings_by_code(conn: Connection, code: str) -> list[BookingHit]:
    """Return the booking with ``code`` (none or one)."""
    rows = await conn.execute_fetchall(_BOOKING + "WHERE code = ?", (code,))
    return [_booking(r) for r in rows]


async def bookings_by_phone(conn: Connection, phone_e164: str, limit: int) -> list[BookingHit]:
    """Return the bookings made with the phone ``phone_e164``, the latest first."""
    rows = await conn.execute_fetchall(
        _BOOKING + "WHERE phone_e164 = ? ORDER BY starts_at DESC LIMIT ?", (phone_e164, limit))
    return [_booking(r) for r in rows]


async def bookings_by_cccd(conn: Connection, digest: str, limit: int) -> list[BookingHit]:
    """Return the bookings made with the CCCD ``digest``, the latest first."""
    rows = await conn.execute_fetchall(
        _BOOKING + "WHERE cccd_digest = ? ORDER BY starts_at DESC LIMIT ?", (digest, limit))
    return [_booking(r) for r in rows]


async def bookings_by_name(conn: Connection, prefix: str, limit: int) -> list[BookingHit]:
    """Return the bookings whose folded name starts with ``prefix``, the latest first.

    Bookings keep no folded name, so the names are folded as they are read (the table is
    small: the bookings of the office's reception days).
    """
    low, high = prefix_bounds(prefix)
    rows = await conn.execute_fetchall(
        _BOOKING + "WHERE tiepdan_fold(full_name) >= ? AND tiepdan_fold(full_name) < ? "
        "ORDER BY starts_at DESC LIMIT ?", (low, high, limit))
    return [_booking(r) for r in rows]


# -- the reception register ---------------------------------------------------------------------

_VISIT = ("SELECT v.id, v.received_on, v.site_id, v.full_name, v.phone_e164, v.cccd_masked, "
          "v.summary, p.code AS petition_code FROM visits v "
          "LEFT JOIN petitions p ON p.id = v.petition_id ")


def _visit(r: Row) -> VisitHit:
    return VisitHit(id=r["id"], received_on=date.fromisoformat(r["received_on"]),
                    site_id=r["site_id"], full_name=r["full_name"],
                    phone_masked=_masked(r["phone_e164"]), cccd_masked=r["cccd_masked"],
                    summary=r["summary"], petition_code=r["petition_code"])


async def visits_by_phone(conn: Connection, phone_e164: str, limit: int) -> list[VisitHit]:
    """Return the register rows with the phone ``phone_e164``, the latest first."""
    rows = await conn.execute_fetchall(
        _VISIT + "WHERE v.phone_e164 = ? ORDER BY v.id DESC LIMIT ?", (phone_e164, limit))
    return [_visit(r) for r in rows]


async def visits_by_cccd(conn: Connection, digest: str, limit: int) -> list[VisitHit]:
    """Return the register rows with the CCCD ``digest``, the latest first."""
    rows = await conn.execute_fetchall(
        _VISIT + "WHERE v.cccd_digest = ? ORDER BY v.id DESC LIMIT ?", (digest, limit))
    return [_visit(r) for r in rows]


async def visits_by_name(conn: Connection, prefix: str, limit: int) -> list[VisitHit]:
    """Return the register rows whose folded name starts with ``prefix``."""
    low, high = prefix_bounds(prefix)
    rows = await conn.execute_fetchall(
        _VISIT + "WHERE v.name_folded >= ? AND v.name_folded < ? "
        "ORDER BY v.name_folded, v.id DESC LIMIT ?", (low, high, limit))
    return [_visit(r) for r in rows]
