"""Ray casting against a Scene: one interface, interchangeable backends picked at load.

``open3d`` (Embree through ``open3d.t.geometry.RaycastingScene``) is the default backend. Where
open3d cannot be imported (it needs the system library libusb-1.0-0), ``embreex`` through
trimesh is used instead, and a warning says so once. Both answer in object indices of
``Scene.objects`` (``BACKGROUND_ID`` where nothing is hit).
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass, field

import numpy as np

from agentvision.conventions import BACKGROUND_ID
from agentvision.scene.model import Scene, SceneObject

log = logging.getLogger(__name__)


@dataclass
class Hits:
    t: np.ndarray  # (N,) float32 ray parameter (distance for unit directions), inf on a miss
    ids: np.ndarray  # (N,) int32 object index or BACKGROUND_ID
    normals: np.ndarray  # (N, 3) unit face normal of the hit triangle (zeros on a miss)
    prims: np.ndarray | None = None  # (N,) triangle index within the hit object's mesh (-1 on a miss)
    uvs: np.ndarray | None = None  # (N, 2) barycentric (u, v): p = (1-u-v) v0 + u v1 + v v2


def _misses(n: int) -> Hits:
    f32 = np.float32
    return Hits(
        np.full(n, np.inf, f32),
        np.full(n, BACKGROUND_ID, np.int32),
        np.zeros((n, 3), f32),
        np.full(n, -1),
        np.zeros((n, 2), f32),
    )


class RayEngine:
    """Closest-hit and occlusion queries over a set of (object index, mesh) pairs."""

    name = "abstract"

    def cast(self, origins: np.ndarray, directions: np.ndarray) -> Hits:
        raise NotImplementedError

    def occluded(self, origins: np.ndarray, directions: np.ndarray, tmax: np.ndarray | float) -> np.ndarray:
        """True where a ray hits anything before ``tmax``."""
        raise NotImplementedError


class Open3DEngine(RayEngine):
    name = "open3d"

    def __init__(self, items: list[tuple[int, object]]):
        import open3d as o3d

        self._o3d = o3d
        self._scene = o3d.t.geometry.RaycastingScene()
        lut = []
        for index, mesh in items:
            if len(mesh.faces) == 0:
                continue
            gid = self._scene.add_triangles(
                np.ascontiguousarray(mesh.vertices, dtype=np.float32),
                np.ascontiguousarray(mesh.faces, dtype=np.uint32),
            )
            lut.extend([BACKGROUND_ID] * (gid + 1 - len(lut)))
            lut[gid] = index
        self._lut = np.array(lut + [BACKGROUND_ID], dtype=np.int32)
        self._empty = not lut

    def _rays(self, origins, directions):
        rays = np.empty((len(directions), 6), dtype=np.float32)
        rays[:, :3], rays[:, 3:] = origins, directions
        return self._o3d.core.Tensor(rays)

    def cast(self, origins, directions):
        n = len(origins)
        if self._empty:
            return _misses(n)
        out = self._scene.cast_rays(self._rays(origins, directions))
        t = out["t_hit"].numpy()
        gid = out["geometry_ids"].numpy().astype(np.int64)
        miss = gid >= len(self._lut) - 1  # INVALID_ID
        gid = np.where(miss, len(self._lut) - 1, gid)
        prims = np.where(miss, -1, out["primitive_ids"].numpy().astype(np.int64))
        normals = out["primitive_normals"].numpy()
        return Hits(t, self._lut[gid], normals, prims, out["primitive_uvs"].numpy())

    def occluded(self, origins, directions, tmax):
        if self._empty:
            return np.zeros(len(origins), dtype=bool)
        rays = self._rays(origins, directions)
        if np.ndim(tmax) == 0:
            return self._scene.test_occlusions(rays, tfar=float(tmax)).numpy().astype(bool)
        return self._scene.cast_rays(rays)["t_hit"].numpy() < np.asarray(tmax)


class EmbreexEngine(RayEngine):
    name = "embreex"

    def __init__(self, items: list[tuple[int, object]]):
        import trimesh
        from trimesh.ray.ray_pyembree import RayMeshIntersector

        items = [(i, m) for i, m in items if len(m.faces)]
        self._empty = not items
        if self._empty:
            return
        self._lut = np.concatenate([np.full(len(m.faces), i, np.int32) for i, m in items])
        self._local = np.concatenate([np.arange(len(m.faces)) for _, m in items])
        self._mesh = trimesh.util.concatenate([m for _, m in items])
        self._normals = self._mesh.face_normals
        self._ray = RayMeshIntersector(self._mesh)

    def cast(self, origins, directions):
        import trimesh

        hits = _misses(len(origins))
        if self._empty:
            return hits
        tri, ray, loc = self._ray.intersects_id(origins, directions, multiple_hits=False, return_locations=True)
        hits.t[ray] = np.einsum("ij,ij->i", loc - origins[ray], directions[ray])
        hits.ids[ray] = self._lut[tri]
        hits.normals[ray] = self._normals[tri]
        hits.prims[ray] = self._local[tri]
        bary = trimesh.triangles.points_to_barycentric(self._mesh.triangles[tri], loc)
        hits.uvs[ray] = bary[:, 1:]
        return hits

    def occluded(self, origins, directions, tmax):
        return self.cast(origins, directions).t < np.asarray(tmax)


_BACKEND: type[RayEngine] | None = None


def backend() -> type[RayEngine]:
    """The ray backend class for this process: open3d, else embreex (warned once)."""
    global _BACKEND
    if _BACKEND is None:
        try:
            import open3d  # noqa: F401

            _BACKEND = Open3DEngine
        except (ImportError, OSError) as exc:
            log.warning("open3d unavailable (%s); using embreex through trimesh for ray casting", exc)
            _BACKEND = EmbreexEngine
    return _BACKEND


@dataclass
class SceneRays:
    """The engines a scene needs: every object, the shadow casters (glass excluded), and per lamp
    the casters of its shadows (glass and the lamp's own glowing object excluded)."""

    all: RayEngine
    shadow: RayEngine
    # The scene's objects, not the scene: the cache below is keyed on scene.geometry, and a value
    # holding the scene would keep its own key alive for good.
    objects: list[SceneObject]
    _lamps: dict = field(default_factory=dict)

    def lamp_shadow(self, lamp_object: str) -> RayEngine:
        engine = self._lamps.get(lamp_object)
        if engine is None:
            objs = self.objects
            items = [(i, o.mesh) for i, o in enumerate(objs) if not o.material.glass and o.name != lamp_object]
            engine = self._lamps[lamp_object] = type(self.shadow)(items)
        return engine


# Explicit cache: one set of engines per scene geometry (lighting copies share it), dropped when
# no scene holds that geometry any more.
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def scene_rays(scene: Scene) -> SceneRays:
    """Ray engines for ``scene`` (built once per geometry and cached)."""
    rays = _CACHE.get(scene.geometry)
    if rays is None:
        engine = backend()
        items = [(i, o.mesh) for i, o in enumerate(scene.objects)]
        casters = [(i, o.mesh) for i, o in enumerate(scene.objects) if not o.material.glass]
        rays = SceneRays(engine(items), engine(casters), list(scene.objects))
        _CACHE[scene.geometry] = rays
    return rays
