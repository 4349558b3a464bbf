"""Petition processing for the office (/don): the inbox, a petition's card and its actions.

    /don ─▶ browsing_inbox ─┬─ a petition (or its code typed) ─▶ reading_petition
              ▲   (pages)   └─ a filter ─▶ choosing_filter (counts on each value) ─┐
              └──────────────────────────────────────────────────────────────────┘
    reading_petition ─┬─ classify ─▶ choosing_type ─▶ choosing_field ─▶ choosing_eligibility
                      │     ─(no)─▶ waiting_for_ineligible_reason ─▶ choosing_competence
                      │     ─(ours)─▶ choosing_chairman ─(a complaint)─▶ choosing_skips_level
                      │     ─(several sites)─▶ choosing_site ─▶ confirming_classification ─┐
                      ├─ a move ─▶ [waiting_for_agency] ─▶ [waiting_for_document]          │
                      │          ─▶ [waiting_for_note] ─▶ confirming_move ─────────────────┤
                      ├─ merge ─▶ choosing_merge_target ─▶ waiting_for_note ─▶ confirming ─┤
                      ├─ note ─▶ waiting_for_internal_note ─────────────────────────────────┤
                      ├─ assign ─▶ choosing_assignee ───────────────────────────────────────┤
                      ├─ files, full text, the protected sender: shown, then the card ──────┤
                      └─ back to the list ─▶ browsing_inbox           reading_petition ◀───┘
    📂 Open (g|petition_open|CODE, in an assignment notice) ─▶ reading_petition

Leaders read the inbox and the cards; only staff and admins see and use the actions (the
services check the role again on every call).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.config import Settings
from bot.dialog.flow import Flow, Step, Turn, esc, no_option, option, yes_option
from bot.domain.choices import Option
from bot.domain.codes import find_code
from bot.domain.conversation import Expect
from bot.domain.identity import Phone
from bot.domain.messages import OutFile
from bot.domain.petitions import (
    NEEDS_AGENCY,
    NEEDS_DOCUMENT,
    NEEDS_NOTE,
    Competence,
    Field,
    MoveError,
    Petition,
    PetitionType,
    Status,
)
from bot.domain.processing import (
    NO_COMMUNE,
    NO_FIELD,
    SITE_ALL,
    SITE_UNASSIGNED,
    SITE_WITH_UNASSIGNED,
    Bucket,
    Classification,
    Count,
    InboxFilter,
    Scope,
    parse_document,
    site_filter,
    working_days_left,
)
from bot.domain.users import Role
from bot.i18n import N_, _, format_date, format_datetime
from bot.services.identity import id_paper_line
from bot.services.petitions import (
    NOTE_TOLD,
    stage_label,
    status_label,
    status_meaning,
    type_label,
)
from bot.services.processing import (
    MAX_NOTE_CHARS,
    ActionRefusedError,
    InboxPage,
    PetitionCard,
    competence_label,
    field_label,
    reason_label,
    scope_label,
    source_label,
)

FLOW_NAME = "petition_desk"
READERS = frozenset({Role.STAFF, Role.ADMIN, Role.LEADER})
OPEN = "open"  # a petition to open at once when the flow begins
CONTENT_SHOWN = 1200
AGENCY_CHARS = 300
SUMMARY_CHARS = 70
# Moves whose document number is asked but may be skipped.
OPTIONAL_DOCUMENT = frozenset({Status.GUIDED, Status.CHASED, Status.FEEDBACK_RECEIVED,
                               Status.REJECTED, Status.ARCHIVED})
# Moves whose note is required (the reason, the result).
REQUIRED_NOTE = NEEDS_NOTE | {Status.RESOLVED}

_MOVE_LABELS = {
    Status.UNDER_REVIEW: N_("📋 Consider for acceptance"),
    Status.ACCEPTED: N_("✅ Accept for handling"),
    Status.REJECTED: N_("🚫 Do not accept"),
    Status.GUIDED: N_("🧭 Guide to the competent body"),
    Status.FORWARDED: N_("📤 Forward to another body"),
    Status.CHASED: N_("⏩ Chase the lower level"),
    Status.AWAITING_FEEDBACK: N_("⏳ Wait for the body's answer"),
    Status.FEEDBACK_RECEIVED: N_("📨 The body has answered"),
    Status.VERIFYING: N_("🔍 Start verifying"),
    Status.EXTENDED: N_("⏱ Extend the time"),
    Status.SUSPENDED: N_("⏸ Suspend"),
    Status.TERMINATED: N_("⏹ End handling"),
    Status.RESOLVED: N_("🏁 Mark resolved"),
    Status.ARCHIVED: N_("🗄 File without action"),
    Status.WITHDRAWN: N_("↩ Withdrawn by the citizen"),
}
_TYPE_ALIASES = {
    PetitionType.COMPLAINT: ("khieu nai",),
    PetitionType.DENUNCIATION: ("to cao",),
    PetitionType.RECOMMENDATION: ("kien nghi",),
    PetitionType.REPORT: ("phan anh",),
}
HELP = N_("petitions: the inbox, classifying and handling them")


# -- entry points ----------------------------------------------------------------------------

async def command_inbox(turn: Turn) -> None:
    """/don [CODE]: open the inbox, or a petition's card at once."""
    code = find_code(" ".join(turn.incoming.args))
    await turn.begin(FLOW_NAME, {OPEN: code} if code else None)


async def action_open(turn: Turn, arg: str) -> None:
    """Open a petition's card from a notice's button (the role was checked by the core)."""
    code = find_code(arg)
    await turn.begin(FLOW_NAME, {OPEN: code} if code else None)


async def open_petition(turn: Turn, code: str) -> None:
    """Open a petition's card (from the search)."""
    await turn.begin(FLOW_NAME, {OPEN: code})


# -- shared words ------------------------------------------------------------------------------

def move_label(status: Status) -> str:
    """Return the button of a move."""
    return _(_MOVE_LABELS[status])


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _site_name(settings: Settings, site: str | None) -> str:
    if site is None:
        return _("not yet at a site (online)")
    return settings.site(site).name if site in {s.id for s in settings.sites} else site


def _place(turn: Turn, petition: Petition) -> str:
    name = turn.services.petitions.place_name(petition.place_code)
    return name or petition.place_text or _("no commune given")


