"""The built-in Reviewer's measurements of one candidate: geometry (instance ids, visibility samples,
clearance, where the camera stands) and image analysis (:mod:`agentvision.vision`), as plain numbers. The
rules and scores (:mod:`reviewer`) read them; a VLM Reviewer receives the same facts."""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import lens_class
from agentvision.photoflow.builtin.framing import SHOT_FILL, box_distance
from agentvision.photoflow.builtin.object_words import STRUCTURAL
from agentvision.photoflow.builtin.up_front import UP_FRONT_HIDES, framed_centroid, ids_of, up_front_share
from agentvision.photoflow.builtin.viewpoints import (
    VANTAGE_AZIMUTH,
    angle_read,
    at_vantage,
    at_viewpoint,
    eye_height,
    faces,
    vantage_gap,
)
from agentvision.photoflow.records import Candidate
from agentvision.photoflow.search import SearchState, subject_of
from agentvision.render.base import RenderResult
from agentvision.scene.lighting import exposure_key
from agentvision.scene.queries import clearance, inside_geometry, label_groups, pieces
from agentvision.scene.sunlight import sunlit_share
from agentvision.scene.visibility import clip_bbox, item_mesh, object_view, projected_bbox
from agentvision.vision import (
    aesthetic_score,
    centroid,
    cut_off,
    exposure_score,
    lightness,
    mask_bbox,
    placement_of,
    placement_score,
)
from agentvision.vision.exposure import CLIP_LEVEL

# Subject pixels / frame pixels a shot size aims for.
TARGET_COVERAGE = {"close_up": 0.5, "medium": 0.28, "wide": 0.15, "establishing": 0.07}


