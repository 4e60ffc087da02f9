"""Summarise relay runs: a capable multimodal model played every role through the relay server (see
../shared/CRITIQUE.md section 2), one queue folder per run and the run folder beside it.

    python benchmarks/vlm_relay/summarize.py /work/relay before-staircase after-staircase ...

For each run it reads QUEUE/req-NNNN/request.md (the text and the sizes of the images each request carried),
RUN-photo/trace.jsonl (calls per role, rejected answers, fallbacks, incumbent changes) and RUN-wall.txt (the
command's wall time), and prints one markdown table: requests per role, rejections, fallbacks, wall time,
the largest request's text (characters, and tokens at about 4 characters each) and the images the Reviewer got
for its first round. The player's notes on each request are in QUEUE/req-NNNN/notes.md.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROLES = (("Director", "director"), ("Reviewer", "reviewer"), ("Reflector", "reflector"))
IMAGE = re.compile(r"\[IMAGE img-\d+\.png: (\d+)x(\d+)\]")


def role_of(request: str) -> str:
    """The role a request's system prompt gives (the smolagents default prompt is the Director's)."""
    head = request[:400]
    for word, role in ROLES:
        if f"You are the {word}" in head:
            return role
    return "director"


def summarize(root: Path, run: str) -> dict:
    queue, folder = root / run, root / f"{run}-photo"
    requests = sorted(queue.glob("req-*/request.md"))
    per_role: Counter = Counter()
    largest, review_images = 0, None
    for path in requests:
        text = path.read_text()
        role = role_of(text)
        per_role[role] += 1
        largest = max(largest, len(IMAGE.sub("", text)))
        if role == "reviewer" and review_images is None and "head to head" not in text[:600]:
            review_images = [f"{w}x{h}" for w, h in IMAGE.findall(text)]
    events = [json.loads(line) for line in (folder / "trace.jsonl").read_text().splitlines() if line.strip()]
    rejected = Counter(e["role"] for e in events if e["event"] in ("model_call", "agent_step") and e.get("error"))
    fallbacks = Counter(e["role"] for e in events if e["event"] == "fallback")
    changes = sum(1 for e in events if e["event"] == "selection" and e.get("changed"))
    wall = (root / f"{run}-wall.txt").read_text() if (root / f"{run}-wall.txt").exists() else ""
    seconds = re.search(r"wall_s=(\d+)", wall)
    return {
        "run": run,
        "requests": len(requests),
        "per_role": dict(per_role),
        "rejected": dict(rejected),
        "fallbacks": dict(fallbacks),
        "incumbent_changes": changes,
        "wall_s": int(seconds.group(1)) if seconds else None,
        "largest_chars": largest,
        "review_images": review_images or [],
    }


def table(rows: list[dict]) -> str:
    head = (
        "| run | requests (director / reviewer / reflector) | rejected | fallbacks | incumbent changes | wall s "
        "| largest request text | images of a round's review |\n|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in rows:
        roles = " / ".join(str(r["per_role"].get(role, 0)) for _, role in ROLES)
        lines.append(
            f"| {r['run']} | {r['requests']} ({roles}) | {sum(r['rejected'].values())} | "
            f"{sum(r['fallbacks'].values())} | {r['incumbent_changes']} | {r['wall_s']} | "
            f"{r['largest_chars'] / 1000:.1f} k chars (~{r['largest_chars'] // 4000:.0f}k tokens) | "
            f"{', '.join(r['review_images']) or '-'} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    root = Path(argv[0])
    print(table([summarize(root, run) for run in argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
