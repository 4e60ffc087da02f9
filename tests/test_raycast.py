"""The raycast engine: ids, depth, shadows, final-quality passes, and the embreex fallback."""

import numpy as np
import pytest

from agentvision.camera import Camera
from agentvision.render import RenderSettings, render_scene
from agentvision.scene.lighting import apply_time_of_day
from agentvision.scene.rays import EmbreexEngine, Open3DEngine, SceneRays, scene_rays


@pytest.fixture
def lit(toy_scene):
    return apply_time_of_day(toy_scene, "golden_hour")


CAM = Camera((5, -4, 2.5), (0, 0, 0.5), aspect="4:3", width=200)


def test_outputs_shapes_and_depth(lit):
    r = render_scene(lit, CAM)
    assert r.rgb.shape == (150, 200, 3) and r.rgb.dtype == np.uint8
    assert r.ids.shape == r.depth.shape == (150, 200)
    # the pixel at the centre looks at the box; its depth is the distance along the axis to the box face
    centre = r.ids[75, 100]
    assert r.names[centre] == "red_box"
    assert 5.0 < r.depth[75, 100] < np.linalg.norm(np.subtract(CAM.position, CAM.look_at))
    assert np.isinf(r.depth[r.ids < 0]).all()
    assert set(r.pixel_counts()) >= {"ground", "red_box", "blue_ball"}


def test_shadow_falls_away_from_the_sun(lit):
    with_shadows = render_scene(lit, CAM)
    without = render_scene(lit, CAM, RenderSettings(shadows=False))
    ground = with_shadows.ids == lit.index("ground")
    darker = (with_shadows.rgb.astype(int).sum(-1) < without.rgb.astype(int).sum(-1) - 30) & ground
    assert darker.sum() > 100
    # shadowed ground points lie on the far side of the objects from the sun
    sun = np.asarray(lit.lighting.sun.direction)
    v, u = np.nonzero(darker)
    d = CAM.ray_directions()[v, u]
    p = np.asarray(CAM.position) + d * (with_shadows.depth[v, u] / (d @ CAM.forward))[:, None]
    assert np.median(p[:, :2] @ sun[:2]) < 0


def test_final_quality_keeps_ids_and_depth(lit):
    preview = render_scene(lit, CAM)
    final = render_scene(lit, CAM, RenderSettings.final())
    assert np.array_equal(preview.ids, final.ids)
    assert np.allclose(preview.depth, final.depth)
    assert "occlusion" in final.timings and "dof" in final.timings


