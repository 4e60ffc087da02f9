"""A labelled top-down plan of a scene: footprints shaded by height, names, scale, north, cameras.

The plan is orthographic, looking straight down (+X east to the right, +Y north up; see
:mod:`agentvision.conventions`). Vertical rays from above find each pixel's highest surface;
ceilings are looked through (objects labelled or named ``ceiling``; in an interior also ``roof``,
anything set into the ceiling such as a skylight, overhead glass, and failing a labelled ceiling
any slab above head height that covers most of the plan). :class:`PlanTransform` maps
world XY to plan pixels and back so callers can draw on the map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from agentvision.camera import Camera
from agentvision.conventions import linear_to_srgb
from agentvision.scene.model import Scene
from agentvision.scene.queries import label_groups, surface_crossings

CEILING_WORDS = ("ceiling", "roof")  # labels (or names) the plan looks through; not "ceiling_light"
GROUND_WORDS = ("ground", "terrain")  # labels (or names) of open ground, left out of the framing
HEAD_HEIGHT = 1.8  # metres above the floor: overhead things in an interior start here


def _is(obj, words: tuple[str, ...]) -> bool:
    return obj.label.lower() in words or obj.name in words


BACKGROUND = (238, 238, 234)
GRID = (205, 205, 200)
CAMERA_COLOURS = ((220, 40, 40), (30, 110, 230), (20, 160, 70), (200, 120, 0), (150, 60, 200))


@dataclass(frozen=True)
class PlanTransform:
    """World XY (metres) <-> plan pixels. Pixel (u, v) has its centre at (u + 0.5, v + 0.5)."""

    x0: float  # world x at the left edge
    y1: float  # world y at the top edge
    px_per_m: float
    size: tuple[int, int]  # (width, height) in pixels

    def world_to_pixel(self, xy) -> np.ndarray:
        """(N, 2+) world points -> (N, 2) pixel coordinates (float; z ignored)."""
        p = np.atleast_2d(np.asarray(xy, dtype=np.float64))[:, :2]
        return np.stack([(p[:, 0] - self.x0) * self.px_per_m, (self.y1 - p[:, 1]) * self.px_per_m], axis=1)

    def pixel_to_world(self, uv) -> np.ndarray:
        """(N, 2) pixel coordinates -> (N, 2) world XY."""
        q = np.atleast_2d(np.asarray(uv, dtype=np.float64))
        return np.stack([self.x0 + q[:, 0] / self.px_per_m, self.y1 - q[:, 1] / self.px_per_m], axis=1)

    @property
    def metres_per_px(self) -> float:
        return 1.0 / self.px_per_m


@dataclass
class TopDownMap:
    """The plan image and what it was made from."""

    image: Image.Image
    transform: PlanTransform
    ids: np.ndarray  # (H, W) int32 object index seen from above, -1 for none
    heights: np.ndarray  # (H, W) z of the surface seen from above, NaN for none
    labels: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> label centre (pixels)


def _framing_bounds(scene: Scene) -> np.ndarray:
    """(2, 2) XY bounds the plan frames: every object but open ground, if anything else exists."""
    keep = [o for o in scene.objects if not _is(o, GROUND_WORDS)]
    objs = keep or scene.objects
    if not objs:
        return np.array([[-1.0, -1.0], [1.0, 1.0]])
    b = np.array([o.bounds[:, :2] for o in objs])
    return np.stack([b[:, 0].min(axis=0), b[:, 1].max(axis=0)])


def plan_transform(
    scene: Scene,
    size: int = 768,
    margin: float = 0.07,
    include: np.ndarray | None = None,
    region: np.ndarray | None = None,
) -> PlanTransform:
    """The square plan framing the scene with ``margin`` (fraction of size) around it.

    Open ground (objects called ground or terrain) does not widen the frame; ``include`` (N, 2+)
    adds points that must be on the plan, such as camera positions. ``region`` ((2, 2) XY lo, hi) frames
    that part of the scene instead (a close-up of the plan).
    """
    lo, hi = _framing_bounds(scene) if region is None else np.asarray(region, dtype=np.float64)[:, :2]
    if include is not None and len(include):
        pts = np.atleast_2d(np.asarray(include, dtype=np.float64))[:, :2]
        lo, hi = np.minimum(lo, pts.min(axis=0)), np.maximum(hi, pts.max(axis=0))
    extent = float(max(hi[0] - lo[0], hi[1] - lo[1], 1e-3))
    usable = size * (1.0 - 2.0 * margin)
    ppm = usable / extent
    cx, cy = (lo + hi) / 2.0
    half = size / 2.0 / ppm
    return PlanTransform(x0=float(cx - half), y1=float(cy + half), px_per_m=ppm, size=(size, size))


def _see_through(scene: Scene) -> np.ndarray:
    """Objects the plan looks through: ceilings; in an interior also roofs, whatever sits in the
    ceiling (skylights), overhead glass, and failing a labelled ceiling any high covering slab."""
    if not scene.objects:
        return np.zeros(0, bool)
    words = CEILING_WORDS if scene.interior else ("ceiling",)
    skip = np.array([_is(o, words) for o in scene.objects], bool)
    if not scene.interior:
        return skip
    lo, hi = scene.bounds
    floor = scene.floor_z if scene.floor_z is not None else lo[2]
    bottoms = np.array([o.bounds[0, 2] for o in scene.objects])
    if not skip.any():
        plan_area = max(1e-9, float(np.prod(hi[:2] - lo[:2])))
        for i, o in enumerate(scene.objects):
            covers = float(np.prod(o.bounds[1, :2] - o.bounds[0, :2])) / plan_area
            skip[i] = covers > 0.5 and bottoms[i] > floor + HEAD_HEIGHT
    if skip.any():
        skip |= bottoms >= bottoms[skip].min() - 0.05  # in the ceiling: skylights, recessed lights
    glass = np.array([o.material.glass for o in scene.objects], bool)
    return skip | (glass & (bottoms > floor + HEAD_HEIGHT))


def _cast_down(scene: Scene, t: PlanTransform) -> tuple[np.ndarray, np.ndarray]:
    """Per plan pixel: the highest surface's object index and z, looking through ceilings."""
    w, h = t.size
    v, u = np.mgrid[0:h, 0:w].astype(np.float64) + 0.5
    xy = t.pixel_to_world(np.stack([u.ravel(), v.ravel()], axis=1))
    top = float(scene.bounds[1, 2]) + 1.0
    origins = np.column_stack([xy, np.full(len(xy), top)])
    down = np.tile([0.0, 0.0, -1.0], (len(xy), 1))
    ids = np.full(len(xy), -1, np.int32)
    z = np.full(len(xy), np.nan)
    # All crossings (coincident faces too, such as a wall's top under the ceiling slab), then the
    # nearest one that is not a ceiling, front faces before back faces at equal depth.
    ray, obj, dist, back = surface_crossings(scene, origins, down)
    keep = ~_see_through(scene)[obj] if len(obj) else np.zeros(0, bool)
    ray, obj, dist, back = ray[keep], obj[keep], dist[keep], back[keep]
    if len(ray):
        order = np.lexsort((back, dist, ray))
        first = order[np.unique(ray[order], return_index=True)[1]]
        ids[ray[first]] = obj[first]
        z[ray[first]] = top - dist[first]
    return ids.reshape(h, w), z.reshape(h, w)


