"""check_camera: is a camera usable, and what does it see? Geometric facts, no rendering of colours."""

from __future__ import annotations

import json

import numpy as np

from agentvision.camera import Camera, CameraError, angle_of, lens_class
from agentvision.scene.queries import ground_height_below, inside_object, label_groups
from agentvision.scene.standpoint import CLEARANCE, standpoint
from agentvision.scene.visibility import object_ids, object_view
from agentvision.toolcontext import ContextTool, ToolInputError, frame_shares
from agentvision.vision.composition import placement_of

CHECK_WIDTH = 320  # pixels of the id map used for frame shares


def _round(v, nd=3):
    return None if v is None else round(float(v), nd)


class CheckCameraTool(ContextTool):
    name = "check_camera"
    description = (
        "Checks a camera against the scene's geometry before you render it. Returns a JSON string: "
        "'valid' (false when the camera JSON is malformed, the camera is inside an object or closer than "
        "0.1 m to a surface, nothing is in frame, or a subject is not visible), 'errors' and 'warnings' to act on, "
        "where the camera stands (inside which object, clearance to the nearest surface, height above the ground "
        "below), the view (pitch, angle class, lens class, field of view), the share of the frame each visible "
        "object covers, and for each subject: visible / in-frame / occluded fractions of its surface, whether it "
        "is cut off by the frame, its centroid and placement (thirds), what hides it, and the subjects' combined "
        "frame coverage."
    )
    inputs = {
        "camera": {"type": "string", "description": "camera JSON (position, look_at, roll_deg, focal_mm, aspect...)"},
        "scene": {
            "type": "string",
            "description": "library scene name or scene file (empty: the current scene)",
            "nullable": True,
        },
        "subjects": {
            "type": "string",
            "description": "comma-separated object names or labels that should be in the photo (empty: none)",
            "nullable": True,
        },
    }
    output_type = "string"

    def forward(self, camera: str, scene: str | None = None, subjects: str | None = None) -> str:
        lit = self.context.get_scene(scene)
        try:
            cam = Camera.parse(camera)
        except CameraError as exc:
            return json.dumps({"valid": False, "errors": [str(exc)], "warnings": []})
        report = check(lit, cam, [s.strip() for s in (subjects or "").split(",") if s.strip()])
        return json.dumps(report)


def _items(scene, token: str) -> list[str]:
    if token in scene.names:
        return [token]
    groups = label_groups(scene)
    items = [o.name for i, o in enumerate(scene.objects) if o.label == token and groups[i] == i]
    if not items:
        raise ToolInputError(
            f"no object or label {token!r} in {scene.name}; objects: {', '.join(scene.names)} "
            "(scene_objects lists them with positions)"
        )
    return items


def check(scene, cam: Camera, subjects: list[str]) -> dict:
    """The check_camera report for a parsed camera."""
    errors: list[str] = []
    warnings: list[str] = []
    pos = cam.position
    verdict = standpoint(scene, pos)  # the one verdict every caller uses: a camera valid here is valid later
    inside = inside_object(scene, pos)
    near, clear = verdict.nearest, verdict.clearance
    ground = ground_height_below(scene, pos)
    if not verdict.valid:
        errors.append(verdict.reason)
    elif clear < CLEARANCE:
        warnings.append(f"the camera is {clear:.2f} m from {near} (PhotoFlow keeps {CLEARANCE} m)")
    if ground is None and not scene.interior:
        warnings.append("nothing is below the camera: it is outside the scene's floor or ground")
    small = cam.with_width(CHECK_WIDTH)
    ids = object_ids(scene, small)
    shares = frame_shares(ids, scene)
    if not shares:
        errors.append("nothing is in frame: aim look_at at an object (scene_objects gives their centres)")
    if abs(cam.roll_deg) > 0.5:
        warnings.append(f"roll {cam.roll_deg:g} deg tilts the horizon; use 0 unless a tilt is wanted")
    subject_report: dict[str, dict] = {}
    subject_ids: list[int] = []
    for token in subjects:
        try:
            items = _items(scene, token)
        except ToolInputError as exc:
            errors.append(str(exc))
            continue
        for name in items:
            v = object_view(scene, cam, name)
            subject_ids += [scene.index(n) for n in v.pieces]
            subject_report[name] = {
                "visible": _round(v.visible),
                "in_frame": _round(v.in_frame),
                "occluded": _round(v.occluded),
                "cut_off": v.cut_off,
                "centroid": None if v.centroid is None else [_round(c) for c in v.centroid],
                "placement": None if v.centroid is None else placement_of(v.centroid),
                "distance_m": _round(v.distance, 2),
                "occluders": {k: _round(f) for k, f in list(v.occluders.items())[:5]},
            }
            if v.behind_camera:
                errors.append(f"{name} is behind the camera")
            elif v.visible == 0:
                errors.append(f"{name} is not visible (in frame {v.in_frame:.0%}, occluded {v.occluded:.0%})")
            else:
                if v.occluded > 0.5 * max(v.in_frame, 1e-9):
                    hider = next(iter(v.occluders), "something")
                    warnings.append(f"{name} is mostly hidden (by {hider})")
                if v.cut_off:
                    warnings.append(f"{name} is cut off by the frame edge")
    covered = float(np.isin(ids, subject_ids).mean()) if subject_ids else None
    return {
        "valid": not errors,
        "errors": errors,
        "warnings": warnings,
        "camera": cam.to_dict(),
        "position": {
            "inside_object": inside,
            "clearance_m": _round(clear),
            "nearest_object": near,
            "height_above_ground_m": None if ground is None else _round(pos[2] - ground, 2),
        },
        "view": {
            "pitch_deg": _round(cam.pitch_deg, 1),
            "angle": angle_of(cam.pitch_deg, None if ground is None else pos[2] - ground),
            "lens": lens_class(cam.focal_mm),
            "fov_deg": [_round(f, 1) for f in cam.fov_deg],
            "aspect": cam.aspect,
            "orientation": cam.orientation,
        },
        "in_frame": {k: _round(v) for k, v in list(shares.items())[:15]},
        "subjects": subject_report,
        "subject_coverage": _round(covered),
    }
