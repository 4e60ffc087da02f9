"""The Director's vocabulary: how people phrase a photo request, as data.

Every table maps a phrase (lower case, words separated by single spaces; hyphens in the intent
read as spaces) to what it means. :mod:`agentvision.photoflow.intent` holds the parser; to teach
it a new phrase, add it here. Object words map to *concepts*, tried in order until one names
something in the scene: an object name, a label, a part suffix (``vase`` -> ``coffee_table_vase``,
a piece of ``coffee_table``) or the head word of a compound name (``table`` -> ``coffee_table``).
"""

from __future__ import annotations

# ----- objects ------------------------------------------------------------------------------
# word or phrase -> concepts, best first. Words not listed stand for themselves.
SYNONYMS: dict[str, tuple[str, ...]] = {
    # stairs and their parts
    "stairs": ("staircase",), "stair": ("staircase",), "stairway": ("staircase",), "stairwell": ("staircase",),
    "steps": ("staircase",), "step": ("staircase",), "flight of stairs": ("staircase",),
    "banister": ("handrail",), "bannister": ("handrail",), "balustrade": ("handrail",), "railing": ("handrail",),
    "rail": ("handrail",), "upstairs": ("landing",), "mezzanine": ("landing",),
    # seating
    "couch": ("sofa",), "settee": ("sofa",), "chesterfield": ("sofa",), "loveseat": ("sofa",),
    "chair": ("armchair",), "arm chair": ("armchair",), "seat": ("bench", "armchair", "sofa"), "pew": ("bench",),
    "cushion": ("pillows",), "cushions": ("pillows",), "pillow": ("pillows",),
    # screens and furniture
    "telly": ("tv",), "television": ("tv",), "tv set": ("tv",), "screen": ("tv",), "flat screen": ("tv",),
    "tv stand": ("media_console",), "tv unit": ("media_console",), "sideboard": ("media_console",),
    "credenza": ("media_console",), "cabinet": ("media_console",),
    "table": ("coffee_table", "table"), "bookcase": ("bookshelf",), "shelf": ("bookshelf",),
    "books": ("bookshelf",), "carpet": ("rug",),
    "mat": ("rug",), "vase": ("vase",),
    # art
    "statue": ("sculpture",), "figure": ("sculpture",), "bust": ("sculpture",),
    "carving": ("sculpture",), "picture": ("painting",), "artwork": ("painting",), "canvas": ("painting",),
    "print": ("painting",), "poster": ("painting",), "wall art": ("painting",), "pedestal": ("plinth",),
    # plants
    "plant": ("potted_plant",), "houseplant": ("potted_plant",), "house plant": ("potted_plant",),
    "pot plant": ("potted_plant",), "fig": ("potted_plant",), "fig tree": ("potted_plant",),
    "ficus": ("potted_plant",), "planter": ("potted_plant",), "tree": ("tree", "potted_plant"),
    "grass": ("lawn", "ground"), "turf": ("lawn",), "meadow": ("ground", "lawn"),
    # lights
    "lamp": ("lamp", "lamp_post", "light", "spotlight"), "lantern": ("lamp_post", "lamp"),
    "lamppost": ("lamp_post",), "street lamp": ("lamp_post",), "streetlight": ("lamp_post",),
    "street light": ("lamp_post",), "chandelier": ("pendant_light", "ceiling_light"),
    "pendant": ("pendant_light", "ceiling_light"), "ceiling lamp": ("ceiling_light", "pendant_light"),
    "spot": ("spotlight",), "sconce": ("wall_lamp",),
    # openings and buildings
    "arch": ("archway",), "gateway": ("archway", "doorway"), "gate": ("archway", "doorway"),
    "portal": ("archway", "doorway"), "entrance": ("archway", "doorway", "front_door", "door"),
    "doorway": ("doorway", "door"), "door": ("door", "doorway"), "opening": ("doorway", "archway"),
    "windowpane": ("window",), "pane": ("window",), "picture window": ("window",), "glazing": ("window",),
    "rooflight": ("skylight",), "roof light": ("skylight",),
    "house": ("villa",), "building": ("villa",), "mansion": ("villa",), "facade": ("villa",),
    "wall": ("walls", "low_wall"), "floor": ("floor", "paving"), "pavement": ("paving", "floor"),
    "flagstones": ("paving",), "cobbles": ("paving",),
    # water
    "water feature": ("fountain",), "basin": ("fountain",), "pond": ("fountain",), "pool": ("fountain",),
}  # fmt: skip

