"""Petitions: submit, list, look up by code (with the phone check), move through statuses.

Every status change is recorded (who, when, from, to, note, document, deadline) and told to
the citizen through the outbox, in their language, with what it means for them. A
denouncer's identity is read only through ``identity_of``, which checks the role and audits
each view.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from bot.domain.codes import PETITION_PREFIX, new_code
from bot.domain.messages import Reply
from bot.domain.person import PersonIdentity
from bot.domain.petitions import (
    WAITING_ON_OTHERS,
    AttachmentLimits,
    Deadline,
    NewPetition,
    Petition,
    PetitionEvent,
    PetitionType,
    PriorStage,
    Representative,
    Status,
    check_move,
    deadline_for_move,
    is_group,
    max_representatives,
    receipt_deadline,
    same_respondent,
    skips_level,
)
from bot.domain.places import Directory, PlaceMatch
from bot.domain.text import topic_summary
from bot.domain.users import ChannelUser
from bot.i18n import _, format_date
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.services.identity import IdentityService
from bot.services.lookups import LookupGuard
from bot.services.lookups import LookupOutcome as LookupOutcome
from bot.services.lookups import LookupStep as LookupStep
from bot.services.outbox import OutboxService
from bot.services.users import UserService
from bot.storage import petitions as store
from bot.storage import register as register_store

MAX_CODE_ATTEMPTS = 8
MINE_SHOWN = 10
KIND_STATUS_CHANGE = "petition.status"
# Moves whose note is written for the citizen (the reason, the result) and sent to them;
# the notes of other moves stay inside the office.
SUBJECT_CHARS = 120  # «About» of a petition handed in at a visit: the summary's opening
NOTE_TOLD = frozenset({Status.ARCHIVED, Status.REJECTED, Status.RESOLVED})


# --- What things mean to a citizen ---------------------------------------------------------

def esc(text: object) -> str:
    """Escape stored text for the HTML a Reply carries."""
    return html.escape(str(text), quote=False)


def type_label(kind: PetitionType) -> str:
    """Return the name of a petition type, as a citizen knows it."""
    return {
        PetitionType.COMPLAINT: _("Complaint"),
        PetitionType.DENUNCIATION: _("Denunciation"),
        PetitionType.RECOMMENDATION: _("Recommendation"),
        PetitionType.REPORT: _("Report"),
    }[kind]


def stage_label(stage: PriorStage) -> str:
    """Return how far the matter was handled before, in plain words."""
    return {
        PriorStage.NONE: _("No authority has dealt with it yet"),
        PriorStage.FIRST: _("A first decision or answer exists"),
        PriorStage.SECOND: _("A second decision exists"),
        PriorStage.COURT: _("A court has ruled on it"),
    }[stage]


def status_label(status: Status) -> str:
    """Return a status in a few words."""
    return {
        Status.RECEIVED: _("Received"),
        Status.CLASSIFYING: _("Being classified"),
        Status.ARCHIVED: _("Filed without handling"),
        Status.GUIDED: _("Directed to the competent body"),
        Status.FORWARDED: _("Forwarded to the competent body"),
        Status.AWAITING_FEEDBACK: _("Waiting for the competent body's answer"),
        Status.FEEDBACK_RECEIVED: _("The competent body has answered"),
        Status.CHASED: _("The lower level was urged to act"),
        Status.UNDER_REVIEW: _("Being considered for acceptance"),
        Status.ACCEPTED: _("Accepted for handling"),
        Status.REJECTED: _("Not accepted"),
        Status.VERIFYING: _("Being verified"),
        Status.EXTENDED: _("Handling time extended"),
        Status.SUSPENDED: _("Handling suspended"),
        Status.TERMINATED: _("Handling ended"),
        Status.RESOLVED: _("Resolved"),
        Status.WITHDRAWN: _("Withdrawn"),
        Status.MERGED: _("Joined with another petition"),
    }[status]


def status_meaning(status: Status, *, agency: str | None, due: date | None,
                   merged_code: str | None = None) -> str:
    """Return what a status means for the citizen and what, if anything, they should do."""
    body = esc(agency) if agency else _("the competent body")
    if status is Status.RECEIVED:
        return _("The office has your petition. Staff will read and classify it.")
    if status is Status.CLASSIFYING:
        return _("Staff are reading your petition to decide who should handle it. You do not "
                 "need to do anything for now.")
    if status is Status.ARCHIVED:
        return _("Your petition has been filed without further handling, for the reason the "
                 "office gives. If you have new facts or documents, you may send a new petition "
                 "or contact the office.")
    if status is Status.GUIDED:
        return _("This matter is for another body to decide. Please send your petition to: "
                 "{body}. The office will explain how if you ask.").format(body=body)
    if status is Status.FORWARDED:
        return _("The office has sent your petition to {body}, which can decide on it. That "
                 "body will answer you.").format(body=body)
    if status is Status.AWAITING_FEEDBACK:
        return _("The office is waiting for {body} to report what it decided.").format(body=body)
    if status is Status.FEEDBACK_RECEIVED:
        return _("The body that handled your petition has reported its answer. You will get "
                 "the answer in writing.")
    if status is Status.CHASED:
        return _("The office has asked {body} in writing to deal with your petition without "
                 "further delay.").format(body=body)
    if status is Status.UNDER_REVIEW:
        return _("The office is checking whether your petition can be accepted for handling.")
    if status is Status.ACCEPTED:
        text = _("Your petition has been accepted: the competent authority will deal with it.")
        if due is not None:
            text += " " + _("It must be resolved by {date}.").format(date=format_date(due,
                                                                                      "weekday"))
        return text
    if status is Status.REJECTED:
        return _("Your petition cannot be accepted for handling. The letter sent to you gives "
                 "the reason; you may contact the office to have it explained.")
    if status is Status.VERIFYING:
        return _("The facts are being verified. You may be invited to a meeting or asked for "
                 "more documents.")
    if status is Status.EXTENDED:
        text = _("The time for handling your petition has been extended, as the law allows "
                 "for complex cases.")
        if due is not None:
            text += " " + _("The new deadline is {date}.").format(date=format_date(due,
                                                                                  "weekday"))
        return text
    if status is Status.SUSPENDED:
        return _("Handling is paused for now, for a reason the law provides. You will be told "
                 "when it resumes.")
    if status is Status.TERMINATED:
        return _("Handling of your petition has ended without a decision on its content (for "
                 "example, because it was withdrawn or can no longer be handled).")
    if status is Status.RESOLVED:
        return _("A decision or conclusion has been issued on your petition. You will receive "
                 "it in writing. If you disagree, you may have the right to take the matter "
                 "further; the office can tell you how.")
    if status is Status.WITHDRAWN:
        return _("Your petition has been withdrawn, as you asked.")
    if merged_code:
        return _("Your petition has been joined with your petition {code} on the same matter; "
                 "follow that one from now on.").format(code=merged_code)
    return _("Your petition has been joined with another petition on the same matter. You "
             "will be told the result.")


# --- Results of the service ----------------------------------------------------------------

@dataclass(frozen=True)
class StatusView:
    """What a lookup shows: the petition and its recorded status changes."""

    petition: Petition
    events: tuple[PetitionEvent, ...]
    own: bool  # looked up from the account that filed it


@dataclass(frozen=True)
class IdentityView:
    """Who sent a petition, as a staff member may see it; withheld from roles not allowed."""

    withheld: bool
    identity: PersonIdentity | None
    representatives: tuple[Representative, ...]


class PetitionService:
    """Submit petitions, show them to whoever may see them, and move them through statuses."""

    def __init__(self, ctx: ServiceContext, audit: AuditService, identity: IdentityService,
                 outbox: OutboxService, users: UserService) -> None:
        self._ctx = ctx
        self._audit = audit
        self._identity = identity
        self._outbox = outbox
        self._users = users

    # -- rules the flow asks about ---------------------------------------------------------

    def today(self) -> date:
        """Return today's date in the office's time zone."""
        return self._ctx.now.astimezone(self._ctx.settings.tz).date()

    def is_group(self, people: int) -> bool:
        """Tell whether ``people`` make a group petition today."""
        return is_group(people, self._ctx.settings.rules, self.today())

    def max_representatives(self, people: int) -> int:
        """Return how many representatives a group of ``people`` may choose today."""
        return max_representatives(people, self._ctx.settings.rules, self.today())

    def attachment_limits(self) -> AttachmentLimits:
        """Return the configured limits on files sent with a petition."""
        settings = self._ctx.settings.petitions
        return AttachmentLimits(
            max_count=settings.max_attachments,
            max_bytes=settings.max_attachment_mb * 1024 * 1024,
            kinds=settings.attachment_kinds,
            document_extensions=settings.document_extensions,
        )

    @cached_property
    def _directory(self) -> Directory:
        return Directory(self._ctx.settings.province_code)

    @property
    def province_name(self) -> str:
        """Return the name of the configured province."""
        return self._directory.province_name

    def match_place(self, text: str) -> PlaceMatch:
        """Return the commune or ward of the province a typed name gives, or the closest."""
        return self._directory.match(text)

    def place_name(self, code: int | None) -> str | None:
        """Return the name of the unit with ``code`` ("Phường Tam Thanh"), if there is one."""
        unit = self._directory.by_code(code) if code is not None else None
        return unit.name if unit is not None else None

    # -- submitting ------------------------------------------------------------------------

    async def submit(self, user: ChannelUser, new: NewPetition, received_at: datetime) -> Petition:
        """Store a petition received at ``received_at`` (the message's own time); return it.

        The tracking code is created here, in the caller's transaction, so it is stored
        before anyone is shown it. A code that happens to be taken is drawn again.
        """
        conn = self._ctx.conn
        settings = self._ctx.settings
        received_on = received_at.astimezone(settings.tz).date()
        self._check_complete(new, received_on)
        due = receipt_deadline(new.kind, received_on, settings.rules, settings.calendar)
        group = is_group(new.people, settings.rules, received_on)
        repeat = await self._earlier_on_same_matter(user, new)
        petition_id: int | None = None
        code = ""
        for _attempt in range(MAX_CODE_ATTEMPTS):
            code = new_code(PETITION_PREFIX)
            petition_id = await store.insert_petition(
                conn, code=code, new=new, channel=user.channel, user_id=user.user_id,
                received_at=received_at, status=Status.RECEIVED, is_group=group,
                skips_level=skips_level(new.kind, new.prior_stage), due=due,
                repeat_of=repeat.id if repeat else None, now=self._ctx.now,
            )
            if petition_id is not None:
                break
        if petition_id is None:
            raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")
        protected = new.kind.identity_protected
        if new.identity is not None:
            await store.insert_identity(conn, petition_id, new.identity, protected=protected)
            if not protected:
                # A denouncer's identity stays only in its protected table.
                await self._identity.keep(user, new.identity)
        await store.insert_representatives(conn, petition_id, new.representatives,
                                           protected=protected)
        await store.insert_files(conn, petition_id, new.files)
        actor = self._ctx.actor
        await store.insert_event(conn, petition_id, PetitionEvent(
            at=received_at, actor_channel=actor.channel, actor_user_id=actor.user_id,
            actor_role=actor.role.value if actor.role else None, from_status=None,
            to_status=Status.RECEIVED, due=due,
        ))
        if new.related_code:
            first = await store.get_by_code(conn, new.related_code)
            if first is not None and first.filed_by(user.channel, user.user_id):
                await store.link(conn, first.id, code, self._ctx.now)
        await self._audit.record("petition.submit", code, kind=new.kind.value,
                                 group=group, anonymous=new.identity is None,
                                 skips_level=skips_level(new.kind, new.prior_stage))
        petition = await store.get_by_code(conn, code)
        assert petition is not None  # noqa: S101 - inserted above, same transaction
        return petition

    async def file_at_visit(self, *, kind: PetitionType, identity: PersonIdentity,
                            summary: str, prior_body: str | None, people: int, site_id: str,
                            case_id: int | None, received_at: datetime) -> Petition:
        """Store a written petition a citizen handed in at a reception (staff only).

        It has no chat account; its source is 'visit', its content the visit's summary, and
        its first deadline the one its type is owed from the day of the visit. The code is
        shown to staff, who write it on the receipt (Giấy biên nhận).
        """
        actor = self._ctx.actor
        if actor.role is None or not actor.role.is_staff:
            await self._audit.record("access.denied", "petition.file_at_visit",
                                     role=actor.role.value if actor.role else None)
            raise PermissionError("only the office's staff record a petition handed in")
        if kind.identity_required and not (identity.full_name and identity.address):
            raise ValueError(f"a {kind.value} needs the sender's name and address")
        if not summary.strip():
            raise ValueError("a petition needs content")
        conn = self._ctx.conn
        settings = self._ctx.settings
        received_on = received_at.astimezone(settings.tz).date()
        due = receipt_deadline(kind, received_on, settings.rules, settings.calendar)
        stage = PriorStage.FIRST if prior_body else PriorStage.NONE
        # «About»: the summary's opening; the body that handled it before is its own field.
        new = NewPetition(kind=kind, respondent=topic_summary(summary, SUBJECT_CHARS),
                          place_code=None,
                          place_text=None, content=summary, request="", prior_stage=stage,
                          prior_body=prior_body, people=people, identity=identity)
        phone = identity.phone_e164
        petition_id: int | None = None
        code = ""
        for _attempt in range(MAX_CODE_ATTEMPTS):
            code = new_code(PETITION_PREFIX)
            petition_id = await store.insert_petition(
                conn, code=code, new=new, channel=None, user_id=None, received_at=received_at,
                status=Status.RECEIVED, is_group=is_group(people, settings.rules, received_on),
                skips_level=skips_level(kind, stage), due=due,
                repeat_of=None, now=self._ctx.now,
            )
            if petition_id is not None:
                break
        if petition_id is None:
            raise RuntimeError(f"no free tracking code after {MAX_CODE_ATTEMPTS} attempts")
        await store.insert_identity(conn, petition_id, identity,
                                    protected=kind.identity_protected)
        await register_store.mark_petition_from_visit(
            conn, petition_id, site_id=site_id, case_id=case_id,
            full_name=None if kind.identity_protected else identity.full_name,
            phone_e164=None if kind.identity_protected else phone)
        await store.insert_event(conn, petition_id, PetitionEvent(
            at=received_at, actor_channel=actor.channel, actor_user_id=actor.user_id,
            actor_role=actor.role.value, from_status=None, to_status=Status.RECEIVED, due=due,
        ))
        await self._audit.record("petition.submit", code, kind=kind.value, source="visit",
                                 site=site_id)
        petition = await store.get_by_code(conn, code)
        assert petition is not None  # noqa: S101 - inserted above, same transaction
        return petition

    def _check_complete(self, new: NewPetition, received_on: date) -> None:
        if new.kind.identity_required:
            person = new.identity
            # The identity number may be missing: the office checks a paper in person.
            if person is None or not person.complete:
                raise ValueError(f"a {new.kind.value} needs the sender's full identity")
        if not (new.content.strip() or new.files):
            raise ValueError("a petition needs content, typed or sent as files")
        rules = self._ctx.settings.rules
        if is_group(new.people, rules, received_on):
            allowed = max_representatives(new.people, rules, received_on)
            if not 1 <= len(new.representatives) <= allowed:
                raise ValueError(f"a group of {new.people} needs 1 to {allowed} representatives")
        elif new.representatives:
            raise ValueError("only a group petition has representatives")

    async def _earlier_on_same_matter(self, user: ChannelUser,
                                      new: NewPetition) -> Petition | None:
        digest = new.identity.cccd_digest if new.identity else None
        for earlier in await store.earlier_from(self._ctx.conn, new.kind, user.channel,
                                                user.user_id, digest):
            if same_respondent(earlier.respondent, new.respondent):
                return earlier
        return None

    # -- following a petition --------------------------------------------------------------

    async def mine(self, user: ChannelUser) -> list[Petition]:
        """Return the petitions this account filed, the latest first."""
        return await store.filed_by(self._ctx.conn, user.channel, user.user_id, MINE_SHOWN)

    async def _view(self, petition: Petition, *, own: bool) -> StatusView:
        events = await store.events(self._ctx.conn, petition.id)
        return StatusView(petition, tuple(events), own)

    @cached_property
    def _guard(self) -> LookupGuard:
        return LookupGuard(self._ctx, self._audit)

    async def own(self, user: ChannelUser, code: str) -> Petition | None:
        """Return petition ``code`` if this account filed it (else None, whether it exists)."""
        petition = await store.get_by_code(self._ctx.conn, code)
        if petition is None or not petition.filed_by(user.channel, user.user_id):
            return None
        return petition

    async def open_status(self, user: ChannelUser, code: str) -> LookupOutcome[StatusView]:
        """Show the petition to the account that filed it; others must pass the phone check.

        Whether the code exists is never told to anyone but its owner.
        """
        petition = await self.own(user, code)
        if petition is not None:
            return LookupOutcome(LookupStep.SHOWN, view=await self._view(petition, own=True))
        return await self._guard.opening(user)

    async def check_phone(self, user: ChannelUser, code: str,
                          last_four: str) -> LookupOutcome[StatusView]:
        """Check the last four digits of a phone given in petition ``code``; count misses.

        The sender's phone and each representative's are accepted.
        """
        conn = self._ctx.conn
        petition = await store.get_by_code(conn, code)
        if petition is not None and petition.filed_by(user.channel, user.user_id):
            return LookupOutcome(LookupStep.SHOWN, view=await self._view(petition, own=True))
        phones = await store.lookup_phones(conn, petition.id) if petition else []
        checked = await self._guard.check("petition", user, code, last_four, phones)
        if not checked.passed or petition is None:
            return checked.outcome()
        return LookupOutcome(LookupStep.SHOWN, view=await self._view(petition, own=False))

    async def forget_old_lookup_failures(self) -> int:
        """Delete wrong lookup answers too old to count any more; return how many."""
        return await self._guard.forget_old_failures()

    # -- staff: identity and status changes ------------------------------------------------

    async def _petition(self, code: str) -> Petition:
        petition = await store.get_by_code(self._ctx.conn, code)
        if petition is None:
            raise LookupError(f"no petition {code}")
        return petition

    async def identity_of(self, code: str) -> IdentityView:
        """Return who sent petition ``code``, to the office's roles only.

        A denouncer's identity is shown only to the roles allowed to see it
        (``petitions.denouncer_identity_roles``); every look at it is audited, withheld or not.
        """
        role = self._ctx.actor.role
        if role is None or not role.is_official:
            await self._audit.record("access.denied", f"petition.identity:{code}",
                                     role=role.value if role else None)
            raise PermissionError("only the office's staff see who sent a petition")
        petition = await self._petition(code)
        # A petition classified away from a denunciation keeps its sender protected.
        protected = (petition.kind.identity_protected
                     or await store.is_protected(self._ctx.conn, petition.id))
        if protected:
            allowed = role.value in self._ctx.settings.petitions.denouncer_identity_roles
            action = "view" if allowed else "withheld"
            await self._audit.record(f"petition.denouncer_identity.{action}", code,
                                     role=role.value)
            if not allowed:
                return IdentityView(withheld=True, identity=None, representatives=())
        conn = self._ctx.conn
        return IdentityView(
            withheld=False,
            identity=await store.identity(conn, petition.id, protected=protected),
            representatives=await store.representatives(conn, petition.id,
                                                         protected=protected),
        )

    async def transition(self, code: str, target: Status, *, note: str = "",
                         document_no: str | None = None, document_date: date | None = None,
                         agency: str | None = None,
                         merged_into: str | None = None) -> PetitionEvent:
        """Move petition ``code`` to ``target``, record the change, tell the citizen.

        Only the office's staff (or the system itself) may do this; the move must be one the
        rules allow, with the document, body or reason it needs.
        """
        actor = self._ctx.actor
        if actor.role is not None and not actor.role.is_staff:
            await self._audit.record("access.denied", f"petition.transition:{code}",
                                     role=actor.role.value)
            raise PermissionError("only the office's staff change a petition's status")
        conn = self._ctx.conn
        petition = await self._petition(code)
        check_move(petition.status, target, note=note, document_no=document_no, agency=agency,
                   merged_into=merged_into)
        merged_id = await self._merge_target(petition, merged_into)
        history = await store.events(conn, petition.id)
        accepted = [e.at for e in history if e.to_status is Status.ACCEPTED]
        tz = self._ctx.settings.tz
        due = deadline_for_move(
            petition.kind, petition.prior_stage, target, today=self.today(),
            accepted_on=accepted[-1].astimezone(tz).date() if accepted else None,
            current_due=petition.due.due_on if petition.due else None,
            rules=self._ctx.settings.rules, calendar=self._ctx.settings.calendar,
        )
        event = PetitionEvent(
            at=self._ctx.now, actor_channel=actor.channel, actor_user_id=actor.user_id,
            actor_role=actor.role.value if actor.role else None, from_status=petition.status,
            to_status=target, note=note.strip(), document_no=(document_no or "").strip() or None,
            document_date=document_date, agency=(agency or "").strip() or None, due=due,
        )
        event_id = await store.insert_event(conn, petition.id, event)
        # Forwarding or chasing gives the answer owed after receipt: no deadline of ours runs.
        await store.set_status(conn, petition.id, target, due=due,
                               clear_due=target.is_final or target in WAITING_ON_OTHERS,
                               merged_into=merged_id, now=self._ctx.now)
        await self._audit.record("petition.transition", code, from_status=petition.status.value,
                                 to_status=target.value, document_no=event.document_no)
        await self._tell_citizen(petition, event, event_id, due or petition.due, merged_into)
        return event

    async def _merge_target(self, petition: Petition, merged_into: str | None) -> int | None:
        if merged_into is None:
            return None
        other = await store.get_by_code(self._ctx.conn, merged_into)
        if other is None or other.id == petition.id or other.status is Status.MERGED:
            raise LookupError(f"cannot merge {petition.code} into {merged_into}")
        return other.id

    async def _tell_citizen(self, petition: Petition, event: PetitionEvent, event_id: int,
                            due: Deadline | None, merged_into: str | None) -> None:
        if petition.channel is None or petition.user_id is None:
            return  # filed at the office or imported: the office writes to the citizen
        citizen = await self._users.get(petition.channel, petition.user_id)
        if citizen is None:
            return
        # Another person's code is not told; the citizen's own is.
        own_merge = None
        if merged_into is not None:
            other = await store.get_by_code(self._ctx.conn, merged_into)
            if other is not None and other.filed_by(petition.channel, petition.user_id):
                own_merge = other.code

        def build() -> Reply:
            lines = [
                _("📬 News about your petition {code}:").format(
                    code=f"<code>{petition.code}</code>"),
                f"<b>{status_label(event.to_status)}</b>",
                status_meaning(event.to_status, agency=event.agency,
                               due=due.due_on if due else None, merged_code=own_merge),
            ]
            if event.note and event.to_status in NOTE_TOLD:
                if event.to_status is Status.RESOLVED:
                    lines.append(_("Result: {text}").format(text=esc(event.note)))
                else:
                    lines.append(_("Reason: {text}").format(text=esc(event.note)))
            if event.document_no:
                if event.document_date is not None:
                    lines.append(_("Document no. {number} of {date}.").format(
                        number=esc(event.document_no),
                        date=format_date(event.document_date, "short")))
                else:
                    lines.append(_("Document no. {number}.").format(
                        number=esc(event.document_no)))
            lines.append(_("To see the whole history, send /tracuu {code}").format(
                code=petition.code))
            return Reply(text="\n".join(lines))

        await self._outbox.send_to(citizen, KIND_STATUS_CHANGE, build,
                                   dedupe_key=f"petition-event:{event_id}")
