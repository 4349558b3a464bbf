"""The import rules of architecture.md hold: arrows point down, SQL lives in storage."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_THIRD_PARTY = {"holidays", "phonenumbers", "rapidfuzz", "vietnam_provinces", "cryptography"}
IO_MODULES = {"aiosqlite", "sqlite3", "socket", "httpx", "telegram", "urllib", "http", "asyncio",
              "subprocess", "requests", "logging", "shutil", "tempfile", "io"}
SQL = re.compile(r"\b(SELECT\b[\s\S]+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|"
                 r"DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b", re.IGNORECASE)


def python_files(*folders: str) -> list[Path]:
    """Return the Python files under ``folders`` of the repository."""
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Return the full names of the modules ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def top(name: str) -> str:
    """Return the top-level package of a module name."""
    return name.split(".", 1)[0]


def layer_of(name: str) -> str:
    """Return the project layer a module belongs to (bot.domain, handlers, ...)."""
    parts = name.split(".")
    if parts[0] == "bot" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def rel(path: Path) -> str:
    """Return ``path`` relative to the repository root."""
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", python_files("handlers"), ids=rel)
def test_handlers_never_touch_telegram_or_sql(path: Path) -> None:
    """Handlers import no platform and no storage: they speak Turn and services."""
    bad = {m for m in imports(path) if top(m) in {"telegram", "aiosqlite", "sqlite3"}
           or layer_of(m) in {"bot.storage", "bot.channels"}}
    assert not bad, f"{rel(path)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", python_files("bot/domain"), ids=rel)
def test_domain_is_pure(path: Path) -> None:
    """The domain imports only itself, the standard library and pure data libraries."""
    for module in imports(path):
        if top(module) == "bot":
            assert layer_of(module) == "bot.domain", f"{rel(path)} imports {module}"
        else:
            assert top(module) not in IO_MODULES, f"{rel(path)} does I/O through {module}"
            assert (top(module) in PURE_THIRD_PARTY or _stdlib(top(module))), \
                f"{rel(path)} imports the third-party {module}"


def _stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names or name == "__future__"


@pytest.mark.parametrize("path", python_files("bot", "handlers"), ids=rel)
def test_only_the_telegram_channel_imports_telegram(path: Path) -> None:
    """Only bot/channels/telegram.py speaks to python-telegram-bot."""
    if rel(path) == "bot/channels/telegram.py":
        return
    assert not {m for m in imports(path) if top(m) == "telegram"}, rel(path)


@pytest.mark.parametrize("path", python_files("bot", "handlers"), ids=rel)
def test_sql_only_in_storage(path: Path) -> None:
    """SQL statements appear only under bot/storage."""
    if rel(path).startswith("bot/storage/"):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not SQL.search(node.value), f"SQL in {rel(path)}: {node.value[:60]!r}"
    assert not {m for m in imports(path) if top(m) in {"aiosqlite", "sqlite3"}}, rel(path)


LOWER = {
    "bot.storage": {"bot.services", "bot.dialog", "bot.channels", "handlers", "bot.app",
                    "bot.cli"},
    "bot.services": {"bot.dialog", "bot.channels", "handlers", "bot.app", "bot.cli"},
    "bot.dialog": {"bot.channels", "handlers", "bot.app", "bot.cli"},
    "handlers": {"bot.channels", "bot.app", "bot.cli"},
}


@pytest.mark.parametrize("path", python_files("bot/storage", "bot/services", "bot/dialog",
                                              "handlers"), ids=rel)
def test_arrows_point_down(path: Path) -> None:
    """No layer imports a layer above it."""
    own = layer_of(rel(path).removesuffix(".py").replace("/", "."))
    forbidden = LOWER[own]
    bad = {m for m in imports(path) if layer_of(m) in forbidden}
    assert not bad, f"{rel(path)} ({own}) imports {sorted(bad)}"
