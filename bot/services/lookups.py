"""The lookup by code from another account: the phone check, wrong answers and the lockout.

Petitions (D-…) and appointments (H-…) are looked up the same way: the account that made
the record sees it at once; any other account must give the last four digits of a phone
given with it, and too many wrong answers lock the account out for a while. Whether a code
exists is never told: an unknown code asks for the digits and is "not matching" like any
wrong answer. Wrong answers to petitions and appointments are counted together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from bot.domain.petitions import phone_matches
from bot.domain.users import ChannelUser
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.storage import lookups as store

KEEP_FAILURES = timedelta(days=1)

T = TypeVar("T", covariant=True)


class LookupStep(StrEnum):
    """Where a lookup by code stands."""

    SHOWN = "shown"
    ASK_PHONE = "ask_phone"  # from another account: ask the phone's last four digits
    MISMATCH = "mismatch"  # the code and the digits do not go together (or no such code)
    LOCKED = "locked"  # too many wrong answers: wait


@dataclass(frozen=True)
class LookupOutcome(Generic[T]):
    """The answer to a lookup: what may be shown, or what to ask or say."""

    step: LookupStep
    view: T | None = None
    locked_until: datetime | None = None
    attempts_left: int | None = None

    def wait_minutes(self, now: datetime) -> int:
        """Return how many whole minutes (at least one) are left to wait."""
        if self.locked_until is None:
            return 0
        return max(1, math.ceil((self.locked_until - now).total_seconds() / 60))


@dataclass(frozen=True)
class PhoneCheck:
    """The result of the phone check: passed, or the outcome to give instead."""

    passed: bool
    refusal: LookupStep = LookupStep.MISMATCH
    locked_until: datetime | None = None
    attempts_left: int | None = None

    def outcome(self) -> LookupOutcome[T]:
        """Return the outcome of a check that did not pass."""
        return LookupOutcome(self.refusal, locked_until=self.locked_until,
                             attempts_left=self.attempts_left)


class LookupGuard:
    """Guard every lookup by code from another account with the same phone check."""

    def __init__(self, ctx: ServiceContext, audit: AuditService) -> None:
        self._ctx = ctx
        self._audit = audit

    @property
    def _window(self) -> timedelta:
        return timedelta(minutes=self._ctx.settings.petitions.lookup_lockout_minutes)

    async def _failures(self, user: ChannelUser) -> list[datetime]:
        return await store.failures_since(self._ctx.conn, user.channel, user.user_id,
                                          self._ctx.now - self._window)

    async def locked_until(self, user: ChannelUser) -> datetime | None:
        """Return until when the account is locked out of lookups, or None."""
        allowed = self._ctx.settings.petitions.lookup_max_failures
        failures = await self._failures(user)
        if len(failures) < allowed:
            return None
        # Locked while the window still holds as many wrong answers as allowed.
        until = failures[-allowed] + self._window
        return until if until > self._ctx.now else None

    async def opening(self, user: ChannelUser) -> LookupOutcome[T]:
        """Return what to do with a code from another account: ask the digits, or wait."""
        locked = await self.locked_until(user)
        if locked is not None:
            return LookupOutcome(LookupStep.LOCKED, locked_until=locked)
        return LookupOutcome(LookupStep.ASK_PHONE)

    async def check(self, what: str, user: ChannelUser, code: str, last_four: str,
                    phones: Sequence[str]) -> PhoneCheck:
        """Check ``last_four`` against the phones given with ``code`` (none: no such code).

        ``what`` names the record in the audit log ("petition", "booking").
        A right answer clears the wrong answers given for that code; a wrong one is counted
        and may lock the account out. Locked out, even the right digits are refused.
        """
        conn = self._ctx.conn
        locked = await self.locked_until(user)
        if locked is not None:
            return PhoneCheck(False, LookupStep.LOCKED, locked_until=locked)
        if phone_matches(phones, last_four):
            await store.clear_failures(conn, user.channel, user.user_id, code)
            await self._audit.record(f"{what}.lookup_checked", code)
            return PhoneCheck(True)
        await store.record_failure(conn, user.channel, user.user_id, code, self._ctx.now)
        await self._audit.record(f"{what}.lookup_failed", f"{user.channel}:{user.user_id}")
        locked = await self.locked_until(user)
        if locked is not None:
            return PhoneCheck(False, LookupStep.LOCKED, locked_until=locked)
        allowed = self._ctx.settings.petitions.lookup_max_failures
        return PhoneCheck(False, attempts_left=allowed - len(await self._failures(user)))

    async def forget_old_failures(self) -> int:
        """Delete wrong answers too old to count any more; return how many."""
        before = self._ctx.now - max(self._window, KEEP_FAILURES)
        return await store.forget_failures_before(self._ctx.conn, before)
