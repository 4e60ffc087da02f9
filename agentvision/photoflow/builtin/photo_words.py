"""How people ask for a camera and a light in a photo request, as data: angle, shot size, lens,
placement, aspect, depth of field, time of day, mood, and the words that carry no request.

Phrases are lower case, words separated by single spaces (see :mod:`object_words`).
"""

from __future__ import annotations

# ----- camera and light ---------------------------------------------------------------------
ANGLES: dict[str, str] = {
    "from below": "low",
    "low angle": "low",
    "low down": "low",
    "worm's eye": "low",
    "worms eye": "low",
    "worm eye": "low",
    "looking up": "low",
    "from the ground": "low",
    "from ground level": "low",
    "from floor level": "low",
    "from the floor": "low",
    "up at": "low",
    "from beneath": "low",
    "from low": "low",
    "low": "low",
    "down low": "low",
    "from down low": "low",
    "low to the ground": "low",
    "close to the ground": "low",
    "close to the floor": "low",
    "crouching": "low",
    "crouched": "low",
    "get down": "low",  # "get down at the end of the sofa n shoot along it"
    "getting down": "low",
    "at floor level": "low",
    "knee height": "low",
    "seat height": "low",  # "shot low at about seat height": not the armchair
    "seat level": "low",
    "knee level": "low",
    "ground level": "low",
    "near the ground": "low",
    "near the floor": "low",
    "slightly below": "low",
    "from slightly below": "low",
    "from just below": "low",
    "a little below": "low",
    "near the pavement": "low",
    "pavement level": "low",
    "street level": "low",
    "high": "high",
    "from up top": "high",
    "from above": "high",
    "high angle": "high",
    "looking down": "high",
    "from up high": "high",
    "from high": "high",
    "down on": "high",
    "elevated": "high",
    "aerial": "high",
    "bird's eye": "top_down",
    "birds eye": "top_down",
    "bird eye": "top_down",
    "top down": "top_down",
    "overhead": "top_down",
    "straight down": "top_down",
    "plan view": "top_down",
    "flat lay": "top_down",
    "from directly above": "top_down",
    "eye level": "eye_level",
    "eye height": "eye_level",
    "at standing height": "eye_level",
}
# Where around the subject the camera stands (blueprint.VANTAGES): phrases that place the camera without
# naming an object to stand at ("from the doorway" names one: that is a viewpoint, read as a relation).
VANTAGES: dict[str, str] = {
    "straight on": "front",
    "head on": "front",
    "face on": "front",
    "front on": "front",
    "square on": "front",
    "frontal": "front",
    "frontally": "front",
    "from the front": "front",
    "from in front": "front",
    "from straight ahead": "front",
    "three quarter": "three_quarter",
    "three quarters": "three_quarter",
    "three quarter view": "three_quarter",
    "three quarter front": "three_quarter",
    "three quarter front view": "three_quarter",
    "front three quarter": "three_quarter",
    "corner on": "three_quarter",  # "the building, corner on so u see 2 sides"
    "see two sides": "three_quarter",
    "see 2 sides": "three_quarter",
    "from behind": "back",
    "from the back": "back",
    "from the rear": "back",
    "back of": "back",  # "back of the milk truck straight on": its back, seen square
    "rear of": "back",
    "from the side": "side",
    "side on": "side",
    "side view": "side",
    "in profile": "side",
    "profile": "side",
    "from across the room": "across",
    "across the room": "across",
    "from across": "across",
    "across": "across",
    "from the other side": "across",
    "from the far side": "across",
    "from the far end": "across",
    "from the back of the room": "across",
    "from the far corner": "corner",
    "from the corner": "corner",
    "from a corner": "corner",
    "from the corner of the room": "corner",
}
# Words that ask for the background out of focus when they follow an object ("the sofa soft in the background").
BLUR_WORDS: dict[str, str] = {
    "soft": "shallow",
    "blurred": "shallow",
    "blurry": "shallow",
    "out of focus": "shallow",
    "defocused": "shallow",
    "soft focus": "shallow",
}
# Words that ask for lamps to be lit: with no time of day stated, the time becomes dusk (lamps are on at dusk).
LIGHTS_ON = ("glowing", "glow", "lit", "lit up", "switched on", "turned on", "illuminated", "shining")
# "the milk truck parked small on the right third", "the chair tiny in the frame": a size word that describes no
# object says how much of the frame the subject takes: an establishing shot, the place around it large.
SMALL_IN_FRAME = frozenset(("small", "tiny"))
SMALL_AFTER = frozenset("in on at within against among , . ; and with".split())
STILL_LIFE = "still life"  # the genre: a few small things close, what they stand among as their setting
SHOT_SIZES: dict[str, str] = {
    STILL_LIFE: "medium",
    "close ish": "medium",  # "a close-ish pic": nearer than the room view, not a detail
    "closeish": "medium",
    "fairly close": "medium",
    "pretty close": "medium",
    "quite close": "medium",
    "nice and close": "close_up",
    "close enough to see": "close_up",  # "close enough to see the worn paint": the detail, not the room
    "close enough": "close_up",
    "close up": "close_up",
    "closeup": "close_up",
    "close shot": "close_up",
    "up close": "close_up",
    "detail": "close_up",
    "details": "close_up",
    "detail shot": "close_up",
    "tight": "close_up",
    "tightly": "close_up",
    "macro": "close_up",
    "close in": "close_up",
    "close on": "close_up",  # "close on the post at the top of the stairs"
    "zoom in": "close_up",  # "zoom in on one of the upstairs windows"
    "zoomed in": "close_up",
    "fill the frame": "close_up",
    "fills the frame": "close_up",
    "filling the frame": "close_up",
    "filling most of": "medium",
    "fills most of": "medium",
    "fill most of": "medium",
    "medium shot": "medium",
    "mid shot": "medium",
    "medium": "medium",
    "waist up": "medium",
    "wide": "wide",
    "wide shot": "wide",
    "wide view": "wide",
    "whole room": "wide",
    "entire room": "wide",
    "full view": "wide",
    "full length": "wide",
    "in full": "wide",
    "long shot": "wide",
    "all of": "wide",
    "establishing": "establishing",
    "establishing shot": "establishing",
    "wide establishing": "establishing",  # not "wide", then "establishing" ignored
    "wide establishing shot": "establishing",
    "overview": "establishing",
    "the whole scene": "establishing",
    "whole scene": "establishing",
    "panorama": "establishing",
    "panoramic": "establishing",
    "pano": "establishing",  # "one super wide pano"
}
LENSES: dict[str, str] = {
    "wide angle": "wide",
    "wide lens": "wide",
    "wideangle": "wide",
    "ultra wide": "wide",
    "super wide": "wide",
    "superwide": "wide",
    "fisheye": "wide",
    "fish eye": "wide",
    "telephoto": "tele",
    "tele": "tele",
    "long lens": "tele",
    "zoom lens": "tele",
    "zoomed in": "tele",
    "portrait lens": "tele",
    "compressed": "tele",
    "compression": "tele",
    "normal lens": "normal",
    "standard lens": "normal",
    "nifty fifty": "normal",
    "natural perspective": "normal",
}
LENS_PHRASE_MM = {
    "ultra wide": 16.0,
    "super wide": 16.0,
    "superwide": 16.0,
    "fisheye": 12.0,
    "fish eye": 12.0,
    "nifty fifty": 50.0,
}
# "about 1.7 m high", "camera at 0.4 m": the camera's height above the ground, read as the angle it makes
METRE_UNITS = frozenset("m metre metres meter meters".split())
HEIGHT_AFTER = frozenset("high up above off".split())  # "1.7 m high", "2 m up", "0.5 m above the ground"
# what a height is measured from ("1 m off the paving", "0.5 m above the floor"): where the camera is, not a subject
HEIGHT_GROUND = frozenset("floor ground paving pavement pavers grass lawn street road deck tiles sand".split())
HEIGHT_BEFORE = frozenset("height camera eye lens tripod".split())  # "camera at about 1.1 m", "eye height (1.1 m)"
# after a number in metres, words that make it a distance ("about 2 m west of the low wall", "3 m away from", "5 m
# back"), not the camera's height, even after "camera"
DISTANCE_AFTER = frozenset("away from behind beyond back past along".split())
FOCAL_UNITS = frozenset("mm millimetre millimetres millimeter millimeters mil".split())