def test_depth_of_field_blurs_out_of_focus_depths_only():
    from agentvision.render.post import circle_of_confusion_px, depth_of_field

    cam = Camera((0, 0, 0), (0, 1, 0), focal_mm=85, f_number=1.4, aspect="1:1", width=128)
    coc = circle_of_confusion_px(cam, np.array([2.0, 2.0 + 1e-9, 4.0, 20.0, np.inf]), focus=2.0)
    assert coc[0] == pytest.approx(0, abs=1e-6) and coc[2] < coc[3] < coc[4]
    assert coc[3] > 2  # 85 mm at f/1.4 focused at 2 m blurs a far background by several pixels
    checker = (np.indices((128, 128)).sum(0) // 4 % 2).astype(np.float32)
    image = np.repeat(checker[..., None], 3, axis=2)
    depth = np.full((128, 128), 2.0, np.float32)
    depth[:, 64:] = 20.0  # right half far behind the focus plane
    out = depth_of_field(image, cam, depth, focus=2.0)
    assert np.allclose(out[:, :56], image[:, :56], atol=1e-3)  # in focus: untouched
    assert out[:, 72:].std() < 0.5 * image[:, 72:].std()  # out of focus: checkerboard smoothed
    stopped_down = Camera.from_dict({**cam.to_dict(), "f_number": 16})
    assert depth_of_field(image, stopped_down, depth, 2.0)[:, 72:].std() > out[:, 72:].std()


def test_ambient_occlusion_darkens_corners(lit):
    # Ground pixels near the box's foot darken relative to open ground (metering may shift both).
    cam = Camera((2.5, -2.0, 0.6), (0, 0, 0.3), focal_mm=35, aspect="1:1", width=120)
    plain = render_scene(lit, cam, RenderSettings(ambient_occlusion=0, shadows=False))
    ao = render_scene(lit, cam, RenderSettings(ambient_occlusion=16, shadows=False))
    ground = plain.ids == lit.index("ground")
    v, u = np.nonzero(ground)
    d = cam.ray_directions()[v, u]
    p = np.asarray(cam.position) + d * (plain.depth[v, u] / (d @ cam.forward))[:, None]
    near = np.max(np.abs(p[:, :2]), axis=1) < 0.7  # within 20 cm of the box's sides
    far = np.linalg.norm(p[:, :2], axis=1) > 2.5
    assert near.sum() > 20 and far.sum() > 20

    def ratio(r):
        lum = r.rgb.astype(float).sum(-1)[v, u]
        return lum[near].mean() / lum[far].mean()

    assert ratio(ao) < 0.95 * ratio(plain)


def test_same_camera_same_image(lit):
    a = render_scene(lit, CAM, RenderSettings.final())
    b = render_scene(lit, CAM, RenderSettings.final())
    assert np.array_equal(a.rgb, b.rgb)


def test_embreex_fallback_agrees_with_open3d(lit):
    items = [(i, o.mesh) for i, o in enumerate(lit.objects)]
    o3d_engine, emb = Open3DEngine(items), EmbreexEngine(items)
    dirs = CAM.ray_directions().reshape(-1, 3).astype(np.float32)
    origins = np.broadcast_to(np.asarray(CAM.position, np.float32), dirs.shape)
    a, b = o3d_engine.cast(origins, dirs), emb.cast(origins, dirs)
    assert (a.ids == b.ids).mean() > 0.995
    both = (a.ids >= 0) & (a.ids == b.ids)
    assert np.allclose(a.t[both], b.t[both], atol=1e-3)
    same_prim = both & (a.prims == b.prims)
    assert same_prim.mean() > 0.9 * both.mean()
    assert np.allclose(a.uvs[same_prim], b.uvs[same_prim], atol=1e-3)


def test_renderer_runs_on_the_fallback(lit, monkeypatch):
    import agentvision.scene.rays as rays

    items = [(i, o.mesh) for i, o in enumerate(lit.objects)]
    glass_free = [(i, m) for i, m in items]
    monkeypatch.setitem(
        rays._CACHE, lit.geometry, SceneRays(EmbreexEngine(items), EmbreexEngine(glass_free), lit.objects)
    )
    fallback = render_scene(lit, CAM)
    monkeypatch.delitem(rays._CACHE, lit.geometry)
    native = render_scene(lit, CAM)
    assert (fallback.ids == native.ids).mean() > 0.995
    assert np.abs(fallback.rgb.astype(int) - native.rgb.astype(int)).mean() < 3
    assert isinstance(scene_rays(lit).all, Open3DEngine)


def test_ray_cache_lets_go_of_a_dropped_scene(toy_scene):
    import gc
    import weakref

    from agentvision.scene.model import Scene

    scene = apply_time_of_day(Scene("copy", list(toy_scene.objects), lamps=list(toy_scene.lamps)), "dusk")
    scene_rays(scene).lamp_shadow("lamp")
    token = weakref.ref(scene.geometry)
    del scene
    gc.collect()
    assert token() is None  # the cached engines do not keep their scene's geometry alive


def test_world_normals_point_up_from_the_ground_and_toward_the_camera(lit):
    r = render_scene(lit, CAM)
    n = r.world_normals()
    ground = (r.ids == lit.index("ground")) & np.isfinite(n[..., 2])
    assert ground.mean() > 0.2
    assert np.median(n[..., 2][ground]) > 0.99  # the ground faces up
    box = (r.ids == lit.index("red_box")) & np.isfinite(n[..., 0])
    rays = np.asarray(CAM.look_at) - np.asarray(CAM.position)
    assert (n[box] @ rays < 0).mean() > 0.99  # every visible face is turned toward the camera
    assert np.isnan(n[r.ids < 0]).all()
