"""The terminal loop of ``agentvision chat``: read a line, let the session handle it, until /quit or Ctrl-D."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from agentvision.chat.options import ChatOptions
from agentvision.chat.prompt import reader
from agentvision.chat.session import ChatSession
from agentvision.models import ModelOptions, ModelUnavailable, default_model_spec


def session_from_args(args, console: Console, kind: str = "chat", session_class=ChatSession) -> ChatSession:
    """The session the ``agentvision chat`` (or ``ui``) flags describe, in ``--out`` or ``runs/<kind>-<timestamp>/``.

    A VLM model (``--model openai:ID --api-base URL``) is health-checked first: ModelUnavailable says why
    it cannot be used.
    """
    root = args.out or Path("runs") / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}"
    root.mkdir(parents=True, exist_ok=True)
    options = ChatOptions(
        rounds=args.rounds,
        candidates=args.candidates,
        refine_rounds=args.refine_rounds,
        width=args.width,
        seed=args.seed,
        time_of_day=args.time,
        renderer=args.renderer,
        final_renderer=getattr(args, "final_renderer", None),
        images=getattr(args, "images", "none"),
        preview_width=args.preview_width,
        max_steps=args.max_steps,
    )
    try:
        model_options = ModelOptions.from_env(
            api_base=args.api_base, max_images=args.max_images, max_image_side=args.image_side, timeout_s=args.timeout
        )
        spec = args.model or str(default_model_spec())
    except ValueError as exc:
        raise ModelUnavailable(str(exc)) from None
    session = session_class(root, console, options, model_options=model_options)
    if args.scene:
        session.set_scene(args.scene)
    if spec != "builtin":
        try:
            session.use_model(spec)
        except ValueError as exc:
            raise ModelUnavailable(str(exc)) from None
    return session


def run_chat(args) -> int:
    """Run the session the ``agentvision chat`` flags describe until /quit or Ctrl-D."""
    console = Console(highlight=False, soft_wrap=True)
    session = session_from_args(args, console)
    root = session.folder
    console.print(f"[bold]agentvision chat[/] - session folder {root}; /help for commands, Ctrl-D to quit")
    read = reader(session, root)
    while not session.done:
        try:
            line = read()
        except KeyboardInterrupt:
            continue  # Ctrl-C at the prompt clears the line
        except EOFError:
            break
        session.handle(line)
    turns = len(session.conversation.turns) if session.conversation else 0
    console.print(f"bye - {len(session.shots)} shots" + (f", {turns} agent turns" if turns else "") + f" in {root}")
    return 0
