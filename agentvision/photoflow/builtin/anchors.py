"""Camera placement for the built-in Director: valid positions, the anchor bank, and turning a
position into a full camera state that follows the blueprint (height, lens, aim, aspect)."""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.blueprint import FACING_TOLERANCE
from agentvision.photoflow.builtin.framing import (
    MIN_FOCAL,
    SHOT_FILL,
    UNDER_CEILING,
    Subject,
    aim,
    box_distance,
    camera_height,
    fill_distance,
    fit_focal,
    line_beyond,
    near_asked,
    pitched,
    turn,
)
from agentvision.photoflow.builtin.review_facts import CUE_TIMES, frame_time_cue
from agentvision.photoflow.builtin.up_front import beyond_it, framed_centroid, ids_of, over_it, positions_beyond
from agentvision.photoflow.builtin.viewpoints import (
    FLOOR_LOOK_PITCH,
    at_vantage,
    at_viewpoint,
    faces,
    facing_vector,
    facing_words,
    farthest,
    front_of,
    low_subject,
    preferred_direction,
    seated,
    vantage_words,
    viewpoint_positions,
)
from agentvision.photoflow.search import Anchor, SearchState
from agentvision.scene.queries import ground_height_below
from agentvision.scene.rays import scene_rays
from agentvision.scene.standpoint import CLEARANCE, MIN_CLEARANCE, free_positions
from agentvision.scene.visibility import object_ids
from agentvision.vision.composition import PLACEMENT_POINT

AZIMUTHS = 24  # anchor directions around the subject
DISTANCE_SCALES = (0.55, 0.75, 1.0, 1.3, 1.7, 2.3)  # times the ideal distance for the shot size
ROOM_STEPS = 10  # also these many distances spread up to the room's size, for rooms smaller than the ideal


def valid_positions(state: SearchState, points: np.ndarray) -> np.ndarray:
    """Where the search may put a camera: free space (:func:`agentvision.scene.standpoint.free_positions`) at the
    intent's viewpoint when it names one, else in the subject's walkable space (not behind its walls)."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    ok = free_positions(state.scene, state.room, p, search_clearance(state.blueprint))
    if state.blueprint.viewpoint:
        return ok & at_viewpoint(state, p)
    if state.area is not None and ok.any() and state.blueprint.angle != "top_down":
        # a top-down camera hovers over the subject (a drone, a balcony), not on the floor around it
        ok &= state.area.contains(p)
    return ok & at_viewpoint(state, p)  # a part of the space ("the south side of the courtyard"), if one is named


ASKED_LOW_GAP = 0.05  # metres: a camera asked lower than the search's clearance keeps this much under its height


def search_clearance(bp) -> float:
    """How far from every surface the search places its cameras: CLEARANCE, or less for a camera the intent asks
    nearer the floor ("0.25 m above the tiled floor": no anchor had stood there), never under MIN_CLEARANCE."""
    if bp.height_m is None:
        return CLEARANCE
    return max(MIN_CLEARANCE, min(CLEARANCE, bp.height_m - ASKED_LOW_GAP))


def fallback_camera(state: SearchState) -> Camera:
    """A camera when no anchor meets the blueprint (no free place at its viewpoint, its angle or its vantage):
    the free place around the subject, at eye height, that sees it best near its ideal distance; the
    blueprint's notes say which. Only when no place at all is free does it stand 3 m south of the subject."""
    subj, d0 = state.subject, ideal_distance(state)
    z = state.room.floor + 1.6
    if state.room.ceiling is not None:
        z = min(z, state.room.ceiling - UNDER_CEILING)
    pts = np.array(
        [
            [subj.centre[0] + r * math.cos(a), subj.centre[1] + r * math.sin(a), z]
            for r in np.linspace(max(0.8, 0.4 * d0), max(1.5, 1.6 * d0), 8)
            for a in np.linspace(0.0, 2 * math.pi, 24, endpoint=False)
        ]
    )
    ok = free_positions(state.scene, state.room, pts)
    if state.area is not None and (ok & state.area.contains(pts)).any():
        ok &= state.area.contains(pts)
    if not ok.any():
        return camera_at(state, subj.centre + [0.0, -3.0, 0.0], keep_height=True)
    seen = line_of_sight(state, pts[ok])
    dist = np.hypot(*(pts[ok][:, :2] - subj.centre[:2]).T)
    best = pts[ok][int(np.argmax(seen - 0.1 * np.abs(np.log(dist / d0))))]
    note = "no place meets every constraint of the request (where to stand, the angle, the vantage): the search "
    note += "starts from the free place that sees the subject best"
    if note not in state.blueprint.notes:
        state.blueprint.notes.append(note)
    return camera_at(state, best, keep_height=True)


