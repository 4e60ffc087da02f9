"""Render every library scene at chosen times of day into one labelled sheet, for looking at.

.venv/bin/python benchmarks/lookbook.py -o lookbook.png [--times noon,dusk] [--width 480] [--quality preview]
"""

from __future__ import annotations

import argparse

from PIL import Image, ImageDraw

from agentvision.camera import Camera
from agentvision.render import RenderSettings, render_scene
from agentvision.render.views import default_camera
from agentvision.scene.library import library_names, load_scene


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", default="lookbook.png")
    ap.add_argument("--times", default="noon,golden_hour,dusk,night")
    ap.add_argument("--scenes", default=",".join(library_names()))
    ap.add_argument("--width", type=int, default=480)
    ap.add_argument("--quality", default="final", choices=["preview", "final"])
    ap.add_argument("--engine", default="raycast")
    args = ap.parse_args()
    times, scenes = args.times.split(","), args.scenes.split(",")
    settings = RenderSettings.final() if args.quality == "final" else RenderSettings.preview()
    tiles = []
    for name in scenes:
        row = []
        for t in times:
            scene = load_scene(name, t)
            cam = Camera.from_dict({**default_camera(scene).to_dict(), "width": args.width, "aspect": "3:2"})
            im = render_scene(scene, cam, settings, engine=args.engine).image()
            ImageDraw.Draw(im).text((6, 4), f"{scene.name} / {t} / {args.engine}", fill=(255, 255, 255))
            row.append(im)
        tiles.append(row)
    w, h = tiles[0][0].size
    sheet = Image.new("RGB", (w * len(times), h * len(scenes)))
    for r, row in enumerate(tiles):
        for c, im in enumerate(row):
            sheet.paste(im, (c * w, r * h))
    sheet.save(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
