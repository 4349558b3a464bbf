"""Petition processing: the staff inbox, classification, notes, assignment, cases, duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.petitions import Competence, Field, Petition, Status
from bot.domain.processing import (
    NO_COMMUNE,
    NO_FIELD,
    SITE_ALL,
    Classification,
    Count,
    ForwardRecord,
    InboxFilter,
    InboxTotals,
    PetitionNote,
    Scope,
    site_filter,
)
from bot.storage import petitions as petition_store
from bot.storage.database import Connection, from_db, to_db

# -- the inbox --------------------------------------------------------------------------------

def _where(f: InboxFilter, today: date, skip: str | None = None) -> tuple[str, list[object]]:
    """Return the WHERE clause (without the word) and its parameters for ``f``.

    ``skip`` leaves one dimension out, to count the petitions of each of its values.
    """
    clauses: list[str] = []
    params: list[object] = []
    if skip != "status":
        scope, status = f.scope, f.single_status
        if scope is Scope.OPEN:
            clauses.append("p.closed_at IS NULL")
        elif scope is Scope.OVERDUE:
            clauses.append("p.closed_at IS NULL AND p.due_on < ?")
            params.append(today.isoformat())
        elif scope is Scope.CLOSED:
            clauses.append("p.closed_at IS NOT NULL")
        elif status is not None and status.is_final:
            clauses.append("p.status = ?")
            params.append(status.value)
        elif status is not None:
            # Through the open petitions' index, which is far smaller than the table.
            clauses.append("p.closed_at IS NULL AND p.status = ?")
            params.append(status.value)
    if skip != "kind" and f.kind is not None:
        clauses.append("p.kind = ?")
        params.append(f.kind.value)
    if skip != "site" and f.site != SITE_ALL:
        site, with_unassigned = site_filter(f.site)
        if site is None:
            clauses.append("p.site_id IS NULL")
        elif with_unassigned:
            clauses.append("(p.site_id = ? OR p.site_id IS NULL)")
            params.append(site)
        else:
            clauses.append("p.site_id = ?")
            params.append(site)
    if skip != "commune" and f.commune is not None:
        if f.commune == NO_COMMUNE:
            clauses.append("p.place_code IS NULL")
        else:
            clauses.append("p.place_code = ?")
            params.append(f.commune)
    if skip != "field" and f.field is not None:
        if f.field == NO_FIELD:
            clauses.append("p.field IS NULL")
        else:
            clauses.append("p.field = ?")
            params.append(f.field)
    return " AND ".join(clauses) or "1", params


def _order(f: InboxFilter, horizon: date) -> tuple[str, list[object]]:
    if f.lists_open:
        return ("CASE WHEN p.status = 'received' THEN 0 WHEN p.due_on <= ? THEN 1 ELSE 2 END, "
                "p.due_on IS NULL, p.due_on, p.received_at, p.id", [horizon.isoformat()])
    return "p.closed_at DESC, p.id DESC", []


async def inbox_page(conn: Connection, f: InboxFilter, *, today: date, horizon: date,
                     limit: int, offset: int) -> list[Petition]:
    """Return one page of the inbox, in its order (new, near or past the deadline, the rest)."""
    where, params = _where(f, today)
    order, order_params = _order(f, horizon)
    # Ids first, through the small covering index; whole rows only for the page.
    rows = await conn.execute_fetchall(
        f"SELECT p.id FROM petitions p WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608 - clauses built here from constants
        (*params, *order_params, limit, offset),
    )
    return await petition_store.get_many(conn, [int(r["id"]) for r in rows])


_TOTALS = ("COUNT(*) AS total, COALESCE(SUM(p.status = 'received'), 0) AS new, "
           "COALESCE(SUM(p.status != 'received' AND p.due_on <= ?), 0) AS due_soon, "
           "COALESCE(SUM(p.due_on < ?), 0) AS overdue")


async def inbox_totals(conn: Connection, f: InboxFilter, *, today: date,
                       horizon: date) -> InboxTotals:
    """Return how many petitions ``f`` selects, and how many are new, near or past due."""
    where, params = _where(f, today)
    sql = f"SELECT {_TOTALS} FROM petitions p WHERE {where}"  # noqa: S608 - clauses built here from constants
    rows = list(await conn.execute_fetchall(
        sql, (horizon.isoformat(), today.isoformat(), *params)))
    row = rows[0]
    return InboxTotals(total=int(row["total"]), new=int(row["new"]),
                       due_soon=int(row["due_soon"]), overdue=int(row["overdue"]))


_GROUPED = {"kind": "p.kind", "site": "p.site_id", "commune": "p.place_code",
            "field": "p.field"}


async def counts_by(conn: Connection, f: InboxFilter, dimension: str, *,
                    today: date) -> list[Count]:
    """Return, for each value of ``dimension``, how many petitions ``f`` would select with it.

    For "status": each open status, "overdue", and the closed petitions as one group.
    """
    if dimension == "status":
        return await _status_counts(conn, f, today)
    column = _GROUPED[dimension]
    where, params = _where(f, today, skip=dimension)
    rows = await conn.execute_fetchall(
        f"SELECT {column} AS value, COUNT(*) AS n FROM petitions p WHERE {where} "  # noqa: S608 - column from a constant map
        "GROUP BY value ORDER BY n DESC",
        params,
    )
    return [Count(None if r["value"] is None else str(r["value"]), int(r["n"])) for r in rows]


_BY_STATUS = "p.status AS value, COUNT(*) AS n, COALESCE(SUM(p.due_on < ?), 0) AS late"


async def _status_counts(conn: Connection, f: InboxFilter, today: date) -> list[Count]:
    where, params = _where(f, today, skip="status")
    sql = f"SELECT {_BY_STATUS} FROM petitions p WHERE p.closed_at IS NULL AND {where} GROUP BY p.status"  # noqa: S608, E501 - clauses built here from constants
    rows = await conn.execute_fetchall(sql, (today.isoformat(), *params))
    counts = [Count(str(r["value"]), int(r["n"])) for r in rows]
    open_total = sum(c.count for c in counts)
    late = sum(int(r["late"]) for r in rows)
    closed = list(await conn.execute_fetchall(
        f"SELECT COUNT(*) AS n FROM petitions p WHERE p.closed_at IS NOT NULL AND {where}",  # noqa: S608 - clauses built here from constants
        params,
    ))
    return [Count(Scope.OPEN.value, open_total), Count(Scope.OVERDUE.value, late), *counts,
            Count(Scope.CLOSED.value, int(closed[0]["n"]))]


# -- classification, assignment, cases ----------------------------------------------------------

async def classify(conn: Connection, petition_id: int, c: Classification,
                   now: datetime) -> None:
    """Record a petition's classification."""
    await conn.execute(
        """
        UPDATE petitions SET kind = ?, field = ?, eligible = ?, ineligible_reason = ?,
                             competence = ?, chairman_jurisdiction = ?, skips_level = ?,
                             site_id = ?, classified_at = ?, updated_at = ?
        WHERE id = ?
        """,
        (c.kind.value, c.field.value, int(c.eligible),
         None if c.eligible else c.ineligible_reason, c.competence.value,
         int(c.chairman_jurisdiction), int(c.skips_level), c.site_id, to_db(now), to_db(now),
         petition_id),
    )


