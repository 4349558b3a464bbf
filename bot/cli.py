"""The ``tiepdan`` command: run the bot, chat in a terminal, look after the database."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from bot import __version__
from bot.app import App
from bot.config import ROLES, ConfigError, Settings, load_settings
from bot.domain.processing import parse_period
from bot.domain.staff import GRANTABLE_ROLES, parse_user_key
from bot.domain.users import Role
from bot.i18n import _, format_date, format_datetime, set_language
from bot.logging_setup import setup_logging
from bot.services import Actor, Services
from bot.services.petition_register import ImportReport, RegisterFile
from bot.services.register import ExportFile, ImportResult
from bot.services.register_files import FileFormat
from bot.services.staff import (
    CLI_CHANNEL,
    DEFAULT_INVITATION_HOURS,
    Refusal,
    StaffChangeError,
)
from bot.storage.database import Database
from handlers import register_export
from handlers import staff as staff_handlers

log = logging.getLogger(__name__)

GRANTABLE = tuple(role.value for role in GRANTABLE_ROLES)


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

    staff = commands.add_parser(
        "staff", parents=[common], help="invite staff; list, change and revoke roles",
        description="Staff roles. A person is written CHANNEL:USER (telegram:123456789), as "
                    "'tiepdan staff list' shows them. Every change is audited and the person "
                    "is told in the chat by the running bot.")
    staff_commands = staff.add_subparsers(dest="staff_command", metavar="ACTION")
    invite = staff_commands.add_parser(
        "invite", parents=[common], help="make a one-time invitation to a role",
        description="Print a one-time invitation: a Telegram link (once the bot has run with "
                    "its token and learnt its username) and the '/start TOKEN' message that "
                    "does the same in any channel.")
    invite.add_argument("--role", required=True, choices=GRANTABLE,
                        help="the role it gives")
    invite.add_argument("--site", metavar="ID", help="the reception site (settings: sites)")
    invite.add_argument("--hours", type=int, default=DEFAULT_INVITATION_HOURS,
                        help=f"how long it stays valid (default {DEFAULT_INVITATION_HOURS})")
    staff_commands.add_parser("list", parents=[common],
                              help="list the people with a role and their site")
    set_role = staff_commands.add_parser("set-role", parents=[common],
                                         help="give a person a role (and a site)")
    set_role.add_argument("person", metavar="CHANNEL:USER")
    set_role.add_argument("role", choices=GRANTABLE)
    where = set_role.add_mutually_exclusive_group()
    where.add_argument("--site", metavar="ID", help="the reception site (default: unchanged)")
    where.add_argument("--all-sites", action="store_true", help="no one site: all of them")
    set_role.add_argument("--reason", default="", help="kept in the audit log")
    revoke = staff_commands.add_parser("revoke", parents=[common],
                                       help="take a person's role away (citizen again)")
    revoke.add_argument("person", metavar="CHANNEL:USER")
    revoke.add_argument("--reason", default="", help="kept in the audit log")
    _add_exchange(commands, common)
    return parser


def _add_exchange(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                  common: argparse.ArgumentParser) -> None:
    """Add ``export`` and ``import``: one target each so far (register), more to come."""
    export = commands.add_parser(
        "export", parents=[common], help="write a register to an .xlsx or .csv file",
        description="Write a register for a date range to a file (Excel .xlsx, or CSV in "
                    "UTF-8 with BOM). CCCD numbers are masked unless --full-cccd (audited).")
    export_targets = export.add_subparsers(dest="export_target", metavar="WHAT")
    register = export_targets.add_parser(
        "register", parents=[common], help="the reception register (Sổ tiếp công dân)",
        description="The reception register: the 13 columns of Mẫu 03/TCD in order, then "
                    "mode, leader, visit number, mass delegation, police, refusal.")
    register.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD",
                          type=_iso_date, help="first day (inclusive)")
    register.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD",
                          type=_iso_date, help="last day (inclusive)")
    register.add_argument("--site", metavar="ID", help="one reception site (default: all)")
    register.add_argument("--format", choices=[f.value for f in FileFormat],
                          help="xlsx or csv (default: from the output's name, else xlsx)")
    register.add_argument("--full-cccd", action="store_true",
                          help="write CCCD numbers in full (recorded in the audit log)")
    register.add_argument("--output", required=True, metavar="FILE", help="the file to write")

    imports = commands.add_parser(
        "import", parents=[common], help="read a register from an .xlsx or .csv file",
        description="Read a register kept before (the export's columns; headers are "
                    "recognised without accents or case). Every row is checked first: if "
                    "any is wrong, each problem is printed with its row number and nothing "
                    "is imported.")
    import_targets = imports.add_subparsers(dest="import_target", metavar="WHAT")
    register_in = import_targets.add_parser(
        "register", parents=[common], help="the reception register (Sổ tiếp công dân)")
    register_in.add_argument("file", metavar="FILE", help="an .xlsx or .csv file")
    register_in.add_argument("--site", metavar="ID",
                             help="the reception site the rows belong to (default: the first)")

    export_petitions = export_targets.add_parser(
        "petitions", parents=[common], help="the petitions received in a period",
        description="The petition register for a period (Vietnamese headers, CCCD and phone "
                    "numbers masked). Acts as an administrator: a denouncer's identity is "
                    "written only if settings.petitions.denouncer_identity_roles has 'admin', "
                    "and the export is audited.")
    _add_export_arguments(export_petitions)
    import_petitions = import_targets.add_parser(
        "petitions", parents=[common], help="an earlier list of petitions")
    import_petitions.add_argument("file", metavar="FILE", help="an .xlsx or .csv file")


def _add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", required=True, metavar="DATE",
                        help="first day, as 2026-11-01 or 1/11/2026")
    parser.add_argument("--to", dest="end", required=True, metavar="DATE",
                        help="last day (included)")
    parser.add_argument("--format", choices=("xlsx", "csv"), default=None,
                        help="file format (default: from the output's extension, else xlsx)")
    parser.add_argument("--output", required=True, metavar="FILE", help="the file to write")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-01-31") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tiepdan`` command; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    quiet = args.command in ("chat", "staff", "export", "import") or (args.command == "run" and
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
    if args.command == "staff":
        if args.staff_command is None:
            parser.parse_args(["staff", "--help"])
        return asyncio.run(_staff(settings, args))
    if args.command == "export":
        exporter = EXPORTS.get(args.export_target)
        if exporter is None:
            parser.parse_args(["export", "--help"])
            return 2
        return exporter(settings, args)
    if args.command == "import":
        importer = IMPORTS.get(args.import_target)
        if importer is None:
            parser.parse_args(["import", "--help"])
            return 2
        return importer(settings, args)
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


def _out(text: str = "") -> None:
    print(text)  # noqa: T201 - the command's own output


def _err(text: str) -> None:
    print(f"tiepdan: {text}", file=sys.stderr)  # noqa: T201 - the command's own output


def _operator() -> Actor:
    """Return the actor for staff changes made here: the system user, with admin power."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        name = "unknown"
    return Actor(channel=CLI_CHANNEL, user_id=name, role=Role.ADMIN)


