"""Blind re-rate: each intent's set photos (A-C) and the tuned final photo, letters shuffled (seed 21).

Usage: python shuffle.py SET_DIR FINAL_DIR OUT_DIR (SET_DIR and FINAL_DIR are `benchmarks/critique.py generate`
folders; OUT_DIR gets blind/, intents.md and mapping.json)."""

import json
import random
import shutil
import sys
from pathlib import Path


def main(src: Path, fin: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    (out / "blind").mkdir(parents=True)
    m = json.loads((src / "mapping.json").read_text())
    rng = random.Random(21)
    mapping = {}
    for nn in [f"{k:02d}" for k in range(1, 13)]:
        photos = [(k, v["arm"], src / "blind" / f"{k}.png") for k, v in m.items() if k.startswith(nn + "_")]
        photos += [(f"{nn}_A", "final", fin / "blind" / f"{nn}_A.png")]
        rng.shuffle(photos)
        for letter, (old, arm, path) in zip("ABCD", photos, strict=True):
            shutil.copy(path, out / "blind" / f"{nn}_{letter}.png")
            mapping[f"{nn}_{letter}"] = {"arm": arm, "was": old if arm != "final" else None}
    (out / "mapping.json").write_text(json.dumps(mapping, indent=1))
    shutil.copy(src / "intents.md", out / "intents.md")
    print(len(mapping))


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:4]))
