"""What the VLM plumbing costs, apart from the model: `agentvision photo` with every role on an
OpenAI-compatible server that answers at once (the loopback stub of the tests, playing each role as
a capable VLM would answer its prompt). The numbers are request counts, tokens as the stub counts
them, and the wall time the run spends outside the model; they say nothing about photo quality.

    .venv/bin/python benchmarks/vlm_plumbing.py [--rounds 6] [--candidates 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from openai_stub import StubServer  # noqa: E402
from test_vlm_photo_e2e import respond  # noqa: E402

import agentvision as av  # noqa: E402
from agentvision.photoflow.trace import usage_by_role  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument("--intent", default="shoot the staircase at dusk")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, StubServer(respond, models=["stub-vlm"]) as server:
        runs = {}
        for label, model in (("builtin", None), ("vlm (all roles)", "openai:stub-vlm")):
            t = time.perf_counter()
            result = av.photo(
                args.intent,
                model=model,
                api_base=server.base_url,
                rounds=args.rounds,
                candidates=args.candidates,
                out_dir=Path(tmp) / label.split()[0],
            )
            runs[label] = (time.perf_counter() - t, result)
        print("| run | wall s | requests | input tokens | output tokens | model s | fallbacks |")
        print("|---|---|---|---|---|---|---|")
        for label, (wall, result) in runs.items():
            usage = usage_by_role(result.trace)
            total = {
                k: sum(u[k] for u in usage.values())
                for k in ("calls", "input_tokens", "output_tokens", "seconds", "fallbacks")
            }
            print(
                f"| {label} | {wall:.1f} | {total['calls']} | {total['input_tokens']} | {total['output_tokens']} | "
                f"{total['seconds']:.2f} | {total['fallbacks']} |"
            )
        for role, u in usage_by_role(runs["vlm (all roles)"][1].trace).items():
            print(f"  {role}: {u['calls']} calls, {u['input_tokens']} input tokens, {u['output_tokens']} output")


if __name__ == "__main__":
    main()
