"""Drive ``agentvision chat --model openai:...`` in tmux against a loopback OpenAI-compatible server.

The test process runs the server (tests/openai_stub.py); its responder plays a CodeAgent: on a new task
it renders the current view, after an observation it answers. The server keeps every request, so the
test can check what the program sent: the conversation of earlier turns and the render images.
"""

from __future__ import annotations

import json
import shlex
import socket
import sys
import time

import pytest
from openai_stub import StubServer
from tmux_driver import Tmux, needs_tmux

pytestmark = [needs_tmux, pytest.mark.slow]  # a real terminal: seconds per test

RENDER = "Thought: I will render the current view.\n<code>\nprint(render_view())\n</code>"
ANSWER = '<code>\nfinal_answer("The gallery from its overview camera, saved as a PNG.")\n</code>'


def _text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content or [] if p.get("type") == "text")


def _images(message: dict) -> int:
    content = message.get("content")
    return 0 if isinstance(content, str) else sum(p.get("type") == "image_url" for p in content or [])


def play_code_agent(request: dict) -> str:
    """A new task (after the last observation) gets a render; an observation gets the final answer."""
    last = _text(request["messages"][-1])
    return RENDER if last.rfind("New task:") > last.rfind("Observation:") else ANSWER


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)


def dead_api_base() -> str:
    """The address of a port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def stub():
    with StubServer(play_code_agent, models=["stub-vlm"]) as server:
        yield server


def _start(tmp_path, base_url: str) -> Tmux:
    exe = shlex.quote(sys.executable)
    out = tmp_path / "session"
    return Tmux(
        f"{exe} -m agentvision.cli chat --model openai:stub-vlm --api-base {base_url} --scene gallery "
        f"--preview-width 96 --out {out}",
        tmp_path,
    )


def test_a_vlm_session_streams_steps_remembers_turns_and_saves(stub, tmp_path):
    t = _start(tmp_path, stub.base_url)
    try:
        t.wait(r"model: openai:stub-vlm - each request is a turn")
        t.wait(r"agent>")
        t.type("show me the gallery")
        code = t.wait(r"print\(render_view\(\)\)")
        saved = t.wait(r"render: (\S*/session/001-render-gallery-\w+\.png)", code.end())
        first = t.wait(r"answer: The gallery from its overview camera", saved.end())
        t.wait(r"agent>", first.end())
        assert "I will render the current view" in t.screen()
        assert len(stub.requests) == 2

        t.type("now the same from lower down")
        second = t.wait(r"answer: The gallery from its overview camera", first.end())
        t.wait(r"agent>", second.end())
        assert len(stub.requests) == 4
        opening = stub.requests[2]["messages"]  # turn 2's first request carries turn 1
        texts = [_text(m) for m in opening]
        assert any("show me the gallery" in x for x in texts)
        assert any(m["role"] == "assistant" and "print(render_view())" in _text(m) for m in opening)
        assert any('final_answer("The gallery' in _text(m) for m in opening if m["role"] == "assistant")
        assert "now the same from lower down" in texts[-1]
        assert sum(_images(m) for m in opening) == 1  # turn 1's render, from the step that made it

        t.type("/save hero.png")
        t.wait(r"saved: .*hero\.png")
        renders = sorted((tmp_path / "session").glob("*-render-gallery-*.png"))
        assert len(renders) == 2
        assert (tmp_path / "hero.png").read_bytes() == renders[-1].read_bytes()

        mark = len(t.screen())
        t.type(f"/model openai:x {dead_api_base()}")
        t.wait(r"error: cannot reach the model server .* connection refused.*\(still using openai:stub-vlm\)", mark)
        t.type("/model")
        t.wait(rf"model: openai:stub-vlm at {stub.base_url}", mark)
        t.type("/quit")
        t.wait(r"bye - 0 shots, 2 agent turns")
    finally:
        t.close()
    history = [json.loads(line) for line in (tmp_path / "session" / "history.jsonl").read_text().splitlines()]
    turns = [h for h in history if h.get("kind") == "agent"]
    assert [h["steps"] for h in turns] == [2, 2]
    assert [h["images"] for h in turns] == [[str(renders[0])], [str(renders[1])]]
    served = [u["prompt_tokens"] for u in stub.usages]
    assert [h["token_usage"]["input_tokens"] for h in turns] == [served[0] + served[1], served[2] + served[3]]
    assert any(h.get("kind") == "command" and h["input"] == "/save hero.png" for h in history)
    failed = next(h for h in history if h["input"].startswith("/model openai:x"))
    assert "connection refused" in failed["error"]


def test_ctrl_c_cancels_a_vlm_turn_and_a_failing_server_is_reported(stub, tmp_path):
    t = _start(tmp_path, stub.base_url)
    try:
        t.wait(r"agent>")
        stub.delay_s = 60.0  # the model "thinks" until cancelled
        t.type("show me the gallery")
        _wait_for(lambda: stub.requests)  # the request reached the server: the turn is running
        t.send("C-c")
        t.wait(r"cancelled - the session goes on")
        stub.delay_s = 0.0
        stub.status = 500  # the server now fails every request
        mark = len(t.screen())
        t.type("show me the gallery")
        t.wait(r"error: the model \(openai:stub-vlm\) failed mid-turn", max(0, mark - 100))
        stub.status = None
        t.type("show me the gallery")
        t.wait(r"answer: The gallery from its overview camera")
        t.send("C-d")
        t.wait(r"bye - 0 shots, 3 agent turns")
    finally:
        t.close()
    history = [json.loads(line) for line in (tmp_path / "session" / "history.jsonl").read_text().splitlines()]
    assert [h.get("error", "ok")[:9] for h in history] == ["cancelled", "AgentGene", "ok"]


SEARCH = (
    "Thought: a long search.\n<code>\n"
    'print(photoflow(intent="the sculpture", rounds=50, candidates=2, width=160))\n</code>'
)


def test_ctrl_c_stops_a_running_photoflow_tool_and_its_photo_can_be_saved(tmp_path):
    def long_search(request: dict) -> str:
        last = _text(request["messages"][-1])
        return SEARCH if last.rfind("New task:") > last.rfind("Observation:") else ANSWER

    with StubServer(long_search, models=["stub-vlm"]) as stub:
        t = _start(tmp_path, stub.base_url)
        try:
            t.wait(r"agent>")
            t.type("photograph the sculpture")
            _wait_for(lambda: list((tmp_path / "session").glob("*/rounds/round-02.png")))  # the search is running
            t.send("C-c")
            photo = t.wait(r"photo: (\S+/photo\.png)")  # the search stopped and kept its best so far
            t.wait(r"cancelled - the session goes on", photo.end())
            assert len(stub.requests) == 1  # the agent took no further step
            t.type("save it as best.png")
            t.wait(r"saved: .*best\.png")
        finally:
            t.close()
    rounds = list((tmp_path / "session").glob("*/rounds/round-*.png"))
    assert 3 <= len(rounds) < 500
    assert (tmp_path / "best.png").read_bytes() == open(photo.group(1), "rb").read()
