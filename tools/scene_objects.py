"""scene_objects: the objects of a scene with where they are and how big, as JSON."""

from smolagents import Tool


class SceneObjectsTool(Tool):
    name = "scene_objects"
    description = (
        "Lists the scene's objects with where they are and how big. Returns a JSON string: for each object "
        "its name, label, centre [x, y, z] and size "
        "[dx, dy, dz] in metres (Z up, +X east, +Y north), the item it is a piece of (sofa_legs -> sofa), and "
        "whether it is a lamp; plus the scene's bounds, floor height, whether it is a closed interior, and its "
        "lighting. Use it to find where to put a camera and what to aim at."
    )
    inputs = {
        "scene": {
            "type": "string",
            "description": "library scene name or scene file (empty: the current scene)",
            "nullable": True,
        },
        "query": {
            "type": "string",
            "description": "only objects whose name or label contains this text (empty: all)",
            "nullable": True,
        },
    }
    output_type = "string"

    def __init__(self, context=None):
        from agentvision.toolcontext import ToolContext

        super().__init__()
        self.context = context if context is not None else ToolContext()

    def forward(self, scene: str | None = None, query: str | None = None) -> str:
        import json

        from agentvision.scene.queries import label_groups

        lit = self.context.get_scene(scene)
        groups = label_groups(lit)
        q = (query or "").strip().lower()
        objects = []
        for i, obj in enumerate(lit.objects):
            if q and q not in obj.name and q not in obj.label.lower():
                continue
            lo, hi = obj.bounds
            entry = {"name": obj.name, "label": obj.label, "centre": self._r((lo + hi) / 2), "size": self._r(hi - lo)}
            if groups[i] != i:
                entry["piece_of"] = lit.objects[groups[i]].name
            if obj.name in lit.lamp_objects:
                entry["lamp"] = True
            objects.append(entry)
        lo, hi = lit.bounds
        info = {
            "scene": lit.source or lit.name,
            "description": lit.description,
            "interior": lit.interior,
            "floor_z": None if lit.floor_z is None else float(lit.floor_z),
            "bounds": {"min": self._r(lo), "max": self._r(hi)},
            "time_of_day": lit.lighting.preset if lit.lighting else None,
            "objects": objects,
        }
        if q and not objects:
            info["note"] = f"no object name or label contains {q!r}; names: {', '.join(lit.names)}"
        return json.dumps(info, default=str)

    @staticmethod
    def _r(values) -> list[float]:
        """Metres to the centimetre."""
        return [round(float(v), 2) for v in values]