PLACEMENT_PHRASES: dict[str, str] = {
    "on the left third": "left_third",
    "in the left third": "left_third",
    "on the right third": "right_third",
    "in the right third": "right_third",
    "on the lower third": "lower_third",
    "in the lower third": "lower_third",
    "on the left": "left_third",
    "to the left": "left_third",
    "left third": "left_third",
    "left of frame": "left_third",
    "left of the frame": "left_third",
    "left side": "left_third",
    "at the left": "left_third",
    "frame left": "left_third",
    "on the right": "right_third",
    "to the right": "right_third",
    "right third": "right_third",
    "right of frame": "right_third",
    "right of the frame": "right_third",
    "right side": "right_third",
    "at the right": "right_third",
    "frame right": "right_third",
    "centred": "center",
    "centered": "center",
    "in the centre": "center",
    "in the center": "center",
    "in the middle": "center",
    "symmetrical": "center",
    "symmetric": "center",
    "symmetry": "center",
    "dead centre": "center",
    "dead center": "center",
    "central": "center",
    "centre frame": "center",
    "rule of thirds": "left_third",
    "on a third": "left_third",
    "on the thirds": "left_third",
    "off centre": "left_third",
    "off center": "left_third",
    "leading lines": "leading",
    "leading line": "leading",
    "leading into the frame": "leading",
    "leading in": "leading",
    "leads into the frame": "leading",
    "lead the eye": "leading",
    "leads the eye": "leading",
    "leading the eye": "leading",
    "diagonal": "leading",
    "low in the frame": "lower_third",
    "lower third": "lower_third",
    "bottom third": "lower_third",
    "bottom of the frame": "lower_third",
    "at the bottom": "lower_third",
    "high in the frame": "upper_third",
    "upper third": "upper_third",
    "top third": "upper_third",
    "top of the frame": "upper_third",
    "at the top": "upper_third",
}

