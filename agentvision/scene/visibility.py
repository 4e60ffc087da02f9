"""What a camera sees of a scene's objects: surface visibility, the object's view (in frame, occluded,
cut off, centroid), projected boxes, and id maps cast without shading.

Pure functions over ``(Scene, Camera, ...)``; surface samples are cached per object on
``scene.geometry`` like the other queries (:mod:`queries`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
import trimesh

from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID
from agentvision.scene.model import Scene
from agentvision.scene.queries import as_points, pieces
from agentvision.scene.rays import scene_rays

VISIBILITY_SAMPLES = 2048  # surface samples per object for visibility()
SAMPLE_SEED = 7  # fixed: the same object always gets the same samples
NEAR = 1e-3  # metres: points closer to the camera plane than this are "behind" for projections
BBox = tuple[float, float, float, float]  # (u0, v0, u1, v1) pixels, u right, v down

_SAMPLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def surface_samples(scene: Scene, name: str, count: int = VISIBILITY_SAMPLES, parts: bool = False) -> np.ndarray:
    """(count, 3) area-weighted points on ``name``'s surface (its pieces too if ``parts``); fixed seed, cached."""
    names = tuple(pieces(scene, name)) if parts else (scene.get(name).name,)  # raises SceneError listing names
    per_scene = _SAMPLES.setdefault(scene.geometry, {})
    key = (names, int(count))
    if key not in per_scene:
        meshes = [scene.get(n).mesh for n in names]
        mesh = meshes[0] if len(meshes) == 1 else trimesh.util.concatenate(meshes)
        if len(mesh.faces) == 0 or mesh.area <= 0:
            per_scene[key] = np.asarray(mesh.vertices, dtype=np.float64).reshape(-1, 3)
        else:
            pts, _ = trimesh.sample.sample_surface(mesh, int(count), seed=SAMPLE_SEED)
            per_scene[key] = np.asarray(pts, dtype=np.float64)
    return per_scene[key]


