"""What a scene holds, without its geometry: object names, labels, materials, colours and boxes.

A :class:`SceneCatalog` is enough to read an intent against a scene (which objects it names, which
is the red one or the left one) and to list the library, so neither has to build every scene. The
library's catalogs are cached on disk, keyed on the content of the scene's builder file, its asset
folder and the modelling code it uses (``agentvision/scene/*.py``, ``conventions.py``), so an edited
scene is rebuilt once, then read.
The cache folder is ``$AGENTVISION_CACHE`` or ``~/.cache/agentvision``; a cache that cannot be
written is skipped silently (the catalog is then built each time).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np

CATALOG_VERSION = 1  # bump when the catalog's fields change


@dataclass(frozen=True)
class CatalogObject:
    """One object as an intent reader sees it."""

    name: str
    label: str
    material: str  # the material's name ("oak", "teal_velvet")
    base_color: tuple[float, float, float]  # linear RGB: the surface's one colour (Material.color)
    lo: tuple[float, float, float]  # axis-aligned box, metres
    hi: tuple[float, float, float]
    lamp: bool = False


@dataclass(frozen=True)
class SceneCatalog:
    """A scene's objects and framing facts, with no geometry."""

    name: str
    source: str
    description: str
    interior: bool
    floor_z: float | None
    default_view: dict | None
    triangles: int
    objects: tuple[CatalogObject, ...]

    @classmethod
    def of(cls, scene) -> SceneCatalog:
        """The catalog of a built (or loaded) Scene."""
        lamps = scene.lamp_objects
        objects = tuple(
            CatalogObject(
                o.name,
                o.label,
                o.material.name,
                tuple(float(c) for c in o.material.color),
                tuple(float(v) for v in o.bounds[0]),
                tuple(float(v) for v in o.bounds[1]),
                o.name in lamps,
            )
            for o in scene.objects
        )
        return cls(
            scene.name,
            scene.source or scene.name,
            scene.description,
            bool(scene.interior),
            None if scene.floor_z is None else float(scene.floor_z),
            dict(scene.default_view) if scene.default_view else None,
            int(scene.triangle_count),
            objects,
        )

    @property
    def names(self) -> list[str]:
        return [o.name for o in self.objects]

    @property
    def bounds(self) -> np.ndarray:
        """(2, 3) box around every object."""
        if not self.objects:
            return np.zeros((2, 3))
        lo = np.min([o.lo for o in self.objects], axis=0)
        hi = np.max([o.hi for o in self.objects], axis=0)
        return np.stack([lo, hi])

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SceneCatalog:
        objects = tuple(
            CatalogObject(**{**o, "base_color": tuple(o["base_color"]), "lo": tuple(o["lo"]), "hi": tuple(o["hi"])})
            for o in data["objects"]
        )
        return cls(**{**data, "objects": objects})


def cache_dir() -> Path:
    """Where agentvision keeps what it can rebuild ($AGENTVISION_CACHE, else ~/.cache/agentvision)."""
    return Path(os.environ.get("AGENTVISION_CACHE") or Path.home() / ".cache" / "agentvision")


def _fingerprint(builder: Path) -> str:
    """Content hash of a library scene's builder, of the asset files beside it (``<name>/``) and of
    the modelling code it runs."""
    h = hashlib.sha256(f"catalog-{CATALOG_VERSION}".encode())
    h.update(builder.read_bytes())
    assets = builder.with_suffix("")
    for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
        if path.is_file():
            h.update(str(path.relative_to(assets)).encode())
            h.update(path.read_bytes())
    code = Path(__file__).parent
    for path in [code.parent / "conventions.py", *sorted(code.glob("*.py"))]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@cache
def library_catalog(name: str) -> SceneCatalog:
    """The catalog of library scene ``name``, from the disk cache when its builder is unchanged."""
    from agentvision.scene.library import builder_path, library_scene

    path = builder_path(name)  # raises SceneError for an unknown name
    cached = cache_dir() / "catalogs" / f"{name}-{_fingerprint(path)}.json"
    try:
        return SceneCatalog.from_dict(json.loads(cached.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    catalog = SceneCatalog.of(library_scene(name))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(catalog.to_dict()))
        tmp.replace(cached)
    except OSError:
        pass
    return catalog
