"""Procedural modelling helpers: closed outward primitives, placement, rooms and the Builder."""

from __future__ import annotations

import numpy as np
import pytest

from agentvision.conventions import hex_to_linear
from agentvision.scene import build, polygons, props, rooms, shapes
from agentvision.scene.model import SceneError

PRIMITIVES = {
    "box": lambda: shapes.box((1, 2, 3), (1, 1, 1)),
    "rounded_box": lambda: shapes.rounded_box((1.0, 0.6, 0.2), 0.05),
    "cylinder": lambda: shapes.cylinder(0.5, 1.0, (0, 0, 1)),
    "frustum": lambda: shapes.frustum(0.5, 0.2, 1.0),
    "cone": lambda: shapes.cone(0.4, 1.0),
    "cylinder_between": lambda: shapes.cylinder_between((0, 0, 0), (1, 2, 3), 0.1),
    "sphere": lambda: shapes.sphere(0.7, (1, 2, 3)),
    "ellipsoid": lambda: shapes.ellipsoid((1, 0.5, 0.2)),
    "lumpy_sphere": lambda: shapes.lumpy_sphere(1.0, (0, 0, 2), seed=4),
    "torus": lambda: shapes.torus(1.0, 0.2),
    "lathe_vase": lambda: shapes.lathe([(0, 0), (0.2, 0), (0.3, 0.4), (0.1, 0.8), (0, 0.8)]),
    "tube_open": lambda: shapes.tube([(0, 0, 0), (1, 0, 0), (2, 1, 0.5), (2, 2, 1)], [0.1, 0.08, 0.06, 0.05]),
    "tube_closed": lambda: shapes.tube(
        np.column_stack([np.cos(t := np.linspace(0, 6.28, 40, endpoint=False)), np.sin(t), 0.3 * np.sin(3 * t)]),
        0.05,
        closed=True,
    ),  # noqa: E501
    "extrude": lambda: polygons.extrude([(0, 0), (2, 0), (2, 1), (1, 0.4), (0, 1)], 0.5),
    "arch": lambda: polygons.extrude_profile(polygons.arch_outline(3.0, 3.5, 2.0, 2.3), 0.6),
    "shade": lambda: props.shade(0.2, 0.15, 0.3),
}


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_primitives_are_closed_with_outward_normals(name):
    mesh = PRIMITIVES[name]()
    assert mesh.is_watertight and mesh.is_winding_consistent
    assert mesh.volume > 0


def test_primitive_sizes_and_placement():
    assert np.allclose(shapes.box_between((1, 2, 3), (2, 4, 6)).bounds, [[1, 2, 3], [2, 4, 6]])
    assert np.allclose(shapes.cylinder(0.5, 2.0, (1, 1, 0)).bounds[:, 2], [0, 2])
    assert shapes.cylinder(0.5, 1.0, sections=64).volume == pytest.approx(np.pi * 0.25, rel=0.01)
    rod = shapes.cylinder_between((0, 0, 0), (0, 3, 0), 0.1)
    assert np.allclose(rod.bounds[:, 1], [0, 3], atol=1e-9)
    arch = polygons.extrude_profile(polygons.arch_outline(3.0, 3.5, 2.0, 2.3), 0.6)
    assert np.allclose(arch.bounds, [[-1.5, 0, 0], [1.5, 0.6, 3.5]])
    # The arch has a hole: a ray through the middle of the opening passes.
    assert not arch.contains([[0.0, 0.3, 1.0]])[0] and arch.contains([[1.3, 0.3, 1.0]])[0]
    moved = shapes.placed(shapes.box((2, 1, 1)), (5, 0), yaw_deg=90)[0]
    assert np.allclose(moved.bounds, [[4.5, -1, -0.5], [5.5, 1, 0.5]])
    with pytest.raises(SceneError):
        shapes.box_between((0, 0, 0), (1, 0, 1))


def test_lumpy_sphere_is_deterministic_per_seed():
    a, c = shapes.lumpy_sphere(1, (0, 0, 0), seed=1), shapes.lumpy_sphere(1, (0, 0, 0), seed=1)
    assert np.array_equal(a.vertices, c.vertices)
    assert not np.array_equal(a.vertices, shapes.lumpy_sphere(1, (0, 0, 0), seed=2).vertices)


def test_triangulate_concave_polygon():
    poly = [(0, 0), (3, 0), (3, 2), (2, 2), (2, 1), (1, 1), (1, 2), (0, 2)]  # a U
    pts, tris = polygons.triangulate(poly)
    e1, e2 = pts[tris[:, 1]] - pts[tris[:, 0]], pts[tris[:, 2]] - pts[tris[:, 0]]
    area = np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]).sum() / 2
    assert len(tris) == len(pts) - 2 and area == pytest.approx(5.0)
    with pytest.raises(SceneError):
        polygons.triangulate([(0, 0), (1, 1), (1, 0), (0, 1)])  # a bow tie crosses itself


