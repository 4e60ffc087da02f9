"""Edges and straight lines: Canny edge maps, line segments, horizon tilt and converging verticals.

Angles follow :class:`agentvision.camera.Camera`'s ``roll_deg``: **positive is clockwise as the
viewer sees the image**. A camera with ``roll_deg=+5`` photographs a level horizon as a line tilted
+5 degrees (its right end lower) and vertical edges leaning +5 degrees (their tops to the right), so
``roll_deg - tilt`` levels the shot.

Near-horizontal lines are not all level in a perspective view: edges receding towards a vanishing
point (a wall's top seen obliquely) tilt too, and can outweigh a true horizon indoors. Verticals do
not have that problem: the vertical through the image centre leans by exactly the roll, whatever
the pitch. :func:`roll_estimate` therefore prefers verticals and falls back on the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from agentvision.vision.exposure import as_float_rgb, lightness


def _grey_u8(rgb: np.ndarray) -> np.ndarray:
    return np.round(lightness(rgb) * 255).astype(np.uint8)


def edge_map(rgb: np.ndarray, low: float | None = None, high: float | None = None) -> np.ndarray:
    """Canny edges of an image as uint8 (H, W): 255 on edges, 0 elsewhere.

    Runs on perceptual lightness after a 3x3 Gaussian blur, with the L2 gradient norm. Unset
    thresholds follow the median rule: ``low = max(10, 0.67 * m)``, ``high = max(30, 1.33 * m)``
    (capped at 255), where ``m`` is the median grey level (0..255).
    """
    grey = cv2.GaussianBlur(_grey_u8(rgb), (3, 3), 0)
    m = float(np.median(grey))
    low = max(10.0, 0.67 * m) if low is None else float(low)
    high = min(255.0, max(30.0, 1.33 * m)) if high is None else float(high)
    return cv2.Canny(grey, low, max(low, high), L2gradient=True)


def id_edges(ids: np.ndarray) -> np.ndarray:
    """uint8 (H, W) map of 255 where a pixel's instance id differs from its right or lower neighbour."""
    ids = np.asarray(ids)
    out = np.zeros(ids.shape, dtype=np.uint8)
    out[:, :-1][ids[:, :-1] != ids[:, 1:]] = 255
    out[:-1, :][ids[:-1, :] != ids[1:, :]] = 255
    return out


def edge_overlay(
    rgb: np.ndarray, edges: np.ndarray | None = None, color: tuple[int, int, int] = (255, 48, 32), dim: float = 0.45
) -> np.ndarray:
    """The image dimmed by ``dim`` with its edges (``edge_map`` unless given) painted in ``color``; uint8 (H, W, 3)."""
    base = as_float_rgb(rgb) * 255.0 * dim
    edges = edge_map(rgb) if edges is None else np.asarray(edges)
    out = base.astype(np.uint8)
    out[edges > 0] = color
    return out


