"""Leaders' reception days, bookings, representatives and waiting lists."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.booking import (
    Booking,
    BookingKind,
    BookingRequest,
    BookingStatus,
    CancelReason,
    DayStatus,
    ReceptionDay,
    Representative,
    SlotKey,
    WaitlistEntry,
    WaitStatus,
)
from bot.domain.identity import Phone
from bot.domain.person import PersonIdentity
from bot.storage.database import Connection, Row, from_db, to_db

# -- reception days ---------------------------------------------------------------------------

_DAY_COLUMNS = ("id, leader_id, site_id, day, rule_month, closes_on, capacity, status, "
                "published_at, moved_to, note, created_at")


def _day(r: Row) -> ReceptionDay:
    return ReceptionDay(
        id=r["id"], leader_id=r["leader_id"], site_id=r["site_id"],
        day=date.fromisoformat(r["day"]), closes_on=date.fromisoformat(r["closes_on"]),
        capacity=r["capacity"], status=DayStatus(r["status"]),
        created_at=from_db(r["created_at"]), rule_month=r["rule_month"],
        published_at=from_db(r["published_at"]) if r["published_at"] else None,
        moved_to=r["moved_to"], note=r["note"],
    )


async def insert_rule_day(conn: Connection, *, leader_id: str, site_id: str, day: date,
                          rule_month: str, closes_on: date, capacity: int,
                          published_at: datetime | None, now: datetime) -> bool:
    """Store the day a leader's rule makes for ``rule_month``; False if it already exists."""
    cursor = await conn.execute(
        """
        INSERT OR IGNORE INTO reception_days (leader_id, site_id, day, rule_month, closes_on,
                                              capacity, published_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (leader_id, site_id, day.isoformat(), rule_month, closes_on.isoformat(), capacity,
         to_db(published_at) if published_at else None, to_db(now)),
    )
    return cursor.rowcount == 1


async def insert_added_day(conn: Connection, *, leader_id: str, site_id: str, day: date,
                           closes_on: date, capacity: int, published_at: datetime | None,
                           now: datetime, note: str | None = None) -> ReceptionDay:
    """Store a day staff added (or a postponed day's new date); return it."""
    rows = await conn.execute_fetchall(
        f"""
        INSERT INTO reception_days (leader_id, site_id, day, closes_on, capacity, published_at,
                                    note, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING {_DAY_COLUMNS}
        """,  # noqa: S608 - the column list is a constant
        (leader_id, site_id, day.isoformat(), closes_on.isoformat(), capacity,
         to_db(published_at) if published_at else None, note, to_db(now)),
    )
    return _day(next(iter(rows)))


async def get_day(conn: Connection, day_id: int) -> ReceptionDay | None:
    """Return one reception day."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_DAY_COLUMNS} FROM reception_days WHERE id = ?",  # noqa: S608 - constant columns
        (day_id,)))
    return _day(rows[0]) if rows else None


async def days_from(conn: Connection, start: date, *, leader_id: str | None = None,
                    statuses: Sequence[DayStatus] | None = None) -> list[ReceptionDay]:
    """Return the reception days on or after ``start``, by date."""
    sql = f"SELECT {_DAY_COLUMNS} FROM reception_days WHERE day >= ?"  # noqa: S608 - constant columns
    params: list[object] = [start.isoformat()]
    if leader_id is not None:
        sql += " AND leader_id = ?"
        params.append(leader_id)
    if statuses is not None:
        sql += f" AND status IN ({','.join('?' for _ in statuses)})"
        params.extend(s.value for s in statuses)
    rows = await conn.execute_fetchall(sql + " ORDER BY day, leader_id, id", params)
    return [_day(r) for r in rows]


async def days_on(conn: Connection, day: date) -> list[ReceptionDay]:
    """Return every reception day recorded on ``day`` (whatever its status)."""
    rows = await conn.execute_fetchall(
        f"SELECT {_DAY_COLUMNS} FROM reception_days WHERE day = ? ORDER BY id",  # noqa: S608 - constant columns
        (day.isoformat(),))
    return [_day(r) for r in rows]


async def set_day_status(conn: Connection, day_id: int, status: DayStatus, now: datetime, *,
                         note: str | None = None, moved_to: int | None = None) -> None:
    """Change a reception day's status (with the reason told to citizens)."""
    await conn.execute(
        "UPDATE reception_days SET status = ?, note = COALESCE(?, note), moved_to = ?, "
        "changed_at = ? WHERE id = ?",
        (status.value, note, moved_to, to_db(now), day_id),
    )


async def publish_day(conn: Connection, day_id: int, now: datetime) -> None:
    """Mark a reception day published (it may be offered from now on)."""
    await conn.execute(
        "UPDATE reception_days SET published_at = COALESCE(published_at, ?), changed_at = ? "
        "WHERE id = ?", (to_db(now), to_db(now), day_id))


# -- bookings ---------------------------------------------------------------------------------

_BOOKING_COLUMNS = (
    "id, code, channel, user_id, kind, site_id, reception_day_id, starts_at, ends_at, people, "
    "topic, petition_code, commune_code, commune_name, full_name, phone_e164, cccd_digest, "
    "cccd_masked, cccd_sealed, address, status, cancel_reason, sequence, created_at, "
    "updated_at, cancelled_at, confirmed_at, reminded_day_before_at, reminded_morning_at, "
    "details"
)


def _when(value: str | None) -> datetime | None:
    return from_db(value) if value else None


def _slot(r: Row) -> SlotKey:
    return SlotKey(kind=BookingKind(r["kind"]), site_id=r["site_id"],
                   day_id=r["reception_day_id"], starts_at=from_db(r["starts_at"]),
                   ends_at=from_db(r["ends_at"]))


def _booking(r: Row, representatives: tuple[Representative, ...]) -> Booking:
    phone = r["phone_e164"]
    return Booking(
        id=r["id"], code=r["code"], channel=r["channel"], user_id=r["user_id"], slot=_slot(r),
        people=r["people"], topic=r["topic"],
        identity=PersonIdentity(
            full_name=r["full_name"], phone_e164=phone,
            phone_masked=Phone(phone).masked if phone else None,
            cccd_digest=r["cccd_digest"], cccd_masked=r["cccd_masked"],
            cccd_sealed=r["cccd_sealed"], address=r["address"]),
        status=BookingStatus(r["status"]), created_at=from_db(r["created_at"]),
        updated_at=from_db(r["updated_at"]), sequence=r["sequence"],
        petition_code=r["petition_code"], commune_code=r["commune_code"],
        commune_name=r["commune_name"], representatives=representatives,
        cancel_reason=CancelReason(r["cancel_reason"]) if r["cancel_reason"] else None,
        cancelled_at=_when(r["cancelled_at"]), confirmed_at=_when(r["confirmed_at"]),
        reminded_day_before_at=_when(r["reminded_day_before_at"]),
        reminded_morning_at=_when(r["reminded_morning_at"]), details=r["details"],
    )


async def _with_representatives(conn: Connection, rows: Iterable[Row]) -> list[Booking]:
    found = list(rows)
    if not found:
        return []
    ids = [r["id"] for r in found]
    marks = ",".join("?" for _ in ids)
    reps: dict[int, list[Representative]] = {}
    for rep in await conn.execute_fetchall(
            f"SELECT booking_id, full_name, phone_e164 FROM booking_representatives "  # noqa: S608 - placeholders only
            f"WHERE booking_id IN ({marks}) ORDER BY booking_id, position", ids):
        reps.setdefault(rep["booking_id"], []).append(
            Representative(rep["full_name"], rep["phone_e164"]))
    return [_booking(r, tuple(reps.get(r["id"], ()))) for r in found]


async def _select(conn: Connection, where: str, params: Sequence[object]) -> list[Booking]:
    rows = await conn.execute_fetchall(
        f"SELECT {_BOOKING_COLUMNS} FROM bookings WHERE {where}", params)  # noqa: S608 - callers pass constant clauses
    return await _with_representatives(conn, rows)


async def insert_booking(conn: Connection, *, code: str, channel: str, user_id: str,
                         request: BookingRequest, now: datetime) -> Booking:
    """Store a booking and its representatives; return it."""
    slot = request.slot
    identity = request.identity
    rows = await conn.execute_fetchall(
        f"""
        INSERT INTO bookings (code, channel, user_id, kind, site_id, reception_day_id,
                              starts_at, ends_at, people, topic, petition_code, commune_code,
                              commune_name, full_name, phone_e164, cccd_digest, cccd_masked,
                              cccd_sealed, address, created_at, updated_at, details)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING {_BOOKING_COLUMNS}
        """,  # noqa: S608 - the column list is a constant
        (code, channel, user_id, slot.kind.value, slot.site_id, slot.day_id,
         to_db(slot.starts_at), to_db(slot.ends_at), request.people, request.topic,
         request.petition_code, request.commune_code, request.commune_name,
         identity.full_name, identity.phone_e164, identity.cccd_digest, identity.cccd_masked,
         identity.cccd_sealed, identity.address, to_db(now), to_db(now), request.details),
    )
    row = next(iter(rows))
    await conn.executemany(
        "INSERT INTO booking_representatives (booking_id, position, full_name, phone_e164) "
        "VALUES (?, ?, ?, ?)",
        [(row["id"], i, rep.full_name, rep.phone_e164)
         for i, rep in enumerate(request.representatives, start=1)],
    )
    return _booking(row, request.representatives)


async def code_exists(conn: Connection, code: str) -> bool:
    """Tell whether a booking already has ``code``."""
    rows = list(await conn.execute_fetchall("SELECT 1 FROM bookings WHERE code = ?", (code,)))
    return bool(rows)


async def get_booking(conn: Connection, booking_id: int) -> Booking | None:
    """Return one booking by id."""
    found = await _select(conn, "id = ?", (booking_id,))
    return found[0] if found else None


async def get_by_code(conn: Connection, code: str) -> Booking | None:
    """Return one booking by its tracking code."""
    found = await _select(conn, "code = ?", (code,))
    return found[0] if found else None


async def person_bookings(conn: Connection, channel: str, user_id: str, *, since: datetime,
                          statuses: Sequence[BookingStatus]) -> list[Booking]:
    """Return the person's bookings starting at or after ``since`` in ``statuses``, by time."""
    marks = ",".join("?" for _ in statuses)
    return await _select(
        conn, f"channel = ? AND user_id = ? AND starts_at >= ? AND status IN ({marks}) "
              "ORDER BY starts_at, id",
        (channel, user_id, to_db(since), *(s.value for s in statuses)))


async def person_active_between(conn: Connection, channel: str, user_id: str,
                                start: datetime, end: datetime) -> list[Booking]:
    """Return the account's active bookings starting in [start, end), by time.

    Active: booked, arrived or being received (not cancelled, done or missed).
    """
    return await _select(
        conn, "channel = ? AND user_id = ? AND starts_at >= ? AND starts_at < ? "
              "AND status IN ('booked', 'arrived', 'being_received') ORDER BY starts_at, id",
        (channel, user_id, to_db(start), to_db(end)))


async def day_bookings(conn: Connection, day_id: int) -> list[Booking]:
    """Return the bookings holding a place on a leader's day, by time."""
    return await _select(conn, "reception_day_id = ? AND status != 'cancelled' "
                               "ORDER BY starts_at, id", (day_id,))


_SLOT_WHERE = "site_id = ? AND reception_day_id IS ?"


@dataclass(frozen=True)
class Taken:
    """Places held at one slot: by bookings, and by open waitlist offers."""

    bookings: int
    offers: int

    @property
    def total(self) -> int:
        """All places held."""
        return self.bookings + self.offers


async def taken_at(conn: Connection, site_id: str, day_id: int | None, starts_at: datetime,
                   now: datetime) -> Taken:
    """Return the places held at one slot now."""
    rows = list(await conn.execute_fetchall(
        f"""
        SELECT
          (SELECT COUNT(*) FROM bookings WHERE {_SLOT_WHERE} AND starts_at = ?
                                          AND status != 'cancelled') AS bookings,
          (SELECT COUNT(*) FROM booking_waitlist WHERE {_SLOT_WHERE} AND starts_at = ?
                                    AND status = 'offered' AND offer_expires_at > ?) AS offers
        """,  # noqa: S608 - the clause is a constant
        (site_id, day_id, to_db(starts_at), site_id, day_id, to_db(starts_at), to_db(now)),
    ))
    return Taken(rows[0]["bookings"], rows[0]["offers"])


async def taken_between(conn: Connection, site_id: str, day_id: int | None, start: datetime,
                        end: datetime, now: datetime) -> dict[datetime, int]:
    """Return the places held per slot start in [start, end), bookings and offers together."""
    rows = await conn.execute_fetchall(
        f"""
        SELECT starts_at, COUNT(*) AS n FROM (
          SELECT starts_at FROM bookings
           WHERE {_SLOT_WHERE} AND starts_at >= ? AND starts_at < ? AND status != 'cancelled'
          UNION ALL
          SELECT starts_at FROM booking_waitlist
           WHERE {_SLOT_WHERE} AND starts_at >= ? AND starts_at < ? AND status = 'offered'
             AND offer_expires_at > ?)
        GROUP BY starts_at
        """,  # noqa: S608 - the clause is a constant
        (site_id, day_id, to_db(start), to_db(end), site_id, day_id, to_db(start), to_db(end),
         to_db(now)),
    )
    return {from_db(r["starts_at"]): r["n"] for r in rows}


@dataclass(frozen=True)
class DayLoad:
    """What is held on one leader's day: bookings, offers, and the people expected."""

    bookings: int
    offers: int
    people: int

    @property
    def places_taken(self) -> int:
        """Places held, bookings and offers together."""
        return self.bookings + self.offers


async def day_load(conn: Connection, day_id: int, now: datetime) -> DayLoad:
    """Return the places held and the people expected on a leader's day."""
    rows = list(await conn.execute_fetchall(
        """
        SELECT
          (SELECT COUNT(*) FROM bookings WHERE reception_day_id = ?
                                          AND status != 'cancelled') AS bookings,
          (SELECT COALESCE(SUM(people), 0) FROM bookings WHERE reception_day_id = ?
                                          AND status != 'cancelled') AS people,
          (SELECT COUNT(*) FROM booking_waitlist WHERE reception_day_id = ?
                              AND status = 'offered' AND offer_expires_at > ?) AS offers
        """,
        (day_id, day_id, day_id, to_db(now)),
    ))
    row = rows[0]
    return DayLoad(row["bookings"], row["offers"], row["people"])


async def cancel_booking(conn: Connection, booking_id: int, reason: CancelReason,
                         now: datetime) -> None:
    """Cancel a booking: its place is free from now."""
    await conn.execute(
        "UPDATE bookings SET status = 'cancelled', cancel_reason = ?, cancelled_at = ?, "
        "updated_at = ? WHERE id = ?",
        (reason.value, to_db(now), to_db(now), booking_id))


async def move_booking(conn: Connection, booking_id: int, slot: SlotKey, now: datetime) -> None:
    """Move a booking to another slot; its reminders and attendance answer start over."""
    await conn.execute(
        "UPDATE bookings SET kind = ?, site_id = ?, reception_day_id = ?, starts_at = ?, "
        "ends_at = ?, sequence = sequence + 1, confirmed_at = NULL, "
        "reminded_day_before_at = NULL, reminded_morning_at = NULL, updated_at = ? "
        "WHERE id = ?",
        (slot.kind.value, slot.site_id, slot.day_id, to_db(slot.starts_at),
         to_db(slot.ends_at), to_db(now), booking_id))


async def set_status(conn: Connection, booking_id: int, status: BookingStatus,
                     now: datetime) -> None:
    """Record where a booking stands (arrived, received, no-show...)."""
    await conn.execute("UPDATE bookings SET status = ?, updated_at = ? WHERE id = ?",
                       (status.value, to_db(now), booking_id))


async def set_confirmed(conn: Connection, booking_id: int, now: datetime) -> None:
    """Record that the person said they will come."""
    await conn.execute("UPDATE bookings SET confirmed_at = ?, updated_at = ? WHERE id = ?",
                       (to_db(now), to_db(now), booking_id))


async def reminder_candidates(conn: Connection, start: datetime,
                              end: datetime) -> list[Booking]:
    """Return booked appointments in [start, end) still owed a reminder."""
    return await _select(
        conn, "status = 'booked' AND starts_at >= ? AND starts_at < ? AND "
              "(reminded_day_before_at IS NULL OR reminded_morning_at IS NULL) "
              "ORDER BY starts_at, id",
        (to_db(start), to_db(end)))


async def mark_reminded(conn: Connection, booking_id: int, *, day_before: bool, morning: bool,
                        now: datetime) -> None:
    """Record that a reminder was handled (sent, or not owed: no consent, booked late)."""
    await conn.execute(
        "UPDATE bookings SET "
        "reminded_day_before_at = CASE WHEN ? THEN COALESCE(reminded_day_before_at, ?) "
        "                         ELSE reminded_day_before_at END, "
        "reminded_morning_at = CASE WHEN ? THEN COALESCE(reminded_morning_at, ?) "
        "                      ELSE reminded_morning_at END "
        "WHERE id = ?",
        (int(day_before), to_db(now), int(morning), to_db(now), booking_id))


async def count_of_person(conn: Connection, channel: str, user_id: str) -> int:
    """Return how many bookings an account made, whatever became of them."""
    rows = list(await conn.execute_fetchall(
        "SELECT COUNT(*) AS n FROM bookings WHERE channel = ? AND user_id = ?",
        (channel, user_id)))
    return int(rows[0]["n"])


async def no_shows(conn: Connection, channel: str, user_id: str,
                   cccd_digest: str | None) -> int:
    """Return the no-shows of one citizen: by their chat account or their CCCD digest."""
    rows = list(await conn.execute_fetchall(
        "SELECT COUNT(*) AS n FROM bookings WHERE status = 'no_show' AND "
        "((channel = ? AND user_id = ?) OR (? IS NOT NULL AND cccd_digest = ?))",
        (channel, user_id, cccd_digest, cccd_digest)))
    return int(rows[0]["n"])


@dataclass(frozen=True)
class NoShowCount:
    """How often one citizen booked and did not come, in a period."""

    full_name: str
    cccd_masked: str | None
    phone_e164: str | None
    no_shows: int
    bookings: int


async def no_show_counts(conn: Connection, start: datetime, end: datetime) -> list[NoShowCount]:
    """Return, per citizen with a no-show in [start, end), their no-shows and bookings."""
    rows = await conn.execute_fetchall(
        """
        SELECT MAX(full_name) AS full_name, MAX(cccd_masked) AS cccd_masked,
               MAX(phone_e164) AS phone_e164,
               SUM(status = 'no_show') AS no_shows, COUNT(*) AS bookings
          FROM bookings
         WHERE starts_at >= ? AND starts_at < ? AND status != 'cancelled'
         GROUP BY COALESCE(cccd_digest, channel || ':' || user_id)
        HAVING SUM(status = 'no_show') > 0
         ORDER BY no_shows DESC, full_name
        """,
        (to_db(start), to_db(end)))
    return [NoShowCount(r["full_name"], r["cccd_masked"], r["phone_e164"], int(r["no_shows"]),
                        int(r["bookings"])) for r in rows]


# -- waiting lists ------------------------------------------------------------------------------

_WAIT_COLUMNS = ("id, channel, user_id, request, status, created_at, offered_at, "
                 "offer_expires_at, booking_id")


def _wait(r: Row) -> WaitlistEntry:
    return WaitlistEntry(
        id=r["id"], channel=r["channel"], user_id=r["user_id"],
        request=BookingRequest.from_json(json.loads(r["request"])),
        status=WaitStatus(r["status"]), created_at=from_db(r["created_at"]),
        offered_at=_when(r["offered_at"]), offer_expires_at=_when(r["offer_expires_at"]),
        booking_id=r["booking_id"],
    )


async def insert_wait(conn: Connection, *, channel: str, user_id: str,
                      request: BookingRequest, now: datetime) -> WaitlistEntry:
    """Put a person on a slot's waiting list; return the entry."""
    slot = request.slot
    rows = await conn.execute_fetchall(
        f"""
        INSERT INTO booking_waitlist (channel, user_id, kind, site_id, reception_day_id,
                                      starts_at, ends_at, request, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING {_WAIT_COLUMNS}
        """,  # noqa: S608 - the column list is a constant
        (channel, user_id, slot.kind.value, slot.site_id, slot.day_id, to_db(slot.starts_at),
         to_db(slot.ends_at), json.dumps(request.to_json(), ensure_ascii=False), to_db(now)),
    )
    return _wait(next(iter(rows)))


async def get_wait(conn: Connection, entry_id: int) -> WaitlistEntry | None:
    """Return one waiting-list entry."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_WAIT_COLUMNS} FROM booking_waitlist WHERE id = ?",  # noqa: S608 - constant columns
        (entry_id,)))
    return _wait(rows[0]) if rows else None


async def first_waiting(conn: Connection, site_id: str, day_id: int | None,
                        starts_at: datetime) -> WaitlistEntry | None:
    """Return the longest-waiting person for a slot."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_WAIT_COLUMNS} FROM booking_waitlist WHERE {_SLOT_WHERE} "  # noqa: S608 - constant clauses
        "AND starts_at = ? AND status = 'waiting' ORDER BY id LIMIT 1",
        (site_id, day_id, to_db(starts_at))))
    return _wait(rows[0]) if rows else None


