"""How long the light commands take, wall clock, as a user runs them (a fresh Python each time).

    python benchmarks/cli_speed.py [--repeat 5]

Prints the median and the range of each command's wall time: ``--help``, ``--version``, ``scenes`` (the
library read from the cached catalogs) and ``runs`` (an empty folder). The first ``scenes`` after an edit of a
scene builder rebuilds that scene's catalog once; the run before the timed ones fills the cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [["--help"], ["--version"], ["scenes"], ["runs", "--root", "no-runs-here"]]


def wall(args: list[str], cwd: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "agentvision.cli", *args], cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cwd:
        for command in COMMANDS:
            wall(command, cwd)  # warm: the OS file cache and the scene catalogs
            times = [wall(command, cwd) for _ in range(args.repeat)]
            name = "agentvision " + " ".join(command)
            print(f"{name:40} median {statistics.median(times):.2f} s  ({min(times):.2f}-{max(times):.2f})")


if __name__ == "__main__":
    main()
