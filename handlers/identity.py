"""Identity steps shared by the petition and booking flows.

    (flow) ─▶ choosing_saved_identity (only if one was saved) ─┬─ reuse ───────────────▶ (next)
                                                               └─ new ─▶ waiting_for_full_name
    waiting_for_full_name ─▶ waiting_for_phone ─▶ waiting_for_cccd ─┬─ 12 digits ──────────┐
                   «I use a passport» ─▶ waiting_for_passport ─ 6–12 letters, digits ─┤
                   «I have no card / lost it» ─ a kind word ──────────────────────────┤
    waiting_for_address ◀───────────────────────────────────────────────────────────┘
    waiting_for_address ─▶ (next)

A flow includes ``identity_steps()`` in its steps and calls ``start_identity(turn, next)``.
What the person gives is kept in ``turn.data["identity"]``; the CCCD or passport number only
as its digest, masked and sealed forms (and is never repeated back in full).
"""

from __future__ import annotations

from bot.dialog.flow import Step, Turn, esc, option
from bot.domain.conversation import Expect
from bot.domain.identity import (
    AddressProblem,
    Cccd,
    CccdError,
    CccdProblem,
    Passport,
    PassportProblem,
    PersonNameError,
    Phone,
    PhoneError,
    clean_address,
    normalize_name,
    read_full_name,
)
from bot.domain.person import PersonIdentity
from bot.i18n import _
from bot.services.identity import id_paper_line

IDENTITY = "identity"
NEXT = "_identity_next"
ID_REQUIRED = "_identity_paper_required"  # a complaint or denunciation: the office checks it
FIRST_STEP = "waiting_for_full_name"
USE_PASSPORT = "passport"
NO_CARD = "no_card"


def current(turn: Turn) -> PersonIdentity | None:
    """Return the identity gathered so far in this flow, if complete enough to show."""
    data = turn.data.get(IDENTITY)
    return PersonIdentity.from_json(data) if data and data.get("full_name") else None


def _update(turn: Turn, **values: str | None) -> None:
    data = dict(turn.data.get(IDENTITY) or {})
    data.update(values)
    turn.data[IDENTITY] = data


def summary(identity: PersonIdentity) -> list[str]:
    """Return the identity's lines for a review screen (phone and CCCD masked)."""
    lines = [_("Full name: {name}").format(name=esc(identity.full_name))]
    if identity.phone_masked:
        lines.append(_("Phone: {phone}").format(phone=esc(identity.phone_masked)))
    lines.append(esc(id_paper_line(identity.cccd_masked)))
    if identity.address:
        lines.append(_("Address: {address}").format(address=esc(identity.address)))
    return lines


def phone_problem_hint() -> str:
    """Explain, kindly, what a phone number looks like (mobile or landline)."""
    return _("That does not look like a valid phone number. A mobile number has 10 digits and "
             "starts with 0, for example 0912 345 678; a landline starts with its area code, "
             "for example 0205 3812 345.")


async def start_identity(turn: Turn, next_step: str, *, paper_required: bool = False) -> None:
    """Begin the identity steps; go to ``next_step`` when done.

    ``paper_required``: the office must check the person's identity (a complaint, a
    denunciation), so someone without a number is told they will show a paper there.
    """
    turn.data[NEXT] = next_step
    turn.data[ID_REQUIRED] = paper_required
    saved = await turn.services.identity.saved(turn.user)
    if saved is not None and saved.complete:
        await turn.goto("choosing_saved_identity")
    else:
        await turn.goto(FIRST_STEP)


async def _done(turn: Turn) -> None:
    await turn.advance(str(turn.data.get(NEXT) or FIRST_STEP))


async def ask_saved_identity(turn: Turn) -> None:
    """Offer the identity the person gave last time."""
    saved = await turn.services.identity.saved(turn.user)
    if saved is None:
        await turn.goto(FIRST_STEP)
        return
    turn.ask(
        _("Last time you gave these details:") + "\n" + "\n".join(summary(saved)) + "\n\n"
        + _("Shall we use them again?"),
        [option(_("Yes, use them"), "reuse", "co", "dung lai", "dung", "use them", "reuse",
                "same"),
         option(_("No, I will enter new details"), "new", "khong", "nhap moi", "nhap lai",
                "new", "new details", "enter new")],
    )


