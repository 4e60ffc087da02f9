"""The Blueprint: a soft photographic plan the Director derives from an intent and a scene."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from agentvision.vision.composition import PLACEMENT_POINT

SHOT_SIZES = ("close_up", "medium", "wide", "establishing")
ANGLES = ("low", "eye_level", "high", "top_down")
PLACEMENTS = tuple(PLACEMENT_POINT)  # the blueprint may also ask for "leading" (a power point)
LENS_CLASSES = ("wide", "normal", "tele")
DEPTHS = ("shallow", "normal", "deep")
# Where around the subject the camera may stand: its front (straight on), behind it, to its side, on the far
# side of the space ("from across the room"), in a corner of the room.
VANTAGES = ("front", "three_quarter", "raking", "back", "side", "across", "corner")
# Which part of the viewpoint (or, with no viewpoint object, of the subject's space) the camera stands in: a
# flight's foot or top, a compass side, the middle ("from the foot of the stairs", "near the south side of the
# courtyard", "from the middle of the room", "in the south-east corner").
VIEWPOINT_PARTS = (
    "bottom",
    "top",
    "north",
    "south",
    "east",
    "west",
    "middle",
    "north_east",
    "north_west",
    "south_east",
    "south_west",
    "under",  # beneath it, on the ground: "stand under the big tree"
)
# The part of the subject a close-up frames when the intent names it by place ("close up of the top of the curtain
# where it hangs off the rod"): its upper or lower share (SearchState.start).
SUBJECT_PARTS = ("top", "bottom")
MIN_HEIGHT, MAX_HEIGHT = 0.05, 50.0  # metres: a camera height an intent may give
MIN_DISTANCE, MAX_DISTANCE = 0.3, 500.0  # metres: a camera's distance from the subject an intent may give
WORMS_EYE = 60.0  # degrees up: a pitch this steep is a worm's-eye view, which may cut the subject at the edge
MAX_PITCH = 89.0  # degrees up or down: a camera pitch an intent may give ("tilted down about 20 degrees")
# The compass direction the camera faces ("look west", "shoot due north"); +X is east and +Y north.
FACINGS = ("north", "north_east", "east", "south_east", "south", "south_west", "west", "north_west")
OPPOSITE = {f: FACINGS[(k + 4) % 8] for k, f in enumerate(FACINGS)}
PLAN_TOPS = ("north", "east", "south", "west")  # looking straight down, the compass side at the frame's top
FACING_TOLERANCE = 30.0  # degrees: a camera faces a compass direction within this either side (unless no room)

# The fields that make the plan (the rest record how the intent was read), in reading order.
PLAN_FIELDS = (
    "subjects",
    "subject_part",
    "context",
    "background",
    "through",
    "foreground",
    "avoid",
    "viewpoint",
    "viewpoint_part",
    "vantage",
    "facing",
    "plan_top",
    "shot_size",
    "angle",
    "height_m",
    "distance_m",
    "pitch_deg",
    "placement",
    "lens",
    "focal_mm",
    "aspects",
    "depth_of_field",
    "mood",
    "time_of_day",
)

# Typical focal lengths (35 mm equivalent) for a lens class.
LENS_MM = {"wide": 24.0, "normal": 40.0, "tele": 85.0}


@dataclass
class Blueprint:
    """What the photograph should be. Every field has a photographic default."""

    intent: str
    scene: str
    subjects: list[str]  # scene object names: the primary subject(s)
    subject_part: str | None = None  # the part of the subject a close-up frames (SUBJECT_PARTS), when named
    context: list[str] = field(default_factory=list)  # objects that should also be in frame
    background: list[str] = field(default_factory=list)  # objects wanted behind the subject
    through: str | None = None  # an object to frame the shot through (a doorway, an archway)
    # a thing up front, between the camera and the subject and large in the frame ("shoot over the back of the chair
    # at the truck", "the bench in the foreground"): the camera stands just beyond it from the subject
    foreground: str | None = None
    avoid: list[str] = field(default_factory=list)  # objects that must stay out of frame
    viewpoint: str | None = None  # an object the camera stands at or on ("from the landing", "from the doorway")
    viewpoint_part: str | None = None  # the part of it (or of the subject's space) to stand in (VIEWPOINT_PARTS)
    vantage: str | None = None  # where around the subject the camera stands (VANTAGES), when the intent says
    facing: str | None = None  # the compass direction the camera looks (FACINGS), when the intent says
    # looking straight down: the compass side at the frame's top (PLAN_TOPS), when the intent says ("turned so the
    # south window wall runs along the bottom edge": north)
    plan_top: str | None = None
    time_of_day: str = "noon"
    mood: str = "natural"
    shot_size: str = "medium"
    angle: str = "eye_level"
    height_m: float | None = None  # the camera's height above what it stands on, when the intent gives it in metres
    # the camera's level distance from the subject's nearest side, when the intent gives it ("about 3 m from it")
    distance_m: float | None = None
    pitch_deg: float | None = None  # the aim's elevation at the frame's centre (negative: down), when given in degrees
    placement: str = "center"
    lens: str = "normal"
    focal_mm: float | None = None  # an explicit focal length wins over the lens class
    aspects: list[str] = field(default_factory=lambda: ["3:2", "4:3", "16:9"])
    depth_of_field: str = "normal"
    explicit: list[str] = field(default_factory=list)  # which fields the intent stated
    notes: list[str] = field(default_factory=list)  # how the intent was read, for the report

    def to_dict(self) -> dict:
        return asdict(self)

    def brief(self) -> dict:
        """The plan fields that are set (what a VLM Director is told)."""
        return {k: getattr(self, k) for k in PLAN_FIELDS if getattr(self, k) not in (None, [], "")}

    @property
    def f_number(self) -> float:
        return {"shallow": 2.0, "normal": 5.6, "deep": 11.0}[self.depth_of_field]

    @property
    def upright(self) -> bool:
        """Cameras keep vertical lines vertical (a level sensor and a shifted lens, :class:`Camera`): at eye
        level, as an architectural photographer works, and at a low or high angle when the intent asks for straight
        verticals ("upright" in ``explicit``); otherwise a low, high or top-down angle keeps its converging lines."""
        return self.angle == "eye_level" or (self.angle != "top_down" and "upright" in self.explicit)

    @property
    def alone(self) -> bool:
        """The subject on its own ("just the bookshelf", "the stool on its own", "nothing else"): the frame holds as
        little as it can besides the subject and what the intent asked with it ("alone" in ``explicit``)."""
        return "alone" in self.explicit

    @property
    def whole(self) -> bool:
        """The subject asked whole ("whole frame in", "the whole post from base to lantern"): hidden in part by what
        stands before it, it misses the intent ("whole" in ``explicit``)."""
        return "whole" in self.explicit

    @property
    def standpoint_named(self) -> bool:
        """The intent says where the camera stands: at an object, or in a part of the subject's space."""
        return bool(self.viewpoint or self.viewpoint_part)

    @property
    def may_crop(self) -> bool:
        """The shot may cut the subject (and what it stands on or beside) at the frame's edge: a close-up, a camera
        standing on the subject itself ("looking up the stairs from the bottom step"), or a worm's-eye view ("shoot
        straight up the trunk into the leaves": the trunk runs out of the frame's foot)."""
        worms_eye = self.pitch_deg is not None and self.pitch_deg >= WORMS_EYE
        on_it = self.viewpoint is not None and self.viewpoint in self.subjects
        return self.shot_size == "close_up" or on_it or worms_eye

    @property
    def lens_asked(self) -> bool:
        """The intent chose the lens (a focal length or a lens class): the Director must not change it."""
        return "focal_mm" in self.explicit or "lens" in self.explicit

    @property
    def preferred_focal_mm(self) -> float:
        return self.focal_mm if self.focal_mm is not None else LENS_MM[self.lens]
