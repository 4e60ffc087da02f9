"""Where the intent puts the camera: at an object (a viewpoint: "from the landing", "from the doorway") or
somewhere around the subject (a vantage: straight on, from behind, in profile, from across the room, from a
corner). One predicate per idea, used alike by the anchors, the Director's moves and the Reviewer's rule.
"""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import TOP_DOWN_PITCH, angle_of
from agentvision.photoflow.blueprint import FACINGS
from agentvision.photoflow.builtin import photo_words
from agentvision.photoflow.builtin.framing import UNDER_CEILING
from agentvision.photoflow.builtin.object_words import SEATS
from agentvision.photoflow.builtin.place_parts import standpoint_words
from agentvision.photoflow.search import SearchState, subject_of
from agentvision.scene.queries import ground_height_below_batch, low_end, pieces
from agentvision.scene.rays import scene_rays

VIEWPOINT_REACH = 1.2  # metres: a camera this near an object's box (horizontally) stands at it
SEAT_REACH = 0.05  # metres: at a seat the camera is in it, over its box (not behind it, its back in the frame)
UNDER_REACH = 0.1  # metres: under a thing the camera stands beneath it, within its footprint (a landing, a crown)
VIEWPOINT_STEP = 0.35  # metres between the positions tried at a viewpoint
SPACE_STEPS = 30  # at most this many positions across a space whose part is the viewpoint ("the south side")
STANDING = {"low": 0.5, "eye_level": 1.6, "high": 1.9, "top_down": 1.9}  # eye above what the camera stands on
SEATED_EYE = 1.15  # metres above the floor: the eye of a photographer sitting on a sofa, a chair or a bench
# Degrees around the subject's front a vantage accepts (the offset from the front, and the tolerance).
VANTAGE_AZIMUTH = {
    "front": (0.0, 15.0),
    "three_quarter": (45.0, 15.0),  # either side of the front, as "side" is
    "raking": (68.0, 12.0),  # along its length from near one end, its rows running off into the distance
    "back": (180.0, 30.0),
    "side": (90.0, 20.0),
}
ACROSS = 0.6  # "across the room": at least this share of the farthest a camera can get in that direction
CORNER = 1.6  # metres from a corner of the room that count as "in the corner"


def _box(state: SearchState, name: str) -> np.ndarray:
    """The box (lo, hi) of a thing with its pieces."""
    thing = subject_of(state.scene, [name])
    return np.stack([thing.lo, thing.hi])


SPREAD = 0.5  # share of a place's own footprint a piece of it covers to be part of what one stands under


def _underside(state: SearchState) -> float:
    """The height of the named place's own bottom: of the pieces about as wide as it (a landing's floor and the slab
    beneath it, whose soffit is 0.26 m lower), not a thin one that holds it up (a tree's trunk under its crown).
    What a camera "under" it stands below."""
    name = state.blueprint.viewpoint
    if not name:
        return float(state.room.floor)

    def area(b) -> float:
        return float(np.prod(np.maximum(b[1][:2] - b[0][:2], 1e-3)))

    own = state.scene.get(name).bounds
    wide = [state.scene.get(n).bounds for n in pieces(state.scene, name)]
    return float(min([own[0][2]] + [b[0][2] for b in wide if area(b) >= SPREAD * area(own)]))


def _reach(state: SearchState) -> float:
    """How near the viewpoint object's box (horizontally) the camera stands: in a seat, beneath a thing, or at it."""
    if seated(state):
        return SEAT_REACH
    return UNDER_REACH if state.blueprint.viewpoint_part == "under" else VIEWPOINT_REACH


