"""Submitting a petition (gửi đơn): one question at a time, a review, then a receipt.

    choosing_type ─┬─ unsure: the difference explained, asked again
                   ├─ mixed ─▶ choosing_mixed_order (which of the two first)
                   └─▶ waiting_for_respondent ─▶ waiting_for_place
                          ├─ no sure match ─▶ choosing_place_suggestion (or a new name)
                          ├─ written the old way ─▶ confirming_old_address (keep it as typed)
                          └─ old address ─▶ waiting_for_old_address
    ─▶ waiting_for_content (several messages, files too, until «Done»)
    ─▶ waiting_for_request ─▶ choosing_prior_handling ─(decided before)─▶ waiting_for_prior_body
    ─▶ choosing_people ─(several)─▶ waiting_for_people_count
          ─(a group)─▶ waiting_for_representative_name ─▶ waiting_for_representative_phone
                       ─▶ choosing_more_representatives (up to the legal maximum)
    ─▶ waiting_for_files (until «Done»)
    ─▶ identity: complaint ─▶ (why it is needed) identity steps
                 denunciation ─▶ reading_denouncer_notice ─┬─▶ identity steps
                                                           └─▶ choosing_anonymous_denunciation
                 recommendation, report ─▶ choosing_anonymity ─┬─ named ─▶ identity steps
                                                               └─ anonymous
    ─▶ reviewing ─┬─ send ─▶ receipt ─▶ menu, or (a mixed matter) «petition_second»
                  └─ change ─▶ choosing_field_to_edit ─▶ that question ─▶ reviewing

«petition_second» (after the first of a mixed complaint and denunciation is sent):
    offering_second_petition ─┬─ yes ─▶ «petition», the shared answers filled in
                              └─ later ─▶ menu

The draft is saved at every step; a review answer that goes missing (a type that now needs
the sender's name, a group without representatives) is asked before the review is shown.
"""

from __future__ import annotations

from typing import Any

from bot.dialog.flow import BACK, RETURN_TO, Flow, Step, Turn, esc, option, yes_option
from bot.domain.choices import Option
from bot.domain.conversation import Expect
from bot.domain.identity import PersonNameError, Phone, PhoneError, read_full_name, split_phone
from bot.domain.messages import InputKind
from bot.domain.numbers import PeopleProblem, parse_people
from bot.domain.person import PersonIdentity
from bot.domain.petitions import (
    AnswerProblem,
    AttachmentLimits,
    AttachmentProblem,
    NewPetition,
    Petition,
    PetitionFile,
    PetitionType,
    PriorStage,
    Representative,
    check_attachment,
    clean_answer,
    describe_rule,
    skips_level,
)
from bot.domain.places import looks_old, mentions_unit, without_old_lead_in
from bot.domain.rules import Unit, citation
from bot.domain.text import fold_words
from bot.domain.users import Purpose
from bot.i18n import N_, _, current_language, format_date, format_datetime, ngettext
from bot.services.petitions import stage_label, type_label
from handlers.identity import IDENTITY as IDENTITY_DATA
from handlers.identity import identity_steps, phone_problem_hint, start_identity, summary

FLOW_NAME = "petition"
SECOND_FLOW_NAME = "petition_second"
IDENTITY = "identity"  # not a step: the identity questions that fit the petition type
REVIEW = "reviewing"
# The order a first-time sender meets the questions; sub-questions hang off these.
ORDER = ("choosing_type", "waiting_for_respondent", "waiting_for_place", "waiting_for_content",
         "waiting_for_request", "choosing_prior_handling", "choosing_people",
         "waiting_for_files", IDENTITY, REVIEW)
PREFILLED = "_prefilled"  # questions answered from the first petition of a mixed pair
IDENTITY_PREFILLED = "_identity_prefilled"
CONTENT_PREVIEW = 500
CONTENT_MOVED = "_content_moved"  # a long answer to a short question was kept as content
OLD = "old"  # the option «I only know the old address»
PLACE_TYPED = "_place_typed"
PLACE_SUGGESTIONS = "_place_suggestions"
# Typed alone at the place question, these ask for the old-address question.
OLD_WORDS = frozenset({"cu", "dia chi cu", "old", "old address"})
# Typed alone at the content question, these mean «Done» rather than more content.
DONE_WORDS = frozenset({"xong", "da xong", "xong roi", "het", "het roi", "da het", "du roi",
                        "done", "ok xong", "the thoi", "vay thoi", "toi da ke het"})
# Typed at a representative's name, these mean «no more representatives», never a name.
REPRESENTATIVES_DONE_WORDS = DONE_WORDS | frozenset({
    "thoi", "khong", "khong con", "khong con ai", "het nguoi", "du", "du nguoi", "no more",
    "nobody else", "no one else", "that is all", "thats all", "that s all"})


# --- small helpers ---------------------------------------------------------------------------

def _kind(turn: Turn) -> PetitionType:
    return PetitionType(turn.data["type"])


def _back() -> Option:
    # The core's «Back» also answers to a bare "quay lại", words a story may well contain.
    return option(_("⬅ Back to the previous question"), BACK)


def _answer_limit(turn: Turn) -> int:
    return turn.settings.petitions.max_answer_chars


async def _reask_answer(turn: Turn, problem: AnswerProblem, limit: int) -> None:
    if problem is AnswerProblem.TOO_LONG:
        await _keep_long_answer(turn, limit)
        return
    await turn.reask(_("I could not find any words in your answer. Please type it in letters "
                       "or digits."))


async def _keep_long_answer(turn: Turn, limit: int) -> None:
    """Keep a message too long for a short answer as part of what happened; ask again.

    Someone who pastes the whole story at a one-line question loses nothing: the story is
    where it belongs, and the short question is asked again.
    """
    if _add_content(turn, turn.text or "") is not None:
        await turn.reask(_("That message is longer than {limit} characters, too long for this "
                           "short answer, and the account of what happened has no room left "
                           "for it, so it was not saved. Please answer in a few words.")
                         .format(limit=limit))
        return
    turn.data[CONTENT_MOVED] = True
    turn.say(_("Your message is long ({count} characters), so I kept it as part of the "
               "account of what happened; you can check it before sending. This question "
               "needs only a few words.").format(count=len(turn.data["content"][-1])))
    await turn.goto(turn.state.step)


def _identity(turn: Turn) -> PersonIdentity | None:
    data = turn.data.get(IDENTITY_DATA)
    return PersonIdentity.from_json(data) if data else None


def _identity_complete(turn: Turn) -> bool:
    person = _identity(turn)
    return person is not None and person.complete


def _content(turn: Turn) -> str:
    return "\n\n".join(turn.data.get("content") or [])


def _files(turn: Turn) -> list[dict[str, Any]]:
    return list(turn.data.get("files") or [])


def _representatives(turn: Turn) -> list[dict[str, Any]]:
    return list(turn.data.get("representatives") or [])


def _limits(turn: Turn) -> AttachmentLimits:
    return turn.services.petitions.attachment_limits()


def _takes_files(turn: Turn) -> bool:
    return turn.settings.petitions.max_attachments > 0


def _next_in_order(turn: Turn, after: str) -> str:
    prefilled = list(turn.data.get(PREFILLED) or [])
    index = ORDER.index(after) + 1
    while ORDER[index] in prefilled or (ORDER[index] == "waiting_for_files"
                                        and not _takes_files(turn)):
        if ORDER[index] in prefilled:
            prefilled.remove(ORDER[index])
        index += 1
    turn.data[PREFILLED] = prefilled
    return ORDER[index]


async def _proceed(turn: Turn, after: str) -> None:
    """Go on from the question ``after`` — or back to the review, when changing one answer."""
    if RETURN_TO in turn.data:
        await turn.advance(REVIEW)
        return
    target = _next_in_order(turn, after)
    if target == IDENTITY:
        await _begin_identity(turn)
    else:
        await turn.goto(target)


