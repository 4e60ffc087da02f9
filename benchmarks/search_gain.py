"""Does the search earn its renders? Over a bench folder's photoflow runs: how often the delivered
photo was found after round 0, and how much the Reviewer's total rose from round 0's best.

    python benchmarks/search_gain.py BENCH_OUT [--strategy photoflow]

Reads each run's ``trace.jsonl`` (``review`` and ``selection`` events); prints one line per run
and a summary. The total is the Reviewer's own score, so a rise says the loop found what it
prefers, not that an editor would.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path


def run_gain(trace: Path) -> dict | None:
    """Round of the delivered candidate, round 0's best total and the delivered total, or None."""
    totals: dict[str, float] = {}
    rounds: dict[str, int] = {}
    incumbent = None
    for line in trace.read_text().splitlines():
        event = json.loads(line)
        if event.get("event") == "review":
            totals[event["candidate_id"]] = float(event["total"])
            rounds[event["candidate_id"]] = int(event["round"])
        elif event.get("event") == "selection":
            incumbent = event.get("incumbent")
    if incumbent is None or incumbent not in totals:
        return None
    round0 = [t for c, t in totals.items() if rounds[c] == 0]
    if not round0:
        return None
    return {"round": rounds[incumbent], "round0_best": max(round0), "delivered": totals[incumbent]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_out", type=Path, help="a bench --out folder (with runs/)")
    parser.add_argument("--strategy", default="photoflow")
    args = parser.parse_args(argv)
    traces = sorted(args.bench_out.glob(f"runs/*/{args.strategy}/seed-*/trace.jsonl"))
    if not traces:
        print(f"no {args.strategy} traces under {args.bench_out}/runs", file=sys.stderr)
        return 2
    gains = []
    for trace in traces:
        g = run_gain(trace)
        if g is None:
            print(f"{trace.parent}: no reviewed incumbent in its trace", file=sys.stderr)
            continue
        gains.append(g)
        print(
            f"{trace.parts[-4]:45s} seed {trace.parts[-2][5:]:>2s}  delivered from round {g['round']}  "
            f"{g['round0_best']:.2f} -> {g['delivered']:.2f}"
        )
    later = [g for g in gains if g["round"] > 0]
    rises = [g["delivered"] - g["round0_best"] for g in gains]
    fell = sum(r < -1e-9 for r in rises)
    share = 100 * len(later) / max(len(gains), 1)
    print(f"\n{len(later)}/{len(gains)} runs ({share:.0f} %) delivered a photo found after round 0")
    if gains:
        print(f"the Reviewer's total rose by {statistics.mean(rises):+.2f} on average over round 0's best")
    if later:
        print(f"where a later round won: {statistics.mean(g['delivered'] - g['round0_best'] for g in later):+.2f}")
    print(f"runs where the delivered total is below round 0's best: {fell}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
