"""Composition of a subject in a frame: thirds, placement, coverage, cut-off, balance, headroom.

Coordinates are normalised image coordinates: ``x`` from 0 (left edge) to 1 (right edge), ``y``
from 0 (top) to 1 (bottom), like pixels. A subject is a bool mask (H, W) or a pixel bbox
``(x0, y0, x1, y1)`` (exclusive ends) with the frame's shape.

Placement regions (the mission vocabulary: any | center | left_third | right_third | upper_third |
lower_third). With ``dx = x - 0.5`` and ``dy = y - 0.5`` of the subject's centroid:

- ``center`` when ``|dx| <= 1/12`` and ``|dy| <= 1/12`` (the central box, halfway to the third lines);
- otherwise the larger offset decides (ties go horizontal): ``left_third`` (dx < 0) or
  ``right_third`` (dx > 0) when ``|dx| >= |dy|``, else ``upper_third`` (dy < 0) or ``lower_third``.

So a subject on the left third line (x = 1/3) is ``left_third`` anywhere in the middle band, and one
at a power point goes to its vertical line (left_third / right_third).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from agentvision.errors import InputError
from agentvision.vision.exposure import exposure_score, lightness
from agentvision.vision.lines import horizon_tilt, line_segments, roll_estimate, verticals_tilt

# How every centroid is given, to code and to models alike: normalised (x, y), x right and y down.
CENTROID_CONVENTION = (
    "(x, y) with x from the frame's left edge and y from its top edge, as fractions of its width and height: "
    "(0.5, 0.5) is the centre, (0, 0) the top-left corner"
)
# Where each placement puts the subject's centroid (CENTROID_CONVENTION): the one table of placements.
PLACEMENT_POINT = {
    "center": (0.5, 0.5),
    "left_third": (1 / 3, 0.5),
    "right_third": (2 / 3, 0.5),
    "upper_third": (0.5, 1 / 3),
    "lower_third": (0.5, 2 / 3),
    "leading": (2 / 3, 1 / 3),  # a power point, leaving the lower-left diagonal for leading lines
}
MEASURED = ("center", "left_third", "right_third", "upper_third", "lower_third")  # what placement_of tells apart
PLACEMENTS = ("any", *MEASURED)  # what placement_score and the judge accept
CENTER_HALF = 1 / 12
POWER_POINTS = ((1 / 3, 1 / 3), (2 / 3, 1 / 3), (1 / 3, 2 / 3), (2 / 3, 2 / 3))
# Where each placement wants the centroid: the line (axis, value) it sits on.
_TARGET_LINE = {
    "left_third": (0, 1 / 3),
    "right_third": (0, 2 / 3),
    "upper_third": (1, 1 / 3),
    "lower_third": (1, 2 / 3),
}


def _rounded(v):
    if isinstance(v, float):
        return round(v, 4)
    return [_rounded(x) for x in v] if isinstance(v, tuple | list) else v


def subject_mask(subject, shape: tuple[int, ...]) -> np.ndarray:
    """A bool (H, W) mask from a mask or a pixel bbox (x0, y0, x1, y1) in a frame of ``shape``."""
    h, w = shape[:2]
    a = np.asarray(subject)
    if a.shape == (h, w):
        return a.astype(bool)
    if a.shape == (4,):
        x0, y0, x1, y1 = (int(round(float(v))) for v in a)
        m = np.zeros((h, w), dtype=bool)
        m[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)] = True
        return m
    raise ValueError(f"a subject is a bool mask of shape {(h, w)} or a bbox (x0, y0, x1, y1), got shape {a.shape}")


def mask_from_ids(ids: np.ndarray, subject_ids) -> np.ndarray:
    """Bool mask of the pixels whose instance id is one of ``subject_ids``."""
    return np.isin(np.asarray(ids), np.atleast_1d(subject_ids))


def mask_of(result_or_ids, names, object_names: list[str] | None = None) -> np.ndarray:
    """Bool mask of the pixels showing ``names`` (object names or indices) in a render's id map.

    ``result_or_ids``: anything with ``ids`` and ``names`` (a RenderResult) or an (H, W) id map; with a
    bare map, give ``object_names`` (``scene.names``) to look names up, or pass indices.
    """
    ids = np.asarray(getattr(result_or_ids, "ids", result_or_ids))
    if ids.ndim != 2:
        raise InputError("a mask needs a RenderResult or an (H, W) id map")
    all_names = getattr(result_or_ids, "names", None) or object_names
    wanted = [names] if isinstance(names, str | int | np.integer) else list(names)
    indices = []
    for n in wanted:
        if isinstance(n, int | np.integer):
            indices.append(int(n))
        elif all_names is None:
            raise InputError("give object_names (scene.names) to look names up in a bare id map, or pass indices")
        elif n not in all_names:
            raise InputError(f"no object {n!r} in this render; it has: {', '.join(all_names)}")
        else:
            indices.append(list(all_names).index(n))
    return np.isin(ids, indices)


def mask_bbox(mask: np.ndarray) -> tuple[float, float, float, float] | None:
    """Pixel box (u0, v0, u1, v1), u1/v1 exclusive, of a mask's pixels; None when it is empty."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return None
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return float(cols[0]), float(rows[0]), float(cols[-1] + 1), float(rows[-1] + 1)


