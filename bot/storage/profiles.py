"""Saved citizen identities, one per channel user."""

from __future__ import annotations

from datetime import datetime

from bot.domain.identity import Phone
from bot.domain.person import PersonIdentity
from bot.storage.database import Connection, to_db


async def get_profile(conn: Connection, channel: str, user_id: str) -> PersonIdentity | None:
    """Return the identity the person gave last time, if any."""
    rows = list(await conn.execute_fetchall(
        "SELECT full_name, phone_e164, cccd_digest, cccd_masked, cccd_sealed, address "
        "FROM citizen_profiles WHERE channel = ? AND user_id = ?",
        (channel, user_id),
    ))
    if not rows:
        return None
    row = rows[0]
    phone = row["phone_e164"]
    return PersonIdentity(
        full_name=row["full_name"],
        phone_e164=phone,
        phone_masked=Phone(phone).masked if phone else None,
        cccd_digest=row["cccd_digest"],
        cccd_masked=row["cccd_masked"],
        cccd_sealed=row["cccd_sealed"],
        address=row["address"],
    )


async def save_profile(conn: Connection, channel: str, user_id: str, identity: PersonIdentity,
                       now: datetime) -> None:
    """Keep ``identity`` as the person's saved identity."""
    await conn.execute(
        """
        INSERT INTO citizen_profiles (channel, user_id, full_name, phone_e164, cccd_digest,
                                      cccd_masked, cccd_sealed, address, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel, user_id) DO UPDATE SET
            full_name = excluded.full_name, phone_e164 = excluded.phone_e164,
            cccd_digest = excluded.cccd_digest, cccd_masked = excluded.cccd_masked,
            cccd_sealed = excluded.cccd_sealed, address = excluded.address,
            updated_at = excluded.updated_at
        """,
        (channel, user_id, identity.full_name, identity.phone_e164, identity.cccd_digest,
         identity.cccd_masked, identity.cccd_sealed, identity.address, to_db(now)),
    )


async def delete_profile(conn: Connection, channel: str, user_id: str) -> None:
    """Forget the person's saved identity."""
    await conn.execute("DELETE FROM citizen_profiles WHERE channel = ? AND user_id = ?",
                       (channel, user_id))
