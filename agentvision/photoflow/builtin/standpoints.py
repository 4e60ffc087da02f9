"""Where the camera stands among the things an intent names: between two things ("in the gap between the sofa and the
bookshelf"), just below one ("just below the wall lamp"), beside one after a word that places the camera ("put the
camera right beside the lantern"), inside an opening ("stand right inside the archway"); a subject said to stand
right behind another thing; and what stands all round the subject (its setting). Helpers of :mod:`intent`."""

from __future__ import annotations

import numpy as np

from agentvision.photoflow.builtin import object_words, photo_words
from agentvision.photoflow.builtin.objects import Mention, ObjectIndex
from agentvision.photoflow.builtin.words import Words

SENTENCE_BREAKS = frozenset({".", ";", ":"})  # where a clause ends (a comma does not end one)


ENCLOSING_OVERLAP = 0.2  # metres of height a thing round the subject shares with it (not a plinth under it)


def encloses(ix: ObjectIndex, thing: str, subjects: list[str]) -> bool:
    """``thing`` stands all round the subjects, at their height (a courtyard's low wall round a bench): their setting,
    like a room's walls; framed whole with them, the shot had been 17 m wide for a 2 m bench. What lies under them (a
    plinth, a rug, the paving) or far above is no such setting."""
    if thing not in ix.bounds or not subjects or any(s not in ix.bounds for s in subjects):
        return False
    lo, hi = ix.bounds[thing]

    def round_it(s: str) -> bool:
        s_lo, s_hi = ix.bounds[s]
        level = min(hi[2], s_hi[2]) - max(lo[2], s_lo[2]) > ENCLOSING_OVERLAP
        return s != thing and level and bool(np.all(s_lo[:2] >= lo[:2]) and np.all(s_hi[:2] <= hi[:2]))

    return all(round_it(s) for s in subjects)


def behind_another(roles: dict[str, list[str]], mentions: list[Mention], toks: list[str], notes: list[str]) -> None:
    """ "Make the utility pole look like it's growing out of the milk truck's roof ... so the pole is right behind
    it": the subject said to stand behind the thing named just before is that thing's background, the thing in
    front the one the camera frames (the pole had stood beside the truck, the gag missed)."""
    behind = [s for s in roles["subjects"] if s in roles["background"]]
    if len(roles["subjects"]) != 1 or not behind or not roles["context"]:
        return
    last = max(k for k, m in enumerate(mentions) if behind[0] in m.objects)
    after = toks[mentions[last].end : mentions[last].end + 4]
    if "behind" not in after or after[after.index("behind") + 1 :][:1] != ["it"]:
        return  # "so the pole is right behind it", not "beyond it the archway stands"
    front = next(
        (m.objects[0] for m in reversed(mentions[:last]) if m.objects and m.objects[0] in roles["context"]), None
    )
    if front is None:
        return
    roles["subjects"], roles["background"] = [front], [behind[0]] + [o for o in roles["background"] if o != behind[0]]
    roles["context"] = [o for o in roles["context"] if o != front]
    notes.append(f"{behind[0]} behind {front}: {front} in front, framed, {behind[0]} lined up behind it")


def stands_inside(toks: list[str], mentions: list[Mention], viewpoint: list[str]) -> bool:
    """The viewpoint is named right after "inside" ("stand right inside the archway")."""
    return any(
        m.objects[:1] == viewpoint[:1] and "inside" in toks[max(0, m.start - 2) : m.start]
        for m in mentions
        if m.objects
    )


BESIDE = frozenset({("beside",), ("next", "to"), ("alongside",)})


CAMERA_REACH = 9  # words back from "beside" to the word that places the camera, in one clause


def camera_placed_before(toks: list[str], start: int, before: list[Mention]) -> bool:
    """A word that places the camera ("put the camera", "stand") comes shortly before ``start``, in the same
    sentence, with no thing named in between: "beside" then says where the camera is, not what the frame holds."""
    lo = max(0, start - CAMERA_REACH, max((m.end for m in before), default=0))
    span = toks[lo:start]
    last_break = max((k for k, t in enumerate(span) if t in SENTENCE_BREAKS), default=-1)
    return bool(photo_words.STAND_WORDS.intersection(span[last_break + 1 :]))


BETWEEN_REACH = 6  # words after "corner" where "between A and B" may say where in the corner the camera stands


