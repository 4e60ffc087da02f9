"""Denoising path-traced images: Intel Open Image Denoise through the ``pyoidn`` binding.

OIDN (Apache-2.0; the ``pyoidn`` binding is MIT) takes the noisy linear radiance with albedo and
normal guides and returns a clean HDR image, so a few samples per pixel make a final. Without
``pyoidn`` images pass through unchanged and the caller says so once.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install pyoidn"
_warned = False


def available() -> bool:
    try:
        import pyoidn  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def denoise(
    color: np.ndarray, albedo: np.ndarray | None = None, normal: np.ndarray | None = None, quality: str = "high"
) -> tuple[np.ndarray, bool]:
    """(denoised HDR image, True), or (``color``, False) when OIDN is not installed (warned once)."""
    global _warned
    try:
        import pyoidn
    except (ImportError, OSError) as exc:
        if not _warned:
            log.warning("no denoiser (%s); path renders stay noisy: %s", exc, INSTALL_HINT)
            _warned = True
        return color, False
    f32 = [None if a is None else np.ascontiguousarray(a, dtype=np.float32) for a in (color, albedo, normal)]
    out = pyoidn.denoise(f32[0], f32[1], f32[2], hdr=True, quality=quality)
    return np.maximum(out, 0.0), True
