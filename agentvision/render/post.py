"""Image-space steps after shading: sample patterns, depth of field, smoothing ambient occlusion."""

from __future__ import annotations

import time

import numpy as np
from scipy import ndimage

from agentvision.camera import SENSOR_LONG_MM, Camera
from agentvision.render.shading import LUMA, tone_map

# Sub-pixel sample offsets in [0, 1)^2. The first is the pixel centre, so ids and depth taken
# from sample 0 match a one-sample render exactly; the next four are a rotated grid.
_RGSS = [(0.5, 0.5), (0.375, 0.125), (0.875, 0.375), (0.625, 0.875), (0.125, 0.625)]


def sample_offsets(n: int) -> np.ndarray:
    """n sub-pixel offsets, the pixel centre first, then a rotated grid, then a Halton set."""
    pts = list(_RGSS[: max(1, n)])
    k = 1
    while len(pts) < n:
        pts.append((_halton(k, 2), _halton(k, 3)))
        k += 1
    return np.array(pts)


def _halton(i: int, base: int) -> float:
    f, r = 1.0, 0.0
    while i > 0:
        f /= base
        r += f * (i % base)
        i //= base
    return r


def edge_pixels(
    ids: np.ndarray, depth: np.ndarray, radiance: np.ndarray, corners: tuple | None = None, contrast: float = 0.2
) -> np.ndarray:
    """Pixels on an object boundary, a depth step (> 3 %) or a light edge (log-luminance step) between
    neighbouring pixel centres; with ``corners`` ((h + 1, w + 1) ids and depths at the pixel corners),
    also pixels whose centre and a corner see different things: a line thinner than a pixel that
    passes between the centres (a book's top, a far baluster) is found there, not left dashed."""
    lum = np.log(0.02 + radiance @ LUMA)
    z = np.where(np.isfinite(depth), depth, 1e4)
    edge = np.zeros(ids.shape, dtype=bool)
    for axis in (0, 1):
        a = [slice(None)] * 2
        b = [slice(None)] * 2
        a[axis], b[axis] = slice(1, None), slice(None, -1)
        a, b = tuple(a), tuple(b)
        step = _differs(ids[a], z[a], ids[b], z[b])
        step |= np.abs(lum[a] - lum[b]) > contrast
        edge[a] |= step
        edge[b] |= step
    if corners is not None:
        corner_ids, corner_depth = corners
        corner_z = np.where(np.isfinite(corner_depth), corner_depth, 1e4)
        h, w = ids.shape
        for dv in (0, 1):
            for du in (0, 1):
                at = (slice(dv, dv + h), slice(du, du + w))
                edge |= _differs(ids, z, corner_ids[at], corner_z[at])
    return edge


def _differs(ids_a, z_a, ids_b, z_b) -> np.ndarray:
    """Two samples on different objects, or more than 3 % apart in depth."""
    return (ids_a != ids_b) | (np.abs(z_a - z_b) > 0.03 * np.minimum(z_a, z_b))


def develop(radiance: np.ndarray, camera: Camera, depth: np.ndarray, settings, lighting, timings: dict) -> np.ndarray:
    """The steps every engine ends with: depth of field (if asked), then metered tone mapping to sRGB."""
    if settings.depth_of_field:
        t = time.perf_counter()
        focus = settings.focus_distance or float(np.subtract(camera.look_at, camera.position) @ camera.forward)
        radiance = depth_of_field(radiance, camera, depth, focus)
        timings["dof"] = time.perf_counter() - t
    t = time.perf_counter()
    rgb = tone_map(radiance, lighting.exposure, lighting.key)
    timings["tonemap"] = time.perf_counter() - t
    return rgb


def circle_of_confusion_px(camera: Camera, depth: np.ndarray, focus: float) -> np.ndarray:
    """Blur-circle diameter in pixels for camera-space depths (thin lens, 35 mm equivalent)."""
    f = camera.focal_mm
    z = np.where(np.isfinite(depth), depth, 1e6) * 1000.0  # mm
    zf = max(focus * 1000.0, f * 1.01)
    coc_mm = (f * f / camera.f_number) * np.abs(z - zf) / (z * (zf - f))
    return coc_mm * (max(camera.width, camera.height) / SENSOR_LONG_MM)


