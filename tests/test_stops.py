"""Nothing lost on a stop (issue 15): Ctrl-C, SIGTERM and a crash during the final render still write the best
photo so far (the incumbent's preview, enlarged, and saying so) with camera.json and the report; a reused run
folder holds one run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

import agentvision.photoflow.loop as loop
import agentvision.stopping as stopping
from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.search import Budget
from agentvision.render import get_renderer
from agentvision.scene.library import library_scene

SMALL = Budget(rounds=2, candidates=2, preview_width=96, final_width=400)
ROOT = Path(__file__).resolve().parents[1]


class FinalFails:
    """A renderer whose previews work and whose final render raises ``error``."""

    def __init__(self, error: BaseException):
        self.inner, self.error = get_renderer("raycast"), error

    def render(self, scene, camera, settings=None):
        if settings is not None and settings.antialias > 1:
            raise self.error
        return self.inner.render(scene, camera, settings)


@pytest.fixture(scope="module")
def living():
    return library_scene("living_room")


def written(out: Path) -> tuple[Image.Image, dict, str]:
    return Image.open(out / "photo.png"), json.loads((out / "camera.json").read_text()), (out / "report.md").read_text()


def test_ctrl_c_during_the_final_render_writes_the_enlarged_preview(living, tmp_path, monkeypatch):
    monkeypatch.setattr(loop, "get_renderer", lambda name: FinalFails(KeyboardInterrupt()))
    result = run_photoflow("the tv", living, budget=SMALL, out_dir=tmp_path)
    assert result.interrupted and result.photo is not None
    photo, camera, report = written(tmp_path)
    assert photo.size == (400, result.camera.height) and camera["camera"]["width"] == 400
    assert "preview, enlarged" in camera["photo"] and "stopped" in camera["photo"]
    assert "preview, enlarged" in report and "Interrupted" in report
    events = [json.loads(line)["event"] for line in (tmp_path / "trace.jsonl").read_text().splitlines()]
    assert "final_render_stopped" in events and events[-1] == "done"


def test_an_interrupt_a_native_renderer_wrapped_is_still_a_stop(living, tmp_path, monkeypatch):
    # Mitsuba's Dr.Jit re-raises a Ctrl-C that lands in its render as a RuntimeError caused by it
    wrapped = RuntimeError("drjit.custom(): error while performing a custom differentiable operation")
    wrapped.__cause__ = KeyboardInterrupt()
    monkeypatch.setattr(loop, "get_renderer", lambda name: FinalFails(wrapped))
    result = run_photoflow("the tv", living, budget=SMALL, out_dir=tmp_path)
    assert result.interrupted and result.photo is not None
    _, camera, report = written(tmp_path)
    assert "stopped" in camera["photo"] and "failed" not in camera["photo"] and "Interrupted" in report


def test_after_sigterm_the_final_render_is_not_started(living, tmp_path, monkeypatch):
    finals = []

    class Counting(FinalFails):
        def render(self, scene, camera, settings=None):
            if settings is not None and settings.antialias > 1:
                finals.append(camera)
            return self.inner.render(scene, camera, settings)

    monkeypatch.setattr(loop, "get_renderer", lambda name: Counting(None))
    monkeypatch.setattr(stopping, "_terminating", threading.Event())
    stopping._terminating.set()
    result = run_photoflow("the tv", living, budget=SMALL, out_dir=tmp_path)
    assert finals == [] and result.interrupted
    photo, camera, _ = written(tmp_path)
    assert photo.width == 400 and "terminated before the final render" in camera["photo"]


def test_a_stop_as_the_first_review_is_told_keeps_that_rounds_best(living, tmp_path, monkeypatch):
    from agentvision.photoflow.trace import TraceWriter

    emit = TraceWriter.emit

    def stopped_at_the_first_review(self, event, **data):
        record = emit(self, event, **data)
        if event == "review":
            raise KeyboardInterrupt  # Ctrl-C as soon as the first review is out (a CI run once landed it here)
        return record

    monkeypatch.setattr(TraceWriter, "emit", stopped_at_the_first_review)
    result = run_photoflow("the tv", living, budget=SMALL, out_dir=tmp_path)
    assert result.interrupted
    photo, camera, _ = written(tmp_path)  # round 0's best, reviewed before the stop: not lost
    assert photo.width == 400


_SWALLOWING_LIBRARY = """
import logging
from agentvision.stopping import stop_on_sigterm
stop_on_sigterm()
log = logging.getLogger("trimesh")
try:
    raise KeyboardInterrupt  # as the SIGTERM handler raises it inside a library's try/except BaseException
