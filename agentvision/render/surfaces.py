"""What a surface is at a ray hit: base colour, roughness, metallic, emission and normal, from its
material's factors, its maps (through the mesh's UVs) and its vertex colours; and alpha cut-outs.

Per scene geometry, every object's per-corner UVs, vertex colours and tangent frames are stacked
once (:class:`SurfaceTable`, cached like the shading normals). A hit's mip level is the log2 of
the texels its pixel covers (its footprint on the surface, stretched by the viewing angle, times
the triangle's texels per metre), as OpenGL picks it; :mod:`agentvision.scene.textures` samples.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from agentvision.conventions import BACKGROUND_ID
from agentvision.scene.model import Scene
from agentvision.scene.normals import face_tangents
from agentvision.scene.rays import Hits, RayEngine
from agentvision.scene.textures import sample

MAX_LAYERS = 16  # cut-out surfaces a ray passes through before it stops looking
STEP = 1e-4  # metres past a cut-out hit where the ray goes on


@dataclass
class SurfaceTable:
    """Per-corner surface data of every object, stacked like the shading normals (face offsets per object)."""

    offsets: np.ndarray  # (N,) first face of each object
    uv: np.ndarray  # (F, 3, 2) float32, zeros where an object has no UVs
    color: np.ndarray | None  # (F, 3, 4) float32 linear RGBA, ones where an object has none; None if none has
    tangent: np.ndarray | None  # (F, 4) tangent xyz and handedness of normal-mapped objects; None if none is
    density: np.ndarray  # (F,) UV units per metre (sqrt of UV area over world area)
    textured: np.ndarray  # (N,) bool: the object's material reads a map through UVs
    cutouts: dict[int, float]  # object index -> alpha cutoff, for objects with holes


_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def surface_table(scene: Scene) -> SurfaceTable:
    """The scene geometry's stacked surface data (cached per geometry)."""
    table = _TABLES.get(scene.geometry)
    if table is None:
        table = _TABLES[scene.geometry] = _build_table(scene)
    return table


def _build_table(scene: Scene) -> SurfaceTable:
    counts = [len(o.mesh.faces) for o in scene.objects]
    offsets = np.cumsum([0] + counts)[:-1].astype(np.int64)
    total = int(sum(counts))
    uv = np.zeros((total, 3, 2), np.float32)
    density = np.zeros(total, np.float32)
    has_color = any(o.colors is not None for o in scene.objects)
    color = np.ones((total, 3, 4), np.float32) if has_color else None
    has_normal_map = any(o.material.normal_map is not None and o.uv is not None for o in scene.objects)
    tangent = np.zeros((total, 4), np.float32) if has_normal_map else None
    textured = np.zeros(len(scene.objects), bool)
    cutouts: dict[int, float] = {}
    for i, obj in enumerate(scene.objects):
        faces = np.asarray(obj.mesh.faces)
        rows = slice(offsets[i], offsets[i] + len(faces))
        if obj.colors is not None:
            color[rows] = np.asarray(obj.colors, np.float32)[faces]
        if obj.uv is None or not obj.material.maps:
            continue
        textured[i] = True
        corners = np.asarray(obj.uv, np.float32)[faces]
        uv[rows] = corners
        e1, e2 = corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]
        uv_area = 0.5 * np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
        density[rows] = np.sqrt(uv_area / np.maximum(obj.mesh.area_faces, 1e-12))
        if tangent is not None and obj.material.normal_map is not None:
            tangent[rows] = face_tangents(obj.mesh, obj.uv)
        if obj.material.cutout is not None:
            cutouts[i] = obj.material.cutout
    return SurfaceTable(offsets, uv, color, tangent, density, textured, cutouts)


@dataclass
class Surface:
    """Shading inputs at N hits."""

    albedo: np.ndarray  # (N, 3) linear base colour
    roughness: np.ndarray  # (N,)
    metallic: np.ndarray  # (N,)
    emissive: np.ndarray  # (N, 3)
    normal: np.ndarray  # (N, 3) shading normal (normal-mapped), facing as the smooth normal given


