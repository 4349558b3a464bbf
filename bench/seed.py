"""Seed a large Tiếp Dân database fast: petitions over several years, visits, a day's bookings.

Run from the repository root::

    python bench/seed.py /tmp/tiepdan-1m.db                 # 1,000,000 petitions, 200,000 visits
    python bench/seed.py /tmp/small.db --petitions 50000 --visits 10000

or from Python: ``seed(path, petitions=..., visits=...)``. The schema is made by the bot's own
migrations; the rows then go straight into SQLite with ``executemany`` in large batches. The
data is deterministic for a given ``seed``: the same call makes the same rows. Everything is
realistic enough for the staff queries to meet the distributions they meet in an office:
types and statuses by age, deadlines in working days, sites, communes, identities (CCCD as
HMAC, masked and sealed forms under ``BENCH_KEY``), a denouncer's identity in its own table,
status events, staff assignments, the register's visits and one day's bookings.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path; the bot lives at the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import bisect
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar
from bot.domain.codes import ALPHABET
from bot.domain.identity import Phone, cccd_digest, seal
from bot.domain.places import Directory
from bot.domain.processing import name_key
from bot.storage.database import open_database, to_db

BENCH_KEY = "bench-secret-key-0123456789abcdef"  # TIEPDAN_SECRET_KEY of a seeded database
TODAY = date(2026, 11, 26)  # a Thursday, as in the tests
SITES = ("main", "east")
STAFF_USERS = tuple(f"{700000 + i}" for i in range(12))  # telegram staff ids, by site
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 50_000
PROVINCE = 20  # Lạng Sơn

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Nông", "Lương", "Hà", "Triệu", "Lăng",
          "Mông", "Vi", "Hoàng Thị")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Quang", "Thu", "Ngọc", "Hữu", "Xuân", "Thanh",
          "Kim", "Công", "Hồng", "Bảo", "")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hiếu",
         "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga",
         "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tú", "Tuấn", "Vân", "Yến")
BODIES = ("UBND xã {place}", "Chủ tịch UBND xã {place}", "Sở Nông nghiệp và Môi trường",
          "Sở Xây dựng", "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo",
          "Văn phòng đăng ký đất đai", "Công an xã {place}", "Công ty Điện lực Lạng Sơn",
          "Ban quản lý dự án đầu tư xây dựng tỉnh", "Chi cục Thuế khu vực",
          "Bảo hiểm xã hội tỉnh", "Trường tiểu học xã {place}", "Cán bộ địa chính xã {place}")
TOPICS = ("thu hồi đất không bồi thường thỏa đáng", "cấp giấy chứng nhận quyền sử dụng đất",
          "tranh chấp ranh giới đất với hộ liền kề", "chế độ người có công chưa được giải quyết",
          "bồi thường giải phóng mặt bằng dự án đường", "xây dựng trái phép lấn chiếm hành lang",
          "ô nhiễm môi trường từ cơ sở chăn nuôi", "cán bộ gây khó khăn khi làm thủ tục",
          "trợ cấp hộ nghèo bị cắt", "đường giao thông nông thôn xuống cấp",
          "tiền điện tăng bất thường", "giải quyết chế độ bảo hiểm xã hội")
REQUESTS = ("Đề nghị xem xét, giải quyết dứt điểm", "Đề nghị hủy quyết định",
            "Đề nghị bồi thường đúng quy định", "Đề nghị kiểm tra, xử lý cán bộ vi phạm",
            "Đề nghị sửa chữa, khắc phục")
MOBILE = ("91", "94", "88", "98", "97", "96", "86", "32", "33", "34", "35", "36", "37",
          "38", "39", "70", "76", "77", "78", "79", "81", "82", "83", "84", "85")
KINDS = (("complaint", 0.29), ("denunciation", 0.07), ("recommendation", 0.40),
         ("report", 0.24))
FIELDS = {"complaint": ("land", "land", "land", "housing", "policy", "civil_service"),
          "denunciation": ("corruption", "corruption", "civil_service", "land"),
          "recommendation": ("land", "policy", "social", "administrative_other", "housing"),
          "report": ("social", "administrative_other", "policy", "land", "justice")}
RECEIPT_DAYS = {"complaint": 7, "denunciation": 7, "recommendation": 10, "report": 10}
RECEIPT_RULE = {"complaint": "complaint.accept", "denunciation": "denunciation.accept",
                "recommendation": "petition.reply", "report": "petition.reply"}
# A closed petition's road through the statuses, and how often each road is taken.
CLOSED_PATHS = (
    (("classifying", "under_review", "accepted", "verifying", "resolved"), 0.30),
    (("classifying", "guided"), 0.20),
    (("classifying", "forwarded", "awaiting_feedback", "feedback_received"), 0.22),
    (("classifying", "archived"), 0.15),
    (("classifying", "under_review", "rejected"), 0.06),
    (("classifying", "withdrawn"), 0.04),
    (("classifying", "merged"), 0.03),
)
OPEN_PATHS = (
    (("classifying",), 0.25),
    (("classifying", "under_review"), 0.15),
    (("classifying", "under_review", "accepted"), 0.15),
    (("classifying", "under_review", "accepted", "verifying"), 0.15),
    (("classifying", "forwarded", "awaiting_feedback"), 0.15),
    (("classifying", "chased"), 0.05),
    (("classifying", "under_review", "accepted", "extended"), 0.10),
)
COMPETENCE = {"guided": "not_ours", "forwarded": "not_ours", "awaiting_feedback": "not_ours",
              "feedback_received": "not_ours", "chased": "lower_level"}


@dataclass(frozen=True)
class Person:
    """A citizen of the seeded province, with their identity as the bot stores it."""

    user_id: str
    full_name: str
    folded: str
    phone: str
    phone_masked: str
    cccd_digest: str
    cccd_masked: str
    cccd_sealed: str
    address: str


@dataclass(frozen=True)
class SeedReport:
    """What a seeding made and how long it took."""

    path: Path
    petitions: int
    events: int
    visits: int
    bookings: int
    seconds: float
    today: date
    sample_phone: str  # a phone that has several petitions, visits and a booking


def _weighted(rng: random.Random, choices: Sequence[tuple[object, float]]) -> object:
    roll = rng.random()
    total = 0.0
    for value, weight in choices:
        total += weight
        if roll < total:
            return value
    return choices[-1][0]


def _code(rng: random.Random, prefix: str, taken: set[str]) -> str:
    while True:
        body = "".join(rng.choice(ALPHABET) for _ in range(8))
        code = f"{prefix}-{body[:4]}-{body[4:]}"
        if code not in taken:
            taken.add(code)
            return code


def _people(rng: random.Random, count: int, key: bytes) -> list[Person]:
    people: list[Person] = []
    phones: set[str] = set()
    for index in range(count):
        middle = rng.choice(MIDDLE)
        name = " ".join(part for part in (rng.choice(FAMILY), middle, rng.choice(GIVEN)) if part)
        while True:
            phone = "+84" + rng.choice(MOBILE) + f"{rng.randrange(10_000_000):07d}"
            if phone not in phones:
                phones.add(phone)
                break
        century = rng.choice("0123")
        year = rng.randrange(0, 100) if century in "01" else rng.randrange(0, 8)
        cccd = f"0{PROVINCE:02d}{century}{year:02d}{rng.randrange(1_000_000):06d}"
        people.append(Person(
            user_id=str(100_000_000 + index), full_name=name, folded=name_key(name),
            phone=phone, phone_masked=Phone(phone).masked,
            cccd_digest=cccd_digest(cccd, key), cccd_masked=cccd[:4] + "******" + cccd[-2:],
            cccd_sealed=seal(cccd, key),
            address=f"Thôn {rng.choice(GIVEN)} {rng.randrange(1, 9)}"))
    return people


class _Days:
    """Working days of the seeded years, for deadlines counted in working days fast."""

    def __init__(self, start: date, end: date) -> None:
        calendar = WorkingCalendar()
        days: list[date] = []
        day = start
        while day <= end:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        self.days = days

    def add(self, start: date, count: int) -> date:
        """Return the ``count``-th working day after ``start``."""
        index = bisect.bisect_right(self.days, start) + count - 1
        return self.days[min(index, len(self.days) - 1)]


def _local(day: date, rng: random.Random) -> datetime:
    minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 30)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                    rng.randrange(60), tzinfo=ZONE).astimezone(UTC)


def _batches(rows: Iterator[tuple[object, ...]], size: int = BATCH
             ) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_PETITION_SQL = """
    INSERT INTO petitions (id, code, kind, status, channel, user_id, received_at, respondent,
        place_code, place_text, content, request, prior_stage, prior_body, people, is_group,
        anonymous, skips_level, mixed, denunciation_content, due_rule, due_rule_from, due_on,
        related_code, merged_into, repeat_of, created_at, updated_at, source, site_id, field,
        eligible, ineligible_reason, competence, chairman_jurisdiction, case_id, assigned_channel,
        assigned_user_id, classified_at, closed_at, name_folded, phone_e164)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
            ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_EVENT_SQL = """
    INSERT INTO petition_events (petition_id, at, actor_channel, actor_user_id, actor_role,
        from_status, to_status, note, document_no, document_date, agency, due_rule,
        due_rule_from, due_on)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_IDENTITY_SQL = """
    INSERT INTO {table} (petition_id, full_name, phone_e164, cccd_digest, cccd_masked,
        cccd_sealed, address{extra})
    VALUES (?, ?, ?, ?, ?, ?, ?{marks})
