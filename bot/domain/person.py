"""The identity a citizen gives for a petition or a booking, as stored and shown."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class PersonIdentity:
    """Who a citizen is: name, phone, CCCD (as digest, masked and sealed forms), address."""

    full_name: str
    phone_e164: str | None = None
    phone_masked: str | None = None
    cccd_digest: str | None = None
    cccd_masked: str | None = None
    cccd_sealed: str | None = None
    address: str | None = None

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
