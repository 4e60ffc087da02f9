"""Geometric scene queries on hand-built scenes with known answers, and the top-down plan."""

from __future__ import annotations

import math

import numpy as np
import pytest
import trimesh

from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID, hex_to_linear
from agentvision.errors import InputError
from agentvision.render.base import RenderResult
from agentvision.scene import queries as q
from agentvision.scene import visibility as vis
from agentvision.scene.model import Material, Scene, SceneError, SceneObject
from agentvision.scene.topdown import plan_transform, top_down, top_down_map
from agentvision.vision.composition import coverage, mask_bbox, mask_of


# ----- scenes ----------------------------------------------------------------------------------
def box(extents, centre) -> trimesh.Trimesh:
    m = trimesh.creation.box(extents)
    m.apply_translation(centre)
    return m


def plane(half: float = 5.0, z: float = 0.0) -> trimesh.Trimesh:
    """An open, single-sided square (normal +Z)."""
    v = [[-half, -half, z], [half, -half, z], [half, half, z], [-half, half, z]]
    return trimesh.Trimesh(v, [[0, 1, 2], [0, 2, 3]], process=False)


def obj(name, mesh, colour="#999999", label=None) -> SceneObject:
    return SceneObject(name, label or name, mesh, Material(base_color=hex_to_linear(colour)))


@pytest.fixture(scope="module")
def box_scene() -> Scene:
    """A unit box standing on an open ground plane at z = 0."""
    return Scene("box_on_plane", [obj("box", box((1, 1, 1), (0, 0, 0.5))), obj("ground", plane())])


@pytest.fixture(scope="module")
def room() -> Scene:
    """A 6 x 5 x 2.8 m room of slabs with a labelled ceiling, a sofa, a table, a rug and a plant."""
    objects = [
        obj("floor", box((6, 5, 0.1), (0, 0, -0.05)), "#b08a60"),
        obj("ceiling", box((6, 5, 0.1), (0, 0, 2.85)), "#ffffff"),
        obj("wall_north", box((6, 0.1, 2.8), (0, 2.55, 1.4)), "#e8e2d6", "wall"),
        obj("wall_south", box((6, 0.1, 2.8), (0, -2.55, 1.4)), "#e8e2d6", "wall"),
        obj("wall_east", box((0.1, 5.2, 2.8), (3.05, 0, 1.4)), "#e8e2d6", "wall"),
        obj("wall_west", box((0.1, 5.2, 2.8), (-3.05, 0, 1.4)), "#e8e2d6", "wall"),
        obj("rug", box((2.4, 1.6, 0.01), (0, 0, 0.005)), "#8a3b3b"),
        obj(
            "sofa",
            trimesh.util.concatenate([box((2.2, 0.9, 0.45), (0, 1.8, 0.225)), box((2.2, 0.2, 0.5), (0, 2.15, 0.7))]),
            "#3c5a7a",
        ),
        obj("coffee_table", box((1.2, 0.6, 0.4), (0, 0.4, 0.2)), "#5a3b22", "table"),
        obj("plant", trimesh.creation.icosphere(2, 0.35).apply_translation((-2.5, -2.0, 0.6)), "#3f7a3a"),
    ]
    return Scene("test_room", objects, interior=True)


def two_boxes() -> Scene:
    """A target box at the origin and, toward the camera at +X, an occluder hiding its y < 0 half."""
    return Scene(
        "occlusion",
        [obj("target", box((1, 1, 1), (0, 0, 0.5))), obj("screen", box((0.1, 3.0, 4.0), (2.0, -1.5, 0.5)))],
    )


# ----- clearance ---------------------------------------------------------------------------------
def test_clearance_above_and_beside_the_box(box_scene):
    assert q.clearance(box_scene, (0, 0, 2.0)) == pytest.approx(1.0, abs=1e-4)
    assert q.clearance(box_scene, (3.0, 0, 0.5)) == pytest.approx(0.5, abs=1e-4)  # the ground is nearer
    assert q.nearest_object(box_scene, (0, 0, 2.0)) == ("box", pytest.approx(1.0, abs=1e-4))
    pts = np.array([[0, 0, 2.0], [3.0, 0, 0.5], [0.9, 0, 0.5]])
    np.testing.assert_allclose(q.clearance_batch(box_scene, pts), [1.0, 0.5, 0.4], atol=1e-4)


