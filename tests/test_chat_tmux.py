"""Drive the real ``agentvision chat`` in tmux and assert what the screen shows."""

from __future__ import annotations

import shlex
import sys

import pytest
from tmux_driver import Tmux, needs_tmux

pytestmark = [needs_tmux, pytest.mark.slow]  # a real terminal: seconds per test


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


def test_ctrl_c_stops_the_search_keeps_its_best_shot_and_not_the_session(tmp_path):
    t = _start(tmp_path, rounds=50)  # long enough to interrupt mid-search
    try:
        t.wait(r"photo>")
        t.type("the sofa in the living room")
        t.wait(r"round 2/50")
        t.send("C-c")
        t.wait(r"interrupted: the best shot so far is kept as shot 1")
        t.type("/history")
        t.wait(r"1\. the sofa in the living room")
        t.send("C-d")
        t.wait(r"bye - 1 shot")
    finally:
        t.close()
