"""Time-of-day lighting presets: sun, sky, ambient light, exposure and lamps.

Sun azimuths follow :mod:`agentvision.conventions` (counter-clockwise from +X). Compass: +X is
east, +Y is north, so the sun rises near azimuth 0, stands in the south (270) at noon and sets
near 180. The morning sun stands in the south-east and the afternoon sun in the south-west, as in the
mid-latitudes' most of the year: a south window takes the morning sun, a west one the afternoon's and
the evening's. Colours are linear RGB; hex codes below are sRGB as a designer picks them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from agentvision.conventions import REC709_LUMA, direction_from_angles, hex_to_linear
from agentvision.scene.model import Lighting, Scene, SceneError, Sky, Sun
from agentvision.scene.textures import mean_color

TIMES = ("dawn", "morning", "noon", "afternoon", "golden_hour", "dusk", "blue_hour", "night")
DEFAULT_TIME = "noon"
ALIASES = {
    "sunrise": "dawn",
    "midday": "noon",
    "day": "noon",
    "daytime": "noon",
    "golden": "golden_hour",
    "golden hour": "golden_hour",
    "sunset": "golden_hour",
    "evening": "dusk",
    "twilight": "dusk",
    "blue": "blue_hour",
    "blue hour": "blue_hour",
    "midnight": "night",
    "nighttime": "night",
    "early_morning": "dawn",
}


@dataclass(frozen=True)
class Preset:
    sun_azimuth: float  # degrees CCW from +X (east)
    sun_elevation: float  # degrees; negative is below the horizon
    sun_color: str  # sRGB hex
    sun_intensity: float
    zenith: str
    horizon: str
    ground: str
    ambient: str
    ambient_strength: float
    exposure: float
    lamps_on: bool
    key: float  # metering target: the log-average display luminance a photo of this time aims for
    indoor: float = 1.0  # the share of the ambient light that a closed room gets (through its windows)


PRESETS: dict[str, Preset] = {
    "dawn": Preset(330, 7, "#ffb98a", 1.6, "#6f86b8", "#f3b9a0", "#3a3530", "#9aa6c8", 0.35, 1.5, False, 0.13),
    "morning": Preset(320, 26, "#fff0dc", 2.8, "#5d8fd6", "#cfe0f2", "#5a5246", "#c4d2e8", 0.55, 0.8, False, 0.18),
    "noon": Preset(250, 62, "#fffaf2", 3.0, "#3f78d0", "#bcd6f2", "#6a6050", "#ccd8ea", 0.6, 0.65, False, 0.2),
    "afternoon": Preset(215, 34, "#fff0d8", 2.9, "#4a82d2", "#c8dcf0", "#625846", "#ccd6e6", 0.55, 0.72, False, 0.19),
    "golden_hour": Preset(200, 9, "#ffb066", 2.6, "#7d92c0", "#ffc890", "#4a3a2c", "#d8b898", 0.4, 1.0, False, 0.16),
    "dusk": Preset(195, 2.5, "#ff7a3c", 0.9, "#2c3f78", "#e88a5e", "#241c1a", "#6a6088", 0.16, 1.25, True, 0.09),
    "blue_hour": Preset(
        190, -4, "#000000", 0.0, "#14245a", "#3a5692", "#141824", "#41558e", 0.45, 1.2, True, 0.06, 0.31
    ),
    "night": Preset(
        180, -25, "#000000", 0.0, "#03060f", "#0c1428", "#050505", "#1a2240", 0.8, 1.6, True, 0.045, 0.0625
    ),
}


LOW_KEY_TIMES = ("dusk", "blue_hour", "night")  # times whose photos are judged as low key


def exposure_key(time_of_day: str | None) -> str:
    """The exposure key a photo at ``time_of_day`` (a preset name) is judged by: 'low' or 'normal'."""
    return "low" if time_of_day in LOW_KEY_TIMES else "normal"


def normalise_time(name: str | None) -> str:
    """'Golden Hour' -> 'golden_hour'; raises SceneError listing the presets."""
    if name is None:
        return DEFAULT_TIME
    key = str(name).strip().lower().replace("-", "_")
    key = ALIASES.get(key, ALIASES.get(key.replace("_", " "), key))
    if key not in PRESETS:
        raise SceneError(f"unknown time of day {name!r}; use one of {', '.join(TIMES)}")
    return key


def lighting_for(time_of_day: str | None = None) -> Lighting:
    """The Lighting of a time-of-day preset."""
    key = normalise_time(time_of_day)
    p = PRESETS[key]
    amb = hex_to_linear(p.ambient)
    return Lighting(
        preset=key,
        sun=Sun(
            direction=tuple(float(v) for v in direction_from_angles(p.sun_azimuth, p.sun_elevation)),
            color=hex_to_linear(p.sun_color),
            intensity=p.sun_intensity,
        ),
        sky=Sky(hex_to_linear(p.zenith), hex_to_linear(p.horizon), hex_to_linear(p.ground)),
        ambient=tuple(c * p.ambient_strength for c in amb),
        exposure=p.exposure,
        lamps_on=p.lamps_on,
        key=p.key,
    )


# Inside a closed room the fill light is mostly light bounced off walls and floor, not the blue sky:
# interiors take this share of their ambient light as warm, neutral bounce of the same luminance.
INTERIOR_BOUNCE = 0.6
BOUNCE_TINT = (1.0, 0.9, 0.78)
# Lit lamps in a closed room also fill it with bounced light: this share of each lamp's intensity.
LAMP_BOUNCE = 0.012


def apply_time_of_day(scene: Scene, time_of_day: str | None = None) -> Scene:
    """A copy of ``scene`` lit by a preset (with warm bounced fill light inside closed rooms; outdoors
    the sky below the horizon is the scene's ground as this light lights it)."""
    lighting = lighting_for(time_of_day)
    ground = outer_ground(scene)
    if ground is not None and not scene.interior:
        sky = replace(lighting.sky, ground=lit_color(ground, lighting), haze=HORIZON_HAZE)
        lighting = replace(lighting, sky=sky)
    if scene.interior:
        amb = tuple(c * PRESETS[lighting.preset].indoor for c in lighting.ambient)
        lum = sum(w * c for w, c in zip(REC709_LUMA, amb, strict=True))
        tint_lum = sum(w * c for w, c in zip(REC709_LUMA, BOUNCE_TINT, strict=True))
        bounce = [lum * c / tint_lum for c in BOUNCE_TINT]
        mixed = [(1 - INTERIOR_BOUNCE) * a + INTERIOR_BOUNCE * b for a, b in zip(amb, bounce, strict=True)]
        if lighting.lamps_on:
            for lamp in scene.lamps:
                mixed = [m + LAMP_BOUNCE * lamp.intensity * c for m, c in zip(mixed, lamp.color, strict=True)]
        lighting = replace(lighting, ambient=tuple(mixed))
    return scene.with_lighting(lighting)


# ----- the ground to the horizon ----------------------------------------------------------------
GROUND_SLACK = 0.1  # metres: a ground's top lies within this of the scene's floor level
HORIZON_HAZE = 0.005  # Sky.haze outdoors, over a ground that reaches the horizon


def outer_ground(scene: Scene):
    """The object that carries the scene's ground out to its edges (its top at floor level, and
    its footprint holding every other object's), or None."""
    if scene.floor_z is None or not scene.objects:
        return None
    bounds = {o.name: np.asarray(o.mesh.bounds) for o in scene.objects}
    flat = [o for o in scene.objects if abs(bounds[o.name][1, 2] - scene.floor_z) <= GROUND_SLACK]
    if not flat:
        return None
    ground = max(flat, key=lambda o: float(np.prod(np.ptp(bounds[o.name][:, :2], axis=0))))
    lo, hi = bounds[ground.name][0, :2], bounds[ground.name][1, :2]
    others = np.array([b for name, b in bounds.items() if name != ground.name]).reshape(-1, 2, 3)
    if (others[:, 0, :2] < lo - 1e-6).any() or (others[:, 1, :2] > hi + 1e-6).any():
        return None
    return ground


def lit_color(obj, lighting: Lighting) -> tuple[float, float, float]:
    """Linear radiance of an open, upward-facing patch of ``obj`` (its mean colour) under ``lighting``:
    the sky's ambient light and the sun's, unshadowed (what the engines shade there)."""
    light = np.asarray(lighting.ambient, dtype=np.float64)
    sun = lighting.sun
    if sun.shines:
        light = light + np.asarray(sun.color) * sun.intensity * sun.direction[2]
    return tuple(float(c) for c in np.asarray(mean_color(obj.mesh, obj.material)) * light)
