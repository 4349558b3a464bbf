"""Identity steps shared by the petition and booking flows.

    (flow) ─▶ choosing_saved_identity (only if one was saved) ─┬─ reuse ───────────────▶ (next)
                                                               └─ new ─▶ waiting_for_full_name
    waiting_for_full_name ─▶ waiting_for_phone ─▶ waiting_for_cccd ─▶ waiting_for_address ─▶ (next)

A flow includes ``identity_steps()`` in its steps and calls ``start_identity(turn, next)``.
What the person gives is kept in ``turn.data["identity"]``; the CCCD number only as its
digest, masked and sealed forms (and is never repeated back in full).
"""

from __future__ import annotations

from bot.dialog.flow import Step, Turn, esc, option
from bot.domain.conversation import Expect
from bot.domain.identity import (
    Cccd,
    CccdError,
    CccdProblem,
    PersonNameError,
    Phone,
    PhoneError,
    normalize_name,
)
from bot.domain.person import PersonIdentity
from bot.i18n import _

IDENTITY = "identity"
NEXT = "_identity_next"
FIRST_STEP = "waiting_for_full_name"


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
    if identity.cccd_masked:
        lines.append(_("CCCD: {cccd}").format(cccd=esc(identity.cccd_masked)))
    if identity.address:
        lines.append(_("Address: {address}").format(address=esc(identity.address)))
    return lines


async def start_identity(turn: Turn, next_step: str) -> None:
    """Begin the identity steps; go to ``next_step`` when done."""
    turn.data[NEXT] = next_step
    saved = await turn.services.identity.saved(turn.user)
    if saved is not None and saved.cccd_sealed:
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
        [option(_("Yes, use them"), "reuse", "co", "dung lai", "dung"),
         option(_("No, I will enter new details"), "new", "khong", "nhap moi", "nhap lai")],
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
    """Check and keep the full name."""
    name = normalize_name(turn.text or "")
    if isinstance(name, PersonNameError):
        hints = {
            PersonNameError.HAS_DIGITS: _("A name has no digits."),
            PersonNameError.TOO_LONG: _("That is too long for a name (at most 100 letters)."),
        }
        await turn.reask(hints.get(name, _("Please type your full name in letters, for "
                                           "example: Nguyễn Văn An.")))
        return
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
        await turn.reask(_("That does not look like a valid phone number. A mobile number has "
                           "10 digits and starts with 0, for example 0912 345 678."))
        return
    assert isinstance(phone, Phone)  # noqa: S101 - the error case returned above
    _update(turn, phone_e164=phone.e164, phone_masked=phone.masked)
    turn.say(_("Phone number noted: {phone}.").format(phone=esc(phone.masked)))
    await turn.advance("waiting_for_cccd")


async def ask_cccd(turn: Turn) -> None:
    """Ask for the CCCD number, saying why it is needed."""
    turn.ask(_("Please type your personal ID number (CCCD): the 12 digits on your citizen ID "
               "card. The law asks for it to identify the person making the request; it is "
               "stored encrypted and shown only masked."), expect=Expect.TEXT)


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
    """Check the CCCD number; keep only its protected forms; repeat it masked."""
    cccd = turn.services.identity.cccd(turn.text or "")
    if isinstance(cccd, CccdError):
        await turn.reask(cccd_problem_hint(cccd))
        return
    assert isinstance(cccd, Cccd)  # noqa: S101 - the error case returned above
    protected = turn.services.identity.protect(PersonIdentity(full_name=""), cccd)
    _update(turn, cccd_digest=protected.cccd_digest, cccd_masked=protected.cccd_masked,
            cccd_sealed=protected.cccd_sealed)
    turn.say(_("CCCD number noted: {cccd}.").format(cccd=esc(cccd.masked)))
    await turn.advance("waiting_for_address")


async def ask_address(turn: Turn) -> None:
    """Ask for the address where the person lives."""
    turn.ask(_("What is your address (house number, street or village, commune or ward)?"),
             expect=Expect.TEXT)


async def receive_address(turn: Turn) -> None:
    """Keep the address."""
    text = (turn.text or "").strip()
    limit = turn.settings.petitions.max_answer_chars
    if len(text) > limit:
        await turn.reask(_("That is longer than {limit} characters. Please shorten it.")
                         .format(limit=limit))
        return
    if len(text) < 3:
        await turn.reask(_("Please type your address, for example: Thôn Nà Pàn, xã Hoàng Văn "
                           "Thụ."))
        return
    _update(turn, address=text)
    await _done(turn)


def identity_steps() -> dict[str, Step]:
    """Return the identity steps, to include in a flow's steps."""
    return {
        "choosing_saved_identity": Step(ask_saved_identity, receive_saved_identity),
        "waiting_for_full_name": Step(ask_full_name, receive_full_name),
        "waiting_for_phone": Step(ask_phone, receive_phone),
        "waiting_for_cccd": Step(ask_cccd, receive_cccd),
        "waiting_for_address": Step(ask_address, receive_address),
    }
