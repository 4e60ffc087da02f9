"""What the VLM roles are told as facts: the geometric and image measurements of a candidate, each with its
meaning and its threshold in the words themselves, and a camera's place in the room (where it stands, how far
it can move each way). Every fact a role reads is phrased here, once."""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import (
    HIGH_HEIGHT,
    HIGH_LOOK,
    HIGH_PITCH,
    LOW_HEIGHT,
    LOW_PITCH,
    TOP_DOWN_PITCH,
    Camera,
)
from agentvision.photoflow.builtin.framing import SHOT_FILL
from agentvision.photoflow.builtin.review_facts import CONTEXT_VISIBLE, edge_words
from agentvision.photoflow.builtin.reviewer import CLUTTER, MIN_VISIBLE, UNDERSIDE_BAD, UNDERSIDE_OK
from agentvision.photoflow.builtin.viewpoints import facing_words
from agentvision.photoflow.records import AXES, AXIS_WEIGHTS, Review, score_weights
from agentvision.photoflow.search import SearchState
from agentvision.scene.standpoint import CLEARANCE, MIN_CLEARANCE
from agentvision.vision.composition import CENTER_HALF, CENTROID_CONVENTION, placement_of

PLACED = 0.5  # a placement score from this counts as placed (the built-in Reviewer's placement rule)
SMALL, LARGE = 0.75, 1.3  # the subject's span over its aim: below SMALL it reads too small, above LARGE too large
OPEN = 20.0  # metres: clearance beyond this is "open"


def compact(value):
    """``value`` with floats rounded to 3 places, inside lists and dicts too."""
    if isinstance(value, float | np.floating):
        return round(float(value), 3)
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [compact(v) for v in value]
    return value


def _pct(v: float) -> str:
    return f"{100 * v:.0f}%"


def size_aim(state: SearchState) -> str:
    """The span the plan asks of the subject (with its context), and the band that counts as on size."""
    from agentvision.photoflow.builtin.review_facts import BACKGROUND_ROOM

    bp = state.blueprint
    aim = SHOT_FILL[bp.shot_size] * (BACKGROUND_ROOM if bp.background else 1.0)
    return (
        f"the subject{' with its context' if bp.context else ''} should span {_pct(aim)} of the frame's width or "
        f"height (on size {_pct(SMALL * aim)}-{_pct(min(1.0, LARGE * aim))})"
    )


def size_fact(f: dict) -> str:
    """How big the subject is against the size the shot asks for."""
    ratio = f["fill"] / max(f["target_fill"], 1e-6)
    verdict = "too small" if ratio < SMALL else ("too large" if ratio > LARGE else "on size")
    lo, hi = SMALL * f["target_fill"], min(1.0, LARGE * f["target_fill"])
    return (
        f"size: the subject spans {_pct(f['fill'])} of the frame's width or height (aim {_pct(f['target_fill'])}, "
        f"on size {_pct(lo)}-{_pct(hi)}): {verdict}; it covers {_pct(f['coverage'])} of the frame's area"
    )


