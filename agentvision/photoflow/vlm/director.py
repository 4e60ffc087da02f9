"""The VLM Director: a smolagents CodeAgent with scene tools that writes code producing the blueprint
and each round's cameras as structured data.

Its system prompt is ours (agents/director.yaml): smolagents' code-step format, our tools, every field's
allowed values, no examples written for notional tools. Each task (the plan, then one per round) starts a
fresh memory and carries what the search learned: the incumbent's camera, facts, free space and the moves it
allows, last round's candidates, the Reflector's moves, and anchors aimed at the subject, renewed each round
and drawn on a plan under the same labels. Images: the incumbent (pinned, so the client never trims it), last
round's other candidates (each large enough to judge), and the plan. The agent calls the catalog's scene tools
(scene_objects, top_down_map, render_view, check_camera) whose images reach it at its next step.
Its answers are checked before they are accepted: a blueprint must name scene objects and allowed
values; each camera must parse as camera JSON and stand in free space. A failed check goes back to the
agent as an error; an agent that gives no usable answer within its steps leaves the round to the
built-in Director, and the trace records the fallback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

import agentvision.photoflow.vlm.facts as facts
import agentvision.photoflow.vlm.views as views
from agentvision.camera import ASPECTS, MAX_SHIFT, Camera, CameraError
from agentvision.models.health import ModelUnavailable
from agentvision.photoflow.blueprint import (
    ANGLES,
    DEPTHS,
    FACINGS,
    LENS_CLASSES,
    MAX_DISTANCE,
    MAX_HEIGHT,
    MAX_PITCH,
    MIN_DISTANCE,
    MIN_HEIGHT,
    PLACEMENTS,
    PLAN_TOPS,
    SHOT_SIZES,
    SUBJECT_PARTS,
    VANTAGES,
    VIEWPOINT_PARTS,
    Blueprint,
)
from agentvision.photoflow.builtin.anchors import PITCH_BANDS, compose, tilt_into_band, valid_positions
from agentvision.photoflow.builtin.director import BuiltinDirector
from agentvision.photoflow.builtin.framing import MAX_FOCAL, MIN_FOCAL, aim
from agentvision.photoflow.builtin.intent import IntentError
from agentvision.photoflow.builtin.photo_words import MOODS
from agentvision.photoflow.builtin.review_facts import BACKGROUND_ROOM
from agentvision.photoflow.records import Candidate, Direction
from agentvision.photoflow.search import SearchState
from agentvision.photoflow.trace import RunLog, TraceWriter
from agentvision.photoflow.vlm.exchange import reply_text
from agentvision.photoflow.vlm.facts import compact
from agentvision.photoflow.vlm.prompts import fill, load_prompts
from agentvision.photoflow.vlm.reflector import moves_text
from agentvision.render import RenderSettings, render_scene
from agentvision.scene.lighting import TIMES
from agentvision.scene.model import Scene
from agentvision.scene.standpoint import CLEARANCE, MIN_CLEARANCE, standpoint
from agentvision.vision.composition import CENTROID_CONVENTION, PLACEMENT_POINT

DIRECTOR_TOOLS = ("scene_objects", "top_down_map", "render_view", "check_camera", "aim_camera")
MOOD_NAMES = tuple(dict.fromkeys(["natural", *MOODS.values()]))
BLUEPRINT_CHOICES = {
    "shot_size": SHOT_SIZES,
    "angle": ANGLES,
    "placement": PLACEMENTS,
    "lens": LENS_CLASSES,
    "depth_of_field": DEPTHS,
    "mood": MOOD_NAMES,
    "time_of_day": TIMES,
    "vantage": (*VANTAGES, None),
    "viewpoint_part": (*VIEWPOINT_PARTS, None),
    "facing": (*FACINGS, None),
    "plan_top": (*PLAN_TOPS, None),
    "subject_part": (*SUBJECT_PARTS, None),
}
OBJECT_FIELDS = ("subjects", "context", "background", "avoid")
OBJECT_FIELD = ("through", "foreground", "viewpoint")  # one object name or None
TRIED_NEAR = 0.5  # metres: an anchor this near a rendered camera counts as tried


def system_values() -> dict:
    """The values the Director's system prompt states, from the code that checks them."""
    shot = ", ".join(f"{k} {v}" for k, v in facts.thresholds()["target_fill"].items())
    shot += f" ({BACKGROUND_ROOM:g} times that with a background, which shows around the subject)"
    spots = ", ".join(f"{k} ({x:.2f}, {y:.2f})" for k, (x, y) in PLACEMENT_POINT.items())
    return {
        "min_clearance": f"{MIN_CLEARANCE:.2f}",
        "clearance": f"{CLEARANCE:.2f}",
        "focal_range": f"{MIN_FOCAL:g} to {MAX_FOCAL:g}",
        "aspects": list(ASPECTS),
        "vantages": "front (straight on), three_quarter (45 degrees off its front), raking (along its length from "
        "near one end, about 70 degrees off its front), back (behind it), side (in "
        "profile), across (from the far side of the space), corner (from a corner of the room)",
        "viewpoint_parts": list(VIEWPOINT_PARTS),
        "facings": list(FACINGS),
        "shot_sizes": shot,
        "angles": list(ANGLES),
        "placements": spots,
        "lenses": list(LENS_CLASSES),
        "depths": list(DEPTHS),
        "moods": list(MOOD_NAMES),
        "times": list(TIMES),
        "centroid": CENTROID_CONVENTION,
        "angle_rule": facts.ANGLE_RULE,
        "max_shift": MAX_SHIFT,
        "placement_rule": facts.PLACEMENT_RULE,
    }


