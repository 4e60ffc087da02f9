"""The errors a user can meet, one family, each kind with its exit code.

Every error that a user's input, environment or model server can cause derives from
:class:`AgentVisionError`; the command line catches that base once (``cli.main``), prints the
message (which says what to do next) and exits with the kind's code. Anything else that escapes is
a bug and keeps its traceback.

======  =====================================================================================
 code   meaning
======  =====================================================================================
 0      done
 1      an internal error (a bug: please report the traceback)
 2      bad input: a scene, intent, camera, mission, prompt file, model spec, option or output path;
        ``agentvision photo``: also a request that no camera position meets (nothing was rendered)
 3      the model server is unreachable, refuses the request or sends a reply over the size limit
 4      something this machine lacks: an optional dependency, a renderer's system library
 5      ``agentvision photo``: the best photo found still breaks a hard rule (it is written anyway)
 130    interrupted (Ctrl-C or SIGTERM); what was produced so far is kept (a search: its best photo)
======  =====================================================================================
"""

from __future__ import annotations

from agentvision.redact import redact

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2
EXIT_MODEL = 3
EXIT_MISSING = 4
EXIT_INVALID_PHOTO = 5
EXIT_INTERRUPTED = 130


class AgentVisionError(Exception):
    """Base of every user-facing error. ``exit_code`` is what the command line exits with."""

    exit_code = EXIT_INPUT
    kind = "error"


def brief(value: object, limit: int = 120) -> str:
    """``repr(value)`` for an error message, shortened: a message never spells out a huge value."""
    import reprlib

    short = reprlib.Repr()  # its keyword arguments are Python 3.12+
    short.maxlevel, short.maxlist, short.maxdict, short.maxstring, short.maxother = 3, 8, 8, limit, limit
    shown = short.repr(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def one_line(message: str) -> str:
    """An error message as the command line prints it: one line, credentials hidden."""
    return " ".join(redact(message).split())


class InputError(AgentVisionError, ValueError):
    """Input that cannot be used as given: the message names it and says how to fix it."""


class OutputError(AgentVisionError, OSError):
    """A place to write results that cannot be written (a file where a folder is needed, no permission)."""


class MissingDependency(AgentVisionError, RuntimeError):
    """Something this machine lacks (an optional package, a system library), with what to install."""

    exit_code = EXIT_MISSING
    kind = "missing"


class ModelUnavailable(AgentVisionError):
    """A model server that cannot be used right now: down, timing out, refusing the key, or lacking the model."""

    exit_code = EXIT_MODEL
    kind = "model unavailable"
