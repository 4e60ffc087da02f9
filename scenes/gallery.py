"""An art gallery: three sculptures on white plinths under a long skylight, four paintings, a bench,
and a doorway into a second room whose far wall holds the fourth painting.

Plan (metres): the main room is x 0..7, y 0..6, 3.2 high, with a 4 x 1.5 m skylight in a light well
over its middle. The doorway (1.6 x 2.5) in its east wall opens into the back room, x 7.2..11.4,
y 0.8..5.2. Spotlights on the ceilings light the work at dusk and night.
"""

from __future__ import annotations

import numpy as np

from agentvision.scene.build import GLASS, Builder, material
from agentvision.scene.model import Scene
from agentvision.scene.props import framed_canvas
from agentvision.scene.rooms import PROUD, Opening, RoomPlan, room_shell, skirting
from agentvision.scene.shapes import (
    box_between,
    cylinder,
    ellipsoid,
    lathe,
    placed,
    rotated,
    rounded_box,
    scaled,
    sphere,
    tube,
)

DESCRIPTION = (
    "A white-walled gallery with a concrete floor: a bronze torus knot, a marble figure and a stack of granite "
    "spheres on plinths under a long skylight, four paintings, a leather bench, and a doorway into a second "
    "room where a tall painting hangs on the far wall."
)

HEIGHT = 3.2
SKYLIGHT = (1.5, 2.25, 5.5, 3.75)  # x0, y0, x1, y1 of the ceiling opening
WELL = 0.6  # light-well height above the ceiling


