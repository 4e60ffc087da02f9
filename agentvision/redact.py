"""Credentials never reach a message or a file: :func:`redact` is applied where text leaves the program.

It hides the password of a URL (``http://user:pass@host`` -> ``http://user:***@host``), every secret value
registered with :func:`add_secret` or found in the key variables (``AGENTVISION_API_KEY``, ``OPENAI_API_KEY``,
``HF_TOKEN``), and what looks like a key: ``sk-...``/``hf_...`` tokens, ``Bearer ...``, ``api_key=...``.
The trace writer, the report, the chat history and the command line's error boundary all pass their text
through it.
"""

from __future__ import annotations

import os
import re
from typing import Any

MASK = "***"
KEY_VARIABLES = ("AGENTVISION_API_KEY", "OPENAI_API_KEY", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)(?P<secret>[^/\s@]+)(?P<tail>@)")
_PATTERNS = (
    re.compile(r"(?P<head>)(?P<secret>\b(?:sk|rk|pk)-[A-Za-z0-9_-]{16,}|\bhf_[A-Za-z0-9]{16,})(?P<tail>)"),
    re.compile(r"(?P<head>\b[Bb]earer\s+)(?P<secret>[A-Za-z0-9._~+/=-]{8,})(?P<tail>)"),
    re.compile(
        r"(?P<head>\b(?:api[_-]?key|access[_-]?token|password|passwd|secret)[\"']?\s*[=:]\s*[\"']?)"
        r"(?P<secret>[^\s\"',;&]{6,})(?P<tail>)",
        re.IGNORECASE,
    ),
)
_SECRETS: set[str] = set()


def add_secret(value: str | None) -> None:
    """Hide ``value`` wherever it appears from now on (values shorter than 4 characters are ignored)."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def redact(text: str) -> str:
    """``text`` with every credential replaced by ``***``."""
    if not isinstance(text, str) or not text:
        return text
    secrets = _SECRETS | {v for v in (os.environ.get(k) for k in KEY_VARIABLES) if v and len(v) >= 4}
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in (_URL_PASSWORD, *_PATTERNS):
        text = pattern.sub(lambda m: m["head"] + MASK + m["tail"], text)
    return text


def redact_value(value: Any) -> Any:
    """``value`` (strings, and the strings inside lists, tuples and dicts) redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value
