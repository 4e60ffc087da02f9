"""Run folders: where a photo run, a chat session or a tool session writes its files, and finding them again."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

RUNS_ROOT = Path("runs")  # relative to the working directory


def run_dir_for(intent: str, root: Path = RUNS_ROOT) -> Path:
    """runs/<timestamp>-<slug>/, unique."""
    slug = re.sub(r"[^a-z0-9]+", "-", intent.lower()).strip("-")[:40] or "photo"
    base = root / f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


@dataclass(frozen=True)
class RunRecord:
    """A finished run folder as a gallery lists it: what camera.json says, and where its files are."""

    folder: Path
    intent: str
    scene: str
    time_of_day: str
    score: float | None
    valid: bool | None
    strategy: str
    finished: float  # camera.json's modification time (seconds since the epoch)
    data: dict  # camera.json as written

    @property
    def photo(self) -> Path:
        return self.folder / "photo.png"

    @property
    def report(self) -> Path:
        return self.folder / "report.md"

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.finished))


def read_run(folder: Path) -> RunRecord | None:
    """The record of a run folder (one with camera.json and photo.png), or None when it is not one."""
    folder = Path(folder)
    meta = folder / "camera.json"
    try:
        data = json.loads(meta.read_text())
        finished = meta.stat().st_mtime
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("camera"), dict) or not (folder / "photo.png").is_file():
        return None
    scores = data.get("scores") if isinstance(data.get("scores"), dict) else {}
    blueprint = data.get("blueprint") if isinstance(data.get("blueprint"), dict) else {}
    total = scores.get("total")
    return RunRecord(
        folder=folder,
        intent=str(data.get("intent") or blueprint.get("intent") or ""),
        scene=str(data.get("scene") or blueprint.get("scene") or "?"),
        time_of_day=str(data.get("time_of_day") or ""),
        score=float(total) if isinstance(total, int | float) else None,
        valid=scores.get("valid") if isinstance(scores.get("valid"), bool) else None,
        strategy=str(data.get("strategy") or ""),
        finished=finished,
        data=data,
    )


def find_runs(root: Path = RUNS_ROOT, limit: int = 1000) -> list[RunRecord]:
    """Run folders under ``root`` (photo runs, chat shots, bench runs: any folder with camera.json and
    photo.png), newest first, at most ``limit``."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = (read_run(meta.parent) for meta in root.glob("**/camera.json"))
    runs = sorted((r for r in found if r is not None), key=lambda r: (-r.finished, str(r.folder)))
    return runs[:limit]
