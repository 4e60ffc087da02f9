"""A paved courtyard: an octagonal fountain at the centre, benches, three trees, two lamp posts,
a low stone wall around it, a round-headed archway as the entrance and a villa beyond the north wall.

Plan (metres): the paving is the square -8..8 in x (west..east) and y (south..north), ground at
z=0. The archway stands in the south wall at x=0; the lamp posts flank the path from it to the
fountain. Grass stretches beyond the wall (its top at z=-0.02) so that low views show a horizon;
the villa's body is x -9..9, y 10.5..16.5, under a gable roof whose ridge runs east-west at z 8.6.
"""

from __future__ import annotations

import numpy as np

from agentvision.scene.build import Builder, material
from agentvision.scene.model import Scene
from agentvision.scene.polygons import arch_outline, extrude, extrude_profile
from agentvision.scene.shapes import (
    box_between,
    cylinder,
    frame_matrix,
    frustum,
    lathe,
    lumpy_sphere,
    placed,
    rotated,
    sphere,
    transformed,
    translated,
    tube,
)

DESCRIPTION = (
    "A sandstone courtyard enclosed by a low wall with a round-headed archway: an octagonal two-tier fountain "
    "in the middle, two teak benches facing it, three broad trees on lawns and two black lamp posts along "
    "the path from the arch; a two-storey ochre villa with a terracotta roof stands beyond the north wall."
)

HALF = 8.0  # half the courtyard's side
WALL_T, WALL_H = 0.45, 0.9
ARCH_W = 3.2  # the archway's full width (two piers and the opening)
FOOTING = 0.1  # walls and piers go this far below z=0 (the meadow beyond the paving lies at z=-0.02)


def build() -> Scene:
    b = Builder("courtyard")
    stone = material("#b3a48c", 0.85, name="sandstone paving", texture="stone", tile=1.5)
    b.add("paving", box_between((-HALF, -HALF, -0.25), (HALF, HALF, 0.0)), stone)
    joints = []
    for v in np.arange(-HALF + 1.0, HALF, 1.0):
        joints.append(box_between((v - 0.01, -HALF, 0.0), (v + 0.01, HALF, 0.003)))
        joints.append(box_between((-HALF, v - 0.01, 0.0), (HALF, v + 0.01, 0.003)))
    b.add_part("paving", "joints", joints, material("#8f8170", 0.9, name="mortar"))
    b.add("ground", box_between((-60, -60, -0.6), (60, 60, -0.02)), material("#6a7f3f", 0.95, name="meadow"))

    lawns = [(-5.6, 5.4), (5.4, 5.6), (5.6, -5.2)]
    b.add(
        "lawn",
        [box_between((x - 1.6, y - 1.6, 0.0), (x + 1.6, y + 1.6, 0.05)) for x, y in lawns],
        material("#66853c", 0.95, name="grass"),
    )
    kerbs = []
    for x, y in lawns:
        r = 1.7
        kerbs += [
            box_between((x - r, y - r, 0), (x + r, y - r + 0.1, 0.08)),
            box_between((x - r, y + r - 0.1, 0), (x + r, y + r, 0.08)),
            box_between((x - r, y - r + 0.1, 0), (x - r + 0.1, y + r - 0.1, 0.08)),
            box_between((x + r - 0.1, y - r + 0.1, 0), (x + r, y + r - 0.1, 0.08)),
        ]
    b.add_part("lawn", "kerbs", kerbs, material("#b3a48b", 0.85, name="kerb stone", texture="stone", tile=1.5))

    _wall(b)
    _archway(b)
    _villa(b)
    _fountain(b)
    for i, (x, yaw) in enumerate(((-4.2, -90.0), (4.2, 90.0)), start=1):
        wood, frame = _bench()
        b.add(
            f"bench_{i}", placed(wood, (x, 0.0), yaw), material("#9a6a43", 0.6, name="teak", texture="wood", tile=0.6)
        )
        b.add_part(f"bench_{i}", "frame", placed(frame, (x, 0.0), yaw), material("#2e302d", 0.45, name="cast iron"))
    for i, ((x, y), h, color, seed) in enumerate(
        zip(lawns, (6.4, 5.6, 7.0), ("#52772f", "#63803a", "#4b6d34"), (11, 23, 37), strict=True), start=1
    ):
        crown, trunk = _tree(h, seed)
        b.add(f"tree_{i}", placed(crown, (x, y, 0.05)), material(color, 0.9, name="foliage"))
        b.add_part(f"tree_{i}", "trunk", placed(trunk, (x, y, 0.05)), material("#5e4e3e", 0.9, name="bark"))
    for i, x in enumerate((-1.9, 1.9), start=1):
        lantern, post, bulb = _lamp_post()
        b.add(f"lamp_post_{i}", placed(lantern, (x, -4.6)), material("#f4e6c8", 0.3, emissive="#ffc67a", strength=2.5))
        b.add_part(f"lamp_post_{i}", "pole", placed(post, (x, -4.6)), material("#252724", 0.4, name="black iron"))
        b.lamp(f"lamp_post_{i}", (x, -4.6, bulb), intensity=3.5)
    view = {"position": [-11.0, -12.0, 7.5], "look_at": [0.5, 0.5, 0.5], "focal_mm": 24}
    return b.scene(interior=False, description=DESCRIPTION, floor_z=0.0, view=view)


