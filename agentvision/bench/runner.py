"""The bench runner: every mission x strategy x seed on the same budget, judged, written as it goes.

Tasks run in a local process pool (``workers``, which die with the bench: a ``kill -9`` of it leaves none
behind) or on a Ray cluster (``ray_address``; "local" starts a local Ray instance). On Ray a worker may sit
on another machine: it gets the mission's text, runs in a temporary folder of its own node, and sends the
run folder back through Ray's object store as a tar archive, which the driver unpacks at the task's
``run_dir`` (so nothing needs shared storage).

Each finished task appends one row to ``OUT/results.csv`` at once, in one write, so an interrupted bench
keeps its results and a re-run with the same ``OUT`` skips what is done; a row torn by a hard kill is
dropped on resume (its run is done again). ``OUT/bench.json`` records the budget, and resuming with
another budget is refused.
A task that crashes is recorded as a failure with its error, and the bench goes on.
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from agentvision.bench.judge_checks import CHECKS
from agentvision.bench.missions import Mission
from agentvision.errors import InputError

BASE_COLUMNS = [
    "mission",
    "mission_file",
    "category",
    "strategy",
    "seed",
    "run_dir",
    "success",
    "composite",
    "aesthetic",
]
TAIL_COLUMNS = ["renders", "wall_seconds", "error"]
COLUMNS = BASE_COLUMNS + [f"{c}_{k}" for c in CHECKS for k in ("value", "pass")] + TAIL_COLUMNS


@dataclass(frozen=True)
class Task:
    mission_file: str
    mission: str
    category: str
    strategy: str
    seed: int
    rounds: int
    candidates: int
    width: int
    run_dir: str

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.mission, self.strategy, self.seed)


def plan(
    missions: list[Mission], strategies: list[str], seeds: int, rounds: int, candidates: int, width: int, out: Path
) -> list[Task]:
    return [
        Task(
            str(m.path),
            m.id,
            m.category,
            s,
            seed,
            rounds,
            candidates,
            width,
            str(out / "runs" / m.id / s / f"seed-{seed}"),
        )
        for m in missions
        for s in strategies
        for seed in range(seeds)
    ]


def run_task(task: Task) -> dict:
    """Run one photo search and judge it; never raises (errors become the row's ``error``)."""
    from agentvision.bench.judge import judge_mission
    from agentvision.bench.missions import load_mission
    from agentvision.photoflow.casting import RoleModels
    from agentvision.photoflow.job import PhotoJob, run
    from agentvision.photoflow.search import Budget

    row = {
        "mission": task.mission,
        "mission_file": task.mission_file,
        "category": task.category,
        "strategy": task.strategy,
        "seed": task.seed,
        "run_dir": task.run_dir,
        "success": False,
        "composite": 0.0,
        "aesthetic": 0.0,
        "renders": 0,
        "error": "",
    }
    t = time.perf_counter()
    try:
        mission = load_mission(task.mission_file)
        budget = Budget(rounds=task.rounds, candidates=task.candidates, final_width=task.width)
        job = PhotoJob(
            mission.intent,
            mission.scene_ref,
            budget=budget,
            strategy=task.strategy,
            seed=task.seed,
            models=RoleModels(),  # the bench measures the built-in photographer
            out_dir=Path(task.run_dir),
        )
        result = run(job)
        row["renders"] = result.renders
        if result.photo is None:
            raise RuntimeError("the run produced no photo")
        verdict = judge_mission(task.run_dir, mission).to_dict()
        row.update(success=verdict["success"], composite=verdict["composite"], aesthetic=verdict["aesthetic"])
        for name, check in verdict["checks"].items():
            row[f"{name}_value"] = check.get("value")
            row[f"{name}_pass"] = check.get("pass")
    except Exception as exc:  # noqa: BLE001 - a crash is a failed run, recorded with its error
        row["error"] = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]
        row["traceback"] = traceback.format_exc(limit=4)
    row["wall_seconds"] = round(time.perf_counter() - t, 2)
    return row


