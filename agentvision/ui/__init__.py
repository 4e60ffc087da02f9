"""``agentvision ui``: a local web page for the photographer (Gradio; the ``ui`` extra).

Type an intent and watch the search: each round's contact sheet and the scout map arrive as they are made,
then the photo with its camera and scores; follow-ups ("lower the camera", "try 85mm") refine it, as in
``agentvision chat``, whose session the page drives (:mod:`agentvision.ui.live`). With a VLM
(``--model openai:MODEL_ID --api-base URL``) each request is a turn of the smolagents CodeAgent
conversation, its code and observations in the conversation with every image a tool made shown inline.
The Runs tab lists earlier run folders (photo, camera, scores, report). The page listens on 127.0.0.1
unless ``--host`` says otherwise; one session (one folder, one conversation) serves the page.
"""

from __future__ import annotations

import os

from agentvision.errors import InputError, MissingDependency


def run_ui(args) -> int:
    """Serve the page the ``agentvision ui`` flags describe until Ctrl-C."""
    if not 1 <= args.port <= 65535:
        raise InputError(f"--port must be 1..65535, got {args.port}")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home
    try:
        import gradio  # noqa: F401
    except ImportError:
        raise MissingDependency("agentvision ui needs Gradio: pip install 'agentvision[ui]'") from None
    from rich.console import Console

    from agentvision.chat.app import session_from_args
    from agentvision.ui.live import PageSession
    from agentvision.ui.page import build_page

    session = session_from_args(args, Console(stderr=True), "ui", session_class=PageSession)
    mode = "model-free photographer (builtin)" if session.model == "builtin" else f"agent conversation: {session.model}"
    title = f"{mode} · session folder `{session.folder}` · earlier runs from `{args.runs}/`"
    page = build_page(session, args.runs, title)
    print(f"agentvision ui: http://{args.host}:{args.port}/ (session folder {session.folder}; Ctrl-C stops)")
    page.queue().launch(
        server_name=args.host,
        server_port=args.port,
        allowed_paths=[str(session.folder.resolve()), str(args.runs.resolve())],
        inbrowser=False,
        share=False,
        show_error=True,
        quiet=True,
    )
    return 0
