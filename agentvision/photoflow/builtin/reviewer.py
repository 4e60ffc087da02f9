"""The built-in, model-free Reviewer: geometric rule checks, four-axis scores, pairwise selection.

Facts come from geometry (instance ids, visibility samples, clearance) and from image analysis
(:mod:`agentvision.vision`); a VLM Reviewer receives the same facts and judges the pictures.
"""

from __future__ import annotations

import math

import numpy as np

from agentvision.photoflow.blueprint import ANGLES
from agentvision.photoflow.builtin.framing import near_asked
from agentvision.photoflow.builtin.review_facts import AVOID_SEEN, CUE_TIMES, measure
from agentvision.photoflow.builtin.up_front import UP_FRONT_SHARE
from agentvision.photoflow.builtin.viewpoints import VANTAGE_AZIMUTH, describe, facing_words, vantage_words
from agentvision.photoflow.records import AXES, Candidate, Comparison, Review, RuleCheck, Shot, score_weights
from agentvision.photoflow.search import SearchState
from agentvision.render.base import RenderResult
from agentvision.scene.standpoint import MIN_CLEARANCE

MIN_VISIBLE = 0.3  # fraction of the subject's surface samples that must be seen
WIN_MARGIN = 0.1  # a challenger must beat the incumbent's total by this much
CLUTTER = 0.03  # share of the frame in foreground objects cut by the edge that reads as clutter
EDGES_FULL = 2.0  # cost of things cut awkwardly by the frame's edges (review_facts.awkward_edges) that costs all


class BuiltinReviewer:
    """Scores each candidate on composition, technical quality, aesthetics and alignment (0..10)."""

    def review(self, state: SearchState, shots: list[tuple[Candidate, RenderResult]]) -> list[Review]:
        return [self.review_one(state, c, r) for c, r in shots]

    def review_one(self, state: SearchState, cand: Candidate, result: RenderResult) -> Review:
        facts = measure(state, cand, result)
        checks, critiques = rules(state, facts)
        scores, reasons = score(state, facts, checks)
        return Review(cand.id, checks, scores, reasons, critiques, facts)

    def compare(self, state: SearchState, incumbent: Shot, challenger: Shot) -> Comparison:
        a, b = incumbent.review, challenger.review
        if b.valid and not a.valid:
            return Comparison("challenger", f"{challenger.candidate.id} passes the rules the incumbent fails")
        if a.valid and not b.valid:
            return Comparison("incumbent", f"{challenger.candidate.id} fails {', '.join(c.name for c in b.failed())}")
        if a.broken != b.broken:  # neither is valid: the one breaking fewer hard rules is nearer the request
            winner = "challenger" if b.broken < a.broken else "incumbent"
            why = f"{challenger.candidate.id} breaks {b.broken} hard rules, the incumbent {a.broken}"
            return Comparison(winner, why)
        if b.total > a.total + WIN_MARGIN:
            best_axis = max(b.scores, key=lambda k: b.scores[k] - a.scores.get(k, 0))
            return Comparison(
                "challenger", f"{challenger.candidate.id} scores {b.total:.2f} vs {a.total:.2f}, better {best_axis}"
            )
        return Comparison("incumbent", f"{challenger.candidate.id} ({b.total:.2f}) does not beat {a.total:.2f}")


