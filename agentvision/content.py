"""Where the shipped content folders (scenes/, tools/, agents/) are found.

In a source checkout they sit beside the ``agentvision`` package; a wheel carries them inside it
as ``agentvision/_content/<name>`` (tools as ``agentvision/tools/<name>.py``, their module path: see
:mod:`agentvision.tools`) so that no generic top-level name lands in site-packages.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def content_dir(name: str) -> Path:
    """The folder of shipped content called ``name`` ('scenes', 'tools' or 'agents')."""
    for candidate in (_PACKAGE / "_content" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"agentvision's {name}/ folder is missing (looked in {_PACKAGE / '_content'} and {_PACKAGE.parent}); "
        "reinstall agentvision"
    )
