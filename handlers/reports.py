"""/baocao and /nhanbaocao (officials): the summary of a period, and digest subscriptions.

    /baocao [period] ─▶ viewing_report ─┬─ ◀ previous, next ▶, a typed period ─▶ viewing_report
         (chart, then the summary)      ├─ kind ─▶ choosing_report_kind ─▶ viewing_report
                                        ├─ site ─▶ choosing_report_site ─▶ viewing_report
                                        ├─ Excel ─▶ (the .xlsx) ─▶ viewing_report's buttons again
                                        └─ close ─▶ menu
    📊 Open the report (g|rp_open|2026-M11|0, on a digest) ─▶ viewing_report
    📥 Excel file (g|rp_xlsx|2026-M11|0, on a digest) ─▶ the .xlsx

    /nhanbaocao ─▶ choosing_subscription ─┬─ a digest: subscribe or unsubscribe ─┐
                                          ├─ when nothing is new: say once / skip ─┤
                                          │             ▲──────────────────────────┘
                                          └─ done ─▶ menu

The role is checked by the flows and actions on every turn, and again by the service.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.dialog.flow import Flow, Step, Turn, esc, option
from bot.domain.choices import Option
from bot.domain.conversation import Expect
from bot.domain.digests import DigestKind, WhenEmpty
from bot.domain.periods import PeriodKind, ReportingPeriod
from bot.domain.users import Role
from bot.i18n import N_, _, format_date
from bot.services.report_texts import (
    digest_name,
    excel_label,
    kind_label,
    period_label,
    scope_label,
)
from bot.services.reports import OFFICIALS

FLOW_NAME = "reports"
SUBSCRIPTIONS_FLOW = "report_subscriptions"
HELP_REPORT = N_("the summary of a period, its chart and Excel tables, for example /baocao "
                 "năm 2025")
HELP_SUBSCRIBE = N_("subscribe to the morning brief, the weekly digest and the period reports")
SUBSCRIBERS = OFFICIALS | {Role.POLICE}  # the service checks the configured roles again
ALL_SITES = "*"


# -- the period and scope in the draft ----------------------------------------------------------


def _period(turn: Turn) -> ReportingPeriod:
    reports = turn.services.reports
    period = ReportingPeriod.from_key(str(turn.data.get("period", "")), turn.settings.periods)
    if period is None or not reports.has_started(period):
        return reports.default_period()
    return period


def _site(turn: Turn) -> str | None:
    site = str(turn.data.get("site") or "")
    return site if site in turn.services.reports.site_ids else None


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- viewing_report ---------------------------------------------------------------------------


def _actions(turn: Turn, period: ReportingPeriod) -> list[Option]:
    reports = turn.services.reports
    options = [option(_("◀ Previous period"), "previous", "truoc", "ky truoc", "previous")]
    if reports.has_started(period.following()):
        options.append(option(_("Next period ▶"), "next", "sau", "ky sau", "next"))
    # No "tháng", "quý" or "năm" here: typed periods ("quý 3 năm 2025") must not match it.
    options.append(option(_("🗓 Another kind of period"), "kind", "loai ky", "kind"))
    if len(turn.settings.sites) > 1:
        options.append(option(_("🏢 Another site"), "site", "tru so", "site"))
    options.append(option(excel_label(), "excel", "excel", "xlsx", "tai"))
    options.append(option(_("✖ Close"), "close", "dong", "xong", "close"))
    return options


async def ask_report(turn: Turn) -> None:
    """Send the chart, then the summary with buttons to move between periods and sites."""
    reports = turn.services.reports
    period = _period(turn)
    turn.data["period"] = period.key
    report = await reports.report(period, _site(turn))
    turn.say(reports.chart_caption(report), photo=await reports.chart(report, later=True))
    text = reports.summary_text(report)
    if report.current.is_empty and not report.previous.is_empty:
        # The summary compares with last year; say plainly that these zeros are no mistake.
        text += "\n\n" + _("ℹ️ Nothing at all was recorded in {period}: no reception and no "
                            "petition. The figures above are zero for that reason.").format(
                                period=esc(period_label(report.current.period)))
    text += "\n\n" + _("<i>To see another period, type it, for example «quý 3 năm 2025».</i>")
    turn.ask(text, _actions(turn, period), expect=Expect.TEXT, back=False, columns=2)


async def receive_report_action(turn: Turn) -> None:
    """Move to another period or site, send the Excel file, or close."""
    reports = turn.services.reports
    period = _period(turn)
    choice = turn.choice
    if choice is None:
        await _typed_period(turn)
        return
    if choice == "previous":
        turn.data["period"] = period.previous().key
        await turn.goto("viewing_report")
    elif choice == "next":
        following = period.following()
        if reports.has_started(following):
            turn.data["period"] = following.key
        await turn.goto("viewing_report")
    elif choice == "kind":
        await turn.goto("choosing_report_kind")
    elif choice == "site":
        await turn.goto("choosing_report_site")
    elif choice == "excel":
        report = await reports.report(period, _site(turn))
        turn.say(_("📥 The statistical tables of {period}: Form 01/TCD, the classification of "
                   "petitions received at reception, Form 01/XLD, the summary and the months.")
                 .format(period=esc(period_label(period))),
                 document=await reports.spreadsheet(report, later=True))
        turn.ask(_("What else would you like to see for {period}?").format(
            period=esc(period_label(period))), _actions(turn, period), expect=Expect.TEXT,
            back=False, columns=2)
    else:
        await turn.finish()


async def _typed_period(turn: Turn) -> None:
    reports = turn.services.reports
    period = reports.parse_period(turn.text or "")
    if period is None:
        await turn.reask(_("I could not read a period there. Please type it like «year 2025», "
                           "«quarter 4», «first half of 2026», «month 11» or «last year», or "
                           "tap a button."))
        return
    if not reports.has_started(period):
        await turn.reask(_("{period} has not started yet, so it has no figures.").format(
            period=_first_up(esc(period_label(period)))))
        return
    turn.data["period"] = period.key
    await turn.goto("viewing_report")


# -- choosing_report_kind, choosing_report_site ---------------------------------------------------


async def ask_report_kind(turn: Turn) -> None:
    """Ask which kind of period to show (its latest one)."""
    turn.ask(_("Which kind of period? I will show the latest one."),
             [option(kind_label(kind), kind.value) for kind in PeriodKind], columns=2)


async def receive_report_kind(turn: Turn) -> None:
    """Show the latest period of the chosen kind."""
    turn.data["period"] = turn.services.reports.latest(PeriodKind(turn.choice or "month")).key
    await turn.goto("viewing_report")


async def ask_report_site(turn: Turn) -> None:
    """Ask which site to report on, or the whole province."""
    options = [option(_("Whole province"), ALL_SITES, "toan tinh", "tat ca")]
    options.extend(option(site.name, site.id) for site in turn.settings.sites)
    turn.ask(_("Which site?"), options)


async def receive_report_site(turn: Turn) -> None:
    """Show the summary for the chosen site."""
    turn.data["site"] = "" if turn.choice == ALL_SITES else (turn.choice or "")
    await turn.goto("viewing_report")


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Reports"),
    steps={
        "viewing_report": Step(ask_report, receive_report_action),
        "choosing_report_kind": Step(ask_report_kind, receive_report_kind),
        "choosing_report_site": Step(ask_report_site, receive_report_site),
    },
    first="viewing_report",
    roles=OFFICIALS,
)


async def command_report(turn: Turn) -> None:
    """/baocao [period]: open the summary of the period typed, or of the current one."""
    reports = turn.services.reports
    typed = " ".join(turn.incoming.args).strip()
    period = reports.default_period()
    if typed:
        asked = reports.parse_period(typed)
        if asked is None:
            turn.say(_("I could not read «{text}» as a period (write it like «month 11», "
                       "«quarter 3», «year 2025» or «last year»), so here is {period}.").format(
                text=esc(typed[:60]), period=esc(period_label(period))))
        elif not reports.has_started(asked):
            turn.say(_("{asked} has not started yet, so here is {period}.").format(
                asked=_first_up(esc(period_label(asked))), period=esc(period_label(period))))
        else:
            period = asked
    site = await reports.home_site(turn.user)
    await turn.begin(FLOW_NAME, {"period": period.key, "site": site or ""})


async def action_open_report(turn: Turn, arg: str) -> None:
    """«Open the report» on a digest: show that period's summary (the role was checked)."""
    scope = turn.services.reports.parse_scope(arg)
    if scope is None:
        # The core shows the open question (or the menu) again after a global button.
        turn.say(_("That button belongs to an earlier message and no longer works."))
        return
    period, site = scope
    await turn.begin(FLOW_NAME, {"period": period.key, "site": site or ""})