STAND_BETWEEN_REACH = 10  # words after a word that places the camera ("stand", "set up") where "between" is where


def between_the_camera(t: list[str], mentions: list[Mention], corner: bool) -> int | None:
    """Where "between A and B" says where the camera stands: just after "corner" ("in the south-east corner,
    between the sofa and the bookshelf"), after "in" or "from" ("squeeze in between the window and the armchair"),
    or a few words after a word that places the camera, with no word of looking or shooting in between ("stand with
    your back to the south window, between the red curtains and ..."). ``corner``: the intent names a corner."""
    thing_ends = {m.end for m in mentions}
    at_corner = next((i for i, x in enumerate(t) if x == "corner"), None) if corner else None
    if at_corner is not None:
        at = next((i for i in range(at_corner + 1, min(len(t), at_corner + BETWEEN_REACH)) if t[i] == "between"), None)
        if at is not None:
            return at
    for i, x in enumerate(t):
        if x != "between":
            continue
        if i and t[i - 1] in ("in", "from"):
            return i
        start = max(i - STAND_BETWEEN_REACH, i - len(clause_before(t, i)))
        # a word that places the camera, not a thing's own "standing" ("the armchair standing between ...")
        placed = [k for k in range(start, i) if t[k] in photo_words.STAND_WORDS and k not in thing_ends]
        if placed and not photo_words.FACING_VERBS.intersection(t[placed[-1] : i]):
            return i
    return None


def beside_the_camera(
    roles: dict[str, list[str]], mentions: list[Mention], w: Words, notes: list[str], corner: bool
) -> None:
    """ "Put the camera in the south-east corner, in the gap between the end of the teal sofa and the bookshelf":
    the two things after "between" are beside the camera, not what it photographs (the sofa had been the subject,
    shot from a step away, facing the wrong way); the next thing named is the subject."""
    t = w.toks
    at = between_the_camera(t, mentions, corner)
    if at is None:
        return
    pair = [m for m in mentions if m.start > at][:3]
    if len(pair) < 2 or not (object_words.LIST_ENDS | {"&"}).intersection(t[pair[0].end : pair[1].start]):
        return
    beside = {o for m in pair[:2] for o in m.objects}
    said = [pair[0].said, pair[1].said]
    if len(pair) == 3 and pair[2].start == pair[1].end:  # "wooden tea" "table": one thing named in two words
        beside |= set(pair[2].objects)
        said[1] += f" {pair[2].said}"
    if not corner:  # away from a corner, a thing named again is photographed too: "stand between the coffee table
        # and the TV ... the console with the TV on it sits left of centre" faces the TV
        beside -= {o for m in mentions if m not in pair for o in m.objects}
    if not set(roles["subjects"] + roles["context"]) & beside:
        return
    rest = [o for o in roles["context"] if o not in beside]
    roles["subjects"] = [o for o in roles["subjects"] if o not in beside] or rest[:1]
    roles["context"] = [o for o in rest if o not in roles["subjects"]]
    notes.append(f"between {said[0]} and {said[1]}: beside the camera, not photographed")


NEAR_ABOVE = frozenset({"below", "under", "beneath", "underneath"})


def over_the_camera(roles: dict[str, list[str]], mentions: list[Mention], w: Words, notes: list[str]) -> None:
    """ "Stop halfway up the staircase, just below the wall lamp, turn round and shoot back across the hall": with a
    place to stand named, a thing the camera stands "just below" is where it is, not what it shoots (the wall lamp
    had been photographed close up); the next thing named is the subject."""
    for m in mentions:
        before = w.toks[max(0, m.start - 2) : m.start]
        if len(before) == 2 and before[0] in ("just", "right", "directly") and before[1] in NEAR_ABOVE:
            if m.objects and set(m.objects) & set(roles["subjects"]) and roles["context"]:
                roles["subjects"] = [o for o in roles["subjects"] if o not in m.objects] or roles["context"][:1]
                roles["context"] = [o for o in roles["context"] if o not in roles["subjects"] + m.objects]
                notes.append(f"'{' '.join(before)} {m.said}': where the camera stands, not photographed")
            return


def clause_before(toks: list[str], i: int) -> list[str]:
    """The words of the sentence before token ``i`` (back to the last full stop, colon, semicolon, ! or ?)."""
    start = max((k + 1 for k in range(i) if toks[k] in SENTENCE_BREAKS | {"!", "?"}), default=0)
    return toks[start:i]
