"""openai: backend driven through the real openai client against a loopback server; specs, options, health."""

from __future__ import annotations

import base64
import io
import json
import logging
import socket

import numpy as np
import pytest
from openai_stub import StubError, StubServer
from PIL import Image
from smolagents.models import ChatMessage, MessageRole

from agentvision.models import (
    ModelOptions,
    ModelSpec,
    ModelUnavailable,
    check_health,
    count_images,
    default_model_spec,
    limit_images,
    load_model,
    parse_model_spec,
)
from agentvision.models.images import OMITTED_NOTE
from agentvision.models.openai_compatible import OpenAICompatibleModel

SECRET = "sk-agentvision-test-3f9c"
COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255)]


def solid(colour, size) -> Image.Image:
    return Image.new("RGB", size, colour)


def decode_data_url(url: str) -> Image.Image:
    head, _, data = url.partition(",")
    assert head in ("data:image/png;base64", "data:image/jpeg;base64"), head
    return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")


def image_parts(request: dict) -> list[dict]:
    return [
        part
        for message in request["messages"]
        if isinstance(message["content"], list)
        for part in message["content"]
        if part["type"] == "image_url"
    ]


def conversation(sizes) -> list:
    """System text, then one user turn per image, a tool call and its observation between them."""
    messages: list = [ChatMessage(role=MessageRole.SYSTEM, content=[{"type": "text", "text": "you photograph"}])]
    for i, size in enumerate(sizes):
        messages.append(
            {
                "role": "user",
                "content": [{"type": "text", "text": f"view {i}"}, {"type": "image", "image": solid(COLOURS[i], size)}],
            }
        )
        messages.append(ChatMessage(role=MessageRole.TOOL_CALL, content=[{"type": "text", "text": f"call {i}"}]))
        messages.append(ChatMessage(role=MessageRole.TOOL_RESPONSE, content=[{"type": "text", "text": f"seen {i}"}]))
    return messages


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- requests through the real openai client ----------------------------------------------------------------------


def test_request_shape_images_roles_and_usage():
    with StubServer(lambda request: "Thought: fine.") as server:
        options = ModelOptions(api_base=server.base_url, max_image_side=100, max_images=2, max_tokens=77)
        model = load_model("openai:stub-model", options)
        assert isinstance(model, OpenAICompatibleModel)
        sizes = [(400, 300), (60, 90), (300, 600)]
        messages = conversation(sizes)
        reply = model.generate(messages, stop_sequences=["Observation:"])
    request = server.requests[-1]
    assert request["model"] == "stub-model"
    assert request["max_tokens"] == 77 and request["temperature"] == 0.0
    assert request["stop"] == ["Observation:"]
    roles = [m["role"] for m in request["messages"]]
    assert roles[0] == "system" and set(roles) == {"system", "user", "assistant"}
    assert all(a != b for a, b in zip(roles, roles[1:], strict=False))  # same-role turns are merged
    assert request["messages"][0]["content"] == "you photograph"  # text-only contents go as plain strings
    shown = [decode_data_url(part["image_url"]["url"]) for part in image_parts(request)]
    assert len(shown) == 2
    assert [im.getpixel((0, 0)) for im in shown] == [COLOURS[1], COLOURS[2]]  # the LAST two, in order
    assert shown[0].size == (60, 90)  # small images are not enlarged
    assert shown[1].size == (50, 100)  # longest side brought to max_image_side, aspect kept
    assert json.dumps(request).count(OMITTED_NOTE.format(n=2)) == 1
    # the caller's messages are left as they were
    assert count_images(messages) == 3 and messages[1]["content"][1]["image"].size == (400, 300)
    assert reply.content == "Thought: fine."
    assert reply.role == MessageRole.ASSISTANT
    usage = server.usages[-1]
    assert (reply.token_usage.input_tokens, reply.token_usage.output_tokens) == (
        usage["prompt_tokens"],
        usage["completion_tokens"],
    )


