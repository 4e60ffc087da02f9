"""Renderers: one interface (:class:`Renderer`), three engines picked by name.

``raycast`` (default) shades Embree ray hits with numpy; ``gl`` rasterises with pyrender
offscreen (EGL or OSMesa); ``path`` path-traces physically based finals with Mitsuba 3
(:func:`final_engine` falls back to raycast where it cannot run). All return RGB, depth and
instance ids for the same camera.

The package is callable: ``av.render(scene, camera, ...)`` is :func:`agentvision.render.views.render_view`
(a scene name, file or Scene; a Camera or its JSON dict; quality, width, time of day and engine as
keywords), and ``av.render.RenderSettings``, ``av.render.get_renderer`` sit beside it. (A plain function
named ``render`` could not be: importing the subpackage ``agentvision.render`` replaces a package attribute
of that name.) The call is implemented inside this package, so nothing here imports a higher layer.
"""

from __future__ import annotations

import sys
import types

from agentvision.render.base import Renderer, RendererError, RenderResult, RenderSettings
from agentvision.render.engines import DEFAULT_ENGINE, ENGINES, final_engine, get_renderer, render_scene

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Renderer",
    "RenderResult",
    "RenderSettings",
    "RendererError",
    "final_engine",
    "get_renderer",
    "render_scene",
]


class _CallablePackage(types.ModuleType):
    def __call__(self, scene, camera=None, **options) -> RenderResult:
        """Render ``scene`` from ``camera``: see :func:`agentvision.render.views.render_view`."""
        from agentvision.render.views import render_view

        return render_view(scene, camera, **options)


sys.modules[__name__].__class__ = _CallablePackage