def line_of_sight(state: SearchState, points: np.ndarray) -> np.ndarray:
    """Fraction (0..1) of probe points on the subject that each position sees unobstructed: the
    centre of every named subject (so a view that hides one of two subjects scores low) and four
    points spread over their joint box."""
    subj = state.subject
    c = subj.centre
    e = (subj.hi - subj.lo) / 4
    probes = [c + [e[0], 0, e[2]], c - [e[0], 0, -e[2]], c + [0, e[1], -e[2]], c - [0, e[1], e[2]]]
    probes += [state.scene.get(n).centroid for n in state.blueprint.subjects]
    own = {state.scene.index(n) for n in subj.names}
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    seen = np.zeros(len(p))
    rays = scene_rays(state.scene).all
    for q in probes:
        d = q - p
        dist = np.linalg.norm(d, axis=1)
        hit = rays.cast(p.astype(np.float32), (d / dist[:, None]).astype(np.float32))
        clear = (hit.t >= dist - 0.05) | np.isin(hit.ids, list(own))
        seen += clear
    return seen / len(probes)


def open_above(state: SearchState, points: np.ndarray) -> np.ndarray:
    """1 where nothing but the ceiling (or the sky) is overhead, 0 under a landing, a table or a
    tree: such spots are cramped and their frames dark."""
    p = np.asarray(points, dtype=np.float32).reshape(-1, 3)
    up = scene_rays(state.scene).all.cast(p, np.tile(np.float32([0, 0, 1]), (len(p), 1)))
    top = p[:, 2] + np.minimum(up.t, 1e4)
    limit = state.room.ceiling - 0.3 if state.room.ceiling is not None else state.subject.hi[2] + 5.0
    return (top >= limit).astype(float)


def long_axis(state: SearchState) -> np.ndarray | None:
    """The subject's long horizontal axis (unit XY), when it is clearly longer than deep."""
    ext = (state.subject.hi - state.subject.lo)[:2]
    if max(ext) < 1.5 * max(min(ext), 1e-6):
        return None
    return np.array([1.0, 0.0]) if ext[0] >= ext[1] else np.array([0.0, 1.0])


def camera_at(
    state: SearchState,
    position,
    focal_mm: float | None = None,
    aspect: str | None = None,
    placement: str | None = None,
    look_at=None,
    keep_height: bool = False,
) -> Camera:
    """A full camera state at ``position`` following the blueprint: lens, aperture, aspect, aim; its height
    moved to suit the angle (see :func:`height_for_pitch`) unless ``keep_height``."""
    bp = state.blueprint
    aspect = aspect or bp.aspects[0]
    focal = focal_mm or bp.preferred_focal_mm
    target = np.asarray(look_at if look_at is not None else state.aim_at.centre, dtype=float)
    pos = np.asarray(position, dtype=float)
    if np.linalg.norm(target - pos) < 1e-3:
        target = target + [0.0, 0.01, 0.0]
    if bp.angle == "top_down" and np.hypot(*(target - pos)[:2]) < 0.05:
        pos = pos + [0.0, -0.02, 0.0]  # straight down, image top to the north
    if not keep_height:
        pos[2] = height_for_pitch(state, pos, target)
    cam = Camera(tuple(pos), tuple(target), 0.0, focal, bp.f_number, aspect, state.budget.preview_width, bp.upright)
    point = PLACEMENT_POINT.get(placement or bp.placement, (0.5, 0.5))
    return aim(cam, state.aim_at.centre, point)