def _due_text(today_left: int | None, due: date | None, *, after_label: bool = False) -> str:
    """Say when a petition is due; ``after_label`` for after «Deadline:», which says «due»."""
    if today_left is None or due is None:
        return ""
    when = format_date(due, "short")
    if today_left < 0:
        return _("🔴 overdue since {date} ({days} working days)").format(
            date=when, days=-today_left)
    if today_left == 0:
        return _("⏰ due today ({date})").format(date=when)
    if after_label:
        return _("{date} ({days} working days left)").format(date=when, days=today_left)
    return _("due {date} ({days} working days left)").format(date=when, days=today_left)


def _current(turn: Turn) -> str:
    return str(turn.data.get("code") or "")


# -- the inbox -----------------------------------------------------------------------------------

async def _filter(turn: Turn) -> InboxFilter:
    saved = turn.data.get("filter")
    if isinstance(saved, dict):
        return InboxFilter.from_json(saved)
    chosen = await turn.services.processing.default_filter(turn.user)
    turn.data["filter"] = chosen.to_json()
    return chosen


def _filter_summary(turn: Turn, f: InboxFilter) -> str:
    parts = [
        _("Type: {value}").format(value=type_label(f.kind) if f.kind else _("all")),
        _("Status: {value}").format(value=_status_value(f.status)),
    ]
    if len(turn.settings.sites) > 1 or f.site != SITE_ALL:
        parts.append(_("Site: {value}").format(value=esc(_site_filter_label(turn.settings,
                                                                          f.site))))
    if f.commune is not None:
        parts.append(_("Commune: {value}").format(value=esc(_commune_label(turn, f.commune))))
    if f.field is not None:
        parts.append(_("Field: {value}").format(value=_field_value(f.field)))
    return " · ".join(parts)


def _status_value(value: str) -> str:
    if value in {s.value for s in Scope}:
        return scope_label(Scope(value))
    return status_label(Status(value))


def _field_value(value: str) -> str:
    return _("not classified") if value == NO_FIELD else field_label(Field(value))


def _commune_label(turn: Turn, code: int) -> str:
    if code == NO_COMMUNE:
        return _("no commune given")
    return turn.services.petitions.place_name(code) or str(code)


def _site_filter_label(settings: Settings, value: str) -> str:
    site, with_unassigned = site_filter(value)
    if value == SITE_ALL:
        return _("all sites")
    if site is None:
        return _("online, not yet at a site")
    name = _site_name(settings, site)
    return _("{site} and online ones").format(site=name) if with_unassigned else name


def _line(turn: Turn, number: int, petition: Petition, page: InboxPage) -> str:
    bucket = page.bucket(petition)
    mark = "🆕" if bucket is Bucket.NEW else "⏰" if bucket is Bucket.DUE else "•"
    if petition.status.is_final:
        mark = "✔"
    due = petition.due.due_on if petition.due and not petition.status.is_final else None
    left = working_days_left(page.today, due, turn.settings.calendar) if due else None
    parts = [type_label(petition.kind), status_label(petition.status)]
    due_text = _due_text(left, due)
    if due_text:
        parts.append(due_text)
    about = petition.respondent if len(petition.respondent) <= SUMMARY_CHARS else \
        petition.respondent[:SUMMARY_CHARS - 1] + "…"
    where = " — ".join(esc(text) for text in (_place(turn, petition), about.strip()) if text)
    return (f"{number}. {mark} <code>{petition.code}</code> " + " · ".join(parts)
            + f"\n    {where}")


async def ask_inbox(turn: Turn) -> None:
    """Show a page of the inbox; each petition is a button, and so is each filter."""
    opened = turn.data.pop(OPEN, None)
    if opened:
        if await turn.services.processing.find(str(opened)) is not None:
            turn.data["code"] = str(opened)
            await turn.goto("reading_petition")
            return
        turn.say(_("There is no petition {code}.").format(code=esc(opened)))
    f = await _filter(turn)
    page = await turn.services.processing.inbox(f, int(turn.data.get("page", 0)))
    turn.data["page"] = page.page
    totals = page.totals
    lines = [_("📥 <b>Petitions</b>: {count}").format(count=totals.total),
             _filter_summary(turn, f)]
    if f.lists_open:
        lines.append(_("🆕 New: {new} · ⏰ deadline near or passed: {due} (overdue: {late})")
                     .format(new=totals.new, due=totals.due_soon, late=totals.overdue))
    lines.append("")
    options: list[Option] = []
    # Numbered from 1 on every page: a typed number is then the button of that number.
    for number, petition in enumerate(page.petitions, start=1):
        lines.append(_line(turn, number, petition, page))
        # The label is the code alone: text channels number the buttons themselves.
        options.append(option(petition.code, f"p:{petition.code}"))
    if not page.petitions:
        lines.append(_("No petition matches these filters."))
    if page.pages > 1:
        lines.append(_("Page {page} of {pages}.").format(page=page.page + 1, pages=page.pages))
    lines.append(_("Choose a petition, a filter, or type a tracking code."))
    if page.page > 0:
        options.append(option(_("◀ Previous page"), "prev", "truoc"))
    if page.page < page.pages - 1:
        options.append(option(_("Next page ▶"), "next", "tiep", "sau"))
    options += [
        option(_("🔖 Type"), "f:kind", "loai"),
        option(_("📌 Status"), "f:status", "trang thai"),
        option(_("🏘 Commune"), "f:commune", "xa", "phuong"),
        option(_("🗂 Field"), "f:field", "linh vuc"),
    ]
    if len(turn.settings.sites) > 1:
        options.append(option(_("🏢 Site"), "f:site", "tru so", "diem tiep"))
    options.append(option(_("🔄 Clear the filters"), "reset", "xoa loc", "bo loc"))
    options.append(option(_("✖ Close"), "close", "dong", "thoat"))
    turn.ask("\n".join(lines), options, expect=Expect.TEXT, back=False, columns=2)


