"""agentvision.vision on synthetic images with known answers, and one real render for the roll sign."""

import json
import math

import cv2
import numpy as np
import pytest

from agentvision import vision as v

H, W = 240, 360


def flat(value, h=H, w=W):
    return np.full((h, w, 3), value, dtype=np.uint8)


def square_at(cx, cy, size=30, h=H, w=W):
    """A bright square centred at normalised (cx, cy) on a dark frame."""
    img = flat(20, h, w)
    x, y = int(cx * w), int(cy * h)
    img[y - size // 2 : y + size // 2, x - size // 2 : x + size // 2] = 230
    return img


def horizon_image(angle_deg, h=H, w=W):
    """Sky above, ground below a straight line through the centre tilted clockwise by angle_deg."""
    yy, xx = np.mgrid[0:h, 0:w] + 0.5
    ground = yy - h / 2 > math.tan(math.radians(angle_deg)) * (xx - w / 2)
    img = np.empty((h, w, 3), dtype=np.uint8)
    img[:] = (150, 180, 220)
    img[ground] = (90, 80, 60)
    return img


# ----- exposure ---------------------------------------------------------------------------------


def test_luminance_is_rec709_on_linear_srgb():
    assert v.luminance(flat(255)).max() == pytest.approx(1.0)
    assert v.luminance(flat(128))[0, 0] == pytest.approx(0.2158, abs=1e-3)  # sRGB 128 is 21.6 % linear
    green = np.zeros((2, 2, 3), np.uint8)
    green[..., 1] = 255
    assert v.luminance(green)[0, 0] == pytest.approx(0.7152)
    assert v.lightness(flat(128))[0, 0] == pytest.approx(128 / 255, abs=2e-3)


def test_black_white_and_gradient_frames():
    black, white = flat(0), flat(255)
    ramp = np.repeat(np.repeat(np.linspace(0, 255, W).astype(np.uint8)[None, :, None], H, 0), 3, 2)
    assert v.is_black(black) and not v.is_blown_out(black)
    assert v.is_blown_out(white) and not v.is_black(white)
    assert not v.is_black(ramp) and not v.is_blown_out(ramp)
    assert v.exposure_score(black).score == 0 and v.exposure_score(black).verdict == "black"
    assert v.exposure_score(white).score == 0 and v.exposure_score(white).verdict == "blown_out"
    s = v.exposure_stats(ramp)
    assert s.spread > 0.8 and 0.3 < s.mean_lightness < 0.7
    assert v.exposure_score(ramp).score > 0.8 and v.exposure_score(ramp).verdict == "ok"
    grey = v.exposure_score(flat(128))
    assert grey.stats.is_flat and grey.verdict == "flat" and grey.score < v.exposure_score(ramp).score


def test_a_night_frame_is_dark_but_fine_in_a_low_key():
    # mostly dark with a few lit windows: not black, penalised as 'normal', fine as 'low'
    night = np.repeat(np.repeat(np.linspace(0, 70, W).astype(np.uint8)[None, :, None], H, 0), 3, 2)
    night[40:70, 50:90] = (255, 210, 150)
    assert not v.is_black(night)
    low, normal = v.exposure_score(night, "low"), v.exposure_score(night, "normal")
    assert low.score > 0.6 and low.verdict == "ok"
    assert normal.verdict == "too_dark" and normal.score < low.score - 0.3
    with pytest.raises(ValueError, match="expected_key"):
        v.exposure_score(night, "dusk")


def test_bad_images_say_what_was_expected():
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        v.luminance(np.zeros((4, 4, 5), np.uint8))
    assert v.luminance(np.full((3, 3), 1.0)).max() == pytest.approx(1.0)  # grey floats are accepted


# ----- composition ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, expected",
    [
        ((1 / 3, 0.5), "left_third"),
        ((2 / 3, 0.5), "right_third"),
        ((0.5, 1 / 3), "upper_third"),
        ((0.5, 2 / 3), "lower_third"),
        ((0.5, 0.5), "center"),
        ((1 / 3, 1 / 3), "left_third"),  # a power point goes to its vertical third line
    ],
)
def test_a_bright_square_on_each_third(where, expected):
    img = square_at(*where)
    mask = v.lightness(img) > 0.5
    c = v.centroid(mask)
    assert c == pytest.approx(where, abs=0.01)
    assert v.placement_of(c) == expected
    scores = {t: v.placement_score(mask, t) for t in v.PLACEMENTS if t != "any"}
    assert max(scores, key=scores.get) == expected and scores[expected] > 0.9
    assert v.placement_score(mask, "any") == 1.0


