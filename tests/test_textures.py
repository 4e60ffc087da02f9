"""Textures everywhere: files with known textures render them in both engines, per pixel.

Every file here is written by the test (glTF by hand, OBJ/MTL and PLY as text), so each texel,
UV and colour is known: a checkerboard must show its squares where the UVs put them, vertex
colours where the vertices are, holes where the alpha is zero, and a normal map must turn the
light the way its green channel says.
"""

from __future__ import annotations

import os

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")  # before anything imports OpenGL

from dataclasses import replace

import numpy as np
import pytest
import trimesh
from gltf_writer import png, quad, write_glb

from agentvision.camera import Camera
from agentvision.conventions import srgb_to_linear
from agentvision.photoflow.builtin.intent import parse_intent
from agentvision.render import render_scene
from agentvision.scene.export import export_glb
from agentvision.scene.files import load_file
from agentvision.scene.lighting import apply_time_of_day
from agentvision.scene.model import Material, Scene, SceneError, SceneObject, Texture
from agentvision.scene.textures import mean_color, mip_levels, sample

RED, BLUE = (230, 20, 20), (20, 20, 230)
# A quad 2 m wide at 4 m, 1:1 frame of 160 px at 35 mm: the quad spans ~78 px; quadrant centres sit ~20 px off-centre.
CAMERA = Camera((0.0, -4.0, 0.0), (0.0, 0.0, 0.0), focal_mm=35, aspect="1:1", width=160)
QUADRANTS = {"top_left": (60, 60), "top_right": (60, 100), "bottom_left": (100, 60), "bottom_right": (100, 100)}


def checker(n: int = 64) -> np.ndarray:
    """Top-left and bottom-right quadrants red, the others blue (row 0 is the image's top)."""
    image = np.empty((n, n, 3), np.uint8)
    half = n // 2
    image[:half, :half] = image[half:, half:] = RED
    image[:half, half:] = image[half:, :half] = BLUE
    return image


def assert_checker(result) -> None:
    """The render shows the checker's squares where the UVs put them (quad seen from the front)."""
    for where, (v, u) in QUADRANTS.items():
        patch = result.rgb[v - 3 : v + 4, u - 3 : u + 4].reshape(-1, 3).astype(int)
        red = where in ("top_left", "bottom_right")
        r, b = patch[:, 0].mean(), patch[:, 2].mean()
        assert (r > b + 60) if red else (b > r + 60), f"{result.engine}: {where} is {patch.mean(axis=0)}"


def lit(path_or_scene, time="noon") -> Scene:
    scene = load_file(path_or_scene) if not isinstance(path_or_scene, Scene) else path_or_scene
    return apply_time_of_day(scene, time)


@pytest.fixture
def checker_glb(tmp_path):
    material = {"name": "Checker", "pbrMetallicRoughness": {"baseColorTexture": {"index": 0}, "metallicFactor": 0}}
    return write_glb(
        tmp_path / "checker.glb",
        [{"name": "Picture", "primitives": [quad() | {"material": 0}]}],
        [material],
        images=[png(checker())],
    )


# ----- sampling -----------------------------------------------------------------------------
def test_sampling_decodes_srgb_and_wraps_per_axis():
    grey = Texture(np.full((4, 4, 3), 128, np.uint8))
    assert sample(grey, [[0.5, 0.5]])[0] == pytest.approx([float(srgb_to_linear(128 / 255.0))] * 3, abs=1e-4)
    data = Texture(np.full((4, 4, 3), 128, np.uint8), srgb=False)
    assert sample(data, [[0.5, 0.5]])[0] == pytest.approx([128 / 255.0] * 3, abs=1e-4)

    stripes = np.zeros((1, 4, 1), np.uint8)
    stripes[0, 0] = 255  # texel 0 white, texels 1-3 black
    at = np.array([[0.125, 0.5], [1.125, 0.5], [-0.875, 0.5], [1.875, 0.5]])
    repeat = sample(Texture(stripes, srgb=False, wrap=("repeat", "clamp")), at)[:, 0]
    assert repeat == pytest.approx([1.0, 1.0, 1.0, 0.0])
    mirror = sample(Texture(stripes, srgb=False, wrap=("mirror", "clamp")), at)[:, 0]
    assert mirror == pytest.approx([1.0, 0.0, 0.0, 1.0])  # 1.125 is texel 3 mirrored; 1.875 is texel 0
    clamp = sample(Texture(stripes, srgb=False, wrap=("clamp", "clamp")), at)[:, 0]
    assert clamp == pytest.approx([1.0, 0.0, 1.0, 0.0])


