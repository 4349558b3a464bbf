"""Records for the reports' tests, made through the real services wherever they exist.

Petitions are filed with ``PetitionService.submit`` and moved with ``PetitionService.transition``
(their events are the real ones); leaders' reception days are stored by the bookings'
storage. Two parts of the data are not built on this branch yet: the reception register
(``visits``, ``cases``: migration 0006) and the classification columns of petitions (source,
site, eligible, competence, the Chairman's jurisdiction, assignment, closed_at: migration
0007). For those two only, this module writes rows matching the contract through
``bot.storage.seam_for_tests``. After the merge, switch ``visit``, ``case`` and ``classify``
to the register and classification services.

``build_reference_year`` makes the reference province's year (issue 6).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App
from bot.domain.booking import (
    Booked,
    Booking,
    BookingKind,
    BookingRequest,
    DayStatus,
    Representative,
    SlotKey,
)
from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import FixedClock
from bot.domain.person import PersonIdentity
from bot.domain.petitions import NewPetition, Petition, PetitionType, PriorStage, Status
from bot.domain.users import ChannelUser, Role
from bot.services import Actor, Services
from bot.storage import bookings as booking_store
from bot.storage import seam_for_tests

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
STAFF = Actor("telegram", "800", Role.STAFF)
SECRETARY: dict[str, Any] = {"id": "secretary", "title": "Bí thư Tỉnh ủy", "day_of_month": 20,
             "registration_closes_day": 15, "site": "main"}
CHAIRMAN: dict[str, Any] = {"id": "chairman", "title": "Chủ tịch UBND tỉnh", "day_of_month": 15,
            "registration_closes_day": 10, "site": "main"}
# The moves that take a petition being classified to an outcome: (status, note, document
# number, body concerned).
Move = tuple[Status, str, str | None, str | None]
FINAL_MOVES: dict[Status, tuple[Move, ...]] = {
    Status.GUIDED: ((Status.GUIDED, "", None, "UBND xã Hoàng Văn Thụ"),),
    Status.FORWARDED: ((Status.FORWARDED, "", "12/CV-BTCD", "Sở Tài nguyên và Môi trường"),),
    Status.CHASED: ((Status.CHASED, "", None, "UBND xã Tân Thành"),),
    Status.RESOLVED: ((Status.UNDER_REVIEW, "", None, None),
                      (Status.ACCEPTED, "", "5/QĐ-UBND", None),
                      (Status.RESOLVED, "", "9/QĐ-UBND", None)),
    Status.ARCHIVED: ((Status.ARCHIVED, "Đơn không đủ điều kiện xử lý", None, None),),
}


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """Return the UTC time of a local day and hour."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).astimezone(UTC)


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

    async def person(self, user_id: str, role: Role = Role.CITIZEN) -> ChannelUser:
        """Return (creating on first use) a Telegram user with ``role``."""
        async with self.acting(Actor.system()) as services:
            user = await services.users.arrive("telegram", user_id, user_id, None)
            if user.role is not role:
                await services.users.set_role("telegram", user_id, role, "test")
                user = await services.users.get("telegram", user_id) or user
            return user

    # -- petitions (the real petition service) -------------------------------------------------

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
                identity = None if anonymous else PersonIdentity(
                    full_name=f"Công dân {number}", phone_e164=f"+8491{number:07d}",
                    phone_masked="091****", cccd_digest=f"digest-{number}",
                    cccd_masked="0010******45", cccd_sealed=f"sealed-{number}",
                    address="Thôn Nà Pàn, xã Hoàng Văn Thụ")
                filed.append(await services.petitions.submit(user, NewPetition(
                    kind=kind, respondent=f"UBND xã số {number}", place_code=None,
                    place_text=None, content="Đề nghị xem xét việc thu hồi đất.",
                    request="Xem xét lại", prior_stage=prior_stage, prior_body=None,
                    people=people, identity=identity), at))
        return filed

    async def move(self, petition: Petition, outcome: Status, at: datetime) -> None:
        """Classify a petition, then take it to ``outcome`` through the real moves, at ``at``
        (a final status also sets closed_at, as the classification service will)."""
        async with self.acting(STAFF, at) as services:
            await services.petitions.transition(petition.code, Status.CLASSIFYING)
            for target, note, document, agency in FINAL_MOVES[outcome]:
                await services.petitions.transition(petition.code, target, note=note,
                                                    document_no=document, agency=agency)
            if outcome in (Status.RESOLVED, Status.GUIDED, Status.ARCHIVED):
                await seam_for_tests.seed_classification_for_tests(
                    services.ctx.conn, petition.id, closed_at=at)

    async def archive(self, petitions: Sequence[Petition], at: datetime) -> None:
        """File petitions away as not eligible, all at ``at``, in one transaction."""
        async with self.acting(STAFF, at) as services:
            for petition in petitions:
                await services.petitions.transition(petition.code, Status.CLASSIFYING)
                for target, note, document, agency in FINAL_MOVES[Status.ARCHIVED]:
                    await services.petitions.transition(petition.code, target, note=note,
                                                        document_no=document, agency=agency)
                await seam_for_tests.seed_classification_for_tests(
                    services.ctx.conn, petition.id, eligible=False, closed_at=at)

    async def classify(self, petition: Petition, **columns: object) -> None:
        """Set a petition's classification columns (through the test seam, for now)."""
        async with self.acting(Actor.system()) as services:
            await seam_for_tests.seed_classification_for_tests(
                services.ctx.conn, petition.id, **columns)  # type: ignore[arg-type]

    # -- the register (through the test seam, for now) ---------------------------------------

    async def case(self, title: str = "Vụ việc") -> int:
        """Open a case (vụ việc); return its id."""
        async with self.acting(Actor.system()) as services:
            return await seam_for_tests.seed_case_for_tests(services.ctx.conn, title,
                                                            self.clock.now())

    async def visit(self, day: date, people: int = 1, *, site: str = "main",
                    leader: str | None = None, reception_day: int | None = None,
                    case: int | None = None, visit_number: int = 1,
                    delegation: bool = False, refused: bool = False) -> int:
        """Record one reception in the register; return its id."""
        async with self.acting(Actor.system()) as services:
            return await seam_for_tests.seed_visit_for_tests(
                services.ctx.conn, site_id=site, received_on=day, received_at=local(day),
                mode="leader" if leader else "regular", people=people,
                full_name="Nguyễn Văn An", summary="Đề nghị giải quyết tranh chấp đất đai",
                now=self.clock.now(), leader_id=leader,
                leader_title=str(SECRETARY["title"]) if leader == "secretary" else None,
                reception_day_id=reception_day, case_id=case, visit_number=visit_number,
                mass_delegation=delegation, refused=refused)

    # -- bookings (the real booking service) ----------------------------------------------

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

    # -- leaders' reception days (the bookings' storage) ---------------------------------------

    async def reception_day(self, leader: str, day: date,
                            status: DayStatus = DayStatus.SCHEDULED, site: str = "main") -> int:
        """Store a leader's reception day with ``status``; return its id."""
        async with self.acting(Actor.system()) as services:
            conn = services.ctx.conn
            stored = await booking_store.insert_added_day(
                conn, leader_id=leader, site_id=site, day=day, closes_on=day - timedelta(days=5),
                capacity=20, published_at=self.clock.now(), now=self.clock.now())
            if status is not DayStatus.SCHEDULED:
                await booking_store.set_day_status(conn, stored.id, status, self.clock.now())
            return stored.id


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
    guided: int = 6
    forwarded: int = 4
    chased: int = 2
    resolved: int = 8
    anonymous: int = 20
    at_reception: int = 30


