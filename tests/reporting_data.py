"""Records for the reports' tests, made through the bot's own services as the office would.

Petitions are filed with ``PetitionService.submit``; staff classify, assign and move them with
``ProcessingService``; receptions are recorded in the register with ``RegisterService.record``
(a visit on an earlier matter links to that visit, and a petition handed in is filed with
it); leaders' days are added, postponed and cancelled with ``BookingService``, and a leader's
reception recorded on a day marks it held. Nothing is written to the tables directly.

``build_reference_year`` makes the reference province's year (issue 6).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App
from bot.domain.booking import (
    Booked,
    Booking,
    BookingKind,
    BookingRequest,
    DayChange,
    DayStatus,
    Representative,
    SlotKey,
    leader_day,
)
from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import FixedClock
from bot.domain.person import PersonIdentity
from bot.domain.petitions import (
    Competence,
    NewPetition,
    Petition,
    PetitionType,
    PriorStage,
    Status,
)
from bot.domain.register import ReceptionMode, Visit, VisitEntry
from bot.domain.users import ChannelUser, Role
from bot.services import Actor, Services
from bot.services.register import Recorded

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
STAFF = Actor("telegram", "800", Role.STAFF)
SECRETARY: dict[str, Any] = {"id": "secretary", "title": "Bí thư Tỉnh ủy", "day_of_month": 20,
             "registration_closes_day": 15, "site": "main"}
CHAIRMAN: dict[str, Any] = {"id": "chairman", "title": "Chủ tịch UBND tỉnh", "day_of_month": 15,
            "registration_closes_day": 10, "site": "main"}
NOT_ELIGIBLE = "Đơn không đủ điều kiện xử lý"
SUMMARY = "Đề nghị giải quyết tranh chấp đất đai"
# A ground for refusing reception that needs neither a notice nor a note.
REFUSAL_GROUND = "threatening"
# How far ahead of a leader's day staff add, move or cancel it.
DAY_NOTICE = timedelta(days=30)
# The moves that take a classified petition to an outcome: (status, note, document number,
# body concerned).
Move = tuple[Status, str, str | None, str | None]
FINAL_MOVES: dict[Status, tuple[Move, ...]] = {
    Status.GUIDED: ((Status.GUIDED, "", None, "UBND xã Hoàng Văn Thụ"),),
    Status.FORWARDED: ((Status.FORWARDED, "", "12/CV-BTCD", "Sở Tài nguyên và Môi trường"),),
    Status.CHASED: ((Status.CHASED, "", None, "UBND xã Tân Thành"),),
    Status.RESOLVED: ((Status.UNDER_REVIEW, "", None, None),
                      (Status.ACCEPTED, "", "5/QĐ-UBND", None),
                      (Status.RESOLVED, "", "9/QĐ-UBND", None)),
    Status.ARCHIVED: ((Status.ARCHIVED, NOT_ELIGIBLE, None, None),),
}
# Whose matter a petition is, as the classification before each outcome says.
OUTCOME_COMPETENCE: dict[Status, Competence] = {
    Status.GUIDED: Competence.NOT_OURS,
    Status.FORWARDED: Competence.NOT_OURS,
    Status.CHASED: Competence.LOWER_LEVEL,
    Status.RESOLVED: Competence.OURS,
    Status.ARCHIVED: Competence.OURS,
}


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """Return the UTC time of a local day and hour."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).astimezone(UTC)


def identity_of(number: int) -> PersonIdentity:
    """Return the (protected) identity of citizen ``number``."""
    return PersonIdentity(
        full_name=f"Công dân {number}", phone_e164=f"+8491{number:07d}",
        phone_masked="091****", cccd_digest=f"digest-{number}", cccd_masked="0010******45",
        cccd_sealed=f"sealed-{number}", address="Thôn Nà Pàn, xã Hoàng Văn Thụ")