async def receive_inbox(turn: Turn) -> None:
    """Open a petition, turn the page, or open a filter."""
    choice = turn.choice or ""
    if choice in ("prev", "next"):
        turn.data["page"] = int(turn.data.get("page", 0)) + (1 if choice == "next" else -1)
        await ask_inbox(turn)
        return
    if choice == "reset":
        turn.data.pop("filter", None)
        turn.data["page"] = 0
        await ask_inbox(turn)
        return
    if choice == "close":
        await turn.finish()
        return
    if choice.startswith("f:"):
        turn.data["dimension"] = choice[2:]
        await turn.goto("choosing_filter")
        return
    code = choice[2:] if choice.startswith("p:") else find_code(turn.text or "")
    if not code:
        await turn.reask(_("Please choose a petition or a filter, or type a tracking code such "
                           "as D-7K4M-9QXR."))
        return
    if await turn.services.processing.find(code) is None:
        await turn.reask(_("There is no petition {code}.").format(code=esc(code)))
        return
    turn.data["code"] = code
    await turn.goto("reading_petition")


# -- filters ---------------------------------------------------------------------------------------

def _counted(label: str, count: int) -> str:
    return f"{label} ({count})"


async def ask_filter(turn: Turn) -> None:
    """Offer the values of one filter, each with how many petitions it would show."""
    dimension = str(turn.data.get("dimension") or "kind")
    f = await _filter(turn)
    counts = await turn.services.processing.counts(f, dimension)
    total = sum(c.count for c in counts)
    options: list[Option] = []
    expect = Expect.CHOICE
    if dimension == "status":
        question = _("Which petitions do you want to see?")
        for count in counts:
            if count.value is None:
                continue
            options.append(option(_counted(_status_value(count.value), count.count),
                                  f"v:{count.value}"))
    elif dimension == "kind":
        question = _("Which type of petition?")
        options.append(option(_counted(_("All types"), total), "v:*", "tat ca"))
        by_value = {c.value: c.count for c in counts}
        for kind in PetitionType:
            options.append(option(_counted(type_label(kind), by_value.get(kind.value, 0)),
                                  f"v:{kind.value}", *_TYPE_ALIASES[kind]))
    elif dimension == "field":
        question = _("Which field?")
        options.append(option(_counted(_("All fields"), total), "v:*", "tat ca"))
        by_value = {c.value: c.count for c in counts}
        for value in Field:
            options.append(option(_counted(field_label(value), by_value.get(value.value, 0)),
                                  f"v:{value.value}"))
        options.append(option(_counted(_("Not classified yet"), by_value.get(None, 0)),
                              f"v:{NO_FIELD}"))
    elif dimension == "site":
        question = _("Which reception site?")
        options += _site_options(turn, counts, total)
    else:
        question = _("Which commune or ward? The ones with the most petitions are listed; you "
                     "can also type a name.")
        expect = Expect.TEXT
        options.append(option(_counted(_("All communes"), total), "v:*", "tat ca"))
        for count in counts[:10]:
            if count.value is None:
                continue
            options.append(option(_counted(_commune_label(turn, int(count.value)), count.count),
                                  f"v:{count.value}"))
        missing = next((c.count for c in counts if c.value is None), 0)
        if missing:
            options.append(option(_counted(_("No commune given"), missing), f"v:{NO_COMMUNE}"))
    turn.ask(question, options, expect=expect, columns=2)


def _site_options(turn: Turn, counts: list[Count], total: int) -> list[Option]:
    by_value = {c.value: c.count for c in counts}
    unassigned = by_value.get(None, 0)
    options = [option(_counted(_("All sites"), total), f"v:{SITE_ALL}", "tat ca")]
    for site in turn.settings.sites:
        options.append(option(_counted(site.name, by_value.get(site.id, 0)), f"v:{site.id}"))
    options.append(option(_counted(_("Online, not yet at a site"), unassigned),
                          f"v:{SITE_UNASSIGNED}", "truc tuyen"))
    own = InboxFilter.from_json(turn.data.get("filter")).site
    mine, _with = site_filter(own)
    if mine is not None:
        options.append(option(_counted(_site_filter_label(turn.settings,
                                                          mine + SITE_WITH_UNASSIGNED),
                                       by_value.get(mine, 0) + unassigned),
                              f"v:{mine}{SITE_WITH_UNASSIGNED}"))
    return options


async def receive_filter(turn: Turn) -> None:
    """Apply the chosen value (or the commune typed) and show the inbox again."""
    dimension = str(turn.data.get("dimension") or "kind")
    f = (await _filter(turn)).to_json()
    if turn.choice is None:
        match = turn.services.petitions.match_place(turn.text or "")
        unit = match.unit or (match.suggestions[0] if len(match.suggestions) == 1 else None)
        if unit is None:
            await turn.reask(_("I cannot find that commune or ward. Please type its name again "
                               "(for example: Tam Thanh), or choose from the list."))
            return
        f["commune"] = unit.code
    else:
        value = turn.choice.removeprefix("v:")
        if dimension == "status":
            f["status"] = value
        elif dimension == "kind":
            f["kind"] = None if value == "*" else value
        elif dimension == "field":
            f["field"] = None if value == "*" else value
        elif dimension == "site":
            f["site"] = value
        else:
            f["commune"] = None if value == "*" else int(value)
    turn.data["filter"] = InboxFilter.from_json(f).to_json()
    turn.data["page"] = 0
    await turn.goto("browsing_inbox")


# -- the card ------------------------------------------------------------------------------------

def _sender_lines(turn: Turn, card: PetitionCard) -> list[str]:
    petition = card.petition
    identity = card.identity
    lines = [_("<b>Sender</b>")]
    if card.protected and identity.withheld:
        roles = _allowed_roles(turn)
        lines.append(_("🔒 Withheld: a denouncer's identity is protected by law. Only these "
                       "roles may see it, and each view is recorded: {roles}.").format(
                           roles=roles))
        return lines
    person = identity.identity
    if person is None:
        lines.append(_("Sent without a name.") if petition.anonymous
                     else _("No identity recorded."))
    else:
        lines.append(_("Name: {name}").format(name=esc(person.full_name)))
        details = []
        if person.phone_masked:
            details.append(_("Phone: {phone}").format(phone=person.phone_masked))
        details.append(id_paper_line(person.cccd_masked))
        if details:
            lines.append(" · ".join(details))
        if person.address:
            lines.append(_("Address: {address}").format(address=esc(person.address)))
    for number, rep in enumerate(identity.representatives, start=1):
        lines.append(_("Representative {number}: {name}, {phone}").format(
            number=number, name=esc(rep.full_name), phone=Phone(rep.phone_e164).masked))
    return lines