def test_clearance_fallback_matches_open3d(box_scene, room):
    rng = np.random.default_rng(0)
    for scene in (box_scene, room):
        pts = rng.uniform(scene.bounds[0] - 1, scene.bounds[1] + 1, size=(40, 3))
        exact = q.clearance_batch(scene, pts)
        fallback, _ = q._TrimeshDistance(scene).query(pts)
        np.testing.assert_allclose(fallback, exact, atol=1e-4)


def test_bad_points_are_refused(box_scene):
    with pytest.raises(SceneError, match=r"\[x, y, z\]"):
        q.clearance(box_scene, (0, 0))
    with pytest.raises(SceneError):
        q.clearance(box_scene, (0, float("nan"), 1))


# ----- inside geometry ---------------------------------------------------------------------------
def test_inside_the_box_but_not_above_it(box_scene):
    assert q.inside_geometry(box_scene, (0.1, -0.2, 0.5))
    assert q.inside_object(box_scene, (0.1, -0.2, 0.5)) == "box"
    assert not q.inside_geometry(box_scene, (0, 0, 1.5))
    assert not q.inside_geometry(box_scene, (3, 3, 1))
    # Below an open ground plane: a lone open surface never holds a point.
    assert not q.inside_geometry(box_scene, (3, 3, -0.5))


def test_inside_in_a_room_of_slabs(room):
    pts = np.array([[0, -1, 1.5], [0.3, 1.7, 0.2], [3.05, 0.0, 1.0], [0.0, 0.0, 2.85], [2.0, -1.0, 0.05]])
    assert q.inside_object_batch(room, pts) == [None, "sofa", "wall_east", "ceiling", None]
    np.testing.assert_array_equal(q.inside_geometry_batch(room, pts), [False, True, True, True, False])


def test_inward_shell_room_and_open_wall_hold_no_free_air():
    shell = box((6, 5, 3), (0, 0, 1.5))
    shell.invert()  # faces point into the room, as a room built as a shell would have them
    wall = trimesh.Trimesh([[4, -2, 0], [4, 2, 0], [4, 2, 3], [4, -2, 3]], [[0, 1, 2], [0, 2, 3]], process=False)
    scene = Scene("shell", [obj("room_shell", shell), obj("wall_plane", wall), obj("cube", box((1, 1, 1), (0, 0, 1)))])
    assert not q.inside_geometry(scene, (1.5, 1.0, 1.5))  # the room's free air
    assert not q.inside_geometry(scene, (4.5, 0.0, 1.5))  # behind an open wall
    assert q.inside_object(scene, (0.2, 0.2, 1.1)) == "cube"


def _room_truth(room: Scene, pts: np.ndarray) -> np.ndarray:
    """Analytic inside-ness for the test room: its boxes, and the plant's sphere."""
    inside = np.zeros(len(pts), bool)
    for o in room.objects:
        if o.name == "plant":
            inside |= np.linalg.norm(pts - (-2.5, -2.0, 0.6), axis=1) < 0.34
        else:
            for part in o.mesh.split(only_watertight=False):
                lo, hi = part.bounds
                inside |= np.all((pts > lo) & (pts < hi), axis=1)
    return inside


@pytest.mark.parametrize("engine", ["open3d", "embreex"])
def test_inside_matches_the_analytic_answer(room, engine, monkeypatch):
    from agentvision.scene.rays import EmbreexEngine

    if engine == "embreex":  # the fallback path: stepping along closest hits
        monkeypatch.setattr(q, "backend", lambda: EmbreexEngine)
    scene = Scene("copy", room.objects, interior=True)  # fresh caches for this backend
    rng = np.random.default_rng(1)
    pts = rng.uniform(scene.bounds[0] - 0.2, scene.bounds[1] + 0.2, size=(600, 3))
    pts = pts[q.clearance_batch(scene, pts) > 0.01]  # not on a surface (or the plant's facets)
    truth = _room_truth(scene, pts)
    assert 0.1 < truth.mean() < 0.9
    np.testing.assert_array_equal(q.inside_geometry_batch(scene, pts), truth)


