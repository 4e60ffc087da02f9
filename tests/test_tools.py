"""The tool catalog: each tool on the toy and library scenes, with outputs that can be checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from agentvision.camera import Camera, CameraError
from agentvision.scene.lighting import apply_time_of_day
from agentvision.toolcontext import SavedImage, ToolContext, ToolInputError, read_sidecar
from agentvision.tools import ToolNotFoundError, catalog, make_tool, make_tools, tool_names
from agentvision.vision.lines import id_edges

CATALOG = [
    "aim_camera",
    "check_camera",
    "compare_images",
    "composition_analysis",
    "crop_zoom",
    "edge_map",
    "image_info",
    "photoflow",
    "render_view",
    "scene_objects",
    "top_down_map",
]
FRONT = {"position": [0.0, -5.0, 1.2], "look_at": [0.0, 0.0, 0.5], "focal_mm": 35, "aspect": "3:2"}


def saved(text: str) -> Path:
    """The 'saved: PATH' line of a tool's text result (or the 'saved' key of its JSON)."""
    if text.lstrip().startswith("{"):
        return Path(json.loads(text)["saved"])
    return Path(next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("saved: ")))


@pytest.fixture
def ctx(toy_scene, tmp_path) -> ToolContext:
    return ToolContext(scene=apply_time_of_day(toy_scene, "noon"), out_dir=tmp_path / "out")


@pytest.fixture
def tools(ctx) -> dict:
    return {t.name: t for t in make_tools(context=ctx)}


@pytest.fixture
def front_render(tools) -> Path:
    return saved(tools["render_view"](camera=json.dumps(FRONT)))


def test_catalog_lists_all_eleven_with_descriptions_and_inputs():
    infos = catalog()
    assert [i.name for i in infos] == CATALOG == tool_names()
    for info in infos:
        assert len(info.description) > 60 and info.summary.endswith(".")
        assert info.inputs and all("description" in spec for spec in info.inputs.values())
        assert info.path.name == f"{info.name}.py"


def test_unknown_tool_names_the_catalog():
    with pytest.raises(ToolNotFoundError, match="unknown tool 'render'.*render_view"):
        make_tool("render")


def test_tools_share_the_context_they_are_loaded_with(ctx):
    tools = make_tools(["render_view", "edge_map"], context=ctx)
    assert [t.name for t in tools] == ["render_view", "edge_map"]
    assert all(t.context is ctx for t in tools)
    assert make_tool("crop_zoom").context is not ctx  # a fresh context unless given


def test_render_view_saves_shows_and_reports_what_is_in_view(tools, ctx):
    text = tools["render_view"](camera=json.dumps(FRONT))
    path = saved(text)
    assert path.is_file() and path.parent == ctx.out_dir
    assert ctx.saved == [SavedImage(path, "render")]
    assert Image.open(path).size == (640, 427)
    assert "red_box" in text and "blue_ball" in text
    items = ctx.outbox.drain()
    assert len(items) == 1 and items[0].image.size == (640, 427) and "render_view" in items[0].label
    sidecar = read_sidecar(path)
    assert sidecar.ids.shape == (427, 640) and sidecar.meta["camera"]["position"] == FRONT["position"]
    # The red box sits in the middle of the frame and is red there.
    rgb = np.asarray(Image.open(path))
    box = sidecar.mask("red_box")
    assert box[213, 320] and rgb[box].mean(axis=0)[0] > 1.5 * rgb[box].mean(axis=0)[2]


def test_render_view_defaults_and_errors(tools, ctx):
    text = tools["render_view"](width=200)
    assert Image.open(saved(text)).size[0] == 200
    with pytest.raises(CameraError, match="not valid JSON"):
        tools["render_view"](camera="position 1 2 3")
    with pytest.raises(ToolInputError, match="quality"):
        tools["render_view"](camera=json.dumps(FRONT), quality="ultra")


def check(tool, **kwargs) -> dict:
    """check_camera's full report, as JSON."""
    return json.loads(tool(detail="full", **kwargs))


