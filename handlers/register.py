"""The register entry (Sổ tiếp công dân) for one reception, or a refusal of reception (staff).

From a booking («done» on the queue) the entry is pre-filled: who, where, when, how many, the
matter, the mode, the leader and the petition; only what is missing is asked. A citizen
without an appointment starts from their name::

    (walk-in) waiting_for_name ─▶ waiting_for_address ─▶ waiting_for_phone ─▶ waiting_for_cccd
        ─▶ waiting_for_people ─▶ waiting_for_summary ─▶ (a leader's day) choosing_mode ─┐
    (booking) ──────────────────────────────────────────────────────────────────────────┤
      ┌────────────────────────────────────────────────────────────────────────────────┘
      ├─ a refusal: choosing_refusal_ground ─▶ waiting_for_refusal_note
      │                                        ─▶ (a written notice) waiting_for_refusal_doc ─┐
      └─ a reception: choosing_type ─▶ waiting_for_prior_body ─▶ choosing_competence          │
           ─▶ choosing_outcome ─┬─ guided ─▶ waiting_for_guidance ─▶ waiting_for_guidance_doc │
                                ├─ handled ─▶ waiting_for_handled_by ─▶ waiting_for_forward_doc
                                └─ neither ─┐                                                 │
           waiting_for_notes ◀──────────────┘                                                 │
           ─▶ (a mass delegation) choosing_police ─▶ (earlier visits) choosing_case           │
           ─▶ (no petition linked) choosing_petition ─┬─ create ─▶ (no type) choosing_petition_type
                                                      └─ link ─▶ waiting_for_petition_code    │
    reviewing ◀───────────────────────────────────────────────────────────────────────────────┘
    reviewing ─┬─ save ─▶ the queue again
               └─ change ─▶ choosing_change ─▶ (that step) ─▶ reviewing

The role is checked by the flow on every turn and again by the register service.
"""

from __future__ import annotations

from datetime import date

from bot.dialog.flow import Flow, Step, Turn, esc, option, yes_option
from bot.domain.choices import Option
from bot.domain.codes import PETITION_PREFIX, normalize_code
from bot.domain.conversation import Expect
from bot.domain.identity import Cccd, CccdError, PersonNameError, Phone, PhoneError, normalize_name
from bot.domain.numbers import parse_people
from bot.domain.person import PersonIdentity
from bot.domain.petitions import AnswerProblem, PetitionType, clean_answer
from bot.domain.register import ReceptionMode, RefusalGround, VisitEntry
from bot.i18n import N_, _, format_date
from bot.services.petitions import type_label
from bot.services.register import RecordError, RecordProblem
from handlers.identity import cccd_problem_hint, phone_problem_hint
from handlers.queue import (
    BOOKED_FLOW,
    REFUSAL_FLOW,
    STAFF_ONLY,
    WALK_IN_FLOW,
    code_tag,
    identity_lines,
    show_queue,
)
from handlers.staff import site_label

SKIP = "skip"
SUMMARY_SHOWN = 60

# The order of the questions; each is asked only when the entry needs it (_needed).
ORDER = (
    "waiting_for_name", "waiting_for_address", "waiting_for_phone", "waiting_for_cccd",
    "waiting_for_people", "waiting_for_summary", "choosing_mode",
    "choosing_refusal_ground", "waiting_for_refusal_note", "waiting_for_refusal_doc",
    "choosing_type", "waiting_for_prior_body", "choosing_competence", "choosing_outcome",
    "waiting_for_guidance", "waiting_for_guidance_doc", "waiting_for_handled_by",
    "waiting_for_forward_doc", "waiting_for_notes", "choosing_police", "choosing_case",
    "choosing_petition", "choosing_petition_type", "waiting_for_petition_code", "reviewing",
)
_IDENTITY_STEPS = frozenset(ORDER[:6])
_REFUSAL_STEPS = frozenset({"choosing_refusal_ground", "waiting_for_refusal_note",
                            "waiting_for_refusal_doc"})

def _skip(label: str | None = None) -> Option:
    return option(label or _("⏭ Skip"), SKIP, "bo qua", "khong co", "skip")


# -- the entry as gathered ----------------------------------------------------------------------


def _day(turn: Turn) -> date:
    return date.fromisoformat(str(turn.data["day"]))


def _identity(turn: Turn) -> PersonIdentity:
    return PersonIdentity.from_json(dict(turn.data.get("identity") or {}))


def _set_identity(turn: Turn, **values: str | None) -> None:
    data = dict(turn.data.get("identity") or {})
    data.update(values)
    turn.data["identity"] = data


