"""The words of the officials' reports: the summary as a report is written, the digests,
the deadline alerts, and the comparison with the same period last year.

Every function writes in the current language (the turn's, or the recipient's inside an
outbox builder); numbers are formatted for that language.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.config import Settings
from bot.domain.digests import (
    DeadlineAlert,
    DeadlineStage,
    Delegation,
    DuePetition,
    MorningBrief,
    WeeklyDigest,
)
from bot.domain.periods import PeriodKind, ReportingPeriod
from bot.domain.petitions import PetitionType
from bot.domain.report import (
    KINDS,
    Change,
    Direction,
    LeaderReception,
    ReceptionFigures,
    Report,
    Unit,
)
from bot.i18n import _, current_language, format_date, format_datetime, format_number, ngettext


def esc(text: object) -> str:
    """Escape stored or configured text for the HTML a Reply carries."""
    return html.escape(str(text), quote=False)


# -- numbers and changes --------------------------------------------------------------------


def counted(number: int, unit: Unit) -> str:
    """Return a number with what it counts: "57 đơn", "12 lượt"."""
    shown = format_number(number)
    if unit is Unit.PETITION:
        text = ngettext("{number} petition", "{number} petitions", number)
    elif unit is Unit.VISIT:
        text = ngettext("{number} visit", "{number} visits", number)
    elif unit is Unit.PERSON:
        text = ngettext("{number} person", "{number} people", number)
    elif unit is Unit.CASE:
        text = ngettext("{number} case", "{number} cases", number)
    elif unit is Unit.DELEGATION:
        text = ngettext("{number} mass delegation", "{number} mass delegations", number)
    else:
        text = ngettext("{number} reception day", "{number} reception days", number)
    return text.format(number=shown)


def change_words(change: Change, unit: Unit) -> str:
    """Word a change as a report does: "giảm 57 đơn so với cùng kỳ", "bằng cùng kỳ"."""
    if change.direction is Direction.SAME:
        return _("the same as in the same period last year")
    amount = counted(abs(change.delta), unit)
    if change.direction is Direction.UP:
        return _("up {amount} on the same period last year").format(amount=amount)
    return _("down {amount} on the same period last year").format(amount=amount)


def short_change(change: Change) -> str:
    """Word a change in brief, for a figure in brackets: "tăng 3", "giảm 2"."""
    if change.direction is Direction.SAME:
        return _("unchanged")
    number = format_number(abs(change.delta))
    if change.direction is Direction.UP:
        return _("up {number}").format(number=number)
    return _("down {number}").format(number=number)


def percent_text(change: Change) -> str:
    """Return the change in percent ("−7,5%"), or a dash when last year had none."""
    if change.percent is None:
        return "–"
    sign = "+" if change.percent > 0 else ("−" if change.percent < 0 else "")
    return f"{sign}{format_number(abs(change.percent))}%"


# -- names ----------------------------------------------------------------------------------


def period_label(period: ReportingPeriod) -> str:
    """Return the period's name in the current language ("năm 2025", "quý IV năm 2026")."""
    return period.label(current_language())


def kind_label(kind: PeriodKind) -> str:
    """Return the name of a kind of period."""
    return {
        PeriodKind.MONTH: _("Month"),
        PeriodKind.QUARTER: _("Quarter"),
        PeriodKind.HALF: _("Six months"),
        PeriodKind.NINE_MONTHS: _("Nine months"),
        PeriodKind.YEAR: _("Year"),
    }[kind]


def type_name(kind: PetitionType) -> str:
    """Return a petition type as the reports name it ("khiếu nại")."""
    return {
        PetitionType.COMPLAINT: _("complaint"),
        PetitionType.DENUNCIATION: _("denunciation"),
        PetitionType.RECOMMENDATION: _("recommendation"),
        PetitionType.REPORT: _("report"),
    }[kind]


def scope_label(settings: Settings, site_id: str | None) -> str:
    """Return the scope of a report: a site's name, or the whole province."""
    if site_id is None:
        return _("Whole province")
    for site in settings.sites:
        if site.id == site_id:
            return site.name
    return site_id


