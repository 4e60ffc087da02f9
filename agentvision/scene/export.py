"""Scenes written as glTF binary (GLB): Y up, one node per object, PBR materials with their maps
(PNG, lossless), UVs and vertex colours, lamps and the scene's facts (floor, interior, overview
camera) in the scene's extras, so that :func:`load_file` reads back the same scene; optionally a
photo's camera as a glTF camera node (:meth:`Camera.to_gltf`)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import trimesh
from PIL import Image

from agentvision.camera import Camera
from agentvision.conventions import Z_UP_TO_Y_UP
from agentvision.scene.files import EXTRAS_KEY
from agentvision.scene.model import COLOR, UV, Material, Scene, SceneError, Texture, per_vertex

_WRAP_CODES = {"repeat": 10497, "mirror": 33648, "clamp": 33071}
_ATTRIBUTES = {f"_{UV}": "TEXCOORD_0", f"_{COLOR}": "COLOR_0"}  # trimesh writes vertex_attributes as _name


def _gltf_material_spec(material: Material, fallback_name: str, texture: Callable[[Texture], int]) -> tuple[dict, set]:
    """A glTF 2.0 PBR material (linear factors, maps by ``texture(t)`` index) and the extensions it uses."""
    emissive = np.asarray(material.emissive, dtype=np.float64)
    strength = float(emissive.max()) if emissive.max() > 1.0 else 1.0
    pbr = {
        "baseColorFactor": [float(c) for c in material.base_color] + [1.0],
        "metallicFactor": float(material.metallic),
        "roughnessFactor": float(material.roughness),
    }
    spec = {
        "name": material.name or fallback_name,
        "pbrMetallicRoughness": pbr,
        "emissiveFactor": [float(c) for c in emissive / strength],
        "doubleSided": True,
    }
    if material.base_color_map is not None:
        pbr["baseColorTexture"] = {"index": texture(material.base_color_map)}
    if material.metallic_roughness_map is not None:
        pbr["metallicRoughnessTexture"] = {"index": texture(material.metallic_roughness_map)}
    if material.normal_map is not None:
        spec["normalTexture"] = {"index": texture(material.normal_map), "scale": float(material.normal_scale)}
    if material.emissive_map is not None:
        spec["emissiveTexture"] = {"index": texture(material.emissive_map)}
    if material.alpha_mode != "opaque":
        spec["alphaMode"] = material.alpha_mode.upper()
        if material.alpha_mode == "mask":
            spec["alphaCutoff"] = float(material.alpha_cutoff)
    extensions: dict = {}
    if strength > 1.0:
        extensions["KHR_materials_emissive_strength"] = {"emissiveStrength": strength}
    if material.glass:
        extensions["KHR_materials_transmission"] = {"transmissionFactor": 1.0}
    if extensions:
        spec["extensions"] = extensions
    return spec, set(extensions)


def export_glb(scene: Scene, path: str | Path, camera: Camera | None = None, camera_name: str = "photo") -> Path:
    """Write ``scene`` as glTF 2.0 binary (Y up): one named node, mesh and PBR material per object.

    Labels and lamps go in each node's ``extras``; floor_z, interior and description in the scene's
    ``extras['agentvision']``, so ``load_file`` gives the same scene back. ``camera`` adds a node named
    ``camera_name`` holding that camera (Blender and other viewers open the same view). Returns the path written.
    """
    path = Path(path)
    if path.suffix.lower() != ".glb":
        raise SceneError(f"{path}: export_glb writes binary glTF; give a path ending in .glb")
    if not scene.objects:
        raise SceneError(f"scene {scene.name!r} has no objects; there is nothing to export")
    to_file = Z_UP_TO_Y_UP
    container = trimesh.Scene()
    for obj in scene.objects:
        vertices, faces, attributes = per_vertex(obj.mesh)
        vertices = trimesh.transform_points(vertices, to_file)
        if not obj.material.maps:
            attributes.pop(UV, None)
        bare = trimesh.Trimesh(vertices=vertices, faces=faces, vertex_attributes=attributes, process=False)
        container.add_geometry(bare, geom_name=obj.name, node_name=obj.name)

    textures: list[Texture] = []
    by_texture: dict[Texture, int] = {}

    def texture_index(t: Texture) -> int:
        if t not in by_texture:
            by_texture[t] = len(textures)
            textures.append(t)
        return by_texture[t]

    materials: list[dict] = []
    material_index: dict[Material, int] = {}
    used: set[str] = set()
    for obj in scene.objects:
        if obj.material not in material_index:
            spec, extensions = _gltf_material_spec(obj.material, obj.name, texture_index)
            material_index[obj.material] = len(materials)
            materials.append(spec)
            used |= extensions
    views: list[int] = []

    def add_images(buffer_items, tree) -> None:
        """Each texture as a PNG in the binary buffer (its bufferView index is its place among the items)."""
        for i, t in enumerate(textures):
            data = _png(t)
            key = f"agentvision-image-{i}"
            buffer_items[key] = data + b"\0" * (-len(data) % 4)
            views.append(list(buffer_items).index(key))

    by_name = {obj.name: obj for obj in scene.objects}
    lamps: dict[str, list[dict]] = {}
    for lamp in scene.lamps:
        position = trimesh.transform_points(np.asarray([lamp.position], dtype=np.float64), to_file)[0]
        entry = {"position": position.tolist(), "color": list(lamp.color), "intensity": float(lamp.intensity)}
        lamps.setdefault(lamp.object, []).append(entry)

    def finish(tree: dict) -> None:
        """Name nodes after their objects, attach materials and extras (trimesh may rename things)."""
        tree["materials"] = materials
        samplers = sorted({t.wrap for t in textures})
        if textures:
            tree["images"] = [{"bufferView": v, "mimeType": "image/png"} for v in views]
            tree["samplers"] = [{"wrapS": _WRAP_CODES[s], "wrapT": _WRAP_CODES[t]} for s, t in samplers]
            tree["textures"] = [{"source": i, "sampler": samplers.index(t.wrap)} for i, t in enumerate(textures)]
        for mesh in tree["meshes"]:
            for primitive in mesh["primitives"]:
                primitive["material"] = material_index[by_name[mesh["name"]].material]
                primitive["attributes"] = {_ATTRIBUTES.get(k, k): v for k, v in primitive["attributes"].items()}
        for node in tree["nodes"]:
            if "mesh" in node:
                obj = by_name[tree["meshes"][node["mesh"]]["name"]]
                node["name"] = obj.name
                node["extras"] = {"label": obj.label} | ({"lamps": lamps[obj.name]} if obj.name in lamps else {})
        ours = {"floor_z": scene.floor_z, "interior": scene.interior, "description": scene.description}
        tree["scenes"][0]["extras"] = {EXTRAS_KEY: ours}
        if used:
            tree["extensionsUsed"] = sorted(set(tree.get("extensionsUsed", [])) | used)
        if camera is not None:
            spec, matrix = camera.to_gltf(camera_name)
            tree["cameras"] = [*tree.get("cameras", []), spec]
            tree["nodes"].append(
                {"name": camera_name, "camera": len(tree["cameras"]) - 1, "matrix": matrix.T.reshape(-1).tolist()}
            )
            tree["scenes"][0]["nodes"].append(len(tree["nodes"]) - 1)

    data = trimesh.exchange.gltf.export_glb(
        container, include_normals=False, tree_postprocessor=finish, buffer_postprocessor=add_images
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _png(texture: Texture) -> bytes:
    """The texture's pixels as a PNG (lossless, so a loaded copy has the same pixels)."""
    pixels = texture.pixels if texture.channels > 1 else texture.pixels[..., 0]
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(out, format="PNG")
    return out.getvalue()
