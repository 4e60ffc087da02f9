"""Which part of a place the camera stands in: "stand at the foot of the stairs", "from the bottom step", "near the
south side of the courtyard", "from the middle of the room" (blueprint.viewpoint_part).

Only a part said right after a phrase that places the camera ("from", "stand at", "standing near"...) is read
here: "the plant at the foot of the stairs" says where the plant is, and stays with the relations.
"""

from __future__ import annotations

from agentvision.photoflow.builtin import object_words as V
from agentvision.photoflow.builtin.objects import Mention
from agentvision.photoflow.builtin.words import Words, vocabulary_table


def _after_a_standpoint(w: Words, start: int) -> bool:
    """The words just before ``start`` place the camera ("from", "stand at", "shot from")."""
    table = vocabulary_table("RELATIONS_BEFORE")
    return any(
        role == "viewpoint" and start >= len(k) and tuple(w.toks[start - len(k) : start]) == k
        for k, role in table.items()
    )


def read_parts(w: Words, mentions: list[Mention], notes: list[str]) -> tuple[dict[int, str], str | None]:
    """(mention index -> part) for parts of a named place to stand in, and the part of the subject's own space
    when the place is the space itself ("the middle of the room"). Takes the part's words."""
    t, starts = w.toks, {m.start: k for k, m in enumerate(mentions)}
    parts: dict[int, str] = {}
    space: str | None = None
    for i, tok in enumerate(t):
        if not w.free(i, i + 1):
            continue
        s = i - 1 if i and t[i - 1] in V.DETERMINERS and w.free(i - 1, i) else i
        if tok in V.STEP_PARTS and i + 1 in starts and t[i + 1] in V.STEP_WORDS and _after_a_standpoint(w, s):
            parts[starts[i + 1]] = V.STEP_PARTS[tok]  # "from the bottom step"
            notes.append(f"'{w.take(i, i + 1)} {t[i + 1]}' -> viewpoint part {V.STEP_PARTS[tok]}")
            continue
        part = V.PLACE_PARTS.get(tok)
        if part is None:
            continue
        j = i + 1 + (i + 1 < len(t) and t[i + 1] in V.PART_NOUNS)
        if j >= len(t) or t[j] != "of" or not _after_a_standpoint(w, s):
            continue
        j += 1
        k = j + 1 if j < len(t) and t[j] in V.DETERMINERS else j
        if j in starts or k in starts:
            parts[starts.get(j, starts.get(k))] = part
            notes.append(f"'{w.take(s, j)}' -> viewpoint part {part}")
        elif k < len(t) and part not in ("bottom", "top"):
            # the space itself: "the middle of the room", "the south side of the courtyard" (or a library scene's word)
            n = next((n for n in (2, 1) if k + n <= len(t) and " ".join(t[k : k + n]) in V.SCENE_WORDS), 1)
            if n == 1 and t[k] not in V.SPACE_WORDS and t[k] not in V.SCENE_WORDS:
                continue
            space = space or part
            notes.append(f"'{w.take(s, k + n)}' -> the camera stands in the {part} of the space")
    return parts, space


def standpoint_words(viewpoint: str | None, part: str | None) -> str:
    """Where the camera stands, in words: 'at the foot of the staircase', 'in the southern part of the space'."""
    place = f"the {viewpoint.replace('_', ' ')}" if viewpoint else "the space"
    if part is None:
        return f"at {place}"
    if part in ("bottom", "top"):
        return f"at the {'foot' if part == 'bottom' else 'top'} of {place}"
    return f"in the {part}{'' if part == 'middle' else 'ern part'} of {place}"
