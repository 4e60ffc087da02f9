"""Scene files: loading real glTF/OBJ assets, PLY/STL, errors, and the GLB export round trip."""

from __future__ import annotations

import json
import struct
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import trimesh
from material_checks import assert_same_material
from shared_assets import ASSETS

from agentvision.conventions import srgb_to_linear
from agentvision.scene.export import export_glb
from agentvision.scene.files import label_from_name, load_file, snake_case
from agentvision.scene.model import Lamp, Material, Scene, SceneError, SceneObject

needs_assets = pytest.mark.skipif(
    not (ASSETS / "plaza.glb").is_file(), reason=f"shared test assets not found at {ASSETS} (../shared/assets)"
)


def glb_header(path: Path) -> dict:
    data = path.read_bytes()
    (length,) = struct.unpack_from("<I", data, 12)
    return json.loads(data[20 : 20 + length])


@pytest.fixture(scope="module")
def plaza() -> Scene:
    return load_file(ASSETS / "plaza.glb")


# ----- names --------------------------------------------------------------------------------
def test_snake_case_and_labels():
    assert snake_case("CesiumMilkTruck") == "cesium_milk_truck"
    assert snake_case("mesh20_mesh20-geometry") == "mesh20_mesh20_geometry"
    assert snake_case("HTTPServer Room.001") == "http_server_room_001"
    assert snake_case("3storey") == "obj_3storey"
    assert snake_case("--") == ""
    assert label_from_name("wheels_1") == "wheels"
    assert label_from_name("floor_0") == "floor"
    assert label_from_name("chair2") == "chair"
    assert label_from_name("staircase") == "staircase"


# ----- real assets --------------------------------------------------------------------------
@needs_assets
def test_plaza_names_z_up_and_floor(plaza):
    assert plaza.name == "plaza"
    assert set(plaza.names) == {"ground", "building", "milk_truck", "plinth", "duck_statue", "chair", "utility_pole"}
    assert plaza.source == str(ASSETS / "plaza.glb")
    assert plaza.lighting is None and plaza.interior is False
    ground = plaza.get("ground")
    assert plaza.floor_z == pytest.approx(ground.bounds[1, 2])
    assert plaza.floor_z == pytest.approx(0.0, abs=1e-6)
    for obj in plaza.objects:  # everything stands on the ground, nothing sinks into it
        if obj.name != "ground":
            assert obj.bounds[0, 2] >= plaza.floor_z - 1e-4, obj.name
    pole = plaza.get("utility_pole").mesh.extents
    assert pole[2] > 10.0 and pole[2] > pole[0] and pole[2] > pole[1]
    assert plaza.get("building").mesh.extents[2] == pytest.approx(9.0, abs=1e-4)
    assert plaza.get("duck_statue").bounds[0, 2] == pytest.approx(plaza.get("plinth").bounds[1, 2], abs=0.05)
    duck = plaza.get("duck_statue").material
    assert duck.base_color_map is not None and duck.base_color_map.size == (512, 512)  # the texture itself
    assert duck.color[0] > 0.8 and duck.color[1] > 0.4 and duck.color[2] < 0.05  # its mean: yellow


@needs_assets
def test_milk_truck_instances_and_exact_factors():
    truck = load_file(ASSETS / "CesiumMilkTruck.glb")
    assert truck.name == "cesium_milk_truck"
    assert truck.floor_z is None
    # one mesh of three materials: parts named after them; the glass and its trim are the truck's windows
    parts = ["cesium_milk_truck_truck", "cesium_milk_truck_glass", "cesium_milk_truck_window_trim"]
    assert truck.names == [*parts, "wheels", "wheels_1"]
    assert [o.label for o in truck.objects] == ["cesium_milk_truck", "window", "window", "wheels", "wheels"]
    front, back = truck.get("wheels").centroid, truck.get("wheels_1").centroid
    assert abs(front[0] - back[0]) > 2.0  # one mesh, two node transforms
    assert truck.get("wheels").bounds[0, 2] == pytest.approx(0.0, abs=5e-3)  # wheels on z = 0: Y up became Z up
    assert truck.bounds[1, 2] == pytest.approx(2.58, abs=0.01)
    glass = truck.get("cesium_milk_truck_glass").material
    assert glass.name == "glass" and glass.glass  # named glass: rendered as glass
    assert glass.base_color == pytest.approx((0.0, 0.04050629958510399, 0.021240700036287308), abs=1e-9)
    body = truck.get("cesium_milk_truck_truck").material
    assert body.name == "truck" and body.base_color == (1.0, 1.0, 1.0) and not body.glass
    assert body.base_color_map.size == (2048, 2048) and body.base_color_map.srgb
    assert min(body.color) > 0.3  # the mean of a mostly white texture
    assert truck.get("wheels").material.base_color_map is truck.get("wheels_1").material.base_color_map  # shared


