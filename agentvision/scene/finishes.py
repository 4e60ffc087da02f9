"""Procedural finishes for the scene library: wood, plaster, stone and leather as tileable textures, and the
box-projected UVs that lay them on any mesh at a real-world scale.

A :class:`Finish` is a material whose base colour map is generated here (deterministic, seeded by
the finish and its colour) with a mean close to the designer's colour, plus the metres one repeat
of the map spans. :meth:`~agentvision.scene.build.Builder.add` lays it on a mesh with
:func:`box_uv`: each face takes the plane of its dominant axis (floors and tops see x and y,
walls their horizontal axis and z, upright as seen from outside), so floors, walls and furniture
need no UVs of their own, and stay closed (UVs are per face corner). The noise is filtered white
noise in the Fourier domain: periodic, so every map tiles without a seam.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import trimesh

from agentvision.conventions import linear_to_srgb, srgb_to_linear
from agentvision.scene.model import UV, Material, SceneError, Texture

KINDS = ("planks", "wood", "plaster", "stone", "masonry", "leather")
SIZE = 256  # texels along each side of a generated map


@dataclass(frozen=True)
class Finish:
    """A material with generated maps, and the metres one repeat of them spans on a surface."""

    material: Material
    tile: float


def finish(material: Material, kind: str, tile: float) -> Finish:
    """``material`` with the ``kind`` finish (one of :data:`KINDS`) in its colour, repeating every ``tile`` metres."""
    if kind not in KINDS:
        raise SceneError(f"unknown finish {kind!r}; use one of {', '.join(KINDS)}")
    colour = tuple(round(float(c), 4) for c in material.base_color)
    texture = _texture(kind, colour)
    mean = srgb_to_linear(texture.pixels.reshape(-1, 3) / 255.0).mean(axis=0)
    textured = replace(material, base_color=(1.0, 1.0, 1.0), base_color_map=texture, mean_color=tuple(map(float, mean)))
    return Finish(textured, float(tile))


@cache
def _texture(kind: str, colour: tuple[float, float, float]) -> Texture:
    """The map of a finish: a shade pattern (mean 1) times the colour, encoded sRGB."""
    seed = (KINDS.index(kind) * 7919 + int(sum(c * 1e4 for c in colour))) % 2**32
    rng = np.random.default_rng(seed)
    makers = {"planks": _planks, "wood": _grain, "plaster": _plaster, "stone": _stone, "masonry": _masonry}
    shade = {**makers, "leather": _leather}[kind](rng)
    shade = shade / shade.mean()
    rgb = linear_to_srgb(np.asarray(colour, np.float32) * shade[..., None])
    return Texture(np.round(np.clip(rgb, 0, 1) * 255).astype(np.uint8), name=kind)


# ----- tileable noise -------------------------------------------------------------------------
def noise(rng: np.random.Generator, scale: float, stretch: float = 1.0, size: int = SIZE) -> np.ndarray:
    """Tileable smooth noise (size, size), zero mean, unit deviation; features about ``scale`` texels
    across (``stretch`` times longer along u)."""
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.fftfreq(size)[None, :] * stretch
    spectrum = np.fft.fft2(rng.standard_normal((size, size)))
    filtered = np.real(np.fft.ifft2(spectrum * np.exp(-((fx**2 + fy**2) * (np.pi * scale) ** 2) / 2)))
    return (filtered - filtered.mean()) / max(float(filtered.std()), 1e-9)


def _grain(rng) -> np.ndarray:
    """Wood grain running along u: long streaks, fine fibres and a few darker figure lines."""
    streaks = noise(rng, 6, stretch=12)
    fibres = noise(rng, 1.2, stretch=20)
    figure = np.sin(np.linspace(0, 2 * np.pi * 9, SIZE)[:, None] + 2.5 * noise(rng, 24, stretch=6))
    return 1.0 + 0.07 * streaks + 0.035 * fibres - 0.05 * np.clip(figure, 0.6, 1.0)


def _planks(rng) -> np.ndarray:
    """Floorboards along u: eight per repeat, each its own tone, with seams and staggered ends."""
    shade = _grain(rng)
    per = SIZE // 8
    v, u = np.mgrid[0:SIZE, 0:SIZE]
    board = v // per
    tone = 1.0 + 0.09 * rng.standard_normal(8)
    shade = shade * tone[board]
    ends = rng.integers(0, SIZE, 8)
    seam = (
        (v % per == 0)
        | (v % per == per - 1)
        | ((u - ends[board]) % SIZE < 2)
        | ((u - ends[board] - SIZE // 2) % SIZE < 2)
    )
    return np.where(seam, shade * 0.55, shade)


def _plaster(rng) -> np.ndarray:
    """Hand-floated plaster: soft clouds of tone and a fine sand grain."""
    return 1.0 + 0.012 * noise(rng, 40) + 0.008 * noise(rng, 8) + 0.02 * noise(rng, 0.8)


def _leather(rng) -> np.ndarray:
    """Aniline leather: a worn, cloudy tone and a fine pebbled grain."""
    return 1.0 + 0.07 * noise(rng, 24) + 0.03 * noise(rng, 5) - 0.04 * np.abs(noise(rng, 1.2))


def _stone(rng) -> np.ndarray:
    """Sandstone or limestone: mottled tone, bedding streaks, speckles."""
    speckle = np.clip(noise(rng, 0.8), -3, 3)
    return 1.0 + 0.035 * noise(rng, 30) + 0.03 * noise(rng, 10, stretch=4) + 0.05 * speckle


def _masonry(rng) -> np.ndarray:
    """Coursed stone blocks in running bond, each its own tone, set in recessed mortar."""
    shade = _stone(rng)
    rows, cols = 4, 3
    h, w = SIZE // rows, SIZE // cols
    v, u = np.mgrid[0:SIZE, 0:SIZE]
    row = v // h
    shifted = (u + (row % 2) * (w // 2)) % SIZE
    block = row * cols + shifted // w
    tone = 1.0 + 0.12 * rng.standard_normal(rows * cols)
    shade = shade * tone[block % (rows * cols)]
    mortar = (v % h < 3) | (shifted % w < 3)
    return np.where(mortar, 0.72 * (1.0 + 0.03 * noise(rng, 2)), shade)


# ----- box-projected UVs ----------------------------------------------------------------------
def box_uv(mesh: trimesh.Trimesh, tile: float) -> trimesh.Trimesh:
    """A copy of ``mesh`` with texture coordinates (:data:`UV`, per corner) projected on each face's
    dominant plane at one repeat per ``tile`` metres."""
    faces = np.asarray(mesh.faces)
    normals = np.asarray(mesh.face_normals)
    axis = np.abs(normals).argmax(axis=1)
    plane = axis * 2 + (normals[np.arange(len(faces)), axis] >= 0)  # 0..5: -x, +x, -y, +y, -z, +z
    x, y, z = np.moveaxis(np.asarray(mesh.vertices, dtype=np.float64)[faces] / tile, -1, 0)  # each (F, 3)
    which = plane[:, None]
    # u to the right and v down the image, as each face is seen from outside (floors seen from above, north up)
    u = np.select([which == 0, which == 1, which == 2, which == 3], [-y, y, x, -x], x)
    v = np.where(which >= 4, -y, -z)
    out = mesh.copy()
    out.face_attributes[UV] = np.stack([u, v], axis=-1).astype(np.float32)
    return out
