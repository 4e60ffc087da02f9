"""Follow-ups to the last shot, read and applied: "lower the camera", "try 85mm", "make it golden hour".

:func:`parse_change` reads a follow-up into a :class:`Change`: camera moves (the built-in
Director's :class:`~agentvision.photoflow.records.Direction` kinds: closer, farther, raise, lower,
orbit, longer_lens, wider_lens) and blueprint fields (focal length, lens, aspect, angle, shot size,
placement, time of day, depth of field). The phrases are data in
:mod:`agentvision.photoflow.builtin.followup_words`: ``REFINE_MOVES``, ``REFINE_TILTS``, ``REFINE_SCALE`` for
the moves, and the intent parser's own tables for everything a first request can also say.

:func:`refine` applies a change to a :class:`~agentvision.photoflow.loop.PhotoResult`: the last
blueprint with the new fields, a start camera that is the last camera with the moves applied, and
a short search seeded with it (``run_photoflow(start=...)``). The Reviewer is wrapped so that a
candidate which undoes the change (a camera raised back after "lower the camera") fails a hard
``keeps_change`` rule; the start camera always passes it, so the result keeps the change.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from agentvision.camera import Camera, angle_of, lens_class
from agentvision.errors import InputError
from agentvision.photoflow.blueprint import LENS_MM, Blueprint
from agentvision.photoflow.builtin import followup_words, object_words, photo_words
from agentvision.photoflow.builtin.anchors import tilt_into_band, valid_positions
from agentvision.photoflow.builtin.framing import (
    MAX_FOCAL,
    MIN_FOCAL,
    aim,
    camera_height,
    orbit_point,
    scale_about,
)
from agentvision.photoflow.builtin.intent import Reading, Words, read_numbers, tokens, vocabulary_table
from agentvision.photoflow.records import Comparison, Direction, RuleCheck
from agentvision.photoflow.search import SearchState
from agentvision.scene.standpoint import CLEARANCE, height_above_ground
from agentvision.vision.composition import PLACEMENT_POINT

UNDERSTOOD = (
    "lower / higher, closer / step back / wider, zoom in / zoom out, a bit / much (how far), "
    "more to the left / right, orbit left / right, tilt up / down, a focal length (85mm, a 24mm lens), "
    "telephoto / wide angle, portrait / square / 16:9, a time of day (golden hour, at dusk, at night), "
    "an angle (from a low angle, from above, eye level), a shot size (close up, wide shot), "
    "a placement (on the left third, centred), depth of field (shallow depth of field, f/2.8)"
)
# Blueprint fields a follow-up may set, in the intent parser's table order.
_FIELD_TABLES = (
    ("lens", "LENSES"),
    ("aspects", "ASPECT_PHRASES"),
    ("depth_of_field", "DEPTHS"),
    ("angle", "ANGLES"),
    ("shot_size", "SHOT_SIZES"),
    ("placement", "PLACEMENT_PHRASES"),
    ("time_of_day", "times"),
)


class RefineError(InputError):
    """A follow-up that cannot be applied; the message says what is understood or what blocks it."""


@dataclass
class Change:
    """What a follow-up asks for: camera moves and blueprint fields."""

    text: str
    moves: list[Direction] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # Blueprint field -> new value
    notes: list[str] = field(default_factory=list)  # how the words were read
    unread: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.moves and not self.fields

    def describe(self) -> str:
        """One line: 'lower 0.5 m, focal 85 mm, time golden_hour'."""
        units = {"raise": " m", "lower": " m", "orbit": " deg"}
        parts = []
        for d in self.moves:
            amount = f"{d.amount * 100:.0f} %" if d.kind not in units else f"{d.amount:+g}{units[d.kind]}"
            parts.append(f"{d.kind.replace('_', ' ')} {amount}")
        parts += [f"{k.replace('_', ' ')} {_show(v)}" for k, v in self.fields.items()]
        return ", ".join(parts)


def _show(value) -> str:
    return ", ".join(value) if isinstance(value, list) else f"{value:g}" if isinstance(value, float) else str(value)


def _followup_table() -> dict[tuple[str, ...], tuple[str, object]]:
    """Every phrase a follow-up may use -> (what, value); on a clash the first table wins."""
    merged: dict[tuple[str, ...], tuple[str, object]] = {}

    def add(table: dict, what: str) -> None:
        for k, v in table.items():
            merged.setdefault(k if isinstance(k, tuple) else tuple(tokens(k)), (what, v))

    add(followup_words.REFINE_MOVES, "move")
    add(followup_words.REFINE_TILTS, "placement")
    add(followup_words.REFINE_SCALE, "scale")
    for name, table in _FIELD_TABLES:
        add(vocabulary_table(table), name)
    return merged


def parse_change(text: str) -> Change:
    """Read a follow-up ("a bit lower", "try 85mm", "make it golden hour") into a :class:`Change`.

    Raises RefineError listing what is understood when the words ask for nothing known.
    """
    if not text or not text.strip():
        raise RefineError(f"the follow-up is empty; say how to change the shot: {UNDERSTOOD}")
    w, r = Words(tokens(text)), Reading()
    read_numbers(w, r)
    change = Change(text.strip(), fields=dict(r.fields), notes=list(r.notes))
    found = w.find(_followup_table())
    scales = {(s, e): v[1] for s, e, v in found if v[0] == "scale"}
    for s, e, (what, value) in found:
        said = w.take(s, e)
        if what == "scale":
            continue
        if what == "move":
            kind, amount = value
            factor = next((f for (a, b), f in scales.items() if b == s or a == e), 1.0)
            change.moves = [d for d in change.moves if d.kind != kind]
            change.moves.append(Direction(kind, amount * factor, f"'{said}'"))
            change.notes.append(f"'{said}' -> {kind} {amount * factor:g}")
        elif what == "aspects":
            change.fields["aspects"] = list(value)
            change.notes.append(f"'{said}' -> aspects {', '.join(value)}")
        else:
            change.fields[what] = value
            change.notes.append(f"'{said}' -> {what.replace('_', ' ')} {value}")
    if "focal_mm" in change.fields:
        change.fields["lens"] = lens_class(change.fields["focal_mm"])
    skip = photo_words.FILLER | object_words.DETERMINERS | followup_words.REFINE_FILLER
    change.unread = [t for i, t in enumerate(w.toks) if not w.used[i] and t[0].isalpha() and t not in skip]
    if change.empty:
        unread = f" (could not read {', '.join(repr(x) for x in change.unread)})" if change.unread else ""
        raise RefineError(f"{text.strip()!r} asks for no change I know{unread}. Follow-ups I understand: {UNDERSTOOD}")
    return change


# ----- applying a change ----------------------------------------------------------------------
def changed_blueprint(blueprint: Blueprint, change: Change) -> Blueprint:
    """A copy of ``blueprint`` with the change's fields set (and marked as stated)."""
    bp = copy.deepcopy(blueprint)
    for name, value in change.fields.items():
        setattr(bp, name, value)
        if name not in bp.explicit:
            bp.explicit.append(name)
    if "lens" in change.fields and "focal_mm" not in change.fields:
        bp.focal_mm = None  # "telephoto" replaces an earlier "35mm"
    if "angle" in change.fields and "height_m" not in change.fields:
        bp.height_m = None  # "lower", "from above" replace an earlier "camera at 1.2 m"
    bp.intent = f"{blueprint.intent}; {change.text}"
    bp.notes = bp.notes + [f"follow-up: {n}" for n in change.notes]
    return bp


