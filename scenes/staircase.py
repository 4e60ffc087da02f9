"""A double-height stair hall: an oak staircase with white risers climbs the north wall to a landing.

Plan (metres): the hall's interior is x 0..6.6 (west..east), y 0..4.6 (south..north), 5.6 high.
Sixteen 175 mm risers and fifteen 270 mm treads rise westward from x 5.45 to a landing that runs
along the west wall at z 2.8. A tall window above the landing faces west (the evening sun rakes
down the flight); the front door and a side window are in the south wall.
"""

from __future__ import annotations

import numpy as np

from agentvision.scene.build import Builder, material
from agentvision.scene.model import Scene
from agentvision.scene.polygons import extrude_profile
from agentvision.scene.props import potted_plant, rug, shade
from agentvision.scene.rooms import Opening, RoomPlan
from agentvision.scene.shapes import box_between, cylinder, lathe, placed, translated, tube

DESCRIPTION = (
    "A double-height stair hall: an oak staircase with white risers and a walnut handrail climbs the north "
    "wall to a landing lit by a tall west window; front door, wall lamp, potted plant and a rust rug below."
)

RISE, GOING, STEPS = 0.175, 0.27, 16  # 16 risers, 15 treads
FOOT_X = 5.45  # the first riser
TOP_X = FOOT_X - (STEPS - 1) * GOING  # 1.4: the landing's edge
LANDING_Z = RISE * STEPS  # 2.8
STAIR_Y0, STAIR_Y1 = 3.5, 4.6
RAIL_Y = STAIR_Y0 + 0.06
TREAD_T = 0.04


def nosing_z(x: np.ndarray | float) -> np.ndarray | float:
    """Height of the line through the tread nosings at x (the pitch line)."""
    return RISE + (FOOT_X - np.asarray(x)) * RISE / GOING


def build() -> Scene:
    b = Builder("staircase")
    room = RoomPlan(0.0, 0.0, 6.6, 4.6, height=5.6)
    oak = material("#a8733f", 0.45, name="oak", texture="wood", tile=0.8)
    paint = material("#eeeae3", 0.7, name="white paint")
    walnut = material("#4b3324", 0.4, name="walnut", texture="wood", tile=0.8)

    window = Opening("west", 2.3, 1.5, LANDING_Z + 0.45, LANDING_Z + 2.45)
    side_window = Opening("south", 2.5, 1.2, 0.9, 2.2)
    front_door = Opening("south", 4.6, 1.0, 0.0, 2.2)
    upper_door = Opening("south", 0.7, 0.85, LANDING_Z, LANDING_Z + 2.05)
    b.room(
        room,
        floor=material("#a08d78", 0.6, name="stone", texture="masonry", tile=1.2),
        walls=material("#ddcdb5", 0.9, name="plaster", texture="plaster", tile=2.0),
        ceiling=material("#f2eee8", 0.95, name="ceiling", texture="plaster", tile=2.0),
        openings=[window, side_window, front_door, upper_door],
        skirting_material=paint,
    )

    # The flight: oak treads with a small nosing on a white stepped mass with a sloping soffit.
    treads, profile = [], [(FOOT_X, 0.0)]
    for i in range(1, STEPS):
        x_hi, x_lo, z = FOOT_X - (i - 1) * GOING, FOOT_X - i * GOING, i * RISE
        treads.append(box_between((x_lo, STAIR_Y0, z - TREAD_T), (x_hi + 0.03, STAIR_Y1, z)))
        profile += [(x_hi, z - TREAD_T), (x_lo, z - TREAD_T)]
    soffit_top = LANDING_Z - 0.5
    profile += [(TOP_X, soffit_top), (TOP_X + soffit_top * GOING / RISE, 0.0)]
    mass = translated(extrude_profile(profile, STAIR_Y1 - STAIR_Y0), (0, STAIR_Y0, 0))
    b.add("staircase", treads, oak)
    b.add_part("staircase", "risers", mass, paint)

    b.add("landing", box_between((0, 0, LANDING_Z - 0.04), (TOP_X + 0.03, room.y1, LANDING_Z)), oak)
    b.add_part("landing", "slab", box_between((0, 0, LANDING_Z - 0.3), (TOP_X, room.y1, LANDING_Z - 0.04)), paint)

    b.add("handrail", _handrail(), walnut)

    b.window("window", room, window, frame=paint, columns=2, rows=3)
    b.window("side_window", room, side_window, frame=paint, label="window", columns=2, rows=2)
    b.door("front_door", room, front_door, leaf=material("#2f4a3d", 0.5, name="green door"), frame=paint, label="door")
    b.door("upper_door", room, upper_door, leaf=paint, frame=paint, label="door")

    # A sconce on the north wall above mid-flight: an open linen drum on a brass arm.
    x, z = 3.4, 3.3
    y = room.y1 - 0.16
    b.add(
        "wall_lamp",
        shade(0.09, 0.09, 0.24, (x, y, z - 0.12)),
        material("#f3e4c8", 0.9, emissive="#ffd49a", strength=3.0),
    )
    arm = [
        box_between((x - 0.02, y + 0.03, z - 0.02), (x + 0.02, room.y1, z + 0.02)),
        box_between((x - 0.05, room.y1 - 0.015, z - 0.08), (x + 0.05, room.y1, z + 0.08)),
    ]
    b.add_part("wall_lamp", "bracket", arm, material("#b08d57", 0.35, name="brass"))
    b.lamp("wall_lamp", (x, y, z), intensity=0.7)

    # A pendant in the stairwell.
    px, py, pz = 3.6, 2.0, 3.9
    b.add(
        "pendant_light",
        shade(0.26, 0.1, 0.26, (px, py, pz), wall=0.01),
        material("#f1e6d2", 0.8, emissive="#ffd49a", strength=2.5),
    )
    b.add_part(
        "pendant_light",
        "cord",
        [
            cylinder(0.006, room.height - pz - 0.26, (px, py, pz + 0.26), 8),
            lathe([(0, 0), (0.05, 0), (0.02, 0.05), (0, 0.05)], (px, py, pz + 0.2), 16),
        ],
        material("#222222", 0.5),
    )
    b.lamp("pendant_light", (px, py, pz + 0.12), intensity=3.0)

    foliage, pot = potted_plant(height=1.25, pot_radius=0.2, seed=3)
    b.add("potted_plant", placed(foliage, (6.15, 4.15, 0)), material("#4c7438", 0.7, name="leaves"))
    b.add_part("potted_plant", "pot", placed(pot, (6.15, 4.15, 0)), material("#b4683f", 0.8, name="terracotta"))

    b.add("rug", rug(3.0, 1.4, (3.6, 1.85)), material("#8e4f3a", 0.95, name="wool rug"))
    view = {"position": [6.2, 0.5, 1.6], "look_at": [2.5, 4.0, 2.0], "focal_mm": 20}
    return b.scene(interior=True, description=DESCRIPTION, view=view)


