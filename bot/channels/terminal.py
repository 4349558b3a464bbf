"""The terminal channel: every flow, in a terminal, with no token.

The open question's choices print as a numbered list; typing the number or the words picks
one (the core matches them). Where a typed number is itself the answer (how many people, a
time of day), they print as a plain list. Buttons that are not answers to the open question
(in reminders, alerts, staff lists: their data starts with "g|") print with letters, in
replies and notifications alike, and ``/bam a`` presses one. A few inputs stand for what a
phone would send:

    /contact 0912345678   share a phone number as a contact
    /file PATH            attach a file (photo, document, voice note)
    /location LAT LON     share a location
    /sticker              send a sticker
    /bam a                press button "a" (of a reminder, an alert, a staff list)

On a TTY it is interactive; otherwise it reads one input per line, prints the replies to
each, and exits at the end of the input.

Notifications (reminders, offers, alerts) print in the session of the terminal user they are
for: one sent to another user waits, and prints when that user's session starts or next
takes a turn.
"""

from __future__ import annotations

import asyncio
import html
import mimetypes
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.app import App
from bot.domain.messages import (
    GLOBAL_PREFIX,
    Attachment,
    Button,
    Contact,
    Incoming,
    InputKind,
    Reply,
)
from bot.i18n import _
from bot.services.outbox import OutboxDispatcher

CHANNEL = "terminal"
_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def plain(text: str) -> str:
    """Turn a Reply's HTML subset into plain text."""
    return html.unescape(_TAG.sub("", text))