def rules(state: SearchState, f: dict) -> tuple[list[RuleCheck], list[str]]:
    bp = state.blueprint
    checks = [
        RuleCheck(
            "subject_visible",
            f["visible"] >= MIN_VISIBLE and f["coverage"] >= 0.005,
            round(f["visible"], 3),
            f"{f['visible']:.0%} of the subject's surface is seen, {f['coverage']:.1%} of the frame",
        ),
        RuleCheck(
            "camera_clear",
            not f["inside_geometry"] and f["clearance_m"] >= MIN_CLEARANCE,
            f["clearance_m"],
            "camera inside geometry" if f["inside_geometry"] else f"{f['clearance_m']:.2f} m from the nearest surface",
        ),
        RuleCheck(
            "exposure",
            f["exposure_verdict"] not in ("black", "blown_out"),
            f["exposure_verdict"],
            f"exposure {f['exposure_verdict']} (score {f['exposure']:.2f})",
        ),
        RuleCheck(
            "not_cut_off",
            not f["cut_off_edges"] or bp.may_crop,
            ",".join(f["cut_off_edges"]),
            "subject cut at the " + "/".join(f["cut_off_edges"]) if f["cut_off_edges"] else "subject whole in frame",
            hard=not bp.may_crop,  # a crop only a close-up (or a camera on the subject) asks for
        ),
        RuleCheck(
            "not_occluded",
            f["occluded"] < 0.4,
            round(f["occluded"], 3),
            f"{f['occluded']:.0%} hidden" + (f" by {', '.join(f['occluders'][:3])}" if f["occluders"] else ""),
            hard=False,
        ),
        RuleCheck(
            "horizon_level",
            abs(f["horizon_tilt_deg"]) < 1.0,
            f["roll_deg"],
            f"roll {f['roll_deg']:.1f} deg"
            + (" (looking straight down: no horizon)" if f["horizon_tilt_deg"] != f["roll_deg"] else ""),
            hard=False,
        ),
        RuleCheck(
            "placement",
            f["placement_score"] >= 0.5,
            round(f["placement_score"], 3),
            f"subject at {f['centroid']} for {bp.placement}",
            hard=False,
        ),
        RuleCheck(
            "angle",
            f["angle"] == bp.angle or _angle_free(bp),
            f["angle"],
            f"{f['angle']} (pitch {f['pitch_deg']} deg) for {bp.angle}"
            + (
                f" (pitch asked: {bp.pitch_deg:+g} deg)"
                if bp.pitch_deg is not None
                else f" (the viewpoint decides, at the {bp.viewpoint})"
                if _angle_free(bp)
                else ""
            ),
            hard="angle" in bp.explicit,  # an angle the intent asked for is a requirement
        ),
    ]
    if bp.standpoint_named:
        where = describe(state)
        checks.append(
            RuleCheck(
                "viewpoint",
                bool(f["at_viewpoint"]),
                f["at_viewpoint"],
                f"camera {where}" if f["at_viewpoint"] else f"camera not {where}",
            )
        )
    if bp.through:
        checks.append(
            RuleCheck(
                "framed_through",
                bool(f["through_ok"]),
                f["through_ok"],
                f"{'framed' if f['through_ok'] else 'not framed'} through the {bp.through.replace('_', ' ')}",
            )
        )
    if bp.foreground:
        share, thing = f["foreground_share"], bp.foreground.replace("_", " ")
        checks.append(
            RuleCheck(
                "up_front",
                share >= UP_FRONT_SHARE,
                share,
                f"the {thing} up front, {share:.0%} of the frame"
                if share
                else f"the {thing} not up front (not in the frame, or no nearer than the subject)",
                hard=not bp.through,  # asked, as an opening is; framed through one, the opening decides the side
            )
        )
    if bp.vantage:
        where = vantage_words(bp.vantage)
        verdict = f"camera {where}" if f["at_vantage"] else f"camera not {where}"
        # Framed through an opening (or over a thing up front), that decides the side the camera stands on, and a
        # place to stand named decides where ("stand at the foot of the stairs and shoot across the hall"): the
        # vantage is then a wish.
        hard = not bp.through and not bp.foreground and not bp.standpoint_named
        checks.append(RuleCheck("vantage", bool(f["at_vantage"]), f["at_vantage"], verdict, hard=hard))
    if bp.facing:
        way = facing_words(bp.facing)
        verdict = f"camera {'' if f['faces'] else 'not '}{way}"
        # a direction said is a requirement; one inferred ("looking up the stairs": along the flight) a wish
        checks.append(RuleCheck("facing", bool(f["faces"]), f["faces"], verdict, hard="facing" in bp.explicit))
    if bp.avoid:
        seen = [n for n, v in f["avoid_visible"].items() if v > AVOID_SEEN]
        checks.append(RuleCheck("avoid", not seen, ",".join(seen), f"unwanted in frame: {', '.join(seen) or 'none'}"))
    crit = []
    ratio = f["fill"] / f["target_fill"]
    if f["visible"] < MIN_VISIBLE:
        crit.append("subject_not_visible")
    elif ratio < 0.75:
        crit.append("subject_too_small")
    elif ratio > 1.3 or f["cut_off_edges"]:
        crit.append("subject_too_large" if ratio > 1.3 else "cut_off")
    if f["occluded"] >= 0.4:
        crit.append("occluded")
    if f["inside_geometry"]:
        crit.append("inside_geometry")
    if f["placement_score"] < 0.5 and f["visible"] >= MIN_VISIBLE:
        crit.append("off_placement")
    if abs(f["horizon_tilt_deg"]) >= 1.0:
        crit.append("tilted")
    if f["angle"] != bp.angle and not _angle_free(bp):
        crit.append("too_high" if ANGLES.index(f["angle"]) > ANGLES.index(bp.angle) else "too_low")
    if f["clutter"] > CLUTTER:
        crit.append("foreground_clutter")
    if f["awkward_edges"]:
        crit.append("awkward_edges")
    if _faces(bp, f["underside"]) < 0.5:
        crit.append("seen_from_beneath")
    if f["time_cue"] < 0.4:
        crit.append("time_not_shown")
    if f["exposure_verdict"] in ("too_dark", "black"):
        crit.append("too_dark")
    if any(v < 1.0 for v in f["context_visible"].values()):
        crit.append("context_missing")
    elif not bp.may_crop and any(f["related_in_frame"].get(n, 1.0) < CONTEXT_WHOLE for n in f["context_visible"]):
        crit.append("context_cut")
    if any(not v for v in f["background_ok"].values()):
        crit.append("background_missing")
    if f["through_ok"] is False:
        crit.append("not_framed_through")
    if bp.foreground and f["foreground_share"] < UP_FRONT_SHARE:
        crit.append("foreground_missing")
    if f["avoid_at"]:
        crit.append("unwanted_in_frame")
    return checks, crit


