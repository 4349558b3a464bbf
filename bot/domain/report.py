"""The officials' summary (domain.md §3): figures from the records, the comparison with the
same period last year, and the layouts of the statistical tables (§3.2).

Every figure is counted from stored rows, never typed in:

* reception (the register's ``visits``, refused receptions left out): visits (lượt),
  people, cases (vụ việc) seen for the first time or again, mass delegations (đoàn đông
  người); regular reception and each leader's reception apart, with the leader's days held
  and planned (``reception_days``: a day is planned unless it was postponed, its new date
  counting instead; it is held when marked so or when a reception was recorded on it);
* petitions received in the window (``petitions.received_at``): by type, eligible, within
  competence and under the provincial Chairman's jurisdiction, not within competence by
  what was done (the events: guided, forwarded, chased, feedback received), anonymous,
  signed by several people, skipping a level;
* processing of the petitions to handle (received, plus those carried over open from
  before): resolved in the window (a final status reached), still open at its end, and of
  those overdue.

A case (vụ việc) is the register's case, or the visit or petition itself when it has none
(a merged petition counts with the one it joined). Numbers of cases are counted per type and
added up across types, since a case normally has one type.

Text is not made here: the services word it through the catalogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum

from bot.domain.periods import ReportingPeriod
from bot.domain.petitions import PetitionType, Status, allowed_moves


class Direction(StrEnum):
    """Which way a figure moved against the same period last year."""

    UP = "up"
    DOWN = "down"
    SAME = "same"


class Unit(StrEnum):
    """What a figure counts, so that a change can be worded ("giảm 57 đơn")."""

    PETITION = "petition"  # đơn
    VISIT = "visit"  # lượt
    PERSON = "person"  # người
    CASE = "case"  # vụ việc
    DELEGATION = "delegation"  # đoàn
    DAY = "day"  # kỳ tiếp (a leader's reception day)


@dataclass(frozen=True)
class Change:
    """A figure now and in the same period last year."""

    current: int
    previous: int

    @property
    def delta(self) -> int:
        """Return now minus then."""
        return self.current - self.previous

    @property
    def direction(self) -> Direction:
        """Return whether the figure rose, fell or stayed."""
        if self.delta > 0:
            return Direction.UP
        if self.delta < 0:
            return Direction.DOWN
        return Direction.SAME

    @property
    def percent(self) -> float | None:
        """Return the change in percent of last year's figure (None when that was zero)."""
        if self.previous == 0:
            return None
        return round(100.0 * self.delta / self.previous, 1)


# -- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceptionFigures:
    """Receptions of one kind (regular, or one leader's) in a window."""

    visits: int = 0  # lượt
    people: int = 0
    cases_first: int = 0  # vụ việc lần đầu
    cases_repeat: int = 0  # vụ việc nhiều lần
    delegations: int = 0  # đoàn đông người
    delegation_people: int = 0
    delegation_cases_first: int = 0
    delegation_cases_repeat: int = 0

    @property
    def cases(self) -> int:
        """Return the cases seen, first time or again."""
        return self.cases_first + self.cases_repeat

    @property
    def delegation_cases(self) -> int:
        """Return the cases the mass delegations brought."""
        return self.delegation_cases_first + self.delegation_cases_repeat

    def __add__(self, other: ReceptionFigures) -> ReceptionFigures:
        return ReceptionFigures(*(getattr(self, f.name) + getattr(other, f.name)
                                  for f in fields(self)))


@dataclass(frozen=True)
class LeaderReception:
    """One leader's reception: days held of those planned, and whom they received."""

    leader_id: str
    title: str
    days_planned: int
    days_held: int
    figures: ReceptionFigures


