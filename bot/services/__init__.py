"""Use cases: the rules applied to stored data, inside the caller's transaction."""

from __future__ import annotations

from functools import cached_property

from bot.services.audit import AuditService
from bot.services.bookings import BookingService
from bot.services.context import Actor, ServiceContext
from bot.services.identity import IdentityService
from bot.services.links import LinkService
from bot.services.outbox import OutboxService
from bot.services.petition_register import PetitionRegisterService
from bot.services.petitions import PetitionService
from bot.services.processing import ProcessingService
from bot.services.register import RegisterService
from bot.services.reports import ReportService
from bot.services.search import SearchService
from bot.services.staff import StaffService
from bot.services.users import UserService

__all__ = ["Actor", "ServiceContext", "Services"]


class Services:
    """Every service, bound to one transaction; built cheaply for each turn or job."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @cached_property
    def audit(self) -> AuditService:
        """The audit log."""
        return AuditService(self.ctx)

    @cached_property
    def users(self) -> UserService:
        """Channel users, roles, languages and consent."""
        return UserService(self.ctx, self.audit)

    @cached_property
    def identity(self) -> IdentityService:
        """Phone and CCCD validation, protection, and saved identities."""
        return IdentityService(self.ctx, self.audit)

    @cached_property
    def outbox(self) -> OutboxService:
        """Messages that are not direct replies."""
        return OutboxService(self.ctx)

    @cached_property
    def staff(self) -> StaffService:
        """Staff roles, invitations and reception sites."""
        return StaffService(self.ctx, self.audit)

    @cached_property
    def links(self) -> LinkService:
        """How each channel opens the bot with a /start argument."""
        return LinkService(self.ctx)

    @cached_property
    def bookings(self) -> BookingService:
        """Reception bookings, leaders' days, waiting lists and reminders."""
        return BookingService(self.ctx, self.users, self.outbox, self.identity, self.audit)

    @cached_property
    def petitions(self) -> PetitionService:
        """Petitions: submit, look up, move through statuses."""
        return PetitionService(self.ctx, self.audit, self.identity, self.outbox, self.users)

    @cached_property
    def register(self) -> RegisterService:
        """The day's queue and the reception register (Sổ tiếp công dân)."""
        return RegisterService(self.ctx, self.audit, self.bookings, self.petitions,
                               self.identity)

    @cached_property
    def processing(self) -> ProcessingService:
        """Petition processing by staff: inbox, card, classification, moves, assignment."""
        return ProcessingService(self.ctx, self.audit, self.petitions, self.staff, self.outbox)

    @cached_property
    def search(self) -> SearchService:
        """Staff search by code, phone, CCCD or name."""
        return SearchService(self.ctx, self.audit, self.identity)

    @cached_property
    def petition_register(self) -> PetitionRegisterService:
        """The petition register: export for a period, import of an earlier list."""
        return PetitionRegisterService(self.ctx, self.audit, self.identity)

    @cached_property
    def reports(self) -> ReportService:
        """Officials' summaries, files, subscriptions, digests and deadline alerts."""
        return ReportService(self.ctx, self.audit, self.outbox, self.users, self.staff)
