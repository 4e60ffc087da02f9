"""The tool catalog: one smolagents ``Tool`` per file in the shipped ``tools/`` folder, loaded by path.

Each ``tools/<name>.py`` defines one ``Tool`` subclass whose ``name`` is ``<name>``; most derive from
:class:`agentvision.toolcontext.ContextTool` and are built with a shared :class:`ToolContext`. Files
are loaded by path (like the scene library's builders), never imported as a top-level ``tools``
package, so the catalog works from a source checkout and from an installed wheel
(``agentvision/_content/tools``).
"""

from __future__ import annotations

import importlib.util
import inspect
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from smolagents import Tool

from agentvision.content import content_dir
from agentvision.toolcontext import ContextTool, ToolContext


class ToolNotFoundError(LookupError):
    """An unknown tool name; the message lists the catalog."""


@dataclass(frozen=True)
class ToolInfo:
    """One catalog entry: what the model reads about a tool."""

    name: str
    description: str
    inputs: dict
    output_type: str
    path: Path

    @property
    def summary(self) -> str:
        """The description's first sentence."""
        head = self.description.split(". ")[0].strip()
        return head if head.endswith(".") else head + "."


def _files() -> dict[str, Path]:
    folder = content_dir("tools")
    return {p.stem: p for p in sorted(folder.glob("*.py")) if not p.stem.startswith("_")}


def tool_names() -> list[str]:
    """The catalog's tool names, sorted."""
    return list(_files())


@cache
def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"agentvision._tool_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool_class(name: str) -> type[Tool]:
    """The Tool subclass defined in ``tools/<name>.py``."""
    files = _files()
    if name not in files:
        raise ToolNotFoundError(f"unknown tool {name!r}; the catalog has: {', '.join(files)}")
    module = _module(name, files[name])
    classes = [
        c
        for c in vars(module).values()
        if inspect.isclass(c) and issubclass(c, Tool) and c.__module__ == module.__name__ and c.name == name
    ]
    if len(classes) != 1:
        raise ToolNotFoundError(f"{files[name]} must define one Tool subclass with name = {name!r}")
    return classes[0]


def catalog() -> list[ToolInfo]:
    """Every catalog tool's name, description, inputs and output type, sorted by name."""
    files = _files()
    out = []
    for name, path in files.items():
        cls = tool_class(name)
        out.append(ToolInfo(name, inspect.cleandoc(cls.description), dict(cls.inputs), cls.output_type, path))
    return out


def load_tool(name: str, context: ToolContext | None = None) -> Tool:
    """An instance of the catalog tool ``name``, bound to ``context`` (a fresh ToolContext unless given)."""
    cls = tool_class(name)
    if issubclass(cls, ContextTool):
        return cls(context=context if context is not None else ToolContext())
    return cls()


def load_tools(names: list[str] | None = None, context: ToolContext | None = None) -> list[Tool]:
    """Instances of the named catalog tools (default: all), sharing one ``context``."""
    context = context if context is not None else ToolContext()
    return [load_tool(n, context) for n in (names if names is not None else tool_names())]


__all__ = ["ToolInfo", "ToolNotFoundError", "catalog", "load_tool", "load_tools", "tool_class", "tool_names"]
