"""crop_zoom: cut a region out of an image and enlarge it, to look at details."""

from smolagents import Tool


class CropZoomTool(Tool):
    name = "crop_zoom"
    description = (
        "Crops a region of an image file and enlarges it (longest side 768 px unless told) so you can inspect "
        "details; the crop is saved and shown to you at your next step. The box is 'x0,y0,x1,y1' as fractions "
        "of the image (0,0 top-left; e.g. '0.5,0,1,0.5' is the top-right quarter) or in pixels. Returns text with "
        "the pixel box, the output size and the saved path."
    )
    inputs = {
        "image": {"type": "string", "description": "path of the image"},
        "box": {"type": "string", "description": "x0,y0,x1,y1 as fractions 0..1 (or pixels)"},
        "size": {
            "type": "integer",
            "description": "longest side of the result in pixels (default 768)",
            "nullable": True,
        },
    }
    output_type = "string"
    default_size = 768

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, image: str, box: str, size: int | None = None) -> str:
        from PIL import Image

        from agentvision.toolcontext import ToolInputError

        path, rgb = self.context.read_image(image)
        h, w = rgb.shape[:2]
        x0, y0, x1, y1 = self.parse_box(box, w, h)
        size = int(size or self.default_size)
        if not 16 <= size <= 4096:
            raise ToolInputError(f"size {size} px is outside 16..4096")
        crop = Image.fromarray(rgb[y0:y1, x0:x1])
        scale = size / max(crop.size)
        out_size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
        zoomed = crop.resize(out_size, Image.Resampling.LANCZOS)
        out = self.context.save_image(zoomed, f"crop-{path.stem}")
        self.context.show(zoomed, f"crop_zoom of {path.name}, pixels {x0},{y0}-{x1},{y1}")
        return "\n".join(
            [
                f"Cropped {path.name} ({w}x{h}) to pixels x {x0}..{x1}, y {y0}..{y1} ({x1 - x0}x{y1 - y0}), "
                f"enlarged {scale:.2f}x to {out_size[0]}x{out_size[1]}.",
                f"saved: {out}",
                "The crop is shown to you at your next step.",
            ]
        )

    @staticmethod
    def parse_box(text: str, width: int, height: int) -> tuple[int, int, int, int]:
        """'x0,y0,x1,y1' (or a JSON list) as fractions 0..1 of the image, or pixels when any value is > 1."""
        import json

        from agentvision.toolcontext import ToolInputError

        try:
            raw = json.loads(text) if str(text).strip().startswith("[") else [float(v) for v in str(text).split(",")]
            values = [float(v) for v in raw]
        except (ValueError, TypeError, json.JSONDecodeError):
            values = []
        if len(values) != 4:
            raise ToolInputError(
                f"box {text!r} is not four numbers x0,y0,x1,y1 (fractions 0..1 of the image, or pixels)"
            )
        if all([0.0 <= v <= 1.0 for v in values]):
            values = [values[0] * width, values[1] * height, values[2] * width, values[3] * height]
        x0, y0, x1, y1 = [round(v) for v in values]
        x0, x1 = max(0, min(x0, x1)), min(width, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(height, max(y0, y1))
        if x1 - x0 < 2 or y1 - y0 < 2:
            raise ToolInputError(f"box {text!r} leaves less than 2x2 pixels inside the {width}x{height} image")
        return x0, y0, x1, y1