@pytest.mark.parametrize("engine", ["open3d", "embreex"])
def test_inside_boxes_that_share_faces(engine, monkeypatch):
    """Half the rays from a point in one box cross the face it shares with the next box; which of the two
    coincident faces a ray engine reports first must not decide the answer (it differs between CPUs)."""
    from agentvision.scene.rays import EmbreexEngine

    if engine == "embreex":
        monkeypatch.setattr(q, "backend", lambda: EmbreexEngine)
    row = [obj(f"block_{i}", box((1, 1, 1), (i + 0.5, 0.5, 0.5))) for i in range(3)]  # faces at x = 1, 2 shared
    scene = Scene("row", row)
    xs = np.linspace(0.02, 2.98, 75)
    pts = np.column_stack([xs, np.full_like(xs, 0.37), np.full_like(xs, 0.61)])
    names = q.inside_object_batch(scene, pts)
    assert names == [f"block_{int(x)}" for x in xs]


def test_inside_overlapping_pieces_of_one_object():
    legs = [box((0.06, 0.06, 0.75), (x, y, 0.375)) for x in (-0.5, 0.5) for y in (-0.3, 0.3)]
    top = box((1.2, 0.8, 0.05), (0, 0, 0.74))  # overlaps the legs' tops
    table = trimesh.util.concatenate([top, *legs])
    scene = Scene("table", [obj("table", table), obj("ground", plane())])
    pts = [[0.5, 0.3, 0.74], [0.5, 0.3, 0.4], [0.0, 0.0, 0.74], [0.0, 0.0, 0.4], [0.5, 0.3, 0.8]]
    assert q.inside_object_batch(scene, pts) == ["table", "table", "table", None, None]


# ----- ground ------------------------------------------------------------------------------------
def test_ground_height_below(box_scene):
    assert q.ground_height_below(box_scene, (0, 0, 3)) == pytest.approx(1.0, abs=1e-5)
    assert q.ground_height_below(box_scene, (3, 0, 1.6)) == pytest.approx(0.0, abs=1e-5)
    assert q.ground_height_below(box_scene, (30, 0, 2)) is None
    assert q.ground_height_below(box_scene, (0, 0, -1)) is None
    z = q.ground_height_below_batch(box_scene, [[0, 0, 3], [30, 0, 2]])
    assert z[0] == pytest.approx(1.0, abs=1e-5) and np.isnan(z[1])


# ----- visibility --------------------------------------------------------------------------------
def test_box_in_full_view(box_scene):
    cam = Camera((4, -4, 2.5), (0, 0, 0.5))
    assert vis.visibility(box_scene, cam, "box") == pytest.approx(1.0, abs=0.005)
    view = vis.object_view(box_scene, cam, "box")
    assert view.in_frame == pytest.approx(1.0, abs=0.005) and view.occluded < 0.005
    assert not view.cut_off and view.bbox == view.bbox_clipped
    assert view.centroid == pytest.approx((0.5, 0.5), abs=0.05)
    assert view.distance == pytest.approx(math.dist(cam.position, (0, 0, 0.5)))
    u0, v0, u1, v1 = view.bbox
    uv, _ = cam.project(np.array([[0, 0, 0.5]]))
    uc, vc = uv[0]
    assert u0 < uc < u1 and v0 < vc < v1


def test_half_hidden_behind_another_box():
    scene = two_boxes()
    cam = Camera((6, 0, 0.5), (0, 0, 0.5))
    assert vis.visibility(scene, cam, "target") == pytest.approx(0.5, abs=0.05)
    view = vis.object_view(scene, cam, "target")
    assert view.in_frame == pytest.approx(1.0, abs=0.005)
    assert view.occluded == pytest.approx(0.5, abs=0.05)
    assert view.visible + view.occluded == pytest.approx(view.in_frame)
    assert list(view.occluders) == ["screen"]
    assert view.centroid[0] > 0.5  # what is left is the +y half: to the image's right (camera faces -x)


def test_half_out_of_frame(box_scene):
    # Facing -x with the left frame edge along -x: only the box's y > 0 half is in frame.
    probe = Camera((6, 0, 0.5), (0, 0, 0.5), width=640)
    a = math.radians(probe.fov_deg[0] / 2)
    cam = Camera((6, 0, 0.5), (6 - math.cos(a), math.sin(a), 0.5), width=640)
    assert vis.visibility(box_scene, cam, "box") == pytest.approx(0.5, abs=0.05)
    view = vis.object_view(box_scene, cam, "box")
    assert view.cut_off and view.bbox[0] < 0 and view.bbox_clipped[0] == 0.0
    assert view.in_frame == pytest.approx(0.5, abs=0.05)


