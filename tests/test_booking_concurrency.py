"""Two people can never take the last place: many confirm at once, exactly the capacity wins."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.domain.booking import BookingStatus
from bot.domain.clock import FixedClock
from tests.booking_support import ADDRESS, CCCD, booking_settings, bookings_of, texts, type_line
from tests.harness import DEFAULT_NOW

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CAPACITY = 3
PEOPLE = 12
SLOT = datetime(2026, 11, 30, 9, 0, tzinfo=ZONE)


async def walk_to_review(app: App, user: str, index: int) -> str:
    """Take one person, by typed answers, to the review of a booking at Monday 09:00."""
    for line in ("/start", "đồng ý", "có", "đặt lịch", "thường xuyên", "30/11", "9h",
                 "Hỏi về việc cấp sổ đỏ", "không", "1", f"Nguyễn Văn {chr(65 + index)}",
                 f"09123456{index:02d}", CCCD):
        await type_line(app, user, line)
    return texts(await type_line(app, user, ADDRESS))


async def test_concurrent_confirmations_book_exactly_the_capacity(tmp_path: Path) -> None:
    """Twelve people confirm the same slot at once: three are booked, nine are told kindly
    and offered the next free time or the waiting list, which they can take."""
    app = await App.open(booking_settings(tmp_path, capacity=CAPACITY), FixedClock(DEFAULT_NOW))
    try:
        users = [f"7{index:02d}" for index in range(PEOPLE)]
        for index, user in enumerate(users):
            review = await walk_to_review(app, user, index)
            assert "kiểm tra lại lịch hẹn" in review, review
        answers = await asyncio.gather(*(type_line(app, user, "xác nhận") for user in users))
        booked = {user: await bookings_of(app, "telegram", user) for user in users}
        winners = [user for user in users if booked[user]]
        losers = [user for user, replies in zip(users, answers, strict=True)
                  if not booked[user]]
        takes = await type_line(app, losers[0], "1")
        waits = await type_line(app, losers[1], "2")
        moved = await bookings_of(app, "telegram", losers[0])
    finally:
        await app.close()
    assert len(winners) == CAPACITY
    assert all(b[0].slot.starts_at == SLOT and b[0].status is BookingStatus.BOOKED
               for user in winners for b in [booked[user]])
    assert len(losers) == PEOPLE - CAPACITY
    for user, replies in zip(users, answers, strict=True):
        said = texts(replies)
        if user in winners:
            assert "Lịch hẹn của ông/bà đã được đặt" in said
            continue
        assert "Rất tiếc, chỗ cuối cùng lúc 09:00" in said
        assert "vẫn được giữ nguyên" in said
        assert "Giờ còn trống gần nhất là Thứ Hai, 30/11/2026, 09:30–10:00" in said
        labels = [button.label for reply in replies for button in reply.buttons]
        assert "✅ Đặt lúc 09:30, Thứ Hai 30/11" in labels
        assert "📝 Ghi tên chờ chỗ lúc 09:00" in labels
    assert "Lịch hẹn của ông/bà đã được đặt" in texts(takes)
    assert moved[0].slot.starts_at == datetime(2026, 11, 30, 9, 30, tzinfo=ZONE)
    assert "danh sách chờ" in texts(waits)
