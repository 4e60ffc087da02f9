"""Time-of-day presets: sun, sky, lamps, and what a render looks like under them."""

import numpy as np
import pytest

from agentvision.camera import Camera
from agentvision.render import render_scene
from agentvision.scene.lighting import TIMES, apply_time_of_day, lighting_for, normalise_time
from agentvision.scene.model import SceneError


def test_every_preset_exists_and_sun_sets():
    assert TIMES == ("dawn", "morning", "noon", "afternoon", "golden_hour", "dusk", "blue_hour", "night")
    elevations = {t: lighting_for(t).sun.elevation_deg for t in TIMES}
    assert elevations["noon"] > elevations["afternoon"] > elevations["morning"] > elevations["golden_hour"] > 0
    assert elevations["golden_hour"] > elevations["dusk"] > 0
    assert elevations["blue_hour"] < 0 and elevations["night"] < 0
    for t in TIMES:
        assert np.linalg.norm(lighting_for(t).sun.direction) == pytest.approx(1.0)


def test_the_sun_goes_round_by_the_south():
    # +X east, +Y north: the morning sun stands in the south-east, the afternoon's in the south-west, and
    # the evening's in the west; so a south window takes the morning sun and a west one the afternoon's.
    east, north = {}, {}
    for t in ("dawn", "morning", "noon", "afternoon", "golden_hour", "dusk"):
        east[t], north[t] = lighting_for(t).sun.direction[:2]
    assert east["dawn"] > 0.8 * np.hypot(east["dawn"], north["dawn"]) and north["dawn"] < 0  # rises south of east
    assert east["morning"] > 0 > north["morning"]
    assert east["afternoon"] < 0 and north["afternoon"] < 0
    assert east["golden_hour"] < 0 and east["dusk"] < 0
    assert normalise_time("afternoon") == "afternoon"


def test_lamps_switch_on_in_the_evening():
    on = {t for t in TIMES if lighting_for(t).lamps_on}
    assert on == {"dusk", "blue_hour", "night"}


def test_low_sun_is_warm_and_noon_is_neutral():
    dusk, noon = lighting_for("dusk").sun.color, lighting_for("noon").sun.color
    assert dusk[0] / max(dusk[2], 1e-6) > 3 * noon[0] / noon[2]


def test_names_and_aliases():
    assert normalise_time("Golden Hour") == "golden_hour"
    assert normalise_time("sunset") == "golden_hour"
    assert normalise_time(None) == "noon"
    with pytest.raises(SceneError, match="use one of dawn"):
        normalise_time("teatime")


def luminance(rgb):
    return (rgb.astype(float) @ [0.2126, 0.7152, 0.0722]).mean()


def test_dusk_render_is_darker_warmer_and_lamp_glows(toy_scene):
    cam = Camera((5, -4, 2.5), (0, 0, 0.5), aspect="4:3", width=160)
    noon = render_scene(apply_time_of_day(toy_scene, "noon"), cam)
    dusk = render_scene(apply_time_of_day(toy_scene, "dusk"), cam)
    night = render_scene(apply_time_of_day(toy_scene, "night"), cam)
    assert luminance(dusk.rgb) < 0.8 * luminance(noon.rgb)
    assert luminance(night.rgb) < luminance(dusk.rgb)
    ground = noon.ids == toy_scene.index("ground")
    r, b = dusk.rgb[ground][:, 0].mean(), dusk.rgb[ground][:, 2].mean()
    assert r > 1.3 * b  # warm light on the ground
    lamp = noon.ids == toy_scene.index("lamp")
    assert lamp.sum() > 3
    assert luminance(dusk.rgb[lamp][None]) > 200  # lit bulb is near white at dusk
    assert luminance(night.rgb[lamp][None]) > 3 * luminance(night.rgb[ground][None])