def _first_free(state: SearchState, points: list[np.ndarray]) -> np.ndarray | None:
    """The first of ``points`` (a move, then its smaller fallbacks) where a camera may stand, or None."""
    ok = valid_positions(state, np.array(points))
    return points[int(np.argmax(ok))] if ok.any() else None


def start_camera(state: SearchState, previous: Camera, change: Change) -> tuple[Camera, list[str]]:
    """The previous camera with the change applied (``state`` holds the changed blueprint).

    Moves that would leave free space are halved; a blocked step closer or back becomes a lens
    change (as the built-in Director does); a blocked height or orbit move is a RefineError.
    """
    bp, centre, room = state.blueprint, state.subject.centre, state.room
    pos = np.asarray(previous.position, dtype=float)
    focal = previous.focal_mm
    if "focal_mm" in change.fields:
        focal = float(change.fields["focal_mm"])
    elif "lens" in change.fields:
        focal = LENS_MM[change.fields["lens"]]
    notes: list[str] = []
    if "angle" in change.fields:
        z = camera_height(bp, room.floor, state.subject, room.ceiling)
        pos = np.array([pos[0], pos[1], z])
        if bp.angle == "top_down":
            pos[:2] = centre[:2] + [0.0, -0.05]
        if not valid_positions(state, pos[None])[0]:
            raise RefineError(f"cannot take the camera to a {bp.angle.replace('_', ' ')} angle from here")
    for d in change.moves:
        if d.kind in ("closer", "farther"):
            factor = 1 - d.amount if d.kind == "closer" else 1 + d.amount
            new = _first_free(state, [scale_about(pos, centre, max(f, 0.05)) for f in (factor, (1 + factor) / 2)])
            if new is not None:
                pos = new
            else:
                lens = focal * (1 + d.amount) if d.kind == "closer" else focal / (1 + d.amount)
                focal = float(np.clip(lens, MIN_FOCAL, MAX_FOCAL))
                notes.append(f"no room to move {'in' if d.kind == 'closer' else 'back'}: {focal:.0f} mm lens instead")
        elif d.kind in ("raise", "lower"):
            top = room.ceiling - 0.3 if room.ceiling is not None else pos[2] + 50.0
            want = float(
                np.clip(pos[2] + (d.amount if d.kind == "raise" else -d.amount), room.floor + CLEARANCE + 0.01, top)
            )
            if abs(want - pos[2]) < 0.02:
                where = "floor" if d.kind == "lower" else "ceiling"
                raise RefineError(
                    f"the camera is already as {'low' if d.kind == 'lower' else 'high'} as it goes "
                    f"({pos[2] - room.floor:.2f} m above the floor, next to the {where})"
                )
            new = _first_free(state, [np.array([pos[0], pos[1], z]) for z in (want, (want + pos[2]) / 2)])
            if new is None:
                raise RefineError(f"something is in the way: the camera cannot go {d.kind.replace('raise', 'higher')}")
            pos = new
        elif d.kind == "orbit":
            new = _first_free(state, [orbit_point(pos, centre, a) for a in (d.amount, d.amount / 2)])
            if new is None:
                side = "right" if d.amount > 0 else "left"
                raise RefineError(f"something is in the way: the camera cannot move to the {side} here")
            pos = new
        elif d.kind in ("longer_lens", "wider_lens"):
            f = (1 + d.amount) if d.kind == "longer_lens" else 1 / (1 + d.amount)
            focal = float(np.clip(focal * f, MIN_FOCAL, MAX_FOCAL))
    if focal > previous.focal_mm * 1.2 and not change.moves:
        # A longer lens from the same spot crops the subject: step back toward the same framing
        # as far as the room allows.
        steps = [scale_about(pos, centre, (focal / previous.focal_mm) ** power) for power in (1.0, 0.75, 0.5, 0.25)]
        new = _first_free(state, steps)
        if new is not None:
            pos = new
            notes.append(f"stepped back for the {focal:.0f} mm lens")
    aspect = bp.aspects[0] if "aspects" in change.fields else previous.aspect
    look = np.asarray(previous.look_at) + (pos - np.asarray(previous.position))
    if np.linalg.norm(look - pos) < 1e-3:
        look = centre
    cam = Camera(tuple(pos), tuple(look), 0.0, focal, bp.f_number, aspect, state.budget.preview_width, bp.upright)
    cam = aim(cam, state.aim_at.centre, PLACEMENT_POINT.get(bp.placement, (0.5, 0.5)))
    if "angle" in change.fields:
        cam = tilt_into_band(cam, state)
    return cam, notes


