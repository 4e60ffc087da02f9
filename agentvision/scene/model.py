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


WRAPS = ("repeat", "mirror", "clamp")  # a texture's wrap modes, as glTF samplers and Mitsuba's bitmap name them
ALPHA_MODES = ("opaque", "mask", "blend")
# Per-corner data a mesh carries in ``trimesh.Trimesh.face_attributes``, one value per corner of each face
# as Blender stores UVs (kept through copies and transforms; a seam needs no split vertices, so closed meshes
# stay closed). :func:`per_vertex` turns them into glTF's and Mitsuba's per-vertex arrays.
UV = "uv"  # (F, 3, 2) float32 texture coordinates, glTF's convention: (0, 0) is the image's top-left corner
COLOR = "color"  # (F, 3, 4) float32 linear RGBA, multiplying the base colour (glTF COLOR_0; PLY/OBJ colours decoded)


@dataclass(frozen=True, eq=False)
class Texture:
    """An image a material reads through its mesh's UVs (:data:`UV`).

    ``pixels`` is (H, W, C) uint8 with C in 1..4, as the file stores it (read-only; row 0 is the
    image's top, where v = 0). ``srgb`` says the values are sRGB-encoded colour (base colour,
    emissive); data maps (normal, metallic-roughness) are linear. ``wrap`` is per axis (u, v), one
    of :data:`WRAPS`. One Texture is shared by every material and scene copy that uses it (compared
    by identity). A path engine hands it to Mitsuba as is: ``mi.Bitmap(t.pixels)`` in a ``bitmap``
    texture with ``raw=not t.srgb`` and ``wrap_mode=t.wrap[0]``, UVs unchanged.
    """

    pixels: np.ndarray
    srgb: bool = True
    wrap: tuple[str, str] = ("repeat", "repeat")
    name: str = ""

    def __post_init__(self) -> None:
        pixels = np.asarray(self.pixels)
        if pixels.ndim == 2:
            pixels = pixels[..., None]
        if pixels.dtype != np.uint8 or pixels.ndim != 3 or not 1 <= pixels.shape[2] <= 4 or 0 in pixels.shape:
            shape = f"{pixels.dtype} {pixels.shape}"
            raise SceneError(f"texture {self.name!r}: pixels must be (H, W, 1..4) uint8, not {shape}")
        if any(w not in WRAPS for w in self.wrap):
            raise SceneError(f"texture {self.name!r}: wrap {self.wrap} must be two of {', '.join(WRAPS)}")
        if pixels.flags.writeable:  # a private, read-only copy: nothing can change a shared texture
            pixels = pixels.copy()
            pixels.flags.writeable = False
        object.__setattr__(self, "pixels", pixels)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.pixels.shape[1]), int(self.pixels.shape[0])

    @property
    def channels(self) -> int:
        return int(self.pixels.shape[2])


@dataclass(frozen=True)
class Material:
    """Surface appearance after glTF's metallic-roughness model. Colours are linear RGB in [0, 1].

    Factors multiply their maps (glTF's rule): the base colour is ``base_color`` x ``base_color_map``
    (sRGB, decoded) x the mesh's vertex colours (:data:`COLOR`); roughness and metallic are the
    factors x the map's green and blue channels; emission is ``emissive`` x ``emissive_map``. The
    normal map is tangent space with +Y up (OpenGL and glTF), scaled in X and Y by ``normal_scale``.
    The base colour map's alpha cuts holes where it is below ``alpha_cutoff`` ('mask'); 'blend' is
    drawn as a cut-out at 0.5 by the raycast and gl engines, and a blend that is see-through
    everywhere loads as glass. ``mean_color`` is the surface's one colour (everything
    above averaged over its area) where a single colour is needed: the top-down map and colour
    words; renders sample the maps.
    """

    base_color: tuple[float, float, float] = (0.6, 0.6, 0.6)
    roughness: float = 0.8
    emissive: tuple[float, float, float] = (0.0, 0.0, 0.0)
    glass: bool = False  # shows the sky through it and lets sunlight pass (windows, skylights)
    name: str = ""
    metallic: float = 0.0
    base_color_map: Texture | None = None
    normal_map: Texture | None = None
    normal_scale: float = 1.0
    metallic_roughness_map: Texture | None = None
    emissive_map: Texture | None = None
    alpha_mode: str = "opaque"
    alpha_cutoff: float = 0.5
    mean_color: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.alpha_mode not in ALPHA_MODES:
            raise SceneError(f"material {self.name!r}: alpha_mode {self.alpha_mode!r} is not one of {ALPHA_MODES}")

    @property
    def is_emissive(self) -> bool:
        return max(self.emissive) > 0.0

    @property
    def color(self) -> tuple[float, float, float]:
        """The one colour of this surface: ``mean_color`` when the maps were averaged, else the base colour."""
        return self.mean_color if self.mean_color is not None else self.base_color

    @property
    def maps(self) -> dict[str, Texture]:
        """The textures this material reads, by field name."""
        names = ("base_color_map", "normal_map", "metallic_roughness_map", "emissive_map")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    @property
    def cutout(self) -> float | None:
        """The alpha below which the surface is a hole, or None for an opaque one."""
        if self.alpha_mode == "opaque" or self.base_color_map is None or self.base_color_map.channels not in (2, 4):
            return None
        return self.alpha_cutoff if self.alpha_mode == "mask" else 0.5


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

    @property
    def uv(self) -> np.ndarray | None:
        """(F, 3, 2) texture coordinates per face corner (:data:`UV`), or None."""
        return self.mesh.face_attributes.get(UV)

    @property
    def colors(self) -> np.ndarray | None:
        """(F, 3, 4) linear RGBA colours per face corner (:data:`COLOR`), or None."""
        return self.mesh.face_attributes.get(COLOR)


def per_vertex(mesh: trimesh.Trimesh) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Vertices, faces and per-vertex attributes of ``mesh``: a vertex is split where its corners'
    UVs or colours differ (a seam), as glTF and Mitsuba want them."""
    faces = np.asarray(mesh.faces, dtype=np.int64)
    corners = {k: np.asarray(v, np.float32) for k, v in mesh.face_attributes.items() if k in (UV, COLOR)}
    if not corners:
        return np.asarray(mesh.vertices, dtype=np.float64), faces, {}
    flat = {k: v.reshape(len(faces) * 3, -1) for k, v in corners.items()}
    rows = np.concatenate([faces.reshape(-1, 1).astype(np.float64), *flat.values()], axis=1)
    _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    vertices = np.asarray(mesh.vertices, dtype=np.float64)[faces.reshape(-1)[first]]
    attributes = {k: v[first] for k, v in flat.items()}
    return vertices, inverse.reshape(-1, 3), attributes


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