def compose(state: SearchState, camera: Camera, iterations: int = 3, names: list[str] | None = None) -> Camera:
    """Re-aim so the centroid of the subject's pixels (as the Reviewer measures it, from an id
    render at low resolution) sits at the blueprint's placement point, raising or lowering the
    camera where the new aim would leave the blueprint's pitch band. ``names``: the objects whose pixels
    are placed (default what the camera centres on, :attr:`SearchState.aim_at`, with the thing up front)."""
    target = np.array(PLACEMENT_POINT.get(state.blueprint.placement, (0.5, 0.5)))
    own = [state.scene.index(n) for n in (names or state.aim_at.names)]
    fore = ids_of(state, state.blueprint.foreground) if names is None else []
    cam = camera
    for _ in range(iterations):
        probe = cam.with_width(min(cam.width, 160))
        c = framed_centroid(object_ids(state.scene, probe), own, fore)
        if c is None:
            return cam
        du, dv = (np.asarray(c) - target) * [cam.width, cam.height]
        if abs(du) < 0.5 and abs(dv) < 0.5:
            break
        cam = turn(cam, du, dv)
        pos = np.asarray(cam.position)
        z = height_for_pitch(state, pos, np.asarray(cam.look_at))
        if abs(z - pos[2]) > 0.01 and valid_positions(state, np.array([[pos[0], pos[1], z]]))[0]:
            cam = cam.replace(position=(pos[0], pos[1], z))
    return tilt_into_band(cam, state)


def tilt_into_band(camera: Camera, state: SearchState, band: tuple[float, float] | None = None) -> Camera:
    """Tilt the camera (same position and heading) so its pitch lies in the angle's band (or ``band``): an
    angle the intent asks for wins over the subject's exact placement."""
    lo, hi = band or bands(state)[0]
    pitch = camera.pitch_deg
    if lo <= pitch <= hi or state.blueprint.angle == "top_down":
        return camera
    return pitched(camera, min(max(pitch, lo), hi) - pitch)


# Pitch bands the Director keeps to, a little inside the angle classes of camera.angle_of.
# A low angle is a low camera (camera.angle_of: below LOW_HEIGHT it reads as low whether it looks up or level).
PITCH_BANDS = {"low": (-12.0, 60.0), "eye_level": (-11.0, 7.0), "high": (-50.0, -20.0)}
# ... and the heights above the ground under the camera that read as that angle (a crouch, a person's eye, a
# raised view).
HEIGHT_BANDS = {"low": (0.2, 0.8), "eye_level": (1.2, 1.8), "high": (2.0, 99.0)}
# When the intent does not ask for an angle, eye level is only the default: the camera may rise
# (a wall lamp high up, a subject on a landing) and tilt this much before that reads as a choice.
FREE_PITCH, FREE_HEIGHT = (-16.0, 12.0), (1.2, 99.0)
# At a viewpoint the intent chose (and no angle), the camera is held at a standing eye and looks where it must.
VIEWPOINT_PITCH, VIEWPOINT_HEIGHT = (-70.0, 45.0), (1.3, 1.8)
SEATED_HEIGHT = (1.05, 1.25)  # above the floor, at a seat the intent chose ("from the sofa"): a seated eye


PITCH_OFF = 4.0  # degrees either side of a pitch the intent gave ("tilted down about 35 degrees") the camera keeps to


def bands(state: SearchState) -> tuple[tuple[float, float], tuple[float, float]]:
    """(pitch band, height band above the floor) the Director keeps to for the blueprint's angle, or for the pitch
    the intent gave in degrees."""
    pitch, heights = _bands(state)
    asked = state.blueprint.pitch_deg
    return ((asked - PITCH_OFF, asked + PITCH_OFF) if asked is not None else pitch), heights


def _bands(state: SearchState) -> tuple[tuple[float, float], tuple[float, float]]:
    angle, asked = state.blueprint.angle, state.blueprint.height_m
    if asked is not None:  # "camera at about 1.2 m": there, looking where the angle's pitch allows (or, with no
        # angle asked, where the subject is: up at the top of a pole)
        pitch = PITCH_BANDS.get(angle, (-90.0, 90.0)) if "angle" in state.blueprint.explicit else VIEWPOINT_PITCH
        return pitch, (asked, asked)
    if state.blueprint.viewpoint and "angle" not in state.blueprint.explicit:
        # standing (or sitting) there, the camera looks where the subject is
        return VIEWPOINT_PITCH, SEATED_HEIGHT if seated(state) else VIEWPOINT_HEIGHT
    if angle == "eye_level" and low_subject(state):  # a rug: an eye above it, looking down
        return FLOOR_LOOK_PITCH, SEATED_HEIGHT if seated(state) else HEIGHT_BANDS["eye_level"]
    if angle == "eye_level" and "angle" not in state.blueprint.explicit:
        return FREE_PITCH, FREE_HEIGHT
    return PITCH_BANDS.get(angle, (-90.0, 90.0)), HEIGHT_BANDS.get(angle, (0.2, 99.0))


