"""Region memory: a 3D grid of cells around the subject, each dead, promising or unknown.

The Reflector marks the cells its candidates stood in; the Director avoids dead cells (dead-zone
suppression) and, when asked to explore, picks cells nobody has tried (high-explore relocation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UNKNOWN, DEAD, PROMISING, TRIED = 0, -1, 2, 1


@dataclass
class RegionMemory:
    """Cells of ``size`` metres over the box ``lo``..``hi`` (world coordinates)."""

    lo: np.ndarray
    hi: np.ndarray
    size: float

    def __post_init__(self) -> None:
        self.lo = np.asarray(self.lo, dtype=float)
        self.hi = np.asarray(self.hi, dtype=float)
        self.shape = tuple(int(max(1, np.ceil(v))) for v in (self.hi - self.lo) / self.size)
        self.state = np.zeros(self.shape, dtype=np.int8)
        self.best = np.full(self.shape, -np.inf)

    def cell(self, position) -> tuple[int, int, int]:
        idx = np.floor((np.asarray(position, dtype=float) - self.lo) / self.size).astype(int)
        return tuple(int(np.clip(i, 0, n - 1)) for i, n in zip(idx, self.shape, strict=True))

    def centre(self, cell: tuple[int, int, int]) -> np.ndarray:
        return self.lo + (np.asarray(cell) + 0.5) * self.size

    def mark(self, position, verdict: str, score: float = 0.0) -> None:
        """Record a candidate: ``verdict`` is 'dead', 'promising' or 'tried'. Promising wins over
        tried; a cell turns dead only if nothing good was ever seen from it."""
        c = self.cell(position)
        self.best[c] = max(self.best[c], score)
        if verdict == "promising":
            self.state[c] = PROMISING
        elif verdict == "dead" and self.state[c] != PROMISING:
            self.state[c] = DEAD
        elif self.state[c] == UNKNOWN:
            self.state[c] = TRIED

    def is_dead(self, position) -> bool:
        return bool(self.state[self.cell(position)] == DEAD)

    def is_unknown(self, position) -> bool:
        return bool(self.state[self.cell(position)] == UNKNOWN)

    def promising(self) -> list[tuple[tuple[int, int, int], float]]:
        """Promising cells with their best score, best first."""
        cells = [tuple(int(v) for v in c) for c in np.argwhere(self.state == PROMISING)]
        return sorted(((c, float(self.best[c])) for c in cells), key=lambda cs: -cs[1])

    def counts(self) -> dict[str, int]:
        return {
            "dead": int((self.state == DEAD).sum()),
            "promising": int((self.state == PROMISING).sum()),
            "tried": int((self.state == TRIED).sum()),
            "unknown": int((self.state == UNKNOWN).sum()),
        }
