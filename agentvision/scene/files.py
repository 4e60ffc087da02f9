"""Scene files: load glTF/GLB, OBJ, PLY and STL as a Scene (export is in :mod:`agentvision.scene.export`).

Loading (``load_file``) returns an unlit Scene (``library.load_scene`` applies the lighting):

- one object per glTF node and mesh primitive (per OBJ group, per PLY/STL file), its mesh in world
  coordinates: scene-graph transforms applied, then the file's axes converted as
  :mod:`agentvision.conventions` says (``Y_UP_FORMATS`` rotate by ``Y_UP_TO_Z_UP``);
- names: the node name (for glTF: else the mesh name, else the file stem), snake_cased and made
  unique in file order (``wheels``, ``wheels_1``); the label is the name without its trailing
  ``_N``/digits, unless the node's ``extras`` carry a ``label``;
- materials: base colour = factor x mean texture x mean vertex colour over the surface (area
  weighted, in linear light: glTF factors and COLOR_0 are linear, textures and other formats'
  colours are sRGB), roughness, emissive (with ``KHR_materials_emissive_strength``), and glass
  for ``KHR_materials_transmission`` or a mostly transparent blended material;
- floor: no floor is invented. ``floor_z`` is the top of an object named ``floor`` or ``ground``,
  else None, unless the file was written by ``export_glb`` (its scene extras keep floor_z,
  interior and description; node extras keep labels and lamps).

:func:`agentvision.scene.export.export_glb` writes glTF 2.0 binary, Y up, one node per object named as the
object, each with its own mesh and a named PBR material, readable by Blender and any viewer.
"""

from __future__ import annotations

import io
import json
import re
import struct
from collections import Counter
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import trimesh
from PIL import Image

from agentvision.conventions import Y_UP_FORMATS, Y_UP_TO_Z_UP, srgb_to_linear
from agentvision.scene.model import Lamp, Material, Scene, SceneError, SceneObject

SUFFIXES = (".glb", ".gltf", ".obj", ".ply", ".stl")
FLOOR_NAMES = ("floor", "ground")
EXTRAS_KEY = "agentvision"  # scene-level extras written by export_glb

_GLB_MAGIC, _JSON_CHUNK = b"glTF", 0x4E4F534A
_SAMPLES = 4096  # surface samples for mean texture / vertex colours
_TEXTURE_SIZE = 256  # textures are box-filtered to at most this many pixels a side before sampling


# ----- names --------------------------------------------------------------------------------
def snake_case(text: str) -> str:
    """'CesiumMilkTruck' -> 'cesium_milk_truck', 'mesh20-geometry' -> 'mesh20_geometry'; '' if nothing is left."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", text)
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if text and not text[0].isalpha():
        text = f"obj_{text}"
    return text


def label_from_name(name: str) -> str:
    """The object's kind from its name: trailing '_N' and digits stripped ('wheels_1' -> 'wheels')."""
    label = re.sub(r"(_?\d+)+$", "", name).rstrip("_")
    return label or name


@dataclass
class _Part:
    """One object as read from a file, before names are made unique."""

    name: str  # snake_case base name (may repeat)
    mesh: trimesh.Trimesh  # world coordinates, Z up
    material: Material
    label: str | None = None  # from extras
    lamps: list[tuple[np.ndarray, dict]] = field(default_factory=list)  # world position, extras entry


def _unique_names(bases: list[str]) -> list[str]:
    """Names unique in order: a base used once keeps it; repeats get base, base_1, base_2, ..."""
    once = {b for b, n in Counter(bases).items() if n == 1}
    taken: set[str] = set()
    names = []
    for base in bases:
        name, k = base, 0
        while name in taken or (name in once and name != base):
            k += 1
            name = f"{base}_{k}"
        taken.add(name)
        names.append(name)
    return names


