"""The parlour: a library scene furnished with scanned, textured assets shipped beside its builder.

Its closure, lamps, default view and engine agreement are checked with the other library scenes
(test_scenes.py, test_engines_agree.py); here: that it is made of its asset files with their
textures, stays small, and that people's words find its objects.
"""

from __future__ import annotations

import pytest

from agentvision.content import content_dir
from agentvision.photoflow.builtin.intent import parse_intent
from agentvision.photoflow.builtin.scene_inference import infer_scene
from agentvision.scene.catalog import SceneCatalog
from agentvision.scene.library import library_names, library_scene

ASSETS = ("room", "curtains", "sofa", "cabinet", "dresser", "stool", "bookshelf", "table", "tea_set")


@pytest.fixture(scope="module")
def parlour():
    return library_scene("parlour")


def test_assets_ship_beside_the_builder_and_stay_small():
    folder = content_dir("scenes") / "parlour"
    sizes = {name: (folder / f"{name}.glb").stat().st_size for name in ASSETS}
    assert sum(sizes.values()) < 3 * 2**20, sizes  # textures downscaled: the wheel stays small
    assert "parlour" in library_names() and not (content_dir("scenes") / "parlour.py").is_dir()


def test_furniture_keeps_its_textures(parlour):
    for name in ("sofa", "cabinet", "dresser", "stool", "bookshelf", "table", "tea_set", "floor", "curtains"):
        material = parlour.get(name).material
        assert material.base_color_map is not None and parlour.get(name).uv is not None, name
        assert max(material.base_color_map.size) <= 512, name
        assert material.normal_map is not None, name
    assert parlour.get("armchair").material.base_color_map is not None  # our own model, a procedural leather
    assert parlour.get("window").material.glass and not parlour.get("window").material.is_emissive
    assert parlour.interior and parlour.floor_z == 0.0 and parlour.triangle_count < 100_000
    # one colour per object where one is needed (colour words, the map): the mean of its texture
    catalog = {o.name: o for o in SceneCatalog.of(parlour).objects}
    assert (
        catalog["sofa"].base_color != (1.0, 1.0, 1.0)
        and catalog["sofa"].base_color == parlour.get("sofa").material.color
    )
    r, g, b = catalog["armchair"].base_color
    assert g > r and g > b


@pytest.mark.parametrize(
    "intent, subjects, context",
    [
        ("the armchair by the window", ["armchair"], ["window"]),
        ("the stool by the window", ["stool"], ["window"]),
        ("the teapot on the table", ["tea_set"], ["table"]),
        ("a close-up of the tea set", ["tea_set"], []),
        ("the cups at golden hour", ["tea_set"], []),
        ("the blue dresser", ["dresser"], []),
        ("the white cabinet", ["cabinet"], []),
        ("the leather sofa", ["sofa"], []),
        ("the window with its red curtains", ["window"], ["curtains"]),
        ("the floor", ["floor"], []),
    ],
)
def test_intents_find_the_parlours_objects(parlour, intent, subjects, context):
    blueprint = parse_intent(intent, parlour)
    assert blueprint.subjects == subjects
    assert blueprint.context + blueprint.background == context  # "by the window": the window is its setting behind


def test_the_scene_is_inferred_from_its_objects():
    assert infer_scene("the teapot on the table") == "parlour"
    assert infer_scene("the blue dresser at dusk") == "parlour"
    assert infer_scene("the armchair in the parlour") == "parlour"


def test_the_parlours_trim_is_warm_white_not_blue(parlour):
    """The shell asset's ceiling and skirting are pale blue; with the blue walls the whole room read as a cold colour
    cast (blind raters); the parlour paints them warm white (scenes/parlour.py TRIM_PAINT)."""
    for name in ("ceiling", "walls_skirting"):
        r, g, b = parlour.get(name).material.base_color
        assert r >= b and min(r, g, b) > 0.6, name
