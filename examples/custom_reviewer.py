"""A custom Reviewer plugged into the PhotoFlow loop through ``av.photo``.

It wraps the built-in Reviewer and adds a symmetry bonus: each candidate's aesthetics score gains
up to ``bonus`` points the more its preview mirrors left to right (1 - mean absolute difference of
the luminance and its mirror image), with the reason written into the review. Run it:

    python examples/custom_reviewer.py [--intent TEXT] [--out DIR] [--rounds N] [--candidates K] [--width PX]

It shoots the same intent twice (built-in Reviewer, then this one) and prints each photo's symmetry.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import agentvision as av


def symmetry(rgb: np.ndarray) -> float:
    """1 for a frame that mirrors exactly left to right, lower the more its halves differ."""
    lum = np.asarray(rgb, dtype=float)[..., :3].mean(axis=-1)
    lum = lum / max(float(lum.max()), 1e-6)
    return float(1.0 - np.abs(lum - lum[:, ::-1]).mean())


class SymmetryReviewer:
    """Reviews like the built-in Reviewer, then prefers symmetrical frames."""

    def __init__(self, bonus: float = 3.0) -> None:
        self.inner = av.BuiltinReviewer()
        self.bonus = bonus

    def review(self, state, shots):
        reviews = self.inner.review(state, shots)
        for review, (_candidate, render) in zip(reviews, shots, strict=True):
            s = symmetry(render.rgb)
            extra = self.bonus * s**4  # only near-mirror frames earn much
            review.scores["aesthetics"] = min(10.0, review.scores["aesthetics"] * 0.7 + extra)
            review.reasons["aesthetics"] += f"; symmetry {s:.2f}: +{extra:.1f}"
        return reviews

    def compare(self, state, incumbent, challenger):
        return self.inner.compare(state, incumbent, challenger)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description="a custom Reviewer (symmetry bonus) in the PhotoFlow loop")
    parser.add_argument("--intent", default="the tv straight on")
    parser.add_argument("--out", type=Path, default=None, help="folder for the two run folders")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument("--width", type=int, default=960)
    args = parser.parse_args(argv)
    assert isinstance(SymmetryReviewer(), av.Reviewer)  # satisfies the role interface
    measured = {}
    for name, reviewer in (("builtin", None), ("symmetry", SymmetryReviewer())):
        out = args.out / name if args.out else None
        result = av.photo(
            args.intent,
            rounds=args.rounds,
            candidates=args.candidates,
            width=args.width,
            reviewer=reviewer,
            out_dir=out,
        )
        measured[name] = symmetry(np.asarray(result.photo))
        where = f" -> {out / 'photo.png'}" if out else ""
        print(f"{name:9} symmetry {measured[name]:.3f}, score {result.scores['total']:.2f}{where}")
    return measured


if __name__ == "__main__":
    main()
