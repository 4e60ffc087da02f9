"""The gl engine: pyrender rasterisation offscreen (EGL, else OSMesa), matched to the raycast engine.

Two passes per frame on one OpenGL context. A segmentation pass at the camera's resolution samples
pixel centres exactly (pyrender disables multisampling for it) and gives instance ids and depth
that agree with the raycast engine pixel for pixel. A colour pass (4x MSAA, supersampled for
``settings.antialias``) shades with pyrender's PBR shader, its lights scaled to the raycast
engine's Lambert terms; its fragment shader is replaced by ``gl_mesh.frag`` (pyrender's, with the
raycast engine's hemispherical ambient light, glTF's texture channels and cut-outs), and materials
carry their textures, UVs, tangents and vertex colours natively. The 8-bit output is decoded back
to linear light, so sky, glass, depth of field and tone mapping are the shared numpy code of
:mod:`agentvision.render.shading` and :mod:`agentvision.render.post`.

The OpenGL platform is ``PYOPENGL_PLATFORM`` when set, else EGL, then OSMesa. pyrender 0.1.45 is
used unmodified: numpy 2 lacks ``np.infty`` (shimmed here) and PyOpenGL must be >= 3.1.10.
"""

from __future__ import annotations

import atexit
import ctypes.util
import functools
import math
import os
import shutil
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID
from agentvision.render.base import RendererError, RenderResult, RenderSettings
from agentvision.render.post import develop
from agentvision.render.shading import (
    AMBIENT_FLAT,
    AMBIENT_UP,
    MaterialTable,
    glass_radiance,
    material_table,
    sky_radiance,
)
from agentvision.render.surfaces import cast_through_cutouts, surface_table
from agentvision.scene.lighting import lighting_for
from agentvision.scene.model import Lighting, Material, Scene, SceneObject, Texture
from agentvision.scene.normals import corner_normals, face_tangents
from agentvision.scene.rays import scene_rays
from agentvision.scene.textures import scaled_normal_map

PLATFORMS = ("egl", "osmesa")
_LIBRARIES = {"egl": "EGL", "osmesa": "OSMesa"}
MIN_PYOPENGL = (3, 1, 10)
GL_STRINGS = ("renderer", "vendor", "version")

# The colour pass writes pow(radiance * scale, 1/2.2) into 8 bits, clipped at 1. The scale maps an
# exposed radiance of HEADROOM (where the filmic curve is white) to 1.
HEADROOM = 4.0
# pyrender's diffuse term is (1 - F) * albedo * 0.96 / pi per unit of light; raycast's is albedo.
LAMBERT = math.pi / 0.96
_SHADER = Path(__file__).with_name("gl_mesh.frag")  # replaces pyrender's mesh.frag
_WRAP_CODES = {"repeat": 10497, "mirror": 33648, "clamp": 33071}  # glTF / OpenGL sampler wraps
MAX_VIEWPORT = 8192  # pixels along a side of the supersampled colour pass
SHADOW_TEXELS = 2048  # pyrender's shadow map size (SHADOW_TEX_SZ)
GL_CLAMP_TO_BORDER = 0x812D
SHADOW_PAD = 0.02  # the fitted shadow box grows by this fraction plus the PCF footprint
# pyrender's shadow bias is 0.001 * (1 - n.l) of the box's depth span: a span this many times the
# box's width keeps the bias a few texels deep down to grazing sun (no acne on facades at dusk).
SHADOW_DEPTH_RATIO = 20.0

_DECODE = (np.arange(256, dtype=np.float32) / 255.0) ** 2.2  # pyrender's 1/2.2 gamma, undone

_CONTEXT = None  # (pyrender, OffscreenRenderer) shared by every GLRenderer; see _context()
_PLATFORM: str | None = None


# ----- platform ------------------------------------------------------------------------------
def _check_pyopengl() -> None:
    try:
        from OpenGL.version import __version__
    except ImportError as exc:
        raise RendererError(f"PyOpenGL is not installed ({exc}); run: pip install PyOpenGL==3.1.10") from None
    parts = tuple(int(p) for p in __version__.split(".")[:3] if p.isdigit())
    if parts < MIN_PYOPENGL:
        raise RendererError(
            f"the gl renderer needs PyOpenGL >= 3.1.10 but {__version__} is installed (pyrender pins 3.1.0, "
            "which fails here); after installing pyrender run: pip install PyOpenGL==3.1.10"
        )


