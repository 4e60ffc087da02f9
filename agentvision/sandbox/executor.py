"""A smolagents ``PythonExecutor`` that runs the model's code in a confined process of its own.

The agent's process keeps the tools: the sandbox's process (:mod:`.child`) runs the code with smolagents'
interpreter and turns each tool call into a message; the executor runs the tool here and answers. So
images tools put into the outbox still reach the model, and the code reaches files, the network and
commands only through the tools it was given. Messages are JSON (:mod:`.wire`); nothing the sandbox sends
is unpickled or executed here.

Limits (:class:`~.limits.SandboxLimits`): the kernel stops a step past its CPU time and the process past its
memory; the executor stops a step that takes too long (tool calls excluded), makes too many tool calls or
sends too much, and refuses to start a step once the code's overall CPU time is spent. A stopped sandbox
is started afresh at the next step, and the model is told that its variables are gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path
from typing import Any

from smolagents.local_python_executor import BASE_BUILTIN_MODULES, CodeOutput, InterpreterError, PythonExecutor
from smolagents.tools import Tool

import agentvision.sandbox.wire as wire
from agentvision.errors import MissingDependency
from agentvision.sandbox.limits import SandboxLimits

FINAL_ANSWER = "final_answer"
STRICT_ENV = "AGENTVISION_SANDBOX"  # "strict": refuse to run model code without Landlock and seccomp
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from agentvision.sandbox.child import main; main()"
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
START_TIMEOUT_S = 60.0
CHILD_ENV = {"LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class SandboxStopped(InterpreterError):
    """The sandbox stopped a step: a limit was reached or its process died."""


class SandboxExecutor(PythonExecutor):
    """Runs each step's code in a confined child process; tools run here, called over a pipe.

    Args:
        additional_authorized_imports: modules the code may import besides smolagents' safe built-ins.
        limits: the :class:`SandboxLimits` (default: 30 s CPU and 60 s per step, 1 GiB, 600 s CPU in all).
        max_print_outputs_length: as smolagents' local executor.
        strict: refuse to run without Landlock and seccomp (default: ``AGENTVISION_SANDBOX=strict``).
    """

    def __init__(
        self,
        additional_authorized_imports: list[str] | None = None,
        limits: SandboxLimits | None = None,
        max_print_outputs_length: int | None = None,
        strict: bool | None = None,
    ) -> None:
        self.additional_authorized_imports = list(additional_authorized_imports or [])
        self.authorized_imports = sorted(set(BASE_BUILTIN_MODULES) | set(self.additional_authorized_imports))
        self.limits = limits or SandboxLimits()
        self.max_print_outputs_length = max_print_outputs_length
        self.strict = os.environ.get(STRICT_ENV, "").lower() == "strict" if strict is None else strict
        self.state: dict[str, Any] = {"_print_outputs": ""}
        self.tools: dict[str, Tool] = {}
        self.confinement: dict | None = None  # what the last started sandbox applied (confine.confine's report)
        self.cpu_used_s = 0.0
        self.restarts = 0
        self._variables: dict[str, Any] = {}
        self._proc: subprocess.Popen | None = None
        self._fds: tuple[int, int] | None = None  # (read from child, write to child)
        self._lost: str | None = None  # why the last sandbox stopped, told to the model at the next step
        self._note: str | None = None  # that note, for the step running now
        self._cpu_before = 0.0
        self._cpu_seen = 0.0
        self._finalizer = None

    # ----- PythonExecutor -----------------------------------------------------------------
    def send_tools(self, tools: dict[str, Tool]) -> None:
        if set(tools) != set(self.tools):
            self._stop()
        self.tools = dict(tools)

    def send_variables(self, variables: dict[str, Any]) -> None:
        self._variables.update(variables)
        if self._proc is not None:
            self._send({"op": "vars", "values": _jsonable(variables)})

    def __call__(self, code_action: str) -> CodeOutput:
        if self.cpu_used_s >= self.limits.total_cpu_s:
            raise SandboxStopped(
                f"the code has used its {self.limits.total_cpu_s:g} s of CPU time for this agent; "
                "give your final answer without running more code"
            )
        self._note, self._lost = self._lost, None
        self._start()
        self.state["_print_outputs"] = ""
        try:
            return self._step(code_action, self._note)
        except InterpreterError:  # the code's own error, or a limit (the sandbox is then already stopped)
            raise
        except BaseException:  # Ctrl-C, or a tool that raised it: nothing is left running
            self._stop()
            raise

    def cleanup(self) -> None:
        self._stop()

    # ----- one step -----------------------------------------------------------------------
    def _step(self, code: str, note: str | None) -> CodeOutput:
        limits = self.limits
        self._send({"op": "run", "code": code})
        own, calls, final = 0.0, 0, None
        self._cpu_before = cpu_before = self._cpu()
        while True:
            started = time.monotonic()
            try:
                message = wire.recv(self._fds[0], limits.message_bytes, started + limits.step_wall_s - own)
            except wire.WireTimeout:
                raise self._lose(f"the code ran past its {limits.step_wall_s:g} s limit for one step") from None
            except wire.WireTooLarge as exc:
                raise self._lose(f"the code sent too much data ({exc})") from None
            except (wire.WireClosed, ValueError):
                raise self._lose(self._death()) from None
            own += time.monotonic() - started
            op = message["op"]
            if op == "call":
                calls += 1
                if calls > limits.tool_calls:
                    raise self._lose(f"the code made more than {limits.tool_calls} tool calls in one step")
                reply, value = self._call_tool(message)
                if message.get("tool") == FINAL_ANSWER and reply["ok"]:
                    final = (value,)
                self._send(reply)
                continue
            self.cpu_used_s += max(0.0, self._cpu() - cpu_before)
            logs = _prefixed(note, str(message.get("logs") or ""))
            self.state["_print_outputs"] = logs
            if op == "done":
                output = final[0] if message.get("final") and final is not None else message.get("output")
                return CodeOutput(output=output, logs=logs, is_final_answer=bool(message.get("final")))
            if op == "error":
                raise InterpreterError(_prefixed(note, str(message.get("error"))))
            raise self._lose(f"the sandbox sent an unknown message {op!r}")

    def _call_tool(self, message: dict) -> tuple[dict, Any]:
        name = message.get("tool")
        tool = self.tools.get(name) if isinstance(name, str) else None
        if tool is None:
            return {"op": "result", "ok": False, "error": f"there is no tool {name!r}"}, None
        args, kwargs = message.get("args") or [], message.get("kwargs") or {}
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            return {"op": "result", "ok": False, "error": f"malformed call of {name}"}, None
        try:
            value = tool(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the tool's error goes back to the code, as in-process
            return {"op": "result", "ok": False, "error": f"{type(exc).__name__}: {exc}"}, None
        return {"op": "result", "ok": True, "value": _jsonable(value)}, value

    # ----- the process --------------------------------------------------------------------
    def _start(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._stop()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOT, PACKAGE_ROOT, str(to_child_r), str(from_child_w)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(to_child_r, from_child_w),
                env=dict(CHILD_ENV),
                cwd="/",
                start_new_session=True,  # Ctrl-C at the terminal is for the agent, which stops the sandbox
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._fds = (from_child_r, to_child_w)
        self._cpu_seen = 0.0
        self._finalizer = weakref.finalize(self, _kill, self._proc, self._fds)
        init = {"op": "init", "limits": self.limits.to_dict(), "imports": self.authorized_imports}
        self._send({**init, "tools": sorted(self.tools)})
        try:
            ready = wire.recv(from_child_r, self.limits.message_bytes, time.monotonic() + START_TIMEOUT_S)
        except (wire.WireClosed, wire.WireTimeout, ValueError) as exc:
            self._stop()
            raise SandboxStopped(f"the sandbox did not start ({type(exc).__name__})") from None
        if ready.get("op") != "ready":
            self._stop()
            raise SandboxStopped(f"the sandbox did not start: {ready.get('error')} {ready.get('trace', '')}")
        self.confinement = ready.get("confinement")
        if self.strict and not (self.confinement.get("landlock_abi") and self.confinement.get("seccomp")):
            self._stop()
            raise MissingDependency(
                f"{STRICT_ENV}=strict needs Landlock and seccomp, and this machine gave {self.confinement}; "
                "use Linux 5.13+ with landlockpy and seccompy installed, or a remote executor (docker, e2b, modal)"
            )
        if self._variables:
            self._send({"op": "vars", "values": _jsonable(self._variables)})

    def _send(self, message: dict) -> None:
        try:
            wire.send(self._fds[1], message)
        except wire.WireClosed:
            raise self._lose(self._death()) from None

    def _cpu(self) -> float:
        """CPU seconds the sandbox has used (Linux: /proc; elsewhere 0, and the kernel's RLIMIT_CPU still holds)."""
        try:
            fields = Path(f"/proc/{self._proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            self._cpu_seen = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError, AttributeError):
            pass
        return self._cpu_seen

    def _death(self) -> str:
        """Why the sandbox's process ended, in words."""
        code = None
        self._cpu()  # a dead process's times can be read until it is waited for
        if self._proc is not None:
            try:
                code = self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                return "the sandbox stopped answering"
        if code == -signal.SIGXCPU:
            return f"the code used more than its {self.limits.step_cpu_s:g} s of CPU time for one step"
        if code == -signal.SIGKILL:
            return "the sandbox's process was killed (its CPU time for this agent ran out)"
        if code is not None and code < 0:
            return f"the sandbox's process was killed by signal {signal.Signals(-code).name}"
        return f"the sandbox's process exited (code {code})"

    def _lose(self, why: str) -> SandboxStopped:
        self.cpu_used_s += max(0.0, self._cpu() - self._cpu_before)  # read before the process goes
        self._stop()
        self.restarts += 1
        self._lost = "the sandbox was restarted: variables from earlier steps are gone"
        return SandboxStopped(_prefixed(self._note, f"{why}; it was stopped. Try a simpler or shorter computation."))

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._proc, self._fds = None, None


def _kill(proc: subprocess.Popen, fds: tuple[int, int]) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _jsonable(value: Any) -> Any:
    """``value`` as JSON would carry it (what the sandbox will see)."""
    import json

    return json.loads(json.dumps(value, default=wire.plain))


def _prefixed(note: str | None, text: str) -> str:
    return f"[{note}]\n{text}" if note else text
