"""The intent parser's words: tokens, phrase tables keyed by tokens, and which words a pass has used.

The phrases themselves are data in :mod:`object_words`, :mod:`photo_words` and :mod:`followup_words`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from agentvision.errors import InputError
from agentvision.photoflow.builtin import followup_words, object_words, photo_words
from agentvision.scene.lighting import ALIASES, TIMES, normalise_time

_TOKEN = r"f/\d+(?:\.\d+)?|\d+(?:\.\d+)?:\d+(?:\.\d+)?|\d+(?:st|nd|rd|th)\b|\d+(?:\.\d+)?|[a-z_][a-z0-9_]*|'s|[#,;.!?&]"
POSSESSIVE = "'s"  # the token of "the stool's seat", "the truck's roof": what follows is the thing's own
# "it's", "let's", "that's": a verb, not a possessive; the apostrophe goes as before ("its", "lets")
_NOT_OWNERS = r"(?<![a-z])(?:it|he|she|that|what|there|here|let|who|where|everyone|someone|one)"
_TIME_KEYS = [" ".join(t.split("_")) for t in TIMES]
_TABLES = (object_words, photo_words, followup_words)


class IntentError(InputError):
    """An intent that names nothing photographable in the scene; the message says what the scene has."""


def tokens(text: str) -> list[str]:
    """Lower-case words, numbers, ratios and punctuation; hyphens split words, a possessive "'s" is a token of its own
    (POSSESSIVE), other apostrophes vanish, a casual dropped g
    comes back ("sittin" -> "sitting"), a casual spelling is written in full ("thru" -> "through")."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u00d7", "x")
    text = re.sub(_NOT_OWNERS + r"'s\b", lambda m: m.group(0).replace("'", ""), text)
    # "the stool's seat" -> "stool", "'s", "seat"; every other apostrophe vanishes ("don't" -> "dont")
    text = re.sub(r"(?<=[a-z])'s\b|'", lambda m: f" {POSSESSIVE}" if len(m.group(0)) > 1 else "", text)
    text = re.sub(r"(?<=[a-z])-|-(?=[a-z0-9])", " ", text)
    text = re.sub(r"(\d)\s*x\s*(?=\d)", r"\1 x ", text)  # "4x5" -> "4 x 5"
    text = re.sub(r"(?<=\w)\s*[+&]\s*(?=[a-z])", " and ", text)  # "fountain + benches", "lamp & sofa"
    toks = [t + "g" if t in photo_words.DROPPED_G else t for t in re.findall(_TOKEN, text)]
    return [photo_words.CASUAL_SPELLINGS.get(t, t) for t in toks]


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(tokens(phrase))


@cache
def vocabulary_table(name: str) -> dict[tuple[str, ...], object]:
    """A vocabulary table keyed by token tuples (time of day also reads lighting's TIMES and ALIASES)."""
    if name == "times":
        data = {k: k.replace(" ", "_") for k in _TIME_KEYS}
        data |= {a.replace("_", " "): v for a, v in ALIASES.items() if a not in photo_words.TIME_ALIAS_SKIP}
        data |= photo_words.TIMES_EXTRA
        return {_key(k): normalise_time(v) for k, v in data.items()}
    if name == "upright":
        return {_key(k): True for k in photo_words.UPRIGHT}
    if name == "tilt":
        return {_key(k): True for k in photo_words.TILT}
    module = next(m for m in _TABLES if hasattr(m, name))
    return {_key(k): v for k, v in getattr(module, name).items()}


def singulars(word: str) -> list[str]:
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    if word.endswith("ves"):
        return [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return [word[:-2]]
    if word.endswith("s") and not word.endswith("ss"):
        return [word[:-1]]
    return []


def number(word: str) -> float | None:
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