def at_viewpoint(state: SearchState, points) -> np.ndarray:
    """Per point: the camera stands at the blueprint's viewpoint object (within VIEWPOINT_REACH of its box,
    and no lower than its bottom: on the landing, not under it), in the part of it the blueprint names (of the
    subject's space when it names no object). All True without a viewpoint."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    bp = state.blueprint
    if not bp.viewpoint:
        return in_part(state, p) if bp.viewpoint_part else np.ones(len(p), bool)
    lo, hi = _box(state, bp.viewpoint)
    gap = np.maximum(0.0, np.maximum(lo[:2] - p[:, :2], p[:, :2] - hi[:2]))
    reach = _reach(state)
    level = p[:, 2] < _underside(state) if bp.viewpoint_part == "under" else p[:, 2] >= lo[2]
    return (np.hypot(gap[:, 0], gap[:, 1]) <= reach) & level & in_part(state, p)


SIDE_SHARE = 1 / 3  # a compass side of a place: the outer third of its extent that way
# its middle: the central two thirds each way ("from the middle of the room" is not its exact centre)
MIDDLE_SHARE = 2 / 3
END_DEPTH = 0.7  # metres: at a flight's foot or top, the camera stands this far onto it at most (or beyond its end)
END_SIDE = 0.3  # metres: ... and no farther than this beside its width
END_BEYOND = 0.6  # metres: ... nor, at its top, farther past it (a step back, the landing filled the frame)


def _place(state: SearchState) -> tuple[np.ndarray, np.ndarray]:
    """The box (lo, hi) of the place the camera stands in: the viewpoint object's, else the named space's (outdoors,
    :attr:`SearchState.place`), else the subject's room or walkable space."""
    if state.blueprint.viewpoint:
        return _box(state, state.blueprint.viewpoint)
    area = state.place if state.place is not None else state.area
    if state.room.interior:
        return own_room(state)
    if area is None or not area.mask.any():
        return state.room.lo, state.room.hi
    lo, hi = _area_box(area)
    return np.array([*lo, state.room.floor]), np.array([*hi, state.room.floor])


ROOM_RAYS = 180  # rays around the subject that find the walls of its own room
ROOM_EYE = 2.2  # metres over the floor they are cast at: over the furniture, under the door heads
WALL_STEP = 0.1  # metres: wall distances this close are one wall
ROOM_MARGIN = 0.1  # metres past its walls a point still counts as in the room
ROOM_STEP_IN = 0.6  # metres from the subject's centre toward the scene's middle where the rays start


def own_room(state: SearchState) -> tuple[np.ndarray, np.ndarray]:
    """Indoors, the box of the subject's own room, where one scene holds several (the gallery's front and back
    rooms; "the north-east corner of the main room" had been in the back room, behind a wall). From the subject's
    centre, level rays to each side: every ray that meets one wall square to that side measures the same distance,
    so the distance most rays measure is that wall, not the far wall seen through a doorway."""
    room = state.room
    # from a step into the scene (a door's or a painting's centre is in its wall), hits on the subject not counted
    inward = (room.lo[:2] + room.hi[:2]) / 2 - state.subject.centre[:2]
    step = min(ROOM_STEP_IN, float(np.hypot(*inward))) * inward / max(float(np.hypot(*inward)), 1e-9)
    centre = np.array([*(state.subject.centre[:2] + step), room.floor + ROOM_EYE])
    angle = np.linspace(0.0, 2 * math.pi, ROOM_RAYS, endpoint=False)
    ways = np.column_stack([np.cos(angle), np.sin(angle), np.zeros(ROOM_RAYS)])
    hits = scene_rays(state.scene).all.cast(np.tile(centre, (ROOM_RAYS, 1)), ways)
    own = np.isin(hits.ids, [state.scene.index(p) for n in state.subject.names for p in pieces(state.scene, n)])
    t = np.where(own, np.inf, hits.t.astype(float))
    lo, hi = room.lo.astype(float).copy(), room.hi.astype(float).copy()
    for side in photo_words.COMPASS.values():
        u = np.array([*side, 0.0])
        along = ways @ u
        seen = (along > math.cos(math.pi / 4)) & np.isfinite(t)
        reach = t[seen] * along[seen]
        if not len(reach):
            continue
        steps, counts = np.unique(np.round(reach / WALL_STEP), return_counts=True)
        wall = float(centre[:2] @ u[:2]) + float(steps[np.argmax(counts)]) * WALL_STEP
        axis = int(np.argmax(np.abs(u)))
        if u[axis] > 0:
            hi[axis] = min(hi[axis], wall)
        else:
            lo[axis] = max(lo[axis], -wall)
    return lo, hi


