"""A non-editable install carries the content folders inside the package, and the command works."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # end to end: seconds per test

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)]
    subprocess.run(cmd, check=True, capture_output=True)
    return next(out.glob("agentvision-*.whl"))


def test_wheel_ships_content_inside_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops <= {"agentvision", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}
    for scene in ("staircase", "living_room", "courtyard", "gallery", "parlour"):
        assert f"agentvision/_content/scenes/{scene}.py" in names
    assert "agentvision/_content/scenes/parlour/sofa.glb" in names  # asset files beside their builder
    for role in ("director", "reviewer", "reflector"):
        assert f"agentvision/_content/agents/{role}.yaml" in names


def test_installed_wheel_finds_its_scene_library(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import agentvision, agentvision.content as c; from agentvision.cli import main;"
        "print(agentvision.__file__); print(c.content_dir('scenes')); main(['scenes']);"
        "from agentvision.scene.library import library_scene; print('parlour', len(library_scene('parlour').objects));"
        "from agentvision.photoflow.vlm.prompts import load_prompts; print('prompts', sorted(load_prompts('director')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(str(target)) and lines[1].startswith(str(target))
    for scene in ("staircase", "living_room", "courtyard", "gallery", "parlour"):
        assert scene in out.stdout
    assert "parlour 27" in out.stdout  # built from the asset files inside the installed package
    assert "prompts ['plan_task', 'propose_task', 'system_prompt']" in out.stdout


def test_installed_wheel_loads_the_tool_catalog(wheel, tmp_path):
    assert "agentvision/tools/render_view.py" in zipfile.ZipFile(wheel).namelist()  # a real module path
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "COLUMNS": "200"}
    code = (
        "import agentvision.content as c, agentvision.tools as t; from agentvision.cli import main;"
        "print(t._tool_folder()); print(len(t.catalog())); print(t.make_tool('crop_zoom').name); main(['tools']);"
        "from agentvision.tools.render_view import RenderViewTool; print(RenderViewTool().to_dict()['name'])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(str(target)) and lines[1] == "11" and lines[2] == "crop_zoom"
    assert "render_view" in out.stdout and "photoflow" in out.stdout and lines[-1] == "render_view"
