"""The run folder: photo.png, camera.json, rounds/round-NN.png contact sheets and report.md."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw

from agentvision.photoflow.blueprint import PLAN_FIELDS
from agentvision.photoflow.records import RoundRecord, editor_estimate
from agentvision.redact import redact, redact_value
from agentvision.scene.topdown import default_font

TILE = 320  # contact-sheet tile width in pixels


def contact_sheet(record: RoundRecord, title: str, labels_only: bool = False) -> Image.Image:
    """A labelled sheet of one round's candidates: id, origin, total, validity; the incumbent outlined.

    ``labels_only`` shows just the ids (the sheet a VLM Reviewer scores, unbiased by earlier scores).
    """
    tiles = []
    for shot in record.shots:
        im = shot.render.image().copy()
        im.thumbnail((TILE, TILE))
        r = shot.review
        band = Image.new("RGB", (TILE, 44), (24, 24, 28))
        d = ImageDraw.Draw(band)
        if labels_only:
            d.text((6, 10), shot.candidate.id, fill=(235, 235, 235), font=default_font(20))
            tiles.append(_tile(im, band, False))
            continue
        mark = "ok" if r.valid else "FAIL " + ",".join(c.name for c in r.failed() if c.hard)
        d.text(
            (6, 3),
            f"{shot.candidate.id}  {shot.candidate.origin}  total {r.total:.2f}  {mark}",
            fill=(235, 235, 235),
            font=default_font(12),
        )
        s = r.scores
        d.text(
            (6, 22),
            f"comp {s['composition']:.1f} tech {s['technical']:.1f} aes {s['aesthetics']:.1f} "
            f"align {s['alignment']:.1f}",
            fill=(170, 200, 255),
            font=default_font(12),
        )
        tiles.append(_tile(im, band, shot.candidate.id == record.incumbent_id))
    cols = min(4, max(1, len(tiles)))
    rows = (len(tiles) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * (TILE + 8) + 8, rows * (TILE + 52) + 40), (12, 12, 14))
    ImageDraw.Draw(sheet).text((10, 10), title, fill=(255, 255, 255), font=default_font(16))
    for i, tile in enumerate(tiles):
        sheet.paste(tile, (8 + (i % cols) * (TILE + 8), 36 + (i // cols) * (TILE + 52)))
    return sheet


def _tile(im: Image.Image, band: Image.Image, outlined: bool) -> Image.Image:
    tile = Image.new("RGB", (TILE, TILE + 44), (12, 12, 14))
    tile.paste(im, ((TILE - im.width) // 2, (TILE - im.height) // 2))
    tile.paste(band, (0, TILE))
    if outlined:
        ImageDraw.Draw(tile).rectangle([1, 1, TILE - 2, TILE + 42], outline=(255, 200, 40), width=4)
    return tile


RUN_FILES = ("photo.png", "camera.json", "report.md", "trace.jsonl")
RUN_FOLDERS = ("rounds", "exchanges")


def clear_previous_run(out_dir: Path) -> None:
    """Remove what an earlier run left in ``out_dir`` (only the files and folders a run writes), so a reused
    folder holds one run, not two mixed."""
    import shutil

    for name in RUN_FILES:
        (out_dir / name).unlink(missing_ok=True)
    for name in RUN_FOLDERS:
        if (out_dir / name).is_dir():
            shutil.rmtree(out_dir / name)


def stand_in_photo(preview: Image.Image, width: int, height: int, why: str) -> Image.Image:
    """The incumbent's preview enlarged to the photo's size, labelled as such: the photo when the final
    render was stopped (Ctrl-C, SIGTERM) or failed."""
    photo = preview.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    px = max(12, height // 40)
    label = f"preview enlarged: {why}"
    draw = ImageDraw.Draw(photo)
    box = draw.textbbox((0, 0), label, font=default_font(px))
    pad = px // 2
    draw.rectangle([0, height - box[3] - 2 * pad, box[2] + 2 * pad, height], fill=(0, 0, 0))
    draw.text((pad, height - box[3] - pad), label, fill=(255, 220, 80), font=default_font(px))
    return photo


def write_camera_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(redact_value(payload), indent=2) + "\n")


def write_report(path: Path, summary: dict, rounds: list[dict]) -> None:
    """report.md: intent, blueprint, a per-round table, final scores, timings and the photo."""
    bp = summary["blueprint"]
    lines = [
        f"# {summary['intent']}",
        "",
        f"Scene `{summary['scene']}` at {summary['time_of_day']}; strategy `{summary['strategy']}`, "
        f"seed {summary['seed']}, {summary['renders']} preview renders."
        + (" **Interrupted**: the photo is the incumbent so far." if summary.get("interrupted") else "")
        + (
            f" **The photo is the incumbent's preview, enlarged**: {summary['stand_in']}."
            if summary.get("stand_in")
            else ""
        ),
        "",
        "![photo](photo.png)"
        if summary.get("photo")
        else "_No photo: the run ended before any candidate was reviewed._",
        "",
        "## Blueprint",
        "",
        "| field | value |",
        "|---|---|",
    ]
    for key in PLAN_FIELDS:
        lines.append(f"| {key} | {bp.get(key)} |")
    if bp.get("notes"):
        lines += ["", "Read as: " + "; ".join(bp["notes"])]
    lines += [
        "",
        "## Rounds",
        "",
        "| round | candidates | best total | incumbent | incumbent total | reflection |",
        "|---|---|---|---|---|---|",
    ]
    for r in rounds:
        lines.append(
            f"| [{r['round']}](rounds/round-{r['round']:02d}.png) | {r['candidates']} | {r['best']:.2f} | "
            f"{r['incumbent']} | {r['incumbent_total']:.2f} | {r['reflection']} |"
        )
    final = summary.get("scores")
    if final:
        lines += [
            "",
            "## Final scores",
            "",
            f"Total **{final['total']:.2f}** / 10; an editor would give it about "
            f"**{editor_estimate(final['total']):.1f}** / 10 (the editor scale, fitted to blind ratings).",
            "",
            "| axis | score | reason |",
            "|---|---|---|",
        ]
        for axis, value in final["scores"].items():
            lines.append(f"| {axis} | {value:.2f} | {final['reasons'].get(axis, '')} |")
        failed = [c for c in final["checks"] if not c["passed"]]
        if failed:
            lines += ["", "Rules not met: " + "; ".join(f"{c['name']} ({c['message']})" for c in failed)]
    if summary.get("models"):
        lines += [
            "",
            "## Models",
            "",
            "| role | calls | input tokens | output tokens | model seconds | fallbacks to built-in |",
            "|---|---|---|---|---|---|",
        ]
        for role, u in summary["models"].items():
            lines.append(
                f"| {role} | {u['calls']} | {u['input_tokens']} | {u['output_tokens']} | {u['seconds']:.2f} | "
                f"{u['fallbacks']} |"
            )
        lines += ["", "Every prompt, image reference and reply is in `trace.jsonl`; the images sent, in `exchanges/`."]
    lines += ["", "## Time", "", "| stage | seconds |", "|---|---|"]
    for stage, secs in summary["timings"].items():
        lines.append(f"| {stage} | {secs:.2f} |")
    path.write_text(redact("\n".join(lines)) + "\n")