def test_streaming_keeps_the_same_limits():
    with StubServer(lambda request: "streamed") as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url, max_images=1))
        deltas = list(model.generate_stream(conversation([(20, 20), (30, 30)])))
    assert len(image_parts(server.requests[-1])) == 1
    assert "".join(d.content or "" for d in deltas) == "streamed"
    assert any(d.token_usage and d.token_usage.output_tokens == 1 for d in deltas)


def test_numpy_images_are_accepted():
    frame = np.zeros((40, 80, 3), dtype=np.float32)
    frame[..., 2] = 1.0
    with StubServer() as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url, max_image_side=40))
        model.generate([{"role": "user", "content": [{"type": "image", "image": frame}]}])
    (part,) = image_parts(server.requests[-1])
    shown = decode_data_url(part["image_url"]["url"])
    assert shown.size == (40, 20) and shown.getpixel((5, 5)) == (0, 0, 255)


def test_a_code_agent_runs_against_the_server():
    from smolagents import CodeAgent

    with StubServer(lambda request: "Thought: done.\n<code>\nfinal_answer('42')\n</code>") as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url))
        agent = CodeAgent(tools=[], model=model, max_steps=2, verbosity_level=0)
        assert agent.run("what is six times seven?") == "42"
    request = server.requests[0]
    assert request["messages"][0]["role"] == "system" and request["messages"][-1]["role"] == "user"
    assert "</code>" in request["stop"]
    assert agent.monitor.get_total_token_counts().input_tokens == server.usages[0]["prompt_tokens"]


# -- the API key --------------------------------------------------------------------------------------------------


def test_the_api_key_is_sent_but_never_shown(caplog):
    caplog.set_level(logging.DEBUG)
    with StubServer(api_key=SECRET) as server:
        options = ModelOptions(api_base=server.base_url, api_key=SECRET)
        model = load_model("openai:stub-model", options)
        model.generate([{"role": "user", "content": "hello"}])
        check_health("openai:stub-model", options)
    assert {call.headers["authorization"] for call in server.calls} == {f"Bearer {SECRET}"}
    shown = [repr(options), str(options), repr(model), str(model), json.dumps(model.to_dict(), default=str)]
    shown += [record.getMessage() for record in caplog.records]
    assert not [text for text in shown if SECRET in text]


def test_a_refused_key_gives_one_clear_error():
    with StubServer(api_key=SECRET) as server:
        options = ModelOptions(api_base=server.base_url, api_key="sk-wrong")
        with pytest.raises(ModelUnavailable, match="AGENTVISION_API_KEY") as health:
            check_health("openai:stub-model", options)
        with pytest.raises(ModelUnavailable, match="refused the API key") as generate:
            load_model("openai:stub-model", options).generate([{"role": "user", "content": "hi"}])
    assert "HTTP 401" in str(health.value)
    assert "sk-wrong" not in str(health.value) + str(generate.value)


def test_the_key_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("AGENTVISION_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai-var")
    monkeypatch.setenv("AGENTVISION_API_BASE", "http://gpu-box:8000/v1/")
    options = ModelOptions.from_env(api_base=None, max_images=2)
    assert options.api_key == "sk-from-openai-var" and options.api_base == "http://gpu-box:8000/v1"
    assert options.max_images == 2
    monkeypatch.setenv("AGENTVISION_API_KEY", "sk-ours")
    assert ModelOptions.from_env().api_key == "sk-ours"
    assert ModelOptions.from_env(api_base="http://other/v1").api_base == "http://other/v1"
    with pytest.raises(TypeError, match="max_imagez"):
        ModelOptions.from_env(max_imagez=3)


# -- health checks ------------------------------------------------------------------------------------------------


