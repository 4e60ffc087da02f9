"""The path engine's Mitsuba integrator: a unidirectional path tracer with raycast's shadow rules.

A standard path tracer (next-event estimation with multiple importance sampling, Russian
roulette), written against Mitsuba's Python API and compiled by Dr.Jit like Mitsuba's own, with
changes that keep it as fast as Mitsuba's ``path`` while light still enters through windows
(``path`` lets no light through glass; ``volpath`` does, at twice the cost and with noisy panes):

- Shadow rays are any-hit tests. One blocked in the full scene is tested again in a scene without
  glass (for the sun, sky, portals and glowing surfaces) or without glass and lamp objects (for a
  lamp's bulb); passing there, it carries the glass's transmittance or the shade's translucency:
  the raycast engine's rule (glass casts no shadow, a lamp's own object does not hide its bulb),
  made physical. A bulb does not light glowing surfaces (its own shade, centimetres away, would be
  a tiny, very bright secondary light that only fireflies could find).
- Glass and window portals are crossed straight, the glass tinted once (where the path enters a
  pane), its faint reflection left out as raycast does; the path keeps its last real vertex for
  multiple importance sampling, as that vertex's shadow rays already looked through the glass.
- The sky: after the camera or a specular bounce, rays that leave the scene see the sky as the
  preset paints it (``sky_view``); after a diffuse or glossy bounce the scene's own emitters light
  it (the sky scaled as light, or window portals and the sun in a room).
- Per-sample luminance clamps: direct light at ``clamp``, indirect light lower.

It also writes the albedo and shading normal of the first non-specular surface on each path,
the guides the denoiser needs.
"""

import functools
from dataclasses import dataclass, field

from agentvision.conventions import REC709_LUMA

MAX_CROSSINGS = 8  # glass faces and portals a path may cross on top of its bounces
AOV_NAMES = ["albedo.R", "albedo.G", "albedo.B", "normal.X", "normal.Y", "normal.Z"]


