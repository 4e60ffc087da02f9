"""The limits model-written code runs under, checked before anything starts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from agentvision.errors import InputError


@dataclass(frozen=True)
class SandboxLimits:
    """What one agent's code may use. Tool calls run in the parent and do not count toward the times.

    Attributes:
        step_cpu_s: CPU seconds the code may use in one step (the kernel stops it: RLIMIT_CPU).
        step_wall_s: seconds the code may take in one step, tool calls excluded (the parent stops it).
        total_cpu_s: CPU seconds the code may use over the whole agent's life (its overall deadline).
        memory_mb: address space of the code's process (RLIMIT_AS); past it, allocations fail with MemoryError.
        tool_calls: tool calls the code may make in one step.
        message_mb: the largest message (tool arguments, a final answer, printed output) the code may send back.
    """

    step_cpu_s: float = 30.0
    step_wall_s: float = 60.0
    total_cpu_s: float = 600.0
    memory_mb: int = 1024
    tool_calls: int = 64
    message_mb: float = 8.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int | float) or isinstance(value, bool) or not value > 0:
                raise InputError(f"sandbox limit {name} must be a number > 0, got {value!r}")
        if self.memory_mb < 256:
            raise InputError(f"sandbox memory_mb {self.memory_mb} is too small to start Python; give 256 or more")

    @property
    def message_bytes(self) -> int:
        return int(self.message_mb * 1024 * 1024)

    def to_dict(self) -> dict:
        return asdict(self)
