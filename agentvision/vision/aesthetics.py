"""A transparent aesthetic score from measurable parts; no learned model.

``aesthetic_score`` is a weighted mean of five terms in [0, 1] (weights in ``WEIGHTS``):

- exposure: :func:`agentvision.vision.exposure.exposure_score` for the expected key;
- contrast: RMS contrast (standard deviation of lightness) ``min(1, std / 0.2)``;
- colourfulness: Hasler & Suesstrunk (2003) metric M on sRGB 0..255, ``min(1, M / 60)``
  (M ~ 15 slightly, 33 moderately, 45 quite, 59 highly colourful);
- sharpness: variance of the Laplacian v on grey 0..255, ``v / (v + 100)``;
- balance: :attr:`agentvision.vision.composition.Balance.score`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from agentvision.vision.composition import balance
from agentvision.vision.exposure import ExposureScore, as_float_rgb, exposure_score, lightness

WEIGHTS = {"exposure": 0.35, "contrast": 0.2, "colourfulness": 0.15, "sharpness": 0.15, "balance": 0.15}


def sharpness(rgb: np.ndarray) -> float:
    """Variance of the Laplacian of the grey image (0..255 scale); higher is sharper."""
    grey = (lightness(rgb) * 255).astype(np.float32)
    return float(cv2.Laplacian(grey, cv2.CV_32F, ksize=1).var())


def colourfulness(rgb: np.ndarray) -> float:
    """Hasler & Suesstrunk colourfulness M: 0 for grey images, ~100 for extremely colourful ones."""
    img = as_float_rgb(rgb) * 255.0
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


@dataclass
class AestheticScore:
    """The total in [0, 1] and each term that makes it up."""

    score: float
    parts: dict[str, float]
    raw: dict[str, float]  # colourfulness M, laplacian variance, lightness std

    def to_dict(self) -> dict:
        return {
            "score": round(self.score, 4),
            "parts": {k: round(v, 4) for k, v in self.parts.items()},
            "raw": {k: round(v, 4) for k, v in self.raw.items()},
        }


def aesthetic_score(
    rgb: np.ndarray, expected_key: str = "normal", exposure: ExposureScore | None = None
) -> AestheticScore:
    """Weighted mean of exposure, contrast, colourfulness, sharpness and balance (see module doc).

    ``exposure``: the frame's ``exposure_score(rgb, expected_key)`` when the caller has it already."""
    img = np.asarray(rgb)  # uint8 stays uint8: the fast path of every measure
    std = float(lightness(img).std())
    m, v = colourfulness(img), sharpness(img)
    parts = {
        "exposure": (exposure or exposure_score(img, expected_key)).score,
        "contrast": min(1.0, std / 0.2),
        "colourfulness": min(1.0, m / 60.0),
        "sharpness": v / (v + 100.0),
        "balance": balance(img).score,
    }
    total = sum(WEIGHTS[k] * parts[k] for k in WEIGHTS)
    return AestheticScore(float(total), parts, {"colourfulness": m, "laplacian_var": v, "lightness_std": std})