@dataclass
class ReportingOffice:
    """The bot's app on a fixed clock, with helpers that make records as the office would."""

    app: App
    clock: FixedClock
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5_000_001))

    @asynccontextmanager
    async def acting(self, actor: Actor, at: datetime | None = None) -> AsyncIterator[Services]:
        """Yield services acting as ``actor`` at ``at`` (the clock moves there), in one
        transaction."""
        if at is not None:
            self.clock.set(at)
        async with self.app.database.transaction() as conn:
            yield self.app.dialog.services_for(conn, actor)

    @asynccontextmanager
    async def acting_then(self, actor: Actor, at: datetime) -> AsyncIterator[Services]:
        """Yield services acting as ``actor`` at ``at``; the clock goes back afterwards, so
        that making a record of another day leaves the test's time where it was."""
        before = self.clock.now()
        try:
            async with self.acting(actor, at) as services:
                yield services
        finally:
            self.clock.set(before)

    async def person(self, user_id: str, role: Role = Role.CITIZEN) -> ChannelUser:
        """Return (creating on first use) a Telegram user with ``role``."""
        async with self.acting(Actor.system()) as services:
            user = await services.users.arrive("telegram", user_id, user_id, None)
            if user.role is not role:
                await services.users.set_role("telegram", user_id, role, "test")
                user = await services.users.get("telegram", user_id) or user
            return user

    # -- petitions (the petition service) ----------------------------------------------------

    async def petitions(self, kinds: Sequence[PetitionType], received: Sequence[datetime], *,
                        anonymous: bool = False, people: int = 1,
                        prior_stage: PriorStage = PriorStage.NONE) -> list[Petition]:
        """File one petition of each kind in ``kinds``, each received at the matching time,
        from a citizen of its own."""
        filed = []
        async with self.acting(Actor.system()) as services:
            for kind, at in zip(kinds, received, strict=True):
                number = next(self._ids)
                user = await services.users.arrive("telegram", str(number), str(number), None)
                filed.append(await services.petitions.submit(user, NewPetition(
                    kind=kind, respondent=f"UBND xã số {number}", place_code=None,
                    place_text=None, content="Đề nghị xem xét việc thu hồi đất.",
                    request="Xem xét lại", prior_stage=prior_stage, prior_body=None,
                    people=people, identity=None if anonymous else identity_of(number)), at))
        return filed

    # -- processing (the processing service, as reception staff) -----------------------------

    async def _classify(self, services: Services, petition: Petition, *, site_id: str | None,
                        eligible: bool, competence: Competence,
                        chairman_jurisdiction: bool) -> None:
        current = await services.processing.find(petition.code)
        assert current is not None, petition.code
        start = services.processing.default_classification(current, site_id)
        await services.processing.classify(petition.code, replace(
            start, eligible=eligible, ineligible_reason=None if eligible else NOT_ELIGIBLE,
            competence=competence, chairman_jurisdiction=chairman_jurisdiction,
            site_id=site_id or start.site_id))

    async def classify(self, petition: Petition, *, site_id: str | None = "main",
                       eligible: bool = True, competence: Competence = Competence.OURS,
                       chairman_jurisdiction: bool = False, at: datetime | None = None) -> None:
        """Classify a petition as staff do, at ``at`` (default: now), keeping what it records
        already (type, field, skipped level)."""
        async with self.acting_then(STAFF, at or self.clock.now()) as services:
            await self._classify(services, petition, site_id=site_id, eligible=eligible,
                                 competence=competence,
                                 chairman_jurisdiction=chairman_jurisdiction)

    async def assign(self, petition: Petition, channel: str, user_id: str) -> None:
        """Let a staff member take a petition on themselves (they are told nothing: they
        know)."""
        async with self.acting(Actor(channel, user_id, Role.STAFF)) as services:
            await services.processing.assign(petition.code, channel, user_id)

    async def _move(self, services: Services, petition: Petition, outcome: Status) -> None:
        current = await services.processing.find(petition.code)
        assert current is not None, petition.code
        if current.status is Status.RECEIVED:
            await self._classify(services, current, site_id=current.site_id or "main",
                                 eligible=outcome is not Status.ARCHIVED,
                                 competence=OUTCOME_COMPETENCE[outcome],
                                 chairman_jurisdiction=False)
        for target, note, document, agency in FINAL_MOVES[outcome]:
            await services.processing.move(petition.code, target, note=note,
                                           document_no=document, agency=agency)

    async def move(self, petition: Petition, outcome: Status, at: datetime) -> None:
        """Take a petition to ``outcome`` through the real moves at ``at``, classifying it first
        (as that outcome calls for) if nobody has."""
        async with self.acting_then(STAFF, at) as services:
            await self._move(services, petition, outcome)

    async def archive(self, petitions: Sequence[Petition], at: datetime) -> None:
        """Classify petitions as not eligible and file them away, all at ``at``, in one
        transaction."""
        async with self.acting_then(STAFF, at) as services:
            for petition in petitions:
                await self._move(services, petition, Status.ARCHIVED)

    # -- the register (the register service, as reception staff) -------------------------------

    async def visit(self, day: date, people: int = 1, *, site: str = "main",
                    leader: str | None = None, reception_day: int | None = None,
                    same_case_as: Visit | None = None, refused: bool = False,
                    petition: PetitionType | None = None, hour: int = 9,
                    minute: int = 0) -> Recorded:
        """Record one reception (or a refusal) in the register at ``hour:minute`` on ``day``.

        A visit on the same matter as an earlier one is by the same citizen and joins its
        case; ``petition`` is the type of a written petition handed in, filed with the visit.
        Mass delegations are what the register's rule makes of ``people``.
        """
        rule = self.app.settings.leader(leader) if leader else None
        identity = (same_case_as.entry.identity if same_case_as is not None
                    else identity_of(next(self._ids)))
        entry = VisitEntry(
            site_id=site, received_on=day,
            mode=ReceptionMode.LEADER if leader else ReceptionMode.REGULAR, people=people,
            identity=identity, summary=SUMMARY, leader_id=leader,
            leader_title=rule.title if rule else None,
            reception_day_id=reception_day,
            same_case_as=same_case_as.id if same_case_as is not None else None,
            petition_type=petition, refused=refused,
            refusal_ground=REFUSAL_GROUND if refused else None)
        async with self.acting_then(STAFF, local(day, hour, minute)) as services:
            return await services.register.record(entry, petition)

    async def handed_in(self, kind: PetitionType, received: datetime, people: int = 1, *,
                        site: str = "main") -> Petition:
        """Record a reception at ``received`` at which a written petition of ``kind`` is
        handed in (it has no chat account: the office tells the citizen itself);
        return the petition."""
        moment = received.astimezone(ZONE)
        recorded = await self.visit(moment.date(), people, site=site, petition=kind,
                                    hour=moment.hour, minute=moment.minute)
        assert recorded.petition_code is not None
        async with self.acting(STAFF) as services:
            petition = await services.processing.find(recorded.petition_code)
        assert petition is not None
        return petition

    # -- bookings (the booking service) ----------------------------------------------------

    async def booking(self, starts_at: datetime, people: int = 1, *,
                      commune: str | None = None,
                      topic: str = "Đề nghị giải quyết tranh chấp đất đai") -> Booking:
        """Book a regular slot of 30 minutes from ``starts_at`` for a new citizen, the day
        before (the clock moves there)."""
        number = next(self._ids)
        citizen = await self.person(str(number))
        identity = PersonIdentity(full_name=f"Công dân {number}", phone_e164="+84912345678",
                                  phone_masked="0912***678", cccd_digest=f"digest-{number}",
                                  cccd_masked="0791******89", cccd_sealed=f"sealed-{number}",
                                  address="Thôn Nà Pàn")
        representatives = (Representative("Nguyễn Văn An", "+84912345671"),) if people >= 5 \
            else ()
        slot = SlotKey(BookingKind.REGULAR, "main", None, starts_at,
                       starts_at + timedelta(minutes=30))
        day_before = WorkingCalendar().previous_working_day(
            starts_at.astimezone(ZONE).date(), include_today=False)
        async with self.acting(Actor("telegram", str(number), Role.CITIZEN),
                               local(day_before, 10)) as services:
            outcome = await services.bookings.book(citizen, BookingRequest(
                slot=slot, topic=topic, people=people, identity=identity, commune_name=commune,
                representatives=representatives))
        assert isinstance(outcome, Booked), outcome
        return outcome.booking

    # -- leaders' reception days (the booking service, as staff) -------------------------------

    async def reception_day(self, leader: str, day: date,
                            status: DayStatus = DayStatus.SCHEDULED) -> int:
        """Add a leader's reception day (a month ahead, as staff do), cancelled if
        ``status`` says so; return its id. A day is held when a leader's reception is
        recorded on it; ``postpone`` moves one."""
        if status not in (DayStatus.SCHEDULED, DayStatus.CANCELLED):
            raise ValueError(f"a day becomes {status.value} otherwise")
        async with self.acting_then(STAFF, local(day - DAY_NOTICE, 10)) as services:
            added = await services.bookings.add_day(leader, day)
            assert isinstance(added, DayChange), added
            if status is DayStatus.CANCELLED:
                cancelled = await services.bookings.cancel_day(added.day.id,
                                                               "Lãnh đạo đi công tác")
                assert isinstance(cancelled, DayChange), cancelled
            return added.day.id

    async def postpone(self, day_id: int, new_day: date) -> int:
        """Move a leader's day to ``new_day`` (a month before either); return the new day's
        id."""
        async with self.acting(STAFF) as services:
            old = await services.bookings.reception_day(day_id)
        assert old is not None, day_id
        async with self.acting_then(STAFF, local(min(old.day, new_day) - DAY_NOTICE,
                                                 10)) as services:
            moved = await services.bookings.postpone_day(day_id, new_day,
                                                         "Lãnh đạo đi công tác")
        assert isinstance(moved, DayChange), moved
        return moved.day.id

    def leaders_day(self, year: int, month: int, leader: str) -> date:
        """Return the day a leader's rule gives in a month (the next working day)."""
        settings = self.app.settings
        rule = settings.leader(leader)
        assert rule is not None, leader
        return leader_day(year, month, rule.day_of_month, settings.calendar)


