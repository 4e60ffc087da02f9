"""Bench statistics: success rates and mean composites per strategy, with 95 % intervals.

Success rates use the Wilson score interval; mean composites the normal interval
mean +- 1.96 * sd / sqrt(n). Both overall and per mission category.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

Z = 1.96


@dataclass
class Stat:
    n: int
    success: float
    success_ci: tuple[float, float]
    composite: float
    composite_ci: tuple[float, float]
    errors: int


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_ci(values: list[float]) -> tuple[float, tuple[float, float]]:
    if not values:
        return 0.0, (0.0, 0.0)
    m = sum(values) / len(values)
    if len(values) < 2:
        return m, (m, m)
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))
    half = Z * sd / math.sqrt(len(values))
    return m, (m - half, m + half)


def _truthy(v) -> bool:
    return str(v).strip().lower() in ("true", "1", "yes")


def stat(rows: list[dict]) -> Stat:
    k = sum(_truthy(r["success"]) for r in rows)
    comps = [float(r["composite"] or 0.0) for r in rows]
    m, (lo, hi) = mean_ci(comps)
    ci = (max(0.0, lo), min(1.0, hi))  # composites live in [0, 1]
    return Stat(
        len(rows), k / len(rows) if rows else 0.0, wilson(k, len(rows)), m, ci, sum(bool(r.get("error")) for r in rows)
    )


def summarise(rows: list[dict]) -> dict[str, dict[str, Stat]]:
    """{strategy: {"all": Stat, category: Stat, ...}}"""
    groups: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        groups[r["strategy"]]["all"].append(r)
        groups[r["strategy"]][r["category"]].append(r)
    return {s: {c: stat(rs) for c, rs in cats.items()} for s, cats in groups.items()}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def markdown(summary: dict[str, dict[str, Stat]], title: str = "Bench summary") -> str:
    cats = sorted({c for s in summary.values() for c in s if c != "all"})
    lines = [
        f"# {title}",
        "",
        "| strategy | runs | success (95% CI) | mean composite (95% CI) | errors |",
        "|---|---|---|---|---|",
    ]
    order = sorted(summary, key=lambda s: -summary[s]["all"].success)
    for s in order:
        a = summary[s]["all"]
        lines.append(
            f"| {s} | {a.n} | {_pct(a.success)} ({_pct(a.success_ci[0])}-{_pct(a.success_ci[1])}) | "
            f"{a.composite:.3f} ({a.composite_ci[0]:.3f}-{a.composite_ci[1]:.3f}) | {a.errors} |"
        )
    for c in cats:
        lines += [
            "",
            f"## {c}",
            "",
            "| strategy | runs | success (95% CI) | mean composite (95% CI) |",
            "|---|---|---|---|",
        ]
        for s in order:
            st = summary[s].get(c)
            if st:
                lines.append(
                    f"| {s} | {st.n} | {_pct(st.success)} ({_pct(st.success_ci[0])}-{_pct(st.success_ci[1])})"
                    f" | {st.composite:.3f} ({st.composite_ci[0]:.3f}-{st.composite_ci[1]:.3f}) |"
                )
    return "\n".join(lines) + "\n"