def _allowed_roles(turn: Turn) -> str:
    return ", ".join(_role_names(turn.settings.petitions.denouncer_identity_roles))


def _role_names(values: tuple[str, ...]) -> list[str]:
    labels = {Role.STAFF.value: _("reception staff"), Role.LEADER.value: _("leaders"),
              Role.ADMIN.value: _("administrators"), Role.POLICE.value: _("police liaison"),
              Role.CITIZEN.value: _("citizens")}
    return [labels.get(value, value) for value in values]


def card_text(turn: Turn, card: PetitionCard) -> str:
    """Return a petition's card as staff read it (HTML)."""
    petition = card.petition
    settings = turn.settings
    due = petition.due.due_on if petition.due and not petition.status.is_final else None
    lines = [
        _("<b>Petition {code}</b> · {type}").format(code=petition.code,
                                                    type=type_label(petition.kind)),
        _("Status: {status}").format(status=f"<b>{status_label(petition.status)}</b>"),
        _("Received: {time} · {source} · Site: {site}").format(
            time=format_datetime(petition.received_at), source=source_label(petition.source),
            site=esc(_site_name(settings, petition.site_id))),
    ]
    due_text = _due_text(card.days_left, due, after_label=True)
    if due_text:
        lines.append(_("Deadline: {text}").format(text=due_text))
    if petition.skips_level:
        lines.append(_("⚠️ Skips a level (vượt cấp): no lower body has decided it yet."))
    if petition.field is not None and petition.competence is not None:
        parts = [field_label(petition.field), competence_label(petition.competence)]
        if petition.eligible is False:
            parts.append(_("does not meet the conditions: {reason}").format(
                reason=esc(petition.ineligible_reason or "")))
        elif petition.eligible:
            parts.append(_("meets the conditions for handling"))
        if petition.chairman_jurisdiction:
            parts.append(_("under the provincial chairman's jurisdiction"))
        lines.append(_("Classification: {text}").format(text="; ".join(parts)))
    if card.assignee is not None:
        name = card.assignee.user.display_name or card.assignee.key
        lines.append(_("Handled by: {name}").format(name=esc(name)))
    if petition.case_id is not None:
        lines.append(_("Case no. {number}").format(number=petition.case_id))
    if petition.merged_into:
        lines.append(_("Merged into {code}.").format(code=petition.merged_into))
    elif card.merged_withheld:
        lines.append((_("Merged into a petition that is withheld here, as it would name the "
                        "denouncer: only {roles} may see which one.") if card.protected else
                      _("Merged into a protected petition: only {roles} may see which one."))
                     .format(roles=_allowed_roles(turn)))
    lines.append("")
    lines += _sender_lines(turn, card)
    lines.append("")
    lines.append(_("<b>What the citizen sent</b>"))
    lines.append(_("About: {text}").format(text=esc(petition.respondent)))
    lines.append(_("Where: {place}").format(place=esc(_place(turn, petition))))
    content = petition.content
    if len(content) > CONTENT_SHOWN:
        content = content[:CONTENT_SHOWN] + "… " + _("(see the full text)")
    lines.append(_("Content: {text}").format(text=esc(content)))
    if petition.request:
        lines.append(_("Request: {text}").format(text=esc(petition.request)))
    prior = stage_label(petition.prior_stage)
    if petition.prior_body:
        prior += f" ({esc(petition.prior_body)})"
    lines.append(_("Handled before: {text}").format(text=prior))
    # A petition sent without a name has nobody who signed it to count.
    if not petition.anonymous:
        people = _("Signatories: {count}").format(count=petition.people)
        if petition.is_group:
            people += " " + _("(group petition)")
        lines.append(people)
    elif petition.is_group:
        lines.append(_("People raising it: {count} (a group petition sent without a name)")
                     .format(count=petition.people))
    if card.files_withheld and petition.file_count:
        lines.append(_("Files: {count}, withheld: a denouncer's files may show their name, "
                       "address or handwriting. Only {roles} may open them, and each time is "
                       "recorded.").format(count=petition.file_count,
                                           roles=_allowed_roles(turn)))
    elif card.files:
        lines.append(_("Files: {count}").format(count=len(card.files)))
    if petition.mixed and petition.related_code:
        lines.append(_("Mixed matter; the other petition: {code}").format(
            code=petition.related_code))
    elif petition.mixed and card.related_withheld and card.protected:
        # Only on the denunciation's own card: on the named half, even a hint that the
        # other half is protected would tell that this named person also denounced.
        lines.append(_("Mixed matter; the other petition is withheld here, as it would name "
                       "the denouncer: only {roles} may see which.").format(
                           roles=_allowed_roles(turn)))
    if petition.denunciation_content:
        lines.append(_("A denunciation sent without a name, handled as a report."))
    lines.append("")
    lines.append(_("<b>History</b>"))
    for event in card.events:
        entry = f"• {format_datetime(event.at)} — {status_label(event.to_status)}"
        if event.agency:
            entry += f": {esc(event.agency)}"
        if event.document_no:
            entry += " " + _("(document no. {number})").format(number=esc(event.document_no))
        who = card.name_of(event.actor_channel, event.actor_user_id)
        if who:
            entry += f" — {esc(who)}"
        if event.note:
            entry += f"\n   {esc(event.note)}"
        lines.append(entry)
    if card.notes:
        lines.append("")
        lines.append(_("<b>Internal notes</b> (never shown to the citizen)"))
        for note in card.notes:
            who = card.name_of(note.actor_channel, note.actor_user_id)
            head = f"• {format_datetime(note.at)}" + (f" — {esc(who)}" if who else "")
            lines.append(f"{head}: {esc(note.text)}")
    if card.duplicates:
        lines.append("")
        lines.append(_("<b>Possibly the same matter</b> (staff decide; the citizen is never "
                       "blocked)"))
        for duplicate in card.duplicates:
            other = duplicate.petition
            reasons = ", ".join(reason_label(r) for r in duplicate.reasons)
            lines.append(f"• <code>{other.code}</code> {type_label(other.kind)}, "
                         f"{status_label(other.status)}, {format_date(other.received_at, 'short')}"
                         f": {reasons}")
    if not card.can_act:
        lines.append("")
        lines.append(_("You can read petitions; reception staff handle them."))
    return "\n".join(lines)