async def _staff(settings: Settings, args: argparse.Namespace) -> int:
    app = await App.open(settings)
    try:
        async with app.database.transaction() as conn:
            services = app.dialog.services_for(conn, _operator())
            try:
                return await _staff_action(services, args)
            except StaffChangeError as refused:
                _err(staff_handlers.refusal_text(refused.refusal, app.settings))
                return 1
    finally:
        await app.close()


async def _staff_action(services: Services, args: argparse.Namespace) -> int:
    settings = services.ctx.settings
    if args.staff_command == "invite":
        made = await services.staff.invite(Role(args.role), args.site, args.hours)
        invitation = made.invitation
        _out(_("Invitation no. {id}: {role} ({site}). It works once, until {time}.").format(
            id=invitation.id, role=staff_handlers.role_label(invitation.role),
            site=staff_handlers.site_label(settings, invitation.site),
            time=format_datetime(invitation.expires_at)))
        links = await services.links.start_links()
        for link in links:
            _out(_("Link ({channel}): {link}").format(channel=link.channel,
                                                      link=link.to(made.token)))
        if not links:
            _out(_("(No link yet: the bot learns its Telegram username when it first runs "
                   "with its token.)"))
        _out(_("Or send this message to the bot: /start {token}").format(token=made.token))
        return 0
    if args.staff_command == "list":
        members = await services.staff.members()
        if not members:
            _out(_("Nobody has a role yet. Invite someone: tiepdan staff invite --role staff"))
        for member in members:
            _out(f"{member.key:<24} {staff_handlers.role_label(member.user.role):<20} "
                 f"{staff_handlers.site_label(settings, member.site):<28} "
                 f"{member.user.display_name or ''}")
        return 0
    parts = parse_user_key(args.person)
    if parts is None:
        _err(_("Write the person as CHANNEL:USER, for example telegram:123456789."))
        return 2
    reason = args.reason or f"tiepdan staff {args.staff_command}"
    if args.staff_command == "revoke":
        change = await services.staff.revoke(*parts, reason)
    else:
        current = await services.staff.member(*parts)
        site = None if args.all_sites else args.site if args.site else (
            current.site if current else None)
        change = await services.staff.assign(*parts, Role(args.role), site, reason)
    await staff_handlers.announce(services, change)
    after = change.member
    _out(_("Done: {person} is now {role} ({site}). They will be told in the chat.").format(
        person=staff_handlers.person_name(after), role=staff_handlers.role_label(after.user.role),
        site=staff_handlers.site_label(settings, after.site)))
    return 0


