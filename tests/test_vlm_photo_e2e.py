"""`agentvision photo --model openai:... --api-base ...` end to end against a loopback OpenAI-compatible
server (a real HTTP server started by the test, scripted replies with usage), through the real openai
client: every role talks to the server, requests have the shapes servers expect, and the exchange is
recorded. Also: a dead server and a server that never answers fail clearly before anything runs."""

import base64
import io
import json
import os
import re
import subprocess
import sys
import time

import pytest
from openai_stub import StubServer
from PIL import Image

pytestmark = pytest.mark.slow  # end to end: seconds per test

SECRET = "sk-test-do-not-log-0123456789"


def text_of(message) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content if p.get("type") == "text")


def respond(request: dict) -> str:
    """Play all three roles, the way a capable VLM would answer each prompt."""
    system = text_of(request["messages"][0])
    first_user = text_of(request["messages"][1])
    last = text_of(request["messages"][-1])
    if "You are the Reviewer" in system:
        if "Measured facts per candidate" in first_user:
            ids = re.findall(r"^- (\S+):", first_user, re.M)
            axes = ("composition", "technical", "aesthetics", "alignment")
            return json.dumps(
                {"candidates": [{"id": i, "scores": {a: {"score": 7, "reason": "fine"} for a in axes}} for i in ids]}
            )
        return json.dumps({"winner": "challenger", "reason": "closer to the intent"})
    if "You are the Reflector" in system:
        return json.dumps(
            {"summary": "step closer", "explore": False, "directions": [{"kind": "closer", "amount": 0.2}]}
        )
    # The Director's CodeAgent.
    if "Correct the draft where the parser misread" in last:
        return 'Thought: the draft is right.\n<code>\nfinal_answer({"shot_size": "medium"})\n</code>'
    if "propose exactly" in last:
        k = int(re.search(r"propose exactly (\d+) cameras", last).group(1))
        anchors = re.findall(r"^- A\d+: .*?: (\{.*\})$", last, re.M)[:k]
        return "Thought: take the best anchors.\n<code>\nfinal_answer([" + ", ".join(anchors) + "])\n</code>"
    return "Thought: done.\n<code>\nfinal_answer([])\n</code>"


SMALL_RUN = "--rounds 2 --candidates 3 --width 320 --max-images 2 --image-side 256 --final-renderer raycast".split()


def photo_args(*args) -> list[str]:
    """`photo the sofa --scene living_room` and then ``args`` (each str()'d)."""
    return ["photo", "the sofa", "--scene", "living_room", *map(str, args)]