def leader_title(settings: Settings, leader_id: str | None) -> str:
    """Return a leader's title from the settings (their id, if no longer configured)."""
    leader = settings.leader(leader_id) if leader_id else None
    return leader.title if leader is not None else (leader_id or _("a leader"))


# -- the summary ------------------------------------------------------------------------------


def _reception_sentence(figures: ReceptionFigures, previous: ReceptionFigures) -> str:
    visits = Change(figures.visits, previous.visits)
    people = Change(figures.people, previous.people)
    delegations = Change(figures.delegations, previous.delegations)
    text = _("{visits} ({visits_change}), {people} ({people_change}); {first} seen for the "
             "first time and {repeat} seen again").format(
        visits=counted(figures.visits, Unit.VISIT), visits_change=change_words(visits,
                                                                               Unit.VISIT),
        people=counted(figures.people, Unit.PERSON),
        people_change=change_words(people, Unit.PERSON),
        first=counted(figures.cases_first, Unit.CASE),
        repeat=counted(figures.cases_repeat, Unit.CASE))
    if figures.delegations:
        text += "; " + _("including {delegations} ({change}) with {people} and {cases}").format(
            delegations=counted(figures.delegations, Unit.DELEGATION),
            change=short_change(delegations),
            people=counted(figures.delegation_people, Unit.PERSON),
            cases=counted(figures.delegation_cases, Unit.CASE))
    else:
        text += "; " + _("no mass delegation ({change})").format(change=short_change(delegations))
    return text + "."


def _leader_line(report: Report, leader: LeaderReception) -> str:
    figures = leader.figures
    visits = report.leader_change(leader.leader_id, lambda item: item.figures.visits)
    people = report.leader_change(leader.leader_id, lambda item: item.figures.people)
    cases = report.leader_change(leader.leader_id, lambda item: item.figures.cases)
    if leader.days_planned:
        days = _("{held} of {planned} planned reception days held").format(
            held=format_number(leader.days_held), planned=format_number(leader.days_planned))
    elif leader.days_held:
        days = _("{held} reception days held, none planned").format(
            held=format_number(leader.days_held))
    else:
        days = _("no reception day planned")
    line = _("• {title}: {days}; {visits} ({visits_change}), {people} ({people_change}), "
             "{cases} ({cases_change})").format(
        title=f"<b>{esc(leader.title)}</b>", days=days,
        visits=counted(figures.visits, Unit.VISIT), visits_change=short_change(visits),
        people=counted(figures.people, Unit.PERSON), people_change=short_change(people),
        cases=counted(figures.cases, Unit.CASE), cases_change=short_change(cases))
    if figures.delegations:
        line += "; " + _("{delegations} with {people}").format(
            delegations=counted(figures.delegations, Unit.DELEGATION),
            people=counted(figures.delegation_people, Unit.PERSON))
    return line + "."


_GROUPS: tuple[tuple[PetitionType, ...], ...] = (
    (PetitionType.COMPLAINT,), (PetitionType.DENUNCIATION,),
    (PetitionType.RECOMMENDATION, PetitionType.REPORT))


def typed_count(number: int, kinds: Sequence[PetitionType]) -> str:
    """Return a number of petitions of a type: "201 đơn khiếu nại"."""
    shown = format_number(number)
    if kinds == (PetitionType.COMPLAINT,):
        text = ngettext("{number} complaint", "{number} complaints", number)
    elif kinds == (PetitionType.DENUNCIATION,):
        text = ngettext("{number} denunciation", "{number} denunciations", number)
    else:
        text = ngettext("{number} recommendation or report", "{number} recommendations and "
                        "reports", number)
    return text.format(number=shown)


def _none_of(kinds: Sequence[PetitionType]) -> str:
    if kinds == (PetitionType.COMPLAINT,):
        return _("no complaint")
    if kinds == (PetitionType.DENUNCIATION,):
        return _("no denunciation")
    return _("no recommendation or report")


def _chairman_part(report: Report) -> str:
    petitions = report.current.petitions
    parts = []
    for kinds in _GROUPS:
        number = sum(petitions.kind(kind).chairman for kind in kinds)
        parts.append(typed_count(number, kinds) if number else _none_of(kinds))
    return ", ".join(parts)


