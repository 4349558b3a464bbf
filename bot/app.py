"""Wiring: settings, database, clock, routing and the conversation core, built in one place."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.dialog.core import Dialog
from bot.domain.clock import Clock, SystemClock
from bot.i18n import preload
from bot.storage.database import Database, open_database
from handlers.routing import build_routes

log = logging.getLogger(__name__)


@dataclass
class App:
    """The running bot, whatever the channel: one database, one clock, one core."""

    settings: Settings
    database: Database
    clock: Clock
    dialog: Dialog

    @classmethod
    async def open(cls, settings: Settings, clock: Clock | None = None) -> App:
        """Open the database (migrating it) and build the core."""
        preload()
        database = await open_database(settings.database_path)
        chosen_clock = clock or SystemClock()
        dialog = Dialog(database, settings, chosen_clock, build_routes())
        log.info("database %s ready", settings.database_path)
        return cls(settings=settings, database=database, clock=chosen_clock, dialog=dialog)

    async def close(self) -> None:
        """Close the database."""
        await self.database.close()
