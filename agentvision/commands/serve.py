"""``agentvision serve MODEL_ID``: print, and where vllm is installed start, the recommended vLLM server for a VLM.

A launcher, not a server of our own: vLLM serves the model behind an OpenAI-compatible API, and agentvision talks
to it with ``--model openai:MODEL_ID --api-base http://HOST:PORT/v1``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sys

DEFAULT_PORT = 8000
DEFAULT_HOST = "127.0.0.1"
DEFAULT_MAX_MODEL_LEN = 16384
DEFAULT_GPU_MEMORY_UTILIZATION = 0.9
DEFAULT_MAX_IMAGES = 4
DEFAULT_IMAGE_SIDE = 1024  # the client's longest image side (ModelOptions.max_image_side)
EXAMPLE_INTENT = "shoot the staircase at dusk"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` subcommand's arguments."""
    parser.add_argument("model_id", help="Hugging Face id or local folder of a VLM, e.g. Qwen/Qwen2.5-VL-7B-Instruct")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument(
        "--max-images",
        type=int,
        default=DEFAULT_MAX_IMAGES,
        help=f"images per request, vLLM's --limit-mm-per-prompt (default {DEFAULT_MAX_IMAGES})",
    )
    parser.add_argument(
        "--max-model-len",
        type=int,
        default=DEFAULT_MAX_MODEL_LEN,
        help=f"context length in tokens (default {DEFAULT_MAX_MODEL_LEN})",
    )
    parser.add_argument(
        "--gpu-memory-utilization",
        type=float,
        default=DEFAULT_GPU_MEMORY_UTILIZATION,
        help=f"share of GPU memory vLLM may take, 0..1 (default {DEFAULT_GPU_MEMORY_UTILIZATION})",
    )
    parser.add_argument(
        "--image-side",
        type=int,
        default=DEFAULT_IMAGE_SIDE,
        help=f"longest image side the client sends, px; Qwen2-VL/Qwen2.5-VL get a pixel limit to match "
        f"(default {DEFAULT_IMAGE_SIDE})",
    )
    parser.add_argument("--trust-remote-code", action="store_true", help="let vLLM run the model repo's own code")
    parser.add_argument(
        "--print-only", action="store_true", help="only print the commands, even where vllm is installed"
    )


# Qwen2-VL and Qwen2.5-VL turn an image into one token per 28 x 28 pixels, up to 12.8 M pixels (16384 tokens) by
# default, and vLLM reserves memory for that worst case. The client never sends more than its image side squared.
QWEN_PATCH = 28
QWEN_VL = re.compile(r"qwen2(\.5)?-?vl", re.IGNORECASE)


