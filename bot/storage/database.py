"""The SQLite database: one connection, WAL, foreign keys, one write transaction at a time."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.domain.processing import name_key

log = logging.getLogger(__name__)

Connection = aiosqlite.Connection
Row = sqlite3.Row
DatabaseError = sqlite3.Error  # what the driver raises, for callers outside storage to catch


def to_db(moment: datetime) -> str:
    """Store a time as UTC text that sorts in time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored; pass a UTC time")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db(text: str) -> datetime:
    """Read a time stored by ``to_db``."""
    return datetime.fromisoformat(text)


def _fold(text: object) -> str | None:
    """Fold a name for search inside SQL (NULL stays NULL)."""
    if not isinstance(text, str):
        return None
    return name_key(text) or None


def migrations() -> list[tuple[int, str, str]]:
    """Return the numbered migrations as (number, name, sql), in order."""
    found: list[tuple[int, str, str]] = []
    folder = resources.files("bot.storage").joinpath("migrations")
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        number = int(name.split("_", 1)[0])
        found.append((number, name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found


class Database:
    """An aiosqlite connection shared by the process, with serialised transactions."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def connect(self) -> None:
        """Open the file (creating it and its folder) and set the pragmas."""
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=10000")
            # Migrations fill search keys of rows stored before them with the program's own
            # folding (no SQL function drops Vietnamese diacritics).
            await conn.create_function("tiepdan_fold", 1, _fold, deterministic=True)
        except BaseException:
            # The connection's thread would otherwise keep the process alive at exit (a file
            # that is no database fails at the first pragma).
            await conn.close()
            raise
        self._connection = conn

    async def close(self) -> None:
        """Close the connection."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("the database is not connected")
        return self._connection

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one write transaction; no other task's transaction interleaves."""
        async with self._lock:
            conn = self.connection
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    async def schema_version(self) -> int:
        """Return the number of the last migration applied."""
        async with self._lock:
            cursor = await self.connection.execute("PRAGMA user_version")
            row = await cursor.fetchone()
            return int(row[0]) if row else 0

    async def migrate(self) -> list[str]:
        """Apply the migrations not yet applied; return their names."""
        applied: list[str] = []
        current = await self.schema_version()
        known = migrations()
        if current > len(known):
            raise RuntimeError(
                f"the database is at schema {current}, newer than this program ({len(known)})"
            )
        for number, name, sql in known:
            if number <= current:
                continue
            async with self._lock:
                conn = self.connection
                try:
                    await conn.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\n;PRAGMA user_version = {number};\nCOMMIT;"
                    )
                except sqlite3.Error:
                    if conn.in_transaction:
                        await conn.execute("ROLLBACK")
                    raise
            log.info("applied migration %s", name)
            applied.append(name)
        return applied

    async def backup(self, target: Path | str) -> None:
        """Copy the live database to ``target`` with SQLite's online backup."""
        target_path = Path(target)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            destination = await aiosqlite.connect(target_path)
            try:
                await self.connection.backup(destination)
            finally:
                await destination.close()


async def open_database(path: Path | str) -> Database:
    """Connect to the database at ``path`` and bring its schema up to date."""
    database = Database(path)
    await database.connect()
    try:
        await database.migrate()
    except BaseException:
        await database.close()
        raise
    return database
