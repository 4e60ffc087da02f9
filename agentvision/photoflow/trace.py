"""One writer for every event of a run: ``trace.jsonl``, one JSON object per line."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agentvision.redact import redact_value


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
    """Appends events with the seconds since the run started; keeps them in memory too.

    A writer made without a path keeps events in memory until :meth:`attach` gives it a file (the
    loop reads the intent before any run folder exists); attaching writes the events so far.
    """

    def __init__(self, path: Path | None = None):
        self.path = None
        self.start = time.perf_counter()
        self.events: list[dict] = []
        self.listeners: list = []  # functions called with each event as it is written
        self._file = None
        if path is not None:
            self.attach(path)

    def attach(self, path: Path) -> None:
        """Write every event, past and future, to ``path``."""
        self.path = path
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115
        for record in self.events:
            self._file.write(json.dumps(record) + "\n")
        self._file.flush()

    def emit(self, event: str, **data: Any) -> dict:
        record = {"event": event, "t": round(time.perf_counter() - self.start, 4), **redact_value(_plain(data))}
        self.events.append(record)
        for listen in self.listeners:
            listen(record)
        if self._file is not None:
            self._file.write(json.dumps(record) + "\n")
            self._file.flush()
        return record

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass
class RunLog:
    """What a role may write to during a run: the trace, and the run folder for images it sends a model.

    Roles that want it define ``bind(run: RunLog)``; the loop calls it before ``plan``.
    """

    trace: TraceWriter
    out_dir: Path | None = None

    def save_image(self, name: str, image) -> str:
        """Save ``image`` as ``exchanges/<name>.png`` in the run folder; the reference for the trace."""
        if self.out_dir is None:
            return f"(in memory) {name}"
        folder = self.out_dir / "exchanges"
        folder.mkdir(parents=True, exist_ok=True)
        image.save(folder / f"{name}.png")
        return f"exchanges/{name}.png"


def usage_by_role(events: list[dict]) -> dict[str, dict]:
    """Model calls, tokens, model seconds and fallbacks per role, from ``model_call`` / ``agent_step`` /
    ``fallback`` events."""
    totals: dict[str, dict] = {}
    for e in events:
        if e["event"] not in ("model_call", "agent_step", "fallback"):
            continue
        row = totals.setdefault(
            e["role"], {"calls": 0, "input_tokens": 0, "output_tokens": 0, "seconds": 0.0, "fallbacks": 0}
        )
        if e["event"] == "fallback":
            row["fallbacks"] += 1
            continue
        row["calls"] += 1
        row["input_tokens"] += e.get("input_tokens") or 0
        row["output_tokens"] += e.get("output_tokens") or 0
        row["seconds"] += e.get("seconds") or 0.0
    return totals
