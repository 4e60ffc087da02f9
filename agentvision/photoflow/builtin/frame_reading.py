"""Readings about the frame: what stays out of it ("leave the villa out"), how small the subject sits in it ("parked
small on the right third"), what is the setting behind a small subject (a still life's table and window, a close-up's
tree), and a camera height in metres ("about 1.7 m high") as the angle it makes. Helpers of :mod:`intent`."""

from __future__ import annotations

import math

import numpy as np

from agentvision.photoflow.builtin import object_words, photo_words
from agentvision.photoflow.builtin.objects import Mention, ObjectIndex, describes
from agentvision.photoflow.builtin.standpoints import SENTENCE_BREAKS, clause_before
from agentvision.photoflow.builtin.words import POSSESSIVE, Words, vocabulary_table

ON_TOP = 0.05  # metres: a thing whose top is this near the subject's bottom is what it stands on
SETTING = 2.0  # a named thing this many times the subject's size is its setting, not context
WIDE_FROM = 3.0  # metres: a subject (with the context the frame must hold) this large is a wide shot by default
IN_FRAME_WORDS = frozenset({"frame", "shot", "picture", "photo", "view"})  # "the pole in the frame for context"


HEIGHT_REACH = 5  # words before a number in metres that may say it is the camera's height


def a_height(t: list[str], i: int) -> bool:
    """The number at ``i`` (in metres) is the camera's height: "1.7 m high", "camera at about 1.1 m"."""
    after = t[i + 2] if i + 2 < len(t) else ""
    if after in photo_words.DISTANCE_AFTER or after.startswith(photo_words.COMPASS_POINTS):
        return False  # "the camera on the grass about 2 m west of the low wall, 1.5 m high": a distance
    if after == "off":  # "1 m off the paving" is a height; "2 m off one of the table's front corners" a distance
        ahead = [x for x in t[i + 3 : i + 7] if x not in object_words.DETERMINERS and x not in ("one", "of")]
        if ahead and ahead[0].isalpha() and ahead[0] not in photo_words.HEIGHT_GROUND:
            return False
    return after in photo_words.HEIGHT_AFTER or bool(
        photo_words.HEIGHT_BEFORE.intersection(t[max(0, i - HEIGHT_REACH) : i])
    )


def leave_out_verb(toks: list[str], start: int) -> str | None:
    """The "keep" or "leave" that opens what starts at ``start`` ("keep the sofa ... out"), else None."""
    before = [t for t in toks[max(0, start - 5) : start] if t not in object_words.DETERMINERS]
    for _ in range(2):  # "crop the abstract painting ... out": a word or two describing the thing between
        if before and before[-1] not in object_words.LEAVE_OUT and before[-1].isalpha():
            if before[-1] in object_words.FUNCTION_WORDS or before[-1] in object_words.ALL_WORDS:
                break
            before.pop()
    return before[-1] if before[-1:] and before[-1] in object_words.LEAVE_OUT else None


def _listed(gap: list[str]) -> bool:
    """The words between two things list them together: "and the", ", the", "and any part of the", "and the
    painted" (a word or two describing the next thing after "and")."""
    other = [t for t in gap if t not in object_words.CHAIN_WORDS and t not in object_words.PART_OF]
    if not other:
        return True
    joined = bool(object_words.LIST_ENDS.intersection(gap)) or "," in gap
    plain = all(t.isalpha() and t not in object_words.FUNCTION_WORDS and t not in object_words.LEAVE_OUT for t in other)
    return joined and len(other) <= 2 and plain  # not ", crop the abstract": the list starts at its verb


