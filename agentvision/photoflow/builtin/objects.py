"""The scene as the intent reader sees it: main objects (parts folded in) with their labels,
materials, colours and boxes, and how a run of words names one or several of them.

Built from a :class:`~agentvision.scene.catalog.SceneCatalog`, so reading an intent needs no geometry.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

import numpy as np

from agentvision.camera import Camera
from agentvision.conventions import hex_to_linear
from agentvision.photoflow.builtin import object_words as V
from agentvision.photoflow.builtin import photo_words
from agentvision.photoflow.builtin.words import POSSESSIVE, IntentError, Words, singulars, tokens
from agentvision.scene.catalog import SceneCatalog


@dataclass
class ObjectIndex:
    """Main objects (parts folded in), their sizes, colours and the frame that 'left' refers to."""

    catalog: SceneCatalog
    mains: list[str]
    part_of: dict[str, str]
    label: dict[str, str]
    bounds: dict[str, np.ndarray]
    material: dict[str, set[str]]
    lab: dict[str, np.ndarray]
    right: np.ndarray
    eye: np.ndarray

    @classmethod
    def of(cls, scene) -> ObjectIndex:
        """The index of a SceneCatalog (or of a Scene, through its catalog)."""
        catalog = scene if isinstance(scene, SceneCatalog) else SceneCatalog.of(scene)
        names = {o.name: o for o in catalog.objects}
        part_of = {}
        for o in catalog.objects:
            owners = [n for n in names if o.name.startswith(n + "_") and names[n].label == o.label]
            if owners:
                part_of[o.name] = max(owners, key=len)
        for part, owner in list(part_of.items()):  # fold chains (a_b_c -> a_b -> a)
            while owner in part_of:
                owner = part_of[owner]
            part_of[part] = owner
        mains = [o.name for o in catalog.objects if o.name not in part_of]
        bounds = {m: [(names[m].lo, names[m].hi)] for m in mains}
        for part, owner in part_of.items():
            bounds[owner].append((names[part].lo, names[part].hi))
        bounds = {
            m: np.array([np.min([b[0] for b in bs], 0), np.max([b[1] for b in bs], 0)]) for m, bs in bounds.items()
        }
        material = {m: set(tokens(names[m].material)) for m in mains}
        lab = {m: _lab(names[m].base_color) for m in mains}
        if catalog.default_view:
            cam = Camera.from_dict(catalog.default_view)
            right, eye = cam.basis()[0], np.asarray(cam.position)
        else:
            lo, hi = catalog.bounds
            right, eye = np.array([1.0, 0, 0]), np.array([(lo[0] + hi[0]) / 2, lo[1] - 10.0, (lo[2] + hi[2]) / 2])
        labels = {o.name: o.label for o in catalog.objects}
        return cls(catalog, mains, part_of, labels, bounds, material, lab, right, eye)

    def centre(self, name: str) -> np.ndarray:
        return self.bounds[name].mean(axis=0)

    def extent(self, names: list[str]) -> np.ndarray:
        b = np.array([self.bounds[n] for n in names])
        return b[:, 1].max(axis=0) - b[:, 0].min(axis=0)

    def by_label(self) -> str:
        groups: dict[str, list[str]] = {}
        for m in self.mains:
            groups.setdefault(self.label[m], []).append(m)
        return "; ".join(k if v == [k] else f"{k}: {', '.join(v)}" for k, v in groups.items())


def _lab(linear_rgb) -> np.ndarray:
    """Linear RGB -> CIELAB (D65): colour words are compared where distances look like differences."""
    lin = np.clip(np.asarray(linear_rgb, dtype=np.float64), 0.0, 1.0)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _head(name: str) -> str | None:
    words = [w for w in name.split("_") if not w.isdigit()]
    return words[-1] if len(words) > 1 else None


def _match(ix: ObjectIndex, concept: str, plural: bool) -> list[str]:
    """Main objects a concept names: by name, label, part suffix, then head word."""
    named = [m for m in ix.mains if m == concept] or [ix.part_of[p] for p in ix.part_of if p == concept]
    labelled = [m for m in ix.mains if ix.label[m] == concept]
    if named and not plural:
        return named
    if named or labelled:
        return list(dict.fromkeys(named + labelled))
    if concept in V.NOT_OBJECTS or concept in V.COLOURS:
        return []
    parts = [o for p, o in ix.part_of.items() if p == f"{o}_{concept}"]
    if parts:
        return list(dict.fromkeys(parts))
    heads = [m for m in ix.mains if concept in (_head(m), _head(ix.label[m]))]
    if heads:
        return heads
    # a leading word of a compound name: "the duck" is the duck_statue (only when it names one object)
    words = [m for m in ix.mains if concept in [w for w in m.split("_") if not w.isdigit()][:-1]]
    return words if len(words) == 1 else []


LAMP_LIGHT = (("_lamp", "_light"), ("_light", "_lamp"))  # plurals reach these through their singulars


def resolve(ix: ObjectIndex, key: str) -> tuple[list[str], bool, int] | None:
    """(objects, plural, rank) for a word or ``a_b`` phrase; rank 0 is the word's own meaning."""
    if key in V.NOT_OBJECTS:
        return None
    words = [(key, False)] + [(s, True) for s in singulars(key)]
    # "the pendant lamp" is the pendant_light, "the wall light" the wall_lamp: a compound's last word
    # lamp and light are one.
    words += [(w[: -len(a)] + b, p) for w, p in words for a, b in LAMP_LIGHT if "_" in w and w.endswith(a)]
    for word, plural in words:
        if word in V.NOT_OBJECTS:
            continue
        # The scene's own names win over the built-in synonyms: in a file with a node named "building",
        # "the building" is that node, not the villa the synonym table would look for.
        own = [m for m in ix.mains if word in (m, ix.label[m])]
        if own:
            # the object of that very name first; its alike ones too, for an adjective to choose among ("the
            # little window next to the front door" is the side window, not the object named "window")
            return sorted(own, key=lambda m: m != word), plural, 0
        for rank, concept in enumerate(V.SYNONYMS.get(word.replace("_", " "), (word,))):
            hits = _match(ix, concept.replace(" ", "_"), plural)
            if hits:
                return hits, plural, rank
    return None


