"""The built-in Director's intent parser: a photo request in plain words -> a :class:`Blueprint`.

``parse_intent("the red painting from below at dusk, 85mm", scene)`` reads the request in passes;
each pass consumes the words it understands (the phrases themselves live in
:mod:`agentvision.photoflow.vocabulary`):

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

import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from agentvision.camera import ASPECTS, Camera, lens_class, nearest_aspect
from agentvision.conventions import hex_to_linear
from agentvision.photoflow import vocabulary as V
from agentvision.photoflow.blueprint import Blueprint
from agentvision.scene.lighting import ALIASES, TIMES, normalise_time
from agentvision.scene.model import Scene

_TOKEN = r"f/\d+(?:\.\d+)?|\d+(?:\.\d+)?:\d+(?:\.\d+)?|\d+(?:st|nd|rd|th)\b|\d+(?:\.\d+)?|[a-z_][a-z0-9_]*|[#,;.!?&]"
_TIME_KEYS = [" ".join(t.split("_")) for t in TIMES]


class IntentError(ValueError):
    """An intent that names nothing photographable in the scene; the message says what the scene has."""


# ----- words --------------------------------------------------------------------------------
def tokens(text: str) -> list[str]:
    """Lower-case words, numbers, ratios and punctuation; hyphens split words, apostrophes vanish."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("'", "").replace("\u00d7", "x")
    text = re.sub(r"(?<=[a-z])-|-(?=[a-z0-9])", " ", text)
    text = re.sub(r"(\d)\s*x\s*(?=\d)", r"\1 x ", text)  # "4x5" -> "4 x 5"
    return re.findall(_TOKEN, text)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(tokens(phrase))


@cache
def vocabulary_table(name: str) -> dict[tuple[str, ...], object]:
    """A vocabulary table keyed by token tuples (time of day also reads lighting's TIMES and ALIASES)."""
    if name == "times":
        data = {k: k.replace(" ", "_") for k in _TIME_KEYS}
        data |= {a.replace("_", " "): v for a, v in ALIASES.items() if a not in V.TIME_ALIAS_SKIP}
        data |= V.TIMES_EXTRA
        return {_key(k): normalise_time(v) for k, v in data.items()}
    if name == "tilt":
        return {_key(k): True for k in V.TILT}
    return {_key(k): v for k, v in getattr(V, name).items()}


