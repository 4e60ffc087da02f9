"""Geometric questions about a scene: clearance, inside-ness, the ground below, pieces and label groups.

Pure functions over ``(Scene, Camera, ...)``. Rays come from :func:`agentvision.scene.rays.scene_rays`
and all projection maths from :class:`agentvision.camera.Camera`. Each single-point function has a
``*_batch`` twin for ``(N, 3)`` arrays.

Caches are explicit and keyed, like the ray engines, on ``scene.geometry`` (lighting copies share
them): a part index (every object split into its connected pieces, in one open3d
``RaycastingScene`` for distances and crossing lists). What a camera sees is in :mod:`visibility`.
Without open3d, distances come from trimesh (candidates pruned with a KD-tree) and crossings from
stepping along closest hits of the fallback ray engine: for inside tests part by part (so a face
of another part that coincides with it cannot hide a crossing), for :func:`surface_crossings` over
the whole scene (where a coincident face may be listed once).

Inside-ness (:func:`inside_geometry`) is decided per part (library objects merge closed pieces that
touch or overlap, like a sofa's seat and back), by casting 8 rays (4 directions and their
opposites) and counting each part's crossings along them. A ray votes "inside part k" when it
crosses k an odd number of times *and* its nearest crossing of k leaves through a back face (the
face normal points along the ray). A point is inside k when more than half the rays vote so.
Closed pieces (a sofa's seat, a wall slab) hold every vote from within; a lone open surface (a wall
plane, a ground plane) wins at most half, and a room built as an inward-facing shell none from its
free air. Parts whose winding is inconsistent use parity alone.
"""

from __future__ import annotations

import weakref

import numpy as np
import trimesh
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from agentvision.conventions import BACKGROUND_ID
from agentvision.scene.model import Scene, SceneError
from agentvision.scene.rays import Open3DEngine, backend, scene_rays

MAX_CROSSINGS = 128  # ray steps per ray when counting crossings without open3d
MAX_PARTS = 512  # an object in more pieces than this is tested as one piece
INSIDE_CHUNK = 1024  # points per batch in inside tests

# 4 directions spread over the sphere (a tetrahedron's vertices, turned off the axes so rays do
# not graze the edges of axis-aligned boxes), and their opposites.
_TETRA = np.array([[1.0, 1.0, 1.0], [1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]]) / np.sqrt(3.0)
_TURN = trimesh.transformations.euler_matrix(0.1234, 0.3456, 0.5678)[:3, :3]
INSIDE_DIRECTIONS = np.concatenate([_TETRA @ _TURN.T, -(_TETRA @ _TURN.T)])


# ----- part index (explicit cache) ---------------------------------------------------------------
def _parts_of(mesh: trimesh.Trimesh) -> list[np.ndarray]:
    """Face indices of each connected part of a mesh (parts share no vertex), or one list if too many."""
    faces = np.asarray(mesh.faces, dtype=np.int64)
    if len(faces) == 0:
        return []
    n_v = len(mesh.vertices)
    a = np.concatenate([faces[:, 0], faces[:, 1]])
    b = np.concatenate([faces[:, 1], faces[:, 2]])
    graph = coo_matrix((np.ones(len(a), bool), (a, b)), shape=(n_v, n_v))
    n, labels = connected_components(graph, directed=False)
    face_label = labels[faces[:, 0]]
    if n == 1 or n > MAX_PARTS:
        return [np.arange(len(faces))]
    order = np.argsort(face_label, kind="stable")
    return [p for p in np.split(order, np.flatnonzero(np.diff(face_label[order])) + 1) if len(p)]


def _submesh(mesh: trimesh.Trimesh, face_ids: np.ndarray) -> trimesh.Trimesh:
    faces = np.asarray(mesh.faces)[face_ids]
    used, inverse = np.unique(faces, return_inverse=True)
    return trimesh.Trimesh(np.asarray(mesh.vertices)[used], inverse.reshape(-1, 3), process=False)


