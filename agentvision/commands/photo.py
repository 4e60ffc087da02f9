"""``agentvision photo``: search camera states for an intent and write a run folder."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agentvision.models import ModelOptions, ModelSpecError, check_health
from agentvision.photoflow.intent import infer_scene
from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.output import run_dir_for
from agentvision.photoflow.search import Budget
from agentvision.photoflow.vlm import RoleModels, Roles, roles_for
from agentvision.scene.library import load_scene


def roles_from_args(args, console: Console) -> tuple[Roles, RoleModels]:
    """The three roles the options ask for; served models are health-checked before anything runs."""
    try:
        models = RoleModels.resolve(args.model, args.director_model, args.reviewer_model, args.reflector_model)
        options = ModelOptions.from_env(
            api_base=args.api_base, max_images=args.max_images, max_image_side=args.image_side, timeout_s=args.timeout
        )
    except ValueError as exc:  # a bad spec or option: a usage error, not an unreachable model
        raise ModelSpecError(str(exc)) from None
    if models.all_builtin:
        console.print(
            "[dim]model:[/] builtin (the model-free photographer; --model openai:ID or AGENTVISION_MODEL for a VLM)"
        )
    else:
        for role, spec in models.to_dict().items():
            console.print(f"[dim]{role}:[/] {spec}")
    for spec in models.distinct():
        console.print(f"[dim]checking {spec}...[/] ", end="")
        console.print(check_health(spec, options))
    return roles_for(models, options, prompts_dir=args.prompts, check=False), models


def photo_command(args) -> int:
    console = Console(stderr=True, quiet=args.json)
    scene_ref = args.scene or infer_scene(args.intent)
    if not args.scene:
        console.print(f"[dim]scene:[/] {scene_ref} (inferred from the intent; use --scene to choose)")
    scene = load_scene(scene_ref)
    roles, models = roles_from_args(args, console)
    out = args.out or run_dir_for(args.intent)
    budget = Budget(rounds=args.rounds, candidates=args.candidates, final_width=args.width)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("blueprint", total=None, note="")
        gone: set[str] = set()  # roles whose model became unreachable

        def on_event(event: str, data: dict) -> None:
            if event == "blueprint":
                bp = data["blueprint"]
                console.print(
                    f"[dim]blueprint:[/] {', '.join(bp.subjects)} | {bp.shot_size} | {bp.angle} | {bp.placement} | "
                    f"{bp.lens} | {bp.time_of_day}" + (f" | context {', '.join(bp.context)}" if bp.context else "")
                )
                progress.update(task, description="scouting")
            elif event == "scout":
                progress.update(task, description="rounds", total=None, note=f"{data['anchors']} anchors")
            elif event == "round":
                rec, inc = data["record"], data["incumbent"]
                best = max(rec.shots, key=lambda s: s.review.total)
                note = (
                    f"best {best.candidate.id} {best.review.total:.2f} | incumbent {inc.candidate.id} "
                    f"{inc.review.total:.2f}"
                )
                progress.update(task, total=data["rounds"], completed=data["round"] + 1, note=note)
            elif event == "model":
                what = f"{data['role']} {data.get('purpose', '')}"
                if data["event"] == "fallback":
                    reason = data.get("reason", "")
                    if not reason.startswith("model unavailable"):
                        console.print(f"[yellow]{what}: no usable answer, the built-in {data['role']} steps in[/]")
                    elif data["role"] not in gone:  # said once per role, not at every step
                        gone.add(data["role"])
                        console.print(
                            f"[yellow]{data['role']}: the model stopped answering; the built-in {data['role']} "
                            f"finishes the run ({reason})[/]"
                        )
                else:
                    progress.update(task, note=f"{what} ({data.get('seconds') or 0:.1f} s)")
            elif event == "final":
                progress.update(task, description="final render", note=f"{data['camera'].width} px")

        result = run_photoflow(
            args.intent,
            scene,
            scene_ref=scene_ref,
            time_of_day=args.time,
            budget=budget,
            strategy=args.strategy,
            seed=args.seed,
            renderer=args.renderer,
            out_dir=out,
            progress=on_event,
            director=roles.director,
            reviewer=roles.reviewer,
            reflector=roles.reflector,
            models=models.to_dict(),
        )
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
        return 130 if result.interrupted else 0
    if result.photo is None:
        console.print(f"[yellow]no photo[/]: the run ended before any candidate was reviewed; see {out}")
        return 130
    total = result.scores["total"]
    flag = " [yellow](interrupted: incumbent so far)[/]" if result.interrupted else ""
    console.print(
        f"[bold green]photo:[/] {out / 'photo.png'}  score {total:.2f}/10, {result.renders} renders, "
        f"{result.timings['total']:.1f} s{flag}"
    )
    return 130 if result.interrupted else 0
