"""The bench runner: results, summary, crashes recorded, interrupt and resume, process pool and Ray."""

import csv

import pytest

from agentvision.bench import runner
from agentvision.bench.missions import shipped_missions_dir
from agentvision.bench.summary import mean_ci, summarise, wilson
from agentvision.cli import main

MISSION = str(shipped_missions_dir() / "living-armchair-right-third.yaml")
TINY = ["--rounds", "1", "--candidates", "2", "--width", "160", "--seeds", "1"]


def rows(out):
    with (out / "results.csv").open() as f:
        return list(csv.DictReader(f))


def test_bench_writes_results_and_summary(tmp_path):
    out = tmp_path / "b"
    assert (
        main(["bench", MISSION, "--strategies", "photoflow,one-shot", *TINY, "--workers", "1", "--out", str(out)]) == 0
    )
    got = rows(out)
    assert sorted(r["strategy"] for r in got) == ["one-shot", "photoflow"]
    for r in got:
        assert r["error"] == "" and r["composite"] and r["success"] in ("True", "False")
        assert (
            tmp_path / "b" / "runs" / "living-armchair-right-third" / r["strategy"] / "seed-0" / "photo.png"
        ).exists()
        assert set(runner.COLUMNS) <= set(r)
    assert {r["renders"] for r in got} == {"1", "2"}
    summary = (out / "summary.md").read_text()
    assert "| photoflow |" in summary and "subject_placement" in summary


def test_resume_skips_done_runs(tmp_path, monkeypatch):
    out = tmp_path / "b"
    main(["bench", MISSION, "--strategies", "one-shot", *TINY, "--workers", "1", "--out", str(out)])
    calls = []
    monkeypatch.setattr(runner, "run_task", lambda task: calls.append(task) or {})
    assert main(["bench", MISSION, "--strategies", "one-shot", *TINY, "--workers", "1", "--out", str(out)]) == 0
    assert calls == [] and len(rows(out)) == 1


def test_a_crash_is_a_recorded_failure_and_the_bench_goes_on(tmp_path, monkeypatch):
    import agentvision.photoflow.job as loop  # the job runs the loop

    real = loop.run_photoflow

    def flaky(intent, scene, **kw):
        if kw["strategy"] == "random":
            raise RuntimeError("renderer exploded")
        return real(intent, scene, **kw)

    monkeypatch.setattr(loop, "run_photoflow", flaky)
    out = tmp_path / "b"
    assert main(["bench", MISSION, "--strategies", "random,one-shot", *TINY, "--workers", "1", "--out", str(out)]) == 0
    got = {r["strategy"]: r for r in rows(out)}
    assert "renderer exploded" in got["random"]["error"] and got["random"]["success"] == "False"
    assert got["one-shot"]["error"] == ""


def test_interrupt_keeps_results_and_rerun_resumes(tmp_path, monkeypatch):
    out = tmp_path / "b"
    real_write = runner.ResultsWriter.write
    state = {"n": 0}

    def write_then_stop(self, row):
        real_write(self, row)
        state["n"] += 1
        if state["n"] == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(runner.ResultsWriter, "write", write_then_stop)
    code = main(["bench", MISSION, "--strategies", "one-shot,anchor-bank", *TINY, "--workers", "1", "--out", str(out)])
    assert code == 130 and len(rows(out)) == 1
    monkeypatch.setattr(runner.ResultsWriter, "write", real_write)
    assert (
        main(["bench", MISSION, "--strategies", "one-shot,anchor-bank", *TINY, "--workers", "1", "--out", str(out)])
        == 0
    )
    assert sorted(r["strategy"] for r in rows(out)) == ["anchor-bank", "one-shot"]


@pytest.mark.slow
def test_process_pool(tmp_path):
    out = tmp_path / "b"
    assert main(["bench", MISSION, "--strategies", "one-shot,random", *TINY, "--workers", "2", "--out", str(out)]) == 0
    assert sorted(r["strategy"] for r in rows(out)) == ["one-shot", "random"]


@pytest.mark.slow
def test_ray_local(tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "b"
    assert main(["bench", MISSION, "--strategies", "one-shot", *TINY, "--ray", "local", "--out", str(out)]) == 0
    (row,) = rows(out)
    assert row["error"] == "" and row["renders"] == "1"


def test_bad_strategy_and_bad_mission(tmp_path, capsys):
    assert main(["bench", MISSION, "--strategies", "photoflow,teleport", "--out", str(tmp_path / "x")]) == 2
    assert "teleport" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nscene: living_room\nintent: the sofa\ncategory: subject_placement\nexpect:\n  colour: red\n")
    assert main(["bench", str(bad), "--out", str(tmp_path / "y")]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "colour" in err
    assert not (tmp_path / "y" / "results.csv").exists()


def test_statistics():
    lo, hi = wilson(8, 10)
    assert 0.44 < lo < 0.5 and 0.94 < hi < 0.97
    m, (a, b) = mean_ci([0.5, 0.7, 0.9])
    assert m == pytest.approx(0.7) and a < 0.7 < b
    s = summarise(
        [
            {"strategy": "p", "category": "c", "success": "True", "composite": "0.9"},
            {"strategy": "p", "category": "c", "success": "False", "composite": "0.5", "error": "boom"},
        ]
    )
    assert s["p"]["all"].success == 0.5 and s["p"]["c"].errors == 1
