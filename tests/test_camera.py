"""Camera maths: field of view, aspect, roll direction, projection, JSON."""

import json
import math

import numpy as np
import pytest

from agentvision.camera import Camera, CameraError, frame_bounds, parse_aspect


def cam(**kw):
    base = dict(position=(0, -5, 1.5), look_at=(0, 0, 1.5), width=600)
    return Camera(**{**base, **kw})


def test_fov_follows_36mm_long_side():
    c = cam(focal_mm=18, aspect="3:2")
    assert c.fov_deg[0] == pytest.approx(2 * math.degrees(math.atan(18 / 18)))
    portrait = cam(focal_mm=50, aspect="2:3")
    # the long side of a portrait frame is vertical: the 36 mm rule applies to the height
    assert portrait.fov_deg[1] == pytest.approx(2 * math.degrees(math.atan(18 / 50)))
    assert portrait.height > portrait.width


@pytest.mark.parametrize("aspect,ratio", [("16:9", 16 / 9), ("9:16", 9 / 16), ("1:1", 1.0), ("21:9", 21 / 9)])
def test_aspects(aspect, ratio):
    assert parse_aspect(aspect) == pytest.approx(ratio)
    c = cam(aspect=aspect, width=1920)
    assert c.width / c.height == pytest.approx(ratio, rel=0.01)


def test_bad_values_say_what_to_do():
    with pytest.raises(CameraError, match="use one of"):
        cam(aspect="7:5")
    with pytest.raises(CameraError, match="look_at must differ"):
        Camera((1, 1, 1), (1, 1, 1))
    with pytest.raises(CameraError, match="focal_mm"):
        cam(focal_mm=1)


def test_look_at_projects_to_centre_and_up_is_up():
    c = cam()
    uv, z = c.project(np.array([[0, 0, 1.5], [0, 0, 2.5], [1, 0, 1.5]]))
    assert uv[0] == pytest.approx([300, 200])
    assert z[0] == pytest.approx(5.0)
    assert uv[1][1] < 200  # higher in the world is higher in the image (smaller v)
    assert uv[2][0] > 300  # +X is to the right when looking along +Y


def test_positive_roll_turns_image_clockwise():
    # A point right of centre on the horizon moves down the image when the image turns clockwise.
    level, rolled = cam(), cam(roll_deg=10)
    p = np.array([[1, 0, 1.5]])
    assert level.project(p)[0][0][1] == pytest.approx(200)
    assert rolled.project(p)[0][0][1] > 200
    # and a point above centre moves right
    q = np.array([[0, 0, 2.5]])
    assert rolled.project(q)[0][0][0] > 300


def test_rays_and_projection_are_inverse():
    c = cam(focal_mm=24, roll_deg=7, aspect="4:5", position=(1, -3, 2), look_at=(0.3, 0.5, 0.4))
    d = c.ray_directions()
    pts = np.asarray(c.position) + 3.0 * d.reshape(-1, 3)
    uv, _ = c.project(pts)
    v, u = np.mgrid[0 : c.height, 0 : c.width] + 0.5
    assert np.allclose(uv, np.stack([u.ravel(), v.ravel()], 1), atol=1e-6)


def test_top_down_camera_is_defined():
    c = Camera((0, 0, 10), (0, 0, 0), width=100)
    assert c.pitch_deg == pytest.approx(-90)
    b = c.basis()
    assert np.allclose(b @ b.T, np.eye(3), atol=1e-9)


def test_gl_pose_matches_cv_frame():
    c = cam(roll_deg=12)
    pose = c.pose_gl()
    # OpenGL looks down -z: the third column is minus the forward axis.
    assert np.allclose(-pose[:3, 2], c.forward)
    assert np.allclose(pose[:3, 3], c.position)


