"""``agentvision tools``: the tool catalog as a table."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentvision.tools import catalog


def _inputs(inputs: dict) -> str:
    return ", ".join(f"{k}?" if spec.get("nullable") else k for k, spec in inputs.items())


def tools_command(args) -> int:
    console = Console()
    table = Table(title="agentvision tools (smolagents Tools; ? = optional input)", show_lines=False)
    table.add_column("tool", style="bold cyan", no_wrap=True)
    table.add_column("inputs", style="green")
    table.add_column("what it does")
    entries = catalog()
    for info in entries:
        table.add_row(info.name, _inputs(info.inputs), escape(info.description if args.full else info.summary))
    console.print(table)
    console.print(
        f"[dim]{len(entries)} tools in {entries[0].path.parent if entries else '?'}; "
        "load them with agentvision.tools.make_tools() or use agentvision.codeagent.make_agent(model)[/]"
    )
    return 0
