"""Identity: validate and protect what a citizen types; keep it for reuse."""

from __future__ import annotations

from bot.domain.identity import (
    Cccd,
    CccdError,
    Phone,
    PhoneError,
    cccd_digest,
    parse_cccd,
    parse_phone,
    seal,
    unseal,
)
from bot.domain.person import PersonIdentity
from bot.domain.users import ChannelUser
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.storage import profiles as profile_store


class IdentityService:
    """Turn typed identity into protected stored forms; read and keep saved identities."""

    def __init__(self, ctx: ServiceContext, audit: AuditService) -> None:
        self._ctx = ctx
        self._audit = audit

    @property
    def _key(self) -> bytes:
        key = self._ctx.settings.secret_key.value
        if not key:
            raise RuntimeError("TIEPDAN_SECRET_KEY is not set")
        return key.encode("utf-8")

    def phone(self, text: str) -> Phone | PhoneError:
        """Validate and normalise a phone number typed or shared by the person."""
        return parse_phone(text)

    def cccd(self, text: str) -> Cccd | CccdError:
        """Validate a CCCD number typed by the person."""
        return parse_cccd(text, today=self._ctx.now.astimezone(self._ctx.settings.tz).date())

    def digest(self, cccd: Cccd) -> str:
        """Return the HMAC of a CCCD number, for search and duplicate checks."""
        return cccd_digest(cccd.number, self._key)

    def digest_of(self, text: str) -> str | None:
        """Return the HMAC of a typed CCCD number, or None if it is not one."""
        parsed = self.cccd(text)
        return self.digest(parsed) if isinstance(parsed, Cccd) else None

    def protect(self, identity: PersonIdentity, cccd: Cccd | None) -> PersonIdentity:
        """Return ``identity`` with the CCCD number as digest, masked and sealed forms."""
        if cccd is None:
            return identity
        return PersonIdentity(
            full_name=identity.full_name,
            phone_e164=identity.phone_e164,
            phone_masked=identity.phone_masked,
            cccd_digest=self.digest(cccd),
            cccd_masked=cccd.masked,
            cccd_sealed=seal(cccd.number, self._key),
            address=identity.address,
        )

    async def reveal_cccd(self, sealed: str, subject: str) -> str:
        """Open a sealed CCCD number for an allowed role, and audit the view."""
        await self._audit.record("identity.reveal_cccd", subject)
        return unseal(sealed, self._key)

    async def saved(self, user: ChannelUser) -> PersonIdentity | None:
        """Return the identity the person gave last time."""
        return await profile_store.get_profile(self._ctx.conn, user.channel, user.user_id)

    async def keep(self, user: ChannelUser, identity: PersonIdentity) -> None:
        """Save the identity for reuse next time."""
        await profile_store.save_profile(self._ctx.conn, user.channel, user.user_id, identity,
                                         self._ctx.now)

    async def forget(self, user: ChannelUser) -> None:
        """Delete the saved identity."""
        await profile_store.delete_profile(self._ctx.conn, user.channel, user.user_id)
