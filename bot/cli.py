"""The ``tiepdan`` command: run the bot, chat in a terminal, look after the database."""

from __future__ import annotations

import argparse
import asyncio
import errno
import getpass
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from bot import __version__
from bot.app import App, key_file_of
from bot.config import ROLES, ConfigError, Settings, explain, load_settings
from bot.domain.dates import parse_date_range
from bot.domain.staff import GRANTABLE_ROLES, parse_user_key
from bot.domain.users import Role
from bot.i18n import N_, _, format_date, format_datetime, ngettext, set_language
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
from bot.storage.database import Database, DatabaseError
from handlers import register_export
from handlers import staff as staff_handlers

log = logging.getLogger(__name__)

GRANTABLE = tuple(role.value for role in GRANTABLE_ROLES)


class CommandError(Exception):
    """A command that cannot go on: one line for the person, and the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An argument parser that states a mistake in one line, in the current language."""

    def error(self, message: str) -> NoReturn:
        """Refuse the arguments: what is wrong and where the help is (status 2, as argparse)."""
        raise CommandError(usage_problem(message) + " " + _("See: {command} --help").format(
            command=self.prog))


# argparse's own messages (English, from Python's argparse module) and what each says here.
_USAGE_PROBLEMS = (
    (re.compile(r"^the following arguments are required: (?P<names>.+)$"),
     N_("These are required as well: {names}.")),
    (re.compile(r"^one of the arguments (?P<names>.+) is required$"),
     N_("One of these is required: {names}.")),
    (re.compile(r"^unrecognized arguments: (?P<words>.+)$"),
     N_("This is not understood: {words}.")),
    (re.compile(r"^argument (?P<argument>.+?): invalid choice: (?P<value>.+?) "
                r"\(choose from (?P<choices>.+)\)$"),
     N_("{argument} cannot be {value}: choose one of {choices}.")),
    (re.compile(r"^argument (?P<argument>.+?): invalid int value: (?P<value>.+)$"),
     N_("{argument} needs a whole number, not {value}.")),
    (re.compile(r"^argument (?P<argument>.+?): invalid \w+ value: (?P<value>.+)$"),
     N_("{argument} cannot be {value}.")),
    (re.compile(r"^argument (?P<argument>.+?): expected (?:one|at least one) argument$"),
     N_("{argument} needs a value after it.")),
    (re.compile(r"^argument (?P<argument>.+?): not allowed with argument (?P<other>.+)$"),
     N_("{argument} cannot be given together with {other}.")),
    (re.compile(r"^ambiguous option: (?P<option>\S+) could match (?P<matches>.+)$"),
     N_("{option} could be {matches}: write it in full.")),
)


def usage_problem(message: str) -> str:
    """Return an argparse error message in the current language (as it is, if unknown)."""
    for pattern, template in _USAGE_PROBLEMS:
        found = pattern.match(message)
        if found is not None:
            return _(template).format(**found.groupdict())
    return message


def _common(*, top: bool) -> _Parser:
    """Return the options every command takes, before or after its name.

    Only the top level has defaults: a subcommand's copy of an option leaves the value alone
    unless it is given there, so ``tiepdan --config x.toml db migrate`` keeps ``x.toml``.
    """
    common = _Parser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=None if top else argparse.SUPPRESS,
                        help="settings file (default: $TIEPDAN_CONFIG, else ./tiepdan.toml "
                             "if present, else built-in defaults)")
    common.add_argument("--verbose", action="store_true",
                        default=False if top else argparse.SUPPRESS, help="log more")
    return common


