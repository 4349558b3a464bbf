"""/sotiep [period] [csv] [cccd] (staff): the reception register as an Excel or CSV file.

    /sotiep ─▶ the register of this month so far, at the person's site, as .xlsx
    /sotiep 1/11 30/11 csv ─▶ that range as .csv (also 11/2026, 2026, or one day: 1/11)
    … cccd ─▶ CCCD in full (admins; audited)

Nothing is asked: the command answers with the file, or says what it could not read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.dialog.flow import Turn, esc
from bot.domain.dates import parse_date_range
from bot.domain.messages import OutFile
from bot.domain.register import HeaderProblem, MaskedCccd, RowProblem
from bot.domain.text import fold_words
from bot.domain.users import Role
from bot.i18n import N_, _, format_date, ngettext
from bot.services.register import ImportResult
from bot.services.register_files import FileFormat, table_problem_text
from handlers.staff import site_label

HELP = N_("the reception register as an Excel file, for example /sotiep 1/11 30/11 or /sotiep "
          "11/2026 (add csv for a CSV file)")
MAX_DAYS = 366  # a longer range is for the command line: one turn holds the database
_FULL_WORDS = ("cccd", "day du", "full")


def _usage() -> str:
    return _("For example: /sotiep (this month), /sotiep 1/11 30/11, /sotiep 11/2026, /sotiep "
             "2026 csv. Administrators may add «cccd» for CCCD numbers in full.")


async def command_export(turn: Turn) -> None:
    """Send the register of the typed period (this month so far by default) as a file."""
    register = turn.services.register
    today = register.today
    fmt = FileFormat.XLSX
    full = False
    site: str | None = await turn.services.staff.site_of(turn.user)
    typed: list[str] = []
    for token in turn.incoming.args:
        word = fold_words(token)
        if word in (FileFormat.CSV.value, FileFormat.XLSX.value):
            fmt = FileFormat(word)
        elif word in _FULL_WORDS or word.replace(" ", "") == "daydu":
            full = True
        elif token in register.site_ids():
            site = token
        else:
            typed.append(token)
    if typed:
        period = parse_date_range(" ".join(typed), today)
        if period is None:
            turn.say(_("I could not read «{text}» as a period.").format(
                text=esc(" ".join(typed)[:40])) + "\n" + _usage())
            return
        first, last = period
    else:
        first, last = today.replace(day=1), today
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
            problem=table_problem_text(result.file_problem)))
    for header in result.header_errors:
        lines.append(_(_HEADER_PROBLEMS[header.problem]).format(header=header.header))
    for error in result.row_errors:
        text = _("Row {row}: {problem}").format(row=error.row,
                                                problem=_(_ROW_PROBLEMS[error.problem]))
        if error.value:
            text += _(" (found: «{value}»)").format(value=error.value[:60])
        lines.append(text)
    return lines


def import_notes(result: ImportResult) -> list[str]:
    """Say what an import left out: rows already in the register, masked CCCD numbers."""
    lines: list[str] = []
    if result.duplicates:
        lines.append(ngettext(
            "{count} row was already in the register and was skipped: row {rows}.",
            "{count} rows were already in the register and were skipped: rows {rows}.",
            len(result.duplicates)).format(count=len(result.duplicates),
                                           rows=row_list(result.duplicates)))
    lines.extend(masked_cccd_warnings(result.masked_cccd))
    if result.masked_cccd:
        lines.append(_("An export with --full-cccd keeps the numbers whole."))
    return lines


def masked_cccd_warnings(rows: Sequence[MaskedCccd]) -> list[str]:
    """Warn, row by row, that a masked CCCD number was imported without the full number."""
    lines = []
    for masked in rows:
        if masked.kept is not None:
            lines.append(_("⚠️ Row {row}: the CCCD number is masked ({number}): only the masked "
                           "form was kept, so this number cannot be searched or matched."
                           ).format(row=masked.row, number=masked.kept))
        else:
            lines.append(_("⚠️ Row {row}: the CCCD number is masked and too little of it is "
                           "shown to keep: the row was imported without it.").format(
                               row=masked.row))
    return lines


def row_list(rows: tuple[int, ...], shown: int = 20) -> str:
    """Return row numbers as «3, 4, 9» (the first ``shown``, then «…»)."""
    text = ", ".join(str(row) for row in rows[:shown])
    return text + (", …" if len(rows) > shown else "")


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