def _forget_opengl() -> None:
    """Drop OpenGL and pyrender modules so the next import binds another platform."""
    for name in [m for m in sys.modules if m == "OpenGL" or m.startswith(("OpenGL.", "pyrender"))]:
        del sys.modules[name]


def _context():
    """(pyrender, the process's one OffscreenRenderer), created on first use.

    One context serves every GLRenderer: pyrender's EGL teardown terminates the display under all
    contexts, so none is closed before the process exits.
    """
    global _CONTEXT
    if _CONTEXT is None:
        pr, offscreen = _load()
        _with_context(offscreen, lambda GL: GL.glEnable(GL.GL_DEPTH_CLAMP))  # see _shadow_box
        _use_our_shader(pr, offscreen)
        _CONTEXT = pr, offscreen
        atexit.register(_release)  # before interpreter shutdown tears PyOpenGL down under it
    return _CONTEXT


def _release() -> None:
    global _CONTEXT
    if _CONTEXT is not None:
        _CONTEXT[1].delete()
        _CONTEXT = None


def _use_our_shader(pr, offscreen) -> None:
    """Make ``offscreen`` draw meshes with ``gl_mesh.frag``, its constants taken from the shading module."""
    folder = tempfile.mkdtemp(prefix="agentvision-gl-")
    atexit.register(shutil.rmtree, folder, True)
    constants = f"#define AMBIENT_FLAT {AMBIENT_FLAT!r}\n#define AMBIENT_UP {AMBIENT_UP!r}\n"
    source = _SHADER.read_text().replace("#version 330 core\n", "#version 330 core\n" + constants, 1)
    path = os.path.join(folder, "mesh.frag")
    Path(path).write_text(source)

    class _Shaders(pr.shader_program.ShaderProgramCache):
        def get_program(self, vertex_shader, fragment_shader, geometry_shader=None, defines=None):
            if fragment_shader == "mesh.frag":
                fragment_shader = path  # an absolute path: os.path.join keeps it
            return super().get_program(vertex_shader, fragment_shader, geometry_shader, defines)

    offscreen._renderer._program_cache = _Shaders()


def _with_context(offscreen, fn):
    """Call ``fn(OpenGL.GL)`` with ``offscreen``'s context current."""
    from OpenGL import GL

    offscreen._platform.make_current()
    try:
        return fn(GL)
    finally:
        offscreen._platform.make_uncurrent()


def _load():
    """Import pyrender on a working platform and return (pyrender, an OffscreenRenderer)."""
    global _PLATFORM
    _check_pyopengl()
    if "infty" not in np.__dict__:
        np.infty = np.inf  # numpy 2 removed it; pyrender 0.1.45 still uses it
    if not os.environ.get("DISPLAY"):
        # pyrender imports its viewer, and so pyglet, which looks for X11 unless told it is headless
        # (GPU servers have no libXrender): without a display there is nothing for X11 to do.
        os.environ.setdefault("PYGLET_HEADLESS", "1")
    requested = os.environ.get("PYOPENGL_PLATFORM")
    if requested:
        candidates = [requested]
    else:
        candidates = [p for p in PLATFORMS if ctypes.util.find_library(_LIBRARIES[p])] or list(PLATFORMS)
    errors = []
    for i, platform in enumerate(candidates):
        if i:
            _forget_opengl()
        os.environ["PYOPENGL_PLATFORM"] = platform  # pyrender reads it whenever it opens a context
        try:
            import pyrender

            offscreen = pyrender.OffscreenRenderer(16, 16)
        except Exception as exc:  # noqa: BLE001 - every platform failure is reported below
            missing = platform in _LIBRARIES and not ctypes.util.find_library(_LIBRARIES[platform])
            hint = f"lib{_LIBRARIES[platform]} not found; " if missing else ""
            errors.append(f"{platform}: {hint}{type(exc).__name__}: {exc}".rstrip(": "))
            continue
        _PLATFORM = platform
        return pyrender, offscreen
    if not requested:
        os.environ.pop("PYOPENGL_PLATFORM", None)
    raise RendererError(
        f"no OpenGL platform works for the gl renderer (tried {'; '.join(errors)}). Install libegl1 and "
        "libgl1-mesa-dri for EGL, or libosmesa6 for OSMesa (then PYOPENGL_PLATFORM=osmesa); "
        "or use --renderer raycast, which works everywhere."
    )


