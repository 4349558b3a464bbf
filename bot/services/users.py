"""People: first contact, language, role and consent to the data-protection notice."""

from __future__ import annotations

from bot.config import LANGUAGES
from bot.domain.users import ChannelUser, Consent, Purpose, Role
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.storage import users as user_store


class UserService:
    """Read and change what the bot knows of a channel user."""

    def __init__(self, ctx: ServiceContext, audit: AuditService) -> None:
        self._ctx = ctx
        self._audit = audit

    async def arrive(
        self, channel: str, user_id: str, chat_id: str, display_name: str | None
    ) -> ChannelUser:
        """Note that the person wrote; create them on first contact; apply configured admins."""
        user = await user_store.touch_user(
            self._ctx.conn, channel, user_id, chat_id, display_name, self._ctx.now
        )
        if self._ctx.settings.is_admin(channel, user_id) and user.role != Role.ADMIN:
            await user_store.set_role(self._ctx.conn, channel, user_id, Role.ADMIN)
            await self._audit.record("role.bootstrap_admin", f"{channel}:{user_id}",
                                     previous=user.role.value)
            refreshed = await user_store.get_user(self._ctx.conn, channel, user_id)
            assert refreshed is not None  # noqa: S101 - the row exists
            return refreshed
        return user

    async def get(self, channel: str, user_id: str) -> ChannelUser | None:
        """Return the person, if they ever wrote."""
        return await user_store.get_user(self._ctx.conn, channel, user_id)

    async def set_language(self, user: ChannelUser, language: str) -> None:
        """Remember the language the person chose."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        await user_store.set_language(self._ctx.conn, user.channel, user.user_id, language)

    async def set_role(self, channel: str, user_id: str, role: Role, reason: str) -> None:
        """Give a person a role, and audit it."""
        before = await user_store.get_user(self._ctx.conn, channel, user_id)
        if before is None:
            raise LookupError(f"no such user {channel}:{user_id}")
        await user_store.set_role(self._ctx.conn, channel, user_id, role)
        await self._audit.record("role.change", f"{channel}:{user_id}",
                                 previous=before.role.value, role=role.value, reason=reason)

    async def with_roles(self, *roles: Role) -> list[ChannelUser]:
        """Return everyone holding one of ``roles``."""
        return await user_store.users_with_roles(self._ctx.conn, roles)

    async def consent(self, user: ChannelUser) -> Consent:
        """Return the person's current answers to the data-protection notice."""
        return await user_store.get_consent(self._ctx.conn, user.channel, user.user_id)

    async def record_consent(self, user: ChannelUser, purpose: Purpose, granted: bool) -> None:
        """Record the person's answer for one purpose, with the notice version and time."""
        await user_store.record_consent(
            self._ctx.conn,
            user.channel,
            user.user_id,
            purpose,
            granted,
            self._ctx.settings.privacy.notice_version,
            self._ctx.now,
        )
        await self._audit.record("consent." + ("grant" if granted else "refuse"),
                                 f"{user.channel}:{user.user_id}", purpose=purpose.value,
                                 notice_version=self._ctx.settings.privacy.notice_version)