def measure(state: SearchState, cand: Candidate, result: RenderResult) -> dict:
    """Everything the rules and scores need, as plain numbers (also handed to VLM reviewers)."""
    scene, bp, cam = state.scene, state.blueprint, cand.camera
    subject_ids = [scene.index(n) for n in state.subject.names]
    mask = np.isin(result.ids, subject_ids)
    aim_ids = subject_ids if state.aim_at is state.subject else [scene.index(n) for n in state.aim_at.names]
    aim = np.isin(result.ids, aim_ids)
    fore_ids = ids_of(state, bp.foreground)
    part = (state.subject.lo, state.subject.hi) if state.subject.part else None  # "the top of the curtain"
    views = [object_view(scene, cam, n, within=part) for n in bp.subjects]
    # placement is judged on what the camera centres on (see SearchState.aim_at), with what stands up front
    c = framed_centroid(result.ids, aim_ids, fore_ids)
    fore_names = {scene.objects[i].name for i in fore_ids}
    fronts = [min(UP_FRONT_HIDES, sum(v.occluders.get(n, 0.0) for n in fore_names)) for v in views]
    edges = cut_off(mask)
    # one look at each related object (context, background, the opening framed through): seen, and inside the frame
    names = dict.fromkeys(bp.context + bp.background + ([bp.through] if bp.through else []))
    unwanted = {n: _share(result, scene, n) for n in bp.avoid}
    related = {n: object_view(scene, cam, n, samples=512) for n in names}
    ground = eye_height(scene, cam.position, state.room.floor)
    floor_below = ground if ground is not None else cam.position[2] - state.room.floor
    key = exposure_key(bp.time_of_day)
    close_up = bp.shot_size == "close_up"
    light = lightness(result.rgb)
    exposure = exposure_score(result.rgb, key)
    facts = {
        "coverage": float(mask.mean()),
        "fill": frame_span(aim),
        "target_fill": SHOT_FILL[bp.shot_size] * (BACKGROUND_ROOM if bp.background else 1.0),
        "target_coverage": target_coverage(state),
        # every subject must be seen; what the thing up front hides of it is wanted there, up to a share
        "visible": float(min(v.visible + front for v, front in zip(views, fronts, strict=True))),
        "occluded": float(np.mean([v.occluded - front for v, front in zip(views, fronts, strict=True)])),
        "occluders": sorted({o for v in views for o in v.occluders if o not in fore_names}),
        "cut_off_edges": cut_edges(edges, views, cam),
        "in_frame": round(float(min(v.in_frame for v in views)), 3),
        "centroid": _rounded(c),
        "placement_score": _placement(c, _placement_word(bp.placement), "placement" in bp.explicit),
        "pitch_deg": round(cam.pitch_deg, 1),
        "angle": angle_read(state, cam.pitch_deg, floor_below),
        "height_m": round(floor_below, 2),
        "above_floor_m": round(float(cam.position[2] - state.room.floor), 2),
        "distance_m": round(float(box_distance(state.subject, cam.position)[0]), 2),
        "roll_deg": cam.roll_deg,
        "horizon_tilt_deg": cam.horizon_tilt_deg,
        "lens": lens_class(cam.focal_mm),
        "focal_mm": cam.focal_mm,
        "aspect": cam.aspect,
        "orientation": cam.orientation,
        "inside_geometry": bool(inside_geometry(scene, cam.position)),
        "clearance_m": round(float(clearance(scene, cam.position)), 3),
        "exposure": exposure.score,
        "exposure_verdict": exposure.verdict,
        "aesthetic": aesthetic_score(result.rgb, key, exposure).score,
        "subject_light": float(light[mask].mean() / max(light.mean(), 1e-3)) if mask.any() else 0.0,
        "form": _form(result.depth, mask),
        "underside": _underside(result, mask),
        "near_block": _near_block(
            result.depth, mask, np.isin(result.ids, _ids(scene, bp.through) if bp.through else [])
        ),
        "context_visible": {n: _seen(related[n], CONTEXT_PEEK if close_up else CONTEXT_VISIBLE) for n in bp.context},
        "background_seen": {n: round(_seen(related[n]), 3) for n in bp.background},
        "background_ok": {n: _behind(result, scene, n, _seen(related[n]), mask, bp.may_crop) for n in bp.background},
        "background_offset": {n: _offset(result, scene, n, c) for n in bp.background},
        "through_ok": _through(result, scene, bp.through, mask) and _seen(related[bp.through]) >= 1.0
        if bp.through
        else None,
        "foreground_share": round(up_front_share(result.ids, result.depth, mask, fore_ids), 3)
        if bp.foreground
        else None,
        "avoid_visible": unwanted,
        "avoid_at": {n: _where_unwanted(result, scene, n, mask, cam) for n, v in unwanted.items() if v > AVOID_SEEN},
        "at_viewpoint": bool(at_viewpoint(state, np.asarray(cam.position)[None])[0]) if bp.standpoint_named else None,
        "at_vantage": bool(at_vantage(state, np.asarray(cam.position)[None])[0]) if bp.vantage else None,
        "vantage_gap_deg": (
            round(float(vantage_gap(state, np.asarray(cam.position)[None])[0]), 1)
            if bp.vantage in VANTAGE_AZIMUTH
            else None
        ),
        "faces": bool(faces(state, np.asarray(cam.position)[None], np.asarray(cam.forward)[None])[0])
        if bp.facing
        else None,
        "subject_centroid": _rounded(centroid(mask)),
        "related_in_frame": {
            n: round(float(related[n].in_frame), 3) for n in dict.fromkeys(bp.context + bp.background)
        },
    }
    facts.update(surroundings(state, cam, result, mask))
    facts.update(highlights(result, mask, exposure.stats.clipped))
    return facts


CLIPPED_OBJECT = 0.25  # an object with at least this share of its pixels clipped white is reported
CLIPPED_MIN_PIXELS = 12


def highlights(result: RenderResult, mask: np.ndarray, clipped: float) -> dict:
    """Highlight clipping: the share of the frame clipped white (exposure.CLIP_LEVEL), of the subject's pixels,
    and the objects (a lamp, a window) with at least CLIPPED_OBJECT of their pixels clipped."""
    white = lightness(result.rgb) >= CLIP_LEVEL
    objects = {}
    ids = result.ids[white & (result.ids >= 0)]
    for i, n in zip(*np.unique(ids, return_counts=True), strict=True):
        total = int((result.ids == i).sum())
        if n >= CLIPPED_MIN_PIXELS and n / total >= CLIPPED_OBJECT:
            objects[result.names[int(i)]] = round(float(n / total), 2)
    return {
        "clipped": round(float(clipped), 4),
        "subject_clipped": round(float(white[mask].mean()), 3) if mask.any() else 0.0,
        "clipped_objects": objects,
    }