# ----- object mentions ----------------------------------------------------------------------
@dataclass
class Mention:
    start: int  # token span, adjectives included
    end: int
    said: str
    objects: list[str]
    rank: int  # 0: the word's first meaning (for scene inference)
    words: int  # how many words named the object (adjectives not counted)
    note: str
    guessed: bool = False  # one of several alike, chosen by size alone
    alike: tuple[str, ...] = ()  # the candidates it was chosen among


def _is_photo_noun(w: Words, i: int) -> bool:
    """'a picture of', 'take a picture', 'fill most of the picture': the photograph being asked for, not a
    painting."""
    t = w.toks
    if t[i] not in photo_words.PHOTO_NOUNS:
        return False
    after = t[i + 1] if i + 1 < len(t) else ""
    filling = any(x in ("fill", "fills", "filling") for x in t[max(0, i - 4) : i])  # "fill most of the picture"
    purpose = "for" in t[max(0, i - 3) : i]  # "frame-within-a-frame for the exhibition poster": what the photo is for
    made = i >= 2 and t[i - 1] in ("a", "an") and t[i - 2] in photo_words.PHOTO_VERBS
    # "parallel to the edges of the picture", "the right-hand side of the picture": a part of the photograph
    edge = i >= 3 and t[i - 2] == "of" and t[i - 1] == "the" and t[i - 3] in photo_words.FRAME_PARTS
    edge = edge and after not in V.FUNCTION_WORDS | {"hanging", "hung"}  # not "the top of the picture on the wall"
    return after == "of" or filling or purpose or made or edge


FRAME_HEIGHTS = frozenset({"upper", "lower"})
FRAME_SIDES = frozenset("left right third thirds half corner edge part".split())


def _a_part_of_the_frame(t: list[str], i: int) -> bool:
    """ "The lamp in the upper-left third", "the lower half": a part of the photograph, not the upper door."""
    return t[i] in FRAME_HEIGHTS and t[i + 1 : i + 2] != [] and t[i + 1] in FRAME_SIDES


STANDING_VERBS = frozenset({"stand", "standing", "stands"})
AFTER_STANDING = frozenset(
    """just right still up back here there where with facing looking close tight well about around roughly
    approximately nearly some between""".split()
)  # "stand about 2.5 m from the console", "stand between the table and the TV": the photographer, not the lamp's stand


def _a_verb_of_standing(w: Words, i: int) -> bool:
    """ "Stand in the south-west part of the room", "standing just inside", "set up in the corner": where the
    photographer is, not a part called "stand" (a lamp's stand) or a tea set, named with a determiner or an owner
    ("the lamp's stand")."""
    t = w.toks
    if t[i] == "set" and t[i + 1 : i + 2] == ["up"]:
        return True  # "set up in the south-west corner": not the tea set
    if t[i] not in STANDING_VERBS or (i and t[i - 1] in V.DETERMINERS):
        return False
    after = t[i + 1] if i + 1 < len(t) else ""
    return after in V.FUNCTION_WORDS or after in AFTER_STANDING or after in V.DETERMINERS


