"""``agentvision export``: a scene as standard glTF binary."""

from __future__ import annotations

from rich.console import Console

from agentvision.scene.export import export_glb
from agentvision.scene.library import load_scene
from agentvision.scene.model import SceneError


def export_command(args) -> int:
    if args.out.suffix.lower() != ".glb":
        raise SceneError(f"export writes glTF binary: give an output name ending in .glb, not {args.out.name!r}")
    scene = load_scene(args.scene)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    export_glb(scene, args.out)
    Console(stderr=True).print(f"wrote {args.out} ({len(scene.objects)} objects, {scene.triangle_count:,} triangles)")
    return 0