async def person_waiting_at(conn: Connection, channel: str, user_id: str,
                            slot: SlotKey) -> WaitlistEntry | None:
    """Return the person's open entry for a slot, if they are already waiting for it."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_WAIT_COLUMNS} FROM booking_waitlist WHERE channel = ? AND user_id = ? "  # noqa: S608 - constant clauses
        f"AND {_SLOT_WHERE} AND starts_at = ? AND status IN ('waiting', 'offered')",
        (channel, user_id, slot.site_id, slot.day_id, to_db(slot.starts_at))))
    return _wait(rows[0]) if rows else None


async def latest_offer_to(conn: Connection, channel: str,
                          user_id: str) -> WaitlistEntry | None:
    """Return the person's most recent waiting-list offer still open (status offered)."""
    rows = list(await conn.execute_fetchall(
        f"SELECT {_WAIT_COLUMNS} FROM booking_waitlist WHERE channel = ? AND user_id = ? "  # noqa: S608 - constant columns
        "AND status = 'offered' ORDER BY offered_at DESC, id DESC LIMIT 1",
        (channel, user_id)))
    return _wait(rows[0]) if rows else None


async def waiting_position(conn: Connection, entry: WaitlistEntry) -> int:
    """Return the entry's place in its slot's queue (1: next to be offered)."""
    slot = entry.slot
    rows = list(await conn.execute_fetchall(
        f"SELECT COUNT(*) AS n FROM booking_waitlist WHERE {_SLOT_WHERE} AND starts_at = ? "  # noqa: S608 - constant clauses
        "AND status = 'waiting' AND id <= ?",
        (slot.site_id, slot.day_id, to_db(slot.starts_at), entry.id)))
    return int(rows[0]["n"])