# Words that never name an object on their own (they name the photo, the light or a composition idea),
# and part suffixes too generic to stand for their object ("frame" is not the painting).
NOT_OBJECTS = frozenset(
    "light lights frame frames framing sun shot shots photo photos photograph image images view views "
    "scene composition angle lens background foreground line lines field band block stripe circle legs "
    "trim cord joints side top bottom middle centre center room space interior exterior".split()
)

# Words naming a library scene: a hint for infer_scene, never an object.
SCENE_WORDS: dict[str, str] = {
    "living room": "living_room", "lounge": "living_room", "sitting room": "living_room",
    "front room": "living_room", "family room": "living_room", "living_room": "living_room",
    "gallery": "gallery", "museum": "gallery", "exhibition": "gallery", "art gallery": "gallery",
    "courtyard": "courtyard", "garden": "courtyard", "patio": "courtyard", "piazza": "courtyard",
    "plaza": "courtyard", "cloister": "courtyard",
    "hall": "staircase", "hallway": "staircase", "stair hall": "staircase", "entrance hall": "staircase",
    "foyer": "staircase", "entry": "staircase",
}  # fmt: skip

# Labels that are the room itself: never a default subject, and not what a photo is "of".
STRUCTURAL = frozenset("floor walls ceiling ground paving lawn rug".split())

# Labels photographed whole by default (wide shot), whatever their size.
ARCHITECTURE = frozenset("staircase archway doorway villa fountain landing low_wall building facade".split())

# ----- object adjectives --------------------------------------------------------------------
# Colour words as a designer writes them (sRGB hex); compared with object base colours in CIELAB.
COLOURS: dict[str, str] = {
    "red": "#c0302a", "crimson": "#a0182c", "scarlet": "#d02818", "maroon": "#6a1a1a", "burgundy": "#6e1a2c",
    "rust": "#a04818", "terracotta": "#c06040", "orange": "#e07828", "ochre": "#c88a28", "amber": "#e0a020",
    "yellow": "#e8d040", "gold": "#d0a838", "brass": "#b89840", "bronze": "#8a5a28", "copper": "#b06438",
    "brown": "#6a4428", "cognac": "#8a3c14", "walnut": "#5a3a22", "teak": "#8a5a30", "tan": "#c0a078",
    "beige": "#d8c8a8", "cream": "#eee2c8", "ivory": "#f2ecdc", "white": "#f2f2ee", "marble": "#e8e4da",
    "grey": "#8a8a88", "gray": "#8a8a88", "silver": "#c0c0c0", "granite": "#3a3a38", "charcoal": "#36383a",
    "black": "#141414", "green": "#3a8a3a", "olive": "#6a6a28", "sage": "#8aa08a", "emerald": "#1a7a4a",
    "teal": "#1a6a6a", "turquoise": "#30b0a8", "cyan": "#30b0d0", "blue": "#2850b0", "navy": "#182850",
    "indigo": "#302870", "purple": "#6a2a8a", "violet": "#7a4ab0", "lilac": "#b8a0d0", "pink": "#e090a8",
    "rose": "#d06080", "golden": "#d0a838",
}  # fmt: skip

# Adjectives that shift a colour word's lightness ("dark red", "pale blue"); alone they rank lightness.
LIGHTNESS = {"dark": 0.55, "deep": 0.7, "light": 1.35, "pale": 1.45, "bright": 1.2}

# Adjective -> (measure, "max" | "min" | "median"). Measures: height, size, lightness, right (along the
# overview camera's right axis), depth (distance from the overview camera), elevation (z).
RANKERS: dict[str, tuple[str, str]] = {
    "tall": ("height", "max"), "taller": ("height", "max"), "tallest": ("height", "max"),
    "short": ("height", "min"), "shorter": ("height", "min"), "shortest": ("height", "min"),
    "big": ("size", "max"), "bigger": ("size", "max"), "biggest": ("size", "max"), "large": ("size", "max"),
    "larger": ("size", "max"), "largest": ("size", "max"), "huge": ("size", "max"), "main": ("size", "max"),
    "small": ("size", "min"), "smaller": ("size", "min"), "smallest": ("size", "min"), "little": ("size", "min"),
    "tiny": ("size", "min"),
    "dark": ("lightness", "min"), "darker": ("lightness", "min"), "darkest": ("lightness", "min"),
    "light": ("lightness", "max"), "pale": ("lightness", "max"), "lighter": ("lightness", "max"),
    "left": ("right", "min"), "leftmost": ("right", "min"), "right": ("right", "max"),
    "rightmost": ("right", "max"), "middle": ("right", "median"), "centre": ("right", "median"),
    "center": ("right", "median"), "central": ("right", "median"),
    "near": ("depth", "min"), "nearest": ("depth", "min"), "closest": ("depth", "min"), "front": ("depth", "min"),
    "far": ("depth", "max"), "farthest": ("depth", "max"), "furthest": ("depth", "max"), "back": ("depth", "max"),
    "rear": ("depth", "max"), "distant": ("depth", "max"),
    "upper": ("elevation", "max"), "highest": ("elevation", "max"), "lower": ("elevation", "min"),
    "lowest": ("elevation", "min"),
}  # fmt: skip

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "last": -1,
}  # fmt: skip
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# Material words that stand for several material names ("the wooden bench": teak, oak, walnut...).
MATERIAL_SYNONYMS = {
    "wooden": ("wood", "oak", "walnut", "teak"), "wood": ("wood", "oak", "walnut", "teak"),
    "metal": ("metal", "iron", "steel", "brass", "bronze"), "iron": ("iron",), "stone": ("stone", "marble",
    "granite", "limestone", "sandstone"), "leather": ("leather",), "velvet": ("velvet",), "glass": ("glass",),
}  # fmt: skip
ALL_WORDS = frozenset("all both every each".split())
DETERMINERS = frozenset("the a an this that these those its their our my your his her".split())

