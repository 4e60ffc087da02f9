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
from agentvision.scene.textures import PackedTextures

MAX_LAYERS = 16  # cut-out surfaces a ray passes through before it stops looking
STEP = 1e-4  # metres past a cut-out hit where the ray goes on
MAPS = ("base_color_map", "normal_map", "metallic_roughness_map", "emissive_map")


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
    textures: PackedTextures  # every map of the scene
    maps: dict[str, np.ndarray]  # map field -> (N,) index into ``textures`` per object, -1 for none
    normal_scale: np.ndarray  # (N,)
    present: tuple[str, ...]  # the map fields some object has


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
    textures: dict[object, int] = {}
    maps = {key: np.full(len(scene.objects), -1, np.int64) for key in MAPS}
    normal_scale = np.ones(len(scene.objects), np.float32)
    for i, obj in enumerate(scene.objects):
        faces = np.asarray(obj.mesh.faces)
        rows = slice(offsets[i], offsets[i] + len(faces))
        if obj.colors is not None:
            color[rows] = obj.colors
        if obj.uv is None or not obj.material.maps:
            continue
        textured[i] = True
        corners = np.asarray(obj.uv, np.float32)
        uv[rows] = corners
        e1, e2 = corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]
        uv_area = 0.5 * np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
        density[rows] = np.sqrt(uv_area / np.maximum(obj.mesh.area_faces, 1e-12))
        if tangent is not None and obj.material.normal_map is not None:
            tangent[rows] = face_tangents(obj.mesh, obj.uv)
        if obj.material.cutout is not None:
            cutouts[i] = obj.material.cutout
        for key, texture in obj.material.maps.items():
            maps[key][i] = textures.setdefault(texture, len(textures))
        normal_scale[i] = obj.material.normal_scale
    packed = PackedTextures(list(textures))
    present = tuple(key for key in MAPS if (maps[key] >= 0).any())
    return SurfaceTable(offsets, uv, color, tangent, density, textured, cutouts, packed, maps, normal_scale, present)


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


def surface_at(
    scene: Scene, mats, ids, prims, bary, normals, dirs, t, pixel_angle: float, filtered: bool = True
) -> Surface:
    """Shading inputs at hits on objects ``ids`` (not the background), triangles ``prims``, barycentrics ``bary``.

    ``mats`` is the MaterialTable (factors, lamps switched); ``normals`` the smooth shading normals.
    Every map of every hit object is read in one call per map kind: bilinearly when ``filtered``,
    else the nearest texel of the mip level (previews).
    """
    rows = ids + 1  # fancy indexing copies: the arrays below are this call's own

    def column(values: np.ndarray) -> np.ndarray:  # zeros (no gather) where no object has any
        return values[rows] if values.any() else np.zeros((len(ids),) + values.shape[1:], np.float32)

    surf = Surface(mats.albedo[rows], mats.roughness[rows], column(mats.metallic), column(mats.emissive), normals)
    table = surface_table(scene)
    if table.color is not None:
        surf.albedo = surf.albedo * _corner_mix(table.color[table.offsets[ids] + prims], bary)[:, :3]
    textured = table.textured[ids]
    if not textured.any():
        return surf
    every = textured.all()  # one textured room fills most frames: no subsetting then
    textured = slice(None) if every else np.flatnonzero(textured)
    obj, face = ids[textured], table.offsets[ids[textured]] + prims[textured]
    uv = _corner_mix(table.uv[face], bary[textured])
    # Texels per pixel for a one-texel-per-UV texture: the pixel's footprint (stretched by the
    # viewing angle, along its longer axis as OpenGL measures it) times the triangle's UV density.
    cos = np.abs(np.einsum("ij,ij->i", normals[textured], dirs[textured]))
    footprint = t[textured] * np.float32(pixel_angle) / np.maximum(cos, 0.05)
    reach = np.log2(np.maximum(footprint * table.density[face], 1e-9))
    for key in table.present:
        index = table.maps[key][obj]
        has = index >= 0
        full = bool(has.all())
        has = slice(None) if full else np.flatnonzero(has)
        k = index[has]
        at = textured if full else (has if every else textured[has])
        lod = reach[has] + table.textures.log_size[k]
        texel = table.textures.sample(k, uv[has], lod, bilinear=filtered)
        if key == "base_color_map":
            surf.albedo[at] *= texel[:, :3]
        elif key == "metallic_roughness_map":
            surf.roughness[at] *= texel[:, 1]
            surf.metallic[at] *= texel[:, 2]
        elif key == "emissive_map":
            surf.emissive[at] *= texel[:, :3]
        elif table.tangent is not None:
            normal = surf.normal.copy() if surf.normal is normals else surf.normal
            normal[at] = perturb(normals[at], table.tangent[face[has]], texel, table.normal_scale[obj[has]])
            surf.normal = normal
    np.clip(surf.roughness, 0.0, 1.0, out=surf.roughness)
    return surf


def perturb(n: np.ndarray, tangent: np.ndarray, texel: np.ndarray, scale) -> np.ndarray:
    """Shading normals ``n`` (N, 3) bent by tangent-space normal-map texels (N, >=3 values in [0, 1]),
    their X and Y scaled by ``scale`` (a number or one per hit)."""
    m = texel[:, :3] * 2.0 - 1.0
    m[:, :2] *= np.reshape(scale, (-1, 1))
    t = tangent[:, :3] - n * np.einsum("ij,ij->i", n, tangent[:, :3])[:, None]
    t /= np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
    b = np.cross(n, t) * tangent[:, 3:4]
    out = t * m[:, 0:1] + b * m[:, 1:2] + n * m[:, 2:3]
    length = np.linalg.norm(out, axis=1, keepdims=True)
    return np.where(length > 1e-6, out / np.maximum(length, 1e-12), n).astype(np.float32)


# ----- cut-outs -----------------------------------------------------------------------------
def _holes(scene: Scene, table: SurfaceTable, hits: Hits, sel: np.ndarray) -> np.ndarray:
    """Which of the hits ``sel`` (on cut-out objects) land in a hole of the base colour map's alpha."""
    ids = hits.ids[sel]
    uv = _corner_mix(table.uv[table.offsets[ids] + hits.prims[sel]], hits.uvs[sel])
    alpha = table.textures.sample(table.maps["base_color_map"][ids], uv)[:, 3]
    cutoff = np.zeros(int(ids.max()) + 1, np.float32)
    for i, value in table.cutouts.items():
        if i < len(cutoff):
            cutoff[i] = value
    return alpha < cutoff[ids]


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
