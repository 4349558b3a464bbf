"""Staff roles: one-time invitations, role and site changes, and who works where.

Every change checks, here and not only in the handler, that an admin makes it; every
change and every invitation is audited. Telling people about a change is the caller's job
(the chat and the command line share one function for it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.domain.staff import (
    GRANTABLE_ROLES,
    INVITATION_PREFIX,
    Invitation,
    InvitationState,
    RoleChange,
    StaffMember,
    invitation_digest,
    list_order,
    looks_like_invitation,
    user_key,
)
from bot.domain.users import ChannelUser, Role
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.storage import staff as staff_store
from bot.storage import users as user_store

CLI_CHANNEL = "cli"  # the actor's channel for changes made on the command line
DEFAULT_INVITATION_HOURS = 72
MAX_INVITATION_HOURS = 24 * 30
_TOKEN_BYTES = 32  # 256 random bits, 43 characters: within Telegram's 64 for a deep link


class Refusal(StrEnum):
    """Why a staff change was not made."""

    NOT_ADMIN = "not_admin"
    UNKNOWN_PERSON = "unknown_person"
    UNKNOWN_SITE = "unknown_site"
    NOT_GRANTABLE = "not_grantable"
    BAD_HOURS = "bad_hours"
    NO_CHANGE = "no_change"
    LAST_ADMIN = "last_admin"
    CONFIGURED_ADMIN = "configured_admin"


class StaffChangeError(Exception):
    """A staff change the rules do not allow; ``refusal`` says which rule."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


class Opened(StrEnum):
    """What opening an invitation did."""

    GRANTED = "granted"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ALREADY_YOURS = "already_yours"  # the same person opened it again
    ADMIN_KEPT = "admin_kept"  # an admin opened an invitation for a lesser role: not used


@dataclass(frozen=True)
class InvitationOutcome:
    """The result of opening an invitation, with the invitation and the change, if any."""

    opened: Opened
    invitation: Invitation | None = None
    change: RoleChange | None = None


@dataclass(frozen=True)
class NewInvitation:
    """An invitation just made, with its token (shown once, never stored)."""

    invitation: Invitation
    token: str


