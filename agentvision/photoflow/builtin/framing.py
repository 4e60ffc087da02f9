"""Photographic framing maths: distance for a shot size, aiming for a placement,
and camera heights for an angle. Pure functions over numbers and Cameras."""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import TOP_DOWN_PITCH, Camera
from agentvision.photoflow.search import Subject

UNDER_CEILING = 0.35  # metres: the camera's eye stays this far below a room's ceiling

# The one convention for how big a shot size is: the share of the frame's width or height (whichever
# it fills more) that the subject, with its context, spans. A close-up fills the frame, a wide shot
# leaves room around. Anchors fit their lens to it and the Reviewer measures photos against it.
SHOT_FILL = {"close_up": 0.9, "medium": 0.75, "wide": 0.7, "establishing": 0.45}

# Camera height above the floor (metres) per angle, and the extra metres for a high view.
EYE_HEIGHT = 1.6
LOW_HEIGHT = 0.45
HIGH_EXTRA = 1.2


def fill_distance(radius: float, camera: Camera, fill: float) -> float:
    """Distance at which a sphere of ``radius`` spans ``fill`` of the frame's shorter side (a first guess
    at how far to stand: the sphere is rounder than the box, so lenses are fitted afterwards)."""
    half = math.radians(min(camera.fov_deg)) / 2
    return radius / max(1e-6, math.tan(half) * fill)


MIN_FOCAL, MAX_FOCAL = 16.0, 200.0


def fit_focal(camera: Camera, subject: Subject, fill: float) -> float:
    """Focal length (mm) at which the subject's box spans ``fill`` of the frame along its tighter
    side, seen from ``camera``'s position and direction (clipped to 16..200 mm). Offsets are measured from the
    frame's centre, ``look_at`` (off the optical axis for an upright camera's shifted lens)."""
    basis, eye = camera.basis(), np.asarray(camera.position)
    pc = (subject.corners() - eye) @ basis.T
    z = np.maximum(pc[:, 2], 0.05)
    centre = basis @ (np.asarray(camera.look_at) - eye)
    cx, cy = centre[:2] / max(centre[2], 1e-6)
    need_x = float(np.max(np.abs(pc[:, 0] / z - cx))) / fill  # tan of the half field of view needed
    need_y = float(np.max(np.abs(pc[:, 1] / z - cy))) / fill
    r = camera.width / camera.height
    if r >= 1:  # the long side is horizontal: tan(half_w) = 18 / f, tan(half_h) = tan(half_w) / r
        focal = min(18.0 / max(need_x, 1e-6), 18.0 / max(need_y * r, 1e-6))
    else:
        focal = min(18.0 / max(need_y, 1e-6), 18.0 * r / max(need_x, 1e-6))
    return float(np.clip(focal, MIN_FOCAL, MAX_FOCAL))


def aim(camera: Camera, point: np.ndarray, target: tuple[float, float], iterations: int = 4) -> Camera:
    """Turn ``camera`` (same position) so that ``point`` projects at the normalised ``target``."""
    cam = camera
    for _ in range(iterations):
        uv, z = cam.project(np.asarray(point)[None])
        if not np.isfinite(uv).all() or z[0] <= 0:
            cam = cam.replace(look_at=tuple(point))
            continue
        du = uv[0, 0] - target[0] * cam.width
        dv = uv[0, 1] - target[1] * cam.height
        if abs(du) < 0.25 and abs(dv) < 0.25:
            break
        cam = turn(cam, du, dv)
    return cam


def turn(camera: Camera, du: float, dv: float) -> Camera:
    """The camera turned (same position) so that what was ``du, dv`` pixels off centre moves to it."""
    right, down, _ = camera.basis()
    dist = float(np.linalg.norm(np.subtract(camera.look_at, camera.position)))
    look = np.asarray(camera.look_at) + (right * du + down * dv) * dist / camera.focal_px
    return camera.replace(look_at=tuple(look))


def pitched(camera: Camera, degrees: float) -> Camera:
    """The camera tilted ``degrees`` up (negative: down) about its own position, its heading kept (within
    +-85 degrees of level)."""
    d = np.subtract(camera.look_at, camera.position)
    horiz = float(np.hypot(d[0], d[1]))
    if horiz < 1e-6:
        return camera
    pitch = math.degrees(math.atan2(d[2], horiz)) + degrees
    pitch = max(-85.0, min(85.0, pitch))
    look = np.asarray(camera.position) + [d[0], d[1], horiz * math.tan(math.radians(pitch))]
    return camera.replace(look_at=tuple(look))