def _azimuth(position, centre) -> float:
    d = np.asarray(position, dtype=float)[:2] - centre[:2]
    return math.degrees(math.atan2(d[1], d[0]))


def _wrap(deg: float) -> float:
    return (deg + 180.0) % 360.0 - 180.0


def _scale(camera: Camera, centre: np.ndarray) -> float:
    """How large the subject looks: focal length over distance."""
    return camera.focal_mm / max(float(np.linalg.norm(np.asarray(camera.position) - centre)), 1e-3)


Check = Callable[[Camera], tuple[bool, float, str]]


def change_checks(state: SearchState, previous: Camera, start: Camera, change: Change) -> list[tuple[str, Check]]:
    """Rules a candidate must pass to keep the change: at least half of each move the start camera
    made, the asked-for lens, frame and angle. Only rules the start camera itself passes."""
    centre, floor = state.subject.centre, state.room.floor
    checks: list[tuple[str, Check]] = []
    dz = start.position[2] - previous.position[2]
    if abs(dz) > 0.05:

        def height(cam: Camera, dz=dz) -> tuple[bool, float, str]:
            got = cam.position[2] - previous.position[2]
            return got * math.copysign(1, dz) >= abs(dz) / 2, cam.position[2] - floor, "camera height"

        checks.append(("height", height))
    ratio = math.log(_scale(start, centre) / _scale(previous, centre))
    if abs(ratio) > 0.05 and any(d.kind in ("closer", "farther", "longer_lens", "wider_lens") for d in change.moves):

        def size(cam: Camera, ratio=ratio) -> tuple[bool, float, str]:
            got = math.log(_scale(cam, centre) / _scale(previous, centre))
            return got / ratio >= 0.5, math.exp(got), "subject size vs the last shot"

        checks.append(("size", size))
    turn = _wrap(_azimuth(start.position, centre) - _azimuth(previous.position, centre))
    if abs(turn) > 3:

        def side(cam: Camera, turn=turn) -> tuple[bool, float, str]:
            got = _wrap(_azimuth(cam.position, centre) - _azimuth(previous.position, centre))
            return got * math.copysign(1, turn) >= abs(turn) / 2, got, "degrees around the subject"

        checks.append(("orbit", side))
    tilt = start.pitch_deg - previous.pitch_deg
    if "placement" in change.fields and abs(tilt) > 2:

        def pitch(cam: Camera, tilt=tilt) -> tuple[bool, float, str]:
            got = cam.pitch_deg - previous.pitch_deg
            return got * math.copysign(1, tilt) >= abs(tilt) / 2, cam.pitch_deg, "pitch"

        checks.append(("tilt", pitch))
    if "focal_mm" in change.fields:
        want = float(change.fields["focal_mm"])
        checks.append(("focal", lambda cam, want=want: (abs(cam.focal_mm - want) <= 1, cam.focal_mm, "focal mm")))
    elif "lens" in change.fields:
        want = change.fields["lens"]
        checks.append(("lens", lambda cam, want=want: (lens_class(cam.focal_mm) == want, cam.focal_mm, "focal mm")))
    if "aspects" in change.fields:
        ok = change.fields["aspects"]
        checks.append(("aspect", lambda cam, ok=ok: (cam.aspect in ok, 0.0, f"aspect in {', '.join(ok)}")))
    if "angle" in change.fields:
        want = change.fields["angle"]

        def angle(cam: Camera, want=want) -> tuple[bool, float, str]:
            return (
                angle_of(cam.pitch_deg, height_above_ground(state.scene, cam.position)) == want,
                cam.pitch_deg,
                "pitch",
            )

        checks.append(("angle", angle))
    return [(name, fn) for name, fn in checks if fn(start)[0]]


