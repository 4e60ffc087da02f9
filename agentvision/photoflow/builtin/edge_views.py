"""Views that clean the frame's edges. An editor checks the edges first: a plant cut in half at the side or a
sliver of a pendant at the top spoils a frame that is otherwise right (review_facts.awkward_edges). The search's
moves re-aim every camera at the subject's placement, so they cannot turn the few degrees that slide such a thing
out of the frame or bring it whole in. This view is the incumbent turned, stepped, tilted or zoomed a little, found on
id maps (no shading), the subject kept whole where it was; the Reviewer then weighs it against the rest."""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.builtin.anchors import valid_positions
from agentvision.photoflow.builtin.framing import MAX_FOCAL, MIN_FOCAL, pitched
from agentvision.photoflow.builtin.review_facts import awkward_edges, judged_elsewhere
from agentvision.photoflow.search import SearchState
from agentvision.scene.visibility import in_frame_whole, item_mesh, object_ids

TURNS = (2.0, 4.0, 7.0, 10.0, 14.0)  # degrees of pan tried each way
TILTS = (2.0, 4.0)  # degrees of tilt tried each way
STEPS = (0.15, 0.3, 0.5)  # metres stepped sideways, and forward or back, each way
ZOOMS = (0.9, 1.12)  # focal length factors tried


def panned(camera: Camera, degrees: float) -> Camera:
    """The camera turned ``degrees`` to the left (negative: right) about the vertical through it."""
    d = np.subtract(camera.look_at, camera.position)
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    turned = np.array([c * d[0] - s * d[1], s * d[0] + c * d[1], d[2]])
    return camera.replace(look_at=tuple(np.asarray(camera.position) + turned))


def stepped(camera: Camera, right: float, forward: float) -> Camera:
    """The camera moved ``right`` metres to its right and ``forward`` metres along its level heading, its aim kept
    parallel."""
    d = np.subtract(camera.look_at, camera.position)
    heading = np.array([d[0], d[1], 0.0]) / max(float(np.hypot(d[0], d[1])), 1e-9)
    side = np.array([heading[1], -heading[0], 0.0])
    move = right * side + forward * heading
    return camera.replace(position=tuple(np.add(camera.position, move)), look_at=tuple(np.add(camera.look_at, move)))


def edge_view(state: SearchState) -> Camera | None:
    """The incumbent with cleaner edges: the turn, then the sideways and the forward step, the tilt and the zoom (each
    the one of its kind that cuts least awkwardly, tried in that order from the last) that lower the cost of things
    cut by the frame's edges;
    None when the incumbent's edges are clean or nothing near does better. The subject stays whole if it was, and
    a lens or a pitch the intent asked for is kept."""
    inc = state.incumbent
    if inc is None or not inc.review.facts.get("awkward_edges"):
        return None
    scene, bp = state.scene, state.blueprint
    subject_ids = [scene.index(n) for n in state.subject.names]
    skip = judged_elsewhere(scene, bp)
    meshes = [item_mesh(scene, s) for s in bp.subjects]
    base = inc.candidate.camera
    whole = all(in_frame_whole(base, m) for m in meshes)

    def cost(cam: Camera) -> float:
        if cam.position != base.position and not valid_positions(state, np.asarray(cam.position)[None])[0]:
            return math.inf
        probe = cam.with_width(state.budget.preview_width)  # the Reviewer's width: the same pixels touch the edges
        ids = object_ids(scene, probe)
        mask = np.isin(ids, subject_ids)
        if not mask.any() or (whole and not all(in_frame_whole(cam, m) for m in meshes)):
            return math.inf
        return sum(awkward_edges(scene, probe, ids, mask, skip).values())

    moves = [[(a, lambda c, a=a: panned(c, a)) for t in TURNS for a in (t, -t)]]
    if bp.height_m is None or not bp.viewpoint:  # a camera placed exactly ("at the top of the stairs") stays put
        moves.append([(a, lambda c, a=a: stepped(c, a, 0.0)) for t in STEPS for a in (t, -t)])
        moves.append([(a, lambda c, a=a: stepped(c, 0.0, a)) for t in STEPS for a in (t, -t)])
    if bp.pitch_deg is None and bp.angle != "top_down":
        moves.append([(a, lambda c, a=a: pitched(c, a)) for t in TILTS for a in (t, -t)])
    if not bp.lens_asked:
        zoom = [
            (abs(math.log(z)), lambda c, z=z: c.replace(focal_mm=float(np.clip(c.focal_mm * z, MIN_FOCAL, MAX_FOCAL))))
            for z in ZOOMS
        ]
        moves.append(zoom)
    best, best_cost = base, cost(base)
    start = best_cost
    for kind in moves:  # the smallest change among the cheapest
        tried = [(cost(cam), abs(amount), cam) for amount, move in kind for cam in [move(best)]]
        c, _, cam = min(tried, key=lambda t: (t[0], t[1]))
        if c < best_cost:
            best, best_cost = cam, c
        if best_cost == 0:
            break
    return best if best_cost < start else None