PORTRAIT = ["4:5", "2:3", "9:16"]
LANDSCAPE = ["3:2", "4:3", "16:9"]
ASPECT_PHRASES: dict[str, list[str]] = {
    "portrait orientation": PORTRAIT,
    "portrait format": PORTRAIT,
    "portrait mode": PORTRAIT,
    "in portrait": PORTRAIT,
    "portrait": PORTRAIT,
    "vertical": PORTRAIT,
    "vertically": PORTRAIT,
    "upright": PORTRAIT,
    "tall frame": PORTRAIT,
    "story": ["9:16"],
    "stories": ["9:16"],
    "landscape orientation": LANDSCAPE,
    "landscape format": LANDSCAPE,
    "landscape": LANDSCAPE,
    "horizontal": LANDSCAPE,
    "horizontally": LANDSCAPE,
    "square": ["1:1"],
    "square format": ["1:1"],
    "instagram": ["4:5", "1:1"],
    "cinematic": ["21:9", "16:9"],
    "widescreen": ["21:9", "16:9"],
    "anamorphic": ["21:9"],
    "letterbox": ["21:9"],
    "film still": ["21:9", "16:9"],
}

DEPTHS: dict[str, str] = {
    "shallow depth of field": "shallow",
    "shallow dof": "shallow",
    "shallow focus": "shallow",
    "bokeh": "shallow",
    "blurred background": "shallow",
    "blurry background": "shallow",
    "background blur": "shallow",
    "blur the background": "shallow",
    "soft background": "shallow",
    "wide open": "shallow",
    "shallow": "shallow",
    "dreamy blur": "shallow",
    "everything sharp": "deep",
    "everything in focus": "deep",
    "all in focus": "deep",
    "deep focus": "deep",
    "deep depth of field": "deep",
    "front to back": "deep",
    "sharp throughout": "deep",
    "tack sharp": "deep",
}