async def ask_card(turn: Turn) -> None:
    """Show a petition's card and the actions the person's role allows."""
    code = _current(turn)
    try:
        card = await turn.services.processing.card(code)
    except LookupError:
        turn.say(_("There is no petition {code}.").format(code=esc(code)))
        await turn.goto("browsing_inbox")
        return
    options: list[Option] = []
    if card.can_classify:
        options.append(option(_("🏷 Classify"), "classify", "phan loai"))
    ordered = [*card.suggested, *(m for m in card.moves if m not in card.suggested)]
    for move in ordered:
        label = move_label(move)
        if move in card.suggested:
            label = "⭐ " + label
        options.append(option(label, f"m:{move.value}"))
    if card.can_merge:
        options.append(option(_("🔗 Merge into another petition"), "merge", "gop"))
    if card.can_act:
        options.append(option(_("👤 Give to a staff member"), "assign", "giao", "phan cong"))
        options.append(option(_("📝 Internal note"), "note", "ghi chu"))
    if card.files:
        options.append(option(_("📎 Files ({count})").format(count=len(card.files)), "files",
                              "tep", "tai lieu"))
    if len(card.petition.content) > CONTENT_SHOWN:
        options.append(option(_("📄 Full text"), "full", "toan van"))
    if card.may_reveal:
        options.append(option(_("👁 Show the sender (recorded)"), "reveal", "xem nguoi gui"))
    options.append(option(_("📥 Back to the list"), "list", "danh sach", "quay lai"))
    turn.ask(card_text(turn, card), options, back=False, columns=2)


async def receive_card(turn: Turn) -> None:
    """Start the chosen action, or show what was asked for."""
    choice = turn.choice or ""
    code = _current(turn)
    for key in ("move", "agency", "document", "document_date", "note", "merge_into"):
        turn.data.pop(key, None)
    if choice == "classify" or choice == "merge" or choice.startswith("m:"):
        # Someone else may have moved the petition since this card was shown: say so at
        # the first tap, not after the whole form.
        status, offered = await turn.services.processing.offered_now(code)
        if choice.removeprefix("m:") not in offered:
            turn.say(_("This petition has changed since it was shown: it is now «{status}». "
                       "Here it is again.").format(status=status_label(status)))
            await ask_card(turn)
            return
    if choice == "list":
        await turn.goto("browsing_inbox")
    elif choice == "classify":
        await _start_classification(turn)
    elif choice.startswith("m:"):
        turn.data["move"] = choice[2:]
        await _next_form_step(turn)
    elif choice == "merge":
        turn.data["move"] = Status.MERGED.value
        await turn.goto("choosing_merge_target")
    elif choice == "assign":
        await turn.goto("choosing_assignee")
    elif choice == "note":
        await turn.goto("waiting_for_internal_note")
    elif choice == "files":
        await _send_files(turn, code)
        await ask_card(turn)
    elif choice == "full":
        card = await turn.services.processing.card(code)
        turn.say(_("<b>Full text of {code}</b>").format(code=code) + "\n"
                 + esc(card.petition.content))
        await ask_card(turn)
    else:
        await _reveal(turn, code)
        await ask_card(turn)


async def _send_files(turn: Turn, code: str) -> None:
    try:
        files = await turn.services.processing.files(code)
    except PermissionError:
        turn.say(_("The files of {code} are withheld: a denouncer's files may show their name, "
                   "address or handwriting. Only {roles} may open them.").format(
                       code=code, roles=_allowed_roles(turn)))
        return
    for number, item in enumerate(files, start=1):
        name = item.file_name or item.kind
        caption = _("File {number} of {count} of {code}: {name}").format(
            number=number, count=len(files), code=code, name=esc(name))
        if item.channel != turn.user.channel:
            turn.say(caption + "\n" + _("It was sent through {channel}: open it from there.")
                     .format(channel=item.channel))
            continue
        kept = OutFile.kept(item.file_id, item.kind, item.file_name, item.mime_type)
        if item.kind == "photo":
            turn.say(caption, photo=kept)
        else:
            turn.say(caption, document=kept)


async def _reveal(turn: Turn, code: str) -> None:
    view = await turn.services.processing.reveal_sender(code)
    person = view.identity
    if view.withheld:
        turn.say(_("Your role may not see a denouncer's identity."))
        return
    if person is None:
        turn.say(_("The sender gave no name."))
        return
    lines = [_("🔓 Sender of {code} (this view is recorded):").format(code=code),
             _("Name: {name}").format(name=esc(person.full_name))]
    if person.phone_masked:
        lines.append(_("Phone: {phone}").format(phone=person.phone_masked))
    lines.append(id_paper_line(person.cccd_masked))
    if person.address:
        lines.append(_("Address: {address}").format(address=esc(person.address)))
    turn.say("\n".join(lines))


# -- classification ------------------------------------------------------------------------------

def _classification(turn: Turn) -> Classification:
    raw = turn.data.get("cls") or {}
    return Classification(
        kind=PetitionType(raw["kind"]), field=Field(raw["field"]),
        eligible=bool(raw["eligible"]), ineligible_reason=raw.get("ineligible_reason"),
        competence=Competence(raw["competence"]),
        chairman_jurisdiction=bool(raw["chairman"]), skips_level=bool(raw["skips_level"]),
        site_id=raw.get("site_id"),
    )


def _keep(turn: Turn, c: Classification) -> None:
    turn.data["cls"] = {"kind": c.kind.value, "field": c.field.value, "eligible": c.eligible,
                        "ineligible_reason": c.ineligible_reason,
                        "competence": c.competence.value, "chairman": c.chairman_jurisdiction,
                        "skips_level": c.skips_level, "site_id": c.site_id}


async def _start_classification(turn: Turn) -> None:
    petition = await turn.services.processing.find(_current(turn))
    if petition is None:
        await turn.goto("browsing_inbox")
        return
    site = await turn.services.staff.site_of(turn.user)
    _keep(turn, turn.services.processing.default_classification(petition, site))
    await turn.goto("choosing_type")


