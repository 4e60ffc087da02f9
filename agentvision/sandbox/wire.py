"""The messages between the agent's process and its sandbox: length-prefixed JSON, never pickle.

The parent never unpickles what the sandbox sends (unpickling runs code); JSON carries strings, numbers,
lists and dicts, which is all a tool call, a printed log or a final answer needs. Other values are
converted: tuples and sets to lists, arrays to lists (``tolist``), anything else to its ``str``.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

HEADER = struct.Struct("!I")


class WireClosed(EOFError):
    """The other side closed its end (it exited or was stopped)."""


class WireTimeout(TimeoutError):
    """No whole message arrived before the deadline."""


class WireTooLarge(ValueError):
    """A message longer than the limit."""


def plain(value: Any) -> Any:
    """``json.dumps``' fallback: what JSON cannot hold, as the nearest thing it can."""
    if isinstance(value, set | frozenset):
        try:
            return sorted(value)
        except TypeError:
            return list(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        try:
            return tolist()
        except Exception:  # noqa: BLE001 - any failure: fall back to the text
            pass
    return str(value)


def encode(message: dict) -> bytes:
    body = json.dumps(message, default=plain, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return HEADER.pack(len(body)) + body


def send(fd: int, message: dict, limit: int | None = None) -> None:
    """Write one message; a message over ``limit`` bytes raises WireTooLarge before anything is written."""
    data = encode(message)
    if limit is not None and len(data) - HEADER.size > limit:
        raise WireTooLarge(f"message of {len(data) - HEADER.size} bytes is over the {limit}-byte limit")
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BrokenPipeError:
            raise WireClosed("the other side closed the pipe") from None
        view = view[written:]


def recv(fd: int, limit: int, deadline: float | None = None) -> dict:
    """Read one message. ``deadline`` (time.monotonic) bounds the wait; ``limit`` bounds its size."""
    (size,) = HEADER.unpack(_read_exact(fd, HEADER.size, deadline))
    if size > limit:
        raise WireTooLarge(f"message of {size} bytes is over the {limit}-byte limit")
    message = json.loads(_read_exact(fd, size, deadline).decode("utf-8", "replace"))
    if not isinstance(message, dict) or "op" not in message:
        raise ValueError("malformed message: not an object with an 'op'")
    return message


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, left = [], n
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise WireTimeout("no answer before the deadline")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise WireClosed("the other side closed the pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
