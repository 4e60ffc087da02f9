"""A Scene, its Lighting and a Camera as a Mitsuba 3 scene, scaled to the raycast engine's light units.

The raycast engine shades a diffuse surface as ``albedo * E`` where ``E`` is its light (sun or lamp
``intensity * colour * cos / d**2``). A physical Lambertian surface reflects ``albedo / pi * E``,
so every light here carries a factor of pi: the same preset gives the same direct light in both
engines, and what path tracing adds is physics (soft shadows, bounce light, light through glass).

Mapping (all linear RGB, metres, Z up as in :mod:`agentvision.conventions`):

- Sun and sky: envmaps baked from the preset's :class:`~agentvision.scene.model.Sky` gradient, the
  raycast engine's glow around the sun, and the sun's disc at its real angular size (0.53 degrees,
  soft shadows), its radiance normalised to the raycast sun's irradiance ``pi * intensity *
  colour``. Camera rays (and specular chains) see the sky as the preset paints it; as light the
  sky is scaled to the preset's ambient strength (:func:`sky_light_scale`). In a closed room with
  glass the sky's light enters through window portals (:func:`portal_mesh`: invisible area lights
  on the panes' inner faces, the mean sky radiance they let in), which light the room with far less
  noise than sky samples that mostly hit walls; the environment then holds only the sun.
- Lamps: each :class:`~agentvision.scene.model.Lamp` is a ``point`` emitter; emissive surfaces are
  ``area`` emitters of radiance ``emissive`` (lamp objects only while the lighting turns lamps on).
  Shadow rays see two extra scenes (:class:`MitsubaScene`): without glass, and without glass and
  lamp objects, so a lamp's shade lets part of its bulb's light through
  (:mod:`agentvision.render.mitsuba_integrator`).
- Glass (``Material.glass``): ``thindielectric`` panes, transmittance as raycast's glass tint;
  sunlight and sky light come in through them (shadow rays pass glass, tinted).
- Everything else: ``principled`` with the material's base colour, roughness and metallic, its maps
  as ``bitmap`` textures read through the mesh's UVs (the same images: :func:`bitmap`), a normal map
  as a ``normalmap`` around it. Vertex colours without a base colour map give the material's mean
  colour; emissive maps and cut-outs are not drawn here (the factor and a solid surface).
- Camera: ``thinlens`` (aperture from the f-number, focused at the given distance) or
  ``perspective``, its ``to_world`` built from :meth:`Camera.camera_to_world` and its field of view
  from :attr:`Camera.fov_deg`, so that pixels line up with the other engines.

"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import trimesh

from agentvision.camera import Camera
from agentvision.conventions import REC709_LUMA, srgb_to_linear
from agentvision.render.shading import GLASS_TINT, SUN_GLOW_SHARPNESS
from agentvision.scene.lighting import lighting_for
from agentvision.scene.model import Lighting, Material, Scene, SceneError, SceneObject, Texture
from agentvision.scene.normals import corner_normals
from agentvision.scene.textures import scaled_normal_map

SUN_GLOW = 0.6  # raycast's glow around the sun (see shading.sky_radiance), in units of sun colour
GLASS_IOR = 1.5
PORTAL_OFFSET = 0.003  # metres: a window portal sits this far inside its pane
# A lamp's own object lets this share of its bulb's light through (a linen shade, a lantern's
# frosted panes); the rest of the bulb's light leaves through the shade's open ends.
LAMP_TRANSLUCENCY = 0.5
# Mitsuba's camera frame is x left, y up, z forward; OpenCV's (ours) is x right, y down, z forward.
CV_TO_MITSUBA = np.diag([-1.0, -1.0, 1.0, 1.0])
# The envmap's frame: Mitsuba's environment is Y up in its own frame; rotate +90 degrees about X.
ENV_TO_WORLD = np.array([[1.0, 0, 0, 0], [0, 0, -1.0, 0], [0, 1.0, 0, 0], [0, 0, 0, 1.0]])


@dataclass(frozen=True)
class EnvMap:
    """The sky and the sun as latitude-longitude images in Mitsuba's layout (see ENV_TO_WORLD)."""

    sky: np.ndarray  # (H, W, 3) float32 linear radiance: the preset's gradient and the sun's glow
    sun: np.ndarray  # (H, W, 3) float32: the sun's disc alone (zeros when the sun is down)
    sun_irradiance: float  # luminance of the sun's irradiance on a surface facing it (0 when down)
    sky_irradiance: float  # luminance of the sky's irradiance on an upward surface

    @property
    def image(self) -> np.ndarray:
        return self.sky + self.sun

    def through(self, normal: np.ndarray, step: int = 8) -> np.ndarray:
        """The mean (cosine-weighted) sky radiance arriving along ``normal`` from the half-space
        behind it: what a diffuse window facing ``normal`` lets into a room, before its glass
        (computed on the sky averaged over ``step`` x ``step`` pixel blocks)."""
        height, width = (n // step for n in self.sky.shape[:2])
        coarse = self.sky[: height * step, : width * step].reshape(height, step, width, step, 3).mean(axis=(1, 3))
        cos = np.clip(-(envmap_directions(height, width) @ np.asarray(normal, dtype=np.float64)), 0.0, None)
        weight = cos * _solid_angles(height, width)[:, None]
        return (coarse * weight[..., None]).sum(axis=(0, 1)) / math.pi


def _solid_angles(height: int, width: int) -> np.ndarray:
    """Solid angle of one pixel of each row of an equal-angle latitude-longitude map."""
    theta = np.pi * (np.arange(height) + 0.5) / height
    return (2 * np.pi / width) * (np.pi / height) * np.sin(theta)


def envmap_directions(height: int, width: int) -> np.ndarray:
    """World directions (H, W, 3) of the envmap's pixel centres (Mitsuba's latitude-longitude map).

    Mitsuba looks up a local direction d at u = atan2(d.x, -d.z) / 2pi, v = acos(d.y) / pi; with
    :data:`ENV_TO_WORLD` that local frame is world (x, -z, y).
    """
    v, u = np.mgrid[0:height, 0:width].astype(np.float64)
    return _uv_to_world((u + 0.5) / width, (v + 0.5) / height)


def _uv_to_world(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    theta, phi = np.pi * v, 2 * np.pi * u
    s = np.sin(theta)
    return np.stack([s * np.sin(phi), s * np.cos(phi), np.cos(theta)], axis=-1)


@functools.lru_cache(maxsize=8)
def sky_envmap(lighting: Lighting, width: int = 2048) -> EnvMap:
    """The preset's sky with the glow around the sun, and the sun's disc, as envmap images."""
    height = width // 2
    dirs = envmap_directions(height, width)
    sky = lighting.sky.radiance(dirs).astype(np.float64)
    sun_img = np.zeros_like(sky)
    sun = lighting.sun
    sun_rgb = np.asarray(sun.color) * sun.intensity
    d_omega = _solid_angles(height, width)
    if sun.intensity > 0 and sun.elevation_deg > -1.0:
        s = np.asarray(sun.direction, dtype=np.float64)
        sky += np.exp((np.clip(dirs @ s, -1, 1) - 1.0) * SUN_GLOW_SHARPNESS)[..., None] * SUN_GLOW * sun_rgb
    up = np.clip(dirs[..., 2], 0.0, None)
    sky_e = float(((sky @ np.asarray(REC709_LUMA)) * up * d_omega[:, None]).sum())
    sun_e = 0.0
    if sun.shines:
        cover = _disc_coverage(np.asarray(sun.direction, dtype=np.float64), sun.half_angle_deg, height, width)
        solid = float((cover * d_omega[:, None]).sum())
        # Raycast lights a surface facing the sun with intensity * colour as albedo * E: a
        # physical surface needs pi times that irradiance from the disc.
        sun_img = cover[..., None] * (math.pi * sun_rgb / solid)
        sun_e = math.pi * _luma(sun_rgb)
    return EnvMap(sky.astype(np.float32), sun_img.astype(np.float32), sun_e, sky_e)


def _disc_coverage(sun_dir: np.ndarray, half_angle_deg: float, height: int, width: int, sub: int = 8) -> np.ndarray:
    """Fraction of each envmap pixel inside the sun's disc (supersampled near the disc)."""
    cover = np.zeros((height, width))
    theta_s = math.acos(float(np.clip(sun_dir[2], -1, 1)))
    half = math.radians(half_angle_deg)
    pad = half + 2 * math.pi / width * 2
    r0 = max(int((theta_s - pad) / math.pi * height), 0)
    r1 = min(int((theta_s + pad) / math.pi * height) + 1, height)
    offs = (np.arange(sub) + 0.5) / sub
    rows, cols = np.arange(r0, r1), np.arange(width)
    vv = (rows[:, None, None, None] + offs[None, None, :, None]) / height
    uu = (cols[None, :, None, None] + offs[None, None, None, :]) / width
    vv, uu = np.broadcast_arrays(vv, uu)
    inside = _uv_to_world(uu, vv) @ sun_dir > math.cos(half)
    cover[r0:r1] = inside.mean(axis=(2, 3))
    return cover


# ----- materials and shapes -------------------------------------------------------------------
def glass_transmittance(material: Material) -> list[float]:
    """What a pane lets through: the raycast engine's glass tint."""
    return [GLASS_TINT[0] + GLASS_TINT[1] * c for c in material.base_color]


def bitmap(mi, texture: Texture, channel: int | None = None, factor=None) -> dict:
    """A Mitsuba ``bitmap`` texture of ``texture``: its pixels as they are (Mitsuba decodes sRGB colour
    itself; data maps are raw), its wrap mode, our UVs unchanged (both put (0, 0) at the image's
    top-left). ``channel`` takes one channel (a metallic-roughness map's G or B); a ``factor`` other
    than 1 is multiplied in (linear light), since a Mitsuba texture has no factor of its own."""
    pixels = texture.pixels
    if channel is not None:
        pixels = pixels[..., min(channel, texture.channels - 1)][..., None]
    elif texture.channels in (1, 2):
        pixels = np.repeat(pixels[..., :1], 3, axis=2)  # grey colour as RGB
    else:
        pixels = pixels[..., :3]
    raw = channel is not None or not texture.srgb
    factor = np.broadcast_to(np.asarray(1.0 if factor is None else factor, np.float32), (pixels.shape[2],))
    if np.allclose(factor, 1.0):
        data = mi.Bitmap(np.require(pixels, requirements=["C", "W"]))  # nanobind wants a writable array
    else:  # bake the factor in, in linear light
        linear = pixels / 255.0 if raw else srgb_to_linear(pixels / 255.0)
        data, raw = mi.Bitmap(np.ascontiguousarray((linear * factor).astype(np.float32))), True
    return {"type": "bitmap", "bitmap": data, "raw": raw, "wrap_mode": texture.wrap[0], "filter_type": "bilinear"}


def surface_bsdf(material: Material, mi=None, textured: bool = False) -> dict:
    """The Mitsuba BSDF of a material (glass: a thin pane; else principled, with its maps when ``textured``:
    the mesh has UVs; ``mi`` is then the Mitsuba module)."""
    if material.glass:
        return {
            "type": "thindielectric",
            "int_ior": GLASS_IOR,
            "specular_transmittance": {"type": "rgb", "value": glass_transmittance(material)},
        }
    maps = material.maps if textured else {}
    colour = material.base_color if "base_color_map" in maps or material.mean_color is None else material.color
    bsdf = {
        "type": "principled",
        "base_color": {"type": "rgb", "value": list(colour)},
        "roughness": float(np.clip(material.roughness, 0.02, 1.0)),
        "metallic": float(material.metallic),
        "specular": 0.5,
    }
    if "base_color_map" in maps:
        bsdf["base_color"] = bitmap(mi, maps["base_color_map"], factor=material.base_color)
    if "metallic_roughness_map" in maps:
        bsdf["roughness"] = bitmap(mi, maps["metallic_roughness_map"], channel=1, factor=material.roughness)
        if material.metallic > 0:
            bsdf["metallic"] = bitmap(mi, maps["metallic_roughness_map"], channel=2, factor=material.metallic)
    if "normal_map" in maps:
        normals = scaled_normal_map(maps["normal_map"], material.normal_scale)
        return {"type": "normalmap", "normalmap": bitmap(mi, normals), "bsdf": bsdf}
    return bsdf


def mesh_shape(mi, mesh: trimesh.Trimesh, bsdf=None, emitter=None, name: str = "mesh", smooth: bool = True, uv=None):
    """A Mitsuba mesh, with per-corner smooth normals (creases kept, as raycast) when ``smooth`` and
    per-corner texture coordinates ``uv`` (F, 3, 2) when given."""
    props = mi.Properties()
    if bsdf is not None:
        props["bsdf"] = bsdf
    if emitter is not None:
        props["emitter"] = emitter
    faces = np.asarray(mesh.faces)
    corners = np.asarray(mesh.vertices, dtype=np.float32)[faces].reshape(-1, 3)
    shape = mi.Mesh(
        name, len(corners), len(faces), props=props, has_vertex_normals=smooth, has_vertex_texcoords=uv is not None
    )
    params = mi.traverse(shape)
    params["vertex_positions"] = mi.Float(corners.ravel())
    if uv is not None:
        params["vertex_texcoords"] = mi.Float(np.asarray(uv, dtype=np.float32).ravel())
    if smooth:
        params["vertex_normals"] = mi.Float(corner_normals(mesh).astype(np.float32).ravel())
    params["faces"] = mi.UInt32(np.arange(len(corners), dtype=np.uint32))
    params.update()
    return shape


def _luma(rgb) -> float:
    return float(np.dot(REC709_LUMA, rgb))


def sky_light_scale(lighting: Lighting, env: EnvMap) -> float:
    """How strongly the sky lights the scene relative to how it looks: the preset's ambient light
    (raycast's sky-dome term on an upward surface) over the sky's own mean radiance from above.

    The presets pick sky colours for the background and the ambient strength for the light (a
    dusk sky lights a scene far less than its glowing horizon suggests); path tracing keeps both.
    """
    try:
        ambient = lighting_for(lighting.preset).ambient  # outdoors: no indoor bounce mixed in
    except SceneError:
        ambient = lighting.ambient
    mean_sky = env.sky_irradiance / math.pi
    return _luma(ambient) / mean_sky if mean_sky > 1e-9 else 1.0


def portal_mesh(obj: SceneObject, inside: np.ndarray) -> tuple[trimesh.Trimesh, np.ndarray] | None:
    """The faces of a glass object that look into the room (toward ``inside``), moved a few
    millimetres inward, and their mean normal; None when no face looks inward."""
    mesh = obj.mesh
    normals, centres, areas = mesh.face_normals, mesh.triangles_center, mesh.area_faces
    inward = np.einsum("ij,ij->i", normals, inside - centres) > 0
    if not inward.any():
        return None
    mean = (normals[inward] * areas[inward, None]).sum(axis=0)
    mean /= max(float(np.linalg.norm(mean)), 1e-12)
    keep = inward & (normals @ mean > 0.9)
    faces = mesh.faces[keep]
    vertices = mesh.vertices[faces].reshape(-1, 3) + np.repeat(normals[keep], 3, axis=0) * PORTAL_OFFSET
    return trimesh.Trimesh(vertices, np.arange(len(vertices)).reshape(-1, 3), process=False), mean


@dataclass
class MitsubaScene:
    """A Scene as Mitsuba scenes: the lit one, the ones its shadow rays are tested against, and the
    bare geometry for ids and depth."""

    main: object  # mi.Scene: every object (shapes "obj_<index>"), emitters, window portals
    shadow: object  # without glass: what blocks the sun, the sky and glowing surfaces
    lamp_shadow: object  # without glass and lamp objects: what blocks a lamp's bulb
    ids: object  # every object and nothing else (shapes "obj_<index>")
    glass: tuple[float, float, float]  # transmittance of a pane for shadow rays (mean over panes)
    sky_view: object  # the sky and sun as seen (an envmap emitter outside the scene): what camera
    # rays and specular chains see, where light sampling uses the sky scaled as light (see
    # sky_light_scale) or, in a room, window portals


def build_scene(mi, scene: Scene, lighting: Lighting, envmap_width: int = 2048) -> MitsubaScene:
    """The Mitsuba scenes of ``scene`` lit by ``lighting`` (emitters weighted by their power).

    A closed room with glass gets window portals: each pane's inner face is an invisible area
    light of the mean sky radiance it lets in, so sky light enters where it can be sampled, and
    the environment keeps only the sun (which shadow rays find through the glass).
    """
    lamp_objects = scene.lamp_objects
    main: dict = {"type": "scene"}
    shadow: dict = {"type": "scene"}
    lamp_shadow: dict = {"type": "scene"}
    ids: dict = {"type": "scene"}
    plain = mi.load_dict({"type": "diffuse"})
    env = sky_envmap(lighting, envmap_width)
    scale = sky_light_scale(lighting, env)
    panes = [(i, o) for i, o in enumerate(scene.objects) if o.material.glass]
    portals = scene.interior and bool(panes)
    inside = np.asarray(scene.bounds).mean(axis=0)
    glass_area = 0.0
    glass_t = np.zeros(3)
    local_power = 0.0  # of the lamps, glowing surfaces and portals
    for i, obj in enumerate(scene.objects):
        m = obj.material
        if len(obj.mesh.faces) == 0:
            continue
        emitter = None
        if m.is_emissive and (lighting.lamps_on or obj.name not in lamp_objects):
            power = math.pi * float(obj.mesh.area) * _luma(m.emissive)
            local_power += power
            emitter = area_emitter(mi, m.emissive, power)
        key = f"obj_{i}"
        uv = obj.uv if obj.uv is not None and m.maps else None
        bsdf = mi.load_dict(surface_bsdf(m, mi, textured=uv is not None))
        main[key] = mesh_shape(mi, obj.mesh, bsdf, emitter, name=obj.name, uv=uv)
        ids[key] = mesh_shape(mi, obj.mesh, plain, name=obj.name, smooth=False)
        if m.glass:
            area = float(obj.mesh.area) / 2  # a pane has two faces
            glass_area += area
            glass_t += area * np.asarray(glass_transmittance(m))
            continue
        shadow[key] = mesh_shape(mi, obj.mesh, plain, name=obj.name, smooth=False)
        if obj.name not in lamp_objects:
            lamp_shadow[key] = mesh_shape(mi, obj.mesh, plain, name=obj.name, smooth=False)
    glass = tuple(float(c) for c in glass_t / glass_area) if glass_area > 0 else (1.0, 1.0, 1.0)

    if portals:
        null = mi.load_dict({"type": "null"})
        for i, obj in panes:
            found = portal_mesh(obj, inside)
            if found is None:
                continue
            mesh, normal = found
            radiance = scale * env.through(normal) * np.asarray(glass_transmittance(obj.material))
            power = math.pi * float(mesh.area) * _luma(radiance)
            local_power += power
            emitter = area_emitter(mi, radiance, power)
            main[f"portal_{i}"] = mesh_shape(mi, mesh, null, emitter, name=f"portal_{i}", smooth=False)
    if lighting.lamps_on:
        for k, lamp in enumerate(scene.lamps):
            rgb = [math.pi * lamp.intensity * c for c in lamp.color]
            local_power += 4 * math.pi * _luma(rgb)
            main[f"lamp_{k}"] = {
                "type": "point",
                "position": list(lamp.position),
                "intensity": {"type": "rgb", "value": rgb},
                "sampling_weight": max(4 * math.pi * _luma(rgb), 1e-3),
            }
    if portals:
        if env.sun_irradiance > 0:
            main["sky"] = envmap_emitter(mi, env.sun, env.sun_irradiance * glass_area * _luma(glass))
    else:
        # Outdoors the sky lights everything: it takes half of the light samples when there are
        # lamps (their power is no measure against a sky of unbounded extent), else all of them.
        main["sky"] = envmap_emitter(mi, scale * env.sky + env.sun, local_power or 1.0)
    sky_view = mi.load_dict(envmap_emitter(mi, env.image, 1.0))
    return MitsubaScene(
        mi.load_dict(main), mi.load_dict(shadow), mi.load_dict(lamp_shadow), mi.load_dict(ids), glass, sky_view
    )


def area_emitter(mi, radiance, power: float):
    """A Mitsuba area emitter of ``radiance`` (linear RGB), sampled in proportion to ``power``."""
    return mi.load_dict(
        {
            "type": "area",
            "radiance": {"type": "rgb", "value": [float(c) for c in radiance]},
            "sampling_weight": max(float(power), 1e-3),
        }
    )


def envmap_emitter(mi, image: np.ndarray, power: float) -> dict:
    """An environment emitter dict of a latitude-longitude ``image``, in our Z-up world."""
    return {
        "type": "envmap",
        "bitmap": mi.Bitmap(np.ascontiguousarray(image, dtype=np.float32)),
        "to_world": mi.ScalarTransform4f(ENV_TO_WORLD),
        "sampling_weight": max(float(power), 1e-3),
    }


# ----- camera -----------------------------------------------------------------------------------
def sensor_dict(mi, camera: Camera, spp: int, focus_distance: float | None, pixel_centres: bool = False) -> dict:
    """A Mitsuba sensor with camera.py's pose and field of view.

    ``focus_distance`` (metres along the optical axis) makes it a thin lens with the aperture of
    the camera's f-number; None makes it a pinhole. ``pixel_centres`` samples each pixel once, at
    its centre (for ids and depth that match the other engines).
    """
    w, h = camera.size
    to_world = mi.ScalarTransform4f(camera.camera_to_world() @ CV_TO_MITSUBA)
    # A shifted lens (an upright camera) frames a window of a larger film centred on the optical axis
    # (the thin lens has no principal-point offset, a film crop serves both sensors).
    dx, dy = camera.shift_px
    film_w, film_h = w + 2 * abs(dx), h + 2 * abs(dy)
    film = {"type": "hdrfilm", "width": film_w, "height": film_h, "rfilter": {"type": "box"}, "pixel_format": "rgb"}
    if dx or dy:
        film |= {"crop_offset_x": abs(dx) + dx, "crop_offset_y": abs(dy) + dy, "crop_width": w, "crop_height": h}
    sensor: dict = {
        "type": "perspective",
        "fov": math.degrees(2 * math.atan(film_w / 2 / camera.focal_px)),
        "fov_axis": "x",
        "to_world": to_world,
        "near_clip": 1e-3,
        "far_clip": 1e5,
        "film": film,
        "sampler": {"type": "independent", "sample_count": spp},
    }
    if pixel_centres:
        sensor["sampler"] = {"type": "stratified", "sample_count": 1, "jitter": False}
    elif focus_distance is not None:
        sensor["type"] = "thinlens"
        # focal_mm is the true focal length of a 36 mm-wide ("full frame") sensor: aperture
        # diameter = focal length / f-number.
        sensor["aperture_radius"] = camera.focal_mm / camera.f_number / 2 / 1000.0
        sensor["focus_distance"] = float(focus_distance)
    return sensor