async def set_classification(conn: Connection, petition_id: int, *, field: Field | None,
                             competence: Competence | None, eligible: bool | None,
                             ineligible_reason: str | None, chairman: bool,
                             now: datetime) -> None:
    """Record what is known of a petition's classification (for an imported one)."""
    await conn.execute(
        """
        UPDATE petitions SET field = ?, competence = ?, eligible = ?, ineligible_reason = ?,
                             chairman_jurisdiction = ?, classified_at = ?
        WHERE id = ?
        """,
        (field.value if field else None, competence.value if competence else None,
         None if eligible is None else int(eligible),
         ineligible_reason if eligible is False else None, int(chairman), to_db(now),
         petition_id),
    )


async def set_deadline(conn: Connection, petition_id: int, rule_key: str, rule_from: date,
                       due_on: date) -> None:
    """Set the deadline a petition runs to."""
    await conn.execute(
        "UPDATE petitions SET due_rule = ?, due_rule_from = ?, due_on = ? WHERE id = ?",
        (rule_key, rule_from.isoformat(), due_on.isoformat(), petition_id))


async def assign(conn: Connection, petition_id: int, channel: str | None, user_id: str | None,
                 now: datetime) -> None:
    """Give a petition to a staff member (None: to nobody)."""
    await conn.execute(
        "UPDATE petitions SET assigned_channel = ?, assigned_user_id = ?, updated_at = ? "
        "WHERE id = ?", (channel, user_id, to_db(now), petition_id))


async def new_case(conn: Connection, title: str, now: datetime) -> int:
    """Open a case (vụ việc); return its id."""
    rows = list(await conn.execute_fetchall(
        "INSERT INTO cases (title, created_at) VALUES (?, ?) RETURNING id", (title, to_db(now))))
    return int(rows[0]["id"])


async def join_case(conn: Connection, petition_ids: Sequence[int], case_id: int,
                    now: datetime) -> None:
    """Put petitions (and those already in their cases) into the case ``case_id``."""
    marks = ", ".join("?" for _ in petition_ids)
    await conn.execute(
        f"UPDATE petitions SET case_id = ?, updated_at = ? WHERE id IN ({marks}) "  # noqa: S608 - placeholders only
        f"OR case_id IN (SELECT case_id FROM petitions WHERE id IN ({marks}) "
        "AND case_id IS NOT NULL)",
        (case_id, to_db(now), *petition_ids, *petition_ids))