def _take_prefilled(turn: Turn, step: str) -> bool:
    prefilled = list(turn.data.get(PREFILLED) or [])
    if step not in prefilled:
        return False
    prefilled.remove(step)
    turn.data[PREFILLED] = prefilled
    return True


# --- type ------------------------------------------------------------------------------------

def _type_options() -> list[Option]:
    return [
        option(_("Complaint"), PetitionType.COMPLAINT.value, "khieu nai", "complaint"),
        option(_("Denunciation"), PetitionType.DENUNCIATION.value, "to cao", "to giac",
               "denunciation"),
        option(_("Recommendation"), PetitionType.RECOMMENDATION.value, "kien nghi", "de xuat",
               "gop y", "recommendation"),
        option(_("Report"), PetitionType.REPORT.value, "phan anh", "bao tin", "report"),
        option(_("Both a complaint and a denunciation"), "mixed", "ca hai",
               "khieu nai va to cao", "vua khieu nai vua to cao", "both"),
        option(_("I am not sure, please explain"), "unsure", "chua ro", "khong ro",
               "khong biet", "giai thich", "not sure", "unsure", "explain", "i don t know"),
    ]


async def ask_type(turn: Turn) -> None:
    """Ask which kind of petition, each explained in a line with an example."""
    consent = await turn.consent()
    if not consent.granted(Purpose.HANDLING):
        turn.say(_("To submit a petition, please first agree to the processing of your personal "
                   "data: choose «Personal data» in the menu."))
        await turn.finish()
        return
    if _take_prefilled(turn, "choosing_type"):
        await _proceed(turn, "choosing_type")
        return
    turn.ask(
        _("What kind of petition do you want to send?\n"
          "• <b>Complaint</b>: you ask for a decision or an act of a state body or official to "
          "be reviewed, because you think it is wrong and harms your rights. Example: you "
          "disagree with a decision to take back your land.\n"
          "• <b>Denunciation</b>: you tell the authorities about someone's unlawful act. "
          "Example: an official asks for money to process papers.\n"
          "• <b>Recommendation</b>: you propose how to solve a problem of policy or public "
          "administration. Example: you propose repairing the road to your village.\n"
          "• <b>Report</b>: you tell the authorities about something wrong or unreasonable. "
          "Example: a street light has been broken for months."),
        _type_options(),
    )


async def receive_type(turn: Turn) -> None:
    """Keep the type; explain the difference, or the mixed case, when asked."""
    choice = turn.choice or ""
    if choice == "unsure":
        turn.say(_(
            "The difference, in short:\n"
            "• A <b>complaint</b> is about <i>your own</i> rights: a decision or act of a state "
            "body affected you and you want it reviewed. The first complaint goes to whoever "
            "made the decision.\n"
            "• A <b>denunciation</b> is about <i>someone's wrongdoing</i>: anyone may denounce, "
            "even if it did not harm them. The law keeps the denouncer's identity secret.\n"
            "• A <b>recommendation</b> proposes an improvement; a <b>report</b> tells about a "
            "problem. You may send these without your name.\n"
            "If you are still unsure, choose «Report»: the office classifies every petition "
            "anyway."))
        await turn.goto("choosing_type")
        return
    if choice == "mixed":
        await turn.goto("choosing_mixed_order")
        return
    turn.data["type"] = choice
    turn.data["mixed"] = False
    turn.data.pop("then", None)
    await _proceed(turn, "choosing_type")


async def ask_mixed_order(turn: Turn) -> None:
    """Explain that the law asks for two petitions; ask which one comes first."""
    turn.ask(
        _("The law asks for a complaint and a denunciation to be sent as separate petitions. "
          "You can send them one after the other: we write one now, and when it is sent I will "
          "offer to start the other, with the shared answers already filled in.\n"
          "Which one do you want to send first?"),
        [option(_("The complaint first"), PetitionType.COMPLAINT.value, "khieu nai",
                "complaint"),
         option(_("The denunciation first"), PetitionType.DENUNCIATION.value, "to cao",
                "denunciation")],
    )


async def receive_mixed_order(turn: Turn) -> None:
    """Keep the first type and remember the second."""
    first = PetitionType(turn.choice or PetitionType.COMPLAINT.value)
    second = (PetitionType.DENUNCIATION if first is PetitionType.COMPLAINT
              else PetitionType.COMPLAINT)
    turn.data["type"] = first.value
    turn.data["mixed"] = True
    turn.data["then"] = second.value
    await _proceed(turn, "choosing_type")


# --- what it is about -------------------------------------------------------------------------

async def ask_respondent(turn: Turn) -> None:
    """Ask whom the petition is against, or what it is about."""
    kind = _kind(turn)
    if kind is PetitionType.COMPLAINT:
        text = _("Which decision or act do you complain about, and of which body or official? "
                 "For example: Decision No. 12/QĐ-UBND of the People's Committee of Hoàng Văn "
                 "Thụ commune.")
    elif kind is PetitionType.DENUNCIATION:
        text = _("Whom do you denounce (a person or a body)? For example: Mr Nguyễn Văn B, the "
                 "land officer of Tân Thành commune.")
    else:
        text = _("What is your petition about, in a few words? For example: the road to Nà Pàn "
                 "village is broken.")
    turn.ask(text, [_back()], expect=Expect.TEXT, back=False)


async def receive_respondent(turn: Turn) -> None:
    """Keep the respondent or subject."""
    limit = _answer_limit(turn)
    answer = clean_answer(turn.text or "", limit)
    if isinstance(answer, AnswerProblem):
        await _reask_answer(turn, answer, limit)
        return
    turn.data["respondent"] = answer
    await _proceed(turn, "waiting_for_respondent")


# --- where -------------------------------------------------------------------------------------

def _place_extras() -> list[Option]:
    # No bare "cũ": it ends an old address typed in full ("xã Lộc Bình cũ, huyện Lộc Bình").
    return [
        option(_("📝 I only know the old address (before 2025)"), OLD, "dia chi cu",
               "chi biet dia chi cu", "old address", "old", "the old address"),
        option(_("It is not about one commune or ward"), "none", "khong gan", "toan tinh",
               "not one commune", "not one place", "whole province", "several communes"),
    ]


async def ask_place(turn: Turn) -> None:
    """Ask for the commune or ward where it happened."""
    turn.ask(_("Where did it happen? Please type the commune or ward, for example: Phường Tam "
               "Thanh, or just Tam Thanh."),
             [*_place_extras(), _back()], expect=Expect.TEXT, back=False)


def _set_place(turn: Turn, *, code: int | None = None, name: str | None = None,
               text: str | None = None, none: bool = False) -> None:
    turn.data["place_code"] = code
    turn.data["place_name"] = name
    turn.data["place_text"] = text
    turn.data["place_none"] = none
    turn.data.pop(PLACE_TYPED, None)
    turn.data.pop(PLACE_SUGGESTIONS, None)


def _typed_line(turn: Turn) -> str | None:
    """Return what the person typed this turn, when they typed rather than tapped."""
    incoming = turn.incoming
    return incoming.text.strip() or None if incoming.kind is InputKind.TEXT else None


async def receive_place(turn: Turn) -> None:
    """Match the typed name to a unit of the province; offer the closest when unsure."""
    if turn.choice == OLD:
        await _old_address_chosen(turn)
        return
    if turn.choice == "none":
        _set_place(turn, none=True)
        await _proceed(turn, "waiting_for_place")
        return
    await _take_place(turn)


