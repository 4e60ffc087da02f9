"""Bound the images in a conversation: downscale each, keep only the last few (the rest become a short note).

Works on smolagents message lists: ChatMessage objects or dicts, whose content is a string or a list of parts
such as ``{"type": "text", "text": ...}`` and ``{"type": "image", "image": PIL.Image}``. Both model backends use it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from PIL import Image

OMITTED_NOTE = "[image omitted: at most {n} images per request]"
IMAGE_TYPES = ("image", "image_url")


def to_pil(image: Any) -> Image.Image:
    """A PIL RGB image from a PIL image or an HxW(x3|4) array (uint8, or floats in 0..1)."""
    if isinstance(image, Image.Image):
        return image if image.mode == "RGB" else image.convert("RGB")
    if isinstance(image, np.ndarray):
        array = image
        if array.dtype != np.uint8:
            array = (np.clip(array.astype(np.float64), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
        return Image.fromarray(array).convert("RGB")
    raise TypeError(f"an image part must hold a PIL image or a numpy array, not {type(image).__name__}")


def downscale(image: Any, max_side: int) -> Image.Image:
    """``image`` as RGB with its longest side at most ``max_side`` pixels (aspect kept; never enlarged)."""
    image = to_pil(image)
    width, height = image.size
    longest = max(width, height)
    if longest <= max_side:
        return image
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def role_and_content(message: Any) -> tuple[Any, Any]:
    """(role, content) of a ChatMessage or a message dict."""
    if isinstance(message, dict):
        return message.get("role"), message.get("content")
    return message.role, message.content


def _with_content(message: Any, content: Any) -> Any:
    if isinstance(message, dict):
        return {**message, "content": content}
    return dataclasses.replace(message, content=content)


def _is_image(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type") in IMAGE_TYPES


def count_images(messages: list) -> int:
    """How many image parts the messages hold."""
    total = 0
    for message in messages:
        _, content = role_and_content(message)
        if isinstance(content, list):
            total += sum(1 for part in content if _is_image(part))
    return total


def limit_images(messages: list, max_images: int, max_side: int) -> list:
    """A copy of ``messages`` with at most ``max_images`` images, the LAST ones, each downscaled to ``max_side``.

    Every dropped image becomes a text part saying so. Image parts holding a URL (``image_url``) are counted and
    dropped the same way but passed on unscaled. The input messages and images are left untouched.
    """
    keep_from = count_images(messages) - max_images  # images with a lower index are dropped
    note = {"type": "text", "text": OMITTED_NOTE.format(n=max_images)}
    index = 0
    out = []
    for message in messages:
        _, content = role_and_content(message)
        if not isinstance(content, list):
            out.append(message)
            continue
        parts = []
        for part in content:
            if not _is_image(part):
                parts.append(part)
                continue
            if index < keep_from:
                parts.append(dict(note))
            elif part["type"] == "image":
                parts.append({**part, "image": downscale(part["image"], max_side)})
            else:
                parts.append(part)
            index += 1
        out.append(_with_content(message, parts))
    return out
