"""The built-in, model-free Director: reads the intent, scouts the scene, proposes cameras."""

from __future__ import annotations

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.blueprint import Blueprint
from agentvision.photoflow.builtin.anchors import (
    anchor_bank,
    camera_at,
    compose,
    fallback_camera,
    open_above,
    small_before_background,
    subject_first_views,
    valid_positions,
)
from agentvision.photoflow.builtin.edge_views import edge_view
from agentvision.photoflow.builtin.framable import unframable_context
from agentvision.photoflow.builtin.framing import MAX_FOCAL, MIN_FOCAL, orbit_point, pitched, squared_to_axes
from agentvision.photoflow.builtin.intent import parse_intent
from agentvision.photoflow.builtin.time_views import time_views
from agentvision.photoflow.records import Candidate, Direction
from agentvision.photoflow.search import Anchor, SearchState
from agentvision.render import RenderSettings, render_scene
from agentvision.scene.model import Scene
from agentvision.scene.topdown import top_down_map

MIN_AZIMUTH_GAP = 35.0  # degrees between first-round anchors
MIN_ANCHOR_GAP = 0.6  # metres between the positions of anchors proposed in one round
NEAR_DUPLICATE = 0.3  # cameras of one round less different than this (see _apart) are nudged apart
TIME_NOTE = "the subject with what shows the time of day beside it (a window's sky, a lit lamp)"
ZOOM_EDGE = 0.46  # a zoom keeps the subject's box within this (of the frame, from its centre)


