"""The chat session's VLM mode with a scripted model: streaming, memory across turns, /image, /save, errors, Ctrl-C.

The model is scripted (tests/scripted_model.py): these tests check the session's plumbing, never a VLM's quality.
"""

from __future__ import annotations

import io
import json
import re
import signal

import numpy as np
import pytest
from PIL import Image
from rich.console import Console
from scripted_model import ScriptedModel, code
from smolagents import Tool

from agentvision.chat import ChatOptions, ChatSession
from agentvision.scene.lighting import apply_time_of_day

FRONT = {"position": [0.0, -5.0, 1.2], "look_at": [0.0, 0.0, 0.5], "focal_mm": 35, "aspect": "3:2"}
RENDER = code(f"print(render_view(camera={json.dumps(json.dumps(FRONT))}))")
ANSWER = code('final_answer("a front view of the red box")')


def by_last_message(received, index) -> str:
    """Render on a new task, answer after an observation (what a CodeAgent would do, scripted)."""
    last = received[-1].text
    return RENDER if last.rfind("New task:") > last.rfind("Observation:") else ANSWER


def session_with(model, tmp_path, toy_scene) -> ChatSession:
    folder = tmp_path / "session"
    folder.mkdir()
    console = Console(file=io.StringIO(), width=110, highlight=False, soft_wrap=True)
    session = ChatSession(folder, console, ChatOptions(images="none", preview_width=64))
    conversation = session.use_agent_model(model, "scripted")
    conversation.set_scene(apply_time_of_day(toy_scene, "noon"), "toy")
    return session


def screen(session: ChatSession) -> str:
    return session.console.file.getvalue()


def history(session: ChatSession) -> list[dict]:
    return [json.loads(line) for line in (session.folder / "history.jsonl").read_text().splitlines()]


def test_a_turn_streams_the_code_observations_saved_render_and_answer(tmp_path, toy_scene):
    s = session_with(ScriptedModel(by_last_message), tmp_path, toy_scene)
    s.handle("show me the red box")
    out = screen(s)
    render = next(s.folder.glob("*-render-toy-noon.png"))
    assert "step 1" in out and "render_view(camera=" in out and "step 2" in out
    assert f"saved: {render}" in out  # the observation
    assert f"render: {render.resolve()}" in out  # the image, shown with its path
    assert "answer: a front view of the red box" in out
    assert out.index("render_view(camera=") < out.index(f"render: {render.resolve()}") < out.index("answer:")
    assert s.photos == [render]
    (entry,) = history(s)
    assert entry["kind"] == "agent" and entry["steps"] == 2 and entry["answer"] == "a front view of the red box"
    assert entry["images"] == [str(render)] and "error" not in entry
    assert entry["token_usage"]["input_tokens"] == sum(i for i, _ in entry["step_token_usage"]) > 0


def test_memory_and_the_last_render_carry_into_the_next_turn(tmp_path, toy_scene):
    model = ScriptedModel(by_last_message)
    s = session_with(model, tmp_path, toy_scene)
    s.handle("show me the red box")
    s.handle("now closer")
    assert len(model.calls) == 4
    opening = model.calls[2]  # the second turn's first request
    text = "\n".join(m.text for m in opening)
    assert "show me the red box" in text and "render_view(camera=" in text and "a front view of the red box" in text
    assert "The session's scene is now 'toy'" in model.calls[0][1].text  # told once, with the first task
    assert "The session's scene is now" not in opening[-1].text
    (image,) = model.images_in(2)
    render = sorted(s.folder.glob("*-render-toy-noon.png"))[0]
    assert np.array_equal(np.asarray(image), np.asarray(Image.open(render).convert("RGB")))
    assert [h["turn"] for h in history(s)] == [1, 2]


def test_an_attached_image_goes_with_the_next_turn_only(tmp_path, toy_scene):
    model = ScriptedModel([ANSWER])
    s = session_with(model, tmp_path, toy_scene)
    Image.new("RGB", (40, 30), (0, 200, 0)).save(tmp_path / "green.png")
    s.handle(f"/image {tmp_path / 'green.png'}")
    s.handle("what is in this picture?")
    s.handle("and now?")
    (first,) = model.images_in(0)
    assert first.size == (40, 30) and first.getpixel((5, 5)) == (0, 200, 0)
    assert any(m.images and "what is in this picture?" in m.text for m in model.calls[0])
    last_task = next(m for m in reversed(model.calls[1]) if "and now?" in m.text)
    assert not last_task.images and s.attached is None


def render_then_edges(received, index) -> str:
    """Render, then an edge map of the render (path read from the observation), then answer."""
    if index == 0:
        return RENDER
    if index == 1:
        path = re.search(r"saved: (\S+\.png)", received[-1].text)[1]
        return code(f"print(edge_map(image={path!r}))")
    return ANSWER


