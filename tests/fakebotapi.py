"""An offline fake of the Telegram Bot API, for tests and benchmarks.

``FakeBotApi`` keeps chats, messages and pending updates in memory and answers Bot API
methods the way Telegram does (the subset this bot uses). It fails loudly on a method it
does not know, and on callback data over 64 bytes, as Telegram would. It is reached either
in-process through ``FakeRequest`` (a PTB ``BaseRequest``) or over HTTP on 127.0.0.1
through ``FakeBotApiServer``.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
TOKEN = f"{BOT_ID}:AAFakeTokenForOfflineTestsOnly_0123456"
CALLBACK_LIMIT = 64


class EntityParseError(ValueError):
    """Text sent with parse_mode HTML that Telegram would refuse to parse."""


class _HtmlEntities(HTMLParser):
    """Turn Telegram-flavoured HTML into plain text and entities, as Telegram does."""

    TAGS: ClassVar[dict[str, str]] = {
        "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
        "ins": "underline", "s": "strikethrough", "del": "strikethrough", "code": "code",
        "pre": "pre", "a": "text_link", "tg-spoiler": "spoiler", "blockquote": "blockquote",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self._open: list[tuple[str, int, dict[str, str | None]]] = []

    def _offset(self) -> int:
        return len(self.text.encode("utf-16-le")) // 2  # Telegram counts UTF-16 code units

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.TAGS:
            raise EntityParseError(f"Bad Request: can't parse entities: unsupported tag <{tag}>")
        self._open.append((tag, self._offset(), dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            raise EntityParseError(f"Bad Request: can't parse entities: unexpected </{tag}>")
        name, start, attrs = self._open.pop()
        length = self._offset() - start
        if length > 0:
            entity: dict[str, Any] = {"type": self.TAGS[name], "offset": start, "length": length}
            if name == "a":
                entity["url"] = attrs.get("href") or ""
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text += data

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        if self._open:
            raise EntityParseError(f"Bad Request: can't parse entities: <{self._open[-1][0]}> "
                                   "is not closed")
        return self.text, sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and the entities Telegram makes of an HTML message."""
    parser = _HtmlEntities()
    parser.feed(text)
    parser.close()
    return parser.result()


class UnknownMethodError(AssertionError):
    """The bot called a Bot API method the fake does not implement."""


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class SentMessage:
    """A message the bot sent, as the fake keeps it (edits change it in place)."""

    chat_id: int
    message_id: int
    text: str  # plain text, as a Telegram client shows it
    reply_markup: dict[str, Any] | None
    date: int
    document: tuple[str, bytes] | None = None
    photo: tuple[str, bytes] | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    html: str = ""  # the text as the bot sent it

    def inline_buttons(self) -> list[dict[str, Any]]:
        """Return the inline keyboard's buttons, row after row."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [button for row in self.reply_markup["inline_keyboard"] for button in row]

    def as_api(self, bot: dict[str, Any]) -> dict[str, Any]:
        """Return the message as the Bot API shows it."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": {"id": self.chat_id, "type": "private", "first_name": "Test"},
            "from": bot,
        }
        if self.document is not None:
            message["document"] = {"file_id": f"doc-{self.message_id}",
                                   "file_unique_id": f"u{self.message_id}",
                                   "file_name": self.document[0]}
            if self.text:
                message["caption"] = self.text
                message["caption_entities"] = self.entities
        elif self.photo is not None:
            message["photo"] = [{"file_id": f"photo-{self.message_id}",
                                 "file_unique_id": f"p{self.message_id}", "width": 100,
                                 "height": 100}]
            if self.text:
                message["caption"] = self.text
                message["caption_entities"] = self.entities
        else:
            message["text"] = self.text
            if self.entities:
                message["entities"] = self.entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


def _params(raw: dict[str, Any]) -> dict[str, Any]:
    """Decode JSON-encoded parameter values (reply markups, lists) into objects."""
    decoded: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and value[:1] in "[{":
            try:
                decoded[key] = json.loads(value)
                continue
            except ValueError:
                pass
        decoded[key] = value
    return decoded


