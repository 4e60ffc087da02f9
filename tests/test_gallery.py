"""Runs as a gallery (agentvision runs, runs show N), a photo's camera exported into glTF, truecolour previews."""

from __future__ import annotations

import io
import json
import os
import time

import numpy as np
import pytest
import trimesh
from PIL import Image
from rich.console import Console

from agentvision.camera import Camera
from agentvision.chat.terminal_images import show_image
from agentvision.cli import main
from agentvision.conventions import Y_UP_TO_Z_UP
from agentvision.runs import find_runs, read_run


def fake_run(folder, intent, score, age_s=0.0, valid=True):
    """A run folder as agentvision photo writes one (camera.json and photo.png), finished ``age_s`` ago."""
    folder.mkdir(parents=True)
    camera = Camera((1.0, -2.0, 1.5), (0.0, 1.0, 1.0), focal_mm=50)
    checks = [{"name": "subject_visible", "hard": True, "passed": valid}]
    data = {
        "camera": camera.to_dict(),
        "scene": "staircase",
        "time_of_day": "dusk",
        "intent": intent,
        "strategy": "photoflow",
        "scores": {"total": score, "valid": valid, "checks": checks, "scores": {"composition": 8.0}, "reasons": {}},
    }
    (folder / "camera.json").write_text(json.dumps(data))
    Image.new("RGB", (60, 40), (200, 40, 40)).save(folder / "photo.png")
    stamp = time.time() - age_s
    os.utime(folder / "camera.json", (stamp, stamp))
    return folder


def test_find_runs_lists_run_folders_newest_first(tmp_path):
    fake_run(tmp_path / "a", "the old one", 7.0, age_s=100)
    fake_run(tmp_path / "chat" / "shot-01", "a chat shot", 8.5, age_s=10)
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "camera.json").write_text("{}")  # no photo: not a run
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "camera.json").write_text("not json")
    runs = find_runs(tmp_path)
    assert [r.intent for r in runs] == ["a chat shot", "the old one"]
    assert runs[0].score == 8.5 and runs[0].scene == "staircase" and runs[0].photo.is_file()
    assert read_run(tmp_path / "half") is None and find_runs(tmp_path / "nowhere") == []


