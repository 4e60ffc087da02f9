"""Follow-ups refine the last shot: parsing, and refinements that change the camera as asked."""

from __future__ import annotations

import numpy as np
import pytest

from agentvision.camera import ASPECTS, angle_of
from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.refine import RefineError, parse_change, refine
from agentvision.photoflow.search import Budget
from agentvision.scene.library import load_scene
from agentvision.scene.standpoint import height_above_ground


@pytest.mark.parametrize(
    "text, moves, fields",
    [
        ("lower the camera", [("lower", 0.5)], {}),
        ("a bit higher", [("raise", 0.25)], {}),
        ("get closer", [("closer", 0.25)], {}),
        ("step back", [("farther", 0.3)], {}),
        ("wider", [("farther", 0.3)], {}),
        ("wider lens", [("wider_lens", 0.3)], {}),
        ("try 85mm", [], {"focal_mm": 85.0, "lens": "tele"}),
        ("use a 24mm lens", [], {"focal_mm": 24.0, "lens": "wide"}),
        ("make it golden hour", [], {"time_of_day": "golden_hour"}),
        ("at night", [], {"time_of_day": "night"}),
        ("more to the left", [("orbit", -20.0)], {}),
        ("orbit right", [("orbit", 20.0)], {}),
        ("portrait", [], {"aspects": ["4:5", "2:3", "9:16"]}),
        ("square", [], {"aspects": ["1:1"]}),
        ("tilt up", [], {"placement": "lower_third"}),
        ("put it on the left third", [], {"placement": "left_third"}),
        ("from a low angle", [], {"angle": "low"}),
        ("much closer and a bit lower", [("closer", 0.5), ("lower", 0.25)], {}),
        ("close up", [], {"shot_size": "close_up"}),
    ],
)
def test_parse_change(text, moves, fields):
    change = parse_change(text)
    assert [(d.kind, pytest.approx(d.amount)) for d in change.moves] == moves
    assert change.fields == fields
    assert change.unread == []


def test_unknown_follow_up_lists_what_is_understood():
    with pytest.raises(RefineError) as err:
        parse_change("make it pop")
    msg = str(err.value)
    assert "'pop'" in msg and "lower / higher" in msg and "golden hour" in msg


@pytest.fixture(scope="module")
def base():
    scene = load_scene("staircase")
    result = run_photoflow("shoot the staircase at dusk", scene, budget=Budget(2, 2, final_width=320))
    return scene, result


def _refined(base, text):
    scene, result = base
    out = refine(result, text, scene, rounds=2, candidates=2, width=320)
    assert out.photo is not None and out.photo.size[0] == 320
    return result.camera, out


def test_lower_the_camera_lowers_it(base):
    old, out = _refined(base, "lower the camera")
    assert out.camera.position[2] < old.position[2] - 0.2
    assert out.scores["valid"]


def test_higher_raises_it(base):
    old, out = _refined(base, "higher")
    assert out.camera.position[2] > old.position[2] + 0.2


def test_try_85mm_sets_the_focal_length(base):
    _, out = _refined(base, "try 85mm")
    assert out.camera.focal_mm == pytest.approx(85.0)
    assert out.blueprint.focal_mm == 85.0 and "focal_mm" in out.blueprint.explicit


def test_golden_hour_changes_the_light_only(base):
    _, out = _refined(base, "make it golden hour")
    assert out.blueprint.time_of_day == "golden_hour"
    assert base[1].blueprint.time_of_day == "dusk"  # the previous result is untouched


def test_more_to_the_left_moves_the_camera_left(base):
    old, out = _refined(base, "more to the left")
    moved = np.subtract(out.camera.position, old.position)
    assert moved @ old.basis()[0] < -0.3  # the old camera's right vector


def test_orbit_right_moves_the_camera_right(base):
    old, out = _refined(base, "orbit right")
    assert np.subtract(out.camera.position, old.position) @ old.basis()[0] > 0.3


def test_closer_makes_the_subject_larger(base):
    scene, _ = base
    old, out = _refined(base, "get closer")
    centre = scene.get("staircase").bounds.mean(axis=0)

    def size(cam):
        return cam.focal_mm / np.linalg.norm(np.subtract(cam.position, centre))

    assert size(out.camera) > size(old) * 1.1


def test_portrait_and_low_angle(base):
    _, out = _refined(base, "portrait")
    assert ASPECTS[out.camera.aspect] < 1
    _, out = _refined(base, "from a low angle")
    assert angle_of(out.camera.pitch_deg, height_above_ground(base[0], out.camera.position)) == "low"


def test_refinement_is_seeded_with_the_changed_camera(base):
    old, out = _refined(base, "lower the camera")
    first = [e for e in out.trace if e["event"] == "proposal" and e["round"] == 0]
    assert first[0]["origin"] == "start"
    assert first[0]["camera"]["position"][2] == pytest.approx(old.position[2] - 0.5, abs=0.01)
    reviews = [e for e in out.trace if e["event"] == "review"]
    assert all(any(c["name"] == "keeps_change" for c in e["checks"]) for e in reviews)


def test_a_move_the_room_does_not_allow_is_an_error(base):
    scene, result = base
    with pytest.raises(RefineError, match="as low as it goes"):
        for _ in range(4):  # 1.3 m -> 0.3 m -> the floor
            result = refine(result, "much lower", scene, rounds=1, candidates=1, width=160)
    assert result.camera.position[2] < 0.4