def _singulars(word: str) -> list[str]:
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    if word.endswith("ves"):
        return [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return [word[:-2]]
    if word.endswith("s") and not word.endswith("ss"):
        return [word[:-1]]
    return []


def _number(word: str) -> float | None:
    try:
        return float(word)
    except ValueError:
        return None


@dataclass
class Words:
    """The intent's tokens and which of them a pass has consumed."""

    toks: list[str]
    used: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.used = [False] * len(self.toks)

    def free(self, start: int, end: int) -> bool:
        return 0 <= start and end <= len(self.toks) and not any(self.used[start:end])

    def take(self, start: int, end: int) -> str:
        for i in range(start, end):
            self.used[i] = True
        return " ".join(self.toks[start:end])

    def find(self, table: dict, lo: int = 0, hi: int | None = None, guard=None) -> list[tuple[int, int, object]]:
        """Free, non-overlapping phrases of ``table`` in [lo, hi), longest first at each position."""
        hi, sizes, out, i = len(self.toks) if hi is None else hi, sorted({len(k) for k in table}, reverse=True), [], lo
        while i < hi:
            for n in sizes:
                key = tuple(self.toks[i : i + n])
                if i + n <= hi and key in table and self.free(i, i + n) and not (guard and guard(i, n)):
                    out.append((i, i + n, table[key]))
                    i += n - 1
                    break
            i += 1
        return out


# ----- the scene, indexed -------------------------------------------------------------------
@dataclass
class _Index:
    """Main objects (parts folded in), their sizes, colours and the frame that 'left' refers to."""

    scene: Scene
    mains: list[str]
    part_of: dict[str, str]
    label: dict[str, str]
    bounds: dict[str, np.ndarray]
    material: dict[str, set[str]]
    lab: dict[str, np.ndarray]
    right: np.ndarray
    eye: np.ndarray

    @classmethod
    def of(cls, scene: Scene) -> _Index:
        names = {o.name: o for o in scene.objects}
        part_of = {}
        for o in scene.objects:
            owners = [n for n in names if o.name.startswith(n + "_") and names[n].label == o.label]
            if owners:
                part_of[o.name] = max(owners, key=len)
        for part, owner in list(part_of.items()):  # fold chains (a_b_c -> a_b -> a)
            while owner in part_of:
                owner = part_of[owner]
            part_of[part] = owner
        mains = [o.name for o in scene.objects if o.name not in part_of]
        bounds = {m: [names[m].bounds] for m in mains}
        for part, owner in part_of.items():
            bounds[owner].append(names[part].bounds)
        bounds = {
            m: np.array([np.min([b[0] for b in bs], 0), np.max([b[1] for b in bs], 0)]) for m, bs in bounds.items()
        }
        material = {m: set(tokens(names[m].material.name)) for m in mains}
        lab = {m: _lab(names[m].material.base_color) for m in mains}
        if scene.default_view:
            cam = Camera.from_dict(scene.default_view)
            right, eye = cam.basis()[0], np.asarray(cam.position)
        else:
            lo, hi = scene.bounds
            right, eye = np.array([1.0, 0, 0]), np.array([(lo[0] + hi[0]) / 2, lo[1] - 10.0, (lo[2] + hi[2]) / 2])
        return cls(scene, mains, part_of, {o.name: o.label for o in scene.objects}, bounds, material, lab, right, eye)

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


def _match(ix: _Index, concept: str, plural: bool) -> list[str]:
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
    return [m for m in ix.mains if concept in (_head(m), _head(ix.label[m]))]


def _resolve(ix: _Index, key: str) -> tuple[list[str], bool, int] | None:
    """(objects, plural, rank) for a word or ``a_b`` phrase; rank 0 is the word's own meaning."""
    if key in V.NOT_OBJECTS:
        return None
    for word, plural in [(key, False)] + [(s, True) for s in _singulars(key)]:
        if word in V.NOT_OBJECTS:
            continue
        for rank, concept in enumerate(V.SYNONYMS.get(word.replace("_", " "), (word,))):
            hits = _match(ix, concept.replace(" ", "_"), plural)
            if hits:
                return hits, plural, rank
    return None


# ----- object mentions ----------------------------------------------------------------------
@dataclass
class _Mention:
    start: int  # token span, adjectives included
    end: int
    said: str
    objects: list[str]
    rank: int  # 0: the word's first meaning (for scene inference)
    words: int  # how many words named the object (adjectives not counted)
    note: str


def _is_photo_noun(w: Words, i: int) -> bool:
    """'a picture of', 'take a picture': the photograph being asked for, not a painting."""
    t = w.toks
    if t[i] not in V.PHOTO_NOUNS:
        return False
    after = t[i + 1] if i + 1 < len(t) else ""
    return after == "of" or (i >= 2 and t[i - 1] in ("a", "an") and t[i - 2] in V.PHOTO_VERBS)


def _modifier(word: str, ix: _Index, candidates: list[str]) -> bool:
    known = (V.DETERMINERS, V.ALL_WORDS, V.ORDINALS, V.NUMBERS, V.COLOURS, V.LIGHTNESS, V.RANKERS, V.MATERIAL_SYNONYMS)
    return any(word in k for k in known) or word.isdigit() or any(word in ix.material[c] for c in candidates)


def _mentions(w: Words, ix: _Index, hints: list[str]) -> list[_Mention]:
    out, i, t = [], 0, w.toks
    while i < len(t):
        for n in (3, 2, 1):
            if not w.free(i, i + n) or not all(x[0].isalpha() for x in t[i : i + n]):
                continue
            if n == 1 and _is_photo_noun(w, i):
                break
            found = _resolve(ix, "_".join(t[i : i + n]))
            if found:
                out.append(_pick(w, ix, i, i + n, *found))
                i = out[-1].end - 1
                break
            if " ".join(t[i : i + n]) in V.SCENE_WORDS:
                hints.append(V.SCENE_WORDS[w.take(i, i + n)])
                i += n - 1
                break
        i += 1
    return out


def _pick(w: Words, ix: _Index, start: int, end: int, cands: list[str], plural: bool, rank: int) -> _Mention:
    """Choose among candidates with the adjectives before the object and a number after it."""
    t, head = w.toks, " ".join(w.toks[start:end])
    while start > 0 and not w.used[start - 1] and _modifier(t[start - 1], ix, cands):
        start -= 1
    count = None
    if start >= 2 and t[start - 1] == "of" and w.free(start - 2, start) and (t[start - 2] in V.NUMBERS):
        start, count = start - 2, V.NUMBERS[t[start - 2]]  # "one of the trees"
    mods = [x for x in t[start:end] if x not in head.split()]
    index = None
    if end < len(t) and t[end] in ("#", "number", "no", "nr") and end + 1 < len(t) and t[end + 1].isdigit():
        index, end = int(t[end + 1]), end + 2
    elif end < len(t) and len(cands) > 1 and (t[end].isdigit() or t[end] in V.NUMBERS) and w.free(end, end + 1):
        index, end = int(t[end]) if t[end].isdigit() else V.NUMBERS[t[end]], end + 1
    for m in mods:
        if m in V.ORDINALS:
            index = V.ORDINALS[m]
        elif (m.isdigit() or m in V.NUMBERS) and count is None:
            count = int(m) if m.isdigit() else V.NUMBERS[m]
    said = w.take(start, end)
    chosen, why = _choose(ix, cands, mods, index, count, plural or any(m in V.ALL_WORDS for m in mods), said)
    return _Mention(start, end, said, chosen, rank, len(head.split()), f"'{said}' -> {', '.join(chosen)}{why}")


def _choose(ix, cands, mods, index, count, plural, said) -> tuple[list[str], str]:
    if index is not None:
        numbered = [c for c in cands if c.rsplit("_", 1)[-1] == str(index)]
        if numbered:
            return numbered[:1], ""
        if -len(cands) <= (index - 1 if index > 0 else index) < len(cands):
            return [cands[index - 1 if index > 0 else index]], " (by scene order)"
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
        return cands, " (all)"
    return order[: count or 1], f" (best match for '{' '.join(m for m in mods if m not in V.DETERMINERS)}')"


def _scores(ix: _Index, cands: list[str], mods: list[str]) -> np.ndarray | None:
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


def _measure(ix: _Index, cands: list[str], word: str, shift: float) -> np.ndarray | None:
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


# ----- relations ----------------------------------------------------------------------------
def _roles(w: Words, mentions: list[_Mention], notes: list[str]) -> dict[str, list[str]]:
    """Subject, context, background, through and avoid from the words between objects."""
    before, after = vocabulary_table("RELATIONS_BEFORE"), vocabulary_table("RELATIONS_AFTER")
    both = before | after
    pre: list[str | None] = [None] * len(mentions)
    post: list[str | None] = [None] * len(mentions)
    bounds = [0] + [x for m in mentions for x in (m.start, m.end)] + [len(w.toks)]
    skip = V.DETERMINERS | V.FILLER | V.ALL_WORDS
    for g in range(len(mentions) + 1):
        lo, hi = bounds[2 * g], bounds[2 * g + 1]
        for s, e, _ in w.find(both, lo, hi):
            phrase = tuple(w.toks[s:e])
            leads = g < len(mentions) and all(w.used[k] or w.toks[k] in skip for k in range(e, hi))
            if leads and phrase in before:
                pre[g] = before[phrase]
            elif phrase in after and g > 0:
                post[g - 1] = post[g - 1] or after[phrase]
            elif phrase in before and before[phrase] == "avoid":
                rest = [x for x in w.toks[e:hi] if x.isalpha() and x not in skip]
                if rest:
                    notes.append(f"'{' '.join(phrase)} {rest[0]}': nothing in the scene is called '{rest[0]}'")
            else:
                continue
            w.take(s, e)
    groups: list[list[int]] = []
    for k in range(len(mentions)):
        gap = w.toks[mentions[k - 1].end : mentions[k].start] if k else None
        if gap is not None and all(x in V.CHAIN_WORDS for x in gap) and pre[k] in (None, "context"):
            groups[-1].append(k)
        else:
            groups.append([k])
    roles: dict[str, list[str]] = {r: [] for r in ("subjects", "context", "background", "through", "avoid")}
    for grp in groups:
        rel = post[grp[-1]] or pre[grp[0]]
        members = [mentions[k].objects for k in grp]
        if rel is None or (post[grp[-1]] and pre[grp[0]] is None and not roles["subjects"] and len(grp) > 1):
            if not roles["subjects"]:
                roles["subjects"] += members.pop(0)
            rel = rel or "context"
        if rel == "through" and members:
            roles["through"] += members.pop(0)[:1]
            rel = "context"
        for objs in members:
            roles[rel] += objs
    return roles


# ----- the reading --------------------------------------------------------------------------
@dataclass
class Reading:
    """What one pass over the intent found in one scene, before defaults."""

    fields: dict = field(default_factory=dict)
    explicit: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)

    def set(self, name: str, value, said: str) -> None:
        if name in self.fields and self.fields[name] != value:
            self.notes.append(f"'{said}' ignored: {name.replace('_', ' ')} already {self.fields[name]}")
            return
        if name not in self.fields:
            self.fields[name] = value
            self.explicit.append(name)
            self.notes.append(f"'{said}' -> {name.replace('_', ' ')} {value}")


