"""``refine``: a short search from the last shot's camera moved as a follow-up asks.

The follow-up is read and applied by :mod:`agentvision.photoflow.builtin.followups`; this module
turns it into a :class:`~agentvision.photoflow.job.PhotoJob` with a fixed (changed) blueprint, a
start camera and a Reviewer that refuses candidates undoing the change.
"""

from __future__ import annotations

import copy
from pathlib import Path

from agentvision.camera import angle_of
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

__all__ = ["Change", "RefineError", "parse_change", "refine"]


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
) -> PhotoResult:
    """Refine ``previous`` (a PhotoResult with a photo) by a follow-up such as "lower the camera".

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
    job = PhotoJob(
        bp.intent,
        scene,
        budget=budget,
        seed=seed,
        renderer=renderer,
        final_renderer=final_renderer,
        models=RoleModels(),  # the roles below are given; nothing is cast from a model spec
        director=_Planned(director or BuiltinDirector(), bp),
        reviewer=ChangeKeeper(reviewer or BuiltinReviewer(), checks, change),
        reflector=reflector,
        out_dir=out_dir,
        start=start,
    )
    result = run(job, progress)
    result.blueprint.notes += notes
    return result
