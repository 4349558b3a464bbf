"""Wiring: settings, database, clock, routing and the conversation core, built in one place."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from bot.config import Secret, Settings
from bot.dialog.core import Dialog
from bot.domain.clock import Clock, SystemClock
from bot.i18n import preload
from bot.jobs import run_due_jobs
from bot.storage import conversations as conversation_store
from bot.storage.database import Database, open_database
from handlers.routing import build_routes

log = logging.getLogger(__name__)

KEEP_UPDATE_IDS = timedelta(days=7)  # Telegram redelivers for at most 24 hours


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
        settings = ensure_secret_key(settings)
        database = await open_database(settings.database_path)
        chosen_clock = clock or SystemClock()
        dialog = Dialog(database, settings, chosen_clock, build_routes())
        log.info("database %s ready", settings.database_path)
        return cls(settings=settings, database=database, clock=chosen_clock, dialog=dialog)

    async def tick(self) -> dict[str, int]:
        """Run the scheduled jobs that are due now (reminders, offers, deadlines, digests)."""
        return await run_due_jobs(self.database, self.settings, self.clock)

    async def housekeeping(self) -> dict[str, int]:
        """Forget what is no longer needed: old update ids, and chat drafts past retention."""
        now = self.clock.now()
        retention = timedelta(days=self.settings.privacy.chat_retention_days)
        async with self.database.transaction() as conn:
            return {
                "update_ids": await conversation_store.forget_updates_before(
                    conn, now - KEEP_UPDATE_IDS),
                "drafts": await conversation_store.delete_drafts_before(conn, now - retention),
                "conversations": await conversation_store.clear_conversations_before(
                    conn, now - retention),
            }

    async def close(self) -> None:
        """Close the database."""
        await self.database.close()


def ensure_secret_key(settings: Settings) -> Settings:
    """Return settings with a secret key: TIEPDAN_SECRET_KEY, else a key file by the database.

    A trial on a fresh machine must work without setup, so a missing key is generated once
    and kept beside the database (readable by the owner only). Production sets the variable.
    """
    if settings.secret_key:
        return settings
    key_file = key_file_of(settings.database_path)
    if key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
    else:
        key = secrets.token_urlsafe(32)
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        log.warning("TIEPDAN_SECRET_KEY is not set: generated a key in %s. Set the variable "
                    "in production and keep the key safe: without it CCCD numbers cannot be "
                    "read or searched.", key_file)
    return replace(settings, secret_key=Secret(key))


def key_file_of(database: Path) -> Path:
    """Return where the key is kept for ``database`` when TIEPDAN_SECRET_KEY is not set."""
    return Path(str(database) + ".key")