def height_for_pitch(state: SearchState, position: np.ndarray, target: np.ndarray) -> float:
    """The camera's height, moved (within the room) so that looking at ``target`` keeps the pitch
    of the blueprint's angle: moving closer to a subject must not turn eye level into a high view."""
    z = float(position[2])
    if state.blueprint.angle == "top_down":
        return z
    band, (h_lo, h_hi) = bands(state)
    horiz = max(float(np.hypot(*(target - position)[:2])), 0.05)
    lo = target[2] - horiz * math.tan(math.radians(band[1]))  # the highest pitch: the lowest camera
    hi = target[2] - horiz * math.tan(math.radians(band[0]))
    z = min(max(z, lo), hi)
    ground = ground_height_below(state.scene, (position[0], position[1], float(position[2]) + 0.05))
    ground = state.room.floor if ground is None else max(ground, state.room.floor)  # on a landing: its floor
    if seated(state) or (state.blueprint.height_m is not None and not state.blueprint.viewpoint):
        # a seated eye is counted from the floor, not from the cushions; so is a height the intent gave ("camera
        # at about 2 m"), not from the cabinet or the roof below the camera, unless it stands on a viewpoint
        ground = state.room.floor
    z = min(max(z, ground + h_lo), ground + h_hi)
    top = state.room.ceiling - 0.3 if state.room.ceiling is not None else z
    return float(np.clip(z, ground + 0.2, max(top, ground + 0.2)))


def relation_direction(state: SearchState) -> np.ndarray | None:
    """Where the blueprint's relations want the camera (XY unit vector from the subject), if anywhere."""
    bp, c = state.blueprint, state.subject.centre
    if bp.through:
        d = (state.scene.get(bp.through).centroid - c)[:2]
    elif bp.background:
        d = (c - np.mean([state.scene.get(n).centroid for n in bp.background], axis=0))[:2]
    elif bp.foreground:  # the thing up front: the camera beyond it
        d = (state.scene.get(bp.foreground).centroid - c)[:2]
    else:
        return None
    n = np.linalg.norm(d)
    return d / n if n > 1e-6 else None


def _extent(state: SearchState, name: str) -> Subject:
    b = state.scene.get(name).bounds
    return Subject([name], b[0], b[1])


def _beyond(state: SearchState, position: np.ndarray, name: str) -> bool:
    """The camera stands beyond the object from the subject, and the line of sight passes its box."""
    b = state.scene.get(name).bounds
    c = state.subject.centre
    if np.linalg.norm(position - c) <= np.linalg.norm(b.mean(axis=0) - c):
        return False
    t = np.linspace(0.0, 1.0, 50)[:, None]
    line = c + t * (np.asarray(position) - c)
    return bool(np.any(np.all((line >= b[0] - 0.05) & (line <= b[1] + 0.05), axis=1)))


def ideal_distance(state: SearchState, radius: float | None = None) -> float:
    """Distance at which a sphere of ``radius`` (by default what the frame must hold) fills the shot
    size's share of the frame through the blueprint's lens."""
    probe = camera_at(state, state.subject.centre + [0, -5, 0])
    radius = state.frame.radius if radius is None else radius
    return fill_distance(radius, probe, SHOT_FILL[state.blueprint.shot_size])


# Focal lengths (35 mm equivalent) that suit a shot size when the intent names no lens.
LENS_RANGE = {"close_up": (50.0, 135.0), "medium": (28.0, 70.0), "wide": (16.0, 40.0), "establishing": (16.0, 35.0)}
OPEN_REACH = 3.0  # in open ground, anchors stand at most this many ideal distances from the subject
MIN_SIGHT = 0.5  # anchors that see less of the subject than this are dropped (when others see more)
RELATION_DEG, RELATION_SLACK = 40.0, 25.0  # with a background: anchors this near the far side (or the nearest + slack)