def _text(turn: Turn, key: str) -> str | None:
    value = turn.data.get(key)
    return str(value) if value else None


def _type(turn: Turn) -> PetitionType | None:
    value = turn.data.get("type")
    return PetitionType(value) if value else None


def _ground(turn: Turn) -> RefusalGround | None:
    return turn.services.register.ground(_text(turn, "ground"))


def _entry(turn: Turn) -> VisitEntry:
    data = turn.data
    competence = data.get("competence")
    outcome = data.get("outcome")
    return VisitEntry(
        site_id=str(data["site_id"]), received_on=_day(turn),
        mode=ReceptionMode(str(data["mode"])), people=int(data.get("people") or 1),
        identity=_identity(turn), summary=str(data.get("summary") or ""),
        leader_id=_text(turn, "leader_id"), leader_title=_text(turn, "leader_title"),
        reception_day_id=data.get("reception_day_id"), booking_id=data.get("booking_id"),
        petition_id=data.get("petition_id"), same_case_as=data.get("same_case_as"),
        police_coordination=bool(data.get("police")), petition_type=_type(turn),
        prior_body=_text(turn, "prior_body"),
        within_competence=None if competence is None else bool(competence),
        guidance=_text(turn, "guidance") if outcome == "guide" else None,
        guidance_doc_no=_text(turn, "guidance_doc") if outcome == "guide" else None,
        handled_by=_text(turn, "handled_by") if outcome == "handle" else None,
        forward_doc_no=_text(turn, "forward_doc") if outcome == "handle" else None,
        notes=_text(turn, "notes"), refused=bool(data.get("refused")),
        refusal_ground=_text(turn, "ground") if data.get("refused") else None,
        refusal_doc_no=_text(turn, "refusal_doc") if data.get("refused") else None,
    )


async def _needed(turn: Turn, step: str) -> bool:
    data = turn.data
    refused = bool(data.get("refused"))
    if step in _IDENTITY_STEPS:
        return bool(data.get("walk_in"))
    if step == "choosing_mode":
        return bool(data.get("walk_in") and data.get("leader_days"))
    if step in _REFUSAL_STEPS:
        if not refused:
            return False
        ground = _ground(turn)
        return step != "waiting_for_refusal_doc" or (ground is not None and ground.needs_notice)
    if step == "reviewing":
        return True
    if refused:
        return False
    if step in ("waiting_for_guidance", "waiting_for_guidance_doc"):
        return data.get("outcome") == "guide"
    if step in ("waiting_for_handled_by", "waiting_for_forward_doc"):
        return data.get("outcome") == "handle"
    if step == "choosing_police":
        return turn.services.register.is_mass_delegation(int(data.get("people") or 1),
                                                         _day(turn))
    if step == "choosing_case":
        return bool(await _earlier(turn))
    if step == "choosing_petition":
        # A petition the booking named is linked already; one staff linked may be changed.
        return not data.get("petition_id") or data.get("petition_action") is not None
    if step == "choosing_petition_type":
        return data.get("petition_action") == "create" and _type(turn) is None
    if step == "waiting_for_petition_code":
        return data.get("petition_action") == "link"
    return True


async def _forward(turn: Turn, after: str) -> None:
    """Go on to the next question the entry needs (or back to the review after a change)."""
    for step in ORDER[ORDER.index(after) + 1:]:
        if await _needed(turn, step):
            await turn.advance(step)
            return


async def _earlier(turn: Turn) -> list[tuple[int, str]]:
    visits = await turn.services.register.earlier_visits(_identity(turn))
    return [(visit.id, _("🔁 Same matter as {day}: {summary}").format(
        day=format_date(visit.entry.received_on, "short"),
        summary=visit.entry.summary[:SUMMARY_SHOWN])) for visit in visits]


async def _clean(turn: Turn, limit: int | None = None) -> str | None:
    """Return the typed answer tidied, or re-ask with why it cannot be taken."""
    size = limit or turn.settings.petitions.max_answer_chars
    cleaned = clean_answer(turn.text or "", size)
    if cleaned is AnswerProblem.TOO_LONG:
        await turn.reask(_("That is longer than {limit} characters. Please shorten it.")
                         .format(limit=size))
        return None
    if not isinstance(cleaned, str):
        await turn.reask(_("Please type the answer in words."))
        return None
    return cleaned


# -- who came (walk-ins) ----------------------------------------------------------------------


