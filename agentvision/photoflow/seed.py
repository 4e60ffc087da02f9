"""Seeding a search with a known camera: round 0 renders it and a few small neighbours, and the
search stays local (the anchor bank is kept for the map, not proposed). Used by
``run_photoflow(start=...)``, which chat follow-ups and :func:`agentvision.photoflow.refine.refine` drive."""

from __future__ import annotations

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.builtin.anchors import valid_positions
from agentvision.photoflow.builtin.framing import aim, orbit_point, scale_about
from agentvision.photoflow.records import Candidate
from agentvision.photoflow.search import Budget, SearchState

# Small steps around the start: (orbit degrees, distance factor). Small enough to keep what a
# follow-up asked for (a move of 20 degrees stays more than 10 after an 8-degree step).
NEIGHBOUR_STEPS = ((8.0, 1.0), (-8.0, 1.0), (0.0, 0.92), (0.0, 1.08), (14.0, 0.95), (-14.0, 1.05))


def neighbours(state: SearchState, camera: Camera, n: int) -> list[Camera]:
    """Up to ``n`` valid cameras a small step from ``camera`` (same height, lens and frame), each
    turned to keep the subject where ``camera`` has it."""
    centre = state.subject.centre
    pos = np.asarray(camera.position, dtype=float)
    uv, z = camera.project(state.aim_at.centre[None])
    held = (uv[0, 0] / camera.width, uv[0, 1] / camera.height) if z[0] > 0 and np.isfinite(uv).all() else (0.5, 0.5)
    out: list[Camera] = []
    for degrees, factor in NEIGHBOUR_STEPS:
        if len(out) >= n:
            break
        p = scale_about(orbit_point(pos, centre, degrees), centre, factor)
        if not valid_positions(state, p[None])[0]:
            continue
        look = np.asarray(camera.look_at) + (p - pos)
        moved = camera.replace(position=tuple(p), look_at=tuple(look))
        out.append(aim(moved, state.aim_at.centre, held))
    return out


class SeededPlan:
    """A strategy whose round 0 is ``start`` and its neighbours; later rounds are the strategy's own."""

    def __init__(self, plan, start: Camera) -> None:
        self.plan, self.start = plan, start
        self.name, self.reflect = plan.name, plan.reflect

    def schedule(self, budget: Budget) -> list[int]:
        return self.plan.schedule(budget)

    def propose(self, state: SearchState, director, k: int) -> list[Candidate]:
        if state.round > 0:
            return self.plan.propose(state, director, k)
        for a in state.anchors:  # keep the search around the start camera
            a.used = True
        width = state.budget.preview_width
        cams = [self.start] + neighbours(state, self.start, k - 1)
        notes = ["the start camera"] + ["a small step from the start"] * (len(cams) - 1)
        return [
            Candidate(f"r00c{i + 1}", 0, cam.with_width(width), "start" if i == 0 else "refine", note)
            for i, (cam, note) in enumerate(zip(cams, notes, strict=True))
        ]
