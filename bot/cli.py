"""The ``tiepdan`` command: run the bot, chat in a terminal, look after the database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from bot import __version__
from bot.app import App
from bot.config import ROLES, ConfigError, Settings, load_settings
from bot.domain.users import Role
from bot.i18n import _, set_language
from bot.logging_setup import setup_logging
from bot.services import Actor
from bot.storage.database import Database

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH",
                        help="settings file (default: $TIEPDAN_CONFIG, else ./tiepdan.toml "
                             "if present, else built-in defaults)")
    common.add_argument("--verbose", action="store_true", help="log more")

    parser = argparse.ArgumentParser(
        prog="tiepdan",
        description="Tiếp Dân: citizen reception in chat for a provincial Ban Tiếp công dân. "
                    "Citizens book reception slots and submit petitions; staff work the queue "
                    "and the register; officials get summaries.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"tiepdan {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run", parents=[common],
        help="serve Telegram (with TELEGRAM_BOT_TOKEN), else start the terminal chat",
        description="Serve Telegram by long polling (default) or by webhook. Needs "
                    "TELEGRAM_BOT_TOKEN; TELEGRAM_API_BASE_URL points at a self-hosted Bot "
                    "API server. Without a token, explains how to get one and starts the "
                    "terminal chat.",
    )
    run.add_argument("--webhook", action="store_true",
                     help="receive updates by webhook instead of long polling")
    run.add_argument("--listen", default="127.0.0.1",
                     help="webhook: address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=8443, help="webhook: port (default 8443)")
    run.add_argument("--url", help="webhook: the public address Telegram posts to (HTTPS for "
                                   "Telegram's own servers; a self-hosted Bot API may use http)")
    run.add_argument("--secret-token",
                     help="webhook: secret Telegram sends in each request (better: set "
                          "TELEGRAM_WEBHOOK_SECRET)")

    chat = commands.add_parser(
        "chat", parents=[common],
        help="chat with the bot in this terminal",
        description="Chat with the bot in the terminal. Choices print as numbers; type the "
                    "number or the words. /contact 09xxxxxxxx shares a phone number, /file "
                    "PATH attaches a file, /bam a presses a notification's button. Without a "
                    "terminal it reads one input per line: printf '/start\\n1\\n' | tiepdan chat",
    )
    chat.add_argument("--user", default="1", help="terminal user id (default 1)")
    chat.add_argument("--role", choices=ROLES,
                      help="give the terminal user this role first (for trying staff flows)")

    db = commands.add_parser("db", parents=[common], help="database maintenance",
                             description="Database maintenance.")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_commands.add_parser("migrate", parents=[common],
                           help="apply the schema migrations not applied yet")
    backup = db_commands.add_parser(
        "backup", parents=[common],
        help="copy the database to PATH with SQLite's online backup (safe while running)")
    backup.add_argument("path", metavar="PATH")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tiepdan`` command; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    quiet = args.command == "chat" or (args.command == "run" and
                                       not os.environ.get("TELEGRAM_BOT_TOKEN"))
    setup_logging(logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"tiepdan: {exc}", file=sys.stderr)  # noqa: T201 - the command's own output
        return 2
    set_language(settings.default_language)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "run":
        return _run(settings, args)
    if args.command == "chat":
        return asyncio.run(_chat(settings, args.user, args.role))
    if args.command == "db":
        if args.db_command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.db_command == "backup":
            return asyncio.run(_backup(settings, args.path))
        parser.parse_args(["db", "--help"])
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if settings.telegram_token is None and args.webhook:
        print(_("--webhook needs TELEGRAM_BOT_TOKEN: ask @BotFather in Telegram for a token."),  # noqa: T201
              file=sys.stderr)
        return 2
    if settings.telegram_token is None:
        print(_("No TELEGRAM_BOT_TOKEN is set: ask @BotFather in Telegram for a token, then "  # noqa: T201
                "run: export TELEGRAM_BOT_TOKEN=... Starting the terminal chat meanwhile."),
              file=sys.stderr)
        return asyncio.run(_chat(settings, "1", None))
    from bot.channels.telegram import WebhookOptions, serve

    webhook = None
    if args.webhook:
        secret = args.secret_token or os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None
        if not args.url:
            print(_("--webhook needs --url, the public HTTPS address Telegram posts to."),  # noqa: T201
                  file=sys.stderr)
            return 2
        webhook = WebhookOptions(listen=args.listen, port=args.port, url=args.url,
                                 secret_token=secret)
    asyncio.run(serve(settings, webhook))
    return 0


async def _chat(settings: Settings, user_id: str, role: str | None) -> int:
    from bot.channels.terminal import CHANNEL, TerminalChannel

    app = await App.open(settings)
    try:
        if role is not None:
            async with app.database.transaction() as conn:
                services = app.dialog.services_for(conn, Actor.system())
                await services.users.arrive(CHANNEL, user_id, user_id, None)
                await services.users.set_role(CHANNEL, user_id, Role(role),
                                              reason="tiepdan chat --role")
        await TerminalChannel(app, user_id).run()
    finally:
        await app.close()
    return 0


async def _migrate(settings: Settings) -> int:
    database = Database(settings.database_path)
    await database.connect()
    try:
        applied = await database.migrate()
        version = await database.schema_version()
    finally:
        await database.close()
    if applied:
        print(_("Applied: {names}. Schema version {version}.").format(  # noqa: T201
            names=", ".join(applied), version=version))
    else:
        print(_("The database is up to date (schema version {version}).").format(  # noqa: T201
            version=version))
    return 0


async def _backup(settings: Settings, path: str) -> int:
    database = Database(settings.database_path)
    await database.connect()
    try:
        await database.migrate()
        await database.backup(path)
    finally:
        await database.close()
    print(_("Backup written to {path}.").format(path=path))  # noqa: T201
    return 0
