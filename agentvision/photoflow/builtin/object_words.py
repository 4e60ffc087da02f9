"""How people name things in a photo request, as data: object words, colours, sizes, relations.

Every table maps a phrase (lower case, words separated by single spaces; hyphens in the intent
read as spaces) to what it means. :mod:`agentvision.photoflow.builtin.intent` holds the parser; to
teach it a new phrase, add it here. Object words map to *concepts*, tried in order until one names
something in the scene: an object name, a label, a part suffix (``vase`` -> ``coffee_table_vase``,
a piece of ``coffee_table``) or the head word of a compound name (``table`` -> ``coffee_table``).
The camera and light words are in :mod:`photo_words`; follow-ups in :mod:`followup_words`.
"""

from __future__ import annotations

# ----- objects ------------------------------------------------------------------------------
# word or phrase -> concepts, best first. Words not listed stand for themselves.
SYNONYMS: dict[str, tuple[str, ...]] = {
    # stairs and their parts
    "stairs": ("staircase",),
    "stair": ("staircase",),
    "stairway": ("staircase",),
    "stairwell": ("staircase",),
    "steps": ("staircase",),
    "step": ("staircase",),
    "flight of stairs": ("staircase",),
    "flight": ("staircase",),  # "look straight down the length of the flight"
    "banister": ("handrail",),
    "bannister": ("handrail",),
    "balustrade": ("handrail",),
    "balusters": ("handrail",),  # "look out through the balusters"
    "baluster": ("handrail",),
    "railing": ("handrail",),
    "rail": ("handrail",),
    "upstairs": ("landing",),
    "mezzanine": ("landing",),
    # seating
    "couch": ("sofa",),
    "settee": ("sofa",),
    "chesterfield": ("sofa",),
    "loveseat": ("sofa",),
    "chair": ("armchair",),
    "arm chair": ("armchair",),
    "seat": ("bench", "armchair", "sofa", "stool"),
    "pew": ("bench",),
    "cushion": ("pillows",),
    "cushions": ("pillows",),
    "pillow": ("pillows",),
    # screens and furniture
    "telly": ("tv",),
    "television": ("tv",),
    "tv set": ("tv",),
    "screen": ("tv",),
    "flat screen": ("tv",),
    "tv stand": ("media_console",),
    "tv unit": ("media_console",),
    "sideboard": ("media_console",),
    "credenza": ("media_console",),
    "cabinet": ("media_console", "cabinet", "dresser"),
    "cupboard": ("cabinet", "dresser"),
    "hutch": ("dresser",),
    "welsh dresser": ("dresser",),
    "table": ("coffee_table", "table"),
    "bookcase": ("bookshelf",),
    "shelf": ("bookshelf",),
    "books": ("bookshelf",),
    "carpet": ("rug",),
    "mat": ("rug",),
    "vase": ("vase",),
    "tea pot": ("teapot",),
    "cup": ("tea_set",),
    "teacup": ("tea_set",),
    "cup and saucer": ("tea_set",),
    "saucer": ("tea_set",),
    "tea service": ("tea_set",),
    "sugar pot": ("sugar_bowl",),
    "curtain": ("curtains",),
    "drapes": ("curtains",),
    "bar stool": ("stool",),
    # art
    "statue": ("sculpture",),
    "figure": ("sculpture",),
    "knot": ("sculpture",),
    "sphere": ("sculpture",),
    "spheres": ("sculpture",),
    "orb": ("sculpture",),
    "orbs": ("sculpture",),
    "balls": ("sculpture",),  # "the stack of granite balls"
    "lady": ("sculpture",),  # "marble lady"
    "woman": ("sculpture",),
    "bust": ("sculpture",),
    "carving": ("sculpture",),
    "picture": ("painting",),
    "artwork": ("painting",),
    "canvas": ("painting",),
    "print": ("painting",),
    "poster": ("painting",),
    "wall art": ("painting",),
    "pedestal": ("plinth",),
    # plants
    "plant": ("potted_plant",),
    "houseplant": ("potted_plant",),
    "house plant": ("potted_plant",),
    "pot plant": ("potted_plant",),
    "fig": ("potted_plant",),
    "fig tree": ("potted_plant",),
    "ficus": ("potted_plant",),
    "planter": ("potted_plant",),
    "tree": ("tree", "potted_plant"),
    "grass": ("lawn", "ground"),
    "turf": ("lawn",),
    "meadow": ("ground", "lawn"),
    # lights
    "lamp": ("lamp", "lamp_post", "light", "spotlight"),
    "lantern": ("lamp_post", "lamp"),
    "lamppost": ("lamp_post",),
    "street lamp": ("lamp_post",),
    "streetlight": ("lamp_post",),
    "street light": ("lamp_post",),
    "chandelier": ("pendant_light", "ceiling_light"),
    "pendant": ("pendant_light", "ceiling_light"),
    "ceiling lamp": ("ceiling_light", "pendant_light"),
    "spot": ("spotlight",),
    "sconce": ("wall_lamp",),
    # openings and buildings
    "arch": ("archway",),
    "gateway": ("archway", "doorway"),
    "gate": ("archway", "doorway"),
    "portal": ("archway", "doorway"),
    "entrance": ("archway", "doorway", "front_door", "door"),
    "doorway": ("doorway", "door"),
    "door": ("door", "doorway"),
    "opening": ("doorway", "archway"),
    "windowpane": ("window",),
    "pane": ("window",),
    "picture window": ("window",),
    "glazing": ("window",),
    "rooflight": ("skylight",),
    "roof light": ("skylight",),
    "house": ("villa",),
    "building": ("villa",),
    "mansion": ("villa",),
    "facade": ("villa",),
    "wall": ("walls", "low_wall"),
    "floor": ("floor", "paving"),
    "pavement": ("paving", "floor"),
    "flagstones": ("paving",),
    "cobbles": ("paving",),
    # water
    "water feature": ("fountain",),
    "basin": ("fountain",),
    "pond": ("fountain",),
    "pool": ("fountain",),
}