async def action_excel(turn: Turn, arg: str) -> None:
    """«Excel file» on a digest: send that period's tables (the role was checked)."""
    reports = turn.services.reports
    scope = reports.parse_scope(arg)
    if scope is None:
        turn.say(_("That button belongs to an earlier message and no longer works."))
        return
    period, site = scope
    report = await reports.report(period, site)
    turn.say(_("📥 The statistical tables of {period} ({scope}).").format(
        period=esc(period_label(period)), scope=esc(scope_label(turn.settings, site))),
        document=await reports.spreadsheet(report, later=True))


# -- choosing_subscription ----------------------------------------------------------------------


def _when(turn: Turn, kind: DigestKind) -> str:
    reports = turn.settings.reports
    if kind is DigestKind.MORNING:
        return _("working days at {time}").format(time=reports.morning_brief_at
                                                  .strftime("%H:%M"))
    if kind is DigestKind.WEEKLY:
        # 1 January 2024 was a Monday: the day of that week names the weekday in any language.
        day = date(2024, 1, 1) + timedelta(days=reports.weekly_digest_day)
        return _("every {weekday} at {time}").format(
            weekday=format_date(day, "EEEE"), time=reports.weekly_digest_at.strftime("%H:%M"))
    return _("the day after the cut-off, at {time}").format(
        time=reports.period_reports_at.strftime("%H:%M"))


