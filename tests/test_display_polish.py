"""What people read: the appointment's place said once, the site in one's own list, whole
numbers on the chart's axes, leaders' days with none planned, the weekly digest's day in
Vietnamese, and the office's remark on a legal source kept to staff."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import SiteSettings
from bot.domain.clock import FixedClock
from bot.domain.periods import PeriodKind, ReportingPeriod
from bot.domain.petitions import PetitionType
from bot.domain.register import refusal_cell
from bot.domain.users import Role
from bot.services import Actor
from bot.services.booking_texts import place
from bot.services.refusal_grounds import REFUSAL_GROUNDS
from bot.services.report_files import chart_figure
from tests.booking_support import agree, book_regular, booking_settings, bookings_of, ics_of
from tests.harness import make_settings, telegram_bot
from tests.reporting_data import CHAIRMAN, SECRETARY, ReportingOffice, local

CITIZEN = 7801
LEADER = 7802
SITE = "Trụ sở Tiếp công dân tỉnh Lạng Sơn"
REMARK = "chưa đối chiếu công báo"


@pytest.mark.parametrize(("name", "address", "shown"), [
    (SITE, "Số 2 Hoàng Văn Thụ", f"{SITE}, Số 2 Hoàng Văn Thụ"),
    (SITE, f"{SITE.lower()}, số 2 Hoàng Văn Thụ", f"{SITE.lower()}, số 2 Hoàng Văn Thụ"),
    (SITE, SITE.upper(), SITE),
    (SITE, "", SITE),
])
def test_a_place_names_its_site_once(name: str, address: str, shown: str) -> None:
    """A site's place is its name and address, the name said once even when the address
    repeats it in another case."""
    assert place(SiteSettings(id="main", name=name, address=address)) == shown


async def test_the_calendar_file_and_the_list_of_appointments_say_where(tmp_path: Path) -> None:
    """The .ics LOCATION of a site whose address begins with its name holds the name once;
    «Lịch hẹn của tôi» lists each appointment with its site."""
    address = f"{SITE}, số 2 Hoàng Văn Thụ, phường Lương Văn Tri"
    sites = [{"id": "main", "name": SITE, "address": address, "capacity": 3,
              "slot_minutes": 30, "sessions": ["07:30-11:30", "13:30-16:30"]}]
    async with telegram_bot(booking_settings(tmp_path, sites=sites)) as bot:
        await agree(bot, CITIZEN)
        sent = await book_regular(bot, CITIZEN)
        listing = await bot.text(CITIZEN, "/lichhen")
        [booking] = await bookings_of(bot.app, "telegram", str(CITIZEN))

    location = str(ics_of(sent).walk("VEVENT")[0]["LOCATION"])
    assert location == address
    line = next(line for line in listing[-1].text.splitlines() if booking.code in line)
    assert line.startswith("• ")
    assert line.endswith(f"09:00 · {booking.code} · 📍 {SITE}")


async def test_the_charts_axes_count_in_whole_numbers(tmp_path: Path) -> None:
    """With a handful of petitions, the chart's count axes have ticks at whole numbers only."""
    clock = FixedClock(local(date(2026, 1, 10)))
    settings = make_settings(tmp_path, {"leaders": [CHAIRMAN, SECRETARY]})
    async with telegram_bot(settings, clock) as bot:
        office = ReportingOffice(bot.app, clock)
        await office.person(str(LEADER), Role.LEADER)
        await office.petitions([PetitionType.COMPLAINT, PetitionType.COMPLAINT,
                                PetitionType.DENUNCIATION],
                               [local(date(2025, 6, 2)), local(date(2025, 7, 1)),
                                local(date(2025, 9, 3))])
        async with office.acting(Actor("telegram", str(LEADER), Role.LEADER)) as services:
            report = await services.reports.report(ReportingPeriod.of(PeriodKind.YEAR, 2025),
                                                   None)
    left, right = chart_figure(report, settings).axes[:2]

    counts = [*left.get_xticks(), *right.get_yticks()]
    assert counts
    assert all(float(tick).is_integer() for tick in counts), counts


async def test_a_leader_with_no_day_planned_is_not_said_to_hold_0_of_0(tmp_path: Path) -> None:
    """The summary says that no reception day was planned rather than «tiếp 0/0 kỳ»."""
    clock = FixedClock(local(date(2026, 1, 10)))
    settings = make_settings(tmp_path, {"leaders": [CHAIRMAN, SECRETARY]})
    async with telegram_bot(settings, clock) as bot:
        office = ReportingOffice(bot.app, clock)
        await office.person(str(LEADER), Role.LEADER)
        await office.petitions([PetitionType.COMPLAINT], [local(date(2025, 6, 2))])
        sent = await bot.text(LEADER, "/baocao năm 2025")
    text = "\n".join(message.text for message in sent)

    assert "Chủ tịch UBND tỉnh: không có kỳ tiếp nào theo kế hoạch" in text
    assert "0/0" not in text


async def test_the_weekly_digest_is_offered_with_its_day_in_vietnamese(tmp_path: Path) -> None:
    """/nhanbaocao tells on which day of the week the weekly digest comes, in Vietnamese."""
    settings = make_settings(tmp_path, {"reports": {"weekly_digest_day": "friday",
                                                    "weekly_digest_at": "16:00"}})
    async with telegram_bot(settings) as bot:
        await bot.text(LEADER, "/start")
        async with bot.app.database.transaction() as conn:
            services = bot.app.dialog.services_for(conn)
            await services.users.set_role("telegram", str(LEADER), Role.LEADER, "test")
        sent = await bot.text(LEADER, "/nhanbaocao")

    assert "Thứ Sáu hằng tuần, lúc 16:00" in sent[-1].text
    assert "friday" not in sent[-1].text.lower()


def test_the_offices_remark_on_a_source_stays_on_staff_screens() -> None:
    """A ground of NĐ 154/2026 keeps «chưa đối chiếu công báo» in its source (staff read it
    when choosing), but its citation and the register's refusal cell leave it out."""
    ground = next(g for g in REFUSAL_GROUNDS if g.key == "weapons")

    assert REMARK in ground.source
    assert ground.citation == "NĐ 154/2026/NĐ-CP, Đ.4"
    assert REMARK not in refusal_cell(ground, ground.key, "5/TB-BTCD")
    assert refusal_cell(ground, ground.key, "5/TB-BTCD").endswith("(NĐ 154/2026/NĐ-CP, Đ.4) "
                                                                  "(số 5/TB-BTCD)")
