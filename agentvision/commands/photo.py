"""``agentvision photo``: search camera states for an intent and write a run folder."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agentvision.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_INVALID_PHOTO, EXIT_OK
from agentvision.models import ModelOptions, ModelSpecError
from agentvision.photoflow.advice import advice, broken_rules
from agentvision.photoflow.casting import RoleModels
from agentvision.photoflow.job import PhotoJob, run
from agentvision.photoflow.records import editor_estimate
from agentvision.photoflow.search import Budget
from agentvision.runs import run_dir_for


def job_from_args(args) -> PhotoJob:
    """The PhotoJob that ``agentvision photo``'s options describe."""
    try:
        models = RoleModels.resolve(args.model, args.director_model, args.reviewer_model, args.reflector_model)
        options = ModelOptions.from_env(
            api_base=args.api_base,
            max_images=args.max_images,
            max_image_side=args.image_side,
            timeout_s=args.timeout,
            deadline_s=getattr(args, "deadline", None),
        )
        budget = Budget(rounds=args.rounds, candidates=args.candidates, final_width=args.width)
    except ValueError as exc:  # a bad spec or option: a usage error, not an unreachable model
        raise ModelSpecError(str(exc)) from None
    return PhotoJob(
        args.intent,
        args.scene,
        time_of_day=args.time,
        budget=budget,
        strategy=args.strategy,
        seed=args.seed,
        renderer=args.renderer,
        final_renderer=args.final_renderer,
        models=models,
        model_options=options,
        prompts_dir=args.prompts,
        out_dir=args.out or run_dir_for(args.intent),
    )


def photo_command(args) -> int:
    console = Console(stderr=True, quiet=args.json)
    job = job_from_args(args)
    out = job.out_dir
    if job.models.all_builtin:
        console.print(
            "[dim]model:[/] builtin (the model-free photographer; --model openai:ID or AGENTVISION_MODEL for a VLM)"
        )
    else:
        for role, spec in job.models.to_dict().items():
            console.print(f"[dim]{role}:[/] {spec}")
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
            if event == "scene" and data["inferred"]:
                console.print(f"[dim]scene:[/] {data['ref']} (inferred from the intent; use --scene to choose)")
            elif event == "model_check":
                console.print(f"[dim]checking {data['spec']}...[/] {data['status']}")
            elif event == "blueprint":
                bp = data["blueprint"]
                console.print(
                    f"[dim]blueprint:[/] {', '.join(bp.subjects)} | {bp.shot_size} | {bp.angle} | {bp.placement} | "
                    f"{bp.lens} | {bp.time_of_day}" + (f" | context {', '.join(bp.context)}" if bp.context else "")
                )
                progress.update(task, description="scouting")
            elif event == "scout":
                progress.update(task, description="rounds", total=None, note=f"{data['anchors']} anchors")
            elif event == "round":
                note = data["record"].summary(data["incumbent"])
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
            elif event == "note":
                console.print(f"[yellow]note:[/] {data['note']}")
            elif event == "final":
                progress.update(task, description="final render", note=f"{data['camera'].width} px")

        result = run(job, on_event)
    code = _exit_code(result)
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict() | {"valid": _valid(result)}, indent=2) + "\n")
        return code
    if result.photo is None and result.interrupted:
        console.print(f"[yellow]no photo[/]: the run ended before any candidate was reviewed; see {out}")
        return code
    if result.photo is None:
        console.print(
            f"[bold red]no photo[/]: the {job.strategy} strategy found no camera position that meets the request "
            f"(where to stand, the angle, the vantage), so nothing was rendered; see {out / 'report.md'}. Try: "
            "loosen where to stand or the angle in the intent, or --strategy photoflow"
        )
        return code
    total = result.scores["total"]
    flag = " [yellow](interrupted: incumbent so far)[/]" if result.interrupted else ""
    console.print(
        f"[bold green]photo:[/] {out / 'photo.png'}  score {total:.2f}/10 (an editor would give it about "
        f"{editor_estimate(total):.1f}), {result.renders} renders, "
        f"{result.timings['total']:.1f} s{flag}"
    )
    for check in broken_rules(result.scores):
        console.print(f"[bold yellow]the photo breaks {check['name']}:[/] {check['message']}. Try: {advice(check)}")
    return code


def _valid(result) -> bool | None:
    return None if result.scores is None else bool(result.scores["valid"])


def _exit_code(result) -> int:
    if result.interrupted:
        return EXIT_INTERRUPTED
    if result.photo is None:  # not one camera could be placed: the request asks for what the scene cannot give
        return EXIT_INPUT
    return EXIT_OK if result.scores["valid"] else EXIT_INVALID_PHOTO
