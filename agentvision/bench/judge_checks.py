"""What the judge measures: the photo's id map, the items a mission names, and one function per check.

Everything here is ground truth: an instance-id map cast at the photo's camera
(:func:`agentvision.scene.queries.object_ids`, primary rays only), the scene's geometry and the
camera state. Nothing comes from the photographer (no Reviewer, no Director).

Items
    A mission names an object or a label. A name stands for that object together with its pieces
    (``sofa`` -> sofa, sofa_legs, sofa_pillows: :func:`agentvision.scene.queries.label_groups`); a
    label for every item carrying it, each item with its pieces (a word that is both, such as
    ``window``, stands for both). For ``subjects`` and ``also_visible`` one matching item suffices:
    the one seen best (visible fraction, then pixels) is taken. For ``not_visible`` every matching
    object counts.

Visible fraction (``min_visible``, ``also_visible``)
    An item's pixels in the photo's id map, divided by the pixels it would cover alone (no other
    object in the scene) in a frame with the same intrinsics but extended past every edge, so
    nothing is cropped. The extended frame continues the photo's pixel lattice (pixel centres at
    +0.5, principal point unchanged): it is the photo's camera with a bigger sensor. Every pixel the
    item shows in the photo it also covers alone, so the fraction lies in [0, 1]; occlusion by other
    objects and cropping by the frame both lower it (half hidden or half out of frame ~ 0.5). The
    extension reaches at most ``UNCROP_MARGIN`` frame widths (heights) beyond each edge: a floor or
    a wall that wraps around the camera is counted within that window. Above ``MAX_UNCROP_RAYS``
    rays the extended frame is sampled every k-th pixel (each sample counting k * k pixels).

Not visible
    An item is out of the photo when all matching objects together cover less than
    ``NOT_VISIBLE_FRACTION`` (0.05 %) of the frame: a sliver at a frame edge is forgiven.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import trimesh

from agentvision.camera import ASPECTS, Camera, CameraError, angle_of, lens_class, parse_aspect
from agentvision.errors import InputError
from agentvision.scene.lighting import normalise_time
from agentvision.scene.model import Scene, SceneError
from agentvision.scene.queries import ground_height_below, label_groups
from agentvision.scene.rays import scene_rays
from agentvision.scene.visibility import object_ids, projected_bbox
from agentvision.vision import centroid, placement_of

UNCROP_MARGIN = 2.0  # frame sizes the uncropped frame reaches beyond each edge
MAX_UNCROP_RAYS = 1_000_000
NOT_VISIBLE_FRACTION = 0.0005  # of the frame
ALSO_VISIBLE_MIN = 0.2
VIEWS = {"low_angle": "low", "eye_level": "eye_level", "high_angle": "high", "top_down": "top_down"}
ORIENTATIONS = ("landscape", "portrait", "square")
PLACEMENT_WORDS = ("center", "left_third", "right_third", "upper_third", "lower_third")


class JudgeError(InputError):
    """A run folder or an expectation the judge cannot measure, with what to fix."""


@dataclass
class Check:
    """One measured expectation. ``active`` is False when the mission accepts anything ('any', [])."""

    value: object
    expected: object
    passed: bool
    active: bool = True

    def to_dict(self) -> dict:
        return {"value": _rounded(self.value), "expected": self.expected, "pass": bool(self.passed)}


def _rounded(v):
    if isinstance(v, float | np.floating):
        return round(float(v), 4)
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_rounded(x) for x in v]
    return v


def is_any(expected) -> bool:
    """'any', an empty list or an empty string: the mission accepts every value."""
    if isinstance(expected, str):
        return expected.strip().lower() in ("", "any")
    return isinstance(expected, list | tuple) and len(expected) == 0


# ----- items and pixels --------------------------------------------------------------------------
def match_items(scene: Scene, entry: str) -> list[np.ndarray]:
    """Object-index arrays of the items ``entry`` stands for: the object called so (with its pieces),
    then every other item labelled so (each with its pieces). Empty when nothing matches."""
    group = label_groups(scene)
    names = scene.names
    items = []
    if entry in names:
        i = names.index(entry)
        items.append(np.flatnonzero((group == i) | (np.arange(len(names)) == i)))
    taken = {int(j) for it in items for j in it}
    roots = dict.fromkeys(int(group[i]) for i, o in enumerate(scene.objects) if o.label == entry and i not in taken)
    items += [np.array([j for j in np.flatnonzero(group == r) if int(j) not in taken]) for r in roots]
    return [it for it in items if len(it)]


def uncropped_pixels(scene: Scene, camera: Camera, items: np.ndarray) -> float:
    """Pixels the objects ``items`` would cover with nothing else in the scene and no frame edge
    (the extended frame of the module notes)."""
    objects = [scene.objects[int(i)] for i in items]
    meshes = [o.mesh for o in objects if len(o.mesh.faces)]
    if not meshes:
        return 0.0
    box = projected_bbox(camera, meshes[0] if len(meshes) == 1 else trimesh.util.concatenate(meshes))
    if box is None:
        return 0.0
    w, h = camera.size
    u0 = max(math.floor(box[0]) - 1, -math.ceil(UNCROP_MARGIN * w))
    v0 = max(math.floor(box[1]) - 1, -math.ceil(UNCROP_MARGIN * h))
    u1 = min(math.ceil(box[2]) + 1, w + math.ceil(UNCROP_MARGIN * w))
    v1 = min(math.ceil(box[3]) + 1, h + math.ceil(UNCROP_MARGIN * h))
    if u0 >= u1 or v0 >= v1:
        return 0.0
    k = max(1, math.ceil(math.sqrt((u1 - u0) * (v1 - v0) / MAX_UNCROP_RAYS)))
    uu, vv = np.meshgrid(np.arange(u0, u1, k) + 0.5, np.arange(v0, v1, k) + 0.5)
    dirs = camera.ray_directions((uu, vv)).reshape(-1, 3)
    alone = Scene("judge_item", objects, floor_z=None)
    origins = np.broadcast_to(np.asarray(camera.position), dirs.shape).copy()
    hits = scene_rays(alone).all.cast(origins, dirs)
    return float(np.count_nonzero(hits.ids >= 0) * k * k)


@dataclass
class Frame:
    """The photo's camera (at measuring width) and its id map, with cached per-item measures."""

    scene: Scene
    camera: Camera  # the photo's camera at the measuring width (same framing)
    ids: np.ndarray
    _visible: dict = field(default_factory=dict, repr=False)

    @classmethod
    def measure(cls, scene: Scene, camera: Camera) -> Frame:
        return cls(scene, camera, object_ids(scene, camera))

    def mask(self, items: np.ndarray) -> np.ndarray:
        return np.isin(self.ids, items)

    def pixels(self, items: np.ndarray) -> int:
        return int(np.count_nonzero(self.mask(items)))

    def visible(self, items: np.ndarray) -> float:
        """Visible fraction of an item (module notes), in [0, 1]."""
        key = tuple(int(i) for i in items)
        if key not in self._visible:
            seen = self.pixels(items)
            full = uncropped_pixels(self.scene, self.camera, items) if seen else 0.0
            self._visible[key] = min(1.0, seen / full) if full > 0 else 0.0
        return self._visible[key]

    def best_item(self, entry: str) -> np.ndarray | None:
        """The matching item seen best (visible fraction, then pixels); None if nothing matches."""
        items = match_items(self.scene, entry)
        if not items:
            return None
        return max(items, key=lambda it: (self.visible(it), self.pixels(it)))

    def prominent_item(self, entry: str) -> np.ndarray | None:
        """The matching item that is the photo's subject: among items at least PROMINENT_VISIBLE
        visible, the one covering the most pixels (a label such as 'bench' names whichever bench
        the photo is of, not a tiny one in the distance); else the best seen."""
        items = match_items(self.scene, entry)
        if not items:
            return None
        return max(items, key=lambda it: (self.visible(it) >= PROMINENT_VISIBLE, self.pixels(it), self.visible(it)))


