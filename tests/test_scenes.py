"""The procedural scene library: required objects, naming, determinism, closed rooms, lamps."""

from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest
import trimesh

from agentvision.camera import Camera
from agentvision.content import content_dir
from agentvision.scene.library import library_names, library_scene
from agentvision.scene.model import NAME_RE, Scene
from agentvision.scene.rays import scene_rays

REQUIRED = {
    "staircase": {
        "staircase",
        "handrail",
        "landing",
        "window",
        "wall_lamp",
        "front_door",
        "potted_plant",
        "rug",
        "floor",
        "walls",
        "ceiling",
    },
    "living_room": {
        "sofa",
        "armchair",
        "coffee_table",
        "floor_lamp",
        "bookshelf",
        "window",
        "tv",
        "rug",
        "potted_plant",
        "painting",
        "floor",
        "walls",
        "ceiling",
    },
    "courtyard": {
        "fountain",
        "bench_1",
        "bench_2",
        "tree_1",
        "tree_2",
        "tree_3",
        "lamp_post_1",
        "lamp_post_2",
        "archway",
        "low_wall",
        "paving",
    },
    "gallery": {
        "sculpture_1",
        "sculpture_2",
        "sculpture_3",
        "plinth_1",
        "plinth_2",
        "plinth_3",
        "painting_1",
        "painting_2",
        "painting_3",
        "painting_4",
        "doorway",
        "bench",
        "skylight",
        "floor",
        "walls",
        "ceiling",
    },
}
INTERIOR = {"staircase": True, "living_room": True, "courtyard": False, "gallery": True}
REQUIRED_LAMPS = {
    "staircase": {"wall_lamp"},
    "living_room": {"floor_lamp"},
    "courtyard": {"lamp_post_1", "lamp_post_2"},
}
# What a ray from outside a closed room may meet first: its shell and what fills its openings.
ENVELOPE = {"floor", "walls", "ceiling", "window", "door", "skylight"}
MAX_TRIANGLES = 5000
SCENES = sorted(REQUIRED)


def fresh_build(name: str) -> Scene:
    """Build a library scene from its file, bypassing the library's cache."""
    path = content_dir("scenes") / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"test_scene_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build()


def fibonacci_sphere(n: int) -> np.ndarray:
    i = np.arange(n) + 0.5
    z = 1 - 2 * i / n
    a = np.pi * (1 + 5**0.5) * i
    r = np.sqrt(1 - z**2)
    return np.column_stack([r * np.cos(a), r * np.sin(a), z])


def room_centre(scene: Scene) -> np.ndarray:
    lo, hi = scene.get("walls").bounds
    return (lo + hi) / 2


@pytest.fixture(scope="module", params=SCENES)
def scene(request) -> Scene:
    return library_scene(request.param)


def test_library_lists_the_scenes():
    assert set(SCENES) <= set(library_names())


def test_required_objects_and_flags(scene):
    missing = REQUIRED[scene.name] - set(scene.names)
    assert not missing, f"{scene.name} lacks {missing}"
    assert scene.interior is INTERIOR[scene.name]
    assert scene.floor_z == 0.0
    assert scene.description and scene.lighting is None  # lighting comes from presets, not the builder


def test_names_are_unique_snake_case(scene):
    assert len(set(scene.names)) == len(scene.names)
    assert all(NAME_RE.match(n) for n in scene.names)


PARTS = {  # a part of a several-material piece carries its owner's label
    "staircase": {
        "staircase_risers": "staircase",
        "landing_slab": "landing",
        "wall_lamp_bracket": "wall_lamp",
        "potted_plant_pot": "potted_plant",
        "window_frame": "window",
    },
    "living_room": {
        "sofa_legs": "sofa",
        "armchair_legs": "armchair",
        "floor_lamp_stand": "floor_lamp",
        "bookshelf_books_a": "bookshelf",
        "painting_frame": "painting",
        "coffee_table_books": "coffee_table",
    },
    "courtyard": {
        "tree_1_trunk": "tree",
        "tree_3_trunk": "tree",
        "lamp_post_2_pole": "lamp_post",
        "bench_1_frame": "bench",
        "fountain_water": "fountain",
        "paving_joints": "paving",
    },
    "gallery": {"painting_4_frame": "painting", "skylight_frame": "skylight", "bench_frame": "bench"},
}