async def receive_saved_identity(turn: Turn) -> None:
    """Reuse the saved identity, or ask for new details."""
    saved = await turn.services.identity.saved(turn.user)
    if turn.choice == "reuse" and saved is not None:
        turn.data[IDENTITY] = saved.to_json()
        await _done(turn)
        return
    await turn.goto(FIRST_STEP)


async def ask_full_name(turn: Turn) -> None:
    """Ask for the full name."""
    turn.ask(_("What is your full name (as on your ID card)?"), expect=Expect.TEXT)


async def receive_full_name(turn: Turn) -> None:
    """Check and keep the full name; words around it ("tôi tên là", a birth year) are left out."""
    name = read_full_name(turn.text or "")
    if isinstance(name, PersonNameError):
        hints = {
            PersonNameError.HAS_DIGITS: _("A name has no digits."),
            PersonNameError.TOO_LONG: _("That is too long for a name (at most 100 letters)."),
        }
        await turn.reask(hints.get(name, _("Please type your full name in letters, for "
                                           "example: Nguyễn Văn An.")))
        return
    if name != normalize_name(turn.text or ""):
        turn.say(_("Full name noted: {name}.").format(name=esc(name)))
    _update(turn, full_name=name)
    await turn.advance("waiting_for_phone")


async def ask_phone(turn: Turn) -> None:
    """Ask for the phone number, offering the share-contact button."""
    turn.ask(_("What phone number can the office reach you on? Tap «Share my phone number» "
               "or type it."), expect=Expect.CONTACT, request_contact=True)


async def receive_phone(turn: Turn) -> None:
    """Check, normalise and keep the phone number."""
    raw = turn.contact.phone if turn.contact is not None else (turn.text or "")
    phone = turn.services.identity.phone(raw)
    if isinstance(phone, PhoneError):
        await turn.reask(phone_problem_hint())
        return
    assert isinstance(phone, Phone)  # noqa: S101 - the error case returned above
    _update(turn, phone_e164=phone.e164, phone_masked=phone.masked)
    turn.say(_("Phone number noted: {phone}.").format(phone=esc(phone.masked)))
    await turn.advance("waiting_for_cccd")


async def ask_cccd(turn: Turn) -> None:
    """Ask for the CCCD number, saying why it is needed; offer a passport, or going on without."""
    turn.ask(_("Please type your personal ID number (CCCD): the 12 digits on your citizen ID "
               "card. The law asks for it to identify the person making the request; it is "
               "stored encrypted and shown only masked."),
             [option(_("I use a passport"), USE_PASSPORT, "ho chieu", "passport", "dung ho chieu"),
              option(_("I have no card yet / I lost it"), NO_CARD, "chua co", "chua co the",
                     "mat the", "bi mat", "mat roi", "khong co the", "cmnd", "chung minh thu",
                     "chung minh nhan dan", "no card", "lost")],
             expect=Expect.TEXT)


def cccd_problem_hint(error: CccdError) -> str:
    """Explain, kindly, why a typed CCCD number was refused and what is expected."""
    if error.problem is CccdProblem.OLD_CMND:
        return _("That looks like an old 9-digit ID number (CMND), which is no longer valid. "
                 "Please type the 12-digit number on your citizen ID card (CCCD).")
    if error.problem is CccdProblem.WRONG_LENGTH:
        return _("You typed {count} digits; a CCCD number has exactly 12 digits, for example "
                 "001234567890.").format(count=error.digit_count)
    if error.problem is CccdProblem.IMPLAUSIBLE:
        return _("That number does not look right: digits 4 to 6 should give your year of "
                 "birth. Please check it against your card.")
    return _("A CCCD number has only digits: exactly 12 of them, for example 001234567890.")


