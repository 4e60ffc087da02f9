"""``agentvision chat``: a multi-turn photo session in the terminal.

Type a request ("shoot the staircase at dusk"), then follow-ups ("lower the camera", "try 85mm", "make it
golden hour"), "save it as hero.png", or slash commands (``/help``). With the builtin model, follow-ups
refine the last shot; with a VLM (``--model openai:ID --api-base URL`` or ``/model``), the session is a
smolagents agent conversation over the tool catalog, with memory across turns. Progress and agent steps
stream as they happen; images show inline on kitty, iTerm2 and sixel terminals, else as a coloured
half-block preview, always with the saved path. Ctrl-C cancels the current request, Ctrl-D or /quit ends
the session. Everything is kept in the session's folder: ``history.jsonl`` (one line per turn, with the
agent's token usage and saved files), ``shot-NN/`` (each builtin shot's run folder) and the images the
agent's tools saved.

Modules: ``session`` (ChatSession: dispatch and commands), ``builtin_mode`` (the model-free photographer),
``agent_mode`` (the VLM conversation), ``terminal_images`` (kitty/iTerm2/sixel/half-block), ``prompt``
(input, history, completion), ``app`` (the terminal loop), ``options`` (the session settings).
"""

from agentvision.chat.agent_mode import AgentConversation, Turn, TurnFailed
from agentvision.chat.app import run_chat
from agentvision.chat.builtin_mode import BuiltinPhotographer, ChatShot
from agentvision.chat.options import ChatOptions
from agentvision.chat.session import COMMANDS, ChatSession
from agentvision.chat.terminal_images import (
    graphics_mode,
    half_blocks,
    iterm_image,
    kitty_image,
    show_image,
    sixel_image,
)

__all__ = [
    "COMMANDS",
    "AgentConversation",
    "BuiltinPhotographer",
    "ChatOptions",
    "ChatSession",
    "ChatShot",
    "Turn",
    "TurnFailed",
    "graphics_mode",
    "half_blocks",
    "iterm_image",
    "kitty_image",
    "run_chat",
    "show_image",
    "sixel_image",
]