def candidate_facts(review: Review, state: SearchState) -> list[str]:
    """The measured facts of one candidate, each a phrase that says what it means and what passes."""
    f, bp = review.facts, state.blueprint
    out = [size_fact(f)]
    hidden = f" (hidden by {', '.join(f['occluders'][:3])})" if f["occluders"] and f["occluded"] > 0.05 else ""
    out.append(
        f"seen: {_pct(f['visible'])} of the subject's surface (needs at least {_pct(MIN_VISIBLE)}); "
        f"{_pct(f['occluded'])} of it hidden{hidden}"
    )
    edges = f["cut_off_edges"]
    others = ", ".join(f"{n} ({edge_words(edge, out)})" for n, (edge, out) in f.get("edge_cut", {}).items())
    text = f"frame edges: subject cut at the {'/'.join(edges)}" if edges else "frame edges: subject whole"
    out.append(text + (f"; other things cut by an edge: {others}" if others else ""))
    c = f.get("subject_centroid")
    if c is not None:
        out.append(
            f"subject centre at ({c[0]:.2f}, {c[1]:.2f}) = {placement_of(c)}; asked {bp.placement} "
            f"(placement score {f['placement_score']:.2f} of 1; {PLACED} or more counts as placed)"
        )
    out.append(
        f"camera: {f['height_m']:.2f} m above the floor below it, pitch {f['pitch_deg']:+.0f} deg = {f['angle']} "
        f"(asked {bp.angle}); {f['focal_mm']:.0f} mm = {f['lens']} lens; {f['aspect']} {f['orientation']}; "
        f"{f['clearance_m']:.2f} m from the nearest surface"
    )
    clipped = f.get("clipped", 0.0)
    lamps = ", ".join(f"{n} {_pct(v)} white" for n, v in f.get("clipped_objects", {}).items())
    out.append(
        f"exposure: {f['exposure_verdict']} ({f['exposure']:.2f} of 1); highlights clipped white: {_pct(clipped)} "
        f"of the frame, {_pct(f.get('subject_clipped', 0.0))} of the subject" + (f" ({lamps})" if lamps else "")
    )
    if f.get("underside", 0.0) > UNDERSIDE_OK:
        out.append(
            f"seen from beneath: {_pct(f['underside'])} of the subject's visible surface faces down (above "
            f"{_pct(UNDERSIDE_OK)} the aesthetics score's 'faces' part falls, to nothing at {_pct(UNDERSIDE_BAD)}; "
            "unless the plan asks a low angle)"
        )
    if bp.time_of_day in TIME_CUES:
        out.append(
            f"the {bp.time_of_day.replace('_', ' ')} shows ({TIME_CUES[bp.time_of_day]}): {f['time_cue']:.2f} of 1"
        )
    out += _relations(f, bp)
    if f["clutter"] > CLUTTER:
        where = ", ".join(f"{n.replace('_', ' ')} at the {e} edge" for n, e in f.get("clutter_at", {}).items())
        out.append(
            f"foreground clutter (nearer things cut by the frame's edge): {_pct(f['clutter'])} of the frame"
            + (f" ({where})" if where else "")
        )
    return out


# What the time-of-day measure counts (builtin.review_facts.time_cue); other times need no cue.
TWILIGHT = "sky through windows or open to it, and lit lamps, in the frame"
LOW_SUN = "the low sun's light raking across the view, not from behind the camera; indoors, sunlight falling in"
SUN_IN = "indoors, sunlight falling into the room, on the floor or walls in the frame"
TIME_CUES = {
    "dusk": TWILIGHT,
    "blue_hour": TWILIGHT,
    "night": TWILIGHT,
    "golden_hour": LOW_SUN,
    "dawn": LOW_SUN,
    "morning": SUN_IN,
    "afternoon": SUN_IN,
}


def _relations(f: dict, bp) -> list[str]:
    out = []
    inside = f.get("related_in_frame", {})
    for n, v in f["context_visible"].items():
        state = "in the picture" if v >= 1.0 else f"too little seen ({_pct(v * CONTEXT_VISIBLE)} of its surface)"
        out.append(f"context {n}: {state}, {_pct(inside.get(n, 1.0))} of it inside the frame")
    seen = f.get("background_seen", {})
    for n, ok in f["background_ok"].items():
        if ok:
            where = "behind the subject (farther, and centred within half its own width of the subject)"
        elif seen.get(n, 0.0) >= 1.0:
            where = "in the picture but NOT behind the subject (off to its side, or nearer than it)"
        else:
            where = "too little of it in the picture"
        if n in seen:  # background_seen is the visible share over CONTEXT_VISIBLE, capped at 1
            share = seen[n] * CONTEXT_VISIBLE
            least = "at least " if seen[n] >= 1 else ""
            where += f" ({least}{_pct(share)} of its surface seen, needs {_pct(CONTEXT_VISIBLE)})"
        off = f.get("background_offset", {}).get(n)
        beside = (
            ""
            if off is None
            else f"; its centre {_side(off[0], 'right of', 'left of')}, {_side(off[1], 'below', 'above')}"
        )
        out.append(f"background {n}: {where}, {_pct(inside.get(n, 1.0))} of it inside the frame{beside}")
    if f["through_ok"] is not None:
        out.append(f"framed through the {bp.through}: {'yes' if f['through_ok'] else 'no'}")
    if f.get("foreground_share") is not None:
        out.append(
            f"up front, nearer than the subject: the {bp.foreground}, {_pct(f['foreground_share'])} of the frame"
        )
    for n, v in f["avoid_visible"].items():
        out.append(f"unwanted {n}: {'IN the frame' if v > 0.05 else 'out of the frame'}")
    if f["at_viewpoint"] is not None:
        where = bp.viewpoint if not bp.viewpoint_part else f"{bp.viewpoint or 'the space'}, {bp.viewpoint_part}"
        out.append(f"at the viewpoint ({where}): {'yes' if f['at_viewpoint'] else 'no'}")
    if f.get("faces") is not None:
        out.append(f"{facing_words(bp.facing)}: {'yes' if f['faces'] else 'no'}")
    if f["at_vantage"] is not None:
        out.append(f"vantage {bp.vantage}: {'yes' if f['at_vantage'] else 'no'}")
    return out


