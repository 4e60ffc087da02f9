"""A parlour furnished with scanned, textured furniture (CC0, from RobotLocomotion/models: Poly Haven
pieces and Toyota Research Institute's room shell), in an arrangement of our own.

Plan (metres): interior x -3..3 (west..east), y -3..3 (south..north), 3.2 high, rosewood floor,
blue walls. The south wall's window, between red curtains, lights a worn wooden table set with a
porcelain tea set, a painted stool beside it, and a green leather armchair (modelled here, with a
procedural leather finish) turned toward the room. A tufted leather sofa stands against the east wall
facing a white painted cabinet on the west wall, south of the door. A blue dresser and a worn
bookshelf line the north wall; four ceiling lights. The assets are the GLBs in ``parlour/`` beside
this file (``scripts/pack_parlour_assets.py`` made them; sources and licences in the README's
Credits). Each piece's own textures, normal and roughness maps are kept.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from agentvision.conventions import hex_to_linear
from agentvision.scene.build import Builder, material
from agentvision.scene.files import load_file
from agentvision.scene.model import Scene
from agentvision.scene.props import upholstered
from agentvision.scene.shapes import merge, placed, rotation

ASSETS = Path(__file__).with_name("parlour")
WALL = 3.0  # the walls' inner faces stand at x, y = +-WALL
GAP = 0.03  # furniture stands this far off a wall

DESCRIPTION = (
    "A parlour with scanned, textured furniture: a tufted leather sofa against the east wall faces a white "
    "painted cabinet; under the south window, between red curtains, a worn wooden table holds a porcelain tea "
    "set, a painted stool beside it and a green leather armchair by the window; a blue dresser and a worn "
    "bookshelf line the north wall; rosewood floor, blue walls, four ceiling lights."
)

# The room shell's parts: file name -> (our name, label)
SHELL = {
    "walls_floor": ("floor", "floor"),
    "walls_wall_paint": ("walls", "walls"),
    "walls_ceiling_paint": ("ceiling", "ceiling"),
    "walls_glass": ("window", "window"),
    "walls_window_frame": ("window_frame", "window"),
    "base_board": ("walls_skirting", "walls"),
    "door": ("door", "door"),
    "door_frame": ("door_frame", "door"),
    "door_knob": ("door_handle", "door"),
}
LIGHTS = ["light0_001", "light1_001", "light2_001", "light3_001"]
# The shell's ceiling and skirting are painted a warm white here (the asset's are pale blue): with them blue too, the
# blue walls read as a colour cast over the whole room ("a cold blue cast", "feels like dusk, not midday").
TRIM_PAINT = {"ceiling": "#ece6da", "walls_skirting": "#ece6da"}


def _asset(name: str) -> dict:
    """The objects of ``parlour/<name>.glb`` by name."""
    return {o.name: o for o in load_file(ASSETS / f"{name}.glb").objects}


def _place(meshes: list, yaw: float = 0.0, *, x=None, y=None, west=None, east=None, south=None, north=None, z=0.0):
    """``meshes`` turned by ``yaw`` degrees about Z, then moved so that their box's centre is at ``x``/``y``
    or its west/east/south/north side at the given coordinate, and its bottom at ``z``."""
    turned = [m.copy() for m in meshes]
    for m in turned:
        m.apply_transform(rotation(yaw))
    lo = np.min([m.bounds[0] for m in turned], axis=0)
    hi = np.max([m.bounds[1] for m in turned], axis=0)
    dx = x - (lo[0] + hi[0]) / 2 if x is not None else (west - lo[0] if west is not None else east - hi[0])
    dy = y - (lo[1] + hi[1]) / 2 if y is not None else (south - lo[1] if south is not None else north - hi[1])
    for m in turned:
        m.apply_translation((dx, dy, z - lo[2]))
    return turned


def build() -> Scene:
    b = Builder("parlour")

    shell = _asset("room")
    for file_name, (name, label) in SHELL.items():
        obj = shell[file_name]
        surface = obj.material
        if name == "window":  # the shell's glass glows to fake a sky; ours shows the real one
            surface = replace(surface, emissive=(0.0, 0.0, 0.0))
        if name in TRIM_PAINT:
            surface = replace(surface, base_color=hex_to_linear(TRIM_PAINT[name]))
        b.add_mesh(name, obj.mesh, surface, label=label)

    curtains = _asset("curtains")["curtain1"]
    b.add_mesh("curtains", curtains.mesh, curtains.material)
    rod = shell["curtain_rod"]
    b.add_mesh("curtains_rod", rod.mesh, rod.material, label="curtains")

    glow = replace(
        shell[LIGHTS[0]].material,
        name="ceiling light",
        emissive=tuple(c * 2.5 for c in hex_to_linear("#ffd49a")),
    )
    for i, file_name in enumerate(LIGHTS, start=1):
        mesh = shell[file_name].mesh
        b.add_mesh(f"ceiling_light_{i}", mesh, glow)
        centre = mesh.bounds.mean(axis=0)
        b.lamp(f"ceiling_light_{i}", (centre[0], centre[1], mesh.bounds[0, 2] - 0.12), intensity=1.0)

    # The sofa against the east wall, facing west across the room.
    sofa = _asset("sofa")
    body, fringe = sofa["sofa_03_sofa_03"], sofa["sofa_03_sofa_03_fringe"]
    sofa_parts = _place([body.mesh, fringe.mesh], -90.0, east=WALL - GAP, y=0.4)
    b.add_mesh("sofa", sofa_parts[0], body.material)
    b.add_mesh("sofa_fringe", sofa_parts[1], fringe.material, label="sofa")

    # Under the window: the table, the tea set on it, the stool beside it.
    table = _asset("table")["wooden_table_02"]
    [table_mesh] = _place([table.mesh], 0.0, x=-0.2, south=-WALL + 0.32)
    b.add_mesh("table", table_mesh, table.material)
    top = float(table_mesh.bounds[1, 2])
    centre = table_mesh.bounds.mean(axis=0)
    tea = _asset("tea_set")
    pieces = {  # the set (cups on saucers), its teapot and sugar bowl with their lids
        "tea_set": [
            "tea_set_01_cup_small_01",
            "tea_set_01_cup_small_02",
            "tea_set_01_saucer_circular_03",
            "tea_set_01_saucer_circular_04",
        ],
        "tea_set_teapot": ["tea_set_01_teapot_01", "tea_set_01_teapot_01_lid"],
        "tea_set_sugar_bowl": ["tea_set_01_sugar_cup_01", "tea_set_01_sugar_cup_01_lid"],
    }
    names = [n for group in pieces.values() for n in group]
    moved = _place([tea[n].mesh for n in names], 15.0, x=centre[0] + 0.1, y=centre[1], z=top)
    moved = dict(zip(names, moved, strict=True))
    for name, group in pieces.items():
        b.add_mesh(name, merge([moved[n] for n in group]), tea[group[0]].material, label="tea_set")
    stool = _asset("stool")["painted_wooden_stool"]
    [stool_mesh] = _place([stool.mesh], -20.0, x=-1.15, y=-2.15)
    b.add_mesh("stool", stool_mesh, stool.material)

    # A green leather club armchair by the window, turned toward the room (our own model, procedural finish).
    chair = upholstered(0.92, 0.88, seats=1, arm=0.2, pillows=False)
    at, yaw = (1.7, -2.0), 40.0
    b.add(
        "armchair",
        placed(chair["fabric"], at, yaw),
        material("#3d5644", 0.55, name="green leather", texture="leather", tile=0.6),
    )
    b.add_part(
        "armchair",
        "legs",
        placed(chair["legs"], at, yaw),
        material("#3b281c", 0.5, name="walnut", texture="wood", tile=0.5),
    )

    # The white cabinet on the west wall, south of the door, facing east.
    cabinet = _asset("cabinet")
    parts = list(cabinet.values())
    b.add_mesh("cabinet", merge(_place([o.mesh for o in parts], 90.0, west=-WALL + GAP, y=-1.75)), parts[0].material)

    # Along the north wall: the blue dresser in the west corner, the bookshelf east of the middle.
    dresser = _asset("dresser")
    parts = list(dresser.values())
    b.add_mesh("dresser", merge(_place([o.mesh for o in parts], 0.0, x=-1.9, north=WALL - GAP)), parts[0].material)
    shelf = _asset("bookshelf")["wooden_bookshelf_worn"]
    [shelf_mesh] = _place([shelf.mesh], 0.0, x=1.0, north=WALL - GAP)
    b.add_mesh("bookshelf", shelf_mesh, shelf.material)

    view = {"position": [-2.45, 2.45, 1.6], "look_at": [0.9, -1.4, 0.8], "focal_mm": 20.0, "aspect": "3:2"}
    return b.scene(interior=True, description=DESCRIPTION, view=view)
