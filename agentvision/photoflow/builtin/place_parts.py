"""Which part of a place the camera stands in: "stand at the foot of the stairs", "from the bottom step", "near the
south side of the courtyard", "from the middle of the room" (blueprint.viewpoint_part); and the compass direction it
faces: "look west", "shoot due north", "with your back to the south wall" (blueprint.facing); and how far it looks
down or up, in degrees: "tilted down about 35 degrees" (blueprint.pitch_deg); and how far from the subject it stands:
"about 3 m from it" (blueprint.distance_m).

Only a part said right after a phrase that places the camera ("from", "stand at", "standing near"...) is read
here: "the plant at the foot of the stairs" says where the plant is, and stays with the relations.
"""

from __future__ import annotations

import re

from agentvision.photoflow.blueprint import MAX_PITCH, OPPOSITE
from agentvision.photoflow.builtin import object_words as V
from agentvision.photoflow.builtin import photo_words as P
from agentvision.photoflow.builtin.frame_reading import places_camera
from agentvision.photoflow.builtin.objects import Mention, describes
from agentvision.photoflow.builtin.words import Words, number, vocabulary_table


def _how_far(tok: str) -> bool:
    """A word that says how near: "just", "directly", "about 35 m", "a few steps"."""
    return tok in P.SIDE_NEAR or number(tok) is not None


def _after_a_standpoint(w: Words, start: int) -> bool:
    """The words just before ``start`` place the camera ("from", "standing at", "shot from", "stand just"), or a
    word that places the camera comes a little before them ("stand out in the open about 35 m north of")."""
    while start and _how_far(w.toks[start - 1]):
        start -= 1
    leads = [k for k, role in vocabulary_table("RELATIONS_BEFORE").items() if role == "viewpoint"] + list(P.SIDE_LEADS)
    # the words before, less a height said between ("shot from low near the bottom of the stairs")
    before = tuple(x for x in w.toks[max(0, start - STAND_REACH) : start] if x not in P.HEIGHT_BETWEEN)
    if any(len(before) >= len(k) and before[len(before) - len(k) :] == k for k in leads):
        return True
    return bool(P.STAND_WORDS.intersection(w.toks[max(0, start - STAND_REACH) : start]))


STAND_REACH = 6  # words before a compass side "of" a thing within which a word that places the camera counts


def read_parts(w: Words, mentions: list[Mention], notes: list[str]) -> tuple[dict[int, str], str | None]:
    """(mention index -> part) for parts of a named place to stand in, and the part of the subject's own space
    when the place is the space itself ("the middle of the room"). Takes the part's words."""
    t, starts = w.toks, {m.start: k for k, m in enumerate(mentions)}
    parts: dict[int, str] = {}
    space: str | None = None
    for i, tok in enumerate(t):
        if not w.free(i, i + 1):
            continue
        corner = _corner(w, i)
        if corner:
            space = space or corner
            continue
        s = i - 1 if i and t[i - 1] in V.DETERMINERS and w.free(i - 1, i) else i
        span = t[i + 2 : i + 3] == ["to"] or t[i + 2 : i + 4] == ["up", "to"]  # "from the bottom step up to the top"
        if (
            tok in V.STEP_PARTS
            and i + 1 in starts
            and t[i + 1] in V.STEP_WORDS
            and not span
            and _after_a_standpoint(w, s)
        ):
            parts[starts[i + 1]] = V.STEP_PARTS[tok]  # "from the bottom step"
            notes.append(f"'{w.take(i, i + 1)} {t[i + 1]}' -> viewpoint part {V.STEP_PARTS[tok]}")
            continue
        part, n = V.PLACE_PARTS.get(tok), 1
        if part in P.COMPASS:
            if i and _compass(t, i - 1)[1] == 2:
                continue  # the second word of "south west", read with the first
            part, n = _compass(t, i)  # "the south-west part of the room"
        if part is None:
            continue
        j = i + n + (i + n < len(t) and t[i + n] in V.PART_NOUNS)
        if j >= len(t) or t[j] != "of" or not _after_a_standpoint(w, s):
            continue
        while s and _how_far(t[s - 1]) and w.free(s - 1, s):
            s -= 1  # "standing directly north of the lamp post"
        j += 1
        k = j + 1 if j < len(t) and t[j] in V.DETERMINERS else j
        # "from the middle of the tufted leather sofa": up to two words the reader does not know may describe it
        at = next((x for x in range(k, k + DESCRIBED + 1) if x in starts and _describing(t[k:x])), None)
        if j in starts or at is not None:
            parts[starts[j] if j in starts else starts[at]] = part
            notes.append(f"'{w.take(s, j)}' -> viewpoint part {part}")
        elif k < len(t) and part not in ("bottom", "top"):
            # the space itself: "the middle of the room", "the south side of the courtyard" (or a library scene's word)
            n = next((n for n in (2, 1) if k + n <= len(t) and " ".join(t[k : k + n]) in V.SCENE_WORDS), 1)
            if n == 1 and t[k] not in V.SPACE_WORDS and t[k] not in V.SCENE_WORDS:
                continue
            space = space or part
            notes.append(f"'{w.take(s, k + n)}' -> the camera stands in the {part} of the space")
    return parts, space