class ChangeKeeper:
    """A Reviewer that reviews with ``inner`` and adds a hard ``keeps_change`` rule."""

    def __init__(self, inner, checks: list[tuple[str, Check]], change: Change) -> None:
        self.inner, self.checks, self.change = inner, checks, change

    def review(self, state, shots):
        reviews = self.inner.review(state, shots)
        for review, (cand, _) in zip(reviews, shots, strict=True):
            failed = []
            for name, fn in self.checks:
                ok, value, what = fn(cand.camera)
                if not ok:
                    failed.append(f"{name} ({what} {value:.2f})")
            msg = f"undoes '{self.change.text}': {', '.join(failed)}" if failed else f"keeps '{self.change.text}'"
            review.checks.append(RuleCheck("keeps_change", not failed, len(failed), msg, hard=True))
            if failed:  # undoing what the follow-up asked misses the request: below any shot that keeps it
                review.scores["alignment"] = 0.0
        return reviews

    def compare(self, state, incumbent, challenger):
        """The inner Reviewer's verdict, except that a shot keeping the change beats one undoing it when
        neither is valid: the follow-up asked for the change, and what else it breaks is said to the user."""
        kept = [_keeps(s.review) for s in (incumbent, challenger)]
        if not incumbent.review.valid and not challenger.review.valid and kept[0] != kept[1]:
            winner = "challenger" if kept[1] else "incumbent"
            return Comparison(winner, f"{'challenger' if kept[1] else 'incumbent'} keeps '{self.change.text}'")
        return self.inner.compare(state, incumbent, challenger)


def _keeps(review) -> bool:
    return all(c.passed for c in review.checks if c.name == "keeps_change")