# ----- colours sampled over a surface ---------------------------------------------------------
def _surface_samples(mesh: trimesh.Trimesh) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic area-weighted surface samples: (face index (n,), barycentric weights (n, 3))."""
    area = mesh.area_faces
    total = float(area.sum())
    rng = np.random.default_rng(0)
    if total <= 0:
        faces = rng.integers(0, len(mesh.faces), _SAMPLES)
    else:
        faces = np.searchsorted(np.cumsum(area) / total, rng.random(_SAMPLES)).clip(0, len(mesh.faces) - 1)
    r1, r2 = np.sqrt(rng.random(_SAMPLES)), rng.random(_SAMPLES)
    bary = np.stack([1 - r1, r1 * (1 - r2), r1 * r2], axis=1)
    return faces, bary


def _at_samples(mesh: trimesh.Trimesh, samples, per_vertex: np.ndarray) -> np.ndarray:
    faces, bary = samples
    return np.einsum("nk,nkc->nc", bary, per_vertex[mesh.faces[faces]])


def _texture_at(image: Image.Image, uv: np.ndarray, srgb: bool) -> np.ndarray:
    """RGB of ``image`` at trimesh UVs (v up, wrapping), linear light; the image is box-filtered first."""
    image.draft("RGB", (_TEXTURE_SIZE, _TEXTURE_SIZE))  # JPEG: decode at reduced size (no-op once decoded)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    factor = max(1, max(image.size) // _TEXTURE_SIZE)
    if factor > 1:
        image = image.reduce(factor)
    pixels = np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0
    if srgb:
        pixels = srgb_to_linear(pixels)
    h, w = pixels.shape[:2]
    x = np.floor((uv[:, 0] % 1.0) * w).astype(np.int64).clip(0, w - 1)
    y = np.floor((1.0 - uv[:, 1] % 1.0) * h).astype(np.int64).clip(0, h - 1)
    return pixels[y, x]


def _vertex_colors(mesh: trimesh.Trimesh) -> np.ndarray | None:
    """(n_vertices, 3) vertex colours in [0, 1] as stored (no colour-space change), or None."""
    visual = mesh.visual
    colors = None
    if visual.kind == "vertex" and hasattr(visual, "vertex_colors"):
        colors = visual.vertex_colors
    elif getattr(visual, "vertex_attributes", None) is not None and "color" in visual.vertex_attributes:
        colors = visual.vertex_attributes["color"]
    if colors is None or len(colors) != len(mesh.vertices):
        return None
    colors = np.asarray(colors)[:, :3]
    return colors / 255.0 if np.issubdtype(colors.dtype, np.integer) else colors.astype(np.float64)


def _mean_surface_color(mesh: trimesh.Trimesh, image: Image.Image | None, linear_vertex_colors: bool) -> np.ndarray:
    """Mean of texture x vertex colour over the surface, linear RGB; ones where neither exists."""
    samples = None
    color = np.ones((_SAMPLES, 3))
    uv = getattr(mesh.visual, "uv", None)
    if image is not None and uv is not None and len(uv) == len(mesh.vertices):
        samples = _surface_samples(mesh)
        color = color * _texture_at(image, _at_samples(mesh, samples, np.asarray(uv, dtype=np.float64)), srgb=True)
    vertex = _vertex_colors(mesh)
    if vertex is not None:
        samples = samples or _surface_samples(mesh)
        vertex = vertex if linear_vertex_colors else srgb_to_linear(vertex)
        color = color * _at_samples(mesh, samples, vertex)
    elif mesh.visual.kind == "face":
        face = np.asarray(mesh.visual.face_colors, dtype=np.float64)[:, :3] / 255.0
        face = face if linear_vertex_colors else srgb_to_linear(face)
        return np.average(face, axis=0, weights=mesh.area_faces + 1e-12)
    return color.mean(axis=0)


def _clip_color(values) -> tuple[float, float, float]:
    return tuple(float(v) for v in np.clip(np.asarray(values, dtype=np.float64)[:3], 0.0, 1.0))


# ----- glTF ---------------------------------------------------------------------------------
def _split_glb(path: Path, data: bytes) -> tuple[dict, bytes]:
    """The JSON header of a GLB and the bytes after its JSON chunk."""
    if len(data) < 20 or data[:4] != _GLB_MAGIC:
        raise SceneError(f"{path}: not a binary glTF file (it does not start with 'glTF'); re-export it as GLB")
    length, kind = struct.unpack_from("<II", data, 12)
    if kind != _JSON_CHUNK or 20 + length > len(data):
        raise SceneError(f"{path}: broken GLB (its JSON chunk is missing or truncated); re-export the file")
    return json.loads(data[20 : 20 + length]), data[20 + length :]


def pack_glb(header: dict, rest: bytes) -> bytes:
    content = json.dumps(header, separators=(",", ":")).encode()
    content += b" " * (-len(content) % 4)
    top = struct.pack("<4sII", _GLB_MAGIC, 2, 12 + 8 + len(content) + len(rest))
    return top + struct.pack("<II", len(content), _JSON_CHUNK) + content + rest


def _name_frames(header: dict) -> dict[str, tuple[int, int]]:
    """Rewrite ``header`` so that trimesh's frame for each (node, primitive) has a known name.

    Every node is renamed ``n<i>``; a mesh with several primitives is split into one mesh per
    primitive, the extra primitives hung under their node as ``n<i>p<k>`` with no transform.
    Camera nodes become plain transform nodes. Returns {frame name: (node index, primitive index)}.
    """
    meshes = header.get("meshes", [])
    split: list[dict] = []
    index: dict[tuple[int, int], int] = {}
    for m, mesh in enumerate(meshes):
        for k, primitive in enumerate(mesh.get("primitives", [])):
            index[m, k] = len(split)
            split.append({"name": f"m{m}p{k}", "primitives": [primitive]})
    header["meshes"] = split
    nodes = header.get("nodes", [])
    frames: dict[str, tuple[int, int]] = {}
    for b in range(len(nodes)):
        node = nodes[b]
        node["name"] = f"n{b}"
        node.pop("camera", None)
        node.pop("extras", None)
        m = node.pop("mesh", None)
        if m is None or not isinstance(m, int) or not 0 <= m < len(meshes):
            continue
        for k in range(len(meshes[m].get("primitives", []))):
            if k == 0:
                node["mesh"], frame = index[m, 0], f"n{b}"
            else:
                frame = f"n{b}p{k}"
                node.setdefault("children", []).append(len(nodes))
                nodes.append({"name": frame, "mesh": index[m, k]})
            frames[frame] = (b, k)
    return frames


def _gltf_material(header: dict, primitive: dict, mesh: trimesh.Trimesh) -> Material:
    """Material of a glTF primitive from the raw header (exact linear factors) and trimesh's textures."""
    materials = header.get("materials", [])
    index = primitive.get("material")
    if not isinstance(index, int) or not 0 <= index < len(materials):
        if _vertex_colors(mesh) is None:
            return Material()
        return Material(base_color=_clip_color(_mean_surface_color(mesh, None, linear_vertex_colors=True)))
    spec = materials[index]
    pbr = spec.get("pbrMetallicRoughness", {})
    loaded = getattr(mesh.visual, "material", None)

    def texture(key: str) -> Image.Image | None:
        return getattr(loaded, key, None) if key in pbr or key in spec else None

    factor = np.array(pbr.get("baseColorFactor", [1.0, 1.0, 1.0, 1.0]), dtype=np.float64)
    base = factor[:3] * _mean_surface_color(mesh, texture("baseColorTexture"), linear_vertex_colors=True)
    roughness = float(pbr.get("roughnessFactor", 1.0))
    rough_map = texture("metallicRoughnessTexture")
    uv = getattr(mesh.visual, "uv", None)
    if rough_map is not None and uv is not None and len(uv) == len(mesh.vertices):
        uv_samples = _at_samples(mesh, _surface_samples(mesh), np.asarray(uv, dtype=np.float64))
        roughness *= float(_texture_at(rough_map, uv_samples, srgb=False)[:, 1].mean())
    extensions = spec.get("extensions", {})
    emissive = np.array(spec.get("emissiveFactor", [0.0, 0.0, 0.0]), dtype=np.float64)
    if emissive.max() > 0 and texture("emissiveTexture") is not None:
        emissive = emissive * _mean_surface_color(mesh, texture("emissiveTexture"), linear_vertex_colors=True)
    emissive = emissive * float(extensions.get("KHR_materials_emissive_strength", {}).get("emissiveStrength", 1.0))
    transmission = float(extensions.get("KHR_materials_transmission", {}).get("transmissionFactor", 0.0))
    see_through = spec.get("alphaMode") == "BLEND" and len(factor) > 3 and factor[3] < 0.5
    return Material(
        base_color=_clip_color(base),
        roughness=float(np.clip(roughness, 0.0, 1.0)),
        emissive=tuple(float(v) for v in np.maximum(emissive, 0.0)),
        glass=transmission > 0.0 or see_through,
        name=str(spec.get("name", "")),
    )