def test_numbered_instances_and_parts_share_labels(scene):
    numbered = {}
    for obj in scene.objects:
        m = re.match(r"^(.*?)_\d+$", obj.name)
        if m:
            assert obj.label == m.group(1), obj.name
            numbered.setdefault(m.group(1), set()).add(obj.label)
    assert all(len(labels) == 1 for labels in numbered.values())
    for part, label in PARTS[scene.name].items():
        assert scene.get(part).label == label, part


def test_builds_are_deterministic():
    for name in SCENES:
        a, b = fresh_build(name), fresh_build(name)
        assert a.names == b.names
        for oa, ob in zip(a.objects, b.objects, strict=True):
            assert np.array_equal(oa.mesh.vertices, ob.mesh.vertices), oa.name
            assert np.array_equal(oa.mesh.faces, ob.mesh.faces), oa.name
            assert oa.material == ob.material
        assert a.lamps == b.lamps


def test_meshes_are_small_closed_and_outward(scene):
    for obj in scene.objects:
        mesh = obj.mesh
        assert isinstance(mesh, trimesh.Trimesh)
        assert 0 < len(mesh.faces) <= MAX_TRIANGLES, f"{obj.name}: {len(mesh.faces)} triangles"
        assert mesh.is_watertight and mesh.is_winding_consistent, obj.name
        # Every separate piece encloses positive volume: its normals point out.
        labels = trimesh.graph.connected_component_labels(mesh.face_adjacency, node_count=len(mesh.faces))
        tri = mesh.triangles
        signed = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])) / 6.0
        volumes = np.bincount(labels, weights=signed)
        assert (volumes > 0).all(), f"{obj.name} has an inside-out piece"


def test_floor_is_at_zero(scene):
    floor = scene.get("paving" if scene.name == "courtyard" else "floor")
    assert abs(floor.bounds[1, 2]) < 1e-9
    lo, hi = scene.bounds
    assert lo[2] < 0 < hi[2]


def test_interiors_are_closed_from_outside():
    """Rays from all around a room toward its centre meet the room's shell first."""
    for name in SCENES:
        scene = library_scene(name)
        if not scene.interior:
            continue
        centre = room_centre(scene)
        radius = 2.0 * np.linalg.norm(np.subtract(*scene.bounds))
        origins = centre + radius * fibonacci_sphere(300)
        dirs = centre - origins
        dist = np.linalg.norm(dirs, axis=1)
        dirs /= dist[:, None]
        hits = scene_rays(scene).all.cast(origins.astype(np.float32), dirs.astype(np.float32))
        assert (hits.ids >= 0).all() and (hits.t < dist).all(), name
        first = {scene.objects[i].label for i in np.unique(hits.ids)}
        assert first <= ENVELOPE, f"{name}: rays from outside first hit {first - ENVELOPE}"


def test_interiors_do_not_leak_from_inside():
    """No ray from inside a room reaches the sky except through glass."""
    for name in SCENES:
        scene = library_scene(name)
        if not scene.interior:
            continue
        dirs = fibonacci_sphere(2000)
        origins = np.broadcast_to(room_centre(scene), dirs.shape)
        hits = scene_rays(scene).all.cast(origins.astype(np.float32), dirs.astype(np.float32))
        assert (hits.ids >= 0).all(), f"{name}: {int((hits.ids < 0).sum())} rays escape the room"


def test_windows_are_glass_and_let_light_in(scene):
    glass = [o for o in scene.objects if o.material.glass]
    if scene.interior:
        assert glass, f"{scene.name} has no glass to let the sun in"
    for obj in scene.objects:
        if obj.name in {"window", "skylight"}:
            assert obj.material.glass, obj.name
    # Glass never casts shadows: the shadow engine leaves it out.
    rays = scene_rays(scene)
    for obj in glass:
        c = obj.centroid
        hit = rays.shadow.cast(np.array([c + (0, 0, 5)], np.float32), np.array([[0, 0, -1]], np.float32))
        assert hit.ids[0] != scene.index(obj.name)


