"""The VLM Director: a smolagents CodeAgent with scene tools that writes code producing the blueprint
and each round's cameras as structured data.

The agent keeps one memory across the run (plan, then a task per round), sees the scout map and
overview at round 1 and the previous round's contact sheet after that, and calls the catalog's scene
tools (scene_objects, top_down_map, render_view, check_camera) whose images reach it at its next step.
Its answers are checked before they are accepted: a blueprint must name scene objects and allowed
values; each camera must parse as camera JSON and stand in free space. A failed check goes back to the
agent as an error; an agent that gives no usable answer within its steps leaves the round to the
built-in Director, and the trace records the fallback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from smolagents.memory import TaskStep

from agentvision.camera import ASPECTS, Camera, CameraError
from agentvision.models.health import ModelUnavailable
from agentvision.photoflow.blueprint import ANGLES, LENS_CLASSES, PLACEMENTS, SHOT_SIZES, Blueprint
from agentvision.photoflow.builtin.director import BuiltinDirector
from agentvision.photoflow.builtin.intent import IntentError
from agentvision.photoflow.output import contact_sheet
from agentvision.photoflow.records import Candidate
from agentvision.photoflow.search import SearchState
from agentvision.photoflow.trace import RunLog, TraceWriter
from agentvision.photoflow.vlm.exchange import reply_text
from agentvision.photoflow.vlm.facts import compact
from agentvision.photoflow.vlm.prompts import fill, load_prompts
from agentvision.scene.model import Scene
from agentvision.scene.standpoint import standpoint

DIRECTOR_TOOLS = ("scene_objects", "top_down_map", "render_view", "check_camera")
BLUEPRINT_CHOICES = {"shot_size": SHOT_SIZES, "angle": ANGLES, "placement": PLACEMENTS, "lens": LENS_CLASSES}
OBJECT_FIELDS = ("subjects", "context", "background", "avoid")


class VLMDirector:
    """Plans and proposes through a CodeAgent; the built-in Director scouts and fills in on failure."""

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
                instructions=fill(self.prompts["instructions"], aspects=list(ASPECTS)),
                step_callbacks=[self._record_step],
                verbosity_level=-1,
            )
        self._context.scene = scene
        self._context.preview_width = preview_width
        return self.agent

    def _ask(self, purpose: str, task: str, images: list, check) -> object | None:
        """Run the agent on ``task``; the checked answer, or None (recorded) when it gives none."""
        if self.down is not None:
            self.run.trace.emit("fallback", role="director", purpose=purpose, reason=f"model unavailable: {self.down}")
            return None
        refs = [self.run.save_image(f"director-{purpose}-{i}", im) for i, im in enumerate(images)]
        self.run.trace.emit("agent_task", role="director", purpose=purpose, prompt=task, images=refs)
        self._purpose = purpose
        self.agent.final_answer_checks = [check]
        for step in self.agent.memory.steps:  # earlier tasks' images (maps, old sheets) leave the context
            if isinstance(step, TaskStep):
                step.task_images = None
        try:
            answer = self.agent.run(task, reset=not self.agent.memory.steps, images=images or None)
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
        self._agent_for(scene, 320)
        objects = "\n".join(
            f"- {o.name}: {o.label}, centre {compact(list(np.mean(o.bounds, axis=0)))}, "
            f"size {compact(list(np.ptp(o.bounds, axis=0)))}"
            for o in scene.objects
        )
        task = fill(
            self.prompts["plan_task"],
            intent=intent,
            scene=scene.name,
            objects=objects,
            draft=draft.to_dict(),
            shot_sizes=list(SHOT_SIZES),
            angles=list(ANGLES),
            placements=list(PLACEMENTS),
            lenses=list(LENS_CLASSES),
        )
        blueprint = self._ask("plan", task, [], BlueprintCheck(scene, draft))
        if blueprint is None and refused is not None:
            raise refused
        return blueprint or draft

    def scout(self, state: SearchState) -> None:
        self.fallback.scout(state)
        self._agent_for(state.scene, state.budget.preview_width)

    def propose(self, state: SearchState, k: int) -> list[Candidate]:
        self._agent_for(state.scene, state.budget.preview_width)
        inc = state.incumbent
        anchors = [a for a in state.anchors if not a.used][: self.anchors_shown]
        task = fill(
            self.prompts["propose_task"],
            round=state.round,
            rounds=state.budget.rounds,
            k=k,
            intent=state.intent,
            blueprint=state.blueprint.brief(),
            incumbent={
                "id": inc.candidate.id,
                "total": inc.review.total,
                "camera": compact(inc.candidate.camera.to_dict()),
                "reasons": inc.review.reasons,
            }
            if inc
            else None,
            reflection=compact(state.reflection.to_dict()) if state.reflection else None,
            anchors=[
                f"azimuth {a.azimuth_deg:.0f} deg, {a.distance:.1f} m: {compact(a.camera.to_dict())}" for a in anchors
            ],
        )
        if state.round == 0 or not state.rounds:
            images = [state.scout[n] for n in ("map", "overview") if n in state.scout]
        else:
            images = [contact_sheet(state.rounds[-1], f"round {state.round}: {state.intent}")]
        cameras = self._ask(f"propose-r{state.round:02d}", task, images, CameraCheck(state, k)) or []
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