async def _old_address_chosen(turn: Turn) -> None:
    """Ask for the old address — unless it came typed with the words «địa chỉ cũ»."""
    typed = _typed_line(turn)
    if typed is not None and mentions_unit(typed):
        await _offer_old_address(turn, typed)
        return
    await turn.goto("waiting_for_old_address")


async def _offer_old_address(turn: Turn, typed: str) -> None:
    limit = _answer_limit(turn)
    answer = clean_answer(without_old_lead_in(typed), limit)
    if isinstance(answer, AnswerProblem):
        await _reask_answer(turn, answer, limit)
        return
    found = turn.services.petitions.match_place(answer)
    turn.data[PLACE_TYPED] = answer
    turn.data[PLACE_SUGGESTIONS] = ([[found.unit.code, found.unit.name]]
                                    if found.unit is not None else [])
    await turn.goto("confirming_old_address")


async def _take_place(turn: Turn) -> None:
    """Read a typed place: a unit of the province, an old address, or the closest units."""
    limit = _answer_limit(turn)
    typed = clean_answer(turn.text or "", limit)
    if isinstance(typed, AnswerProblem):
        await _reask_answer(turn, typed, limit)
        return
    if fold_words(typed) in OLD_WORDS:
        await turn.goto("waiting_for_old_address")
        return
    if looks_old(typed):
        await _offer_old_address(turn, typed)
        return
    petitions = turn.services.petitions
    found = petitions.match_place(typed)
    if found.unit is not None:
        _set_place(turn, code=found.unit.code, name=found.unit.name)
        turn.say(_("Noted: {place}.").format(place=esc(found.unit.name)))
        await _proceed(turn, "waiting_for_place")
        return
    if found.suggestions:
        turn.data[PLACE_TYPED] = typed
        turn.data[PLACE_SUGGESTIONS] = [[u.code, u.name] for u in found.suggestions]
        await turn.goto("choosing_place_suggestion")
        return
    await turn.reask(_("I did not find «{typed}» among the communes and wards of {province}. "
                       "Please check the name and type it again, or choose «I only know the old "
                       "address».").format(typed=esc(typed),
                                           province=esc(petitions.province_name)))


async def ask_place_suggestion(turn: Turn) -> None:
    """Offer the units closest to what was typed; a newly typed name is a fresh try."""
    suggestions = turn.data.get(PLACE_SUGGESTIONS) or []
    options = [option(str(name), f"unit:{code}") for code, name in suggestions]
    options += [option(_("✏️ Type it again"), "again", "go lai", "nhap lai", "type again",
                       "again"),
                option(_("📝 It is an old address (before 2025)"), OLD, "dia chi cu",
                       "old address")]
    turn.ask(_("I did not find «{typed}» exactly. Did you mean one of these? You can also "
               "type the name again.").format(typed=esc(turn.data.get(PLACE_TYPED, ""))),
             options, expect=Expect.TEXT)


async def receive_place_suggestion(turn: Turn) -> None:
    """Keep the chosen unit, or ask again, or take an old address, or read a new name."""
    choice = turn.choice
    if choice is None:
        await _take_place(turn)
        return
    if choice == "again":
        await turn.goto("waiting_for_place")
        return
    if choice == OLD:
        typed = _typed_line(turn)
        if typed is None or not mentions_unit(typed):
            typed = str(turn.data.get(PLACE_TYPED) or "")
        await _offer_old_address(turn, typed)
        return
    await _keep_unit(turn, int(choice.removeprefix("unit:")))


async def _keep_unit(turn: Turn, code: int) -> None:
    name = turn.services.petitions.place_name(code)
    _set_place(turn, code=code, name=name)
    await _proceed(turn, "waiting_for_place")


async def ask_old_address_confirmation(turn: Turn) -> None:
    """Offer to keep a typed old address as it was written."""
    # No bare "có"/"dũng": a commune typed afresh may have them in its name.
    options = [option(_("✅ Yes, keep it as the old address"), "keep", "giu", "giu nguyen",
                      "dung roi", "dong y", "yes", "keep", "keep it")]
    options += [option(_("No, it is {place} today").format(place=name), f"unit:{code}")
                for code, name in turn.data.get(PLACE_SUGGESTIONS) or []]
    options.append(option(_("✏️ Type it again"), "again", "go lai", "nhap lai", "type again"))
    turn.ask(_("Shall I keep «{typed}» as the old address (before 2025), as you wrote it? The "
               "office will find the commune or ward it belongs to now.").format(
                   typed=esc(turn.data.get(PLACE_TYPED, ""))),
             options, expect=Expect.TEXT)


async def receive_old_address_confirmation(turn: Turn) -> None:
    """Keep the old address, or the unit of today, or read a newly typed place."""
    choice = turn.choice
    if choice is None:
        await _take_place(turn)
        return
    if choice == "again":
        await turn.goto("waiting_for_place")
        return
    if choice.startswith("unit:"):
        await _keep_unit(turn, int(choice.removeprefix("unit:")))
        return
    old = str(turn.data.get(PLACE_TYPED) or "")
    _set_place(turn, text=old)
    turn.say(_("Noted (old address): {place}.").format(place=esc(old)))
    await _proceed(turn, "waiting_for_place")


async def ask_old_address(turn: Turn) -> None:
    """Ask for an address under the names used before the 2025 reform."""
    turn.ask(_("Please type the old address as you know it: commune and district, for example: "
               "xã Hợp Thành, huyện Cao Lộc."), [_back()], expect=Expect.TEXT, back=False)


async def receive_old_address(turn: Turn) -> None:
    """Keep the old address as it was typed."""
    limit = _answer_limit(turn)
    answer = clean_answer(turn.text or "", limit)
    if isinstance(answer, AnswerProblem):
        await _reask_answer(turn, answer, limit)
        return
    _set_place(turn, text=answer)
    await _proceed(turn, "waiting_for_place")


# --- content -------------------------------------------------------------------------------

def _preview(text: str) -> str:
    if len(text) <= CONTENT_PREVIEW:
        return esc(text)
    return esc(text[:CONTENT_PREVIEW].rstrip()) + "… " + _("({count} characters in all)").format(
        count=len(text))


async def ask_content(turn: Turn) -> None:
    """Ask what happened; after each message, ask for more or «Done»."""
    if turn.data.get("_content_replace"):
        text = (_("This is what you wrote:") + f"\n<i>{_preview(_content(turn))}</i>\n\n"
                + _("Please type the content again; what you send now replaces it. To keep it "
                    "as it is, tap «Done»."))
    elif turn.data.pop(CONTENT_MOVED, False) and turn.data.get("content"):
        text = (_("What happened, as you wrote it earlier:") + f"\n<i>{_preview(_content(turn))}"
                "</i>\n\n" + _("Add more if you wish, or tap «Done» if you have said everything."))
    elif not (turn.data.get("content") or _files(turn)):
        text = _("Please tell us what happened: what, when, where and who was involved. You can "
                 "send several messages; tap «Done» when you have finished.")
        if _takes_files(turn):
            text += " " + _("If typing is hard, you can send a voice message or a photo of a "
                            "handwritten petition.")
            if _kind(turn).identity_protected:
                text += " " + _files_protected_note(turn)
    else:
        text = _("Noted. Write more, or tap «Done» if you have said everything.")
    turn.ask(text, [option(_("✅ Done, I have said everything"), "done", "finished",
                           "that is all"), _back()],
             expect=Expect.ANY, back=False)


async def _content_done(turn: Turn) -> None:
    turn.data.pop("_content_replace", None)
    if not (turn.data.get("content") or _files(turn)):
        await turn.reask(_("You have not told us anything yet. Please type what happened, or "
                           "send a voice message."))
        return
    await _proceed(turn, "waiting_for_content")


