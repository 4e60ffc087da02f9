"""``agentvision export``: a scene as standard glTF binary, optionally with a photo's camera."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from agentvision.camera import Camera
from agentvision.errors import OutputError
from agentvision.photoflow.job import check_writable
from agentvision.scene.export import export_glb
from agentvision.scene.library import load_scene
from agentvision.scene.model import SceneError


def camera_file(path: Path) -> Path:
    """A camera JSON file, or a run folder's camera.json."""
    return path / "camera.json" if path.is_dir() else path


def export_command(args) -> int:
    if args.out.suffix.lower() != ".glb":
        raise SceneError(f"export writes glTF binary: give an output name ending in .glb, not {args.out.name!r}")
    camera = Camera.load(camera_file(args.camera)) if args.camera is not None else None  # checked before any work
    check_writable(args.out.parent, "into", "-o")
    if args.out.is_dir():
        raise OutputError(f"-o {args.out} is a folder; give a file name ending in .glb")
    scene = load_scene(args.scene)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        export_glb(scene, args.out, camera=camera)
    except OSError as exc:
        raise OutputError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    with_camera = f", camera node 'photo' ({camera.focal_mm:g} mm, {camera.aspect})" if camera else ""
    Console(stderr=True).print(
        f"wrote {args.out} ({len(scene.objects)} objects, {scene.triangle_count:,} triangles{with_camera})"
    )
    return 0