def left_out(roles: dict[str, list[str]], mentions: list[Mention], w: Words, notes: list[str]) -> None:
    """ "Leave the villa out", "keep the lamp posts out", "keep the sofa and the armchair out": the things between the
    verb and "out" (a list joined by "and" and commas) stay out of frame."""
    for k, m in enumerate(mentions):
        if m.end >= len(w.toks) or w.toks[m.end] != "out":
            continue
        free = w.free(m.end, m.end + 1)  # "out of the frame" was read as a relation: only a thing's place is mended
        first = k  # back along the list: "the sofa, the armchair and the lamp out", "the tea set and the painted stool"
        while first > 0 and _listed(w.toks[mentions[first - 1].end : mentions[first].start]):
            first -= 1
        start = mentions[first].start
        verb = leave_out_verb(w.toks, start)
        last, where = k, []
        if verb is None and first == k and k and _says_where_it_is(w.toks[mentions[k - 1].end : m.start]):
            # "keep the navy painting on the west wall out of the frame": the wall says where the painting hangs
            first = last = k - 1
            while first > 0 and all(
                t in object_words.CHAIN_WORDS for t in w.toks[mentions[first - 1].end : mentions[first].start]
            ):
                first -= 1
            start, where = mentions[first].start, m.objects
            verb = leave_out_verb(w.toks, start)
        if verb is None or not (free or where or first < k):
            continue
        listed = [o for x in mentions[first : last + 1] for o in x.objects]
        roles["avoid"] = [o for o in roles["avoid"] if o not in where or o in listed]
        for role in ("subjects", "context", "background"):
            roles[role] = [o for o in roles[role] if o not in listed]
        roles["avoid"] += listed
        said = " ".join(w.toks[start : m.end])
        notes.append(f"'{verb} {said} {w.take(m.end, m.end + 1) if free else 'out'}' -> avoid {', '.join(listed)}")


def _says_where_it_is(gap: list[str]) -> bool:
    """The words between two things say where the first one is: "on the west", "by the", "against the north"."""
    rest = [t for t in gap[1:] if t not in object_words.DETERMINERS and t not in photo_words.COMPASS]
    return bool(gap) and gap[0] in LOCATORS | {"on", "in", "at"} and len(rest) <= 1


def allowed_in(roles: dict[str, list[str]], mentions: list[Mention], w: Words, notes: list[str]) -> None:
    """ "Table legs can be in", "the handrail may poke in", "trees ok in the corners": a thing the frame may hold is
    allowed, not asked for; it is not context the frame must hold (the table, and the tea set on it the brief kept
    out, had been in every candidate). Takes the words."""
    t = w.toks
    for j, m in enumerate(mentions):
        k, words, owned = m.end, 0, False
        while k < len(t) and words < PART_WORDS_REACH and not _allowed_at(t, k):
            if t[k] == POSSESSIVE or (owned and t[k] in ("or", "and")):
                k, owned = k + 1, True  # "the grey building's wall or roof edge may come in": its parts
            elif t[k].isalpha() and t[k] not in object_words.FUNCTION_WORDS:
                k, words = k + 1, words + 1  # "table legs can be in": a part of it
            else:
                break
        said = _allowed_at(t, k)
        if said is None or not w.free(k, k + len(said)):
            continue
        listed = j  # "the tea table and stool may just creep in": the whole list
        while listed and all(
            x in object_words.CHAIN_WORDS for x in t[mentions[listed - 1].end : mentions[listed].start]
        ):
            listed -= 1
        if _said_no(t, mentions[listed].start) or "no" in t[m.end : k]:
            continue  # "no painting may sit behind the figure", "no part of the building's roof may show": kept out
        w.take(k, k + len(said))
        named = [o for n in mentions[listed : j + 1] for o in n.objects]
        kept = [o for o in named if o in roles["context"] + roles["background"] and o not in roles["subjects"]]
        if kept:
            for role in ("context", "background"):
                roles[role] = [o for o in roles[role] if o not in kept]
            said_of = " ".join(t[mentions[listed].start : m.end])
            notes.append(f"'{said_of} {' '.join(said)}': allowed in the frame, not asked for")