@needs_assets
def test_duck_and_chair_axes():
    duck = load_file(ASSETS / "Duck.glb")
    assert len(duck.objects) == 1 and duck.name == "duck"
    assert duck.bounds[0, 2] > 0.05 and duck.bounds[1, 2] == pytest.approx(1.64, abs=0.01)

    chair = load_file(ASSETS / "chair_model.obj")
    raw = trimesh.load(ASSETS / "chair_model.obj", force="scene")
    assert chair.name == "chair_model"
    assert chair.triangle_count == sum(len(g.faces) for g in raw.geometry.values())
    raw_lo, raw_hi = raw.bounds
    assert chair.bounds[1] == pytest.approx([raw_hi[0], -raw_lo[2], raw_hi[1]], abs=1e-6)  # (x, -z, y)
    assert [o.label for o in chair.objects] == ["mesh20_mesh20_geometry"] * 3


@needs_assets
def test_generated_names_are_stable():
    first = load_file(ASSETS / "simple_pole.glb")
    second = load_file(ASSETS / "simple_pole.glb")
    assert first.names == second.names
    assert first.names == ["simple_pole"] + [f"simple_pole_{k}" for k in range(1, 11)]
    assert {o.label for o in first.objects} == {"simple_pole"}
    for a, b in zip(first.objects, second.objects, strict=True):
        np.testing.assert_array_equal(a.mesh.vertices, b.mesh.vertices)
    assert first.bounds[1, 2] == pytest.approx(20.5, abs=1e-4)  # the pole stands up
    assert first.floor_z is None


@needs_assets
def test_building_without_indices_has_storeys_not_a_floor():
    building = load_file(ASSETS / "no_indices_3storybuilding.glb")
    assert building.names == ["floor_0", "floor_1", "floor_2"]
    assert building.floor_z is None  # storeys named floor_N are not a floor to stand on
    tops = [building.get(f"floor_{k}").bounds[1, 2] for k in range(3)]
    assert tops == pytest.approx([3.0, 6.0, 9.0], abs=1e-4)  # the node rotation and the Y-up swap applied


@needs_assets
def test_load_scene_lights_a_file():
    from agentvision.scene.library import load_scene

    scene = load_scene(ASSETS / "Duck.glb", "dusk")
    assert scene.lighting is not None and scene.lighting.preset == "dusk"
    assert scene.names == ["lod3sp_shape"]  # no node name: the mesh name ("LOD3spShape"), snake_cased


@needs_assets
def test_gltf_with_external_buffers_matches_glb(tmp_path):
    files = trimesh.load(ASSETS / "Duck.glb").export(file_type="gltf")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    text = load_file(tmp_path / "model.gltf")
    binary = load_file(ASSETS / "Duck.glb")
    np.testing.assert_allclose(text.objects[0].mesh.bounds, binary.objects[0].mesh.bounds, atol=1e-6)


