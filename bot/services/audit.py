"""Audit: append who did what; never phone or CCCD numbers."""

from __future__ import annotations

from typing import Any

from bot.services.context import ServiceContext
from bot.storage import audit as audit_store


class AuditService:
    """Write audit entries for the current actor."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def record(self, action: str, subject: str | None = None,
                     **detail: Any) -> None:
        """Append an entry for the acting person (or the system)."""
        actor = self._ctx.actor
        await audit_store.write(
            self._ctx.conn,
            at=self._ctx.now,
            action=action,
            actor_channel=actor.channel,
            actor_user_id=actor.user_id,
            actor_role=actor.role.value if actor.role else None,
            subject=subject,
            detail=detail,
        )

    async def entries(self, action: str | None = None,
                      limit: int = 100) -> list[audit_store.AuditEntry]:
        """Return the latest entries."""
        return await audit_store.entries(self._ctx.conn, action, limit)