def test_health_of_a_live_server_and_of_an_unknown_model():
    with StubServer(models=["vlm-a", "vlm-b"]) as server:
        options = ModelOptions(api_base=server.base_url)
        ok = check_health("openai:vlm-b", options)
        warned = check_health(ModelSpec("openai", "vlm-c"), options)
    assert "vlm-b" in ok and server.base_url in ok and "warning" not in ok
    assert warned.startswith("warning") and "vlm-a" in warned and "vlm-c" in warned
    assert [call.path for call in server.calls] == ["/v1/models", "/v1/models"]


def test_a_dead_server_is_one_clear_error():
    options = ModelOptions(api_base=f"http://127.0.0.1:{closed_port()}/v1", timeout_s=5, max_retries=0)
    with pytest.raises(ModelUnavailable) as health:
        check_health("openai:some-vlm", options)
    message = str(health.value)
    assert "connection refused" in message and f"{options.api_base}/models" in message
    assert "agentvision serve some-vlm" in message and "--api-base" in message
    with pytest.raises(ModelUnavailable, match="cannot reach the model server"):
        load_model("openai:some-vlm", options).generate([{"role": "user", "content": "hi"}])


def test_a_slow_server_times_out_with_one_clear_error():
    with StubServer(delay_s=3.0) as server:
        options = ModelOptions(api_base=server.base_url, timeout_s=0.3, max_retries=0)
        with pytest.raises(ModelUnavailable, match=r"no answer from .*/v1/models within 0.3 s"):
            check_health("openai:stub-model", options)
        with pytest.raises(ModelUnavailable, match=r"no answer from .*/chat/completions within 0.3 s"):
            load_model("openai:stub-model", options).generate([{"role": "user", "content": "hi"}])


def test_http_errors_are_clear():
    with StubServer(status=500) as server:
        with pytest.raises(ModelUnavailable, match="HTTP 500") as exc:
            check_health("openai:stub-model", ModelOptions(api_base=server.base_url))
        assert "stub set to answer HTTP 500" in str(exc.value)
    with StubServer() as server:
        root = server.base_url.removesuffix("/v1")
        with pytest.raises(ModelUnavailable, match="HTTP 404.*end in /v1"):
            check_health("openai:stub-model", ModelOptions(api_base=root))


def test_a_responder_error_reaches_the_caller():
    def refuse(request):
        raise StubError(400, "At most 1 image(s) may be provided in one request")

    import openai

    with StubServer(refuse) as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url))
        with pytest.raises(openai.BadRequestError, match="At most 1 image"):
            model.generate([{"role": "user", "content": "hi"}])


def test_builtin_needs_no_check_and_openai_needs_an_address(monkeypatch):
    monkeypatch.delenv("AGENTVISION_API_BASE", raising=False)
    assert "builtin" in check_health("builtin")
    assert load_model("builtin") is None
    with pytest.raises(ValueError, match="--api-base"):
        load_model("openai:some-vlm", ModelOptions())
    with pytest.raises(ModelUnavailable, match="AGENTVISION_API_BASE"):
        check_health("openai:some-vlm", ModelOptions())


# -- specs --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, name",
    [
        ("builtin", "builtin", None),
        (" BUILTIN ", "builtin", None),
        ("openai:Qwen/Qwen2.5-VL-7B-Instruct", "openai", "Qwen/Qwen2.5-VL-7B-Instruct"),
        ("openai:llava:13b", "openai", "llava:13b"),  # Ollama ids keep their colon
        ("transformers:/models/smolvlm", "transformers", "/models/smolvlm"),
    ],
)
def test_specs_parse_and_print_back(text, kind, name):
    spec = parse_model_spec(text)
    assert (spec.kind, spec.name) == (kind, name)
    assert parse_model_spec(str(spec)) == spec


@pytest.mark.parametrize("text", ["", "gpt-4o", "openai:", "ollama:llava", "builtin:x", "transformers:  "])
def test_bad_specs_name_the_accepted_forms(text):
    with pytest.raises(ValueError, match="builtin|openai:MODEL_ID|needs a model"):
        parse_model_spec(text)