def _names(names) -> str:
    return ", ".join(n.replace("_", " ") for n in names)


def _angle_free(bp) -> bool:
    """A viewpoint the intent chose sets the camera's height; unless it also asked for an angle, the angle is
    whatever that height gives (rules that would contradict each other are reconciled, not both enforced). A pitch
    given in degrees ("camera at 1.6 m, tilted down 20 degrees") is held instead of the angle's class. So is a
    height given without an angle ("camera at 1.6 m"): the camera looks where the subject is."""
    unasked = "angle" not in bp.explicit
    return (unasked and (bool(bp.viewpoint) or bp.height_m is not None)) or bp.pitch_deg is not None


PITCH_OFF_OK = 8.0  # degrees: a camera this near the pitch the intent gave is at it ("about 35 degrees")
UNDERSIDE_OK, UNDERSIDE_BAD = 0.25, 0.65  # share of the subject seen from beneath that starts to cost, and costs all


def _faces(bp, underside: float) -> float:
    """1 when the camera sees the subject's tops and sides, 0 when it sees mostly its underside (the soffit under
    a staircase): a photographer shows what faces the viewer. A low angle the intent asked for looks up on purpose."""
    if bp.angle == "low" and ("angle" in bp.explicit or bp.viewpoint):
        return 1.0
    return float(np.clip(1.0 - (underside - UNDERSIDE_OK) / (UNDERSIDE_BAD - UNDERSIDE_OK), 0.0, 1.0))


def weights() -> dict:
    """The score features' weights (see records.score_weights)."""
    return score_weights()


TIME_ASKED_FLOOR = 0.3
ALONE_FULL, ALONE_FLOOR = 0.2, 0.3  # a subject asked alone: other things over this share of the frame cost all
CONTEXT_WHOLE, CONTEXT_CUT = 0.97, 0.77  # share of a context object inside the frame: whole, and cut at full cost
CONTEXT_CUT_COST = 0.5  # of its alignment part, for a context object cut by the frame's edge (the painting's top)


def _whole(in_frame: float) -> float:
    """A context object the intent asked for, cut by the frame's edge, is half delivered: blind raters put a photo
    whose asked painting or lamp runs off the edge below its whole-framed rival (same-intent pairs ordered as they
    did: rated-photos 72 -> 74 %, rated-photos-fresh3 80 -> 85 %; benchmarks/feature_signal.py)."""
    cut = float(np.clip((CONTEXT_WHOLE - in_frame) / (CONTEXT_WHOLE - CONTEXT_CUT), 0.0, 1.0))
    return 1.0 - CONTEXT_CUT_COST * cut


SQUARE_VANTAGES = ("front", "side", "back")
SQUARE_COST = 0.3  # the alignment part lost by a square vantage at the edge of its tolerance (0 when exactly square)
WHOLE_HIDDEN = 0.3  # share of a subject asked whole hidden by things before it at which its alignment part is 0
SETTING_MISSED = 0.5  # the alignment part of a close-up's setting behind the subject that is not in the frame
SIZE_ASKED = ("close_up", "medium")  # shot sizes that, asked for, are part of the intent: the subject's size counts
UNASKED_ANGLE = 0.8  # an angle nobody asked for, where eye level was only the default
STEEP_FROM, STEEP_SPAN = 20.0, 25.0  # degrees below level where an unasked look down starts to cost, and costs all
STEEP_COST = 0.6  # of UNASKED_ANGLE, for a look down STEEP_SPAN past STEEP_FROM or steeper


