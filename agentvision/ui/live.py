"""A chat session whose output streams to a web page: text lines and images, as they happen.

:class:`PageSession` is a :class:`~agentvision.chat.ChatSession` (the same requests, follow-ups, commands and
VLM conversation as ``agentvision chat``) whose console writes lines into a queue and whose images (each
round's contact sheet as the round ends, the scout map, the photo; with a VLM, every image a tool saved) go
into the same queue. :func:`run_request` handles one line in a worker thread and yields what it produced.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from agentvision.chat.session import ChatSession


@dataclass(frozen=True)
class Item:
    """One piece of a request's output: a line of text, or an image file with what it shows."""

    kind: str  # "text" or "image"
    text: str = ""
    path: Path | None = None


class LineQueue(io.TextIOBase):
    """A text file whose complete lines go into ``items`` (a console writes into it)."""

    def __init__(self, items: queue.Queue) -> None:
        self.items, self._partial = items, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self.items.put(Item("text", line.rstrip()))
        return len(text)

    def flush(self) -> None:
        if self._partial:
            self.items.put(Item("text", self._partial.rstrip()))
            self._partial = ""


@dataclass
class PageSession(ChatSession):
    """A ChatSession for the page: its images and its builtin search's rounds go to ``items``."""

    items: queue.Queue = field(default_factory=queue.Queue)
    lock: threading.Lock = field(default_factory=threading.Lock)  # one request at a time

    def __post_init__(self) -> None:
        # The page's console: plain lines into ``items`` (whatever console was given is replaced).
        self.console = Console(file=LineQueue(self.items), width=110, color_system=None, highlight=False)
        super().__post_init__()
        inner = self.builtin.progress

        def progress(event: str, data: dict) -> None:
            inner(event, data)
            self._live(event, data)

        self.builtin.progress = progress

    def display(self, path: Path, max_cols: int = 100, label: str = "image") -> None:
        self.items.put(Item("image", "photo" if Path(path).name == "photo.png" else label, Path(path)))

    def _live(self, event: str, data: dict) -> None:
        """A round's contact sheet as soon as the round ends; the scout map once scouting is done."""
        from agentvision.photoflow.output import contact_sheet

        running = self.builtin._next_folder()  # the folder of the shot being searched
        if event == "scout":
            scout = running / "rounds" / "scout-map.png"
            if scout.is_file():
                self.items.put(Item("image", "scout map: the Director's best viewpoints", scout))
        elif event == "round":
            n, total = data["round"] + 1, data["rounds"]
            live = self.folder / "live"
            live.mkdir(exist_ok=True)
            path = live / f"{running.name}-round-{n:02d}.png"
            contact_sheet(data["record"], f"round {n}/{total}").save(path)
            self.items.put(Item("image", f"round {n}/{total}", path))


def run_request(session: PageSession, line: str, poll_s: float = 0.1) -> Iterator[list[Item]]:
    """Handle ``line`` in a worker thread; yield the new items every ``poll_s`` seconds while it runs, and the
    rest when it ends (the last batch may be empty)."""
    with session.lock:
        worker = threading.Thread(target=session.handle, args=(line,), daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(poll_s)
            yield _drain(session)
        session.console.file.flush()
        yield _drain(session)


def _drain(session: PageSession) -> list[Item]:
    out = []
    while True:
        try:
            out.append(session.items.get_nowait())
        except queue.Empty:
            return out