def test_mip_levels_average_and_far_samples_read_them():
    texture = Texture(checker(64))
    levels = mip_levels(texture)
    assert [lv.shape[:2] for lv in levels] == [(64 >> k, 64 >> k) for k in range(7)]
    assert levels[-1][0, 0] == pytest.approx(np.mean(checker(64), axis=(0, 1)), abs=1)  # the average colour
    near, far = sample(texture, [[0.25, 0.25]], 0.0)[0], sample(texture, [[0.25, 0.25]], 6.0)[0]
    assert near[0] > 0.7 and near[2] < 0.05  # a red square up close
    assert far[0] == pytest.approx(far[2], abs=0.02)  # the squares blend far away (no aliasing)


def test_textures_are_read_only_and_shared_by_lighting_copies(checker_glb):
    scene = load_file(checker_glb)
    texture = scene.objects[0].material.base_color_map
    assert not texture.pixels.flags.writeable
    with pytest.raises(ValueError):
        texture.pixels[0, 0] = 0
    for time in ("noon", "dusk"):
        assert apply_time_of_day(scene, time).objects[0].material.base_color_map is texture
    with pytest.raises(SceneError, match="uint8"):
        Texture(np.zeros((4, 4, 3), np.float32))
    with pytest.raises(SceneError, match="wrap"):
        Texture(np.zeros((4, 4, 3), np.uint8), wrap=("tile", "repeat"))


# ----- files ---------------------------------------------------------------------------------
def test_gltf_base_colour_texture_renders_per_pixel(checker_glb, gl):
    scene = lit(checker_glb)
    obj = scene.objects[0]
    assert obj.name == "picture" and obj.uv.shape == (2, 3, 2)  # per face corner
    material = obj.material
    assert material.base_color_map.size == (64, 64) and material.base_color_map.srgb
    expected = (srgb_to_linear(np.array(RED) / 255) + srgb_to_linear(np.array(BLUE) / 255)) / 2
    assert material.color == pytest.approx(tuple(expected), abs=0.02)  # the one colour: the mean
    for result in (render_scene(scene, CAMERA, engine="raycast"), gl.render(scene, CAMERA)):
        assert_checker(result)


@pytest.mark.slow  # path tracing: seconds
def test_path_engine_hands_the_same_images_and_uvs_to_mitsuba(checker_glb, tmp_path):
    from agentvision.render import RendererError, RenderSettings, get_renderer

    try:
        path = get_renderer("path")
    except RendererError as exc:
        pytest.skip(f"the path engine cannot run here: {exc}")
    assert_checker(path.render(lit(checker_glb), CAMERA, RenderSettings.final()))
    # a normal map bends the light the same way there (Mitsuba's normalmap, our tangent convention)
    up = np.tile(np.array([128, 217, 218], np.uint8), (4, 4, 1))  # +Y: bent up the image, toward the sun
    materials = [
        {"name": "flat", "pbrMetallicRoughness": {"baseColorFactor": [0.4, 0.4, 0.4, 1], "metallicFactor": 0}},
        {
            "name": "up",
            "normalTexture": {"index": 0},
            "pbrMetallicRoughness": {"baseColorFactor": [0.4, 0.4, 0.4, 1], "metallicFactor": 0},
        },
    ]
    nodes = [
        {"name": "flat", "primitives": [quad(centre=(0.5, 0, 0), size=0.9) | {"material": 0}]},
        {"name": "up", "primitives": [quad(centre=(-0.5, 0, 0), size=0.9) | {"material": 1}]},
    ]
    scene = lit(write_glb(tmp_path / "bumps.glb", nodes, materials, images=[png(up)]))
    result = path.render(scene, CAMERA, RenderSettings.final())
    level = {n: result.rgb[result.ids == scene.index(n)].astype(float).mean() for n in ("flat", "up")}
    assert level["up"] > level["flat"] + 10, level


