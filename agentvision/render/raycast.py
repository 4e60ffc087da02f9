"""The raycast engine: Embree ray hits (open3d, embreex fallback) shaded with numpy.

Direct sunlight with ray-traced shadows, lamps (point lights with shadows), a hemispherical
sky/ambient term, optional ambient occlusion, glass that shows the sky and lets sunlight in,
emissive surfaces, sky and sun disc for missed rays, antialiasing by sub-pixel samples, depth of
field from the f-number, and filmic tone mapping.
"""

from __future__ import annotations

import time
import weakref

import numpy as np

from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID
from agentvision.render.base import RenderResult, RenderSettings
from agentvision.render.post import develop, edge_pixels, sample_offsets, smooth_occlusion
from agentvision.render.shading import (
    MaterialTable,
    ambient_factor,
    glass_radiance,
    material_table,
    sky_radiance,
)
from agentvision.render.surfaces import cast_through_cutouts, occluded_through_cutouts, surface_at
from agentvision.scene.lighting import lighting_for
from agentvision.scene.model import Scene
from agentvision.scene.normals import corner_normals
from agentvision.scene.rays import Hits, SceneRays, scene_rays

EPS = 1e-3  # metres: offset of secondary rays off surfaces
AO_DISTANCE = 0.8  # metres: occluders further away do not darken ambient light
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
            ao = self._half_res_occlusion(rays, origins, dirs, hits, settings.ambient_occlusion, w, h)
            timings["occlusion"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        pixel = 1.0 / float(camera.intrinsics()[0, 0])  # radians a pixel spans near the centre
        accum = self._shade(scene, lighting, mats, rays, origins, dirs, hits, settings, ao, timings, pixel)
        timings["shade"] = time.perf_counter() - t3  # shadows included
        if settings.antialias > 1:
            # Extra sub-pixel samples only where the image has edges: object, depth or light edges.
            t4 = time.perf_counter()
            sel = np.flatnonzero(edge_pixels(ids.reshape(h, w), depth.reshape(h, w), accum.reshape(h, w, 3)))
            v, u = np.divmod(sel, w)
            total = accum[sel].copy()
            sub_ao = None if ao is None else ao[sel]
            offsets = sample_offsets(settings.antialias)[1:]
            for du, dv in offsets:
                d = camera.ray_directions((u + du, v + dv)).astype(np.float32)
                o = np.broadcast_to(origin, d.shape)
                sub = cast_through_cutouts(scene, rays.all, o, d)
                total += self._shade(scene, lighting, mats, rays, o, d, sub, settings, sub_ao, timings, pixel)
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

    # ----- shading ------------------------------------------------------------------------
    def _shade(
        self, scene, lighting, mats: MaterialTable, rays: SceneRays, origins, dirs, hits, settings, ao, timings, pixel
    ):
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
        p_off = p + geo * EPS
        shadow_time = 0.0

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
                sel = np.nonzero(lit)[0]
                blocked = occluded_through_cutouts(
                    scene, rays.shadow, p_off[sel], np.broadcast_to(l_dir, (sel.size, 3)), np.inf
                )
                ndl[sel[blocked]] = 0.0
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
                strong = np.nonzero(irr > 1e-3)[0]
                if settings.shadows and strong.size:
                    ts = time.perf_counter()
                    # Unnormalised directions put the lamp at t = 1: one any-hit query per ray.
                    engine = rays.lamp_shadow(lamp.object)
                    blocked = occluded_through_cutouts(
                        scene, engine, p_off[strong], to_lamp[strong], 1.0 - 0.05 / np.maximum(dist[strong], 0.1).min()
                    )
                    irr[strong[blocked]] = 0.0
                    shadow_time += time.perf_counter() - ts
                direct = direct + irr[:, None] * np.asarray(lamp.color, dtype=np.float32)

        if metallic:
            out[idx] = albedo * (light + (1.0 - metal)[:, None] * direct) + spec_rgb + surface.emissive
        else:
            out[idx] = albedo * (light + direct) + spec_rgb + surface.emissive
        timings["shadows"] = timings.get("shadows", 0.0) + shadow_time
        return out

    def _half_res_occlusion(self, rays, origins, dirs, hits, n_rays: int, w: int, h: int) -> np.ndarray:
        """AO traced at every other pixel in each direction, spread back and smoothed per object."""
        grid = np.arange(h * w).reshape(h, w)[::2, ::2]
        sub = grid.ravel()
        sub_hits = Hits(hits.t[sub], hits.ids[sub], hits.normals[sub])
        half = self._occlusion(rays, origins[sub], dirs[sub], sub_hits, n_rays).reshape(grid.shape)
        half = smooth_occlusion(half, sub_hits.ids.reshape(grid.shape), sigma=max(2.0, w / 400))
        return np.repeat(np.repeat(half, 2, axis=0), 2, axis=1)[:h, :w].reshape(-1)

    def _occlusion(self, rays: SceneRays, origins, dirs, hits, n_rays: int) -> np.ndarray:
        """Fraction of ambient light reaching each hit (1 = open), from cosine-weighted rays."""
        ao = np.ones(len(dirs))
        idx = np.nonzero(hits.ids != BACKGROUND_ID)[0]
        if idx.size == 0:
            return ao
        n = hits.normals[idx]
        n = np.where((np.einsum("ij,ij->i", n, dirs[idx]) > 0)[:, None], -n, n)
        p = origins[idx] + hits.t[idx, None] * dirs[idx] + n * EPS
        # Tangent frame per point.
        a = np.where(np.abs(n[:, 2:3]) < 0.9, np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0]))
        t1 = np.cross(n, a)
        t1 /= np.linalg.norm(t1, axis=1, keepdims=True)
        t2 = np.cross(n, t1)
        rng = np.random.default_rng(7)  # fixed: the same camera gives the same image
        blocked = np.zeros(idx.size)
        for _ in range(n_rays):
            r1, r2 = rng.random(idx.size), rng.random(idx.size)
            r, phi = np.sqrt(r1), 2 * np.pi * r2
            local = (r * np.cos(phi))[:, None] * t1 + (r * np.sin(phi))[:, None] * t2 + np.sqrt(1 - r1)[:, None] * n
            blocked += rays.shadow.occluded(p, local, AO_DISTANCE)
        ao[idx] = 1.0 - 0.85 * blocked / n_rays
        return ao