async def case_mates(conn: Connection, case_id: int, exclude: int,
                     limit: int) -> list[Petition]:
    """Return the other petitions of a case, the latest first."""
    rows = await conn.execute_fetchall(
        "SELECT id FROM petitions WHERE case_id = ? AND id != ? ORDER BY id DESC LIMIT ?",
        (case_id, exclude, limit))
    return await petition_store.get_many(conn, [int(r["id"]) for r in rows])


async def add_note(conn: Connection, petition_id: int, note: PetitionNote) -> None:
    """Add an internal note to a petition."""
    await conn.execute(
        "INSERT INTO petition_notes (petition_id, at, actor_channel, actor_user_id, text) "
        "VALUES (?, ?, ?, ?, ?)",
        (petition_id, to_db(note.at), note.actor_channel, note.actor_user_id, note.text))


async def notes(conn: Connection, petition_id: int, limit: int) -> list[PetitionNote]:
    """Return a petition's latest internal notes, the first first."""
    rows = await conn.execute_fetchall(
        "SELECT at, actor_channel, actor_user_id, text FROM petition_notes "
        "WHERE petition_id = ? ORDER BY id DESC LIMIT ?", (petition_id, limit))
    return [PetitionNote(from_db(r["at"]), r["actor_channel"], r["actor_user_id"], r["text"])
            for r in reversed(list(rows))]


# -- duplicates and the forwarding rule -----------------------------------------------------------

async def same_cccd(conn: Connection, digest: str, exclude: int, *, protected: bool,
                    limit: int) -> list[Petition]:
    """Return other petitions whose sender has the CCCD ``digest`` (in one table of the two)."""
    table = "denouncer_identities" if protected else "petition_identities"
    rows = await conn.execute_fetchall(
        f"SELECT petition_id AS id FROM {table} WHERE cccd_digest = ? AND petition_id != ? "  # noqa: S608 - table name from two constants
        "ORDER BY petition_id DESC LIMIT ?", (digest, exclude, limit))
    return await petition_store.get_many(conn, [int(r["id"]) for r in rows])


async def same_phone(conn: Connection, phone_e164: str, exclude: int, *, protected: bool,
                     limit: int) -> list[Petition]:
    """Return other petitions whose sender gave the phone ``phone_e164``."""
    if protected:
        sql = ("SELECT petition_id AS id FROM denouncer_identities WHERE phone_e164 = ? "
               "AND petition_id != ? ORDER BY petition_id DESC LIMIT ?")
    else:
        sql = ("SELECT id FROM petitions WHERE phone_e164 = ? AND id != ? "
               "ORDER BY id DESC LIMIT ?")
    rows = await conn.execute_fetchall(sql, (phone_e164, exclude, limit))
    return await petition_store.get_many(conn, [int(r["id"]) for r in rows])


async def recent_nearby(conn: Connection, place_code: int | None, since: datetime,
                        exclude: int, limit: int) -> list[Petition]:
    """Return the latest petitions of the same commune (or with none) since ``since``."""
    if place_code is None:
        sql = ("SELECT id FROM petitions WHERE place_code IS NULL AND received_at >= ? "
               "AND id != ? ORDER BY received_at DESC LIMIT ?")
        params: tuple[object, ...] = (to_db(since), exclude, limit)
    else:
        sql = ("SELECT id FROM petitions WHERE place_code = ? AND received_at >= ? "
               "AND id != ? ORDER BY received_at DESC LIMIT ?")
        params = (place_code, to_db(since), exclude, limit)
    rows = await conn.execute_fetchall(sql, params)
    return await petition_store.get_many(conn, [int(r["id"]) for r in rows])


async def forwarded(conn: Connection, petition_ids: Sequence[int]) -> list[ForwardRecord]:
    """Return the forwardings of the petitions ``petition_ids``, the first first."""
    if not petition_ids:
        return []
    marks = ", ".join("?" for _ in petition_ids)
    rows = await conn.execute_fetchall(
        "SELECT p.code, e.at, e.agency, e.document_no FROM petition_events e "  # noqa: S608 - placeholders only
        f"JOIN petitions p ON p.id = e.petition_id WHERE e.petition_id IN ({marks}) "
        "AND e.to_status = ? ORDER BY e.at, e.id",
        (*petition_ids, Status.FORWARDED.value))
    return [ForwardRecord(r["code"], from_db(r["at"]), r["agency"], r["document_no"])
            for r in rows]


async def repeats_of(conn: Connection, petition_id: int, limit: int) -> list[Petition]:
    """Return the petitions marked at submission as repeats of ``petition_id``."""
    rows = await conn.execute_fetchall(
        "SELECT id FROM petitions WHERE repeat_of = ? ORDER BY id DESC LIMIT ?",
        (petition_id, limit))
    return await petition_store.get_many(conn, [int(r["id"]) for r in rows])
