"""Does a candidate score feature say what blind editors say? Check it on every rated photo before adding it.

Re-scores the camera of every rated photo (the rated sets and the blind critiques under ``data/``) with today's
Reviewer, measures a few framing features on the same preview render, and prints for each feature:
- the share of same-intent photo pairs, rated a point or more apart, that the feature orders as the editors
  did (50 % is chance), over all such pairs and over the pairs today's total can barely tell apart (totals
  within 0.6: where a new feature would decide);
- today's total on the same pairs, for comparison.

A feature worth adding orders the near-tied pairs clearly better than chance. Stop 21 found (549 photos):
a steep look down nobody asked for (69 % of all pairs, 79 % of near ties) and an asked context object cut by the
edge (70 %, 70 %) did; dead bands of bare floor, wall or sky at the frame's edges (55 %, 57 %), neighbours cut
at the edges (50 %, 54 %) and the bare share of the frame (49 %, 46 %) did not. Stop 22 tried a near post (a lamp
post, a trunk) splitting the subject: 60 % of 10 pairs, too few photos hold one to tell. The plaza photos need
``../shared/assets/plaza.glb``.

  .venv/bin/python benchmarks/feature_signal.py [--sets rated-photos critique-fresh9 ...]
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.builtin import BuiltinDirector, BuiltinReviewer
from agentvision.photoflow.builtin.object_words import STRUCTURAL
from agentvision.photoflow.job import resolve_scene
from agentvision.photoflow.records import Candidate
from agentvision.photoflow.search import Budget, SearchState
from agentvision.render import RenderSettings, get_renderer
from agentvision.scene.lighting import apply_time_of_day, normalise_time
from agentvision.scene.queries import pieces

DATA = Path(__file__).resolve().parents[1] / "data"
ASSETS = Path(__file__).resolve().parents[2] / "shared" / "assets"
SETS = ["rated-photos", "rated-photos-fresh3"] + [f"critique-fresh{i}" for i in range(5, 10)]
NEAR_TIE = 0.6  # totals closer than this: today's score can barely order the pair
PLAIN_ROW = 0.9  # a row or column of the frame this plain (walls, floor, sky) is dead


def _band(share_plain: np.ndarray) -> float:
    """How far from an edge the frame is dead: rows (or columns) in a row that are nearly all plain."""
    n = next((i for i, v in enumerate(share_plain) if v < PLAIN_ROW), len(share_plain))
    return n / len(share_plain)


def measure(photo: dict, set_dir: Path) -> dict:
    """Today's total and the candidate features of one rated photo."""
    scene = str(photo["scene"])
    if scene.endswith((".glb", ".gltf", ".obj", ".ply", ".stl")) and not scene.startswith("/"):
        stored = set_dir / scene
        # the critiques store the shared file scene by its name only (../shared/assets/plaza.glb)
        scene = str(stored.resolve() if stored.exists() else ASSETS / Path(scene).name)
    loaded, _, _ = resolve_scene(scene, photo["intent"])
    bp = BuiltinDirector().plan(photo["intent"], loaded)
    if photo.get("time_of_day"):
        bp.time_of_day = normalise_time(photo["time_of_day"])
    lit = apply_time_of_day(loaded, bp.time_of_day)
    budget = Budget(rounds=1, candidates=1)
    state = SearchState.start(photo["intent"], lit, bp, budget, seed=0)
    cam = Camera.parse(photo["camera"]).with_width(budget.preview_width)
    result = get_renderer("raycast").render(lit, cam, RenderSettings.preview())
    review = BuiltinReviewer().review_one(state, Candidate("rated", 0, cam, "rated", ""), result)
    f = review.facts
    labels = np.array([o.label for o in lit.objects] + [""])
    plain = np.isin(labels, list(STRUCTURAL)) | (np.arange(len(labels)) == len(labels) - 1)
    subject = np.isin(result.ids, [lit.index(n) for n in state.subject.names])
    dead = plain[result.ids] & ~subject
    rows, cols = dead.mean(axis=1), dead.mean(axis=0)
    context_in = [f["related_in_frame"].get(n, 1.0) for n in f["context_visible"]]
    related = {lit.index(p) for n in bp.context + bp.background for p in pieces(lit, n)}
    free_angle = "angle" not in bp.explicit and not bp.viewpoint
    return {
        "total": review.total,
        "dead band (widest edge)": -max(_band(rows), _band(rows[::-1]), _band(cols), _band(cols[::-1])),
        "neighbours cut at the edges": -float(len(f["edge_cut"])),
        "bare share of the frame": -f["plain_share"],
        "asked context inside the frame": min(context_in) if context_in else None,
        "unasked look down (degrees)": min(0.0, f["pitch_deg"] + 20.0) if free_angle else None,
        "a near post splitting the subject": -_splitting(result, subject, plain, related),
    }


