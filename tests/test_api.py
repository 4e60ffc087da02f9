"""The Python API: ``import agentvision as av``."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import agentvision as av
from agentvision.chat import graphics_mode, half_blocks, sixel_image

ROOT = Path(__file__).resolve().parents[1]


def test_import_is_light():
    heavy = "('open3d', 'numpy', 'smolagents')"
    code = f"import sys, agentvision as av; print(json.dumps([m for m in {heavy} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_public_names_have_docstrings():
    names = "photo refine render load_scene Camera Blueprint PhotoResult Director Reviewer Reflector"
    for name in names.split() + ["BuiltinDirector", "BuiltinReviewer", "BuiltinReflector", "parse_change"]:
        assert getattr(av, name).__doc__, name
    assert "av.photo(" in av.__doc__ and "av.refine(" in av.__doc__
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        av.nope  # noqa: B018


def test_help_text(capsys):
    help(av)
    text = capsys.readouterr().out
    assert "A short tour" in text and "photo" in text


def test_photo_end_to_end(tmp_path):
    events = []
    result = av.photo(
        "the fountain at golden hour",
        rounds=2,
        candidates=2,
        width=320,
        out_dir=tmp_path / "run",
        progress=lambda e, d: events.append(e),
    )
    assert result.photo.size == (320, result.camera.height)
    assert result.blueprint.scene == "courtyard" and result.blueprint.time_of_day == "golden_hour"
    assert (tmp_path / "run" / "photo.png").exists() and result.renders == 4
    assert events[:2] == ["scene", "blueprint"] and "round" in events
    lower = av.refine(result, "lower the camera", rounds=1, candidates=2)
    assert lower.camera.position[2] < result.camera.position[2]


def test_photo_model_specs_are_checked_before_anything_runs(monkeypatch):
    from agentvision.models import ModelUnavailable

    monkeypatch.delenv("AGENTVISION_API_BASE", raising=False)
    with pytest.raises(ValueError, match="openai:MODEL_ID"):
        av.photo("the fountain", model="gpt-4o", rounds=1, candidates=1, width=64)
    with pytest.raises(ModelUnavailable, match="api-base|AGENTVISION_API_BASE"):
        av.photo("the fountain", model="openai:gpt-4o", rounds=1, candidates=1, width=64)


def test_photo_with_a_served_vlm_reviewer(tmp_path):
    from openai_stub import StubServer
    from test_vlm_photo_e2e import respond

    with StubServer(respond, models=["stub-vlm"]) as server:
        result = av.photo(
            "the fountain",
            reviewer_model="openai:stub-vlm",
            api_base=server.base_url,
            final_renderer="raycast",
            rounds=2,
            candidates=2,
            width=160,
            out_dir=tmp_path / "run",
        )
        asked = len(server.requests)
    assert asked >= 2 and result.photo is not None
    assert result.scores["facts"]["scored_by"] == "vlm"
    assert {e["role"] for e in result.trace if e["event"] == "model_call"} == {"reviewer"}


def test_render_returns_a_render_result():
    cam = av.Camera((8, -6, 1.7), (0, 0, 1), focal_mm=50)
    result = av.render("courtyard", cam, time_of_day="dusk", width=160, quality="preview")
    assert result.image().size == (160, cam.with_width(160).height)
    assert result.ids.shape == result.depth.shape and (result.ids >= 0).any()
    overview = av.render(av.load_scene("staircase"), width=96, quality="preview")
    assert overview.image().size[0] == 96
    import agentvision.render.path as path_engine  # the engines stay an ordinary package to import from

    assert av.render.RenderSettings is av.RenderSettings and callable(av.render) and path_engine.PathRenderer


def test_custom_reviewer_example_plugs_into_the_loop(tmp_path, capsys):
    mod = runpy.run_path(str(ROOT / "examples" / "custom_reviewer.py"))
    measured = mod["main"](["--rounds", "2", "--candidates", "2", "--width", "160", "--out", str(tmp_path)])
    assert set(measured) == {"builtin", "symmetry"} and all(0 < v <= 1 for v in measured.values())
    trace = (tmp_path / "symmetry" / "trace.jsonl").read_text().splitlines()
    reviews = [json.loads(x) for x in trace if '"review"' in x]
    assert reviews and all("symmetry" in r["reasons"]["aesthetics"] for r in reviews if r["event"] == "review")
    assert "symmetry" in capsys.readouterr().out


def test_terminal_graphics():
    assert graphics_mode({"KITTY_WINDOW_ID": "1"}) == "kitty"
    assert graphics_mode({"TERM_PROGRAM": "iTerm.app"}) == "iterm"
    assert graphics_mode({"TERM": "xterm-sixel"}) == "sixel"
    assert graphics_mode({"TERM": "xterm-256color"}) == "blocks"
    assert graphics_mode({"AGENTVISION_IMAGES": "none", "KITTY_WINDOW_ID": "1"}) == "none"
    from PIL import Image

    img = Image.fromarray(np.tile(np.array([[255, 0, 0], [0, 0, 255]], np.uint8)[:, None], (1, 8, 1)))
    text = half_blocks(img, 8)
    assert text.plain.count("\u2580") == 8 and "rgb(255,0,0) on rgb(0,0,255)" in str(text.spans[0].style)
    six = sixel_image(img, 8, colours=4)
    assert six.startswith("\033Pq") and six.rstrip().endswith("\033\\")