def default_font(px: int) -> ImageFont.ImageFont:
    """PIL's default font at ``px`` pixels (a fixed bitmap font on Pillow < 10.1)."""
    try:
        return ImageFont.load_default(size=px)
    except TypeError:  # Pillow < 10.1: fixed bitmap font
        return ImageFont.load_default()


def _nice_length(target_m: float) -> float:
    """The 1-2-5 series length nearest below ``target_m``."""
    k = math.floor(math.log10(max(target_m, 1e-9)))
    for m in (5, 2, 1):
        if m * 10**k <= target_m:
            return m * 10**k
    return 10**k


def _shade(scene: Scene, ids: np.ndarray, z: np.ndarray, metres_per_px: float) -> np.ndarray:
    """RGB uint8 plan: base colours shaded by height, outlines where objects or heights change."""
    base = np.array([o.material.color for o in scene.objects] or [(0, 0, 0)], dtype=np.float64)
    srgb = linear_to_srgb(base).astype(np.float64)
    hit = ids >= 0
    rgb = np.empty(ids.shape + (3,))
    rgb[:] = np.asarray(BACKGROUND) / 255.0
    if hit.any():
        zmin, zmax = np.nanmin(z[hit]), np.nanmax(z[hit])
        hn = (z - zmin) / max(zmax - zmin, 1e-6)
        light = 0.7 + 0.3 * np.nan_to_num(hn)
        rgb[hit] = srgb[ids[hit]] * light[hit, None] + 0.12 * (1 - light[hit, None])
        # Outlines: a change of object, or a step in height steeper than a curved surface's slope.
        step = max(0.04, 3.0 * metres_per_px)
        zz = np.nan_to_num(z, nan=-1e9)
        edge = np.zeros_like(hit)
        for axis in (0, 1):
            d_id = np.diff(ids, axis=axis) != 0
            d_z = np.abs(np.diff(zz, axis=axis)) > step
            e = d_id | d_z
            if axis == 0:
                edge[1:] |= e
            else:
                edge[:, 1:] |= e
        rgb[edge] *= 0.35
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def _grid(draw: ImageDraw.ImageDraw, t: PlanTransform, step: float) -> None:
    w, h = t.size
    (x_lo, y_hi), (x_hi, y_lo) = t.pixel_to_world([[0, 0], [w, h]])
    for x in np.arange(math.ceil(x_lo / step) * step, x_hi, step):
        u = t.world_to_pixel([[x, 0]])[0, 0]
        draw.line([(u, 0), (u, h)], fill=GRID + (255,), width=1)
    for y in np.arange(math.ceil(y_lo / step) * step, y_hi, step):
        v = t.world_to_pixel([[0, y]])[0, 1]
        draw.line([(0, v), (w, v)], fill=GRID + (255,), width=1)


