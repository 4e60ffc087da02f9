"""The PhotoFlow loop: blueprint -> scout -> rounds of propose / render / review / select /
reflect -> final render of the incumbent -> run folder. Roles are used only via their interfaces."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image

from agentvision.camera import Camera
from agentvision.errors import OutputError
from agentvision.photoflow.blueprint import Blueprint
from agentvision.photoflow.builtin.director import BuiltinDirector
from agentvision.photoflow.builtin.reflector import BuiltinReflector
from agentvision.photoflow.builtin.reviewer import BuiltinReviewer
from agentvision.photoflow.output import (
    clear_previous_run,
    contact_sheet,
    stand_in_photo,
    write_camera_json,
    write_report,
)
from agentvision.photoflow.records import RoundRecord, Shot
from agentvision.photoflow.roles import Director, Reflector, Reviewer
from agentvision.photoflow.search import Budget, SearchState
from agentvision.photoflow.seed import SeededPlan
from agentvision.photoflow.strategies import get_strategy
from agentvision.photoflow.trace import RunLog, TraceWriter, usage_by_role
from agentvision.render import RenderSettings, final_engine, get_renderer
from agentvision.scene.lighting import apply_time_of_day, normalise_time
from agentvision.scene.model import Scene
from agentvision.stopping import is_interruption, termination_requested

Progress = Callable[[str, dict], None]
MODEL_EVENTS = ("model_call", "agent_step", "fallback")  # passed on to ``progress`` as "model" events


@dataclass
class PhotoResult:
    """What a run produced."""

    photo: Image.Image | None
    camera: Camera | None
    blueprint: Blueprint
    scores: dict | None  # the incumbent's review
    run_dir: Path | None
    trace: list[dict]
    strategy: str
    renders: int
    timings: dict[str, float] = field(default_factory=dict)
    interrupted: bool = False

    def to_dict(self) -> dict:
        return {
            "photo": str(self.run_dir / "photo.png") if self.run_dir and self.photo else None,
            "camera": self.camera.to_dict() if self.camera else None,
            "blueprint": self.blueprint.to_dict(),
            "scores": self.scores,
            "run_dir": str(self.run_dir) if self.run_dir else None,
            "strategy": self.strategy,
            "renders": self.renders,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "interrupted": self.interrupted,
        }


def run_photoflow(
    intent: str,
    scene: Scene,
    *,
    scene_ref: str | None = None,
    time_of_day: str | None = None,
    budget: Budget | None = None,
    strategy: str = "photoflow",
    seed: int = 0,
    director: Director | None = None,
    reviewer: Reviewer | None = None,
    reflector: Reflector | None = None,
    renderer: str = "raycast",
    final_renderer: str | None = None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    models: dict[str, str] | None = None,
    start: Camera | None = None,
) -> PhotoResult:
    """Search camera states for ``intent`` in ``scene`` and render the best one at final quality.

    ``time_of_day`` overrides the time the intent asks for. ``renderer`` makes the previews,
    ``final_renderer`` (default: the same) the photo. ``out_dir`` (created) receives the run
    folder files; None keeps everything in memory. Ctrl-C stops the search: the incumbent so far
    is rendered and saved, and the result says ``interrupted``. ``models`` (role -> model spec) is
    recorded in the trace and camera.json; it does not choose the roles (pass them). ``start`` seeds
    round 0 with that camera and a few small neighbours and keeps the search around it (see
    ``photoflow/seed.py``).
    """
    budget = budget or Budget()
    plan = get_strategy(strategy)
    if start is not None:
        plan = SeededPlan(plan, start)
    director = director or BuiltinDirector()
    reviewer = reviewer or BuiltinReviewer()
    reflector = reflector or BuiltinReflector()
    # A role that judges the previews by eye (a VLM) needs them rendered at least its width.
    wanted = max(getattr(role, "preview_width", 0) for role in (director, reviewer, reflector))
    if budget.preview_width < wanted:
        budget = replace(budget, preview_width=wanted)
    engine = get_renderer(renderer)
    finisher, fallback = (engine, None) if final_renderer in (None, renderer) else final_engine(final_renderer)
    notify = progress or (lambda event, data: None)
    timings = {
        "blueprint": 0.0,
        "scout": 0.0,
        "proposals": 0.0,
        "renders": 0.0,
        "reviews": 0.0,
        "reflection": 0.0,
        "final_render": 0.0,
    }
    # Roles that talk to a model write their exchanges into the run's trace and folder.
    trace = TraceWriter()
    trace.listeners.append(lambda e: e["event"] in MODEL_EVENTS and notify("model", e))
    run = RunLog(trace, out_dir)
    for role in (director, reviewer, reflector):
        if hasattr(role, "bind"):
            role.bind(run)
    # Read the intent first: an intent that names nothing in the scene fails before any folder exists.
    t = time.perf_counter()
    blueprint = director.plan(intent, scene)
    if time_of_day is not None:
        blueprint.time_of_day = normalise_time(time_of_day)
    lit = apply_time_of_day(scene, blueprint.time_of_day)
    timings["blueprint"] = time.perf_counter() - t
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            clear_previous_run(out_dir)  # a reused --out holds this run only
            (out_dir / "rounds").mkdir()
        except OSError as exc:
            why = exc.strerror or exc
            raise OutputError(f"cannot write the run folder {out_dir}: {why}; choose another --out") from None
        trace.attach(out_dir / "trace.jsonl")
    models = models or {"director": "builtin", "reviewer": "builtin", "reflector": "builtin"}
    trace.emit("blueprint", blueprint=blueprint.to_dict(), seconds=timings["blueprint"], models=models)
    if fallback:
        trace.emit("note", note=fallback)
        notify("note", {"note": fallback})
    notify("blueprint", {"blueprint": blueprint})

    state = SearchState.start(intent, lit, blueprint, budget, seed)
    interrupted = False
    try:
        t = time.perf_counter()
        director.scout(state)
        timings["scout"] = time.perf_counter() - t
        trace.emit("scout", anchors=len(state.anchors), seconds=timings["scout"])
        if out_dir is not None:
            for name, image in state.scout.items():
                image.save(out_dir / "rounds" / f"scout-{name}.png")
        notify("scout", {"anchors": len(state.anchors)})
        schedule = plan.schedule(budget)
        for index, k in enumerate(schedule):
            state.round = index
            _round(
                state, plan, director, reviewer, reflector, engine, k, timings, trace, out_dir, notify, len(schedule)
            )
    except (KeyboardInterrupt, Exception) as exc:  # Ctrl-C, or SIGTERM (the command line turns it into this)
        if not is_interruption(exc):
            raise
        interrupted = True
        trace.emit("interrupted", round=state.round)
    return _finish(
        state,
        finisher,
        plan.name,
        timings,
        trace,
        out_dir,
        scene_ref or scene.source or scene.name,
        interrupted,
        notify,
        models,
    )


def _round(state, plan, director, reviewer, reflector, engine, k, timings, trace, out_dir, notify, total_rounds):
    t = time.perf_counter()
    candidates = plan.propose(state, director, k)
    if state.blueprint.upright:  # every strategy's and model's cameras: verticals stay vertical
        for c in candidates:
            c.camera = c.camera.replace(upright=True)
    timings["proposals"] += time.perf_counter() - t
    for c in candidates:
        trace.emit("proposal", round=state.round, id=c.id, origin=c.origin, note=c.note, camera=c.camera.to_dict())
    renders = []
    for c in candidates:
        t = time.perf_counter()
        renders.append(engine.render(state.scene, c.camera, RenderSettings.preview()))
        dt = time.perf_counter() - t
        timings["renders"] += dt
        trace.emit("render", round=state.round, id=c.id, seconds=dt, width=c.camera.width)
    t = time.perf_counter()
    reviews = reviewer.review(state, list(zip(candidates, renders, strict=True)))
    timings["reviews"] += time.perf_counter() - t
    shots = [Shot(c, r, v) for c, r, v in zip(candidates, renders, reviews, strict=True)]

    # Pairwise incumbent selection: the round's best challenges the incumbent head to head. It is made before the
    # reviews are told, so a stop from the first "review" event on keeps the round's best (a Ctrl-C between the
    # reviews and the selection had left round 0 with no photo to write).
    comparison = None
    if shots:
        best = max(shots, key=lambda s: (-s.review.broken, s.review.total))
        t = time.perf_counter()
        if state.incumbent is None:
            state.incumbent, changed = best, True
        else:
            comparison = reviewer.compare(state, state.incumbent, best)
            changed = comparison.winner == "challenger"
            if changed:
                state.incumbent = best
        timings["reviews"] += time.perf_counter() - t
        state.stale_rounds = 0 if changed else state.stale_rounds + 1
    for s in shots:
        trace.emit("review", round=state.round, **s.review.to_dict())
    if shots:
        trace.emit(
            "selection",
            round=state.round,
            challenger=best.candidate.id,
            incumbent=state.incumbent.candidate.id,
            changed=changed,
            reason=comparison.reason if comparison else "first incumbent",
        )
    record = RoundRecord(
        state.round, shots, state.incumbent.candidate.id if state.incumbent else None, comparison, None
    )
    state.rounds.append(record)
    if plan.reflect and state.round < total_rounds - 1:
        t = time.perf_counter()
        state.reflection = record.reflection = reflector.reflect(state, record)
        timings["reflection"] += time.perf_counter() - t
        trace.emit("reflection", round=state.round, **state.reflection.to_dict())
    if out_dir is not None and shots:
        title = f"round {state.round + 1}/{total_rounds}: {state.intent}"
        contact_sheet(record, title).save(out_dir / "rounds" / f"round-{state.round:02d}.png")
    notify("round", {"round": state.round, "rounds": total_rounds, "record": record, "incumbent": state.incumbent})


TERMINATED = "the run was terminated before the final render"


FOCUS_SEEN = 0.002  # share of the frame the subject must cover for the final to focus on its pixels


def final_settings(state: SearchState, camera: Camera, preview=None) -> RenderSettings:
    """Final quality, focused on the subject: the median depth of its pixels in ``preview`` (the camera's preview
    render), else, where the subject is hardly seen, of the frame's middle third (a lamp post beside the camera had
    been the focus, and the whole photo was a blur); without a preview, its centre's distance along the axis."""
    distance = float((state.subject.centre - np.asarray(camera.position)) @ camera.forward)
    if preview is not None:
        depth = np.where(np.isfinite(preview.depth), preview.depth, np.nan)
        own = np.isin(preview.ids, [state.scene.index(n) for n in state.subject.names])
        h, w = depth.shape
        seen = depth[own] if own.mean() >= FOCUS_SEEN else depth[h // 3 : 2 * h // 3, w // 3 : 2 * w // 3]
        if np.isfinite(seen).any():
            distance = float(np.nanmedian(seen))
    return replace(RenderSettings.final(), focus_distance=max(0.3, distance))


def _finish(state, engine, strategy, timings, trace, out_dir, scene_ref, interrupted, notify, models) -> PhotoResult:
    bp, inc = state.blueprint, state.incumbent
    photo = camera = stand_in = failure = None
    if inc is not None:
        camera = inc.candidate.camera.with_width(state.budget.final_width)
        notify("final", {"camera": camera})
        t = time.perf_counter()
        if termination_requested():  # SIGTERM asks for the end now: the final render is not started
            interrupted, stand_in = True, TERMINATED
        else:
            try:
                photo = engine.render(state.scene, camera, final_settings(state, camera, inc.render)).image()
            except (KeyboardInterrupt, Exception) as exc:  # stopped or failed: the best so far is still written
                stopped = is_interruption(exc)
                interrupted = interrupted or stopped
                failure = None if stopped else exc
                stand_in = "the final render was stopped" if stopped else f"the final render failed ({exc})"
        if stand_in is not None:
            photo = stand_in_photo(inc.render.image(), camera.width, camera.height, stand_in)
            trace.emit("final_render_stopped", id=inc.candidate.id, reason=stand_in)
        timings["final_render"] = time.perf_counter() - t
        trace.emit("final_render", id=inc.candidate.id, seconds=timings["final_render"], width=camera.width)
    renders = sum(len(r.shots) for r in state.rounds)
    scores = inc.review.to_dict() if inc else None
    timings["total"] = time.perf_counter() - trace.start
    if out_dir is not None:
        if photo is not None:
            photo.save(out_dir / "photo.png")
            write_camera_json(
                out_dir / "camera.json",
                {
                    "camera": camera.to_dict(),
                    "scene": scene_ref,
                    "time_of_day": bp.time_of_day,
                    "blueprint": bp.to_dict(),
                    "scores": scores,
                    "intent": state.intent,
                    "strategy": strategy,
                    "models": models,
                    "seed": state.seed,
                    "renders": renders,
                    "photo": f"the incumbent's preview, enlarged: {stand_in}" if stand_in else "final render",
                },
            )
        rounds = [
            {
                "round": r.index,
                "candidates": len(r.shots),
                "best": max(s.review.total for s in r.shots),
                "incumbent": r.incumbent_id,
                "incumbent_total": next(
                    (s.review.total for s in state.all_shots() if s.candidate.id == r.incumbent_id), 0.0
                ),
                "reflection": r.reflection.summary if r.reflection else "",
            }
            for r in state.rounds
            if r.shots
        ]
        summary = {
            "intent": state.intent,
            "scene": scene_ref,
            "time_of_day": bp.time_of_day,
            "strategy": strategy,
            "seed": state.seed,
            "renders": renders,
            "blueprint": bp.to_dict(),
            "scores": scores,
            "timings": timings,
            "interrupted": interrupted,
            "photo": photo is not None,
            "stand_in": stand_in,
            "models": usage_by_role(trace.events),
        }
        write_report(out_dir / "report.md", summary, rounds)
    trace.emit("done", renders=renders, interrupted=interrupted, timings=timings)
    trace.close()
    if failure is not None:  # written first; now the failure is reported
        raise failure
    return PhotoResult(photo, camera, bp, scores, out_dir, trace.events, strategy, renders, timings, interrupted)
