"""Looking along a thing: "look straight down the length of the flight", "looking up the stairs from the front
door", "shoot along the colonnade to the villa". The camera faces along the thing's long axis, from the end it
stands at toward the other: the way from the place to stand named to the thing; else down or up the thing's slope
(a staircase's foot is its low end); else toward the subject, when the thing is another. A compass direction said
wins ("look due west down the length of the room"). The direction is inferred, not said, so the Reviewer holds
it as a wish: where no free spot looks along the thing, the nearest view still counts."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from agentvision.photoflow.blueprint import FACINGS, Blueprint
from agentvision.photoflow.builtin import object_words, photo_words
from agentvision.photoflow.builtin.objects import Mention, ObjectIndex, compass_vector
from agentvision.photoflow.builtin.words import Words
from agentvision.scene.model import Scene
from agentvision.scene.queries import low_end

ALONG_WORDS = ("down", "up", "along")
# between "down" and the thing: "down the length of the flight", "along the line of the benches"
BEFORE_THE_THING = frozenset({"the", "a", "its", "length", "line", "of", "whole", "entire"})
VERB_REACH = 4  # tokens between the verb and "down": "look straight down", "look due north along"
VERB_TO_WAY = photo_words.FACING_BETWEEN | frozenset(photo_words.COMPASS)  # the words those tokens may be
THING_REACH = 5  # tokens from "down" to the thing's name
SIDEWAYS = 0.2  # of the thing's length: a place to stand this near its middle says neither end


def compass_of(xy) -> str:
    """The compass direction (FACINGS) nearest an XY direction (+X east, +Y north)."""
    degrees = math.degrees(math.atan2(float(xy[1]), float(xy[0])))
    return FACINGS[round((90.0 - degrees) / 45.0) % 8]


def _the_thing(w: Words, i: int, mentions: list[Mention], ix: ObjectIndex) -> tuple[str, int, int] | None:
    """The thing looked along from "down" at token ``i``, and where the words about it start and end, after a verb
    of looking: ("staircase", index of "look", index after "flight") for "look straight down the length of the
    flight"."""
    j = i - 1
    while j >= 0 and i - j <= VERB_REACH and w.toks[j] in VERB_TO_WAY:
        j -= 1
    if j < 0 or w.toks[j] not in photo_words.FACING_VERBS:
        return None
    for m in mentions:
        between = w.toks[i + 1 : m.start]
        if i < m.start <= i + THING_REACH and m.objects and all(t in BEFORE_THE_THING for t in between):
            thing = m.objects[0]
            if ix.label.get(thing) in object_words.ROOM_SHELL or thing not in ix.bounds:
                return None
            return thing, j, m.end
    if w.toks[i + 1 : i + 2] == ["it"]:  # "get down at the end of the sofa n shoot along it": the thing just named
        named = [m for m in mentions if m.end <= j and m.objects and m.objects[0] in ix.bounds]
        if named and ix.label.get(named[-1].objects[0]) not in object_words.ROOM_SHELL:
            return named[-1].objects[0], j, i + 2
    return None


ADJOINS = 0.3  # metres: a place this near a flight's box is beside its end (a landing at its top)


def _adjoins(ix: ObjectIndex, place: str, thing: str) -> bool:
    """The place's box touches the thing's, seen from above (within ADJOINS)."""
    (alo, ahi), (blo, bhi) = ix.bounds[place], ix.bounds[thing]
    gap = np.maximum(0.0, np.maximum(alo[:2] - bhi[:2], blo[:2] - ahi[:2]))
    return float(np.hypot(*gap)) <= ADJOINS