class _PartIndex:
    """Every object split into its connected parts, for distances and inside tests.

    Library objects merge several closed parts (a sofa's seat and back) that may touch or overlap,
    so crossings are counted per part. With open3d, one ``RaycastingScene`` holding a geometry per
    part answers distances and lists *every* crossing along a ray (coincident faces included);
    without it, crossings are found by stepping along closest hits of the fallback ray engine and
    distances by :class:`_TrimeshDistance`.
    """

    def __init__(self, scene: Scene):
        owner, bounds, winding, normals, meshes = [], [], [], [], []
        for index, obj in enumerate(scene.objects):
            for face_ids in _parts_of(obj.mesh):
                part = _submesh(obj.mesh, face_ids)
                owner.append(index)
                bounds.append(part.bounds)
                winding.append(bool(part.is_winding_consistent))
                normals.append(np.asarray(part.face_normals, dtype=np.float64))
                meshes.append(part)
        self.owner = np.array(owner, dtype=np.int32)
        self.bounds = np.array(bounds).reshape(-1, 2, 3)
        self.winding = np.array(winding, dtype=bool)
        self.normal_offset = np.concatenate([[0], np.cumsum([len(n) for n in normals])]).astype(np.int64)
        self.normals = np.concatenate(normals) if normals else np.zeros((0, 3))
        self.empty = not meshes
        self._o3d = None
        if backend() is Open3DEngine:
            import open3d as o3d

            self._o3d = o3d
            self._scene = o3d.t.geometry.RaycastingScene()
            for part in meshes:  # geometry ids come out 0, 1, 2...: the part index
                self._scene.add_triangles(
                    np.ascontiguousarray(part.vertices, dtype=np.float32),
                    np.ascontiguousarray(part.faces, dtype=np.uint32),
                )
        else:
            self._meshes = meshes
            self._engine = backend()(list(enumerate(meshes)))
            self._part_engines: dict[int, object] = {}
            self._distance = _TrimeshDistance(scene)

    def distance(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N,) distance to the nearest surface and (N,) index of the object it belongs to."""
        if self._o3d is None:
            return self._distance.query(points)
        q = self._o3d.core.Tensor(np.ascontiguousarray(points, dtype=np.float32))
        out = self._scene.compute_closest_points(q)
        closest = out["points"].numpy().astype(np.float64)
        gid = out["geometry_ids"].numpy().astype(np.int64)
        ok = (gid >= 0) & (gid < len(self.owner))
        return np.linalg.norm(closest - points, axis=1), np.where(ok, self.owner[np.where(ok, gid, 0)], BACKGROUND_ID)

    def crossings(self, origins: np.ndarray, dirs: np.ndarray, step: float):
        """Every surface crossing along each ray: (ray, part, t, back_face) arrays."""
        if self._o3d is not None:
            rays = np.concatenate([origins, dirs], axis=1).astype(np.float32)
            out = self._scene.list_intersections(self._o3d.core.Tensor(np.ascontiguousarray(rays)))
            ray = out["ray_ids"].numpy().astype(np.int64)
            part = out["geometry_ids"].numpy().astype(np.int64)
            t = out["t_hit"].numpy().astype(np.float64)
            face = out["primitive_ids"].numpy().astype(np.int64)
        else:
            ray, part, t, normal = self._step_through(origins, dirs, step)
        if self._o3d is not None:
            normal = self.normals[self.normal_offset[part] + face]
        back = np.einsum("ij,ij->i", normal, dirs[ray]) > 0
        return ray, part, t, back

    def crossings_in_parts(self, origins: np.ndarray, dirs: np.ndarray, step: float, candidates: np.ndarray):
        """Like :meth:`crossings`, but only with the parts ``candidates[ray]`` lists (a bool (rays, parts)
        array). Without open3d each part is stepped through on its own, so faces of other parts that
        coincide with it (a wall's end against the next wall) cannot hide its crossings: the answer does
        not depend on which of two coincident faces the ray engine happens to report first."""
        if self._o3d is not None:
            ray, part, t, back = self.crossings(origins, dirs, step)
            keep = candidates[ray, part]
            return ray[keep], part[keep], t[keep], back[keep]
        out = [], [], [], []
        for k in np.flatnonzero(candidates.any(axis=0)):
            rows = np.flatnonzero(candidates[:, k])
            engine = self._part_engines.get(int(k))
            if engine is None:
                engine = self._part_engines[int(k)] = backend()([(int(k), self._meshes[k])])
            ray, part, t, normal = self._step_through(origins[rows], dirs[rows], step, engine)
            for acc, v in zip(out, (rows[ray], part, t, normal), strict=True):
                acc.append(v)
        if not out[0]:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool)
        ray, part, t, normal = (np.concatenate(v) for v in out)
        return ray, part, t, np.einsum("ij,ij->i", normal, dirs[ray]) > 0

    def _step_through(self, origins, dirs, step, engine=None):
        engine = engine or self._engine
        rays, parts, ts, normals = [], [], [], []
        o, travelled = origins.copy(), np.zeros(len(origins))
        active = np.arange(len(origins))
        for _ in range(MAX_CROSSINGS):
            if len(active) == 0:
                break
            hits = engine.cast(o[active], dirs[active])
            hit = (hits.ids >= 0) & np.isfinite(hits.t)
            rows = active[hit]
            rays.append(rows)
            parts.append(hits.ids[hit].astype(np.int64))
            ts.append(travelled[rows] + hits.t[hit])
            normals.append(hits.normals[hit])
            o[rows] += dirs[rows] * (hits.t[hit] + step)[:, None]
            travelled[rows] += hits.t[hit] + step
            active = rows
        if not rays:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 3))
        return np.concatenate(rays), np.concatenate(parts), np.concatenate(ts), np.concatenate(normals)


class _TrimeshDistance:
    """Fallback: exact distances with trimesh, candidates pruned by a KD-tree of triangle centres."""

    def __init__(self, scene: Scene):
        from scipy.spatial import cKDTree

        tris = [o.mesh.triangles for o in scene.objects if len(o.mesh.faces)]
        self.empty = not tris
        if self.empty:
            return
        self._tris = np.concatenate(tris)
        self._owner = np.concatenate(
            [np.full(len(o.mesh.faces), i, np.int32) for i, o in enumerate(scene.objects) if len(o.mesh.faces)]
        )
        centres = self._tris.mean(axis=1)
        self._radius = np.linalg.norm(self._tris - centres[:, None], axis=2).max(axis=1)
        self._rmax = float(self._radius.max())
        self._centres = cKDTree(centres)
        self._vertices = cKDTree(self._tris.reshape(-1, 3))

    def query(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dist = np.full(len(points), np.inf)
        ids = np.full(len(points), BACKGROUND_ID, np.int32)
        if self.empty:
            return dist, ids
        upper, _ = self._vertices.query(points)  # a real surface point: an upper bound
        for i, (p, ub) in enumerate(zip(points, upper, strict=True)):
            cand = np.asarray(self._centres.query_ball_point(p, ub + self._rmax), dtype=np.int64)
            cand = cand[np.linalg.norm(self._tris[cand].mean(axis=1) - p, axis=1) - self._radius[cand] <= ub + 1e-9]
            closest = trimesh.triangles.closest_point(self._tris[cand], np.repeat(p[None], len(cand), axis=0))
            d = np.linalg.norm(closest - p, axis=1)
            j = int(np.argmin(d))
            dist[i], ids[i] = d[j], self._owner[cand[j]]
        return dist, ids


_PARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _part_index(scene: Scene) -> _PartIndex:
    index = _PARTS.get(scene.geometry)
    if index is None:
        index = _PARTS[scene.geometry] = _PartIndex(scene)
    return index


def as_points(points, what: str = "points") -> np.ndarray:
    p = np.asarray(points, dtype=np.float64)
    if p.ndim == 1:
        p = p[None]
    if p.ndim != 2 or p.shape[1] != 3 or not np.all(np.isfinite(p)):
        raise SceneError(f"{what} must be finite [x, y, z] coordinates in metres (shape (3,) or (N, 3))")
    return p


# ----- clearance and nearest surface ------------------------------------------------------------
def clearance_batch(scene: Scene, points: np.ndarray) -> np.ndarray:
    """Distance in metres from each point (N, 3) to the nearest surface; inf for an empty scene."""
    p = as_points(points)
    index = _part_index(scene)
    if index.empty:
        return np.full(len(p), np.inf)
    return index.distance(p)[0]


def clearance(scene: Scene, point) -> float:
    """Distance in metres from ``point`` to the nearest surface of any object."""
    return float(clearance_batch(scene, as_points(point, "point"))[0])


def nearest_object(scene: Scene, point) -> tuple[str | None, float]:
    """(name, distance) of the object whose surface is nearest ``point``; (None, inf) if none."""
    index = _part_index(scene)
    if index.empty:
        return None, float("inf")
    d, ids = index.distance(as_points(point, "point"))
    return (scene.objects[int(ids[0])].name if ids[0] >= 0 else None), float(d[0])


def surface_crossings(scene: Scene, origins: np.ndarray, directions: np.ndarray):
    """Every surface crossing along rays: (ray index, object index, t, back_face) arrays, unsorted.

    ``directions`` must be unit vectors; ``back_face`` is True where the ray leaves a surface
    through its back (from inside a closed piece). Coincident faces are all listed with open3d.
    """
    o, d = as_points(origins, "origins"), as_points(directions, "directions")
    index = _part_index(scene)
    if index.empty or len(o) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0), np.zeros(0, bool)
    ray, part, t, back = index.crossings(o, d, _step(scene))
    return ray, index.owner[part], t, back


# ----- inside geometry ---------------------------------------------------------------------------
def _step(scene: Scene) -> float:
    extent = float(np.linalg.norm(np.ptp(scene.bounds, axis=0))) if scene.objects else 1.0
    return max(1e-5, 1e-6 * extent)


def inside_object_batch(scene: Scene, points: np.ndarray) -> list[str | None]:
    """For each point (N, 3): the name of the object whose closed volume holds it, else None.

    Where volumes overlap, the part holding the most votes wins (earliest in the scene on ties).
    """
    p = as_points(points)
    result: list[str | None] = [None] * len(p)
    index = _part_index(scene)
    if len(p) == 0 or index.empty:
        return result
    for start in range(0, len(p), INSIDE_CHUNK):
        chunk = p[start : start + INSIDE_CHUNK]
        for i, k in _inside_parts(scene, index, chunk).items():
            result[start + i] = scene.objects[int(index.owner[k])].name
    return result


def _inside_parts(scene: Scene, index: _PartIndex, p: np.ndarray) -> dict[int, int]:
    """{point row: part index} for the points of ``p`` inside a part (see the module notes)."""
    b = index.bounds
    in_box = np.all((p[:, None] >= b[None, :, 0] - 1e-9) & (p[:, None] <= b[None, :, 1] + 1e-9), axis=2)
    todo = np.flatnonzero(in_box.any(axis=1))  # a point in no part's bounds is in no part
    if len(todo) == 0:
        return {}
    n_dir, n_part = len(INSIDE_DIRECTIONS), len(index.owner)
    origins = np.repeat(p[todo], n_dir, axis=0)
    dirs = np.tile(INSIDE_DIRECTIONS, (len(todo), 1))
    candidates = np.repeat(in_box[todo], n_dir, axis=0)  # (rays, parts): only parts whose box holds the point
    ray, part, t, back = index.crossings_in_parts(origins, dirs, _step(scene), candidates)
    if len(ray) == 0:
        return {}
    # Per (ray, part): how many crossings, and whether the nearest one leaves through a back face.
    key = ray * n_part + part
    order = np.lexsort((t, key))
    keys, first, counts = np.unique(key[order], return_index=True, return_counts=True)
    first_back = back[order][first]
    k_part = keys % n_part
    vote = (counts % 2 == 1) & (first_back | ~index.winding[k_part])
    row = (keys // n_part) // n_dir  # row in todo
    pair, votes = np.unique((row * n_part + k_part)[vote], return_counts=True)
    rows, parts = pair // n_part, pair % n_part
    ok = (votes * 2 > n_dir) & in_box[todo[rows], parts]
    best: dict[int, tuple[int, int]] = {}
    for r, k, v in zip(rows[ok], parts[ok], votes[ok], strict=True):
        if int(todo[r]) not in best or v > best[int(todo[r])][1]:
            best[int(todo[r])] = (int(k), int(v))
    return {i: k for i, (k, _) in best.items()}


def inside_geometry_batch(scene: Scene, points: np.ndarray) -> np.ndarray:
    """(N,) bool: True where a point lies inside a closed object's volume (see the module notes)."""
    return np.array([name is not None for name in inside_object_batch(scene, points)], dtype=bool)


def inside_geometry(scene: Scene, point) -> bool:
    """True if ``point`` lies inside an object's volume (a sofa, a wall slab); False in free air."""
    return bool(inside_geometry_batch(scene, as_points(point, "point"))[0])


def inside_object(scene: Scene, point) -> str | None:
    """The name of the object whose volume holds ``point``, or None in free air."""
    return inside_object_batch(scene, as_points(point, "point"))[0]


# ----- ground ------------------------------------------------------------------------------------
def ground_height_below_batch(scene: Scene, points: np.ndarray) -> np.ndarray:
    """(N,) z of the first surface straight below each point; NaN where nothing is below."""
    p = as_points(points)
    down = np.tile([0.0, 0.0, -1.0], (len(p), 1))
    hits = scene_rays(scene).all.cast(p, down)
    return np.where(np.isfinite(hits.t) & (hits.ids >= 0), p[:, 2] - hits.t, np.nan)


def ground_height_below(scene: Scene, point) -> float | None:
    """z of the first surface straight below ``point``, or None if nothing is below it.

    A camera's height above what it stands over is ``z - ground_height_below(scene, position)``.
    """
    z = float(ground_height_below_batch(scene, as_points(point, "point"))[0])
    return None if np.isnan(z) else z


# ----- visibility --------------------------------------------------------------------------------
def label_groups(scene: Scene) -> np.ndarray:
    """Per object: the index of the item it is a piece of (itself for a whole item).

    A piece is named ``<name>_<part>`` and carries ``<name>``'s label (``sofa_pillows`` beside
    ``sofa``, as :mod:`agentvision.scene.build` names them); numbered instances (``tree_1``,
    ``tree_2``) and different things (``floor_lamp`` beside ``floor``) stay separate items.
    """
    group = np.arange(len(scene.objects))
    by_name = {o.name: i for i, o in enumerate(scene.objects)}
    for i, o in enumerate(scene.objects):
        parts = o.name.split("_")
        for k in range(1, len(parts)):  # shortest matching stem first
            j = by_name.get("_".join(parts[:k]))
            if j is not None and scene.objects[j].label == o.label:
                group[i] = j
                break
    return group


def pieces(scene: Scene, name: str) -> list[str]:
    """``name`` and the pieces that belong to it (``sofa`` -> sofa, sofa_legs, sofa_pillows); a piece named on its
    own (``door_handle``, the subject of a close-up) is itself."""
    i = scene.index(name)
    return [scene.objects[j].name for j in np.flatnonzero(label_groups(scene) == i)] or [name]


SLOPE = 0.4  # metres: a thing whose one end stands this much higher than the other rises along it (a flight)


def low_end(scene: Scene, name: str) -> np.ndarray | None:
    """For a thing that rises from one end of its long axis to the other (a staircase), the unit XY direction of
    that axis toward its low end (its foot); None for a level one."""
    vertices = np.vstack([scene.get(n).mesh.vertices for n in pieces(scene, name)])
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    axis = np.eye(2)[int(np.argmax((hi - lo)[:2]))]
    s = (vertices[:, :2] - (lo[:2] + hi[:2]) / 2) @ axis
    half = float((hi - lo)[:2] @ axis) / 2
    ends = [vertices[s >= half / 2, 2], vertices[s <= -half / 2, 2]]
    if any(len(e) == 0 for e in ends) or abs(float(ends[0].max() - ends[1].max())) < SLOPE:
        return None
    return -axis if ends[0].max() > ends[1].max() else axis
