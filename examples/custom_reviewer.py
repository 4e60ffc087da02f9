"""A custom Reviewer plugged into the PhotoFlow loop through ``av.photo``.

It wraps the built-in Reviewer and adds a symmetry bonus: each candidate's aesthetics score gains
up to ``bonus`` points the more its preview mirrors left to right (1 - mean absolute difference of
the luminance and its mirror image), with the reason written into the review. Run it:

    python examples/custom_reviewer.py [--intent TEXT] [--out DIR] [--rounds N] [--candidates K] [--width PX]
    python examples/custom_reviewer.py --model openai:MODEL_ID --api-base URL   # a VLM Director and Reflector

It shoots the same intent twice (built-in Reviewer, then this one) into ``OUT/builtin`` and ``OUT/symmetry``
(default ``runs/<timestamp>-custom-reviewer/``) and prints each photo's symmetry and path. With ``--model``
the Director and Reflector are that model's (the Reviewer stays the one given here: roles passed to
``av.photo`` win over model specs).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import agentvision as av
from agentvision.runs import run_dir_for


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
    parser.add_argument("--model", default=None, help="model spec for the Director and Reflector (default builtin)")
    parser.add_argument("--api-base", default=None, help="the OpenAI-compatible server of an openai: model")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument("--width", type=int, default=960)
    args = parser.parse_args(argv)
    assert isinstance(SymmetryReviewer(), av.Reviewer)  # satisfies the role interface
    measured = {}
    root = args.out or run_dir_for("custom reviewer")
    for name, reviewer in (("builtin", None), ("symmetry", SymmetryReviewer())):
        out = root / name
        result = av.photo(
            args.intent,
            rounds=args.rounds,
            candidates=args.candidates,
            width=args.width,
            reviewer=reviewer,
            model=args.model,
            api_base=args.api_base,
            out_dir=out,
        )
        measured[name] = symmetry(np.asarray(result.photo))
        print(f"{name:9} symmetry {measured[name]:.3f}, score {result.scores['total']:.2f} -> {out / 'photo.png'}")
    return measured


if __name__ == "__main__":
    main()
