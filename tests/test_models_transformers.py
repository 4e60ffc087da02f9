"""transformers: backend on a tiny random-weight Llava built offline: the image must reach the model's forward."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing here may touch the network (set before huggingface_hub is imported)

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

pytest.importorskip(
    "torch", reason="the transformers backend needs torch: pip install torch, then 'agentvision[local]'"
)
pytest.importorskip(
    "transformers", reason="the transformers backend needs transformers: pip install 'agentvision[local]'"
)

import torch  # noqa: E402
from smolagents.models import ChatMessage, MessageRole  # noqa: E402
from tiny_vlm import IMAGE_TOKENS, build_tiny_llava  # noqa: E402

from agentvision.models import ModelOptions, ModelUnavailable, check_health, load_model  # noqa: E402
from agentvision.models.images import OMITTED_NOTE  # noqa: E402
from agentvision.models.local_vlm import TransformersVisionModel, chat_and_images  # noqa: E402


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Offline even when huggingface_hub was imported (and read HF_HUB_OFFLINE) before this module."""
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@pytest.fixture(scope="module")
def tiny():
    return build_tiny_llava()


@pytest.fixture(scope="module")
def saved_dir(tiny, tmp_path_factory):
    model, processor = tiny
    folder = tmp_path_factory.mktemp("tiny-llava")
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def picture(seed: int, size=(96, 64)) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


def ask(*images: Image.Image, text: str = "describe the image") -> list[dict]:
    parts = [{"type": "text", "text": text}] + [{"type": "image", "image": im} for im in images]
    return [
        {"role": "system", "content": [{"type": "text", "text": "you are a photographer"}]},
        {"role": "user", "content": parts},
    ]


def vision_tower(model):
    """The model's image encoder (its forward is where pixels become features)."""
    for name, module in model.named_modules():
        if name.rsplit(".", 1)[-1] in ("vision_tower", "vision_model"):
            return module
    raise AssertionError("no vision tower found")


class Recorder:
    """Records what ``generate`` is given and what reaches the vision tower's ``forward`` (a forward pre-hook)."""

    def __init__(self, model):
        self.generate_kwargs: list[dict] = []
        self.vision_inputs: list = []
        self.model = model
        self._generate = model.generate
        model.generate = self._record_generate
        self._handle = vision_tower(model).register_forward_pre_hook(self._record_vision, with_kwargs=True)

    def _record_generate(self, **kwargs):
        self.generate_kwargs.append(kwargs)
        return self._generate(**kwargs)

    def _record_vision(self, _module, args, kwargs):
        self.vision_inputs.append(args[0] if args else kwargs["pixel_values"])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.remove()
        del self.model.generate


def test_pixel_values_reach_forward_and_usage_is_counted(tiny):
    model, processor = tiny
    vlm = TransformersVisionModel.from_components(model, processor, ModelOptions(max_tokens=5))
    with Recorder(model) as seen:
        reply = vlm.generate(ask(picture(1)))
    given = seen.generate_kwargs[0]
    assert {"input_ids", "attention_mask", "pixel_values"} <= set(given)  # the processor's whole output
    assert tuple(given["pixel_values"].shape) == (1, 3, 32, 32)
    assert int((given["input_ids"] == model.config.image_token_id).sum()) == IMAGE_TOKENS
    assert len(seen.vision_inputs) == 1 and torch.equal(seen.vision_inputs[0], given["pixel_values"])
    assert isinstance(reply, ChatMessage) and reply.role == MessageRole.ASSISTANT
    assert isinstance(reply.content, str)
    assert reply.token_usage.input_tokens == given["input_ids"].shape[1]
    assert 1 <= reply.token_usage.output_tokens <= 5


def test_different_images_change_the_logits(tiny):
    model, processor = tiny
    vlm = TransformersVisionModel.from_components(model, processor)

    def last_logits(image):
        with torch.inference_mode():
            return model(**vlm.prepare_inputs(ask(image))).logits[0, -1]

    a, a_again, b = last_logits(picture(1)), last_logits(picture(1)), last_logits(picture(2))
    assert torch.equal(a, a_again)
    assert not torch.allclose(a, b)


