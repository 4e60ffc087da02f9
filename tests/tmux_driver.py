"""Drive a real terminal program in tmux: start it, type into it, wait for what the screen shows."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")
ROOT = Path(__file__).resolve().parents[1]


class Tmux:
    """A detached tmux session (120x40) running ``command`` in ``cwd`` with this checkout on PYTHONPATH."""

    def __init__(self, command: str, cwd: Path) -> None:
        self.name = f"avchat-{uuid.uuid4().hex[:8]}"
        env = f"-u AGENTVISION_MODEL PYTHONPATH={shlex.quote(str(ROOT))} AGENTVISION_IMAGES=blocks"
        cmd = ["tmux", "new-session", "-d", "-x", "120", "-y", "40", "-s", self.name, "-c", str(cwd),
               f"env {env} {command}; sleep 30"]  # fmt: skip
        for attempt in range(3):
            done = subprocess.run(cmd, capture_output=True, text=True)
            # The previous test's kill-session can leave a server that is still exiting: it takes the
            # connection, then goes ("server exited unexpectedly"). A new server answers the next try.
            if done.returncode == 0 or "server exited unexpectedly" not in done.stderr or attempt == 2:
                break
            time.sleep(0.2)
        done.check_returncode()

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", self.name], capture_output=True, text=True
        )
        return out.stdout

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, line: str) -> None:
        self.send("-l", line)
        self.send("Enter")

    def wait(self, pattern: str, after: int = 0, timeout: float = 60.0) -> re.Match:
        """Poll the screen until ``pattern`` appears after character ``after`` (a deadline, not a sleep)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.compile(pattern, re.M).search(self.screen(), after)
            if m:
                return m
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} never showed; the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
