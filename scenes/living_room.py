"""A living room: teal sofa under a painting, cognac armchair by a west picture window, TV and bookshelf.

Plan (metres): interior x 0..6 (west..east), y 0..5 (south..north), 2.8 high. The sofa's back is to
the south wall and it faces the TV on the north wall across an oak coffee table on a cream rug.
The picture window in the west wall takes the low evening sun deep into the room. Furniture is
modelled facing +Y at the origin and turned into place.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from agentvision.scene.build import Builder, material
from agentvision.scene.model import Scene
from agentvision.scene.props import framed_canvas, potted_plant, rug, shade, upholstered
from agentvision.scene.rooms import Opening, RoomPlan
from agentvision.scene.shapes import box_between, cylinder, frustum, placed, rotated, rounded_box, sphere

DESCRIPTION = (
    "A warm living room: a teal three-seat sofa under an abstract painting faces a TV on a walnut console; "
    "an oak coffee table on a cream rug, a cognac armchair and a fig tree by the west picture window, "
    "a floor lamp, and a bookshelf of books on the east wall."
)


def build() -> Scene:
    b = Builder("living_room")
    room = RoomPlan(0.0, 0.0, 6.0, 5.0, height=2.8)
    oak = material("#a7764a", 0.5, name="oak", texture="wood", tile=0.8)
    walnut = material("#5a3b28", 0.45, name="walnut", texture="wood", tile=0.8)
    white = material("#efebe3", 0.6, name="white paint")
    brass = material("#b39058", 0.35, name="brass")

    window = Opening("west", 2.6, 2.4, 0.45, 2.35)
    door = Opening("north", 5.3, 0.9, 0.0, 2.1)
    b.room(
        room,
        floor=material("#94694a", 0.55, name="oak floor", texture="planks", tile=1.6),
        walls=material("#e2d5c1", 0.9, name="plaster", texture="plaster", tile=2.0),
        ceiling=material("#f3efe8", 0.95, name="ceiling", texture="plaster", tile=2.0),
        openings=[window, door],
        skirting_material=white,
    )
    b.window("window", room, window, frame=white, columns=3, rows=1)
    b.door("door", room, door, leaf=white, frame=white)

    # Sofa against the south wall, facing north.
    sofa = upholstered(2.2, 0.95, seats=3)
    at, yaw = (3.0, 0.1 + 0.95 / 2), 0.0
    b.add("sofa", placed(sofa["fabric"], at, yaw), material("#4f6d68", 0.9, name="teal velvet"))
    b.add_part("sofa", "legs", placed(sofa["legs"], at, yaw), walnut)
    b.add_part("sofa", "pillows", placed(sofa["pillows"], at, yaw), material("#c4913f", 0.9, name="ochre linen"))

    chair = upholstered(0.9, 0.9, seats=1, arm=0.16, pillows=False)
    at, yaw = (1.25, 1.95), -78.0
    b.add("armchair", placed(chair["fabric"], at, yaw), material("#8a5233", 0.55, name="cognac leather"))
    b.add_part("armchair", "legs", placed(chair["legs"], at, yaw), walnut)

    table = _coffee_table(1.2, 0.65, 0.42)
    at = (3.0, 2.25)
    b.add("coffee_table", placed(table["wood"], at), oak)
    b.add_part("coffee_table", "books", placed(table["books"], at), material("#3f5872", 0.8, name="book cloth"))
    b.add_part("coffee_table", "vase", placed(table["vase"], at), material("#d9d2c4", 0.3, name="glazed ceramic"))

    b.add("rug", rug(3.2, 2.3, (3.0, 2.2)), material("#d6c9b0", 0.95, name="wool rug"))

    # Floor lamp beside the sofa's west arm: linen shade over a brass stem.
    lx, ly = 1.45, 0.45
    b.add(
        "floor_lamp", shade(0.23, 0.17, 0.32, (lx, ly, 1.3)), material("#efe2c6", 0.9, emissive="#ffcf8f", strength=2.0)
    )
    stand = [
        cylinder(0.16, 0.03, (lx, ly, 0), 24),
        cylinder(0.012, 1.33, (lx, ly, 0.03), 10),
        cylinder(0.022, 0.05, (lx, ly, 1.33), 12),
    ]
    b.add_part("floor_lamp", "stand", stand, brass)
    b.lamp("floor_lamp", (lx, ly, 1.46), intensity=1.4)

    # Pendant over the coffee table.
    b.add(
        "ceiling_light",
        shade(0.2, 0.06, 0.2, (3.0, 2.25, 2.1), wall=0.008),
        material("#e9e4da", 0.6, emissive="#ffd49a", strength=2.0),
    )
    b.add_part(
        "ceiling_light",
        "cord",
        [cylinder(0.005, 0.52, (3.0, 2.25, 2.28), 8), cylinder(0.06, 0.02, (3.0, 2.25, 2.78), 16)],
        brass,
    )
    b.lamp("ceiling_light", (3.0, 2.25, 2.22), intensity=1.8)

    # TV on a walnut console against the north wall.
    b.add("media_console", box_between((2.1, 4.55, 0.12), (3.9, 4.98, 0.55)), walnut)
    b.add_part(
        "media_console", "legs", [cylinder(0.02, 0.12, (x, y, 0), 8) for x in (2.2, 3.8) for y in (4.62, 4.9)], brass
    )
    b.add(
        "tv",
        [box_between((2.28, 4.93, 0.9), (3.72, 4.98, 1.72)), box_between((2.9, 4.96, 0.85), (3.1, 4.99, 0.9))],
        material("#1b1b1d", 0.25, name="black glass"),
    )

    # Bookshelf on the east wall.
    shelf = _bookshelf(1.8, 0.35, 2.1, shelves=5, seed=11)
    at, yaw = (6.0 - 0.35 / 2, 2.5), room.wall_yaw("east")
    b.add("bookshelf", placed(shelf["wood"], at, yaw), white)
    for key, color in (("books_a", "#7b3b32"), ("books_b", "#3e5a6e"), ("books_c", "#cdbf9f"), ("books_d", "#4d6a4a")):
        b.add_part("bookshelf", key, placed(shelf[key], at, yaw), material(color, 0.85, name="book cloth"))

    foliage, pot = potted_plant(height=1.55, pot_radius=0.22, leaves=20, seed=5)
    b.add("potted_plant", placed(foliage, (0.45, 4.5)), material("#4a7238", 0.7, name="leaves"))
    b.add_part("potted_plant", "pot", placed(pot, (0.45, 4.5)), material("#e7e1d6", 0.5, name="white ceramic"))

    # An abstract painting above the sofa: linen ground, an ochre sun over blue and rust bands.
    canvas, frame = framed_canvas(1.3, 0.85, frame=0.04)
    at, yaw = (3.0, 0.0, 1.62), room.wall_yaw("south")
    b.add("painting", placed(canvas, at, yaw), material("#e4d8bf", 0.9, name="canvas"))
    b.add_part("painting", "frame", placed(frame, at, yaw), material("#2c2622", 0.5, name="black frame"))
    disc = rotated(cylinder(0.17, 0.008, sections=32), -90, (1, 0, 0))  # a disc facing out of the wall
    motifs = {
        "blue": ("#3d5a78", [box_between((-0.6, 0.024, -0.4), (0.6, 0.03, -0.12))]),
        "rust": ("#a4553a", [box_between((-0.6, 0.024, -0.12), (0.6, 0.03, -0.03))]),
        "ochre": ("#cf9a3e", [disc.apply_translation((0.22, 0.024, 0.15))]),
    }
    for key, (color, parts) in motifs.items():
        b.add_part("painting", key, placed(parts, at, yaw), material(color, 0.9, name=f"{key} paint"))
    view = {"position": [5.6, 4.6, 1.6], "look_at": [2.0, 1.0, 0.8], "focal_mm": 20}
    return b.scene(interior=True, description=DESCRIPTION, view=view)


def _coffee_table(length: float, width: float, height: float) -> dict[str, list]:
    top_t = 0.04
    wood = [rounded_box((length, width, top_t), 0.012, (0, 0, height - top_t / 2))]
    wood.append(box_between((-length / 2 + 0.08, -width / 2 + 0.08, 0.12), (length / 2 - 0.08, width / 2 - 0.08, 0.14)))
    for sx in (-1, 1):
        for sy in (-1, 1):
            wood.append(
                frustum(0.022, 0.03, height - top_t, (sx * (length / 2 - 0.08), sy * (width / 2 - 0.08), 0), 12)
            )
    books = [
        box_between((-0.42, -0.14, height), (-0.12, 0.08, height + 0.035)),
        rotated(box_between((-0.4, -0.12, height + 0.035), (-0.14, 0.06, height + 0.06)), 8, about=(-0.27, 0, 0)),
    ]
    vase = [frustum(0.07, 0.045, 0.2, (0.3, 0.05, height), 20), sphere(0.075, (0.3, 0.05, height + 0.07), 2)]
    return {"wood": wood, "books": books, "vase": vase}


def _bookshelf(width: float, depth: float, height: float, shelves: int, seed: int) -> dict[str, list]:
    """A shelf unit facing +Y (back at -Y) filled with books in four colour groups."""
    t = 0.025
    hw, hd = width / 2, depth / 2
    wood = [
        box_between((-hw, -hd, 0), (-hw + t, hd, height)),
        box_between((hw - t, -hd, 0), (hw, hd, height)),
        box_between((-hw + t, -hd, 0), (hw - t, -hd + 0.012, height)),
        box_between((-hw + t, -hd, 0), (hw - t, hd, 0.08)),
    ]
    levels = np.linspace(0.08, height - t, shelves + 1)
    for z in levels[1:]:
        wood.append(box_between((-hw + t, -hd + 0.012, z - t), (hw - t, hd, z)))
    rng = np.random.default_rng(seed)
    groups: dict[str, list] = {k: [] for k in ("books_a", "books_b", "books_c", "books_d")}
    keys = list(groups)
    for lo, hi in pairwise(levels):
        gap = hi - t - lo
        x = -hw + t + 0.01
        while x < hw - t - 0.05:
            w = rng.uniform(0.022, 0.045)
            if rng.random() < 0.08:  # leave a gap now and then
                x += rng.uniform(0.06, 0.15)
                continue
            h = gap * rng.uniform(0.62, 0.88)
            d = depth * rng.uniform(0.7, 0.85)
            if x + w > hw - t - 0.01:
                break
            groups[keys[int(rng.integers(len(keys)))]].append(
                box_between((x, -hd + 0.015, lo), (x + w, -hd + 0.015 + d, lo + h))
            )
            x += w + 0.002
    return {"wood": wood, **groups}