def _rounded(c) -> list[float] | None:
    return None if c is None else [round(float(c[0]), 3), round(float(c[1]), 3)]


def related_ids(scene, bp) -> set[int]:
    """The object indices of what the intent asks beside the subject: context, background, the opening, the thing
    up front."""
    related = bp.context + bp.background + [n for n in (bp.through, bp.foreground) if n]
    return {scene.index(p) for name in related for p in pieces(scene, name)}


def judged_elsewhere(scene, bp) -> set[int]:
    """The object indices :func:`awkward_edges` leaves alone: asked with the subject, or kept out (their own rules
    judge them)."""
    return related_ids(scene, bp) | {scene.index(p) for name in bp.avoid for p in pieces(scene, name)}


def surroundings(state: SearchState, cam, result: RenderResult, mask: np.ndarray) -> dict:
    """What else the frame holds: plain surroundings (sky, floor, walls, ceiling), foreground objects cut by
    the frame's edge, and what tells the time of day (sky or windows at twilight, lit lamps, raking sun)."""
    scene, bp = state.scene, state.blueprint
    ids = result.ids
    n = max(1, ids.size)
    glass, lamps = cue_objects(scene)
    plain = _structural(scene)
    plain[-1] = True  # no object at all (the sky) is plain surroundings too
    wanted = related_ids(scene, bp)
    sky = glass[ids].mean() if ids.size else 0.0
    plain_share = float(plain[ids].mean())
    # foreground clutter: other objects, nearer than the subject, that the frame's edge cuts
    clutter, clutter_at = 0.0, {}
    if mask.any():
        near = result.depth < 0.7 * float(np.median(result.depth[mask]))
        border = np.zeros(ids.shape, bool)
        border[0, :] = border[-1, :] = border[:, 0] = border[:, -1] = True
        for i in np.unique(ids[near & border & ~mask & (ids >= 0)]):
            if int(i) in wanted or plain[int(i)]:
                continue
            clutter += float((ids == i).sum()) / n
            clutter_at[scene.objects[int(i)].name] = _edge_most(ids == i)
    # other things in the frame (not the subject, not asked with it, not the room's shell or the sky)
    others = ~plain[ids] & ~mask & ~np.isin(ids, list(wanted))
    sunlit = frame_sunlit(scene, cam, bp.time_of_day)
    cue = time_cue(bp.time_of_day, sky, float(lamps[ids].mean()), cam, scene, sunlit)
    return {
        "edge_cut": cut_by_edges(scene, cam, ids, mask),
        "awkward_edges": awkward_edges(scene, cam, ids, mask, judged_elsewhere(scene, bp)),
        "plain_share": round(plain_share, 3),
        "sky_share": round(float(sky), 3),
        "lamp_share": round(float(lamps[ids].mean()), 4),
        "clutter": round(float(clutter), 3),
        "others_share": round(float(others.mean()), 3),
        "clutter_at": clutter_at,
        "sunlit_share": round(sunlit, 3),
        "time_cue": round(cue, 3),
    }


EDGE_MIN_PIXELS = 3  # an item touching an edge of the frame with this many pixels or more is cut by it


def _edge_most(region: np.ndarray) -> str:
    """The frame edge a region of pixels runs along most: left, right, top or bottom."""
    runs = {
        "left": region[:, 0].sum(),
        "right": region[:, -1].sum(),
        "top": region[0].sum(),
        "bottom": region[-1].sum(),
    }
    return max(runs, key=runs.get)


def _structural(scene) -> np.ndarray:
    """Per object index (the last entry: no object, -1): a part of the room's shell or the ground (STRUCTURAL)."""
    return np.isin(np.array([o.label for o in scene.objects] + [""]), list(STRUCTURAL))


