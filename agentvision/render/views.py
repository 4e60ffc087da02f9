"""Rendering a scene by name or file from a camera (``av.render``), its overview camera, and warnings about a
camera that rendered but probably not as meant."""

from __future__ import annotations

from pathlib import Path

from agentvision.camera import Camera, CameraError, frame_bounds
from agentvision.errors import InputError
from agentvision.render.base import RenderResult, RenderSettings
from agentvision.render.engines import render_scene
from agentvision.scene.model import Scene
from agentvision.scene.queries import clearance, inside_geometry

DEFAULT_WIDTH = 1280


def default_camera(scene: Scene, width: int = DEFAULT_WIDTH) -> Camera:
    """The scene's own overview camera, or one framing its bounds."""
    if scene.default_view:
        return Camera.from_dict({"width": width, **scene.default_view})
    return frame_bounds(scene.bounds, width=width)


def camera_report(scene: Scene, camera: Camera, result: RenderResult) -> list[str]:
    """Warnings about a camera that rendered but probably not as intended."""
    notes = []
    if inside_geometry(scene, camera.position):
        notes.append(f"the camera at {list(camera.position)} is inside geometry; it sees the inside of an object")
    elif clearance(scene, camera.position) < 0.05:
        notes.append("the camera is less than 5 cm from a surface")
    if (result.ids < 0).all():
        notes.append("the camera faces nothing: no object is in frame (check --look-at)")
    return notes


def render_view(
    scene: str | Path | Scene,
    camera: Camera | dict | None = None,
    *,
    time_of_day: str | None = None,
    width: int | None = None,
    quality: str = "final",
    renderer: str = "raycast",
) -> RenderResult:
    """Render ``scene`` (name, file or Scene) from ``camera`` (a Camera or its JSON dict; None: the
    scene's overview camera). Returns the RenderResult: ``.image()`` is the PIL image, ``.rgb``
    linear RGB, ``.depth`` camera-space z, ``.ids`` instance ids (-1 background), ``.save(path)``.
    ``quality``: "final" (antialiasing, ambient occlusion, depth of field) or "preview" (fast).
    ``time_of_day`` relights the scene; ``width`` overrides the camera's."""
    from agentvision.scene.library import load_scene
    from agentvision.scene.lighting import apply_time_of_day

    if isinstance(scene, Scene):
        loaded = apply_time_of_day(scene, time_of_day) if time_of_day is not None else scene
    else:
        loaded = load_scene(scene, time_of_day)
    if camera is None:
        if not loaded.default_view:
            raise CameraError(f"scene {loaded.name!r} has no overview camera; pass camera=av.Camera(...)")
        camera = Camera.from_dict(loaded.default_view)
    elif isinstance(camera, dict):
        camera = Camera.from_dict(camera)
    if width is not None:
        camera = camera.with_width(width)
    if quality not in ("final", "preview"):
        raise InputError(f"quality {quality!r}: use 'final' or 'preview'")
    settings = RenderSettings.final() if quality == "final" else RenderSettings.preview()
    return render_scene(loaded, camera, settings, engine=renderer)