def received_for_due(due_on: date, working_days: int = 10) -> datetime:
    """Return when a recommendation must be received to be due on ``due_on`` (Luật Tiếp
    công dân Đ.28(1): an answer within 10 working days)."""
    return local(WorkingCalendar().subtract_working_days(due_on, working_days))


def spread(start: date, end: date, count: int, hour: int = 9) -> list[datetime]:
    """Return ``count`` receipt times spread evenly over the local days [start, end]."""
    days = (end - start).days + 1
    return [local(start + timedelta(days=(i * days) // count), hour, i % 50) for i in
            range(count)]


def days_spread(start: date, end: date, count: int) -> list[date]:
    """Return ``count`` days spread evenly over [start, end]."""
    return [moment.astimezone(ZONE).date() for moment in spread(start, end, count)]


# -- the reference province's year ----------------------------------------------------------------

# Year 2025 under the 15th-to-14th cut-off: 15/12/2024–14/12/2025; the year before:
# 15/12/2023–14/12/2024.
YEAR_START, YEAR_END = date(2024, 12, 15), date(2025, 12, 14)
LAST_START, LAST_END = date(2023, 12, 15), date(2024, 12, 14)


@dataclass(frozen=True)
class Reference:
    """What ``build_reference_year`` made, to compare with what the reports say."""

    regular_visits: int = 332
    regular_people: int = 534
    delegations: int = 12
    secretary_visits: int = 4
    secretary_people: int = 10
    secretary_cases: int = 4
    secretary_days_held: int = 4
    secretary_days_planned: int = 12
    chairman_visits: int = 5
    chairman_people: int = 7
    petitions: int = 700
    complaints: int = 201
    denunciations: int = 50
    recommendations: int = 300
    reports: int = 149
    chairman_complaints: int = 12
    chairman_denunciations: int = 1
    last_year_petitions: int = 757
    last_year_visits: int = 320
    last_year_people: int = 537
    returning: int = 20  # cases first seen the year before, seen again this year
    guided: int = 6
    forwarded: int = 4
    chased: int = 2
    resolved: int = 8
    anonymous: int = 20
    at_reception: int = 30  # recommendations and reports handed in at a reception


async def build_reference_year(office: ReportingOffice) -> Reference:
    """Make the reference province's year 2025 and the year before it, from records.

    2025: the board received citizens 332 times, 534 people, including 12 mass delegations;
    the Party Secretary received 4 times, 10 people, 4 cases (and the Chairman 5 times, 7
    people); 700 petitions: 201 complaints, 50 denunciations, 449 recommendations and reports;
    12 complaints and 1 denunciation under the Chairman's jurisdiction, no recommendation.
    2024: 757 petitions, 320 receptions of 537 people, 12 mass delegations.
    """
    ref = Reference()
    earlier = await _last_year(office, ref)
    at_reception = await _reception(office, ref, earlier)
    await _petitions(office, ref, at_reception)
    return ref


async def _last_year(office: ReportingOffice, ref: Reference) -> list[Visit]:
    """Make the year before; return the visits whose matters come back this year."""
    days = days_spread(LAST_START, LAST_END, ref.last_year_visits)
    for day in days[:ref.delegations]:
        await office.visit(day, 9)
    # 12 delegations of 9 people, then 308 visits of 429 people.
    visits = [(await office.visit(day, 2 if index < 121 else 1)).visit
              for index, day in enumerate(days[ref.delegations:])]
    for day_number in (20, 21, 22):
        await office.visit(date(2024, 5, day_number), 1, leader="secretary")
    kinds = ([PetitionType.COMPLAINT] * 210 + [PetitionType.DENUNCIATION] * 48
             + [PetitionType.RECOMMENDATION] * 350 + [PetitionType.REPORT] * 149)
    random.Random(2024).shuffle(kinds)  # noqa: S311 - a fixed order of test data
    filed = await office.petitions(kinds, spread(LAST_START, LAST_END, len(kinds)))
    # All of last year's petitions were dealt with before this year began, but one.
    await office.archive(filed[1:], local(LAST_END, 15))
    assert len(filed) == ref.last_year_petitions
    return visits[-ref.returning:]


async def _reception(office: ReportingOffice, ref: Reference,
                     earlier: Sequence[Visit]) -> list[Petition]:
    """Make this year's receptions; return the petitions handed in at them."""
    # Regular reception: 12 delegations of 8 people, then 320 visits of 438 people (118 of
    # two people, 202 alone); 20 of them come back about a matter of the year before, and at
    # 30 others a recommendation or a report is handed in.
    days = days_spread(YEAR_START, YEAR_END, ref.regular_visits)
    for day in days[:ref.delegations]:
        await office.visit(day, 8)
    handed_in: list[Petition] = []
    every = (ref.regular_visits - ref.delegations - ref.returning) // ref.at_reception
    for index, day in enumerate(days[ref.delegations:]):
        people = 2 if index < 118 else 1
        if index < ref.returning:
            await office.visit(day, people, same_case_as=earlier[index])
        elif (index - ref.returning) % every == 0:
            kind = PetitionType.RECOMMENDATION if index % 2 else PetitionType.REPORT
            handed_in.append(await office.handed_in(kind, local(day), people))
        else:
            await office.visit(day, people)
    assert len(handed_in) == ref.at_reception
    # A refused reception is not a reception.
    await office.visit(days[5], 3, refused=True)
    # The Party Secretary: 12 monthly days planned (the 20th, or the next working day), 4
    # held (a reception on each); June's was moved there from another date, November's
    # cancelled.
    for month in range(12):
        year, month_number = (2024, 12) if month == 0 else (2025, month)
        day = office.leaders_day(year, month_number, "secretary")
        if month_number == 6:
            day_id = await office.postpone(
                await office.reception_day("secretary", date(2025, 6, 3)), day)
        else:
            day_id = await office.reception_day(
                "secretary", day, DayStatus.CANCELLED if month == 11 else DayStatus.SCHEDULED)
        if month < 4:
            people = 3 if month < 2 else 2
            await office.visit(day, people, leader="secretary", reception_day=day_id)
    # The Chairman: 5 visits of 7 people on two days.
    first_day, second_day = date(2025, 3, 17), date(2025, 9, 15)
    first = await office.reception_day("chairman", first_day)
    second = await office.reception_day("chairman", second_day)
    for index, (day, day_id) in enumerate([(first_day, first)] * 3 + [(second_day, second)] * 2):
        await office.visit(day, 3 if index == 0 else 1, leader="chairman", reception_day=day_id)
    return handed_in


async def _petitions(office: ReportingOffice, ref: Reference,
                     at_reception: Sequence[Petition]) -> None:
    handed = {kind: sum(p.kind is kind for p in at_reception) for kind in PetitionType}
    named = ([PetitionType.COMPLAINT] * ref.complaints
             + [PetitionType.DENUNCIATION] * ref.denunciations
             + [PetitionType.RECOMMENDATION] * (ref.recommendations - ref.anonymous
                                                - handed[PetitionType.RECOMMENDATION])
             + [PetitionType.REPORT] * (ref.reports - handed[PetitionType.REPORT]))
    random.Random(2025).shuffle(named)  # noqa: S311 - a fixed order of test data
    times = spread(YEAR_START, YEAR_END, len(named) + ref.anonymous)
    random.Random(7).shuffle(times)  # noqa: S311 - a fixed order of test data
    filed = await office.petitions(named, times[:len(named)])
    filed += await office.petitions([PetitionType.RECOMMENDATION] * ref.anonymous,
                                    times[len(named):], anonymous=True)
    assert len(filed) + len(at_reception) == ref.petitions
    complaints = [p for p in filed if p.kind is PetitionType.COMPLAINT]
    denunciations = [p for p in filed if p.kind is PetitionType.DENUNCIATION]
    others = [p for p in filed if p.kind not in (PetitionType.COMPLAINT,
                                                 PetitionType.DENUNCIATION)]
    for petition in [*complaints[:ref.chairman_complaints],
                     *denunciations[:ref.chairman_denunciations]]:
        await office.classify(petition, chairman_jurisdiction=True,
                              at=_within_year(petition, days=1))
    for petition in complaints[ref.chairman_complaints:ref.chairman_complaints + 40]:
        await office.classify(petition, at=_within_year(petition, days=1))
    outcomes = ([Status.GUIDED] * ref.guided + [Status.FORWARDED] * ref.forwarded
                + [Status.CHASED] * ref.chased)
    for petition, outcome in zip(others, outcomes, strict=False):
        await office.move(petition, outcome, _within_year(petition, days=2))
    for petition in complaints[:ref.resolved]:
        await office.move(petition, Status.RESOLVED, _within_year(petition, days=20))


def _within_year(petition: Petition, days: int) -> datetime:
    """Return a moment ``days`` after a petition's receipt, but before the year ends."""
    return min(petition.received_at + timedelta(days=days), local(YEAR_END, 16))
