"""Identity: validate and protect what a citizen types; keep it for reuse."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain.identity import (
    Cccd,
    CccdError,
    Passport,
    PassportProblem,
    Phone,
    PhoneError,
    SealError,
    cccd_digest,
    parse_cccd,
    parse_passport,
    parse_phone,
    passport_digest,
    seal,
    unseal,
)
from bot.domain.person import PASSPORT_MARK, IdPaper, PersonIdentity, id_paper
from bot.domain.users import ChannelUser
from bot.i18n import _
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.storage import bookings as booking_store
from bot.storage import petitions as petition_store
from bot.storage import profiles as profile_store


@dataclass(frozen=True)
class HeldData:
    """What the office holds about a person who asks: their saved details and the counts."""

    identity: PersonIdentity | None
    petitions: int
    bookings: int


def id_paper_line(masked: str | None) -> str:
    """Return the identity number as a line of a card: CCCD, passport, or none given."""
    paper, shown = id_paper(masked)
    if paper is IdPaper.CCCD:
        return _("CCCD: {cccd}").format(cccd=shown)
    if paper is IdPaper.PASSPORT:
        return _("Passport: {number}").format(number=shown)
    return _("No identity number given")


def id_paper_cell(masked: str | None) -> str:
    """Return the identity number for a table's CCCD column (a passport says it is one)."""
    paper, shown = id_paper(masked)
    if paper is IdPaper.PASSPORT:
        return _("Passport {number}").format(number=shown)
    return shown


def id_paper_text(masked: str | None) -> str:
    """Return the identity number inside a list («CCCD 0791******23», «Hộ chiếu B1****67»)."""
    paper, shown = id_paper(masked)
    if paper is IdPaper.CCCD:
        return _("CCCD {cccd}").format(cccd=shown)
    if paper is IdPaper.PASSPORT:
        return _("Passport {number}").format(number=shown)
    return ""


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

    def passport(self, text: str) -> Passport | PassportProblem:
        """Validate a passport number typed by the person."""
        return parse_passport(text)

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

    def protect_passport(self, identity: PersonIdentity, passport: Passport) -> PersonIdentity:
        """Return ``identity`` with a passport number as digest, masked (marked) and sealed."""
        return replace(identity, cccd_digest=passport_digest(passport.number, self._key),
                       cccd_masked=PASSPORT_MARK + passport.masked,
                       cccd_sealed=seal(passport.number, self._key))

    def seal_text(self, text: str) -> str:
        """Return ``text`` encrypted, for something a citizen typed that is kept a while."""
        return seal(text, self._key)

    def unseal_text(self, token: str) -> str | None:
        """Return what ``seal_text`` hid in ``token``, or None if it cannot be opened."""
        try:
            return unseal(token, self._key)
        except SealError:
            return None

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

    async def held(self, user: ChannelUser) -> HeldData:
        """Return what the office holds about the person: the saved identity and how many
        petitions and appointments this account made (the right to see one's data)."""
        conn = self._ctx.conn
        held = HeldData(
            identity=await profile_store.get_profile(conn, user.channel, user.user_id),
            petitions=await petition_store.count_filed_by(conn, user.channel, user.user_id),
            bookings=await booking_store.count_of_person(conn, user.channel, user.user_id),
        )
        await self._audit.record("identity.view_own", f"{user.channel}:{user.user_id}")
        return held

    async def forget(self, user: ChannelUser) -> None:
        """Delete the saved identity, and audit it."""
        await profile_store.delete_profile(self._ctx.conn, user.channel, user.user_id)
        await self._audit.record("identity.forget", f"{user.channel}:{user.user_id}")
