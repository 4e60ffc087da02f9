"""The engines by name: one instance each per process, the final-render fallback, and rendering with one."""

from __future__ import annotations

from agentvision.render.base import Renderer, RendererError, RenderResult, RenderSettings

ENGINES = ("raycast", "gl", "path")
DEFAULT_ENGINE = "raycast"

_INSTANCES: dict[str, Renderer] = {}  # explicit cache: one engine object per name


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


def render_scene(scene, camera, settings: RenderSettings | None = None, engine: str = DEFAULT_ENGINE) -> RenderResult:
    """Render ``scene`` from ``camera`` with the named engine."""
    return get_renderer(engine).render(scene, camera, settings)