def _area_box(area) -> tuple[np.ndarray, np.ndarray]:
    """The XY box (lo, hi) of an area's reachable cells."""
    ys, xs = np.nonzero(area.mask)
    lo = area.origin + np.array([xs.min(), ys.min()]) * area.cell
    hi = area.origin + np.array([xs.max() + 1, ys.max() + 1]) * area.cell
    return lo, hi


def flight_down(state: SearchState) -> np.ndarray | None:
    """For a viewpoint that rises from one end to the other (a staircase), the unit XY direction of its long
    axis toward its low end (its foot); None for a level one."""
    return low_end(state.scene, state.blueprint.viewpoint)


def in_part(state: SearchState, points) -> np.ndarray:
    """Per point: in the part of the place the blueprint names (a compass side, the middle, a flight's foot or
    top: the outer SIDE_SHARE of its extent that way, the central MIDDLE_SHARE, a flight's last END_DEPTH in line
    with it, and beyond it: at its foot within reach, at its top up to END_BEYOND). All True without a part."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    part = state.blueprint.viewpoint_part
    if not part:
        return np.ones(len(p), bool)
    lo, hi = _place(state)
    c, ext = (lo[:2] + hi[:2]) / 2, (hi - lo)[:2]
    d = p[:, :2] - c
    inside = state.place.contains(p) if state.place is not None and not state.blueprint.viewpoint else True
    if state.room.interior and not state.blueprint.viewpoint:  # in the subject's own room, not beyond its wall
        inside = inside & np.all((p[:, :2] >= lo[:2] - ROOM_MARGIN) & (p[:, :2] <= hi[:2] + ROOM_MARGIN), axis=1)
    if part == "middle":
        return np.all(np.abs(d) <= ext * MIDDLE_SHARE / 2, axis=1) & inside
    if part == "under":  # beneath the place's bottom (a tree's crown, a canopy), within its reach
        return p[:, 2] < _underside(state)
    if all(side in photo_words.COMPASS for side in part.split("_")):  # a side, or a corner: both its sides
        ok = inside
        for side in part.split("_"):
            u = np.asarray(photo_words.COMPASS[side])
            ok = ok & (d @ u >= float(np.abs(ext @ u)) * (0.5 - SIDE_SHARE))
        return ok
    down = flight_down(state) if state.blueprint.viewpoint else None
    if down is None:  # a level place: its top is on it, its foot beside it
        return p[:, 2] >= hi[2] if part == "top" else p[:, 2] <= lo[2] + STANDING["high"]
    # a flight's foot (or top): at its end, on its last steps or just beyond them, in line with it (looking along it)
    u = down if part == "bottom" else -down
    v = np.array([-u[1], u[0]])
    end = float(np.abs(ext @ u)) / 2
    along = d @ u >= end - END_DEPTH
    if part == "top":  # a step back from the top, the floor hides the flight below; from its foot one sees more of it
        along &= d @ u <= end + END_BEYOND
    return along & (np.abs(d @ v) <= float(np.abs(ext @ v)) / 2 + END_SIDE)


NO_FOOTING = 0.6  # metres: a viewpoint this narrow both ways is stood beside, not on (a lamp post; not a door)


def viewpoint_positions(state: SearchState) -> np.ndarray:
    """Where a photographer stands at the viewpoint (an object, or a part of the subject's space): a grid over
    its box and around it, in the part the blueprint names, each point at standing height above the surface
    under it (on a landing: on the landing)."""
    lo, hi = _place(state)
    on_object = bool(state.blueprint.viewpoint)
    pad = _reach(state) * 0.8 if on_object else 0.0
    step = VIEWPOINT_STEP if on_object else max(VIEWPOINT_STEP, float(np.max(hi - lo)) / SPACE_STEPS)
    xs = np.arange(lo[0] - pad, hi[0] + pad + 1e-9, step)
    ys = np.arange(lo[1] - pad, hi[1] + pad + 1e-9, step)
    gx, gy = np.meshgrid(xs, ys)
    if on_object and float(np.max(hi[:2] - lo[:2])) < NO_FOOTING:  # a lamp post: beside it, never on top of it
        off = (gx < lo[0]) | (gx > hi[0]) | (gy < lo[1]) | (gy > hi[1])
        gx, gy = gx[off], gy[off]
    # on an object, from above it (a landing); in a space, from a raised hand (under a tree's crown, not on it)
    top = max(float(hi[2]), state.room.floor) + 2.5 if on_object else state.room.floor + STANDING["high"]
    if state.blueprint.viewpoint_part == "under":
        top = _underside(state) - 0.05  # on the ground beneath it, not on its top
    probe = np.column_stack([gx.ravel(), gy.ravel(), np.full(gx.size, top)])
    if state.room.ceiling is not None:
        probe[:, 2] = min(top, state.room.ceiling - 0.05)
    ground = ground_height_below_batch(state.scene, probe)
    ground = np.where(np.isnan(ground), state.room.floor, ground)
    z = ground + (state.blueprint.height_m or STANDING.get(state.blueprint.angle, 1.6))
    if state.room.interior:  # "about 3 m up, just under the ceiling": as near it as a camera may be
        z = np.minimum(z, _ceiling_over(state, probe[:, :2], ground) - UNDER_CEILING)
    if seated(state) and "angle" not in state.blueprint.explicit and state.blueprint.height_m is None:
        z = np.full(len(probe), state.room.floor + SEATED_EYE)  # sitting on it, not standing on its cushions
    points = np.column_stack([probe[:, :2], z])
    keep = in_part(state, points)
    return points[keep] if keep.any() else points


CEILING_ABOVE = 2.0  # metres over the ground: a surface this high above a spot is the ceiling there, not furniture


def _ceiling_over(state: SearchState, xy: np.ndarray, ground: np.ndarray) -> np.ndarray:
    """The ceiling's height over each spot (its own: under a gallery's skylight it is higher than in the corner),
    from a ray straight up; the room's where nothing is hit."""
    start = np.column_stack([xy, ground + CEILING_ABOVE]).astype(np.float32)
    hit = scene_rays(state.scene).all.cast(start, np.tile(np.float32([0, 0, 1]), (len(xy), 1)))
    room = state.room.ceiling if state.room.ceiling is not None else np.inf
    return np.where(np.isfinite(hit.t), start[:, 2] + hit.t, room)


