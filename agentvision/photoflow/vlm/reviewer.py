"""The VLM Reviewer: one model call per round on the candidates (one captioned image each, large enough to judge),
and one per head-to-head on the incumbent and the challenger, under a system prompt of its own.

Geometry stays geometric: the built-in Reviewer measures every candidate first (visibility, inside geometry,
size in the frame, highlight clipping...) and its hard rules decide validity; the model receives those facts, each
with its meaning and threshold, and scores the four axes with reasons. A reply that is unusable after a retry
leaves the built-in verdict in place, and the trace records the fallback.
"""

from __future__ import annotations

import agentvision.photoflow.vlm.facts as facts
import agentvision.photoflow.vlm.views as views
from agentvision.photoflow.builtin.reviewer import BuiltinReviewer
from agentvision.photoflow.records import AXES, Candidate, Comparison, Review, Shot
from agentvision.photoflow.search import SearchState
from agentvision.photoflow.trace import RunLog
from agentvision.photoflow.vlm.exchange import Exchange, ReplyError, RoleFallback
from agentvision.photoflow.vlm.prompts import fill, load_prompts
from agentvision.render.base import RenderResult


class VLMReviewer:
    """Scores candidates with a VLM on the facts the built-in Reviewer measured."""

    preview_width = views.PREVIEW_WIDTH

    def __init__(self, model, *, prompts_dir=None, fallback: BuiltinReviewer | None = None, retries: int = 1):
        self.fallback = fallback or BuiltinReviewer()
        prompts = load_prompts("reviewer", prompts_dir)
        for key in ("system", "compare_system"):
            prompts[key] = fill(prompts[key], **facts.thresholds())
        self.exchange = Exchange(model, "reviewer", prompts, retries)

    def bind(self, run: RunLog) -> None:
        self.exchange.run = run

    def review(self, state: SearchState, shots: list[tuple[Candidate, RenderResult]]) -> list[Review]:
        measured = self.fallback.review(state, shots)
        if not shots:
            return measured
        listed = [
            {"id": c.id, "facts": facts.candidate_facts(r, state), "failed": facts.failed_rules(r)}
            for (c, _), r in zip(shots, measured, strict=True)
        ]
        text = fill(self.exchange.prompts["review"], intent=state.intent, blueprint=state.blueprint, candidates=listed)
        slots, side = views.limits(self.exchange.model)
        images = views.candidate_views(
            [Shot(c, im, r) for (c, im), r in zip(shots, measured, strict=True)], slots, side
        )
        ids = [c.id for c, _ in shots]
        try:
            verdicts = self.exchange.ask("review", text, images, lambda data: parse_review(data, ids))
        except RoleFallback:
            return measured
        out = []
        for r in measured:
            scores, reasons, notes = verdicts[r.candidate_id]
            extra = {**r.facts, "reviewer_notes": notes, "scored_by": "vlm"}
            out.append(Review(r.candidate_id, r.checks, scores, reasons, r.critiques, extra))
        return out

    def compare(self, state: SearchState, incumbent: Shot, challenger: Shot) -> Comparison:
        a, b = incumbent.review, challenger.review
        if a.broken != b.broken:  # a geometric rule decides; no picture can overturn it
            return self.fallback.compare(state, incumbent, challenger)
        text = fill(
            self.exchange.prompts["compare"],
            intent=state.intent,
            blueprint=state.blueprint,
            incumbent={"id": incumbent.candidate.id, "total": a.total, "facts": facts.candidate_facts(a, state)},
            challenger={"id": challenger.candidate.id, "total": b.total, "facts": facts.candidate_facts(b, state)},
        )
        images = [
            (f"A, the incumbent {incumbent.candidate.id}", views.shot_image(incumbent, incumbent=True)),
            (f"B, the challenger {challenger.candidate.id}", views.shot_image(challenger)),
        ]
        try:
            return self.exchange.ask("compare", text, images, parse_comparison, system="compare_system")
        except RoleFallback:
            return self.fallback.compare(state, incumbent, challenger)


def parse_review(data, ids: list[str]) -> dict[str, tuple[dict, dict, list[str]]]:
    """candidate id -> (scores, reasons, notes); every id must be there with four scores in 0..10."""
    if not isinstance(data, dict) or not isinstance(data.get("candidates"), list):
        raise ReplyError('expected {"candidates": [...]} with one entry per candidate')
    out = {}
    for entry in data["candidates"]:
        if not isinstance(entry, dict) or entry.get("id") not in ids:
            raise ReplyError(f"each entry needs an id among {ids}; got {entry!r:.80}")
        raw = entry.get("scores")
        if not isinstance(raw, dict):
            raise ReplyError(f"{entry['id']}: scores must be an object with {', '.join(AXES)}")
        scores, reasons = {}, {}
        for axis in AXES:
            item = raw.get(axis)
            value = item.get("score") if isinstance(item, dict) else item
            if not isinstance(value, int | float) or not 0 <= value <= 10:
                raise ReplyError(f"{entry['id']}: {axis} needs a score from 0 to 10, got {value!r}")
            scores[axis] = float(value)
            reasons[axis] = str(item.get("reason", "")) if isinstance(item, dict) else ""
        notes = entry.get("notes", [])
        out[entry["id"]] = (scores, reasons, [str(n) for n in notes] if isinstance(notes, list) else [str(notes)])
    missing = [i for i in ids if i not in out]
    if missing:
        raise ReplyError(f"no entry for {', '.join(missing)}")
    return out


def parse_comparison(data) -> Comparison:
    """A head-to-head reply: {"winner": "incumbent" | "challenger", "reason": ...}."""
    if not isinstance(data, dict) or data.get("winner") not in ("incumbent", "challenger"):
        raise ReplyError('expected {"winner": "incumbent" or "challenger", "reason": "..."}')
    return Comparison(data["winner"], str(data.get("reason", "")) or "the reviewer's choice")