def _corner_mix(values: np.ndarray, bary: np.ndarray) -> np.ndarray:
    """Interpolate per-corner values (N, 3, C) at barycentrics (N, 2) (p = (1-u-v) c0 + u c1 + v c2)."""
    u, v = bary[:, 0:1], bary[:, 1:2]
    return (1 - u - v) * values[:, 0] + u * values[:, 1] + v * values[:, 2]


def hit_uv(table: SurfaceTable, ids: np.ndarray, prims: np.ndarray, bary: np.ndarray) -> np.ndarray:
    """Texture coordinates at hits (N, 2)."""
    return _corner_mix(table.uv[table.offsets[ids] + prims], bary)


def mip_lod(table, ids, prims, t, cos, pixel_angle: float, size: int) -> np.ndarray:
    """Mip level per hit: log2 of the texels (of a ``size``-texel texture) one pixel covers there."""
    footprint = t * pixel_angle / np.maximum(np.abs(cos), 0.05)  # metres, along the stretched axis
    texels = footprint * table.density[table.offsets[ids] + prims] * size
    return np.log2(np.maximum(texels, 1e-6))


def surface_at(scene: Scene, mats, ids, prims, bary, normals, dirs, t, pixel_angle: float) -> Surface:
    """Shading inputs at hits on objects ``ids`` (not the background), triangles ``prims``, barycentrics ``bary``.

    ``mats`` is the MaterialTable (factors, lamps switched); ``normals`` the smooth shading normals.
    """
    rows = ids + 1
    surf = Surface(
        mats.albedo[rows].copy(),
        mats.roughness[rows].copy(),
        mats.metallic[rows].copy(),
        mats.emissive[rows].copy(),
        normals,
    )
    table = surface_table(scene)
    if table.color is not None:
        surf.albedo *= _corner_mix(table.color[table.offsets[ids] + prims], bary)[:, :3]
    if not table.textured.any():
        return surf
    textured = np.flatnonzero(table.textured[ids])
    if textured.size == 0:
        return surf
    normal = normals.copy()
    cos = np.einsum("ij,ij->i", normals[textured], dirs[textured])
    order = textured[np.argsort(ids[textured], kind="stable")]
    objects, starts = np.unique(ids[order], return_index=True)
    for obj_index, sel in zip(objects, np.split(order, starts[1:]), strict=True):
        material = scene.objects[obj_index].material
        uv = hit_uv(table, ids[sel], prims[sel], bary[sel])
        where = np.searchsorted(textured, sel)
        sizes = {max(m.size) for m in material.maps.values()}
        lods = {n: mip_lod(table, ids[sel], prims[sel], t[sel], cos[where], pixel_angle, n) for n in sizes}

        def lod(texture, lods=lods):
            return lods[max(texture.size)]

        if material.base_color_map is not None:
            texel = sample(material.base_color_map, uv, lod(material.base_color_map))
            surf.albedo[sel] *= texel[:, :3] if texel.shape[1] >= 3 else texel[:, :1]
        if material.metallic_roughness_map is not None:
            texel = sample(material.metallic_roughness_map, uv, lod(material.metallic_roughness_map))
            if texel.shape[1] >= 3:
                surf.roughness[sel] *= texel[:, 1]
                surf.metallic[sel] *= texel[:, 2]
        if material.emissive_map is not None:
            surf.emissive[sel] *= sample(material.emissive_map, uv, lod(material.emissive_map))[:, :3]
        if material.normal_map is not None and table.tangent is not None:
            texel = sample(material.normal_map, uv, lod(material.normal_map))
            normal[sel] = perturb(
                normals[sel], table.tangent[table.offsets[ids[sel]] + prims[sel]], texel, material.normal_scale
            )
    surf.normal = normal
    np.clip(surf.roughness, 0.0, 1.0, out=surf.roughness)
    return surf


