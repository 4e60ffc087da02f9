"""A scene's overview camera, and warnings about a camera that rendered but probably not as meant."""

from __future__ import annotations

from agentvision.camera import Camera, frame_bounds
from agentvision.render.base import RenderResult
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