class BuiltinDirector:
    """Blueprint from the intent parser, an anchor bank from scene geometry, and proposals that
    mix anchors, refinements of what worked and the Reflector's directions."""

    def __init__(self) -> None:
        self.time_views: list[Camera] = []  # views that show the asked time of day (time_views.py), per job

    def plan(self, intent: str, scene: Scene) -> Blueprint:
        return parse_intent(intent, scene)

    def scout(self, state: SearchState) -> None:
        state.unframable = unframable_context(state)
        for name in state.unframable:
            state.blueprint.notes.append(
                f"{name}: no place the camera may stand frames it with {', '.join(state.blueprint.subjects)}; "
                "the frame is built without it"
            )
        state.anchors = anchor_bank(state)
        self.time_views = time_views(state, n=2)
        top = [a.camera for a in state.anchors[:6]]
        state.scout["map"] = top_down_map(state.scene, size=512, camera=top or None)
        if state.anchors:
            best = state.anchors[0].camera.with_width(state.budget.preview_width)
            state.scout["overview"] = render_scene(state.scene, best, RenderSettings.preview()).image()

    # ----- proposals -----------------------------------------------------------------------
    def propose(self, state: SearchState, k: int) -> list[Candidate]:
        cams: list[tuple[Camera, str, str]] = []
        # A round with room for variety spends one candidate, in the first two rounds, on framing the
        # subject alone with its background behind it (a view the joint framing of the anchors misses).
        views = subject_first_views(state, n=2) if k > 2 and state.round < 2 else []
        subject_view = views[state.round] if len(views) > state.round else None
        # ... and one, in the first two rounds, on a view that shows the asked time of day beside the subject.
        time_view = self.time_views[state.round] if k > 2 and len(self.time_views) > state.round else None
        n_special = (subject_view is not None) + (time_view is not None)
        zoom = self._subject_zoom(state) if k > 2 and state.round >= 2 else None
        if state.incumbent is None or state.round == 0:
            for a in self._fresh_anchors(state, k - n_special, spread=True):
                cams.append((a.camera, "anchor", f"anchor at azimuth {a.azimuth_deg:.0f} deg, {a.distance:.1f} m"))
        else:
            directions = state.reflection.directions if state.reflection else []
            inc = state.incumbent.candidate.camera
            cams.append((self.apply(state, inc, directions), "direction", _describe(directions) or "re-aim"))
            if k > 1:
                orbit = [Direction("orbit", float(state.rng.choice([-1, 1])) * state.rng.uniform(10, 25))]
                cams.append((self.apply(state, inc, directions + orbit), "refine", "orbit around the incumbent"))
            trimmed = edge_view(state) if k > 2 and zoom is None else None  # the zoom view, if any, takes its slot
            if trimmed is not None and _key(trimmed.with_width(state.budget.preview_width)) in _tried(state):
                trimmed = None  # the incumbent's edge view was rendered in an earlier round
            if k > 2 and zoom is not None:
                cams.append((zoom, "zoom", "the incumbent through a longer lens: the subject up to size"))
            elif trimmed is not None:
                cams.append((trimmed, "edges", "the incumbent moved a little: nothing cut awkwardly at the edges"))
            elif k > 2:
                alt = self._runner_up(state)
                if alt is not None:
                    moves = [Direction("re_aim"), Direction("closer", state.rng.uniform(-0.15, 0.2))]
                    cams.append((self.apply(state, alt, moves), "refine", "refine the best other region"))
            explore = bool(state.reflection and state.reflection.explore)
            room = k - len(cams) - n_special
            fresh = self._fresh_anchors(state, room, spread=False, explore=explore)
            for i, a in enumerate(fresh):
                origin = "explore" if explore and i == 0 else "anchor"
                cams.append((a.camera, origin, f"{origin}: azimuth {a.azimuth_deg:.0f} deg, {a.distance:.1f} m"))
        special = [
            (subject_view, "subject", "the subject framed alone, its background behind"),
            (time_view, "time", TIME_NOTE),
        ]
        special = [s for s in special if s[0] is not None]
        cams = cams[: k - len(special)] + special
        cams = cams[:k]
        while len(cams) < k:  # too few anchors: jitter the best camera so far
            base = cams[0][0] if cams else fallback_camera(state)
            cams.append((self.apply(state, base, [Direction("orbit", state.rng.uniform(-30, 30))]), "refine", "jitter"))
        tried = _tried(state)
        out = []
        for i, (cam, origin, note) in enumerate(cams):
            cam = cam.with_width(state.budget.preview_width)
            if origin not in ("zoom", "time", "edges"):  # these keep their own aim: re-composing would undo it
                cam = compose(state, cam)
            if origin != "edges":  # a few degrees off the incumbent on purpose (never a repeat: see propose)
                cam = self._untried(state, cam, tried, [c.camera for c in out])
            if state.blueprint.angle == "top_down":
                # a plan's edges run with the walls (the side asked at the top), whatever the aim's last centimetres
                cam = squared_to_axes(cam, state.blueprint.plan_top)
            tried.add(_key(cam))
            out.append(Candidate(f"r{state.round:02d}c{i + 1}", state.round, cam, origin, note))
        return out

    @staticmethod
    def _can_move(state: SearchState, old: np.ndarray, new: np.ndarray) -> bool:
        """A move must end in free space, and not under a landing or a table unless it started there."""
        if not valid_positions(state, new[None])[0]:
            return False
        return bool(open_above(state, new[None])[0] or not open_above(state, np.asarray(old)[None])[0])

    def _untried(self, state: SearchState, cam: Camera, tried: set, siblings: list[Camera]) -> Camera:
        """A camera nobody rendered yet and unlike this round's others (a near duplicate is a wasted render):
        a repeat is nudged around the subject until it is new."""
        for _ in range(6):
            if _key(cam) not in tried and all(_apart(cam, o) >= NEAR_DUPLICATE for o in siblings):
                break
            step = float(state.rng.choice([-1, 1])) * state.rng.uniform(8, 20)
            moved = self.apply(
                state, cam, [Direction("orbit", step), Direction("closer", state.rng.uniform(-0.1, 0.1))]
            )
            cam = compose(state, moved.with_width(state.budget.preview_width))
        return cam

    def _fresh_anchors(self, state: SearchState, n: int, spread: bool, explore: bool = False) -> list[Anchor]:
        chosen: list[Anchor] = []
        pool = [a for a in state.anchors if not a.used and not state.memory.is_dead(a.camera.position)]
        if explore:
            unknown = [a for a in pool if state.memory.is_unknown(a.camera.position)]
            pool = unknown + [a for a in pool if a not in unknown]
        for a in pool:
            if len(chosen) >= n:
                break
            if spread and any(_gap(a.azimuth_deg, c.azimuth_deg) < MIN_AZIMUTH_GAP for c in chosen):
                continue
            chosen.append(a)
        for gap in (MIN_ANCHOR_GAP, 0.0):  # not enough spread ones: fill up in prior order, apart if possible
            for a in pool:
                if len(chosen) >= n:
                    break
                if a not in chosen and all(_apart(a.camera, c.camera) >= gap for c in chosen):
                    chosen.append(a)
        for a in chosen:
            a.used = True
        return chosen

    @staticmethod
    def _subject_zoom(state: SearchState) -> Camera | None:
        """The incumbent through a longer lens that brings a subject kept small by its background up to
        the size the shot asks for (the background, further away, stays behind it)."""
        inc = state.incumbent
        if inc is None or not small_before_background(state) or state.blueprint.lens_asked:
            return None
        facts = inc.review.facts
        ratio = facts.get("fill", 0.0) / max(facts.get("target_fill", 1.0), 1e-6)
        if not 0.0 < ratio < 0.9:
            return None
        cam = inc.candidate.camera
        uv, depth = cam.project(state.subject.corners())
        if (depth <= 0).any() or not np.isfinite(uv).all():
            return None
        # Zoom about the frame's centre (the composition stays) only so far that the subject stays whole.
        off = np.abs(uv / [cam.width, cam.height] - 0.5).max()
        zoom = min(1 / ratio, 1.6, ZOOM_EDGE / max(off, 1e-3))
        if zoom < 1.1:
            return None
        return cam.replace(focal_mm=float(np.clip(cam.focal_mm * zoom, MIN_FOCAL, MAX_FOCAL)))

    def _runner_up(self, state: SearchState) -> Camera | None:
        inc = state.incumbent.candidate.id if state.incumbent else None
        shots = sorted(
            (s for s in state.all_shots() if s.candidate.id != inc and s.review.valid),
            key=lambda s: -s.review.total,
        )
        return shots[0].candidate.camera if shots else None

    # ----- moves ---------------------------------------------------------------------------
    def apply(self, state: SearchState, camera: Camera, directions: list[Direction]) -> Camera:
        """A new camera after the Reflector's moves; moves that would leave free space fall back
        to a lens change (closer -> longer lens, farther -> wider lens). A focal length or lens the intent
        asked for is kept: lens changes are then left out."""
        cam = camera
        centre = state.subject.centre
        keep_lens = state.blueprint.lens_asked
        for d in directions:
            pos = np.asarray(cam.position)
            if d.kind in ("closer", "farther"):
                f = (1 - d.amount) if d.kind == "closer" else (1 + d.amount)
                new = centre + (pos - centre) * f
                if self._can_move(state, pos, new):
                    cam = cam.replace(position=tuple(new), look_at=tuple(np.asarray(cam.look_at) + new - pos))
                elif not keep_lens:
                    lens = cam.focal_mm * ((1 + d.amount) if d.kind == "closer" else 1 / (1 + d.amount))
                    cam = cam.replace(focal_mm=float(np.clip(lens, MIN_FOCAL, MAX_FOCAL)))
            elif d.kind in ("longer_lens", "wider_lens"):
                if keep_lens:
                    continue
                f = (1 + d.amount) if d.kind == "longer_lens" else 1 / (1 + d.amount)
                cam = cam.replace(focal_mm=float(np.clip(cam.focal_mm * f, MIN_FOCAL, MAX_FOCAL)))
            elif d.kind == "widen":  # even when the lens was asked: it cannot hold the subject from here
                cam = cam.replace(focal_mm=float(np.clip(cam.focal_mm / (1 + d.amount), MIN_FOCAL, MAX_FOCAL)))
            elif d.kind in ("raise", "lower"):
                new = pos + [0, 0, d.amount if d.kind == "raise" else -d.amount]
                if self._can_move(state, pos, new):
                    cam = cam.replace(position=tuple(new))
            elif d.kind == "orbit":
                new = orbit_point(pos, centre, d.amount)
                if self._can_move(state, pos, new):
                    cam = cam.replace(position=tuple(new))
            elif d.kind == "level":
                cam = cam.replace(roll_deg=0.0)
            elif d.kind == "aspect":
                cam = cam.replace(aspect=d.reason or cam.aspect)
        # Every camera leaves aimed so the subject sits at the blueprint's placement ("re_aim"), at the height
        # the angle wants where it may stand there (else at the height the moves left it).
        out = camera_at(state, cam.position, focal_mm=cam.focal_mm, aspect=cam.aspect)
        if not valid_positions(state, np.asarray(out.position)[None])[0]:
            out = camera_at(state, cam.position, focal_mm=cam.focal_mm, aspect=cam.aspect, keep_height=True)
        # ... then "tilt" pitches that aim up (+) or down (-): the subject leaves the placement on purpose.
        degrees = sum(d.amount for d in directions if d.kind == "tilt")
        return pitched(out, degrees) if degrees else out


def _apart(a: Camera, b: Camera) -> float:
    """How different two cameras are, in metres: the distance between them, plus a metre per 20 degrees
    between where they look and per 40 % of focal length between their lenses."""
    turn = float(np.degrees(np.arccos(np.clip(a.forward @ b.forward, -1, 1))))
    lens = abs(np.log(a.focal_mm / b.focal_mm)) / 0.4
    return float(np.linalg.norm(np.subtract(a.position, b.position))) + turn / 20 + lens


def _tried(state: SearchState) -> set[tuple]:
    return {_key(s.candidate.camera) for s in state.all_shots()}


def _key(cam: Camera) -> tuple:
    return (*np.round(cam.position, 2), *np.round(cam.look_at, 1), round(cam.focal_mm), cam.aspect)


def _gap(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def _describe(directions: list[Direction]) -> str:
    return ", ".join(f"{d.kind} {d.amount:g}".strip() for d in directions)