def box_distance(subject: Subject, points) -> np.ndarray:
    """Per point: the level distance (metres) from the subject's box, 0 over it ("about 3 m from the bench")."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)[:, :2]
    gap = np.maximum(np.maximum(subject.lo[:2] - p, p - subject.hi[:2]), 0.0)
    return np.hypot(gap[:, 0], gap[:, 1])


PLAN_TOP_DEG = {"east": 0.0, "north": 90.0, "west": 180.0, "south": 270.0}  # counter-clockwise from +X


def squared_to_axes(camera: Camera, top: str | None = None) -> Camera:
    """A camera looking straight down (a plan view, a flat-lay), rolled so that the frame's edges run with the
    scene's x and y axes (a room's walls, the tables along them), with ``top`` (a compass side, PLAN_TOP_DEG) at the
    frame's top when given, else the nearest side. Looking straight down, the frame's turn follows the aim's last
    few centimetres; a camera with a horizon is returned as it is."""
    if camera.pitch_deg > TOP_DOWN_PITCH:
        return camera
    level = camera.replace(roll_deg=0.0)

    def off(roll: float) -> float:  # degrees between the frame's up and the side wanted (or the nearest axis)
        up = -level.replace(roll_deg=roll).basis()[1]
        turn = math.degrees(math.atan2(up[1], up[0]))
        if top is None:
            return abs((turn + 45.0) % 90.0 - 45.0)
        return abs((turn - PLAN_TOP_DEG[top] + 180.0) % 360.0 - 180.0)

    up = -level.basis()[1]
    now = math.degrees(math.atan2(up[1], up[0]))
    goal = PLAN_TOP_DEG[top] if top else round(now / 90.0) * 90.0
    turn = (now - goal + 180.0) % 360.0 - 180.0
    roll = min((turn, -turn), key=off)
    for _ in range(3):  # the frame's plane is not quite level: a few corrections of what is left
        left = off(roll)
        roll = min((roll + left, roll - left), key=off)
    return level.replace(roll_deg=round(roll, 3))


def height_for_angle(angle: str, floor: float, subject: Subject, ceiling: float | None) -> float:
    """Camera height (world z) for an angle, kept below the ceiling in rooms."""
    if angle == "low":
        z = floor + LOW_HEIGHT
    elif angle == "high":
        z = max(floor + EYE_HEIGHT + HIGH_EXTRA, subject.hi[2] + 0.8)
    elif angle == "top_down":
        z = subject.hi[2] + max(2.0, subject.radius * 1.8)
    else:
        z = floor + EYE_HEIGHT
    if ceiling is not None:
        z = min(z, ceiling - UNDER_CEILING)
    return float(z)


def camera_height(bp, floor: float, subject: Subject, ceiling: float | None) -> float:
    """Camera height (world z) for the blueprint: the height the intent gave in metres above the floor or ground
    ("camera at about 1.2 m"), else the usual height of its angle; kept below the ceiling in rooms."""
    if bp.height_m is None:
        return height_for_angle(bp.angle, floor, subject, ceiling)
    z = floor + bp.height_m
    return float(min(z, ceiling - UNDER_CEILING) if ceiling is not None else z)


ASKED_OFF, ASKED_OFF_SHARE = 0.3, 0.25  # metres, or share of what was asked, a camera may be off a height or distance


def near_asked(metres: float | np.ndarray, asked_m: float) -> bool | np.ndarray:
    """A camera's height above what it stands on, or its distance from the subject (one value or an array), is at
    the one the intent gave, give or take ASKED_OFF or ASKED_OFF_SHARE of it."""
    return np.abs(np.asarray(metres) - asked_m) <= max(ASKED_OFF, ASKED_OFF_SHARE * asked_m)


def orbit_point(position: np.ndarray, centre: np.ndarray, degrees: float) -> np.ndarray:
    """``position`` turned ``degrees`` about the vertical axis through ``centre`` (counter-clockwise from above)."""
    a = math.radians(degrees)
    rel = np.asarray(position, dtype=float) - centre
    return centre + [rel[0] * math.cos(a) - rel[1] * math.sin(a), rel[0] * math.sin(a) + rel[1] * math.cos(a), rel[2]]


def scale_about(position: np.ndarray, centre: np.ndarray, factor: float) -> np.ndarray:
    """``position`` ``factor`` times as far from ``centre`` horizontally, at the same height."""
    out = np.asarray(position, dtype=float).copy()
    out[:2] = centre[:2] + (out[:2] - centre[:2]) * factor
    return out


def line_beyond(
    subject_xy, origin_xy, distances, offsets, z: float
) -> tuple[list[list[float]], list[tuple[float, float]]]:
    """Positions on the line from the subject through ``origin_xy`` (an opening, a thing up front), ``distances``
    metres past the origin and ``offsets`` metres to its side, at height ``z``; and per position (azimuth from the
    subject in degrees, level distance from it), as the anchors keep them."""
    subject_xy, origin_xy = np.asarray(subject_xy, dtype=float)[:2], np.asarray(origin_xy, dtype=float)[:2]
    u = (origin_xy - subject_xy) / max(float(np.linalg.norm(origin_xy - subject_xy)), 1e-6)
    side = np.array([-u[1], u[0]])
    az = math.degrees(math.atan2(u[1], u[0]))
    positions, meta = [], []
    for t in distances:
        for off in offsets:
            xy = origin_xy + u * t + side * off
            positions.append([float(xy[0]), float(xy[1]), z])
            meta.append((az, float(np.linalg.norm(xy - subject_xy))))
    return positions, meta