# ----- PLY and STL --------------------------------------------------------------------------
def test_ply_and_stl_are_z_up_with_colours(tmp_path):
    box = trimesh.creation.box((1.0, 2.0, 3.0))
    box.apply_translation((0.0, 0.0, 1.5))
    box.visual.vertex_colors = [200, 30, 30, 255]
    box.export(tmp_path / "Red Box.ply")
    box.export(tmp_path / "red_box.stl")

    ply = load_file(tmp_path / "Red Box.ply")
    assert ply.name == "red_box" and ply.names == ["red_box"]
    np.testing.assert_allclose(ply.bounds, box.bounds, atol=1e-6)
    expected = srgb_to_linear(np.array([200, 30, 30]) / 255.0)
    np.testing.assert_allclose(ply.objects[0].material.color, expected, atol=1e-6)  # the mean colour
    colors = ply.objects[0].colors[..., :3].reshape(-1, 3)
    np.testing.assert_allclose(colors, np.tile(expected, (len(colors), 1)), atol=1e-6)  # at every corner

    stl = load_file(tmp_path / "red_box.stl")
    assert stl.names == ["red_box"] and stl.floor_z is None
    np.testing.assert_allclose(stl.bounds, box.bounds, atol=1e-6)
    assert stl.objects[0].material == Material()


# ----- errors -------------------------------------------------------------------------------
def test_errors_name_the_file_and_the_reason(tmp_path):
    with pytest.raises(SceneError, match=r"nowhere\.glb.*not found"):
        load_file(tmp_path / "nowhere.glb")
    with pytest.raises(SceneError, match=r"model\.fbx.*unsupported.*\.glb.*\.obj.*\.ply.*\.stl"):
        load_file(tmp_path / "model.fbx")
    (tmp_path / "empty.glb").write_bytes(b"")
    with pytest.raises(SceneError, match=r"empty\.glb.*empty"):
        load_file(tmp_path / "empty.glb")
    (tmp_path / "junk.glb").write_bytes(b"not a model at all" * 8)
    with pytest.raises(SceneError, match=r"junk\.glb.*not a binary glTF"):
        load_file(tmp_path / "junk.glb")
    (tmp_path / "cut.glb").write_bytes(b"glTF" + struct.pack("<III", 2, 400, 300) + b'{"asset":')
    with pytest.raises(SceneError, match=r"cut\.glb.*broken"):
        load_file(tmp_path / "cut.glb")
    (tmp_path / "bad.gltf").write_text("{ this is not json")
    with pytest.raises(SceneError, match=r"bad\.gltf.*broken"):
        load_file(tmp_path / "bad.gltf")
    (tmp_path / "bad.ply").write_text("ply\nformat nonsense\n")
    with pytest.raises(SceneError, match=r"bad\.ply.*broken"):
        load_file(tmp_path / "bad.ply")
    trimesh.PointCloud(np.random.default_rng(0).random((50, 3))).export(tmp_path / "points.ply")
    with pytest.raises(SceneError, match=r"points\.ply.*no triangles"):
        load_file(tmp_path / "points.ply")


# ----- export round trip --------------------------------------------------------------------
def _made_scene() -> Scene:
    def placed(mesh: trimesh.Trimesh, at) -> trimesh.Trimesh:
        mesh.apply_translation(at)
        return mesh

    objects = [
        SceneObject("floor", "floor", placed(trimesh.creation.box((12, 12, 0.1)), (0, 0, -0.05)), Material((0.2,) * 3)),
        SceneObject(
            "tower_east",
            "tower",
            placed(trimesh.creation.box((1, 2, 5)), (3, 0, 2.5)),
            Material((0.6, 0.1, 0.05), 0.35),
        ),
        SceneObject(
            "globe",
            "lamp",
            placed(trimesh.creation.icosphere(2, 0.3), (-2, 1, 2.2)),
            Material((1.0, 1.0, 1.0), 0.2, emissive=(4.0, 3.0, 1.5), name="bulb"),
        ),
        SceneObject(
            "pane",
            "window",
            placed(trimesh.creation.box((1.0, 0.02, 1.2)), (0, 4, 1.5)),
            Material((0.85, 0.9, 0.95), 0.05, glass=True, name="clear glass"),
        ),
        SceneObject(
            "column_2", "column", placed(trimesh.creation.cylinder(0.2, 3.0), (-3, -3, 1.5)), Material((0.7,) * 3, 0.9)
        ),
    ]
    lamps = [Lamp("globe", (-2.0, 1.0, 2.2), (1.0, 0.8, 0.6), 3.5)]
    return Scene("made", objects, lamps=lamps, floor_z=0.0, interior=True, description="a test yard")


