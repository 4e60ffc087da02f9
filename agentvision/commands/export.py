"""``agentvision export``: a scene as standard glTF binary."""

from __future__ import annotations

from rich.console import Console

from agentvision.errors import OutputError
from agentvision.photoflow.job import check_writable
from agentvision.scene.export import export_glb
from agentvision.scene.library import load_scene
from agentvision.scene.model import SceneError


def export_command(args) -> int:
    if args.out.suffix.lower() != ".glb":
        raise SceneError(f"export writes glTF binary: give an output name ending in .glb, not {args.out.name!r}")
    check_writable(args.out.parent, "into", "-o")
    if args.out.is_dir():
        raise OutputError(f"-o {args.out} is a folder; give a file name ending in .glb")
    scene = load_scene(args.scene)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        export_glb(scene, args.out)
    except OSError as exc:
        raise OutputError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    Console(stderr=True).print(f"wrote {args.out} ({len(scene.objects)} objects, {scene.triangle_count:,} triangles)")
    return 0