def _parser() -> _Parser:
    common = _common(top=False)
    parser = _Parser(
        prog="tiepdan",
        description="Tiếp Dân: citizen reception in chat for a provincial Ban Tiếp công dân. "
                    "Citizens book reception slots and submit petitions; staff work the queue "
                    "and the register; officials get summaries.",
        parents=[_common(top=True)],
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


def _add_exchange(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
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
    _add_export_arguments(register)
    register.add_argument("--site", metavar="ID", help="one reception site (default: all)")
    register.add_argument("--full-cccd", action="store_true",
                          help="write CCCD numbers in full (recorded in the audit log)")

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
                        help="first day (included): 1/11/2026, 2026-11-01, 1/11 (the latest "
                             "such day), or a month (11/2026) or year (2026) from its first day")
    parser.add_argument("--to", dest="end", required=True, metavar="DATE",
                        help="last day (included), written the same ways; a month or a year "
                             "runs to its last day")
    parser.add_argument("--format", choices=[f.value for f in FileFormat], default=None,
                        help="xlsx or csv (default: from the output's name, which must then "
                             "end in .xlsx or .csv)")
    parser.add_argument("--output", required=True, metavar="FILE", help="the file to write")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tiepdan`` command; return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except CommandError as exc:
        _err(exc.message)
        return exc.status
    quiet = args.command in ("chat", "staff", "export", "import") or (args.command == "run" and
                                       not os.environ.get("TELEGRAM_BOT_TOKEN"))
    setup_logging(logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        log.debug("settings refused: %s", exc)
        _err(explain(exc))
        return 2
    set_language(settings.default_language)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _command(parser, settings, args)
    except CommandError as exc:
        _err(exc.message)
        return exc.status
    except DatabaseError as exc:
        log.debug("database error", exc_info=True)
        _err(database_problem(settings.database_path, exc))
        return 1
    except OSError as exc:
        log.debug("file error", exc_info=True)
        _err(file_problem(exc))
        return 1


def _command(parser: argparse.ArgumentParser, settings: Settings,
             args: argparse.Namespace) -> int:
    if args.command == "run":
        return _run(settings, args)
    if args.command == "chat":
        return asyncio.run(_chat(settings, args.user, args.role))
    if args.command == "db":
        if args.db_command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.db_command == "backup":
            return _backup(settings, args.path)
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


_FILE_PROBLEMS = {
    errno.ENOENT: N_("there is no such file or folder"),
    errno.EACCES: N_("this user may not read or write it"),
    errno.EPERM: N_("this user may not read or write it"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EEXIST: N_("a file of that name stands where a folder is needed"),
    errno.ENAMETOOLONG: N_("the name is too long"),
}


def file_problem(exc: OSError) -> str:
    """Say in one line, in the current language, why a file could not be read or written."""
    known = _FILE_PROBLEMS.get(exc.errno or 0)
    reason = _(known) if known else exc.strerror or type(exc).__name__
    if exc.filename is None:
        return _("A file cannot be used: {reason}.").format(reason=reason)
    return _("Cannot use {path}: {reason}.").format(path=exc.filename, reason=reason)


_DATABASE_PROBLEMS = (
    ("unable to open", N_("the file or its folder cannot be opened (check the path and who "
                          "may write there)")),
    ("locked", N_("another program is holding it; try again in a moment")),
    ("busy", N_("another program is holding it; try again in a moment")),
    ("not a database", N_("the file is not a database")),
    ("malformed", N_("the file is damaged; restore it from a backup")),
    ("readonly", N_("this user may only read it")),
    ("disk i/o", N_("the disk is full or failing")),
    ("full", N_("the disk is full")),
)


def database_reason(exc: DatabaseError) -> str:
    """Say in a few words, in the current language, what SQLite found wrong."""
    text = str(exc)
    return next((_(known) for words, known in _DATABASE_PROBLEMS if words in text.lower()), text)


def database_problem(path: Path, exc: DatabaseError) -> str:
    """Say in one line, in the current language, why the database could not be used."""
    return _("The database {path} cannot be used: {reason}.").format(
        path=path, reason=database_reason(exc))


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


def _backup(settings: Settings, path_text: str) -> int:
    target = Path(path_text)
    source = settings.database_path
    if target.is_dir():
        raise CommandError(_("{path} is a folder: give the backup's file name, for example "
                             "{example}.").format(path=target,
                                                  example=target / "tiepdan-backup.db"))
    if not source.is_file():
        raise CommandError(_("There is no database at {path} yet: nothing to back up.").format(
            path=source))
    if target.exists() and target.resolve() == source.resolve():
        raise CommandError(_("{path} is the database itself: choose another file for the "
                             "backup.").format(path=target))
    key_file = key_file_of(source)
    key_copy = key_file_of(target)
    if not settings.secret_key and key_file.is_file() and key_copy.is_dir():
        raise CommandError(_("{path} is a folder: the key file is copied there, beside the "
                             "backup. Choose another name for the backup.").format(
                                 path=key_copy))
    created = _open_for_writing(target)
    try:
        asyncio.run(_copy_database(source, target))
    except _CopyError as failed:
        if created:
            target.unlink(missing_ok=True)
        raise CommandError(_("The backup cannot be written to {path}: {reason}.").format(
            path=target, reason=database_reason(failed.error)), status=1) from failed
    _out(_("Backup written to {path}.").format(path=target))
    if settings.secret_key:
        _out(_("The CCCD numbers in it are sealed with the key in TIEPDAN_SECRET_KEY: keep that "
               "key safe as well, or they cannot be read from the backup."))
        return 0
    if key_file.is_file():
        _copy_private(key_file, key_copy)
        _out(_("The key file {key} was copied to {copy}: keep the two together. Without the "
               "key, the CCCD numbers in the backup cannot be read or searched.").format(
                   key=key_file, copy=key_copy))
    return 0


def _open_for_writing(target: Path) -> bool:
    """Make sure ``target`` can be written (its folder made); tell whether it was created.

    Opening it here, before SQLite does, lets an OSError name the file and say why.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file stands where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR),
                                 exc.filename) from exc
    existed = target.exists()
    with target.open("ab"):
        pass
    return not existed


class _CopyError(Exception):
    """The backup's own file could not be written (the database opened fine)."""

    def __init__(self, error: DatabaseError) -> None:
        super().__init__(str(error))
        self.error = error


async def _copy_database(source: Path, target: Path) -> None:
    database = Database(source)
    await database.connect()
    try:
        await database.migrate()
        try:
            await database.backup(target)
        except DatabaseError as exc:
            raise _CopyError(exc) from exc
    finally:
        await database.close()


def _copy_private(source: Path, target: Path) -> None:
    """Copy a secret file so that only its owner may read the copy."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(source.read_bytes())
    target.chmod(0o600)  # an existing copy keeps its mode through O_TRUNC


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
    _out(_("Done: {person} is now {now}. They will be told in the chat.").format(
        person=staff_handlers.person_label(after),
        now=staff_handlers.role_at(settings, after.user.role, after.site)))
    return 0


# -- exports and imports: shared checks ------------------------------------------------------


def _period(settings: Settings, args: argparse.Namespace) -> tuple[date, date]:
    """Return the days ``--from`` and ``--to`` cover, read as the chat reads a period."""
    today = datetime.now(settings.tz).date()
    period = parse_date_range(f"{args.start} {args.end}", today)
    if period is None:
        raise CommandError(_("Give the period as --from 1/11/2026 --to 30/11/2026; a date may "
                             "also be written 2026-11-01 or 1/11 (the latest such day), and a "
                             "month (11/2026) or a year (2026) counts whole. The end may not "
                             "come before the start."))
    return period


def _output_format(output: Path, given: str | None) -> FileFormat:
    """Return the format to write: --format, else the file name's; refuse a mismatch."""
    suffix = output.suffix.lower().lstrip(".")
    known = {fmt.value for fmt in FileFormat}
    if given is not None:
        if suffix in known and suffix != given:
            raise CommandError(_("{path} ends in .{suffix} but --format is {format}: make them "
                                 "agree.").format(path=output, suffix=suffix, format=given))
        return FileFormat(given)
    if suffix not in known:
        raise CommandError(_("{path}: name the file .xlsx or .csv, or give --format xlsx or "
                             "--format csv.").format(path=output))
    return FileFormat(suffix)


def _writable(output: Path) -> None:
    """Refuse at once an output the export could not be written to."""
    if output.is_dir():
        raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), str(output))


def _write(output: Path, content: bytes) -> None:
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file stands where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR),
                                 exc.filename) from exc
    output.write_bytes(content)


