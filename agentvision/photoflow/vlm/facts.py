"""What the VLM roles are told as facts: the geometric measurements, compact and rounded."""

from __future__ import annotations

import numpy as np

from agentvision.photoflow.records import Review

# The measured facts a VLM sees per candidate (the rest stay in the trace).
SHOWN = (
    "coverage",
    "fill",
    "target_fill",
    "visible",
    "occluders",
    "cut_off_edges",
    "centroid",
    "angle",
    "pitch_deg",
    "height_m",
    "lens",
    "focal_mm",
    "aspect",
    "exposure_verdict",
    "context_visible",
    "background_ok",
    "through_ok",
    "avoid_visible",
)


def compact(value):
    """``value`` with floats rounded to 3 places, inside lists and dicts too."""
    if isinstance(value, float | np.floating):
        return round(float(value), 3)
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [compact(v) for v in value]
    return value


def shown_facts(review: Review) -> str:
    """``key=value`` pairs of the facts a VLM may rely on, with empty ones left out."""
    parts = []
    for key in SHOWN:
        value = review.facts.get(key)
        if value in (None, [], {}):
            continue
        parts.append(f"{key}={compact(value)}")
    return ", ".join(parts)


def failed_rules(review: Review) -> list[str]:
    """The hard rules a candidate fails, each with its message."""
    return [f"{c.name} ({c.message})" for c in review.checks if c.hard and not c.passed]