def _ring(state: SearchState, z: float, d0: float) -> tuple[list, list]:
    """Positions on circles around the subject: at distances from the shot size, and at steps out to the
    farthest a camera can stand in the subject's space (a walled courtyard smaller than the ideal distance)."""
    subj = state.subject
    reach = farthest(state)
    distances = sorted(
        {max(0.6, d0 * s) for s in DISTANCE_SCALES} | {0.6 + reach * (i + 1) / ROOM_STEPS for i in range(ROOM_STEPS)}
    )
    if not state.room.interior:  # open ground: within a few ideal distances of the subject
        distances = [d for d in distances if d <= max(OPEN_REACH * d0 + subj.radius, reach)] or distances[:3]
    positions, meta = [], []
    half = (subj.hi - subj.lo)[:2] / 2
    for k in range(AZIMUTHS):
        a = 2 * math.pi * k / AZIMUTHS
        u = np.array([math.cos(a), math.sin(a)])
        asked = []
        if state.blueprint.distance_m is not None:  # "about 3 m from it": that far from its side facing the camera
            asked = [state.blueprint.distance_m + float(abs(u[0]) * half[0] + abs(u[1]) * half[1])]
        for horiz in distances + asked:
            positions.append([subj.centre[0] + u[0] * horiz, subj.centre[1] + u[1] * horiz, z])
            meta.append((math.degrees(a), horiz))
    return positions, meta


STEEP = 30.0  # degrees: a pitch asked this steep up or down adds standpoints at the distance that makes it
PITCH_STAND = 15.0  # degrees: where the subject's centre is this near the pitch asked, the camera may stand


def _elevation(state: SearchState, positions: np.ndarray) -> np.ndarray:
    """Degrees above level of the subject's centre, seen from each position."""
    d = state.subject.centre - np.asarray(positions, dtype=float).reshape(-1, 3)
    return np.degrees(np.arctan2(d[:, 2], np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)))


def _at_pitch(state: SearchState, positions: np.ndarray) -> np.ndarray:
    """Per position: looking at the subject's centre from there is near the pitch the intent gave (a worm's-eye
    view stands under the tree, not across the lawn, where looking 70 degrees up sees only sky)."""
    return np.abs(_elevation(state, positions) - state.blueprint.pitch_deg) <= PITCH_STAND


def _pitch_ring(state: SearchState, z: float) -> tuple[list, list]:
    """Positions round the subject at the distance from which its centre is seen at the pitch asked."""
    subj = state.subject
    rise = float(subj.centre[2]) - z
    if rise * state.blueprint.pitch_deg <= 0:
        return [], []  # looking up at a thing below the camera, or down at one above: no such distance
    horiz = abs(rise) / math.tan(math.radians(abs(state.blueprint.pitch_deg)))
    positions, meta = [], []
    for k in range(AZIMUTHS):
        a = 2 * math.pi * k / AZIMUTHS
        for r in (horiz * 0.8, horiz, horiz * 1.25):
            positions.append([subj.centre[0] + r * math.cos(a), subj.centre[1] + r * math.sin(a), z])
            meta.append((math.degrees(a), r))
    return positions, meta


FACING_STEP = 0.25  # metres between positions on the line back from the subject against the way asked
FACING_SIDE = 0.35  # metres either side of that line


def _facing_line(state: SearchState, z: float) -> tuple[list, list]:
    """Positions on the line from the subject back against the compass direction asked ("shoot due north": due
    south of it), and a little either side, out to the farthest a camera can stand: the ring's circles pass it by
    in steps, and a bench or a wall can take the few points they put on it."""
    subj, u = state.subject, -facing_vector(state.blueprint.facing)
    side = np.array([-u[1], u[0]])
    az = math.degrees(math.atan2(u[1], u[0]))
    positions, meta = [], []
    for t in np.arange(max(0.6, subj.radius + 0.3), farthest(state) + 1e-9, FACING_STEP):  # outside the subject
        for off in (0.0, -FACING_SIDE, FACING_SIDE):
            xy = subj.centre[:2] + u * t + side * off
            positions.append([xy[0], xy[1], z])
            meta.append((az, float(np.linalg.norm(xy - subj.centre[:2]))))
    return positions, meta


FACING_WIDER = (45.0, 60.0, 75.0)  # degrees: the tolerances tried when no spot within FACING_TOLERANCE is far enough


def _facing_room(state: SearchState, positions: np.ndarray, ok: np.ndarray, d0: float) -> float:
    """The tolerance (degrees) within which a camera counts as facing the compass direction asked: FACING_TOLERANCE,
    unless no free spot that near it stands as far from the subject as the shot needs (DISTANCE_SCALES[0] of the
    ideal distance), as "the armchair seen from the west" with the wall 0.7 m behind it; then the first of
    FACING_WIDER that has one (a corner's diagonal view), said in the notes."""
    if state.blueprint.standpoint_named:
        return FACING_TOLERANCE
    far = ok & (np.linalg.norm(positions[:, :2] - state.subject.centre[:2], axis=1) >= DISTANCE_SCALES[0] * d0)
    for tolerance in (FACING_TOLERANCE, *FACING_WIDER):
        if (far & faces(state, positions, tolerance=tolerance)).any():
            if tolerance > FACING_TOLERANCE:
                state.blueprint.notes.append(
                    f"no room {facing_words(state.blueprint.facing)} at the distance a {state.blueprint.shot_size}"
                    f" shot needs: views up to {tolerance:.0f} degrees off that way are used"
                )
            return tolerance
    return FACING_TOLERANCE