def test_placement_regions_boundaries_and_inputs():
    assert v.placement_of((0.5 - 1 / 12 + 0.001, 0.5)) == "center"
    assert v.placement_of((0.5 - 1 / 12 - 0.001, 0.5)) == "left_third"
    assert v.placement_of((0.45, 0.2)) == "upper_third"
    assert v.placement_of((0.9, 0.85)) == "right_third"
    assert v.placement_score((1 / 3, 0.5), "right_third") < 0.01
    assert 0.5 < v.placement_score((5 / 12, 0.5), "left_third") < 0.7  # about 0.6 on a region boundary
    assert v.placement_score((0, 0, 40, 40), "left_third", shape=(H, W)) < v.placement_score(
        (100, 100, 140, 140), "left_third", shape=(H, W)
    )
    assert v.placement_score(np.zeros((H, W), bool), "center") == 0.0
    with pytest.raises(ValueError, match="shape"):
        v.placement_score((0, 0, 40, 40), "center")
    with pytest.raises(ValueError, match="left_third"):
        v.placement_score((0.5, 0.5), "golden_spiral")


def test_thirds_coverage_margins_and_cut_off():
    t = v.thirds((2 / 3, 2 / 3))
    assert t.power_point == pytest.approx((2 / 3, 2 / 3)) and t.power_point_distance == pytest.approx(0)
    assert v.thirds((0.5, 0.5)).line_distance == pytest.approx(1 / 6)
    mask = v.subject_mask((0, 60, 90, 180), (H, W))  # touches the left edge only
    assert v.coverage(mask) == pytest.approx(90 * 120 / (H * W))
    cut = v.cut_off(mask)
    assert cut.edges == ["left"] and cut.left == pytest.approx(0.5) and cut.any
    assert v.cut_off(v.subject_mask((100, 60, 200, 180), (H, W))).edges == []
    assert v.headroom(mask) == pytest.approx(60 / H)
    m = v.margins(mask)
    assert m.left == 0 and m.right == pytest.approx((W - 90) / W) and m.bottom == pytest.approx((H - 180) / H)
    assert v.margins(np.zeros((H, W), bool)) is None and v.centroid(np.zeros((H, W), bool)) is None
    ids = np.full((4, 4), -1)
    ids[1, 1], ids[2, 2] = 3, 5
    assert v.mask_from_ids(ids, [3, 5]).sum() == 2


def test_balance_follows_the_visual_weight():
    right = square_at(0.8, 0.5)
    b = v.balance(right)
    assert b.horizontal > 0.3 and abs(b.vertical) < 0.05 and b.score < 0.8
    assert v.balance(square_at(0.5, 0.2)).vertical < -0.3
    even = v.balance(square_at(0.5, 0.5))
    assert abs(even.horizontal) < 0.02 and abs(even.vertical) < 0.02 and even.score > 0.97
    assert v.balance(flat(90)).horizontal == pytest.approx(0, abs=1e-9)


def test_composition_analysis_is_json_and_says_what_is_wrong():
    img = horizon_image(6)
    mask = v.subject_mask((0, 150, 60, 230), img.shape)
    out = v.composition_analysis(img, mask)
    json.dumps(out)
    assert out["subject"]["cut_off"]["edges"] == ["left"]
    assert out["thirds"]["placement"] == "left_third"
    assert out["horizon"]["angle_deg"] == pytest.approx(6, abs=1)
    assert any("cut off at the left" in n for n in out["notes"])
    assert any("tilted" in n and "clockwise" in n for n in out["notes"])
    bare = v.composition_analysis(flat(0))
    assert bare["exposure"]["verdict"] == "black" and bare["horizon"]["angle_deg"] is None
    assert "exposure: black" in bare["notes"]


# ----- lines ------------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [5.0, -5.0, 0.0, 12.0])
def test_horizon_tilt_sign_and_size(angle):
    est = v.horizon_tilt(horizon_image(angle))
    assert est.angle_deg == pytest.approx(angle, abs=1.0)
    assert est.confidence > 0.7
    json.dumps(est.to_dict())


def test_no_lines_is_none_safe():
    for img in (flat(0), flat(128)):
        assert v.horizon_tilt(img).angle_deg is None and v.horizon_tilt(img).confidence == 0
        assert v.verticals_tilt(img).tilt_deg is None
        assert v.roll_estimate(img).angle_deg is None
    assert v.edge_map(flat(128)).max() == 0


