"""Readings about the frame: what stays out of it ("leave the villa out"), how small the subject sits in it ("parked
small on the right third"), what is the setting behind a small subject (a still life's table and window, a close-up's
tree), and a camera height in metres ("about 1.7 m high") as the angle it makes. Helpers of :mod:`intent`."""

from __future__ import annotations

import numpy as np

from agentvision.photoflow.builtin import object_words, photo_words
from agentvision.photoflow.builtin.objects import Mention, ObjectIndex
from agentvision.photoflow.builtin.words import Words

ON_TOP = 0.05  # metres: a thing whose top is this near the subject's bottom is what it stands on
SETTING = 2.0  # a named thing this many times the subject's size is its setting, not context


HEIGHT_REACH = 5  # words before a number in metres that may say it is the camera's height


def a_height(t: list[str], i: int) -> bool:
    """The number at ``i`` (in metres) is the camera's height: "1.7 m high", "camera at about 1.1 m"."""
    after = t[i + 2] if i + 2 < len(t) else ""
    return after in photo_words.HEIGHT_AFTER or bool(
        photo_words.HEIGHT_BEFORE.intersection(t[max(0, i - HEIGHT_REACH) : i])
    )


def leave_out_verb(toks: list[str], start: int) -> str | None:
    """The "keep" or "leave" that opens what starts at ``start`` ("keep the sofa ... out"), else None."""
    before = [t for t in toks[max(0, start - 3) : start] if t not in object_words.DETERMINERS]
    return before[-1] if before[-1:] and before[-1] in object_words.LEAVE_OUT else None


def left_out(roles: dict[str, list[str]], mentions: list[Mention], w: Words, notes: list[str]) -> None:
    """ "Leave the villa out", "keep the lamp posts out", "keep the sofa and the armchair out": the things between the
    verb and "out" (a list joined by "and" and commas) stay out of frame."""
    for k, m in enumerate(mentions):
        if m.end >= len(w.toks) or w.toks[m.end] != "out" or not w.free(m.end, m.end + 1):
            continue
        first = k  # back along the list: "the sofa, the armchair and the lamp out"
        while first > 0 and all(
            t in object_words.CHAIN_WORDS for t in w.toks[mentions[first - 1].end : mentions[first].start]
        ):
            first -= 1
        start = mentions[first].start
        verb = leave_out_verb(w.toks, start)
        if verb is None:
            continue
        listed = [o for x in mentions[first : k + 1] for o in x.objects]
        for role in ("subjects", "context", "background"):
            roles[role] = [o for o in roles[role] if o not in listed]
        roles["avoid"] += listed
        said = " ".join(w.toks[start : m.end])
        notes.append(f"'{verb} {said} {w.take(m.end, m.end + 1)}' -> avoid {', '.join(listed)}")


def behind_the_camera(roles: dict[str, list[str]], mentions: list[Mention], starts: list[int], notes) -> None:
    """ "With your back to the tall painting": the thing named at ``starts`` is behind the camera, out of frame."""
    for m in mentions:
        if any(s <= m.start <= s + 1 for s in starts):
            for k in ("subjects", "context", "background", "viewpoint"):
                roles[k] = [o for o in roles[k] if o not in m.objects]
            roles["avoid"] += m.objects
            notes.append(f"'back to {m.said}': behind the camera, kept out of frame")


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
