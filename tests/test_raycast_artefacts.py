"""The raycast engine's artefacts, each checked where it used to show: shadow edges, ambient
occlusion on a plain wall, thin lines, depth of field, the night's fill, the horizon, still water,
and lamp shadows cast close to the lamp."""

from dataclasses import replace

import numpy as np
import pytest
import trimesh

from agentvision.camera import Camera
from agentvision.render import RenderSettings, render_scene
from agentvision.render.occlusion import half_res_occlusion
from agentvision.render.surfaces import cast_through_cutouts
from agentvision.scene.lighting import apply_time_of_day, lighting_for
from agentvision.scene.model import Lamp, Material, Scene, SceneObject, Sky
from agentvision.scene.rays import scene_rays

LUMA = np.array([0.2126, 0.7152, 0.0722])
GREY = Material((0.6, 0.6, 0.6))


def box(size, centre, angle_deg: float = 0.0, axis=(0, 0, 1)) -> trimesh.Trimesh:
    m = trimesh.creation.box(size)
    m.apply_transform(trimesh.transformations.rotation_matrix(np.radians(angle_deg), axis))
    m.apply_translation(centre)
    return m


def lum(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(float) @ LUMA


# ----- sun shadows ------------------------------------------------------------------------------
def _wall_on_ground(half_angle_deg: float) -> Scene:
    """A 3 m-high wall, slightly turned, casting a shadow on the ground from a sun in the west."""
    scene = Scene(
        "shadow",
        [
            SceneObject("ground", "ground", box((40, 40, 0.1), (0, 0, -0.05)), GREY),
            SceneObject("wall", "wall", box((0.1, 6, 3), (0, 0, 1.5), 8), GREY),
        ],
    )
    lighting = lighting_for("noon")
    sun = replace(lighting.sun, direction=(-0.6, 0.0, 0.8), half_angle_deg=half_angle_deg)
    return scene.with_lighting(replace(lighting, sun=sun))


SHADOW_CAM = Camera((4.0, 0.0, 6.0), (4.0, 0.0, 0.0), roll_deg=0.0, focal_mm=35, aspect="1:1", width=160)


def _penumbra_pixels(scene: Scene, settings: RenderSettings) -> float:
    """Mean count, per image row, of ground pixels between the shadow's and the sunlit ground's levels."""
    r = render_scene(scene, SHADOW_CAM, settings)
    y = lum(r.rgb)
    ground = r.ids == scene.index("ground")
    dark, lit = np.percentile(y[ground], 5), np.percentile(y[ground], 95)
    between = ground & (y > dark + 0.1 * (lit - dark)) & (y < lit - 0.1 * (lit - dark))
    assert (ground & (y < dark + 0.1 * (lit - dark))).sum() > 500  # the shadow is in view
    return between[30:130].sum(axis=1).mean()


@pytest.mark.slow
def test_a_soft_shadow_widens_with_the_suns_size():
    soft = RenderSettings(shadow_samples=16, soft_shadows=True)
    real = _penumbra_pixels(_wall_on_ground(0.27), soft)
    big = _penumbra_pixels(_wall_on_ground(2.0), soft)
    hard = _penumbra_pixels(_wall_on_ground(2.0), RenderSettings())
    # The wall's top is 3.75 m from where its shadow falls, the sun 53 degrees high and a pixel 3.9 cm
    # of ground: a 0.53-degree sun blurs the edge over 4.4 cm (1.1 pixels), a 4-degree one over 33 cm
    # (8.5 pixels), whose 10-90 % part (0.69 of a disc's penumbra) is ~6 pixels, a little less after
    # tone mapping. The real sun's edge stays crisp (antialiasing only); previews stay hard.
    assert real < 3
    assert 4 < big < 8
    assert big > 2 * real
    assert hard < 1


def test_a_preview_shadow_edge_is_antialiased_not_a_staircase():
    scene = _wall_on_ground(0.27)
    stepped = render_scene(scene, SHADOW_CAM, RenderSettings(shadow_samples=1))
    smooth = render_scene(scene, SHADOW_CAM, RenderSettings())
    ground = stepped.ids == scene.index("ground")

    def partly_lit(r) -> tuple[int, float]:
        """Distinct grey levels between shadow and light, and the share of the rows the edge crosses
        that hold such a pixel (the edge runs 8 degrees off the columns: every row meets it at
        another sub-pixel offset)."""
        y = np.where(ground, lum(r.rgb), np.nan)
        dark, lit = np.nanmin(y) + 5, np.nanmax(y) - 5
        mid = ground & (y > dark) & (y < lit)
        rows = ((y <= dark) & ground).any(axis=1) & ((y >= lit) & ground).any(axis=1)
        assert rows.sum() > 100
        return len(np.unique(np.round(y[mid]))), float(mid[rows].any(axis=1).mean())

    assert partly_lit(stepped) == (0, 0.0)  # one ray per pixel: lit or shadowed, a staircase edge
    levels, rows = partly_lit(smooth)
    assert levels >= 3  # 4 sub-pixel rays: a quarter, half and three quarters lit
    assert rows > 0.7  # along (nearly) the whole edge


# ----- ambient occlusion ------------------------------------------------------------------------
def test_ambient_occlusion_on_a_plain_wall_has_no_blotches():
    plaster = Material((0.8, 0.8, 0.8))
    scene = Scene(
        "corner",
        [
            SceneObject("floor", "floor", box((8, 8, 0.1), (0, 0, -0.05)), plaster),
            SceneObject("wall", "wall", box((8, 0.1, 4), (0, 2.05, 2)), plaster),
        ],
    )
    cam = Camera((0, -2.5, 1.0), (0, 2, 1.0), focal_mm=24, aspect="3:2", width=480)
    w, h = cam.size
    rays = scene_rays(scene)
    dirs = cam.ray_directions().reshape(-1, 3).astype(np.float32)
    hits = cast_through_cutouts(scene, rays.all, np.broadcast_to(np.float32(cam.position), dirs.shape), dirs)
    ao = half_res_occlusion(rays, np.broadcast_to(np.float32(cam.position), dirs.shape), dirs, hits, 12, w, h)
    ao, wall = ao.reshape(h, w), (hits.ids == 1).reshape(h, w)
    rows = [r for r in range(h) if wall[r, w // 5 : 4 * w // 5].all()]
    # Along a row the wall is equally far from the floor: its occlusion must not vary (white-noise
    # rays, smoothed, left blotches of 0.09 here).
    assert len(rows) > 100
    assert ao[wall].min() < 0.8  # the corner does darken
    assert max(np.ptp(ao[r, w // 5 : 4 * w // 5]) for r in rows) < 0.02


# ----- antialiasing -----------------------------------------------------------------------------
def test_a_line_thinner_than_a_pixel_is_antialiased_along_its_whole_length():
    # A dark rail half a pixel thick, nearly level, before a white wall: with samples only where
    # pixel centres see an edge it came out dashed (about half the columns without it).
    scene = apply_time_of_day(
        Scene(
            "rail",
            [
                SceneObject("wall", "wall", box((10, 0.1, 6), (0, 3.0, 1)), Material((0.9, 0.9, 0.9))),
                SceneObject("rail", "rail", box((5, 0.02, 0.007), (0, 0, 1.0), 1.5, (0, 1, 0)), Material((0.01,) * 3)),
            ],
            floor_z=None,
        ),
        "noon",
    )
    cam = Camera((0, -3, 1.0), (0, 0, 1.0), focal_mm=24, aspect="3:2", width=320)
    y = lum(render_scene(scene, cam, RenderSettings(shadows=False, antialias=5)).rgb)
    band = y[cam.height // 2 - 8 : cam.height // 2 + 8, 20:-20]
    darkness = (band.max() - band).sum(axis=0)  # the rail's darkness in each column
    assert np.median(darkness) > 10
    assert darkness.min() > 0.3 * np.median(darkness)


# ----- depth of field ---------------------------------------------------------------------------
def _comb(y: float, name: str) -> SceneObject:
    """Black and white stripes 4 cm wide across x = -1..1 at depth y, between z = 0.5 and 1.5."""
    stripes = [box((0.02, 0.02, 1.0), (x, y, 1.0)) for x in np.arange(-1, 1, 0.04)]
    return SceneObject(name, name, trimesh.util.concatenate(stripes), Material((0.02, 0.02, 0.02)))


def test_depth_of_field_keeps_the_focused_subject_sharp_and_blurs_the_background():
    near, far = _comb(2.0, "subject"), _comb(12.0, "background")
    far.mesh.apply_scale((6, 1, 1))  # the far comb spans as many pixels (and stripes 24 cm wide)
    far.mesh.apply_translation((0, 0, 2.0))  # above the near one in the frame
    white = SceneObject("backdrop", "backdrop", box((80, 0.1, 40), (0, 14, 0)), Material((0.9, 0.9, 0.9)))
    scene = apply_time_of_day(Scene("combs", [near, far, white], floor_z=None), "noon")
    cam = Camera((0, 0, 1.6), (0, 2, 1.6), focal_mm=50, f_number=1.8, aspect="1:1", width=240)
    ids = render_scene(scene, cam).ids

    def sharpness(focus: float | None, name: str) -> float:
        settings = RenderSettings(depth_of_field=focus is not None, focus_distance=focus, shadows=False)
        y = lum(render_scene(scene, cam, settings).rgb)
        rows = np.flatnonzero((ids == scene.index(name)).any(axis=1))[2:-2]
        return float(np.abs(np.diff(y[rows], axis=1)).mean())

    sharp_near, sharp_far = sharpness(None, "subject"), sharpness(None, "background")
    assert sharpness(2.0, "subject") > 0.9 * sharp_near  # the subject, at the focus distance, stays sharp
    assert sharpness(2.0, "background") < 0.5 * sharp_far  # the background 10 m behind it blurs
    assert sharpness(12.0, "subject") < 0.5 * sharp_near  # focused on the background instead: the reverse
    assert sharpness(12.0, "background") > 0.9 * sharp_far


# ----- night and blue hour ----------------------------------------------------------------------
def test_the_ground_is_not_black_at_blue_hour_or_night(toy_scene):
    cam = Camera((5, -4, 2.5), (0, 0, 0.5), aspect="4:3", width=160)
    for time_of_day in ("blue_hour", "night"):
        scene = apply_time_of_day(toy_scene, time_of_day)
        r = render_scene(scene, cam)
        ground = r.ids == scene.index("ground")
        # far from the lamp (the toy lamp lights the ground near it)
        v, u = np.nonzero(ground)
        assert lum(r.rgb[v[u > 110], u[u > 110]]).mean() > 20, time_of_day  # it was 3-8 of 255


def test_a_night_room_is_lit_in_pools_by_its_lamps():
    wall = Material((0.7, 0.68, 0.62))
    objects = [
        SceneObject("floor", "floor", box((8, 8, 0.1), (0, 0, -0.05)), wall),
        SceneObject("ceiling", "ceiling", box((8, 8, 0.1), (0, 0, 2.85)), wall),
        *[
            SceneObject(f"wall_{k}", "wall", box(s, c), wall)
            for k, (s, c) in enumerate(
                [
                    ((0.1, 8, 3), (-4, 0, 1.4)),
                    ((0.1, 8, 3), (4, 0, 1.4)),
                    ((8, 0.1, 3), (0, -4, 1.4)),
                    ((8, 0.1, 3), (0, 4, 1.4)),
                ]
            )
        ],
        SceneObject("lamp", "lamp", box((0.2, 0.2, 0.2), (-2.5, -2.5, 1.5)), Material((1, 1, 1), emissive=(3, 2, 1))),
    ]
    room = Scene("room", objects, lamps=[Lamp("lamp", (-2.5, -2.5, 1.5), intensity=1.5)], interior=True)
    scene = apply_time_of_day(room, "night")
    cam = Camera((3.5, 3.5, 2.4), (-2.5, -2.5, 0.0), focal_mm=16, aspect="1:1", width=200)
    r = render_scene(scene, cam)
    floor = r.ids == scene.index("floor")
    d = cam.ray_directions()[floor]
    p = np.asarray(cam.position) + d * (r.depth[floor] / (d @ cam.forward))[:, None]
    y = lum(r.rgb[floor])
    to_lamp = np.linalg.norm(p[:, :2] - (-2.5, -2.5), axis=1)
    near, far = y[to_lamp < 1.0].mean(), y[to_lamp > 4.5].mean()
    assert near > 3 * far  # a pool of light, not a room evenly filled (a constant fill gave 2.2x)


# ----- the horizon ------------------------------------------------------------------------------
def test_the_ground_reaches_the_horizon():
    meadow = Material((0.15, 0.25, 0.08))
    scene = apply_time_of_day(
        Scene("field", [SceneObject("ground", "ground", box((120, 120, 0.1), (0, 0, -0.05)), meadow)]), "noon"
    )
    cam = Camera((0, 0, 1.6), (0, 50, 1.6), focal_mm=35, aspect="3:2", width=480)
    r = render_scene(scene, cam)
    col = r.rgb[:, 240].astype(float)
    rows = np.flatnonzero(r.ids[:, 240] == 0)
    edge = rows.min()  # the ground box's far edge, 60 m away, about 1.5 degrees below the horizon
    horizon = cam.height // 2  # level camera: the horizon runs through the middle
    assert edge - horizon >= 8
    between = col[horizon + 3 : edge]  # sky directions below the horizon, beyond the modelled ground
    ground = col[edge + 1 : edge + 6].mean(axis=0)
    sky = col[horizon - 12 : horizon - 4].mean(axis=0)
    assert np.abs(between - ground).max() < 12  # the ground goes on: no band of sky beneath the horizon
    assert np.abs(sky - ground).max() > 40


# ----- water ------------------------------------------------------------------------------------
@pytest.mark.parametrize("roughness, mirrors", [(0.05, True), (0.9, False)])
def test_still_water_shows_the_skys_colour(roughness, mirrors):
    water = SceneObject("water", "water", box((20, 20, 0.1), (0, 0, -0.05)), Material((0.1, 0.25, 0.28), roughness))
    base = lighting_for("noon")
    red = Sky((0.9, 0.1, 0.05), (0.9, 0.2, 0.1), base.sky.ground)
    blue = Sky((0.05, 0.2, 0.9), (0.1, 0.3, 0.9), base.sky.ground)
    cam = Camera((0, -6, 1.2), (0, 4, 0), focal_mm=35, aspect="3:2", width=160)
    means = []
    for sky in (red, blue):
        scene = Scene("pond", [water], floor_z=None).with_lighting(replace(base, sky=sky))
        r = render_scene(scene, cam, RenderSettings(shadows=False))
        means.append(r.rgb[r.ids == 0].astype(float).mean(axis=0))
    redness = [m[0] - m[2] for m in means]
    if mirrors:
        assert redness[0] - redness[1] > 30  # under a red sky the water turns red, under a blue one blue
    else:
        assert abs(redness[0] - redness[1]) < 3  # a rough surface does not mirror


# ----- lamp shadows -----------------------------------------------------------------------------
def test_a_lamp_shadow_is_tested_all_the_way_to_the_lamp():
    # A plate 20 cm under the bulb shadows the ground beneath it, even when another surface in the
    # frame lies within 10 cm of the bulb (that used to stop every lamp's shadow rays half-way).
    objects = [
        SceneObject("ground", "ground", box((12, 12, 0.1), (0, 0, -0.05)), GREY),
        SceneObject("plate", "plate", box((0.5, 0.5, 0.02), (0, 0, 2.8)), GREY),
        SceneObject("socket", "socket", box((0.05, 0.05, 0.1), (0.0, 0.09, 3.0)), GREY),
        SceneObject("bulb", "bulb", trimesh.creation.icosphere(1, 0.03).apply_translation((0, 0, 3.0)), GREY),
    ]
    scene = apply_time_of_day(Scene("post", objects, lamps=[Lamp("bulb", (0, 0, 3.0), intensity=4.0)]), "night")
    cam = Camera((0.0, -4.0, 3.2), (0.0, 0.0, 1.5), focal_mm=24, aspect="1:1", width=160)
    r = render_scene(scene, cam)
    assert (r.ids == scene.index("socket")).any()
    ground = r.ids == scene.index("ground")
    d = cam.ray_directions()[ground]
    p = np.asarray(cam.position) + d * (r.depth[ground] / (d @ cam.forward))[:, None]
    y, dist = lum(r.rgb[ground]), np.linalg.norm(p[:, :2], axis=1)
    # under the plate (its shadow reaches 0.25 * 3 / 0.2 = 3.75 m) against just beyond it
    assert y[dist < 1.5].mean() < 0.5 * y[(dist > 4.0) & (dist < 5.0)].mean()