def _unasked(f: dict) -> float:
    """The alignment part of an angle the intent did not ask for. Looking steeply down on a subject nobody asked
    to see from above reads as an odd, disorienting view (blind raters marked such photos down by about a point
    where the score had them level with eye-level views): the cost grows with the pitch below STEEP_FROM."""
    if f["angle"] not in ("high", "top_down"):
        return UNASKED_ANGLE
    steep = float(np.clip((-f["pitch_deg"] - STEEP_FROM) / STEEP_SPAN, 0.0, 1.0))
    return UNASKED_ANGLE * (1.0 - STEEP_COST * steep)


def features(state: SearchState, f: dict) -> dict[str, dict[str, float]]:
    """Every score feature of a candidate in 0..1 (higher is better), by axis."""
    bp, pen = state.blueprint, weights()["penalties"]
    ratio = max(f["fill"], 1e-3) / f["target_fill"]
    # Log-normal around the target span, with a square-root tail so that a subject far too small still
    # scores better the bigger it gets (the search needs that slope).
    size = max(math.exp(-(math.log(ratio) ** 2) / 0.5), 0.6 * math.sqrt(min(ratio, 1.0)))
    plain_ok = pen["plain_ok"]
    composition = {
        "size": size,
        "placement": f["placement_score"],
        "open_view": max(0.0, 1.0 - 2.0 * f["near_block"]),
        "tidy": 1.0 - min(1.0, f["clutter"] / pen["clutter_full"]),
        "roomy": 1.0 - max(0.0, f["plain_share"] - plain_ok) / (1.0 - plain_ok),
        "edges": 1.0 - min(1.0, sum(f["awkward_edges"].values()) / EDGES_FULL),
    }
    technical = {
        "exposure": f["exposure"],
        "level": 1.0 if abs(f["horizon_tilt_deg"]) < 1.0 else 0.5,
        "clear": min(1.0, f["clearance_m"] / 0.5) if not f["inside_geometry"] else 0.0,
    }
    aesthetics = {
        "image": f["aesthetic"],
        "lit": min(1.0, f["subject_light"]),
        # a view asked square to a side ("straight on", "side profile", "the back of ...") is flat on purpose
        "form": 1.0 if bp.vantage in SQUARE_VANTAGES else f["form"],
        "faces": _faces(bp, f["underside"]),
        "time_cue": f["time_cue"],
    }
    # An angle the intent asked for must be met; the default eye level is only a preference.
    angle_part = 1.0 if f["angle"] == bp.angle or _angle_free(bp) else (0.3 if "angle" in bp.explicit else _unasked(f))
    parts = [min(1.0, f["visible"] / 0.8), angle_part]
    if bp.whole:  # "the whole post from base to lantern": a bench before its base misses it
        parts.append(max(0.0, 1.0 - f["occluded"] / WHOLE_HIDDEN))
    close = bp.may_crop  # a close-up crops what the subject stands on or beside, as it may the subject
    parts += [
        seen * (1.0 if close else _whole(f["related_in_frame"].get(n, 1.0))) for n, seen in f["context_visible"].items()
    ]
    # a close-up's (or an asked medium shot's: a still life) setting behind may be out of the frame: the subject,
    # large, comes first
    sized = close or (bp.shot_size in SIZE_ASKED and "shot_size" in bp.explicit)
    parts += [1.0 if ok else (SETTING_MISSED if sized else 0.0) for ok in f["background_ok"].values()]
    if bp.shot_size in SIZE_ASKED and "shot_size" in bp.explicit:
        parts.append(size)  # "close up of the tea set": a whole-table view misses what was asked
    if f["through_ok"] is not None:
        parts.append(1.0 if f["through_ok"] else 0.0)
    if bp.foreground:  # "shoot over the back of the chair": a speck of a chair misses it
        parts.append(min(1.0, f["foreground_share"] / UP_FRONT_SHARE))
    parts += [0.0 if v > AVOID_SEEN else 1.0 for v in f["avoid_visible"].values()]
    parts += [1.0 if f[k] else 0.0 for k in ("at_viewpoint", "at_vantage", "faces") if f[k] is not None]
    if bp.vantage in SQUARE_VANTAGES and f["at_vantage"]:
        # "straight on n square to it": the squarer the better within the vantage's tolerance (a painting 12
        # degrees off, its frame's edges converging, had passed as straight on)
        parts.append(1.0 - SQUARE_COST * f["vantage_gap_deg"] / VANTAGE_AZIMUTH[bp.vantage][1])
    if bp.lens_asked:
        parts.append(1.0 if f["lens"] == bp.lens else 0.4)
    if bp.height_m is not None:
        # counted from the floor or ground, or from the viewpoint the camera stands on (see anchors.height_for_pitch)
        height = f["height_m"] if bp.viewpoint else f["above_floor_m"]
        parts.append(1.0 if near_asked(height, bp.height_m) else 0.5)
    if bp.distance_m is not None:  # "about 3 m from it", from the subject's side facing the camera
        parts.append(1.0 if near_asked(f["distance_m"], bp.distance_m) else 0.5)
    if bp.pitch_deg is not None:  # "tilted down about 35 degrees"
        parts.append(1.0 if abs(f["pitch_deg"] - bp.pitch_deg) <= PITCH_OFF_OK else 0.5)
    if "aspects" in bp.explicit:
        parts.append(1.0 if f["aspect"] in bp.aspects else 0.4)
    if bp.placement != "center" or "placement" in bp.explicit:
        parts.append(f["placement_score"])
    if bp.alone:  # "the stool on its own": the less else in the frame, the better
        parts.append(1.0 - (1.0 - ALONE_FLOOR) * min(1.0, f["others_share"] / ALONE_FULL))
    if "time_of_day" in bp.explicit and bp.time_of_day in CUE_TIMES:
        # "at dusk" asked: a frame where the dusk does not show (no window's sky, no lit lamp) misses the intent
        parts.append(min(1.0, TIME_ASKED_FLOOR + f["time_cue"]))
    # A missed relation (context, background, frame, unwanted object) costs more than its share.
    alignment = {"mean": float(np.mean(parts)), "worst": float(np.min(parts))}
    return {"composition": composition, "technical": technical, "aesthetics": aesthetics, "alignment": alignment}


