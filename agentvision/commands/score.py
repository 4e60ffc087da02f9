"""``agentvision score``: the Reviewer's score of a given camera for an intent in a scene (or of a run)."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape

from agentvision.camera import Camera
from agentvision.errors import InputError
from agentvision.photoflow.advice import advice
from agentvision.photoflow.scoring import score_camera, score_run


def score_command(args) -> int:
    if args.run_dir is not None:
        if args.camera or args.intent:
            raise InputError("give a run folder, or --camera with --scene and --intent, not both")
        scored = score_run(args.run_dir, time_of_day=args.time)
    else:
        if not (args.camera and args.scene and args.intent):
            raise InputError("give a run folder, or --camera FILE --scene SCENE --intent TEXT")
        scored = score_camera(args.intent, args.scene, Camera.load(args.camera), time_of_day=args.time)
    if args.json:
        sys.stdout.write(json.dumps(scored.to_dict(), indent=2) + "\n")
        return 0
    out = Console()
    data = scored.to_dict()
    verdict = "[green]valid[/]" if data["valid"] else "[bold yellow]breaks a hard rule[/]"
    out.print(
        f"[bold]score {data['total']:.2f}/10[/] ({verdict}; "
        f"an editor would give it about {data['editor_estimate']:.1f})"
    )
    for axis, value in data["scores"].items():
        out.print(f"  {axis:12s} {value:5.2f}  [dim]{escape(data['reasons'][axis])}[/]")
    for check in data["broken_rules"]:
        out.print(f"[yellow]breaks {check['name']}:[/] {escape(check['message'])}. Try: {advice(check)}")
    return 0