def _assert_same_scene(original: Scene, loaded: Scene) -> None:
    assert loaded.names == original.names
    assert [o.label for o in loaded.objects] == [o.label for o in original.objects]
    for a, b in zip(original.objects, loaded.objects, strict=True):
        assert b.mesh.faces.shape == a.mesh.faces.shape, a.name
        # the same triangles (a textured mesh is written with vertices split at its UV seams, as glTF wants)
        np.testing.assert_allclose(b.mesh.triangles, a.mesh.triangles, atol=1e-5, err_msg=a.name)
        expected = a.material if a.material.name else replace(a.material, name=b.material.name)
        assert_same_material(b.material, expected, a.name)
        for key in ("uv", "colors"):
            if getattr(a, key) is None or (key == "uv" and not a.material.maps):
                assert getattr(b, key) is None, (a.name, key)
            else:
                np.testing.assert_allclose(getattr(b, key), getattr(a, key), atol=1e-6, err_msg=a.name)
    assert loaded.lamps == original.lamps
    assert loaded.floor_z == original.floor_z
    assert loaded.interior == original.interior
    assert loaded.description == original.description


def test_export_round_trip(tmp_path):
    scene = _made_scene()
    path = export_glb(scene, tmp_path / "out" / "made.glb")
    assert path.is_file()

    header = glb_header(path)
    assert header["asset"]["version"] == "2.0"
    pytest.importorskip("jsonschema")
    trimesh.exchange.gltf.validate(header)  # the glTF 2.0 JSON schema bundled with trimesh
    nodes = [n for n in header["nodes"] if "mesh" in n]
    assert [n["name"] for n in nodes] == scene.names
    assert len({n["mesh"] for n in nodes}) == len(nodes)  # each object its own mesh
    for node, obj in zip(nodes, scene.objects, strict=True):
        assert node["extras"]["label"] == obj.label
        primitive = header["meshes"][node["mesh"]]["primitives"][0]
        material = header["materials"][primitive["material"]]
        assert material["name"]
        pbr = material["pbrMetallicRoughness"]
        assert pbr["baseColorFactor"][:3] == pytest.approx(obj.material.base_color)
        assert pbr["roughnessFactor"] == pytest.approx(obj.material.roughness)
        assert max(material["emissiveFactor"]) <= 1.0  # glTF range; strength goes in the extension
    tower = header["accessors"][header["meshes"][nodes[1]["mesh"]]["primitives"][0]["attributes"]["POSITION"]]
    assert tower["max"][1] == pytest.approx(5.0, abs=1e-5)  # Z up became Y up

    loaded = load_file(path)
    assert loaded.name == "made" and loaded.source == str(path)
    _assert_same_scene(scene, loaded)
    assert loaded.get("globe").material.emissive == (4.0, 3.0, 1.5)
    assert loaded.get("pane").material.glass


def test_export_refuses_bad_targets(tmp_path):
    with pytest.raises(SceneError, match=r"\.glb"):
        export_glb(_made_scene(), tmp_path / "made.gltf")
    with pytest.raises(SceneError, match="no objects"):
        export_glb(Scene("void", []), tmp_path / "void.glb")


@needs_assets
def test_reexported_asset_keeps_names_places_and_materials(plaza, tmp_path):
    loaded = load_file(export_glb(plaza, tmp_path / "plaza.glb"))
    assert loaded.name == "plaza"
    _assert_same_scene(plaza, loaded)


def test_library_staircase_round_trip(tmp_path):
    from agentvision.scene.library import library_names, library_scene

    if "staircase" not in library_names():
        pytest.skip("the library has no staircase scene yet")
    scene = library_scene("staircase")
    loaded = load_file(export_glb(scene, tmp_path / "staircase.glb"))
    _assert_same_scene(scene, loaded)