# Words that never name an object on their own (they name the photo, the light or a composition idea),
# and part suffixes too generic to stand for their object ("frame" is not the painting).
NOT_OBJECTS = frozenset(
    "light lights frame frames framing sun shot shots photo photos photograph image images view views "
    "scene composition angle lens background foreground line lines field band block stripe circle legs "
    "trim cord joints side top bottom middle centre center room space interior exterior".split()
)

# Words naming a library scene: a hint for infer_scene, never an object.
SCENE_WORDS: dict[str, str] = {
    "parlour": "parlour",
    "parlor": "parlour",
    "tea room": "parlour",
    "living room": "living_room",
    "lounge": "living_room",
    "sitting room": "living_room",
    "front room": "living_room",
    "family room": "living_room",
    "living_room": "living_room",
    "gallery": "gallery",
    "museum": "gallery",
    "exhibition": "gallery",
    "art gallery": "gallery",
    "courtyard": "courtyard",
    "garden": "courtyard",
    "patio": "courtyard",
    "piazza": "courtyard",
    "plaza": "courtyard",
    "cloister": "courtyard",
    "hall": "staircase",
    "hallway": "staircase",
    "stair hall": "staircase",
    "entrance hall": "staircase",
    "foyer": "staircase",
    "entry": "staircase",
}

# Labels that are the room itself: never a default subject, and not what a photo is "of".
STRUCTURAL = frozenset("floor walls ceiling ground paving lawn rug".split())
SEATS = frozenset("sofa armchair chair bench stool".split())  # labels a photographer sits on, not stands on
ROOM_SHELL = frozenset("walls floor ceiling ground".split())  # always around a subject: never its context
# the ground the camera stands on and the room round it, never a thing up front ("a strip of grass in the
# foreground"); a rug is one ("the red rug in the foreground and the stairs going up behind it")
NOT_UP_FRONT = STRUCTURAL - {"rug"}