def _modifier(word: str, ix: ObjectIndex, candidates: list[str]) -> bool:
    known = (V.DETERMINERS, V.ALL_WORDS, V.ORDINALS, V.NUMBERS, V.COLOURS, V.LIGHTNESS, V.RANKERS, V.MATERIAL_SYNONYMS)
    return any(word in k for k in known) or word.isdigit() or any(word in ix.material[c] for c in candidates)


def describes(word: str) -> bool:
    """A plain word that may describe the noun after it (not a function word, a number or punctuation)."""
    return word.isalpha() and word not in V.FUNCTION_WORDS and word not in V.DETERMINERS and word not in V.ALL_WORDS


def _telling(word: str, ix: ObjectIndex, candidates: list[str]) -> bool:
    """An adjective that tells alike objects apart: a material, a colour or a size word."""
    return word not in V.DETERMINERS and word not in V.ALL_WORDS and _modifier(word, ix, candidates)


def find_mentions(w: Words, ix: ObjectIndex, hints: list[str]) -> list[Mention]:
    out, i, t = [], 0, w.toks
    while i < len(t):
        for n in (3, 2, 1):
            if not w.free(i, i + n) or not all(x[0].isalpha() for x in t[i : i + n]):
                continue
            if n == 1 and (_is_photo_noun(w, i) or _a_verb_of_standing(w, i) or _a_part_of_the_frame(t, i)):
                break
            found = resolve(ix, "_".join(t[i : i + n]))
            if found:
                mention = _pick(w, ix, i, i + n, *found)
                if out and out[-1].end == mention.start == i and not _a_bare_list(t, out[-1], mention):
                    # "the ceiling spotlights", "the tea table": a noun before a noun describes it
                    mention = _joined(out.pop(), mention, ix)
                out.append(mention)
                i = out[-1].end - 1
                break
            if " ".join(t[i : i + n]) in V.SCENE_WORDS:
                hints.append(V.SCENE_WORDS[w.take(i, i + n)])
                i += n - 1
                break
        else:
            typo = _misspelt(w, ix, i)
            if typo:
                word, found = typo
                mention = _pick(w, ix, i, i + 1, *found)
                out.append(replace(mention, note=f"{mention.note} ('{t[i]}' read as '{word}')"))
        i += 1
    done: list[Mention] = []
    for m in out:  # each reading sees the ones before it as read ("the canvas" is the painting just chosen)
        by_compass = _compass_adjective(m, t, ix) if m.guessed else m
        if by_compass is not m:  # "Backlit bench study ... behind the east teak bench": the plain bench was that one
            done = [_settled_later(d, by_compass) for d in done]
        m = _the_others(_said_before(by_compass, done, t), t)
        done.append(_on_a_side(_its_own(_its_part(m, done, t, ix), done, t, ix), t, ix))
        _take_its_side(w, done[-1])
    return done


def _take_its_side(w: Words, mention: Mention) -> None:
    """ "The painting on the north wall", "the big tree in the SE corner": the compass words say where the thing is
    (they chose it among alike ones, or agree with it); they are read, not listed as unread."""
    t, idx = w.toks, _side_said(w.toks, mention.end)
    if idx is None:
        if mention.note.startswith("'the ") and not mention.guessed:  # "the east teak bench", chosen by "east"
            for k in range(max(0, mention.start - 3), mention.start):
                if t[k] in photo_words.COMPASS and w.free(k, k + 1) and f" {t[k]}" in mention.note.replace("-", " "):
                    w.take(k, k + 1)
        return
    if (t[idx[1]] in photo_words.COMPASS or t[idx[1]] in photo_words.COMPASS_SHORT) and w.free(idx[1], idx[1] + 1):
        w.take(idx[1], idx[1] + 1)
        if t[idx[2]] == "corner" and w.free(idx[2], idx[2] + 1):
            w.take(idx[2], idx[2] + 1)


SIDE_WORDS = frozenset({"wall", "side", "end", "corner"})
SIDE_LEADS = ("on", "along", "at", "by", "in")


def _side_said(toks: list[str], end: int) -> list[int] | None:
    """Where "on the north wall", "in the SE corner" is said right after ``end``: the positions of its lead, its
    compass word and its side word (determiners skipped); None if it is not said there."""
    idx = [k for k in range(end, min(len(toks), end + 4)) if toks[k] not in V.DETERMINERS][:3]
    if len(idx) < 3 or toks[idx[0]] not in SIDE_LEADS or toks[idx[2]] not in SIDE_WORDS:
        return None
    return idx