def _read_gltf(path: Path) -> tuple[list[_Part], dict]:
    """Parts of a glTF/GLB file and its agentvision scene extras."""
    data = path.read_bytes()
    try:
        if path.suffix.lower() == ".glb":
            header, rest = _split_glb(path, data)
        else:
            header, rest = json.loads(data), b""
    except (ValueError, UnicodeDecodeError) as exc:
        raise SceneError(f"{path}: broken glTF, its JSON header cannot be parsed ({exc}); re-export the file") from exc
    if not isinstance(header, dict):
        raise SceneError(f"{path}: broken glTF, its header is not a JSON object; re-export the file")
    undecodable = {"EXT_meshopt_compression"} | (set() if find_spec("DracoPy") else {"KHR_draco_mesh_compression"})
    required = set(header.get("extensionsRequired", [])) & undecodable
    if required:
        names = ", ".join(sorted(required))
        raise SceneError(f"{path}: uses {names}, which cannot be decoded here; re-export it uncompressed")
    original = json.loads(json.dumps(header))  # names, extras and primitives before the rewrite
    try:
        frames = _name_frames(header)
        if path.suffix.lower() == ".glb":
            loaded = trimesh.load(io.BytesIO(pack_glb(header, rest)), file_type="glb", force="scene")
        else:
            resolver = trimesh.resolvers.FilePathResolver(str(path))
            loaded = trimesh.load(io.BytesIO(json.dumps(header).encode()), "gltf", resolver=resolver, force="scene")
    except Exception as exc:  # trimesh raises many kinds on broken buffers
        raise SceneError(f"{path}: broken glTF, its geometry cannot be read ({type(exc).__name__}: {exc})") from exc

    stem = snake_case(path.stem) or "mesh"
    parts: list[tuple[tuple[int, int], _Part]] = []
    for frame in loaded.graph.nodes_geometry:
        if frame not in frames:
            continue
        b, k = frames[frame]
        matrix, geometry_name = loaded.graph[frame]
        geometry = loaded.geometry.get(geometry_name)
        if not isinstance(geometry, trimesh.Trimesh) or len(geometry.faces) == 0:
            continue
        node = original["nodes"][b]
        mesh_spec = original["meshes"][node["mesh"]]
        transform = Y_UP_TO_Z_UP @ matrix
        extras = node.get("extras") if isinstance(node.get("extras"), dict) else {}
        label = extras.get("label")
        part = _Part(
            name=snake_case(str(node.get("name") or mesh_spec.get("name") or "")) or stem,
            mesh=_world_mesh(geometry, transform),
            material=_gltf_material(original, mesh_spec["primitives"][k], geometry),
            label=snake_case(label) if isinstance(label, str) and snake_case(label) else None,
        )
        if k == 0:
            for lamp in extras.get("lamps", []) if isinstance(extras.get("lamps"), list) else []:
                if isinstance(lamp, dict) and len(lamp.get("position", [])) == 3:
                    position = transform @ np.append(np.asarray(lamp["position"], dtype=np.float64), 1.0)
                    part.lamps.append((position[:3], lamp))
        parts.append(((b, k), part))
    scenes = original.get("scenes", [])
    chosen = original.get("scene", 0)
    scene_spec = scenes[chosen] if isinstance(chosen, int) and 0 <= chosen < len(scenes) else {}
    extras = scene_spec.get("extras", {}) if isinstance(scene_spec.get("extras"), dict) else {}
    ours = extras.get(EXTRAS_KEY, {}) if isinstance(extras.get(EXTRAS_KEY), dict) else {}
    return [part for _, part in sorted(parts, key=lambda item: item[0])], ours


