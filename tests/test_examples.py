"""The examples run: without a model (the tool chain from Python) and as agents driven by a scripted model."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scripted_model import ScriptedModel, code

pytestmark = pytest.mark.slow  # end to end: seconds per test

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(name: str, *args: str, cwd: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("name", ["custom_tool_workflow", "render_edges_composition_agent"])
def test_examples_run_without_a_model(name, tmp_path):
    stdout = run_script(name, "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert "No --model given" in stdout
    pngs = sorted((tmp_path / "out").glob("*.png"))
    assert len(pngs) >= 2  # the render and what the tools made of it


def test_custom_tool_workflow_as_an_agent(tmp_path):
    example = load_example("custom_tool_workflow")
    direct = example.run_tools(tmp_path / "direct")
    model = ScriptedModel(
        [
            code(f"r = render_view(scene='living_room', camera={json.dumps(json.dumps(example.CAMERA))})\nprint(r)"),
            code(
                "import json\nimport re\npath = re.search(r'saved: (.*)', r).group(1).strip()\n"
                "c = json.loads(composition_analysis(image=path, subject='sofa'))\n"
                "x, y = c['thirds']['centroid']\ng = golden_ratio_overlay(image=path, x=x, y=y)\nprint(g)"
            ),
            code("final_answer(json.loads(g)['distance'])"),
        ]
    )
    answer = example.run_agent(model, tmp_path / "agent")
    assert answer == direct["golden"]["distance"]
    assert "golden_ratio_overlay" in model.calls[0][0].text  # the custom tool is offered to the model
    assert len(model.calls[1][-1].images) == 1  # the render, at the next step
    last = model.calls[2][-1]
    assert len(last.images) == 2 and "golden_ratio_overlay of" in last.text  # thirds overlay + golden overlay


def test_render_edges_composition_agent_with_a_scripted_model(tmp_path):
    example = load_example("render_edges_composition_agent")
    model = ScriptedModel(
        [
            code("r = render_view(scene='staircase')\nprint(r)"),
            code("import re\npath = re.search(r'saved: (.*)', r).group(1).strip()\nprint(edge_map(image=path))"),
            code("print(composition_analysis(image=path))"),
            code("final_answer('edges top-left; balanced; lower the camera')"),
        ]
    )
    answer = example.run_agent(model, "staircase", "dusk", tmp_path, keep_images=2)
    assert answer == "edges top-left; balanced; lower the camera"
    render = model.calls[1][-1].images
    assert len(render) == 1 and render[0].size == (640, 427)
    edges = model.calls[2][-1].images
    assert len(edges) == 1 and set(np.unique(np.asarray(edges[0]))) <= {0, 255}  # the edge map itself
    assert len(model.images_in(3)) == 2  # keep_images=2: the render was dropped once the overlay arrived
    assert "dusk" in model.calls[0][1].text  # the task


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.stem)
def test_every_example_takes_a_model(path, tmp_path):
    help_text = run_script(path.stem, "--help", cwd=tmp_path)
    assert "--model" in help_text


def test_custom_reviewer_saves_its_photos_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example = load_example("custom_reviewer")
    example.main(["--rounds", "1", "--candidates", "2", "--width", "96"])
    (root,) = (tmp_path / "runs").iterdir()
    assert root.name.endswith("custom-reviewer")
    assert (root / "builtin" / "photo.png").is_file() and (root / "symmetry" / "photo.png").is_file()