# Labels photographed whole by default (wide shot), whatever their size.
ARCHITECTURE = frozenset("staircase archway doorway villa fountain landing low_wall building facade".split())

# ----- object adjectives --------------------------------------------------------------------
# Colour words as a designer writes them (sRGB hex); compared with object base colours in CIELAB.
COLOURS: dict[str, str] = {
    "red": "#c0302a",
    "crimson": "#a0182c",
    "scarlet": "#d02818",
    "maroon": "#6a1a1a",
    "burgundy": "#6e1a2c",
    "rust": "#a04818",
    "terracotta": "#c06040",
    "orange": "#e07828",
    "ochre": "#c88a28",
    "amber": "#e0a020",
    "yellow": "#e8d040",
    "gold": "#d0a838",
    "brass": "#b89840",
    "bronze": "#8a5a28",
    "copper": "#b06438",
    "brown": "#6a4428",
    "cognac": "#8a3c14",
    "walnut": "#5a3a22",
    "teak": "#8a5a30",
    "tan": "#c0a078",
    "beige": "#d8c8a8",
    "cream": "#eee2c8",
    "ivory": "#f2ecdc",
    "white": "#f2f2ee",
    "marble": "#e8e4da",
    "grey": "#8a8a88",
    "gray": "#8a8a88",
    "silver": "#c0c0c0",
    "granite": "#3a3a38",
    "charcoal": "#36383a",
    "black": "#141414",
    "green": "#3a8a3a",
    "olive": "#6a6a28",
    "sage": "#8aa08a",
    "emerald": "#1a7a4a",
    "teal": "#1a6a6a",
    "turquoise": "#30b0a8",
    "cyan": "#30b0d0",
    "blue": "#2850b0",
    "navy": "#182850",
    "indigo": "#302870",
    "purple": "#6a2a8a",
    "violet": "#7a4ab0",
    "lilac": "#b8a0d0",
    "pink": "#e090a8",
    "rose": "#d06080",
    "golden": "#d0a838",
}

# Adjectives that shift a colour word's lightness ("dark red", "pale blue"); alone they rank lightness.
LIGHTNESS = {"dark": 0.55, "deep": 0.7, "light": 1.35, "pale": 1.45, "bright": 1.2}

# Adjective -> (measure, "max" | "min" | "median"). Measures: height, size, lightness, right (along the
# overview camera's right axis), depth (distance from the overview camera), elevation (z).
RANKERS: dict[str, tuple[str, str]] = {
    "tall": ("height", "max"),
    "taller": ("height", "max"),
    "tallest": ("height", "max"),
    "short": ("height", "min"),
    "shorter": ("height", "min"),
    "shortest": ("height", "min"),
    "big": ("size", "max"),
    "bigger": ("size", "max"),
    "biggest": ("size", "max"),
    "large": ("size", "max"),
    "larger": ("size", "max"),
    "largest": ("size", "max"),
    "huge": ("size", "max"),
    "main": ("size", "max"),
    "low": ("height", "min"),
    "small": ("size", "min"),
    "smaller": ("size", "min"),
    "smallest": ("size", "min"),
    "little": ("size", "min"),
    "lil": ("size", "min"),  # "that lil window next to the front door"
    "tiny": ("size", "min"),
    "dark": ("lightness", "min"),
    "darker": ("lightness", "min"),
    "darkest": ("lightness", "min"),
    "light": ("lightness", "max"),
    "pale": ("lightness", "max"),
    "lighter": ("lightness", "max"),
    "left": ("right", "min"),
    "leftmost": ("right", "min"),
    "right": ("right", "max"),
    "rightmost": ("right", "max"),
    "middle": ("right", "median"),
    "centre": ("right", "median"),
    "center": ("right", "median"),
    "central": ("right", "median"),
    "near": ("depth", "min"),
    "nearest": ("depth", "min"),
    "closest": ("depth", "min"),
    "front": ("depth", "min"),
    "far": ("depth", "max"),
    "farthest": ("depth", "max"),
    "furthest": ("depth", "max"),
    "back": ("depth", "max"),
    "rear": ("depth", "max"),
    "distant": ("depth", "max"),
    "upper": ("elevation", "max"),
    "highest": ("elevation", "max"),
    "lower": ("elevation", "min"),
    "lowest": ("elevation", "min"),
}

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "last": -1,
}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# Material words that stand for several material names ("the wooden bench": teak, oak, walnut...).
MATERIAL_SYNONYMS = {
    "wooden": ("wood", "oak", "walnut", "teak"),
    "wood": ("wood", "oak", "walnut", "teak"),
    "metal": ("metal", "iron", "steel", "brass", "bronze"),
    "iron": ("iron",),
    "stone": ("stone", "marble", "granite", "limestone", "sandstone"),
    "leather": ("leather",),
    "velvet": ("velvet",),
    "glass": ("glass",),
}
ALL_WORDS = frozenset("all both every each".split())
DETERMINERS = frozenset("the a an this that these those its their our my your his her".split())
# Prepositions and conjunctions: never an adjective of the noun after them ("the bronze torus knot" skips "torus")
FUNCTION_WORDS = frozenset(
    "of with and or on in at to from by for near beside behind under over above below through via into onto"
    " toward towards across past inside outside within beyond".split()
)  # "morning light through the side window": "through" is not the window's adjective

