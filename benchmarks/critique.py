"""Blind photo critique (../shared/CRITIQUE.md, section 1): make a blind set, then un-blind its ratings.

1. Write new intents nobody tuned on (YAML list of {id, intent, scene, time?}); run each with every strategy
   (or code version), same seed:  critique.py generate INTENTS.yaml --out DIR [--strategies ...|--versions ...]
2. Give the rater only DIR/blind/ (NN_X.png, the letter shuffled per intent) and DIR/intents.md.
3. The rater, a demanding photo editor, writes RATINGS.json ({"NN_X": {"score": 1-10, "reason": ...}}, plus
   "ranking": {"NN": ["NN_X", ...best first]}) before anyone opens DIR/mapping.json.
4. Un-blind:  critique.py unblind DIR --ratings R1.json [R2.json ...]  -> DIR/results.md (means, win rates,
   Spearman; with several raters a photo's score is their mean).

  .venv/bin/python benchmarks/critique.py generate benchmarks/critique/baseline-intents.yaml --out DIR \
      --strategies photoflow,one-shot,random --seed 0 --width 1280 --code /work/wt/baseline
  .venv/bin/python benchmarks/critique.py generate INTENTS.yaml --out DIR --strategies photoflow \
      --versions old=/work/wt/baseline,new=/work/main
  .venv/bin/python benchmarks/critique.py generate INTENTS.yaml --out DIR \
      --versions old=/work/wt/old@photoflow,new=/work/main@photoflow,one-shot=/work/main@one-shot
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import mean, stdev

import yaml

REPO = Path(__file__).resolve().parents[1]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
KEY = re.compile(r"^\d{2,}_[A-Z]$")
BRIEF = """You are a demanding photo editor. For each image in blind/ give a 1-10 score for how well it fulfils
its intent (below, by the number NN in NN_X.png) AND how good a photograph it is (composition, subject clear
and whole, cropping, light, mood, lens), one line of reason, and a ranking per intent, best first. 9-10 only
for a photo a professional would keep. Write every rating to a file before opening anything else, as JSON:
{"01_A": {"score": 6, "reason": "..."}, ..., "ranking": {"01": ["01_B", "01_A", "01_C"], ...}}
"""


@dataclass(frozen=True)
class Arm:
    """One thing being compared: a strategy run by a version of the code."""

    label: str
    strategy: str
    root: Path


def load_intents(path: Path) -> list[dict]:
    items = yaml.safe_load(path.read_text())
    if not isinstance(items, list) or not items:
        sys.exit(f"{path}: expected a YAML list of {{id, intent, scene, time?}}")
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        missing = {"id", "intent", "scene"} - set(item or {})
        if missing or set(item) - {"id", "intent", "scene", "time"}:
            sys.exit(f"{path}: entry {n} needs id, intent, scene (and optionally time): {item}")
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", str(item["id"])) or item["id"] in seen:
            sys.exit(f"{path}: entry {n}: id {item['id']!r} must be unique and safe as a folder name")
        seen.add(item["id"])
        local = path.parent / str(item["scene"])
        if local.is_file():  # a file scene given relative to the YAML
            item["scene"] = str(local.resolve())
    return items


def parse_arms(args: argparse.Namespace) -> list[Arm]:
    strategies = [s for s in args.strategies.split(",") if s]
    if not args.versions:
        return [Arm(s, s, Path(args.code).resolve()) for s in strategies]
    arms = []
    for part in args.versions.split(","):
        label, _, spec = part.partition("=")
        root, _, strategy = spec.partition("@")
        if not label or not root or not Path(root).is_dir():
            sys.exit(f"--versions: {part!r} is not LABEL=EXISTING_DIR or LABEL=EXISTING_DIR@STRATEGY")
        if not strategy and len(strategies) != 1:
            sys.exit(f"--versions: {part!r} names no @STRATEGY: give a single --strategies value for it")
        arms.append(Arm(label, strategy or strategies[0], Path(root).resolve()))
    return arms


def commit_of(root: Path) -> str:
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    ).stdout.strip()
    return (out.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty else "")


def run_one(item: dict, arm: Arm, run_dir: Path, args: argparse.Namespace) -> dict:
    """Run (or reuse) one photo; returns {score, valid, seconds, error}."""
    if not (run_dir / "photo.png").exists():
        cmd = [
            args.python,
            "-m",
            "agentvision.cli",
            "photo",
            item["intent"],
            "--scene",
            str(item["scene"]),
            "--strategy",
            arm.strategy,
            "--seed",
            str(args.seed),
            "--width",
            str(args.width),
            "--out",
            str(run_dir),
            "--json",
            *shlex.split(args.extra_args),
        ]
        if item.get("time"):
            cmd += ["--time", str(item["time"])]
        if run_dir.exists():
            shutil.rmtree(run_dir)  # a failed or interrupted earlier try
        run_dir.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONPATH": str(arm.root)}
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=arm.root, env=env, capture_output=True, text=True, timeout=args.timeout)
            rc, err = proc.returncode, proc.stderr
        except subprocess.TimeoutExpired:
            rc, err = -1, f"timed out after {args.timeout} s"
        seconds = round(time.perf_counter() - t0, 1)
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "critique-run.json").write_text(
            json.dumps({"cmd": cmd, "returncode": rc, "seconds": seconds, "stderr": err[-4000:]}, indent=2)
        )
        # exit 5: the photo is written but breaks a hard rule (a result to rate, not a failed run)
        if rc not in (0, 5) or not (run_dir / "photo.png").exists():
            error = " ".join(err.split())[-600:] or f"exit code {rc}, no photo"
            return {"score": None, "valid": None, "seconds": seconds, "error": error}
    log = run_dir / "critique-run.json"
    seconds = json.loads(log.read_text())["seconds"] if log.exists() else None
    scores = json.loads((run_dir / "camera.json").read_text()).get("scores") or {}
    return {"score": scores.get("total"), "valid": scores.get("valid"), "seconds": seconds, "error": None}


def generate(args: argparse.Namespace) -> None:
    intents, arms = load_intents(Path(args.intents)), parse_arms(args)
    if len(arms) > len(LETTERS) or len({a.label for a in arms}) != len(arms):
        sys.exit("need distinct strategy/version labels, at most 26")
    out = Path(args.out)
    (out / "blind").mkdir(parents=True, exist_ok=True)
    mapping: dict[str, dict] = {}
    t0 = time.perf_counter()
    for n, item in enumerate(intents, 1):
        nn = f"{n:02d}"
        order = list(arms)
        random.Random(f"{args.seed}:{item['id']}").shuffle(order)  # the letter of each arm, stable across reruns
        for letter, arm in zip(LETTERS, order, strict=False):
            key, run_dir = f"{nn}_{letter}", out / "runs" / item["id"] / arm.label
            res = run_one(item, arm, run_dir, args)
            blind = out / "blind" / f"{key}.png"
            if res["error"] is None:
                shutil.copyfile(run_dir / "photo.png", blind)
            elif blind.exists():
                blind.unlink()
            mapping[key] = {
                "intent_id": item["id"],
                "intent": item["intent"],
                "scene": str(item["scene"]),
                "time": item.get("time"),
                "arm": arm.label,
                "strategy": arm.strategy,
                "code": str(arm.root),
                "run_dir": str(run_dir),
                "product_score": res["score"],
                "valid": res["valid"],
                "seconds": res["seconds"],
                "error": res["error"],
            }
            status = f"error: {res['error'][:160]}" if res["error"] else f"score {res['score']}"
            print(f"{key} {item['id']} [{arm.label}] {status}", flush=True)
    (out / "mapping.json").write_text(json.dumps(mapping, indent=2) + "\n")
    lines = ["# Intents (rate blind/NN_X.png against intent NN)", "", BRIEF]
    for n, item in enumerate(intents, 1):
        scene = Path(item["scene"]).name if Path(str(item["scene"])).suffix else item["scene"]
        when = f", time {item['time']}" if item.get("time") else ""
        lines.append(f'- **{n:02d}**: "{item["intent"]}" (scene {scene}{when})')
    (out / "intents.md").write_text("\n".join(lines) + "\n")
    setup = {
        "intents_file": str(Path(args.intents).resolve()),
        "seed": args.seed,
        "width": args.width,
        "extra_args": args.extra_args,
        "arms": [
            {"label": a.label, "strategy": a.strategy, "code": str(a.root), "commit": commit_of(a.root)} for a in arms
        ],
        "wall_seconds_this_call": round(time.perf_counter() - t0, 1),
    }
    (out / "setup.json").write_text(json.dumps(setup, indent=2) + "\n")
    failed = [k for k, v in mapping.items() if v["error"]]
    print(
        f"{len(mapping) - len(failed)} photos in {out / 'blind'}, {len(failed)} failed runs; "
        f"{setup['wall_seconds_this_call']} s. The rater gets blind/ and intents.md, not mapping.json."
    )


def se(xs: list[float]) -> float:
    return stdev(xs) / len(xs) ** 0.5 if len(xs) > 1 else float("nan")


def unblind(args: argparse.Namespace) -> None:
    from scipy.stats import spearmanr

    out = Path(args.dir)
    mapping = json.loads((out / "mapping.json").read_text())
    given: dict[str, list[float]] = {}  # several raters: each photo's mean
    reasons: dict[str, list[str]] = {}
    rankings: list[list[str]] = []  # every rater's per-intent rankings
    for path in args.ratings:
        ratings = json.loads(Path(path).read_text())
        rankings += list((ratings.get("ranking") or ratings.get("rankings") or {}).values())
        for k, v in ratings.items():
            if KEY.match(k):
                given.setdefault(k, []).append(float(v["score"]))
                reasons.setdefault(k, []).append(str(v.get("reason", "")))
    scores = {k: mean(v) for k, v in given.items() if k in mapping}
    unknown = [k for k in given if k not in mapping]
    arms = list(dict.fromkeys(v["arm"] for v in mapping.values()))
    by_intent: dict[str, dict[str, float]] = {}
    for key, s in scores.items():
        by_intent.setdefault(mapping[key]["intent_id"], {})[mapping[key]["arm"]] = s
    md = [f"# Blind critique results: {out}", "", f"{len(scores)} rated photos over {len(by_intent)} intents."]
    if unknown:
        md.append(f"Ratings for unknown photos, ignored: {', '.join(unknown)}.")
    md += [
        "",
        "| arm | photos rated | mean score | s.e. | failed runs (no photo) | mean product score |",
        "|---|---|---|---|---|---|",
    ]
    for arm in arms:
        xs = [s for k, s in scores.items() if mapping[k]["arm"] == arm]
        failed = sum(1 for v in mapping.values() if v["arm"] == arm and v["error"])
        prod = [v["product_score"] for k, v in mapping.items() if v["arm"] == arm and k in scores]
        md.append(
            f"| {arm} | {len(xs)} | {mean(xs) if xs else float('nan'):.2f} | {se(xs):.2f} | {failed} | "
            f"{mean(prod) if prod else float('nan'):.2f} |"
        )
    md += [
        "",
        "Pairwise win rate of the row over the column (same intent, higher rating; ties count half):",
        "",
        "| | " + " | ".join(arms) + " |",
        "|---" * (len(arms) + 1) + "|",
    ]
    for a in arms:
        cells = []
        for b in arms:
            pairs = [(r[a], r[b]) for r in by_intent.values() if a in r and b in r]
            wins = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x, y in pairs)
            cells.append("-" if a == b else f"{wins / len(pairs):.0%} (n={len(pairs)})" if pairs else "n/a")
        md.append(f"| {a} | " + " | ".join(cells) + " |")
    if rankings:
        ranks: dict[str, list[int]] = {a: [] for a in arms}
        for keys in rankings:
            for r, key in enumerate(keys, 1):
                if key in mapping:
                    ranks[mapping[key]["arm"]].append(r)
        md += [
            "",
            "Mean rank in the rater's per-intent ranking (1 = best): "
            + ", ".join(f"{a} {mean(r):.2f} (n={len(r)})" for a, r in ranks.items() if r)
            + ".",
        ]
    paired = [(mapping[k]["product_score"], s) for k, s in scores.items() if mapping[k]["product_score"] is not None]
    if len(paired) > 2:
        rho, p = spearmanr([p for p, _ in paired], [s for _, s in paired])
        md += [
            "",
            f"Product score (camera.json scores.total) vs rating, Spearman over all rated photos: "
            f"rho = {rho:.2f} (p = {p:.3g}, n = {len(paired)}).",
        ]
    worst = sorted(scores, key=lambda k: (scores[k], k))[: args.worst]
    md += [
        "",
        f"## The {len(worst)} worst-rated photos",
        "",
        "| photo | arm | score | product score | intent | reason |",
        "|---|---|---|---|---|---|",
    ]
    for k in worst:
        m = mapping[k]
        md.append(
            f"| {k} | {m['arm']} | {scores[k]:g} | {m['product_score']} | {m['intent']} | "
            f"{' / '.join(reasons.get(k, [])).replace('|', '/')} |"
        )
    errors = [(k, v) for k, v in mapping.items() if v["error"]]
    if errors:
        md += ["", "## Failed runs (no photo)", ""] + [
            f'- {k} {v["arm"]} "{v["intent"]}": {v["error"]}' for k, v in errors
        ]
    missing = [k for k, v in mapping.items() if not v["error"] and k not in scores]
    if missing:
        md += ["", f"Photos without a rating: {', '.join(missing)}."]
    text = "\n".join(md) + "\n"
    (out / "results.md").write_text(text)
    print(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="run every intent x strategy (or version) and write the blind set")
    g.add_argument("intents", help="YAML list of {id, intent, scene, time?}")
    g.add_argument("--out", required=True, help="output folder (runs/, blind/, mapping.json, intents.md)")
    g.add_argument("--strategies", default="photoflow,one-shot,random")
    g.add_argument(
        "--versions",
        default="",
        help="LABEL=ROOT[@STRATEGY],...: compare code versions (each with its strategy, else the one --strategies)",
    )
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--width", type=int, default=1280)
    g.add_argument("--code", default=str(REPO), help="root of the agentvision code to run (default: this repo)")
    g.add_argument("--extra-args", default="", help='more `agentvision photo` options, e.g. "--rounds 8"')
    g.add_argument("--python", default=sys.executable, help="interpreter with agentvision's dependencies")
    g.add_argument("--timeout", type=float, default=900, help="seconds per run")
    u = sub.add_parser("unblind", help="join the ratings with mapping.json and write DIR/results.md")
    u.add_argument("dir")
    u.add_argument("--ratings", required=True, nargs="+", help="one or more raters' files (a photo's scores averaged)")
    u.add_argument("--worst", type=int, default=8, help="how many worst-rated photos to list")
    args = ap.parse_args()
    if args.command == "generate":
        generate(args)
    else:
        unblind(args)


if __name__ == "__main__":
    main()