def mm_processor_kwargs(model_id: str, image_side: int = DEFAULT_IMAGE_SIDE) -> dict | None:
    """The image pixel limits for ``model_id`` when it is a Qwen2-VL / Qwen2.5-VL class model (None otherwise):
    at most ``image_side`` squared, so one image costs at most about image_side**2 / 784 tokens."""
    if not QWEN_VL.search(model_id.replace("_", "-")):
        return None
    unit = QWEN_PATCH * QWEN_PATCH
    return {"min_pixels": 4 * unit, "max_pixels": max(unit, (image_side * image_side) // unit * unit)}


def vllm_command(
    model_id: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    max_images: int = DEFAULT_MAX_IMAGES,
    max_model_len: int = DEFAULT_MAX_MODEL_LEN,
    gpu_memory_utilization: float = DEFAULT_GPU_MEMORY_UTILIZATION,
    trust_remote_code: bool = False,
    image_side: int = DEFAULT_IMAGE_SIDE,
) -> list[str]:
    """The ``vllm serve`` argv for a VLM with agentvision's image limits (count, and pixels for Qwen2.5-VL)."""
    if not model_id.strip():
        raise ValueError("give the model to serve, e.g. agentvision serve Qwen/Qwen2.5-VL-7B-Instruct")
    if not 1 <= port <= 65535:
        raise ValueError(f"--port must be 1..65535, got {port}")
    if max_images < 1:
        raise ValueError(f"--max-images must be at least 1, got {max_images}")
    if max_model_len < 256:
        raise ValueError(f"--max-model-len must be at least 256 tokens, got {max_model_len}")
    if not 0.0 < gpu_memory_utilization <= 1.0:
        raise ValueError(f"--gpu-memory-utilization must be in (0, 1], got {gpu_memory_utilization}")
    if image_side < 64:
        raise ValueError(f"--image-side must be at least 64 px, got {image_side}")
    argv = [
        "vllm",
        "serve",
        model_id,
        "--host",
        host,
        "--port",
        str(port),
        "--limit-mm-per-prompt",
        f'{{"image": {max_images}}}',
        "--max-model-len",
        str(max_model_len),
        "--gpu-memory-utilization",
        f"{gpu_memory_utilization:g}",
    ]
    limits = mm_processor_kwargs(model_id, image_side)
    if limits:
        argv += ["--mm-processor-kwargs", json.dumps(limits)]
    if trust_remote_code:
        argv.append("--trust-remote-code")
    return argv


def client_host(host: str) -> str:
    """The address a client on this machine uses for a server listening on ``host``."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def api_base(host: str, port: int) -> str:
    """The OpenAI-compatible root that vLLM serves on ``host:port``."""
    host = client_host(host)
    return f"http://[{host}]:{port}/v1" if ":" in host else f"http://{host}:{port}/v1"


def photo_command_line(
    model_id: str, host: str, port: int, max_images: int = DEFAULT_MAX_IMAGES, image_side: int = DEFAULT_IMAGE_SIDE
) -> list[str]:
    """The matching ``agentvision photo`` argv."""
    argv = ["agentvision", "photo", EXAMPLE_INTENT, "--model", f"openai:{model_id}", "--api-base", api_base(host, port)]
    if max_images != DEFAULT_MAX_IMAGES:
        argv += ["--max-images", str(max_images)]
    if image_side != DEFAULT_IMAGE_SIDE:
        argv += ["--image-side", str(image_side)]
    return argv


def serve_command(args: argparse.Namespace) -> int:
    """Print the vLLM command and the matching agentvision one; where vllm is installed (and not
    --print-only), exec it; where it is not, say how to install it."""
    try:
        argv = vllm_command(
            args.model_id,
            args.host,
            args.port,
            args.max_images,
            args.max_model_len,
            args.gpu_memory_utilization,
            args.trust_remote_code,
            args.image_side,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    base = api_base(args.host, args.port)
    print(f"# serve {args.model_id} with vLLM (OpenAI-compatible, at most {args.max_images} images per request):")
    if mm_processor_kwargs(args.model_id, args.image_side):
        print(
            f"# images of at most {args.image_side} px a side (--mm-processor-kwargs): at most about "
            f"{args.image_side**2 // (QWEN_PATCH * QWEN_PATCH)} tokens each"
        )
    print(shlex.join(argv))
    print(f"# once it logs that it is ready (GET {base}/models lists the model), in another terminal:")
    print(shlex.join(photo_command_line(args.model_id, args.host, args.port, args.max_images, args.image_side)))
    print(f"# or set AGENTVISION_MODEL=openai:{args.model_id} and AGENTVISION_API_BASE={base}")
    sys.stdout.flush()
    if args.print_only:
        return 0
    executable = shutil.which("vllm")
    if executable is None:
        print(
            "# vllm is not installed here, so nothing was started. On a Linux machine with an NVIDIA GPU: "
            "pip install vllm (best in its own virtual environment), then run the command above.",
            file=sys.stderr,
        )
        return 0
    print(f"# starting {executable} (Ctrl-C stops it)", file=sys.stderr)
    sys.stderr.flush()
    os.execv(executable, argv)
    return 0  # not reached: execv replaces this process
