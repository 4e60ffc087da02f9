"""smolagents CodeAgents that see the images their tools make.

A smolagents ``CodeAgent`` runs the model's code in a Python interpreter; a tool called from that code
returns a value to the code, not to the model, so an image a tool renders never reaches a vision model
on its own. agentvision closes that gap with two small objects:

- ``ImageOutbox``: tools ``put`` the images they make into it (with a label) while the code runs.
- ``ImageWindow``: a step callback that, when a step ends, moves the outbox's images onto that step's
  ``observations_images`` (smolagents then sends them with that step's observation, i.e. in the user
  message the model reads at its next step), and drops the images of older steps so that at most
  ``keep`` steps keep theirs: the context stays bounded over many rounds.

``make_agent`` builds a CodeAgent wired with both, whose code runs in agentvision's sandbox
(:class:`agentvision.sandbox.SandboxExecutor`): a confined process of its own that calls the tools, which
stay in this process, over a pipe; so their images still reach the outbox. A plain smolagents agent over
catalog tools sees their images with one more argument, ``step_callbacks=[ImageWindow()]``: a window
without an outbox of its own drains the outboxes of the agent's tools (each tool's ``context.outbox``, or
its ``outbox``); its code runs unconfined unless it is given ``executor=SandboxExecutor(...)``.
smolagents' remote executors (docker, e2b, modal) can be asked for instead (``executor_type=``); their
tools run remotely, so their images do not reach the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from smolagents import CodeAgent, Model, Tool
from smolagents.memory import ActionStep, MemoryStep, TaskStep

from agentvision.outbox import ImageOutbox
from agentvision.sandbox import SandboxExecutor, SandboxLimits

if TYPE_CHECKING:
    from agentvision.toolcontext import ToolContext

DEFAULT_IMPORTS = ("json", "math")
"""Modules the agent's code may import besides smolagents' safe built-ins (no numpy: its file and pickle
functions reach the disk; tools do the array work)."""

DEFAULT_MAX_STEPS = 12


def _note(labels: Sequence[str]) -> str:
    listed = "; ".join(f"{i}. {label or 'image'}" for i, label in enumerate(labels, 1))
    return f"[{len(labels)} image(s) from this step are attached: {listed}]"


def _dropped_note(labels: Sequence[str]) -> str:
    listed = "; ".join(label or "image" for label in labels)
    return f"[{len(labels)} image(s) from this step were shown earlier and dropped from context: {listed}]"


class ImageWindow:
    """A smolagents step callback: tool images reach the model next step; only the last ``keep`` steps keep images.

    Register it for ``ActionStep`` (``make_agent`` does; a list given as ``CodeAgent(step_callbacks=[...])`` is
    registered for ``ActionStep``). ``outbox``: where the tools put their images; None (the default) takes them
    from the outboxes of the agent's tools at each step. At the end of each action step it

    1. removes from the step the task's images, which smolagents copies onto every action step although
       the task message already carries them (they stay in the task message);
    2. drains the outbox onto the step's ``observations_images`` and appends to its observation a line
       naming the images in order, so the model knows which picture is which;
    3. clears ``observations_images`` on older steps so that at most ``keep`` steps hold images, and
       rewrites their note to say the images were dropped.
    """

    def __init__(self, outbox: ImageOutbox | None = None, keep: int = 3) -> None:
        if not isinstance(keep, int) or keep < 0:
            raise ValueError(f"keep must be a whole number >= 0 (steps whose images stay in context), got {keep!r}")
        self.outbox = outbox
        self.keep = keep
        self._labels: dict[int, list[str]] = {}  # id(step) -> labels of the images it carries
        self._seen: list[ActionStep] = []  # steps with images, used when the callback gets no agent

    def __call__(self, memory_step: MemoryStep, agent: Any = None) -> None:
        if not isinstance(memory_step, ActionStep):
            return
        task_images = _task_image_ids(agent)
        kept = [im for im in (memory_step.observations_images or []) if id(im) not in task_images]
        new = [item for box in self._outboxes(agent) for item in box.drain()]
        images = kept + [item.image for item in new]
        memory_step.observations_images = images or None
        if new:
            labels = [item.label for item in new]
            self._labels[id(memory_step)] = labels
            note = _note(labels)
            memory_step.observations = f"{memory_step.observations}\n{note}" if memory_step.observations else note
        if images:
            self._seen.append(memory_step)
        self._trim(memory_step, agent)

    def _outboxes(self, agent: Any) -> list[ImageOutbox]:
        if self.outbox is not None:
            return [self.outbox]
        found: dict[int, ImageOutbox] = {}
        for tool in (getattr(agent, "tools", None) or {}).values():
            box = getattr(getattr(tool, "context", None), "outbox", None) or getattr(tool, "outbox", None)
            if isinstance(box, ImageOutbox):
                found.setdefault(id(box), box)
        return list(found.values())

    def _trim(self, current: ActionStep, agent: Any) -> None:
        if agent is not None and hasattr(agent, "memory"):
            steps = [s for s in agent.memory.steps if isinstance(s, ActionStep) and s is not current] + [current]
        else:
            steps = self._seen
        with_images = [s for s in steps if s.observations_images]
        for step in with_images[: max(0, len(with_images) - self.keep)]:
            step.observations_images = None
            labels = self._labels.pop(id(step), None)
            if labels and step.observations:
                step.observations = step.observations.replace(_note(labels), _dropped_note(labels))
        self._seen = [s for s in self._seen if s.observations_images]


def _task_image_ids(agent: Any) -> set[int]:
    if agent is None or not hasattr(agent, "memory"):
        return set()
    return {id(im) for s in agent.memory.steps if isinstance(s, TaskStep) for im in (s.task_images or [])}


def _callbacks(step_callbacks: Any, window: ImageWindow) -> dict:
    """Merge the user's step_callbacks (list or dict, as smolagents takes them) with the image window."""
    merged: dict[type, list[Callable]] = {}
    if isinstance(step_callbacks, dict):
        for step_cls, cbs in step_callbacks.items():
            merged[step_cls] = list(cbs) if isinstance(cbs, list | tuple) else [cbs]
    elif step_callbacks:
        merged[ActionStep] = list(step_callbacks)
    merged[ActionStep] = [window, *merged.get(ActionStep, [])]  # images first, so user callbacks see them
    return merged