PART_WORDS_REACH = 3  # words naming a part of the thing: "the grey building's wall or roof edge may come in"


NO_REACH = 8  # words back, within the phrase (to a comma or a clause's end), in which a "no" is said of a thing


def _said_no(t: list[str], start: int) -> bool:
    """ "No" is said of the thing named at ``start``: "no painting", "no other sculpture", "no part of the sofa's arm
    or cushions"; not "no sky and no horizon; the grey building's wall may come in"."""
    k = start
    while k > max(0, start - NO_REACH) and t[k - 1] not in SENTENCE_BREAKS and t[k - 1] != ",":
        k -= 1
    return "no" in t[k:start]


def _allowed_at(t: list[str], k: int) -> tuple[str, ...] | None:
    """The words at ``k`` that allow a thing in the frame ("can be in", "is fine"; "may" and a verb of where it
    is: "the grey building may run along the left edge", "the bench may sit in the foreground"; not "may not", nor
    "may be cut at one arm", which says how it is framed)."""
    said = next((p for p in photo_words.ALLOWED_IN if tuple(t[k : k + len(p)]) == p), None)
    if said is None and t[k : k + 1] == ["may"] and t[k + 1 : k + 2] not in ([], ["not"], ["never"], ["be"]):
        return ("may",)
    return said


def behind_the_camera(
    roles: dict[str, list[str]], mentions: list[Mention], starts: list[int], notes, toks: list[str] | None = None
) -> str | None:
    """ "With your back to the tall painting": the thing named at ``starts`` is behind the camera, out of frame.
    Returns the compass side of the space the camera then stands on, when the thing is said to be on a compass wall
    ("with your back to the bookshelf on the east wall": the east side), else None."""
    side = None
    for m in mentions:
        if any(s <= m.start <= s + 1 for s in starts):
            for k in ("subjects", "context", "background", "viewpoint"):
                roles[k] = [o for o in roles[k] if o not in m.objects]
            roles["avoid"] += m.objects
            notes.append(f"'back to {m.said}': behind the camera, kept out of frame")
            after = [x for x in (toks or [])[m.end : m.end + 4] if x not in object_words.DETERMINERS]
            if len(after) >= 3 and after[0] in ("on", "against", "along") and after[1] in photo_words.COMPASS:
                if after[2] in ("wall", "side", "end") and side is None:
                    side = after[1]
                    notes.append(f"'{m.said} on the {side} {after[2]}': the camera stands on the {side} side")
    return side


def small_in_frame(w: Words) -> list[str]:
    """ "the truck parked small on the right third": each "small" that describes no object says the subject's size
    in the frame, an establishing shot. Takes those words and returns them as said."""
    said = []
    for i, tok in enumerate(w.toks):
        after = w.toks[i + 1] if i + 1 < len(w.toks) else "."
        if tok in photo_words.SMALL_IN_FRAME and w.free(i, i + 1) and after in photo_words.SMALL_AFTER:
            said.append(f"{w.take(i, i + 1)} {after}".strip())
    return said


def _under(ix: ObjectIndex, name: str, subjects: list[str]) -> bool:
    """``name`` is what the subjects stand on: its top at their bottom, under their middle."""
    lo = np.min([ix.bounds[n][0] for n in subjects], axis=0)
    hi = np.max([ix.bounds[n][1] for n in subjects], axis=0)
    mid = (lo + hi) / 2
    b = ix.bounds[name]
    return abs(float(b[1][2] - lo[2])) <= ON_TOP and bool(np.all((b[0][:2] <= mid[:2]) & (mid[:2] <= b[1][:2])))


def asked_in_frame(w: Words, m: Mention) -> bool:
    """ "Chair and utility pole in frame for context", "the stool beside it in the shot": the thing is asked to be
    in the frame (it is context, never only a setting)."""
    after = [t for t in w.toks[m.end : m.end + 4] if t not in object_words.DETERMINERS]
    return after[:1] == ["in"] and bool(IN_FRAME_WORDS.intersection(after[1:3]))


