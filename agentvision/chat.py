"""``agentvision chat``: a multi-turn photo session in the terminal.

Type a request ("shoot the staircase at dusk"), then follow-ups that refine the last shot ("lower
the camera", "try 85mm", "make it golden hour"), "show round 2", "save it as hero.png", or slash
commands (``/help``). Search progress streams as it happens; photos show inline on kitty, iTerm2
and sixel terminals, else as a coloured half-block preview, always with the saved path. Ctrl-C
cancels the current request, Ctrl-D or /quit ends the session. Everything is kept in the session's
run folder: ``history.jsonl`` (one line per turn) and ``shot-NN/`` (each shot's run folder).
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from rich.console import Console
from rich.text import Text

from agentvision.photoflow.intent import IntentError
from agentvision.photoflow.refine import RefineError, parse_change

COMMANDS = {
    "/scene": "/scene [NAME|FILE]  show or set the scene (new requests use it)",
    "/model": "/model [SPEC]       show or set the model (builtin: the model-free photographer)",
    "/image": "/image PATH         attach an image to the next request",
    "/save": "/save [PATH]        save the last photo (default shot-NN.png here)",
    "/history": "/history            the session's turns",
    "/help": "/help               this help",
    "/quit": "/quit               end the session (or Ctrl-D)",
}
_SAVE = re.compile(r"^save(?: it| this| the photo| the shot)?(?: as| to)?\s*(?P<path>\S*)$", re.I)
_SHOW = re.compile(r"^show(?: me)?(?: the)?\s*(?P<what>round|photo|shot|map|overview)?\s*(?P<n>\d+)?$", re.I)


@dataclass
class Shot:
    """One photo of the session."""

    number: int
    request: str
    result: object  # PhotoResult
    folder: Path


@dataclass
class ChatSession:
    """The session's state and what each line does; the terminal loop is :func:`run_chat`."""

    folder: Path
    console: Console
    scene: str | None = None  # pinned by /scene; None infers from each request
    model: str = "builtin"
    rounds: int = 4
    candidates: int = 3
    refine_rounds: int = 2
    width: int = 1280
    seed: int = 0
    time_of_day: str | None = None
    renderer: str = "raycast"
    images: str = "auto"
    shots: list[Shot] = field(default_factory=list)
    attached: Path | None = None
    done: bool = False

    # ----- dispatch --------------------------------------------------------------------------
    def handle(self, line: str) -> None:
        """Do what one input line asks; errors print and the session goes on."""
        line = line.strip()
        if not line:
            return
        started = time.time()
        entry: dict = {"input": line}
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
            self.console.print(f"[bold red]error:[/] {exc}")
        entry["seconds"] = round(time.time() - started, 2)
        with open(self.folder / "history.jsonl", "a") as f:
            f.write(json.dumps(entry) + "\n")

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
        m = _SHOW.match(text)
        if m:
            self.show(m["what"] or ("round" if m["n"] else "photo"), int(m["n"]) if m["n"] else None)
            return {"kind": "show"}
        if self.attached is not None:
            self.console.print(
                f"[dim]attached {self.attached.name}: the builtin photographer does not read images; "
                "a VLM model (/model) will[/]"
            )
        refusal = None
        if self.shots:
            try:
                change = parse_change(text)
                if not change.unread:
                    return self.refine(text, change)
            except RefineError as exc:
                refusal = exc
        try:
            return self.new_photo(text)
        except IntentError as exc:
            if refusal is None:
                raise
            raise ValueError(f"{refusal} Or name an object for a new photo.") from exc

    # ----- photos ----------------------------------------------------------------------------
    def _next_folder(self) -> Path:
        return self.folder / f"shot-{len(self.shots) + 1:02d}"

    def new_photo(self, text: str) -> dict:
        from agentvision.photoflow.intent import infer_scene
        from agentvision.photoflow.loop import run_photoflow
        from agentvision.photoflow.search import Budget
        from agentvision.scene.library import load_scene

        ref = self.scene or infer_scene(text)
        if not self.scene:
            self.console.print(f"[dim]scene:[/] {ref} (inferred; /scene NAME to choose)")
        out = self._next_folder()
        result = run_photoflow(
            text,
            load_scene(ref),
            scene_ref=ref,
            time_of_day=self.time_of_day,
            budget=Budget(self.rounds, self.candidates, final_width=self.width),
            seed=self.seed,
            renderer=self.renderer,
            out_dir=out,
            progress=self.progress,
        )
        return self._keep(text, result, out)

    def refine(self, text: str, change) -> dict:
        from agentvision.photoflow.refine import refine

        last = self.shots[-1]
        self.console.print(f"[dim]refining shot {last.number}:[/] {change.describe()}")
        out = self._next_folder()
        result = refine(
            last.result,
            change,
            rounds=self.refine_rounds,
            candidates=self.candidates,
            seed=self.seed,
            width=self.width,
            renderer=self.renderer,
            out_dir=out,
            progress=self.progress,
        )
        return self._keep(text, result, out) | {"refines": last.number, "change": change.describe()}

    def _keep(self, text: str, result, out: Path) -> dict:
        if result.interrupted:
            raise KeyboardInterrupt
        if result.photo is None:
            raise RuntimeError(f"no photo: the search ended before any candidate was reviewed (see {out})")
        shot = Shot(len(self.shots) + 1, text, result, out)
        self.shots.append(shot)
        self.attached = None
        scores = result.scores
        cam = result.camera
        floor = _floor(result)
        self.console.print(
            f"[bold green]shot {shot.number}[/]: score {scores['total']:.2f}/10"
            + ("" if scores["valid"] else " [yellow](breaks: " + _failed(scores) + ")[/]")
            + f", {result.renders} renders, {result.timings['total']:.1f} s"
        )
        self.console.print(
            f"camera: height {cam.position[2] - floor:.2f} m, {cam.focal_mm:.0f} mm, {cam.aspect}, "
            f"pitch {cam.pitch_deg:+.0f} deg, at ({', '.join(f'{v:.2f}' for v in cam.position)}), "
            f"{result.blueprint.time_of_day}"
        )
        self.display(out / "photo.png")
        return {
            "kind": "photo",
            "shot": shot.number,
            "folder": str(out),
            "camera": cam.to_dict(),
            "score": round(scores["total"], 3),
        }

    def progress(self, event: str, data: dict) -> None:
        """The loop's progress callback: one line per stage, printed as it happens."""
        if event == "blueprint":
            bp = data["blueprint"]
            self.console.print(
                f"[dim]blueprint:[/] {', '.join(bp.subjects)} | {bp.shot_size} | {bp.angle} | {bp.placement} | "
                f"{bp.lens} | {bp.time_of_day}"
            )
        elif event == "scout":
            self.console.print(f"[dim]scouted {data['anchors']} viewpoints[/]")
        elif event == "round":
            rec, inc = data["record"], data["incumbent"]
            best = max(rec.shots, key=lambda s: s.review.total)
            self.console.print(
                f"round {data['round'] + 1}/{data['rounds']}: best {best.candidate.id} {best.review.total:.2f}, "
                f"incumbent {inc.candidate.id} {inc.review.total:.2f}"
            )
        elif event == "final":
            self.console.print(f"[dim]final render, {data['camera'].width} px[/]")

    # ----- commands --------------------------------------------------------------------------
    def _last(self) -> Shot:
        if not self.shots:
            raise ValueError("no photo yet: ask for one first, e.g. 'shoot the staircase at dusk'")
        return self.shots[-1]

    def save(self, path: str) -> Path:
        shot = self._last()
        dest = Path(path).expanduser() if path else Path(f"shot-{shot.number:02d}.png")
        if dest.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp"):
            dest = dest.with_name(dest.name + ".png")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.suffix.lower() == ".png":
            shutil.copyfile(shot.folder / "photo.png", dest)
        else:
            Image.open(shot.folder / "photo.png").convert("RGB").save(dest)
        self.console.print(f"saved: {dest.resolve()}")
        return dest

    def show(self, what: str, n: int | None) -> None:
        shot = self._last()
        if what in ("photo", "shot"):
            if n is not None:
                if not 1 <= n <= len(self.shots):
                    raise ValueError(f"there is no shot {n}; shots 1..{len(self.shots)}")
                shot = self.shots[n - 1]
            self.display(shot.folder / "photo.png")
            return
        if what == "round":
            sheets = sorted((shot.folder / "rounds").glob("round-*.png"))
            if n is None or not 1 <= n <= len(sheets):
                raise ValueError(f"shot {shot.number} has rounds 1..{len(sheets)}; say e.g. 'show round 1'")
            self.display(sheets[n - 1])
            return
        self.display(shot.folder / "rounds" / f"scout-{what}.png")

    def set_scene(self, arg: str) -> None:
        from agentvision.scene.library import library_names, load_scene

        if not arg:
            pinned = self.scene or "inferred from each request"
            self.console.print(f"scene: {pinned}; library: {', '.join(library_names())}")
            return
        scene = load_scene(arg)  # raises with the library list
        self.scene = arg
        names = ", ".join(o.name for o in scene.objects if "_" not in o.name or o.name[-1].isdigit())
        self.console.print(f"scene: {arg} ({names})")

    def set_model(self, arg: str) -> None:
        if not arg:
            self.console.print(f"model: {self.model}")
            return
        if arg not in ("builtin", "builtin:"):
            raise ValueError(
                f"model {arg!r}: this session runs the builtin photographer; VLM chat sessions come with the "
                "VLM-backed roles (agentvision.models)"
            )
        self.model = "builtin"
        self.console.print("model: builtin")

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
        if not self.shots:
            self.console.print("no shots yet")
        for s in self.shots:
            self.console.print(f"{s.number:2d}. {s.request}  [dim]{s.result.scores['total']:.2f}  {s.folder}[/]")

    def help(self) -> None:
        self.console.print(
            "[bold]requests[/]: 'shoot the staircase at dusk', then follow-ups that refine the last shot:"
        )
        self.console.print(
            "  lower the camera, higher, closer, step back, try 85mm, make it golden hour, more to the left,"
        )
        self.console.print("  orbit right, portrait, tilt up, put it on the left third, from a low angle")
        self.console.print("  show round 2 | show photo 1 | show map | save it as hero.png")
        for text in COMMANDS.values():
            self.console.print(f"  {text}")

    # ----- images ----------------------------------------------------------------------------
    def display(self, path: Path) -> None:
        """Show an image inline where the terminal can, else as a half-block preview; always the path."""
        mode = graphics_mode() if self.images == "auto" else self.images
        with Image.open(path) as im:
            image = im.convert("RGB")
        cols = max(20, min(self.console.width - 2, 100))
        if mode == "kitty":
            sys.stdout.write(kitty_image(image, cols))
        elif mode == "iterm":
            sys.stdout.write(iterm_image(image, cols))
        elif mode == "sixel":
            sys.stdout.write(sixel_image(image, cols * 8))
        elif mode == "blocks":
            self.console.print(half_blocks(image, min(cols, 72)))
        sys.stdout.flush()
        self.console.print(f"[dim]image:[/] {path.resolve()}")


