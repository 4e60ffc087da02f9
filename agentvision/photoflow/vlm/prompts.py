"""Prompt templates of the VLM-backed roles: YAML files in the ``agents/`` content folder, one per role.

A user overrides them by pointing ``prompts_dir`` (``--prompts DIR`` or ``AGENTVISION_PROMPTS``) at a
folder holding files of the same names; an override must define every key the shipped file defines.
Templates are Jinja2 with strict undefined variables, as smolagents' own prompts are.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from jinja2 import StrictUndefined, Template

from agentvision.content import content_dir
from agentvision.errors import InputError

ROLES = ("director", "reviewer", "reflector")


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
    """Fill a template; a variable the template uses but the caller did not give is an error."""
    return Template(template, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True).render(**values)


def _read(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as e:
        raise PromptError(f"{path} is not valid YAML: {e}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise PromptError(f"{path} must map template names to strings")
    return data