def _side(d: float, plus: str, minus: str) -> str:
    """An offset in fractions of the frame, in words: '0.12 of the frame right of the subject's'."""
    return f"{abs(d):.2f} of the frame {plus if d >= 0 else minus} the subject's"


def shown_facts(review: Review, state: SearchState) -> str:
    """The candidate's facts as one line."""
    return "; ".join(candidate_facts(review, state))


def failed_rules(review: Review) -> list[str]:
    """The hard rules a candidate fails, each with its message."""
    return [f"{c.name} ({c.message})" for c in review.checks if c.hard and not c.passed]


def weights_text() -> str:
    """How the four axes make a candidate's total."""
    w = score_weights()["axes"] if "axes" in score_weights() else AXIS_WEIGHTS
    return " + ".join(f"{w[a]:g} x {a}" for a in AXES)


ANGLE_RULE = (
    f"top_down at pitch {TOP_DOWN_PITCH:g} or lower; high at {HIGH_PITCH:g} or lower, or from more than "
    f"{HIGH_HEIGHT:g} m up looking down {-HIGH_LOOK:g} or more; low at +{LOW_PITCH:g} or more, or from less than "
    f"{LOW_HEIGHT:g} m up; eye_level otherwise"
)
PLACEMENT_RULE = (
    f"a centre within {CENTER_HALF:.2f} of the middle both ways is center; any other falls in the third on the side "
    "it is farthest off (left_third, right_third, upper_third, lower_third)"
)


def thresholds() -> dict:
    """The numbers the prompts state (one source: the code that applies them)."""
    return {
        "angle_rule": ANGLE_RULE,
        "placement_rule": PLACEMENT_RULE,
        "min_visible": _pct(MIN_VISIBLE),
        "min_clearance": f"{MIN_CLEARANCE:.2f}",
        "clearance": f"{CLEARANCE:.2f}",
        "small": SMALL,
        "large": LARGE,
        "target_fill": {k: _pct(v) for k, v in SHOT_FILL.items()},
        "centroid": CENTROID_CONVENTION,
        "weights": weights_text(),
    }


# ----- where a camera stands ------------------------------------------------------------------
def azimuth(state: SearchState, position) -> float:
    """Degrees from the subject's centre to ``position``, counter-clockwise from east (+X): 0 east, 90 north."""
    d = np.asarray(position, float)[:2] - state.subject.centre[:2]
    return math.degrees(math.atan2(d[1], d[0])) % 360.0


def placed(state: SearchState, camera: Camera) -> str:
    """Where a camera stands relative to the subject, in the azimuth convention."""
    return placed_point(state, camera.position)


def placed_point(state: SearchState, point) -> str:
    """Where a point lies relative to the subject's centre, in the azimuth convention."""
    d = float(np.hypot(*(np.asarray(point, float)[:2] - state.subject.centre[:2])))
    return f"azimuth {azimuth(state, point):.0f} deg, {d:.1f} m from the subject's centre"