def test_sampler_wrap_modes_are_kept(tmp_path):
    material = {"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}
    path = write_glb(
        tmp_path / "wraps.glb",
        [{"name": "tile", "primitives": [quad() | {"material": 0}]}],
        [material],
        images=[png(checker(8))],
        samplers=[{"wrapS": 33071, "wrapT": 33648}],
        textures=[{"source": 0, "sampler": 0}],
    )
    assert load_file(path).objects[0].material.base_color_map.wrap == ("clamp", "mirror")


def test_obj_map_kd_renders_its_texture(tmp_path, gl):
    from PIL import Image

    Image.fromarray(checker()).save(tmp_path / "checker.png")
    (tmp_path / "pic.mtl").write_text("newmtl Canvas\nKd 1 1 1\nmap_Kd checker.png\n")
    # OBJ is Y up like glTF; its v grows up the image: the top-left corner has vt 0 1.
    (tmp_path / "pic.obj").write_text(
        "mtllib pic.mtl\nv -1 1 0\nv 1 1 0\nv 1 -1 0\nv -1 -1 0\n"
        "vt 0 1\nvt 1 1\nvt 1 0\nvt 0 0\nusemtl Canvas\nf 1/1 4/4 3/3\nf 1/1 3/3 2/2\n"
    )
    scene = lit(tmp_path / "pic.obj")
    material = scene.objects[0].material
    assert material.name == "Canvas" and material.base_color_map is not None
    for result in (render_scene(scene, CAMERA, engine="raycast"), gl.render(scene, CAMERA)):
        assert_checker(result)


def test_vertex_colours_render_where_the_vertices_are(tmp_path, gl):
    # PLY (Z up, sRGB 8-bit colours): a quad facing the camera, red on its left edge, blue on its right.
    header = "ply\nformat ascii 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\n"
    header += "property uchar red\nproperty uchar green\nproperty uchar blue\nelement face 2\n"
    header += "property list uchar int vertex_indices\nend_header\n"
    rows = ["-1 0 1 230 20 20", "1 0 1 20 20 230", "1 0 -1 20 20 230", "-1 0 -1 230 20 20"]
    (tmp_path / "quad.ply").write_text(header + "\n".join(rows) + "\n3 0 3 2\n3 0 2 1\n")
    scene = lit(tmp_path / "quad.ply")
    colors = scene.objects[0].colors
    assert colors.shape == (2, 3, 4)  # per face corner
    assert colors[0, 0, :3] == pytest.approx(srgb_to_linear(np.array(RED) / 255), abs=1e-6)  # decoded from sRGB
    for result in (render_scene(scene, CAMERA, engine="raycast"), gl.render(scene, CAMERA)):
        left, right = result.rgb[80, 50].astype(int), result.rgb[80, 110].astype(int)
        assert left[0] > left[2] + 60 and right[2] > right[0] + 60, (result.engine, left, right)

    # glTF COLOR_0 is linear: kept as given, and multiplies the base colour factor.
    primitive = quad() | {"COLOR_0": [(1, 0, 0, 1), (0, 0, 1, 1), (0, 0, 1, 1), (1, 0, 0, 1)], "material": 0}
    material = {"pbrMetallicRoughness": {"baseColorFactor": [0.5, 0.5, 0.5, 1.0], "metallicFactor": 0}}
    scene = load_file(write_glb(tmp_path / "coloured.glb", [{"name": "q", "primitives": [primitive]}], [material]))
    assert scene.objects[0].colors[1, 2] == pytest.approx([0, 0, 1, 1])  # vertex 1: the second face's third corner
    assert scene.objects[0].material.color == pytest.approx((0.25, 0.0, 0.25), abs=0.01)


def test_alpha_mask_cuts_holes_in_both_engines(tmp_path, gl):
    pixels = np.zeros((8, 8, 4), np.uint8)
    pixels[..., :3] = 200
    pixels[:, 4:, 3] = 255  # the right half is solid, the left half a hole
    material = {
        "name": "Leaf",
        "alphaMode": "MASK",
        "alphaCutoff": 0.5,
        "pbrMetallicRoughness": {"baseColorTexture": {"index": 0}},
    }
    backdrop = {"name": "Wall", "pbrMetallicRoughness": {"baseColorFactor": [0.1, 0.1, 0.8, 1.0], "metallicFactor": 0}}
    nodes = [
        {"name": "leaf", "primitives": [quad() | {"material": 0}]},
        {"name": "backdrop", "primitives": [quad(centre=(0, 0, -1), size=6) | {"material": 1}]},
    ]
    scene = lit(write_glb(tmp_path / "leaf.glb", nodes, [material, backdrop], images=[png(pixels)]))
    assert scene.get("leaf").material.cutout == 0.5
    for result in (render_scene(scene, CAMERA, engine="raycast"), gl.render(scene, CAMERA)):
        names = np.array(result.names + ["background"])[result.ids]
        assert names[80, 65] == "backdrop" and names[80, 95] == "leaf", result.engine
        assert result.depth[80, 65] == pytest.approx(5.0, abs=0.01)  # the depth behind the hole
        assert result.rgb[80, 65, 2] > result.rgb[80, 65, 0] + 40  # the blue wall shows through


def test_normal_map_turns_the_light_as_its_green_channel_says(tmp_path, gl):
    """Three upright quads facing the camera (south, the sun high in the south-west): a flat normal
    map, one bent up (+Y in tangent space, green high) toward the sun, one bent down, away from it."""

    def normal_texel(y: float) -> list[int]:
        m = np.array([0.0, y, np.sqrt(1 - y * y)])
        return list(np.round((m + 1) * 127.5).astype(int))

    maps = [np.tile(np.array(normal_texel(y), np.uint8), (4, 4, 1)) for y in (0.0, 0.7, -0.7)]
    materials = [
        {"name": f"m{i}", "normalTexture": {"index": i}, "pbrMetallicRoughness": {"metallicFactor": 0}}
        for i in range(3)
    ]
    nodes = [
        {"name": name, "primitives": [quad(centre=(x, 0, 0), size=0.9) | {"material": i}]}
        for i, (name, x) in enumerate([("flat", 0.0), ("up", -1.0), ("down", 1.0)])
    ]
    scene = lit(write_glb(tmp_path / "bumps.glb", nodes, materials, images=[png(p) for p in maps]))
    camera = Camera((0.0, -5.0, 0.0), (0.0, 0.0, 0.0), focal_mm=35, aspect="3:2", width=240)
    for result in (render_scene(scene, camera, engine="raycast"), gl.render(scene, camera)):
        level = {n: result.rgb[result.ids == scene.index(n)].astype(float).mean() for n in ("flat", "up", "down")}
        assert level["up"] > level["flat"] + 15 > level["down"] + 30, (result.engine, level)


# ----- parts named after their materials ---------------------------------------------------------
def test_multi_material_mesh_becomes_parts_named_after_materials(tmp_path):
    materials = [
        {"name": "Floor", "pbrMetallicRoughness": {"baseColorFactor": [0.4, 0.3, 0.2, 1], "metallicFactor": 0}},
        {"name": "Wall paint", "pbrMetallicRoughness": {"baseColorFactor": [0.8, 0.8, 0.7, 1], "metallicFactor": 0}},
        {"name": "Window Glass", "pbrMetallicRoughness": {"baseColorFactor": [0.7, 0.8, 0.9, 1]}},
        {"name": "Oak", "pbrMetallicRoughness": {"baseColorFactor": [0.5, 0.3, 0.1, 1], "metallicFactor": 0}},
    ]
    room = [
        quad(centre=(0, 0, 0), size=4, facing="y") | {"material": 0},
        quad(centre=(0, 1.5, -2), size=3) | {"material": 1},
        quad(centre=(0, 1.5, -1.99), size=1) | {"material": 2},
    ]
    table = [
        quad(centre=(1, 0.7, 0), size=0.8, facing="y") | {"material": 3},
        quad(centre=(1, 0.3, 0), size=0.4) | {"material": 3},
    ]
    nodes = [{"name": "Walls", "primitives": room}, {"name": "Table", "primitives": table}]
    scene = load_file(write_glb(tmp_path / "room.glb", nodes, materials))
    assert scene.names == ["walls_floor", "walls_wall_paint", "walls_window_glass", "table_oak", "table_oak_1"]
    labels = {o.name: o.label for o in scene.objects}
    assert labels == {
        "walls_floor": "floor",
        "walls_wall_paint": "walls",
        "walls_window_glass": "window",
        "table_oak": "table",  # a material that names no part: the node's label
        "table_oak_1": "table",
    }
    assert scene.get("walls_window_glass").material.glass  # clearly glass by its name
    assert not scene.get("walls_wall_paint").material.glass
    assert scene.floor_z == pytest.approx(0.0)  # the floor part is the floor
    for intent, subject in [
        ("shoot the floor", ["walls_floor"]),
        ("the window at dusk", ["walls_window_glass"]),
        ("a wide view of the wall", ["walls_wall_paint"]),
    ]:
        assert parse_intent(intent, scene).subjects == subject, intent


def test_transmissive_material_is_glass(tmp_path):
    material = {"name": "Screen", "extensions": {"KHR_materials_transmission": {"transmissionFactor": 0.9}}}
    scene = load_file(
        write_glb(tmp_path / "t.glb", [{"name": "s", "primitives": [quad() | {"material": 0}]}], [material])
    )
    assert scene.objects[0].material.glass


# ----- export -------------------------------------------------------------------------------
def test_textured_scene_exports_and_loads_with_its_textures(checker_glb, tmp_path):
    scene = load_file(checker_glb)
    normal = Texture(np.tile(np.array([128, 128, 255], np.uint8), (4, 4, 1)), srgb=False, wrap=("clamp", "mirror"))
    material = replace(scene.objects[0].material, normal_map=normal, normal_scale=0.5, metallic=0.25)
    scene.objects[0] = replace(scene.objects[0], material=material)
    again = load_file(export_glb(scene, tmp_path / "again.glb"))
    loaded = again.objects[0]
    np.testing.assert_array_equal(loaded.material.base_color_map.pixels, material.base_color_map.pixels)
    assert loaded.material.normal_map.wrap == ("clamp", "mirror") and not loaded.material.normal_map.srgb
    assert (loaded.material.normal_scale, loaded.material.metallic) == (0.5, 0.25)
    np.testing.assert_allclose(loaded.uv, scene.objects[0].uv, atol=1e-6)


def test_mean_colour_weighs_the_texture_by_area():
    mesh = trimesh.Trimesh([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], [[0, 1, 2], [0, 2, 3]], process=False)
    uv = np.array([[0.1, 0], [0.4, 0], [0.4, 1], [0.1, 1]], np.float32)  # the left half of the image only
    mesh.face_attributes["uv"] = uv[mesh.faces]
    image = np.zeros((16, 16, 3), np.uint8)
    image[:, :8] = 255  # left half white, right half black
    material = Material(base_color=(0.5, 1.0, 1.0), base_color_map=Texture(image))
    assert mean_color(mesh, material) == pytest.approx((0.5, 1.0, 1.0), abs=0.01)
    obj = SceneObject("plate", "plate", mesh, replace(material, mean_color=mean_color(mesh, material)))
    assert obj.material.color == pytest.approx((0.5, 1.0, 1.0), abs=0.01)
