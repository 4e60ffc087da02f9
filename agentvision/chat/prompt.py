"""Reading the session's input: prompt_toolkit with history and completion on a terminal, plain lines from a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentvision.chat.session import ChatSession

FOLLOW_UPS = ["lower the camera", "closer", "step back", "golden hour", "show round", "save it as"]


def completer(session: ChatSession):
    """Completes slash commands, scene names after /scene, and object names of the session's scene."""
    from prompt_toolkit.completion import Completer, Completion

    from agentvision.chat.session import COMMANDS
    from agentvision.scene.library import library_names, library_scene

    class _Complete(Completer):
        def get_completions(self, document, complete_event):
            text = document.text_before_cursor
            word = document.get_word_before_cursor()
            if text.startswith("/") and " " not in text:
                options = list(COMMANDS)
            elif text.startswith("/scene "):
                options = library_names()
            elif text.startswith("/model "):
                options = ["builtin", "openai:", "transformers:"]
            else:
                names = library_names() if session.scene is None else []
                scene = session.scene or session.last_scene()
                if scene in library_names():
                    names = [o.name.replace("_", " ") for o in library_scene(scene).objects]
                options = names + FOLLOW_UPS
            for option in options:
                if option.startswith(word) and option != word:
                    yield Completion(option, start_position=-len(word))

    return _Complete()


def reader(session: ChatSession, root: Path) -> Callable[[], str]:
    """A function returning the next input line (EOFError at the end, KeyboardInterrupt on Ctrl-C)."""
    if not sys.stdin.isatty():
        return plain_line
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    prompt = PromptSession(history=FileHistory(str(root / "input-history")), completer=completer(session))
    return lambda: prompt.prompt(session.prompt_text())


def plain_line() -> str:
    """One line from stdin; EOFError at its end."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line