"""


def seed(path: Path | str, *, petitions: int = 1_000_000, visits: int = 200_000,
         bookings: int = 40, years: int = 5, today: date = TODAY, seed: int = 20261126,
         key: str = BENCH_KEY) -> SeedReport:
    """Make a database at ``path`` (replacing any file there) and fill it; return a report."""
    started = time.perf_counter()
    target = Path(path)
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    asyncio.run(_schema(target))
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    secret = key.encode("utf-8")
    people = _people(rng, max(100, petitions // 4), secret)
    communes = [unit.code for unit in Directory(PROVINCE).units]
    names = {unit.code: unit.name.split(" ", 1)[-1] for unit in Directory(PROVINCE).units}
    first_day = today - timedelta(days=365 * years)
    days = _Days(first_day - timedelta(days=10), today + timedelta(days=400))
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-400000")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("BEGIN")
        now_text = to_db(datetime.combine(today, datetime.min.time(), UTC))
        conn.executemany(
            "INSERT INTO channel_users (channel, user_id, chat_id, role, created_at, "
            "last_seen_at) VALUES ('telegram', ?, ?, 'citizen', ?, ?)",
            [(p.user_id, p.user_id, now_text, now_text) for p in people])
        conn.executemany(
            "INSERT INTO channel_users (channel, user_id, chat_id, role, display_name, "
            "created_at, last_seen_at) VALUES ('telegram', ?, ?, 'staff', ?, ?, ?)",
            [(user, user, f"Cán bộ {i + 1}", now_text, now_text)
             for i, user in enumerate(STAFF_USERS)])
        conn.executemany(
            "INSERT INTO staff_sites (channel, user_id, site, assigned_at) "
            "VALUES ('telegram', ?, ?, ?)",
            [(user, SITES[i % len(SITES)], now_text) for i, user in enumerate(STAFF_USERS)])
        events = _seed_petitions(conn, rng, petitions, people, communes, names, days,
                                 first_day, today)
        _seed_visits(conn, rng, visits, people, first_day, today)
        sample = people[0]
        _seed_bookings(conn, rng, bookings, people, sample, today)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    return SeedReport(path=target, petitions=petitions, events=events, visits=visits,
                      bookings=bookings, seconds=time.perf_counter() - started, today=today,
                      sample_phone="0" + sample.phone[3:])


async def _schema(path: Path) -> None:
    database = await open_database(path)
    await database.close()


def _seed_petitions(conn: sqlite3.Connection, rng: random.Random, count: int,
                    people: list[Person], communes: list[int], names: dict[int, str],
                    days: _Days, first_day: date, today: date) -> int:
    span = (today - first_day).days
    taken: set[str] = set()
    identities: list[tuple[object, ...]] = []
    protected: list[tuple[object, ...]] = []
    events: list[tuple[object, ...]] = []
    event_count = 0
    sample = people[0]

    def rows() -> Iterator[tuple[object, ...]]:
        nonlocal event_count
        for pid in range(1, count + 1):
            # Received days in order, a little more each year (the offices get busier).
            day = first_day + timedelta(days=int(span * (pid / count) ** 0.9))
            received = _local(day, rng)
            kind = str(_weighted(rng, KINDS))
            # The first person files a petition now and then: the search benchmark's phone.
            person = sample if pid % 50_000 == 7 else rng.choice(people)
            anonymous = kind in ("recommendation", "report") and rng.random() < 0.06
            source = str(_weighted(rng, (("chat", 0.55), ("visit", 0.35), ("post", 0.08),
                                         ("import", 0.02))))
            chat = source == "chat"
            commune = None if rng.random() < 0.1 else rng.choice(communes)
            place = names.get(commune or 0, "Tân Thành")
            respondent = rng.choice(BODIES).format(place=place)
            topic = rng.choice(TOPICS)
            age = (today - day).days
            status, path = _status(rng, age)
            closed = status in _FINAL
            receipt_due = days.add(day, RECEIPT_DAYS[kind])
            due_rule: str | None = RECEIPT_RULE[kind]
            due_from: str | None = "2026-07-01"
            due_on: date | None = receipt_due
            if status in ("accepted", "verifying", "extended"):
                due_rule = "complaint.resolve_first" if kind == "complaint" else \
                    "denunciation.resolve"
                due_on = days.add(day, 40 if status != "extended" else 60)
            elif status in ("forwarded", "awaiting_feedback", "chased") or closed:
                due_rule = due_from = due_on = None
            when = received
            classified_at = None
            closed_at = None
            step_days = max(1, min(age, 90) // (len(path) + 1))
            previous = "received"
            events.append((pid, to_db(received), "telegram" if chat else None,
                           person.user_id if chat else None, "citizen" if chat else "staff",
                           None, "received", "", None, None, None, RECEIPT_RULE[kind],
                           "2026-07-01", receipt_due.isoformat()))
            staff = rng.choice(STAFF_USERS)
            for to_status in path:
                when = when + timedelta(days=rng.randrange(1, step_days + 1),
                                        minutes=rng.randrange(600))
                when = min(when, datetime.combine(today, datetime.min.time(), UTC))
                agency = respondent if to_status in ("guided", "forwarded", "chased") else None
                document = f"{rng.randrange(1, 999)}/BTCD-XLĐ" if to_status in (
                    "forwarded", "accepted", "resolved", "extended") else None
                note = "Đã giải quyết theo quy định" if to_status == "resolved" else \
                    "Không đủ điều kiện xử lý" if to_status == "archived" else ""
                events.append((pid, to_db(when), "telegram", staff, "staff", previous,
                               to_status, note, document, None, agency, None, None, None))
                if to_status == "classifying":
                    classified_at = to_db(when)
                previous = to_status
            if closed:
                closed_at = to_db(when)
            event_count += len(path) + 1
            site = (rng.choice(SITES) if source == "visit" or (classified_at and
                                                                rng.random() < 0.7) else None)
            field = rng.choice(FIELDS[kind]) if classified_at else None
            competence = COMPETENCE.get(path[-1] if path else "", "ours") if classified_at \
                else None
            eligible = None if not classified_at else int(status not in ("archived",))
            assigned = staff if classified_at and rng.random() < 0.6 else None
            shown = not anonymous and kind != "denunciation"
            if not anonymous:
                target = protected if kind == "denunciation" else identities
                row: tuple[object, ...] = (pid, person.full_name, person.phone,
                                           person.cccd_digest, person.cccd_masked,
                                           person.cccd_sealed, person.address)
                target.append((*row, person.folded) if kind == "denunciation" else row)
            people_count = 1 if rng.random() > 0.03 else rng.randrange(5, 30)
            yield (
                pid, _code(rng, "D", taken), kind, status, "telegram" if chat else None,
                person.user_id if chat else None, to_db(received), respondent, commune,
                None, f"Gia đình tôi phản ánh việc {topic} tại xã {place}. {rng.choice(TOPICS)}.",
                rng.choice(REQUESTS), "none" if rng.random() < 0.8 else "first", None,
                people_count, int(people_count >= 5), int(anonymous),
                int(kind == "complaint" and rng.random() < 0.1), 0, 0, due_rule, due_from,
                due_on.isoformat() if due_on else None, None,
                max(1, pid - rng.randrange(1, 500)) if status == "merged" else None, None,
                to_db(received), to_db(when), source, site, field, eligible,
                "Không có chữ ký" if eligible == 0 else None, competence,
                int(competence == "ours" and rng.random() < 0.05), None,
                "telegram" if assigned else None, assigned, classified_at, closed_at,
                person.folded if shown else None, person.phone if shown else None)

    for batch in _batches(rows()):
        conn.executemany(_PETITION_SQL, batch)
        conn.executemany(_EVENT_SQL, events)
        conn.executemany(_IDENTITY_SQL.format(table="petition_identities", extra="", marks=""),
                         identities)
        conn.executemany(_IDENTITY_SQL.format(table="denouncer_identities",
                                              extra=", name_folded", marks=", ?"), protected)
        events.clear()
        identities.clear()
        protected.clear()
    return event_count


_FINAL = frozenset({"archived", "guided", "feedback_received", "rejected", "terminated",
                    "resolved", "withdrawn", "merged"})


def _status(rng: random.Random, age: int) -> tuple[str, tuple[str, ...]]:
    """Return a petition's status and the statuses it went through, from its age in days."""
    if age < 3 and rng.random() < 0.7:
        return "received", ()
    if age < 120 and rng.random() < max(0.15, 1 - age / 120):
        path = _weighted(rng, OPEN_PATHS)
    elif age >= 120 and rng.random() < 0.01:
        path = _weighted(rng, OPEN_PATHS[3:])  # a few old ones are stuck somewhere
    else:
        path = _weighted(rng, CLOSED_PATHS)
    assert isinstance(path, tuple)
    return str(path[-1]), tuple(str(step) for step in path)


