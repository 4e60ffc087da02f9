"""A stop asked of the process: SIGTERM, Ctrl-C, and an interrupt that a native library wrapped.

SIGTERM stops a command as Ctrl-C does (a search keeps and writes its best photo so far), and it also
asks for the end to come soon: work not yet started, such as a search's final render, is skipped.
A native renderer (Mitsuba's Dr.Jit) may re-raise a KeyboardInterrupt as a RuntimeError whose cause
is the interrupt; :func:`is_interruption` sees through that. A library that catches every exception
(trimesh's ``vertex_faces`` does) logs the interrupt it swallowed with its traceback; that log is hidden,
since the stop was asked for and is not the library's failure.
"""

from __future__ import annotations

import logging
import signal
import threading

_terminating = threading.Event()


def _on_sigterm(signum, frame) -> None:
    _terminating.set()
    raise KeyboardInterrupt


def _not_a_swallowed_interrupt(record: logging.LogRecord) -> bool:
    exc = record.exc_info[1] if record.exc_info else None
    return exc is None or not is_interruption(exc)


def stop_on_sigterm() -> None:
    """From now on SIGTERM raises KeyboardInterrupt and is remembered, and a library's log of an interrupt it
    swallowed is not printed; a no-op off the main thread or where SIGTERM already has a handler (an embedding
    program's own)."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
        for handler in [*logging.getLogger().handlers, logging.lastResort]:
            if handler is not None and _not_a_swallowed_interrupt not in handler.filters:
                handler.addFilter(_not_a_swallowed_interrupt)


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
