"""Views that show the time of day. At dusk, blue hour and night a photo should hold what makes it that time,
a window's sky or a lit lamp, beside its subject. The anchors frame the subject alone and centre it, so the
dusk window just above the frame or the lamp beside it stays out. These views stand where the best anchors
stand and frame the subject together with the nearest such cue (the cue at the frame's side, the subject
whole); the Reviewer then weighs them against the rest (review_facts.time_cue)."""

from __future__ import annotations

import itertools

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.builtin.anchors import bands, tilt_into_band
from agentvision.photoflow.builtin.framing import SHOT_FILL, aim, fit_focal
from agentvision.photoflow.builtin.review_facts import cue_objects, frame_time_cue
from agentvision.photoflow.search import SearchState, subject_of
from agentvision.scene.queries import label_groups
from agentvision.scene.visibility import in_frame_whole, item_mesh, object_ids

TWILIGHT = ("dusk", "blue_hour", "night")
CUE_REACH = 3.0  # metres between the subject's box and a cue's: further cues belong to another part of the scene
STANDPOINTS = 12  # the bank's best anchors tried as standpoints
PROBE_WIDTH = 160  # pixels of the id renders that measure a view
GAIN = 0.15  # a view must show the time this much better than its anchor did ...
WELL_SHOWN = 0.4  # ... or this well (review_facts.time_cue): its anchor may be one the first rounds never try


def cue_names(state: SearchState) -> list[str]:
    """The main objects near the subject that show the time: windows (their glass shows the sky) and lit
    lamps, nearest first. The subject's own objects are not cues."""
    scene, subj = state.scene, state.subject
    glass, lamps = cue_objects(scene)
    cue = (glass | lamps)[: len(scene.objects)]
    own, group = set(subj.names), label_groups(scene)
    out: dict[str, float] = {}
    for i in np.flatnonzero(cue):
        obj = scene.objects[i]
        if obj.name in own:
            continue
        lo, hi = obj.bounds
        gap = float(np.linalg.norm(np.maximum(0.0, np.maximum(subj.lo - hi, lo - subj.hi))))
        if gap <= CUE_REACH:
            main = scene.objects[group[i]].name
            out[main] = min(gap, out.get(main, np.inf))
    return sorted(out, key=out.get)


def time_views(state: SearchState, n: int = 1) -> list[Camera]:
    """Up to ``n`` cameras, from the best anchors' standpoints, that frame the subject whole with a cue of the
    time of day beside it, best shown time first. Empty unless the intent asks for dusk, blue hour or night,
    or when no cue stands near the subject, or when the lens, the placement or a close-up was asked for (a
    close-up frames the subject, not what stands around it)."""
    bp = state.blueprint
    if bp.time_of_day not in TWILIGHT or bp.lens_asked or "placement" in bp.explicit or bp.angle == "top_down":
        return []
    if bp.shot_size == "close_up":
        return []
    cues = cue_names(state)
    if not cues:
        return []
    scene = state.scene
    meshes = [item_mesh(scene, s) for s in bp.subjects]  # the subject must stay whole in every view
    scored: list[tuple[float, Camera]] = []
    for anchor in state.anchors[:STANDPOINTS]:
        base = anchor.camera.with_width(PROBE_WIDTH)
        before = frame_time_cue(scene, base, bp.time_of_day, object_ids(scene, base))
        for cue in cues[:2]:
            cam = _lean_towards(state, base, subject_of(scene, [*bp.subjects, *bp.context, cue]), meshes)
            if cam is None:
                continue
            shown = frame_time_cue(scene, cam, bp.time_of_day, object_ids(scene, cam))
            if shown >= min(before + GAIN, WELL_SHOWN):
                scored.append((shown, cam))
    scored.sort(key=lambda sc: -sc[0])
    out: list[Camera] = []
    for _, cam in scored:
        if all(np.linalg.norm(np.subtract(cam.position, o.position)) > 0.5 for o in out):
            out.append(cam.with_width(state.budget.preview_width))
        if len(out) >= n:
            break
    return out


LEAN = (1.0, 0.75, 0.5, 0.3, 0.15)  # how far the aim moves from the subject's centre towards the joint box's
LOWER = 0.3  # metres: a lower camera looks up at a window without losing the subject's foot


def _lean_towards(state: SearchState, base: Camera, joint, meshes: list) -> Camera | None:
    """``base`` re-aimed from the subject towards the centre of the subject-and-cue box (the lens widened to
    hold that box where it can), as far as the subject (``meshes``) stays whole in the frame; None when it
    cannot."""
    subj, fill = state.subject, SHOT_FILL[state.blueprint.shot_size]
    x, y, z = base.position
    lower = [base.replace(position=(x, y, z - LOWER))] if z - LOWER - state.room.floor >= bands(state)[1][0] else []
    for t, start in itertools.product(LEAN, [base, *lower]):
        point = subj.centre + t * (joint.centre - subj.centre)
        cam = tilt_into_band(aim(start, point, (0.5, 0.5)), state)
        cam = cam.replace(focal_mm=min(base.focal_mm, fit_focal(cam, joint, fill)))
        if all(in_frame_whole(cam, mesh) for mesh in meshes):
            return cam
    return None
