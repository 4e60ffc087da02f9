"""Pack the parlour scene's assets: CC0 furniture and a room shell from RobotLocomotion/models, as small GLBs.

    python scripts/pack_parlour_assets.py PATH/TO/models/tutorials/models/assets [--side 512]

Reads each source glTF (JSON + .bin + textures/), keeps positions, texture coordinates, indices,
materials and samplers exactly, drops vertex normals and tangents (agentvision computes its own
shading normals and tangent frames), box-filters every texture to at most ``--side`` pixels (the
tea set to half that) and stores it as JPEG (PNG where it has alpha), and writes
``scenes/parlour/<name>.glb``. Texture references to images missing from the source are dropped,
with a note. The sources and their licences are listed in the README's Credits.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scenes" / "parlour"
ASSETS = {  # output name: (source glTF, texture side as a fraction of --side)
    "room": ("living_room.gltf", 1.0),
    "curtains": ("curtain_open.gltf", 1.0),
    "sofa": ("sofa_03_1k.gltf", 1.0),
    "cabinet": ("painted_wooden_cabinet_1k.gltf", 1.0),
    "dresser": ("painted_wooden_cabinet_02_1k.gltf", 1.0),
    "stool": ("painted_wooden_stool_1k.gltf", 0.5),
    "bookshelf": ("wooden_bookshelf_worn_1k.gltf", 1.0),
    "table": ("wooden_table_02_1k.gltf", 1.0),
    "tea_set": ("tea_set_posed.gltf", 0.5),
}
KEEP = ("POSITION", "TEXCOORD_0", "COLOR_0")
TEXTURE_KEYS = ("baseColorTexture", "metallicRoughnessTexture", "normalTexture", "occlusionTexture", "emissiveTexture")


def _image_bytes(path: Path, side: int) -> tuple[bytes, str]:
    image = Image.open(path)
    image.load()
    if image.mode in ("I;16", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    alpha = "A" in image.getbands()
    image = image.convert("RGBA" if alpha else ("L" if image.mode in ("L", "LA") else "RGB"))
    factor = -(-max(image.size) // side)
    if factor > 1:
        image = image.reduce(factor)
    out = io.BytesIO()
    if alpha:
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"


def pack(source: Path, side: int) -> tuple[bytes, list[str]]:
    """A GLB of ``source`` with only the kept attributes and downscaled, embedded images; and notes."""
    header = json.loads(source.read_text())
    data = (source.parent / header["buffers"][0]["uri"]).read_bytes()
    notes: list[str] = []
    blob = bytearray()
    views: list[dict] = []

    def add(raw: bytes) -> int:
        views.append({"buffer": 0, "byteOffset": len(blob), "byteLength": len(raw)})
        blob.extend(raw + b"\0" * (-len(raw) % 4))
        return len(views) - 1

    accessors, view_of, remap = [], {}, {}

    def accessor(index: int) -> int:
        """The kept copy of accessor ``index`` (its buffer view copied once, offsets kept)."""
        if index not in remap:
            spec = dict(header["accessors"][index])
            old = spec["bufferView"]
            if old not in view_of:
                view = header["bufferViews"][old]
                start = view.get("byteOffset", 0)
                view_of[old] = add(data[start : start + view["byteLength"]])
                if "byteStride" in view:
                    views[-1]["byteStride"] = view["byteStride"]
            spec["bufferView"] = view_of[old]
            accessors.append(spec)
            remap[index] = len(accessors) - 1
        return remap[index]

    for mesh in header["meshes"]:
        for primitive in mesh["primitives"]:
            primitive["attributes"] = {k: accessor(v) for k, v in primitive["attributes"].items() if k in KEEP}
            if "indices" in primitive:
                primitive["indices"] = accessor(primitive["indices"])
    images, present = [], []
    for image in header.get("images", []):
        path = source.parent / image["uri"]
        if not path.is_file():
            notes.append(f"{source.name}: image {image['uri']} is missing from the source; its texture is dropped")
            present.append(False)
            continue
        raw, mime = _image_bytes(path, side)
        images.append({"name": image.get("name", path.stem), "bufferView": add(raw), "mimeType": mime})
        present.append(True)
    new_index = {old: sum(present[:old]) for old in range(len(present)) if present[old]}
    textures, texture_index = [], {}
    for i, texture in enumerate(header.get("textures", [])):
        if texture.get("source") in new_index:
            texture_index[i] = len(textures)
            textures.append({**texture, "source": new_index[texture["source"]]})
    for material in header.get("materials", []):
        for holder in (material, material.get("pbrMetallicRoughness", {})):
            for key in TEXTURE_KEYS:
                if key in holder:
                    if holder[key]["index"] in texture_index:
                        holder[key]["index"] = texture_index[holder[key]["index"]]
                    else:
                        del holder[key]
    header.update(accessors=accessors, bufferViews=views, buffers=[{"byteLength": len(blob)}])
    header.update(images=images, textures=textures)
    header["asset"] = {**header.get("asset", {}), "copyright": "CC0 1.0 (Poly Haven; Toyota Research Institute)"}
    content = json.dumps(header, separators=(",", ":")).encode()
    content += b" " * (-len(content) % 4)
    total = 12 + 8 + len(content) + 8 + len(blob)
    glb = struct.pack("<4sII", b"glTF", 2, total) + struct.pack("<II", len(content), 0x4E4F534A) + content
    return glb + struct.pack("<II", len(blob), 0x004E4942) + bytes(blob), notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="RobotLocomotion/models' tutorials/models/assets folder")
    ap.add_argument("--side", type=int, default=512, help="longest texture side, pixels (default 512)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, (file, scale) in ASSETS.items():
        glb, notes = pack(args.source / file, max(16, int(args.side * scale)))
        (OUT / f"{name}.glb").write_bytes(glb)
        total += len(glb)
        print(f"{name}.glb  {len(glb) / 1024:.0f} KiB  from {file}")
        for note in notes:
            print("  note:", note, file=sys.stderr)
    print(f"total {total / 1024:.0f} KiB in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