def perturb(n: np.ndarray, tangent: np.ndarray, texel: np.ndarray, scale: float) -> np.ndarray:
    """Shading normals ``n`` (N, 3) bent by tangent-space normal-map texels (N, >=3 values in [0, 1])."""
    m = texel[:, :3] * 2.0 - 1.0
    m[:, :2] *= scale
    t = tangent[:, :3] - n * np.einsum("ij,ij->i", n, tangent[:, :3])[:, None]
    t /= np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
    b = np.cross(n, t) * tangent[:, 3:4]
    out = t * m[:, 0:1] + b * m[:, 1:2] + n * m[:, 2:3]
    length = np.linalg.norm(out, axis=1, keepdims=True)
    return np.where(length > 1e-6, out / np.maximum(length, 1e-12), n).astype(np.float32)


# ----- cut-outs -----------------------------------------------------------------------------
def _holes(scene: Scene, table: SurfaceTable, hits: Hits, sel: np.ndarray) -> np.ndarray:
    """Which of the hits ``sel`` (on cut-out objects) land in a hole of the base colour map's alpha."""
    hole = np.zeros(sel.size, bool)
    for obj_index, cutoff in table.cutouts.items():
        on = hits.ids[sel] == obj_index
        if on.any():
            k = sel[on]
            uv = hit_uv(table, hits.ids[k], hits.prims[k], hits.uvs[k])
            alpha = sample(scene.objects[obj_index].material.base_color_map, uv)[:, -1]
            hole[on] = alpha < cutoff
    return hole


def cast_through_cutouts(scene: Scene, engine: RayEngine, origins: np.ndarray, dirs: np.ndarray) -> Hits:
    """Closest hits that are not in a cut-out's holes (a ray goes on through a hole); unit ``dirs``."""
    hits = engine.cast(origins, dirs)
    table = surface_table(scene)
    if not table.cutouts:
        return hits
    travelled = np.zeros(len(dirs), np.float32)
    todo = np.arange(len(dirs))
    for _ in range(MAX_LAYERS):
        sel = todo[np.isin(hits.ids[todo], list(table.cutouts))]
        if sel.size == 0:
            break
        holes = sel[_holes(scene, table, hits, sel)]
        if holes.size == 0:
            break
        travelled[holes] += hits.t[holes] + STEP
        again = engine.cast(origins[holes] + dirs[holes] * travelled[holes, None], dirs[holes])
        for field in ("t", "ids", "normals", "prims", "uvs"):
            getattr(hits, field)[holes] = getattr(again, field)
        todo = holes
    hits.t = np.where(hits.ids != BACKGROUND_ID, hits.t + travelled, np.inf).astype(np.float32)
    return hits


def occluded_through_cutouts(scene, engine: RayEngine, origins, dirs, tmax) -> np.ndarray:
    """True where a ray hits something solid before ``tmax`` (in units of ``dirs``), seeing through holes."""
    blocked = engine.occluded(origins, dirs, tmax)
    table = surface_table(scene)
    if not table.cutouts or not blocked.any():
        return blocked
    sel = np.flatnonzero(blocked)
    o, d = np.asarray(origins)[sel].copy(), np.asarray(dirs)[sel]
    left = np.broadcast_to(np.asarray(tmax, np.float32), (len(dirs),))[sel].copy()
    solid = np.zeros(sel.size, bool)
    undecided = np.arange(sel.size)
    for _ in range(MAX_LAYERS):
        hits = engine.cast(o[undecided], d[undecided])
        within = hits.ids != BACKGROUND_ID
        within &= hits.t < left[undecided]
        cut = np.isin(hits.ids, list(table.cutouts)) & within
        hole = np.zeros(undecided.size, bool)
        if cut.any():
            hole[cut] = _holes(scene, table, hits, np.flatnonzero(cut))
        solid[undecided[within & ~hole]] = True
        through = np.flatnonzero(hole)
        if through.size == 0:
            break
        step = hits.t[through] + STEP / np.maximum(np.linalg.norm(d[undecided[through]], axis=1), 1e-9)
        o[undecided[through]] += d[undecided[through]] * step[:, None]
        left[undecided[through]] -= step
        undecided = undecided[through]
    out = np.zeros(len(dirs), bool)
    out[sel] = solid
    return out