def camera_line(camera: Camera) -> str:
    """A camera as the compact JSON a model can copy."""
    d = compact(camera.to_dict())
    keep = ("position", "look_at", "roll_deg", "focal_mm", "f_number", "aspect")
    return "{" + ", ".join(f'"{k}": {_json(d[k])}' for k in keep if k in d) + "}"


def _json(v) -> str:
    import json

    return json.dumps(v)


def room_line(state: SearchState) -> str:
    """The room's extent and the subject's walkable space."""
    r = state.room
    text = f"x {r.lo[0]:.1f}..{r.hi[0]:.1f}, y {r.lo[1]:.1f}..{r.hi[1]:.1f}, floor z {r.floor:.2f}"
    text += f", ceiling z {r.ceiling:.2f}" if r.ceiling is not None else ", open sky"
    area = state.area
    if area is not None and area.mask.any():
        ys, xs = np.nonzero(area.mask)
        x0, y0 = area.origin + np.array([xs.min(), ys.min()]) * area.cell
        x1, y1 = area.origin + np.array([xs.max() + 1, ys.max() + 1]) * area.cell
        text += f"; the floor space around the subject where a camera may stand spans x {x0:.1f}..{x1:.1f}, "
        text += f"y {y0:.1f}..{y1:.1f}"
    s = state.subject
    text += f"; the subject's box: x {s.lo[0]:.1f}..{s.hi[0]:.1f}, y {s.lo[1]:.1f}..{s.hi[1]:.1f}, "
    text += f"z {s.lo[2]:.1f}..{s.hi[2]:.1f}, centre {compact(list(s.centre))}"
    bp = state.blueprint
    related = [(role, n) for role, names in (("context", bp.context), ("background", bp.background)) for n in names]
    related += [("framed through", bp.through)] if bp.through else []
    related += [("up front", bp.foreground)] if bp.foreground else []
    for role, name in related:
        centre = np.mean(state.scene.get(name).bounds, axis=0)
        text += f"; {role} {name} centre at {placed_point(state, centre)}"
    return text


def clearance_line(state: SearchState, camera: Camera) -> str:
    """Metres of free space from the camera to the nearest surface ahead, behind, left, right, up and down."""
    from agentvision.scene.standpoint import room_to_move

    free = room_to_move(state.scene, camera.position, camera.forward)
    parts = [f"{k} {'open' if v >= OPEN else f'{v:.2f} m'}" for k, v in free.items()]
    return "free space " + ", ".join(parts)


def reach_line(state: SearchState, camera: Camera) -> str:
    """How far each move can take ``camera`` and still stand where a camera may (see Reflector moves)."""
    from agentvision.photoflow.builtin.reflector import move_reach

    parts = []
    for kind, amount in move_reach(state, camera).items():
        if amount is None:
            parts.append(f"{kind} blocked")
        elif kind.startswith("orbit"):
            parts.append(f"{kind} up to {amount:.0f} deg")
        elif kind in ("raise", "lower"):
            parts.append(f"{kind} up to {amount:.2f} m")
        else:
            parts.append(f"{kind} up to {amount:.2f}")
    return "moves possible: " + ", ".join(parts)


def light_line(state: SearchState) -> str:
    """Where the light comes from: the sun's azimuth and height (or that it is down), and whether lamps are on."""
    lighting = state.scene.lighting
    if lighting is None:
        return "no lighting preset"
    sun = lighting.sun
    d = np.asarray(sun.direction, float)
    if sun.shines:
        text = (
            f"the sun is at azimuth {math.degrees(math.atan2(d[1], d[0])) % 360:.0f} deg, {sun.elevation_deg:.0f} deg "
            "above the horizon (a camera facing that azimuth looks into the light; facing away, the light is behind it)"
        )
    else:
        text = "the sun is down"
    return text + ("; lamps are on" if lighting.lamps_on else "; lamps are off")
