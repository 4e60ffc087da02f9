"""Missions: the shipped set, consistency with the intent parser, and schema validation errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import trimesh
import yaml

from agentvision.bench.missions import CATEGORIES, Expect, MissionError, load_mission, load_missions, objects_for
from agentvision.photoflow.builtin.intent import parse_intent
from agentvision.scene.library import library_names, library_scene


@pytest.fixture(scope="module")
def shipped():
    return load_missions()


def test_shipped_set_covers_every_category_and_scene(shipped):
    assert len(shipped) >= 36
    counts = Counter(m.category for m in shipped)
    assert set(counts) == set(CATEGORIES) and min(counts.values()) >= 12
    assert len({m.id for m in shipped}) == len(shipped)
    assert {m.scene for m in shipped} >= {"staircase", "living_room", "courtyard", "gallery"}
    assert all(m.path.stem == m.id for m in shipped)
    assert [m.id for m in shipped] == sorted(m.id for m in shipped)


def test_shipped_missions_agree_with_the_intent_parser(shipped):
    """Each intent parses, and expect.subjects names (or labels) every subject the parser picks."""
    for m in shipped:
        scene = library_scene(m.scene)
        bp = parse_intent(m.intent, scene)
        labels = {o.name: o.label for o in scene.objects}
        missing = [s for s in bp.subjects if s not in m.expect.subjects and labels[s] not in m.expect.subjects]
        assert not missing, f"{m.id}: parser subjects {bp.subjects}, expect.subjects {m.expect.subjects}"


def test_shipped_thresholds_are_sensible(shipped):
    for m in shipped:
        e = m.expect
        assert e.subjects and 0.3 <= e.min_visible <= 0.9, m.id
        assert e.coverage and e.coverage[1] - e.coverage[0] >= 0.2, m.id
        if e.view == "low_angle":
            assert e.camera_height[1] <= 1.2, m.id
        if e.view == "eye_level" and e.camera_height:
            assert 0.8 <= e.camera_height[0] <= 1.7 <= e.camera_height[1], m.id


def test_objects_for_folds_parts_and_labels():
    room = library_scene("living_room")
    assert set(objects_for(room, "sofa")) == {"sofa", "sofa_legs", "sofa_pillows"}
    assert objects_for(room, "nothing_here") == []
    gallery = library_scene("gallery")
    assert set(objects_for(gallery, "painting_4")) == {
        "painting_4",
        "painting_4_frame",
        "painting_4_block",
        "painting_4_line",
    }
    assert {"painting_1", "painting_3_frame"} <= set(objects_for(gallery, "painting"))


# ----- validation -----------------------------------------------------------------------------
BASE = {
    "id": "stairs-test",
    "scene": "staircase",
    "intent": "shoot the staircase at dusk",
    "category": "atmosphere_style",
    "expect": {"subjects": ["staircase"], "coverage": [0.08, 0.7], "time_of_day": "dusk"},
}


def write(folder: Path, data, name: str = "mission.yaml") -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def mutated(top: dict | None = None, expect: dict | None = None, drop: str | None = None) -> dict:
    data = {**BASE, **(top or {}), "expect": {**BASE["expect"], **(expect or {})}}
    if drop:
        data.pop(drop)
    return data


def test_valid_mission_loads_with_defaults(tmp_path):
    m = load_mission(write(tmp_path, mutated()))
    assert (m.id, m.scene_ref, m.category) == ("stairs-test", "staircase", "atmosphere_style")
    assert m.expect.coverage == (0.08, 0.7) and m.expect.time_of_day == "dusk"
    assert (m.expect.min_visible, m.expect.placement, m.expect.max_roll_deg) == (None, "any", 3.0)
    assert load_mission(write(tmp_path, {**BASE, "expect": {}}, "empty.yaml")).expect == Expect()


def test_unquoted_yaml_ratio_is_read_as_a_ratio(tmp_path):
    text = yaml.safe_dump(mutated(), sort_keys=False) + "  aspect: 16:9\n"
    assert load_mission(write(tmp_path, text)).expect.aspect == "16:9"


CASES = [
    ("missing id", mutated(drop="id"), "id"),
    ("missing expect", mutated(drop="expect"), "expect"),
    ("unknown key", mutated(top={"camera": "x"}), "camera"),
    ("unknown expect key", mutated(expect={"min_visibility": 0.5}), "expect.min_visibility"),
    ("intent type", mutated(top={"intent": 5}), "intent"),
    ("bad id", mutated(top={"id": "my mission"}), "id"),
    ("subjects type", mutated(expect={"subjects": "staircase"}), "expect.subjects"),
    ("min_visible type", mutated(expect={"min_visible": "high"}), "expect.min_visible"),
    ("min_visible range", mutated(expect={"min_visible": 1.5}), "expect.min_visible"),
    ("bool is no number", mutated(expect={"max_roll_deg": True}), "expect.max_roll_deg"),
    ("category", mutated(top={"category": "style"}), "category"),
    ("placement", mutated(expect={"placement": "left"}), "expect.placement"),
    ("view", mutated(expect={"view": "low"}), "expect.view"),
    ("lens", mutated(expect={"lens": "zoom"}), "expect.lens"),
    ("aspect", mutated(expect={"aspect": "5:7"}), "expect.aspect"),
    ("coverage order", mutated(expect={"coverage": [0.7, 0.1]}), "expect.coverage"),
    ("coverage fraction", mutated(expect={"coverage": [0.1, 1.5]}), "expect.coverage"),
    ("coverage length", mutated(expect={"coverage": [0.1]}), "expect.coverage"),
    ("height below floor", mutated(expect={"camera_height": [-1, 2]}), "expect.camera_height"),
    ("unknown scene", mutated(top={"scene": "attic"}), "scene"),
    ("missing scene file", mutated(top={"scene": "models/attic.glb"}), "scene"),
    ("unknown subject", mutated(expect={"subjects": ["piano"]}), "expect.subjects"),
    ("unknown also_visible", mutated(expect={"also_visible": ["piano"]}), "expect.also_visible"),
    ("unknown not_visible", mutated(expect={"not_visible": ["piano"]}), "expect.not_visible"),
    ("min_visible without subjects", mutated(expect={"subjects": [], "min_visible": 0.5}), "expect.min_visible"),
    (
        "placement without subjects",
        mutated(expect={"subjects": [], "coverage": None, "placement": "center"}),
        "expect.placement",
    ),
    ("contradiction", mutated(expect={"not_visible": ["staircase"]}), "expect.not_visible"),
    ("time_of_day", mutated(expect={"time_of_day": "sunset"}), "expect.time_of_day"),
    ("not a mapping", "- id: x\n", "mapping"),
    ("bad yaml", "id: [unclosed\n", "YAML"),
]


@pytest.mark.parametrize("data, field", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_errors_name_the_file_and_the_field(tmp_path, data, field):
    path = write(tmp_path, data)
    with pytest.raises(MissionError) as err:
        load_mission(path)
    assert str(err.value).startswith(str(path)) and field in str(err.value)
    with pytest.raises(MissionError, match="mission.yaml"):  # and before anything runs: load_missions too
        load_missions([tmp_path])


def test_unknown_scene_error_lists_the_library(tmp_path):
    with pytest.raises(MissionError) as err:
        load_mission(write(tmp_path, mutated(top={"scene": "attic"})))
    assert all(name in str(err.value) for name in library_names())


def test_scene_file_relative_to_the_mission(tmp_path):
    (tmp_path / "models").mkdir()
    trimesh.creation.box((1, 1, 1)).export(tmp_path / "models" / "crate.ply")
    (tmp_path / "missions").mkdir()
    data = mutated(top={"scene": "../models/crate.ply"}, expect={"subjects": ["crate"], "time_of_day": "noon"})
    m = load_mission(write(tmp_path / "missions", data))
    assert Path(m.scene_ref) == (tmp_path / "models" / "crate.ply").resolve()
    with pytest.raises(MissionError, match="expect.subjects"):
        load_mission(write(tmp_path / "missions", mutated(top={"scene": "../models/crate.ply"}), "other.yaml"))


def test_load_missions_folders_duplicates_and_missing_paths(tmp_path):
    write(tmp_path, mutated(), "a.yaml")
    write(tmp_path, mutated(top={"id": "second"}), "b.yml")
    assert [m.id for m in load_missions(tmp_path)] == ["second", "stairs-test"]
    write(tmp_path, mutated(), "c.yaml")
    with pytest.raises(MissionError) as err:
        load_missions([tmp_path])
    assert "c.yaml: id:" in str(err.value) and "a.yaml" in str(err.value)
    with pytest.raises(MissionError, match="no such mission file or folder"):
        load_missions([tmp_path / "nowhere"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(MissionError, match="no mission files"):
        load_missions(tmp_path / "empty")