def _wall(b: Builder) -> None:
    """The low wall on the courtyard's edge, with a gap for the archway, and its coping."""
    t, h, c = WALL_T, WALL_H, 0.07
    gap = ARCH_W / 2
    runs = [
        ((-HALF - t, HALF), (HALF + t, HALF + t)),  # north
        ((-HALF - t, -HALF), (-HALF, HALF)),  # west
        ((HALF, -HALF), (HALF + t, HALF)),  # east
        ((-HALF - t, -HALF - t), (-gap, -HALF)),  # south, west of the arch
        ((gap, -HALF - t), (HALF + t, -HALF)),  # south, east of the arch
    ]
    body = [box_between((x0, y0, -FOOTING), (x1, y1, h)) for (x0, y0), (x1, y1) in runs]
    coping = [box_between((x0 - 0.04, y0 - 0.04, h), (x1 + 0.04, y1 + 0.04, h + c)) for (x0, y0), (x1, y1) in runs]
    b.add("low_wall", body, material("#a8957a", 0.9, name="rubble stone", texture="masonry", tile=1.2))
    b.add_part("low_wall", "coping", coping, material("#c4b79f", 0.8, name="coping stone", texture="stone", tile=1.5))


def _archway(b: Builder) -> None:
    depth = 0.6
    # Like the wall, the piers are founded below the meadow (half the arch's depth is beyond the paving).
    outline = arch_outline(ARCH_W, 3.5 + FOOTING, opening=2.0, spring=2.3 + FOOTING, segments=20)
    arch = translated(extrude_profile(outline, depth), (0, -HALF - WALL_T / 2 - depth / 2, -FOOTING))
    y0, y1 = -HALF - WALL_T / 2 - depth / 2 - 0.06, -HALF - WALL_T / 2 + depth / 2 + 0.06
    cornice = box_between((-ARCH_W / 2 - 0.1, y0, 3.5), (ARCH_W / 2 + 0.1, y1, 3.68))
    plinths = [
        box_between(
            (sx * ARCH_W / 2 - 0.65 * (sx > 0) - 0.05 * (sx < 0), y0, -FOOTING),
            (sx * ARCH_W / 2 + 0.05 * (sx > 0) + 0.65 * (sx < 0), y1, 0.35),
        )
        for sx in (-1, 1)
    ]
    b.add(
        "archway",
        [arch, cornice, *plinths],
        material("#bb9f80", 0.85, name="warm sandstone", texture="masonry", tile=1.6),
    )