async def build_reference_year(office: ReportingOffice) -> Reference:
    """Make the reference province's year 2025 and the year before it, from records.

    2025: the board received citizens 332 times, 534 people, including 12 mass delegations;
    the Party Secretary received 4 times, 10 people, 4 cases (and the Chairman 5 times, 7
    people); 700 petitions: 201 complaints, 50 denunciations, 449 recommendations and reports;
    12 complaints and 1 denunciation under the Chairman's jurisdiction, no recommendation.
    2024: 757 petitions, 320 receptions of 537 people, 12 mass delegations.
    """
    ref = Reference()
    await _reception(office, ref)
    await _last_year(office, ref)
    await _petitions(office, ref)
    return ref


async def _reception(office: ReportingOffice, ref: Reference) -> None:
    # Regular reception: 12 delegations of 8 people, then 320 visits of 438 people (118 of
    # two people, 202 alone); 20 of them come back about a case opened the year before.
    days = days_spread(YEAR_START, YEAR_END, ref.regular_visits)
    for day in days[:ref.delegations]:
        await office.visit(day, 8, delegation=True, case=await office.case())
    earlier_cases = [await office.case("Vụ việc năm trước") for _ in range(20)]
    for index, day in enumerate(days[ref.delegations:]):
        people = 2 if index < 118 else 1
        if index < 20:
            await office.visit(day, people, case=earlier_cases[index], visit_number=2)
        else:
            await office.visit(day, people)
    # A refused reception is not a reception.
    await office.visit(days[5], 3, refused=True)
    # The Party Secretary: 12 monthly days planned, 4 held (a reception on each), one more
    # postponed (its new date counts), one cancelled.
    for month in range(12):
        day = date(2025, month + 1, 1) if month else date(2024, 12, 20)
        status = DayStatus.HELD if month < 4 else (
            DayStatus.CANCELLED if month == 11 else DayStatus.SCHEDULED)
        day_id = await office.reception_day("secretary", day, status)
        if month < 4:
            people = 3 if month < 2 else 2
            await office.visit(day, people, leader="secretary", reception_day=day_id,
                               case=await office.case())
    await office.reception_day("secretary", date(2025, 6, 3), DayStatus.POSTPONED)
    # The Chairman: 5 visits of 7 people on two days, one marked held only by its visits.
    first = await office.reception_day("chairman", date(2025, 3, 17), DayStatus.HELD)
    second = await office.reception_day("chairman", date(2025, 9, 15))
    for index, day_id in enumerate([first, first, first, second, second]):
        await office.visit(date(2025, 3, 17) if day_id == first else date(2025, 9, 15),
                           3 if index == 0 else 1, leader="chairman", reception_day=day_id)


