"""An OpenAI-compatible chat completions server on loopback, scripted per test.

It speaks the real protocol, strictly: ``POST /v1/chat/completions`` with a JSON body that must
name a ``model`` and a list of ``messages`` (each a known role with string content); answers are
``chat.completion`` objects, or ``chat.completion.chunk`` events as server-sent events ending
with ``data: [DONE]`` when ``stream`` is true, sent with chunked transfer encoding as real servers
do (so a cut stream is visible to the client as a truncated body). Errors come in OpenAI's shape
``{"error": {"message", "type", "param", "code"}}``. What a real model does only by chance is
scripted: each request takes the next behaviour from the script (a reply, an HTTP error with
optional ``Retry-After``, a stream cut half-way, a hang); every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ROLES = {"system", "user", "assistant", "developer", "tool"}


@dataclass
class Reply:
    """Answer with ``text`` (streamed in pieces of ``chunk_chars`` when asked to stream)."""

    text: str
    chunk_chars: int = 7
    finish_reason: str = "stop"
    chunk_delay_s: float = 0.01  # pause after each streamed piece (a slow model)


@dataclass
class Fail:
    """Answer with an HTTP error in OpenAI's error shape."""

    status: int
    retry_after: str | None = None
    message: str = "scripted failure"


@dataclass
class Cut:
    """Stream ``text``'s first half, then drop the connection without finishing the body."""

    text: str
    chunk_delay_s: float = 0.01


@dataclass
class Hang:
    """Accept the request and send nothing for ``seconds``."""

    seconds: float


Behaviour = Reply | Fail | Cut | Hang
Script = Callable[[dict[str, Any]], Behaviour]


@dataclass
class Recorded:
    """One request as the server received it."""

    body: dict[str, Any]
    headers: dict[str, str]
    at: float


@dataclass
class Emulator:
    """The running server: where it listens, its script and what it received."""

    port: int
    script: list[Behaviour | Script] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def next_behaviour(self, body: dict[str, Any]) -> Behaviour:
        if not self.script:
            return Fail(500, message="the test scripted no more replies")
        item = self.script.pop(0)
        return item(body) if callable(item) else item


def _error(status: int, message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _validate(body: Any) -> str | None:
    """Return what is wrong with a chat completions request, or None."""
    if not isinstance(body, dict):
        return "request body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "you must provide a model parameter"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty array"
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return "each message needs a valid 'role'"
        if not isinstance(message.get("content"), str):
            return "message 'content' must be a string"
    temperature = body.get("temperature")
    if temperature is not None and not (
        isinstance(temperature, int | float) and 0 <= temperature <= 2
    ):
        return "'temperature' must be between 0 and 2"
    if "stream" in body and not isinstance(body["stream"], bool):
        return "'stream' must be a boolean"
    return None


def _handler(emulator: Emulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/v1/models":
                self._json(200, {"object": "list", "data": [
                    {"id": "emulated", "object": "model", "created": 0, "owned_by": "tests"}
                ]})
            else:
                self._json(404, _error(404, f"no route {self.path}", "invalid_request_error"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path != "/v1/chat/completions":
                self._json(404, _error(404, f"no route {self.path}", "invalid_request_error"))
                return
            try:
                body = json.loads(raw)
            except json.JSONDecodeError:
                self._json(400, _error(400, "invalid JSON body", "invalid_request_error"))
                return
            problem = _validate(body)
            if problem:
                self._json(400, _error(400, problem, "invalid_request_error"))
                return
            emulator.requests.append(
                Recorded(body, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            )
            behaviour = emulator.next_behaviour(body)
            match behaviour:
                case Hang(seconds):
                    emulator.stop.wait(seconds)
                    self.close_connection = True
                case Fail(status, retry_after, message):
                    headers = {"Retry-After": retry_after} if retry_after else {}
                    kind = "rate_limit_error" if status == 429 else "server_error"
                    self._json(status, _error(status, message, kind), headers)
                case Reply() if body.get("stream"):
                    self._stream(body, behaviour.text, behaviour.chunk_chars,
                                 behaviour.finish_reason, behaviour.chunk_delay_s, cut=False)
                case Reply():
                    self._json(200, _completion(body, behaviour.text, behaviour.finish_reason))
                case Cut(text, delay_s):
                    self._stream(body, text, 5, "stop", delay_s, cut=True)

        def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _stream(self, body: dict[str, Any], text: str, size: int, finish: str,
                    delay_s: float, *, cut: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            pieces = [text[i : i + size] for i in range(0, len(text), size)]
            if cut:
                pieces = pieces[: max(1, len(pieces) // 2)]
            for index, piece in enumerate(pieces):
                delta: dict[str, Any] = {"content": piece}
                if index == 0:
                    delta["role"] = "assistant"
                self._chunk(_event(_chunk_object(body, delta, None)))
                if emulator.stop.wait(delay_s):  # the test is over
                    self.close_connection = True
                    return
            if cut:
                # No final event, no [DONE], no terminating chunk: the connection just ends.
                self.close_connection = True
                return
            self._chunk(_event(_chunk_object(body, {}, finish)))
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")

    return Handler


def _event(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload)}\n\n".encode()


def _chunk_object(
    body: dict[str, Any], delta: dict[str, Any], finish: str | None
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-emulated",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }


def _completion(body: dict[str, Any], text: str, finish: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-emulated",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": finish,
            "logprobs": None,
        }],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class EmulatorServer:
    """Starts the emulator on a free loopback port; ``close`` stops it and its hanging calls."""

    def __init__(self) -> None:
        self.emulator = Emulator(port=0)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.emulator))
        self.server.daemon_threads = True
        self.emulator.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.emulator.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