async def offer(conn: Connection, entry_id: int, now: datetime, expires: datetime) -> None:
    """Hold a freed place for the entry's person until ``expires``."""
    await conn.execute(
        "UPDATE booking_waitlist SET status = 'offered', offered_at = ?, offer_expires_at = ? "
        "WHERE id = ?", (to_db(now), to_db(expires), entry_id))


async def close_wait(conn: Connection, entry_id: int, status: WaitStatus, now: datetime,
                     booking_id: int | None = None) -> None:
    """End an entry: taken, declined, expired or lapsed."""
    await conn.execute(
        "UPDATE booking_waitlist SET status = ?, closed_at = ?, booking_id = ? WHERE id = ?",
        (status.value, to_db(now), booking_id, entry_id))


async def expired_offers(conn: Connection, now: datetime) -> list[WaitlistEntry]:
    """Return the offers whose time ran out."""
    rows = await conn.execute_fetchall(
        f"SELECT {_WAIT_COLUMNS} FROM booking_waitlist WHERE status = 'offered' "  # noqa: S608 - constant columns
        "AND offer_expires_at <= ? ORDER BY offer_expires_at, id", (to_db(now),))
    return [_wait(r) for r in rows]


async def started_waits(conn: Connection, now: datetime) -> list[WaitlistEntry]:
    """Return the people still waiting for a slot that has begun."""
    rows = await conn.execute_fetchall(
        f"SELECT {_WAIT_COLUMNS} FROM booking_waitlist WHERE status = 'waiting' "  # noqa: S608 - constant columns
        "AND starts_at <= ? ORDER BY id", (to_db(now),))
    return [_wait(r) for r in rows]


async def day_waits(conn: Connection, day_id: int) -> list[WaitlistEntry]:
    """Return the open entries (waiting or offered) of a leader's day."""
    rows = await conn.execute_fetchall(
        f"SELECT {_WAIT_COLUMNS} FROM booking_waitlist WHERE reception_day_id = ? "  # noqa: S608 - constant columns
        "AND status IN ('waiting', 'offered') ORDER BY id", (day_id,))
    return [_wait(r) for r in rows]


async def move_wait(conn: Connection, entry_id: int, request: BookingRequest) -> None:
    """Move an open entry to another slot (its day was postponed), keeping its turn."""
    slot = request.slot
    await conn.execute(
        "UPDATE booking_waitlist SET kind = ?, site_id = ?, reception_day_id = ?, "
        "starts_at = ?, ends_at = ?, request = ? WHERE id = ?",
        (slot.kind.value, slot.site_id, slot.day_id, to_db(slot.starts_at),
         to_db(slot.ends_at), json.dumps(request.to_json(), ensure_ascii=False), entry_id))