def _date_argument(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    period = parse_period(f"{text} {text}")
    return period[0] if period else None


def _export(settings: Settings, args: argparse.Namespace) -> int:
    start, end = _date_argument(args.start), _date_argument(args.end)
    if start is None or end is None or end < start:
        _err(_("Give the period as --from 2026-11-01 --to 2026-11-30 (or 1/11/2026)."))
        return 2
    fmt = args.format or ("csv" if args.output.lower().endswith(".csv") else "xlsx")
    made = asyncio.run(_export_petitions(settings, start, end, fmt))
    Path(args.output).write_bytes(made.file.content)
    _out(_("Wrote {rows} petitions received from {start} to {end} to {path}.").format(
        rows=made.rows, start=format_date(start, "short"), end=format_date(end, "short"),
        path=args.output))
    return 0


async def _export_petitions(settings: Settings, start: date, end: date,
                            fmt: str) -> RegisterFile:
    app = await App.open(settings)
    try:
        async with app.database.transaction() as conn:
            services = app.dialog.services_for(conn, _operator())
            return await services.petition_register.export(start, end, fmt)
    finally:
        await app.close()


def _import(settings: Settings, path_text: str) -> int:
    path = Path(path_text)
    if not path.is_file():
        _err(_("There is no file {path}.").format(path=path_text))
        return 2
    report = asyncio.run(_import_petitions(settings, path.name, path.read_bytes()))
    for column in report.ignored_columns:
        _err(_("Column «{name}» is not a column of the register: ignored.").format(name=column))
    if report.problems:
        for problem in report.problems:
            if problem.row:
                _err(_("Row {row}: {reason}").format(row=problem.row, reason=problem.reason))
            else:
                _err(problem.reason)
        _err(_("Nothing was imported. Correct the file and run the import again."))
        return 1
    _out(_("Imported {count} petitions from {path}; each has a new tracking code.").format(
        count=len(report.imported), path=path_text))
    return 0


async def _import_petitions(settings: Settings, name: str, content: bytes) -> ImportReport:
    app = await App.open(settings)
    try:
        # One transaction: a failure half-way leaves nothing behind.
        async with app.database.transaction() as conn:
            services = app.dialog.services_for(conn, _operator())
            return await services.petition_register.import_file(name, content)
    finally:
        await app.close()


# -- the reception register -----------------------------------------------------------------


def _export_register(settings: Settings, args: argparse.Namespace) -> int:
    output = Path(args.output)
    fmt = FileFormat(args.format) if args.format else (
        FileFormat.CSV if output.suffix.lower() == ".csv" else FileFormat.XLSX)
    if args.site is not None and args.site not in {site.id for site in settings.sites}:
        _err(staff_handlers.refusal_text(Refusal.UNKNOWN_SITE, settings))
        return 2
    first, last = sorted((args.first, args.last))
    exported = asyncio.run(_exported(settings, first, last, args.site, fmt, args.full_cccd))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(exported.content)
    _out(_("Wrote {rows} register entries ({first} to {last}) to {path}.").format(
        rows=exported.rows, first=first.isoformat(), last=last.isoformat(), path=output))
    return 0


async def _exported(settings: Settings, first: date, last: date, site: str | None,
                    fmt: FileFormat, full_cccd: bool) -> ExportFile:
    app = await App.open(settings)
    try:
        async with app.database.transaction() as conn:
            services = app.dialog.services_for(conn, _operator())
            return await services.register.export(first, last, site, fmt, full_cccd=full_cccd)
    finally:
        await app.close()


def _import_register(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        _err(_("There is no file {path}.").format(path=path))
        return 2
    site = args.site or settings.sites[0].id
    if site not in {known.id for known in settings.sites}:
        _err(staff_handlers.refusal_text(Refusal.UNKNOWN_SITE, settings))
        return 2
    result = asyncio.run(_imported(settings, path.name, path.read_bytes(), site))
    if result.ok:
        _out(_("Imported {rows} register entries from {path}.").format(rows=result.imported,
                                                                        path=path))
        return 0
    for line in register_export.import_problems(result):
        _err(line)
    _err(_("Nothing was imported. Correct the file and run the import again."))
    return 1


async def _imported(settings: Settings, name: str, content: bytes, site: str) -> ImportResult:
    app = await App.open(settings)
    try:
        async with app.database.transaction() as conn:
            services = app.dialog.services_for(conn, _operator())
            return await services.register.import_file(name, content, site)
    finally:
        await app.close()


Exchange = Callable[[Settings, argparse.Namespace], int]
# What `tiepdan export WHAT` and `tiepdan import WHAT` can do; another register joins here.
EXPORTS: dict[str, Exchange] = {"register": _export_register, "petitions": _export}
IMPORTS: dict[str, Exchange] = {
    "register": _import_register,
    "petitions": lambda settings, args: _import(settings, args.file),
}