# ----- relations between objects ------------------------------------------------------------
# Phrases before an object: the closest one to the object decides its role.
RELATIONS_BEFORE: dict[str, str] = {
    "without": "avoid", "no": "avoid", "not": "avoid", "avoid": "avoid", "avoiding": "avoid",
    "exclude": "avoid", "excluding": "avoid", "except": "avoid", "hide": "avoid", "hiding": "avoid",
    "minus": "avoid", "leave out": "avoid", "keep out": "avoid", "but not": "avoid", "nor": "avoid",
    "through": "through", "thru": "through", "framed by": "through", "framed in": "through",
    "framed through": "through", "via": "through", "inside": "through", "within": "through",
    "against": "background", "in front of": "background", "backed by": "background",
    "with": "context", "and": "context", "next to": "context", "beside": "context", "besides": "context",
    "by": "context", "near": "context", "alongside": "context", "along with": "context", "including": "context",
    "plus": "context", "on": "context", "under": "context", "beneath": "context", "over": "context",
    "above": "context", "around": "context", "facing": "context", "opposite": "context", "behind": "context",
    "between": "context", "among": "context", "beyond": "background",
}  # fmt: skip
# Phrases after an object: they override the phrase before it.
RELATIONS_AFTER: dict[str, str] = {
    "in the background": "background", "in background": "background", "in the distance": "background",
    "behind": "background", "behind it": "background", "behind them": "background", "as a backdrop": "background",
    "as backdrop": "background", "at the back": "background", "in the foreground": "context",
    "in foreground": "context", "out of frame": "avoid", "out of the frame": "avoid", "out of shot": "avoid",
    "out of the shot": "avoid", "out of view": "avoid", "out of the picture": "avoid", "in front": "context",
}  # fmt: skip
CHAIN_WORDS = frozenset("and , & plus or the a an both".split())  # join objects into one group

# ----- camera and light ---------------------------------------------------------------------
ANGLES: dict[str, str] = {
    "from below": "low", "low angle": "low", "low down": "low", "worm's eye": "low", "worms eye": "low",
    "worm eye": "low", "looking up": "low", "from the ground": "low", "from ground level": "low",
    "from floor level": "low", "from the floor": "low", "up at": "low", "from beneath": "low", "from low": "low",
    "from above": "high", "high angle": "high", "looking down": "high", "from up high": "high",
    "from high": "high", "down on": "high", "elevated": "high", "from the landing": "high", "aerial": "high",
    "bird's eye": "top_down", "birds eye": "top_down", "bird eye": "top_down", "top down": "top_down",
    "overhead": "top_down", "straight down": "top_down", "plan view": "top_down", "flat lay": "top_down",
    "from directly above": "top_down", "eye level": "eye_level", "eye height": "eye_level",
    "straight on": "eye_level", "head on": "eye_level", "at standing height": "eye_level",
}  # fmt: skip
SHOT_SIZES: dict[str, str] = {
    "close up": "close_up", "closeup": "close_up", "close shot": "close_up", "up close": "close_up",
    "detail": "close_up", "details": "close_up", "detail shot": "close_up", "tight": "close_up",
    "tightly": "close_up", "macro": "close_up", "close in": "close_up", "fill the frame": "close_up",
    "medium shot": "medium", "mid shot": "medium", "medium": "medium", "waist up": "medium",
    "wide": "wide", "wide shot": "wide", "wide view": "wide", "whole room": "wide", "entire room": "wide",
    "full view": "wide", "whole": "wide", "entire": "wide", "full length": "wide", "in full": "wide",
    "long shot": "wide", "all of": "wide",
    "establishing": "establishing", "establishing shot": "establishing", "overview": "establishing",
    "the whole scene": "establishing", "whole scene": "establishing", "panorama": "establishing",
    "panoramic": "establishing",
}  # fmt: skip
LENSES: dict[str, str] = {
    "wide angle": "wide", "wide lens": "wide", "wideangle": "wide", "ultra wide": "wide", "fisheye": "wide",
    "fish eye": "wide", "telephoto": "tele", "tele": "tele", "long lens": "tele", "zoom lens": "tele",
    "zoomed in": "tele", "portrait lens": "tele", "compressed": "tele", "compression": "tele",
    "normal lens": "normal", "standard lens": "normal", "nifty fifty": "normal", "natural perspective": "normal",
}  # fmt: skip
LENS_PHRASE_MM = {"ultra wide": 16.0, "fisheye": 12.0, "fish eye": 12.0, "nifty fifty": 50.0}
FOCAL_UNITS = frozenset("mm millimetre millimetres millimeter millimeters mil".split())

