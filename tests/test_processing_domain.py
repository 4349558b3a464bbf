"""Pure rules of petition processing, and migration 7 on petitions stored before it."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.dates import parse_date_range
from bot.domain.petitions import Competence, Field, PetitionType
from bot.domain.processing import (
    SITE_ALL,
    SITE_UNASSIGNED,
    Classification,
    InboxFilter,
    SearchKey,
    content_similarity,
    default_site_filter,
    parse_document,
    search_key,
    similar_content,
    site_filter,
    working_days_left,
)
from bot.storage.database import Database, migrations

CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(("typed", "expected"), [
    ("125/BTCD-XLĐ ngày 25/11/2026", ("125/BTCD-XLĐ", date(2026, 11, 25))),
    ("45/QĐ-UBND, 01/02/2026", ("45/QĐ-UBND", date(2026, 2, 1))),
    ("12/UBND-TCD", ("12/UBND-TCD", None)),
    ("25/11/2026", None),  # a date with no number
    ("12/QĐ 31/02/2026", None),  # an impossible date
    ("…", None),
])
def test_a_typed_document_gives_its_number_and_date(
        typed: str, expected: tuple[str, date | None] | None) -> None:
    """A document is typed as its number, optionally followed by its date."""
    assert parse_document(typed) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("1/11/2026 - 30/11/2026", (date(2026, 11, 1), date(2026, 11, 30))),
    ("2/2026", (date(2026, 2, 1), date(2026, 2, 28))),
    ("12/2026", (date(2026, 12, 1), date(2026, 12, 31))),
    ("2026", (date(2026, 1, 1), date(2026, 12, 31))),
    ("30/11/2026 1/11/2026", None),
    ("13/2026", None),
    ("tháng này", None),
    ("1/11 30/11", (date(2026, 11, 1), date(2026, 11, 30))),
    ("2026-11-01 30/11/2026", (date(2026, 11, 1), date(2026, 11, 30))),
    ("10/2026 11/2026", (date(2026, 10, 1), date(2026, 11, 30))),
    ("1/11/2026", (date(2026, 11, 1), date(2026, 11, 1))),
    ("1/12 31/1", (date(2025, 12, 1), date(2026, 1, 31))),
    ("1/12 31/1/2027", (date(2026, 12, 1), date(2027, 1, 31))),
    ("29/2", (date(2024, 2, 29), date(2024, 2, 29))),
    ("31/2/2026", None),
    ("1/11 2/11 3/11", None),
])
def test_a_typed_period_gives_its_first_and_last_day(
        typed: str, expected: tuple[date, date] | None) -> None:
    """A period is one or two dates, months or years; a day without a year is the latest such
    day by today (26/11/2026), and a range's end follows its start."""
    assert parse_date_range(typed, date(2026, 11, 26)) == expected


@pytest.mark.parametrize(("typed", "key"), [
    ("0912 345 678", SearchKey.PHONE),
    ("+84912345678", SearchKey.PHONE),
    ("001085012345", SearchKey.CCCD),
    ("001.085.012.345", SearchKey.CCCD),
    ("nguyen van an", SearchKey.NAME),
    ("Nguyễn Văn An", SearchKey.NAME),
    ("a", None),
    ("  ", None),
])
def test_a_search_is_read_as_a_phone_a_cccd_or_a_name(typed: str,
                                                      key: SearchKey | None) -> None:
    """Twelve digits are a CCCD number, other numbers a phone, letters a name."""
    assert search_key(typed) == key


def test_working_days_left_count_down_to_zero_and_below() -> None:
    """Days left are working days (24/11/2026, Vietnamese Culture Day, is not one): zero on
    the due day, negative once it has passed."""
    friday = date(2026, 11, 27)
    assert working_days_left(date(2026, 11, 26), friday, CALENDAR) == 1
    assert working_days_left(friday, friday, CALENDAR) == 0
    assert working_days_left(date(2026, 11, 30), friday, CALENDAR) == -1  # Monday after
    assert working_days_left(date(2026, 11, 23), friday, CALENDAR) == 3


