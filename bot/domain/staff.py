"""The office's people: staff roles, their reception site, one-time invitations."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.users import ChannelUser, Role

# Telegram passes a deep link's payload as the /start argument: at most 64 characters of
# A-Z a-z 0-9 _ -. The prefix tells an invitation apart from other /start payloads.
INVITATION_PREFIX = "inv-"
_INVITATION = re.compile(r"^inv-[A-Za-z0-9_-]{32,60}$")

# Roles an invitation or a change can give (citizen is what a revoke leaves).
GRANTABLE_ROLES: tuple[Role, ...] = (Role.STAFF, Role.LEADER, Role.POLICE, Role.ADMIN)

# The order lists show people in: who manages first, then who works, then who is told.
_LIST_ORDER = {Role.ADMIN: 0, Role.LEADER: 1, Role.STAFF: 2, Role.POLICE: 3, Role.CITIZEN: 4}


def looks_like_invitation(text: str) -> bool:
    """Tell whether ``text`` has the form of an invitation token (not whether it is valid)."""
    return bool(_INVITATION.match(text))


def invitation_digest(token: str) -> str:
    """Return the digest under which an invitation token is stored.

    A plain SHA-256 is enough: the token is 256 random bits, so it cannot be guessed from
    its digest, and no key is needed by the command line to make one.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_key(channel: str, user_id: str) -> str:
    """Return how a person is written on the command line and in buttons: channel:user."""
    return f"{channel}:{user_id}"


def parse_user_key(text: str) -> tuple[str, str] | None:
    """Split ``channel:user`` into its parts; None if it is not of that form."""
    channel, sep, user_id = text.strip().partition(":")
    if not sep or not channel or not user_id or not channel.isidentifier():
        return None
    return channel, user_id


class InvitationState(StrEnum):
    """Where an invitation stands at a given time."""

    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Invitation:
    """A one-time grant of a role (and a site), waiting for someone to open it."""

    id: int
    role: Role
    site: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: str | None  # channel:user_id

    def state(self, now: datetime) -> InvitationState:
        """Tell whether the invitation is still open at ``now``."""
        if self.used_at is not None:
            return InvitationState.USED
        if now >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.OPEN


@dataclass(frozen=True)
class StaffMember:
    """A person holding a role other than citizen, and the site they work at (None: all)."""

    user: ChannelUser
    site: str | None

    @property
    def key(self) -> str:
        """The person as channel:user."""
        return user_key(self.user.channel, self.user.user_id)


def list_order(member: StaffMember) -> tuple[int, str, str]:
    """Return the sort key of a member in lists: role, then name, then key."""
    return (_LIST_ORDER[member.user.role], (member.user.display_name or "").casefold(),
            member.key)


@dataclass(frozen=True)
class RoleChange:
    """A change of someone's role or site, as it was made (for the notices it causes)."""

    member: StaffMember  # after the change
    previous_role: Role
    previous_site: str | None
    reason: str
    by: str | None  # channel:user_id of who made it (cli:<user> on the command line)
    invitation: Invitation | None = None  # the invitation it came through, if any

    @property
    def role_changed(self) -> bool:
        """Tell whether the role (not only the site) changed."""
        return self.member.user.role != self.previous_role