def cut_by_edges(scene, camera, ids: np.ndarray, mask: np.ndarray) -> dict[str, list]:
    """The items other than the subject (``mask``) and plain surroundings (walls, floor, sky) that the frame's
    edges cut: item name -> [the edge it touches most (left, right, top, bottom), the share of its surface
    outside the frame], most cut first."""
    plain = _structural(scene)
    groups = label_groups(scene)
    touches: dict[int, tuple[str, int]] = {}
    for edge, line, own in (
        ("top", ids[0], mask[0]),
        ("bottom", ids[-1], mask[-1]),
        ("left", ids[:, 0], mask[:, 0]),
        ("right", ids[:, -1], mask[:, -1]),
    ):
        keep = (line >= 0) & ~own
        keep[keep] &= ~plain[line[keep]]
        items, counts = np.unique(groups[line[keep]], return_counts=True)
        for item, count in zip(items.tolist(), counts.tolist(), strict=True):
            if count >= EDGE_MIN_PIXELS and count > touches.get(item, ("", 0))[1]:
                touches[item] = (edge, count)
    out = {}
    for item, (edge, _) in touches.items():
        name = scene.objects[item].name
        outside = 1.0 - object_view(scene, camera, name, samples=256).in_frame
        out[name] = [edge, round(float(outside), 2)]
    return dict(sorted(out.items(), key=lambda kv: -kv[1][1]))


AWKWARD_SPAN = 0.5  # a thing whose whole box spans at most this share of the frame could be framed whole or left out
CUT_THROUGH = (0.15, 0.85)  # share of such a thing outside the frame that reads as cut through it
SLIVER = 0.99  # ... and beyond CUT_THROUGH up to this share, a sliver poking in at the edge
SLIVER_COST = 0.5  # a sliver costs this much of a thing cut through


def awkward_edges(scene, camera, ids: np.ndarray, mask: np.ndarray, skip: set[int]) -> dict[str, float]:
    """Small things the frame's edges cut awkwardly (an editor's "check the edges"): a plant cut in half at the side,
    a sliver of a pendant at the top. Item name -> its cost (1 cut through, SLIVER_COST a sliver). Only things small
    enough to be framed whole or left out by a small turn count: a sofa a close-up crops is its setting. Not the
    subject (``mask``), the plain surroundings, or the objects in ``skip`` (asked with the subject, or kept out:
    their own rules judge them). The share outside is the item's projected box's, so a cheap id map serves."""
    plain = _structural(scene)
    groups = label_groups(scene)
    border = np.concatenate([ids[0], ids[-1], ids[:, 0], ids[:, -1]])
    own = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    touching = border[(border >= 0) & ~own]
    touching = touching[~plain[touching]]
    items, counts = np.unique(groups[touching], return_counts=True)
    skip = skip | set(np.unique(groups[ids[mask]]).tolist())
    w, h = camera.size
    out: dict[str, float] = {}
    for item, count in zip(items.tolist(), counts.tolist(), strict=True):
        if count < EDGE_MIN_PIXELS or item in skip:
            continue
        name = scene.objects[item].name
        box = projected_bbox(camera, item_mesh(scene, name))
        clipped = clip_bbox(box, (w, h)) if box is not None else None
        if clipped is None:
            continue
        bw, bh = box[2] - box[0], box[3] - box[1]
        if max(bw / w, bh / h) > AWKWARD_SPAN or bw * bh <= 0:
            continue
        outside = 1.0 - (clipped[2] - clipped[0]) * (clipped[3] - clipped[1]) / (bw * bh)
        if CUT_THROUGH[0] <= outside <= CUT_THROUGH[1]:
            out[name] = 1.0
        elif CUT_THROUGH[1] < outside <= SLIVER:
            out[name] = SLIVER_COST
    return out


def edge_words(edge: str, outside: float) -> str:
    """How an edge cuts a thing (an entry of :func:`cut_by_edges`), as the share of it still inside the frame."""
    if outside < 0.01:
        return f"touching the {edge} edge"
    if outside > 0.99:
        return f"a sliver at the {edge} edge, almost all of it outside the frame"
    return f"{edge} edge, {100 * (1 - outside):.0f}% of it inside the frame"


