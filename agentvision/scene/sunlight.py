"""Where the sun falls in a view: the share of a frame whose surfaces the sun lights directly.

Inside a room, what says "morning" or "afternoon" in a photograph is the sunlight on the floor and walls
(patches thrown through a window or a skylight), not the sky. One ray per pixel finds the surface seen;
a shadow ray toward the sun (glass lets it through, as in every engine) says whether the sun reaches it.
"""

from __future__ import annotations

import numpy as np

from agentvision.camera import Camera
from agentvision.scene.model import Scene
from agentvision.scene.rays import scene_rays

FACING = 0.05  # a surface lit this obliquely or less (cosine to the sun) shows no sunlight
LIFT = 1e-3  # metres: shadow rays start this far off the surface, towards the camera


def sunlit_share(scene: Scene, camera: Camera) -> float:
    """The share of ``camera``'s pixels (at its own width: pass a small one) that see an opaque surface the
    sun lights directly; 0.0 when the scene is unlit or the sun is down."""
    lighting = scene.lighting
    if lighting is None or not lighting.sun.shines:
        return 0.0
    sun = np.asarray(lighting.sun.direction, float)
    dirs = camera.ray_directions().reshape(-1, 3)
    origins = np.broadcast_to(np.asarray(camera.position, float), dirs.shape)
    rays = scene_rays(scene)
    hits = rays.all.cast(origins.copy(), dirs)
    glass = np.array([o.material.glass for o in scene.objects] + [True])
    surface = np.isfinite(hits.t) & ~glass[hits.ids]
    if not surface.any():
        return 0.0
    normals = hits.normals[surface].astype(float)
    normals *= np.where(np.sum(normals * dirs[surface], axis=1) > 0, -1.0, 1.0)[:, None]  # towards the camera
    facing = normals @ sun > FACING
    points = origins[surface] + dirs[surface] * hits.t[surface, None] + LIFT * normals
    lit = np.zeros(len(points), bool)
    if facing.any():
        toward = np.broadcast_to(sun, (int(facing.sum()), 3)).copy()
        lit[facing] = ~rays.shadow.occluded(points[facing], toward, np.inf)
    return float(lit.sum()) / len(dirs)