def _way(
    bp: Blueprint, thing: str, word: str, ix: ObjectIndex, low, end_by: str | None = None
) -> tuple[np.ndarray, str] | None:
    """The XY direction along the thing's long axis the camera looks, and why; ``low``: the XY direction toward its
    low end (queries.low_end), None for a level thing."""
    lo, hi = ix.bounds[thing]
    extent = (hi - lo)[:2]
    axis = np.eye(2)[int(np.argmax(extent))]
    length, centre = float(extent @ axis), (lo[:2] + hi[:2]) / 2
    for place in (end_by, bp.viewpoint):  # the end said ("from the end by the sofa"), else the place to stand
        if place and place != thing and place in ix.bounds:
            ahead = float((centre - ix.centre(place)[:2]) @ axis)
            if abs(ahead) > SIDEWAYS * length:
                return math.copysign(1.0, ahead) * axis, f"from the {place.replace('_', ' ')}"
    if word in ("down", "up") and low is not None:
        return (low if word == "down" else -low), f"{word} its slope"
    subject = bp.subjects[0]
    if thing != subject and subject in ix.bounds:
        ahead = float((ix.centre(subject)[:2] - centre) @ axis)
        if abs(ahead) > SIDEWAYS * length:
            return math.copysign(1.0, ahead) * axis, f"toward the {subject.replace('_', ' ')}"
    return None


@dataclass(frozen=True)
class Along:
    """A phrase of looking along a thing, as said."""

    thing: str
    word: str  # down, up or along
    said: str
    end_by: str | None = None  # "from the end by the sofa": the thing beside the end the camera looks from


END_BY = frozenset({"by", "near", "nearest", "beside", "next", "closest"})  # "the end by the sofa", "next to"


def _end_by(w: Words, start: int, mentions: list[Mention], thing: str) -> tuple[str, int, int] | None:
    """ "shoot along the bookshelf from the end by the sofa": the thing named after "from/at the end by", within a few
    words of the looking phrase ending at ``start``, with where its words start and end."""
    t = w.toks
    for i in range(start, min(len(t), start + THING_REACH)):
        if t[i] in ("from", "at") and t[i + 1 : i + 3] == ["the", "end"] and t[i + 3 : i + 4] and t[i + 3] in END_BY:
            m = next((m for m in mentions if i + 4 <= m.start <= i + 6 and m.objects), None)
            if m is not None and m.objects[0] != thing:
                return m.objects[0], i, m.end
    return None


def find_along(w: Words, mentions: list[Mention], ix: ObjectIndex) -> Along | None:
    """The first "look down / up / along the X" in the intent, its words taken."""
    for i, word in enumerate(w.toks):
        straight_up = i and (w.toks[i - 1], word) in photo_words.STRAIGHT_UP  # a worm's-eye view, not along it
        found = _the_thing(w, i, mentions, ix) if word in ALONG_WORDS and not straight_up else None
        if found is not None:
            thing, start, end = found
            w.take(start, end)
            by = _end_by(w, end, mentions, thing)
            if by is not None:
                w.take(by[1], by[2])
            return Along(thing, word, " ".join(w.toks[start:end]), by[0] if by else None)
    return None


def look_along(bp: Blueprint, along: Along | None, ix: ObjectIndex, scene) -> None:
    """Sets ``bp.facing`` from a phrase of looking along a thing, with a note, unless a compass direction was said;
    a phrase whose end to look from nothing says is noted."""
    if along is None:
        return
    if bp.facing:
        _walk_along(bp, along, ix)
        return
    low = low_end(scene, along.thing) if isinstance(scene, Scene) else None
    way = _way(bp, along.thing, along.word, ix, low, along.end_by)
    level_subject = along.thing in bp.subjects and low is None and ix.label.get(along.thing) not in WALKED
    if way is not None and along.end_by and level_subject and not bp.vantage:
        bp.vantage = "raking"  # "shoot along the bookshelf from the end by the sofa": from that end, along it
        bp.explicit.append("vantage")
    if way is None and level_subject:
        # "shoot along the sofa": from near one of its ends, its length running away from the camera; a raking
        # view (seen square from its end, a sofa is only its arm; at 45 degrees, the rows of a bookshelf had not
        # run off into the distance)
        if not bp.vantage:
            bp.vantage = "raking"
            bp.explicit.append("vantage")
        said = f"'{along.said}' -> the camera looks along the {along.thing} from one end"
        bp.notes.append(f"{said}: vantage {bp.vantage.replace('_', '-')}")
        return
    if way is None:
        bp.notes.append(f"'{along.said}': which end to look from is not said; name where to stand")
        return
    bp.facing = compass_of(way[0])  # inferred, not said: a soft rule (not in ``explicit``)
    bp.notes.append(f"'{along.said}' -> the camera looks along the {along.thing} ({way[1]}), facing {bp.facing}")
    if low is not None and bp.viewpoint not in (None, along.thing) and _adjoins(ix, bp.viewpoint, along.thing):
        # "stand on the landing ... look down the flight": at the flight's top, in line with it, not anywhere on
        # the landing (a step back, the landing's floor filled the lower half of the frame)
        end = "top" if float(low @ way[0]) > 0 else "bottom"
        bp.notes.append(
            f"'{along.said}': the camera stands at the {end} of the {along.thing}, next to the {bp.viewpoint}"
        )
        bp.viewpoint, bp.viewpoint_part = along.thing, end
    if along.word == "down" and bp.angle == "eye_level" and low is not None and float(low @ way[0]) > 0:
        # "at eye height ... look down the length of the flight": from its top, a level camera sees over the flight
        bp.angle = "high"
        bp.notes.append(f"'{along.said}': from its top the camera looks down along it, a high angle")


