"""Time the yearly summary (figures and comparison with the year before) on a database.

Run from the repository root, on a copy of a large database (bench/seed.py makes one)::

    python bench/report_timing.py --database big.db --year 2025
    python bench/report_timing.py --database big.db --year 2025 --site main --repeat 5

``time_yearly_summary`` is what the lead runs on the 1,000,000-petition database: it counts
the year and the same period the year before, for the whole province, and words the summary,
as /baocao does, in one transaction. The chart and the Excel file are timed apart (they are
made once per content and reused).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path; the bot lives at the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import os
import time
from collections.abc import Sequence

from bot.app import App
from bot.config import load_settings
from bot.domain.periods import PeriodKind, ReportingPeriod
from bot.domain.report import Report
from bot.domain.users import Role
from bot.i18n import translation
from bot.services import Actor

BENCH_ACTOR = Actor("bench", "report_timing", Role.ADMIN)


async def _yearly_report(app: App, year: int, site_id: str | None) -> tuple[Report, str]:
    period = ReportingPeriod.of(PeriodKind.YEAR, year, 1, app.settings.periods)
    async with app.database.transaction() as conn:
        reports = app.dialog.services_for(conn, BENCH_ACTOR).reports
        report = await reports.report(period, site_id)
        with translation(app.settings.default_language):
            text = reports.summary_text(report)
    return report, text


async def time_yearly_summary(app: App, year: int) -> float:
    """Return the seconds the yearly summary of ``year`` takes for the whole province."""
    started = time.perf_counter()
    await _yearly_report(app, year, None)
    return time.perf_counter() - started


async def measure(database: Path, year: int, site_id: str | None, repeat: int) -> None:
    """Print the summary's timings (each run, the best) and those of its files."""
    settings = load_settings(env={**os.environ, "TIEPDAN_DATABASE": str(database)})
    app = await App.open(settings)
    try:
        out(f"{database}: yearly summary {year}, "
            f"{f'site {site_id}' if site_id else 'whole province'}")
        runs = []
        for _run in range(repeat):
            if site_id is None:
                runs.append(await time_yearly_summary(app, year))
            else:
                started = time.perf_counter()
                await _yearly_report(app, year, site_id)
                runs.append(time.perf_counter() - started)
        out("runs (s): " + ", ".join(f"{seconds:.3f}" for seconds in runs))
        out(f"yearly summary: best {min(runs):.3f} s")
        report, text = await _yearly_report(app, year, site_id)
        out(f"figures: {report.current.petitions.total.petitions:,} petitions, "
            f"{report.current.reception.visits:,} receptions; text {len(text)} characters")
        async with app.database.transaction() as conn:
            reports = app.dialog.services_for(conn, BENCH_ACTOR).reports
            with translation(app.settings.default_language):
                started = time.perf_counter()
                await reports.chart(report)
                chart = time.perf_counter() - started
                started = time.perf_counter()
                await reports.spreadsheet(report)
                excel = time.perf_counter() - started
        out(f"chart (first drawing): {chart:.3f} s; Excel file: {excel:.3f} s")
    finally:
        await app.close()


def out(line: str) -> None:
    """Write one line of the report."""
    print(line)  # noqa: T201 - the report on stdout is what a benchmark is for


def main(argv: Sequence[str] | None = None) -> int:
    """Time the yearly summary on the database given; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", type=Path, required=True,
                        help="the SQLite file (it is migrated if older; use a copy)")
    parser.add_argument("--year", type=int, required=True, help="the reporting year")
    parser.add_argument("--site", default=None, help="a site id (default: the province)")
    parser.add_argument("--repeat", type=int, default=3, help="runs, the best reported")
    arguments = parser.parse_args(argv)
    if not arguments.database.is_file():
        parser.error(f"no database at {arguments.database}")
    asyncio.run(measure(arguments.database, arguments.year, arguments.site,
                        max(1, arguments.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
