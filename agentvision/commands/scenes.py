"""``agentvision scenes``: the scene library and its objects."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from agentvision.scene.library import describe, library_names, library_scene


def list_scenes() -> int:
    table = Table(title="agentvision scene library", show_lines=True)
    table.add_column("scene", style="bold cyan")
    table.add_column("kind")
    table.add_column("objects")
    table.add_column("triangles", justify="right")
    for name in library_names():
        scene = library_scene(name)
        kind = "interior" if scene.interior else "outdoor"
        table.add_row(f"{name}\n[dim]{describe(name)}[/]", kind, ", ".join(scene.names), f"{scene.triangle_count:,}")
    Console().print(table)
    return 0