POST_WIDTH = 0.06  # of the frame's width: a thing this narrow in the frame is a post, a pole, a trunk
POST_SPAN = 0.5  # ... that crosses this share of the subject's height
POST_MIDDLE = 0.6  # ... inside this middle share of the subject's width, nearer than the subject


def _splitting(result, subject: np.ndarray, plain: np.ndarray, related: set) -> float:
    """The largest share of the subject's height that a near, narrow thing (not the subject, a wall or asked
    context) crosses in the middle of the subject: a lamp post growing out of the villa's door."""
    if not subject.any():
        return 0.0
    ys, xs = np.nonzero(subject)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    pad = (x1 - x0) * (1 - POST_MIDDLE) / 2
    far = float(np.median(result.depth[subject]))
    ids = result.ids[y0:y1, x0:x1]
    depth = result.depth[y0:y1, x0:x1]
    w = result.ids.shape[1]
    worst = 0.0
    for i in np.unique(ids[ids >= 0]):
        if plain[i] or i in related or subject[result.ids == i].any():
            continue
        on = (ids == i) & (depth < far)
        if not on.any():
            continue
        cols = np.nonzero(on.any(axis=0))[0]
        rows = on.any(axis=1).mean()
        if (cols.max() - cols.min() + 1) <= POST_WIDTH * w and rows >= POST_SPAN:
            mid = x0 + (cols.min() + cols.max()) / 2
            if x0 + pad <= mid <= x1 - pad:
                worst = max(worst, float(rows))
    return worst


def agreement(rows: list[dict], key: str, near_only: bool) -> tuple[float, int]:
    """Share of same-intent pairs (a point or more apart) that ``key`` orders as the editors did."""
    by: dict[str, list[dict]] = {}
    for r in rows:
        if r[key] is not None:
            by.setdefault(r["intent"], []).append(r)
    agree = total = 0
    for group in by.values():
        for a, b in itertools.combinations(group, 2):
            if abs(a["rating"] - b["rating"]) < 1 or a[key] == b[key]:
                continue
            if near_only and abs(a["total"] - b["total"]) >= NEAR_TIE:
                continue
            total += 1
            agree += (a[key] - b[key]) * (a["rating"] - b["rating"]) > 0
    return (agree / total if total else float("nan")), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=SETS, help="folders under data/ with a photos.json")
    args = parser.parse_args()
    rows = []
    for name in args.sets:
        set_dir = DATA / name
        for photo in json.loads((set_dir / "photos.json").read_text())["photos"]:
            if photo.get("camera") is None or photo.get("rating") is None:
                continue
            row = measure(photo, set_dir)
            rows.append({**row, "rating": photo["rating"], "intent": f"{name}:{photo['intent_id']}"})
        print(f"{name}: {sum(r['intent'].startswith(name + ':') for r in rows)} photos", flush=True)
    print(f"\n{len(rows)} rated photos; same-intent pairs ordered as the editors did (50 % is chance):")
    print(f"{'feature':34s} {'all pairs':>16s} {'near-tied totals':>18s}")
    for key in [k for k in rows[0] if k not in ("rating", "intent")]:
        (a, n), (b, m) = agreement(rows, key, False), agreement(rows, key, True)
        print(f"{key:34s} {a:8.0%} (n={n:3d}) {b:10.0%} (n={m:3d})")


if __name__ == "__main__":
    main()
