"""The VLM mode of a chat session: a smolagents agent conversation over the tool catalog, with memory across turns.

Each request is one ``agent.run(text, reset=False)`` of a CodeAgent built by
:func:`agentvision.codeagent.make_agent` over the whole catalog, bound to a
:class:`~agentvision.toolcontext.ToolContext` that saves into the session folder. Steps stream as they end
(the model's thought, its code, the observations, and every image a tool saved, shown inline with its
path); the final answer prints when the run ends. Ctrl-C interrupts the agent and cancels the turn; the
conversation keeps what was said before.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from rich.console import Console
from rich.syntax import Syntax
from rich.text import Text
from smolagents import CodeAgent, Model
from smolagents.memory import ActionStep, MemoryStep
from smolagents.monitoring import LogLevel
from smolagents.utils import AgentError

from agentvision.chat.options import ChatOptions
from agentvision.codeagent import make_agent
from agentvision.scene.model import Scene
from agentvision.toolcontext import SavedImage, ToolContext

PHOTO_KINDS = ("photo", "render")
"""Kinds of saved images that count as the session's photos (what /save and 'save it as' save)."""

INSTRUCTIONS = """You are the photographer in an interactive terminal session of agentvision. The user asks for photos
of 3D scenes and follow-up changes ("lower the camera", "try 85mm", "make it golden hour"); earlier turns of the
conversation stay in your memory, so a follow-up refers to the last image you made. Use the tools: photoflow for a
finished photograph of an intent, render_view to render a camera you choose (reuse and change the camera JSON of the
last render for follow-ups), scene_objects and top_down_map to know the scene, check_camera and the image tools to
judge a frame. The images tools make are shown to you at your next step. End each turn with final_answer: one or two
sentences saying what you made, with its saved path and camera."""

MAX_CODE_LINES = 24
MAX_OBSERVATION_LINES = 10
MAX_LINE_CHARS = 240


class TurnFailed(Exception):
    """The model failed mid-turn (server down, HTTP error, unusable answer); the session goes on."""


@dataclass
class Turn:
    """One request of the conversation and what it cost."""

    number: int
    request: str
    model: str
    steps: int = 0
    step_tokens: list[tuple[int, int]] = field(default_factory=list)  # (input, output) per step
    images: list[Path] = field(default_factory=list)
    answer: str | None = None
    error: str | None = None

    @property
    def input_tokens(self) -> int:
        return sum(i for i, _ in self.step_tokens)

    @property
    def output_tokens(self) -> int:
        return sum(o for _, o in self.step_tokens)

    def record(self) -> dict:
        """The turn as a history.jsonl entry."""
        entry = {
            "kind": "agent",
            "turn": self.number,
            "model": self.model,
            "steps": self.steps,
            "token_usage": {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens},
            "step_token_usage": [list(t) for t in self.step_tokens],
            "images": [str(p) for p in self.images],
            "answer": self.answer,
        }
        if self.error:
            entry["error"] = self.error
        return entry