PLACEMENTS: dict[str, str] = {
    "on the left third": "left_third", "in the left third": "left_third", "on the right third": "right_third",
    "in the right third": "right_third", "on the lower third": "lower_third", "in the lower third": "lower_third",
    "on the left": "left_third", "to the left": "left_third", "left third": "left_third",
    "left of frame": "left_third", "left of the frame": "left_third", "left side": "left_third",
    "at the left": "left_third", "frame left": "left_third",
    "on the right": "right_third", "to the right": "right_third", "right third": "right_third",
    "right of frame": "right_third", "right of the frame": "right_third", "right side": "right_third",
    "at the right": "right_third", "frame right": "right_third",
    "centred": "center", "centered": "center", "in the centre": "center", "in the center": "center",
    "in the middle": "center", "symmetrical": "center", "symmetric": "center", "symmetry": "center",
    "dead centre": "center", "dead center": "center", "central": "center", "centre frame": "center",
    "rule of thirds": "left_third", "on a third": "left_third", "on the thirds": "left_third",
    "off centre": "left_third", "off center": "left_third",
    "leading lines": "leading", "leading line": "leading", "leading into the frame": "leading",
    "leading in": "leading", "leads into the frame": "leading", "lead the eye": "leading",
    "leads the eye": "leading", "leading the eye": "leading", "diagonal": "leading",
    "low in the frame": "lower_third", "lower third": "lower_third", "bottom third": "lower_third",
    "bottom of the frame": "lower_third", "at the bottom": "lower_third",
    "high in the frame": "upper_third", "upper third": "upper_third", "top third": "upper_third",
    "top of the frame": "upper_third", "at the top": "upper_third",
}  # fmt: skip

PORTRAIT = ["4:5", "2:3", "9:16"]
LANDSCAPE = ["3:2", "4:3", "16:9"]
ASPECT_PHRASES: dict[str, list[str]] = {
    "portrait orientation": PORTRAIT, "portrait format": PORTRAIT, "portrait mode": PORTRAIT,
    "in portrait": PORTRAIT, "portrait": PORTRAIT, "vertical": PORTRAIT, "vertically": PORTRAIT,
    "upright": PORTRAIT, "tall frame": PORTRAIT, "story": ["9:16"], "stories": ["9:16"],
    "landscape orientation": LANDSCAPE, "landscape format": LANDSCAPE, "landscape": LANDSCAPE,
    "horizontal": LANDSCAPE, "horizontally": LANDSCAPE,
    "square": ["1:1"], "square format": ["1:1"], "instagram": ["4:5", "1:1"],
    "cinematic": ["21:9", "16:9"], "widescreen": ["21:9", "16:9"], "anamorphic": ["21:9"],
    "letterbox": ["21:9"], "film still": ["21:9", "16:9"],
}  # fmt: skip

DEPTHS: dict[str, str] = {
    "shallow depth of field": "shallow", "shallow dof": "shallow", "shallow focus": "shallow",
    "bokeh": "shallow", "blurred background": "shallow", "blurry background": "shallow",
    "background blur": "shallow", "blur the background": "shallow", "soft background": "shallow",
    "wide open": "shallow", "shallow": "shallow", "dreamy blur": "shallow",
    "everything sharp": "deep", "everything in focus": "deep", "all in focus": "deep", "deep focus": "deep",
    "deep depth of field": "deep", "front to back": "deep", "sharp throughout": "deep", "tack sharp": "deep",
}  # fmt: skip