def test_runs_command_lists_and_shows(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    fake_run(tmp_path / "runs" / "one", "shoot the staircase at dusk", 9.1, age_s=50)
    fake_run(tmp_path / "runs" / "two", "the plant on the left third", 2.0, valid=False)
    assert main(["runs", "--root", str(tmp_path / "runs")]) == 0
    out = capsys.readouterr().out
    assert out.index("the plant on the left third") < out.index("shoot the staircase at dusk")
    assert "2.00 !" in out and "9.10" in out
    assert main(["runs", "show", "2", "--root", str(tmp_path / "runs"), "--images", "none"]) == 0
    out = capsys.readouterr().out
    assert "shoot the staircase at dusk" in out and "score 9.10/10" in out and "composition 8.0" in out
    assert main(["runs", "show", "1", "--root", str(tmp_path / "runs"), "--images", "none"]) == 0
    assert "breaks: subject_visible" in capsys.readouterr().out
    assert main(["runs", "show", "3", "--root", str(tmp_path / "runs")]) == 2
    assert "from 1 (newest) to 2" in capsys.readouterr().err


@pytest.mark.parametrize("aspect", ["3:2", "4:5", "1:1"])
def test_export_writes_the_photo_camera_as_a_gltf_camera(tmp_path, aspect):
    camera = Camera((1.0, -1.5, 1.6), (-0.5, 2.2, 1.2), roll_deg=5, focal_mm=28, aspect=aspect, width=300)
    run = tmp_path / "run"
    run.mkdir()
    (run / "camera.json").write_text(json.dumps({"camera": camera.to_dict(), "scene": "staircase"}))
    out = tmp_path / "with-camera.glb"
    assert main(["export", "staircase", "--camera", str(run), "-o", str(out)]) == 0
    # Read back by trimesh's glTF loader, an independent reader of the camera node.
    loaded = trimesh.load(out)
    assert loaded.has_camera
    pose = Y_UP_TO_Z_UP @ loaded.camera_transform  # file (Y up) -> our world (Z up); glTF camera frame is GL's
    assert np.allclose(pose[:3, 3], camera.position, atol=1e-6)
    right, up, back = pose[:3, 0], pose[:3, 1], pose[:3, 2]
    basis = camera.basis()  # rows: right, down, forward
    assert np.allclose(-back, basis[2], atol=1e-6) and np.allclose(up, -basis[1], atol=1e-6)
    assert np.allclose(right, basis[0], atol=1e-6)
    assert loaded.camera.fov[1] == pytest.approx(camera.fov_deg[1], abs=1e-6)
    header = gltf_json(out)
    spec = header["cameras"][0]
    assert spec["perspective"]["aspectRatio"] == pytest.approx(camera.width / camera.height)
    assert spec["extras"]["focal_mm"] == 28 and spec["extras"]["sensor_long_mm"] == 36
    node = next(n for n in header["nodes"] if n.get("camera") == 0)
    assert node["name"] == "photo" and header["nodes"].index(node) in header["scenes"][0]["nodes"]


def test_export_with_a_bad_camera_file_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.glb"
    assert main(["export", "staircase", "--camera", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert "does not exist" in " ".join(capsys.readouterr().err.split()) and not out.exists()


def gltf_json(path) -> dict:
    data = path.read_bytes()
    length = int.from_bytes(data[12:16], "little")
    return json.loads(data[20 : 20 + length])


def test_half_block_previews_are_truecolour_even_where_rich_detects_256_colours(tmp_path):
    path = tmp_path / "teal.png"
    Image.new("RGB", (40, 20), (23, 151, 139)).save(path)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="256", width=80)
    show_image(console, path, "blocks", max_cols=20)
    assert "38;2;23;151;139" in buffer.getvalue()  # the exact colour, not the nearest of 256
    plain = io.StringIO()
    show_image(Console(file=plain, color_system=None, width=80), path, "blocks", max_cols=20)
    assert "\033[" not in plain.getvalue()


BLENDER_SCRIPT = """
import json, math, sys
import numpy
numpy.bool = bool  # Debian's Blender 3.4 glTF importer still uses numpy.bool (gone since numpy 1.24)
import bpy
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.import_scene.gltf(filepath=sys.argv[-1])
cam = next(o for o in bpy.data.objects if o.type == "CAMERA")
m = cam.matrix_world
print("RESULT " + json.dumps({
    "name": cam.name, "position": list(m.translation), "forward": [-m[i][2] for i in range(3)],
    "up": [m[i][1] for i in range(3)], "fit": cam.data.sensor_fit, "angle_y": math.degrees(cam.data.angle_y),
}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("aspect", ["3:2", "4:5"])
def test_blender_opens_the_exported_camera_as_the_same_view(tmp_path, aspect):
    """Blender's own glTF importer (Debian's blender, installed by scripts/test.sh) reads the camera back."""
    import shutil
    import subprocess

    blender = shutil.which("blender")
    if blender is None:
        pytest.skip("blender is not installed (scripts/test.sh installs Debian's)")
    camera = Camera((1.0, -1.5, 1.6), (-0.5, 2.2, 1.2), roll_deg=5, focal_mm=28, aspect=aspect, width=300)
    camera.save(tmp_path / "camera.json")
    glb = tmp_path / "scene.glb"
    assert main(["export", "staircase", "--camera", str(tmp_path / "camera.json"), "-o", str(glb)]) == 0
    script = tmp_path / "read_camera.py"
    script.write_text(BLENDER_SCRIPT)
    out = subprocess.run(
        [blender, "-b", "--factory-startup", "--python", str(script), "--", str(glb)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, out.stdout[-2000:] + out.stderr[-2000:]
    seen = json.loads(line.removeprefix("RESULT "))
    basis = camera.basis()
    assert seen["name"] == "photo" and seen["fit"] == "VERTICAL"
    assert np.allclose(seen["position"], camera.position, atol=1e-4)  # Blender is Z up, as we are
    assert np.allclose(seen["forward"], basis[2], atol=1e-4) and np.allclose(seen["up"], -basis[1], atol=1e-4)
    assert seen["angle_y"] == pytest.approx(camera.fov_deg[1], abs=1e-3)