def _bars(tops, bottoms, h=H, w=W):
    img = flat(200, h, w)
    for xt, xb in zip(tops, bottoms, strict=True):
        cv2.line(img, (int(xb), h - 1), (int(xt), 0), (40, 40, 40), 5)
    return img


def test_verticals_tilt_and_keystone():
    lean = math.tan(math.radians(5)) * H  # +5 degrees: tops to the right
    xs = np.array([60, 140, 220, 300])
    est = v.verticals_tilt(_bars(xs + lean / 2, xs - lean / 2))
    assert est.tilt_deg == pytest.approx(5, abs=1) and abs(est.keystone_deg) < 1 and est.confidence > 0.7
    assert v.roll_estimate(_bars(xs + lean / 2, xs - lean / 2)).angle_deg == pytest.approx(5, abs=1)
    # tops converging towards the centre: a camera tilted up
    conv = v.verticals_tilt(_bars(W / 2 + (xs - W / 2) * 0.7, xs))
    assert conv.keystone_deg > 5 and abs(conv.tilt_deg) < 1


def test_edge_map_finds_a_rectangle():
    img = flat(30)
    x0, y0, x1, y1 = 80, 60, 280, 180
    img[y0:y1, x0:x1] = 200
    e = v.edge_map(img)
    assert e.dtype == np.uint8 and e.shape == (H, W) and set(np.unique(e)) <= {0, 255}
    near = np.zeros((H, W), bool)
    near[y0 - 2 : y1 + 2, x0 - 2 : x1 + 2] = True
    near[y0 + 2 : y1 - 2, x0 + 2 : x1 - 2] = False
    assert (e[~near] == 0).all()  # nothing away from the rectangle's border
    for side in (e[y0 - 2 : y0 + 2, x0:x1], e[y1 - 2 : y1 + 2, x0:x1]):
        assert (side.max(axis=0) > 0).mean() > 0.9
    for side in (e[y0:y1, x0 - 2 : x0 + 2], e[y0:y1, x1 - 2 : x1 + 2]):
        assert (side.max(axis=1) > 0).mean() > 0.9
    over = v.edge_overlay(img, e, color=(0, 255, 0))
    assert over.shape == img.shape and over.dtype == np.uint8
    assert (over[e > 0] == (0, 255, 0)).all() and over[120, 20, 0] < 30
    ids = np.full((H, W), -1)
    ids[y0:y1, x0:x1] = 0
    assert v.id_edges(ids).sum() > 0 and v.id_edges(np.zeros((H, W), int)).max() == 0


def test_roll_sign_matches_the_camera_on_a_real_render(toy_scene):
    from agentvision.camera import Camera
    from agentvision.render import render_scene
    from agentvision.scene.lighting import apply_time_of_day

    lit = apply_time_of_day(toy_scene, "noon")
    base = dict(position=(0.0, -3.5, 1.0), look_at=(0.0, 0.0, 0.7), focal_mm=35, width=320)
    level = render_scene(lit, Camera(**base))
    rolled = render_scene(lit, Camera(**base, roll_deg=5))
    a0 = v.roll_estimate(level.rgb, level.ids).angle_deg
    a5 = v.roll_estimate(rolled.rgb, rolled.ids).angle_deg
    assert a0 == pytest.approx(0, abs=1) and a5 == pytest.approx(5, abs=1.5)


# ----- aesthetics -------------------------------------------------------------------------------


def test_colourfulness_sharpness_and_aesthetic_score():
    grey = flat(128)
    colourful = np.zeros((H, W, 3), np.uint8)
    for i, c in enumerate([(230, 30, 30), (30, 200, 40), (40, 60, 230), (240, 220, 20)]):
        colourful[:, i * W // 4 : (i + 1) * W // 4] = c
    assert v.colourfulness(grey) == pytest.approx(0)
    assert v.colourfulness(colourful) > 60
    checker = ((np.indices((H, W)).sum(0) // 8) % 2 * 255).astype(np.uint8)
    checker = np.repeat(checker[..., None], 3, 2)
    blurred = cv2.GaussianBlur(checker, (9, 9), 3)
    assert v.sharpness(checker) > 3 * v.sharpness(blurred) and v.sharpness(grey) == 0
    scores = [v.aesthetic_score(img) for img in (flat(0), grey, colourful)]
    assert all(0 <= s.score <= 1 for s in scores)
    assert scores[0].score < scores[1].score < scores[2].score
    assert set(scores[2].parts) == {"exposure", "contrast", "colourfulness", "sharpness", "balance"}
    json.dumps(scores[2].to_dict())
