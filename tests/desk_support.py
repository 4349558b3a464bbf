"""Set up the office side of petition processing in tests: staff, petitions, people."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.domain.identity import Cccd, Phone, cccd_digest, parse_cccd, parse_phone, seal
from bot.domain.person import PersonIdentity
from bot.domain.petitions import NewPetition, Petition, PetitionType, PriorStage, Status
from bot.domain.users import Role
from bot.i18n import translation
from bot.services import Actor
from bot.services.petitions import status_label
from bot.services.staff import CLI_CHANNEL
from bot.storage import audit as audit_store
from bot.storage import outbox as outbox_store
from bot.storage.audit import AuditEntry
from handlers import staff as staff_handlers
from tests.fakebotapi import SentMessage
from tests.harness import DEFAULT_NOW, TelegramHarness

ADMIN = 1001  # named in the settings
STAFF = 2002
OTHER_STAFF = 2003
LEADER = 3003
CITIZEN = 4004
SETTINGS: dict[str, Any] = {"admins": [f"telegram:{ADMIN}"]}
DENIED = "không có quyền dùng chức năng này"


async def give_role(bot: TelegramHarness, user_id: int, role: Role,
                    site: str | None = None) -> None:
    """Give a Telegram user a role (as the command line does) and deliver the notice."""
    await bot.text(user_id, "/start")
    async with bot.app.database.transaction() as conn:
        services = bot.app.dialog.services_for(conn, Actor(CLI_CHANNEL, "test", Role.ADMIN))
        change = await services.staff.assign("telegram", str(user_id), role, site, "set-up")
        await staff_handlers.announce(services, change)
    await bot.drain_outbox()


def person(name: str, phone: str, cccd: str, address: str = "Thôn Nà Pàn",
           key: str = "test-secret-key-0123456789abcdef") -> PersonIdentity:
    """Return an identity protected the way the bot protects one (real digest and seal)."""
    parsed_phone = parse_phone(phone)
    parsed_cccd = parse_cccd(cccd, today=DEFAULT_NOW.date())
    assert isinstance(parsed_phone, Phone)
    assert isinstance(parsed_cccd, Cccd)
    return PersonIdentity(full_name=name, phone_e164=parsed_phone.e164,
                          phone_masked=parsed_phone.masked,
                          cccd_digest=cccd_digest(parsed_cccd.number, key.encode()),
                          cccd_masked=parsed_cccd.masked,
                          cccd_sealed=seal(parsed_cccd.number, key.encode()), address=address)


AN = person("Nguyễn Văn An", "0912345678", "001085012345")
BINH = person("Trần Thị Bình", "0987654321", "079185012345")
CUONG = person("Lê Văn Cường", "0911222333", "020090012345")


def petition(kind: PetitionType = PetitionType.COMPLAINT, **changes: Any) -> NewPetition:
    """Return a complete petition of ``kind``, with ``changes``."""
    new = NewPetition(
        kind=kind, respondent="UBND xã Tân Thành", place_code=None, place_text=None,
        content="Xã thu hồi đất ruộng của gia đình tôi ở thôn Nà Pàn mà không bồi thường, "
                "không thông báo trước, làm gia đình mất nguồn sống.",
        request="Hủy quyết định thu hồi đất", prior_stage=PriorStage.NONE, prior_body=None,
        people=1, identity=AN,
    )
    return replace(new, **changes)


async def submit(bot: TelegramHarness, user_id: int, new: NewPetition,
                 received_at: datetime | None = None) -> Petition:
    """File ``new`` from the Telegram citizen ``user_id`` through the petition service."""
    async with bot.app.database.transaction() as conn:
        system = bot.app.dialog.services_for(conn, Actor.system())
        user = await system.users.arrive("telegram", str(user_id), str(user_id), None)
        services = bot.app.dialog.services_for(conn, Actor("telegram", str(user_id),
                                                           Role.CITIZEN))
        return await services.petitions.submit(user, new, received_at or bot.clock.now())


async def audit(bot: TelegramHarness, action: str) -> list[AuditEntry]:
    """Return the audit entries of one action, newest first."""
    async with bot.app.database.transaction() as conn:
        return await audit_store.entries(conn, action)


async def notices(bot: TelegramHarness, user_id: int) -> str:
    """Deliver the outbox; return what ``user_id`` was told, as plain text."""
    before = len(bot.api.sent_to(user_id))
    await bot.drain_outbox()
    return "\n".join(m.text for m in bot.api.sent_to(user_id)[before:])


async def outbox_kinds(bot: TelegramHarness, user_id: int) -> list[str]:
    """Return the kinds of the outbox messages queued for ``user_id``."""
    async with bot.app.database.transaction() as conn:
        rows = await outbox_store.due(conn, bot.clock.now(), ("telegram",), 1000)
    return [row.kind for row in rows if row.chat_id == str(user_id)]


def vi_status(status: Status) -> str:
    """Return a status as the Vietnamese catalogue names it."""
    with translation("vi"):
        return status_label(status)


def texts(sent: list[SentMessage]) -> str:
    """Return the texts of the messages sent, one after the other."""
    return "\n".join(message.text for message in sent)


async def press_all(bot: TelegramHarness, user_id: int, *labels: str) -> str:
    """Press buttons one after the other; return everything the bot answered."""
    answered = []
    for label in labels:
        answered.append(texts(await bot.press(user_id, label)))
    return "\n".join(answered)