def anchor_bank(state: SearchState) -> list[Anchor]:
    """Viewpoints in the subject's space (or at the intent's viewpoint, or where its vantage says), that see
    the subject, best prior first."""
    bp, subj = state.blueprint, state.subject
    z = camera_height(bp, state.room.floor, subj, state.room.ceiling)
    d0 = ideal_distance(state)
    front = front_of(state) if bp.vantage else preferred_direction(state)
    relation = relation_direction(state)
    positions, meta = [], []
    if bp.standpoint_named:
        positions = viewpoint_positions(state).tolist()
        for p in positions:
            d = np.asarray(p[:2]) - subj.centre[:2]
            meta.append((math.degrees(math.atan2(d[1], d[0])), float(np.linalg.norm(d))))
    elif bp.angle == "top_down":
        # high enough above the subject's top for the shot size (under the ceiling in rooms), unless the intent
        # gave the height ("about 2 m off the floor, pointing straight down"); offsets along the room's axes only,
        # so that the frame's edges run with the walls and the subject's edges
        lift = z if bp.height_m is not None else max(z, subj.hi[2] + d0 - (subj.hi[2] - subj.centre[2]))
        z = min(lift, state.room.ceiling - UNDER_CEILING) if state.room.ceiling is not None else lift
        for r in (0.0, 0.3, 0.6):
            for k in range(4 if r else 1):
                a = 2 * math.pi * k / 4
                positions.append(subj.centre[:2].tolist() + [z])
                positions[-1][0] += r * math.cos(a)
                positions[-1][1] += r * math.sin(a)
                meta.append((math.degrees(a), r))
    else:
        positions, meta = _ring(state, z, d0)
        if bp.facing:
            more, more_meta = _facing_line(state, z)
            positions, meta = positions + more, meta + more_meta
        if bp.foreground:  # "shoot over the back of the chair at the truck": just beyond the chair
            more, more_meta = positions_beyond(state, z)
            positions, meta = positions + more, meta + more_meta
        if bp.through:  # beyond the opening, on the line from the subject through it, and a little either side
            opening = state.scene.get(bp.through).centroid
            more, more_meta = line_beyond(subj.centre, opening, (0.8, 1.2, 1.6, 2.0, 2.6, 3.2), (0.0, -0.25, 0.25), z)
            positions, meta = positions + more, meta + more_meta
    if bp.pitch_deg is not None and not bp.standpoint_named and abs(bp.pitch_deg) >= STEEP:
        more, more_meta = _pitch_ring(state, z)  # "shoot straight up the trunk": near enough to see it that steeply
        positions, meta = positions + more, meta + more_meta
    positions = np.array(positions, dtype=float).reshape(-1, 3)
    ok = valid_positions(state, positions)
    if bp.pitch_deg is not None and ok.any():
        keep = ok & _at_pitch(state, positions)
        ok = keep if keep.any() else ok
    framed = np.zeros(len(positions), bool)
    if bp.through and ok.any():  # framed through an opening: only from beyond it, if anywhere (before the vantage:
        # the opening decides the side; "symmetrical" in front of a lamp post must not turn the camera round)
        framed = ok & np.array([_beyond(state, p, bp.through) for p in positions])
        ok = framed if framed.any() else ok
    if bp.foreground and ok.any():  # the thing up front decides the side, as an opening does
        keep = ok & beyond_it(state, positions)
        ok = keep if keep.any() else ok
    if bp.distance_m is not None and ok.any():
        keep = ok & near_asked(box_distance(subj, positions), bp.distance_m)
        if keep.any():
            ok = keep
        else:
            bp.notes.append(f"no free spot {bp.distance_m:g} m from the subject here: the nearest views are used")
    if bp.vantage and ok.any():
        keep = ok & at_vantage(state, positions)
        if keep.any():
            ok, framed = keep, framed & keep
        else:
            bp.notes.append(f"no free spot {vantage_words(bp.vantage)} here: the nearest views are used")
    if bp.facing and ok.any():
        state.facing_tolerance = _facing_room(state, positions, ok, d0)
        keep = ok & faces(state, positions)
        if keep.any():
            ok, framed = keep, framed & keep
        else:
            way = facing_words(bp.facing)
            bp.notes.append(f"no free spot {way} toward the subject here: the nearest views are used")
    if not bp.through and relation is not None and ok.any():  # a background behind the subject: its far side
        u = np.array([[math.cos(math.radians(az)), math.sin(math.radians(az))] for az, _ in meta])
        angle = np.degrees(np.arccos(np.clip(u @ relation, -1.0, 1.0)))
        best = float(angle[ok].min())  # within 40 degrees of the far side, or as near it as the room allows
        ok = ok & (angle <= max(RELATION_DEG, best + RELATION_SLACK))
    if not ok.any():
        return []
    positions, meta, framed = positions[ok], [m for m, k in zip(meta, ok, strict=True) if k], framed[ok]
    los = line_of_sight(state, positions)
    # Views blocked at the camera's own height are dropped (a view through an opening sees past its edges).
    seen = (los >= MIN_SIGHT) | framed
    if seen.any():
        positions, los, meta = positions[seen], los[seen], [m for m, k in zip(meta, seen, strict=True) if k]
    headroom = open_above(state, positions)
    axis = long_axis(state)
    lens_lo, lens_hi = LENS_RANGE[bp.shot_size]
    anchors = []
    for p, (az, horiz), seen, above in zip(positions, meta, los, headroom, strict=True):
        u = np.array([math.cos(math.radians(az)), math.sin(math.radians(az))])
        dist = float(np.linalg.norm(p - subj.centre))
        facing = float(u @ front) if horiz > 0 else 0.0
        fit = math.exp(-((math.log(max(dist, 0.1) / d0)) ** 2) / 0.3)
        prior = 1.5 * seen + 0.6 * facing + 0.8 * fit + 0.8 * above
        if axis is not None:  # elongated subjects show their form best from three-quarters
            prior += 0.8 * (1 - abs(math.cos(2 * math.acos(float(np.clip(abs(u @ axis), 0, 1))))))
        if relation is not None:
            prior += 1.5 * float(u @ relation)
        if bp.facing:  # as near the compass direction asked as the space allows ("shoot due north")
            prior += 1.0 * float(-u @ facing_vector(bp.facing))
        beyond = bp.through is not None and _beyond(state, p, bp.through)
        if beyond:
            prior += 3.0
        focal = bp.preferred_focal_mm
        if not bp.lens_asked:
            # The lens that frames the subject (with its context) for the shot size from here, within the lenses
            # that suit the shot: wider where there is no room to step back, longer from further away. With a
            # background, between that lens and the one that holds the background too: both are in the picture.
            here = camera_at(state, p)
            fitted = fit_focal(here, state.frame, SHOT_FILL[bp.shot_size])
            if bp.background:
                fitted = math.sqrt(fitted * fit_focal(here, state.with_background, SHOT_FILL[bp.shot_size]))
            focal = float(np.clip(fitted, lens_lo, lens_hi))
        aspect = bp.aspects[len(anchors) % len(bp.aspects)]
        if beyond and not bp.lens_asked:
            # Frame the subject through the opening: the opening's edges just inside the frame. From
            # further back that takes a longer lens, and the subject grows: prefer those spots.
            focal = fit_focal(camera_at(state, p), _extent(state, bp.through), 0.9)
            prior += min(1.0, focal / 50.0)
        camera = camera_at(state, p, focal_mm=focal, aspect=aspect)
        if bp.foreground and not beyond and beyond_it(state, p[None])[0]:
            camera = over_it(state, camera, bp.lens_asked)  # the subject beyond the thing, its top in the frame
            prior += 3.0
        anchors.append(Anchor(camera, az, dist, prior))
    if bp.facing and anchors:  # aimed for the placement, a camera can turn off the way asked: those go too
        forwards = np.array([a.camera.forward for a in anchors])
        keep = faces(state, np.array([a.camera.position for a in anchors]), forwards)
        anchors = [a for a, k in zip(anchors, keep, strict=True) if k] if keep.any() else anchors
    anchors.sort(key=lambda a: -a.prior)
    _prefer_the_time(state, anchors)
    return anchors