@dataclass(frozen=True)
class KindFigures:
    """Petitions received in the window (of one type, or all of them)."""

    petitions: int = 0
    cases: int = 0
    eligible: int = 0  # đủ điều kiện xử lý
    eligible_cases: int = 0
    ineligible: int = 0
    ours: int = 0  # thuộc thẩm quyền
    ours_cases: int = 0
    chairman: int = 0  # thuộc thẩm quyền Chủ tịch UBND tỉnh
    not_ours: int = 0  # không thuộc thẩm quyền
    not_ours_cases: int = 0
    guided: int = 0  # hướng dẫn
    forwarded: int = 0  # chuyển đơn
    chased: int = 0  # đôn đốc
    feedback: int = 0  # văn bản phúc đáp nhận được
    anonymous: int = 0
    several_signatories: int = 0  # đơn nhiều người đứng tên
    skips_level: int = 0  # vượt cấp
    stage_none: int = 0  # of the eligible: chưa được giải quyết
    stage_first: int = 0  # đã giải quyết lần đầu
    stage_repeat: int = 0  # đã giải quyết nhiều lần
    stage_court: int = 0  # đã có bản án
    handled: int = 0  # classified by the end of the window (đã xử lý)
    resolved: int = 0  # a final status reached within the window
    open_at_end: int = 0
    overdue_at_end: int = 0

    def __add__(self, other: KindFigures) -> KindFigures:
        return KindFigures(*(getattr(self, f.name) + getattr(other, f.name)
                             for f in fields(self)))


KINDS = (PetitionType.COMPLAINT, PetitionType.DENUNCIATION, PetitionType.RECOMMENDATION,
         PetitionType.REPORT)


def _total(items: Iterable[KindFigures]) -> KindFigures:
    total = KindFigures()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class PetitionFigures:
    """Petitions received in the window, by type; and those received at reception."""

    by_kind: Mapping[PetitionType, KindFigures]
    at_reception: Mapping[PetitionType, KindFigures]  # đơn qua tiếp công dân

    def kind(self, kind: PetitionType) -> KindFigures:
        """Return the figures of one type."""
        return self.by_kind.get(kind, KindFigures())

    def reception_kind(self, kind: PetitionType) -> KindFigures:
        """Return the figures of one type among petitions received at reception."""
        return self.at_reception.get(kind, KindFigures())

    @property
    def total(self) -> KindFigures:
        """Return the figures of all types together."""
        return _total(self.kind(k) for k in KINDS)

    @property
    def recommendations_and_reports(self) -> KindFigures:
        """Return kiến nghị and phản ánh together, as the forms count them."""
        return self.kind(PetitionType.RECOMMENDATION) + self.kind(PetitionType.REPORT)

    @property
    def reception_total(self) -> KindFigures:
        """Return the figures of all petitions received at reception."""
        return _total(self.reception_kind(k) for k in KINDS)

    @property
    def reception_recommendations_and_reports(self) -> KindFigures:
        """Return kiến nghị and phản ánh received at reception, together."""
        return (self.reception_kind(PetitionType.RECOMMENDATION)
                + self.reception_kind(PetitionType.REPORT))


@dataclass(frozen=True)
class ProcessingFigures:
    """What became of the petitions to handle in the window."""

    carried_over: int  # kỳ trước chuyển sang: received before, still open at the start
    received: int
    handled: int
    resolved: int
    in_progress: int  # still open at the end of the window
    overdue: int  # of those, past their deadline
    skips_level: int

    @property
    def to_handle(self) -> int:
        """Return the petitions to handle: carried over plus received."""
        return self.carried_over + self.received


@dataclass(frozen=True)
class MonthPoint:
    """One reporting month of the trend: petitions by type and visits."""

    month: ReportingPeriod
    petitions: Mapping[PetitionType, int]
    visits: int

    @property
    def petitions_total(self) -> int:
        """Return all petitions received in the month."""
        return sum(self.petitions.values())


