"""The README's Python blocks run as written: each is extracted and run in a fresh Python, in an empty folder,
with the loopback OpenAI-compatible server (tests/openai_stub.py) standing in for the VLM server the README
points at (its address replaces http://127.0.0.1:8000/v1; its responder plays a CodeAgent)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openai_stub import StubServer

pytestmark = pytest.mark.slow  # a fresh Python per block, some render

ROOT = Path(__file__).resolve().parents[1]
README_ADDRESS = "http://127.0.0.1:8000/v1"
MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


def play_code_agent(request: dict) -> str:
    """A new task gets a render of the staircase; after an observation, an answer."""
    last = request["messages"][-1]
    text = last["content"] if isinstance(last["content"], str) else str(last["content"])
    if text.rfind("Observation") > text.rfind("New task"):
        return '<code>\nfinal_answer("A staircase rising to a landing, lit from the window.")\n</code>'
    return 'Thought: look first.\n<code>\nprint(render_view(scene="staircase", width=160))\n</code>'


@pytest.fixture(scope="module")
def server():
    with StubServer(play_code_agent, models=[MODEL]) as stub:
        yield stub


def test_the_readme_has_python_blocks():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=lambda i: BLOCKS[i].strip().splitlines()[0][:50])
def test_a_readme_python_block_runs_as_written(index, server, tmp_path):
    code = BLOCKS[index].replace(README_ADDRESS, server.base_url)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AGENTVISION_CACHE": os.environ.get("AGENTVISION_CACHE", "")}
    env = {k: v for k, v in env.items() if v and not k.startswith(("AGENTVISION_API", "AGENTVISION_MODEL"))}
    calls = len(server.requests)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, f"README block {index} failed:\n{code}\n{out.stderr[-3000:]}"
    if "agent.run(" in code:  # an agent block: it reached the model, and the model saw the tool's render
        assert "A staircase rising" in out.stdout
        requests = server.requests[calls:]
        assert len(requests) == 2 and "image_url" in str(requests[1]["messages"][-1])
