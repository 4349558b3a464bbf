"""The petition service: codes, identities kept apart, status changes, lookups and lockouts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import bot.services.petitions as petition_service
from bot.app import App
from bot.domain.clock import FixedClock
from bot.domain.person import PersonIdentity
from bot.domain.petitions import (
    MoveError,
    NewPetition,
    Petition,
    PetitionType,
    PriorStage,
    Representative,
    Status,
)
from bot.domain.users import ChannelUser, Role
from bot.services import Actor, Services
from bot.services.petitions import LookupStep
from bot.storage import audit as audit_store
from bot.storage import outbox as outbox_store
from bot.storage import petitions as petition_store
from bot.storage import profiles as profile_store
from tests.harness import DEFAULT_NOW, make_settings

IDENTITY = PersonIdentity(full_name="Nguyễn Văn An", phone_e164="+84912345678",
                          phone_masked="0912***678", cccd_digest="digest-of-cccd",
                          cccd_masked="0010******45", cccd_sealed="sealed-cccd",
                          address="Thôn Nà Pàn")
STAFF = Actor("telegram", "900", Role.STAFF)
LEADER = Actor("telegram", "901", Role.LEADER)
ADMIN = Actor("telegram", "902", Role.ADMIN)
POLICE = Actor("telegram", "903", Role.POLICE)


def complaint(**changes: object) -> NewPetition:
    """Return a complete complaint, with ``changes``."""
    petition = NewPetition(
        kind=PetitionType.COMPLAINT, respondent="UBND xã Tân Thành", place_code=None,
        place_text=None, content="Xã thu hồi đất sai.", request="Hủy quyết định",
        prior_stage=PriorStage.NONE, prior_body=None, people=1, identity=IDENTITY,
    )
    return replace(petition, **changes)  # type: ignore[arg-type]


class Office:
    """An app on a fixed clock with two citizens, acting as whoever a test needs."""

    def __init__(self, app: App, clock: FixedClock) -> None:
        self.app = app
        self.clock = clock

    @asynccontextmanager
    async def acting(self, actor: Actor) -> AsyncIterator[Services]:
        """Yield services acting as ``actor``, in one transaction."""
        async with self.app.database.transaction() as conn:
            yield self.app.dialog.services_for(conn, actor)

    async def citizen(self, user_id: str) -> ChannelUser:
        """Return (creating on first use) the Telegram citizen ``user_id``."""
        async with self.acting(Actor.system()) as services:
            return await services.users.arrive("telegram", user_id, user_id, None)

    async def submit(self, user_id: str, petition: NewPetition,
                     received_at: datetime | None = None) -> Petition:
        """File ``petition`` from citizen ``user_id``."""
        user = await self.citizen(user_id)
        async with self.acting(Actor("telegram", user_id, Role.CITIZEN)) as services:
            return await services.petitions.submit(user, petition,
                                                   received_at or self.clock.now())


@asynccontextmanager
async def office(tmp_path: Path, data: dict[str, object] | None = None) -> AsyncIterator[Office]:
    """Open the bot's app on a fresh database."""
    clock = FixedClock(DEFAULT_NOW)
    app = await App.open(make_settings(tmp_path, data), clock)
    try:
        yield Office(app, clock)
    finally:
        await app.close()


