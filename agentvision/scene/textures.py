"""Textures: made from images, filtered into mip levels, sampled at UVs; a surface's mean colour.

Sampling follows glTF and OpenGL: UV (0, 0) is the top-left corner of the image, texel centres
sit at half-integers, the wrap mode applies per axis, and filtering happens on the stored values
(sRGB-encoded colour is decoded after filtering, as pyrender's shader does), so the raycast engine
sees what the gl engine draws. Mip levels are box-filtered halvings, cached per Texture; a
:class:`PackedTextures` holds many textures' levels in one array so a renderer samples every
texture of a frame in one vectorised call.
"""

from __future__ import annotations

import functools
import weakref

import numpy as np
from PIL import Image

from agentvision.conventions import srgb_to_linear
from agentvision.scene.model import COLOR, UV, Material, Texture

MAX_SIDE = 2048  # textures read from files are box-filtered down to at most this many pixels a side
_MEAN_SAMPLES = 4096  # surface samples for a mean colour
_MEAN_LEVEL_SIDE = 256  # the mean colour reads the mip level whose longer side is at most this

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
_WRAP_CODE = {"repeat": 0, "mirror": 1, "clamp": 2}
_LUT_STEPS = 4096
_DECODE_LUT = srgb_to_linear(np.arange(_LUT_STEPS + 1) / _LUT_STEPS).astype(np.float32)  # encoded -> linear
_CHANNELS = {1: [0], 2: [0, 3], 3: [0, 1, 2], 4: [0, 1, 2, 3]}  # where each layout's channels sit in RGBA
_BYTE_LUT = np.stack([np.arange(256) / 255.0, srgb_to_linear(np.arange(256) / 255.0)]).astype(np.float32)


