"""edge_map: Canny edges of an image, a structural prior the model can read shapes and lines from."""

from smolagents import Tool


class EdgeMapTool(Tool):
    name = "edge_map"
    description = (
        "Computes the Canny edge map of an image file (a structural prior: outlines, lines and shapes without "
        "colour or lighting), saves it and shows it to you at your next step. Returns text with the saved path "
        "('saved: PATH'), the thresholds used, the share of edge pixels and how the edges spread over a 3x3 grid "
        "(where the detail is). overlay=true draws the edges in red over the dimmed image instead of white on black."
    )
    inputs = {
        "image": {"type": "string", "description": "path of the image (e.g. the 'saved:' path from render_view)"},
        "low": {
            "type": "number",
            "description": "lower Canny threshold 0..255 (default: from the median)",
            "nullable": True,
        },
        "high": {
            "type": "number",
            "description": "upper Canny threshold 0..255 (default: from the median)",
            "nullable": True,
        },
        "overlay": {"type": "boolean", "description": "draw edges over the image (default false)", "nullable": True},
    }
    output_type = "string"
    rows = "top middle bottom"
    cols = "left centre right"

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(
        self, image: str, low: float | None = None, high: float | None = None, overlay: bool | None = None
    ) -> str:
        import numpy as np
        from PIL import Image

        from agentvision.toolcontext import ToolInputError
        from agentvision.vision.lines import edge_map, edge_overlay
        from agentvision.vision.overlays import grid_density

        rows, cols = self.rows.split(), self.cols.split()
        path, rgb = self.context.read_image(image)
        for name, v in (("low", low), ("high", high)):
            if v is not None and not 0 <= float(v) <= 255:
                raise ToolInputError(f"{name} threshold {v} is outside 0..255 (or leave it empty)")
        edges = edge_map(rgb, low, high)
        picture = edge_overlay(rgb, edges) if overlay else np.stack([edges] * 3, axis=-1)
        drawn = Image.fromarray(picture)
        out = self.context.save_image(drawn, f"edges-{path.stem}")
        self.context.show(drawn, f"edge_map of {path.name}" + (" (red over the image)" if overlay else ""))
        grid = grid_density(edges)
        cells = sorted([(grid[r, c], f"{rows[r]}-{cols[c]}") for r in range(3) for c in range(3)], reverse=True)
        spread = "; ".join(
            [f"{rows[r]}: " + ", ".join([f"{cols[c]} {grid[r, c]:.1%}" for c in range(3)]) for r in range(3)]
        )
        thresholds = "median rule" if low is None and high is None else f"low {low}, high {high}"
        return "\n".join(
            [
                f"Canny edges of {path.name} ({rgb.shape[1]}x{rgb.shape[0]}, {thresholds}): "
                f"{(edges > 0).mean():.1%} of pixels are edges.",
                f"saved: {out}",
                f"edge share per region: {spread}",
                f"most detail: {cells[0][1]}; least: {cells[-1][1]}",
                "The edge map is shown to you at your next step.",
            ]
        )