def _mark(current: bool, label: str) -> str:
    return f"✓ {label}" if current else label


async def ask_type(turn: Turn) -> None:
    """Ask the petition's type (the citizen's choice is marked)."""
    c = _classification(turn)
    turn.ask(_("Classify {code}. What type of petition is it?").format(code=_current(turn)),
             [option(_mark(kind is c.kind, type_label(kind)), kind.value, *_TYPE_ALIASES[kind])
              for kind in PetitionType], columns=2)


async def receive_type(turn: Turn) -> None:
    """Keep the type; ask the field."""
    _keep(turn, turn.services.processing.with_kind(_classification(turn),
                                                   PetitionType(turn.choice or "")))
    await turn.advance("choosing_field")


async def ask_field(turn: Turn) -> None:
    """Ask the field (lĩnh vực)."""
    c = _classification(turn)
    turn.ask(_("Which field is it about?"),
             [option(_mark(value is c.field, field_label(value)), value.value)
              for value in Field], columns=2)


async def receive_field(turn: Turn) -> None:
    """Keep the field; ask whether it meets the conditions for handling."""
    c = _classification(turn)
    _keep(turn, replace(c, field=Field(turn.choice or "")))
    await turn.advance("choosing_eligibility")


async def ask_eligibility(turn: Turn) -> None:
    """Ask whether the petition meets the conditions for handling."""
    c = _classification(turn)
    turn.ask(_("Does it meet the conditions for handling (đủ điều kiện xử lý)?"),
             [option(_mark(c.eligible, _("Yes, it does")), "yes", "co", "du"),
              option(_mark(not c.eligible, _("No, it does not")), "no", "khong")])


async def receive_eligibility(turn: Turn) -> None:
    """Keep the answer; without the conditions, ask why."""
    c = _classification(turn)
    eligible = turn.choice == "yes"
    _keep(turn, replace(c, eligible=eligible,
                        ineligible_reason=c.ineligible_reason if not eligible else None))
    if eligible:
        await turn.advance("choosing_competence")
    else:
        await turn.goto("waiting_for_ineligible_reason")


_REASONS = (
    N_("Not signed or fingerprinted"),
    N_("No name or address of the sender"),
    N_("Already handled, with no new facts"),
    N_("The time limit for complaining has passed"),
    N_("Not written in Vietnamese"),
)


async def ask_ineligible_reason(turn: Turn) -> None:
    """Ask why the petition does not meet the conditions (a common reason, or typed)."""
    turn.ask(_("Why does it not meet the conditions? Choose, or type the reason:"),
             [option(_(reason), f"r:{index}") for index, reason in enumerate(_REASONS)],
             expect=Expect.TEXT)


async def receive_ineligible_reason(turn: Turn) -> None:
    """Keep the reason; ask the competence."""
    if turn.choice is not None:
        reason = _(_REASONS[int(turn.choice[2:])])
    else:
        reason = (turn.text or "")[:AGENCY_CHARS]
    c = _classification(turn)
    _keep(turn, replace(c, ineligible_reason=reason))
    await turn.advance("choosing_competence")


async def ask_competence(turn: Turn) -> None:
    """Ask whose matter it is."""
    c = _classification(turn)
    turn.ask(_("Whose matter is it?"),
             [option(_mark(value is c.competence, competence_label(value)), value.value)
              for value in Competence])


async def receive_competence(turn: Turn) -> None:
    """Keep the competence; ask what follows from it."""
    c = _classification(turn)
    competence = Competence(turn.choice or "")
    _keep(turn, replace(c, competence=competence,
                        chairman_jurisdiction=c.chairman_jurisdiction
                        and competence is Competence.OURS))
    if competence is Competence.OURS:
        await turn.goto("choosing_chairman")
    else:
        await _after_chairman(turn)


async def ask_chairman(turn: Turn) -> None:
    """Ask whether it is under the provincial chairman's jurisdiction (domain.md §2.8)."""
    c = _classification(turn)
    turn.ask(_("Is it under the jurisdiction of the Chairman of the provincial People's "
               "Committee?"),
             [option(_mark(c.chairman_jurisdiction, _("Yes")), "yes", "co"),
              option(_mark(not c.chairman_jurisdiction, _("No")), "no", "khong")])


async def receive_chairman(turn: Turn) -> None:
    """Keep the answer; go on."""
    c = _classification(turn)
    _keep(turn, replace(c, chairman_jurisdiction=turn.choice == "yes"))
    await _after_chairman(turn)


async def _after_chairman(turn: Turn) -> None:
    if _classification(turn).kind is PetitionType.COMPLAINT:
        await turn.goto("choosing_skips_level")
    else:
        await _after_skips_level(turn)


async def ask_skips_level(turn: Turn) -> None:
    """Ask whether the complaint skips a level (no lower body has decided it yet)."""
    c = _classification(turn)
    turn.ask(_("Does the complaint skip a level (vượt cấp): has the body that made the decision "
               "not dealt with it first?"),
             [option(_mark(c.skips_level, _("Yes, it skips a level")), "yes", "co"),
              option(_mark(not c.skips_level, _("No")), "no", "khong")])


async def receive_skips_level(turn: Turn) -> None:
    """Keep the answer; go on."""
    c = _classification(turn)
    _keep(turn, replace(c, skips_level=turn.choice == "yes"))
    await _after_skips_level(turn)


async def _after_skips_level(turn: Turn) -> None:
    if len(turn.settings.sites) > 1:
        await turn.goto("choosing_site")
    else:
        await turn.goto("confirming_classification")


async def ask_site(turn: Turn) -> None:
    """Ask which reception site handles it."""
    c = _classification(turn)
    options = [option(_mark(site.id == c.site_id, site.name), site.id)
               for site in turn.settings.sites]
    options.append(option(_mark(c.site_id is None, _("No site yet (online)")), "-"))
    turn.ask(_("Which reception site handles it?"), options)


async def receive_site(turn: Turn) -> None:
    """Keep the site; ask to confirm."""
    c = _classification(turn)
    _keep(turn, replace(c, site_id=None if turn.choice == "-" else turn.choice))
    await turn.goto("confirming_classification")