# ----- relations between objects ------------------------------------------------------------
# Phrases before an object: the closest one to the object decides its role.
RELATIONS_BEFORE: dict[str, str] = {
    "from": "viewpoint",
    "seen from": "viewpoint",
    "viewed from": "viewpoint",
    "taken from": "viewpoint",
    "shot from": "viewpoint",
    "photographed from": "viewpoint",
    "standing on": "viewpoint",
    "standing at": "viewpoint",
    "standing in": "viewpoint",
    "standing by": "viewpoint",
    "from up on": "viewpoint",
    "from on": "viewpoint",
    "from inside": "viewpoint",
    "from within": "viewpoint",
    "from just inside": "viewpoint",  # standing past the opening, on the subject's side
    "from just within": "viewpoint",
    "stand just inside": "viewpoint",  # "stand just inside the panelled door and look due east"
    "standing just inside": "viewpoint",
    "from behind": "viewpoint",  # "from behind the coffee table": standing there, the table before the camera
    "from beside": "viewpoint",  # "a low shot from beside one of the benches": standing by it, not framing it
    "from next to": "viewpoint",
    "from near": "viewpoint",
    "from by": "viewpoint",
    "standing beside": "viewpoint",
    "standing next to": "viewpoint",
    "standing near": "viewpoint",
    "on the side away from": "background",  # "stand on the side away from the building": it lies behind the subject
    "stand on the side away from": "background",
    "standing on the side away from": "background",
    "from outside": "through",  # standing before the opening, looking through it
    "from just outside": "through",
    "up on": "viewpoint",
    "go up to": "viewpoint",
    "go up on": "viewpoint",
    "go up onto": "viewpoint",  # "go up onto the landing and stand at its south end"
    "up onto": "viewpoint",
    "climb onto": "viewpoint",
    "climb on top of": "viewpoint",  # "climb up on top of the arch n get the whole courtyard"
    "climb up on top of": "viewpoint",
    "up on top of": "viewpoint",
    "stand on top of": "viewpoint",
    "standing on top of": "viewpoint",
    "from on top of": "viewpoint",
    "get on top of": "viewpoint",
    "go to": "viewpoint",
    "climb up to": "viewpoint",
    "climb to": "viewpoint",
    "sitting on": "viewpoint",
    "lie on": "viewpoint",  # "lie on the grass right by one of the tree trunks n shoot straight up"
    "lie down on": "viewpoint",
    "lying down on": "viewpoint",
    "lay on": "viewpoint",
    "sit on": "viewpoint",
    "from under": "viewpoint",  # "from under the tree, the fountain"
    "from underneath": "viewpoint",
    "stand under": "viewpoint",
    "standing under": "viewpoint",  # "sit on the leather bench and look due north"
    "sit in": "viewpoint",
    "sitting in": "viewpoint",
    "sitting at": "viewpoint",
    "crouch on": "viewpoint",  # "crouch on the fifth step from the bottom"
    "camera on the roof of": "viewpoint",  # "put the camera on the flat roof of the big grey building"
    "camera on the flat roof of": "viewpoint",
    "camera on top of": "viewpoint",
    "camera up on": "viewpoint",
    "crouching on": "viewpoint",
    "kneel on": "viewpoint",
    "kneeling on": "viewpoint",
    "sat on": "viewpoint",
    "sat in": "viewpoint",
    "seated on": "viewpoint",
    "seated in": "viewpoint",
    "lying on": "viewpoint",
    "without": "avoid",
    "no": "avoid",
    "not": "avoid",
    "avoid": "avoid",
    "avoiding": "avoid",
    "exclude": "avoid",
    "excluding": "avoid",
    "except": "avoid",
    "hide": "avoid",
    "hiding": "avoid",
    "minus": "avoid",
    "leave out": "avoid",
    "dont show": "avoid",
    "do not show": "avoid",
    "dont include": "avoid",
    "do not include": "avoid",
    "dont want": "avoid",
    "do not want": "avoid",
    "dont get": "avoid",  # "dont get the bookshelf in"
    "do not get": "avoid",
    "dont put": "avoid",
    "do not put": "avoid",
    "dont need": "avoid",
    "do not need": "avoid",
    "no sign of": "avoid",
    "no part of": "avoid",  # "no part of the tall landing window in frame"
    "keep out": "avoid",
    "but not": "avoid",
    "nor": "avoid",
    "clear of": "avoid",  # "just under the ceiling, clear of the ceiling lights": not what is photographed
    "through": "through",
    "framed by": "through",
    "framed in": "through",
    "framed through": "through",
    "via": "through",
    "inside": "through",
    "within": "through",
    "against": "background",
    "in front of": "background",
    "backed by": "background",
    "with": "context",
    "and": "context",
    "next to": "context",
    "beside": "context",
    "besides": "context",
    "by": "context",
    "near": "context",
    "alongside": "context",
    "along with": "context",
    "including": "context",
    "plus": "context",
    "on": "context",
    "under": "context",
    "beneath": "context",
    "over": "context",
    "above": "context",
    "around": "context",
    "facing": "context",
    "opposite": "context",
    "behind": "context",
    "between": "context",
    "among": "context",
    "beyond": "background",
    # "shoot over the back of the chair at the truck": the chair up front, the camera just beyond it
    "shoot over": "foreground",
    "shooting over": "foreground",
    "shot over": "foreground",
    "look over": "foreground",
    "looking over": "foreground",
    # where the subject is, not something the frame must also hold
    "at the foot of": "location",
    "at the bottom of": "location",
    "at the top of": "location",
    "at the end of": "location",
    "foot of": "location",
    "in the corner of": "location",
    # where the camera stands, said as a walk
    "partway up": "viewpoint",
    "part way up": "viewpoint",
    "halfway up": "viewpoint",
    "half way up": "viewpoint",
    "stand on": "viewpoint",
    "stand at": "viewpoint",
    "stand in": "viewpoint",
    "stand by": "viewpoint",
    "stand near": "viewpoint",
    "stand beside": "viewpoint",
    "stand next to": "viewpoint",
    # "stand right inside the archway n look up": in the opening, not framing the picture through it
    "stand inside": "viewpoint",
    "stand right inside": "viewpoint",
    "standing inside": "viewpoint",
    "standing right inside": "viewpoint",
}
# Phrases after an object: they override the phrase before it.
# "midday light falling from the skylight": where the light comes from, not where the camera stands.
LIGHT_WORDS = frozenset(
    (
        "light",
        "sunlight",
        "daylight",
        "moonlight",
        "glow",
        "falling",
        "streaming",
        "pouring",
        "coming",
        "shining",
        "spilling",
        "flooding",
        "filtering",
        "raking",
        "lit",
        "sunlit",
        "backlit",
        "illuminated",
        "lighting",
        "sun",
        "sunshine",
    )
)
RELATIONS_BEFORE |= {f"{word} from": "light" for word in LIGHT_WORDS}
# "daylight coming down from the skylight": a light word shortly before "from" says the same (intent.relation_roles)
LIGHT_REACH = 3  # words
# "lit by the skylight": the same, with "by"
RELATIONS_BEFORE |= {f"{word} by": "light" for word in ("lit", "sunlit", "backlit", "illuminated")}
# "taken from just inside the archway", "a low shot from beside the bench": the verb's own phrase would take
# "from" and leave "inside" (through) or "beside" (context); each "from ..." phrase is read after the verbs too.
RELATIONS_BEFORE |= {
    f"{verb} {phrase}": role
    for verb in ("seen", "viewed", "taken", "shot", "photographed", "framed")
    for phrase, role in list(RELATIONS_BEFORE.items())
    if phrase.startswith("from ") and role in ("viewpoint", "through") and phrase != "from behind"
}
# ("taken from behind the coffee table" keeps the table as context: the camera beyond it, the table in front; read
# as where to stand, the camera stood at the table and cut the sofa's painting at the top.)
RELATIONS_AFTER: dict[str, str] = {
    "in the background": "background",
    "in background": "background",
    "in the distance": "background",
    "behind": "background",
    "behind it": "background",
    "behind them": "background",
    "behind the right edge": "avoid",  # "the doorway itself stays behind the right edge of the frame"
    "behind the left edge": "avoid",
    "behind the edge": "avoid",
    "behind you": "avoid",  # "the upstairs door behind you must not appear": behind the camera, out of the frame
    "behind me": "avoid",
    "behind the camera": "avoid",
    "as a backdrop": "background",
    "as backdrop": "background",
    "at the back": "background",
    # "the leather bench in the foreground", "chair sharp up front": up front, between the camera and the subject
    "in the foreground": "foreground",
    "in foreground": "foreground",
    "up front": "foreground",
    "out of frame": "avoid",
    "out of the frame": "avoid",
    "out of shot": "avoid",
    "out of the shot": "avoid",
    "out of view": "avoid",
    "out of the picture": "avoid",
    "out of it": "avoid",  # "keep that pole out of it"
    "not in the picture": "avoid",  # "plant not in the picture please"
    "not in picture": "avoid",
    "not in the shot": "avoid",
    "not in shot": "avoid",
    "not in the frame": "avoid",
    "not in frame": "avoid",
    "not in the photo": "avoid",
    "not in view": "avoid",
    "not visible": "avoid",
    "left out": "avoid",
    "kept out": "avoid",
    "stays out": "avoid",
    "stay out": "avoid",
    "in front": "context",
    "in front of it": "context",
    "in front of them": "context",
    "on either side": "context",
    "either side": "context",
    "on both sides": "context",
    # "so the door frame frames the tall painting", "arch framing the whole scene": the opening it is seen through
    "frames": "through",
    "framing": "through",
}
# "the villa shouldn't appear", "the tea table and the stool must not appear", "duck statue shouldnt be in it": what
# is said not to be in the picture is kept out, all of a list (it had been context, the one thing the frame must hold)
NEGATED_AFTER = frozenset(
    f"{verb} {show}"
    for verb in (
        "shouldnt",
        "should not",
        "must not",
        "mustnt",
        "cannot",
        "cant",
        "can not",
        "doesnt",
        "does not",
        "dont",
        "do not",
        "wont",
        "will not",
        "may not",
        "need not",
        "neednt",
        "is not to",
    )
    for show in (
        "appear",
        "show",
        "be seen",
        "be visible",
        "be in it",
        "be in the shot",
        "be in the frame",
        "be in the picture",
        "be in the photo",
        "be in shot",
        "be in frame",
        "be in view",
        "feature",
    )
)
RELATIONS_AFTER |= dict.fromkeys(NEGATED_AFTER, "avoid")
# "the teal sofa, the cognac armchair and the abstract painting stay out of the frame": as a negation, it keeps out
# the whole list before it
KEPT_OUT_AFTER = NEGATED_AFTER | {"stay out", "stays out", "must stay out", "should stay out", "to stay out"}
# "looking up at the figure, skylight glowing above": what is over the subject, behind it from a low camera
RELATIONS_AFTER |= {"glowing above": "background", "glowing overhead": "background", "overhead": "background"}
# "the skylight throwing pale light onto the floor": where the light comes from, not a thing the frame must hold
RELATIONS_AFTER |= {
    f"{verb} {soft}light": "light"
    for verb in ("throwing", "casting", "spilling", "pouring", "letting in")
    for soft in ("", "pale ", "soft ", "warm ", "cool ", "bright ")
}
LEAVE_OUT = frozenset("leave keep crop".split())  # "leave the villa out", "keep the lamp posts out", "crop the TV out"
CHAIN_WORDS = frozenset("and , & plus or the a an both".split())  # join objects into one group
PART_OF = frozenset({"any", "part", "of"})  # in a list: "keep the bookshelf and any part of the door frame out"