@functools.cache
def integrator_class(mi):
    """The integrator class for ``mi`` (Mitsuba with its variant set)."""
    import drjit as dr

    @dataclass
    class PathState:
        """What one path carries from vertex to vertex (a Dr.Jit loop state)."""

        ray: mi.Ray3f
        active: mi.Bool
        prev_si: mi.SurfaceInteraction3f  # the last real (not null) vertex, for MIS
        direct: mi.Spectrum = field(default_factory=lambda: mi.Spectrum(0.0))
        indirect: mi.Spectrum = field(default_factory=lambda: mi.Spectrum(0.0))
        beta: mi.Spectrum = field(default_factory=lambda: mi.Spectrum(1.0))  # path throughput
        depth: mi.UInt32 = field(default_factory=lambda: mi.UInt32(0))  # vertices so far
        bounces: mi.UInt32 = field(default_factory=lambda: mi.UInt32(0))  # real ones (glass crossings not)
        valid: mi.Bool = field(default_factory=lambda: mi.Bool(False))
        prev_pdf: mi.Float = field(default_factory=lambda: mi.Float(1.0))
        prev_delta: mi.Bool = field(default_factory=lambda: mi.Bool(True))
        albedo: mi.Spectrum = field(default_factory=lambda: mi.Spectrum(0.0))
        normal: mi.Vector3f = field(default_factory=lambda: mi.Vector3f(0.0))
        aux: mi.Bool = field(default_factory=lambda: mi.Bool(True))  # guides not yet written

    def clamp_luminance(c, limit):
        lum = dr.dot(mi.Color3f(c), mi.Color3f(REC709_LUMA))
        return c * dr.select(lum > limit, limit / lum, 1.0)

    def mis_weight(a, b):
        a2, b2 = a * a, b * b
        w = a2 / (a2 + b2)
        return dr.select(dr.isfinite(w), w, 0.0)

    class ScenePathIntegrator(mi.SamplingIntegrator):
        """Path tracer; see the module docstring. Configure with :meth:`setup` before rendering."""

        def __init__(self, props=None):
            super().__init__(props if props is not None else mi.Properties())
            self.max_depth, self.rr_depth, self.clamp, self.indirect_clamp = 6, 3, 64.0, 4.0
            self.shadow = self.lamp_shadow = self.sky_view = None
            self.glass = (1.0, 1.0, 1.0)
            self.translucency = 0.5

        def setup(self, built, translucency: float, max_depth: int, clamp: float, indirect: float):
            """The scenes of a :class:`~agentvision.render.mitsuba_scene.MitsubaScene` (shadow
            scenes, glass transmittance, the sky seen through window portals), the lamp objects'
            translucency, path length and the per-sample luminance clamps of direct and indirect light."""
            self.shadow, self.lamp_shadow, self.sky_view = built.shadow, built.lamp_shadow, built.sky_view
            self.glass, self.translucency = tuple(built.glass), float(translucency)
            self.max_depth, self.clamp, self.indirect_clamp = int(max_depth), float(clamp), float(indirect)
            return self

        def aov_names(self):
            return AOV_NAMES

        def sample(self, scene, sampler, ray, medium=None, active=True):
            ctx = mi.BSDFContext()
            glass = mi.Spectrum(self.glass)
            translucent = mi.Spectrum(self.translucency)
            shadow, lamp_shadow, max_depth, rr_depth = self.shadow, self.lamp_shadow, self.max_depth, self.rr_depth
            sky_view = self.sky_view

            def body(p: PathState) -> tuple[PathState]:
                si = scene.ray_intersect(p.ray, mi.RayFlags.All, coherent=p.depth == 0, active=p.active)
                hit = si.is_valid()
                p.valid |= p.active & (p.depth == 0) & hit
                bsdf = si.bsdf(p.ray)

                # Light reached by this ray (area emitter or sky), weighted against NEE. Direct
                # light is what the first surface's NEE and BSDF samples reach; the rest is indirect.
                ds = mi.DirectionSample3f(scene, si=si, ref=p.prev_si)
                em_pdf = scene.pdf_emitter_direction(p.prev_si, ds, p.active & ~p.prev_delta)
                emitted = ds.emitter.eval(si, p.active)
                if sky_view is not None:
                    # After the camera or a specular bounce the sky is seen as it looks; after a
                    # diffuse or glossy bounce it is light (scaled, or window portals in a room).
                    seen = p.active & ~hit & p.prev_delta
                    emitted = dr.select(seen, sky_view.eval(si, seen), emitted)
                    flags = bsdf.flags()
                    portal = hit & si.shape.is_emitter() & mi.has_flag(flags, mi.BSDFFlags.Null)
                    portal &= ~mi.has_flag(flags, mi.BSDFFlags.Smooth)
                    emitted = dr.select(portal & p.prev_delta, 0.0, emitted)
                le = p.beta * mis_weight(p.prev_pdf, em_pdf) * emitted
                p.direct += dr.select(p.bounces <= 1, le, 0.0)
                p.indirect += dr.select(p.bounces <= 1, 0.0, le)

                # Denoiser guides: the first non-specular surface (or the sky) on the path.
                smooth = mi.has_flag(bsdf.flags(), mi.BSDFFlags.Smooth)
                first = p.aux & p.active & ((hit & smooth) | ~hit)
                p.albedo = dr.select(first & hit, bsdf.eval_diffuse_reflectance(si, first & hit), p.albedo)
                p.albedo = dr.select(first & ~hit, dr.clip(emitted, 0.0, 1.0), p.albedo)
                p.normal = dr.select(first & hit, si.sh_frame.n, p.normal)
                p.aux &= ~first

                # Path length counts real bounces; crossing glass or a portal is free (up to a cap).
                active_next = p.active & hit & (p.bounces + 1 < max_depth) & (p.depth < max_depth + MAX_CROSSINGS)

                # Next-event estimation with raycast's shadow rules; bulbs do not light glowing surfaces.
                active_em = active_next & smooth
                ds, em_weight = scene.sample_emitter_direction(si, sampler.next_2d(active_em), False, active_em)
                bulb = mi.has_flag(ds.emitter.flags(), mi.EmitterFlags.DeltaPosition)
                active_em &= (ds.pdf != 0.0) & ~(bulb & si.shape.is_emitter())
                shadow_ray = si.spawn_ray_to(ds.p)
                blocked = scene.ray_test(shadow_ray, active_em)
                clear_lamp = ~lamp_shadow.ray_test(shadow_ray, active_em & blocked & bulb)
                clear_glass = ~shadow.ray_test(shadow_ray, active_em & blocked & ~bulb)
                through = dr.select(bulb, dr.select(clear_lamp, translucent, 0.0), dr.select(clear_glass, glass, 0.0))
                visibility = dr.select(blocked, through, 1.0)
                bsdf_val, bsdf_pdf = bsdf.eval_pdf(ctx, si, si.to_local(ds.d), active_em)
                mis_em = dr.select(ds.delta, 1.0, mis_weight(ds.pdf, bsdf_pdf))
                ld = dr.select(active_em, p.beta * mis_em * bsdf_val * em_weight * visibility, 0.0)
                p.direct += dr.select(p.bounces == 0, ld, 0.0)
                p.indirect += dr.select(p.bounces == 0, 0.0, ld)

                # Continue by sampling the BSDF. Glass and window portals are crossed straight
                # (glass tinted, its faint reflection left out as raycast does: no noise in
                # windows), keeping the last real vertex, whose shadow rays already looked through.
                crossing = hit & mi.has_flag(bsdf.flags(), mi.BSDFFlags.Null)
                u1, u2 = sampler.next_1d(active_next), sampler.next_2d(active_next)
                bs, bsdf_weight = bsdf.sample(ctx, si, u1, u2, active_next & ~crossing)
                null = crossing | mi.has_flag(bs.sampled_type, mi.BSDFFlags.Null)
                p.ray = si.spawn_ray(dr.select(crossing, p.ray.d, si.to_world(bs.wo)))
                # A pane is tinted once, where the path enters it (a closed pane has two faces).
                entering = ~si.shape.is_emitter() & (mi.Frame3f.cos_theta(si.wi) > 0)
                p.beta *= dr.select(crossing, dr.select(entering, glass, 1.0), bsdf_weight)
                p.prev_si = dr.select(null, p.prev_si, si)
                p.prev_pdf = dr.select(null, p.prev_pdf, bs.pdf)
                p.prev_delta = dr.select(null, p.prev_delta, mi.has_flag(bs.sampled_type, mi.BSDFFlags.Delta))
                p.bounces = dr.select(null, p.bounces, p.bounces + 1)
                p.depth += 1

                # Russian roulette.
                q = dr.minimum(dr.max(p.beta), 0.95)
                roulette = (p.bounces >= rr_depth) & ~null
                survive = sampler.next_1d(active_next) < q
                p.beta = dr.select(roulette, p.beta * dr.rcp(q), p.beta)
                p.active = active_next & (~roulette | survive) & (dr.max(p.beta) != 0.0)
                return (p,)

            start = PathState(
                ray=mi.Ray3f(ray),
                active=mi.Bool(active),
                prev_si=dr.zeros(mi.SurfaceInteraction3f),
            )
            (p,) = dr.while_loop((start,), lambda p: p.active, body, label="agentvision path")
            # Clamp rare, very bright samples: direct light (the sun through a specular chain) at
            # ``clamp``, indirect light lower (bright bounces at few samples are fireflies).
            radiance = clamp_luminance(p.direct, self.clamp) + clamp_luminance(p.indirect, self.indirect_clamp)
            return radiance, p.valid, [p.albedo[0], p.albedo[1], p.albedo[2], p.normal[0], p.normal[1], p.normal[2]]

    return ScenePathIntegrator
