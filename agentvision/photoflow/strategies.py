"""Search strategies on the same rounds, renderer and roles (after the PhotoFlow paper's baselines).

============  ===============================================  ======================
strategy      proposals                                        reflection
============  ===============================================  ======================
photoflow     K per round for R rounds: anchors, refinements   region memory + moves
random        R x K random valid cameras aimed at the subject  none
one-shot      the Director's first proposal only (1 render)    none
anchor-bank   the R x K best anchors of the bank, as banked     none
single-chain  1 per round for R rounds, refining the last one  critique moves
============  ===============================================  ======================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from agentvision.camera import ASPECTS, Camera
from agentvision.photoflow.records import Candidate

if TYPE_CHECKING:
    from agentvision.photoflow.search import Budget, SearchState


@dataclass(frozen=True)
class Strategy:
    name: str
    reflect: bool

    def schedule(self, budget: Budget) -> list[int]:
        """Candidates per round."""
        if self.name == "one-shot":
            return [1]
        if self.name == "single-chain":
            return [1] * budget.rounds
        return [budget.candidates] * budget.rounds

    def propose(self, state: SearchState, director, k: int) -> list[Candidate]:
        if self.name == "random":
            return random_candidates(state, k)
        if self.name == "anchor-bank":
            fresh = [a for a in state.anchors if not a.used][:k]
            for a in fresh:
                a.used = True
            cands = [
                Candidate(
                    f"r{state.round:02d}c{i + 1}",
                    state.round,
                    a.camera.with_width(state.budget.preview_width),
                    "anchor",
                    f"anchor at azimuth {a.azimuth_deg:.0f} deg",
                )
                for i, a in enumerate(fresh)
            ]
            return cands or random_candidates(state, k)
        return director.propose(state, k)


STRATEGIES = {
    "photoflow": Strategy("photoflow", reflect=True),
    "random": Strategy("random", reflect=False),
    "one-shot": Strategy("one-shot", reflect=False),
    "anchor-bank": Strategy("anchor-bank", reflect=False),
    "single-chain": Strategy("single-chain", reflect=True),
}


def get_strategy(name: str) -> Strategy:
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; use one of {', '.join(STRATEGIES)}")
    return STRATEGIES[name]


def random_candidates(state: SearchState, k: int) -> list[Candidate]:
    """Random valid cameras in the search box around the subject, aimed near it, random lens and frame."""
    from agentvision.photoflow.builtin.anchors import valid_positions  # loaded when a search runs, not for --help

    mem, rng = state.memory, state.rng
    cands: list[Candidate] = []
    for _ in range(20):
        pts = mem.lo + rng.random((256, 3)) * (mem.hi - mem.lo)
        pts = pts[valid_positions(state, pts)]
        for p in pts:
            if len(cands) >= k:
                break
            target = state.subject.centre + rng.normal(0, 0.3, 3) * state.subject.radius
            focal = float(np.exp(rng.uniform(np.log(16), np.log(100))))
            aspect = str(rng.choice(list(ASPECTS)))
            cam = Camera(
                tuple(p), tuple(target), 0.0, focal, state.blueprint.f_number, aspect, state.budget.preview_width
            )
            cands.append(Candidate(f"r{state.round:02d}c{len(cands) + 1}", state.round, cam, "random", "random"))
        if len(cands) >= k:
            break
    return cands
