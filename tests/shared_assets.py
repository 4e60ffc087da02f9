"""Where the shared test models are: ``../shared/assets`` beside the checkout, or beside the folder of
worktrees that holds it. Tests that need them skip where they are missing (a clean CI machine)."""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
ASSETS = next(
    (p / "shared" / "assets" for p in (_ROOT.parent, _ROOT.parent.parent) if (p / "shared" / "assets").is_dir()),
    _ROOT.parent / "shared" / "assets",
)