def seated(state: SearchState) -> bool:
    """The intent's viewpoint is a seat ("from the sofa"): the camera is a seated eye, its height counted from the
    floor (a photographer does not stand on the cushions)."""
    vp = state.blueprint.viewpoint
    return bool(vp) and state.scene.get(vp).label in SEATS


LOW_SUBJECT = 0.35  # metres: a subject no taller than this above the floor (a rug, a mat) lies on the ground
FLOOR_LOOK_PITCH = (-60.0, 7.0)  # at eye level, a camera looks down at such a subject as far as this
EYE_HEIGHTS = (1.0, 1.9)  # metres above the floor: a seated or standing eye


def low_subject(state: SearchState) -> bool:
    """The subject lies on the ground (a rug): "eye level" is then where the camera is, a person's eye, looking
    down at it; held level, an eye-level camera would have to lie on the floor."""
    return float(state.subject.hi[2]) - state.room.floor <= LOW_SUBJECT


def angle_read(state: SearchState, pitch_deg: float, height_m: float) -> str:
    """The angle a camera reads as for this blueprint: :func:`agentvision.camera.angle_of`, except that a
    person's eye looking down at a subject on the ground (not straight down) is eye level."""
    if low_subject(state) and EYE_HEIGHTS[0] <= height_m <= EYE_HEIGHTS[1] and pitch_deg > TOP_DOWN_PITCH:
        return "eye_level"
    return angle_of(pitch_deg, height_m)


