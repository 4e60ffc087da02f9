"""One writer for every event of a run: ``trace.jsonl``, one JSON object per line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


class TraceWriter:
    """Appends events with the seconds since the run started; keeps them in memory too."""

    def __init__(self, path: Path | None):
        self.path = path
        self.start = time.perf_counter()
        self.events: list[dict] = []
        self._file = open(path, "a", encoding="utf-8") if path is not None else None  # noqa: SIM115

    def emit(self, event: str, **data: Any) -> dict:
        record = {"event": event, "t": round(time.perf_counter() - self.start, 4), **_plain(data)}
        self.events.append(record)
        if self._file is not None:
            self._file.write(json.dumps(record) + "\n")
            self._file.flush()
        return record

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
