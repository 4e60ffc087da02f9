"""Limits before work and one-line errors (issue 15): each probe that used to end in a traceback, run late or run
for hours is now refused at once with one line and its exit code."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import trimesh
from PIL import Image

from agentvision.bench.missions import load_mission, shipped_missions_dir
from agentvision.cli import main
from agentvision.photoflow.builtin.director import BuiltinDirector
from agentvision.photoflow.search import MAX_CELLS, Budget, SearchState
from agentvision.render.base import MAX_WIDTH
from agentvision.scene.files import load_file
from agentvision.scene.model import SceneError
from agentvision.toolcontext import ToolContext, ToolInputError
from agentvision.tools import make_tool

MISSION = str(shipped_missions_dir() / "living-armchair-right-third.yaml")
PHOTO = ["photo", "the sofa", "--scene", "living_room"]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("error:"), err
    return last


@pytest.mark.parametrize(
    "args, says",
    [
        (["--width", "100000"], "photo width 100000 px is outside 16..6144"),
        (["--rounds", "10000"], "rounds must be a whole number in 1..50"),
        (["--candidates", "500"], "candidates must be a whole number in 1..16"),
    ],
)
def test_budgets_are_refused_before_any_work(args, says, tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*PHOTO, *args, "--out", str(out)]) == 2
    assert says in one_line_error(capsys) and not out.exists()


def test_a_negative_seed_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main([*PHOTO, "--seed", "-1"])
    assert info.value.code == 2 and "must be 0 or more" in capsys.readouterr().err


def test_the_photoflow_tool_refuses_a_search_of_hours(tmp_path):
    tool = make_tool("photoflow", context=ToolContext(out_dir=tmp_path))
    with pytest.raises(ToolInputError, match="1..50"):
        tool(intent="the sofa", scene="living_room", rounds=10000)


def test_unwritable_run_folders(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for out, says in ((afile, "it is a file"), (afile / "x", "which is a file"), ("/proc/agentvision", "cannot write")):
        assert main([*PHOTO, "--rounds", "1", "--candidates", "1", "--width", "64", "--out", str(out)]) == 2
        assert says in one_line_error(capsys)


def test_render_and_export_outputs(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["render", "living_room", "-o", str(tmp_path / "x.txt")]) == 2
    assert "must end in .png" in one_line_error(capsys)
    assert main(["render", "living_room", "-o", str(tmp_path)]) == 2
    assert "is a folder" in one_line_error(capsys)
    assert main(["render", "living_room", "--width", "16384", "-o", str(tmp_path / "big.png")]) == 2
    assert f"16..{MAX_WIDTH}" in one_line_error(capsys) and not (tmp_path / "big.png").exists()
    assert main(["export", "living_room", "-o", str(afile / "x.glb")]) == 2
    assert "cannot write into" in (line := one_line_error(capsys)) and "afile: it is a file" in line


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("judge") / "run"
    assert main([*PHOTO, "--rounds", "1", "--candidates", "2", "--width", "160", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("case", ["position", "deep", "huge", "tiny"])
def test_judge_refuses_broken_run_folders_in_one_line(case, run_folder, tmp_path, capsys):
    run = tmp_path / case
    shutil.copytree(run_folder, run)
    camera = json.loads((run / "camera.json").read_text())
    if case == "position":
        camera["camera"]["position"] = "abc"
        (run / "camera.json").write_text(json.dumps(camera))
    elif case == "deep":
        (run / "camera.json").write_text('{"camera": ' + "[" * 100_000 + "]" * 100_000 + "}")
    elif case == "huge":
        Image.new("L", (20000, 20000)).save(run / "photo.png")
    else:
        Image.new("RGB", (1, 1)).save(run / "photo.png")
    capsys.readouterr()
    assert main(["judge", str(run), "--mission", MISSION]) == 2
    line = one_line_error(capsys)
    assert str(run) in line
    if case == "position":
        assert "[x, y, z]" in line  # brackets are not eaten as markup


def _glb(path, vertices_fix=None, size=(1.0, 1.0, 1.0)):
    box = trimesh.creation.box(size)
    if vertices_fix is not None:
        box.vertices[0] = vertices_fix
    scene = trimesh.Scene()
    scene.add_geometry(box, node_name="thing", geom_name="thing")
    scene.export(path)
    return path


def test_broken_or_oversized_scene_files_are_named_with_the_cause(tmp_path):
    with pytest.raises(SceneError, match=r"e30\.glb.*larger than the 2000 m"):
        load_file(_glb(tmp_path / "e30.glb", [1e30, 0, 0]))
    with pytest.raises(SceneError, match=r"mm\.glb.*millimetres, scale it by 0.001"):
        load_file(_glb(tmp_path / "mm.glb", size=(5000, 4000, 2800)))
    nan = _glb(tmp_path / "nan.glb")
    data = bytearray(nan.read_bytes())
    json_len = int.from_bytes(data[12:16], "little")
    gltf = json.loads(data[20 : 20 + json_len])
    accessor = gltf["accessors"][gltf["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]
    view = gltf["bufferViews"][accessor["bufferView"]]
    first = 20 + json_len + 8 + view.get("byteOffset", 0) + accessor.get("byteOffset", 0)  # a vertex's x
    data[first : first + 4] = np.array([np.nan], dtype="<f4").tobytes()
    nan.write_bytes(bytes(data))
    with pytest.raises(SceneError, match=r"nan\.glb.*not finite"):
        load_file(nan)


def test_a_km_scene_searches_with_a_bounded_grid(tmp_path):
    scene = trimesh.Scene()
    ground = trimesh.creation.box((1500, 1500, 1))
    ground.apply_translation((0, 0, -0.5))
    scene.add_geometry(ground, node_name="ground", geom_name="ground")
    tower = trimesh.creation.box((300, 300, 400))
    tower.apply_translation((0, 0, 200))
    scene.add_geometry(tower, node_name="tower", geom_name="tower")
    scene.export(tmp_path / "big.glb")
    big = load_file(tmp_path / "big.glb")
    blueprint = BuiltinDirector().plan("the tower", big)
    state = SearchState.start("the tower", big, blueprint, Budget(rounds=1, candidates=2), 0)
    assert max(state.memory.shape) <= MAX_CELLS + 1 and state.memory.state.size <= (MAX_CELLS + 1) ** 3


def test_an_absolute_scene_path_in_a_mission(tmp_path):
    _glb(tmp_path / "thing.glb")
    folder = tmp_path / "missions"
    folder.mkdir()
    text = (
        f"id: abs\nscene: {tmp_path / 'thing.glb'}\nintent: the thing\ncategory: subject_placement\n"
        "expect:\n  subjects: [thing]\n"
    )
    (folder / "abs.yaml").write_text(text)
    assert load_mission(folder / "abs.yaml").scene_ref == str(tmp_path / "thing.glb")
