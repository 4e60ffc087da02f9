"""The ``agentvision`` command line."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

try:
    from rich.console import Console
    from rich.markup import escape

    from agentvision import __version__
    from agentvision.camera import ASPECTS
    from agentvision.commands.serve import add_serve_arguments
    from agentvision.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, AgentVisionError, one_line
    from agentvision.photoflow.strategies import STRATEGIES as STRATEGY_NAMES
    from agentvision.scene.lighting import TIMES
    from agentvision.stopping import is_interruption, stop_on_sigterm
except KeyboardInterrupt:  # Ctrl-C while the program starts: nothing to keep, no traceback
    raise SystemExit(130) from None

console = Console(stderr=True)


def _vec(text: str) -> tuple[float, float, float]:
    try:
        parts = [float(v) for v in text.replace(" ", "").split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not x,y,z (three numbers in metres)") from None
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"{text!r} is not x,y,z (three numbers in metres)")
    return tuple(parts)


def _whole(text: str, least: int = 1) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be {least} or more, got {value}")
    return value


def _positive(text: str) -> int:
    return _whole(text, 1)


def _non_negative(text: str) -> int:
    return _whole(text, 0)


def add_model_arguments(p: argparse.ArgumentParser) -> None:
    """The options that choose and reach the model of each PhotoFlow role."""
    g = p.add_argument_group("models (default: $AGENTVISION_MODEL, else builtin, the model-free photographer)")
    g.add_argument("--model", default=None, metavar="SPEC", help="builtin | openai:MODEL_ID | transformers:PATH_OR_ID")
    g.add_argument("--api-base", default=None, metavar="URL", help="OpenAI-compatible server, e.g. http://HOST:8000/v1")
    for role in ("director", "reviewer", "reflector"):
        g.add_argument(f"--{role}-model", default=None, metavar="SPEC", help=f"the {role}'s model (default --model)")
    g.add_argument("--max-images", type=_positive, default=None, help="images per request (default 4)")
    g.add_argument("--image-side", type=_positive, default=None, help="longest image side sent, px (default 1024)")
    g.add_argument("--timeout", type=float, default=None, help="seconds per model request (default 120)")
    g.add_argument(
        "--deadline", type=float, default=None, help="seconds of requests per role (default 900); then built-in"
    )
    g.add_argument("--prompts", type=Path, default=None, help="folder of prompt overrides (agents/*.yaml names)")


def add_session_arguments(p: argparse.ArgumentParser, kind: str) -> None:
    """The options of an interactive session (``chat``, ``ui``): scene, budgets, renderer and the VLM mode."""
    p.add_argument("--scene", help="library scene name or scene file (default: inferred from each request)")
    p.add_argument("--time", default=None, help=f"time of day for new requests, overriding theirs: {', '.join(TIMES)}")
    p.add_argument("--out", type=Path, default=None, help=f"session folder (default runs/{kind}-<timestamp>/)")
    p.add_argument("--rounds", type=_positive, default=4, help="search rounds per new request (default 4)")
    p.add_argument("--refine-rounds", type=_positive, default=2, help="search rounds per follow-up (default 2)")
    p.add_argument("--candidates", type=_positive, default=3, help="candidates per round (default 3)")
    p.add_argument("--seed", type=int, default=0, help="random seed")
    p.add_argument("--width", type=_positive, default=1280, help="photo width in pixels (default 1280)")
    p.add_argument(
        "--renderer", default="raycast", choices=["raycast", "gl"], help="previews' engine (default raycast)"
    )
    p.add_argument(
        "--final-renderer", default="path", choices=["path", "raycast", "gl"], help="the photos' engine (default path)"
    )
    g = p.add_argument_group("VLM mode (default model: $AGENTVISION_MODEL, else builtin, the model-free photographer)")
    g.add_argument(
        "--model", default=None, metavar="SPEC", help="openai:MODEL_ID (or transformers:PATH): an agent conversation"
    )
    g.add_argument("--api-base", default=None, metavar="URL", help="OpenAI-compatible server, e.g. http://HOST:8000/v1")
    g.add_argument("--max-images", type=_positive, default=None, help="images per model request (default 4)")
    g.add_argument("--image-side", type=_positive, default=None, help="longest image side sent, px (default 1024)")
    g.add_argument("--timeout", type=float, default=None, help="seconds per model request (default 120)")
    g.add_argument("--max-steps", type=_positive, default=12, help="agent steps per request (default 12)")
    g.add_argument(
        "--preview-width", type=_positive, default=640, help="width of the views the agent renders, px (default 640)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentvision",
        description=__doc__,
        epilog="exit codes: 0 done, 1 internal error, 2 bad input, 3 model unavailable, 4 missing dependency, "
        "5 the photo breaks a hard rule, 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"agentvision {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("scenes", help="list the scene library with its objects")

    t = sub.add_parser("tools", help="list the tool catalog (smolagents Tools for agents)")
    t.add_argument("--full", action="store_true", help="show whole descriptions")

    r = sub.add_parser("render", help="render a scene from a camera")
    r.add_argument("scene", help="library scene name or a scene file (glTF/GLB, OBJ, PLY, STL)")
    r.add_argument("--time", default="noon", help=f"time of day: {', '.join(TIMES)} (default noon)")
    r.add_argument("--camera", type=Path, help="camera JSON file (overrides --look-from/--look-at)")
    r.add_argument("--look-from", type=_vec, metavar="X,Y,Z", help="camera position in metres")
    r.add_argument("--look-at", type=_vec, metavar="X,Y,Z", help="point the camera looks at")
    r.add_argument("--focal", type=float, default=None, help="focal length, mm (35 mm equivalent)")
    r.add_argument("--aspect", default=None, help=f"frame: {', '.join(ASPECTS)}")
    r.add_argument("--f-number", type=float, default=None, help="aperture f-number (depth of field in --quality final)")
    r.add_argument("--roll", type=float, default=None, help="roll in degrees (positive turns the image clockwise)")
    r.add_argument("--renderer", default="raycast", choices=["raycast", "gl", "path"], help="engine (default raycast)")
    r.add_argument("--width", type=int, default=None, help="image width in pixels (default 1280, or the camera's)")
    r.add_argument("--quality", default="final", choices=["preview", "final"], help="final: AA, AO, DOF (default)")
    r.add_argument("-o", "--out", type=Path, default=Path("render.png"), help="output PNG (default render.png)")

    p = sub.add_parser("photo", help="search camera poses for an intent and return a photograph")
    p.add_argument("intent", help='what to photograph, e.g. "shoot the staircase at dusk"')
    p.add_argument("--scene", help="library scene name or scene file (default: inferred from the intent)")
    p.add_argument("--time", default=None, help=f"time of day, overriding the intent's: {', '.join(TIMES)}")
    p.add_argument("--out", type=Path, default=None, help="run folder (default runs/<timestamp>-<slug>/)")
    p.add_argument("--rounds", type=_positive, default=6, help="search rounds (default 6)")
    p.add_argument("--candidates", type=_positive, default=4, help="candidates per round (default 4)")
    p.add_argument("--strategy", default="photoflow", choices=list(STRATEGY_NAMES), help="search strategy")
    p.add_argument("--seed", type=_non_negative, default=0, help="random seed: the same seed gives the same photo")
    p.add_argument("--width", type=_positive, default=1920, help="final photo width in pixels (default 1920)")
    p.add_argument(
        "--renderer", default="raycast", choices=["raycast", "gl"], help="previews' engine (default raycast)"
    )
    p.add_argument(
        "--final-renderer",
        default="path",
        choices=["path", "raycast", "gl"],
        help="the photo's engine (default path, physically based; raycast where it cannot run, with a note)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    add_model_arguments(p)

    b = sub.add_parser("bench", help="run missions x strategies x seeds, judge each, summarise")
    b.add_argument("paths", nargs="*", type=Path, help="mission files or folders (default: the shipped missions)")
    b.add_argument("--strategies", default=",".join(STRATEGY_NAMES), help="comma-separated (default: all five)")
    b.add_argument("--seeds", type=_positive, default=3, help="seeds per mission and strategy (default 3)")
    b.add_argument("--rounds", type=_positive, default=6, help="search rounds (default 6)")
    b.add_argument("--candidates", type=_positive, default=4, help="candidates per round (default 4)")
    b.add_argument("--width", type=_positive, default=640, help="photo width for the runs (default 640)")
    b.add_argument("--workers", type=_positive, default=2, help="local worker processes (default 2)")
    b.add_argument("--ray", default=None, metavar="ADDRESS", help="run on a Ray cluster ('local' starts one)")
    b.add_argument("--out", type=Path, default=Path("bench"), help="output folder (default bench/; resumes)")

    sc = sub.add_parser("score", help="the Reviewer's score of a camera for an intent in a scene (or of a run folder)")
    sc.add_argument("run_dir", nargs="?", type=Path, default=None, help="a run folder (its camera.json)")
    sc.add_argument("--camera", type=Path, default=None, help="camera JSON file (a camera, or a camera.json)")
    sc.add_argument("--scene", default=None, help="library scene name or scene file")
    sc.add_argument("--intent", default=None, help="the intent to score the camera for")
    sc.add_argument("--time", default=None, help=f"time of day, overriding the intent's: {', '.join(TIMES)}")
    sc.add_argument("--json", action="store_true", help="print total, valid, scores, checks and features as JSON")

    j = sub.add_parser("judge", help="judge a run folder against a mission (JSON on stdout)")
    j.add_argument("run_dir", type=Path, help="a run folder written by agentvision photo")
    j.add_argument("--mission", type=Path, required=True, help="the mission YAML file")

    c = sub.add_parser("chat", help="an interactive photo session: requests, follow-ups, /help")
    add_session_arguments(c, "chat")
    c.add_argument(
        "--images",
        default="auto",
        choices=["auto", "kitty", "iterm", "sixel", "blocks", "none"],
        help="how photos show in the terminal (default auto: from TERM/TERM_PROGRAM)",
    )

    u = sub.add_parser("ui", help="a local web page for the photographer (needs the ui extra: gradio)")
    add_session_arguments(u, "ui")
    u.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    u.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    u.add_argument("--runs", type=Path, default=Path("runs"), help="run folders the page lists (default runs/)")

    e = sub.add_parser("export", help="write a scene as glTF binary (Y up, one node per object; optionally a camera)")
    e.add_argument("scene", help="library scene name or a scene file")
    e.add_argument("-o", "--out", type=Path, required=True, help="output .glb file")
    e.add_argument(
        "--camera", type=Path, help="a camera JSON file or a run folder: its camera becomes the glTF camera 'photo'"
    )

    g = sub.add_parser("runs", help="list the run folders (newest first); 'runs show N' shows one")
    g.add_argument("action", nargs="?", choices=["show"], help="show: run N's photo, camera and scores")
    g.add_argument("number", nargs="?", type=_positive, help="the run's number in the list (1 = newest)")
    g.add_argument("--root", type=Path, default=Path("runs"), help="where to look (default runs/; bench/runs works)")
    g.add_argument("--limit", type=_positive, default=50, help="rows listed (default 50)")
    g.add_argument(
        "--images",
        default="auto",
        choices=["auto", "kitty", "iterm", "sixel", "blocks", "none"],
        help="how the photo shows in the terminal (default auto)",
    )

    add_serve_arguments(sub.add_parser("serve", help="print (and where vllm is installed, start) a vLLM server"))
    return parser


VECTOR_OPTIONS = ("--look-from", "--look-at")
_NUMBER_START = re.compile(r"^-?\.?\d")


def join_vectors(argv: list[str]) -> list[str]:
    """``--look-at -0.5,-2.2,0.6`` as ``--look-at=-0.5,-2.2,0.6``: argparse reads a value starting with '-' as
    an option unless it is one plain negative number."""
    out: list[str] = []
    it = iter(argv)
    for token in it:
        if token in VECTOR_OPTIONS:
            value = next(it, None)
            if value is not None and _NUMBER_START.match(value):
                out.append(f"{token}={value}")
                continue
            out.append(token)
            if value is not None:
                out.append(value)
            continue
        out.append(token)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = join_vectors(sys.argv[1:] if argv is None else list(argv))
    try:
        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if args.command not in ("chat", "serve"):
        stop_on_sigterm()
    try:
        if args.command == "scenes":
            from agentvision.commands.scenes import list_scenes

            return list_scenes()
        if args.command == "tools":
            from agentvision.commands.tools import tools_command

            return tools_command(args)
        if args.command == "render":
            from agentvision.commands.render import render_command

            return render_command(args)
        if args.command == "photo":
            from agentvision.commands.photo import photo_command

            return photo_command(args)
        if args.command == "bench":
            from agentvision.commands.bench import bench_command

            return bench_command(args)
        if args.command == "score":
            from agentvision.commands.score import score_command

            return score_command(args)
        if args.command == "judge":
            from agentvision.commands.judge import judge_command

            return judge_command(args)
        if args.command == "chat":
            from agentvision.chat import run_chat

            return run_chat(args)
        if args.command == "ui":
            from agentvision.ui import run_ui

            return run_ui(args)
        if args.command == "export":
            from agentvision.commands.export import export_command

            return export_command(args)
        if args.command == "runs":
            from agentvision.commands.runs import runs_command

            return runs_command(args)
        if args.command == "serve":
            from agentvision.commands.serve import serve_command

            return serve_command(args)
    except AgentVisionError as exc:
        label = "error" if exc.kind == "error" else exc.kind
        console.print(f"[bold red]{label}:[/] {escape(one_line(str(exc)))}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except Exception as exc:
        if not is_interruption(exc):  # a bug: it keeps its traceback
            raise
        console.print("[yellow]interrupted[/]")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/]")
        return EXIT_INTERRUPTED
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
