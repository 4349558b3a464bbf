"""The report benchmark runs end to end: it times the yearly summary and prints it."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from bench.report_timing import main, time_yearly_summary
from bot.app import App
from bot.domain.clock import FixedClock
from bot.domain.petitions import PetitionType
from tests.harness import make_settings
from tests.reporting_data import ReportingOffice, local


async def _filled(tmp_path: Path) -> App:
    clock = FixedClock(local(date(2026, 1, 10)))
    app = await App.open(make_settings(tmp_path), clock)
    office = ReportingOffice(app, clock)
    await office.petitions([PetitionType.COMPLAINT, PetitionType.REPORT],
                           [local(date(2025, 3, 1)), local(date(2025, 9, 1))])
    await office.visit(date(2025, 5, 5), 2)
    return app


async def test_the_yearly_summary_is_timed_on_the_apps_database(tmp_path: Path) -> None:
    """time_yearly_summary counts the year and the year before and returns the seconds taken."""
    app = await _filled(tmp_path)
    try:
        seconds = await time_yearly_summary(app, 2025)
    finally:
        await app.close()
    assert isinstance(seconds, float)
    assert seconds > 0


def test_the_benchmark_prints_the_timings(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``python bench/report_timing.py --database … --year …`` prints each run, the best run,
    the figures it counted and the files' timings."""
    app = asyncio.run(_filled(tmp_path))
    asyncio.run(app.close())
    status = main(["--database", str(app.settings.database_path), "--year", "2025",
                   "--repeat", "2"])
    printed = capsys.readouterr().out
    assert status == 0
    assert "yearly summary 2025, whole province" in printed
    assert "yearly summary: best" in printed
    assert "figures: 2 petitions, 1 receptions" in printed
    assert "Excel file:" in printed