class FakeBotApi:
    """The Bot API, in memory."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.bot = {"id": BOT_ID, "is_bot": True, "first_name": "Tiếp Dân",
                    "username": "tiepdan_test_bot", "can_join_groups": False,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.calls: list[Call] = []
        self.messages: dict[int, list[SentMessage]] = {}
        self.webhook: dict[str, Any] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._lock = threading.Condition()
        self.fail_next: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []
        # Flood control (off unless flood_control() is called): at most ``_flood_limit``
        # messages in any second of ``_flood_clock``; more are refused with 429 retry_after.
        self._flood_limit: int | None = None
        self._flood_clock: Callable[[], float] = time.monotonic
        self._flood_sent: deque[float] = deque()
        self.flood_refusals = 0

    def flood_control(self, per_second: int, clock: Callable[[], float] | None = None) -> None:
        """Refuse messages beyond ``per_second`` in any second, as Telegram does (429 with
        retry_after); ``clock`` gives the seconds (the bot's fixed clock, in tests)."""
        self._flood_limit = per_second
        self._flood_clock = clock or time.monotonic
        self._flood_sent.clear()

    SENDING: ClassVar[frozenset[str]] = frozenset({"sendmessage", "sendphoto", "senddocument"})

    def _flooded(self, method: str) -> dict[str, Any] | None:
        """Return Telegram's 429 answer if this message is one too many, else count it."""
        if self._flood_limit is None or method.lower() not in self.SENDING:
            return None
        now = self._flood_clock()
        while self._flood_sent and self._flood_sent[0] <= now - 1.0:
            self._flood_sent.popleft()
        if len(self._flood_sent) >= self._flood_limit:
            self.flood_refusals += 1
            wait = max(1, math.ceil(self._flood_sent[0] + 1.0 - now))
            return {"ok": False, "error_code": 429,
                    "description": f"Too Many Requests: retry after {wait}",
                    "parameters": {"retry_after": wait}}
        self._flood_sent.append(now)
        return None

    # -- what tests feed in ------------------------------------------------------------------

    @staticmethod
    def user(user_id: int, first_name: str = "Nguyễn", language: str = "vi") -> dict[str, Any]:
        """Return a Telegram user object."""
        return {"id": user_id, "is_bot": False, "first_name": first_name,
                "last_name": "Văn A", "language_code": language}

    def next_update_id(self) -> int:
        """Return a fresh update id."""
        return next(self._update_ids)

    def message_update(self, user_id: int, **content: Any) -> dict[str, Any]:
        """Return an update carrying a message from ``user_id`` with ``content``."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Nguyễn"},
            "from": self.user(user_id),
            **content,
        }
        return {"update_id": self.next_update_id(), "message": message}

    def text_update(self, user_id: int, text: str) -> dict[str, Any]:
        """Return an update with a text message (a command if it starts with /)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.message_update(user_id, **content)

    def contact_update(self, user_id: int, phone: str, own: bool = True) -> dict[str, Any]:
        """Return an update sharing a contact (the person's own, by default)."""
        contact: dict[str, Any] = {"phone_number": phone, "first_name": "Nguyễn"}
        if own:
            contact["user_id"] = user_id
        return self.message_update(user_id, contact=contact)

    def photo_update(self, user_id: int, size: int = 120_000) -> dict[str, Any]:
        """Return an update with a photo."""
        uid = next(self._message_ids)
        return self.message_update(user_id, photo=[
            {"file_id": f"small-{uid}", "file_unique_id": f"s{uid}", "width": 90, "height": 90,
             "file_size": 2000},
            {"file_id": f"large-{uid}", "file_unique_id": f"l{uid}", "width": 1280,
             "height": 960, "file_size": size},
        ])

    def document_update(self, user_id: int, name: str, mime: str, size: int) -> dict[str, Any]:
        """Return an update with a document."""
        uid = next(self._message_ids)
        return self.message_update(user_id, document={
            "file_id": f"doc-{uid}", "file_unique_id": f"d{uid}", "file_name": name,
            "mime_type": mime, "file_size": size})

    def voice_update(self, user_id: int, seconds: int = 12, size: int = 40_000) -> dict[str, Any]:
        """Return an update with a voice note."""
        uid = next(self._message_ids)
        return self.message_update(user_id, voice={
            "file_id": f"voice-{uid}", "file_unique_id": f"v{uid}", "duration": seconds,
            "mime_type": "audio/ogg", "file_size": size})

    def sticker_update(self, user_id: int) -> dict[str, Any]:
        """Return an update with a sticker."""
        uid = next(self._message_ids)
        return self.message_update(user_id, sticker={
            "file_id": f"sticker-{uid}", "file_unique_id": f"st{uid}", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False})

    def location_update(self, user_id: int) -> dict[str, Any]:
        """Return an update sharing a location."""
        return self.message_update(user_id, location={"latitude": 21.85, "longitude": 106.76})

    def callback_update(self, user_id: int, message: SentMessage, data: str) -> dict[str, Any]:
        """Return an update pressing a button with ``data`` on ``message``."""
        return {
            "update_id": self.next_update_id(),
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": self.user(user_id),
                "chat_instance": f"ci{user_id}",
                "message": message.as_api(self.bot),
                "data": data,
            },
        }

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (long polling)."""
        with self._lock:
            self._updates.append(update)
            self._lock.notify_all()

    # -- what tests read back ----------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """Return the messages in a chat, in the order sent."""
        return list(self.messages.get(chat_id, []))

    def sent_to_all(self) -> list[SentMessage]:
        """Return every message sent, whatever the chat, in the order sent."""
        return sorted((m for messages in self.messages.values() for m in messages),
                      key=lambda message: message.message_id)

    def last_to(self, chat_id: int) -> SentMessage:
        """Return the last message in a chat."""
        messages = self.messages.get(chat_id) or []
        if not messages:
            raise AssertionError(f"no message was sent to chat {chat_id}")
        return messages[-1]

    def calls_of(self, method: str) -> list[Call]:
        """Return the calls of one method."""
        return [call for call in self.calls if call.method == method]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> bool:
        """Wait until ``predicate()`` is true (for a bot in another thread or process)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
        return True

    # -- the Bot API -------------------------------------------------------------------------

    def handle(self, method: str, raw: dict[str, Any],
               files: dict[str, tuple[str, bytes]] | None = None) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call; return the HTTP status and the JSON body."""
        params = _params(raw)
        with self._lock:
            self.calls.append(Call(method, params, files or {}))
            self._lock.notify_all()
            failure = self.fail_next.pop(method, None)
        if failure is not None:
            return int(failure.get("error_code", 400)), {"ok": False, **failure}
        with self._lock:
            flooded = self._flooded(method)
        if flooded is not None:
            return 429, flooded
        name = method.lower()
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            self.errors.append(f"unknown method {method}")
            raise UnknownMethodError(f"the fake Bot API does not know {method}")
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data", "")
                    if len(data.encode("utf-8")) > CALLBACK_LIMIT:
                        return 400, {"ok": False, "error_code": 400,
                                     "description": "Bad Request: BUTTON_DATA_INVALID"}
        for text_field in ("text", "caption"):
            if params.get("parse_mode") == "HTML" and isinstance(params.get(text_field), str):
                try:
                    plain, entities = parse_html(params[text_field])
                except EntityParseError as exc:
                    return 400, {"ok": False, "error_code": 400, "description": str(exc)}
                params[f"_{text_field}_html"] = params[text_field]
                params[text_field] = plain
                params[f"_{text_field}_entities"] = entities
        result = handler(params, files or {})
        return 200, {"ok": True, "result": result}

    def _api_getme(self, params: dict[str, Any], files: Any) -> Any:
        return self.bot

    def _api_getupdates(self, params: dict[str, Any], files: Any) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 0.5)
        deadline = time.monotonic() + timeout
        with self._lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            return list(self._updates[:100])

    def _api_setwebhook(self, params: dict[str, Any], files: Any) -> Any:
        self.webhook = dict(params)
        return True

    def _api_deletewebhook(self, params: dict[str, Any], files: Any) -> Any:
        self.webhook = {}
        return True

    def _api_getwebhookinfo(self, params: dict[str, Any], files: Any) -> Any:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": 0}

    def _api_setmycommands(self, params: dict[str, Any], files: Any) -> Any:
        self.commands[str(params.get("language_code") or "")] = list(params.get("commands", []))
        return True

    def _api_answercallbackquery(self, params: dict[str, Any], files: Any) -> Any:
        return True

    def _store(self, chat_id: int, text: str, markup: Any, params: dict[str, Any],
               **extra: Any) -> SentMessage:
        field_name = "text" if "text" in params else "caption"
        message = SentMessage(chat_id=chat_id, message_id=next(self._message_ids), text=text,
                              reply_markup=markup if isinstance(markup, dict) else None,
                              date=int(time.time()),
                              entities=list(params.get(f"_{field_name}_entities", [])),
                              html=str(params.get(f"_{field_name}_html", text)), **extra)
        with self._lock:
            self.messages.setdefault(chat_id, []).append(message)
            self._lock.notify_all()
        return message

    def _api_sendmessage(self, params: dict[str, Any], files: Any) -> Any:
        chat_id = int(params["chat_id"])
        text = str(params["text"])
        if not text.strip():
            raise AssertionError("Bad Request: message text is empty")
        if len(text) > 4096:
            raise AssertionError("Bad Request: message is too long")
        return self._store(chat_id, text, params.get("reply_markup"), params).as_api(self.bot)

    def _file(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]],
              field_name: str) -> tuple[str, bytes]:
        if field_name in files:
            return files[field_name]
        value = str(params.get(field_name, ""))
        if value.startswith("attach://") and value[9:] in files:
            return files[value[9:]]
        return (value, b"")

    def _api_senddocument(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        document = self._file(params, files, "document")
        return self._store(int(params["chat_id"]), str(params.get("caption", "")),
                           params.get("reply_markup"), params, document=document).as_api(self.bot)

    def _api_sendphoto(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        photo = self._file(params, files, "photo")
        return self._store(int(params["chat_id"]), str(params.get("caption", "")),
                           params.get("reply_markup"), params, photo=photo).as_api(self.bot)

    def _media(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]],
               field_name: str) -> Any:
        # Voice notes, audio and videos are kept like documents: the file (or its id) sent.
        media = self._file(params, files, field_name)
        return self._store(int(params["chat_id"]), str(params.get("caption", "")),
                           params.get("reply_markup"), params, document=media).as_api(self.bot)

    def _api_sendvoice(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        return self._media(params, files, "voice")

    def _api_sendaudio(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        return self._media(params, files, "audio")

    def _api_sendvideo(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        return self._media(params, files, "video")

    def _api_sendvideonote(self, params: dict[str, Any],
                           files: dict[str, tuple[str, bytes]]) -> Any:
        return self._media(params, files, "video_note")

    def _find(self, params: dict[str, Any]) -> SentMessage:
        chat_id = int(params["chat_id"])
        message_id = int(params["message_id"])
        for message in self.messages.get(chat_id, []):
            if message.message_id == message_id:
                return message
        raise AssertionError(f"Bad Request: message {message_id} to edit not found")

    def _api_editmessagetext(self, params: dict[str, Any], files: Any) -> Any:
        message = self._find(params)
        message.text = str(params["text"])
        message.entities = list(params.get("_text_entities", []))
        message.html = str(params.get("_text_html", message.text))
        markup = params.get("reply_markup")
        message.reply_markup = markup if isinstance(markup, dict) else None
        return message.as_api(self.bot)

    def _api_editmessagereplymarkup(self, params: dict[str, Any], files: Any) -> Any:
        message = self._find(params)
        markup = params.get("reply_markup")
        message.reply_markup = markup if isinstance(markup, dict) else None
        return message.as_api(self.bot)

    def _api_deletemessage(self, params: dict[str, Any], files: Any) -> Any:
        message = self._find(params)
        self.messages[message.chat_id].remove(message)
        return True

    def _api_getfile(self, params: dict[str, Any], files: Any) -> Any:
        file_id = str(params["file_id"])
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": 10,
                "file_path": f"files/{file_id}"}

    def file_content(self, file_path: str) -> bytes:
        """Return the bytes of a file the bot downloads (deterministic per path)."""
        return f"content of {file_path}".encode()


class FakeRequest(BaseRequest):
    """A PTB request that talks to a FakeBotApi in the same process."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            return 200, self.api.file_content(url.split("/file/bot", 1)[1].split("/", 1)[1])
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None:
            params = dict(request_data.parameters)
            if request_data.contains_files:
                for name, value in request_data.multipart_data.items():
                    filename = value[0] if isinstance(value, tuple) else name
                    content = value[1] if isinstance(value, tuple) else value
                    files[name] = (str(filename), content if isinstance(content, bytes) else b"")
        status, body = self.api.handle(api_method, params, files)
        return status, json.dumps(body).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.do_POST()

    def do_POST(self) -> None:
        api = self.server.api
        path = self.path.split("?", 1)[0]
        if path.startswith("/file/bot"):
            self._reply(200, api.file_content(path.split("/", 4)[-1]), "application/octet-stream")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        params: dict[str, Any] = {}
        content_type = self.headers.get("Content-Type", "")
        if "application/json" in content_type and body:
            params = json.loads(body)
        elif "x-www-form-urlencoded" in content_type and body:
            params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if "?" in self.path:
            params.update({k: v[0] for k, v in parse_qs(self.path.split("?", 1)[1]).items()})
        method = path.rsplit("/", 1)[-1]
        try:
            status, answer = api.handle(method, params)
        except UnknownMethodError as exc:
            status, answer = 404, {"ok": False, "error_code": 404, "description": str(exc)}
        self._reply(status, json.dumps(answer).encode("utf-8"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: FakeBotApi


class FakeBotApiServer:
    """The fake Bot API over HTTP on 127.0.0.1, in a background thread."""

    def __init__(self, api: FakeBotApi | None = None) -> None:
        self.api = api or FakeBotApi()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self.api
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The address to put in TELEGRAM_API_BASE_URL."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeBotApiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def iter_texts(messages: list[SentMessage]) -> Iterator[str]:
    """Yield the texts of ``messages``."""
    for message in messages:
        yield message.text
