"""The VLM Reflector: reads the round's critiques and contact sheet and asks for the next round's moves.

The region memory stays algorithmic: the built-in Reflector marks dead / promising / tried cells and
suggests moves first; the model sees those facts and decides the directions and whether to explore.
"""

from __future__ import annotations

from agentvision.photoflow.builtin.reflector import BuiltinReflector
from agentvision.photoflow.output import contact_sheet
from agentvision.photoflow.records import Direction, Reflection, RoundRecord
from agentvision.photoflow.search import SearchState
from agentvision.photoflow.trace import RunLog
from agentvision.photoflow.vlm.exchange import Exchange, ReplyError, RoleFallback
from agentvision.photoflow.vlm.facts import failed_rules
from agentvision.photoflow.vlm.prompts import fill, load_prompts

# Move kind -> the range its amount is clipped to (fractions, metres or degrees).
KINDS = {
    "closer": (0.05, 0.6),
    "farther": (0.05, 0.6),
    "longer_lens": (0.05, 0.6),
    "wider_lens": (0.05, 0.6),
    "raise": (0.1, 1.5),
    "lower": (0.1, 1.5),
    "orbit": (-90.0, 90.0),
    "re_aim": (0.0, 0.0),
    "level": (0.0, 0.0),
}


class VLMReflector:
    """Directions for the next round from a VLM, on top of the algorithmic region memory."""

    def __init__(self, model, *, prompts_dir=None, fallback: BuiltinReflector | None = None, retries: int = 1):
        self.fallback = fallback or BuiltinReflector()
        self.exchange = Exchange(model, "reflector", load_prompts("reflector", prompts_dir), retries)

    def bind(self, run: RunLog) -> None:
        self.exchange.run = run

    def reflect(self, state: SearchState, record: RoundRecord) -> Reflection:
        base = self.fallback.reflect(state, record)  # memory marks happen here, whatever the model says
        inc = state.incumbent
        text = fill(
            self.exchange.prompts["reflect"],
            intent=state.intent,
            round=state.round,
            rounds=state.budget.rounds,
            incumbent=f"{inc.candidate.id} total {inc.review.total:.2f}, critiques {inc.review.critiques}"
            if inc
            else "none yet",
            candidates=[
                {
                    "id": s.candidate.id,
                    "total": s.review.total,
                    "valid": s.review.valid,
                    "failed": failed_rules(s.review),
                    "reasons": s.review.reasons,
                    "critiques": s.review.critiques,
                }
                for s in record.shots
            ],
            memory=base.memory,
            stale_rounds=state.stale_rounds,
            suggested=base.summary,
            kinds=list(KINDS),
        )
        sheet = contact_sheet(record, f"round {state.round + 1}: {state.intent}")
        try:
            directions, explore, summary = self.exchange.ask(
                "reflect", text, [(f"round-{state.round:02d}", sheet)], parse_reflection
            )
        except RoleFallback:
            return base
        # Exploring after a round where everything failed is the memory's call, not the model's.
        return Reflection(directions, explore or base.explore, summary, base.memory)


def parse_reflection(data) -> tuple[list[Direction], bool, str]:
    """(directions, explore, summary) from a reflection reply; amounts are clipped to each kind's range."""
    if not isinstance(data, dict) or not isinstance(data.get("directions"), list):
        raise ReplyError('expected {"summary": "...", "explore": false, "directions": [...]}')
    directions = []
    for d in data["directions"]:
        if not isinstance(d, dict) or d.get("kind") not in KINDS:
            raise ReplyError(f"each direction needs a kind among {', '.join(KINDS)}; got {d!r:.80}")
        amount = d.get("amount", 0.0)
        if not isinstance(amount, int | float):
            raise ReplyError(f"{d['kind']}: amount must be a number, got {amount!r}")
        lo, hi = KINDS[d["kind"]]
        directions.append(Direction(d["kind"], float(min(max(amount, lo), hi)), str(d.get("reason", ""))))
    if not directions:
        directions.append(Direction("re_aim", 0.0, "keep the framing, vary the viewpoint"))
    return directions, bool(data.get("explore", False)), str(data.get("summary", "")) or "the reflector's moves"