class VLMDirector:
    """Plans and proposes through a CodeAgent; the built-in Director scouts and fills in on failure."""

    preview_width = views.PREVIEW_WIDTH  # the previews it judges are rendered at least this wide

    def __init__(
        self,
        model,
        *,
        prompts_dir=None,
        fallback: BuiltinDirector | None = None,
        max_steps: int = 6,
        keep_images: int = 3,
        anchors_shown: int = 8,
        limits=None,
    ):
        self.model = model
        self.fallback = fallback or BuiltinDirector()
        self.prompts = load_prompts("director", prompts_dir)
        self.max_steps = max_steps
        self.keep_images = keep_images
        self.anchors_shown = anchors_shown
        self.limits = limits  # the sandbox's SandboxLimits for the agent's code (None: the defaults)
        self.run = RunLog(TraceWriter())
        self.agent = None
        self._context = None
        self._purpose = ""
        self.down: str | None = None  # why the model stopped answering; later rounds go to the built-in role
        self._sandbox_traced = False

    def bind(self, run: RunLog) -> None:
        self.run = run

    # ----- the agent -------------------------------------------------------------------------
    def _agent_for(self, scene: Scene, preview_width: int):
        """The run's CodeAgent, made once; later calls rebind its tools to ``scene`` (lit for the search)."""
        from agentvision.codeagent import make_agent
        from agentvision.toolcontext import ToolContext

        if self.agent is None:
            folder = self.run.out_dir / "exchanges" if self.run.out_dir else Path(tempfile.mkdtemp(prefix="av-"))
            self._context = ToolContext(scene=scene, out_dir=folder, preview_width=preview_width)
            self.agent = make_agent(
                self.model,
                list(DIRECTOR_TOOLS),
                context=self._context,
                keep_images=self.keep_images,
                max_steps=self.max_steps,
                limits=self.limits,
                step_callbacks=[self._record_step],
                verbosity_level=-1,
            )
            self.agent.prompt_templates["system_prompt"] = self.system_prompt()
        self._context.scene = scene
        self._context.preview_width = preview_width
        return self.agent

    def system_prompt(self) -> str:
        """The agent's system prompt: ours, in smolagents' code-step format, with its tools' signatures."""
        agent = self.agent
        text = fill(
            self.prompts["system_prompt"],
            tools=agent.tools,
            authorized_imports=", ".join(agent.authorized_imports),
            code_block_opening_tag=agent.code_block_tags[0],
            code_block_closing_tag=agent.code_block_tags[1],
            **system_values(),
        )
        return "{% raw %}" + text + "{% endraw %}"  # smolagents renders it again: nothing in it is a template

    def _ask(self, purpose: str, task: str, images: list, check) -> object | None:
        """Run the agent on ``task`` with a fresh memory (the task carries what earlier rounds learned); the
        checked answer, or None (recorded) when it gives none."""
        if self.down is not None:
            self.run.trace.emit("fallback", role="director", purpose=purpose, reason=f"model unavailable: {self.down}")
            return None
        refs = [self.run.save_image(f"director-{purpose}-{i}", im) for i, im in enumerate(images)]
        self.run.trace.emit("agent_task", role="director", purpose=purpose, prompt=task, images=refs)
        self._purpose = purpose
        self.agent.final_answer_checks = [check]
        try:
            answer = self.agent.run(task, reset=True, images=images or None)
            self._trace_sandbox()
            return check.convert(answer)
        except Exception as e:  # no usable answer within its steps, or the model/server failed
            self._trace_sandbox()
            self.run.trace.emit("fallback", role="director", purpose=purpose, reason=f"{type(e).__name__}: {e}")
            if isinstance(e.__cause__, ModelUnavailable) or isinstance(e, ModelUnavailable):
                self.down = str(e.__cause__ or e)
            return None

    def _trace_sandbox(self) -> None:
        """Once per run: what confined the agent's code (the sandbox's report), for the trace."""
        confinement = getattr(self.agent.python_executor, "confinement", None)
        if confinement and not self._sandbox_traced:
            self._sandbox_traced = True
            self.run.trace.emit("sandbox", role="director", **confinement)

    def _record_step(self, step, agent=None) -> None:
        usage = step.token_usage
        self.run.trace.emit(
            "agent_step",
            role="director",
            purpose=self._purpose,
            step=step.step_number,
            response=reply_text(step.model_output),
            code=step.code_action,
            observations=(step.observations or "")[:4000],
            images=len(step.observations_images or []),
            error=str(step.error) if step.error else None,
            input_tokens=usage.input_tokens if usage else None,
            output_tokens=usage.output_tokens if usage else None,
            seconds=round(step.timing.duration or 0.0, 4),
        )

    # ----- Director interface ----------------------------------------------------------------
    def plan(self, intent: str, scene: Scene) -> Blueprint:
        """The parser's draft, corrected by the agent. When the parser finds no subject in the intent
        ("the thing you sit on"), the agent is asked to pick one from the scene's objects; if it cannot
        either, the parser's error (what the scene holds) stands."""
        refused = None
        try:
            draft = self.fallback.plan(intent, scene)
        except IntentError as e:
            refused = e
            draft = Blueprint(intent, scene.name, subjects=[], notes=[f"the parser found no subject: {e}"])
        self._agent_for(scene, views.PREVIEW_WIDTH)
        objects = "\n".join(
            f"- {o.name}: {o.label}, centre {compact(list(np.mean(o.bounds, axis=0)))}, "
            f"size {compact(list(np.ptp(o.bounds, axis=0)))}"
            for o in scene.objects
        )
        task = fill(self.prompts["plan_task"], intent=intent, scene=scene.name, objects=objects, draft=draft.to_dict())
        blueprint = self._ask("plan", task, [], BlueprintCheck(scene, draft))
        if blueprint is None and refused is not None:
            raise refused
        return blueprint or draft

    def scout(self, state: SearchState) -> None:
        self.fallback.scout(state)
        self._agent_for(state.scene, state.budget.preview_width)

    def propose(self, state: SearchState, k: int) -> list[Candidate]:
        self._agent_for(state.scene, state.budget.preview_width)
        explore = bool(state.reflection and state.reflection.explore)
        shown = shown_anchors(state, self.anchors_shown, explore, leading=getattr(self.fallback, "time_views", []))
        listed = [(f"A{i + 1}", cam) for i, cam in enumerate(shown)]
        slots, side = views.limits(self.model)
        inc, last = state.incumbent, state.rounds[-1] if state.rounds else None
        # The incumbent first (pinned: the client never trims it), last round's other candidates, then the plan;
        # a tool image the agent makes later displaces the oldest unpinned one.
        images: list[views.Captioned] = []
        if inc is not None:
            images.append(views.incumbent_view(inc, state.round - 1))
        if last is not None:
            others = [s for s in last.shots if inc is None or s.candidate.id != inc.candidate.id]
            images += views.candidate_views(others, max(1, slots - 2), side)
        sheets = list(range(1 + (inc is not None), len(images) + 1))
        around = np.stack([state.with_background.lo, state.with_background.hi])  # the relation's objects too
        images.append(
            (_plan_caption(listed, inc), views.plan_view(state.scene, listed, inc and inc.candidate.camera, around))
        )
        plan_at = len(images)
        if inc is None and listed:
            first = listed[0][1].with_width(state.budget.preview_width)
            images.append(("anchor A1 rendered", render_scene(state.scene, first, RenderSettings.preview()).image()))
        task = fill(
            self.prompts["propose_task"],
            round=state.round,
            rounds=state.budget.rounds,
            k=k,
            intent=state.intent,
            blueprint=state.blueprint.brief(),
            size_aim=facts.size_aim(state),
            room=facts.room_line(state),
            light=facts.light_line(state),
            incumbent=_incumbent(state, 1) if inc else None,
            last_round=[_candidate_line(state, s) for s in last.shots] if last else [],
            last_round_image=", ".join(map(str, sheets)) or None,
            reflection=_reflection(state),
            moves=moves_text(),
            explore=explore,
            map_image=plan_at,
            anchors=[
                f"{label}: {facts.placed(state, cam)}, {cam.position[2]:.1f} m up: {facts.camera_line(cam)}"
                for label, cam in listed
            ],
            images=[caption for caption, _ in images],
        )
        cameras = self._ask(f"propose-r{state.round:02d}", task, [im for _, im in images], CameraCheck(state, k)) or []
        _mark_tried(state, [c for c, _ in cameras])
        out = [
            Candidate(
                f"r{state.round:02d}c{i + 1}", state.round, cam.with_width(state.budget.preview_width), "vlm", note
            )
            for i, (cam, note) in enumerate(cameras[:k])
        ]
        if len(out) < k:  # too few usable cameras: the built-in Director fills the round
            for c in self.fallback.propose(state, k)[: k - len(out)]:
                c.id = f"r{state.round:02d}c{len(out) + 1}"
                out.append(c)
        return out


