"""The identity a citizen gives for a petition or a booking, as stored and shown."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

# A passport number is kept in the CCCD's fields (digest, masked, sealed); its masked form
# carries this mark so that every display can name the paper.
PASSPORT_MARK = "passport:"


class IdPaper(StrEnum):
    """Which identity number a person gave (NĐ 154 Đ.12 accepts a passport number too)."""

    CCCD = "cccd"  # số định danh cá nhân, on the citizen ID card
    PASSPORT = "passport"
    NONE = "none"  # none given: a foreigner without one, a lost card, only an old CMND


def id_paper(masked: str | None) -> tuple[IdPaper, str]:
    """Return which paper a stored masked number belongs to, and the number as shown."""
    if not masked:
        return IdPaper.NONE, ""
    if masked.startswith(PASSPORT_MARK):
        return IdPaper.PASSPORT, masked[len(PASSPORT_MARK):]
    return IdPaper.CCCD, masked


@dataclass(frozen=True)
class PersonIdentity:
    """Who a citizen is: name, phone, CCCD or passport number (as digest, masked and sealed
    forms), address."""

    full_name: str
    phone_e164: str | None = None
    phone_masked: str | None = None
    cccd_digest: str | None = None
    cccd_masked: str | None = None
    cccd_sealed: str | None = None
    address: str | None = None

    @property
    def paper(self) -> IdPaper:
        """Return which identity number the person gave, if any."""
        return id_paper(self.cccd_masked)[0]

    @property
    def complete(self) -> bool:
        """Tell whether the person gave everything asked: name, phone and address.

        The identity number is not required here: someone without one (a lost card, only an
        old CMND) goes on, and shows an identity paper at the office.
        """
        return bool(self.full_name and self.phone_e164 and self.address)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready form (for a draft)."""
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> PersonIdentity:
        """Rebuild an identity saved by ``to_json``."""
        def text(key: str) -> str | None:
            value = data.get(key)
            return str(value) if value is not None else None

        return PersonIdentity(
            full_name=str(data.get("full_name") or ""),
            phone_e164=text("phone_e164"),
            phone_masked=text("phone_masked"),
            cccd_digest=text("cccd_digest"),
            cccd_masked=text("cccd_masked"),
            cccd_sealed=text("cccd_sealed"),
            address=text("address"),
        )