def summary_text(report: Report, settings: Settings) -> str:
    """Write the summary as the officials' report reads: reception, petitions, processing."""
    now, then = report.current, report.previous
    lines = [
        _("<b>Citizen reception and petition handling: {period}</b>").format(
            period=esc(period_label(now.period))),
        _("{scope} · from {start} to {end}, compared with the same period last year "
          "({previous_start}–{previous_end}).").format(
            scope=esc(scope_label(settings, now.site_id)), start=format_date(now.start, "short"),
            end=format_date(now.end, "short"), previous_start=format_date(then.start, "short"),
            previous_end=format_date(then.end, "short")),
    ]
    if not now.complete:
        lines.append(_("<i>The period is not over: figures up to {day}.</i>").format(
            day=format_date(now.end, "short")))
    if now.is_empty and then.is_empty:
        lines.append("")
        lines.append(_("Nothing was recorded in this period, nor in the same period last year."))
        return "\n".join(lines)
    lines.append("")
    lines.append(_("<b>1. Regular reception:</b> the office received {sentence}").format(
        sentence=_reception_sentence(now.regular, then.regular)))
    lines.append("")
    lines.append(_("<b>2. Reception by leaders:</b>"))
    if now.leaders:
        lines.extend(_leader_line(report, leader) for leader in now.leaders)
    else:
        lines.append(_("No leader's reception is configured."))
    lines.append("")
    lines.append(_petitions_paragraph(report))
    lines.append("")
    lines.append(_processing_paragraph(report))
    return "\n".join(lines)


def _petitions_paragraph(report: Report) -> str:
    now, then = report.current.petitions, report.previous.petitions
    total = Change(now.total.petitions, then.total.petitions)

    def typed(kinds: Sequence[PetitionType]) -> str:
        number = sum(now.kind(k).petitions for k in kinds)
        before = sum(then.kind(k).petitions for k in kinds)
        return _("{petitions} ({change})").format(
            petitions=typed_count(number, kinds), change=short_change(Change(number, before)))

    text = _("<b>3. Petitions received:</b> {total}, {change}: {complaints}, {denunciations}, "
             "{others}.").format(
        total=counted(now.total.petitions, Unit.PETITION),
        change=change_words(total, Unit.PETITION),
        complaints=typed(_GROUPS[0]), denunciations=typed(_GROUPS[1]),
        others=typed(_GROUPS[2]))
    every = now.total
    text += " " + _("Eligible for handling: {eligible}. Within competence: {ours}; under the "
                    "jurisdiction of the Chairman of the provincial People's Committee: "
                    "{chairman}.").format(
        eligible=counted(every.eligible, Unit.PETITION), ours=counted(every.ours, Unit.PETITION),
        chairman=_chairman_part(report))
    text += " " + _("Not within competence: {not_ours} (guided {guided}, forwarded {forwarded}, "
                    "chased {chased}).").format(
        not_ours=counted(every.not_ours, Unit.PETITION), guided=format_number(every.guided),
        forwarded=format_number(every.forwarded), chased=format_number(every.chased))
    anonymous = Change(every.anonymous, then.total.anonymous)
    text += " " + _("Anonymous: {anonymous} ({change}).").format(
        anonymous=counted(every.anonymous, Unit.PETITION), change=short_change(anonymous))
    return text


def _processing_paragraph(report: Report) -> str:
    now, then = report.current.processing, report.previous.processing
    return _("<b>4. Processing:</b> of {to_handle} to handle ({carried} carried over), "
             "{resolved} resolved ({resolved_change}); {in_progress} still in progress, "
             "{overdue} of them overdue ({overdue_change}). Skipping a level: {skips} "
             "({skips_change}).").format(
        to_handle=counted(now.to_handle, Unit.PETITION),
        carried=format_number(now.carried_over),
        resolved=counted(now.resolved, Unit.PETITION),
        resolved_change=short_change(Change(now.resolved, then.resolved)),
        in_progress=counted(now.in_progress, Unit.PETITION),
        overdue=format_number(now.overdue),
        overdue_change=short_change(Change(now.overdue, then.overdue)),
        skips=counted(now.skips_level, Unit.PETITION),
        skips_change=short_change(Change(now.skips_level, then.skips_level)))


