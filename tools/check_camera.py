"""check_camera: is a camera usable, and what does it see? Geometric facts, no rendering of colours."""

from smolagents import Tool


class CheckCameraTool(Tool):
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
    check_width = 320  # pixels of the id map used for frame shares

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, camera: str, scene: str | None = None, subjects: str | None = None) -> str:
        import json

        from agentvision.camera import Camera, CameraError

        lit = self.context.get_scene(scene)
        try:
            cam = Camera.parse(camera)
        except CameraError as exc:
            return json.dumps({"valid": False, "errors": [str(exc)], "warnings": []})
        report = self.check(lit, cam, [s.strip() for s in (subjects or "").split(",") if s.strip()])
        return json.dumps(report)

    def check(self, scene, cam, subjects: list[str]) -> dict:
        """The check_camera report for a parsed camera."""
        import numpy as np

        from agentvision.camera import angle_of, lens_class
        from agentvision.scene.queries import ground_height_below, inside_object
        from agentvision.scene.standpoint import CLEARANCE, standpoint
        from agentvision.scene.visibility import object_ids, object_view
        from agentvision.toolcontext import ToolInputError, frame_shares
        from agentvision.vision.composition import placement_of

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
        small = cam.with_width(self.check_width)
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
                items = self._items(scene, token)
            except ToolInputError as exc:
                errors.append(str(exc))
                continue
            for name in items:
                v = object_view(scene, cam, name)
                subject_ids += [scene.index(n) for n in v.pieces]
                subject_report[name] = {
                    "visible": self._round(v.visible),
                    "in_frame": self._round(v.in_frame),
                    "occluded": self._round(v.occluded),
                    "cut_off": v.cut_off,
                    "centroid": None if v.centroid is None else [self._round(c) for c in v.centroid],
                    "placement": None if v.centroid is None else placement_of(v.centroid),
                    "distance_m": self._round(v.distance, 2),
                    "occluders": {k: self._round(f) for k, f in list(v.occluders.items())[:5]},
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
                "clearance_m": self._round(clear),
                "nearest_object": near,
                "height_above_ground_m": None if ground is None else self._round(pos[2] - ground, 2),
            },
            "view": {
                "pitch_deg": self._round(cam.pitch_deg, 1),
                "angle": angle_of(cam.pitch_deg, None if ground is None else pos[2] - ground),
                "lens": lens_class(cam.focal_mm),
                "fov_deg": [self._round(f, 1) for f in cam.fov_deg],
                "aspect": cam.aspect,
                "orientation": cam.orientation,
            },
            "in_frame": {k: self._round(v) for k, v in list(shares.items())[:15]},
            "subjects": subject_report,
            "subject_coverage": self._round(covered),
        }

    def _items(self, scene, token: str) -> list[str]:
        """The items ``token`` names: an object, or every item with that label."""
        from agentvision.scene.queries import label_groups
        from agentvision.toolcontext import ToolInputError

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

    @staticmethod
    def _round(v, nd=3):
        """A float rounded for reading (None stays None)."""
        return None if v is None else round(float(v), nd)
