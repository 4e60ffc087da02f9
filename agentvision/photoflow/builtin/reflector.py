"""The built-in Reflector: region memory updates and concrete moves for the next round."""

from __future__ import annotations

import numpy as np

from agentvision.photoflow.records import Direction, Reflection, RoundRecord
from agentvision.photoflow.search import SearchState

STALE_ROUNDS = 2  # rounds without a new incumbent before forcing exploration
PROMISING_MARGIN = 1.0  # within this many points of the best total a cell counts as promising
DEAD_RULES = {"subject_visible", "camera_clear"}

# Critique -> the move that answers it.
MOVES = {
    "subject_too_small": Direction("closer", 0.25, "subject too small: step closer"),
    "subject_too_large": Direction("farther", 0.25, "subject too large: step back"),
    "cut_off": Direction("farther", 0.15, "subject cut off: step back"),
    "off_placement": Direction("re_aim", 0.0, "subject off its placement: re-aim"),
    "tilted": Direction("level", 0.0, "horizon tilted: zero roll"),
    "too_high": Direction("lower", 0.5, "angle too high: lower the camera"),
    "too_low": Direction("raise", 0.5, "angle too low: raise the camera"),
    "occluded": Direction("orbit", 25.0, "subject hidden: move around it"),
    "seen_from_beneath": Direction("orbit", 40.0, "seen from beneath: move round to its open side"),
    "context_missing": Direction("farther", 0.2, "context out of frame: widen the view"),
    "context_cut": Direction("farther", 0.12, "asked context cut by the frame's edge: widen the view a little"),
    "background_missing": Direction("orbit", 20.0, "background not behind the subject: move around"),
    "not_framed_through": Direction("orbit", 15.0, "not framed through: line up with the opening"),
    "foreground_missing": Direction("re_aim", 0.0, "the thing up front not in the frame: re-aim to take it in"),
}


def _sized(move: Direction | None, critique: str, facts: dict) -> Direction | None:
    """Scale a distance move to the size error: the subject's span in the frame goes with 1 / distance. A
    background that is behind the subject but too little of it in the frame asks for a wider view, not an orbit."""
    if critique == "background_missing" and any(v < 1.0 for v in facts.get("background_seen", {}).values()):
        return Direction("farther", 0.3, "too little of the background in the frame: widen the view")
    if critique == "background_missing":
        # Off to one side: walk the other way round the subject (orbiting right shifts the far background right).
        offsets = [o for o in facts.get("background_offset", {}).values() if o is not None]
        if offsets:
            dx = offsets[0][0]
            turn = -float(np.sign(dx)) * float(np.clip(60.0 * abs(dx), 8.0, 30.0))
            return Direction("orbit", turn, "background beside the subject: move round until it stands behind")
    if critique == "foreground_clutter":
        return _off_the_intruder(facts)
    if critique == "unwanted_in_frame":
        return _off_the_unwanted(facts)
    if move is None or critique not in ("subject_too_small", "subject_too_large"):
        return move
    ratio = facts.get("fill", 0.0) / max(facts.get("target_fill", 1.0), 1e-6)
    if ratio <= 0:
        return move
    step = 1 - ratio if critique == "subject_too_small" else ratio - 1
    amount = float(min(max(step, 0.15), 0.35 if critique == "subject_too_small" else 0.6))
    return Direction(move.kind, amount, move.reason)


INTRUDER_TURN = 12.0  # degrees round the subject that push a thing cut by a side edge out of the frame


def _off_the_intruder(facts: dict) -> Direction | None:
    """Foreground clutter: a thing nearer than the subject, cut by a side edge of the frame (a plant, a TV's slab),
    leaves the frame when the camera walks round the subject the other way (stepping right, what is near slides
    left). Clutter along the top or bottom edge gets no move here."""
    for name, edge in facts.get("clutter_at", {}).items():
        if edge in ("left", "right"):
            turn = INTRUDER_TURN if edge == "left" else -INTRUDER_TURN
            what = name.replace("_", " ")
            return Direction("orbit", turn, f"{what} cut at the {edge} edge in front: move round the other way")
    return None


UNWANTED_TILT = (4.0, 20.0)  # degrees of pitch, at least and at most, to take a thing along the top or bottom out


def _off_the_unwanted(facts: dict) -> Direction | None:
    """A thing the intent keeps out is in the frame: along the bottom edge (a rug on the floor), tilt up; along the
    top, tilt down; at a side, walk round the subject the way that slides it out (a thing nearer than the subject
    moves against the step, a farther one with it)."""
    for name, (edge, nearer, degrees) in facts.get("avoid_at", {}).items():
        what = name.replace("_", " ")
        if edge in ("top", "bottom"):  # as far as it reaches into the frame, within UNWANTED_TILT
            tilt = float(np.clip(degrees + 1.0, *UNWANTED_TILT)) * (1 if edge == "bottom" else -1)
            return Direction("tilt", tilt, f"{what}, to be kept out, along the {edge} edge: tilt away from it")
        turn = INTRUDER_TURN if (edge == "left") == nearer else -INTRUDER_TURN
        return Direction("orbit", turn, f"{what}, to be kept out, at the {edge} edge: move round to slide it out")
    return None


LENS_FOR = {"closer": "longer_lens", "farther": "wider_lens"}
WIDEN = 0.3  # the focal length divided by 1 + this: a subject cut off, no room to step back, the lens asked


