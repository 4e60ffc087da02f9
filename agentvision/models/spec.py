"""Model specs (``builtin``, ``openai:MODEL_ID``, ``transformers:PATH_OR_ID``) and the options that go with them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

from agentvision.errors import InputError
from agentvision.redact import add_secret

KINDS = ("builtin", "openai", "transformers")
SPEC_FORMS = "builtin, openai:MODEL_ID or transformers:PATH_OR_ID"


@dataclass(frozen=True)
class ModelSpec:
    """Which model backs a role: ``kind`` is one of KINDS; ``name`` is the model id or path (None for builtin)."""

    kind: str
    name: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown model kind {self.kind!r}: use {SPEC_FORMS}")
        if self.kind == "builtin" and self.name is not None:
            raise ValueError("the builtin model takes no name: write just 'builtin'")
        if self.kind != "builtin" and not self.name:
            raise ValueError(f"'{self.kind}:' needs a model after the colon, e.g. {_EXAMPLES[self.kind]}")

    def __str__(self) -> str:
        return self.kind if self.name is None else f"{self.kind}:{self.name}"

    @property
    def is_builtin(self) -> bool:
        """True for the model-free photographer."""
        return self.kind == "builtin"


_EXAMPLES = {
    "openai": "openai:Qwen/Qwen2.5-VL-7B-Instruct",
    "transformers": "transformers:HuggingFaceTB/SmolVLM-256M-Instruct",
}


class ModelSpecError(InputError):
    """A model spec or option that cannot be used, saying what would be."""


def parse_model_spec(text: str) -> ModelSpec:
    """Parse ``builtin``, ``openai:MODEL_ID`` or ``transformers:PATH_OR_ID`` (split at the first colon).

    Raises ValueError naming the accepted forms for anything else.
    """
    if not isinstance(text, str) or not text.strip():
        raise ModelSpecError(f"empty model spec: use {SPEC_FORMS}")
    text = text.strip()
    if text.lower() == "builtin":
        return ModelSpec("builtin")
    kind, sep, name = text.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in ("openai", "transformers"):
        raise ModelSpecError(
            f"model spec {text!r} is not understood: use {SPEC_FORMS} "
            f"(e.g. {_EXAMPLES['openai']} with --api-base http://127.0.0.1:8000/v1)"
        )
    return ModelSpec(kind, name.strip())


def default_model_spec() -> ModelSpec:
    """The spec in AGENTVISION_MODEL, else ``builtin``."""
    text = os.environ.get("AGENTVISION_MODEL", "").strip()
    return parse_model_spec(text) if text else ModelSpec("builtin")


def check_api_base(url: str) -> str | None:
    """``url`` without a trailing slash (None when blank), or ModelSpecError saying what a usable one looks like."""
    given = str(url).strip()
    text = given.rstrip("/")
    if not text:
        return None
    example = (
        "give the server's OpenAI-compatible root, e.g. http://127.0.0.1:8000/v1 "
        "(--api-base URL, api_base=URL in Python, or AGENTVISION_API_BASE)"
    )
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError for a port that is not a number in 0..65535
    except ValueError as exc:
        raise ModelSpecError(f"API base {given!r} is not a usable URL ({exc}): {example}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise ModelSpecError(f"API base {given!r} is not an http(s) URL with a host: {example}")
    return text


@dataclass
class ModelOptions:
    """How to reach and feed a model. ``api_key`` is never shown in repr, logged or written to a run folder."""

    api_base: str | None = None
    api_key: str | None = field(default=None, repr=False)
    max_image_side: int = 1024  # images are downscaled on the client so their longest side is at most this
    max_images: int = 4  # images per request; older ones are replaced by a short text note
    timeout_s: float = 120.0
    max_tokens: int = 2048
    temperature: float = 0.0
    max_retries: int = 1  # the openai client's retries on connection errors and timeouts
    max_reply_kb: int = 256  # a reply body larger than this is refused while it is read
    max_context_chars: int = 60_000  # text per request; older messages are trimmed past it (models/context.py)
    deadline_s: float | None = 900.0  # seconds of model requests per run (or chat turn); then the model is down

    def __post_init__(self) -> None:
        add_secret(self.api_key)
        if self.api_base is not None:
            self.api_base = check_api_base(self.api_base)
        for name, low in (
            ("max_image_side", 16),
            ("max_images", 1),
            ("max_tokens", 1),
            ("max_reply_kb", 1),
            ("max_context_chars", 1000),
        ):
            if int(getattr(self, name)) < low:
                raise ValueError(f"{name} must be at least {low}, got {getattr(self, name)}")
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {self.timeout_s}")
        if self.temperature < 0:
            raise ValueError(f"temperature must be 0 or more, got {self.temperature}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries}")
        if self.deadline_s is not None and self.deadline_s <= 0:
            raise ValueError(f"deadline_s must be positive (or None), got {self.deadline_s}")

    @classmethod
    def from_env(cls, **overrides) -> ModelOptions:
        """Options from AGENTVISION_API_BASE and AGENTVISION_API_KEY (else OPENAI_API_KEY).

        Keyword overrides win over the environment; an override that is None is ignored (so unset command-line
        flags fall back to the environment).
        """
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown model option(s): {', '.join(sorted(unknown))}")
        values: dict = {
            "api_base": os.environ.get("AGENTVISION_API_BASE") or None,
            "api_key": os.environ.get("AGENTVISION_API_KEY") or os.environ.get("OPENAI_API_KEY") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
