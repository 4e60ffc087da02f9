"""Where tools leave the images they make for the model's next step.

A smolagents CodeAgent's tools return values to the agent's code, not to the model, so an image a
tool renders needs a way to reach a vision model: tools ``put`` images (with a label) into an
:class:`ImageOutbox`; :class:`agentvision.codeagent.ImageWindow` moves them onto the step that made them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class OutboxImage:
    """An image a tool made during a step, with the label the model is told."""

    image: Image.Image
    label: str


class ImageOutbox:
    """Where tools leave the images the model should see at its next step (thread-safe, FIFO)."""

    def __init__(self) -> None:
        self._items: list[OutboxImage] = []
        self._lock = threading.Lock()

    def put(self, image: Image.Image, label: str = "") -> None:
        """Queue ``image`` (converted to RGB) for the model's next step; ``label`` says what it shows."""
        if not isinstance(image, Image.Image):
            raise TypeError(f"ImageOutbox.put takes a PIL image, got {type(image).__name__}")
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        with self._lock:
            self._items.append(OutboxImage(rgb, label))

    def drain(self) -> list[OutboxImage]:
        """Take every queued image, oldest first, leaving the outbox empty."""
        with self._lock:
            items, self._items = self._items, []
        return items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
