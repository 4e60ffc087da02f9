"""Replies and inputs are bounded (issue 15): a 50 MB reply, a long conversation, a slow server with no end,
a YAML bomb, a prompt override that runs a shell command, a password in --api-base."""

from __future__ import annotations

import time

import pytest
import yaml
from openai_stub import StubServer
from smolagents import ChatMessage

from agentvision.bench.missions import MissionError, load_mission
from agentvision.cli import main
from agentvision.errors import brief, one_line
from agentvision.models import ModelOptions, load_model
from agentvision.models.context import ReplyTooLarge, limit_text
from agentvision.models.health import ModelUnavailable
from agentvision.photoflow.trace import TraceWriter
from agentvision.photoflow.vlm.prompts import PromptError, fill, load_prompts
from agentvision.redact import add_secret, redact
from agentvision.yamlfile import YamlLimitError, parse_yaml

HI = [ChatMessage(role="user", content=[{"type": "text", "text": "hi"}])]


def test_a_50_mb_reply_is_refused_while_it_is_read_and_the_next_reply_works():
    replies = ["x" * (50 * 1024 * 1024), "a short answer"]
    with StubServer(lambda request: replies.pop(0)) as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url, max_reply_kb=64))
        with pytest.raises(ReplyTooLarge, match="larger than 64 KiB"):
            model.generate(HI)
        assert model.generate(HI).content == "a short answer"  # the server is not marked down
        assert server.requests[-1]["max_tokens"] == 2048  # every request bounds the reply's tokens


def test_a_slow_server_meets_an_overall_deadline():
    with StubServer(lambda request: "ok") as server:
        server.delay_s = 0.4
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url, deadline_s=0.6))
        model.generate(HI)
        model.generate(HI)  # 0.8 s spent: the next request is not made
        with pytest.raises(ModelUnavailable, match="has had its 0.6 s"):
            model.generate(HI)
        assert len(server.requests) == 2
        model.reset_deadline()  # a chat's next turn
        model.generate(HI)


def test_the_text_of_a_request_is_trimmed_to_its_budget():
    messages = [{"role": "system", "content": "SYSTEM " * 100}]
    messages += [{"role": "user", "content": f"step {i} " + "x" * 5000} for i in range(40)]
    messages.append({"role": "user", "content": [{"type": "text", "text": "LAST " + "y" * 400_000}]})
    out = limit_text(messages, 20_000)
    total = sum(len(m["content"]) if isinstance(m["content"], str) else len(m["content"][0]["text"]) for m in out)
    assert total <= 20_000 + 41 * 100
    assert out[0] == messages[0]  # the system prompt stays whole
    assert out[-1]["content"][0]["text"].startswith("LAST") and "characters cut" in out[-1]["content"][0]["text"]
    assert "trimmed" in out[1]["content"] and out[-2]["content"].startswith("step 39")  # oldest go first
    assert limit_text(messages[:3], 20_000) == messages[:3]  # under budget: untouched


@pytest.mark.slow
def test_a_server_sending_50_mb_to_the_director_costs_one_fallback(tmp_path):
    """End to end through the loop: the huge reply is refused, the round falls to the built-in Director."""
    from agentvision.photoflow.loop import run_photoflow
    from agentvision.photoflow.search import Budget
    from agentvision.photoflow.vlm import VLMDirector
    from agentvision.scene.library import library_scene

    with StubServer(lambda request: "x" * (20 * 1024 * 1024)) as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url, max_reply_kb=128))
        result = run_photoflow(
            "the sofa",
            library_scene("living_room"),
            budget=Budget(rounds=1, candidates=2, preview_width=96, final_width=160),
            director=VLMDirector(model, max_steps=2),
            out_dir=tmp_path / "run",
        )
    assert result.photo is not None
    fallbacks = [e for e in result.trace if e["event"] == "fallback"]
    assert fallbacks and all("larger than 128 KiB" in f["reason"] for f in fallbacks)
    assert (tmp_path / "run" / "trace.jsonl").stat().st_size < 2_000_000


BOMB = """
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_a_yaml_bomb_in_a_mission_is_refused_at_once(tmp_path):
    mission = tmp_path / "bomb.yaml"
    mission.write_text(
        "id: bomb\nscene: living_room\nintent: the sofa\ncategory: subject_placement\nexpect:\n  subjects: *i\n"
        + BOMB.replace("\n", "\n  ").replace("  a:", "x:\n  a:", 1)
    )
    started = time.monotonic()
    with pytest.raises(MissionError, match="more than 64 aliases") as info:
        load_mission(mission)
    assert time.monotonic() - started < 5 and len(str(info.value)) < 500
    with pytest.raises(YamlLimitError, match="aliases"):
        parse_yaml(BOMB)
    with pytest.raises(YamlLimitError, match="deeper than 32"):
        parse_yaml("[" * 100_000 + "]" * 100_000)
    big = tmp_path / "big.yaml"
    big.write_text("intent: " + "x" * 300_000)
    with pytest.raises(MissionError, match="at most 256 KiB"):
        load_mission(big)


def test_error_messages_never_spell_out_a_huge_value(tmp_path):
    mission = tmp_path / "long.yaml"
    mission.write_text(
        "id: long\nscene: living_room\nintent: the sofa\ncategory: subject_placement\nexpect:\n"
        f"  subjects: [{', '.join(['sofa'] * 5000)}]\n  placement: [{', '.join(['x'] * 5000)}]\n"
    )
    with pytest.raises(MissionError) as info:
        load_mission(mission)
    assert len(str(info.value)) < 400
    assert len(brief(list(range(10**5)))) <= 120


def test_a_prompt_override_cannot_run_a_command(tmp_path):
    marker = tmp_path / "marker"
    shipped = load_prompts("reflector")
    evil = {key: "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}" for key in shipped}
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "reflector.yaml").write_text(yaml.safe_dump(evil))
    prompts = load_prompts("reflector", folder)
    for template in prompts.values():
        with pytest.raises(PromptError, match="SecurityError"):
            fill(template)
    assert not marker.exists()
    with pytest.raises(PromptError, match="more than"):
        fill("{% for i in range(100000) %}{% for j in range(1000) %}xx{% endfor %}{% endfor %}")
    assert fill('{{ "%.1f" | format(x) }}', x=2.25) == "2.2"  # the shipped templates' filters still work


def test_credentials_are_redacted_from_messages_and_files(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AGENTVISION_API_KEY", "key-from-the-environment-123")
    add_secret("registered-secret-456")
    text = (
        "http://user:hunter22@host/v1 key-from-the-environment-123 registered-secret-456 "
        "sk-abcdefghijklmnopqrstu Authorization: Bearer abc.def.ghi api_key=zzzzzzzz"
    )
    shown = redact(text)
    for secret in ("hunter22", "key-from-the-environment-123", "registered-secret-456", "sk-abcdefghij", "abc.def"):
        assert secret not in shown
    assert "http://user:***@host/v1" in shown and "zzzzzzzz" not in shown
    trace = TraceWriter(tmp_path / "trace.jsonl")
    trace.emit("fallback", reason=text, nested={"a": [text]})
    trace.close()
    written = (tmp_path / "trace.jsonl").read_text()
    assert "hunter22" not in written and "registered-secret-456" not in written
    assert one_line("a\nb   c") == "a b c"
    # the command line: a password in --api-base never reaches the terminal
    code = main(["photo", "the sofa", "--model", "openai:m", "--api-base", "http://me:pa55w0rd@127.0.0.1:9/v1"])
    err = capsys.readouterr().err
    assert code == 3 and "pa55w0rd" not in err and "me:***@127.0.0.1" in err