def compass_vector(way: str):
    """The unit XY vector of "north" or "south_east"; None for any other word."""
    parts = way.split("_")
    if not all(p in photo_words.COMPASS for p in parts):
        return None
    v = np.sum([photo_words.COMPASS[p] for p in parts], axis=0)
    return v / np.linalg.norm(v)


SIDE_REACH = 0.5  # metres: alike things this near the farthest one toward a compass side are on that side too
COLOUR_REACH = 4  # words before a thing where a colour may describe it ("the red colour-field painting")


def _on_a_side(mention: Mention, toks: list[str], ix: ObjectIndex) -> Mention:
    """ "The red colour-field painting on the north wall": of alike things that only size could choose between,
    the ones on that compass side of the scene, and of those the one nearest a colour said a few words before (it had
    been the largest painting, on the west wall)."""
    if not mention.guessed:
        return mention
    idx = _side_said(toks, mention.end)
    if idx is None:
        return _compass_adjective(mention, toks, ix)
    after = [toks[k] for k in idx]
    if after[0] == "in" and after[2] == "corner" and after[1] in photo_words.COMPASS_SHORT:
        after[1] = photo_words.COMPASS_SHORT[after[1]]  # "the big tree in the SE corner"
    toward = compass_vector(after[1])
    if toward is None:
        return mention
    reach = {c: float(ix.centre(c)[:2] @ np.asarray(toward)) for c in mention.alike if c in ix.bounds}
    if not reach:
        return mention
    side = [c for c, v in reach.items() if v >= max(reach.values()) - SIDE_REACH]
    colours = [x for x in toks[max(0, mention.start - COLOUR_REACH) : mention.start] if x in V.COLOURS]
    if len(side) > 1 and colours:
        side = [side[int(np.argmax(_measure(ix, side, colours[-1], 1.0)))]]
    pick = side[0] if len(side) == 1 else max(side, key=lambda c: float(np.prod(np.maximum(ix.extent([c]), 0.05))))
    note = f"'{mention.said} on the {after[1]} {after[2]}' -> {pick}"
    return replace(mention, objects=[pick], note=note, guessed=False)


def _settled_later(earlier: Mention, later: Mention) -> Mention:
    """An earlier plain mention that only size chose among the same alike things is the one a later mention
    chose by its words."""
    if not earlier.guessed or set(earlier.alike) != set(later.alike):
        return earlier
    note = f"'{earlier.said}' -> {', '.join(later.objects)} (as '{later.said}' says later)"
    return replace(earlier, objects=later.objects, note=note, guessed=False)


def _compass_adjective(mention: Mention, toks: list[str], ix: ObjectIndex) -> Mention:
    """ "The east teak bench", "the north-west tree": a compass word after "the" (up to two describing words before
    the thing) chooses, of alike things, the one farthest that way."""
    for k in range(max(1, mention.start - 3), mention.start):
        n = 2 if toks[k + 1 : k + 2] and toks[k + 1] in photo_words.COMPASS else 1
        way = "_".join(toks[k : k + n])
        describing = toks[k + n : mention.start]
        if toks[k - 1] not in V.DETERMINERS or compass_vector(way) is None or toks[k] not in photo_words.COMPASS:
            continue
        if not all(x.isalpha() and x not in V.FUNCTION_WORDS for x in describing):
            continue
        toward = np.asarray(compass_vector(way))
        reach = {c: float(ix.centre(c)[:2] @ toward) for c in mention.alike if c in ix.bounds}
        if len(reach) < 2:
            return mention
        pick = max(reach, key=reach.get)
        note = f"'the {way.replace('_', '-')} {mention.said}' -> {pick}"
        return replace(mention, objects=[pick], note=note, guessed=False)
    return mention


OTHER = frozenset({"other", "another", "second"})


TYPO_MIN = 5  # letters: shorter words are too easily another word
TYPO_CUTOFF = 0.85  # difflib's similarity: "fountian" is 0.875 of "fountain"
# Words the reader knows in some other sense: never read as a misspelt object.
_KNOWN = frozenset(
    w
    for table in (
        V.COLOURS,
        V.LIGHTNESS,
        V.RANKERS,
        V.ORDINALS,
        V.NUMBERS,
        V.MATERIAL_SYNONYMS,
        V.RELATIONS_BEFORE,
        V.RELATIONS_AFTER,
        V.SCENE_WORDS,
        photo_words.ANGLES,
        photo_words.VANTAGES,
        photo_words.BLUR_WORDS,
        photo_words.SHOT_SIZES,
        photo_words.LENSES,
        photo_words.PLACEMENT_PHRASES,
        photo_words.ASPECT_PHRASES,
        photo_words.DEPTHS,
        photo_words.TIMES_EXTRA,
        photo_words.MOODS,
        photo_words.WEATHER,
        photo_words.FILLER,
        photo_words.PHOTO_VERBS,
        photo_words.PHOTO_NOUNS,
    )
    for key in table
    for w in str(key).split()
)


