"""Exposure: luminance, clipping, tonal spread and a score that knows night photos are dark.

Images are uint8 sRGB ``(H, W, 3)`` as renderers return them (float images in [0, 1] are accepted).
Luminance is Rec. 709 on linearised sRGB (linear light, 0..1). Thresholds and statistics that
describe how a frame *looks* use **lightness**: that luminance re-encoded with the sRGB curve,
so 0.5 is a perceptual mid-grey (sRGB 128) and thresholds read like 8-bit values / 255.

Thresholds (module constants, all on lightness):

- a pixel is *clipped* at ``CLIP_LEVEL`` (>= 250/255) and *crushed* at ``CRUSH_LEVEL`` (<= 5/255);
- a frame is *black* when its 99th-percentile lightness is below ``BLACK_P99`` (0.08, about
  sRGB 20): nothing in it rises visibly above black. A night photo with a lit window is not black;
- a frame is *blown out* when at least ``BLOWN_FRACTION`` (50 %) of its pixels are clipped, or
  its 5th-percentile lightness is above ``BLOWN_P5`` (0.92): almost nothing in it is below white;
- tonal *spread* is the 5th..95th percentile range of lightness; below ``FLAT_SPREAD`` a frame is flat.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from agentvision.conventions import REC709_LUMA, linear_to_srgb, srgb_to_linear

REC709 = np.array(REC709_LUMA)
CLIP_LEVEL = 250 / 255
CRUSH_LEVEL = 5 / 255
BLACK_P99 = 0.08
BLOWN_FRACTION = 0.5
BLOWN_P5 = 0.92
FLAT_SPREAD = 0.12

# Mean lightness that reads as well exposed, per expected key (dusk/night photos are 'low').
KEY_BANDS = {"low": (0.05, 0.45), "normal": (0.25, 0.68), "high": (0.45, 0.85)}
# Fraction of crushed shadows a frame of each key may hold before it is penalised.
SHADOW_ALLOWANCE = {"low": 0.35, "normal": 0.08, "high": 0.03}


def as_float_rgb(rgb: np.ndarray) -> np.ndarray:
    """An image as float64 sRGB in [0, 1], shape (H, W, 3). Grey (H, W) and RGBA inputs are accepted."""
    a = np.asarray(rgb)
    if a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=2)
    if a.ndim != 3 or a.shape[2] not in (3, 4) or a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"expected an image of shape (H, W, 3), got {a.shape}; pass RenderResult.rgb or an array")
    a = a[..., :3]
    if a.dtype == np.uint8:
        return a.astype(np.float64) / 255.0
    if np.issubdtype(a.dtype, np.integer):
        raise ValueError(f"integer images must be uint8 (0..255), got {a.dtype}")
    return np.clip(a.astype(np.float64), 0.0, 1.0)


_LINEAR_U8 = srgb_to_linear(np.arange(256) / 255.0)  # lookup table: sRGB byte -> linear light


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Relative luminance Y (linear light, 0..1), Rec. 709 weights on linearised sRGB. Shape (H, W)."""
    a = np.asarray(rgb)
    if a.dtype == np.uint8 and a.ndim == 3 and a.shape[2] in (3, 4):
        return _LINEAR_U8[a[..., :3]] @ REC709
    return srgb_to_linear(as_float_rgb(rgb)) @ REC709


def lightness(rgb: np.ndarray) -> np.ndarray:
    """Perceptual lightness in [0, 1]: luminance re-encoded with the sRGB curve (0.5 ~ sRGB 128)."""
    return np.asarray(linear_to_srgb(luminance(rgb)), dtype=np.float64)


@dataclass
class ExposureStats:
    """What a frame's tones look like. Luminance is linear; the rest is lightness (see module doc)."""

    mean_luminance: float
    median_luminance: float
    mean_lightness: float
    median_lightness: float
    p5: float  # 5th percentile of lightness
    p95: float
    p99: float
    clipped: float  # fraction of pixels at or above CLIP_LEVEL
    crushed: float  # fraction of pixels at or below CRUSH_LEVEL
    spread: float  # p95 - p5
    entropy: float  # histogram entropy over 64 bins, normalised to [0, 1]

    @property
    def is_black(self) -> bool:
        return self.p99 < BLACK_P99

    @property
    def is_blown_out(self) -> bool:
        return self.clipped >= BLOWN_FRACTION or self.p5 > BLOWN_P5

    @property
    def is_flat(self) -> bool:
        return self.spread < FLAT_SPREAD

    def to_dict(self) -> dict:
        d = {k: round(float(v), 4) for k, v in asdict(self).items()}
        return {**d, "is_black": self.is_black, "is_blown_out": self.is_blown_out, "is_flat": self.is_flat}


