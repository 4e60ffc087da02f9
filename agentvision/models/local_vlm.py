"""A local VLM through transformers that really shows the model its images.

smolagents' stock TransformersModel keeps only ``input_ids`` from the processor's output, so ``pixel_values`` never
reach the model (smolagents issue 841). TransformersVisionModel passes the processor's whole output (input_ids,
attention_mask, pixel_values and whatever else the model family needs) to ``generate``.
"""

from __future__ import annotations

from typing import Any

from smolagents.models import ChatMessage, MessageRole, Model, remove_content_after_stop_sequences
from smolagents.monitoring import TokenUsage

from agentvision.models.health import ModelUnavailable
from agentvision.models.images import limit_images, role_and_content
from agentvision.models.spec import ModelOptions

# smolagents' own roles -> what chat templates know
ROLE_CONVERSIONS = {"tool-call": "assistant", "tool-response": "user"}


def _import_torch_transformers():
    try:
        import torch
        import transformers
    except ModuleNotFoundError as exc:
        raise ModelUnavailable(
            f"transformers: models need torch and transformers ({exc.name} is missing): "
            "pip install 'agentvision[local]'"
        ) from None
    return torch, transformers


def chat_and_images(messages: list) -> tuple[list[dict[str, Any]], list]:
    """smolagents messages -> (chat for a processor's chat template, the images in order of appearance).

    Image parts become ``{"type": "image"}`` placeholders; roles are mapped to user/assistant/system and
    consecutive messages of one role are merged (many templates insist on alternation).
    """
    chat: list[dict[str, Any]] = []
    images: list = []
    for message in messages:
        role, content = role_and_content(message)
        role = str(getattr(role, "value", role))
        role = ROLE_CONVERSIONS.get(role, role)
        parts: list[dict[str, Any]] = []
        for part in [{"type": "text", "text": content}] if isinstance(content, str) else content or []:
            if part.get("type") == "image":
                parts.append({"type": "image"})
                images.append(part["image"])
            elif part.get("type") == "text":
                parts.append({"type": "text", "text": part["text"]})
            else:
                raise ValueError(f"a local model takes text and image parts, not {part.get('type')!r}")
        if chat and chat[-1]["role"] == role:
            chat[-1]["content"].extend(parts)
        else:
            chat.append({"role": role, "content": parts})
    return chat, images


class TransformersVisionModel(Model):
    """An image-text-to-text model loaded with ``AutoModelForImageTextToText`` and ``AutoProcessor``.

    Args:
        model_id: a saved model folder or a Hugging Face id already in the local cache.
        options: image limits (``max_images``, ``max_image_side``), ``max_tokens`` and ``temperature``.
        device: "cuda", "cpu", ...; default cuda when available, else cpu.
        model, processor: an already-built pair to use instead of loading (see ``from_components``).
        **kwargs: passed on to ``generate`` (e.g. ``top_p``).
    """

    def __init__(
        self,
        model_id: str | None = None,
        options: ModelOptions | None = None,
        *,
        device: str | None = None,
        model: Any | None = None,
        processor: Any | None = None,
        trust_remote_code: bool = False,
        **kwargs,
    ):
        torch, transformers = _import_torch_transformers()
        self.options = options or ModelOptions.from_env()
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        if (model is None) != (processor is None):
            raise ValueError("give both model and processor, or neither (then model_id is loaded)")
        if model is None:
            if not model_id:
                raise ValueError("give model_id (a saved model folder or a cached hub id) or a model and processor")
            dtype = torch.bfloat16 if self.device.startswith("cuda") else torch.float32
            try:
                processor = transformers.AutoProcessor.from_pretrained(model_id, trust_remote_code=trust_remote_code)
                model = transformers.AutoModelForImageTextToText.from_pretrained(
                    model_id, dtype=dtype, trust_remote_code=trust_remote_code
                )
            except OSError as exc:
                raise ModelUnavailable(
                    f"transformers:{model_id} could not be loaded ({str(exc).splitlines()[0]}): give a folder saved "
                    "with save_pretrained, or a hub id downloaded beforehand"
                ) from None
            model = model.to(self.device)
        model.eval()
        self.model = model
        self.processor = processor
        self.tokenizer = getattr(processor, "tokenizer", processor)
        super().__init__(model_id=model_id or getattr(model, "name_or_path", None), **kwargs)

    @classmethod
    def from_components(
        cls, model: Any, processor: Any, options: ModelOptions | None = None, model_id: str | None = None, **kwargs
    ) -> TransformersVisionModel:
        """Wrap an already-built model and processor (kept on the device the model is on)."""
        device = str(getattr(model, "device", "cpu"))
        return cls(model_id, options, device=device, model=model, processor=processor, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model_id={self.model_id!r}, device={self.device!r})"

    def prepare_inputs(self, messages: list) -> Any:
        """The processor's whole output for ``messages`` (images limited and downscaled), on the model's device."""
        torch, _ = _import_torch_transformers()
        limited = limit_images(messages, self.options.max_images, self.options.max_image_side)
        chat, images = chat_and_images(limited)
        text = self.processor.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
        inputs = self.processor(text=text, images=images or None, return_tensors="pt")
        dtype = next(self.model.parameters()).dtype
        return {
            key: (
                value.to(self.model.device, dtype=dtype)
                if torch.is_tensor(value) and torch.is_floating_point(value)
                else value.to(self.model.device)
                if torch.is_tensor(value)
                else value
            )
            for key, value in inputs.items()
        }

    def generate(
        self,
        messages: list,
        stop_sequences: list[str] | None = None,
        response_format: dict[str, str] | None = None,
        tools_to_call_from: list | None = None,
        **kwargs,
    ) -> ChatMessage:
        """Generate a reply; ``token_usage`` counts the prompt (image tokens included) and the new tokens."""
        torch, _ = _import_torch_transformers()
        if response_format is not None or tools_to_call_from:
            raise ValueError("a transformers: model takes neither response_format nor tools: use a CodeAgent")
        inputs = self.prepare_inputs(messages)
        settings: dict[str, Any] = {"max_new_tokens": self.options.max_tokens, **self.kwargs, **kwargs}
        if self.options.temperature > 0:
            settings.setdefault("do_sample", True)
            settings.setdefault("temperature", self.options.temperature)
        else:
            settings.setdefault("do_sample", False)
        if stop_sequences:
            settings.update(stop_strings=list(stop_sequences), tokenizer=self.tokenizer)
        if getattr(self.tokenizer, "pad_token_id", None) is None and self.tokenizer.eos_token_id is not None:
            settings.setdefault("pad_token_id", self.tokenizer.eos_token_id)
        with torch.inference_mode():
            out = self.model.generate(**inputs, **settings)
        prompt_tokens = int(inputs["input_ids"].shape[1])
        new_tokens = out[0, prompt_tokens:]
        text = self.tokenizer.decode(new_tokens, skip_special_tokens=True)
        if stop_sequences:
            text = remove_content_after_stop_sequences(text, stop_sequences)
        return ChatMessage(
            role=MessageRole.ASSISTANT,
            content=text,
            raw={"new_tokens": new_tokens.tolist()},
            token_usage=TokenUsage(input_tokens=prompt_tokens, output_tokens=int(new_tokens.shape[0])),
        )