async def receive_cccd(turn: Turn) -> None:
    """Check the CCCD number; keep only its protected forms; repeat it masked.

    «I use a passport» asks for it instead; «I have none» goes on without a number.
    """
    if turn.choice == USE_PASSPORT:
        await turn.goto("waiting_for_passport")
        return
    if turn.choice == NO_CARD:
        _update(turn, cccd_digest=None, cccd_masked=None, cccd_sealed=None)
        if turn.data.get(ID_REQUIRED):
            turn.say(_("Understood, we go on without it. The law asks the office to check who "
                       "sends a complaint or a denunciation, so you will be asked to show an "
                       "identity paper (a citizen ID card, an identity certificate or a "
                       "passport) at the office. Your petition is received all the same."))
        else:
            turn.say(_("Understood, we go on without it. If you come to the office, please "
                       "bring any identity paper you have."))
        await turn.advance("waiting_for_address")
        return
    cccd = turn.services.identity.cccd(turn.text or "")
    if isinstance(cccd, CccdError):
        hint = cccd_problem_hint(cccd)
        if cccd.problem in (CccdProblem.OLD_CMND, CccdProblem.NOT_DIGITS):
            hint += "\n" + _("If you have a passport instead, tap «I use a passport»; if you "
                             "have no card or lost it, tap «I have no card yet / I lost it».")
        await turn.reask(hint)
        return
    assert isinstance(cccd, Cccd)  # noqa: S101 - the error case returned above
    protected = turn.services.identity.protect(PersonIdentity(full_name=""), cccd)
    _update(turn, cccd_digest=protected.cccd_digest, cccd_masked=protected.cccd_masked,
            cccd_sealed=protected.cccd_sealed)
    turn.say(_("CCCD number noted: {cccd}.").format(cccd=esc(cccd.masked)))
    await turn.advance("waiting_for_address")


async def ask_passport(turn: Turn) -> None:
    """Ask for the passport number."""
    turn.ask(_("Please type your passport number, as printed on the passport (letters and "
               "digits, for example B1234567). It is stored encrypted and shown only masked."),
             [option(_("I have no card yet / I lost it"), NO_CARD, "chua co", "mat",
                     "khong co")],
             expect=Expect.TEXT)


async def receive_passport(turn: Turn) -> None:
    """Check the passport number; keep only its protected forms; repeat it masked."""
    if turn.choice == NO_CARD:
        await receive_cccd(turn)
        return
    passport = turn.services.identity.passport(turn.text or "")
    if isinstance(passport, PassportProblem):
        await turn.reask(_("A passport number has 6 to 12 letters and digits, for example "
                           "B1234567. Please check it against your passport."))
        return
    assert isinstance(passport, Passport)  # noqa: S101 - the error case returned above
    protected = turn.services.identity.protect_passport(PersonIdentity(full_name=""), passport)
    _update(turn, cccd_digest=protected.cccd_digest, cccd_masked=protected.cccd_masked,
            cccd_sealed=protected.cccd_sealed)
    turn.say(_("Passport number noted: {number}.").format(number=esc(passport.masked)))
    await turn.advance("waiting_for_address")


async def ask_address(turn: Turn) -> None:
    """Ask for the address where the person lives."""
    turn.ask(_("What is your address (house number, street or village, commune or ward)?"),
             expect=Expect.TEXT)


async def receive_address(turn: Turn) -> None:
    """Keep the address."""
    limit = turn.settings.petitions.max_answer_chars
    address = clean_address(turn.text or "", limit)
    if address is AddressProblem.TOO_LONG:
        await turn.reask(_("That is longer than {limit} characters. Please shorten it.")
                         .format(limit=limit))
        return
    if address is AddressProblem.NO_WORDS:
        await turn.reask(_("Please add the village or street and the commune or ward, not "
                           "only the house number. For example: Số 12, thôn Nà Pàn, xã Hoàng "
                           "Văn Thụ."))
        return
    if isinstance(address, AddressProblem):
        await turn.reask(_("Please type your address, for example: Thôn Nà Pàn, xã Hoàng Văn "
                           "Thụ."))
        return
    _update(turn, address=address)
    await _done(turn)


def identity_steps() -> dict[str, Step]:
    """Return the identity steps, to include in a flow's steps."""
    return {
        "choosing_saved_identity": Step(ask_saved_identity, receive_saved_identity),
        "waiting_for_full_name": Step(ask_full_name, receive_full_name),
        "waiting_for_phone": Step(ask_phone, receive_phone),
        "waiting_for_cccd": Step(ask_cccd, receive_cccd),
        "waiting_for_passport": Step(ask_passport, receive_passport),
        "waiting_for_address": Step(ask_address, receive_address),
    }