LOCATORS = frozenset({"by", "near", "beside", "under", "beneath", "below", "above", "against", "along", "to"})
LOCATED_BY = 2.25  # a thing named after a locator ("by the window") this many times the subject's broadest face
# (the area of its bounding box's largest side) is its setting: a window by a plant is, a slim floor lamp beside an
# armchair is not


def one_thing_in_its_setting(roles: dict[str, list[str]], mentions: list[Mention], w: Words, ix: ObjectIndex, notes):
    """ "The fig plant in the corner by the big window", "the milk truck parked by the building": one thing named
    with no shot size, and a larger one after "by", "near", "under"... that says where it is. Framing both whole made
    a wide view with the thing small at its edge (blind raters: "a room overview, the plant small at the right"); the
    larger is the setting behind it instead, unless the intent asks for it in the frame or the shot is wide anyway."""
    if len(roles["subjects"]) != 1 or not roles["context"]:
        return
    if any(ix.label[s] in object_words.ARCHITECTURE for s in roles["subjects"]):
        return
    size = _broadest_face(ix, roles["subjects"])
    asked = {o for m in mentions if asked_in_frame(w, m) for o in m.objects}
    larger = {
        o
        for m in mentions
        if _after_a_locator(w, m)
        for o in m.objects
        if o in roles["context"] and o not in asked and _broadest_face(ix, [o]) > LOCATED_BY * size
    }
    kept = [o for o in roles["context"] if o in ix.bounds and o not in larger]
    if not larger or float(ix.extent(roles["subjects"] + kept).max()) >= WIDE_FROM:
        return
    roles["context"] = [o for o in roles["context"] if o not in larger]
    roles["background"] += [o for o in larger if o not in roles["background"]]
    notes.append(f"a shot of one thing: {', '.join(sorted(larger))} the setting behind {roles['subjects'][0]}")


def _broadest_face(ix: ObjectIndex, names: list[str]) -> float:
    """The area (m²) of the largest side of the things' bounding box."""
    a, b = sorted(float(x) for x in ix.extent(names))[-2:]
    return a * b


def _after_a_locator(w: Words, m: Mention) -> bool:
    """The mention follows a word that says where something is ("by the window", "under the skylight")."""
    before = [t for t in w.toks[max(0, m.start - 3) : m.start] if t not in object_words.DETERMINERS]
    return bool(before) and before[-1] in LOCATORS


def setting_behind(roles: dict[str, list[str]], ix: ObjectIndex, notes: list[str], shot: str) -> None:
    """ "Still life of the tea set on the table under the window, curtains on either side", "close up of the
    lantern, a bit of tree soft in the back": the small things are the picture; what is much larger than them
    (the table, the window, the tree) is the setting they are seen against, a background, not context the frame
    must hold whole (the close-up had framed the whole tree, the lantern small beneath it)."""
    size = float(ix.extent(roles["subjects"]).max())
    setting = [
        o
        for o in roles["context"]
        if o in ix.bounds
        and float(ix.extent([o]).max()) > SETTING * size
        and ix.label[o] not in object_words.ROOM_SHELL  # the wall it hangs on is where it is (below)
        and not (shot == "a close-up" and _under(ix, o, roles["subjects"]))  # the table it stands on shows beneath
    ]
    if setting:
        roles["context"] = [o for o in roles["context"] if o not in setting]
        roles["background"] += setting
        notes.append(f"{shot}: {', '.join(setting)} the setting behind {', '.join(roles['subjects'])}")


LOOK_VERBS = frozenset("look looking looks shoot shooting aim aiming point pointing stare staring gaze gazing".split())
LOOK_WAY = frozenset("due straight directly right up down back across over out north south east west".split())


def looked_at(mentions: list[Mention], w: Words) -> list[str]:
    """The thing the camera is told to look at: "look due south at the window" (a verb, words of direction, "at")."""
    for m in mentions:
        before = [t for t in w.toks[max(0, m.start - 7) : m.start] if t not in object_words.DETERMINERS]
        if not before or before[-1] != "at" or not m.objects:
            continue
        way = before[:-1]
        verb = next((k for k in range(len(way) - 1, -1, -1) if way[k] in LOOK_VERBS), None)
        if verb is not None and all(t in LOOK_WAY or t.startswith(photo_words.COMPASS_POINTS) for t in way[verb + 1 :]):
            return m.objects
    return []


ALONE_REACH = 4  # words between "just" and the thing it is about ("just the worn old bookshelf")
# ("set" and "place" only with the camera: "the porcelain tea set right of centre under the window" places nothing)
PLACE_VERBS = frozenset("stand standing put camera tripod crouch kneel".split())
IN_FRONT = ["in", "front", "of"]
STOOD_ROLES = {"background": "the background", "context": "context", "subjects": "the subject"}


def stood_in_front(roles: dict[str, list[str]], mentions: list[Mention], w: Words, notes: list[str]) -> None:
    """ "Put the camera low near the north wall in front of the dresser, and look south": a thing the camera is put
    in front of, in a clause that places the camera (before it looks anywhere), is where it stands, not the
    background."""
    if roles["viewpoint"]:
        return
    for k, m in enumerate(mentions):
        before = w.toks[max(0, m.start - 5) : m.start]
        described = bool(before) and describes(before[-1])
        if IN_FRONT not in (before[-3:], before[-4:-1]) and not (described and before[-5:-2] == IN_FRONT):
            continue  # "in front of dresser", "in front of the dresser", "in front of the tufted leather sofa"
        thing = m.objects[0] if m.objects else None
        # the background or context, or the first thing named when more follow it ("stand in front of the sofa ...
        # and look due west at the door": the door is photographed)
        first = thing in roles["subjects"] and _more_named(mentions, k, thing)
        if thing is None or (thing not in roles["background"] + roles["context"] and not first):
            continue
        if places_camera(w.toks, m.start):
            _stands_at(roles, thing, f"in front of {m.said}", notes)
            return


def places_camera(toks: list[str], start: int) -> bool:
    """The clause before token ``start`` places the camera, before it looks anywhere."""
    clause = clause_before(toks, start)
    return bool(PLACE_VERBS.intersection(clause)) and not LOOK_VERBS.intersection(clause)


def _more_named(mentions: list[Mention], k: int, thing: str) -> bool:
    """Another thing is named after mention ``k``: one to photograph, when ``thing`` is where the camera stands."""
    return any(set(n.objects) - {thing} for n in mentions[k + 1 :])


def _stands_at(roles: dict[str, list[str]], thing: str, said: str, notes: list[str]) -> None:
    role = next((r_said for r, r_said in STOOD_ROLES.items() if thing in roles[r]), "")
    for r in ("background", "context", "subjects"):
        roles[r] = [o for o in roles[r] if o != thing]
    roles["viewpoint"].insert(0, thing)
    notes.append(f"'{said}': where the camera is put" + (f", not {role}" if role else ""))


UNDER = frozenset("under underneath beneath".split())


def stood_under(
    roles: dict[str, list[str]], mentions: list[Mention], w: Words, ix: ObjectIndex, notes: list[str]
) -> None:
    """ "Put the camera 0.25 m above the tiled floor at the west end of the hall, under the landing, and look due
    east": a thing the camera is put under, in a clause that places it, is where it stands (beneath it); the landing
    had been the subject."""
    if roles["viewpoint"]:
        return
    for k, m in enumerate(mentions):
        before = [x for x in w.toks[max(0, m.start - 3) : m.start] if x not in object_words.DETERMINERS]
        thing = m.objects[0] if m.objects else None
        if thing is None or not before or before[-1] not in UNDER or not places_camera(w.toks, m.start):
            continue
        if ix.label.get(thing) in object_words.ROOM_SHELL:
            continue  # "just under the ceiling": how high, not where
        if thing in roles["subjects"] and not _more_named(mentions, k, thing):
            continue  # nothing else named: what it is under is photographed
        _stands_at(roles, thing, f"under {m.said}", notes)
        return


def said_alone(w: Words, mentions: list[Mention], notes: list[str], lamps: set[str]) -> bool:
    """ "The little stool on its own", "nothing else", "just the worn old bookshelf": the subject alone in the frame.
    "Just the wall lamp on" says which lamps are lit, not this. Takes the words."""
    found = False
    for s, e, _ in w.find(vocabulary_table("ALONE")):
        notes.append(f"'{w.take(s, e)}' -> the subject on its own: as little else in the frame as it can")
        found = True
    first = mentions[0] if mentions else None
    if first is not None and first.objects and not set(first.objects) <= lamps:  # "only spotlights": the lit ones
        k = first.start - 1  # back over "the", "worn old" to "just"
        while k >= max(0, first.start - ALONE_REACH + 1) and _describing(w.toks[k]):
            k -= 1
        lit = w.toks[first.end : first.end + 1] in (["on"], ["lit"])
        if k >= 0 and w.toks[k] in photo_words.ALONE_BEFORE and not lit and w.free(k, k + 1):
            notes.append(f"'{w.take(k, k + 1)} {first.said}' -> the subject on its own")
            found = True
    return found


def _describing(word: str) -> bool:
    """A word that may stand between "just" and its thing: "the", "worn", "old" (not "of", "west", "just" itself)."""
    if word in object_words.DETERMINERS:
        return True
    return (
        word.isalpha()
        and word not in object_words.FUNCTION_WORDS
        and word not in photo_words.COMPASS
        and word not in photo_words.ALONE_BEFORE
    )


PLAN_EDGES = {"top": 0, "right": 90, "bottom": 180, "left": 270}  # degrees clockwise from the frame's top
PLAN_REACH = 8  # words from a thing to the edge it is said to lie along
SIDES = ("north", "east", "south", "west")  # clockwise from north, as PLAN_EDGES from the frame's top


def plan_top(
    w: Words, mentions: list[Mention], ix: ObjectIndex, subjects: list[str]
) -> tuple[str, str, int, int] | None:
    """Looking straight down, "turned so the south window wall runs along the bottom edge", "the window side of the
    table at the top of the frame": the compass side at the frame's top, from the side of the subject the thing
    named lies on, the words and where they start and end; None if no edge is said of a thing."""
    if not subjects or any(s not in ix.bounds for s in subjects):
        return None
    centre = np.mean([ix.centre(s) for s in subjects], axis=0)
    for m in mentions:
        if not m.objects or m.objects[0] not in ix.bounds or m.objects[0] in subjects:
            continue
        ahead = w.toks[m.end : m.end + PLAN_REACH]
        edge = next((k for k, t in enumerate(ahead) if t in PLAN_EDGES and ahead[k - 1 : k] == ["the"]), None)
        if edge is None or not {"along", "at", "across"} & set(ahead[:edge]) or "." in ahead[:edge]:
            continue
        said_side = [t for t in w.toks[max(0, m.start - 1) : m.end] if t in SIDES]  # "the south window wall"
        d = (ix.centre(m.objects[0]) - centre)[:2]
        if said_side:
            side = SIDES.index(said_side[-1])
        elif float(np.hypot(*d)) > 1e-6:
            side = round(math.degrees(math.atan2(d[0], d[1])) / 90.0) % 4  # 0 north, 1 east, 2 south, 3 west
        else:
            continue
        top = (side - PLAN_EDGES[ahead[edge]] // 90) % 4
        end = m.end + edge + 1
        return SIDES[top], " ".join(w.toks[m.start : end]), m.start, end
    return None
