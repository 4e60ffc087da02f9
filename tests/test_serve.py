"""agentvision serve: the printed vLLM command and the matching agentvision line."""

from __future__ import annotations

import json
import shlex

import pytest

from agentvision.cli import main
from agentvision.commands import serve


def printed_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if not line.startswith("#")]


def test_prints_a_vllm_command_with_the_image_limit_and_the_matching_photo_line(capsys):
    assert main(["serve", "Qwen/Qwen2.5-VL-7B-Instruct", "--port", "8123", "--max-images", "3"]) == 0
    vllm_line, photo_line = printed_lines(capsys)
    argv = shlex.split(vllm_line)
    assert argv[:3] == ["vllm", "serve", "Qwen/Qwen2.5-VL-7B-Instruct"]
    flags = dict(zip(argv[3::2], argv[4::2], strict=True))
    assert json.loads(flags["--limit-mm-per-prompt"]) == {"image": 3}
    assert flags["--port"] == "8123" and flags["--host"] == "127.0.0.1"
    assert int(flags["--max-model-len"]) == serve.DEFAULT_MAX_MODEL_LEN
    assert float(flags["--gpu-memory-utilization"]) == serve.DEFAULT_GPU_MEMORY_UTILIZATION
    photo = shlex.split(photo_line)
    assert photo[:2] == ["agentvision", "photo"]
    assert photo[photo.index("--model") + 1] == "openai:Qwen/Qwen2.5-VL-7B-Instruct"
    assert photo[photo.index("--api-base") + 1] == "http://127.0.0.1:8123/v1"
    assert photo[photo.index("--max-images") + 1] == "3"


def test_a_server_on_all_interfaces_is_reached_through_loopback():
    argv = serve.vllm_command("m", host="0.0.0.0", trust_remote_code=True)
    assert argv[argv.index("--host") + 1] == "0.0.0.0" and argv[-1] == "--trust-remote-code"
    assert serve.api_base("0.0.0.0", 9000) == "http://127.0.0.1:9000/v1"
    assert "--max-images" not in serve.photo_command_line("m", "gpu-box", 8000)
    assert serve.api_base("gpu-box", 8000) == "http://gpu-box:8000/v1"


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--port", "0"], "--port"),
        (["--max-images", "0"], "--max-images"),
        (["--gpu-memory-utilization", "1.5"], "gpu"),
    ],
)
def test_bad_settings_are_refused(flags, message, capsys):
    assert main(["serve", "m", *flags]) == 2
    assert message in capsys.readouterr().err


def test_without_vllm_it_prints_and_says_how_to_install(monkeypatch, capsys):
    monkeypatch.setattr(serve.shutil, "which", lambda name: None)
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: pytest.fail("nothing to exec"))
    assert main(["serve", "m"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("# serve m") and "pip install vllm" in out.err and "nothing was started" in out.err


def test_print_only_never_starts_vllm(monkeypatch, capsys):
    monkeypatch.setattr(serve.shutil, "which", lambda name: "/opt/bin/vllm")
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: pytest.fail("--print-only must not exec"))
    assert main(["serve", "m", "--print-only"]) == 0
    assert "vllm serve m" in capsys.readouterr().out


def test_where_vllm_is_installed_it_execs_the_printed_command(monkeypatch, capsys):
    execs = []
    monkeypatch.setattr(serve.shutil, "which", lambda name: "/opt/bin/vllm" if name == "vllm" else None)
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: execs.append((path, argv)))
    assert main(["serve", "m", "--port", "8001"]) == 0
    vllm_line = printed_lines(capsys)[0]
    assert execs == [("/opt/bin/vllm", shlex.split(vllm_line))]


def test_qwen_vl_models_get_image_pixel_limits_that_match_the_client(capsys):
    assert main(["serve", "Qwen/Qwen2.5-VL-7B-Instruct", "--print-only"]) == 0
    argv = shlex.split(printed_lines(capsys)[0])
    limits = json.loads(argv[argv.index("--mm-processor-kwargs") + 1])
    assert limits["max_pixels"] <= 1024 * 1024 and limits["max_pixels"] % (28 * 28) == 0
    assert limits["max_pixels"] > 1000 * 1000 and limits["min_pixels"] == 4 * 28 * 28
    smaller = serve.vllm_command("Qwen/Qwen2-VL-2B-Instruct", image_side=512)
    assert json.loads(smaller[smaller.index("--mm-processor-kwargs") + 1])["max_pixels"] <= 512 * 512
    assert "--mm-processor-kwargs" not in serve.vllm_command("HuggingFaceTB/SmolVLM-Instruct")
    photo = serve.photo_command_line("Qwen/Qwen2.5-VL-7B-Instruct", "127.0.0.1", 8000, image_side=512)
    assert photo[photo.index("--image-side") + 1] == "512"
