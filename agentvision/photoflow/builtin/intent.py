"""The built-in Director's intent parser: a photo request in plain words -> a :class:`Blueprint`.

``parse_intent("the red painting from below at dusk, 85mm", scene)`` reads the request in passes;
each pass consumes the words it understands (the phrases themselves live in
:mod:`agentvision.photoflow.builtin.vocabulary`):

1. numbers: focal lengths ("85mm", "a 35 millimetre lens"), f-numbers ("f/2.8"), aspect ratios
   ("16:9", "4x5"), clock times ("at 7pm");
2. phrase tables: tilt, lens, aspect, depth of field, angle, shot size, placement, time of day;
3. objects: runs of up to three words resolved to scene objects through names, labels, synonyms,
   plurals, part suffixes (``vase`` -> ``coffee_table``) and head words (``table`` ->
   ``coffee_table``); parts (``sofa_legs``) stand for their object (``sofa``). The words before an
   object (colours, materials, "tall", "left", "second", "two", "all") and after it ("2", "#2")
   choose among several candidates;
4. relations: the words between objects give each group of objects its role: the first free
   group is the subject ("and" adds context), "with"/"next to" context, "in the background"/
   "against" background, "through"/"framed by" through, "without"/"no"/"avoid" avoid;
5. mood words; whatever is left is reported in ``notes`` as unread.

Defaults for what the intent does not say:

- subjects: if no object is named but the scene is ("the living room"), the object nearest the
  scene's overview look-at point; if every object named has a relation, the first one named;
- time of day: noon, or the time a mood suggests (cosy/moody -> dusk, dramatic/warm/romantic ->
  golden hour, serene -> morning, mysterious -> blue hour; see ``MOOD_TIME``);
- shot size: wide for architecture (staircase, archway, fountain, ...; ``ARCHITECTURE``), for
  subjects at least 3 m across and for several subjects; close-up for subjects at most 0.35 m;
  medium otherwise;
- lens: from the shot size: close-up tele, medium normal, wide -> wide indoors and normal
  outdoors, establishing wide; a stated focal length sets the lens class;
- aspects: 4:5, 2:3, 3:2 for subjects more than 1.3x as tall as wide, else 3:2, 4:3, 16:9;
- depth of field: deep for wide and establishing shots, normal otherwise;
- angle eye level, placement centre, mood natural.

Left/right/near/far adjectives are measured from the scene's overview camera (``default_view``),
else from +X right and +Y forward. "on the left" is a placement; "the left bench" picks a bench.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from agentvision.camera import ASPECTS, HIGH_HEIGHT, LOW_HEIGHT, angle_of, lens_class, nearest_aspect
from agentvision.photoflow.blueprint import (
    FACINGS,
    MAX_DISTANCE,
    MAX_HEIGHT,
    MIN_DISTANCE,
    MIN_HEIGHT,
    OPPOSITE,
    Blueprint,
)
from agentvision.photoflow.builtin import object_words, photo_words
from agentvision.photoflow.builtin.along import find_along, find_lined_up, look_along, look_down_the_line
from agentvision.photoflow.builtin.close_ups import a_part_by_place, a_part_in_close_up, support_in_a_close_up
from agentvision.photoflow.builtin.frame_reading import (
    UNDER,
    WIDE_FROM,
    a_height,
    allowed_in,
    behind_the_camera,
    leave_out_verb,
    left_out,
    looked_at,
    one_thing_in_its_setting,
    plan_top,
    said_alone,
    setting_behind,
    small_in_frame,
    stood_in_front,
    stood_under,
)
from agentvision.photoflow.builtin.framing import EYE_HEIGHT
from agentvision.photoflow.builtin.lamp_reading import lamps_said_on, light_states
from agentvision.photoflow.builtin.objects import (
    Mention,
    ObjectIndex,
    find_mentions,
    resolve,
)
from agentvision.photoflow.builtin.place_parts import (
    read_distance,
    read_facing,
    read_parts,
    read_pitch,
    standpoint_words,
)
from agentvision.photoflow.builtin.standpoints import (
    BESIDE,
    SENTENCE_BREAKS,
    behind_another,
    beside_the_camera,
    camera_placed_before,
    clause_before,
    encloses,
    over_the_camera,
    stands_inside,
)
from agentvision.photoflow.builtin.words import IntentError, Words, number, tokens, vocabulary_table
from agentvision.scene.catalog import SceneCatalog
from agentvision.scene.lighting import TIMES
from agentvision.scene.model import Scene

__all__ = ["IntentError", "Reading", "parse_intent", "read_numbers"]


# ----- relations ----------------------------------------------------------------------------
def relation_roles(w: Words, mentions: list[Mention], notes: list[str]) -> dict[str, list[str]]:
    """Subject, context, background, through, avoid and viewpoint from the words between objects."""
    before, after = vocabulary_table("RELATIONS_BEFORE"), vocabulary_table("RELATIONS_AFTER")
    both = before | after
    pre: list[str | None] = [None] * len(mentions)
    post: list[str | None] = [None] * len(mentions)
    negated: set[int] = set()  # mentions followed by "must not appear", "shouldn't be in it"
    conditioned: set[int] = set()  # mentions after "no" that a condition follows ("no tree trunk crossing ...")
    bounds = [0] + [x for m in mentions for x in (m.start, m.end)] + [len(w.toks)]
    skip = object_words.DETERMINERS | photo_words.FILLER | object_words.ALL_WORDS | {"other"}
    for g in range(len(mentions) + 1):
        lo, hi = bounds[2 * g], bounds[2 * g + 1]
        for s, e, _ in w.find(both, lo, hi):
            phrase = tuple(w.toks[s:e])
            leads = g < len(mentions) and _leads_to(w, e, hi, skip, before.get(phrase))
            if (
                leads
                and before.get(phrase) in ("context", "viewpoint")
                and photo_words.PHOTO_VERBS.intersection(w.toks[e:hi])
            ):
                # "go up to the landing and shoot the door", "stand in the south-east corner and shoot the armchair":
                # a new clause, its object the subject
                leads = False
            if phrase[-1] == "through" and w.toks[e : e + 1] and w.toks[e] in FRAME_WORDS:
                continue  # "a framed-through shot of the front door": the kind of shot, and the door its subject
            if phrase == ("on",) and s > 0 and (w.toks[s - 1] in SHOT_ON or w.toks[s - 2 : s] in SHOT_ON_PAIRS):
                continue  # "a low angle on the marble figure", "looking down on the knot": the shot's subject
            after_it = w.toks[mentions[g].end : mentions[g].end + 1] if g < len(mentions) else []
            if phrase == ("from",) and 0 < g < len(mentions) and _far_side_before(w.toks, mentions[g - 1].start):
                pre[g] = "background"  # "stand on the far side of the knot from the painting": it lies beyond the knot
                w.take(s, e)
                continue
            if phrase == ("from",) and s >= 2 and w.toks[s - 1] in photo_words.METRE_UNITS and number(w.toks[s - 2]):
                continue  # "stand well back, 25 to 30 m from the pole": a distance from it, not standing at it
            if phrase == ("from",) and w.toks[s - 1 : s] in (["farthest"], ["furthest"], ["far"], ["away"]):
                continue  # "at the end of that wall farthest from the truck": a place away from it, not at it
            if phrase == ("from",) and (
                "way" in w.toks[max(0, s - 6) : s] or w.toks[s - 3 : s - 1] == ["across", "the"]
            ):
                continue  # "two thirds of the way across the room from the west wall": away from it, not at it
            if phrase == ("from",) and g < len(mentions) and _an_extent(w.toks, mentions[g].end):
                continue  # "each curtain complete from rod to hem", "the pole from its base to its top": no standpoint
            if phrase[-1] == "behind" and (
                w.toks[e : e + 2] in (["the", "other"], ["each", "other"]) or w.toks[e : e + 1] == ["another"]
            ):
                continue  # "all 3 sculptures one behind the other": lined up, not one behind the subject
            if phrase == ("clear", "of") and not photo_words.STAND_WORDS.intersection(clause_before(w.toks, s)):
                continue  # "the duck ... clear of the truck": apart from it; "put the camera ... clear of the lights"
            hidden = phrase[0] in object_words.HIDING and w.toks[s - 1 : s] in object_words.NEVER
            if before.get(phrase) == "avoid" and hidden:
                continue  # "the bench must not hide any plinth": every plinth seen, none kept out
            if leads and before.get(phrase) == "avoid" and after_it and after_it[0] in object_words.NOT_THE_THING:
                conditioned.add(g)  # neither kept out nor asked for: "no tree trunk crossing the fountain"
                continue  # "no sculpture cut off by the edge", "no building corner": a way of framing it, not kept out
            if leads and phrase in before:
                pre[g] = before[phrase]
                if pre[g] == "context" and phrase in BESIDE and camera_placed_before(w.toks, s, mentions[:g]):
                    pre[g] = "viewpoint"  # "put the camera about 3 m up, right beside the lantern": where it stands
                near = w.toks[max(lo, s - object_words.LIGHT_REACH) : s]
                if phrase in (("from",), ("through",)) and object_words.LIGHT_WORDS.intersection(near):
                    pre[g] = "light"  # "daylight coming down from the skylight", "sun raking through the window"
            elif phrase in after and g > 0:
                if after[phrase] == "through" and s != lo:
                    continue  # "the skylight, 85mm, tight portrait framing": a framing verb right after its object only
                if phrase[-1] == "back" and w.toks[e : e + 1] == ["of"]:
                    continue  # "the landing at the back of the hall": where it is in a place, not behind the subject
                post[g - 1] = post[g - 1] or after[phrase]
                if " ".join(phrase) in object_words.KEPT_OUT_AFTER:
                    negated.add(g - 1)
            elif phrase in before and before[phrase] == "avoid":
                rest = [x for x in w.toks[e:hi] if x.isalpha() and x not in skip]
                if rest:
                    notes.append(f"'{' '.join(phrase)} {rest[0]}': nothing in the scene is called '{rest[0]}'")
            else:
                continue
            w.take(s, e)
    groups: list[list[int]] = []
    skip_words = object_words.ALL_WORDS | photo_words.PHOTO_VERBS
    for k in range(len(mentions)):
        gap = w.toks[mentions[k - 1].end : mentions[k].start] if k else None
        chained = (
            gap is not None
            and all(x in object_words.CHAIN_WORDS or x in object_words.PART_OF for x in gap)
            and pre[k] in (None, "context")
        )
        kept_list = groups and pre[groups[-1][0]] == "avoid" and not BREAKS.intersection(gap or [])
        if gap is not None and not chained and pre[k] is None and (kept_list or _negated_from(k, mentions, negated, w)):
            # "the tea table and the painted stool must not appear", "no sculptures, plinths or neighbouring
            # paintings": a describing word the reader does not know
            described = [x for x in gap if x not in object_words.CHAIN_WORDS]
            chained = len(described) <= DESCRIBING and all(x.isalpha() and x not in skip_words for x in described)
        split = BREAKS.intersection(gap or []) and _negated_from(k, mentions, negated, w)
        if chained and groups and _object_of_a_condition(w.toks, mentions[groups[-1][0]]):
            chained = False  # "no tree trunk crossing the fountain, and the archway out of frame": the fountain stays
        if chained and not (split and not _negated_from(k - 1, mentions, negated, w)):
            groups[-1].append(k)
        else:
            groups.append([k])
    roles: dict[str, list[str]] = {
        r: []
        for r in (
            "subjects",
            "context",
            "background",
            "through",
            "foreground",
            "avoid",
            "viewpoint",
            "location",
            "light",
        )
    }
    for grp in groups:
        rel = post[grp[-1]] or pre[grp[0]]
        if pre[grp[0]] == "avoid" and rel in ("context", "background"):
            rel = "avoid"  # "no lamp post in front of it", "no bronze knot sticking in front": kept out, not framed
        members = [mentions[k].objects for k in grp]
        # "the sofa and the painting behind": the first of a group a relation follows is the subject; not so for
        # "keep the floor lamp, sofa and armchair out of the frame", all of which stay out
        kept = post[grp[-1]] == "avoid" and (
            leave_out_verb(w.toks, mentions[grp[0]].start) is not None or grp[-1] in negated
        )
        listed = post[grp[-1]] is not None and not kept and pre[grp[0]] is None and len(grp) > 1
        if rel is None or (listed and not roles["subjects"]):
            if not roles["subjects"]:
                roles["subjects"] += members.pop(0)
            rel = rel or "context"
        if rel == "through" and post[grp[-1]] == "through" and members:
            # "the door frame frames the painting": the thing right before the verb; one opening frames a picture
            if not roles["through"]:
                roles["through"] += members.pop()[:1]
            rel = "context"
        elif rel == "foreground" and members:
            # "the door, granite spheres in the foreground": the thing the words follow; "shoot over the chair and":
            # the thing they lead to
            roles[rel] += members.pop(-1 if post[grp[-1]] == rel else 0)[:1]
            rel = "context"
        elif rel in ("through", "viewpoint") and members:
            roles[rel] += members.pop(0)[:1]
            rel = "context"
        for objs in members:
            roles[rel] += objs
    named = {o for j, m in enumerate(mentions) if j not in conditioned for o in m.objects}  # said elsewhere too
    for k in conditioned:
        roles["context"] = [o for o in roles["context"] if o not in mentions[k].objects or o in named]
    return roles


def up_front(roles: dict[str, list[str]], ix: ObjectIndex, notes: list[str]) -> None:
    """What is said to be in the foreground is a thing up front, between the camera and the subject: not the
    ground or the room's shell ("a strip of grass in the foreground": where the camera stands, framed as context),
    not the opening the shot is framed through ("balusters close in the foreground" of a framed-through shot), and
    not a thing kept out."""
    kept = roles["subjects"] + roles["through"] + roles["avoid"]
    things = []
    for name in dict.fromkeys(roles["foreground"]):
        if name in kept:
            continue
        if ix.label[name] in object_words.NOT_UP_FRONT:
            roles["context"].append(name)
            notes.append(f"{name}: the ground or the room, framed as context, not a thing up front")
        else:
            things.append(name)
            notes.append(f"{name}: up front, between the camera and the subject")
    roles["foreground"] = things


def _down_on_the_ground(toks: list[str], i: int) -> bool:
    """ "camera right down on the floorboards", "get down on the grass": "down on" the ground at token ``i`` places the
    camera low, it does not look down on a thing."""
    if toks[i : i + 2] != ["down", "on"]:
        return False
    after = [t for t in toks[i + 2 : i + 5] if t not in object_words.DETERMINERS]
    return bool(after) and after[0] in photo_words.HEIGHT_GROUND | {"floorboards", "boards", "carpet", "rug"}


def _object_of_a_condition(toks: list[str], m: Mention) -> bool:
    """The thing is named right after a word of a condition on another ("crossing the fountain", "hiding the
    plinth"): the object of that condition, not the head of a list that follows."""
    before = [t for t in toks[max(0, m.start - 3) : m.start] if t not in object_words.DETERMINERS]
    return before[-1:] != [] and before[-1] in object_words.NOT_THE_THING


BREAKS = SENTENCE_BREAKS | {","}  # where a list said to stay out may begin


def _negated_from(k: int, mentions: list[Mention], negated: set[int], w: Words) -> bool:
    """ "The fountain, the villa shouldn't be in it": the negation after a list reaches back to its last comma only
    (the tea table and the stool both stay out; the fountain stays the subject), unless the list closes with "and"
    or "or" ("the milk truck, the utility pole and the black chair must not appear": all three stay out)."""
    end = next((j for j in range(k, len(mentions)) if j in negated), None)
    if end is None:
        return False
    gaps = [w.toks[mentions[j - 1].end : mentions[j].start] for j in range(k + 1, end + 1)]
    closed = bool(gaps) and bool(object_words.LIST_ENDS.intersection(gaps[-1])) and not BREAKS.intersection(gaps[-1])
    return not any(SENTENCE_BREAKS.intersection(gap) or (BREAKS.intersection(gap) and not closed) for gap in gaps)


def _an_extent(toks: list[str], end: int) -> bool:
    """ "From <thing> to <top, hem, ...>" at ``end`` (the thing's mention's end): how much of something is seen."""
    rest = [t for t in toks[end : end + 4] if t not in ("its", "their", "the", "his", "her")]
    return rest[:1] == ["to"] and rest[1:2] != [] and rest[1] in object_words.EXTENT_ENDS


DESCRIBING = 2  # words the reader does not know that may stand between a relation and its object


def _leads_to(w: Words, start: int, end: int, skip: frozenset, role: str | None) -> bool:
    """Nothing but read or filler words lie between a relation phrase (ending at ``start``) and the object at
    ``end``; for an opening to frame through or a place to stand, at most two unknown words describing it may
    too ("through the round-headed archway", "from the bottom of the stairs")."""
    rest = [k for k in range(start, end) if not (w.used[k] or w.toks[k] in skip)]
    if role == "through":  # "peeking thru one of the loops of the bronze knot"
        rest = [k for k in rest if w.toks[k] not in object_words.THROUGH_PARTS]
    if not rest or role not in ("through", "viewpoint"):
        return not rest
    unknown = [k for k in rest if w.toks[k].isalpha() and w.toks[k] not in object_words.FUNCTION_WORDS]
    return len(rest) == len(unknown) <= DESCRIBING and rest == list(range(end - len(rest), end))


# ----- the reading --------------------------------------------------------------------------
@dataclass
class Reading:
    """What one pass over the intent found in one scene, before defaults."""

    fields: dict = field(default_factory=dict)
    explicit: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    switched_on: set[int] = field(default_factory=set)  # token indices of "on" in "<the ceiling> lights on"
    back_to: str | None = None  # the side of the space the camera's back is to ("back to the south wall")
    behind: list[int] = field(default_factory=list)  # where a thing behind the camera is named ("back to the tree")
    placed_at: list[tuple[int, str]] = field(default_factory=list)  # where placement phrases start, and what they say
    vantage_at: tuple[int, str] | None = None  # where the vantage read was said, and its words
    angle_of_height: bool = False  # the angle was read only from a height in metres ("3 m up": high)
    # distances in metres said with where they are measured from: (metres, index after the unit, the words)
    distances: list[tuple[float, int, str]] = field(default_factory=list)

    def drop(self, name: str) -> None:
        """Forget a field read before (a later reading makes it more precise or shows it meant something else)."""
        del self.fields[name]
        self.explicit.remove(name)

    def set(self, name: str, value, said: str) -> None:
        what = {"height_m": "camera height (m)", "distance_m": "distance from the subject (m)"}.get(
            name, name.replace("_", " ")
        )
        if name in self.fields and self.fields[name] != value:
            self.notes.append(f"'{said}' ignored: {what} already {self.fields[name]}")
            return
        if name not in self.fields:
            self.fields[name] = value
            self.explicit.append(name)
            self.notes.append(f"'{said}' -> {what} {value}")


def read(intent: str, scene: Scene | SceneCatalog) -> tuple[Reading, ObjectIndex, Words]:
    """One reading of ``intent`` against a scene (or its catalog), before relations and defaults."""
    r, ix, w = Reading(), ObjectIndex.of(scene), Words(tokens(intent))
    read_numbers(w, r)
    for s, e, _ in w.find(vocabulary_table("upright")):
        r.notes.append(f"'{w.take(s, e)}': verticals kept vertical (a level sensor, a shifted lens), at any angle")
        if "upright" not in r.explicit:
            r.explicit.append("upright")
    lying = next(
        (i for i, t in enumerate(w.toks[:-1]) if t in photo_words.LYING and w.toks[i + 1] in ("on", "down")), None
    )
    if lying is None:  # "camera right down on the floorboards": where the camera is, low (not "looking down on")
        lying = next((i for i in range(len(w.toks)) if _down_on_the_ground(w.toks, i)), None)
    if lying is not None:  # "lie on the grass": low; its words stay for the place named after them
        r.set("angle", "low", " ".join(w.toks[lying : lying + 2]))
    pitch = read_pitch(w, intent)
    if pitch is not None:
        r.set("pitch_deg", *pitch)
    for s, e, _ in w.find(vocabulary_table("tilt")):
        if w.toks[e : e + 1] in (["down"], ["up"]):  # "tilted down about 35 degrees": a pitch, not a canted horizon
            r.notes.append(f"'{w.take(s, e + 1)}': how far the camera looks down or up follows the angle")
            continue
        r.notes.append(f"'{w.take(s, e)}': a tilted horizon was asked for (the blueprint keeps it level)")
    for s, e, lens in w.find(vocabulary_table("LENSES")):
        said = w.take(s, e)
        r.set("lens", lens, said)
        if said in photo_words.LENS_PHRASE_MM:
            r.set("focal_mm", photo_words.LENS_PHRASE_MM[said], said)

    # Vantages before aspects: "square on" stands in front of the subject, it is not a square frame.
    def names_an_object(i: int, n: int) -> bool:  # "from the front door" stands at a door, not at the front
        nxt = w.toks[i + n] if i + n < len(w.toks) else ""
        if w.toks[i : i + n] == ["across"] and object_words.LIGHT_WORDS.intersection(w.toks[max(0, i - 6) : i]):
            return True  # "sun raking through the window across the rug": where the light falls
        if w.toks[i : i + n] == ["across"] and photo_words.SPREADING.intersection(w.toks[max(0, i - 2) : i]):
            return True  # "long shadow stretching across the pavement": where a thing lies, not the camera
        if w.toks[i : i + n] == ["across"] and _pair_before(w.toks, i, TILTED_DOWN, 7):
            return True  # "tilted down about 35 degrees across the concrete floor": where the camera looks
        if w.toks[i : i + n] == ["across"] and set(w.toks[i + n : i + n + 2]) & (FRAME_WORDS | IN_THE_FRAME):
            return True  # "the arch curves across the pic", "open pavement across the foreground": the frame's
        if w.toks[i : i + n] == ["across"] and _looks_over_a_thing(w.toks, i, ix):
            return True  # "look due west across the octagonal fountain": over it, not from across the space
        if w.toks[i] == "from" and object_words.LIGHT_WORDS.intersection(w.toks[max(0, i - 2) : i]):
            return True  # "window light from behind": where the light comes from, not where the camera stands
        if w.toks[i + n - 1] == "of":  # "the back of the truck" is its back; "the back of the room" a place
            ahead = [
                t
                for t in itertools.takewhile(str.isalpha, w.toks[i + n : i + n + 4])
                if t not in object_words.DETERMINERS
            ]
            found = [resolve(ix, t) for t in ahead if resolve(ix, t) is not None]
            return not found or all(ix.label.get(o) in object_words.ROOM_SHELL for o in found[0][0])
        if w.toks[i + n - 1] == "behind":  # "from behind the oak coffee table": stand behind the table
            if nxt not in object_words.DETERMINERS:
                return False
            ahead = list(itertools.takewhile(str.isalpha, w.toks[i + n + 1 : i + n + 4]))
            return any(resolve(ix, t) is not None for t in ahead)
        return bool(nxt) and resolve(ix, f"{w.toks[i + n - 1]}_{nxt}") is not None

    for s, e, value in w.find(vocabulary_table("VANTAGES"), guard=names_an_object):
        said = w.take(s, e)
        if said.endswith("across"):  # "from across the lawn": the space named after it is where, not what
            _take_space(w, e, ix)
        r.set("vantage", value, said)
        r.vantage_at = r.vantage_at or (s, said)
    facing, r.back_to, r.behind = read_facing(w, lambda word: resolve(ix, word) is not None, r.notes)
    if facing:
        r.fields["facing"] = facing
        r.explicit.append("facing")

    def attributive(i: int, n: int) -> bool:  # "the landscape painting" is not an orientation
        return n == 1 and i + 1 < len(w.toks) and resolve(ix, w.toks[i + 1]) is not None

    stated = list(r.fields.get("aspects", []))  # a ratio said in numbers wins over "vertical", "cinematic"
    for s, e, aspects in w.find(vocabulary_table("ASPECT_PHRASES"), guard=attributive):
        said = w.take(s, e)
        if stated:
            agrees = "agrees with" if set(aspects) & set(stated) else "ignored beside"
            r.notes.append(f"'{said}' {agrees} the stated {', '.join(stated)}")
            continue
        r.fields.setdefault("aspects", [])
        r.fields["aspects"] += [a for a in aspects if a not in r.fields["aspects"]]
        r.notes.append(f"'{said}' -> aspects {', '.join(aspects)}")
        r.explicit.append("aspects")

    def compound(i: int, n: int) -> bool:  # "the low wall" is an object, "the low plinth" a plinth: not angles
        if (i and w.toks[i - 1] in photo_words.LYING) or _down_on_the_ground(w.toks, i):
            return True  # "lie down on the rug", "down on the floorboards": where the camera lies (low, read above)
        if n == 1 and object_words.LIGHT_WORDS.intersection(w.toks[i + 1 : i + 3]):
            return True  # "the low warm sun", "low light": the light's, not the camera's
        if n != 1 or i + 1 >= len(w.toks) or not w.toks[i + 1].isalpha():
            return False
        before = w.toks[i - 1] if i else ""
        described = before in object_words.DETERMINERS and resolve(ix, w.toks[i + 1]) is not None
        return described or resolve(ix, "_".join(w.toks[i : i + 2])) is not None

    def of_a_place(i: int, n: int) -> bool:  # "at the bottom of the stairs" is where a thing is, not where in the frame
        after = [x for x in w.toks[i + n : i + n + 3] if x not in object_words.DETERMINERS]
        if w.toks[i + n : i + n + 1] in (["edge"], ["edges"], ["corner"]):
            return True  # "a red curtain may show at the right edge": where another thing may come in
        return w.toks[i + n : i + n + 1] == ["of"] and (len(after) < 2 or after[1] not in FRAME_WORDS)

    sides = []
    for s, e, value in w.find(vocabulary_table("PLACEMENT_PHRASES"), guard=of_a_place):  # before angles
        said = w.take(s, e)
        if said in SYMMETRY:  # the whole frame balanced: what it holds centred (as by default), seen straight on
            r.notes.append(f"'{said}': what the frame holds, centred")
            r.set("vantage", "front", said)
            continue
        sides.append((value, said))
        r.placed_at.append((s, said))
        r.set("placement", value, said)
    thirds = any("third" in x for _, x in sides)  # "the pole on the left third": the subject's place, said plainly
    if {"left_third", "right_third"} <= {v for v, _ in sides} and not thirds and "placement" in r.fields:
        # "the knot on the left, the figure in the middle and the spheres on the right": how things stand across
        # the frame, which holds them all centred; not where the subject sits
        r.drop("placement")
        r.notes.append(f"{', '.join(repr(x) for _, x in sides)}: how the things stand across the frame, centred")

    def placed_against(i: int, n: int) -> bool:  # "tight against the east wall" is where the camera is, not a crop
        if w.toks[i : i + n] == ["close", "in"] and w.toks[i + n : i + n + 2] in (["the", "foreground"], ["front"]):
            return True  # "balusters stand dark and close in the foreground": where they are, not a close-up
        return w.toks[i + n - 1] == "tight" and w.toks[i + n : i + n + 1] in (["against"], ["to"], ["by"])

    for name, table in (("depth_of_field", "DEPTHS"), ("angle", "ANGLES"), ("shot_size", "SHOT_SIZES")):
        guard = compound if table == "ANGLES" else placed_against if table == "SHOT_SIZES" else None
        for s, e, value in w.find(vocabulary_table(table), guard=guard):
            if name == "angle" and r.angle_of_height and value == r.fields.get("angle"):
                r.angle_of_height = False  # "at eye level, camera at 1.6 m": the angle said in words too
            if name == "angle" and value == "top_down" and r.angle_of_height and r.fields.get("angle") != value:
                # "about 3 m up ... point it straight down", "2 m off the floor, pointing straight down": a plan view
                # from that height, whatever class a level camera there has ("the low sun" is no tilt)
                r.drop("angle")
                r.angle_of_height = False
            r.set(name, value, w.take(s, e))
    if "angle" not in r.fields or (r.angle_of_height and r.fields.get("angle") == "eye_level"):
        # "camera at 1.6 m, and look up and west at the landing", "stand inside the archway n look up so the arch
        # curves across the pic": a camera tilted up ("look up the staircase" looks along it, from a standing eye)
        def along_a_thing(i: int, n: int) -> bool:
            return w.toks[i + n : i + n + 1] != [] and w.toks[i + n] in object_words.DETERMINERS

        for s, e, _ in w.find(TILT_UP, guard=along_a_thing)[:1]:
            if "angle" in r.fields:
                r.drop("angle")
            r.set("angle", "low", w.take(s, e))
    said_times = list(w.find(vocabulary_table("times")))
    # "Evening establishing shot ... Night: the floor lamp on": a time said by its name before a looser word for it
    said_times.sort(key=lambda f: " ".join(w.toks[f[0] : f[1]]).replace(" ", "_") not in TIMES)
    for s, e, value in said_times:
        if w.toks[e - 1] == "on" and s > 0 and resolve(ix, f"{w.toks[s - 1]}_{w.toks[s]}"):
            # "ceiling lights on": the lights are the ceiling lights, "on" alone says the time
            said = " ".join(w.toks[s - 1 : e])
            w.take(e - 1, e)
            r.switched_on.add(e - 1)
            r.set("time_of_day", value, said)
            continue
        r.set("time_of_day", value, w.take(s, e))
    r.mentions = find_mentions(w, ix, r.hints)
    r.notes += [m.note for m in r.mentions]
    if said_alone(w, r.mentions, r.notes, {o.name for o in ix.catalog.objects if o.lamp}):
        r.explicit.append("alone")
    for s, e, _ in w.find(vocabulary_table("WHOLE")):
        r.notes.append(f"'{w.take(s, e)}' -> the subject whole: not cut, nothing standing in front of it")
        if "whole" not in r.explicit:
            r.explicit.append("whole")
    for said in small_in_frame(w):  # an establishing shot, over a plain "wide" (which it makes more precise)
        if r.fields.get("shot_size") == "wide":
            r.drop("shot_size")
        r.set("shot_size", "establishing", said)
    blur, lit = vocabulary_table("BLUR_WORDS"), {tuple(tokens(x)) for x in photo_words.LIGHTS_ON}
    for m in r.mentions:  # "the sofa soft in the background": that object out of focus
        for n in (3, 2, 1):
            key = tuple(w.toks[m.end : m.end + n])
            if len(key) == n and key in blur and w.free(m.end, m.end + n):
                r.set("depth_of_field", blur[key], f"{m.said} {w.take(m.end, m.end + n)}")
                break
    for s, e, _ in w.find(dict.fromkeys(lit, True)):
        if e < len(w.toks) and w.toks[e] in ("from", "by"):
            continue  # "lit from the skylight": where the light comes from (relation_roles), no lamp switched on
        r.fields["lights_on"] = w.take(s, e)
    return r, ix, w


SYMMETRY = frozenset({"symmetrical", "symmetric", "symmetry", "symmetrically"})
FRAME_WORDS = frozenset("frame picture shot image photo photograph composition".split())
IN_THE_FRAME = frozenset("pic pics foreground background".split())  # "across the foreground": a place in the frame
SPACE_WORDS = frozenset(
    "room space hall hallway yard courtyard plaza square street gallery lawn garden floor way".split()
)


TILTED_DOWN = frozenset({("tilted", "down"), ("tilt", "down"), ("tilting", "down"), ("angled", "down")})


def _looks_over_a_thing(t: list[str], i: int, ix: ObjectIndex) -> bool:
    """ "Look due west across the octagonal fountain": "across" (at ``i``) right after a verb of looking (and words
    of direction), before a thing that is not a space or the room's shell."""
    before = t[max(0, i - 4) : i]
    if not photo_words.FACING_VERBS.intersection(before):
        return False
    ahead = [x for x in itertools.takewhile(str.isalpha, t[i + 1 : i + 5]) if x not in object_words.DETERMINERS]
    found = next((resolve(ix, x) for x in ahead if resolve(ix, x) is not None), None)
    return found is not None and not all(ix.label[o] in object_words.STRUCTURAL for o in found[0])


def _take_space(w: Words, start: int, ix: ObjectIndex) -> None:
    """After "across": consume "the room", "the lawn", "the courtyard" (the space crossed, not a subject)."""
    i = start
    while i < len(w.toks) and w.toks[i] in object_words.DETERMINERS and w.free(i, i + 1):
        i += 1
    if i < len(w.toks) and w.free(i, i + 1):
        word = w.toks[i]
        named = resolve(ix, word)
        structural = named is not None and all(ix.label[o] in object_words.STRUCTURAL for o in named[0])
        if word in SPACE_WORDS or word in object_words.SCENE_WORDS or structural:
            w.take(start, i + 1)


def read_numbers(w: Words, r: Reading) -> None:
    t = w.toks
    for i, tok in enumerate(t):
        if w.used[i]:
            continue
        nxt = t[i + 1] if i + 1 < len(t) else ""
        prev = t[i - 1] if i else ""
        num = number(tok)
        if num is not None and nxt in photo_words.FOCAL_UNITS and 4 <= num <= 1200:
            said = w.take(i, i + 2)
            r.set("focal_mm", num, said)
            r.fields["lens"] = lens_class(num)
            r.explicit.append("lens")
        elif num is not None and nxt in photo_words.METRE_UNITS and MIN_HEIGHT <= num <= MAX_HEIGHT and a_height(t, i):
            after = t[i + 2] if i + 2 < len(t) and t[i + 2] in photo_words.HEIGHT_AFTER else None
            said = w.take(i, i + (3 if after else 2))
            low = number(t[i - 2]) if i >= 2 and prev in ("to", "-") else None
            if low is not None and MIN_HEIGHT <= low < num and w.free(i - 2, i):  # "5 to 6 m up": the middle
                said, num = f"{w.take(i - 2, i)} {said}", (low + num) / 2
            k = i + 3 + (i + 3 < len(t) and t[i + 3] in object_words.DETERMINERS)
            if after and k < len(t) and t[k] in photo_words.HEIGHT_GROUND and w.free(i + 3, k + 1):
                said += " " + w.take(i + 3, k + 1)  # "1 m off the paving": measured from it, not a subject
            # the classes of camera.angle_of for a camera held level at that height (0.9 m reads as low there)
            angle = "low" if num <= LOW_HEIGHT else "high" if num >= HIGH_HEIGHT else "eye_level"
            word = next(
                (
                    k
                    for k in range(i - 1, max(-1, i - 4), -1)
                    if t[k] in ("high", "low") and w.free(k, k + 1) and _says_the_angle(t, k, i)
                ),
                None,
            )
            if word is not None:  # "camera high at about 2 m": the word says the angle, the number how high
                angle, said = t[word], f"{w.take(word, word + 1)} ... {said}"
            r.angle_of_height = word is None and "angle" not in r.fields
            r.set("angle", angle, said)
            r.set("height_m", num, said)  # the camera stands there, not at the angle's usual height
        elif num is not None and nxt in photo_words.METRE_UNITS and MIN_DISTANCE <= num <= MAX_DISTANCE:
            # "about 3 m from it", "25 to 30 m from the pole", "about 25 m north-east of the building's corner":
            # a distance, kept once the subject is known (place_parts.read_distance)
            low = number(t[i - 2]) if i >= 2 and prev in ("to", "-") else None
            start = i - 2 if low is not None and low < num and w.free(i - 2, i) else i
            r.distances.append(((low + num) / 2 if start < i else num, i + 2, " ".join(t[start : i + 2])))
        elif tok.startswith("f/"):
            f = float(tok[2:])
            r.set("depth_of_field", "shallow" if f <= 2.8 else "deep" if f >= 8 else "normal", w.take(i, i + 1))
        elif ":" in tok and not (prev in ("at", "around", "about", "by") or nxt in ("am", "pm")):
            _aspect(r, tok, w.take(i, i + 1))
        elif num is not None and nxt in ("x", "by") and i + 2 < len(t) and number(t[i + 2]) and num <= 32:
            _aspect(r, f"{tok}:{t[i + 2]}", w.take(i, i + 3))
        elif (num is not None and nxt in ("am", "pm", "oclock")) or ":" in tok:
            hour = float(tok.split(":")[0])
            hour += 12 if nxt == "pm" and hour < 12 else 0
            said = w.take(i, i + (2 if nxt in ("am", "pm", "oclock") else 1))
            if 0 <= hour <= 24:
                r.set("time_of_day", next(p for h, p in photo_words.HOURS if hour < h), said)
            else:
                r.notes.append(f"'{said}' is not a time of day")


TILT_UP = dict.fromkeys([("look", "up"), ("tilt", "up"), ("tilted", "up")], True)  # not "look up the stairs": low
ANGLE_FOLLOWERS = frozenset("angle shot view about around roughly approximately up down camera".split())


def _says_the_angle(t: list[str], k: int, i: int) -> bool:
    """ "high" or "low" at ``k``, before a height in metres at ``i``, says the camera's angle ("camera high at about
    2 m"), not a thing's ("2 m west of the low wall, 1.5 m high")."""
    after = t[k + 1] if k + 1 < i else ""
    return not after or after in object_words.FUNCTION_WORDS or after in ANGLE_FOLLOWERS or number(after) is not None


def _aspect(r: Reading, ratio: str, said: str) -> None:
    a, b = (float(x) for x in ratio.split(":"))
    key = f"{a:g}:{b:g}"
    if key not in ASPECTS and a > 0 and b > 0:
        near = nearest_aspect(a / b)
        r.notes.append(f"'{said}' is not a frame we render; nearest is {near}")
        key = near
    if key in ASPECTS:
        r.fields.setdefault("aspects", [])
        if key not in r.fields["aspects"]:
            r.fields["aspects"].append(key)
            r.explicit.append("aspects")
            r.notes.append(f"'{said}' -> aspect {key}")


def leftovers(w: Words, r: Reading) -> None:
    """Moods, unknown times and weather, then whatever no pass understood."""
    for s, e, mood in w.find(vocabulary_table("MOODS")):
        r.set("mood", mood, w.take(s, e))
    skip = (
        photo_words.FILLER
        | object_words.DETERMINERS
        | object_words.CHAIN_WORDS
        | {k[0] for k in vocabulary_table("RELATIONS_BEFORE")}
    )
    for i, tok in enumerate(w.toks):
        if w.used[i] or not tok[0].isalpha() or tok in skip:
            continue
        if tok in photo_words.WEATHER:
            r.notes.append(f"'{tok}': weather and seasons are not simulated")
        elif i and w.toks[i - 1] in photo_words.TIME_PREPOSITIONS and w.toks[i - 1] != "in":
            r.notes.append(f"'{w.toks[i - 1]} {tok}': not a time of day we know (use {', '.join(TIMES)})")
            r.unread.append(tok)
        else:
            r.unread.append(tok)
    if r.unread:
        r.notes.append("unread: " + ", ".join(f"'{x}'" for x in r.unread))


FLAT = 0.05  # metres: a thing this thin (a rug, a mat) is a surface to stand on
SURFACE_AREA = 4.0  # ... and one this many times the subject's footprint is where it stands, not context


def _standing_on(roles: dict, mentions: list[Mention], w: Words, ix: ObjectIndex) -> None:
    """ "the potted plant on the rug": a flat thing far larger than the subject, named after "on", says where the
    subject stands (a strip of it shows beneath); framing the whole rug left the plant a speck in a red field."""
    if not roles["subjects"]:
        return
    sub = ix.extent(roles["subjects"])
    for m in mentions:
        before = [x for x in w.toks[max(0, m.start - 3) : m.start] if x not in object_words.DETERMINERS]
        if before[-1:] != ["on"] or not set(m.objects) & set(roles["context"]):
            continue
        ext = ix.extent(m.objects)
        if ext[2] <= FLAT and ext[0] * ext[1] >= SURFACE_AREA * max(sub[0] * sub[1], 1e-3):
            roles["context"] = [o for o in roles["context"] if o not in m.objects]
            roles["location"] += m.objects


SHOT_ON = frozenset("angle shot view focus focused closeup zoom zoomed pic photo detail".split())
# two words before "on" that make what follows the shot's subject ("looking down on the knot", "zoom in on the villa")
SHOT_ON_PAIRS = (
    ["close", "up"],
    ["looking", "down"],
    ["look", "down"],
    ["shoot", "down"],
    ["shooting", "down"],
    ["zoom", "in"],
    ["zoomed", "in"],
)


def _under(roles: dict, mentions: list[Mention], w: Words, parts: dict[int, str]) -> None:
    """ "Stand under the big tree", "from underneath the canopy": the camera stands on the ground beneath the
    place named (it had stood on the tree's crown, a high aerial view). "Climb up on top of the arch": on its top
    (it had stood in the opening, at the foot of the arch)."""
    for k, m in enumerate(mentions):
        if k in parts or not set(m.objects) & set(roles["viewpoint"]):
            continue
        before = w.toks[max(0, m.start - 3) : m.start]
        if UNDER.intersection(before):
            parts[k] = "under"
        elif [t for t in before if t not in object_words.DETERMINERS][-2:] == ["top", "of"]:
            parts[k] = "top"


def _a_view_from(roles: dict, mentions: list[Mention], w: Words, notes: list[str]) -> None:
    """ "Entrance view ... Stand just inside the panelled door and look due east at the sofa": a thing named as a
    kind of view ("entrance view", "doorway shot") and then as where to stand is the standpoint; the subject is the
    next thing named (the door had been photographed from across the room)."""
    for m in mentions:
        named = set(m.objects) & set(roles["subjects"]) & set(roles["viewpoint"])
        if not named or w.toks[m.end : m.end + 1] not in (["view"], ["views"], ["shot"]):
            continue
        rest = [o for o in roles["subjects"] if o not in named]
        if not rest:
            rest = next((x.objects for x in mentions if set(x.objects) & set(roles["context"])), [])
        if rest:
            roles["subjects"] = list(rest)
            roles["context"] = [o for o in roles["context"] if o not in rest]
            notes.append(f"'{m.said} {w.toks[m.end]}': a view from the {', '.join(sorted(named))}, not of it")


def _stood_beside(r, roles: dict, parts: dict[int, str]) -> None:
    """ "Stand south of the fountain and shoot the villa", "just east of the coffee table": a thing with a compass
    side to stand on is where the camera stands, whatever role the words around it gave it. When the thing is also
    named as what to photograph ("the fountain, standing just west of the fountain"), the side is the camera's side
    of the subject: it faces the other way (unless the intent already said which way)."""
    for k, part in list(parts.items()):
        names = r.mentions[k].objects
        if not names or names[0] in roles["viewpoint"]:
            continue
        if part in ("bottom", "top") and names[0] in roles["subjects"]:
            # "shot from low near the bottom of the stairs": a part of the subject to stand at
            roles["viewpoint"].insert(0, names[0])
            continue
        if part not in FACINGS:
            continue
        if any(set(m.objects) & set(names) for j, m in enumerate(r.mentions) if j != k):
            del parts[k]
            read = [n for n, note in enumerate(r.notes) if note.endswith(f"-> viewpoint part {part}")]
            if read:
                del r.notes[read[-1]]  # not a part of a place after all
            said, way, facing = f"'{part} of the {names[0]}'", part.replace("_", "-"), OPPOSITE[part].replace("_", "-")
            if r.fields.setdefault("facing", OPPOSITE[part]) != OPPOSITE[part]:
                r.notes.append(f"{said} ignored: the camera already faces {r.fields['facing'].replace('_', '-')}")
                continue
            if "facing" not in r.explicit:
                r.explicit.append("facing")
            r.notes.append(f"{said} -> the camera stands {way} of the {names[0]}, facing {facing}")
            continue
        for role in ("subjects", "context", "background", "avoid"):
            roles[role] = [o for o in roles[role] if o not in names]
        roles["viewpoint"].insert(0, names[0])
        r.notes.append(f"{names[0]}: the camera stands {part.replace('_', '-')} of it")


# ----- public API ---------------------------------------------------------------------------
def parse_intent(intent: str, scene: Scene | SceneCatalog) -> Blueprint:
    """Read a photo request against a scene; see the module docstring for the passes and defaults."""
    if not intent or not intent.strip():
        raise IntentError("the intent is empty: say what to photograph, e.g. 'the sofa at dusk from a low angle'")
    r, ix, w = read(intent, scene)
    parts, space_part = read_parts(w, r.mentions, r.notes)
    roles = relation_roles(w, r.mentions, r.notes)
    stood_under(roles, r.mentions, w, ix, r.notes)
    _under(roles, r.mentions, w, parts)
    _stood_beside(r, roles, parts)
    stood_in_front(roles, r.mentions, w, r.notes)
    _a_view_from(roles, r.mentions, w, r.notes)
    beside_the_camera(roles, r.mentions, w, r.notes, corner=bool(space_part and "_" in space_part))
    if roles["viewpoint"]:
        over_the_camera(roles, r.mentions, w, r.notes)
    left_out(roles, r.mentions, w, r.notes)
    allowed_in(roles, r.mentions, w, r.notes)
    r.back_to = behind_the_camera(roles, r.mentions, r.behind, r.notes, w.toks) or r.back_to
    among = [o for o in roles["subjects"] if o in roles["avoid"] and _only_among_others(o, r.mentions, roles)]
    if among:  # "the red painting ... no neighbouring paintings": the others stay out, not the one photographed
        roles["avoid"] = [o for o in roles["avoid"] if o not in among]
    kept_out = [o for o in roles["subjects"] if o in roles["avoid"]]
    if kept_out:  # "near the window end of the sofa ... keep the sofa out of the frame": what stays out is no subject
        roles["subjects"] = [o for o in roles["subjects"] if o not in kept_out]
        r.notes.append(f"{', '.join(kept_out)}: to be kept out of the frame, so not the subject")
    placed = {r.mentions[k].objects[0]: part for k, part in parts.items() if r.mentions[k].objects}
    _located_by(roles, r.mentions, w, ix, r.notes)
    lamps = {o.name for o in ix.catalog.objects if o.lamp}
    lamps_said_on(roles, r.mentions, w, lamps, r.notes, r.switched_on)
    light_states(roles, r.mentions, w, lamps, r.notes)
    _standing_on(roles, r.mentions, w, ix)
    if r.fields.get("shot_size") == "close_up":
        support_in_a_close_up(roles, r.mentions, w)
    along = find_along(w, r.mentions, ix)
    if along is not None and along.end_by in roles["context"] and along.end_by not in roles["subjects"]:
        roles["context"].remove(along.end_by)  # "from the end by the sofa": where the camera stands, beside it
        r.notes.append(f"{along.end_by}: beside the end the camera looks along from, not framed as context")
    lined_up = find_lined_up(w)
    leftovers(w, r)
    scene_name = scene.source or scene.name
    for hint in dict.fromkeys(r.hints):
        if hint not in (scene_name, scene.name):
            r.notes.append(f"'{hint.replace('_', ' ')}' names another library scene; read in {scene_name}")
    location = roles.pop("location")
    if not roles["subjects"] and not roles["context"] and not roles["background"] and location:
        # "get down at the end of the leather sofa n shoot along it": the only thing named is the subject
        roles["subjects"], location = location[:1], location[1:]
    for name in dict.fromkeys(location):
        r.notes.append(f"{name}: where the subject is, not framed as context")
    for name in dict.fromkeys(roles.pop("light")):
        r.notes.append(f"{name}: where the light comes from, not where the camera stands nor framed as context")
    if not roles["subjects"] or set(roles["foreground"]) >= set(roles["subjects"]):
        # "the marble figure sharp in the foreground, the skylight glowing above": up front of nothing, it is framed
        roles["context"], roles["foreground"] = roles["foreground"] + roles["context"], []
    if not roles["subjects"]:
        related = set(roles["context"] + roles["background"]) - set(roles["avoid"])
        first = next((m.objects for m in r.mentions if related & set(m.objects)), None)
        if first is None and roles["through"]:
            first = roles["through"][:1]
            roles["through"] = []
        named = scene_name in r.hints or scene.name in r.hints
        if named and first and not roles["context"] and not roles["viewpoint"] and _centrepiece(ix) not in related:
            # "the whole courtyard, villa in the background": the place is the subject, the villa stays behind
            first = None
        if first:
            roles["subjects"] = first
            r.notes.append(f"no free subject named: photographing {', '.join(first)}")
        elif named or roles["viewpoint"]:
            roles["subjects"] = [_centrepiece(ix, besides=roles["viewpoint"])]
            r.fields.setdefault("shot_size", "wide")
            what = "only where to stand was named" if roles["viewpoint"] else "the scene itself was named"
            r.notes.append(f"{what}: photographing the centrepiece {roles['subjects'][0]}")
    if not roles["subjects"]:
        raise IntentError(_nothing_message(intent, r, ix, scene_name))
    up_front(roles, ix, r.notes)
    _known_by_its_parts(roles, r.mentions, ix, r.notes)
    _vantage_of_another(r, w, roles)
    if roles["through"] and roles["through"][0] in roles["subjects"] and roles["context"]:
        # "through the doorway ... so the door frame frames the painting": the opening frames, the painting is shot
        opening = roles["through"][0]
        roles["subjects"] = [o for o in roles["subjects"] if o != opening] or [
            o for o in roles["context"] if o != opening
        ][:1]
        r.notes.append(f"{opening}: the opening framing the picture; photographing {roles['subjects'][0]}")
    if photo_words.STILL_LIFE in " ".join(w.toks) and r.fields.get("shot_size") == "medium":
        setting_behind(roles, ix, r.notes, "a still life")
    elif r.fields.get("shot_size") == "close_up" and roles["context"]:
        setting_behind(roles, ix, r.notes, "a close-up")
    elif r.fields.get("shot_size") == "medium" and roles["context"]:
        setting_behind(roles, ix, r.notes, "a medium shot")
    elif "shot_size" not in r.fields:
        one_thing_in_its_setting(roles, r.mentions, w, ix, r.notes)
    behind_another(roles, r.mentions, w.toks, r.notes)
    # a part of the subject is still a place to stand ("looking up the stairs from the bottom step")
    roles["viewpoint"] = [v for v in roles["viewpoint"] if v not in roles["subjects"] or v in placed]
    for k in ("context", "background", "avoid"):
        taken = roles["subjects"] + roles["through"] + roles["foreground"] + roles["viewpoint"]
        roles[k] = [o for o in dict.fromkeys(roles[k]) if o not in taken]
    roles["context"] = [o for o in roles["context"] if o not in roles["background"] and o not in roles["avoid"]]
    if all(ix.label[o] in object_words.ROOM_SHELL for o in roles["subjects"]):
        # "with your back to the tall painting on its far wall ... the navy painting centred in the opening": a wall
        # is where things are; the first thing named that is not the room's shell is the subject
        looked = [o for o in looked_at(r.mentions, w) if o not in roles["avoid"]]
        thing = next((o for o in looked + roles["context"] if ix.label[o] not in object_words.ROOM_SHELL), None)
        if thing in looked:  # "near the north wall ... look due south at the window": what the camera looks at
            roles["background"] = [o for o in roles["background"] if o != thing]
        if thing is not None:
            shell_subjects = ", ".join(roles["subjects"])
            roles["subjects"], roles["context"] = [thing], [o for o in roles["context"] if o != thing]
            r.notes.append(f"{shell_subjects}: part of the room; photographing {thing}")
    _placement_of_another(r, w, roles)  # once the subject is known (not a wall the brief hangs things on)
    shell = [o for o in roles["context"] if ix.label[o] in object_words.ROOM_SHELL]
    if shell:  # "the painting on the north wall": where it hangs, not a thing the frame must hold
        roles["context"] = [o for o in roles["context"] if o not in shell]
        r.notes.append(f"{', '.join(shell)}: part of the room, not framed as context")
    around = [o for o in roles["context"] if encloses(ix, o, roles["subjects"])]
    if around:  # "the sandstone east wall with its coping" behind a bench: the courtyard's wall round it
        roles["context"] = [o for o in roles["context"] if o not in around]
        r.notes.append(f"{', '.join(around)}: all round the subject, its setting, not framed whole as context")
    distance = read_distance(r.distances, w, r.mentions, roles["subjects"])
    if distance is not None:  # "about 3 m from it", "25 to 30 m from the pole"
        r.set("distance_m", round(distance[0], 2), distance[1])
    explicit = ["subjects"] + [
        k for k in ("context", "background", "through", "foreground", "avoid", "viewpoint") if roles[k]
    ]
    vp_part = placed.get(roles["viewpoint"][0]) if roles["viewpoint"] else space_part or r.back_to
    if (
        vp_part
        and roles["viewpoint"]
        and roles["viewpoint"][0] in roles["subjects"]
        and stands_inside(w.toks, r.mentions, roles["viewpoint"])
    ):
        # "stand right inside the archway n look up so the round top of the arch curves across the pic": the camera
        # is in the opening; the part named is what it photographs, not where it stands
        vp_part = None
    explicit += ["viewpoint_part"] if vp_part else []
    bp = Blueprint(
        intent=intent.strip(),
        scene=scene_name,
        subjects=list(dict.fromkeys(roles["subjects"])),
        context=roles["context"],
        background=roles["background"],
        through=roles["through"][0] if roles["through"] else None,
        foreground=roles["foreground"][0] if roles["foreground"] else None,
        avoid=roles["avoid"],
        viewpoint=roles["viewpoint"][0] if roles["viewpoint"] else None,
        viewpoint_part=vp_part,
        explicit=explicit + [e for e in r.explicit if e not in explicit],
        notes=r.notes,
    )
    lights_on = r.fields.pop("lights_on", None)
    for name, value in r.fields.items():
        setattr(bp, name, value)
    if r.angle_of_height and bp.angle == "eye_level":
        # "camera at 1.6 m": the camera stands that high and looks where the subject is (up at the top of a pole,
        # down at a table); eye level is what the height gives, not an angle asked
        bp.explicit.remove("angle")
        bp.notes.append(f"eye level from the height ({bp.height_m:g} m): the camera looks where the subject is")
    look_along(bp, along, ix, scene)
    turned = plan_top(w, r.mentions, ix, bp.subjects) if bp.angle == "top_down" else None
    if turned is not None:  # "turned so the south window wall runs along the bottom edge"
        bp.plan_top = turned[0]
        bp.explicit.append("plan_top")
        bp.notes.append(f"'{turned[1]}' -> looking straight down, {turned[0]} at the frame's top")
        if any(turned[2] <= k < turned[3] for k, _ in r.placed_at) and "placement" in bp.explicit:
            bp.placement = "center"  # "the window side of the table at the top": the plan's turn, not a placement
            bp.explicit.remove("placement")
    look_down_the_line(bp, lined_up, ix)
    if bp.standpoint_named:
        bp.notes.append(f"viewpoint: the camera stands {standpoint_words(bp.viewpoint, bp.viewpoint_part)}")
    if lights_on and "time_of_day" not in bp.explicit:
        bp.time_of_day = "dusk"
        bp.notes.append(f"'{lights_on}': the lamps are lit at dusk, blue hour and night; time dusk")
    _defaults(bp, ix)
    a_part_in_close_up(bp, r.mentions, w.toks, ix)
    a_part_by_place(bp, r.mentions, w)
    return bp


def _only_among_others(name: str, mentions: list[Mention], roles: dict[str, list[str]]) -> bool:
    """The subject ``name`` is kept out only as one of several a plural names ("neighbouring paintings")."""
    alone = [m for m in mentions if m.objects == [name]]
    return bool(alone) and any(len(m.objects) > 1 and name in m.objects for m in mentions)


PLACED_AFTER = 3  # words between a thing and a placement that still say where that thing sits
PLACE_BREAKS = frozenset("and with while but so or then is are".split())


def _placement_of_another(r: Reading, w: Words, roles: dict[str, list[str]]) -> None:
    """ "The dark green front door, with the small side window on the right": a placement said right after a thing
    that is not the subject is where that thing sits, not the subject's place in the frame (the rug had been put
    on the right third)."""
    if not r.placed_at or r.fields.get("placement") in (None, "leading"):
        return  # "the handrail leading the eye": lines that lead to the subject, set at a power point
    start, said = r.placed_at[0]  # the phrase that set it (later ones were noted as ignored)
    # right after it, or after words about it ("the mustard pillows going soft at the bottom of the frame")
    owner = next(
        (
            m
            for m in reversed(r.mentions)
            if m.end <= start <= m.end + PLACED_AFTER
            and all(t.isalpha() and t not in PLACE_BREAKS for t in w.toks[m.end : start])
        ),
        None,
    )
    listed = []  # "TV and console centred", "the walnut handrail and dark balusters cross the bottom of the frame"
    k = r.mentions.index(owner) if owner is not None else 0
    while k > 0 and _joined(w.toks[r.mentions[k - 1].end : r.mentions[k].start]):
        k -= 1
        listed += r.mentions[k].objects
    if owner is not None and not set(owner.objects + listed) & set(roles["subjects"]):
        # "the granite spheres to the right": where that thing sits, said first of several, or alone
        r.drop("placement")
        r.notes.append(f"'{owner.said} {said}': where the {owner.said.split()[-1]} is, not the subject's place")


FAR_SIDE = frozenset({("far", "side"), ("other", "side"), ("opposite", "side")})


def _pair_before(toks: list[str], i: int, pairs: frozenset[tuple[str, str]], reach: int) -> bool:
    """One of ``pairs`` of words is said among the ``reach`` words before token ``i`` ("far side", "tilted down")."""
    near = toks[max(0, i - reach) : i]
    return bool(pairs.intersection(zip(near, near[1:], strict=False)))


def _far_side_before(toks: list[str], start: int) -> bool:
    """ "on the far side of <the thing starting at start>": a side of it away from what is named next."""
    return _pair_before(toks, start, FAR_SIDE, 6)


def _joined(gap: list[str]) -> bool:
    """The words between two things join them: "and", "and dark" (not a comma alone: "the teapot, table filling")."""
    described = [t for t in gap if t not in object_words.CHAIN_WORDS]
    joins = object_words.LIST_ENDS.intersection(gap) or "plus" in gap
    return bool(joins) and len(described) <= DESCRIBING and all(map(str.isalpha, described))


SEEN_WORDS = frozenset("seen viewed shot photographed".split())


def _vantage_of_another(r: Reading, w: Words, roles: dict[str, list[str]]) -> None:
    """ "The west teak bench seen from behind, with the fountain centred beyond it": a vantage said right after a
    thing that is not the subject is how that thing is seen (the camera behind the bench), not where the camera
    stands around the subject (the fountain had been shot from its back)."""
    if r.vantage_at is None or r.fields.get("vantage") not in ("back", "front", "side", "three_quarter"):
        return
    start, said = r.vantage_at
    owner = next(
        (m for m in r.mentions if m.end < start <= m.end + 2 and all(x in SEEN_WORDS for x in w.toks[m.end : start])),
        None,
    )
    if owner is not None and not set(owner.objects) & set(roles["subjects"]):
        r.drop("vantage")
        r.notes.append(f"'{owner.said} {said}': how the {owner.said.split()[-1]} is seen, not the subject")
        return
    end = start + len(said.split())
    if said.split()[-1] == "of":  # "shoot over the back of the lil black chair at the milk truck": the chair's back
        named = next((m for m in r.mentions if end <= m.start <= end + 2 and m.objects), None)
        if named is not None and not set(named.objects) & set(roles["subjects"]):
            r.drop("vantage")
            r.notes.append(f"'{said} {named.said}': a side of the {named.said.split()[-1]}, not of the subject")


def _known_by_its_parts(roles: dict[str, list[str]], mentions: list[Mention], ix: ObjectIndex, notes) -> None:
    """ "The painting with the sun and hills": a thing guessed among several alike (the subject, or one the frame
    must also hold) gives way to the one whose parts the intent names (those parts are its own, not context)."""
    for guessed in (m for m in mentions if m.guessed and len(m.objects) == 1):
        g = guessed.objects[0]
        role = next((k for k in ("subjects", "context", "background") if g in roles[k]), None)
        if role is None:
            continue
        for m in mentions:
            own = m.objects[0] if len(m.objects) == 1 else None
            if (
                own not in (None, g)
                and own in roles["context"] + roles["background"]
                and ix.label[own] == ix.label[g]
                and any(f"{own}_{t}" in ix.part_of for t in tokens(m.said))
            ):
                roles[role] = [own if o == g else o for o in roles[role]]
                for k in {"context", "background"} - {role}:
                    roles[k] = [o for o in roles[k] if o != own]
                roles[role] = list(dict.fromkeys(roles[role]))
                what = "photographing" if role == "subjects" else "framing"
                notes.append(f"'{m.said}' is part of {own}: {what} {own}, not {g}")
                break


NEAREST_WORDS = frozenset("closest nearest nearer closer next near by beside".split())
NEAREST_LEADS = ("closest", "nearest", "nearer", "closer")  # "the lamp post nearer the archway"


def _located_by(roles: dict[str, list[str]], mentions: list[Mention], w: Words, ix: ObjectIndex, notes) -> None:
    """ "The sculpture closest to the doorway", "the painting nearest the bench": of several alike, the one
    nearest the object named after "closest (to)" or "nearest (to)"; that object only says which (it is not
    context)."""
    for m, after in zip(mentions, mentions[1:], strict=False):
        role = next((k for k in ("subjects", "viewpoint", "context") if m.objects and m.objects[0] in roles[k]), None)
        if len(m.alike) < 2 or len(m.objects) != 1 or role is None or not after.objects:
            continue
        between = [x for x in w.toks[m.end : after.start] if x not in object_words.DETERMINERS and x != "to"]
        if not between or not set(between) <= NEAREST_WORDS or between[0] not in NEAREST_LEADS:
            continue
        said = f"{m.said} {w.take(m.end, after.start)} {after.said}" if w.free(m.end, after.start) else m.said
        where = ix.centre(after.objects[0])
        pick = min(m.alike, key=lambda c: float(np.linalg.norm(ix.centre(c) - where)))
        roles[role][roles[role].index(m.objects[0])] = pick
        if role == "viewpoint":  # "right beside the lantern of the lamp post nearer the archway": where it stands
            roles["context"] = [o for o in roles["context"] if o not in (m.objects[0], pick)]
        for k in ("context", "background") + (("subjects",) if role != "subjects" else ()):
            kept = [o for o in roles[k] if o not in after.objects]
            if k != "subjects" or kept or len(mentions) > 2:
                roles[k] = kept  # the thing that says which is no subject (the next named thing is)
        notes.append(f"'{said}' -> {pick}")
        return


def _defaults(bp: Blueprint, ix: ObjectIndex) -> None:
    """Photographic defaults for every field the intent left open (documented in the module docstring)."""
    said = set(bp.explicit)
    if bp.pitch_deg is not None and "angle" not in said:
        # "tilted down about 35 degrees": the angle that pitch makes (from the height given, else a standing eye)
        bp.angle = angle_of(bp.pitch_deg, bp.height_m if bp.height_m is not None else EYE_HEIGHT)
        bp.notes.append(f"angle {bp.angle} for a pitch of {bp.pitch_deg:+g} degrees")
    if "time_of_day" not in said and bp.mood in photo_words.MOOD_TIME:
        bp.time_of_day = photo_words.MOOD_TIME[bp.mood]
        bp.notes.append(f"time {bp.time_of_day} suits the {bp.mood} mood")
    # the frame holds its context too; the shot's size counts what stands up front (the camera stands beyond it)
    held = bp.context + ([bp.foreground] if bp.foreground else [])
    ext = ix.extent(bp.subjects + [c for c in held if c in ix.bounds])
    across, tall = float(max(ext[0], ext[1])), float(ext[2])
    if "shot_size" not in said:
        architectural = any(ix.label[s] in object_words.ARCHITECTURE for s in bp.subjects + held)
        big = architectural or max(across, tall) >= WIDE_FROM or len(bp.subjects) > 1
        if bp.shot_size == "medium" and big and not ("lens" in said and bp.lens == "tele"):
            bp.shot_size = "wide"
        elif bp.shot_size == "medium" and max(across, tall) <= 0.35:
            bp.shot_size = "close_up"
        bp.notes.append(f"shot size {bp.shot_size} for a subject {max(across, tall):.1f} m across")
    if "lens" not in said:
        bp.lens = {"close_up": "tele", "medium": "normal", "establishing": "wide"}.get(
            bp.shot_size, "wide" if ix.catalog.interior else "normal"
        )
        size = bp.shot_size.replace("_", "-")
        bp.notes.append(f"{bp.lens} lens for {'an' if size[0] in 'aeiou' else 'a'} {size} shot")
    if "aspects" not in said and tall > 1.3 * across:
        bp.aspects = ["4:5", "2:3", "3:2"]
    if "depth_of_field" not in said and bp.shot_size in ("wide", "establishing"):
        bp.depth_of_field = "deep"


def _centrepiece(ix: ObjectIndex, besides: list[str] = ()) -> str:
    """The non-structural object nearest the overview's look-at point (the smallest among those touching it)."""
    target = np.asarray((ix.catalog.default_view or {}).get("look_at", ix.catalog.bounds.mean(axis=0)), float)
    cands = [m for m in ix.mains if ix.label[m] not in object_words.STRUCTURAL and m not in besides] or ix.mains

    def key(m: str) -> tuple[float, float]:
        lo, hi = ix.bounds[m]
        gap = float(np.linalg.norm(np.maximum(0, np.maximum(lo - target, target - hi))))
        return round(gap, 3), float(np.prod(np.maximum(hi - lo, 0.05)))

    return min(cands, key=key)


def _nothing_message(intent: str, r: Reading, ix: ObjectIndex, scene_name: str) -> str:
    unread = [x for x in r.unread if x not in photo_words.WEATHER]
    avoided = [m.said for m in r.mentions]
    what = f"could not match {', '.join(repr(x) for x in unread)}" if unread else "names no object"
    if avoided and not unread:
        what = f"only names things to avoid ({', '.join(avoided)})"
    return (
        f"the intent {intent.strip()!r} {what} in scene {scene_name!r}. It contains: {ix.by_label()}. "
        f"Rephrase naming one of these, e.g. 'the {_centrepiece(ix).replace('_', ' ')} at dusk'."
    )
