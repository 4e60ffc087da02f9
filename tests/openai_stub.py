"""A loopback OpenAI-compatible server for tests: a real HTTP server on 127.0.0.1 in a thread.

    with StubServer(lambda request: "Thought: ...") as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url))
        ...
        server.requests[-1]["messages"]   # the JSON bodies of every chat completion, in order

It serves GET /v1/models and POST /v1/chat/completions (plain and ``stream: true``). The responder gets each chat
request's JSON and returns the reply text; raising StubError(status, message) answers with that HTTP error, any
other exception with HTTP 500. ``delay_s`` (answer late, for timeouts), ``status`` (answer every request with that
HTTP error) and ``api_key`` (answer 401 unless this key is sent) may be changed while it runs.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class StubError(Exception):
    """Raise from a responder to answer with an HTTP error."""

    def __init__(self, status: int, message: str = "stub error"):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class StubCall:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any = None


def count_prompt_tokens(request: dict) -> int:
    """A deterministic stand-in for a tokenizer: words of text, plus 64 per image."""
    total = 0
    for message in request.get("messages", []):
        content = message.get("content")
        parts = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
        for part in parts:
            if part.get("type") == "text":
                total += len(str(part.get("text", "")).split())
            elif part.get("type") == "image_url":
                total += 64
    return total


@dataclass
class StubServer:
    """Context manager running the stub; ``base_url`` is "http://127.0.0.1:PORT/v1"."""

    responder: Callable[[dict], str] = lambda request: "ok"
    models: list[str] = field(default_factory=lambda: ["stub-model"])
    delay_s: float = 0.0
    status: int | None = None
    api_key: str | None = None
    calls: list[StubCall] = field(default_factory=list)
    usages: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def requests(self) -> list[dict]:
        """The JSON bodies of the chat completion requests, in order."""
        with self._lock:
            return [c.body for c in self.calls if c.method == "POST" and c.path.endswith("/chat/completions")]

    @property
    def port(self) -> int:
        assert self._server is not None, "the stub is not running"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> StubServer:
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="openai-stub", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._closing.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- what the handler calls -------------------------------------------------------------------------------

    def _record(self, call: StubCall) -> None:
        with self._lock:
            self.calls.append(call)

    def _wait(self) -> None:
        if self.delay_s > 0:
            self._closing.wait(self.delay_s)

    def _check(self, headers: dict[str, str]) -> tuple[int, str] | None:
        if self.status is not None:
            return self.status, f"stub set to answer HTTP {self.status}"
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, "invalid API key"
        return None

    def _complete(self, request: dict) -> tuple[str, dict]:
        text = self.responder(request)
        if not isinstance(text, str):
            raise TypeError(f"the responder must return the reply text, not {type(text).__name__}")
        usage = {"prompt_tokens": count_prompt_tokens(request), "completion_tokens": max(1, len(text.split()))}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        with self._lock:
            self.usages.append(usage)
        return text, usage


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (a timeout test) is not an error worth a traceback on stderr."""

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(stub: StubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # keep test output quiet
            pass

        def _headers(self) -> dict[str, str]:
            return {k.lower(): v for k, v in self.headers.items()}

        def _send_json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _send_error(self, status: int, message: str) -> None:
            self._send_json(status, {"error": {"message": message, "type": "stub_error", "code": status}})

        def do_GET(self):
            headers = self._headers()
            stub._record(StubCall("GET", self.path, headers))
            stub._wait()
            problem = stub._check(headers)
            if problem:
                return self._send_error(*problem)
            if self.path.rstrip("/") != "/v1/models":
                return self._send_error(404, f"no route {self.path}")
            created = int(time.time())
            data = [{"id": m, "object": "model", "created": created, "owned_by": "stub"} for m in stub.models]
            self._send_json(200, {"object": "list", "data": data})

        def do_POST(self):
            headers = self._headers()
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = raw.decode("utf-8", "replace")
            stub._record(StubCall("POST", self.path, headers, body))
            stub._wait()
            problem = stub._check(headers)
            if problem:
                return self._send_error(*problem)
            if self.path.rstrip("/") != "/v1/chat/completions" or not isinstance(body, dict):
                return self._send_error(404, f"no route {self.path}")
            try:
                text, usage = stub._complete(body)
            except StubError as exc:
                return self._send_error(exc.status, exc.message)
            except Exception as exc:  # the responder failed: a server error, as a real server would answer
                return self._send_error(500, f"{type(exc).__name__}: {exc}")
            reply_id = f"chatcmpl-stub-{len(stub.usages)}"
            model = body.get("model", "stub-model")
            if body.get("stream"):
                return self._stream(reply_id, model, text, usage)
            choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            self._send_json(
                200,
                {
                    "id": reply_id,
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [choice],
                    "usage": usage,
                },
            )

        def _stream(self, reply_id: str, model: str, text: str, usage: dict) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            base = {"id": reply_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
            delta = {"role": "assistant", "content": text}
            chunks = [
                {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
                {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
                {**base, "choices": [], "usage": usage},
            ]
            for chunk in chunks:
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler
