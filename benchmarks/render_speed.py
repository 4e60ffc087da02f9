"""Renderer speed: frames per second for both engines, and time against triangle count.

    .venv/bin/python benchmarks/render_speed.py [--scene staircase[,gallery...]] [--times golden_hour,dusk]
        [--repeat 5] [--engines raycast,gl] [--no-triangles]

Prints markdown tables (paste them into the README). Preview settings: one sample per pixel,
shadows on: the sun's at golden hour; the sun's and two lamps' at dusk. Median wall time of
--repeat runs after a warm-up; with --clock cpu, the least CPU time of the process (all threads)
instead, which other work on a shared machine disturbs far less (use it to compare versions).
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import trimesh

from agentvision.camera import Camera
from agentvision.render import RendererError, RenderSettings, get_renderer
from agentvision.render.views import default_camera
from agentvision.scene.library import load_scene
from agentvision.scene.lighting import apply_time_of_day
from agentvision.scene.model import Material, Scene, SceneObject

CLOCKS = {"wall": (time.perf_counter, statistics.median), "cpu": (time.process_time, min)}
CLOCK = "wall"


def timed(renderer, scene, camera, repeat: int) -> float:
    clock, summary = CLOCKS[CLOCK]
    renderer.render(scene, camera, RenderSettings.preview())  # warm caches (BVH, GL buffers)
    times = []
    for _ in range(repeat):
        t = clock()
        renderer.render(scene, camera, RenderSettings.preview())
        times.append(clock() - t)
    return summary(times)


def knot_scene(triangles: int) -> Scene:
    """A ground plane and a grid of torus knots holding about ``triangles`` triangles."""
    ground = trimesh.creation.box((30, 30, 0.1))
    ground.apply_translation((0, 0, -0.05))
    objects = [SceneObject("ground", "ground", ground, Material((0.3, 0.28, 0.25)))]
    n = 9
    per = max(200, (triangles - 12) // n)
    sections = max(6, int(np.sqrt(per / 2)))
    for k in range(n):
        knot = trimesh.creation.torus(0.6, 0.2, major_sections=per // (2 * sections), minor_sections=sections)
        knot.apply_translation((3 * (k % 3) - 3, 3 * (k // 3) - 3, 0.5))
        objects.append(SceneObject(f"torus_{k}", "torus", knot, Material((0.7, 0.3, 0.2), 0.4)))
    return apply_time_of_day(Scene("knots", objects), "golden_hour")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scene", default="staircase")
    ap.add_argument("--times", default="golden_hour,dusk")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--engines", default="raycast,gl")
    ap.add_argument("--no-triangles", action="store_true", help="skip the time-against-triangles table")
    ap.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall", help="wall: median wall time; cpu: least CPU time"
    )
    args = ap.parse_args()
    global CLOCK
    CLOCK = args.clock

    engines = {}
    for name in args.engines.split(","):
        try:
            engines[name] = get_renderer(name)
        except RendererError as exc:
            print(f"skipping {name}: {exc}")
    gl = engines.get("gl")
    info = gl.gl_info() if gl is not None and hasattr(gl, "gl_info") else {}
    print(f"machine: {platform.processor() or platform.machine()}, GL_RENDERER: {info.get('renderer', 'n/a')}\n")

    print("## each scene's overview camera, shadows on\n")
    print("| scene | engine | time of day | 320x240 ms | 320x240 fps | 640x480 ms | 640x480 fps |")
    print("|---|---|---|---|---|---|---|")
    for scene_name in args.scene.split(","):
        for time_of_day in args.times.split(","):
            scene = load_scene(scene_name, time_of_day)
            base = default_camera(scene)
            for name, renderer in engines.items():
                cells = []
                for width in (320, 640):
                    cam = Camera.from_dict({**base.to_dict(), "aspect": "4:3", "width": width})
                    t = timed(renderer, scene, cam, args.repeat)
                    cells += [f"{t * 1000:.1f}", f"{1 / t:.1f}"]
                print(f"| {scene_name} | {name} | {time_of_day} | " + " | ".join(cells) + " |")
    if args.no_triangles:
        return

    print("\n## time against triangle count (640x480, golden hour, shadows on)\n")
    print("| triangles | " + " | ".join(f"{n} ms" for n in engines) + " |\n|---|" + "---|" * len(engines))
    for target in (1_000, 10_000, 50_000, 100_000, 250_000):
        knots = knot_scene(target)
        cam = Camera((9, -9, 6), (0, 0, 0.3), focal_mm=28, aspect="4:3", width=640)
        row = [f"{timed(r, knots, cam, args.repeat) * 1000:.1f}" for r in engines.values()]
        print(f"| {knots.triangle_count:,} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