def test_panel_cells_leave_the_holes_open():
    cells = rooms.panel_cells(4.0, 3.0, [(1.0, 1.0, 2.0, 2.0), (3.0, 0.0, 3.5, 2.5)])
    area = sum((u1 - u0) * (v1 - v0) for u0, v0, u1, v1 in cells)
    assert area == pytest.approx(12.0 - 1.0 - 1.25)
    for u, v in [(1.5, 1.5), (3.2, 1.0)]:
        assert not any(u0 < u < u1 and v0 < v < v1 for u0, v0, u1, v1 in cells)


def test_room_shell_and_openings():
    room = rooms.RoomPlan(0, 0, 5, 4, height=2.8)
    window = rooms.Opening("west", 2.0, 1.2, 0.9, 2.1)
    shell = rooms.room_shell(room, [window], skylights=[(1, 1, 2, 2)])
    walls = shapes.merge(shell["walls"])
    assert np.allclose(walls.bounds, [[-0.2, -0.2, 0], [5.2, 4.2, 2.8]])
    # Nothing in the middle of the window opening; wall beside it.
    assert not any(m.contains([[-0.1, 2.0, 1.5]])[0] for m in shell["walls"])
    assert any(m.contains([[-0.1, 3.5, 1.5]])[0] for m in shell["walls"])
    assert not any(m.contains([[1.5, 1.5, 2.9]])[0] for m in shell["ceiling"])
    glass, frame = rooms.window_parts(room, window)
    g = shapes.merge(glass)
    assert g.bounds[1, 0] < 0 and g.bounds[0, 1] > 1.4 and g.bounds[1, 1] < 2.6  # in the west wall's opening
    with pytest.raises(SceneError):
        rooms.Opening("up", 1, 1, 0, 1)


def test_builder_objects_labels_parts_and_lamps():
    bld = build.Builder("t")
    red = build.material("#cc3322", 0.5)
    assert red.base_color == hex_to_linear("#cc3322") and not red.is_emissive
    bld.add("tree_2", shapes.sphere(1), red)
    assert bld.objects[0].label == "tree"
    bld.add_part("tree_2", "trunk", [shapes.cylinder(0.1, 1), shapes.cylinder(0.05, 1, (1, 0, 0))], red)
    assert bld.objects[1].name == "tree_2_trunk" and bld.objects[1].label == "tree"
    assert len(bld.objects[1].mesh.faces) == 2 * len(shapes.cylinder(0.1, 1).faces)
    with pytest.raises(SceneError, match="already has"):
        bld.add("tree_2", shapes.sphere(1), red)
    with pytest.raises(SceneError, match="emissive"):
        bld.lamp("tree_2", (0, 0, 1))
    bld.add("lamp", shapes.sphere(0.1), build.material("#ffffff", emissive="#ffcc88", strength=2.0))
    bld.lamp("lamp", (0, 0, 0))
    inverted = shapes.box((1, 1, 1))
    inverted.invert()
    bld.add("flipped", inverted, red)
    assert bld.objects[-1].mesh.volume > 0
    open_mesh = shapes.box((1, 1, 1))
    open_mesh.update_faces(np.arange(10))
    with pytest.raises(SceneError, match="not closed"):
        bld.add("open", open_mesh, red)
    scene = bld.scene(interior=False, description="d")
    assert scene.lamps[0].object == "lamp" and scene.names[:2] == ["tree_2", "tree_2_trunk"]


def test_trims_stand_proud_of_the_wall_they_meet():
    """A sill's top and a door casing's inner edge are offset from the wall's planes (no z-fighting)."""
    room = rooms.RoomPlan(0, 0, 5, 4, height=2.8)
    window = rooms.Opening("west", 2.0, 1.2, 0.9, 2.1)
    sill = rooms.window_parts(room, window)[1][-1]
    assert sill.bounds[1, 2] == pytest.approx(window.bottom + rooms.PROUD)
    door = rooms.Opening("south", 2.5, 0.9, 0.0, 2.1)
    casing = shapes.merge(rooms.door_parts(room, door)[1])
    inner = casing.vertices[:, 0][np.abs(casing.vertices[:, 0] - door.center) < door.width / 2 + 0.01]
    assert np.abs(np.abs(inner - door.center) - door.width / 2).min() == pytest.approx(rooms.PROUD)
    assert casing.bounds[0, 2] == 0.0 and casing.bounds[1, 2] > door.top
