"""Calibrate the built-in Reviewer on blind ratings, and check how well its score ranks photos like people do.

The rated set (``data/rated-photos/``: ``photos.json`` with each photo's intent, scene, camera and blind
ratings; see its README) is built once from a blind critique run, then re-checked after every change:

  collect  DIR --ratings R1.json [R2.json ...] --out data/rated-photos
           DIR is a ``critique.py generate`` folder; each ratings file is one blind rater's (NN_X -> score).
           Raters who rated the same photos are put on one scale: each rater's mean over the photos every
           rater scored is shifted to the mean of all raters there. Writes photos.json and small JPEG thumbnails.
  check    [--set data/rated-photos]: re-scores every photo's camera with today's Reviewer (agentvision score)
           and prints the Spearman correlation of its total with the ratings, overall and on the held-back part.
  fit      [--set ...] [--write]: fits the score features' weights (non-negative least squares) on the training
           part (70 % of the intents, fixed by --seed) and reports, over --splits intent splits, Spearman and the
           share of same-intent pairs ordered as the raters did on the held-back 30 %, today's weights against the
           fitted ones; --write puts them in agentvision/photoflow/score_weights.json, only if they rank better.

  .venv/bin/python benchmarks/calibrate_reviewer.py check
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.optimize import nnls
from scipy.stats import spearmanr

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SET = REPO / "data" / "rated-photos"
WEIGHTS = REPO / "agentvision" / "photoflow" / "score_weights.json"  # records.WEIGHTS_FILE
THUMB = 480  # pixels, the longer side of the stored thumbnails
HOLDOUT = 0.3


def collect(args: argparse.Namespace) -> None:
    folder, out = Path(args.dir), Path(args.out)
    mapping = json.loads((folder / "mapping.json").read_text())
    raters = []
    for path in args.ratings:
        data = json.loads(Path(path).read_text())
        raters.append({k: v for k, v in data.items() if k in mapping and isinstance(v, dict) and "score" in v})
    shared = set.intersection(*(set(r) for r in raters)) if len(raters) > 1 else set()
    offsets = []
    if shared:
        common = np.mean([r[k]["score"] for r in raters for k in shared])
        offsets = [float(np.mean([r[k]["score"] for k in shared]) - common) for r in raters]
    else:
        offsets = [0.0] * len(raters)
    (out / "thumbs").mkdir(parents=True, exist_ok=True)
    photos = []
    for key, m in sorted(mapping.items()):
        got = [(i, r[key]) for i, r in enumerate(raters) if key in r]
        if m.get("error") or not got:
            continue
        run = Path(m["run_dir"])
        record = json.loads((run / "camera.json").read_text())
        image = Image.open(run / "photo.png").convert("RGB")
        image.thumbnail((THUMB, THUMB))
        image.save(out / "thumbs" / f"{key}.jpg", quality=85)
        photos.append(
            {
                "key": key,
                "intent_id": m["intent_id"],
                "intent": m["intent"],
                "scene": _stored_scene(record["scene"], m["scene"], out),
                "time_of_day": record["time_of_day"],
                "strategy": m["strategy"],
                "camera": record["camera"],
                "product_total_then": m.get("product_score"),
                "rating": round(float(np.mean([v["score"] - offsets[i] for i, v in got])), 2),
                "ratings": [{"rater": i + 1, "score": v["score"], "reason": v.get("reason", "")} for i, v in got],
            }
        )
    meta = {"raters": len(raters), "offsets": [round(o, 2) for o in offsets], "shared_photos": sorted(shared)}
    (out / "photos.json").write_text(json.dumps({"meta": meta, "photos": photos}, indent=1) + "\n")
    print(f"{len(photos)} rated photos -> {out / 'photos.json'}; rater offsets {meta['offsets']}")


def _stored_scene(library_name: str, asked: str, out: Path) -> str:
    """A library scene's name, or a scene file's path relative to the set (so the set travels with the repo)."""
    if not str(asked).endswith((".glb", ".gltf", ".obj", ".ply", ".stl")):
        return library_name
    return os.path.relpath(Path(asked).resolve(), out.resolve())


def _load(set_dir: Path) -> list[dict]:
    return json.loads((set_dir / "photos.json").read_text())["photos"]


def _scene(photo: dict, set_dir: Path) -> str:
    scene = str(photo["scene"])
    return str((set_dir / scene).resolve()) if scene.endswith((".glb", ".gltf", ".obj", ".ply", ".stl")) else scene


def _rescore(photos: list[dict], set_dir: Path) -> list[dict]:
    """Today's Reviewer on every photo's camera: total, valid and features."""
    from agentvision.photoflow.scoring import score_camera

    out = []
    for p in photos:
        scored = score_camera(p["intent"], _scene(p, set_dir), p["camera"], time_of_day=p["time_of_day"])
        out.append({"total": scored.total, "valid": scored.valid, "features": scored.features})
    return out


def _split(photos: list[dict], seed: int) -> tuple[np.ndarray, np.ndarray]:
    intents = sorted({p["intent_id"] for p in photos})
    random.Random(seed).shuffle(intents)
    held = set(intents[: max(1, round(HOLDOUT * len(intents)))])
    test = np.array([p["intent_id"] in held for p in photos])
    return ~test, test


def _rho(a, b) -> float:
    return float(spearmanr(a, b).statistic) if len(a) > 2 else float("nan")


def _pairwise(score: np.ndarray, ratings: np.ndarray, photos: list[dict], idx: np.ndarray) -> float:
    """Share of same-intent photo pairs (rated at least a point apart) that ``score`` orders as the raters did:
    the choice the search makes, between candidates for one intent."""
    by: dict[str, list[int]] = {}
    for i in idx:
        by.setdefault(photos[i]["intent_id"], []).append(int(i))
    agree = total = 0
    for ids in by.values():
        for a, b in itertools.combinations(ids, 2):
            if abs(ratings[a] - ratings[b]) >= 1:
                total += 1
                agree += (score[a] - score[b]) * (ratings[a] - ratings[b]) > 0
    return agree / total if total else float("nan")


def check(args: argparse.Namespace) -> None:
    set_dir = Path(args.set)
    photos = _load(set_dir)
    scored = _rescore(photos, set_dir)
    ratings = np.array([p["rating"] for p in photos])
    totals = np.array([s["total"] for s in scored])
    train, test = _split(photos, args.seed)
    print(
        f"{len(photos)} photos: Spearman(total, rating) = {_rho(totals, ratings):.3f} overall, "
        f"{_rho(totals[test], ratings[test]):.3f} on the held-back {int(test.sum())}; same-intent pairs ordered "
        f"as the raters did: {_pairwise(totals, ratings, photos, np.arange(len(photos))):.0%}"
    )


SCALE_KNOTS = np.linspace(0.0, 10.0, 21)  # the raw totals at which the editor scale is stored


def scale(args: argparse.Namespace) -> None:
    """Fit the editor scale: a monotone map from the Reviewer's total to the rating an editor gives, by
    isotonic regression on the set; judged on the other sets (--held), which it never saw."""
    from scipy.optimize import isotonic_regression

    def totals_and_ratings(set_dir: Path) -> tuple[np.ndarray, np.ndarray]:
        photos = _load(set_dir)
        return np.array([s["total"] for s in _rescore(photos, set_dir)]), np.array([p["rating"] for p in photos])

    raw, ratings = totals_and_ratings(Path(args.set))
    order = np.argsort(raw, kind="stable")
    fitted = isotonic_regression(ratings[order]).x
    # Knots: the fitted rating at each raw total (flat beyond the data), kept non-decreasing.
    levels = np.maximum.accumulate(np.interp(SCALE_KNOTS, raw[order], fitted))
    knots = [[round(float(k), 2), round(float(v), 2)] for k, v in zip(SCALE_KNOTS, levels, strict=True)]
    print(
        f"{len(raw)} photos; editor scale (raw total -> rating): " + ", ".join(f"{k:g}->{v:.1f}" for k, v in knots[::4])
    )
    for held in [Path(args.set)] + [Path(h) for h in args.held]:
        t, r = (raw, ratings) if held == Path(args.set) else totals_and_ratings(held)
        mapped = np.interp(t, SCALE_KNOTS, levels)
        where = "fitted on" if held == Path(args.set) else "held out"
        print(
            f"{held} ({where}, {len(t)} photos): mean rating {r.mean():.2f}, raw total {t.mean():.2f} "
            f"(mean abs. error {np.abs(t - r).mean():.2f}), on the editor scale {mapped.mean():.2f} "
            f"(mean abs. error {np.abs(mapped - r).mean():.2f})"
        )
    if args.write:
        weights = json.loads(WEIGHTS.read_text())
        weights["editor_scale"] = knots
        WEIGHTS.write_text(json.dumps(weights, indent=2) + "\n")
        print(f"wrote the editor scale to {WEIGHTS}")


def _matrix(scored: list[dict]) -> tuple[np.ndarray, list[tuple[str, str]]]:
    names = [(axis, k) for axis, feats in scored[0]["features"].items() for k in feats]
    x = np.array([[s["features"][a][k] for a, k in names] for s in scored])
    return x, names


def _fit(design: np.ndarray, ratings: np.ndarray, rows: np.ndarray) -> np.ndarray:
    # rating ~ intercept + invalid penalty + sum(c_j * feature_j), c_j >= 0; the intercept and the penalty are
    # free (two columns of +1/-1), the feature weights non-negative.
    return nnls(design[rows], ratings[rows])[0]


def fit(args: argparse.Namespace) -> None:
    set_dir = Path(args.set)
    photos = _load(set_dir)
    scored = _rescore(photos, set_dir)
    ratings = np.array([p["rating"] for p in photos])
    valid = np.array([s["valid"] for s in scored], float)
    before = np.array([s["total"] for s in scored])
    x, names = _matrix(scored)
    design = np.column_stack([np.ones(len(x)), -np.ones(len(x)), 1 - valid, x])
    # Held-back quality over several intent splits: one split of ~16 intents is too noisy to decide on.
    rows = []
    for seed in range(args.seed, args.seed + args.splits):
        train, test = _split(photos, seed)
        predicted = design @ _fit(design, ratings, train)
        held = np.flatnonzero(test)
        rows.append(
            [
                _rho(before[test], ratings[test]),
                _rho(predicted[test], ratings[test]),
                _pairwise(before, ratings, photos, held),
                _pairwise(predicted, ratings, photos, held),
            ]
        )
    m, sd = np.nanmean(rows, axis=0), np.nanstd(rows, axis=0)
    print(
        f"held back, mean of {args.splits} intent splits: Spearman today {m[0]:.3f} (sd {sd[0]:.3f}), fitted "
        f"{m[1]:.3f} (sd {sd[1]:.3f}); same-intent pairs ordered as the raters did: today {m[2]:.0%}, fitted {m[3]:.0%}"
    )
    train, _ = _split(photos, args.seed)
    c = _fit(design, ratings, train)[3:]
    if c.sum() <= 0:
        sys.exit("no feature carries weight: the fit is degenerate; not writing")
    weights = json.loads(WEIGHTS.read_text())
    axis_sums = {}
    for (axis, _), v in zip(names, c, strict=True):
        axis_sums[axis] = axis_sums.get(axis, 0.0) + v
    for (axis, k), v in zip(names, c, strict=True):
        weights[axis][k] = round(float(v / axis_sums[axis]) if axis_sums[axis] > 0 else 1.0 / len(weights[axis]), 4)
    total = sum(axis_sums.values())
    weights["axes"] = {a: round(float(s / total), 4) for a, s in axis_sums.items()}
    print(json.dumps({k: weights[k] for k in ("axes", *axis_sums)}, indent=1))
    if args.write and m[1] <= m[0] and not args.force:
        sys.exit("the fitted weights rank held-back photos no better than today's: not writing (--force to anyway)")
    if args.write:
        WEIGHTS.write_text(json.dumps(weights, indent=2) + "\n")
        print(f"wrote {WEIGHTS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("dir")
    c.add_argument("--ratings", nargs="+", required=True)
    c.add_argument("--out", default=str(DEFAULT_SET))
    for name in ("check", "fit"):
        p = sub.add_parser(name)
        p.add_argument("--set", default=str(DEFAULT_SET))
        p.add_argument("--seed", type=int, default=0)
        if name == "fit":
            p.add_argument("--write", action="store_true")
            p.add_argument("--force", action="store_true", help="write even when the fit ranks held-back photos worse")
            p.add_argument("--splits", type=int, default=10, help="intent splits to judge the fit on")
    sc = sub.add_parser("scale")
    sc.add_argument("--set", default=str(DEFAULT_SET))
    sc.add_argument("--held", nargs="*", default=[], help="other rated sets to judge the scale on")
    sc.add_argument("--write", action="store_true")
    args = parser.parse_args()
    {"collect": collect, "check": check, "fit": fit, "scale": scale}[args.cmd](args)


if __name__ == "__main__":
    main()
