"""Staff search (/timkiem): by code, phone, CCCD or name, over petitions, bookings and visits.

A CCCD number is matched through its HMAC only. A denouncer's identity is searched only for
the roles allowed to see it, and each such search is audited; so is every search by phone,
CCCD or name (without the value typed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from bot.domain.codes import BOOKING_PREFIX, find_code
from bot.domain.identity import Phone
from bot.domain.petitions import Petition
from bot.domain.processing import BookingHit, SearchKey, VisitHit, name_key, search_key
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.services.identity import IdentityService
from bot.services.shield import ShieldService
from bot.storage import petitions as petition_store
from bot.storage import search as store

SHOWN = 10  # per kind of record; one more is read to tell that there are more


@dataclass(frozen=True)
class PetitionHit:
    """A petition found, with its sender as staff may see them (phone masked)."""

    petition: Petition
    sender: str | None  # None: anonymous, or withheld
    phone_masked: str | None
    withheld: bool  # a protected sender this role may not see
    protected: bool  # a protected sender shown to an allowed role


@dataclass(frozen=True)
class SearchResults:
    """What a search found, kind by kind; ``more`` when a kind had more than shown."""

    key: SearchKey | None
    petitions: tuple[PetitionHit, ...] = ()
    bookings: tuple[BookingHit, ...] = ()
    visits: tuple[VisitHit, ...] = ()
    more: bool = False
    invalid: bool = False  # a number that is neither a valid phone nor a valid CCCD

    @property
    def empty(self) -> bool:
        """Tell whether nothing was found."""
        return not (self.petitions or self.bookings or self.visits)


class SearchService:
    """Find petitions, bookings and register rows for the office's staff."""

    def __init__(self, ctx: ServiceContext, audit: AuditService,
                 identity: IdentityService) -> None:
        self._ctx = ctx
        self._audit = audit
        self._identity = identity

    @cached_property
    def _shield(self) -> ShieldService:
        return ShieldService(self._ctx, self._audit)

    def _may_see_denouncers(self) -> bool:
        return self._shield.may_see_denouncers()

    async def search(self, text: str) -> SearchResults:
        """Search for ``text``: a tracking or booking code, a phone, a CCCD number or a name."""
        role = self._ctx.actor.role
        if role is not None and not role.is_official:
            await self._audit.record("access.denied", "search", role=role.value)
            raise PermissionError("only the office's staff search")
        code = find_code(text)
        if code is not None:
            return await self._by_code(code)
        key = search_key(text)
        if key is None:
            return SearchResults(key=None)
        if key is SearchKey.PHONE:
            results = await self._by_phone(text)
        elif key is SearchKey.CCCD:
            results = await self._by_cccd(text)
        else:
            results = await self._by_name(text)
        await self._audit.record("search", key.value, found=len(results.petitions)
                                 + len(results.bookings) + len(results.visits),
                                 denouncers=any(hit.protected for hit in results.petitions))
        return results

    async def _by_code(self, code: str) -> SearchResults:
        conn = self._ctx.conn
        if code.startswith(BOOKING_PREFIX):
            return SearchResults(SearchKey.CODE,
                                 bookings=tuple(await store.bookings_by_code(conn, code)))
        petition = await petition_store.get_by_code(conn, code)
        hits = await self._hits([petition] if petition else [], protected=False)
        return SearchResults(SearchKey.CODE, petitions=tuple(hits))

    async def _by_phone(self, text: str) -> SearchResults:
        parsed = self._identity.phone(text)
        if not isinstance(parsed, Phone):
            return SearchResults(SearchKey.PHONE, invalid=True)
        conn = self._ctx.conn
        phone = parsed.e164
        found = await store.petitions_by_phone(conn, phone, SHOWN + 1)
        protected = (await store.denunciations_by_phone(conn, phone, SHOWN + 1)
                     if self._may_see_denouncers() else [])
        return await self._results(SearchKey.PHONE, found, protected,
                                   await store.bookings_by_phone(conn, phone, SHOWN + 1),
                                   await store.visits_by_phone(conn, phone, SHOWN + 1))

    async def _by_cccd(self, text: str) -> SearchResults:
        digest = self._identity.digest_of(text)
        if digest is None:
            return SearchResults(SearchKey.CCCD, invalid=True)
        conn = self._ctx.conn
        found = await store.petitions_by_cccd(conn, digest, SHOWN + 1)
        protected = (await store.denunciations_by_cccd(conn, digest, SHOWN + 1)
                     if self._may_see_denouncers() else [])
        return await self._results(SearchKey.CCCD, found, protected,
                                   await store.bookings_by_cccd(conn, digest, SHOWN + 1),
                                   await store.visits_by_cccd(conn, digest, SHOWN + 1))

    async def _by_name(self, text: str) -> SearchResults:
        conn = self._ctx.conn
        prefix = name_key(text)
        found = await store.petitions_by_name(conn, prefix, SHOWN + 1)
        protected = (await store.denunciations_by_name(conn, prefix, SHOWN + 1)
                     if self._may_see_denouncers() else [])
        return await self._results(SearchKey.NAME, found, protected,
                                   await store.bookings_by_name(conn, prefix, SHOWN + 1),
                                   await store.visits_by_name(conn, prefix, SHOWN + 1))

    async def _results(self, key: SearchKey, found: list[Petition], protected: list[Petition],
                       bookings: list[BookingHit], visits: list[VisitHit]) -> SearchResults:
        more = any(len(kind) > SHOWN for kind in (found, protected, bookings, visits))
        hits = [*await self._hits(found[:SHOWN], protected=False),
                *await self._hits(protected[:SHOWN], protected=True)]
        return SearchResults(key, petitions=tuple(hits), bookings=tuple(bookings[:SHOWN]),
                             visits=tuple(await self._visits(visits[:SHOWN])), more=more)

    async def _visits(self, visits: list[VisitHit]) -> list[VisitHit]:
        """Return register rows found with a denouncer's petition never named beside them."""
        shield = await self._shield.shield(
            [text for v in visits for text in (v.petition_code, v.summary)], where="search")
        return [replace(v, summary=shield.text(v.summary),
                        petition_code=shield.code(v.petition_code),
                        petition_withheld=shield.withholds(v.petition_code))
                for v in visits]

    async def _hits(self, petitions: list[Petition], *, protected: bool) -> list[PetitionHit]:
        conn = self._ctx.conn
        hits: list[PetitionHit] = []
        see = self._may_see_denouncers()
        for petition in petitions:
            shielded = protected or petition.kind.identity_protected or \
                await petition_store.is_protected(conn, petition.id)
            person = None
            if not shielded or see:
                person = await petition_store.identity(conn, petition.id, protected=shielded)
            if shielded and see and person is not None:
                await self._audit.record("petition.denouncer_identity.view", petition.code,
                                         role=self._role_value(), via="search")
            hits.append(PetitionHit(
                petition=petition,
                sender=person.full_name if person else None,
                phone_masked=person.phone_masked if person else None,
                withheld=shielded and not see,
                protected=shielded and see and person is not None,
            ))
        return hits

    def _role_value(self) -> str | None:
        role = self._ctx.actor.role
        return role.value if role else None
