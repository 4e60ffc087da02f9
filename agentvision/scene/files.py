"""Scene files: load glTF/GLB, OBJ, PLY and STL as a Scene (export is in :mod:`agentvision.scene.export`).

Loading (``load_file``) returns an unlit Scene (``library.load_scene`` applies the lighting):

- one object per glTF node and mesh primitive (per OBJ group, per PLY/STL file), its mesh in world
  coordinates: scene-graph transforms applied, then the file's axes converted as
  :mod:`agentvision.conventions` says (``Y_UP_FORMATS`` rotate by ``Y_UP_TO_Z_UP``);
- names: the node name (for glTF: else the mesh name, else the file stem), snake_cased and made
  unique in file order (``wheels``, ``wheels_1``); the label is the name without its trailing
  ``_N``/digits, unless the node's ``extras`` carry a ``label``. A glTF mesh with several
  materials becomes one object per material, ``<node>_<material>`` (``walls_floor``), labelled
  by the material's words where they name a part of a room (:data:`PART_LABELS`: ``floor``,
  ``window``...), else by the node;
- materials: glTF's metallic-roughness model kept whole (:class:`~agentvision.scene.model.Material`):
  factors, base colour, normal, metallic-roughness and emissive maps with their samplers' wrap
  modes (``KHR_materials_emissive_strength`` applied), alpha mode and cutoff; OBJ ``map_Kd`` as a
  base colour map. UVs and vertex colours travel with each mesh (per face corner; colours
  in linear light: glTF's COLOR_0 is linear, other formats' colours are sRGB). Glass: a
  ``KHR_materials_transmission`` material, a blended one that is mostly see-through, or one whose
  name says glass (:data:`GLASS_WORDS`). ``mean_color`` keeps the surface's average colour;
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
from dataclasses import dataclass, field, replace
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import trimesh
from PIL import Image

from agentvision.conventions import Y_UP_FORMATS, Y_UP_TO_Z_UP, srgb_to_linear
from agentvision.scene.model import COLOR, UV, Lamp, Material, Scene, SceneError, SceneObject, Texture
from agentvision.scene.textures import mean_color, texture_from_image

SUFFIXES = (".glb", ".gltf", ".obj", ".ply", ".stl")
FLOOR_NAMES = ("floor", "ground")
EXTRAS_KEY = "agentvision"  # scene-level extras written by export_glb

_GLB_MAGIC, _JSON_CHUNK = b"glTF", 0x4E4F534A
_GL_WRAPS = {10497: "repeat", 33648: "mirror", 33071: "clamp"}  # glTF sampler wrap codes

# Words of a material's name that say which part of a room (or thing) a mesh part is; the part is
# labelled so, and the intent reader finds it as "the floor", "the window". First word found wins.
PART_LABELS = {
    "floor": "floor",
    "flooring": "floor",
    "parquet": "floor",
    "ceiling": "ceiling",
    "wall": "walls",
    "walls": "walls",
    "glass": "window",
    "glazing": "window",
    "pane": "window",
    "window": "window",
    "windows": "window",
    "door": "door",
    "roof": "roof",
}
GLASS_WORDS = frozenset({"glass", "glazing", "pane", "panes", "windowpane"})


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


# ----- surfaces: vertex attributes and textures ----------------------------------------------
def _vertex_colors(mesh: trimesh.Trimesh) -> np.ndarray | None:
    """(n_vertices, 4) vertex colours in [0, 1] as stored (no colour-space change), or None."""
    visual = mesh.visual
    colors = None
    if visual.kind == "vertex" and hasattr(visual, "vertex_colors"):
        colors = visual.vertex_colors
    elif getattr(visual, "vertex_attributes", None) is not None and "color" in visual.vertex_attributes:
        colors = visual.vertex_attributes["color"]
    if colors is None or len(colors) != len(mesh.vertices):
        return None
    return _vertex_colors_of(np.asarray(colors))


def _vertex_colors_of(colors: np.ndarray) -> np.ndarray:
    """(N, 3 or 4) colours, integer (normalised) or float, as (N, 4) floats in [0, 1]."""
    if np.issubdtype(colors.dtype, np.integer):
        colors = colors / float(np.iinfo(colors.dtype).max)
    colors = np.asarray(colors, dtype=np.float64).reshape(len(colors), -1)
    if colors.shape[1] == 3:
        colors = np.concatenate([colors, np.ones((len(colors), 1))], axis=1)
    return colors[:, :4]


def _bare_arrays(mesh: trimesh.Trimesh, linear_colors: bool) -> tuple[np.ndarray, np.ndarray, dict]:
    """Vertices, faces and per-corner attributes (UV in glTF's convention, linear RGBA colours) of a loaded mesh."""
    vertices = np.asarray(mesh.vertices, dtype=np.float64)
    faces = np.asarray(mesh.faces, dtype=np.int64)
    attributes: dict[str, np.ndarray] = {}
    uv = getattr(mesh.visual, "uv", None)
    if uv is not None and len(uv) == len(vertices):
        uv = np.asarray(uv, dtype=np.float32)[:, :2].copy()
        uv[:, 1] = 1.0 - uv[:, 1]  # trimesh keeps OBJ's v-up convention; ours is glTF's (v down)
        attributes[UV] = uv[faces]
    colors = _vertex_colors(mesh)
    if colors is not None:
        colors = colors[faces]
    elif mesh.visual.kind == "face":
        face = _vertex_colors_of(np.asarray(mesh.visual.face_colors))
        colors = np.repeat(face[:, None, :], 3, axis=1)
    if colors is not None:
        if not linear_colors:
            colors[..., :3] = srgb_to_linear(colors[..., :3])
        attributes[COLOR] = np.clip(colors, 0.0, 1.0).astype(np.float32)
    return vertices, faces, attributes


class _Textures:
    """Textures of one file, made once per image and use (so materials share them)."""

    def __init__(self) -> None:
        self._made: dict[tuple, Texture] = {}

    def get(self, image, *, srgb: bool, wrap: tuple[str, str], name: str) -> Texture | None:
        if not isinstance(image, Image.Image):
            return None
        key = (id(image), srgb, wrap)
        if key not in self._made:
            self._made[key] = texture_from_image(image, srgb=srgb, wrap=wrap, name=name)
        return self._made[key]


def _clip_color(values) -> tuple[float, float, float]:
    return tuple(float(v) for v in np.clip(np.asarray(values, dtype=np.float64)[:3], 0.0, 1.0))


def _words(name: str) -> list[str]:
    return snake_case(name).split("_")


def is_glass(name: str) -> bool:
    """A material whose name says glass (:data:`GLASS_WORDS`)."""
    return any(word in GLASS_WORDS for word in _words(name))


def part_label(material_name: str) -> str | None:
    """The label a part takes from its material's name (``Wall paint`` -> ``walls``), or None."""
    return next((PART_LABELS[w] for w in _words(material_name) if w in PART_LABELS), None)


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


def _wrap_of(header: dict, info: dict) -> tuple[str, str]:
    """The wrap modes (u, v) of the sampler of a glTF texture reference."""
    textures, samplers = header.get("textures", []), header.get("samplers", [])
    index = info.get("index") if isinstance(info, dict) else None
    texture = textures[index] if isinstance(index, int) and 0 <= index < len(textures) else {}
    s = texture.get("sampler")
    sampler = samplers[s] if isinstance(s, int) and 0 <= s < len(samplers) else {}
    return _GL_WRAPS.get(sampler.get("wrapS"), "repeat"), _GL_WRAPS.get(sampler.get("wrapT"), "repeat")


def _gltf_material(header: dict, primitive: dict, mesh: trimesh.Trimesh, textures: _Textures) -> Material:
    """Material of a glTF primitive from the raw header (exact linear factors) and trimesh's images."""
    materials = header.get("materials", [])
    index = primitive.get("material")
    if not isinstance(index, int) or not 0 <= index < len(materials):
        return Material()
    spec = materials[index]
    name = str(spec.get("name", ""))
    pbr = spec.get("pbrMetallicRoughness", {})
    loaded = getattr(mesh.visual, "material", None)
    has_uv = getattr(mesh.visual, "uv", None) is not None

    def texture(key: str, srgb: bool) -> Texture | None:
        info = pbr.get(key, spec.get(key))
        if not has_uv or not isinstance(info, dict):
            return None
        return textures.get(getattr(loaded, key, None), srgb=srgb, wrap=_wrap_of(header, info), name=f"{name}.{key}")

    factor = np.array(pbr.get("baseColorFactor", [1.0, 1.0, 1.0, 1.0]), dtype=np.float64)
    extensions = spec.get("extensions", {})
    emissive = np.array(spec.get("emissiveFactor", [0.0, 0.0, 0.0]), dtype=np.float64)
    emissive = emissive * float(extensions.get("KHR_materials_emissive_strength", {}).get("emissiveStrength", 1.0))
    transmission = float(extensions.get("KHR_materials_transmission", {}).get("transmissionFactor", 0.0))
    alpha_mode = str(spec.get("alphaMode", "OPAQUE")).lower()
    see_through = alpha_mode == "blend" and len(factor) > 3 and factor[3] < 0.5
    normal_info = spec.get("normalTexture", {})
    return Material(
        base_color=_clip_color(factor),
        roughness=float(np.clip(pbr.get("roughnessFactor", 1.0), 0.0, 1.0)),
        metallic=float(np.clip(pbr.get("metallicFactor", 1.0), 0.0, 1.0)),
        emissive=tuple(float(v) for v in np.maximum(emissive, 0.0)),
        glass=transmission > 0.0 or see_through or is_glass(name),
        name=name,
        base_color_map=texture("baseColorTexture", srgb=True),
        normal_map=texture("normalTexture", srgb=False),
        normal_scale=float(normal_info.get("scale", 1.0)) if isinstance(normal_info, dict) else 1.0,
        metallic_roughness_map=texture("metallicRoughnessTexture", srgb=False),
        emissive_map=texture("emissiveTexture", srgb=True) if emissive.max() > 0 else None,
        alpha_mode=alpha_mode if alpha_mode in ("mask", "blend") else "opaque",
        alpha_cutoff=float(spec.get("alphaCutoff", 0.5)),
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
    textures = _Textures()
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
        label = snake_case(label) if isinstance(label, str) and snake_case(label) else None
        name = snake_case(str(node.get("name") or mesh_spec.get("name") or "")) or stem
        material = _gltf_material(original, mesh_spec["primitives"][k], geometry, textures)
        if len(mesh_spec["primitives"]) > 1:  # one object per material: <node>_<material>
            label = label or part_label(material.name) or label_from_name(name)
            name = f"{name}_{snake_case(material.name) or f'part_{k}'}"
        mesh = _world_mesh(geometry, transform, linear_colors=True)
        part = _Part(name=name, mesh=mesh, material=_with_mean_color(material, mesh), label=label)
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
def _plain_material(mesh: trimesh.Trimesh, textures: _Textures) -> Material:
    """Material of a non-glTF mesh: ``map_Kd`` texture, else diffuse colour (sRGB), else white under vertex colours."""
    visual = mesh.visual
    loaded = getattr(visual, "material", None)
    name = str(getattr(loaded, "name", "") or "")
    if getattr(visual, "uv", None) is not None:
        image = getattr(loaded, "image", None)
        texture = textures.get(image, srgb=True, wrap=("repeat", "repeat"), name=f"{name}.map_Kd")
        if texture is not None:
            return Material(base_color=(1.0, 1.0, 1.0), base_color_map=texture, name=name, glass=is_glass(name))
    if loaded is not None and getattr(loaded, "diffuse", None) is not None:
        color = srgb_to_linear(np.asarray(loaded.diffuse[:3], dtype=np.float64) / 255)
        return Material(base_color=_clip_color(color), name=name, glass=is_glass(name))
    if visual.kind in ("vertex", "face"):
        return Material(base_color=(1.0, 1.0, 1.0))
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
    textures = _Textures()
    parts = []
    for frame in frames:
        matrix, geometry_name = loaded.graph[frame]
        geometry = loaded.geometry.get(geometry_name)
        if not isinstance(geometry, trimesh.Trimesh) or len(geometry.faces) == 0:
            continue
        named = frame not in (path.name, geometry.metadata.get("file_name"))  # trimesh names lone meshes by file
        name = snake_case(frame) if named else ""
        mesh = _world_mesh(geometry, axes @ matrix, linear_colors=False)
        material = _with_mean_color(_plain_material(geometry, textures), mesh)
        parts.append(_Part(name=name or stem, mesh=mesh, material=material))
    return parts


def _world_mesh(geometry: trimesh.Trimesh, transform: np.ndarray, linear_colors: bool) -> trimesh.Trimesh:
    """A copy of ``geometry`` moved by ``transform`` (winding kept outward); UVs and colours as vertex attributes."""
    vertices, faces, attributes = _bare_arrays(geometry, linear_colors)
    vertices = trimesh.transform_points(vertices, transform)
    if np.linalg.det(transform[:3, :3]) < 0:  # a mirror: reverse each face's corners, and their attributes
        faces = faces[:, ::-1]
        attributes = {k: v[:, ::-1] for k, v in attributes.items()}
    return trimesh.Trimesh(vertices=vertices, faces=faces, face_attributes=attributes, process=False)


def _with_mean_color(material: Material, mesh: trimesh.Trimesh) -> Material:
    """``material`` with the surface's mean colour, where maps or vertex colours make it differ from the base colour."""
    if material.base_color_map is None and COLOR not in mesh.face_attributes:
        return material
    return replace(material, mean_color=mean_color(mesh, material))


def _is_floor(obj: SceneObject) -> bool:
    """An object named floor or ground, or a part named after its floor material (``walls_floor``)."""
    return obj.name in FLOOR_NAMES or (obj.label in FLOOR_NAMES and obj.name.endswith(f"_{obj.label}"))


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
        floors = [o for o in objects if _is_floor(o)]
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