PROMINENT_VISIBLE = 0.25


# ----- the checks --------------------------------------------------------------------------------
@dataclass
class Context:
    """What every check reads: the frame, the photo's camera state, camera.json and the subjects."""

    frame: Frame
    camera: Camera  # as saved in camera.json (roll, focal, aspect)
    record: dict  # camera.json
    subjects: dict[str, np.ndarray | None]  # mission entry -> chosen item
    min_visible: float | None = None

    @property
    def subject_items(self) -> np.ndarray:
        chosen = [it for it in self.subjects.values() if it is not None]
        return np.unique(np.concatenate(chosen)) if chosen else np.zeros(0, np.int64)


def _names(frame: Frame, items: np.ndarray | None) -> list[str] | None:
    return None if items is None else [frame.scene.objects[int(i)].name for i in items]


def _range(expected, key: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in expected)
    except (TypeError, ValueError):
        raise JudgeError(f"expect.{key} must be [low, high] (two numbers) or 'any', got {expected!r}") from None
    if lo > hi:
        raise JudgeError(f"expect.{key} is [{lo}, {hi}]: low must not exceed high")
    return lo, hi


def _number(expected, key: str) -> float:
    try:
        return float(expected)
    except (TypeError, ValueError):
        raise JudgeError(f"expect.{key} must be a number or 'any', got {expected!r}") from None