# ----- the pyrender scene --------------------------------------------------------------------
@dataclass
class _GLScene:
    """A pyrender Scene for one scene geometry under one lighting."""

    scene: object  # pyrender.Scene
    camera_node: object
    seg_map: dict  # node -> RGB colour encoding object index + 1
    glass_meshes: list
    scale: float  # radiance multiplier baked into lights and emission
    sun: object | None  # the sun's light (a _FittedSun) when it is up
    sun_view: np.ndarray | None  # world -> the sun's shadow-camera frame, as pyrender places it


def _pose_facing(z_axis: np.ndarray, position: np.ndarray) -> np.ndarray:
    """A 4x4 pose whose local +Z is ``z_axis`` (pyrender lights shine along local -Z)."""
    z = np.asarray(z_axis, dtype=np.float64)
    z = z / np.linalg.norm(z)
    a = np.array([1.0, 0.0, 0.0]) if abs(z[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    x = np.cross(a, z)
    x /= np.linalg.norm(x)
    pose = np.eye(4)
    pose[:3, :3] = np.column_stack([x, np.cross(z, x), z])
    pose[:3, 3] = position
    return pose


def _two_sided(mesh) -> tuple[np.ndarray, np.ndarray]:
    """Unindexed positions and shading normals of both sides of every triangle (raycast sees both).

    Normals are the shared per-corner normals of :func:`agentvision.scene.normals.corner_normals`
    (smooth across soft edges, sharp across creases), as the raycast engine interpolates them.
    """
    tri = np.asarray(mesh.vertices, dtype=np.float64)[np.asarray(mesh.faces)]
    n = corner_normals(mesh)
    positions = np.concatenate([tri, tri[:, ::-1]]).reshape(-1, 3)
    normals = np.concatenate([n, -n[:, ::-1]]).reshape(-1, 3)
    return positions.astype(np.float32), normals.astype(np.float32)


def id_colour(index: int) -> np.ndarray:
    """The segmentation colour (0..255 floats) of object ``index``; black is the background."""
    k = index + 1
    return np.array([k & 255, (k >> 8) & 255, (k >> 16) & 255], dtype=np.float64)


def decode_ids(seg: np.ndarray) -> np.ndarray:
    """Segmentation colours (H, W, 3) uint8 -> object indices, BACKGROUND_ID for black."""
    s = seg.astype(np.int32)
    k = s[..., 0] | (s[..., 1] << 8) | (s[..., 2] << 16)
    return np.where(k == 0, BACKGROUND_ID, k - 1).astype(np.int32)


def _texture(pr, texture: Texture, made: dict, cutoff: float | None = None):
    """A pyrender texture for ``texture`` (one per texture and use in a build).

    Grey maps become RGB(A) (GL would read grey as red); an opaque material's alpha is dropped and a
    cut-out's is thresholded at its cutoff (the shader cuts below 0.5).
    """
    key = (id(texture), cutoff)
    if key not in made:
        pixels = texture.pixels
        if pixels.shape[2] in (1, 2):
            pixels = np.concatenate([np.repeat(pixels[..., :1], 3, axis=2), pixels[..., 1:]], axis=2)
        if cutoff is None:
            pixels = pixels[..., :3]
        elif pixels.shape[2] == 4:
            alpha = np.where(pixels[..., 3:] / 255.0 >= cutoff, 255, 0).astype(np.uint8)
            pixels = np.concatenate([pixels[..., :3], alpha], axis=2)
        sampler = pr.Sampler(
            magFilter=pr.GLTF.LINEAR,
            minFilter=pr.GLTF.LINEAR_MIPMAP_LINEAR,
            wrapS=_WRAP_CODES[texture.wrap[0]],
            wrapT=_WRAP_CODES[texture.wrap[1]],
        )
        channels = "RGBA" if pixels.shape[2] == 4 else "RGB"
        made[key] = pr.Texture(source=np.ascontiguousarray(pixels), source_channels=channels, sampler=sampler)
    return made[key]


def _maps(pr, material: Material, made: dict) -> dict:
    """pyrender material keywords for the maps of ``material``."""
    out = {}
    if material.base_color_map is not None:
        out["baseColorTexture"] = _texture(pr, material.base_color_map, made, material.cutout)
    if material.normal_map is not None:
        out["normalTexture"] = _texture(pr, scaled_normal_map(material.normal_map, material.normal_scale), made)
    if material.metallic_roughness_map is not None:
        out["metallicRoughnessTexture"] = _texture(pr, material.metallic_roughness_map, made)
    if material.emissive_map is not None:
        out["emissiveTexture"] = _texture(pr, material.emissive_map, made)
    return out


def _corner_attributes(obj: SceneObject, normals: np.ndarray) -> dict:
    """Per-corner texture coordinates, tangents and colours of both sides (as :func:`_two_sided` orders them)."""
    faces = np.asarray(obj.mesh.faces)
    out = {}

    def both(front: np.ndarray, back: np.ndarray) -> np.ndarray:
        return np.concatenate([front, back[:, ::-1]]).reshape(-1, front.shape[-1]).astype(np.float32)

    if obj.uv is not None and obj.material.maps:
        uv = np.asarray(obj.uv, dtype=np.float64)
        uv = np.stack([uv[..., 0], 1.0 - uv[..., 1]], axis=-1)  # pyrender uploads images bottom row first
        out["texcoord_0"] = both(uv, uv)
        if obj.material.normal_map is not None:
            tangent = face_tangents(obj.mesh, obj.uv)
            n = normals.reshape(2, len(faces), 3, 3)[0]
            t = tangent[:, None, :3] - n * np.einsum("fkc,fc->fk", n, tangent[:, :3])[..., None]
            t /= np.maximum(np.linalg.norm(t, axis=-1, keepdims=True), 1e-12)
            w = np.broadcast_to(tangent[:, None, 3:], (len(faces), 3, 1))
            out["tangents"] = both(np.concatenate([t, w], axis=-1), np.concatenate([-t, -w], axis=-1))
    if obj.colors is not None:
        colors = np.asarray(obj.colors, dtype=np.float64)
        out["color_0"] = both(colors, colors)
    return out


def _build(pr, scene: Scene, lighting: Lighting) -> _GLScene:
    scale = lighting.exposure / HEADROOM
    mats = material_table(scene)
    ambient = np.asarray(lighting.ambient, dtype=np.float64) * scale  # the shader shapes it by n_z
    gs = pr.Scene(bg_color=np.zeros(4), ambient_light=ambient)
    seg_map, glass, made = {}, [], {}
    for i, obj in enumerate(scene.objects):
        if len(obj.mesh.faces) == 0:
            continue
        row = i + 1
        material = pr.MetallicRoughnessMaterial(
            baseColorFactor=np.append(mats.albedo[row], 1.0),
            metallicFactor=float(mats.metallic[row]),
            roughnessFactor=float(mats.roughness[row]),
            emissiveFactor=mats.emissive[row] * scale,
            **(_maps(pr, obj.material, made) if obj.uv is not None else {}),
        )
        positions, normals = _two_sided(obj.mesh)
        # Vertices relative to the object's centre, placed by the node: pyrender draws nodes far to
        # near by node position, so coincident faces resolve the same way in every pass and run.
        centre = obj.mesh.bounds.mean(axis=0)
        primitive = pr.Primitive(
            positions=positions - centre.astype(np.float32),
            normals=normals,
            material=material,
            **_corner_attributes(obj, normals),
        )
        mesh = pr.Mesh([primitive], name=obj.name)
        pose = np.eye(4)
        pose[:3, 3] = centre
        seg_map[gs.add(mesh, name=obj.name, pose=pose)] = id_colour(i)
        if mats.glass[row]:
            glass.append(mesh)
    sun, sun_light, sun_view = lighting.sun, None, None
    if sun.shines and seg_map:
        sun_light = _fitted_sun(pr)(color=np.asarray(sun.color), intensity=sun.intensity * LAMBERT * scale)
        pose = _pose_facing(sun.direction, gs.centroid)
        gs.add(sun_light, pose=pose)
        # pyrender puts the shadow camera one scene diagonal from the centre toward the light.
        pose[:3, 3] = gs.centroid + np.asarray(sun.direction) / np.linalg.norm(sun.direction) * gs.scale
        sun_view = np.linalg.inv(pose)
    if lighting.lamps_on:
        for lamp in scene.lamps:
            light = pr.PointLight(color=np.asarray(lamp.color), intensity=lamp.intensity * LAMBERT * scale)
            gs.add(light, pose=_pose_facing([0, 0, 1], lamp.position))
    camera_node = gs.add(pr.IntrinsicsCamera(1.0, 1.0, 0.5, 0.5))
    return _GLScene(gs, camera_node, seg_map, glass, scale, sun_light, sun_view)


class _Projection:
    """A fixed projection matrix where pyrender expects a camera."""

    def __init__(self, matrix: np.ndarray):
        self.matrix = matrix

    def get_projection_matrix(self, width=None, height=None) -> np.ndarray:
        return self.matrix


@functools.cache
def _fitted_sun(pr) -> type:
    class _FittedSun(pr.DirectionalLight):
        """A DirectionalLight whose shadow map covers ``projection`` (set per frame) if given.

        pyrender's own shadow box spans ten scene diagonals in depth, and its depth bias is a
        fraction of that span: large scenes (a courtyard with a 120 m lawn) lose their shadows.
        """

        projection: np.ndarray | None = None

        def _generate_shadow_texture(self, size=None):
            super()._generate_shadow_texture(size)
            # Outside the box the border depth (1.0, set by pyrender) reads as lit, not wrapped.
            self.shadow_texture.sampler = pr.Sampler(wrapS=GL_CLAMP_TO_BORDER, wrapT=GL_CLAMP_TO_BORDER)

        def _get_shadow_camera(self, scene_scale):
            if self.projection is None:
                return super()._get_shadow_camera(scene_scale)
            return _Projection(self.projection)

    return _FittedSun


def _shadow_box(view: np.ndarray, points: np.ndarray) -> np.ndarray | None:
    """An orthographic projection in the sun's shadow-camera frame holding ``points`` (N, 3).

    Casters between the box and the sun are kept by depth clamping (enabled on the context).
    """
    if len(points) == 0:
        return None
    q = points @ view[:3, :3].T + view[:3, 3]
    lo, hi = q.min(axis=0), q.max(axis=0)
    pad = (hi - lo) * SHADOW_PAD + 0.01
    pad[:2] += (hi - lo)[:2] * 4.0 / SHADOW_TEXELS  # the 3x3 PCF kernel reads beyond the edge
    lo, hi = lo - pad, hi + pad
    far = -lo[2]  # the camera looks down -z
    near = min(-hi[2], far - SHADOW_DEPTH_RATIO * (hi - lo)[:2].max())
    centre, half = (hi + lo)[:2] / 2, (hi - lo)[:2] / 2
    projection = np.eye(4)
    projection[[0, 1], [0, 1]] = 1 / half
    projection[:2, 3] = -centre / half
    projection[2, 2:] = -2 / (far - near), -(far + near) / (far - near)
    return projection


def _visible_points(camera: Camera, depth: np.ndarray, keep: np.ndarray, stride: int) -> np.ndarray:
    """World points seen at every ``stride``-th pixel where ``keep`` (from the depth pass)."""
    v, u = np.nonzero(keep[::stride, ::stride])
    v, u = v * stride, u * stride
    dirs = camera.ray_directions((u + 0.5, v + 0.5)).reshape(-1, 3)
    t = depth[v, u] / (dirs @ camera.forward)
    return np.asarray(camera.position) + dirs * t[:, None]


def supersampling(samples: int, width: int, height: int) -> int:
    """Colour-pass scale k (k x k samples per pixel) for ``samples`` per pixel, within MAX_VIEWPORT."""
    k = max(1, round(math.sqrt(max(1, int(samples)))))
    return max(1, min(k, MAX_VIEWPORT // max(width, height)))


def _clip_range(scene: Scene, camera: Camera) -> tuple[float, float]:
    """Near and far planes that hold the whole scene (24-bit depth stays ~1e-4 relative)."""
    corners = np.array(np.meshgrid(*scene.bounds.T)).reshape(3, -1).T
    far = float(np.linalg.norm(corners - np.asarray(camera.position), axis=1).max()) * 1.01 + 0.1
    return float(np.clip(far * 2e-4, 1e-3, 0.05)), far


def _place_camera(gls: _GLScene, camera: Camera, factor: int, near: float, far: float) -> None:
    """Point the pyrender camera like ``camera``, rendering ``factor`` times its resolution."""
    k = camera.intrinsics() * factor
    cam = gls.camera_node.camera
    cam.fx, cam.fy, cam.cx, cam.cy = k[0, 0], k[1, 1], k[0, 2], k[1, 2]
    cam.znear, cam.zfar = near, far
    gls.scene.set_pose(gls.camera_node, camera.pose_gl())


# ----- the engine ----------------------------------------------------------------------------
class GLRenderer:
    """Renderer protocol implementation on pyrender (OpenGL offscreen: EGL or OSMesa).

    Matches the raycast engine's ids and depth exactly (pixel centres) and its look closely:
    sun with shadow maps, hemispherical ambient, lamps as point lights, emissive surfaces, glass
    showing the tinted sky, the sky gradient and sun disc behind everything, the same tone
    mapping, the shared smooth-across-soft-edges shading normals. Differences: pyrender's GGX
    highlight instead of Blinn-Phong, soft-edged shadow maps (fitted to the visible surfaces each
    frame) instead of exact shadow rays, lamps cast no shadows (pyrender has no point-light
    shadows), at most 4 lamps light each object (the nearest), and ``settings.ambient_occlusion``
    is ignored. ``settings.antialias`` (samples per pixel) supersamples the colour pass k x k,
    k = round(sqrt(samples)), on top of 4x MSAA; ids and depth are always pixel-centre samples.
    ``settings.depth_of_field`` applies the shared image-space blur.

    Every GLRenderer draws on the process's one OpenGL context (see ``_context``), resized per
    viewport, and caches one pyrender scene per scene geometry and lighting (``MAX_CACHED``
    lightings per geometry).
    """

    name = "gl"
    MAX_CACHED = 4

    def __init__(self) -> None:
        self._pr, self._offscreen = _context()
        self._scenes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    # ----- public ------------------------------------------------------------------------
    def gl_info(self) -> dict[str, str]:
        """The OpenGL platform, renderer, vendor and version strings of this engine's context."""
        from OpenGL.version import __version__

        def strings(GL) -> dict[str, str]:
            return {k: GL.glGetString(getattr(GL, f"GL_{k.upper()}")).decode() for k in GL_STRINGS}

        return {"platform": _PLATFORM or "", **_with_context(self._offscreen, strings), "pyopengl": __version__}

    def close(self) -> None:
        """Drop the cached pyrender scenes (the shared context lives until the process exits)."""
        self._scenes = weakref.WeakKeyDictionary()

    def render(self, scene: Scene, camera: Camera, settings: RenderSettings | None = None) -> RenderResult:
        settings = settings or RenderSettings.preview()
        lighting = scene.lighting or lighting_for(None)
        pr = self._pr
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        gls = self._gl_scene(scene, lighting)
        mats = material_table(scene)
        near, far = _clip_range(scene, camera)
        w, h = camera.size
        shadows = pr.RenderFlags.SHADOWS_DIRECTIONAL if settings.shadows and gls.sun else pr.RenderFlags.NONE
        timings["setup"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        _place_camera(gls, camera, 1, near, far)
        seg, z = self._draw(gls, w, h, pr.RenderFlags.SEG | shadows, gls.seg_map)
        ids = decode_ids(seg)
        depth = np.where(z > 0, z, np.inf).astype(np.float32)
        _see_through_cutouts(scene, camera, ids, depth)
        if shadows:
            shaded = np.isfinite(depth) & ~mats.glass[ids + 1]
            points = _visible_points(camera, depth, shaded, stride=max(1, min(w, h) // 240))
            gls.sun.projection = _shadow_box(gls.sun_view, points)
        timings["ids"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        aa = supersampling(settings.antialias, w, h)
        _place_camera(gls, camera, aa, near, far)
        for mesh in gls.glass_meshes:  # glass lets sunlight through; its pixels are shaded below
            mesh.is_visible = False
        try:
            rgba, _ = self._draw(gls, w * aa, h * aa, pr.RenderFlags.RGBA | shadows)
        finally:
            for mesh in gls.glass_meshes:
                mesh.is_visible = True
        timings["color"] = time.perf_counter() - t2

        t3 = time.perf_counter()
        radiance = _composite(rgba, gls.scale, camera, aa, lighting)
        radiance = _glass(radiance, ids, mats, camera, lighting)
        timings["composite"] = time.perf_counter() - t3
        rgb = develop(radiance, camera, depth, settings, lighting, timings)
        timings["total"] = time.perf_counter() - t0
        return RenderResult(rgb, depth, ids, scene.names, camera, self.name, timings)

    # ----- internals ---------------------------------------------------------------------
    def _gl_scene(self, scene: Scene, lighting: Lighting) -> _GLScene:
        by_light = self._scenes.setdefault(scene.geometry, {})
        gls = by_light.pop(lighting, None) or _build(self._pr, scene, lighting)
        by_light[lighting] = gls  # most recently used last
        while len(by_light) > self.MAX_CACHED:
            by_light.pop(next(iter(by_light)))
        return gls

    def _draw(self, gls: _GLScene, width: int, height: int, flags, seg_map=None):
        self._offscreen.viewport_width, self._offscreen.viewport_height = width, height
        return self._offscreen.render(gls.scene, flags=flags, seg_node_map=seg_map)


def _see_through_cutouts(scene: Scene, camera: Camera, ids: np.ndarray, depth: np.ndarray) -> None:
    """Ids and depth behind cut-out holes, by ray casting (the id pass draws cut-outs solid)."""
    cutouts = surface_table(scene).cutouts
    if not cutouts:
        return
    v, u = np.nonzero(np.isin(ids, list(cutouts)))
    if v.size == 0:
        return
    dirs = camera.ray_directions((u + 0.5, v + 0.5)).reshape(-1, 3).astype(np.float32)
    origins = np.broadcast_to(np.asarray(camera.position, dtype=np.float32), dirs.shape)
    hits = cast_through_cutouts(scene, scene_rays(scene).all, origins, dirs)
    ids[v, u] = hits.ids
    depth[v, u] = np.where(np.isfinite(hits.t), hits.t * (dirs @ camera.forward.astype(np.float32)), np.inf)


def _composite(rgba: np.ndarray, scale: float, camera: Camera, aa: int, lighting: Lighting) -> np.ndarray:
    """Decode the colour pass to linear radiance, put the sky behind it, box-filter to (H, W, 3)."""
    radiance = _DECODE[rgba[..., :3]] / np.float32(scale)
    part = np.nonzero(rgba[..., 3] < 255)  # the background, and edges that cover part of a pixel
    if part[0].size:
        alpha = rgba[..., 3][part].astype(np.float32)[:, None] / 255.0
        enc = rgba[..., :3][part].astype(np.float32) / 255.0 / np.maximum(alpha, 1.0 / 255.0)
        surface = np.power(np.clip(enc, 0.0, 1.0), 2.2) / scale
        dirs = camera.ray_directions(((part[1] + 0.5) / aa, (part[0] + 0.5) / aa)).reshape(-1, 3)
        radiance[part] = alpha * surface + (1.0 - alpha) * sky_radiance(lighting, dirs)
    h, w = camera.height, camera.width
    return radiance.reshape(h, aa, w, aa, 3).mean(axis=(1, 3), dtype=np.float64)


def _glass(
    radiance: np.ndarray, ids: np.ndarray, mats: MaterialTable, camera: Camera, lighting: Lighting
) -> np.ndarray:
    """Glass pixels show the sky beyond, tinted by the glass colour (as in the raycast engine)."""
    pane = mats.glass[ids + 1] & (ids != BACKGROUND_ID)
    if pane.any():
        v, u = np.nonzero(pane)
        dirs = camera.ray_directions((u + 0.5, v + 0.5)).reshape(-1, 3)
        radiance[pane] = glass_radiance(lighting, dirs, mats.albedo[ids[pane] + 1])
    return radiance
