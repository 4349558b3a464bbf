"""Drive the petition flows the same way through Telegram and the terminal, and read back."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.app import App
from bot.config import Settings
from bot.domain.clock import FixedClock
from bot.domain.conversation import ConversationState
from bot.domain.person import PersonIdentity
from bot.domain.petitions import Petition, PetitionEvent, PetitionFile, Representative
from bot.services import Actor, Services
from bot.storage import conversations as conversation_store
from bot.storage import petitions as petition_store
from tests.fakebotapi import FakeBotApi
from tests.harness import DEFAULT_NOW, TelegramHarness, TerminalHarness, telegram_bot, terminal_bot

CODE = re.compile(r"D-[0-9A-Z]{4}-[0-9A-Z]{4}")


class Driver(Protocol):
    """A person at a phone or a terminal, answering the bot."""

    app: App
    channel: str
    user_id: str

    async def say(self, text: str) -> str:
        """Type a message; return what the bot answered, as plain text."""
        ...

    async def choose(self, label: str) -> str:
        """Answer with the option labelled ``label`` (a button, or its words typed)."""
        ...

    async def contact(self, phone: str) -> str:
        """Share a phone number as a contact."""
        ...

    async def photo(self) -> str:
        """Send a photo."""
        ...

    async def voice(self) -> str:
        """Send a voice message."""
        ...

    async def document(self, name: str, size: int) -> str:
        """Send a document called ``name`` of ``size`` bytes."""
        ...

    async def sticker(self) -> str:
        """Send a sticker."""
        ...

    async def location(self) -> str:
        """Share a location."""
        ...

    async def notifications(self) -> str:
        """Deliver the outbox; return what this person was told."""
        ...


class TelegramDriver:
    """A Telegram user on the offline fake Bot API."""

    channel = "telegram"

    def __init__(self, bot: TelegramHarness, user: int) -> None:
        self.bot = bot
        self.app = bot.app
        self.user = user
        self.user_id = str(user)

    @staticmethod
    def _texts(sent: list[object]) -> str:
        return "\n".join(getattr(message, "text", "") for message in sent)

    async def say(self, text: str) -> str:
        return self._texts(list(await self.bot.text(self.user, text)))

    async def choose(self, label: str) -> str:
        return self._texts(list(await self.bot.press(self.user, label)))

    async def contact(self, phone: str) -> str:
        telegram_phone = "84" + phone[1:] if phone.startswith("0") else phone
        return self._texts(list(await self.bot.send(
            self.bot.api.contact_update(self.user, telegram_phone))))

    async def photo(self) -> str:
        return self._texts(list(await self.bot.send(self.bot.api.photo_update(self.user))))

    async def voice(self) -> str:
        return self._texts(list(await self.bot.send(self.bot.api.voice_update(self.user))))

    async def document(self, name: str, size: int) -> str:
        mime = "application/pdf" if name.endswith(".pdf") else "application/octet-stream"
        return self._texts(list(await self.bot.send(
            self.bot.api.document_update(self.user, name, mime, size))))

    async def sticker(self) -> str:
        return self._texts(list(await self.bot.send(self.bot.api.sticker_update(self.user))))

    async def location(self) -> str:
        return self._texts(list(await self.bot.send(self.bot.api.location_update(self.user))))

    async def notifications(self) -> str:
        before = len(self.bot.api.sent_to(self.user))
        await self.bot.drain_outbox()
        return "\n".join(m.text for m in self.bot.api.sent_to(self.user)[before:])


class TerminalDriver:
    """A person typing in the terminal channel."""

    channel = "terminal"

    def __init__(self, bot: TerminalHarness, folder: Path) -> None:
        self.bot = bot
        self.app = bot.app
        self.user_id = bot.channel.user_id
        self.folder = folder

    async def say(self, text: str) -> str:
        return await self.bot.type(text)

    async def choose(self, label: str) -> str:
        return await self.bot.type(label)

    async def contact(self, phone: str) -> str:
        return await self.bot.type(f"/contact {phone}")

    def _file(self, name: str, size: int) -> Path:
        path = self.folder / name
        with path.open("wb") as handle:
            handle.truncate(size)  # sparse: a large file costs no disk
        return path

    async def photo(self) -> str:
        return await self.bot.type(f"/file {self._file('anh.jpg', 120_000)}")

    async def voice(self) -> str:
        return await self.bot.type(f"/file {self._file('ghi_am.ogg', 40_000)}")

    async def document(self, name: str, size: int) -> str:
        return await self.bot.type(f"/file {self._file(name, size)}")

    async def sticker(self) -> str:
        return await self.bot.type("/sticker")

    async def location(self) -> str:
        return await self.bot.type("/location 21.85 106.76")

    async def notifications(self) -> str:
        # The terminal prints notifications after each line: an empty line delivers them.
        return await self.bot.type("")


@asynccontextmanager
async def driver(channel: str, settings: Settings, folder: Path, *, user: int = 501,
                 clock: FixedClock | None = None,
                 api: FakeBotApi | None = None) -> AsyncIterator[Driver]:
    """Run the bot on ``channel`` and yield a person talking to it.

    Pass the same ``api`` to runs on one database: update ids then stay unique.
    """
    chosen = clock or FixedClock(DEFAULT_NOW)
    if channel == "telegram":
        async with telegram_bot(settings, chosen, api) as bot:
            yield TelegramDriver(bot, user)
    else:
        async with terminal_bot(settings, str(user), chosen) as terminal:
            yield TerminalDriver(terminal, folder)


async def agree(person: Driver) -> str:
    """Start, agree to the data notice, decline reminders."""
    await person.say("/start")
    await person.choose("Tôi đồng ý")
    return await person.choose("Không, cảm ơn")


def code_in(text: str) -> str:
    """Return the tracking code a text shows."""
    found = CODE.search(text)
    assert found is not None, f"no tracking code in {text!r}"
    return found.group(0)


@dataclass(frozen=True)
class Stored:
    """A petition as stored, with everything kept apart from it."""

    petition: Petition
    identity: PersonIdentity | None
    denouncer: PersonIdentity | None
    representatives: tuple[Representative, ...]
    denouncer_representatives: tuple[Representative, ...]
    files: list[PetitionFile]
    events: list[PetitionEvent]


async def stored(app: App, code: str) -> Stored:
    """Read a petition and its parts straight from the database."""
    async with app.database.transaction() as conn:
        petition = await petition_store.get_by_code(conn, code)
        assert petition is not None, f"{code} is not stored"
        return Stored(
            petition=petition,
            identity=await petition_store.identity(conn, petition.id, protected=False),
            denouncer=await petition_store.identity(conn, petition.id, protected=True),
            representatives=await petition_store.representatives(conn, petition.id,
                                                                 protected=False),
            denouncer_representatives=await petition_store.representatives(
                conn, petition.id, protected=True),
            files=await petition_store.files(conn, petition.id),
            events=await petition_store.events(conn, petition.id),
        )


async def state_of(person: Driver) -> ConversationState:
    """Return the person's saved conversation state."""
    async with person.app.database.transaction() as conn:
        return await conversation_store.load_state(conn, person.channel, person.user_id)