def _input(path_text: str) -> tuple[Path, bytes]:
    """Return a file to import and its bytes; refuse what is not a file."""
    path = Path(path_text)
    if not path.is_file():
        raise CommandError(_("There is no file {path}.").format(path=path_text))
    return path, path.read_bytes()


def _days(first: date, last: date) -> tuple[str, str]:
    return format_date(first, "short"), format_date(last, "short")


# -- the petition register -------------------------------------------------------------------


def _export(settings: Settings, args: argparse.Namespace) -> int:
    start, end = _period(settings, args)
    output = Path(args.output)
    fmt = _output_format(output, args.format)
    _writable(output)
    made = asyncio.run(_export_petitions(settings, start, end, fmt.value))
    _write(output, made.file.content)
    first, last = _days(start, end)
    _out(_("Wrote {rows} petitions received from {start} to {end} to {path}.").format(
        rows=made.rows, start=first, end=last, path=output))
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


def _import(settings: Settings, args: argparse.Namespace) -> int:
    path, content = _input(args.file)
    report = asyncio.run(_import_petitions(settings, path.name, content))
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
    for line in petition_import_notes(report):
        _err(line)
    if report.imported or not report.duplicates:
        _out(_("Imported {count} petitions from {path}; each has a new tracking code.").format(
            count=len(report.imported), path=args.file))
    else:
        _out(_("Nothing new in {path}: every petition in it is already stored.").format(
            path=args.file))
    return 0


