"""The scene library: procedural builders in the shipped ``scenes/`` folder, and load_scene.

Each library scene is a Python file ``scenes/<name>.py`` defining ``DESCRIPTION`` and
``build() -> Scene`` (geometry, materials, lamps, floor; no lighting). Builders are
deterministic. Files are loaded by path, never imported as a top-level ``scenes`` package.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

from agentvision.content import content_dir
from agentvision.scene.model import Scene, SceneError


def _builders() -> dict[str, Path]:
    folder = content_dir("scenes")
    return {p.stem: p for p in sorted(folder.glob("*.py")) if not p.stem.startswith("_")}


def library_names() -> list[str]:
    """Names of the library scenes, sorted."""
    return list(_builders())


def builder_path(name: str) -> Path:
    """The builder file of library scene ``name``; SceneError listing the library for an unknown name."""
    builders = _builders()
    if name not in builders:
        raise SceneError(f"unknown scene {name!r}; the library has: {', '.join(builders)} (or give a file path)")
    return builders[name]


@cache
def _module(name: str) -> ModuleType:
    path = builder_path(name)
    spec = importlib.util.spec_from_file_location(f"agentvision._scene_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def describe(name: str) -> str:
    return getattr(_module(name), "DESCRIPTION", "")


@cache
def _build(name: str) -> Scene:
    scene = _module(name).build()
    scene.source = name
    return scene


def library_scene(name: str) -> Scene:
    """Build a library scene (unlit). Unknown names raise SceneError listing the library."""
    builder_path(name)
    return _build(name)


def load_scene(name_or_path: str | Path, time_of_day: str | None = None) -> Scene:
    """A library scene by name, or a glTF/GLB, OBJ, PLY or STL file, lit by a time-of-day preset."""
    from agentvision.scene.files import load_file  # trimesh's loaders: imported when a scene is loaded
    from agentvision.scene.lighting import apply_time_of_day

    text = str(name_or_path)
    if text in _builders():
        scene = library_scene(text)
    elif Path(text).suffix or "/" in text or Path(text).exists():
        scene = load_file(text)  # says which suffixes are supported, or that the file is missing
    else:
        scene = library_scene(text)  # raises with the library list
    return apply_time_of_day(scene, time_of_day)