async def ask_name(turn: Turn) -> None:
    """Ask the citizen's full name."""
    turn.ask(_("Full name of the citizen (as on their ID paper)?"), expect=Expect.TEXT)


async def receive_name(turn: Turn) -> None:
    """Check and keep the name."""
    name = normalize_name(turn.text or "")
    if isinstance(name, PersonNameError):
        await turn.reask(_("Please type the name in letters, for example: Nguyễn Văn An."))
        return
    _set_identity(turn, full_name=name)
    await _forward(turn, "waiting_for_name")


async def ask_address(turn: Turn) -> None:
    """Ask the citizen's address."""
    turn.ask(_("Their address (village or street, commune or ward)?"), [_skip()],
             expect=Expect.TEXT)


async def receive_address(turn: Turn) -> None:
    """Keep the address (or none)."""
    if turn.choice == SKIP:
        _set_identity(turn, address=None)
    else:
        address = await _clean(turn)
        if address is None:
            return
        _set_identity(turn, address=address)
    await _forward(turn, "waiting_for_address")


async def ask_phone(turn: Turn) -> None:
    """Ask the citizen's phone number (optional)."""
    turn.ask(_("Their phone number? (optional)"), [_skip()], expect=Expect.TEXT)


async def receive_phone(turn: Turn) -> None:
    """Check and keep the phone (or none)."""
    if turn.choice == SKIP:
        _set_identity(turn, phone_e164=None, phone_masked=None)
    else:
        phone = turn.services.identity.phone(turn.text or "")
        if isinstance(phone, PhoneError):
            await turn.reask(phone_problem_hint())
            return
        assert isinstance(phone, Phone)  # noqa: S101 - the error case returned above
        _set_identity(turn, phone_e164=phone.e164, phone_masked=phone.masked)
    await _forward(turn, "waiting_for_phone")


async def ask_cccd(turn: Turn) -> None:
    """Ask the CCCD number; a person may have none."""
    turn.ask(_("Their CCCD number (12 digits)? If they have none, tap «No CCCD»."),
             [_skip(_("No CCCD"))], expect=Expect.TEXT)


async def receive_cccd(turn: Turn) -> None:
    """Keep the CCCD only in its protected forms (or none)."""
    if turn.choice == SKIP:
        _set_identity(turn, cccd_digest=None, cccd_masked=None, cccd_sealed=None)
    else:
        cccd = turn.services.identity.cccd(turn.text or "")
        if isinstance(cccd, CccdError):
            await turn.reask(cccd_problem_hint(cccd))
            return
        assert isinstance(cccd, Cccd)  # noqa: S101 - the error case returned above
        protected = turn.services.identity.protect(PersonIdentity(full_name=""), cccd)
        _set_identity(turn, cccd_digest=protected.cccd_digest,
                      cccd_masked=protected.cccd_masked, cccd_sealed=protected.cccd_sealed)
    await _forward(turn, "waiting_for_cccd")


async def ask_people(turn: Turn) -> None:
    """Ask how many people came with the same matter."""
    turn.ask(_("How many people came with the same matter?"),
             [option(_("One person"), "1", "mot")], expect=Expect.NUMBER)


async def receive_people(turn: Turn) -> None:
    """Keep the number of people."""
    limit = turn.settings.bookings.max_people
    people = int(turn.choice) if turn.choice else parse_people(turn.text or "", limit)
    if not isinstance(people, int):
        await turn.reask(_("Please type a number of people from 1 to {limit}.").format(
            limit=limit))
        return
    turn.data["people"] = people
    await _forward(turn, "waiting_for_people")


async def ask_summary(turn: Turn) -> None:
    """Ask for the summary of the matter."""
    turn.ask(_("What is the matter about (a short summary for the register)?"),
             expect=Expect.TEXT)


async def receive_summary(turn: Turn) -> None:
    """Keep the summary."""
    summary = await _clean(turn, turn.settings.petitions.max_content_chars)
    if summary is None:
        return
    turn.data["summary"] = summary
    await _forward(turn, "waiting_for_summary")


async def ask_mode(turn: Turn) -> None:
    """Ask who received the citizen, on a day a leader receives at this site."""
    options = [option(_("🏢 The office's staff (regular reception)"), "regular",
                      "thuong xuyen", "can bo")]
    for day_id in turn.data.get("leader_days") or []:
        day = await turn.services.bookings.reception_day(int(day_id))
        if day is not None:
            leader = turn.settings.leader(day.leader_id)
            title = leader.title if leader is not None else day.leader_id
            options.append(option(_("👤 The {leader} in person").format(leader=title),
                                  f"day:{day.id}"))
    turn.ask(_("Who received the citizen?"), options)


