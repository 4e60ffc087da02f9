"""render_view: render the scene from a camera; the model sees the picture at its next step."""

from smolagents import Tool


class RenderViewTool(Tool):
    name = "render_view"
    description = (
        "Renders the 3D scene from a camera and shows you the image at your next step. Returns text: where the image "
        "was saved ('saved: PATH', usable by the image tools), the camera used, and how much of the frame each "
        "object covers. A camera is a JSON string: "
        '{"position": [x, y, z], "look_at": [x, y, z], "roll_deg": 0, "focal_mm": 35, "f_number": 8, '
        '"aspect": "3:2"} (metres, Z up, +X east, +Y north; aspect also "16:9", "4:3", "1:1", "2:3", "4:5", "9:16"). '
        "Leave camera empty for the scene's overview view."
    )
    inputs = {
        "camera": {"type": "string", "description": "camera JSON (empty: the scene's overview)", "nullable": True},
        "scene": {
            "type": "string",
            "description": "library scene name or scene file (empty: the current scene)",
            "nullable": True,
        },
        "time_of_day": {
            "type": "string",
            "description": "dawn, morning, noon, afternoon, golden_hour, dusk, blue_hour or night (empty: the scene's)",
            "nullable": True,
        },
        "width": {"type": "integer", "description": "image width in pixels (default 640)", "nullable": True},
        "quality": {
            "type": "string",
            "description": "'preview' (default, fast) or 'final' (antialiasing, ambient occlusion, depth of field)",
            "nullable": True,
        },
    }
    output_type = "string"

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(
        self,
        camera: str | None = None,
        scene: str | None = None,
        time_of_day: str | None = None,
        width: int | None = None,
        quality: str | None = None,
    ) -> str:
        from agentvision.camera import Camera
        from agentvision.render import RenderSettings, render_scene
        from agentvision.render.views import camera_report, default_camera
        from agentvision.toolcontext import ToolInputError, camera_json, frame_shares, percent_list, write_sidecar

        ctx = self.context
        lit = ctx.get_scene(scene, time_of_day)
        cam = Camera.parse(camera) if camera and str(camera).strip() else default_camera(lit)
        width = int(width or ctx.preview_width)
        if not 16 <= width <= 4096:
            raise ToolInputError(f"width {width} px is outside 16..4096")
        quality = (quality or "preview").strip().lower()
        if quality not in ("preview", "final"):
            raise ToolInputError(f"quality must be 'preview' or 'final', not {quality!r}")
        cam = cam.with_width(width)
        settings = RenderSettings.final() if quality == "final" else RenderSettings.preview()
        result = render_scene(lit, cam, settings, engine=ctx.renderer)
        label = f"{lit.name} at {lit.lighting.preset}"
        path = ctx.save_image(result.image(), f"render-{lit.name}-{lit.lighting.preset}")
        write_sidecar(path, result.ids, cam, lit)
        ctx.show(result.image(), f"render_view: {label}, {cam.focal_mm:g} mm, saved {path.name}")
        lines = [
            f"Rendered {label}, {cam.width}x{cam.height} px ({ctx.renderer}, {quality}, "
            f"{result.timings.get('total', 0.0):.2f} s).",
            f"saved: {path}",
            f"camera: {camera_json(cam)}",
            f"in view (share of frame): {percent_list(frame_shares(result.ids, lit, top=12))}",
        ]
        lines += [f"warning: {w}" for w in camera_report(lit, cam, result)]
        lines.append("The image is shown to you at your next step.")
        return "\n".join(lines)
