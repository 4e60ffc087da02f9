"""The path engine: final-render times, brightness against raycast, and side-by-side pictures.

    .venv/bin/python benchmarks/path_speed.py [--widths 640,1920] [--scenes all] [--spp N]
    .venv/bin/python benchmarks/path_speed.py --brightness [--widths 480]

Times one final per library scene and width (the scene's overview camera; the staircase takes the
headline camera of ``agentvision photo "shoot the staircase at dusk"``) after a warm-up render that
compiles Mitsuba's kernels, and writes docs/images/path-vs-raycast-<scene>-<time>.png (raycast
final left, path final right, same camera). ``--brightness`` instead prints each scene's mean
display luminance at noon, golden hour, dusk and night for both engines. Prints markdown tables.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import platform
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from agentvision.camera import Camera
from agentvision.conventions import REC709_LUMA, srgb_to_linear
from agentvision.render import RenderSettings, get_renderer
from agentvision.render.path import PathConfig, PathRenderer
from agentvision.render.views import default_camera
from agentvision.scene.library import load_scene

# The camera agentvision's photographer picks for "shoot the staircase at dusk" (seed 0).
HEADLINE = {
    "position": [5.6915620739644925, 1.7984379260355063, 1.337924712857312],
    "look_at": [3.8083867162379628, 4.42311499064275, 0.5035466350040804],
    "focal_mm": 16.0,
    "f_number": 11.0,
    "aspect": "3:2",
}
SHOTS = {"staircase": "dusk", "courtyard": "golden_hour", "living_room": "night", "gallery": "noon"}
BRIGHTNESS_TIMES = ("noon", "golden_hour", "dusk", "night")
IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
SIDE_BY_SIDE_WIDTH = 1920  # pixels across a saved comparison (two finals, scaled down)


def camera_for(name: str, scene, width: int) -> Camera:
    if name == "staircase":
        return Camera.from_dict({**HEADLINE, "width": width})
    return default_camera(scene, width)


def display_luminance(rgb: np.ndarray) -> float:
    """Mean luminance of an sRGB image, in linear display light (0..1)."""
    return float((srgb_to_linear(rgb / 255.0) @ np.asarray(REC709_LUMA)).mean())


def side_by_side(left: np.ndarray, right: np.ndarray, path: Path, width: int = SIDE_BY_SIDE_WIDTH) -> None:
    """Save ``left | right`` with a white gap, scaled down to ``width`` pixels across."""
    from PIL import Image

    gap = np.full((left.shape[0], max(4, left.shape[1] // 160), 3), 255, np.uint8)
    image = Image.fromarray(np.concatenate([left, gap, right], axis=1))
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def speed(args, path: PathRenderer) -> None:
    raycast = get_renderer("raycast")
    final = RenderSettings.final()
    warm = load_scene("staircase", "dusk")
    path.render(warm, camera_for("staircase", warm, 160), final)  # compile kernels (cached on disk after)
    print(
        f"path engine: Mitsuba {path.mi.MI_VERSION} {path.variant}, {path.config.final_spp} spp, "
        f"OIDN {path.config.denoise_quality}; {platform.processor() or platform.machine()}\n"
    )
    print("| scene | time | size | raycast s | path s | path trace s | denoise s |")
    print("|---|---|---|---|---|---|---|")
    for name in args.scenes:
        tod = SHOTS[name]
        scene = load_scene(name, tod)
        for width in args.widths:
            camera = camera_for(name, scene, width)
            t = time.perf_counter()
            a = raycast.render(scene, camera, final)
            ta = time.perf_counter() - t
            t = time.perf_counter()
            b = path.render(scene, camera, final)
            tb = time.perf_counter() - t
            w, h = camera.size
            tr, dn = b.timings.get("trace", 0.0), b.timings.get("denoise", 0.0)
            print(f"| {name} | {tod} | {w}x{h} | {ta:.1f} | {tb:.1f} | {tr:.1f} | {dn:.1f} |", flush=True)
            if width == max(args.widths):
                side_by_side(a.rgb, b.rgb, IMAGES / f"path-vs-raycast-{name}-{tod}.png")


def brightness(args, path: PathRenderer) -> None:
    raycast = get_renderer("raycast")
    physical = PathRenderer(replace(path.config, exposure="preset"))
    final = RenderSettings.final()
    width = args.widths[0]
    print(
        f"mean display luminance (linear, 0..1) of finals at {width} px, path {path.config.final_spp} spp: "
        "raycast / path (exposure matched to raycast's frame) / path (the preset's exposure and metering)\n"
    )
    print("| scene | " + " | ".join(BRIGHTNESS_TIMES) + " |")
    print("|---|" + "---|" * len(BRIGHTNESS_TIMES))
    for name in args.scenes:
        cells = []
        for tod in BRIGHTNESS_TIMES:
            scene = load_scene(name, tod)
            camera = camera_for(name, scene, width)
            a = display_luminance(raycast.render(scene, camera, final).rgb)
            b = display_luminance(path.render(scene, camera, final).rgb)
            c = display_luminance(physical.render(scene, camera, final).rgb)
            cells.append(f"{a:.3f} / {b:.3f} / {c:.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--widths", default="640,1920")
    ap.add_argument("--scenes", default="all", help="comma-separated library scenes, or all")
    ap.add_argument("--spp", type=int, default=PathConfig.final_spp, help="samples per pixel of a final")
    ap.add_argument("--brightness", action="store_true", help="compare brightness with raycast instead")
    args = ap.parse_args()
    args.widths = [int(w) for w in args.widths.split(",")]
    args.scenes = list(SHOTS) if args.scenes == "all" else args.scenes.split(",")
    path = PathRenderer(PathConfig(final_spp=args.spp))
    (brightness if args.brightness else speed)(args, path)


if __name__ == "__main__":
    main()
