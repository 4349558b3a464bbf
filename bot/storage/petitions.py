"""Petitions, their identities (a denouncer's in separate tables), files, events and lookups."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from bot.domain.identity import Phone
from bot.domain.person import PersonIdentity
from bot.domain.petitions import (
    Competence,
    Deadline,
    Field,
    NewPetition,
    Petition,
    PetitionEvent,
    PetitionFile,
    PetitionType,
    PriorStage,
    Representative,
    Source,
    Status,
)
from bot.domain.processing import name_key
from bot.storage.database import Connection, Row, from_db, to_db

# Which tables hold the people named in a petition: a denouncer's are kept apart.
_IDENTITIES = {False: "petition_identities", True: "denouncer_identities"}
_REPRESENTATIVES = {False: "petition_representatives", True: "denouncer_representatives"}

_SELECT = """
    SELECT p.*, merged.code AS merged_code, earlier.code AS repeat_code,
           (SELECT COUNT(*) FROM petition_files f WHERE f.petition_id = p.id) AS file_count
    FROM petitions p
    LEFT JOIN petitions merged ON merged.id = p.merged_into
    LEFT JOIN petitions earlier ON earlier.id = p.repeat_of
"""


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _deadline(rule: str | None, rule_from: str | None, due_on: str | None) -> Deadline | None:
    if rule is None or rule_from is None or due_on is None:
        return None
    return Deadline(rule, date.fromisoformat(rule_from), date.fromisoformat(due_on))


def _petition(r: Row) -> Petition:
    return Petition(
        id=r["id"],
        code=r["code"],
        kind=PetitionType(r["kind"]),
        status=Status(r["status"]),
        channel=r["channel"],
        user_id=r["user_id"],
        received_at=from_db(r["received_at"]),
        respondent=r["respondent"],
        place_code=r["place_code"],
        place_text=r["place_text"],
        content=r["content"],
        request=r["request"],
        prior_stage=PriorStage(r["prior_stage"]),
        prior_body=r["prior_body"],
        people=r["people"],
        is_group=bool(r["is_group"]),
        anonymous=bool(r["anonymous"]),
        skips_level=bool(r["skips_level"]),
        mixed=bool(r["mixed"]),
        denunciation_content=bool(r["denunciation_content"]),
        due=_deadline(r["due_rule"], r["due_rule_from"], r["due_on"]),
        related_code=r["related_code"],
        merged_into=r["merged_code"],
        repeat_of=r["repeat_code"],
        file_count=r["file_count"],
        source=Source(r["source"]),
        site_id=r["site_id"],
        field=Field(r["field"]) if r["field"] else None,
        eligible=None if r["eligible"] is None else bool(r["eligible"]),
        ineligible_reason=r["ineligible_reason"],
        competence=Competence(r["competence"]) if r["competence"] else None,
        chairman_jurisdiction=bool(r["chairman_jurisdiction"]),
        case_id=r["case_id"],
        assigned_channel=r["assigned_channel"],
        assigned_user_id=r["assigned_user_id"],
        classified_at=from_db(r["classified_at"]) if r["classified_at"] else None,
        closed_at=from_db(r["closed_at"]) if r["closed_at"] else None,
    )


# For other storage modules that read whole petitions alongside more columns.
PETITION_SELECT = _SELECT


def petition_from_row(r: Row) -> Petition:
    """Return the petition a row of ``PETITION_SELECT`` holds."""
    return _petition(r)


async def insert_petition(conn: Connection, *, code: str, new: NewPetition,
                          channel: str | None, user_id: str | None, received_at: datetime,
                          status: Status, is_group: bool, skips_level: bool,
                          due: Deadline | None, repeat_of: int | None, now: datetime,
                          source: Source = Source.CHAT, site_id: str | None = None,
                          closed_at: datetime | None = None) -> int | None:
    """Store a petition under ``code``; return its id, or None if the code is taken."""
    rows = list(await conn.execute_fetchall(
        """
        INSERT INTO petitions (code, kind, status, channel, user_id, received_at, respondent,
                               place_code, place_text, content, request, prior_stage,
                               prior_body, people, is_group, anonymous, skips_level, mixed,
                               denunciation_content, due_rule, due_rule_from, due_on,
                               related_code, repeat_of, created_at, updated_at, source, site_id,
                               closed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?)
        ON CONFLICT (code) DO NOTHING
        RETURNING id
        """,
        (code, new.kind.value, status.value, channel, user_id, to_db(received_at),
         new.respondent, new.place_code, new.place_text, new.content, new.request,
         new.prior_stage.value, new.prior_body, new.people, int(is_group),
         int(new.identity is None), int(skips_level), int(new.mixed),
         int(new.denunciation_content), due.rule_key if due else None,
         due.effective_from.isoformat() if due else None,
         due.due_on.isoformat() if due else None, new.related_code, repeat_of,
         to_db(now), to_db(now), source.value, site_id,
         to_db(closed_at) if closed_at else None),
    ))
    return int(rows[0]["id"]) if rows else None


async def insert_identity(conn: Connection, petition_id: int, identity: PersonIdentity, *,
                          protected: bool) -> None:
    """Store the sender's identity, in the denouncers' table when ``protected``.

    An unprotected sender's folded name and phone are copied onto the petition for staff
    search; a denouncer's stay in the protected table (searched only by allowed roles).
    """
    folded = name_key(identity.full_name) or None
    if protected:
        await conn.execute(
            "INSERT INTO denouncer_identities (petition_id, full_name, phone_e164, cccd_digest, "
            "cccd_masked, cccd_sealed, address, name_folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (petition_id, identity.full_name, identity.phone_e164, identity.cccd_digest,
             identity.cccd_masked, identity.cccd_sealed, identity.address, folded),
        )
        return
    await conn.execute(
        "INSERT INTO petition_identities (petition_id, full_name, phone_e164, cccd_digest, "
        "cccd_masked, cccd_sealed, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (petition_id, identity.full_name, identity.phone_e164, identity.cccd_digest,
         identity.cccd_masked, identity.cccd_sealed, identity.address),
    )
    await conn.execute("UPDATE petitions SET name_folded = ?, phone_e164 = ? WHERE id = ?",
                       (folded, identity.phone_e164, petition_id))


async def is_protected(conn: Connection, petition_id: int) -> bool:
    """Tell whether the people named in a petition are kept in the denouncers' tables."""
    rows = list(await conn.execute_fetchall(
        "SELECT EXISTS (SELECT 1 FROM denouncer_identities WHERE petition_id = ?) "
        "OR EXISTS (SELECT 1 FROM denouncer_representatives WHERE petition_id = ?) AS kept",
        (petition_id, petition_id)))
    return bool(rows[0]["kept"])