def _misspelt(w: Words, ix: ObjectIndex, i: int) -> tuple[str, tuple] | None:
    """The object word that an unknown word is a typo of ("fountian": fountain) and what it resolves to, or
    None. Only words no pass has read, of the same first letter and length within one."""
    word = w.toks[i]
    if w.used[i] or len(word) < TYPO_MIN or not word.isalpha() or word in V.NOT_OBJECTS:
        return None
    if word in V.FUNCTION_WORDS or word in _KNOWN:
        return None
    names = {n for m in ix.mains for n in (m, ix.label[m], *m.split("_")) if n.isalpha()} | set(V.SYNONYMS)
    near = [n for n in names if n[0] == word[0] and abs(len(n) - len(word)) <= 1 and " " not in n]
    for match in difflib.get_close_matches(word, near, n=3, cutoff=TYPO_CUTOFF):
        found = resolve(ix, match)
        if found:
            return match, found
    return None


def _settles(named: Mention, guess: Mention) -> bool:
    """``named`` chose (not by size alone) among the alike objects that ``guess`` could only pick by size."""
    return guess.guessed and not named.guessed and bool(named.objects) and set(named.objects) <= set(guess.alike)


NONE_OF = frozenset({"no", "nor", "without", "any"})  # "no painting", "no other sculpture" (not "the other sculpture")


def _the_others(mention: Mention, toks: list[str]) -> Mention:
    """ "No painting may sit behind the figure", "no other sculpture ... may overlap it": after "no" or "no other", a
    plain noun that could only guess among alike objects by size is all of them (the one photographed is then left
    out of what stays out, see ``_only_among_others``)."""
    before = toks[max(0, mention.start - 2) : mention.start]
    if before[-1:] and before[-1] in NONE_OF:
        said = before[-1:]  # "no painting"
    elif len(before) == 2 and before[0] in NONE_OF and before[1] == "other":
        said = before  # "no other sculpture"
    else:
        return mention
    if not mention.guessed or len(mention.alike) < 2:
        return mention
    note = f"'{' '.join(said)} {mention.said}' -> {', '.join(mention.alike)} (any of them)"
    return replace(mention, objects=list(mention.alike), note=note, guessed=False)


def _said_before(mention: Mention, before: list[Mention], toks: list[str]) -> Mention:
    """ "The bronze knot ..., slightly below the sculpture": a plain noun that could only guess among alike objects
    by size means the one of them the request already named (not after "other": "the other sculpture")."""
    if not mention.guessed or (mention.start > 0 and toks[mention.start - 1] in OTHER):
        return mention
    for prev in before:
        if _settles(prev, mention):
            note = f"'{mention.said}' -> {', '.join(prev.objects)} (the {prev.said.removeprefix('the ')} named before)"
            return replace(mention, objects=prev.objects, note=note, guessed=False)
    return mention


POSSESSIVES = frozenset({"its", "their"})
# words that, said of a thing ("its seat", "the truck's roof"), name a part of it, not another thing called so
PART_WORDS = frozenset(
    """seat seats back backrest arm arms armrest leg legs top roof base front side end corner edge frame foot feet lid
    lids rim cushion cushions slats""".split()
)
INDEFINITE = frozenset({"a", "an", "another", "other", "any", "some"})  # "and a plinth": any one, not its own
BELONGS = 0.3  # metres between the boxes: a thing alike others this near the first thing named is with it


