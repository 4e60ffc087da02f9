"""``refine``: a short search from the last shot's camera moved as a follow-up asks.

The follow-up is read and applied by :mod:`agentvision.photoflow.builtin.followups`; this module
turns it into a :class:`~agentvision.photoflow.job.PhotoJob` with a fixed (changed) blueprint, a
start camera and a Reviewer that refuses candidates undoing the change, and the earlier follow-ups it
is given (``keep``), so that follow-ups compose: "lower", then "try 85mm", keeps the lower camera.

When the refined shot still breaks a hard rule, :func:`nearest_valid` finds, among the cameras the
search reviewed, the one closest to what was asked that breaks no rule but the change itself, and
:func:`reshoot` photographs it.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from pathlib import Path

from agentvision.camera import Camera, angle_of
from agentvision.photoflow.blueprint import Blueprint
from agentvision.photoflow.builtin import BuiltinDirector, BuiltinReviewer
from agentvision.photoflow.builtin.followups import (
    Change,
    ChangeKeeper,
    RefineError,
    change_checks,
    changed_blueprint,
    parse_change,
    start_camera,
)
from agentvision.photoflow.builtin.framing import SHOT_FILL
from agentvision.photoflow.casting import RoleModels
from agentvision.photoflow.job import PhotoJob, run
from agentvision.photoflow.loop import PhotoResult, Progress
from agentvision.photoflow.records import Direction
from agentvision.photoflow.search import Budget, SearchState
from agentvision.scene.lighting import apply_time_of_day
from agentvision.scene.model import Scene
from agentvision.scene.standpoint import height_above_ground

__all__ = ["Change", "Kept", "RefineError", "nearest_valid", "parse_change", "refine", "reshoot"]

Kept = tuple[Camera, Camera, Change]
"""An earlier follow-up to keep: the camera before it, the camera it gave, and the follow-up."""


class _Planned:
    """A Director whose plan is fixed (the changed blueprint); scouting and proposals are ``inner``'s."""

    def __init__(self, inner, blueprint: Blueprint) -> None:
        self.inner, self.blueprint = inner, blueprint

    def plan(self, intent: str, scene: Scene) -> Blueprint:
        return copy.deepcopy(self.blueprint)

    def scout(self, state: SearchState) -> None:
        self.inner.scout(state)

    def propose(self, state: SearchState, k: int):
        return self.inner.propose(state, k)


def refine(
    previous: PhotoResult,
    request: str | Change,
    scene: Scene | None = None,
    *,
    rounds: int = 2,
    candidates: int = 3,
    seed: int = 0,
    width: int | None = None,
    renderer: str = "raycast",
    final_renderer: str | None = None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    director=None,
    reviewer=None,
    reflector=None,
    keep: Sequence[Kept] = (),
) -> PhotoResult:
    """Refine ``previous`` (a PhotoResult with a photo) by a follow-up such as "lower the camera".

    ``keep``: earlier follow-ups whose effect must stay (each a hard ``keeps_change`` rule of its own),
    except where this follow-up changes the same thing (a "higher" after a "lower" drops the "lower").

    ``scene`` defaults to the scene the previous blueprint names. The search is ``rounds`` x
    ``candidates``, seeded with the previous camera after the change; the final photo is ``width``
    pixels wide (default: the previous photo's). Raises RefineError for a follow-up it cannot read
    or apply.
    """
    if previous.camera is None:
        raise RefineError("the last run has no photo to refine; ask for a new photo first")
    change = request if isinstance(request, Change) else parse_change(request)
    if scene is None:
        from agentvision.scene.library import load_scene

        scene = load_scene(previous.blueprint.scene)
    bp = changed_blueprint(previous.blueprint, change)
    if "shot_size" in change.fields and not any(d.kind in ("closer", "farther") for d in change.moves):
        factor = SHOT_FILL[previous.blueprint.shot_size] / SHOT_FILL[bp.shot_size]  # distance ratio
        kind = "closer" if factor < 1 else "farther"
        change = copy.deepcopy(change)
        change.moves.append(Direction(kind, abs(1 - factor), f"shot size {bp.shot_size}"))
    budget = Budget(rounds=rounds, candidates=candidates, final_width=width or previous.camera.width)
    state = SearchState.start(bp.intent, apply_time_of_day(scene, bp.time_of_day), bp, budget, seed)
    start, notes = start_camera(state, previous.camera, change)
    if any(d.kind in ("raise", "lower") for d in change.moves) and "angle" not in change.fields:
        # The new height is the angle now: the search keeps it instead of climbing back to the old one.
        bp.angle = angle_of(start.pitch_deg, height_above_ground(scene, start.position))
    checks = change_checks(state, previous.camera, start, change)
    keeper = ChangeKeeper(reviewer or BuiltinReviewer(), checks, change)
    changed = {name for name, _ in checks}
    for before, after, earlier in keep:
        still = [(name, fn) for name, fn in change_checks(state, before, after, earlier) if name not in changed]
        if still:
            keeper = ChangeKeeper(keeper, still, earlier)
    job = PhotoJob(
        bp.intent,
        scene,
        budget=budget,
        seed=seed,
        renderer=renderer,
        final_renderer=final_renderer,
        models=RoleModels(),  # the roles below are given; nothing is cast from a model spec
        director=_Planned(director or BuiltinDirector(), bp),
        reviewer=keeper,
        reflector=reflector,
        out_dir=out_dir,
        start=start,
    )
    result = run(job, progress)
    result.blueprint.notes += notes
    return result


def nearest_valid(result: PhotoResult) -> tuple[Camera, dict] | None:
    """Among the cameras ``result``'s search reviewed, the one nearest the start camera (position, then
    focal length) that breaks no hard rule but ``keeps_change``: the closest valid shot to what was asked.
    Returns (camera, its review event), or None when every reviewed camera breaks another rule."""
    cameras = {e["id"]: e["camera"] for e in result.trace if e.get("event") == "proposal"}
    start = next(
        (e["camera"] for e in result.trace if e.get("event") == "proposal" and e.get("origin") == "start"), None
    )
    best, best_key = None, None
    for e in result.trace:
        if e.get("event") != "review" or e.get("candidate_id") not in cameras:
            continue
        if any(c["hard"] and not c["passed"] and c["name"] != "keeps_change" for c in e.get("checks", [])):
            continue
        camera = Camera.parse(cameras[e["candidate_id"]])
        key = 0.0
        if start is not None:
            key = math.dist(camera.position, start["position"]) + abs(math.log(camera.focal_mm / start["focal_mm"]))
        if best_key is None or key < best_key:
            best, best_key = (camera, e), key
    return best


def reshoot(
    previous: PhotoResult,
    camera: Camera,
    scene: Scene | None = None,
    *,
    width: int | None = None,
    renderer: str = "raycast",
    out_dir: Path | None = None,
    progress: Progress | None = None,
) -> PhotoResult:
    """``previous``'s blueprint photographed from exactly ``camera``: one review and the final render."""
    if scene is None:
        from agentvision.scene.library import load_scene

        scene = load_scene(previous.blueprint.scene)
    bp = previous.blueprint
    job = PhotoJob(
        bp.intent,
        scene,
        budget=Budget(rounds=1, candidates=1, final_width=width or camera.width),
        renderer=renderer,
        models=RoleModels(),
        director=_Planned(BuiltinDirector(), bp),
        out_dir=out_dir,
        start=camera,
    )
    return run(job, progress)