DESCRIBED = 2  # unknown words that may describe a place between "the middle of the" and its name


def _describing(words: list[str]) -> bool:
    """Words that describe a place ("tufted", objects.describes), none a part of one ("the bottom step")."""
    return all(describes(x) and x not in V.PLACE_PARTS and x not in V.STEP_PARTS for x in words)


CORNER_LEADS = frozenset({"stand", "standing", "put", "place", "set", "camera", "from", "shoot", "shot", "tripod"})


def _corner(w: Words, i: int) -> str | None:
    """ "Put the camera in the south-east corner", "stand in the NW corner", "from the north-west corner": a compass
    corner of the space to stand in, said after words that place the camera (takes them)."""
    t = w.toks
    part, n = _compass(t, i)
    if part is None or "_" not in part or t[i + n : i + n + 1] != ["corner"] or not w.free(i, i + n + 1):
        return None
    lead = [x for x in t[max(0, i - 6) : i] if x not in V.DETERMINERS]
    if not lead or lead[-1] not in ("in", "from", "at", "into"):
        return None
    if not CORNER_LEADS.intersection(lead) and not _set_off(t, max(k for k in range(i) if t[k] == lead[-1])):
        return None
    w.take(i, i + n + 1)
    return part


def _set_off(t: list[str], k: int) -> bool:
    """The place at token ``k`` ("in") is set off by a comma in a clause that places the camera, with nothing
    aimed at between: "Put the camera low, about 0.8 m above the concrete floor, in the south-west corner"."""
    return t[k - 1 : k] == [","] and places_camera(t, k)


def standpoint_words(viewpoint: str | None, part: str | None) -> str:
    """Where the camera stands, in words: 'at the foot of the staircase', 'in the southern part of the space'."""
    place = f"the {viewpoint.replace('_', ' ')}" if viewpoint else "the space"
    if part is None:
        return f"at {place}"
    if part in ("bottom", "top"):
        return f"at the {'foot' if part == 'bottom' else 'top'} of {place}"
    if part == "under":
        return f"under {place}"
    if "_" in part:
        return f"in the {part.replace('_', '-')} corner of {place}"
    return f"in the {part}{'' if part == 'middle' else 'ern part'} of {place}"


def _compass(t: list[str], j: int) -> tuple[str | None, int]:
    """The compass direction said at ``j`` ("north", "north east", "northeast", "northwards", "north-west",
    "west-south-west") and the number of words it takes; (None, 0) if none."""

    def point(word: str) -> str | None:
        for p in P.COMPASS_POINTS:
            if word == p or word in (p + x for x in P.COMPASS_SUFFIXES):
                return p
        return None

    if j >= len(t):
        return None, 0
    if t[j] in P.COMPASS_SHORT:  # "the SE corner"
        return P.COMPASS_SHORT[t[j]], 1
    first = point(t[j])
    if first is None:  # "northeast", "southwestward"
        for a in ("north", "south"):
            for b in ("east", "west"):
                if t[j].startswith(a + b) and point(t[j][len(a) :]) == b:
                    return f"{a}_{b}", 1
        return None, 0
    # "west-south-west", "north-north-east": sixteen points; the camera faces the first (22.5 degrees off it)
    third = [point(x) for x in t[j + 1 : j + 3]]
    if len(third) == 2 and first in third and third[0] in ("north", "south") and third[1] in ("east", "west"):
        return first, 3
    second = point(t[j + 1]) if j + 1 < len(t) and first in ("north", "south") else None
    if second in ("east", "west") and t[j] == first:
        return f"{first}_{second}", 2
    return first, 1