def _its_part(mention: Mention, before: list[Mention], toks: list[str], ix: ObjectIndex) -> Mention:
    """ "The coffee table with its books and vase": "its" before a word that names a part of the thing named just
    before (the scene's ``coffee_table_books``) is that thing, not another called so (the bookshelf had been
    framed as context)."""
    owned = mention.start > 0 and toks[mention.start - 1] == POSSESSIVE  # "the stool's seat"
    if toks[mention.start] not in POSSESSIVES and not owned:
        return mention
    if owned:
        owner = next((m for m in reversed(before) if m.end == mention.start - 1 and m.objects), None)
    else:
        owner = next((m for m in reversed(before) if m.objects and not m.guessed), None)
    if owner is None or set(mention.objects) <= set(owner.objects):
        return mention
    word = toks[mention.end - 1]
    for name in owner.objects:
        if part_named(ix, name, word) is not None:
            return replace(mention, objects=[name], note=f"'{mention.said}' -> {name} (its own part)", guessed=False)
    if word in PART_WORDS:  # "the painted stool's seat", "the truck's roof": a part of that thing, not the armchair
        return replace(
            mention,
            objects=owner.objects[:1],
            note=f"'{mention.said}' -> {owner.objects[0]} (its own {word})",
            guessed=False,
        )
    return mention


def part_named(ix: ObjectIndex, owner: str, word: str) -> str | None:
    """The part of ``owner`` that ``word`` names ("books" -> ``coffee_table_books``, "handle" -> ``door_handle``),
    singular or plural; None if it names none."""
    return next((f"{owner}_{w}" for w in (word, word.rstrip("s"), word + "s") if f"{owner}_{w}" in ix.part_of), None)


def _its_own(mention: Mention, before: list[Mention], toks: list[str], ix: ObjectIndex) -> Mention:
    """ "The white marble figure on its plinth": among alike objects that only size could choose between, "its"
    means the one belonging to the thing named just before, the nearest to it (the figure's own plinth, not the
    largest of three). Without "its", a thing that belongs with another ("straight down on the granite spheres ...
    plinth edges around it") is the one nearest the first thing named, when that is much nearer than the others
    (it had been the largest plinth, across the room, and the frame held both)."""
    if not mention.guessed:
        return mention
    owned = toks[mention.start] in POSSESSIVES
    owner = next((m for m in reversed(before) if m.objects and not m.guessed), None) if owned else None
    if not owned and not (mention.start and toks[mention.start - 1] in OTHER) and toks[mention.start] not in INDEFINITE:
        owner = next((m for m in before if m.objects and not m.guessed and len(m.objects) == 1), None)
    if owner is None:
        return mention
    centre = ix.centre(owner.objects[0])

    def gap(name: str) -> float:  # from the owner's centre to the candidate's box
        a, b = (np.asarray(x) for x in ix.bounds[name])
        return float(np.linalg.norm(np.maximum(0.0, np.maximum(a - centre, centre - b))))

    lo, hi = (np.asarray(x) for x in ix.bounds[owner.objects[0]]) if owner.objects[0] in ix.bounds else (centre,) * 2

    def apart(name: str) -> float:  # between the two boxes
        a, b = (np.asarray(x) for x in ix.bounds[name])
        return float(np.linalg.norm(np.maximum(0.0, np.maximum(a - hi, lo - b))))

    alike = [c for c in mention.alike if c in ix.bounds and c not in owner.objects]
    gaps = sorted(((gap if owned else apart)(c), c) for c in alike)
    if not gaps or (not owned and (len(gaps) < 2 or gaps[0][0] > BELONGS or gaps[1][0] < BELONGS)):
        return mention  # none, or not one clearly with it: the largest stays the guess
    own = gaps[0][1]
    note = f"'{mention.said}' -> {own} (the nearest to {owner.said.removeprefix('the ')})"
    return replace(mention, objects=[own], note=note, guessed=False)


LIST_WORDS = frozenset({"n", "and", "&", "or", ","})


def _a_bare_list(t: list[str], first: Mention, second: Mention) -> bool:
    """ "sofa rug n armchair all in": nouns in a row with no determiner before them, a list going on after them, are
    a list typed without commas, not one thing described by another ("the tea table")."""
    described = any(x in V.DETERMINERS for x in t[max(0, first.start - 1) : first.end])  # "the tea table", "one of"
    return not described and t[second.end : second.end + 1] != [] and t[second.end] in LIST_WORDS


def _joined(first: Mention, second: Mention, ix: ObjectIndex) -> Mention:
    """One mention of two nouns in a row. The second names the object; where it could only guess among alike
    objects by size and the first already picked some of them ("the granite spheres sculpture": 'granite
    spheres' chose the sphere stack among three sculptures), the first's choice stands; where the first names
    another thing, a place ("the upstairs door": 'upstairs' is the landing), the alike one nearest it."""
    said = f"{first.said} {second.said}"
    if _settles(first, second) or (
        # "one of the lamp post lanterns": the count said before the first noun picks among the plural's objects
        not first.guessed and first.objects and len(second.objects) > 1 and set(first.objects) < set(second.objects)
    ):
        note = f"'{said}' -> {', '.join(first.objects)} (as '{first.said}' says)"
        return replace(second, start=first.start, said=said, objects=first.objects, note=note, guessed=False)
    if second.guessed and len(second.alike) > 1 and first.objects and not set(first.objects) & set(second.alike):
        where = np.mean([ix.centre(o) for o in first.objects], axis=0)
        pick = min(second.alike, key=lambda c: float(np.linalg.norm(ix.centre(c) - where)))
        note = f"'{said}' -> {pick} (the {second.said.split()[-1]} nearest the {first.objects[0].replace('_', ' ')})"
        return replace(second, start=first.start, said=said, objects=[pick], note=note, guessed=False)
    return replace(second, start=first.start, said=said)


