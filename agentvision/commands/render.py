"""``agentvision render``: one image of a scene from a camera."""

from __future__ import annotations

from rich.console import Console

from agentvision.camera import Camera, CameraError, frame_bounds
from agentvision.render import RenderSettings, get_renderer
from agentvision.render.base import RenderResult
from agentvision.scene.library import load_scene
from agentvision.scene.model import Scene
from agentvision.scene.queries import clearance, inside_geometry

DEFAULT_WIDTH = 1280


def default_camera(scene: Scene) -> Camera:
    """The scene's own overview camera, or one framing its bounds."""
    if scene.default_view:
        return Camera.from_dict({"width": DEFAULT_WIDTH, **scene.default_view})
    return frame_bounds(scene.bounds, width=DEFAULT_WIDTH)


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
    return Camera.from_dict({**cam.to_dict(), **overrides})


def camera_report(scene: Scene, camera: Camera, result: RenderResult) -> list[str]:
    """Warnings about a camera that rendered but probably not as intended."""
    notes = []
    if inside_geometry(scene, camera.position):
        notes.append(f"the camera at {list(camera.position)} is inside geometry; it sees the inside of an object")
    elif clearance(scene, camera.position) < 0.05:
        notes.append("the camera is less than 5 cm from a surface")
    if (result.ids < 0).all():
        notes.append("the camera faces nothing: no object is in frame (check --look-at)")
    return notes


def render_command(args) -> int:
    console = Console(stderr=True)
    scene = load_scene(args.scene, args.time)
    camera = camera_from_args(args, scene)
    settings = RenderSettings.final() if args.quality == "final" else RenderSettings.preview()
    renderer = get_renderer(args.renderer)
    with console.status(
        f"rendering {scene.name} at {scene.lighting.preset} ({camera.width}x{camera.height}, "
        f"{args.renderer}, {args.quality})"
    ):
        result = renderer.render(scene, camera, settings)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result.save(args.out)
    for warning in camera_report(scene, camera, result):
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(
        f"wrote [bold]{args.out}[/] ({camera.width}x{camera.height}, {result.timings['total']:.2f} s, "
        f"{len(result.pixel_counts())} objects in view)"
    )
    return 0