TIME_PROBES = 40  # the best anchors whose view is checked for what shows the time of day
TIME_PROBE_WIDTH = 64  # pixels


def _prefer_the_time(state: SearchState, anchors: list[Anchor]) -> None:
    """At dusk, blue hour and night, views that show a window's sky or a lit lamp rise in the bank; at golden
    hour and dawn, views across the low sun's light; in a room by day, views where the sun falls in (see
    review_facts.time_cue)."""
    tod = state.blueprint.time_of_day
    if tod not in CUE_TIMES:
        return
    for a in anchors[:TIME_PROBES]:
        cam = a.camera.with_width(TIME_PROBE_WIDTH)
        a.prior += 1.5 * frame_time_cue(state.scene, cam, tod, object_ids(state.scene, cam))
    anchors.sort(key=lambda a: -a.prior)


SUBJECT_FIRST_SCALES = (0.7, 1.0, 1.4)  # times the subject's own ideal distance
SUBJECT_FIRST_TURNS = (0.0, -20.0, 20.0, -45.0, 45.0, -90.0, 90.0)  # degrees off the relation's line
SUBJECT_FIRST_SLOPE = math.tan(math.radians(6.0))  # camera height over distance for an unasked angle
SUBJECT_FIRST_FILL = 0.7  # of the shot size's fill: the background needs room around the subject