def test_similar_content_ignores_common_words_and_needs_enough_words() -> None:
    """Contents sharing their meaningful word pairs are similar; short ones are not compared."""
    first = "Xã thu hồi đất ruộng của gia đình tôi ở thôn Nà Pàn mà không bồi thường."
    second = "Gia đình tôi bị xã thu hồi đất ruộng ở thôn Nà Pàn, không được bồi thường."
    other = "Tiền điện tháng này tăng gấp ba, đề nghị kiểm tra lại công tơ nhà tôi."
    assert similar_content(first, second)
    assert not similar_content(first, other)
    assert content_similarity("đất đai", "đất đai") == 0.0


def test_a_classification_refuses_what_does_not_fit() -> None:
    """A petition that does not meet the conditions needs a reason; the chairman's
    jurisdiction needs our competence; only a complaint skips a level."""
    good = Classification(PetitionType.COMPLAINT, Field.LAND, True, None, Competence.OURS,
                           True, True, None)
    assert good.problem() is None
    assert Classification(PetitionType.COMPLAINT, Field.LAND, False, " ", Competence.OURS,
                          False, False, None).problem() is not None
    assert Classification(PetitionType.REPORT, Field.LAND, True, None, Competence.NOT_OURS,
                          True, False, None).problem() is not None
    assert Classification(PetitionType.REPORT, Field.LAND, True, None, Competence.OURS,
                          False, True, None).problem() is not None


def test_inbox_filters_survive_the_draft_and_unknown_values_fall_back() -> None:
    """A filter saved in the draft comes back the same; values it does not know are dropped."""
    saved = InboxFilter(kind=PetitionType.REPORT, status="overdue", site="east+", commune=42,
                        field=Field.LAND.value)
    assert InboxFilter.from_json(saved.to_json()) == saved
    odd = InboxFilter.from_json({"kind": "x", "status": "y", "commune": True, "field": "z"})
    assert odd == InboxFilter()
    assert site_filter(default_site_filter("east")) == ("east", True)
    assert site_filter(SITE_ALL) == (None, True)
    assert site_filter(SITE_UNASSIGNED) == (None, False)


async def test_migration_7_fills_search_keys_and_closing_times_of_older_petitions(
        tmp_path: Path) -> None:
    """Petitions stored before migration 7 get their closing time and, unless the sender is a
    protected denouncer, the folded name and phone staff search by."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        for number, _name, sql in migrations():
            if number < 7:
                conn.executescript(sql)
        conn.execute("PRAGMA user_version = 6")
        for pid, kind, status in ((1, "complaint", "resolved"), (2, "denunciation", "received")):
            conn.execute(
                "INSERT INTO petitions (id, code, kind, status, received_at, respondent, "
                "content, request, prior_stage, people, is_group, anonymous, skips_level, "
                "mixed, denunciation_content, created_at, updated_at) VALUES (?, ?, ?, ?, "
                "'2026-01-05T01:00:00.000000Z', 'UBND xã', 'Nội dung', 'Yêu cầu', 'none', 1, "
                "0, 0, 0, 0, 0, '2026-01-05T01:00:00.000000Z', '2026-02-01T01:00:00.000000Z')",
                (pid, f"D-2222-222{pid}", kind, status))
        conn.execute("INSERT INTO petition_identities (petition_id, full_name, phone_e164) "
                     "VALUES (1, 'Nguyễn Văn Đức', '+84912345678')")
        conn.execute("INSERT INTO denouncer_identities (petition_id, full_name, phone_e164) "
                     "VALUES (2, 'Trần Thị Bình', '+84987654321')")
    database = Database(path)
    await database.connect()
    try:
        applied = await database.migrate()
        async with database.transaction() as conn:
            rows = {r["id"]: r for r in await conn.execute_fetchall(
                "SELECT id, name_folded, phone_e164, closed_at FROM petitions")}
            denouncer = list(await conn.execute_fetchall(
                "SELECT name_folded FROM denouncer_identities"))
    finally:
        await database.close()
    assert applied[0] == "0007_petition_processing.sql"
    assert (rows[1]["name_folded"], rows[1]["phone_e164"]) == ("nguyen van duc",
                                                               "+84912345678")
    assert rows[1]["closed_at"] == "2026-02-01T01:00:00.000000Z"
    assert (rows[2]["name_folded"], rows[2]["phone_e164"], rows[2]["closed_at"]) == (
        None, None, None)
    assert denouncer[0]["name_folded"] == "tran thi binh"