def test_behind_the_camera_and_camera_in_a_wall(box_scene, room):
    away = Camera((4, 0, 0.5), (8, 0, 0.5))
    assert vis.visibility(box_scene, away, "box") == 0.0
    view = vis.object_view(box_scene, away, "box")
    assert view.behind_camera and view.bbox is None and view.centroid is None and not view.cut_off
    in_wall = Camera((3.05, 0.0, 1.2), (0, 1.8, 0.4))
    assert q.inside_geometry(room, in_wall.position)
    assert vis.visibility(room, in_wall, "sofa") == 0.0
    assert vis.object_view(room, in_wall, "sofa").occluders == {"wall_east": pytest.approx(1.0, abs=0.01)}
    facing_nothing = Camera((0, 0, 1.5), (0, 0, 10))
    assert vis.visibility(box_scene, facing_nothing, "box") == 0.0


def test_unknown_object_lists_the_names(box_scene):
    cam = Camera((4, -4, 2.5), (0, 0, 0.5))
    with pytest.raises(SceneError, match="box, ground"):
        vis.visibility(box_scene, cam, "sofa")
    with pytest.raises(SceneError, match="box, ground"):
        vis.object_view(box_scene, cam, "sofa")


def test_samples_are_deterministic_and_area_weighted(box_scene):
    a = vis.surface_samples(box_scene, "box", 600)
    b = vis.surface_samples(Scene("copy", box_scene.objects), "box", 600)  # a fresh cache, same seed
    np.testing.assert_array_equal(a, b)
    top = np.isclose(a[:, 2], 1.0).mean()
    assert top == pytest.approx(1 / 6, abs=0.05)  # one face of six equal faces


# ----- coverage and boxes ------------------------------------------------------------------------
def test_coverage_matches_the_analytic_projected_area():
    scene = Scene("card", [obj("card", box((0.02, 1.0, 1.0), (0, 0, 0)))])
    cam = Camera((4.01, 0, 0), (0, 0, 0), focal_mm=50, aspect="4:3", width=480)
    ids = vis.object_ids(scene, cam)
    side = cam.focal_px * 1.0 / 4.0  # the card's face is 4 m from the camera
    expected = side**2 / (cam.width * cam.height)
    assert coverage(mask_of(ids, "card", scene.names)) == pytest.approx(expected, rel=0.03)
    assert coverage(mask_of(ids, [0])) == pytest.approx(expected, rel=0.03)
    result = RenderResult(
        np.zeros(ids.shape + (3,), np.uint8), np.zeros(ids.shape, np.float32), ids, scene.names, cam, "t"
    )
    assert coverage(mask_of(result, "card")) == coverage(mask_of(ids, 0))
    pixel_box = mask_bbox(mask_of(result, "card"))
    geometric = vis.projected_bbox(cam, scene.get("card").mesh)
    np.testing.assert_allclose(pixel_box, geometric, atol=1.5)
    with pytest.raises(InputError, match="card"):
        mask_of(result, "sofa")
    with pytest.raises(InputError, match="object_names"):
        mask_of(ids, "card")
    assert coverage(mask_of(np.full((4, 4), BACKGROUND_ID), 0)) == 0.0


def test_projected_bbox_of_a_mesh_around_the_camera(box_scene):
    inside = Camera((0, 0, 0.5), (0, 5, 0.5), width=320)
    b = vis.projected_bbox(inside, box_scene.get("box").mesh)
    assert b[0] < 0 and b[2] > 320  # wraps the camera: far wider than the frame
    assert vis.clip_bbox(b, inside.size) == (0.0, 0.0, 320.0, float(inside.height))
    assert vis.clip_bbox((400, 0, 500, 10), inside.size) is None


# ----- top-down map ------------------------------------------------------------------------------
def _map_scene(room) -> Scene:
    from agentvision.scene.library import library_names, library_scene

    try:
        names = library_names()
    except FileNotFoundError:
        names = []
    return library_scene(names[0]) if names else room


