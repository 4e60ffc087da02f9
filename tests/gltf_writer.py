"""A minimal glTF 2.0 binary writer for tests: nodes of several primitives, materials, PNG images and samplers.

Written by hand (not with agentvision's exporter) so that loading is tested against files whose
every field the test chose.
"""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np
from PIL import Image

_TYPES = {1: "SCALAR", 2: "VEC2", 3: "VEC3", 4: "VEC4"}


def png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(out, format="PNG")
    return out.getvalue()


def write_glb(path: Path, nodes: list[dict], materials: list[dict], images=(), samplers=(), textures=None) -> Path:
    """Write a GLB. ``nodes``: {"name", "primitives": [{"POSITION", "TEXCOORD_0"?, "COLOR_0"?, "indices",
    "material"?}]} with numpy arrays (glTF's Y-up axes, UVs with v down the image); ``images``: PNG bytes;
    ``textures``: [{"source", "sampler"?}] (default: one per image, no sampler)."""
    blob = bytearray()
    views, accessors = [], []

    def add(data: np.ndarray, target: int | None = None, component: int = 5126) -> int:
        raw = np.ascontiguousarray(data).tobytes()
        views.append(
            {"buffer": 0, "byteOffset": len(blob), "byteLength": len(raw)} | ({"target": target} if target else {})
        )
        blob.extend(raw + b"\0" * (-len(raw) % 4))
        return len(views) - 1

    def accessor(data: np.ndarray, component: int = 5126, target: int = 34962, bounds: bool = False) -> int:
        data = np.asarray(data)
        width = 1 if data.ndim == 1 else data.shape[1]
        spec = {"bufferView": add(data, target), "componentType": component, "count": len(data), "type": _TYPES[width]}
        if bounds:
            spec |= {"min": data.min(axis=0).tolist(), "max": data.max(axis=0).tolist()}
        accessors.append(spec)
        return len(accessors) - 1

    meshes, gltf_nodes = [], []
    for node in nodes:
        primitives = []
        for p in node["primitives"]:
            attributes = {"POSITION": accessor(np.asarray(p["POSITION"], np.float32), bounds=True)}
            for key in ("TEXCOORD_0", "COLOR_0"):
                if key in p:
                    attributes[key] = accessor(np.asarray(p[key], np.float32))
            indices = accessor(np.asarray(p["indices"], np.uint32).reshape(-1), component=5125, target=34963)
            primitive = {"attributes": attributes, "indices": indices}
            if "material" in p:
                primitive["material"] = p["material"]
            primitives.append(primitive)
        meshes.append({"name": node["name"], "primitives": primitives})
        gltf_nodes.append({"name": node["name"], "mesh": len(meshes) - 1})
    header = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": list(range(len(gltf_nodes)))}],
        "nodes": gltf_nodes,
        "meshes": meshes,
        "materials": materials,
        "accessors": accessors,
    }
    if images:
        header["images"] = [
            {"bufferView": add(np.frombuffer(data, np.uint8)), "mimeType": "image/png"} for data in images
        ]
        header["textures"] = textures if textures is not None else [{"source": i} for i in range(len(images))]
    if samplers:
        header["samplers"] = list(samplers)
    header["bufferViews"] = views
    header["buffers"] = [{"byteLength": len(blob)}]
    content = json.dumps(header).encode()
    content += b" " * (-len(content) % 4)
    total = 12 + 8 + len(content) + 8 + len(blob)
    data = struct.pack("<4sII", b"glTF", 2, total) + struct.pack("<II", len(content), 0x4E4F534A) + content
    data += struct.pack("<II", len(blob), 0x004E4942) + bytes(blob)
    path.write_bytes(data)
    return path


def quad(centre=(0.0, 0.0, 0.0), size=2.0, facing="z") -> dict:
    """A square in glTF axes facing +Z ('z', upright, as a picture on a wall) or +Y ('y', lying flat).

    Corners top-left, top-right, bottom-right, bottom-left (as seen from the front) with UVs
    (0, 0), (1, 0), (1, 1), (0, 1): the image appears upright and unmirrored from the front.
    """
    h = size / 2
    c = np.asarray(centre, np.float64)
    if facing == "z":
        corners = [(-h, h, 0), (h, h, 0), (h, -h, 0), (-h, -h, 0)]
    else:  # lying flat, seen from above with -Z (glTF's "forward", our north) at the top
        corners = [(-h, 0, -h), (h, 0, -h), (h, 0, h), (-h, 0, h)]
    return {
        "POSITION": np.asarray(corners) + c,
        "TEXCOORD_0": [(0, 0), (1, 0), (1, 1), (0, 1)],
        "indices": [0, 3, 2, 0, 2, 1],
    }
