"""How much of a light reaches shaded points: shadow rays, refined where a shadow has an edge.

One ray per point gives a hard shadow whose edge is a staircase of whole pixels. Where the
visibility changes between neighbouring pixels (a band a few pixels wide) each pixel is sampled
again at sub-pixel points on its surface (the rays through those points, met on the hit's tangent
plane), so even a preview's shadow edge is antialiased. At final quality every such sample also
aims at a different point of the light (stratified over the sun's disc, or at points spread over
the lamp's glowing object, as the path engine's emitters are): a soft shadow whose penumbra widens
with the distance to what casts it.
The band then grows outward while its pixels are partly lit, so a wide penumbra is covered, and
the cost stays with the pixels a penumbra touches.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from agentvision.camera import Camera
from agentvision.render.post import sample_offsets, smooth_occlusion
from agentvision.scene.textures import surface_samples

LAMP_STOP = 0.05  # metres: a lamp's shadow rays stop this short of the point they aim at
LAMP_POINTS = 256  # points on a lamp's glowing object that its soft shadows aim at
GROW_STEP = 3  # pixels the band of refined pixels grows by per round at final quality
GROW_ROUNDS = 16
PROBES = 4  # at final quality, samples that decide whether a point off the image grid needs more
_NOISE = np.random.default_rng(11).random((1 << 16, 2)).astype(np.float32)  # per-pixel pattern shifts

Occluded = Callable[[np.ndarray, np.ndarray, float], np.ndarray]  # (points, dirs, tmax) -> blocked


@dataclass(frozen=True)
class SunLight:
    """Parallel light from ``direction`` over a disc of half-angle ``atan(spread)``."""

    direction: np.ndarray  # (3,) unit, toward the sun
    spread: float  # tan of the disc's angular radius

    def aims(self, points: np.ndarray, strata: np.ndarray, line: np.ndarray) -> np.ndarray:
        """Where samples aim, as offsets from the centre of the light (n, N, 3), from stratified
        points of the unit square (n, N, 2) or of [0, 1) (``line``, (n, N)), for receiving ``points``."""
        t1, t2 = _frame(self.direction[None])
        disc = _concentric(strata.reshape(-1, 2)).reshape(strata.shape) * self.spread
        return disc[..., :1] * t1 + disc[..., 1:] * t2

    def rays(self, points: np.ndarray, aim: np.ndarray) -> tuple[np.ndarray, float]:
        """Shadow rays from ``points`` (..., 3) toward the light moved by ``aim`` (..., 3), and their limit."""
        return np.broadcast_to(self.direction + aim, points.shape), np.inf


@dataclass(frozen=True)
class LampLight:
    """A point light at ``position``; its soft shadows aim at points spread over its glowing object."""

    position: np.ndarray  # (3,)
    surface: np.ndarray | None = None  # (K, 3) offsets from ``position`` of points on the lamp's object

    @classmethod
    def of(cls, position, mesh=None, occluded: Occluded | None = None) -> LampLight:
        """The lamp at ``position``, with LAMP_POINTS area-weighted points of ``mesh`` if given: those that
        ``occluded`` (the lamp's shadow rays) finds in the open from ``position``, not set into a ceiling."""
        position = np.asarray(position, np.float32)
        if mesh is None:
            return cls(position)
        faces, bary = surface_samples(mesh, LAMP_POINTS)
        points = (np.einsum("nk,nkc->nc", bary, np.asarray(mesh.triangles)[faces]) - position).astype(np.float32)
        if occluded is not None:
            points = points[~occluded(np.broadcast_to(position, points.shape), points, 1.0)]
        if len(points) == 0:
            return cls(position)
        # In order around the lamp, so that strata of [0, 1) pick points from every side of it.
        points = points[np.argsort(np.arctan2(points[:, 1], points[:, 0]), kind="stable")]
        return cls(position, points.astype(np.float32))

    def aims(self, points: np.ndarray, strata: np.ndarray, line: np.ndarray) -> np.ndarray:
        if self.surface is None:
            return np.zeros(3, np.float32)
        k = len(self.surface)
        return self.surface[np.minimum((line * k).astype(np.int64), k - 1)]

    def rays(self, points: np.ndarray, aim: np.ndarray) -> tuple[np.ndarray, float]:
        # Unnormalised directions put the aimed point at t = 1, shortened by LAMP_STOP for each ray
        # on its own: one any-hit query per ray with the limit t < 1.
        to = self.position + aim - points
        dist = np.sqrt(np.einsum("...j,...j->...", to, to))
        return to * (1.0 - LAMP_STOP / np.maximum(dist, 2 * LAMP_STOP))[..., None], 1.0


@dataclass(frozen=True)
class Pixels:
    """Where the shaded rays sit on the image, to find sub-pixel points on their surfaces."""

    origin: np.ndarray  # (3,) the camera's position
    forward: np.ndarray  # (3,)
    dx: np.ndarray  # (3,) change of a ray direction (scaled to unit depth) per pixel along u
    dy: np.ndarray  # (3,) ... along v
    grid: tuple[int, int] | None = None  # (h, w) when the rays are every pixel in raster order

    @classmethod
    def of(cls, camera: Camera, grid: bool) -> Pixels:
        basis, k = camera.basis(), camera.intrinsics()
        return cls(
            np.asarray(camera.position, np.float32),
            camera.forward.astype(np.float32),
            (basis[0] / k[0, 0]).astype(np.float32),
            (basis[1] / k[1, 1]).astype(np.float32),
            (camera.height, camera.width) if grid else None,
        )


@dataclass
class Batch:
    """A batch of shaded rays: where they sit on the image, and what the whole-image pass knows.

    The whole-image pass (``pixels.grid`` set) remembers each light's visibility per pixel; the
    antialiasing passes (sub-pixel rays of edge pixels) reuse it where their ray hits the object the
    pixel's centre hit, since it already averages sub-pixel points, and trace only the others."""

    pixels: Pixels
    ids: np.ndarray  # (N,) the pixel index of each ray (shifts each pixel's sample pattern)
    memo: dict  # light key -> (h * w,) visibility from the whole-image pass, nan where not traced
    first_objects: np.ndarray | None = None  # (h * w,) object ids of the whole-image pass

    def known(self, key, pixel_ids: np.ndarray, objects: np.ndarray) -> np.ndarray | None:
        """Visibility the whole-image pass found for these points (nan where it must be traced)."""
        if self.pixels.grid is not None or key not in self.memo:
            return None
        same = self.first_objects[pixel_ids] == objects
        return np.where(same, self.memo[key][pixel_ids], np.nan).astype(np.float32)

    def remember(self, key, pixel_ids: np.ndarray, vis: np.ndarray, traced: np.ndarray) -> None:
        if self.pixels.grid is not None:
            h, w = self.pixels.grid
            image = np.full(h * w, np.nan, np.float32)
            image[pixel_ids[traced]] = vis[traced]
            self.memo[key] = image


@dataclass(frozen=True)
class Plan:
    """How a render samples shadows: ``samples`` per refined pixel, ``soft`` over the light's size."""

    samples: int = 1  # 1: one ray per point, hard and unrefined
    soft: bool = False
    smoothing: float = 0.8  # pixels: the Gaussian that evens out a soft penumbra's grain

    @classmethod
    def of(cls, settings) -> tuple[Plan, Plan]:
        """The plans for the sun and for lamps under RenderSettings ``settings``. A lamp's penumbra is
        wide (it is 4-40 cm across, the sun half a degree): half the samples, smoothed more; hard
        shadows of lamps are not refined (previews of a room with four lamps stay fast)."""
        sun = cls(settings.shadow_samples, settings.soft_shadows)
        lamps = cls(max(4, settings.shadow_samples // 2), True, 1.5) if sun.soft else cls()
        return sun, lamps


def visibility(
    occluded: Occluded,
    light: SunLight | LampLight,
    points: np.ndarray,
    normals: np.ndarray,
    dirs: np.ndarray,
    pixel_ids: np.ndarray,
    lit: np.ndarray,
    pixels: Pixels,
    plan: Plan,
    eps: float,
    known: np.ndarray | None = None,
    objects: np.ndarray | None = None,
) -> np.ndarray:
    """Fraction (N,) of ``light`` reaching ``points`` (surface hits of rays ``dirs`` through pixels
    ``pixel_ids``; ``normals`` geometric, facing the viewer); 0 where not ``lit`` (facing away).
    ``known`` gives values already found (nan where not); ``objects`` (the hit object of each point)
    keeps the smoothing of a soft penumbra's grain within each object."""
    vis = np.zeros(len(points), np.float32)
    if known is not None:
        have = lit & ~np.isnan(known)
        vis[have] = known[have]
        lit = lit & ~have
    sel = np.flatnonzero(lit)
    if sel.size == 0:
        return vis
    ray_dirs, tmax = light.rays(points[sel], np.zeros(3, np.float32))
    vis[sel] = ~occluded(points[sel] + normals[sel] * eps, ray_dirs.astype(np.float32), tmax)
    if plan.samples <= 1:
        return vis
    sampler = _Sampler(occluded, light, points, normals, dirs, pixel_ids, pixels, plan, eps)
    if pixels.grid is not None:
        _refine_edges(vis, sel, pixel_ids, pixels.grid, sampler, plan.soft, objects)
    elif plan.soft:
        probe = sampler(sel, PROBES)
        mixed = sel[(probe > 0) & (probe < 1) | (probe != vis[sel])]
        vis[sel] = (vis[sel] + PROBES * probe) / (PROBES + 1)
        if mixed.size:
            vis[mixed] = sampler(mixed, plan.samples)
    return vis


def _refine_edges(vis, sel, pixel_ids, grid: tuple[int, int], sampler, soft: bool, objects) -> None:
    """Resample pixels near a change of visibility; at final quality grow the band over the penumbra."""
    h, w = grid
    considered = np.zeros(h * w, bool)
    considered[pixel_ids[sel]] = True
    image = np.zeros(h * w, np.float32)
    image[pixel_ids[sel]] = vis[sel]
    at = np.full(h * w, -1, np.int64)
    at[pixel_ids] = np.arange(len(pixel_ids))
    considered, image = considered.reshape(h, w), image.reshape(h, w)
    edge = np.zeros((h, w), bool)
    for axis in (0, 1):
        a = [slice(None)] * 2
        b = [slice(None)] * 2
        a[axis], b[axis] = slice(1, None), slice(None, -1)
        a, b = tuple(a), tuple(b)
        step = (image[a] != image[b]) & considered[a] & considered[b]
        edge[a] |= step
        edge[b] |= step
    # A pixel a straight shadow edge crosses always has a 4-neighbour whose centre lies on the edge's
    # other side: the pixels of a change are the band (no wider one, which cost previews a third more rays).
    band = edge
    done = np.zeros((h, w), bool)
    for _ in range(GROW_ROUNDS if soft else 1):
        flat = np.flatnonzero(band)
        if flat.size == 0:
            break
        q = at[flat]
        vis[q] = sampler(q, sampler.plan.samples)
        image.ravel()[flat] = vis[q]
        done |= band
        if not soft:
            break
        partial = band & (image > 0.02) & (image < 0.98)
        band = _dilated(partial, GROW_STEP) & considered & ~done
    if soft and objects is not None and done.any():
        # The penumbra's grain (a few samples per pixel) smoothed within each object.
        owner = np.full(h * w, -1, np.int64)
        owner[pixel_ids[sel]] = objects[sel]
        smooth = smooth_occlusion(image, owner.reshape(h, w), sigma=sampler.plan.smoothing)
        flat = np.flatnonzero(done)
        vis[at[flat]] = smooth.ravel()[flat]


def _dilated(mask: np.ndarray, step: int) -> np.ndarray:
    """``binary_dilation(mask, iterations=step)``, computed on the mask's bounding box grown by ``step`` only (a
    penumbra band is a small part of a 1920 px frame)."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    out = np.zeros_like(mask)
    if rows.size == 0:
        return out
    r0, r1 = max(rows[0] - step, 0), min(rows[-1] + step + 1, mask.shape[0])
    c0, c1 = max(cols[0] - step, 0), min(cols[-1] + step + 1, mask.shape[1])
    out[r0:r1, c0:c1] = ndimage.binary_dilation(mask[r0:r1, c0:c1], iterations=step)
    return out


class _Sampler:
    """Visibility of points averaged over ``n`` stratified samples: sub-pixel points on the tangent
    plane where the image grid is known, and points of the light at final quality."""

    def __init__(self, occluded, light, points, normals, dirs, pixel_ids, pixels: Pixels, plan: Plan, eps: float):
        self.occluded, self.light, self.points, self.normals = occluded, light, points, normals
        self.dirs, self.pixel_ids, self.pixels, self.plan, self.eps = dirs, pixel_ids, pixels, plan, eps

    def __call__(self, q: np.ndarray, n: int) -> np.ndarray:
        # A hard edge takes the same rotated grid in every pixel (a smooth edge); a soft one shifts
        # the patterns per pixel (Cranley-Patterson), trading bands in the penumbra for fine grain.
        soft = self.plan.soft
        shift = _NOISE[self.pixel_ids[q] % len(_NOISE)] if soft else np.zeros((q.size, 2), np.float32)
        p, normals = self.points[q], self.normals[q]
        points = np.broadcast_to(p, (n,) + p.shape)  # (n, q, 3): sample-major
        if self.pixels.grid is not None:
            du, dv = _surface_steps(p, normals, self.dirs[q], self.pixels)
            offset = (sample_offsets(n + 1)[1:, None].astype(np.float32) + shift) % 1.0 - 0.5  # (n, q, 2)
            points = points + offset[..., :1] * du + offset[..., 1:] * dv
        aim = np.zeros(3, np.float32)
        if soft:
            # The same strata for the light, paired in another order so that position and light decorrelate.
            strata = stratified(n)[(np.arange(n) * _pairing(n) + 1) % n]
            line = ((np.arange(n)[:, None] * _pairing(n) % n + shift[:, 1]) / n).astype(np.float32)
            aim = self.light.aims(p, (strata[:, None] + shift[:, ::-1]) % 1.0, line)
        ray_dirs, tmax = self.light.rays(points, aim)
        origins = (points + normals * self.eps).reshape(-1, 3)
        blocked = self.occluded(origins, ray_dirs.reshape(-1, 3).astype(np.float32), tmax)
        return 1.0 - blocked.reshape(n, q.size).mean(axis=0, dtype=np.float32)


def _surface_steps(p, n, d, pixels: Pixels) -> tuple[np.ndarray, np.ndarray]:
    """How the point a pixel's ray meets on the plane at ``p`` (normal ``n``) moves per pixel along u
    and v (ray differentials), limited where the plane is seen edge-on."""
    ray = d / np.einsum("ij,j->i", d, pixels.forward)[:, None]
    facing = np.minimum(np.einsum("ij,ij->i", ray, n), -1e-6)[:, None]
    t = np.einsum("ij,ij->i", p - pixels.origin, n)[:, None] / facing
    steps = []
    for axis in (pixels.dx, pixels.dy):
        step = t * (axis - ray * (n @ axis)[:, None] / facing)
        limit = 4 * t * np.linalg.norm(axis)  # four pixels' width at that distance, face on
        length = np.linalg.norm(step, axis=1, keepdims=True)
        steps.append((step * np.minimum(1.0, limit / np.maximum(length, 1e-12))).astype(np.float32))
    return steps[0], steps[1]


def _frame(axis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors perpendicular to unit ``axis`` (N, 3) and to each other."""
    helper = np.where(np.abs(axis[:, 2:3]) < 0.9, np.float32([0, 0, 1]), np.float32([1, 0, 0]))
    t1 = np.cross(axis, helper)
    t1 /= np.linalg.norm(t1, axis=1, keepdims=True)
    return t1, np.cross(axis, t1)


def stratified(n: int) -> np.ndarray:
    """n points in [0, 1)^2 (n, 2), the centres of n cells of a near-square grid."""
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    i = np.arange(n)
    return np.stack([(i % cols + 0.5) / cols, (i // cols + 0.5) / rows], axis=1).astype(np.float32)


def _pairing(n: int) -> int:
    """A step coprime with n: sample k of the light takes stratum (k * step + 1) % n."""
    return next(s for s in (7, 5, 3, 1) if math.gcd(s, n) == 1)


def _concentric(u: np.ndarray) -> np.ndarray:
    """Shirley and Chiu's map of the unit square (N, 2) onto the unit disc, keeping strata apart."""
    a, b = 2 * u[:, 0] - 1, 2 * u[:, 1] - 1
    first = np.abs(a) > np.abs(b)
    r = np.where(first, a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(first, (np.pi / 4) * (b / a), np.pi / 2 - (np.pi / 4) * (a / b))
    phi = np.where((a == 0) & (b == 0), 0.0, phi)
    return np.stack([r * np.cos(phi), r * np.sin(phi)], axis=1).astype(np.float32)
