"""The state of one PhotoFlow search, shared by the loop and the roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from agentvision.camera import Camera
from agentvision.errors import InputError
from agentvision.photoflow.blueprint import FACING_TOLERANCE, SUBJECT_PARTS, Blueprint
from agentvision.photoflow.memory import RegionMemory
from agentvision.photoflow.records import Reflection, RoundRecord, Shot
from agentvision.render.base import check_width
from agentvision.scene.model import Scene
from agentvision.scene.queries import pieces
from agentvision.scene.standpoint import Area, Room, room_around, walkable_area

MAX_ROUNDS = 50  # a default run is 6; 50 rounds of 16 is 800 previews, minutes on a laptop
MAX_CANDIDATES = 16
MAX_CELLS = 32  # region-memory cells along the longest side of the search box, whatever the scene's scale


@dataclass
class Budget:
    """How much a search may spend, and at what resolutions: checked before any work (MAX_ROUNDS,
    MAX_CANDIDATES, and widths within render.base.MAX_WIDTH)."""

    rounds: int = 6
    candidates: int = 4
    preview_width: int = 320
    final_width: int = 1920

    def __post_init__(self) -> None:
        for name, most in (("rounds", MAX_ROUNDS), ("candidates", MAX_CANDIDATES)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
                raise InputError(f"{name} must be a whole number in 1..{most} (got {value!r})")
        check_width(self.preview_width, "preview width")
        check_width(self.final_width, "photo width")

    @property
    def renders(self) -> int:
        return self.rounds * self.candidates


@dataclass
class Anchor:
    """A viewpoint in the global anchor bank."""

    camera: Camera
    azimuth_deg: float  # around the subject, CCW from +X
    distance: float
    prior: float  # how promising it looks before rendering (line of sight, facing, distance, relations)
    used: bool = False


@dataclass(frozen=True)
class Subject:
    """The extent of the photo's subject (the union of its objects' pieces)."""

    names: list[str]
    lo: np.ndarray
    hi: np.ndarray
    part: str | None = None  # "top" or "bottom": the box is that part of the objects' (part_of)

    @property
    def centre(self) -> np.ndarray:
        return (self.lo + self.hi) / 2

    @property
    def radius(self) -> float:
        return float(np.linalg.norm(self.hi - self.lo) / 2)

    def corners(self) -> np.ndarray:
        """The eight corners (8, 3) of the subject's box."""
        lo, hi = self.lo, self.hi
        return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])


def subject_of(scene: Scene, names: list[str]) -> Subject:
    """The union extent of the named objects and their pieces."""
    all_names = [p for n in names for p in pieces(scene, n)]
    b = np.array([scene.get(n).bounds for n in all_names])
    return Subject(all_names, b[:, 0].min(axis=0), b[:, 1].max(axis=0))


PART_SHARE, PART_MIN = 1 / 3, 0.4  # a part of the subject by place: this share of its height, at least this (m)


def part_of(subject: Subject, part: str | None) -> Subject:
    """The subject's box cut to its top or bottom part ("the top of the curtain where it hangs off the rod"): what a
    close-up frames; its objects stay the same (their pixels are the subject's)."""
    if part not in SUBJECT_PARTS:
        return subject
    span = float(subject.hi[2] - subject.lo[2])
    depth = min(span, max(PART_MIN, PART_SHARE * span))
    lo, hi = subject.lo.copy(), subject.hi.copy()
    if part == "top":
        lo[2] = hi[2] - depth
    else:
        hi[2] = lo[2] + depth
    return Subject(subject.names, lo, hi, part)


def place_point(scene: Scene) -> np.ndarray:
    """The point a scene is about: where its overview looks, else the middle of its bounds."""
    if scene.default_view and "look_at" in scene.default_view:
        return np.asarray(scene.default_view["look_at"], dtype=float)
    return np.asarray(scene.bounds, dtype=float).mean(axis=0)