def feasible(state: SearchState, camera, directions: list[Direction]) -> list[Direction]:
    """The directions the geometry and the intent allow from ``camera``: a step the room has no space for becomes
    the lens change that frames the same (no "step back" with a wall behind), a blocked height or orbit move is
    dropped, and so is every lens change when the intent asked for the lens ("35mm" is kept), but for a subject cut
    off with no room to step back (a whole subject outweighs the lens: "widen"), and every height change when it gave
    the camera's height."""
    from agentvision.photoflow.builtin.anchors import valid_positions
    from agentvision.photoflow.builtin.framing import orbit_point

    pos, centre = np.asarray(camera.position, float), state.subject.centre
    keep_lens = state.blueprint.lens_asked
    facts = state.incumbent.review.facts if state.incumbent is not None else {}
    cut = keep_lens and bool(facts.get("cut_off_edges")) and not state.blueprint.may_crop
    out: list[Direction] = []
    for d in directions:
        if keep_lens and d.kind in LENS_FOR.values():
            continue
        if state.blueprint.height_m is not None and d.kind in ("raise", "lower"):
            continue  # "camera at about 1.2 m": the height was asked
        if d.kind in ("closer", "farther"):
            new = centre + (pos - centre) * ((1 - d.amount) if d.kind == "closer" else (1 + d.amount))
        elif d.kind in ("raise", "lower"):
            new = pos + [0.0, 0.0, d.amount if d.kind == "raise" else -d.amount]
        elif d.kind == "orbit":
            new = orbit_point(pos, centre, d.amount)
        else:
            out.append(d)
            continue
        if valid_positions(state, new[None])[0]:
            out.append(d)
        elif d.kind in LENS_FOR and not keep_lens:
            why = "no room to step in" if d.kind == "closer" else "no room to step back"
            out.append(Direction(LENS_FOR[d.kind], d.amount, f"{why} ({d.reason}): change the lens instead"))
        elif d.kind == "farther" and cut and all(o.kind != "widen" for o in out):  # the asked lens cannot hold
            # the subject from where one may stand
            out.append(Direction("widen", WIDEN, "subject cut off and no room to step back: a wider lens than asked"))
    return out


# Each move's amounts tried, in order, when measuring how far it can go (fractions, metres, degrees).
REACH_STEPS = {
    "closer": (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6),
    "farther": (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6),
    "raise": (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5),
    "lower": (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5),
    "orbit +": (5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0),
    "orbit -": (5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0),
}


def move_reach(state: SearchState, camera) -> dict[str, float | None]:
    """How far each camera move can go from ``camera`` and still end where the search may place a camera
    (None: not even the smallest step): closer/farther as fractions of the distance to the subject's centre,
    raise/lower in metres, orbit + (counter-clockwise seen from above) and orbit - in degrees."""
    from agentvision.photoflow.builtin.anchors import valid_positions
    from agentvision.photoflow.builtin.framing import orbit_point

    pos, centre = np.asarray(camera.position, float), state.subject.centre
    ends = {
        "closer": lambda a: centre + (pos - centre) * (1 - a),
        "farther": lambda a: centre + (pos - centre) * (1 + a),
        "raise": lambda a: pos + [0.0, 0.0, a],
        "lower": lambda a: pos - [0.0, 0.0, a],
        "orbit +": lambda a: orbit_point(pos, centre, a),
        "orbit -": lambda a: orbit_point(pos, centre, -a),
    }
    out: dict[str, float | None] = {}
    for kind, steps in REACH_STEPS.items():
        ok = valid_positions(state, np.array([ends[kind](a) for a in steps]))
        n = len(steps) if ok.all() else int(np.argmin(ok))  # the steps up to the first that fails
        out[kind] = steps[n - 1] if n else None
    return out


class BuiltinReflector:
    """Marks memory cells dead/promising, detects stagnation, and turns critiques into moves."""

    def reflect(self, state: SearchState, record: RoundRecord) -> Reflection:
        best = max((s.review.total for s in state.all_shots() if s.review.valid), default=0.0)
        for shot in record.shots:
            r = shot.review
            if any(c.name in DEAD_RULES and not c.passed for c in r.checks):
                verdict = "dead"
            elif r.valid and r.total >= best - PROMISING_MARGIN:
                verdict = "promising"
            else:
                verdict = "tried"
            state.memory.mark(shot.candidate.camera.position, verdict, r.total)
        all_failed = not any(s.review.valid for s in record.shots)
        explore = all_failed or state.stale_rounds >= STALE_ROUNDS
        critiques = state.incumbent.review.critiques if state.incumbent else []
        facts = state.incumbent.review.facts if state.incumbent else {}
        directions = []
        for c in critiques:
            move = _sized(MOVES.get(c), c, facts)
            if move is not None and all(d.kind != move.kind for d in directions):
                directions.append(move)
        if "off_placement" in critiques and "angle" in state.blueprint.explicit:
            # The asked-for angle holds the tilt: only standing farther back (with a longer lens to
            # keep the size) lets the subject reach its place in the frame.
            directions += [
                Direction("farther", 0.3, "placement held by the angle: step back"),
                Direction("longer_lens", 0.3, "and a longer lens"),
            ]
        if state.incumbent is not None:
            directions = feasible(state, state.incumbent.candidate.camera, directions)
        if not directions:
            directions.append(Direction("re_aim", 0.0, "keep the framing, vary the viewpoint"))
        why = (
            "every proposal failed"
            if all_failed
            else (f"no new incumbent for {state.stale_rounds} rounds" if explore else "")
        )
        summary = "; ".join(d.reason for d in directions if d.reason) + (f"; explore ({why})" if explore else "")
        return Reflection(directions, explore, summary, state.memory.counts())