@dataclass(frozen=True)
class Summary:
    """The figures of one window (a period, or its part up to today) and one scope."""

    period: ReportingPeriod
    start: date
    end: date  # the last day counted: the period's end, or today for one in progress
    site_id: str | None  # None: the whole province
    regular: ReceptionFigures
    leaders: tuple[LeaderReception, ...]
    petitions: PetitionFigures
    processing: ProcessingFigures
    trend: tuple[MonthPoint, ...]

    @property
    def complete(self) -> bool:
        """Tell whether the whole period is counted (it has ended)."""
        return self.end >= self.period.end

    @property
    def leaders_figures(self) -> ReceptionFigures:
        """Return all leaders' receptions together."""
        total = ReceptionFigures()
        for leader in self.leaders:
            total = total + leader.figures
        return total

    @property
    def leader_days_held(self) -> int:
        """Return the reception days all leaders held."""
        return sum(leader.days_held for leader in self.leaders)

    @property
    def leader_days_planned(self) -> int:
        """Return the reception days all leaders planned."""
        return sum(leader.days_planned for leader in self.leaders)

    @property
    def reception(self) -> ReceptionFigures:
        """Return every reception, regular and by leaders."""
        return self.regular + self.leaders_figures

    def leader(self, leader_id: str) -> LeaderReception | None:
        """Return one leader's reception, if the summary has it."""
        for leader in self.leaders:
            if leader.leader_id == leader_id:
                return leader
        return None

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing at all was recorded in the window."""
        return (self.reception.visits == 0 and self.petitions.total.petitions == 0
                and self.processing.to_handle == 0 and self.leader_days_planned == 0)


@dataclass(frozen=True)
class Report:
    """A summary and the same one for the same period last year (same span, same cut)."""

    current: Summary
    previous: Summary

    def change(self, figure: Callable[[Summary], int]) -> Change:
        """Return how ``figure`` moved against the same period last year."""
        return Change(figure(self.current), figure(self.previous))

    def leader_change(self, leader_id: str,
                      figure: Callable[[LeaderReception], int]) -> Change:
        """Return how one leader's ``figure`` moved (zero last year if they were not there)."""
        now = self.current.leader(leader_id)
        then = self.previous.leader(leader_id)
        return Change(figure(now) if now else 0, figure(then) if then else 0)


# -- what storage returns ---------------------------------------------------------------------


@dataclass(frozen=True)
class VisitGroup:
    """Receptions of one mode, leader and delegation flag, counted by storage."""

    mode: str  # "regular" or "leader"
    leader_id: str | None
    mass_delegation: bool
    visits: int
    people: int
    cases_first: int
    cases_repeat: int


@dataclass(frozen=True)
class ReceptionDayCount:
    """A leader's reception days in a window: planned and held."""

    leader_id: str
    planned: int
    held: int


@dataclass(frozen=True)
class PetitionGroup:
    """Petitions of one type received in a window, counted by storage: every figure, and
    those received at reception. Cases count here only the petitions that are a case of
    their own (``CaseCount`` adds the shared ones)."""

    kind: PetitionType
    figures: KindFigures
    at_reception: KindFigures


@dataclass(frozen=True)
class CaseCount:
    """The cases (case_id) petitions of one type share, counted by storage."""

    kind: PetitionType
    at_reception: bool
    cases: int
    eligible_cases: int
    ours_cases: int
    not_ours_cases: int


class Outcome(StrEnum):
    """What was done with a petition not within competence (from its events)."""

    GUIDED = "guided"
    FORWARDED = "forwarded"
    CHASED = "chased"
    FEEDBACK = "feedback_received"


def statuses_after(outcomes: Iterable[Outcome]) -> frozenset[Status]:
    """Return every status a petition can be in once it had one of ``outcomes``: where
    petitions with those events are found (a narrower place to look than all of them)."""
    found: set[Status] = set()
    waiting = [Status(outcome.value) for outcome in outcomes]
    while waiting:
        status = waiting.pop()
        if status not in found:
            found.add(status)
            waiting.extend(allowed_moves(status))
    return frozenset(found)


@dataclass(frozen=True)
class OutcomeCount:
    """How many petitions of one type had one outcome."""

    kind: PetitionType
    at_reception: bool
    outcome: Outcome
    petitions: int


@dataclass(frozen=True)
class CarriedOver:
    """Petitions received before the window and still open at its start."""

    petitions: int = 0
    resolved: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0