def read_facing(w: Words, is_object, notes: list[str]) -> tuple[str | None, str | None, list[int]]:
    """The compass direction the camera faces; the side of the space it stands in when the intent puts its back
    to a wall ("with your back to the south wall": facing north, in the south part); and where each thing the
    camera has its back to is named ("with your back to the tall painting": the token after "to"). Takes the words
    read; the first direction said wins, and a later other one is noted as ignored.
    ``is_object(word)``: the word names a scene object ("the sofa facing north" says where the sofa faces)."""
    t, found, side, behind = w.toks, [], None, []
    for i in range(len(t) - 2):
        if tuple(t[i : i + 2]) in P.BACK_TO and w.free(i, i + 2):
            j = i + 2 + (t[i + 2] in V.DETERMINERS)
            way, n = _compass(t, j)
            if way is None and w.free(i + 2, i + 3):
                behind.append(i + 2)
                w.take(i, i + 2)
            if way is None or not w.free(j, j + n):
                continue
            end = j + n + (j + n < len(t) and t[j + n] in P.FACING_PLACES)
            found.append((i, OPPOSITE[way], w.take(i, end)))
            side = side or way
    for i, tok in enumerate(t):
        if tok not in P.FACING_VERBS or (i and is_object(t[i - 1])):
            continue
        j = i + 1  # "look due north", "look diagonally across the room to the north-east"
        while j < len(t) and j - i <= 7 and (t[j] in P.FACING_BETWEEN or t[j] in P.FACING_ACROSS):
            j += 1
        way, n = _compass(t, j)
        if way is None or not w.free(j, j + n):
            continue
        after = t[j + n] if j + n < len(t) else "."
        if after.isalpha() and after not in V.FUNCTION_WORDS and after not in P.FACING_AFTER:
            if after not in P.FACING_PLACES or (j + n + 1 < len(t) and t[j + n + 1] == "of"):
                continue  # "shoot the north side of the villa": a side of a thing, not the way the camera faces
            n += 1
        found.append((i, way, f"{tok} {w.take(i + 1, j + n)}"))
    stands = _side_of_the_subject(w)
    found += [(i, OPPOSITE[way], said) for i, way, said in stands]
    if not found:
        return None, None, behind
    found.sort()
    facing = found[0][1]
    around = {said for _, _, said in stands}
    for _, way, said in found:
        if way != facing:
            notes.append(f"'{said}' ignored: the camera already faces {facing.replace('_', ' ')}")
        elif said in around:
            where = OPPOSITE[way].replace("_", "-")
            notes.append(f"'{said}' -> the camera stands {where} of the subject, facing {way.replace('_', '-')}")
        elif side and OPPOSITE[side] == way and said == found[0][2]:
            notes.append(f"'{said}' -> the camera faces {way.replace('_', ' ')}, standing on the {side} side")
        else:
            notes.append(f"'{said}' -> the camera faces {way.replace('_', ' ')}")
    return facing, side if side and OPPOSITE[side] == facing else None, behind


def _side_of_the_subject(w: Words) -> list[tuple[int, str, str]]:
    """ "From the east side", "seen from the north", "standing just west of it": the compass side of the subject the
    camera stands on, as (where said, the side, the words), taking them. A side "of" a thing named there is a place
    to stand, read by :func:`read_parts`, and "from the north wall" or "the north side of the villa" are not read
    here."""
    t, out = w.toks, []
    for i in range(len(t)):
        lead = next((k for k in P.SIDE_LEADS if tuple(t[i : i + len(k)]) == k and w.free(i, i + len(k))), None)
        if lead is None:
            continue
        j = i + len(lead)
        while j < len(t) and j - i <= 6 and (_how_far(t[j]) or t[j] in V.DETERMINERS):
            j += 1
        way, n = _compass(t, j)
        if way is None or not w.free(j, j + n):
            continue
        k = j + n + (j + n < len(t) and t[j + n] in P.SIDE_WORDS)
        after = t[k] if k < len(t) else "."
        if after == "of":
            if k + 1 >= len(t) or t[k + 1] not in P.SIDE_PRONOUNS:
                continue  # "from north of the bench", "the west of the courtyard": a place named, read_parts
            k += 2
        elif after.isalpha() and after not in V.FUNCTION_WORDS and after not in P.FACING_AFTER:
            continue  # "from the north wall", "standing south-facing"
        out.append((i, way, w.take(i, k)))
    return out