async def _last_year(office: ReportingOffice, ref: Reference) -> None:
    days = days_spread(LAST_START, LAST_END, ref.last_year_visits)
    for day in days[:ref.delegations]:
        await office.visit(day, 9, delegation=True)
    for index, day in enumerate(days[ref.delegations:]):
        # 12 delegations of 9 people, then 308 visits of 429 people.
        await office.visit(day, 2 if index < 121 else 1)
    for day_number in (20, 21, 22):
        await office.visit(date(2024, 5, day_number), 1, leader="secretary")
    kinds = ([PetitionType.COMPLAINT] * 210 + [PetitionType.DENUNCIATION] * 48
             + [PetitionType.RECOMMENDATION] * 350 + [PetitionType.REPORT] * 149)
    random.Random(2024).shuffle(kinds)  # noqa: S311 - a fixed order of test data
    filed = await office.petitions(kinds, spread(LAST_START, LAST_END, len(kinds)))
    # All of last year's petitions were dealt with before this year began, but one.
    await office.archive(filed[1:], local(LAST_END, 15))
    assert len(filed) == ref.last_year_petitions


async def _petitions(office: ReportingOffice, ref: Reference) -> None:
    named = ([PetitionType.COMPLAINT] * ref.complaints
             + [PetitionType.DENUNCIATION] * ref.denunciations
             + [PetitionType.RECOMMENDATION] * (ref.recommendations - ref.anonymous)
             + [PetitionType.REPORT] * ref.reports)
    random.Random(2025).shuffle(named)  # noqa: S311 - a fixed order of test data
    times = spread(YEAR_START, YEAR_END, len(named) + ref.anonymous)
    random.Random(7).shuffle(times)  # noqa: S311 - a fixed order of test data
    filed = await office.petitions(named, times[:len(named)])
    filed += await office.petitions([PetitionType.RECOMMENDATION] * ref.anonymous,
                                    times[len(named):], anonymous=True)
    assert len(filed) == ref.petitions
    complaints = [p for p in filed if p.kind is PetitionType.COMPLAINT]
    denunciations = [p for p in filed if p.kind is PetitionType.DENUNCIATION]
    others = [p for p in filed if p.kind not in (PetitionType.COMPLAINT,
                                                 PetitionType.DENUNCIATION)]
    for petition in complaints[:ref.chairman_complaints]:
        await office.classify(petition, eligible=True, competence="ours",
                              chairman_jurisdiction=True, site_id="main")
    for petition in denunciations[:ref.chairman_denunciations]:
        await office.classify(petition, eligible=True, competence="ours",
                              chairman_jurisdiction=True, site_id="main")
    for petition in complaints[ref.chairman_complaints:ref.chairman_complaints + 40]:
        await office.classify(petition, eligible=True, competence="ours", site_id="main")
    outcomes = ([Status.GUIDED] * ref.guided + [Status.FORWARDED] * ref.forwarded
                + [Status.CHASED] * ref.chased)
    for petition, outcome in zip(others, outcomes, strict=False):
        await office.classify(petition, eligible=True, competence="not_ours", site_id="main")
        await office.move(petition, outcome, _within_year(petition, days=2))
    for petition in complaints[:ref.resolved]:
        await office.move(petition, Status.RESOLVED, _within_year(petition, days=20))
    for petition in others[-ref.at_reception:]:
        await office.classify(petition, source="visit", site_id="main")


def _within_year(petition: Petition, days: int) -> datetime:
    """Return a moment ``days`` after a petition's receipt, but before the year ends."""
    return min(petition.received_at + timedelta(days=days), local(YEAR_END, 16))