def test_save_saves_the_latest_photo_or_render_not_analysis_images(tmp_path, toy_scene):
    s = session_with(ScriptedModel(render_then_edges), tmp_path, toy_scene)
    s.handle("/save")
    assert "error: no photo yet" in screen(s)
    s.handle("show me the red box")
    render = s.folder / "001-render-toy-noon.png"
    edges = s.folder / "002-edges-001-render-toy-noon.png"
    assert f"edges: {edges.resolve()}" in screen(s)  # shown, but not a photo: /save takes the render
    s.handle(f"save it as {tmp_path / 'hero'}")
    assert (tmp_path / "hero.png").read_bytes() == render.read_bytes()
    s.handle(f"/save {tmp_path / 'hero.jpg'}")
    assert Image.open(tmp_path / "hero.jpg").format == "JPEG"
    entries = history(s)
    assert [h.get("kind") for h in entries] == ["command", "agent", "save", "command"]
    assert entries[1]["images"] == [str(render), str(edges)] and entries[2]["path"] == str(tmp_path / "hero.png")


def test_a_model_failing_mid_turn_prints_an_error_and_the_conversation_goes_on(tmp_path, toy_scene):
    script = [RENDER, RuntimeError("the server fell over"), RENDER, ANSWER]
    model = ScriptedModel(lambda received, i: script[min(i, len(script) - 1)])
    s = session_with(model, tmp_path, toy_scene)
    s.handle("show me the red box")
    out = screen(s)
    assert "error: the model (scripted) failed mid-turn" in out and "the server fell over" in out
    s.handle("try again")
    assert "answer: a front view of the red box" in screen(s)
    failed, ok = history(s)
    assert failed["steps"] == 2 and "the server fell over" in failed["error"] and len(failed["images"]) == 1
    assert ok["steps"] == 2 and "error" not in ok
    assert "show me the red box" in "\n".join(m.text for m in model.calls[2])  # the failed turn is remembered


class SwallowsCtrlC(Tool):
    """Gets a Ctrl-C while working and swallows it, as the photoflow loop does (it returns its incumbent)."""

    name = "long_search"
    description = "A long search that the user interrupts."
    inputs = {}
    output_type = "string"

    def forward(self) -> str:
        try:
            signal.raise_signal(signal.SIGINT)
            sum(range(10_000_000))  # Python runs the handler at the next bytecode boundary, inside this try
        except KeyboardInterrupt:
            return "interrupted: the best so far"
        return "not interrupted"


def test_ctrl_c_cancels_the_turn_even_when_a_tool_swallows_it(tmp_path, toy_scene):
    model = ScriptedModel([code("print(long_search())"), ANSWER])
    s = session_with(model, tmp_path, toy_scene)
    s.conversation.agent.tools["long_search"] = SwallowsCtrlC()
    before = signal.getsignal(signal.SIGINT)  # Python's default, or SIG_IGN when started in the background
    s.handle("search for a long time")
    assert len(model.calls) == 1  # no step after the interrupted one
    assert "interrupted: the best so far" in screen(s) and "cancelled - the session goes on" in screen(s)
    assert signal.getsignal(signal.SIGINT) is before  # the turn's handler is gone
    s.handle("answer please")
    entries = history(s)
    assert entries[0]["error"] == "cancelled" and entries[0]["steps"] == 1
    assert "error" not in entries[1]


def test_ctrl_c_while_the_model_thinks_cancels_the_turn(tmp_path, toy_scene):
    def thinks(received, index):
        if index == 0:
            raise KeyboardInterrupt
        return ANSWER

    s = session_with(ScriptedModel(thinks), tmp_path, toy_scene)
    s.handle("show me the red box")
    s.handle("again")
    assert "cancelled - the session goes on" in screen(s) and "answer: a front view" in screen(s)
    assert [h.get("error") for h in history(s)] == ["cancelled", None]


def test_model_switches_are_health_checked_and_keep_the_conversation(tmp_path, toy_scene, unused_port):
    from openai_stub import StubServer

    s = session_with(ScriptedModel(by_last_message), tmp_path, toy_scene)
    s.handle("show me the red box")
    s.handle(f"/model openai:other http://127.0.0.1:{unused_port}/v1")
    assert "connection refused" in screen(s) and "(still using scripted)" in screen(s) and s.model == "scripted"
    with StubServer(lambda request: ANSWER, models=["stub-vlm"]) as stub:
        s.handle(f"/model openai:stub-vlm {stub.base_url}")
        assert s.model == "openai:stub-vlm" and s.prompt_text() == "agent> "
        s.handle("and now?")
        sent = json.dumps(stub.requests[0]["messages"])
        assert "show me the red box" in sent and "image_url" in sent  # memory and the render, over HTTP
    assert "answer: a front view of the red box" in screen(s)
    s.handle("/model builtin")
    assert s.model == "builtin" and s.prompt_text() == "photo> " and s.conversation.turns
    assert [h.get("model") for h in history(s) if h.get("kind") == "agent"] == ["scripted", "openai:stub-vlm"]


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
