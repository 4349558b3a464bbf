"""The petition register: petitions received in a period, for export, and imported ones."""

from __future__ import annotations

from datetime import datetime

from bot.domain.identity import Phone
from bot.domain.person import PersonIdentity
from bot.domain.processing import RegisterEntry
from bot.storage.database import Connection, Row, to_db
from bot.storage.petitions import PETITION_SELECT, petition_from_row

_LAST = """
    (SELECT e.agency FROM petition_events e WHERE e.petition_id = p.id AND e.agency IS NOT NULL
     ORDER BY e.id DESC LIMIT 1) AS last_agency,
    (SELECT e.document_no FROM petition_events e
     WHERE e.petition_id = p.id AND e.document_no IS NOT NULL ORDER BY e.id DESC LIMIT 1)
     AS last_document,
    (SELECT e.note FROM petition_events e WHERE e.petition_id = p.id AND e.to_status = p.status
     ORDER BY e.id DESC LIMIT 1) AS closing_note,
    u.display_name AS assigned_name,
"""


_PEOPLE = """
    i.full_name AS i_name, i.phone_e164 AS i_phone, i.cccd_masked AS i_cccd,
    i.address AS i_address,
    d.petition_id AS d_id, d.full_name AS d_name, d.phone_e164 AS d_phone,
    d.cccd_masked AS d_cccd, d.address AS d_address,
    (SELECT 1 FROM denouncer_representatives r WHERE r.petition_id = p.id LIMIT 1) AS d_group,
    p.*,"""


def _person(r: Row, prefix: str) -> PersonIdentity | None:
    name = r[f"{prefix}_name"]
    if name is None:
        return None
    phone = r[f"{prefix}_phone"]
    return PersonIdentity(full_name=name, phone_e164=phone,
                          phone_masked=Phone(phone).masked if phone else None,
                          cccd_masked=r[f"{prefix}_cccd"], address=r[f"{prefix}_address"])


async def entries(conn: Connection, start: datetime, end: datetime, *,
                  with_protected: bool) -> list[RegisterEntry]:
    """Return the petitions received in [start, end), in order of receipt.

    A protected sender (a denouncer) is read only ``with_protected``; otherwise the entry
    says it is withheld.
    """
    select = PETITION_SELECT.replace("SELECT p.*,", "SELECT " + _LAST + _PEOPLE, 1)
    rows = await conn.execute_fetchall(
        select + """
        LEFT JOIN petition_identities i ON i.petition_id = p.id
        LEFT JOIN denouncer_identities d ON d.petition_id = p.id
        LEFT JOIN channel_users u ON u.channel = p.assigned_channel
                                 AND u.user_id = p.assigned_user_id
        WHERE p.received_at >= ? AND p.received_at < ?
        ORDER BY p.received_at, p.id
        """,
        (to_db(start), to_db(end)),
    )
    found: list[RegisterEntry] = []
    for r in rows:
        petition = petition_from_row(r)
        protected = (r["d_id"] is not None or r["d_group"] is not None
                     or petition.kind.identity_protected)
        if protected:
            identity = _person(r, "d") if with_protected else None
            withheld = not with_protected and not petition.anonymous
        else:
            identity = _person(r, "i")
            withheld = False
        found.append(RegisterEntry(petition=petition, identity=identity, withheld=withheld,
                                   last_agency=r["last_agency"],
                                   last_document=r["last_document"],
                                   closing_note=r["closing_note"] or None,
                                   assigned_name=r["assigned_name"]))
    return found