# Time phrases beyond agentvision.scene.lighting.TIMES / ALIASES (which the parser also reads).
TIMES_EXTRA: dict[str, str] = {
    "golden hr": "golden_hour",  # "golden hr, close on the post"
    "blue hr": "blue_hour",
    "first light": "dawn",
    "daybreak": "dawn",
    "break of day": "dawn",
    "early morning": "dawn",
    "in the morning": "morning",
    "mid morning": "morning",
    "late morning": "morning",
    "lunchtime": "noon",
    "high noon": "noon",
    "broad daylight": "noon",
    "daylight": "noon",
    "sunny": "noon",
    "late afternoon": "golden_hour",
    "magic hour": "golden_hour",
    "sundown": "golden_hour",
    "in the evening": "dusk",
    "nightfall": "dusk",
    "gloaming": "dusk",
    "after sunset": "blue_hour",
    "after dark": "night",
    "moonlight": "night",
    "moonlit": "night",
    "by moonlight": "night",
    "at night": "night",
    "night time": "night",
    "lights on": "dusk",
}
# ALIASES keys that are colour words here ("the blue painting") rather than times.
TIME_ALIAS_SKIP = frozenset({"blue", "golden"})
# Clock hours -> preset: the first (hour_below, preset) whose hour is above the time said.
HOURS = (
    (5, "night"),
    (7, "dawn"),
    (11, "morning"),
    (14, "noon"),
    (17, "afternoon"),
    (19, "golden_hour"),
    (20, "dusk"),
    (21, "blue_hour"),
    (24.01, "night"),
)
TIME_PREPOSITIONS = frozenset("at during around by in".split())
WEATHER = frozenset(
    "rain rainy fog foggy mist misty snow snowy overcast cloudy storm stormy winter summer autumn spring".split()
)

MOODS: dict[str, str] = {
    "moody": "moody",
    "soft light": "serene",
    "soft lighting": "serene",
    "soft": "serene",
    "gentle light": "serene",
    "brooding": "moody",
    "atmospheric": "moody",
    "low key": "moody",
    "dark and moody": "moody",
    "cosy": "cosy",
    "cozy": "cosy",
    "snug": "cosy",
    "homely": "cosy",
    "inviting": "cosy",
    "hygge": "cosy",
    "dramatic": "dramatic",
    "striking": "dramatic",
    "bold": "dramatic",
    "high contrast": "dramatic",
    "contrasty": "dramatic",
    "epic": "dramatic",
    "serene": "serene",
    "calm": "serene",
    "peaceful": "serene",
    "tranquil": "serene",
    "quiet": "serene",
    "still": "serene",
    "restful": "serene",
    "bright": "bright",
    "airy": "bright",
    "light and airy": "bright",
    "cheerful": "bright",
    "fresh": "bright",
    "high key": "bright",
    "warm": "warm",
    "golden": "warm",
    "cool": "cool",
    "cold": "cool",
    "mysterious": "mysterious",
    "eerie": "mysterious",
    "spooky": "mysterious",
    "romantic": "romantic",
    "dreamy": "romantic",
    "elegant": "elegant",
    "minimal": "minimal",
    "minimalist": "minimal",
    "clean": "minimal",
    "grand": "grand",
    "majestic": "grand",
    "monumental": "grand",
    "imposing": "grand",
    "intimate": "intimate",
    "melancholy": "melancholic",
    "melancholic": "melancholic",
    "sombre": "melancholic",
    "somber": "melancholic",
    "lonely": "melancholic",
    "nostalgic": "nostalgic",
    "vintage": "nostalgic",
}
# A mood suggests a time of day when the intent names none.
MOOD_TIME = {
    "moody": "dusk",
    "cosy": "dusk",
    "dramatic": "golden_hour",
    "serene": "morning",
    "bright": "noon",
    "warm": "golden_hour",
    "romantic": "golden_hour",
    "mysterious": "blue_hour",
    "melancholic": "blue_hour",
    "cool": "blue_hour",
}