class AgentConversation:
    """A CodeAgent over the whole tool catalog whose memory lasts the session.

    Args:
        model: the smolagents Model (``agentvision.models.load_model``).
        spec: the model spec shown to the user and written to the history.
        folder: the session folder; the tools save their images there.
        console: where steps, images and answers print.
        options: the session settings (renderer, preview width, max steps, images kept in context...).
        scene: the current scene (tools use it when no scene is named), or None.
        display: ``display(path, max_cols, label)`` shows an image file with its path.
        on_photo: told of every photo or render the agent makes (the session's /save target).
    """

    def __init__(
        self,
        model: Model,
        spec: str,
        folder: Path,
        console: Console,
        options: ChatOptions,
        display: Callable[[Path, int, str], None],
        on_photo: Callable[[Path], None],
        scene: Scene | None = None,
    ) -> None:
        self.spec = spec
        self.console = console
        self.options = options
        self.display = display
        self.on_photo = on_photo
        self.context = ToolContext(
            scene=scene,
            time_of_day=options.time_of_day or "noon",
            out_dir=folder,
            renderer=options.renderer,
            preview_width=options.preview_width,
        )
        self.agent: CodeAgent = make_agent(
            model,
            context=self.context,
            keep_images=options.keep_images,
            max_steps=options.max_steps,
            verbosity_level=LogLevel.OFF,
            instructions=INSTRUCTIONS,
            step_callbacks=[self._on_step],
            # The code runs in the sandbox's process and its tools here, in this (the main) thread: Ctrl-C reaches
            # a running tool, and a long photoflow run does not count toward the code's time per step.
        )
        self.turns: list[Turn] = []
        self._shown = 0  # entries of context.saved already shown
        self._current: Turn | None = None
        self._notes: list[str] = []  # session news for the model's next task (e.g. a new scene)

    # ----- settings ---------------------------------------------------------------------------
    def set_model(self, model: Model, spec: str) -> None:
        """Continue the same conversation (memory, tools) with another model."""
        self.agent.model = model
        self.spec = spec

    def set_scene(self, scene: Scene, ref: str) -> None:
        """Make ``scene`` the tools' current scene and tell the model at its next turn."""
        self.context.scene = scene
        self._notes.append(f"The session's scene is now {ref!r}: tools use it when no scene is given.")

    # ----- a turn -----------------------------------------------------------------------------
    def turn(self, text: str, images: list[Path] | None = None) -> Turn:
        """Run the agent on ``text`` (with ``images`` attached), continuing the conversation.

        Raises KeyboardInterrupt when cancelled (Ctrl-C) and TurnFailed when the model fails; either way the
        turn stays in :attr:`turns` with the steps and tokens it used, and the conversation goes on.
        """
        turn = Turn(len(self.turns) + 1, text, self.spec)
        reset = getattr(self.agent.model, "reset_deadline", None)
        if reset is not None:  # the model's time limit (ModelOptions.deadline_s) is per turn in a session
            reset()
        self.turns.append(turn)
        self._current = turn
        task = "\n".join([*self._notes, text]) if self._notes else text
        pictures = [_load(p) for p in images or []]
        for path in images or []:  # the user gave it: the image tools may read it too
            self.context.allow_read(path)
        try:
            with _interrupt_on_sigint(self.agent):
                answer = self.agent.run(task, reset=False, images=pictures or None)
            self._notes.clear()
        except KeyboardInterrupt:
            turn.error = "cancelled"
            raise
        except AgentError as exc:
            if self.agent.interrupt_switch:
                turn.error = "cancelled"
                raise KeyboardInterrupt from None
            turn.error = f"{type(exc).__name__}: {_one_line(str(exc))}"
            raise TurnFailed(f"the model ({self.spec}) failed mid-turn: {_one_line(str(exc))}") from None
        finally:
            self._show_new_images(turn)
            self._current = None
        turn.answer = answer if isinstance(answer, str) else str(answer)
        self.console.print(Text.assemble(("answer: ", "bold green"), turn.answer))
        return turn

    # ----- streaming --------------------------------------------------------------------------
    def _on_step(self, step: MemoryStep, agent: object = None) -> None:
        """Step callback: print the step as it ends (after the image window moved its images)."""
        if not isinstance(step, ActionStep):
            return
        turn = self._current
        usage = step.token_usage
        tokens = (usage.input_tokens, usage.output_tokens) if usage is not None else (0, 0)
        if turn is not None:
            turn.steps += 1
            turn.step_tokens.append(tokens)
        seconds = step.timing.duration or 0.0
        self.console.print(
            Text.assemble(
                (f"step {step.step_number}", "bold cyan"),
                (f"  {seconds:.1f} s, {tokens[0]} in / {tokens[1]} out tokens", "dim"),
            )
        )
        thought = _thought(step.model_output)
        if thought:
            self.console.print(Text(thought, style="italic dim"))
        if step.code_action:
            code = _clip(step.code_action, MAX_CODE_LINES)
            self.console.print(Syntax(code, "python", theme="ansi_dark", background_color="default", word_wrap=True))
        if step.observations and not step.is_final_answer:
            self.console.print(Text(_clip(_observations(step.observations), MAX_OBSERVATION_LINES), style="dim"))
        if step.error is not None:
            self.console.print(Text.assemble(("step error: ", "bold yellow"), _clip(str(step.error), 6)))
        if turn is not None:
            self._show_new_images(turn)

    def _show_new_images(self, turn: Turn) -> None:
        saved = self.context.saved
        new, self._shown = saved[self._shown :], len(saved)
        for item in new:
            self._show(item)
            turn.images.append(item.path)

    def _show(self, item: SavedImage) -> None:
        if not item.path.is_file():
            return
        photo = item.kind in PHOTO_KINDS
        self.display(item.path, 100 if item.kind == "photo" else self.options.step_cols, item.kind)
        if photo:
            self.on_photo(item.path)

    def history(self) -> None:
        """One line per turn."""
        for t in self.turns:
            outcome = t.error or _one_line(t.answer or "", 80)
            self.console.print(
                Text.assemble(
                    f"{t.number:2d}. {t.request}  ",
                    (f"{outcome}  ({t.steps} steps, {t.input_tokens}+{t.output_tokens} tokens, {t.model})", "dim"),
                )
            )


@contextmanager
def _interrupt_on_sigint(agent: CodeAgent) -> Iterator[None]:
    """While the turn runs, Ctrl-C also sets the agent's interrupt switch: a tool that swallows the
    KeyboardInterrupt (the photoflow loop stops and returns its incumbent) still ends the turn before the
    next step."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum, frame):
        agent.interrupt()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _load(path: Path) -> Image.Image:
    with Image.open(path) as im:
        return im.convert("RGB")


def _one_line(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _clip(text: str, max_lines: int) -> str:
    lines = [line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 3] + "..." for line in text.splitlines()]
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"... ({len(lines) - max_lines} more lines)"]
    return "\n".join(lines).rstrip()


def _thought(model_output: object) -> str:
    """The model's text before its code block, without the 'Thought:' label, at most three lines."""
    if not isinstance(model_output, str):
        return ""
    head = model_output.split("<code>", 1)[0].split("```", 1)[0].strip()
    head = head.removeprefix("Thought:").strip()
    return _clip(head, 3)


def _observations(text: str) -> str:
    """smolagents' observation text without its 'Execution logs:' header."""
    text = text.removeprefix("Execution logs:").strip()
    return re.sub(r"\n?Last output from code snippet:\s*None\s*(?=\n|$)", "", text).strip()
