"""The Python API behind ``import agentvision as av``: one call per job, the CLI's options as keywords."""

from __future__ import annotations

from pathlib import Path

from agentvision.photoflow.loop import PhotoResult, Progress
from agentvision.render.base import RenderResult
from agentvision.scene.model import Scene


def photo(
    intent: str,
    scene: str | Path | Scene | None = None,
    *,
    rounds: int = 6,
    candidates: int = 4,
    strategy: str = "photoflow",
    seed: int = 0,
    time_of_day: str | None = None,
    width: int = 1920,
    preview_width: int = 320,
    renderer: str = "raycast",
    final_renderer: str | None = "path",
    out_dir: str | Path | None = None,
    model: str | None = None,
    director_model: str | None = None,
    reviewer_model: str | None = None,
    reflector_model: str | None = None,
    director=None,
    reviewer=None,
    reflector=None,
    api_base: str | None = None,
    model_options: dict | None = None,
    progress: Progress | None = None,
) -> PhotoResult:
    """Photograph ``intent`` in ``scene`` with the PhotoFlow loop; returns a PhotoResult.

    ``scene``: a library name ("staircase"), a scene file (glTF/GLB, OBJ, PLY, STL), a Scene, or
    None to infer it from the intent. The options are the CLI's (``agentvision photo --help``):
    ``rounds`` x ``candidates`` preview renders, ``strategy`` (photoflow, random, one-shot,
    anchor-bank, single-chain), ``seed``, ``time_of_day`` (overrides the intent's), ``width`` of the
    final photo, ``renderer`` (raycast or gl) for the previews and ``final_renderer`` for the photo
    (default path, physically based; raycast where Mitsuba cannot run, with a note in the trace).
    ``out_dir`` receives the run folder (photo.png, camera.json, rounds/, trace.jsonl, report.md);
    None keeps everything in memory.
    ``model`` (default $AGENTVISION_MODEL, else "builtin") and ``director_model``/``reviewer_model``/
    ``reflector_model`` choose each role's model: "builtin", "openai:MODEL_ID" (with ``api_base`` or
    $AGENTVISION_API_BASE; the key from $AGENTVISION_API_KEY or $OPENAI_API_KEY) or
    "transformers:PATH_OR_ID"; ``model_options`` are ModelOptions fields (max_images, max_image_side,
    timeout_s...). A served model is health-checked first (ModelUnavailable says what is wrong).
    ``director``/``reviewer``/``reflector``: your own role objects (see ``av.Director``...) win over
    the specs. ``progress(event, data)`` is called as the search runs.

    >>> result = av.photo("the fountain at golden hour", rounds=2, candidates=2, width=640)
    >>> result.photo.save("fountain.png"); result.camera.focal_mm, result.scores["total"]
    """
    from agentvision.models import ModelOptions
    from agentvision.photoflow.casting import RoleModels
    from agentvision.photoflow.job import PhotoJob, run
    from agentvision.photoflow.search import Budget

    job = PhotoJob(
        intent,
        scene,
        time_of_day=time_of_day,
        budget=Budget(rounds=rounds, candidates=candidates, preview_width=preview_width, final_width=width),
        strategy=strategy,
        seed=seed,
        renderer=renderer,
        final_renderer=final_renderer,
        models=RoleModels.resolve(model, director_model, reviewer_model, reflector_model),
        model_options=ModelOptions.from_env(api_base=api_base, **(model_options or {})),
        director=director,
        reviewer=reviewer,
        reflector=reflector,
        out_dir=Path(out_dir) if out_dir is not None else None,
    )
    return run(job, progress)


def render(scene, camera=None, **options) -> RenderResult:
    """Render a scene: see :func:`agentvision.render.views.render_view` (``av.render`` is the same call)."""
    from agentvision.render.views import render_view

    return render_view(scene, camera, **options)


def load_scene(name_or_path: str | Path, time_of_day: str | None = None) -> Scene:
    """A library scene by name ("staircase", "living_room", "courtyard", "gallery") or a scene file,
    lit for ``time_of_day`` (dawn, morning, noon, afternoon, golden_hour, dusk, blue_hour, night) when given."""
    from agentvision.scene.library import load_scene as load

    return load(name_or_path, time_of_day)


def score(intent: str, scene, camera, *, time_of_day: str | None = None):
    """The built-in Reviewer's score of ``camera`` (a Camera, its dict or JSON) for ``intent`` in ``scene``:
    a CameraScore with ``.total`` (0..10), ``.valid`` (no hard rule broken), ``.review`` and ``.to_dict()``."""
    from agentvision.photoflow.scoring import score_camera

    return score_camera(intent, scene, camera, time_of_day=time_of_day)