def test_only_the_last_images_are_shown(tiny):
    model, processor = tiny
    vlm = TransformersVisionModel.from_components(model, processor, ModelOptions(max_images=2, max_image_side=48))
    messages = ask(picture(1), picture(2), picture(3), text="three views")
    inputs = vlm.prepare_inputs(messages)
    assert inputs["pixel_values"].shape[0] == 2
    assert int((inputs["input_ids"] == model.config.image_token_id).sum()) == 2 * IMAGE_TOKENS
    chat, images = chat_and_images(messages)
    assert len(images) == 3 and messages[1]["content"][1]["image"].size == (96, 64)  # the caller's list untouched
    # the dropped (first) image becomes the note, and what is shown is the last two
    only_last = vlm.prepare_inputs(ask(picture(2), picture(3), text="three views"))
    assert torch.equal(inputs["pixel_values"], only_last["pixel_values"])
    prompt = processor.tokenizer.decode(inputs["input_ids"][0])
    assert OMITTED_NOTE.format(n=2) in prompt


def test_roles_are_mapped_and_merged_for_the_template():
    chat, images = chat_and_images(
        [
            {"role": "system", "content": "rules"},
            {"role": "user", "content": [{"type": "text", "text": "task"}]},
            ChatMessage(role=MessageRole.TOOL_CALL, content=[{"type": "text", "text": "call"}]),
            ChatMessage(role=MessageRole.TOOL_RESPONSE, content=[{"type": "text", "text": "observation"}]),
            {"role": "user", "content": [{"type": "image", "image": picture(4)}]},
        ]
    )
    assert [m["role"] for m in chat] == ["system", "user", "assistant", "user"]
    assert chat[3]["content"] == [{"type": "text", "text": "observation"}, {"type": "image"}]
    assert len(images) == 1


def test_load_model_from_a_saved_folder(saved_dir, tiny):
    described = check_health(f"transformers:{saved_dir}")
    assert "llava" in described and str(saved_dir) in described
    vlm = load_model(f"transformers:{saved_dir}", ModelOptions(max_tokens=3))
    assert isinstance(vlm, TransformersVisionModel) and vlm.device in ("cpu", "cuda")
    with Recorder(vlm.model) as seen:
        reply = vlm.generate(ask(picture(5)), stop_sequences=["</never>"])
    assert len(seen.vision_inputs) == 1 and seen.vision_inputs[0].shape[-2:] == (32, 32)
    assert reply.token_usage.output_tokens >= 1
    # the loaded weights are the saved ones: same logits as the in-memory model for the same input
    model, processor = tiny
    inputs = TransformersVisionModel.from_components(model, processor).prepare_inputs(ask(picture(5)))
    with torch.inference_mode():
        expected = model(**inputs).logits
        got = vlm.model(**{k: v.to(vlm.model.device) for k, v in inputs.items()}).logits.float().cpu()
    assert torch.allclose(expected, got, atol=2e-2)


def test_missing_local_models_give_clear_errors(tmp_path):
    with pytest.raises(ModelUnavailable, match="no model folder"):
        check_health(f"transformers:{tmp_path / 'nothing-here'}")
    with pytest.raises(ModelUnavailable, match="config.json"):
        check_health(f"transformers:{tmp_path}")
    with pytest.raises(ModelUnavailable, match="neither a local folder nor in the Hugging Face cache"):
        check_health("transformers:agentvision-tests/no-such-model")
    with pytest.raises(ModelUnavailable, match="could not be loaded"):
        load_model("transformers:agentvision-tests/no-such-model")


def test_a_photo_run_with_local_vlm_roles_records_them_and_falls_back_on_nonsense(saved_dir, tmp_path):
    """End to end through av.photo: a random-weight model answers nonsense, so every reply is retried
    with the error and then left to the built-in role; the run still makes its photo and says so."""
    import agentvision as av

    spec = f"transformers:{saved_dir}"
    result = av.photo(
        "the sofa",
        "living_room",
        reviewer_model=spec,
        reflector_model=spec,
        final_renderer="raycast",
        rounds=2,
        candidates=2,
        width=160,
        model_options={"max_tokens": 32},
        out_dir=tmp_path / "run",
    )
    assert result.photo is not None
    calls = [e for e in result.trace if e["event"] == "model_call"]
    assert {e["role"] for e in calls} == {"reviewer", "reflector"}
    assert all(e["input_tokens"] > 0 and e["output_tokens"] > 0 for e in calls)
    assert any(e["images"] for e in calls)
    fallbacks = [e for e in result.trace if e["event"] == "fallback"]
    assert {f["purpose"] for f in fallbacks} >= {"review", "reflect"}
    assert "| reviewer |" in (tmp_path / "run" / "report.md").read_text()
