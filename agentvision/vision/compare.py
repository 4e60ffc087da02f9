"""How two images differ: per-pixel differences, the changed region and a diff picture (pure functions)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image

from agentvision.vision.exposure import lightness

CHANGE_LEVEL = 8  # a pixel whose largest channel difference exceeds this (of 255) has changed


@dataclass
class Difference:
    """The difference of image B from image A (B resized to A's size when they differ)."""

    identical: bool  # every pixel equal, and the same size
    same_size: bool
    size_a: tuple[int, int]
    size_b: tuple[int, int]
    mean_abs_diff: float  # mean over pixels and channels, 0..255
    max_diff: int  # largest channel difference, 0..255
    changed_fraction: float  # share of pixels with a channel difference > CHANGE_LEVEL
    psnr_db: float | None  # None when identical
    lightness_change: float  # mean lightness of B minus A, -1..1
    changed_box: tuple[float, float, float, float] | None  # normalised (x0, y0, x1, y1) of changed pixels

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("mean_abs_diff", "changed_fraction", "psnr_db", "lightness_change"):
            if d[k] is not None:
                d[k] = round(float(d[k]), 4)
        if d["changed_box"] is not None:
            d["changed_box"] = [round(float(v), 4) for v in d["changed_box"]]
        return d


def _resized(b: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    h, w = shape[:2]
    return np.asarray(Image.fromarray(b).resize((w, h), Image.Resampling.LANCZOS))


def difference_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(H, W) uint8 largest per-channel |B - A| (B resized to A's size if needed)."""
    a, b = np.asarray(a, np.uint8)[..., :3], np.asarray(b, np.uint8)[..., :3]
    if a.shape != b.shape:
        b = _resized(b, a.shape)
    return np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2).astype(np.uint8)


def image_difference(a: np.ndarray, b: np.ndarray) -> Difference:
    """Compare two uint8 RGB images (H, W, 3)."""
    a, b = np.asarray(a, np.uint8)[..., :3], np.asarray(b, np.uint8)[..., :3]
    same_size = a.shape == b.shape
    size_a, size_b = (a.shape[1], a.shape[0]), (b.shape[1], b.shape[0])
    bb = b if same_size else _resized(b, a.shape)
    diff = np.abs(a.astype(np.int16) - bb.astype(np.int16))
    per_pixel = diff.max(axis=2)
    mse = float((diff.astype(np.float64) ** 2).mean())
    changed = per_pixel > CHANGE_LEVEL
    box = None
    if changed.any():
        h, w = changed.shape
        rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
        box = (cols[0] / w, rows[0] / h, (cols[-1] + 1) / w, (rows[-1] + 1) / h)
    return Difference(
        identical=bool(same_size and not per_pixel.any()),
        same_size=same_size,
        size_a=size_a,
        size_b=size_b,
        mean_abs_diff=float(diff.mean()),
        max_diff=int(per_pixel.max()),
        changed_fraction=float(changed.mean()),
        psnr_db=None if mse == 0 else float(10 * np.log10(255.0**2 / mse)),
        lightness_change=float(lightness(bb).mean() - lightness(a).mean()),
        changed_box=box,
    )


def difference_heatmap(a: np.ndarray, b: np.ndarray, gain: float = 4.0) -> np.ndarray:
    """uint8 (H, W, 3): A dimmed to grey with changed pixels in red, brighter for larger changes."""
    d = difference_map(a, b).astype(np.float32)
    grey = (lightness(np.asarray(a, np.uint8)[..., :3]) * 255 * 0.5).astype(np.float32)
    out = np.repeat(grey[..., None], 3, axis=2)
    strength = np.clip(d * gain / 255.0, 0.0, 1.0)
    out[..., 0] = out[..., 0] * (1 - strength) + 255 * strength
    out[..., 1] *= 1 - strength
    out[..., 2] *= 1 - strength
    return out.astype(np.uint8)


__all__ = ["CHANGE_LEVEL", "Difference", "difference_heatmap", "difference_map", "image_difference"]
