"""The built-in, model-free photographer: the Director (intent reader, anchors, framing), the Reviewer
(geometric rules and four scores) and the Reflector, behind the role interfaces of
:mod:`agentvision.photoflow.roles`. The three role classes load on first use.
"""

from __future__ import annotations

import importlib

_ROLES = {
    "BuiltinDirector": "agentvision.photoflow.builtin.director",
    "BuiltinReviewer": "agentvision.photoflow.builtin.reviewer",
    "BuiltinReflector": "agentvision.photoflow.builtin.reflector",
}
__all__ = list(_ROLES)


def __getattr__(name: str):
    if name not in _ROLES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_ROLES[name]), name)
