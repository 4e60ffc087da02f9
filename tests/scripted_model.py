"""A scripted smolagents Model for tests: replies with pre-written texts and records what it was sent.

No weights: the replies are fixed. ``calls[i]`` holds the messages of the i-th request exactly as an
OpenAI-compatible client would send them (smolagents' role conversions, consecutive roles merged,
images as base64 ``data:`` URLs), decoded back into PIL images for assertions.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image
from smolagents import ChatMessage, Model, TokenUsage
from smolagents.models import get_clean_message_list, tool_role_conversions


@dataclass
class Part:
    """One content part of a received message: text, or an image."""

    text: str | None = None
    image: Image.Image | None = None


@dataclass
class Received:
    role: str
    parts: list[Part] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.parts if p.text is not None)

    @property
    def images(self) -> list[Image.Image]:
        return [p.image for p in self.parts if p.image is not None]


def _decode(url: str) -> Image.Image:
    data = base64.b64decode(url.split(",", 1)[1])
    return Image.open(io.BytesIO(data)).convert("RGB")


class ScriptedModel(Model):
    """Returns ``replies`` in order (the last one repeats) and records every request in ``calls``.

    ``replies`` may instead be a function ``(received messages, call index) -> reply text``; a reply
    that is an exception is raised (a server failing mid-run). Token usage is counted from the text.
    """

    def __init__(self, replies: list[str] | Callable[[list[Received], int], str]):
        super().__init__(model_id="scripted")
        self.replies = replies if callable(replies) else list(replies)
        self.calls: list[list[Received]] = []

    def generate(self, messages, stop_sequences=None, response_format=None, tools_to_call_from=None, **kwargs):
        clean = get_clean_message_list(
            messages, role_conversions=tool_role_conversions, convert_images_to_image_urls=True
        )
        received = []
        for message in clean:
            parts = []
            for el in message["content"]:
                if el["type"] == "text":
                    parts.append(Part(text=el["text"]))
                elif el["type"] == "image_url":
                    parts.append(Part(image=_decode(el["image_url"]["url"])))
            received.append(Received(str(getattr(message["role"], "value", message["role"])), parts))
        self.calls.append(received)
        index = len(self.calls) - 1
        if callable(self.replies):
            reply = self.replies(received, index)
        else:
            reply = self.replies[min(index, len(self.replies) - 1)]
        if isinstance(reply, Exception):
            raise reply
        tokens_in = sum(len(m.text) for m in received) // 4 + 256 * sum(len(m.images) for m in received)
        return ChatMessage(
            role="assistant",
            content=reply,
            token_usage=TokenUsage(input_tokens=tokens_in, output_tokens=len(reply) // 4),
        )

    def images_in(self, call: int) -> list[Image.Image]:
        """Every image in request ``call``, in order."""
        return [im for m in self.calls[call] for im in m.images]


def code(body: str) -> str:
    """A CodeAgent reply: a thought and a code block in smolagents' default tags."""
    return f"Thought: next step.\n<code>\n{body}\n</code>"