def cue_objects(scene) -> tuple[np.ndarray, np.ndarray]:
    """Per object index (the last entry: the background, -1): shows the sky (glass, or no object at all), and
    is a lit lamp."""
    glass = np.array([o.material.glass for o in scene.objects] + [True])
    lamps = np.zeros(len(scene.objects) + 1, bool)
    if scene.lighting is not None and scene.lighting.lamps_on:
        lit = scene.lamp_objects
        lamps[: len(scene.objects)] = [o.name in lit or o.material.is_emissive for o in scene.objects]
    return glass, lamps


def frame_time_cue(scene, camera, time_of_day: str, ids: np.ndarray) -> float:
    """:func:`time_cue` of a frame's id map (``camera`` at the map's width)."""
    glass, lamps = cue_objects(scene)
    sunlit = frame_sunlit(scene, camera, time_of_day)
    return time_cue(time_of_day, float(glass[ids].mean()), float(lamps[ids].mean()), camera, scene, sunlit)


SUN_TIMES = ("dawn", "morning", "afternoon", "golden_hour")  # indoors, sunlight in the frame says these times
CUE_TIMES = ("dusk", "blue_hour", "night", "golden_hour", "dawn", "morning", "afternoon")  # times with a cue
SUNLIT_FULL = 0.04  # an interior frame with this share sunlit (a patch on the floor) shows its time fully
SUNLIT_PROBE = 96  # pixels across of the frame that measures it


def frame_sunlit(scene, camera, time_of_day: str) -> float:
    """The share of an interior frame that the sun lights directly, where that tells the time (else 0)."""
    if not scene.interior or time_of_day not in SUN_TIMES:
        return 0.0
    return sunlit_share(scene, camera.with_width(min(camera.width, SUNLIT_PROBE)))


def time_cue(time_of_day: str, sky: float, lamps: float, cam, scene, sunlit: float = 0.0) -> float:
    """How well the frame says its time of day, 0..1. Twilight and night: sky seen (outdoors or through
    windows) and lit lamps in the frame. At golden hour and dawn: the low sun raking across the view (from
    the side, not from behind the camera). Inside a room in the morning and the afternoon, the sunlight falling
    in (``sunlit``, the share of the frame it lights: :func:`frame_sunlit`); at golden hour and dawn that too,
    whichever shows the time better. Noon and other outdoor daylight need no cue."""
    if time_of_day in ("dusk", "blue_hour", "night"):
        return float(0.55 * min(1.0, sky / 0.06) + 0.45 * min(1.0, lamps / 0.003))
    sun_in = 0.4 + 0.6 * min(1.0, sunlit / SUNLIT_FULL) if scene.interior and time_of_day in SUN_TIMES else 0.0
    if time_of_day in ("morning", "afternoon") and scene.interior:
        return sun_in
    return max(sun_in, _raking(time_of_day, cam, scene))


def _raking(time_of_day: str, cam, scene) -> float:
    """At golden hour and dawn, how well the low sun rakes across the view (1.0 at other times)."""
    if time_of_day in ("golden_hour", "dawn") and scene.lighting is not None and scene.lighting.sun.shines:
        sun = np.asarray(scene.lighting.sun.direction[:2], float)
        fwd = np.asarray(cam.forward[:2], float)
        if np.linalg.norm(sun) < 1e-6 or np.linalg.norm(fwd) < 1e-6:
            return 1.0
        cos = float(np.clip(sun @ fwd / (np.linalg.norm(sun) * np.linalg.norm(fwd)), -1.0, 1.0))
        return float(np.clip(1.0 - max(0.0, -cos) ** 2, 0.0, 1.0) * (0.6 + 0.4 * math.sqrt(1 - cos**2)))
    return 1.0


def frame_span(mask: np.ndarray) -> float:
    """The share of the frame's width or height, whichever is more, that a mask's pixel box spans."""
    box = mask_bbox(mask)
    if box is None:
        return 0.0
    h, w = mask.shape
    return float(max((box[2] - box[0]) / w, (box[3] - box[1]) / h))