async def protect_identity(conn: Connection, petition_id: int) -> None:
    """Move a sender's identity and representatives into the denouncers' tables.

    Done when a petition is classified as a denunciation: from then on its sender is
    protected, and the search copies on the petition are cleared.
    """
    await conn.execute(
        "INSERT INTO denouncer_identities (petition_id, full_name, phone_e164, cccd_digest, "
        "cccd_masked, cccd_sealed, address, name_folded) "
        "SELECT i.petition_id, i.full_name, i.phone_e164, i.cccd_digest, i.cccd_masked, "
        "i.cccd_sealed, i.address, p.name_folded FROM petition_identities i "
        "JOIN petitions p ON p.id = i.petition_id WHERE i.petition_id = ?", (petition_id,))
    await conn.execute("DELETE FROM petition_identities WHERE petition_id = ?", (petition_id,))
    await conn.execute(
        "INSERT INTO denouncer_representatives (petition_id, position, full_name, phone_e164) "
        "SELECT petition_id, position, full_name, phone_e164 FROM petition_representatives "
        "WHERE petition_id = ?", (petition_id,))
    await conn.execute("DELETE FROM petition_representatives WHERE petition_id = ?",
                       (petition_id,))
    await conn.execute("UPDATE petitions SET name_folded = NULL, phone_e164 = NULL WHERE id = ?",
                       (petition_id,))


async def insert_representatives(conn: Connection, petition_id: int,
                                 representatives: Sequence[Representative], *,
                                 protected: bool) -> None:
    """Store a group's representatives, in the denouncers' table when ``protected``."""
    table = _REPRESENTATIVES[protected]
    await conn.executemany(
        f"INSERT INTO {table} (petition_id, position, full_name, phone_e164) "  # noqa: S608 - table name from a constant map
        "VALUES (?, ?, ?, ?)",
        [(petition_id, position, r.full_name, r.phone_e164)
         for position, r in enumerate(representatives, start=1)],
    )


async def insert_files(conn: Connection, petition_id: int, files: Sequence[PetitionFile]) -> None:
    """Store what is known of the files sent with a petition."""
    await conn.executemany(
        "INSERT INTO petition_files (petition_id, position, kind, file_id, channel, file_name, "
        "mime_type, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(petition_id, position, f.kind, f.file_id, f.channel, f.file_name, f.mime_type, f.size)
         for position, f in enumerate(files, start=1)],
    )


