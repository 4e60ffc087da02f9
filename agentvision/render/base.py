"""The Renderer interface shared by every engine, and its result and settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from agentvision.camera import Camera
from agentvision.errors import MissingDependency
from agentvision.scene.model import Scene


class RendererError(MissingDependency):
    """A renderer that cannot run here, with what to install or set."""


@dataclass(frozen=True)
class RenderSettings:
    """What a render computes beyond one shaded sample per pixel.

    ``preview()`` is what a search loop uses; ``final()`` is for the photograph.
    """

    shadows: bool = True
    antialias: int = 1  # samples per pixel (1 = one ray through the pixel centre)
    ambient_occlusion: int = 0  # AO rays per pixel (0 = off)
    depth_of_field: bool = False  # blur by the camera's f-number and focus distance
    focus_distance: float | None = None  # metres; None focuses on the look_at point

    @classmethod
    def preview(cls) -> RenderSettings:
        return cls()

    @classmethod
    def final(cls) -> RenderSettings:
        return cls(antialias=5, ambient_occlusion=12, depth_of_field=True)


@dataclass
class RenderResult:
    """What every engine returns for one camera."""

    rgb: np.ndarray  # (H, W, 3) uint8, sRGB
    depth: np.ndarray  # (H, W) float32 camera-space z in metres, inf where nothing is hit
    ids: np.ndarray  # (H, W) int32 object index into scene.objects, -1 for background
    names: list[str]  # scene.objects' names, so ids can be read without the scene
    camera: Camera
    engine: str
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def image(self):
        """The RGB image as a PIL Image."""
        from PIL import Image

        return Image.fromarray(self.rgb)

    def save(self, path) -> None:
        self.image().save(path)

    def pixel_counts(self) -> dict[str, int]:
        """Pixels covered by each visible object, by name."""
        ids, counts = np.unique(self.ids[self.ids >= 0], return_counts=True)
        return {self.names[i]: int(c) for i, c in zip(ids, counts, strict=True)}

    def world_normals(self) -> np.ndarray:
        """(H, W, 3) unit surface normals in world space, turned toward the camera, read from the depth map
        (NaN where nothing is hit or the depth jumps between neighbours: at silhouettes there is no surface)."""
        h, w = self.depth.shape
        k = self.camera.intrinsics()
        u, v = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
        z = np.where(np.isfinite(self.depth), self.depth, np.nan).astype(np.float64)
        points = np.stack([(u - k[0, 2]) / k[0, 0] * z, (v - k[1, 2]) / k[1, 1] * z, z], axis=-1) @ self.camera.basis()
        du, dv = np.gradient(points, axis=1), np.gradient(points, axis=0)
        n = np.cross(du, dv)
        with np.errstate(invalid="ignore", divide="ignore"):
            n /= np.linalg.norm(n, axis=-1, keepdims=True)
            rays = points / np.linalg.norm(points, axis=-1, keepdims=True)  # camera -> surface, world axes
            n *= -np.sign(np.sum(n * rays, axis=-1, keepdims=True))
            jump = np.maximum(np.abs(np.gradient(z, axis=0)), np.abs(np.gradient(z, axis=1))) > 0.05 * z
        n[jump] = np.nan
        return n


MAX_WIDTH = 6144
"""The widest image agentvision renders (photo, render) or judges. A final render's peak memory grows with
its pixels (measured on the staircase at dusk: raycast 1.1 GB at 1920x1280 and 3.7 GB at 4096x2731; the
path engine 2.7 GB and 5.0 GB), so 6144x4096 needs about 8-9 GB with either, which a 16-24 GB machine
holds beside the rest. The camera JSON allows up to 16384 px; wider renders are refused before any work."""


def check_width(width: int, what: str = "width") -> int:
    """``width`` if it is a whole number of pixels in 16..MAX_WIDTH; else an InputError saying the range."""
    from agentvision.errors import InputError

    if isinstance(width, bool) or not isinstance(width, int) or not 16 <= width <= MAX_WIDTH:
        raise InputError(f"{what} {width!r} px is outside 16..{MAX_WIDTH} (the widest image this machine renders)")
    return width


@runtime_checkable
class Renderer(Protocol):
    """An engine that renders a lit Scene from a Camera."""

    name: str

    def render(self, scene: Scene, camera: Camera, settings: RenderSettings | None = None) -> RenderResult: ...
