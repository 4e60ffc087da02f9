"""Drive the real ``agentvision chat`` in tmux and assert what the screen shows."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")
ROOT = Path(__file__).resolve().parents[1]


class Tmux:
    def __init__(self, command: str, cwd: Path) -> None:
        self.name = f"avchat-{uuid.uuid4().hex[:8]}"
        env = f"PYTHONPATH={shlex.quote(str(ROOT))} AGENTVISION_IMAGES=blocks"
        subprocess.run(
            ["tmux", "new-session", "-d", "-x", "120", "-y", "40", "-s", self.name, "-c", str(cwd),
             f"env {env} {command}; sleep 30"],
            check=True,
        )  # fmt: skip

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


def _start(tmp_path, rounds: int) -> Tmux:
    exe = shlex.quote(sys.executable)
    out = tmp_path / "session"
    return Tmux(f"{exe} -m agentvision.cli chat --rounds {rounds} --candidates 2 --width 480 --out {out}", tmp_path)


@pytest.fixture
def chat(tmp_path):
    t = _start(tmp_path, rounds=2)
    yield t, tmp_path
    t.close()


def test_a_session_as_a_person_uses_it(chat):
    t, tmp = chat
    t.wait(r"photo>")
    t.type("shoot the staircase at dusk")
    first = t.wait(r"camera: height (\d+\.\d+) m")
    t.wait(r"image: .*shot-01/photo\.png")
    t.wait(r"photo>", first.end())
    height = float(first.group(1))

    t.type("lower the camera")
    second = t.wait(r"camera: height (\d+\.\d+) m", first.end())
    assert float(second.group(1)) < height - 0.2
    assert "refining shot 1: lower" in t.screen()

    t.type("/save hero.png")
    t.wait(r"saved: .*hero\.png")
    assert (tmp / "hero.png").stat().st_size > 1000

    mark = len(t.screen())
    t.type("/frobnicate")
    t.wait(r"error: unknown command /frobnicate", max(0, mark - 200))
    t.type("show round 1")
    t.wait(r"image: .*shot-02/rounds/round-00\.png")

    t.type("/quit")
    t.wait(r"bye - 2 shots")
    lines = (tmp / "session" / "history.jsonl").read_text().splitlines()
    assert len(lines) == 6 and (tmp / "session" / "shot-02" / "photo.png").exists()


def test_ctrl_c_cancels_the_request_not_the_session(tmp_path):
    t = _start(tmp_path, rounds=60)  # long enough to interrupt mid-search
    try:
        t.wait(r"photo>")
        t.type("the sofa in the living room")
        t.wait(r"round 2/60")
        t.send("C-c")
        t.wait(r"cancelled - the session goes on")
        t.type("/history")
        t.wait(r"no shots yet")
        t.send("C-d")
        t.wait(r"bye - 0 shots")
    finally:
        t.close()