async def ask_subscriptions(turn: Turn) -> None:
    """Show what the person receives, with a button to turn each digest on or off."""
    mine = await turn.services.reports.subscriptions_of(turn.user)
    lines = [_("<b>Reports in this chat</b>")]
    options = []
    when_empty = WhenEmpty.SAY_ONCE
    for kind in DigestKind:
        subscription = mine[kind]
        name = digest_name(kind.value)
        if subscription is None:
            lines.append(_("➖ {digest} ({when}): not received").format(digest=name,
                                                                        when=_when(turn, kind)))
            options.append(option(_("➕ {digest}").format(digest=name), f"on:{kind.value}"))
            continue
        when_empty = subscription.when_empty
        state = _("you receive it (from the settings file)") if subscription.configured else \
            _("you receive it")
        lines.append(_("✅ {digest} ({when}): {state}; {scope}").format(
            digest=name, when=_when(turn, kind), state=state,
            scope=esc(scope_label(turn.settings, subscription.site_id))))
        options.append(option(_("✖ Stop: {digest}").format(digest=name), f"off:{kind.value}"))
    if when_empty is WhenEmpty.SAY_ONCE:
        lines.append(_("When there is nothing new, I say so once, then wait for news."))
        options.append(option(_("Send nothing when there is nothing new"), "empty:skip"))
    else:
        lines.append(_("When there is nothing new, I send nothing."))
        options.append(option(_("Say once when there is nothing new"), "empty:say_once"))
    options.append(option(_("✅ Done"), "done", "xong", "done"))
    turn.ask("\n".join(lines), options, back=False)


async def receive_subscription(turn: Turn) -> None:
    """Turn a digest on or off, or change what an empty digest does."""
    reports = turn.services.reports
    action, _sep, value = (turn.choice or "").partition(":")
    if action in ("on", "off"):
        await reports.subscribe(turn.user, DigestKind(value), action == "on")
        turn.say(_("Done: {digest} {state}.").format(
            digest=digest_name(value),
            state=_("turned on") if action == "on" else _("turned off")))
        await turn.goto("choosing_subscription")
    elif action == "empty":
        await reports.set_when_empty(turn.user, WhenEmpty(value))
        await turn.goto("choosing_subscription")
    else:
        await turn.finish()


SUBSCRIPTIONS = Flow(
    name=SUBSCRIPTIONS_FLOW,
    title=N_("Report subscriptions"),
    steps={"choosing_subscription": Step(ask_subscriptions, receive_subscription)},
    first="choosing_subscription",
    roles=SUBSCRIBERS,
)


async def command_subscriptions(turn: Turn) -> None:
    """/nhanbaocao: choose which digests to receive in this chat."""
    if not turn.services.reports.may_subscribe(turn.role):
        turn.say(_("Sorry, reports are sent only to the roles the office chose. Please ask "
                   "the administrator."))
        return
    await turn.begin(SUBSCRIPTIONS_FLOW)

