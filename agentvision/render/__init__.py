"""Renderers: one interface (:class:`Renderer`), two engines picked by name.

``raycast`` (default) shades Embree ray hits with numpy; ``gl`` rasterises with pyrender
offscreen (EGL or OSMesa). Both return RGB, depth and instance ids for the same camera.

``av.render(scene, camera, ...)`` (:func:`agentvision.api.render`) is the user's way in: a scene name,
file or Scene, a Camera or its JSON dict, quality, width, time of day and engine as keywords.
"""

from __future__ import annotations

from agentvision.render.base import Renderer, RendererError, RenderResult, RenderSettings

ENGINES = ("raycast", "gl")
DEFAULT_ENGINE = "raycast"

_INSTANCES: dict[str, Renderer] = {}  # explicit cache: one engine object per name


def get_renderer(name: str = DEFAULT_ENGINE) -> Renderer:
    """The engine called ``name`` ('raycast' or 'gl'), created once per process."""
    if name not in ENGINES:
        raise RendererError(f"unknown renderer {name!r}; use one of {', '.join(ENGINES)}")
    if name not in _INSTANCES:
        if name == "raycast":
            from agentvision.render.raycast import RaycastRenderer

            _INSTANCES[name] = RaycastRenderer()
        else:
            from agentvision.render.gl import GLRenderer

            _INSTANCES[name] = GLRenderer()
    return _INSTANCES[name]


def render_scene(scene, camera, settings: RenderSettings | None = None, engine: str = DEFAULT_ENGINE) -> RenderResult:
    """Render ``scene`` from ``camera`` with the named engine."""
    return get_renderer(engine).render(scene, camera, settings)


__all__ = ["ENGINES", "Renderer", "RenderResult", "RenderSettings", "RendererError", "get_renderer", "render_scene"]
