"""The saved state of one person's conversation: flow, step, draft and open question."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.choices import Option

IDLE_FLOW = "menu"
IDLE_STEP = "idle"


class Expect(StrEnum):
    """What kind of answer the open question waits for."""

    CHOICE = "choice"  # one of the offered options (typed text is matched to them)
    TEXT = "text"  # free text; offered options (such as "skip") still match first
    CONTACT = "contact"  # a shared contact or a typed phone number
    FILE = "file"  # an attachment, or one of the options ("done")
    ANY = "any"  # whatever comes; the step decides
    NUMBER = "number"  # a typed number is the answer, not an option's position; labels match
    CONFIRM = "confirm"  # one of the options; a yes only by its button, number or a yes word


@dataclass(frozen=True)
class Prompt:
    """The open question: its token (for stale buttons), options and expected answer."""

    token: str
    options: tuple[Option, ...] = ()
    expect: Expect = Expect.CHOICE
    request_contact: bool = False
    text: str = ""  # the question as shown, to show it again after a stray answer

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready form."""
        return {
            "token": self.token,
            "expect": self.expect.value,
            "request_contact": self.request_contact,
            "text": self.text,
            "options": [[o.label, o.payload, list(o.aliases)] for o in self.options],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Prompt:
        """Rebuild a prompt saved by ``to_json``."""
        return Prompt(
            token=str(data["token"]),
            expect=Expect(data.get("expect", Expect.CHOICE.value)),
            request_contact=bool(data.get("request_contact", False)),
            text=str(data.get("text", "")),
            options=tuple(
                Option(label=str(o[0]), payload=str(o[1]), aliases=tuple(o[2]))
                for o in data.get("options", [])
            ),
        )

    def option(self, payload: str) -> Option | None:
        """Return the offered option with ``payload``, if it was offered."""
        for candidate in self.options:
            if candidate.payload == payload:
                return candidate
        return None


@dataclass
class ConversationState:
    """Where a person is: the flow, the step, the draft data and the open question."""

    flow: str = IDLE_FLOW
    step: str = IDLE_STEP
    data: dict[str, Any] = field(default_factory=dict)
    prompt: Prompt | None = None
    version: int = 0
    updated_at: datetime | None = None

    @property
    def idle(self) -> bool:
        """Tell whether the person is at the menu, in no flow."""
        return self.flow == IDLE_FLOW


@dataclass(frozen=True)
class Draft:
    """A flow the person left half-way, kept to be continued."""

    flow: str
    step: str
    data: dict[str, Any]
    saved_at: datetime
