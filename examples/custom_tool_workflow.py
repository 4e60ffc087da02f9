"""A custom smolagents Tool used together with agentvision's catalog tools.

The custom tool, ``golden_ratio_overlay``, draws the golden-ratio grid (lines at 0.382 and 0.618 of
the frame) on an image and says how far a point is from the nearest golden-ratio crossing. The
workflow renders a view of a scene (``render_view``), finds where the subject sits
(``composition_analysis``) and checks it against the golden ratio (the custom tool).

    python examples/custom_tool_workflow.py                       # the tool chain, called from Python
    python examples/custom_tool_workflow.py --model openai:MODEL  # a CodeAgent (VLM) runs the chain

Without ``--model`` the same tools are called directly from Python (tools are callables), so the
example runs on a laptop with no model. A custom tool gets the agent's image outbox by defining an
``outbox`` attribute: ``make_agent`` sets it, and whatever the tool puts there reaches the model at
its next step.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

from PIL import Image, ImageDraw
from smolagents import Tool

from agentvision.codeagent import make_agent
from agentvision.toolcontext import ToolContext
from agentvision.tools import make_tools

PHI = (1 + math.sqrt(5)) / 2
LINES = (1 - 1 / PHI, 1 / PHI)  # 0.382, 0.618
CAMERA = {"position": [4.6, 3.9, 1.5], "look_at": [3.0, 0.6, 0.6], "focal_mm": 28, "aspect": "3:2"}


class GoldenRatioOverlay(Tool):
    """Draws the golden-ratio grid on an image and measures a point against it."""

    name = "golden_ratio_overlay"
    description = (
        "Draws the golden-ratio grid (lines at 0.382 and 0.618 of the width and height) on an image file, saves "
        "it beside the image and shows it to you at your next step. Give a point (x, y as fractions of the frame, "
        "e.g. a subject centroid) to get its distance to the nearest golden-ratio crossing. Returns a JSON string."
    )
    inputs = {
        "image": {"type": "string", "description": "path of the image"},
        "x": {"type": "number", "description": "point x as a fraction of the width (0 left)", "nullable": True},
        "y": {"type": "number", "description": "point y as a fraction of the height (0 top)", "nullable": True},
    }
    output_type = "string"

    def __init__(self):
        super().__init__()
        self.outbox = None  # make_agent wires the agent's ImageOutbox here

    def forward(self, image: str, x: float | None = None, y: float | None = None) -> str:
        path = Path(image)
        im = Image.open(path).convert("RGB")
        draw = ImageDraw.Draw(im)
        w, h = im.size
        for f in LINES:
            draw.line([(f * w, 0), (f * w, h)], fill=(255, 200, 0), width=2)
            draw.line([(0, f * h), (w, f * h)], fill=(255, 200, 0), width=2)
        report: dict = {"lines": [round(v, 3) for v in LINES]}
        if x is not None and y is not None:
            crossings = [(a, b) for a in LINES for b in LINES]
            nearest = min(crossings, key=lambda p: math.hypot(p[0] - x, p[1] - y))
            report["point"] = [round(x, 3), round(y, 3)]
            report["nearest_crossing"] = [round(v, 3) for v in nearest]
            report["distance"] = round(math.hypot(nearest[0] - x, nearest[1] - y), 3)
            r = max(4, w // 60)
            draw.ellipse([x * w - r, y * h - r, x * w + r, y * h + r], outline=(255, 40, 40), width=3)
        out = path.with_name(path.stem + "-golden.png")
        im.save(out)
        report["saved"] = str(out)
        if self.outbox is not None:
            self.outbox.put(im, f"golden_ratio_overlay of {path.name}")
        return json.dumps(report)


TASK = (
    "Render the living_room from this camera: {camera}. Find where the sofa sits in the frame with "
    "composition_analysis (subject 'sofa'), then check the sofa's centroid against the golden ratio with "
    "golden_ratio_overlay. Answer with the distance to the nearest golden-ratio crossing and one sentence on "
    "whether the framing should change."
)


def run_tools(out_dir: Path) -> dict:
    """The workflow with the tools called directly from Python (no model)."""
    ctx = ToolContext(out_dir=out_dir)
    tools = {t.name: t for t in make_tools(["render_view", "composition_analysis"], context=ctx)}
    golden = GoldenRatioOverlay()
    rendered = tools["render_view"](scene="living_room", camera=json.dumps(CAMERA))
    image = re.search(r"saved: (.*)", rendered).group(1)
    composition = json.loads(tools["composition_analysis"](image=image, subject="sofa"))
    x, y = composition["thirds"]["centroid"]
    ratio = json.loads(golden(image=image, x=x, y=y))
    return {"render": image, "placement": composition["thirds"]["placement"], "golden": ratio}


def run_agent(model, out_dir: Path, keep_images: int = 3):
    """The workflow as a task for a CodeAgent with the catalog tools and the custom tool."""
    ctx = ToolContext(out_dir=out_dir)
    agent = make_agent(
        model, ["render_view", "composition_analysis", GoldenRatioOverlay()], context=ctx, keep_images=keep_images
    )
    return agent.run(TASK.format(camera=json.dumps(CAMERA)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model spec (openai:MODEL_ID, transformers:PATH); default: no model")
    parser.add_argument("--out", type=Path, default=Path("runs/example-custom-tool"), help="output folder")
    args = parser.parse_args(argv)
    if args.model and args.model != "builtin":
        print(run_agent(args.model, args.out))
        return 0
    print("No --model given: running the tool chain directly from Python (render_view -> composition_analysis ->")
    print("golden_ratio_overlay). Pass --model openai:MODEL_ID to let a CodeAgent drive the same tools.")
    result = run_tools(args.out)
    g = result["golden"]
    print(f"render: {result['render']}")
    print(
        f"sofa placed {result['placement']}; nearest golden-ratio crossing {g['nearest_crossing']}, "
        f"distance {g['distance']}"
    )
    print(f"overlay: {g['saved']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