async def count_petitions(app: App) -> int:
    """Return how many petitions are stored."""
    async with app.database.transaction() as conn:
        rows = list(await conn.execute_fetchall("SELECT COUNT(*) AS n FROM petitions"))
    return int(rows[0]["n"])


@asynccontextmanager
async def services_as(app: App, actor: Actor) -> AsyncIterator[Services]:
    """Yield services acting as ``actor``, in one transaction."""
    async with app.database.transaction() as conn:
        yield app.dialog.services_for(conn, actor)


# -- the scripted petitions, in Vietnamese, as an elderly person might type them ---------------

async def file_complaint(person: Driver) -> str:
    """File a complaint no body has decided yet, with files and one change from the review;
    return the receipt."""
    await person.choose("Gửi đơn")
    await person.choose("Khiếu nại")
    await person.say("Quyết định số 12/QĐ-UBND của UBND xã Hoàng Văn Thụ")
    await person.say("phuong tam thanh")
    await person.say("Xã thu hồi đất nhà tôi mà không báo trước.")
    await person.photo()
    await person.say("Tôi đã nhiều lần lên xã hỏi nhưng chưa được trả lời.")
    await person.choose("Xong, tôi đã kể hết")
    await person.say("Hủy quyết định thu hồi đất")
    await person.choose("Chưa có cơ quan nào giải quyết")
    await person.choose("Chỉ mình tôi")
    await person.voice()
    await person.document("don.pdf", 50_000)
    await person.choose("Xong")
    await person.say("nguyen van an")
    await person.contact("0912345678")
    await person.say("001085012345")
    review = await person.say("Thôn Nà Pàn, xã Hoàng Văn Thụ")
    assert "Ông/bà vui lòng xem lại đơn trước khi gửi" in review
    await person.choose("Sửa một mục")
    await person.choose("Việc bị khiếu nại")
    edited = await person.say("Quyết định số 15/QĐ-UBND của UBND xã Hoàng Văn Thụ")
    assert "Quyết định số 15/QĐ-UBND" in edited, edited
    return await person.choose("Gửi đơn")