def _read(intent: str, scene: Scene) -> tuple[Reading, _Index, Words]:
    r, ix, w = Reading(), _Index.of(scene), Words(tokens(intent))
    read_numbers(w, r)
    for s, e, _ in w.find(vocabulary_table("tilt")):
        r.notes.append(f"'{w.take(s, e)}': a tilted horizon was asked for (the blueprint keeps it level)")
    for s, e, lens in w.find(vocabulary_table("LENSES")):
        said = w.take(s, e)
        r.set("lens", lens, said)
        if said in V.LENS_PHRASE_MM:
            r.set("focal_mm", V.LENS_PHRASE_MM[said], said)

    def attributive(i: int, n: int) -> bool:  # "the landscape painting" is not an orientation
        return n == 1 and i + 1 < len(w.toks) and _resolve(ix, w.toks[i + 1]) is not None

    for s, e, aspects in w.find(vocabulary_table("ASPECT_PHRASES"), guard=attributive):
        said = w.take(s, e)
        r.fields.setdefault("aspects", [])
        r.fields["aspects"] += [a for a in aspects if a not in r.fields["aspects"]]
        r.notes.append(f"'{said}' -> aspects {', '.join(aspects)}")
        r.explicit.append("aspects")
    for name, table in (("depth_of_field", "DEPTHS"), ("angle", "ANGLES"), ("shot_size", "SHOT_SIZES")):
        for s, e, value in w.find(vocabulary_table(table)):
            r.set(name, value, w.take(s, e))
    for name, table in (("placement", "PLACEMENTS"), ("time_of_day", "times")):
        for s, e, value in w.find(vocabulary_table(table)):
            r.set(name, value, w.take(s, e))
    r.mentions = _mentions(w, ix, r.hints)
    r.notes += [m.note for m in r.mentions]
    return r, ix, w


