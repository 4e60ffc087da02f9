"""The independent judge: measure a photo run against a mission's expectations, from ground truth.

The judge reads only the run folder (``camera.json``, ``photo.png``) and the mission (its scene and
``expect``). It casts an instance-id map at the photo's camera, queries the scene's geometry and
reads the camera state; it never asks the photographer's Reviewer. Checks (one per ``expect`` key;
'any' or an empty list passes, with the measured value recorded):

- ``subjects``: each entry (an object name or a label; one matching item suffices) shows in the
  frame (>= 0.05 % of it). For each entry the chosen item is the photo's evident subject: of the
  matching items at least 25 % visible, the one covering the most pixels. The photo's subject is
  the union of the chosen items with their pieces.
- ``min_visible``: per subject, visible pixels / pixels it would cover unoccluded and uncropped
  (see :mod:`agentvision.bench.judge_checks`) >= the threshold.
- ``coverage``: fraction of the frame covered by all subjects together, within [low, high].
- ``placement``: :func:`agentvision.vision.placement_of` of the subjects' pixel centroid equals it.
- ``time_of_day``: camera.json's ``time_of_day`` is that preset (aliases such as 'evening' accepted).
- ``camera_height``: camera z minus the first surface straight below it (floor, ground, or whatever
  the camera stands over: :func:`agentvision.scene.queries.ground_height_below`), within [low, high].
- ``view``: :func:`agentvision.camera.angle_of` the pitch of the optical axis: low_angle (>= 10 deg),
  eye_level, high_angle (<= -15 deg), top_down (<= -60 deg).
- ``lens``: :func:`agentvision.camera.lens_class` of the focal length (wide < 35 mm <= normal <= 70 mm < tele).
- ``aspect``: landscape / portrait / square from the frame's ratio, or an exact ratio ("4:5").
- ``also_visible``: each entry's best matching item is at least 0.2 visible (same measure as min_visible).
- ``not_visible``: all objects matching each entry cover < 0.05 % of the frame.
- ``max_roll_deg``: |camera roll| <= it (degrees).

``success`` is every check passing. ``aesthetic`` is :func:`agentvision.vision.aesthetic_score` of
photo.png, in the low key for dusk, blue_hour and night (camera.json's time of day).

Composite, in [0, 1]::

    composite = 0.6 * P + 0.25 * A + 0.15 * V

- P: fraction of the *constraining* checks that pass (checks whose expectation is 'any' or empty
  are left out; 1 when none constrains anything);
- A: the aesthetic score;
- V: mean over the subjects of min(1, visible / t), with t the mission's min_visible (0.5 when it
  sets none, or 'any'); V = P when the mission names no subjects.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from agentvision.bench.judge_checks import (
    CHECKS,
    SUBJECT_CHECKS,
    Check,
    Context,
    Frame,
    JudgeError,
    entries_of,
    is_any,
    match_items,
)
from agentvision.camera import Camera, CameraError
from agentvision.render.base import MAX_WIDTH
from agentvision.scene.library import library_names, load_scene
from agentvision.scene.lighting import exposure_key, normalise_time
from agentvision.scene.model import Scene, SceneError
from agentvision.vision import aesthetic_score

MEASURE_WIDTH = 640  # id maps are cast at min(photo width, this); fractions do not depend on it
WEIGHTS = {"checks": 0.6, "aesthetic": 0.25, "visibility": 0.15}
DEFAULT_MIN_VISIBLE = 0.5


@dataclass
class Judgement:
    """Every check, success, aesthetic and composite of one run (``to_dict()`` is the JSON)."""

    checks: dict[str, Check]
    success: bool
    aesthetic: float
    composite: float

    def to_dict(self) -> dict:
        return {
            "checks": {k: c.to_dict() for k, c in self.checks.items()},
            "success": bool(self.success),
            "aesthetic": round(float(self.aesthetic), 4),
            "composite": round(float(self.composite), 4),
        }


# ----- run folder --------------------------------------------------------------------------------
def read_run(run_dir: str | Path) -> tuple[dict, Camera, np.ndarray]:
    """camera.json (as a dict), its Camera and photo.png (uint8 RGB) of a run folder."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise JudgeError(f"run folder {run_dir} does not exist; give the folder `agentvision photo --out` wrote")
    cam_path, photo_path = run_dir / "camera.json", run_dir / "photo.png"
    for path in (cam_path, photo_path):
        if not path.is_file():
            raise JudgeError(f"{path} is missing; a run folder holds camera.json and photo.png")
    try:
        record = json.loads(cam_path.read_text())
    except (json.JSONDecodeError, RecursionError, UnicodeDecodeError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise JudgeError(f"{cam_path} is not valid JSON: {reason}") from None
    if not isinstance(record, dict) or not isinstance(record.get("camera"), dict):
        raise JudgeError(f"{cam_path} has no 'camera' object (position, look_at, focal_mm, ...)")
    try:
        camera = Camera.parse(record)
    except CameraError as exc:
        raise JudgeError(f"{cam_path}: {exc}") from None
    try:
        with Image.open(photo_path) as im:  # reads the header only: the size is checked before decoding
            if not all(16 <= side <= MAX_WIDTH for side in im.size):
                raise JudgeError(
                    f"{photo_path} is {im.width}x{im.height} px; a photo is 16..{MAX_WIDTH} px on each side"
                )
            rgb = np.asarray(im.convert("RGB"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise JudgeError(f"{photo_path} is not a readable image: {exc}") from None
    return record, camera, rgb


def resolve_scene(scene_ref, mission_dir: str | Path | None, record: dict) -> Scene:
    """The mission's scene: a Scene, a library name, or a file path relative to the mission's folder.

    Without a scene reference, camera.json's ``scene`` is used.
    """
    if isinstance(scene_ref, Scene):
        return scene_ref
    ref = scene_ref if scene_ref is not None else record.get("scene")
    if not ref:
        raise JudgeError("no scene to judge against: the mission names none and camera.json has no 'scene'")
    ref = str(ref)
    run_scene = record.get("scene")
    names = library_names()
    if ref in names:
        if run_scene in names and run_scene != ref:
            raise JudgeError(f"the run photographed scene {run_scene!r} but the mission is about {ref!r}")
        return load_scene(ref)
    path = Path(ref)
    if not path.is_absolute() and mission_dir is not None:
        path = Path(mission_dir) / path
    try:
        return load_scene(path)
    except SceneError as exc:
        raise JudgeError(f"mission scene {ref!r}: {exc}") from None


# ----- judging -----------------------------------------------------------------------------------
def _expect_dict(expect) -> dict:
    if dataclasses.is_dataclass(expect) and not isinstance(expect, type):
        expect = dataclasses.asdict(expect)
    if expect is None:
        return {}
    if not isinstance(expect, dict):
        raise JudgeError(f"expect must be a mapping of checks, got {type(expect).__name__}")
    unknown = sorted(set(expect) - set(CHECKS))
    if unknown:
        raise JudgeError(f"unknown expect key(s) {', '.join(unknown)}; the judge knows {', '.join(CHECKS)}")
    return {k: v for k, v in expect.items() if v is not None}  # None: not set


def _choose_subjects(frame: Frame, expect: dict) -> dict[str, np.ndarray | None]:
    wanted = expect.get("subjects")
    entries = [] if wanted is None or is_any(wanted) else entries_of(wanted, "subjects")
    for key in ("subjects", "also_visible", "not_visible"):
        value = expect.get(key)
        for entry in [] if value is None or is_any(value) else entries_of(value, key):
            if not match_items(frame.scene, entry):
                raise JudgeError(
                    f"expect.{key}: scene {frame.scene.name!r} has no object or label {entry!r}; "
                    f"it has: {', '.join(frame.scene.names)}"
                )
    if not entries:
        active = [k for k in SUBJECT_CHECKS if k in expect and not is_any(expect[k])]
        if active:
            raise JudgeError(f"expect.{active[0]} is measured on the subjects; set expect.subjects too")
    return {e: frame.prominent_item(e) for e in entries}


def _photo_time(record: dict) -> str | None:
    try:
        return normalise_time(record["time_of_day"]) if record.get("time_of_day") else None
    except SceneError:
        return None


def composite_score(checks: dict[str, Check], aesthetic: float, visibility: float | None) -> float:
    """0.6 * P + 0.25 * A + 0.15 * V (see the module docstring); V = P when ``visibility`` is None."""
    active = [c for c in checks.values() if c.active]
    p = sum(c.passed for c in active) / len(active) if active else 1.0
    v = p if visibility is None else visibility
    score = WEIGHTS["checks"] * p + WEIGHTS["aesthetic"] * aesthetic + WEIGHTS["visibility"] * v
    return float(np.clip(score, 0.0, 1.0))


def judge(
    run_dir: str | Path,
    expect,
    scene_ref=None,
    mission_dir: str | Path | None = None,
    width: int = MEASURE_WIDTH,
) -> Judgement:
    """Measure the run in ``run_dir`` against ``expect`` (a dict, or a dataclass with those fields).

    ``scene_ref`` is the mission's scene (library name, path relative to ``mission_dir``, or a
    Scene); without it camera.json's ``scene`` is used. Id maps are cast at ``min(photo width, width)``.
    """
    record, camera, rgb = read_run(run_dir)
    expect = _expect_dict(expect)
    scene = resolve_scene(scene_ref, mission_dir, record)
    frame = Frame.measure(scene, camera.with_width(min(camera.width, int(width))))
    ctx = Context(frame, camera, record, _choose_subjects(frame, expect))
    checks = {key: CHECKS[key](ctx, expected) for key, expected in expect.items()}

    aesthetic = aesthetic_score(rgb, exposure_key(_photo_time(record))).score
    visibility = None
    if ctx.subjects:
        t = expect.get("min_visible")
        t = DEFAULT_MIN_VISIBLE if t is None or is_any(t) or float(t) <= 0 else float(t)
        vis = [0.0 if it is None else frame.visible(it) for it in ctx.subjects.values()]
        visibility = float(np.mean([min(1.0, v / t) for v in vis]))
    return Judgement(
        checks=checks,
        success=all(c.passed for c in checks.values()),
        aesthetic=float(aesthetic),
        composite=composite_score(checks, float(aesthetic), visibility),
    )


def judge_mission(run_dir: str | Path, mission, width: int = MEASURE_WIDTH) -> Judgement:
    """:func:`judge` with a :class:`agentvision.bench.missions.Mission` (its ``expect``, ``scene`` and ``path``)."""
    path = getattr(mission, "path", None)
    return judge(run_dir, mission.expect, mission.scene, Path(path).parent if path else None, width=width)


__all__ = ["Judgement", "JudgeError", "composite_score", "judge", "judge_mission", "read_run", "resolve_scene"]