# Moves from the incumbent that make fresh anchors when the bank runs low: around it, nearer, farther.
VARIATIONS = (("orbit", 20.0), ("orbit", -20.0), ("orbit", 40.0), ("orbit", -40.0), ("closer", 0.25), ("farther", 0.3))


def shown_anchors(state: SearchState, n: int, explore: bool = False, leading: list[Camera] = ()) -> list[Camera]:
    """The anchors to list this round, renewed from what the search learned: none already tried (used, or near a
    rendered camera) or in a region the Reflector marked dead; untried regions first when it asks to explore;
    when the bank runs low, viewpoints around the incumbent fill the list. Each aims at the subject (its context
    widens the lens, not the aim): the subject's pixels centred on the blueprint's placement, as the Reviewer
    measures it. ``leading`` cameras (the built-in Director's views that show the asked time of day) come first,
    as they are, while untried."""
    tried = np.array([s.candidate.camera.position for s in state.all_shots()]).reshape(-1, 3)

    def fresh(position) -> bool:
        p = np.asarray(position)
        near = len(tried) and np.min(np.linalg.norm(tried - p, axis=1)) < TRIED_NEAR
        return not state.memory.is_dead(p) and not near

    pool = [a.camera for a in state.anchors if not a.used and fresh(a.camera.position)]
    if explore:
        pool.sort(key=lambda c: not state.memory.is_unknown(c.position))
    if len(pool) < n and state.incumbent is not None:
        inc = state.incumbent.candidate.camera
        for kind, amount in VARIATIONS:
            cam = BuiltinDirector().apply(state, inc, [Direction(kind, amount)])
            if fresh(cam.position) and valid_positions(state, np.asarray(cam.position)[None])[0]:
                pool.append(cam)
    point = PLACEMENT_POINT.get(state.blueprint.placement, (0.5, 0.5))
    band = PITCH_BANDS.get(state.blueprint.angle)  # the plan's angle class wins over the exact placement
    first = [c for c in leading if fresh(c.position)][:n]
    return first + [
        tilt_into_band(compose(state, aim(c, state.subject.centre, point), names=state.subject.names), state, band)
        for c in pool[: n - len(first)]
    ]


