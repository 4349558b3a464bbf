"""Petition codes named beside people: which a reader may see (domain.md §2.4).

A denouncer's identity is kept secret (Luật Tố cáo Đ.9, Đ.56). Naming a denunciation's code
beside someone named — the other half of a mixed complaint, a booking, a register row, a
complainant's card or export row — tells who denounced; so does naming a named petition
beside a denunciation. For the roles not in ``petitions.denouncer_identity_roles`` such
codes are withheld (shown as a protected petition, never by code); the roles allowed see
them, and each such view is audited like a view of the denouncer's identity.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.codes import PETITION_PREFIX, codes_in
from bot.domain.petitions import Shield, crossing_codes
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.storage import petitions as petition_store

AUDIT_LINK_VIEW = "petition.denouncer_link.view"


def may_see_denouncers(ctx: ServiceContext) -> bool:
    """Tell whether the acting role may see a denouncer's identity (the system may)."""
    role = ctx.actor.role
    return role is None or role.value in ctx.settings.petitions.denouncer_identity_roles


def withheld_mark() -> str:
    """Return what stands in a text for a petition code that is withheld.

    An ellipsis, not «protected petition»: beside a named person, saying that the code left
    out is a protected one would itself tell that the person denounced.
    """
    return "[…]"


class ShieldService:
    """Tell which petition codes a reader may see in a place; audit the allowed views."""

    def __init__(self, ctx: ServiceContext, audit: AuditService) -> None:
        self._ctx = ctx
        self._audit = audit

    def may_see_denouncers(self) -> bool:
        """Tell whether the acting role may see a denouncer's identity."""
        return may_see_denouncers(self._ctx)

    async def protection(self, codes: Iterable[str]) -> dict[str, bool]:
        """Return, for each petition code that exists, whether its sender is protected."""
        wanted = {code for code in codes if code.startswith(PETITION_PREFIX)}
        return await petition_store.protection(self._ctx.conn, wanted)

    async def shield(self, texts: Iterable[str | None], *, where: str,
                     beside_protected: bool = False, allowed: bool | None = None) -> Shield:
        """Return what the reader may see of the petition codes in ``texts``.

        ``texts`` are codes or free text shown in one place (``where``, for the audit log),
        beside a named person, or beside a protected petition when ``beside_protected``.
        ``allowed`` overrides the acting role (False for group chats and the police).
        """
        found: set[str] = set()
        for text in texts:
            if text:
                found |= codes_in(text)
        crossing = crossing_codes(await self.protection(found),
                                  beside_protected=beside_protected)
        see = self.may_see_denouncers() if allowed is None else allowed
        if not see:
            return Shield(crossing, withheld_mark())
        role = self._ctx.actor.role
        if role is not None:
            for code in sorted(crossing):
                await self._audit.record(AUDIT_LINK_VIEW, code, where=where, role=role.value)
        return Shield(mask=withheld_mark())