def _add_content(turn: Turn, text: str) -> str | None:
    """Add a typed part to the content; return why not, if it cannot be added."""
    limit = turn.settings.petitions.max_content_chars
    answer = clean_answer(text, limit, keep_lines=True)
    if answer is AnswerProblem.EMPTY:
        return _("I could not find any words in your answer. Please type it in letters or "
                 "digits.")
    replacing = bool(turn.data.get("_content_replace"))
    parts = [] if replacing else list(turn.data.get("content") or [])
    used = len("\n\n".join(parts))
    separator = 2 if parts else 0
    if isinstance(answer, AnswerProblem) or used + separator + len(answer) > limit:
        left = max(0, limit - used - separator)
        return _("The content can be at most {limit} characters in all; that message was not "
                 "added. You can still add {left} characters, or send the rest as a photo or a "
                 "document.").format(limit=limit, left=left)
    parts.append(answer)
    turn.data["content"] = parts
    turn.data.pop("_content_replace", None)
    return None


async def receive_content(turn: Turn) -> None:
    """Add the message (or file) to the content; «Done» moves on."""
    if turn.choice == "done" or (turn.text is not None and fold_words(turn.text) in DONE_WORDS):
        await _content_done(turn)
        return
    if turn.contact is not None:
        await turn.reask(_("Here please type what happened, or send a voice message or a "
                           "photo."))
        return
    if turn.attachment is not None:
        problem = _take_file(turn)
        if problem is not None:
            await turn.reask(problem)
            return
        caption = turn.incoming.text.strip()
        if caption:
            _add_content(turn, caption)
        turn.say(_("Received: {what}. It will be kept with your petition.").format(
            what=_file_kind_label(turn.attachment.kind)))
        await turn.goto("waiting_for_content")
        return
    problem_text = _add_content(turn, turn.text or "")
    if problem_text is not None:
        await turn.reask(problem_text)
        return
    await turn.goto("waiting_for_content")


# --- what they ask for -------------------------------------------------------------------------

async def ask_request(turn: Turn) -> None:
    """Ask what the person wants the authorities to do."""
    kind = _kind(turn)
    if kind is PetitionType.COMPLAINT:
        example = _("For example: cancel the land recovery decision and pay fair compensation.")
    elif kind is PetitionType.DENUNCIATION:
        example = _("For example: check and deal with the official who broke the law.")
    else:
        example = _("For example: repair the road before the rainy season.")
    turn.ask(_("What do you ask the authorities to do?") + " " + example, [_back()],
             expect=Expect.TEXT, back=False)


async def receive_request(turn: Turn) -> None:
    """Keep the request."""
    limit = _answer_limit(turn)
    answer = clean_answer(turn.text or "", limit)
    if isinstance(answer, AnswerProblem):
        await _reask_answer(turn, answer, limit)
        return
    turn.data["request"] = answer
    await _proceed(turn, "waiting_for_request")


# --- handled before? ---------------------------------------------------------------------------

async def ask_prior_handling(turn: Turn) -> None:
    """Ask whether any authority has dealt with the matter already."""
    turn.ask(_("Has any authority already dealt with this matter?"), _prior_options())


def _prior_options() -> list[Option]:
    # A longer name wins over one it contains ("đã có quyết định lần hai" over "đã có quyết
    # định"); two unrelated names in one answer ask again.
    return [
        option(stage_label(PriorStage.NONE), PriorStage.NONE.value, "chua", "khong", "chua co",
               "chua ai", "chua giai quyet", "chua duoc giai quyet", "chua ai giai quyet",
               "chua co ai giai quyet", "chua co quyet dinh", "khong co", "khong co quyet dinh",
               "chua lan nao", "not yet", "none", "nobody", "no one", "not decided"),
        option(stage_label(PriorStage.FIRST), PriorStage.FIRST.value, "lan dau", "lan 1",
               "lan mot", "co", "co roi", "da co", "da giai quyet", "giai quyet roi",
               "da tra loi", "tra loi roi", "da co tra loi", "da co quyet dinh",
               "co quyet dinh", "quyet dinh roi", "first", "first decision", "first answer",
               "decided", "answered", "yes"),
        option(stage_label(PriorStage.SECOND), PriorStage.SECOND.value, "lan hai", "lan 2",
               "lan thu hai", "giai quyet lan hai", "giai quyet lan 2",
               "da giai quyet lan hai", "da giai quyet lan 2", "quyet dinh lan hai",
               "quyet dinh lan 2", "co quyet dinh lan hai", "co quyet dinh lan 2",
               "da co quyet dinh lan hai", "da co quyet dinh lan 2", "second",
               "second decision", "twice"),
        option(stage_label(PriorStage.COURT), PriorStage.COURT.value, "toa an", "ban an", "toa",
               "da co ban an", "co ban an", "toa da xu", "toa xu roi", "court", "judgment",
               "judgement", "ruled"),
    ]


async def receive_prior_handling(turn: Turn) -> None:
    """Keep the stage; a complaint no one has decided yet gets a kind word about levels."""
    stage = PriorStage(turn.choice or PriorStage.NONE.value)
    turn.data["stage"] = stage.value
    if stage is not PriorStage.NONE:
        await turn.goto("waiting_for_prior_body")
        return
    turn.data["prior_body"] = None
    if skips_level(_kind(turn), stage):
        turn.say(_("Please note: under the Law on Complaints, a first complaint goes to the "
                   "person or body that made the decision or did the act (for example, the "
                   "commune People's Committee that issued it). The office still takes your "
                   "petition and will tell you where the first step belongs. If the decision "
                   "was made by the provincial People's Committee or its Chairman, the "
                   "province is the right place."))
    await _proceed(turn, "choosing_prior_handling")


async def ask_prior_body(turn: Turn) -> None:
    """Ask which body dealt with it."""
    turn.ask(_("Which body dealt with it, and when? For example: the People's Committee of "
               "Hoàng Văn Thụ commune, decision of 12/3/2025."), [_back()], expect=Expect.TEXT,
             back=False)


async def receive_prior_body(turn: Turn) -> None:
    """Keep the body that dealt with it."""
    limit = _answer_limit(turn)
    answer = clean_answer(turn.text or "", limit)
    if isinstance(answer, AnswerProblem):
        await _reask_answer(turn, answer, limit)
        return
    turn.data["prior_body"] = answer
    await _proceed(turn, "choosing_prior_handling")


# --- how many people ---------------------------------------------------------------------------

async def ask_people(turn: Turn) -> None:
    """Ask whether the person is alone in this."""
    turn.ask(_("Are you sending this alone, or do several people bring the same matter "
               "together?"),
             [option(_("Only me"), "one", "mot minh", "minh toi", "chi minh toi", "chi toi",
                     "alone", "just me", "only me", "myself", "just myself", "only myself",
                     "by myself", "me alone", "one person"),
              option(_("Several people"), "many", "nhieu nguoi", "nhieu", "ca nhom", "tap the",
                     "several", "many", "many people", "several people", "group", "a group",
                     "we", "us", "together")])


async def receive_people(turn: Turn) -> None:
    """Alone: go on; several: ask how many."""
    if turn.choice == "many":
        await turn.goto("waiting_for_people_count")
        return
    turn.data["people"] = 1
    turn.data["representatives"] = []
    await _proceed(turn, "choosing_people")


async def ask_people_count(turn: Turn) -> None:
    """Ask how many people bring the matter."""
    turn.ask(_("How many people bring this matter, yourself included? Type a number, for "
               "example: 7."), expect=Expect.TEXT)