def build() -> Scene:
    b = Builder("gallery")
    main = RoomPlan(0.0, 0.0, 7.0, 6.0, height=HEIGHT)
    back = RoomPlan(7.2, 0.8, 11.4, 5.2, height=HEIGHT)
    doorway = Opening("east", 3.0, 1.6, 0.0, 2.5)
    back_doorway = Opening("west", doorway.center, doorway.width, doorway.bottom, doorway.top)  # the same hole
    a = room_shell(main, [doorway], skylights=[SKYLIGHT])
    c = room_shell(back, walls=("south", "north", "east"))  # its west side is the main room's east wall
    white = material("#e8e3d9", 0.9, name="gallery white", texture="plaster", tile=2.5)
    b.add(
        "floor", a["floor"] + c["floor"], material("#8e8a84", 0.45, name="polished concrete", texture="stone", tile=2.5)
    )
    b.add("walls", a["walls"] + c["walls"], white)
    b.add(
        "ceiling", a["ceiling"] + c["ceiling"], material("#efede8", 0.95, name="ceiling", texture="plaster", tile=2.5)
    )
    b.add_part(
        "walls",
        "skirting",
        skirting(main, [doorway], height=0.08) + skirting(back, [back_doorway], height=0.08),
        material("#5b5853", 0.6),
    )

    # The doorway: oak linings on the reveals of the opening in the 0.2 m wall.
    x0, x1 = main.x1, main.x1 + main.wall
    y0, y1, top = doorway.center - doorway.width / 2, doorway.center + doorway.width / 2, doorway.top
    lining = [
        box_between((x0 - 0.01, y0, 0), (x1 + 0.01, y0 + 0.03, top)),
        box_between((x0 - 0.01, y1 - 0.03, 0), (x1 + 0.01, y1, top)),
        box_between((x0 - 0.01, y0, top - 0.03), (x1 + 0.01, y1, top)),
    ]
    b.add("doorway", lining, material("#a9825a", 0.5, name="oak", texture="wood", tile=0.8))

    # Skylight: a white light well on the ceiling, a glass pane with glazing bars on top. The well's
    # lining laps PROUD into the ceiling's hole and hangs PROUD below its underside, so that neither
    # its inner faces nor its bottom share a plane with the ceiling slab.
    sx0, sy0, sx1, sy1 = SKYLIGHT
    z0, z1, t = HEIGHT - PROUD, HEIGHT + WELL, 0.1
    ix0, iy0, ix1, iy1 = sx0 + PROUD, sy0 + PROUD, sx1 - PROUD, sy1 - PROUD  # the well's inner faces
    well = [
        box_between((sx0 - t, sy0 - t, z0), (sx1 + t, iy0, z1)),
        box_between((sx0 - t, iy1, z0), (sx1 + t, sy1 + t, z1)),
        box_between((sx0 - t, iy0, z0), (ix0, iy1, z1)),
        box_between((ix1, iy0, z0), (sx1 + t, iy1, z1)),
    ]
    bars = [box_between((x - 0.03, sy0, z1 - 0.08), (x + 0.03, sy1, z1 - 0.02)) for x in np.linspace(sx0, sx1, 5)[1:-1]]
    b.add("skylight", box_between((sx0 - t, sy0 - t, z1), (sx1 + t, sy1 + t, z1 + 0.012)), GLASS)
    b.add_part("skylight", "frame", well + bars, white)

    # Plinths and sculptures.
    plinth = material("#ebe8e2", 0.8, name="plinth white")
    plinths = [((1.9, 2.6), 0.5, 1.0), ((3.6, 3.8), 0.62, 0.5), ((5.3, 2.5), 0.45, 0.85)]
    for i, ((x, y), w, h) in enumerate(plinths, start=1):
        b.add(f"plinth_{i}", box_between((x - w / 2, y - w / 2, 0.0), (x + w / 2, y + w / 2, h)), plinth)
    (x, y), _, h = plinths[0]
    b.add("sculpture_1", _torus_knot((x, y, h + 0.38), 0.3), material("#8c6436", 0.3, name="bronze"))
    (x, y), _, h = plinths[1]
    b.add("sculpture_2", _figure((x, y, h)), material("#e7e1d6", 0.35, name="marble"))
    (x, y), _, h = plinths[2]
    b.add("sculpture_3", _sphere_stack((x, y, h)), material("#736e67", 0.3, name="polished granite"))

    # Paintings: (wall, centre along the wall, centre height, width, height, ground colour, motifs).
    _painting(
        b,
        "painting_1",
        main,
        "north",
        2.1,
        1.65,
        1.6,
        1.05,
        "#9fb8c6",
        [
            ("hills", "#5d7a4a", [("rect", -0.8, -0.525, 0.8, -0.12)]),
            ("sun", "#e0b45a", [("disc", 0.38, 0.2, 0.14)]),
        ],
    )
    _painting(
        b,
        "painting_2",
        main,
        "north",
        5.0,
        1.7,
        1.0,
        1.3,
        "#a8483a",
        [
            ("field", "#5a2330", [("rect", -0.4, -0.55, 0.4, -0.05)]),
            ("band", "#d9a441", [("rect", -0.4, 0.1, 0.4, 0.5)]),
        ],
    )
    _painting(
        b,
        "painting_3",
        main,
        "west",
        3.0,
        1.65,
        2.0,
        1.2,
        "#22344f",
        [
            ("circle", "#e3c060", [("disc", -0.45, 0.05, 0.32)]),
            ("stripe", "#e8e2d4", [("rect", 0.1, -0.6, 0.22, 0.6), ("rect", 0.4, -0.6, 0.46, 0.6)]),
        ],
    )
    _painting(
        b,
        "painting_4",
        back,
        "east",
        3.0,
        1.75,
        1.3,
        1.75,
        "#c0734f",
        [
            ("block", "#2f5a5a", [("rect", -0.45, -0.6, 0.45, 0.35)]),
            ("line", "#efe6d2", [("rect", -0.45, 0.5, 0.45, 0.56)]),
        ],
    )

    # A long leather bench facing the north wall.
    seat = rounded_box((1.8, 0.5, 0.1), 0.03, (3.5, 1.25, 0.42))
    b.add("bench", seat, material("#4b3a30", 0.55, name="dark leather"))
    legs = [box_between((x - 0.025, 1.02, 0), (x + 0.025, 1.48, 0.37)) for x in (2.75, 4.25)]
    legs.append(box_between((2.75, 1.22, 0.3), (4.25, 1.28, 0.34)))
    b.add_part("bench", "frame", legs, material("#2f2f2f", 0.4, name="steel"))

    # Recessed downlights: a glowing disc flush with the ceiling in a dark trim ring. The light sits
    # just below the disc, so it falls on the room and only grazes the ceiling.
    spots = [(1.6, 1.7), (3.6, 5.0), (5.3, 1.6), (1.0, 3.0), (9.6, 3.0)]
    for i, (x, y) in enumerate(spots, start=1):
        name = f"spotlight_{i}"
        glow = material("#fff3dc", 0.5, emissive="#ffe2b0", strength=3.0)
        b.add(name, cylinder(0.07, 0.02, (x, y, HEIGHT - 0.012), 24), glow)
        b.add_part(
            name,
            "trim",
            lathe(
                [(0.07, HEIGHT - 0.008), (0.1, HEIGHT - 0.008), (0.1, HEIGHT + 0.01), (0.07, HEIGHT + 0.01)],
                (x, y, 0),
                24,
            ),
            material("#2b2b2b", 0.4, name="black metal"),
        )
        b.lamp(name, (x, y, HEIGHT - 0.04), color="#ffd8a8", intensity=0.6)
    view = {"position": [0.6, 0.6, 1.6], "look_at": [5.0, 4.0, 1.2], "focal_mm": 20}
    return b.scene(interior=True, description=DESCRIPTION, view=view)


