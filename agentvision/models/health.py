"""Health checks: one clear message, before a run starts, when a model cannot be reached or found."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path

from agentvision.errors import ModelUnavailable
from agentvision.models.spec import ModelOptions, ModelSpec, parse_model_spec


def check_health(spec: ModelSpec | str, options: ModelOptions | None = None) -> str:
    """Check that ``spec`` can be used; return a one-line description, or raise ModelUnavailable.

    openai: GET ``{api_base}/models`` within ``options.timeout_s``; the description warns when the model id is not
    among the served ones. transformers: the path or hub id resolves locally (no download is tried).
    """
    spec = parse_model_spec(spec) if isinstance(spec, str) else spec
    options = options or ModelOptions.from_env()
    if spec.kind == "builtin":
        return "builtin: the model-free photographer (nothing to check)"
    if spec.kind == "openai":
        return _check_openai(spec, options)
    return _check_transformers(spec)


def _serve_hint(model: str) -> str:
    return f"start a server (`agentvision serve {model}` prints the `vllm serve` command) or check --api-base"


def _check_openai(spec: ModelSpec, options: ModelOptions) -> str:
    if not options.api_base:
        raise ModelUnavailable(
            f"{spec} needs the server's address: pass --api-base URL (api_base=URL from Python) "
            "or set AGENTVISION_API_BASE "
            f"(e.g. http://127.0.0.1:8000/v1; {_serve_hint(spec.name)})"
        )
    url = f"{options.api_base}/models"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if options.api_key:
        request.add_header("Authorization", f"Bearer {options.api_key}")
    try:
        with urllib.request.urlopen(request, timeout=options.timeout_s) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise ModelUnavailable(_http_error_message(url, exc, options)) from None
    except urllib.error.URLError as exc:
        raise ModelUnavailable(_url_error_message(url, exc.reason, spec, options)) from None
    except TimeoutError:
        raise ModelUnavailable(_timeout_message(url, options)) from None
    except (ConnectionError, OSError) as exc:
        raise ModelUnavailable(_url_error_message(url, exc, spec, options)) from None
    except ValueError as exc:  # a malformed URL
        raise ModelUnavailable(
            f"--api-base {options.api_base!r} is not a usable URL ({exc}): give one like http://127.0.0.1:8000/v1"
        ) from None
    try:
        served = [str(m["id"]) for m in json.loads(body)["data"]]
    except (ValueError, KeyError, TypeError):
        raise ModelUnavailable(
            f"{url} answered, but not with an OpenAI-compatible model list: is --api-base the server's "
            "OpenAI-compatible root (usually ending in /v1)?"
        ) from None
    if spec.name in served:
        return f"{spec} is served at {options.api_base}"
    listed = ", ".join(served[:5]) + (", ..." if len(served) > 5 else "") if served else "no models"
    return (
        f"warning: the server at {options.api_base} is up but lists {listed}, not {spec.name!r}: requests will "
        f"probably fail (pass --model openai:{served[0] if served else 'MODEL_ID'} or serve {spec.name})"
    )


def _timeout_message(url: str, options: ModelOptions) -> str:
    return (
        f"no answer from {url} within {options.timeout_s:g} s: the server may still be loading the model "
        "(wait and retry), be overloaded, or --api-base may point at the wrong host"
    )


def _url_error_message(url: str, reason: object, spec: ModelSpec, options: ModelOptions) -> str:
    if isinstance(reason, TimeoutError):
        return _timeout_message(url, options)
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot reach the model server at {url}: connection refused (nothing listens there); " + _serve_hint(
            spec.name
        )
    if isinstance(reason, socket.gaierror):
        return f"cannot reach the model server at {url}: unknown host; check --api-base"
    return f"cannot reach the model server at {url}: {reason}; " + _serve_hint(spec.name)


def _http_error_message(url: str, exc: urllib.error.HTTPError, options: ModelOptions) -> str:
    try:
        detail = exc.read().decode("utf-8", "replace").strip().replace("\n", " ")[:200]
    except OSError:
        detail = ""
    detail = f" ({detail})" if detail else ""
    if exc.code in (401, 403):
        have = "the key it was given" if options.api_key else "no API key"
        return (
            f"the server at {url} refused the request with HTTP {exc.code} ({have}): set AGENTVISION_API_KEY "
            "(or OPENAI_API_KEY) to the key the server expects (vllm serve --api-key ...)"
        )
    if exc.code == 404:
        hint = "" if options.api_base.endswith("/v1") else " (most servers want it to end in /v1)"
        return f"{url} does not exist (HTTP 404): check --api-base, the server's OpenAI-compatible root{hint}"
    return f"the server at {url} answered HTTP {exc.code}{detail}: check the server's log"


def _check_transformers(spec: ModelSpec) -> str:
    try:
        import torch
        import transformers
    except ModuleNotFoundError as exc:
        raise ModelUnavailable(
            f"{spec} needs torch and transformers ({exc.name} is missing): pip install 'agentvision[local]' "
            "(on a machine without a GPU, pip install torch --index-url https://download.pytorch.org/whl/cpu first)"
        ) from None
    device = "cuda" if torch.cuda.is_available() else "cpu"
    path = Path(spec.name).expanduser()
    if path.is_dir():
        config = path / "config.json"
        if not config.is_file():
            raise ModelUnavailable(f"{path} has no config.json: point transformers: at a saved model folder")
        model_type = json.loads(config.read_text()).get("model_type", "?")
        return (
            f"{spec}: local folder {path.resolve()} ({model_type}), transformers {transformers.__version__}, {device}"
        )
    if path.exists() or spec.name.startswith((".", "/", "~")) or spec.name.count("/") > 1:
        raise ModelUnavailable(f"{spec}: no model folder at {path}: give a folder saved with save_pretrained")
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(spec.name, "config.json")
    if not isinstance(cached, str):
        raise ModelUnavailable(
            f"{spec}: {spec.name!r} is neither a local folder nor in the Hugging Face cache: download it first "
            f"(huggingface-cli download {spec.name}) on a machine that can reach the Hub, or give a local folder"
        )
    return f"{spec}: cached hub model at {Path(cached).parent}, transformers {transformers.__version__}, {device}"