def chart_caption(report: Report, settings: Settings) -> str:
    """Return the caption of the chart: what it shows, for which period and scope."""
    return _("📊 Petitions by type and month by month: {period}, {scope}").format(
        period=esc(period_label(report.current.period)),
        scope=esc(scope_label(settings, report.current.site_id)))


# -- digests --------------------------------------------------------------------------------


def _due_list(items: Sequence[DuePetition], total: int) -> list[str]:
    lines = [_("  • {code} ({kind}), due {date}").format(
        code=f"<code>{esc(item.code)}</code>", kind=type_name(item.kind),
        date=format_date(item.due_on, "short")) for item in items]
    if total > len(items):
        lines.append(_("  … and {number} more").format(number=format_number(total - len(items))))
    return lines


def _delegation_line(settings: Settings, item: Delegation) -> str:
    receiver = (leader_title(settings, item.leader_id) if item.leader_id
                else _("regular reception"))
    return _("  • {time} · {site} · {receiver}: {people}, {commune}; {topic}").format(
        time=format_datetime(item.starts_at), site=esc(scope_label(settings, item.site_id)),
        receiver=esc(receiver), people=counted(item.people, Unit.PERSON),
        commune=esc(item.commune or _("commune not given")), topic=esc(item.topic[:120]))


def _new_line(counts: Mapping[PetitionType, int]) -> str:
    total = sum(counts.values())
    parts = ", ".join(_("{number} {kind}").format(number=format_number(counts[kind]),
                                                   kind=type_name(kind))
                      for kind in KINDS if counts.get(kind))
    return _("🆕 New petitions: {total} ({parts})").format(
        total=format_number(total), parts=parts) if total else _("🆕 No new petition.")


def morning_text(brief: MorningBrief, settings: Settings, site_id: str | None) -> str:
    """Write the day's brief: what is due first, then what is new, then the day's queue."""
    lines = [_("☀️ <b>Morning brief, {day}</b> · {scope}").format(
        day=format_date(brief.day, "weekday"), scope=esc(scope_label(settings, site_id)))]
    if brief.overdue_count:
        lines.append(_("⛔ Overdue petitions: {number}").format(
            number=format_number(brief.overdue_count)))
        lines.extend(_due_list(brief.overdue, brief.overdue_count))
    if brief.due_today_count:
        lines.append(_("⏰ Due today: {number}").format(
            number=format_number(brief.due_today_count)))
        lines.extend(_due_list(brief.due_today, brief.due_today_count))
    if not brief.overdue_count and not brief.due_today_count:
        lines.append(_("✅ No petition is due today or overdue."))
    lines.append(_new_line(brief.new_petitions))
    lines.append(_("👥 Today's queue: {bookings} bookings, {people} expected ({regular} at "
                   "regular reception, {leader} at leaders' reception).").format(
        bookings=format_number(brief.queue.bookings),
        people=counted(brief.queue.people, Unit.PERSON),
        regular=format_number(brief.queue.regular_bookings),
        leader=format_number(brief.queue.leader_bookings)))
    for leader_id in brief.leader_days:
        lines.append(_("🏛 The {leader} receives citizens today.").format(
            leader=esc(leader_title(settings, leader_id))))
    if brief.delegations:
        lines.append(_("🚨 Mass delegations expected today: {number}").format(
            number=format_number(len(brief.delegations))))
        lines.extend(_delegation_line(settings, item) for item in brief.delegations)
    return "\n".join(lines)