@dataclass(frozen=True)
class MonthCount:
    """How many petitions of a type (receptions: no type) fell in one month of the trend."""

    month: int  # the month's index in the window
    count: int
    kind: PetitionType | None = None


# -- putting the figures together -------------------------------------------------------------


def reception_from(groups: Sequence[VisitGroup], days: Sequence[ReceptionDayCount],
                   titles: Mapping[str, str]) -> tuple[ReceptionFigures,
                                                       tuple[LeaderReception, ...]]:
    """Return regular reception and each leader's, in the order of ``titles`` (configured).

    A leader no longer configured still shows, under the id, when records name them.
    """
    regular = ReceptionFigures()
    by_leader: dict[str, ReceptionFigures] = {}
    for group in groups:
        figures = _reception(group)
        if group.mode == "leader":
            key = group.leader_id or ""
            by_leader[key] = by_leader.get(key, ReceptionFigures()) + figures
        else:
            regular = regular + figures
    day_counts = {d.leader_id: d for d in days}
    order = list(titles)
    order.extend(sorted((set(by_leader) | set(day_counts)) - set(titles)))
    leaders = []
    for leader_id in order:
        count = day_counts.get(leader_id)
        leaders.append(LeaderReception(
            leader_id=leader_id, title=titles.get(leader_id, leader_id),
            days_planned=count.planned if count else 0, days_held=count.held if count else 0,
            figures=by_leader.get(leader_id, ReceptionFigures())))
    return regular, tuple(leaders)


def _reception(group: VisitGroup) -> ReceptionFigures:
    figures = ReceptionFigures(visits=group.visits, people=group.people,
                               cases_first=group.cases_first, cases_repeat=group.cases_repeat)
    if group.mass_delegation:
        figures = replace(figures, delegations=group.visits, delegation_people=group.people,
                          delegation_cases_first=group.cases_first,
                          delegation_cases_repeat=group.cases_repeat)
    return figures


_OUTCOME_FIELD = {Outcome.GUIDED: "guided", Outcome.FORWARDED: "forwarded",
                  Outcome.CHASED: "chased", Outcome.FEEDBACK: "feedback"}


def petitions_from(groups: Sequence[PetitionGroup], cases: Sequence[CaseCount],
                   outcomes: Sequence[OutcomeCount]) -> PetitionFigures:
    """Return the petition figures by type, all of them and those received at reception."""
    every: dict[PetitionType, KindFigures] = {g.kind: g.figures for g in groups}
    reception: dict[PetitionType, KindFigures] = {g.kind: g.at_reception for g in groups}

    def add(kind: PetitionType, at_reception: bool, figures: KindFigures) -> None:
        for target in ([every, reception] if at_reception else [every]):
            target[kind] = target.get(kind, KindFigures()) + figures

    for count in cases:
        add(count.kind, count.at_reception, KindFigures(
            cases=count.cases, eligible_cases=count.eligible_cases,
            ours_cases=count.ours_cases, not_ours_cases=count.not_ours_cases))
    for outcome in outcomes:
        name = _OUTCOME_FIELD[outcome.outcome]
        add(outcome.kind, outcome.at_reception, replace(KindFigures(),
                                                        **{name: outcome.petitions}))
    return PetitionFigures(by_kind=every, at_reception=reception)


def processing_from(petitions: PetitionFigures, carried: CarriedOver) -> ProcessingFigures:
    """Return what became of the petitions to handle: received, plus carried over."""
    total = petitions.total
    return ProcessingFigures(
        carried_over=carried.petitions, received=total.petitions,
        handled=total.handled, resolved=total.resolved + carried.resolved,
        in_progress=total.open_at_end + carried.open_at_end,
        overdue=total.overdue_at_end + carried.overdue_at_end,
        skips_level=total.skips_level)