def _fountain(b: Builder) -> None:
    """An octagonal basin with a vase-shaped pedestal, an upper bowl and a spout."""
    rim = lathe([(1.95, 0.0), (2.3, 0.0), (2.3, 0.42), (2.4, 0.46), (2.4, 0.55), (1.95, 0.55)], sections=8)
    floor = cylinder(1.96, 0.1, sections=8)
    pedestal = lathe(
        [(0, 0.1), (0.38, 0.1), (0.38, 0.22), (0.24, 0.32), (0.15, 0.65), (0.17, 0.9), (0.26, 0.98), (0, 0.98)],
        sections=24,
    )
    bowl = lathe([(0, 0.96), (0.22, 0.96), (0.7, 1.14), (0.86, 1.26), (0.8, 1.28), (0.2, 1.12), (0, 1.12)], sections=24)
    spout = [
        lathe([(0, 1.1), (0.09, 1.1), (0.06, 1.3), (0.08, 1.42), (0.1, 1.5), (0, 1.52)], sections=16),
        sphere(0.06, (0, 0, 1.55), 1),
    ]
    b.add(
        "fountain",
        [rim, floor, pedestal, bowl, *spout],
        material("#bdb3a2", 0.7, name="limestone", texture="stone", tile=1.0),
    )
    water = [
        cylinder(1.97, 0.32, (0, 0, 0.08), sections=8),
        cylinder(0.77, 0.07, (0, 0, 1.12), sections=24),
        frustum(0.035, 0.012, 0.45, (0, 0, 1.6), 10),
    ]
    # Four thin streams arching from the spout down into the upper bowl.
    for k in range(4):
        a = np.radians(45 + 90 * k)
        s = np.linspace(0, 1, 10)
        pts = np.column_stack([0.55 * s * np.cos(a), 0.55 * s * np.sin(a), 1.5 + 0.25 * s - 0.55 * s**2])
        water.append(tube(pts, 0.012, sections=6))
    b.add_part("fountain", "water", water, material("#5b8a90", 0.08, name="water"))


def _bench() -> tuple[list, list]:
    """(slats, frame) of a park bench facing +Y, 1.8 m long."""
    length, seat_z = 1.8, 0.45
    slats = []
    for k in range(5):
        y = -0.22 + k * 0.1
        slats.append(box_between((-length / 2, y, seat_z - 0.035), (length / 2, y + 0.08, seat_z)))
    for k in range(3):
        z = seat_z + 0.12 + k * 0.13
        y = -0.3 - 0.04 * k
        slats.append(box_between((-length / 2, y - 0.03, z), (length / 2, y, z + 0.09)))
    frame = []
    for x in (-length / 2 + 0.12, length / 2 - 0.12):
        frame += [
            box_between((x - 0.03, 0.16, 0), (x + 0.03, 0.22, seat_z - 0.035)),  # front leg
            box_between((x - 0.03, -0.3, 0), (x + 0.03, -0.24, seat_z - 0.035)),  # back leg
            box_between((x - 0.03, -0.3, seat_z - 0.08), (x + 0.03, 0.24, seat_z - 0.035)),  # seat rail
            box_between((x - 0.03, -0.42, seat_z), (x + 0.03, -0.325, seat_z + 0.48)),  # back upright, slats let in
            box_between((x - 0.03, -0.36, seat_z + 0.16), (x + 0.03, 0.22, seat_z + 0.22)),  # arm, above the top slat
        ]
    return slats, frame


def _tree(height: float, seed: int) -> tuple[list, list]:
    """(crown, trunk) of a broadleaf tree standing on the origin: a tapering trunk with three limbs
    and a crown of overlapping lumpy spheres."""
    rng = np.random.default_rng(seed)
    fork = height * 0.42
    lean = rng.uniform(-0.15, 0.15, size=2)
    s = np.linspace(0, 1, 8)
    stem = np.column_stack([lean[0] * s**2, lean[1] * s**2, fork * s])
    trunk = [tube(stem, np.linspace(0.2, 0.13, 8), sections=12), frustum(0.3, 0.2, 0.25, (0, 0, 0), 12)]
    crown = []
    top = stem[-1]
    for k in range(3):
        a = 2 * np.pi * k / 3 + rng.uniform(-0.4, 0.4)
        reach = rng.uniform(0.9, 1.3)
        end = top + np.array([reach * np.cos(a), reach * np.sin(a), height * 0.3])
        pts = np.array([top + (end - top) * t + np.array([0, 0, -0.2 * t * (1 - t)]) for t in np.linspace(0, 1, 6)])
        trunk.append(tube(pts, np.linspace(0.11, 0.05, 6), sections=8))
        crown.append(
            lumpy_sphere(height * rng.uniform(0.2, 0.24), end + (0, 0, 0.3), seed=seed * 10 + k, roughness=0.14)
        )
    centre = top + np.array([0, 0, height * 0.36])
    crown.append(lumpy_sphere(height * 0.27, centre, seed=seed * 10 + 5, roughness=0.14))
    crown.append(lumpy_sphere(height * 0.2, centre + (0, 0, height * 0.22), seed=seed * 10 + 6, roughness=0.16))
    return crown, trunk


