"""compare_images: how two images differ, with a side-by-side and difference picture."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from agentvision.toolcontext import ContextTool
from agentvision.vision.compare import CHANGE_LEVEL, difference_heatmap, image_difference

PANEL_HEIGHT = 360


def _panel(rgb: np.ndarray) -> Image.Image:
    im = Image.fromarray(rgb)
    return im.resize((max(1, round(im.width * PANEL_HEIGHT / im.height)), PANEL_HEIGHT), Image.Resampling.LANCZOS)


class CompareImagesTool(ContextTool):
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

    def forward(self, image_a: str, image_b: str) -> str:
        path_a, a = self.context.read_image(image_a)
        path_b, b = self.context.read_image(image_b)
        diff = image_difference(a, b)
        panels = [_panel(a), _panel(b), _panel(difference_heatmap(a, b))]
        sheet = Image.new("RGB", (sum(p.width for p in panels) + 16 * 2, PANEL_HEIGHT), (255, 255, 255))
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
