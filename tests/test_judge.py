"""The independent judge on hand-built run folders with known answers.

Every scene here is a ground slab (top at z = 0) and thin 1 m x 1 m cards facing the camera, which
stands 4 m in front of the subject card. The front face of a card at depth D covers a square of
side f_px / D pixels, so coverage, placement and visible fractions are known analytically.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import trimesh

from agentvision.bench.judge import JudgeError, composite_score, judge
from agentvision.bench.judge_checks import NOT_VISIBLE_FRACTION
from agentvision.camera import Camera
from agentvision.render import RenderSettings, render_scene
from agentvision.scene.export import export_glb
from agentvision.scene.lighting import apply_time_of_day
from agentvision.scene.model import Material, Scene, SceneObject

W = 200  # square frames, W x W pixels
EYE = (0.0, -4.0, 1.0)
THICK = 0.01
DEPTH = 4.0 - THICK / 2  # camera to the subject card's front face


def slab(size, centre) -> trimesh.Trimesh:
    m = trimesh.creation.box(size)
    m.apply_translation(centre)
    return m


def card(name: str, label: str, x: float = 0.0, y: float = 0.0, z: float = 1.0, width: float = 1.0, height=1.0):
    """A thin card facing -Y, centred at (x, y, z)."""
    return SceneObject(name, label, slab((width, THICK, height), (x, y, z)), Material((0.6, 0.3, 0.2)))


def stage(*objects: SceneObject) -> Scene:
    ground = SceneObject("ground", "ground", slab((30, 30, 0.1), (0, 0, -0.05)), Material((0.3, 0.3, 0.3)))
    return Scene("stage", [ground, *objects])


def camera(position=EYE, look_at=(0.0, 0.0, 1.0), **kw) -> Camera:
    return Camera(position, look_at, **{"focal_mm": 35.0, "aspect": "1:1", "width": W, **kw})


def make_run(folder, scene: Scene, cam: Camera, time_of_day: str = "noon"):
    folder.mkdir(parents=True, exist_ok=True)
    render_scene(apply_time_of_day(scene, time_of_day), cam, RenderSettings(shadows=False)).save(folder / "photo.png")
    record = {"camera": cam.to_dict(), "scene": scene.name, "time_of_day": time_of_day}
    (folder / "camera.json").write_text(json.dumps(record))
    return folder


def checks(run, expect, scene) -> dict:
    return judge(run, expect, scene).to_dict()["checks"]


def card_side_px(cam: Camera, depth: float = DEPTH) -> float:
    return cam.focal_px / depth


# ----- one subject in full view --------------------------------------------------------------------
@pytest.fixture(scope="module")
def front(tmp_path_factory):
    scene = stage(card("panel", "panel"))
    return make_run(tmp_path_factory.mktemp("front"), scene, camera()), scene


def test_front_view_coverage_placement_view_and_height(front):
    run, scene = front
    expect = {
        "subjects": ["panel"],
        "min_visible": 0.95,
        "coverage": [0.05, 0.07],
        "placement": "center",
        "view": "eye_level",
        "camera_height": [0.9, 1.1],
    }
    out = checks(run, expect, scene)
    side = card_side_px(camera())
    assert out["coverage"]["value"] == pytest.approx(side**2 / W**2, rel=0.05)
    assert out["min_visible"]["value"]["panel"] > 0.99
    assert out["placement"]["value"] == "center"
    assert out["view"]["value"] == "eye_level"
    assert out["camera_height"]["value"] == pytest.approx(1.0, abs=1e-3)
    assert out["subjects"]["value"] == {"panel": ["panel"]}
    assert all(c["pass"] for c in out.values())


def test_failing_ranges_and_words(front):
    run, scene = front
    out = checks(
        run,
        {"subjects": ["panel"], "coverage": [0.2, 0.7], "placement": "left_third", "camera_height": [1.5, 2.0]},
        scene,
    )
    assert not out["coverage"]["pass"] and not out["placement"]["pass"] and not out["camera_height"]["pass"]
    assert out["subjects"]["pass"]


def test_any_passes_and_records_the_value(front):
    run, scene = front
    expect = {"subjects": ["panel"], "placement": "any", "lens": "any", "aspect": "any", "also_visible": []}
    result = judge(run, expect, scene).to_dict()
    assert result["checks"]["placement"] == {"value": "center", "expected": "any", "pass": True}
    assert result["checks"]["lens"]["value"] == "normal"
    assert result["checks"]["aspect"]["value"] == "1:1"
    assert result["success"] is True


def test_output_shape_aesthetic_and_composite_formula(front):
    run, scene = front
    result = judge(run, {"subjects": ["panel"], "min_visible": 0.5, "placement": "left_third", "lens": "any"}, scene)
    d = result.to_dict()
    assert set(d) == {"checks", "success", "aesthetic", "composite"}
    assert d["success"] is False
    assert 0.0 < d["aesthetic"] <= 1.0
    # constraining checks: subjects and min_visible pass, placement fails ('any' is left out) -> P = 2/3;
    # the panel is fully visible, so V = min(1, 1 / 0.5) = 1.
    expected = 0.6 * (2 / 3) + 0.25 * result.aesthetic + 0.15 * 1.0
    assert d["composite"] == pytest.approx(expected, abs=1e-3)
    assert 0.0 <= d["composite"] <= 1.0


def test_composite_stays_in_unit_interval():
    from agentvision.bench.judge_checks import Check

    good = {"a": Check(1, 1, True), "b": Check(None, "any", True, active=False)}
    bad = {"a": Check(0, 1, False)}
    assert composite_score(good, 1.0, 1.0) == pytest.approx(1.0)
    assert composite_score(bad, 0.0, 0.0) == pytest.approx(0.0)
    assert composite_score({}, 0.5, None) == pytest.approx(0.6 + 0.125 + 0.15)  # no checks: P = V = 1


# ----- occlusion, cropping, placement --------------------------------------------------------------
def test_subject_half_hidden_behind_another_object(tmp_path):
    # A 4 m x 3 m screen from x = -4 to 0 stands 2 m in front of the camera (at x = 0): its edge projects
    # onto the frame's centre line, which also halves the panel.
    screen = card("screen", "screen", x=-2.0, y=-2.0, z=1.5, width=4.0, height=3.0)
    scene = stage(card("panel", "panel"), screen)
    run = make_run(tmp_path / "run", scene, camera())
    out = checks(run, {"subjects": ["panel"], "min_visible": 0.4, "also_visible": ["screen"]}, scene)
    assert out["min_visible"]["value"]["panel"] == pytest.approx(0.5, abs=0.02)
    assert out["min_visible"]["pass"]
    assert not checks(run, {"subjects": ["panel"], "min_visible": 0.6}, scene)["min_visible"]["pass"]
    # the screen runs out of frame to the left, top and bottom: the part in frame is (half/4) * ((1 + half)/3)
    half = (W / 2) / camera().focal_px * (2.0 - THICK / 2)  # half the frame's width at the screen
    assert out["also_visible"]["value"]["screen"] == pytest.approx(half / 4 * (1 + half) / 3, abs=0.01)
    assert not out["also_visible"]["pass"]  # below 0.2


def test_subject_half_out_of_frame(tmp_path):
    cam = camera()
    edge_x = (W / 2) / cam.focal_px * DEPTH  # the frame's right edge at the panel's depth
    scene = stage(card("panel", "panel", x=edge_x))
    run = make_run(tmp_path / "run", scene, cam)
    out = checks(run, {"subjects": ["panel"], "min_visible": 0.45, "placement": "right_third"}, scene)
    assert out["min_visible"]["value"]["panel"] == pytest.approx(0.5, abs=0.02)
    assert out["min_visible"]["pass"] and out["placement"]["pass"]


def test_left_third_placement(tmp_path):
    cam = camera()
    x = -(W / 6) / cam.focal_px * DEPTH  # the panel's centre on the left third line
    scene = stage(card("panel", "panel", x=x, width=0.5, height=0.5))
    run = make_run(tmp_path / "run", scene, cam)
    out = checks(run, {"subjects": ["panel"], "placement": "left_third"}, scene)
    assert out["placement"]["pass"], out["placement"]


# ----- camera state: view, height, roll, aspect, lens, time ----------------------------------------
def test_high_angle_and_height_above_ground(tmp_path):
    scene = stage(card("panel", "panel"))
    cam = camera(position=(0.0, -4.0, 1.0 + 4.0 * math.tan(math.radians(30))))
    run = make_run(tmp_path / "run", scene, cam)
    out = checks(run, {"view": "high_angle", "camera_height": [3.2, 3.4]}, scene)
    assert out["view"] == {"value": "high_angle", "expected": "high_angle", "pass": True}
    assert out["camera_height"]["value"] == pytest.approx(1.0 + 4.0 * math.tan(math.radians(30)), abs=1e-3)
    assert not checks(run, {"view": "eye_level"}, scene)["view"]["pass"]


def test_top_down_height_is_measured_above_what_lies_below(tmp_path):
    table = SceneObject("table", "table", slab((2.0, 2.0, 0.8), (0, 0, 0.4)), Material())
    scene = stage(table)
    run = make_run(tmp_path / "run", scene, camera(position=(0.0, 0.0, 3.0), look_at=(0.0, 0.001, 0.0)))
    out = checks(run, {"view": "top_down", "camera_height": [2.1, 2.3], "subjects": ["table"]}, scene)
    assert out["camera_height"]["value"] == pytest.approx(2.2, abs=1e-3)  # above the table top, not the floor
    assert out["view"]["pass"] and out["camera_height"]["pass"]


def test_roll_limit(tmp_path):
    scene = stage(card("panel", "panel"))
    rolled = make_run(tmp_path / "rolled", scene, camera(roll_deg=5.0))
    assert checks(rolled, {"max_roll_deg": 3}, scene)["max_roll_deg"] == {"value": 5.0, "expected": 3, "pass": False}
    slight = make_run(tmp_path / "slight", scene, camera(roll_deg=-2.0))
    assert checks(slight, {"max_roll_deg": 3}, scene)["max_roll_deg"]["pass"]
    down = make_run(
        tmp_path / "down", scene, camera(position=(0.0, 0.0, 3.0), look_at=(0.0, 0.001, 0.0), roll_deg=20.0)
    )
    assert checks(down, {"max_roll_deg": 3}, scene)["max_roll_deg"]["value"] == 0.0  # straight down: no horizon


def test_aspect_lens_and_time_of_day(tmp_path):
    scene = stage(card("panel", "panel"))
    run = make_run(tmp_path / "run", scene, camera(aspect="4:5", focal_mm=85.0), time_of_day="dusk")
    ok = checks(run, {"aspect": "portrait", "lens": "tele", "time_of_day": "dusk"}, scene)
    assert ok["aspect"]["value"] == "portrait" and ok["lens"]["value"] == "tele"
    assert all(c["pass"] for c in ok.values())
    assert checks(run, {"aspect": "4:5"}, scene)["aspect"]["pass"]
    assert checks(run, {"time_of_day": "evening"}, scene)["time_of_day"]["pass"]  # an alias of dusk
    bad = checks(run, {"aspect": "landscape", "lens": "wide", "time_of_day": "noon"}, scene)
    assert not any(c["pass"] for c in bad.values())
    assert not checks(run, {"aspect": "3:4"}, scene)["aspect"]["pass"]


# ----- names, labels and pieces --------------------------------------------------------------------
def test_labels_pieces_and_not_visible(tmp_path):
    frame = SceneObject("panel_frame", "panel", slab((1.2, THICK, 0.1), (0, 0.02, 0.45)), Material())
    far_ball = SceneObject("ball", "ball", trimesh.creation.icosphere(2, 0.3), Material())
    far_ball.mesh.apply_translation((0, 0, 8.0))  # above the frame's top edge
    sign_a = card("sign_a", "sign", x=0.6, y=-1.0, width=0.2, height=0.2)  # in view
    sign_b = card("sign_b", "sign", y=-6.0)  # behind the camera
    scene = stage(card("panel", "panel"), frame, far_ball, sign_b, sign_a)
    run = make_run(tmp_path / "run", scene, camera())
    out = checks(run, {"subjects": ["panel"], "min_visible": 0.9, "not_visible": ["ball", "sign_b"]}, scene)
    assert out["subjects"]["value"] == {"panel": ["panel", "panel_frame"]}  # the name with its piece
    assert out["min_visible"]["pass"]
    assert out["not_visible"]["pass"] and out["not_visible"]["value"] == {"ball": 0.0, "sign_b": 0.0}
    # a label: one matching item suffices, the best visible one is the subject
    by_label = checks(run, {"subjects": ["sign"], "min_visible": 0.9, "also_visible": ["sign"]}, scene)
    assert by_label["subjects"]["value"] == {"sign": ["sign_a"]}
    assert by_label["min_visible"]["pass"] and by_label["also_visible"]["pass"]
    # not_visible: every object with the label counts
    shown = checks(run, {"not_visible": ["sign"]}, scene)["not_visible"]
    assert not shown["pass"] and shown["value"]["sign"] > NOT_VISIBLE_FRACTION


def test_a_word_that_is_a_name_and_a_label_stands_for_both(tmp_path):
    # 'sign' is an object (behind the camera) and the label of another one (in view)
    scene = stage(card("sign", "sign", y=-6.0), card("plate", "sign", x=0.6, y=-1.0, width=0.2, height=0.2))
    run = make_run(tmp_path / "run", scene, camera())
    out = checks(run, {"subjects": ["sign"], "not_visible": []}, scene)
    assert out["subjects"]["value"] == {"sign": ["plate"]} and out["subjects"]["pass"]
    assert not checks(run, {"not_visible": ["sign"]}, scene)["not_visible"]["pass"]


def test_subject_out_of_frame_fails(tmp_path):
    scene = stage(card("panel", "panel"), card("poster", "poster", x=6.0))
    run = make_run(tmp_path / "run", scene, camera())
    out = checks(run, {"subjects": ["poster"], "min_visible": 0.1, "placement": "center"}, scene)
    assert not out["subjects"]["pass"] and not out["min_visible"]["pass"]
    assert out["placement"]["value"] is None and not out["placement"]["pass"]


# ----- scene resolution and bad input --------------------------------------------------------------
def test_scene_file_relative_to_the_mission(tmp_path, front):
    run, scene = front
    missions = tmp_path / "missions"
    missions.mkdir()
    export_glb(scene, missions / "stage.glb")
    result = judge(run, {"subjects": ["panel"], "min_visible": 0.95}, "stage.glb", mission_dir=missions)
    assert result.checks["min_visible"].passed


def test_mission_file_and_command(tmp_path, front, capsys):
    from types import SimpleNamespace

    from agentvision.cli import main
    from agentvision.commands.judge import judge_command

    run, scene = front
    missions = tmp_path / "missions"
    missions.mkdir()
    export_glb(scene, missions / "stage.glb")
    mission = missions / "panel.yaml"
    mission.write_text(
        "id: panel-centre\nscene: stage.glb\nintent: the panel in the middle\ncategory: subject_placement\n"
        "expect:\n  subjects: [panel]\n  min_visible: 0.9\n  placement: center\n  lens: wide\n"
    )
    assert judge_command(SimpleNamespace(run_dir=run, mission=mission)) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["checks"]["placement"]["pass"] and not out["checks"]["lens"]["pass"] and out["success"] is False
    assert out["checks"]["max_roll_deg"] == {"value": 0.0, "expected": 3.0, "pass": True}  # the mission default
    assert main(["judge", str(tmp_path / "nowhere"), "--mission", str(mission)]) == 2  # the one error boundary
    assert "nowhere" in "".join(capsys.readouterr().err.split())  # the error names the folder


def test_bad_run_folders_name_the_file(tmp_path, front):
    run, scene = front
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "camera.json").write_text((run / "camera.json").read_text())
    with pytest.raises(JudgeError, match="photo.png"):
        judge(broken, {}, scene)
    (broken / "photo.png").write_bytes((run / "photo.png").read_bytes())
    (broken / "camera.json").unlink()
    with pytest.raises(JudgeError, match="camera.json"):
        judge(broken, {}, scene)
    (broken / "camera.json").write_text(json.dumps({"scene": "stage"}))
    with pytest.raises(JudgeError, match="camera"):
        judge(broken, {}, scene)


def test_bad_expectations_say_what_to_fix(front):
    run, scene = front
    with pytest.raises(JudgeError, match="unknown expect key"):
        judge(run, {"subject": ["panel"]}, scene)
    with pytest.raises(JudgeError, match="no object or label 'sofa'"):
        judge(run, {"subjects": ["sofa"]}, scene)
    with pytest.raises(JudgeError, match="set expect.subjects"):
        judge(run, {"coverage": [0.1, 0.5]}, scene)
    with pytest.raises(JudgeError, match="coverage"):
        judge(run, {"subjects": ["panel"], "coverage": 0.3}, scene)
    with pytest.raises(JudgeError, match="placement"):
        judge(run, {"subjects": ["panel"], "placement": "middle"}, scene)


def test_visible_fraction_never_exceeds_one(front):
    run, scene = front
    value = judge(run, {"subjects": ["panel", "ground"], "min_visible": 0.0}, scene).checks["min_visible"].value
    assert all(0.0 <= v <= 1.0 for v in value.values())
    assert value["ground"] < 0.5  # the ground runs past every edge of the frame
    assert np.isfinite(list(value.values())).all()