def weekly_text(digest: WeeklyDigest, settings: Settings, site_id: str | None) -> str:
    """Write the week's digest: due and overdue first, the week's news, the week ahead."""
    lines = [_("🗓 <b>Weekly digest, {start}–{end}</b> · {scope}").format(
        start=format_date(digest.start, "short"), end=format_date(digest.end, "short"),
        scope=esc(scope_label(settings, site_id)))]
    if digest.overdue_count:
        lines.append(_("⛔ Overdue petitions: {number}").format(
            number=format_number(digest.overdue_count)))
        lines.extend(_due_list(digest.overdue, digest.overdue_count))
    lines.append(_("⏰ Due in the coming seven days: {number}").format(
        number=format_number(digest.due_next_week)))
    lines.append(_new_line(digest.new_petitions))
    lines.append(_("✅ Resolved this week: {number}").format(
        number=counted(digest.resolved, Unit.PETITION)))
    lines.append(_("👥 Received at the office: {visits}, {people}.").format(
        visits=counted(digest.visits, Unit.VISIT),
        people=counted(digest.visit_people, Unit.PERSON)))
    for day, leader_id in digest.leader_days_ahead:
        lines.append(_("🏛 {day}: the {leader} receives citizens.").format(
            day=format_date(day, "weekday"), leader=esc(leader_title(settings, leader_id))))
    if digest.delegations_ahead:
        lines.append(_("🚨 Mass delegations booked for the coming week: {number}").format(
            number=format_number(len(digest.delegations_ahead))))
        lines.extend(_delegation_line(settings, item) for item in digest.delegations_ahead)
    return "\n".join(lines)


def nothing_new_text(kind_name: str) -> str:
    """Say once that a digest has nothing new (the next empty ones are not sent)."""
    return _("{digest}: nothing new. You will not get another such message until there is "
             "news.").format(digest=kind_name)


def digest_name(kind: str) -> str:
    """Return the name of a digest."""
    return {
        "morning": _("Morning brief"),
        "weekly": _("Weekly digest"),
        "monthly": _("Monthly report"),
        "period": _("Period report"),
    }.get(kind, kind)


def period_report_heading(period: ReportingPeriod) -> str:
    """Return the heading of a report sent on the day after the cut-off."""
    return _("📨 The {period} is closed: here is its report.").format(
        period=esc(period_label(period)))


# -- alerts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertItem:
    """A deadline alert as one person gets it: as the assignee, or as the head."""

    alert: DeadlineAlert
    to_head: bool
    assignee: str | None  # the assigned staff member's name, told to the head


def _stage_head(stage: DeadlineStage) -> str:
    if stage is DeadlineStage.SOON:
        return _("⏳ Petition {code} ({kind}) is due on {date}.")
    if stage is DeadlineStage.TODAY:
        return _("⏰ Petition {code} ({kind}) is due today, {date}.")
    return _("⛔ Petition {code} ({kind}) is overdue: it was due on {date}.")


def _who_has_it(item: AlertItem) -> str:
    if item.assignee:
        return _("Assigned to: {name}.").format(name=esc(item.assignee))
    return _("No staff member is assigned to it.")


def deadline_alerts_text(items: Sequence[AlertItem], listed: int) -> str:
    """Write the deadline alerts of one run for one person: one petition, or a list of them
    grouped by how urgent they are (overdue first)."""
    if len(items) == 1:
        item = items[0]
        alert = item.alert
        lines = [_stage_head(alert.stage).format(
            code=f"<code>{esc(alert.code)}</code>", kind=type_name(alert.kind),
            date=format_date(alert.due_on, "weekday"))]
        if item.to_head:
            lines.append(_who_has_it(item))
        lines.append(_("Please check its handling and deadline."))
        return "\n".join(lines)
    lines = [_("⏰ <b>Petition deadlines to watch: {number}</b>").format(
        number=format_number(len(items)))]
    for stage, heading in ((DeadlineStage.OVERDUE, _("⛔ Overdue:")),
                           (DeadlineStage.TODAY, _("⏰ Due today:")),
                           (DeadlineStage.SOON, _("⏳ Due soon:"))):
        group = [item for item in items if item.alert.stage is stage]
        if not group:
            continue
        lines.append(heading)
        for item in group[:listed]:
            line = _("  • {code} ({kind}), due {date}").format(
                code=f"<code>{esc(item.alert.code)}</code>", kind=type_name(item.alert.kind),
                date=format_date(item.alert.due_on, "short"))
            if item.to_head:
                line += " · " + _who_has_it(item)
            lines.append(line)
        if len(group) > listed:
            lines.append(_("  … and {number} more").format(
                number=format_number(len(group) - listed)))
    lines.append(_("Please check their handling and deadlines."))
    return "\n".join(lines)


def open_report_label() -> str:
    """Return the label of the button that opens a report in chat."""
    return _("📊 Open the report")


def excel_label() -> str:
    """Return the label of the button that sends a report's Excel file."""
    return _("📥 Excel file")
