"""The three roles of PhotoFlow as interfaces. The loop knows roles only through these.

A role may be the built-in, model-free photographer (``agentvision.photoflow.builtin``), a
VLM-backed agent, or anything a user writes; roles are interchangeable one by one.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from agentvision.photoflow.blueprint import Blueprint
from agentvision.photoflow.records import Candidate, Comparison, Reflection, Review, RoundRecord, Shot
from agentvision.photoflow.search import SearchState
from agentvision.scene.model import Scene


@runtime_checkable
class Director(Protocol):
    """Plans the photograph and proposes cameras."""

    def plan(self, intent: str, scene: Scene) -> Blueprint:
        """The blueprint for ``intent`` in ``scene`` (raises IntentError when the intent names nothing there)."""

    def scout(self, state: SearchState) -> None:
        """Look at the scene (overviews, map) and fill ``state.anchors`` with viewpoints."""

    def propose(self, state: SearchState, k: int) -> list[Candidate]:
        """``k`` diverse candidates for round ``state.round``, following ``state.reflection``."""


@runtime_checkable
class Reviewer(Protocol):
    """Checks and scores rendered candidates and picks between incumbent and challenger."""

    def review(self, state: SearchState, shots: list[tuple[Candidate, object]]) -> list[Review]:
        """One Review per (candidate, preview render), in order."""

    def compare(self, state: SearchState, incumbent: Shot, challenger: Shot) -> Comparison:
        """Head-to-head: does the challenger replace the incumbent?"""


@runtime_checkable
class Reflector(Protocol):
    """Turns a round's reviews into memory updates and directions for the next round."""

    def reflect(self, state: SearchState, record: RoundRecord) -> Reflection: ...