@pytest.fixture
def codes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make new tracking codes come from a list the test fills."""
    queue: list[str] = []
    monkeypatch.setattr(petition_service, "new_code", lambda prefix: queue.pop(0))
    return queue


async def test_a_code_already_taken_is_drawn_again(tmp_path: Path, codes: list[str]) -> None:
    """When a new code happens to be taken, another is drawn, in the same transaction."""
    codes.extend(["D-2222-2222", "D-2222-2222", "D-3333-3333"])
    async with office(tmp_path) as desk:
        first = await desk.submit("1", complaint())
        second = await desk.submit("2", complaint())
    assert (first.code, second.code) == ("D-2222-2222", "D-3333-3333")
    assert codes == []


async def test_no_petition_is_stored_when_no_free_code_is_found(tmp_path: Path,
                                                                codes: list[str]) -> None:
    """If every code drawn is taken the submission fails as a whole: nothing half-stored."""
    codes.extend(["D-2222-2222"] * (1 + petition_service.MAX_CODE_ATTEMPTS))
    async with office(tmp_path) as desk:
        await desk.submit("1", complaint())
        with pytest.raises(RuntimeError, match="no free tracking code"):
            await desk.submit("2", complaint(respondent="Sở Xây dựng"))
        async with desk.acting(Actor.system()) as services:
            mine = await services.petitions.mine(await services.users.arrive(
                "telegram", "2", "2", None))
    assert mine == []


async def test_the_receipt_time_is_the_messages_own_time(tmp_path: Path) -> None:
    """A message sent late on Friday and handled on Monday is received on Friday: the
    deadline counts from Friday's date in Vietnam."""
    friday_night = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 23:30 in Vietnam
    async with office(tmp_path) as desk:
        desk.clock.set(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
        petition = await desk.submit("1", complaint(kind=PetitionType.REPORT, identity=None),
                                     received_at=friday_night)
        async with desk.acting(STAFF) as services:
            events = await petition_store.events(services.ctx.conn, petition.id)
    assert petition.received_at == friday_night
    assert petition.due is not None
    assert petition.due.due_on == date(2026, 12, 11)  # 10 working days after Fri 27/11
    assert events[0].at == friday_night


async def test_an_incomplete_petition_is_refused(tmp_path: Path) -> None:
    """A complaint without an identity and a group without representatives are refused."""
    async with office(tmp_path) as desk:
        with pytest.raises(ValueError, match="identity"):
            await desk.submit("1", complaint(identity=None))
        with pytest.raises(ValueError, match="representatives"):
            await desk.submit("1", complaint(people=6))
        too_many = tuple(Representative(f"Người {n}", "+84912345678") for n in range(3))
        with pytest.raises(ValueError, match="1 to 2 representatives"):
            await desk.submit("1", complaint(people=6, representatives=too_many))


async def test_a_denouncers_identity_is_shown_only_to_allowed_roles_and_audited(
        tmp_path: Path) -> None:
    """Staff see a denouncer's identity withheld; leaders and admins see it; each look is
    audited; citizens and the police liaison may not ask at all."""
    denunciation = complaint(kind=PetitionType.DENUNCIATION, people=6,
                             representatives=(Representative("Lê Văn C", "+84987654321"),))
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", denunciation)
        async with desk.acting(STAFF) as services:
            withheld = await services.petitions.identity_of(petition.code)
        async with desk.acting(LEADER) as services:
            shown = await services.petitions.identity_of(petition.code)
        async with desk.acting(ADMIN) as services:
            await services.petitions.identity_of(petition.code)
        for outsider in (Actor("telegram", "1", Role.CITIZEN), POLICE):
            async with desk.acting(outsider) as services:
                with pytest.raises(PermissionError):
                    await services.petitions.identity_of(petition.code)
        async with desk.acting(STAFF) as services:
            conn = services.ctx.conn
            views = await audit_store.entries(conn, "petition.denouncer_identity.view")
            refusals = await audit_store.entries(conn, "petition.denouncer_identity.withheld")
            denied = await audit_store.entries(conn, "access.denied")
            profile = await profile_store.get_profile(conn, "telegram", "1")
    assert withheld.withheld
    assert withheld.identity is None
    assert withheld.representatives == ()
    assert not shown.withheld
    assert shown.identity is not None
    assert shown.identity.full_name == "Nguyễn Văn An"
    assert [r.full_name for r in shown.representatives] == ["Lê Văn C"]
    assert [(e.actor_role, e.subject) for e in views] == [("admin", petition.code),
                                                         ("leader", petition.code)]
    assert [e.actor_role for e in refusals] == ["staff"]
    assert {e.actor_role for e in denied} == {"citizen", "police"}
    assert profile is None


async def test_a_complainants_identity_is_shown_to_staff(tmp_path: Path) -> None:
    """Staff see who sent an ordinary petition; it is kept for the sender's next petition."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        async with desk.acting(STAFF) as services:
            view = await services.petitions.identity_of(petition.code)
            profile = await profile_store.get_profile(services.ctx.conn, "telegram", "1")
    assert not view.withheld
    assert view.identity == IDENTITY
    assert profile is not None
    assert profile.full_name == "Nguyễn Văn An"


async def test_a_status_change_records_who_when_from_to_and_document(tmp_path: Path) -> None:
    """Each move is recorded with the staff member, the time, both statuses, the note, the
    document, and tells the citizen once through the outbox."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        desk.clock.advance(timedelta(hours=2))
        async with desk.acting(STAFF) as services:
            await services.petitions.transition(petition.code, Status.CLASSIFYING)
            event = await services.petitions.transition(
                petition.code, Status.FORWARDED, note="Thuộc thẩm quyền Sở", document_no="15/BTCD",
                document_date=date(2026, 11, 26), agency="Sở Tài nguyên và Môi trường")
            conn = services.ctx.conn
            events = await petition_store.events(conn, petition.id)
            moved = await petition_store.get_by_code(conn, petition.code)
            queued = await outbox_store.due(conn, desk.clock.now(), ("telegram",), 10)
    assert moved is not None
    assert moved.status is Status.FORWARDED
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, Status.RECEIVED), (Status.RECEIVED, Status.CLASSIFYING),
        (Status.CLASSIFYING, Status.FORWARDED)]
    assert (event.actor_channel, event.actor_user_id, event.actor_role) == ("telegram", "900",
                                                                           "staff")
    assert event.at == desk.clock.now()
    assert (event.note, event.document_no, event.agency) == (
        "Thuộc thẩm quyền Sở", "15/BTCD", "Sở Tài nguyên và Môi trường")
    assert events[-1] == event
    assert [row.kind for row in queued] == ["petition.status", "petition.status"]
    assert all(row.chat_id == "1" for row in queued)
    assert "Sở Tài nguyên và Môi trường" in queued[1].payload["text"]
    assert "Thuộc thẩm quyền Sở" not in queued[1].payload["text"]  # staff notes stay inside