def petition_import_notes(report: ImportReport) -> list[str]:
    """Say what a petition import left out: petitions already stored, masked numbers."""
    lines: list[str] = []
    if report.duplicates:
        lines.append(ngettext(
            "{count} petition was already stored and was skipped: row {rows}.",
            "{count} petitions were already stored and were skipped: rows {rows}.",
            len(report.duplicates)).format(count=len(report.duplicates),
                                           rows=register_export.row_list(report.duplicates)))
    lines.extend(register_export.masked_cccd_warnings(report.masked_cccd))
    if report.masked_phones:
        lines.append(ngettext(
            "⚠️ {count} row has a masked phone number: a masked number cannot be imported, so "
            "that petition was imported without it.",
            "⚠️ {count} rows have a masked phone number: a masked number cannot be imported, "
            "so those petitions were imported without it.",
            report.masked_phones).format(count=report.masked_phones))
    return lines


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
    first, last = _period(settings, args)
    output = Path(args.output)
    fmt = _output_format(output, args.format)
    if args.site is not None and args.site not in {site.id for site in settings.sites}:
        raise CommandError(staff_handlers.refusal_text(Refusal.UNKNOWN_SITE, settings))
    _writable(output)
    exported = asyncio.run(_exported(settings, first, last, args.site, fmt, args.full_cccd))
    _write(output, exported.content)
    start, end = _days(first, last)
    _out(_("Wrote {rows} register entries ({first} to {last}) to {path}.").format(
        rows=exported.rows, first=start, last=end, path=output))
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
    site = args.site or settings.sites[0].id
    if site not in {known.id for known in settings.sites}:
        raise CommandError(staff_handlers.refusal_text(Refusal.UNKNOWN_SITE, settings))
    path, content = _input(args.file)
    result = asyncio.run(_imported(settings, path.name, content, site))
    if not result.ok:
        for line in register_export.import_problems(result):
            _err(line)
        _err(_("Nothing was imported. Correct the file and run the import again."))
        return 1
    for line in register_export.import_notes(result):
        _err(line)
    if result.imported or not result.duplicates:
        _out(_("Imported {rows} register entries from {path}.").format(rows=result.imported,
                                                                        path=path))
    else:
        _out(_("Nothing new in {path}: every row in it is already in the register.").format(
            path=path))
    return 0


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
IMPORTS: dict[str, Exchange] = {"register": _import_register, "petitions": _import}