async def receive_mode(turn: Turn) -> None:
    """Keep the reception mode and, for a leader, the day and the leader."""
    choice = turn.choice or ""
    if choice.startswith("day:"):
        day = await turn.services.bookings.reception_day(int(choice.removeprefix("day:")))
        if day is not None:
            leader = turn.settings.leader(day.leader_id)
            turn.data.update(mode=ReceptionMode.LEADER.value, reception_day_id=day.id,
                             leader_id=day.leader_id,
                             leader_title=leader.title if leader else day.leader_id)
    else:
        turn.data.update(mode=ReceptionMode.REGULAR.value, reception_day_id=None,
                         leader_id=None, leader_title=None)
    await _forward(turn, "choosing_mode")


# -- a refusal ----------------------------------------------------------------------------------


async def ask_refusal_ground(turn: Turn) -> None:
    """List the legal grounds in force for refusing reception; ask which applies."""
    grounds = turn.services.register.grounds(_day(turn))
    lines = [_("On which legal ground is reception refused for {name}? The assistant never "
               "refuses anyone by itself: this is the decision of the office.").format(
        name=esc(_identity(turn).full_name))]
    options = []
    for number, ground in enumerate(grounds, start=1):
        # Staff read the source with the office's remark («chưa đối chiếu công báo»).
        lines.append(f"{number}. {esc(_(ground.label))} ({esc(ground.source)})")
        label = _(ground.label)
        options.append(option(f"{number}. {label[:50]}{'…' if len(label) > 50 else ''}",
                              f"g:{ground.key}"))
    turn.ask("\n".join(lines), options)


async def receive_refusal_ground(turn: Turn) -> None:
    """Keep the ground; ask for the note."""
    turn.data["ground"] = (turn.choice or "").removeprefix("g:")
    await turn.goto("waiting_for_refusal_note")


async def ask_refusal_note(turn: Turn) -> None:
    """Ask for a note on the refusal (what happened; required for «another case»)."""
    ground = _ground(turn)
    if ground is not None and ground.needs_note:
        turn.ask(_("Please say which case the law sets and what happened."), expect=Expect.TEXT)
        return
    turn.ask(_("A note on what happened? (optional)"), [_skip()], expect=Expect.TEXT)


async def receive_refusal_note(turn: Turn) -> None:
    """Keep the note; a ground with a written notice asks its number next."""
    if turn.choice == SKIP:
        turn.data["notes"] = None
    else:
        note = await _clean(turn)
        if note is None:
            return
        turn.data["notes"] = note
    ground = _ground(turn)
    if ground is not None and ground.needs_notice:
        await turn.goto("waiting_for_refusal_doc")
        return
    await _forward(turn, "waiting_for_refusal_doc")


async def ask_refusal_doc(turn: Turn) -> None:
    """Ask the number of the written notice of refusal (Mẫu 01/TCD)."""
    turn.ask(_("The number of the written notice of refusal (Mẫu 01/TCD), for example "
               "12/TB-BTCD?"), expect=Expect.TEXT)


async def receive_refusal_doc(turn: Turn) -> None:
    """Keep the notice's number."""
    number = await _clean(turn, 100)
    if number is None:
        return
    turn.data["refusal_doc"] = number
    await _forward(turn, "waiting_for_refusal_doc")


# -- what was received ------------------------------------------------------------------------


def _type_options() -> list[Option]:
    aliases = {
        PetitionType.COMPLAINT: ("khieu nai",), PetitionType.DENUNCIATION: ("to cao",),
        PetitionType.RECOMMENDATION: ("kien nghi",), PetitionType.REPORT: ("phan anh",),
    }
    return [option(type_label(kind), kind.value, *aliases[kind]) for kind in PetitionType]


async def ask_type(turn: Turn) -> None:
    """Ask the type of the matter (column 6)."""
    turn.ask(_("Which type is the matter of {name}: «{summary}»?").format(
        name=esc(_identity(turn).full_name),
        summary=esc(str(turn.data.get("summary", ""))[:SUMMARY_SHOWN])),
        [*_type_options(), _skip(_("⏭ Not determined"))])


async def receive_type(turn: Turn) -> None:
    """Keep the type."""
    turn.data["type"] = None if turn.choice == SKIP else turn.choice
    await _forward(turn, "choosing_type")


async def ask_prior_body(turn: Turn) -> None:
    """Ask which body already dealt with the matter (column 8)."""
    turn.ask(_("Which body has already dealt with it, if any?"),
             [_skip(_("⏭ None yet"))], expect=Expect.TEXT)