def _mark_tried(state: SearchState, cameras: list[Camera]) -> None:
    """Anchors the agent proposed (or stood next to) are used."""
    for a in state.anchors:
        if any(np.linalg.norm(np.subtract(a.camera.position, c.position)) < TRIED_NEAR for c in cameras):
            a.used = True


def _plan_caption(listed: list, inc) -> str:
    labels = f"anchors {listed[0][0]}-{listed[-1][0]}" if listed else "no anchors left"
    plan = "the top-down plan of the space around the subject (north up, metre grid)"
    return f"{plan} with {labels}" + (" and the incumbent INC" if inc else "")


def _incumbent(state: SearchState, image: int) -> dict:
    inc = state.incumbent
    cam = inc.candidate.camera
    return {
        "id": inc.candidate.id,
        "total": inc.review.total,
        "image": image,
        "camera": facts.camera_line(cam),
        "placed": facts.placed(state, cam),
        "clearance": facts.clearance_line(state, cam),
        "reach": facts.reach_line(state, cam),
        "reasons": " / ".join(f"{k}: {v}" for k, v in inc.review.reasons.items()),
        "facts": facts.shown_facts(inc.review, state),
    }


def _candidate_line(state: SearchState, shot) -> str:
    r = shot.review
    status = "valid" if r.valid else "FAILS " + "; ".join(facts.failed_rules(r))
    return (
        f"{shot.candidate.id} total {r.total:.2f} ({status}), {facts.placed(state, shot.candidate.camera)}: "
        f"{facts.camera_line(shot.candidate.camera)}; {facts.size_fact(r.facts)}"
    )