def test_check_camera_accepts_a_clear_view_and_measures_the_subject(tools):
    report = check(tools["check_camera"], camera=json.dumps(FRONT), subjects="red_box")
    assert report["valid"], report
    sub = report["subjects"]["red_box"]
    assert sub["visible"] > 0.2 and not sub["cut_off"] and sub["cut_off_edges"] == [] and sub["placement"] == "center"
    assert report["in_frame"]["red_box"] > 0.02 and report["subject_coverage"] == pytest.approx(
        report["in_frame"]["red_box"], abs=0.01
    )
    assert report["position"]["inside_object"] is None and report["position"]["height_above_ground_m"] == 1.2


def test_aim_camera_places_the_subjects_where_asked_from_where_the_camera_stands(tools):
    off = {**FRONT, "look_at": [3.0, 0.0, 2.0]}  # looking away to the right and up: the box at the left edge
    for placement, (x, y) in (("center", (0.5, 0.5)), ("left_third", (1 / 3, 0.5)), ("lower_third", (0.5, 2 / 3))):
        aimed = json.loads(tools["aim_camera"](camera=json.dumps(off), subjects="red_box", placement=placement))
        assert aimed["position"] == FRONT["position"] and aimed["focal_mm"] == FRONT["focal_mm"]  # only the aim
        sub = check(tools["check_camera"], camera=json.dumps(aimed), subjects="red_box")["subjects"]["red_box"]
        assert sub["centroid"] == pytest.approx([x, y], abs=0.03), placement
        assert f"centred at ({x:.2f}" in aimed["note"]
    # Too near a large subject, turning cannot centre it: the note says so (it reports the camera returned).
    near = {"position": [2.05, 1.64, 1.6], "look_at": [2.64, 5.06, 2.03], "focal_mm": 16, "aspect": "4:3"}
    stuck = json.loads(make_tool("aim_camera")(camera=json.dumps(near), subjects="staircase", scene="staircase"))
    assert "not at center" in stuck["note"] and "step back or widen the lens" in stuck["note"]
    with pytest.raises(ToolInputError, match="not one of"):
        tools["aim_camera"](camera=json.dumps(FRONT), subjects="red_box", placement="somewhere")
    with pytest.raises(ToolInputError, match="no object or label"):
        tools["aim_camera"](camera=json.dumps(FRONT), subjects="unicorn")


def test_check_camera_is_short_by_default_with_each_value_beside_its_threshold(tools):
    text = tools["check_camera"](camera=json.dumps(FRONT), subjects="red_box", context="blue_ball")
    lines = text.splitlines()
    assert lines[0] == "valid: yes" and len(text) < 1000
    subject = next(line for line in lines if line.startswith("subject red_box:"))
    assert re.search(r"seen [\d.]+ of its surface \(needs >= 0\.30\) ok", subject)
    assert "whole in frame" in subject and re.search(r"centre \(0\.\d\d, 0\.\d\d\) = center", subject)
    assert any(line.startswith("context blue_ball: seen") and "in the picture from 0.25 seen" in line for line in lines)
    assert "(invalid below 0.10 m; keep 0.30 m where you can)" in lines[1]
    full = check(tools["check_camera"], camera=json.dumps(FRONT), subjects="red_box")
    assert (
        full["subjects"]["red_box"]["centroid"]
        == [float(v) for v in re.search(r"centre \((0\.\d\d), (0\.\d\d)\)", subject).groups()]
        or abs(full["subjects"]["red_box"]["centroid"][0] - 0.5) < 0.1
    )


def test_check_camera_reports_context_as_warnings_never_as_errors(tools):
    away = {**FRONT, "look_at": [0.0, -10.0, 1.2]}  # the box behind the camera: an error for a subject
    as_context = check(tools["check_camera"], camera=json.dumps(FRONT), context="box")
    assert as_context["valid"] and as_context["context"]["red_box"]["visible"] > 0
    hidden = check(tools["check_camera"], camera=json.dumps({**away, "look_at": [0.0, -10.0, 1.0]}), context="red_box")
    assert any("context red_box is not visible" in w for w in hidden["warnings"])
    unknown = check(tools["check_camera"], camera=json.dumps(FRONT), context="unicorn")
    assert unknown["valid"] and any("unicorn" in w for w in unknown["warnings"])