def read_pitch(w: Words, intent: str) -> tuple[float, str] | None:
    """ "Tilted down about 35 degrees", "tilt down 10 deg", "pointing up 20°", "look down at about 45 degrees": the
    camera's pitch in degrees (negative: down) and the words said, taken; "shoot straight up" is a steep worm's-eye
    view, "a slight upward tilt" a few degrees up; None if no pitch is said."""
    t = w.toks

    def allowed(i: int, n: int) -> bool:  # "a slight upward tilt is fine": allowed, not asked
        return bool(P.ALLOWED_AFTER.intersection(t[i + n : i + n + 3]))

    for s, e, pitch in w.find(vocabulary_table("SLIGHT_TILTS"), guard=allowed)[:1]:
        return pitch, w.take(s, e)  # "tilted slightly down so the slats of the seat read": a few degrees
    for i, tok in enumerate(t[:-2]):
        if tok in P.LOOK_UP_VERBS and tuple(t[i + 1 : i + 3]) in P.STRAIGHT_UP and w.free(i, i + 3):
            return P.STRAIGHT_UP_PITCH, w.take(i, i + 3)  # a worm's-eye view: no degrees said, a steep one
        if tok not in P.PITCH_LEADS or t[i + 1] not in P.PITCH_WAYS or not w.free(i, i + 2):
            continue
        j = i + 2 + (t[i + 2] == "at")  # "look down at about 45 degrees toward the truck"
        j += j < len(t) and t[j] in P.PITCH_ABOUT
        num = number(t[j]) if j < len(t) else None
        degrees = j + 1 < len(t) and t[j + 1] in P.DEGREE_WORDS
        if num is None or not 0 < num <= MAX_PITCH or not (degrees or re.search(rf"\b{re.escape(t[j])}\s*°", intent)):
            continue
        said = w.take(i, j + 1 + degrees)
        return P.PITCH_WAYS[t[i + 1]] * num, said
    return None


DISTANCE_LEADS = frozenset({"from", "of", "away", "back", "off", "out"})  # "3 m from it", "25 m north-east of"
SUBJECT_PRONOUNS = frozenset({"it", "them", "him", "her"})
DISTANCE_HEDGES = frozenset({"due", "just", "roughly", "about"})  # "about 25 m due north of"


def read_distance(
    distances: list[tuple[float, int, str]], w: Words, mentions: list[Mention], subjects: list[str]
) -> tuple[float, str] | None:
    """The first distance in metres said from the subject ("about 3 m from it", "stand well back, 25 to 30 m from the
    pole", "about 25 m north-east of the big grey building's corner", "5 m back"): where the camera stands, with the
    words (taken). ``distances``: (metres, the index after the unit, the words) as read with the numbers. One from
    another thing ("about 2 m west of the low wall") says only where, and is left."""
    for metres, after, said in distances:
        k = after
        while k < len(w.toks) and k < after + 4 and (w.toks[k] in P.COMPASS or w.toks[k] in DISTANCE_HEDGES):
            k += 1
        lead = w.toks[k] if k < len(w.toks) else ""
        if lead not in DISTANCE_LEADS:
            continue
        thing = next((m for m in mentions if k < m.start <= k + 3 and m.objects), None)
        pronoun = w.toks[k + 1 : k + 2] != [] and w.toks[k + 1] in SUBJECT_PRONOUNS
        if thing is not None and not set(thing.objects) & set(subjects):
            continue
        if thing is None and not pronoun and lead not in ("away", "back", "out"):
            continue
        w.take(after - 2, after)
        return metres, " ".join([said, *w.toks[after : k + 1]])
    return None
