"""Petition processing by staff: the inbox, a petition's card, classification and every move.

Reading is for the office's roles (staff, leaders, admins); changing is for staff and admins,
checked here on every call. Status moves go through ``PetitionService.transition``, which
records who, when, the note and the document, and tells the citizen through the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from bot.domain.messages import Button, Reply, action_data
from bot.domain.petitions import (
    Competence,
    Field,
    Petition,
    PetitionEvent,
    PetitionFile,
    PetitionType,
    Source,
    Status,
    allowed_moves,
    extensions_allowed,
    receipt_deadline,
    same_respondent,
)
from bot.domain.processing import (
    IDENTITY_REASONS,
    Bucket,
    Classification,
    Count,
    Duplicate,
    DuplicateReason,
    ForwardRecord,
    InboxFilter,
    InboxTotals,
    PetitionNote,
    Scope,
    bucket_of,
    classifiable,
    default_site_filter,
    due_horizon,
    rank_duplicates,
    same_content,
    similar_content,
    suggested_moves,
    ties_senders,
    working_days_left,
)
from bot.domain.staff import StaffMember, user_key
from bot.domain.users import ChannelUser, Role
from bot.i18n import _, format_date, ngettext, translation
from bot.services.audit import AuditService
from bot.services.context import ServiceContext
from bot.services.outbox import OutboxService
from bot.services.petitions import (
    IdentityView,
    PetitionService,
    esc,
    status_label,
    type_label,
)
from bot.services.shield import ShieldService
from bot.services.staff import StaffService
from bot.storage import petitions as petition_store
from bot.storage import processing as store

ACTION_OPEN = "petition_open"  # a button that opens a petition's card (in assignment notices)
KIND_ASSIGNED = "petition.assigned"
PAGE_SIZE = 8
DUPLICATES_SHOWN = 5
NEARBY_DAYS = 365  # how far back petitions of the same commune are compared
NEARBY_COMPARED = 200
NOTES_SHOWN = 5
MAX_NOTE_CHARS = 2000
# Moves with a flow of their own (classification, merging), not offered as plain moves.
OWN_FLOW_MOVES = frozenset({Status.CLASSIFYING, Status.MERGED})


# -- words ---------------------------------------------------------------------------------------

def field_label(value: Field) -> str:
    """Return a field (lĩnh vực) as the office names it."""
    return {
        Field.LAND: _("Land"),
        Field.HOUSING: _("Housing"),
        Field.POLICY: _("Benefits and policies"),
        Field.CIVIL_SERVICE: _("Civil servants and public service"),
        Field.SOCIAL: _("Political, cultural and social"),
        Field.ADMINISTRATIVE_OTHER: _("Other administrative"),
        Field.JUSTICE: _("Justice"),
        Field.PARTY: _("Party and mass organisations"),
        Field.CORRUPTION: _("Corruption"),
    }[value]


def competence_label(value: Competence) -> str:
    """Return whose matter a petition is, in a few words."""
    return {
        Competence.OURS: _("Within our competence"),
        Competence.NOT_OURS: _("Not within our competence"),
        Competence.LOWER_LEVEL: _("For a lower level"),
    }[value]


def source_label(value: Source) -> str:
    """Return how a petition reached the office."""
    return {
        Source.CHAT: _("Online (chat)"),
        Source.VISIT: _("At the reception office"),
        Source.POST: _("By post"),
        Source.IMPORT: _("Imported from an earlier list"),
    }[value]


def reason_label(reason: DuplicateReason) -> str:
    """Return why another petition is suggested as the same matter."""
    return {
        DuplicateReason.SAME_CASE: _("same case"),
        DuplicateReason.REPEAT: _("marked as a repeat when sent"),
        DuplicateReason.SAME_CCCD: _("same CCCD number"),
        DuplicateReason.SAME_PHONE: _("same phone number"),
        DuplicateReason.SAME_RESPONDENT: _("same body or person complained about"),
        DuplicateReason.SIMILAR_CONTENT: _("similar content"),
    }[reason]


def scope_label(scope: Scope) -> str:
    """Return a group of statuses the inbox can show."""
    return {
        Scope.OPEN: _("Being handled"),
        Scope.OVERDUE: _("Overdue"),
        Scope.CLOSED: _("Closed"),
    }[scope]


# -- refusals ------------------------------------------------------------------------------------

class ActionRefusedError(Exception):
    """An action the rules do not allow now; ``message`` says why, for the staff member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- results -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox, with its totals and the dates its order depends on."""

    petitions: tuple[Petition, ...]
    totals: InboxTotals
    page: int
    pages: int
    today: date
    horizon: date

    def bucket(self, petition: Petition) -> Bucket:
        """Return where a listed petition falls in the order."""
        return bucket_of(petition, self.horizon)


@dataclass(frozen=True)
class PetitionCard:
    """Everything staff see of one petition, for the role looking at it."""

    petition: Petition
    identity: IdentityView  # a protected sender's is withheld here; reveal_sender shows it
    protected: bool
    may_reveal: bool
    events: tuple[PetitionEvent, ...]
    notes: tuple[PetitionNote, ...]
    files: tuple[PetitionFile, ...]
    duplicates: tuple[Duplicate, ...]
    today: date
    days_left: int | None  # working days to the deadline (negative: overdue)
    assignee: StaffMember | None
    moves: tuple[Status, ...]  # plain moves this role may make now
    suggested: tuple[Status, ...]  # what the classification points to
    can_classify: bool
    can_merge: bool
    can_act: bool  # staff and admins; leaders read
    names: dict[str, str]  # channel:user of who acted or wrote a note → their name
    # The other half of a mixed matter, or the petition merged into, is a protected one (or
    # a named one beside a protected card) that this role may not see linked: no code shown.
    related_withheld: bool = False
    merged_withheld: bool = False
    # A denunciation's files may show the denouncer's name or handwriting (domain.md §2.4).
    files_withheld: bool = False

    def name_of(self, channel: str | None, user_id: str | None) -> str | None:
        """Return the name of whoever acted, if known."""
        if channel is None or user_id is None:
            return None
        return self.names.get(user_key(channel, user_id))


class ProcessingService:
    """The staff side of petitions: inbox, card, classification, moves, notes, assignment."""

    def __init__(self, ctx: ServiceContext, audit: AuditService, petitions: PetitionService,
                 staff: StaffService, outbox: OutboxService) -> None:
        self._ctx = ctx
        self._audit = audit
        self._petitions = petitions
        self._staff = staff
        self._outbox = outbox

    # -- who may do what -----------------------------------------------------------------

    @property
    def role(self) -> Role | None:
        """The acting person's role (None: the system)."""
        return self._ctx.actor.role

    def can_act(self) -> bool:
        """Tell whether the acting person may change petitions (staff, admins, the system)."""
        return self.role is None or self.role.is_staff

    @cached_property
    def _shield(self) -> ShieldService:
        return ShieldService(self._ctx, self._audit)

    def may_see_denouncers(self) -> bool:
        """Tell whether the acting person's role may see a denouncer's identity."""
        return self._shield.may_see_denouncers()

    async def _require_reader(self, what: str) -> None:
        if self.role is not None and not self.role.is_official:
            await self._audit.record("access.denied", what, role=self.role.value)
            raise PermissionError("only the office's staff and leaders read petitions")

    async def _require_staff(self, what: str) -> None:
        if not self.can_act():
            await self._audit.record("access.denied", what,
                                     role=self.role.value if self.role else None)
            raise PermissionError("only the office's staff change petitions")

    def today(self) -> date:
        """Return today's date in the office's time zone."""
        return self._ctx.now.astimezone(self._ctx.settings.tz).date()

    def horizon(self) -> date:
        """Return the last day a deadline counts as near."""
        settings = self._ctx.settings
        return due_horizon(self.today(), settings.petitions.due_soon_working_days,
                           settings.calendar)

    # -- the inbox -------------------------------------------------------------------------

    async def default_filter(self, user: ChannelUser) -> InboxFilter:
        """Return the inbox a person sees first: open petitions of their site (and online ones)."""
        return InboxFilter(site=default_site_filter(await self._staff.site_of(user)))

    async def inbox(self, f: InboxFilter, page: int) -> InboxPage:
        """Return one page of the inbox for the filter ``f``."""
        await self._require_reader("petition.inbox")
        conn = self._ctx.conn
        today, horizon = self.today(), self.horizon()
        totals = await store.inbox_totals(conn, f, today=today, horizon=horizon)
        pages = max(1, -(-totals.total // PAGE_SIZE))
        page = min(max(0, page), pages - 1)
        petitions = await store.inbox_page(conn, f, today=today, horizon=horizon,
                                           limit=PAGE_SIZE, offset=page * PAGE_SIZE)
        return InboxPage(tuple(petitions), totals, page, pages, today, horizon)

    async def counts(self, f: InboxFilter, dimension: str) -> list[Count]:
        """Return how many petitions each value of ``dimension`` would show with ``f``."""
        await self._require_reader("petition.inbox")
        return await store.counts_by(self._ctx.conn, f, dimension, today=self.today())

    # -- one petition ------------------------------------------------------------------------

    async def _petition(self, code: str) -> Petition:
        petition = await petition_store.get_by_code(self._ctx.conn, code)
        if petition is None:
            raise LookupError(f"no petition {code}")
        return petition

    async def find(self, code: str) -> Petition | None:
        """Return the petition with ``code``, for the office's roles."""
        await self._require_reader(f"petition:{code}")
        return await petition_store.get_by_code(self._ctx.conn, code)

    async def _protected(self, petition: Petition) -> bool:
        return (petition.kind.identity_protected
                or await petition_store.is_protected(self._ctx.conn, petition.id))

    async def card(self, code: str) -> PetitionCard:
        """Return a petition's card: what the citizen gave, its history, duplicates, actions.

        For a role that may not see denouncers, nothing on the card ties this petition to
        one whose sender's protection differs (a mixed matter's other half, a repeat, a
        code written in a text); a protected petition's files are withheld too.
        """
        await self._require_reader(f"petition:{code}")
        conn = self._ctx.conn
        petition = await self._petition(code)
        protected = await self._protected(petition)
        if protected:
            identity = IdentityView(withheld=True, identity=None, representatives=())
        else:
            identity = await self._petitions.identity_of(code)
        today = self.today()
        due = petition.due.due_on if petition.due and not petition.status.is_final else None
        days_left = (working_days_left(today, due, self._ctx.settings.calendar)
                     if due is not None else None)
        assignee = None
        if petition.assigned_channel and petition.assigned_user_id:
            assignee = await self._staff.member(petition.assigned_channel,
                                                petition.assigned_user_id)
        events = tuple(await petition_store.events(conn, petition.id))
        acting = self.can_act()
        moves = self._moves(petition, events)
        plain = tuple(m for m in _MOVE_ORDER if m in moves and m not in OWN_FLOW_MOVES)
        see_protected = self.may_see_denouncers()
        duplicates = await self._relatives(petition, protected, see_protected=see_protected)
        if see_protected and any(set(d.reasons) & IDENTITY_REASONS for d in duplicates) and (
                protected or any(d.petition.kind.identity_protected for d in duplicates)):
            await self._audit.record("petition.denouncer_identity.matched", code,
                                     role=self.role.value if self.role else None)
        notes = tuple(await store.notes(conn, petition.id, NOTES_SHOWN))
        shield = await self._shield.shield(
            [petition.respondent, petition.content, petition.request, petition.prior_body,
             petition.ineligible_reason, petition.related_code, petition.merged_into,
             *(e.note for e in events), *(e.agency for e in events),
             *(n.text for n in notes)],
            where=f"petition:{code}", beside_protected=protected)
        shown = replace(
            petition, respondent=shield.text(petition.respondent),
            content=shield.text(petition.content), request=shield.text(petition.request),
            prior_body=shield.text(petition.prior_body) if petition.prior_body else None,
            ineligible_reason=(shield.text(petition.ineligible_reason)
                               if petition.ineligible_reason else None),
            related_code=shield.code(petition.related_code),
            merged_into=shield.code(petition.merged_into))
        events = tuple(replace(e, note=shield.text(e.note),
                               agency=shield.text(e.agency) if e.agency else None)
                       for e in events)
        notes = tuple(replace(n, text=shield.text(n.text)) for n in notes)
        names: dict[str, str] = {}
        # Only the office's people are named: the account that filed a petition (a
        # denouncer's above all) is never shown.
        acted = {(e.actor_channel, e.actor_user_id) for e in events
                 if e.actor_role not in (None, Role.CITIZEN.value)}
        for channel, user_id in acted | {(n.actor_channel, n.actor_user_id) for n in notes}:
            if channel is None or user_id is None:
                continue
            member = await self._staff.member(channel, user_id)
            if (member is not None and member.user.display_name
                    and member.user.role is not Role.CITIZEN):
                names[member.key] = member.user.display_name
        files_withheld = protected and not see_protected
        return PetitionCard(
            petition=shown, identity=identity, protected=protected,
            may_reveal=protected and see_protected and self.role is not None
            and self.role.is_official,
            events=events, notes=notes, names=names,
            files=() if files_withheld else tuple(await petition_store.files(conn,
                                                                              petition.id)),
            duplicates=tuple(duplicates[:DUPLICATES_SHOWN]),
            today=today, days_left=days_left, assignee=assignee, moves=plain,
            suggested=tuple(m for m in suggested_moves(petition) if m in plain),
            can_classify=acting and classifiable(petition.status),
            can_merge=acting and Status.MERGED in moves, can_act=acting,
            related_withheld=shield.withholds(petition.related_code),
            merged_withheld=shield.withholds(petition.merged_into),
            files_withheld=files_withheld,
        )

    async def reveal_sender(self, code: str) -> IdentityView:
        """Show a protected sender's identity to an allowed role (audited by identity_of)."""
        await self._require_reader(f"petition.identity:{code}")
        return await self._petitions.identity_of(code)

    async def files(self, code: str) -> list[PetitionFile]:
        """Return the files sent with a petition.

        A protected petition's files (a denunciation's: a photo of the handwritten petition
        shows the name and the handwriting) go only to the roles allowed to see denouncers;
        every look is audited, withheld or not.
        """
        await self._require_reader(f"petition.files:{code}")
        petition = await self._petition(code)
        if await self._protected(petition):
            allowed = self.may_see_denouncers()
            await self._audit.record(
                "petition.denouncer_files." + ("view" if allowed else "withheld"), code,
                role=self.role.value if self.role else None)
            if not allowed:
                raise PermissionError("a denouncer's files are only for the roles allowed")
        await self._audit.record("petition.files_view", code)
        return await petition_store.files(self._ctx.conn, petition.id)

    # -- duplicates ------------------------------------------------------------------------

    async def _relatives(self, petition: Petition, protected: bool, *,
                         see_protected: bool) -> list[Duplicate]:
        """Return the petitions that may be the same matter, with the reasons.

        Matching on the sender (CCCD, phone) uses a protected denouncer's identity only for
        roles allowed to see it: otherwise a match would name the denouncer.
        """
        conn = self._ctx.conn
        found: dict[int, tuple[Petition, set[DuplicateReason]]] = {}

        def add(other: Petition, reason: DuplicateReason) -> None:
            if other.id == petition.id:
                return
            found.setdefault(other.id, (other, set()))[1].add(reason)

        if petition.case_id is not None:
            for other in await store.case_mates(conn, petition.case_id, petition.id, 50):
                add(other, DuplicateReason.SAME_CASE)
        if petition.repeat_of is not None:
            earlier = await petition_store.get_by_code(conn, petition.repeat_of)
            if earlier is not None:
                add(earlier, DuplicateReason.REPEAT)
        for later in await store.repeats_of(conn, petition.id, 20):
            add(later, DuplicateReason.REPEAT)
        if not protected or see_protected:
            person = await petition_store.identity(conn, petition.id, protected=protected)
            tables = (False, True) if see_protected else (False,)
            if person is not None and person.cccd_digest:
                for table in tables:
                    for other in await store.same_cccd(conn, person.cccd_digest, petition.id,
                                                       protected=table, limit=20):
                        add(other, DuplicateReason.SAME_CCCD)
            if person is not None and person.phone_e164:
                for table in tables:
                    for other in await store.same_phone(conn, person.phone_e164, petition.id,
                                                        protected=table, limit=20):
                        add(other, DuplicateReason.SAME_PHONE)
        since = petition.received_at - timedelta(days=NEARBY_DAYS)
        nearby = await store.recent_nearby(conn, petition.place_code, since, petition.id,
                                           NEARBY_COMPARED)
        for other in [*nearby, *(p for p, _r in list(found.values()))]:
            if same_respondent(other.respondent, petition.respondent):
                add(other, DuplicateReason.SAME_RESPONDENT)
            if similar_content(other.content, petition.content):
                add(other, DuplicateReason.SIMILAR_CONTENT)
        ranked = rank_duplicates(found, len(found))
        if see_protected:
            return ranked
        # A suggestion that ties the senders (the other half of a mixed matter, a repeat)
        # would tell who the denouncer is.
        protection = await self._shield.protection(d.petition.code for d in ranked)
        return [d for d in ranked if not ties_senders(
            petition, d, protected=protected,
            other_protected=protection.get(d.petition.code, False))]

    # -- classification ----------------------------------------------------------------------

    async def classify(self, code: str, c: Classification) -> PetitionEvent | None:
        """Record the classification; the first one moves the petition to «classifying».

        A petition classified as a denunciation has its sender moved to the protected
        tables. A change of type sets the deadline the new type runs to after receipt.
        Classifying again is kept as an internal note (nothing changes for the citizen).
        """
        await self._require_staff(f"petition.classify:{code}")
        conn = self._ctx.conn
        petition = await self._petition(code)
        if not classifiable(petition.status):
            raise ActionRefusedError(_("This petition is already past classification ({status})."
                                      ).format(status=status_label(petition.status)))
        problem = c.problem()
        if problem is not None:
            raise ValueError(problem)
        if c.site_id is not None and c.site_id not in self._staff.site_ids():
            raise ValueError(f"no site {c.site_id}")
        if c.kind.identity_protected and not await self._protected(petition):
            await petition_store.protect_identity(conn, petition.id)
        await store.classify(conn, petition.id, c, self._ctx.now)
        if c.kind is not petition.kind:
            settings = self._ctx.settings
            received = petition.received_at.astimezone(settings.tz).date()
            due = receipt_deadline(c.kind, received, settings.rules, settings.calendar)
            await store.set_deadline(conn, petition.id, due.rule_key, due.effective_from,
                                     due.due_on)
        with translation(self._ctx.settings.default_language):
            summary = self.classification_text(c)
            again = _("Classified again: {summary}").format(summary=summary)
        await self._audit.record("petition.classify", code, kind=c.kind.value,
                                 field=c.field.value, eligible=c.eligible,
                                 competence=c.competence.value,
                                 chairman=c.chairman_jurisdiction, skips_level=c.skips_level,
                                 site=c.site_id)
        if petition.status is Status.RECEIVED:
            return await self._petitions.transition(code, Status.CLASSIFYING, note=summary)
        await self._note(petition, again)
        return None

    def classification_text(self, c: Classification) -> str:
        """Describe a classification in one line (for the timeline and the confirmation)."""
        parts = [type_label(c.kind), field_label(c.field)]
        if c.eligible:
            parts.append(_("meets the conditions for handling"))
        else:
            parts.append(_("does not meet the conditions: {reason}").format(
                reason=c.ineligible_reason or ""))
        parts.append(competence_label(c.competence))
        if c.chairman_jurisdiction:
            parts.append(_("under the provincial chairman's jurisdiction"))
        if c.skips_level:
            parts.append(_("skips a level"))
        return "; ".join(parts)

    # -- moves -----------------------------------------------------------------------------

    async def move(self, code: str, target: Status, *, note: str = "",
                   document_no: str | None = None, document_date: date | None = None,
                   agency: str | None = None) -> PetitionEvent:
        """Move a petition to ``target`` (not classifying or merged: they have their own)."""
        await self._require_staff(f"petition.move:{code}")
        if target in OWN_FLOW_MOVES:
            raise ValueError(f"{target.value} has its own action")
        petition = await self._petition(code)
        if target is Status.FORWARDED:
            await self._check_forwarded_once(petition)
        if target is Status.EXTENDED and not self._may_extend(
                petition, await petition_store.events(self._ctx.conn, petition.id)):
            allowed = extensions_allowed(petition.kind, self._ctx.settings.rules, self.today())
            raise ActionRefusedError(
                ngettext("The law allows the time to be extended {count} time for this "
                         "petition, and it has been.",
                         "The law allows the time to be extended at most {count} times for "
                         "this petition, and it has been.", allowed).format(count=allowed)
                if allowed else
                _("The law sets no extension of the time for this kind of petition."))
        return await self._petitions.transition(code, target, note=note,
                                                document_no=document_no,
                                                document_date=document_date, agency=agency)

    def _moves(self, petition: Petition, events: Sequence[PetitionEvent]) -> frozenset[Status]:
        """Return the moves this role may make on ``petition`` now (what the card offers)."""
        moves = allowed_moves(petition.status) if self.can_act() else frozenset()
        return moves if self._may_extend(petition, events) else moves - {Status.EXTENDED}

    async def offered_now(self, code: str) -> tuple[Status, frozenset[str]]:
        """Return a petition's status and the actions its card would offer now: «classify»,
        «merge» and the plain moves' values (a light check of a card shown earlier)."""
        await self._require_reader(f"petition:{code}")
        petition = await self._petition(code)
        moves = self._moves(petition, await petition_store.events(self._ctx.conn, petition.id))
        actions = {move.value for move in moves if move not in OWN_FLOW_MOVES}
        if self.can_act() and classifiable(petition.status):
            actions.add("classify")
        if Status.MERGED in moves:
            actions.add("merge")
        return petition.status, frozenset(actions)

    def _may_extend(self, petition: Petition, events: Sequence[PetitionEvent]) -> bool:
        """Tell whether the law allows one more extension of the resolution time."""
        done = sum(1 for event in events if event.to_status is Status.EXTENDED)
        return done < extensions_allowed(petition.kind, self._ctx.settings.rules, self.today())

    async def _check_forwarded_once(self, petition: Petition) -> None:
        """Refuse to forward content that was forwarded already (TT 05/2021/TT-TTCP Đ.14)."""
        protected = await self._protected(petition)
        relatives = await self._relatives(petition, protected, see_protected=True)
        same = [d for d in relatives if same_content(d)]
        earlier = await store.forwarded(self._ctx.conn, [d.petition.id for d in same])
        if not earlier:
            return
        first = earlier[0]
        hidden = False
        if not self.may_see_denouncers():
            # Naming the other petition would link a protected sender to it.
            match = next((d for d in same if d.petition.code == first.code), None)
            protection = await self._shield.protection([first.code])
            hidden = match is not None and ties_senders(
                petition, match, protected=protected,
                other_protected=protection.get(first.code, False))
        await self._audit.record("petition.forward_refused", petition.code,
                                 earlier=None if hidden else first.code)
        raise ActionRefusedError(_forwarded_text(first, hidden))

    async def merge(self, code: str, into_code: str, note: str = "") -> PetitionEvent:
        """Merge a petition into another on the same matter; both join one case (vụ việc)."""
        await self._require_staff(f"petition.merge:{code}")
        conn = self._ctx.conn
        petition = await self._petition(code)
        other = await petition_store.get_by_code(conn, into_code)
        if other is None:
            raise ActionRefusedError(_("There is no petition {code}.").format(code=into_code))
        if other.id == petition.id:
            raise ActionRefusedError(_("A petition cannot be merged into itself."))
        if other.status is Status.MERGED:
            raise ActionRefusedError(_("Petition {code} is itself merged into {other}: merge "
                                      "into that one instead.").format(
                                          code=other.code, other=other.merged_into or ""))
        if Status.MERGED not in allowed_moves(petition.status):
            raise ActionRefusedError(_("This petition is closed ({status}) and cannot be "
                                      "merged.").format(status=status_label(petition.status)))
        case_id = petition.case_id or other.case_id
        if case_id is None:
            case_id = await store.new_case(conn, other.respondent[:200], self._ctx.now)
        await store.join_case(conn, [petition.id, other.id], case_id, self._ctx.now)
        await self._audit.record("petition.merge", code, into=into_code, case=case_id)
        return await self._petitions.transition(code, Status.MERGED, note=note,
                                                merged_into=into_code)

    # -- notes and assignment ------------------------------------------------------------------

    async def _note(self, petition: Petition, text: str) -> None:
        actor = self._ctx.actor
        await store.add_note(self._ctx.conn, petition.id, PetitionNote(
            self._ctx.now, actor.channel, actor.user_id, text[:MAX_NOTE_CHARS]))

    async def add_note(self, code: str, text: str) -> None:
        """Add an internal note (never shown to the citizen)."""
        await self._require_staff(f"petition.note:{code}")
        if not text.strip():
            raise ValueError("an empty note")
        petition = await self._petition(code)
        await self._note(petition, text.strip())
        await self._audit.record("petition.note", code)

    async def assignable(self) -> list[StaffMember]:
        """Return who may be given petitions: staff and admins, those of one's site first."""
        await self._require_staff("petition.assignable")
        members = [m for m in await self._staff.members() if m.user.role.is_staff]
        actor = self._ctx.actor
        mine = None
        if actor.channel is not None and actor.user_id is not None:
            own = await self._staff.member(actor.channel, actor.user_id)
            mine = own.site if own else None
        return sorted(members, key=lambda m: (mine is not None and m.site != mine))

    async def assign(self, code: str, channel: str, user_id: str) -> StaffMember:
        """Give a petition to a staff member and tell them (not when they gave it to themselves)."""
        await self._require_staff(f"petition.assign:{code}")
        petition = await self._petition(code)
        member = await self._staff.member(channel, user_id)
        if member is None or not member.user.role.is_staff:
            raise ActionRefusedError(_("Petitions can be given only to reception staff or an "
                                      "administrator."))
        await store.assign(self._ctx.conn, petition.id, channel, user_id, self._ctx.now)
        await self._audit.record("petition.assign", code, to=member.key)
        actor = self._ctx.actor
        if (actor.channel, actor.user_id) != (channel, user_id):
            await self._tell_assignee(petition, member)
        return member

    async def _tell_assignee(self, petition: Petition, member: StaffMember) -> None:
        actor = self._ctx.actor
        by = (await self._staff.member(actor.channel, actor.user_id)
              if actor.channel and actor.user_id else None)
        by_name = (by.user.display_name or by.key) if by else None
        due = petition.due.due_on if petition.due and not petition.status.is_final else None

        def build() -> Reply:
            lines = [_("📌 Petition {code} has been given to you to handle.").format(
                code=f"<code>{petition.code}</code>")]
            if by_name:
                lines.append(_("Given by: {name}.").format(name=esc(by_name)))
            lines.append(_("Type: {type}. About: {about}").format(
                type=type_label(petition.kind), about=esc(petition.respondent[:200])))
            if due is not None:
                lines.append(_("Deadline: {date}.").format(date=format_date(due, "weekday")))
            return Reply(text="\n".join(lines),
                         buttons=(Button(_("📂 Open the petition"),
                                         action_data(ACTION_OPEN, petition.code)),))

        await self._outbox.send_to(member.user, KIND_ASSIGNED, build,
                                   dedupe_key=f"petition-assigned:{petition.id}:{member.key}:"
                                              f"{self._ctx.now.isoformat()}")

    # -- helpers for the screens -------------------------------------------------------------

    def default_classification(self, petition: Petition, site: str | None) -> Classification:
        """Return the answers a classification starts from: what is recorded, else guesses."""
        return Classification(
            kind=petition.kind,
            field=petition.field or (Field.CORRUPTION if petition.kind is
                                     PetitionType.DENUNCIATION else Field.ADMINISTRATIVE_OTHER),
            eligible=petition.eligible if petition.eligible is not None else True,
            ineligible_reason=petition.ineligible_reason,
            competence=petition.competence or Competence.OURS,
            chairman_jurisdiction=petition.chairman_jurisdiction,
            skips_level=petition.skips_level,
            site_id=petition.site_id or site,
        )

    @staticmethod
    def with_kind(c: Classification, kind: PetitionType) -> Classification:
        """Return ``c`` for another type (a skipped level only stays for a complaint)."""
        return replace(c, kind=kind, skips_level=c.skips_level and kind is
                       PetitionType.COMPLAINT)


_MOVE_ORDER = (Status.CLASSIFYING, Status.UNDER_REVIEW, Status.ACCEPTED, Status.REJECTED,
               Status.GUIDED, Status.FORWARDED, Status.CHASED, Status.AWAITING_FEEDBACK,
               Status.FEEDBACK_RECEIVED, Status.VERIFYING, Status.EXTENDED, Status.SUSPENDED,
               Status.TERMINATED, Status.RESOLVED, Status.ARCHIVED, Status.WITHDRAWN,
               Status.MERGED)


def _forwarded_text(first: ForwardRecord, hidden: bool) -> str:
    body = esc(first.agency) if first.agency else _("another body")
    when = format_date(first.at, "short")
    if hidden:
        text = _("Another petition on the same matter was already forwarded to {body} on "
                 "{date}.").format(body=body, date=when)
    else:
        text = _("Petition {code}, on the same matter, was already forwarded to {body} on "
                 "{date}.").format(code=first.code, body=body, date=when)
    if first.document_no:
        text += " " + _("(document no. {number})").format(number=esc(first.document_no))
    return text + "\n" + _(
        "The law allows the same content to be forwarded only once (Thông tư 05/2021/TT-TTCP, "
        "Điều 14). File this petition, or guide the citizen to the body already dealing with "
        "it, instead.")