async def receive_people_count(turn: Turn) -> None:
    """Keep the number; a group chooses representatives."""
    maximum = turn.settings.petitions.max_people
    people = parse_people(turn.text or "", maximum)
    if people is PeopleProblem.TOO_MANY:
        await turn.reask(_("That is more than {max} people. Please check the number.").format(
            max=maximum))
        return
    if isinstance(people, PeopleProblem):
        await turn.reask(_("Please type the number of people in digits, for example: 7."))
        return
    turn.data["people"] = people
    petitions = turn.services.petitions
    if not petitions.is_group(people):
        turn.data["representatives"] = []
        await _proceed(turn, "choosing_people")
        return
    allowed = petitions.max_representatives(people)
    current = _representatives(turn)
    if 1 <= len(current) <= allowed:
        await _proceed(turn, "choosing_people")
        return
    turn.data["representatives"] = []
    turn.say(_("With {people} people this is a group petition. The law asks the group to "
               "choose representatives from among themselves: at least one, and at most {max} "
               "for a group of this size.").format(people=people, max=allowed))
    await _start_representative(turn)


async def _start_representative(turn: Turn) -> None:
    turn.data["_rep_slot"] = len(_representatives(turn))
    await turn.goto("waiting_for_representative_name")


async def ask_representative_name(turn: Turn) -> None:
    """Ask a representative's full name (the phone number may come on the same line)."""
    number = int(turn.data.get("_rep_slot", 0)) + 1
    turn.ask(_("Representative {number}: what is their full name? You may add the phone number "
               "on the same line, for example: Nguyễn Văn An 0912345678. If you are a "
               "representative yourself, type your own name.").format(number=number),
             expect=Expect.TEXT)


async def receive_representative_name(turn: Turn) -> None:
    """Keep the name, and the phone number when it came with it; «xong» is never a name."""
    text = turn.text or ""
    if fold_words(text) in REPRESENTATIVES_DONE_WORDS:
        if _representatives(turn):
            turn.data.pop("_rep_slot", None)
            await _proceed(turn, "choosing_people")
            return
        await turn.reask(_("A group petition needs at least one representative. Please type the "
                           "full name of one of the people bringing it (your own, if you are "
                           "one of them)."))
        return
    parts = split_phone(text)
    if parts is None:
        await turn.reask(_("Please type one representative at a time: the full name and the "
                           "phone number, for example: Nguyễn Văn An 0912345678."))
        return
    name_text, phone_text = parts
    name = read_full_name(name_text)
    if isinstance(name, PersonNameError):
        if name is PersonNameError.HAS_DIGITS:
            hint = _("A name has no digits.")
        elif name is PersonNameError.TOO_LONG:
            hint = _("That is too long for a name (at most 100 letters).")
        else:
            hint = _("Please type the full name in letters, for example: Nguyễn Văn An.")
        await turn.reask(hint)
        return
    turn.data["_rep_name"] = name
    phone = turn.services.identity.phone(phone_text) if phone_text is not None else None
    if isinstance(phone, Phone):
        await _keep_representative(turn, phone)
        return
    if phone is not None:
        turn.say(_("Name noted: {name}.").format(name=esc(name)) + " " + phone_problem_hint())
    await turn.goto("waiting_for_representative_phone")


async def ask_representative_phone(turn: Turn) -> None:
    """Ask the representative's phone number."""
    turn.ask(_("What is the phone number of {name}? For example: 0912 345 678.").format(
        name=esc(turn.data.get("_rep_name", ""))), expect=Expect.CONTACT)


async def receive_representative_phone(turn: Turn) -> None:
    """Check the number and keep the representative."""
    raw = turn.contact.phone if turn.contact is not None else (turn.text or "")
    phone = turn.services.identity.phone(raw)
    if isinstance(phone, PhoneError):
        if turn.contact is None and not any(ch.isdigit() for ch in raw):
            # "không biết số": the office reaches the group through its representatives.
            await turn.reask(_("The office needs a phone number for each representative, to "
                               "reach the group about the petition. If you do not know this "
                               "number, please ask them for it, or tap «Back» and choose a "
                               "representative whose number you know (yourself, if you are "
                               "one of the group)."))
            return
        await turn.reask(phone_problem_hint())
        return
    assert isinstance(phone, Phone)  # noqa: S101 - the error case returned above
    await _keep_representative(turn, phone)


async def _keep_representative(turn: Turn, phone: Phone) -> None:
    """Keep the representative named in the draft with ``phone``; ask for another or go on."""
    representatives = _representatives(turn)
    slot = min(int(turn.data.get("_rep_slot", len(representatives))), len(representatives))
    entry = {"full_name": turn.data.get("_rep_name", ""), "phone_e164": phone.e164,
             "phone_masked": phone.masked}
    if slot < len(representatives):
        representatives[slot] = entry
    else:
        representatives.append(entry)
    turn.data["representatives"] = representatives
    allowed = turn.services.petitions.max_representatives(int(turn.data.get("people", 1)))
    if len(representatives) >= allowed:
        turn.say(_("That makes {max} representatives, the most the law allows for this group.")
                 .format(max=allowed))
        turn.data.pop("_rep_slot", None)
        await _proceed(turn, "choosing_people")
        return
    await turn.goto("choosing_more_representatives")


def _representative_lines(turn: Turn) -> list[str]:
    return [f"{number}. {esc(r['full_name'])} — {esc(r['phone_masked'])}"
            for number, r in enumerate(_representatives(turn), start=1)]


async def ask_more_representatives(turn: Turn) -> None:
    """Show the representatives so far; ask whether there is another."""
    turn.ask(_("Representatives so far:") + "\n" + "\n".join(_representative_lines(turn))
             + "\n\n" + _("Is there another representative?"),
             [option(_("Add another representative"), "more", "them", "co", "add", "another",
                     "one more", "add another"),
              option(_("No, that is all"), "done", "khong", "du roi", "xong", "that is all",
                     "no more", "done", "enough")])


async def receive_more_representatives(turn: Turn) -> None:
    """Ask for one more, or go on."""
    if turn.choice == "more":
        await _start_representative(turn)
        return
    turn.data.pop("_rep_slot", None)
    await _proceed(turn, "choosing_people")


# --- files -------------------------------------------------------------------------------------

def _file_kind_label(kind: str) -> str:
    return {
        "photo": _("a photo"),
        "document": _("a document"),
        "voice": _("a voice message"),
        "audio": _("an audio file"),
        "video": _("a video"),
        "video_note": _("a round video"),
    }.get(kind, _("a file"))


