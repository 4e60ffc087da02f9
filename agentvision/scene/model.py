"""The Scene data model: named objects with materials, lamps, lighting, floor and bounds.

Units, axes and colour space are those of :mod:`agentvision.conventions` (metres, Z up, linear
RGB). Meshes are stored in world coordinates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from agentvision.errors import InputError

if TYPE_CHECKING:
    import trimesh

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class SceneError(InputError):
    """A scene that cannot be built or loaded, with the reason and what to do."""


@dataclass(frozen=True)
class Material:
    """Surface appearance. Colours are linear RGB in [0, 1]."""

    base_color: tuple[float, float, float] = (0.6, 0.6, 0.6)
    roughness: float = 0.8
    emissive: tuple[float, float, float] = (0.0, 0.0, 0.0)
    glass: bool = False  # shows the sky through it and lets sunlight pass (windows, skylights)
    name: str = ""

    @property
    def is_emissive(self) -> bool:
        return max(self.emissive) > 0.0


@dataclass
class SceneObject:
    """One named, labelled object: a mesh in world coordinates and its material."""

    name: str
    label: str
    mesh: trimesh.Trimesh
    material: Material = field(default_factory=Material)

    def __post_init__(self) -> None:
        if not NAME_RE.match(self.name):
            raise SceneError(f"object name {self.name!r} is not snake_case (a-z, 0-9, _)")

    @property
    def bounds(self) -> np.ndarray:
        return self.mesh.bounds

    @property
    def centroid(self) -> np.ndarray:
        return self.mesh.bounds.mean(axis=0)


@dataclass(frozen=True)
class Lamp:
    """A light source attached to an object; it shines only while the lighting turns lamps on."""

    object: str
    position: tuple[float, float, float]
    color: tuple[float, float, float] = (1.0, 0.75, 0.45)
    intensity: float = 2.0  # radiant intensity; irradiance at distance d is intensity / d**2


@dataclass(frozen=True)
class Sun:
    direction: tuple[float, float, float]  # unit vector pointing from the scene toward the sun
    color: tuple[float, float, float]
    intensity: float

    @property
    def elevation_deg(self) -> float:
        return float(np.degrees(np.arcsin(np.clip(self.direction[2], -1, 1))))

    @property
    def shines(self) -> bool:
        """True when sunlight reaches surfaces: some intensity, from above the horizon (both engines)."""
        return self.intensity > 0 and self.direction[2] > 0


@dataclass(frozen=True)
class Sky:
    zenith: tuple[float, float, float]
    horizon: tuple[float, float, float]
    ground: tuple[float, float, float]

    def radiance(self, directions: np.ndarray) -> np.ndarray:
        """Sky colour for unit directions (..., 3): horizon -> zenith above, ground below."""
        z = directions[..., 2:3]
        up = np.clip(z, 0.0, 1.0) ** 0.5
        sky = (1 - up) * np.asarray(self.horizon) + up * np.asarray(self.zenith)
        down = np.clip(-z * 4.0, 0.0, 1.0)
        ground = (1 - down) * np.asarray(self.horizon) + down * np.asarray(self.ground)
        return np.where(z >= 0, sky, ground).astype(np.float32)


@dataclass(frozen=True)
class Lighting:
    """A time-of-day state: sun, sky, ambient light, exposure and whether lamps are on."""

    preset: str
    sun: Sun
    sky: Sky
    ambient: tuple[float, float, float]  # sky-dome light reaching surfaces that face up
    exposure: float  # linear multiplier applied before tone mapping
    lamps_on: bool
    key: float = 0.18  # metering target (log-average display luminance) of this time of day


class GeometryToken:
    """Identity of a scene's geometry; shared by copies that only change the lighting."""


@dataclass(eq=False)
class Scene:
    """A 3D scene: objects, lamps, lighting, floor level and bounds."""

    name: str
    objects: list[SceneObject]
    lamps: list[Lamp] = field(default_factory=list)
    lighting: Lighting | None = None
    floor_z: float | None = 0.0  # None: the scene has no floor
    interior: bool = False  # a closed room: cameras belong inside it
    description: str = ""
    source: str = ""  # library name or file path it came from
    default_view: dict | None = None  # camera JSON fields of a good overview (else framed from the bounds)
    geometry: GeometryToken = field(default_factory=GeometryToken, repr=False)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for obj in self.objects:
            if obj.name in seen:
                raise SceneError(f"scene {self.name!r} has two objects named {obj.name!r}")
            seen.add(obj.name)
        for lamp in self.lamps:
            if lamp.object not in seen:
                raise SceneError(f"lamp refers to unknown object {lamp.object!r}")

    # ----- look-ups -----------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [o.name for o in self.objects]

    def index(self, name: str) -> int:
        for i, obj in enumerate(self.objects):
            if obj.name == name:
                return i
        raise SceneError(f"scene {self.name!r} has no object {name!r}; it has: {', '.join(self.names)}")

    def get(self, name: str) -> SceneObject:
        return self.objects[self.index(name)]

    def find(self, name_or_label: str) -> list[SceneObject]:
        """Objects whose name or label equals ``name_or_label``."""
        return [o for o in self.objects if name_or_label in (o.name, o.label)]

    @property
    def lamp_objects(self) -> set[str]:
        return {lamp.object for lamp in self.lamps}

    @property
    def bounds(self) -> np.ndarray:
        """(2, 3) axis-aligned bounds of all objects."""
        if not self.objects:
            return np.zeros((2, 3))
        b = np.array([o.bounds for o in self.objects])
        return np.stack([b[:, 0].min(axis=0), b[:, 1].max(axis=0)])

    @property
    def triangle_count(self) -> int:
        return sum(len(o.mesh.faces) for o in self.objects)

    def with_lighting(self, lighting: Lighting) -> Scene:
        return replace(self, lighting=lighting)