def _floor(result) -> float:
    from agentvision.scene.library import library_scene

    try:
        scene = library_scene(result.blueprint.scene)
        return float(scene.floor_z) if scene.floor_z is not None else 0.0
    except Exception:
        return 0.0


def _failed(scores: dict) -> str:
    return ", ".join(c["name"] for c in scores["checks"] if c["hard"] and not c["passed"])


# ----- terminal graphics ----------------------------------------------------------------------
def graphics_mode(env: dict | None = None) -> str:
    """kitty, iterm, sixel or blocks, from the environment (AGENTVISION_IMAGES overrides: also none)."""
    env = os.environ if env is None else env
    forced = env.get("AGENTVISION_IMAGES", "").lower()
    if forced in ("kitty", "iterm", "sixel", "blocks", "none"):
        return forced
    term, program = env.get("TERM", ""), env.get("TERM_PROGRAM", "")
    if env.get("TMUX"):
        return "blocks"  # tmux passes no graphics by default
    if env.get("KITTY_WINDOW_ID") or "kitty" in term or program == "ghostty":
        return "kitty"
    if program in ("iTerm.app", "WezTerm"):
        return "iterm"
    if "sixel" in term or term.startswith(("mlterm", "foot", "yaft")) or program == "contour":
        return "sixel"
    return "blocks"


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def kitty_image(image: Image.Image, cols: int) -> str:
    """The kitty graphics protocol: PNG data in chunks of 4096, ``cols`` cells wide."""
    data = base64.standard_b64encode(_png(image)).decode()
    chunks = [data[i : i + 4096] for i in range(0, len(data), 4096)]
    out = []
    for i, chunk in enumerate(chunks):
        more = 1 if i < len(chunks) - 1 else 0
        head = f"a=T,f=100,c={cols}," if i == 0 else ""
        out.append(f"\033_G{head}m={more};{chunk}\033\\")
    return "".join(out) + "\n"