def line_segments(rgb: np.ndarray, ids: np.ndarray | None = None, min_length: float = 0.08) -> np.ndarray:
    """Straight segments (N, 4) as x1, y1, x2, y2 pixels from a probabilistic Hough transform.

    Edges are Canny edges of the image, plus instance-id boundaries when ``ids`` is given (clean
    geometric edges from a render). Segments shorter than ``min_length`` x the image's shorter side
    are dropped.
    """
    edges = edge_map(rgb)
    if ids is not None:
        edges = np.maximum(edges, id_edges(ids))
    h, w = edges.shape
    min_px = max(8, int(min_length * min(h, w)))
    found = cv2.HoughLinesP(
        edges, 1, np.pi / 720, threshold=max(10, min_px // 2), minLineLength=min_px, maxLineGap=max(2, min(h, w) // 100)
    )
    return np.zeros((0, 4)) if found is None else found.reshape(-1, 4).astype(np.float64)


def _lengths_angles(seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dx, dy = seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]
    return np.hypot(dx, dy), np.degrees(np.arctan2(dy, dx))


@dataclass
class HorizonEstimate:
    """The dominant near-horizontal line angle (clockwise-positive degrees), or None without lines."""

    angle_deg: float | None
    confidence: float  # 0..1: agreement of the near-horizontal lines x how much of the width they span
    n_lines: int  # near-horizontal segments considered
    support_px: float  # total length of the segments agreeing with angle_deg

    def to_dict(self) -> dict:
        a = None if self.angle_deg is None else round(self.angle_deg, 2)
        return {
            "angle_deg": a,
            "confidence": round(self.confidence, 3),
            "n_lines": self.n_lines,
            "support_px": round(self.support_px, 1),
        }


def horizon_tilt(
    rgb: np.ndarray, ids: np.ndarray | None = None, max_deg: float = 20.0, *, segments: np.ndarray | None = None
) -> HorizonEstimate:
    """Estimate horizon tilt from segments within ``max_deg`` of horizontal, weighted by length.

    The peak of a length-weighted angle histogram (0.25 degree bins, 1 degree smoothing) is
    refined by the weighted mean of segments within 1.5 degrees of it. Confidence is the share of
    near-horizontal length that agrees, times ``min(1, support / (0.5 * width))``. ``segments``:
    ``line_segments(rgb, ids)`` already found, to reuse.
    """
    seg = line_segments(rgb, ids) if segments is None else segments
    length, ang = _lengths_angles(seg)
    ang = (ang + 90.0) % 180.0 - 90.0  # orientation of an undirected line, in [-90, 90)
    keep = np.abs(ang) <= max_deg
    length, ang = length[keep], ang[keep]
    if length.size == 0:
        return HorizonEstimate(None, 0.0, 0, 0.0)
    bins = np.arange(-max_deg, max_deg + 0.25, 0.25)
    hist, _ = np.histogram(ang, bins=bins, weights=length)
    kernel = np.exp(-0.5 * (np.arange(-8, 9) * 0.25) ** 2)
    peak = bins[int(np.argmax(np.convolve(hist, kernel, mode="same")))] + 0.125
    near = np.abs(ang - peak) <= 1.5
    angle = float(np.average(ang[near], weights=length[near]))
    support = float(length[near].sum())
    width = np.asarray(rgb).shape[1]
    confidence = support / float(length.sum()) * min(1.0, support / (0.5 * width))
    return HorizonEstimate(angle, float(confidence), int(length.size), support)


@dataclass
class VerticalsEstimate:
    """Near-vertical lines: their common lean (roll) and how they converge (keystoning)."""

    tilt_deg: float | None  # lean of a vertical at the image centre; clockwise-positive (top to the right)
    keystone_deg: float | None  # lean at the left edge minus at the right edge; > 0: tops converge (looking up)
    confidence: float
    n_lines: int

    def to_dict(self) -> dict:
        r = lambda v: None if v is None else round(v, 2)  # noqa: E731
        return {
            "tilt_deg": r(self.tilt_deg),
            "keystone_deg": r(self.keystone_deg),
            "confidence": round(self.confidence, 3),
            "n_lines": self.n_lines,
        }


def verticals_tilt(
    rgb: np.ndarray, ids: np.ndarray | None = None, max_deg: float = 20.0, *, segments: np.ndarray | None = None
) -> VerticalsEstimate:
    """Fit ``lean = tilt + slope * (x / width - 0.5)`` to segments within ``max_deg`` of vertical.

    Weighted least squares (weights = length), refitted once without segments more than 3 degrees
    off the fit. ``keystone_deg = -slope``. Confidence: share of length kept x ``min(1, kept / height)``.
    ``segments``: ``line_segments(rgb, ids)`` already found, to reuse.
    """
    seg = line_segments(rgb, ids) if segments is None else segments
    h, w = np.asarray(rgb).shape[:2]
    top_first = seg[:, 1] <= seg[:, 3]
    top = np.where(top_first[:, None], seg[:, :2], seg[:, 2:])
    bottom = np.where(top_first[:, None], seg[:, 2:], seg[:, :2])
    d = top - bottom
    length = np.hypot(d[:, 0], d[:, 1])
    lean = np.degrees(np.arctan2(d[:, 0], -d[:, 1]))
    x = (top[:, 0] + bottom[:, 0]) / 2 / w - 0.5
    keep = np.abs(lean) <= max_deg
    length, lean, x = length[keep], lean[keep], x[keep]
    if length.size == 0:
        return VerticalsEstimate(None, None, 0.0, 0)
    use = np.ones(length.size, dtype=bool)
    for _ in range(2):
        sw = np.sqrt(length[use])
        if np.ptp(x[use]) > 0.05:
            coef = np.linalg.lstsq(np.stack([sw, x[use] * sw], axis=1), lean[use] * sw, rcond=None)[0]
        else:  # all lines in one place: no slope to fit
            coef = np.array([np.average(lean[use], weights=length[use]), 0.0])
        use = np.abs(lean - (coef[0] + coef[1] * x)) <= 3.0
        if not use.any():
            return VerticalsEstimate(None, None, 0.0, int(length.size))
    kept = float(length[use].sum())
    confidence = kept / float(length.sum()) * min(1.0, kept / h)
    return VerticalsEstimate(float(coef[0]), float(-coef[1]), float(confidence), int(length.size))


@dataclass
class RollEstimate:
    """How far the frame is turned (clockwise-positive degrees), from verticals and/or the horizon."""

    angle_deg: float | None
    confidence: float
    source: str | None  # 'verticals' | 'horizon' | 'both' | None

    def to_dict(self) -> dict:
        a = None if self.angle_deg is None else round(self.angle_deg, 2)
        return {"angle_deg": a, "confidence": round(self.confidence, 3), "source": self.source}


def roll_estimate(
    rgb: np.ndarray,
    ids: np.ndarray | None = None,
    horizon: HorizonEstimate | None = None,
    verticals: VerticalsEstimate | None = None,
) -> RollEstimate:
    """The frame's roll from verticals and the horizon (estimates under 0.2 confidence are ignored).

    When both agree within 2 degrees: their confidence-weighted mean. Otherwise the verticals if their
    confidence is at least 0.4 (they are not fooled by receding lines), else the more confident cue.
    """
    seg = line_segments(rgb, ids) if horizon is None or verticals is None else None
    hz = horizon_tilt(rgb, ids, segments=seg) if horizon is None else horizon
    vt = verticals_tilt(rgb, ids, segments=seg) if verticals is None else verticals
    cues = {
        name: (a, c)
        for name, a, c in (("verticals", vt.tilt_deg, vt.confidence), ("horizon", hz.angle_deg, hz.confidence))
        if a is not None and c >= 0.2
    }
    if not cues:
        return RollEstimate(None, 0.0, None)
    if len(cues) == 2:
        (a1, c1), (a2, c2) = cues["verticals"], cues["horizon"]
        if abs(a1 - a2) <= 2.0:
            return RollEstimate((c1 * a1 + c2 * a2) / (c1 + c2), max(c1, c2), "both")
        if c1 >= 0.4:
            return RollEstimate(a1, c1, "verticals")
    name = max(cues, key=lambda k: cues[k][1])
    return RollEstimate(cues[name][0], cues[name][1], name)
