"""composition_analysis: thirds, balance, horizon, verticals and exposure of an image, with a grid overlay."""

from smolagents import Tool


class CompositionAnalysisTool(Tool):
    name = "composition_analysis"
    description = (
        "Analyses the composition of an image file (thirds, balance, horizon, exposure). Returns a JSON "
        "string: rule-of-thirds placement (of the "
        "subject when you name one, else of the centre of visual weight), visual balance, horizon and verticals "
        "tilt, estimated roll, exposure verdict for the expected key, and short 'notes' to act on. For images "
        "made by render_view you can name a subject (object name or label) and get its coverage, cut-off edges "
        "and margins. Saves and shows you the image with the thirds grid and the measured point drawn on it."
    )
    inputs = {
        "image": {"type": "string", "description": "path of the image (e.g. the 'saved:' path from render_view)"},
        "subject": {
            "type": "string",
            "description": "object name or label to analyse (only for render_view images; empty: none)",
            "nullable": True,
        },
        "expected_key": {
            "type": "string",
            "description": "'low' (dusk, night), 'normal' (default) or 'high' (bright, airy)",
            "nullable": True,
        },
    }
    output_type = "string"
    keys = "low normal high"

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, image: str, subject: str | None = None, expected_key: str | None = None) -> str:
        import json

        from PIL import Image

        from agentvision.toolcontext import ToolInputError, read_sidecar
        from agentvision.vision.composition import centroid, composition_analysis, mask_bbox, subject_mask
        from agentvision.vision.overlays import thirds_overlay

        path, rgb = self.context.read_image(image)
        key = (expected_key or "normal").strip().lower()
        if key not in self.keys.split():
            raise ToolInputError(f"expected_key must be one of {', '.join(self.keys.split())}, not {expected_key!r}")
        mask = None
        subject = (subject or "").strip()
        if subject:
            sidecar = read_sidecar(path)
            if sidecar is None:
                raise ToolInputError(
                    f"{path.name} has no object ids (only render_view images do); call again without subject"
                )
            if not sidecar.indices(subject):
                raise ToolInputError(
                    f"no object or label {subject!r} in this render; it has: {', '.join(sidecar.names)}"
                )
            if sidecar.ids.shape != rgb.shape[:2]:
                raise ToolInputError(f"{path.name} does not match its object ids (was it edited?)")
            mask = sidecar.mask(subject)
        report = composition_analysis(rgb, mask, key)
        if mask is not None:
            point = centroid(subject_mask(mask, rgb.shape))
            box = mask_bbox(mask)  # the subject's pixel box, None when out of frame
        else:
            point, box = report["balance"]["centroid"], None
        drawn = Image.fromarray(thirds_overlay(rgb, point=point, box=box, mask=mask))
        out = self.context.save_image(drawn, f"composition-{path.stem}")
        what = f"subject {subject}" if subject else "centre of visual weight"
        self.context.show(drawn, f"composition_analysis of {path.name}: thirds grid, red mark = {what}")
        report["image"] = str(path)
        report["saved"] = str(out)
        return json.dumps(report)
