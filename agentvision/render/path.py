"""The path engine: physically based finals with Mitsuba 3, denoised, developed like raycast.

A path tracer (:mod:`agentvision.render.mitsuba_integrator`) renders the scene built by
:mod:`agentvision.render.mitsuba_scene` (sun with soft shadows, sky, lamps, glass, thin lens) on
an NVIDIA GPU (``cuda_ad_rgb``) when one is usable, else on the CPU (``llvm_ad_rgb``, which needs
libLLVM 16-19). Intel Open Image Denoise (:mod:`agentvision.render.denoise`) cleans the few
samples per pixel with albedo and normal guides; the radiance then goes through the same
metering and filmic tone mapping as the other engines (:func:`agentvision.render.post.develop`),
so exposure and look agree across engines. Ids and depth come from a pixel-centre pass of the same
Mitsuba scene with the same camera: they match raycast's pixel for pixel.
"""

from __future__ import annotations

import ctypes
import glob
import logging
import os
import re
import subprocess
import time
from dataclasses import dataclass, replace

import numpy as np

from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID, REC709_LUMA, srgb_to_linear
from agentvision.render.base import RendererError, RenderResult, RenderSettings
from agentvision.render.denoise import denoise
from agentvision.render.mitsuba_integrator import integrator_class
from agentvision.render.mitsuba_scene import LAMP_TRANSLUCENCY, build_scene, sensor_dict
from agentvision.render.post import develop
from agentvision.render.shading import tone_map
from agentvision.scene.lighting import lighting_for
from agentvision.scene.model import Scene
from agentvision.stopping import termination_requested

log = logging.getLogger(__name__)

LLVM_VERSIONS = (19, 18, 17, 16)  # Dr.Jit's LLVM backend works with these; 14 and 15 crash
LLVM_DIRS = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib")
INSTALL_LLVM = "apt-get install libllvm19 (or set DRJIT_LIBLLVM_PATH to a libLLVM 16-19)"


EXPOSURES = ("raycast", "preset")


@dataclass(frozen=True)
class PathConfig:
    """Samples, path length, denoising and exposure of the path engine."""

    final_spp: int = 4  # samples per pixel of a final (settings.antialias > 1), before denoising
    preview_spp: int = 1  # of a preview
    max_depth: int = 6  # path length: enough bounces for light through a window into a room
    denoise: bool = True
    denoise_quality: str = "high"  # OIDN's 'high', 'balanced' or 'fast'
    envmap_width: int = 2048  # pixels around the sky map (the sun's disc is ~3 pixels across)
    # "raycast": expose (and white-balance half-way) so that the frame reads as bright as the raycast
    # engine's metered frame of the same camera; "preset": the preset's exposure and metering, as
    # raycast develops (a room lit only through its windows is then several stops darker than
    # raycast's ambient-lit one).
    exposure: str = "raycast"
    clamp: float = 64.0  # per-sample luminance ceiling of direct light (white is ~4 after exposure)
    indirect_clamp: float = 4.0  # of indirect light: rare bright bounces are fireflies at few samples

    def __post_init__(self) -> None:
        if self.exposure not in EXPOSURES:
            raise ValueError(f"PathConfig.exposure {self.exposure!r}: use one of {', '.join(EXPOSURES)}")
        if min(self.final_spp, self.preview_spp, self.max_depth) < 1:
            raise ValueError("PathConfig needs at least 1 sample per pixel and a path depth of at least 1")


# ----- Mitsuba set-up ------------------------------------------------------------------------------
def _llvm_version(path: str) -> int | None:
    m = re.search(r"LLVM[-.]?(?:so\.)?(\d+)", os.path.basename(path))
    return int(m.group(1)) if m else None


