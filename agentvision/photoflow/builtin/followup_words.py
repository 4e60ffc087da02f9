"""How people ask to change the last shot ("lower the camera", "a bit to the left"), as data.

Read by :mod:`agentvision.photoflow.builtin.followups`; fields a first request can also set
(lens, aspect, angle...) are read with the tables of :mod:`photo_words`.
"""

from __future__ import annotations

# phrase -> (move, default amount): a Direction kind of agentvision.photoflow.records, with its amount
# as the built-in Director reads it (closer/farther: fraction of the distance; raise/lower: metres;
# orbit: degrees around the subject, positive to the camera's right; lenses: fraction of the focal length).
REFINE_MOVES: dict[str, tuple[str, float]] = {
    "lower": ("lower", 0.5),
    "go lower": ("lower", 0.5),
    "get lower": ("lower", 0.5),
    "move down": ("lower", 0.5),
    "crouch": ("lower", 0.5),
    "crouch down": ("lower", 0.5),
    "get down": ("lower", 0.5),
    "higher": ("raise", 0.5),
    "raise": ("raise", 0.5),
    "go higher": ("raise", 0.5),
    "get higher": ("raise", 0.5),
    "move up": ("raise", 0.5),
    "stand up": ("raise", 0.5),
    "closer": ("closer", 0.25),
    "get closer": ("closer", 0.25),
    "move closer": ("closer", 0.25),
    "step closer": ("closer", 0.25),
    "come closer": ("closer", 0.25),
    "move in": ("closer", 0.25),
    "step in": ("closer", 0.25),
    "push in": ("closer", 0.25),
    "tighter": ("closer", 0.25),
    "nearer": ("closer", 0.25),
    "step back": ("farther", 0.3),
    "back up": ("farther", 0.3),
    "move back": ("farther", 0.3),
    "pull back": ("farther", 0.3),
    "further back": ("farther", 0.3),
    "farther back": ("farther", 0.3),
    "further away": ("farther", 0.3),
    "farther away": ("farther", 0.3),
    "wider": ("farther", 0.3),
    "looser": ("farther", 0.3),
    "zoom in": ("longer_lens", 0.4),
    "longer lens": ("longer_lens", 0.4),
    "longer": ("longer_lens", 0.4),
    "zoom out": ("wider_lens", 0.3),
    "wider lens": ("wider_lens", 0.3),
    "wider angle": ("wider_lens", 0.3),
    "more to the left": ("orbit", -20.0),
    "further left": ("orbit", -20.0),
    "farther left": ("orbit", -20.0),
    "move left": ("orbit", -20.0),
    "step left": ("orbit", -20.0),
    "go left": ("orbit", -20.0),
    "orbit left": ("orbit", -20.0),
    "circle left": ("orbit", -20.0),
    "more to the right": ("orbit", 20.0),
    "further right": ("orbit", 20.0),
    "farther right": ("orbit", 20.0),
    "move right": ("orbit", 20.0),
    "step right": ("orbit", 20.0),
    "go right": ("orbit", 20.0),
    "orbit right": ("orbit", 20.0),
    "circle right": ("orbit", 20.0),
}
# Tilting with the subject held in frame moves the subject the other way: tilt up puts it lower.
REFINE_TILTS: dict[str, str] = {
    "tilt up": "lower_third",
    "tilt the camera up": "lower_third",
    "tilt down": "upper_third",
    "tilt the camera down": "upper_third",
}
# How much of a move: "a bit lower" is half the default step, "much closer" twice it.
REFINE_SCALE: dict[str, float] = {
    "a bit": 0.5,
    "a little": 0.5,
    "a little bit": 0.5,
    "slightly": 0.5,
    "a touch": 0.5,
    "a tad": 0.5,
    "much": 2.0,
    "a lot": 2.0,
    "way": 2.0,
    "lots": 2.0,
    "even": 1.0,
    "bit": 0.5,
}
# Words a follow-up may use around what it asks for ("now try it a bit lower, please").
REFINE_FILLER = frozenset(
    "camera now again instead then more go move same but keep bit put place set switch change".split()
)