def entries_of(expected, key: str) -> list[str]:
    if isinstance(expected, str):
        return [expected]
    if not isinstance(expected, list | tuple) or not all(isinstance(e, str) for e in expected):
        raise JudgeError(f"expect.{key} must be a list of object names or labels, got {expected!r}")
    return list(expected)


def check_subjects(ctx: Context, expected) -> Check:
    """Each entry matches an item that shows in the frame (at least NOT_VISIBLE_FRACTION of it)."""
    least = NOT_VISIBLE_FRACTION * ctx.frame.ids.size
    value = {e: _names(ctx.frame, it) for e, it in ctx.subjects.items()}
    ok = all(it is not None and ctx.frame.pixels(it) >= least for it in ctx.subjects.values())
    return Check(value, expected, ok or is_any(expected), not is_any(expected))


def check_min_visible(ctx: Context, expected) -> Check:
    value = {e: (0.0 if it is None else ctx.frame.visible(it)) for e, it in ctx.subjects.items()}
    if is_any(expected):
        return Check(value, expected, True, False)
    need = _number(expected, "min_visible")
    return Check(value, expected, bool(value) and all(v >= need for v in value.values()))


def check_coverage(ctx: Context, expected) -> Check:
    value = float(ctx.frame.mask(ctx.subject_items).mean())
    if is_any(expected):
        return Check(value, expected, True, False)
    lo, hi = _range(expected, "coverage")
    return Check(value, expected, lo <= value <= hi)


def check_placement(ctx: Context, expected) -> Check:
    c = centroid(ctx.frame.mask(ctx.subject_items))
    value = None if c is None else placement_of(c)
    if is_any(expected):
        return Check(value, expected, True, False)
    if expected not in PLACEMENT_WORDS:
        raise JudgeError(f"expect.placement {expected!r} is unknown; use any, {', '.join(PLACEMENT_WORDS)}")
    return Check(value, expected, value == expected)


def check_time_of_day(ctx: Context, expected) -> Check:
    raw = ctx.record.get("time_of_day")
    try:
        value = None if raw is None else normalise_time(raw)
    except SceneError:
        value = str(raw)
    if is_any(expected):
        return Check(value, expected, True, False)
    try:
        want = normalise_time(expected)
    except SceneError as exc:
        raise JudgeError(f"expect.time_of_day: {exc}") from None
    return Check(value, expected, value == want)