class StaffService:
    """Invite people to roles, change and revoke roles, and tell where staff work."""

    def __init__(self, ctx: ServiceContext, audit: AuditService) -> None:
        self._ctx = ctx
        self._audit = audit

    # -- reading ---------------------------------------------------------------------------

    async def members(self) -> list[StaffMember]:
        """Return everyone with a role other than citizen: admins, leaders, staff, police."""
        return sorted(await staff_store.members(self._ctx.conn), key=list_order)

    async def member(self, channel: str, user_id: str) -> StaffMember | None:
        """Return a person with their role and site; None if they never wrote."""
        return await staff_store.member(self._ctx.conn, channel, user_id)

    async def site_of(self, user: ChannelUser) -> str | None:
        """Return the id of the site the person works at; None: no one site (all of them)."""
        site = await staff_store.site_of(self._ctx.conn, user.channel, user.user_id)
        return site if site in self.site_ids() else None

    def site_ids(self) -> tuple[str, ...]:
        """Return the ids of the configured reception sites."""
        return tuple(site.id for site in self._ctx.settings.sites)

    def is_configured_admin(self, channel: str, user_id: str) -> bool:
        """Tell whether the settings file names this person an admin."""
        return self._ctx.settings.is_admin(channel, user_id)

    # -- invitations -----------------------------------------------------------------------

    async def invite(self, role: Role, site: str | None,
                     hours: int = DEFAULT_INVITATION_HOURS) -> NewInvitation:
        """Make a one-time invitation to ``role`` (at ``site``) valid for ``hours``."""
        self._require_admin()
        if role not in GRANTABLE_ROLES:
            raise StaffChangeError(Refusal.NOT_GRANTABLE)
        self._check_site(site)
        if not 1 <= hours <= MAX_INVITATION_HOURS:
            raise StaffChangeError(Refusal.BAD_HOURS)
        token = INVITATION_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)
        now = self._ctx.now
        expires_at = now + timedelta(hours=hours)
        invitation_id = await staff_store.add_invitation(
            self._ctx.conn, digest=invitation_digest(token), role=role, site=site,
            created_by=self._actor_key() or "system", now=now, expires_at=expires_at,
        )
        await self._audit.record("staff.invitation_created", f"invitation:{invitation_id}",
                                 role=role.value, site=site, hours=hours,
                                 expires_at=expires_at.isoformat())
        invitation = Invitation(id=invitation_id, role=role, site=site,
                                created_by=self._actor_key() or "system", created_at=now,
                                expires_at=expires_at, used_at=None, used_by=None)
        return NewInvitation(invitation=invitation, token=token)

    async def open_invitation(self, user: ChannelUser, token: str) -> InvitationOutcome:
        """Grant the role of the invitation ``token`` to ``user``, if it is open."""
        key = user_key(user.channel, user.user_id)
        invitation = None
        if looks_like_invitation(token):
            invitation = await staff_store.invitation_by_digest(
                self._ctx.conn, invitation_digest(token))
        if invitation is None:
            return await self._refused(key, Opened.UNKNOWN, None)
        state = invitation.state(self._ctx.now)
        if state is InvitationState.USED:
            if invitation.used_by == key:
                return InvitationOutcome(Opened.ALREADY_YOURS, invitation)
            return await self._refused(key, Opened.USED, invitation)
        if state is InvitationState.EXPIRED:
            return await self._refused(key, Opened.EXPIRED, invitation)
        if user.role is Role.ADMIN and invitation.role is not Role.ADMIN:
            # Taking it would demote an admin, perhaps the last one: it stays open for
            # the person it was meant for.
            return await self._refused(key, Opened.ADMIN_KEPT, invitation)
        if not await staff_store.use_invitation(self._ctx.conn, invitation.id, user.channel,
                                                user.user_id, self._ctx.now):
            return await self._refused(key, Opened.USED, invitation)
        member = await self._member_or_refuse(user.channel, user.user_id)
        change = await self._apply(member, invitation.role, invitation.site, "invitation",
                                   invitation)
        return InvitationOutcome(Opened.GRANTED, invitation, change)

    async def _refused(self, key: str, opened: Opened,
                       invitation: Invitation | None) -> InvitationOutcome:
        await self._audit.record("staff.invitation_refused", key, reason=opened.value,
                                 invitation=invitation.id if invitation else None)
        return InvitationOutcome(opened, invitation)

    # -- changes ---------------------------------------------------------------------------

    async def assign(self, channel: str, user_id: str, role: Role, site: str | None,
                     reason: str) -> RoleChange:
        """Give a person ``role`` at ``site`` (None: all sites); refuse what the rules forbid."""
        self._require_admin()
        member = await self._member_or_refuse(channel, user_id)
        self._check_site(site)
        if role is Role.CITIZEN:
            site = None
        if role is member.user.role and site == member.site:
            raise StaffChangeError(Refusal.NO_CHANGE)
        if member.user.role is Role.ADMIN and role is not Role.ADMIN:
            if self.is_configured_admin(channel, user_id):
                # The next message from them would make them admin again (users.arrive).
                raise StaffChangeError(Refusal.CONFIGURED_ADMIN)
            if await self._admin_count() <= 1:
                raise StaffChangeError(Refusal.LAST_ADMIN)
        return await self._apply(member, role, site, reason.strip())

    async def revoke(self, channel: str, user_id: str, reason: str) -> RoleChange:
        """Take away a person's role: they become a citizen again."""
        return await self.assign(channel, user_id, Role.CITIZEN, None, reason)

    async def _apply(self, member: StaffMember, role: Role, site: str | None, reason: str,
                     invitation: Invitation | None = None) -> RoleChange:
        conn = self._ctx.conn
        user = member.user
        if role is not user.role:
            await user_store.set_role(conn, user.channel, user.user_id, role)
        if site != member.site:
            await staff_store.set_site(conn, user.channel, user.user_id, site, self._ctx.now)
        through = ({"invitation": invitation.id, "invited_by": invitation.created_by}
                   if invitation is not None else {})
        await self._audit.record("role.change", member.key, previous=user.role.value,
                                 role=role.value, previous_site=member.site, site=site,
                                 reason=reason, **through)
        after = await self._member_or_refuse(user.channel, user.user_id)
        return RoleChange(member=after, previous_role=user.role, previous_site=member.site,
                          reason=reason, by=self._actor_key(), invitation=invitation)

    # -- checks ----------------------------------------------------------------------------

    def _require_admin(self) -> None:
        if self._ctx.actor.role is not Role.ADMIN:
            raise StaffChangeError(Refusal.NOT_ADMIN)

    def _check_site(self, site: str | None) -> None:
        if site is not None and site not in self.site_ids():
            raise StaffChangeError(Refusal.UNKNOWN_SITE)

    async def _member_or_refuse(self, channel: str, user_id: str) -> StaffMember:
        member = await staff_store.member(self._ctx.conn, channel, user_id)
        if member is None:
            raise StaffChangeError(Refusal.UNKNOWN_PERSON)
        return member

    async def _admin_count(self) -> int:
        stored = await user_store.users_with_roles(self._ctx.conn, (Role.ADMIN,))
        # A configured admin who has not written yet becomes one on first contact.
        keys = {user_key(u.channel, u.user_id) for u in stored}
        return len(keys | set(self._ctx.settings.admins))

    def _actor_key(self) -> str | None:
        actor = self._ctx.actor
        if actor.channel is None or actor.user_id is None:
            return None
        return user_key(actor.channel, actor.user_id)
