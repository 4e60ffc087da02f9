"""The built-in, model-free Reviewer: geometric rule checks, four-axis scores, pairwise selection.

Facts come from geometry (instance ids, visibility samples, clearance) and from image analysis
(:mod:`agentvision.vision`); a VLM Reviewer receives the same facts and judges the pictures.
"""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import angle_of, lens_class
from agentvision.photoflow.blueprint import ANGLES
from agentvision.photoflow.records import Candidate, Comparison, Review, RuleCheck, Shot
from agentvision.photoflow.search import SearchState
from agentvision.render.base import RenderResult
from agentvision.scene.lighting import exposure_key
from agentvision.scene.queries import clearance, inside_geometry, pieces
from agentvision.scene.standpoint import MIN_CLEARANCE, height_above_ground
from agentvision.scene.visibility import object_view
from agentvision.vision import (
    aesthetic_score,
    centroid,
    cut_off,
    exposure_score,
    lightness,
    placement_of,
    placement_score,
)

# Subject pixels / frame pixels a shot size aims for.
TARGET_COVERAGE = {"close_up": 0.5, "medium": 0.28, "wide": 0.15, "establishing": 0.07}
MIN_VISIBLE = 0.3  # fraction of the subject's surface samples that must be seen
WIN_MARGIN = 0.1  # a challenger must beat the incumbent's total by this much


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
        if b.total > a.total + WIN_MARGIN:
            best_axis = max(b.scores, key=lambda k: b.scores[k] - a.scores.get(k, 0))
            return Comparison(
                "challenger", f"{challenger.candidate.id} scores {b.total:.2f} vs {a.total:.2f}, better {best_axis}"
            )
        return Comparison("incumbent", f"{challenger.candidate.id} ({b.total:.2f}) does not beat {a.total:.2f}")


def measure(state: SearchState, cand: Candidate, result: RenderResult) -> dict:
    """Everything the rules and scores need, as plain numbers (also handed to VLM reviewers)."""
    scene, bp, cam = state.scene, state.blueprint, cand.camera
    subject_ids = [scene.index(n) for n in state.subject.names]
    mask = np.isin(result.ids, subject_ids)
    aim = mask if state.aim_at is state.subject else np.isin(result.ids, [scene.index(n) for n in state.aim_at.names])
    views = [object_view(scene, cam, n) for n in bp.subjects]
    c = centroid(aim)  # placement is judged on what the camera centres on (see SearchState.aim_at)
    edges = cut_off(mask)
    ground = height_above_ground(scene, cam.position)
    floor_below = ground if ground is not None else cam.position[2] - state.room.floor
    key = exposure_key(bp.time_of_day)
    light = lightness(result.rgb)
    exposure = exposure_score(result.rgb, key)
    facts = {
        "coverage": float(mask.mean()),
        "target_coverage": target_coverage(state),
        "visible": float(min(v.visible for v in views)),  # every subject must be seen
        "occluded": float(np.mean([v.occluded for v in views])),
        "occluders": sorted({o for v in views for o in v.occluders}),
        "cut_off_edges": [e for e in edges.edges if getattr(edges, e) > 0.08],
        "centroid": None if c is None else [round(c[0], 3), round(c[1], 3)],
        "placement_score": _placement(c, _placement_word(bp.placement), "placement" in bp.explicit),
        "pitch_deg": round(cam.pitch_deg, 1),
        "angle": angle_of(cam.pitch_deg, floor_below),
        "height_m": round(floor_below, 2),
        "roll_deg": cam.roll_deg,
        "lens": lens_class(cam.focal_mm),
        "focal_mm": cam.focal_mm,
        "aspect": cam.aspect,
        "orientation": cam.orientation,
        "inside_geometry": bool(inside_geometry(scene, cam.position)),
        "clearance_m": round(float(clearance(scene, cam.position)), 3),
        "exposure": exposure.score,
        "exposure_verdict": exposure.verdict,
        "aesthetic": aesthetic_score(result.rgb, key, exposure).score,
        "subject_light": float(light[mask].mean() / max(light.mean(), 1e-3)) if mask.any() else 0.0,
        "form": _form(result.depth, mask),
        "near_block": _near_block(result.depth, mask),
        "context_visible": {n: _seen(scene, cam, n) for n in bp.context},
        "background_ok": {n: _behind(result, scene, cam, n, mask) for n in bp.background},
        "through_ok": _through(result, scene, bp.through, mask) and _seen(scene, cam, bp.through) >= 1.0
        if bp.through
        else None,
        "avoid_visible": {n: _share(result, scene, n) for n in bp.avoid},
    }
    return facts


