"""Time the staff side on a large database: the inbox, a search by phone, a month's export.

Run from the repository root::

    python bench/staff.py                       # seeds bench/data/staff-1m.db once, then reuses it
    python bench/staff.py --reseed              # seed it again
    python bench/staff.py --petitions 100000 --visits 20000 --database /tmp/small.db

The database is seeded by ``bench/seed.py`` (1,000,000 petitions over five years and 200,000
register visits by default) unless it exists already. Each figure is the fastest of several
runs through the real services, in a transaction as a turn would run them, acting as a
reception staff member. The query plan of every SQL statement each one ran is checked with
EXPLAIN QUERY PLAN: a statement that reads a whole large table without an index is reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path; the bot lives at the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import importlib
import platform
import re
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock_time

from bench.seed import BENCH_KEY, SITES, STAFF_USERS, TODAY, ZONE, seed
from bot.app import App
from bot.config import settings_from
from bot.domain.clock import FixedClock
from bot.domain.dates import month_bounds
from bot.domain.users import Role
from bot.services import Actor, Services

DEFAULT_DATABASE = Path(__file__).resolve().parent / "data" / "staff-1m.db"
RUNS = 5
# Tables too large to read whole; a statement that scans one without an index is a problem.
LARGE_TABLES = ("petitions", "petition_events", "petition_identities",
                "denouncer_identities", "visits")
_FULL_SCAN = re.compile(r"\bSCAN (\w+)(?: AS \w+)?\s*$")


@dataclass(frozen=True)
class Figure:
    """One measured operation: the best time, and the statements it ran with their plans."""

    name: str
    seconds: float
    plans: list[tuple[str, list[str]]]
    detail: str = ""


def out(line: str = "") -> None:
    """Write one line of the report."""
    print(line)  # noqa: T201 - the report on stdout is what a benchmark is for


async def _open(database: Path, today: date) -> App:
    settings = settings_from(
        {"sites": [{"id": site, "name": f"Điểm tiếp dân {site}"} for site in SITES]},
        {"TIEPDAN_DATABASE": str(database), "TIEPDAN_SECRET_KEY": BENCH_KEY},
    )
    # Late in the afternoon of the seeded day: everything seeded is in the past.
    now = datetime.combine(today, clock_time(16, 45), ZONE).astimezone(UTC)
    return await App.open(settings, FixedClock(now))


async def measure(app: App, name: str, work: Callable[[Services], Awaitable[str]],
                  runs: int = RUNS) -> Figure:
    """Run ``work`` as a staff member ``runs`` times (after a warm-up); keep the fastest."""
    actor = Actor("telegram", STAFF_USERS[0], Role.STAFF)
    statements: list[str] = []
    best = float("inf")
    detail = ""
    for run in range(runs + 1):
        async with app.database.transaction() as conn:
            services = app.dialog.services_for(conn, actor)
            if run == 1:
                await conn.set_trace_callback(statements.append)
            started = time.perf_counter()
            detail = await work(services)
            elapsed = time.perf_counter() - started
            if run == 1:
                await conn.set_trace_callback(None)  # type: ignore[arg-type]  # sqlite3 takes None to stop tracing; the hint omits it
        if run > 0:  # the first run warms the caches
            best = min(best, elapsed)
    plans = []
    async with app.database.transaction() as conn:
        for statement in dict.fromkeys(statements):
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            rows = await conn.execute_fetchall("EXPLAIN QUERY PLAN " + statement)
            plans.append((statement, [str(r["detail"]) for r in rows]))
    return Figure(name, best, plans, detail)


def problems(figure: Figure) -> list[str]:
    """Return the plan lines that read a large table whole."""
    found = []
    for statement, plan in figure.plans:
        for line in plan:
            match = _FULL_SCAN.search(line)
            if match is None:
                continue
            table = match.group(1)
            if any(table == name or f"FROM {name} {table}" in statement
                   or f"FROM {name} AS {table}" in statement for name in LARGE_TABLES):
                found.append(f"{line}  ←  {' '.join(statement.split())[:160]}")
    return found


async def time_day_queue_hook(app: App, day: date) -> float | None:
    """Time the day's queue with the other branch's ``bench/queue_timing.py``, once merged.

    HOOK for the lead: the day's queue is built on the reception branch, which exposes
    ``async def time_queue(app, day) -> float``. Until that file is here this returns None
    and the report says the figure is missing.
    """
    try:
        module = importlib.import_module("bench.queue_timing")
    except ModuleNotFoundError:
        return None
    timer: Callable[[App, date], Awaitable[float]] = module.time_queue
    return await timer(app, day)


def prepare(arguments: argparse.Namespace) -> Path:
    """Seed the database unless it exists (or --reseed); return its path."""
    database = Path(arguments.database)
    if arguments.reseed or not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        out(f"Seeding {database} ({arguments.petitions:,} petitions, "
            f"{arguments.visits:,} visits)…")
        report = seed(database, petitions=arguments.petitions, visits=arguments.visits)
        out(f"Seeded {report.petitions:,} petitions with {report.events:,} events, "
            f"{report.visits:,} visits and {report.bookings} bookings in "
            f"{report.seconds:.1f} s.")
    else:
        out(f"Reusing {database} (seeded earlier; --reseed to make it again).")
    return database


async def run(database: Path, show_plans: bool) -> int:
    """Take every figure, check the plans, print the report; 1 if a plan reads a table whole."""
    app = await _open(database, TODAY)
    try:
        async with app.database.transaction() as conn:
            counts = {}
            for table in ("petitions", "petition_events", "visits", "bookings"):
                rows = await conn.execute_fetchall(
                    f"SELECT COUNT(*) AS n FROM {table}")  # noqa: S608 - constant names
                counts[table] = int(next(iter(rows))["n"])
            sample = next(iter(await conn.execute_fetchall(
                "SELECT phone_e164 FROM bookings ORDER BY id LIMIT 1")))
        phone = "0" + str(sample["phone_e164"])[3:]
        out(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.system()} {platform.machine()}. Rows: "
            + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
        out(f"Each figure is the fastest of {RUNS} runs after a warm-up, through the services "
            "in one transaction, as reception staff at site «main».")
        out()
        figures = await _figures(app, phone)
        queue = await time_day_queue_hook(app, TODAY)
    finally:
        await app.close()
    width = max(len(f.name) for f in figures)
    for figure in figures:
        out(f"{figure.name:<{width}}  {figure.seconds * 1000:9.1f} ms   {figure.detail}")
    if queue is None:
        out(f"{'day queue (other branch)':<{width}}          — ms   bench/queue_timing.py not "
            "here yet")
    else:
        out(f"{'day queue (other branch)':<{width}}  {queue * 1000:9.1f} ms")
    out()
    bad = {figure.name: problems(figure) for figure in figures}
    for figure in figures if show_plans else ():
        out(f"-- {figure.name}")
        for statement, plan in figure.plans:
            out("   " + " ".join(statement.split())[:150])
            for line in plan:
                out("      " + line)
    if any(bad.values()):
        for name, lines in bad.items():
            for line in lines:
                out(f"FULL SCAN in {name}: {line}")
        return 1
    out("Query plans: no statement reads a large table without an index (--plans prints "
        "them).")
    return 0


async def _figures(app: App, phone: str) -> list[Figure]:
    async def first_page(services: Services) -> str:
        user = await services.users.get("telegram", STAFF_USERS[0])
        assert user is not None
        page = await services.processing.inbox(await services.processing.default_filter(user), 0)
        return (f"{page.totals.total:,} open; new {page.totals.new:,}, near or past due "
                f"{page.totals.due_soon:,}")

    async def status_counts(services: Services) -> str:
        user = await services.users.get("telegram", STAFF_USERS[0])
        assert user is not None
        counts = await services.processing.counts(
            await services.processing.default_filter(user), "status")
        return f"{len(counts)} values"

    async def card(services: Services) -> str:
        code = next(iter(await services.ctx.conn.execute_fetchall(
            "SELECT code FROM petitions WHERE closed_at IS NULL ORDER BY id DESC LIMIT 1")))
        shown = await services.processing.card(str(code["code"]))
        return f"{len(shown.events)} events, {len(shown.duplicates)} possible duplicates"

    async def by_phone(services: Services) -> str:
        found = await services.search.search(phone)
        return (f"{len(found.petitions)} petitions, {len(found.bookings)} bookings, "
                f"{len(found.visits)} visits")

    async def by_name(services: Services) -> str:
        found = await services.search.search("nguyen van an")
        return f"{len(found.petitions)} petitions, {len(found.visits)} visits shown"

    start, end = month_bounds(TODAY.year, TODAY.month - 1)

    async def export_xlsx(services: Services) -> str:
        made = await services.petition_register.export(start, end, "xlsx")
        return f"{made.rows:,} rows, {len(made.file.content) / 1e6:.1f} MB"

    async def export_csv(services: Services) -> str:
        made = await services.petition_register.export(start, end, "csv")
        return f"{made.rows:,} rows, {len(made.file.content) / 1e6:.1f} MB"

    async def export_held(services: Services) -> str:
        made = await services.petition_register.export(start, end, "xlsx", later=True)
        return f"{made.rows:,} rows; the .xlsx is written after the commit"

    figures = [
        await measure(app, "inbox, first page", first_page),
        await measure(app, "inbox, status filter counts", status_counts),
        await measure(app, "petition card", card),
        await measure(app, "search by phone", by_phone),
        await measure(app, "search by name", by_name),
        await measure(app, f"export {start:%m/%Y} (.xlsx)", export_xlsx, runs=2),
        await measure(app, f"export {start:%m/%Y} (.csv)", export_csv, runs=2),
        await measure(app, f"export {start:%m/%Y}, transaction held", export_held, runs=2),
    ]
    return figures


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", default=str(DEFAULT_DATABASE),
                        help=f"the database to time (default {DEFAULT_DATABASE})")
    parser.add_argument("--reseed", action="store_true", help="seed the database again")
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--plans", action="store_true", help="print every query plan")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return 1 if a query reads a large table without an index."""
    arguments = parse_arguments(argv)
    database = prepare(arguments)
    return asyncio.run(run(database, arguments.plans))



if __name__ == "__main__":
    sys.exit(main())