async def ask_confirm_classification(turn: Turn) -> None:
    """Show the classification and ask to confirm it."""
    c = _classification(turn)
    text = _("Classification of {code}:").format(code=_current(turn)) + "\n" + esc(
        turn.services.processing.classification_text(c))
    if len(turn.settings.sites) > 1:
        text += "\n" + _("Site: {site}").format(site=esc(_site_name(turn.settings, c.site_id)))
    turn.ask(text, [yes_option(_("✅ Save"), "yes", "luu"), no_option(_("✖ Cancel"), "no")],
             expect=Expect.CONFIRM)


async def receive_confirm_classification(turn: Turn) -> None:
    """Save the classification (the service checks the role and the status again)."""
    code = _current(turn)
    if turn.choice == "yes":
        try:
            await turn.services.processing.classify(code, _classification(turn))
            turn.say(_("✅ {code} is classified.").format(code=code))
        except ActionRefusedError as refused:
            turn.say(refused.message)
        except PermissionError:
            turn.say(_("Sorry, only reception staff can do this."))
        except (MoveError, ValueError):
            turn.say(_("Nothing was saved: the petition has changed meanwhile. Here it is "
                       "again."))
    else:
        turn.say(_("Nothing was changed."))
    turn.data.pop("cls", None)
    await turn.goto("reading_petition")


# -- moves -----------------------------------------------------------------------------------

def _move(turn: Turn) -> Status:
    return Status(str(turn.data.get("move")))


async def _next_form_step(turn: Turn) -> None:
    move = _move(turn)
    if move in NEEDS_AGENCY and "agency" not in turn.data:
        await turn.goto("waiting_for_agency")
    elif (move in NEEDS_DOCUMENT or move in OPTIONAL_DOCUMENT) and "document" not in turn.data:
        await turn.goto("waiting_for_document")
    elif "note" not in turn.data:
        await turn.goto("waiting_for_note")
    else:
        await turn.goto("confirming_move")


async def ask_agency(turn: Turn) -> None:
    """Ask the body the citizen is guided to, the petition forwarded to, or the level chased."""
    move = _move(turn)
    if move is Status.GUIDED:
        question = _("To which competent body should the citizen take the petition? Type its "
                     "name.")
    elif move is Status.FORWARDED:
        question = _("To which body is the petition forwarded? Type its name.")
    else:
        question = _("Which lower level is chased? Type the body's name.")
    petition = await turn.services.processing.find(_current(turn))
    options = []
    if petition is not None and petition.prior_body:
        options.append(option(petition.prior_body[:60], "prior"))
    turn.ask(question, options, expect=Expect.TEXT)


async def receive_agency(turn: Turn) -> None:
    """Keep the body's name."""
    if turn.choice == "prior":
        petition = await turn.services.processing.find(_current(turn))
        agency = petition.prior_body if petition and petition.prior_body else ""
    else:
        agency = " ".join((turn.text or "").split())
    if not agency or len(agency) > AGENCY_CHARS:
        await turn.reask(_("Please type the body's name (at most {limit} characters).").format(
            limit=AGENCY_CHARS))
        return
    turn.data["agency"] = agency
    await _next_form_step(turn)


async def ask_document(turn: Turn) -> None:
    """Ask the number (and date) of the document behind the move."""
    move = _move(turn)
    question = _("Type the number of the document, with its date if you like, for example: "
                 "125/BTCD-XLĐ ngày 25/11/2026.")
    options = []
    if move not in NEEDS_DOCUMENT:
        options.append(option(_("Skip: no document"), "skip", "bo qua", "khong co"))
    turn.ask(question, options, expect=Expect.TEXT)


async def receive_document(turn: Turn) -> None:
    """Keep the document's number and date."""
    if turn.choice == "skip":
        turn.data["document"] = None
        await _next_form_step(turn)
        return
    parsed = parse_document(turn.text or "")
    if parsed is None:
        await turn.reask(_("I cannot read that as a document number. Type it as it is written "
                           "on the document, for example: 125/BTCD-XLĐ ngày 25/11/2026."))
        return
    number, day = parsed
    turn.data["document"] = number
    turn.data["document_date"] = day.isoformat() if day else None
    await _next_form_step(turn)


async def ask_note(turn: Turn) -> None:
    """Ask the reason, the result or a note, saying whether the citizen will read it."""
    move = _move(turn)
    if move is Status.RESOLVED:
        question = _("What is the result? It is sent to the citizen with the news.")
    elif move in NEEDS_NOTE:
        question = _("What is the reason? It is sent to the citizen with the news.")
    else:
        question = _("Add a note for the record? It stays inside the office.")
    options = []
    if move not in REQUIRED_NOTE:
        options.append(option(_("Skip: no note"), "skip", "bo qua", "khong"))
    turn.ask(question, options, expect=Expect.TEXT)


async def receive_note(turn: Turn) -> None:
    """Keep the note; ask to confirm."""
    if turn.choice == "skip":
        turn.data["note"] = ""
    else:
        text = (turn.text or "").strip()
        if len(text) > MAX_NOTE_CHARS:
            await turn.reask(_("Please keep it under {limit} characters.").format(
                limit=MAX_NOTE_CHARS))
            return
        turn.data["note"] = text
    await turn.goto("confirming_move")


async def ask_confirm_move(turn: Turn) -> None:
    """Say exactly what will be recorded and what the citizen will be told; ask to confirm."""
    move = _move(turn)
    code = _current(turn)
    agency = turn.data.get("agency")
    lines = []
    if move is Status.MERGED:
        lines.append(_("Merge {code} into {other}? Both join one case.").format(
            code=code, other=turn.data.get("merge_into")))
    else:
        lines.append(_("Move {code} to «{status}»?").format(code=code,
                                                            status=status_label(move)))
    if agency:
        lines.append(_("Body: {name}").format(name=esc(agency)))
    if turn.data.get("document"):
        lines.append(_("Document no. {number}").format(number=esc(turn.data["document"])))
    note = str(turn.data.get("note") or "")
    if note:
        lines.append(_("Note: {text}").format(text=esc(note)))
    petition = await turn.services.processing.find(code)
    if petition is not None and petition.channel is not None:
        told = status_meaning(move, agency=agency, due=None)
        if note and move in NOTE_TOLD:
            told += " " + esc(note)
        lines.append(_("The citizen will be told: «{text}»").format(text=told))
    else:
        lines.append(_("This petition was not sent in chat: the citizen is not told here."))
    turn.ask("\n".join(lines), [yes_option(_("✅ Confirm")), no_option(_("✖ Cancel"))],
             expect=Expect.CONFIRM)