async def receive_prior_body(turn: Turn) -> None:
    """Keep the body that already dealt with it (or none)."""
    if turn.choice == SKIP:
        turn.data["prior_body"] = None
    else:
        body = await _clean(turn)
        if body is None:
            return
        turn.data["prior_body"] = body
    await _forward(turn, "waiting_for_prior_body")


async def ask_competence(turn: Turn) -> None:
    """Ask whether the matter is within the office's competence (column 9)."""
    turn.ask(_("Is it within the competence of the office (thuộc thẩm quyền)?"),
             [option(_("Yes, within our competence"), "yes", "co"),
              option(_("No, not ours"), "no", "khong"),
              _skip(_("⏭ Not determined yet"))])


async def receive_competence(turn: Turn) -> None:
    """Keep the answer."""
    turn.data["competence"] = None if turn.choice == SKIP else turn.choice == "yes"
    await _forward(turn, "choosing_competence")


async def ask_outcome(turn: Turn) -> None:
    """Ask how the matter was handled at the reception (columns 10 and 11)."""
    turn.ask(_("How was the matter handled?"),
             [option(_("🧭 The citizen was guided to the competent body"), "guide",
                     "huong dan"),
              option(_("📥 Accepted, or forwarded to a body"), "handle", "thu ly",
                     "chuyen"),
              _skip(_("⏭ Neither yet"))])


async def receive_outcome(turn: Turn) -> None:
    """Keep the outcome and ask its body (the review comes after its details)."""
    turn.data["outcome"] = turn.choice
    if turn.choice == "guide":
        await turn.goto("waiting_for_guidance")
    elif turn.choice == "handle":
        await turn.goto("waiting_for_handled_by")
    else:
        await _forward(turn, "waiting_for_forward_doc")


async def ask_guidance(turn: Turn) -> None:
    """Ask where the citizen was guided."""
    turn.ask(_("To which body was the citizen guided?"), expect=Expect.TEXT)


async def receive_guidance(turn: Turn) -> None:
    """Keep the body; ask the guidance document's number."""
    body = await _clean(turn)
    if body is None:
        return
    turn.data["guidance"] = body
    await turn.goto("waiting_for_guidance_doc")


async def ask_guidance_doc(turn: Turn) -> None:
    """Ask the number of the written guidance, if one was issued."""
    turn.ask(_("The number of the written guidance, if one was issued?"), [_skip()],
             expect=Expect.TEXT)


async def receive_guidance_doc(turn: Turn) -> None:
    """Keep the number (or none)."""
    if turn.choice == SKIP:
        turn.data["guidance_doc"] = None
    else:
        number = await _clean(turn, 100)
        if number is None:
            return
        turn.data["guidance_doc"] = number
    await _forward(turn, "waiting_for_forward_doc")


async def ask_handled_by(turn: Turn) -> None:
    """Ask which body accepted the matter or got it forwarded."""
    turn.ask(_("Which body accepted it, or was it forwarded to?"), expect=Expect.TEXT)


async def receive_handled_by(turn: Turn) -> None:
    """Keep the body; ask the forwarding document's number."""
    body = await _clean(turn)
    if body is None:
        return
    turn.data["handled_by"] = body
    await turn.goto("waiting_for_forward_doc")


async def ask_forward_doc(turn: Turn) -> None:
    """Ask the number of the forwarding document, if one was issued."""
    turn.ask(_("The number of the forwarding document, if one was issued?"), [_skip()],
             expect=Expect.TEXT)


async def receive_forward_doc(turn: Turn) -> None:
    """Keep the number (or none)."""
    if turn.choice == SKIP:
        turn.data["forward_doc"] = None
    else:
        number = await _clean(turn, 100)
        if number is None:
            return
        turn.data["forward_doc"] = number
    await _forward(turn, "waiting_for_forward_doc")


async def ask_notes(turn: Turn) -> None:
    """Ask for notes (column 13)."""
    turn.ask(_("Any notes for the register?"), [_skip(_("⏭ No notes"))], expect=Expect.TEXT)


async def receive_notes(turn: Turn) -> None:
    """Keep the notes (or none)."""
    if turn.choice == SKIP:
        turn.data["notes"] = None
    else:
        notes = await _clean(turn)
        if notes is None:
            return
        turn.data["notes"] = notes
    await _forward(turn, "waiting_for_notes")


