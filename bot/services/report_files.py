"""The report as files: the statistical tables as an .xlsx workbook, the chart as a PNG.

The workbook has the layouts of domain.md §3.2: Mẫu 01/TCD (29 numbered columns), the
classification of petitions received at reception, Mẫu 01/XLD (22 numbered columns), the
summary with the comparison with the same period last year, and the month-by-month trend.
Headings are written in the current language (Vietnamese by default, as the forms are).

Charts are drawn by matplotlib's Agg backend only (no display), with DejaVu Sans, which
ships with matplotlib and has every Vietnamese letter.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.config import Settings
from bot.domain.messages import OutFile
from bot.domain.report import (
    CLASSIFICATION_COLUMNS,
    KINDS,
    SUMMARY_FIGURES,
    TCD_COLUMNS,
    XLD_COLUMNS,
    Change,
    Column,
    Report,
    Unit,
)
from bot.i18n import N_, _, current_language, format_date
from bot.services.report_texts import (
    change_words,
    percent_text,
    period_label,
    scope_label,
    type_name,
)

matplotlib.use("Agg")  # never a display: the bot runs on servers

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "DejaVu Sans"

# -- headings ---------------------------------------------------------------------------------

HEADINGS: dict[str, str] = {
    "tcd.total_visits": N_("Total visits (1)=(4)+(13)+(22)"),
    "tcd.total_people": N_("Total people received (2)=(5)+(14)+(23)"),
    "tcd.total_cases": N_("Total cases (3)=(6)+(7)+(15)+(16)+(24)+(25)"),
    "tcd.regular_visits": N_("Visits"),
    "tcd.regular_people": N_("People"),
    "tcd.regular_cases_first": N_("Cases: first time"),
    "tcd.regular_cases_repeat": N_("Cases: repeated"),
    "tcd.regular_delegations": N_("Mass delegations: groups"),
    "tcd.regular_delegation_people": N_("Mass delegations: people"),
    "tcd.regular_delegation_first": N_("Mass delegations: cases first time"),
    "tcd.regular_delegation_repeat": N_("Mass delegations: cases repeated"),
    "tcd.head_days": N_("Reception days held"),
    "tcd.head_visits": N_("Visits"),
    "tcd.head_people": N_("People"),
    "tcd.head_cases_first": N_("Cases: first time"),
    "tcd.head_cases_repeat": N_("Cases: repeated"),
    "tcd.head_delegations": N_("Mass delegations: groups"),
    "tcd.head_delegation_people": N_("Mass delegations: people"),
    "tcd.head_delegation_first": N_("Mass delegations: cases first time"),
    "tcd.head_delegation_repeat": N_("Mass delegations: cases repeated"),
    "tcd.delegated_days": N_("Reception days"),
    "tcd.delegated_visits": N_("Visits"),
    "tcd.delegated_people": N_("People"),
    "tcd.delegated_cases_first": N_("Cases: first time"),
    "tcd.delegated_cases_repeat": N_("Cases: repeated"),
    "tcd.delegated_delegations": N_("Mass delegations: groups"),
    "tcd.delegated_delegation_people": N_("Mass delegations: people"),
    "tcd.delegated_delegation_first": N_("Mass delegations: cases first time"),
    "tcd.delegated_delegation_repeat": N_("Mass delegations: cases repeated"),
    "pl.petitions": N_("Petitions"),
    "pl.cases": N_("Cases"),
    "pl.complaints": N_("Complaints: petitions"),
    "pl.complaint_cases": N_("Complaints: cases"),
    "pl.denunciations": N_("Denunciations: petitions"),
    "pl.denunciation_cases": N_("Denunciations: cases"),
    "pl.recommendations": N_("Recommendations and reports: petitions"),
    "pl.recommendation_cases": N_("Recommendations and reports: cases"),
    "pl.ours": N_("Within competence: petitions"),
    "pl.ours_cases": N_("Within competence: cases"),
    "pl.not_ours": N_("Not within competence: petitions"),
    "pl.not_ours_cases": N_("Not within competence: cases"),
    "pl.guided": N_("Guided"),
    "pl.forwarded": N_("Forwarded"),
    "pl.chased": N_("Chased"),
    "pl.feedback": N_("Written answers received"),
    "xld.to_handle": N_("Total petitions to handle (1)=(2)+(3)"),
    "xld.carried_over": N_("Carried over from the previous period"),
    "xld.received": N_("Received in the period"),
    "xld.handled": N_("Handled"),
    "xld.ineligible": N_("Not eligible for handling"),
    "xld.eligible": N_("Eligible for handling: petitions"),
    "xld.eligible_cases": N_("Eligible for handling: cases"),
    "xld.eligible_complaints": N_("By content: complaints"),
    "xld.eligible_denunciations": N_("By content: denunciations"),
    "xld.eligible_recommendations": N_("By content: recommendations and reports"),
    "xld.stage_first": N_("Resolved once before"),
    "xld.stage_repeat": N_("Resolved several times before"),
    "xld.stage_none": N_("Not yet resolved"),
    "xld.stage_court": N_("A court has ruled"),
    "xld.ours_complaints": N_("Within competence: complaints"),
    "xld.ours_denunciations": N_("Within competence: denunciations"),
    "xld.ours_recommendations": N_("Within competence: recommendations and reports"),
    "xld.not_ours": N_("Not within competence: total"),
    "xld.guided": N_("Guided"),
    "xld.forwarded": N_("Forwarded"),
    "xld.chased": N_("Chased"),
    "xld.feedback": N_("Written answers received"),
}

FIGURE_NAMES: dict[str, str] = {
    "regular.visits": N_("Regular reception: visits"),
    "regular.people": N_("Regular reception: people"),
    "regular.cases_first": N_("Regular reception: cases first time"),
    "regular.cases_repeat": N_("Regular reception: cases repeated"),
    "regular.delegations": N_("Mass delegations"),
    "regular.delegation_people": N_("Mass delegations: people"),
    "regular.delegation_cases": N_("Mass delegations: cases"),
    "petitions.total": N_("Petitions received"),
    "petitions.complaints": N_("of which complaints"),
    "petitions.denunciations": N_("of which denunciations"),
    "petitions.recommendations_reports": N_("of which recommendations and reports"),
    "petitions.recommendations": N_("recommendations"),
    "petitions.reports": N_("reports"),
    "petitions.eligible": N_("Eligible for handling"),
    "petitions.ours": N_("Within competence"),
    "petitions.chairman": N_("Under the provincial Chairman's jurisdiction"),
    "petitions.chairman_complaints": N_("Under the Chairman's jurisdiction: complaints"),
    "petitions.chairman_denunciations": N_("Under the Chairman's jurisdiction: denunciations"),
    "petitions.chairman_recommendations": N_("Under the Chairman's jurisdiction: "
                                             "recommendations and reports"),
    "petitions.not_ours": N_("Not within competence"),
    "petitions.guided": N_("Not within competence: guided"),
    "petitions.forwarded": N_("Not within competence: forwarded"),
    "petitions.chased": N_("Not within competence: chased"),
    "petitions.anonymous": N_("Anonymous petitions"),
    "processing.carried_over": N_("Carried over from the previous period"),
    "processing.resolved": N_("Resolved in the period"),
    "processing.in_progress": N_("Still in progress"),
    "processing.overdue": N_("Overdue"),
    "processing.skips_level": N_("Skipping a level"),
}

# Groups of numbered columns: (first, last, heading).
TCD_GROUPS = ((1, 3, N_("Total")), (4, 11, N_("Regular reception")),
              (12, 20, N_("Periodic and ad hoc reception by the head in person")),
              (21, 29, N_("Reception delegated by the head")))
CLASSIFICATION_GROUPS = ((1, 2, N_("Total")), (3, 8, N_("By content")),
                         (9, 12, N_("By competence")),
                         (13, 16, N_("Not within competence: what was done")))
XLD_GROUPS = ((1, 3, N_("Petitions to handle")), (4, 5, N_("Handled")),
              (6, 14, N_("Eligible for handling")), (15, 17, N_("Within competence")),
              (18, 22, N_("Not within competence")))

# Files already made, by what they show: many officials open the same report, and a chart
# takes a good part of a second to draw. Bounded, per process.
CACHED_FILES = 16
_made: OrderedDict[str, OutFile] = OrderedDict()
_made_lock = threading.Lock()

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)


# -- the workbook -----------------------------------------------------------------------------


def _title(sheet: Worksheet, lines: Sequence[str], width: int) -> int:
    for row, line in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=line)
        cell.font = Font(bold=row <= 3, size=12 if row <= 3 else 10)
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return len(lines) + 2


def _form(sheet: Worksheet, top: int, unit: str, columns: Sequence[Column],
          groups: Sequence[tuple[int, int, str]], report: Report) -> None:
    """Write a numbered form: group headings, column headings, numbers, then the data row."""
    sheet.cell(row=top, column=1, value=_("Unit"))
    sheet.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
    for first, last, heading in groups:
        sheet.cell(row=top, column=first + 1, value=_(heading))
        if last > first:
            sheet.merge_cells(start_row=top, start_column=first + 1, end_row=top,
                              end_column=last + 1)
    for column in columns:
        sheet.cell(row=top + 1, column=column.number + 1, value=_(HEADINGS[column.key]))
        sheet.cell(row=top + 2, column=column.number + 1, value=f"({column.number})")
        sheet.cell(row=top + 3, column=column.number + 1, value=column.value(report))
    sheet.cell(row=top + 2, column=1, value="")
    sheet.cell(row=top + 3, column=1, value=unit)
    for row in range(top, top + 4):
        for col in range(1, len(columns) + 2):
            cell = sheet.cell(row=row, column=col)
            cell.border = _BOX
            cell.alignment = _WRAP
            if row < top + 3:
                cell.font = Font(bold=row < top + 2, italic=row == top + 2, size=9)
    sheet.column_dimensions["A"].width = 28
    for col in range(2, len(columns) + 2):
        sheet.column_dimensions[get_column_letter(col)].width = 11
    sheet.row_dimensions[top + 1].height = 75
    sheet.freeze_panes = f"B{top + 3}"


def _heading_lines(report: Report, settings: Settings, form: str, title: str) -> list[str]:
    now = report.current
    return [
        settings.office.name.upper(),
        form,
        title.upper(),
        _("({period}; figures from {start} to {end})").format(
            period=period_label(now.period), start=format_date(now.start, "short"),
            end=format_date(now.end, "short")),
    ]


def _summary_sheet(sheet: Worksheet, report: Report, settings: Settings) -> None:
    now, then = report.current, report.previous
    top = _title(sheet, [
        settings.office.name.upper(),
        _("SUMMARY OF CITIZEN RECEPTION AND PETITION HANDLING"),
        period_label(now.period).upper(),
        _("{scope}: from {start} to {end}; the same period last year: from {previous_start} "
          "to {previous_end}").format(
            scope=scope_label(settings, now.site_id), start=format_date(now.start, "short"),
            end=format_date(now.end, "short"), previous_start=format_date(then.start, "short"),
            previous_end=format_date(then.end, "short")),
    ], 6)
    headings = [_("Figure"), _("This period"), _("Same period last year"),
                _("Up (+) / down (−)"), _("Change"), _("Compared")]
    for col, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=top, column=col, value=heading)
        cell.font = Font(bold=True)
        cell.border = _BOX
        cell.alignment = _WRAP
    rows: list[tuple[str, Change, Unit]] = [
        (_(FIGURE_NAMES[figure.key]), report.change(figure.value), figure.unit)
        for figure in SUMMARY_FIGURES]
    for leader in now.leaders:
        name = leader.title
        rows.extend([
            (_("{leader}: reception days held").format(leader=name),
             report.leader_change(leader.leader_id, lambda item: item.days_held), Unit.DAY),
            (_("{leader}: reception days planned").format(leader=name),
             report.leader_change(leader.leader_id, lambda item: item.days_planned), Unit.DAY),
            (_("{leader}: visits").format(leader=name),
             report.leader_change(leader.leader_id, lambda item: item.figures.visits),
             Unit.VISIT),
            (_("{leader}: people").format(leader=name),
             report.leader_change(leader.leader_id, lambda item: item.figures.people),
             Unit.PERSON),
            (_("{leader}: cases").format(leader=name),
             report.leader_change(leader.leader_id, lambda item: item.figures.cases),
             Unit.CASE),
            (_("{leader}: mass delegations").format(leader=name),
             report.leader_change(leader.leader_id, lambda item: item.figures.delegations),
             Unit.DELEGATION),
        ])
    for offset, (name, change, unit) in enumerate(rows, start=1):
        values: list[str | int] = [name, change.current, change.previous, change.delta,
                                   percent_text(change), change_words(change, unit)]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=top + offset, column=col, value=value)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="center", wrap_text=col in (1, 6))
    for letter, width in zip("ABCDEF", (52, 14, 16, 14, 10, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _trend_sheet(sheet: Worksheet, report: Report) -> None:
    headings = [_("Month"), *(type_name(kind) for kind in KINDS), _("Petitions"),
                _("Petitions, same month last year"), _("Visits"),
                _("Visits, same month last year")]
    for col, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=col, value=heading)
        cell.font = Font(bold=True)
        cell.border = _BOX
        cell.alignment = _WRAP
    previous = report.previous.trend
    for row, point in enumerate(report.current.trend, start=2):
        before = previous[row - 2] if row - 2 < len(previous) else None
        values: list[str | int] = [
            f"{format_date(point.month.start, 'short')}–{format_date(point.month.end, 'short')}",
            *(point.petitions.get(kind, 0) for kind in KINDS), point.petitions_total,
            before.petitions_total if before else 0, point.visits,
            before.visits if before else 0]
        for col, value in enumerate(values, start=1):
            sheet.cell(row=row, column=col, value=value).border = _BOX
    sheet.column_dimensions["A"].width = 26
    for col in range(2, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14


def _cached(kind: str, report: Report, settings: Settings,
            make: Callable[[Report, Settings], OutFile]) -> OutFile:
    """Return the file ``make`` draws for ``report``, drawing it only once per content."""
    shown = (kind, report, current_language(), settings.office.name,
             tuple((site.id, site.name) for site in settings.sites))
    key = hashlib.sha256(repr(shown).encode("utf-8")).hexdigest()
    with _made_lock:
        found = _made.get(key)
        if found is not None:
            _made.move_to_end(key)
            return found
    made = make(report, settings)
    with _made_lock:
        _made[key] = made
        while len(_made) > CACHED_FILES:
            _made.popitem(last=False)
    return made


def workbook(report: Report, settings: Settings) -> OutFile:
    """Return the statistical tables of ``report`` as an .xlsx file."""
    return _cached("xlsx", report, settings, _workbook)


def _workbook(report: Report, settings: Settings) -> OutFile:
    book = Workbook()
    unit = scope_label(settings, report.current.site_id)
    summary = book.active
    assert summary is not None  # noqa: S101 - a new workbook has one sheet
    summary.title = _("Summary")[:31]
    _summary_sheet(summary, report, settings)
    tcd = book.create_sheet("01-TCD")
    top = _title(tcd, _heading_lines(report, settings, _("Form 01/TCD"),
                                     _("Summary of citizen reception results")),
                 len(TCD_COLUMNS) + 1)
    _form(tcd, top, unit, TCD_COLUMNS, TCD_GROUPS, report)
    classification = book.create_sheet("PL-TCD")
    top = _title(classification, _heading_lines(
        report, settings, _("Classification of petitions received at reception"),
        _("Petitions received through citizen reception")), len(CLASSIFICATION_COLUMNS) + 1)
    _form(classification, top, unit, CLASSIFICATION_COLUMNS, CLASSIFICATION_GROUPS, report)
    xld = book.create_sheet("01-XLD")
    top = _title(xld, _heading_lines(report, settings, _("Form 01/XLD"),
                                     _("Summary of petition handling results")),
                 len(XLD_COLUMNS) + 1)
    _form(xld, top, unit, XLD_COLUMNS, XLD_GROUPS, report)
    _trend_sheet(book.create_sheet(_("By month")[:31]), report)
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"bao-cao-{report.current.period.key}" + (
        f"-{report.current.site_id}" if report.current.site_id else "") + ".xlsx"
    return OutFile(filename=name, content=buffer.getvalue(), mime_type=XLSX_MIME)


# -- the chart --------------------------------------------------------------------------------


def chart(report: Report, settings: Settings) -> OutFile:
    """Return a PNG: petitions by type (this period and last year), and the months' trend."""
    return _cached("png", report, settings, _styled_chart)


