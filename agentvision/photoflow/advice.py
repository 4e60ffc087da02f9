"""What to try when the best photo a search found still breaks a hard rule: one line per rule."""

from __future__ import annotations

ADVICE = {
    "subject_visible": "another viewpoint or vantage, more rounds (--rounds), or name the subject another way",
    "camera_clear": "more rounds; the search found no clear spot near the view it wanted",
    "exposure": "another time of day (--time), or a viewpoint that shows less sky or shadow",
    "not_cut_off": "a wider shot ('wide shot', a wider lens) or a close-up if a crop is wanted, or more rounds",
    "viewpoint": "another place to stand: the subject cannot be seen well from there",
    "vantage": "drop the vantage ('straight on', 'from across the room'...): the space does not allow it",
    "facing": "another compass direction ('look north'), or none: the subject is not that way from a free spot",
    "framed_through": "drop 'through the ...': no free spot frames the subject through it",
    "up_front": "drop 'in the foreground' or 'over the ...', or name a thing nearer the subject: no free spot just "
    "beyond it sees the subject over it",
    "angle": "another angle, or more rounds (--rounds)",
    "avoid": "another vantage or a longer lens: the unwanted object is hard to keep out",
    "keeps_change": "a smaller change ('a bit lower'), or a new request",
}


def broken_rules(scores: dict | None) -> list[dict]:
    """The hard rules a review fails (each a RuleCheck dict: name, value, message)."""
    if not scores:
        return []
    return [c for c in scores.get("checks", []) if c.get("hard") and not c.get("passed")]


def advice(check: dict) -> str:
    """What to try for a broken rule."""
    return ADVICE.get(check["name"], "more rounds (--rounds), or rephrase the intent")