def _lamp_post() -> tuple[list, list, float]:
    """(lantern, iron post and cage, bulb height) of a 3.6 m lamp post standing on the origin."""

    def square(profile):  # a four-sided lathe turned so that its faces look along x and y
        return rotated(lathe(profile, sections=4), 45)

    w = 0.13
    post = [
        rotated(frustum(0.24, 0.17, 0.4, sections=8), 22.5),
        lathe([(0, 0.4), (0.14, 0.4), (0.09, 0.55), (0, 0.55)], sections=16),
        cylinder(0.055, 2.35, (0, 0, 0.5), 16),
        square([(0, 2.8), (0.1, 2.8), (0.22, 2.9), (0, 2.9)]),
        square([(0, 3.33), (0.3, 3.33), (0.3, 3.37), (0, 3.56)]),
        sphere(0.04, (0, 0, 3.58), 1),
    ]
    for sx in (-1, 1):
        for sy in (-1, 1):
            post.append(box_between((sx * w - 0.014, sy * w - 0.014, 2.9), (sx * w + 0.014, sy * w + 0.014, 3.33)))
    lantern = [square([(0, 2.9), (0.17, 2.9), (0.17, 3.33), (0, 3.33)])]
    return lantern, post, 3.12


def _villa(b: Builder) -> None:
    """A two-storey stucco villa with a tiled roof and shuttered windows beyond the north wall."""
    x0, x1, y0, y1, eaves, ridge = -9.0, 9.0, 10.5, 16.5, 6.4, 8.6
    body = [box_between((x0, y0, -0.02), (x1, y1, eaves))]
    b.add("villa", body, material("#d4b48a", 0.9, name="ochre stucco", texture="plaster", tile=2.5))
    # The gable is drawn in world (y, z) and extruded along world +x: the frame maps local x to y,
    # local y to z and the extrusion (local z) to x, so the roof lands on the body, eaves overhanging.
    gable = [(y0 - 0.5, eaves - 0.1), (y1 + 0.5, eaves - 0.1), ((y0 + y1) / 2, ridge)]
    roof = transformed(extrude(gable, x1 - x0 + 0.8), frame_matrix((x0 - 0.4, 0, 0), (0, 1, 0), (0, 0, 1)))
    b.add_part("villa", "roof", roof, material("#9a5a40", 0.8, name="terracotta tiles"))
    panes, shutters = [], []
    for z0 in (1.2, 4.1):
        for x in np.linspace(x0 + 2.0, x1 - 2.0, 5):
            if z0 < 2 and abs(x) < 1:
                panes.append(box_between((x - 0.7, y0 - 0.03, 0.0), (x + 0.7, y0 + 0.01, 2.6)))  # the front door
                continue
            panes.append(box_between((x - 0.5, y0 - 0.03, z0), (x + 0.5, y0 + 0.01, z0 + 1.5)))
            for sx in (-1, 1):
                shutters.append(box_between((x + sx * 0.5, y0 - 0.06, z0), (x + sx * 1.0, y0 - 0.01, z0 + 1.5)))
    b.add_part("villa", "windows", panes, material("#2d3236", 0.3, name="dark glass"))
    b.add_part("villa", "shutters", shutters, material("#5b7062", 0.7, name="sage shutters"))