async def test_a_move_the_rules_forbid_changes_nothing(tmp_path: Path) -> None:
    """A move out of order, or without its document, is refused and nothing is recorded."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        async with desk.acting(STAFF) as services:
            with pytest.raises(MoveError):
                await services.petitions.transition(petition.code, Status.ACCEPTED,
                                                    document_no="1/QĐ")
            await services.petitions.transition(petition.code, Status.CLASSIFYING)
            await services.petitions.transition(petition.code, Status.UNDER_REVIEW)
            with pytest.raises(MoveError, match="document"):
                await services.petitions.transition(petition.code, Status.ACCEPTED)
            events = await petition_store.events(services.ctx.conn, petition.id)
    assert [e.to_status for e in events] == [Status.RECEIVED, Status.CLASSIFYING,
                                             Status.UNDER_REVIEW]


async def test_only_staff_change_a_status(tmp_path: Path) -> None:
    """A citizen, a leader or the police liaison cannot move a petition; the attempt is
    audited."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        for actor in (Actor("telegram", "1", Role.CITIZEN), LEADER, POLICE):
            async with desk.acting(actor) as services:
                with pytest.raises(PermissionError):
                    await services.petitions.transition(petition.code, Status.CLASSIFYING)
        async with desk.acting(ADMIN) as services:
            await services.petitions.transition(petition.code, Status.CLASSIFYING)
            denied = await audit_store.entries(services.ctx.conn, "access.denied")
    assert len(denied) == 3