def _pick(w: Words, ix: ObjectIndex, start: int, end: int, cands: list[str], plural: bool, rank: int) -> Mention:
    """Choose among candidates with the adjectives before the object and a number after it."""
    t, head = w.toks, " ".join(w.toks[start:end])
    genre_at = start - 1 if start > 0 and not w.used[start - 1] and t[start - 1] in V.GENRE_PARTS else None
    while start > 0 and not w.used[start - 1]:
        if _modifier(t[start - 1], ix, cands):
            if t[start] in V.DETERMINERS and t[start - 1] not in V.ALL_WORDS:  # "nearest the bench": no adjective
                break
            start -= 1
        elif start >= 3 and t[start - 1] == "and" and t[start - 2] in V.COLOURS and t[start] in V.COLOURS:
            start -= 1  # "the rust-and-teal painting": two colours, both the object's
        elif start >= 2 and describes(t[start - 1]) and not w.used[start - 2] and _telling(t[start - 2], ix, cands):
            start -= 2  # "the bronze torus knot": a word the scene does not know between an adjective and the noun
        else:
            break
    count = None
    if start >= 2 and t[start - 1] == "of" and w.free(start - 2, start) and (t[start - 2] in V.NUMBERS):
        start, count = start - 2, V.NUMBERS[t[start - 2]]  # "one of the trees"
    mods = [x for x in t[start:end] if x not in head.split()]
    index = None
    if end < len(t) and t[end] in ("#", "number", "no", "nr") and end + 1 < len(t) and t[end + 1].isdigit():
        index, end = int(t[end + 1]), end + 2
    elif (
        end < len(t)
        and len(cands) > 1
        and (t[end].isdigit() or t[end] in V.NUMBERS)
        and w.free(end, end + 1)
        and not (plural and t[end + 1 : end + 2] in (["behind"], ["after"], ["by"], ["of"], ["in"]))
    ):  # a number after the name chooses one ("sculpture 1"), not "all 3 sculptures one behind the other"
        index, end = int(t[end]) if t[end].isdigit() else V.NUMBERS[t[end]], end + 1
    exact = cands[0] in ("_".join(head.split()[-2:]), head.split()[-1])
    if exact and not plural and index is None and not [m for m in mods if m not in V.DETERMINERS]:
        cands = cands[:1]  # "the window": the object of that name, with nothing said to choose another
    cands, end = _by_a_part(w, ix, cands, end)
    if genre_at is not None and len(cands) > 1:  # "the landscape painting": the one with hills or a sun in it
        owners = [c for c in cands if any(f"{c}_{p}" in ix.part_of for p in V.GENRE_PARTS[t[genre_at]])]
        if len(owners) == 1:
            cands, start = owners, min(start, genre_at)
    for m in mods:
        if m in V.ORDINALS:
            index = V.ORDINALS[m]
        elif (m.isdigit() or m in V.NUMBERS) and count is None:
            count = int(m) if m.isdigit() else V.NUMBERS[m]
    said = w.take(start, end)
    chosen, why = _choose(ix, cands, mods, index, count, plural or any(m in V.ALL_WORDS for m in mods), said)
    note = f"'{said}' -> {', '.join(chosen)}{why}"
    guessed = why.startswith(" (the largest")
    return Mention(start, end, said, chosen, rank, len(head.split()), note, guessed, tuple(cands))


def _by_a_part(w: Words, ix: ObjectIndex, cands: list[str], end: int) -> tuple[list[str], int]:
    """ "The landscape painting with the sun": of several alike, the one with a part of that name (``painting_1_sun``);
    the words naming the part join the mention. Unchanged when no single candidate has it."""
    t = w.toks
    if len(cands) < 2 or end + 1 >= len(t) or t[end] != "with":
        return cands, end
    j = end + 1 + (t[end + 1] in V.DETERMINERS)
    if j >= len(t) or not w.free(end, j + 1):
        return cands, end
    owners = [c for c in cands if f"{c}_{t[j]}" in ix.part_of]
    return (owners, j + 1) if len(owners) == 1 else (cands, end)


