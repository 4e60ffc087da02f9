"""Renderers: one interface (:class:`Renderer`), three engines picked by name.

``raycast`` (default) shades Embree ray hits with numpy; ``gl`` rasterises with pyrender
offscreen (EGL or OSMesa); ``path`` path-traces physically based finals with Mitsuba 3
(:func:`final_engine` falls back to raycast where it cannot run). All return RGB, depth and
instance ids for the same camera.

The package itself is callable, so that ``av.render(scene, camera, ...)`` works beside
``av.render.RenderSettings``: calling it is :func:`agentvision.api.render` (a scene name, file or
Scene; a Camera or its JSON dict; quality, width, time of day and engine as keywords).
"""

from __future__ import annotations

import sys
import types

from agentvision.render.base import Renderer, RenderResult, RenderSettings

ENGINES = ("raycast", "gl", "path")
DEFAULT_ENGINE = "raycast"

_INSTANCES: dict[str, Renderer] = {}  # explicit cache: one engine object per name


class RendererError(RuntimeError):
    """A renderer that cannot run here, with what to install or set."""


def get_renderer(name: str = DEFAULT_ENGINE) -> Renderer:
    """The engine called ``name`` ('raycast', 'gl' or 'path'), created once per process."""
    if name not in ENGINES:
        raise RendererError(f"unknown renderer {name!r}; use one of {', '.join(ENGINES)}")
    if name not in _INSTANCES:
        if name == "raycast":
            from agentvision.render.raycast import RaycastRenderer

            _INSTANCES[name] = RaycastRenderer()
        elif name == "path":
            from agentvision.render.path import PathRenderer

            _INSTANCES[name] = PathRenderer()
        else:
            from agentvision.render.gl import GLRenderer

            _INSTANCES[name] = GLRenderer()
    return _INSTANCES[name]


def final_engine(name: str = "path") -> tuple[Renderer, str | None]:
    """The engine for a final render, and a one-line note when it cannot run here and raycast
    renders instead (None when ``name`` runs)."""
    try:
        return get_renderer(name), None
    except RendererError as exc:
        if name == DEFAULT_ENGINE:
            raise
        note = f"the {name} engine cannot run here ({exc}); rendered with {DEFAULT_ENGINE}"
        return get_renderer(DEFAULT_ENGINE), note


def render(scene, camera, settings: RenderSettings | None = None, engine: str = DEFAULT_ENGINE) -> RenderResult:
    """Render ``scene`` from ``camera`` with the named engine."""
    return get_renderer(engine).render(scene, camera, settings)


__all__ = [
    "ENGINES",
    "Renderer",
    "RenderResult",
    "RenderSettings",
    "RendererError",
    "final_engine",
    "get_renderer",
    "render",
]


class _CallablePackage(types.ModuleType):
    def __call__(self, scene, camera=None, **options) -> RenderResult:
        """Render ``scene`` from ``camera``: see :func:`agentvision.api.render`."""
        from agentvision.api import render as render_scene

        return render_scene(scene, camera, **options)


sys.modules[__name__].__class__ = _CallablePackage