def depth_of_field(image: np.ndarray, camera: Camera, depth: np.ndarray, focus: float) -> np.ndarray:
    """Blur a linear (H, W, 3) image by each pixel's circle of confusion (layered Gaussian).

    Behind the focus, each blur level gathers only from pixels at least about as blurred as itself
    (weights by their circle of confusion, renormalised): a sharp subject bleeds no halo into the
    soft background around it. In front of it, blurred pixels spread over what lies behind them
    (premultiplied by their coverage), as a near out-of-focus edge does."""
    coc = np.clip(circle_of_confusion_px(camera, depth, focus), 0.0, 0.04 * camera.width)
    if coc.max() < 0.75:
        return image
    levels = [0.0]
    while levels[-1] < coc.max():
        levels.append(max(1.0, levels[-1] * 2.0))
    idx = np.clip(np.searchsorted(levels, coc) - 1, 0, len(levels) - 2)
    near = (coc >= 0.75) & (np.where(np.isfinite(depth), depth, np.inf) < focus)
    stack, behind = [image], [image]
    cover, spread_near = np.zeros(coc.shape, np.float32), np.zeros_like(image)
    for k, r in enumerate(levels[1:]):
        sigma = (r / 2.4, r / 2.4)
        stack.append(_gather(image, np.clip(coc / r, 0.0, 1.0), sigma))
        # What a near pixel hides: filled in from the pixels around it that are not near.
        behind.append(_gather(image, (~near).astype(np.float32), sigma) if near.any() else stack[-1])
        mine = (near & (idx == k)).astype(np.float32)  # near pixels whose blur is about this level's
        if mine.any():
            cover += ndimage.gaussian_filter(mine, sigma)
            spread_near += ndimage.gaussian_filter(image * mine[..., None], sigma + (0,))
    # Blend between the two nearest blur levels by each pixel's CoC.
    lo, hi = np.asarray(levels)[idx], np.asarray(levels)[idx + 1]
    w = np.clip((coc - lo) / (hi - lo), 0.0, 1.0)[..., None]
    out = np.zeros_like(image)
    for i in range(len(levels) - 1):
        sel = (idx == i)[..., None]
        source = np.where(
            near[..., None], (1 - w) * behind[i] + w * behind[i + 1], (1 - w) * stack[i] + w * stack[i + 1]
        )
        out += np.where(sel, source, 0.0)
    if near.any():
        alpha = np.clip(cover, 0.0, 1.0)[..., None]
        out = alpha * spread_near / np.maximum(cover, 1e-3)[..., None] + (1 - alpha) * out
    return out


def _gather(image: np.ndarray, weight: np.ndarray, sigma: tuple[float, float]) -> np.ndarray:
    """A Gaussian blur of ``image`` taking each pixel by ``weight`` (H, W), renormalised; plain where
    no weight is near."""
    weight = weight.astype(np.float32)
    spread = ndimage.gaussian_filter(weight, sigma)[..., None]
    gathered = ndimage.gaussian_filter(image * weight[..., None], sigma + (0,))
    plain = ndimage.gaussian_filter(image, sigma + (0,))
    return np.where(spread > 1e-3, gathered / np.maximum(spread, 1e-3), plain)


def smooth_occlusion(ao: np.ndarray, ids: np.ndarray, sigma: float = 1.5) -> np.ndarray:
    """Denoise a per-pixel AO map without bleeding across object boundaries (per-object
    normalised Gaussian, computed on each object's bounding box only)."""
    out = np.ones_like(ao)
    pad = int(3 * sigma) + 1
    h, w = ids.shape
    for i in np.unique(ids[ids >= 0]):
        rows, cols = np.nonzero(ids == i)
        r0, r1 = max(rows.min() - pad, 0), min(rows.max() + pad + 1, h)
        c0, c1 = max(cols.min() - pad, 0), min(cols.max() + pad + 1, w)
        mask = (ids[r0:r1, c0:c1] == i).astype(np.float32)
        num = ndimage.gaussian_filter(ao[r0:r1, c0:c1] * mask, sigma)
        den = ndimage.gaussian_filter(mask, sigma)
        block = out[r0:r1, c0:c1]
        out[r0:r1, c0:c1] = np.where(mask > 0, num / np.maximum(den, 1e-6), block)
    return out
