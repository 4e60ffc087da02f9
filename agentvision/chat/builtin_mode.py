"""The builtin mode of a chat session: the model-free photographer, whose follow-ups refine the last shot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from agentvision.chat.options import ChatOptions
from agentvision.photoflow.builtin.followups import RefineError, parse_change
from agentvision.photoflow.builtin.intent import IntentError


@dataclass
class ChatShot:
    """One photo of the session."""

    number: int
    request: str
    result: object  # PhotoResult
    folder: Path

    @property
    def photo(self) -> Path:
        """The shot's final photograph."""
        return self.folder / "photo.png"


class BuiltinPhotographer:
    """New requests run PhotoFlow; follow-ups ("lower the camera", "try 85mm") refine the last shot.

    ``display(path)`` shows an image with its path; ``on_photo(path)`` is told of every photo made.
    """

    def __init__(
        self,
        folder: Path,
        console: Console,
        options: ChatOptions,
        display: Callable[[Path], None],
        on_photo: Callable[[Path], None],
    ) -> None:
        self.folder = folder
        self.console = console
        self.options = options
        self.display = display
        self.on_photo = on_photo
        self.shots: list[ChatShot] = []

    def request(self, text: str, scene: str | None) -> dict:
        """A new photo, or a refinement of the last shot when ``text`` reads as a change of it."""
        refusal = None
        if self.shots:
            try:
                change = parse_change(text)
                if not change.unread:
                    return self.refine(text, change)
            except RefineError as exc:
                refusal = exc
        try:
            return self.new_photo(text, scene)
        except IntentError as exc:
            if refusal is None:
                raise
            raise ValueError(f"{refusal} Or name an object for a new photo.") from exc

    def _next_folder(self) -> Path:
        return self.folder / f"shot-{len(self.shots) + 1:02d}"

    def new_photo(self, text: str, scene: str | None) -> dict:
        """Run PhotoFlow on ``text`` in ``scene`` (None: inferred from the text)."""
        from agentvision.photoflow.job import PhotoJob, run
        from agentvision.photoflow.search import Budget

        o = self.options
        out = self._next_folder()
        job = PhotoJob(
            text,
            scene,
            time_of_day=o.time_of_day,
            budget=Budget(o.rounds, o.candidates, final_width=o.width),
            seed=o.seed,
            renderer=o.renderer,
            final_renderer=o.final_renderer,
            out_dir=out,
        )
        result = run(job, self.progress)
        return self._keep(text, result, out)

    def refine(self, text: str, change) -> dict:
        """A short search from the last shot's camera moved as ``change`` asks."""
        from agentvision.photoflow.refine import refine

        o = self.options
        last = self.shots[-1]
        self.console.print(f"[dim]refining shot {last.number}:[/] {change.describe()}")
        out = self._next_folder()
        result = refine(
            last.result,
            change,
            rounds=o.refine_rounds,
            candidates=o.candidates,
            seed=o.seed,
            width=o.width,
            renderer=o.renderer,
            final_renderer=o.final_renderer,
            out_dir=out,
            progress=self.progress,
        )
        return self._keep(text, result, out) | {"refines": last.number, "change": change.describe()}

    def _keep(self, text: str, result, out: Path) -> dict:
        if result.interrupted:  # cancelled: the best photo so far is on disk, and the session keeps it
            if result.photo is not None:
                shot = ChatShot(len(self.shots) + 1, text, result, out)
                self.shots.append(shot)
                self.on_photo(shot.photo)
                self.console.print(f"[yellow]shot {shot.number} kept[/]: the best photo so far, {shot.photo}")
            raise KeyboardInterrupt
        if result.photo is None:
            raise RuntimeError(f"no photo: the search ended before any candidate was reviewed (see {out})")
        shot = ChatShot(len(self.shots) + 1, text, result, out)
        self.shots.append(shot)
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
        self.display(shot.photo)
        self.on_photo(shot.photo)
        return {
            "kind": "photo",
            "shot": shot.number,
            "folder": str(out),
            "camera": cam.to_dict(),
            "score": round(scores["total"], 3),
        }

    def progress(self, event: str, data: dict) -> None:
        """The loop's progress callback: one line per stage, printed as it happens."""
        if event == "scene" and data["inferred"]:
            self.console.print(f"[dim]scene:[/] {data['ref']} (inferred; /scene NAME to choose)")
        elif event == "blueprint":
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

    def last(self) -> ChatShot:
        """The latest shot; a clear error when there is none."""
        if not self.shots:
            raise ValueError("no photo yet: ask for one first, e.g. 'shoot the staircase at dusk'")
        return self.shots[-1]

    def show(self, what: str, n: int | None) -> None:
        """Show a shot's photo ('photo'/'shot' n), a round's contact sheet ('round' n) or a scout sheet."""
        shot = self.last()
        if what in ("photo", "shot"):
            if n is not None:
                if not 1 <= n <= len(self.shots):
                    raise ValueError(f"there is no shot {n}; shots 1..{len(self.shots)}")
                shot = self.shots[n - 1]
            self.display(shot.photo)
            return
        if what == "round":
            sheets = sorted((shot.folder / "rounds").glob("round-*.png"))
            if n is None or not 1 <= n <= len(sheets):
                raise ValueError(f"shot {shot.number} has rounds 1..{len(sheets)}; say e.g. 'show round 1'")
            self.display(sheets[n - 1])
            return
        self.display(shot.folder / "rounds" / f"scout-{what}.png")

    def history(self) -> None:
        """One line per shot."""
        for s in self.shots:
            self.console.print(f"{s.number:2d}. {s.request}  [dim]{s.result.scores['total']:.2f}  {s.folder}[/]")


def _floor(result) -> float:
    from agentvision.scene.library import library_scene

    try:
        scene = library_scene(result.blueprint.scene)
        return float(scene.floor_z) if scene.floor_z is not None else 0.0
    except Exception:
        return 0.0


def _failed(scores: dict) -> str:
    return ", ".join(c["name"] for c in scores["checks"] if c["hard"] and not c["passed"])