except BaseException:
    log.warning("falling back to slow loop", exc_info=True)
log.warning("a warning of its own")
"""


def test_a_library_log_of_an_interrupt_it_swallowed_is_not_printed():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _SWALLOWING_LIBRARY], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "slow loop" not in done.stderr
    assert "a warning of its own" in done.stderr


def test_a_crash_during_the_final_render_writes_the_photo_then_reports_the_crash(living, tmp_path, monkeypatch):
    monkeypatch.setattr(loop, "get_renderer", lambda name: FinalFails(MemoryError("out of memory")))
    with pytest.raises(MemoryError):
        run_photoflow("the tv", living, budget=SMALL, out_dir=tmp_path)
    photo, camera, report = written(tmp_path)
    assert photo.width == 400 and "failed (out of memory)" in camera["photo"]
    assert "preview, enlarged" in report


def test_a_reused_run_folder_holds_only_the_new_run(living, tmp_path):
    run_photoflow(
        "the tv", living, budget=Budget(rounds=3, candidates=2, preview_width=96, final_width=160), out_dir=tmp_path
    )
    (tmp_path / "exchanges").mkdir()
    (tmp_path / "mine.txt").write_text("the user's own file")
    run_photoflow(
        "the tv", living, budget=Budget(rounds=1, candidates=2, preview_width=96, final_width=160), out_dir=tmp_path
    )
    assert sorted(p.name for p in (tmp_path / "rounds").glob("round-*.png")) == ["round-00.png"]
    assert not (tmp_path / "exchanges").exists() and (tmp_path / "mine.txt").exists()
    starts = [line for line in (tmp_path / "trace.jsonl").read_text().splitlines() if '"event": "blueprint"' in line]
    assert len(starts) == 1


def _photo_process(out: Path, *extra: str) -> subprocess.Popen:
    args = ["photo", "the tv", "--scene", "living_room", "--rounds", "3", "--candidates", "2", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "agentvision.cli", *args, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # a shell that started the tests in the background ignores SIGINT, and the child would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for_event(trace: Path, event: str, count: int = 1, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if trace.exists() and trace.read_text().count(f'"event": "{event}"') >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"no {event} event in {trace}")


@pytest.mark.slow
def test_sigterm_during_the_final_render_keeps_the_search(tmp_path):
    out = tmp_path / "run"
    proc = _photo_process(out, "--width", "6000")  # a final render of many seconds
    _wait_for_event(out / "trace.jsonl", "selection", count=3)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    photo, camera, report = written(out)
    assert photo.width == 6000 and "preview, enlarged" in camera["photo"]
    assert "Interrupted" in report


def _wait_for_imports(pid: int, timeout: float = 60) -> None:
    """Until the child runs the program's own imports (numpy, which ``cli`` imports inside its Ctrl-C guard, is
    mapped). A Ctrl-C before that lands in the interpreter's start-up (site), where no program can catch it: a
    loaded machine had delivered it there 0.3 s after the launch (exit -2, or a fatal error)."""
    maps, deadline = Path(f"/proc/{pid}/maps"), time.monotonic() + timeout
    if not maps.exists():  # no /proc: give the interpreter time to start
        time.sleep(0.3)
        return
    while time.monotonic() < deadline:
        if "numpy" in maps.read_text():
            return
        time.sleep(0.005)
    raise AssertionError(f"process {pid} never imported numpy")


@pytest.mark.slow
def test_sigterm_during_the_search_ends_without_the_final_render(tmp_path):
    out = tmp_path / "run"
    proc = _photo_process(out, "--width", "6000", "--rounds", "12")  # a 6000 px final would take minutes
    _wait_for_event(out / "trace.jsonl", "review")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err
    photo, camera, _ = written(out)
    assert photo.width == 6000 and "terminated before the final render" in camera["photo"]


@pytest.mark.slow
def test_ctrl_c_during_the_search_and_at_start(tmp_path):
    out = tmp_path / "run"
    # 12 rounds: the search must still be running when the signal lands, even if this process is
    # descheduled for seconds on a loaded machine (3 rounds could end first: a flake seen once)
    proc = _photo_process(out, "--width", "320", "--rounds", "12")
    _wait_for_event(out / "trace.jsonl", "review")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err
    photo, camera, _ = written(out)
    assert camera["photo"] == "final render" and photo.width == 320
    # Ctrl-C while the program is still starting: no traceback either
    early = _photo_process(tmp_path / "early")
    _wait_for_imports(early.pid)
    early.send_signal(signal.SIGINT)
    _, err = early.communicate(timeout=60)
    assert early.returncode == 130 and "Traceback" not in err