BACKGROUND_ROOM = 0.8  # with a background, the subject spans less of the frame: the background shows around it
IN_FRAME = 0.95  # a subject with less of its surface inside the frame than this is cut off
CUT_BORDER = 0.08  # ... and so is one covering more of a border row or column than this


def cut_edges(edges, views, cam) -> list[str]:
    """The frame edges that cut a subject: where its pixels run along a border, or where its box reaches past
    the edge while some of it is outside the frame (a staircase's upper flight gone off the top)."""
    cut = {e for e in edges.edges if getattr(edges, e) > CUT_BORDER}
    w, h = cam.width, cam.height
    for v in views:
        if v.in_frame >= IN_FRAME or v.bbox is None:
            continue
        u0, v0, u1, v1 = v.bbox
        over = {"left": -u0 / w, "right": (u1 - w) / w, "top": -v0 / h, "bottom": (v1 - h) / h}
        cut |= {e for e, d in over.items() if d > 0.02}
    return [e for e in ("left", "right", "top", "bottom") if e in cut]


def target_coverage(state: SearchState) -> float:
    """The subject's share of the frame the shot size aims for, smaller when the frame must also hold context
    objects beside it (by the squared ratio of the extents, at most 5x smaller). A background does not shrink
    it: it stands further back and looks smaller behind the subject."""
    bp = state.blueprint
    beside = [n for n in bp.context if n not in bp.subjects]
    if not beside:
        return TARGET_COVERAGE[bp.shot_size]
    frame = subject_of(state.scene, bp.subjects + beside)
    share = (state.subject.radius / max(frame.radius, 1e-6)) ** 2
    return TARGET_COVERAGE[bp.shot_size] * float(np.clip(share, 0.2, 1.0))


def _form(depth: np.ndarray, mask: np.ndarray) -> float:
    """How much depth the subject shows (0 flat-on .. 1 clearly three-dimensional): the spread of its
    depths relative to their median. Oblique views that show form score higher than frontal ones."""
    if mask.sum() < 20:
        return 0.0
    d = depth[mask]
    lo, mid, hi = np.percentile(d, [10, 50, 90])
    return float(min(1.0, (hi - lo) / max(mid, 1e-3) / 0.6))


def _underside(result: RenderResult, mask: np.ndarray) -> float:
    """Share of the subject's visible surface that faces down (the soffit under a staircase, a table's underside):
    0 when the camera sees its tops and sides, near 1 from beneath it."""
    if mask.sum() < 20:
        return 0.0
    nz = result.world_normals()[..., 2][mask]
    nz = nz[np.isfinite(nz)]
    return round(float((nz < -UNDERSIDE_NZ).mean()), 3) if nz.size else 0.0


UNDERSIDE_NZ = 0.3  # a surface whose normal points down more steeply than this is an underside


def _near_block(depth: np.ndarray, mask: np.ndarray, wanted: np.ndarray) -> float:
    """Share of the frame taken by surfaces much nearer than the subject that are not wanted there (a wall, the
    underside of a landing looming in front; the opening a shot is framed through is wanted): 0 is open."""
    if not mask.any():
        return 0.0
    near = np.median(depth[mask]) * 0.45
    return float(((depth < near) & ~mask & ~wanted).mean())


UNASKED_THIRDS = ("left_third", "right_third", "upper_third", "lower_third")


def _placement(c: tuple[float, float] | None, target: str, asked: bool) -> float:
    """How well the subject sits at ``target`` (0..1); when the intent asked for the placement, a
    centroid in another region (vision.placement_of, as the benchmark's judge classifies it)
    scores at most 0.45."""
    if c is None:
        return 0.0
    if not asked and target == "center":
        # a placement nobody asked for: the centre or a third both make a picture (a diagonal staircase
        # rarely centres)
        return float(max(placement_score(c, t) for t in ("center", *UNASKED_THIRDS)))
    score = placement_score(c, target)
    if asked and target not in ("any", placement_of(c)):
        score = min(score, 0.45)
    return float(score)


def _placement_word(placement: str) -> str:
    return "any" if placement == "leading" else placement