async def receive_confirm_move(turn: Turn) -> None:
    """Record the move (the service checks the role, the status and the rules again)."""
    code = _current(turn)
    move = _move(turn)
    if turn.choice != "yes":
        turn.say(_("Nothing was changed."))
        await turn.goto("reading_petition")
        return
    processing = turn.services.processing
    day = turn.data.get("document_date")
    try:
        if move is Status.MERGED:
            await processing.merge(code, str(turn.data.get("merge_into")),
                                   str(turn.data.get("note") or ""))
        else:
            await processing.move(
                code, move, note=str(turn.data.get("note") or ""),
                document_no=turn.data.get("document"),
                document_date=date.fromisoformat(day) if day else None,
                agency=turn.data.get("agency"))
        petition = await processing.find(code)
        told = petition is not None and petition.channel is not None
        done = _("✅ Done: {code} is now «{status}».").format(code=code,
                                                             status=status_label(move))
        turn.say(done + (" " + _("The citizen is being told.") if told else ""))
    except ActionRefusedError as refused:
        turn.say("⛔ " + refused.message)
    except PermissionError:
        turn.say(_("Sorry, only reception staff can do this."))
    except (MoveError, LookupError):
        petition = await processing.find(code)
        now = status_label(petition.status) if petition else "?"
        turn.say(_("Nothing was done: the petition has changed meanwhile (it is now «{status}»)."
                   ).format(status=now))
    await turn.goto("reading_petition")


# -- merge, note, assignment -------------------------------------------------------------------

async def ask_merge_target(turn: Turn) -> None:
    """Ask which petition this one merges into: a suggested duplicate, or a typed code."""
    card = await turn.services.processing.card(_current(turn))
    options = [option(f"{d.petition.code} · {reason_label(d.reasons[0])}", f"t:{d.petition.code}")
               for d in card.duplicates if d.petition.status is not Status.MERGED]
    turn.ask(_("Into which petition should {code} be merged? Choose a suggestion or type its "
               "tracking code.").format(code=_current(turn)), options, expect=Expect.TEXT)


async def receive_merge_target(turn: Turn) -> None:
    """Keep the target; ask for a note."""
    target = turn.choice[2:] if turn.choice else find_code(turn.text or "")
    if not target or target == _current(turn):
        await turn.reask(_("Please choose a petition or type another tracking code, such as "
                           "D-7K4M-9QXR."))
        return
    if await turn.services.processing.find(target) is None:
        await turn.reask(_("There is no petition {code}.").format(code=esc(target)))
        return
    turn.data["merge_into"] = target
    await turn.goto("waiting_for_note")


async def ask_internal_note(turn: Turn) -> None:
    """Ask for an internal note."""
    turn.ask(_("Type the note. It stays inside the office and is never sent to the citizen."),
             expect=Expect.TEXT)


async def receive_internal_note(turn: Turn) -> None:
    """Keep the note (the service checks the role again)."""
    text = (turn.text or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        await turn.reask(_("Please keep it under {limit} characters.").format(
            limit=MAX_NOTE_CHARS))
        return
    try:
        await turn.services.processing.add_note(_current(turn), text)
        turn.say(_("📝 The note is kept."))
    except PermissionError:
        turn.say(_("Sorry, only reception staff can do this."))
    await turn.goto("reading_petition")


async def ask_assignee(turn: Turn) -> None:
    """List the staff who can be given the petition (one's own site first)."""
    try:
        members = await turn.services.processing.assignable()
    except PermissionError:
        turn.say(_("Sorry, only reception staff can do this."))
        await turn.goto("reading_petition")
        return
    options = []
    for member in members[:20]:
        name = member.user.display_name or member.key
        site = _site_name(turn.settings, member.site) if member.site else _("all sites")
        options.append(option(f"{name[:36]} · {site[:20]}", f"a:{member.key}"))
    turn.ask(_("Who should handle {code}? They will be told in the chat.").format(
        code=_current(turn)), options)


async def receive_assignee(turn: Turn) -> None:
    """Give the petition to the chosen person (the service checks both roles again)."""
    channel, _sep, user_id = (turn.choice or "").removeprefix("a:").partition(":")
    try:
        member = await turn.services.processing.assign(_current(turn), channel, user_id)
        turn.say(_("👤 {code} is given to {name}.").format(
            code=_current(turn), name=esc(member.user.display_name or member.key)))
    except ActionRefusedError as refused:
        turn.say(refused.message)
    except PermissionError:
        turn.say(_("Sorry, only reception staff can do this."))
    await turn.goto("reading_petition")


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Petition processing"),
    steps={
        "browsing_inbox": Step(ask_inbox, receive_inbox),
        "choosing_filter": Step(ask_filter, receive_filter),
        "reading_petition": Step(ask_card, receive_card),
        "choosing_type": Step(ask_type, receive_type),
        "choosing_field": Step(ask_field, receive_field),
        "choosing_eligibility": Step(ask_eligibility, receive_eligibility),
        "waiting_for_ineligible_reason": Step(ask_ineligible_reason,
                                              receive_ineligible_reason),
        "choosing_competence": Step(ask_competence, receive_competence),
        "choosing_chairman": Step(ask_chairman, receive_chairman),
        "choosing_skips_level": Step(ask_skips_level, receive_skips_level),
        "choosing_site": Step(ask_site, receive_site),
        "confirming_classification": Step(ask_confirm_classification,
                                          receive_confirm_classification),
        "waiting_for_agency": Step(ask_agency, receive_agency),
        "waiting_for_document": Step(ask_document, receive_document),
        "waiting_for_note": Step(ask_note, receive_note),
        "confirming_move": Step(ask_confirm_move, receive_confirm_move),
        "choosing_merge_target": Step(ask_merge_target, receive_merge_target),
        "waiting_for_internal_note": Step(ask_internal_note, receive_internal_note),
        "choosing_assignee": Step(ask_assignee, receive_assignee),
    },
    first="browsing_inbox",
    roles=READERS,
)