def _reflection(state: SearchState) -> str | None:
    ref = state.reflection
    if ref is None:
        return None
    moves = ", ".join(
        f"aspect to {d.reason}"
        if d.kind == "aspect"
        else f"{d.kind} {d.amount:g}" + (f" ({d.reason})" if d.reason else "")
        for d in ref.directions
    )
    moves = moves or "no move: keep the incumbent's framing and spend the round on other viewpoints"
    return f"{moves}; {ref.summary}" + ("; explore unvisited space with at least one camera" if ref.explore else "")


class AnswerCheck:
    """A smolagents final-answer check: ``convert`` turns the answer into what the role needs or raises
    ValueError, whose text smolagents shows the agent as the step's error."""

    __name__ = "answer_check"

    def __call__(self, answer, memory=None, agent=None) -> bool:
        self.convert(answer)
        return True

    def convert(self, answer):
        raise NotImplementedError


class BlueprintCheck(AnswerCheck):
    """The plan: a dict of Blueprint fields with allowed values."""

    __name__ = "blueprint_check"

    def __init__(self, scene: Scene, draft: Blueprint):
        self.scene, self.draft = scene, draft

    def convert(self, answer) -> Blueprint:
        if not isinstance(answer, dict):
            raise ValueError("final_answer needs a dict of blueprint fields, e.g. the draft with corrections")
        known = set(self.draft.to_dict())
        unknown = sorted(set(answer) - known)
        if unknown:
            raise ValueError(f"unknown blueprint keys {unknown}; use {sorted(known)}")
        for key, allowed in BLUEPRINT_CHOICES.items():
            if key in answer and answer[key] not in allowed:
                raise ValueError(f"{key} must be one of {list(allowed)}, got {answer[key]!r}")
        names = set(self.scene.names)
        for key in OBJECT_FIELDS:
            value = answer.get(key, getattr(self.draft, key))
            if not isinstance(value, list) or any(n not in names for n in value):
                raise ValueError(f"{key} must be a list of object names from scene_objects(); got {value!r}")
        for key in OBJECT_FIELD:
            value = answer.get(key, getattr(self.draft, key))
            if value is not None and value not in names:
                raise ValueError(f"{key} must be one object name from scene_objects() or None; got {value!r}")
        aspects = answer.get("aspects", self.draft.aspects)
        if not isinstance(aspects, list) or not aspects or any(a not in ASPECTS for a in aspects):
            raise ValueError(f"aspects must be a list of aspects among {list(ASPECTS)}; got {aspects!r}")
        focal = answer.get("focal_mm", self.draft.focal_mm)
        if focal is not None and (not isinstance(focal, int | float) or not MIN_FOCAL <= focal <= MAX_FOCAL):
            raise ValueError(f"focal_mm must be a number of mm from {MIN_FOCAL:g} to {MAX_FOCAL:g}, or None")
        height = answer.get("height_m", self.draft.height_m)
        if height is not None and (not isinstance(height, int | float) or not MIN_HEIGHT <= height <= MAX_HEIGHT):
            raise ValueError(f"height_m must be a number of metres from {MIN_HEIGHT:g} to {MAX_HEIGHT:g}, or None")
        distance = answer.get("distance_m", self.draft.distance_m)
        if distance is not None and (
            not isinstance(distance, int | float) or not MIN_DISTANCE <= distance <= MAX_DISTANCE
        ):
            raise ValueError(
                f"distance_m must be a number of metres from {MIN_DISTANCE:g} to {MAX_DISTANCE:g}, or None"
            )
        pitch = answer.get("pitch_deg", self.draft.pitch_deg)
        if pitch is not None and (not isinstance(pitch, int | float) or not -MAX_PITCH <= pitch <= MAX_PITCH):
            raise ValueError(f"pitch_deg must be a number of degrees from {-MAX_PITCH:g} to {MAX_PITCH:g}, or None")
        if not answer.get("subjects", self.draft.subjects):
            raise ValueError("subjects must name at least one object")
        merged = {**self.draft.to_dict(), **answer}
        merged["intent"], merged["scene"] = self.draft.intent, self.draft.scene
        return Blueprint(**merged)


