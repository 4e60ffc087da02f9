"""What the sandbox of model-written code costs: starting its process (imports and confinement), one step
of code, and one tool call (a JSON round trip to the agent's process), each the median of several tries,
against smolagents' in-process executor for the step. The numbers go in the README's Security section.

    .venv/bin/python benchmarks/sandbox_overhead.py [--tries 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from smolagents import Tool
from smolagents.local_python_executor import LocalPythonExecutor

from agentvision.sandbox import SandboxExecutor


class Echo(Tool):
    name = "echo"
    description = "Returns its text."
    inputs = {"text": {"type": "string", "description": "any text"}}
    output_type = "string"

    def forward(self, text: str) -> str:
        return text


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    starts, steps, calls, local_steps = [], [], [], []
    for _ in range(args.tries):
        sandbox = SandboxExecutor(["json"])
        sandbox.send_tools({"echo": Echo()})
        starts.append(timed(lambda sandbox=sandbox: sandbox("x = 1")))
        steps.append(timed(lambda sandbox=sandbox: sandbox("y = sum(range(1000))")))
        calls.append(timed(lambda sandbox=sandbox: sandbox("for i in range(50):\n    echo(text='hi')")) / 50)
        sandbox.cleanup()
        local = LocalPythonExecutor(["json"])
        local.send_tools({"echo": Echo()})
        local_steps.append(timed(lambda local=local: local("y = sum(range(1000))")))
    print(f"confinement: {sandbox.confinement}")
    print(f"start (first step, process and confinement): {statistics.median(starts) * 1000:.0f} ms")
    print(f"one step in the sandbox: {statistics.median(steps) * 1000:.1f} ms")
    print(f"one step in process (smolagents' local executor): {statistics.median(local_steps) * 1000:.1f} ms")
    print(f"one tool call over the pipe: {statistics.median(calls) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
