"""Run folders: where a photo run, a chat session or a tool session writes its files."""

from __future__ import annotations

import re
import time
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
