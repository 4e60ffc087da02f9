"""One role's request/reply channel to its model: JSON asked for, checked, retried with the error shown,
and every attempt recorded in the trace (prompt, image references, reply, token usage, seconds)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PIL import Image

from agentvision.models.health import ModelUnavailable
from agentvision.photoflow.trace import RunLog, TraceWriter
from agentvision.photoflow.vlm.prompts import fill

T = TypeVar("T")


class ReplyError(ValueError):
    """A reply that cannot be used; its message is shown to the model on the retry."""


class RoleFallback(RuntimeError):
    """The model gave no usable reply: the step falls back to the built-in role."""


def reply_text(content: Any) -> str:
    """The text of a smolagents ChatMessage content (a string or a list of parts)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") for p in content if isinstance(p, dict))


def extract_json(text: str) -> Any:
    """The first JSON object or array in ``text`` (fenced in ```json or bare)."""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    candidates = [fenced.group(1)] if fenced else []
    candidates.append(text)
    decoder = json.JSONDecoder()
    for chunk in candidates:
        for start, ch in enumerate(chunk):
            if ch in "{[":
                try:
                    return decoder.raw_decode(chunk[start:])[0]
                except json.JSONDecodeError:
                    continue
    raise ReplyError("the reply holds no JSON object")


def user_message(text: str, images: list[tuple[str, Image.Image]]) -> dict:
    """A smolagents chat message: each image after the line that captions it, then the text."""
    content = []
    for i, (caption, image) in enumerate(images, 1):
        content += [{"type": "text", "text": f"Image {i}: {caption}"}, {"type": "image", "image": image}]
    return {"role": "user", "content": content + [{"type": "text", "text": text}]}


class Exchange:
    """Ask ``model`` for JSON on behalf of ``role``; ``retries`` more attempts after a bad reply."""

    def __init__(self, model, role: str, prompts: dict[str, str], retries: int = 1):
        self.model = model
        self.role = role
        self.prompts = prompts
        self.retries = retries
        self.run = RunLog(TraceWriter())
        self.down: str | None = None  # why the model stopped answering; later asks go to the built-in role
        self._images = 0

    def ask(
        self,
        purpose: str,
        text: str,
        images: list[tuple[str, Image.Image]],
        parse: Callable[[Any], T],
        system: str = "system",
    ) -> T:
        """The parsed reply; raises RoleFallback (recorded) when no attempt gives a usable one. ``images`` are
        (caption, image) pairs; ``system`` names the prompt that is the system message.

        A model that is unreachable (ModelUnavailable: server down, timing out, refusing the key) is not
        asked again in this run: every later step falls back at once instead of waiting out a timeout.
        """
        if self.down is not None:
            self.run.trace.emit("fallback", role=self.role, purpose=purpose, reason=f"model unavailable: {self.down}")
            raise RoleFallback(f"{self.role} {purpose}: model unavailable")
        refs = [self.run.save_image(self._name(purpose), im) for _, im in images]
        messages = [
            {"role": "system", "content": [{"type": "text", "text": self.prompts[system]}]},
            user_message(text, images),
        ]
        error = "no attempt"
        for attempt in range(self.retries + 1):
            t = time.perf_counter()
            try:
                reply = self.model.generate(messages)
            except Exception as e:  # a server error mid-run: this step goes to the built-in role
                self._record(purpose, attempt, text, refs, None, None, time.perf_counter() - t, f"model error: {e}")
                error = f"the model call failed: {e}"
                if isinstance(e, ModelUnavailable):
                    self.down = str(e)
                break
            seconds = time.perf_counter() - t
            content = reply_text(reply.content)
            try:
                result = parse(extract_json(content))
            except (ReplyError, KeyError, TypeError, ValueError) as e:
                error = str(e) if isinstance(e, ReplyError) else f"{type(e).__name__}: {e}"
                self._record(purpose, attempt, text, refs, content, reply.token_usage, seconds, error)
                messages += [
                    {"role": "assistant", "content": [{"type": "text", "text": content}]},
                    {"role": "user", "content": [{"type": "text", "text": fill(self.prompts["retry"], error=error)}]},
                ]
                text, refs = messages[-1]["content"][0]["text"], []
                continue
            self._record(purpose, attempt, text, refs, content, reply.token_usage, seconds, None)
            return result
        self.run.trace.emit("fallback", role=self.role, purpose=purpose, reason=error)
        raise RoleFallback(f"{self.role} {purpose}: {error}")

    def _name(self, name: str) -> str:
        self._images += 1
        return f"{self.role}-{self._images:03d}-{name}"

    def _record(self, purpose, attempt, prompt, refs, response, usage, seconds, error) -> None:
        self.run.trace.emit(
            "model_call",
            role=self.role,
            purpose=purpose,
            attempt=attempt,
            prompt=prompt,
            images=refs,
            response=response,
            input_tokens=getattr(usage, "input_tokens", None),
            output_tokens=getattr(usage, "output_tokens", None),
            seconds=round(seconds, 4),
            error=error,
        )
