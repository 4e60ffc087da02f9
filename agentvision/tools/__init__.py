"""The tool catalog: one smolagents ``Tool`` per module, ``agentvision.tools.<name>``.

The modules are the files of the top-level ``tools/`` folder of a source checkout (this package's
``__path__`` reaches them there); a wheel carries them inside this package (``agentvision/tools/<name>.py``),
so ``from agentvision.tools.render_view import RenderViewTool`` works either way and no generic top-level
``tools`` lands in site-packages.

Each tool is a plain subclass of smolagents' ``Tool`` whose methods import what they use, as smolagents
asks of a shareable tool, so ``tool.to_dict()``, ``tool.save(folder)``, ``tool.push_to_hub(repo)`` and
``Tool.from_code(tool.to_dict()["code"])`` round-trip. A tool takes an optional
:class:`~agentvision.toolcontext.ToolContext` (scene cache, output folder, image outbox);
:func:`make_tool` and :func:`make_tools` build catalog tools that share one. (smolagents' own ``load_tool``
loads a tool from a Hub repository; these build one of ours by name.)
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path

from smolagents import Tool

from agentvision.content import content_dir
from agentvision.toolcontext import ToolContext

_HERE = Path(__file__).resolve().parent


def _tool_folder() -> Path:
    """Where the tool modules are: this package (an installed wheel), else the checkout's ``tools/``."""
    if any(p.name != "__init__.py" for p in _HERE.glob("*.py")):
        return _HERE
    return content_dir("tools")


if _tool_folder() != _HERE:
    __path__.append(str(_tool_folder()))  # noqa: F821 - a package's __path__ is defined by the import system


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
    return {p.stem: p for p in sorted(_tool_folder().glob("*.py")) if not p.stem.startswith("_")}


def tool_names() -> list[str]:
    """The catalog's tool names, sorted."""
    return list(_files())


def tool_class(name: str) -> type[Tool]:
    """The Tool subclass of ``agentvision.tools.<name>``."""
    files = _files()
    if name not in files:
        raise ToolNotFoundError(f"unknown tool {name!r}; the catalog has: {', '.join(files)}")
    module = importlib.import_module(f"{__name__}.{name}")
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
    out = []
    for name, path in _files().items():
        cls = tool_class(name)
        out.append(ToolInfo(name, inspect.cleandoc(cls.description), dict(cls.inputs), cls.output_type, path))
    return out


def make_tool(name: str, context: ToolContext | None = None) -> Tool:
    """An instance of the catalog tool ``name``, bound to ``context`` (a fresh ToolContext unless given)."""
    return tool_class(name)(context=context if context is not None else ToolContext())


def make_tools(names: list[str] | None = None, context: ToolContext | None = None) -> list[Tool]:
    """Instances of the named catalog tools (default: all), sharing one ``context``."""
    context = context if context is not None else ToolContext()
    return [make_tool(n, context) for n in (names if names is not None else tool_names())]


__all__ = ["ToolInfo", "ToolNotFoundError", "catalog", "make_tool", "make_tools", "tool_class", "tool_names"]