def trend_from(months: Sequence[ReportingPeriod], petitions: Sequence[MonthCount],
               visits: Sequence[MonthCount]) -> tuple[MonthPoint, ...]:
    """Return the month-by-month trend from the months' counts (a month's index)."""
    by_month: list[dict[PetitionType, int]] = [{} for _ in months]
    seen = [0 for _ in months]
    for count in petitions:
        if 0 <= count.month < len(months) and count.kind is not None:
            counts = by_month[count.month]
            counts[count.kind] = counts.get(count.kind, 0) + count.count
    for count in visits:
        if 0 <= count.month < len(months):
            seen[count.month] += count.count
    return tuple(MonthPoint(month, by_month[i], seen[i]) for i, month in enumerate(months))


def comparison_window(period: ReportingPeriod, today: date) -> tuple[date, date, date, date]:
    """Return the window counted now and the one it is compared with, a year earlier.

    A period in progress is counted up to today and compared with as many days of the same
    period last year, so that part of a period is never set against a whole one.
    """
    last_year = period.same_period_last_year()
    if today >= period.end:
        return period.start, period.end, last_year.start, last_year.end
    elapsed = today - period.start
    return period.start, today, last_year.start, min(last_year.end, last_year.start + elapsed)


# -- the statistical tables (domain.md §3.2) ----------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One numbered column of a form: its number, its heading's key and its value."""

    number: int
    key: str  # the heading is worded by the services under this key
    value: Callable[[Report], int]


def _now(figure: Callable[[Summary], int]) -> Callable[[Report], int]:
    return lambda report: figure(report.current)


def _zero(_report: Report) -> int:
    return 0


# Mẫu 01/TCD, Tổng hợp kết quả tiếp công dân. Columns 21–29 (delegated reception) stay zero:
# the register records no delegated reception, which the law abolishes from 01/07/2026.
TCD_COLUMNS: tuple[Column, ...] = (
    Column(1, "tcd.total_visits", _now(lambda s: s.reception.visits)),
    Column(2, "tcd.total_people", _now(lambda s: s.reception.people)),
    Column(3, "tcd.total_cases", _now(lambda s: s.reception.cases)),
    Column(4, "tcd.regular_visits", _now(lambda s: s.regular.visits)),
    Column(5, "tcd.regular_people", _now(lambda s: s.regular.people)),
    Column(6, "tcd.regular_cases_first", _now(lambda s: s.regular.cases_first)),
    Column(7, "tcd.regular_cases_repeat", _now(lambda s: s.regular.cases_repeat)),
    Column(8, "tcd.regular_delegations", _now(lambda s: s.regular.delegations)),
    Column(9, "tcd.regular_delegation_people", _now(lambda s: s.regular.delegation_people)),
    Column(10, "tcd.regular_delegation_first",
           _now(lambda s: s.regular.delegation_cases_first)),
    Column(11, "tcd.regular_delegation_repeat",
           _now(lambda s: s.regular.delegation_cases_repeat)),
    Column(12, "tcd.head_days", _now(lambda s: s.leader_days_held)),
    Column(13, "tcd.head_visits", _now(lambda s: s.leaders_figures.visits)),
    Column(14, "tcd.head_people", _now(lambda s: s.leaders_figures.people)),
    Column(15, "tcd.head_cases_first", _now(lambda s: s.leaders_figures.cases_first)),
    Column(16, "tcd.head_cases_repeat", _now(lambda s: s.leaders_figures.cases_repeat)),
    Column(17, "tcd.head_delegations", _now(lambda s: s.leaders_figures.delegations)),
    Column(18, "tcd.head_delegation_people",
           _now(lambda s: s.leaders_figures.delegation_people)),
    Column(19, "tcd.head_delegation_first",
           _now(lambda s: s.leaders_figures.delegation_cases_first)),
    Column(20, "tcd.head_delegation_repeat",
           _now(lambda s: s.leaders_figures.delegation_cases_repeat)),
    Column(21, "tcd.delegated_days", _zero),
    Column(22, "tcd.delegated_visits", _zero),
    Column(23, "tcd.delegated_people", _zero),
    Column(24, "tcd.delegated_cases_first", _zero),
    Column(25, "tcd.delegated_cases_repeat", _zero),
    Column(26, "tcd.delegated_delegations", _zero),
    Column(27, "tcd.delegated_delegation_people", _zero),
    Column(28, "tcd.delegated_delegation_first", _zero),
    Column(29, "tcd.delegated_delegation_repeat", _zero),
)