# ----- OBJ, PLY, STL ------------------------------------------------------------------------
def _plain_material(mesh: trimesh.Trimesh) -> Material:
    """Material of a non-glTF mesh: texture, else diffuse colour, else vertex/face colours (sRGB)."""
    visual = mesh.visual
    loaded = getattr(visual, "material", None)
    image = getattr(loaded, "image", None)
    if image is not None:
        return Material(base_color=_clip_color(_mean_surface_color(mesh, image, linear_vertex_colors=False)))
    if loaded is not None and getattr(loaded, "diffuse", None) is not None:
        return Material(base_color=_clip_color(srgb_to_linear(np.asarray(loaded.diffuse[:3], dtype=np.float64) / 255)))
    if visual.kind in ("vertex", "face"):
        return Material(base_color=_clip_color(_mean_surface_color(mesh, None, linear_vertex_colors=False)))
    return Material()


def _read_mesh_file(path: Path) -> list[_Part]:
    try:
        loaded = trimesh.load(str(path), force="scene")
    except Exception as exc:
        raise SceneError(f"{path}: broken {path.suffix[1:].upper()} file ({type(exc).__name__}: {exc})") from exc
    axes = Y_UP_TO_Z_UP if path.suffix.lower().lstrip(".") in Y_UP_FORMATS else np.eye(4)
    stem = snake_case(path.stem) or "mesh"
    order = {name: i for i, name in enumerate(loaded.geometry)}
    frames = sorted(loaded.graph.nodes_geometry, key=lambda f: (order.get(loaded.graph[f][1], len(order)), f))
    parts = []
    for frame in frames:
        matrix, geometry_name = loaded.graph[frame]
        geometry = loaded.geometry.get(geometry_name)
        if not isinstance(geometry, trimesh.Trimesh) or len(geometry.faces) == 0:
            continue
        named = frame not in (path.name, geometry.metadata.get("file_name"))  # trimesh names lone meshes by file
        name = snake_case(frame) if named else ""
        parts.append(
            _Part(name=name or stem, mesh=_world_mesh(geometry, axes @ matrix), material=_plain_material(geometry))
        )
    return parts


