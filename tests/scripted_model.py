"""A scripted smolagents Model for tests: replies come from a function of the messages, and every call
is recorded (messages as sent, so tests can see where the images are). No weights involved."""

from __future__ import annotations

from collections.abc import Callable

from smolagents.models import ChatMessage, MessageRole, Model
from smolagents.monitoring import TokenUsage


def texts(message) -> str:
    content = message["content"] if isinstance(message, dict) else message.content
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content or [] if p.get("type") == "text")


def images(message) -> list:
    content = message["content"] if isinstance(message, dict) else message.content
    if isinstance(content, str):
        return []
    return [p["image"] for p in content or [] if p.get("type") == "image"]


def role(message) -> str:
    r = message["role"] if isinstance(message, dict) else message.role
    return r.value if hasattr(r, "value") else str(r)


class ScriptedModel(Model):
    """Replies with ``respond(messages, call_index)``; records each call's messages."""

    def __init__(self, respond: Callable[[list, int], str], model_id: str = "scripted"):
        super().__init__(model_id=model_id)
        self.respond = respond
        self.calls: list[list] = []

    def generate(self, messages, stop_sequences=None, response_format=None, tools_to_call_from=None, **kwargs):
        self.calls.append(list(messages))
        text = self.respond(list(messages), len(self.calls) - 1)
        if isinstance(text, Exception):
            raise text
        return ChatMessage(
            role=MessageRole.ASSISTANT,
            content=text,
            token_usage=TokenUsage(input_tokens=100 + 10 * len(messages), output_tokens=len(text) // 4),
        )
