"""The images the VLM roles are shown: each candidate large enough to judge, each with its caption, the incumbent
always among them, and a plan with the Director's anchors drawn under the same labels as the text lists them.

A request may carry at most ``max_images`` images of at most ``side`` pixels (the client's limits). One image per
candidate when they fit; otherwise candidates share images, laid out so that every frame keeps its aspect and at
least :data:`MIN_SIDE` pixels on its longest side. The incumbent is pinned: the client never trims it away.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from agentvision.camera import Camera
from agentvision.models.images import pin
from agentvision.photoflow.records import Shot
from agentvision.scene.topdown import default_font, top_down_map

MIN_SIDE = 384  # pixels on the longest side of every candidate a model is shown
PREVIEW_WIDTH = 512  # the previews' width when a VLM role judges them (at least MIN_SIDE)
MAP_SIDE = 768  # the plan's side
GAP = 6  # pixels between frames sharing an image
DEFAULT_LIMITS = (4, 1024)  # (images per request, longest side) when the model does not say

Captioned = tuple[str, Image.Image]


def limits(model) -> tuple[int, int]:
    """(images per request, longest side in pixels) the model's client sends."""
    options = getattr(model, "options", None)
    if options is None:
        return DEFAULT_LIMITS
    return int(getattr(options, "max_images", DEFAULT_LIMITS[0])), int(getattr(options, "max_image_side", 1024))