async def ask_police(turn: Turn) -> None:
    """Ask whether the police helped keep order (a mass delegation)."""
    turn.ask(_("{people} people came together: a mass delegation. Did the police coordinate "
               "to keep order?").format(people=turn.data.get("people")),
             [option(_("Yes, with the police"), "yes", "co"),
              option(_("No"), "no", "khong")])


async def receive_police(turn: Turn) -> None:
    """Keep the answer."""
    turn.data["police"] = turn.choice == "yes"
    await _forward(turn, "choosing_police")


async def ask_case(turn: Turn) -> None:
    """Show the citizen's earlier visits; staff decide whether this is the same matter."""
    earlier = await _earlier(turn)
    options = [option(label, f"v:{visit_id}") for visit_id, label in earlier]
    options.append(option(_("🆕 A new matter"), "new", "moi", "khac"))
    turn.ask(_("{name} came before (same CCCD or phone). Is this the same matter? A repeat "
               "visit is counted as such in the reports.").format(
        name=esc(_identity(turn).full_name)), options)


async def receive_case(turn: Turn) -> None:
    """Keep the earlier visit of the same matter (or none)."""
    choice = turn.choice or ""
    turn.data["same_case_as"] = int(choice.removeprefix("v:")) if choice.startswith("v:") \
        else None
    await _forward(turn, "choosing_case")


async def ask_petition(turn: Turn) -> None:
    """Ask whether the citizen handed in a written petition, or has one already."""
    turn.ask(_("Did the citizen hand in a written petition?"),
             [option(_("📝 Yes: record the petition now"), "create", "co", "ghi nhan"),
              option(_("🔗 It is about a petition already filed"), "link", "da co",
                     "lien ket"),
              option(_("➖ No petition"), "none", "khong")])


async def receive_petition(turn: Turn) -> None:
    """Keep the choice; a link asks the code, a petition needs a type."""
    turn.data["petition_action"] = turn.choice
    if turn.choice != "link":
        turn.data.update(petition_id=None, petition_code=None, petition_withheld=False)
    if turn.choice == "link":
        await turn.goto("waiting_for_petition_code")
    elif turn.choice == "create" and _type(turn) is None:
        await turn.goto("choosing_petition_type")
    else:
        await _forward(turn, "waiting_for_petition_code")


async def ask_petition_type(turn: Turn) -> None:
    """Ask the petition's type (a petition needs one for its deadline)."""
    turn.ask(_("Which type is the written petition? Its deadline depends on it."),
             _type_options())


async def receive_petition_type(turn: Turn) -> None:
    """Keep the type (it is also the register's column 6)."""
    turn.data["type"] = turn.choice
    await _forward(turn, "waiting_for_petition_code")


async def ask_petition_code(turn: Turn) -> None:
    """Ask the code of the petition already filed."""
    turn.ask(_("The petition's code, for example D-7K4M-9QXR?"), expect=Expect.TEXT)


async def receive_petition_code(turn: Turn) -> None:
    """Link the petition with that code."""
    code = normalize_code(turn.text or "")
    petition_id = None
    if code is not None and code.startswith(PETITION_PREFIX):
        petition_id = await turn.services.register.petition_id(code)
    if petition_id is None:
        await turn.reask(_("No petition has that code. Please check it, or go back and "
                           "choose «No petition»."))
        return
    withheld = await turn.services.register.petition_withheld(code, where="register.entry")
    turn.data.update(petition_id=petition_id, petition_code=None if withheld else code,
                     petition_withheld=withheld)
    await _forward(turn, "waiting_for_petition_code")


# -- review and save --------------------------------------------------------------------------


