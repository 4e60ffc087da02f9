"""The raycast engine: Embree ray hits (open3d, embreex fallback) shaded with numpy.

Direct sunlight with ray-traced shadows, lamps (point lights with shadows), a hemispherical
sky/ambient term, optional ambient occlusion, glass that shows the sky and lets sunlight in,
emissive surfaces, sky and sun disc for missed rays, antialiasing by sub-pixel samples, depth of
field from the f-number, and filmic tone mapping.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import replace

import numpy as np

import agentvision.render.shadows as shadows
from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID
from agentvision.render.base import RenderResult, RenderSettings
from agentvision.render.occlusion import half_res_occlusion
from agentvision.render.post import develop, edge_pixels, sample_offsets
from agentvision.render.shading import (
    MIRROR_ROUGHNESS,
    MaterialTable,
    ambient_factor,
    glass_radiance,
    material_table,
    mirror_reflectance,
    sky_radiance,
)
from agentvision.render.surfaces import cast_through_cutouts, occluded_through_cutouts, surface_at
from agentvision.scene.lighting import lighting_for
from agentvision.scene.model import Scene
from agentvision.scene.normals import corner_normals
from agentvision.scene.rays import SceneRays, scene_rays

EPS = 1e-3  # metres: offset of secondary rays off surfaces
METAL_SPECULAR = 4.0  # a metal's highlight is its base colour times this (a dielectric's is white)


# Explicit cache: per scene geometry, every object's corner normals stacked, with offsets.
_NORMALS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _shading_normals(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    cached = _NORMALS.get(scene.geometry)
    if cached is None:
        per_object = [corner_normals(o.mesh) for o in scene.objects]
        offsets = np.cumsum([0] + [len(c) for c in per_object])[:-1]
        stacked = (np.concatenate(per_object) if per_object else np.zeros((0, 3, 3))).astype(np.float32)
        cached = _NORMALS[scene.geometry] = (stacked, offsets)
    return cached


def interpolate_normals(scene: Scene, ids: np.ndarray, prims: np.ndarray, uvs: np.ndarray) -> np.ndarray:
    """Smooth shading normals at hits on objects ``ids``, triangles ``prims``, barycentrics ``uvs``."""
    stacked, offsets = _shading_normals(scene)
    corners = stacked[offsets[ids] + prims]  # (N, 3, 3)
    u, v = uvs[:, 0:1], uvs[:, 1:2]
    n = (1 - u - v) * corners[:, 0] + u * corners[:, 1] + v * corners[:, 2]
    return n / np.sqrt(np.maximum(np.einsum("ij,ij->i", n, n), 1e-12))[:, None]


class RaycastRenderer:
    """Renderer protocol implementation on CPU ray casting (the default engine)."""

    name = "raycast"

    def render(self, scene: Scene, camera: Camera, settings: RenderSettings | None = None) -> RenderResult:
        settings = settings or RenderSettings.preview()
        lighting = scene.lighting or lighting_for(None)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        rays = scene_rays(scene)
        mats = material_table(scene)
        timings["setup"] = time.perf_counter() - t0

        w, h = camera.size
        origin = np.asarray(camera.position, dtype=np.float32)
        t1 = time.perf_counter()
        dirs = camera.ray_directions().reshape(-1, 3).astype(np.float32)
        origins = np.broadcast_to(origin, dirs.shape)
        hits = cast_through_cutouts(scene, rays.all, origins, dirs)
        timings["primary"] = time.perf_counter() - t1
        ids = hits.ids.copy()
        depth = np.where(np.isfinite(hits.t), hits.t * (dirs @ camera.forward.astype(np.float32)), np.inf)
        ao = None
        if settings.ambient_occlusion > 0:
            t2 = time.perf_counter()
            ao = half_res_occlusion(rays, origins, dirs, hits, settings.ambient_occlusion, w, h)
            timings["occlusion"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        first = shadows.Batch(shadows.Pixels.of(camera, grid=True), np.arange(w * h), {})
        accum = self._shade(scene, lighting, mats, rays, origins, dirs, hits, settings, ao, timings, first)
        timings["shade"] = time.perf_counter() - t3  # shadows included
        if settings.antialias > 1:
            # Extra sub-pixel samples only where the image has edges: object, depth or light edges.
            t4 = time.perf_counter()
            corners = self._corners(scene, rays, camera)
            sel = np.flatnonzero(edge_pixels(ids.reshape(h, w), depth.reshape(h, w), accum.reshape(h, w, 3), corners))
            v, u = np.divmod(sel, w)
            total = accum[sel].copy()
            sub_ao = None if ao is None else ao[sel]
            offsets = sample_offsets(settings.antialias)[1:]
            loose = shadows.Pixels.of(camera, grid=False)
            for du, dv in offsets:
                d = camera.ray_directions((u + du, v + dv)).astype(np.float32)
                o = np.broadcast_to(origin, d.shape)
                sub = cast_through_cutouts(scene, rays.all, o, d)
                batch = shadows.Batch(loose, sel, first.memo, ids)
                total += self._shade(scene, lighting, mats, rays, o, d, sub, settings, sub_ao, timings, batch)
            accum[sel] = total / (len(offsets) + 1)
            timings["antialias"] = time.perf_counter() - t4
            timings["antialiased_pixels"] = float(sel.size)
        radiance = accum.reshape(h, w, 3)
        depth = depth.reshape(h, w).astype(np.float32)
        rgb = develop(radiance, camera, depth, settings, lighting, timings)
        timings["total"] = time.perf_counter() - t0
        return RenderResult(
            rgb=rgb,
            depth=depth,
            ids=ids.reshape(h, w).astype(np.int32),
            names=scene.names,
            camera=camera,
            engine=self.name,
            timings=timings,
        )

    @staticmethod
    def _corners(scene: Scene, rays: SceneRays, camera: Camera) -> tuple[np.ndarray, np.ndarray]:
        """Object ids and depths (h + 1, w + 1) seen through the pixels' corners."""
        w, h = camera.size
        v, u = np.mgrid[0 : h + 1, 0 : w + 1].astype(np.float64)
        d = camera.ray_directions((u, v)).reshape(-1, 3).astype(np.float32)
        hits = cast_through_cutouts(scene, rays.all, np.broadcast_to(camera.position, d.shape).astype(np.float32), d)
        z = np.where(np.isfinite(hits.t), hits.t * (d @ camera.forward.astype(np.float32)), np.inf)
        return hits.ids.reshape(h + 1, w + 1), z.reshape(h + 1, w + 1)

    # ----- shading ------------------------------------------------------------------------
    def _shade(
        self,
        scene,
        lighting,
        mats: MaterialTable,
        rays: SceneRays,
        origins,
        dirs,
        hits,
        settings,
        ao,
        timings,
        batch,
        reflect: bool = True,
    ):
        """Radiance along ``dirs``; ``batch`` (shadows.Batch) says where the rays sit on the image;
        smooth surfaces mirror what their reflected ray meets when ``reflect``."""
        pixel = float(np.linalg.norm(batch.pixels.dx))  # radians a pixel spans near the centre
        n_rays = len(dirs)
        out = np.empty((n_rays, 3), dtype=np.float32)
        hit = hits.ids != BACKGROUND_ID
        row = hits.ids + 1
        glass = mats.glass[row] & hit
        surf = hit & ~glass
        out[~hit] = sky_radiance(lighting, dirs[~hit])
        if glass.any():
            # A pane shows the sky beyond it, slightly tinted by the glass colour.
            out[glass] = glass_radiance(lighting, dirs[glass], mats.albedo[row[glass]])

        idx = np.nonzero(surf)[0]
        if idx.size == 0:
            return out
        d = dirs[idx]
        p = origins[idx] + hits.t[idx, None] * d
        geo = hits.normals[idx]
        back = np.einsum("ij,ij->i", geo, d) > 0
        geo = np.where(back[:, None], -geo, geo)  # face the viewer
        ids, prims, bary = hits.ids[idx], hits.prims[idx], hits.uvs[idx]
        n = interpolate_normals(scene, ids, prims, bary)
        surface = surface_at(scene, mats, ids, prims, bary, n, d, hits.t[idx], pixel, filtered=settings.antialias > 1)
        n = np.where(back[:, None], -surface.normal, surface.normal)
        albedo, rough, metal = surface.albedo, surface.roughness, surface.metallic
        metallic = bool(metal.any())  # metals take direct light as highlights only
        shadow_time = 0.0
        sun_plan, lamp_plan = shadows.Plan.of(settings)

        def blocked(engine):
            return lambda points, towards, tmax: occluded_through_cutouts(scene, engine, points, towards, tmax)

        def visibility(key, occluded, light, lit, plan):
            where = batch.ids[idx]
            known = batch.known(key, where, ids)
            vis = shadows.visibility(occluded, light, p, geo, d, where, lit, batch.pixels, plan, EPS, known, ids)
            batch.remember(key, where, vis, lit)
            return vis

        # Ambient: sky dome from above, a darker bounce from below.
        amb = np.asarray(lighting.ambient, dtype=np.float32) * ambient_factor(n[:, 2])[:, None]
        if ao is not None:
            amb *= ao[idx, None]
        light = amb

        sun = lighting.sun
        if sun.shines:
            l_dir = np.asarray(sun.direction, dtype=np.float32)  # float32 throughout: half the memory traffic
            ndl = np.clip(n @ l_dir, 0.0, None)
            lit = ndl > 0
            if settings.shadows and lit.any():
                ts = time.perf_counter()
                disc = shadows.SunLight(l_dir, float(np.tan(np.radians(sun.half_angle_deg))))
                ndl *= visibility("sun", blocked(rays.shadow), disc, lit, sun_plan)
                shadow_time += time.perf_counter() - ts
            sun_rgb = np.asarray(sun.color, dtype=np.float32) * np.float32(sun.intensity)
            direct = ndl[:, None] * sun_rgb
            # Blinn-Phong highlight, fading with roughness.
            spec_rgb = np.zeros_like(p)
            shiny = np.nonzero((rough < 0.7) & (ndl > 0))[0]
            if shiny.size:
                half = l_dir - d[shiny]
                half /= np.linalg.norm(half, axis=1, keepdims=True)
                r = rough[shiny]
                cos_h = np.clip(np.einsum("ij,ij->i", n[shiny], half), 0, 1)
                spec = (1 - r) ** 2 * cos_h ** (2.0 / np.maximum(r, 0.05) ** 4)
                m = metal[shiny, None]
                tint = (1.0 - m) + m * albedo[shiny] * METAL_SPECULAR
                spec_rgb[shiny] = spec[:, None] * sun_rgb * 0.25 * tint
        else:
            spec_rgb = 0.0
            direct = 0.0

        if lighting.lamps_on and scene.lamps:
            for lamp in scene.lamps:
                to_lamp = np.asarray(lamp.position, dtype=np.float32) - p
                dist = np.sqrt(np.einsum("ij,ij->i", to_lamp, to_lamp))
                ndl = np.clip(np.einsum("ij,ij->i", n, to_lamp) / np.maximum(dist, 1e-6), 0.0, None)
                irr = np.float32(lamp.intensity) * ndl / np.maximum(dist, np.float32(0.15)) ** 2
                strong = irr > 1e-3
                if settings.shadows and strong.any():
                    ts = time.perf_counter()
                    glow = scene.objects[scene.index(lamp.object)].mesh if lamp_plan.soft else None
                    engine = blocked(rays.lamp_shadow(lamp.object))
                    bulb = shadows.LampLight.of(lamp.position, glow, engine)
                    seen = visibility(lamp.object, engine, bulb, strong, lamp_plan)
                    irr = np.where(strong, irr * seen, irr)
                    shadow_time += time.perf_counter() - ts
                direct = direct + irr[:, None] * np.asarray(lamp.color, dtype=np.float32)

        if metallic:
            out[idx] = albedo * (light + (1.0 - metal)[:, None] * direct) + spec_rgb + surface.emissive
        else:
            out[idx] = albedo * (light + direct) + spec_rgb + surface.emissive
        timings["shadows"] = timings.get("shadows", 0.0) + shadow_time
        shiny = np.flatnonzero(rough < MIRROR_ROUGHNESS[1]) if reflect else ()
        if len(shiny):
            weight = mirror_reflectance(
                np.einsum("ij,ij->i", -d[shiny], n[shiny]), albedo[shiny], metal[shiny], rough[shiny]
            )
            keep = weight.max(axis=1) > 1e-3
            shiny, weight = shiny[keep], weight[keep]
            if shiny.size:
                # One bounce of a mirror ray (still water, polished metal): the sky, or what it meets,
                # shaded without shadows or further reflection.
                ds = d[shiny] - 2 * np.einsum("ij,ij->i", d[shiny], n[shiny])[:, None] * n[shiny]
                os_ = (p[shiny] + geo[shiny] * EPS).astype(np.float32)
                bounce = cast_through_cutouts(scene, rays.all, os_, ds.astype(np.float32))
                seen = self._shade(
                    scene,
                    lighting,
                    mats,
                    rays,
                    os_,
                    ds,
                    bounce,
                    RenderSettings(shadows=False),
                    None,
                    timings,
                    shadows.Batch(replace(batch.pixels, grid=None), batch.ids[idx[shiny]], {}),
                    reflect=False,
                )
                out[idx[shiny]] = (1.0 - weight) * out[idx[shiny]] + weight * seen
        return out