_C, _D = PetitionType.COMPLAINT, PetitionType.DENUNCIATION

# Phân loại xử lý đơn qua tiếp công dân: petitions received at reception (source = visit).
CLASSIFICATION_COLUMNS: tuple[Column, ...] = (
    Column(1, "pl.petitions", _now(lambda s: s.petitions.reception_total.petitions)),
    Column(2, "pl.cases", _now(lambda s: s.petitions.reception_total.cases)),
    Column(3, "pl.complaints", _now(lambda s: s.petitions.reception_kind(_C).petitions)),
    Column(4, "pl.complaint_cases", _now(lambda s: s.petitions.reception_kind(_C).cases)),
    Column(5, "pl.denunciations", _now(lambda s: s.petitions.reception_kind(_D).petitions)),
    Column(6, "pl.denunciation_cases", _now(lambda s: s.petitions.reception_kind(_D).cases)),
    Column(7, "pl.recommendations",
           _now(lambda s: s.petitions.reception_recommendations_and_reports.petitions)),
    Column(8, "pl.recommendation_cases",
           _now(lambda s: s.petitions.reception_recommendations_and_reports.cases)),
    Column(9, "pl.ours", _now(lambda s: s.petitions.reception_total.ours)),
    Column(10, "pl.ours_cases", _now(lambda s: s.petitions.reception_total.ours_cases)),
    Column(11, "pl.not_ours", _now(lambda s: s.petitions.reception_total.not_ours)),
    Column(12, "pl.not_ours_cases", _now(lambda s: s.petitions.reception_total.not_ours_cases)),
    Column(13, "pl.guided", _now(lambda s: s.petitions.reception_total.guided)),
    Column(14, "pl.forwarded", _now(lambda s: s.petitions.reception_total.forwarded)),
    Column(15, "pl.chased", _now(lambda s: s.petitions.reception_total.chased)),
    Column(16, "pl.feedback", _now(lambda s: s.petitions.reception_total.feedback)),
)

# Mẫu 01/XLD, Tổng hợp kết quả xử lý đơn. Columns 4–22 describe the petitions received in
# the period; the petitions carried over appear in columns 1 and 2.
XLD_COLUMNS: tuple[Column, ...] = (
    Column(1, "xld.to_handle", _now(lambda s: s.processing.to_handle)),
    Column(2, "xld.carried_over", _now(lambda s: s.processing.carried_over)),
    Column(3, "xld.received", _now(lambda s: s.processing.received)),
    Column(4, "xld.handled", _now(lambda s: s.processing.handled)),
    Column(5, "xld.ineligible", _now(lambda s: s.petitions.total.ineligible)),
    Column(6, "xld.eligible", _now(lambda s: s.petitions.total.eligible)),
    Column(7, "xld.eligible_cases", _now(lambda s: s.petitions.total.eligible_cases)),
    Column(8, "xld.eligible_complaints", _now(lambda s: s.petitions.kind(_C).eligible)),
    Column(9, "xld.eligible_denunciations", _now(lambda s: s.petitions.kind(_D).eligible)),
    Column(10, "xld.eligible_recommendations",
           _now(lambda s: s.petitions.recommendations_and_reports.eligible)),
    Column(11, "xld.stage_first", _now(lambda s: s.petitions.total.stage_first)),
    Column(12, "xld.stage_repeat", _now(lambda s: s.petitions.total.stage_repeat)),
    Column(13, "xld.stage_none", _now(lambda s: s.petitions.total.stage_none)),
    Column(14, "xld.stage_court", _now(lambda s: s.petitions.total.stage_court)),
    Column(15, "xld.ours_complaints", _now(lambda s: s.petitions.kind(_C).ours)),
    Column(16, "xld.ours_denunciations", _now(lambda s: s.petitions.kind(_D).ours)),
    Column(17, "xld.ours_recommendations",
           _now(lambda s: s.petitions.recommendations_and_reports.ours)),
    Column(18, "xld.not_ours", _now(lambda s: s.petitions.total.not_ours)),
    Column(19, "xld.guided", _now(lambda s: s.petitions.total.guided)),
    Column(20, "xld.forwarded", _now(lambda s: s.petitions.total.forwarded)),
    Column(21, "xld.chased", _now(lambda s: s.petitions.total.chased)),
    Column(22, "xld.feedback", _now(lambda s: s.petitions.total.feedback)),
)