def _review_lines(turn: Turn) -> list[str]:
    entry = _entry(turn)
    data = turn.data
    settings = turn.settings
    head = (_("<b>Please check the refusal of reception:</b>") if entry.refused
            else _("<b>Please check the register entry:</b>"))
    lines = [head,
             _("Date: {day} · {site}").format(day=format_date(entry.received_on, "short"),
                                              site=esc(site_label(settings, entry.site_id))),
             *identity_lines(entry.identity),
             _("People: {people}").format(people=entry.people)]
    if turn.services.register.is_mass_delegation(entry.people, entry.received_on):
        lines.append(_("🚨 Mass delegation"))
    lines.append(_("Matter: {summary}").format(summary=esc(entry.summary)))
    if entry.mode is ReceptionMode.LEADER:
        lines.append(_("Received by: {leader}").format(leader=esc(entry.leader_title or "")))
    else:
        lines.append(_("Received by: the office's staff"))
    if data.get("booking_code"):
        lines.append(_("Appointment: {code}").format(code=esc(data["booking_code"])))
    if entry.refused:
        ground = _ground(turn)
        if ground is not None:
            lines.append(_("Ground: {label} ({source})").format(label=esc(_(ground.label)),
                                                                source=esc(ground.source)))
        if entry.refusal_doc_no:
            lines.append(_("Notice of refusal: {number}").format(
                number=esc(entry.refusal_doc_no)))
        if entry.notes:
            lines.append(_("Note: {note}").format(note=esc(entry.notes)))
        return lines
    none = _("not determined")
    lines.append(_("Type: {kind}").format(
        kind=type_label(entry.petition_type) if entry.petition_type else none))
    lines.append(_("Already dealt with by: {body}").format(body=esc(entry.prior_body or "—")))
    competence = {True: _("yes"), False: _("no"), None: none}[entry.within_competence]
    lines.append(_("Within our competence: {answer}").format(answer=competence))
    if entry.guidance:
        lines.append(_("Guided to: {body}").format(body=esc(entry.guidance)) + (
            " " + _("(no. {number})").format(number=esc(entry.guidance_doc_no))
            if entry.guidance_doc_no else ""))
    if entry.handled_by:
        lines.append(_("Accepted by or forwarded to: {body}").format(
            body=esc(entry.handled_by)) + (
            " " + _("(no. {number})").format(number=esc(entry.forward_doc_no))
            if entry.forward_doc_no else ""))
    if entry.notes:
        lines.append(_("Notes: {notes}").format(notes=esc(entry.notes)))
    if entry.police_coordination:
        lines.append(_("👮 With the police"))
    if entry.same_case_as:
        lines.append(_("🔁 A repeat visit on an earlier matter"))
    if data.get("petition_code"):
        lines.append(_("Petition: {code}").format(code=code_tag(str(data["petition_code"]))))
    elif data.get("petition_action") == "create" and not data.get("petition_withheld"):
        lines.append(_("📝 A written petition will be recorded; its code is shown after "
                       "saving."))
    return lines


async def ask_review(turn: Turn) -> None:
    """Show the whole entry; ask to save or change an answer."""
    turn.ask("\n".join(_review_lines(turn)),
             [yes_option(_("✅ Save in the register"), "save", "luu", "ghi so"),
              option(_("✏️ Change an answer"), "change", "sua", "thay doi")],
             expect=Expect.CONFIRM)


_CHANGES = (
    ("waiting_for_name", N_("Name")), ("waiting_for_address", N_("Address")),
    ("waiting_for_phone", N_("Phone")), ("waiting_for_cccd", N_("CCCD")),
    ("waiting_for_people", N_("People")), ("waiting_for_summary", N_("Matter")),
    ("choosing_mode", N_("Received by")), ("choosing_refusal_ground", N_("Ground")),
    ("choosing_type", N_("Type")), ("waiting_for_prior_body", N_("Already dealt with by")),
    ("choosing_competence", N_("Competence")), ("choosing_outcome", N_("How it was handled")),
    ("waiting_for_notes", N_("Notes")), ("choosing_police", N_("Police")),
    ("choosing_case", N_("Same matter as before")), ("choosing_petition", N_("Petition")),
)


async def receive_review(turn: Turn) -> None:
    """Save the entry, or ask which answer to change."""
    if turn.choice == "change":
        await turn.goto("choosing_change")
        return
    await _save(turn)


async def ask_change(turn: Turn) -> None:
    """Ask which answer to change."""
    options = []
    for step, label in _CHANGES:
        if await _needed(turn, step):
            options.append(option(_(label), step))
    turn.ask(_("Which answer do you want to change?"), options)


async def receive_change(turn: Turn) -> None:
    """Ask the chosen question again, then come back to the review."""
    await turn.edit(turn.choice or "reviewing", return_to="reviewing")


def _record_problem(error: RecordError) -> str:
    if error.problem is RecordProblem.BOOKING_CLOSED:
        if error.serial is not None:
            return _("This appointment is already in the register (no. {serial}). Nothing "
                     "was saved.").format(serial=error.serial)
        return _("This appointment was closed meanwhile (cancelled, or marked as not come). "
                 "Nothing was saved.")
    if error.problem is RecordProblem.PETITION_IDENTITY:
        return _("A complaint or a denunciation needs the citizen's name and address. Please "
                 "add the address, or choose another type.")
    if error.problem is RecordProblem.FUTURE_DAY:
        return _("A reception can be recorded on its day, not before.")
    return _("Something in the entry is missing or no longer valid. Please check it.")