def centroid(mask: np.ndarray) -> tuple[float, float] | None:
    """Normalised (x, y) centre of mass of a mask (pixel centres at +0.5), None when it is empty."""
    m = np.asarray(mask, dtype=bool)
    ys, xs = np.nonzero(m)
    if xs.size == 0:
        return None
    h, w = m.shape
    return float((xs.mean() + 0.5) / w), float((ys.mean() + 0.5) / h)


def placement_of(c: tuple[float, float]) -> str:
    """The placement region (center, left_third, right_third, upper_third, lower_third) of a centroid."""
    dx, dy = c[0] - 0.5, c[1] - 0.5
    if abs(dx) <= CENTER_HALF and abs(dy) <= CENTER_HALF:
        return "center"
    if abs(dx) >= abs(dy):
        return "left_third" if dx < 0 else "right_third"
    return "upper_third" if dy < 0 else "lower_third"


def placement_score(subject, target: str, shape: tuple[int, ...] | None = None) -> float:
    """How well a subject sits at ``target`` (a placement word), in [0, 1]; 0 for an empty subject.

    ``subject``: a mask, a bbox (with ``shape``) or a normalised centroid (x, y). 'any' scores 1.
    'center': ``exp(-(d / 0.12)^2)`` with d the distance from the frame centre. A third: the same of
    the distance to its line, times a factor for the other coordinate that is 1 within 1/6 of the
    middle and falls off (sigma 0.15) beyond it. The score is about 0.6 on a region's boundary.
    """
    if target not in PLACEMENTS:
        raise ValueError(f"unknown placement {target!r}; use one of {', '.join(PLACEMENTS)}")
    if isinstance(subject, tuple | list) and len(subject) == 2:
        c = (float(subject[0]), float(subject[1]))
    else:
        a = np.asarray(subject)
        if shape is None and a.ndim != 2:
            raise ValueError("a bbox subject needs the frame's shape: placement_score(bbox, target, shape=(H, W))")
        c = centroid(subject_mask(a, shape if shape is not None else a.shape))
        if c is None:
            return 0.0
    if target == "any":
        return 1.0
    if target == "center":
        return float(np.exp(-((np.hypot(c[0] - 0.5, c[1] - 0.5) / 0.12) ** 2)))
    axis, value = _TARGET_LINE[target]
    along = abs(c[1 - axis] - 0.5)
    secondary = 1.0 if along <= 1 / 6 else float(np.exp(-(((along - 1 / 6) / 0.15) ** 2)))
    return float(np.exp(-(((c[axis] - value) / 0.12) ** 2))) * secondary