async def test_acceptance_sets_and_a_final_status_clears_the_deadline(tmp_path: Path) -> None:
    """Accepting a complaint sets the 30-day resolution deadline from that day; resolving it
    clears the deadline."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        async with desk.acting(STAFF) as services:
            moves = services.petitions
            await moves.transition(petition.code, Status.CLASSIFYING)
            await moves.transition(petition.code, Status.UNDER_REVIEW)
            accepted = await moves.transition(petition.code, Status.ACCEPTED,
                                              document_no="20/QĐ-UBND")
            after_acceptance = await petition_store.get_by_code(services.ctx.conn, petition.code)
            await moves.transition(petition.code, Status.RESOLVED, document_no="35/QĐ-UBND")
            resolved = await petition_store.get_by_code(services.ctx.conn, petition.code)
    assert accepted.due is not None
    assert (accepted.due.rule_key, accepted.due.due_on) == ("complaint.resolve_first",
                                                            date(2026, 12, 28))
    assert after_acceptance is not None
    assert after_acceptance.due == accepted.due
    assert resolved is not None
    assert resolved.due is None
    assert resolved.status.is_final


async def test_a_merge_tells_the_citizen_their_own_code_only(tmp_path: Path) -> None:
    """Merged into the sender's own petition, the code is told; into someone else's, not."""
    async with office(tmp_path) as desk:
        first = await desk.submit("1", complaint())
        second = await desk.submit("1", complaint(respondent="Sở Xây dựng"))
        other = await desk.submit("2", complaint(respondent="Sở Y tế"))
        async with desk.acting(STAFF) as services:
            await services.petitions.transition(second.code, Status.MERGED,
                                                merged_into=first.code)
            await services.petitions.transition(other.code, Status.MERGED,
                                                merged_into=first.code)
            with pytest.raises(LookupError):
                await services.petitions.transition(first.code, Status.MERGED,
                                                    merged_into=first.code)
            queued = await outbox_store.due(services.ctx.conn, desk.clock.now(),
                                            ("telegram",), 10)
            merged = await petition_store.get_by_code(services.ctx.conn, second.code)
    own = next(row for row in queued if row.chat_id == "1")
    foreign = next(row for row in queued if row.chat_id == "2")
    assert first.code in own.payload["text"]
    assert first.code not in foreign.payload["text"]
    assert merged is not None
    assert merged.merged_into == first.code


async def test_the_same_matter_again_is_marked_as_a_repeat(tmp_path: Path) -> None:
    """A second complaint on the same respondent from the same person is marked for staff as
    a repeat of the first; another respondent is not."""
    async with office(tmp_path) as desk:
        first = await desk.submit("1", complaint())
        again = await desk.submit("1", complaint(respondent="ubnd xa tan thanh"))
        other = await desk.submit("1", complaint(respondent="Sở Giáo dục"))
    assert first.repeat_of is None
    assert again.repeat_of == first.code
    assert other.repeat_of is None


async def test_the_filer_sees_the_petition_at_once(tmp_path: Path) -> None:
    """The account that filed a petition sees its history with no further question."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        filer = await desk.citizen("1")
        async with desk.acting(Actor("telegram", "1", Role.CITIZEN)) as services:
            outcome = await services.petitions.open_status(filer, petition.code)
    assert outcome.step is LookupStep.SHOWN
    assert outcome.view is not None
    assert outcome.view.own
    assert outcome.view.petition.code == petition.code


async def test_another_account_must_give_the_phones_last_four_digits(tmp_path: Path) -> None:
    """From another account a code alone shows nothing; the right last four digits show it."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        stranger = await desk.citizen("2")
        async with desk.acting(Actor("telegram", "2", Role.CITIZEN)) as services:
            asked = await services.petitions.open_status(stranger, petition.code)
            shown = await services.petitions.check_phone(stranger, petition.code, "5678")
    assert asked.step is LookupStep.ASK_PHONE
    assert asked.view is None
    assert shown.step is LookupStep.SHOWN
    assert shown.view is not None
    assert not shown.view.own


async def lookups(desk: Office, user_id: str, code: str, digits: list[str]) -> list[LookupStep]:
    """Try ``digits`` one after the other on ``code``; return each outcome's step."""
    person = await desk.citizen(user_id)
    steps = []
    for typed in digits:
        async with desk.acting(Actor("telegram", user_id, Role.CITIZEN)) as services:
            steps.append((await services.petitions.check_phone(person, code, typed)).step)
    return steps