def test_lamps_glow_and_can_shine(scene):
    assert scene.lamps, f"{scene.name} has no lamps for dusk and night"
    assert REQUIRED_LAMPS.get(scene.name, set()) <= scene.lamp_objects
    rays = scene_rays(scene)
    lo, hi = scene.bounds
    dirs = fibonacci_sphere(400).astype(np.float32)
    for lamp in scene.lamps:
        obj = scene.get(lamp.object)
        assert obj.material.is_emissive, lamp.object
        pos = np.asarray(lamp.position)
        assert (lo <= pos).all() and (pos <= hi).all()
        assert np.linalg.norm(pos - obj.centroid) < 0.5, f"{lamp.object}: the bulb is far from its lamp"
        # Light leaves the bulb: most rays get past the lamp's own fitting.
        hits = rays.all.cast(np.broadcast_to(pos.astype(np.float32), dirs.shape), dirs)
        own = scene.index(lamp.object)
        free = (hits.t > 0.3) | (hits.ids == own)
        assert free.mean() > 0.4, f"{lamp.object}: only {free.mean():.0%} of the light gets out"


def test_staircase_rises_to_the_landing():
    scene = library_scene("staircase")
    treads = scene.get("staircase").mesh.split(only_watertight=False)
    assert 14 <= len(treads) + 1 <= 16  # risers: the treads and the step up onto the landing
    tops = sorted(t.bounds[1, 2] for t in treads)
    rises = np.diff([0.0, *tops, scene.get("landing").bounds[1, 2]])
    assert np.allclose(rises, rises[0], atol=1e-6) and 0.15 <= rises[0] <= 0.2
    assert 2.6 <= scene.get("landing").bounds[1, 2] <= 3.2
    assert scene.get("handrail").bounds[1, 2] > scene.get("landing").bounds[1, 2] + 0.8


def test_room_proportions():
    for name in ("living_room", "gallery"):
        scene = library_scene(name)
        floor_hi = scene.get("floor").bounds[1, 2]
        ceiling_lo = scene.get("ceiling").bounds[0, 2]
        assert 2.6 <= ceiling_lo - floor_hi <= 3.3, name
    sofa = library_scene("living_room").get("sofa").bounds
    length, depth, height = np.sort(sofa[1, :2] - sofa[0, :2])[::-1].tolist() + [sofa[1, 2]]
    assert 1.6 < length < 2.6 and 0.7 < depth < 1.1 and 0.7 < height < 1.0


VIEW_SUBJECTS = {
    "staircase": {"staircase", "handrail", "landing", "window", "rug"},
    "living_room": {"sofa", "armchair", "coffee_table", "floor_lamp", "window", "painting", "rug"},
    "courtyard": {"fountain", "archway", "tree_1", "tree_2", "tree_3", "bench_1", "bench_2", "lamp_post_1"},
    "gallery": {"sculpture_1", "sculpture_2", "sculpture_3", "painting_1", "doorway", "skylight"},
}


def test_default_views_show_the_subjects(scene):
    cam = Camera.from_dict({**scene.default_view, "width": 240})
    if scene.interior:
        lo, hi = scene.get("walls").bounds
        assert (lo < cam.position).all() and (np.asarray(cam.position) < hi).all()
    dirs = cam.ray_directions().reshape(-1, 3).astype(np.float32)
    hits = scene_rays(scene).all.cast(np.broadcast_to(np.float32(cam.position), dirs.shape), dirs)
    ids, counts = np.unique(hits.ids[hits.ids >= 0], return_counts=True)
    seen = {scene.objects[i].name for i, c in zip(ids, counts, strict=True) if c >= 10}
    assert VIEW_SUBJECTS[scene.name] <= seen, f"{scene.name}: not in view {VIEW_SUBJECTS[scene.name] - seen}"
