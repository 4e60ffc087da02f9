"""The bench after a hard stop (issue 15): a torn last row is repaired, another budget is refused, and the
workers of a killed bench die with it."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agentvision.bench.missions import shipped_missions_dir
from agentvision.bench.runner import COLUMNS, ResultsWriter, read_results, repair_results
from agentvision.cli import main

MISSION = str(shipped_missions_dir() / "living-armchair-right-third.yaml")
TINY = ["--rounds", "1", "--candidates", "2", "--width", "160", "--seeds", "1", "--workers", "1"]
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_torn_last_row_is_dropped_and_its_run_done_again(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["bench", MISSION, "--strategies", "one-shot,random", *TINY, "--out", str(out)]) == 0
    results = out / "results.csv"
    whole = results.read_bytes()
    results.write_bytes(whole[: whole.rstrip(b"\n").rfind(b"\n") + 1] + b"living-armchair-right-third,/x,subj")
    assert main(["bench", MISSION, "--strategies", "one-shot,random", *TINY, "--out", str(out)]) == 0
    assert "dropped a torn last row" in capsys.readouterr().err
    rows = read_results(results)
    assert sorted(r["strategy"] for r in rows) == ["one-shot", "random"]
    with results.open(newline="") as f:
        assert all(len(r) == len(COLUMNS) for r in csv.reader(f))


def test_rows_are_whole_lines_and_repair_is_a_no_op_on_a_whole_file(tmp_path):
    path = tmp_path / "results.csv"
    writer = ResultsWriter(path)
    writer.write({"mission": "m", "strategy": "s", "seed": 0, "error": "a, b\nc"})
    writer.close()
    assert path.read_bytes().endswith(b"\r\n") and repair_results(path) == 0
    assert read_results(path)[0]["error"] == "a, b\nc"


def test_resuming_with_another_budget_is_refused(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["bench", MISSION, "--strategies", "one-shot", *TINY, "--out", str(out)]) == 0
    other = [a if a != "2" else "3" for a in TINY]  # --candidates 3
    assert main(["bench", MISSION, "--strategies", "one-shot", *other, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "another budget (1 rounds x 2 candidates, 160 px)" in err and "1 rounds x 3 candidates" in err
    assert len(read_results(out / "results.csv")) == 1  # nothing was mixed in


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_die_with_a_killed_bench(tmp_path):
    out = tmp_path / "b"
    args = ["bench", MISSION, "--strategies", "photoflow,random", "--seeds", "3", "--workers", "2", "--out", str(out)]
    bench = subprocess.Popen(
        [sys.executable, "-m", "agentvision.cli", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = _children(bench.pid)
    assert workers, "the bench started no worker"
    time.sleep(1.0)
    os.kill(bench.pid, signal.SIGKILL)
    bench.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)]
