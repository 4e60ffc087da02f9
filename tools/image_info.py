"""image_info: size, shape, exposure and (for renders) the scene and camera of an image file."""

from smolagents import Tool


class ImageInfoTool(Tool):
    name = "image_info"
    description = (
        "Describes an image file: size, shape, exposure and how it was rendered. Returns a JSON string: "
        "width, height, the nearest named aspect ratio, orientation, "
        "file size, mean colour, exposure statistics (lightness percentiles, clipped and crushed shares, black / "
        "blown-out / flat flags), an image-measure aesthetic score, and for render_view images the scene, time of "
        "day and camera JSON it was rendered with. show=true also shows you the image at your next step "
        "(use it to look at an image file you were given)."
    )
    inputs = {
        "image": {"type": "string", "description": "path of the image"},
        "show": {
            "type": "boolean",
            "description": "show the image to you at your next step (default false)",
            "nullable": True,
        },
    }
    output_type = "string"

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, image: str, show: bool | None = None) -> str:
        import json

        from PIL import Image

        from agentvision.camera import nearest_aspect
        from agentvision.toolcontext import read_sidecar
        from agentvision.vision.aesthetics import aesthetic_score
        from agentvision.vision.exposure import exposure_stats

        path, rgb = self.context.read_image(image)
        h, w = rgb.shape[:2]
        with Image.open(path) as im:
            mode, fmt = im.mode, im.format
        info = {
            "path": str(path),
            "format": fmt,
            "mode": mode,
            "width": w,
            "height": h,
            "aspect": nearest_aspect(w / h),
            "orientation": "square" if w == h else ("landscape" if w > h else "portrait"),
            "file_bytes": path.stat().st_size,
            "mean_rgb": [round(float(v), 1) for v in rgb.reshape(-1, 3).mean(axis=0)],
            "exposure": exposure_stats(rgb).to_dict(),
            "aesthetics": aesthetic_score(rgb).to_dict(),
        }
        sidecar = read_sidecar(path)
        if sidecar is not None:
            info["render"] = sidecar.meta
        if show:
            self.context.show(Image.fromarray(rgb), f"image_info: {path.name}")
            info["shown"] = "the image is shown to you at your next step"
        return json.dumps(info)
