"""photoflow: the whole PhotoFlow loop (blueprint, scouting, rounds of proposals, reviews, reflection) as one tool."""

from smolagents import Tool


class PhotoFlowTool(Tool):
    name = "photoflow"
    description = (
        "Runs the built-in PhotoFlow photographer on an intent and returns the best photograph it finds. "
        "Given an intent (for example 'the sofa on the left third at golden hour, 50mm') it searches camera states "
        "with a Director-Reviewer-Reflector loop under a render budget and "
        "renders the best one at final quality. Returns text with the photo's path ('saved: PATH'), the run folder "
        "(contact sheets per round, report.md, trace.jsonl), the score out of 10 with the four axes, and the "
        "camera JSON (reusable with render_view and check_camera). Shows you the photo at your next step. "
        "Takes about a second per render plus the final render."
    )
    inputs = {
        "intent": {"type": "string", "description": "what to photograph, in words"},
        "scene": {
            "type": "string",
            "description": "library scene name or scene file (empty: the current scene, else inferred from the intent)",
            "nullable": True,
        },
        "time_of_day": {
            "type": "string",
            "description": (
                "override the intent's time: dawn, morning, noon, afternoon, golden_hour, dusk, blue_hour, night"
            ),
            "nullable": True,
        },
        "rounds": {"type": "integer", "description": "search rounds (default 6)", "nullable": True},
        "candidates": {"type": "integer", "description": "candidates per round (default 4)", "nullable": True},
        "strategy": {
            "type": "string",
            "description": "photoflow (default), random, one-shot, anchor-bank or single-chain",
            "nullable": True,
        },
        "seed": {"type": "integer", "description": "random seed (default 0)", "nullable": True},
        "width": {"type": "integer", "description": "final photo width in pixels (default 1280)", "nullable": True},
    }
    output_type = "string"

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(
        self,
        intent: str,
        scene: str | None = None,
        time_of_day: str | None = None,
        rounds: int | None = None,
        candidates: int | None = None,
        strategy: str | None = None,
        seed: int | None = None,
        width: int | None = None,
    ) -> str:
        from agentvision.photoflow.job import PhotoJob, run
        from agentvision.photoflow.search import Budget
        from agentvision.photoflow.strategies import STRATEGIES
        from agentvision.runs import run_dir_for
        from agentvision.toolcontext import ToolInputError, camera_json

        ctx = self.context
        if not (intent or "").strip():
            raise ToolInputError("intent is empty: say what to photograph, e.g. 'the fountain at golden hour'")
        strategy = (strategy or "photoflow").strip()
        if strategy not in STRATEGIES:
            raise ToolInputError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
        try:
            budget = Budget(rounds=int(rounds or 6), candidates=int(candidates or 4), final_width=int(width or 1280))
        except ValueError as exc:
            raise ToolInputError(str(exc)) from None
        ref = (scene or "").strip() or None
        the_scene = ctx.get_scene(ref) if ref is not None or ctx.scene is not None else None
        out = run_dir_for(intent, root=ctx.output_dir())
        job = PhotoJob(
            intent,
            the_scene,
            time_of_day=(time_of_day or "").strip() or None,
            budget=budget,
            strategy=strategy,
            seed=int(seed or 0),
            renderer=ctx.renderer,
            out_dir=out,
        )
        result = run(job)
        if result.photo is None:
            return f"No photo: the run ended before any candidate was reviewed; see {out}"
        photo = out / "photo.png"
        ctx.record_image(photo, "photo")
        ctx.show(result.photo, f"photoflow photo: {intent}")
        scores = result.scores
        axes = ", ".join([f"{k} {v:.1f}" for k, v in scores["scores"].items()])
        bp = result.blueprint
        return "\n".join(
            [
                f"PhotoFlow ({result.strategy}) photographed {', '.join(bp.subjects)} in {bp.scene} at "
                f"{bp.time_of_day}: score {scores['total']:.2f}/10 ({axes}), {result.renders} renders, "
                f"{result.timings.get('total', 0.0):.1f} s.",
                f"saved: {photo}",
                f"run folder: {out}",
                f"camera: {camera_json(result.camera)}",
                "The photo is shown to you at your next step.",
            ]
        )