class PackedTextures:
    """Textures and all their mip levels in one flat RGBA texel array, so that one call samples
    many textures at once (each sample names its texture by index into ``textures``)."""

    def __init__(self, textures: list[Texture]):
        self.textures = list(textures)
        chains = [mip_levels(t) for t in self.textures]
        self._depth = max((len(c) for c in chains), default=1)
        n = len(chains)
        # per (texture, level), flattened as texture * depth + level
        self._offset = np.zeros(n * self._depth, np.int64)
        self._width = np.ones(n * self._depth, np.int64)
        self._height = np.ones(n * self._depth, np.int64)
        self.levels = np.array([len(c) for c in chains], np.int64)
        self.srgb = np.array([t.srgb for t in self.textures], bool)
        self.wrap = np.array([[_WRAP_CODE[w] for w in t.wrap] for t in self.textures], np.int64).reshape(n, 2)
        self._odd = self.wrap.any(axis=1)  # textures that do not repeat on some axis
        self.size = np.array([max(t.size) for t in self.textures], np.float32)
        self.log_size = np.log2(np.maximum(self.size, 1.0))  # a texture's mip levels: log2 of texels per UV
        blocks, at = [], 0
        for i, chain in enumerate(chains):
            for k, level in enumerate(chain):
                rgba = _as_rgba(level)
                key = i * self._depth + k
                self._offset[key], self._height[key], self._width[key] = at, rgba.shape[0], rgba.shape[1]
                blocks.append(rgba.reshape(-1, 4))
                at += rgba.shape[0] * rgba.shape[1]
        texels = np.concatenate(blocks) if blocks else np.zeros((1, 4), np.uint8)
        self._texels = np.ascontiguousarray(texels).view(np.uint32).reshape(-1)  # one RGBA texel per word

    def sample(
        self, index: np.ndarray, uv: np.ndarray, lod: np.ndarray | float = 0.0, bilinear: bool = True
    ) -> np.ndarray:
        """(N, 4) RGBA of texture ``index[i]`` at ``uv[i]`` on the mip level nearest ``lod[i]``, bilinear
        (else the nearest texel, but bilinear still where the texture is magnified: ``lod < 0``); RGB
        decoded to linear light for sRGB textures, alpha and data maps as stored / 255."""
        index = np.asarray(index, np.int64)
        uv = np.asarray(uv, np.float32)
        level = np.rint(np.broadcast_to(np.asarray(lod, np.float32), index.shape)).astype(np.int64)
        key = index * self._depth + np.minimum(np.maximum(level, 0), self.levels[index] - 1)
        w, h = self._width[key], self._height[key]
        if not bilinear:  # nearest where a pixel covers a texel or more; bilinear where texels are magnified
            close = np.flatnonzero(np.asarray(lod) < 0) if np.ndim(lod) else (np.arange(len(index)) if lod < 0 else [])
            if len(close) == 0:
                return self._nearest(index, key, uv, w, h)
            out = self._nearest(index, key, uv, w, h)
            out[close] = self.sample(index[close], uv[close], 0.0)
            return out
        x = uv[:, 0] * w - 0.5  # float64: texel coordinates of far-repeating UVs keep their fraction
        y = uv[:, 1] * h - 0.5
        x0, y0 = np.floor(x), np.floor(y)
        fx, fy = (x - x0).astype(np.float32)[:, None], (y - y0).astype(np.float32)[:, None]
        x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
        xa, xb, ya, yb = x0 % w, (x0 + 1) % w, y0 % h, (y0 + 1) % h  # repeat: the common case
        odd = np.flatnonzero(self._odd[index]) if self._odd.any() else ()
        if len(odd):  # mirror or clamp
            mode = self.wrap[index[odd]]
            xa[odd], xb[odd] = _wrap(x0[odd], w[odd], mode[:, 0]), _wrap(x0[odd] + 1, w[odd], mode[:, 0])
            ya[odd], yb[odd] = _wrap(y0[odd], h[odd], mode[:, 1]), _wrap(y0[odd] + 1, h[odd], mode[:, 1])
        base, t = self._offset[key], self._texels
        ya, yb = base + ya * w, base + yb * w

        def texel(at: np.ndarray) -> np.ndarray:
            return t[at].view(np.uint8).reshape(-1, 4)

        a, b, c, d = texel(ya + xa), texel(ya + xb), texel(yb + xa), texel(yb + xb)
        top = a + (b.astype(np.float32) - a) * fx
        bottom = c + (d.astype(np.float32) - c) * fx
        out = (top + (bottom - top) * fy) * np.float32(1 / 255)
        srgb = self.srgb[index]
        if srgb.all():
            out[:, :3] = _DECODE_LUT[(out[:, :3] * _LUT_STEPS + 0.5).astype(np.int32)]
        elif srgb.any():
            rows = np.flatnonzero(srgb)
            out[rows, :3] = _DECODE_LUT[(out[rows, :3] * _LUT_STEPS + 0.5).astype(np.int32)]
        return out

    def _nearest(self, index, key, uv, w, h) -> np.ndarray:
        """The texel each UV falls in (its centre is the nearest), decoded exactly by byte tables."""
        x = np.floor(uv[:, 0] * w).astype(np.int64)
        y = np.floor(uv[:, 1] * h).astype(np.int64)
        xa, ya = x % w, y % h
        odd = np.flatnonzero(self._odd[index]) if self._odd.any() else ()
        if len(odd):
            mode = self.wrap[index[odd]]
            xa[odd], ya[odd] = _wrap(x[odd], w[odd], mode[:, 0]), _wrap(y[odd], h[odd], mode[:, 1])
        rgba = self._texels[self._offset[key] + ya * w + xa].view(np.uint8).reshape(-1, 4)
        out = np.empty(rgba.shape, np.float32)
        srgb = self.srgb[index]
        out[:, 3] = _BYTE_LUT[0, rgba[:, 3]]
        if srgb.all() or not srgb.any():
            out[:, :3] = _BYTE_LUT[int(srgb[0]) if len(srgb) else 0, rgba[:, :3]]
        else:
            out[:, :3] = _BYTE_LUT[srgb.astype(np.int64)[:, None], rgba[:, :3]]
        return out