def labelled(image: Image.Image, label: str, colour=(255, 255, 255), border: int = 0) -> Image.Image:
    """``image`` under a dark strip that carries ``label``, with ``border`` pixels of ``colour`` around it: the
    label and the border lie outside the picture, so no pixel of the frame is covered."""
    picture = image.convert("RGB")
    font = default_font(max(12, picture.width // 30))
    box = ImageDraw.Draw(picture).textbbox((6, 4), label, font=font)
    strip = box[3] + 6
    out = Image.new("RGB", (picture.width + 2 * border, picture.height + strip + 2 * border), (12, 12, 14))
    draw = ImageDraw.Draw(out)
    if border:
        draw.rectangle((0, strip, out.width - 1, out.height - 1), fill=colour)
    out.paste(picture, (border, strip + border))
    draw.text((6 + border, 3), label, fill=colour, font=font)
    return out


def shot_image(shot: Shot, incumbent: bool = False) -> Image.Image:
    """A candidate's preview labelled with its id above it (and INCUMBENT, framed in amber, for the incumbent)."""
    if incumbent:
        return labelled(shot.render.image(), f"{shot.candidate.id} INCUMBENT", (255, 200, 40), border=4)
    return labelled(shot.render.image(), shot.candidate.id)


def _layout(sizes: list[tuple[int, int]], side: int) -> tuple[int, int, float]:
    """(rows, cols, scale) placing frames of ``sizes`` in a grid within side x side that keeps the smallest
    frame's longest side largest."""
    n = len(sizes)
    best = (1, n, 0.0)
    for rows in range(1, n + 1):
        cols = math.ceil(n / rows)
        cell_w, cell_h = (side - GAP * (cols - 1)) / cols, (side - GAP * (rows - 1)) / rows
        w, h = max(s[0] for s in sizes), max(s[1] for s in sizes)
        scale = min(cell_w / w, cell_h / h, 1.0)
        if scale > best[2]:
            best = (rows, cols, scale)
    return best


def grid(images: list[Image.Image], side: int) -> Image.Image:
    """``images`` in one grid image of at most side x side, each scaled alike (aspects kept)."""
    rows, cols, scale = _layout([im.size for im in images], side)
    cell_w = max(round(im.width * scale) for im in images)
    cell_h = max(round(im.height * scale) for im in images)
    sheet = Image.new("RGB", (cols * cell_w + GAP * (cols - 1), rows * cell_h + GAP * (rows - 1)), (40, 40, 44))
    for i, im in enumerate(images):
        tile = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.Resampling.LANCZOS)
        r, c = divmod(i, cols)
        sheet.paste(tile, (c * (cell_w + GAP), r * (cell_h + GAP)))
    return sheet


def smallest_side(images: list[Image.Image], side: int) -> int:
    """The longest side, in pixels, the smallest of ``images`` keeps when they share one image of ``side``."""
    if len(images) == 1:
        return min(side, max(images[0].size))
    scale = _layout([im.size for im in images], side)[2]
    return min(round(max(im.size) * scale) for im in images)


def pack(items: list[Captioned], slots: int, side: int) -> list[Captioned]:
    """``items`` in at most ``slots`` images: one each when they fit, else consecutive ones sharing an image
    (captions joined), as few to an image as the slots allow."""
    if len(items) <= slots or slots < 1:
        return items
    per = math.ceil(len(items) / slots)
    out = []
    for i in range(0, len(items), per):
        chunk = items[i : i + per]
        if len(chunk) == 1:
            out.append(chunk[0])
            continue
        rows, cols, _ = _layout([im.size for _, im in chunk], side)
        where = _positions(rows, cols, len(chunk))
        names = "; ".join(f"{position}: {caption}" for position, (caption, _) in zip(where, chunk, strict=True))
        out.append((f"{len(chunk)} frames in one image, {names}", grid([im for _, im in chunk], side)))
    return out


def _positions(rows: int, cols: int, n: int) -> list[str]:
    """Where each of ``n`` frames sits in a rows x cols grid, in words."""
    if rows == 1:
        return (["left", "right"] if n == 2 else ["left", "middle", "right"]) if n <= 3 else _cells(rows, cols, n)
    if cols == 1:
        return (["top", "bottom"] if n == 2 else ["top", "middle", "bottom"]) if n <= 3 else _cells(rows, cols, n)
    return _cells(rows, cols, n)


def _cells(rows: int, cols: int, n: int) -> list[str]:
    return [f"row {i // cols + 1} column {i % cols + 1}" for i in range(n)]


def candidate_views(shots: list[Shot], slots: int, side: int, incumbent_id: str | None = None) -> list[Captioned]:
    """One captioned image per candidate (shared images when there are more candidates than ``slots``)."""
    items = []
    for s in shots:
        c = s.candidate
        cam = c.camera
        caption = (
            f"candidate {c.id}: {cam.focal_mm:.0f} mm, {cam.aspect} {cam.orientation}, a {cam.width}x{cam.height} "
            "picture under its label strip"
        )
        if c.id == incumbent_id:
            caption += " (the incumbent)"
        items.append((caption, shot_image(s, c.id == incumbent_id)))
    return pack(items, slots, side)


def incumbent_view(shot: Shot, round_index: int | None = None) -> Captioned:
    """The incumbent's preview, pinned (the client never trims it away), with its caption."""
    when = "" if round_index is None else f", best so far after round {round_index + 1}"
    image = pin(shot_image(shot, incumbent=True))
    return f"the INCUMBENT {shot.candidate.id} (total {shot.review.total:.2f}{when})", image


PLAN_MIN_SPAN = 5.0  # metres: the plan shows at least this much around the subject and the cameras
PLAN_MARGIN = 1.0  # metres around them


def plan_view(scene, anchors: list[tuple[str, Camera]], incumbent: Camera | None = None, around=None) -> Image.Image:
    """The top-down plan with each listed anchor's camera drawn and labelled as the text lists it, and the
    incumbent's as INC; ``around`` ((2, 3) lo, hi: the subject's box) zooms the plan onto it and the cameras
    (at least PLAN_MIN_SPAN across), so cameras close together stay apart on the plan."""
    cams = [cam.replace(extra={**cam.extra, "name": label}) for label, cam in anchors]
    if incumbent is not None:
        cams.append(incumbent.replace(extra={**incumbent.extra, "name": "INC"}))
    region = None
    if around is not None:
        pts = np.vstack([np.asarray(around, float)[:, :2]] + [np.asarray(c.position)[None, :2] for c in cams])
        lo, hi = pts.min(axis=0) - PLAN_MARGIN, pts.max(axis=0) + PLAN_MARGIN
        grow = np.maximum(0.0, PLAN_MIN_SPAN - (hi - lo)) / 2
        region = np.stack([lo - grow, hi + grow])
    return top_down_map(scene, size=MAP_SIDE, camera=cams or None, region=region)