def _area_seeds(scene: Scene, bp: Blueprint, subject: Subject) -> list[np.ndarray]:
    """Spaces besides the subject's own that the camera may use: beyond what the shot is framed through."""
    seeds = []
    if bp.through:
        opening = scene.get(bp.through).centroid
        u = opening[:2] - subject.centre[:2]
        n = float(np.linalg.norm(u))
        if n > 1e-6:
            seeds.append(opening[:2] + u / n * 1.5)
    return seeds


@dataclass
class SearchState:
    """Everything the roles may read; the loop owns and advances it."""

    intent: str
    scene: Scene
    blueprint: Blueprint
    budget: Budget
    rng: np.random.Generator
    subject: Subject
    room: Room
    memory: RegionMemory
    seed: int = 0
    round: int = 0
    anchors: list[Anchor] = field(default_factory=list)
    rounds: list[RoundRecord] = field(default_factory=list)
    incumbent: Shot | None = None
    reflection: Reflection | None = None
    scout: dict = field(default_factory=dict)  # name -> PIL image (overviews, top-down map)
    stale_rounds: int = 0  # rounds since the incumbent last changed
    area: Area | None = None  # where a photographer of this subject stands (its walkable space)
    place: Area | None = None  # outdoors, the space whose part the intent stands in ("the south side of the courtyard")
    unframable: list[str] = field(default_factory=list)  # asked context no standpoint frames with the subject
    # degrees: how far off the compass direction asked a camera still faces it; wider where the space has no room
    # that way (set with the anchors, read by every check of the facing)
    facing_tolerance: float = FACING_TOLERANCE

    @classmethod
    def start(cls, intent: str, scene: Scene, blueprint: Blueprint, budget: Budget, seed: int) -> SearchState:
        subject = part_of(subject_of(scene, blueprint.subjects), blueprint.subject_part)
        room = room_around(scene, subject.lo, subject.hi)
        reach = max(3.0, subject.radius * 4.0)
        lo = np.maximum(subject.centre - reach, room.lo)
        hi = np.minimum(subject.centre + reach, room.hi)
        lo[2], hi[2] = room.floor, (room.ceiling if room.ceiling is not None else subject.hi[2] + reach)
        cell = max(0.5, min(1.5, subject.radius / 2), float(np.max(hi - lo)) / MAX_CELLS)  # scale-aware: bounded
        memory = RegionMemory(lo, hi, size=cell)
        state = cls(intent, scene, blueprint, budget, np.random.default_rng(seed), subject, room, memory, seed)
        seeds = _area_seeds(scene, blueprint, subject)
        if blueprint.viewpoint_part and not blueprint.viewpoint and not scene.interior:
            # "near the south side of the courtyard": the scene's own space (where its overview looks), which may
            # not be the subject's (a villa seen over the courtyard's wall stands on the lawn outside it)
            at = place_point(scene)
            seeds.append(at[:2])
            state.place = walkable_area(scene, at - 0.5, at + 0.5)
        state.area = walkable_area(scene, subject.lo, subject.hi, seeds=seeds)
        return state

    @cached_property
    def frame(self) -> Subject:
        """What the frame must hold whole: the subjects with their context objects (beside them) that can share a
        frame with them (not :attr:`unframable`). A background stands behind and shows around the subject; it is
        not framed whole (see :attr:`with_background`). In a close-up, the subject alone: its context comes in at
        the edges, in part ("the end of the sofa soft at the bottom of the frame")."""
        bp = self.blueprint
        extra = [n for n in bp.context if n not in bp.subjects and n not in self.unframable]
        if not extra or bp.shot_size == "close_up":
            return self.subject
        return subject_of(self.scene, bp.subjects + extra)

    @cached_property
    def with_background(self) -> Subject:
        """The subjects with their context and background objects."""
        bp = self.blueprint
        extra = [n for n in bp.context + bp.background if n not in bp.subjects]
        return subject_of(self.scene, bp.subjects + extra) if extra else self.subject

    @cached_property
    def aim_at(self) -> Subject:
        """What the camera centres on: the subject when the intent placed it, else what the frame holds (the
        subject with its context). Never a background object: the camera aims at what it photographs."""
        return self.subject if "placement" in self.blueprint.explicit else self.frame

    def all_shots(self) -> list[Shot]:
        return [s for r in self.rounds for s in r.shots]