def read_results(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return [row for row in csv.DictReader(f) if None not in row and None not in row.values()]


def repair_results(path: Path) -> int:
    """Drop a torn last row (a line without its end, left by a hard kill); how many bytes were dropped."""
    if not path.exists():
        return 0
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end == len(data):
        return 0
    with path.open("r+b") as f:
        f.truncate(end)
    return len(data) - end


def check_budget(out: Path, budget: dict) -> None:
    """Record the bench's budget in ``out/bench.json``; InputError when ``out`` holds results of another one."""
    manifest = out / "bench.json"
    if manifest.exists():
        try:
            before = json.loads(manifest.read_text())
        except (OSError, ValueError):
            before = None
        if before != budget:
            raise InputError(
                f"{out} holds results of another budget ({_budget_text(before)}), not {_budget_text(budget)}: "
                "resume with the same --rounds, --candidates and --width, or choose another --out"
            )
        return
    manifest.write_text(json.dumps(budget) + "\n")


def _budget_text(budget: dict | None) -> str:
    if not isinstance(budget, dict):
        return "unreadable bench.json"
    return f"{budget.get('rounds')} rounds x {budget.get('candidates')} candidates, {budget.get('width')} px"


class ResultsWriter:
    """Appends rows to results.csv (header once); each row is one write, synced to disk, so a kill can tear
    at most the row being written (:func:`repair_results` drops it on resume)."""

    def __init__(self, path: Path):
        repair_results(path)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if os.fstat(self._fd).st_size == 0:
            self._write_line(dict(zip(COLUMNS, COLUMNS, strict=True)))

    def write(self, row: dict) -> None:
        self._write_line({k: _cell(row.get(k)) for k in COLUMNS})

    def _write_line(self, cells: dict) -> None:
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore").writerow(cells)
        os.write(self._fd, buffer.getvalue().encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value)
    return str(value)


def execute(tasks: list[Task], workers: int, ray_address: str | None, on_row: Callable[[dict], None]) -> None:
    """Run tasks locally or on Ray, calling ``on_row`` as each finishes (in completion order)."""
    if not tasks:
        return
    if ray_address:
        _execute_ray(tasks, ray_address, on_row)
        return
    if workers <= 1:
        for task in tasks:
            on_row(run_task(task))
        return
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=_worker_dies_with_bench,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [pool.submit(run_task, t) for t in tasks]
        try:
            for fut in as_completed(futures):
                on_row(fut.result())
        except KeyboardInterrupt:
            for fut in futures:
                fut.cancel()
            raise


def _worker_dies_with_bench(bench_pid: int) -> None:
    """A pool worker's first act: die when the bench does (the kernel's death signal on Linux; elsewhere a
    thread that watches for the worker being orphaned)."""
    from agentvision.sandbox.confine import die_with_parent

    die_with_parent()

    def watch() -> None:
        while os.getppid() == bench_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="bench-watch", daemon=True).start()


def run_task_remotely(task: Task, mission_name: str, mission_text: str) -> tuple[dict, bytes]:
    """``run_task`` on a Ray worker of any node: the mission is rebuilt from its text in a temporary folder of
    this node, the run goes there too, and the run folder comes back as tar bytes with the row."""
    import io
    import os
    import shutil
    import socket
    import tarfile
    import tempfile
    from dataclasses import replace

    work = Path(tempfile.mkdtemp(prefix="agentvision-bench-"))
    try:
        mission_file = work / mission_name
        mission_file.write_text(mission_text)
        row = run_task(replace(task, mission_file=str(mission_file), run_dir=str(work / "run")))
        buffer = io.BytesIO()
        if (work / "run").is_dir():
            with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
                tar.add(work / "run", arcname=".")
        row.update(mission_file=task.mission_file, run_dir=task.run_dir, worker=f"{socket.gethostname()}:{os.getpid()}")
        row["worker_dir"] = str(work)
        return row, buffer.getvalue()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def unpack_run(archive: bytes, run_dir: str) -> None:
    """Unpack a worker's run folder archive at ``run_dir`` (replacing what a crashed earlier try left)."""
    import io
    import shutil
    import tarfile

    if not archive:
        return
    target = Path(run_dir)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: refuse links and paths outside target
            tar.extractall(target, filter="data")
        else:
            tar.extractall(target)


def _execute_ray(tasks: list[Task], address: str, on_row: Callable[[dict], None]) -> None:
    try:
        import ray
    except ImportError:
        from agentvision.errors import MissingDependency

        raise MissingDependency("--ray needs Ray: pip install 'agentvision[ray]' (or pip install ray)") from None
    started = not ray.is_initialized()
    if started:
        if address == "local":
            ray.init(include_dashboard=False, log_to_driver=False)
        else:
            ray.init(address=address, log_to_driver=False)
    remote = ray.remote(run_task_remotely)
    texts = {f: Path(f).read_text() for f in {t.mission_file for t in tasks}}  # a few hundred bytes: sent inline
    pending = [remote.remote(t, Path(t.mission_file).name, texts[t.mission_file]) for t in tasks]
    run_dirs = {ref: t.run_dir for ref, t in zip(pending, tasks, strict=True)}
    try:
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            row, archive = ray.get(done[0])
            unpack_run(archive, run_dirs[done[0]])
            on_row(row)
    except KeyboardInterrupt:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    finally:
        if started:
            ray.shutdown()