def test_check_camera_flags_bad_cameras(tools):
    tool = tools["check_camera"]
    inside = check(tool, camera=json.dumps({**FRONT, "position": [0.1, 0.1, 0.4]}))
    assert not inside["valid"] and any("inside red_box" in e for e in inside["errors"])
    away = check(tool, camera=json.dumps({**FRONT, "look_at": [0.0, -10.0, 1.2]}), subjects="box")
    assert not away["valid"] and any("red_box" in e and "behind" in e for e in away["errors"])
    broken = check(tool, camera='{"position": [0, -5, 1]}')
    assert not broken["valid"] and "look_at" in broken["errors"][0]
    assert tool(camera='{"position": [0, -5, 1]}').startswith("valid: NO: ")
    unknown = check(tool, camera=json.dumps(FRONT), subjects="unicorn")
    assert not unknown["valid"] and "unicorn" in unknown["errors"][0] and "red_box" in unknown["errors"][0]


def test_check_camera_flags_a_camera_inside_a_wall_or_outside_the_room(tmp_path):
    tool = make_tool("check_camera", ToolContext(out_dir=tmp_path))
    in_wall = check(tool, camera='{"position": [-0.1, 4.5, 1.5], "look_at": [3, 2.5, 1]}', scene="living_room")
    assert not in_wall["valid"] and in_wall["position"]["inside_object"] == "walls"
    outside = check(tool, camera='{"position": [3, -2, 1.5], "look_at": [3, 2.5, 1]}', scene="living_room")
    assert not outside["valid"] and any("outside the room" in e for e in outside["errors"])
    good = check(
        tool, camera='{"position": [3, 4.2, 1.4], "look_at": [3, 0.6, 0.5]}', scene="living_room", subjects="sofa"
    )
    assert good["valid"], good["errors"]
    assert good["subjects"]["sofa"]["visible"] > 0.3