def exposure_stats(rgb: np.ndarray) -> ExposureStats:
    """Tone statistics of a frame."""
    y = luminance(rgb)
    light = np.asarray(linear_to_srgb(y), dtype=np.float64)
    p5, p50, p95, p99 = np.percentile(light, [5, 50, 95, 99])
    hist = np.bincount(np.minimum((light * 64).astype(int), 63).ravel(), minlength=64) / light.size
    nz = hist[hist > 0]
    return ExposureStats(
        mean_luminance=float(y.mean()),
        median_luminance=float(np.median(y)),
        mean_lightness=float(light.mean()),
        median_lightness=float(p50),
        p5=float(p5),
        p95=float(p95),
        p99=float(p99),
        clipped=float((light >= CLIP_LEVEL).mean()),
        crushed=float((light <= CRUSH_LEVEL).mean()),
        spread=float(p95 - p5),
        entropy=float(-(nz * np.log2(nz)).sum() / 6.0),
    )


def is_black(rgb: np.ndarray) -> bool:
    """True when nothing in the frame rises visibly above black (99th-percentile lightness < BLACK_P99)."""
    return exposure_stats(rgb).is_black


def is_blown_out(rgb: np.ndarray) -> bool:
    """True when half the frame is clipped white or its 5th-percentile lightness is above BLOWN_P5."""
    return exposure_stats(rgb).is_blown_out


@dataclass
class ExposureScore:
    """An exposure score in [0, 1] with its factors and a one-line verdict."""

    score: float
    key: float  # mean lightness inside the expected key's band -> 1
    highlights: float  # 1 - penalty for clipped highlights
    shadows: float  # 1 - penalty for crushed shadows beyond the key's allowance
    spread: float  # tonal range term; flat frames score low
    verdict: str  # black | blown_out | too_dark | too_bright | flat | ok
    expected_key: str
    stats: ExposureStats

    def to_dict(self) -> dict:
        d = {k: round(float(getattr(self, k)), 4) for k in ("score", "key", "highlights", "shadows", "spread")}
        return {**d, "verdict": self.verdict, "expected_key": self.expected_key, "stats": self.stats.to_dict()}


def exposure_score(rgb: np.ndarray, expected_key: str = "normal") -> ExposureScore:
    """Score exposure in [0, 1]: 0 for black or blown-out frames, 1 for a well-spread frame in its key.

    ``expected_key`` is 'low' (dusk, night, moody), 'normal' or 'high' (bright, airy). The score is
    the product of: a key term (1 inside ``KEY_BANDS[key]``, Gaussian fall-off with sigma 0.1
    outside), a highlight term ``1 - min(1, clipped / 0.3)``, a shadow term
    ``1 - min(1, max(0, crushed - allowance) / 0.5)`` and a spread term ``0.4 + 0.6 * min(1, spread / 0.35)``.
    """
    if expected_key not in KEY_BANDS:
        raise ValueError(f"expected_key must be one of {', '.join(KEY_BANDS)}, got {expected_key!r}")
    s = exposure_stats(rgb)
    lo, hi = KEY_BANDS[expected_key]
    off = max(lo - s.mean_lightness, s.mean_lightness - hi, 0.0)
    key = float(np.exp(-((off / 0.1) ** 2)))
    highlights = 1.0 - min(1.0, s.clipped / 0.3)
    shadows = 1.0 - min(1.0, max(0.0, s.crushed - SHADOW_ALLOWANCE[expected_key]) / 0.5)
    spread = 0.4 + 0.6 * min(1.0, s.spread / 0.35)
    score = 0.0 if (s.is_black or s.is_blown_out) else key * highlights * shadows * spread
    if s.is_black:
        verdict = "black"
    elif s.is_blown_out:
        verdict = "blown_out"
    elif key < 0.6:
        verdict = "too_dark" if s.mean_lightness < lo else "too_bright"
    elif min(shadows, highlights) < 0.6:
        verdict = "too_dark" if shadows < highlights else "too_bright"
    elif s.is_flat:
        verdict = "flat"
    else:
        verdict = "ok"
    return ExposureScore(float(score), key, highlights, shadows, spread, verdict, expected_key, s)
