"""The settings of a chat session (the ``agentvision chat`` flags), shared by both modes."""

from __future__ import annotations

from dataclasses import dataclass

from agentvision.codeagent import DEFAULT_MAX_STEPS
from agentvision.toolcontext import DEFAULT_PREVIEW_WIDTH


@dataclass
class ChatOptions:
    """How a session photographs, renders and shows images.

    Attributes:
        rounds, candidates: the builtin photographer's search budget per new request.
        refine_rounds: its rounds per follow-up that refines the last shot.
        width: final photo width in pixels (builtin mode).
        seed: random seed for the searches.
        time_of_day: overrides each request's time of day (None: the request's own, else noon).
        renderer: the previews' engine, 'raycast' or 'gl'.
        final_renderer: the photos' engine ('path' by default; None: the previews').
        images: how images show: auto, kitty, iterm, sixel, blocks or none.
        preview_width: width of the views the agent's tools render (VLM mode).
        max_steps: agent steps per turn (VLM mode).
        keep_images: how many of the latest agent steps keep their images in the model's context.
        step_cols: how many terminal columns an agent step's images take at most (photos take the full width).
    """

    rounds: int = 4
    candidates: int = 3
    refine_rounds: int = 2
    width: int = 1280
    seed: int = 0
    time_of_day: str | None = None
    renderer: str = "raycast"
    final_renderer: str | None = None
    images: str = "auto"
    preview_width: int = DEFAULT_PREVIEW_WIDTH
    max_steps: int = DEFAULT_MAX_STEPS
    keep_images: int = 3
    step_cols: int = 48