def _resolve_model(model: Model | str, api_base: str | None, model_options: Any) -> Model:
    if isinstance(model, Model):
        return model
    if isinstance(model, str):
        from agentvision.models import ModelOptions, load_model  # imported on use: only spec strings need it

        options = model_options or ModelOptions.from_env(api_base=api_base)
        if api_base and model_options is not None:
            options = ModelOptions(**{**vars(model_options), "api_base": api_base})
        loaded = load_model(model, options)
        if loaded is None:
            from agentvision.errors import InputError

            raise InputError(f"make_agent needs a model, and {model!r} is none: give 'openai:MODEL_ID' or a Model")
        return loaded
    raise TypeError(f"model must be a smolagents Model or a spec string such as 'openai:MODEL_ID', got {model!r}")


def make_agent(
    model: Model | str,
    tools: Sequence[Tool | str] | None = None,
    *,
    keep_images: int = 3,
    context: ToolContext | None = None,
    api_base: str | None = None,
    model_options: Any = None,
    limits: SandboxLimits | None = None,
    **smolagents_options: Any,
) -> CodeAgent:
    """A smolagents ``CodeAgent`` over agentvision's tools, wired so tool images reach the model.

    Args:
        model: a smolagents ``Model``, or a model spec string ("openai:MODEL_ID", "transformers:PATH")
            resolved by ``agentvision.models.load_model``.
        tools: ``Tool`` objects and/or catalog tool names; default: the whole catalog
            (``agentvision.tools.catalog()``).
        keep_images: how many of the latest steps keep their images in the model's context.
        context: the ``ToolContext`` that catalog tools named in ``tools`` (or the default catalog) are
            bound to (scene cache, current scene, output folder, renderer...); default: a fresh one.
        api_base: the OpenAI-compatible server of an ``openai:`` spec (default: AGENTVISION_API_BASE).
        model_options: a ``ModelOptions`` for a spec string (key, image limits, timeout); ``api_base`` wins.
        limits: the sandbox's :class:`~agentvision.sandbox.SandboxLimits` (time and memory per step...).
        **smolagents_options: passed to ``CodeAgent`` (``max_steps``, ``additional_authorized_imports``
            (merged with json, math), ``step_callbacks`` (kept, after the image window),
            ``verbosity_level``, ``instructions``...). ``executor=`` (your own executor) or ``executor_type=``
            ('docker', 'e2b', 'modal', 'blaxel': smolagents' remote executors) replace the sandbox;
            ``executor_kwargs={"timeout_seconds": S}`` sets the sandbox's time per step.

    Every tool bound to a ``ToolContext`` (the catalog's) and every custom tool with an ``outbox``
    attribute puts its images into the agent's ``ImageOutbox`` (``agent.image_outbox``); the
    ``ImageWindow`` callback (``agent.image_window``) delivers them at the next step.
    """
    from agentvision.toolcontext import ToolContext
    from agentvision.tools import make_tool, make_tools

    resolved = _resolve_model(model, api_base, model_options)
    ctx = context or ToolContext()
    if tools is None:
        tool_objects = make_tools(context=ctx)
    else:
        tool_objects = [make_tool(t, context=ctx) if isinstance(t, str) else t for t in tools]
        bad = [t for t in tool_objects if not isinstance(t, Tool)]
        if bad:
            raise TypeError(f"tools must be smolagents Tool objects or catalog names, got {bad!r}")
    outbox = ctx.outbox
    for tool in tool_objects:
        tool_ctx = getattr(tool, "context", None)
        if isinstance(tool_ctx, ToolContext):
            tool_ctx.outbox = outbox
        elif hasattr(tool, "outbox"):
            tool.outbox = outbox
    window = ImageWindow(outbox, keep=keep_images)
    options = dict(smolagents_options)
    extra_imports = options.pop("additional_authorized_imports", None) or []
    imports = list(dict.fromkeys([*DEFAULT_IMPORTS, *extra_imports]))
    options.setdefault("max_steps", DEFAULT_MAX_STEPS)
    if "executor" not in options and options.get("executor_type", "local") == "local":
        options["executor"] = _sandbox(imports, limits, options)
    callbacks = _callbacks(options.pop("step_callbacks", None), window)
    agent = CodeAgent(
        tools=list(tool_objects),
        model=resolved,
        additional_authorized_imports=imports,
        step_callbacks=callbacks,
        **options,
    )
    agent.image_outbox = outbox
    agent.image_window = window
    return agent


def _sandbox(imports: list[str], limits: SandboxLimits | None, options: dict) -> SandboxExecutor:
    """The sandbox executor; smolagents' ``executor_kwargs`` timeout, if given, is its time per step."""
    limits = limits or SandboxLimits()
    kwargs = options.pop("executor_kwargs", None) or {}
    unknown = sorted(set(kwargs) - {"timeout_seconds"})
    if unknown:
        raise TypeError(f"the sandbox takes limits=SandboxLimits(...), not executor_kwargs {unknown}")
    if kwargs.get("timeout_seconds") is not None:  # None: smolagents' "no limit"; tool calls no longer count
        limits = replace(limits, step_wall_s=float(kwargs["timeout_seconds"]))
    return SandboxExecutor(imports, limits, max_print_outputs_length=options.get("max_print_outputs_length"))