def _boxes_overlap(a, b, pad: float = 2.0) -> bool:
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


def _label_spots(mask: np.ndarray, offset: tuple[int, int], tw: float, th: float) -> list[tuple[float, float, bool]]:
    """Candidate label centres for a footprint: interior spots first, then spots beside it."""
    dist = ndimage.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]
    yy, xx = np.nonzero(mask)
    # Most interior first; among equals (a thin wall), those nearest the footprint's middle.
    score = dist[yy, xx] - 0.05 * np.hypot(yy - yy.mean(), xx - xx.mean())
    step = max(4, int(th))
    spread = np.flatnonzero((yy % step == 0) & (xx % step == 0))
    top = np.concatenate([[np.argmax(score)], spread[np.argsort(-score[spread], kind="stable")][:80]])
    r0, c0 = offset
    spots = [(c0 + float(xx[c]) + 0.5, r0 + float(yy[c]) + 0.5, True) for c in top]
    best = top[0]
    cx, cy, r = c0 + float(xx[best]) + 0.5, r0 + float(yy[best]) + 0.5, float(dist[yy[best], xx[best]])
    gap = r + 4
    for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1)):
        spots.append((cx + dx * (gap + tw / 2), cy + dy * (gap + th / 2), False))
    return spots


def _place_labels(
    draw: ImageDraw.ImageDraw, scene: Scene, ids: np.ndarray, font, taken: list
) -> dict[str, tuple[float, float]]:
    """Names at their footprints (pieces of one item share one label): small items first, each at
    the most interior free spot, else beside its footprint with a leader line."""
    if not scene.objects:
        return {}
    group = label_groups(scene)
    gids = np.where(ids >= 0, group[np.maximum(ids, 0)], -1)
    counts = np.bincount(gids[gids >= 0], minlength=len(scene.objects))
    order = [int(i) for i in np.argsort(counts, kind="stable") if counts[i] > 0]
    slices = ndimage.find_objects(gids + 1)  # per object index: the bounding slices of its pixels
    placed: dict[str, tuple[float, float]] = {}
    h, w = ids.shape
    for i in order:
        name = scene.objects[i].name
        text_box = draw.textbbox((0, 0), name, font=font, stroke_width=2)
        tw, th = text_box[2] - text_box[0], text_box[3] - text_box[1]
        rows, cols = slices[i]
        spots = _label_spots(gids[rows, cols] == i, (rows.start, cols.start), tw, th)
        best, best_cost = None, None
        for cx, cy, on in spots:
            cx = min(max(cx, tw / 2 + 2), w - tw / 2 - 2)
            cy = min(max(cy, th / 2 + 2), h - th / 2 - 2)
            box = (cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2)
            cost = sum(_boxes_overlap(box, other) for other in taken) + (0 if on else 0.5)
            if best_cost is None or cost < best_cost:
                best, best_cost = (cx, cy, box, on), cost
            if cost == 0:
                break
        cx, cy, box, on = best
        if not on:  # a leader from the footprint to the label
            ax, ay = spots[0][0], spots[0][1]
            ex, ey = min(max(ax, box[0]), box[2]), min(max(ay, box[1]), box[3])
            draw.line([(ax, ay), (ex, ey)], fill=(20, 20, 20, 255), width=1)
            draw.ellipse((ax - 2, ay - 2, ax + 2, ay + 2), fill=(20, 20, 20, 255))
        taken.append(box)
        draw.text((cx, cy), name, font=font, fill=(20, 20, 20, 255), anchor="mm", stroke_width=2, stroke_fill="white")
        placed[name] = (float(cx), float(cy))
    return placed


