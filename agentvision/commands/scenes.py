"""``agentvision scenes``: the scene library and its objects (from the cached catalogs: no scene is built)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from agentvision.scene.catalog import library_catalog
from agentvision.scene.library import library_names


def list_scenes() -> int:
    table = Table(title="agentvision scene library", show_lines=True)
    table.add_column("scene", style="bold cyan")
    table.add_column("kind")
    table.add_column("objects")
    table.add_column("triangles", justify="right")
    for name in library_names():
        catalog = library_catalog(name)
        kind = "interior" if catalog.interior else "outdoor"
        table.add_row(
            f"{name}\n[dim]{catalog.description}[/]", kind, ", ".join(catalog.names), f"{catalog.triangles:,}"
        )
    Console().print(table)
    return 0
