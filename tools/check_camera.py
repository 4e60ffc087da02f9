"""check_camera: is a camera usable, and what does it see? Geometric facts, no rendering of colours."""

from smolagents import Tool


class CheckCameraTool(Tool):
    name = "check_camera"
    description = (
        "Checks a camera against the scene's geometry before you render it. Returns a few lines of text: "
        "'valid: yes', or 'valid: NO' with what to change (malformed camera JSON, the camera inside an object or "
        "closer than 0.1 m to a surface or outside the room, nothing in frame, a subject not visible); where the "
        "camera stands (clearance to the nearest surface, height above the floor below it, or above the floor "
        "when over a seat); the view (pitch and "
        "angle class, lens class, field of view, aspect); one line per subject with each value beside its "
        "threshold (share of its surface seen, share inside the frame, what hides it, the frame edges that cut it, "
        "its centre in the frame as (x, y) fractions from the top-left corner, the share of the frame it spans); "
        "one line per context object (warnings only, never invalid); the objects in frame by share of pixels; the "
        "other things the frame's edges cut; warnings. detail='full' returns every number as JSON instead."
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
            "description": "comma-separated object names or labels that must be in the photo (empty: none)",
            "nullable": True,
        },
        "context": {
            "type": "string",
            "description": "comma-separated objects that should show too, beside or behind the subject: reported "
            "as warnings, never making the camera invalid (empty: none)",
            "nullable": True,
        },
        "detail": {
            "type": "string",
            "description": "'full' for the whole report as JSON; empty for the short text",
            "nullable": True,
        },
    }
    output_type = "string"
    check_width = 320  # pixels of the id map used for frame shares

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(
        self,
        camera: str,
        scene: str | None = None,
        subjects: str | None = None,
        context: str | None = None,
        detail: str | None = None,
    ) -> str:
        import json

        from agentvision.camera import Camera, CameraError

        lit = self.context.get_scene(scene)
        full = (detail or "").strip().lower() == "full"
        try:
            cam = Camera.parse(camera)
        except CameraError as exc:
            report = {"valid": False, "errors": [str(exc)], "warnings": []}
        else:
            subject_names = [s.strip() for s in (subjects or "").split(",") if s.strip()]
            context_names = [s.strip() for s in (context or "").split(",") if s.strip()]
            report = self.check(lit, cam, subject_names, context_names)
        return json.dumps(report) if full else self.summary(report)

    def check(self, scene, cam, subjects: list[str], context: list[str] = ()) -> dict:
        """The check_camera report for a parsed camera."""
        import numpy as np

        from agentvision.camera import angle_of, lens_class
        from agentvision.photoflow.builtin.review_facts import cut_by_edges, cut_edges, frame_span
        from agentvision.photoflow.builtin.viewpoints import eye_height
        from agentvision.scene.queries import ground_height_below, inside_object
        from agentvision.scene.standpoint import CLEARANCE, standpoint
        from agentvision.scene.visibility import object_ids, object_view
        from agentvision.toolcontext import ToolInputError, frame_shares, scene_items
        from agentvision.vision import centroid, cut_off, placement_of

        errors: list[str] = []
        warnings: list[str] = []
        pos = cam.position
        verdict = standpoint(scene, pos)  # the one verdict every caller uses: a camera valid here is valid later
        inside = inside_object(scene, pos)
        near, clear = verdict.nearest, verdict.clearance
        ground = ground_height_below(scene, pos)
        # above a seat the photographer sits: the height (and the angle class) counts from the floor
        height = eye_height(scene, pos, scene.floor_z if scene.floor_z is not None else (ground or 0.0))
        if not verdict.valid:
            errors.append(verdict.reason)
        elif round(clear, 2) < CLEARANCE:
            warnings.append(f"the camera is {clear:.2f} m from {near}: keep {CLEARANCE} m where you can")
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
        context_report: dict[str, dict] = {}
        subject_ids: list[int] = []
        context_ids: list[int] = []
        for role, tokens in (("subject", subjects), ("context", context)):
            for token in tokens:
                try:
                    items = scene_items(scene, token)
                except ToolInputError as exc:
                    (errors if role == "subject" else warnings).append(str(exc))
                    continue
                for name in items:
                    v = object_view(scene, cam, name)
                    if role == "context":
                        context_ids += [scene.index(n) for n in v.pieces]
                        context_report[name] = {"visible": self._round(v.visible), "in_frame": self._round(v.in_frame)}
                        if v.visible == 0:
                            warnings.append(f"context {name} is not visible")
                        elif v.in_frame < 0.95:
                            warnings.append(f"context {name} is cut by the frame ({v.in_frame:.0%} inside)")
                        continue
                    own = [scene.index(n) for n in v.pieces]
                    subject_ids += own
                    mask = np.isin(ids, own)
                    c = centroid(mask)  # the Reviewer's centroid: the subject's pixels (vision.CENTROID_CONVENTION)
                    subject_report[name] = {
                        "visible": self._round(v.visible),
                        "in_frame": self._round(v.in_frame),
                        "occluded": self._round(v.occluded),
                        "cut_off": v.cut_off,
                        "cut_off_edges": cut_edges(cut_off(mask), [v], cam),
                        "centroid": None if c is None else [self._round(x) for x in c],
                        "placement": None if c is None else placement_of(c),
                        "span": self._round(frame_span(mask)),
                        "distance_m": self._round(v.distance, 2),
                        "occluders": {k: self._round(f) for k, f in list(v.occluders.items())[:5]},
                    }
                    if v.behind_camera:
                        errors.append(f"{name} is behind the camera")
                    elif v.visible == 0:
                        errors.append(f"{name} is not visible (in frame {v.in_frame:.0%}, occluded {v.occluded:.0%})")
                    elif v.occluded > 0.5 * max(v.in_frame, 1e-9):
                        warnings.append(f"{name} is mostly hidden (by {next(iter(v.occluders), 'something')})")
        covered = float(np.isin(ids, subject_ids).mean()) if subject_ids else None
        edge_cut = cut_by_edges(scene, cam, ids, np.isin(ids, subject_ids + context_ids))
        return {
            "valid": not errors,
            "errors": errors,
            "warnings": warnings,
            "camera": cam.to_dict(),
            "position": {
                "inside_object": inside,
                "clearance_m": self._round(clear),
                "nearest_object": near,
                "height_above_ground_m": None if height is None else self._round(height, 2),
            },
            "view": {
                "pitch_deg": self._round(cam.pitch_deg, 1),
                "angle": angle_of(cam.pitch_deg, height),
                "lens": lens_class(cam.focal_mm),
                "fov_deg": [self._round(f, 1) for f in cam.fov_deg],
                "aspect": cam.aspect,
                "orientation": cam.orientation,
            },
            "in_frame": {k: self._round(v) for k, v in list(shares.items())[:15]},
            "subjects": subject_report,
            "context": context_report,
            "subject_coverage": self._round(covered),
            "edge_cut": edge_cut,
        }

    @staticmethod
    def summary(report: dict) -> str:
        """The report as a few lines of text, each value beside its threshold."""
        from agentvision.photoflow.builtin.review_facts import CONTEXT_VISIBLE, edge_words
        from agentvision.photoflow.builtin.reviewer import MIN_VISIBLE
        from agentvision.scene.standpoint import CLEARANCE, MIN_CLEARANCE

        lines = ["valid: yes" if report["valid"] else "valid: NO: " + "; ".join(report["errors"])]
        if "camera" not in report:
            return lines[0]
        p, v, cam = report["position"], report["view"], report["camera"]
        height = p["height_above_ground_m"]
        lines.append(
            f"camera at {[round(x, 2) for x in cam['position']]}: {p['clearance_m']:.2f} m from "
            f"{p['nearest_object']} (invalid below {MIN_CLEARANCE:.2f} m; keep {CLEARANCE:.2f} m where you can)"
            + ("" if height is None else f", {height:.2f} m above the floor below it")
            + f"; pitch {v['pitch_deg']:+.1f} deg = {v['angle']}; {cam['focal_mm']:g} mm = {v['lens']} lens; "
            f"field of view {v['fov_deg'][0]:.0f} x {v['fov_deg'][1]:.0f} deg; {v['aspect']} {v['orientation']}"
        )
        for name, s in report["subjects"].items():
            line = (
                f"subject {name}: seen {s['visible']:.2f} of its surface (needs >= {MIN_VISIBLE:.2f}) "
                f"{'ok' if s['visible'] >= MIN_VISIBLE else 'TOO LITTLE'}; inside the frame {s['in_frame']:.2f}; "
                f"hidden {s['occluded']:.2f}" + (f" (by {', '.join(s['occluders'])})" if s["occluders"] else "")
            )
            cut = "/".join(s["cut_off_edges"])
            line += (
                f"; cut at the {cut} (a cut subject fails review, except in a close-up)" if cut else "; whole in frame"
            )
            if s["centroid"] is not None:
                line += f"; centre ({s['centroid'][0]:.2f}, {s['centroid'][1]:.2f}) = {s['placement']}"
            lines.append(line + f"; spans {s['span']:.2f} of the frame; {s['distance_m']:.1f} m away")
        for name, c in report.get("context", {}).items():
            lines.append(
                f"context {name}: seen {c['visible']:.2f} of its surface "
                f"({'in the picture' if c['visible'] >= CONTEXT_VISIBLE else 'barely in the picture'}: it counts as "
                f"in the picture from {CONTEXT_VISIBLE:.2f} seen); inside the frame {c['in_frame']:.2f}"
            )
        shown = []
        for item in list(report["in_frame"].items())[:8]:
            shown.append(f"{item[0]} {item[1]:.0%}")
        shares = ", ".join(shown)
        lines.append(f"in frame (share of pixels): {shares or 'nothing'}")
        cut = []
        for item in report.get("edge_cut", {}).items():
            edge, outside = item[1]
            cut.append(f"{item[0]} ({edge_words(edge, outside)})")
        if cut:
            lines.append("other things cut by the frame's edges: " + ", ".join(cut))
        if report["warnings"]:
            lines.append("warnings: " + "; ".join(report["warnings"]))
        return "\n".join(lines)

    @staticmethod
    def _round(v, nd=3):
        """A float rounded for reading (None stays None)."""
        return None if v is None else round(float(v), nd)
