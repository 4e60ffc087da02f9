"""``agentvision runs``: the run folders as a gallery; ``runs show N`` shows one (photo, camera, scores)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentvision.errors import InputError
from agentvision.runs import RunRecord, find_runs


def runs_command(args) -> int:
    runs = find_runs(args.root)
    if args.action == "show":
        return show_run(pick(runs, args.number, args.root), args.images)
    console = Console()
    if not runs:
        Console(stderr=True).print(f'no runs under {args.root}/ yet: agentvision photo "..." makes one')
        return 0
    table = Table(title=f"runs under {args.root}/ (newest first; agentvision runs show N)")
    for col in ("#", "when", "scene", "score", "intent", "folder"):
        table.add_column(col, justify="right" if col in ("#", "score") else "left", overflow="fold")
    for n, run in enumerate(runs[: args.limit], 1):
        score = "" if run.score is None else f"{run.score:.2f}" + ("" if run.valid is not False else " !")
        table.add_row(str(n), run.when, run.scene, score, escape(run.intent), escape(str(run.folder)))
    console.print(table)
    if len(runs) > args.limit:
        console.print(f"[dim]{len(runs) - args.limit} older runs not shown (--limit)[/]")
    return 0


def pick(runs: list[RunRecord], number: int | None, root: Path) -> RunRecord:
    """Run ``number`` of the listing (1 = newest); an input error saying which numbers exist."""
    if not runs:
        raise InputError(f'no runs under {root}/ to show: agentvision photo "..." makes one')
    if number is None or not 1 <= number <= len(runs):
        raise InputError(f"give a run number from 1 (newest) to {len(runs)}: agentvision runs show 1")
    return runs[number - 1]


def show_run(run: RunRecord, images: str = "auto") -> int:
    """The photo inline (or as a half-block preview), then intent, camera, scores with reasons, and the files."""
    from agentvision.chat.terminal_images import show_image  # the chat package: imported only to show

    console = Console()
    show_image(console, run.photo, images, label="photo")
    console.print(f"[bold]{escape(run.intent)}[/]  [dim]{run.scene}, {run.time_of_day}, {run.strategy}, {run.when}[/]")
    camera = run.data.get("camera", {})
    console.print(
        f"camera: at {_point(camera.get('position'))} looking at {_point(camera.get('look_at'))}, "
        f"{camera.get('focal_mm')} mm, {camera.get('aspect')}"
    )
    scores = run.data.get("scores") or {}
    if run.score is not None:
        broken = [c.get("name") for c in scores.get("checks", []) if c.get("hard") and not c.get("passed")]
        editor = f", an editor: about {scores['editor_estimate']:.1f}" if "editor_estimate" in scores else ""
        console.print(
            f"score {run.score:.2f}/10{editor}" + (f" [yellow](breaks: {', '.join(broken)})[/]" if broken else "")
        )
    reasons = scores.get("reasons") or {}
    for axis, value in (scores.get("scores") or {}).items():
        console.print(f"  {axis} {value:.1f}: {escape(str(reasons.get(axis, '')))}")
    console.print(f"[dim]report:[/] {run.report.resolve()}")
    console.print(f"[dim]camera.json:[/] {(run.folder / 'camera.json').resolve()}")
    return 0


def _point(values) -> str:
    try:
        return "(" + ", ".join(f"{float(v):.2f}" for v in values) + ")"
    except (TypeError, ValueError):
        return str(values)