def read_numbers(w: Words, r: Reading) -> None:
    t = w.toks
    for i, tok in enumerate(t):
        if w.used[i]:
            continue
        nxt = t[i + 1] if i + 1 < len(t) else ""
        prev = t[i - 1] if i else ""
        num = _number(tok)
        if num is not None and nxt in V.FOCAL_UNITS and 4 <= num <= 1200:
            said = w.take(i, i + 2)
            r.set("focal_mm", num, said)
            r.fields["lens"] = lens_class(num)
            r.explicit.append("lens")
        elif tok.startswith("f/"):
            f = float(tok[2:])
            r.set("depth_of_field", "shallow" if f <= 2.8 else "deep" if f >= 8 else "normal", w.take(i, i + 1))
        elif ":" in tok and not (prev in ("at", "around", "about", "by") or nxt in ("am", "pm")):
            _aspect(r, tok, w.take(i, i + 1))
        elif num is not None and nxt in ("x", "by") and i + 2 < len(t) and _number(t[i + 2]) and num <= 32:
            _aspect(r, f"{tok}:{t[i + 2]}", w.take(i, i + 3))
        elif (num is not None and nxt in ("am", "pm", "oclock")) or ":" in tok:
            hour = float(tok.split(":")[0])
            hour += 12 if nxt == "pm" and hour < 12 else 0
            said = w.take(i, i + (2 if nxt in ("am", "pm", "oclock") else 1))
            if 0 <= hour <= 24:
                r.set("time_of_day", next(p for h, p in V.HOURS if hour < h), said)
            else:
                r.notes.append(f"'{said}' is not a time of day")


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