async def test_wrong_digits_lock_the_account_out_and_say_how_long(tmp_path: Path) -> None:
    """After lookup_max_failures wrong answers within the window, even the right digits are
    refused until the window has passed, and the wait is known."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        person = await desk.citizen("2")
        async with desk.acting(Actor("telegram", "2", Role.CITIZEN)) as services:
            first = await services.petitions.check_phone(person, petition.code, "0000")
            second = await services.petitions.check_phone(person, petition.code, "1111")
            third = await services.petitions.check_phone(person, petition.code, "2222")
            right = await services.petitions.check_phone(person, petition.code, "5678")
            opened = await services.petitions.open_status(person, petition.code)
        desk.clock.advance(timedelta(minutes=10))
        still = await lookups(desk, "2", petition.code, ["5678"])
        desk.clock.advance(timedelta(minutes=6))
        later = await lookups(desk, "2", petition.code, ["5678"])
        owner = await lookups(desk, "1", petition.code, ["0000"])
    assert (first.step, first.attempts_left) == (LookupStep.MISMATCH, 2)
    assert (second.step, second.attempts_left) == (LookupStep.MISMATCH, 1)
    assert third.step is LookupStep.LOCKED
    assert third.wait_minutes(DEFAULT_NOW) == 15
    assert right.step is LookupStep.LOCKED
    assert opened.step is LookupStep.LOCKED
    assert still == [LookupStep.LOCKED]
    assert later == [LookupStep.SHOWN]
    assert owner == [LookupStep.SHOWN]  # the filer is never locked out of their own petition


async def test_an_unknown_code_is_answered_like_a_wrong_guess(tmp_path: Path) -> None:
    """A code that does not exist asks for the digits and then says they do not match,
    exactly as for an existing code: whether a code exists is never told."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        person = await desk.citizen("2")
        async with desk.acting(Actor("telegram", "2", Role.CITIZEN)) as services:
            unknown_open = await services.petitions.open_status(person, "D-2222-2222")
            known_open = await services.petitions.open_status(person, petition.code)
            unknown = await services.petitions.check_phone(person, "D-2222-2222", "5678")
            known = await services.petitions.check_phone(person, petition.code, "9999")
    assert unknown_open == known_open
    assert (unknown.step, unknown.attempts_left) == (LookupStep.MISMATCH, 2)
    assert (known.step, known.attempts_left) == (LookupStep.MISMATCH, 1)


async def test_an_anonymous_petition_is_seen_only_from_its_own_account(tmp_path: Path) -> None:
    """No digits open an anonymous petition from another account."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint(kind=PetitionType.REPORT, identity=None))
        steps = await lookups(desk, "2", petition.code, ["5678", "0000"])
        owner = await lookups(desk, "1", petition.code, ["0000"])
    assert steps == [LookupStep.MISMATCH, LookupStep.MISMATCH]
    assert owner == [LookupStep.SHOWN]


async def test_old_wrong_answers_are_forgotten_by_the_scheduled_job(tmp_path: Path) -> None:
    """The scheduled job deletes wrong answers older than a day, keeping recent ones."""
    async with office(tmp_path) as desk:
        petition = await desk.submit("1", complaint())
        await lookups(desk, "2", petition.code, ["0000"])
        desk.clock.advance(timedelta(days=2))
        await lookups(desk, "3", petition.code, ["0000"])
        done = await desk.app.tick()
        async with desk.acting(STAFF) as services:
            rows = list(await services.ctx.conn.execute_fetchall(
                "SELECT user_id FROM petition_lookup_failures"))
    assert done["petitions.forget_lookup_failures"] == 1
    assert [row["user_id"] for row in rows] == ["3"]