# ----- parts of a place to stand at -------------------------------------------------------
# "from the foot of the stairs", "stand near the south side of the courtyard", "from the middle of the room": the
# part of the viewpoint (or of the subject's space) where the camera stands (blueprint.VIEWPOINT_PARTS).
PLACE_PARTS: dict[str, str] = {
    "foot": "bottom",
    "bottom": "bottom",
    "base": "bottom",
    "top": "top",
    "head": "top",
    "north": "north",
    "northern": "north",
    "south": "south",
    "southern": "south",
    "east": "east",
    "eastern": "east",
    "west": "west",
    "western": "west",
    "middle": "middle",
    "centre": "middle",
    "center": "middle",
}
# A kind of picture, known by its parts: "the landscape painting" is the one with hills or a sun in it.
GENRE_PARTS = {
    "landscape": ("hills", "hill", "sun", "mountains", "trees", "sea", "lake"),
    "seascape": ("sea", "waves", "boat"),
}
# the openings in a thing that a camera frames through: "through one of the loops of the bronze knot"
THROUGH_PARTS = frozenset("loop loops gap gaps hole holes opening openings ring rings hoop hoops".split())
# the part of the subject a close-up frames, said by place: "close up of the top of one of the red curtains"
PART_PLACES = {"top": "top", "tops": "top", "bottom": "bottom", "base": "bottom", "foot": "bottom", "feet": "bottom"}
PART_NOUNS = frozenset("side end edge part half".split())  # "the south side of", "the far end of"
# "from the bottom step": the end of a flight, said by its step
STEP_PARTS = {"bottom": "bottom", "lowest": "bottom", "top": "top", "highest": "top"}
STEP_WORDS = frozenset("step steps stair stairs tread treads".split())
# The space itself, when a part of it is where to stand ("the middle of the room"); library scene words count too.
SPACE_WORDS = frozenset("room space hall hallway courtyard yard plaza square gallery lawn garden floor".split())

# ----- words around a thing that change what "no" or "from" says of it (intent.relation_roles) ------------------
# "the bench must not hide any plinth": every plinth seen, none kept out
HIDING = frozenset({"hide", "hiding", "block", "blocking", "cover", "covering"})
NEVER = (["not"], ["never"], ["dont"], ["doesnt"], ["wont"])
# after "no <thing>", words that make it a way of framing the thing, not the thing kept out ("no building corner")
NOT_THE_THING = frozenset(
    """cut cropped corner corners edge edges roof top overlapping overlaps overlap hiding hides hide blocking blocks
    block covering covers obscuring obscures crossing crosses cutting""".split()
)
LIST_ENDS = frozenset({"and", "or", "nor", "n"})  # the word before a list's last item
# "each curtain complete from rod to hem": after "from <thing> to", the end of how much of something is seen
EXTENT_ENDS = frozenset("top bottom hem head base feet foot toe toes tip tips crossarm floor ceiling end".split())