def _height(ctx: Context) -> float | None:
    below = ground_height_below(ctx.frame.scene, ctx.camera.position)
    return None if below is None else ctx.camera.position[2] - below


def check_camera_height(ctx: Context, expected) -> Check:
    value = _height(ctx)
    if is_any(expected):
        return Check(value, expected, True, False)
    lo, hi = _range(expected, "camera_height")
    return Check(value, expected, value is not None and lo <= value <= hi)


def check_view(ctx: Context, expected) -> Check:
    value = {v: k for k, v in VIEWS.items()}[angle_of(ctx.camera.pitch_deg, _height(ctx))]
    if is_any(expected):
        return Check(value, expected, True, False)
    want = expected if expected in VIEWS else {"low": "low_angle", "high": "high_angle"}.get(expected)
    if want is None:
        raise JudgeError(f"expect.view {expected!r} is unknown; use any, {', '.join(VIEWS)}")
    return Check(value, expected, value == want)


def check_lens(ctx: Context, expected) -> Check:
    value = lens_class(ctx.camera.focal_mm)
    if is_any(expected):
        return Check(value, expected, True, False)
    if expected not in ("wide", "normal", "tele"):
        raise JudgeError(f"expect.lens {expected!r} is unknown; use any, wide, normal or tele")
    return Check(value, expected, value == expected)


def check_aspect(ctx: Context, expected) -> Check:
    cam = ctx.camera
    if is_any(expected):
        return Check(cam.aspect, expected, True, False)
    if expected in ORIENTATIONS:
        return Check(cam.orientation, expected, cam.orientation == expected)
    try:
        ratio = parse_aspect(expected)
    except CameraError:
        raise JudgeError(
            f"expect.aspect {expected!r} is unknown; use any, {', '.join(ORIENTATIONS)} or {', '.join(ASPECTS)}"
        ) from None
    return Check(cam.aspect, expected, abs(cam.ratio - ratio) < 1e-9)


def check_also_visible(ctx: Context, expected) -> Check:
    entries = [] if is_any(expected) else entries_of(expected, "also_visible")
    value = {}
    for e in entries:
        item = ctx.frame.best_item(e)
        value[e] = 0.0 if item is None else ctx.frame.visible(item)
    ok = all(v >= ALSO_VISIBLE_MIN for v in value.values())
    return Check(value, expected, ok, bool(entries))


def check_not_visible(ctx: Context, expected) -> Check:
    entries = [] if is_any(expected) else entries_of(expected, "not_visible")
    value = {}
    for e in entries:
        items = match_items(ctx.frame.scene, e)
        every = np.concatenate(items) if items else np.zeros(0, np.int64)
        value[e] = float(ctx.frame.mask(every).mean())
    ok = all(v < NOT_VISIBLE_FRACTION for v in value.values())
    return Check(value, expected, ok, bool(entries))


def check_max_roll_deg(ctx: Context, expected) -> Check:
    value = abs(ctx.camera.horizon_tilt_deg)  # a camera looking straight down has no horizon to tilt
    if is_any(expected):
        return Check(value, expected, True, False)
    return Check(value, expected, value <= _number(expected, "max_roll_deg") + 1e-9)


CHECKS: dict[str, Callable[[Context, object], Check]] = {
    "subjects": check_subjects,
    "min_visible": check_min_visible,
    "coverage": check_coverage,
    "placement": check_placement,
    "time_of_day": check_time_of_day,
    "camera_height": check_camera_height,
    "view": check_view,
    "lens": check_lens,
    "aspect": check_aspect,
    "also_visible": check_also_visible,
    "not_visible": check_not_visible,
    "max_roll_deg": check_max_roll_deg,
}
SUBJECT_CHECKS = ("min_visible", "coverage", "placement")  # measured on the subjects