def _attachment_problem(problem: AttachmentProblem, limits: AttachmentLimits) -> str:
    if limits.max_count == 0:
        return _("Files cannot be sent through the assistant. Please bring your papers to the "
                 "office.")
    if problem is AttachmentProblem.TOO_MANY:
        return _("A petition can carry at most {max} files, so this one was not added. If you "
                 "have more papers, please bring them to the office.").format(
                     max=limits.max_count)
    if problem is AttachmentProblem.TOO_LARGE:
        return _("This file is larger than {mb} MB, the most one file may be, so it was not "
                 "added. Please send a smaller copy (a photo of each page is fine), or bring it "
                 "to the office.").format(mb=limits.max_bytes // (1024 * 1024))
    if problem is AttachmentProblem.EXTENSION:
        types = ", ".join(e.lstrip(".").upper() for e in limits.document_extensions)
        return _("I cannot take files of this type. The types I take are: {types}.").format(
            types=types)
    kinds = ", ".join(_file_kind_label(kind) for kind in limits.kinds)
    return _("I cannot take this kind of file. You can send: {kinds}.").format(kinds=kinds)


def _take_file(turn: Turn) -> str | None:
    """Add the turn's file to the petition; return why not, if it cannot be added."""
    attachment = turn.attachment
    assert attachment is not None  # noqa: S101 - callers check
    files = _files(turn)
    limits = _limits(turn)
    problem = check_attachment(attachment.kind, attachment.file_name, attachment.size,
                               len(files), limits)
    if problem is not None:
        return _attachment_problem(problem, limits)
    files.append({"kind": attachment.kind, "file_id": attachment.file_id,
                  "channel": turn.incoming.channel, "file_name": attachment.file_name,
                  "mime_type": attachment.mime_type, "size": attachment.size})
    turn.data["files"] = files
    return None


def _files_protected_note(turn: Turn) -> str:
    return _("The files of a denunciation are kept secret with your identity: only {who} can "
             "open them, and every time they do it is recorded.").format(
                 who=_who_sees_denouncers(turn))


async def ask_files(turn: Turn) -> None:
    """Ask for photos, documents or voice messages, one by one, until «Done»."""
    count = len(_files(turn))
    maximum = turn.settings.petitions.max_attachments
    protected = _files_protected_note(turn) if _kind(turn).identity_protected else ""
    if count == 0:
        text = _("Do you have photos, papers or voice messages to send with the petition? "
                 "Send them here one by one (at most {max}). If you have none, tap «No "
                 "documents».").format(max=maximum)
        turn.ask(f"{text} {protected}".strip(),
                 [option(_("No documents"), "done", "khong co", "khong", "xong", "none",
                         "no files", "no papers", "nothing", "done")],
                 expect=Expect.FILE)
        return
    if count >= maximum:
        text = _("Received {count} files: that is the most a petition can carry. If you have "
                 "more papers, please bring them to the office. Tap «Done» to go on.").format(
                     count=count)
    else:
        text = _("Received {count} of at most {max} files. Send more, or tap «Done».").format(
            count=count, max=maximum)
    turn.ask(text,
             [option(_("✅ Done"), "done", "xong", "du roi", "finished", "that is all"),
              option(_("🗑 Remove the files sent"), "clear", "xoa", "remove", "delete",
                     "clear")],
             expect=Expect.FILE)


async def receive_files(turn: Turn) -> None:
    """Keep the file (within the limits), or go on."""
    if turn.choice == "done":
        await _proceed(turn, "waiting_for_files")
        return
    if turn.choice == "clear":
        turn.data["files"] = []
        turn.say(_("The files were removed."))
        await turn.goto("waiting_for_files")
        return
    problem = _take_file(turn)
    if problem is not None:
        await turn.reask(problem)
        return
    await turn.goto("waiting_for_files")


# --- who sends it ------------------------------------------------------------------------------

async def _begin_identity(turn: Turn) -> None:
    """Ask the identity questions that fit the type (none for an anonymous petition)."""
    turn.data.pop(RETURN_TO, None)  # the identity questions run to their end, then the review
    kind = _kind(turn)
    if kind is PetitionType.DENUNCIATION:
        await turn.goto("reading_denouncer_notice")
        return
    if kind is PetitionType.COMPLAINT:
        turn.data.pop("anonymous", None)
        if turn.data.pop(IDENTITY_PREFILLED, False) and _identity_complete(turn):
            await turn.goto(REVIEW)
            return
        turn.say(_("The Law on Complaints asks a complaint to give the complainant's full name "
                   "and address, so the next questions are about you."))
        await start_identity(turn, REVIEW, paper_required=True)
        return
    await turn.goto("choosing_anonymity")


async def _named_identity(turn: Turn) -> None:
    turn.data["anonymous"] = False
    if turn.data.pop(IDENTITY_PREFILLED, False) and _identity_complete(turn):
        await turn.goto(REVIEW)
        return
    await start_identity(turn, REVIEW, paper_required=_kind(turn).identity_required)


def _who_sees_denouncers(turn: Turn) -> str:
    names = {
        "leader": _("the office's leaders"),
        "admin": _("the system's administrators"),
        "staff": _("the office's staff"),
        "police": _("the police liaison"),
        "citizen": _("citizens"),
    }
    who = [names[role] for role in turn.settings.petitions.denouncer_identity_roles]
    if len(who) == 1:
        return who[0]
    # Translators: a list of people; {items} is the first ones, comma-separated.
    return _("{items} and {last}").format(items=", ".join(who[:-1]), last=who[-1])


async def ask_denouncer_notice(turn: Turn) -> None:
    """Say, before any identity question, that the law protects a denouncer's identity."""
    turn.ask(
        _("🔒 Your identity is protected by law. Under the Law on Denunciations the name, address "
          "and handwriting of a denouncer are kept secret. In this office only {who} can see "
          "them, and every time they do it is recorded; the person you denounce is not told "
          "who you are.\n\nA denunciation must give the denouncer's name and address to be "
          "handled as a denunciation, so the next questions are about you.").format(
              who=_who_sees_denouncers(turn)),
        [option(_("I understand, continue"), "continue", "tiep tuc", "hieu", "dong y",
                "continue", "understood", "ok", "okay"),
         option(_("I do not want to give my name"), "anonymous", "giau ten", "khong ghi ten",
                "without name", "without my name", "no name", "anonymous", "anonymously",
                "an danh")],
    )


async def receive_denouncer_notice(turn: Turn) -> None:
    """Go on to the identity, or explain what a denunciation without a name can do."""
    if turn.choice == "anonymous":
        await turn.goto("choosing_anonymous_denunciation")
        return
    await _named_identity(turn)


async def ask_anonymous_denunciation(turn: Turn) -> None:
    """Explain the law on denunciations without a name; offer a report instead."""
    turn.ask(
        _("A denunciation without a name is not handled as a denunciation under the law. But "
          "if it says clearly who did what, with evidence, the authorities may still look into "
          "it. You can send it as a report without your name instead."),
        [option(_("Send it as a report without my name"), "report", "phan anh", "giau ten",
                "report", "as a report", "without name", "without my name", "anonymous"),
         option(_("I will give my name"), "named", "ghi ten", "co ten", "with my name",
                "give my name", "my name", "named")],
    )


async def receive_anonymous_denunciation(turn: Turn) -> None:
    """File it as an anonymous report, or ask the identity."""
    if turn.choice == "named":
        await _named_identity(turn)
        return
    turn.data["type"] = PetitionType.REPORT.value
    turn.data["anonymous"] = True
    turn.data["denunciation_content"] = True
    turn.data.pop(IDENTITY_DATA, None)
    await turn.goto(REVIEW)


async def ask_anonymity(turn: Turn) -> None:
    """Ask whether to give a name (a recommendation or report may be anonymous)."""
    turn.ask(
        _("Do you want to give your name? With your name and phone number the office can "
          "contact you and tell you the result. Without them your petition is still recorded, "
          "but only this chat account can follow it."),
        [option(_("Give my name"), "named", "ghi ten", "co ten", "co", "with my name",
                "with name", "named", "give name"),
         option(_("Send without my name"), "anonymous", "khong ghi ten", "giau ten", "an danh",
                "without name", "without my name", "no name", "anonymous", "anonymously",
                "nameless")],
    )


async def receive_anonymity(turn: Turn) -> None:
    """Ask the identity, or record the petition as anonymous."""
    if turn.choice == "named":
        await _named_identity(turn)
        return
    turn.data["anonymous"] = True
    turn.data.pop(IDENTITY_DATA, None)
    turn.data.pop(IDENTITY_PREFILLED, None)
    await turn.goto(REVIEW)


# --- review --------------------------------------------------------------------------------

def _missing(turn: Turn) -> str | None:
    """Return the first question whose answer the petition still lacks, or None."""
    data = turn.data
    if data.get("type") not in {k.value for k in PetitionType}:
        return "choosing_type"
    if not data.get("respondent"):
        return "waiting_for_respondent"
    if not (data.get("place_code") or data.get("place_text") or data.get("place_none")):
        return "waiting_for_place"
    if not (data.get("content") or _files(turn)):
        return "waiting_for_content"
    if not data.get("request"):
        return "waiting_for_request"
    if data.get("stage") not in {s.value for s in PriorStage}:
        return "choosing_prior_handling"
    if data["stage"] != PriorStage.NONE.value and not data.get("prior_body"):
        return "waiting_for_prior_body"
    if not data.get("people"):
        return "choosing_people"
    petitions = turn.services.petitions
    people = int(data["people"])
    if petitions.is_group(people) and not (
            1 <= len(_representatives(turn)) <= petitions.max_representatives(people)):
        return "representatives"
    kind = _kind(turn)
    if kind.identity_required:
        return None if _identity_complete(turn) else IDENTITY
    if "anonymous" not in data or (not data["anonymous"] and not _identity_complete(turn)):
        return IDENTITY
    return None


def _place_line(turn: Turn) -> str:
    data = turn.data
    if data.get("place_name"):
        return _("Place: {place}").format(place=esc(data["place_name"]))
    if data.get("place_text"):
        return _("Place (old address): {place}").format(place=esc(data["place_text"]))
    return _("Place: not one particular commune or ward")


def _respondent_line(kind: PetitionType, text: str) -> str:
    if kind is PetitionType.COMPLAINT:
        return _("Complaint about: {text}").format(text=esc(text))
    if kind is PetitionType.DENUNCIATION:
        return _("Denounced: {text}").format(text=esc(text))
    return _("About: {text}").format(text=esc(text))


def _review_text(turn: Turn) -> str:
    data = turn.data
    kind = _kind(turn)
    stage = PriorStage(data["stage"])
    people = int(data["people"])
    lines = [
        _("<b>Please check your petition before sending it:</b>"),
        _("Type: {type}").format(type=type_label(kind)),
        _respondent_line(kind, data["respondent"]),
        _place_line(turn),
    ]
    content = _content(turn)
    if content:
        lines.append(_("What happened: {content}").format(content=_preview(content)))
    lines.append(_("Request: {request}").format(request=esc(data["request"])))
    handled = stage_label(stage)
    if data.get("prior_body"):
        handled += f" ({esc(data['prior_body'])})"
    lines.append(_("Handled before: {handled}").format(handled=handled))
    anonymous = bool(data.get("anonymous")) and not kind.identity_required
    if turn.services.petitions.is_group(people):
        lines.append((_("People raising it together: {count} (a group petition)") if anonymous
                      else _("People bringing it: {count} (a group petition)")).format(
                          count=people))
        lines.append(_("Representatives:"))
        lines.extend(_representative_lines(turn))
    elif not anonymous:
        # Sent without a name, nobody stands as its signatory: no count to show.
        lines.append(_("People bringing it: {count}").format(count=people))
    if _takes_files(turn):
        lines.append(_("Files sent with it: {count}").format(count=len(_files(turn))))
    person = _identity(turn)
    if data.get("anonymous") or person is None:
        lines.append(_("Sender: no name given"))
    else:
        lines.append(_("Sender:"))
        lines.extend("  " + line for line in summary(person))
    if kind.identity_protected:
        lines.append(_("🔒 Your identity will be kept secret, as the Law on Denunciations "
                       "requires."))
    if skips_level(kind, stage):
        lines.append(_("⚠️ No authority has decided this complaint yet: the office will tell you "
                       "where the first step belongs."))
    return "\n".join(lines)


async def ask_review(turn: Turn) -> None:
    """Show the whole petition; ask to send it or change something."""
    missing = _missing(turn)
    if missing == IDENTITY:
        await _begin_identity(turn)
        return
    if missing == "representatives":
        turn.data["representatives"] = []
        turn.data[RETURN_TO] = REVIEW
        await _start_representative(turn)
        return
    if missing is not None:
        await turn.edit(missing, return_to=REVIEW)
        return
    turn.ask(_review_text(turn), [
        yes_option(_("✅ Send the petition"), "submit", "gui", "gui don", "nop don", "send",
                   "submit", "send it"),
        option(_("✏️ Change something"), "edit", "sua", "thay doi", "chinh sua", "change",
               "edit", "correct"),
    ], expect=Expect.CONFIRM)


async def receive_review(turn: Turn) -> None:
    """Send the petition, or choose what to change."""
    if turn.choice == "edit":
        await turn.goto("choosing_field_to_edit")
        return
    await _submit(turn)


async def ask_field_to_edit(turn: Turn) -> None:
    """Offer every answer for change."""
    kind = _kind(turn)
    respondent = {PetitionType.COMPLAINT: _("What you complain about"),
                  PetitionType.DENUNCIATION: _("Whom you denounce")}.get(kind, _("Subject"))
    options = [
        option(_("Type of petition"), "type", "loai don", "type", "kind"),
        option(respondent, "respondent"),
        option(_("Place"), "place", "noi xay ra", "xa", "phuong", "place", "commune", "ward",
               "address"),
        option(_("What happened"), "content", "noi dung", "content", "story"),
        option(_("Request"), "request", "de nghi", "yeu cau", "request"),
        option(_("Handled before"), "prior", "giai quyet", "da giai quyet", "handled",
               "handled before"),
        option(_("Number of people"), "people", "so nguoi", "people", "number of people"),
    ]
    if turn.services.petitions.is_group(int(turn.data.get("people") or 1)):
        options.append(option(_("Representatives"), "representatives", "dai dien",
                              "representatives"))
    if _takes_files(turn):
        options.append(option(_("Files"), "files", "tai lieu", "tep", "anh", "files",
                              "documents", "photos"))
    options.append(option(_("Your details"), "identity", "thong tin ca nhan", "ho ten",
                          "my details", "name", "personal details"))
    turn.ask(_("What do you want to change?"), options, columns=2)


_EDITS = {
    "type": "choosing_type",
    "respondent": "waiting_for_respondent",
    "place": "waiting_for_place",
    "content": "waiting_for_content",
    "request": "waiting_for_request",
    "prior": "choosing_prior_handling",
    "people": "choosing_people",
    "files": "waiting_for_files",
}


async def receive_field_to_edit(turn: Turn) -> None:
    """Ask the chosen question again; its answer replaces the old one."""
    choice = turn.choice or ""
    if choice == "identity":
        await _begin_identity(turn)
        return
    if choice == "representatives":
        turn.data["representatives"] = []
        turn.data[RETURN_TO] = REVIEW
        await _start_representative(turn)
        return
    if choice == "content":
        turn.data["_content_replace"] = True
    await turn.edit(_EDITS[choice], return_to=REVIEW)


# --- sending ---------------------------------------------------------------------------------

def _new_petition(turn: Turn) -> NewPetition:
    data = turn.data
    kind = _kind(turn)
    stage = PriorStage(data["stage"])
    person = None if data.get("anonymous") and not kind.identity_required else _identity(turn)
    people = int(data["people"])
    group = turn.services.petitions.is_group(people)
    return NewPetition(
        kind=kind,
        respondent=data["respondent"],
        place_code=data.get("place_code"),
        place_text=data.get("place_text"),
        content=_content(turn),
        request=data["request"],
        prior_stage=stage,
        prior_body=data.get("prior_body") if stage is not PriorStage.NONE else None,
        people=people,
        representatives=tuple(Representative(r["full_name"], r["phone_e164"])
                              for r in _representatives(turn)) if group else (),
        files=tuple(PetitionFile(kind=f["kind"], file_id=f["file_id"], channel=f["channel"],
                                 file_name=f.get("file_name"), mime_type=f.get("mime_type"),
                                 size=f.get("size")) for f in _files(turn)),
        identity=person,
        mixed=bool(data.get("mixed")),
        denunciation_content=bool(data.get("denunciation_content")),
        related_code=data.get("related_code"),
    )


def _period(value: int, unit: Unit) -> str:
    if unit is Unit.WORKING_DAYS:
        return ngettext("{count} working day", "{count} working days", value).format(
            count=value)
    return ngettext("{count} day", "{count} days", value).format(count=value)




def receipt(turn: Turn, petition: Petition) -> str:
    """Return the receipt: code, time of receipt, what happens next and by when."""
    lines = [
        _("✅ <b>The office has received your petition.</b>"),
        _("Tracking code: {code}").format(code=f"<code>{petition.code}</code>"),
        _("Please keep this code: you need it to follow your petition, and you can read it out "
          "to the office over the phone."),
        _("Received at: {time}").format(time=format_datetime(petition.received_at)),
        _("Type: {type}").format(type=type_label(petition.kind)),
    ]
    due = petition.due
    if due is not None:
        value, unit, source = describe_rule(turn.settings.rules, due.rule_key,
                                            due.effective_from)
        when = format_date(due.due_on, "weekday")
        period = _period(value, unit)
        if petition.kind is PetitionType.COMPLAINT:
            text = _("Next: the office decides whether your complaint can be accepted for "
                     "handling and tells you, by {date} at the latest ({period}, {source}).")
        elif petition.kind is PetitionType.DENUNCIATION:
            text = _("Next: the office checks and classifies your denunciation and tells you "
                     "whether it is accepted, by {date} at the latest ({period}, {source}).")
        else:
            text = _("Next: the office tells you whether your petition is being handled, sent "
                     "on to the competent body or answered, by {date} at the latest ({period}, "
                     "{source}).")
        lines.append(text.format(date=when, period=period, source=esc(citation(source))))
    if petition.skips_level:
        lines.append(_("Your complaint has not been decided at the first level yet. The office "
                       "has noted this and will tell you where the first step belongs; your "
                       "petition is kept either way."))
    if petition.anonymous:
        lines.append(_("You sent this petition without your name, so you do not need to come "
                       "and sign it: the office takes it as information to look into. Only this "
                       "chat account can look it up."))
    else:
        notes = turn.settings.petitions.signature_note
        note = notes.get(current_language()) or notes.get(turn.settings.default_language)
        if note:
            lines.append(esc(note))
    lines.append(_("To follow it: choose «Look up» in the menu, or send /tracuu {code}").format(
        code=petition.code))
    return "\n\n".join([lines[0], "\n".join(lines[1:5]), *lines[5:]])


def _second_prefill(turn: Turn, first_code: str, second: PetitionType) -> dict[str, Any]:
    data = turn.data
    prefilled = ["choosing_type", "waiting_for_place", "choosing_people"]
    prefill: dict[str, Any] = {
        "type": second.value, "mixed": True, "related_code": first_code,
        "place_code": data.get("place_code"), "place_name": data.get("place_name"),
        "place_text": data.get("place_text"), "place_none": data.get("place_none", False),
        "people": data.get("people"), "representatives": _representatives(turn),
        PREFILLED: prefilled,
    }
    if _identity_complete(turn) and not data.get("anonymous"):
        prefill[IDENTITY_DATA] = data[IDENTITY_DATA]
        prefill[IDENTITY_PREFILLED] = True
    return prefill


async def _submit(turn: Turn) -> None:
    consent = await turn.consent()
    if not consent.granted(Purpose.HANDLING):
        turn.say(_("You have withdrawn your consent to the processing of your personal data, so "
                   "the petition cannot be sent. Your draft is kept: agree again under «Personal "
                   "data» to send it."))
        await turn.menu()
        return
    petition = await turn.services.petitions.submit(turn.user, _new_petition(turn),
                                                    turn.incoming.sent_at)
    turn.say(receipt(turn, petition))
    then = turn.data.get("then")
    if not then:
        await turn.finish()
        return
    second = PetitionType(then)
    prefill = _second_prefill(turn, petition.code, second)
    # The petition is sent: nothing of it is left to keep as a draft.
    turn.data.clear()
    await turn.begin(SECOND_FLOW_NAME, {"prefill": prefill, "first": petition.kind.value,
                                        "second": second.value})


# --- the second petition of a mixed matter -----------------------------------------------------

async def ask_second_petition(turn: Turn) -> None:
    """Offer to write the other petition of a mixed matter now."""
    first = type_label(PetitionType(turn.data["first"])).lower()
    second = type_label(PetitionType(turn.data["second"])).lower()
    turn.ask(
        _("Your {first} petition is sent. Shall we now write the {second} petition? The place, "
          "the number of people, the representatives and your details are filled in from the "
          "first one; you can change them before sending.").format(first=first, second=second),
        [option(_("Yes, write it now"), "yes", "co", "viet ngay", "yes"),
         option(_("Later"), "later", "de sau", "khong", "later")],
        back=False,
    )


async def receive_second_petition(turn: Turn) -> None:
    """Start the other petition with the shared answers, or leave it for later."""
    if turn.choice == "yes":
        await turn.begin(FLOW_NAME, dict(turn.data["prefill"]))
        return
    second = type_label(PetitionType(turn.data["second"]))
    # Kept as a draft: opened later, it is offered to continue, filled in and linked.
    await turn.dialog.keep_for_later(turn, FLOW_NAME, "choosing_type", dict(turn.data["prefill"]))
    turn.say(_("All right. Your {type} petition is kept with the shared answers filled in. When "
               "you are ready, choose «Submit a petition» in the menu and continue it.").format(
                   type=second.lower()))
    await turn.finish()


FLOW = Flow(
    name=FLOW_NAME,
    title=N_("Petition"),
    steps={
        "choosing_type": Step(ask_type, receive_type),
        "choosing_mixed_order": Step(ask_mixed_order, receive_mixed_order),
        "waiting_for_respondent": Step(ask_respondent, receive_respondent),
        "waiting_for_place": Step(ask_place, receive_place),
        "choosing_place_suggestion": Step(ask_place_suggestion, receive_place_suggestion),
        "confirming_old_address": Step(ask_old_address_confirmation,
                                       receive_old_address_confirmation),
        "waiting_for_old_address": Step(ask_old_address, receive_old_address),
        "waiting_for_content": Step(ask_content, receive_content),
        "waiting_for_request": Step(ask_request, receive_request),
        "choosing_prior_handling": Step(ask_prior_handling, receive_prior_handling),
        "waiting_for_prior_body": Step(ask_prior_body, receive_prior_body),
        "choosing_people": Step(ask_people, receive_people),
        "waiting_for_people_count": Step(ask_people_count, receive_people_count),
        "waiting_for_representative_name": Step(ask_representative_name,
                                                receive_representative_name),
        "waiting_for_representative_phone": Step(ask_representative_phone,
                                                 receive_representative_phone),
        "choosing_more_representatives": Step(ask_more_representatives,
                                              receive_more_representatives),
        "waiting_for_files": Step(ask_files, receive_files),
        "reading_denouncer_notice": Step(ask_denouncer_notice, receive_denouncer_notice),
        "choosing_anonymous_denunciation": Step(ask_anonymous_denunciation,
                                                receive_anonymous_denunciation),
        "choosing_anonymity": Step(ask_anonymity, receive_anonymity),
        **identity_steps(),
        REVIEW: Step(ask_review, receive_review),
        "choosing_field_to_edit": Step(ask_field_to_edit, receive_field_to_edit),
    },
    first="choosing_type",
    keeps_draft=True,
    confirm_cancel=True,
    interruptible=False,
)

SECOND_FLOW = Flow(
    name=SECOND_FLOW_NAME,
    title=N_("The next petition"),
    steps={"offering_second_petition": Step(ask_second_petition, receive_second_petition)},
    first="offering_second_petition",
    confirm_cancel=True,
)