def _in_frame(camera: Camera, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    uv, z = camera.project(points)
    w, h = camera.size
    ok = (z > NEAR) & (uv[:, 0] >= 0) & (uv[:, 0] < w) & (uv[:, 1] >= 0) & (uv[:, 1] < h)
    return ok, uv, z


def _hidden_by(scene: Scene, camera: Camera, points: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Per point: index of an object not in ``own`` hiding it from the camera, else BACKGROUND_ID."""
    out = np.full(len(points), BACKGROUND_ID, np.int32)
    if len(points) == 0:
        return out
    eye = np.asarray(camera.position)
    delta = points - eye
    dist = np.linalg.norm(delta, axis=1)
    ok = dist > 1e-9
    dirs = delta[ok] / dist[ok, None]
    hits = scene_rays(scene).all.cast(np.broadcast_to(eye, dirs.shape).copy(), dirs)
    eps = 1e-3 + 1e-4 * dist[ok]
    blocked = ~np.isin(hits.ids, own) & (hits.ids >= 0) & (hits.t < dist[ok] - eps)
    out[np.flatnonzero(ok)[blocked]] = hits.ids[blocked]
    return out


def item_mesh(scene: Scene, name: str, parts: bool = True) -> trimesh.Trimesh:
    """``name``'s mesh, with its pieces (:func:`pieces`) when ``parts``, as one mesh."""
    meshes = [scene.get(n).mesh for n in (pieces(scene, name) if parts else [name])]
    return meshes[0] if len(meshes) == 1 else trimesh.util.concatenate(meshes)


def in_frame_whole(camera: Camera, mesh: trimesh.Trimesh) -> bool:
    """The mesh's projected box lies inside the frame: the item is in front and not cut off (ObjectView.cut_off,
    without sampling its surface)."""
    box = projected_bbox(camera, mesh)
    return box is not None and clip_bbox(box, camera.size) == box


def _own(scene: Scene, name: str, parts: bool) -> tuple[list[str], np.ndarray]:
    names = pieces(scene, name) if parts else [scene.get(name).name]
    return names, np.array([scene.index(n) for n in names], dtype=np.int32)


def visibility(scene: Scene, camera: Camera, name: str, samples: int = VISIBILITY_SAMPLES, parts: bool = True) -> float:
    """Fraction of ``name``'s surface (area-weighted samples) that is in frame and not hidden by others.

    A sample counts when it projects inside the frame in front of the camera and the ray from the
    camera to it meets no other object first. The object's own far side does not hide it: a box in
    full view scores 1.0. Behind the camera, out of frame, or a camera inside a wall: 0.0. With
    ``parts`` the item's pieces (:func:`pieces`: ``sofa_legs``, ``sofa_pillows``) belong to it.
    """
    _, own = _own(scene, name, parts)
    pts = surface_samples(scene, name, samples, parts)
    if len(pts) == 0:
        return 0.0
    in_frame, _, _ = _in_frame(camera, pts)
    hidden = _hidden_by(scene, camera, pts[in_frame], own) >= 0
    return float((~hidden).sum() / len(pts))


@dataclass
class ObjectView:
    """How one item appears from a camera. Fractions are of its surface samples.

    ``visible + occluded == in_frame``. Boxes are pixels ``(u0, v0, u1, v1)``; ``bbox`` is the
    projection of the item's part in front of the camera (it may reach far outside the frame),
    ``bbox_clipped`` its overlap with the frame. ``centroid`` is the visible samples' mean in
    normalised image coordinates (0..1, x right, y down), ``None`` when nothing is visible.
    """

    name: str
    visible: float
    in_frame: float
    occluded: float
    bbox: BBox | None
    bbox_clipped: BBox | None
    cut_off: bool  # part of the item's box lies outside the frame
    centroid: tuple[float, float] | None
    distance: float  # metres from the camera to the centre of the item's bounds
    frame_fraction: float  # clipped box area / frame area
    occluders: dict[str, float] = field(default_factory=dict)  # name -> fraction of samples it hides
    behind_camera: bool = False  # no part of the item is in front of the camera
    pieces: list[str] = field(default_factory=list)  # the objects counted as this item


def object_view(
    scene: Scene,
    camera: Camera,
    name: str,
    samples: int = VISIBILITY_SAMPLES,
    parts: bool = True,
    within: tuple[np.ndarray, np.ndarray] | None = None,
) -> ObjectView:
    """Visible, in-frame and occluded fractions, boxes, cut-off and centroid of ``name`` from ``camera``.

    With ``parts`` the item's pieces (:func:`pieces`) are part of it, as in :func:`visibility`. ``within``: only its
    surface inside this box (lo, hi) counts (a part of it that a close-up frames: the top of a curtain).
    """
    names, own = _own(scene, name, parts)
    mesh = item_mesh(scene, name, parts)
    pts = surface_samples(scene, name, samples, parts)
    if within is not None:
        inside = np.all((pts >= np.asarray(within[0]) - 1e-6) & (pts <= np.asarray(within[1]) + 1e-6), axis=1)
        pts = pts[inside] if inside.any() else pts
    n = max(1, len(pts))
    in_frame, uv, _ = _in_frame(camera, pts)
    blockers = _hidden_by(scene, camera, pts[in_frame], own)
    hidden = blockers >= 0
    vis_uv = uv[in_frame][~hidden]
    w, h = camera.size
    centroid = None
    if len(vis_uv):
        c = vis_uv.mean(axis=0)
        centroid = (float(c[0] / w), float(c[1] / h))
    box = projected_bbox(camera, mesh)
    clipped = clip_bbox(box, camera.size) if box is not None else None
    cut_off = clipped is not None and tuple(clipped) != tuple(box)
    occluders: dict[str, float] = {}
    if hidden.any():
        ids, counts = np.unique(blockers[hidden], return_counts=True)
        occluders = {scene.objects[int(i)].name: float(c / n) for i, c in zip(ids, counts, strict=True)}
    frame_fraction = 0.0 if clipped is None else (clipped[2] - clipped[0]) * (clipped[3] - clipped[1]) / (w * h)
    return ObjectView(
        name=name,
        visible=float((~hidden).sum() / n),
        in_frame=float(in_frame.sum() / n),
        occluded=float(hidden.sum() / n),
        bbox=box,
        bbox_clipped=clipped,
        cut_off=bool(cut_off),
        centroid=centroid,
        distance=float(np.linalg.norm(mesh.bounds.mean(axis=0) - np.asarray(camera.position))),
        frame_fraction=float(frame_fraction),
        occluders=dict(sorted(occluders.items(), key=lambda kv: -kv[1])),
        behind_camera=box is None,
        pieces=names,
    )


# ----- projection helpers ------------------------------------------------------------------------
def projected_bbox(camera: Camera, geometry: trimesh.Trimesh | np.ndarray) -> BBox | None:
    """Pixel box (u0, v0, u1, v1) of a mesh's or point set's part in front of the camera, unclipped.

    Mesh edges that cross the camera plane are cut at ``NEAR`` metres so a mesh wrapped around the
    camera still gets a (very wide) box. None when nothing is in front of the camera.
    """
    if isinstance(geometry, trimesh.Trimesh):
        pts = np.asarray(geometry.vertices, dtype=np.float64)
        edges = geometry.edges_unique
    else:
        pts, edges = as_points(geometry), None
    if len(pts) == 0:
        return None
    r = camera.basis()
    z = (pts - np.asarray(camera.position)) @ r[2]
    front = [pts[z > NEAR]]
    if edges is not None and len(edges):
        z0, z1 = z[edges[:, 0]], z[edges[:, 1]]
        cross = (z0 - NEAR) * (z1 - NEAR) < 0
        if cross.any():
            a, b = pts[edges[cross, 0]], pts[edges[cross, 1]]
            s = ((NEAR - z0[cross]) / (z1[cross] - z0[cross]))[:, None]
            front.append(a + s * (b - a))
    front = np.concatenate(front)
    if len(front) == 0:
        return None
    uv, _ = camera.project(front)
    lo, hi = uv.min(axis=0), uv.max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def clip_bbox(box: BBox, size: tuple[int, int]) -> BBox | None:
    """``box`` cut to a (width, height) frame; None when they do not overlap."""
    w, h = size
    u0, v0, u1, v1 = max(box[0], 0.0), max(box[1], 0.0), min(box[2], float(w)), min(box[3], float(h))
    return None if u0 >= u1 or v0 >= v1 else (u0, v0, u1, v1)


def object_ids(scene: Scene, camera: Camera) -> np.ndarray:
    """(H, W) int32 object index seen through each pixel centre (BACKGROUND_ID for none).

    The same ids a render returns, without shading: cheap input for :func:`coverage`.
    """
    dirs = camera.ray_directions().reshape(-1, 3)
    hits = scene_rays(scene).all.cast(np.broadcast_to(np.asarray(camera.position), dirs.shape).copy(), dirs)
    return hits.ids.reshape(camera.height, camera.width).astype(np.int32)
