"""What flows through a PhotoFlow search: candidates, reviews, comparisons, reflections, rounds."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from agentvision.camera import Camera
from agentvision.render.base import RenderResult

AXES = ("composition", "technical", "aesthetics", "alignment")
WEIGHTS_FILE = Path(__file__).with_name("score_weights.json")


@cache
def score_weights() -> dict:
    """The score's weights (score_weights.json beside this module, fitted to blind ratings): "axes" mixes the
    four axes into a review's total; the built-in Reviewer reads its features' weights from the same file."""
    return json.loads(WEIGHTS_FILE.read_text())


AXIS_WEIGHTS = score_weights()["axes"]
EDITOR_SCALE = score_weights().get("editor_scale", [[0.0, 0.0], [10.0, 10.0]])


def editor_estimate(total: float) -> float:
    """The rating (0-10) a demanding photo editor gives a photo with this total, on average: the editor
    scale, a monotone map fitted to blind ratings (benchmarks/calibrate_reviewer.py scale). The total ranks
    candidates; this says what the best of them is worth."""
    raw, rating = zip(*EDITOR_SCALE, strict=True)
    return float(np.interp(total, raw, rating))


@dataclass
class Candidate:
    """A proposed camera and why the Director proposed it."""

    id: str  # "r02c3": round 2, candidate 3
    round: int
    camera: Camera
    origin: str  # anchor | refine | direction | explore | random | incumbent
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "round": self.round,
            "camera": self.camera.to_dict(),
            "origin": self.origin,
            "note": self.note,
        }


@dataclass
class RuleCheck:
    """One geometric or photographic rule, measured."""

    name: str
    passed: bool
    value: float | str | None
    message: str
    hard: bool = True  # a failed hard rule disqualifies the candidate

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Review:
    """The Reviewer's verdict on one candidate."""

    candidate_id: str
    checks: list[RuleCheck]
    scores: dict[str, float]  # axis -> 0..10
    reasons: dict[str, str]  # axis -> one line
    critiques: list[str] = field(default_factory=list)  # machine-readable problems: "subject_too_small"...
    facts: dict = field(default_factory=dict)  # measured values handed on (coverage, centroid, ...)

    @property
    def valid(self) -> bool:
        return all(c.passed for c in self.checks if c.hard)

    @property
    def broken(self) -> int:
        """How many hard rules it breaks: of two shots that break some, the one breaking fewer is nearer the request."""
        return sum(1 for c in self.checks if c.hard and not c.passed)

    @property
    def total(self) -> float:
        """Weighted score in 0..10; invalid candidates are capped below every valid one."""
        score = sum(AXIS_WEIGHTS[a] * self.scores.get(a, 0.0) for a in AXES)
        return score if self.valid else min(score, 0.0 + score * 0.3)

    def failed(self) -> list[RuleCheck]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict:
        return {
            "candidate_id": self.candidate_id,
            "valid": self.valid,
            "total": round(self.total, 3),
            "editor_estimate": round(editor_estimate(self.total), 1),
            "scores": {k: round(v, 3) for k, v in self.scores.items()},
            "reasons": self.reasons,
            "checks": [c.to_dict() for c in self.checks],
            "critiques": self.critiques,
            "facts": self.facts,
        }


@dataclass
class Comparison:
    """A head-to-head between the incumbent and a challenger."""

    winner: str  # "incumbent" | "challenger"
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Direction:
    """A concrete move the Reflector asks the Director to try next round."""

    # closer | farther | longer_lens | wider_lens | widen | re_aim | tilt | level | raise | lower | orbit | relocate
    kind: str
    amount: float = 0.0
    reason: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Reflection:
    """What the Reflector learned from a round and what it asks for next."""

    directions: list[Direction]
    explore: bool  # force at least one candidate into unexplored valid space
    summary: str
    memory: dict = field(default_factory=dict)  # counts of dead/promising/unknown cells

    def to_dict(self) -> dict:
        return {
            "directions": [d.to_dict() for d in self.directions],
            "explore": self.explore,
            "summary": self.summary,
            "memory": self.memory,
        }


@dataclass
class Shot:
    """A candidate with its preview render and review."""

    candidate: Candidate
    render: RenderResult
    review: Review


@dataclass
class RoundRecord:
    index: int
    shots: list[Shot]
    incumbent_id: str | None
    comparison: Comparison | None
    reflection: Reflection | None
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self, incumbent: Shot | None) -> str:
        """One line for progress displays: the round's best candidate and the incumbent after it."""
        parts = []
        if self.shots:
            best = max(self.shots, key=lambda s: s.review.total)
            parts.append(f"best {best.candidate.id} {best.review.total:.2f}")
        else:
            parts.append("no candidates")
        if incumbent is not None:
            parts.append(f"incumbent {incumbent.candidate.id} {incumbent.review.total:.2f}")
        return " | ".join(parts)