def run_cli(args, env_extra=None, timeout=300):
    env = {**os.environ, "AGENTVISION_API_KEY": SECRET, **(env_extra or {})}
    env.pop("AGENTVISION_MODEL", None)
    return subprocess.run(
        [sys.executable, "-m", "agentvision.cli", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_photo_runs_the_whole_loop_against_an_openai_compatible_server(tmp_path):
    out = tmp_path / "run"
    with StubServer(respond, models=["stub-vlm"], api_key=SECRET) as server:
        proc = run_cli(
            photo_args(*SMALL_RUN, "--model", "openai:stub-vlm", "--api-base", server.base_url, "--out", out)
        )
        requests = server.requests
        auth = {c.headers.get("authorization") for c in server.calls}
    assert proc.returncode == 0, proc.stderr
    assert (out / "photo.png").is_file()
    assert auth == {f"Bearer {SECRET}"}  # the key reaches the server...
    for path in out.rglob("*"):  # ...and never the run folder
        if path.is_file() and path.suffix in (".json", ".jsonl", ".md"):
            assert SECRET not in path.read_text()
    assert SECRET not in proc.stderr + proc.stdout

    systems = [text_of(r["messages"][0]) for r in requests]
    assert any("You are the Reviewer" in s for s in systems)
    assert any("You are the Reflector" in s for s in systems)
    assert any("Director" in s for s in systems)
    for r in requests:
        assert r["model"] == "stub-vlm"
        assert {m["role"] for m in r["messages"]} <= {"system", "user", "assistant"}
        urls = [
            p["image_url"]["url"]
            for m in r["messages"]
            if isinstance(m["content"], list)
            for p in m["content"]
            if p.get("type") == "image_url"
        ]
        assert len(urls) <= 2  # --max-images
        for url in urls:
            assert url.startswith("data:image/")
            im = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
            assert max(im.size) <= 256  # --image-side
    assert any(
        p.get("type") == "image_url"
        for r in requests
        for m in r["messages"]
        if isinstance(m["content"], list)
        for p in m["content"]
    )

    events = [json.loads(line) for line in (out / "trace.jsonl").read_text().splitlines()]
    blueprint_event = next(e for e in events if e["event"] == "blueprint")
    assert blueprint_event["models"] == {
        "director": "openai:stub-vlm",
        "reviewer": "openai:stub-vlm",
        "reflector": "openai:stub-vlm",
    }
    proposals = [e for e in events if e["event"] == "proposal"]
    assert proposals and all(e["origin"] == "vlm" for e in proposals)
    calls = [e for e in events if e["event"] in ("model_call", "agent_step")]
    assert {e["role"] for e in calls} == {"director", "reviewer", "reflector"}
    assert all(e["input_tokens"] > 0 for e in calls)
    assert not [e for e in events if e["event"] == "fallback"]
    report = (out / "report.md").read_text()
    for role in ("director", "reviewer", "reflector"):
        assert f"| {role} |" in report
    camera = json.loads((out / "camera.json").read_text())
    assert camera["models"]["reviewer"] == "openai:stub-vlm"


def test_per_role_models_mix_a_vlm_reviewer_with_the_builtin_director(tmp_path):
    out = tmp_path / "run"
    with StubServer(respond, models=["stub-vlm"]) as server:
        proc = run_cli(
            photo_args(*SMALL_RUN, "--reviewer-model", "openai:stub-vlm", "--api-base", server.base_url, "--out", out)
        )
        systems = [text_of(r["messages"][0]) for r in server.requests]
    assert proc.returncode == 0, proc.stderr
    assert systems and all("You are the Reviewer" in s for s in systems)
    events = [json.loads(line) for line in (out / "trace.jsonl").read_text().splitlines()]
    assert next(e for e in events if e["event"] == "blueprint")["models"]["director"] == "builtin"


def test_a_dead_server_fails_before_the_run_starts(tmp_path):
    with StubServer(respond) as server:
        url = server.base_url
    out = tmp_path / "run"
    proc = run_cli(photo_args("--model", "openai:m", "--api-base", url, "--out", out), timeout=60)
    assert proc.returncode == 3  # EXIT_MODEL: the server, not the input
    assert "model unavailable" in proc.stderr and url in proc.stderr.replace("\n", "")
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_server_that_never_answers_times_out_clearly(tmp_path):
    out = tmp_path / "run"
    with StubServer(respond, delay_s=10) as server:
        proc = run_cli(
            photo_args("--model", "openai:stub-model", "--api-base", server.base_url, "--timeout", 1, "--out", out),
            timeout=60,
        )
    assert proc.returncode == 3  # EXIT_MODEL
    said = " ".join(proc.stderr.split())
    assert "no answer from" in said and "within 1 s" in said, said
    assert "Traceback" not in proc.stderr and not out.exists()


def test_a_malformed_model_spec_is_a_usage_error(tmp_path):
    out = tmp_path / "run"
    proc = run_cli(["photo", "the sofa", "--model", "gpt4", "--out", str(out)], timeout=60)
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "error: model spec 'gpt4' is not understood" in said
    assert "openai:MODEL_ID" in said and not out.exists()


def test_a_server_that_goes_away_mid_run_leaves_the_run_to_the_builtin_roles(tmp_path):
    import threading

    out, answered, lock = tmp_path / "run", [], threading.Lock()

    def respond_then_hang(request):
        with lock:
            answered.append(1)
            n = len(answered)
        if n > 4:  # after four answers the server hangs
            time.sleep(4)
        return respond(request)

    with StubServer(respond_then_hang, models=["stub-vlm"]) as server:
        proc = run_cli(
            photo_args(*SMALL_RUN, "--model", "openai:stub-vlm", "--api-base", server.base_url, "--timeout", 1,
                       "--out", out)
        )  # fmt: skip
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 0, proc.stderr
    assert (out / "photo.png").is_file()
    assert said.count("the model stopped answering") <= 3  # once per role at most, not at every step
    events = [json.loads(line) for line in (out / "trace.jsonl").read_text().splitlines()]
    assert any(e["event"] == "fallback" and e["reason"].startswith("model unavailable") for e in events)
    assert len(answered) <= 4 + 3 * 2  # each role tries the hung server once (plus the client's one retry)
