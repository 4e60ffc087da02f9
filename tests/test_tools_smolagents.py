"""The catalog's tools as smolagents expects shareable tools to be: importable by module path, serialised
with to_dict / save / push_to_hub and rebuilt with Tool.from_code, and seen by a plain CodeAgent."""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest
import smolagents
from PIL import Image
from scripted_model import ScriptedModel, code
from smolagents import CodeAgent, Tool

import agentvision.tools as catalog_module
from agentvision.codeagent import ImageWindow
from agentvision.toolcontext import ToolContext
from agentvision.tools import make_tool, make_tools, tool_class, tool_names


@pytest.mark.parametrize("name", tool_names())
def test_each_tool_has_a_real_module_path(name):
    module = importlib.import_module(f"agentvision.tools.{name}")
    cls = tool_class(name)
    assert cls.__module__ == f"agentvision.tools.{name}" and getattr(module, cls.__name__) is cls
    assert inspect.getsourcefile(cls).endswith(f"{name}.py")
    assert issubclass(cls, Tool) and cls.name == name


@pytest.mark.parametrize("name", tool_names())
def test_to_dict_round_trips_through_from_code(name):
    tool = make_tool(name)
    data = tool.to_dict()
    assert "agentvision" in data["requirements"] and data["name"] == name
    rebuilt = Tool.from_code(data["code"])
    assert rebuilt.name == name and rebuilt.inputs == tool.inputs and rebuilt.output_type == tool.output_type
    assert isinstance(rebuilt.context, ToolContext)  # the rebuilt tool makes its own context
    assert Tool.from_dict(data).description == tool.description


def test_a_rebuilt_tool_gives_the_same_answer(tmp_path):
    original = make_tool("scene_objects")
    rebuilt = Tool.from_code(original.to_dict()["code"])
    assert rebuilt(scene="staircase", query="lamp") == original(scene="staircase", query="lamp")
    image = tmp_path / "out" / "grad.png"  # image tools read only their output folder (and read_roots)
    image.parent.mkdir()
    Image.fromarray(np.tile(np.arange(256, dtype=np.uint8), (64, 1))).convert("RGB").save(image)
    crop = Tool.from_code(make_tool("crop_zoom").to_dict()["code"], context=ToolContext(out_dir=tmp_path / "out"))
    text = crop(image=str(image), box="0.5,0,1,1", size=64)
    assert "pixels x 128..256" in text and (tmp_path / "out").is_dir()


def test_save_writes_a_loadable_tool_an_app_and_requirements(tmp_path):
    make_tool("edge_map").save(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"tool.py", "app.py", "requirements.txt"}
    rebuilt = Tool.from_code((tmp_path / "tool.py").read_text())
    assert rebuilt.name == "edge_map"
    assert "EdgeMapTool" in (tmp_path / "app.py").read_text()
    assert "agentvision" in (tmp_path / "requirements.txt").read_text().split()


def test_push_to_hub_commits_the_same_loadable_files(monkeypatch):
    """The Hub is unreachable here: the upload calls are replaced, and what would be committed is checked."""
    committed = {}

    class Repo:
        repo_id = "someone/render-view"

    monkeypatch.setattr(smolagents.tools, "create_repo", lambda **kw: Repo())
    monkeypatch.setattr(smolagents.tools, "metadata_update", lambda *a, **kw: None)
    monkeypatch.setattr(
        smolagents.tools,
        "create_commit",
        lambda **kw: committed.update({op.path_in_repo: op.path_or_fileobj for op in kw["operations"]}, **kw),
    )
    make_tool("render_view").push_to_hub("someone/render-view")
    assert committed["repo_id"] == "someone/render-view" and committed["repo_type"] == "space"
    assert Tool.from_code(committed["tool.py"].decode()).name == "render_view"


def test_names_do_not_clash_with_smolagents():
    assert not hasattr(catalog_module, "load_tool") and not hasattr(catalog_module, "load_tools")
    assert not set(catalog_module.__all__) & set(dir(smolagents))


def test_a_plain_codeagent_sees_tool_images_with_one_callback(tmp_path):
    """No make_agent: CodeAgent(tools=..., step_callbacks=[ImageWindow()]) is all it takes."""
    tools = make_tools(["render_view", "scene_objects"], ToolContext(out_dir=tmp_path))
    model = ScriptedModel(
        [
            code('print(render_view(scene="staircase", width=96))'),
            code('final_answer("done")'),
        ]
    )
    agent = CodeAgent(tools=tools, model=model, step_callbacks=[ImageWindow()], verbosity_level=0)
    assert agent.run("look at the staircase") == "done"
    images = model.calls[1][-1].images
    assert len(images) == 1 and images[0].size == (96, 64)
    assert "render_view: staircase" in model.calls[1][-1].text
    # Without the callback the same agent is blind: nothing reaches the model.
    blind_model = ScriptedModel([code('print(render_view(scene="staircase", width=96))'), code('final_answer("x")')])
    CodeAgent(tools=make_tools(["render_view"], ToolContext(out_dir=tmp_path)), model=blind_model).run("look")
    assert blind_model.images_in(1) == []


@pytest.mark.slow
def test_smolagents_command_line_uses_the_tools_by_module_path(tmp_path):
    """`smolagent ... --imports 'agentvision.*'`: the CLI's CodeAgent imports a catalog tool and calls it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from openai_stub import StubServer

    call = 'from agentvision.tools import make_tool\nprint(make_tool("scene_objects")(scene="staircase", query="lamp"))'

    def respond(request: dict) -> str:
        if "Observation" in str(request["messages"][-1]["content"]):
            return '<code>\nfinal_answer("the wall lamp")\n</code>'
        return f"<code>\n{call}\n</code>"

    root = Path(__file__).resolve().parents[1]
    with StubServer(respond, models=["stub"]) as stub:
        cmd = [str(Path(sys.executable).with_name("smolagent")), "which lamps does the staircase have?"]
        cmd += ["--model-type", "OpenAIModel", "--model-id", "stub", "--api-base", stub.base_url, "--api-key", "x"]
        cmd += ["--tools", "--imports", "agentvision.*"]
        env = {**os.environ, "PYTHONPATH": str(root)}
        out = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        assert "wall_lamp" in out.stdout and "Final answer: the wall lamp" in out.stdout
        assert '"wall_lamp"' in str(stub.requests[1]["messages"])  # the tool's answer went back to the model