def target_coverage(state: SearchState) -> float:
    """The subject's share of the frame the shot size aims for, smaller when the frame must also
    hold context or background objects (by the squared ratio of the extents, at most 5x smaller)."""
    share = (state.subject.radius / max(state.frame.radius, 1e-6)) ** 2
    return TARGET_COVERAGE[state.blueprint.shot_size] * float(np.clip(share, 0.2, 1.0))


def _form(depth: np.ndarray, mask: np.ndarray) -> float:
    """How much depth the subject shows (0 flat-on .. 1 clearly three-dimensional): the spread of its
    depths relative to their median. Oblique views that show form score higher than frontal ones."""
    if mask.sum() < 20:
        return 0.0
    d = depth[mask]
    lo, mid, hi = np.percentile(d, [10, 50, 90])
    return float(min(1.0, (hi - lo) / max(mid, 1e-3) / 0.6))


def _near_block(depth: np.ndarray, mask: np.ndarray) -> float:
    """Share of the frame taken by non-subject surfaces much nearer than the subject (a wall, the
    underside of a landing looming in front): 0 is an open view."""
    if not mask.any():
        return 0.0
    near = np.median(depth[mask]) * 0.45
    return float(((depth < near) & ~mask).mean())


def _placement(c: tuple[float, float] | None, target: str, asked: bool) -> float:
    """How well the subject sits at ``target`` (0..1); when the intent asked for the placement, a
    centroid in another region (vision.placement_of, as the benchmark's judge classifies it)
    scores at most 0.45."""
    if c is None:
        return 0.0
    score = placement_score(c, target)
    if asked and target not in ("any", placement_of(c)):
        score = min(score, 0.45)
    return float(score)


def _placement_word(placement: str) -> str:
    return "any" if placement == "leading" else placement


def _ids(scene, name: str) -> list[int]:
    return [scene.index(p) for p in pieces(scene, name)]


CONTEXT_VISIBLE = 0.25  # a context or background object counts as in the picture from this visible share


def _seen(scene, camera, name: str) -> float:
    """How well a context object is in the picture, 0..1: its visible share of surface samples
    (in frame and unoccluded), reaching 1 at CONTEXT_VISIBLE."""
    return float(min(1.0, object_view(scene, camera, name, samples=512).visible / CONTEXT_VISIBLE))


def _share(result: RenderResult, scene, name: str) -> float:
    """Share of the frame the object covers, as a 0..1 measure (0.2 % of the frame = 1)."""
    return float(min(1.0, np.isin(result.ids, _ids(scene, name)).mean() / 0.002))


def _behind(result: RenderResult, scene, camera, name: str, subject_mask: np.ndarray) -> bool:
    """The object is well in the picture and not in front of the subject."""
    m = np.isin(result.ids, _ids(scene, name))
    if _seen(scene, camera, name) < 1.0 or not subject_mask.any() or not m.any():
        return False
    return bool(np.median(result.depth[m]) > 0.8 * np.median(result.depth[subject_mask]))


def _through(result: RenderResult, scene, name: str, subject_mask: np.ndarray) -> bool:
    """The frame object is in view, nearer than the subject, and around it (on both sides or above)."""
    m = np.isin(result.ids, _ids(scene, name))
    if m.mean() < 0.01 or not subject_mask.any():
        return False
    nearer = np.median(result.depth[m]) < np.median(result.depth[subject_mask])
    cols = np.nonzero(subject_mask.any(axis=0))[0]
    left, right = m[:, : cols.min()].any(), m[:, cols.max() + 1 :].any()
    return bool(nearer and (left and right or m[: np.nonzero(subject_mask.any(axis=1))[0].min()].any()))


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
            not f["cut_off_edges"] or bp.shot_size == "close_up",
            ",".join(f["cut_off_edges"]),
            "subject cut at the " + "/".join(f["cut_off_edges"]) if f["cut_off_edges"] else "subject whole in frame",
            hard=False,
        ),
        RuleCheck(
            "not_occluded",
            f["occluded"] < 0.4,
            round(f["occluded"], 3),
            f"{f['occluded']:.0%} hidden" + (f" by {', '.join(f['occluders'][:3])}" if f["occluders"] else ""),
            hard=False,
        ),
        RuleCheck(
            "horizon_level", abs(f["roll_deg"]) < 1.0, f["roll_deg"], f"roll {f['roll_deg']:.1f} deg", hard=False
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
            f["angle"] == bp.angle,
            f["angle"],
            f"{f['angle']} (pitch {f['pitch_deg']} deg) for {bp.angle}",
            hard="angle" in bp.explicit,  # an angle the intent asked for is a requirement
        ),
    ]
    if bp.avoid:
        seen = [n for n, v in f["avoid_visible"].items() if v > 0.05]
        checks.append(RuleCheck("avoid", not seen, ",".join(seen), f"unwanted in frame: {', '.join(seen) or 'none'}"))
    crit = []
    ratio = f["coverage"] / f["target_coverage"]
    if f["visible"] < MIN_VISIBLE:
        crit.append("subject_not_visible")
    elif ratio < 0.6:
        crit.append("subject_too_small")
    elif ratio > 1.8 or f["cut_off_edges"]:
        crit.append("subject_too_large" if ratio > 1.8 else "cut_off")
    if f["occluded"] >= 0.4:
        crit.append("occluded")
    if f["inside_geometry"]:
        crit.append("inside_geometry")
    if f["placement_score"] < 0.5 and f["visible"] >= MIN_VISIBLE:
        crit.append("off_placement")
    if abs(f["roll_deg"]) >= 1.0:
        crit.append("tilted")
    if f["angle"] != bp.angle:
        crit.append("too_high" if ANGLES.index(f["angle"]) > ANGLES.index(bp.angle) else "too_low")
    if f["exposure_verdict"] in ("too_dark", "black"):
        crit.append("too_dark")
    if any(v < 1.0 for v in f["context_visible"].values()):
        crit.append("context_missing")
    if any(not v for v in f["background_ok"].values()):
        crit.append("background_missing")
    if f["through_ok"] is False:
        crit.append("not_framed_through")
    return checks, crit