def _ids(scene, name: str) -> list[int]:
    return [scene.index(p) for p in pieces(scene, name)]


CONTEXT_VISIBLE = 0.25  # a context or background object counts as in the picture from this visible share
CONTEXT_PEEK = 0.1  # ... and in a close-up, where it comes in at an edge ("the end of the sofa at the bottom")


def _seen(view, enough: float = CONTEXT_VISIBLE) -> float:
    """How well a context object (its ObjectView) is in the picture, 0..1: its visible share of surface samples
    (in frame and unoccluded), reaching 1 at ``enough``."""
    return float(min(1.0, view.visible / enough))


def _share(result: RenderResult, scene, name: str) -> float:
    """Share of the frame the object covers, as a 0..1 measure (0.2 % of the frame = 1)."""
    return float(min(1.0, np.isin(result.ids, _ids(scene, name)).mean() / 0.002))


AVOID_SEEN = 0.05  # an object to keep out is in the frame from this _share (0.01 % of the frame)


def _where_unwanted(result: RenderResult, scene, name: str, subject_mask: np.ndarray, cam) -> list:
    """Where an object to keep out shows: [the frame edge it runs along most, whether it is nearer than the subject,
    the degrees of view it reaches into the frame from that edge]."""
    region = np.isin(result.ids, _ids(scene, name))
    nearer = bool(subject_mask.any() and np.median(result.depth[region]) < np.median(result.depth[subject_mask]))
    edge = _edge_most(region)
    rows, cols = np.nonzero(region)
    h, w = region.shape
    reach = {"bottom": h - rows.min(), "top": rows.max() + 1, "left": cols.max() + 1, "right": w - cols.min()}[edge]
    hfov, vfov = cam.fov_deg
    degrees = reach / (h if edge in ("top", "bottom") else w) * (vfov if edge in ("top", "bottom") else hfov)
    return [edge, nearer, round(float(degrees), 1)]


BEHIND_DX = 0.08  # of the frame's width: a background centred this near the subject stands behind it, whatever its size


def _behind(result: RenderResult, scene, name: str, seen: float, subject_mask: np.ndarray, cropped: bool) -> bool:
    """The object is well in the picture (in a close-up, ``cropped``, any of it: the setting shows in part), farther
    than the subject and behind it in the frame: its centre no further to the side of the subject's than half its
    own width (an archway off to the fountain's right is beside it, not behind it)."""
    m = np.isin(result.ids, _ids(scene, name))
    if (seen < 1.0 and not (cropped and seen > 0)) or not subject_mask.any() or not m.any():
        return False
    if np.median(result.depth[m]) <= 0.8 * np.median(result.depth[subject_mask]):
        return False
    cols = np.nonzero(m.any(axis=0))[0]
    half_width = (cols.max() - cols.min() + 1) / (2 * m.shape[1])
    dx = abs(centroid(m)[0] - centroid(subject_mask)[0])
    return bool(dx <= max(BEHIND_DX, half_width))


def _offset(result: RenderResult, scene, name: str, c) -> list[float] | None:
    """Where an object's pixels' centroid sits from the aim's centroid ``c``, in fractions of the frame's width
    and height (x right, y down); None when either is not in frame."""
    own = centroid(np.isin(result.ids, _ids(scene, name)))
    if own is None or c is None:
        return None
    return [round(own[0] - c[0], 3), round(own[1] - c[1], 3)]


def _through(result: RenderResult, scene, name: str, subject_mask: np.ndarray) -> bool:
    """The frame object is in view, nearer than the subject, and around it (on both sides or above)."""
    m = np.isin(result.ids, _ids(scene, name))
    if m.mean() < 0.01 or not subject_mask.any():
        return False
    nearer = np.median(result.depth[m]) < np.median(result.depth[subject_mask])
    cols = np.nonzero(subject_mask.any(axis=0))[0]
    left, right = m[:, : cols.min()].any(), m[:, cols.max() + 1 :].any()
    return bool(nearer and (left and right or m[: np.nonzero(subject_mask.any(axis=1))[0].min()].any()))