def _choose(ix, cands, mods, index, count, plural, said) -> tuple[list[str], str]:
    if index is not None:
        numbered = [c for c in cands if c.rsplit("_", 1)[-1] == str(index)]
        if numbered:
            return numbered[:1], ""
        if -len(cands) <= (index - 1 if index > 0 else index) < len(cands):
            return [cands[index - 1 if index > 0 else index]], " (by scene order)"
        if len(cands) == 1:  # "the fifth step from the bottom": a part of the one staircase, counted along it
            return cands, f" (the only one; '{said}' counts a part of it)"
        raise IntentError(
            f"'{said}': the scene has {len(cands)} of those ({', '.join(cands)}); name one of them, "
            f"or say which with an adjective (left, tall, red...)"
        )
    scores = _scores(ix, cands, mods)
    if len(cands) == 1:
        return cands, ""
    if scores is None:
        if count:
            return cands[:count], ""
        if plural:
            return cands, " (all)"
        sizes = [float(np.prod(np.maximum(ix.extent([c]), 0.05))) for c in cands]
        best = cands[int(np.argmax(sizes))]
        return [best], f" (the largest of {len(cands)}; say e.g. '{cands[0].replace('_', ' ')}' to choose)"
    order = [cands[i] for i in np.argsort(-scores, kind="stable")]
    if plural and not count:
        best = [c for c, v in zip(cands, scores, strict=True) if v == scores.max()]
        material = any(
            m in V.MATERIAL_SYNONYMS or m in V.COLOURS or any(m in ix.material[c] for c in cands) for m in mods
        )
        if len(best) < len(cands) and material:
            # "the granite spheres": the material picks the object the plural describes
            return best, f" (the {' '.join(m for m in mods if m not in V.DETERMINERS)} one)"
        return cands, " (all)"
    return order[: count or 1], f" (best match for '{' '.join(m for m in mods if m not in V.DETERMINERS)}')"


def _scores(ix: ObjectIndex, cands: list[str], mods: list[str]) -> np.ndarray | None:
    """Summed rank scores (higher is better) of the adjectives that tell candidates apart, or None."""
    total, used, shift = np.zeros(len(cands)), False, 1.0
    for m in mods:
        if m in V.DETERMINERS or m in V.ALL_WORDS or m in V.ORDINALS or m in V.NUMBERS or m.isdigit():
            continue
        if m in V.LIGHTNESS and m != mods[-1] and mods[mods.index(m) + 1] in V.COLOURS:
            shift = V.LIGHTNESS[m]  # "dark red": a darker red
            continue
        value = _measure(ix, cands, m, shift)
        if value is not None and np.ptp(value) > 1e-9:
            total += _ranks(value)
            used = True
    return total if used else None


def _ranks(value: np.ndarray) -> np.ndarray:
    """0 for the smallest value; ties share the lower rank."""
    return np.searchsorted(np.sort(value), value).astype(float)


def _measure(ix: ObjectIndex, cands: list[str], word: str, shift: float) -> np.ndarray | None:
    """Per-candidate value of one adjective, larger is a better match."""
    materials = V.MATERIAL_SYNONYMS.get(word, (word,))
    has = np.array([any(t == m or (len(m) > 3 and m in t) for t in ix.material[c] for m in materials) for c in cands])
    has = has.astype(float)
    if 0 < has.sum() < len(cands):
        return has
    if word in V.COLOURS:
        target = _lab(hex_to_linear(V.COLOURS[word]))
        target[0] = min(100.0, target[0] * shift)
        d = np.array([ix.lab[c] - target for c in cands])
        return -np.sqrt((0.5 * d[:, 0]) ** 2 + d[:, 1] ** 2 + d[:, 2] ** 2)
    if word not in V.RANKERS:
        return None
    what, how = V.RANKERS[word]
    ext = np.array([ix.extent([c]) for c in cands])
    centres = np.array([ix.centre(c) for c in cands])
    value = {
        "height": ext[:, 2],
        "size": np.prod(np.maximum(ext, 0.05), axis=1),
        "lightness": np.array([ix.lab[c][0] for c in cands]),
        "right": centres @ ix.right,
        "depth": np.linalg.norm(centres - ix.eye, axis=1),
        "elevation": centres[:, 2],
    }[what]
    if how == "median":
        return -np.abs(_ranks(value) - (len(cands) - 1) // 2)
    return value if how == "max" else -value