async def insert_event(conn: Connection, petition_id: int, event: PetitionEvent) -> int:
    """Record a status change; return its id."""
    due = event.due
    rows = list(await conn.execute_fetchall(
        """
        INSERT INTO petition_events (petition_id, at, actor_channel, actor_user_id, actor_role,
                                     from_status, to_status, note, document_no, document_date,
                                     agency, due_rule, due_rule_from, due_on)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING id
        """,
        (petition_id, to_db(event.at), event.actor_channel, event.actor_user_id,
         event.actor_role, event.from_status.value if event.from_status else None,
         event.to_status.value, event.note, event.document_no,
         event.document_date.isoformat() if event.document_date else None, event.agency,
         due.rule_key if due else None, due.effective_from.isoformat() if due else None,
         due.due_on.isoformat() if due else None),
    ))
    return int(rows[0]["id"])


async def get_by_code(conn: Connection, code: str) -> Petition | None:
    """Return the petition with ``code``, if there is one."""
    rows = list(await conn.execute_fetchall(_SELECT + " WHERE p.code = ?", (code,)))
    return _petition(rows[0]) if rows else None


async def get_many(conn: Connection, ids: Sequence[int]) -> list[Petition]:
    """Return the petitions with ``ids``, in the order of ``ids`` (unknown ids left out)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = await conn.execute_fetchall(_SELECT + f" WHERE p.id IN ({marks})", tuple(ids))
    by_id = {int(r["id"]): _petition(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


async def lookup_phones(conn: Connection, petition_id: int) -> list[str]:
    """Return every phone given with a petition: the sender's and each representative's.

    They are read wherever they are kept (a denouncer's in the protected tables) only to
    check the last four digits a lookup from another account gives; nothing is shown.
    """
    rows = await conn.execute_fetchall(
        """
        SELECT phone_e164 FROM petition_identities WHERE petition_id = ?
        UNION ALL SELECT phone_e164 FROM denouncer_identities WHERE petition_id = ?
        UNION ALL SELECT phone_e164 FROM petition_representatives WHERE petition_id = ?
        UNION ALL SELECT phone_e164 FROM denouncer_representatives WHERE petition_id = ?
        """,
        (petition_id, petition_id, petition_id, petition_id),
    )
    return [str(r["phone_e164"]) for r in rows if r["phone_e164"]]


async def protection(conn: Connection, codes: Collection[str]) -> dict[str, bool]:
    """Return, for each of ``codes`` that names a petition, whether its sender is protected.

    A denunciation is protected whoever sent it (even without a name); so is a petition
    whose sender was moved to the denouncers' tables when it was classified as one.
    """
    if not codes:
        return {}
    marks = ", ".join("?" for _ in codes)
    rows = await conn.execute_fetchall(
        f"""
        SELECT p.code, (p.kind = 'denunciation'
                        OR EXISTS (SELECT 1 FROM denouncer_identities d
                                   WHERE d.petition_id = p.id)
                        OR EXISTS (SELECT 1 FROM denouncer_representatives r
                                   WHERE r.petition_id = p.id)) AS protected
        FROM petitions p WHERE p.code IN ({marks})
        """,  # noqa: S608 - placeholders only
        tuple(codes),
    )
    return {str(r["code"]): bool(r["protected"]) for r in rows}


async def filed_by(conn: Connection, channel: str, user_id: str,
                   limit: int) -> list[Petition]:
    """Return the petitions an account filed, the latest first."""
    rows = await conn.execute_fetchall(
        _SELECT + " WHERE p.channel = ? AND p.user_id = ? ORDER BY p.received_at DESC, p.id DESC "
        "LIMIT ?",
        (channel, user_id, limit),
    )
    return [_petition(r) for r in rows]


async def count_filed_by(conn: Connection, channel: str, user_id: str) -> int:
    """Return how many petitions an account filed."""
    rows = list(await conn.execute_fetchall(
        "SELECT COUNT(*) AS n FROM petitions WHERE channel = ? AND user_id = ?",
        (channel, user_id)))
    return int(rows[0]["n"])


async def earlier_from(conn: Connection, kind: PetitionType, channel: str, user_id: str,
                       cccd_digest: str | None) -> list[Petition]:
    """Return earlier petitions of ``kind`` from the same account or the same CCCD number."""
    rows = await conn.execute_fetchall(
        _SELECT + """
        WHERE p.kind = ? AND ((p.channel = ? AND p.user_id = ?)
              OR p.id IN (SELECT petition_id FROM petition_identities WHERE cccd_digest = ?)
              OR p.id IN (SELECT petition_id FROM denouncer_identities WHERE cccd_digest = ?))
        ORDER BY p.id LIMIT 200
        """,  # noqa: S608 - a constant SELECT and a constant condition
        (kind.value, channel, user_id, cccd_digest, cccd_digest),
    )
    return [_petition(r) for r in rows]


def _event(r: Row) -> PetitionEvent:
    return PetitionEvent(
        at=from_db(r["at"]),
        actor_channel=r["actor_channel"],
        actor_user_id=r["actor_user_id"],
        actor_role=r["actor_role"],
        from_status=Status(r["from_status"]) if r["from_status"] else None,
        to_status=Status(r["to_status"]),
        note=r["note"],
        document_no=r["document_no"],
        document_date=_day(r["document_date"]),
        agency=r["agency"],
        due=_deadline(r["due_rule"], r["due_rule_from"], r["due_on"]),
    )


async def events(conn: Connection, petition_id: int) -> list[PetitionEvent]:
    """Return a petition's status changes, the first first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM petition_events WHERE petition_id = ? ORDER BY id", (petition_id,))
    return [_event(r) for r in rows]


async def identity(conn: Connection, petition_id: int, *,
                   protected: bool) -> PersonIdentity | None:
    """Return the sender's identity from the table ``protected`` names."""
    table = _IDENTITIES[protected]
    rows = list(await conn.execute_fetchall(
        f"SELECT full_name, phone_e164, cccd_digest, cccd_masked, cccd_sealed, address "  # noqa: S608 - table name from a constant map
        f"FROM {table} WHERE petition_id = ?",
        (petition_id,),
    ))
    if not rows:
        return None
    row = rows[0]
    phone = row["phone_e164"]
    return PersonIdentity(
        full_name=row["full_name"], phone_e164=phone,
        phone_masked=Phone(phone).masked if phone else None,
        cccd_digest=row["cccd_digest"], cccd_masked=row["cccd_masked"],
        cccd_sealed=row["cccd_sealed"], address=row["address"],
    )


async def representatives(conn: Connection, petition_id: int, *,
                          protected: bool) -> tuple[Representative, ...]:
    """Return a group's representatives from the table ``protected`` names."""
    table = _REPRESENTATIVES[protected]
    rows = await conn.execute_fetchall(
        f"SELECT full_name, phone_e164 FROM {table} WHERE petition_id = ? "  # noqa: S608 - table name from a constant map
        "ORDER BY position",
        (petition_id,),
    )
    return tuple(Representative(r["full_name"], r["phone_e164"]) for r in rows)


async def files(conn: Connection, petition_id: int) -> list[PetitionFile]:
    """Return the files sent with a petition, in the order sent."""
    rows = await conn.execute_fetchall(
        "SELECT kind, file_id, channel, file_name, mime_type, size FROM petition_files "
        "WHERE petition_id = ? ORDER BY position",
        (petition_id,),
    )
    return [PetitionFile(kind=r["kind"], file_id=r["file_id"], channel=r["channel"],
                         file_name=r["file_name"], mime_type=r["mime_type"], size=r["size"])
            for r in rows]


async def set_status(conn: Connection, petition_id: int, status: Status, *,
                     due: Deadline | None, clear_due: bool, merged_into: int | None,
                     now: datetime) -> None:
    """Move a petition to ``status``; set its deadline (or clear it); note a merge.

    A final status also records when the petition was closed.
    """
    if due is not None:
        await conn.execute(
            "UPDATE petitions SET due_rule = ?, due_rule_from = ?, due_on = ? WHERE id = ?",
            (due.rule_key, due.effective_from.isoformat(), due.due_on.isoformat(), petition_id),
        )
    elif clear_due:
        await conn.execute(
            "UPDATE petitions SET due_rule = NULL, due_rule_from = NULL, due_on = NULL "
            "WHERE id = ?", (petition_id,))
    await conn.execute(
        "UPDATE petitions SET status = ?, merged_into = COALESCE(?, merged_into), "
        "updated_at = ?, closed_at = ? WHERE id = ?",
        (status.value, merged_into, to_db(now), to_db(now) if status.is_final else None,
         petition_id),
    )


async def link(conn: Connection, petition_id: int, related_code: str, now: datetime) -> None:
    """Note the other petition of a mixed pair."""
    await conn.execute(
        "UPDATE petitions SET related_code = ?, updated_at = ? WHERE id = ?",
        (related_code, to_db(now), petition_id),
    )
