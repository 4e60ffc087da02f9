"""Bound what one request carries and what one reply may be: text trimmed to a budget, replies cut off.

- :func:`limit_text`: a conversation whose text is over ``max_chars`` keeps its first message (the system
  prompt) and its latest messages whole; any one text longer than a quarter of the budget is cut in the
  middle, and the oldest other messages give up their text for a note until the whole fits.
- :class:`BoundedTransport`: an httpx transport that refuses a reply body larger than its limit while it
  is read, so a server cannot fill memory with one answer (the openai client reads whole bodies).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from agentvision.errors import EXIT_MODEL, AgentVisionError
from agentvision.models.images import role_and_content

TRIMMED_NOTE = "[earlier message trimmed: the conversation was over its budget of {n} characters]"
CUT_NOTE = "\n[... {n} characters cut ...]\n"


class ReplyTooLarge(AgentVisionError):
    """A reply body over the limit (raised while it is read); the server is up, this answer is refused."""

    exit_code = EXIT_MODEL
    kind = "model reply refused"


def _text_len(content: Any) -> int:
    if isinstance(content, str):
        return len(content)
    if isinstance(content, list):
        return sum(len(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return 0


def _map_text(content: Any, fn) -> Any:
    if isinstance(content, str):
        return fn(content)
    if isinstance(content, list):
        return [{**p, "text": fn(p["text"])} if isinstance(p, dict) and p.get("type") == "text" else p for p in content]
    return content


def _with_content(message: Any, content: Any) -> Any:
    if isinstance(message, dict):
        return {**message, "content": content}
    return dataclasses.replace(message, content=content)


def cut_middle(text: str, limit: int) -> str:
    """``text`` if it is at most ``limit`` characters, else its head and tail with a note between."""
    if len(text) <= limit:
        return text
    keep = max(0, limit - 40)
    return text[: keep // 2] + CUT_NOTE.format(n=len(text) - keep) + text[len(text) - keep // 2 :]


def limit_text(messages: list, max_chars: int) -> list:
    """A copy of ``messages`` whose text totals at most about ``max_chars`` characters (see the module)."""
    sizes = [_text_len(role_and_content(m)[1]) for m in messages]
    if sum(sizes) <= max_chars:
        return list(messages)
    part = max(1, max_chars // 4)
    out = [_with_content(m, _map_text(role_and_content(m)[1], lambda t: cut_middle(t, part))) for m in messages]
    sizes = [_text_len(role_and_content(m)[1]) for m in out]
    note = TRIMMED_NOTE.format(n=max_chars)
    for i in range(1, len(out) - 1):  # the system prompt and the latest message stay
        if sum(sizes) <= max_chars:
            break
        content = role_and_content(out[i])[1]
        if sizes[i] <= len(note):
            continue
        trimmed = (
            note
            if isinstance(content, str)
            else [p for p in content if not (isinstance(p, dict) and p.get("type") == "text")]
            + [{"type": "text", "text": note}]
        )
        out[i] = _with_content(out[i], trimmed)
        sizes[i] = len(note)
    return out


class _BoundedStream(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, limit: int) -> None:
        self._stream, self._limit = stream, limit

    def __iter__(self):
        total = 0
        for chunk in self._stream:
            total += len(chunk)
            if total > self._limit:
                raise ReplyTooLarge(f"the reply was larger than {self._limit // 1024} KiB and was refused")
            yield chunk

    def close(self) -> None:
        self._stream.close()


class BoundedTransport(httpx.HTTPTransport):
    """An httpx transport whose replies may be at most ``limit`` bytes."""

    def __init__(self, limit: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limit = limit

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            response.close()
            raise ReplyTooLarge(f"the reply was larger than {self.limit // 1024} KiB and was refused")
        response.stream = _BoundedStream(response.stream, self.limit)
        return response
