"""Messages, channel-neutral: what arrives (Incoming) and what goes out (Reply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

CALLBACK_DATA_LIMIT = 64  # bytes; Telegram refuses longer callback data


class InputKind(StrEnum):
    """What a person sent."""

    TEXT = "text"
    COMMAND = "command"
    CHOICE = "choice"  # a button press; ``payload`` holds the button's data
    CONTACT = "contact"
    ATTACHMENT = "attachment"
    LOCATION = "location"
    OTHER = "other"  # a sticker, a poll, a game: nothing the bot can use


@dataclass(frozen=True)
class Contact:
    """A shared phone contact."""

    phone: str
    user_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file the person sent: photo, document, voice note, audio or video."""

    kind: str
    file_id: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    """One thing a person sent, as every channel describes it."""

    channel: str
    user_id: str
    chat_id: str
    kind: InputKind
    sent_at: datetime  # the platform's own time of the message: the legal time of receipt
    update_id: str | None = None
    text: str = ""
    command: str | None = None
    args: tuple[str, ...] = ()
    payload: str | None = None
    contact: Contact | None = None
    attachment: Attachment | None = None
    location: tuple[float, float] | None = None
    display_name: str | None = None
    other_kind: str | None = None  # for OTHER: "sticker", "poll", ...


@dataclass(frozen=True)
class OutFile:
    """A file to send: a document or a picture, as bytes or as a file the channel keeps."""

    filename: str
    content: bytes
    mime_type: str
    # The channel's own id of a file it already keeps (sent again by id, not uploaded), and
    # its kind: photo, document, voice, audio, video or video_note.
    file_id: str | None = None
    kind: str = "document"
    # Makes the file later: a large file is written after the turn's transaction has
    # committed, so other people's turns need not wait for it; see ``later``.
    build: Callable[[], OutFile] | None = field(default=None, compare=False, repr=False)

    @staticmethod
    def later(build: Callable[[], OutFile], kind: str = "document") -> OutFile:
        """Return a file that ``build`` makes once the turn has committed.

        ``build`` must need no database: it runs in a worker thread after the commit.
        """
        return OutFile(filename="", content=b"", mime_type="", kind=kind, build=build)

    def built(self) -> OutFile:
        """Return the file with its content made (itself when it has no ``build``)."""
        return self if self.build is None else self.build()

    @staticmethod
    def kept(file_id: str, kind: str, filename: str | None = None,
             mime_type: str | None = None) -> OutFile:
        """Return a file the channel keeps under ``file_id`` (one a person sent earlier)."""
        return OutFile(filename=filename or "", content=b"", mime_type=mime_type or "",
                       file_id=file_id, kind=kind)


GLOBAL_PREFIX = "g|"  # the data of a button that works outside the open question


def action_data(name: str, arg: str = "") -> str:
    """Return the button data of a global action (validated again when pressed)."""
    return f"{GLOBAL_PREFIX}{name}|{arg}"


@dataclass(frozen=True)
class Button:
    """A button as a channel shows it: a label and the opaque data it sends back."""

    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"button data over {CALLBACK_DATA_LIMIT} bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """A message to show. ``text`` is the small HTML subset Telegram accepts (b, i, code)."""

    text: str
    buttons: tuple[Button, ...] = ()
    columns: int = 1
    request_contact: bool = False  # offer the channel's "share my phone number" button
    numbered: bool = True  # a typed number picks a button (not where the number is the answer)
    remove_keyboard: bool = False  # take away a reply keyboard left by an earlier question
    document: OutFile | None = None
    photo: OutFile | None = None
    extra: dict[str, str] = field(default_factory=dict)