def score(state: SearchState, f: dict, checks: list[RuleCheck]) -> tuple[dict, dict]:
    bp, w = state.blueprint, weights()
    feats = features(state, f)
    axes = {axis: 10 * sum(w[axis][k] * v for k, v in feats[axis].items()) / sum(w[axis].values()) for axis in feats}
    if f["cut_off_edges"] and not bp.may_crop:
        axes["composition"] *= w["penalties"]["cut_off"]
    composition, technical, aesthetics, alignment = (axes[a] for a in AXES)
    lit = feats["aesthetics"]["lit"]
    scores = {"composition": composition, "technical": technical, "aesthetics": aesthetics, "alignment": alignment}
    reasons = {
        "composition": f"subject spans {f['fill']:.0%} of the frame (aim {f['target_fill']:.0%}), placement "
        f"{f['placement_score']:.2f}"
        + (f", cut at {'/'.join(f['cut_off_edges'])}" if f["cut_off_edges"] else "")
        + (f", {f['near_block']:.0%} of the frame blocked by near surfaces" if f["near_block"] > 0.1 else "")
        + (f", {f['clutter']:.0%} foreground clutter cut by the edge" if f["clutter"] > CLUTTER else "")
        + (f", {_names(f['awkward_edges'])} cut awkwardly by the frame's edge" if f["awkward_edges"] else "")
        + (f", {f['plain_share']:.0%} bare surroundings" if f["plain_share"] > w["penalties"]["plain_ok"] else ""),
        "technical": f"exposure {f['exposure_verdict']} ({f['exposure']:.2f}), roll {f['roll_deg']:.0f} deg, "
        f"{f['clearance_m']:.2f} m clearance",
        "aesthetics": f"image quality {f['aesthetic']:.2f}, subject {'well' if lit > 0.9 else 'dimly'} lit, "
        f"{'shows its form' if f['form'] > 0.6 else 'seen flat-on'} ({f['form']:.2f})"
        + (f", {f['underside']:.0%} of it seen from beneath" if f["underside"] > UNDERSIDE_OK else "")
        + ("" if f["time_cue"] >= 0.6 else f", the {bp.time_of_day.replace('_', ' ')} barely shows"),
        "alignment": f"{f['visible']:.0%} of the subject seen, {f['angle']} for {bp.angle}"
        + (
            "; " + ", ".join(c.name for c in checks if not c.passed) + " off"
            if any(not c.passed for c in checks)
            else ""
        ),
    }
    return {k: round(float(v), 3) for k, v in scores.items()}, reasons
