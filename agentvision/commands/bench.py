"""``agentvision bench``: missions x strategies x seeds, judged; results.csv and summary.md."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from agentvision.bench.missions import load_missions
from agentvision.bench.runner import ResultsWriter, check_budget, execute, plan, read_results, repair_results
from agentvision.bench.summary import markdown, summarise
from agentvision.errors import InputError, MissingDependency, OutputError
from agentvision.photoflow.strategies import STRATEGIES


def bench_command(args) -> int:
    console = Console(stderr=True)
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise InputError(f"unknown strategy {', '.join(unknown)}; use {', '.join(STRATEGIES)}")
    if args.ray:
        require_ray()  # before any work: no output folder, no results.csv
    missions = load_missions(args.paths or None)  # validates every file before anything runs
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write the bench folder {out}: {exc.strerror or exc}; choose another --out") from None
    check_budget(out, {"rounds": args.rounds, "candidates": args.candidates, "width": args.width})
    tasks = plan(missions, strategies, args.seeds, args.rounds, args.candidates, args.width, out)
    results_path = out / "results.csv"
    torn = repair_results(results_path)
    if torn:
        console.print(f"[yellow]{results_path}: dropped a torn last row ({torn} bytes); that run is done again[/]")
    done = {(r["mission"], r["strategy"], int(r["seed"])) for r in read_results(results_path)}
    todo = [t for t in tasks if t.key not in done]
    console.print(
        f"{len(missions)} missions x {len(strategies)} strategies x {args.seeds} seeds = {len(tasks)} runs"
        + (f" ({len(tasks) - len(todo)} already in {results_path}, resuming)" if len(todo) < len(tasks) else "")
        + (f" on Ray ({args.ray})" if args.ray else f" with {args.workers} worker(s)")
    )
    writer = ResultsWriter(results_path)
    t0 = time.perf_counter()
    interrupted = False
    with Progress(
        TextColumn("[bold]bench"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        bar = progress.add_task("bench", total=len(todo), note="")

        def on_row(row: dict) -> None:
            writer.write(row)
            mark = "ok" if str(row["success"]) == "True" else ("error" if row.get("error") else "fail")
            progress.update(bar, advance=1, note=f"{row['mission']} {row['strategy']} s{row['seed']}: {mark}")
            if row.get("error"):
                progress.console.print(
                    f"[yellow]{row['mission']} {row['strategy']} seed {row['seed']}:[/] {row['error']}"
                )

        try:
            execute(todo, args.workers, args.ray, on_row)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            writer.close()
    rows = [r for r in read_results(results_path) if r["strategy"] in strategies]
    summary = summarise(rows)
    wall = time.perf_counter() - t0
    title = f"Bench summary: {len(missions)} missions, {args.seeds} seeds, {args.rounds}x{args.candidates} budget"
    (out / "summary.md").write_text(markdown(summary, title) + f"\nWall time of this invocation: {wall:.0f} s.\n")
    table = Table(title=title)
    for col in ("strategy", "runs", "success", "95% CI", "composite", "95% CI", "errors"):
        table.add_column(col, justify="left" if col == "strategy" else "right")
    for s, st in sorted(summary.items(), key=lambda kv: -kv[1]["all"].success):
        a = st["all"]
        table.add_row(
            s,
            str(a.n),
            f"{a.success:.0%}",
            f"{a.success_ci[0]:.0%}-{a.success_ci[1]:.0%}",
            f"{a.composite:.3f}",
            f"{a.composite_ci[0]:.3f}-{a.composite_ci[1]:.3f}",
            str(a.errors),
        )
    Console().print(table)
    console.print(f"wrote {results_path} and {out / 'summary.md'} ({wall:.0f} s)")
    if interrupted:
        console.print("[yellow]interrupted:[/] the results so far are kept; run the same command again to resume")
        return 130
    return 0


def require_ray() -> None:
    """MissingDependency (exit 4) saying what to install, unless Ray can be imported."""
    try:
        import ray  # noqa: F401
    except ImportError:
        raise MissingDependency("--ray needs Ray: pip install 'agentvision[ray]' (or pip install ray)") from None
