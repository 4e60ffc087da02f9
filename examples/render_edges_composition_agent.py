"""An agent that chains render_view, edge_map and composition_analysis on a scene.

    python examples/render_edges_composition_agent.py                          # the chain from Python
    python examples/render_edges_composition_agent.py --model openai:MODEL_ID  # a CodeAgent runs it
    python examples/render_edges_composition_agent.py --scene gallery --time blue_hour

With a model, ``make_agent`` builds a smolagents CodeAgent over the three tools: each tool's image
(the render, the edge map, the thirds overlay) reaches the model at its next step and only the last
few steps keep their images. Without ``--model`` the same three tools are called directly from
Python and the findings printed, so the example runs with no model at all.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from agentvision.codeagent import make_agent
from agentvision.toolcontext import ToolContext
from agentvision.tools import make_tools

TOOLS = ["render_view", "edge_map", "composition_analysis"]
TASK = (
    "Render the {scene} scene at {time} from its overview camera with render_view, then compute its edge map "
    "with edge_map and analyse its composition with composition_analysis (use the 'saved:' path render_view "
    "returns). Look at the images. Answer in three lines: where the structure (edges) is, how the frame is "
    "balanced and exposed, and one change to the camera that would improve the picture."
)


def saved_path(text: str) -> str:
    """The 'saved: PATH' line of a tool's text result."""
    return re.search(r"saved: (.*)", text).group(1).strip()


def run_tools(scene: str, time: str, out_dir: Path) -> dict:
    """The chain called directly from Python (no model): returns each tool's result."""
    ctx = ToolContext(out_dir=out_dir, time_of_day=time)
    render_view, edge_map, composition = make_tools(TOOLS, context=ctx)
    rendered = render_view(scene=scene)
    image = saved_path(rendered)
    edges = edge_map(image=image)
    analysis = json.loads(
        composition(image=image, expected_key="low" if time in ("dusk", "blue_hour", "night") else None)
    )
    return {"render": rendered, "edges": edges, "composition": analysis, "images": len(ctx.outbox)}


def run_agent(model, scene: str, time: str, out_dir: Path, keep_images: int = 3):
    """The chain as a task for a CodeAgent over the three tools."""
    ctx = ToolContext(out_dir=out_dir, time_of_day=time)
    agent = make_agent(model, TOOLS, context=ctx, keep_images=keep_images)
    return agent.run(TASK.format(scene=scene, time=time))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model spec (openai:MODEL_ID, transformers:PATH); default: no model")
    parser.add_argument("--scene", default="staircase", help="library scene or scene file (default staircase)")
    parser.add_argument("--time", default="dusk", help="time of day (default dusk)")
    parser.add_argument("--out", type=Path, default=Path("runs/example-render-edges"), help="output folder")
    args = parser.parse_args(argv)
    if args.model and args.model != "builtin":
        print(run_agent(args.model, args.scene, args.time, args.out))
        return 0
    print("No --model given: calling render_view -> edge_map -> composition_analysis directly from Python.")
    print("Pass --model openai:MODEL_ID to let a CodeAgent (a VLM that sees each image) drive the same tools.")
    result = run_tools(args.scene, args.time, args.out)
    print(result["render"].splitlines()[0])
    print("\n".join(line for line in result["edges"].splitlines() if not line.startswith("The ")))
    c = result["composition"]
    print(
        f"composition: thirds {c['thirds']['placement']}, balance {c['balance']['score']:.2f}, "
        f"exposure {c['exposure']['verdict']}; notes: {'; '.join(c['notes']) or 'none'}"
    )
    print(f"overlay: {c['saved']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
