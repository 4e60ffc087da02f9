"""Shared furnishings for the scene library, modelled at the origin, front facing +Y (move them with
:func:`agentvision.scene.shapes.placed`)."""

from __future__ import annotations

import numpy as np

from agentvision.scene.shapes import (
    Vec,
    box_between,
    cylinder,
    ellipsoid,
    lathe,
    lumpy_sphere,
    placed,
    rotated,
    rotation,
    rounded_box,
    transformed,
)


def potted_plant(height: float = 1.1, pot_radius: float = 0.2, leaves: int = 16, seed: int = 0):
    """(foliage, pot) parts of a leafy house plant standing on the origin."""
    pot_h = 0.32 * height
    r = pot_radius
    pot = [
        lathe([(0, 0), (0.72 * r, 0), (r, pot_h * 0.92), (r * 1.08, pot_h * 0.92), (r * 1.08, pot_h), (0, pot_h)]),
    ]
    rng = np.random.default_rng(seed)
    foliage = [lumpy_sphere(0.55 * r, (0, 0, pot_h + 0.35 * r), seed=seed + 1, roughness=0.2, detail=1)]
    golden = np.radians(137.5)
    for i in range(leaves):
        yaw = i * golden + rng.uniform(-0.2, 0.2)
        tilt = np.radians(15 + 55 * (i / leaves) + rng.uniform(-8, 8))  # inner leaves upright, outer ones arching
        length = (height - pot_h) * (0.55 + 0.35 * (1 - i / leaves)) * rng.uniform(0.85, 1.1)
        leaf = ellipsoid((0.12 * length, 0.018, length / 2), (0, 0, length / 2), detail=1)
        m = rotation(np.degrees(yaw)) @ rotation(np.degrees(tilt), (0, 1, 0))  # tilt off the axis, then turn
        m[:3, 3] = (0, 0, pot_h * 0.95)
        foliage.append(transformed(leaf, m))
    return foliage, pot


def framed_canvas(width: float, height: float, frame: float = 0.05, depth: float = 0.04):
    """(canvas, frame) parts of a picture hung flat on a wall: local y is out of the wall, z up, centred."""
    canvas = [box_between((-width / 2, 0.0, -height / 2), (width / 2, depth * 0.6, height / 2))]
    w, h = width / 2 + frame, height / 2 + frame
    bars = [
        box_between((-w, 0, -h), (w, depth, -height / 2)),
        box_between((-w, 0, height / 2), (w, depth, h)),
        box_between((-w, 0, -height / 2), (-width / 2, depth, height / 2)),
        box_between((width / 2, 0, -height / 2), (w, depth, height / 2)),
    ]
    return canvas, bars


def rug(width: float, length: float, center: Vec, yaw_deg: float = 0.0, thickness: float = 0.012):
    """A flat rug lying on the floor (z=0)."""
    return placed(box_between((-width / 2, -length / 2, 0), (width / 2, length / 2, thickness)), center, yaw_deg)


def shade(r_bottom: float, r_top: float, height: float, base: Vec = (0, 0, 0), wall: float = 0.006, sections: int = 32):
    """A lamp shade: a thin-walled frustum open at both ends (the bulb inside lights up and down)."""
    profile = [(r_bottom - wall, 0), (r_bottom, 0), (r_top, height), (r_top - wall, height)]
    return lathe(profile, base, sections)


def upholstered(length: float, depth: float, seats: int, arm: float = 0.2, pillows: bool = True) -> dict[str, list]:
    """Sofa or armchair parts facing +Y: ``fabric`` (a plinth, arms, a back, seat and back cushions), ``legs``
    and ``pillows``."""
    half_l, half_d = length / 2, depth / 2
    leg_h, base_top, seat_top, arm_top, back_top = 0.1, 0.3, 0.45, 0.62, 0.84
    fabric = [
        rounded_box((length, depth, base_top - leg_h), 0.03, (0, 0, (leg_h + base_top) / 2)),
        rounded_box((length, 0.2, back_top - leg_h), 0.05, (0, -half_d + 0.1, (leg_h + back_top) / 2)),
    ]
    for sx in (-1, 1):
        fabric.append(
            rounded_box((arm, depth, arm_top - leg_h), 0.06, (sx * (half_l - arm / 2), 0, (leg_h + arm_top) / 2))
        )
    inner = length - 2 * arm
    w = inner / seats
    for i in range(seats):
        cx = -inner / 2 + w * (i + 0.5)
        fabric.append(
            rounded_box(
                (w - 0.015, depth - 0.22, seat_top - base_top + 0.02), 0.05, (cx, 0.1, (base_top + seat_top) / 2)
            )
        )
        back = rounded_box((w - 0.02, 0.17, 0.4), 0.06, (0, 0, 0))
        back = rotated(back, -12, (1, 0, 0))
        fabric.append(back.apply_translation((cx, -half_d + 0.28, seat_top + 0.2)))
    legs = [
        cylinder(0.025, leg_h, (sx * (half_l - 0.07), sy * (half_d - 0.07), 0), 10) for sx in (-1, 1) for sy in (-1, 1)
    ]
    extras = []
    if pillows:
        for sx in (-1, 1):
            p = rounded_box((0.42, 0.14, 0.4), 0.07, (0, 0, 0))
            p = rotated(rotated(p, -18, (1, 0, 0)), sx * 12, (0, 0, 1))
            extras.append(p.apply_translation((sx * (inner / 2 - 0.26), -half_d + 0.42, seat_top + 0.2)))
    return {"fabric": fabric, "legs": legs, "pillows": extras}
