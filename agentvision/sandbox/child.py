"""The sandbox's process: confines itself, then runs model-written code with smolagents' interpreter.

Started by :class:`agentvision.sandbox.executor.SandboxExecutor` as ``python -I -c BOOT ROOT READ_FD WRITE_FD``
with an empty environment. It imports what the code may import, confines itself (:mod:`.confine`), then
answers the parent's messages: ``run`` (a step's code), ``vars`` (the agent's variables). A tool call in the
code becomes a ``call`` message; the parent runs the tool and answers with its result, so tools (and the
images they put into the outbox) stay in the agent's process. This module imports nothing of agentvision
beyond the sandbox package, so that little code is loaded before the sandbox closes.
"""

from __future__ import annotations

import importlib
import signal
import sys
import traceback

import agentvision.sandbox.confine as confine
import agentvision.sandbox.wire as wire

FINAL_ANSWER = "final_answer"
CHILD_LIMIT = 64 * 1024 * 1024  # the parent's messages (code, tool results) are trusted; this only bounds them


class ToolFailed(Exception):
    """A tool raised in the parent; the message names its exception and says what went wrong."""


def main() -> None:
    read_fd, write_fd = int(sys.argv[2]), int(sys.argv[3])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    init = wire.recv(read_fd, CHILD_LIMIT)
    limits, imports = init["limits"], init["imports"]
    send_limit = int(limits["message_mb"] * 1024 * 1024)
    try:
        from smolagents.local_python_executor import LocalPythonExecutor

        for name in imports:
            if name != "*" and not name.endswith(".*"):
                try:
                    importlib.import_module(name)
                except ImportError:
                    pass
        executor = LocalPythonExecutor(imports, timeout_seconds=None)
        report = confine.confine(
            memory_mb=int(limits["memory_mb"]),
            total_cpu_s=float(limits["total_cpu_s"]),
            readable=confine.readable_paths(imports),
        )
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which says what failed
        wire.send(write_fd, {"op": "failed", "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()})
        return
    wire.send(write_fd, {"op": "ready", "confinement": report})
    _serve(executor, init["tools"], read_fd, write_fd, send_limit, float(limits["step_cpu_s"]))


def _serve(executor, tools: list[str], read_fd: int, write_fd: int, limit: int, step_cpu_s: float) -> None:
    def call(name: str, args: tuple, kwargs: dict):
        try:
            wire.send(write_fd, {"op": "call", "tool": name, "args": list(args), "kwargs": kwargs}, limit)
        except wire.WireTooLarge as exc:
            raise ToolFailed(f"the arguments of {name} are too large: {exc}") from None
        reply = wire.recv(read_fd, CHILD_LIMIT)
        if reply.get("op") == "result" and reply.get("ok"):
            return reply.get("value")
        raise ToolFailed(reply.get("error", f"{name} failed"))

    def proxy(name: str):
        def tool(*args, **kwargs):
            return call(name, args, kwargs)

        tool.__name__ = name
        return tool

    executor.send_tools({name: proxy(name) for name in tools})
    while True:
        try:
            message = wire.recv(read_fd, CHILD_LIMIT)
        except wire.WireClosed:
            return
        op = message["op"]
        if op == "exit":
            return
        if op == "vars":
            executor.send_variables(message.get("values") or {})
            continue
        if op != "run":
            continue
        confine.set_step_cpu(step_cpu_s)
        try:
            out = executor(message["code"])
            reply = {"op": "done", "output": out.output, "logs": out.logs, "final": out.is_final_answer}
        except Exception as exc:  # noqa: BLE001 - the step's error goes back to the model
            reply = {"op": "error", "error": str(exc) or type(exc).__name__, "logs": _logs(executor)}
        try:
            wire.send(write_fd, reply, limit)
        except wire.WireTooLarge as exc:
            wire.send(write_fd, {"op": "error", "error": f"the step's output is too large: {exc}", "logs": ""})


def _logs(executor) -> str:
    try:
        return str(executor.state.get("_print_outputs", ""))
    except Exception:  # noqa: BLE001
        return traceback.format_exc(limit=1)


if __name__ == "__main__":
    main()