def small_before_background(state: SearchState) -> bool:
    """The blueprint wants a background behind a subject much smaller than it (a bench before a
    fountain, a plant before a staircase): framing both together leaves the subject tiny."""
    bp = state.blueprint
    if not bp.background or bp.angle == "top_down" or bp.through:
        return False
    return state.subject.radius <= 0.6 * state.with_background.radius


def subject_first_views(state: SearchState, n: int = 2) -> list[Camera]:
    """Per-subject framing of a background relation: stand on the far side of the subject from the
    background (or as near that line as the room allows), frame the subject alone for the shot size
    and aim at it, so that the background fills the frame behind it instead of shrinking it.

    Anchors frame the subject and its background together, which leaves a small subject in front of
    a large background tiny. Empty when the blueprint has no background, or when the subject is not
    much smaller than what the frame must hold."""
    bp, subj = state.blueprint, state.subject
    if not small_before_background(state):
        return []
    u0 = relation_direction(state)
    if u0 is None:
        return []
    z = camera_height(bp, state.room.floor, subj, state.room.ceiling)
    fill = SHOT_FILL[bp.shot_size]
    d_s = ideal_distance(state, subj.radius)
    positions, order = [], []
    for i, turn_deg in enumerate(SUBJECT_FIRST_TURNS):
        a = math.radians(turn_deg)
        u = np.array([u0[0] * math.cos(a) - u0[1] * math.sin(a), u0[0] * math.sin(a) + u0[1] * math.cos(a)])
        for j, s in enumerate(SUBJECT_FIRST_SCALES):
            horiz = max(0.8, d_s * s)
            # A gentle pitch: a long lens from eye height onto a low subject reads as a high view.
            held = "angle" in bp.explicit or bp.height_m is not None  # an angle or a height asked holds z
            zh = z if held else min(z, float(subj.centre[2]) + horiz * SUBJECT_FIRST_SLOPE)
            positions.append([subj.centre[0] + u[0] * horiz, subj.centre[1] + u[1] * horiz, zh])
            order.append(i + abs(j - 1))  # nearest the line and the ideal distance first
    positions = np.array(positions)
    ok = valid_positions(state, positions)
    if not ok.any():
        return []
    idx = np.flatnonzero(ok)
    seen = line_of_sight(state, positions[idx])
    ranked = sorted(zip(idx, seen, strict=True), key=lambda t: (-round(float(t[1]), 1), order[t[0]]))
    point = PLACEMENT_POINT.get(bp.placement, (0.5, 0.5))
    cams = []
    for i, s in ranked[:n]:
        if s < 0.6:
            break
        cam = aim(camera_at(state, positions[i], look_at=subj.centre), subj.centre, point)
        if not bp.lens_asked:
            # Between the lens that frames the subject alone and the one that holds its background too:
            # the subject grows while the background stays in the picture behind it.
            alone = fit_focal(cam, subj, fill * SUBJECT_FIRST_FILL)
            both = fit_focal(camera_at(state, positions[i]), state.with_background, fill)
            focal = float(np.clip(math.sqrt(alone * both), MIN_FOCAL, 2 * bp.preferred_focal_mm))
            cam = aim(camera_at(state, positions[i], focal_mm=focal, look_at=subj.centre), subj.centre, point)
        cams.append(cam)
    return cams