def _as_rgba(level: np.ndarray) -> np.ndarray:
    """(H, W, C) uint8 -> (H, W, 4): grey spread to RGB, alpha 255 where there is none."""
    c = level.shape[2]
    if c == 4:
        return level
    alpha = level[..., 1:2] if c == 2 else np.full(level.shape[:2] + (1,), 255, np.uint8)
    rgb = level[..., :3] if c == 3 else np.repeat(level[..., :1], 3, axis=2)
    return np.concatenate([rgb, alpha], axis=2)


def _wrap(i: np.ndarray, n: np.ndarray, mode: np.ndarray) -> np.ndarray:
    """Texel indices wrapped per sample: mode 0 repeat, 1 mirror, 2 clamp."""
    repeat = np.mod(i, n)
    period = np.mod(i, 2 * n)
    mirror = np.where(period < n, period, 2 * n - 1 - period)
    return np.where(mode == 0, repeat, np.where(mode == 1, mirror, np.clip(i, 0, n - 1)))


_PACKED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Texture -> PackedTextures of it alone


def sample(texture: Texture, uv: np.ndarray, lod: np.ndarray | float = 0.0) -> np.ndarray:
    """Values (N, C) of ``texture`` at ``uv`` (N, 2): linear light for sRGB textures, else stored/255.

    ``lod`` is the mip level per sample (log2 of texels per pixel; 0 is full size); each sample
    reads the nearest level, bilinearly.
    """
    packed = _PACKED.get(texture)
    if packed is None:
        packed = _PACKED[texture] = PackedTextures([texture])
    uv = np.asarray(uv, dtype=np.float32).reshape(-1, 2)
    out = packed.sample(np.zeros(len(uv), np.int64), uv, lod)
    return out[:, _CHANNELS[texture.channels]]


@functools.lru_cache(maxsize=64)
def scaled_normal_map(texture: Texture, scale: float) -> Texture:
    """``texture`` (a tangent-space normal map) with its X and Y scaled by ``scale`` and renormalised, for
    engines that have no normal scale (pyrender, Mitsuba's ``normalmap``); the texture itself at 1."""
    if scale == 1.0:
        return texture
    m = texture.pixels[..., :3] / 127.5 - 1.0
    m[..., :2] *= scale
    m /= np.maximum(np.linalg.norm(m, axis=2, keepdims=True), 1e-6)
    pixels = np.round((m + 1.0) * 127.5).astype(np.uint8)
    return Texture(pixels, srgb=False, wrap=texture.wrap, name=f"{texture.name}*{scale:g}")


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


def at_samples(samples, per_corner: np.ndarray) -> np.ndarray:
    """A per-corner attribute (F, 3, C) interpolated at surface samples."""
    faces, bary = samples
    return np.einsum("nk,nkc->nc", bary, np.asarray(per_corner, dtype=np.float64)[faces])


def mean_color(mesh, material: Material) -> tuple[float, float, float]:
    """The base colour averaged over the surface: factor x base colour map x vertex colours, linear RGB."""
    color = np.asarray(material.base_color, dtype=np.float64)
    uv, vertex = mesh.face_attributes.get(UV), mesh.face_attributes.get(COLOR)
    textured = material.base_color_map is not None and uv is not None
    if not textured and vertex is None:
        return tuple(float(c) for c in color)
    samples = surface_samples(mesh)
    values = np.ones((len(samples[0]), 3))
    if textured:
        texture = material.base_color_map
        lod = max(0.0, np.ceil(np.log2(max(texture.size) / _MEAN_LEVEL_SIDE)))
        texel = sample(texture, at_samples(samples, uv), lod)
        values = values * (texel[:, :3] if texture.channels >= 3 else texel[:, :1])
    if vertex is not None:
        values = values * at_samples(samples, vertex)[:, :3]
    return tuple(float(c) for c in np.clip(color * values.mean(axis=0), 0.0, 1.0))
