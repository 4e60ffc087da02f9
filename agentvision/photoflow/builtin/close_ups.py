"""What a close-up frames when the intent names a part of its subject: a part that is a scene object ("the brass
handle on the wooden door"), its top or bottom ("the top of the pole"), and what the subject stands on, which it
does not widen to hold ("the granite spheres on their plinth")."""

from __future__ import annotations

from agentvision.photoflow.blueprint import Blueprint
from agentvision.photoflow.builtin import object_words
from agentvision.photoflow.builtin.objects import POSSESSIVES, Mention, ObjectIndex, part_named
from agentvision.photoflow.builtin.words import Words


def a_part_by_place(bp: Blueprint, mentions: list[Mention], w: Words) -> None:
    """ "Close up of the top of one of the red curtains where it hangs off the gold rod": a close-up of the top (or
    bottom) of the subject frames that part (Blueprint.subject_part), not the whole curtain from rod to floor."""
    if bp.shot_size != "close_up" or "subject_part" in bp.explicit:
        return
    toks = w.toks
    for m in mentions:
        if not set(m.objects) & set(bp.subjects):
            continue
        k = m.start - 1  # back over "of one of the" to "top"
        while k >= 0 and (toks[k] in object_words.DETERMINERS or toks[k] in ("one", "of")):
            k -= 1
        if k >= 0 and toks[k] in object_words.PART_PLACES and toks[k + 1 : k + 2] == ["of"] and w.free(k, k + 1):
            # (not "shot from low near the bottom of the stairs": where the camera stands, read before)
            bp.subject_part = object_words.PART_PLACES[toks[k]]
            bp.explicit.append("subject_part")
            bp.notes.append(f"'{toks[k]} of {m.said}': the close-up frames the {bp.subject_part} of it")
            return


def a_part_in_close_up(bp: Blueprint, mentions: list[Mention], toks: list[str], ix: ObjectIndex) -> None:
    """ "Close up of the brass handle on the wooden door", "close up of the white vase on the coffee table": in a
    close-up, a subject named by a part of it (the scene's ``door_handle``) is that part, not the whole door (the
    knob had been a few pixels in the middle of the door)."""
    if bp.shot_size != "close_up" or len(bp.subjects) != 1:
        return
    owner = bp.subjects[0]
    named = next((m for m in mentions if m.objects == [owner]), None)
    word = toks[named.end - 1] if named is not None else ""
    part = part_named(ix, owner, word)
    if part is None:
        return
    bp.subjects = [part]
    bp.notes.append(f"'{named.said}': a part of the {owner.replace('_', ' ')}, the close-up's subject ({part})")


def support_in_a_close_up(roles: dict[str, list[str]], mentions: list[Mention], w: Words) -> None:
    """ "Close detail of the granite spheres on their plinth": in a close-up, what the subject stands on ("on
    its/their ...") says where it is; the frame is not widened to hold the plinth whole (it had been, and the
    detail became a full-length view)."""
    for m in mentions:
        owned = w.toks[m.start] in POSSESSIVES or w.toks[m.start] in object_words.DETERMINERS
        if m.start >= 2 and owned and w.toks[m.start - 1] in ("on", "upon", "atop"):
            roles["location"] += [o for o in m.objects if o in roles["context"]]
            roles["context"] = [o for o in roles["context"] if o not in m.objects]