def iterm_image(image: Image.Image, cols: int) -> str:
    """iTerm2's inline image escape (OSC 1337), ``cols`` cells wide."""
    data = _png(image)
    head = f"\033]1337;File=inline=1;size={len(data)};width={cols};preserveAspectRatio=1"
    return f"{head}:{base64.b64encode(data).decode()}\a\n"


def sixel_image(image: Image.Image, width: int, colours: int = 64) -> str:
    """A DEC sixel image ``width`` pixels wide with an adaptive palette."""
    img = image.resize((width, max(1, round(image.height * width / image.width))))
    pal = img.quantize(colours)
    palette = pal.getpalette()[: 3 * colours]
    px = pal.load()
    w, h = pal.size
    out = ["\033Pq"]
    for i in range(len(palette) // 3):
        r, g, b = (round(v * 100 / 255) for v in palette[3 * i : 3 * i + 3])
        out.append(f"#{i};2;{r};{g};{b}")
    for band in range(0, h, 6):
        rows = range(band, min(band + 6, h))
        used = sorted({px[x, y] for y in rows for x in range(w)})
        for c in used:
            line = []
            for x in range(w):
                bits = sum(1 << (y - band) for y in rows if px[x, y] == c)
                line.append(chr(63 + bits))
            out.append(f"#{c}" + "".join(line) + "$")
        out.append("-")
    out.append("\033\\")
    return "".join(out) + "\n"


def half_blocks(image: Image.Image, cols: int) -> Text:
    """A coloured preview: each character is two pixels (upper half block, foreground over background)."""
    rows = max(1, round(image.height * cols / image.width / 2)) * 2
    small = image.resize((cols, rows))
    px = small.load()
    text = Text()
    for y in range(0, rows, 2):
        for x in range(cols):
            top, bottom = px[x, y], px[x, y + 1]
            text.append("\u2580", style=f"rgb({top[0]},{top[1]},{top[2]}) on rgb({bottom[0]},{bottom[1]},{bottom[2]})")
        text.append("\n")
    return text


# ----- the terminal loop ----------------------------------------------------------------------
def _completer(session: ChatSession):
    from prompt_toolkit.completion import Completer, Completion

    from agentvision.scene.library import library_names, library_scene

    class _Complete(Completer):
        def get_completions(self, document, complete_event):
            text = document.text_before_cursor
            word = document.get_word_before_cursor()
            if text.startswith("/") and " " not in text:
                options = list(COMMANDS)
            elif text.startswith("/scene "):
                options = library_names()
            else:
                names = library_names() if session.scene is None else []
                scene = session.scene or (session.shots[-1].result.blueprint.scene if session.shots else None)
                if scene in library_names():
                    names = [o.name.replace("_", " ") for o in library_scene(scene).objects]
                options = names + ["lower the camera", "closer", "step back", "golden hour", "show round", "save it as"]
            for option in options:
                if option.startswith(word) and option != word:
                    yield Completion(option, start_position=-len(word))

    return _Complete()


def run_chat(args) -> int:
    """Run the session until /quit or Ctrl-D."""
    root = args.out or Path("runs") / f"chat-{time.strftime('%Y%m%d-%H%M%S')}"
    root.mkdir(parents=True, exist_ok=True)
    console = Console(highlight=False, soft_wrap=True)
    session = ChatSession(
        root,
        console,
        scene=args.scene,
        model=args.model or "builtin",
        rounds=args.rounds,
        candidates=args.candidates,
        refine_rounds=args.refine_rounds,
        width=args.width,
        seed=args.seed,
        time_of_day=args.time,
        renderer=args.renderer,
        images=args.images,
    )
    if args.scene:
        session.set_scene(args.scene)
    if args.model:
        session.set_model(args.model)
    console.print(f"[bold]agentvision chat[/] - session folder {root}; /help for commands, Ctrl-D to quit")
    read = _reader(session, root)
    while not session.done:
        try:
            line = read()
        except KeyboardInterrupt:
            continue  # Ctrl-C at the prompt clears the line
        except EOFError:
            break
        session.handle(line)
    console.print(f"bye - {len(session.shots)} shots in {root}")
    return 0


def _reader(session: ChatSession, root: Path):
    """prompt_toolkit with history and completion on a terminal; plain lines from a pipe."""
    if not sys.stdin.isatty():
        return lambda: _plain_line()
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    prompt = PromptSession(history=FileHistory(str(root / "input-history")), completer=_completer(session))
    return lambda: prompt.prompt("photo> ")


def _plain_line() -> str:
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line