@dataclass(frozen=True)
class Figure:
    """A figure of the summary sheet: its key, its unit and how to read it."""

    key: str
    unit: Unit
    value: Callable[[Summary], int]


_R = PetitionType.RECOMMENDATION
_P = PetitionType.REPORT

# The summary sheet, in the order a report reads: reception, petitions, processing.
SUMMARY_FIGURES: tuple[Figure, ...] = (
    Figure("regular.visits", Unit.VISIT, lambda s: s.regular.visits),
    Figure("regular.people", Unit.PERSON, lambda s: s.regular.people),
    Figure("regular.cases_first", Unit.CASE, lambda s: s.regular.cases_first),
    Figure("regular.cases_repeat", Unit.CASE, lambda s: s.regular.cases_repeat),
    Figure("regular.delegations", Unit.DELEGATION, lambda s: s.regular.delegations),
    Figure("regular.delegation_people", Unit.PERSON, lambda s: s.regular.delegation_people),
    Figure("regular.delegation_cases", Unit.CASE, lambda s: s.regular.delegation_cases),
    Figure("petitions.total", Unit.PETITION, lambda s: s.petitions.total.petitions),
    Figure("petitions.complaints", Unit.PETITION, lambda s: s.petitions.kind(_C).petitions),
    Figure("petitions.denunciations", Unit.PETITION, lambda s: s.petitions.kind(_D).petitions),
    Figure("petitions.recommendations_reports", Unit.PETITION,
           lambda s: s.petitions.recommendations_and_reports.petitions),
    Figure("petitions.recommendations", Unit.PETITION, lambda s: s.petitions.kind(_R).petitions),
    Figure("petitions.reports", Unit.PETITION, lambda s: s.petitions.kind(_P).petitions),
    Figure("petitions.eligible", Unit.PETITION, lambda s: s.petitions.total.eligible),
    Figure("petitions.ours", Unit.PETITION, lambda s: s.petitions.total.ours),
    Figure("petitions.chairman", Unit.PETITION, lambda s: s.petitions.total.chairman),
    Figure("petitions.chairman_complaints", Unit.PETITION,
           lambda s: s.petitions.kind(_C).chairman),
    Figure("petitions.chairman_denunciations", Unit.PETITION,
           lambda s: s.petitions.kind(_D).chairman),
    Figure("petitions.chairman_recommendations", Unit.PETITION,
           lambda s: s.petitions.recommendations_and_reports.chairman),
    Figure("petitions.not_ours", Unit.PETITION, lambda s: s.petitions.total.not_ours),
    Figure("petitions.guided", Unit.PETITION, lambda s: s.petitions.total.guided),
    Figure("petitions.forwarded", Unit.PETITION, lambda s: s.petitions.total.forwarded),
    Figure("petitions.chased", Unit.PETITION, lambda s: s.petitions.total.chased),
    Figure("petitions.anonymous", Unit.PETITION, lambda s: s.petitions.total.anonymous),
    Figure("processing.carried_over", Unit.PETITION, lambda s: s.processing.carried_over),
    Figure("processing.resolved", Unit.PETITION, lambda s: s.processing.resolved),
    Figure("processing.in_progress", Unit.PETITION, lambda s: s.processing.in_progress),
    Figure("processing.overdue", Unit.PETITION, lambda s: s.processing.overdue),
    Figure("processing.skips_level", Unit.PETITION, lambda s: s.processing.skips_level),
)
