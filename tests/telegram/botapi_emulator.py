"""A Telegram Bot API emulator for end-to-end tests: real HTTP on loopback, Telegram's rules.

It serves ``/bot<token>/<method>`` like api.telegram.org: long-polled ``getUpdates`` with offset
confirmation, ``sendMessage``/``editMessageText`` with strict HTML parsing and the 4,096-character
limit, inline keyboards with the 64-byte ``callback_data`` limit, ``answerCallbackQuery``, chat
actions, command menus, webhooks, a per-chat flood limit answered with 429 and ``retry_after``,
files sent to the bot (``getFile`` hands out a ``file_path``, refuses files over the 20 MB
download limit, and only a path it handed out downloads from ``/file/bot<token>/<file_path>``),
and Telegram's error format
(``{"ok": false, "error_code": 400, "description": "Bad Request: ..."}``).

Tests inject updates (messages with entities, replies, callback queries, stickers, photos, edits),
inspect what the bot sent, wait for conditions, and stop and restart the server on the same port.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

T = TypeVar("T")

MESSAGE_LIMIT = 4096
DOWNLOAD_LIMIT = 20 << 20  # the Bot API server's limit for getFile (telegram-bot-api)
CALLBACK_DATA_LIMIT = 64
ALERT_LIMIT = 200
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)
_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_EXCLUSIVE = frozenset({"a", "code", "pre", "tg-emoji"})  # entities that contain no other of these
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)"
    r"\s*>"
)
_ATTRIBUTE = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_ENTITY = re.compile(r"&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(lt|gt|amp|quot));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?")
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_]{5,32}")
_BOT_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    """A Bot API error answer."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


class _Dropped(Exception):
    """The server went down while the request was in flight: close without answering."""


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class User:
    id: int
    first_name: str = "Tester"
    language_code: str | None = "en"
    is_bot: bool = False
    username: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True)
class Chat:
    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    first_name: str | None = None

    @classmethod
    def private(cls, user: User) -> Chat:
        return cls(user.id, "private", first_name=user.first_name)

    @classmethod
    def group(cls, chat_id: int, title: str = "Cadres", supergroup: bool = True) -> Chat:
        return cls(chat_id, "supergroup" if supergroup else "group", title=title)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        return data


@dataclass
class SentMessage:
    """A message the bot sent (its latest version, after edits)."""

    chat_id: int
    message_id: int
    html: str
    text: str
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    reply_to: int | None
    sent_at: float
    edits: int = 0
    versions: list[tuple[float, str]] = field(default_factory=list)  # (when, text) sent and edited

    def __post_init__(self) -> None:
        if not self.versions:
            self.versions.append((self.sent_at, self.text))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label: str) -> dict[str, Any]:
        for button in self.buttons:
            if button["text"] == label:
                return button
        raise AssertionError(f"no button {label!r} under message {self.message_id}: {self.buttons}")

    def entity_texts(self, entity_type: str) -> list[str]:
        encoded = self.text.encode("utf-16-le")
        return [
            encoded[e["offset"] * 2 : (e["offset"] + e["length"]) * 2].decode("utf-16-le")
            for e in self.entities
            if e["type"] == entity_type
        ]


@dataclass(frozen=True)
class Call:
    """One request the emulator answered."""

    method: str
    params: dict[str, Any]
    status: int
    description: str | None
    at: float