@dataclass
class Thirds:
    """Where a point sits relative to the rule-of-thirds grid (normalised units)."""

    centroid: tuple[float, float]
    placement: str
    power_point: tuple[float, float]  # the nearest power point
    power_point_distance: float
    line_distance: float  # to the nearest of the four third lines

    def to_dict(self) -> dict:
        return {k: _rounded(v) for k, v in asdict(self).items()}


def thirds(c: tuple[float, float]) -> Thirds:
    """Thirds analysis of a normalised point (x, y)."""
    pts = np.array(POWER_POINTS)
    dist = np.hypot(pts[:, 0] - c[0], pts[:, 1] - c[1])
    i = int(np.argmin(dist))
    line = min(abs(c[0] - 1 / 3), abs(c[0] - 2 / 3), abs(c[1] - 1 / 3), abs(c[1] - 2 / 3))
    return Thirds((float(c[0]), float(c[1])), placement_of(c), tuple(POWER_POINTS[i]), float(dist[i]), float(line))


def coverage(mask: np.ndarray) -> float:
    """Fraction of the frame the mask covers."""
    return float(np.asarray(mask, dtype=bool).mean())


@dataclass
class CutOff:
    """Fraction of each border row/column (1 pixel) covered by the subject: > 0 means cut off there."""

    left: float
    right: float
    top: float
    bottom: float

    @property
    def edges(self) -> list[str]:
        return [k for k in ("left", "right", "top", "bottom") if getattr(self, k) > 0]

    @property
    def any(self) -> bool:
        return bool(self.edges)

    def to_dict(self) -> dict:
        return {**{k: round(v, 4) for k, v in asdict(self).items()}, "edges": self.edges}


def cut_off(mask: np.ndarray) -> CutOff:
    """Which frame edges the subject touches, and how much of each."""
    m = np.asarray(mask, dtype=bool)
    return CutOff(float(m[:, 0].mean()), float(m[:, -1].mean()), float(m[0, :].mean()), float(m[-1, :].mean()))


@dataclass
class Margins:
    """Normalised free space between the subject's bounding box and each frame edge (top = headroom)."""

    left: float
    right: float
    top: float
    bottom: float

    def to_dict(self) -> dict:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def margins(mask: np.ndarray) -> Margins | None:
    """Margins around a subject's bounding box, None for an empty mask."""
    m = np.asarray(mask, dtype=bool)
    ys, xs = np.nonzero(m)
    if xs.size == 0:
        return None
    h, w = m.shape
    return Margins(
        float(xs.min() / w), float((w - 1 - xs.max()) / w), float(ys.min() / h), float((h - 1 - ys.max()) / h)
    )


def headroom(mask: np.ndarray) -> float | None:
    """Free space above the subject as a fraction of the frame height (None for an empty mask)."""
    mg = margins(mask)
    return None if mg is None else mg.top


def visual_weight(rgb: np.ndarray) -> np.ndarray:
    """Per-pixel visual weight (H, W), mean 1: local contrast (|lightness - mean|) plus gradient magnitude.

    Each part is divided by its own mean so both count equally; a uniform frame weighs 1 everywhere.
    """
    light = lightness(rgb)
    contrast = np.abs(light - light.mean())
    gy, gx = np.gradient(light)
    grad = np.hypot(gx, gy)
    parts = [p / p.mean() if p.mean() > 1e-6 else np.ones_like(p) for p in (contrast, grad)]
    return (parts[0] + parts[1]) / 2


