"""The scene library's Builder: named objects (each one material, its parts merged into one mesh)
and lamps, handed back as a :class:`~agentvision.scene.model.Scene`.

An object made of several materials is several objects: the main one carries the name
(``sofa``), the others are ``<name>_<part>`` (``sofa_legs``) and share its label, so
``scene.find("sofa")`` returns the whole piece. Numbered instances (``tree_1``, ``tree_2``) are
labelled by their stem (``tree``). The shapes are in :mod:`shapes`, :mod:`polygons`, :mod:`rooms`
and :mod:`props`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import trimesh

from agentvision.conventions import hex_to_linear
from agentvision.scene.finishes import Finish, box_uv, finish
from agentvision.scene.model import Lamp, Material, Scene, SceneError, SceneObject
from agentvision.scene.rooms import Opening, RoomPlan, door_parts, room_shell, skirting, window_parts
from agentvision.scene.shapes import Parts, Vec, _as_list, merge, outward

# ----- materials ----------------------------------------------------------------------------


def material(
    color: str,
    roughness: float = 0.8,
    *,
    emissive: str | None = None,
    strength: float = 1.0,
    glass: bool = False,
    name: str = "",
    texture: str | None = None,
    tile: float = 1.0,
) -> Material | Finish:
    """A Material from sRGB hex codes; ``emissive`` is a hex colour scaled by ``strength``.

    With ``texture`` (a kind of :mod:`~agentvision.scene.finishes`: planks, wood, plaster, stone,
    masonry) the colour is laid on as that finish, repeating every ``tile`` metres.
    """
    glow = (0.0, 0.0, 0.0)
    if emissive is not None:
        glow = tuple(c * strength for c in hex_to_linear(emissive))
    plain = Material(base_color=hex_to_linear(color), roughness=roughness, emissive=glow, glass=glass, name=name)
    return plain if texture is None else finish(plain, texture, tile)


# ----- the builder ---------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(.*?)_\d+$")


def label_for(name: str) -> str:
    """``tree_2`` -> ``tree``; other names are their own label."""
    m = _NUMBERED.match(name)
    return m.group(1) if m else name


@dataclass
class Builder:
    """Collects named objects and lamps; :meth:`scene` returns the finished Scene."""

    name: str
    objects: list[SceneObject] = field(default_factory=list)
    lamps: list[Lamp] = field(default_factory=list)

    def add(self, name: str, parts: Parts, mat: Material | Finish, label: str | None = None) -> SceneObject:
        """Merge ``parts`` into one object. Each part must be closed; inside-out parts are flipped.

        A :class:`~agentvision.scene.finishes.Finish` is laid on with box-projected UVs at its scale."""
        self._check_name(name)
        meshes = []
        for i, part in enumerate(_as_list(parts)):
            if len(part.faces) == 0:
                continue
            if not part.is_watertight:
                raise SceneError(
                    f"part {i} of {name!r} is not closed; build it from the closed primitives"
                    " in agentvision/scene/shapes.py"
                )
            meshes.append(outward(part.copy()))
        if not meshes:
            raise SceneError(f"object {name!r} has no geometry")
        mesh = merge(meshes)
        if isinstance(mat, Finish):
            mesh, mat = box_uv(mesh, mat.tile), mat.material
        return self.add_mesh(name, mesh, mat, label)

    def add_mesh(self, name: str, mesh: trimesh.Trimesh, mat: Material, label: str | None = None) -> SceneObject:
        """A mesh as it is, for instance from a file (it need not be closed; its UVs are kept)."""
        self._check_name(name)
        obj = SceneObject(name=name, label=label or label_for(name), mesh=mesh, material=mat)
        self.objects.append(obj)
        return obj

    def _check_name(self, name: str) -> None:
        if any(o.name == name for o in self.objects):
            raise SceneError(f"scene {self.name!r} already has an object {name!r}; pick another name")

    def add_part(self, owner: str, part: str, parts: Parts, mat: Material | Finish) -> SceneObject:
        """Another material of object ``owner``: named ``<owner>_<part>``, sharing its label."""
        owner_obj = next((o for o in self.objects if o.name == owner), None)
        if owner_obj is None:
            raise SceneError(f"add {owner!r} before its part {part!r}")
        return self.add(f"{owner}_{part}", parts, mat, label=owner_obj.label)

    def lamp(self, obj: str, position: Vec, color: str = "#ffc987", intensity: float = 2.0) -> Lamp:
        """A light at ``position`` (the bulb) belonging to emissive object ``obj``."""
        target = next((o for o in self.objects if o.name == obj), None)
        if target is None or not target.material.is_emissive:
            raise SceneError(f"lamp object {obj!r} must be added first, with an emissive material")
        lamp = Lamp(
            object=obj, position=tuple(float(v) for v in position), color=hex_to_linear(color), intensity=intensity
        )
        self.lamps.append(lamp)
        return lamp

    def room(
        self,
        room: RoomPlan,
        floor: Material | Finish,
        walls: Material | Finish,
        ceiling: Material | Finish,
        openings: Sequence[Opening] = (),
        skylights: Sequence[tuple[float, float, float, float]] = (),
        skirting_material: Material | Finish | None = None,
    ) -> dict[str, SceneObject]:
        """Add a closed room as objects ``floor``, ``walls`` and ``ceiling``.

        With ``skirting_material``, also ``walls_skirting``: :func:`skirting` broken at the same openings.
        """
        shell = room_shell(room, openings, skylights)
        added = {
            key: self.add(key, shell[key], mat)
            for key, mat in (("floor", floor), ("walls", walls), ("ceiling", ceiling))
        }
        if skirting_material is not None:
            added["skirting"] = self.add_part("walls", "skirting", skirting(room, openings), skirting_material)
        return added

    def window(
        self,
        name: str,
        room: RoomPlan,
        opening: Opening,
        frame: Material | Finish,
        glass: Material | None = None,
        label: str | None = None,
        **kwargs,
    ) -> SceneObject:
        """A glazed window in ``opening``: ``name`` is the glass, ``<name>_frame`` its frame."""
        panes, bars = window_parts(room, opening, **kwargs)
        obj = self.add(name, panes, glass or GLASS, label=label)
        self.add_part(name, "frame", bars, frame)
        return obj

    def door(
        self,
        name: str,
        room: RoomPlan,
        opening: Opening,
        leaf: Material | Finish,
        frame: Material | Finish,
        label: str | None = None,
        **kwargs,
    ) -> SceneObject:
        """A closed door in ``opening``: ``name`` is the leaf, ``<name>_frame`` its casing."""
        leaf_parts, frame_parts = door_parts(room, opening, **kwargs)
        obj = self.add(name, leaf_parts, leaf, label=label)
        self.add_part(name, "frame", frame_parts, frame)
        return obj

    def scene(
        self, *, interior: bool, description: str = "", floor_z: float | None = 0.0, view: dict | None = None
    ) -> Scene:
        """The finished Scene (unlit); ``view`` holds camera JSON fields of a good overview."""
        return Scene(
            name=self.name,
            objects=list(self.objects),
            lamps=list(self.lamps),
            floor_z=floor_z,
            interior=interior,
            description=description,
            default_view=view,
        )


GLASS = material("#dfe9ee", 0.05, glass=True, name="glass")