class CameraCheck(AnswerCheck):
    """A round: 1..k camera dicts, valid camera JSON, in free space."""

    __name__ = "camera_check"

    def __init__(self, state: SearchState, k: int):
        self.state, self.k = state, k

    def convert(self, answer) -> list[tuple[Camera, str]]:
        items = answer.get("cameras") if isinstance(answer, dict) else answer
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list) or not items:
            raise ValueError(f"final_answer needs a list of 1 to {self.k} camera dicts")
        cams: list[tuple[Camera, str]] = []
        for i, item in enumerate(items[: self.k]):
            if not isinstance(item, dict):
                raise ValueError(f"camera {i + 1} is {type(item).__name__}, not a camera dict")
            note = str(item.get("note", "the director's camera"))
            try:
                cams.append((Camera.parse({k: v for k, v in item.items() if k != "note"}), note))
            except CameraError as e:
                raise ValueError(f"camera {i + 1} is not a valid camera: {e}") from None
        # The one standpoint verdict check_camera gives too: a camera it calls valid is accepted here.
        bad = []
        for i, (c, _) in enumerate(cams):
            verdict = standpoint(self.state.scene, c.position, self.state.room)
            if not verdict.valid:
                bad.append(f"camera {i + 1} at {list(np.round(c.position, 2))}: {verdict.reason}")
        if bad:
            raise ValueError("; ".join(bad) + " (check_camera tells the same before you answer)")
        return cams