@dataclass
class Balance:
    """Where the visual weight sits: -1..1; +x right-heavy, +y bottom-heavy, 0 balanced."""

    horizontal: float
    vertical: float
    centroid: tuple[float, float]  # the weight's centre of mass (normalised)

    @property
    def score(self) -> float:
        """1 for a balanced frame, 0 when all weight sits in a corner."""
        return float(1 - np.hypot(self.horizontal, self.vertical) / np.sqrt(2))

    def to_dict(self) -> dict:
        return {
            "horizontal": round(self.horizontal, 4),
            "vertical": round(self.vertical, 4),
            "centroid": [round(v, 4) for v in self.centroid],
            "score": round(self.score, 4),
        }


def balance(rgb: np.ndarray) -> Balance:
    """Visual balance: the weight's centre of mass mapped to [-1, 1] (``2 * (c - 0.5)``) on each axis."""
    wmap = visual_weight(rgb)
    h, w = wmap.shape
    total = wmap.sum()
    cx = float((wmap.sum(axis=0) * (np.arange(w) + 0.5)).sum() / total / w)
    cy = float((wmap.sum(axis=1) * (np.arange(h) + 0.5)).sum() / total / h)
    return Balance(2 * cx - 1, 2 * cy - 1, (cx, cy))


def composition_analysis(rgb: np.ndarray, mask: np.ndarray | None = None, expected_key: str = "normal") -> dict:
    """Thirds, balance, horizon, verticals, roll and exposure of a frame (and its subject) as a JSON-ready dict.

    Without a mask, thirds describe the centre of visual weight. ``notes`` lists short findings a
    person or a model can act on.
    """
    img = np.asarray(rgb)  # uint8 stays uint8: the fast path of every measure
    h, w = img.shape[:2]
    bal = balance(img)
    seg = line_segments(img)  # one Canny + Hough pass for both line cues
    hz = horizon_tilt(img, segments=seg)
    vt = verticals_tilt(img, segments=seg)
    ex = exposure_score(img, expected_key)
    roll = roll_estimate(img, horizon=hz, verticals=vt)
    out: dict = {"size": [w, h], "balance": bal.to_dict(), "horizon": hz.to_dict(), "verticals": vt.to_dict()}
    out["roll"], out["exposure"] = roll.to_dict(), ex.to_dict()
    notes = []
    if mask is not None:
        m = subject_mask(mask, img.shape)
        c = centroid(m)
        if c is None:
            notes.append("the subject is not in the frame")
            out["subject"] = None
        else:
            cut, mg = cut_off(m), margins(m)
            out["subject"] = {"coverage": round(coverage(m), 4), "cut_off": cut.to_dict(), "margins": mg.to_dict()}
            out["thirds"] = thirds(c).to_dict()
            notes.append(f"subject covers {coverage(m):.0%} of the frame, placed {placement_of(c)}")
            if cut.any:
                notes.append(f"subject cut off at the {', '.join(cut.edges)} edge(s)")
    else:
        out["thirds"] = thirds(bal.centroid).to_dict()
    if roll.angle_deg is not None and roll.confidence >= 0.3 and abs(roll.angle_deg) >= 1.0:
        turn = "clockwise" if roll.angle_deg > 0 else "counter-clockwise"
        cue = "verticals and horizon" if roll.source == "both" else roll.source
        notes.append(f"frame tilted {abs(roll.angle_deg):.1f} deg {turn} (from the {cue})")
    if vt.keystone_deg is not None and vt.confidence >= 0.3 and abs(vt.keystone_deg) >= 4.0:
        way = "converge upward (camera tilted up)" if vt.keystone_deg > 0 else "diverge upward (camera tilted down)"
        notes.append(f"verticals {way} by {abs(vt.keystone_deg):.0f} deg")
    if max(abs(bal.horizontal), abs(bal.vertical)) > 0.3:
        side = "right" if bal.horizontal > 0.3 else "left" if bal.horizontal < -0.3 else ""
        side = side or ("bottom" if bal.vertical > 0 else "top")
        notes.append(f"visual weight leans {side}")
    if ex.verdict != "ok":
        notes.append(f"exposure: {ex.verdict.replace('_', ' ')}")
    out["notes"] = notes
    return out
