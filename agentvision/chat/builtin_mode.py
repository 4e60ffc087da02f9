"""The builtin mode of a chat session: the model-free photographer, whose follow-ups refine the last shot.

It explains itself: a follow-up whose shot breaks a hard rule says which and why, and the nearest valid shot
is photographed next to it; follow-ups compose (each shot keeps the changes that led to it); a request for an
object stays in the current scene when that scene has it, and a switch of scene is announced; Ctrl-C keeps the
best shot found so far.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
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
    kept: list = field(default_factory=list)  # refine.Kept: the follow-ups this shot keeps, oldest first

    @property
    def photo(self) -> Path:
        """The shot's final photograph."""
        return self.folder / "photo.png"

    @property
    def broken(self) -> list[str]:
        """The photo's broken hard rules, each with its reason (a follow-up's ``keeps_change`` is not one: see
        :attr:`undone`)."""
        return [f"{c['name']}: {c.get('message', '')}" for c in self._failed_checks() if c["name"] != "keeps_change"]

    @property
    def undone(self) -> list[str]:
        """What the follow-ups asked that this shot could not keep, with the reason."""
        return [str(c.get("message", "")) for c in self._failed_checks() if c["name"] == "keeps_change"]

    def _failed_checks(self) -> list[dict]:
        checks = (self.result.scores or {}).get("checks", [])
        return [c for c in checks if c["hard"] and not c["passed"]]


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
        unread = False
        if self.shots:
            try:
                change = parse_change(text)
            except RefineError:
                unread = True  # not a follow-up: a new request, or words nothing reads
            else:
                if not change.unread:
                    return self.refine(text, change)  # a RefineError here says why the change cannot be made
        try:
            return self.new_photo(text, scene)
        except IntentError as exc:
            if not unread:
                raise
            last = self.shots[-1].number
            raise IntentError(
                f"{exc} (To refine shot {last}, say e.g. 'lower the camera', 'closer' or 'try 85mm'; /help lists more.)"
            ) from None

    def scene_for(self, text: str) -> str | None:
        """The scene a new request goes to when none is pinned: the last shot's when it has what the request
        names (a switch must be asked for, e.g. 'in the living room'), else the library's best; a switch is
        announced. None: infer as a first request does."""
        from agentvision.photoflow.builtin.intent import read
        from agentvision.photoflow.builtin.scene_inference import infer_scene
        from agentvision.scene.catalog import library_catalog
        from agentvision.scene.library import library_names

        current = self.shots[-1].result.blueprint.scene if self.shots else None
        if current not in library_names():
            return None
        best = infer_scene(text)  # IntentError (the library's objects) when no scene has it
        if best == current:
            return current
        asked = best in read(text, library_catalog(best))[0].hints
        try:
            infer_scene(text, [current])
            has_it = True
        except IntentError:
            has_it = False
        if has_it and not asked:
            self.console.print(
                f"[dim]scene: staying in {current}, which has it; {best} has it too (say 'in the "
                f"{best.replace('_', ' ')}' or /scene {best} to switch)[/]"
            )
            return current
        why = "as asked" if asked else f"{current} has nothing by that name"
        self.console.print(f"[bold]scene: switching from {current} to {best}[/] ({why}; /scene pins one)")
        return best

    def _next_folder(self) -> Path:
        return self.folder / f"shot-{len(self.shots) + 1:02d}"

    def new_photo(self, text: str, scene: str | None) -> dict:
        """Run PhotoFlow on ``text`` in ``scene`` (None: inferred from the text)."""
        from agentvision.photoflow.job import PhotoJob, run
        from agentvision.photoflow.search import Budget

        o = self.options
        if scene is None and self.shots:
            scene = self.scene_for(text)
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
        kept = "; keeping " + ", ".join(dict.fromkeys(f"'{k[2].text}'" for k in last.kept)) if last.kept else ""
        self.console.print(f"[dim]refining shot {last.number}:[/] {change.describe()}{kept}")
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
            keep=last.kept,
        )
        valid = bool(result.scores and result.scores["valid"])
        chain = [*last.kept, (last.result.camera, result.camera, change)] if valid else list(last.kept)
        record = self._keep(text, result, out, chain) | {"refines": last.number, "change": change.describe()}
        if self.shots[-1].broken and not result.interrupted:
            record["nearest_valid"] = self.offer_nearest(text, result)
        return record

    def offer_nearest(self, text: str, result) -> int | None:
        """After a follow-up whose shot breaks a hard rule: photograph the nearest valid camera the search saw."""
        from agentvision.photoflow.refine import nearest_valid, reshoot

        found = nearest_valid(result)
        broken = self.shots[-1]
        if found is None:
            self.console.print(
                f"[yellow]no camera near it keeps every rule[/]: shot {broken.number - 1} stays the last valid one; "
                "try a smaller change ('a bit lower') or another one"
            )
            return None
        camera, review = found
        self.console.print(
            f"[bold]the nearest valid shot[/] (score {review['total']:.2f}, "
            f"{_delta(broken.result.camera, camera)}): photographing it as shot {broken.number + 1}"
        )
        out = self._next_folder()
        o = self.options
        again = reshoot(result, camera, width=o.width, renderer=o.renderer, out_dir=out, progress=self.progress)
        self._keep(f"{text} (nearest valid)", again, out, list(broken.kept))
        return self.shots[-1].number

    def _keep(self, text: str, result, out: Path, kept: list | None = None) -> dict:
        if result.photo is None:
            if result.interrupted:
                raise KeyboardInterrupt
            raise RuntimeError(f"no photo: the search ended before any candidate was reviewed (see {out})")
        shot = ChatShot(len(self.shots) + 1, text, result, out, list(kept or []))
        self.shots.append(shot)
        if result.interrupted:
            self.console.print(f"[yellow]interrupted[/]: the best shot so far is kept as shot {shot.number}")
        scores = result.scores
        cam = result.camera
        floor = _floor(result)
        self.console.print(
            f"[bold green]shot {shot.number}[/]: score {scores['total']:.2f}/10"
            + (f" (an editor: about {scores['editor_estimate']:.1f})" if "editor_estimate" in scores else "")
            + (" [yellow](breaks: " + ", ".join(r.split(":")[0] for r in shot.broken) + ")[/]" if shot.broken else "")
            + f", {result.renders} renders, {result.timings['total']:.1f} s"
        )
        for reason in shot.broken:
            self.console.print(f"  [yellow]why:[/] {reason}")
        for reason in shot.undone:
            self.console.print(f"  [yellow]not kept:[/] {reason} (the nearest the search found)")
        self.console.print(
            f"camera: height {cam.position[2] - floor:.2f} m, {cam.focal_mm:.0f} mm, {cam.aspect}, "
            f"pitch {cam.pitch_deg:+.0f} deg, at ({', '.join(f'{v:.2f}' for v in cam.position)}), "
            f"{result.blueprint.time_of_day}"
        )
        self.display(shot.photo)
        self.on_photo(shot.photo)
        return {
            "kind": "photo",
            "interrupted": result.interrupted,
            "valid": bool(scores["valid"]),
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
            self.console.print(
                f"round {data['round'] + 1}/{data['rounds']}: {data['record'].summary(data['incumbent'])}"
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


def _delta(before, after) -> str:
    """How ``after`` differs from ``before``, in a photographer's words."""
    parts = []
    dz = after.position[2] - before.position[2]
    if abs(dz) >= 0.05:
        parts.append(f"{abs(dz):.2f} m {'higher' if dz > 0 else 'lower'}")
    moved = math.dist(after.position[:2], before.position[:2])
    if moved >= 0.05:
        parts.append(f"{moved:.2f} m away across the floor")
    if abs(after.focal_mm - before.focal_mm) >= 1:
        parts.append(f"{after.focal_mm:.0f} mm instead of {before.focal_mm:.0f} mm")
    return ", ".join(parts) or "almost the same camera"
