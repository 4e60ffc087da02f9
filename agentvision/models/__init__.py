"""Model specs -> smolagents Models: ``builtin`` (no model), ``openai:MODEL_ID`` (any OpenAI-compatible server:
vLLM, TGI, Ollama, llama.cpp) and ``transformers:PATH_OR_ID`` (a local VLM)."""

from agentvision.models.health import ModelUnavailable, check_health
from agentvision.models.images import count_images, downscale, limit_images
from agentvision.models.loader import load_model
from agentvision.models.spec import ModelOptions, ModelSpec, ModelSpecError, default_model_spec, parse_model_spec

__all__ = [
    "ModelOptions",
    "ModelSpec",
    "ModelSpecError",
    "ModelUnavailable",
    "check_health",
    "count_images",
    "default_model_spec",
    "downscale",
    "limit_images",
    "load_model",
    "parse_model_spec",
]