def _world_mesh(geometry: trimesh.Trimesh, transform: np.ndarray) -> trimesh.Trimesh:
    """A bare copy of ``geometry`` (no visuals) with ``transform`` applied; winding kept outward."""
    vertices = trimesh.transform_points(np.asarray(geometry.vertices, dtype=np.float64), transform)
    faces = np.asarray(geometry.faces, dtype=np.int64)
    if np.linalg.det(transform[:3, :3]) < 0:
        faces = faces[:, ::-1]
    return trimesh.Trimesh(vertices=vertices, faces=faces, process=False)


# ----- public API ---------------------------------------------------------------------------
def _checked(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise SceneError(
            f"{path}: unsupported file type {path.suffix or '(no suffix)'!r}; supported: {', '.join(SUFFIXES)}"
        )
    if not path.is_file():
        raise SceneError(f"{path}: file not found; check the path (relative paths start at {Path.cwd()})")
    if path.stat().st_size == 0:
        raise SceneError(f"{path}: the file is empty (0 bytes); re-export it")
    return path


MAX_EXTENT_M = 2000.0
"""The largest scene agentvision searches: 2 km across (its search grid and anchors scale with the subject)."""


def _check_extent(path: Path, parts: list) -> None:
    """SceneError naming the file when a vertex is not a finite number or the scene is larger than 2 km (a
    file in millimetres or centimetres looks 1000 or 100 times too large)."""
    for part in parts:
        vertices = np.asarray(part.mesh.vertices, dtype=float)
        if not np.isfinite(vertices).all():
            raise SceneError(
                f"{path}: object {part.name!r} has vertices that are not finite numbers (NaN or infinity); "
                "fix or remove it in a 3D editor and export again"
            )
    lo = np.min([np.min(p.mesh.vertices, axis=0) for p in parts], axis=0)
    hi = np.max([np.max(p.mesh.vertices, axis=0) for p in parts], axis=0)
    size = float(np.max(hi - lo))
    if size > MAX_EXTENT_M:
        hint = next(
            (
                f"if it was modelled in {unit}, scale it by {factor:g} on export"
                for unit, factor in (("millimetres", 0.001), ("centimetres", 0.01))
                if size * factor <= MAX_EXTENT_M and size * factor >= 0.5
            ),
            "crop it to the part you want to photograph",
        )
        raise SceneError(
            f"{path}: the scene is {size:.3g} m across, larger than the {MAX_EXTENT_M:g} m agentvision searches "
            f"(it reads metres); {hint}"
        )


def load_file(path: str | Path) -> Scene:
    """Load a glTF/GLB, OBJ, PLY or STL file as an unlit Scene (see the module docstring)."""
    path = _checked(path)
    if path.suffix.lower() in (".glb", ".gltf"):
        parts, extras = _read_gltf(path)
    else:
        parts, extras = _read_mesh_file(path), {}
    if not parts:
        raise SceneError(f"{path}: contains no triangles (only points, lines or empty meshes); nothing to photograph")
    _check_extent(path, parts)
    names = _unique_names([p.name for p in parts])
    objects = [
        SceneObject(name=name, label=part.label or label_from_name(name), mesh=part.mesh, material=part.material)
        for name, part in zip(names, parts, strict=True)
    ]
    lamps = [
        Lamp(
            object=name,
            position=tuple(float(v) for v in position),
            color=_clip_color(spec.get("color", Lamp.color)) if len(spec.get("color", [])) == 3 else Lamp.color,
            intensity=float(spec.get("intensity", Lamp.intensity)),
        )
        for name, part in zip(names, parts, strict=True)
        for position, spec in part.lamps
    ]
    if "floor_z" in extras:
        floor_z = None if extras["floor_z"] is None else float(extras["floor_z"])
    else:
        floors = [o for name in FLOOR_NAMES for o in objects if o.name == name]
        floor_z = float(floors[0].bounds[1, 2]) if floors else None
    return Scene(
        name=snake_case(path.stem) or "scene",
        objects=objects,
        lamps=lamps,
        floor_z=floor_z,
        interior=bool(extras.get("interior", False)),
        description=str(extras.get("description", "")),
        source=str(path),
    )
