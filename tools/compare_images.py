"""compare_images: how two images differ, with a side-by-side and difference picture."""

from smolagents import Tool


class CompareImagesTool(Tool):
    name = "compare_images"
    description = (
        "Compares two image files and shows you them side by side with their differences. Returns a JSON "
        "string: 'identical', sizes, mean and largest pixel "
        "difference (0..255), the share of pixels that changed, PSNR in dB, the change in mean lightness "
        "(positive: B is brighter) and the box (fractions x0,y0,x1,y1) holding the changes. Saves and shows you "
        "A, B and a difference map (changes in red) side by side."
    )
    inputs = {
        "image_a": {"type": "string", "description": "path of the first image"},
        "image_b": {"type": "string", "description": "path of the second image"},
    }
    output_type = "string"
    panel_height = 360

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, image_a: str, image_b: str) -> str:
        import json

        from PIL import Image

        from agentvision.vision.compare import CHANGE_LEVEL, difference_heatmap, image_difference

        path_a, a = self.context.read_image(image_a)
        path_b, b = self.context.read_image(image_b)
        diff = image_difference(a, b)
        panels = [self._panel(a), self._panel(b), self._panel(difference_heatmap(a, b))]
        sheet = Image.new("RGB", (sum([p.width for p in panels]) + 16 * 2, self.panel_height), (255, 255, 255))
        x = 0
        for p in panels:
            sheet.paste(p, (x, 0))
            x += p.width + 16
        out = self.context.save_image(sheet, f"compare-{path_a.stem}-{path_b.stem}")
        self.context.show(sheet, f"compare_images: {path_a.name} | {path_b.name} | differences in red")
        report = diff.to_dict()
        if diff.identical:
            verdict = "identical"
        elif diff.changed_fraction == 0:
            verdict = f"nearly identical (no pixel differs by more than {CHANGE_LEVEL}/255)"
        else:
            verdict = f"{diff.changed_fraction:.1%} of pixels changed"
        report.update({"verdict": verdict, "image_a": str(path_a), "image_b": str(path_b), "saved": str(out)})
        if not diff.same_size:
            report["note"] = "the images differ in size: B was resized to A's size to compare pixels"
        return json.dumps(report)

    def _panel(self, rgb):
        """An image scaled to the panel height."""
        from PIL import Image

        im = Image.fromarray(rgb)
        width = max(1, round(im.width * self.panel_height / im.height))
        return im.resize((width, self.panel_height), Image.Resampling.LANCZOS)