def _styled_chart(report: Report, settings: Settings) -> OutFile:
    with matplotlib.rc_context({"font.family": FONT, "axes.unicode_minus": False}):
        return _chart(report, settings)


def _chart(report: Report, settings: Settings) -> OutFile:
    figure = chart_figure(report, settings)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return OutFile(filename=f"bieu-do-{report.current.period.key}.png",
                   content=buffer.getvalue(), mime_type="image/png")


def chart_figure(report: Report, settings: Settings) -> Figure:
    """Draw the chart: petitions by type beside last year's, and the months' trend."""
    now, then = report.current, report.previous
    figure = Figure(figsize=(11, 4.6), dpi=100)
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    names = [type_name(kind) for kind in KINDS]
    current = [now.petitions.kind(kind).petitions for kind in KINDS]
    previous = [then.petitions.kind(kind).petitions for kind in KINDS]
    positions = list(range(len(KINDS)))
    left.barh([p + 0.2 for p in positions], current, height=0.4, label=_("This period"),
              color="#1f5fa8")
    left.barh([p - 0.2 for p in positions], previous, height=0.4,
              label=_("Same period last year"), color="#b8c7dc")
    left.set_yticks(positions, names)
    left.invert_yaxis()
    for position, value in zip(positions, current, strict=True):
        left.annotate(str(value), (value, position + 0.2), xytext=(3, 0),
                      textcoords="offset points", va="center", fontsize=8)
    left.set_title(_("Petitions by type"), fontsize=11)
    left.legend(fontsize=8, loc="lower right")
    months = [point.month.end.strftime("%m/%Y") for point in now.trend]
    right.plot(months, [point.petitions_total for point in now.trend], marker="o",
               color="#1f5fa8", label=_("Petitions"))
    right.plot(months[:len(then.trend)], [point.petitions_total for point in then.trend],
               linestyle="--", color="#1f5fa8", alpha=0.45,
               label=_("Petitions, same month last year"))
    right.plot(months, [point.visits for point in now.trend], marker="s", color="#c0392b",
               label=_("Visits"))
    right.plot(months[:len(then.trend)], [point.visits for point in then.trend],
               linestyle="--", color="#c0392b", alpha=0.45,
               label=_("Visits, same month last year"))
    right.set_title(_("Month by month"), fontsize=11)
    right.tick_params(axis="x", labelrotation=45, labelsize=8)
    right.set_ylim(bottom=0)
    # Petitions and visits are counted whole: no tick at 0.5.
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.legend(fontsize=8)
    figure.suptitle(f"{period_label(now.period)} · {scope_label(settings, now.site_id)}",
                    fontsize=12)
    for axes in (left, right):
        axes.grid(axis="x" if axes is left else "y", alpha=0.3)
    figure.tight_layout()
    return figure
