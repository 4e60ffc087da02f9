"""``agentvision render``: one image of a scene from a camera."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from agentvision.camera import Camera, CameraError
from agentvision.errors import OutputError
from agentvision.photoflow.job import check_writable
from agentvision.render import RenderSettings, get_renderer
from agentvision.render.base import check_width
from agentvision.render.views import DEFAULT_WIDTH, camera_report, default_camera
from agentvision.scene.library import load_scene
from agentvision.scene.model import Scene


def camera_from_args(args, scene: Scene) -> Camera:
    if args.camera is not None:
        cam = Camera.load(args.camera)
    elif args.look_from is not None or args.look_at is not None:
        if args.look_from is None or args.look_at is None:
            raise CameraError("give both --look-from X,Y,Z and --look-at X,Y,Z (or --camera FILE.json)")
        cam = Camera(args.look_from, args.look_at)
    else:
        cam = default_camera(scene)
    overrides = {"focal_mm": args.focal, "aspect": args.aspect, "f_number": args.f_number, "roll_deg": args.roll}
    overrides = {k: v for k, v in overrides.items() if v is not None}
    # A camera file keeps its width unless --width is given; otherwise the command's default.
    overrides["width"] = args.width or (cam.width if args.camera is not None else DEFAULT_WIDTH)
    return cam.replace(**overrides)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp")


def check_output(path: Path) -> None:
    """OutputError unless ``path`` can be an image file: an image suffix, not a folder, not under a file."""
    if path.is_dir():
        raise OutputError(f"-o {path} is a folder; give an image file name such as {path / 'render.png'}")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise OutputError(f"-o {path}: the name must end in {', '.join(IMAGE_SUFFIXES)} (the format is chosen by it)")
    check_writable(path.parent, "into", "-o")


def render_command(args) -> int:
    console = Console(stderr=True)
    check_output(args.out)
    scene = load_scene(args.scene, args.time)
    camera = camera_from_args(args, scene)
    check_width(camera.width)
    settings = RenderSettings.final() if args.quality == "final" else RenderSettings.preview()
    renderer = get_renderer(args.renderer)
    with console.status(
        f"rendering {scene.name} at {scene.lighting.preset} ({camera.width}x{camera.height}, "
        f"{args.renderer}, {args.quality})"
    ):
        result = renderer.render(scene, camera, settings)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        result.save(args.out)
    except OSError as exc:
        raise OutputError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    for warning in camera_report(scene, camera, result):
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(
        f"wrote [bold]{args.out}[/] ({camera.width}x{camera.height}, {result.timings['total']:.2f} s, "
        f"{len(result.pixel_counts())} objects in view)"
    )
    return 0
