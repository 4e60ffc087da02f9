"""The package's arrows go one way: no module imports from a layer above its own, and no modules import
each other in a circle (imports inside functions count: they run too). The layers, lowest first, are
those of docs/ARCHITECTURE.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module belongs to the first layer with a prefix that names it or a package above it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundations", ("errors", "conventions", "content", "runs", "outbox", "redact", "stopping", "yamlfile")),
    ("camera", ("camera",)),
    ("image analysis", ("vision",)),
    ("scenes", ("scene",)),
    ("renderers", ("render",)),
    ("model backends", ("models",)),
    (
        "search state",
        (
            "photoflow.blueprint",
            "photoflow.records",
            "photoflow.memory",
            "photoflow.search",
            "photoflow.trace",
            "photoflow.output",
            "photoflow.roles",
        ),
    ),
    ("agent plumbing", ("sandbox", "toolcontext", "tools", "codeagent")),
    ("roles", ("photoflow.builtin", "photoflow.vlm")),
    ("the loop and the job", ("photoflow",)),
    ("bench", ("bench",)),
    ("entry points", ("api", "chat", "ui", "commands", "cli")),
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in (ROOT / "agentvision").rglob("*.py"):
        parts = path.relative_to(ROOT / "agentvision").with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__")
        out[name] = path
    return out


MODULES = _modules()


def layer_of(module: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"agentvision.{module} is in no layer: add it to LAYERS and to docs/ARCHITECTURE.md")


def imports_of(module: str) -> set[str]:
    """The agentvision modules ``module`` imports anywhere in its file (the package root excluded)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("agentvision."):
            base = node.module.removeprefix("agentvision.")
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        elif isinstance(node, ast.Import):
            names = [a.name.removeprefix("agentvision.") for a in node.names if a.name.startswith("agentvision.")]
        found |= {n for n in names if n in MODULES}
    found.discard(module)
    return found


GRAPH = {m: imports_of(m) for m in MODULES if m}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m))
def test_no_import_from_a_higher_layer(module):
    mine = layer_of(module)
    upward = sorted(t for t in GRAPH[module] if layer_of(t) > mine)
    assert not upward, f"agentvision.{module} ({LAYERS[mine][0]}) imports from higher layers: {upward}"


def test_no_import_cycles():
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles, f"modules importing each other in a circle: {cycles}"


def test_the_library_never_imports_a_tool_or_a_scene_builder():
    tool_modules = [f"agentvision.tools.{p.stem}" for p in (ROOT / "tools").glob("*.py")]
    for module in GRAPH:
        text = MODULES[module].read_text()
        assert "from tools" not in text and "import tools." not in text, module
        assert module == "tools" or not any(name in text for name in tool_modules), module  # the catalog loads them
        assert "from scenes" not in text, module
