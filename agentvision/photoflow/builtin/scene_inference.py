"""Which library scene an intent is about, read against each scene's catalog (no geometry is built)."""

from __future__ import annotations

from agentvision.photoflow.builtin import photo_words
from agentvision.photoflow.builtin.intent import leftovers, read, relation_roles
from agentvision.photoflow.builtin.words import IntentError
from agentvision.scene.catalog import library_catalog


def infer_scene(intent: str, library=None) -> str:
    """The library scene whose objects the intent names.

    ``library``: scene names (default: the whole library) or a mapping name -> Scene or SceneCatalog; library
    names are read through their cached catalogs, so no scene is built. Scenes are ranked
    by the number of objects named, then the words those names cover, then a scene word in the intent
    ("gallery", "living room", "courtyard", "hall"), then how directly the words named them
    ("tree" is a tree before it is a potted fig); remaining ties go to the first name in sorted order.
    """
    from agentvision.scene.library import library_names

    if not intent or not intent.strip():
        raise IntentError("the intent is empty: say what to photograph, e.g. 'shoot the staircase at dusk'")
    if library is None:
        library = library_names()
    scenes = dict(library) if isinstance(library, dict) else {n: library_catalog(n) for n in library}
    best, best_key, unread, contents = None, None, set(), []
    for name in sorted(scenes):
        try:
            r, ix, w = read(intent, scenes[name])
        except IntentError:
            continue
        relation_roles(w, r.mentions, [])
        leftovers(w, r)
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
        words = ", ".join(repr(x) for x in sorted(unread - photo_words.WEATHER)) or "no object"
        raise IntentError(
            f"the intent {intent.strip()!r} names nothing in any library scene (could not match {words}). "
            f"The library has: {' | '.join(contents)}. Name an object, or pass a scene."
        )
    return best