def test_json_round_trip_and_extra_keys(tmp_path):
    c = cam(focal_mm=85, f_number=2.0, aspect="4:5", roll_deg=-3)
    d = json.loads(c.to_json())
    assert set(d) == {"position", "look_at", "roll_deg", "focal_mm", "f_number", "aspect", "width"}
    d["note"] = "kept"
    c2 = Camera.from_dict(d)
    assert c2 == c and c2.to_dict()["note"] == "kept"
    path = tmp_path / "cam.json"
    path.write_text(json.dumps({"camera": d, "scene": "staircase"}))
    assert Camera.load(path) == c
    with pytest.raises(CameraError, match="lacks look_at"):
        Camera.from_dict({"position": [0, 0, 0]})


def test_frame_bounds_fits_the_box():
    bounds = np.array([[-1, -1, 0], [1, 1, 2]])
    c = frame_bounds(bounds, width=300)
    corners = np.array([[x, y, z] for x in bounds[:, 0] for y in bounds[:, 1] for z in bounds[:, 2]])
    uv, z = c.project(corners)
    assert (z > 0).all()
    assert (uv[:, 0] > 0).all() and (uv[:, 0] < c.width).all()
    assert (uv[:, 1] > 0).all() and (uv[:, 1] < c.height).all()


# ----- upright cameras (a level sensor and a shifted lens) ----------------------------------------------
def test_an_upright_camera_keeps_verticals_vertical_and_look_at_at_the_centre():
    tilted = Camera((0, -6, 1.5), (0.5, 0, 2.6), focal_mm=16, aspect="4:3", width=400)
    upright = tilted.replace(upright=True)
    assert upright.pitch_deg == pytest.approx(tilted.pitch_deg) and tilted.pitch_deg > 8  # the same aim ...
    assert upright.forward[2] == pytest.approx(0.0, abs=1e-9)  # ... through a level sensor
    assert upright.shift_px[0] == 0 and upright.shift_px[1] < 0  # the lens rises
    uv, _ = upright.project(np.array([upright.look_at]))
    assert np.allclose(uv[0], [200, 150], atol=0.5)  # look_at is still at the frame's centre
    # A vertical edge off to the side: its foot and top share a column only in the upright frame.
    edge = np.array([[3.0, 0.0, 0.0], [3.0, 0.0, 4.0]])
    assert abs(np.subtract(*upright.project(edge)[0][:, 0])) < 1e-6
    assert abs(np.subtract(*tilted.project(edge)[0][:, 0])) > 5
    # Rays and projection stay inverse with the shifted principal point.
    pts = np.asarray(upright.position) + 3.0 * upright.ray_directions().reshape(-1, 3)
    v, u = np.mgrid[0 : upright.height, 0 : upright.width] + 0.5
    assert np.allclose(upright.project(pts)[0], np.stack([u.ravel(), v.ravel()], 1), atol=1e-6)


def test_an_upright_camera_aimed_steeply_tilts_by_what_the_shift_cannot_take():
    from agentvision.camera import MAX_SHIFT

    steep = Camera((0, -2, 1.5), (0, 0, 4.5), focal_mm=24, aspect="3:2", width=300, upright=True)
    assert abs(steep.shift_px[1]) == pytest.approx(MAX_SHIFT * steep.height, abs=1)
    assert 0 < np.degrees(np.arcsin(steep.forward[2])) < steep.pitch_deg
    uv, _ = steep.project(np.array([steep.look_at]))
    assert np.allclose(uv[0], [150, 100], atol=0.5)
    straight_down = Camera((0, 0, 10), (0, 0, 0), width=100, upright=True)  # no level direction: as given
    assert straight_down.shift_px == (0, 0) and straight_down.pitch_deg == pytest.approx(-90)


def test_upright_is_written_only_when_set_and_must_be_a_boolean():
    c = cam(focal_mm=24)
    assert "upright" not in c.to_dict()
    up = c.replace(upright=True)
    assert up.to_dict()["upright"] is True and Camera.parse(up.to_json()) == up
    with pytest.raises(CameraError, match="upright is true or false"):
        Camera.from_dict(c.to_dict() | {"upright": "yes"})