@dataclass(frozen=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    suffix: str


@dataclass
class _ChatState:
    chat: Chat
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    sends: deque[float] = field(default_factory=deque)


def parse_html(markup: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML strictly; return the visible text and its entities.

    Raises ApiError with Telegram's "can't parse entities" description on anything Telegram
    rejects: unknown tags or entities, unbalanced or crossed tags, forbidden nesting, a bare
    ``<``, ``>`` or ``&``.
    """
    visible: list[str] = []
    offset = 0  # UTF-16 offset of the visible text so far
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    position = 0

    def fail(problem: str) -> ApiError:
        byte = len(markup[:position].encode())
        return bad_request(f"can't parse entities: {problem} at byte offset {byte}")

    while position < len(markup):
        char = markup[position]
        if char == "<":
            match = _TAG.match(markup, position)
            if match is None:
                raise fail("Unsupported start tag")
            closing, name, raw_attributes = match.group(1), match.group(2).lower(), match.group(3)
            if closing:
                if raw_attributes.strip():
                    raise fail(f'Unexpected attributes in end tag "{name}"')
                if not stack:
                    raise fail(f'Unexpected end tag "{name}"')
                if stack[-1][0] != name:
                    expected = stack[-1][0]
                    raise fail(f'Unmatched end tag, expected "</{expected}>", found "</{name}>"')
                opened, start, attributes = stack.pop()
                if offset > start:
                    entities.append(_entity(opened, start, offset - start, attributes))
            else:
                attributes = _attributes(raw_attributes)
                _check_start_tag(name, attributes, [entry[0] for entry in stack], fail)
                stack.append((name, offset, attributes))
            position = match.end()
            continue
        if char == "&":
            match = _ENTITY.match(markup, position)
            if match is None:
                raise fail("Unsupported HTML entity")
            char = _decode_entity(*match.groups())
            position = match.end()
        elif char == ">":
            raise fail("Character '>' is reserved and must be escaped")
        else:
            position += 1
        visible.append(char)
        offset += utf16_len(char)
    if stack:
        name = stack[-1][0]
        raise bad_request(
            f'can\'t parse entities: Can\'t find end tag corresponding to start tag "{name}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(visible), entities


def _attributes(raw: str) -> dict[str, str]:
    return {
        match.group(1).lower(): _unescape(next((g for g in match.groups()[1:] if g), ""))
        for match in _ATTRIBUTE.finditer(raw)
    }


def _unescape(value: str) -> str:
    """Decode the entities of an attribute value; a bare ``&`` is an error, as in text."""
    decoded = _ENTITY.sub(lambda m: _decode_entity(*m.groups()), value)
    if "&" in _ENTITY.sub("", value):
        raise bad_request("can't parse entities: Unsupported HTML entity in an attribute value")
    return decoded


def _decode_entity(decimal: str | None, hexadecimal: str | None, named: str | None) -> str:
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal or "0", 16)
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise bad_request("can't parse entities: Invalid numeric HTML entity")
    return chr(code)


def _check_start_tag(
    name: str, attributes: dict[str, str], open_tags: list[str], fail: Callable[[str], ApiError]
) -> None:
    if name not in _ENTITY_TYPES:
        raise fail(f'Unsupported start tag "{name}"')
    allowed_attributes = {
        "a": {"href"}, "span": {"class"}, "code": {"class"}, "blockquote": {"expandable"},
        "tg-emoji": {"emoji-id"},
    }.get(name, set())
    unknown = set(attributes) - allowed_attributes
    if unknown:
        raise fail(f'Unsupported attribute "{sorted(unknown)[0]}" in tag "{name}"')
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise fail('Tag "span" must have class "tg-spoiler"')
    if name == "a" and not attributes.get("href"):
        raise fail('Tag "a" must have attribute "href"')
    if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
        raise fail('Tag "tg-emoji" must have attribute "emoji-id"')
    if open_tags and open_tags[-1] == "pre" and name == "code":
        return  # <pre><code class="language-...">: a code block with a language
    if name == "blockquote" and "blockquote" in open_tags:
        raise fail('Tag "blockquote" can\'t be nested')
    if any(tag in ("code", "pre") for tag in open_tags):
        raise fail(f'Tag "{name}" can\'t be used inside a code entity')
    if name in _EXCLUSIVE and any(tag in _EXCLUSIVE for tag in open_tags):
        raise fail(f'Tag "{name}" can\'t be nested in "{open_tags[-1]}"')


def _entity(name: str, offset: int, length: int, attributes: dict[str, str]) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": _ENTITY_TYPES[name], "offset": offset, "length": length}
    if name == "a":
        entity["url"] = attributes["href"]
    elif name == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attributes["emoji-id"]
    return entity


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Check an inline keyboard the way Telegram does; return it."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
    if sum(len(row) for row in rows) > 100:
        raise bad_request("reply markup is too long")
    for row in rows:
        if len(row) > 8:
            raise bad_request("too many buttons in a row")
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad_request("text buttons are unallowed in the inline keyboard")
            actions = [k for k in button if k != "text"]
            if len(actions) != 1:
                raise bad_request("BUTTON_TYPE_INVALID")
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode())
                if not 1 <= size <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
            scheme = urlsplit(str(button["url"])).scheme if "url" in button else "https"
            if scheme not in ("http", "https", "tg"):
                raise bad_request("BUTTON_URL_INVALID")
    return markup


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, emulator: BotApiEmulator) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.emulator = emulator
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Reset every open connection, as a crashing server would."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real server
    disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms each)
    server: _Server

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = "application/json"
        try:
            if self.path.startswith("/file/"):
                status, payload, data = self.server.emulator.download(self.path)
                if data is not None:
                    content_type = "application/octet-stream"
            else:
                status, payload = self.server.emulator.dispatch(
                    self.path, self.headers.get("Content-Type", ""), body
                )
                data = None
        except _Dropped:
            self.close_connection = True
            return
        if data is None:
            data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Stay silent: the default logs request paths, and those contain the token."""


class BotApiEmulator:
    """The emulated Bot API server and the handle tests use to drive it."""

    def __init__(
        self,
        token: str,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "policy_test_bot",
        private_flood: tuple[int, float] = (20, 5.0),
        group_flood: tuple[int, float] = (20, 60.0),
    ) -> None:
        self.token = token
        self.bot = User(bot_id, "PolicyBot", None, is_bot=True, username=bot_username)
        self.private_flood = private_flood
        self.group_flood = group_flood
        self.port = 0
        self.calls: list[Call] = []
        self.sent: list[SentMessage] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self.expected_statuses: set[int] = set()  # error statuses a test provokes on purpose
        self._failures: dict[str, list[tuple[int, str]]] = {}
        self._condition = threading.Condition(threading.RLock())
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._pending_queries: set[str] = set()
        self._file_ids = itertools.count(1)
        self._files: dict[str, _StoredFile] = {}
        self._file_paths: dict[str, _StoredFile] = {}  # handed out by getFile
        self.downloads: list[str] = []  # file paths downloaded, in order
        self._chats: dict[int, _ChatState] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._generation = 0
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getme": lambda params: self.bot.to_dict()
            | {"can_join_groups": True, "can_read_all_group_messages": False,
               "supports_inline_queries": False},
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getfile": self._get_file,
            "close": lambda params: True,
            "logout": lambda params: True,
        }

    # -- server life cycle -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The value for python-telegram-bot's ``base_url`` (the token is appended to it)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        """Start serving (on a free port the first time, on the same port afterwards)."""
        server = _Server(self.port, self)
        self.port = server.server_address[1]
        with self._condition:
            self._generation += 1
            self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
            name="botapi-emulator",
        )
        self._thread.start()
        self._start_webhook_delivery()

    def stop(self) -> None:
        """Stop like a crash: in-flight requests get no answer, open connections are reset."""
        server = self._server
        if server is None:
            return
        with self._condition:
            self._generation += 1
            self._server = None
            self._condition.notify_all()
        server.shutdown()
        server.drop_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def restart(self, downtime_s: float = 0.0) -> None:
        """Stop, stay down for ``downtime_s``, and start again on the same port."""
        self.stop()
        time.sleep(downtime_s)
        self.start()

    # -- injecting updates -------------------------------------------------------------------

    def send_text(
        self,
        user: User,
        text: str,
        *,
        chat: Chat | None = None,
        reply_to: int | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Deliver a text message from ``user`` (entities detected as Telegram does)."""
        message = self._user_message(user, chat, reply_to)
        message["text"] = text
        found = entities if entities is not None else detect_entities(text)
        if found:
            message["entities"] = found
        return self._deliver("message", message)

    def send_sticker(self, user: User, *, chat: Chat | None = None) -> dict[str, Any]:
        message = self._user_message(user, chat, None)
        message["sticker"] = {
            "file_id": "CAACAgIAAxkBAAEStickerFileId", "file_unique_id": "AgADsticker",
            "type": "regular", "width": 512, "height": 512, "is_animated": False,
            "is_video": False, "emoji": "👍",
        }
        return self._deliver("message", message)

    def send_photo(
        self, user: User, *, chat: Chat | None = None, caption: str | None = None
    ) -> dict[str, Any]:
        message = self._user_message(user, chat, None)
        message["photo"] = [
            {"file_id": "AgACAgIAAxkBAAEPhotoSmall", "file_unique_id": "AQADsmall", "width": 90,
             "height": 67, "file_size": 1200},
            {"file_id": "AgACAgIAAxkBAAEPhotoLarge", "file_unique_id": "AQADlarge", "width": 800,
             "height": 600, "file_size": 52000},
        ]
        if caption:
            message["caption"] = caption
        return self._deliver("message", message)

    def send_voice(self, user: User, *, chat: Chat | None = None) -> dict[str, Any]:
        message = self._user_message(user, chat, None)
        message["voice"] = {
            "file_id": "AwACAgIAAxkBAAEVoice", "file_unique_id": "AgADvoice", "duration": 3,
            "mime_type": "audio/ogg",
        }
        return self._deliver("message", message)

    def send_document(
        self,
        user: User,
        data: bytes,
        file_name: str | None,
        *,
        mime_type: str | None = None,
        chat: Chat | None = None,
        declare_size: bool = True,
    ) -> dict[str, Any]:
        """Deliver a file sent as a document; its bytes are what getFile and the download serve.

        Telegram does not always state ``file_size`` in a message; ``declare_size=False`` leaves
        it out, so that only getFile can tell a file is too big.
        """
        number = next(self._file_ids)
        suffix = file_name.rsplit(".", 1)[-1].lower() if file_name and "." in file_name else ""
        stored = _StoredFile(f"BQACAgIAAxkBAAEDoc{number:06d}", f"AgADdoc{number}", data, suffix)
        with self._condition:
            self._files[stored.file_id] = stored
        document: dict[str, Any] = {
            "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
        }
        if file_name is not None:
            document["file_name"] = file_name
        if mime_type is not None:
            document["mime_type"] = mime_type
        if declare_size:
            document["file_size"] = len(data)
        message = self._user_message(user, chat, None)
        message["document"] = document
        return self._deliver("message", message)

    def edit_text(self, user: User, message: dict[str, Any], text: str) -> dict[str, Any]:
        """Deliver an edit of one of the user's earlier messages."""
        edited = dict(message, text=text, edit_date=int(time.time()))
        found = detect_entities(text)
        edited.pop("entities", None)
        if found:
            edited["entities"] = found
        with self._condition:
            self._chats[message["chat"]["id"]].messages[message["message_id"]] = edited
        return self._deliver("edited_message", edited)

    def press(self, user: User, message: SentMessage, callback_data: str) -> str:
        """Deliver a press on an inline button of a bot message; return the query id."""
        with self._condition:
            stored = self._chats[message.chat_id].messages[message.message_id]
            query_id = str(next(self._query_ids))
            self._pending_queries.add(query_id)
        self._deliver(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_dict(),
                "message": stored,
                "chat_instance": f"ci{message.chat_id}",
                "data": callback_data,
            },
        )
        return query_id

    def fail_next(
        self, method: str, count: int = 1, code: int = 500,
        description: str = "Internal Server Error",
    ) -> None:
        """Answer the next ``count`` calls of ``method`` with an error, as a troubled server."""
        with self._condition:
            self._failures.setdefault(method.lower(), []).extend([(code, description)] * count)
            self.expected_statuses.add(code)

    # -- inspecting --------------------------------------------------------------------------

    def bot_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        with self._condition:
            return [m for m in self.sent if chat_id is None or m.chat_id == chat_id]

    def calls_to(self, method: str) -> list[Call]:
        with self._condition:
            return [call for call in self.calls if call.method.lower() == method.lower()]

    def errors(self) -> list[Call]:
        """Every request answered with an error (other than the flood limit's 429)."""
        with self._condition:
            return [call for call in self.calls if call.status >= 400 and call.status != 429]

    def wait_for(
        self, predicate: Callable[[], T], timeout: float = 10.0, what: str = "a condition"
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
                self._condition.wait(remaining)

    def wait_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to the chat; return them."""
        return self.wait_for(
            lambda: (found := self.bot_messages(chat_id)) and len(found) >= count and found,
            timeout,
            f"{count} message(s) from the bot in chat {chat_id}",
        )

    def pending_updates(self) -> int:
        with self._condition:
            return len(self._updates)

    # -- request handling --------------------------------------------------------------------

    def dispatch(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """Answer one HTTP request: status and JSON payload."""
        with self._condition:
            generation = self._generation
        parts = urlsplit(path)
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", parts.path)
        method = match.group(2) if match else parts.path
        params: dict[str, Any] = {}
        try:
            if match is None:
                raise ApiError(404, "Not Found")
            if match.group(1) != self.token:
                raise ApiError(401, "Unauthorized")
            params = _parse_params(parts.query, content_type, body)
            handler = self._methods.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            with self._condition:
                failures = self._failures.get(method.lower())
                failure = failures.pop(0) if failures else None
            if failure is not None:
                raise ApiError(*failure)
            result = handler(params | {"_generation": generation})
            status, payload = 200, {"ok": True, "result": result}
        except ApiError as error:
            status = error.code
            payload = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                payload["parameters"] = error.parameters
        with self._condition:
            self.calls.append(
                Call(method, params, status, payload.get("description"), time.monotonic())
            )
            self._condition.notify_all()
        return status, payload

    def download(self, path: str) -> tuple[int, dict[str, Any], bytes | None]:
        """Serve ``/file/bot<token>/<file_path>``: the file's bytes, or an error payload."""
        # python-telegram-bot percent-encodes the path (the token's colon becomes %3A).
        match = re.fullmatch(r"/file/bot([^/]+)/(.+)", unquote(urlsplit(path).path))
        file_path = match.group(2) if match else path
        data = None
        if match is None:
            status, description = 404, "Not Found"
        elif match.group(1) != self.token:
            status, description = 401, "Unauthorized"
        else:
            with self._condition:
                stored = self._file_paths.get(file_path)
            if stored is None:  # only a path handed out by getFile downloads
                status, description = 404, "Not Found"
            else:
                status, description, data = 200, None, stored.data
        with self._condition:
            self.calls.append(
                Call("download", {"file_path": file_path}, status, description, time.monotonic())
            )
            if data is not None:
                self.downloads.append(file_path)
            self._condition.notify_all()
        payload = {} if data is not None else {
            "ok": False, "error_code": status, "description": description,
        }
        return status, payload, data

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = params.get("file_id")
        if not file_id:
            raise bad_request("file_id not specified")
        with self._condition:
            stored = self._files.get(str(file_id))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        extension = f".{stored.suffix}" if stored.suffix else ""
        with self._condition:
            file_path = f"documents/file_{len(self._file_paths)}{extension}"
            self._file_paths[file_path] = stored
        return {
            "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data), "file_path": file_path,
        }

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = _int(params, "offset", 0)
        limit = min(max(_int(params, "limit", 100), 1), 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self._condition:
            if offset > 0:
                # Updates below the offset are confirmed: Telegram forgets them.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                if params["_generation"] != self._generation:
                    raise _Dropped
                if self._updates:
                    return self._updates[:limit]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._condition.wait(remaining)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        state = self._chat(params)
        html, visible, entities = _message_text(params)
        markup = validate_reply_markup(_json(params, "reply_markup"))
        reply = _json(params, "reply_parameters") or {}
        if "reply_to_message_id" in params:
            reply = {"message_id": _int(params, "reply_to_message_id", 0)}
        with self._condition:
            replied = state.messages.get(int(reply["message_id"])) if reply else None
            if reply and replied is None and not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
            self._check_flood(state)
            message_id = state.next_message_id
            state.next_message_id += 1
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": state.chat.to_dict(),
                "from": self.bot.to_dict(),
                "text": visible,
            }
            if entities:
                message["entities"] = entities
            if markup:
                message["reply_markup"] = markup
            stored = dict(message)
            if replied is not None:
                message["reply_to_message"] = replied
            state.messages[message_id] = stored
            self.sent.append(
                SentMessage(
                    state.chat.id, message_id, html, visible, entities, markup,
                    replied["message_id"] if replied else None, time.monotonic(),
                )
            )
            return message

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        state, stored, sent = self._bot_message(params)
        html, visible, entities = _message_text(params)
        markup = validate_reply_markup(_json(params, "reply_markup"))
        with self._condition:
            unchanged = visible == stored["text"] and entities == stored.get("entities", [])
            if unchanged and markup == stored.get("reply_markup"):
                raise bad_request(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message"
                )
            self._check_flood(state)
            stored.update(text=visible, entities=entities, edit_date=int(time.time()))
            stored.pop("reply_markup", None)
            if markup:
                stored["reply_markup"] = markup
            sent.html, sent.text, sent.entities, sent.reply_markup = html, visible, entities, markup
            sent.edits += 1
            sent.versions.append((time.monotonic(), visible))
            return stored

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        state, stored, sent = self._bot_message(params)
        markup = validate_reply_markup(_json(params, "reply_markup"))
        with self._condition:
            if markup == stored.get("reply_markup"):
                raise bad_request(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message"
                )
            self._check_flood(state)
            stored.pop("reply_markup", None)
            if markup:
                stored["reply_markup"] = markup
            sent.reply_markup = markup
            sent.edits += 1
            return stored

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        text = str(params.get("text") or "")
        if len(text) > ALERT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        with self._condition:
            if query_id not in self._pending_queries:
                raise bad_request(
                    "query is too old and response timeout expired or query ID is invalid"
                )
            self._pending_queries.discard(query_id)
            self.callback_answers[query_id] = {
                "text": text,
                "show_alert": _bool(params, "show_alert"),
            }
        return True

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        state = self._chat(params)
        action = str(params.get("action", ""))
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        with self._condition:
            self.chat_actions.append((state.chat.id, action))
        return True

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = _json(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not _BOT_COMMAND_NAME.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("LANG_CODE_INVALID")
        scope = (_json(params, "scope") or {}).get("type", "default")
        with self._condition:
            self.commands[(scope, language)] = commands
        return True

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        scope = (_json(params, "scope") or {}).get("type", "default")
        with self._condition:
            self.commands.pop((scope, str(params.get("language_code") or "")), None)
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        scope = (_json(params, "scope") or {}).get("type", "default")
        with self._condition:
            return self.commands.get((scope, str(params.get("language_code") or "")), [])

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(params)
        parts = urlsplit(url)
        # Telegram requires HTTPS on ports 443, 80, 88 or 8443; loopback HTTP is the one liberty
        # the emulator takes, because tests cannot hold a certificate Telegram would trust.
        if parts.scheme != "https" and parts.hostname != "127.0.0.1":
            raise bad_request("bad webhook: HTTPS url must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        with self._condition:
            if _bool(params, "drop_pending_updates"):
                self._updates.clear()
            self.webhook = {"url": url, "secret_token": secret}
            self._condition.notify_all()
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        with self._condition:
            self.webhook = None
            if _bool(params, "drop_pending_updates"):
                self._updates.clear()
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._condition:
            return {
                "url": (self.webhook or {}).get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    # -- internals ---------------------------------------------------------------------------

    def _user_message(self, user: User, chat: Chat | None, reply_to: int | None) -> dict[str, Any]:
        chat = chat or Chat.private(user)
        with self._condition:
            state = self._chats.setdefault(chat.id, _ChatState(chat))
            message_id = state.next_message_id
            state.next_message_id += 1
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat.to_dict(),
                "from": user.to_dict(),
            }
            if reply_to is not None:
                message["reply_to_message"] = state.messages[reply_to]
            state.messages[message_id] = message
        return message

    def _deliver(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        with self._condition:
            self._updates.append({"update_id": next(self._update_ids), kind: payload})
            self._condition.notify_all()
        return payload

    def _chat(self, params: dict[str, Any]) -> _ChatState:
        try:
            chat_id = int(params.get("chat_id", ""))
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        with self._condition:
            state = self._chats.get(chat_id)
        if state is None:
            raise bad_request("chat not found")
        return state

    def _bot_message(
        self, params: dict[str, Any]
    ) -> tuple[_ChatState, dict[str, Any], SentMessage]:
        state = self._chat(params)
        message_id = _int(params, "message_id", 0)
        with self._condition:
            stored = state.messages.get(message_id)
            if stored is None:
                raise bad_request("message to edit not found")
            if stored["from"]["id"] != self.bot.id:
                raise bad_request("message can't be edited")
            sent = next(
                m for m in self.sent if m.chat_id == state.chat.id and m.message_id == message_id
            )
        return state, stored, sent

    def _check_flood(self, state: _ChatState) -> None:
        """Refuse with 429 once a chat got too many messages in the window (Telegram's rule)."""
        limit, window = self.private_flood if state.chat.type == "private" else self.group_flood
        now = time.monotonic()
        while state.sends and state.sends[0] <= now - window:
            state.sends.popleft()
        if len(state.sends) >= limit:
            retry_after = max(1, math.ceil(state.sends[0] + window - now))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        state.sends.append(now)

    def _start_webhook_delivery(self) -> None:
        generation = self._generation
        threading.Thread(
            target=self._deliver_webhooks, args=(generation,), daemon=True, name="botapi-webhook"
        ).start()

    def _deliver_webhooks(self, generation: int) -> None:
        """Push pending updates to the webhook, in order, like Telegram (retrying failures)."""
        while True:
            with self._condition:
                while self._generation == generation and not (self.webhook and self._updates):
                    self._condition.wait(0.5)
                if self._generation != generation:
                    return
                assert self.webhook is not None
                webhook, update = dict(self.webhook), self._updates[0]
            status = post_update(webhook["url"], update, webhook.get("secret_token"))
            with self._condition:
                self.webhook_deliveries.append((update["update_id"], status))
                if 200 <= status < 300 and self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                self._condition.notify_all()
            if not 200 <= status < 300:
                time.sleep(0.2)


def post_update(url: str, update: dict[str, Any], secret_token: str | None) -> int:
    """POST one update to a webhook as Telegram does; return the HTTP status (0 if unreachable)."""
    headers = {"Content-Type": "application/json"}
    if secret_token:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Find the entities Telegram's clients mark: a leading bot command and @mentions."""
    entities = []
    command = _COMMAND.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in _MENTION.finditer(text):
        if command and mention.start() < command.end():
            continue
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: mention.start()]),
                "length": utf16_len(mention.group()),
            }
        )
    return entities


def _message_text(params: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
    raw = params.get("text")
    if raw is None or raw == "":
        raise bad_request("message text is empty")
    raw = str(raw)
    parse_mode = params.get("parse_mode")
    if parse_mode is None:
        visible, entities = raw, []
    elif str(parse_mode).lower() == "html":
        visible, entities = parse_html(raw)
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r} (the emulator speaks HTML)")
    if not visible.strip():
        raise bad_request("message text is empty")
    if utf16_len(visible) > MESSAGE_LIMIT:
        raise bad_request("message is too long")
    return raw, visible, entities


def _parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if not body:
        return params
    if content_type.startswith("application/json"):
        try:
            params.update(json.loads(body))
        except ValueError:
            raise bad_request("can't parse JSON body") from None
    elif content_type.startswith("application/x-www-form-urlencoded"):
        form = parse_qs(body.decode(), keep_blank_values=True)
        params.update({k: v[-1] for k, v in form.items()})
    else:
        raise bad_request(f"unsupported Content-Type {content_type!r} in the emulator")
    return params


def _json(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value


def _int(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"wrong type of the parameter {name}") from None


def _bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    return value is True or str(value).lower() == "true"