def _scale_bar(draw: ImageDraw.ImageDraw, t: PlanTransform, font, pad: int) -> tuple:
    w, h = t.size
    length = _nice_length(0.22 * w / t.px_per_m)
    px = length * t.px_per_m
    label = f"{length:g} m"
    tb = draw.textbbox((0, 0), label, font=font)
    bar_h = max(5, w // 110)
    x0, y1 = pad, h - pad
    box = (x0 - pad // 2, y1 - bar_h - (tb[3] - tb[1]) - 3 * pad // 2, x0 + px + pad // 2, y1 + pad // 2)
    draw.rectangle(box, fill=(255, 255, 255, 215), outline=(90, 90, 90, 255))
    n_seg = 5 if length / _nice_length(length / 4) >= 4 else 4
    seg = px / n_seg
    for k in range(n_seg):
        fill = (30, 30, 30, 255) if k % 2 == 0 else (255, 255, 255, 255)
        draw.rectangle((x0 + k * seg, y1 - bar_h, x0 + (k + 1) * seg, y1), fill=fill, outline=(30, 30, 30, 255))
    draw.text((x0 + px / 2, y1 - bar_h - pad // 2), label, font=font, fill=(20, 20, 20, 255), anchor="md")
    return box


def _north_arrow(draw: ImageDraw.ImageDraw, size: tuple[int, int], font, pad: int) -> tuple:
    w, _ = size
    r = max(12, w // 30)
    cx, cy = w - pad - r, pad + r + r // 2 + 6
    box = (cx - r - 6, pad // 2, cx + r + 6, cy + r + 6)
    draw.rounded_rectangle(box, radius=6, fill=(255, 255, 255, 215), outline=(90, 90, 90, 255))
    draw.polygon([(cx, cy - r), (cx - r * 0.55, cy + r * 0.7), (cx, cy + r * 0.3)], fill=(30, 30, 30, 255))
    draw.polygon([(cx, cy - r), (cx + r * 0.55, cy + r * 0.7), (cx, cy + r * 0.3)], fill=(150, 150, 150, 255))
    draw.text((cx, cy - r - 2), "N", font=font, fill=(20, 20, 20, 255), anchor="md")
    return box


def _camera_marker(
    draw: ImageDraw.ImageDraw, t: PlanTransform, camera: Camera, colour, tag: str, font, part: str = "all"
) -> tuple:
    """Draw a camera: its view cone (``part`` "cone"), its dot and tag ("dot"), or both ("all"); its box."""
    w, _ = t.size
    pos = t.world_to_pixel([camera.position])[0]
    fwd = camera.forward[:2]
    if np.linalg.norm(fwd) < 1e-3:  # looking straight down or up: use the image's up direction
        fwd = -camera.basis()[1][:2]
    fwd = fwd / max(np.linalg.norm(fwd), 1e-9)
    reach = float(np.linalg.norm(np.subtract(camera.look_at, camera.position)[:2])) * t.px_per_m
    length = float(np.clip(reach, 0.08 * w, 0.2 * w))
    half = math.radians(camera.fov_deg[0] / 2)
    pts = [tuple(pos)]
    for a in np.linspace(-half, half, 9):
        c, s = math.cos(a), math.sin(a)
        d = np.array([c * fwd[0] - s * fwd[1], s * fwd[0] + c * fwd[1]])
        pts.append((pos[0] + d[0] * length, pos[1] - d[1] * length))  # image v grows southwards
    r = max(4, w // 120)
    if part in ("all", "cone"):
        draw.polygon(pts, fill=colour + (60,), outline=colour + (255,))
        look = t.world_to_pixel([camera.look_at])[0]
        draw.line([tuple(pos), tuple(look)], fill=colour + (160,), width=1)
    if part in ("all", "dot"):
        draw.ellipse(
            (pos[0] - r, pos[1] - r, pos[0] + r, pos[1] + r), fill=colour + (255,), outline=(255, 255, 255, 255)
        )
    if tag and part in ("all", "dot"):
        draw.text(
            (pos[0] + r + 2, pos[1] + r + 2), tag, font=font, fill=colour + (255,), stroke_width=2, stroke_fill="white"
        )
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs) - r, min(ys) - r, max(xs) + r, max(ys) + r)


def top_down(
    scene: Scene, size: int = 768, cameras: Camera | Sequence[Camera] | None = None, region=None
) -> TopDownMap:
    """The plan of ``scene`` as a :class:`TopDownMap` (image, transform, ids, heights, label spots); ``region``
    ((2, 2) XY lo, hi) frames only that part of it (and the cameras)."""
    size = int(size)
    if cameras is None:
        cams: list[Camera] = []
    elif isinstance(cameras, Camera):
        cams = [cameras]
    else:
        cams = list(cameras)
    t = plan_transform(scene, size, include=np.array([c.position for c in cams]) if cams else None, region=region)
    ids, z = _cast_down(scene, t)
    base = Image.fromarray(_shade(scene, ids, z, t.metres_per_px)).convert("RGBA")
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    # A metre grid (faint over objects) so distances can be read off.
    grid_layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    _grid(ImageDraw.Draw(grid_layer), t, _nice_length(48 / t.px_per_m) if t.px_per_m < 48 else 1.0)
    grid_alpha = np.array(grid_layer)
    grid_alpha[..., 3] = np.where(ids < 0, grid_alpha[..., 3], grid_alpha[..., 3] // 6)
    base = Image.alpha_composite(base, Image.fromarray(grid_alpha))

    font = default_font(max(11, size // 45))
    small = default_font(max(11, size // 55))
    pad = max(8, size // 60)
    taken = [_scale_bar(draw, t, small, pad), _north_arrow(draw, t.size, small, pad)]
    tags = [
        str(c.extra.get("name", f"C{k + 1}")) if len(cams) > 1 or c.extra.get("name") else ""
        for k, c in enumerate(cams)
    ]
    for part in ("cone", "dot"):  # every cone first, so no cone hides another camera's dot or tag
        for k, (cam, tag) in enumerate(zip(cams, tags, strict=True)):
            box = _camera_marker(draw, t, cam, CAMERA_COLOURS[k % len(CAMERA_COLOURS)], tag, font, part)
            if part == "dot":
                taken.append(box)
    title = f"{scene.name}  ({1 / t.px_per_m * 100:.1f} cm/px)"
    draw.text((pad, pad // 2), title, font=small, fill=(60, 60, 60, 255), stroke_width=2, stroke_fill="white")
    taken.append(draw.textbbox((pad, pad // 2), title, font=small, stroke_width=2))
    labels = _place_labels(draw, scene, ids, font, taken)
    image = Image.alpha_composite(base, overlay).convert("RGB")
    return TopDownMap(image=image, transform=t, ids=ids, heights=z, labels=labels)


def top_down_map(
    scene: Scene, size: int = 768, camera: Camera | Sequence[Camera] | None = None, region=None
) -> Image.Image:
    """A labelled plan image of ``scene`` (``size`` x ``size``), with markers for ``camera`` (one or a list);
    ``region`` ((2, 2) XY lo, hi) frames only that part of it."""
    return top_down(scene, size, camera, region).image


__all__ = ["PlanTransform", "TopDownMap", "plan_transform", "top_down", "top_down_map"]