def eye_height(scene, position, floor: float) -> float | None:
    """The camera's height above what the photographer stands on: the first surface below, except over a seat
    (a sofa, a chair, a bench), where the photographer sits and the height counts from the floor ``floor``.
    None over the void."""
    p = np.asarray(position, np.float32).reshape(1, 3)
    hit = scene_rays(scene).all.cast(p, np.float32([[0.0, 0.0, -1.0]]))
    if not np.isfinite(hit.t[0]) or hit.ids[0] < 0:
        return None
    if scene.objects[int(hit.ids[0])].label in SEATS:
        return float(p[0, 2] - floor)
    return float(hit.t[0])


def preferred_direction(state: SearchState) -> np.ndarray:
    """Unit XY direction from the subject toward where a photographer would stand by default."""
    scene, c = state.scene, state.subject.centre
    room_centre = (state.room.lo + state.room.hi) / 2 if state.room.interior else scene.bounds.mean(axis=0)
    d = (room_centre - c)[:2]
    if np.linalg.norm(d) < 0.5 and scene.default_view:
        d = (np.asarray(scene.default_view["position"]) - c)[:2]
    n = np.linalg.norm(d)
    return d / n if n > 1e-6 else np.array([0.0, -1.0])


THIN = 0.25  # a subject this much thinner one way than the other, seen from above, is flat: it faces its thin side


def front_of(state: SearchState) -> np.ndarray:
    """The subject's front, a unit XY vector: a flat subject (a door, a painting, a shelf) faces along its thin
    side into the room; anything else faces away from the wall it stands against (a sofa by the wall), else toward
    where a visitor sees it from (the room's middle, or the scene's overview)."""
    subj, rays = state.subject, scene_rays(state.scene).all
    extent = (subj.hi - subj.lo)[:2]
    thin = int(np.argmin(extent))
    if extent[thin] < THIN * extent[1 - thin]:
        # flat (a door, a window, a painting, a shelf): it faces along its thin side, into the room; set in a
        # wall, the probes below meet the wall beside it and had turned a door's front 30-60 degrees off
        axis = np.eye(2)[thin]
        return axis if float(axis @ preferred_direction(state)) >= 0 else -axis
    cab = _vehicle_front(state)
    if cab is not None:
        return cab
    c = subj.centre.copy()
    c[2] = min(float(subj.hi[2]) - 0.05, max(float(subj.lo[2]) + 0.05, state.room.floor + 1.0))
    own = {state.scene.index(n) for n in subj.names}
    best, direction = None, None
    for k in range(16):
        a = 2 * math.pi * k / 16
        u = np.array([math.cos(a), math.sin(a), 0.0])
        # the subject's own extent along u, then what lies just beyond it
        reach = float(np.max(np.abs((subj.corners() - subj.centre) @ u)))
        o = (c + u * (reach + 0.02)).astype(np.float32)[None]
        hit = rays.cast(o, u.astype(np.float32)[None])
        if np.isfinite(hit.t[0]) and int(hit.ids[0]) not in own and hit.t[0] < 0.6:
            # nearest from the subject's centre: a diagonal probe starts past the box's corner, maybe already
            # inside the wall (a bookshelf against the east wall had faced south-south-west, 67 degrees off)
            dist = reach + 0.02 + float(hit.t[0])
            if best is None or dist < best:
                best, direction = dist, -u[:2]
    return direction if direction is not None else _face_toward(state, preferred_direction(state))


SQUARE_SIDES = 0.5  # how square a thing's walls must stand to one another (resultant of 4 x their azimuths)


