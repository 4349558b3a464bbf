"""README.md opens with the two commands, and CI runs README's test command word for word."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """Return the shell commands in README.md's first two code blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", text, flags=re.DOTALL)
    return [block.strip() for block in blocks[:2]]


def test_readme_opens_with_run_and_test_commands() -> None:
    """The first command runs the bot, the second runs the tests."""
    run, test = readme_commands()
    assert run.endswith("tiepdan run")
    assert "pytest" in test
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("---", 1)[0]
    assert run in head
    assert test in head


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run contains README's test command verbatim."""
    _run, test = readme_commands()
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