def test_top_down_map_of_a_scene(room):
    scene = _map_scene(room)
    lo, hi = scene.bounds
    cam = Camera(tuple(lo + 0.25 * (hi - lo)), tuple((lo + hi) / 2), extra={"name": "hero"})
    plan = top_down(scene, 512, cam)
    img = np.asarray(plan.image)
    assert plan.image.size == (512, 512) and img.shape == (512, 512, 3)
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 50  # not blank
    assert (plan.ids >= 0).mean() > 0.3
    assert len(plan.labels) >= min(3, len(scene.objects))
    # Label text is drawn: near-black text pixels around each label centre.
    for u, v in plan.labels.values():
        patch = img[int(v) - 6 : int(v) + 7, max(0, int(u) - 20) : int(u) + 21]
        assert (patch.max(axis=2) < 60).any()
    # The camera marker is red at the camera's position.
    u, v = plan.transform.world_to_pixel([cam.position])[0].astype(int)
    assert np.abs(img[v, u].astype(int) - (220, 40, 40)).max() < 40
    assert top_down_map(scene, 256).size == (256, 256)


def test_plan_looks_through_the_ceiling_and_keeps_north_up(room):
    plan = top_down(room, 300)
    t = plan.transform
    ids = plan.ids
    sofa_u, sofa_v = t.world_to_pixel([[0, 1.8]])[0].astype(int)
    plant_u, plant_v = t.world_to_pixel([[-2.5, -2.0]])[0].astype(int)
    assert room.objects[ids[sofa_v, sofa_u]].name == "sofa"
    assert room.objects[ids[plant_v, plant_u]].name == "plant"
    assert sofa_v < plant_v and plant_u < sofa_u  # north (+y) is up, east (+x) is right
    assert room.index("ceiling") not in set(np.unique(ids))
    assert plan.heights[sofa_v, sofa_u] == pytest.approx(0.45, abs=0.01)
    np.testing.assert_allclose(t.pixel_to_world(t.world_to_pixel([[1.2, -0.7]])), [[1.2, -0.7]])
    # Unlabelled ceiling slab in an interior is looked through too.
    bare = Scene("bare", [o if o.name != "ceiling" else obj("lid", o.mesh) for o in room.objects], interior=True)
    assert bare.index("lid") not in set(np.unique(top_down(bare, 128).ids))


def test_label_groups_join_pieces_but_not_instances():
    m = box((1, 1, 1), (0, 0, 0.5))
    scene = Scene(
        "groups",
        [
            obj("sofa", m),
            obj("sofa_pillows", m, label="sofa"),
            obj("tree_1", m, label="tree"),
            obj("tree_2", m, label="tree"),
            obj("floor", m),
            obj("floor_lamp", m),
        ],
    )
    assert q.label_groups(scene).tolist() == [0, 0, 2, 3, 4, 5]
    assert q.pieces(scene, "sofa") == ["sofa", "sofa_pillows"]
    assert q.pieces(scene, "floor") == ["floor"]


def test_visibility_counts_an_items_pieces_as_its_own():
    seat = box((2.0, 0.9, 0.45), (0, 0, 0.225))
    pillow = box((0.5, 0.5, 0.2), (0, 0, 0.55))  # on the seat, toward the camera above
    scene = Scene("item", [obj("sofa", seat), obj("sofa_pillow", pillow, label="sofa"), obj("ground", plane())])
    cam = Camera((0, -3, 3), (0, 0, 0.3))
    whole = vis.object_view(scene, cam, "sofa")
    assert whole.pieces == ["sofa", "sofa_pillow"] and whole.occluders == {}
    assert whole.visible == pytest.approx(1.0, abs=0.005)
    seat_only = vis.object_view(scene, cam, "sofa", parts=False)
    assert seat_only.occluded > 0.01 and list(seat_only.occluders) == ["sofa_pillow"]
    assert vis.visibility(scene, cam, "sofa", parts=False) == pytest.approx(seat_only.visible)


def test_an_empty_scene_gives_answers_not_crashes():
    empty = Scene("empty", [])
    assert q.clearance(empty, (0, 0, 0)) == math.inf and not q.inside_geometry(empty, (0, 0, 0))
    assert q.ground_height_below(empty, (0, 0, 1)) is None
    assert top_down(empty, 128, Camera((1, 1, 1), (0, 0, 0))).image.size == (128, 128)


def test_plan_frames_cameras_outside_the_scene(box_scene):
    far = Camera((30, -20, 2), (0, 0, 0.5))
    t = plan_transform(box_scene, 400, include=np.array([far.position]))
    u, v = t.world_to_pixel([far.position])[0]
    assert 0 <= u < 400 and 0 <= v < 400
