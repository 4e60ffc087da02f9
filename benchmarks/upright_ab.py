"""Blind A/B of upright cameras: the same camera rendered tilted (its pitch makes verticals converge) and
upright (a level sensor and a shifted lens, ``Camera.upright``), shuffled per pair, for raters who see only
the pictures and the intents. Takes the runs of a ``benchmarks/critique.py generate`` folder.

  .venv/bin/python benchmarks/upright_ab.py CRITIQUE_DIR/runs OUT --arms photoflow-old,one-shot

OUT gets blind/NN_A.png and NN_B.png, intents.md and mapping.json (which letter is upright). Pairs whose camera
pitches less than --min-pitch degrees are skipped: there the two renders barely differ. Rater prompt and
results: data/upright-ab/.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import replace
from pathlib import Path

import agentvision as av
from agentvision.camera import Camera
from agentvision.render.base import RenderSettings
from agentvision.render.engines import get_renderer


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs", type=Path, help="a critique folder's runs/ (INTENT/ARM/camera.json)")
    p.add_argument("out", type=Path)
    p.add_argument("--arms", default="photoflow-old,one-shot", help="which arms' cameras to pair")
    p.add_argument("--min-pitch", type=float, default=4.0)
    p.add_argument("--max-pitch", type=float, default=30.0)
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    arms = set(args.arms.split(","))
    (args.out / "blind").mkdir(parents=True, exist_ok=True)
    rng, mapping, intents = random.Random(args.seed), {}, []
    for run in sorted(args.runs.glob("*/*/camera.json")):
        if run.parent.name not in arms:
            continue
        info = json.loads(run.read_text())
        cam = Camera.from_dict(info["camera"]).with_width(args.width)
        if not args.min_pitch <= abs(cam.pitch_deg) <= args.max_pitch:
            continue
        scene = av.load_scene(info["scene"], info["time_of_day"])
        focus = max(0.3, math.dist(cam.position, cam.look_at))
        settings = replace(RenderSettings.final(), focus_distance=focus)
        nn = f"{len(intents) + 1:02d}"
        letters = ["A", "B"]
        rng.shuffle(letters)
        for upright, letter in zip((False, True), letters, strict=True):
            image = get_renderer("path").render(scene, cam.replace(upright=upright), settings).image()
            image.save(args.out / "blind" / f"{nn}_{letter}.png")
            run_name = f"{run.parent.parent.name}/{run.parent.name}"
            mapping[f"{nn}_{letter}"] = {"upright": upright, "run": run_name, "pitch": round(cam.pitch_deg, 1)}
        intents.append(f"{nn}: {info['blueprint']['intent']}")
        print(nn, run.parent, f"pitch {cam.pitch_deg:.1f}", flush=True)
    (args.out / "mapping.json").write_text(json.dumps(mapping, indent=1))
    head = "# Intents (blind/NN_A.png and NN_B.png answer intent NN)\n\n"
    (args.out / "intents.md").write_text(head + "\n".join(intents) + "\n")


if __name__ == "__main__":
    main()
