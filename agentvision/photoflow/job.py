"""One photo job, one way to run it.

A :class:`PhotoJob` says everything about a photo request: the intent, the scene (or None, to infer
it from the intent), the time of day, the budget, the strategy and seed, the renderers, who plays
each role (model specs, or role objects) and where the run folder goes. :func:`run` resolves the
scene (reading the intent against the library's catalogs, so no scene is built to infer it), loads
it once, casts the roles (served models are health-checked first), checks that the output folder
can be written, runs the PhotoFlow loop and returns its :class:`~agentvision.photoflow.loop.PhotoResult`.

Every entry point builds a job and calls :func:`run`: the CLI, ``av.photo``, chat, the ``photoflow``
tool, follow-up refinements and the bench.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from agentvision.camera import Camera
from agentvision.errors import InputError, OutputError
from agentvision.photoflow.casting import RoleModels, Roles, roles_for
from agentvision.photoflow.loop import PhotoResult, Progress, run_photoflow
from agentvision.photoflow.search import Budget
from agentvision.scene.model import Scene


@dataclass(frozen=True)
class PhotoJob:
    """A photo request with every option; see :func:`run`."""

    intent: str
    scene: str | Path | Scene | None = None  # library name, scene file, a Scene, or None: inferred from the intent
    time_of_day: str | None = None  # overrides the intent's
    budget: Budget = field(default_factory=Budget)
    strategy: str = "photoflow"
    seed: int = 0
    renderer: str = "raycast"  # the previews' engine
    final_renderer: str | None = None  # the photo's engine (None: the previews')
    models: RoleModels | None = None  # a model spec per role (None: $AGENTVISION_MODEL, else builtin)
    model_options: object | None = None  # agentvision.models.ModelOptions for served or local models
    prompts_dir: Path | None = None  # prompt overrides for the VLM roles
    director: object | None = None  # role objects win over the specs
    reviewer: object | None = None
    reflector: object | None = None
    out_dir: Path | None = None  # the run folder (None: everything stays in memory)
    start: Camera | None = None  # seed round 0 with this camera and its neighbours (follow-ups)

    def with_(self, **changes) -> PhotoJob:
        """A copy with some fields changed."""
        return replace(self, **changes)


def resolve_scene(scene: str | Path | Scene | None, intent: str) -> tuple[Scene, str, bool]:
    """(Scene, reference, inferred) for a library name, a file, a Scene, or None (inferred from the intent)."""
    from agentvision.scene.library import load_scene

    if isinstance(scene, Scene):
        return scene, scene.source or scene.name, False
    if scene is None or not str(scene).strip():
        from agentvision.photoflow.builtin.scene_inference import infer_scene

        name = infer_scene(intent)
        return load_scene(name), name, True
    return load_scene(scene), str(scene), False


def cast_roles(job: PhotoJob, notify: Progress) -> tuple[Roles, RoleModels]:
    """The three role objects of ``job``: those given win; the others come from the model specs,
    served models health-checked first (ModelUnavailable says what is wrong before anything runs)."""
    from agentvision.models import ModelOptions, check_health

    models = job.models or RoleModels.resolve()
    if models.all_builtin:
        return Roles(job.director, job.reviewer, job.reflector), models
    options = job.model_options or ModelOptions.from_env()
    for spec in models.distinct():
        notify("model_check", {"spec": spec, "status": check_health(spec, options)})
    made = roles_for(models, options, prompts_dir=job.prompts_dir, check=False)
    return (
        Roles(job.director or made.director, job.reviewer or made.reviewer, job.reflector or made.reflector),
        models,
    )


def check_writable(folder: Path, what: str = "the run folder", option: str = "--out") -> None:
    """OutputError unless ``folder`` is, or can be made, a writable folder (nothing is created here);
    the message names it as ``what`` and says to change ``option``."""
    folder = Path(folder)
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        kind = "is a file" if probe == folder else f"is under {probe}, which is a file"
        raise OutputError(f"cannot write {what} {folder}: it {kind}; choose another {option}")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {what} {folder}: {probe} is not writable; choose another {option}")


def run(job: PhotoJob, progress: Progress | None = None) -> PhotoResult:
    """Run ``job``: resolve and load its scene, cast its roles, search, render and write the run folder.

    ``progress(event, data)`` hears "scene" ({ref, inferred}), "model_check" ({spec, status}) and then
    the loop's events (blueprint, scout, round, model, final).
    """
    notify = progress or (lambda event, data: None)
    if isinstance(job.seed, bool) or not isinstance(job.seed, int) or job.seed < 0:
        raise InputError(f"seed must be a whole number >= 0, got {job.seed!r}")
    if not job.intent or not job.intent.strip():
        from agentvision.photoflow.builtin.words import IntentError

        raise IntentError("the intent is empty: say what to photograph, e.g. 'shoot the staircase at dusk'")
    scene, ref, inferred = resolve_scene(job.scene, job.intent)
    notify("scene", {"ref": ref, "inferred": inferred})
    if job.out_dir is not None:
        check_writable(job.out_dir)
    roles, models = cast_roles(job, notify)
    return run_photoflow(
        job.intent,
        scene,
        scene_ref=ref,
        time_of_day=job.time_of_day,
        budget=job.budget,
        strategy=job.strategy,
        seed=job.seed,
        director=roles.director,
        reviewer=roles.reviewer,
        reflector=roles.reflector,
        renderer=job.renderer,
        final_renderer=job.final_renderer,
        out_dir=Path(job.out_dir) if job.out_dir is not None else None,
        progress=notify,
        models=models.to_dict(),
        start=job.start,
    )
