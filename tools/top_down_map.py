"""top_down_map: a labelled plan of the scene seen from above, with cameras drawn on it."""

from smolagents import Tool


class TopDownMapTool(Tool):
    name = "top_down_map"
    description = (
        "Draws a labelled top-down plan of the scene (north up, +X east to the right, a metre grid and scale bar), "
        "optionally with cameras drawn as markers with their view cones, and shows it to you at your next step. "
        "Returns text with the saved path ('saved: PATH'), the scale and the scene's extent in metres."
    )
    inputs = {
        "scene": {
            "type": "string",
            "description": "library scene name or scene file (empty: the current scene)",
            "nullable": True,
        },
        "cameras": {
            "type": "string",
            "description": "a camera JSON object or a JSON list of them to draw (C1, C2...; empty: none)",
            "nullable": True,
        },
        "size": {"type": "integer", "description": "image size in pixels (default 768)", "nullable": True},
    }
    output_type = "string"

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, scene: str | None = None, cameras: str | None = None, size: int | None = None) -> str:
        from agentvision.camera import parse_cameras
        from agentvision.scene.topdown import top_down
        from agentvision.toolcontext import ToolInputError

        ctx = self.context
        lit = ctx.get_scene(scene)
        cams = parse_cameras(cameras) if cameras and str(cameras).strip() else []
        size = int(size or 768)
        if not 128 <= size <= 4096:
            raise ToolInputError(f"size {size} px is outside 128..4096")
        plan = top_down(lit, size, cams)
        path = ctx.save_image(plan.image, f"map-{lit.name}")
        ctx.show(plan.image, f"top_down_map: {lit.name}, saved {path.name}")
        t = plan.transform
        corners = t.pixel_to_world([(0, plan.image.height), (plan.image.width, 0)])
        x0, y0 = corners[0]
        x1, y1 = corners[1]
        lines = [
            f"Top-down map of {lit.name}: north up, +X east to the right, {t.metres_per_px * 100:.1f} cm per pixel; "
            f"the map spans x {x0:.1f}..{x1:.1f} m and y {y0:.1f}..{y1:.1f} m.",
            f"saved: {path}",
        ]
        for k, cam in enumerate(cams, 1):
            tag = cam.extra.get("name", f"C{k}") if len(cams) > 1 or cam.extra.get("name") else "camera"
            lines.append(
                f"{tag}: at {[round(v, 2) for v in cam.position]} looking at {[round(v, 2) for v in cam.look_at]}, "
                f"{cam.focal_mm:g} mm"
            )
        lines.append("The map is shown to you at your next step.")
        return "\n".join(lines)