def test_default_spec_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("AGENTVISION_MODEL", raising=False)
    assert default_model_spec() == ModelSpec("builtin")
    monkeypatch.setenv("AGENTVISION_MODEL", "openai:vlm")
    assert default_model_spec() == ModelSpec("openai", "vlm")


@pytest.mark.parametrize(
    "field, value", [("max_images", 0), ("max_image_side", 8), ("timeout_s", 0), ("max_tokens", 0)]
)
def test_bad_options_are_refused(field, value):
    with pytest.raises(ValueError, match=field):
        ModelOptions(**{field: value})


# -- the image limiter on its own ---------------------------------------------------------------------------------


def test_limit_images_keeps_the_last_and_notes_the_rest():
    messages = conversation([(10, 10), (20, 20), (30, 30), (40, 40)])
    limited = limit_images(messages, max_images=3, max_side=25)
    assert count_images(limited) == 3
    kept = [p["image"] for m in limited for p in (m["content"] if isinstance(m, dict) else m.content) if "image" in p]
    assert [im.getpixel((0, 0)) for im in kept] == COLOURS[1:4]
    assert [im.size for im in kept] == [(20, 20), (25, 25), (25, 25)]
    assert limited[1]["content"][1] == {"type": "text", "text": OMITTED_NOTE.format(n=3)}
    assert isinstance(limited[0], ChatMessage) and limited[0].content == messages[0].content
    assert count_images(messages) == 4  # untouched
    assert limit_images(messages, 10, 1000)[1]["content"][1]["image"].size == (10, 10)


def test_a_pinned_image_is_never_the_one_trimmed():
    from agentvision.models.images import pin

    messages = conversation([(10, 10), (20, 20), (30, 30), (40, 40)])
    pin(messages[1]["content"][1]["image"])  # the first image: what a role must always see (the incumbent)
    limited = limit_images(messages, 2, 100)
    kept = [p["image"] for m in limited if isinstance(m, dict) for p in m["content"] if "image" in p]
    assert [im.getpixel((0, 0)) for im in kept] == [COLOURS[0], COLOURS[3]]  # the pinned one and the last
    # With room for every image, a pinned one drops nothing (the relay run that found this lost an image).
    assert count_images(limit_images(messages, 4, 100)) == 4
    assert count_images(limit_images(messages[:9], 4, 100)) == 3  # the pinned one and two others


def test_every_image_sent_must_decode_else_the_model_is_told_it_is_missing():
    from agentvision.models.images import UNREADABLE_NOTE, drop_unreadable, unreadable

    good = "data:image/png;base64," + base64.b64encode(_png((0, 0, 255))).decode()
    assert unreadable(good) is None
    assert "does not decode" in unreadable("data:image/png;base64,bm90IGFuIGltYWdl")
    assert "does not decode" in unreadable("data:image/png;base64,%%%")
    messages = [
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}
    ]
    (part,) = drop_unreadable(messages)[0]["content"]
    assert part["type"] == "text" and part["text"].startswith(UNREADABLE_NOTE.split("{")[0])
    with StubServer(lambda request: "ok") as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url))
        empty = Image.new("RGB", (0, 0))
        broken = {"type": "image_url", "image_url": {"url": "data:image/png;base64,bm90IGFuIGltYWdl"}}
        sent = [{"role": "user", "content": [{"type": "image", "image": empty}, broken, {"type": "text", "text": "x"}]}]
        model.generate(sent)
    content = server.requests[-1]["messages"][0]["content"]
    notes = content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)
    assert notes.count("[image missing: it could not be sent") == 2 and not image_parts(server.requests[-1])


def _png(colour) -> bytes:
    buffer = io.BytesIO()
    solid(colour, (8, 8)).save(buffer, format="PNG")
    return buffer.getvalue()
