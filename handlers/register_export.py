"""/sotiep [from] [to] [csv] [cccd] (staff): the reception register as an Excel or CSV file.

    /sotiep ─▶ the register of this month so far, at the person's site, as .xlsx
    /sotiep 1/11 30/11 csv ─▶ that range as .csv;  … cccd ─▶ CCCD in full (admins; audited)

Nothing is asked: the command answers with the file, or says what it could not read.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.dialog.flow import Turn, esc
from bot.domain.booking import parse_day
from bot.domain.messages import OutFile
from bot.domain.register import HeaderProblem, RowProblem
from bot.domain.text import fold_words
from bot.domain.users import Role
from bot.i18n import N_, _, format_date
from bot.services.register import ImportResult
from bot.services.register_files import FileFormat
from handlers.staff import site_label

HELP = N_("the reception register as an Excel file, for example /sotiep 1/11 30/11 (add csv "
          "for a CSV file)")
MAX_DAYS = 366  # a longer range is for the command line: one turn holds the database
_FULL_WORDS = ("cccd", "day du", "full")


def _usage() -> str:
    return _("For example: /sotiep (this month), /sotiep 1/11 30/11, /sotiep 1/11 30/11 csv. "
             "Administrators may add «cccd» for CCCD numbers in full.")


async def command_export(turn: Turn) -> None:
    """Send the register of the typed range (this month so far by default) as a file."""
    register = turn.services.register
    today = register.today
    fmt = FileFormat.XLSX
    full = False
    site: str | None = await turn.services.staff.site_of(turn.user)
    days: list[date] = []
    for token in turn.incoming.args:
        word = fold_words(token)
        if word in (FileFormat.CSV.value, FileFormat.XLSX.value):
            fmt = FileFormat(word)
        elif word in _FULL_WORDS or word.replace(" ", "") == "daydu":
            full = True
        elif token in register.site_ids():
            site = token
        else:
            day = parse_day(token, today)
            if not isinstance(day, date):
                turn.say(_("I could not read «{text}» as a date.").format(text=esc(token[:30]))
                         + "\n" + _usage())
                return
            days.append(day)
    if len(days) > 2:
        turn.say(_usage())
        return
    first = days[0] if days else today.replace(day=1)
    last = days[1] if len(days) == 2 else today
    if first > last:
        first, last = last, first
    if last - first > timedelta(days=MAX_DAYS):
        turn.say(_("At most one year at a time here; for longer ranges use the command line: "
                   "tiepdan export register."))
        return
    if full and turn.role is not Role.ADMIN:
        await turn.services.audit.record("access.denied", "register.export_full_cccd",
                                         role=turn.role.value)
        turn.say(_("Only an administrator can export CCCD numbers in full. Here is the register "
                   "with CCCD numbers masked."))
        full = False
    exported = await register.export(first, last, site, fmt, full_cccd=full)
    caption = _("Reception register, {first} to {last}, {site}: {rows} entries.").format(
        first=format_date(first, "short"), last=format_date(last, "short"),
        site=esc(site_label(turn.settings, site)), rows=exported.rows)
    if full:
        caption += "\n" + _("⚠️ It contains CCCD numbers in full: keep it safe and delete it "
                            "when done. This export is recorded in the audit log.")
    turn.say(caption, document=OutFile(exported.filename, exported.content,
                                       exported.mime_type))


def import_problems(result: ImportResult) -> list[str]:
    """Explain, one line each, why an import was refused (row numbers as the file shows)."""
    lines: list[str] = []
    if result.file_problem is not None:
        lines.append(_("The file cannot be read: {problem}.").format(
            problem=_FILE_PROBLEMS.get(result.file_problem, result.file_problem)))
    for header in result.header_errors:
        lines.append(_(_HEADER_PROBLEMS[header.problem]).format(header=header.header))
    for error in result.row_errors:
        text = _("Row {row}: {problem}").format(row=error.row,
                                                problem=_(_ROW_PROBLEMS[error.problem]))
        if error.value:
            text += _(" (found: «{value}»)").format(value=error.value[:60])
        lines.append(text)
    return lines


_FILE_PROBLEMS = {
    "the file must be .xlsx or .csv": N_("the file must be .xlsx or .csv"),
    "not a readable .xlsx file": N_("it is not a readable .xlsx file"),
    "a .csv file must be UTF-8": N_("a .csv file must be saved as UTF-8"),
    "not a readable .csv file": N_("it is not a readable .csv file"),
    "no header row": N_("no header row with the register's columns was found"),
    "the file is empty": N_("the file is empty"),
}
_HEADER_PROBLEMS = {
    HeaderProblem.UNKNOWN: N_("Unknown column «{header}»: the register has no such column."),
    HeaderProblem.MISSING: N_("Missing column «{header}»."),
    HeaderProblem.TWICE: N_("The column «{header}» appears twice."),
}
_ROW_PROBLEMS = {
    RowProblem.DATE: N_("the date is missing or not a date such as 26/11/2026"),
    RowProblem.FUTURE_DATE: N_("the date is in the future"),
    RowProblem.NAME: N_("the name is missing or not a name (write «Name, address»)"),
    RowProblem.SUMMARY: N_("the summary of the matter is missing"),
    RowProblem.PEOPLE: N_("the number of people must be a whole number of at least 1"),
    RowProblem.TYPE: N_("the type must be Khiếu nại, Tố cáo, Kiến nghị, Phản ánh or empty"),
    RowProblem.CCCD: N_("the CCCD number must have 12 digits, or be empty"),
    RowProblem.COMPETENCE: N_("a yes/no column must hold x, có, không or nothing"),
    RowProblem.MODE: N_("the mode must be Thường xuyên or Lãnh đạo tiếp"),
    RowProblem.VISIT_NUMBER: N_("the visit number must be a whole number of at least 1"),
    RowProblem.REFUSAL: N_("the refusal ground is not one the law lists"),
    RowProblem.TOO_LONG: N_("a cell is too long"),
}
