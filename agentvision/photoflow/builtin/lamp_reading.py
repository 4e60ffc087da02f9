"""Lamps and lights in an intent: lamps said to be on ("wall lamp on", "with the spotlights on"), and things said
to be dark or lit ("the skylight is dark"). A few named lamps said on light the picture and stay in it; many light
the room; a lamp said on first is not the subject, the thing framed, centred or named next is."""

from __future__ import annotations

from agentvision.photoflow.builtin import photo_words
from agentvision.photoflow.builtin.objects import Mention
from agentvision.photoflow.builtin.words import Words

LIGHTING_LAMPS = 3  # this many lamps or more, said to be on, light the room rather than stand in the picture
AFTER_ON = frozenset("and , & plus please . ; : - ! it them".split())  # "the spotlights on, ...", "the spots on it"


def lamps_said_on(
    roles: dict, mentions: list[Mention], w: Words, lamps: set[str], notes: list[str], switched: set[int]
) -> None:
    """ "with the spotlights on": many lamps said to be on are the room's light, not things the frame must
    hold (five ceiling spots across two rooms made a 10 m wide subject). One or two named lamps ("the wall lamp
    on", "both lamp posts on") stay in the picture."""
    for m in mentions:
        after = w.toks[m.end : m.end + 2]
        said_on = after[:1] in (["on"], ["lit"]) and (m.end in switched or len(after) < 2 or after[1] in AFTER_ON)
        if not said_on or not set(m.objects) <= lamps:
            continue
        if set(m.objects) & set(roles["subjects"]):
            # "Dusk, wall lamp on. Stand on the landing ... look down the flight": a lamp said on first lights the
            # picture; a few named lamps stay in it, as context
            _subject_besides_the_lamps(roles, m, mentions, w, lamps, notes, keep=len(m.objects) < LIGHTING_LAMPS)
            continue
        if len(m.objects) < LIGHTING_LAMPS:
            continue
        if not set(m.objects) & set(roles["context"]):
            continue
        roles["context"] = [o for o in roles["context"] if o not in m.objects]
        w.take(m.end, m.end + 1)
        notes.append(f"'{m.said} on': lit, the room's light (not framed as context)")


FRAMING_VERBS = photo_words.PHOTO_VERBS | {"frame", "photograph", "shoot"}


def _subject_besides_the_lamps(
    roles: dict, lamps_said: Mention, mentions: list[Mention], w, lamps, notes, keep: bool = False
) -> None:
    """ "Dusk, ceiling lights on, ... Frame the table with the tea set": the lit lamps named first light the room;
    the subject is the thing the request frames (after "frame", "shoot" ...), else the first other thing named.
    ``keep``: the lamps stay in the picture, as context (one or two named lamps)."""
    others = [x for x in mentions if set(x.objects) & set(roles["context"]) and not set(x.objects) <= lamps]
    # "the handrail leading the eye up to the landing": a line that leads there is not what the picture is of
    others = [x for x in others if w.toks[x.end : x.end + 1] not in (["leading"], ["leads"])] or others
    if not others:
        return
    framed = [x for x in others if FRAMING_VERBS.intersection(w.toks[max(0, x.start - 4) : x.start])]
    centred = [x for x in others if CENTRED.intersection(w.toks[x.end : x.end + 4])]  # "the fountain centred"
    chosen = (framed or centred or others)[0].objects
    lit = [o for o in lamps_said.objects if o in roles["subjects"]]
    roles["subjects"] = list(chosen)
    roles["context"] = [o for o in roles["context"] if o not in chosen and o not in lamps_said.objects]
    if keep:
        roles["context"] = lit + roles["context"]
    notes.append(
        f"'{lamps_said.said} on': lit, the {'picture' if keep else 'room'}'s light; photographing {', '.join(chosen)}"
    )


CENTRED = frozenset("centred centered centre center middle".split())
LIGHT_STATES = frozenset("dark lit on off bright glowing dim unlit".split())  # "the skylight is dark"
LIGHT_OUT = frozenset("dark off dim unlit".split())  # a thing said to be dark is not framed for it either


def light_states(roles: dict, mentions: list[Mention], w: Words, lamps: set[str], notes: list[str]) -> None:
    """ "Night: the skylight is dark and only the ceiling spotlights are on. ... The marble figure stands in the
    centre": a thing said to be dark, lit, on or off sets the light; it is not the subject (the skylight had been).
    One said to be dark or off that is not a lamp is not framed for it either; one said to glow stays in the frame
    ("so the tall west window is glowing at the top of the frame")."""
    for k, m in enumerate(mentions):
        after = [x for x in w.toks[m.end : m.end + 3] if x not in ("still", "now", "all", "both")]
        if after[:1] not in (["is"], ["are"]) or after[1:2] == [] or after[1] not in LIGHT_STATES:
            continue
        for said in _listed_before(k, mentions, w) if after[0] == "are" else [m]:
            objects = said.objects
            if not set(objects) & set(roles["subjects"] + roles["context"]):
                continue
            if set(objects) <= lamps and set(objects) & set(roles["subjects"]) and len(objects) < LIGHTING_LAMPS:
                # "Night: the floor lamp and the ceiling light are on. The sofa ...": lit, it stays in the picture;
                # the subject is the thing framed or named next
                _subject_besides_the_lamps(roles, said, mentions, w, lamps, notes, keep=True)
                continue
            roles["subjects"] = [o for o in roles["subjects"] if o not in objects]
            dark = after[1] in LIGHT_OUT and not set(objects) <= lamps
            if dark or (set(objects) <= lamps and len(objects) >= LIGHTING_LAMPS):  # a few named lamps stay in it
                roles["context"] = [o for o in roles["context"] if o not in objects]
                roles["light"] += [o for o in objects if o not in roles["light"]]
            notes.append(f"'{said.said} {' '.join(after[:2])}': how the light is, not the subject")
        w.take(m.end, m.end + 2)


def _listed_before(k: int, mentions: list[Mention], w: Words) -> list[Mention]:
    """ "The floor lamp and the ceiling light are on": mention ``k`` and those joined to it by "and" and commas."""
    first = k
    while first > 0 and all(t in CHAIN for t in w.toks[mentions[first - 1].end : mentions[first].start]):
        first -= 1
    return mentions[first : k + 1]


CHAIN = frozenset("and , & the both".split())