# Time phrases beyond agentvision.scene.lighting.TIMES / ALIASES (which the parser also reads).
TIMES_EXTRA: dict[str, str] = {
    "first light": "dawn", "daybreak": "dawn", "break of day": "dawn", "early morning": "dawn",
    "in the morning": "morning", "mid morning": "morning", "late morning": "morning", "lunchtime": "noon",
    "high noon": "noon", "broad daylight": "noon", "daylight": "noon", "sunny": "noon",
    "late afternoon": "golden_hour", "magic hour": "golden_hour", "sundown": "golden_hour",
    "in the evening": "dusk", "nightfall": "dusk", "gloaming": "dusk", "after sunset": "blue_hour",
    "after dark": "night", "moonlight": "night", "moonlit": "night", "by moonlight": "night",
    "at night": "night", "night time": "night", "lights on": "dusk",
}  # fmt: skip
# ALIASES keys that are colour words here ("the blue painting") rather than times.
TIME_ALIAS_SKIP = frozenset({"blue", "golden"})
# Clock hours -> preset: the first (hour_below, preset) whose hour is above the time said.
HOURS = ((5, "night"), (7, "dawn"), (11, "morning"), (16, "noon"), (19, "golden_hour"), (20, "dusk"),
         (21, "blue_hour"), (24.01, "night"))  # fmt: skip
TIME_PREPOSITIONS = frozenset("at during around by in".split())
WEATHER = frozenset("rain rainy fog foggy mist misty snow snowy overcast cloudy storm stormy winter summer "
                    "autumn spring".split())  # fmt: skip

MOODS: dict[str, str] = {
    "moody": "moody", "brooding": "moody", "atmospheric": "moody", "low key": "moody", "dark and moody": "moody",
    "cosy": "cosy", "cozy": "cosy", "snug": "cosy", "homely": "cosy", "inviting": "cosy", "hygge": "cosy",
    "dramatic": "dramatic", "striking": "dramatic", "bold": "dramatic", "high contrast": "dramatic",
    "contrasty": "dramatic", "epic": "dramatic",
    "serene": "serene", "calm": "serene", "peaceful": "serene", "tranquil": "serene", "quiet": "serene",
    "still": "serene", "restful": "serene",
    "bright": "bright", "airy": "bright", "light and airy": "bright", "cheerful": "bright", "fresh": "bright",
    "high key": "bright", "warm": "warm", "golden": "warm", "cool": "cool", "cold": "cool",
    "mysterious": "mysterious", "eerie": "mysterious", "spooky": "mysterious", "romantic": "romantic",
    "dreamy": "romantic", "elegant": "elegant", "minimal": "minimal", "minimalist": "minimal", "clean": "minimal",
    "grand": "grand", "majestic": "grand", "monumental": "grand", "imposing": "grand", "intimate": "intimate",
    "melancholy": "melancholic", "melancholic": "melancholic", "sombre": "melancholic", "somber": "melancholic",
    "lonely": "melancholic", "nostalgic": "nostalgic", "vintage": "nostalgic",
}  # fmt: skip
# A mood suggests a time of day when the intent names none.
MOOD_TIME = {
    "moody": "dusk", "cosy": "dusk", "dramatic": "golden_hour", "serene": "morning", "bright": "noon",
    "warm": "golden_hour", "romantic": "golden_hour", "mysterious": "blue_hour", "melancholic": "blue_hour",
    "cool": "blue_hour",
}  # fmt: skip

# "take a picture": the photograph, not a painting.
PHOTO_VERBS = frozenset("take taking took make get snap shoot want need capture grab".split())
PHOTO_NOUNS = frozenset({"picture", "pictures", "print"})

TILT = ("dutch angle", "dutch tilt", "canted", "tilted", "tilted horizon", "skewed")

# Words that carry no request of their own (verbs, photo nouns, pronouns, praise). Anything else the
# parser cannot place is reported as unread.
FILLER = frozenset(
    """a an the this that these those it its them they their there here of to in into on at for from with
    and or but as is are be been being please i we you me us my our your want would like could can should
    make take get give show shoot shooting photograph photographing capture capturing snap frame framed
    framing compose composed composition render photo photos picture pictures image shot shots view
    portrait some any so very really just nice beautiful lovely good great stunning gorgeous pretty
    perfect amazing interesting best well while where when how what which who one its own up down out
    let lets let's try using use showing shows focus focused on onto toward towards scene room space
    whole full mood feel feeling vibe atmosphere light lighting lit look looking seen see time
    angle lens frame framed""".split()
)