def find_libllvm() -> str | None:
    """A libLLVM that Dr.Jit's CPU backend can use (16-19, newest first), from ldconfig or common paths."""
    found: list[str] = []
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10).stdout
        found += re.findall(r"=>\s*(\S*libLLVM\S*)", listing)
    except (OSError, subprocess.SubprocessError):
        pass
    for d in LLVM_DIRS:
        found += glob.glob(os.path.join(d, "libLLVM*.so*"))
    for v in LLVM_VERSIONS:
        found += glob.glob(f"/usr/lib/llvm-{v}/lib/libLLVM*.so*")
        found += glob.glob(f"/opt/homebrew/opt/llvm@{v}/lib/libLLVM.dylib") + glob.glob(
            f"/usr/local/opt/llvm@{v}/lib/libLLVM.dylib"
        )
    for v in LLVM_VERSIONS:
        for path in found:
            if _llvm_version(path) == v or f"llvm-{v}/" in path or f"llvm@{v}/" in path:
                if os.path.exists(path):
                    return path
    return None


def cuda_usable() -> bool:
    """True when an NVIDIA driver answers with at least one device."""
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int(0)
    return cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value > 0


_MITSUBA = None


def _use_libllvm() -> None:
    """Point Dr.Jit at a usable libLLVM (before its CPU backend starts): DRJIT_LIBLLVM_PATH as set,
    unless it names an LLVM that crashes Dr.Jit, else :func:`find_libllvm`."""
    path = os.environ.get("DRJIT_LIBLLVM_PATH")
    if path:
        version = _llvm_version(path)
        if version is not None and version < min(LLVM_VERSIONS):
            raise RendererError(f"DRJIT_LIBLLVM_PATH is LLVM {version}, which crashes Dr.Jit: {INSTALL_LLVM}")
        return
    path = find_libllvm()
    if path is None:
        raise RendererError(f"the path engine's CPU variant needs libLLVM 16-19: {INSTALL_LLVM}")
    os.environ["DRJIT_LIBLLVM_PATH"] = path


def mitsuba():
    """The mitsuba module with its variant set: cuda_ad_rgb on a usable NVIDIA GPU, else llvm_ad_rgb.

    Raises RendererError saying what to install when neither can run.
    """
    global _MITSUBA
    if _MITSUBA is not None:
        return _MITSUBA
    import importlib.util

    if importlib.util.find_spec("mitsuba") is None:
        raise RendererError("the path engine needs Mitsuba 3: pip install mitsuba")
    try:
        _use_libllvm()
        llvm_problem = None
    except RendererError as exc:
        llvm_problem = exc
    gpu = cuda_usable()
    if llvm_problem is not None and not gpu:
        raise llvm_problem
    import mitsuba as mi

    if gpu:
        try:
            mi.set_variant("cuda_ad_rgb")
            _MITSUBA = mi
            return mi
        except (ImportError, AttributeError, RuntimeError) as exc:
            log.warning("Mitsuba's cuda_ad_rgb variant does not start (%s); rendering on the CPU", exc)
    if llvm_problem is not None:
        raise llvm_problem
    try:
        mi.set_variant("llvm_ad_rgb")
    except (ImportError, AttributeError, RuntimeError) as exc:
        raise RendererError(f"Mitsuba's CPU variant does not start ({exc}); {INSTALL_LLVM}") from None
    _MITSUBA = mi
    return mi


# ----- exposure ---------------------------------------------------------------------------------
REFERENCE_WIDTH = 320  # pixels across the raycast frame whose brightness a path render matches


def _log_average(rgb: np.ndarray) -> float:
    """Mean log luminance of an sRGB uint8 image in linear display light (what a meter reads)."""
    lum = srgb_to_linear(rgb / 255.0) @ np.asarray(REC709_LUMA)
    return float(np.mean(np.log(1e-4 + lum)))


def _raycast_reference(scene: Scene, camera: Camera, settings: RenderSettings) -> np.ndarray:
    from agentvision.render.raycast import RaycastRenderer

    small = camera.with_width(min(camera.width, REFERENCE_WIDTH))
    return RaycastRenderer().render(scene, small, replace(settings, depth_of_field=False)).rgb


# White balance: like the meter, a path render's colour balance moves half-way (in log ratio) toward
# the raycast frame's, so that sky light through a window does not turn a room blue where raycast's
# warm fill keeps it neutral; gains stay within a factor of WHITE_BALANCE_LIMIT.
WHITE_BALANCE = 0.5
WHITE_BALANCE_LIMIT = 1.5