def _face_toward(state: SearchState, way: np.ndarray) -> np.ndarray:
    """The outward normal of the subject's walls nearest a direction: a free-standing thing with square sides and no
    other known front faces the visitor with one of them, so that a three-quarter view ("corner on so u see 2
    sides") sees two (the grey building, turned 37 degrees, had its front toward the overview, across a corner, and
    its three-quarter view was one wall seen square). A round thing keeps the direction."""
    normals, areas = [], []
    for name in state.subject.names:
        mesh = state.scene.get(name).mesh
        upright = np.abs(mesh.face_normals[:, 2]) < 0.3
        normals.append(mesh.face_normals[upright, :2])
        areas.append(mesh.area_faces[upright])
    n, a = np.vstack(normals), np.concatenate(areas)
    if not a.sum():
        return way
    quad = np.sum(a * np.exp(4j * np.arctan2(n[:, 1], n[:, 0]))) / a.sum()  # walls at 90 degrees agree
    if abs(quad) < SQUARE_SIDES:
        return way
    base = np.angle(quad) / 4
    sides = [base + k * math.pi / 2 for k in range(4)]
    best = max(sides, key=lambda t: math.cos(t) * way[0] + math.sin(t) * way[1])
    return np.array([math.cos(best), math.sin(best)])


VEHICLES = ("truck", "van", "car", "bus", "lorry", "tractor", "vehicle", "tram", "train", "wagon")
CAB_END, CAB_DROP = 0.2, 0.15  # the outer share of a vehicle's length at each end, and how much lower a cab is


def _vehicle_front(state: SearchState) -> np.ndarray | None:
    """A vehicle's front, a unit XY vector: the end of its long axis (found from its shape, whatever its turn)
    whose top is lower by CAB_DROP of its height or more (a truck's cab and bonnet before its box). None for
    anything else, or a vehicle the same height at both ends. The milk truck's front had been guessed from where a
    visitor stands, and "the back of the truck" showed its front."""
    names = state.subject.names
    if len(names) != 1 or not any(v in state.scene.get(names[0]).label for v in VEHICLES):
        return None
    pts = np.asarray(state.scene.get(names[0]).mesh.vertices, dtype=float)
    xy = pts[:, :2] - pts[:, :2].mean(axis=0)
    axis = np.linalg.eigh(np.cov(xy.T))[1][:, -1]
    s = xy @ axis
    span = float(s.max() - s.min())
    tops = [pts[s <= s.min() + CAB_END * span, 2].max(), pts[s >= s.max() - CAB_END * span, 2].max()]
    height = float(pts[:, 2].max() - pts[:, 2].min())
    if abs(tops[0] - tops[1]) < CAB_DROP * height:
        return None
    return -axis if tops[0] < tops[1] else axis


def _azimuth_gap(a: np.ndarray, b: float) -> np.ndarray:
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


def farthest(state: SearchState) -> float:
    """How far from the subject a camera can stand at most in its space (the walkable area, else the room)."""
    c = state.subject.centre[:2]
    if state.area is not None and state.area.mask.any():
        ys, xs = np.nonzero(state.area.mask)
        cells = state.area.origin + (np.column_stack([xs, ys]) + 0.5) * state.area.cell
        return float(np.max(np.linalg.norm(cells - c, axis=1)))
    lo, hi = state.room.lo[:2], state.room.hi[:2]
    corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
    return float(np.max(np.linalg.norm(corners - c, axis=1)))


