"""Flows, steps and the Turn a handler works with.

A flow is a named set of steps. Each step has an ``ask`` (send the question) and a
``receive`` (handle the answer). The core calls ``receive`` only with an answer the open
question can take: a chosen option, text, a contact or a file. Everything else (stale
buttons, stickers at a text question, commands, "back") is answered by the core.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.domain.choices import NO_WORDS, YES_WORDS, Option
from bot.domain.conversation import IDLE_FLOW, IDLE_STEP, ConversationState, Expect, Prompt
from bot.domain.messages import (
    Attachment,
    Button,
    Contact,
    Incoming,
    OutFile,
    Reply,
)
from bot.domain.messages import (
    action_data as action_data,
)
from bot.domain.users import ChannelUser, Consent, Role
from bot.i18n import _
from bot.services import Services

if TYPE_CHECKING:
    from bot.dialog.core import Dialog

BACK = "_back"
HISTORY = "_history"
RETURN_TO = "_return_to"

StepFn = Callable[["Turn"], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    """One question of a flow: how to ask it and how to take its answer."""

    ask: StepFn
    receive: StepFn


@dataclass(frozen=True)
class Flow:
    """A conversation with a purpose, step by step."""

    name: str
    title: str  # marked with N_; a short noun phrase shown in «» ("Petition")
    steps: Mapping[str, Step]
    first: str
    keeps_draft: bool = False  # saved when left half-way, offered again on return
    interruptible: bool = True  # other commands may start while it is open
    confirm_cancel: bool = False  # /huy asks before throwing the draft away
    roles: frozenset[Role] | None = None  # None: everyone; checked on every turn

    def allows(self, role: Role) -> bool:
        """Tell whether a person with ``role`` may be in this flow."""
        return self.roles is None or role in self.roles


@dataclass(frozen=True)
class Command:
    """A slash command and who may use it."""

    handler: StepFn
    roles: frozenset[Role] | None = None
    help: str = ""  # marked with N_; one line in /trogiup
    # Roles the settings file chooses (role values), checked as well as ``roles``.
    configured_roles: Callable[[Settings], Collection[str]] | None = None

    @property
    def restricted(self) -> bool:
        """Tell whether only some roles may use the command."""
        return self.roles is not None or self.configured_roles is not None

    def allows(self, role: Role, settings: Settings) -> bool:
        """Tell whether a person with ``role`` may use the command under ``settings``."""
        if self.roles is not None and role not in self.roles:
            return False
        return self.configured_roles is None or role.value in self.configured_roles(settings)


ActionFn = Callable[["Turn", str], Awaitable[None]]


@dataclass(frozen=True)
class Action:
    """A button that works outside any question (in a reminder, an alert, a list)."""

    handler: ActionFn
    roles: frozenset[Role] | None = None

    def allows(self, role: Role) -> bool:
        """Tell whether a person with ``role`` may press it."""
        return self.roles is None or role in self.roles


@dataclass(frozen=True)
class Routes:
    """All routing in one place: flows, commands, actions, and the start, help and menu."""

    flows: Mapping[str, Flow]
    commands: Mapping[str, Command]
    actions: Mapping[str, Action]
    start: StepFn
    help: StepFn


def esc(text: object) -> str:
    """Escape citizen (or any stored) text for the HTML a Reply carries."""
    return html.escape(str(text), quote=False)


@dataclass
class Turn:
    """One turn of a conversation: what arrived, who sent it, their state and the replies."""

    dialog: Dialog
    incoming: Incoming
    user: ChannelUser
    state: ConversationState
    services: Services
    settings: Settings
    now: datetime
    opened_with: Prompt | None = None  # the question that was open when the turn began
    replies: list[Reply] = field(default_factory=list)
    choice: str | None = None
    text: str | None = None
    contact: Contact | None = None
    attachment: Attachment | None = None
    _consent: Consent | None = None

    # -- what the person has and is -------------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        """The draft of the current flow, saved with the state at the end of the turn."""
        return self.state.data

    @property
    def role(self) -> Role:
        """The person's role, as stored now."""
        return self.user.role

    @property
    def flow(self) -> Flow:
        """The flow the person is in."""
        return self.dialog.routes.flows[self.state.flow]

    async def consent(self) -> Consent:
        """Return the person's answers to the data-protection notice (read once per turn)."""
        if self._consent is None:
            self._consent = await self.services.users.consent(self.user)
        return self._consent

    def forget_consent(self) -> None:
        """Drop the cached consent after it changed in this turn."""
        self._consent = None

    # -- saying things ---------------------------------------------------------------------

    def say(
        self,
        text: str,
        *,
        buttons: Sequence[Button] = (),
        document: OutFile | None = None,
        photo: OutFile | None = None,
        columns: int = 1,
    ) -> None:
        """Send a message that asks nothing."""
        self.replies.append(
            Reply(text=text, buttons=tuple(buttons), document=document, photo=photo,
                  columns=columns, remove_keyboard=self._keyboard_left())
        )

    def ask(
        self,
        text: str,
        options: Sequence[Option] = (),
        *,
        expect: Expect = Expect.CHOICE,
        request_contact: bool = False,
        back: bool = True,
        columns: int = 1,
    ) -> None:
        """Ask a question; its options become buttons (and numbers in a text channel)."""
        offered = list(options)
        if back and not self.state.idle:
            offered.append(Option(_("⬅ Back"), BACK, (_("back"), "quay lai", "tro lai", "back")))
        remove = self._keyboard_left()
        self.state.version += 1
        token = format(self.state.version, "x")
        self.state.prompt = Prompt(
            token=token, options=tuple(offered), expect=expect,
            request_contact=request_contact, text=text,
        )
        self.replies.append(
            Reply(
                text=text,
                buttons=tuple(Button(o.label, f"{token}|{o.payload}") for o in offered),
                columns=columns,
                request_contact=request_contact,
                remove_keyboard=remove and not request_contact,
                numbered=expect is not Expect.NUMBER,
            )
        )

    def _keyboard_left(self) -> bool:
        prompt = self.opened_with
        already = any(r.remove_keyboard or r.request_contact for r in self.replies)
        return prompt is not None and prompt.request_contact and not already

    async def reask(self, hint: str | None = None) -> None:
        """Show ``hint`` and the open question again (a new copy, with working buttons)."""
        await self.dialog.reask(self, hint)

    # -- moving between steps and flows ----------------------------------------------------

    async def goto(self, step: str) -> None:
        """Go to ``step`` of the current flow and ask its question."""
        flow = self.flow
        if step not in flow.steps:
            raise KeyError(f"flow {flow.name} has no step {step}")
        if step != self.state.step:
            history = list(self.state.data.get(HISTORY, []))
            history.append(self.state.step)
            self.state.data[HISTORY] = history[-50:]
        self.state.step = step
        await flow.steps[step].ask(self)

    async def advance(self, step: str) -> None:
        """Go on to ``step`` — or back to the review, if the person came to change one answer."""
        target = self.state.data.pop(RETURN_TO, None) or step
        await self.goto(target)

    async def edit(self, step: str, return_to: str) -> None:
        """Ask ``step`` again to change its answer, then come back to ``return_to``."""
        self.state.data[RETURN_TO] = return_to
        await self.goto(step)

    async def begin(self, flow_name: str, data: dict[str, Any] | None = None) -> None:
        """Start ``flow_name`` (offering its draft first, if one was left half-way)."""
        await self.dialog.begin(self, flow_name, data)

    async def finish(self) -> None:
        """End the current flow (its draft is discarded) and go back to the menu."""
        await self.dialog.finish(self)

    async def menu(self) -> None:
        """Leave any flow (keeping its draft) and show the main menu."""
        await self.dialog.leave(self)
        await self.dialog.routes.flows[IDLE_FLOW].steps[IDLE_STEP].ask(self)


def option(label: str, payload: str, *aliases: str) -> Option:
    """Make an option; a short way to write a list of them."""
    return Option(label, payload, tuple(aliases))


def yes_option(label: str, payload: str = "yes", *aliases: str) -> Option:
    """Make the option that says yes to a confirmation (ask it with ``Expect.CONFIRM``).

    It is chosen by its button, its number, or its label, a yes word («có», «đồng ý», «yes»)
    or one of ``aliases`` typed alone: never by a sentence that happens to contain one.
    """
    return Option(label, payload, (*aliases, *YES_WORDS))


def no_option(label: str, payload: str = "no", *aliases: str) -> Option:
    """Make the option that says no to a confirmation («không», «thôi», «hủy», «để sau»)."""
    return Option(label, payload, (*aliases, *NO_WORDS))
