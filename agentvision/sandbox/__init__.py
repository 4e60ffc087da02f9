"""The sandbox that model-written code runs in: a confined process of its own, tools called over a pipe.

:class:`SandboxExecutor` is a smolagents ``PythonExecutor`` (``make_agent`` uses it by default);
:class:`SandboxLimits` holds its limits; :mod:`.confine` says what the process does to itself and
:mod:`.child` is that process. README "Security" says what this guarantees and what it does not.
"""

from agentvision.sandbox.executor import SandboxExecutor, SandboxStopped
from agentvision.sandbox.limits import SandboxLimits

__all__ = ["SandboxExecutor", "SandboxLimits", "SandboxStopped"]