WALKED = frozenset({"landing", "lawn", "paving", "path", "terrace", "balcony", "roof", "corridor", "hall"})


def _walk_along(bp: Blueprint, along: Along, ix: ObjectIndex) -> None:
    """ "Go up onto the landing ... look due north along the landing": a place one stands on, photographed along
    its length, is seen from on it, at the end the camera looks away from (it had been shot from the hall below)."""
    if bp.viewpoint or along.thing not in bp.subjects or ix.label.get(along.thing) not in WALKED:
        return
    lo, hi = ix.bounds[along.thing]
    axis = int(np.argmax((hi - lo)[:2]))
    ahead = float(compass_vector(bp.facing)[axis])
    if abs(ahead) < 1e-6:
        return  # looking across it, not along it
    back = ("west", "east")[int(ahead < 0)] if axis == 0 else ("south", "north")[int(ahead < 0)]
    bp.viewpoint, bp.viewpoint_part = along.thing, back
    bp.notes.append(f"'{along.said}': the camera stands on the {along.thing}, at its {back} end")


LINED_UP = (("line", "up"), ("lined", "up"), ("line", "them", "up"), ("one", "behind", "the", "other"), ("in", "line"))


def find_lined_up(w: Words) -> str | None:
    """ "Line up the 2 lamp posts so the near one is big": the words asking for things one behind the other, taken."""
    for s, e, _ in w.find({k: True for k in LINED_UP}):
        return w.take(s, e)
    return None


def look_down_the_line(bp: Blueprint, said: str | None, ix: ObjectIndex) -> None:
    """Things lined up one behind the other: the camera looks along the line the subjects lie nearest to (through two;
    for three or more the axis along which they spread most, so they stand closest behind each other), as a soft
    facing unless a direction was said, into the scene (toward the middle of all its things), so the near one stands
    big before the far one. Three sculptures in a triangle had been looked at along the line of the first two, the
    third far off to the side and cut by the long lens."""
    if said is None or bp.facing or len(bp.subjects) < 2 or not all(s in ix.bounds for s in bp.subjects):
        return
    centres = np.array([ix.centre(s)[:2] for s in bp.subjects])
    spread = centres - centres.mean(axis=0)
    if float(np.abs(spread).max()) < 1e-6:
        return
    way = np.linalg.svd(spread, full_matrices=False)[2][0]  # the principal axis of the subjects' centres
    middle = np.mean([ix.centre(n)[:2] for n in ix.bounds], axis=0)
    if float((middle - centres.mean(axis=0)) @ way) < 0:
        way = -way
    bp.facing = compass_of(way)
    bp.notes.append(
        f"'{said}' -> the camera looks along the line of the {' and '.join(bp.subjects)}, facing "
        f"{bp.facing.replace('_', '-')}"
    )
