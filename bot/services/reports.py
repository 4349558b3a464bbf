"""Reports for officials: the summary of a period, its Excel tables and chart, subscriptions,
scheduled digests and deadline alerts.

Who sees what: the summary, the files and subscriptions are for the office's officials
(staff, leaders, admins; checked here on every call, not only in the handlers). Digests and
alerts go through the outbox; every digest delivered, or decided not to be (nothing new), is
recorded with its outbox row in one transaction, so that none is sent twice, even across
restarts.

Whose head hears of a petition's deadline: the people listed in ``[reports] heads``, or, when
none is listed, the leaders and admins of the petition's site (or of all sites).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from bot.domain.digests import (
    DeadlineAlert,
    DeadlineStage,
    DigestKind,
    MorningBrief,
    Subscriber,
    WeeklyDigest,
    WhenEmpty,
    closed_periods,
)
from bot.domain.messages import Button, OutFile, Reply, action_data
from bot.domain.periods import PeriodKind, ReportingPeriod, parse_period
from bot.domain.report import (
    Report,
    Summary,
    comparison_window,
    petitions_from,
    processing_from,
    reception_from,
    trend_from,
)
from bot.domain.users import ChannelUser, Role
from bot.services import report_files, report_texts
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.services.outbox import OutboxService
from bot.services.staff import StaffService
from bot.services.users import UserService
from bot.storage import reports as store
from bot.storage import users as user_store

ACTION_OPEN = "rp_open"  # open a period's summary from a digest (arg: period key | site)
ACTION_EXCEL = "rp_xlsx"  # get a period's Excel file from a digest
OFFICIALS = frozenset({Role.STAFF, Role.LEADER, Role.ADMIN})
KIND_DEADLINE_ALERT = "petition.deadline_alert"
# Alerts raised per run, told in one message per person; a backlog larger than this (a first
# run on an old database) is told over the next minutes' runs.
DEADLINE_BATCH = 20_000
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Digest:
    """A digest for one scope: whether it is empty, and how to word it for a reader."""

    empty: bool
    build: Callable[[], Reply]


def scope_arg(period: ReportingPeriod, site_id: str | None, site_ids: tuple[str, ...]) -> str:
    """Return the button argument naming a period and a scope ("2026-M11|0", "…|-")."""
    index = site_ids.index(site_id) if site_id in site_ids else -1
    return f"{period.key}|{index if index >= 0 else '-'}"


class ReportService:
    """Summaries, files, subscriptions, digests and deadline alerts for officials."""

    def __init__(self, ctx: ServiceContext, audit: AuditService, outbox: OutboxService,
                 users: UserService, staff: StaffService) -> None:
        self._ctx = ctx
        self._audit = audit
        self._outbox = outbox
        self._users = users
        self._staff = staff

    # -- time, scope and access ------------------------------------------------------------

    @property
    def today(self) -> date:
        """Return today in the office's time zone."""
        return self._ctx.now.astimezone(self._ctx.settings.tz).date()

    def _at(self, day: date, moment: time = time(0)) -> datetime:
        """Return the UTC time of a local day and time."""
        return datetime.combine(day, moment, tzinfo=self._ctx.settings.tz).astimezone(UTC)

    @property
    def site_ids(self) -> tuple[str, ...]:
        """Return the ids of the configured reception sites."""
        return tuple(site.id for site in self._ctx.settings.sites)

    def parse_scope(self, arg: str) -> tuple[ReportingPeriod, str | None] | None:
        """Return the period and scope a button argument names (None: a forged one)."""
        key, _sep, site = arg.partition("|")
        period = ReportingPeriod.from_key(key, self._ctx.settings.periods)
        if period is None or period.start > self.today:
            return None
        if site in ("", "-"):
            return period, None
        if not site.isdecimal() or int(site) >= len(self.site_ids):
            return None
        return period, self.site_ids[int(site)]

    async def _require_official(self, what: str) -> None:
        role = self._ctx.actor.role
        if role is None or role in OFFICIALS:
            return
        await self._audit.record("access.denied", what, role=role.value)
        raise PermissionError("only the office's officials read reports")

    async def home_site(self, user: ChannelUser) -> str | None:
        """Return the site a person works at (None: all sites, the whole province)."""
        return await self._staff.site_of(user)

    # -- periods ---------------------------------------------------------------------------

    def latest(self, kind: PeriodKind) -> ReportingPeriod:
        """Return the period of ``kind`` in progress today, or the last one started."""
        return ReportingPeriod.latest(kind, self.today, self._ctx.settings.periods)

    def default_period(self) -> ReportingPeriod:
        """Return the period /baocao shows when none is asked: the configured kind's latest."""
        return self.latest(self._ctx.settings.reports.default_kind)

    def parse_period(self, text: str) -> ReportingPeriod | None:
        """Return the period typed ("năm 2025", "quý 4", "tháng 11"), if there is one."""
        return parse_period(text, self.today, self._ctx.settings.periods)

    def has_started(self, period: ReportingPeriod) -> bool:
        """Tell whether any day of ``period`` has come (a future one has nothing to show)."""
        return period.start <= self.today

    # -- the summary -----------------------------------------------------------------------

    async def report(self, period: ReportingPeriod, site_id: str | None) -> Report:
        """Return the summary of ``period`` for a site (None: the province), with the same
        period last year; a period in progress is counted up to today."""
        await self._require_official(f"report:{period.key}")
        start, end, previous_start, previous_end = comparison_window(period, self.today)
        return Report(
            current=await self._summary(period, start, end, site_id),
            previous=await self._summary(period.same_period_last_year(), previous_start,
                                         previous_end, site_id),
        )

    async def _summary(self, period: ReportingPeriod, start: date, end: date,
                       site_id: str | None) -> Summary:
        conn = self._ctx.conn
        settings = self._ctx.settings
        # Deadlines are judged on the day after the window, or today for a window to today.
        as_of = end + ONE_DAY if end < self.today else self.today
        since, until = self._at(start), self._at(end + ONE_DAY)
        regular, leaders = reception_from(
            await store.visit_groups(conn, start, end, site_id),
            await store.reception_day_counts(conn, start, end, site_id),
            {leader.id: leader.title for leader in settings.leaders})
        petitions = petitions_from(
            await store.petition_groups(conn, since, until, as_of, site_id),
            await store.case_counts(conn, since, until, site_id),
            await store.outcome_counts(conn, since, until, site_id))
        carried = await store.carried_over(conn, since, until, as_of, site_id)
        months = [month for month in period.months() if month.start <= end]
        day_bounds = [max(month.start, start) for month in months] + [end + ONE_DAY]
        trend = trend_from(
            months,
            await store.petition_months(conn, [self._at(day) for day in day_bounds], site_id),
            await store.visit_months(conn, day_bounds, site_id))
        return Summary(period=period, start=start, end=end, site_id=site_id, regular=regular,
                       leaders=leaders, petitions=petitions,
                       processing=processing_from(petitions, carried), trend=trend)

    def summary_text(self, report: Report) -> str:
        """Return the summary as the officials' report reads, in the current language."""
        return report_texts.summary_text(report, self._ctx.settings)

    async def spreadsheet(self, report: Report, *, later: bool = False) -> OutFile:
        """Return the statistical tables as an .xlsx file (built off the event loop).

        ``later`` leaves the writing for after the turn's commit (``OutFile.later``).
        """
        await self._require_official(f"report.xlsx:{report.current.period.key}")
        await self._audit.record("report.export", report.current.period.key,
                                 site=report.current.site_id)
        settings = self._ctx.settings
        if later:
            return OutFile.later(partial(report_files.workbook, report, settings))
        return await asyncio.to_thread(report_files.workbook, report, settings)

    async def chart(self, report: Report, *, later: bool = False) -> OutFile:
        """Return the chart of petition types and the months' trend as a PNG.

        ``later`` leaves the drawing for after the turn's commit (``OutFile.later``).
        """
        settings = self._ctx.settings
        if later:
            return OutFile.later(partial(report_files.chart, report, settings), kind="photo")
        return await asyncio.to_thread(report_files.chart, report, settings)

    def chart_caption(self, report: Report) -> str:
        """Return the chart's caption in the current language."""
        return report_texts.chart_caption(report, self._ctx.settings)

    # -- subscriptions ---------------------------------------------------------------------

    def may_subscribe(self, role: Role) -> bool:
        """Tell whether a person with ``role`` may subscribe to digests in chat."""
        return role.value in self._ctx.settings.reports.subscriber_roles

    async def subscribers(self, kind: DigestKind) -> list[tuple[Subscriber, ChannelUser]]:
        """Return who gets a digest: the configuration's people and roles (less those who
        declined in chat), and those who subscribed in chat."""
        conn = self._ctx.conn
        settings = self._ctx.settings.reports
        stored = await store.stored_subscriptions(conn, kind=kind)
        declined = {(s.channel, s.user_id) for s in stored if not s.active}
        found: dict[tuple[str, str], tuple[Subscriber, ChannelUser]] = {}
        for configured in settings.subscriptions:
            if kind not in configured.kinds:
                continue
            if configured.who is not None:
                channel, _sep, user_id = configured.who.partition(":")
                person = await self._users.get(channel, user_id)
                people = [person] if person is not None and (
                    person.role.is_official or person.role is Role.POLICE) else []
            else:
                people = await user_store.users_with_roles(conn, (Role(configured.role or ""),))
            for person in people:
                key = (person.channel, person.user_id)
                if key in declined:
                    continue
                site = configured.site or await self.home_site(person)
                found[key] = (Subscriber(person.channel, person.user_id, kind, site,
                                         configured.when_empty, configured=True), person)
        for subscription in stored:
            if not subscription.active:
                continue
            person = await self._users.get(subscription.channel, subscription.user_id)
            if person is None or not self.may_subscribe(person.role):
                continue
            site = subscription.site_id or await self.home_site(person)
            found[(person.channel, person.user_id)] = (
                Subscriber(person.channel, person.user_id, kind, site, subscription.when_empty,
                           configured=False), person)
        return list(found.values())

    async def subscriptions_of(self, user: ChannelUser) -> dict[DigestKind, Subscriber | None]:
        """Return, for each digest, the person's subscription (None: not subscribed)."""
        result: dict[DigestKind, Subscriber | None] = {}
        for kind in DigestKind:
            mine = [s for s, person in await self.subscribers(kind)
                    if (person.channel, person.user_id) == (user.channel, user.user_id)]
            result[kind] = mine[0] if mine else None
        return result

    async def subscribe(self, user: ChannelUser, kind: DigestKind, active: bool) -> None:
        """Subscribe the person to a digest, or unsubscribe (declining a configured one)."""
        await self._require_subscriber(user, f"report.subscribe:{kind.value}")
        current = (await self.subscriptions_of(user))[kind]
        when_empty = current.when_empty if current else await self._when_empty_of(user)
        await store.save_subscription(self._ctx.conn, user.channel, user.user_id, kind,
                                      active=active, when_empty=when_empty,
                                      site_id=await self._own_site(user, current),
                                      now=self._ctx.now)
        await self._audit.record("report.subscribe" if active else "report.unsubscribe",
                                 kind.value)

    async def set_when_empty(self, user: ChannelUser, when_empty: WhenEmpty) -> None:
        """Choose what an empty digest does, for every digest the person gets (and later
        subscribes to)."""
        await self._require_subscriber(user, "report.when_empty")
        for kind, current in (await self.subscriptions_of(user)).items():
            stored = await store.stored_subscriptions(self._ctx.conn, kind=kind,
                                                      channel=user.channel,
                                                      user_id=user.user_id)
            if current is None and not stored:
                continue
            await store.save_subscription(
                self._ctx.conn, user.channel, user.user_id, kind, active=current is not None,
                when_empty=when_empty, site_id=await self._own_site(user, current),
                now=self._ctx.now)
        await self._audit.record("report.when_empty", when_empty.value)

    async def _require_subscriber(self, user: ChannelUser, what: str) -> None:
        if not self.may_subscribe(user.role):
            await self._audit.record("access.denied", what, role=user.role.value)
            raise PermissionError("this role may not subscribe to reports")

    async def _own_site(self, user: ChannelUser, current: Subscriber | None) -> str | None:
        """Return the site to keep with a subscription: one chosen apart from the person's
        own site (None: follow the person's site)."""
        if current is None or current.site_id == await self.home_site(user):
            return None
        return current.site_id

    async def _when_empty_of(self, user: ChannelUser) -> WhenEmpty:
        for subscription in await store.stored_subscriptions(self._ctx.conn,
                                                             channel=user.channel,
                                                             user_id=user.user_id):
            return subscription.when_empty
        return WhenEmpty.SAY_ONCE

    # -- digests ---------------------------------------------------------------------------

    async def send_digests(self) -> int:
        """Queue the digests due now to their subscribers; return how many were queued.

        The morning brief goes on working days from ``morning_brief_at``, the weekly digest
        on its day from ``weekly_digest_at``, the reports of a month or longer period on the
        day after its cut-off from ``period_reports_at`` (or a few days later, if the bot was
        down). Each (digest, person) is recorded once and never sent again.
        """
        settings = self._ctx.settings
        reports = settings.reports
        local = self._ctx.now.astimezone(settings.tz)
        today, now = local.date(), local.time()
        queued = 0
        if now >= reports.morning_brief_at and settings.calendar.is_working_day(today):
            queued += await self._deliver(DigestKind.MORNING, today.isoformat(),
                                          lambda site: self._morning_digest(today, site))
        if today.weekday() == reports.weekly_digest_day and now >= reports.weekly_digest_at:
            year, week, _weekday = today.isocalendar()
            queued += await self._deliver(DigestKind.WEEKLY, f"{year}-W{week:02d}",
                                          lambda site: self._weekly_digest(today, site))
        if now >= reports.period_reports_at:
            for period in closed_periods(today, settings.periods):
                kind = DigestKind.MONTHLY if period.kind is PeriodKind.MONTH else \
                    DigestKind.PERIOD
                queued += await self._deliver(kind, period.key, self._period_maker(period))
        return queued

    async def _deliver(self, kind: DigestKind, key: str,
                       make: Callable[[str | None], Awaitable[Digest]]) -> int:
        conn = self._ctx.conn
        made: dict[str | None, Digest] = {}
        queued = 0
        for subscriber, person in await self.subscribers(kind):
            if await store.delivered(conn, kind.value, key, person.channel, person.user_id):
                continue
            digest = made.get(subscriber.site_id)
            if digest is None:
                digest = made[subscriber.site_id] = await make(subscriber.site_id)
            status, build = "sent", digest.build
            if digest.empty:
                last = await store.last_delivery(conn, kind.value, person.channel,
                                                 person.user_id)
                quiet = last is not None and last.status in ("empty_said", "skipped_empty")
                if subscriber.when_empty is WhenEmpty.SKIP or quiet:
                    await store.record_delivery(
                        conn, kind=kind.value, period_key=key, channel=person.channel,
                        user_id=person.user_id, site_id=subscriber.site_id,
                        status="skipped_empty", outbox_id=None, now=self._ctx.now)
                    continue
                status = "empty_said"

                def build(kind: DigestKind = kind) -> Reply:
                    return Reply(text=report_texts.nothing_new_text(
                        report_texts.digest_name(kind.value)))

            outbox_id = await self._outbox.send_to(
                person, f"report.digest.{kind.value}", build,
                dedupe_key=f"digest:{kind.value}:{key}:{person.channel}:{person.user_id}")
            await store.record_delivery(
                conn, kind=kind.value, period_key=key, channel=person.channel,
                user_id=person.user_id, site_id=subscriber.site_id, status=status,
                outbox_id=outbox_id, now=self._ctx.now)
            queued += 1
        return queued

    async def morning_brief(self, day: date, site_id: str | None) -> MorningBrief:
        """Return the day's brief: due and overdue petitions, what is new, the day's queue."""
        conn = self._ctx.conn
        settings = self._ctx.settings
        listed = settings.reports.listed
        overdue_count, overdue = await store.open_due(conn, None, day - ONE_DAY, site_id,
                                                      listed)
        due_count, due = await store.open_due(conn, day, day, site_id, listed)
        previous = settings.calendar.previous_working_day(day, include_today=False)
        brief_at = settings.reports.morning_brief_at
        new = await store.received_by_kind(conn, self._at(previous, brief_at),
                                           self._at(day, brief_at), site_id)
        day_start, day_end = self._at(day), self._at(day + ONE_DAY)
        min_people = settings.rules.value("group.min_people", day)
        return MorningBrief(
            day=day, due_today=tuple(due), due_today_count=due_count, overdue=tuple(overdue),
            overdue_count=overdue_count, new_petitions=new,
            queue=await store.queue_between(conn, day_start, day_end, site_id),
            delegations=tuple(await store.delegations_between(
                conn, day_start, day_end, site_id, min_people, listed)),
            leader_days=tuple(leader for _day, leader in await store.leader_days_between(
                conn, day, day, site_id)))

    async def weekly_digest(self, day: date, site_id: str | None) -> WeeklyDigest:
        """Return the digest of the seven days before ``day`` and of the week ahead."""
        conn = self._ctx.conn
        settings = self._ctx.settings
        listed = settings.reports.listed
        start, end = day - timedelta(days=7), day - ONE_DAY
        overdue_count, overdue = await store.open_due(conn, None, end, site_id, listed)
        due_count, _due = await store.open_due(conn, day, day + timedelta(days=6), site_id, 0)
        visits, people = await store.visits_between(conn, start, end, site_id)
        min_people = settings.rules.value("group.min_people", day)
        return WeeklyDigest(
            start=start, end=end, due_next_week=due_count, overdue_count=overdue_count,
            overdue=tuple(overdue),
            new_petitions=await store.received_by_kind(conn, self._at(start), self._at(day),
                                                       site_id),
            resolved=await store.closed_between(conn, self._at(start), self._at(day), site_id),
            visits=visits, visit_people=people,
            delegations_ahead=tuple(await store.delegations_between(
                conn, self._at(day), self._at(day + timedelta(days=7)), site_id, min_people,
                listed)),
            leader_days_ahead=tuple(await store.leader_days_between(
                conn, day, day + timedelta(days=6), site_id)))

    async def _morning_digest(self, day: date, site_id: str | None) -> Digest:
        brief = await self.morning_brief(day, site_id)
        settings = self._ctx.settings
        return Digest(brief.is_empty, lambda: Reply(
            text=report_texts.morning_text(brief, settings, site_id)))

    async def _weekly_digest(self, day: date, site_id: str | None) -> Digest:
        digest = await self.weekly_digest(day, site_id)
        settings = self._ctx.settings
        return Digest(digest.is_empty, lambda: Reply(
            text=report_texts.weekly_text(digest, settings, site_id)))

    def _period_maker(self, period: ReportingPeriod,
                      ) -> Callable[[str | None], Awaitable[Digest]]:
        async def make(site_id: str | None) -> Digest:
            return await self._period_digest(period, site_id)

        return make

    async def _period_digest(self, period: ReportingPeriod, site_id: str | None) -> Digest:
        report = await self.report(period, site_id)
        arg = scope_arg(period, site_id, self.site_ids)

        def build() -> Reply:
            text = "\n".join([report_texts.period_report_heading(period),
                              self.summary_text(report)])
            return Reply(text=text, buttons=(
                Button(report_texts.open_report_label(), action_data(ACTION_OPEN, arg)),
                Button(report_texts.excel_label(), action_data(ACTION_EXCEL, arg))))

        return Digest(report.current.is_empty, build)

    # -- deadline alerts -------------------------------------------------------------------

    async def send_deadline_alerts(self) -> int:
        """Alert about open petitions due soon, due today or overdue; return how many.

        The assigned staff member hears first; their head hears of an overdue petition, and
        of any petition no one is assigned to. Each stage of each deadline alerts once; each
        person gets one message per run, however many petitions it names. Alerts wait for a
        working day's ``alerts_from``.
        """
        settings = self._ctx.settings
        local = self._ctx.now.astimezone(settings.tz)
        today = local.date()
        if local.time() < settings.reports.alerts_from or \
                not settings.calendar.is_working_day(today):
            return 0
        soon = settings.calendar.add_working_days(
            today, settings.reports.deadline_alert_working_days)
        alerts = await store.deadlines_to_alert(self._ctx.conn, today, soon, DEADLINE_BATCH)
        plan: dict[tuple[str, str], tuple[ChannelUser, list[report_texts.AlertItem]]] = {}
        people: dict[tuple[str, str], ChannelUser | None] = {}
        heads: dict[str | None, list[ChannelUser]] = {}
        for alert in alerts:
            for person, item in await self._recipients(alert, people, heads):
                plan.setdefault((person.channel, person.user_id), (person, []))[1].append(item)
        await store.record_deadline_alerts(self._ctx.conn, alerts, self._ctx.now)
        listed = settings.reports.listed
        for person, items in plan.values():
            def build(items: list[report_texts.AlertItem] = items) -> Reply:
                return Reply(text=report_texts.deadline_alerts_text(items, listed))

            first = items[0].alert
            await self._outbox.send_to(
                person, KIND_DEADLINE_ALERT, build,
                dedupe_key=f"deadline:{today.isoformat()}:{first.petition_id}:"
                           f"{first.stage.value}:{len(items)}:{person.channel}:{person.user_id}")
        return len(alerts)

    async def _recipients(self, alert: DeadlineAlert,
                          people: dict[tuple[str, str], ChannelUser | None],
                          heads: dict[str | None, list[ChannelUser]],
                          ) -> list[tuple[ChannelUser, report_texts.AlertItem]]:
        """Return who hears of one alert, and how; ``people`` and ``heads`` are this run's
        look-ups, kept so that each person and site is read once."""
        assignee = None
        if alert.assigned_channel and alert.assigned_user_id:
            key = (alert.assigned_channel, alert.assigned_user_id)
            if key not in people:
                people[key] = await self._users.get(*key)
            person = people[key]
            if person is not None and person.role.is_official:
                assignee = person
        name = None
        found: list[tuple[ChannelUser, report_texts.AlertItem]] = []
        if assignee is not None:
            name = assignee.display_name or f"{assignee.channel}:{assignee.user_id}"
            found.append((assignee, report_texts.AlertItem(alert, to_head=False,
                                                           assignee=name)))
        if assignee is None or alert.stage is DeadlineStage.OVERDUE:
            if alert.site_id not in heads:
                heads[alert.site_id] = await self.heads(alert.site_id)
            for head in heads[alert.site_id]:
                if assignee is not None and (head.channel, head.user_id) == (
                        assignee.channel, assignee.user_id):
                    continue
                found.append((head, report_texts.AlertItem(alert, to_head=True,
                                                            assignee=name)))
        return found

    async def heads(self, site_id: str | None) -> list[ChannelUser]:
        """Return who hears of overdue and unassigned petitions of a site."""
        configured = self._ctx.settings.reports.heads
        if configured:
            found = []
            for key in configured:
                channel, _sep, user_id = key.partition(":")
                person = await self._users.get(channel, user_id)
                if person is not None and person.role.is_official:
                    found.append(person)
            return found
        return [member.user for member in await self._staff.members()
                if member.user.role in (Role.LEADER, Role.ADMIN)
                and (member.site is None or site_id is None or member.site == site_id)]