def _leftovers(w: Words, r: Reading) -> None:
    """Moods, unknown times and weather, then whatever no pass understood."""
    for s, e, mood in w.find(vocabulary_table("MOODS")):
        r.set("mood", mood, w.take(s, e))
    skip = V.FILLER | V.DETERMINERS | V.CHAIN_WORDS | {k[0] for k in vocabulary_table("RELATIONS_BEFORE")}
    for i, tok in enumerate(w.toks):
        if w.used[i] or not tok[0].isalpha() or tok in skip:
            continue
        if tok in V.WEATHER:
            r.notes.append(f"'{tok}': weather and seasons are not simulated")
        elif i and w.toks[i - 1] in V.TIME_PREPOSITIONS and w.toks[i - 1] != "in":
            r.notes.append(f"'{w.toks[i - 1]} {tok}': not a time of day we know (use {', '.join(TIMES)})")
            r.unread.append(tok)
        else:
            r.unread.append(tok)
    if r.unread:
        r.notes.append("unread: " + ", ".join(f"'{x}'" for x in r.unread))


# ----- public API ---------------------------------------------------------------------------
def parse_intent(intent: str, scene: Scene) -> Blueprint:
    """Read a photo request against a scene; see the module docstring for the passes and defaults."""
    if not intent or not intent.strip():
        raise IntentError("the intent is empty: say what to photograph, e.g. 'the sofa at dusk from a low angle'")
    r, ix, w = _read(intent, scene)
    roles = _roles(w, r.mentions, r.notes)
    _leftovers(w, r)
    scene_name = scene.source or scene.name
    for hint in dict.fromkeys(r.hints):
        if hint not in (scene_name, scene.name):
            r.notes.append(f"'{hint.replace('_', ' ')}' names another library scene; read in {scene_name}")
    if not roles["subjects"]:
        related = set(roles["context"] + roles["background"])
        first = next((m.objects for m in r.mentions if related & set(m.objects)), None)
        if first is None and roles["through"]:
            first = roles["through"][:1]
            roles["through"] = []
        if first:
            roles["subjects"] = first
            r.notes.append(f"no free subject named: photographing {', '.join(first)}")
        elif scene_name in r.hints or scene.name in r.hints:
            roles["subjects"] = [_centrepiece(ix)]
            r.fields.setdefault("shot_size", "wide")
            r.notes.append(f"the scene itself was named: photographing its centrepiece {roles['subjects'][0]}")
    if not roles["subjects"]:
        raise IntentError(_nothing_message(intent, r, ix, scene_name))
    for k in ("context", "background", "avoid"):
        keep = [o for o in dict.fromkeys(roles[k]) if o not in roles["subjects"] and o not in roles["through"]]
        roles[k] = keep
    roles["context"] = [o for o in roles["context"] if o not in roles["background"] and o not in roles["avoid"]]
    explicit = ["subjects"] + [k for k in ("context", "background", "through", "avoid") if roles[k]]
    bp = Blueprint(
        intent=intent.strip(),
        scene=scene_name,
        subjects=list(dict.fromkeys(roles["subjects"])),
        context=roles["context"],
        background=roles["background"],
        through=roles["through"][0] if roles["through"] else None,
        avoid=roles["avoid"],
        explicit=explicit + [e for e in r.explicit if e not in explicit],
        notes=r.notes,
    )
    for name, value in r.fields.items():
        setattr(bp, name, value)
    _defaults(bp, ix)
    return bp


