"""Prompt templates of the VLM-backed roles: YAML files in the ``agents/`` content folder, one per role.

A user overrides them by pointing ``prompts_dir`` (``--prompts DIR`` or ``AGENTVISION_PROMPTS``) at a
folder holding files of the same names; an override must define every key the shipped file defines.
Templates are Jinja2 with strict undefined variables, as smolagents' own prompts are, rendered in Jinja's
sandbox (``jinja2.sandbox``): an override is untrusted, and a template that reaches for Python internals
(``__class__``, ``__globals__``...) is refused. The files are read within the YAML limits of
:mod:`agentvision.yamlfile`, and a filled prompt may be at most ``MAX_PROMPT_CHARS`` long.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from agentvision.content import content_dir
from agentvision.errors import InputError
from agentvision.yamlfile import YamlLimitError, load_yaml

ROLES = ("director", "reviewer", "reflector")
MAX_PROMPT_CHARS = 200_000
_JINJA = SandboxedEnvironment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


class PromptError(InputError):
    """A prompt file is missing, malformed or lacks a key."""


def prompts_folder(prompts_dir: str | Path | None = None) -> Path | None:
    """The user's override folder: the argument, else $AGENTVISION_PROMPTS, else None."""
    chosen = prompts_dir or os.environ.get("AGENTVISION_PROMPTS")
    return Path(chosen) if chosen else None


def load_prompts(role: str, prompts_dir: str | Path | None = None) -> dict[str, str]:
    """The templates of ``role``: the shipped file, or the override in ``prompts_dir`` when it has one."""
    if role not in ROLES:
        raise PromptError(f"unknown role {role!r}; prompts exist for {', '.join(ROLES)}")
    shipped = _read(content_dir("agents") / f"{role}.yaml")
    folder = prompts_folder(prompts_dir)
    if folder is None:
        return shipped
    if not folder.is_dir():
        raise PromptError(f"prompts folder {folder} does not exist; give a folder holding {role}.yaml")
    path = folder / f"{role}.yaml"
    if not path.exists():
        return shipped
    override = _read(path)
    missing = sorted(set(shipped) - set(override))
    if missing:
        raise PromptError(f"{path} lacks {', '.join(missing)}; copy {content_dir('agents') / (role + '.yaml')}")
    return override


def fill(template: str, **values) -> str:
    """Fill a template in Jinja's sandbox; an unknown variable, a refused operation (Python internals) or a
    result longer than MAX_PROMPT_CHARS is a PromptError."""
    try:
        pieces, size = [], 0
        for piece in _JINJA.from_string(template).generate(**values):
            size += len(piece)
            if size > MAX_PROMPT_CHARS:
                raise PromptError(f"a prompt template fills to more than {MAX_PROMPT_CHARS} characters; shorten it")
            pieces.append(piece)
        return "".join(pieces)
    except TemplateError as e:  # SecurityError (a sandbox refusal), UndefinedError, TemplateSyntaxError...
        raise PromptError(f"a prompt template cannot be filled: {type(e).__name__}: {e}") from None


def _read(path: Path) -> dict[str, str]:
    try:
        data = load_yaml(path)
    except (OSError, YamlLimitError) as e:
        raise PromptError(f"{path} is not a usable prompt file: {e}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise PromptError(f"{path} must map template names to strings")
    return data
