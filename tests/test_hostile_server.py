"""A hostile model server drives the VLM Director: its code tries every escape of issue 15, through the real
openai client and the loopback OpenAI-compatible server. Nothing outside the run folder is read or written,
no command runs, the key never reaches the server's prompts or the run folder, and the run still ends with
a photo."""

from __future__ import annotations

import json

import pytest
from openai_stub import StubServer

from agentvision.models import ModelOptions, load_model
from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.search import Budget
from agentvision.photoflow.vlm import VLMDirector
from agentvision.sandbox import SandboxLimits
from agentvision.scene.library import library_scene

pytestmark = pytest.mark.slow  # a whole (small) run over HTTP

SECRET = "sk-hostile-test-5f4e3d2c1b0a"


def escapes(secret_file, marker) -> list[str]:
    return [
        f"print(open({str(secret_file)!r}).read())",
        f"import os\nos.system('touch {marker}')",
        "import subprocess\nsubprocess.run(['id'])",
        "import socket\nsocket.create_connection(('127.0.0.1', 80))",
        "import urllib.request\nurllib.request.urlopen('http://127.0.0.1/')",
        f"import numpy as np\nnp.fromfile('/proc/self/environ')\nnp.save({str(marker)!r}, np.zeros(2))",
        "print(__import__('os').environ)",
        "getattr(render_view, '__globals__')",
        "render_view.__class__.__mro__",
        f"print(image_info(image={str(secret_file.with_suffix('.png'))!r}, show=True))",
        f"print(scene_objects(scene={str(secret_file.with_suffix('.glb'))!r}))",
        "import time\ntime.sleep(600)",
        "x = [0] * (4 * 1024**3)",
        "for i in range(10**9):\n    pass",
    ]


def test_a_hostile_server_cannot_escape_through_the_director(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("AGENTVISION_API_KEY", SECRET)
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    Image.new("RGB", (8, 8)).save(secret_file.with_suffix(".png"))
    secret_file.with_suffix(".glb").write_bytes(b"glTF")
    marker = tmp_path / "marker"
    attempts = escapes(secret_file, marker)
    before = {p.name for p in tmp_path.iterdir()}

    def respond(request: dict) -> str:
        last = request["messages"][-1]
        text = last["content"] if isinstance(last["content"], str) else json.dumps(last["content"])
        if attempts:
            return f"Thought: let me look around.\n<code>\n{attempts.pop(0)}\n</code>"
        if "propose exactly" in json.dumps(request["messages"]) and "final_answer" not in text:
            return "Thought: nothing worked.\n<code>\nfinal_answer([])\n</code>"
        return 'Thought: fine.\n<code>\nfinal_answer({"shot_size": "medium"})\n</code>'

    living = library_scene("living_room")
    with StubServer(respond) as server:
        options = ModelOptions(api_base=server.base_url, api_key=SECRET, timeout_s=30)
        director = VLMDirector(
            load_model("openai:stub-model", options),
            max_steps=len(attempts) + 2,
            limits=SandboxLimits(step_cpu_s=2, step_wall_s=4, memory_mb=512),
        )
        out = tmp_path / "run"
        result = run_photoflow(
            "the sofa",
            living,
            budget=Budget(rounds=1, candidates=2, preview_width=96, final_width=160),
            director=director,
            out_dir=out,
        )
        sent = json.dumps(server.requests)
        headers = [c.headers for c in server.calls]
    assert (out / "photo.png").is_file() and result.photo is not None
    assert not attempts  # the server got to try every escape
    assert not marker.exists() and {p.name for p in tmp_path.iterdir()} == before | {"run"}
    assert SECRET not in sent  # neither the file nor the environment reached the server
    assert all(h.get("authorization") == f"Bearer {SECRET}" for h in headers if "authorization" in h)
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".jsonl", ".md", ".json"):
            assert SECRET not in path.read_text(), path
    steps = [e for e in result.trace if e["event"] == "agent_step"]
    errors = " ".join(str(e.get("error")) for e in steps)
    assert "Import of os is not allowed" in errors and "outside the folders tools may read" in errors
    by_code = {e["code"].split("\n")[-1]: str(e.get("error")) for e in steps if e.get("code")}
    assert "4 s limit" in by_code["time.sleep(600)"]  # no CPU used: stopped by the wall clock
    assert "MemoryError" in by_code["x = [0] * (4 * 1024**3)"]
    assert "CPU time" in by_code["    pass"] or "4 s limit" in by_code["    pass"]  # whichever came first
    sandbox = next(e for e in result.trace if e["event"] == "sandbox")
    assert sandbox["process"] is True
