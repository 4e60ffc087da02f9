"""The chat session's state and what each input line does, in both modes.

Builtin mode (the model-free photographer): requests run PhotoFlow and follow-ups refine the last shot
(:mod:`agentvision.chat.builtin_mode`). VLM mode (``--model openai:ID`` or ``/model``): each request is a
turn of a smolagents agent conversation over the tool catalog (:mod:`agentvision.chat.agent_mode`).
In both, "save it as X.png" and /save save the latest photo, errors print and the session goes on, and
every line is recorded in the session folder's ``history.jsonl``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from rich.console import Console
from rich.text import Text
from smolagents import Model

from agentvision.chat.agent_mode import AgentConversation
from agentvision.chat.builtin_mode import BuiltinPhotographer
from agentvision.chat.options import ChatOptions
from agentvision.chat.terminal_images import show_image
from agentvision.models import ModelOptions, ModelUnavailable, check_health, load_model, parse_model_spec
from agentvision.redact import redact, redact_value

COMMANDS = {
    "/scene": "/scene [NAME|FILE]     show or set the scene (new requests and the agent's tools use it)",
    "/model": "/model [SPEC [URL]]    show or set the model: builtin, openai:MODEL_ID (URL: its API base), "
    "transformers:PATH",
    "/image": "/image PATH            attach an image to the next request (a VLM sees it)",
    "/save": "/save [PATH]           save the latest photo (default shot-NN.png here)",
    "/history": "/history               the session's turns",
    "/help": "/help                  this help",
    "/quit": "/quit                  end the session (or Ctrl-D)",
}
_SAVE = re.compile(r"^save(?: it| this| the photo| the shot| the image)?(?: as| to)?\s*(?P<path>\S*)$", re.I)
_SHOW = re.compile(r"^show(?: me)?(?: the)?\s*(?P<what>round|photo|shot|map|overview)?\s*(?P<n>\d+)?$", re.I)


@dataclass
class ChatSession:
    """One session: its folder, settings, model, photos; the terminal loop is :func:`agentvision.chat.run_chat`.

    Attributes:
        scene: pinned by /scene (None: builtin requests infer it, the agent's tools are told a scene).
        model: the model spec in use: 'builtin' or a VLM spec such as 'openai:MODEL_ID'.
        model_options: how to reach VLMs (API base, key, image limits, timeout).
        photos: every photo the session made, oldest first (builtin shots, the agent's photos and renders).
    """

    folder: Path
    console: Console
    options: ChatOptions = field(default_factory=ChatOptions)
    scene: str | None = None
    model: str = "builtin"
    model_options: ModelOptions | None = None
    photos: list[Path] = field(default_factory=list)
    attached: Path | None = None
    done: bool = False

    def __post_init__(self) -> None:
        self.builtin = BuiltinPhotographer(self.folder, self.console, self.options, self.display, self.photos.append)
        self.conversation: AgentConversation | None = None
        self._lit_scene = None  # the /scene one, lit, for the agent's tools

    @property
    def shots(self):
        """The builtin photographer's shots."""
        return self.builtin.shots

    @property
    def agent_mode(self) -> bool:
        """True while a VLM drives the session."""
        return self.model != "builtin"

    def prompt_text(self) -> str:
        return "agent> " if self.agent_mode else "photo> "

    def last_scene(self) -> str | None:
        """The scene of the last builtin shot, if any."""
        return self.shots[-1].result.blueprint.scene if self.shots else None

    # ----- dispatch --------------------------------------------------------------------------
    def handle(self, line: str) -> None:
        """Do what one input line asks; errors print and the session goes on."""
        line = line.strip()
        if not line:
            return
        started = time.time()
        entry: dict = {"input": line}
        turns_before = len(self.conversation.turns) if self.conversation else 0
        try:
            if line.startswith("/"):
                entry["kind"] = "command"
                self.command(line)
            else:
                entry.update(self.request(line))
        except KeyboardInterrupt:
            entry["error"] = "cancelled"
            self.console.print("[yellow]cancelled[/] - the session goes on")
        except Exception as exc:  # a failing request must not end the session
            entry["error"] = f"{type(exc).__name__}: {exc}"
            self.console.print(Text.assemble(("error: ", "bold red"), redact(str(exc))))
        if self.conversation and len(self.conversation.turns) > turns_before:
            entry.update(self.conversation.turns[-1].record())
        entry["seconds"] = round(time.time() - started, 2)
        with open(self.folder / "history.jsonl", "a") as f:
            f.write(json.dumps(redact_value(entry)) + "\n")

    def command(self, line: str) -> None:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name in ("/quit", "/exit"):
            self.done = True
        elif name == "/help":
            self.help()
        elif name == "/scene":
            self.set_scene(arg)
        elif name == "/model":
            self.set_model(arg)
        elif name == "/image":
            self.attach(arg)
        elif name == "/save":
            self.save(arg)
        elif name == "/history":
            self.history()
        else:
            raise ValueError(f"unknown command {name}; commands: {', '.join(COMMANDS)} (/help explains them)")

    def request(self, text: str) -> dict:
        m = _SAVE.match(text)
        if m:
            return {"kind": "save", "path": str(self.save(m["path"]))}
        if self.agent_mode:
            return self.agent_request(text)
        m = _SHOW.match(text)
        if m:
            self.builtin.show(m["what"] or ("round" if m["n"] else "photo"), int(m["n"]) if m["n"] else None)
            return {"kind": "show"}
        if self.attached is not None:
            self.console.print(
                f"[dim]attached {self.attached.name}: the builtin photographer does not read images; "
                "a VLM model (/model) will[/]"
            )
        result = self.builtin.request(text, self.scene)
        self.attached = None
        return result

    def agent_request(self, text: str) -> dict:
        """One turn of the agent conversation (its record joins the history entry in :meth:`handle`)."""
        assert self.conversation is not None
        images = [self.attached] if self.attached else []
        if self.attached:
            self.console.print(f"[dim]with {self.attached.name}[/]")
        self.conversation.turn(text, images)
        self.attached = None
        return {}

    # ----- commands --------------------------------------------------------------------------
    def save(self, path: str) -> Path:
        """Copy the latest photo to ``path`` (default shot-NN.png; .jpg/.webp convert)."""
        if not self.photos:
            raise ValueError("no photo yet: ask for one first, e.g. 'shoot the staircase at dusk'")
        source = self.photos[-1]
        shot = next((s for s in self.shots if s.photo == source), None)
        if shot is not None and shot.broken:
            self.console.print(
                f"[yellow]warning:[/] shot {shot.number} breaks a hard rule ({'; '.join(shot.broken)}); "
                "saving it anyway"
            )
        dest = Path(path).expanduser() if path else Path(f"shot-{len(self.photos):02d}.png")
        if dest.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp"):
            dest = dest.with_name(dest.name + ".png")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.suffix.lower() == ".png":
            shutil.copyfile(source, dest)
        else:
            Image.open(source).convert("RGB").save(dest)
        self.console.print(f"saved: {dest.resolve()}")
        return dest

    def set_scene(self, arg: str) -> None:
        from agentvision.scene.library import library_names, load_scene

        if not arg:
            pinned = self.scene or "inferred from each request"
            self.console.print(f"scene: {pinned}; library: {', '.join(library_names())}")
            return
        scene = load_scene(arg, self.options.time_of_day)  # raises with the library list
        self.scene = arg
        self._lit_scene = scene
        if self.conversation is not None:
            self.conversation.set_scene(scene, arg)
        names = ", ".join(o.name for o in scene.objects if "_" not in o.name or o.name[-1].isdigit())
        self.console.print(f"scene: {arg} ({names})")

    def set_model(self, arg: str) -> None:
        """/model: show the model, or switch after a health check (a failed check keeps the current one)."""
        if not arg:
            where = f" at {self.model_options.api_base}" if self.agent_mode and self.model_options else ""
            self.console.print(f"model: {self.model}{where}")
            return
        spec, _, api_base = arg.partition(" ")
        try:
            self.use_model(spec, api_base.strip() or None)
        except (ModelUnavailable, ValueError) as exc:
            raise ModelUnavailable(f"{exc} (still using {self.model})") from None

    def use_model(self, spec_text: str, api_base: str | None = None) -> None:
        """Switch to ``spec_text``; a VLM is health-checked first (raises ModelUnavailable, changing nothing)."""
        spec = parse_model_spec(spec_text)
        options = self.model_options or ModelOptions.from_env()
        if api_base:
            options = dataclasses.replace(options, api_base=api_base)
        if spec.is_builtin:
            self.model = "builtin"
            self.console.print("model: builtin (the model-free photographer; follow-ups refine the last shot)")
            return
        self.console.print(f"[dim]checking {spec}...[/]")
        self.console.print(Text(check_health(spec, options)))
        self.use_agent_model(load_model(spec, options), str(spec))
        self.model_options = options
        self.console.print(
            f"model: {spec} - each request is a turn of an agent conversation over the tool catalog "
            "(/model builtin switches back)"
        )

    def use_agent_model(self, model: Model, spec: str) -> AgentConversation:
        """Drive the session with a smolagents ``model`` (no health check): the first one starts the agent
        conversation, later ones continue it with its memory."""
        if self.conversation is None:
            self.conversation = AgentConversation(
                model,
                spec,
                self.folder,
                self.console,
                self.options,
                display=self.display,
                on_photo=self.photos.append,
                scene=self._lit_scene,
            )
        else:
            self.conversation.set_model(model, spec)
        self.model = spec
        return self.conversation

    def attach(self, arg: str) -> None:
        if not arg:
            raise ValueError("/image needs a path: /image photo.png")
        path = Path(arg).expanduser()
        if not path.is_file():
            raise ValueError(f"no image at {path}")
        with Image.open(path) as im:
            size = im.size
        self.attached = path
        self.console.print(f"attached {path} ({size[0]}x{size[1]})")

    def history(self) -> None:
        if not self.shots and not (self.conversation and self.conversation.turns):
            self.console.print("no shots yet")
        self.builtin.history()
        if self.conversation is not None:
            self.conversation.history()

    def help(self) -> None:
        if self.agent_mode:
            self.console.print(
                f"[bold]requests[/] go to {self.model} as turns of one agent conversation (it remembers earlier "
                "turns): 'shoot the staircase at dusk', 'lower the camera', 'compare it with the first one'"
            )
            self.console.print("  save it as hero.png saves the latest photo or render the agent made")
        else:
            self.console.print(
                "[bold]requests[/]: 'shoot the staircase at dusk', then follow-ups that refine the last shot:"
            )
            self.console.print(
                "  lower the camera, higher, closer, step back, try 85mm, make it golden hour, more to the left,"
            )
            self.console.print("  orbit right, portrait, tilt up, put it on the left third, from a low angle")
            self.console.print("  show round 2 | show photo 1 | show map | save it as hero.png")
        for text in COMMANDS.values():
            self.console.print(f"  {text}", markup=False)

    # ----- images ----------------------------------------------------------------------------
    def display(self, path: Path, max_cols: int = 100, label: str = "image") -> None:
        """Show an image inline where the terminal can, else as a half-block preview; always the path."""
        show_image(self.console, path, self.options.images, max_cols, label)