# "take a picture": the photograph, not a painting.
PHOTO_VERBS = frozenset("take taking took make get snap shoot want need capture grab".split())
PHOTO_NOUNS = frozenset({"picture", "pictures", "print", "poster", "posters"})

# Straight verticals asked for: a level sensor and a shifted lens also at a low or high angle (Blueprint.upright).
UPRIGHT = (
    "verticals straight",
    "straight verticals",
    "verticals dead straight",
    "verticals kept straight",
    "verticals parallel",
    "parallel verticals",
    "vertical lines straight",
    "straight vertical lines",
    "no converging verticals",
    "no converging lines",
    "no keystoning",
)
TILT = ("dutch angle", "dutch tilt", "canted", "tilted", "tilted horizon", "skewed")
# "tilted down about 35 degrees", "tilt down 10 deg", "pointing up 20°": the camera's pitch (blueprint.pitch_deg)
PITCH_LEADS = frozenset(
    """tilted tilt tilting tipped angled pointing pointed point aimed aim aiming looking look looks shoot
    shooting""".split()
)
PITCH_WAYS = {"down": -1.0, "downward": -1.0, "downwards": -1.0, "up": 1.0, "upward": 1.0, "upwards": 1.0}
PITCH_ABOUT = frozenset("about around roughly approximately some by just nearly almost".split())
DEGREE_WORDS = frozenset("degrees degree deg".split())
# "a slight upward tilt is fine", "tilted slightly down so the slats of the seat read": a few degrees, no number said
SLIGHT_PITCH = 6.0
ALLOWED_AFTER = frozenset({"fine", "ok", "okay", "allowed", "acceptable"})  # "... is fine": allowed, not asked
SLIGHT_UP = (
    "slight upward tilt",
    "slight up tilt",
    "tilted slightly up",
    "tilt slightly up",
    "slightly tilted up",
    "tilted slightly upward",
    "angled slightly up",
    "tilted gently up",  # "camera at 1.2 m and tilted gently down": it had read as a tilted horizon
    "tilt gently up",
    "gently tilted up",
)
SLIGHT_TILTS = {p: SLIGHT_PITCH for p in SLIGHT_UP} | {p.replace("up", "down"): -SLIGHT_PITCH for p in SLIGHT_UP}
# "shoot straight up the trunk into the leaves", "look straight up into the skylight": a worm's-eye view, steeply up
STRAIGHT_UP = frozenset({("straight", "up"), ("directly", "up"), ("right", "up"), ("vertically", "up")})
STRAIGHT_UP_PITCH = 70.0  # degrees: steep, with a little of what stands around the subject still in the frame
LOOK_UP_VERBS = PITCH_LEADS | frozenset("look shoot shooting point aim".split())

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
    angle lens frame framed together""".split()
)

# ----- the compass direction the camera faces ---------------------------------------------------
# "look west back through the doorway", "shoot due north", "facing north-east", "with your back to the south wall"
# (blueprint.facing). A compass word right after a verb of looking (and these few words between) is the way the
# camera faces; "shoot the north side of the villa" names a side of a thing, and is not read here.
FACING_VERBS = frozenset(
    """look looking looks aim aiming point pointing pointed face facing shoot shooting turn turned
    view perspective""".split()
)
FACING_BETWEEN = frozenset(
    "due straight directly diagonally toward towards to into out at the back round around".split()
)
# "across the room to the ...", "shoot back across the open hall to the south wall"
# verbs of a thing's extent before "across": "a long shadow stretching across the pavement" (not a vantage)
SPREADING = frozenset(
    """stretching stretches stretched running runs lying lies falling falls cast casting spread spreading spreads
    hanging hangs reaching reaches laid""".split()
)
FACING_ACROSS = frozenset("across over the room space hall courtyard gallery plaza open whole entire empty".split())
# words that may follow the compass word: "look east straight through the doorway"
FACING_AFTER = frozenset("back and along across straight directly down up over past again out toward towards".split())
COMPASS = {"east": (1.0, 0.0), "north": (0.0, 1.0), "west": (-1.0, 0.0), "south": (0.0, -1.0)}  # +X east, +Y north
COMPASS_POINTS = ("north", "east", "south", "west")  # and their pairs: "north east", "north-east", "northeast"
# parts of the photograph: "the edges of the picture", "the top of the image"
FRAME_PARTS = frozenset("edge edges side sides top bottom corner corners centre center middle half third".split())
COMPASS_SHORT = {"ne": "north_east", "nw": "north_west", "se": "south_east", "sw": "south_west"}  # "the SE corner"
COMPASS_SUFFIXES = ("wards", "ward", "ern", "erly")  # "northwards", "northern", "northerly"
# A place word after the compass word that still says the way the camera faces ("facing the north wall", "into the
# north-east corner"); any other word names a thing's side ("shoot the north side of the villa").
FACING_PLACES = frozenset("wall walls corner end windows window".split())
BACK_TO = (("back", "to"), ("back", "against"), ("backs", "to"))  # "with your back to the south wall"
# Where the camera stands, said as a compass side of the subject: "shoot the fountain from the east side", "seen from
# the north", "standing just west of it". These words place the camera; then maybe a word of distance, "the", the
# compass word, a side word, and "of it" (a thing named there is a place to stand: place_parts.read_parts).
SIDE_LEADS = (
    ("seen", "from"),
    ("viewed", "from"),
    ("shot", "from"),
    ("taken", "from"),
    ("photographed", "from"),
    ("from",),
    ("stand",),
    ("standing",),
    ("stood",),
    ("positioned",),
    ("placed",),
)
SIDE_NEAR = frozenset(
    """just directly due slightly somewhat immediately right a little bit about around roughly approximately some few
    couple of m metre metres meter meters feet ft foot steps step paces pace yards""".split()
)  # "just west of", "about 35 m north of", "a few steps east of"
SIDE_WORDS = frozenset("side sides end flank".split())
# after a thing: the frame may hold it, but need not ("table legs can be in", "the handrail may poke in")
ALLOWED_IN = tuple(
    tuple(p.split())
    for p in (
        "can be in",
        "may be in",
        "can be in the frame",
        "can come in",
        "may come in",
        "can poke in",
        "may poke in",
        "can show",
        "may show",
        "may just show",
        "is fine",
        "are fine",
        "is ok",
        "are ok",
        "is okay",
        "are okay",
    )
)
HEIGHT_BETWEEN = frozenset("low high down up".split())  # "from low near the bottom of the stairs"
# words that place the camera, a few words before a compass side of a thing ("put the camera on the grass about 2 m
# west of the low wall")
STAND_WORDS = frozenset("stand standing stood put place placed position positioned set camera tripod".split())
SIDE_PRONOUNS = frozenset("it them him her this that".split())

# "sittin in the armchair lookin out the window": casual verbs that drop their g, read as written in full
DROPPED_G = frozenset(
    "sittin lookin standin shootin crouchin kneelin peekin peepin gettin goin facin lyin takin comin starin gazin"
    " pointin aimin".split()
)

# "lie on the grass", "lying down on the rug": a camera at the ground, a low angle (the words stay for the relation
# that says where: intent.relation_roles reads "lie on" as the place to stand)
LYING = frozenset({"lie", "lying", "lay"})

# casual spellings read as written in full ("morning sun coming thru the window": the light's way, not a frame)
CASUAL_SPELLINGS = {"thru": "through", "u": "you", "ur": "your", "pls": "please", "plz": "please"}

# The subject on its own: the frame holds it (and what was asked with it), as little else as it can (Blueprint.alone).
ALONE = {
    k: True for k in ("on its own", "on their own", "by itself", "by themselves", "all alone", "alone", "nothing else")
}
# The subject whole ("whole frame in", "the whole post from base to lantern", "entire vehicle visible"): nothing cuts
# it or stands in front of it (Blueprint.whole); the shot size is left to the subject's size, not made wide.
WHOLE = {k: True for k in ("whole", "entire", "entirely")}
ALONE_BEFORE = frozenset({"just", "only"})  # "just the worn old bookshelf", unless a lamp said on ("just the lamp on")
