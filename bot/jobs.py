"""Scheduled work, derived from database rows each time it runs (never the only copy of a fact).

Each job is a coroutine taking the services (bound to its own transaction, acting as the
system) and returning how many things it did. The Telegram channel runs them every minute
through PTB's JobQueue, the terminal after each line, and tests with a fixed clock.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.config import Settings
from bot.domain.clock import Clock
from bot.services import Actor, ServiceContext, Services
from bot.storage.database import Database

log = logging.getLogger(__name__)

Job = Callable[[Services], Awaitable[int]]


async def forget_old_lookup_failures(services: Services) -> int:
    """Delete wrong petition-lookup answers that no longer count towards a lockout."""
    return await services.petitions.forget_old_lookup_failures()


# Each feature adds its jobs here, in the order they should run.
JOBS: list[tuple[str, Job]] = [
    # Leaders' days first: a day generated now can be booked, reminded and waited for.
    ("bookings.schedule", lambda services: services.bookings.keep_schedule()),
    ("bookings.waitlist", lambda services: services.bookings.expire_offers()),
    ("bookings.reminders", lambda services: services.bookings.send_reminders()),
    ("petitions.forget_lookup_failures", forget_old_lookup_failures),
    # Deadline alerts before digests: a brief then counts what the alerts already said.
    ("reports.deadline_alerts", lambda services: services.reports.send_deadline_alerts()),
    ("reports.digests", lambda services: services.reports.send_digests()),
]


async def run_due_jobs(database: Database, settings: Settings, clock: Clock) -> dict[str, int]:
    """Run every job once, each in its own transaction; return what each did (-1: failed)."""
    done: dict[str, int] = {}
    for name, job in JOBS:
        try:
            async with database.transaction() as conn:
                services = Services(ServiceContext(conn, clock.now(), settings, Actor.system()))
                done[name] = await job(services)
        except Exception:
            log.exception("scheduled job %s failed", name)
            done[name] = -1
    return done