class TerminalChannel:
    """Read lines, run turns, print replies and the outbox messages for this terminal user."""

    def __init__(
        self,
        app: App,
        user_id: str,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self.app = app
        self.user_id = user_id
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.files_dir = files_dir or Path("tiepdan-files")
        self._lettered: dict[str, str] = {}  # letter -> button data, for /bam
        self._next_letter = 0
        # Only this user's messages: another terminal user's wait for that user's session.
        self.dispatcher = OutboxDispatcher(app.database, app.clock, app.settings,
                                           {CHANNEL: self._deliver_notification},
                                           chat_id=user_id)

    # -- output ----------------------------------------------------------------------------

    def _print(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def _letter(self, data: str) -> str:
        """Give a button that is pressed with /bam the next free letter of this batch."""
        letter = _LETTERS[self._next_letter % len(_LETTERS)]
        self._next_letter += 1
        self._lettered[letter] = data
        return letter

    def _new_batch(self) -> None:
        """Start the letters again at «a» for what the next input prints."""
        self._next_letter = 0

    def _print_buttons(self, buttons: Sequence[Button], *, numbered: bool, indent: str,
                       letter_all: bool = False) -> None:
        number = 0
        lettered = False
        for button in buttons:
            if letter_all or button.data.startswith(GLOBAL_PREFIX):
                self._print(f"{indent}[{self._letter(button.data)}] {button.label}")
                lettered = True
            elif numbered:
                number += 1
                self._print(f"{indent}{number}. {button.label}")
            else:
                self._print(f"{indent}• {button.label}")
        if lettered:
            self._print(indent + _("(to press a button, type: /bam a)"))

    def show(self, reply: Reply, prefix: str = "") -> None:
        """Print one reply: its text, its choices and any file."""
        for line in plain(reply.text).splitlines() or [""]:
            self._print(prefix + line)
        self._print_buttons(reply.buttons, numbered=reply.numbered, indent=prefix + "  ")
        if reply.request_contact:
            self._print(prefix + _("  (to share your phone number, type: /contact 09xxxxxxxx)"))
        for kind, file in (("document", reply.document), ("photo", reply.photo)):
            if file is None:
                continue
            if file.file_id is not None:
                # A file kept by reference: for this channel, the path it was sent from.
                self._print(prefix + f"  [{file.kind}: {file.file_id}]")
                continue
            self.files_dir.mkdir(parents=True, exist_ok=True)
            target = self.files_dir / Path(file.filename).name
            target.write_bytes(file.content)
            self._print(prefix + _("  [{kind} saved: {path}]").format(kind=kind, path=target))
        self._print()

    async def _show_replies(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            self.show(reply)

    async def _deliver_notification(self, chat_id: str, reply: Reply) -> None:
        self._print(_("🔔 Notification:"))
        for line in plain(reply.text).splitlines():
            self._print("   " + line)
        # No button of a notification answers the open question: all take letters.
        self._print_buttons(reply.buttons, numbered=False, indent="   ", letter_all=True)
        self._print()

    async def deliver_outbox(self) -> None:
        """Print the outbox messages due for this terminal user (the ones kept for them too)."""
        await self.dispatcher.drain()

    # -- input -----------------------------------------------------------------------------

    def parse(self, line: str) -> Incoming | None:
        """Turn one typed line into an Incoming (None for an empty line)."""
        text = line.rstrip("\n")
        if not text.strip():
            return None
        stripped = text.strip()
        if not stripped.startswith("/"):
            return self._make(InputKind.TEXT, text=text)
        head, _sep, rest = stripped[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        rest = rest.strip()
        if name == "contact" and rest:
            return self._make(InputKind.CONTACT, contact=Contact(phone=rest,
                            user_id=self.user_id))
        if name == "file" and rest:
            return self._file(rest)
        if name == "location":
            parts = rest.replace(",", " ").split()
            try:
                lat, lon = float(parts[0]), float(parts[1])
            except (IndexError, ValueError):
                lat, lon = 0.0, 0.0
            return self._make(InputKind.LOCATION, location=(lat, lon))
        if name == "sticker":
            return self._make(InputKind.OTHER, other_kind="sticker")
        if name in ("bam", "press"):
            data = self._lettered.get(rest.lower())
            if data is None:
                return self._make(InputKind.TEXT, text=text)
            return self._make(InputKind.CHOICE, payload=data)
        return self._make(InputKind.COMMAND, text=text, command=name,
                        args=tuple(rest.split()) if rest else ())

    def _make(self, kind: InputKind, **fields: Any) -> Incoming:
        return Incoming(channel=CHANNEL, user_id=self.user_id, chat_id=self.user_id, kind=kind,
                        sent_at=self.app.clock.now(), **fields)

    def _file(self, path_text: str) -> Incoming:
        path = Path(path_text).expanduser()
        size = path.stat().st_size if path.is_file() else None
        mime, _enc = mimetypes.guess_type(path.name)
        if mime and mime.startswith("image/"):
            kind = "photo"
        elif mime and mime.startswith("audio/"):
            kind = "voice"
        elif mime and mime.startswith("video/"):
            kind = "video"
        else:
            kind = "document"
        attachment = Attachment(kind=kind, file_id=str(path.resolve()), file_name=path.name,
                                mime_type=mime, size=size)
        return self._make(InputKind.ATTACHMENT, attachment=attachment)

    async def handle_line(self, line: str) -> None:
        """Run a turn for one typed line and print what comes back."""
        incoming = self.parse(line)
        self._new_batch()
        if incoming is not None:
            await self.app.dialog.handle(incoming, self._show_replies)
        await self.app.tick()
        await self.deliver_outbox()

    async def run(self) -> None:
        """Chat until the input ends (or Ctrl-D / Ctrl-C on a TTY)."""
        interactive = self.stdin.isatty()
        await self.app.housekeeping()
        await self.deliver_outbox()
        while True:
            if interactive:
                try:
                    line = await asyncio.to_thread(input, "» ")
                except (EOFError, KeyboardInterrupt):
                    self._print()
                    return
            else:
                line = await asyncio.to_thread(self.stdin.readline)
                if not line:
                    return
                if line.strip():
                    self._print(f"» {line.rstrip()}")
            await self.handle_line(line)
