"""Ambient occlusion for the raycast engine: how much of the sky and room light reaches each hit.

Traced at every other pixel in each direction with cosine-weighted rays that stay near their
occluders (AO_DISTANCE). White-noise directions, smoothed, leave soft dark blotches on plain walls;
here every pixel takes the same stratified set of directions (one per cell of a grid on the
square that maps to the hemisphere) shifted by one of TILE x TILE lattice offsets, so that a
TILE x TILE neighbourhood together samples TILE^2 times as many directions evenly (interleaved
sampling), and the per-object Gaussian that follows averages that neighbourhood into a smooth value.
"""

from __future__ import annotations

import numpy as np

from agentvision.conventions import BACKGROUND_ID
from agentvision.render.post import smooth_occlusion
from agentvision.render.shadows import stratified
from agentvision.scene.rays import Hits, SceneRays

AO_DISTANCE = 0.8  # metres: occluders further away do not darken ambient light
AO_STRENGTH = 0.85  # a fully enclosed point keeps 1 - this of the ambient light
EPS = 1e-3  # metres: rays start this far off the surface
TILE = 4  # pixels (of the half-resolution grid): the interleaving period
_GOLDEN = 0.6180339887


def half_res_occlusion(rays: SceneRays, origins, dirs, hits: Hits, n_rays: int, w: int, h: int) -> np.ndarray:
    """AO (h * w,) traced at every other pixel in each direction, spread back and smoothed per object."""
    grid = np.arange(h * w).reshape(h, w)[::2, ::2]
    sub = grid.ravel()
    sub_hits = Hits(hits.t[sub], hits.ids[sub], hits.normals[sub])
    rows, cols = np.divmod(np.arange(sub.size), grid.shape[1])
    cell = (rows % TILE) * TILE + cols % TILE
    half = occlusion(rays, origins[sub], dirs[sub], sub_hits, n_rays, cell).reshape(grid.shape)
    half = smooth_occlusion(half, sub_hits.ids.reshape(grid.shape), sigma=max(2.0, w / 400))
    return np.repeat(np.repeat(half, 2, axis=0), 2, axis=1)[:h, :w].reshape(-1)


def occlusion(rays: SceneRays, origins, dirs, hits: Hits, n_rays: int, cell: np.ndarray) -> np.ndarray:
    """Fraction of ambient light reaching each hit (1 = open), from ``n_rays`` cosine-weighted rays per
    hit; ``cell`` (0 .. TILE^2 - 1 per ray) picks the lattice shift of its stratified directions."""
    ao = np.ones(len(dirs), np.float32)
    idx = np.nonzero(hits.ids != BACKGROUND_ID)[0]
    if idx.size == 0:
        return ao
    n = hits.normals[idx]
    n = np.where((np.einsum("ij,ij->i", n, dirs[idx]) > 0)[:, None], -n, n)
    p = origins[idx] + hits.t[idx, None] * dirs[idx] + n * EPS
    helper = np.where(np.abs(n[:, 2:3]) < 0.9, np.float32([0, 0, 1]), np.float32([1, 0, 0]))
    t1 = np.cross(n, helper)
    t1 /= np.linalg.norm(t1, axis=1, keepdims=True)
    t2 = np.cross(n, t1)
    k = (cell[idx] + 0.5) / TILE**2
    shift = np.stack([k, (k * TILE**2 * _GOLDEN) % 1.0], axis=1).astype(np.float32)  # a rank-1 lattice
    blocked = np.zeros(idx.size, np.float32)
    for stratum in stratified(n_rays):
        r1, r2 = ((stratum + shift) % 1.0).T
        r, phi = np.sqrt(r1), 2 * np.pi * r2
        local = (r * np.cos(phi))[:, None] * t1 + (r * np.sin(phi))[:, None] * t2 + np.sqrt(1 - r1)[:, None] * n
        blocked += rays.shadow.occluded(p, local.astype(np.float32), AO_DISTANCE)
    ao[idx] = 1.0 - AO_STRENGTH * blocked / n_rays
    return ao