def _seed_visits(conn: sqlite3.Connection, rng: random.Random, count: int,
                 people: list[Person], first_day: date, today: date) -> None:
    span = (today - first_day).days
    serials: dict[tuple[str, int], int] = {}
    sample = people[0]

    def rows() -> Iterator[tuple[object, ...]]:
        for index in range(count):
            day = first_day + timedelta(days=int(span * index / count))
            site = rng.choice(SITES)
            serial = serials[(site, day.year)] = serials.get((site, day.year), 0) + 1
            person = sample if index % 40_000 == 11 else rng.choice(people)
            leader = rng.random() < 0.05
            at = to_db(_local(day, rng))
            people_count = 1 if rng.random() > 0.02 else rng.randrange(5, 40)
            yield (site, serial, day.isoformat(), at, "leader" if leader else "regular",
                   "chairman" if leader else None, "Chủ tịch UBND tỉnh" if leader else None,
                   1 if rng.random() < 0.7 else 2, people_count, int(people_count >= 5),
                   person.full_name, person.folded, person.address, person.phone,
                   person.cccd_digest, person.cccd_masked, person.cccd_sealed,
                   f"Trình bày việc {rng.choice(TOPICS)}",
                   rng.choice(("complaint", "denunciation", "recommendation", "report")),
                   at, at)

    for batch in _batches(rows()):
        conn.executemany(
            "INSERT INTO visits (site_id, serial, received_on, received_at, mode, leader_id, "
            "leader_title, visit_number, people, is_mass_delegation, full_name, name_folded, "
            "address, phone_e164, cccd_digest, cccd_masked, cccd_sealed, summary, "
            "petition_type, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)


def _seed_bookings(conn: sqlite3.Connection, rng: random.Random, count: int,
                   people: list[Person], sample: Person, today: date) -> None:
    taken: set[str] = set()
    rows = []
    slots = [(7, 30), (8, 0), (8, 30), (9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (13, 30),
             (14, 0), (14, 30), (15, 0), (15, 30), (16, 0)]
    for index in range(count):
        hour, minute = slots[index % len(slots)]
        start = datetime(today.year, today.month, today.day, hour, minute, tzinfo=ZONE)
        person = sample if index == 0 else rng.choice(people)
        created = to_db(start - timedelta(days=3))
        rows.append((_code(rng, "H", taken), "telegram", person.user_id, "regular", "main",
                     to_db(start.astimezone(UTC)),
                     to_db((start + timedelta(minutes=30)).astimezone(UTC)),
                     1 if rng.random() > 0.05 else 12, f"Trình bày việc {rng.choice(TOPICS)}",
                     person.full_name, person.phone, person.cccd_digest, person.cccd_masked,
                     person.cccd_sealed, person.address, created, created))
    conn.executemany(
        "INSERT INTO bookings (code, channel, user_id, kind, site_id, starts_at, ends_at, "
        "people, topic, full_name, phone_e164, cccd_digest, cccd_masked, cccd_sealed, "
        "address, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Seed a database from the command line and print what it made and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", help="the database file to make (replaced if it exists)")
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--bookings", type=int, default=40, help="bookings on the seeded day")
    parser.add_argument("--seed", type=int, default=20261126)
    arguments = parser.parse_args(argv)
    report = seed(arguments.path, petitions=arguments.petitions, visits=arguments.visits,
                  bookings=arguments.bookings, seed=arguments.seed)
    print(f"seeded {report.path}: {report.petitions:,} petitions with {report.events:,} "  # noqa: T201 - the report is the point
          f"events, {report.visits:,} visits, {report.bookings} bookings on {report.today} "
          f"in {report.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