def score(state: SearchState, f: dict, checks: list[RuleCheck]) -> tuple[dict, dict]:
    bp = state.blueprint
    ratio = max(f["coverage"], 1e-4) / f["target_coverage"]
    # Log-normal around the target, with a square-root tail so that a subject far too small still
    # scores better the bigger it gets (the search needs that slope).
    size = max(math.exp(-(math.log(ratio) ** 2) / 1.2), 0.6 * math.sqrt(min(ratio, 1.0)))
    cut = 0.75 if f["cut_off_edges"] and bp.shot_size != "close_up" else 1.0
    open_view = max(0.0, 1.0 - 2.0 * f["near_block"])
    composition = 10 * cut * (0.4 * f["placement_score"] + 0.4 * size + 0.2 * open_view)
    level = 1.0 if abs(f["roll_deg"]) < 1.0 else 0.5
    clear = min(1.0, f["clearance_m"] / 0.5) if not f["inside_geometry"] else 0.0
    technical = 10 * (0.6 * f["exposure"] + 0.2 * level + 0.2 * clear)
    lit = min(1.0, f["subject_light"])
    aesthetics = 10 * (0.45 * f["aesthetic"] + 0.25 * lit + 0.3 * f["form"])
    # An angle the intent asked for must be met; the default eye level is only a preference.
    angle_part = 1.0 if f["angle"] == bp.angle else (0.3 if "angle" in bp.explicit else 0.8)
    parts = [min(1.0, f["visible"] / 0.8), angle_part]
    parts += list(f["context_visible"].values())
    parts += [1.0 if ok else 0.0 for ok in f["background_ok"].values()]
    if f["through_ok"] is not None:
        parts.append(1.0 if f["through_ok"] else 0.0)
    parts += [0.0 if v > 0.05 else 1.0 for v in f["avoid_visible"].values()]
    if bp.lens_asked:
        parts.append(1.0 if f["lens"] == bp.lens else 0.4)
    if "aspects" in bp.explicit:
        parts.append(1.0 if f["aspect"] in bp.aspects else 0.4)
    if bp.placement != "center" or "placement" in bp.explicit:
        parts.append(f["placement_score"])
    # A missed relation (context, background, frame, unwanted object) costs more than its share.
    alignment = 10 * (0.5 * float(np.mean(parts)) + 0.5 * float(np.min(parts)))
    scores = {"composition": composition, "technical": technical, "aesthetics": aesthetics, "alignment": alignment}
    reasons = {
        "composition": f"subject covers {f['coverage']:.0%} (aim {f['target_coverage']:.0%}), placement "
        f"{f['placement_score']:.2f}"
        + (f", cut at {'/'.join(f['cut_off_edges'])}" if f["cut_off_edges"] else "")
        + (f", {f['near_block']:.0%} of the frame blocked by near surfaces" if f["near_block"] > 0.1 else ""),
        "technical": f"exposure {f['exposure_verdict']} ({f['exposure']:.2f}), roll {f['roll_deg']:.0f} deg, "
        f"{f['clearance_m']:.2f} m clearance",
        "aesthetics": f"image quality {f['aesthetic']:.2f}, subject {'well' if lit > 0.9 else 'dimly'} lit, "
        f"{'shows its form' if f['form'] > 0.6 else 'seen flat-on'} ({f['form']:.2f})",
        "alignment": f"{f['visible']:.0%} of the subject seen, {f['angle']} for {bp.angle}"
        + (
            "; " + ", ".join(c.name for c in checks if not c.passed) + " off"
            if any(not c.passed for c in checks)
            else ""
        ),
    }
    return {k: round(float(v), 3) for k, v in scores.items()}, reasons
