"""Scoring a given camera for an intent in a scene, as the search's Reviewer would score it as a candidate.

``score_camera`` plans the blueprint (the built-in Director's reading of the intent), renders the camera at
the search's preview width and reviews it; ``score_run`` does the same for a run folder's camera.json. Users
score their own cameras with it, and the rated photo set is re-scored with it after every change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agentvision.camera import Camera
from agentvision.errors import InputError
from agentvision.photoflow.builtin import BuiltinDirector, BuiltinReviewer
from agentvision.photoflow.builtin.anchors import anchor_bank
from agentvision.photoflow.builtin.reviewer import features
from agentvision.photoflow.records import Candidate, Review, editor_estimate
from agentvision.photoflow.search import Budget, SearchState
from agentvision.render import RenderSettings, get_renderer
from agentvision.scene.lighting import apply_time_of_day, normalise_time


@dataclass
class CameraScore:
    """A camera's review for an intent, with the blueprint it was judged against and its score features."""

    review: Review
    blueprint: dict
    features: dict

    @property
    def total(self) -> float:
        return self.review.total

    @property
    def valid(self) -> bool:
        return self.review.valid

    def to_dict(self) -> dict:
        broken = [c.to_dict() for c in self.review.checks if c.hard and not c.passed]
        return {
            "total": round(self.total, 3),
            "editor_estimate": round(editor_estimate(self.total), 1),
            "valid": self.valid,
            "broken_rules": broken,
            "scores": {k: round(v, 3) for k, v in self.review.scores.items()},
            "reasons": self.review.reasons,
            "checks": [c.to_dict() for c in self.review.checks],
            "features": {a: {k: round(float(v), 4) for k, v in fs.items()} for a, fs in self.features.items()},
            "facts": self.review.facts,
            "blueprint": self.blueprint,
        }


def score_camera(
    intent: str,
    scene,
    camera: Camera | dict | str,
    *,
    time_of_day: str | None = None,
    renderer: str = "raycast",
    preview_width: int | None = None,
) -> CameraScore:
    """Review ``camera`` (a Camera, its dict or JSON text) for ``intent`` in ``scene`` (a name, file or Scene).

    ``time_of_day`` overrides the intent's; the camera is rendered ``preview_width`` pixels wide (default: the
    search's preview width) with ``renderer``, as a search's candidate would be."""
    from agentvision.photoflow.job import resolve_scene

    cam = Camera.parse(camera)
    loaded, _, _ = resolve_scene(scene, intent)
    blueprint = BuiltinDirector().plan(intent, loaded)
    if time_of_day is not None:
        blueprint.time_of_day = normalise_time(time_of_day)
    lit = apply_time_of_day(loaded, blueprint.time_of_day)
    budget = Budget(rounds=1, candidates=1)
    state = SearchState.start(intent, lit, blueprint, budget, seed=0)
    if blueprint.facing:  # how far off the way asked a camera may face, as the search found it (no room that way)
        anchor_bank(state)
    preview = cam.with_width(preview_width or budget.preview_width)
    result = get_renderer(renderer).render(lit, preview, RenderSettings.preview())
    candidate = Candidate("given", 0, preview, "given", "the camera given to score")
    review = BuiltinReviewer().review_one(state, candidate, result)
    return CameraScore(review, blueprint.to_dict(), features(state, review.facts))


def score_run(run_dir: str | Path, **options) -> CameraScore:
    """Score a run folder's camera for its intent, scene and time of day (from its camera.json)."""
    path = Path(run_dir) / "camera.json"
    if not path.is_file():
        raise InputError(f"{path} is missing: give a run folder written by agentvision photo")
    try:
        record = json.loads(path.read_text())
    except (json.JSONDecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON ({type(exc).__name__})") from None
    missing = [k for k in ("intent", "scene", "camera") if not record.get(k)]
    if missing:
        raise InputError(f"{path} lacks {', '.join(missing)}; score the camera with --camera, --scene, --intent")
    options.setdefault("time_of_day", record.get("time_of_day"))
    return score_camera(record["intent"], record["scene"], record["camera"], **options)
