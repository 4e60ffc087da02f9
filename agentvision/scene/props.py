"""Shared furnishings for the scene library, modelled at the origin, front facing +Y (move them with
:func:`agentvision.scene.shapes.placed`)."""

from __future__ import annotations

import numpy as np

from agentvision.scene.shapes import Vec, box_between, ellipsoid, lathe, lumpy_sphere, placed, rotation, transformed


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
