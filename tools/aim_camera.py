"""aim_camera: turn a camera, from where it stands, so its subjects sit where the frame wants them."""

from smolagents import Tool


class AimCameraTool(Tool):
    name = "aim_camera"
    description = (
        "Turns a camera (same position, lens and aspect) so the visible pixels of the named subjects centre on a "
        "placement of the frame: center, left_third, right_third, upper_third or lower_third (the centre as "
        "check_camera and the Reviewer measure it: the mean of the subjects' visible pixels). Returns the aimed "
        "camera as JSON (json.loads it and use it as a camera), with a 'note' saying where the subjects' centre "
        "now sits as (x, y) fractions from the top-left corner. It changes only look_at: move or zoom first, "
        "then aim."
    )
    inputs = {
        "camera": {"type": "string", "description": "camera JSON (position, look_at, focal_mm, aspect...)"},
        "subjects": {"type": "string", "description": "comma-separated object names or labels to place"},
        "placement": {
            "type": "string",
            "description": "center, left_third, right_third, upper_third or lower_third (empty: center)",
            "nullable": True,
        },
        "scene": {
            "type": "string",
            "description": "library scene name or scene file (empty: the current scene)",
            "nullable": True,
        },
    }
    output_type = "string"
    probe_width = 160  # pixels of the id renders that measure where the subjects sit
    iterations = 6

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, camera: str, subjects: str, placement: str | None = None, scene: str | None = None) -> str:
        import json

        import numpy as np

        from agentvision.camera import Camera
        from agentvision.photoflow.builtin.framing import aim, turn
        from agentvision.scene.queries import pieces
        from agentvision.toolcontext import ToolInputError, camera_json, scene_items
        from agentvision.vision.composition import MEASURED, PLACEMENT_POINT

        lit = self.context.get_scene(scene)
        where = (placement or "center").strip().lower()
        if where not in MEASURED:
            raise ToolInputError(f"placement {placement!r} is not one of {', '.join(MEASURED)}")
        names = [s.strip() for s in (subjects or "").split(",") if s.strip()]
        if not names:
            raise ToolInputError("name the subjects to place, e.g. subjects='sofa'")
        own = [lit.index(p) for token in names for n in scene_items(lit, token) for p in pieces(lit, n)]
        cam = Camera.parse(camera)
        target = np.array(PLACEMENT_POINT[where])
        box = np.array([lit.objects[i].bounds for i in own])
        cam = aim(cam, (box[:, 0].min(axis=0) + box[:, 1].max(axis=0)) / 2, tuple(target))

        c = self._centre(lit, cam, own)
        for _ in range(self.iterations):
            if c is None:
                break
            du, dv = (np.asarray(c) - target) * [cam.width, cam.height]
            if abs(du) < 0.5 and abs(dv) < 0.5:
                break
            cam = turn(cam, du, dv)
            c = self._centre(lit, cam, own)  # the note reports the camera returned, measured after its last turn
        out = json.loads(camera_json(cam))
        if "width" not in json.loads(camera):  # the camera comes back with the keys it was given, and a note
            out.pop("width", None)
        who = ", ".join(names)
        if c is None:
            out["note"] = f"{who} not visible from here: move the camera"
        elif np.abs(np.asarray(c) - target).max() > 0.03:
            out["note"] = (
                f"{who} at ({c[0]:.2f}, {c[1]:.2f}), not at {where}: from here the frame cannot hold them there "
                "(too large or too near: step back or widen the lens, then aim again)"
            )
        else:
            out["note"] = f"{who} centred at ({c[0]:.2f}, {c[1]:.2f}) for {where}"
        return json.dumps(out)

    def _centre(self, scene, camera, own: list[int]):
        """Where the objects ``own`` sit in ``camera``'s frame: their visible pixels' centroid, or None."""
        import numpy as np

        from agentvision.scene.visibility import object_ids
        from agentvision.vision import centroid

        probe = camera.with_width(min(camera.width, self.probe_width))
        return centroid(np.isin(object_ids(scene, probe), own))