def _painting(
    b: Builder, name: str, room: RoomPlan, wall: str, along: float, z: float, w: float, h: float, ground: str, motifs
) -> None:
    """A framed canvas with flat motifs: ('rect', x0, z0, x1, z1) or ('disc', x, z, r) in canvas coordinates."""
    canvas, frame = framed_canvas(w, h, frame=0.045, depth=0.045)
    at, yaw = room.wall_point(wall, along, z), room.wall_yaw(wall)
    b.add(name, placed(canvas, at, yaw), material(ground, 0.9, name="canvas"))
    b.add_part(name, "frame", placed(frame, at, yaw), material("#2a2724", 0.5, name="black frame"))
    front = 0.045 * 0.6
    for key, color, shapes in motifs:
        parts = []
        for shape in shapes:
            if shape[0] == "rect":
                _, u0, v0, u1, v1 = shape
                parts.append(box_between((u0, front - 0.002, v0), (u1, front + 0.004, v1)))
            else:
                _, u, v, r = shape
                disc = rotated(cylinder(r, 0.006, sections=32), -90, (1, 0, 0))
                parts.append(disc.apply_translation((u, front - 0.002, v)))
        b.add_part(name, key, placed(parts, at, yaw), material(color, 0.9, name=f"{key} paint"))


def _torus_knot(center, size: float, p: int = 2, q: int = 3):
    """A (p, q) torus knot tube about ``size`` metres in radius, standing on its edge."""
    t = np.linspace(0, 2 * np.pi, 160, endpoint=False)
    r = 0.6 + 0.3 * np.cos(q * t)
    pts = np.column_stack([r * np.cos(p * t), r * np.sin(p * t), 0.35 * np.sin(q * t)]) * (size / 0.9)
    knot = tube(pts, 0.045, sections=10, closed=True)
    knot = rotated(knot, 75, (1, 0, 0))
    base = cylinder(0.12, 0.03, (0, 0, -0.38), 24)
    stem = cylinder(0.02, 0.15, (0, 0, -0.36), 8)
    return [p.apply_translation(center) for p in (knot, base, stem)]


def _figure(base):
    """An abstract standing figure 1.3 m tall: one swelling, S-curved form with a tilted head, on a disc."""
    s = np.linspace(0, 1, 28)
    spine = np.column_stack([0.05 * np.sin(2 * np.pi * s), 0.04 * np.sin(np.pi * s), 0.04 + 1.0 * s])
    # Ankles, calves, hips, waist, chest and shoulders, narrowing to the neck.
    radius = np.interp(
        s, [0, 0.12, 0.28, 0.5, 0.62, 0.78, 0.9, 1.0], [0.05, 0.075, 0.065, 0.13, 0.095, 0.125, 0.09, 0.04]
    )
    body = scaled(tube(spine, radius, sections=16), (1.0, 0.72, 1.0))
    head = rotated(ellipsoid((0.075, 0.085, 0.12)), 14, (0, 1, 0)).apply_translation((0.01, 0.01, 1.16))
    parts = [cylinder(0.2, 0.04, (0, 0, 0), 32), body, head]
    return [p.apply_translation(base) for p in parts]


def _sphere_stack(base):
    """Four polished spheres balanced on each other, each a little off the axis below."""
    bx, by, bz = base
    radii = [0.2, 0.15, 0.11, 0.075]
    offsets = [(0, 0), (0.05, -0.03), (-0.03, 0.04), (0.03, 0.01)]
    parts, z = [lathe([(0, 0), (0.1, 0), (0.1, 0.04), (0, 0.04)], (bx, by, bz), 24)], bz + 0.04
    for r, (dx, dy) in zip(radii, offsets, strict=True):
        z += r
        parts.append(sphere(r, (bx + dx, by + dy, z), detail=3 if r >= 0.15 else 2))
        z += r * 0.92  # a slight overlap: the spheres sit into each other
    return parts
