"""Shading shared by the engines: material tables, sky with a sun disc, tone mapping.

Everything here works in linear RGB (see :mod:`agentvision.conventions`) until
:func:`tone_map`, which applies exposure, a filmic curve and the sRGB encoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agentvision.conventions import REC709_LUMA, linear_to_srgb
from agentvision.scene.model import Lighting, Scene

SUN_DISC_COS = np.cos(np.radians(0.6))
# Ambient light on a surface: ambient * (AMBIENT_FLAT + AMBIENT_UP * n_z) (sky from above, less from below).
AMBIENT_FLAT, AMBIENT_UP = 0.6, 0.4
# A glass pane shows the sky beyond it times (GLASS_TINT[0] + GLASS_TINT[1] * its albedo).
GLASS_TINT = (0.35, 0.55)
SUN_GLOW_SHARPNESS = 600.0


@dataclass
class MaterialTable:
    """Per-object material arrays, indexed by object id + 1 (row 0 is the background)."""

    albedo: np.ndarray  # (N+1, 3) base colour factors (maps and vertex colours multiply them per hit)
    roughness: np.ndarray  # (N+1,)
    emissive: np.ndarray  # (N+1, 3), lamps already switched by the lighting
    glass: np.ndarray  # (N+1,) bool
    metallic: np.ndarray  # (N+1,)


def material_table(scene: Scene) -> MaterialTable:
    lamps_on = scene.lighting is not None and scene.lighting.lamps_on
    lamp_objects = scene.lamp_objects
    rows = [(0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, False, 0.0)]
    for obj in scene.objects:
        m = obj.material
        lit = lamps_on or obj.name not in lamp_objects
        rows.append((*m.base_color, m.roughness, *(m.emissive if lit else (0.0, 0.0, 0.0)), m.glass, m.metallic))
    a = np.array(rows, dtype=np.float32)
    return MaterialTable(a[:, 0:3], a[:, 3], a[:, 4:7], a[:, 7].astype(bool), a[:, 8])


def sky_radiance(lighting: Lighting, directions: np.ndarray) -> np.ndarray:
    """Sky seen along unit directions (N, 3), with the sun's disc and glow when it is up."""
    rgb = lighting.sky.radiance(directions)
    sun = lighting.sun
    if sun.intensity > 0 and sun.elevation_deg > -1.0:
        cos = directions @ np.asarray(sun.direction, dtype=np.float32)
        glow = np.exp((np.clip(cos, -1, 1) - 1.0) * SUN_GLOW_SHARPNESS)[:, None] * 0.6
        disc = (cos > SUN_DISC_COS)[:, None] * 30.0
        rgb = rgb + (glow + disc) * (np.asarray(sun.color, dtype=np.float32) * sun.intensity)
    return rgb


def ambient_factor(n_z: np.ndarray) -> np.ndarray:
    """How much of the ambient light reaches a surface whose normal has vertical component ``n_z``."""
    return AMBIENT_FLAT + AMBIENT_UP * np.clip(n_z, -1.0, 1.0)


def glass_radiance(lighting: Lighting, directions: np.ndarray, albedo: np.ndarray) -> np.ndarray:
    """What a glass pane shows along ``directions``: the sky beyond, tinted by the glass colour."""
    return sky_radiance(lighting, directions) * (GLASS_TINT[0] + GLASS_TINT[1] * albedo)


def aces(x: np.ndarray) -> np.ndarray:
    """Narkowicz's fit of the ACES filmic curve: linear scene light -> display linear [0, 1]."""
    return np.clip((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0)


# Metering: like a camera's meter, a render's exposure moves part of the way (in stops) from the
# preset's exposure toward the one that brings the frame's log-average luminance to the preset's
# key. 0 would be a fixed exposure per time of day, 1 full auto-exposure (which would turn dusk
# into day); the correction is bounded to +-1 stop.
METERING = 0.5
METER_LIMIT = 2.0
LUMA = np.array(REC709_LUMA, dtype=np.float32)


def metered_exposure(radiance: np.ndarray, exposure: float, key: float | None) -> float:
    """The exposure a render uses: the preset's, corrected toward its key (see METERING)."""
    if key is None:
        return float(exposure)
    lum = np.asarray(radiance, dtype=np.float32).reshape(-1, 3) @ LUMA
    log_avg = float(np.exp(np.mean(np.log(1e-4 + aces(lum * exposure)))))
    factor = np.clip((key / max(log_avg, 1e-4)) ** METERING, 1 / METER_LIMIT, METER_LIMIT)
    return float(exposure * factor)


def tone_map(radiance: np.ndarray, exposure: float, key: float | None = None) -> np.ndarray:
    """Linear radiance (..., 3) -> sRGB uint8 through (metered) exposure and the filmic curve."""
    radiance = np.asarray(radiance, dtype=np.float32)
    exposure = metered_exposure(radiance, exposure, key)
    srgb = linear_to_srgb(aces(radiance * np.float32(exposure)))
    return (srgb * 255.0 + 0.5).astype(np.uint8)