def _shrink(radiance: np.ndarray, width: int) -> np.ndarray:
    """``radiance`` box-filtered down to about ``width`` pixels across."""
    h, w = radiance.shape[:2]
    step = max(1, int(round(w / max(width, 1))))
    return radiance[: h - h % step, : w - w % step].reshape(h // step, step, w // step, step, 3).mean(axis=(1, 3))


def white_balance(radiance: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Per-channel gains (3,), luminance-neutral, that move ``radiance``'s mean colour half-way toward
    the mean colour of the sRGB image ``reference``."""
    luma = np.asarray(REC709_LUMA)
    ours = _shrink(radiance, reference.shape[1]).reshape(-1, 3).mean(axis=0)
    theirs = srgb_to_linear(reference / 255.0).reshape(-1, 3).mean(axis=0)
    if min(ours.min(), theirs.min()) <= 1e-6:
        return np.ones(3)
    ratio = (theirs / (theirs @ luma)) / (ours / (ours @ luma))
    gains = np.clip(ratio**WHITE_BALANCE, 1 / WHITE_BALANCE_LIMIT, WHITE_BALANCE_LIMIT)
    return gains * (ours @ luma) / ((gains * ours) @ luma)


def matched_exposure(radiance: np.ndarray, reference: np.ndarray, guess: float) -> float:
    """The exposure at which ``radiance``, tone-mapped as every engine does it, reads as bright as
    the sRGB image ``reference`` (equal log-average display luminance; bisection in stops)."""
    small = _shrink(radiance, reference.shape[1])
    target = _log_average(reference)
    lo, hi = np.log2(guess) - 14.0, np.log2(guess) + 14.0
    for _ in range(32):
        mid = (lo + hi) / 2
        if _log_average(tone_map(small, 2.0**mid)) < target:
            lo = mid
        else:
            hi = mid
    return float(2.0 ** ((lo + hi) / 2))


# A room lit through its windows needs several stops more exposure than the sky outside, which then
# burns to white. As a photographer blends a darker frame into the windows, panes are developed
# this share of the way (in stops) back toward the preset's exposure.
WINDOW_PULL = 0.75


def pull_windows(radiance: np.ndarray, ids: np.ndarray, scene: Scene, exposure: float, preset: float) -> np.ndarray:
    """``radiance`` with what glass panes show darkened by (preset / exposure) ** WINDOW_PULL (never
    brightened), feathered over a pixel so the frames' edges do not step."""
    from scipy import ndimage

    panes = [i for i, o in enumerate(scene.objects) if o.material.glass]
    if not panes or exposure <= preset:
        return radiance
    mask = ndimage.uniform_filter(np.isin(ids, panes).astype(np.float32), size=3)
    if mask.max() <= 0:
        return radiance
    factor = np.float32((preset / exposure) ** WINDOW_PULL)
    return radiance * (1.0 - mask * (1.0 - factor))[..., None]


# ----- the renderer --------------------------------------------------------------------------------
class PathRenderer:
    """Renderer protocol implementation on Mitsuba 3 path tracing (the physically based engine).

    Of :class:`RenderSettings` it reads ``antialias`` (> 1: a final, ``config.final_spp`` samples
    per pixel, else ``config.preview_spp``), ``depth_of_field`` and ``focus_distance`` (a thin lens
    focused there, else on the look_at distance). Shadows are always traced, and there is no
    ambient-occlusion pass: bounce light is computed.
    """

    name = "path"

    def __init__(self, config: PathConfig | None = None):
        self.config = config or PathConfig()
        self.mi = mitsuba()

    @property
    def variant(self) -> str:
        return self.mi.variant()

    def render(self, scene: Scene, camera: Camera, settings: RenderSettings | None = None) -> RenderResult:
        settings = settings or RenderSettings.preview()
        mi, cfg = self.mi, self.config
        lighting = scene.lighting or lighting_for(None)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        built = build_scene(mi, scene, lighting, cfg.envmap_width)
        mscene = built.main
        timings["setup"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        ids, depth = self._ids_depth(built.ids, camera)
        timings["ids"] = time.perf_counter() - t1

        final = settings.antialias > 1
        spp = cfg.final_spp if final else cfg.preview_spp
        focus = None
        if settings.depth_of_field:
            focus = settings.focus_distance or float(np.subtract(camera.look_at, camera.position) @ camera.forward)
        t2 = time.perf_counter()
        integrator = integrator_class(mi)().setup(
            built,
            LAMP_TRANSLUCENCY,
            cfg.max_depth,
            cfg.clamp,
            cfg.indirect_clamp,
        )
        out = self._trace(mscene, sensor_dict(mi, camera, 1, focus), integrator, spp)
        radiance, albedo, normal = out[..., 0:3], out[..., 3:6], out[..., 6:9]
        radiance = np.nan_to_num(radiance, nan=0.0, posinf=0.0)
        timings["trace"] = time.perf_counter() - t2
        timings["spp"] = float(spp)
        if cfg.denoise:
            t3 = time.perf_counter()
            radiance, done = denoise(radiance, albedo, normal, cfg.denoise_quality)
            if done:
                timings["denoise"] = time.perf_counter() - t3
        develop_light = lighting
        if cfg.exposure == "raycast":
            t4 = time.perf_counter()
            reference = _raycast_reference(scene, camera, settings)
            radiance = radiance * white_balance(radiance, reference).astype(np.float32)
            exposure = matched_exposure(radiance, reference, lighting.exposure)
            radiance = pull_windows(radiance, ids, scene, exposure, lighting.exposure)
            develop_light = replace(lighting, exposure=exposure, key=None)
            timings["exposure"] = time.perf_counter() - t4
        # The thin lens already blurred what is out of focus: develop only meters and tone-maps.
        rgb = develop(radiance, camera, depth, replace(settings, depth_of_field=False), develop_light, timings)
        timings["total"] = time.perf_counter() - t0
        return RenderResult(
            rgb=rgb, depth=depth, ids=ids, names=scene.names, camera=camera, engine=self.name, timings=timings
        )

    def _trace(self, mscene, sensor: dict, integrator, spp: int) -> np.ndarray:
        """Radiance, albedo and normal (H, W, 9) of ``spp`` samples per pixel, traced one sample per pass.

        Under the box filter the mean of independently seeded one-sample passes is the ``spp``-sample estimate,
        and a stop needs to wait for one pass, not for the whole trace: the native renderer holds a Ctrl-C or
        SIGTERM until it returns (86 s for a 4-sample 6000 px frame here). After a SIGTERM the rest, the denoiser
        included (native too, 38 s at 6000 px), is not started.
        """
        mi = self.mi
        film = mi.load_dict(sensor)
        total = None
        for k in range(spp):
            if termination_requested():
                raise KeyboardInterrupt
            out = np.asarray(mi.render(mscene, sensor=film, integrator=integrator, spp=1, seed=k), dtype=np.float32)
            total = out if total is None else total + out
        if termination_requested():
            raise KeyboardInterrupt
        return total / np.float32(spp)

    def _ids_depth(self, mscene, camera: Camera) -> tuple[np.ndarray, np.ndarray]:
        """Object ids and camera-space depth at pixel centres (one ray per pixel, pinhole)."""
        mi = self.mi
        import drjit as dr

        integrator = mi.load_dict({"type": "aov", "aovs": "shape:shape_index,p:position"})
        sensor = mi.load_dict(sensor_dict(mi, camera, 1, None, pixel_centres=True))
        out = np.asarray(mi.render(mscene, sensor=sensor, integrator=integrator, spp=1))
        # The shape AOV holds each hit shape's registry id (0: nothing hit); shapes are "obj_<index>".
        shapes = mscene.shapes()
        registry = np.asarray(dr.reinterpret_array(mi.UInt32, mi.ShapePtr(shapes)), dtype=np.int64)
        lut = np.full(int(registry.max(initial=0)) + 1, BACKGROUND_ID, dtype=np.int32)
        lut[registry] = [int(s.id().split("_", 1)[1]) for s in shapes]
        code = np.clip(np.rint(out[..., 0]).astype(np.int64), 0, len(lut) - 1)
        ids = lut[code]
        p = out[..., 1:4].astype(np.float64)
        z = (p - np.asarray(camera.position)) @ camera.forward
        depth = np.where(ids >= 0, z, np.inf).astype(np.float32)
        return ids.astype(np.int32), depth
