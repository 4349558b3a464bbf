"""TEST SEAM, used only by tests/reporting_data.py: write register rows and classification
columns as the contract of migrations 0006 and 0007 defines them.

The reception register and petition classification are built on other branches; until they
are merged, the reports' tests put rows in their tables through these functions. Nothing in
the bot calls them. After the merge, tests/reporting_data.py switches to the real services
and this module goes.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.petitions import PetitionType
from bot.domain.text import fold
from bot.storage.database import Connection, to_db


async def seed_case_for_tests(conn: Connection, title: str, now: datetime) -> int:
    """Insert a case (vụ việc); return its id."""
    rows = list(await conn.execute_fetchall(
        "INSERT INTO cases (title, created_at) VALUES (?, ?) RETURNING id",
        (title, to_db(now))))
    return int(rows[0]["id"])


async def seed_visit_for_tests(
    conn: Connection, *, site_id: str, received_on: date, received_at: datetime, mode: str,
    people: int, full_name: str, summary: str, now: datetime, leader_id: str | None = None,
    leader_title: str | None = None, reception_day_id: int | None = None,
    case_id: int | None = None, visit_number: int = 1, mass_delegation: bool = False,
    refused: bool = False, petition_type: PetitionType | None = None,
    petition_id: int | None = None,
) -> int:
    """Insert one reception into the register (its serial is the next of its site and
    year); return its id."""
    rows = list(await conn.execute_fetchall(
        """
        INSERT INTO visits (site_id, serial, received_on, received_at, mode, leader_id,
                            leader_title, reception_day_id, petition_id, case_id,
                            visit_number, people, is_mass_delegation, full_name, name_folded,
                            summary, petition_type, refused, created_at, updated_at)
        VALUES (?, (SELECT COALESCE(MAX(serial), 0) + 1 FROM visits
                    WHERE site_id = ? AND substr(received_on, 1, 4) = ?),
                ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING id
        """,
        (site_id, site_id, f"{received_on.year:04d}", received_on.isoformat(),
         to_db(received_at), mode, leader_id, leader_title, reception_day_id, petition_id,
         case_id, visit_number, people, int(mass_delegation), full_name, fold(full_name),
         summary, petition_type.value if petition_type else None, int(refused), to_db(now),
         to_db(now)),
    ))
    return int(rows[0]["id"])


async def seed_classification_for_tests(
    conn: Connection, petition_id: int, *, source: str | None = None,
    site_id: str | None = None, eligible: bool | None = None, competence: str | None = None,
    chairman_jurisdiction: bool | None = None, case_id: int | None = None,
    assigned: tuple[str, str] | None = None, classified_at: datetime | None = None,
    closed_at: datetime | None = None,
) -> None:
    """Set the classification columns of a petition that are given (None: left as is)."""
    values: dict[str, object] = {}
    if source is not None:
        values["source"] = source
    if site_id is not None:
        values["site_id"] = site_id
    if eligible is not None:
        values["eligible"] = int(eligible)
    if competence is not None:
        values["competence"] = competence
    if chairman_jurisdiction is not None:
        values["chairman_jurisdiction"] = int(chairman_jurisdiction)
    if case_id is not None:
        values["case_id"] = case_id
    if assigned is not None:
        values["assigned_channel"], values["assigned_user_id"] = assigned
    if classified_at is not None:
        values["classified_at"] = to_db(classified_at)
    if closed_at is not None:
        values["closed_at"] = to_db(closed_at)
    if not values:
        return
    columns = ", ".join(f"{name} = ?" for name in values)
    await conn.execute(f"UPDATE petitions SET {columns} WHERE id = ?",  # noqa: S608 - column names from the code above
                       (*values.values(), petition_id))