def vantage_gap(state: SearchState, points) -> np.ndarray:
    """Per point: degrees between its azimuth about the centre of what the frame holds and the blueprint's vantage
    ("front", "side", "three_quarter", "raking", "back": from the subject's front). Round what the frame holds:
    "the dresser and the bookshelf, straight on" faces the pair, not the dresser."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    vantage, c, f = state.blueprint.vantage, state.frame.centre, front_of(state)
    d = p[:, :2] - c[:2]
    az = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
    front = math.degrees(math.atan2(f[1], f[0]))
    offset = VANTAGE_AZIMUTH[vantage][0]
    gap = _azimuth_gap(az, front + offset)
    if vantage in ("side", "three_quarter", "raking"):
        gap = np.minimum(gap, _azimuth_gap(az, front - offset))
    return gap


def at_vantage(state: SearchState, points) -> np.ndarray:
    """Per point: the camera stands where the blueprint's vantage says (its azimuth about the centre of what the
    frame holds, from the subject's front; "across": at least ACROSS of the farthest a camera can stand from the
    subject). All True without a vantage."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    vantage = state.blueprint.vantage
    if not vantage:
        return np.ones(len(p), bool)
    if vantage in VANTAGE_AZIMUTH:
        return vantage_gap(state, p) <= VANTAGE_AZIMUTH[vantage][1]
    d = p[:, :2] - state.subject.centre[:2]
    dist = np.hypot(d[:, 0], d[:, 1])
    if vantage == "across":
        return dist >= ACROSS * farthest(state)
    # corner: near a corner of the room (indoors) or of the walkable area (outdoors)
    if state.room.interior:
        lo, hi = state.room.lo[:2], state.room.hi[:2]
    elif state.area is not None:
        lo, hi = _area_box(state.area)
    else:
        return np.ones(len(p), bool)
    corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
    near = np.min(np.linalg.norm(p[:, None, :2] - corners[None], axis=2), axis=1)
    return near <= CORNER


# the azimuth of each compass direction, degrees counter-clockwise from east (+X): north 90, north-east 45 ...
FACING_AZIMUTH = {f: (90.0 - 45.0 * k + 180.0) % 360.0 - 180.0 for k, f in enumerate(FACINGS)}


def facing_vector(facing: str) -> np.ndarray:
    """The unit XY vector of a compass direction (FACINGS)."""
    a = math.radians(FACING_AZIMUTH[facing])
    return np.array([math.cos(a), math.sin(a)])


def faces(state: SearchState, points, forwards=None, tolerance: float | None = None) -> np.ndarray:
    """Per camera: it faces the blueprint's compass direction (within ``tolerance`` degrees, by default the search's
    :attr:`SearchState.facing_tolerance`): its forward, when
    given, else the way from its position to what it aims at (:attr:`SearchState.aim_at`). A camera looking
    straight down faces no way, and passes. All True without a direction."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    if not state.blueprint.facing:
        return np.ones(len(p), bool)
    d = np.asarray(forwards, dtype=float).reshape(-1, 3) if forwards is not None else state.aim_at.centre - p
    level = np.hypot(d[:, 0], d[:, 1])
    az = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
    straight_down = level < 0.1 * np.abs(d[:, 2])
    tolerance = state.facing_tolerance if tolerance is None else tolerance
    return (_azimuth_gap(az, FACING_AZIMUTH[state.blueprint.facing]) <= tolerance) | straight_down


def facing_words(facing: str) -> str:
    """'facing north-east'."""
    return f"facing {facing.replace('_', '-')}"


def describe(state: SearchState) -> str:
    """Where the blueprint puts the camera, in words (for notes and rule messages)."""
    bp = state.blueprint
    if bp.standpoint_named:
        return standpoint_words(bp.viewpoint, bp.viewpoint_part)
    return vantage_words(bp.vantage)


def vantage_words(vantage: str | None) -> str:
    """Where around the subject a vantage puts the camera, in words."""
    return {
        "front": "straight on, in front of the subject",
        "three_quarter": "at three-quarters, 45 degrees off the subject's front",
        "raking": "near one end of the subject, looking along its length (about 70 degrees off its front)",
        "back": "behind the subject",
        "side": "to the subject's side",
        "across": "across the space from the subject",
        "corner": "in a corner of the room",
    }.get(vantage or "", "anywhere")
