"""Time the day's queue on a (large) database: the service call that builds one page.

The lead's large-database benchmark seeds the bookings and visits, then calls::

    seconds = await time_queue(app, date(2026, 11, 26))

It times ``RegisterService.queue`` for the first configured site, first page, as a staff
member sees it (the no-show count of each person on the page included), in one transaction.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

# Run as a script, Python puts bench/ first on the path; the bot lives at the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import App
from bot.domain.users import Role
from bot.services import Actor


async def time_queue(app: App, day: date) -> float:
    """Return the seconds one page of the day's queue takes to build at the first site."""
    site = app.settings.sites[0].id
    async with app.database.transaction() as conn:
        services = app.dialog.services_for(conn, Actor("bench", "staff", Role.STAFF))
        started = time.perf_counter()
        page = await services.register.queue(day, site, 0)
        elapsed = time.perf_counter() - started
    assert page.day == day
    return elapsed
