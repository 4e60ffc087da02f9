"""A stop asked of the process: SIGTERM, Ctrl-C, and an interrupt that a native library wrapped.

SIGTERM stops a command as Ctrl-C does (a search keeps and writes its best photo so far), and it also
asks for the end to come soon: work not yet started, such as a search's final render, is skipped.
A native renderer (Mitsuba's Dr.Jit) may re-raise a KeyboardInterrupt as a RuntimeError whose cause
is the interrupt; :func:`is_interruption` sees through that.
"""

from __future__ import annotations

import signal
import threading

_terminating = threading.Event()


def _on_sigterm(signum, frame) -> None:
    _terminating.set()
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """From now on SIGTERM raises KeyboardInterrupt and is remembered; a no-op off the main thread or
    where SIGTERM already has a handler (an embedding program's own)."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)


def termination_requested() -> bool:
    """Whether SIGTERM has arrived: finish now with what there is."""
    return _terminating.is_set()


def is_interruption(exc: BaseException) -> bool:
    """Whether ``exc`` is a KeyboardInterrupt or was raised because of one (its cause or context)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False