def _handrail():
    """Walnut rail, newel posts and square balusters up the open side and along the landing edge."""
    parts = []
    rail_h = 0.9
    post = 0.09
    # Newels: at the foot, at the top of the flight, at the landing's far end. The upper two run
    # down past the landing slab and end in a short drop below its underside.
    drop = LANDING_Z - 0.36
    bottom_x = FOOT_X - 0.12
    parts.append(
        box_between(
            (bottom_x - post / 2, RAIL_Y - post / 2, 0), (bottom_x + post / 2, RAIL_Y + post / 2, rail_h + 0.35)
        )
    )
    top_x = TOP_X - 0.05
    parts.append(
        box_between(
            (top_x - post / 2, RAIL_Y - post / 2, drop),
            (top_x + post / 2, RAIL_Y + post / 2, LANDING_Z + 1.05),
        )
    )
    parts.append(box_between((top_x - post / 2, 0.02, drop), (top_x + post / 2, 0.02 + post, LANDING_Z + 1.05)))
    # The sloping rail from the foot newel to the top newel, and the landing rail.
    xs = np.linspace(bottom_x, top_x, 24)
    parts.append(tube(np.column_stack([xs, np.full_like(xs, RAIL_Y), nosing_z(xs) + rail_h]), 0.032, sections=10))
    ys = np.linspace(RAIL_Y, 0.06, 12)
    parts.append(
        tube(np.column_stack([np.full_like(ys, top_x), ys, np.full_like(ys, LANDING_Z + 0.95)]), 0.032, sections=10)
    )
    # Two balusters per tread, one every 12 cm along the landing.
    s = 0.014
    for i in range(1, STEPS):
        x_lo, z = FOOT_X - i * GOING, i * RISE
        for dx in (0.07, 0.2):
            bx = x_lo + dx
            parts.append(box_between((bx - s, RAIL_Y - s, z), (bx + s, RAIL_Y + s, float(nosing_z(bx)) + rail_h)))
    for by in np.arange(0.2, RAIL_Y - 0.1, 0.12):
        parts.append(box_between((top_x - s, by - s, LANDING_Z), (top_x + s, by + s, LANDING_Z + 0.95)))
    return parts