def _defaults(bp: Blueprint, ix: _Index) -> None:
    """Photographic defaults for every field the intent left open (documented in the module docstring)."""
    said = set(bp.explicit)
    if "time_of_day" not in said and bp.mood in V.MOOD_TIME:
        bp.time_of_day = V.MOOD_TIME[bp.mood]
        bp.notes.append(f"time {bp.time_of_day} suits the {bp.mood} mood")
    ext = ix.extent(bp.subjects)
    across, tall = float(max(ext[0], ext[1])), float(ext[2])
    if "shot_size" not in said:
        architectural = any(ix.label[s] in V.ARCHITECTURE for s in bp.subjects)
        big = architectural or max(across, tall) >= 3.0 or len(bp.subjects) > 1
        if bp.shot_size == "medium" and big and not ("lens" in said and bp.lens == "tele"):
            bp.shot_size = "wide"
        elif bp.shot_size == "medium" and max(across, tall) <= 0.35:
            bp.shot_size = "close_up"
        bp.notes.append(f"shot size {bp.shot_size} for a subject {max(across, tall):.1f} m across")
    if "lens" not in said:
        bp.lens = {"close_up": "tele", "medium": "normal", "establishing": "wide"}.get(
            bp.shot_size, "wide" if ix.scene.interior else "normal"
        )
        bp.notes.append(f"{bp.lens} lens for a {bp.shot_size.replace('_', '-')} shot")
    if "aspects" not in said and tall > 1.3 * across:
        bp.aspects = ["4:5", "2:3", "3:2"]
    if "depth_of_field" not in said and bp.shot_size in ("wide", "establishing"):
        bp.depth_of_field = "deep"


def _centrepiece(ix: _Index) -> str:
    """The non-structural object nearest the overview's look-at point (the smallest among those touching it)."""
    target = np.asarray((ix.scene.default_view or {}).get("look_at", ix.scene.bounds.mean(axis=0)), float)
    cands = [m for m in ix.mains if ix.label[m] not in V.STRUCTURAL] or ix.mains

    def key(m: str) -> tuple[float, float]:
        lo, hi = ix.bounds[m]
        gap = float(np.linalg.norm(np.maximum(0, np.maximum(lo - target, target - hi))))
        return round(gap, 3), float(np.prod(np.maximum(hi - lo, 0.05)))

    return min(cands, key=key)


def _nothing_message(intent: str, r: Reading, ix: _Index, scene_name: str) -> str:
    unread = [x for x in r.unread if x not in V.WEATHER]
    avoided = [m.said for m in r.mentions]
    what = f"could not match {', '.join(repr(x) for x in unread)}" if unread else "names no object"
    if avoided and not unread:
        what = f"only names things to avoid ({', '.join(avoided)})"
    return (
        f"the intent {intent.strip()!r} {what} in scene {scene_name!r}. It contains: {ix.by_label()}. "
        f"Rephrase naming one of these, e.g. 'the {_centrepiece(ix).replace('_', ' ')} at dusk'."
    )


def infer_scene(intent: str, library=None) -> str:
    """The library scene whose objects the intent names.

    ``library``: scene names (default: the whole library) or a mapping name -> Scene. Scenes are ranked
    by the number of objects named, then the words those names cover, then a scene word in the intent
    ("gallery", "living room", "courtyard", "hall"), then how directly the words named them
    ("tree" is a tree before it is a potted fig); remaining ties go to the first name in sorted order.
    """
    from agentvision.scene.library import library_names, library_scene

    if not intent or not intent.strip():
        raise IntentError("the intent is empty: say what to photograph, e.g. 'shoot the staircase at dusk'")
    if library is None:
        library = library_names()
    scenes = dict(library) if isinstance(library, dict) else {n: library_scene(n) for n in library}
    best, best_key, unread, contents = None, None, set(), []
    for name in sorted(scenes):
        try:
            r, ix, w = _read(intent, scenes[name])
        except IntentError:
            continue
        _roles(w, r.mentions, [])
        _leftovers(w, r)
        named = r.mentions
        key = (
            len(named),
            sum(m.words for m in named),
            name in r.hints,
            -sum(m.rank for m in named),
            len({o for m in named for o in m.objects}),
        )
        unread |= set(r.unread)
        contents.append(f"{name} ({ix.by_label()})")
        if (named or name in r.hints) and (best_key is None or key > best_key):
            best, best_key = name, key
    if best is None:
        words = ", ".join(repr(x) for x in sorted(unread - V.WEATHER)) or "no object"
        raise IntentError(
            f"the intent {intent.strip()!r} names nothing in any library scene (could not match {words}). "
            f"The library has: {' | '.join(contents)}. Name an object, or pass a scene."
        )
    return best
