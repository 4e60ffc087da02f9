"""load_model: a model spec -> a smolagents Model (None for the built-in photographer)."""

from __future__ import annotations

from smolagents import Model

from agentvision.models.spec import ModelOptions, ModelSpec, parse_model_spec


def load_model(spec: ModelSpec | str, options: ModelOptions | None = None) -> Model | None:
    """The smolagents Model for ``spec``: None for ``builtin``, an OpenAICompatibleModel for ``openai:ID``
    (``options.api_base`` is required), a TransformersVisionModel for ``transformers:PATH_OR_ID``.

    ``options`` default to ModelOptions.from_env(). Loading does not contact an openai server: call
    check_health first for one clear error when it is down.
    """
    spec = parse_model_spec(spec) if isinstance(spec, str) else spec
    options = options or ModelOptions.from_env()
    if spec.kind == "builtin":
        return None
    if spec.kind == "openai":
        from agentvision.models.openai_compatible import OpenAICompatibleModel

        return OpenAICompatibleModel(spec.name, options)
    from agentvision.models.local_vlm import TransformersVisionModel

    return TransformersVisionModel(spec.name, options)