async def _save(turn: Turn) -> None:
    entry = _entry(turn)
    new_petition = _type(turn) if turn.data.get("petition_action") == "create" else None
    try:
        recorded = await turn.services.register.record(entry, new_petition)
    except RecordError as error:
        if error.problem in (RecordProblem.BOOKING_CLOSED, RecordProblem.FUTURE_DAY):
            turn.say(_record_problem(error))
            await turn.finish()
            return
        await turn.reask(_record_problem(error))
        return
    visit = recorded.visit
    lines = [(_("⛔ Refusal of reception recorded in the register: no. {serial} of {year}, "
                "{site}.") if visit.entry.refused else
              _("✅ Recorded in the register: no. {serial} of {year}, {site}.")).format(
        serial=visit.serial, year=visit.entry.received_on.year,
        site=esc(site_label(turn.settings, visit.entry.site_id)))]
    if visit.visit_number > 1:
        lines.append(_("Visit no. {number} on this matter.").format(number=visit.visit_number))
    if recorded.petition_code and recorded.petition_phone:
        lines.append(_("📝 Petition recorded: <code>{code}</code>. Write this code on the "
                       "receipt given to the citizen: they can follow it with /tracuu.")
                     .format(code=recorded.petition_code))
    elif recorded.petition_code:
        lines.append(_("📝 Petition recorded: <code>{code}</code>. Write this code on the "
                       "receipt given to the citizen. No phone number was given, so it cannot "
                       "be looked up in the chat: please tell the citizen to follow it at the "
                       "office, bringing this code and their ID card.").format(
                           code=recorded.petition_code))
    if recorded.day_held:
        lines.append(_("The leader's reception day is now marked as held."))
    turn.say("\n".join(lines))
    # Back to the queue of that day: the next citizen is there.
    await turn.dialog.leave(turn)
    await show_queue(turn, visit.entry.received_on, visit.entry.site_id, 0)


# -- the flows --------------------------------------------------------------------------------


STEPS: dict[str, Step] = {
    "waiting_for_name": Step(ask_name, receive_name),
    "waiting_for_address": Step(ask_address, receive_address),
    "waiting_for_phone": Step(ask_phone, receive_phone),
    "waiting_for_cccd": Step(ask_cccd, receive_cccd),
    "waiting_for_people": Step(ask_people, receive_people),
    "waiting_for_summary": Step(ask_summary, receive_summary),
    "choosing_mode": Step(ask_mode, receive_mode),
    "choosing_refusal_ground": Step(ask_refusal_ground, receive_refusal_ground),
    "waiting_for_refusal_note": Step(ask_refusal_note, receive_refusal_note),
    "waiting_for_refusal_doc": Step(ask_refusal_doc, receive_refusal_doc),
    "choosing_type": Step(ask_type, receive_type),
    "waiting_for_prior_body": Step(ask_prior_body, receive_prior_body),
    "choosing_competence": Step(ask_competence, receive_competence),
    "choosing_outcome": Step(ask_outcome, receive_outcome),
    "waiting_for_guidance": Step(ask_guidance, receive_guidance),
    "waiting_for_guidance_doc": Step(ask_guidance_doc, receive_guidance_doc),
    "waiting_for_handled_by": Step(ask_handled_by, receive_handled_by),
    "waiting_for_forward_doc": Step(ask_forward_doc, receive_forward_doc),
    "waiting_for_notes": Step(ask_notes, receive_notes),
    "choosing_police": Step(ask_police, receive_police),
    "choosing_case": Step(ask_case, receive_case),
    "choosing_petition": Step(ask_petition, receive_petition),
    "choosing_petition_type": Step(ask_petition_type, receive_petition_type),
    "waiting_for_petition_code": Step(ask_petition_code, receive_petition_code),
    "reviewing": Step(ask_review, receive_review),
    "choosing_change": Step(ask_change, receive_change),
}
TITLE = N_("Register entry")

BOOKED = Flow(name=BOOKED_FLOW, title=TITLE, steps=STEPS, first="choosing_type",
              confirm_cancel=True, roles=STAFF_ONLY)
WALK_IN = Flow(name=WALK_IN_FLOW, title=TITLE, steps=STEPS, first="waiting_for_name",
               confirm_cancel=True, roles=STAFF_ONLY)
REFUSAL = Flow(name=REFUSAL_FLOW, title=N_("Refusal of reception"), steps=STEPS,
               first="choosing_refusal_ground", confirm_cancel=True, roles=STAFF_ONLY)
