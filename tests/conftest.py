"""Shared fixtures: the ``tiepdan`` command as a subprocess, always stopped at the end."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

# Generous bounds for a slow, shared machine; a healthy run takes a small part of them.
STOP_TIMEOUT = 15.0
RUN_TIMEOUT = 60.0


class Tiepdan:
    """Start ``python -m bot`` in ``tmp_path`` with a clean environment; stop every process."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.database = tmp_path / "tiepdan.db"
        self._running: list[tuple[subprocess.Popen[bytes], Path, IO[bytes]]] = []

    def environment(self, **values: str) -> dict[str, str]:
        """Return the process environment, with the database in tmp_path."""
        # No inherited bot settings, and no proxy: the bot must talk only to 127.0.0.1.
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TELEGRAM_", "TIEPDAN_"))
               and not key.lower().endswith("_proxy")}
        env.update({"PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1",
                    "TIEPDAN_DATABASE": str(self.database),
                    "TIEPDAN_SECRET_KEY": "test-secret-key-0123456789abcdef"})
        env.update(values)
        return env

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        """Start ``tiepdan ARGS`` in the background, its output going to a log file."""
        log_path = self.tmp_path / f"bot-{len(self._running) + 1}.log"
        log_file = log_path.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args], cwd=self.tmp_path,
            env=self.environment(**env), stdin=subprocess.DEVNULL, stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        self._running.append((process, log_path, log_file))
        return process

    def run(self, *args: str, stdin: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run ``tiepdan ARGS`` to the end with ``stdin``; it is killed if it overruns."""
        return subprocess.run(
            [sys.executable, "-m", "bot", *args], cwd=self.tmp_path, env=self.environment(**env),
            input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=RUN_TIMEOUT,
            check=False,
        )

    @staticmethod
    def stop(process: subprocess.Popen[bytes]) -> int:
        """Ask the process to stop (SIGTERM), kill it if it does not; return its exit status."""
        if process.poll() is None:
            process.terminate()
        try:
            return process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise

    def log(self, process: subprocess.Popen[bytes]) -> str:
        """Return what the process has written so far."""
        for running, log_path, log_file in self._running:
            if running is process:
                log_file.flush()
                return log_path.read_text(encoding="utf-8", errors="replace")
        return ""

    def close(self) -> None:
        """Stop every process still running and print their logs (shown if a test failed)."""
        for process, log_path, log_file in self._running:
            try:
                if process.poll() is None:
                    process.kill()
                process.wait()
            finally:
                log_file.close()
            print(f"--- {log_path.name} (exit {process.returncode}) ---")  # noqa: T201 - test log
            print(log_path.read_text(encoding="utf-8", errors="replace"))  # noqa: T201 - test log


@pytest.fixture
def tiepdan(tmp_path: Path) -> Iterator[Tiepdan]:
    """Start ``tiepdan`` subprocesses for a test; none outlives it."""
    runner = Tiepdan(tmp_path)
    try:
        yield runner
    finally:
        runner.close()
