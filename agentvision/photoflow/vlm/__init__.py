"""VLM-backed PhotoFlow roles: the Director (a smolagents CodeAgent with scene tools), the Reviewer
and the Reflector, each behind the same interface as the built-in role it falls back to.

Which role a model plays is chosen in :mod:`agentvision.photoflow.casting`.
"""

from __future__ import annotations

from agentvision.photoflow.vlm.director import VLMDirector
from agentvision.photoflow.vlm.reflector import VLMReflector
from agentvision.photoflow.vlm.reviewer import VLMReviewer

__all__ = ["VLMDirector", "VLMReflector", "VLMReviewer"]
