"""The VLM Reflector: reads the round's candidates (each image large enough to judge, the incumbent always among
them), where each camera stands and how much room it has, and asks for the next round's moves.

The region memory stays algorithmic: the built-in Reflector marks dead / promising / tried cells (the Director's
anchors leave dead regions); the model is not shown the cells. It gets what it needs to propose moves the room can
take: each camera's position and free space in every direction, the room's extent, and how far each move can take
the incumbent.
"""

from __future__ import annotations

import agentvision.photoflow.vlm.facts as facts
import agentvision.photoflow.vlm.views as views
from agentvision.camera import ASPECTS
from agentvision.photoflow.builtin.reflector import STALE_ROUNDS, BuiltinReflector
from agentvision.photoflow.records import Direction, Reflection, RoundRecord
from agentvision.photoflow.search import SearchState
from agentvision.photoflow.trace import RunLog
from agentvision.photoflow.vlm.exchange import Exchange, ReplyError, RoleFallback
from agentvision.photoflow.vlm.prompts import fill, load_prompts

# Move kind -> (the range its amount is clipped to, what it does): the one definition of the moves.
KINDS = {
    "closer": ((0.05, 0.6), "step toward the subject's centre by this fraction of the distance (the aim stays)"),
    "farther": ((0.05, 0.6), "step away from the subject's centre by this fraction of the distance"),
    "longer_lens": ((0.05, 0.6), "focal length times (1 + amount): the subject larger, from the same place"),
    "wider_lens": ((0.05, 0.6), "focal length divided by (1 + amount): more around the subject"),
    "raise": ((0.1, 1.5), "the camera this many metres up"),
    "lower": ((0.1, 1.5), "the camera this many metres down"),
    "orbit": (
        (-90.0, 90.0),
        "walk around the vertical axis through the subject's centre by this many degrees, at the same distance "
        "and height; positive is counter-clockwise seen from above (the azimuth grows)",
    ),
    "re_aim": ((0.0, 0.0), "point the camera again so the subject sits at the blueprint's placement (amount 0)"),
    "tilt": (
        (-20.0, 20.0),
        "pitch the camera this many degrees up (+) or down (-) from where it is aimed, position kept: the "
        "subject leaves the plan's placement on purpose (less empty floor in front: tilt up)",
    ),
    "level": ((0.0, 0.0), "roll back to 0 so the horizon is level (amount 0)"),
    "aspect": (
        (0.0, 0.0),
        f"change the frame's aspect, given as \"to\": one of {', '.join(ASPECTS)}, the plan's aspects first (amount 0)",
    ),
}
AIM_AFTER_MOVES = (
    "After the other moves the camera aims at the subject again, placed as the plan asks; a tilt comes last."
)


def moves_text() -> str:
    """Every move with its amount's range and what it does (for the Reflector's and the Director's prompts)."""
    parts = []
    for kind, ((lo, hi), what) in KINDS.items():
        span = "" if lo == hi == 0 else f" ({lo:g} to {hi:g})"
        parts.append(f"{kind}{span}: {what}")
    return "; ".join(parts) + ". " + AIM_AFTER_MOVES


class VLMReflector:
    """Directions for the next round from a VLM, on top of the algorithmic region memory."""

    preview_width = views.PREVIEW_WIDTH

    def __init__(self, model, *, prompts_dir=None, fallback: BuiltinReflector | None = None, retries: int = 1):
        self.fallback = fallback or BuiltinReflector()
        prompts = load_prompts("reflector", prompts_dir)
        prompts["system"] = fill(prompts["system"], moves=moves_text())
        self.exchange = Exchange(model, "reflector", prompts, retries)

    def bind(self, run: RunLog) -> None:
        self.exchange.run = run

    def reflect(self, state: SearchState, record: RoundRecord) -> Reflection:
        base = self.fallback.reflect(state, record)  # memory marks happen here, whatever the model says
        inc = state.incumbent
        slots, side = views.limits(self.exchange.model)
        shown = [s for s in record.shots if inc is None or s.candidate.id != inc.candidate.id]
        images = [views.incumbent_view(inc, state.round)] if inc is not None else []
        images += views.candidate_views(shown, max(1, slots - len(images)), side)
        text = fill(
            self.exchange.prompts["reflect"],
            intent=state.intent,
            round=state.round,
            rounds=state.budget.rounds,
            blueprint=state.blueprint.brief(),
            room=facts.room_line(state),
            light=facts.light_line(state),
            incumbent=_about(state, inc) if inc else None,
            reach=facts.reach_line(state, inc.candidate.camera) if inc else "",
            candidates=[_about(state, s) for s in shown],
            incumbent_new=inc is not None and inc.candidate.round == record.index,
            stale_rounds=state.stale_rounds,
            stale_limit=STALE_ROUNDS,
        )
        try:
            directions, explore, summary = self.exchange.ask("reflect", text, images, parse_reflection)
        except RoleFallback:
            return base
        # Exploring after a round where everything failed is the memory's call, not the model's.
        return Reflection(directions, explore or base.explore, summary, base.memory)


def _about(state: SearchState, shot) -> dict:
    """A candidate as the Reflector reads it: its camera, where it stands, its free space, its review."""
    r, cam = shot.review, shot.candidate.camera
    return {
        "id": shot.candidate.id,
        "total": r.total,
        "status": "valid" if r.valid else "FAILS " + "; ".join(facts.failed_rules(r)),
        "camera": facts.camera_line(cam),
        "placed": facts.placed(state, cam),
        "clearance": facts.clearance_line(state, cam),
        "reasons": " / ".join(f"{k}: {v}" for k, v in r.reasons.items()),
        "facts": facts.shown_facts(r, state),
    }


def parse_reflection(data) -> tuple[list[Direction], bool, str]:
    """(directions, explore, summary) from a reflection reply; amounts are clipped to each kind's range."""
    if not isinstance(data, dict) or not isinstance(data.get("directions"), list):
        raise ReplyError('expected {"summary": "...", "explore": false, "directions": [...]}')
    directions = []
    for d in data["directions"]:
        if not isinstance(d, dict) or d.get("kind") not in KINDS:
            raise ReplyError(f"each direction needs a kind among {', '.join(KINDS)}; got {d!r:.80}")
        if d["kind"] == "aspect":
            if d.get("to") not in ASPECTS:
                raise ReplyError(f'an aspect move needs "to": one of {", ".join(ASPECTS)}; got {d.get("to")!r}')
            directions.append(Direction("aspect", 0.0, d["to"]))  # the built-in Director reads the aspect there
            continue
        amount = d.get("amount", 0.0)
        if not isinstance(amount, int | float):
            raise ReplyError(f"{d['kind']}: amount must be a number, got {amount!r}")
        lo, hi = KINDS[d["kind"]][0]
        directions.append(Direction(d["kind"], float(min(max(amount, lo), hi)), str(d.get("reason", ""))))
    return directions, bool(data.get("explore", False)), str(data.get("summary", "")) or "the reflector's moves"