def test_edge_map_finds_the_outlines_of_objects(tools, front_render):
    text = tools["edge_map"](image=str(front_render))
    edges = np.asarray(Image.open(saved(text)).convert("L"))
    assert set(np.unique(edges)) <= {0, 255}
    sidecar = read_sidecar(front_render)
    outline = id_edges(np.where(np.isin(sidecar.ids, sidecar.indices("red_box") + sidecar.indices("blue_ball")), 1, 0))

    def outline_found(edges):
        near = cv2.dilate((edges > 0).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        return near[outline > 0].mean()

    # The median rule misses where the red box's top meets a sky of the same lightness; lower thresholds get it all.
    assert outline_found(edges) > 0.5
    low = np.asarray(Image.open(saved(tools["edge_map"](image=str(front_render), low=10, high=30))).convert("L"))
    assert outline_found(low) > 0.95
    # Most edge pixels lie on object boundaries or the horizon (the ground reaches it), not in the flat
    # ground or sky.
    below = Camera.from_dict(sidecar.meta["camera"]).ray_directions()[..., 2] < 0
    boundaries = id_edges(sidecar.ids) | id_edges(below.astype(np.uint8))
    any_outline = cv2.dilate(boundaries, np.ones((5, 5), np.uint8)) > 0
    assert any_outline[edges > 0].mean() > 0.6 and any_outline[low > 0].mean() > 0.6
    assert "of pixels are edges" in text and "most detail" in text
    with pytest.raises(ToolInputError, match="does not exist"):
        tools["edge_map"](image=str(Path(saved(text)).parent / "nope.png"))


def test_crop_zoom_sizes(tools, front_render):
    text = tools["crop_zoom"](image=str(front_render), box="0.5,0,1,0.5")
    out = Image.open(saved(text))
    assert out.size == (768, round(214 * 768 / 320)) and "x 320..640, y 0..214" in text
    pixels = Image.open(saved(tools["crop_zoom"](image=str(front_render), box="[10, 20, 110, 70]", size=200)))
    assert pixels.size == (200, 100)
    with pytest.raises(ToolInputError, match="four numbers"):
        tools["crop_zoom"](image=str(front_render), box="left half")


def test_compare_images_identical_and_different(tools, ctx, front_render):
    same = json.loads(tools["compare_images"](image_a=str(front_render), image_b=str(front_render)))
    assert same["identical"] and same["verdict"] == "identical" and same["changed_fraction"] == 0
    dusk = saved(tools["render_view"](camera=json.dumps(FRONT), time_of_day="night"))
    diff = json.loads(tools["compare_images"](image_a=str(front_render), image_b=str(dusk)))
    assert not diff["identical"] and diff["changed_fraction"] > 0.3 and diff["lightness_change"] < -0.1
    sheet = Image.open(saved(json.dumps(diff)))
    assert sheet.height == 360 and sheet.width > 3 * 500


def test_image_info_reports_size_aspect_and_render(tools, front_render, ctx):
    ctx.outbox.drain()
    info = json.loads(tools["image_info"](image=str(front_render), show=True))
    assert (info["width"], info["height"], info["aspect"], info["orientation"]) == (640, 427, "3:2", "landscape")
    assert info["render"]["camera"]["focal_mm"] == 35 and info["render"]["time_of_day"] == "noon"
    assert not info["exposure"]["is_black"] and len(ctx.outbox) == 1


def test_composition_analysis_of_a_subject(tools, front_render, tmp_path):
    report = json.loads(tools["composition_analysis"](image=str(front_render), subject="red_box"))
    assert report["thirds"]["placement"] == "center" and 0.02 < report["subject"]["coverage"] < 0.3
    assert Image.open(report["saved"]).size == (640, 427)
    plain = front_render.parent / "plain.png"
    Image.open(front_render).save(plain)
    assert "balance" in json.loads(tools["composition_analysis"](image=str(plain)))
    with pytest.raises(ToolInputError, match="no object ids"):
        tools["composition_analysis"](image=str(plain), subject="red_box")
    with pytest.raises(ToolInputError, match="unicorn"):
        tools["composition_analysis"](image=str(front_render), subject="unicorn")


def test_scene_objects_and_top_down_map(tools, ctx):
    info = json.loads(tools["scene_objects"]())
    by_name = {o["name"]: o for o in info["objects"]}
    assert by_name["red_box"]["centre"] == [0.0, 0.0, 0.5] and by_name["red_box"]["size"] == [1.0, 1.0, 1.0]
    assert by_name["lamp"]["lamp"] is True
    assert [o["name"] for o in json.loads(tools["scene_objects"](query="ball"))["objects"]] == ["blue_ball"]
    ctx.outbox.drain()
    text = tools["top_down_map"](cameras=json.dumps([FRONT, {**FRONT, "position": [4, 0, 1.2]}]), size=400)
    assert Image.open(saved(text)).size == (400, 400) and "C2: at [4.0, 0.0, 1.2]" in text
    assert len(ctx.outbox) == 1


def test_a_library_scene_by_name_is_cached_per_time(tmp_path):
    ctx = ToolContext(out_dir=tmp_path)
    assert ctx.get_scene("courtyard") is ctx.get_scene("courtyard")
    assert ctx.get_scene("courtyard", "dusk").lighting.preset == "dusk"
    with pytest.raises(ToolInputError, match="no current scene"):
        ctx.get_scene()


@pytest.mark.slow
def test_photoflow_tool_runs_the_loop(tmp_path):
    ctx = ToolContext(out_dir=tmp_path)
    text = make_tool("photoflow", ctx)(intent="the fountain", rounds=1, candidates=2, width=240)
    photo = saved(text)
    assert photo.name == "photo.png" and Image.open(photo).size[0] == 240
    assert (photo.parent / "report.md").is_file() and "score" in text and "courtyard" in text
    camera = json.loads(next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("camera: ")))
    assert "position" in camera and len(ctx.outbox) == 1
    assert ctx.saved == [SavedImage(photo, "photo")]  # what agentvision chat shows and /save saves


def test_tools_command_prints_the_catalog(capsys, monkeypatch):
    from agentvision.cli import main

    monkeypatch.setenv("COLUMNS", "200")
    assert main(["tools"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in CATALOG) and "11 tools" in out
    assert "camera?, scene?, time_of_day?, width?, quality?" in out
