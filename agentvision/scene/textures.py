"""Textures: made from images, filtered into mip levels, sampled at UVs; a surface's mean colour.

Sampling follows glTF and OpenGL: UV (0, 0) is the top-left corner of the image, texel centres
sit at half-integers, the wrap mode applies per axis, and filtering happens on the stored values
(sRGB-encoded colour is decoded after filtering, as pyrender's shader does), so the raycast engine
sees what the gl engine draws. Mip levels are box-filtered halvings, cached per Texture.
"""

from __future__ import annotations

import weakref

import numpy as np
from PIL import Image

from agentvision.conventions import srgb_to_linear
from agentvision.scene.model import COLOR, UV, Material, Texture

MAX_SIDE = 2048  # textures read from files are box-filtered down to at most this many pixels a side
_MEAN_SAMPLES = 4096  # surface samples for a mean colour
_MEAN_LEVEL_SIDE = 256  # the mean colour reads the mip level whose longer side is at most this

_DECODE = srgb_to_linear(np.arange(256) / 255.0).astype(np.float32)  # sRGB byte -> linear
_MIPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Texture -> [level 0, 1, ...] uint8 arrays


# ----- making textures ----------------------------------------------------------------------
def texture_from_image(
    image: Image.Image, *, srgb: bool, wrap: tuple[str, str] = ("repeat", "repeat"), name: str = ""
) -> Texture:
    """A Texture from a PIL image: palette and 16-bit modes become 8-bit; larger than MAX_SIDE is reduced."""
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    factor = -(-max(image.size) // MAX_SIDE)
    if factor > 1:
        image = image.reduce(factor)
    return Texture(np.asarray(image, dtype=np.uint8), srgb=srgb, wrap=wrap, name=name)


def mip_levels(texture: Texture) -> list[np.ndarray]:
    """The texture's mip chain, level 0 first, down to 1 x 1 (box-filtered halvings, cached)."""
    levels = _MIPS.get(texture)
    if levels is None:
        levels = [texture.pixels]
        pixels = texture.pixels if texture.channels > 1 else texture.pixels[..., 0]
        image = Image.fromarray(np.ascontiguousarray(pixels))
        while max(image.size) > 1:
            image = image.reduce(2)  # sizes round up: (5, 1) -> (3, 1)
            levels.append(np.asarray(image, dtype=np.uint8).reshape(image.height, image.width, texture.channels))
        _MIPS[texture] = levels
    return levels


# ----- sampling -----------------------------------------------------------------------------
def _wrap(i: np.ndarray, n: int, mode: str) -> np.ndarray:
    if mode == "repeat":
        return np.mod(i, n)
    if mode == "mirror":
        period = np.mod(i, 2 * n)
        return np.where(period < n, period, 2 * n - 1 - period)
    return np.clip(i, 0, n - 1)


def _bilinear(level: np.ndarray, uv: np.ndarray, wrap: tuple[str, str]) -> np.ndarray:
    """(N, C) float32 stored values in [0, 1] at ``uv`` (N, 2), bilinear between the four nearest texels."""
    h, w = level.shape[:2]
    x = uv[:, 0].astype(np.float64) * w - 0.5
    y = uv[:, 1].astype(np.float64) * h - 0.5
    x0, y0 = np.floor(x), np.floor(y)
    fx, fy = (x - x0).astype(np.float32)[:, None], (y - y0).astype(np.float32)[:, None]
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
    xa, xb = _wrap(x0, w, wrap[0]), _wrap(x0 + 1, w, wrap[0])
    ya, yb = _wrap(y0, h, wrap[1]), _wrap(y0 + 1, h, wrap[1])
    top = level[ya, xa] * (1 - fx) + level[ya, xb] * fx
    bottom = level[yb, xa] * (1 - fx) + level[yb, xb] * fx
    return (top * (1 - fy) + bottom * fy) * np.float32(1 / 255)


def sample(texture: Texture, uv: np.ndarray, lod: np.ndarray | float = 0.0) -> np.ndarray:
    """Values (N, C) of ``texture`` at ``uv`` (N, 2): linear light for sRGB textures, else stored/255.

    ``lod`` is the mip level per sample (log2 of texels per pixel; 0 is full size); each sample
    reads the nearest level, bilinearly.
    """
    uv = np.asarray(uv, dtype=np.float32).reshape(-1, 2)
    levels = mip_levels(texture)
    index = np.clip(np.rint(np.broadcast_to(np.asarray(lod, dtype=np.float32), (len(uv),))), 0, len(levels) - 1)
    index = index.astype(np.int64)
    out = np.empty((len(uv), texture.channels), dtype=np.float32)
    for k in np.unique(index):
        sel = index == k if len(levels) > 1 else slice(None)
        out[sel] = _bilinear(levels[k], uv[sel], texture.wrap)
    if texture.srgb:
        colour = min(3, texture.channels) if texture.channels != 2 else 1  # the alpha channel stays linear
        out[:, :colour] = _decode(out[:, :colour])
    return out


def _decode(values: np.ndarray) -> np.ndarray:
    """sRGB-encoded [0, 1] floats to linear light (exact formula, float32)."""
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4).astype(np.float32)


# ----- a surface's mean colour ----------------------------------------------------------------
def surface_samples(mesh, n: int = _MEAN_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic area-weighted surface samples: (face index (n,), barycentric weights (n, 3))."""
    area = mesh.area_faces
    total = float(area.sum())
    rng = np.random.default_rng(0)
    if total <= 0:
        faces = rng.integers(0, len(mesh.faces), n)
    else:
        faces = np.searchsorted(np.cumsum(area) / total, rng.random(n)).clip(0, len(mesh.faces) - 1)
    r1, r2 = np.sqrt(rng.random(n)), rng.random(n)
    bary = np.stack([1 - r1, r1 * (1 - r2), r1 * r2], axis=1)
    return faces, bary


def at_samples(mesh, samples, per_vertex: np.ndarray) -> np.ndarray:
    """A per-vertex attribute interpolated at surface samples."""
    faces, bary = samples
    return np.einsum("nk,nkc->nc", bary, np.asarray(per_vertex, dtype=np.float64)[mesh.faces[faces]])


def mean_color(mesh, material: Material) -> tuple[float, float, float]:
    """The base colour averaged over the surface: factor x base colour map x vertex colours, linear RGB."""
    color = np.asarray(material.base_color, dtype=np.float64)
    uv, vertex = mesh.vertex_attributes.get(UV), mesh.vertex_attributes.get(COLOR)
    textured = material.base_color_map is not None and uv is not None
    if not textured and vertex is None:
        return tuple(float(c) for c in color)
    samples = surface_samples(mesh)
    values = np.ones((len(samples[0]), 3))
    if textured:
        texture = material.base_color_map
        lod = max(0.0, np.ceil(np.log2(max(texture.size) / _MEAN_LEVEL_SIDE)))
        texel = sample(texture, at_samples(mesh, samples, uv), lod)
        values = values * (texel[:, :3] if texture.channels >= 3 else texel[:, :1])
    if vertex is not None:
        values = values * at_samples(mesh, samples, vertex)[:, :3]
    return tuple(float(c) for c in np.clip(color * values.mean(axis=0), 0.0, 1.0))