async def file_denunciation(person: Driver) -> tuple[str, str]:
    """File a denunciation; return the protection notice and the receipt."""
    await person.choose("Gửi đơn")
    await person.choose("Tố cáo")
    await person.say("Ông Nguyễn Văn B, cán bộ địa chính xã Tân Thành")
    await person.say("Kỳ Lừa")
    await person.say("Ông B đòi 5 triệu đồng mới làm giấy chứng nhận quyền sử dụng đất.")
    await person.choose("Xong, tôi đã kể hết")
    await person.say("Kiểm tra, xử lý ông B")
    await person.choose("Đã có quyết định hoặc trả lời lần đầu")
    await person.say("Thanh tra tỉnh, năm 2025")
    await person.choose("Chỉ mình tôi")
    notice = await person.choose("Không có tài liệu")
    await person.choose("Tôi hiểu, tiếp tục")
    await person.say("Trần Thị Bình")
    await person.contact("0987654321")
    await person.say("079185012345")
    review = await person.say("Số 5 đường Bà Triệu, phường Đông Kinh")
    assert "Danh tính của ông/bà được giữ bí mật" in review
    return notice, await person.choose("Gửi đơn")


async def file_anonymous_recommendation(person: Driver) -> str:
    """File a recommendation without a name; return the receipt."""
    await person.choose("Gửi đơn")
    await person.choose("Kiến nghị")
    await person.say("Đường vào thôn Nà Pàn bị hỏng")
    await person.choose("Không thuộc riêng xã, phường nào")
    await person.say("Đường đất, mùa mưa trẻ em không đi học được.")
    await person.say("xong")
    await person.say("Đề nghị làm đường bê tông trước mùa mưa.")
    await person.choose("Chưa có cơ quan nào giải quyết")
    await person.choose("Chỉ mình tôi")
    await person.choose("Không có tài liệu")
    review = await person.choose("Gửi không ghi tên")
    assert "Người gửi: không ghi tên" in review
    return await person.choose("Gửi đơn")


async def file_group_report(person: Driver) -> str:
    """File a report of seven people with two representatives; return the receipt."""
    await person.choose("Gửi đơn")
    await person.choose("Phản ánh")
    await person.say("Bãi rác tự phát gần chợ Đông Kinh")
    await person.say("dong kinh")
    await person.say("Rác đổ ra đường đã ba tháng, bốc mùi.")
    await person.choose("Xong, tôi đã kể hết")
    await person.say("Dọn bãi rác và đặt thùng rác")
    await person.choose("Chưa có cơ quan nào giải quyết")
    await person.choose("Nhiều người cùng đứng tên")
    group = await person.say("7 người")
    assert "đơn đông người" in group, group
    assert "nhiều nhất 2 người" in group, group
    await person.say("Lê Văn Cường")
    await person.say("0911222333")
    await person.choose("Thêm người đại diện")
    await person.say("Phạm Thị Dung")
    enough = await person.say("0388777666")
    assert "Đã đủ 2 người đại diện" in enough, enough
    await person.choose("Không có tài liệu")
    await person.choose("Ghi tên")
    await person.say("Lê Văn Cường")
    await person.contact("0911222333")
    await person.say("020090012345")
    review = await person.say("Số 2 Lê Lợi, phường Đông Kinh")
    assert "Số người đứng tên: 7 (đơn đông người)" in review
    return await person.choose("Gửi đơn")
